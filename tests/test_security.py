"""Untrusted input: every entry point refuses code, absurd sizes and bad values quickly.

Each payload is tried on every entry point of user text (``reference
--times`` and ``--param``, ``derive --param``, ``ledger --times``, a
SYSTEM.json matrix entry and Lindblad rate, the Python API) through
``symthermo.cli.main`` in a scratch working directory: exit code 2, one
``error:`` line naming the value, no file created, well under 5 s.
"""

import json
import math
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symthermo.cli import main
from symthermo.exact_numbers import ExactComplex
from symthermo.expressions import MAX_DIGITS, parse_expression, parse_number
from symthermo.times import MAX_COUNT, parse_times

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 5.0

# Python that would write a file (or worse) if anything evaluated it
CODE = [
    '(__import__("os").system("touch pwned") or 1)',
    "__import__('os').system('touch pwned')",
    'open("pwned", "w")',
    "exec('open(1)')",
    "eval('1')",
    "().__class__",
    "().__class__.__base__.__subclasses__()",
    "[].__class__.__base__",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "{x: 1 for x in (1,)}",
    "(lambda: 1)()",
    "lambda: 1",
    "(x := 1)",
    "*[1]",
    "E.exp",
    "pi.evalf",
    "__builtins__",
    "__import__",
    "_",
    "globals()",
    "getattr(1, 'real')",
    "Symbol('x')",
    "Integer(1)",
    "1 if 1 else 2",
    "1 and 2",
    "not 1",
    "1 < 2",
    "1 | 2",
    "1 @ 2",
    "~1",
    "f'{1}'",
    "b'1'",
    "'1'",
    "...",
    "True",
    "None",
    "1; 2",
    "1\n2",
    "1 # comment",
    "sin(1, 2)",
    "sin(x=1)",
    "sqrt",
    "ｐｉ",  # fullwidth letters: Python's NFKC would read them as pi
    "１",
    "__ｉmport__('os')",
    "1\u202e",  # right-to-left override
    "1\x00",
    "2−1",  # unicode minus
]
# each would run for minutes or exhaust memory if computed
HUGE = [
    "10**10**10",
    "factorial(10**9)",
    "factorial(100000)",
    "exp(10**10)",
    "exp(exp(exp(exp(1))))",
    "cosh(10**7)",
    "2**10**5",
    "pi**10**6",
    "(10**4000)**10000",
    "sin(10**100000)",
    "1e999999999",
    "1e-999999999",
    "9" * 10**5,
    "9" * 5000,
    "0." + "9" * 5000,
    "(" * 10**5 + "1" + ")" * 10**5,
    "(" * 150 + "1" + ")" * 150,
    "-" * 10**5 + "1",
    "-" * 200 + "1",
    "1+" * 10**4 + "1",
    "+".join(["sqrt(2)"] * 400),
    "*".join(f"sqrt(10**300+{2 * k + 1})" for k in range(10)),  # SymPy factors the product
    "sqrt(10**4000+1)",
    "3**9999",
    "x" * 10**6,
]
# not finite, not a number, or ambiguous
INVALID = ["nan", "inf", "-inf", "oo", "1/0", "0**-1", "log(0)", "tan(pi/2)", "pi/3j", "", "  ",
           "1..0", "0x10", "1_000", "1e", "e1", "unknown_name"]
PAYLOADS = CODE + HUGE + INVALID


def _names_value(err, payload):
    """The error line quotes the value (or, for a very long one, its beginning)."""
    text = payload.strip()
    if not text:
        return "empty" in err or "''" in err or "needs a value" in err
    head = repr(text)[1:13]
    return head in err or text[:12] in err


def _system(entry="1", rate="0.01"):
    return {"subsystems": {"A": {"H": [["0", "0"], ["0", entry]], "rho0": [["0", "0"], ["0", "1"]]},
                           "B": {"H": [["0", "0"], ["0", "1"]], "rho0": [["1", "0"], ["0", "0"]]}},
            "coupling": [["0", "0", "0", "0"], ["0", "0", "0.1", "0"],
                         ["0", "0.1", "0", "0"], ["0", "0", "0", "0"]],
            "lindblad": [{"rate": rate, "operator": [["0", "1", "0", "0"], ["0", "0", "0", "0"],
                                                     ["0", "0", "0", "0"], ["0", "0", "0", "0"]]}]}


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """An empty working directory, and a separate one for the SYSTEM.json files."""
    work = tmp_path / "work"
    work.mkdir()
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.chdir(work)
    return work, files


def _run(args, capsys):
    start = time.perf_counter()
    code = main(args)
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    return code, out, err, elapsed


def _refused(args, capsys, work, payload):
    code, out, err, elapsed = _run(args, capsys)
    assert code == 2, (args, out[:200], err)
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert len(err) < 600, err  # one readable line, even for a 10^6-character payload
    assert _names_value(err, payload), err
    assert list(work.iterdir()) == [], "a payload created a file"
    assert elapsed < SECONDS, f"{elapsed:.1f} s for {args!r:.200}"
    return err


ENTRY_POINTS = {
    # --times=VALUE: argparse would read a value starting with '-' as an option
    "reference --times": lambda p, files: ["reference", "refrigerator", f"--times={p}",
                                           "--float64"],
    "reference --times (dps)": lambda p, files: ["reference", "refrigerator", f"--times=0,{p}"],
    "reference --param": lambda p, files: ["reference", "refrigerator", "--param", f"g={p}",
                                           "--times", "1", "--float64"],
    "derive --param": lambda p, files: ["derive", "exchange", "--param", f"g={p}"],
    "ledger --times": lambda p, files: ["ledger", _write(files, _system()), f"--times={p}"],
    "ledger entry": lambda p, files: ["ledger", _write(files, _system(entry=p)), "--times", "1"],
    "ledger rate": lambda p, files: ["ledger", _write(files, _system(rate=p)), "--times", "1",
                                     "--float64"],
}


def _write(files, system):
    path = files / f"system{len(list(files.iterdir()))}.json"
    path.write_text(json.dumps(system))
    return str(path)


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_payload_is_refused_on_every_entry_point(entry, scratch, capsys):
    work, files = scratch
    for payload in PAYLOADS:
        if "--times" in entry and "," in payload:
            continue  # a comma splits --times: tested as parts below
        if entry == "reference --param" and payload.strip() == "":
            continue  # "g=" is refused as "g needs a value" (covered by test_cli)
        _refused(ENTRY_POINTS[entry](payload, files), capsys, work, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_python_api_refuses_before_computing(payload):
    start = time.perf_counter()
    for read in (parse_number, parse_expression):
        with pytest.raises(ValueError):
            read(payload)
    with pytest.raises(ValueError):
        parse_times(payload, {})
    assert time.perf_counter() - start < SECONDS


def test_propagator_reads_entries_by_the_same_grammar():
    from symthermo.propagator import evolve

    for payload in ["().__class__", "10**10**10", "E.exp", "nan", "9" * 10**5]:
        with pytest.raises(ValueError, match="H\\[0, 1\\]: cannot read"):
            evolve([[0, payload], [payload, 0]], [[1, 0], [0, 0]], [1])
    # the grammar's expressions, exactly, in both number systems
    rho = evolve([[0, "sqrt(2)/2"], ["sqrt(2)/2", 0]], [[1, 0], [0, 0]], ["pi/sqrt(2)"], dps=30)[0]
    assert abs(rho[1, 1] - 1) < mpmath.mpf(10) ** -25  # a full Rabi flip at t = pi/(2 * H_01)


class TestSubprocess:
    """The command as other programs run it: no traceback, nothing written, exit 2."""

    @pytest.mark.parametrize("args", [
        ["reference", "refrigerator", "--times", '(__import__("os").system("touch pwned") or 1)'],
        ["reference", "refrigerator", "--param", "g=().__class__.__base__", "--times", "1"],
        ["ledger", "/dev/zero", "--times", "1"],
    ])
    def test_refused(self, args, tmp_path):
        env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "symthermo", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert list(tmp_path.iterdir()) == []
        assert time.perf_counter() - start < 4 * SECONDS  # a fresh interpreter imports first


class TestSystemFiles:
    def test_dev_zero_and_fifo_are_refused_without_reading(self, scratch, capsys):
        work, files = scratch
        fifo = files / "fifo.json"
        os.mkfifo(fifo)
        for path in ["/dev/zero", str(fifo), str(files)]:
            err = _refused(["ledger", path, "--times", "1"], capsys, work, path)
            assert "cannot read" in err

    def test_binary_and_oversized_files_name_the_file(self, scratch, capsys):
        work, files = scratch
        binary = files / "binary.json"
        binary.write_bytes(b'{"subsystems": \xff\xfe}')
        err = _refused(["ledger", str(binary), "--times", "1"], capsys, work, str(binary))
        assert "not UTF-8 text (byte 0xff at offset 15)" in err
        big = files / "big.json"
        big.write_bytes(b" " * (10 * 2**20 + 1))
        err = _refused(["ledger", str(big), "--times", "1"], capsys, work, str(big))
        assert "larger than the limit" in err

    def test_deep_json_and_huge_numbers(self, scratch, capsys):
        work, files = scratch
        deep = files / "deep.json"
        deep.write_text("[" * 10**5 + "]" * 10**5)
        _refused(["ledger", str(deep), "--times", "1"], capsys, work, str(deep))
        # a JSON number is read from its text: 10^5 digits are refused, not converted
        path = files / "digits.json"
        path.write_text(json.dumps(_system()).replace('"0.01"', "9" * 10**5))
        err = _refused(["ledger", str(path), "--times", "1"], capsys, work, "99999")
        assert "lindblad[0].rate" in err

    def test_large_dimension_is_refused_before_reading_entries(self, scratch, capsys):
        work, files = scratch
        d = 65
        system = {"subsystems": {"A": {"H": [["0"] * d] * d, "rho0": [["0"] * d] * d}},
                  "lindblad": [{"rate": "1", "operator": [["0"] * d] * d}]}
        path = _write(files, system)
        err = _refused(["ledger", path, "--times", "1"], capsys, work, path)
        assert "joint dimension 65 exceeds the limit 64" in err

    @pytest.mark.parametrize("rate", ["0.01j", "-0.01", "0.01+0.01j", "-sqrt(2)"])
    def test_rate_must_be_real_and_non_negative(self, rate, scratch, capsys):
        work, files = scratch
        err = _refused(["ledger", _write(files, _system(rate=rate)), "--times", "1"], capsys,
                       work, rate)
        assert "lindblad[0].rate" in err and "non-negative real" in err


class TestTimes:
    def test_a_huge_range_is_refused_at_once(self, scratch, capsys):
        work, _ = scratch
        for text in ["0:1:1000000000", f"0:1:{MAX_COUNT + 1}", "0:1:" + "9" * 1000,
                     "0:1:500000,0:1:500001"]:
            err = _refused(["reference", "refrigerator", "--times", text, "--float64"], capsys,
                           work, text)
            assert f"exceed the limit {MAX_COUNT}" in err

    def test_ranges_are_lazy_and_exact(self):
        start = time.perf_counter()
        times = parse_times(f"0:1:{MAX_COUNT}", {})
        assert time.perf_counter() - start < 0.5  # nothing expanded
        assert len(times) == MAX_COUNT
        assert times[MAX_COUNT // 2] == Fraction(MAX_COUNT // 2, MAX_COUNT - 1)
        assert times[-1] == 1 and times[0] == 0
        # with parameters: the k-th time of pi/g's range, exactly
        import sympy

        g = sympy.Rational(1, 7)
        ts = parse_times("0:pi/g:5", {"g": g})
        assert ts[3] - sympy.Rational(3, 4) * 7 * sympy.pi == 0

    def test_plain_numbers_do_not_import_sympy(self):
        code = ("import sys\n"
                "from symthermo.expressions import parse_expression, parse_number\n"
                "from symthermo.times import parse_times\n"
                "assert parse_expression('2.5') * 2 == 5 and parse_number('1e-3') * 1000 == 1\n"
                "assert parse_expression('1/3 + 0.2j*j') == parse_expression('2/15')\n"
                "assert len(parse_times('0:10:1000, 2**-3, 1e400', {})) == 1002\n"
                "assert 'sympy' not in sys.modules, 'sympy imported'\n")
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr


class TestMessages:
    """Input the code used to mishandle: now a correct value, or exit 2 naming the value."""

    @pytest.mark.parametrize("extra", [["--float64"], ["--dps", "20"],
                                       ["--method", "propagator", "--dps", "20"]])
    def test_equal_temperatures_give_an_infinite_carnot_bound(self, extra, capsys):
        code, out, err, _ = _run(["reference", "refrigerator", "--param", "beta_A=1.8",
                                  "--times", "0,1", "--format", "json", *extra], capsys)
        assert code == 0 and err == ""
        rows = json.loads(out)["rows"]
        assert [r["carnot"] for r in rows] == ["inf", "inf"]

    def test_carnot_bound_is_exact_from_the_parameters(self, capsys):
        # beta_B/(beta_A - beta_B) = 1.8/0.2 = 9: float64 used to print 9.00000000000003
        code, out, err, _ = _run(["reference", "refrigerator", "--times", "1", "--float64",
                                  "--format", "json"], capsys)
        assert code == 0 and json.loads(out)["rows"][0]["carnot"].startswith("9.0000000000000")
        assert json.loads(out)["rows"][0]["carnot"] == "9.00000000000000"

    @pytest.mark.parametrize("args, named", [
        (["reference", "refrigerator", "--times", "nan"], "'nan'"),
        (["reference", "refrigerator", "--param", "g=nan", "--times", "1"], "'nan'"),
        (["reference", "refrigerator", "--times", "E.exp"], "'E.exp'"),
        (["reference", "refrigerator", "--times", "1e400", "--float64"], "'1e400'"),
        (["reference", "refrigerator", "--times", "1e300", "--float64"], "1e+300' is beyond float64"),
        (["reference", "refrigerator", "--times=-1"], "'-1'"),
        (["reference", "refrigerator", "--times", "1+j"], "'1+j'"),
        (["reference", "refrigerator", "--param", "g=-2", "--times", "1"], "'-2'"),
        (["reference", "refrigerator", "--param", "g=omega_B", "--param", "omega_B=g",
          "--times", "1"], "g, omega_B"),
        (["reference", "refrigerator", "--param", "g=2**omega_A", "--param", "omega_A=1e300",
          "--times", "1"], "exponent"),
        (["reference", "refrigerator", "--param", "g=1e-200", "--times", "1", "--float64"],
         "parameter g = 1e-200 is outside float64's working range"),
    ])
    def test_bad_values_exit_2_naming_them(self, args, named, scratch, capsys):
        code, out, err, elapsed = _run(args, capsys)
        assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1
        assert named in err, err
        assert elapsed < SECONDS

    def test_parameters_that_would_stall_sympy_are_refused(self, scratch, capsys):
        for value, named in [("10**4000", "exact number of 13288 bits exceeds the limit 1024"),
                             ("cos(pi/120)", "operations (as SymPy evaluates it) exceed")]:
            code, out, err, elapsed = _run(["reference", "refrigerator", "--param",
                                            f"g={value}", "--times", "1"], capsys)
            assert code == 2 and named in err and value in err, err
            assert elapsed < SECONDS

    @pytest.mark.parametrize("entry, float64, named", [
        ("1e400", True, "subsystems.A.H[1][1] '1e400' is too large for float64"),
        ("E.exp", True, "subsystems.A.H[1][1]: not a number: 'E.exp'"),
        ("E.exp", False, "subsystems.A.H[1][1]: not a number: 'E.exp'"),
        ("1e300", True, "subsystems.A.H[1][1] '1e300' is too large for float64 arithmetic"),
    ])
    def test_bad_matrix_entries(self, entry, float64, named, scratch, capsys):
        work, files = scratch
        system = _system(entry=entry)
        del system["lindblad"]
        for times in ["0", "1"]:
            args = ["ledger", _write(files, system), "--times", times] + (
                ["--float64"] if float64 else [])
            code, out, err, _ = _run(args, capsys)
            assert code == 2 and named in err, err

    def test_float64_time_beyond_resolution_names_the_time(self, scratch, capsys):
        work, files = scratch
        system = _system(entry="1e100")
        del system["lindblad"]
        code, out, err, _ = _run(["ledger", _write(files, system), "--times", "0,1e-80",
                                  "--float64"], capsys)
        assert code == 2 and "time '1e-80' is beyond float64" in err, err

    def test_1e400_is_a_number_at_mpmath_precision(self, scratch, capsys):
        work, files = scratch
        system = _system(entry="1e400")
        del system["lindblad"]
        # (balls cannot enclose it and refuse with exit 2; mpmath's two precisions agree)
        code, out, err, _ = _run(["ledger", _write(files, system), "--times", "1", "--dps", "15",
                                  "--number-system", "mpmath"], capsys)
        assert code == 0 and err == ""
        row = json.loads(out)["rows"][0]
        # A starts excited in H_A = diag(0, 1e400) and the coupling cannot move it off
        # resonance by 10^400: E_A = 1e400 to every printed digit
        assert mpmath.mpf(row["E_A"]) == mpmath.mpf(10) ** 400

    def test_float64_late_decay_is_exact_and_silent(self, capsys):
        # t = 1e5, gamma = 0.01: P_e = exp(-1000) = 5.1e-435 underflows float64, so the row
        # is recomputed certified (it printed P_e = 0); E = -1/2 + P_e, the thermal state
        # is the state itself (P_e < 1/2): Q = P_e, W = Delta E - Q = -1 (received)
        code, out, err, _ = _run(["reference", "spontaneous-emission", "--times", "1e5",
                                  "--float64", "--format", "json"], capsys)
        assert code == 0 and err == ""
        payload = json.loads(out)
        row = payload["rows"][0]
        assert payload["recomputed_with_balls"] == [row["t"]]
        with mpmath.workdps(40):
            p_e = mpmath.exp(-1000)
            assert mpmath.mpf(row["P_e"]) / p_e - 1 < 1e-14
            assert row["E_A"] == row["Eth_A"] == "-0.500000000000000"
            assert row["W_A"] == "-1.00000000000000"
            # Q = P_e: its digits, or a bound that holds it (never a plain 0)
            if " +/- " in row["Q_A"]:
                mid, rad = row["Q_A"].split(" +/- ")
                assert abs(mpmath.mpf(mid) - p_e) <= mpmath.mpf(rad)
            else:
                assert abs(mpmath.mpf(row["Q_A"]) / p_e - 1) < 1e-14


class TestGrammar:
    def test_exact_literals(self):
        assert parse_expression("0.1") == Fraction(1, 10)
        assert parse_expression("1e400") == 10**400
        assert parse_expression("1e-400") == Fraction(1, 10**400)
        assert parse_expression(".5e1") == 5
        assert parse_expression("0.2+0.1j") == ExactComplex(Fraction(1, 5), Fraction(1, 10))
        assert parse_expression("2^3") == 8 and parse_expression("2*3^2") == 18
        assert parse_expression("-j*j") == 1
        assert parse_expression("1/(3j)") == ExactComplex(0, Fraction(-1, 3))
        assert parse_expression("0+6/23j") == ExactComplex(0, Fraction(6, 23))  # as SYSTEM.json
        assert parse_expression(" 4 ") == 4
        assert parse_expression("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)

    def test_bound_names_are_values_never_text(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        with pytest.raises(ValueError, match="cannot be evaluated"):
            parse_expression("2*g", {"g": 'open("pwned", "w")'})
        assert list(tmp_path.iterdir()) == []
        assert parse_expression("2*g", {"g": 0.1}) == Fraction(1, 5)  # a float by its decimal

    def test_limits_are_stated_in_the_message(self):
        for text, limit in [("10**10001", "10000"), ("factorial(1001)", "1000"),
                            ("exp(1000001)", "1000000"), ("9" * (MAX_DIGITS + 1), str(MAX_DIGITS)),
                            ("(" * 101 + "1" + ")" * 101, "100")]:
            with pytest.raises(ValueError, match=f"limit {limit}|exceeds {limit}|to {limit}"):
                parse_expression(text)

    def test_symbolic_values_agree_with_mpmath(self):
        with mpmath.workdps(40):
            for text, reference in [
                ("sqrt(2)*exp(-1)", mpmath.sqrt(2) * mpmath.exp(-1)),
                ("pi/(4*g)", mpmath.pi / 8),
                ("log(2)/gamma", mpmath.log(2) * 100),
                ("atan(1) + asin(1/2) - acos(0)", mpmath.pi / 4 + mpmath.pi / 6 - mpmath.pi / 2),
                ("tanh(1/2) + sinh(1) * cosh(2) - abs(-3) + ln(3)",
                 mpmath.tanh(0.5) + mpmath.sinh(1) * mpmath.cosh(2) - 3 + mpmath.log(3)),
                ("factorial(20)/E**3", mpmath.factorial(20) / mpmath.e ** 3),
            ]:
                import sympy

                value = parse_expression(text, {"g": sympy.Integer(2),
                                                "gamma": sympy.Rational(1, 100)})
                exact = sympy.N(value, 45)
                assert abs(exact - sympy.Float(reference, 45)) < 1e-36 * abs(exact), text

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(st.fractions(min_value=-99, max_value=99, max_denominator=50),
                              st.sampled_from("+-*/")), min_size=1, max_size=8))
    def test_rational_arithmetic_matches_fractions(self, terms):
        # the text is evaluated left to right with explicit parentheses; Fraction is the
        # independent route
        text, expected = f"({terms[0][0]})", terms[0][0]
        for q, op in terms[1:]:
            if op == "/" and q == 0:
                continue
            text = f"({text}{op}({q}))"
            expected = {"+": expected + q, "-": expected - q, "*": expected * q,
                        "/": expected / q if q else expected}[op]
        assert parse_expression(text) == expected

    @settings(max_examples=40, deadline=None)
    @given(st.complex_numbers(max_magnitude=1e6, allow_nan=False, allow_infinity=False),
           st.complex_numbers(max_magnitude=1e6, allow_nan=False, allow_infinity=False))
    def test_complex_arithmetic_matches_python(self, a, b):
        text_a = f"({a.real!r}+({a.imag!r})*j)"
        text_b = f"({b.real!r}+({b.imag!r})*j)"
        for op in "+-*":
            value = complex(parse_expression(f"{text_a}{op}{text_b}"))
            expected = {"+": a + b, "-": a - b, "*": a * b}[op]
            assert abs(value - expected) <= 1e-12 * (abs(expected) + abs(a) * abs(b) + 1)
