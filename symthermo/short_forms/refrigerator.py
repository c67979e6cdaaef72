"""The refrigerator (EL23 S20-S26) through Omega, lambda, tau_A, tau_B, z_A(t), z_B(t).

z_j(t) = Tr[sigma_z rho_j(t)]; the reduced states stay diagonal, so
r_j(t) = |z_j(t)| and every key is a function of z_j, r_j and the constants.
"""

from __future__ import annotations

import sympy

from ..models.base import LocalForms, ClosedForms, T
from ..models.refrigerator import _LAM, _OM, _TAU_A, _TAU_B, derive_reduced, hamiltonians
from . import Intermediate, ShortForms

__all__ = ["short_forms"]


def _qubit_entropy(r):
    return -sum(((1 + s * r) / 2 * sympy.log((1 + s * r) / 2) for s in (1, -1)), sympy.Integer(0))


def short_forms(p):
    wA, wB, g, bA, bB = (p[n] for n in ("omega_A", "omega_B", "g", "beta_A", "beta_B"))
    d = derive_reduced()
    names = {sympy.Symbol(n, positive=True): p[n] for n in ("omega_A", "omega_B", "g")}
    zA_f, zB_f = sympy.Function("z_A")(T), sympy.Function("z_B")(T)
    rA_f, rB_f = sympy.Function("r_A")(T), sympy.Function("r_B")(T)
    inter = [
        Intermediate(_OM, sympy.sqrt(g ** 2 + (wA - wB) ** 2), meaning="EL23 S26"),
        Intermediate(_LAM, sympy.sqrt(g ** 2 + (wA + wB) ** 2), meaning="EL23 S26"),
        Intermediate(_TAU_A, sympy.tanh(bA * wA / 2), meaning="-z_A(0)"),
        Intermediate(_TAU_B, sympy.tanh(bB * wB / 2), meaning="z_B(0)"),
        Intermediate(zA_f, d["z_A"].subs(names), at_zero=-_TAU_A, meaning="Tr[sigma_z rho_A(t)]"),
        Intermediate(zB_f, d["z_B"].subs(names), at_zero=_TAU_B, meaning="Tr[sigma_z rho_B(t)]"),
        Intermediate(rA_f, sympy.Abs(zA_f), at_zero=_TAU_A, meaning="Bloch length of rho_A"),
        Intermediate(rB_f, sympy.Abs(zB_f), at_zero=_TAU_B, meaning="Bloch length of rho_B"),
    ]
    HA, HB, _, _ = hamiltonians(wA, wB, g)
    subsystems = {}
    for n, H, w, z, r in (("A", HA, wA, zA_f, rA_f), ("B", HB, wB, zB_f, rB_f)):
        subsystems[n] = LocalForms(hamiltonian=H, energy=w * z / 2,
                                   spectrum=[(1 - r) / 2, (1 + r) / 2],
                                   beta=sympy.log((1 + r) / (1 - r)) / w, thermal_energy=-w * r / 2)
    # E_A + E_B + E_int is conserved (unitary, time-independent H) and E_int(0) = 0
    # (V = (g/2) sigma_x sigma_x has no diagonal part): E_int(t) = -Delta E_A - Delta E_B,
    # one line through z_A(t), z_B(t); the tests compare it with the derived Tr[rho V]
    eint = -(wA * (zA_f + _TAU_A) + wB * (zB_f - _TAU_B)) / 2
    QA = wA * (_TAU_A - rA_f) / 2
    QB = wB * (_TAU_B - rB_f) / 2
    mutual = (_qubit_entropy(rA_f) - _qubit_entropy(_TAU_A)
              + _qubit_entropy(rB_f) - _qubit_entropy(_TAU_B))
    extras = {"z_A": zA_f, "z_B": zB_f, "r_A": rA_f, "r_B": rB_f,
              # -W_A - W_B - Delta E_int = Q_A + Q_B: the total energy E_A + E_B + E_int is conserved
              "cop": -QA / (QA + QB), "carnot": bB / (bA - bB)}
    forms = ClosedForms(subsystems=subsystems, interaction_energy=eint,
                        mutual_information=mutual, extras=extras)
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": bA, "B": bB})
