"""The float64 kernels that keep small increments (reaction coordinate, qutrit swap)
against mpmath at high precision, both float64 routes against each other at small
times, and the qutrit swap next to its full swap against the certified route."""

import math
from decimal import Decimal

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symthermo.divided_differences import exp_divided_difference
from symthermo.entropy_increments import entropy_increment, thermal_step
from symthermo.models import get_model
from symthermo.models.reaction_coordinate import _ARRAY, _SCALAR, mutual_information
from symthermo.numbers import FLOAT64
from symthermo.tables import reference_payload


def _exp_dd(a, c):
    """exp[0, a, c] by its definition at 60 digits (the cancellation paid in digits)."""
    with mpmath.workdps(60):
        a, c = mpmath.mpc(a), mpmath.mpc(c)
        phi = lambda z: mpmath.expm1(z) / z if z != 0 else mpmath.mpf(1)  # noqa: E731
        if abs(a - c) < mpmath.mpf(10) ** -40:
            return complex(mpmath.diff(phi, a))
        return complex((phi(a) - phi(c)) / (a - c))


_node = st.builds(lambda m, e, x, y: complex(-abs(x), y) * m * 10.0 ** e,
                  st.floats(0.1, 1.0), st.integers(-12, 3),
                  st.floats(-1.0, 1.0), st.floats(-1.0, 1.0))


@settings(max_examples=150, deadline=None)
@given(_node, _node, st.sampled_from([1.0, 1e-3, 1e-9]))
def test_exp_divided_difference_against_mpmath(a, c, closeness):
    c = a + (c - a) * closeness  # nodes close together too (critical damping)
    got = exp_divided_difference(np.array([a]), np.array([c]))[0]
    ref = _exp_dd(a, c)
    assert abs(got - ref) <= 2e-14 * abs(ref), (a, c, got, ref)


def test_exp_divided_difference_series_and_scalars_agree_with_arrays():
    # up to 8 nodes take Python's complex numbers, more take numpy: the same values
    rng = np.random.default_rng(3)
    a = (rng.normal(size=20) + 1j * rng.normal(size=20)) * 0.1
    c = (rng.normal(size=20) + 1j * rng.normal(size=20)) * 0.1
    many = exp_divided_difference(a, c)
    few = np.concatenate([exp_divided_difference(a[i:i + 4], c[i:i + 4])
                          for i in range(0, 20, 4)])
    assert np.allclose(many, few, rtol=4e-16, atol=0)
    assert all(abs(x - _exp_dd(y, z)) <= 1e-15 * abs(x) for x, y, z in zip(many, a, c))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 3.0), st.floats(1.2, 4.0), st.floats(0.05, 3.0),
       st.integers(-15, -2), st.lists(st.floats(-1, 1), min_size=2, max_size=2))
def test_entropy_and_thermal_increments_against_mpmath(w1, w2, beta, scale, direction):
    e = np.array([[0.0], [w1], [w2]])
    q = np.exp(-beta * e)
    q = q / q.sum()
    d = np.array([[-(direction[0] + direction[1])], [direction[0]], [direction[1]]])
    if not np.abs(d).max():
        return
    d = d / np.abs(d).max()  # first: a subnormal direction times 1e-10 loses its bits
    dp = d * (10.0 ** scale * q.min())
    dS = entropy_increment(q, dp, beta * e)
    dbeta, dq = thermal_step(e, q, beta, dS)
    with mpmath.workdps(60):
        E = [mpmath.mpf(float(x)) for x in e[:, 0]]

        def w(b):
            z = [mpmath.exp(-b * x) for x in E]
            return [x / sum(z) for x in z]

        # the increments take q as the Gibbs state of beta (its log-weights -beta e):
        # the reference starts from that state exactly, not from q's rounded floats
        # (whose own rounding moves S by ~eps dp ln q, 1e-13 of dS at beta w ~ 3e-3)
        Q = w(mpmath.mpf(float(beta)))
        P = [x + mpmath.mpf(float(y)) for x, y in zip(Q, dp[:, 0])]
        P[0] = Q[0] - mpmath.mpf(float(dp[1, 0])) - mpmath.mpf(float(dp[2, 0]))  # sum dp = 0

        def S(ps):
            return -sum(x * mpmath.log(x) for x in ps)

        ref = S(P) - S(Q)

        b0 = mpmath.findroot(lambda b: S(w(b)) - S(Q), beta)
        b1 = mpmath.findroot(lambda b: S(w(b)) - S(Q) - ref, b0)
        dE = sum((x - y) * k for x, y, k in zip(w(b1), w(b0), E))
    # the first order sum_k dp_k beta e_k is a float dot product: its rounding (a few eps
    # of sum |dp_k beta e_k|) is the limit where its terms cancel (dp_1 e_1 ~ -dp_2 e_2)
    first_order = float(np.abs(dp[:, 0] * beta * e[:, 0]).sum())
    assert abs(dS[0] - ref) <= 1e-13 * abs(ref) + 8 * np.finfo(float).eps * first_order
    assert abs((dq[:, 0] * e[:, 0]).sum() - dE) <= 1e-12 * abs(dE)
    assert abs(dbeta[0] - (b1 - b0)) <= 1e-10 * abs(b1 - b0)


@pytest.mark.parametrize("x, y", [(("1", "1e-20"), "9e-21"), (("0.5", "1e-22"), "5e-23"),
                                  "1e-30 2e-35".split(), ("0.3", "0.2"), ("0.7", "0.29"),
                                  ("1e-8", "0.4")])
def test_mutual_information_against_mpmath(x, y):
    """I = h(x) + h(y) - h(x + y) where the three entropies cancel; x = ("1", "1e-20")
    is 1 - 1e-20 (its complement given exactly, as the model gives it)."""
    with mpmath.workdps(80):
        X = mpmath.mpf(x[0]) - mpmath.mpf(x[1]) if isinstance(x, tuple) else mpmath.mpf(x)
        Y = mpmath.mpf(y)
        x, y = float(X), float(Y)

        def h(p):
            return -p * mpmath.log(p) - (1 - p) * mpmath.log(1 - p)

        ref = h(X) + h(Y) - h(X + Y)
        rests = [float(1 - X), float(1 - Y), float(1 - X - Y)]
    scalar = mutual_information(_SCALAR, x, rests[0], y, rests[1], rests[2])
    array = mutual_information(_ARRAY, *(np.array([v]) for v in (x, rests[0], y, rests[1],
                                                                  rests[2])))[0]
    assert abs(scalar - ref) <= 1e-14 * ref and abs(array - ref) <= 1e-14 * ref


@pytest.mark.parametrize("name, given", [
    ("reaction-coordinate", ["kappa=0.8*lam"]), ("reaction-coordinate", ["state_A=mixed"]),
    ("reaction-coordinate", ["kappa=0.05"]), ("qutrit-swap", []),
    ("qutrit-swap", ["beta_1=2", "beta_2=0.1", "g=0.4"])])
def test_both_float64_routes_keep_the_small_increments(name, given, per_row):
    """The columns and the per-row route give the same increments at small times (the
    per-row route printed 0 or half the value where the columns keep every digit)."""
    model = get_model(name)
    p = model.params(given)
    times = [1e-9, 1e-6, 1e-3, 0.5, 1.5707963, 3.0]
    for convention in ("received", "provided"):
        fast = model.evaluate(p, times, lib=FLOAT64, convention=convention)
        slow = per_row(model, p, times, lib=FLOAT64, convention=convention)
        for a, b in zip(fast, slow):
            for key in a:
                x, y = a[key], b[key]
                if key.startswith("exergy") and abs(y) > 1e-6:  # passive_excess per route
                    assert abs(x - y) <= 1e-11 * abs(y)
                    continue
                assert x == y or (math.isfinite(y) and abs(x - y) <= 1e-12 * abs(y)), \
                    (name, convention, a["t"], key, x, y)


def test_qutrit_swap_next_to_the_full_swap():
    """At float times next to pi/(2g) the increments of Q, I_AB, sigma and exergy_B are
    those of the state cos^2(g t) away from the swapped one (they printed 0 or 1e-17),
    against the certified route at the float time itself (its exact decimal); the float64
    columns themselves (reference --float64 recomputes these rows: the user's decimal
    time is not the float's to 10 digits)."""
    model = get_model("qutrit-swap")
    p = model.params([])
    floats = [1.5707963, math.pi / 2, 1.5707963267948968, 3.1415926, math.pi]
    fast = model.evaluate(p, floats, lib=FLOAT64)
    assert fast.unearned == list(range(len(floats)))
    times = ",".join(str(Decimal(t)) for t in floats)
    proven = reference_payload(model, [], times, dps=30)["rows"]
    for a, b in zip(fast, proven):
        for key in ("Q_A", "Q_B", "W_A", "W_B", "I_AB", "sigma_A", "sigma_B", "exergy_A",
                    "exergy_B", "sigma_erg_A"):
            ref = mpmath.mpf(b[key])
            assert ref != 0 and abs(mpmath.mpf(a[key]) / ref - 1) < 1e-10, (b["t"], key, a[key],
                                                                            b[key])


def test_qutrit_swap_reference_float64_at_the_exact_swap():
    """--times pi/(2g): the float64 row is recomputed certified, so the structural zeros
    of the exact swap are printed (float64 alone gives 2e-34, the float time's value)."""
    row = reference_payload(get_model("qutrit-swap"), [], "pi/2", float64=True)["rows"][0]
    assert row["Q_A"] == row["Q_B"] == row["I_AB"] == row["sigma_A"] == "0"
    assert row["sigma_erg_A"].startswith("-0.0562361679")  # EL23's counterexample


def test_vacuum_rabi_returns():
    """kappa = 0: D = 1 - |c_e|^2 = |c_g|^2 (no cancellation at the returns lam t = k pi);
    where the float time itself does not fix the populations to 10 digits (next to a
    return, next to P_e = 0) the rows are marked unearned, and reference --float64
    prints them certified: every value then has >= 10 digits against balls."""
    model = get_model("reaction-coordinate")
    p = model.params(["kappa=0"])
    floats = [math.pi / 0.01, 314.159, 314.15, 2 * math.pi / 0.01, math.pi / 0.02, 157.0796, 50.0]
    rows = model.evaluate(p, floats, lib=FLOAT64)
    assert 0 < len(rows.unearned) < len(floats) and 6 not in rows.unearned
    times = ",".join(str(Decimal(t)) for t in floats)
    fast = reference_payload(model, ["kappa=0"], times, float64=True)
    proven = reference_payload(model, ["kappa=0"], times, dps=30)["rows"]
    assert len(fast["recomputed_with_balls"]) == len(rows.unearned)
    for a, b in zip(fast["rows"], proven):
        for key in ("S_A", "beta_A", "Q_A", "W_A", "S_B", "Q_B", "I_AB"):
            if b[key] in ("inf", "0") or " +/- " in b[key]:
                assert a[key] == b[key] or " +/- " in b[key]
                continue
            ref = mpmath.mpf(b[key])
            assert abs(mpmath.mpf(a[key]) / ref - 1) < 1e-10, (b["t"], key, a[key], b[key])
