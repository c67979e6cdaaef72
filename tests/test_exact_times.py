"""Exact zeros and infinities at exact special times (symthermo.exact_times, issue 9).

Each certified ``reference`` row at an exact time is checked against two
independent routes: the mpmath route at 60 digits (which knows no structure: it
prints the cancellations that give a structural 0 as ``0 +/- r``, r far below
the printed digits, and inf where the structure gives it) and the ball route at
twice the digits.  A printed exact ``0``/``inf`` must be the mpmath value; every
other printed value must lie within its ``err`` of the 60-digit value.  A plain
decimal time next to a special one never gets an exact zero.
"""

import mpmath
import pytest
import sympy

from symthermo.exact_times import (MAX_TERMS, MAX_TIMES, expansion_size, merge_proven,
                                   prove_rational, proven_data, proven_times)
from symthermo.models import get_model
from symthermo.tables import reference_payload


def _rows(model, times, *, dps=20, system="balls", params=()):
    m = get_model(model)
    return reference_payload(m, dict(params), times, dps=dps, number_system=system)["rows"]


def _mp(text):
    return mpmath.mpf(text) if text not in ("inf", "-inf") else (
        mpmath.inf if text == "inf" else -mpmath.inf)


def _mp_bounded(text):
    """(value, radius) of a printed value: ``m +/- r`` is m within r, others exact."""
    if " +/- " in text:
        mid, rad = text.split(" +/- ")
        return _mp(mid), _mp(rad)
    return _mp(text), mpmath.mpf(0)


def _check_against(rows, reference, exact_keys=()):
    """Every value of ``rows`` (balls) agrees with ``reference`` (mpmath, more digits)."""
    with mpmath.workdps(80):
        for row, ref in zip(rows, reference):
            for key, text in row.items():
                if key in ("err", "t") or ref[key] is None:
                    continue
                want, slack = _mp_bounded(ref[key])
                assert slack < mpmath.mpf("1e-55"), (key, ref[key])
                if text in ("inf", "-inf"):
                    assert want == _mp(text), (key, text, ref[key])
                    assert row["err"][key] == "0"
                elif text == "0":
                    assert abs(want) < mpmath.mpf("1e-55"), (key, ref[key])
                    assert row["err"][key] == "0"
                elif " +/- " in text:
                    mid, rad = text.split(" +/- ")
                    assert abs(want - _mp(mid)) <= _mp(rad) + slack, (key, text, ref[key])
                else:
                    err = _mp(row["err"][key])
                    assert abs(want - _mp(text)) <= err * (1 + mpmath.mpf("1e-10")) + slack, (
                        key, text, ref[key], row["err"][key])
            for key in exact_keys:
                assert row[key] in ("0", "inf") and row["err"][key] == "0", (key, row[key])


def _check_doubled(model, times, **kw):
    """The 20-digit values are the 40-digit ones rounded (exact values stay exact)."""
    low, high = _rows(model, times, dps=20, **kw), _rows(model, times, dps=40, **kw)
    for a, b in zip(low, high):
        for key, text in a.items():
            if key == "err":
                continue
            if text in ("0", "inf", "-inf") or " +/- " in b[key]:
                assert b[key] == text or " +/- " in b[key], (key, text, b[key])
                continue
            assert " +/- " not in text, (key, text)
            with mpmath.workdps(60):
                assert mpmath.nstr(_mp(b[key]), 20, strip_zeros=False) == mpmath.nstr(
                    _mp(text), 20, strip_zeros=False), (key, text, b[key])


class TestExchange:
    def test_full_swap_is_exact(self):
        # A (excited) and B (ground) swap exactly at g t = pi/2: both pure again
        times = "pi/(2*g)"
        rows = _rows("exchange", times)
        pure = ["E_A", "S_A", "S_B", "beta_A", "beta_B", "Eth_A", "Eth_B", "Q_A", "Q_B",
                "ergotropy_A", "exergy_A", "I_AB", "sigma_A", "sigma_B", "E_int"]
        row = rows[0]
        assert (row["S_A"], row["S_B"], row["beta_A"], row["beta_B"]) == ("0", "0", "inf", "inf")
        assert (row["E_A"], row["Q_A"], row["Q_B"], row["I_AB"]) == ("0", "0", "0", "0")
        assert (row["sigma_A"], row["sigma_B"]) == ("0", "0")
        # the work is the whole quantum: exact too (err 0)
        assert row["err"]["W_A"] == row["err"]["E_B"] == "0"
        _check_against(rows, _rows("exchange", times, dps=60, system="mpmath"), pure)

    def test_quarter_swap_agrees_with_mpmath(self):
        times = "pi/(4*g)"
        rows = _rows("exchange", times)
        # A and B are maximally mixed (ln 2 each): beta exactly 0, no other new zero
        assert rows[0]["beta_A"] == rows[0]["beta_B"] == "0"
        assert rows[0]["S_A"].startswith("0.693147180559945309")
        _check_against(rows, _rows("exchange", times, dps=60, system="mpmath"))

    def test_doubled_digits(self):
        _check_doubled("exchange", "pi/(2*g),pi/(4*g),pi/(3*g)")

    def test_decimal_time_near_the_swap_has_no_false_zero(self):
        # 157.0796326794896619 is 50 pi to 19 digits, not 50 pi: the state is not pure
        row = _rows("exchange", "157.0796326794896619")[0]
        for key in ("E_A", "S_A", "Q_A", "I_AB"):
            assert row[key] != "0" and row["err"][key] != "0", (key, row[key])
        assert row["beta_A"] != "inf"
        _check_against([row], _rows("exchange", "157.0796326794896619", dps=60,
                                    system="mpmath"))


class TestSpontaneousEmission:
    def test_half_life_is_maximally_mixed(self):
        rows = _rows("spontaneous-emission", "log(2)/gamma,2*log(2)/gamma")
        half, quarter = rows
        for key in ("E_A", "beta_A", "ergotropy_A", "exergy_A", "Eth_A"):
            assert half[key] == "0" and half["err"][key] == "0", (key, half[key])
        assert half["S_A"] == "0.69314718055994530942"
        # P_e = 1/4: E_A = -1/4 and P_e proven to every printed digit (the exact route is
        # taken only where the balls left a value undecided, not here), beta = ln 3
        assert quarter["E_A"] == "-0.25000000000000000000" and float(quarter["err"]["E_A"]) < 1e-20
        assert quarter["P_e"] == "0.25000000000000000000" and float(quarter["err"]["P_e"]) < 1e-20
        with mpmath.workdps(40):  # omega = 1
            assert quarter["beta_A"] == mpmath.nstr(mpmath.log(3), 20, strip_zeros=False)
        assert quarter["ergotropy_A"] == quarter["exergy_A"] == "0"
        reference = _rows("spontaneous-emission", "log(2)/gamma,2*log(2)/gamma", dps=60,
                          system="mpmath")
        _check_against(rows, reference)

    def test_doubled_digits(self):
        _check_doubled("spontaneous-emission", "log(2)/gamma,2*log(2)/gamma,3/gamma")

    def test_decimal_half_life_is_a_ball(self):
        row = _rows("spontaneous-emission", "69.31471805599453094")[0]
        for key in ("E_A", "beta_A", "exergy_A"):
            assert row[key] != "0" and row["err"][key] != "0", (key, row[key])


class TestOtherModels:
    def test_refrigerator_block_period(self):
        # the block of frequency sqrt(13969)/100 completes a period (the other does not:
        # incommensurate): no exact zero beyond the structural ones
        times = "200*pi/sqrt(13969)"
        rows = _rows("refrigerator", times)
        assert all(" +/- " not in v for k, v in rows[0].items() if k != "err")
        _check_against(rows, _rows("refrigerator", times, dps=60, system="mpmath"))

    def test_jaynes_cummings_vacuum_rabi(self):
        # vacuum Rabi: at g t = pi/2 the excitation is in the mode (Fock 1, pure)
        rows = _rows("jaynes-cummings", "pi/(2*g),pi/g")
        assert rows[0]["S_A"] == rows[0]["S_B"] == "0"
        assert rows[0]["beta_A"] == rows[0]["beta_B"] == "inf"
        assert rows[0]["sigma_A"] == rows[0]["I_AB"] == "0"
        assert rows[0]["manifolds"] == "2"  # a count stays a count
        reference = _rows("jaynes-cummings", "pi/(2*g),pi/g", dps=60, system="mpmath")
        _check_against(rows, reference)

    def test_jaynes_cummings_half_rabi_oscillator_is_not_maximally_mixed(self):
        # at g t = pi/4 the mode holds [1/2, 1/2] on Fock 0, 1: equal eigenvalues, but an
        # oscillator's thermal state with entropy ln 2 has beta > 0 (not the qubit's 0)
        rows = _rows("jaynes-cummings", "pi/(4*g)")
        assert rows[0]["beta_A"] == "0"
        assert rows[0]["beta_B"] not in ("0", "inf")
        _check_against(rows, _rows("jaynes-cummings", "pi/(4*g)", dps=60, system="mpmath"))

    def test_reaction_coordinate_agrees(self):
        rows = _rows("reaction-coordinate", "pi")
        _check_against(rows, _rows("reaction-coordinate", "pi", dps=60, system="mpmath"))

    def test_qutrit_swap_paper_times_stay_honest(self):
        # no exact route (beta_B(0) is the root of an entropy equation): balls only,
        # each within its bound of the 60-digit mpmath values
        m = get_model("qutrit-swap")
        times = ",".join(m.paper_times)
        rows = _rows("qutrit-swap", times)
        _check_against(rows, _rows("qutrit-swap", times, dps=60, system="mpmath"))


class TestProofs:
    @pytest.mark.parametrize("expr, value", [
        (sympy.cos(sympy.pi / 2) ** 2, 0),
        (sympy.sin(sympy.pi / 6) + sympy.cos(sympy.pi / 3), 1),
        ((sympy.sqrt(2) + 1) * (sympy.sqrt(2) - 1), 1),
        (sympy.exp(-sympy.log(2)), sympy.Rational(1, 2)),
        (sympy.log(8) / sympy.log(2), 3),
    ])
    def test_proven(self, expr, value):
        assert prove_rational(expr) == value

    @pytest.mark.parametrize("expr", [
        sympy.pi - sympy.Rational(314159265358979, 10 ** 14),  # close to 0, not 0
        sympy.cos(1), sympy.log(3), sympy.nan, sympy.zoo, sympy.oo,
        sympy.Symbol("x"),
    ])
    def test_not_proven(self, expr):
        assert prove_rational(expr) is None

    def test_large_expression_is_left_alone(self):
        big = sum(sympy.cos(k * sympy.sqrt(2)) ** 2 for k in range(1, 200))
        assert prove_rational(big) is None

    def test_plain_times_get_no_exact_route(self):
        m = get_model("exchange")
        p = m.params({})
        assert proven_data(m, p, sympy.Rational(314, 2)) is None

    def test_merge_keeps_counts_and_unproven_balls(self):
        from symthermo.balls import BALLS, ball_precision

        with ball_precision(80):
            ball = BALLS.number(sympy.pi)
            data = {"A": {"E": ball, "spectrum": [ball, ball]}, "manifolds": 2, "I_AB": ball}
            proven = {"A": {"E": None, "spectrum": [sympy.Integer(0), None]},
                      "manifolds": sympy.Integer(2), "I_AB": sympy.Integer(0)}
            out = merge_proven(data, proven, BALLS)
            assert out["manifolds"] == 2 and type(out["manifolds"]) is int
            assert out["A"]["E"] is ball and out["A"]["spectrum"] == [ball, ball]
            assert out["I_AB"].is_zero() and out["I_AB"].is_exact()


class TestDeterministicBudget:
    """The budget is an operation count: the same input gives the same output on any
    machine and at any load (no clock is read), and bad input still finishes."""

    def test_no_clock_is_read(self, monkeypatch):
        import time

        m = get_model("exchange")
        p = m.params({})
        times = [sympy.pi / (2 * p["g"]), sympy.pi / (4 * p["g"]), sympy.Rational(1, 3)]
        calm = proven_times(m, p, times)

        def slow_machine():
            raise AssertionError("exact_times read the clock")

        monkeypatch.setattr(time, "monotonic", slow_machine)
        monkeypatch.setattr(time, "perf_counter", slow_machine)
        monkeypatch.setattr(time, "time", slow_machine)
        assert proven_times(m, p, times) == calm
        assert calm[0]["A"]["E"] == 0 and calm[2] is None

    def test_expansion_size_bounds_expand(self):
        x, y, z = sympy.symbols("x y z")
        for expr in [(x + y) ** 5 * (x + z), (x + y + z) ** 6, sympy.exp((x + 1) * (y + 2))]:
            expanded = sympy.expand(expr)
            assert len(sympy.Add.make_args(expanded)) <= expansion_size(expr)
        assert expansion_size((x + y) ** 10 ** 6) == MAX_TERMS + 1  # saturates, no big ints

    def test_over_the_budget_is_left_to_the_balls(self):
        # equal to 1/2, but the expansion of (1 + sqrt(2))**3000 is over the budget
        huge = 2 * (1 + sympy.sqrt(2)) ** 3000 * (sympy.sqrt(2) - 1) ** 3000
        assert expansion_size(huge) > MAX_TERMS
        assert prove_rational(1 / huge) is None
        assert prove_rational(1 / (2 * (1 + sympy.sqrt(2)) ** 3 * (sympy.sqrt(2) - 1) ** 3)) == \
            sympy.Rational(1, 2)

    def test_a_time_over_the_budget_is_not_evaluated(self, monkeypatch):
        m = get_model("spontaneous-emission")
        p = m.params({})
        t = sympy.log(2 * (1 + sympy.sqrt(2)) ** 3000 * (sympy.sqrt(2) - 1) ** 3000) / p["gamma"]

        def never(*args, **kwargs):
            raise AssertionError("the closed forms were evaluated at a time over the budget")

        monkeypatch.setattr(m, "reduced_data", never)
        assert proven_data(m, p, t) is None

    def test_bad_input_finishes(self):
        import time

        m = get_model("spontaneous-emission")
        p = m.params({})
        # large multinomials of square roots, near the budget's bounds
        bad = [sympy.log(2 * (1 + sympy.sqrt(2) + sympy.sqrt(k + 3)) ** 30
                         / (sympy.sqrt(k + 3) - sympy.sqrt(2) + 1) ** 30) / p["gamma"]
               for k in range(20)]
        start = time.perf_counter()
        out = proven_times(m, p, bad)
        assert time.perf_counter() - start < 5
        # tried exactly when within the budget: k + 3 = 4, 8, 9, 16, 18 (sqrt(k + 3) an
        # integer or a multiple of sqrt(2): two terms per base)
        assert [d is not None for d in out] == [expansion_size(t) <= MAX_TERMS for t in bad]
        assert sum(d is not None for d in out) == 5

    def test_at_most_max_times_are_tried(self):
        m = get_model("exchange")
        p = m.params({})
        times = [sympy.Rational(1, 3)] + [(2 * k + 1) * sympy.pi / (2 * p["g"])
                                          for k in range(MAX_TIMES + 3)]
        out = proven_times(m, p, times)
        assert out[0] is None  # a plain time uses no share of the cap
        assert all(d["A"]["E"] == 0 for d in out[1:MAX_TIMES + 1])
        assert out[MAX_TIMES + 1:] == [None] * 3
