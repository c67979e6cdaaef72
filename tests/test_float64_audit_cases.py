"""Cases an audit of the printed digits found (random parameters, every route compared).

Each case compares `reference --float64` with the certified balls at 30 digits (every
printed float64 value keeps 10 correct digits, or its row is recomputed with balls), or
the certified route at 30 digits with 60 digits (every printed digit agrees).
"""

import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload

#: qutrit-swap cases: (parameters, times)
QUTRIT_CASES = {
    # B nearly a qubit (beta_2 omega_2 = 135: p_B2 = 1e-59 next to p_A2 = 7e-4): the
    # increments from p_A(0) + (p_B(0) - p_A(0)) lost p_B2 and printed Q_B, W_B, I_AB,
    # sigma_A, sigma_B three times too large (no correct digit)
    "B nearly a qubit": (["omega_1=0.432", "omega_2=8.15", "beta_1=0.663", "beta_2=16.6",
                          "g=0.00488"], "1.79e-7,6.23e-6,0.1,10"),
    "B nearly a qubit, long": (["omega_1=3.3", "omega_2=13.3", "beta_1=0.00201",
                                "beta_2=4.47", "g=9.12e-05"], "1.86e-5,3.61e-4,35100"),
    "level 2 below 1e-200": (["omega_1=3.36", "omega_2=31.3", "beta_1=5.95", "beta_2=14.7",
                              "g=0.784"], "0.000947,1e-6"),
    # B next to the maximally mixed state: beta_B(0) solved from S_B(0) in float64 kept
    # 7 digits (beta_A, beta_B at t = 0; the increments through it)
    "B next to maximally mixed": (["beta_1=0.0001", "beta_2=0.00005"], "0,1e-6,0.3,1.2"),
    "B near maximally mixed, far times": (["omega_1=0.436", "omega_2=1.64", "beta_1=0.00474",
                                           "beta_2=0.00129", "g=0.25"],
                                          "4.37e-7,3.04e-6,19.3,27.6"),
    # B next to thermal near a full swap: its exergy (2.2e-7, the relative entropy to
    # w(beta_B(t))) holds the populations' sum - 1 = -1.1e-16 over beta: 9 digits
    "exergy_B of populations that do not sum to 1": (["omega_1=4.5", "omega_2=5.96",
                                                      "beta_1=0.00964", "beta_2=3.67",
                                                      "g=2.44"], "3.21"),
    # B's level 2 below float64's normal range (beta_2 omega_2 = 1029: 0; 725: a
    # subnormal of 9 digits) while A's is 4e-4: Q_A = 1.1e-20 printed as 0, and 9.8 digits
    "B's level 2 underflows": (["omega_1=2.28", "omega_2=17.8", "beta_1=0.436", "beta_2=57.8",
                                "g=0.0519"], "7.91e-8"),
    "B's level 2 subnormal": (["omega_1=1.67", "omega_2=24.6", "beta_1=0.00322",
                               "beta_2=29.5", "g=0.000204"], "0.0614"),
    # B next to maximally mixed and not passive: its exergy from the populations as they
    # stand kept 9.8 digits
    "B near maximally mixed, not passive": (["omega_1=0.0527", "omega_2=0.098",
                                             "beta_1=0.0101", "beta_2=0.00168", "g=0.000177"],
                                            "1.3e-8,3.71e-5"),
    # sigma_erg_A = Delta S_A + beta Delta E_B - ... at 3e-7 from entropies of order 1
    # kept 9.5 digits; -D[rho_A(t) || w(beta)] - beta Delta ergotropy_B keeps them
    "sigma_erg_A from entropies of order 1": (["omega_1=0.931", "omega_2=4", "beta_1=0.00782",
                                               "beta_2=0.0015", "g=0.553"], "3.91,2"),
}


@pytest.mark.parametrize("given, times", list(QUTRIT_CASES.values()), ids=list(QUTRIT_CASES))
def test_qutrit_swap_float64_keeps_ten_digits(given, times, float64_digits_hold):
    float64_digits_hold("qutrit-swap", given, times)


def test_qutrit_swap_per_row_route_keeps_the_small_increments(per_row, correct_digits):
    """The per-row float64 route (``vectorised = False``) patches the same increments."""
    from symthermo.numbers import FLOAT64

    model = get_model("qutrit-swap")
    given, times = QUTRIT_CASES["B nearly a qubit"]
    p = model.params(given)
    rows = per_row(model, p, [float(t) for t in times.split(",")], lib=FLOAT64)
    truth = reference_payload(model, given, times, dps=30, errors=False)["rows"]
    for row, want in zip(rows, truth):
        for key in ("Q_B", "W_B", "I_AB", "sigma_A", "sigma_B"):
            assert correct_digits(repr(row[key]), want[key]) >= 10, (row["t"], key)


def test_qutrit_swap_certified_when_the_first_precision_cannot_bracket_beta(correct_digits):
    """B nearly pure (S_B(0) = 1.4e-46): at the first working precision beta_B(0) was an
    unbounded ball, w(beta) nan, and `reference --dps 30` failed ("a ball with a nan
    midpoint"); its digits agree with 60."""
    model = get_model("qutrit-swap")
    given = ["omega_1=9.43", "omega_2=85.5", "beta_1=14.1", "beta_2=1.29", "g=0.000157"]
    times = "0,6.02e-5,12900"
    rows30 = reference_payload(model, given, times, dps=30, errors=False)["rows"]
    rows60 = reference_payload(model, given, times, dps=60, errors=False)["rows"]
    for a, b in zip(rows30, rows60):
        for key, text in a.items():
            if key == "t" or " +/- " in text or " +/- " in b[key]:
                continue
            assert correct_digits(text, b[key]) >= 29, (a["t"], key, text, b[key])
    assert rows30[0]["beta_A"].startswith("11.69618239658815304758822")


def test_jaynes_cummings_coherent_long_times_keep_ten_digits(correct_digits):
    """A qubit from |+> and a coherent field (alpha = 26.4) at g t = 1500, 2900: E_A ~ 1e-5
    is summed from terms whose phases (~1e5 rad) float64 holds to eps each; it kept 9.2
    digits unflagged. Such rows are recomputed with balls."""
    model = get_model("jaynes-cummings")
    given = ["g=0.00753", "state_A=plus", "state_B=coherent", "alpha=26.4"]
    times = "200000,382000"
    got = reference_payload(model, given, times, float64=True)
    truth = reference_payload(model, given, times, dps=30, errors=False)["rows"]
    for row, want in zip(got["rows"], truth):
        for key, text in row.items():
            # (the Fock window describes the evaluation, not a value)
            if key in ("t", "manifolds", "neglected_weight") or " +/- " in text \
                    or " +/- " in want[key]:
                continue
            assert correct_digits(text, want[key]) >= 10, (row["t"], key, text, want[key])


#: an open qutrit-qubit system (decay |..> -> |..> at rate 0.00779), random entries
OPEN_SYSTEM = {
    "subsystems": {
        "A": {"H": [["0", "0", "0"], ["0", "0.444", "0"], ["0", "0", "8.97"]],
              "rho0": [["15/26", "0.128", "0"], ["0.128", "5/13", "0"], ["0", "0", "1/26"]]},
        "B": {"H": [["0", "0.253+0.313j"], ["0.253-0.313j", "-0.237"]],
              "rho0": [["0", "0"], ["0", "1"]]}},
    "coupling": [["0.000276", "0", "0", "0", "-0.000114", "-8.9e-05+5.75e-05j"],
                 ["0", "-3.84e-05", "0", "0", "0", "0"],
                 ["0", "0", "0", "0.000103", "0", "-0.000137-5.23e-05j"],
                 ["0", "0", "0.000103", "0.000227", "-3.36e-05", "2.7e-05"],
                 ["-0.000114", "0", "0", "-3.36e-05", "-0.000111", "0"],
                 ["-8.9e-05-5.75e-05j", "0", "-0.000137+5.23e-05j", "2.7e-05", "0", "-2.8e-05"]],
    "lindblad": [{"rate": "0.00779", "operator": [
        ["0"] * 6, ["0"] * 6, ["0"] * 6, ["0", "0", "0", "0", "0", "1"], ["0"] * 6, ["0"] * 6]}],
}


def test_ledger_float64_long_open_evolution(correct_digits):
    """At t = 2.75e6 the float64 rho(t) carries eps ||G|| t ~ 5e-9 of rounding: its
    eigenvalue -7.5e-12 failed the fixed tolerance 1e-12 as an internal error (exit 1).
    The row is now checked against its own error and recomputed with balls; its
    printed digits agree with the certified ledger."""
    import json

    from symthermo.ledger import load_system
    from symthermo.tables import ledger_payload

    system = load_system(json.dumps(OPEN_SYSTEM))
    times = "2750000,17500"
    got = ledger_payload(system, "open.json", times, float64=True)
    truth = ledger_payload(system, "open.json", times, dps=30, errors=False)["rows"]
    assert "2750000.00000000" in got["recomputed_with_balls"]
    for row, want in zip(got["rows"], truth):
        for key, text in row.items():
            if key == "t" or " +/- " in text or " +/- " in want[key]:
                continue
            assert correct_digits(text, want[key]) >= 10, (row["t"], key, text, want[key])


#: a qubit and a qutrit held in its top level (the coupling never touches level 2 of B)
TOP_LEVEL_SYSTEM = {
    "subsystems": {
        "A": {"H": [["0", "0"], ["0", "1.16"]], "rho0": [["15/22", "0"], ["0", "7/22"]]},
        "B": {"H": [["0", "0", "0"], ["0", "0.17", "0"], ["0", "0", "1.74"]],
              "rho0": [["0", "0", "0"], ["0", "0", "0"], ["0", "0", "1"]]}},
    "coupling": [["0.468", "0", "0", "0", "0", "0"], ["0", "-0.401", "0", "0.452", "0", "0"],
                 ["0", "0", "0", "0", "0", "0"], ["0", "0.452", "0", "-0.23", "0", "0"],
                 ["0", "0", "0", "0", "0.232", "0"], ["0", "0", "0", "0", "0", "0.272"]],
}


@pytest.mark.parametrize("options", [{"float64": True}, {"dps": 30}], ids=["float64", "dps30"])
def test_ledger_pure_top_level_is_bounded_not_nan(options):
    """B stays exactly in its top level |2> (S_B = 0, E^th_B = E_0 = 0, exergy_B = 1.74),
    which the propagator cannot prove: beta_B is a ball reaching infinity and E^th_B was
    nan, failing the ledger on both routes ("a value is nan at 992 bits"). E^th_B is now
    enclosed in [E_0, E_B - ergotropy_B] and exergy_B in [ergotropy_B, E_B - E_0]: both
    hold the exact values, and the enclosures are tight."""
    import json

    from flint import arb

    from symthermo.ledger import load_system
    from symthermo.tables import ledger_payload

    system = load_system(json.dumps(TOP_LEVEL_SYSTEM))
    rows = ledger_payload(system, "top.json", "5.61,53.3", errors=False, **options)["rows"]
    for row in rows:
        for key, exact in (("Eth_B", "0"), ("exergy_B", "1.74"), ("Q_B", "0")):
            text = row[key]
            mid, _, rad = text.partition(" +/- ")
            assert abs(arb(mid) - arb(exact)) <= arb(rad or "0") + arb(exact) * 1e-14, \
                (row["t"], key, text)
            assert not rad or arb(rad) < 1e-100, (row["t"], key, text)
