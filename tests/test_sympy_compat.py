"""SymPy 1.14.0's prime-factor cache raised ValueError on sqrt of some large rationals
(sympy/sympy#28621); symthermo repairs it before SymPy loads (symthermo.sympy_compat)."""

import subprocess
import sys

import sympy

from symthermo.models import get_model
from symthermo.tables import reference_payload


def test_the_upstream_example_evaluates():
    # the expression of sympy/sympy#28621
    x = sympy.sqrt(sympy.Rational(989034254522489566, 10**9)) * \
        sympy.sqrt(sympy.Rational(989034254830458946, 10**9))
    assert x.is_positive


def test_a_many_digit_rate_derives():
    """The reaction coordinate with kappa = 1.32e-05 (an audit's random draw) exited 2 with
    "error: 24502502211169 is not a prime factor of 600372619524523777917294721"."""
    given = ["omega=1.99", "omega_rc=1", "lam=0.000152", "kappa=1.32e-05", "state_A=excited"]
    out = reference_payload(get_model("reaction-coordinate"), given, "0.000722,5.42e+06",
                            float64=True)
    assert len(out["rows"]) == 2


def test_the_repair_is_in_place_when_symthermo_comes_first_or_second():
    code = ("import {first}; import {second}; from sympy.ntheory import factor_; "
            "print(factor_.FactorCache.add.skips_composites)")
    for first, second in (("symthermo", "sympy"), ("sympy", "symthermo")):
        run = subprocess.run([sys.executable, "-c", code.format(first=first, second=second)],
                             capture_output=True, text=True, timeout=120)
        assert run.stdout.strip() == "True", (first, run.stderr[-500:])
