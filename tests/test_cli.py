"""The command line as other programs see it: formats, digits, errors, exit codes."""

import copy
import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import mpmath
import pytest

from symthermo.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "two_qutrits.json"


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def significant_digits(text):
    digits = Decimal(text).as_tuple().digits
    return len(digits)


class TestLedger:
    def test_json_follows_the_contract(self, capsys):
        code, out, err = run(["ledger", str(EXAMPLE), "--times", "0,1,pi/2", "--dps", "30"], capsys)
        assert code == 0 and err == ""
        payload = json.loads(out)
        assert payload["convention"] == "received" and payload["units"] == "hbar = k_B = 1"
        assert payload["dps"] == 30 and payload["method"] == "propagator"
        keys = list(payload["rows"][0])
        expected = ["t"]
        for x in "AB":
            expected += [f"{k}_{x}" for k in ("E", "S", "beta", "Eth", "Q", "W", "ergotropy", "exergy")]
        expected += ["E_int", "I_AB", "sigma_A", "sigma_B"]
        # balls (the default): every row ends with "err", the bound of each printed value
        assert payload["number_system"] == "balls" and keys[-1] == "err"
        assert keys[:-1] == expected and list(payload["rows"][0]["err"]) == expected
        for row in payload["rows"][1:]:
            for key, value in row.items():
                if key == "err":
                    continue
                assert value not in ("nan", None)
                if value not in ("0", "inf"):
                    assert significant_digits(value) == 30, (key, value)

    def test_values_are_right_to_dps_minus_5_digits(self, capsys):
        """The dps-30 output against a dps-50 run of the same command."""
        _, out30, _ = run(["ledger", str(EXAMPLE), "--times", "1/3,2", "--dps", "30"], capsys)
        _, out50, _ = run(["ledger", str(EXAMPLE), "--times", "1/3,2", "--dps", "50"], capsys)
        rows30, rows50 = json.loads(out30)["rows"], json.loads(out50)["rows"]
        with mpmath.workdps(60):
            for r30, r50 in zip(rows30, rows50):
                for key in r30:
                    if key == "err":
                        continue
                    a, b = mpmath.mpf(r30[key]), mpmath.mpf(r50[key])
                    assert abs(a - b) <= max(abs(b), mpmath.mpf(10) ** -20) * mpmath.mpf(10) ** -25, key

    def test_csv_has_the_same_keys_and_values(self, capsys):
        _, out_json, _ = run(["ledger", str(EXAMPLE), "--times", "0.5", "--dps", "20"], capsys)
        code, out_csv, _ = run(["ledger", str(EXAMPLE), "--times", "0.5", "--dps", "20", "--format", "csv"],
                               capsys)
        assert code == 0
        rows = list(csv.DictReader(io.StringIO(out_csv)))
        # CSV keeps the value columns only (no --errors); JSON rows add "err"
        assert rows == [{k: v for k, v in r.items() if k != "err"}
                        for r in json.loads(out_json)["rows"]]

    def test_provided_convention_negates_heat_and_work_only(self, capsys):
        _, a, _ = run(["ledger", str(EXAMPLE), "--times", "1", "--dps", "20"], capsys)
        _, b, _ = run(["ledger", str(EXAMPLE), "--times", "1", "--dps", "20", "--convention", "provided"],
                      capsys)
        ra, rb = json.loads(a)["rows"][0], json.loads(b)["rows"][0]
        assert json.loads(b)["convention"] == "provided"
        for key in ra:
            if key[:2] in ("Q_", "W_"):
                assert Decimal(ra[key]) == -Decimal(rb[key])
            else:
                assert ra[key] == rb[key], key

    def test_float64(self, capsys):
        code, out, _ = run(["ledger", str(EXAMPLE), "--times", "1", "--float64"], capsys)
        payload = json.loads(out)
        assert code == 0 and payload["number_system"] == "float64" and payload["dps"] == 15


def _write(tmp_path, data):
    path = tmp_path / "system.json"
    path.write_text(json.dumps(data))
    return str(path)


def _base():
    return json.loads(EXAMPLE.read_text())


BAD_SYSTEMS = [
    ("non-Hermitian H", lambda d: d["subsystems"]["A"]["H"][0].__setitem__(1, "1"), "not Hermitian"),
    ("rho not positive", lambda d: d["subsystems"]["A"].__setitem__(
        "rho0", [["3/2", "0", "0"], ["0", "-1/2", "0"], ["0", "0", "0"]]), "eigenvalue -0.5"),
    ("trace not one", lambda d: d["subsystems"]["A"].__setitem__(
        "rho0", [["1/2", "0", "0"], ["0", "1/3", "0"], ["0", "0", "1/3"]]), "unit trace, got 1.16666"),
    ("rho wrong size", lambda d: d["subsystems"]["A"].__setitem__("rho0", [["1", "0"], ["0", "0"]]),
     "dimension 2, expected 3"),
    ("coupling wrong size", lambda d: d.__setitem__("coupling", [["0", "0"], ["0", "0"]]),
     "coupling has shape 2x2, expected 9x9"),
    ("malformed number", lambda d: d["subsystems"]["B"]["H"][1].__setitem__(1, "1..0"),
     "subsystems.B.H\\[1\\]\\[1\\]: not a number: '1..0'"),
    ("boolean entry", lambda d: d["subsystems"]["B"]["H"][1].__setitem__(1, True),
     "not a number: true"),
    ("unknown key", lambda d: d.__setitem__("couplings", []), "unknown key\\(s\\) couplings"),
    ("ragged matrix", lambda d: d["subsystems"]["A"]["H"].__setitem__(2, ["0", "0"]),
     "row 2 has 2 entries"),
    ("negative rate", lambda d: d.__setitem__("lindblad", [{"rate": "-1", "operator": d["coupling"]}]),
     "non-negative"),
]


@pytest.mark.parametrize("label, mutate, message", BAD_SYSTEMS, ids=[b[0] for b in BAD_SYSTEMS])
def test_bad_systems_fail_with_one_line_and_exit_2(tmp_path, capsys, label, mutate, message):
    data = _base()
    mutate(data)
    code, out, err = run(["ledger", _write(tmp_path, data), "--times", "1"], capsys)
    assert code == 2
    assert out == ""  # nothing half-written
    assert err.startswith("error: ") and err.count("\n") == 1
    import re

    assert re.search(message, err), err


@pytest.mark.parametrize("args, message", [
    (["ledger", "no-such-file.json", "--times", "1"], "cannot read no-such-file.json"),
    (["ledger", str(EXAMPLE), "--times", "1", "--dps", "0"], "dps must be between 1 and 10000, got 0"),
    (["ledger", str(EXAMPLE), "--times", "-1"], "non-negative"),
    (["ledger", str(EXAMPLE), "--times", "1", "--convention", "sideways"], "invalid choice: 'sideways'"),
    (["ledger", str(EXAMPLE), "--times", "1", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["derive", "no-such-model"], "unknown model 'no-such-model'"),
    (["reference", "exchange", "--param", "omega_C=2", "--times", "1"], "unknown parameter 'omega_C'"),
    ([], "a command is required"),
])
def test_usage_errors(capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_lindblad_system_has_no_sigma_keys(tmp_path, capsys):
    data = {"subsystems": {"A": {"H": [["0", "0"], ["0", "1"]], "rho0": [["0", "0"], ["0", "1"]]},
                           "B": {"H": [["0", "0"], ["0", "1"]], "rho0": [["1", "0"], ["0", "0"]]}},
            "coupling": [["0", "0", "0", "0"], ["0", "0", "0.1", "0"], ["0", "0.1", "0", "0"],
                         ["0", "0", "0", "0"]],
            "lindblad": [{"rate": "0.01", "operator": [["0", "1", "0", "0"], ["0", "0", "0", "0"],
                                                       ["0", "0", "0", "1"], ["0", "0", "0", "0"]]}]}
    code, out, _ = run(["ledger", _write(tmp_path, data), "--times", "1", "--dps", "20"], capsys)
    assert code == 0
    row = json.loads(out)["rows"][0]
    assert "sigma_A" not in row and "E_int" in row and "I_AB" in row


def test_python_dash_m_and_no_traceback(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    ok = subprocess.run([sys.executable, "-m", "symthermo", "ledger", str(EXAMPLE), "--times", "1",
                         "--dps", "16"], capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["dps"] == 16
    bad = subprocess.run([sys.executable, "-m", "symthermo", "ledger", str(EXAMPLE), "--times", "x"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: ")


# -- command-line niceties ------------------------------------------------------------------


def test_version(capsys):
    from symthermo import __version__

    code, out, err = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"symthermo {__version__}" and err == ""


def _subcommands():
    import argparse

    from symthermo.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, sub.choices


def test_every_option_of_every_subcommand_has_a_one_line_help(capsys):
    parser, commands = _subcommands()
    assert set(commands) >= {"models", "derive", "reference", "ledger", "verify", "reproduce",
                             "plot"}
    for name, sub in [("", parser)] + sorted(commands.items()):
        for action in sub._actions:
            if action.dest == "help":
                continue
            assert action.help and action.help.strip(), f"{name}: {action.dest} has no help"
        code, out, err = run(([name] if name else []) + ["--help"], capsys)
        assert code == 0 and err == ""
        for action in sub._actions:
            if action.option_strings:
                flag = action.option_strings[0]  # "-h, --help" is one entry
                lines = [ln for ln in out.splitlines() if ln.strip().startswith(flag)]
                assert lines, f"{name} --help does not list {flag}"


def test_new_options_are_in_the_contract():
    text = (Path(__file__).resolve().parent.parent / "CONTRACT.md").read_text()
    for option in ("--version", "--quiet", "--force", "--no-figures", "--dpi", "--format png"):
        assert option in text, option


def _advertised_cases():
    import itertools

    from symthermo.catalogue import catalogue

    for entry in catalogue():
        choices = [[f"{p['name']}={c}" for c in p["choices"]] for p in entry["parameters"]
                   if "choices" in p]
        for combo in itertools.product(*choices):
            yield entry["model"], combo


@pytest.mark.parametrize("model, params", list(_advertised_cases()))
def test_every_value_symthermo_models_advertises_is_accepted_by_reference(capsys, model,
                                                                          params):
    args = ["reference", model, "--times", "0,1", "--float64"]
    for p in params:
        args += ["--param", p]
    code, out, err = run(args, capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert len(payload["rows"]) == 2
    for p in params:
        name, value = p.split("=")
        assert payload["params"][name] == value


def test_verify_quiet_and_non_terminal_draw_no_progress(capsys):
    from symthermo.progress import on_terminal, progress_bar

    assert not on_terminal()  # pytest captures stderr: not a terminal
    with progress_bar(5, "x") as bar:
        bar.update(5)
    assert capsys.readouterr().err == ""


def test_progress_is_drawn_on_a_terminal(monkeypatch):
    from symthermo.progress import progress_bar

    class Tty(io.StringIO):
        def isatty(self):
            return True

    fake = Tty()
    monkeypatch.setattr(sys, "stderr", fake)
    with progress_bar(4, "verify", unit="check") as bar:
        bar.update(4)
    assert "verify" in fake.getvalue() and "/4" in fake.getvalue()  # the bar was drawn
    fake2 = Tty()
    monkeypatch.setattr(sys, "stderr", fake2)
    with progress_bar(4, "verify", quiet=True) as bar:
        bar.update(4)
    assert fake2.getvalue() == ""
