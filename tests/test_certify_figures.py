"""Every paper figure's time axis on the certified route: no precision failure at dps 15,
30 and 60, every value proven to its digits (no `0 +/- r` bound), and every digit printed
at the lower precision the higher one's, rounded."""

from decimal import Decimal, localcontext

import pytest

from symthermo import figures
from symthermo.models import get_model
from symthermo.tables import reference_payload

CLOSED_FORM = [n for n in figures.figure_names() if figures._spec(n).route == "closed form"]
POINTS = 24  # the figure's axis from 0 to its end, evenly (the figures draw 400)


def _payload(name, dps):
    spec = figures._spec(name)
    model = get_model(spec.model)
    given = [f"{k}={v}" for k, v in spec.params.items()]
    times = f"0:({spec.x_max})/({spec.rate}):{POINTS}"
    return model, reference_payload(model, given, times, dps=dps)


def _values(model):
    """The keys that hold values (not the truncation's own, which follows the precision)."""
    return [k for k in model.keys() if k not in getattr(model, "window_keys", ())]


def _agrees(low, high, digits):
    """The low-precision text is the high-precision value rounded to its digits."""
    if low in ("0", "inf", "-inf"):
        return low == high
    with localcontext() as ctx:
        ctx.prec = 200
        d = Decimal(high)
        return Decimal(low) == d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1))


@pytest.mark.parametrize("name", CLOSED_FORM)
def test_figure_axis_is_proven_at_every_precision(name):
    model, top = _payload(name, 60)
    for dps in (15, 30):
        _, payload = _payload(name, dps)
        assert payload["number_system"] == "balls"
        for row, high in zip(payload["rows"], top["rows"]):
            for key in _values(model):
                text = row[key]
                assert " +/- " not in text and text != "nan", (name, dps, row["t"], key, text)
                assert _agrees(text, high[key], dps), (name, dps, row["t"], key, text, high[key])
    assert all(" +/- " not in row[k] for row in top["rows"] for k in _values(model))
