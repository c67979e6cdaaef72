"""The entropy-matched beta in balls starts from float64's root refined by Newton
steps on the balls' midpoints (balls._newton_guess), not from an mpmath solve from
scratch: the guess agrees with mpmath's root at the working precision, the proven
bracket around it holds mpmath's root at twice the digits and is as narrow as the
working precision allows, and where float64 cannot start (an excess entropy below
its range, a maximally mixed state) the mpmath solver still gives the bracket."""

import math

import mpmath
import pytest
from flint import arb

from symthermo.balls import BALLS, _newton_guess, ball_precision
from symthermo.numbers import MPMATH
from symthermo.beta_from_entropy import beta_for_entropy
from symthermo.levels import Levels, Oscillator

QUTRIT = ("0", "1", "23/10")
DEGENERATE = ("0", "0", "7/5", "3")  # a two-fold ground level
ENTROPIES = ["1e-12", "1/100", "1/2", "1", "109/100"]  # below ln 3 = 1.0986


def _levels(lib, energies, g0):
    if energies == "oscillator":
        return Oscillator(lib.number("13/10"))
    return Levels(tuple(lib.number(e) for e in energies), g0)


def _cases():
    for energies, g0 in ((QUTRIT, 1), (DEGENERATE, 2), ("oscillator", 1)):
        for s in ENTROPIES:
            if energies is DEGENERATE:
                if s == "1e-12":
                    continue  # S - ln 2 would lose 12 digits to the cancellation
                with mpmath.workdps(60):  # above ln 2
                    s = mpmath.nstr(mpmath.mpf(s) * mpmath.mpf("0.3") + mpmath.log(2), 50)
            yield energies, g0, s


@pytest.mark.parametrize("bits", [110, 240])
@pytest.mark.parametrize("energies,g0,entropy", list(_cases()))
def test_guess_and_bracket_hold_the_root(bits, energies, g0, entropy):
    with ball_precision(bits):
        levels = _levels(BALLS, energies, g0)
        s = BALLS.number(entropy)
        s_min = arb(g0).log() if g0 > 1 else arb(0)
        guess = _newton_guess(BALLS, levels, s, s_min)
        beta = beta_for_entropy(BALLS, levels, s)
        # the ends as decimals, exactly enough (lower() and upper() round at the precision)
        texts = [x.str(2 * bits // 3, radius=False) if x is not None else None
                 for x in (guess, beta.lower(), beta.upper())]
    with mpmath.workprec(2 * bits + 40):
        root = beta_for_entropy(MPMATH, _levels(MPMATH, energies, g0), MPMATH.number(entropy))
        assert guess is not None
        assert abs(mpmath.mpf(texts[0]) / root - 1) < mpmath.mpf(2) ** (14 - bits)
        lo, hi = (mpmath.mpf(x) for x in texts[1:])
        slack = root * mpmath.mpf(2) ** (-2 * bits)
        assert lo - slack <= root <= hi + slack
        # as narrow as the precision allows: a bracket of the guess at its first try
        assert (hi - lo) / root < mpmath.mpf(2) ** (14 - bits)


def test_float64_cannot_start_below_its_range():
    with ball_precision(200):
        levels = Oscillator(BALLS.number(1))
        tiny = BALLS.number("1e-400")  # an excess entropy no float64 holds
        assert _newton_guess(BALLS, levels, tiny, arb(0)) is None
        beta = beta_for_entropy(BALLS, levels, tiny)  # the mpmath solve gives the bracket
        texts = [x.str(60, radius=False) for x in (beta.lower(), beta.upper())]
    with mpmath.workprec(440):
        root = beta_for_entropy(MPMATH, Oscillator(mpmath.mpf(1)), mpmath.mpf("1e-400"))
        lo, hi = (mpmath.mpf(x) for x in texts)
        assert lo <= root * (1 + mpmath.mpf(10) ** -50) and root <= hi * (1 + mpmath.mpf(10) ** -50)
        assert math.isfinite(float(hi))


def test_maximally_mixed_is_left_to_the_exact_branch():
    with ball_precision(110):
        levels = _levels(BALLS, QUTRIT, 1)
        s = arb(3).log()
        assert _newton_guess(BALLS, levels, s, arb(0)) is None  # float64's root is 0
        assert beta_for_entropy(BALLS, levels, s).contains(0)
