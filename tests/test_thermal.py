"""Thermal states and the entropy-matched beta: edge cases, oscillators, precision."""

import math

import mpmath
import numpy as np
import pytest
import sympy

from symthermo.errors import DegenerateGroundError
from symthermo.levels import Oscillator
from symthermo.thermal import entropy_matched_beta, thermal_energy, thermal_entropy, thermal_state


def qubit_thermal(beta, omega=1.0):
    """Textbook thermal qubit for H = (omega/2) sigma_z in the basis (|g>, |e>)."""
    z = 2 * math.cosh(beta * omega / 2)
    return np.diag([math.exp(beta * omega / 2) / z, math.exp(-beta * omega / 2) / z])


class TestBeta:
    @pytest.mark.parametrize("beta", [0.01, 0.5, 2.0, 7.3, 30.0])
    def test_thermal_qubit_recovers_its_beta(self, beta):
        H = np.diag([-0.5, 0.5])
        assert entropy_matched_beta(qubit_thermal(beta), H) == pytest.approx(beta, rel=1e-10)

    @pytest.mark.parametrize("beta", ["1/3", "2", "11/2"])
    def test_thermal_qutrit_at_dps_50(self, beta):
        levels = [0, 1, sympy.Rational(5, 2)]
        b = sympy.Rational(beta)
        w = [sympy.exp(-b * e) for e in levels]
        z = sum(w)
        rho = [[sympy.sstr(x / z) if i == k else "0" for i, x in enumerate(w)] for k in range(3)]
        H = [["0", 0, 0], [0, "1", 0], [0, 0, "5/2"]]
        value = entropy_matched_beta(rho, H, dps=50)
        with mpmath.workdps(60):
            assert abs(value - mpmath.mpf(sympy.N(b, 60))) < mpmath.mpf(10) ** -47

    def test_edge_cases(self):
        H = np.diag([0.0, 1.0, 3.0])
        assert entropy_matched_beta(np.diag([1.0, 0.0, 0.0]), H) == math.inf
        assert entropy_matched_beta(np.eye(3) / 3, H) == 0.0
        assert entropy_matched_beta(np.full((3, 3), 1 / 3), H) == math.inf  # pure, not diagonal
        assert entropy_matched_beta([["1", 0], [0, "0"]], np.diag([0.0, 1.0]), dps=40) == mpmath.inf
        assert entropy_matched_beta(sympy.diag(1, 0), sympy.diag(0, 1)) == sympy.oo
        assert entropy_matched_beta(sympy.eye(2) / 2, sympy.diag(0, 1)) == 0

    def test_exact_qubit_closed_form(self):
        p = sympy.Rational(1, 5)
        assert sympy.simplify(entropy_matched_beta(sympy.diag(1 - p, p), sympy.diag(0, 3))
                              - sympy.log(4) / 3) == 0

    def test_degenerate_ground_level(self):
        H = np.diag([0.0, 0.0, 1.0])
        # entropy ln 2 exactly: the beta -> inf limit (ground projector / 2)
        assert entropy_matched_beta(np.diag([0.5, 0.5, 0.0]), H) == math.inf
        with pytest.raises(DegenerateGroundError, match="2-fold degenerate"):
            entropy_matched_beta(np.diag([0.9, 0.1, 0.0]), H)
        # a state with entropy above ln 2 has a finite beta
        assert 0 < entropy_matched_beta(np.diag([0.45, 0.45, 0.1]), H) < math.inf

    def test_identity_hamiltonian(self):
        assert entropy_matched_beta(np.eye(2) / 2, np.eye(2)) == 0.0
        with pytest.raises(ValueError, match="proportional to the identity"):
            entropy_matched_beta(np.diag([0.9, 0.1]), np.eye(2))

    def test_near_pure_state_at_high_precision(self):
        """S = 3.3e-13 gives a large but finite beta; entropies then match to 40 digits."""
        rho = [["1 - 1e-14", 0, 0], [0, "1e-14", 0], [0, 0, 0]]
        H = [[0, 0, 0], [0, 1, 0], [0, 0, "2.5"]]
        beta = entropy_matched_beta(rho, H, dps=50)
        from symthermo.entropy import von_neumann_entropy

        with mpmath.workdps(60):
            s_rho = von_neumann_entropy(rho, dps=50)
            s_thermal = thermal_entropy(H, beta, dps=50)
            assert abs(s_thermal - s_rho) <= s_rho * mpmath.mpf(10) ** -40
        assert 30 < beta < 40

    def test_solver_on_ten_levels_at_dps_50(self):
        H = [[str(sympy.Rational(k * k, 7)) if i == k else 0 for i in range(10)] for k in range(10)]
        rho = [[str(sympy.Rational(10 - k, 55)) if i == k else 0 for i in range(10)] for k in range(10)]
        beta = entropy_matched_beta(rho, H, dps=50)
        from symthermo.entropy import von_neumann_entropy

        with mpmath.workdps(60):
            assert abs(thermal_entropy(H, beta, dps=50) - von_neumann_entropy(rho, dps=50)) \
                < mpmath.mpf(10) ** -48

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match="not Hermitian"):
            entropy_matched_beta(np.eye(2) / 2, np.array([[0, 1], [0, 1.0]]))
        with pytest.raises(ValueError, match="dimension 2, expected 3"):
            entropy_matched_beta(np.eye(2) / 2, np.diag([0.0, 1.0, 2.0]))

    def test_precision_does_not_leak(self):
        before = mpmath.mp.dps
        entropy_matched_beta([["3/4", 0], [0, "1/4"]], np.diag([0.0, 1.0]), dps=80)
        assert mpmath.mp.dps == before


class TestOscillator:
    def test_a_negative_entropy_is_refused_by_name(self):
        """(an oscillator has no ground_degeneracy: this was an AttributeError)"""
        from symthermo.numbers import MPMATH
        from symthermo.beta_from_entropy import beta_for_entropy

        with mpmath.workdps(20), pytest.raises(ValueError, match="entropy -0.001"):
            beta_for_entropy(MPMATH, Oscillator(1), mpmath.mpf("-1e-3"))

    @pytest.mark.parametrize("n", ["1/1000", "1/3", "2", "900"])
    def test_analytic_inverse(self, n):
        """beta = ln(1 + 1/n)/omega for a state whose entropy is S(n) = (n+1)ln(n+1) - n ln n."""
        omega = sympy.Rational(3, 2)
        nn = sympy.Rational(n)
        with mpmath.workdps(60):
            nm = mpmath.mpf(sympy.N(nn, 70))
            s_target = (nm + 1) * mpmath.log(nm + 1) - nm * mpmath.log(nm)
            expected = mpmath.log(1 + 1 / nm) / mpmath.mpf(sympy.N(omega, 70))
        # a two-level Fock state with that entropy: p ln p + (1-p) ln(1-p) = -S (if S <= ln 2)
        if s_target < mpmath.log(2):
            with mpmath.workdps(60):
                p = mpmath.findroot(lambda x: -x * mpmath.log(x) - (1 - x) * mpmath.log(1 - x) - s_target,
                                    (mpmath.mpf("1e-30"), mpmath.mpf("0.5")), solver="anderson")
                rho = [[sympy.Float(mpmath.nstr(1 - p, 60), 60), 0], [0, sympy.Float(mpmath.nstr(p, 60), 60)]]
            beta = entropy_matched_beta(sympy.Matrix(rho), Oscillator(omega), dps=40)
            with mpmath.workdps(60):
                assert abs(beta - expected) < abs(expected) * mpmath.mpf(10) ** -25

    def test_thermal_energy_is_analytic(self):
        value = thermal_energy(Oscillator(2), "1/2", dps=40)
        with mpmath.workdps(50):
            assert abs(value - 2 / mpmath.expm1(1)) < mpmath.mpf(10) ** -39

    def test_no_truncated_thermal_state(self):
        with pytest.raises(TypeError, match="no finite thermal-state matrix"):
            thermal_state(Oscillator(1), 1.0)

    def test_oscillator_entropy_matches_occupation_formula(self):
        from symthermo.thermal_functions import oscillator_occupation, oscillator_entropy
        from symthermo.numbers import FLOAT64

        for beta in (0.1, 1.0, 5.0):
            n = oscillator_occupation(FLOAT64, 1.0, beta)
            assert thermal_entropy(Oscillator(1.0), beta) == pytest.approx(
                oscillator_entropy(FLOAT64, n), rel=1e-13)


class TestThermalState:
    def test_three_routes(self):
        H = sympy.Matrix([[0, 1], [1, 0]])
        exact = thermal_state(H, sympy.Rational(1, 2))
        expected = (-(H / 2)).exp() / ((-(H / 2)).exp().trace())
        assert sympy.simplify(exact - expected) == sympy.zeros(2, 2)
        f64 = thermal_state(np.array([[0.0, 1.0], [1.0, 0.0]]), 0.5)
        assert np.allclose(f64, np.array(expected.evalf(20).tolist(), dtype=complex), atol=1e-15)
        mp = thermal_state([[0, 1], [1, 0]], "1/2", dps=40)
        with mpmath.workdps(50):
            assert abs(mp[0, 1] - mpmath.mpf(sympy.N(expected[0, 1], 50))) < mpmath.mpf(10) ** -38

    def test_entropy_and_energy_are_consistent(self):
        H = np.diag([0.0, 0.7, 1.9, 1.9])
        for beta in (0.0, 0.3, 2.0):
            w = thermal_state(H, beta)
            p = np.diag(w).real
            s = -sum(x * math.log(x) for x in p if x > 0)
            assert thermal_entropy(H, beta) == pytest.approx(s, rel=1e-13)
            assert thermal_energy(H, beta) == pytest.approx(float(p @ np.diag(H)), rel=1e-13)


class TestOscillatorDeficit:
    """n - m (m the thermal occupation of entropy h(n)) by oscillator_deficit.oscillator_deficit,
    against m found independently: findroot on the entropy, at dps + 2 |log10 n| digits
    (n - m ~ n^2 / ln(1/n) keeps about dps of them)."""

    @staticmethod
    def _independent(n, dps):
        with mpmath.workdps(dps + int(-2 * math.log10(n))):
            x = mpmath.mpf(n)
            s = -x * mpmath.log(x) - (1 - x) * mpmath.log1p(-x)
            m = mpmath.findroot(lambda m: (1 + m) * mpmath.log1p(m) - m * mpmath.log(m) - s,
                                x * (1 - 1 / mpmath.log(1 / x)) if x < 0.1 else x / 2)
            return x - m

    N = [1e-150, 3e-77, 1e-30, 2.5e-17, 1e-9, 7e-5, 1e-3, 0.01, 0.1, 0.25, 0.4, 0.49, 0.5]

    def test_float64_array_to_a_few_ulps(self):
        from symthermo.numbers import FLOAT64
        from symthermo.oscillator_deficit import oscillator_deficit

        got = oscillator_deficit(FLOAT64, np.array(self.N))
        for n, d in zip(self.N, got):
            assert abs(d / self._independent(n, 40) - 1) < 4 * np.finfo(float).eps, n
        # a float gives the same as the array's entry; n = 0 (the vacuum) gives 0
        assert [float(oscillator_deficit(FLOAT64, n)) for n in self.N] == got.tolist()
        assert oscillator_deficit(FLOAT64, np.array([0.0, 0.3]))[0] == 0.0
        assert float(oscillator_deficit(FLOAT64, 0.0)) == 0.0

    @pytest.mark.parametrize("dps", [30, 100])
    def test_mpmath_to_working_precision(self, dps):
        from symthermo.numbers import MPMATH
        from symthermo.oscillator_deficit import oscillator_deficit

        for n in self.N:
            with mpmath.workdps(dps):
                d = oscillator_deficit(MPMATH, mpmath.mpf(n))
            with mpmath.workdps(dps + 40):
                assert abs(d / self._independent(n, dps + 40) - 1) < mpmath.mpf(10) ** (2 - dps)
