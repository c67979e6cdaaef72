"""The ball number system against mpmath at high precision and SymPy exact values.

Every formula is evaluated three ways: in balls at ~30 digits, in mpmath at 60
digits, and (where it exists) as a SymPy exact value evaluated to 80 digits;
the higher-precision values must lie inside the ball, and the ball must be
narrow (a ball [+/- inf] contains everything and would pass a containment
test alone).
"""

import mpmath
import pytest
import sympy
from flint import arb

from symthermo.ball_conversion import to_ball
from symthermo.balls import BALLS, ball_precision
from symthermo.entropy import entropy_of_spectrum
from symthermo.ergotropy import passive_energy
from symthermo.numbers import MPMATH, number_system
from symthermo.sympy_to_balls import ball_lambdify
from symthermo.beta_from_entropy import _beta_of_spectrum, beta_for_entropy
from symthermo.levels import Levels, Oscillator
from symthermo.thermal_functions import _thermal_moments

BITS = 110  # ~33 digits


def inside(ball, reference, slack="1e-55"):
    """The reference (an mpmath number at >= 60 digits, error below ``slack``) lies in
    the ball, and the ball is narrow."""
    with ball_precision(400):
        ref = arb(str(mpmath.nstr(reference, 70)), slack)
        assert ball.overlaps(ref), (ball, reference)
        assert ball.rad() < arb("1e-25") * max(arb(1), abs(ball.mid())), ball


def mp(x):
    return mpmath.mpf(sympy.N(x, 80))


PROBS = ["0", "1/1000", "1/7", "1/3", "1/2", "5/7", "999/1000"]


class TestScalars:
    @pytest.mark.parametrize("p", PROBS)
    def test_binary_entropy(self, p):
        exact = sympy.Rational(p)
        with ball_precision(BITS):
            q = BALLS.number(p)
            s = entropy_of_spectrum(BALLS, [q, 1 - q])
        terms = [x for x in (exact, 1 - exact) if x != 0]
        reference = -sum(x * sympy.log(x) for x in terms)
        with mpmath.workdps(70):
            inside(s, mp(reference))

    def test_exact_zero_entropy_is_exact(self):
        with ball_precision(BITS):
            s = entropy_of_spectrum(BALLS, [BALLS.zero, BALLS.one])
        assert s.is_exact() and s.is_zero()

    def test_xlogx_of_a_ball_touching_zero_encloses(self):
        with ball_precision(BITS):
            x = arb(0, arb("1e-20"))  # [-1e-20, 1e-20]: a probability known to 1e-20
            y = BALLS.xlogx(x)
            for u in ("1e-20", "1e-25", "3e-21"):
                v = arb(u)
                assert y.overlaps(v * v.log())
            assert y.upper() >= 0 and y.lower() > arb("-1e-18")

    @pytest.mark.parametrize("p", ["1/1000", "1/7", "1/3"])
    @pytest.mark.parametrize("omega", ["1", "163/100"])
    def test_qubit_beta(self, p, omega):
        w = sympy.Rational(omega)
        lo = sympy.Rational(p)
        with ball_precision(BITS):
            levels = Levels((-BALLS.number(w) / 2, BALLS.number(w) / 2), 1)
            q = BALLS.number(p)
            b = _beta_of_spectrum(BALLS, levels, [q, 1 - q])
        with mpmath.workdps(70):
            inside(b, mp(sympy.log((1 - lo) / lo) / w))

    @pytest.mark.parametrize("beta", ["1/10", "1", "37/10"])
    def test_oscillator_thermal_energy(self, beta):
        b = sympy.Rational(beta)
        with ball_precision(BITS):
            mean, var, excess = _thermal_moments(BALLS, Oscillator(BALLS.number("13/10")),
                                                 BALLS.number(beta))
        w = sympy.Rational(13, 10)
        n = 1 / (sympy.exp(b * w) - 1)
        with mpmath.workdps(70):
            inside(mean, mp(w * n))
            inside(excess, mp((n + 1) * sympy.log(n + 1) - n * sympy.log(n)))

    @pytest.mark.parametrize("entropy", ["1/100", "1/2", "1"])
    def test_qutrit_beta_is_a_proven_bracket(self, entropy):
        energies = ("0", "1", "23/10")
        with ball_precision(BITS):
            levels = Levels(tuple(BALLS.number(e) for e in energies), 1)
            b = beta_for_entropy(BALLS, levels, BALLS.number(entropy))
        with mpmath.workdps(60):
            levels_mp = Levels(tuple(MPMATH.number(e) for e in energies), 1)
            reference = beta_for_entropy(MPMATH, levels_mp, MPMATH.number(entropy))
            inside(b, reference, slack="1e-50")

    @pytest.mark.parametrize("entropy", ["1e-30", "1/10", "3"])
    def test_oscillator_beta(self, entropy):
        with ball_precision(BITS):
            b = beta_for_entropy(BALLS, Oscillator(BALLS.number(1)), BALLS.number(entropy))
        with mpmath.workdps(60):
            reference = beta_for_entropy(MPMATH, Oscillator(mpmath.mpf(1)), MPMATH.number(entropy))
            inside(b, reference, slack="1e-50")

    def test_ergotropy_of_a_three_level_spectrum(self):
        spectrum = ["1/10", "3/10", "6/10"]  # ascending
        energies = ("0", "1", "23/10")
        with ball_precision(BITS):
            levels = Levels(tuple(BALLS.number(e) for e in energies), 1)
            passive = passive_energy(BALLS, levels, [BALLS.number(x) for x in spectrum])
            # a state with populations (0.1, 0.3, 0.6) on the levels: ergotropy = E - passive
            energy = sum((BALLS.number(p) * BALLS.number(e) for p, e in zip(spectrum, energies)),
                         BALLS.zero)
            erg = energy - passive
        exact = (sympy.Rational(3, 10) + sympy.Rational(6, 10) * sympy.Rational(23, 10)) - (
            sympy.Rational(3, 10) + sympy.Rational(1, 10) * sympy.Rational(23, 10))
        with mpmath.workdps(70):
            inside(erg, mp(exact))


class TestMatrices:
    def test_eigenvalues_of_a_hermitian_matrix_enclose_mpmath(self):
        rows = [["2", "1/3", "0"], ["1/3", "1", "1/7"], ["0", "1/7", "5/2"]]
        with ball_precision(BITS):
            values = BALLS.eigvalsh(BALLS.matrix(rows))
        with mpmath.workdps(60):
            reference = sorted(mpmath.eigsy(MPMATH.matrix(rows))[0])
            for ball, ref in zip(values, reference):
                inside(ball, ref, slack="1e-50")

    def test_degenerate_eigenvalues_are_enclosed_or_refused(self):
        # flint cannot isolate two exact double eigenvalues: a refusal, never a wrong value
        rows = [["1", "0", "0", "0"], ["0", "1/2", "1/2", "0"], ["0", "1/2", "1/2", "0"],
                ["0", "0", "0", "0"]]
        with ball_precision(BITS):
            try:
                values = BALLS.eigvalsh(BALLS.matrix(rows))  # 0, 0, 1, 1
            except NotImplementedError:
                return
            assert all(v.overlaps(arb(x)) for v, x in zip(values, (0, 0, 1, 1)))


class TestLambdify:
    def test_closed_form_with_constants_follows_the_precision(self):
        t = sympy.Symbol("t")
        expr = sympy.exp(-t / 7) * sympy.cos(sympy.sqrt(2) * t) + sympy.pi * sympy.Rational(1, 3)
        f = ball_lambdify(t, expr)
        for bits in (100, 400):
            with ball_precision(bits):
                y = f(to_ball(sympy.Rational(5, 2)))
                ref = arb(str(sympy.N(expr.subs(t, sympy.Rational(5, 2)), 150)),
                          arb(2) ** -(bits + 20))
                assert y.overlaps(ref)
                assert y.rad() < arb(2) ** -(bits - 10)

    def test_piecewise_undecided_condition_takes_both_branches(self):
        t = sympy.Symbol("t")
        f = ball_lambdify(t, sympy.Piecewise((t, t <= 1), (2 - t, True)))
        with ball_precision(60):
            y = f(arb(1, arb("1e-10")))  # a ball across the switch at t = 1
            assert y.overlaps(arb(1)) and y.rad() < arb("1e-9")
            assert f(arb(3)).overlaps(arb(-1)) and f(arb(0)).is_zero()

    def test_selected_by_number_system(self):
        assert number_system(arb(1)) is BALLS


class TestPrecisionScope:
    def test_restores_flint_precision(self):
        import flint

        before = flint.ctx.prec
        with pytest.raises(ZeroDivisionError):
            with ball_precision(300):
                assert flint.ctx.prec == 300
                raise ZeroDivisionError
        assert flint.ctx.prec == before

    def test_log_of_a_ball_that_may_be_zero_is_unbounded_not_finite(self):
        with ball_precision(60):
            y = BALLS.log(arb(0, arb("1e-30")))
            assert not y.is_finite()
            with pytest.raises(ValueError, match="negative"):
                BALLS.log(arb(-1))
