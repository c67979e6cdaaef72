"""Smoke test of derivations/*.py: each script runs, exits 0 and prints its verify verdicts.

The scripts run two at a time (the machine has two cores), each under a
timeout; a script whose own derivation or verify's cross-checks fail exits
non-zero.
"""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "derivations").glob("*.py"))
#: seconds allowed per script (each is meant to take under ~30 s alone)
TIMEOUT = 120
VERDICT = re.compile(r"^\s+(EL23|SL26):\S+\s+(holds|differs|not-checked)\b", re.M)


def _run(path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        proc = subprocess.run([sys.executable, str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {TIMEOUT} s"
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def outputs():
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((p.name for p in SCRIPTS), pool.map(_run, SCRIPTS)))


def test_there_is_a_script_per_section():
    names = {p.stem for p in SCRIPTS}
    assert len(names) >= 10
    assert {"el23_second_law", "el23_refrigerator", "el23_qutrit_counterexample",
            "el23_preparation_work", "sl26_framework", "sl26_semiclassical",
            "sl26_jaynes_cummings", "sl26_qubit_qubit", "sl26_spontaneous_emission",
            "sl26_reaction_coordinate"} <= names


@pytest.mark.parametrize("name", [p.name for p in SCRIPTS])
def test_script_runs_and_prints_verdicts(outputs, name):
    code, out, err = outputs[name]
    assert code == 0, f"{name} exited {code}: {err[-3000:]}"
    assert "verify verdicts:" in out
    verdicts = VERDICT.findall(out)
    assert verdicts, f"{name} printed no verdict"
    assert "CROSS-CHECK FAILED" not in out
    # the verdicts come after the derivation steps, which print something of their own
    assert out.index("==") < out.index("verify verdicts:")
