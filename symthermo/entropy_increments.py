r"""Increments of a finite-level state's entropy and thermal energy, without cancellation.

A state that moves a little, p -> p + dp (populations in an eigenbasis, sum dp = 0),
changes its entropy and its entropy-matched thermal energy E^th by amounts of the
size of dp, while S and E^th are of order 1: their differences S(t) - S(0),
E^th(t) - E^th(0) computed in float64 keep only eps / |dp| of their digits (the
qutrit swap at g t = 1e-9 printed every increment as 0).  Here they are computed
from dp itself (numpy; populations as arrays of shape (levels, times)):

- :func:`entropy_increment`: S(p + dp) - S(p) = -sum_k [dp_k ln(p_k + dp_k) +
  p_k log1p(dp_k / p_k)], exact, every term computed to a few ulps; for a Gibbs-like
  p (ln p_k = -L_k - ln Z) sum_k dp_k L_k - D[p + dp || p], which also keeps the
  digits near the maximally mixed state;
- :func:`thermal_step`: the thermal state w(beta_0 + dbeta) whose entropy exceeds
  that of w(beta_0) by a given dS, as dbeta and the population increments
  dq_k = q_k (x_k - m)/(1 + m), x_k = expm1(-dbeta e_k), m = sum_j q_j x_j (from
  q_k(beta) = q_k e^{-dbeta e_k} / sum_j q_j e^{-dbeta e_j}), found by Newton's
  method on dbeta with dS/dbeta = -beta Var_beta(H); then
  E^th(beta_0 + dbeta) - E^th(beta_0) = sum_k dq_k e_k.

The relative entropy of two nearby states, the other piece the qutrit swap needs
(its work W_A = D[rho_A(t) || w(beta_A(t))] / beta_A(t) and sigma_erg_A, both of
order dp^2), is :func:`symthermo.passive_excess.phi_term` given the difference
p - w computed from the increments.

>>> import numpy as np, mpmath
>>> from symthermo.entropy_increments import entropy_increment, thermal_step
>>> e = np.array([[0.0], [1.0], [2.3]])
>>> q = np.exp(-0.8 * e); q = q / q.sum()
>>> dp = 1e-12 * np.array([[1.0], [-3.0], [2.0]])
>>> dS = entropy_increment(q, dp, 0.8 * e)
>>> dbeta, dq = thermal_step(e, q, 0.8, dS)
>>> with mpmath.workdps(50):
...     Q = [mpmath.mpf(float(x)) for x in q[:, 0]]
...     P = [a + mpmath.mpf(float(b)) for a, b in zip(Q, dp[:, 0])]
...     S = lambda ps: -sum(x * mpmath.log(x) for x in ps)
...     ref = S(P) - S(Q)
...     def w(b):
...         z = [mpmath.exp(-b * float(x)) for x in e[:, 0]]
...         return [x / sum(z) for x in z]
...     # the thermal state of entropy S(Q) + ref, from the mpmath beta of Q's entropy
...     b0 = mpmath.findroot(lambda b: S(w(b)) - S(Q), 0.8)
...     b1 = mpmath.findroot(lambda b: S(w(b)) - S(Q) - ref, 0.8)
...     dE = sum((x - y) * float(k) for x, y, k in zip(w(b1), w(b0), e[:, 0]))
>>> bool(abs(dS[0] / ref - 1) < 1e-14), bool(abs((dq[:, 0] * e[:, 0]).sum() / dE - 1) < 1e-12)
(True, True)
"""

from __future__ import annotations

import numpy as np

from .passive_excess import ARRAY, _series_term, phi_term, series_terms

__all__ = ["entropy_increment", "thermal_step", "relative_entropy"]

#: Newton's steps at most; each roughly squares the relative error of dbeta (from the
#: first-order guess, |dbeta| / beta below 1e-2 needs three)
MAX_STEPS = 12


def entropy_increment(p, dp, weights=None):
    """S(p + dp) - S(p) for populations ``p`` > 0 and increments ``dp`` (arrays of
    shape (levels, ...), summed over the first axis); the sum of dp is taken as 0.

    ``weights``: L_k with ln p_k = -L_k - ln Z (a Gibbs-like state, beta E_k for a
    thermal one), shape (levels, 1); then S(p + dp) - S(p) = sum_k dp_k L_k -
    D[p + dp || p], the relative entropy from :func:`~symthermo.passive_excess.phi_term`:
    near the maximally mixed state the sum over dp_k ln p_k cancels to beta E_k dp_k
    and kept only eps / (beta E) of its digits, the L_k keep them."""
    if weights is not None:
        return (dp * weights).sum(axis=0) - relative_entropy(p + dp, p, dp)
    with np.errstate(divide="ignore", invalid="ignore"):
        after = p + dp
        terms = np.where(after > 0, dp * np.log(np.where(after > 0, after, 1.0)), 0.0) \
            + p * np.log1p(dp / p)
    return -terms.sum(axis=0)


def relative_entropy(p, w, diff):
    """D[p || w] = sum_k w_k phi(p_k / w_k) over the first axis, for w > 0, given
    diff = p - w computed without cancellation: the series of
    :func:`symthermo.passive_excess.phi_term`, cut to the terms the largest
    |u| = |p - w|/(p + w) needs, where every |u| <= 1/3 (states this close are what
    this module is for), else phi_term itself."""
    total = p + w
    u = diff / total
    u_max = float(np.max(np.abs(u), initial=0.0))
    if u_max <= 1.0 / 3.0:
        return _series_term(total, u, series_terms(u_max)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return phi_term(ARRAY, p, w, diff).sum(axis=0)


def _moments(e, q):
    mean = (q * e).sum(axis=0)
    return mean, (q * e * e).sum(axis=0) - mean * mean


def _populations_step(e, q0, dbeta):
    x = np.expm1(-dbeta * e)
    m = (q0 * x).sum(axis=0)
    return q0 * (x - m) / (1 + m)


def thermal_step(e, q0, beta0, dS):
    """(dbeta, dq): the thermal state w(beta0 + dbeta) = q0 + dq whose entropy is
    S(q0) + dS, for the thermal populations ``q0`` at ``beta0`` > 0 on the energies
    ``e`` (both of shape (levels, 1)) and an array ``dS`` (shape (times,)); dq has
    shape (levels, times).  Newton's method on dbeta from the second-order solution,
    stopped after a step below 1e-9 of dbeta (Newton's error then ~ 1e-18); nan where
    that is not reached in MAX_STEPS steps."""
    dS = np.asarray(dS, dtype=float)
    mean0, var0 = _moments(e, q0)
    # second order: S(beta0 + d) - S(beta0) = -beta0 var0 d - (var0 - beta0 k3) d^2 / 2
    # (k3 the third cumulant), so the error of the start is O(d^3)
    k3 = (q0 * (e - mean0) ** 3).sum(axis=0)
    first = -dS / (beta0 * var0)
    dbeta = -dS / (beta0 * var0 + (var0 - beta0 * k3) * first / 2)
    for _ in range(MAX_STEPS):
        dq = _populations_step(e, q0, dbeta)
        q = q0 + dq
        _, var = _moments(e, q)
        step = (entropy_increment(q0, dq, beta0 * e) - dS) / (-(beta0 + dbeta) * var)
        dbeta = dbeta - step
        # Newton's error after a step is of the order of the step squared (relative)
        if np.all(np.abs(step) <= 1e-9 * np.abs(dbeta)):
            break
    else:  # not settled in MAX_STEPS: nan where the last step was still large
        dbeta = np.where(np.abs(step) <= 1e-9 * np.abs(dbeta), dbeta, np.nan)
    return dbeta, _populations_step(e, q0, dbeta)
