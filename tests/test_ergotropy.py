"""Passive state, ergotropy, exergy and its decomposition (SL26 Eq. 10): all routes."""

import itertools
import math

import mpmath
import numpy as np
import pytest
import sympy

from symthermo.ergotropy import ergotropy, exergy, exergy_decomposition, passive_state
from symthermo.levels import Oscillator

H3 = [[0, 0, 0], [0, 1, 0], [0, 0, "5/2"]]


def naive_ergotropy(p, energies):
    """Brute force: the least energy over all permutations of the populations (diagonal states)."""
    e = sum(x * y for x, y in zip(p, energies))
    return e - min(sum(x * y for x, y in zip(perm, energies)) for perm in itertools.permutations(p))


class TestErgotropy:
    def test_diagonal_states_against_brute_force(self):
        rng = np.random.default_rng(3)
        energies = [0.0, 1.0, 2.5]
        for _ in range(20):
            p = rng.dirichlet([1, 1, 1])
            assert ergotropy(np.diag(p), np.diag(energies)) == pytest.approx(
                naive_ergotropy(p, energies), abs=1e-13)

    def test_pure_state_gives_energy_above_ground(self):
        psi = np.array([0.6, 0.0, 0.8])
        assert ergotropy(np.outer(psi, psi), np.diag([0.0, 1.0, 2.5])) == pytest.approx(0.64 * 2.5)
        assert ergotropy(sympy.Matrix([[9, 0, 12], [0, 0, 0], [12, 0, 16]]) / 25,
                         sympy.diag(0, 1, sympy.Rational(5, 2))) == sympy.Rational(8, 5)

    def test_three_routes_on_a_coherent_qubit(self):
        rho = sympy.Matrix([[sympy.Rational(1, 4), sympy.Rational(1, 4)],
                            [sympy.Rational(1, 4), sympy.Rational(3, 4)]])
        H = sympy.diag(0, 1)
        exact = ergotropy(rho, H)
        # qubit: E - E_passive = (omega/2)(z + r), r the Bloch length
        r = sympy.sqrt(sympy.Rational(1, 4) + sympy.Rational(1, 4))
        assert sympy.simplify(exact - (sympy.Rational(1, 2) + r) / 2) == 0
        mp = ergotropy([["1/4", "1/4"], ["1/4", "3/4"]], [[0, 0], [0, 1]], dps=50)
        with mpmath.workdps(60):
            assert abs(mp - mpmath.mpf(sympy.N(exact, 60))) < mpmath.mpf(10) ** -48
        assert ergotropy(np.array([[0.25, 0.25], [0.25, 0.75]]), np.diag([0.0, 1.0])) == pytest.approx(
            float(exact), abs=1e-14)

    def test_passive_state_is_passive_and_isospectral(self):
        rho = np.array([[0.2, 0.1j, 0], [-0.1j, 0.5, 0.05], [0, 0.05, 0.3]])
        pi = passive_state(rho, np.diag([0.0, 1.0, 2.5]))
        assert np.allclose(np.sort(np.linalg.eigvalsh(pi)), np.sort(np.linalg.eigvalsh(rho)))
        assert np.all(np.diff(np.diag(pi).real) <= 1e-14)
        assert ergotropy(pi, np.diag([0.0, 1.0, 2.5])) == pytest.approx(0.0, abs=1e-14)


class TestExergy:
    @pytest.mark.parametrize("e", ["1e-6", "1e-10", "1e-14"])
    def test_near_pure_states_certified_against_dps_60(self, e):
        rho = [[f"1 - {e}", 0, 0], [0, e, 0], [0, 0, 0]]
        at30 = exergy(rho, H3, dps=30)
        at60 = exergy(rho, H3, dps=60)
        with mpmath.workdps(70):
            assert abs(at30 - at60) <= abs(at60) * mpmath.mpf(10) ** -29
        assert at30 > 0  # float64 gives the wrong sign for e = 1e-10

    def test_qubit_exergy_equals_ergotropy(self):
        """A qubit's passive states are thermal (SL26 after Fig. 7), so Xi = ergotropy."""
        rng = np.random.default_rng(11)
        for _ in range(10):
            X = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
            rho = X @ X.conj().T
            rho /= np.trace(rho).real
            H = np.diag([-0.7, 0.7])
            assert exergy(rho, H) == pytest.approx(ergotropy(rho, H), abs=1e-13)

    def test_decomposition_holds_in_all_routes(self):
        """SL26 Eq. (10)/(A3): Xi = ergotropy + D[pi||w(beta)]/beta, both sides computed apart."""
        rng = np.random.default_rng(5)
        for _ in range(8):
            X = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
            rho = X @ X.conj().T
            rho /= np.trace(rho).real
            parts = exergy_decomposition(rho, np.diag([0.0, 1.0, 2.5]))
            assert parts.exergy == pytest.approx(parts.ergotropy + parts.passive_term, abs=1e-13)
            assert parts.relative_entropy >= -1e-14 and parts.passive_term >= -1e-14
        rho = [["1/2", "1/10", 0], ["1/10", "1/5", 0], [0, 0, "3/10"]]
        parts = exergy_decomposition(rho, H3, dps=30)
        with mpmath.workdps(40):
            assert abs(parts.exergy - parts.ergotropy - parts.passive_term) < mpmath.mpf(10) ** -28

    def test_edge_cases(self):
        H = np.diag([0.0, 1.0, 2.0])
        parts = exergy_decomposition(np.diag([1.0, 0.0, 0.0]), H)
        assert (parts.exergy, parts.ergotropy, parts.passive_term) == (0.0, 0.0, 0.0)
        assert parts.beta == math.inf
        parts = exergy_decomposition(np.eye(3) / 3, H)
        assert parts.beta == 0.0 and parts.exergy == pytest.approx(0.0, abs=1e-15)
        # excited pure state: exergy = ergotropy = energy above ground
        assert exergy(np.diag([0.0, 0.0, 1.0]), H) == 2.0

    def test_oscillator_passive_non_thermal_state_has_positive_exergy(self):
        """SL26 Fig. 2b mechanism: rho_B = diag(p0, p1) passive but not thermal -> Xi > ergotropy = 0."""
        rho = [["3/4", 0], [0, "1/4"]]
        parts = exergy_decomposition(rho, Oscillator(1), dps=30)
        assert parts.ergotropy == 0
        assert parts.exergy > mpmath.mpf("0.01")
        with mpmath.workdps(40):
            assert abs(parts.exergy - parts.passive_term) < mpmath.mpf(10) ** -28
