"""``reference --method propagator --float64`` prints only digits it has earned.

The float64 propagator (matrix exponentials and eigenvalues in float64) has an
absolute rounding of ~eps: a heat of 1e-22 at t = 1e-9, the entropy of a state
within 1e-33 of pure, or a work that is exactly 0 came out as 0, inf or 1.1e-16.
Each row now gets the float64 ledger's a-posteriori error estimate
(:func:`symthermo.ledger_fallback.row_errors`), and a row that some estimate does
not vouch for is recomputed on the certified ball route (``recomputed_with_balls``).
Checked against the certified closed form at 30 digits."""

import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload


def _printed(model, times, **kw):
    return reference_payload(get_model(model), {}, times, **kw)


@pytest.mark.parametrize("model,times", [
    # a full swap at a float time (the qubit within 1e-33 of pure), and t = 1e-9
    ("exchange", "157.07963267948966, 1e-9, 1"),
    # exact zeros (W_A, the exergy of a passive qubit) and small times
    ("refrigerator", "0, 1e-6, 0.4, 1.6"),
    ("spontaneous-emission", "1e-9, 1, 300"),
])
def test_every_printed_value_has_its_digits(model, times, float64_digits_hold):
    float64_digits_hold(model, {}, times, method="propagator")


def test_rows_that_float64_resolves_are_kept():
    """A mixed-state decay at ordinary times needs no ball recomputation."""
    got = _printed("spontaneous-emission", "1, 50", float64=True, method="propagator")
    assert got["recomputed_with_balls"] == []
