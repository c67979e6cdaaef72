"""The resonant exchange of one excitation: P_e(t) = 1 - (4 g^2/nu^2) sin^2(nu t/2)."""

from __future__ import annotations

import sympy

from ..models.base import T
from . import Intermediate

__all__ = ["rabi_intermediates"]


def rabi_intermediates(wA, wB, g):
    """[nu, P_e(t), r_A(t)]: generalised Rabi frequency, excited population, Bloch length."""
    nu = sympy.Symbol("nu", positive=True)
    Pe = sympy.Function("P_e")(T)
    r = sympy.Function("r_A")(T)
    return [
        Intermediate(nu, sympy.sqrt(4 * g ** 2 + (wA - wB) ** 2), meaning="Rabi frequency"),
        Intermediate(Pe, 1 - 4 * g ** 2 / nu ** 2 * sympy.sin(nu * T / 2) ** 2,
                     at_zero=sympy.Integer(1), meaning="excited population of A"),
        Intermediate(r, sympy.Abs(2 * Pe - 1), at_zero=sympy.Integer(1),
                     meaning="Bloch length of rho_A (= that of rho_B)"),
    ]
