"""float64 rows a model marks unearned (values within their own rounding of 0) are
recomputed on the certified route: `reference --float64` prints proven digits there
and lists the rows' t in "recomputed_with_balls" (contract, `reference` float64)."""

import numpy as np
import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload

TIMES = "0:2:5"


@pytest.fixture
def refrigerator_marking(monkeypatch):
    """The refrigerator, its float64 columns marking the times in ``marked`` unearned."""
    model = get_model("refrigerator")
    marked = []
    original = type(model).reduced_arrays

    def reduced_arrays(self, p, times):
        out = original(self, p, times)
        mask = np.zeros(len(times), dtype=bool)
        mask[[1 + i for i in marked]] = True  # index 0 is the base's t = 0
        out["unearned"] = mask
        return out

    monkeypatch.setattr(type(model), "reduced_arrays", reduced_arrays)
    model.__dict__.pop("_vectorised_cache", None)
    return model, marked


def test_unearned_rows_are_the_certified_rows(refrigerator_marking):
    model, marked = refrigerator_marking
    plain = reference_payload(model, [], TIMES, float64=True)["rows"]
    marked.extend([1, 3])
    model.__dict__.pop("_vectorised_cache", None)
    fast = reference_payload(model, [], TIMES, float64=True)
    proven = reference_payload(model, [], TIMES, dps=15, errors=False)["rows"]
    assert fast["number_system"] == "float64"
    assert fast["recomputed_with_balls"] == [fast["rows"][i]["t"] for i in (1, 3)]
    for i, row in enumerate(fast["rows"]):
        expected = dict(proven[i] if i in (1, 3) else plain[i], t=plain[i]["t"])
        assert row == expected, i
    # somewhere the two routes print different 15-digit strings: the test can tell
    assert any(plain[i] != dict(proven[i], t=plain[i]["t"]) for i in (1, 3))


def test_nothing_marked_nothing_recomputed(refrigerator_marking):
    model, _ = refrigerator_marking
    fast = reference_payload(model, [], TIMES, float64=True)
    assert fast["recomputed_with_balls"] == []
    plain = reference_payload(get_model("exchange"), [], TIMES, float64=True)
    assert plain["recomputed_with_balls"] == []
    assert "recomputed_with_balls" not in reference_payload(model, [], TIMES, dps=15)


def test_qutrit_near_pure_and_near_thermal_start():
    """qutrit-swap at beta_1 = 20, beta_2 = 15: the near-pure entropies keep their digits
    (log1p of the rest: 9 digits of 16 before), and at t = 0, where B's exergy is 3e-7 of
    its energy, the row is certified (float64 printed 2.5 correct digits of it)."""
    from mpmath import mp, mpf

    model, given = get_model("qutrit-swap"), ["beta_1=20", "beta_2=15"]
    fast = reference_payload(model, given, "0,0.5,3", float64=True)
    proven = reference_payload(model, given, "0,0.5,3", dps=30)["rows"]
    assert fast["recomputed_with_balls"] == ["0"]
    checked = 0
    with mp.workdps(40):
        for a, b in zip(fast["rows"], proven):
            for key, text in a.items():
                if key == "t" or " +/- " in b[key] or " +/- " in text:
                    continue
                if mpf(b[key]) == 0 or text in ("inf", "-inf"):
                    assert text == b[key], (a["t"], key)
                    continue
                assert abs(mpf(text) / mpf(b[key]) - 1) < mpf(10) ** -10, (a["t"], key, text)
                checked += 1
    assert checked > 40
