"""Jaynes-Cummings (SL26 Eq. 28), qubit excited and field in the vacuum, through the
Rabi frequency nu = sqrt(4 g^2 + (omega_A - omega_B)^2) and P_e(t).

One excitation is shared: rho_A = diag(P_e, 1 - P_e), the field holds
1 - P_e photons in {|0>, |1>}, both with the spectrum {P_e, 1 - P_e}.
Other initial states keep the raw forms.
"""

from __future__ import annotations

import sympy

from ..models.base import ClosedForms, LocalForms, entropy_expression
from ._qubit import qubit_beta, qubit_spectrum
from ._rabi import rabi_intermediates
from . import ShortForms

__all__ = ["short_forms"]


def short_forms(p):
    if (p["state_A"], p["state_B"]) != ("excited", "vacuum"):
        return None
    from ..models import get_model

    raw = get_model("jaynes-cummings").closed_forms(p)
    wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
    inter = rabi_intermediates(wA, wB, g)
    _, Pe, r = (i.symbol for i in inter)
    spec = qubit_spectrum(r)
    a = LocalForms(hamiltonian=raw.subsystems["A"].hamiltonian, energy=wA * (Pe - sympy.Rational(1, 2)),
                   spectrum=spec, beta=qubit_beta(r, wA), thermal_energy=-wA * r / 2)
    b = LocalForms(hamiltonian=raw.subsystems["B"].hamiltonian, energy=wB * (1 - Pe), spectrum=spec)
    forms = ClosedForms(subsystems={"A": a, "B": b}, interaction_energy=(wA - wB) * (1 - Pe),
                        mutual_information=2 * entropy_expression(spec), extras=dict(raw.extras))
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": sympy.oo})
