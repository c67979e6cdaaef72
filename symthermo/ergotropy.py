"""Passive state, ergotropy and exergy (asymptotic ergotropy).

- ergotropy: E - Tr[pi H], pi the passive state with rho's spectrum
  (eigenvalues in decreasing order on the levels in increasing order);
- exergy: E - E^th, E^th the energy of the thermal state with rho's entropy
  (EL23's asymptotic ergotropy, SL26's Xi, Eq. 8);
- the decomposition exergy = ergotropy + (1/beta) D[pi || w(beta)]
  (SL26 Eq. 10 and A3).

Energies are measured from the ground level inside every difference, so a
near-pure state's small exergy is not the difference of two large numbers.
In float64 on finitely many levels the exergy is moreover computed as
ergotropy + (Tr[pi H] - E^th), the second part as a sum of non-negative terms
(:mod:`symthermo.passive_excess`): E - E^th of a near-pure state subtracts two
numbers of the size e of its excited populations, and lost everything beyond
their difference (1e-5 relative at e = 1e-6 for diag(1 - e, e, 0)).

>>> import numpy as np
>>> from symthermo.ergotropy import ergotropy, exergy
>>> H = np.diag([0.0, 1.0])
>>> ergotropy(np.diag([0.0, 1.0]), H)          # excited qubit: all its energy
1.0
>>> exergy(np.diag([0.5, 0.5]), H)             # maximally mixed: nothing
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .entropy import entropy_of_spectrum
from .numbers import EXACT, FLOAT64, NumberSystem
from .passive_excess import (SCALAR, PassiveExcess, passive_excess, two_level_excess,
                             two_level_relative_entropy)
from .precision import evaluate, rounded, scope
from .states import _is_diagonal_array, checked_state
from .beta_from_entropy import _beta_of_spectrum, _thermal_mean_of_spectrum
from .levels import Levels, Oscillator, levels_of
from .thermal_functions import _thermal_moments

__all__ = [
    "passive_state",
    "passive_energy",
    "ergotropy",
    "exergy",
    "ExergyParts",
    "exergy_decomposition",
    "energy",
    "level_energies",
    "clip_rounding",
    "ergotropy_rounding_bound",
    "exergy_rounding_bound",
    "float_passive_excess",
    "excess_bound",
]


def level_energies(levels, count):
    """The first ``count`` energies of ``levels`` (ascending)."""
    if isinstance(levels, Oscillator):
        return [levels.offset + levels.omega * k for k in range(count)]
    return list(levels.energies[:count])


def _level_gaps(lib, levels, count):
    if isinstance(levels, Oscillator):
        return [levels.omega * k for k in range(count)]
    return list(levels.gaps[:count])


def passive_energy(lib: NumberSystem, levels, spectrum):
    """Tr[pi H] - E_0: eigenvalues (ascending list) placed in decreasing order
    on the levels in increasing order, measured from the ground energy."""
    descending = list(reversed(spectrum))
    gaps = _level_gaps(lib, levels, len(descending))
    total = None
    for p, e in zip(descending, gaps):
        if lib.is_exact_zero(e):
            continue  # p * 0 adds an exact 0 (the ground level): left out, the sum is the same
        total = p * e if total is None else total + p * e
    return lib.zero if total is None else total


def _hamiltonian_matrix(lib, H, levels, n):
    if isinstance(levels, Oscillator):
        return lib.diag(level_energies(levels, n))
    return lib.as_matrix(H)


def _energy_above_ground(lib, rho, H, levels):
    n = lib.size(rho)
    Hm = _hamiltonian_matrix(lib, H, levels, n)
    ground = levels.offset if isinstance(levels, Oscillator) else levels.ground
    return lib.expectation(rho, Hm - ground * lib.eye(n)), ground


def _prepare(lib, rho, H):
    """(matrix, levels, spectrum) of a checked state."""
    levels = levels_of(H, lib)
    dim = None if isinstance(levels, Oscillator) else len(levels.energies)
    M, spectrum = checked_state(rho, lib=lib, dim=dim)
    return M, levels, spectrum


def energy(rho, H, *, dps=None):
    """E = Tr[rho H] (H a matrix, or an :class:`~symthermo.levels.Oscillator`
    with rho in the Fock basis)."""
    with scope(rho, H, dps=dps) as (lib, digits):
        M, levels, _ = _prepare(lib, rho, H)
        above, ground = _energy_above_ground(lib, M, H, levels)
        return rounded(ground + above, digits)


def passive_state(rho, H, *, dps=None):
    """The passive state with rho's spectrum, as a matrix in H's basis.

    >>> import numpy as np
    >>> from symthermo.ergotropy import passive_state
    >>> passive_state(np.diag([0.2, 0.8]), np.diag([0.0, 1.0])).real
    array([[0.8, 0. ],
           [0. , 0.2]])
    """

    def body(lib):
        M, levels, spectrum = _prepare(lib, rho, H)
        descending = list(reversed(spectrum))
        if isinstance(levels, Oscillator):
            return lib.diag(descending)
        _, vecs = lib.eigh(lib.as_matrix(H))
        out = lib.zeros(lib.size(M))
        for k, p in enumerate(descending):
            out = out + p * lib.projector(lib.column(vecs, k))
        return out

    return evaluate(body, rho, H, dps=dps)


def ergotropy(rho, H, *, dps=None):
    """E - Tr[pi H]: the energy a unitary on the system alone can extract."""

    def body(lib):
        M, levels, spectrum = _prepare(lib, rho, H)
        above, ground = _energy_above_ground(lib, M, H, levels)
        passive = passive_energy(lib, levels, spectrum)
        value = _tidy(lib, above - passive)
        if lib is FLOAT64:
            bound = ergotropy_rounding_bound(len(spectrum), above, passive,
                                             _eigenvalue_error(M, levels, len(spectrum)), ground)
            value = clip_rounding(value, bound)
        return value

    return evaluate(body, rho, H, dps=dps, certify=True)


def _exergy_bound(lib, M, levels, spectrum, above, thermal, beta, ground):
    return exergy_rounding_bound(
        len(spectrum), above, thermal, beta, entropy_of_spectrum(lib, spectrum),
        _spread(levels, thermal), _eigenvalue_error(M, levels, len(spectrum)), ground)


def _gap_sum(levels, count):
    if isinstance(levels, Oscillator):
        return float(levels.omega) * count * (count - 1) / 2
    return float(sum(levels.gaps[:count]))


def _eigenvalue_error(M, levels, count):
    """The energy that the eigensolver's rounding of rho's eigenvalues can move
    (0 for a diagonal float64 matrix, whose eigenvalues are exact)."""
    if _is_diagonal_array(M):
        return 0.0
    eps = FLOAT64.eps
    return 2 * count * eps * max(1.0, FLOAT64.norm(M)) * _gap_sum(levels, count)


def ergotropy_rounding_bound(d, above, passive, eigen_error=0.0, offset=0.0):
    """A bound on the float64 rounding of ergotropy = above - passive (d levels):
    8 d eps (|above| + |passive| + |offset|), plus what the eigenvalues' rounding
    moves.  ``offset`` is the ground energy the energies were measured from (an
    energy near -0.5 rounded to 5.6e-17 leaves that much in E - E0).  Works
    elementwise on numpy arrays."""
    return 8 * d * FLOAT64.eps * (abs(above) + abs(passive) + abs(offset)) + eigen_error


def exergy_rounding_bound(d, above, thermal, beta, entropy, spread, eigen_error=0.0,
                          offset=0.0):
    """A bound on the float64 rounding of exergy = above - thermal (d levels).

    Besides the rounding of the two energies, E^th(beta) moves by Var(H) dbeta
    when beta moves by dbeta: by beta Var(H) eps for a solve converged to a few
    ulps of beta, and by dS / beta for an entropy rounded by dS ~ d eps S.
    ``spread`` bounds Var(H) / E^th (the largest gap; E^th + omega for an
    oscillator), ``offset`` is the ground energy (as for
    :func:`ergotropy_rounding_bound`).  Elementwise on numpy arrays; beta may
    be 0 or inf.
    """
    import numpy as np

    if not any(isinstance(x, np.ndarray) for x in (above, thermal, beta, entropy, spread)):
        # one row: plain floats (no numpy overhead on the per-row route)
        scale = 8 * d * FLOAT64.eps
        t = abs(float(thermal))
        b = float(beta)
        finite = 0 < b < math.inf
        out = scale * (abs(float(above)) + t + (b * float(spread) * t + abs(float(entropy)) / b
                                                 if finite else 0.0) + abs(float(offset)))
        return out + eigen_error * (1 + (40 * d / b if finite else 0.0))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        beta = np.asarray(beta, dtype=float)
        finite = np.isfinite(beta) & (beta > 0)
        b = np.where(finite, beta, 0.0)
        s_over_b = np.where(finite, np.abs(entropy) / np.where(finite, beta, 1.0), 0.0)
        t = np.abs(thermal)
        out = 8 * d * FLOAT64.eps * (np.abs(above) + t + b * spread * t + s_over_b
                                     + np.abs(offset))
        out = out + eigen_error * (1 + np.where(finite, 40 * d / np.where(finite, beta, 1.0), 0.0))
    return out if out.ndim else float(out)


def clip_rounding(value, bound):
    """0 for a value in [-bound, 0) (rounding noise about an exact 0 of a quantity
    that cannot be negative); anything else unchanged, a real negative included.
    Elementwise on numpy arrays; ``bound`` may be a function of no arguments
    giving it, called only when some value is negative.

    >>> from symthermo.ergotropy import clip_rounding
    >>> clip_rounding(-1e-26, 1e-20), clip_rounding(-1e-3, 1e-20), clip_rounding(2e-26, 1e-20)
    (0.0, -0.001, 2e-26)
    >>> clip_rounding(-1e-26, lambda: 1e-20)
    0.0
    """
    import numpy as np

    if isinstance(value, np.ndarray):
        if _lowest(value) >= 0:  # none negative (nor nan)
            return value
        if callable(bound):
            bound = bound()
        return np.where((value < 0) & (value >= -bound), 0.0, value)
    if value < 0:
        if callable(bound):
            bound = bound()
        if value >= -bound:
            return 0.0
    return value


def _lowest(values):
    """The least entry of a numpy array (a nan if any is nan)."""
    import numpy as np

    return np.minimum.reduce(values, axis=None)


def _tidy(lib, value):
    if lib is EXACT:
        import sympy

        return sympy.simplify(value)
    return value


def _thermal_energy_above_ground(lib, levels, beta, spectrum=None):
    if spectrum is not None:
        return _thermal_mean_of_spectrum(lib, levels, spectrum, beta)
    mean, _, _ = _thermal_moments(lib, levels, beta)
    return mean


def _spread(levels, thermal):
    """An upper bound on Var(H) / <H - E0> of a thermal state."""
    if isinstance(levels, Oscillator):
        return thermal + float(levels.omega)
    return float(levels.gaps[-1])


def exergy(rho, H, *, dps=None):
    """E - E^th(beta), beta the entropy-matched inverse temperature (EL23 Eq. 3-4).

    In float64 on finitely many levels: ergotropy + (Tr[pi H] - E^th) from
    :func:`~symthermo.passive_excess.passive_excess`, within a few ulps of
    the exact value of the float64 input, except for a spectrum within a
    relative rho of a thermal one: about eps / rho relative there (the
    rounding of the thermal populations), which the rounding bound includes.

    >>> import mpmath
    >>> from symthermo.ergotropy import exergy
    >>> rho = [["1 - 1e-14", 0, 0], [0, "1e-14", 0], [0, 0, 0]]
    >>> H = [[0, 0, 0], [0, 1, 0], [0, 0, "2.5"]]
    >>> mpmath.nstr(exergy(rho, H, dps=30), 30)
    '3.10210344216613197706862236058e-37'
    """

    def body(lib):
        M, levels, spectrum = _prepare(lib, rho, H)
        above, ground = _energy_above_ground(lib, M, H, levels)
        beta = _beta_of_spectrum(lib, levels, spectrum)
        excess = float_passive_excess(lib, levels, spectrum, beta)
        if excess is not None:
            # ergotropy + (Tr[pi H] - E^th), the second part without cancellation
            passive = passive_energy(lib, levels, spectrum)
            eigen_error = _eigenvalue_error(M, levels, len(spectrum))
            return clip_rounding((above - passive) + excess.delta, excess_bound(
                excess, beta, len(spectrum), eigen_error) + ergotropy_rounding_bound(
                    len(spectrum), above, passive, eigen_error, ground))
        thermal = _thermal_energy_above_ground(lib, levels, beta, spectrum)
        value = _tidy(lib, above - thermal)
        if lib is FLOAT64:
            value = clip_rounding(value, _exergy_bound(
                lib, M, levels, spectrum, above, thermal, beta, ground))
        return value

    return evaluate(body, rho, H, dps=dps, certify=True)


@dataclass(frozen=True)
class ExergyParts:
    """exergy = ergotropy + passive_term, passive_term = D[pi || w(beta)] / beta."""

    exergy: object
    ergotropy: object
    passive_term: object
    beta: object
    relative_entropy: object


def exergy_decomposition(rho, H, *, dps=None):
    """Both sides of SL26 Eq. (10): exergy and ergotropy + (1/beta) D[pi||w(beta)].

    D[pi || w(beta)] = -S(pi) + beta Tr[pi (H - E0)] + ln Z', written out with
    the analytic thermal functions (so it holds for an oscillator too).  At
    beta = inf (pure state) and beta = 0 (maximally mixed) pi equals w and the
    passive term is 0.

    >>> import numpy as np
    >>> from symthermo.ergotropy import exergy_decomposition
    >>> parts = exergy_decomposition(np.diag([0.6, 0.1, 0.3]), np.diag([0.0, 1.0, 2.0]))
    >>> abs(parts.exergy - parts.ergotropy - parts.passive_term) < 1e-14
    True
    """

    def body(lib):
        M, levels, spectrum = _prepare(lib, rho, H)
        above, ground = _energy_above_ground(lib, M, H, levels)
        beta = _beta_of_spectrum(lib, levels, spectrum)
        passive = passive_energy(lib, levels, spectrum)
        thermal = _thermal_energy_above_ground(lib, levels, beta, spectrum)
        if lib is not EXACT and (lib.isinf(beta) or beta == 0):
            d = passive_term = lib.zero
        else:
            # D[pi||w] = -S(pi) + beta <H - E0>_pi + ln Z'
            s_pi = entropy_of_spectrum(lib, spectrum)
            _, _, excess = _thermal_moments(lib, levels, beta)
            log_z = excess - beta * thermal + _log_g0(lib, levels)
            d = -s_pi + beta * passive + log_z
            passive_term = d / beta
        parts = ExergyParts(above - thermal, above - passive, passive_term, beta, d)
        excess = float_passive_excess(lib, levels, spectrum, beta)
        if lib is FLOAT64:
            eigen_error = _eigenvalue_error(M, levels, len(spectrum))
            erg_bound = ergotropy_rounding_bound(len(spectrum), above, passive, eigen_error,
                                                 ground)
            if excess is not None:
                # Tr[pi H] - E^th and D without cancellation (passive_excess)
                d = excess.relative_entropy
                passive_term = excess.delta
                value = clip_rounding((above - passive) + passive_term, erg_bound + excess_bound(
                    excess, beta, len(spectrum), eigen_error))
            else:
                value = clip_rounding(parts.exergy, _exergy_bound(
                    lib, M, levels, spectrum, above, thermal, beta, ground))
            parts = ExergyParts(value, clip_rounding(parts.ergotropy, erg_bound),
                                passive_term, beta, d)
        if lib is EXACT:
            import sympy

            return ExergyParts(*[sympy.simplify(x) for x in (
                parts.exergy, parts.ergotropy, parts.passive_term, parts.beta,
                parts.relative_entropy)])
        return parts

    return evaluate(body, rho, H, dps=dps, certify=True)


def float_passive_excess(lib, levels, spectrum, beta):
    """Tr[pi H] - E^th (and D[pi || w(beta)]) of a float64 spectrum (ascending) on
    finitely many levels at 0 < beta < inf, without cancellation
    (:mod:`symthermo.passive_excess`); None otherwise (other number systems,
    oscillators, beta = 0 or inf: the difference of energies is then exact enough).

    Two non-degenerate levels: the thermal state has the spectrum's populations
    normalised, so Tr[pi H] - E^th = gap lo tau / (lo + hi) and
    D = (lo + hi) ln(1 + tau), tau = lo + hi - 1.
    """
    if lib is not FLOAT64 or not isinstance(levels, Levels) or not 0 < beta < math.inf:
        return None
    gaps = [float(g) for g in levels.gaps]
    if len(gaps) == 2 and levels.ground_degeneracy == 1:
        lo, hi = float(spectrum[0]), float(spectrum[-1])
        delta = two_level_excess(gaps[1], lo, hi)
        return PassiveExcess(delta, two_level_relative_entropy(SCALAR, lo, hi),
                             4 * FLOAT64.eps * abs(delta))
    return passive_excess(SCALAR, gaps, [float(p) for p in reversed(spectrum)], float(beta))


def excess_bound(excess, beta, d, eigen_error):
    """The rounding bound of a :class:`~symthermo.passive_excess.PassiveExcess`
    plus what the eigensolver's rounding of the spectrum (``eigen_error``, see
    :func:`_eigenvalue_error`) moves it by through beta: as in
    :func:`exergy_rounding_bound`, eigen_error 40 d / beta."""
    return excess.bound + eigen_error * 40 * d / beta


def _log_g0(lib, levels):
    if isinstance(levels, Levels) and levels.ground_degeneracy > 1:
        return lib.log(levels.ground_degeneracy)
    return lib.zero
