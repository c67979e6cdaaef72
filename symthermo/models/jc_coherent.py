"""The coherent-field Jaynes-Cummings model: its series and the helpers of its numeric route.

:func:`coherent_forms` writes the reduced quantities as series over the
manifolds (SymPy ``Sum``, for display; the values come from the manifold
sums of :mod:`symthermo.models.jc_manifolds`).  The helpers here serve the
coherent rows of :class:`~symthermo.models.jaynes_cummings.JaynesCummings`:
the digits that fix the Fock window (:func:`_requested_window_digits`), the
neglected Poisson weight and rho_B's Gram spectrum in balls, and the floor
below which float64 sums cannot resolve lam_- (:func:`_amplitude_floor`).
"""

from __future__ import annotations

import functools

from .jc_manifolds import cayley_hamilton, manifold_block, poisson_outside_weight
from .jc_numbers import _eps
from .jc_qubit import _conj, _key, runs_of
from .jc_spectra import _time_floor
from ..lazy import lazy_import
from ..numbers import FLOAT64, MPMATH

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["coherent_forms"]


#: float64 tail bound of the Fock window (10^-30: far below the float64 resolution)
FLOAT64_WINDOW_DIGITS = 30


@functools.lru_cache(maxsize=64)
def _coherent_cached(key, omega_A, omega_B, g, alpha, state_A):
    # derived from the values the key names (SymPy numbers): a Python 1 and
    # Integer(1) share the key, and 1/2 must not become the float 0.5
    omega_A, omega_B, g, alpha = (sympy.sympify(v) for v in (omega_A, omega_B, g, alpha))
    return _coherent_derivation(omega_A, omega_B, g, alpha, state_A)


def coherent_forms(omega_A, omega_B, g, alpha, state_A):
    """The coherent-field reduced quantities as series over the manifolds (SymPy ``Sum``)."""
    return _coherent_cached(_key(omega_A, omega_B, g, alpha) + (state_A,),
                            omega_A, omega_B, g, alpha, state_A)


def _coherent_derivation(omega_A, omega_B, g, alpha, state_A):
    """Series over the blocks n, in the compact amplitude form (checked against U (a, b))."""
    from .base import T  # lazy (PEP 562)
    from .jc_manifolds import COS, SIN  # lazy (PEP 562)
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    t = T
    I = sympy.I
    block = manifold_block(n, omega_A, omega_B, g)
    prop = cayley_hamilton(block)
    U = prop.matrix()
    subs = prop.substitutions(t)
    delta = (omega_A - omega_B) / 2
    kk = g * sympy.sqrt(n + 1)

    def f(m):
        return sympy.exp(-alpha**2 / 2) * alpha**m / sympy.sqrt(sympy.factorial(m))

    def at(expr, m=n):
        return expr.subs({COS: subs[COS], SIN: subs[SIN]}).subs(n, m)

    zero = sympy.Integer(0)
    pe = zero
    reg = zero
    eint = zero
    for weight, ce, cg in runs_of(state_A):
        a, b = ce * f(n), cg * f(n + 1)
        u, v = delta * a + kk * b, delta * b - kk * a
        A, B = a * COS - I * u * SIN, b * COS + I * v * SIN
        if (U * sympy.Matrix([a, b]) - sympy.Matrix([A, B])).applyfunc(sympy.expand) != \
                sympy.zeros(2, 1):
            raise AssertionError("block amplitudes")  # pragma: no cover
        pe_n = a**2 * COS**2 + u**2 * SIN**2  # |A_n|^2 (a, u real)
        re_n = a * b * COS**2 - u * v * SIN**2  # Re conj(A_n) B_n
        if sympy.expand(A * _conj(A) - pe_n) != 0 or \
                sympy.expand(sympy.re(sympy.expand(_conj(A) * B)) - re_n) != 0:
            raise AssertionError("moduli of the block amplitudes")  # pragma: no cover
        pe += weight * sympy.Sum(at(pe_n), (n, 0, sympy.oo))
        eint += weight * 2 * g * sympy.Sum(sympy.sqrt(n + 1) * at(re_n), (n, 0, sympy.oo))
        # rho_eg ~ sum_m A_m conj(B_{m-1}), B_{-1} = c_g f_0 e^{i delta t}
        first = at(A, 0) * _conj(cg * f(0) * sympy.exp(I * delta * t))
        reg += weight * (first + sympy.Sum(at(A) * _conj(at(B, n - 1)), (n, 1, sympy.oo)))
    c_e2 = sum(w * ce**2 for w, ce, _ in runs_of(state_A))
    return {"p_e": pe, "rho_eg": reg, "E_int": eint,
            "E_A": omega_A * (pe - sympy.Rational(1, 2)),
            "E_B": omega_B * (c_e2 + alpha**2 - pe)}


def _requested_window_digits(lib):
    if lib is FLOAT64:
        return FLOAT64_WINDOW_DIGITS
    from ..precision import GUARD_DIGITS, requested_digits

    digits = requested_digits()
    if digits is None or lib is MPMATH:
        # mpmath is certified by agreement (precision.stable): a window fixed by the
        # requested digits alone would be the same at every precision, so that its
        # truncation error (relative to a value far below the sums, such as W_B ~ 1e-56
        # at g t = 1e-14, which kept 6 of 15 digits) could never show as disagreement
        digits = max(digits or 0, mpmath.mp.dps)
    return digits + 2 * GUARD_DIGITS


def _ball_neglected_weight(mu, window):
    """The Poisson(mu) weight outside the Fock window, P(N < n_lo) + P(N > n_hi), in
    balls (poisson_window gives the same in mpmath)."""
    return poisson_outside_weight(mu, window.n_lo, window.n_hi)


def _ball_gram_spectrum(lib, vs, weights):
    """The non-zero spectrum of rho_B = V V^dag (columns sqrt(w_r) (X^r, Y^r)) as the
    eigenvalues of the small Gram matrix V^dag V, in balls (python-flint's eig encloses
    the eigenvalues of every matrix in the ball; each entry carries the dropped
    manifolds' bound)."""
    from ..ball_conversion import nonnegative  # lazy: loads SymPy, flint
    from flint import acb, acb_mat

    columns, scales, pads = [], [], []
    for v, w in zip(vs, weights):
        for key in ("X", "Y"):
            columns.append([acb(a, b) for a, b in v[key]])
            scales.append(w.sqrt())
        pads.append(v["pad"])
    pad = sum(pads, lib.zero)
    n = len(columns)
    G = acb_mat(n, n)
    for i in range(n):
        for k in range(i, n):
            total = acb(0)
            for a, b in zip(columns[i], columns[k]):
                total += a.conjugate() * b
            total = total * scales[i] * scales[k]
            total += acb(arb_pad(pad), arb_pad(pad))
            G[i, k] = total
            G[k, i] = total.conjugate()
    try:
        values = G.eig(multiple=True)
    except ValueError:
        raise NotImplementedError("jaynes-cummings: the Gram eigenvalues could not be "
                                  "isolated in balls") from None
    return lib.sort([nonnegative(e.real) for e in values])


def arb_pad(bound):
    from flint import arb

    return arb(0, bound.upper()) if bound.is_finite() else arb(0).union(arb.pos_inf())


def _amplitude_floor(rate, t, pe_pg):
    """The rounding of lam_- from float64 manifold sums of one pure evolution: the
    Gram determinant pe pg - |rho_eg|^2, by Gram-Schmidt where it cancels, keeps its
    relative precision until the perpendicular part of the smaller amplitude vector is
    at rounding level, det ~ (8 eps)^2 pe pg; plus the rounding of t (:func:`_time_floor`).
    (eps^(3/2) = 3e-24 before: a field's lam_- = 1e-28 at t = 1e-12 was taken as 0.)"""
    eps = _eps(FLOAT64)
    return _time_floor(eps, rate, t) + (8 * eps) ** 2 * pe_pg
