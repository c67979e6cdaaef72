"""Tiny and huge values of every parameter of every model, on every number system.

1e-10 and 1e10 are valid physical inputs (a nearly degenerate qubit, a very strong
coupling): symthermo computes them (exit 0, finite or ``inf`` values, never ``nan``) or
answers one line ``error: ...`` naming the parameter, exit 2.  Never a traceback, never
exit 1.
"""

import pytest

from symthermo.cli import main
from symthermo.models import get_model, model_names

SYSTEMS = {"float64": ["--float64"], "balls": ["--dps", "15"],
           "mpmath": ["--dps", "15", "--number-system", "mpmath"]}
CASES = [(name, p.name, value, system)
         for name in model_names()
         for p in get_model(name).parameters if not p.choices
         for value in ("1e-10", "1e10")
         for system in SYSTEMS]


@pytest.mark.parametrize("model,param,value,system", CASES,
                         ids=[f"{m}-{p}={v}-{s}" for m, p, v, s in CASES])
def test_extreme_parameter(model, param, value, system, capsys):
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
