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
from fractions import Fraction

import numpy as np

from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..heat_work import check_convention, heat, work
from ..compiled import NumericParams
from ..numbers import EXACT, FLOAT64, MPMATH
from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter
from .float64_columns import EARNED, _EPS, Unearned, _difference_rounding, beta_times_heat_columns
from .local_rows import _to_lib

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["Refrigerator", "derive_reduced", "coupled_blocks", "evolve_in_blocks",
           "half_angle_to_full"]

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


# -- block propagation, shared with the other finite models -------------------

def coupled_blocks(H):
    """Index blocks of H: the connected components of its off-diagonal pattern.

    >>> import sympy
    >>> coupled_blocks(sympy.Matrix([[1, 0, 0, 2], [0, 3, 1, 0], [0, 1, 4, 0], [2, 0, 0, 5]]))
    [[0, 3], [1, 2]]
    """
    n = H.rows
    seen, blocks = set(), []
    for i in range(n):
        if i in seen:
            continue
        comp, stack = set(), [i]
        while stack:
            k = stack.pop()
            if k in comp:
                continue
            comp.add(k)
            stack += [j for j in range(n) if j != k and H[k, j] != 0]
        seen |= comp
        blocks.append(sorted(comp))
    return blocks


def evolve_in_blocks(H, rho0, *, name="nu"):
    """rho(t) = U rho0 U^dag for H made of 1x1 and 2x2 blocks, exactly.

    Each 2x2 block h = (tr h/2) 1 + K with K^2 = (nu/2)^2 1 propagates as
    U = exp(-i tr(h) t/2) [cos(nu t/2) 1 - (2i/nu) sin(nu t/2) K].  The
    half-angle cosine and sine of block k are the symbols ``C_k``, ``S_k``
    and its frequency the symbol ``nu_k`` (positive), so rho(t) comes out as
    a polynomial in them: cheap to simplify.  Coherences between different
    blocks of rho0 are allowed only when every block has zero trace (no
    relative phases); callers pass a Hamiltonian in a suitable frame.  H's
    entries and the symbols in rho0 must be real (U^dag conjugates i only).

    Returns ``(rho_t, frequencies)`` with ``frequencies`` a list of
    ``(nu_k, nu_k**2 as an expression of H's entries, C_k, S_k)``.
    """
    if any(e.has(sympy.I) for e in H):
        raise NotImplementedError("H must be real (U^dag is formed by conjugating i)")
    blocks = coupled_blocks(H)
    where = {}
    for b, idx in enumerate(blocks):
        for i in idx:
            where[i] = b
    n = H.rows
    cross = any(rho0[i, j] != 0 for i in range(n) for j in range(n) if where[i] != where[j])
    if cross and any(sympy.simplify(H.extract(b, b).trace()) != 0 for b in blocks):
        raise NotImplementedError("coherences between blocks need traceless blocks (use a frame)")
    # The block phases exp(-i tr(h) t/2) cancel in U rho0 U^dag when rho0 is
    # block-diagonal, and are 1 when every block is traceless: leave them out.
    U = sympy.zeros(n)
    freqs = []
    for idx in blocks:
        h = H.extract(idx, idx)
        if len(idx) == 1:
            U[idx[0], idx[0]] = 1
            continue
        if len(idx) != 2:
            raise NotImplementedError(f"block {idx} of size {len(idx)}: only 1x1 and 2x2 blocks")
        k = len(freqs)
        nu = sympy.Symbol(f"{name}_{k}", positive=True)
        C, S = sympy.Symbol(f"C_{k}", real=True), sympy.Symbol(f"S_{k}", real=True)
        K = h - h.trace() / 2 * sympy.eye(2)
        nu2 = sympy.factor(sympy.expand(4 * (K * K)[0, 0]))
        Ub = C * sympy.eye(2) - 2 * sympy.I * S / nu * K
        for a, i in enumerate(idx):
            for c, j in enumerate(idx):
                U[i, j] = Ub[a, c]
        freqs.append((nu, nu2, C, S))
    Ud = U.T.applyfunc(lambda e: e.subs(sympy.I, -sympy.I))
    rho_t = (U * rho0 * Ud).applyfunc(sympy.expand)
    return rho_t, freqs


def half_angle_to_full(expr, freqs):
    """Replace C_k^2, S_k^2, C_k S_k by (1 + cos nu_k t)/2, (1 - cos nu_k t)/2,
    sin(nu_k t)/2, for an expression of degree <= 2 in each block's (C_k, S_k)."""
    from .base import T  # lazy (PEP 562)
    expr = sympy.expand(expr)
    for nu, _, C, S in freqs:
        if not (expr.has(C) or expr.has(S)):
            continue
        c, s = sympy.cos(nu * T), sympy.sin(nu * T)
        full = {(0, 0): 1, (2, 0): (1 + c) / 2, (0, 2): (1 - c) / 2, (1, 1): s / 2}
        total = sympy.Integer(0)
        for (i, j), coeff in sympy.Poly(expr, C, S).terms():
            if (i, j) not in full:
                raise ValueError(f"C^{i} S^{j}: not a product of two half-angle factors")
            total += coeff * full[(i, j)]
        expr = sympy.expand(total)
    return expr


# -- the derivation ---------------------------------------------------------------

_DERIVED = {}


def _qubit_ops():
    sz = sympy.diag(-1, 1)  # basis {|g>, |e>}
    sx = sympy.Matrix([[0, 1], [1, 0]])
    return sz, sx


def _kron(A, B):
    """Kronecker product of two SymPy matrices (A's index first)."""
    return sympy.Matrix(A.rows * B.rows, A.cols * B.cols,
                        lambda i, j: A[i // B.rows, j // B.cols] * B[i % B.rows, j % B.cols])


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
    I2 = sympy.eye(2)
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
               "-Eth_A(0)/(Eth_A(0) + Eth_B(0)) (both heats grow as t^2)",
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
            "carnot": _carnot(EXACT, p),
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

        def series(cosines):
            # value at 0 plus sum_k c_k (cos(nu_k t) - 1): exact at t = 0
            shifted = [x - 1 for x in cosines]
            out = []
            for row in table:
                terms = [c * s for c, s in zip(row[1:], shifted)]
                out.append(row[0] + sum(terms[1:], terms[0]) if terms else row[0])
            return out

        if lib is FLOAT64:
            ts = np.asarray([float(t) for t in times], dtype=float)
            cos = [np.cos(nu * ts) for nu in freqs]
            cols = series(cos)
            values = [[float(c[k]) for c in cols] for k in range(len(ts))]
            zero = series([1.0] * nfreq)
        elif lib is MPMATH:
            values = [series([mpmath.cos(nu * t) for nu in freqs]) for t in times]
            zero = series([mpmath.mpf(1)] * nfreq)
        elif lib is not EXACT:  # balls (symthermo.balls)
            values = [series([lib.cos(nu * t) for nu in freqs]) for t in times]
            zero = series([lib.one] * nfreq)
        else:
            values = [series([sympy.cos(nu * t) for nu in freqs]) for t in times]
            zero = series([sympy.Integer(1)] * nfreq)
        omegas = [_parameter(lib, p, "omega_A"), _parameter(lib, p, "omega_B")]
        carnot = _carnot(lib, p)
        specs0 = [_spectrum(lib, z) for z in zero[:2]]
        s0 = [entropy_of_spectrum(lib, spec) for spec in specs0]
        out = []
        for zA, zB, Eint in values:
            row = {"E_int": Eint, "z_A": zA, "z_B": zB, "r_A": abs(zA), "r_B": abs(zB),
                   "carnot": carnot}
            changes = []
            for k, (n, z) in enumerate((("A", zA), ("B", zB))):
                w = omegas[k]
                spec = _spectrum(lib, z)
                entropy = entropy_of_spectrum(lib, spec)
                changes.append(entropy - s0[k])
                # E and the closed-form E^th = -omega |z|/2 from the same z: for a
                # passive state (z <= 0) E - E^th is an exact 0, not a rounding residue
                row[n] = {"E": w * z / 2, "spectrum": spec, "beta": _qubit_beta(lib, spec, w),
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
            return (np.array(flat[:nfreq]), table[:, :1], table[:, 1:], w, bound,
                    _carnot(FLOAT64, p))

        freqs, at0, coeffs, w, bound, carnot = self._params_cached("arrays", p, constants)
        rounding = self._in_memory("rounding", p, lambda: _SeriesRounding(
            freqs, np.hstack([at0, coeffs]), w))
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
        # (1 - r)/2 = 1/2 - r/2 and (1 + r)/2 = 1/2 + r/2 exactly (halving is exact)
        half = 0.5 * r
        lo, hi = 0.5 - half, 0.5 + half
        S, beta = qubit_entropy_beta(lo, hi, w)
        least = float(np.minimum.reduce(lo, axis=None))
        # the increments from the series' own increments (Delta z = terms), not as
        # differences of two nearby values: |z| - |z_0| = sign(z_0) Delta z while z keeps
        # its sign
        z0, dz = at0[:2], terms[:2]
        dr = np.sign(z0) * dz
        zz = z * z0
        if np.minimum.reduce(zz, axis=None) <= 0:
            # where z reached 0 or changed sign: |z| - |z_0| as it is
            np.copyto(dr, r - r[:, :1], where=zz <= 0)
        else:
            zz = None  # (no sign change: the checks need not look)
        dS = entropy_increments(S, lo, hi, dr)
        # (w/2) z is w z/2 exactly, and -(w/2) r is -(w r)/2
        half_w = 0.5 * w
        qubits = {"E": half_w * z, "Eth": (-half_w) * r, "S": S, "beta": beta, "dS": dS,
                  "lo": lo, "hi": hi, "dE": half_w * dz, "dEth": (-half_w) * dr}
        mutual = dS[0] + dS[1]  # I_AB = Delta S_A + Delta S_B
        checks = _RefrigeratorChecks(rounding, times, shifted, zz, w, dS, dr)
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
            # the scale of _cop's test of a vanishing denominator
            return _cop_columns(ts, d, cols["E_int"], d["cop_bound"], d.get("_checks"))
        return super().extra_columns(key, cols, d, ts)

    def extra_from_finished(self, key, row, q0, qt, lib):
        if key == "cop":
            return _cop(lib, row["t"], q0, qt, row["E_int"])
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
        out["cop"] = _cop(lib, row["t"], q0, qt, row["E_int"])
        out["carnot"] = _carnot(lib, p)
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
        args = [mpmath.mpmathify(sympy.N(p[n], 45))
                for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B")]
        return [float(v) for v in _SERIES[0](*args)]


def finish_qubits(row, data0, data, names, convention):
    """Q, W, E^th, exergy and ergotropy of qubits straight from closed-form E and E^th.

    The shared finishing rebuilds E^th as ground + (E^th - ground) and the
    ergotropy as (E - ground) - Tr[pi H]: rounding residues where the exact
    value is 0 (a passive qubit has E = E^th), which are not exact zeros at
    every precision and so defeat the certification of digits.  For a qubit the
    passive state with rho's spectrum is the thermal state with rho's entropy,
    so ergotropy = exergy = E - E^th exactly; with E and E^th computed from the
    same z, a passive state gives an exact 0.
    """
    for n in names:
        e0, eth0 = data0[n]["E"], data0[n]["Eth"]
        e, eth = data[n]["E"], data[n]["Eth"]
        if type(e).__module__.startswith(("flint", "symthermo.ball_columns")):
            continue  # balls: the base finishing's structural zeros stand (symthermo.balls)
        row[f"Eth_{n}"] = eth
        row[f"Q_{n}"] = heat(eth0, eth, convention=convention)
        row[f"W_{n}"] = work(e0, e, eth0, eth, convention=convention)
        row[f"exergy_{n}"] = row[f"ergotropy_{n}"] = e - eth
    return row


def qubit_entropy_beta(lo, hi, omega):
    """(S, beta) of qubit spectra {lo, hi} (numpy arrays, lo <= hi, lo + hi = 1):
    S with 0 ln 0 = 0 and beta = ln(hi/lo)/omega (inf where lo = 0), from one
    logarithm of each eigenvalue, ln hi as log1p(-lo) once some lo is below 1e-3 (hi
    rounds to 1 for lo below 1e-16; the entropy keeps the lo + O(lo^2) of that term;
    above 1e-3 ln hi's rounding is below 3e-14 of S).  Call under
    np.errstate(divide="ignore")."""
    l_lo = np.log(lo)
    least = np.minimum.reduce(lo, axis=None)
    l_hi = np.log1p(-lo) if least < 1e-3 else np.log(hi)
    x_lo = lo * l_lo
    if least <= 0:
        x_lo = np.where(lo > 0, x_lo, 0.0)
    S = hi * l_hi
    S += x_lo
    np.negative(S, out=S)
    np.subtract(l_hi, l_lo, out=x_lo)
    x_lo /= omega
    return S, x_lo


def entropy_increments(S, lo, hi, dr):
    """S(t) - S(0) of qubits with spectra {lo, hi} (rows of (2, n) arrays, column 0 is
    t = 0), their entropies ``S`` and Bloch-length increments ``dr`` = r - r(0) (so lo =
    lo_0 - dr/2, hi = hi_0 + dr/2), without the cancellation of the two entropies at
    small times.  Call under np.errstate(divide="ignore", invalid="ignore").

    From x ln x - x_0 ln x_0 = x ln(x/x_0) + (x - x_0) ln x_0:
    Delta S = -lo log1p(-dr/(2 lo_0)) - hi log1p(dr/(2 hi_0)) - (dr/2) ln(hi_0/lo_0),
    exact for every dr; the last term is the first order -artanh(r_0) dr, the two
    log1p terms cancel to O(dr^2) with an error of a few ulps of dr, so the result
    keeps its relative precision while ln(hi_0/lo_0) = beta_0 omega >= 1e-3.  A qubit
    that starts pure (lo_0 = 0, S(0) = 0) gets S itself; one that starts nearly
    maximally mixed (beta_0 omega < 1e-3, where the first order vanishes) gets
    :func:`_entropy_increments_midpoint`.

    >>> import numpy as np
    >>> from symthermo.models.refrigerator import entropy_increments, qubit_entropy_beta
    >>> r = np.array([[0.5, 0.5 + 1e-9]])
    >>> lo, hi = (1 - r) / 2, (1 + r) / 2
    >>> S, _ = qubit_entropy_beta(lo, hi, 1.0)
    >>> d = entropy_increments(S, lo, hi, np.array([[0.0, 1e-9]]))
    >>> bool(abs(d[0, 1] + np.arctanh(0.5 + 5e-10) * 1e-9) < 1e-24)
    True
    """
    lo0, hi0 = lo[:, :1], hi[:, :1]
    first = np.log(hi0 / lo0)  # beta_0 omega (inf for a pure start: that row is redone)
    up = dr * (0.5 / hi0)
    np.log1p(up, out=up)
    up *= hi
    up += (0.5 * first) * dr
    out = dr * (-0.5 / lo0)
    np.log1p(out, out=out)
    out *= lo
    out += up
    np.negative(out, out=out)
    if np.minimum.reduce(lo, axis=None) <= 0:  # a pure state reached: 0 ln 0 = 0
        out = np.where(lo > 0, out, -up)
    for k, f in enumerate(first[:, 0].tolist()):
        if not 1e-3 <= f < math.inf:
            out[k] = (S[k] if lo0[k, 0] <= 0  # a pure start: S(0) = 0
                      else _entropy_increments_midpoint(S[k:k + 1], 1 - 2 * lo[k:k + 1],
                                                        dr[k:k + 1])[0])
    return out


def _entropy_increments_midpoint(S, r, dr):
    """:func:`entropy_increments` for qubits that start nearly maximally mixed.

    dS/dr = -artanh(r), so S(r) - S(r_0) = -int_{r_0}^{r} artanh(s) ds, by the midpoint
    rule with its first two corrections: f(m) dr + f2(m) dr^3/24 + f4(m) dr^5/1920 with
    m = r_0 + dr/2, f = artanh, its second derivative f2 = 2m/(1 - m^2)^2 and its fourth
    f4 = 24 m (1 + m^2)/(1 - m^2)^4, where |dr| <= (1 - r_0)/101 (then also
    |dr| <= (1 - m)/100, and the next term is below 1e-17 of the first); elsewhere
    S - S(0), whose rounding leaves at least 12 digits of a step that large
    (Delta S ~ -dr^2/2 once r_0 ~ 0).

    >>> import numpy as np
    >>> from symthermo.models.refrigerator import _entropy_increments_midpoint
    >>> d = _entropy_increments_midpoint(np.array([[np.log(2), np.nan]]), np.array([[0.0, 1e-6]]),
    ...                                  np.array([[0.0, 1e-6]]))
    >>> bool(abs(d[0, 1] / -0.5e-12 - 1) < 1e-9)   # -r^2/2 - r^4/12 - ...
    True
    """
    out = S - S[:, :1]
    r0 = r[:, :1]
    small = np.abs(dr) <= (1 - r0) / 101
    near = np.flatnonzero(small.any(axis=0))  # the times next to t = 0 (or to a return)
    if near.size:
        d = dr[:, near]
        m = r0 + 0.5 * d
        m2 = m * m
        q = 1 - m2
        d2 = d * d
        series = -d * (np.arctanh(m) + d2 * (m / (12 * q * q))
                       * (1 + d2 * (3 * (1 + m2)) / (20 * q * q)))
        out[:, near] = np.where(small[:, near], series, out[:, near])
    return out


def finish_qubit_columns(model, d, ts, convention):
    """The finished columns of two qubits (vectorised :meth:`Model._finish`
    followed by :func:`finish_qubits`) from ``d["qubits"]``: (2, n) arrays of
    the closed-form E, E^th, S, beta and S - S(0) (row 0 is A, column 0 is t = 0).
    E^th, Q and W come from the closed-form E^th, ergotropy = exergy = E - E^th,
    sigma_X = Delta S_X + beta_Y(0) Q_Y (0 * inf = 0).  Leaves the received heats
    and works in ``d["qubits"]`` (``"Q"``, ``"W"``) for the extra keys."""
    provided = check_convention(convention) == "provided"
    q = d["qubits"]
    e, eth, S, beta, dS = q["E"], q["Eth"], q["S"], q["beta"], q["dS"]
    # increments given by the model (no cancellation), else differences
    de = q["Q"] = q["dEth"] if "dEth" in q else eth - eth[:, :1]
    w = q["W"] = (q["dE"] if "dE" in q else e - e[:, :1]) - de
    erg = e - eth
    if provided:
        de, w = -de, -w
    cols = {"E_int": d["E_int"], "I_AB": d["I_AB"]}
    for k, n in enumerate(model.subsystems):
        cols[f"E_{n}"] = e[k]
        cols[f"S_{n}"] = S[k]
        cols[f"beta_{n}"] = beta[k]
        cols[f"Eth_{n}"] = eth[k]
        cols[f"ergotropy_{n}"] = cols[f"exergy_{n}"] = erg[k]
        cols[f"Q_{n}"] = de[k]
        cols[f"W_{n}"] = w[k]
    if model.unitary:
        received = q["Q"]
        # beta(0) = inf (a pure start) times a heat: 0 only within the heat's rounding
        cols["sigma_A"] = dS[0] + beta_times_heat_columns(
            beta[1, 0], received[1], functools.partial(_difference_rounding, eth[1]))
        cols["sigma_B"] = dS[1] + beta_times_heat_columns(
            beta[0, 0], received[0], functools.partial(_difference_rounding, eth[0]))
        if "_checks" in d:  # entropy productions within their rounding of 0
            d["_checks"].entropy_production(cols["sigma_A"], cols["sigma_B"], beta[:, 0])
    for key in model.extra_keys:
        cols[key] = d[key] if key in d else model.extra_columns(key, cols, d, ts)
    if "_checks" in d and d["_checks"].mask is not None:
        d["unearned"] = d["_checks"].mask
    if "_rounding" in d:
        mask = _qubit_columns_unearned(q, de, w, d["E_int"], cols, d["_rounding"])
        mask[ts == 0] = False
        d["unearned"] = mask if "unearned" not in d else d["unearned"] | mask
    return cols


def _qubit_columns_unearned(q, de, w, e_int, cols, rounding):
    """The times at which a value of two qubits' columns (:func:`finish_qubit_columns`) is
    within :data:`~.float64_columns.EARNED` times its rounding, from the model's rounding of
    E_j, of the smaller eigenvalue lo_j, of E^th_j, of Delta E_j and of E_int
    (``rounding``: (2, n) arrays and one (n,) array). Propagated: S_j ~ |ln(hi/lo)| (lo's),
    beta_j = 0 where hi_j - lo_j (two lo's) is noise, Q_j = Delta E^th_j (E^th's at t and at
    0), W_j, the ergotropy E_j - E^th_j (an exact 0 is the structure's: a passive qubit),
    I_AB and sigma_j (Delta S = S - S(0)), E_int."""
    eps = 2 * _EPS
    e, eth, S, beta, lo, hi = q["E"], q["Eth"], q["S"], q["beta"], q["lo"], q["hi"]
    e_err, lo_err, eth_err, de_err = (rounding[k] for k in ("E", "lo", "Eth", "dE"))
    log_ratio = np.where(lo > 0, np.abs(np.log(hi) - np.log(np.where(lo > 0, lo, 1.0))), 0.0)
    s_err = log_ratio * lo_err + eps * S
    ds = S - S[:, :1]
    # (an exact 0 of S - S(0), a qubit whose spectrum does not move, has no rounding)
    ds_err = np.where(ds != 0, s_err + s_err[:, :1] + eps * (S + S[:, :1]), 0.0)
    deth_err = eth_err + eth_err[:, :1] + eps * (np.abs(eth) + np.abs(eth[:, :1]))
    erg = e - eth

    def noise(x, err):
        # an exact 0 is the structure's (a passive qubit's ergotropy, W of a qubit that
        # stays thermal, a state that does not move): only a nonzero value is looked at
        return (x != 0) & (np.abs(x) < EARNED * err)

    # beta = ln(hi/lo)/omega near 0: hi - lo within the rounding of the two (a beta the
    # model gives as an exact 0 is its structure's)
    low = (noise(e, e_err) | (lo < EARNED * lo_err)
           | ((beta != 0) & (np.abs(hi - lo) < EARNED * (2 * lo_err + eps)))
           | noise(de, deth_err) | noise(q["dE"], de_err)
           | noise(w, de_err + deth_err + eps * (np.abs(q["dE"]) + np.abs(de)))
           | noise(erg, e_err + eth_err + eps * (np.abs(e) + np.abs(eth))))
    mask = low.any(axis=0)
    mask |= noise(cols["I_AB"], ds_err.sum(axis=0) + eps * np.abs(ds).sum(axis=0))
    mask |= noise(e_int, rounding["E_int"])
    for j, k in ((0, 1), (1, 0)):
        beta0 = float(beta[k, 0])
        if math.isfinite(beta0):
            mask |= noise(cols[("sigma_A", "sigma_B")[j]], ds_err[j] + abs(beta0) * deth_err[k]
                          + eps * (np.abs(ds[j]) + abs(beta0) * np.abs(de[k])))
    return mask


class _SeriesRounding:
    """Rounding estimates of the float64 cosine series of z_A, z_B, E_int (rows of the
    :meth:`Refrigerator._compiled` table: v(0) + sum_k c_k s_k with s_k = -2 sin^2(nu_k
    t/2)), made once per parameter set: 4 eps (|v(0)| + sum_k |c_k s_k|) for the
    arithmetic, and for the phases nu_k t (rounded by eps nu_k t, the float time and
    frequency) |d(c_k s_k)/d(nu_k t)| = |c_k sin(nu_k t)| <= |c_k| sqrt(2 |s_k|) times that.
    Scaled by :data:`~.float64_columns.EARNED`: a value below is unearned."""

    __slots__ = ("at0", "coeffs", "phase", "terms_max", "phase_max", "t_safe", "floats")

    def __init__(self, freqs, table, w):
        k = EARNED * _EPS
        coeffs = np.abs(table[:, 1:])
        self.at0 = 4 * k * np.abs(table[:, 0])
        self.coeffs = 4 * k * coeffs
        self.phase = np.sqrt(2) * k * coeffs * freqs  # times t sqrt|s_k|, summed over k
        self.terms_max = 8 * k * coeffs.sum(axis=1)
        self.phase_max = 2 * k * (coeffs @ freqs)
        self.t_safe = _small_times(freqs, table, w[:, 0])
        # the same as Python floats, for the bounds of each call (no small numpy arrays)
        self.floats = (self.at0.tolist(), self.terms_max.tolist(), self.phase_max.tolist(),
                       (0.5 * w[:, 0]).tolist())

    def terms(self, shifted, times):
        """EARNED x the rounding of sum_k c_k s_k at the given columns (3, m)."""
        s = -shifted
        out = self.coeffs @ s
        np.sqrt(s, out=s)
        out += (self.phase @ s) * times
        return out


def _small_times(freqs, table, w):
    """A time below which every increment the checks look at is earned (0 if none): each
    is, to leading order, a form sum_i l_i Delta v_i of the series' increments (Delta r_j =
    sign(z_j(0)) Delta z_j, E_int, I_AB ~ sigma_j ~ -sum_j artanh(r_j(0)) Delta r_j, cop's
    denominator sum_j omega_j Delta r_j/2), a series sum_k a_k s_k = -t^2 sum_k a_k nu_k^2/2
    + O(t^4 sum_k |a_k| nu_k^4/24) whose rounding is below 8 eps t^2 sum_k |a_k| nu_k^2
    (arithmetic and phases). Where the t^2 term is above EARNED times that, it dominates
    until the t^4 term (and the entropies' curvature, dr^2/(1 - r^2)) reaches half of it,
    while z_j keeps its sign and stays away from |z_j| = 1: the increments' candidates
    are looked for at later times only (a grid from t = 0 pays no precise estimate)."""
    c = table[:, 1:]
    z0 = np.abs(table[:2, 0])
    with np.errstate(divide="ignore"):
        slope = np.arctanh(z0)  # beta_j(0) omega_j/2
    sign = np.sign(table[:2, 0])
    nu2, nu4 = freqs ** 2, freqs ** 4
    moved = np.abs(c[:2]) @ nu2  # |Delta z_j| <= moved_j t^2/2
    limits = [np.where(moved > 0, np.minimum(z0, 1 - z0) / np.where(moved > 0, moved, 1), np.inf)]
    forms = [([sign[0], 0, 0], 0), ([0, sign[1], 0], 0), ([0, 0, 1], 0),
             ([-slope[0] * sign[0], -slope[1] * sign[1], 0], 1),
             ([0.5 * w[0] * sign[0], 0.5 * w[1] * sign[1], 0], 0)]
    for l, entropic in forms:
        l = np.array(l, dtype=float)
        if not np.isfinite(l).all():
            return 0.0
        a = l @ c
        leading = abs(a @ nu2) / 2
        rounding = 8 * EARNED * _EPS * (np.abs(l) @ (np.abs(c) @ nu2))
        if not leading > 2 * rounding:
            return 0.0
        quartic = np.abs(a) @ nu4 / 24
        if entropic:  # |Delta S_j + artanh(r_j(0)) Delta r_j| <= Delta r_j^2 / (1 - r_j(0))
            quartic += float(((moved / 2) ** 2 / (1 - z0)).sum())
        if quartic > 0:
            limits.append(np.array([leading / (2 * quartic)]))
    return 0.5 * math.sqrt(float(np.min(np.concatenate(limits))))


class _RefrigeratorChecks(Unearned):
    """:class:`~.float64_columns.Unearned` of the refrigerator's float64 columns: z_j
    (so E_j, E^th_j, r_j, beta_j, the ergotropy, W_j at a change of sign), E_int, the
    increments Delta r_j (Q_j, W_j), the smaller eigenvalues (1 - r_j)/2 (S_j and beta_j
    near a pure state), I_AB, sigma_j and cop's denominator, each against its rounding
    (:class:`_SeriesRounding`); the precise estimates only at the few candidate times a
    bound over all times leaves (one reduction per quantity otherwise)."""

    __slots__ = ("rounding", "shifted", "zz", "w", "dS", "dr", "bounds", "slope", "first")

    def __init__(self, rounding, times, shifted, zz, w, dS, dr):
        super().__init__(times)
        # zz = z_j z_j(0): None when no z_j changed sign
        self.rounding, self.shifted, self.zz, self.w, self.dS, self.dr = (
            rounding, shifted, zz, w, dS, dr)
        at0, terms_max, phase_max, _ = rounding.floats
        t_max = float(np.maximum.reduce(times))  # (times >= 0)
        terms = [a + b * t_max for a, b in zip(terms_max, phase_max)]
        # EARNED x the largest rounding over all times of: z_j, E_int, Delta r_j
        self.bounds = (max(terms[0] + at0[0], terms[1] + at0[1]), terms[2],
                       (terms[0] + 0.5 * at0[0], terms[1] + 0.5 * at0[1]))
        # the leading times below the safe one (_small_times) need no look: a grid from 0
        first = int(np.searchsorted(times, rounding.t_safe)) if rounding.t_safe > 0 else 0
        if first > 1 and not np.maximum.reduce(times[:first]) < rounding.t_safe:
            first = 0  # (times not ascending)
        self.first = first

    def _precise(self, idx, entropy=False):
        """EARNED x the rounding of the series (3, m), of Delta r_j and, with ``entropy``,
        of Delta S_j (2, m; else None) at the columns ``idx``: Delta r_j is Delta z_j's, and
        once z_j changed sign |z_j| - |z_j(0)| (2 eps |z_j(0)| more); Delta S_j that of
        Delta r_j times |Delta S_j/Delta r_j| (artanh between r_j(0) and r_j) and 8 eps of
        it."""
        rounding = self.rounding
        terms = rounding.terms(self.shifted[:, idx], self.times[idx])
        series = terms + rounding.at0[:, None]
        dr = terms[:2]
        if self.zz is not None:
            dr = dr + np.where(self.zz[:, idx] <= 0, 0.5 * rounding.at0[:2, None], 0.0)
        if not entropy:
            return series, dr, None
        dS = np.abs(self.dS[:, idx])
        dS *= dr / np.abs(self.dr[:, idx]) + 8 * EARNED * _EPS
        return series, dr, dS

    def values(self, series, r, lo, dr, mutual, least):
        """z_j, E_int, Delta r_j, (1 - r_j)/2 (its minimum over all times ``least``) and
        I_AB (>= 0: a minimum needs no |.|); the bounds as Python floats (a reduction and a
        comparison per quantity where nothing is near its rounding)."""
        k = EARNED * _EPS
        f = self.first
        z_max, e_max, (dr_a, dr_b) = self.bounds
        # |Delta S_j / Delta r_j| <= artanh(max r_j) = ln(hi/lo)/2 at the smallest lo;
        # |Delta S_j| <= ln 2
        self.slope = 0.5 * (math.log1p(-least) - math.log(least)) if least > 0 else math.inf
        if f >= len(self.times):
            return
        mutual_max = self.slope * (dr_a + dr_b) + 16 * k * math.log(2)
        dr_max = max(dr_a, dr_b)
        if f:
            series, r, lo, dr, mutual = (x[..., f:] for x in (series, r, lo, dr, mutual))
        e_int = np.abs(series[2])
        dr_abs = np.abs(dr)
        reduce = np.minimum.reduce
        hits = [reduce(r, axis=None) < z_max, reduce(e_int) < e_max,
                reduce(dr_abs, axis=None) < dr_max, least < k / 4 + 0.5 * z_max,
                reduce(mutual) < mutual_max]
        if not any(hits):
            return
        x = (r, e_int, dr_abs, lo, mutual)
        limits = (z_max, e_max, dr_max, k / 4 + 0.5 * z_max, mutual_max)
        cand = None
        for hit, v, limit in zip(hits, x, limits):
            if hit:
                c = v < limit
                c = c.any(axis=0) if v.ndim > 1 else c
                cand = c if cand is None else cand | c
        idx = np.flatnonzero(cand)
        if not idx.size:
            return
        s, d, e = self._precise(idx + f, entropy=hits[4])
        low = np.zeros(idx.size, dtype=bool)
        if hits[0]:
            low |= (r[:, idx] < s[:2]).any(axis=0)
        if hits[1]:
            low |= e_int[idx] < s[2]
        if hits[2]:
            low |= (dr_abs[:, idx] < d).any(axis=0)
        if hits[3]:
            low |= (lo[:, idx] < k / 4 + 0.5 * s[:2]).any(axis=0)
        if hits[4]:
            low |= np.abs(mutual[idx]) < e.sum(axis=0)
        self.mark(idx[low] + f)

    def entropy_production(self, sigma_a, sigma_b, beta0):
        """sigma_j = Delta S_j + beta_k(0) Q_k: the rounding of Delta S_j and beta_k(0)
        omega_k/2 times that of Delta r_k (a finite beta_k(0))."""
        k = EARNED * _EPS
        if self.first >= len(self.times):
            return
        half_w = self.rounding.floats[3]
        dr_max = self.bounds[2]
        for j, sigma in ((0, sigma_a), (1, sigma_b)):
            other = 1 - j
            if not math.isfinite(beta0[other]):
                continue
            heat = float(beta0[other]) * half_w[other]
            bound = self.slope * dr_max[j] + heat * dr_max[other] + 8 * k * (math.log(2) + heat)
            size = np.abs(sigma[self.first:])
            if not np.minimum.reduce(size) < bound:
                continue
            idx = np.flatnonzero(size < bound) + self.first
            _, d, e = self._precise(idx, entropy=True)
            limit = e[j] + heat * (d[other] + 8 * k * np.abs(self.dr[other, idx]))
            self.mark(idx[np.abs(sigma[idx]) < limit])

    def denominator(self, size, floor, works, e_int):
        """cop's W_A + W_B + E_int (W_j = omega_j (Delta z_j + Delta r_j)/2), above the
        ``floor`` under which it counts as an exact 0 (cop = +-inf)."""
        k = EARNED * _EPS
        if self.first >= len(self.times):
            return
        half_w = self.rounding.floats[3]
        z_max, e_max, dr_max = self.bounds
        bound = sum(h * (z_max + d) for h, d in zip(half_w, dr_max)) + e_max + 8 * k * (
            3 * sum(half_w) + 1)
        if not np.minimum.reduce(size[self.first:]) < bound:
            return
        idx = np.flatnonzero((size < bound) & (size > floor))
        idx = idx[idx >= self.first]
        s, d, _ = self._precise(idx)
        w2 = np.array(half_w)
        limit = w2 @ (s[:2] - self.rounding.at0[:2, None] + d) + s[2] + 2 * k * (
            np.abs(works[:, idx]).sum(axis=0) + np.abs(e_int[idx]))
        self.mark(idx[size[idx] < limit])


def _cop_columns(ts, d, e_int, bound, checks=None):
    """:func:`_cop` for all times at once, from the received heats and works that
    :func:`finish_qubit_columns` left in ``d["qubits"]``: -Q_A/(-W_A - W_B - E_int)
    is exactly Q_A/(W_A + W_B + E_int) (negation is exact).  ``bound`` >= every
    |Q_j|, |W_j|, |E_int|: only denominators below 1e-12 bound (t = 0 among them)
    are looked at one by one."""
    q = d["qubits"]
    Q, W = q["Q"], q["W"]
    den = (W[0] + W[1]) + e_int
    out = Q[0] / den
    size = np.abs(den)
    if checks is not None:  # a denominator within its rounding of 0 (cop's digits noise)
        checks.denominator(size, 1e-12 * bound, W, e_int)
    small = np.flatnonzero(size <= 1e-12 * bound)
    if small.size:
        eth_a, eth_b = q["Eth"][0, 0], q["Eth"][1, 0]
        for i in small.tolist():
            if ts[i] == 0:
                # both heats start as (g t)^2/4 * omega_j r_j(0)/2 = -(g t)^2/4 * Eth_j(0)
                out[i] = _cop_value(eth_a, -eth_a - eth_b, 0.0)
            else:
                scale = max(abs(Q[0, i]), abs(Q[1, i]), abs(W[0, i]), abs(W[1, i]), abs(e_int[i]))
                out[i] = _cop_value(-Q[0, i], -W[0, i] - W[1, i] - e_int[i], scale)
    return out


def _cop_value(num, den, scale):
    if abs(den) <= 1e-12 * scale:
        den = 0
    if den == 0:
        return 0.0 if num == 0 else (np.inf if num > 0 else -np.inf)
    return num / den


def cosine_series(exprs):
    """Write each expression as c_0 + sum_k c_k cos(nu_k t) over shared frequencies.

    Returns ``(frequencies, rows)`` with one row ``[e(0), c_1, c_2, ...]`` per
    expression (so e(t) = e(0) + sum_k c_k (cos(nu_k t) - 1), exact at t = 0);
    raises ValueError when an expression is not of that form.
    """
    from .base import T  # lazy (PEP 562)
    cosines = sorted({c for e in exprs for c in sympy.sympify(e).atoms(sympy.cos) if c.has(T)},
                     key=sympy.default_sort_key)
    freqs = []
    for c in cosines:
        nu = sympy.cancel(c.args[0] / T)
        if nu.has(T):
            raise ValueError(f"{c} is not cos(nu t)")
        freqs.append(nu)
    rows = []
    for e in exprs:
        e = sympy.expand(sympy.sympify(e))
        coeffs = [e.coeff(c) for c in cosines]
        const = e.subs({c: 0 for c in cosines})
        rest = sympy.expand(e - const - sum((k * c for k, c in zip(coeffs, cosines)), sympy.Integer(0)))
        if rest != 0 or any(x.has(T) for x in [const] + coeffs):
            raise ValueError(f"not a cosine series in t: {e}")
        rows.append([sympy.expand(const + sum(coeffs, sympy.Integer(0)))] + coeffs)
    return freqs, rows


def _spectrum(lib, z):
    r = abs(z)
    half = lib.one / 2 if lib is not EXACT else sympy.Rational(1, 2)
    return [(1 - r) * half, (1 + r) * half]


def _qubit_beta(lib, spectrum, omega):
    lo, hi = spectrum
    if lib is EXACT:
        return sympy.log(hi / lo) / omega
    if lo == 0:
        return lib.inf
    # ln hi - ln lo: the logarithms the entropy takes too (the float64 columns' form)
    return (lib.log(hi) - lib.log(lo)) / omega


def _cop(lib, t, q0, qt, e_int):
    """-Q_A/(-W_A - W_B - Delta E_int), received convention (E_int(0) = 0)."""
    QA = qt["A"]["Eth"] - q0["A"]["Eth"]
    WA = qt["A"]["E"] - q0["A"]["E"] - QA
    QB = qt["B"]["Eth"] - q0["B"]["Eth"]
    WB = qt["B"]["E"] - q0["B"]["E"] - QB
    num, den = -QA, -WA - WB - e_int
    if t == 0:
        # both heats start as (g t)^2/4 * omega_j r_j(0)/2 = -(g t)^2/4 * Eth_j(0)
        num, den = q0["A"]["Eth"], -q0["A"]["Eth"] - q0["B"]["Eth"]
    if lib.tolerance == 0:  # balls: only an exact 0 is 0 (no max of balls to decide)
        small = lib.is_exact_zero(den)
    else:
        scale = max(abs(QA), abs(QB), abs(WA), abs(WB), abs(e_int))
        small = abs(den) <= lib.tolerance * scale
    if small:
        # a denominator that cancels to rounding level is an exact 0 (at resonance
        # Q_A + Q_B = 0 whenever only one block has moved): cop is infinite there
        den = 0
    if den == 0:
        if num == 0:
            return lib.zero
        return lib.inf if num > 0 else -lib.inf
    return num / den


def _carnot(lib, p):
    """The Carnot bound beta_B(0)/(beta_A(0) - beta_B(0)), from the parameters.

    A starts in w_A(beta_A) and B in sigma_x w_B(beta_B) sigma_x, which has
    the spectrum of w_B(beta_B): the entropy-matched beta_j(0) is beta_j
    exactly.  So the bound is a function of the exact parameters, and equal
    temperatures give inf structurally, not from a cancellation of two
    computed betas.
    """
    values = p.values if hasattr(p, "exact") else p  # compiled NumericParams: Fractions, no SymPy
    bA, bB = values["beta_A"], values["beta_B"]
    if bA == bB:
        return lib.inf
    if lib is FLOAT64:
        return float(bB / (bA - bB))
    if isinstance(bB, Fraction) and lib not in (MPMATH, EXACT):  # balls of plain numbers
        return lib.number(bB / (bA - bB))
    return _to_lib(lib, bB / (bA - bB)) if lib is not EXACT else bB / (bA - bB)


def _parameter(lib, p, name):
    """A parameter as a number of ``lib`` (plain numbers read without SymPy)."""
    if isinstance(p, NumericParams):
        return lib.number(p.values[name])
    return _to_lib(lib, p[name])


def _ball_constants(forms):
    """The frequencies and cosine-series constants of z_A, z_B, E_int (the layout of
    :meth:`Refrigerator._compiled`) as the source of a ball function, for the cache of
    :mod:`symthermo.compiled`: a run of plain numbers then needs no SymPy."""
    from ..balls import ball_source

    exprs = [forms.extras["z_A"], forms.extras["z_B"], forms.interaction_energy]
    freqs, table = cosine_series(exprs)
    flat = list(freqs) + [c for row in table for c in row]
    return {"nfreq": len(freqs), "source": ball_source(flat),
            "real": [bool(sympy.sympify(v).is_real) for v in flat]}


def _per_precision(entry):
    """The constants of :func:`_ball_constants` as balls, once per working precision
    (what ``_to_lib`` gives: the real part of a real constant)."""
    import flint

    from ..balls import ball_function

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
