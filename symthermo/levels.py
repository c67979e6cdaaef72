"""A Hamiltonian by its energy levels: :class:`Levels` of a Hermitian matrix
(ascending, multiplicities kept, the ground degeneracy decided at the working
precision) or an :class:`Oscillator`, H = omega a^dag a, whose levels are
infinitely many and whose thermal functions are analytic."""

from __future__ import annotations

from dataclasses import dataclass

from .numbers import EXACT, MPMATH, NumberSystem
from .states import check_hamiltonian

__all__ = ["Oscillator", "Levels", "levels_of"]


@dataclass(frozen=True)
class Oscillator:
    """H = omega a^dag a (+ offset): levels offset + omega k, k = 0, 1, 2, ...

    States of an oscillator are given as matrices in the Fock basis
    |0>, |1>, ..., |n_max>; its thermal functions are analytic.
    """

    omega: object = 1
    offset: object = 0

    def __post_init__(self):
        try:
            positive = float(self.omega) > 0
        except (TypeError, ValueError):
            positive = True  # symbolic
        if not positive:
            raise ValueError(f"oscillator frequency must be positive, got {self.omega}")


@dataclass(frozen=True)
class Levels:
    """Finitely many energy levels, ascending, multiplicities kept."""

    energies: tuple
    ground_degeneracy: int

    @property
    def ground(self):
        return self.energies[0]

    @property
    def gaps(self):
        """Energies above the ground level (ground-level entries are exact 0)."""
        e0 = self.energies[0]
        return tuple(e - e0 if k >= self.ground_degeneracy else 0 * e0
                     for k, e in enumerate(self.energies))

    @property
    def is_qubit(self):
        """Two non-degenerate levels."""
        return len(self.energies) == 2 and self.ground_degeneracy == 1

    def passive_diagonal_qubit(self, above):
        """Whether a qubit state diagonal in the energy basis with mean energy
        ``above`` over the ground level is passive: p_e = above/gap < 1/2.

        Such a state is the Gibbs state of beta = ln(p_g/p_e)/gap, which is its
        entropy-matched beta: its ergotropy and exergy are exactly 0 and
        E^th = E (a structural zero, the same on every route).  Works on
        numbers, numpy arrays (elementwise) and balls (True only when proven).

        >>> from symthermo.levels import Levels
        >>> Levels((-0.5, 0.5), 1).passive_diagonal_qubit(0.25)
        True
        """
        return above < self.gaps[1] / 2


def levels_of(H, lib: NumberSystem):
    """``Levels`` of a Hermitian matrix, or the ``Oscillator`` itself."""
    if isinstance(H, Oscillator):
        return Oscillator(lib.number(H.omega) if lib is not EXACT else _sym(H.omega),
                          lib.number(H.offset) if lib is not EXACT else _sym(H.offset))
    if isinstance(H, Levels):
        return H
    M = check_hamiltonian(H, lib=lib)
    energies = list(lib.eigvalsh(M))
    e0 = energies[0]
    if lib is EXACT:
        g0 = sum(1 for e in energies if (e - e0).is_zero is True) if all(
            e.is_number for e in energies) else 1
    else:
        # relative to the energies themselves: a qubit of gap 1e-10 is not degenerate
        # because the working precision is 20 digits (max(1, |E|) made it so)
        scale = max(abs(e) for e in energies) or lib.one
        if lib is MPMATH:
            # mpmath: the eigenvalues' rounding (guard digits included) beside the largest,
            # or dps digits of the pair itself: levels 0 and 1 beside 1e10 at dps 10 are two
            def same(e):
                return (e - e0 <= 64 * lib.eps * scale
                        or e - e0 <= lib.tolerance * max(abs(e0), abs(e)))
        else:
            def same(e):
                return e - e0 <= lib.tolerance * scale
        # (e is e0: a ball minus itself is a ball about 0, not a proven 0)
        g0 = sum(1 for e in energies if e is e0 or same(e))
        energies = [e0] * g0 + energies[g0:]
    return Levels(tuple(energies), g0)


def _sym(x):
    import sympy

    return sympy.sympify(x)
