"""The float64 ledger prints 15 digits and the contract promises at least 10 of them
correct: every value against the certified ball route (`--dps 30`), at small times
(increments and entropies of nearly pure states cancel) and ordinary ones, for the
examples and for random small systems (two qubits, a random Hermitian coupling, with
and without a Lindblad term).  Rows whose float64 values would not earn their digits
are recomputed on balls (symthermo.ledger_fallback) and listed in the payload."""

import math
from pathlib import Path

import numpy as np
import pytest
from mpmath import mp, mpf

from symthermo.ledger import ledger, load_system
from symthermo.ledger_fallback import EARNED, unearned
from symthermo.tables import ledger_payload

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMES = "1e-9,1e-6,1e-3,0.5,3"


def random_system(seed, *, lindblad):
    """Two qubits with random levels, random mixed initial states and a random Hermitian
    coupling, entries as exact 4-digit decimals; optionally a decay of A."""
    rng = np.random.default_rng(seed)

    def dec(x):
        return f"{x:.4f}"

    def cx(z):
        return f"{z.real:.4f}{z.imag:+.4f}j"

    def state():
        p = round(rng.uniform(0.05, 0.95), 4)
        c = rng.uniform(0, 0.9) * math.sqrt(p * (1 - p)) * np.exp(2j * np.pi * rng.uniform())
        c = complex(round(c.real, 4), round(c.imag, 4))
        return [[dec(p), cx(c)], [cx(c.conjugate()), dec(1 - p)]]

    M = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    M = np.round((M + M.conj().T) / 4, 4)
    coupling = [[dec(M[i, i].real) if i == j else cx(M[i, j]) for j in range(4)]
                for i in range(4)]
    system = {"subsystems": {x: {"H": [["0", "0"], ["0", dec(rng.uniform(0.5, 2))]],
                                 "rho0": state()} for x in "AB"},
              "coupling": coupling}
    if lindblad:
        decay = [["0", "0", "1", "0"], ["0", "0", "0", "1"], ["0"] * 4, ["0"] * 4]
        system["lindblad"] = [{"rate": dec(rng.uniform(0.01, 0.3)), "operator": decay}]
    return system


SYSTEMS = {
    "two_qutrits": lambda: load_system(EXAMPLES / "two_qutrits.json"),
    "qubit_oscillator_exchange": lambda: load_system(EXAMPLES / "qubit_oscillator_exchange.json"),
    "random_unitary": lambda: load_system(random_system(2, lindblad=False)),
    "random_unitary_11": lambda: load_system(random_system(11, lindblad=False)),
    "random_lindblad": lambda: load_system(random_system(7, lindblad=True)),
    "random_lindblad_13": lambda: load_system(random_system(13, lindblad=True)),
}


@pytest.mark.parametrize("name", list(SYSTEMS))
def test_float64_ledger_digits_against_balls(name, correct_digits):
    system = SYSTEMS[name]()
    fast = ledger_payload(system, name, TIMES, float64=True)
    proven = ledger_payload(system, name, TIMES, dps=30)["rows"]
    assert fast["number_system"] == "float64"
    checked = 0
    for a, b in zip(fast["rows"], proven):
        for key, value in b.items():
            if key in ("t", "err") or " +/- " in value:
                continue
            checked += 1
            # structural zeros and infinities identical, every other value 10 digits
            assert correct_digits(a[key], value) >= 10, (name, b["t"], key, a[key], value)
    assert checked >= 5 * len(proven)
    # the listed rows are the recomputed ones: at t = 1e-9 some value always cancels
    assert fast["recomputed_with_balls"][0] == fast["rows"][0]["t"]
    assert set(fast["recomputed_with_balls"]) <= {r["t"] for r in fast["rows"]}


def test_rows_that_earn_their_digits_stay_float64():
    """At ordinary times of a random system the float64 values keep their digits: no
    row is recomputed, and the printed values are the float64 ones."""
    system = load_system(random_system(2, lindblad=False))
    fast = ledger_payload(system, "random", "2,2.5,3", float64=True)
    assert fast["recomputed_with_balls"] == []


def test_error_estimate_covers_the_actual_error():
    """The estimate is conservative: at least the actual error of every float64 value
    (against 30 proven digits), and what it flags includes every value that lost digits."""
    from symthermo.ledger import ledger_rows
    from symthermo.numbers import FLOAT64

    system = load_system(random_system(5, lindblad=True))
    times = [1e-6, 1e-3, 0.5, 1.5, 4.0]
    rows = ledger_rows(system, times, lib=FLOAT64)
    proven = ledger_payload(system, "random", "1e-6,1e-3,0.5,1.5,4", dps=30)["rows"]
    compared = 0
    for row, ref in zip(rows, proven):
        errors = row["_internal"]["errors"]
        flagged = unearned(row, errors)
        for key, value in ref.items():
            if key in ("t", "err") or " +/- " in value or value in ("inf", "-inf"):
                continue
            with mp.workdps(60):
                actual = float(abs(mpf(float(row[key])) - mpf(value)))
            compared += 1
            assert actual <= errors[key], (row["t"], key, row[key], value, errors[key])
            if actual > EARNED * abs(float(value)):
                assert key in flagged, (row["t"], key)
    assert compared > 40


def test_python_api_recomputes_the_same_rows(correct_digits):
    """symthermo.ledger (float64) replaces unearned rows by the balls' values as floats
    and lists their times in ``result.recomputed``."""
    H = np.diag([0.0, 1.0])
    V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    plus = np.full((2, 2), 0.5)
    r = ledger({"A": (H, np.diag([0.0, 1.0])), "B": (H, plus)}, [1e-6, 2.0], coupling=V)
    assert r.recomputed == [1e-6]
    with mp.workdps(30):  # W_A at g t = 1e-7 from the exact closed form of the exchange
        proven = ledger_payload(load_system({
            "subsystems": {"A": {"H": [["0", "0"], ["0", "1"]], "rho0": [["0", "0"], ["0", "1"]]},
                           "B": {"H": [["0", "0"], ["0", "1"]],
                                 "rho0": [["1/2", "1/2"], ["1/2", "1/2"]]}},
            "coupling": [["0"] * 4, ["0", "0", "0.1", "0"], ["0", "0.1", "0", "0"], ["0"] * 4]}),
            "x", "1e-6", dps=30)["rows"][0]
    for key in ("Q_A", "W_A", "S_A", "I_AB"):
        assert correct_digits(repr(float(r[key][0])), proven[key]) >= 14, (key, r[key][0], proven[key])


def test_cli_lists_the_recomputed_rows_and_keeps_csv_columns(capsys):
    """`symthermo ledger --float64`: the JSON lists the recomputed rows' t (the float64
    text), and their values are the certified route's at 15 digits; CSV has the same
    columns as before."""
    import json

    from symthermo.cli import main

    example = str(EXAMPLES / "two_qutrits.json")
    assert main(["ledger", example, "--times", "1e-6,3", "--float64"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["recomputed_with_balls"] == ["1.00000000000000e-6"]
    assert main(["ledger", example, "--times", "1e-6", "--dps", "15"]) == 0
    proven = json.loads(capsys.readouterr().out)["rows"][0]
    assert {k: v for k, v in payload["rows"][0].items() if k != "t"} == {
        k: v for k, v in proven.items() if k not in ("t", "err")}
    assert main(["ledger", example, "--times", "1e-6,3", "--float64", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header == list(payload["rows"][0])
