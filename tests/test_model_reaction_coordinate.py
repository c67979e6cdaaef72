"""reaction-coordinate (SL26 Eq. 42, App. C): closed form against the propagator in
every damping regime, float64 against mpmath, limits, and the Lorentzian mapping."""

import math

import mpmath
import pytest
import sympy

from symthermo.models import T, get_model
from symthermo.models.reaction_coordinate import (lorentzian_mapping,
                                                  lorentzian_spectral_density)
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.tables import time_values

MODEL = get_model("reaction-coordinate")
TOL = mpmath.mpf("1e-25")

#: Figs. 9, 12, 13 (kappa = 0.8, 10, 0.01 lam), the critical point, and a detuned mode
REGIMES = {
    "fig9": {"kappa": "0.8*lam"},
    "fig12": {"kappa": "10*lam"},
    "fig13": {"kappa": "0.01*lam"},
    "critical": {"kappa": "4*lam"},
    "detuned": {"omega_rc": "0.97", "kappa": "2*lam", "lam": "0.02"},
    "mixed": {"state_A": "mixed", "kappa": "0.8*lam", "omega": "1.3", "omega_rc": "1.3"},
}


def _close(x, y, tol):
    if mpmath.isinf(x) or mpmath.isinf(y):
        return x == y
    return abs(x - y) <= tol * max(1, abs(x), abs(y))


#: the propagator costs ~3 s per time at dps 30: three times for the paper's regimes
#: (a generic short and long time and the quarter vacuum-Rabi period), two for the others
TIMES = {"fig9": 3, "fig12": 3, "fig13": 3, "critical": 3, "detuned": 2, "mixed": 2}


def _times(p, count=4):
    paper = time_values(MODEL.paper_times[:1], p, lib=MPMATH)
    return ([mpmath.mpf("3.7")] + paper + [mpmath.mpf("61.25")])[:count]


@pytest.mark.parametrize("regime", list(REGIMES))
def test_closed_form_matches_propagator_to_25_digits(regime):
    p = MODEL.params(REGIMES[regime])
    with working_precision(30):
        times = _times(p, TIMES[regime])
        closed = MODEL.evaluate(p, times, lib=MPMATH)
        propagated = MODEL.propagate(p, times, lib=MPMATH)  # Fock cutoff 2; the leak check runs
        assert set(closed[0]) == set(MODEL.keys()) == set(propagated[0])
        for a, b in zip(closed, propagated):
            for key in MODEL.keys():
                assert _close(a[key], b[key], TOL), (regime, a["t"], key, a[key], b[key])


def test_provided_convention_negates_heat_and_work_only():
    """(The propagator route's convention is the base's; here the closed-form route.)"""
    p = MODEL.params(REGIMES["fig9"])
    with working_precision(30):
        rec = MODEL.evaluate(p, [mpmath.mpf(90)], lib=MPMATH)[0]
        prov = MODEL.evaluate(p, [mpmath.mpf(90)], lib=MPMATH, convention="provided")[0]
        for key in MODEL.keys():
            sign = -1 if key[:2] in ("Q_", "W_") else 1
            assert _close(rec[key], sign * prov[key], TOL), key
        assert abs(rec["Q_B"]) > mpmath.mpf("0.1")  # the sign flip is visible


@pytest.mark.parametrize("regime", list(REGIMES))
def test_float64_matches_mpmath(regime):
    p = MODEL.params(REGIMES[regime])
    # generic times: every population stays above 1e-3, where float64 keeps 1 - p exact
    # enough for S and beta (near-pure states lose float64 digits in S, not in the forms)
    times = ["0", "3.7", "40", "100", "250", "500"]
    with working_precision(30):
        exact = MODEL.evaluate(p, [mpmath.mpf(t) for t in times], lib=MPMATH)
    floats = MODEL.evaluate(p, [float(t) for t in times], lib=FLOAT64)
    for a, b in zip(floats, exact):
        for key in MODEL.keys():
            y = b[key]
            if mpmath.isinf(y):
                assert math.isinf(a[key]), key
                continue
            assert abs(a[key] - float(y)) <= 1e-12 * max(1.0, abs(float(y))), (regime, key, a["t"])


def test_float64_survives_long_times_without_overflow():
    p = MODEL.params({"kappa": "1"})  # kappa = 100 lam: cosh(s t) alone overflows at t ~ 2800
    rows = MODEL.evaluate(p, [5000.0, 20000.0], lib=FLOAT64)
    with working_precision(30):
        exact = MODEL.evaluate(p, [mpmath.mpf(5000), mpmath.mpf(20000)], lib=MPMATH)
    for a, b in zip(rows, exact):
        assert abs(a["E_A"] - float(b["E_A"])) < 1e-12
        assert math.isfinite(a["E_B"]) and abs(a["E_B"] - float(b["E_B"])) < 1e-12


def _populations(p, times, dps=30):
    """(P_e, <a^dag a>) from the closed-form reduced data."""
    with working_precision(dps):
        rows = MODEL.reduced_data(p, times, lib=MPMATH)
        w = mpmath.mpf(sympy.N(p["omega"], 60))
        wr = mpmath.mpf(sympy.N(p["omega_rc"], 60))
        return [(r["A"]["E"] / w + mpmath.mpf(1) / 2, r["B"]["E"] / wr) for r in rows]


def test_total_excitation_decays_at_rate_kappa_times_photons():
    p = MODEL.params(REGIMES["fig9"])
    ts = [mpmath.mpf(k) * 7 for k in range(0, 160)]
    pops = _populations(p, ts)
    n_exc = [pe + n for pe, n in pops]
    assert all(b <= a + mpmath.mpf("1e-30") for a, b in zip(n_exc, n_exc[1:]))
    assert n_exc[-1] < mpmath.mpf("0.02")
    # dN/dt = -kappa <a^dag a>: the closed forms differentiated by SymPy
    for regime in ("fig9", "critical", "detuned"):
        p = MODEL.params(REGIMES[regime])
        forms = MODEL.closed_forms(p)
        n_mode = forms.subsystems["B"].energy / p["omega_rc"]
        n_exc = forms.subsystems["A"].energy / p["omega"] + sympy.Rational(1, 2) + n_mode
        residual = sympy.lambdify(T, sympy.diff(n_exc, T) + p["kappa"] * n_mode, "mpmath")
        photons = sympy.lambdify(T, n_mode, "mpmath")
        with working_precision(40):
            for t in (11, 150, 400):
                assert abs(residual(mpmath.mpf(t))) < mpmath.mpf("1e-38"), (regime, t)
                assert photons(mpmath.mpf(t)) > mpmath.mpf("1e-3")


def test_strong_damping_gives_exponential_decay_at_4_lam2_over_kappa():
    """Fig. 12's remark: kappa >> lam eliminates the mode; the error is O((lam/kappa)^2)."""
    lam = mpmath.mpf("0.01")
    scaled = []
    for ratio in (10, 30, 100, 300):
        p = MODEL.params({"kappa": f"{ratio}*lam"})
        rate = 4 * lam / ratio  # 4 lam^2/kappa
        ts = [k / rate * mpmath.mpf(4) / 40 for k in range(1, 41)]
        pops = _populations(p, ts, dps=20)
        err = max(abs(pe - mpmath.exp(-rate * t)) for (pe, _), t in zip(pops, ts))
        scaled.append(err * ratio**2)
    # measured: err = 6.1, 7.0, 6.9, 6.9 (lam/kappa)^2: quadratic convergence
    assert all(4 < s < 8 for s in scaled), scaled
    assert abs(scaled[-1] - scaled[-2]) < mpmath.mpf("0.05")


def test_vanishing_damping_is_vacuum_jaynes_cummings():
    p = MODEL.params({"kappa": "0"})
    ts = [mpmath.mpf(t) for t in ("1", "57.3", "157", "400")]
    with working_precision(30):
        lam = mpmath.mpf("0.01")
        for (pe, n), t in zip(_populations(p, ts), ts):
            assert abs(pe - mpmath.cos(lam * t) ** 2) < mpmath.mpf("1e-28")
            assert abs(n - mpmath.sin(lam * t) ** 2) < mpmath.mpf("1e-28")
    # kappa -> 0 continuously: kappa = 1e-9 lam stays within O(kappa t) of it
    p = MODEL.params({"kappa": "1e-9*lam"})
    for (pe, _), t in zip(_populations(p, ts), ts):
        assert abs(pe - mpmath.cos(lam * t) ** 2) < 1e-11 * (1 + t)


def test_critical_damping_is_the_limit_of_both_neighbours():
    ts = [mpmath.mpf(t) for t in ("13", "150", "420")]
    crit = _populations(MODEL.params({"kappa": "4*lam"}), ts)
    for side in ("4*lam*(1 - 1/10**12)", "4*lam*(1 + 1/10**12)"):
        near = _populations(MODEL.params({"kappa": side}), ts)
        with working_precision(30):
            for (a, b), (c, d) in zip(crit, near):
                assert abs(a - c) < mpmath.mpf("1e-12") and abs(b - d) < mpmath.mpf("1e-12")
                assert abs(a - c) > mpmath.mpf("1e-20")  # really a different kappa


def test_interaction_energy_vanishes_at_resonance_only():
    with working_precision(30):
        t = [mpmath.mpf(70)]
        on = MODEL.evaluate(MODEL.params(REGIMES["fig9"]), t, lib=MPMATH)[0]
        off = MODEL.evaluate(MODEL.params(REGIMES["detuned"]), t, lib=MPMATH)[0]
    assert on["E_int"] == 0
    assert abs(off["E_int"]) > mpmath.mpf("1e-4")


def test_symbolic_form_continues_analytically_across_regimes():
    """The symbolic cos/sinc form, evaluated with numbers, equals each numeric branch."""
    lam, kappa = sympy.symbols("lam kappa", positive=True)
    forms = MODEL.closed_forms(MODEL.params({"lam": "symbol", "kappa": "symbol"}))
    energy = forms.subsystems["A"].energy
    for ratio in (sympy.Rational(8, 10), sympy.Integer(4), sympy.Integer(10)):
        values = {lam: sympy.Rational(1, 100), kappa: ratio / 100}
        numeric = MODEL.closed_forms(MODEL.params({"kappa": str(ratio / 100)}))
        for t in (sympy.Integer(17), sympy.Integer(300)):
            a = sympy.N(energy.subs(values).subs(T, t), 40)
            b = sympy.N(numeric.subsystems["A"].energy.subs(T, t), 40)
            assert abs(a - b) < 1e-35, (ratio, t)


def test_mode_keeps_no_coherence_and_stays_in_one_excitation():
    """The structure the closed form rests on, seen by the (float64) propagator."""
    from symthermo.propagator import evolve

    p = MODEL.params(REGIMES["detuned"])
    dyn = MODEL.dynamics(p, lib=FLOAT64)
    H = FLOAT64.as_matrix(dyn.hamiltonian)
    L = [(float(r), FLOAT64.as_matrix(op)) for r, op in dyn.lindblad]
    for rho in evolve(H, FLOAT64.as_matrix(dyn.initial_state), [37.0, 180.0], lindblad=L):
        rho_a = FLOAT64.partial_trace(rho, [2, 3], [0])
        rho_b = FLOAT64.partial_trace(rho, [2, 3], [1])
        assert abs(rho_a[0, 1]) < 1e-13 and abs(rho_b[0, 1]) < 1e-13
        assert abs(rho_b[2, 2]) < 1e-13 and abs(rho_b[1, 1]) > 1e-3
        # |g,0> carries no coherence with the one-excitation block (joint index 3 q + n)
        assert max(abs(rho[3, k]) for k in (0, 4)) < 1e-13 and rho[3, 3].real > 1e-3


def test_unsupported_initial_states_are_refused():
    with pytest.raises(ValueError, match="plus"):
        MODEL.params({"state_A": "plus"})
    with pytest.raises(ValueError, match="coherent"):
        MODEL.params({"state_B": "coherent"})


def test_ground_state_stays_put():
    p = MODEL.params({"state_A": "ground"})
    with working_precision(30):
        row = MODEL.evaluate(p, [mpmath.mpf(123)], lib=MPMATH)[0]
    assert row["E_A"] == -mpmath.mpf(1) / 2 and row["E_B"] == 0 and row["I_AB"] == 0


# -- the Lorentzian spectral density (SL26 Eq. C5) -----------------------------------------

@pytest.mark.parametrize("gamma", ["0.01", "0.3", "1", "2", "3.5"])
def test_rc_coupling_is_the_integral_of_the_spectral_density(gamma):
    m = lorentzian_mapping("1.2", gamma, "0.01")
    with mpmath.workdps(30):
        wc, g, lam = mpmath.mpf("1.2"), mpmath.mpf(gamma), mpmath.mpf("0.01")
        points = [0, wc * (1 - min(g, 1) / 2), wc, wc * (1 + g / 2), 4 * wc, mpmath.inf]
        integral = mpmath.quad(lambda w: lorentzian_spectral_density(w, wc, g, lam), points)
        assert abs(integral - mpmath.mpf(sympy.N(m.coupling_squared, 40))) < 1e-24 * integral
        assert abs(mpmath.mpf(sympy.N(m.lam, 40)) ** 2 - integral) < 1e-24 * integral


@pytest.mark.parametrize("gamma", ["0.001", "0.01", "0.1"])
def test_rc_damping_is_the_width_and_golden_rule_rate_is_4_lam2_over_kappa(gamma):
    w = sympy.Symbol("w", positive=True)
    g = sympy.Rational(gamma)
    m = lorentzian_mapping(1, gamma, "0.01")
    assert m.omega_rc == 1 and m.kappa == g
    D = lorentzian_spectral_density(w, sympy.Integer(1), g, sympy.Rational(1, 100))
    # golden rule at the qubit frequency: 2 pi D(omega_c) = 4 lam^2/kappa, exactly
    lam2 = sympy.Rational(1, 100) ** 2
    assert sympy.simplify(2 * sympy.pi * D.subs(w, 1) - 4 * lam2 / m.kappa) == 0
    # full width at half maximum of D -> kappa (relative error O(gamma^2))
    peak = max(sympy.solve(sympy.numer(sympy.together(sympy.diff(D, w))), w))
    f = sympy.lambdify(w, D, "mpmath")
    with mpmath.workdps(30):
        wp = mpmath.mpf(sympy.N(peak, 40))
        half = f(wp) / 2
        gm = mpmath.mpf(gamma)
        lo = mpmath.findroot(lambda x: f(x) / half - 1, (wp - gm, wp), solver="anderson")
        hi = mpmath.findroot(lambda x: f(x) / half - 1, (wp, wp + gm), solver="anderson")
        assert abs((hi - lo) / gm - 1) < gm**2
        # and the coupling tends to Eq. C5's lam: lam_RC/lam - 1 = O(gamma)
        assert abs(mpmath.mpf(sympy.N(m.lam, 40)) / mpmath.mpf("0.01") - 1) < gm
