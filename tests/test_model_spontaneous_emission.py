"""spontaneous-emission (SL26 Eqs. 35-41, Fig. 8): closed form against the propagator,
float64 against mpmath, and the physics of the branch switch at tau = ln 2/gamma."""

import math

import mpmath
import pytest
import sympy

from symthermo.models import T, get_model
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.tables import time_values

MODEL = get_model("spontaneous-emission")
PARAM_SETS = [{}, {"omega": "2", "gamma": "0.05"}, {"omega": "0.7", "gamma": "1/3"}]


def _tau(p):
    return mpmath.log(2) / mpmath.mpf(sympy.N(p["gamma"], mpmath.mp.dps + 5))


def _times(p):
    """Generic times on both sides of tau, the paper's times, and tau itself."""
    g = mpmath.mpf(sympy.N(p["gamma"], mpmath.mp.dps + 5))
    tau = _tau(p)
    paper = time_values(MODEL.paper_times, p, lib=MPMATH)
    return [mpmath.mpf("0.37") / g, tau * mpmath.mpf("0.999"), tau, tau * mpmath.mpf("1.001"),
            mpmath.mpf("2.9") / g] + paper


def _close(x, y, tol):
    if mpmath.isinf(x) or mpmath.isinf(y):
        return x == y
    return abs(x - y) <= tol * max(1, abs(x), abs(y))


@pytest.mark.parametrize("given", PARAM_SETS)
@pytest.mark.parametrize("convention", ["received", "provided"])
def test_closed_form_matches_propagator_to_25_digits(given, convention):
    p = MODEL.params(given)
    with working_precision(30):
        times = _times(p)
        closed = MODEL.evaluate(p, times, lib=MPMATH, convention=convention)
        propagated = MODEL.propagate(p, times, lib=MPMATH, convention=convention)
    assert set(closed[0]) == set(MODEL.keys()) == set(propagated[0])
    for a, b in zip(closed, propagated):
        for key in MODEL.keys():
            assert _close(a[key], b[key], mpmath.mpf("1e-25")), (given, a["t"], key, a[key], b[key])


@pytest.mark.parametrize("given", PARAM_SETS)
def test_float64_matches_mpmath(given):
    p = MODEL.params(given)
    with working_precision(30):
        times = _times(p)
        exact = MODEL.evaluate(p, times, lib=MPMATH)
    floats = MODEL.evaluate(p, [float(t) for t in times], lib=FLOAT64)
    for a, b in zip(floats, exact):
        for key in MODEL.keys():
            y = b[key]
            if mpmath.isinf(y):
                assert math.isinf(a[key])
                continue
            assert abs(a[key] - float(y)) <= 1e-12 * max(1.0, abs(float(y))), (key, a["t"])


def test_excited_population_and_switching_time_are_derived():
    w, g = sympy.symbols("omega gamma", positive=True)
    forms = MODEL.closed_forms({"omega": w, "gamma": g})
    p_e = forms.extras["P_e"]
    # P_e solves dP_e/dt = -gamma P_e (SL26 Eq. 35 projected on |e><e|) from P_e(0) = 1
    assert sympy.simplify(sympy.diff(p_e, T) + g * p_e) == 0
    assert p_e.subs(T, 0) == 1
    tau = sympy.log(2) / g
    assert sympy.simplify(p_e.subs(T, tau) - sympy.Rational(1, 2)) == 0
    # beta is exactly 0 at tau on both branches, and the thermal energy is continuous
    beta = forms.subsystems["A"].beta
    eth = forms.subsystems["A"].thermal_energy
    assert sympy.simplify(beta.subs(T, tau)) == 0
    assert sympy.simplify(eth.subs(T, tau)) == 0
    values = {w: sympy.Rational(3, 2), g: sympy.Rational(1, 40)}
    tau_n = tau.subs(values)
    for side in (tau_n - sympy.Rational(1, 10**40), tau_n + sympy.Rational(1, 10**40)):
        assert abs(sympy.N(beta.subs(values).subs(T, side), 50)) < 1e-38
        assert abs(sympy.N(eth.subs(values).subs(T, side), 50)) < 1e-38


def test_beta_infinite_at_zero_then_zero_at_tau_then_positive():
    p = MODEL.params({})
    with working_precision(30):
        tau = _tau(p)
        rows = MODEL.evaluate(p, [mpmath.mpf(0), tau / 2, tau, 2 * tau], lib=MPMATH)
    assert mpmath.isinf(rows[0]["beta_A"]) and rows[0]["beta_A"] > 0
    assert rows[1]["beta_A"] > 0
    assert abs(rows[2]["beta_A"]) < mpmath.mpf("1e-25")
    assert rows[3]["beta_A"] > 0
    # the thermal state puts the larger population on the ground level on both sides
    for row in rows:
        assert row["Eth_A"] <= 0


def test_work_provided_before_tau_and_constant_after():
    p = MODEL.params({})
    w = 1
    with working_precision(30):
        tau = _tau(p)
        before = [tau * k / 10 for k in range(1, 10)]
        after = [tau * (1 + k / mpmath.mpf(3)) for k in range(0, 12)]
        rows_b = MODEL.evaluate(p, before, lib=MPMATH, convention="provided")
        rows_a = MODEL.evaluate(p, after, lib=MPMATH, convention="provided")
        assert all(r["W_A"] > 0 for r in rows_b)
        assert all(r2["W_A"] > r1["W_A"] for r1, r2 in zip(rows_b, rows_b[1:]))  # growing
        w_tau = rows_a[0]["W_A"]
        for r in rows_a:
            assert abs(r["W_A"] - w_tau) < mpmath.mpf("1e-28")
        # the heat absorbed before tau (provided Q < 0) is the correlation build-up of SL26
        assert all(r["Q_A"] < 0 for r in rows_b)
        assert abs(w_tau - w) < mpmath.mpf("1e-28")  # W(tau) = 2 omega (1 - 1/2) = omega


def test_heat_follows_standard_heat_after_tau():
    """SL26 after Eq. 41: for t > tau the heat changes as the standard heat does."""
    p = MODEL.params({"omega": "1.5", "gamma": "0.02"})
    for convention in ("received", "provided"):
        with working_precision(30):
            tau = _tau(p)
            rows = MODEL.evaluate(p, [tau] + [tau * (1 + k) for k in (0.5, 1, 3, 7)],
                                  lib=MPMATH, convention=convention)
            r0 = rows[0]
            for r in rows[1:]:
                dq = r["Q_A"] - r0["Q_A"]
                dq_st = r["Q_standard"] - r0["Q_standard"]
                assert abs(dq - dq_st) < mpmath.mpf("1e-28")
                assert abs(dq) > mpmath.mpf("1e-3")  # a real change, not 0 = 0
        # but before tau they differ in sign (received: standard heat < 0, Q > 0)
        with working_precision(30):
            early = MODEL.evaluate(p, [tau / 3], lib=MPMATH, convention=convention)[0]
        assert early["Q_A"] * early["Q_standard"] < 0


def test_standard_heat_is_the_whole_energy_change_in_both_conventions():
    p = MODEL.params({})
    with working_precision(30):
        times = _times(p)
        rec = MODEL.evaluate(p, times, lib=MPMATH, convention="received")
        prov = MODEL.evaluate(p, times, lib=MPMATH, convention="provided")
        e0 = MODEL.evaluate(p, [mpmath.mpf(0)], lib=MPMATH)[0]["E_A"]
        for r, q in zip(rec, prov):  # differences taken at the working precision
            assert abs(r["Q_standard"] - (r["E_A"] - e0)) < mpmath.mpf("1e-28")
            assert abs(q["Q_standard"] + r["Q_standard"]) < mpmath.mpf("1e-28")
            assert abs(q["Q_A"] + q["W_A"] - q["Q_standard"]) < mpmath.mpf("1e-28")


def test_printed_equations_39_40_hold_and_41_differs():
    """SL26 Eqs. 39-41 (provided convention), against the derived rows."""
    p = MODEL.params({})
    w = mpmath.mpf(1)
    with working_precision(30):
        tau = _tau(p)
        rows0 = MODEL.evaluate(p, [mpmath.mpf(0)], lib=MPMATH, convention="provided")[0]
        early, late = MODEL.evaluate(p, [tau / 2, 2 * tau], lib=MPMATH, convention="provided")
        pe = early["P_e"]
        assert abs(early["Q_A"] - (-w * (1 - pe))) < mpmath.mpf("1e-28")  # Eq. 39
        assert abs(early["W_A"] - 2 * w * (1 - pe)) < mpmath.mpf("1e-28")  # Eq. 40
        assert abs(early["E_A"] - rows0["E_A"] - w * (pe - 1)) < mpmath.mpf("1e-28")  # Delta U
        pe = late["P_e"]
        printed_41 = w * (pe - 1)
        assert abs(late["Q_A"] - (-w * pe)) < mpmath.mpf("1e-28")  # the derivation
        assert abs(late["Q_A"] - printed_41) > mpmath.mpf("0.4")  # Eq. 41 as printed differs
        # Eq. 38 printed as omega (P_e - 1) is the *received* standard heat
        assert abs(late["Q_standard"] - (-printed_41)) < mpmath.mpf("1e-28")


def test_symbolic_derivation_is_fast_and_agrees_with_numbers():
    import time

    start = time.perf_counter()
    forms = MODEL.closed_forms(MODEL.params({"omega": "symbol", "gamma": "symbol"}))
    assert time.perf_counter() - start < 10
    w, g = sympy.symbols("omega gamma", positive=True)
    values = {w: sympy.Rational(3, 2), g: sympy.Rational(1, 40)}
    numeric = MODEL.closed_forms(MODEL.params({"omega": "1.5", "gamma": "0.025"}))
    for t in (sympy.Integer(7), sympy.Integer(40)):
        a = forms.subsystems["A"].thermal_energy.subs(values).subs(T, t)
        b = numeric.subsystems["A"].thermal_energy.subs(T, t)
        assert abs(sympy.N(a - b, 40)) < 1e-35


def test_propagator_keeps_the_qubit_diagonal():
    from symthermo.propagator import evolve

    p = MODEL.params({})
    dyn = MODEL.dynamics(p, lib=MPMATH)
    with working_precision(30):
        states = evolve(dyn.hamiltonian, dyn.initial_state, [mpmath.mpf(13), mpmath.mpf(170)],
                        lindblad=dyn.lindblad, dps=30)
    for rho in states:
        assert abs(rho[0, 1]) < mpmath.mpf("1e-28")
