"""float64 values next to a zero crossing keep the contract's 10 correct digits.

A quantity that passes through 0 is a sum of terms of size ~1, so its float64 rounding is
~eps times them: within 1e10 times that of 0 fewer than 10 of the 15 printed digits are
right. `reference --float64` must recompute such rows on the certified route (contract,
"recomputed_with_balls"). Each test finds a crossing at 40 digits on the model's mpmath
route (an independent evaluation), evaluates `--float64` at t_c (1 + k), k from 1e-13 to
1e-6 and at the floats next to t_c, and compares every printed value with `--dps 30`
(balls, every digit proven) at the same exact times (the decimal expansions of the floats).
"""

import math
from decimal import Decimal

import mpmath
import numpy as np
import pytest

from symthermo.models import get_model
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.tables import reference_payload

OFFSETS = (0.0, 1e-13, -1e-12, 3e-12, -1e-11, 1e-10, -1e-9, 1e-8, -1e-7, 1e-6)
#: keys that describe the evaluation rather than a value (they differ with dps)
SETTINGS = ("manifolds", "neglected_weight")


def crossing(name, given, key, bracket):
    """The zero of ``key`` in ``bracket`` at 40 digits, from the model's mpmath closed forms."""
    model = get_model(name)
    p = model.params(given)
    with mpmath.workdps(40):
        def f(t):
            return model.evaluate(p, [t], lib=MPMATH)[0][key]
        a, b = (mpmath.mpf(x) for x in bracket)
        assert f(a) * f(b) < 0, (key, bracket)
        return float(mpmath.findroot(f, (a, b), solver="anderson"))


def times_around(t_c):
    times = [t_c * (1 + k) for k in OFFSETS]
    return times + [math.nextafter(t_c, 0.0), math.nextafter(t_c, math.inf)]


def bad_values(name, given, times, correct_digits):
    """(t, key, float64 text, certified text) of every printed float64 value with fewer
    than 10 correct digits; and the float64 payload."""
    model = get_model(name)
    text = ",".join(str(Decimal(t)) for t in times)  # the floats' exact values
    args = [f"{k}={v}" for k, v in given.items()]
    fast = reference_payload(model, args, text, float64=True)
    proven = reference_payload(model, args, text, dps=30, errors=False)["rows"]
    assert len(fast["rows"]) == len(proven) == len(times)
    bad = []
    for a, b in zip(fast["rows"], proven):
        for key, printed in a.items():
            if key == "t" or key in SETTINGS or " +/- " in printed or " +/- " in b[key]:
                continue
            if correct_digits(printed, b[key]) < 10:
                bad.append((a["t"], key, printed, b[key]))
    return bad, fast


REFRIGERATOR = [
    # z_A (E_A, Eth_A, beta_A, r_A, ergotropy_A) through 0: the brief's t = 1.5863967524816762
    ("z_A", (1.5, 1.7)),
    ("z_B", (1.7, 1.9)),
    # Q_A: r_A back at r_A(0) (so W_B, cop's numerator, sigma's terms)
    ("Q_A", (5.0, 5.3)),
]


@pytest.mark.parametrize("key, bracket", REFRIGERATOR, ids=[k for k, _ in REFRIGERATOR])
def test_refrigerator_crossings_keep_ten_digits(key, bracket, correct_digits):
    t_c = crossing("refrigerator", {}, key, bracket)
    bad, fast = bad_values("refrigerator", {}, times_around(t_c), correct_digits)
    assert bad == [], bad[:5]
    # the rows next to t_c were recomputed (not printed from float64 noise)
    assert fast["recomputed_with_balls"], t_c


def test_refrigerator_brief_time(correct_digits):
    """The time of the report: z_A printed -1.1e-16 where it is -1.9e-16."""
    bad, fast = bad_values("refrigerator", {}, [1.5863967524816762], correct_digits)
    assert bad == []
    assert fast["recomputed_with_balls"] == ["1.58639675248168"]


def test_refrigerator_cop_denominator_through_zero(correct_digits):
    """cop = -Q_A/(-W_A - W_B - Delta E_int), whose denominator is -(Q_A + Q_B) (energy is
    conserved): where Q_A + Q_B crosses 0 float64's denominator is rounding noise, and a
    float64 that took it as an exact 0 printed cop = inf at a time where it is 9.8e16."""
    given = {"omega_B": "0.885", "g": "0.902", "beta_A": "0.184", "beta_B": "0.743"}
    model = get_model("refrigerator")
    ts = np.linspace(2.5, 3.5, 201)
    rows = model.evaluate(model.params(given), ts, lib=FLOAT64)
    heat = np.array(rows.column("Q_A")) + np.array(rows.column("Q_B"))
    i = int(np.flatnonzero(heat[:-1] * heat[1:] < 0)[0])
    p = model.params(given)
    with mpmath.workdps(40):
        def total(t):
            row = model.evaluate(p, [t], lib=MPMATH)[0]
            return row["Q_A"] + row["Q_B"]
        t_c = float(mpmath.findroot(total, (mpmath.mpf(ts[i]), mpmath.mpf(ts[i + 1])),
                                    solver="anderson"))
    bad, fast = bad_values("refrigerator", given, times_around(t_c), correct_digits)
    assert bad == [], bad[:5]
    assert fast["recomputed_with_balls"], t_c


def test_refrigerator_cop_at_an_unproven_zero_of_its_denominator():
    """At resonance Q_A + Q_B = 0 whenever the Omega block is back (t = 2 pi/Omega): a
    zero of the structure that the balls do not prove (z_j(2 pi) holds cos(2 pi
    sqrt 5)).  cop = -Q_A/0 there has no finite bound: both routes print it as such,
    with every other value proven, and neither refuses the row (they exited with
    "no finite enclosure (nan)", and float64 printed an inf it could not tell from a
    huge finite value)."""
    model = get_model("refrigerator")
    args = ["omega_B=1"]
    for kw in ({"dps": 20}, {"float64": True}):
        rows = reference_payload(model, args, "0,2*pi,1", **kw)["rows"]
        assert rows[1]["cop"] == "0 +/- inf"
        assert all(" +/- " not in v for r in rows for k, v in r.items() if k not in ("cop", "err"))
        assert Decimal(rows[1]["Q_A"]) == -Decimal(rows[1]["Q_B"]) != 0


def test_refrigerator_other_parameters(correct_digits):
    """A detuned, strongly coupled refrigerator: z_A's first zero."""
    given = {"omega_B": "2.5", "g": "1.7", "beta_A": "0.7", "beta_B": "0.4"}
    model = get_model("refrigerator")
    ts = np.linspace(0.01, 6, 600)
    z = np.array(model.evaluate(model.params(given), ts, lib=FLOAT64).column("z_A"))
    i = int(np.flatnonzero(z[:-1] * z[1:] < 0)[0])
    t_c = crossing("refrigerator", given, "z_A", (ts[i], ts[i + 1]))
    bad, _ = bad_values("refrigerator", given, times_around(t_c), correct_digits)
    assert bad == [], bad[:5]


def test_dense_grid_recomputes_a_handful():
    """A dense uniform grid: small increments at small t are computed without cancellation
    and are not recomputed; only rows within ~1e-5 of a crossing may be."""
    fast = reference_payload(get_model("refrigerator"), [], "0:10:2000", float64=True)
    assert len(fast["rows"]) == 2000
    assert len(fast["recomputed_with_balls"]) <= 5, fast["recomputed_with_balls"]
    small = reference_payload(get_model("refrigerator"), [], "0:1e-3:1000", float64=True)
    assert small["recomputed_with_balls"] == []


def first_zero(name, given, key, t_max, n=800):
    """The first zero of ``key`` in (0, t_max], a sign change or a touching (a local minimum
    of |key| on a float64 grid below 1e-3 of its largest), located at 40 digits by golden
    section on |key| on the model's mpmath route."""
    model = get_model(name)
    p = model.params(given)
    ts = np.linspace(0, t_max, n + 1)[1:]
    v = np.abs(np.array(model.evaluate(p, ts, lib=FLOAT64).column(key), dtype=float))
    low = (v[1:-1] <= v[:-2]) & (v[1:-1] <= v[2:]) & (v[1:-1] < 1e-3 * v.max())
    i = int(np.flatnonzero(low)[0]) + 1
    with mpmath.workdps(40):
        def f(t):
            return abs(model.evaluate(p, [t], lib=MPMATH)[0][key])
        a, b = mpmath.mpf(ts[i - 1]), mpmath.mpf(ts[i + 1])
        ratio = (mpmath.sqrt(5) - 1) / 2
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        fc, fd = f(c), f(d)
        for _ in range(120):
            if fc < fd:
                b, d, fd = d, c, fc
                c = b - ratio * (b - a)
                fc = f(c)
            else:
                a, c, fc = c, d, fd
                d = a + ratio * (b - a)
                fd = f(d)
        assert min(fc, fd) < 1e-20 * v.max(), (key, min(fc, fd))  # a zero, not a dip
        return float((a + b) / 2)


# (model, parameters, key that passes through or touches 0, a time past its first zero)
ZEROS = [
    ("exchange", {}, "beta_A", 100),  # p_e = p_g: beta touches 0
    ("exchange", {"state_A": "plus", "state_B": "mixed", "omega_B": "1.1"}, "Q_A", 300),
    ("exchange", {"omega_B": "1.02", "state_B": "excited", "state_A": "plus"}, "E_int", 400),
    ("jaynes-cummings", {}, "E_A", 100),  # (omega_A/2) cos(2 g t)
    ("jaynes-cummings", {"state_A": "plus"}, "Q_A", 400),
    # the qubit back at a passive state (its ergotropy touches 0), and the semiclassical
    # work's Rabi zero, next to a coherent field
    ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "3"},
     "ergotropy_A", 120),
    ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "3"},
     "W_A_semiclassical", 120),
    # P_e through 1/2: E_A and beta_A through 0 (t = ln 2/gamma from |e>)
    ("spontaneous-emission", {}, "E_A", 100),
    ("reaction-coordinate", {}, "E_A", 120),
    ("reaction-coordinate", {"omega_rc": "1.02"}, "E_A", 200),
]


@pytest.mark.parametrize("name, given, key, t_max", ZEROS,
                         ids=[f"{m}-{k}-{i}" for i, (m, _, k, _) in enumerate(ZEROS)])
def test_zeros_keep_ten_digits(name, given, key, t_max, correct_digits):
    t_c = first_zero(name, given, key, t_max)
    bad, fast = bad_values(name, given, times_around(t_c), correct_digits)
    assert bad == [], bad[:5]


# full swaps and returns (g t = pi/2, pi at resonance): values that touch 0 quadratically
# (a pure reduced state, E_A = omega_A cos^2(g t)), the time known to eps t only
TOUCHING = [
    ("exchange", {}, 1),
    ("exchange", {}, 2),
    ("exchange", {"state_A": "plus", "state_B": "ground"}, 1),
    ("jaynes-cummings", {}, 1),
    ("jaynes-cummings", {}, 2),
    ("jaynes-cummings", {"state_A": "plus"}, 2),
]


@pytest.mark.parametrize("name, given, k", TOUCHING,
                         ids=[f"{m}-{'-'.join(g.values()) or 'default'}-{k}"
                              for m, g, k in TOUCHING])
def test_swaps_and_returns_keep_ten_digits(name, given, k, correct_digits):
    g = float(get_model(name).params(given)["g"])
    t_c = float(k * mpmath.pi / (2 * mpmath.mpf(g)))
    bad, fast = bad_values(name, given, times_around(t_c), correct_digits)
    assert bad == [], bad[:5]


def test_exchange_small_increments_of_a_mixed_qubit(correct_digits):
    """A maximally mixed qubit A next to an excited B, detuned: at t = 1e-4 its Q_A =
    omega_A (lo - lo(0)) and beta_A = ln(hi/lo)/omega_A are differences of numbers near
    1/2 (float64 printed 4 correct digits of each): recomputed; elsewhere not."""
    given = {"state_A": "mixed", "state_B": "excited", "omega_A": "1.3"}
    bad, fast = bad_values("exchange", given, [1e-4, 1e-3, 0.3, 30.0], correct_digits)
    assert bad == [], bad[:5]
    assert "0.000100000000000000" in fast["recomputed_with_balls"]
    assert "30.0000000000000" not in fast["recomputed_with_balls"]


@pytest.mark.parametrize("name, given, times", [
    ("exchange", {}, "0:400:2000"),
    ("exchange", {"state_A": "plus", "state_B": "mixed", "omega_B": "1.1"}, "0:400:2000"),
    ("jaynes-cummings", {}, "0:400:2000"),
    ("spontaneous-emission", {}, "0:500:2000"),
    ("reaction-coordinate", {"omega_rc": "1.02"}, "0:500:2000"),
])
def test_dense_grids_of_the_qubit_models(name, given, times):
    """Only the rows next to a swap or a zero (a few per crossing) are recomputed."""
    fast = reference_payload(get_model(name), [f"{k}={v}" for k, v in given.items()], times,
                             float64=True)
    assert len(fast["recomputed_with_balls"]) <= 20, fast["recomputed_with_balls"]


def test_qutrit_b_next_to_thermal(correct_digits):
    """B starts within 1e-8 of w(beta_B(0)), A's thermal state: the increments (Q, W_B,
    I_AB, sigma) are of second order in that distance, made of first-order terms (float64
    printed 8 of their digits): recomputed. At 1e-5 of it they keep 11 digits: not."""
    near = {"beta_1": "1", "beta_2": "1.0000001"}
    times = [0.01, 0.3, 0.7, 1.2, 1.5]
    bad, fast = bad_values("qutrit-swap", near, times, correct_digits)
    assert bad == [], bad[:5]
    assert len(fast["recomputed_with_balls"]) == len(times)
    bad, fast = bad_values("qutrit-swap", {"beta_1": "1", "beta_2": "1.0001"}, times,
                           correct_digits)
    assert bad == [] and fast["recomputed_with_balls"] == []
