"""Spontaneous emission (SL26 Eqs. 35-41) through P_e(t) = e^{-gamma t} and tau = ln 2/gamma.

The thermal state puts max(P_e, 1 - P_e) on the ground level, so every key
switches branch at P_e(tau) = 1/2: before tau, W = -2 omega (1 - P_e), after,
W = -omega.
"""

from __future__ import annotations

import sympy

from ..models.base import ClosedForms, LocalForms, T
from ..models.spontaneous_emission import SIGMA_Z
from . import Intermediate, ShortForms

__all__ = ["short_forms"]


def short_forms(p):
    w, gamma = p["omega"], p["gamma"]
    Pe = sympy.Function("P_e")(T)
    tau = sympy.Symbol("tau", positive=True)
    inter = [
        Intermediate(Pe, sympy.exp(-gamma * T), at_zero=sympy.Integer(1),
                     meaning="excited population, SL26 Eq. 36"),
        Intermediate(tau, sympy.log(2) / gamma, meaning="P_e(tau) = 1/2"),
    ]
    before = T <= tau

    def branch(early, late):
        return sympy.Piecewise((early, before), (late, True))

    a = LocalForms(
        hamiltonian=w / 2 * SIGMA_Z,
        energy=w * (Pe - sympy.Rational(1, 2)),
        spectrum=[branch(1 - Pe, Pe), branch(Pe, 1 - Pe)],
        beta=branch(sympy.log(Pe / (1 - Pe)) / w, sympy.log((1 - Pe) / Pe) / w),
        thermal_energy=branch(w * (sympy.Rational(1, 2) - Pe), w * (Pe - sympy.Rational(1, 2))),
    )
    forms = ClosedForms(subsystems={"A": a},
                        extras={"P_e": Pe, "Q_standard": w * (Pe - 1)})
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": sympy.oo})
