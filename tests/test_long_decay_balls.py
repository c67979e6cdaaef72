"""The certified route long after a decay: spontaneous emission at gamma t = 1000.

P_e = e^{-1000} = 5.1e-435 is far below any working precision relative to 1, so a
form that goes through 1 - P_e (the entropy's -P_g ln P_g, the heat E^th(t) - E^th(0)
of two energies near -omega/2) keeps only its absolute radius: S_A and Q_A were printed
as bounds (0 +/- 1e-178).  Both now come from P_e itself (the two-eigenvalue entropy
h(lo), the closed-form heat increment), with every digit proven; checked against the
formulas evaluated independently at 1500 digits."""

import mpmath
import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload


@pytest.mark.parametrize("number_system", ["balls", "mpmath"])
def test_every_value_has_its_digits(number_system):
    row = reference_payload(get_model("spontaneous-emission"), {}, "1e5", dps=20,
                            number_system=number_system)["rows"][0]
    with mpmath.workdps(1500):
        p = mpmath.exp(-mpmath.mpf(1000))  # gamma t, omega = 1
        want = {"P_e": p, "S_A": -p * mpmath.log(p) - (1 - p) * mpmath.log1p(-p),
                "Q_A": p,  # once passive E^th = E = -1/2 + P_e, from E^th(0) = -1/2
                "beta_A": mpmath.log1p(-p) - mpmath.log(p), "W_A": -1}
        for key, value in want.items():
            text = row[key]
            assert " +/- " not in text, (key, text)
            assert abs(mpmath.mpf(text) / value - 1) < mpmath.mpf(10) ** -19, (key, text)
