"""The mpmath route prints ``0`` only for a value it computed as an exact 0 at every
precision; a value that two evaluations find only as rounding noise (below each
precision's floor, or shrinking with the added digits) is printed ``"0 +/- r"``
(CONTRACT: "Values known only within a bound"), never as a proven 0.  Checked
against the ball route, which proves its bounds."""

import re

import mpmath
import pytest

from symthermo.models import get_model
from symthermo.precision import decimal_string, stable
from symthermo.tables import reference_payload
from symthermo.values import Bound

BOUNDED = re.compile(r"^(?P<m>-?[0-9.e+-]+|0) \+/- (?P<r>[0-9.e+-]+|inf)$")  # the contract's


def test_noise_below_every_floor_is_a_bound_not_a_zero():
    # sin(pi (1 + 1e-400)) = -pi 1e-400 + ... is below the floor of every precision
    # stable() tries for 10 digits: each evaluation gives its own rounding noise
    value = stable(lambda: mpmath.sin(mpmath.pi * (1 + mpmath.mpf(10) ** -400)), 10,
                   max_extra=100)
    assert isinstance(value, Bound) and value == 0
    text = decimal_string(value, 10)
    assert BOUNDED.match(text) and text != "0"
    # the bound holds the value it could not resolve, and is not vacuous
    assert 4 * mpmath.mpf(10) ** -400 <= value.radius < mpmath.mpf(10) ** -30


def test_a_resolved_small_value_is_not_bounded():
    value = stable(lambda: (1 + mpmath.mpf(10) ** -40) - 1, 10)
    assert not isinstance(value, Bound)
    with mpmath.workdps(30):
        assert abs(value / mpmath.mpf(10) ** -40 - 1) < mpmath.mpf(10) ** -10


def test_bound_survives_rounding_and_pickling():
    import pickle

    from symthermo.precision import rounded

    b = rounded({"x": [Bound(mpmath.mpf("2.5e-70"), 40)]}, 20)["x"][0]
    assert isinstance(b, Bound) and b.dps == 20 and b.radius == mpmath.mpf("2.5e-70")
    assert str(b) in ("0 +/- 2.5e-70", "0 +/- 2.6e-70")  # the binary radius, rounded up
    again = pickle.loads(pickle.dumps(b))
    assert isinstance(again, Bound) and again.radius == b.radius
    assert type(b + 1) is mpmath.mpf and b + 1 == 1  # computes as the 0 it stands for


def test_collapse_of_a_coherent_field_is_not_printed_as_zero():
    """E_A of jaynes-cummings in the collapse (t = 6000, alpha = 30): the balls bound it
    by 1.9e-215; mpmath's pe/(pe + pg) rounded to exactly 1/2 at every precision and
    printed E_A = 0 as if proven."""
    m = get_model("jaynes-cummings")
    params = {"state_B": "coherent"}
    mp = reference_payload(m, params, "6000, 57", dps=20, number_system="mpmath",
                           errors=False)["rows"]
    balls = reference_payload(m, params, "6000, 57", dps=20)["rows"]
    text = mp[0]["E_A"]
    assert text != "0" and BOUNDED.match(text), text
    got = BOUNDED.match(text)
    ball = BOUNDED.match(balls[0]["E_A"])
    with mpmath.workdps(40):
        # the two intervals overlap (both hold the exact value)
        assert abs(mpmath.mpf(got["m"]) - mpmath.mpf(ball["m"])) <= (
            mpmath.mpf(got["r"]) + mpmath.mpf(ball["r"]))
    # where the inversion is resolved, every digit is the balls'
    assert mp[1]["E_A"] == balls[1]["E_A"] and " +/- " not in mp[1]["E_A"]


@pytest.mark.parametrize("model,params,times", [
    ("reaction-coordinate", {}, "2e4"),
    ("spontaneous-emission", {}, "0, 100, 5e4"),
    ("exchange", {}, "pi/(2*g), 1"),
])
def test_every_mpmath_zero_is_a_ball_zero(model, params, times):
    """A plain ``0`` printed by mpmath is also the balls' proven 0 (the structure), and
    every bounded mpmath value holds the balls' value."""
    m = get_model(model)
    mp = reference_payload(m, params, times, dps=20, number_system="mpmath")["rows"]
    balls = reference_payload(m, params, times, dps=40)["rows"]
    bounded = 0
    for a, b in zip(mp, balls):
        for key, text in a.items():
            if key == "t":
                continue
            if text == "0":
                assert b[key] == "0", (a["t"], key, b[key])
            elif BOUNDED.match(text):
                bounded += 1
                got = BOUNDED.match(text)
                with mpmath.workdps(60):
                    mid = BOUNDED.match(b[key])["m"] if " +/- " in b[key] else b[key]
                    assert abs(mpmath.mpf(mid) - mpmath.mpf(got["m"])) <= mpmath.mpf(got["r"]) \
                        + (mpmath.mpf(BOUNDED.match(b[key])["r"]) if " +/- " in b[key] else 0)
