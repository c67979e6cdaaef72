"""The laws of EL23 on random systems: identities to 1e-25 at dps 30, first law, Clausius.

Random product states of two and three small systems, coupled by random
Hermitian interactions with rational entries, are propagated at dps 30;
both sides of EL23 Eq. 5 / S37 (per subsystem), S19 and S38 must agree to
1e-25, energy must be conserved, and Q + W = Delta E per subsystem.
"""

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symthermo.ergotropy import exergy
from symthermo.laws import (clausius, entropy_production, ergotropy_entropy_production,
                            esposito_entropy_production, integral_clausius, preparation_work,
                            snapshot)
from symthermo.ledger import System, identity_sides, ledger, ledger_rows
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.thermal import entropy_matched_beta

small_int = st.integers(min_value=-3, max_value=3)


@st.composite
def density_matrix(draw, d):
    """A rational density matrix A A^dag / Tr, of random rank."""
    rank = draw(st.integers(min_value=1, max_value=d))
    re = draw(st.lists(small_int, min_size=d * rank, max_size=d * rank))
    im = draw(st.lists(small_int, min_size=d * rank, max_size=d * rank))
    A = sympy.Matrix(d, rank, [sympy.Integer(a) + sympy.I * b for a, b in zip(re, im)])
    if A.is_zero_matrix:
        A[0, 0] = 1
    M = A * A.H
    M = (M / M.trace()).applyfunc(sympy.expand)
    return [[sympy.sstr(M[i, j]) for j in range(d)] for i in range(d)]


@st.composite
def hermitian(draw, d, diagonal=False):
    vals = draw(st.lists(st.integers(min_value=0, max_value=6), min_size=d, max_size=d,
                         unique=diagonal))
    M = sympy.diag(*[sympy.Rational(v, 2) for v in vals])
    if not diagonal:
        for i in range(d):
            for j in range(i + 1, d):
                a, b = draw(small_int), draw(small_int)
                M[i, j] = sympy.Rational(a, 4) + sympy.I * sympy.Rational(b, 4)
                M[j, i] = sympy.conjugate(M[i, j])
    return [[sympy.sstr(M[i, j]) for j in range(d)] for i in range(d)]


@st.composite
def system(draw, n_parties):
    dims = draw(st.lists(st.integers(min_value=2, max_value=3), min_size=n_parties, max_size=n_parties)
                .filter(lambda ds: math.prod(ds) <= 12))
    subs = {}
    for name, d in zip("ABC", dims):
        H = draw(hermitian(d, diagonal=draw(st.booleans())))
        levels = np.linalg.eigvalsh(np.array(sympy.Matrix(H).evalf(20).tolist(), dtype=complex))
        # a degenerate ground level has no thermal state below ln g0 (tested elsewhere)
        assume(levels[1] - levels[0] > 1e-3)
        subs[name] = (H, draw(density_matrix(d)))
    coupling = draw(hermitian(math.prod(dims)))
    t = draw(st.sampled_from(["1/3", "1", "7/4", "3"]))
    return System(subs, coupling), t


def _close(a, b, tol):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol


def _check_identities(sys_, t):
    with working_precision(30):
        rows = ledger_rows(sys_, [mpmath.mpf(0), mpmath.mpmathify(sympy.N(sympy.Rational(t), 45))],
                           lib=MPMATH)
        tol = mpmath.mpf(10) ** -25
        for row in rows:
            for name, (lhs, rhs) in identity_sides(row).items():
                assert _close(lhs, rhs, tol), f"{name}: {lhs} != {rhs}"
                if name.startswith("sigma") or name == "clausius":
                    assert rhs >= -tol, f"{name} negative: {rhs}"
            names = sys_.names
            # first law per subsystem, and energy conservation of the whole
            for n in names:
                assert abs(row[f"Q_{n}"] + row[f"W_{n}"] - (row[f"E_{n}"] - rows[0][f"E_{n}"])) < tol
            total = sum(row[f"E_{n}"] - rows[0][f"E_{n}"] for n in names) + row["E_int"] - rows[0]["E_int"]
            assert abs(total) < tol
            # the ledger's own sigma keys are the identity's left-hand sides
            for n in names:
                assert _close(row[f"sigma_{n}"], identity_sides(row)[f"sigma_{n}"][0], tol)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system(2))
def test_two_systems_identities_hold_to_1e_25(case):
    _check_identities(*case)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system(3))
def test_three_systems_identities_hold_to_1e_25(case):
    _check_identities(*case)


def _check_identities_in_balls(sys_, t, bits=160):
    """The same identities on the ball route: each ball of lhs - rhs contains 0, sigma and
    Clausius are never proven negative, the first law and energy conservation hold inside
    the balls; a finite pair of sides is narrow (the check is not vacuous)."""
    from symthermo.ball_conversion import infinite_sign
    from symthermo.balls import BALLS, ball_precision

    with ball_precision(bits):
        rows = ledger_rows(sys_, [0, sympy.Rational(t)], lib=BALLS)
        narrow = BALLS.number(2) ** (40 - bits)
        for row in rows:
            for name, (lhs, rhs) in identity_sides(row).items():
                if infinite_sign(lhs) or infinite_sign(rhs):
                    assert infinite_sign(lhs) == infinite_sign(rhs), f"{name}: {lhs} != {rhs}"
                    continue
                difference = lhs - rhs
                assert difference.contains(0), f"{name}: {lhs} - {rhs} = {difference}"
                if lhs.is_finite() and rhs.is_finite():
                    assert difference.rad() < narrow * max(1, abs(lhs).upper()), (name, difference)
                if name.startswith("sigma") or name == "clausius":
                    assert not rhs < 0, f"{name} negative: {rhs}"
            names = sys_.names
            for n in names:
                first = row[f"Q_{n}"] + row[f"W_{n}"] - (row[f"E_{n}"] - rows[0][f"E_{n}"])
                assert first.contains(0), (n, first)
            total = sum((row[f"E_{n}"] - rows[0][f"E_{n}"] for n in names), BALLS.zero) + \
                row["E_int"] - rows[0]["E_int"]
            assert total.contains(0) and total.rad() < narrow, total
            for n in names:
                assert row[f"sigma_{n}"].overlaps(identity_sides(row)[f"sigma_{n}"][0])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system(2))
def test_two_systems_identities_hold_inside_the_balls(case):
    _check_identities_in_balls(*case)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system(3))
def test_three_systems_identities_hold_inside_the_balls(case):
    _check_identities_in_balls(*case)


def test_laws_functions_on_balls_hold_inside_the_balls():
    """laws.py with lib=BALLS: EL23 Eq. 5, S38 and S19 from snapshots of a propagated
    state (ball_linalg), each lhs - rhs ball holding 0 and narrow."""
    from symthermo.ball_linalg import ball_rows, unitary_states
    from symthermo.balls import BALLS, ball_precision
    from symthermo.laws import entropy_heat_identity

    H = [["0", "0"], ["0", "1"]]
    V = [["0", "0", "0", "0"], ["0", "0", "3/10", "0"], ["0", "3/10", "0", "0"],
         ["0", "0", "0", "0"]]
    rho_a, rho_b = [["4/5", "1/10"], ["1/10", "1/5"]], [["3/10", "0"], ["0", "7/10"]]
    with ball_precision(150):
        Hm = BALLS.matrix(H)
        full = BALLS.kron(Hm, BALLS.eye(2)) + BALLS.kron(BALLS.eye(2), Hm) + BALLS.matrix(V)
        rho0 = BALLS.kron(BALLS.matrix(rho_a), BALLS.matrix(rho_b))
        rho_t = BALLS.matrix(ball_rows(unitary_states(full.data, rho0.data,
                                                      [BALLS.number("2")])[0]))
        a0, b0 = snapshot(rho_a, H, lib=BALLS), snapshot(rho_b, H, lib=BALLS)
        at = snapshot(BALLS.partial_trace(rho_t, [2, 2], [0]), H, lib=BALLS)
        bt = snapshot(BALLS.partial_trace(rho_t, [2, 2], [1]), H, lib=BALLS)
        spectrum0 = BALLS.eigvalsh(rho0)  # unitary: the joint spectrum is conserved
        s_joint = -sum((BALLS.xlogx(x) for x in spectrum0), BALLS.zero)
        mutual = at["S"] + bt["S"] - s_joint
        mutual0 = a0["S"] + b0["S"] - s_joint
        assert mutual0.contains(0) and mutual > 0
        for balance in (entropy_production(a0, at, [(b0, bt)], mutual_information=mutual),
                        clausius([(a0, at), (b0, bt)], mutual_information=mutual),
                        entropy_heat_identity(a0, at), entropy_heat_identity(b0, bt)):
            r = balance.residual()
            assert r.contains(0) and r.rad() < 1e-35, (balance.name, r)
        assert clausius([(a0, at), (b0, bt)], mutual_information=mutual).rhs > 0


def _swap_qubits(g=0.3):
    H = np.diag([0.0, 1.0])
    V = g * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]], dtype=float)
    return H, V


def test_clausius_and_sigma_with_snapshots_float64():
    """The snapshot-level functions agree with the ledger's identity sides."""
    H, V = _swap_qubits()
    rho_a, rho_b = np.diag([0.8, 0.2]), np.diag([0.3, 0.7])
    rows = ledger({"A": (H, rho_a), "B": (H, rho_b)}, [0.0, 2.0], coupling=V)
    from symthermo.propagator import evolve
    from symthermo.states import partial_trace

    full_H = np.kron(H, np.eye(2)) + np.kron(np.eye(2), H) + V
    rho_t = evolve(full_H, np.kron(rho_a, rho_b), [2.0])[0]
    a0, b0 = snapshot(rho_a, H), snapshot(rho_b, H)
    at, bt = snapshot(partial_trace(rho_t, [2, 2], [0]), H), snapshot(partial_trace(rho_t, [2, 2], [1]), H)
    mutual = rows[1]["I_AB"]
    sig = entropy_production(a0, at, [(b0, bt)], mutual_information=mutual)
    assert sig.lhs == pytest.approx(rows[1]["sigma_A"], abs=1e-12)
    assert sig.lhs == pytest.approx(sig.rhs, abs=1e-12)
    cl = clausius([(a0, at), (b0, bt)], mutual_information=mutual)
    assert cl.lhs == pytest.approx(cl.rhs, abs=1e-12) and cl.rhs >= 0


def test_esposito_entropy_production_with_thermal_bath():
    """EL23 Eq. 1 with B initially thermal: sigma_0 = I + D(rho_B(t) || w_B) and sigma_A <= sigma_0."""
    H, V = _swap_qubits(0.4)
    beta = 1.3
    w = np.diag([1.0, math.exp(-beta)]) / (1 + math.exp(-beta))
    rho_a = np.array([[0.3, 0.2], [0.2, 0.7]])
    from symthermo.propagator import evolve
    from symthermo.states import partial_trace

    full_H = np.kron(H, np.eye(2)) + np.kron(np.eye(2), H) + V
    for t in (0.5, 1.7, 4.0):
        rho_t = evolve(full_H, np.kron(rho_a, w), [t])[0]
        a0, b0 = snapshot(rho_a, H), snapshot(w, H)
        at, bt = snapshot(partial_trace(rho_t, [2, 2], [0]), H), snapshot(partial_trace(rho_t, [2, 2], [1]), H)
        from symthermo.entropy import mutual_information

        mutual = mutual_information(rho_t, [2, 2])
        s0 = esposito_entropy_production(a0, at, b0, bt, beta=beta, mutual_information=mutual)
        assert s0.lhs == pytest.approx(s0.rhs, abs=1e-12)
        sa = entropy_production(a0, at, [(b0, bt)], mutual_information=mutual)
        assert sa.lhs <= s0.lhs + 1e-12  # EL23: sigma_A <= sigma_0 when B starts thermal


def test_ergotropy_entropy_production_identity_holds_for_random_qutrits():
    """EL23 S12 = S13 (both sides), checked on random qutrit pairs; sign not constrained."""
    rng = np.random.default_rng(7)
    H = np.diag([0.0, 1.0, 2.3])
    from symthermo.entropy import mutual_information
    from symthermo.propagator import evolve
    from symthermo.states import partial_trace

    for _ in range(5):
        X = rng.normal(size=(9, 9)) + 1j * rng.normal(size=(9, 9))
        V = 0.2 * (X + X.conj().T)
        ra, rb = (np.diag(rng.dirichlet([1, 1, 1])) for _ in range(2))
        full_H = np.kron(H, np.eye(3)) + np.kron(np.eye(3), H) + V
        rho_t = evolve(full_H, np.kron(ra, rb), [1.3])[0]
        a0, b0 = snapshot(ra, H), snapshot(rb, H)
        at, bt = snapshot(partial_trace(rho_t, [3, 3], [0]), H), snapshot(partial_trace(rho_t, [3, 3], [1]), H)
        b = ergotropy_entropy_production(a0, at, b0, bt, mutual_information=mutual_information(rho_t, [3, 3]))
        assert b.lhs == pytest.approx(b.rhs, abs=1e-11)


def test_integral_clausius_converges_to_mutual_information():
    """EL23 Eq. 17: the quadrature of sum_j beta_j dQ_j approaches I_AB(t) as the grid refines."""
    H, V = _swap_qubits(0.5)
    subs = {"A": (H, np.diag([0.9, 0.1])), "B": (H, np.diag([0.35, 0.65]))}
    errors = []
    for n in (41, 161):
        ts = np.linspace(0.0, 1.2, n)
        rows = ledger(subs, ts, coupling=V)
        betas = {x: [r[f"beta_{x}"] for r in rows] for x in "AB"}
        heats = {x: [r[f"Q_{x}"] for r in rows] for x in "AB"}
        b = integral_clausius(betas, heats, mutual_information=rows[-1]["I_AB"])
        errors.append(abs(b.lhs - b.rhs))
    assert errors[1] < errors[0] / 10  # second-order quadrature: 16x smaller
    assert errors[1] < 1e-4


def test_preparation_work_is_minimal_at_entropy_matched_beta():
    """EL23 S10-S11: W_beta >= W_beta0 = exergy, at dps 30 too."""
    rho = [["1/2", 0, 0], [0, "1/5", 0], [0, 0, "3/10"]]
    H = [[0, 0, 0], [0, 1, 0], [0, 0, 2]]
    with working_precision(30):
        b0 = entropy_matched_beta(rho, H, dps=30)
        at_b0 = preparation_work(MPMATH.as_matrix(rho), MPMATH.as_matrix(H), b0, lib=MPMATH)
        ex = exergy(rho, H, dps=30)
        assert abs(at_b0 - ex) < mpmath.mpf(10) ** -25
        for factor in ("0.5", "0.9", "1.1", "3"):
            other = preparation_work(MPMATH.as_matrix(rho), MPMATH.as_matrix(H), b0 * mpmath.mpf(factor),
                                     lib=MPMATH)
            assert other > at_b0


def test_float64_ledger_agrees_with_dps30():
    H = [["0", 0, 0], [0, "1", 0], [0, 0, "2.3"]]
    rho_a = [["1/2", 0, 0], [0, "1/3", 0], [0, 0, "1/6"]]
    rho_b = [["1/10", 0, 0], [0, "3/10", "1/10"], [0, "1/10", "3/5"]]
    V = np.zeros((9, 9))
    for i, j in ((1, 3), (2, 6), (5, 7)):
        V[i, j] = V[j, i] = 0.25
    subs64 = {"A": (FLOAT64.as_matrix(H), FLOAT64.as_matrix(rho_a)),
              "B": (FLOAT64.as_matrix(H), FLOAT64.as_matrix(rho_b))}
    rows64 = ledger(subs64, [0.0, 0.7, 2.0], coupling=V)
    rows30 = ledger({"A": (H, rho_a), "B": (H, rho_b)}, ["0", "0.7", "2"],
                    coupling=[["1/4" if x else "0" for x in row] for row in V], dps=30)
    for r64, r30 in zip(rows64, rows30):
        for key, v in r30.items():
            if mpmath.isinf(v):
                assert r64[key] == math.inf
            else:
                assert r64[key] == pytest.approx(float(v), rel=1e-12, abs=1e-12), key
