"""Thermal states and the entropy-matched inverse temperature (EL23 Eq. 3).

A Hamiltonian is either a Hermitian matrix (finitely many levels) or an
:class:`~symthermo.levels.Oscillator`, whose thermal functions are the analytic
infinite-dimensional ones, never those of a truncated thermal state:
n(beta) = 1/(e^{beta omega} - 1), S(n) = (n+1) ln(n+1) - n ln n and
beta(n) = ln(1 + 1/n)/omega.

beta(rho, H) is the beta >= 0 with S[exp(-beta H)/Z] = S[rho]: ``inf`` for a
pure state when the ground level is non-degenerate, ``0`` for the maximally
mixed state.  The thermal entropy decreases from ln d to ln g0 (g0 the
ground degeneracy); an entropy below ln g0 has no thermal state and raises
:class:`~symthermo.errors.DegenerateGroundError`.

The parts: :mod:`symthermo.levels` (a Hamiltonian's levels, the
:class:`~symthermo.levels.Oscillator`), :mod:`symthermo.thermal_functions`
(thermal functions of a spectrum in every number system),
:mod:`symthermo.beta_from_entropy` (the entropy-matched beta),
:mod:`symthermo.thermal_arrays` (float64, many values at once) and
:mod:`symthermo.oscillator_deficit`.

>>> import numpy as np
>>> from symthermo.thermal import entropy_matched_beta
>>> H = np.diag([0.0, 1.0])
>>> p = 1 / (1 + np.exp(-2.0))
>>> round(entropy_matched_beta(np.diag([p, 1 - p]), H), 12)
2.0
>>> entropy_matched_beta(np.diag([1.0, 0.0]), H)
inf
>>> entropy_matched_beta(np.diag([0.5, 0.5]), H)
0.0
"""

from __future__ import annotations

from .beta_from_entropy import _beta_of_spectrum
from .levels import Oscillator, _sym, levels_of
from .numbers import EXACT, MPMATH
from .precision import rounded, scope
from .states import check_hamiltonian, checked_state
from .thermal_functions import _min_entropy, _thermal_moments, thermal_populations

__all__ = ["thermal_state", "thermal_energy", "thermal_entropy", "entropy_matched_beta"]


def thermal_state(H, beta, *, dps=None):
    """exp(-beta H)/Z as a matrix (beta may be ``inf``: the ground projector / g0).

    >>> import numpy as np
    >>> from symthermo.thermal import thermal_state
    >>> thermal_state(np.diag([0.0, 0.0, 1.0]), float("inf")).real.diagonal()
    array([0.5, 0.5, 0. ])
    """
    if isinstance(H, Oscillator):
        raise TypeError("an oscillator has no finite thermal-state matrix; its thermal "
                        "functions are analytic (see thermal_energy, thermal_entropy)")
    with scope(H, beta, dps=dps) as (lib, digits):
        M = check_hamiltonian(H, lib=lib)
        b = _beta_value(lib, beta)
        vals, vecs = lib.eigh(M)
        levels = levels_of(M, lib)
        p = thermal_populations(lib, levels, b)
        # levels_of sorts ascending like eigh, so p matches vals in order
        out = lib.zeros(lib.size(M))
        for k in range(len(vals)):
            out = out + p[k] * lib.projector(lib.column(vecs, k))
        return _round_matrix(lib, out, digits)


def _round_matrix(lib, M, digits):
    if lib is MPMATH and digits is not None:
        from .precision import rounded

        return rounded(M, digits)
    if lib is EXACT:
        return M.applyfunc(lambda x: x.simplify())
    return M


def _beta_value(lib, beta):
    if isinstance(beta, str) and beta.strip().lower() in ("inf", "+inf", "oo"):
        return lib.inf
    if lib is EXACT:
        return _sym(beta)
    b = lib.number(beta) if not isinstance(beta, float) else beta
    if lib is MPMATH:
        import mpmath

        b = mpmath.mpmathify(b)
    if b < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    return b


def thermal_energy(H, beta, *, dps=None):
    """Tr[H exp(-beta H)]/Z (analytic for an oscillator).

    >>> from symthermo.levels import Oscillator
    >>> from symthermo.thermal import thermal_energy
    >>> import mpmath
    >>> mpmath.nstr(thermal_energy(Oscillator(1), "0.5", dps=20), 20)
    '1.5414940825367982841'
    """
    with scope(H, beta, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        b = _beta_value(lib, beta)
        return rounded(_energy(lib, levels, b), digits)


def _energy(lib, levels, beta):
    mean, _, _ = _thermal_moments(lib, levels, beta)
    base = levels.offset if isinstance(levels, Oscillator) else levels.ground
    return base + mean


def thermal_entropy(H, beta, *, dps=None):
    """S[exp(-beta H)/Z] (analytic for an oscillator)."""
    with scope(H, beta, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        b = _beta_value(lib, beta)
        _, _, excess = _thermal_moments(lib, levels, b)
        return rounded(_min_entropy(lib, levels) + excess, digits)


def entropy_matched_beta(rho, H, *, dps=None):
    """The beta >= 0 with S[exp(-beta H)/Z] = S[rho] (EL23 Eq. 3).

    Parameters
    ----------
    rho : matrix
        Density matrix (for an :class:`~symthermo.levels.Oscillator`, in the Fock basis).
    H : matrix or Oscillator
    dps : int, optional
        Digits of an mpmath evaluation.

    Returns ``inf`` for a pure state (non-degenerate ground level) and ``0``
    for the maximally mixed state.

    >>> from symthermo.levels import Oscillator
    >>> from symthermo.thermal import entropy_matched_beta
    >>> import mpmath
    >>> beta = entropy_matched_beta([["3/4", 0], [0, "1/4"]], Oscillator(1), dps=25)
    >>> with mpmath.workdps(30):     # S(n) at n = 1/(e^beta - 1) against S(rho)
    ...     n = 1 / mpmath.expm1(beta)
    ...     s_thermal = (n + 1) * mpmath.log(n + 1) - n * mpmath.log(n)
    ...     s_rho = -mpmath.mpf(3)/4 * mpmath.log(mpmath.mpf(3)/4) + mpmath.log(4) / 4
    ...     print(abs(s_thermal - s_rho) < mpmath.mpf(10)**-24)
    True
    """
    with scope(rho, H, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        dim = None if isinstance(levels, Oscillator) else len(levels.energies)
        _, spectrum = checked_state(rho, lib=lib, dim=dim)
        return rounded(_beta_of_spectrum(lib, levels, spectrum), digits)
