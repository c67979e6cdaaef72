"""Precision scopes, certified digits and the decimal strings of the contract."""

import itertools

import mpmath
import pytest

from symthermo.errors import CrossCheckError, PrecisionError
from symthermo.precision import decimal_string, stable, working_precision


def test_working_precision_restores_and_adds_guard_digits():
    before = mpmath.mp.dps
    with working_precision(40):
        assert mpmath.mp.dps >= 50
    assert mpmath.mp.dps == before


def test_stable_certifies_a_cancellation():
    value = stable(lambda: (1 + mpmath.mpf(10) ** -45) - 1, 20)
    with mpmath.workdps(30):
        assert abs(value - mpmath.mpf(10) ** -45) < mpmath.mpf(10) ** -64


def test_stable_returns_zero_for_noise_that_alternates_about_zero():
    """Exact zeros that come out as 0 at one precision and +-noise at the next."""
    calls = itertools.count()

    def compute():
        k = next(calls)
        noise = 0 if k % 2 == 0 else mpmath.mpf(10) ** -(mpmath.mp.dps + 5)
        return [mpmath.mpf(1) / 3, noise]

    third, zero = stable(compute, 30)
    assert zero == 0
    with mpmath.workdps(40):
        assert abs(third - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -30


def test_stable_keeps_small_but_real_values():
    """A value far below 1 that is resolved by more digits is not mistaken for a zero."""
    value = stable(lambda: mpmath.exp(-200) * (1 + mpmath.mpf(10) ** -(mpmath.mp.dps - 3)), 15)
    assert value != 0
    with mpmath.workdps(30):
        assert abs(value / mpmath.exp(-200) - 1) < mpmath.mpf(10) ** -14


def test_stable_gives_up_with_a_precision_error():
    counter = itertools.count()
    with pytest.raises(PrecisionError, match="could not certify 10 digits"):
        stable(lambda: mpmath.mpf(1) + next(counter) * mpmath.mpf("0.001"), 10, max_extra=100)
    assert issubclass(PrecisionError, CrossCheckError)  # the CLI exits 1, not 2


@pytest.mark.parametrize("value, digits, text", [
    (mpmath.inf, 30, "inf"), (-mpmath.inf, 30, "-inf"), (mpmath.mpf(0), 30, "0"),
    (float("inf"), 15, "inf"), (0.0, 15, "0"), (0.1, 15, "0.100000000000000"),
])
def test_decimal_strings(value, digits, text):
    assert decimal_string(value, digits) == text


def test_decimal_strings_carry_exactly_dps_significant_digits():
    with mpmath.workdps(50):
        x = mpmath.mpf(2) / 3
    assert decimal_string(x, 30) == "0.666666666666666666666666666667"
    assert decimal_string(mpmath.mpf("0.5"), 10) == "0.5000000000"


def test_nan_is_never_printed():
    with pytest.raises(ValueError, match="nan"):
        decimal_string(mpmath.nan, 30)
    with pytest.raises(ValueError, match="nan"):
        decimal_string(float("nan"), 15)
