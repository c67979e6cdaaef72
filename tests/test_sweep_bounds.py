"""Sweeps over values known only within a bound (``"0 +/- r"``, CONTRACT).

A float64 sweep prints what ``reference --float64`` prints, rows recomputed
certified included; a reduction treats a bound as the interval it stands for,
decides where the whole interval decides, and refuses (one ValueError naming the
value) where it cannot: it never reads ``0 +/- r`` as a number, nor guesses."""

import pytest

from symthermo.models import get_model
from symthermo.sweep import point_rows
from symthermo.sweep_reduce import parse_reduction, reduce_rows
from symthermo.tables import reference_payload

ROWS = [{"t": "1", "E": "-0.25", "F": "2"},
        {"t": "2", "E": "0 +/- 1.1e-174", "F": "3"},
        {"t": "3", "E": "-1.5", "F": "0 +/- 1e-30"}]


def _reduce(texts, rows=ROWS, digits=15):
    return reduce_rows(rows, [parse_reduction(t) for t in texts], digits)


def test_a_bound_that_decides_is_chosen_and_copied():
    out = _reduce(["max:E", "argmax:E", "min:E", "argmin:-E", "first:E>-0.5", "last:E<-1",
                   "F@max:E"])
    assert out == {"max:E": "0 +/- 1.1e-174", "argmax:E": "2", "min:E": "-1.5",
                   "argmin:-E": "2", "first:E>-0.5": "1", "last:E<-1": "3", "F@max:E": "3"}


def test_a_product_with_a_bound_is_a_bound():
    out = _reduce(["E*F@max:E", "x=E*F@min:E", "F/E@min:E"])
    # the interval times 3 (the radius rounded up: 3.3e-174 at least), times -1.5
    assert out["E*F@max:E"] in ("0 +/- 3.3e-174", "0 +/- 3.4e-174")
    assert out["x"] in ("0 +/- 1.5e-30", "0 +/- 1.6e-30")
    # F/E at E = -1.5 with F = 0 +/- 1e-30: |F/E| <= 6.7e-31
    assert out["F/E@min:E"] in ("0 +/- 6.7e-31", "0 +/- 6.8e-31")


@pytest.mark.parametrize("text,rows", [
    # two bounds about 0 compete for the max
    ("max:E", [{"t": "1", "E": "0 +/- 1e-20"}, {"t": "2", "E": "0 +/- 1e-30"}]),
    # a bound straddles the threshold
    ("first:E>0", [{"t": "1", "E": "-1"}, {"t": "2", "E": "0 +/- 1e-30"}]),
    # a bound next to a plain value it may exceed
    ("min:E", [{"t": "1", "E": "1e-40"}, {"t": "2", "E": "0 +/- 1e-30"}]),
])
def test_an_undecided_reduction_names_the_value(text, rows):
    with pytest.raises(ValueError, match=rf"{text.replace('>', '.')} at t = 2 is undecided"):
        _reduce([text], rows)


def test_a_float64_sweep_prints_what_reference_prints():
    """JC in the collapse of a coherent field (g = 1, t = 57): reference --float64
    recomputes the row certified; the float64 sweep printed float64's noise there."""
    m = get_model("jaynes-cummings")
    given = {"state_B": "coherent", "g": "1"}
    want = reference_payload(m, given, "6000, 57", float64=True)
    assert want["recomputed_with_balls"], "the case must exercise the recomputation"
    got = point_rows(m, given, ["6000", "57"], keys=["t", "E_A", "S_A", "W_B"], float64=True)
    assert got == [{k: row[k] for k in ("t", "E_A", "S_A", "W_B")} for row in want["rows"]]


def test_a_certified_sweep_reduces_over_a_bound(tmp_path):
    from symthermo.sweep import sweep

    out = tmp_path / "s.csv"
    # E_A in the collapse at g t = 40 (~1e-320) is only bounded at dps 15 (its 1024 bits;
    # at g t = 57, -3.3e-274, they prove its digits)
    sweep(get_model("jaynes-cummings"), {"g": "1"}, "6000, 40", dps=15, workers=1,
          params={"state_B": "coherent"}, reduce=["max:E_A", "argmax:E_A"], out=str(out))
    header, row = out.read_text().splitlines()
    values = dict(zip(header.split(","), row.split(",")))
    assert values["error"] == "" and values["argmax:E_A"] == "40.0000000000000"
    assert values["max:E_A"].startswith("0 +/- ")
