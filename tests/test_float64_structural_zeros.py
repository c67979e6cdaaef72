"""float64 gives the ball route's structural zeros: a qubit diagonal in its energy
basis and passive has ergotropy = exergy = 0 and E^th = E exactly, on the
vectorised and the per-row route alike (never a rounding residue such as 2.8e-17)."""

import numpy as np
import pytest

CASES = [("spontaneous-emission", {}, 500.0), ("reaction-coordinate", {"kappa": "0.8*lam"}, 628.0)]


@pytest.mark.parametrize("name, given, t_max", CASES)
def test_passive_qubit_is_exactly_zero_on_both_routes(name, given, t_max, float64_and_balls):
    times = [float(x) for x in np.linspace(0.0, t_max, 60)]
    # the certified route decides passivity with proven signs: where it prints "0",
    # float64 must give an exact 0 too, and where it does not, float64 must not
    fast, slow, balls = float64_and_balls(name, given, times)
    passive = 0
    for a, b, ball in zip(fast, slow, balls):
        for key in ("ergotropy_A", "exergy_A"):
            assert a[key] == b[key] or abs(a[key] - b[key]) <= 1e-13 * abs(b[key])
            if ball[key] == "0":
                assert a[key] == 0.0 and b[key] == 0.0, (key, ball["t"], a[key], b[key])
            else:
                assert a[key] > 0.0, (key, ball["t"], a[key], ball[key])
        if ball["ergotropy_A"] == "0" and ball["exergy_A"] == "0":
            passive += 1
            assert a["Eth_A"] == a["E_A"] and b["Eth_A"] == b["E_A"]
    assert 10 < passive < len(times)  # both branches are exercised
