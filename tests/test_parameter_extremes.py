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


#: open, outside this test's files: certify.py formats the ball of P_e = e^-1e10 by
#: computing 10^4342944820 exactly (it runs for hours)
HANGS = {("spontaneous-emission", "gamma", "1e10", "balls")}
#: open: levels 0, 1 and 1e10 at dps 10 in mpmath: 0 and 1 are taken as one degenerate
#: ground level (thermal.levels_of), and the refusal does not name omega_2
MERGED = {("qutrit-swap", "omega_2", "1e10", "mpmath")}


@pytest.mark.parametrize("model,param,value,system", CASES,
                         ids=[f"{m}-{p}={v}-{s}" for m, p, v, s in CASES])
def test_extreme_parameter(model, param, value, system, capsys):
    if (model, param, value, system) in HANGS:
        pytest.skip("open: certify.py prints a ball of exponent -4e9 digit by digit")
    if (model, param, value, system) in MERGED:
        pytest.xfail("open: mpmath at dps 10 merges levels 0 and 1 next to a level at 1e10 "
                     "(degeneracy tolerance relative to the largest energy)")
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
