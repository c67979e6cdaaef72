"""Smoke tests of benchmarks/run.py: the harness runs end to end on tiny sizes.

The quick run (``--quick``) goes through every problem in a subprocess (so
QuTiP's and qthermo's own warnings do not meet this suite's
``filterwarnings = error``).  Without QuTiP or qthermo installed the run must
still succeed and name what is missing; the checks that need them skip.
The digit scores and the textbook formulas of the harness are tested
directly, against values known in closed form.
"""

from __future__ import annotations

import importlib.util
import json
import math
import pathlib
import subprocess
import sys

import mpmath
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"
HAVE = {name: importlib.util.find_spec(name) is not None for name in ("qutip", "qthermo")}


def _run(tmp_path, *args, timeout=600):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(RUN), "--quick", "--quiet", "--json", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("bench"))


def _rows(payload, problem_prefix, tool_prefix):
    return [r for r in payload["rows"] if r["problem"].startswith(problem_prefix)
            and r["tool"].startswith(tool_prefix)]


def test_every_problem_reports(quick):
    payload, stdout = quick
    problems = {r["problem"][:1] for r in payload["rows"]}
    assert problems == {"1", "2", "3", "4", "5"}
    assert not [r for r in payload["rows"] if r["status"] == "error" and "certified" not in r["tool"]]
    assert "time ratio" in stdout and "digits" in stdout
    for r in payload["rows"]:
        if r["status"] == "ok" and r["time_s"] is not None and r["problem"][:1] != "4":
            assert r["ratio"] is not None and r["ratio"] > 0


def test_symthermo_digits(quick):
    payload, _ = quick
    for prefix in ("1", "2", "3a", "3b", "5"):
        rows = _rows(payload, prefix, "symthermo")
        if any(r["status"] == "not available" for r in _rows(payload, prefix, "(problem)")):
            continue
        f64 = [r for r in rows if r["tool"] == "symthermo float64"]
        mp30 = [r for r in rows if r["tool"] == "symthermo dps 30"]
        assert f64 and mp30, prefix
        assert f64[0]["digits"] >= 10, (prefix, f64[0]["worst"])
        assert mp30[0]["digits"] >= 25, (prefix, mp30[0]["worst"])
        # the reference's cross-check must leave room for 25 digits
        assert f64[0]["reference"]["cap"] >= 30, f64[0]["reference"]
    near_pure = _rows(payload, "4", "symthermo dps 30")
    assert len(near_pure) == 4
    assert min(r["digits"] for r in near_pure) >= 25


def test_goals_are_judged(quick):
    payload, stdout = quick
    goals = {g["goal"].split(":")[0] for g in payload["goals"]}
    assert "4" in goals
    assert "goal " in stdout


@pytest.mark.skipif(not (HAVE["qutip"] and HAVE["qthermo"]), reason="needs qutip and qthermo")
def test_qutip_and_qthermo_rows(quick):
    payload, _ = quick
    for prefix in ("1", "2", "3a", "3b", "5"):
        qutip = [r for r in _rows(payload, prefix, "QuTiP") if r["status"] == "ok" and r["solve_s"]]
        qthermo = [r for r in _rows(payload, prefix, "qthermo") if r["status"] == "ok"]
        assert qutip and qthermo, prefix
        # QuTiP's tight tolerance must be more accurate than its default, and a wrong
        # mapping of the problem (basis, frame, sign) would leave it no correct digit
        assert max(r["digits"] for r in qutip) > min(r["digits"] for r in qutip), prefix
        assert max(r["digits"] for r in qutip) >= 7, prefix
        assert all(r["digits"] >= 1 for r in qutip + qthermo), prefix
    # qthermo's entropy drops eigenvalues below 1e-12: wrong magnitude at e = 1e-14
    s = [r for r in _rows(payload, "4 near-pure: S", "qthermo")][0]
    assert s["digits"] < 1


def test_missing_tools_are_named(tmp_path):
    payload, stdout = _run(tmp_path, "--problems", "4", "--without", "qutip,qthermo")
    missing = [r for r in payload["rows"] if r["status"] == "missing"]
    assert {r["tool"].split(":")[0] for r in missing} == {"qutip", "qthermo"}
    assert all("disabled" in r["note"] for r in missing)
    assert not [r for r in payload["rows"] if r["tool"].startswith(("QuTiP", "qthermo"))
                and r["status"] == "ok"]
    assert "MISSING" in stdout
    assert payload["tools"]["qutip"].startswith("missing")


# -- the harness's own arithmetic ---------------------------------------------------------

sys.path.insert(0, str(ROOT / "benchmarks"))


def test_score_is_relative_with_a_floor():
    from problems.common import score

    ref = {"x": [1.0, 0.5, 0.0]}
    # relative error 1e-8 on the first value, exact elsewhere
    got = score({"x": [1.0 + 1e-8, 0.5, 0.0]}, ref, ["x"], cap=50)
    assert abs(got["digits"] - 8) < 1e-6
    assert got["worst"]["at"] == 0
    # an error of 1e-10 at the exact 0 is scored on the floor 1e-3 x max|ref| = 1e-3
    got = score({"x": [1.0, 0.5, 1e-10]}, ref, ["x"], cap=50)
    assert abs(got["digits"] - 7) < 1e-6
    # pure relative scoring (problem 4): the same absolute error on a tiny value counts fully
    with mpmath.workdps(60):
        tiny = mpmath.mpf("3e-37")
        got = score({"y": [tiny * (1 + mpmath.mpf("1e-20"))]}, {"y": [tiny]}, ["y"], cap=60,
                    floor_rel=0, zero=0)
    assert abs(got["digits"] - 20) < 1e-3
    # infinities must match, a wrong sign scores 0, a perfect match scores the cap
    assert score({"b": [math.inf]}, {"b": [mpmath.inf]}, ["b"], cap=50)["digits"] == 50
    assert score({"b": [1.0]}, {"b": [mpmath.inf]}, ["b"], cap=50)["digits"] == 0
    assert score({"b": [-1.0]}, {"b": [1.0]}, ["b"], cap=50)["digits"] == 0


def test_textbook_formulas():
    from problems import textbook as tb

    with mpmath.workdps(40):
        levels = [mpmath.mpf(0), mpmath.mpf(1), mpmath.mpf("2.5")]
        # the thermal state's own entropy gives back its beta
        beta = mpmath.mpf("0.7")
        s = tb.thermal_entropy(levels, beta)
        assert abs(tb.matched_beta(levels, s) - beta) < mpmath.mpf(10) ** -35
        assert tb.matched_beta(levels, mpmath.log(3)) == 0
        assert tb.matched_beta(levels, 0) == mpmath.inf
        # maximally mixed qubit: ln 2, multiplicities kept; D(rho || rho) = 0
        rho = mpmath.matrix([[0.5, 0], [0, 0.5]])
        assert abs(tb.entropy_of(tb.spectrum(rho)) - mpmath.log(2)) < mpmath.mpf(10) ** -38
        sigma = mpmath.matrix([[0.25, 0.1], [0.1, 0.75]])
        assert abs(tb.relative_entropy(sigma, sigma)) < mpmath.mpf(10) ** -35
        # D(pure || maximally mixed) = ln 2; off the support: inf
        pure = mpmath.matrix([[1, 0], [0, 0]])
        assert abs(tb.relative_entropy(pure, rho) - mpmath.log(2)) < mpmath.mpf(10) ** -35
        assert tb.relative_entropy(rho, pure) == mpmath.inf
        # ergotropy of the excited qubit is its gap; exergy of a thermal state is 0
        H = mpmath.diag([0, 1])
        row = tb.local_row(mpmath.diag([0, 1]), H)
        assert row["ergotropy"] == 1 and row["beta"] == mpmath.inf
        w = tb.thermal_weights([mpmath.mpf(0), mpmath.mpf(1)], beta)
        assert abs(tb.local_row(mpmath.diag(w), H)["exergy"]) < mpmath.mpf(10) ** -35


def test_fock_cutoff_tail():
    from problems.p2_jaynes_cummings import fock_cutoff

    n = fock_cutoff(3.0, 1e-12)
    with mpmath.workdps(30):
        mean = mpmath.mpf(9)
        weight = lambda k: mpmath.exp(-mean) * mean**k / mpmath.factorial(k)  # noqa: E731
        tail_n = 1 - mpmath.fsum(weight(k) for k in range(n))
        tail_before = 1 - mpmath.fsum(weight(k) for k in range(n - 1))
    assert tail_n < 1e-12 <= tail_before


def _yardsticks():
    """(model name, params, times, the plain-numpy script's columns) of problems 2, 3a, 3b."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.problems.p2_jaynes_cummings import fock_cutoff
        from benchmarks.problems.plain_numpy_jc import jaynes_cummings_columns
        from benchmarks.problems.plain_numpy_open import (reaction_coordinate_columns,
                                                          spontaneous_emission_columns)
    finally:
        sys.path.remove(str(ROOT))
    import numpy as np

    def se(p, t):
        return spontaneous_emission_columns(float(p["omega"]), float(p["gamma"]), t)

    def rc(p, t):
        return reaction_coordinate_columns(*(float(p[k]) for k in
                                             ("omega", "omega_rc", "lam", "kappa")), t)

    def jc(p, t):
        alpha = float(p["alpha"])
        return jaynes_cummings_columns(float(p["omega_A"]), float(p["g"]), alpha,
                                       fock_cutoff(alpha), t)

    return [("spontaneous-emission", {}, np.linspace(0, 500, 41), se),
            ("reaction-coordinate", {"kappa": "0.8*lam"}, np.linspace(0, 628, 41), rc),
            ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "3"},
             np.linspace(0, 314, 21), jc)]


@pytest.mark.parametrize("case", _yardsticks(), ids=lambda c: c[0])
def test_plain_numpy_yardsticks_compute_the_same_keys(case):
    """The floors the 100x goals are explained against compute the model's own keys."""
    import numpy as np

    from symthermo.models import get_model
    from symthermo.numbers import FLOAT64

    name, given, times, columns = case
    model = get_model(name)
    p = model.params(given)
    rows = model.evaluate(p, times.tolist(), lib=FLOAT64)
    plain = columns(p, times)
    assert len(plain) >= 10
    for key, values in plain.items():
        ref = rows.column(key)
        assert np.array_equal(np.isfinite(values), np.isfinite(ref)), key
        finite = np.isfinite(ref)
        scale = max(np.max(np.abs(ref[finite]), initial=0.0), 1e-300)
        assert np.max(np.abs(values[finite] - ref[finite]), initial=0.0) <= 1e-7 * scale, key
