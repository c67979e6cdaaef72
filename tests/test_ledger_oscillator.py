"""Oscillators in the ledger: analytic thermal functions, truncated propagation, leak refused."""

import json
import subprocess
import sys

import mpmath
import numpy as np
import pytest

from symthermo.ledger import fock_leak_bound, ledger, load_system
from symthermo.models import get_model
from symthermo.numbers import FLOAT64
from symthermo.tables import ledger_payload, reference_payload
from symthermo.levels import Oscillator

TIMES = ["0", "3", "7"]
JC_PARAMS = {"g": "1/10", "state_A": "plus", "state_B": "coherent", "alpha": "1/2"}


def _jc_system(levels, *, dps=None):
    """SL26 Eq. 28 with omega_A = omega_B = 1, g = 1/10: A in |+>, B coherent (alpha = 1/2).

    A's basis is (g, e) with H_A = diag(-1/2, 1/2); B's Fock space holds ``levels`` levels.
    """
    with mpmath.workdps(60):
        alpha = mpmath.mpf(1) / 2
        amplitudes = [alpha**n / mpmath.sqrt(mpmath.factorial(n)) for n in range(levels)]
        norm = mpmath.sqrt(mpmath.fsum(x**2 for x in amplitudes))   # truncated, renormalised
        amplitudes = [x / norm for x in amplitudes]
        a = mpmath.zeros(levels)
        for n in range(1, levels):
            a[n - 1, n] = mpmath.sqrt(n)
        sigma_plus = mpmath.matrix([[0, 0], [1, 0]])
        V = mpmath.mpf(1) / 10 * (_kron(sigma_plus, a) + _kron(sigma_plus.T, a.T))
        plus = [1 / mpmath.sqrt(2)] * 2
    if dps is None:
        V = np.array(V.tolist(), dtype=float)
        amplitudes = [float(x) for x in amplitudes]
        plus = [float(x) for x in plus]
    else:
        amplitudes = mpmath.matrix(amplitudes)
        plus = mpmath.matrix(plus)
    H_A = [["-1/2", 0], [0, "1/2"]] if dps is not None else np.diag([-0.5, 0.5])
    return {"A": (H_A, plus), "B": (Oscillator(1), amplitudes)}, V


def _kron(A, B):
    out = mpmath.zeros(A.rows * B.rows, A.cols * B.cols)
    for i in range(A.rows):
        for j in range(A.cols):
            if A[i, j] != 0:
                for k in range(B.rows):
                    for m in range(B.cols):
                        out[i * B.rows + k, j * B.cols + m] = A[i, j] * B[k, m]
    return out


@pytest.fixture(scope="module")
def closed_form():
    """The Jaynes-Cummings model's closed forms (a route sharing no propagation), at 30 digits."""
    return reference_payload(get_model("jaynes-cummings"), JC_PARAMS, ",".join(TIMES), dps=30)["rows"]


KEYS = ["E_A", "S_A", "beta_A", "E_B", "S_B", "beta_B", "Eth_B", "Q_B", "W_B", "ergotropy_B",
        "exergy_B", "E_int", "I_AB"]


def test_oscillator_ledger_matches_the_closed_form_at_dps(closed_form):
    # 14 levels hold the coherent state to ~1e-19 (the truncation is renormalised)
    subsystems, V = _jc_system(14, dps=15)
    result = ledger(subsystems, TIMES, coupling=V, dps=15)
    with mpmath.workdps(40):
        for row, want in zip(result, closed_form):
            for key in KEYS:
                expected = mpmath.mpf(want[key])
                if mpmath.isinf(expected):
                    assert row[key] == expected, key
                    continue
                assert abs(row[key] - expected) <= mpmath.mpf(10) ** -14 * max(1, abs(expected)), key
    assert 1e-19 < result.fock_leak["B"] < 1e-15 and "A" not in result.fock_leak
    assert result.E_B[0].dps == 15
    # 12 levels leave ~1e-15 on the top level at t = 0: refused at 15 digits
    subsystems, V = _jc_system(12, dps=15)
    with pytest.raises(ValueError, match="12 Fock levels holds population .* at t = 0.0"):
        ledger(subsystems, TIMES, coupling=V, dps=15)


def test_oscillator_ledger_matches_the_closed_form_in_float64(closed_form):
    subsystems, V = _jc_system(30)
    result = ledger(subsystems, [float(t) for t in TIMES], coupling=V)
    for key in KEYS:
        np.testing.assert_allclose(result[key], [float(r[key]) for r in closed_form],
                                   rtol=1e-9, atol=1e-11, err_msg=key)


def test_beta_uses_the_infinite_oscillator_not_the_truncated_one():
    # a 2-level block of an oscillator in a thermal-like state: beta from S(n) of the
    # infinite oscillator, not ln(p0/p1) of a qubit
    result = ledger({"B": (Oscillator(1), [["4/5", 0, 0], [0, "1/5", 0], [0, 0, 0]])}, ["0"],
                    dps=30)
    with mpmath.workdps(50):
        p1 = mpmath.mpf(1) / 5
        s = -p1 * mpmath.log(p1) - (1 - p1) * mpmath.log(1 - p1)
        n = mpmath.findroot(lambda n: (n + 1) * mpmath.log(n + 1) - n * mpmath.log(n) - s,
                            mpmath.mpf("0.3"))
        assert abs(result.beta_B[0] - mpmath.log(1 + 1 / n)) < mpmath.mpf(10) ** -28
        assert abs(result.Eth_B[0] - n) < mpmath.mpf(10) ** -28
        assert abs(result.beta_B[0] - mpmath.log(4)) > mpmath.mpf("0.1")   # the qubit's value


def test_a_small_cutoff_is_refused_naming_subsystem_levels_and_weight():
    # A excited, B in |1>: |e,1> <-> |g,2> fills |2>, the top of 3 levels, as sin^2(sqrt(2) g t)
    a = np.diag(np.sqrt([1.0, 2.0]), 1)
    sp = np.array([[0, 0], [1, 0]])
    V = 0.1 * (np.kron(sp, a) + np.kron(sp.T, a.T))
    subsystems = {"A": (np.diag([0.0, 1.0]), [0, 1]), "B": (Oscillator(1), [0, 1, 0])}
    with pytest.raises(ValueError) as info:
        ledger(subsystems, [0.0, 3.0, 7.0], coupling=V)
    message = str(info.value)
    assert "subsystem B" in message and "3 Fock levels" in message
    assert "increase levels" in message
    weight = float(message.split("population ")[1].split(" ")[0])
    assert weight == pytest.approx(np.sin(np.sqrt(2) * 0.3) ** 2, rel=1e-2)   # at t = 3


def test_the_bound_follows_the_digits():
    # B holds 1e-14 in |1>; A excited pushes part of it to |2>, the top of 3 levels
    subsystems = {"A": ([[0, 0], [0, 1]], [[0, 0], [0, 1]]),
                  "B": (Oscillator(1), [["1 - 1e-14", 0, 0], [0, "1e-14", 0], [0, 0, 0]])}
    a = np.diag(np.sqrt([1.0, 2.0]), 1)
    sp = np.array([[0, 0], [1, 0]])
    V = 0.1 * (np.kron(sp, a) + np.kron(sp.T, a.T))
    f64 = ledger(subsystems, [0.0, 5.0], coupling=V)     # ~1e-14 < 1e-12: accepted
    assert 1e-16 < f64.fock_leak["B"] < 1e-13
    assert f64.E_B[1] > f64.E_B[0]
    with pytest.raises(ValueError, match=r"3 Fock levels .* above 1e-20 \(10\^-dps at dps 20\)"):
        ledger(subsystems, ["0", "5"], coupling=V, dps=20)
    assert fock_leak_bound(FLOAT64) == 1e-12


def _json_system(levels, rho0=(("1/2", "1/2"), ("1/2", "1/2"))):
    n = levels
    V = [["0"] * (2 * n) for _ in range(2 * n)]
    for m in range(n - 1):   # |e, m> <-> |g, m + 1>, amplitude g sqrt(m + 1)
        V[n + m][m + 1] = V[m + 1][n + m] = f"1/10*sqrt({m + 1})"
    return {"subsystems": {"A": {"H": [["0", "0"], ["0", "1"]], "rho0": [["0", "0"], ["0", "1"]]},
                           "B": {"oscillator": {"omega": "1", "levels": levels},
                                 "rho0": [list(r) for r in rho0]}},
            "coupling": V}


def test_system_json_oscillator_pads_rho0_and_matches_the_python_api():
    system = load_system(_json_system(6))
    H, rho0 = system.subsystems["B"]
    assert isinstance(H, Oscillator) and len(rho0) == 6 and rho0[5][5] == "0"
    payload = ledger_payload(system, "osc.json", "0,4", dps=15)
    assert payload["subsystems"] == ["A", "B"]
    a = np.diag(np.sqrt(np.arange(1.0, 6.0)), 1)
    sp = np.array([[0, 0], [1, 0]])
    V = 0.1 * (np.kron(sp, a) + np.kron(sp.T, a.T))
    plus = np.zeros(6)
    plus[:2] = 1 / np.sqrt(2)
    direct = ledger({"A": (np.diag([0.0, 1.0]), [0.0, 1.0]), "B": (Oscillator(1), plus)},
                    [0.0, 4.0], coupling=V)
    for key in ("E_B", "S_B", "beta_B", "Eth_B", "exergy_B", "I_AB"):
        assert float(payload["rows"][1][key]) == pytest.approx(direct[1][key], rel=1e-10, abs=1e-12)


def _cli(tmp_path, system, *args):
    path = tmp_path / "system.json"
    path.write_text(json.dumps(system))
    return subprocess.run([sys.executable, "-m", "symthermo", "ledger", str(path), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_refuses_a_leaking_cutoff_with_exit_2(tmp_path):
    done = _cli(tmp_path, _json_system(3), "--times", "0,20", "--float64")
    assert done.returncode == 2
    assert done.stderr.startswith("error: subsystem B: the top of its 3 Fock levels")
    assert "increase levels" in done.stderr and "Traceback" not in done.stderr
    ok = _cli(tmp_path, _json_system(40), "--times", "0,20", "--float64", "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    header, _, last = ok.stdout.strip().split("\n")
    row = dict(zip(header.split(","), last.split(",")))
    assert float(row["E_A"]) + float(row["E_B"]) + float(row["E_int"]) == pytest.approx(1.5, abs=1e-13)


@pytest.mark.parametrize("spec, message", [
    ({"omega": "1", "levels": 1}, "levels must be an integer from 2"),
    ({"omega": "1", "levels": "40"}, 'levels must be an integer from 2 to 2000, got "40"'),
    ({"omega": "1", "levels": 10**9}, "got 1000000000"),
    ({"omega": "-1", "levels": 4}, "omega must be a positive real number, got '-1'"),
    ({"omega": "1+1j", "levels": 4}, "omega must be a positive real number"),
    ({"omega": "1", "levels": 4, "cutoff": 3}, "expected exactly the keys omega and levels"),
])
def test_bad_oscillator_specs_are_refused(spec, message):
    system = _json_system(4)
    system["subsystems"]["B"]["oscillator"] = spec
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("+", r"\+")):
        load_system(system)


def test_rho0_larger_than_levels_is_refused():
    system = _json_system(2, rho0=[["1", "0", "0"], ["0", "0", "0"], ["0", "0", "0"]])
    with pytest.raises(ValueError, match="rho0 is 3x3, more than the oscillator's 2 levels"):
        load_system(system)
