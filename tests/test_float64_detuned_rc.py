"""float64 of a detuned reaction coordinate keeps 10 digits (found by a random audit).

The detuned closed form rounds P_e and <n> to ~1e-12 (terms of both signs): with it,
E_A = -omega w D at D = 1.6e-3 kept 9.3 digits (t = 5.64), W_B = omega_rc (<n> - m)
~ <n>^2 kept 10.0 (t = 77.5), and Q_A 9.6 at t = 600.  D, E_int and <n> of a detuned
mode now come from the divided differences of exp at every time."""

import pytest


@pytest.mark.parametrize("params,times", [
    ({"state_A": "mixed", "omega_rc": "1.490878"}, "5.63981, 77.4827282285498, 1.29214785728071"),
    ({"omega_rc": "1.9", "lam": "0.05"}, "100, 300, 600"),
    ({"omega_rc": "0.7", "state_A": "mixed"}, "0.653125684589129, 50, 215.6"),
])
def test_detuned_values_keep_their_digits(params, times, float64_digits_hold):
    float64_digits_hold("reaction-coordinate", params, times, least=11)
