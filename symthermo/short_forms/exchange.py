"""Two qubits exchanging one excitation (SL26 Eq. 32), A excited and B in its ground
state, through nu = sqrt(4 g^2 + (omega_A - omega_B)^2) and P_e(t) (A's excited
population; B's is 1 - P_e).  Other initial states keep the raw forms.
"""

from __future__ import annotations

import sympy

from ..models.base import ClosedForms, LocalForms, entropy_expression
from ._qubit import qubit_beta, qubit_spectrum
from ._rabi import rabi_intermediates
from . import ShortForms

__all__ = ["short_forms"]


def short_forms(p):
    if (p["state_A"], p["state_B"]) != ("excited", "ground"):
        return None
    from ..models import get_model

    raw = get_model("exchange").closed_forms(p)
    wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
    inter = rabi_intermediates(wA, wB, g)
    _, Pe, r = (i.symbol for i in inter)
    spec = qubit_spectrum(r)
    local = {}
    for n, w, e in (("A", wA, wA * Pe), ("B", wB, wB * (1 - Pe))):
        local[n] = LocalForms(hamiltonian=raw.subsystems[n].hamiltonian, energy=e, spectrum=spec,
                              beta=qubit_beta(r, w), thermal_energy=w * (1 - r) / 2)
    forms = ClosedForms(subsystems=local, interaction_energy=(wA - wB) * (1 - Pe),
                        mutual_information=2 * entropy_expression(spec), extras=dict(raw.extras))
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": sympy.oo, "B": sympy.oo})
