"""The mpmath route where 1 - P_e rounds to 1 (long decays): against balls at twice the digits.

A population p below the working precision makes 1 - p round to 1 at every precision the
mpmath route tries, so two precisions agree on what was lost with it: the entropy's
p + O(p^2) (0.25 % of S at p = 1e-174) and E^th - E_g = gap p (Q_A printed 0).  The
values are now computed from p alone; every printed digit is checked here.
"""

import mpmath
import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload

DPS = 20
CASES = [("reaction-coordinate", {}, "2e4, 5e4"),
         ("reaction-coordinate", {"state_A": "mixed"}, "5e4"),
         ("spontaneous-emission", {}, "2e4, 5e4"),
         ("spontaneous-emission", {"gamma": "1"}, "300")]
#: the oscillator's E - E^th is O(<n>^2) below E (the near-vacuum mode of the reaction
#: coordinate): both precisions lost it alike and stable() returned it as 0
OSCILLATOR = {"W_B", "exergy_B", "Eth_B", "beta_B"}


def _number(text):
    return mpmath.inf if text == "inf" else mpmath.mpf(text)


def _bounded(text):
    """(m, r) of a printed ``m +/- r``, None of a plain value."""
    if " +/- " not in text:
        return None
    mid, rad = text.split(" +/- ")
    return mpmath.mpf(mid), mpmath.mpf(rad)


def _wrong_keys(model, params, times, keys=None):
    m = get_model(model)
    got = reference_payload(m, params, times, dps=DPS, number_system="mpmath", errors=False)
    want = reference_payload(m, params, times, dps=2 * DPS, errors=False)
    wrong, tiny = [], 0
    with mpmath.workdps(3 * DPS):
        for row, truth in zip(got["rows"], want["rows"]):
            for key, text in row.items():
                if key == "t" or key not in truth or (keys is not None and key not in keys):
                    continue
                y = _number(truth[key])
                if _bounded(text):  # mpmath could not tell it from 0: the truth is inside
                    mid, rad = _bounded(text)
                    tiny += abs(y) < mpmath.mpf(10) ** -100
                    if abs(y - mid) > rad:
                        wrong.append((row["t"], key, text, truth[key]))
                    continue
                x = _number(text)
                if y == 0 or mpmath.isinf(y):
                    ok = x == y
                else:
                    tiny += abs(y) < mpmath.mpf(10) ** -100
                    ok = abs(x - y) <= abs(y) * mpmath.mpf(10) ** -(DPS - 5)
                if not ok:
                    wrong.append((row["t"], key, text, truth[key]))
    return wrong, tiny


@pytest.mark.parametrize("model,params,times", CASES)
def test_mpmath_digits_equal_balls_at_twice_the_digits(model, params, times):
    wrong, tiny = _wrong_keys(model, params, times)
    assert wrong == []
    assert tiny  # the case reaches populations far below the working precision


@pytest.mark.parametrize("times", ["5e4", "2000, 4000, 8000"])
def test_oscillator_work_near_vacuum(times):
    wrong, _ = _wrong_keys("reaction-coordinate", {}, times, keys=OSCILLATOR)
    assert wrong == []
