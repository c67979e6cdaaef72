r"""Two-qubit autonomous refrigerator (EL23 Fig. 2; Supplement Eqs. S20-S26).

H = (omega_A/2) sigma_z^A + (omega_B/2) sigma_z^B + (g/2) sigma_x^A sigma_x^B,
no rotating-wave approximation.  Qubit A starts thermal at beta_A; qubit B
starts in the population inversion sigma_x w_B(beta_B) sigma_x of a thermal
state, whose entropy-matched inverse temperature beta_B(0) is beta_B itself
(sigma_x keeps the spectrum).

Basis and signs: each qubit in the order {|g>, |e>}, sigma_z = diag(-1, +1)
(sigma_z|e> = +|e>, so E_e = +omega/2), joint basis |gg>, |ge>, |eg>, |ee>
with A first.  z_j = Tr[sigma_z rho_j] = p_e - p_g.

Derivation (done by :func:`derive_reduced`, in SymPy, from the Hamiltonian):

- H couples only |gg> <-> |ee> and |ge> <-> |eg>: two 2x2 blocks with
  eigenfrequencies lambda = sqrt(g^2 + (omega_A + omega_B)^2) and
  Omega = sqrt(g^2 + (omega_A - omega_B)^2) (read off the blocks, not assumed);
- the initial state is diagonal, hence block-diagonal, so rho(t) stays
  block-diagonal; every coherence of a reduced state, <g|rho_A|e> =
  rho_{gg,eg} + rho_{ge,ee}, is a cross-block element and vanishes at all
  times: the reduced states are diagonal, r_j = |z_j| (checked symbolically);
- each block evolves as a spin in a static field: its population difference
  is D(0) [n_z^2 + n_x^2 cos(nu t)], so z_A, z_B and E_int = Tr[rho V] are
  short sums of a constant, cos(lambda t) and cos(Omega t).

With tau_j = tanh(beta_j omega_j / 2):

    z_A(t) = -tau_A + g^2 (tau_A - tau_B)/(2 lambda^2) (1 - cos lambda t)
                    + g^2 (tau_A + tau_B)/(2 Omega^2) (1 - cos Omega t)
    z_B(t) =  tau_B + g^2 (tau_A - tau_B)/(2 lambda^2) (1 - cos lambda t)
                    - g^2 (tau_A + tau_B)/(2 Omega^2) (1 - cos Omega t)
    E_int(t) = -g^2 (omega_A + omega_B)(tau_A - tau_B)/(4 lambda^2) (1 - cos lambda t)
               - g^2 (omega_A - omega_B)(tau_A + tau_B)/(4 Omega^2) (1 - cos Omega t)

(the code derives these and the tests compare them with the propagator).
Then E_j = omega_j z_j / 2, E^th_j = -omega_j r_j / 2, beta_j =
ln[(1 + r_j)/(1 - r_j)]/omega_j, and, for a unitary evolution from a product
state, I_AB(t) = Delta S_A(t) + Delta S_B(t) (the joint entropy is constant).

>>> from symthermo.models.refrigerator import Refrigerator
>>> m = Refrigerator()
>>> forms = m.closed_forms(m.params())
>>> sorted(forms.extras)
['carnot', 'cop', 'r_A', 'r_B', 'z_A', 'z_B']
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..compiled import NumericParams
from ..numbers import EXACT, FLOAT64, MPMATH
from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter
from .blocks import _kron, cosine_series, evolve_in_blocks, half_angle_to_full
from .local_rows import _to_lib
from .qubit_columns import entropy_increments, finish_qubit_columns, finish_qubits, qubit_entropy_beta
from .refrigerator_cop import carnot_bound, coefficient_of_performance, cop_columns
from .refrigerator_rounding import RefrigeratorChecks, SeriesRounding

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["Refrigerator", "derive_reduced", "hamiltonians"]

_PARAMETERS = (
    Parameter("omega_A", "1", "frequency of qubit A (H_A = (omega_A/2) sigma_z)",
              latex=r"\omega_A"),
    Parameter("omega_B", "1.63", "frequency of qubit B (H_B = (omega_B/2) sigma_z)",
              latex=r"\omega_B"),
    Parameter("g", "1", "coupling, V = (g/2) sigma_x (x) sigma_x", latex="g"),
    Parameter("beta_A", "2", "inverse temperature of A's initial thermal state "
              "(= beta_A(0); EL23's beta_A(0) hbar omega_A = 2 at omega_A = 1)",
              latex=r"\beta_A"),
    Parameter("beta_B", "1.8", "B starts in sigma_x w_B(beta_B) sigma_x, the population "
              "inversion of a thermal state at beta_B; beta_B = beta_B(0), the entropy-matched "
              "inverse temperature of rho_B(0). An absolute inverse temperature (in units of "
              "1/omega_A only because omega_A = 1): EL23's caption gives beta_B hbar omega_A = 1.8",
              latex=r"\beta_B"),
)


# -- the derivation ---------------------------------------------------------------

_DERIVED = {}


def _qubit_ops():
    sz = sympy.diag(-1, 1)  # basis {|g>, |e>}
    sx = sympy.Matrix([[0, 1], [1, 0]])
    return sz, sx


def hamiltonians(wA, wB, g):
    """(H_A, H_B, V, H) in the basis {|g>, |e>} per qubit, A first."""
    sz, sx = _qubit_ops()
    HA, HB = wA / 2 * sz, wB / 2 * sz
    V = g / 2 * _kron(sx, sx)
    I2 = sympy.eye(2)
    return HA, HB, V, _kron(HA, I2) + _kron(I2, HB) + V


def initial_states(tA, tB):
    """rho_A(0) = w_A(beta_A) and rho_B(0) = sigma_x w_B(beta_B) sigma_x, with
    tau = tanh(beta omega / 2): exp(-beta H)/Z = diag((1 + tau)/2, (1 - tau)/2)."""
    return sympy.diag((1 + tA) / 2, (1 - tA) / 2), sympy.diag((1 - tB) / 2, (1 + tB) / 2)


def derive_reduced():
    """z_A, z_B, E_int as SymPy expressions in t, tau_A, tau_B, lambda, Omega and
    the parameter symbols, derived from the Hamiltonian (cached).

    Returns a dict with ``z_A``, ``z_B``, ``E_int`` (each the value at 0 plus a
    combination of (1 - cos lambda t) and (1 - cos Omega t)), ``lambda2`` and
    ``Omega2`` (the squared block frequencies as found from H) and
    ``coherences`` (the reduced states' off-diagonal elements, all 0).
    """
    from .base import T  # lazy (PEP 562)
    from .refrigerator import _LAM, _OM, _SYMBOLS, _TAU_A, _TAU_B  # lazy (PEP 562)
    if _DERIVED:
        return _DERIVED
    wA, wB, g = _SYMBOLS["omega_A"], _SYMBOLS["omega_B"], _SYMBOLS["g"]
    HA, HB, V, H = hamiltonians(wA, wB, g)
    # propagate a generic diagonal state (populations p_k, linear algebra stays
    # small), then insert the product of the initial states
    pops = sympy.symbols("p_0:4", real=True)
    rA0, rB0 = initial_states(_TAU_A, _TAU_B)
    product = _kron(rA0, rB0)
    fill = {pk: sympy.expand(product[k, k]) for k, pk in enumerate(pops)}
    rho_t, freqs = evolve_in_blocks(H, sympy.diag(*pops))
    # name the block frequencies: lambda for the block whose nu^2 contains (wA + wB)^2
    rename = {}
    out = {}
    for nu, nu2, C, S in freqs:
        if sympy.expand(nu2 - g ** 2 - (wA + wB) ** 2) == 0:
            rename[nu] = _LAM
            out["lambda2"] = nu2
        elif sympy.expand(nu2 - g ** 2 - (wA - wB) ** 2) == 0:
            rename[nu] = _OM
            out["Omega2"] = nu2
        else:  # pragma: no cover - the Hamiltonian is fixed
            raise AssertionError(f"unexpected block frequency^2 {nu2}")
    sz, _ = _qubit_ops()
    rho_A = _partial_trace_2x2(rho_t, keep=0)
    rho_B = _partial_trace_2x2(rho_t, keep=1)
    out["coherences"] = [half_angle_to_full(x, freqs).subs(fill) for x in (rho_A[0, 1], rho_B[0, 1])]
    nu_sq = {nu: nu2 for nu, nu2, _, _ in freqs}

    def tidy(expr):
        """value at 0 + sum_k c_k (1 - cos nu_k t), each c_k factored."""
        expr = half_angle_to_full(expr, freqs)
        squares = {nu ** 2: v for nu, v in nu_sq.items()}
        at0 = sympy.cancel(expr.subs(T, 0).subs(squares))
        total = sympy.factor(sympy.expand(at0.subs(fill)))
        for nu in nu_sq:
            coeff = sympy.collect(expr.coeff(sympy.cos(nu * T)), pops, evaluate=False)
            coeff = sum((sympy.cancel(sympy.expand(c).subs(squares)) * fill[pk]
                         for pk, c in coeff.items()), sympy.Integer(0))
            num, den = sympy.fraction(sympy.cancel(coeff))
            den = sympy.factor(den).subs({v: m ** 2 for m, v in nu_sq.items()})
            coeff = sympy.factor(num) / den
            total += -coeff * (1 - sympy.cos(nu * T))
        return total.subs(rename)

    out["z_A"] = tidy((rho_A * sz).trace())
    out["z_B"] = tidy((rho_B * sz).trace())
    out["E_int"] = tidy((rho_t * V).trace())
    if any(sympy.simplify(c) != 0 for c in out["coherences"]):
        raise AssertionError("reduced states are not diagonal")  # pragma: no cover
    _DERIVED.update(out)
    return _DERIVED


def _partial_trace_2x2(rho, keep):
    out = sympy.zeros(2)
    for a in range(2):
        for b in range(2):
            if keep == 0:
                out[a, b] = rho[2 * a, 2 * b] + rho[2 * a + 1, 2 * b + 1]
            else:
                out[a, b] = rho[a, b] + rho[2 + a, 2 + b]
    return out


def _qubit_entropy(r):
    lo, hi = (1 - r) / 2, (1 + r) / 2
    return -lo * sympy.log(lo) - hi * sympy.log(hi)


class Refrigerator(Model):
    name = "refrigerator"
    source = "EL23 Fig. 2; Supplement Eqs. S20-S26"
    description = ("two qubits, (omega_j/2) sigma_z^j + (g/2) sigma_x sigma_x (no RWA); A thermal, "
                   "B a population-inverted thermal state: B cools A (basis {|g>,|e>}, "
                   "sigma_z|e> = +|e>)")
    parameters = _PARAMETERS
    extra_keys = {
        "z_A": "Tr[sigma_z rho_A] = p_e - p_g of qubit A",
        "z_B": "Tr[sigma_z rho_B] = p_e - p_g of qubit B",
        "r_A": "Bloch-vector length of rho_A (= |z_A|: the reduced states stay diagonal)",
        "r_B": "Bloch-vector length of rho_B (= |z_B|)",
        "cop": "coefficient of performance eta = -Q_A/(-W_A - W_B - Delta E_int), received "
               "convention whatever the output convention; at t = 0 its limit "
               "-Eth_A(0)/(Eth_A(0) + Eth_B(0)) (both heats grow as t^2); +-inf where the "
               "denominator is proven 0, 0 +/- inf (no finite bound) where it is 0 as far as "
               "the balls can tell (at resonance, t = 2 pi k/Omega)",
        "carnot": ("Carnot bound beta_B(0)/(beta_A(0) - beta_B(0)), beta_j(0) entropy-matched "
                   "(= beta_j: B's flipped thermal state has w_B's spectrum); inf at equal "
                   "temperatures"),
    }
    unitary = True
    #: the ball route takes plain numbers (compiled.NumericParams) without SymPy
    numeric_balls = True
    paper_times = ("pi/sqrt(g**2 + (omega_A - omega_B)**2)",
                   "2*pi/sqrt(g**2 + (omega_A - omega_B)**2)",
                   "3*pi/sqrt(g**2 + (omega_A - omega_B)**2)")

    def __init__(self):
        self._cache = {}

    # -- hooks -----------------------------------------------------------
    def check_parameters(self, p):
        for name in ("omega_A", "omega_B", "g"):
            v = p[name]
            if isinstance(v, sympy.Basic) and v.is_number and v == 0:
                raise ValueError(f"{name} must be > 0, got {v}")

    def closed_forms(self, p) -> ClosedForms:
        from .base import T  # lazy (PEP 562)
        from .refrigerator import _LAM, _OM, _SYMBOLS, _TAU_A, _TAU_B  # lazy (PEP 562)
        key = ("forms",) + tuple(sorted((k, sympy.srepr(v)) for k, v in p.items()))
        if key in self._cache:
            return self._cache[key]
        d = derive_reduced()
        wA, wB, g, bA, bB = (p[n] for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B"))
        subs = {_SYMBOLS[n]: p[n] for n in _SYMBOLS}
        lam = sympy.sqrt(g ** 2 + (wA + wB) ** 2)
        Om = sympy.sqrt(g ** 2 + (wA - wB) ** 2)
        full = {_TAU_A: sympy.tanh(bA * wA / 2), _TAU_B: sympy.tanh(bB * wB / 2), _LAM: lam, _OM: Om}
        zA = d["z_A"].subs(subs).subs(full)
        zB = d["z_B"].subs(subs).subs(full)
        Eint = d["E_int"].subs(subs).subs(full)
        HA, HB, _, _ = hamiltonians(wA, wB, g)
        rA, rB = sympy.Abs(zA), sympy.Abs(zB)
        subsystems = {}
        for n, H, w, z, r in (("A", HA, wA, zA, rA), ("B", HB, wB, zB, rB)):
            subsystems[n] = LocalForms(
                hamiltonian=H, energy=w * z / 2, spectrum=[(1 - r) / 2, (1 + r) / 2],
                beta=sympy.log((1 + r) / (1 - r)) / w, thermal_energy=-w * r / 2)
        rA0, rB0 = rA.subs(T, 0), rB.subs(T, 0)
        mutual = (_qubit_entropy(rA) - _qubit_entropy(rA0)
                  + _qubit_entropy(rB) - _qubit_entropy(rB0))
        QA = -wA * (rA - rA0) / 2
        QB = -wB * (rB - rB0) / 2
        WA = wA * (zA - zA.subs(T, 0)) / 2 - QA
        WB = wB * (zB - zB.subs(T, 0)) / 2 - QB
        extras = {
            "z_A": zA, "z_B": zB, "r_A": rA, "r_B": rB,
            "cop": -QA / (-WA - WB - Eint),
            "carnot": carnot_bound(EXACT, p),
        }
        notes = {
            "basis": "each qubit {|g>,|e>}, sigma_z = diag(-1, 1); joint |gg>,|ge>,|eg>,|ee>",
            "blocks": ("H couples |gg>-|ee> (frequency lambda = sqrt(g^2 + (omega_A + omega_B)^2)) "
                       "and |ge>-|eg> (Omega = sqrt(g^2 + (omega_A - omega_B)^2))"),
            "diagonal": ("rho(t) stays block-diagonal, so the reduced states stay diagonal "
                         "(their coherences are cross-block elements): r_j = |z_j|"),
            "I_AB": "unitary evolution from a product state: I_AB(t) = Delta S_A + Delta S_B",
            "beta_B": "rho_B(0) = sigma_x w_B(beta_B) sigma_x has the spectrum of w_B(beta_B): "
                      "beta_B(0) = beta_B",
            "E_int(0)": "0 (diagonal initial state, off-diagonal V): Delta E_int = E_int",
        }
        forms = ClosedForms(subsystems=subsystems, interaction_energy=Eint,
                            mutual_information=mutual, extras=extras, notes=notes)
        self._cache[key] = forms
        return forms

    def dynamics(self, p, *, lib) -> Dynamics:
        wA, wB, g, bA, bB = (p[n] for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B"))
        HA, HB, V, H = hamiltonians(wA, wB, g)
        # rho_A(0) = exp(-beta_A H_A)/Z and rho_B(0) = sigma_x exp(-beta_B H_B)/Z sigma_x,
        # written from the definitions (not through tanh)
        wA_th = sympy.diag(*[sympy.exp(-bA * HA[i, i]) for i in range(2)])
        wB_th = sympy.diag(*[sympy.exp(-bB * HB[i, i]) for i in range(2)])
        _, sx = _qubit_ops()
        rA0 = wA_th / wA_th.trace()
        rB0 = sx * wB_th * sx / wB_th.trace()
        return Dynamics(dims=[2, 2], hamiltonian=H, coupling=V, initial_state=_kron(rA0, rB0),
                        local_hamiltonians={"A": HA, "B": HB})

    # -- evaluation ----------------------------------------------------------
    def _compiled(self, p, lib):
        """(frequencies, constants, cosine coefficients) of z_A, z_B, E_int as a
        function of nothing, returning numbers of ``lib`` at the current precision
        (the closed forms are c_0 + sum_k c_k cos(nu_k t); evaluating the constants
        once per call, not once per time, is what makes 1000 times cheap)."""
        if isinstance(p, NumericParams) and lib not in (FLOAT64, MPMATH, EXACT):
            # plain numbers, balls: the constants' source from the compiled cache
            key = ("compiled", lib.name) + p.key
            if key not in self._cache:
                entry = self._params_cached(("ball_constants",), p,
                                            lambda: _ball_constants(self.closed_forms(p.exact())))
                self._cache[key] = (entry["nfreq"], _per_precision(entry))
            return self._cache[key]
        key = ("compiled", lib.name) + tuple(sorted((k, sympy.srepr(v)) for k, v in p.items()))
        if key not in self._cache and lib is FLOAT64:
            # a sweep meets a new parameter set at every call: the constants come from
            # the series derived once with symbolic parameters (see _float64_constants)
            constants = _float64_constants(p)
            self._cache[key] = (2, lambda: constants)
        if key not in self._cache:
            forms = self.closed_forms(p)
            exprs = [forms.extras["z_A"], forms.extras["z_B"], forms.interaction_energy]
            freqs, table = cosine_series(exprs)
            flat = list(freqs) + [c for row in table for c in row]
            # a dozen constants: evaluated by SymPy at the working precision of each
            # call (no lambdify, whose first use costs more than the whole evaluation)
            if lib is EXACT:
                fn = lambda: flat  # noqa: E731
            elif lib is FLOAT64:
                fn = lambda: [float(sympy.N(v, 20)) for v in flat]  # noqa: E731
            elif lib is MPMATH:
                fn = lambda: [_to_lib(lib, v) for v in flat]  # noqa: E731
            else:  # balls: once per working precision
                import flint

                memo = {}

                def fn():
                    prec = flint.ctx.prec
                    if prec not in memo:
                        memo[prec] = [_to_lib(lib, v) for v in flat]
                    return memo[prec]
            self._cache[key] = (len(freqs), fn)
        return self._cache[key]

    def reduced_data(self, p, times, *, lib):
        nfreq, fn = self._compiled(p, lib)
        flat = fn()
        freqs = flat[:nfreq]
        table = [flat[nfreq + k * (nfreq + 1): nfreq + (k + 1) * (nfreq + 1)] for k in range(3)]

        def series(shifted):
            # value at 0 plus sum_k c_k (cos(nu_k t) - 1) (``shifted``: the cos(nu_k t) - 1):
            # exact at t = 0; then the increments of z_A and z_B (the sums alone)
            out, steps = [], []
            for row in table:
                terms = [c * s for c, s in zip(row[1:], shifted)]
                steps.append(sum(terms[1:], terms[0]) if terms else 0 * row[0])
                out.append(row[0] + steps[-1] if terms else row[0])
            return out + steps[:2]

        if lib is FLOAT64:
            ts = np.asarray([float(t) for t in times], dtype=float)
            # cos x - 1 = -2 sin^2(x/2), as the vectorised route: no cancellation at small
            # times (cos(nu t) - 1 at t = 1e-9 kept a few digits: beta_A 3 % off)
            cols = series([-2.0 * np.sin(0.5 * nu * ts) ** 2 for nu in freqs])
            values = [[float(c[k]) for c in cols] for k in range(len(ts))]
            zero = series([0.0] * nfreq)
        elif lib is MPMATH:
            values = [series([mpmath.cos(nu * t) - 1 for nu in freqs]) for t in times]
            zero = series([mpmath.mpf(0)] * nfreq)
        elif lib is not EXACT:  # balls (symthermo.balls)
            values = [series([lib.cos(nu * t) - 1 for nu in freqs]) for t in times]
            zero = series([lib.zero] * nfreq)
        else:
            values = [series([sympy.cos(nu * t) - 1 for nu in freqs]) for t in times]
            zero = series([sympy.Integer(0)] * nfreq)
        omegas = [_parameter(lib, p, "omega_A"), _parameter(lib, p, "omega_B")]
        carnot = carnot_bound(lib, p)
        # a nearly pure qubit's smaller eigenvalue from its exact start (1 - r cancels);
        # elsewhere (1 - r)/2 keeps every digit, and the balls need not decide z's sign
        starts = [None, None]
        if lib is not EXACT:
            for k, (z0, n) in enumerate(zip(zero[:2], "AB")):
                lo0 = _start_small_population(lib, p, n)
                if lo0 < 1e-3:
                    starts[k] = (z0, lo0)
        specs0 = [_spectrum(lib, z, start, dz) for z, start, dz in zip(zero[:2], starts, zero[3:])]
        s0 = [entropy_of_spectrum(lib, spec) for spec in specs0]
        # float64, a nearly pure qubit at t = 0: beta_j(0) = ln(hi/lo)/omega_j is the parameter
        # |beta_j| (times omega_j's sign), also where lo_j(0) is below float64's range (ln 0
        # gave inf), as the vectorised route has it
        beta0 = [math.copysign(abs(_parameter(lib, p, f"beta_{n}")), float(w)) if
                 lib is FLOAT64 and start is not None else None
                 for n, w, start in zip("AB", omegas, starts)]
        out = []
        for t, (zA, zB, Eint, dzA, dzB) in zip(times, values):
            row = {"E_int": Eint, "z_A": zA, "z_B": zB, "r_A": abs(zA), "r_B": abs(zB),
                   "carnot": carnot}
            changes = []
            for k, (n, z, dz) in enumerate((("A", zA, dzA), ("B", zB, dzB))):
                w = omegas[k]
                spec = _spectrum(lib, z, starts[k], dz)
                entropy = entropy_of_spectrum(lib, spec)
                changes.append(entropy - s0[k])
                # E and the closed-form E^th = -omega |z|/2 from the same z: for a
                # passive state (z <= 0) E - E^th is an exact 0, not a rounding residue
                beta = beta0[k] if beta0[k] is not None and t == 0 else _qubit_beta(lib, spec, w)
                row[n] = {"E": w * z / 2, "spectrum": spec, "beta": beta,
                          "Eth": -(w * abs(z)) / 2, "diagonal": True,  # Bloch vector along z
                          "entropy_of": (tuple(spec), entropy)}  # (balls: not computed again)
            row["I_AB"] = changes[0] + changes[1]  # Delta S_A + Delta S_B
            out.append(row)
        return out

    def _finish(self, locals_, data0, data, t, lib, convention):
        row = super()._finish(locals_, data0, data, t, lib, convention)
        return finish_qubits(row, data0, data, self.subsystems, convention)

    # -- vectorised float64 ----------------------------------------------------
    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` in float64 for all times at once (numpy; the two
        qubits stacked as rows of (2, n) arrays)."""
        def constants():
            nfreq, fn = self._compiled(p, FLOAT64)
            flat = fn()
            table = np.array([flat[nfreq + k * (nfreq + 1): nfreq + (k + 1) * (nfreq + 1)]
                              for k in range(3)])
            w = np.array([[_to_lib(FLOAT64, p["omega_A"])], [_to_lib(FLOAT64, p["omega_B"])]])
            # |Q_j| <= omega_j/2, |W_j| <= 3 omega_j/2, |E_int| <= ||V|| = g/2: a bound on the
            # scale of cop's test of a vanishing denominator
            bound = 2 * (w.sum() + _to_lib(FLOAT64, p["g"]))
            beta0 = [math.copysign(abs(_to_lib(FLOAT64, p[f"beta_{n}"])), wn)
                     for n, wn in zip("AB", w[:, 0].tolist())]
            return (np.array(flat[:nfreq]), table[:, :1], table[:, 1:], w, bound,
                    carnot_bound(FLOAT64, p), _start_small_populations(p), beta0)

        freqs, at0, coeffs, w, bound, carnot, lo0, beta0 = self._params_cached(
            "arrays", p, constants)
        rounding = self._in_memory("rounding", p, lambda: SeriesRounding(
            freqs, np.hstack([at0, coeffs]), w, lo0, _NEARLY_PURE))
        # z_A, z_B, E_int: value at 0 plus sum_k c_k (cos(nu_k t) - 1), as reduced_data,
        # with cos x - 1 = -2 sin^2(x/2): no cancellation at small times (at t = 1e-9 the
        # cosine is 1 and every increment was 0)
        shifted = np.multiply.outer(0.5 * freqs, times)
        np.sin(shifted, out=shifted)
        shifted *= shifted
        shifted *= -2.0
        terms = coeffs @ shifted
        series = at0 + terms
        z = series[:2]
        r = np.abs(z)
        # the increments from the series' own increments (Delta z = terms), not as
        # differences of two nearby values: |z| - |z_0| = sign(z_0) Delta z while z keeps
        # its sign
        z0, dz = at0[:2], terms[:2]
        dr = np.sign(z0) * dz
        zz = z * z0
        # (1 - r)/2 = 1/2 - r/2 and (1 + r)/2 = 1/2 + r/2 exactly (halving is exact); for a
        # nearly pure qubit the smaller eigenvalue as lo_0 - Delta r/2 from its exact start,
        # without the cancellation of 1 - r (which rounds to 0 for beta_j omega_j >~ 37)
        half = 0.5 * r
        lo, hi = 0.5 - half, 0.5 + half
        for k in rounding.nearly_pure:
            lo[k] = lo0[k] - 0.5 * dr[k]
        if np.minimum.reduce(zz, axis=None) <= 0:
            # where z reached 0 or changed sign: |z| - |z_0| and 1/2 - r/2 as they are
            crossed = zz <= 0
            dr = np.where(crossed, r - r[:, :1], dr)  # (faster than np.copyto with where)
            for k in rounding.nearly_pure:
                np.copyto(lo[k], 0.5 - half[k], where=crossed[k])
        else:
            zz = None  # (no sign change: the checks need not look)
        S, beta = qubit_entropy_beta(lo, hi, w)
        if np.maximum.reduce(lo, axis=None) > _NEARLY_MIXED:
            # beta omega = ln(hi/lo) < 1e-3: ln hi - ln lo cancels (eps over beta omega of
            # it); log1p(r/lo) keeps r's relative precision
            mixed = lo > _NEARLY_MIXED
            beta[mixed] = (np.log1p(r / lo) / w)[mixed]
        if rounding.nearly_pure:
            # beta_j(0) = ln(hi/lo)/omega_j at t = 0 is the parameter |beta_j| (times the
            # sign of omega_j), also where lo_j(0) is below float64's range (inf from lo)
            start = times == 0
            for k in rounding.nearly_pure:
                beta[k, start] = beta0[k]
        least = float(np.minimum.reduce(lo, axis=None))
        dS = entropy_increments(S, lo, hi, dr)
        # (w/2) z is w z/2 exactly, and -(w/2) r is -(w r)/2
        half_w = 0.5 * w
        qubits = {"E": half_w * z, "Eth": (-half_w) * r, "S": S, "beta": beta, "dS": dS,
                  "lo": lo, "hi": hi, "dE": half_w * dz, "dEth": (-half_w) * dr}
        mutual = dS[0] + dS[1]  # I_AB = Delta S_A + Delta S_B
        checks = RefrigeratorChecks(rounding, times, shifted, zz, w, dS, dr)
        checks.values(series, r, lo, dr, mutual, least)
        # the two qubits stacked (row 0: A), for finish_qubit_columns
        return {"E_int": series[2], "z_A": z[0], "z_B": z[1], "r_A": r[0], "r_B": r[1],
                "I_AB": mutual, "qubits": qubits, "cop_bound": bound, "carnot": carnot,
                "_checks": checks}

    def _finish_columns(self, p, d, ts, convention):
        return finish_qubit_columns(self, d, ts, convention)

    def extra_columns(self, key, cols, d, ts):
        if key == "cop":
            # |Q_j| <= omega_j/2, |W_j| <= 3 omega_j/2, |E_int| <= ||V|| = g/2: a bound on
            # the scale of cop's test of a vanishing denominator
            return cop_columns(ts, d, cols["E_int"], d["cop_bound"], d.get("_checks"))
        return super().extra_columns(key, cols, d, ts)

    def extra_from_finished(self, key, row, q0, qt, lib):
        if key == "cop":
            return coefficient_of_performance(lib, row["t"], q0, qt, row["E_int"])
        return super().extra_from_finished(key, row, q0, qt, lib)

    def extras_from_row(self, p, row, *, lib):
        """The extra keys from a propagated row: z_j = 2 E_j/omega_j and r_j from the
        spectrum of the propagated reduced state (an independent check of r_j = |z_j|)."""
        internal = row["_internal"]
        q0, qt = internal["q0"], internal["qt"]
        out = {}
        for n in ("A", "B"):
            w = _to_lib(lib, p[f"omega_{n}"])
            out[f"z_{n}"] = 2 * qt[n]["E"] / w
            spec = qt[n]["spectrum"]
            out[f"r_{n}"] = spec[-1] - spec[0]
        out["cop"] = coefficient_of_performance(lib, row["t"], q0, qt, row["E_int"])
        out["carnot"] = carnot_bound(lib, p)
        return out


_SERIES = []


def _float64_constants(p):
    """The frequencies (Omega, lambda) and cosine-series constants of z_A, z_B, E_int
    (the layout of :meth:`Refrigerator._compiled`) as floats, for numeric ``p``.

    The series is derived once per process with symbolic parameters, each
    constant factored (a vanishing factor such as omega_A - omega_B gives an
    exact 0), compiled to mpmath, evaluated at 40 digits and rounded to float64.
    """
    from .refrigerator import _LAM, _OM, _SYMBOLS, _TAU_A, _TAU_B  # lazy (PEP 562)
    if not _SERIES:
        d = derive_reduced()
        freqs, table = cosine_series([d["z_A"], d["z_B"], d["E_int"]])
        if freqs != [_OM, _LAM]:  # pragma: no cover - the derivation's own layout
            raise AssertionError(f"unexpected frequencies {freqs}")
        wA, wB, g, bA, bB = (_SYMBOLS[n] for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B"))
        full = {_TAU_A: sympy.tanh(bA * wA / 2), _TAU_B: sympy.tanh(bB * wB / 2),
                _LAM: sympy.sqrt(g ** 2 + (wA + wB) ** 2), _OM: sympy.sqrt(g ** 2 + (wA - wB) ** 2)}
        flat = [sympy.factor(v).subs(full) for v in list(freqs) + [c for row in table for c in row]]
        _SERIES.append(sympy.lambdify([wA, wB, g, bA, bB], flat, modules="mpmath"))
    with mpmath.workdps(40):
        return [float(v) for v in _SERIES[0](*_mpmath_parameters(p))]


def _mpmath_parameters(p):
    """omega_A, omega_B, g, beta_A, beta_B as mpmath numbers at the working precision."""
    return [mpmath.mpmathify(sympy.N(p[n], 45))
            for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B")]


#: a qubit's smaller eigenvalue at t = 0 below which it is taken from its exact start
#: (above, 1/2 - |z|/2 keeps 12 digits of it: its rounding is eps/4 and eps/2 of |z|)
_NEARLY_PURE = 1e-3
#: a qubit's smaller eigenvalue above which its beta omega = ln(hi/lo) is below 1e-3
_NEARLY_MIXED = 0.5 - 2.5e-4


def _start_small_populations(p):
    """The smaller eigenvalues of rho_A(0) and rho_B(0) as a (2, 1) float64 array:
    1/(e^{|beta_j omega_j|} + 1) (B's flipped thermal state has the thermal spectrum),
    correctly rounded from the parameters, where (1 - |z_j(0)|)/2 cancels (and rounds to
    0 once beta_j omega_j >~ 37). Below float64's normal range (beta_j omega_j >~ 708) 0:
    the qubit starts pure as far as float64 goes.

    >>> import math
    >>> from symthermo.models.refrigerator import Refrigerator, _start_small_populations
    >>> lo = _start_small_populations(Refrigerator().params({"beta_A": "57.2", "omega_A": "0.675"}))
    >>> x = 57.2 * 0.675
    >>> (1 - math.tanh(x / 2)) / 2, bool(abs(lo[0, 0] * (math.exp(x) + 1) - 1) < 1e-13)
    (0.0, True)
    """
    with mpmath.workdps(40):
        wA, wB, _, bA, bB = _mpmath_parameters(p)
        lo = [float(1 / (mpmath.exp(abs(b * w)) + 1)) for b, w in ((bA, wA), (bB, wB))]
    return np.array([[x if x >= np.finfo(float).tiny else 0.0] for x in lo])


def _spectrum(lib, z, start=None, dz=None):
    """[(1 - r)/2, (1 + r)/2] with r = |z|; with ``start`` = (z(0), lo(0)) and the increment
    ``dz`` = z - z(0), the smaller eigenvalue as lo(0) - sign(z(0)) dz/2 where z keeps
    z(0)'s sign (balls: provably), without the cancellation of 1 - r for a nearly pure
    qubit (whose 1 - r(0) a ball at the working precision may not tell from 0)."""
    r = abs(z)
    half = lib.one / 2 if lib is not EXACT else sympy.Rational(1, 2)
    if start is not None and start[0] * z > 0:
        z0, lo0 = start
        return [lo0 - dz * half if z0 > 0 else lo0 + dz * half, (1 + r) * half]
    return [(1 - r) * half, (1 + r) * half]


def _start_small_population(lib, p, n):
    """The smaller eigenvalue of rho_n(0), 1/(e^{|beta_n omega_n|} + 1), in ``lib`` (the
    thermal spectrum: B's flipped thermal state has it too)."""
    tail = lib.exp(-abs(_parameter(lib, p, f"beta_{n}") * _parameter(lib, p, f"omega_{n}")))
    return tail / (1 + tail)  # (e^-x, not e^x: no overflow in float64)


def _qubit_beta(lib, spectrum, omega):
    lo, hi = spectrum
    if lib is EXACT:
        return sympy.log(hi / lo) / omega
    if lo == 0:
        return lib.inf
    # ln hi - ln lo: the logarithms the entropy takes too (the float64 columns' form)
    return (lib.log(hi) - lib.log(lo)) / omega


def _parameter(lib, p, name):
    """A parameter as a number of ``lib`` (plain numbers read without SymPy)."""
    if isinstance(p, NumericParams):
        return lib.number(p.values[name])
    return _to_lib(lib, p[name])


def _ball_constants(forms):
    """The frequencies and cosine-series constants of z_A, z_B, E_int (the layout of
    :meth:`Refrigerator._compiled`) as the source of a ball function, for the cache of
    :mod:`symthermo.compiled`: a run of plain numbers then needs no SymPy."""
    from ..sympy_to_balls import ball_source

    exprs = [forms.extras["z_A"], forms.extras["z_B"], forms.interaction_energy]
    freqs, table = cosine_series(exprs)
    flat = list(freqs) + [c for row in table for c in row]
    return {"nfreq": len(freqs), "source": ball_source(flat),
            "real": [bool(sympy.sympify(v).is_real) for v in flat]}


def _per_precision(entry):
    """The constants of :func:`_ball_constants` as balls, once per working precision
    (what ``_to_lib`` gives: the real part of a real constant)."""
    import flint

    from ..sympy_to_balls import ball_function

    fn = ball_function(entry["source"])
    memo = {}

    def constants():
        prec = flint.ctx.prec
        if prec not in memo:
            memo[prec] = [v.real if r and isinstance(v, flint.acb) else v
                          for v, r in zip(fn(), entry["real"])]
        return memo[prec]
    return constants


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    _SYMBOLS = {prm.name: prm.symbol for prm in _PARAMETERS}
    _TAU_A, _TAU_B = sympy.symbols("tau_A tau_B", real=True)
    _LAM, _OM = sympy.symbols("lambda Omega", positive=True)
    return {'_LAM': _LAM, '_OM': _OM, '_SYMBOLS': _SYMBOLS, '_TAU_A': _TAU_A, '_TAU_B': _TAU_B}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('_LAM', '_OM', '_SYMBOLS', '_TAU_A', '_TAU_B'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
