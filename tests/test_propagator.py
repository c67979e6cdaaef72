"""The propagator: closed-form dynamics, structural properties, every route against every other."""

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symthermo import propagator_input, propagator_lindblad
from symthermo.propagator import evolve
from symthermo.propagator_generator import lindblad_generator
from symthermo.propagator_lindblad import lindblad_evolution
from symthermo.propagator_unitary import unitary_evolution

# |e> is index 0, |g> index 1; sigma_- = |g><e|
SM = [[0, 0], [1, 0]]
SZ = [[1, 0], [0, -1]]
SX = [[0, 1], [1, 0]]


@pytest.fixture(autouse=True)
def _mp_dps_unchanged():
    """Every test leaves mpmath.mp.dps as it found it (and it is restored anyway)."""
    before = mpmath.mp.dps
    yield
    after = mpmath.mp.dps
    mpmath.mp.dps = before
    assert after == before, f"mpmath.mp.dps changed: {before} -> {after}"


def as_numpy(m):
    """An mpmath matrix as a complex128 array."""
    return np.array([[complex(m[i, j]) for j in range(m.cols)] for i in range(m.rows)])


def mp_maxdiff(a, b):
    """max |a_ij - b_ij| for mpmath matrices (or an mpmath and a nested list)."""
    return max(abs(a[i, j] - b[i][j] if isinstance(b, list) else a[i, j] - b[i, j])
               for i in range(a.rows) for j in range(a.cols))


def random_problem(seed, d, n_ops=2):
    """A random Hermitian H, density matrix and Lindblad terms (float64)."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    H = (A + A.conj().T) / 2
    B = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = B @ B.conj().T
    rho = (rho + rho.conj().T) / 2
    rho /= np.trace(rho).real
    terms = [(float(rng.uniform(0.05, 1)), rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
             for _ in range(n_ops)]
    return H, rho, terms


def reference_mp(H, rho0, terms, t, dps=60):
    """exp(G t) vec(rho0) by mpmath.expm at dps digits: an independent high-precision twin."""
    with mpmath.workdps(dps):
        G = lindblad_generator(H, terms, dps=dps)
        rho = mpmath.matrix(rho0) if not isinstance(rho0, mpmath.matrix) else rho0
        d = rho.rows
        v0 = mpmath.matrix([rho[i, j] for j in range(d) for i in range(d)])
        v = mpmath.expm(G * mpmath.mpmathify(t)) * v0
        return [[v[j * d + i] for j in range(d)] for i in range(d)]


# ---------------------------------------------------------------------------
# Closed-form dynamics
# ---------------------------------------------------------------------------


class TestRabi:
    """Two resonant qubits with flip-flop coupling g: |e,g> population cos^2(g t)."""

    @staticmethod
    def hamiltonian(g, omega=1):
        sp, sm = np.array(SM).T, np.array(SM)
        flip = np.kron(sp, sm) + np.kron(sm, sp)
        local = np.kron(SZ, np.eye(2)) + np.kron(np.eye(2), SZ)
        return omega / 2 * local + g * flip

    @pytest.mark.parametrize("t", np.linspace(0, 4, 9))
    def test_float(self, t):
        g = 0.7
        eg = np.zeros((4, 4))
        eg[1, 1] = 1  # |e> x |g>
        rho = evolve(self.hamiltonian(g), eg, [t])[0]
        assert rho[1, 1].real == pytest.approx(math.cos(g * t) ** 2, abs=1e-12)
        assert rho[2, 2].real == pytest.approx(math.sin(g * t) ** 2, abs=1e-12)
        assert abs(rho[0, 0]) < 1e-13 and abs(rho[3, 3]) < 1e-13

    def test_dps30_exact_strings(self):
        g = sympy.Rational(1, 3)
        H = sympy.Matrix(4, 4, lambda i, j: 0)
        H[1, 2] = H[2, 1] = g
        for k, e in enumerate([1, 0, 0, -1]):
            H[k, k] = sympy.Rational(3, 2) * e
        eg = [[0] * 4 for _ in range(4)]
        eg[1][1] = 1
        times = ["0", "1/2", "5", mpmath.mpf(7)]
        rhos = evolve(H, eg, times, dps=30)
        with mpmath.workdps(50):
            for t, rho in zip(times, rhos):
                exact = mpmath.cos(mpmath.mpf(1) / 3 * mpmath.mpmathify(t)) ** 2
                assert abs(rho[1, 1] - exact) < mpmath.mpf(10) ** -28
                assert abs(rho[1, 1] + rho[2, 2] - 1) < mpmath.mpf(10) ** -28


class TestAmplitudeDamping:
    """P_e = P_e(0) exp(-gamma t); the coherence decays as exp(-gamma t / 2) and rotates."""

    @pytest.mark.parametrize("t", [0, 0.3, 1, 2.5, 10])
    def test_float(self, t):
        gamma, omega = 0.4, 1.5
        H = omega / 2 * np.array(SZ)
        plus = np.full((2, 2), 0.5)
        rho = evolve(H, plus, [t], lindblad=[(gamma, SM)])[0]
        assert rho[0, 0].real == pytest.approx(0.5 * math.exp(-gamma * t), abs=1e-12)
        assert rho[1, 1].real == pytest.approx(1 - 0.5 * math.exp(-gamma * t), abs=1e-12)
        coherence = 0.5 * math.exp(-gamma * t / 2) * complex(math.cos(omega * t), -math.sin(omega * t))
        assert abs(rho[0, 1] - coherence) < 1e-12

    def test_dps30_to_25_digits(self):
        H = [["3/4", 0], [0, "-3/4"]]
        plus = [["1/2", "1/2"], ["1/2", "1/2"]]
        times = ["0", "1/3", "2", "7.5", "20"]
        rhos = lindblad_evolution(H, plus, times, lindblad=[("1/7", SM)], dps=30)
        with mpmath.workdps(50):
            gamma = mpmath.mpf(1) / 7
            for t, rho in zip(times, rhos):
                t = mpmath.mpmathify(t)
                assert abs(rho[0, 0] - mpmath.exp(-gamma * t) / 2) < mpmath.mpf(10) ** -25
                coherence = mpmath.exp(-gamma * t / 2) * mpmath.expj(-mpmath.mpf(3) / 2 * t) / 2
                assert abs(rho[0, 1] - coherence) < mpmath.mpf(10) ** -25
                assert abs(rho[1, 0] - mpmath.conj(coherence)) < mpmath.mpf(10) ** -25


class TestDampedLadder:
    """A 3-level truncation of a damped oscillator, L = a: no leakage from |2> downwards.

    From |2>, P_2 = p^2, P_1 = 2 p (1 - p), P_0 = (1 - p)^2 with p = exp(-kappa t);
    the coherence <0|rho|2> decays as exp(-kappa t) and rotates as exp(2 i omega t).
    """

    @staticmethod
    def operators(sqrt2):
        a = [[0, 1, 0], [0, 0, sqrt2], [0, 0, 0]]
        H = [[0, 0, 0], [0, 1, 0], [0, 0, 2]]  # omega a^dag a with omega = 1
        return a, H

    def test_float(self):
        a, H = self.operators(math.sqrt(2))
        kappa = 0.3
        top = np.diag([0, 0, 1.0])
        times = [0, 0.5, 2, 6]
        for t, rho in zip(times, evolve(H, top, times, lindblad=[(kappa, a)])):
            p = math.exp(-kappa * t)
            assert np.allclose(np.diag(rho).real, [(1 - p) ** 2, 2 * p * (1 - p), p**2], atol=1e-12, rtol=0)

    def test_dps30(self):
        a, H = self.operators(sympy.sqrt(2))
        superposition = [["1/2", 0, "1/2"], [0, 0, 0], ["1/2", 0, "1/2"]]
        times = ["1/4", "3"]
        rhos = evolve(sympy.Matrix(H), superposition, times, lindblad=[("1/5", sympy.Matrix(a))], dps=30)
        with mpmath.workdps(50):
            kappa = mpmath.mpf(1) / 5
            for t, rho in zip(times, rhos):
                t = mpmath.mpmathify(t)
                p = mpmath.exp(-kappa * t)
                populations = [1 - p**2 / 2 - p * (1 - p), p * (1 - p), p**2 / 2]
                for k in range(3):
                    assert abs(rho[k, k] - populations[k]) < mpmath.mpf(10) ** -25
                coherence = mpmath.exp(-kappa * t) * mpmath.expj(2 * t) / 2
                assert abs(rho[0, 2] - coherence) < mpmath.mpf(10) ** -25


# ---------------------------------------------------------------------------
# Structural properties on random systems
# ---------------------------------------------------------------------------

entries = st.floats(-1, 1, allow_nan=False, allow_infinity=False)


@st.composite
def random_systems(draw, max_dim=3):
    d = draw(st.integers(2, max_dim))
    A = draw(arrays(np.float64, (2, d, d), elements=entries))
    H = A[0] + 1j * A[1]
    H = H + H.conj().T
    B = draw(arrays(np.float64, (2, d, d), elements=entries))
    B = B[0] + 1j * B[1] + 1e-3 * np.eye(d)
    rho = B @ B.conj().T
    rho = (rho + rho.conj().T) / 2
    rho /= np.trace(rho).real
    n_ops = draw(st.integers(0, 2))
    terms = []
    for _ in range(n_ops):
        L = draw(arrays(np.float64, (2, d, d), elements=entries))
        terms.append((draw(st.floats(0, 2)), L[0] + 1j * L[1]))
    times = draw(st.lists(st.floats(0, 5), min_size=1, max_size=4))
    return H, rho, terms, times


class TestStructure:
    @settings(max_examples=40, deadline=None)
    @given(random_systems())
    def test_trace_hermiticity_positivity(self, system):
        H, rho0, terms, times = system
        rhos = evolve(H, rho0, times, lindblad=terms)
        assert len(rhos) == len(times)
        for rho in rhos:
            assert rho.shape == rho0.shape and rho.dtype == np.complex128
            assert abs(np.trace(rho) - 1) < 1e-10
            assert np.array_equal(rho, rho.conj().T)
            assert np.linalg.eigvalsh(rho)[0] > -1e-9

    @settings(max_examples=6, deadline=None)
    @given(random_systems(max_dim=2))
    def test_mpmath_agrees_with_numpy(self, system):
        H, rho0, terms, times = system
        floats = evolve(H, rho0, times, lindblad=terms)
        precise = evolve(H, rho0, times, lindblad=terms, dps=20)
        for a, b in zip(floats, precise):
            assert isinstance(b, mpmath.matrix)
            assert np.max(np.abs(as_numpy(b) - a)) < 1e-11
            with mpmath.workdps(30):  # the trace of rho0's exact binary values is kept
                trace0 = sum(mpmath.mpf(float(rho0[i, i].real)) for i in range(b.rows))
                assert abs(sum(b[i, i] for i in range(b.rows)) - trace0) < mpmath.mpf(10) ** -19

    def test_purity_conserved_by_unitary(self):
        H, rho0, _ = random_problem(3, 4)
        purity = np.trace(rho0 @ rho0).real
        for rho in unitary_evolution(H, rho0, np.linspace(0, 10, 7)):
            assert np.trace(rho @ rho).real == pytest.approx(purity, abs=1e-12)

    def test_time_order_duplicates_zero_and_empty(self):
        H, rho0, terms = random_problem(4, 2)
        rhos = evolve(H, rho0, [2, 0, 2, 1], lindblad=terms)
        assert np.allclose(rhos[1], rho0, atol=1e-15)
        assert np.array_equal(rhos[0], rhos[2])
        assert not np.allclose(rhos[0], rhos[3])
        assert evolve(H, rho0, []) == [] and evolve(H, rho0, [], lindblad=terms, dps=15) == []


# ---------------------------------------------------------------------------
# Routes against each other
# ---------------------------------------------------------------------------


class TestRoutes:
    def test_generator_matches_naive_master_equation(self):
        H, rho, terms = random_problem(5, 3)
        G = lindblad_generator(H, terms)
        drho = -1j * (H @ rho - rho @ H)
        for rate, L in terms:
            LdL = L.conj().T @ L
            drho += rate * (L @ rho @ L.conj().T - 0.5 * (LdL @ rho + rho @ LdL))
        assert np.allclose(G @ rho.reshape(-1, order="F"), drho.reshape(-1, order="F"), atol=1e-12)
        G_mp = lindblad_generator(H, terms, dps=25)
        assert isinstance(G_mp, mpmath.matrix) and (G_mp.rows, G_mp.cols) == (9, 9)
        assert np.max(np.abs(as_numpy(G_mp) - G)) < 1e-13

    @pytest.mark.parametrize("dps", [None, 30])
    def test_zero_rates_equal_unitary(self, dps):
        H, rho0, terms = random_problem(6, 3)
        zero = [(0, L) for _, L in terms] + [("0", np.eye(3))]
        times = [0, "1/2", 3]
        a = unitary_evolution(H, rho0, times, dps=dps)
        b = lindblad_evolution(H, rho0, times, lindblad=zero, dps=dps)
        for x, y in zip(a, b):
            if dps is None:
                assert np.max(np.abs(x - y)) < 1e-12
            else:
                assert mp_maxdiff(x, y) < mpmath.mpf(10) ** -25

    def test_evolve_dispatches(self):
        H, rho0, terms = random_problem(7, 2)
        times = [0.5, 1.5]
        for x, y in zip(evolve(H, rho0, times), unitary_evolution(H, rho0, times)):
            assert np.array_equal(x, y)
        for x, y in zip(evolve(H, rho0, times, lindblad=None), unitary_evolution(H, rho0, times)):
            assert np.array_equal(x, y)
        for x, y in zip(evolve(H, rho0, times, lindblad=terms),
                        lindblad_evolution(H, rho0, times, lindblad=terms)):
            assert np.array_equal(x, y)

    def test_unitary_numpy_and_mpmath_agree_two_qutrits(self):
        H, rho0, _ = random_problem(8, 9, n_ops=0)
        times = np.linspace(0, 3, 5)
        for x, y in zip(unitary_evolution(H, rho0, times), unitary_evolution(H, rho0, times, dps=30)):
            assert np.max(np.abs(as_numpy(y) - x)) < 1e-12

    def test_lindblad_dps30_against_expm_dps60(self):
        H, rho0, terms = random_problem(9, 3)
        times = [0.25, 4]
        rhos = lindblad_evolution(H, rho0, times, lindblad=terms, dps=30)
        for t, rho in zip(times, rhos):
            assert mp_maxdiff(rho, reference_mp(H, rho0, terms, t)) < mpmath.mpf(10) ** -27

    def test_inputs_in_every_form_agree(self):
        H = [["1/3", "0.2+0.1j"], ["0.2-0.1j", "-1/3"]]
        rho0 = [["0.6", "1/10*j"], ["-0.1j", "0.4"]]
        forms = [
            (H, rho0),
            (sympy.Matrix([[sympy.Rational(1, 3), sympy.Rational(1, 5) + sympy.I / 10],
                           [sympy.Rational(1, 5) - sympy.I / 10, -sympy.Rational(1, 3)]]),
             sympy.Matrix([[sympy.Rational(3, 5), sympy.I / 10], [-sympy.I / 10, sympy.Rational(2, 5)]])),
        ]
        with mpmath.workdps(60):
            forms.append((mpmath.matrix([[mpmath.mpf(1) / 3, mpmath.mpc("0.2", "0.1")],
                                         [mpmath.mpc("0.2", "-0.1"), -mpmath.mpf(1) / 3]]),
                          mpmath.matrix([[mpmath.mpf("0.6"), mpmath.mpc(0, "0.1")],
                                         [mpmath.mpc(0, "-0.1"), mpmath.mpf("0.4")]])))
        results = [evolve(h, r, ["3/2"], lindblad=[("1/4", SM)], dps=40)[0] for h, r in forms]
        for other in results[1:]:
            assert mp_maxdiff(results[0], other) < mpmath.mpf(10) ** -38


class TestPrecisionOfInput:
    def test_strings_read_exactly(self):
        # a phase (2/3) t: reading "1/3" as a float would err by ~1e-17 t
        H = [["1/3", 0], [0, "-1/3"]]
        plus = [["1/2", "1/2"], ["1/2", "1/2"]]
        rho = unitary_evolution(H, plus, ["10"], dps=50)[0]
        with mpmath.workdps(70):
            exact = mpmath.expj(-mpmath.mpf(20) / 3) / 2
            assert abs(rho[0, 1] - exact) < mpmath.mpf(10) ** -45

    @pytest.mark.parametrize("text, value", [
        ("1/3", lambda: mpmath.mpf(1) / 3),
        ("-2.5e-3", lambda: mpmath.mpf("-0.0025")),
        (" 0.2 + 0.1j ", lambda: mpmath.mpc("0.2", "0.1")),
        ("-j", lambda: mpmath.mpc(0, -1)),
        ("2-j", lambda: mpmath.mpc(2, -1)),
        ("1/3*j", lambda: mpmath.mpc(0, 1) / 3),
        ("1/3-2/3*j", lambda: mpmath.mpc(1, -2) / 3),
        (".5E1", lambda: mpmath.mpf(5)),
        ("+7", lambda: mpmath.mpf(7)),
    ])
    def test_string_grammar(self, text, value):
        with mpmath.workdps(40):
            read, eps = propagator_input._read_scalar(text, "x")
            assert eps == 0 and abs(read - value()) < mpmath.mpf(10) ** -38

    def test_floats_read_by_exact_binary_value(self):
        H = np.array([[0.1, 0], [0, 0]])
        plus = [["1/2", "1/2"], ["1/2", "1/2"]]
        rho = unitary_evolution(H, plus, [10], dps=40)[0]
        with mpmath.workdps(60):
            binary = mpmath.expj(-10 * mpmath.mpf(0.1)) / 2
            decimal = mpmath.expj(-10 * mpmath.mpf("0.1")) / 2
            assert abs(rho[0, 1] - binary) < mpmath.mpf(10) ** -35
            assert abs(rho[0, 1] - decimal) > mpmath.mpf(10) ** -18

    def test_float_state_at_high_precision_accepted(self):
        # 0.1 + 0.9 in binary is 1 + 2.8e-17: the trace check follows the input's precision
        rho0 = np.diag([0.1, 0.9])
        rho = lindblad_evolution(np.zeros((2, 2)), rho0, [1], lindblad=[(1, SM)], dps=30)[0]
        with mpmath.workdps(40):
            trace_in = mpmath.mpf(0.1) + mpmath.mpf(0.9)
            assert trace_in != 1
            assert abs(rho[0, 0] + rho[1, 1] - trace_in) < mpmath.mpf(10) ** -29

    def test_results_rounded_to_dps(self):
        rho = evolve(SX, [[1, 0], [0, 0]], ["1/3"], lindblad=[("1/2", SM)], dps=20)[0]
        limit = mpmath.libmp.dps_to_prec(20)
        for i in range(2):
            for j in range(2):
                z = mpmath.mpc(rho[i, j])
                assert z.real._mpf_[3] <= limit and z.imag._mpf_[3] <= limit
        assert isinstance(rho[0, 0], mpmath.mpf)  # real diagonal

    @pytest.mark.parametrize("call", ["unitary", "lindblad", "generator", "error"])
    def test_mp_dps_left_unchanged(self, call):
        with mpmath.workdps(17):
            if call == "unitary":
                unitary_evolution(SX, [[1, 0], [0, 0]], [1], dps=40)
            elif call == "lindblad":
                lindblad_evolution(SX, [[1, 0], [0, 0]], [1], lindblad=[(1, SM)], dps=40)
            elif call == "generator":
                lindblad_generator(SX, [(1, SM)], dps=40)
            else:
                with pytest.raises(ValueError):
                    lindblad_evolution(SX, [[1, 0], [0, 0]], [-1], lindblad=[(1, SM)], dps=40)
            assert mpmath.mp.dps == 17


# ---------------------------------------------------------------------------
# Defective and ill-conditioned generators
# ---------------------------------------------------------------------------


class TestDefective:
    """H = (Omega/2) sigma_x with dephasing L = sigma_z at rate gamma.

    The (y, z) Bloch block has eigenvalues -gamma +- sqrt(gamma^2 - Omega^2):
    at Omega = gamma it is a Jordan block (critical damping) and, from |e>,
    z(t) = exp(-gamma t) (1 + gamma t).
    """

    H = [[0, "1/2"], ["1/2", 0]]  # Omega = 1
    E = [[1, 0], [0, 0]]
    TIMES = ["1/10", "1", "5/2", "8"]

    def critical(self, t):
        return (1 + mpmath.exp(-t) * (1 + t)) / 2

    def check(self, rhos, lindblad):
        for t, rho in zip(self.TIMES, rhos):
            ref = reference_mp(self.H, mpmath.matrix(self.E), lindblad, t)
            assert mp_maxdiff(rho, ref) < mpmath.mpf(10) ** -25
            with mpmath.workdps(50):
                assert abs(rho[0, 0] - self.critical(mpmath.mpmathify(t))) < mpmath.mpf(10) ** -25

    def test_generator_is_defective(self):
        G = lindblad_generator(self.H, [(1, SZ)], dps=30)
        with mpmath.workdps(30):
            E, ER = mpmath.eig(G)
            # the double eigenvalue -1 has (numerically) parallel eigenvectors
            cond = mpmath.mnorm(ER, 1) * mpmath.mnorm(mpmath.inverse(ER), 1)
        assert cond > 1e10

    def test_critical_damping_dps30(self, monkeypatch):
        sizes = []
        expm = mpmath.expm

        def recording_expm(A, *args, **kwargs):
            sizes.append(A.rows)
            return expm(A, *args, **kwargs)

        monkeypatch.setattr(mpmath, "expm", recording_expm)
        lindblad = [("1", SZ)]
        rhos = lindblad_evolution(self.H, self.E, self.TIMES, lindblad=lindblad, dps=30)
        monkeypatch.undo()
        # the Jordan block is exponentiated on its own (2 x 2), never the whole 4 x 4 G
        assert sizes and set(sizes) == {2}
        self.check(rhos, lindblad)

    def test_fallback_to_expm_dps30(self, monkeypatch):
        sizes = []
        expm = mpmath.expm

        def recording_expm(A, *args, **kwargs):
            sizes.append(A.rows)
            return expm(A, *args, **kwargs)

        # as when the eigenvector basis cannot be verified: the route falls back to expm(G t)
        monkeypatch.setattr(propagator_lindblad, "block_diagonalise", lambda *args: None)
        monkeypatch.setattr(mpmath, "expm", recording_expm)
        lindblad = [(1, SZ)]
        rhos = lindblad_evolution(self.H, self.E, self.TIMES, lindblad=lindblad, dps=30)
        monkeypatch.undo()
        assert sizes == [4] * len(self.TIMES)
        self.check(rhos, lindblad)

    def test_nearly_critical_dps30(self):
        # Omega = gamma (1 + 1e-12): diagonalisable, eigenvectors 1e-6 apart
        lindblad = [("0.999999999999", SZ)]
        times = ["1/3", "6"]
        rhos = lindblad_evolution(self.H, self.E, times, lindblad=lindblad, dps=30)
        for t, rho in zip(times, rhos):
            assert mp_maxdiff(rho, reference_mp(self.H, mpmath.matrix(self.E), lindblad, t)) \
                < mpmath.mpf(10) ** -25


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

RHO = [[1, 0], [0, 0]]
BAD = [
    ("H must be a non-empty square matrix, got shape \\(2, 3\\)", dict(H=[[1, 2, 3], [4, 5, 6]])),
    ("H is not Hermitian: max \\|H - H\\^dag\\| = 1", dict(H=[[0, 1], [0, 0]])),
    ("rho0 has shape \\(3, 3\\) but H has shape \\(2, 2\\)", dict(rho0=np.eye(3) / 3)),
    ("rho0 is not Hermitian: max \\|rho0 - rho0\\^dag\\| = 0.2", dict(rho0=[[0.5, 0.2], [0, 0.5]])),
    ("rho0 must have unit trace, got trace 0.9", dict(rho0=[["0.5", 0], [0, "0.4"]])),
    ("rho0 is not positive semidefinite: smallest eigenvalue -0.5", dict(rho0=[[1.5, 0], [0, -0.5]])),
    ("rate of lindblad\\[0\\] must be non-negative, got '-1/2'", dict(lindblad=[("-1/2", SM)])),
    ("rate of lindblad\\[0\\] must be a real number, got 1j", dict(lindblad=[(1j, SM)])),
    ("L of lindblad\\[1\\] has shape \\(3, 3\\) but H has shape \\(2, 2\\)",
     dict(lindblad=[(1, SM), (1, np.eye(3))])),
    ("lindblad\\[0\\] must be a \\(rate, L\\) pair", dict(lindblad=[(1, SM, 2)])),
    ("times\\[1\\] must be non-negative, got -1", dict(times=[0, -1])),
    ("times\\[0\\] must be a real number, got '1\\+2j'", dict(times=["1+2j"])),
    ("times\\[0\\]: expected a number, got None", dict(times=[None])),
    ("times\\[0\\]: cannot read 'soon' as a number", dict(times=["soon"])),
    ("H\\[0, 1\\]: cannot read '1/x' as a number", dict(H=[[0, "1/x"], ["1/x", 0]])),
    ("H\\[0, 0\\]: cannot read 'g/3j' as a number \\('g/3j' is ambiguous: write g/3\\*j",
     dict(H=[["g/3j", 0], [0, 0]])),
    ("H\\[0, 0\\]: cannot read '1/0' as a number \\(division by zero", dict(H=[["1/0", 0], [0, 0]])),
    ("H\\[0, 0\\]: expected a finite number, got nan", dict(H=np.array([[np.nan, 0], [0, 0]], dtype=object))),
    ("dps must be a positive integer, got 0", dict(dps=0)),
]


class TestBadInput:
    @pytest.mark.parametrize("dps", [None, 20])
    @pytest.mark.parametrize("message, bad", BAD, ids=[m[:30] for m, _ in BAD])
    def test_value_errors_quote_the_value(self, message, bad, dps):
        args = dict(H=SX, rho0=RHO, times=[1], lindblad=[(1, SM)], dps=dps)
        args.update(bad)
        with pytest.raises(ValueError, match=message):
            evolve(args.pop("H"), args.pop("rho0"), args.pop("times"), **args)

    def test_hermiticity_tolerance_follows_precision(self):
        # asymmetric at 1e-20: fine for float64, refused at 30 digits
        H = [[0, "1"], ["1.00000000000000000001", 0]]
        evolve(H, RHO, [1])
        with pytest.raises(ValueError, match="H is not Hermitian: max \\|H - H\\^dag\\| = 1.0e-20"):
            evolve(H, RHO, [1], dps=30)

    @pytest.mark.parametrize("bad", [dict(times=1.0), dict(times="1"), dict(dps="30"), dict(H="sx"),
                                     dict(H=[[object(), 0], [0, 0]]), dict(lindblad=3)])
    def test_type_errors(self, bad):
        args = dict(H=SX, rho0=RHO, times=[1], lindblad=[(1, SM)], dps=None)
        args.update(bad)
        with pytest.raises(TypeError):
            evolve(args.pop("H"), args.pop("rho0"), args.pop("times"), **args)

    def test_unphysical_result_is_refused(self, monkeypatch):
        # a broken exponential (not Hermiticity-preserving) must not be symmetrised away
        monkeypatch.setattr(propagator_lindblad.scipy.linalg, "expm", lambda A: np.eye(4) + np.eye(4, k=-1))
        with pytest.raises(ArithmeticError, match="not Hermitian"):
            lindblad_evolution(SX, RHO, [1], lindblad=[(1, SM)])
