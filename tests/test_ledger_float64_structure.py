"""float64 and mpmath ledgers use the structure the ball route proves: E_int(t) = E_int(0)
when [H_1 + ... + H_N, V] = 0 exactly, so a conserved coupling energy of 0 prints 0 (not a
propagation residue of 1e-17), and a coupling that does not commute is left alone."""

import json

import pytest

from symthermo.cli import main

QUBIT_H = [["0", "0"], ["0", "1"]]


def _system(tmp_path, omega_b):
    system = {"subsystems": {
        "A": {"H": QUBIT_H, "rho0": [["1/4", "0"], ["0", "3/4"]]},
        "B": {"H": [["0", "0"], ["0", omega_b]], "rho0": [["1", "0"], ["0", "0"]]}},
        # g (sigma_+ sigma_- + h.c.): commutes with H_A + H_B only at resonance
        "coupling": [["0", "0", "0", "0"], ["0", "0", "1/5", "0"],
                     ["0", "1/5", "0", "0"], ["0", "0", "0", "0"]]}
    path = tmp_path / f"system_{omega_b}.json"
    path.write_text(json.dumps(system), encoding="utf-8")
    return str(path)


def _rows(path, capsys, *flags):
    assert main(["ledger", path, "--times", "0,1e-6,0.3,2,7", "--format", "json", *flags]) == 0
    return json.loads(capsys.readouterr().out)["rows"]


@pytest.mark.parametrize("flags", [["--float64"], ["--dps", "20", "--number-system", "mpmath"]])
def test_conserved_coupling_energy_is_exact(tmp_path, capsys, flags):
    resonant = _system(tmp_path, "1")
    proven = _rows(resonant, capsys, "--dps", "20")
    rows = _rows(resonant, capsys, *flags)
    for a, b in zip(rows, proven):
        assert b["E_int"] == "0"  # the ball route proves it
        assert a["E_int"] == "0", (flags, a["t"], a["E_int"])
    # detuned, [H0, V] != 0: E_int moves and is computed from rho(t)
    detuned = _rows(_system(tmp_path, "1.7"), capsys, *flags)
    assert any(abs(float(r["E_int"])) > 1e-6 for r in detuned)
