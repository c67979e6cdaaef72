r"""A qubit and a field mode: the Jaynes-Cummings model (SL26 Eq. 28, Figs. 1-4, 10-11, Sec. III A).

H = (omega_A/2) sigma_z + omega_B a^dag a + g (sigma_+ a + sigma_- a^dag).
Subsystem A is the qubit, H_A = (omega_A/2) sigma_z with levels -omega_A/2
(|g>) and +omega_A/2 (|e>): the contract's H_A "exactly as the model defines
it", so E_g = -omega_A/2, whereas SL26's prose says E_g = 0 (a constant
shift: E_A and E^th_A move by omega_A/2, no heat, work, ergotropy, exergy or
beta changes).  Subsystem B is the mode, H_B = omega_B a^dag a, whose
thermal functions are the analytic infinite-dimensional ones
(:class:`~symthermo.levels.Oscillator`); its reduced state is in the Fock
basis.  Qubit basis (|e>, |g>); joint index = (Fock dimension) * qubit + n.

Derivation
----------
N = sigma_ee + a^dag a is conserved: the blocks span{|e,n>, |g,n+1>} and
the singlet |g,0> are derived from the operators and exponentiated by
Cayley-Hamilton in :mod:`symthermo.models.jc_manifolds` (any detuning
delta = (omega_A - omega_B)/2, Omega_n^2 = delta^2 + g^2 (n+1)).

*Vacuum field* (state_B = vacuum): only the singlet and the block n = 0 are
involved, so every reduced quantity is a finite closed form
(:func:`vacuum_forms`).  From |e,0>, p_e = 1 - g^2 sin^2(Omega_0 t)/Omega_0^2
(cos^2(g t) at resonance); the mode is in span{|0>, |1>} with, for the
``plus`` qubit, a coherence <0|rho_B|1> ~ c_g conj(c_e b).  For a pure
global state the non-zero spectra of rho_A and rho_B coincide (Schmidt;
det rho_A = det rho_B = |c_e|^4 |a|^2 |b|^2 is checked in SymPy); for
``mixed`` the global state is (|psi_e><psi_e| + |g,0><g,0|)/2 with
orthogonal terms, so S_AB = ln 2.  beta_B is solved from the entropy with
the analytic oscillator functions.

*Coherent field* (state_B = coherent, |alpha>, alpha real): the reduced
states are sums over the manifolds with Poisson weights
(:mod:`~symthermo.models.jc_manifolds`), evaluated at any precision without
a Fock-space matrix.  rho_A (2x2, with coherence) follows from the manifold
amplitudes; E_B = omega_B (|c_e|^2 + alpha^2 - p_e(t)) from conservation of
N; E_int = 2 g Re <sigma_+ a>.  For a pure global state (excited, ground,
plus) the non-zero spectrum of rho_B is that of rho_A (Schmidt).  For
``mixed`` the global state (|psi_e><psi_e| + |psi_g><psi_g|)/2 is not
pure: rho_B = V V^dag with the four columns <q|psi_r>/sqrt 2 (q, r in
{e, g}), so its non-zero spectrum (rank <= 4) is that of the 4x4 Gram
matrix V^dag V; <psi_e|psi_g> = 0 is conserved, so S_AB = ln 2.  The tests
check this spectrum against a dense truncated Fock computation.

The Fock window kept is reported: ``manifolds`` (excitation-number
manifolds evolved) and ``neglected_weight`` (the Poisson weight outside
the window, evaluated exactly); the window's tail bound is below
10^-(dps + 2 x guard) for a request of dps digits (10^-30 in float64), so
the choice is the same in every re-evaluation of
:func:`~symthermo.precision.stable`.

*Semiclassical regime* (SL26 Sec. III A, Eqs. 12-27), extra keys.  The
approximation taken: B is a classical, undepleted field, rho_B(t) =
|alpha e^{-i omega_B t}><...| (free evolution, no back-action: Eq. 13 is
dropped), and A evolves under the mean-field Hamiltonian of Eq. 14,

    H_A^eff(t) = H_A + Tr_B[rho_B(t) V] = H_A + g alpha (e^{-i omega_B t} sigma_+ + h.c.),

solved exactly in the frame rotating at omega_B (H_rot = delta sigma_z +
g alpha sigma_x; the frame change is checked in SymPy).  In that regime
Q_A = 0 (S_A is constant) and

- ``W_A_semiclassical`` = Delta U_A (received; SL26 Eq. 16 prints the
  provided -Delta U_A),
- ``W_st`` = int_0^t Tr[rho_A dH_A^eff/dt] dt (SL26 Eq. 17; work received),
  a closed form,
- ``E_int_semiclassical`` = Tr[rho_A(t) (x) rho_B(t) V].

Then W_st = W_A_semiclassical + Delta E_int_semiclassical exactly (SL26
Eqs. 20-21, 26 in the received convention); with SL26's own provided
W_A = -Delta U_A (Eq. 16) Eq. 21 as printed has the wrong sign of W_A.  At
resonance E_int_semiclassical is constant, so W_st = W_A_semiclassical.  With
the vacuum (alpha = 0) the mean field vanishes and the three keys are
computed all the same (W = 0, E_int = 0): the semiclassical picture
predicts no exchange, which the exact keys contradict.  ``--convention
provided`` negates the two works like every work.  At resonance the exact
E_int is conserved too ([H, V] = 0), so Delta E_int = 0 in both pictures.

Numerics
--------
The small eigenvalue of a 2x2 reduced state is lam_- = 2 det/(1 + s),
s = sqrt(z^2 + 4|c|^2), with det free of cancellation: a sum of squared
2x2 minors (Cauchy-Binet) for the vacuum, an exact integer Gram
determinant (fixed-point sums) with mpmath, Gram-Schmidt with float64;
lam_+ = 1 - lam_- keeps extra bits, so S and beta of nearly pure states
keep their relative precision.  A lam_- below eps^(3/2) is the exact 0 of a
pure state seen through the rounding of t (t = pi/(2g)) and is returned as
0.  t = 0 of the coherent case is the exact initial state.  beta_B of a
two-valued spectrum is solved from the binary entropy (accurate for small
lam_-) with :func:`~symthermo.beta_from_entropy.beta_for_entropy` and the oscillator.

Propagator route (:meth:`JaynesCummings.propagate`): the vacuum case is
propagated densely on Fock cutoff 2 (by :func:`symthermo.propagator.evolve`
through the base class); the coherent case block by block, each 2x2 block
diagonalised numerically, the state vector reduced by generic sums (E_B
directly as omega_B sum m |psi|^2, not by conservation), and the
semiclassical keys by numeric propagation and quadrature.

>>> from symthermo.models import get_model
>>> from symthermo.numbers import FLOAT64
>>> m = get_model("jaynes-cummings")
>>> p = m.params({})
>>> row = m.evaluate(p, [25.0], lib=FLOAT64)[0]      # p_e = cos^2(g t) at resonance
>>> import math; abs((row["E_A"] + 0.5) - math.cos(0.25) ** 2) < 1e-14
True
"""

from __future__ import annotations

import math

import numpy as np

from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter, PropagatedRows
from .float64_columns import EARNED, _EPS, ColumnRows, column_of
from .jc_coherent import (_amplitude_floor, _ball_gram_spectrum, _ball_neglected_weight,
                          _requested_window_digits, coherent_forms)
from .jc_manifolds import (
    Run,
    fock_amplitudes,
    manifold_sums,
    poisson_window,
    pure_sums_arrays,
    rise_sizes,
    PureSumsSetup,
    ball_pure_sums,
)
from .jc_numbers import _eps, _num, _real, _time
from .jc_propagator import _numeric_operators, _operators, block_rows
from .jc_qubit import _symbolic_constants, runs_of
from .jc_semiclassical import (_SEMICLASSICAL_KEYS, _semiclassical_arrays_fn,
                               _semiclassical_compiled, semiclassical_forms,
                               semiclassical_numeric)
from .jc_spectra import (_assemble_columns, _binary_entropy, _fastest, _h, _mixed_mutual,
                         _qubit_beta, _spectrum_expr, _time_floor, _two_level,
                         _two_level_columns)
from .jc_vacuum import _vacuum_arrays_fn, _vacuum_compiled, vacuum_forms
from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..heat_work import check_convention, sign
from ..numbers import EXACT, FLOAT64
from ..beta_from_entropy import beta_for_entropy
from ..levels import Oscillator

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

# vacuum_forms, semiclassical_forms, coherent_forms and the Pauli matrices live in
# jc_vacuum, jc_semiclassical, jc_coherent and jc_qubit; they are importable from here too
__all__ = ["JaynesCummings", "vacuum_forms", "semiclassical_forms", "coherent_forms",
           "SIGMA_Z", "SIGMA_PLUS", "SIGMA_MINUS", "MAX_ALPHA"]

# (SIGMA_Z, SIGMA_PLUS, SIGMA_MINUS are made on first use: jc_qubit)
#: Fock cutoff of the vacuum propagator route: one excitation at most, so |2> stays empty
VACUUM_FOCK_CUTOFF = 2
#: the largest coherent amplitude: the Fock window evolved grows as alpha
MAX_ALPHA = 1000

STATES_A = ("excited", "ground", "plus", "mixed")
STATES_B = ("vacuum", "coherent")


class JaynesCummings(Model):
    """Qubit + field mode, resonant or detuned (SL26 Eq. 28)."""

    name = "jaynes-cummings"
    source = "SL26 Eq. 28, Figs. 1-4, 10-11, App. B, Sec. III A"
    description = ("qubit (omega_A/2) sigma_z + mode omega_B a^dag a + g (sigma_+ a + h.c.); "
                   "the mode in its vacuum or a coherent state |alpha> (alpha real); "
                   "semiclassical (undepleted mean-field) work as extra keys")
    subsystems = ("A", "B")
    unitary = True
    parameters = (
        Parameter("omega_A", "1", "qubit frequency: H_A = (omega_A/2) sigma_z", latex=r"\omega_A"),
        Parameter("omega_B", "1", "mode frequency: H_B = omega_B a^dag a", latex=r"\omega_B"),
        Parameter("g", "0.01", "coupling g (sigma_+ a + sigma_- a^dag)", latex="g"),
        Parameter("state_A", "excited", "initial qubit state", choices=STATES_A),
        Parameter("state_B", "vacuum", "initial mode state (coherent: |alpha>)",
                  choices=STATES_B),
        Parameter("alpha", "30", "coherent amplitude (real, mean photon number alpha^2); "
                  "used with state_B=coherent", latex=r"\alpha"),
    )
    #: keys that describe the evaluation (its Fock window), not the state: they change
    #: with the working precision, so mpmath's agreement check leaves them out
    window_keys = ("manifolds", "neglected_weight")
    extra_keys = {
        "manifolds": "excitation-number manifolds N = sigma_ee + a^dag a evolved "
                     "(2 for the vacuum: N = 0, 1; for |alpha>: the Fock window + 1)",
        "neglected_weight": "Poisson weight of |alpha> outside the Fock window kept "
                            "(exact; 0 for the vacuum); the window's tail bound is below "
                            "10^-(dps + 20) (10^-30 in float64)",
        "W_A_semiclassical": "Delta U_A of the qubit driven by the undepleted classical field "
                             "alpha e^{-i omega_B t} (H_A^eff of SL26 Eq. 14; Q_A = 0 there), "
                             "work received (SL26 Eq. 16 prints -Delta U_A, provided)",
        "W_st": "standard work int_0^t Tr[rho_A dH_A^eff/dt] dt of that mean-field dynamics "
                "(SL26 Eq. 17), received; closed form",
        "E_int_semiclassical": "Tr[rho_A(t) (x) rho_B(t) V] of that mean-field dynamics; "
                               "W_st = W_A_semiclassical + Delta E_int_semiclassical (Eq. 21)",
    }
    #: Fig. 1's semiclassical window, and the quarter, half, three-quarter and full
    #: vacuum-Rabi periods of Figs. 2-4, 10, 11
    paper_times = ("1/(10*g)", "pi/(4*g)", "pi/(2*g)", "3*pi/(4*g)", "pi/g")

    #: keys that are works (negated by the provided convention)
    _work_extras = ("W_A_semiclassical", "W_st")

    # -- parameters ----------------------------------------------------------
    def check_parameters(self, p):
        for name in ("omega_A", "omega_B", "g"):
            v = p[name]
            if v.is_number and not v.is_positive:
                raise ValueError(f"{name} must be positive, got {v}")
        a = p["alpha"]
        if a.is_number and (a.is_real is False or a.is_negative):
            raise ValueError(f"alpha must be a non-negative real number, got {a}")
        if p["state_B"] == "coherent" and a.is_number and a > MAX_ALPHA:
            # the window holds ~ 2 alpha sqrt(2 ln 10^digits) manifolds, each evolved, and
            # mpmath's incomplete gamma of the neglected weight stops converging near 3000
            raise ValueError(f"alpha = {a} exceeds the limit {MAX_ALPHA} (the Fock window of "
                             f"|alpha> grows as alpha)")

    def unused_parameters(self, p):
        """alpha with the vacuum field: no phase of the closed forms holds it, so it sets
        no time limit (alpha = 30 by default refused t = 1e9 in float64, scale 30, where
        the vacuum's frequencies omega_A, omega_B, g allow it).

        >>> from symthermo.models.jaynes_cummings import JaynesCummings
        >>> m = JaynesCummings()
        >>> m.unused_parameters(m.params()), m.unused_parameters(m.params(["state_B=coherent"]))
        (('alpha',), ())
        """
        return ("alpha",) if p["state_B"] == "vacuum" else ()

    def _alpha_eff(self, p):
        return p["alpha"] if p["state_B"] == "coherent" else sympy.Integer(0)

    def local_hamiltonians(self, p):
        from .jc_qubit import SIGMA_Z  # lazy (PEP 562)
        return {"A": p["omega_A"] / 2 * SIGMA_Z, "B": Oscillator(p["omega_B"])}

    # -- closed forms --------------------------------------------------------
    def closed_forms(self, p):
        from .base import T  # lazy (PEP 562)
        from .jc_qubit import SIGMA_Z  # lazy (PEP 562)
        wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
        H_A = wA / 2 * SIGMA_Z
        sc = semiclassical_forms(wA, wB, g, self._alpha_eff(p), p["state_A"])
        extras = {
            "W_A_semiclassical": sc["U_A"] - sc["U_A"].subs(T, 0),
            "W_st": sc["W_st"],
            "E_int_semiclassical": sc["E_int"],
        }
        notes = {
            "H_A": "H_A = (omega_A/2) sigma_z exactly as the contract asks: E_g = -omega_A/2 "
                   "(SL26's prose says E_g = 0; a constant shift of E_A and Eth_A only)",
            "semiclassical": "B undepleted: rho_B(t) = |alpha e^{-i omega_B t}><.|, qubit under "
                             "H_A^eff(t) = H_A + g alpha (e^{-i omega_B t} sigma_+ + h.c.) "
                             "(SL26 Eqs. 12, 14), solved in the frame rotating at omega_B",
        }
        if p["state_B"] == "vacuum":
            f = vacuum_forms(wA, wB, g, p["state_A"])
            lam_a = _spectrum_expr(f["z_A"], f["c2_A"])
            lam_b = _spectrum_expr(f["z_B"], f["c2_B"])
            pure = f["S_AB"] == 0
            a_forms = LocalForms(H_A, f["E_A"], lam_a, beta=sympy.log(lam_a[1] / lam_a[0]) / wA,
                                 thermal_energy=-wA / 2 + wA * lam_a[0])
            b_forms = LocalForms(Oscillator(wB), f["E_B"], lam_b)
            i_ab = 2 * _h(lam_a[0]) if pure else _h(lam_a[0]) + _h(lam_b[0]) - f["S_AB"]
            notes["manifolds"] = ("vacuum: the singlet |g,0> and the block {|e,0>, |g,1>}; "
                                  f"Omega_0^2 = {f['propagator'].omega2}")
            extras["manifolds"] = sympy.Integer(2)
            extras["neglected_weight"] = sympy.Integer(0)
            return ClosedForms({"A": a_forms, "B": b_forms}, interaction_energy=f["E_int"],
                               mutual_information=i_ab, extras=extras, notes=notes)
        f = coherent_forms(wA, wB, g, p["alpha"], p["state_A"])
        # p_e(t) and rho_eg(t) are named; their series are in the notes
        pe, reg = sympy.Function("p_e")(T), sympy.Function("rho_eg")(T)
        notes["p_e(t)"] = "p_e(t) = " + sympy.sstr(f["p_e"])
        notes["rho_eg(t)"] = ("<e|rho_A|g> up to the phase e^{-i omega_B t}: rho_eg(t) = "
                              + sympy.sstr(f["rho_eg"]))
        z = 2 * pe - 1
        c2 = sympy.Abs(reg) ** 2
        lam_a = _spectrum_expr(z, c2)
        c_e2 = sum(w * ce**2 for w, ce, _ in runs_of(p["state_A"]))
        a_forms = LocalForms(H_A, wA * (pe - sympy.Rational(1, 2)), lam_a,
                             beta=sympy.log(lam_a[1] / lam_a[0]) / wA,
                             thermal_energy=-wA / 2 + wA * lam_a[0])
        if p["state_A"] == "mixed":
            lam_b = [sympy.Function(f"lambda_B{k}")(T) for k in range(1, 5)]
            notes["spectrum_B"] = ("the non-zero eigenvalues of rho_B are those of the 4x4 Gram "
                                   "matrix V^dag V of the columns <q|psi_r>/sqrt 2 "
                                   "(q, r in {e, g}); evaluated numerically")
            i_ab = _h(lam_a[0]) - sum(x * sympy.log(x) for x in lam_b) - sympy.log(2)
        else:
            lam_b = list(lam_a)
            notes["spectrum_B"] = ("pure global state: the non-zero spectrum of rho_B is "
                                   "rho_A's (Schmidt)")
            i_ab = 2 * _h(lam_a[0])
        b_forms = LocalForms(Oscillator(wB), wB * (c_e2 + p["alpha"]**2 - pe), lam_b)
        notes["manifolds"] = ("|alpha> restricted to a Fock window whose Poisson tail is below "
                              "10^-(dps + 20); series over the manifolds evaluated numerically")
        extras["manifolds"] = sympy.Function("manifolds")(T)
        extras["neglected_weight"] = sympy.Function("neglected_weight")(T)
        return ClosedForms({"A": a_forms, "B": b_forms}, interaction_energy=f["E_int"],
                           mutual_information=i_ab, extras=extras, notes=notes)

    # -- closed-form route, numerically ----------------------------------------
    def evaluate(self, p, times, *, lib, convention="received", proven=None):
        rows = super().evaluate(p, times, lib=lib, convention=convention, proven=proven)
        return self._signed(rows, convention)

    def _signed(self, rows, convention):
        s = sign(check_convention(convention))
        if s == 1:
            return rows
        if isinstance(rows, ColumnRows):
            rows.negate(self._work_extras)
            return rows
        for row in rows:
            for key in self._work_extras:
                row[key] = -row[key]
        return rows

    def reduced_data(self, p, times, *, lib):
        from ..balls import BALLS  # lazy: loads SymPy, flint
        if lib is EXACT:
            if p["state_B"] == "coherent":
                raise ValueError("jaynes-cummings with a coherent field has no finite closed "
                                 "form to evaluate exactly; evaluate with dps=N or float64")
            return super().reduced_data(p, times, lib=lib)
        times = [_time(lib, t) for t in times]
        if p["state_B"] == "vacuum":
            core = self._vacuum_core(p, times, lib)
            window = {"manifolds": 2, "neglected_weight": lib.zero}
        elif lib is BALLS:
            core, window = self._coherent_core_balls(p, times, lib)
        else:
            core, window = self._coherent_core(p, times, lib)
        sc = self._semiclassical_values(p, times, lib)
        out = []
        for k, d in enumerate(core):
            d.update(window)
            for key, values in sc.items():
                d[key] = values[k]
            out.append(d)
        return out

    def _vacuum_core(self, p, times, lib):
        from ..balls import BALLS  # lazy: loads SymPy, flint
        fns = _vacuum_compiled(p["omega_A"], p["omega_B"], p["g"], p["state_A"], lib)
        wB = _num(lib, p["omega_B"])
        pure = p["state_A"] != "mixed"
        values = {k: fn(times) for k, fn in fns.items()}
        rate = None if lib is BALLS else _fastest(lib, p)
        wA = _num(lib, p["omega_A"])
        out = []
        for i in range(len(times)):
            v = {k: values[k][i] for k in values}
            floor = None if rate is None else _time_floor(_eps(lib), rate, times[i])
            lam_a = _two_level(lib, v["z_A"], v["c2_A"], v["det_A"], floor)
            lam_b = lam_a if pure else _two_level(lib, v["z_B"], v["c2_B"], v["det_B"], floor)
            d = self._assemble(lib, wB, v["E_A"], v["E_B"], v["E_int"], lam_a, lam_b,
                               pure=pure, s_ab=None if pure else lib.log(2 * lib.one))
            if not pure and lib is FLOAT64:  # as _vacuum_arrays
                z = 2 * (v["E0_A"] + v["dE_A"]) / wA  # p_e - p_g from E_A (accurate)
                bloch = math.sqrt(z * z + 4 * v["c2_A"])
                bloch = 0.0 if bloch <= floor else bloch  # (as _vacuum_arrays)
                d["A"]["beta"] = float(_qubit_beta(np, bloch, lam_a[0], wA))
                d["I_AB"] = float(_mixed_mutual(np, bloch, _binary_entropy(lib, lam_b[0]),
                                                d["I_AB"]))
            if p["state_A"] != "plus":
                # no coherence to start from: rho_A is diagonal, rho_B diagonal on Fock 0, 1
                # (structure the ball route uses for exact zeros, symthermo.balls)
                d["A"]["diagonal"] = d["B"]["diagonal"] = True
            if "dE_A" in v:  # float64, balls: E(t) - E(0) in closed form (base._finish),
                # and E = E(0) + that, as the vectorised route (balls: E_A(0) of |+> is an
                # exact 0, and |g, 0>'s E - E(0) an exact 0, not two balls of omega_A/2)
                d["A"]["dE"], d["B"]["dE"] = v["dE_A"], v["dE_B"]
                d["A"]["E"], d["B"]["E"] = v["E0_A"] + v["dE_A"], v["E0_B"] + v["dE_B"]
            if "above_A" in v:
                d["A"]["above"] = 0.0 if v["above_A"] <= wA * floor else v["above_A"]
            out.append(d)
        return out

    def _assemble(self, lib, wB, e_a, e_b, e_int, lam_a, lam_b, *, pure, s_ab):
        """One time's reduced data; ``lam_b`` a pair (two-valued spectrum) or a list."""
        s_a = _binary_entropy(lib, lam_a[0])
        d_b = {"E": e_b}
        if isinstance(lam_b, tuple):
            s_b = _binary_entropy(lib, lam_b[0])
            d_b["spectrum"] = list(lam_b)
            d_b["beta"] = beta_for_entropy(lib, Oscillator(wB), s_b)
        else:
            d_b["spectrum"] = list(lam_b)
            s_b = entropy_of_spectrum(lib, lam_b)
        i_ab = 2 * s_a if pure else s_a + s_b - s_ab
        return {"A": {"E": e_a, "spectrum": list(lam_a)}, "B": d_b, "E_int": e_int,
                "I_AB": i_ab}

    def _window(self, p, lib):
        digits = _requested_window_digits(lib)
        if lib is FLOAT64:
            # the float64 window does not depend on the working precision, its
            # neglected weight (evaluated by mpmath) only through the last bits
            return self._params_cached(("window", digits, mpmath.mp.prec), p,
                                       lambda: poisson_window(p["alpha"], digits))
        window = poisson_window(p["alpha"], digits)
        return window

    def _float64_amplitudes(self, p, window):
        """fock_amplitudes(alpha, window) as floats, computed once (mpmath) per window."""
        return self._params_cached(("amplitudes", window), p, lambda: [
            float(a) for a in fock_amplitudes(p["alpha"], window)])

    # -- vectorised float64 ----------------------------------------------------
    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` in float64 for all times at once (numpy)."""
        n = len(times)
        if p["state_B"] == "vacuum":
            out = self._vacuum_arrays(p, times)
            out.update({"manifolds": 2, "neglected_weight": 0.0})
        else:
            out = self._coherent_arrays(p, times)
        fn = self._params_cached("semiclassical", p, lambda: _semiclassical_arrays_fn(
            p["omega_A"], p["omega_B"], p["g"], self._alpha_eff(p), p["state_A"]))
        for key, v in zip(_SEMICLASSICAL_KEYS, fn(times)):
            out[key] = column_of(v, n)
        # the semiclassical works touch 0 (W_A_semiclassical = -omega_A sin^2(g alpha t)
        # from |e> at resonance, a Rabi oscillation of size A <= omega_A + 2 g alpha): the
        # rounding of the phase, eps t rate, moves A sin^2 by 2 sqrt(A |W|) eps t rate, above
        # 1e-10 of W where |W| < A (2 EARNED eps t rate)^2 (their closed forms keep their
        # relative precision otherwise: W = 9e-12 at t = 1e-4 has all its digits)
        scale, rate = self._params_cached("semiclassical scale", p, lambda: (
            _num(FLOAT64, p["omega_A"]) + 2 * _num(FLOAT64, p["g"]) * abs(float(
                self._alpha_eff(p))), _num(FLOAT64, _fastest(FLOAT64, p))))
        reach = (2 * EARNED * _EPS * rate) * times
        floor = scale * reach * reach
        near = np.zeros(n, dtype=bool)
        for key in ("W_A_semiclassical", "W_st"):
            v = out[key]
            near |= (v != 0) & (np.abs(v) < floor)
        if near.any():
            out["unearned"] = out["unearned"] | near if "unearned" in out else near
        return out

    def _vacuum_arrays(self, p, times):
        fn = self._params_cached("vacuum", p, lambda: _vacuum_arrays_fn(
            p["omega_A"], p["omega_B"], p["g"], p["state_A"]))
        n = len(times)
        e_a, e_b, e_int, z_a, c2_a, det_a, z_b, c2_b, det_b, de_a, de_b, e0_a, e0_b, above_a = (
            column_of(v, n) for v in fn(times))
        # E = E(0) + (E - E(0)): no cancellation where E is small (E_A from |+> or mixed),
        # and E_A - E_g likewise (E_A rounds it away near the ground level)
        e_a, e_b = e0_a + de_a, e0_b + de_b
        omega_a = self._params_cached("omega_A", p, lambda: _num(FLOAT64, p["omega_A"]))
        pure = p["state_A"] != "mixed"
        rate = self._params_cached("fastest", p, lambda: _fastest(FLOAT64, p))
        # the values that vanish quadratically at some time are 0 below the rounding of t
        # there (_time_floor); a row where one of them is such rounding noise, and not 0,
        # is unearned: reference --float64 recomputes it certified (lam_A = 1.5e-32 at
        # t = 157.0796... was printed 0)
        floor = _time_floor(_eps(FLOAT64), rate, times)
        unearned = np.zeros(n, dtype=bool)

        # ... and it keeps fewer than 10 digits up to (EARNED/2)^2 floor: lam = a u^2 at a
        # distance u from the zero, which the rounding of t moves by floor^(1/2)/8 (its
        # relative error 2 du/u is 1e-10 at 4e10 du)
        near = (EARNED / 2) ** 2 * floor

        def floored(raw):
            unearned[(raw > 0) & (raw <= near)] = True
            return np.where(raw <= floor, 0.0, raw)

        lo_a = floored(_two_level_columns(z_a, c2_a, det_a, 0.0)[0])
        lam_a = (lo_a, 1.0 - lo_a)
        if pure:
            lam_b = lam_a
        else:
            lo_b = floored(_two_level_columns(z_b, c2_b, det_b, 0.0)[0])
            lam_b = (lo_b, 1.0 - lo_b)
        omega_b = self._params_cached("omega_B", p, lambda: _num(FLOAT64, p["omega_B"]))
        out = _assemble_columns(omega_b, e_a, e_b, e_int, lam_a, lam_b, pure=pure)
        if not pure:  # the qubit near identity/2: beta_A and I_AB from its Bloch length
            z = 2 * e_a / omega_a  # p_e - p_g from E_A = E_A(0) + increment (accurate)
            # (identity/2 again at g t = pi: the floor, or I_AB was -1e-64)
            bloch = floored(np.sqrt(z * z + 4 * c2_a))
            out["A"]["beta"] = _qubit_beta(np, bloch, lam_a[0], omega_a)
            out["I_AB"] = _mixed_mutual(np, bloch, out["B"]["S"], out["I_AB"])
        # the energies' increments in closed form (no cancellation at small times)
        out["A"]["dE"], out["B"]["dE"] = de_a, de_b
        # p_e (|g> at g t = pi/2: the spectrum's pure |g>, not E_A's 3.7e-33 above it)
        out["A"]["above"] = omega_a * floored(above_a / omega_a)
        # energies through 0 (E_A = (omega_A/2) cos(2 g t) from |e>): E(0) + Delta E
        # within EARNED times its rounding (an exact 0 is the structure's)
        unearned |= _energies_unearned(times, rate, (e_a, e0_a, de_a), (e_b, e0_b, de_b),
                                       (e_int, 0.0, e_int))
        out["unearned"] = unearned
        if p["state_A"] != "plus":  # as _vacuum_core: rho_A diagonal, rho_B on Fock 0, 1
            out["A"]["diagonal"] = out["B"]["diagonal"] = True
        return out

    def _coherent_arrays(self, p, times):
        lib = FLOAT64

        def constants():
            wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
            exact = runs_of(p["state_A"])
            runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in exact]
            # t = 0 exactly: |q> (x) |alpha>, as _coherent_initial
            pe0 = _num(lib, sum(w * ce * ce for w, ce, _ in exact))
            cc0 = _num(lib, sum(w * ce * cg for w, ce, cg in exact))
            return wA, wB, g, _num(lib, p["alpha"]), runs, pe0, cc0

        wA, wB, g, alpha, runs, pe0, cc0 = self._params_cached("coherent constants", p,
                                                               constants)
        delta = (wA - wB) / 2
        mixed = len(runs) > 1
        window = self._window(p, lib)
        info = {"manifolds": window.manifolds, "neglected_weight": float(window.neglected)}
        n = len(times)
        nonzero = np.flatnonzero(times != 0)
        e_a = np.full(n, wA * (pe0 - 0.5))
        e_b = np.full(n, wB * alpha * alpha)
        e_int = np.full(n, 2 * g * alpha * cc0)
        # E(t) - E(0) from the increment of p_e (jc_manifolds: no cancellation)
        de_a, de_b = np.zeros(n), np.zeros(n)
        above_a = np.full(n, wA * pe0)
        unearned = np.zeros(n, dtype=bool)
        lo_a = np.full(n, 0.5 if mixed else 0.0)
        hi_a = np.full(n, 0.5 if mixed else 1.0)
        if mixed:
            lam_b = [np.zeros(n), np.zeros(n), np.zeros(n), np.ones(n)]
        if nonzero.size:
            ts = times[nonzero]
            amps = self._float64_amplitudes(p, window)
            if mixed:
                sums = manifold_sums(lib, runs, window, amps, delta, g, ts.tolist(), gram=True)

                def total(parts):
                    out = 0.0
                    for r, run in enumerate(runs):
                        out = out + run.weight * np.asarray(parts[r])
                    return out

                pe, pg, spa = total(sums.pe), total(sums.pg), total(sums.sigma_plus_a)
                reg, rise = total(sums.rho_eg), total(sums.rise)
                # each run's terms share one sign (|e>: -, |g>: +), the runs' may not
                size = total([np.abs(x) for x in sums.rise])
                c2 = np.abs(reg) ** 2
                det = pe * pg - c2
            else:
                setup = self._params_cached(("pure sums", window), p, lambda: PureSumsSetup.of(
                    runs[0], window, amps, delta, g,
                    exact=((p["omega_A"] - p["omega_B"]) / 2, p["g"])))
                pe, pg, re, im, det, spa, rise = pure_sums_arrays(setup, ts)
                w0 = runs[0].weight
                pe, pg, spa, rise = 0.0 + w0 * pe, 0.0 + w0 * pg, 0.0 + w0 * spa, w0 * rise
                size = rise_sizes(setup, ts)  # None: the terms share one sign
                size = np.abs(rise) if size is None else w0 * size
                c2 = np.hypot(w0 * re, w0 * im) ** 2
            norm = pe + pg
            fastest = self._params_cached(("fastest", window), p, lambda: _fastest(
                FLOAT64, p, window))
            floor = None if mixed else _amplitude_floor(fastest, ts, pe * pg / norm**2)
            lo, hi = _two_level_columns((pe - pg) / norm, c2 / norm**2, det / norm**2, floor)
            lo_a[nonzero], hi_a[nonzero] = lo, hi
            gram_ev = None
            e_int[nonzero] = 2 * g * spa / norm
            # (below the rounding of t, p_e is 0, as lam_-: _vacuum_arrays)
            above = wA * (pe / norm)
            above_a[nonzero] = np.where(above <= wA * _time_floor(
                _eps(FLOAT64), fastest, ts), 0.0, above)
            de_a[nonzero], de_b[nonzero] = wA * (rise / norm), -wB * (rise / norm)
            # E = E(0) + (E - E(0)): no cancellation where E is small (E_A from |+>)
            e_a[nonzero] = e_a[nonzero] + de_a[nonzero]
            e_b[nonzero] = e_b[nonzero] + de_b[nonzero]
            if mixed:
                G = np.asarray(sums.gram)
                ev = np.linalg.eigvalsh(0.5 * G / norm[:, None, None])
                ev = np.sort(np.where(ev > 0, ev, 0.0), axis=1)
                for j in range(4):
                    lam_b[j][nonzero] = ev[:, j]
                gram_ev = ev
            # the populations' phases: (Omega_n +/- Omega_m) t and (omega_A - omega_B) t
            rate = 2 * (delta * delta + g * g * (window.n_hi + 1)) ** 0.5 + 2 * abs(delta)
            unearned[nonzero] = self._coherent_unearned(
                wA * (pe0 - 0.5), de_a[nonzero], pe / norm, pg / norm, det / norm**2, gram_ev,
                rise, size, rate * ts) | _passive_edge_unearned(ts, wA, pe / norm, pg / norm, c2 / norm**2,
                                                     above_a[nonzero], lo)
        lam_a = (lo_a, hi_a)
        out = _assemble_columns(wB, e_a, e_b, e_int, lam_a, lam_b if mixed else lam_a,
                                pure=not mixed)
        out["A"]["dE"], out["B"]["dE"] = de_a, de_b
        # E_A - E_g = omega_A p_e without E_A's rounding near E_g (the sums' p_e: positive
        # terms, or from the amplitudes where small)
        out["A"]["above"] = above_a
        out["unearned"] = unearned
        out.update(info)
        return out

    @staticmethod
    def _coherent_unearned(e_a0, de_a, pe, pg, det, lam_b, rise, size, phase=0.0):
        """The times (nonzero ones) whose float64 values the sums cannot vouch for to 10
        digits: E_A = E_A(0) + increment far below its terms (the collapse of the qubit's
        inversion: 1e-22 printed as 6e-16), a pure evolution's Gram determinant below
        (8 eps / 1e-10)^2 pe pg (Gram-Schmidt keeps 8 eps (pe pg / det)^(1/2) of it: the
        Schmidt weight of a qubit from |g> at small times), rho_B's small eigenvalues of a
        mixed qubit's evolution below 1e-5 (eigvalsh: absolute eps); the increment of p_e
        below 1e-10 / (eps (16 + 2 ``phase``)) of ``size``, what it is summed from (terms
        of both signs: a qubit from |+>, alpha = 5, lost 2 digits of E_A at t = 900),
        ``phase`` a bound on the terms' phases (rate t), which float64 holds to eps each
        (alpha = 26.4 from |+>, g t = 2900: E_A = -9.4e-6 kept 9.2 digits)."""
        eps = FLOAT64.eps
        e_a = e_a0 + de_a
        out = np.abs(e_a) * 1e-10 < 8 * eps * (abs(e_a0) + np.abs(de_a))
        out |= np.abs(rise) * 1e-10 < eps * size * (16 + 2 * phase)
        if lam_b is None:
            out |= det < (8 * eps / 1e-10) ** 2 * (pe * pg)
        else:
            small = lam_b[:, :-1]
            out |= (small < 1e-5).any(axis=1)  # (0: a true tiny one lost below eps)
        return out

    def _coherent_core(self, p, times, lib):
        wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
        alpha = _num(lib, p["alpha"])
        delta = (wA - wB) / 2
        runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in
                runs_of(p["state_A"])]
        mixed = len(runs) > 1
        window = self._window(p, lib)
        info = {"manifolds": window.manifolds,
                "neglected_weight": float(window.neglected) if lib is FLOAT64
                else +window.neglected}
        nonzero = [k for k, t in enumerate(times) if t != 0]
        computed = {}
        if nonzero:
            amps = (self._float64_amplitudes(p, window) if lib is FLOAT64
                    else fock_amplitudes(p["alpha"], window))
            sums = manifold_sums(lib, runs, window, amps, delta, g,
                                 [times[k] for k in nonzero], gram=mixed)
            rate = _fastest(lib, p, window) if lib is FLOAT64 else None
            # E_A(0) and E_B(0) exactly (as _coherent_initial), for E = E(0) + (E - E(0))
            pe0 = _num(lib, sum(w * ce * ce for w, ce, _ in runs_of(p["state_A"])))
            start = (wA * (pe0 - lib.one / 2), wB * alpha * alpha)
            for j, k in enumerate(nonzero):
                computed[k] = self._coherent_time(lib, runs, sums, j, wA, wB, g, alpha, mixed,
                                                  times[k], rate, start)
        out = []
        for k, t in enumerate(times):
            out.append(computed[k] if k in computed else
                       self._coherent_initial(lib, runs_of(p["state_A"]), wA, wB, g, alpha,
                                              mixed))
        return out, info

    def _coherent_core_balls(self, p, times, lib):
        """The coherent-field reduced data in balls, with the proven bound of the dropped
        manifolds in every radius (:func:`~symthermo.models.jc_manifolds.ball_pure_sums`).

        The Fock window follows the working precision (10^-(bits/3.3 + 10) of Poisson
        weight), so each step of Ziv's loop widens it: a value that the truncation
        bound keeps from being certified is reported as ``m +/- bound``, never with
        digits the dropped manifolds could change.  A mixed qubit (two runs): rho_B's
        spectrum from the Gram matrix of the runs, its eigenvalues enclosed by flint."""
        from ..ball_conversion import ipow, nonnegative  # lazy: loads SymPy, flint
        import flint

        runs = runs_of(p["state_A"])
        mixed = len(runs) > 1
        wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
        alpha = _num(lib, p["alpha"])
        # the detuning from the exact parameters: an exact 0 at resonance, where <sigma_+ a>
        # of a qubit from |e> or |g> vanishes by structure (ball_pure_sums), whatever the
        # balls of omega_A and omega_B (2.3 is no binary number: (wA - wB)/2 held 0 +/- 1e-300
        # and E_int printed 0 +/- 1.1e-298 where float64's delta = 0.0 gives 0)
        delta = _num(lib, (p["omega_A"] - p["omega_B"]) / 2)
        window = poisson_window(p["alpha"], int(flint.ctx.prec * 0.30103) + 10)
        nonzero = [t for t in times if not lib.is_exact_zero(t)]
        balls_runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in runs]
        per_run = []
        for run in balls_runs:
            sums, dropped = ball_pure_sums(lib, run, alpha, delta, g, nonzero, window,
                                           vectors=mixed)
            per_run.append(sums)
        info = {"manifolds": window.manifolds,
                "neglected_weight": _ball_neglected_weight(alpha * alpha, window)}
        ce2 = sum((r.weight * r.c_e * r.c_e for r in balls_runs), lib.zero)
        out, j = [], 0
        for t in times:
            if lib.is_exact_zero(t):
                out.append(self._coherent_initial(lib, runs, wA, wB, g, alpha, mixed))
                continue
            vs = [sums[j] for sums in per_run]
            j += 1
            w = [r.weight for r in balls_runs]
            pe = sum((wr * v["pe"] for wr, v in zip(w, vs)), lib.zero)
            pg = sum((wr * v["pg"] for wr, v in zip(w, vs)), lib.zero)
            re = sum((wr * v["reg_re"] for wr, v in zip(w, vs)), lib.zero)
            im = sum((wr * v["reg_im"] for wr, v in zip(w, vs)), lib.zero)
            spa = sum((wr * v["spa"] for wr, v in zip(w, vs)), lib.zero)
            c2 = nonnegative(ipow(re, 2) + ipow(im, 2))
            lam_a = _two_level(lib, pe - pg, c2, pe * pg - c2)
            e_a = wA * (pe - lib.one / 2)
            e_b = wB * (ce2 + alpha * alpha - pe)
            e_int = 2 * g * spa
            if not mixed:
                out.append(self._assemble(lib, wB, e_a, e_b, e_int, lam_a, lam_a, pure=True,
                                          s_ab=None))
                continue
            lam_b = _ball_gram_spectrum(lib, vs, w)
            out.append(self._assemble(lib, wB, e_a, e_b, e_int, lam_a, lam_b, pure=False,
                                      s_ab=lib.log(2 * lib.one)))
        return out, info

    def _coherent_initial(self, lib, runs, wA, wB, g, alpha, mixed):
        """t = 0 exactly: |q> (x) |alpha>, pure B; E_int = 2 g alpha sum_r w_r c_e c_g."""
        one, zero = lib.one, lib.zero
        # sum_r w_r c_e^2 and sum_r w_r c_e c_g exactly (SymPy), so that E_A(0) = 0 is an exact 0
        pe = _num(lib, sum(w * ce * ce for w, ce, _ in runs))
        cc = _num(lib, sum(w * ce * cg for w, ce, cg in runs))
        e_a = wA * (pe - one / 2)
        e_b = wB * alpha * alpha
        e_int = 2 * g * alpha * cc
        lam_a = (one / 2, one / 2) if mixed else (zero, one)
        if mixed:
            out = self._assemble(lib, wB, e_a, e_b, e_int, lam_a, [zero, zero, zero, one],
                                 pure=False, s_ab=lib.log(2 * one))
        else:
            out = self._assemble(lib, wB, e_a, e_b, e_int, lam_a, (zero, one), pure=True,
                                 s_ab=None)
        if sum(w * ce * cg for w, ce, cg in runs) == 0:
            # rho_A(0) has no coherence (|e>, |g>): diagonal, which the ball finishing turns
            # into the exact 0 of |g>'s ergotropy (E_A - E_g was two balls of omega_A/2)
            out["A"]["diagonal"] = True
        return out

    def _coherent_time(self, lib, runs, sums, j, wA, wB, g, alpha, mixed, t=None, rate=None,
                       start=None):
        zero = lib.zero
        w = [r.weight for r in runs]
        real = float if lib is FLOAT64 else (lambda x: x)
        cplx = complex if lib is FLOAT64 else (lambda x: x)
        pe = sum((w[r] * real(sums.pe[r][j]) for r in range(len(runs))), zero)
        pg = sum((w[r] * real(sums.pg[r][j]) for r in range(len(runs))), zero)
        reg = sum((w[r] * cplx(sums.rho_eg[r][j]) for r in range(len(runs))), zero)
        spa = sum((w[r] * real(sums.sigma_plus_a[r][j]) for r in range(len(runs))), zero)
        c2 = abs(reg) ** 2
        if mixed:
            det = pe * pg - c2
        else:
            det = real(sums.det[0][j])
        norm = pe + pg
        floor = (_amplitude_floor(rate, t, pe * pg / norm**2)
                 if lib is FLOAT64 and not mixed else None)
        if sums.inversion is not None:  # mpmath: pe - pg without rounding to an exact 0
            z = sum((w[r] * sums.inversion[r][j] for r in range(len(runs))), zero) / norm
        else:
            z = (pe - pg) / norm
        lam_a = _two_level(lib, z, c2 / norm**2, det / norm**2, floor)
        ce2 = sum((r.weight * r.c_e * r.c_e for r in runs), zero)
        e_a = wA * z / 2
        e_b = wB * (ce2 + alpha * alpha - pe / norm)
        e_int = 2 * g * spa / norm
        if not mixed:
            out = self._assemble(lib, wB, _real(lib, e_a), _real(lib, e_b), _real(lib, e_int),
                                 lam_a, lam_a, pure=True, s_ab=None)
            return self._with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate)
        G = sums.gram[j]
        if lib is FLOAT64:
            ev = [float(x) for x in np.linalg.eigvalsh(0.5 * G / norm)]
        else:
            ev = [mpmath.re(x) for x in mpmath.eigh(G * (mpmath.mpf(1) / 2 / norm),
                                                    eigvals_only=True)]
        ev = sorted(x if x > 0 else lib.zero for x in ev)
        out = self._assemble(lib, wB, _real(lib, e_a), _real(lib, e_b), _real(lib, e_int),
                             lam_a, ev, pure=False, s_ab=lib.log(2 * lib.one))
        return self._with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate)

    @staticmethod
    def _with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate):
        """E(t) - E(0) from the increment of p_e (float64 sums: ``sums.rise``), as the
        vectorised route: W without the cancellation of E(t) - E(0), and E = E(0) + that
        (E_A = 2.3e-21 at t = 1e-9 from |+>, whose E_A(0) = 0, was 0)."""
        if sums.rise is not None:
            rise = sum((r.weight * float(sums.rise[k][j]) for k, r in enumerate(runs)), 0.0)
            out["A"]["dE"], out["B"]["dE"] = wA * (rise / norm), -wB * (rise / norm)
            out["A"]["E"] = start[0] + out["A"]["dE"]
            out["B"]["E"] = start[1] + out["B"]["dE"]
            above = wA * (pe / norm)  # as the vectorised route
            out["A"]["above"] = 0.0 if above <= wA * _time_floor(_eps(FLOAT64), rate, t) \
                else above
        return out

    def _semiclassical_values(self, p, times, lib):
        fns = _semiclassical_compiled(p["omega_A"], p["omega_B"], p["g"], self._alpha_eff(p),
                                      p["state_A"], lib)
        return {k: fn(times) for k, fn in fns.items()}

    # -- propagator route ----------------------------------------------------
    def dynamics(self, p, *, lib):
        """The joint system on a truncated Fock space.

        Vacuum: cutoff 2 (at most one excitation, |2> stays empty; the base's
        leak check verifies it).  Coherent: the Fock window of
        :func:`~symthermo.models.jc_manifolds.poisson_window` plus one level
        (dense, so only for small alpha: ``propagate(..., route="dense")``).
        """
        wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
        rho_a = sum((w * sympy.Matrix([ce, cg]) * sympy.Matrix([[ce, cg]])
                     for w, ce, cg in runs_of(p["state_A"])), sympy.zeros(2))
        if p["state_B"] == "vacuum":
            n_max = VACUUM_FOCK_CUTOFF
            H, V = _operators(wA, wB, g, n_max)
            vac = sympy.zeros(n_max + 1)
            vac[0, 0] = 1
            return Dynamics(dims=[2, n_max + 1], hamiltonian=H, coupling=V,
                            initial_state=sympy.kronecker_product(rho_a, vac),
                            local_hamiltonians=self.local_hamiltonians(p))
        window = self._window(p, lib)
        n_max = window.n_hi + 1
        amps = fock_amplitudes(p["alpha"], window)
        H, V = _numeric_operators(lib, _num(lib, wA), _num(lib, wB), _num(lib, g), n_max)
        psi = [lib.zero] * (n_max + 1)
        for k, a in enumerate(amps):
            psi[window.n_lo + k] = float(a) if lib is FLOAT64 else a
        field = lib.matrix([[x * y for y in psi] for x in psi]) if lib is not FLOAT64 else \
            np.outer(np.array(psi, dtype=complex), np.array(psi, dtype=complex))
        rho0 = lib.kron(lib.as_matrix(rho_a), lib.as_matrix(field) if lib is FLOAT64 else field)
        return Dynamics(dims=[2, n_max + 1], hamiltonian=H, coupling=V, initial_state=rho0,
                        local_hamiltonians=self.local_hamiltonians(p))

    def propagate(self, p, times, *, lib, convention="received", route=None):
        """Rows of the propagator route.

        Vacuum: the base's dense propagation (Fock cutoff 2).  Coherent:
        ``route="blocks"`` (default) exponentiates each 2x2 block of the
        Fock window numerically (eigendecomposition, no closed form) and
        reduces the joint state vector by generic sums; ``route="dense"``
        propagates the dense truncated system (small alpha only).
        """
        check_convention(convention)
        if route is None:
            route = "dense" if p["state_B"] == "vacuum" else "blocks"
        if route == "dense":
            rows = super().propagate(p, times, lib=lib, convention=convention)
            return self._signed(rows, convention)
        if route != "blocks":
            raise ValueError(f"route must be 'dense' or 'blocks', got {route!r}")
        rows = self._signed(block_rows(self, p, times, lib=lib, convention=convention),
                            convention)
        if lib is not FLOAT64:
            return rows
        # no a-posteriori estimate vouches for the blocks' float64 rows (the ledger's
        # needs the joint state, which the blocks never form), and they lose every
        # digit where a value is small (E_A = -2.4e-16 for 8.7e-20, S_A = 0 for 1.7e-22
        # after 9e-9, beta_A = inf for 37.3): every row is the certified route's
        out = PropagatedRows(rows)
        out.unearned = list(range(len(rows)))
        return out

    def propagated_semiclassical(self, p, times, lib):
        """The semiclassical keys on the propagator route: in float64 by numeric
        propagation and quadrature (:func:`semiclassical_numeric`, a check independent of
        the closed forms); on the certified routes from the closed forms.  In balls
        mpmath's eigensolver and quadrature prove nothing (they stopped every coherent
        field with 'a real quantity evaluated to a complex ball' or 'Cannot hash
        non-exact arb', and printed W_A_semiclassical = 3.97e-82 as proven for the 0 of
        the qubit at rest in its ground state); in mpmath the quadrature, one
        Gauss-Legendre piece per half Rabi period at each of the precisions compared,
        took 145 s per evaluation at t = 300, omega_B - omega_A = 43.5."""
        if lib is FLOAT64:
            return semiclassical_numeric(p, times, lib=lib, alpha=self._alpha_eff(p))
        return self._semiclassical_values(p, times, lib)

    def propagated_extras(self, p, rows, *, lib):
        ts = [row["t"] for row in rows]
        sc = self.propagated_semiclassical(p, ts, lib)
        window = self._window(p, lib) if p["state_B"] == "coherent" else None
        out = []
        for k in range(len(rows)):
            extra = {key: sc[key][k] for key in sc}
            if window is None:
                extra.update({"manifolds": 2, "neglected_weight": lib.zero})
            else:
                extra.update({"manifolds": window.manifolds,
                              "neglected_weight": float(window.neglected) if lib is FLOAT64
                              else +window.neglected})
            out.append(extra)
        return out


def _energies_unearned(times, rate, *energies):
    """The times at which an energy E = E(0) + Delta E (each ``(E, E(0), Delta E)``, arrays
    or numbers) is within :data:`~.float64_columns.EARNED` times its rounding: 4 eps
    (|E(0)| + |Delta E|), and the phase's rounding (eps rate t) times a slope of at most
    rate (|E(0)| + |Delta E|) (twice, for safety); an exact 0 is the structure's."""
    out = np.zeros(len(times), dtype=bool)
    for e, e0, de in energies:
        size = np.abs(de) + np.abs(e0)
        out |= (e != 0) & (np.abs(e) < (EARNED * _EPS) * size * (4 + 2 * rate * times))
    out[times == 0] = False
    return out


def _passive_edge_unearned(times, omega, pe, pg, c2, above, lo):
    """The times at which a qubit (populations ``pe``, ``pg`` normalised, |rho_eg|^2 ``c2``)
    below its midpoint has an ergotropy omega (r + z)/2 = omega 2 c2/(r - z) (no
    cancellation) within EARNED times the rounding of the float64 one, (E - E_g) - omega lo
    (8 eps of E - E_g): printed as noise or clipped to 0."""
    z = pe - pg
    r = np.sqrt(z * z + 4 * c2)
    below = z < 0
    exact = omega * 2 * c2 / np.where(below, r - z, 1.0)
    out = below & (exact < (8 * EARNED * _EPS) * (np.abs(above) + omega * lo)) & (c2 > 0)
    out[times == 0] = False
    return out


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('SIGMA_MINUS', 'SIGMA_PLUS', 'SIGMA_Z'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
