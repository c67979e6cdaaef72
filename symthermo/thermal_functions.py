"""Thermal functions of a spectrum, written once for every number system (``lib``
first): Boltzmann weights and populations, the mean energy, its variance and the
entropy above ln g0 (:func:`_thermal_moments`), and the oscillator's analytic
n(beta) and S(n), accurate from beta omega -> 0 to far beyond the overflow of
e^{beta omega}."""

from __future__ import annotations

from .levels import Levels, Oscillator
from .numbers import EXACT, MPMATH

__all__ = ["thermal_populations", "oscillator_occupation", "oscillator_entropy"]


def _boltzmann_weights(lib, levels: Levels, beta):
    """exp(-beta (E_k - E_0)) for each level (ground entries exactly 1)."""
    weights = []
    for k, gap in enumerate(levels.gaps):
        if k < levels.ground_degeneracy:
            weights.append(lib.one)
        elif lib is not EXACT and lib.isinf(beta):
            weights.append(lib.zero)
        else:
            weights.append(lib.exp(-beta * gap))
    return weights


def thermal_populations(lib, levels: Levels, beta):
    """Populations of exp(-beta H)/Z on the ascending levels."""
    if isinstance(levels, Oscillator):
        raise TypeError("an oscillator has infinitely many thermal populations; "
                        "use oscillator_occupation for its mean number")
    w = _boltzmann_weights(lib, levels, beta)
    z = _sum(lib, w)
    return [x / z for x in w]


def _sum(lib, terms):
    if lib is MPMATH:
        import mpmath

        return mpmath.fsum(terms)
    total = lib.zero
    for t in terms:
        total += t
    return total


def _thermal_moments(lib, levels, beta):
    """(mean of E - E0, variance of E, entropy in excess of ln g0) at beta."""
    if isinstance(levels, Oscillator):
        w = levels.omega
        if lib is not EXACT and lib.isinf(beta):
            return lib.zero, lib.zero, lib.zero
        n = oscillator_occupation(lib, w, beta)
        excess = beta * w * n - _log1mexp(lib, beta * w)
        return w * n, w * w * n * (n + 1), excess
    p = thermal_populations(lib, levels, beta)
    gaps = levels.gaps
    mean = _sum(lib, [pk * gk for pk, gk in zip(p, gaps)])
    var = _sum(lib, [pk * (gk - mean) ** 2 for pk, gk in zip(p, gaps)])
    g0 = levels.ground_degeneracy
    if lib is not EXACT and lib.isinf(beta):
        return mean, var, lib.zero
    excited = _sum(lib, _boltzmann_weights(lib, levels, beta)[g0:])
    excess = beta * mean + lib.log1p(excited / g0)
    return mean, var, excess


def _log1mexp(lib, x):
    """ln(1 - e^{-x}) for x > 0 without cancellation: ln(-expm1(-x)) for small x
    (1 - e^{-x} is computed, not subtracted), log1p(-e^{-x}) for large x."""
    if lib is EXACT:
        import sympy

        return sympy.log(1 - sympy.exp(-x))
    if x <= 0.6931471805599453:
        return lib.log(-lib.expm1(-x))
    return lib.log1p(-lib.exp(-x))


def oscillator_occupation(lib, omega, beta):
    """n(beta) = 1/(exp(beta omega) - 1), numerically e^{-x}/(1 - e^{-x}) with
    1 - e^{-x} = -expm1(-x): accurate from x = beta omega -> 0 to x far beyond
    the overflow of e^x (n then underflows to 0 instead of raising)."""
    if lib is EXACT:
        return 1 / lib.expm1(beta * omega)
    if lib.isinf(beta):
        return lib.zero
    x = beta * omega
    return lib.exp(-x) / -lib.expm1(-x)


def oscillator_entropy(lib, n):
    """S(n) = (n + 1) ln(n + 1) - n ln n (0 at n = 0), ln(n + 1) as log1p(n).

    For n below the float64 epsilon n + 1 rounds to 1, and (n + 1) ln(n + 1)
    computed from it would drop the term n of S = n (1 - ln n) + O(n^2):

    >>> import math
    >>> from symthermo.numbers import FLOAT64
    >>> from symthermo.thermal_functions import oscillator_entropy
    >>> n = 1e-20
    >>> s = n * (1 - math.log(n))              # + O(n^2), far below the rounding of s
    >>> abs(oscillator_entropy(FLOAT64, n) - s) <= 4e-16 * s
    True
    """
    if lib is EXACT:
        return lib.xlogx(n + 1) - lib.xlogx(n)
    if n >= 1:
        # n ln(1 + 1/n) + ln(1 + n): two positive terms (the form above cancels
        # (n + 1) ln(n + 1) against n ln n, losing n eps)
        return n * lib.log1p(1 / n) + lib.log1p(n)
    return (n + 1) * lib.log1p(n) - lib.xlogx(n)


def _max_entropy(lib, levels):
    if isinstance(levels, Oscillator):
        return lib.inf
    return lib.log(lib.number(len(levels.energies)) if lib is not EXACT else len(levels.energies))


def _min_entropy(lib, levels):
    if isinstance(levels, Oscillator):
        return lib.zero
    g0 = levels.ground_degeneracy
    return lib.log(lib.number(g0) if lib is not EXACT else g0) if g0 > 1 else lib.zero
