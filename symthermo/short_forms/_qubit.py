"""Shared pieces of the qubit short forms: a qubit's spectrum from its Bloch length."""

from __future__ import annotations

import sympy

__all__ = ["qubit_spectrum", "qubit_beta"]


def qubit_spectrum(r):
    """Eigenvalues (1 - r)/2 <= (1 + r)/2 of a qubit state with Bloch length r."""
    return [(1 - r) / 2, (1 + r) / 2]


def qubit_beta(r, w):
    """Entropy-matched beta of a qubit of gap w: ln[(1 + r)/(1 - r)]/w."""
    return sympy.log((1 + r) / (1 - r)) / w
