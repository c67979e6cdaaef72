"""Ziv's loop row by row (certify.certified with ``rows``): after the first pass only
the times that still hold a ball too wide are evaluated again at more bits, and the
texts are those of the loop that re-evaluates every time."""

import numpy as np
import pytest

from symthermo.ball_columns import BallColumnRows
from symthermo.certify import certified

# a value that loses ~40 digits to cancellation at the hard times: (c + x) - c
HARD = {3, 7}


def _columns(lib, rows, calls):
    calls.append((list(rows), lib.bits if hasattr(lib, "bits") else None))
    x, y = [], []
    for i in rows:
        a = lib.exp(lib.number(i + 1) / 7)
        c = lib.number(10) ** (40 if i in HARD else 0)
        x.append((c + a) - c)
        y.append(lib.log(a + 2))
    cols = {"x": np.array(x, dtype=object), "y": np.array(y, dtype=object),
            "shared": lib.number(1) / 3}
    return BallColumnRows(["x", "y", "shared"], cols, len(rows))


def test_only_the_hard_rows_are_evaluated_again():
    n = 10
    calls_rows, calls_all = [], []
    by_rows = certified(lambda lib: _columns(lib, range(n), calls_rows), 30,
                        rows=lambda lib, idx: _columns(lib, idx, calls_rows))
    everything = certified(lambda lib: _columns(lib, range(n), calls_all), 30)
    assert by_rows.complete and everything.complete
    assert [r for r, _ in calls_rows] == [list(range(n))] + [sorted(HARD)] * (len(calls_rows) - 1)
    assert len(calls_rows) > 1 and all(r == list(range(n)) for r, _ in calls_all)
    # every text the same as the loop over every time: proven digits do not depend on it
    for k in ("x", "y", "shared"):
        assert [t for t, _ in by_rows.texts[k]] == [t for t, _ in everything.texts[k]]


def test_a_truncation_limited_row_stops_the_loop():
    # a ball whose radius does not shrink with the precision (a truncation bound): the
    # loop stops after one doubling that narrows nothing, incomplete, with its bound
    from flint import arb

    def compute(lib, rows):
        x = [lib.number(i) / 3 + (arb(0, 1e-20) if i == 2 else 0) for i in rows]
        return BallColumnRows(["x"], {"x": np.array(x, dtype=object)}, len(rows))

    r = certified(lambda lib: compute(lib, range(4)), 30, rows=compute)
    assert not r.complete
    assert " +/- " in r.texts["x"][2][0]
    assert all(" +/- " not in r.texts["x"][i][0] for i in (0, 1, 3))


def test_a_nan_row_ends_as_the_loop_over_every_time_ends():
    from flint import arb

    def compute(lib, rows):  # row 1: no finite enclosure at any precision
        x = [lib.number(i) if i != 1 else arb.nan() for i in rows]
        return BallColumnRows(["x"], {"x": np.array(x, dtype=object)}, len(rows))

    for kw in ({"rows": compute}, {}):  # at the cap: an error, as for every time at once
        with pytest.raises(ValueError, match="nan at 148 bits"):
            certified(lambda lib: compute(lib, range(3)), 15, max_bits=200, **kw)
    # below the cap: a doubling that narrows nothing ends the loop, incomplete
    by_rows = certified(lambda lib: compute(lib, range(3)), 15, max_bits=1000, rows=compute)
    everything = certified(lambda lib: compute(lib, range(3)), 15, max_bits=1000)
    assert not by_rows.complete and not everything.complete
    assert by_rows.texts == everything.texts and by_rows.texts["x"][1][0] == "nan"
