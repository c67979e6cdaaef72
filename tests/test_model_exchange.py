"""Two exchanging qubits (SL26 Eq. 32, Figs. 5-7): all 16 initial-state pairs against the
propagator, float64 against mpmath, and the figures' claims."""

import itertools

import mpmath
import numpy as np
import pytest
import sympy

from symthermo.models import get_model
from symthermo.models import exchange as ex
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.propagator import evolve

MODEL = get_model("exchange")
PAIRS = list(itertools.product(ex.STATES, repeat=2))
DETUNED = {"omega_A": "1", "omega_B": "1.3", "g": "0.2"}
GENERIC_TIMES = ["0", "0.9", "13.7", "51.3"]


def _times(p, lib):
    names = {n: sympy.Symbol(n, positive=True) for n in ("omega_A", "omega_B", "g")}
    out = []
    for text in GENERIC_TIMES + list(MODEL.paper_times):
        expr = sympy.sympify(text, locals=names).subs({names[k]: p[k] for k in names})
        out.append(float(expr) if lib is FLOAT64 else mpmath.mpmathify(sympy.N(expr, 50)))
    return out


def _agree(key, a, b, tol):
    """Values agree; a beta of a state that is pure at a figure time is inf on the
    closed-form route and inf or a large number (a rounding residue) on the other."""
    if key.startswith("beta") and (mpmath.isinf(a) or mpmath.isinf(b)):
        return (mpmath.isinf(a) or a > 35) and (mpmath.isinf(b) or b > 35)
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1, abs(b))


@pytest.mark.parametrize("detuned", [False, True], ids=["resonant", "detuned"])
@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_closed_form_matches_propagator_to_25_digits(pair, detuned):
    p = MODEL.params({"state_A": pair[0], "state_B": pair[1], **(DETUNED if detuned else {})})
    with working_precision(30):
        ts = _times(p, MPMATH)
        closed = MODEL.evaluate(p, ts, lib=MPMATH)
        propagated = MODEL.propagate(p, ts, lib=MPMATH)
        for rc, rp in zip(closed, propagated):
            assert set(rc) == set(rp) == set(MODEL.keys())
            for key in rc:
                assert _agree(key, rc[key], rp[key], mpmath.mpf(10) ** -25), (key, rc["t"])


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_float64_matches_dps30(pair):
    for extra in ({}, DETUNED):
        p = MODEL.params({"state_A": pair[0], "state_B": pair[1], **extra})
        fast = MODEL.evaluate(p, _times(p, FLOAT64), lib=FLOAT64)
        with working_precision(30):
            exact = MODEL.evaluate(p, _times(p, MPMATH), lib=MPMATH)
        for rf, rm in zip(fast, exact):
            for key in rf:
                assert _agree(key, mpmath.mpf(rf[key]), rm[key], 1e-12), (extra, key, rf["t"])


def test_derivation_facts():
    d = ex.derive_case("plus", "ground")
    wA, wB, g = (ex._SYMBOLS[n] for n in ("omega_A", "omega_B", "g"))
    assert d["commutes"]
    assert sympy.expand(d["nu2"] - (wA - wB) ** 2 - 4 * g ** 2) == 0
    assert not d["diagonal_A"] and not d["diagonal_B"]  # A's coherence reaches B
    e = ex.derive_case("excited", "ground")
    assert e["diagonal_A"] and e["diagonal_B"]
    # a maximally mixed partner receives no coherence (its |g> and |e> parts cancel)
    m = ex.derive_case("plus", "mixed")
    assert not m["diagonal_A"] and m["diagonal_B"]


def test_excited_ground_resonant_population_is_cos_squared():
    p = MODEL.params({"g": "1/50", "omega_A": "3/2", "omega_B": "3/2"})
    forms = MODEL.closed_forms(p)
    g, w = sympy.Rational(1, 50), sympy.Rational(3, 2)
    assert sympy.simplify(forms.subsystems["A"].energy - w * sympy.cos(g * ex.T) ** 2) == 0
    assert sympy.simplify(forms.subsystems["B"].energy - w * sympy.sin(g * ex.T) ** 2) == 0
    assert forms.interaction_energy == 0
    rows = MODEL.evaluate(p, [0.0, 11.0, 40.0], lib=FLOAT64)
    for r in rows:
        assert r["E_A"] / 1.5 == pytest.approx(np.cos(0.02 * r["t"]) ** 2, abs=1e-14)
        # SL26 Eqs. 33-34: p_e^A(t) = p_g^B(t)
        assert r["E_A"] / 1.5 == pytest.approx(1 - r["E_B"] / 1.5, abs=1e-14)


def test_fig5_no_work_on_B_before_pi_over_4g():
    p = MODEL.params()
    with working_precision(30):
        ts = [mpmath.pi / (4 * mpmath.mpf("0.01")) * k / 20 for k in range(21)]
        for r in MODEL.evaluate(p, ts, lib=MPMATH):
            assert abs(r["W_B"]) < mpmath.mpf(10) ** -28, r["t"]
            assert r["Q_B"] >= 0
        later = [mpmath.pi / (4 * mpmath.mpf("0.01")) * (1 + k / mpmath.mpf(10)) for k in range(1, 11)]
        rows = MODEL.evaluate(p, later, lib=MPMATH)
        assert all(r["W_B"] > 0 for r in rows)
        assert abs(rows[-1]["W_B"] - 1) < mpmath.mpf(10) ** -28  # B fully excited at pi/(2g)
        # A provides work from the start (population inversion consumed)
        assert MODEL.evaluate(p, [mpmath.mpf(30)], lib=MPMATH)[0]["W_A"] < 0


def test_fig6_mutual_information():
    p = MODEL.params()
    with working_precision(30):
        quarter, half = mpmath.pi / (4 * mpmath.mpf("0.01")), mpmath.pi / (2 * mpmath.mpf("0.01"))
        r0, rq, rh = MODEL.evaluate(p, [mpmath.mpf(0), quarter, half], lib=MPMATH)
        assert r0["I_AB"] == 0
        assert abs(rq["I_AB"] - 2 * mpmath.log(2)) < mpmath.mpf(10) ** -27
        assert abs(rh["I_AB"]) < mpmath.mpf(10) ** -27


def test_fig7_coherence_is_handed_over():
    p = MODEL.params({"state_A": "plus"})
    states = MODEL.reduced_states(p)
    t_half = sympy.pi / (2 * sympy.Rational(1, 100))
    rA, rB = (states[n].subs(ex.T, t_half) for n in ("A", "B"))
    assert sympy.simplify(rA[0, 1]) == 0
    assert sympy.simplify(sympy.Abs(rB[0, 1]) - sympy.Rational(1, 2)) == 0
    assert sympy.simplify(rA[0, 0] - 1) == 0 and sympy.simplify(rB[1, 1] - sympy.Rational(1, 2)) == 0
    with working_precision(30):
        half = mpmath.pi / (2 * mpmath.mpf("0.01"))
        rows = MODEL.evaluate(p, [half * k / 10 for k in range(1, 11)], lib=MPMATH)
        assert all(r["W_A"] < 0 and r["W_B"] > 0 for r in rows)
        assert abs(rows[-1]["W_A"] + mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -28
        assert abs(rows[-1]["W_B"] - mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -28
        assert abs(rows[4]["S_A"] - rows[4]["S_B"]) < mpmath.mpf(10) ** -28  # symmetric at pi/4g


@pytest.mark.parametrize("pair", [("plus", "ground"), ("plus", "plus"), ("mixed", "plus"),
                                  ("plus", "mixed")])
def test_lab_frame_reduced_states_match_the_propagator(pair):
    """The closed-form reduced states, coherence phases included, against the propagator
    (a check of the rotating-frame step of the derivation)."""
    p = MODEL.params({"state_A": pair[0], "state_B": pair[1], **DETUNED})
    states = MODEL.reduced_states(p)
    dyn = MODEL.dynamics(p, lib=MPMATH)
    with working_precision(30):
        ts = [mpmath.mpf("0.8"), mpmath.mpf("6.1")]
        rhos = evolve(dyn.hamiltonian, dyn.initial_state, ts, dps=30)
        for t, rho in zip(ts, rhos):
            for k, n in enumerate(("A", "B")):
                red = MPMATH.partial_trace(rho, [2, 2], [k])
                closed = states[n].subs(ex.T, sympy.Rational(str(t)))
                for i in range(2):
                    for j in range(2):
                        value = mpmath.mpmathify(sympy.N(closed[i, j], 40))
                        assert abs(red[i, j] - value) < mpmath.mpf(10) ** -27
