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


def test_xlogx_from_the_logarithm_is_xlogx_bit_for_bit():
    """The two-level entropy's x ln x from the ln x it takes anyway (0 ln 0 = 0, a zero
    keeping its sign, rounding noise below 0 a zero) is xlogx_columns' value, bit for bit."""
    import numpy as np

    from symthermo.models.float64_columns import _xlogx_of_log, xlogx_columns

    x = np.array([0.0, -0.0, -1e-20, 5e-324, 1e-300, 1e-17, 0.25, 0.5, 1.0, float("nan")])
    with np.errstate(divide="ignore", invalid="ignore"):
        got = _xlogx_of_log(x, np.log(x))
    want = xlogx_columns(x)
    assert got.tobytes()[:-8] == want.tobytes()[:-8]  # every entry but the nan, sign included
    assert np.isnan(got[-1]) and np.isnan(want[-1])
