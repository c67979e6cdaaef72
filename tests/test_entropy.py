"""Entropy, relative entropy, mutual information, partial trace: every route against every other."""

import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.entropy import mutual_information, relative_entropy, von_neumann_entropy
from symthermo.states import partial_trace

P_GRID = [Fraction(k, 16) for k in range(17)]


def naive_binary_entropy(p):
    """A deliberately plain twin: the textbook formula in math floats."""
    return sum(-x * math.log(x) for x in (p, 1 - p) if x > 0)


def random_density_matrix(seed, n, rank=None):
    """A random float64 density matrix."""
    rng = np.random.default_rng(seed)
    rank = rank or n
    A = rng.normal(size=(n, rank)) + 1j * rng.normal(size=(n, rank))
    M = A @ A.conj().T
    return M / np.trace(M).real


def block_density_matrix(seed):
    """An exact 3x3 state, a random complex 2x2 block plus one level: SymPy's
    eigenvalues stay quadratic (a dense 3x3 needs Cardano and minutes)."""
    two = rational_density_matrix(seed, 2)
    w = sympy.Rational(seed % 5 + 1, 10)
    return sympy.diag(two * (1 - w), w)


def rational_density_matrix(seed, n, rank=None):
    """A random density matrix with exact rational (complex) entries."""
    rng = np.random.default_rng(seed)
    rank = rank or n
    A = sympy.Matrix(n, rank, lambda i, j: sympy.Rational(int(rng.integers(-4, 5)), 1)
                     + sympy.I * int(rng.integers(-3, 4)))
    M = A * A.H
    return (M / M.trace()).applyfunc(lambda x: sympy.expand(sympy.simplify(x)))


def as_strings(M):
    return [[sympy.sstr(sympy.expand(M[i, j])) for j in range(M.cols)] for i in range(M.rows)]


class TestVonNeumannEntropy:
    @pytest.mark.parametrize("p", P_GRID, ids=str)
    def test_binary_entropy_all_routes(self, p):
        rho_exact = sympy.diag(sympy.Rational(p.numerator, p.denominator),
                               1 - sympy.Rational(p.numerator, p.denominator))
        exact = von_neumann_entropy(rho_exact)
        mp50 = von_neumann_entropy(rho_exact, dps=50)
        f64 = von_neumann_entropy(np.diag([float(p), 1 - float(p)]))
        with mpmath.workdps(60):
            assert abs(mpmath.mpf(sympy.N(exact, 60)) - mp50) < mpmath.mpf(10) ** -49
        assert f64 == pytest.approx(naive_binary_entropy(float(p)), abs=1e-12)
        assert float(mp50) == pytest.approx(f64, abs=1e-12)

    def test_rotated_binary_state_matches_its_spectrum(self):
        theta = 0.37
        U = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        rho = U @ np.diag([0.3, 0.7]) @ U.T
        assert von_neumann_entropy(rho) == pytest.approx(naive_binary_entropy(0.3), abs=1e-13)

    @pytest.mark.parametrize("n", [2, 3, 4])
    def test_maximally_mixed_keeps_multiplicity(self, n):
        """S(I/n) = ln n; SymPy's density.entropy would give ln(n)/n."""
        assert von_neumann_entropy(sympy.eye(n) / n) == sympy.log(n)
        assert von_neumann_entropy(np.eye(n) / n) == pytest.approx(math.log(n), abs=1e-14)
        value = von_neumann_entropy(sympy.eye(n) / n, dps=50)
        with mpmath.workdps(50):
            assert abs(value - mpmath.log(n)) < mpmath.mpf(10) ** -48

    @pytest.mark.parametrize("dps", [15, 30, 50, 100])
    def test_pure_state_is_exactly_zero_at_every_precision(self, dps):
        plus = [["1/2", "1/2"], ["1/2", "1/2"]]
        psi = [["1/3", "1/3", "1/3"], ["1/3", "1/3", "1/3"], ["1/3", "1/3", "1/3"]]
        assert von_neumann_entropy(plus, dps=dps) == 0
        assert von_neumann_entropy(psi, dps=dps) == 0
        assert von_neumann_entropy(np.full((3, 3), 1 / 3)) == 0.0
        assert von_neumann_entropy(sympy.ones(3, 3) / 3) == 0

    def test_near_pure_state_at_dps_30(self):
        """diag(1 - 1e-14, 1e-14): 3.3236e-13, from the series e(1 - ln e) + O(e^2)."""
        value = von_neumann_entropy([["1 - 1e-14", 0], [0, "1e-14"]], dps=30)
        with mpmath.workdps(80):
            e = mpmath.mpf(10) ** -14
            # -(1 - e) ln(1 - e) = e - sum_{k>=2} e^k / (k (k - 1)): an independent series
            series = -e * mpmath.log(e) + e - mpmath.nsum(lambda k: e ** k / (k * (k - 1)), [2, mpmath.inf])
            reference = -e * mpmath.log(e) - (1 - e) * mpmath.log1p(-e)
            assert abs(series - reference) < mpmath.mpf(10) ** -60
            assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -29
        assert mpmath.nstr(value, 5) == "3.3236e-13"

    def test_random_states_three_routes(self):
        for seed in range(6):
            M = rational_density_matrix(seed, 2) if seed % 2 else block_density_matrix(seed)
            exact = von_neumann_entropy(M)
            mp50 = von_neumann_entropy(as_strings(M), dps=50)
            f64 = von_neumann_entropy(np.array(M.evalf(20).tolist(), dtype=complex))
            with mpmath.workdps(60):
                assert abs(mpmath.mpf(sympy.N(exact, 60)) - mp50) < mpmath.mpf(10) ** -48
            assert f64 == pytest.approx(float(mp50), abs=1e-12)

    def test_linear_entropy_bound(self):
        """1 - Tr rho^2 <= S(rho) (QuTiP's inequality test)."""
        for seed in range(10):
            M = random_density_matrix(seed, 3, rank=2)
            assert 1 - np.trace(M @ M).real <= von_neumann_entropy(M) + 1e-14

    @pytest.mark.parametrize("bad, message", [
        (np.diag([0.5, 0.25]), "unit trace"),
        (np.diag([1.2, -0.2]), "not positive semidefinite: eigenvalue -0.2"),
        (np.array([[0.5, 0.1], [0.3, 0.5]]), "not Hermitian"),
        (np.ones((2, 3)) / 2, "square"),
    ])
    def test_bad_states_are_refused_with_their_value(self, bad, message):
        with pytest.raises(ValueError, match=message):
            von_neumann_entropy(bad)

    def test_negative_eigenvalue_is_refused_at_high_precision(self):
        with pytest.raises(ValueError, match="eigenvalue -1.0e-20"):
            von_neumann_entropy([["1 + 1e-20", 0], [0, "-1e-20"]], dps=30)


class TestRelativeEntropy:
    def test_support_rules(self):
        assert relative_entropy(np.diag([1.0, 0.0]), np.diag([0.5, 0.5])) == pytest.approx(math.log(2))
        assert relative_entropy(np.diag([0.5, 0.5]), np.diag([1.0, 0.0])) == math.inf
        # rho supported inside sigma's support: finite even though sigma is singular
        assert relative_entropy(np.diag([1.0, 0.0]), np.diag([0.25, 0.75]).real[::-1, ::-1]) \
            == pytest.approx(math.log(4 / 3))
        assert relative_entropy(np.diag([0.0, 1.0]), np.diag([0.0, 1.0])) == 0.0

    def test_three_routes_and_known_value(self):
        rho = sympy.Matrix([[sympy.Rational(7, 10), sympy.Rational(1, 10)],
                            [sympy.Rational(1, 10), sympy.Rational(3, 10)]])
        sigma = sympy.eye(2) / 2
        exact = relative_entropy(rho, sigma)  # = ln 2 - S(rho)
        assert sympy.simplify(exact - (sympy.log(2) - von_neumann_entropy(rho))) == 0
        mp50 = relative_entropy([["7/10", "1/10"], ["1/10", "3/10"]], [["1/2", 0], [0, "1/2"]], dps=50)
        f64 = relative_entropy(np.array([[0.7, 0.1], [0.1, 0.3]]), np.eye(2) / 2)
        with mpmath.workdps(60):
            assert abs(mpmath.mpf(sympy.N(exact, 60)) - mp50) < mpmath.mpf(10) ** -48
        assert f64 == pytest.approx(float(mp50), abs=1e-13)

    def test_klein_inequality_on_random_pairs(self):
        for seed in range(8):
            a, b = random_density_matrix(seed, 3), random_density_matrix(seed + 100, 3)
            assert relative_entropy(a, b) >= -1e-13


class TestPartialTraceAndMutualInformation:
    def test_partial_trace_of_products_all_routes(self):
        a = rational_density_matrix(1, 2)
        b = block_density_matrix(2)
        c = rational_density_matrix(3, 2)
        from sympy.physics.quantum import TensorProduct

        abc = TensorProduct(TensorProduct(a, b), c)
        for keep, expected in (([0], a), ([1], b), ([2], c),
                               ([0, 2], TensorProduct(a, c)), ([1, 2], TensorProduct(b, c))):
            assert sympy.simplify(partial_trace(abc, [2, 3, 2], keep) - expected) == sympy.zeros(*expected.shape)
            f64 = partial_trace(np.array(abc.evalf(20).tolist(), dtype=complex), [2, 3, 2], keep)
            assert np.allclose(f64, np.array(expected.evalf(20).tolist(), dtype=complex), atol=1e-14)
            with working_precision(30):
                mp = partial_trace(MPMATH.as_matrix(as_strings(abc)), [2, 3, 2], keep)
            diff = np.array(mp.tolist(), dtype=complex) - np.array(expected.evalf(20).tolist(), dtype=complex)
            assert np.max(np.abs(diff)) < 1e-14

    def test_product_state_has_no_mutual_information(self):
        a, b = rational_density_matrix(4, 2), rational_density_matrix(5, 2)
        from sympy.physics.quantum import TensorProduct

        ab = TensorProduct(a, b)
        assert abs(mutual_information(np.array(ab.evalf(20).tolist(), dtype=complex), [2, 2])) < 1e-13
        assert abs(mutual_information(as_strings(ab), [2, 2], dps=50)) < mpmath.mpf(10) ** -45

    def test_bell_and_ghz(self):
        bell = np.zeros((4, 4))
        bell[np.ix_([0, 3], [0, 3])] = 0.5
        assert mutual_information(bell, [2, 2]) == pytest.approx(2 * math.log(2), abs=1e-14)
        ghz = np.zeros((8, 8))
        ghz[np.ix_([0, 7], [0, 7])] = 0.5
        # total correlation of GHZ: 3 ln 2 - 0
        assert mutual_information(ghz, [2, 2, 2]) == pytest.approx(3 * math.log(2), abs=1e-14)
        # bipartition A | BC: ln 2 + ln 2
        assert mutual_information(ghz, [2, 2, 2], parties=[[0], [1, 2]]) == pytest.approx(2 * math.log(2))

    def test_bad_partitions(self):
        with pytest.raises(ValueError, match="dimensions \\[2, 3\\] multiply to 6"):
            partial_trace(np.eye(4) / 4, [2, 3], [0])
        with pytest.raises(ValueError, match="partition"):
            mutual_information(np.eye(4) / 4, [2, 2], parties=[[0]])


def test_all_pairs_of_small_diagonal_states_are_consistent():
    """S, D and their exact values on a grid of diagonal qutrit states."""
    grid = [(Fraction(a, 6), Fraction(b, 6)) for a, b in itertools.product(range(7), repeat=2) if a + b <= 6]
    for (a, b) in grid[::5]:
        p = [sympy.Rational(a.numerator, a.denominator), sympy.Rational(b.numerator, b.denominator)]
        p.append(1 - p[0] - p[1])
        exact = von_neumann_entropy(sympy.diag(*p))
        expected = sum((-x * sympy.log(x) for x in p if x != 0), sympy.Integer(0))
        assert sympy.simplify(exact - expected) == 0
