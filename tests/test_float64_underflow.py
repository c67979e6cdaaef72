"""float64 where a decaying population leaves float64's normal range (gamma t > 708).

``spontaneous-emission`` at t = 1e6 (gamma t = 1e4) printed P_e = 0 (it is
1.1e-4343: a ``0`` the contract reserves for exact zeros) and beta_A = inf (it is
1e4); the reaction coordinate printed E_B = 0 and beta_A = inf.  Those rows are now
recomputed certified, as any row float64 cannot vouch for; every printed value keeps
10 digits against the certified route at 30."""

import pytest

from symthermo.models import get_model
from symthermo.tables import reference_payload


@pytest.mark.parametrize("model,params,times", [
    ("spontaneous-emission", {}, "1e3, 7e4, 1e6"),
    ("spontaneous-emission", {"gamma": "1"}, "700, 745, 800"),
    ("reaction-coordinate", {}, "1e3, 3e4, 1e6"),
    ("reaction-coordinate", {"state_A": "mixed"}, "1e6"),
])
def test_underflow_is_recomputed(model, params, times, float64_digits_hold):
    got = float64_digits_hold(model, params, times)
    assert got["recomputed_with_balls"]  # the case reaches the underflow


def test_a_ground_start_is_not_recomputed():
    """Nothing decays from |g, 0>: every population is a structural constant."""
    got = reference_payload(get_model("reaction-coordinate"), {"state_A": "ground"}, "1e6",
                            float64=True)
    assert got["recomputed_with_balls"] == []


@pytest.mark.parametrize("values", [
    [1.0, 1e-300, 1e-310, 0.0],               # subnormal and 0: underflowed
    [1.0, 0.5, 3e-308],                       # all normal: the screen answers None
    [float("nan"), 1e-320, 0.2],              # a nan does not hide an underflow
    [float("nan"), 0.3],
    [],
])
def test_the_screened_underflow_marks_the_same_times(values):
    """underflowed(screen=True), one reduction first, marks what the comparison at every
    entry marks (None: nothing)."""
    import numpy as np

    from symthermo.models.float64_columns import underflowed

    x = np.array(values, dtype=float)
    full = underflowed(x)
    screened = underflowed(x, screen=True)
    if screened is None:
        assert not full.any()
    else:
        assert screened.tolist() == full.tolist() and full.any()
