"""float64's time limit of the Jaynes-Cummings vacuum field is set by its frequencies.

A float64 time is refused where its rounding alone moves the fastest phase by more than
1e-6 rad; the scale is the largest frequency-like parameter.  With the vacuum field the
coherent amplitude alpha (30 by default) enters no phase, yet it was that scale: t = 1e9
was refused (``scale 30, parameter alpha``) although omega_A, omega_B and g allow it, and
the float64 values there keep their digits (compared with the certified route).
"""

import mpmath
import pytest

from symthermo.models import get_model
from symthermo.sweep import point_rows
from symthermo.tables import reference_payload

MODEL = get_model("jaynes-cummings")


def _rows(params, times, **kw):
    return reference_payload(MODEL, params, times, **kw)["rows"]


def test_vacuum_time_limit_ignores_alpha():
    times = "0.5,1e9,3.3e9"
    float64 = _rows([], times, float64=True)  # alpha = 30, unused
    certified = _rows([], times, dps=30)
    for f, c in zip(float64, certified):
        for key, text in f.items():
            if key == "t" or " +/- " in text or " +/- " in c[key] or text in ("0", "inf"):
                continue
            with mpmath.workdps(40):
                want = mpmath.mpf(c[key])
                assert abs(mpmath.mpf(text) - want) <= abs(want) * mpmath.mpf("1e-10"), (
                    f["t"], key, text, c[key])
    # alpha does not enter the vacuum's values: the same rows for any alpha
    assert _rows(["alpha=1"], times, float64=True) == float64
    # the sweep's float64 rows take the same limit
    assert point_rows(MODEL, {}, ["1e9"], keys=["t", "E_A"], float64=True) == [
        {"t": float64[1]["t"], "E_A": float64[1]["E_A"]}]


def test_limits_that_stand():
    # beyond the vacuum's own frequencies (omega_A = 1): refused, naming that scale
    with pytest.raises(ValueError, match=r"scale 1, parameter omega_A"):
        _rows([], "1e10", float64=True)
    # a coherent field's amplitude sets its manifolds' frequencies (g sqrt(n) ~ g alpha)
    with pytest.raises(ValueError, match=r"scale 30, parameter alpha"):
        _rows(["state_B=coherent"], "1e9", float64=True)
