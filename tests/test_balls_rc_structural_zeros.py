"""Structural zeros of the reaction coordinate on the certified (ball) route.

A qubit that starts in its ground state with the mode in its vacuum never moves: its heat
and work are exact zeros, not bounds about 0 (two balls about -omega/2 subtracted left
`0 +/- 5e-299` after Ziv's loop climbed to its last precision).  A qubit that starts
maximally mixed is the Gibbs state of beta = 0 at t = 0 and a passive diagonal qubit after:
its work W = Delta(E - E^th) is an exact 0 (its exergy at t = 0 was a ball about 0).
"""

import mpmath
import pytest
from flint import arb

from symthermo.ball_finishing import ball_local_from_data
from symthermo.balls import BALLS, ball_precision
from symthermo.models import get_model
from symthermo.tables import reference_payload

PARAMS = ["omega=1.02", "omega_rc=0.545", "lam=0.00259", "kappa=1.67e-05"]
TIMES = "1e-7,6.83,511,5e5"


def _rows(state, dps, **kw):
    model = get_model("reaction-coordinate")
    return reference_payload(model, PARAMS + [f"state_A={state}"], TIMES, dps=dps, **kw)["rows"]


@pytest.mark.parametrize("dps", [15, 30, 60])
def test_ground_start_has_exact_zero_heat_and_work(dps):
    for row in _rows("ground", dps):
        for key in ("Q_A", "W_A", "ergotropy_A", "exergy_A", "E_B", "E_int", "I_AB"):
            assert row[key] == "0" and row["err"][key] == "0", (key, row[key])
        # E_A = -omega/2 holds omega's rounding: not 0, and proven to every digit
        assert row["E_A"] == "-0.51" + "0" * (dps - 2)


def test_ground_start_other_routes_agree():
    float64 = reference_payload(get_model("reaction-coordinate"), PARAMS + ["state_A=ground"],
                                TIMES, float64=True)["rows"]
    with mpmath.workdps(60):
        high = _rows("ground", 40, number_system="mpmath")
    for a, b in zip(float64, high):
        assert float(a["Q_A"]) == 0 and float(a["W_A"]) == 0
        assert abs(mpmath.mpf(b["Q_A"])) < mpmath.mpf("1e-35")


@pytest.mark.parametrize("dps", [30, 60])
def test_maximally_mixed_start_has_exact_zero_work(dps):
    rows = _rows("mixed", dps)
    high = _rows("mixed", 2 * dps)
    for row, twice in zip(rows, high):
        assert row["W_A"] == "0" and row["err"]["W_A"] == "0"
        # the heat is then the whole energy change (E_A(0) = 0): the same digits, proven,
        # and each printed digit is the 2 dps run's, rounded
        assert row["Q_A"] == row["E_A"]
        assert mpmath.mpf(row["Q_A"]) != 0
        with mpmath.workdps(3 * dps):
            x, y = mpmath.mpf(row["Q_A"]), mpmath.mpf(twice["Q_A"])
            assert abs(x - y) <= abs(y) * mpmath.mpf(10) ** (1 - dps)


def test_equal_populations_are_thermal_only_when_exact():
    from symthermo.levels import Levels

    class Sub:
        pass

    with ball_precision(124):
        sub = Sub()
        omega = arb(102) / 100
        sub.levels = Levels((-omega / 2, omega / 2), 1)
        sub.ground = -omega / 2
        half = arb(1) / 2
        exact = ball_local_from_data(sub, {"E": arb(0), "spectrum": [half, half],
                                           "diagonal": True}, BALLS)
        assert exact["exergy"].is_zero() and exact["ergotropy"].is_zero()
        assert exact["Eth"] is exact["E"]
        # 1/2 with a radius is not a proof of equality: a ball about 0, not an exact 0
        wide = half + arb(0, 1e-30)
        bound = ball_local_from_data(sub, {"E": arb(0, 1e-30), "spectrum": [wide, half],
                                           "diagonal": True}, BALLS)
        assert not bound["exergy"].is_zero()
        assert bound["exergy"].contains(0)
