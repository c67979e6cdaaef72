"""The two-qubit refrigerator (EL23 Fig. 2, S20-S26): closed forms against the propagator,
float64 against mpmath, the refrigerator's physics, and the printed S23-S25."""

import time

import mpmath
import numpy as np
import pytest
import sympy

from symthermo.models import get_model
from symthermo.models import refrigerator as fridge
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.propagator import evolve

MODEL = get_model("refrigerator")

PARAM_SETS = {
    "paper": {},
    "detuned": {"omega_A": "0.8", "omega_B": "1.5", "g": "0.5", "beta_A": "1.5",
                "beta_B": "0.9"},
    "resonant": {"omega_A": "1.2", "omega_B": "1.2", "g": "0.8", "beta_A": "3",
                 "beta_B": "2.5"},
}
GENERIC_TIMES = ["0", "0.37", "1", "2.9", "7.25"]


def _times(p, lib):
    """Generic times and the paper's figure times, as numbers of lib."""
    names = {n: sympy.Symbol(n, positive=True) for n in p}
    out = []
    for text in GENERIC_TIMES + list(MODEL.paper_times):
        expr = sympy.sympify(text, locals=names).subs({names[k]: v for k, v in p.items()})
        out.append(float(expr) if lib is FLOAT64 else mpmath.mpmathify(sympy.N(expr, 50)))
    return out


def _close(a, b, tol):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1, abs(b))


@pytest.mark.parametrize("name", PARAM_SETS)
def test_closed_form_matches_propagator_to_25_digits(name):
    p = MODEL.params(PARAM_SETS[name])
    with working_precision(30):
        ts = _times(p, MPMATH)
        closed = MODEL.evaluate(p, ts, lib=MPMATH)
        propagated = MODEL.propagate(p, ts, lib=MPMATH)
        for rc, rp in zip(closed, propagated):
            assert set(rc) == set(rp) == set(MODEL.keys())
            for key in rc:
                assert _close(rc[key], rp[key], mpmath.mpf(10) ** -25), (name, key, rc["t"])


@pytest.mark.parametrize("name", PARAM_SETS)
def test_float64_matches_dps30(name):
    p = MODEL.params(PARAM_SETS[name])
    fast = MODEL.evaluate(p, _times(p, FLOAT64), lib=FLOAT64)
    with working_precision(30):
        exact = MODEL.evaluate(p, _times(p, MPMATH), lib=MPMATH)
    for rf, rm in zip(fast, exact):
        for key in rf:
            assert _close(mpmath.mpf(rf[key]), rm[key], 1e-12), (name, key, rf["t"])


def test_block_frequencies_and_diagonal_reduced_states_are_derived():
    d = fridge.derive_reduced()
    wA, wB, g = (fridge._SYMBOLS[n] for n in ("omega_A", "omega_B", "g"))
    assert sympy.expand(d["lambda2"] - g ** 2 - (wA + wB) ** 2) == 0
    assert sympy.expand(d["Omega2"] - g ** 2 - (wA - wB) ** 2) == 0
    assert d["coherences"] == [0, 0]
    # the closed forms oscillate at exactly these two frequencies
    forms = MODEL.closed_forms(MODEL.params())
    args = {c.args[0] for c in forms.extras["z_A"].atoms(sympy.cos)}
    lam, Om = sympy.sqrt(1 + sympy.Rational(263, 100) ** 2), sympy.sqrt(1 + sympy.Rational(63, 100) ** 2)
    assert {sympy.simplify(a / fridge.T) for a in args} == {lam, Om}


def test_propagated_reduced_states_stay_diagonal():
    p = MODEL.params()
    dyn = MODEL.dynamics(p, lib=MPMATH)
    with working_precision(30):
        states = evolve(dyn.hamiltonian, dyn.initial_state, ["0.8", "3.3", "6.1"], dps=30)
        for rho in states:
            for keep in (0, 1):
                red = MPMATH.partial_trace(rho, [2, 2], [keep])
                assert abs(red[0, 1]) < mpmath.mpf(10) ** -28


def test_initial_populations_are_the_thermal_and_inverted_states():
    """diag((1 + tanh)/2, (1 - tanh)/2) used by the derivation is exp(-beta H)/Z."""
    bA, bB = sympy.Rational(2), sympy.Rational(9, 5)
    wA, wB = sympy.Integer(1), sympy.Rational(163, 100)
    rA, rB = fridge.initial_states(sympy.tanh(bA * wA / 2), sympy.tanh(bB * wB / 2))
    dyn = MODEL.dynamics(MODEL.params(), lib=MPMATH)
    product = fridge._kron(rA, rB)
    for i in range(4):
        assert abs(sympy.N(product[i, i] - dyn.initial_state[i, i], 40)) < 1e-35
    assert float(rA[0, 0]) > float(rA[1, 1])  # A: more weight on |g>
    assert float(rB[1, 1]) > float(rB[0, 0])  # B: inverted


def test_mutual_information_is_the_sum_of_entropy_changes():
    """I_AB(t) = Delta S_A + Delta S_B (closed form) against S_A + S_B - S_AB (propagated)."""
    p = MODEL.params({"g": "0.6"})
    dyn = MODEL.dynamics(p, lib=MPMATH)
    with working_precision(30):
        ts = [mpmath.mpf("1.7"), mpmath.mpf("4.4")]
        rows = MODEL.evaluate(p, ts, lib=MPMATH)
        states = evolve(dyn.hamiltonian, dyn.initial_state, ts, dps=30)
        for row, rho in zip(rows, states):
            s = lambda m: -mpmath.fsum(x * mpmath.log(x) for x in MPMATH.eigvalsh(m) if x > 0)
            joint = s(rho)
            direct = s(MPMATH.partial_trace(rho, [2, 2], [0])) + s(
                MPMATH.partial_trace(rho, [2, 2], [1])) - joint
            assert abs(row["I_AB"] - direct) < mpmath.mpf(10) ** -25
            assert row["I_AB"] > 0.01


def test_refrigeration_near_two_pi_over_omega():
    p = MODEL.params()
    Om = float(np.sqrt(1 + 0.63 ** 2))
    ts = list(np.linspace(0.98, 1.02, 41) * 2 * np.pi / Om)
    rows = MODEL.evaluate(p, ts, lib=FLOAT64)
    assert all(r["Q_A"] < 0 for r in rows), [r["Q_A"] for r in rows]
    # and not at the start: A heats up first
    early = MODEL.evaluate(p, [0.5], lib=FLOAT64)[0]
    assert early["Q_A"] > 0


@pytest.mark.parametrize("name", PARAM_SETS)
def test_cop_never_exceeds_carnot_while_refrigerating(name):
    p = MODEL.params(PARAM_SETS[name])
    ts = list(np.linspace(1e-3, 40, 4001))
    rows = MODEL.evaluate(p, ts, lib=FLOAT64)
    cooling = [r for r in rows if r["Q_A"] < -1e-12]
    if name != "resonant":
        assert cooling, "no refrigeration found"
    for r in cooling:
        assert r["cop"] <= r["carnot"] + 1e-9, (r["t"], r["cop"], r["carnot"])
    assert rows[0]["carnot"] == pytest.approx(
        float(mpmath.mpf(p["beta_B"]) / (mpmath.mpf(p["beta_A"]) - mpmath.mpf(p["beta_B"]))))


def test_cop_at_two_pi_over_omega_is_the_otto_ratio():
    """At Omega t = 2 pi only the |gg>-|ee> block has moved: Delta z_A = Delta z_B, so
    -Q_A/(Q_A + Q_B) = omega_A/(omega_B - omega_A)."""
    p = MODEL.params()
    with working_precision(30):
        t = 2 * mpmath.pi / mpmath.sqrt(1 + mpmath.mpf("0.63") ** 2)
        row = MODEL.evaluate(p, [t], lib=MPMATH)[0]
        assert abs(row["cop"] - 1 / mpmath.mpf("0.63")) < mpmath.mpf(10) ** -27


def test_cop_at_zero_is_its_short_time_limit():
    p = MODEL.params()
    with working_precision(30):
        r0, r1 = MODEL.evaluate(p, [mpmath.mpf(0), mpmath.mpf(10) ** -8], lib=MPMATH)
        assert abs(r0["cop"] - r1["cop"]) < 1e-12
        assert r0["cop"] < 0  # A is heated at first


def test_cop_uses_the_received_convention_whatever_the_output():
    p = MODEL.params()
    a = MODEL.evaluate(p, [3.7, 5.5], lib=FLOAT64)
    b = MODEL.evaluate(p, [3.7, 5.5], lib=FLOAT64, convention="provided")
    for ra, rb in zip(a, b):
        assert rb["Q_A"] == -ra["Q_A"] and rb["W_B"] == -ra["W_B"]
        assert rb["cop"] == ra["cop"]
        assert ra["cop"] == pytest.approx(-ra["Q_A"] / (-ra["W_A"] - ra["W_B"] - ra["E_int"]))


@pytest.mark.parametrize("name", PARAM_SETS)
def test_energy_is_conserved(name):
    p = MODEL.params(PARAM_SETS[name])
    with working_precision(30):
        rows = MODEL.evaluate(p, _times(p, MPMATH), lib=MPMATH)
        for r in rows:
            total = r["E_A"] - rows[0]["E_A"] + r["E_B"] - rows[0]["E_B"] + r["E_int"] - rows[0]["E_int"]
            assert abs(total) < mpmath.mpf(10) ** -28


def test_symbolic_derivation_is_fast():
    saved = dict(fridge._DERIVED)
    fridge._DERIVED.clear()
    try:
        start = time.perf_counter()
        m = fridge.Refrigerator()
        forms = m.closed_forms(m.params({n: "symbol" for n in fridge._SYMBOLS}))
        elapsed = time.perf_counter() - start
    finally:
        fridge._DERIVED.update(saved)
    assert elapsed < 10, elapsed
    assert forms.extras["z_A"].free_symbols == set(fridge._SYMBOLS.values()) | {fridge.T}


# -- the printed S23-S25, transcribed as printed --------------------------------

def _printed(t, *, fix_cos=False, flip_s23=False, fix_bracket=False, fix_sign=False):
    """EL23 Eqs. S23, S24, S25 at the paper's parameters.  S24's garbled tail
    '- tanh(beta_B(0) omega_B/2)) cos(Omega t)]' is dropped (it has no opening bracket)."""
    wA, wB, g, bA, bB = mpmath.mpf(1), mpmath.mpf("1.63"), mpmath.mpf(1), mpmath.mpf(2), mpmath.mpf("1.8")
    lam, Om = mpmath.sqrt(g ** 2 + (wA + wB) ** 2), mpmath.sqrt(g ** 2 + (wA - wB) ** 2)
    tA, tB = mpmath.tanh(bA * wA / 2), mpmath.tanh(bB * wB / 2)
    c_second = mpmath.cos(lam * t) if fix_cos else mpmath.cos(Om * t)
    const = (g ** 2 * (wB ** 2 + wA ** 2) + (wB ** 2 - wA ** 2) ** 2)
    zA = g ** 2 / (2 * Om ** 2 * lam ** 2) * (lam ** 2 * (tA + tB) * mpmath.cos(Om * t)
                                              + Om ** 2 * (tA - tB) * c_second) \
        + (const * tA - 2 * g ** 2 * wA * wB * tB) / (lam ** 2 * Om ** 2)
    zB = g ** 2 / (2 * Om ** 2 * lam ** 2) * (lam ** 2 * (tA + tB) * mpmath.cos(Om * t)
                                              - Om ** 2 * (tA - tB) * c_second) \
        + (const * tB - 2 * g ** 2 * wA * wB * tA) / (lam ** 2 * Om ** 2)
    a, b = bA * wA, bB * wB
    s = -1 if fix_sign else 1
    first = -g ** 2 / (4 * Om ** 2 * lam ** 2) * (
        lam ** 2 * (wB - wA) * (tA + tB) * mpmath.cos(Om * t)
        + s * Om ** 2 * (wB + wA) * (tA - tB) * mpmath.cos(lam * t))
    den = (1 + mpmath.exp(b)) * ((1 + mpmath.exp(a)) if fix_bracket else 1)
    second = g ** 2 / (2 * lam ** 2 * Om ** 2) * (
        (mpmath.exp(a + b) - 1) / ((1 + mpmath.exp(a)) * (1 + mpmath.exp(b))) * lam ** 2 * (wB - wA)
        + (mpmath.exp(b) - mpmath.exp(a)) / den * Om ** 2 * (wB + wA))
    return (-zA if flip_s23 else zA), zB, first + second


def test_printed_S23_S25_against_the_derivation():
    p = MODEL.params()
    with working_precision(30):
        ts = [mpmath.mpf(0), mpmath.mpf(1), mpmath.mpf("2.5"),
              2 * mpmath.pi / mpmath.sqrt(1 + mpmath.mpf("0.63") ** 2)]
        rows = MODEL.evaluate(p, ts, lib=MPMATH)
        tiny = mpmath.mpf(10) ** -27
        for t, r in zip(ts, rows):
            zA, zB, dE = _printed(t)
            # S23 as printed has the wrong overall sign: z_A(0) = +tanh(beta_A omega_A/2)
            # would make the thermal qubit A population-inverted like B
            assert abs(zA + r["z_A"]) > 1e-3 or t == 0
            # with cos(lambda t) in its second term and the sign flipped, S23 is right
            fixed_zA, fixed_zB, _ = _printed(t, fix_cos=True, flip_s23=True)
            assert abs(fixed_zA - r["z_A"]) < tiny
            # S24 (z_B) needs only cos(Omega t) -> cos(lambda t) in its second term
            assert abs(fixed_zB - r["z_B"]) < tiny
            if t != 0:
                assert abs(zB - r["z_B"]) > 1e-3
            # S25: the second bracket lacks (1 + e^{beta_A omega_A}) in a denominator and
            # the cos(lambda t) term has the wrong sign; as printed Delta E_int(0) != 0
            assert abs(dE - r["E_int"]) > 1e-3
            _, _, half_fixed = _printed(t, fix_bracket=True)
            assert abs(half_fixed - r["E_int"]) > 1e-4
            _, _, fixed = _printed(t, fix_bracket=True, fix_sign=True)
            assert abs(fixed - r["E_int"]) < tiny
        assert rows[0]["z_A"] < 0 < rows[0]["z_B"]
