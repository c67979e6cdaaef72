"""Tr[pi H] - E^th and D[pi || w(beta)] without cancellation (float64, finite levels).

The exergy of rho is its ergotropy plus the passive excess
Delta = Tr[pi H] - E^th, pi the passive state and w(beta) the thermal state
with pi's entropy (SL26 Eq. 10: Delta = D[pi || w(beta)] / beta).  For a
near-pure state both energies are of the size e of the excited populations
while Delta is far smaller (e^2.5 for rho = diag(1 - e, e, 0) on levels
0, 1, 2.5), so Tr[pi H] - E^th loses everything.  Here nothing of size e is
subtracted:

1. with sum_k w_k = 1, D = sum_k p_k ln(p_k / w_k) equals
   sum_k w_k phi(p_k / w_k) + tau, phi(r) = 1 - r + r ln r >= 0 and
   tau = sum_k p_k - 1 (the trace defect of the float64 input, 0 for an
   exact density matrix); every term of the sum is >= 0;
2. w_k phi(p_k / w_k) = (p_k + w_k) u^2 [1 + u (1 + u) s(u^2)],
   u = (p_k - w_k) / (p_k + w_k), s(v) = sum_m v^m / (2m + 3) (the atanh
   series of ln r), for |u| <= 1/3; p_k - w_k is then exact (Sterbenz) and
   the term keeps its relative precision however close p_k is to w_k;
3. Delta = [D - tau ln Z'(beta)] / beta: from S(w) = S(p) (the definition of
   beta), D = -S(p) + beta <H - E0>_p + (1 + tau) ln Z' and
   S(w) = beta <H - E0>_w + ln Z'.

As a function of beta, f(beta) = [D(beta) - tau ln Z'(beta)] / beta is
stationary at the entropy-matched beta (f' = [S(p) - S(w(beta))] / beta^2),
so the solver's rounding of beta moves Delta only at second order:
by Var_w(H) dbeta^2 / (2 beta).

Attainable accuracy: a few ulps, except for a spectrum close to a thermal
one.  The rounding eps of each computed w_k moves its term by
|p_k - w_k| eps, while the terms are of order |p_k - w_k|^2 / w_k: a
spectrum whose populations are within a relative rho of thermal ones gets
Delta to about eps / rho relative (1e-5 at rho = 1e-11), plus the
second-order beta term above.  :func:`passive_excess` returns both in its
error bound instead of hiding them.  Near-pure spectra are not of that kind
unless their excited populations are themselves nearly thermal; there the
tiny excited populations keep |p_k - w_k| of the size of Delta (benchmark
problem 4: within 2 ulps at e = 1e-6 ... 1e-14).

Everything is written once, taking ``ops`` first: :data:`SCALAR` (Python
floats, the per-row routes) and :data:`ARRAY` (numpy arrays, one entry per
row, the vectorised route of the models).

>>> import numpy as np
>>> from symthermo.passive_excess import SCALAR, passive_excess
>>> from symthermo.thermal import entropy_matched_beta
>>> p, gaps = [1.0 - 1e-6, 1e-6, 0.0], [0.0, 1.0, 2.5]
>>> beta = entropy_matched_beta(np.diag(p), np.diag(gaps))
>>> f"{passive_excess(SCALAR, gaps, p, beta).delta:.6e}"   # mpmath, dps 60: 7.030112e-17
'7.030112e-17'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["PassiveExcess", "passive_excess", "two_level_excess", "two_level_relative_entropy",
           "phi_term", "series_terms", "SCALAR", "ARRAY", "trace_defect"]

_EPS = float(np.finfo(float).eps)
#: coefficients 1/(2m + 3) of s(v) = sum_m v^m / (2m + 3); |v| <= 1/9 and 9^-17 / 37 < eps / 8
_SERIES = tuple(1.0 / (2 * m + 3) for m in range(18))


class _Scalar:
    """Python floats."""

    log = staticmethod(math.log)
    exp = staticmethod(math.exp)
    log1p = staticmethod(math.log1p)

    @staticmethod
    def where(cond, a, b):
        return a if cond else b

    @staticmethod
    def absolute(x):
        return abs(x)


class _Array:
    """numpy arrays (callers set np.errstate: both branches of a ``where`` are computed)."""

    log = staticmethod(np.log)
    exp = staticmethod(np.exp)
    log1p = staticmethod(np.log1p)
    where = staticmethod(np.where)
    absolute = staticmethod(np.abs)


SCALAR = _Scalar()
ARRAY = _Array()


def phi_term(ops, p, w, diff=None, *, terms=None):
    """w phi(p / w) = p ln(p / w) - p + w >= 0 for p >= 0, w > 0, to a few ulps.

    >>> from symthermo.passive_excess import SCALAR, phi_term
    >>> phi_term(SCALAR, 0.0, 0.25)            # phi(0) = 1
    0.25
    >>> x = phi_term(SCALAR, 1.0 + 2**-30, 1.0)  # (r - 1)^2 / 2 + O((r - 1)^3)
    >>> abs(x / 2**-61 - 1) < 2**-29
    True

    ``diff``, if given, is p - w computed more accurately than from the rounded w
    (the ground level's, :func:`passive_excess`).  ``terms``: of the series, enough for
    the caller's |u| = |p - w|/(p + w) (:func:`series_terms`; default all, for |u| <= 1/3).
    """
    if ops is SCALAR:
        if p == 0:
            return w
        total = p + w
        u = (p - w if diff is None else diff) / total
        if abs(u) > 1.0 / 3.0:
            return p * math.log(p / w) - p + w
        return _series_term(total, u)
    total = p + w
    u = (p - w if diff is None else diff) / ops.where(total > 0, total, 1.0)
    series = _series_term(total, u, terms)
    safe_p = ops.where(p > 0, p, 1.0)
    direct = ops.where(p > 0, p * ops.log(safe_p / w) - p, 0.0) + w
    near = ops.absolute(u) <= 1.0 / 3.0
    return ops.where(near, series, direct)


#: below the smallest normal float64 a thermal population w has lost bits (or is 0)
#: and p / w may overflow: p ln(p / w) is then p (ln p + beta g + ln Z')
_TINY = float(np.finfo(float).tiny)


def _phi_term_or_tail(ops, p, w, minus_log_w):
    """phi_term, or for a w below the normal range (the far tail of the thermal
    state, e^-2300 at beta g = 2300) p (ln p - ln w) - p + w with ln w given."""
    if ops is SCALAR:
        if w < _TINY and p > 0:
            return p * (math.log(p) + minus_log_w) - p + w
        return phi_term(ops, p, w)
    tail = (w < _TINY) & (p > 0)
    if not tail.any():
        return phi_term(ops, p, w)
    safe_p = ops.where(p > 0, p, 1.0)
    far = p * (ops.log(safe_p) + minus_log_w) - p + w
    return ops.where(tail, far, phi_term(ops, p, ops.where(tail, 1.0, w)))


def series_terms(u_max):
    """The terms of s(v) enough for |u| <= u_max <= 1/3: the first neglected one,
    v^m / (2m + 3) with v = u_max^2, below eps / 8 (the rest, a geometric tail of ratio
    v <= 1/9, adds 1/8 of it; 16 at u_max = 1/3, where the default keeps 18).

    >>> from symthermo.passive_excess import series_terms
    >>> series_terms(1 / 3), series_terms(1e-2), series_terms(0.0)
    (16, 4, 1)
    """
    v = u_max * u_max
    for m in range(1, len(_SERIES)):
        if v ** m / (2 * m + 3) < _EPS / 8:
            return m
    return len(_SERIES)


def _series_term(total, u, terms=None):
    """(p + w) u^2 [1 + u (1 + u) s(u^2)] (numbers or arrays), |u| <= 1/3; ``terms`` of
    the series s (default all)."""
    v = u * u
    s = 0.0
    for c in reversed(_SERIES if terms is None else _SERIES[:terms]):
        s = s * v + c
    return total * v * (1.0 + u * (1.0 + u) * s)


def _split(a):
    """Dekker's split a = hi + lo, hi with 26 significant bits (|a| < 1e300)."""
    t = 134217729.0 * a  # 2^27 + 1
    hi = t - (t - a)
    return hi, a - hi


def _exp_of_product(ops, beta, g):
    """exp(-beta g) with the rounding of the product beta g put back
    (Dekker's exact product: beta g = prod + err exactly, exp(-prod) (1 - err)):
    that rounding, half an ulp of beta g ~ 30, would otherwise cost the weight
    beta g eps / 2 of relative precision."""
    prod = beta * g
    bh, bl = _split(beta)
    gh, gl = _split(g)
    err = ((bh * gh - prod) + bh * gl + bl * gh) + bl * gl
    return ops.exp(-prod) * (1.0 - err)


def trace_defect(populations):
    """tau = sum_k p_k - 1, the largest population's (p - 1) first (exact for
    p >= 1/2, Sterbenz), then the small ones: a near-pure float64 spectrum keeps
    its defect of ~1e-17 instead of the rounding of 1 + tau."""
    first, *rest = populations
    tau = first - 1.0
    for p in rest:
        tau = tau + p
    return tau


@dataclass(frozen=True)
class PassiveExcess:
    """delta = Tr[pi H] - E^th (>= 0 up to the trace defect), relative_entropy =
    D[pi || w(beta)], and ``bound``, a bound on the float64 error of delta."""

    delta: object
    relative_entropy: object
    bound: object


def passive_excess(ops, gaps, populations, beta):
    """Tr[pi H] - E^th and D[pi || w(beta)] at the entropy-matched ``beta``.

    Parameters
    ----------
    ops : SCALAR or ARRAY
    gaps : sequence of float
        E_k - E_0 of the ascending levels (ground-level entries exactly 0).
    populations : sequence
        pi's populations on those levels (the spectrum in decreasing order),
        floats or arrays.
    beta : float or array
        The entropy-matched inverse temperature, finite and > 0.

    Returns
    -------
    PassiveExcess
        ``bound`` adds the rounding of the terms (each to 8 eps relative),
        what the rounding of w_k (4 eps) moves them by, |p_k - w_k| 4 eps,
        and the second-order move Var_w dbeta^2 / (2 beta) of a beta
        converged to 4 eps.
    """
    populations = list(populations) + [0.0] * (len(gaps) - len(populations))
    weights = [1.0 if g == 0 else _exp_of_product(ops, beta, g) for g in gaps]
    excited = 0.0
    for x in weights[1:]:
        excited = excited + x
    z = 1.0 + excited
    log_z = ops.log1p(excited)
    total = 0.0
    rough = 0.0
    mean = 0.0
    second = 0.0
    for x, p, g in zip(weights, populations, gaps):
        w = x / z
        if g == 0:
            # p - 1/z = ((p - 1) + p (z - 1)) / z: p - 1 is exact (p >= 1/2, Sterbenz)
            # and p (z - 1) small, where p - w would carry w's rounding, eps, whose
            # square (the term is ~ (p - w)^2) is 1e-32: a D of 1e-18 (the trace
            # defect of a near-pure float64 state) would keep only 14 digits
            term = phi_term(ops, p, w, ((p - 1.0) + p * excited) / z)
            rough = rough + 4.0 * ops.absolute(p - w)
        else:
            term = _phi_term_or_tail(ops, p, w, beta * g + log_z)
            # w's rounding (exp, the correction, 1/z: 4 eps) moves the term by
            # |p - w| 4 eps at first order and by w (4 eps)^2 at second
            rough = rough + 4.0 * ops.absolute(p - w) + 16.0 * _EPS * w
        total = total + term
        rough = rough + term * 8.0  # the term's own rounding
        mean = mean + w * g
        second = second + w * g * g
    tau = trace_defect(populations)
    relative_entropy = total + tau
    delta = (total - tau * (log_z - 1.0)) / beta
    var = second - mean * mean
    d = len(gaps)
    bound = _EPS * ((rough + 4 * d * ops.absolute(tau) * (1.0 + log_z)) / beta
                    + 8.0 * _EPS * beta * ops.absolute(var))
    return PassiveExcess(delta, relative_entropy, bound)


def two_level_excess(gap, lo, hi):
    """Tr[pi H] - E^th of two non-degenerate levels, numbers or arrays.

    The thermal state then has the spectrum's populations normalised
    (beta = ln(hi/lo)/gap), so gap lo - gap lo / (lo + hi) is
    gap lo tau / (lo + hi), tau = lo + hi - 1 the trace defect: 0 for an
    exact density matrix, and no difference of two numbers of size gap lo.

    >>> from symthermo.passive_excess import two_level_excess
    >>> two_level_excess(1.0, 0.25, 0.75)
    0.0
    """
    return gap * lo * (trace_defect([hi, lo]) / (lo + hi))


def two_level_relative_entropy(ops, lo, hi):
    """D[pi || w(beta)] of two non-degenerate levels: w is the spectrum
    normalised, so p_k / w_k = lo + hi for both levels and
    D = (lo + hi) ln(1 + tau) (0 for an exact density matrix).

    >>> from symthermo.passive_excess import SCALAR, two_level_relative_entropy
    >>> two_level_relative_entropy(SCALAR, 0.25, 0.75)
    0.0
    """
    return (lo + hi) * ops.log1p(trace_defect([hi, lo]))
