"""A numeric float64 run loads neither SymPy nor mpmath, and prints what the
SymPy route prints.  Functional checks only: speeds are measured by
benchmarks/bench_startup.py, not asserted here."""

import os
import pathlib
import subprocess
import sys

import pytest
import sympy

from symthermo.models import get_model
from symthermo.tables import reference_payload, render

ROOT = pathlib.Path(__file__).resolve().parent.parent

PROBE = """
import contextlib, io, sys
from symthermo.cli import main
from symthermo.lazy import is_loaded
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
sys.stdout.write(out.getvalue())
sys.stderr.write(f"exit={code} sympy={is_loaded('sympy')} mpmath={is_loaded('mpmath')}\\n")
"""


def _run(args, cache):
    env = dict(os.environ, SYMTHERMO_CACHE=str(cache), OPENBLAS_NUM_THREADS="1",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    return done.stdout, done.stderr.strip().splitlines()[-1]


REFERENCE = ["reference", "refrigerator", "--times", "0:10:200", "--float64", "--format", "csv"]


def test_models_loads_no_sympy(tmp_path):
    out, status = _run(["models"], tmp_path)
    assert status == "exit=0 sympy=False mpmath=False"
    assert "refrigerator" in out and "qutrit-swap" in out


def test_reference_float64_needs_sympy_only_on_the_first_run(tmp_path):
    first, status = _run(REFERENCE, tmp_path)
    assert status == "exit=0 sympy=True mpmath=True"  # derived, then cached
    second, status = _run(REFERENCE, tmp_path)
    assert status == "exit=0 sympy=False mpmath=False"
    assert second == first
    # the same text as the general route (SymPy values, SymPy times, no cache)
    times = [str(sympy.Rational(10 * k, 199)) for k in range(200)]
    general = render(reference_payload(get_model("refrigerator"), {"g": sympy.Integer(1)}, times,
                                       float64=True), "csv")
    assert first == general


ALL_MODELS = """
import contextlib, io, sys
from symthermo.cli import main
from symthermo.lazy import is_loaded
from symthermo.models import model_names
codes = []
for name in model_names():
    with contextlib.redirect_stdout(io.StringIO()):
        codes.append(main(["reference", name, "--times", "0:50:40", "--float64", "--format", "csv"]))
print(codes, is_loaded("sympy"), is_loaded("mpmath"))
"""


def test_every_model_runs_from_the_cache_without_sympy(tmp_path):
    env = dict(os.environ, SYMTHERMO_CACHE=str(tmp_path), OPENBLAS_NUM_THREADS="1",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    runs = [subprocess.run([sys.executable, "-c", ALL_MODELS], env=env, capture_output=True,
                           text=True, check=False, timeout=300).stdout.strip() for _ in range(2)]
    assert runs == ["[0, 0, 0, 0, 0, 0] True True", "[0, 0, 0, 0, 0, 0] False False"]


def test_json_params_print_as_before(tmp_path):
    args = ["reference", "refrigerator", "--param", "omega_B=2.50", "--param", "g=1/4",
            "--times", "0,1e-3,3/2", "--float64"]
    fast, status = _run(args, tmp_path)
    assert status.startswith("exit=0")
    general = render(reference_payload(get_model("refrigerator"),
                                       {"omega_B": sympy.Rational(5, 2), "g": sympy.Rational(1, 4)},
                                       ["0", "1/1000", "3/2"], float64=True), "json")
    assert fast == general
    assert '"omega_B": "5/2"' in fast


@pytest.mark.parametrize("args, message", [
    (["--param", "g=0"], "g must be > 0"),
    (["--param", "g=-1"], "g"),
    (["--param", "zz=1"], "unknown parameter 'zz'"),
])
def test_bad_input_is_still_one_line(tmp_path, args, message):
    env = dict(os.environ, SYMTHERMO_CACHE=str(tmp_path),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "symthermo", *REFERENCE, *args], env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
