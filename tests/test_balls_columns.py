"""The certified closed forms evaluated for all times at once (symthermo.ball_columns)
print exactly what the per-row ball route prints.

The two routes run the same formulas on the same balls (a column of balls applies each
operation to every element), so the printed strings must be identical and ``err``
identical or tighter (the columns' formatter reads Arb's decimal enclosure; the
per-row one bounds |printed - ball| in balls, rounded up through a float), or, where
the columns proved a time at fewer bits than the rows needed for some other time
(Ziv's loop time by time), within half a unit of the printed value's last digit.
"""

import sys
import threading
from decimal import Decimal

import mpmath
import pytest

from symthermo import ball_columns
from symthermo.ball_columns import BallColumn
from symthermo.models import get_model, model_names
from symthermo.tables import reference_payload


def _times(model):
    """The paper's times, and enough times between them for a column (plus t = 0)."""
    last = model.paper_times[-1]
    return ["0"] + list(model.paper_times) + [f"{k}/7*({last})" for k in range(1, 10)]


def _spy(monkeypatch):
    """Record the stats of every column evaluation that reference_payload makes."""
    seen = []
    original = ball_columns.evaluate_columns

    def spy(*args, **kwargs):
        stats = {}
        out = original(*args, stats=stats, **kwargs)
        seen.append(stats)
        return out

    monkeypatch.setattr(ball_columns, "evaluate_columns", spy)
    return seen


def _per_row(name, times, dps, params=()):
    model = get_model(name)
    model.vectorised = False  # the per-row ball route
    return reference_payload(model, dict(params), times, dps=dps)


def _err(text):
    return float(text)  # "0", "inf" and "1.2e-31" all read as floats


def _half_unit(text, digits):
    """Half a unit in the last place of a printed proven decimal of ``digits`` digits."""
    return float(Decimal(1).scaleb(Decimal(text).adjusted() - digits + 1)) / 2


def _assert_same(cols, rows, digits=30):
    assert cols["number_system"] == rows["number_system"] == "balls"
    assert len(cols["rows"]) == len(rows["rows"])
    for a, b in zip(cols["rows"], rows["rows"]):
        assert {k: v for k, v in a.items() if k != "err"} == \
            {k: v for k, v in b.items() if k != "err"}
        assert list(a["err"]) == list(b["err"])
        for k in a["err"]:
            if _err(a["err"][k]) <= _err(b["err"][k]):
                continue
            # the columns prove each time at its own precision (Ziv's loop time by time),
            # the rows at the one every time needed: a wider err only for a proven decimal,
            # still within half a unit of its last digit
            text = a[k]
            assert " +/- " not in text and text not in ("0", "inf", "-inf", "nan"), \
                (k, a["t"], text, a["err"][k], b["err"][k])
            assert _err(a["err"][k]) <= _half_unit(text, digits), (k, a["t"], text, a["err"][k])


#: models whose formulas run on columns of balls (every model; a model added later may
#: take the per-row route in full, after the first operation a column cannot do)
COLUMNAR = tuple(model_names())


@pytest.mark.parametrize("dps", [15, 30, 60])
@pytest.mark.parametrize("name", model_names())
def test_columns_print_what_the_rows_print(name, dps, monkeypatch):
    model = get_model(name)
    times = _times(model)
    seen = _spy(monkeypatch)
    cols = reference_payload(model, {}, times, dps=dps)
    _assert_same(cols, _per_row(name, times, dps), dps)
    assert seen, "the column route was not taken"
    if name in COLUMNAR:
        assert sum(s["columns"] for s in seen) >= 1


@pytest.mark.parametrize("name", COLUMNAR)
def test_twice_the_digits_agree_on_every_printed_digit(name):
    model = get_model(name)
    times = _times(model)
    low = reference_payload(model, {}, times, dps=30)
    high = reference_payload(model, {}, times, dps=60)
    for a, b in zip(low["rows"], high["rows"]):
        for k, text in a.items():
            if k == "err":
                continue
            if " +/- " in text or " +/- " in b[k]:
                # a bound: the 60-digit value (or bound) lies within it
                m, r = (Decimal(x) for x in text.split(" +/- ")) if " +/- " in text \
                    else (Decimal(text), Decimal(a["err"][k]))
                m2, r2 = (Decimal(x) for x in b[k].split(" +/- ")) if " +/- " in b[k] \
                    else (Decimal(b[k]), Decimal(b["err"][k]))
                assert abs(m - m2) <= r + r2, (k, a["t"], text, b[k])
                continue
            if text in ("0", "inf", "-inf"):
                assert b[k] == text, (k, a["t"], text, b[k])
                continue
            x, y = Decimal(text), Decimal(b[k])
            # x is y's exact value rounded to 30 digits: within half a unit of x's last
            # digit (plus y's own half unit)
            unit = Decimal(1).scaleb(x.adjusted() - 29)
            assert abs(x - y) <= unit / 2 + Decimal(1).scaleb(y.adjusted() - 59), \
                (k, a["t"], text, b[k])


def test_structural_zeros_stay_exact():
    model = get_model("refrigerator")
    times = ["0"] + [f"{k}/3" for k in range(1, 16)]
    rows = reference_payload(model, {}, times, dps=30)["rows"]
    first = rows[0]
    for k in ("Q_A", "W_A", "Q_B", "W_B", "I_AB", "sigma_A", "sigma_B", "E_int"):
        assert first[k] == "0" and first["err"][k] == "0", k
    # a qubit proven passive (z < 0: more population below) has ergotropy and exergy
    # exactly 0, E^th = E exactly and (with its state at t = 0 also passive) W = 0 exactly;
    # the column holds both kinds of times (the two branches, merged)
    kinds = set()
    for row in rows:
        for n in "AB":
            passive = Decimal(row[f"z_{n}"]) < 0
            kinds.add(passive)
            if passive:
                for k in (f"ergotropy_{n}", f"exergy_{n}"):
                    assert row[k] == "0" and row["err"][k] == "0", (k, row["t"])
                assert row[f"Eth_{n}"] == row[f"E_{n}"]
            else:
                assert row[f"ergotropy_{n}"] != "0", (n, row["t"])
        if Decimal(row["z_A"]) < 0:
            assert row["W_A"] == "0"
    assert kinds == {True, False}


def test_a_branch_that_sets_times_apart(monkeypatch):
    # the exchange model: times where a qubit is proven passive and times where it is not
    # take different branches; the minority is evaluated again on its own
    seen = _spy(monkeypatch)
    times = [f"{k}/4*pi/(2*g)" for k in range(1, 16)]
    cols = reference_payload(get_model("exchange"), {}, times, dps=30)
    assert sum(s["set_apart"] for s in seen) > 0
    _assert_same(cols, _per_row("exchange", times, 30))


#: 50 pi to 250 digits: g t within 1e-250 of pi/2 in the exchange model (g = 0.01)
NEAR_HALF_PI = ("157.0796326794896619231321691639751442098584699687552910487472296153908203"
                "1431044993140174126710585339910740432566411533235469223047752911158626797040"
                "6422127703473703434566081397155693009718843548834620716839440617254005011640"
                "0213181")


def test_an_undecided_branch_near_an_exact_zero(monkeypatch):
    # qubit A is within 1e-250 of its ground state: at the first precision its smaller
    # eigenvalue is a ball that touches 0, so x ln x cannot decide x > 0 (False for that
    # time, as for one ball); the entropy h(lo) = -lo ln lo - (1 - lo) log1p(-lo) of the
    # two eigenvalues then resolves S_A = 2.6e-301 (the larger eigenvalue's -hi ln hi left
    # it a bound), in the column as in the per-row route
    times = [NEAR_HALF_PI] + [f"{k}*pi/(2*g)/9" for k in range(1, 12)]
    seen = _spy(monkeypatch)
    cols = reference_payload(get_model("exchange"), {}, times, dps=30)
    with mpmath.workdps(700):  # independently: p_e = cos^2(g t), S = h(p_e)
        lo = mpmath.cos(mpmath.mpf("0.01") * mpmath.mpf(NEAR_HALF_PI)) ** 2
        exact = -lo * mpmath.log(lo) - (1 - lo) * mpmath.log1p(-lo)
        assert abs(mpmath.mpf(cols["rows"][0]["S_A"]) / exact - 1) < mpmath.mpf(10) ** -29
    assert sum(s["columns"] for s in seen) >= 1
    _assert_same(cols, _per_row("exchange", times, 30))


def test_an_exact_special_time_is_proven_per_row(monkeypatch):
    # at g t = pi/2 exactly the balls only bound E_A; the exact values SymPy proves there
    # enter the per-row route, which then prints exact zeros (the contract's example)
    times = ["pi/(2*g)"] + [f"{k}*pi/(2*g)/9" for k in range(1, 12)]
    seen = _spy(monkeypatch)
    cols = reference_payload(get_model("exchange"), {}, times, dps=30)
    assert seen and sum(s["columns"] for s in seen) >= 1  # the first pass, in columns
    first = cols["rows"][0]
    assert (first["E_A"], first["S_A"], first["beta_A"]) == ("0", "0", "inf")
    _assert_same(cols, _per_row("exchange", times, 30))


def test_what_a_column_cannot_do_takes_the_per_row_route(monkeypatch):
    times = [f"{k}/5" for k in range(12)]
    expected = _per_row("refrigerator", times, 30)

    def refuse(self):
        raise NotImplementedError("no cosine of a column today")

    monkeypatch.setattr(BallColumn, "cos", refuse)
    seen = _spy(monkeypatch)
    got = reference_payload(get_model("refrigerator"), {}, times, dps=30)
    assert seen[0]["columns"] == 0 and seen[0]["per_row"] == len(times)
    assert "NotImplementedError" in seen[0]["errors"][0]
    _assert_same(got, expected)


def test_small_groups_take_the_per_row_route(monkeypatch):
    times = [f"{k}/5" for k in range(1, ball_columns.MIN_GROUP)]
    seen = _spy(monkeypatch)
    got = reference_payload(get_model("refrigerator"), {}, times, dps=30)
    assert seen[0]["columns"] == 0 and seen[0]["per_row"] == len(times)
    _assert_same(got, _per_row("refrigerator", times, 30))


def test_threads_give_the_lone_values(monkeypatch):
    monkeypatch.setattr(sys, "getswitchinterval", sys.getswitchinterval)
    old = sys.getswitchinterval()
    times = [f"{k}/4" for k in range(16)]
    alone = {dps: reference_payload(get_model("refrigerator"), {}, times, dps=dps)
             for dps in (20, 45)}
    results, errors = {}, []

    def work(dps):
        try:
            for _ in range(3):
                out = reference_payload(get_model("refrigerator"), {}, times, dps=dps)
                results.setdefault(dps, []).append(out)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(d,)) for d in (20, 45)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors
    for dps, outs in results.items():
        assert all(out == alone[dps] for out in outs)


@pytest.mark.parametrize("convention", ["received", "provided"])
def test_a_trajectory_in_both_conventions(convention):
    # 60 times over the window of EL23 Fig. 2 (qubits turning passive and back), t = 0
    # among them twice; given parameters (the cached ball forms of plain numbers)
    times = "0,0:12:59"
    given = ["g=0.8", "omega_B=1.5"]
    cols = reference_payload(get_model("refrigerator"), given, times, dps=30,
                             convention=convention)
    model = get_model("refrigerator")
    model.vectorised = False
    rows = reference_payload(model, given, times, dps=30, convention=convention)
    assert cols["convention"] == convention and cols["params"] == rows["params"]
    _assert_same(cols, rows)
    assert cols["rows"][0] == cols["rows"][1]
