"""Ziv's loop and the certified ``reference`` route.

- every printed digit is proven: strings printed at ``dps`` agree with a run at
  twice the digits (within half a unit in the last printed place);
- every model runs at its paper times at dps 15 and 30 (no PrecisionError);
- the cases ``precision.stable`` refused (spontaneous emission and the reaction
  coordinate over 0..500/gamma) are certified, checked against float64;
- near-pure states: the entropy of diag(1 - e, e) down to e = 1e-100 at dps 120;
- the contract's forms: ``0`` only when exact, ``"m +/- r"`` otherwise, ``err``.
"""

import json
import re
import subprocess
import sys
from decimal import Decimal

import mpmath
import pytest
from flint import arb

from symthermo.balls import ball_precision
from symthermo.certify import certified, decimal_digits, format_ball
from symthermo.entropy import entropy_of_spectrum
from symthermo.models import get_model, model_names
from symthermo.tables import reference_payload, render

BOUND = re.compile(r"^(?P<m>-?[0-9.e+-]+) \+/- (?P<r>[0-9.e+-]+|inf)$")


def interval(text):
    """[lo, hi] (Decimals) that a printed value stands for; None for inf."""
    if text in ("inf", "-inf"):
        return None
    m = BOUND.match(text)
    if m:
        if m["r"] == "inf":
            return None
        mid, r = Decimal(m["m"]), Decimal(m["r"])
        return mid - r, mid + r
    d = Decimal(text)
    if d == 0:
        return d, d
    digits = len(d.as_tuple().digits)
    half = Decimal(1).scaleb(d.adjusted() - digits + 1) / 2
    return d - half, d + half


def consistent(a, b):
    """Two printed values (at different digits) that are both proven agree."""
    if a in ("inf", "-inf") or b in ("inf", "-inf"):
        return a == b or interval(a) is None or interval(b) is None
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


class TestFormatting:
    def test_printed_decimal_is_the_correct_rounding(self):
        with ball_precision(200):
            x = arb(1) / 7
            assert format_ball(x, 10)[0] == "0.1428571429"
            assert format_ball(-x * arb(10) ** 40, 5)[0] == "-1.4286e+39"
            assert format_ball(x / 10 ** 8, 3)[0] == "1.43e-9"

    def test_same_layout_as_mpmath(self):
        with ball_precision(300), mpmath.workdps(80):
            for value in ("1.5", "123.456", "0.000123", "1e-40", "-98765.4321", "7e25", "0.1"):
                x = arb(value)
                for digits in (3, 15, 30):
                    assert format_ball(x, digits)[0] == mpmath.nstr(mpmath.mpf(value), digits,
                                                                    strip_zeros=False)

    def test_correct_rounding_of_exact_values_against_decimal(self):
        import random
        from decimal import ROUND_HALF_EVEN, Context

        rng = random.Random(9)
        wide = Context(prec=400)
        with ball_precision(600):
            for _ in range(400):
                man = rng.randrange(1, 2 ** rng.randrange(2, 200)) * rng.choice((1, -1))
                exp = rng.randrange(-300, 200)
                x = arb(man) * arb(2) ** exp  # exact
                exact = wide.multiply(Decimal(man), wide.power(Decimal(2), exp))
                digits = rng.choice((1, 2, 5, 15, 30))
                found = decimal_digits(x, digits)
                q = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1),
                                   rounding=ROUND_HALF_EVEN, context=wide)
                if q.adjusted() != exact.adjusted():  # rounded up to a power of ten
                    q = q.quantize(Decimal(1).scaleb(q.adjusted() - digits + 1), context=wide)
                if found is None:  # only an exact tie may stay undecided
                    assert abs(exact - q) == Decimal(1).scaleb(q.adjusted() - digits + 1) / 2
                    continue
                sign, dig, e = found
                assert Decimal(f"{sign}{dig[0]}.{dig[1:]}e{e}") == q, (x, digits, found, q)

    def test_undecidable_rounding_is_not_printed(self):
        with ball_precision(200):
            # the exact value 0.125 +/- tiny straddles the rounding boundary of 2 digits
            x = arb("0.125", arb("1e-40"))
            assert decimal_digits(x, 2) is None
            text, err = format_ball(x, 2)
            assert " +/- " in text and Decimal(err) > 0

    def test_zero_and_bounds(self):
        with ball_precision(100):
            assert format_ball(arb(0), 30) == ("0", "0")
            text, err = format_ball(arb(0, arb("2e-50")), 30)
            assert text.startswith("0 +/- ") and Decimal(err) >= Decimal("2e-50")
            assert format_ball(arb.pos_inf(), 30)[0] == "inf"
            assert format_ball(arb(1, 1e-10) + arb.pos_inf(), 30)[0] == "inf"
            assert format_ball(arb(0).union(arb.pos_inf()), 30)[0] == "0 +/- inf"

    @pytest.mark.parametrize("mid, rad", [("7.14e-308", "6e-308"), ("700", "690"),
                                          ("-3e-20", "2.9e-20")])
    def test_a_ball_without_one_digit_is_a_bound_about_0(self, mid, rad):
        # it holds no 0, but not one digit of it is proven: Arb writes "0e-307"; the
        # contract's form is "0 +/- r" with r >= |x| (it printed "0e-307 +/- 9.7e-308")
        with ball_precision(100):
            x = arb(mid, rad)
            assert not x.contains(0)
            text, err = format_ball(x, 30)
            assert text == f"0 +/- {err}"
            assert abs(x).upper() <= arb(err)
            assert re.match(r"^(?P<m>-?[0-9.e+-]+|0) \+/- (?P<r>[0-9.e+-]+|inf)$", text)
            # one digit proven: printed with its digit, as before
            y = arb(mid, arb(mid) * arb("0.01"))
            text, err = format_ball(y, 30)
            assert not text.startswith("0 ") and " +/- " in text
            assert abs(y - arb(text.split(" ")[0])).upper() <= arb(err)

    def test_err_bounds_the_printed_value(self):
        with ball_precision(300):
            x = arb(2).sqrt()
            text, err = format_ball(x, 20)
            assert abs(x - arb(text)).upper() <= arb(err)
            assert Decimal(err) < Decimal("1e-20")


class TestZiv:
    def test_precision_rises_until_the_digits_are_proven(self):
        # 1 + 1e-60 - 1 needs > 60 digits of working precision for 10 printed digits
        r = certified(lambda lib: (1 + lib.number("1e-60")) - 1, 10)
        assert r.complete and r.bits > 200
        assert format_ball(r.value, 10)[0] == "1.000000000e-60"

    def test_cancellation_to_zero_is_returned_with_its_bound(self):
        r = certified(lambda lib: lib.exp(lib.number(1)) - lib.exp(lib.number(1)), 20)
        assert not r.complete
        text, err = format_ball(r.value, 20)
        assert text.startswith("0 +/- ") and Decimal(err) < Decimal("1e-100")

    def test_the_last_step_is_the_cap_itself(self):
        # 1 + 1e-200 - 1 needs ~700 bits: dps 15 doubled to 592 and stopped there (1184
        # would pass the cap of 1024), leaving a bound; its last step is now 1024
        r = certified(lambda lib: (1 + lib.number("1e-200")) - 1, 15)
        assert r.complete and r.bits == 1024
        assert format_ball(r.value, 15)[0] == "1.00000000000000e-200"
        # at dps 30 doubling lands at 992, next to the cap: no extra pass of 1024
        r = certified(lambda lib: (1 + lib.number("1e-320")) - 1, 30)
        assert not r.complete and r.bits == 992

    def test_one_doubling_that_narrows_nothing_does_not_stop_the_loop(self):
        # the first two passes give a ball sized by a rule (a fixed radius, as an
        # eigenvalue too small for the precision set to an exact 0), the third by the
        # precision: the loop goes on to it (it stopped after the second)
        import flint

        seen = []

        def compute(lib):
            seen.append(flint.ctx.prec)
            if len(seen) <= 2:
                return arb(1) / 3 + arb(0, arb("1e-20"))
            return arb(1) / 3

        r = certified(compute, 30)
        assert r.complete and len(seen) == 3
        assert format_ball(r.value, 30)[0] == "0." + "3" * 30

    def test_a_truncation_bound_stops_the_loop_before_its_cap(self):
        # a radius no precision narrows: two doublings, then the bound, not the cap
        import flint

        seen = []

        def compute(lib):
            seen.append(flint.ctx.prec)
            return arb(1) / 3 + arb(0, arb("1e-20"))

        r = certified(compute, 30, max_bits=10 ** 5)
        assert not r.complete and len(seen) == 3 and seen[-1] == 4 * seen[0]
        assert " +/- " in format_ball(r.value, 30)[0]

    @pytest.mark.parametrize("k", [1, 14, 40, 100])
    def test_near_pure_entropy(self, k):
        e = f"1e-{k}"
        r = certified(lambda lib: entropy_of_spectrum(lib, [lib.number(e), 1 - lib.number(e)]),
                      120)
        assert r.complete
        text = format_ball(r.value, 120)[0]
        with mpmath.workdps(400):
            x = mpmath.mpf(e)
            exact = -x * mpmath.log(x) - mpmath.log1p(-x) * (1 - x)
            assert text == mpmath.nstr(exact, 120, strip_zeros=False)


def _fewer(text, digits):
    """A printed decimal cut to ``digits`` significant digits (an interval 10x wider)."""
    if text in ("inf", "-inf", "0") or " +/- " in text:
        return text
    d = Decimal(text)
    return str(d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1)))


def _rows(model, times, dps, **kw):
    m = get_model(model)
    return reference_payload(m, [], times, dps=dps, **kw)


@pytest.mark.parametrize("name", model_names())
def test_every_model_at_its_paper_times(name):
    model = get_model(name)
    times = list(model.paper_times)
    low = reference_payload(model, [], times, dps=15)
    high = reference_payload(model, [], times, dps=30)
    assert low["dps"] == 15 and high["dps"] == 30
    for a, b in zip(low["rows"], high["rows"]):
        for key in model.keys():
            if low["number_system"] == "balls":
                assert consistent(a[key], b[key]), (name, key, a[key], b[key])
            else:  # mpmath's stable(): the contract promises dps - 5 correct digits
                assert consistent(_fewer(a[key], 10), b[key]), (name, key, a[key], b[key])
        if low["number_system"] == "balls":
            assert set(a["err"]) == set(model.keys())
            for key, value in a.items():
                if value == "0":  # only exact zeros print as 0
                    assert a["err"][key] == "0"


@pytest.mark.parametrize("name, end", [("spontaneous-emission", "50000"),
                                       ("reaction-coordinate", "62500")])  # 500/rate
def test_long_runs_stable_refused(name, end):
    from symthermo.errors import PrecisionError

    model = get_model(name)
    payload = reference_payload(model, [], f"0:{end}:200", dps=30)
    assert payload["number_system"] == "balls" and len(payload["rows"]) == 200
    # an independent route: mpmath's two-precision agreement, where it certifies, at 150
    # digits: at 30 its P_g = 1 - P_e rounds to 1 once P_e < 1e-40, so its "certified" S_A of
    # the decayed qubit (~1e-107) is wrong from the 3rd digit on (both precisions agree)
    checked = 0
    for row in payload["rows"][::20]:
        try:
            other = reference_payload(model, [], row["t"], dps=150, number_system="mpmath")
        except PrecisionError:
            continue
        checked += 1
        for key in model.keys():
            assert consistent(row[key], _fewer(other["rows"][0][key], 25)), (key, row, other)
    assert checked >= 3
    for row in payload["rows"]:
        for key in model.keys():
            assert " +/- " not in row[key], (key, row[key])  # every value proven
        # the passive decayed qubit: ergotropy and exergy are exact zeros, not roundings
        if float(row["P_e"] if "P_e" in row else 0) < 0.5 and name == "spontaneous-emission":
            assert row["ergotropy_A"] == "0" and row["exergy_A"] == "0"


def _float64():
    from symthermo.numbers import FLOAT64

    return FLOAT64


def test_cli_spontaneous_emission_that_stable_refused():
    out = subprocess.run([sys.executable, "-m", "symthermo", "reference", "spontaneous-emission",
                          "--times", "0:500:200", "--format", "csv", "--errors"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["t", "E_A"] and "err_E_A" in header
    assert len(lines) == 201


def test_csv_without_errors_keeps_the_old_columns():
    model = get_model("refrigerator")
    payload = reference_payload(model, [], "0,1", dps=20)
    text = render(payload, "csv")
    assert text.splitlines()[0].split(",") == model.keys()
    rows = json.loads(render(payload, "json"))["rows"]
    assert set(rows[0]) == set(model.keys()) | {"err"}
    assert rows[0]["Q_A"] == "0" and rows[0]["err"]["Q_A"] == "0"  # t = 0: exact


def test_mpmath_number_system_still_available():
    payload = _rows("refrigerator", "0,1", 20, number_system="mpmath")
    balls = _rows("refrigerator", "0,1", 20)
    assert payload["number_system"] == "mpmath" and "err" not in payload["rows"][1]
    for key in get_model("refrigerator").keys():
        assert consistent(payload["rows"][1][key], balls["rows"][1][key])


def _jc_excited_energy(alpha, g, t, window_digits=250):
    """E_A of the resonant JC model from |e>|alpha>, independently: p_e(t) =
    sum_n P_n cos^2(g sqrt(n+1) t) over a window far wider than the ball route's
    (mpmath at 300 digits, the Poisson weights in log space)."""
    from symthermo.models.jc_manifolds import poisson_window

    with mpmath.workdps(300):
        w = poisson_window(alpha, window_digits)
        mu = mpmath.mpf(alpha) ** 2
        g, t = mpmath.mpf(g), mpmath.mpf(t)
        pe = mpmath.fsum(mpmath.exp(-mu + n * mpmath.log(mu) - mpmath.loggamma(n + 1))
                         * mpmath.cos(g * mpmath.sqrt(n + 1) * t) ** 2
                         for n in range(w.n_lo, w.n_hi + 1))
        return pe - mpmath.mpf(1) / 2


@pytest.mark.parametrize("alpha, t", [(3, "2000"), (3, "10000"), (30, "300"), (30, "10000")])
def test_jaynes_cummings_coherent_against_a_wider_window(alpha, t):
    payload = reference_payload(get_model("jaynes-cummings"),
                                ["state_B=coherent", f"alpha={alpha}"], t, dps=20)
    assert payload["number_system"] == "balls"
    row = payload["rows"][0]
    reference = _jc_excited_energy(alpha, "0.01", t)
    with mpmath.workdps(60):
        ref_text = mpmath.nstr(reference, 40)
    assert consistent(row["E_A"], ref_text), (row["E_A"], ref_text)
    assert int(row["manifolds"]) > 2 and 0 < float(row["neglected_weight"]) < 1e-25


def test_jaynes_cummings_collapse_is_a_bound_not_digits():
    # issue 9: the true E_A at g t = 60 is below 1e-199; digits printed before were
    # the truncation error and changed with --dps
    # (ball route: a bound at dps 20, and at dps 30, where Ziv's loop reaches a window wide
    # enough, proven digits of about -1.4e-264); the two must agree
    values = []
    for dps in (20, 30):
        row = reference_payload(get_model("jaynes-cummings"), ["state_B=coherent"], "6000",
                                dps=dps)["rows"][0]
        low, high = interval(row["E_A"])
        assert -Decimal("1e-199") < low <= high < Decimal("1e-199"), row["E_A"]
        values.append(row["E_A"])
    assert consistent(*values), values


class TestStructuralZeros:
    """Exact zeros come from the structure (a proven branch), never from a cancellation;
    where the structure does not decide, the value is a bound, not a 0."""

    def test_increments_vanish_at_t0(self):
        for name in model_names():
            row = reference_payload(get_model(name), [], "0", dps=15)["rows"][0]
            keys = [k for k in row if k.startswith(("Q_", "W_", "sigma_"))] + ["I_AB"]
            for key in keys:
                if key in row:
                    assert row[key] == "0", (name, key, row[key])

    def test_passive_diagonal_qubits(self):
        # refrigerator: A stays passive (z_A < 0); its ergotropy and exergy are exact
        # zeros, and W_A = exergy(t) - exergy(0) with both exact zeros is an exact zero
        row = reference_payload(get_model("refrigerator"), [], "1", dps=30)["rows"][0]
        assert float(row["z_A"]) < 0
        assert row["ergotropy_A"] == row["exergy_A"] == row["W_A"] == "0"
        # reaction coordinate: the mode on Fock 0 and 1 with n < 1/2 is passive
        row = reference_payload(get_model("reaction-coordinate"), [], "1000", dps=30)["rows"][0]
        assert row["ergotropy_B"] == "0" and row["exergy_B"] not in ("0",)

    def test_inverted_qubit_is_not_zeroed(self):
        # B of the refrigerator starts inverted: its ergotropy is positive, with digits
        row = reference_payload(get_model("refrigerator"), [], "0", dps=20)["rows"][0]
        assert float(row["ergotropy_B"]) > 0 and " +/- " not in row["ergotropy_B"]

    def test_qutrit_passive_by_populations_and_thermal_start(self):
        row = reference_payload(get_model("qutrit-swap"), [], "0", dps=20)["rows"][0]
        # A = w(beta_B(0)) (thermal) and B passive non-thermal, at t = 0 exactly
        assert row["ergotropy_A"] == row["exergy_A"] == row["ergotropy_B"] == "0"
        assert row["sigma_erg_A"] == "0" and float(row["exergy_B"]) > 0

    def test_special_time_zero_is_a_bound(self):
        # exchange at the decimal g t = 1.570796326794896619 (not pi/2): no structure proves a
        # zero, so E_A is printed with its (tiny) bound, not as 0
        row = reference_payload(get_model("exchange"), [], "157.0796326794896619",
                                dps=20)["rows"][0]
        low, high = interval(row["E_A"])
        assert not row["E_A"].startswith("0 +/- ") and high < Decimal("1e-37")
        # at the exact time pi/(2*g) SymPy proves it (symthermo.exact_times): exact 0
        row = reference_payload(get_model("exchange"), [], "pi/(2*g)", dps=20)["rows"][0]
        assert row["E_A"] == "0" and row["err"]["E_A"] == "0"


@pytest.mark.parametrize("state", ["mixed", "plus"])
def test_jaynes_cummings_coherent_mixed_and_plus_agree_with_mpmath(state):
    # mixed: rho_B's spectrum from the 4x4 Gram matrix, its eigenvalues enclosed in balls
    params = [f"state_A={state}", "state_B=coherent", "alpha=3", "omega_A=11/10"]
    model = get_model("jaynes-cummings")
    balls = reference_payload(model, params, "1, 15/2", dps=20)
    other = reference_payload(model, params, "1, 15/2", dps=20, number_system="mpmath")
    assert balls["number_system"] == "balls"
    for a, b in zip(balls["rows"], other["rows"]):
        for key in model.keys():
            if key in ("manifolds", "neglected_weight"):  # each route's own window
                continue
            assert consistent(a[key], _fewer(b[key], 15)), (key, a[key], b[key])
            assert " +/- " not in a[key], (key, a[key])


def test_digits_of_a_huge_exponent_are_proven_quickly():
    """e^-1e10 (decimal exponent -4.3e9): the rounding proof compares in balls beyond
    exact integers of thousands of digits, and err is a tight upper bound at any exponent
    (decimal's default Emin once clamped it to a vacuous 6.6e-999868)."""
    import time

    from flint import arb

    from symthermo.balls import ball_precision
    from symthermo.certify import format_ball

    start = time.perf_counter()
    with ball_precision(120):
        x = arb(-10**10).exp()
        text, err = format_ball(x, 15)
        exact = arb(-10**10).exp()  # the same ball: its midpoint is what is printed about
        assert float(err.split("e")[0]) > 0 and "e-4342944" in err
        printed = arb(text)
        bound = arb(err)
        # |printed - x| <= err for every point of the ball, and err is tight (< 10 ulps)
        assert (printed - exact).abs_upper() <= bound
        assert bound < arb(text) * arb("1e-14")
    assert text.startswith("9.27858442032487") and text.endswith("e-4342944820")
    assert time.perf_counter() - start < 5
