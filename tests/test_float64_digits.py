"""float64 prints 15 digits and the contract promises at least 10 of them correct
(`dps - 5`): checked against the certified ball route, value by value, at small
times (where increments and entropies of nearly pure states cancel) and ordinary ones."""

import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload

TIMES = "1e-9,1e-6,1e-3,0.1,0.5,3,50"


@pytest.mark.parametrize("name, given, keys", [
    ("refrigerator", [], None),
    ("refrigerator", ["omega_B=2.7", "g=0.35", "beta_A=0.9", "beta_B=0.4"], None),
    ("exchange", [], ["S_A", "S_B", "I_AB", "E_A", "E_B", "Q_A", "Q_B", "W_A", "W_B",
                      "sigma_A", "sigma_B"]),
    ("exchange", ["omega_B=1.3", "state_A=plus", "state_B=mixed"], ["E_A", "E_B", "W_A", "W_B"]),
    ("exchange", ["state_A=ground", "state_B=plus"], ["E_A", "E_B", "W_A", "W_B"]),
    ("jaynes-cummings", [], ["S_A", "S_B", "I_AB", "E_A", "Q_A", "Q_B", "W_A", "sigma_A", "sigma_B"]),
    ("jaynes-cummings", ["omega_B=1.3"], ["S_A", "Q_A", "W_A", "Q_B", "sigma_A"]),
    ("spontaneous-emission", [], None),
    ("spontaneous-emission", ["gamma=1e-10"], None),
    # the qubit leaving |e>: P_g = 1 - |c_e|^2 without cancellation; underdamped,
    # overdamped, critical (kappa = 4 lam) with the mixed start, detuned
    ("reaction-coordinate", ["kappa=0.8*lam"], None),
    ("reaction-coordinate", ["kappa=0.05"], None),
    ("reaction-coordinate", ["kappa=0.04", "state_A=mixed"], None),
    ("reaction-coordinate", ["omega_rc=1.2", "kappa=0.01"], None),
    # the increments from the population increments (B passive, then not)
    ("qutrit-swap", [], None),
    ("qutrit-swap", ["beta_1=2", "beta_2=0.1", "g=0.4"], None),
    ("qutrit-swap", ["beta_1=10", "beta_2=8"], None),  # B nearly pure
])
def test_float64_digits_against_balls(name, given, keys, correct_digits):
    model = get_model(name)
    fast = reference_payload(model, given, TIMES, float64=True)["rows"]
    proven = reference_payload(model, given, TIMES, dps=30)["rows"]
    checked = 0
    for a, b in zip(fast, proven):
        for key in keys or [k for k in b if k not in ("t", "err")]:
            if " +/- " in b[key]:
                continue
            checked += 1
            assert correct_digits(a[key], b[key]) >= 10, (name, b["t"], key, a[key], b[key])
    assert checked >= 2 * len(fast)  # some values are proven only as bounds
