"""The same sweep gives the same file serially and on a process pool (Dask: in
test_sweep_dask.py); a sweep killed with SIGKILL and run again gives the same file too."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import symthermo
from symthermo.sweep import sweep


def test_process_pool_gives_the_same_file(serial_sweep, tmp_path):
    out = tmp_path / "map.csv"
    result = sweep("refrigerator", serial_sweep.grid, serial_sweep.times, float64=True,
                   reduce=serial_sweep.reduce, workers=2, chunksize=1, out=out)
    assert out.read_text() == serial_sweep.text
    assert result.rows == serial_sweep.result.rows


def _cli(out, *extra):
    env = dict(os.environ, PYTHONPATH=str(Path(symthermo.__file__).resolve().parents[1]))
    return subprocess.Popen(
        [sys.executable, "-m", "symthermo", "sweep", "refrigerator", "--grid", "beta_B=1:2.5:16",
         "--grid", "omega_B=1.2:2:5", "--times", "0:8:17", "--float64", "--keys", "Q_A,cop",
         "--workers", "1", "--out", str(out), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_killed_sweep_resumes_to_the_same_file(tmp_path):
    clean = tmp_path / "clean.csv"
    sweep("refrigerator", {"beta_B": "1:2.5:16", "omega_B": "1.2:2:5"}, "0:8:17", float64=True,
          keys=["Q_A", "cop"], workers=1, out=clean)
    out = tmp_path / "out.csv"
    proc = _cli(out, "--quiet")
    deadline = time.monotonic() + 120
    rows = 0
    while time.monotonic() < deadline and proc.poll() is None:
        rows = out.read_text().count("\n") - 1 if out.exists() else 0
        if rows >= 5 * 17:  # five tasks written
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    partial = out.read_text()
    assert 0 < partial.count("\n") - 1 < 80 * 17
    resumed = _cli(out)
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    skipped = int(stderr.split(" skipped")[0].rsplit(", ", 1)[1])
    assert skipped >= 5 and f"80 tasks: {80 - skipped} done (0 failed)" in stderr
    assert out.read_text() == clean.read_text()
