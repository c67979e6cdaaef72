"""float64 digits of the oscillator side (the Jaynes-Cummings field, the reaction
coordinate's mode) against the certified ball route, on both float64 routes.

A mode leaving its vacuum has <n> = lo ~ (g t)^2 and E - E^th = omega (lo - m) ~
omega lo^2 / ln(1/lo) (m the thermal occupation of the same entropy): 2e-46 at
t = 1e-9, which E and E^th computed apart lose entirely (W_B was printed -4e-37).
A coherent drive's work at small times is a small increment of p_e on an O(1)
background (W_A was printed -1e-22 for -6e-22).  A field diagonal on Fock 0, 1
with <n> < 1/2 is its own passive state: ergotropy exactly 0 (balls prove it).
"""

import math

import numpy as np
import pytest

from symthermo.models import get_model
from symthermo.numbers import FLOAT64
from symthermo.tables import reference_payload

TIMES = "1e-12,1e-9,1e-6,1e-3,0.1,0.5,3,50"
ENERGIES = ["E_A", "E_B", "W_A", "W_B", "ergotropy_A", "exergy_A", "ergotropy_B", "exergy_B"]


# (model, parameters, keys on the vectorised route, keys on the per-row route; None: all)
CASES = [
    ("jaynes-cummings", [], None, None),
    ("jaynes-cummings", ["omega_B=1.3"], None, None),
    ("jaynes-cummings", ["state_A=plus", "omega_A=1.3", "g=0.1"], None, None),
    ("jaynes-cummings", ["state_A=mixed"], None, None),
    ("jaynes-cummings", ["state_B=coherent", "alpha=2"], None, None),
    ("jaynes-cummings", ["state_B=coherent", "alpha=2", "omega_B=1.3"], None, None),
    ("jaynes-cummings", ["state_A=plus", "state_B=coherent", "alpha=2", "omega_A=1.2"],
     None, None),
    # a qubit from |g>: its Schmidt weight lam_- ~ (g t)^4 is below what float64 amplitude
    # sums resolve (1.8e-66 at t = 1e-9): the columns mark those rows unearned (recomputed
    # certified); per row the energies, works and ergotropies keep their digits
    ("jaynes-cummings", ["state_A=ground", "state_B=coherent", "alpha=2"], None, ENERGIES),
    # a mixed qubit: rho_B's small eigenvalues (eigvalsh) likewise, on the columns
    ("jaynes-cummings", ["state_A=mixed", "state_B=coherent", "alpha=2"], None, ["E_A", "E_B"]),
    ("reaction-coordinate", ["kappa=0.8*lam"],
     ["E_B", "beta_B", "Eth_B", "Q_B", "W_B", "ergotropy_B", "exergy_B"],
     ["E_B", "S_B", "beta_B", "Eth_B", "Q_B", "W_B", "ergotropy_B", "exergy_B"]),
]


@pytest.mark.parametrize("name, given, keys, row_keys", CASES)
def test_oscillator_digits_against_balls(name, given, keys, row_keys, correct_digits):
    model = get_model(name)
    proven = reference_payload(model, given, TIMES, dps=30)["rows"]
    for route, wanted in (("columns", keys), ("per row", row_keys)):
        model.vectorised = route == "columns"
        try:
            fast = reference_payload(model, given, TIMES, float64=True)["rows"]
        finally:
            model.vectorised = True
        checked = 0
        for a, b in zip(fast, proven):
            for key in wanted or [k for k in b if k not in ("t", "err", "manifolds",
                                                            "neglected_weight")]:
                if " +/- " in b[key]:
                    continue
                checked += 1
                assert correct_digits(a[key], b[key]) >= 10, (route, b["t"], key, a[key], b[key])
        assert checked >= 2 * len(fast)


def test_field_leaving_its_vacuum_keeps_its_tiny_work():
    """W_B = E - E^th of the field ~ omega lo^2/ln(1/lo) (lo = sin^2(g t) at resonance),
    positive and far below the rounding of E_B: W_B / E_B ~ lo / ln(1/lo)."""
    model = get_model("jaynes-cummings")
    p = model.params({})
    times = [0.0, 1e-15, 1e-12, 1e-9, 1e-6, 1e-3]
    rows = model.evaluate(p, times, lib=FLOAT64)
    assert rows[0]["W_B"] == 0.0 and rows[0]["exergy_B"] == 0.0
    for row in rows[1:]:
        lo = math.sin(0.01 * row["t"]) ** 2
        # leading order of lo - m: lo^2 / ln(1/lo) (1 + O(1/ln(1/lo)))
        ratio = row["W_B"] / (lo * lo / math.log(1 / lo))
        assert 0.9 < ratio < 1.1, (row["t"], row["W_B"])
        assert row["W_B"] == row["exergy_B"]  # W = Delta(E - E^th), exergy(0) = 0


@pytest.mark.parametrize("name, given, t_max", [
    ("jaynes-cummings", {}, 2 * math.pi / 0.01),
    ("jaynes-cummings", {"omega_B": "1.3", "g": "0.2"}, 40.0),
    ("reaction-coordinate", {"kappa": "0.8*lam"}, 628.0),
])
def test_passive_field_is_exactly_zero_on_both_routes(name, given, t_max, float64_and_balls):
    """Where the certified route prints ergotropy_B = 0 (the field diagonal on Fock 0, 1
    with <n> < 1/2 proven), float64 gives an exact 0 on both routes, and elsewhere not."""
    times = [float(x) for x in np.linspace(0.0, t_max, 50)]
    fast, slow, balls = float64_and_balls(name, given, times)
    passive = 0
    for a, b, ball in zip(fast, slow, balls):
        if ball["ergotropy_B"] == "0":
            passive += 1
            assert a["ergotropy_B"] == 0.0 and b["ergotropy_B"] == 0.0, (ball["t"], a, b)
        elif " +/- " not in ball["ergotropy_B"]:
            assert a["ergotropy_B"] > 0.0 and b["ergotropy_B"] > 0.0, (ball["t"], a, b)
        assert a["exergy_B"] >= a["ergotropy_B"]  # exergy - ergotropy = omega (lo - m) >= 0
    assert 5 < passive < len(times) or name == "reaction-coordinate" and passive > 5


@pytest.mark.parametrize("given, times, recomputed", [
    (["state_B=coherent"], "1e-9,50,500,1000,3000",
     ["500.000000000000", "1000.00000000000", "3000.00000000000"]),
    (["state_B=coherent", "alpha=5", "state_A=plus"], "0.7,900", ["900.000000000000"]),
])
def test_collapse_rows_are_recomputed(given, times, recomputed, correct_digits):
    """In the collapse of a coherent field's Rabi oscillation (alpha = 30) E_A = E_A(0) +
    increment is far below its terms (1.5e-22 at t = 1000 was printed -5.6e-16), and from
    |+> the increment itself is a sum of terms of both signs (alpha = 5, t = 900: 7.8
    digits): those rows are marked unearned and printed from the certified route; the
    others keep their float64 digits, all >= 10 correct."""
    model = get_model("jaynes-cummings")
    fast = reference_payload(model, given, times, float64=True)
    assert fast["recomputed_with_balls"] == recomputed
    proven = reference_payload(model, given, times, dps=30)["rows"]
    for a, b in zip(fast["rows"], proven):
        for key in b:
            if (key in ("t", "err", "manifolds", "neglected_weight") or " +/- " in a[key]
                    or " +/- " in b[key]):
                continue
            assert correct_digits(a[key], b[key]) >= 10, (b["t"], key, a[key], b[key])


def test_qubit_near_its_ground_keeps_its_ergotropy(correct_digits):
    """From |+> the qubit passes near |g> at g t = pi/2 (p_e = 3e-7 at t = 157): E_A -
    E_g is taken from p_e as the closed form keeps it (a sum of positive terms), not from
    E_A + omega_A/2, which rounded ergotropy_A to 10.0 digits."""
    model = get_model("jaynes-cummings")
    times = "150,157,160"
    fast = reference_payload(model, ["state_A=plus"], times, float64=True)["rows"]
    proven = reference_payload(model, ["state_A=plus"], times, dps=30)["rows"]
    for a, b in zip(fast, proven):
        for key in ("ergotropy_A", "exergy_A", "E_A", "S_A", "W_A"):
            assert correct_digits(a[key], b[key]) >= 11, (b["t"], key, a[key], b[key])


@pytest.mark.parametrize("given", [[], ["state_A=mixed"], ["state_A=plus"]])
def test_times_near_a_pure_or_maximally_mixed_state(given, correct_digits):
    """At the decimals nearest g t = pi/2 and pi the state is within the rounding of t of
    a pure (or, from identity/2, a maximally mixed) qubit: lam_- ~ 1e-32 there is
    rounding noise in float64 (it was printed 0, and I_AB -1e-64 from identity/2); those
    rows are recomputed certified, and none of the others is."""
    model = get_model("jaynes-cummings")
    times = "0.5,157.07963267948966,200,314.1592653589793"
    fast = reference_payload(model, given, times, float64=True)
    assert fast["recomputed_with_balls"] == ["157.079632679490", "314.159265358979"]
    proven = reference_payload(model, given, times, dps=30)["rows"]
    for a, b in zip(fast["rows"], proven):
        for key in b:
            if key in ("t", "err") or " +/- " in a[key] or " +/- " in b[key]:
                continue
            assert correct_digits(a[key], b[key]) >= 10, (b["t"], key, a[key], b[key])
