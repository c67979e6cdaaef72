"""The mpmath route (certified by agreement) of jaynes-cummings with a mixed qubit and a
coherent field: its Fock window widens with the working precision, so that the window's
truncation shows as disagreement.  With a window fixed by the requested digits, W_B at
t = 1e-12 (~1e-56, far below the sums it comes from) printed 6 correct digits of 15."""

from mpmath import mp, mpf

from symthermo.models import get_model
from symthermo.models.jc_manifolds import poisson_window
from symthermo.tables import reference_payload

GIVEN = ["state_A=mixed", "state_B=coherent", "alpha=2"]
TIMES = "1e-12,3e-7,0.7,13"


def test_printed_digits_agree_with_twice_the_digits():
    model = get_model("jaynes-cummings")
    low = reference_payload(model, GIVEN, TIMES, dps=15)
    high = reference_payload(model, GIVEN, TIMES, dps=30)
    assert low["number_system"] == "mpmath"  # (dps 30: the balls, an independent route)
    checked = 0
    with mp.workdps(60):
        for a, b in zip(low["rows"], high["rows"]):
            for key, text in a.items():
                if key in ("t", "manifolds", "neglected_weight") or " +/- " in text:
                    continue
                if text in ("inf", "-inf", "0") or b[key] in ("inf", "-inf", "0"):
                    assert text == b[key], (a["t"], key, text, b[key])
                    continue
                # 15 printed digits, the last within one unit: the 30-digit value
                assert abs(mpf(text) - mpf(b[key])) <= abs(mpf(b[key])) * mpf(10) ** -14, \
                    (a["t"], key, text, b[key])
                checked += 1
    assert checked > 40
    # the window reported is the last (widest) evaluation's, wider than the one the
    # requested digits alone give (15 + 2 x 10 guard digits)
    narrow = poisson_window(model.params(dict(g.split("=") for g in GIVEN))["alpha"], 35)
    assert int(low["rows"][0]["manifolds"]) > narrow.manifolds
