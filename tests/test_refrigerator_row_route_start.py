"""The refrigerator's per-row float64 route keeps beta_j(0) = beta_j for a nearly pure qubit.

A qubit whose smaller eigenvalue at t = 0, 1/(e^{beta omega} + 1), is below float64's range
(beta_A omega_A = 40.3 * 32.6 = 1314 > 708) got beta_A(0) = ln(hi/lo)/omega = inf on the
row-by-row route (``vectorised = False``), and sigma_B = Delta S_B + beta_A(0) Q_A = inf at
every later time; the vectorised route and the certified one give the parameter, 40.3.
The routes are compared with the certified one (balls, 30 digits).
"""

import math

import mpmath
import pytest

from symthermo.models.refrigerator import Refrigerator
from symthermo.numbers import FLOAT64
from symthermo.tables import reference_payload

CASES = [
    ["omega_A=32.6", "omega_B=38.5", "g=1.02", "beta_A=40.3", "beta_B=0.0207"],
    ["omega_A=0.9", "omega_B=38.5", "g=0.3", "beta_A=1.1", "beta_B=25"],  # B pure to float64
    ["omega_A=1", "omega_B=1.63", "g=1", "beta_A=45", "beta_B=1.8"],      # lo_A(0) = 2.9e-20
]
TIMES = [0.0, 1e-9, 0.5, 7.0]


def _routes(params):
    model = Refrigerator()
    p = model.params(params)
    columns = [dict(r) for r in model.evaluate(p, TIMES, lib=FLOAT64)]
    model.vectorised = False
    rows = model.evaluate(p, TIMES, lib=FLOAT64)
    return p, columns, rows


@pytest.mark.parametrize("params", CASES)
def test_row_route_gives_the_parameter_at_t0(params):
    p, columns, rows = _routes(params)
    certified = reference_payload(Refrigerator(), params, ",".join(map(repr, TIMES)),
                                  dps=30)["rows"]
    for n in "AB":
        beta = float(p[f"beta_{n}"])
        a, b = rows[0][f"beta_{n}"], columns[0][f"beta_{n}"]
        if beta * float(p[f"omega_{n}"]) > 7:  # nearly pure: the parameter itself
            assert a == b == beta
        else:  # from the spectrum, to its rounding
            assert abs(a - beta) <= 1e-13 * beta and abs(b - beta) <= 1e-13 * beta
        with mpmath.workdps(40):
            assert mpmath.mpf(certified[0][f"beta_{n}"]) == mpmath.mpf(p[f"beta_{n}"])
    for row, col, cert in zip(rows, columns, certified):
        # beta at every time (at t = 1e-9 the row route's cos(nu t) - 1 kept a few digits
        # of lo: beta_A was 3 % off; now -2 sin^2(nu t/2), as the columns); the rest where
        # the row route has no cancellation to fear (it has no unearned-row check: the
        # entropy increments at t = 1e-9 are left to the vectorised route)
        keys = ("beta_A", "beta_B") + (("sigma_A", "sigma_B", "S_A", "S_B", "Q_A", "Q_B")
                                       if row["t"] >= 0.5 else ())
        for key in keys:
            a, b = row[key], col[key]
            assert math.isfinite(a) == math.isfinite(b), (row["t"], key, a, b)
            if " +/- " in cert[key] or not math.isfinite(b):
                continue
            want = float(cert[key])
            assert abs(a - want) <= 1e-10 * abs(want) + 1e-300, (row["t"], key, a, want)
