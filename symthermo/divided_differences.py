r"""exp[0, a, c], the second divided difference of the exponential, without cancellation.

For nodes 0, a, c (complex)

    exp[0, a, c] = (phi1(a) - phi1(c)) / (a - c),   phi1(z) = (e^z - 1)/z = exp[0, z],

the integral of e^{u a + v c} over the triangle u, v >= 0, u + v <= 1.  It is the
function that makes a population leaving 1 quadratically keep its digits: for a
2x2 generator with eigenvalues A_00 + r_1, A_00 + r_2 (r_1 r_2 = -A_01 A_10),
e^{-A_00 t} (e^{A t})_00 = 1 - a c exp[0, a, c] with a = r_1 t, c = r_2 t (the
reaction coordinate's qubit amplitude, :mod:`symthermo.models.reaction_coordinate`).

Evaluation (numpy, elementwise):

- both |a|, |c| <= :data:`SERIES_RADIUS` (1/2): the Taylor series
  sum_k h_k(a, c) / (k + 2)!, h_k = sum_{j <= k} a^j c^{k - j}, at most :data:`TERMS`
  terms.  Truncation: for |a|, |c| <= r, |h_k| <= (k + 1) r^k, so the tail after K
  terms is below 2 (K + 1) r^K / (K + 2)! (17 2^-16 / 18! < 1.5e-18 for r = 1/2,
  K = 16), while |exp[0, a, c]| >= Re >= e^{-1/2} cos(1/2) / 2 > 0.26 on that disc:
  K is the first with a tail below 4e-18, eps / 60 relative;
- otherwise Newton's recursion with the two most distant nodes outermost, so that
  the final division is by a distance >= 1/2 and the first divided differences
  exp[x, y] = e^y phi1(x - y) are each computed to a few ulps (numpy's complex expm1).

>>> import numpy as np, mpmath
>>> from symthermo.divided_differences import exp_divided_difference
>>> a = np.array([1e-9j, 0.3 - 0.2j, -40.0 + 3j, -5.0])
>>> c = np.array([-1e-9j, -0.1 + 0.1j, -40.0 + 3.001j, 2j])
>>> got = exp_divided_difference(a, c)
>>> with mpmath.workdps(60):       # the defining formula, its cancellation paid in digits
...     def ref(x, y):
...         p = lambda z: mpmath.expm1(z) / z
...         return (p(mpmath.mpc(x)) - p(mpmath.mpc(y))) / (mpmath.mpc(x) - mpmath.mpc(y))
...     worst = max(abs(g - ref(x, y)) / abs(ref(x, y)) for g, x, y in zip(got, a, c))
>>> bool(worst < 1e-15)
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["exp_divided_difference", "phi1", "SERIES_RADIUS", "TERMS"]

#: both nodes within this modulus: the Taylor series
SERIES_RADIUS = 0.5
#: terms of the series (see the module docstring for the bound)
TERMS = 16
_INV_FACTORIALS = tuple(1.0 / math.factorial(k + 2) for k in range(TERMS))


def phi1(z):
    """(e^z - 1)/z elementwise: 1 + z/2 + z^2/6 for |z| < 1e-8 (the rest below 1e-24
    relative; numpy's complex division of two subnormals gives nan)."""
    tiny = np.abs(z) < 1e-8
    safe = np.where(tiny, 1.0, z)
    return np.where(tiny, 1 + z / 2 + z * z / 6, np.expm1(safe) / safe)


def _terms(radius):
    """Terms enough for nodes within ``radius`` (<= SERIES_RADIUS): the tail bound
    2 (K + 1) radius^K / (K + 2)! below 4e-18 (eps / 60 of the smallest |exp[0, a, c]|)."""
    for k in range(1, TERMS):
        if 2 * (k + 1) * radius ** k * _INV_FACTORIALS[k] <= 4e-18:
            return k
    return TERMS


def _series(a, c, radius=SERIES_RADIUS):
    """The series (numpy arrays or Python complex numbers alike)."""
    total, h, power = _INV_FACTORIALS[0], 1.0, 1.0
    for k in range(1, _terms(radius)):
        power = power * a
        h = c * h + power
        total = total + h * _INV_FACTORIALS[k]
    return total


def _newton(a, c):
    d_ac, d_a, d_c = np.abs(a - c), np.abs(a), np.abs(c)
    out = np.empty(a.shape, dtype=complex)
    outer_ac = (d_ac >= d_a) & (d_ac >= d_c)
    outer_0a = ~outer_ac & (d_a >= d_c)
    outer_0c = ~outer_ac & ~outer_0a
    if outer_ac.any():  # (exp[0, a] - exp[0, c]) / (a - c)
        x, y = a[outer_ac], c[outer_ac]
        out[outer_ac] = (phi1(x) - phi1(y)) / (x - y)
    if outer_0a.any():  # nodes in the order 0, c, a: (exp[c, a] - exp[0, c]) / a
        x, y = a[outer_0a], c[outer_0a]
        out[outer_0a] = (np.exp(y) * phi1(x - y) - phi1(y)) / x
    if outer_0c.any():  # nodes in the order 0, a, c: (exp[a, c] - exp[0, a]) / c
        x, y = a[outer_0c], c[outer_0c]
        out[outer_0c] = (np.exp(x) * phi1(y - x) - phi1(x)) / y
    return out


def exp_divided_difference(a, c):
    """exp[0, a, c] elementwise for complex (or real) arrays ``a``, ``c`` (see the
    module docstring); a complex array of their broadcast shape."""
    a, c = np.asarray(a, dtype=complex), np.asarray(c, dtype=complex)
    if a.shape != c.shape:
        a, c = np.broadcast_arrays(a, c)
    if a.size <= 8:  # a few nodes near 0: Python's complex numbers, without numpy's overhead
        pairs = list(zip(a.tolist(), c.tolist())) if a.ndim == 1 else [
            (complex(x), complex(y)) for x, y in zip(a.flat, c.flat)]
        radius = max((max(abs(x), abs(y)) for x, y in pairs), default=0.0)
        if radius <= SERIES_RADIUS:
            return np.array([_series(x, y, radius) for x, y in pairs],
                            dtype=complex).reshape(a.shape)
    out = np.empty(a.shape, dtype=complex)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        size = np.maximum(np.abs(a), np.abs(c))
        near = size <= SERIES_RADIUS
        if near.all():
            return _series(a, c, float(np.max(size, initial=0.0))) + 0 * a
        if near.any():
            out[near] = _series(a[near], c[near], float(np.max(size[near])))
        far = ~near
        out[far] = _newton(a[far], c[far])
    return out
