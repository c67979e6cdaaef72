"""float64 keeps what it is given: tiny populations, Gibbs states at any beta,
relative entropies with tiny (positive) eigenvalues, never-negative ergotropy
and exergy.

Every reference is the exact value of the *float64 input* (the very floats
symthermo receives, converted to mpmath without rounding), evaluated with
mpmath at 50 or more digits by textbook formulas written here, independent of
symthermo's code.  One class per function, parametrised, as QuTiP's
``test_entropy.py``.
"""

import math

import mpmath
import numpy as np
import pytest

from symthermo.entropy import binary_entropy, relative_entropy, von_neumann_entropy
from symthermo.ergotropy import (clip_rounding, ergotropy, ergotropy_rounding_bound, exergy,
                                 exergy_decomposition, exergy_rounding_bound)
from symthermo.local import Subsystem
from symthermo.models import get_model
from symthermo.models.float64_columns import _local_columns, _LocalInfo
from symthermo.models.local_rows import _local_from_data
from symthermo.numbers import FLOAT64
from symthermo.beta_from_entropy import beta_for_entropy
from symthermo.levels import Oscillator, levels_of
from symthermo.thermal import entropy_matched_beta, thermal_entropy
from symthermo.thermal_arrays import beta_for_entropy_array
from symthermo.thermal_functions import oscillator_entropy

EPS = np.finfo(float).eps
QUBIT = np.diag([0.0, 1.0])


def mp(x):
    """A float64 number as mpmath, exactly (53 bits fit in any precision >= 53)."""
    return mpmath.mpf(float(x))


def xlogx(x):
    return x * mpmath.log(x) if x != 0 else mpmath.mpf(0)


def exact_entropy(populations):
    return -mpmath.fsum(xlogx(p) for p in populations)


def rel_err(value, exact):
    value = mpmath.mpf(value)
    return abs(value - exact) / abs(exact) if exact != 0 else abs(value)


def gibbs_qubit(beta):
    """diag(p_g, p_e) of exp(-beta sigma_ee)/Z, in float64 (p_e is a fine float down
    to e^-745)."""
    w = math.exp(-beta)
    return np.diag([1 / (1 + w), w / (1 + w)])


EPSILONS = [float(x) for x in np.logspace(-300, -1, 34)]


class TestBinaryEntropy:
    """-p ln p - (1 - p) ln(1 - p): ln(1 - p) as log1p(-p), so the term p survives."""

    @pytest.mark.parametrize("e", EPSILONS)
    def test_binary_entropy_to_rounding(self, e):
        with mpmath.workdps(50):
            p = mp(e)
            exact = -p * mpmath.log(p) - (1 - p) * mpmath.log1p(-p)
            assert rel_err(binary_entropy(FLOAT64, e), exact) <= 4 * EPS

    @pytest.mark.parametrize("e", EPSILONS)
    def test_von_neumann_of_float_input(self, e):
        """S(diag(1 - e, e)) of the float64 matrix as given: no eigenvalue set to 0
        (the old route gave 0 for e <= 3e-15)."""
        rho = np.diag([1.0 - e, e])
        with mpmath.workdps(50):
            exact = exact_entropy([mp(1.0 - e), mp(e)])
            assert rel_err(von_neumann_entropy(rho), exact) <= 4 * EPS

    @pytest.mark.parametrize("e", [0.0, 1.0, 0.5])
    def test_endpoints(self, e):
        h = binary_entropy(FLOAT64, e)
        assert h == (math.log(2) if e == 0.5 else 0.0)

    def test_pure_state_in_a_rotated_basis_is_zero(self):
        """A non-diagonal pure state comes out of the eigensolver with eigenvalues of
        +-1e-17: below its rounding they are 0, so S = 0 and beta = inf."""
        rng = np.random.default_rng(7)
        for d in (2, 3, 5):
            v = rng.normal(size=d) + 1j * rng.normal(size=d)
            v /= np.linalg.norm(v)
            rho = np.outer(v, v.conj())
            assert von_neumann_entropy(rho) == 0.0
            assert entropy_matched_beta(rho, np.diag(np.arange(d, dtype=float))) == math.inf


class TestGibbsQubit:
    """A thermal qubit gives its beta back, and exergy 0 (never negative)."""

    @pytest.mark.parametrize("beta", [1e-8, 0.3, 1.0, 34.0, 50.0, 200.0, 700.0])
    def test_beta_back(self, beta):
        rho = gibbs_qubit(beta)
        got = entropy_matched_beta(rho, QUBIT)
        # p_g and p_e carry a relative rounding of eps each: ln(p_g/p_e) an absolute one
        assert abs(got - beta) <= 1e-12 * beta + 4 * EPS
        with mpmath.workdps(60):  # the exact beta of the float64 input
            exact = mpmath.log(mp(rho[0, 0]) / mp(rho[1, 1]))
            assert rel_err(got, exact) <= 4 * EPS

    @pytest.mark.parametrize("beta", [720.0, 740.0, 744.0])
    def test_subnormal_populations(self, beta):
        """p_e = e^-740 is subnormal (a few bits): beta is that of the float64 input."""
        rho = gibbs_qubit(beta)
        assert 0 < rho[1, 1] < 2.3e-308
        got = entropy_matched_beta(rho, QUBIT)
        with mpmath.workdps(60):
            exact = mpmath.log(mp(rho[0, 0]) / mp(rho[1, 1]))
            assert rel_err(got, exact) <= 4 * EPS
        # what a subnormal p_e can say about beta: its spacing relative to itself
        assert abs(got - beta) <= 1e-12 * beta + np.spacing(rho[1, 1]) / rho[1, 1]

    def test_beyond_underflow_is_pure(self):
        rho = gibbs_qubit(800.0)
        assert rho[1, 1] == 0.0
        assert entropy_matched_beta(rho, QUBIT) == math.inf
        assert exergy(rho, QUBIT) == 0.0

    @pytest.mark.parametrize("beta", [0.3, 1.0, 34.0, 50.0, 200.0, 700.0, 740.0])
    def test_exergy_zero_and_never_negative(self, beta):
        rho = gibbs_qubit(beta)
        energy = rho[1, 1]
        for value in (exergy(rho, QUBIT), Subsystem.of(QUBIT, FLOAT64).quantities(rho)["exergy"],
                      exergy_decomposition(rho, QUBIT).exergy):
            assert value >= 0.0
            assert value <= 4 * EPS * energy

    @pytest.mark.parametrize("beta", [34.0, 50.0, 200.0])
    def test_offset_levels(self, beta):
        """H = diag(-w/2, w/2): the same, energies measured from the ground."""
        H = np.diag([-0.35, 0.35])
        w = math.exp(-0.7 * beta)
        rho = np.diag([1 / (1 + w), w / (1 + w)])
        q = Subsystem.of(H, FLOAT64).quantities(rho)
        assert abs(q["beta"] - beta) <= 1e-12 * beta
        assert 0.0 <= q["exergy"] <= 4 * EPS * 0.7 * rho[1, 1]
        assert q["ergotropy"] == 0.0

    def test_in_the_ledger(self):
        """The propagator route: a Gibbs qubit at beta = 34 beside a ground-state qubit,
        uncoupled, keeps its beta (and exergy 0) at every time."""
        from symthermo.ledger import ledger

        rows = ledger({"A": (QUBIT, gibbs_qubit(34.0)), "B": (QUBIT, np.diag([1.0, 0.0]))},
                      [0.0, 1.0, 5.0])
        for row in rows:
            assert abs(row["beta_A"] - 34.0) <= 1e-12 * 34.0
            assert row["exergy_A"] == 0.0 and row["beta_B"] == math.inf

    def test_rotated_basis(self):
        """In a rotated basis p_e = e^-34 = 1.7e-15 is 8 times the eigensolver's
        rounding: it is kept, and beta comes back to what that rounding allows."""
        theta = 0.4
        U = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        rho = U @ gibbs_qubit(34.0) @ U.T
        H = U @ QUBIT @ U.T
        got = entropy_matched_beta(rho, H)
        assert abs(got - 34.0) <= 0.1


def _oscillator_beta_exact(entropy, omega):
    """beta with (n + 1) ln(n + 1) - n ln n = entropy, n = 1/(e^{beta omega} - 1),
    solved in u = ln n at the working precision (f(u) = ln S(e^u) - ln entropy is
    smooth and increasing)."""
    def log_s(u):
        n = mpmath.exp(u)
        return mpmath.log((n + 1) * mpmath.log1p(n) - n * mpmath.log(n)) - mpmath.log(entropy)

    # n ln(1/n) ~ S: a start within a few percent
    start = mpmath.log(entropy / mpmath.log(1 / entropy))
    u = mpmath.findroot(log_s, start, tol=mpmath.mpf(10) ** (-mpmath.mp.dps + 5))
    return mpmath.log1p(mpmath.exp(-u)) / omega


class TestOscillator:
    """Analytic oscillator functions where 1 + n rounds to 1 or x -> 0."""

    @pytest.mark.parametrize("n", [1e-300, 1e-100, 1e-30, 1e-17, 3e-16, 1e-8, 0.5, 7.0, 1e6])
    def test_entropy_of_occupation(self, n):
        with mpmath.workdps(50):
            x = mp(n)
            exact = (x + 1) * mpmath.log1p(x) - x * mpmath.log(x)
            assert rel_err(oscillator_entropy(FLOAT64, n), exact) <= 8 * EPS

    @pytest.mark.parametrize("p", [1e-6, 1e-12, 1e-17, 1e-30, 1e-100, 1e-300])
    @pytest.mark.parametrize("omega", [1.0, 2.5])
    def test_beta_at_tiny_population(self, p, omega):
        """diag(1 - p, p) in the Fock basis: beta to ~1e-13 of the float input's."""
        rho = np.diag([1.0 - p, p])
        got = entropy_matched_beta(rho, Oscillator(omega))
        with mpmath.workdps(60):
            exact = _oscillator_beta_exact(exact_entropy([mp(1.0 - p), mp(p)]), mp(omega))
            assert rel_err(got, exact) <= 1e-13
        # the vectorised solver agrees with the scalar one
        s = von_neumann_entropy(rho)
        assert abs(beta_for_entropy_array(Oscillator(omega), np.array([s]))[0] - got) <= 1e-13 * got

    @pytest.mark.parametrize("beta", [1e-12, 1e-8, 1e-3, 0.5, 30.0, 300.0, 800.0])
    def test_thermal_entropy(self, beta):
        """S = x n - ln(1 - e^{-x}), x = beta omega: ln(1 - e^{-x}) from expm1 near x = 0
        (log1p(-e^{-x}) lost 1e-4 of its digits at x = 1e-12)."""
        got = thermal_entropy(Oscillator(1.0), beta)
        with mpmath.workdps(60):
            x = mp(beta)
            n = 1 / mpmath.expm1(x)
            exact = x * n - mpmath.log1p(-mpmath.exp(-x))
            if exact < mpmath.mpf(2) ** -1075:  # below half the smallest subnormal: 0
                assert got == 0.0
            else:
                assert rel_err(got, exact) <= 16 * EPS

    @pytest.mark.parametrize("s", [1e-310, 1e-200, 1e-40, 1e-3, 2.0, 30.0])
    def test_entropy_round_trip(self, s):
        beta = beta_for_entropy(FLOAT64, Oscillator(1.0), s)
        back = thermal_entropy(Oscillator(1.0), beta)
        # a subnormal entropy has few bits; otherwise to rounding
        assert rel_err(back, mp(s)) <= (1e-3 if s < 2.3e-308 else 1e-13)


def _exact_relative_entropy(p, q):
    """D(diag p || diag q) with 0 ln 0 = 0."""
    return mpmath.fsum(mp(a) * (mpmath.log(mp(a)) - mpmath.log(mp(b))) for a, b in zip(p, q) if a)


class TestRelativeEntropy:
    """D(rho || sigma) is finite whenever rho's support is in sigma's, however small
    sigma's eigenvalues (QuTiP's tolerance pitfall: inf once sigma has 1e-12)."""

    @pytest.mark.parametrize("s", [1e-10, 1e-12, 1e-13, 1e-17, 1e-50, 1e-300])
    def test_tiny_sigma_eigenvalue(self, s):
        p = [0.5, 0.3, 0.2]
        q = [1.0 - s - 0.25, 0.25, s]
        got = relative_entropy(np.diag(p), np.diag(q))
        assert math.isfinite(got)
        with mpmath.workdps(50):
            exact = _exact_relative_entropy(p, q)
            # each term is well conditioned (no cancellation: the weights are not small)
            assert rel_err(got, exact) <= 64 * EPS

    @pytest.mark.parametrize("s", [1e-12, 1e-17, 1e-100])
    def test_both_near_pure(self, s):
        p = [1.0 - 1e-3, 1e-3]
        q = [1.0 - s, s]
        got = relative_entropy(np.diag(p), np.diag(q))
        with mpmath.workdps(50):
            exact = _exact_relative_entropy(p, q)
            assert rel_err(got, exact) <= 64 * EPS

    def test_support_not_contained_is_inf(self):
        assert relative_entropy(np.diag([0.5, 0.5]), np.diag([1.0, 0.0])) == math.inf
        # weight only on sigma's support: finite
        assert relative_entropy(np.diag([1.0, 0.0]), np.diag([1.0, 0.0])) == 0.0

    def test_rotated(self):
        """The same pair in a rotated basis: finite and close (eigenvectors carry
        rounding, so the tiny eigenvalue's term is known to ~eps/s relative)."""
        theta = 0.3
        U = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        p, q = [0.9, 0.1], [1.0 - 1e-8, 1e-8]
        got = relative_entropy(U @ np.diag(p) @ U.T, U @ np.diag(q) @ U.T)
        with mpmath.workdps(50):
            exact = _exact_relative_entropy(p, q)
        assert math.isfinite(got)
        assert rel_err(got, exact) <= 1e-6


def _random_near_pure(rng, d, eps):
    v = rng.normal(size=d) + 1j * rng.normal(size=d)
    v /= np.linalg.norm(v)
    A = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    noise = A @ A.conj().T
    noise /= np.trace(noise).real
    return (1 - eps) * np.outer(v, v.conj()) + eps * noise


class TestNeverNegative:
    """Ergotropy and exergy are >= 0 for every state: a negative of rounding size is
    0, a negative beyond the rounding bound stays (it says something)."""

    @pytest.mark.parametrize("d", [2, 3, 5])
    def test_random_near_pure(self, d):
        rng = np.random.default_rng(100 + d)
        H = np.diag(np.sort(rng.random(d) * 3))
        for eps in [1e-2, 1e-6, 1e-10, 1e-14, 1e-17, 0.0]:
            for _ in range(8):
                rho = _random_near_pure(rng, d, eps)
                erg, exe = ergotropy(rho, H), exergy(rho, H)
                assert erg >= 0.0 and exe >= 0.0, (eps, erg, exe)
                assert erg <= exe + 1e-14  # exergy - ergotropy = D/beta >= 0

    @pytest.mark.parametrize("d", [2, 3, 4])
    def test_passive_near_pure(self, d):
        """Diagonal, populations decreasing with energy: ergotropy exactly 0."""
        rng = np.random.default_rng(d)
        H = np.diag(np.arange(d, dtype=float) * 0.7)
        for eps in [1e-3, 1e-9, 1e-15, 1e-40]:
            for _ in range(10):
                tail = np.sort(rng.random(d - 1))[::-1] * eps
                rho = np.diag(np.concatenate([[1.0 - tail.sum()], tail]))
                energy = float(np.diag(rho) @ np.diag(H))
                # exactly 0 in exact arithmetic; in float64 E and Tr[pi H] are summed in
                # different orders, so 0 or a positive of rounding size
                assert 0.0 <= ergotropy(rho, H) <= ergotropy_rounding_bound(d, energy, energy)
                assert exergy(rho, H) >= 0.0

    def test_clip_keeps_real_negatives(self):
        assert clip_rounding(-1e-26, 1e-20) == 0.0
        assert clip_rounding(-1e-3, 1e-20) == -1e-3
        arr = clip_rounding(np.array([-1e-30, -1.0, 2.0]), np.array([1e-20, 1e-20, 1e-20]))
        assert arr.tolist() == [0.0, -1.0, 2.0]

    def test_bound_is_zero_free_of_nan(self):
        for beta in (0.0, math.inf, 3.0):
            b = exergy_rounding_bound(2, 0.1, 0.1 if beta != math.inf else 0.0, beta, 0.3, 1.0)
            assert math.isfinite(b) and b > 0


class TestNearPureBenchmark:
    """Benchmark problem 4: rho = diag(1 - e, e, 0), H = diag(0, 1, 2.5), the float64
    input numpy.diag([1.0 - e, e, 0.0]) against its own exact values."""

    LEVELS = (0.0, 1.0, 2.5)

    def exact(self, e):
        p = [mp(1.0 - e), mp(e), mpmath.mpf(0)]
        levels = [mp(x) for x in self.LEVELS]
        S = exact_entropy(p)

        def thermal(beta):
            w = [mpmath.exp(-beta * x) for x in levels]
            z = mpmath.fsum(w)
            q = [x / z for x in w]
            return q, -mpmath.fsum(xlogx(x) for x in q)

        # S(beta) decreases; bisection on ln beta
        lo, hi = mpmath.mpf(1), mpmath.mpf(2000)
        for _ in range(400):
            mid = mpmath.sqrt(lo * hi)
            if thermal(mid)[1] > S:
                lo = mid
            else:
                hi = mid
        beta = mpmath.sqrt(lo * hi)
        q, _ = thermal(beta)
        E = mpmath.fsum(a * x for a, x in zip(p, levels))
        Eth = mpmath.fsum(a * x for a, x in zip(q, levels))
        return {"S": S, "beta": beta, "ergotropy": mpmath.mpf(0), "exergy": E - Eth, "E": E}

    @pytest.mark.parametrize("e", [1e-6, 1e-8, 1e-10, 1e-12, 1e-14, 1e-16, 1e-20])
    def test_within_rounding_of_the_float_input(self, e):
        rho = np.diag([1.0 - e, e, 0.0])
        H = np.diag(self.LEVELS)
        with mpmath.workdps(60):
            ref = self.exact(e)
            s = von_neumann_entropy(rho)
            assert rel_err(s, ref["S"]) <= 4 * EPS  # a few ulps
            assert ergotropy(rho, H) == 0.0
            beta = entropy_matched_beta(rho, H)
            assert rel_err(beta, ref["beta"]) <= 1e-13
            # exergy = E - E^th is a difference of two numbers of size e: its float64
            # rounding is that of E, not of the (much smaller) difference; the bound says
            # how much, and the sign of the exact value is kept (the float input's trace
            # is not exactly 1, so its exact exergy can be a tiny negative)
            got = exergy(rho, H)
            bound = exergy_rounding_bound(3, float(ref["E"]), float(ref["E"]), beta, s, 2.5)
            assert abs(mpmath.mpf(got) - ref["exergy"]) <= bound
            assert got == 0.0 or abs(ref["exergy"]) > bound or (got > 0) == (ref["exergy"] > 0)


class TestVectorisedAgrees:
    """The vectorised finishing (models.float64_columns._local_columns) and the per-row one
    (_local_from_data) give the same tiny-population results."""

    def test_local_columns_two_level(self):
        betas = np.array([0.0, 1e-9, 0.7, 34.0, 50.0, 200.0, 700.0, 740.0, 800.0])
        w = np.exp(-betas)
        lo, hi = w / (1 + w), 1 / (1 + w)
        # a few rounding negatives about exact zeros
        lo_noisy = lo.copy()
        lo_noisy[-1] = -1e-17
        sub = Subsystem.of(QUBIT, FLOAT64)
        info = _LocalInfo.of(sub)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            cols = _local_columns(info, {"E": lo, "spectrum": [lo_noisy, hi]}, len(betas))
        for k in range(len(betas)):
            row = _local_from_data(sub, {"E": lo[k], "spectrum": [lo_noisy[k], hi[k]]}, FLOAT64)
            for key in ("S", "beta", "Eth", "ergotropy", "exergy"):
                a, b = cols[key][k], row[key]
                assert a == b or abs(a - b) <= 4 * EPS * abs(b), (key, betas[k], a, b)
            assert row["exergy"] >= 0.0 and row["ergotropy"] >= 0.0
        normal = betas[1:-2]  # 740: a subnormal p_e (TestGibbsQubit)
        assert np.all(np.abs(cols["beta"][1:-2] - normal) <= 1e-12 * normal + 4 * EPS)
        assert cols["beta"][-1] == math.inf and cols["beta"][0] == 0.0

    def test_oscillator_columns(self):
        """An oscillator's beta from tiny entropies: vectorised against the scalar solver."""
        n = np.array([1e-300, 1e-100, 1e-20, 1e-9, 0.3, 40.0])
        s = (n + 1) * np.log1p(n) - n * np.log(n)
        vec = beta_for_entropy_array(Oscillator(1.3), s)
        for k in range(len(n)):
            scalar = beta_for_entropy(FLOAT64, Oscillator(1.3), float(s[k]))
            assert abs(vec[k] - scalar) <= 1e-13 * scalar
            assert abs(vec[k] - math.log1p(1 / n[k]) / 1.3) <= 1e-12 * vec[k]

    def test_spontaneous_emission_long_times(self, per_row):
        """A decaying qubit: P_e = e^{-gamma t} down to 1e-26, beta = gamma t + ...:
        both routes give the same finite beta and exergy >= 0."""
        model = get_model("spontaneous-emission")
        p = model.params({"gamma": "0.3"})
        times = [0.0, 1.0, 50.0, 100.0, 200.0]
        fast = model.evaluate(p, times, lib=FLOAT64)
        slow = per_row(model, p, times, lib=FLOAT64)
        for a, b, t in zip(fast, slow, times):
            for key in ("beta_A", "exergy_A", "ergotropy_A", "S_A"):
                x, y = a[key], b[key]
                assert x == y or abs(x - y) <= 1e-13 * abs(y), (t, key, x, y)
            assert a["exergy_A"] >= 0.0 and a["ergotropy_A"] >= 0.0
            if t >= 50:
                assert math.isfinite(a["beta_A"]) and a["beta_A"] > 10

    def test_levels_vectorised_matches_scalar_at_tiny_entropy(self):
        levels = levels_of(np.diag([0.0, 1.0, 2.5]), FLOAT64)
        S = np.array([1e-300, 1e-100, 1e-20, 1e-6, 0.5])
        vec = beta_for_entropy_array(levels, S)
        for k, s in enumerate(S):
            scalar = beta_for_entropy(FLOAT64, levels, float(s))
            assert abs(vec[k] - scalar) <= 1e-13 * scalar


class TestRelativeEntropyMpmath:
    """The same at dps 30: an eigenvalue of sigma of 1e-40 (below the working
    precision's eps) is a population, not a kernel direction."""

    @pytest.mark.parametrize("s", ["1e-20", "1e-40", "1e-100"])
    def test_tiny_sigma_eigenvalue(self, s):
        rho = [["1/2", 0], [0, "1/2"]]
        sigma = [[f"1 - {s}", 0], [0, s]]
        got = relative_entropy(rho, sigma, dps=30)
        assert mpmath.isfinite(got)
        with mpmath.workdps(150):
            x = mpmath.mpf(s)
            exact = -mpmath.log(2) - (mpmath.log1p(-x) + mpmath.log(x)) / 2
            assert abs(got - exact) <= abs(exact) * mpmath.mpf(10) ** -29

    def test_kernel_is_inf(self):
        assert relative_entropy([["1/2", 0], [0, "1/2"]], [[1, 0], [0, 0]], dps=30) == mpmath.inf


class TestNearInfiniteTemperature:
    """beta -> 0 from the entropy (more than two levels): ln d - S ~ beta^2 Var/2, so
    beta is ill-conditioned there but keeps digits down to where ln d - S is the
    rounding of S; below that it is 0 (the maximally mixed state)."""

    H = np.diag([0.0, 1.0, 2.5])

    @pytest.mark.parametrize("beta", [1e-6, 1e-5, 1e-4, 1e-2, 0.5])
    def test_gibbs_qutrit(self, beta):
        energies = np.diag(self.H)
        w = np.exp(-beta * energies)
        p = w / w.sum()
        var = float(p @ energies**2 - (p @ energies) ** 2)
        got = entropy_matched_beta(np.diag(p), self.H)
        # dS ~ 8 d eps ln d moves beta by dS / (beta Var)
        assert abs(got - beta) <= 2e-14 / (beta * var) + 1e-12 * beta
        s = von_neumann_entropy(np.diag(p))
        vec = beta_for_entropy_array(levels_of(self.H, FLOAT64), np.array([s]))[0]
        assert abs(vec - beta) <= 2e-14 / (beta * var) + 1e-12 * beta

    def test_indistinguishable_from_maximally_mixed(self):
        p = np.exp(-1e-9 * np.diag(self.H))
        assert entropy_matched_beta(np.diag(p / p.sum()), self.H) == 0.0
        assert entropy_matched_beta(np.eye(3) / 3, self.H) == 0.0


def _exact_thermal(populations, gaps, dps=60):
    """beta, w(beta), D[p || w], Tr[p H] - E^th for float64 populations (on the
    ascending levels, as given: the trace defect kept) and float64 gaps, all
    converted exactly, at ``dps`` digits: bisection on ln beta, then Newton
    (dS/dbeta = -beta Var)."""
    with mpmath.workdps(dps + 20):
        p = [mp(x) for x in populations]
        g = [mp(x) for x in gaps]
        S = exact_entropy(p)

        def thermal(beta):
            x = [mpmath.exp(-beta * gk) for gk in g]
            z = mpmath.fsum(x)
            return [xk / z for xk in x]

        def s_of(w):
            return -mpmath.fsum(xlogx(wk) for wk in w)

        lo, hi = mpmath.mpf("1e-3"), mpmath.mpf(1e4)
        for _ in range(60):
            mid = mpmath.sqrt(lo * hi)
            lo, hi = (mid, hi) if s_of(thermal(mid)) > S else (lo, mid)
        beta = mpmath.sqrt(lo * hi)
        for _ in range(12):
            w = thermal(beta)
            mean = mpmath.fsum(a * b for a, b in zip(w, g))
            var = mpmath.fsum(a * (b - mean) ** 2 for a, b in zip(w, g))
            beta = beta + (s_of(w) - S) / (beta * var)
        w = thermal(beta)
        assert abs(s_of(w) - S) <= mpmath.mpf(10) ** -(dps + 5) * S
        D = mpmath.fsum(a * mpmath.log(a / b) for a, b in zip(p, w) if a != 0)
        delta = mpmath.fsum(gk * (a - b) for gk, a, b in zip(g, p, w))
        return beta, w, D, delta


def _near_pure_spectrum(rng, d, e):
    """Excited populations e u_k (u_k random in [0.05, 1], decreasing), the ground one
    1 - their sum, all float64; random gaps in [0.1, 2]."""
    tail = np.sort(rng.uniform(0.05, 1.0, d - 1))[::-1] * e
    populations = [1.0 - float(tail.sum())] + [float(t) for t in tail]
    gaps = [0.0] + [float(x) for x in np.cumsum(rng.uniform(0.1, 2.0, d - 1))]
    return populations, gaps


def _assert_ulps(got, exact, energy, d):
    """got within 8 eps of exact; or got = 0 for an exact negative of the float64 trace
    defect's size that is within the rounding bound of the ergotropy part (clip_rounding
    takes it for noise about 0)."""
    if got == 0.0 and exact <= 0:
        assert -exact <= ergotropy_rounding_bound(d, energy, energy), (got, exact)
    else:
        assert rel_err(got, exact) <= 8 * EPS, (got, exact)


class TestExergyToUlps:
    """Issue 9: exergy = ergotropy + (Tr[pi H] - E^th) and D[pi || w(beta)] of
    near-pure float64 states within 8 eps (relative) of the exact values of the
    same float64 input (mpmath, dps 60).

    8 eps: the passive excess is a sum of non-negative terms, each within about
    3 eps (passive_excess: Sterbenz-exact p - w, the atanh series, the exact
    product in exp(-beta g)), divided by beta (4 eps from the solver); D = beta
    (Tr[pi H] - E^th) also carries beta's error (16 eps).  E - E^th, the
    textbook form, was off by 1e-5 relative at e = 1e-6 on benchmark problem 4.
    """

    ES = [float(x) for x in np.logspace(-14, -2, 7)]

    @pytest.mark.parametrize("d", [3, 5])
    def test_random_near_pure_spectra(self, d):
        rng = np.random.default_rng(900 + d)
        for e in self.ES:
            populations, gaps = _near_pure_spectrum(rng, d, e)
            rho, H = np.diag(populations), np.diag(gaps)
            beta, _, D, delta = _exact_thermal(populations, gaps)
            assert ergotropy(rho, H) == 0.0  # passive: the excess is the whole exergy
            got = exergy(rho, H)
            assert rel_err(got, delta) <= 8 * EPS, (e, got, delta)
            parts = exergy_decomposition(rho, H)
            assert rel_err(parts.exergy, delta) <= 8 * EPS
            assert rel_err(parts.passive_term, delta) <= 8 * EPS
            assert rel_err(parts.relative_entropy, D) <= 16 * EPS, (e, parts.relative_entropy, D)
            # the per-subsystem route (ledger, models)
            q = Subsystem.of(H, FLOAT64).quantities(rho)
            assert rel_err(q["exergy"], delta) <= 8 * EPS

    def test_two_levels(self):
        """Two levels: beta = ln(hi/lo)/gap and E^th = gap lo/(lo + hi) (the
        spectrum normalised), so the exergy of a diagonal passive qubit is
        gap lo tau/(lo + hi), tau = lo + hi - 1 the float64 trace defect."""
        rng = np.random.default_rng(7)
        for e in self.ES + [1e-300]:
            gap = float(rng.uniform(0.1, 3.0))
            lo = e * float(rng.uniform(0.5, 1.0))
            hi = 1.0 - lo
            with mpmath.workdps(60):
                exact = mp(gap) * mp(lo) - mp(gap) * mp(lo) / (mp(lo) + mp(hi))
            got = exergy(np.diag([hi, lo]), np.diag([0.0, gap]))
            _assert_ulps(got, exact, gap * lo, 2)
            with mpmath.workdps(60):
                z = mp(lo) + mp(hi)  # w(beta) = the spectrum normalised
                d_exact = mpmath.fsum(a * mpmath.log(a / (a / z)) for a in (mp(lo), mp(hi)))
            d_got = exergy_decomposition(np.diag([hi, lo]), np.diag([0.0, gap])).relative_entropy
            assert d_got == d_exact == 0 or rel_err(d_got, d_exact) <= 4 * EPS, (e, d_got, d_exact)

    @pytest.mark.parametrize("e", [1e-6, 1e-8, 1e-10, 1e-12, 1e-14])
    def test_benchmark_problem_4(self, e):
        """diag(1 - e, e, 0) on 0, 1, 2.5: Tr[pi H] - E^th is e^2.5-small against
        terms of size e (7e-17 at e = 1e-6), below e = 1e-7 the trace defect of
        the float64 input (~1e-17) decides even its sign."""
        populations, gaps = [1.0 - e, e, 0.0], [0.0, 1.0, 2.5]
        rho, H = np.diag(populations), np.diag(gaps)
        _, _, D, delta = _exact_thermal(populations, gaps)
        parts = exergy_decomposition(rho, H)
        assert rel_err(exergy(rho, H), delta) <= 8 * EPS
        assert rel_err(parts.exergy, delta) <= 8 * EPS
        assert rel_err(parts.relative_entropy, D) <= 16 * EPS

    @pytest.mark.parametrize("d", [2, 3, 5])
    def test_vectorised_route(self, d):
        """models.float64_columns._local_columns (numpy arrays, one row a state) and the
        per-row _local_from_data: both within 8 eps of the exact value."""
        rng = np.random.default_rng(40 + d)
        _, gaps = _near_pure_spectrum(rng, d, 1e-3)
        rows = []
        for e in self.ES:
            populations = _near_pure_spectrum(rng, d, e)[0]
            rows.append(populations)
        sub = Subsystem.of(np.diag(gaps), FLOAT64)
        info = _LocalInfo.of(sub)
        spectrum = [np.array([r[k] for r in rows]) for k in reversed(range(d))]  # ascending
        energy = np.array([sum(p * g for p, g in zip(r, gaps)) for r in rows])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            cols = _local_columns(info, {"E": energy, "spectrum": spectrum}, len(rows))
        for k, populations in enumerate(rows):
            if d == 2:
                lo, hi = populations[1], populations[0]
                with mpmath.workdps(60):
                    exact = mp(gaps[1]) * mp(lo) * (1 - 1 / (mp(lo) + mp(hi)))
            else:
                exact = _exact_thermal(populations, gaps)[3]
            row = _local_from_data(sub, {"E": float(energy[k]),
                                         "spectrum": [float(s[k]) for s in spectrum]}, FLOAT64)
            for got in (cols["exergy"][k], row["exergy"]):
                _assert_ulps(got, exact, float(energy[k]), d)

    @pytest.mark.parametrize("populations, gaps", [
        ([1 - 1e-10, 1e-10, 1e-300], [0.0, 1.0, 100.0]),   # w_2 = e^-2300 underflows to 0
        ([1 - 1e-3, 1e-3, 1e-200], [0.0, 1.0, 300.0]),    # and D ~ 1e-18, the trace defect
        ([1 - 1e-6, 1e-6, 1e-320], [0.0, 1.0, 30.0]),     # a subnormal population
    ])
    def test_far_levels(self, populations, gaps):
        """A population far above where the thermal state underflows (p ln(p/w) from
        ln w = -beta g - ln Z', not p/w), and a D of the trace defect's size, 1e-18
        (the ground term from (p - 1) + p (Z' - 1), not from the rounded 1/Z')."""
        from symthermo.passive_excess import ARRAY, passive_excess

        rho, H = np.diag(populations), np.diag(gaps)
        _, _, D, delta = _exact_thermal(populations, gaps)
        parts = exergy_decomposition(rho, H)
        assert rel_err(parts.passive_term, delta) <= 8 * EPS
        assert rel_err(parts.relative_entropy, D) <= 16 * EPS
        _assert_ulps(exergy(rho, H), delta, float(populations[1] * gaps[1]), 3)
        cols = passive_excess(ARRAY, gaps, [np.full(2, p) for p in populations],
                              np.full(2, parts.beta))
        assert rel_err(cols.delta[1], delta) <= 8 * EPS

    @pytest.mark.parametrize("c", [0.02, 0.1, 0.2])
    def test_bound_covers_a_near_thermal_spectrum(self, c):
        """Populations p = (a, b, c) within 2^-40 of a thermal triple on 0, 1, 2
        (b^2 = a c) and summing to 1 exactly: Tr[pi H] - E^th ~ 1e-25 is of
        second order in the distance, the rounding of the thermal populations of
        first order, so about eps / 1e-12 relative is all float64 attains; the
        bound of passive_excess (and so clip_rounding's) says so, and holds."""
        from fractions import Fraction

        from symthermo.passive_excess import SCALAR, passive_excess

        grid = 2.0 ** -40
        c = round(c / grid) * grid
        b = round((-c + math.sqrt(c * c + 4 * c * (1 - c))) / 2 / grid) * grid
        populations, gaps = [1.0 - b - c, b, c], [0.0, 1.0, 2.0]
        assert sum(Fraction(x) for x in populations) == 1
        _, _, _, delta = _exact_thermal(populations, gaps)
        beta = entropy_matched_beta(np.diag(populations), np.diag(gaps))
        got = passive_excess(SCALAR, gaps, populations, beta)
        assert 0 < delta < 1e-22
        assert abs(mpmath.mpf(got.delta) - delta) <= got.bound
        assert got.bound <= 1e-2 * delta  # ~ eps / rho, not a blanket "no digits"

    @pytest.mark.parametrize("ops_name", ["SCALAR", "ARRAY"])
    def test_phi_term(self, ops_name):
        """w phi(p/w) = p ln(p/w) - p + w against mpmath, for p/w from 0 to 1e3,
        across the series' edge |u| = 1/3 (p/w = 1/2 and 2) and at p = w (1 ulp apart)."""
        from symthermo import passive_excess as pe

        ops = getattr(pe, ops_name)
        rng = np.random.default_rng(3)
        w = rng.uniform(1e-12, 1.0, 400) * 10.0 ** rng.integers(-30, 0, 400)
        ratio = np.concatenate([np.exp(rng.uniform(-7, 7, 200)), 1 + rng.uniform(-1, 1, 100) * 1e-6,
                                rng.choice([0.5, 2.0, 0.0, 1.0], 100)])
        p = w * ratio
        p[-5:] = np.nextafter(w[-5:], 2 * w[-5:])
        got = (pe.phi_term(ops, p, w) if ops is pe.ARRAY
               else np.array([pe.phi_term(ops, float(a), float(b)) for a, b in zip(p, w)]))
        with mpmath.workdps(50):
            for a, b, x in zip(p, w, got):
                a, b = mp(a), mp(b)
                exact = (a * mpmath.log(a / b) if a else 0) - a + b
                assert x == exact == 0 or rel_err(x, exact) <= 4 * EPS, (a, b, x, exact)
