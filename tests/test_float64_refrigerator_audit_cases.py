"""Refrigerator cases an audit of the printed digits found (random parameters): a qubit
within float64's rounding of pure, or next to it.

Each case compares `reference --float64` with the certified balls at 30 digits: every
printed float64 value keeps 10 correct digits, or its row is recomputed with balls.
"""

import pytest

#: (parameters, times)
CASES = {
    # A within float64's rounding of pure (beta_A omega_A = 38.6: 1 - |z_A(0)| = 3.4e-17
    # rounds to 0): S_A(0) printed 0 (6.8e-16), beta_A(0) inf (57.2), sigma_B inf
    "A within rounding of pure": (["omega_A=0.675", "omega_B=1", "g=2.91", "beta_A=57.2",
                                   "beta_B=10.3"], "0,0.816,1.02,6.56"),
    "A within rounding of pure, slow B": (["omega_A=1.77", "omega_B=0.0681", "g=0.457",
                                           "beta_A=42.4", "beta_B=0.32"], "0,11.1,11.8,5770"),
    "A within rounding of pure, hot B": (["omega_A=9.96", "omega_B=0.472", "g=0.443",
                                          "beta_A=39.4", "beta_B=0.0143"], "0,9.4,15.4,1420"),
    "A far below rounding": (["omega_A=23.1", "omega_B=1", "g=0.095", "beta_A=3.16",
                              "beta_B=0.00396"], "0,96.2"),
    "A pure to float64, B warm": (["omega_A=20.1", "omega_B=1", "g=0.333", "beta_A=2.65",
                                   "beta_B=2.42"], "0,6.11,24.2,585"),
    "A pure to float64, B fast": (["omega_A=32.6", "omega_B=38.5", "g=1.02", "beta_A=40.3",
                                   "beta_B=0.0207"], "0,1.73,3.46"),
    # B within rounding of pure: sigma_A = Delta S_A + beta_B(0) Q_B was inf
    "B within rounding of pure": (["omega_A=40.8", "omega_B=0.972", "g=1.13", "beta_A=0.011",
                                   "beta_B=58.9"], "0,2.19,6.45,96.6"),
    # B nearly pure (beta_B omega_B = 14 to 28): its small population (1 - |z_B|)/2 cancelled,
    # S_B kept 5 to 8 digits, beta_B, I_AB and sigma_B with it; beta_B(0) so sigma_A at
    # every time
    "B nearly pure, short times": (["omega_A=0.307", "omega_B=1.94", "g=0.00446",
                                    "beta_A=0.556", "beta_B=13.8"], "0,1.25e-8,1.89e-6"),
    "B nearly pure, hot A": (["omega_A=8.88", "omega_B=14.9", "g=1.03", "beta_A=0.048",
                              "beta_B=1.88"], "0,4.11,7.7"),
    "B nearly pure, weak coupling": (["omega_A=1.5", "omega_B=1", "g=0.00229", "beta_A=7.1",
                                      "beta_B=23.4"], "0,8.84e-5,1.91e-4,1410,2560,15300"),
    "B nearly pure, hot A, weak coupling": (["omega_A=1", "omega_B=1.43", "g=0.0214",
                                             "beta_A=0.00741", "beta_B=17.5"],
                                            "0,3.01e-6,1.2e-4,72.2,314,19900"),
    "B nearly pure, slow A": (["omega_A=0.127", "omega_B=1", "g=0.0573", "beta_A=0.0211",
                               "beta_B=19.4"], "0,9e-8,67.4,155"),
    # B next to maximally mixed (beta_B(t) omega_B = 5.4e-7 at t = 9020): beta_B as
    # (ln hi - ln lo)/omega_B kept 9.8 digits
    "B next to maximally mixed": (["omega_A=0.0803", "omega_B=0.0124", "g=0.00108",
                                   "beta_A=8.78", "beta_B=0.0133"], "0,5,9020"),
}


@pytest.mark.parametrize("given, times", list(CASES.values()), ids=list(CASES))
def test_refrigerator_float64_keeps_ten_digits(given, times, float64_digits_hold):
    float64_digits_hold("refrigerator", given, times)


def test_initial_inverse_temperatures_are_the_parameters():
    """beta_j(0) is the parameter beta_j (A thermal, B a flipped thermal state) to float64's
    rounding, also where the start is within float64's rounding of pure."""
    from symthermo.models import get_model
    from symthermo.tables import reference_payload

    for given in (CASES["A within rounding of pure"][0], CASES["B within rounding of pure"][0]):
        row = reference_payload(get_model("refrigerator"), given, "0", float64=True)["rows"][0]
        for n in ("A", "B"):
            want = float(dict(x.split("=") for x in given)[f"beta_{n}"])
            assert abs(float(row[f"beta_{n}"]) / want - 1) < 1e-14, (n, row[f"beta_{n}"])


def test_start_below_float64_range_against_mpmath(correct_digits):
    """A starts with 1 - |z_A(0)| = 2/(e^1314 + 1), below float64's range (and the balls'
    at 30 digits, which print sigma_B as 0 +/- inf): float64 printed beta_A(0) and
    sigma_B = Delta S_B + beta_A(0) Q_A as inf; against mpmath at 1000 digits."""
    import mpmath

    from symthermo.models import get_model
    from symthermo.numbers import MPMATH
    from symthermo.tables import reference_payload

    given = ["omega_A=32.6", "omega_B=38.5", "g=1.02", "beta_A=40.3", "beta_B=0.0207"]
    m = get_model("refrigerator")
    got = reference_payload(m, given, "0,1.73,3.46", float64=True)
    assert got["rows"][0]["beta_A"] == "40.3000000000000"
    with mpmath.workdps(1000):
        truth = m.evaluate(m.params(dict(x.split("=") for x in given)),
                           [mpmath.mpf(t) for t in ("1.73", "3.46")], lib=MPMATH)
        for row, want in zip(got["rows"][1:], truth):
            for key, text in row.items():
                if key != "t" and key in want:
                    assert correct_digits(text, mpmath.nstr(want[key], 30)) >= 10, (
                        row["t"], key, text)


@pytest.mark.parametrize("given", [CASES["A within rounding of pure, hot B"][0],
                                   CASES["B within rounding of pure"][0],
                                   ["omega_A=32.6", "omega_B=38.5", "g=1.02", "beta_A=40.3",
                                    "beta_B=0.0207"]])
def test_balls_tell_a_nearly_pure_start_from_pure(given, correct_digits):
    """The certified route at 30 digits: 1 - |z_j(0)| (e^-392 to e^-1314) is 0 to the
    balls' working precision, so beta_j(0) and the other qubit's sigma were 0 +/- inf; the
    smaller eigenvalue from its exact start gives every digit (against mpmath at 1000)."""
    import mpmath

    from symthermo.models import get_model
    from symthermo.numbers import MPMATH
    from symthermo.tables import reference_payload

    m = get_model("refrigerator")
    times = ("2.19", "15.4")
    got = reference_payload(m, given, ",".join(times), dps=30, errors=False)["rows"]
    with mpmath.workdps(1000):
        truth = m.evaluate(m.params(dict(x.split("=") for x in given)),
                           [mpmath.mpf(t) for t in times], lib=MPMATH)
        for row, want in zip(got, truth):
            for key in ("beta_A", "beta_B", "S_A", "S_B", "I_AB", "sigma_A", "sigma_B"):
                assert " +/- " not in row[key], (row["t"], key, row[key])
                assert correct_digits(row[key], mpmath.nstr(want[key], 40)) >= 29, (
                    row["t"], key, row[key])
