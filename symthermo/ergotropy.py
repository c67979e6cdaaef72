"""Passive state, ergotropy and exergy (asymptotic ergotropy).

- ergotropy: E - Tr[pi H], pi the passive state with rho's spectrum
  (eigenvalues in decreasing order on the levels in increasing order);
- exergy: E - E^th, E^th the energy of the thermal state with rho's entropy
  (EL23's asymptotic ergotropy, SL26's Xi, Eq. 8);
- the decomposition exergy = ergotropy + (1/beta) D[pi || w(beta)]
  (SL26 Eq. 10 and A3).

Energies are measured from the ground level inside every difference, so a
near-pure state's small exergy is not the difference of two large numbers.

>>> import numpy as np
>>> from symthermo.ergotropy import ergotropy, exergy
>>> H = np.diag([0.0, 1.0])
>>> ergotropy(np.diag([0.0, 1.0]), H)          # excited qubit: all its energy
1.0
>>> exergy(np.diag([0.5, 0.5]), H)             # maximally mixed: nothing
0.0
"""

from __future__ import annotations

from dataclasses import dataclass

from .entropy import entropy_of_spectrum
from .numbers import EXACT, NumberSystem
from .precision import evaluate, rounded, scope
from .states import check_density_matrix, density_spectrum
from .thermal import Levels, Oscillator, _beta_of_spectrum, _thermal_moments, levels_of

__all__ = [
    "passive_state",
    "passive_energy",
    "ergotropy",
    "exergy",
    "ExergyParts",
    "exergy_decomposition",
    "energy",
    "level_energies",
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
    total = lib.zero
    for p, e in zip(descending, gaps):
        total += p * e
    return total


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
    levels = levels_of(H, lib)
    dim = None if isinstance(levels, Oscillator) else len(levels.energies)
    M = check_density_matrix(rho, lib=lib, dim=dim)
    return M, levels


def energy(rho, H, *, dps=None):
    """E = Tr[rho H] (H a matrix, or an :class:`~symthermo.thermal.Oscillator`
    with rho in the Fock basis)."""
    with scope(rho, H, dps=dps) as (lib, digits):
        M, levels = _prepare(lib, rho, H)
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
        M, levels = _prepare(lib, rho, H)
        descending = list(reversed(density_spectrum(M, lib=lib)))
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
        M, levels = _prepare(lib, rho, H)
        above, _ = _energy_above_ground(lib, M, H, levels)
        return _tidy(lib, above - passive_energy(lib, levels, density_spectrum(M, lib=lib)))

    return evaluate(body, rho, H, dps=dps, certify=True)


def _tidy(lib, value):
    if lib is EXACT:
        import sympy

        return sympy.simplify(value)
    return value


def _thermal_energy_above_ground(lib, levels, beta):
    mean, _, _ = _thermal_moments(lib, levels, beta)
    return mean


def exergy(rho, H, *, dps=None):
    """E - E^th(beta), beta the entropy-matched inverse temperature (EL23 Eq. 3-4).

    >>> import mpmath
    >>> from symthermo.ergotropy import exergy
    >>> rho = [["1 - 1e-14", 0, 0], [0, "1e-14", 0], [0, 0, 0]]
    >>> H = [[0, 0, 0], [0, 1, 0], [0, 0, "2.5"]]
    >>> mpmath.nstr(exergy(rho, H, dps=30), 30)
    '3.10210344216613197706862236058e-37'
    """

    def body(lib):
        M, levels = _prepare(lib, rho, H)
        above, _ = _energy_above_ground(lib, M, H, levels)
        beta = _beta_of_spectrum(lib, levels, density_spectrum(M, lib=lib))
        return _tidy(lib, above - _thermal_energy_above_ground(lib, levels, beta))

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
        M, levels = _prepare(lib, rho, H)
        spectrum = density_spectrum(M, lib=lib)
        above, _ = _energy_above_ground(lib, M, H, levels)
        beta = _beta_of_spectrum(lib, levels, spectrum)
        passive = passive_energy(lib, levels, spectrum)
        thermal = _thermal_energy_above_ground(lib, levels, beta)
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
        if lib is EXACT:
            import sympy

            return ExergyParts(*[sympy.simplify(x) for x in (
                parts.exergy, parts.ergotropy, parts.passive_term, parts.beta,
                parts.relative_entropy)])
        return parts

    return evaluate(body, rho, H, dps=dps, certify=True)


def _log_g0(lib, levels):
    if isinstance(levels, Levels) and levels.ground_degeneracy > 1:
        return lib.log(levels.ground_degeneracy)
    return lib.zero
