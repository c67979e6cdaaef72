"""Tiny and huge values of every parameter of every model, on every number system.

1e-10 and 1e10 are valid physical inputs (a nearly degenerate qubit, a very strong
coupling): symthermo computes them (exit 0, finite or ``inf`` values, never ``nan``) or
answers one line ``error: ...`` naming the parameter, exit 2.  Never a traceback, never
exit 1.
"""

import pytest

from symthermo.cli import main
from symthermo.models import get_model, model_names

SYSTEMS = {"float64": ["--float64"], "balls": ["--dps", "10"],
           "mpmath": ["--dps", "10", "--number-system", "mpmath"]}
CASES = [(name, p.name, value, system)
         for name in model_names()
         for p in get_model(name).parameters if not p.choices
         for value in ("1e-10", "1e10")
         for system in SYSTEMS]


@pytest.mark.parametrize("model,param,value,system", CASES,
                         ids=[f"{m}-{p}={v}-{s}" for m, p, v, s in CASES])
def test_extreme_parameter(model, param, value, system, capsys):
    # (spontaneous emission at gamma = 1e10 prints P_e = e^-1e10 ~ 9.3e-4342944820: the
    # proof of its digits once built 10^4342944820 exactly and ran for hours)
    extra = ["--param", "state_B=coherent"] if param == "alpha" else []
    code = main(["reference", model, "--param", f"{param}={value}", *extra, "--times", "1",
                 "--format", "csv", *SYSTEMS[system]])
    out, err = capsys.readouterr()
    if code == 0:
        header, row = out.strip().splitlines()
        values = row.split(",")
        assert len(values) == len(header.split(","))
        assert not any("nan" in v.lower() for v in values), row
    else:
        assert code == 2, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert param in lines[0], lines[0]


@pytest.mark.parametrize("energies,degeneracy", [
    (["-5e-11", "5e-11"], 1),           # a qubit of gap 1e-10 (was merged: max(1, |E|))
    (["0", "1", "1e10"], 1),            # levels 0 and 1 beside 1e10 (were merged at dps 10)
    (["0", "1e-25", "1e10"], 2),        # a degenerate ground with rounding-sized noise
    (["2", "2", "3"], 2),
])
def test_mpmath_ground_degeneracy_at_dps_10(energies, degeneracy):
    import mpmath

    from symthermo.numbers import MPMATH
    from symthermo.precision import working_precision
    from symthermo.levels import levels_of

    with working_precision(10):
        H = mpmath.diag([mpmath.mpf(e) for e in energies])
        assert levels_of(H, MPMATH).ground_degeneracy == degeneracy


@pytest.mark.parametrize("gamma", ["0.006227", "0.0123457", "1.23456789e-3"])
@pytest.mark.parametrize("system", ["--float64", "--dps=15"])
def test_a_decay_rate_with_many_digits_is_quick(gamma, system, tmp_path):
    """A rate such as 0.006227 put into the exponent before SymPy's rewriting made it
    factor a polynomial in exp(t/10^6) of degree 6227 (24 GB, then killed): every
    rate is now put into forms derived with symbols.  Run under a 2 GB address-space
    limit and a 60 s timeout, so that the old behaviour fails instead of hanging."""
    import os
    import resource
    import subprocess
    import sys
    from pathlib import Path

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root), OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "symthermo", "reference", "spontaneous-emission",
                           "--param", f"gamma={gamma}", "--times", "1,300", system,
                           "--format", "csv"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60, preexec_fn=limit)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert len(proc.stdout.strip().splitlines()) == 3
