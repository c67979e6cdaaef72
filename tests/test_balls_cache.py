"""The certified reference of plain numbers without SymPy: the refrigerator's ball
constants and local Hamiltonians come from symthermo.compiled's cache (ball source and
Fractions), equal to a fresh derivation, and derived again when the model's source or
SymPy's version changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from symthermo import compiled
from symthermo.models import get_model
from symthermo.models import refrigerator as fridge
from symthermo.tables import reference_payload

ROOT = Path(__file__).resolve().parent.parent


def _run(monkeypatch, given=("g=0.75", "beta_B=1.1")):
    """The plain-number payload from a new model (only the disk cache remains), and the
    number of derivations of the ball constants it needed."""
    calls = []
    original = fridge._ball_constants

    def counting(forms):
        calls.append(1)
        return original(forms)

    monkeypatch.setattr(fridge, "_ball_constants", counting)
    compiled._MEMORY.clear()
    out = reference_payload(get_model("refrigerator"), list(given), "0:7:20", dps=30)
    monkeypatch.setattr(fridge, "_ball_constants", original)
    return out, len(calls)


def test_cached_equals_a_fresh_derivation(compiled_cache, monkeypatch):
    first, calls = _run(monkeypatch)
    assert calls == 1 and any(compiled_cache.iterdir())
    again, calls = _run(monkeypatch)
    assert calls == 0 and again == first
    # the general route: SymPy values (not plain numbers), SymPy times, no cache
    slow = reference_payload(get_model("refrigerator"),
                             {"g": sympy.Rational(3, 4), "beta_B": sympy.Rational(11, 10)},
                             [str(sympy.Rational(7 * k, 19)) for k in range(20)], dps=30)
    assert again == slow


@pytest.mark.parametrize("change", ["sympy_version", "source_hash"])
def test_a_new_sympy_or_model_source_derives_again(compiled_cache, monkeypatch, change):
    first, _ = _run(monkeypatch)
    monkeypatch.setattr(compiled, change, lambda: "changed-for-the-test")
    again, calls = _run(monkeypatch)
    assert calls == 1 and again == first


def test_a_damaged_entry_is_derived_again(compiled_cache, monkeypatch):
    first, _ = _run(monkeypatch)
    for path in compiled_cache.glob("*.py"):
        text = path.read_text()
        if "ball_constants" in text.split("# end of header")[0]:
            path.write_text(text.replace("lambda: [", "lambda: [1, "))
    again, calls = _run(monkeypatch)
    assert calls == 1 and again == first


def test_a_cached_run_imports_no_sympy(tmp_path):
    env = dict(os.environ, SYMTHERMO_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    code = ("import json, sys\n"
            "from symthermo.tables import reference_payload\n"
            "from symthermo.models import get_model\n"
            "from symthermo.lazy import is_loaded\n"
            "out = reference_payload(get_model('refrigerator'), ['g=0.75'], '0:7:20', dps=30)\n"
            "print(json.dumps({'sympy': is_loaded('sympy'), 'rows': out['rows']}))\n")
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(2)]
    assert runs[0]["sympy"] is True  # the first run derives (SymPy) and stores
    assert runs[1]["sympy"] is False  # the second reads the cache only
    assert runs[0]["rows"] == runs[1]["rows"]
