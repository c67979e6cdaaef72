"""At t = 0 the state is rho(0) itself: every increment is a structural zero, printed "0",
on every route (balls did this already; float64 and mpmath printed E(0) - E(0)'s rounding)."""

from pathlib import Path

import pytest

from symthermo.ledger import load_system
from symthermo.models import get_model
from symthermo.tables import ledger_payload, reference_payload

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
INCREMENTS = ("Q_", "W_", "sigma_", "I_AB", "I_tot")
ROUTES = [dict(float64=True), dict(dps=20, number_system="mpmath"), dict(dps=20)]


def _increments(row):
    return {k: v for k, v in row.items() if k.startswith(INCREMENTS)}


@pytest.mark.parametrize("route", ROUTES, ids=["float64", "mpmath", "balls"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_ledger_increments_at_start_are_exact_zeros(path, route):
    payload = ledger_payload(load_system(str(path)), path.name, "0, 1, 0", errors=False,
                             **route)
    first, later, again = payload["rows"]
    assert _increments(first) and set(_increments(first).values()) == {"0"}, first
    assert _increments(again) == _increments(first)  # t = 0 anywhere in the list
    assert any(v != "0" for v in _increments(later).values())  # the test can tell


@pytest.mark.parametrize("model", ["refrigerator", "jaynes-cummings", "exchange", "qutrit-swap"])
def test_propagator_increments_at_start_are_exact_zeros(model):
    payload = reference_payload(get_model(model), {}, "0, 1", float64=True, method="propagator")
    first, later = payload["rows"]
    assert set(_increments(first).values()) == {"0"}, first
    assert any(v != "0" for v in _increments(later).values())
