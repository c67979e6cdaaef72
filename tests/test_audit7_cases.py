"""Cases an audit of the printed digits found (seeds 101-110: random parameters over
wide ranges, ``reference --float64`` against the certified balls at 30 digits and the
certified 30 digits against 60).

Each case is compared with a route that shares no formula with the one that failed:
mpmath at thousands of digits from the definitions, or the certified balls.
"""

import mpmath
import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload

#: qutrit-swap with B within e^-1681 of its ground state (beta_1 omega_1 = 1681,
#: beta_2 omega_2 = 2088) and A thermal at beta_B(0) = 313 with it
NEARLY_PURE_QUTRITS = ["omega_1=5.37", "omega_2=11.6", "beta_1=313", "beta_2=180", "g=0.0435"]


def _qutrit_reference(given, t, dps=3000):
    """S_B(0), beta_B(0), and A's E and S at time t, from the definitions in mpmath at
    ``dps`` digits (enough for -p ln p of a population 1 - 1e-730): p_B(0) ∝ exp(-beta_k
    omega_k), beta_B(0) the root of S[w(beta)] = S_B(0), p_A(t) = cos^2(g t) w(beta) +
    sin^2(g t) p_B(0)."""
    p = dict(x.split("=") for x in given)
    with mpmath.workdps(dps):
        w = [mpmath.mpf(0), mpmath.mpf(p["omega_1"]), mpmath.mpf(p["omega_2"])]
        b = [mpmath.mpf(0)] + [mpmath.mpf(p[f"beta_{k}"]) * w[k] for k in (1, 2)]
        weights = [mpmath.exp(-x) for x in b]
        pb = [x / sum(weights) for x in weights]

        def entropy(ps):
            return -sum(x * mpmath.log(x) for x in ps)

        def thermal(beta):
            q = [mpmath.exp(-beta * e) for e in w]
            return [x / sum(q) for x in q]

        s_b = entropy(pb)
        guess = mpmath.mpf(p["beta_1"])
        beta = mpmath.findroot(lambda x: mpmath.log(entropy(thermal(x))) - mpmath.log(s_b),
                               guess)
        g, t = mpmath.mpf(p["g"]), mpmath.mpf(t)
        c2, s2 = mpmath.cos(g * t) ** 2, mpmath.sin(g * t) ** 2
        pa = [c2 * x + s2 * y for x, y in zip(thermal(beta), pb)]
        return {"S_B0": s_b, "beta_B0": beta, "E_A": sum(x * e for x, e in zip(pa, w)),
                "S_A": entropy(pa)}


def _agrees(text, value, digits=28):
    assert " +/- " not in text, text
    with mpmath.workdps(60):
        x = mpmath.mpf(text)
        assert abs(x - value) <= abs(value) * mpmath.mpf(10) ** -digits, (text, value)


def test_ball_entropy_of_a_nearly_pure_distribution_keeps_its_relative_precision():
    """-p ln p of a ball about 1 carries the ball's absolute radius (1e-36 at 120 bits),
    which held S = 1.8e-727 as [+/- 1.5e-36]: beta_B(0) of the qutrit swap was then an
    unbounded ball and the certified route stopped with 'a ball with a nan midpoint has
    no value'.  The largest probability's logarithm is log1p(-rest)."""
    from flint import arb

    from symthermo.balls import BALLS, ball_precision
    from symthermo.entropy import entropy_of_distribution

    with mpmath.workdps(40):  # S = ln Z + <b>, b_k = -ln w_k
        x, y = mpmath.exp(-1681), mpmath.exp(-2088)
        want = mpmath.nstr((1681 * x + 2088 * y) / (1 + x + y) + mpmath.log1p(x + y), 40)
    with ball_precision(120):
        weights = [arb(1), (-arb(1681)).exp(), (-arb(2088)).exp()]
        z = sum(weights[1:], weights[0])
        s = entropy_of_distribution(BALLS, [x / z for x in weights])
        assert s > 0
        assert s.rad() < s * arb("1e-30")
        assert abs(s - arb(want)) < s * arb("1e-30")


@pytest.mark.parametrize("t", ["0", "34.8"])
def test_qutrit_swap_nearly_pure_certified(t):
    """``symthermo reference qutrit-swap --param omega_1=5.37 --param omega_2=11.6
    --param beta_1=313 --param beta_2=180 --param g=0.0435 --times 34.8 --dps 30``
    exited with 'error: a ball with a nan midpoint has no value' (exit code 2 on valid
    input); with a milder state (beta_1 = 200, omega_1 = 9.58, S = 7.7e-342) it printed
    beta_A and beta_B as '0 +/- inf'.  Now every digit, against mpmath from the
    definitions at 3000 digits."""
    payload = reference_payload(get_model("qutrit-swap"), NEARLY_PURE_QUTRITS, f"0,{t}",
                                dps=30)
    row0, row = payload["rows"]
    want = _qutrit_reference(NEARLY_PURE_QUTRITS, t)
    _agrees(row0["S_B"], want["S_B0"])
    _agrees(row0["beta_B"], want["beta_B0"])
    _agrees(row0["beta_A"], want["beta_B0"])
    _agrees(row["E_A"], want["E_A"])
    _agrees(row["S_A"], want["S_A"])
    for key in ("beta_A", "beta_B", "S_B", "E_B"):
        assert " +/- " not in row[key], (key, row[key])


def test_qutrit_swap_nearly_pure_float64_is_recomputed():
    """``symthermo reference qutrit-swap --param omega_1=5.37 --param omega_2=11.6
    --param beta_1=313 --param beta_2=180 --param g=0.0435 --times 0,34.8 --float64``
    printed E_A = S_A = 0 and beta_A = beta_B = inf (every population but the ground
    one below float64's range: a pure state to float64) for E_A = 5.8e-730 and
    beta_A = 313, at t = 0 too; those rows are the certified route's now."""
    times = "0,4.6e-9,34.8"
    payload = reference_payload(get_model("qutrit-swap"), NEARLY_PURE_QUTRITS, times,
                                float64=True)
    assert payload["recomputed_with_balls"] == [r["t"] for r in payload["rows"]]
    certified = reference_payload(get_model("qutrit-swap"), NEARLY_PURE_QUTRITS, times,
                                  dps=15, errors=False)["rows"]
    for row, want in zip(payload["rows"], certified):
        assert {k: v for k, v in row.items() if k != "t"} == \
            {k: v for k, v in want.items() if k != "t"}
    want = _qutrit_reference(NEARLY_PURE_QUTRITS, "34.8")
    _agrees(payload["rows"][2]["E_A"], want["E_A"], digits=14)
    _agrees(payload["rows"][2]["beta_A"], want["beta_B0"], digits=14)


def _nearly_pure_qutrit_system(p):
    """A qutrit (levels 0, 1, 2.3) in diag(1 - p, p, 0), exchanging with a qubit in its
    ground state."""
    import json

    from symthermo.ledger import load_system

    zero6 = [["0"] * 6 for _ in range(6)]
    zero6[1][2] = zero6[2][1] = "0.1"
    return load_system(json.dumps({
        "subsystems": {
            "A": {"H": [["0", "0", "0"], ["0", "1", "0"], ["0", "0", "2.3"]],
                  "rho0": [[f"1-{p}", "0", "0"], ["0", p, "0"], ["0", "0", "0"]]},
            "B": {"H": [["0", "0"], ["0", "1"]], "rho0": [["1", "0"], ["0", "0"]]}},
        "coupling": zero6}))


def _contains(text, value):
    with mpmath.workdps(60):
        if " +/- " in text:
            m, r = text.split(" +/- ")
            return r == "inf" or abs(mpmath.mpf(m) - value) <= mpmath.mpf(r)
        return text not in ("inf", "-inf") and abs(mpmath.mpf(text) - value) <= abs(value) * \
            mpmath.mpf(10) ** -(len(text.split("e")[0].replace("-", "").replace(".", "")) - 1)


@pytest.mark.parametrize("p", ["1e-310", "1e-400"])
def test_ledger_keeps_a_proven_small_eigenvalue(p):
    """``symthermo ledger SYSTEM.json --times 0 --dps 30`` with rho_A(0) = diag(1 - p, p,
    0) printed, for p = 1e-400, S_A = 0 and beta_A = inf (the eigenvalue p, a ball proven
    positive, was taken for the eigensolver's noise and rounded to an exact 0) and, for
    p = 1e-310, S_A = 7.13801378828154162045577350952e-308 for 7.148...e-308 (1 - p rounded
    to 1).  Every printed value, plain or bounded, now holds the exact one."""
    from symthermo.tables import ledger_payload

    row = ledger_payload(_nearly_pure_qutrit_system(p), "x", "0", dps=30)["rows"][0]
    with mpmath.workdps(1000):
        q = mpmath.mpf(p)
        entropy = -q * mpmath.log(q) - (1 - q) * mpmath.log1p(-q)
        levels = [0, 1, mpmath.mpf("2.3")]

        def thermal_entropy(beta):
            w = [mpmath.exp(-beta * e) for e in levels]
            z = sum(w)
            return -sum(x / z * mpmath.log(x / z) for x in w)

        beta = mpmath.findroot(lambda b: mpmath.log(thermal_entropy(b)) - mpmath.log(entropy),
                               -mpmath.log(q))
        assert _contains(row["S_A"], entropy), row["S_A"]
        assert _contains(row["beta_A"], beta), row["beta_A"]
        assert _contains(row["E_A"], q)


#: a qubit and a qutrit (H_B not diagonal) with a weak coupling and one jump operator
OPEN_QUBIT_QUTRIT = {
    "subsystems": {
        "A": {"H": [["0", "0"], ["0", "3.69"]], "rho0": [["1", "0"], ["0", "0"]]},
        "B": {"H": [["0", "1.32", "1.86"], ["1.32", "0", "-0.683+0.735j"],
                    ["1.86", "-0.683-0.735j", "0"]],
              "rho0": [["3/26", "0.0385", "0"], ["0.0385", "6/13", "0"], ["0", "0", "11/26"]]}},
    "coupling": [["-1.75e-06", "0", "-9.16e-07", "-2.38e-06+7.81e-07j", "0", "-7.51e-07"],
                 ["0", "-5.47e-07", "0", "0", "1.82e-06", "0"],
                 ["-9.16e-07", "0", "3.16e-08", "2.35e-06", "0", "-3.34e-07+6.9e-07j"],
                 ["-2.38e-06-7.81e-07j", "0", "2.35e-06", "2.11e-06", "0", "0"],
                 ["0", "1.82e-06", "0", "0", "-1.95e-06", "0"],
                 ["-7.51e-07", "0", "-3.34e-07-6.9e-07j", "0", "0", "-9.5e-07"]],
    "lindblad": [{"rate": "0.0051", "operator": [["1" if (i, j) == (0, 2) else "0"
                                                  for j in range(6)] for i in range(6)]}]}


def test_open_ledger_float64_at_a_long_time(correct_digits):
    """``symthermo ledger SYSTEM.json --times 3.41e6 --float64`` (OPEN_QUBIT_QUTRIT)
    stopped with 'error: internal failure (ArithmeticError): propagated rho(t) lost its
    trace: |tr rho(t) - tr rho0| = 1.0854329e-09' (exit code 1): expm(G t) at ||G|| t =
    3e7 drifts by its own rounding, which the fixed tolerance 1e-9 refused.  The drift
    is now checked against that rounding, and the values against the balls."""
    import json

    from symthermo.ledger import load_system
    from symthermo.tables import ledger_payload

    system = load_system(json.dumps(OPEN_QUBIT_QUTRIT))
    got = ledger_payload(system, "x", "3.41e6", float64=True)
    truth = ledger_payload(system, "x", "3.41e6", dps=30, errors=False)["rows"][0]
    least = 14 if got["recomputed_with_balls"] else 10
    for key, text in got["rows"][0].items():
        if key != "t":
            assert correct_digits(text, truth[key]) >= least, (key, text, truth[key])


def _plain_agree(text, truth, digits):
    """Two printed values agree to ``digits`` significant digits (bounds: the intervals
    meet)."""
    with mpmath.workdps(60):
        if " +/- " in text or " +/- " in truth:
            (m1, r1), (m2, r2) = ((mpmath.mpf(x.split(" +/- ")[0]),
                                   mpmath.mpf(x.split(" +/- ")[1]) if " +/- " in x else 0)
                                  for x in (text, truth))
            return abs(m1 - m2) <= r1 + r2
        if text in ("inf", "-inf") or truth in ("inf", "-inf"):
            return text == truth
        x, y = mpmath.mpf(text), mpmath.mpf(truth)
        return abs(x - y) <= abs(y) * mpmath.mpf(10) ** -digits


@pytest.mark.parametrize("state_A", ["excited", "plus", "mixed"])
def test_jaynes_cummings_coherent_propagator_is_certified(state_A):
    """``symthermo reference jaynes-cummings --param state_B=coherent --param alpha=2
    --times 1 --method propagator`` stopped with 'error: a real quantity evaluated to a
    complex ball' ('Cannot hash non-exact arb' for a mixed qubit): exit 2 for every
    coherent field.  The blocks are diagonalised by mpmath, which proves nothing on
    balls; the route is mpmath's agreement of two precisions (as CONTRACT.md says of a
    Fock window not proven invariant), and agrees with the closed forms' balls."""
    given = [f"state_A={state_A}", "state_B=coherent", "alpha=2", "omega_B=1.1"]
    model = get_model("jaynes-cummings")
    got = reference_payload(model, given, "1,100", method="propagator")
    truth = reference_payload(model, given, "1,100", errors=False)
    assert got["number_system"] == "mpmath"
    for row, want in zip(got["rows"], truth["rows"]):
        for key, text in row.items():
            if key not in ("t", "manifolds", "neglected_weight"):
                assert _plain_agree(text, want[key], 24), (row["t"], key, text, want[key])


def test_jaynes_cummings_propagator_semiclassical_keys_are_proven():
    """The vacuum's ball propagator took the semiclassical keys from mpmath's
    eigensolver on the balls' midpoints: ``symthermo reference jaynes-cummings --param
    omega_A=0.754 --param omega_B=0.0277 --param g=4.52 --param state_A=ground --times
    1.32e-7 --method propagator`` printed W_A_semiclassical = 3.97440862459790725557941241733e-82
    as proven for the qubit at rest in its ground state (exactly 0).  In balls they
    are the closed forms'."""
    given = ["omega_A=0.754", "omega_B=0.0277", "g=4.52", "state_A=ground"]
    model = get_model("jaynes-cummings")
    got = reference_payload(model, given, "1.32e-7,3", method="propagator")["rows"]
    truth = reference_payload(model, given, "1.32e-7,3")["rows"]
    for row, want in zip(got, truth):
        for key in ("W_A_semiclassical", "W_st", "E_int_semiclassical"):
            assert row[key] == want[key] == "0", (key, row[key], want[key])


@pytest.mark.parametrize("given, times", [
    (["omega_A=1.45", "omega_B=1.45", "g=0.00038", "state_A=plus", "state_B=coherent",
      "alpha=0.01"], "9.35e-9,2.53e6"),
    (["omega_A=44.6", "omega_B=44.6", "g=0.0267", "state_A=mixed", "state_B=coherent",
      "alpha=0.3"], "7.34e-9,138"),
])
def test_jaynes_cummings_coherent_propagator_float64_is_vouched_for(given, times,
                                                                     correct_digits):
    """``symthermo reference jaynes-cummings --param omega_A=1.45 --param omega_B=1.45
    --param g=0.00038 --param state_A=plus --param state_B=coherent --param alpha=0.01
    --times 9.35e-9 --method propagator --float64`` printed S_A = 0 for 1.7e-22,
    beta_A = inf for 37.3 and E_A = -2.4e-16 for -9.2e-24, unflagged (no error
    estimate covers the coherent field's blocks); at t = 2.53e6 S_A kept 8.5 digits,
    and with a mixed qubit sigma_A = 13.3 was printed for inf.  Every row is now the
    certified route's."""
    model = get_model("jaynes-cummings")
    got = reference_payload(model, given, times, float64=True, method="propagator")
    truth = reference_payload(model, given, times, dps=30, errors=False)["rows"]
    assert got["recomputed_with_balls"] == [r["t"] for r in got["rows"]]
    for row, want in zip(got["rows"], truth):
        for key, text in row.items():
            if key in ("t", "manifolds", "neglected_weight"):  # the window is the route's
                continue
            if " +/- " in text or " +/- " in want[key]:
                assert _plain_agree(text, want[key], 0), (row["t"], key, text, want[key])
            else:
                assert correct_digits(text, want[key]) >= 10, (row["t"], key, text, want[key])


def test_qutrit_swap_propagator_float64_with_a_nearly_pure_B():
    """``symthermo reference qutrit-swap --param omega_1=0.409 --param omega_2=1.75
    --param beta_1=220 --param beta_2=38.2 --param g=0.00482 --times 8.83e-8 --method
    propagator --float64`` stopped with 'error: refusing to print nan' (exit 2 on valid
    input): B within 1e-29 of pure is pure to the float64 propagator, beta_B(0) = inf,
    and sigma_erg_A took inf * 0.  Now 0 * inf = 0, and the rows (entropies within
    rounding of pure) are the ball propagator's, whose 15 digits are the closed forms'
    (an exact 0 of theirs it bounds, as propagators do)."""
    given = ["omega_1=0.409", "omega_2=1.75", "beta_1=220", "beta_2=38.2", "g=0.00482"]
    model = get_model("qutrit-swap")
    times = "0,8.83e-8,1660"
    got = reference_payload(model, given, times, float64=True, method="propagator")
    truth = reference_payload(model, given, times, dps=15, errors=False)["rows"]
    assert got["recomputed_with_balls"] == [r["t"] for r in got["rows"]]
    for row, want in zip(got["rows"], truth):
        for key, text in row.items():
            if key != "t":
                assert text == want[key] or " +/- " in text and _plain_agree(
                    text, want[key], 0), (row["t"], key, text, want[key])


def test_qutrit_swap_differences_below_the_working_precision(float64_digits_hold):
    """``symthermo reference qutrit-swap --param omega_1=1.35 --param omega_2=3.73
    --param beta_1=150 --param beta_2=118 --param g=0.0538 --times 1.9e-8 --float64``
    printed Q_A = 2.38e-209 for 2.04e-210 and Q_B = -2.17e-209 for 4.93e-212, W_A and W_B
    at t = 56500 with no correct digit, unflagged: p_B(0) - p_A(0) was taken as 0 in two
    of its entries because 30 and 60 digits both gave 0 (it is 1e-191 beside a
    population of 1e-88, moved by beta_B(0) = 150 + 1e-101)."""
    float64_digits_hold("qutrit-swap", ["omega_1=1.35", "omega_2=3.73", "beta_1=150",
                                        "beta_2=118", "g=0.0538"],
                        "1.9e-8,5.62e-8,105,180,56500,74600")


def test_qutrit_swap_thermal_B_has_no_difference():
    """B thermal (beta_1 = beta_2) starts where A does: p_B(0) - p_A(0) = 0 by structure."""
    from symthermo.models import qutrit_swap as qs

    model = get_model("qutrit-swap")
    p = model.params(["beta_1=0.7", "beta_2=0.7"])
    model.numeric_params(p)
    beta, _, delta = qs._initial_differences(model, p)
    assert delta == [0.0, 0.0, 0.0] and abs(beta - 0.7) < 1e-15
