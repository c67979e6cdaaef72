"""float64 of a detuned reaction coordinate: the cases of the audit of December 2026.

Each is a `reference reaction-coordinate --float64` command whose printed values had fewer
than the contract's 10 correct digits against `--dps 30` (balls, every digit proven),
without the row being flagged unearned:

- long times (the excitation decayed): exp[a, c] = 1 + F and e^{-A_00 t} c_e = 1 + h with
  F, h ~ -1, so <n>, E_int and the mode's quantities kept 1-3 digits (E_B 3.2e-24 at
  omega_rc = 0.85, t = 4960);
- a strong or detuned coupling at moderate times: the closed form's P_e, a sum of terms
  of both signs, kept 5-9 digits (S_A, beta_A, I_AB of the mixed start, where P_e and
  P_g are both near 1/2).
"""

import pytest

CASES = [  # (parameters, times, what was wrong)
    ({"omega_rc": "1.01"}, "24000"),  # E_B 2.1 digits, W_B 1.8
    ({"lam": "0.447", "kappa": "0.0255", "omega_rc": "0.85", "state_A": "mixed"},
     "4960"),  # E_B 1.4, E_int 1.6
    ({"omega_rc": "0.0925", "lam": "1.06", "kappa": "7.82e-5", "state_A": "mixed"},
     "2.4, 3.6"),  # S_A, beta_A 5.6
    ({"omega_rc": "0.087", "lam": "0.188", "kappa": "0.000139", "state_A": "mixed"},
     "6.98, 39, 4280"),  # beta_A 6.7
    ({"omega": "0.18", "omega_rc": "0.964", "lam": "0.858", "kappa": "0.000413",
      "state_A": "mixed"}, "0.809, 6.41, 2790"),  # S_A 4.9
    ({"omega": "0.194", "omega_rc": "0.0411", "lam": "0.0538", "kappa": "0.000124",
      "state_A": "mixed"}, "74.1, 75.8, 12900"),  # beta_A 7.5
    ({"omega_rc": "1.99", "lam": "0.000419", "kappa": "7.63e-5", "state_A": "mixed"},
     "0.553"),  # beta_A 8.9
    ({"omega": "0.8", "lam": "0.571", "kappa": "0.0007", "state_A": "mixed"},
     "4.49, 6.32"),  # beta_A 7.7
    ({"omega": "0.566", "omega_rc": "1.23", "lam": "0.866", "kappa": "0.011"},
     "8.88"),  # beta_A 9.7, Q_A 9.8
    ({"omega_rc": "1.05", "lam": "0.3", "kappa": "0.01"},
     "28.9722, 95.5388, 113.584"),  # beta_A 6.5, 7.6, 7.5 (a scan after the audit)
]


@pytest.mark.parametrize("params,times", CASES)
def test_audit_cases_keep_ten_digits(params, times, float64_digits_hold):
    float64_digits_hold("reaction-coordinate", params, times)


@pytest.mark.parametrize("times", ["1.34e7", "7.63e6, 1.34e7"])
def test_mode_below_the_normal_range_is_recomputed(times, float64_digits_hold):
    """<n> decayed below float64's normal range (subnormal at t = 1.34e7, where E_B =
    omega_rc <n> rounds to 0): the row is recomputed on balls, not refused with a nan
    (beta_B was 0/0). At 7.63e6 <n> ~ 5e-185 keeps its digits, but the mode's exergy
    (~<n>^2 ~ 1e-370) and work left the normal range: printed 0 unflagged, that row is
    recomputed too (exergy_B = 0 +/- 8.5e-310, beta_B = 2775.38860677986)."""
    got = float64_digits_hold("reaction-coordinate", {
        "omega": "0.152", "omega_rc": "0.1529", "lam": "0.00199", "kappa": "0.000142",
        "state_A": "mixed"}, times)
    assert [float(t) for t in got["recomputed_with_balls"]] == [
        float(t) for t in times.split(",")]
    for row in got["rows"]:
        assert " +/- " in row["exergy_B"]
        if float(row["t"]) == 7.63e6:
            assert row["beta_B"].startswith("2775.38860677")


def test_decayed_populations_near_their_zeros_are_flagged(float64_digits_hold):
    """At resonance, t = 9.42e6: the rounding of Omega t (~1e7 rad) moves <n> ~ 5e-266 in
    its 9th digit; the screen's rate 2 lam sqrt(P_e <n>) underflowed with the product
    P_e <n> ~ 1e-530, so the row printed 8 digits unflagged."""
    got = float64_digits_hold("reaction-coordinate", {
        "omega": "0.0564", "omega_rc": "0.0564", "lam": "1.53", "kappa": "0.000129"},
        "9.42e6")
    assert [float(t) for t in got["recomputed_with_balls"]] == [9.42e6]


def test_decayed_amplitude_from_the_nodes():
    """Where the amplitude has decayed, exp[a, c] and e^{-A_00 t} c_e come from the nodes
    (no 1 + F ~ 0): against mpmath at 50 digits on the defining formulas."""
    import mpmath
    import numpy as np

    from symthermo.models import get_model
    from symthermo.models.reaction_coordinate import _decayed, excited_rates

    p = get_model("reaction-coordinate").params({"omega_rc": "0.85", "lam": "0.447",
                                                 "kappa": "0.0255"})
    r1, r2 = excited_rates(p["omega"], p["omega_rc"], p["lam"], p["kappa"])
    t = np.array([40.0, 600.0, 4960.0])
    nodes_a, nodes_c = r1 * t, r2 * t
    E, ce = _decayed(nodes_a, nodes_c)
    with mpmath.workdps(50):  # at the same (rounded) nodes
        for a, c, got_E, got_ce in zip(nodes_a, nodes_c, E, ce):
            a, c = mpmath.mpc(a), mpmath.mpc(c)
            want_E = (mpmath.exp(a) - mpmath.exp(c)) / (a - c)
            want_ce = (a * mpmath.exp(c) - c * mpmath.exp(a)) / (a - c)
            assert abs(got_E - want_E) < 1e-14 * abs(want_E)
            assert abs(got_ce - want_ce) < 1e-14 * abs(want_ce)

