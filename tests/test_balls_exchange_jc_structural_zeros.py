"""Structural zeros of the qubit-qubit exchange and of a coherent Jaynes-Cummings field on
the certified (ball) route, at frequencies that are no binary numbers (2.3).

- Both qubits excited: |ee> does not move, so W, Q, I_AB and sigma are exact zeros.  The
  balls took W = [E(t) - E(0)] - Q with E(t) and E(0) two balls of omega_A = 2.3 and printed
  `0 +/- 2.0e-298`; float64 subtracted two equal floats.  Now E(t) - E(0) is the closed-form
  increment of p_e (an exact 0 where p_e is constant), as the vectorised float64 route has it.
- A qubit whose spectrum is constant in time (a mixed qubit beside one in |+> at resonance,
  two mixed qubits) has Q = Delta S = 0 exactly (r^2 = (p_e - p_g)^2 + 4|c|^2 has no
  increment, an identity SymPy proves).
- t = 0 is the initial state's exact values: a mixed qubit detuned from its partner has
  p_e(0) = 1/2 exactly, beta(0) = 0 and ergotropy(0) = 0 (a sum of rounded coefficients
  held them as balls about 0).
- Jaynes-Cummings, |e> or |g> with |alpha> at resonance: E_int = 2 g Re<sigma_+ a> = 0 for
  all t.  The detuning (omega_A - omega_B)/2 was the difference of two balls, 0 +/- 1e-300,
  so the sums' structural zero (delta = 0 exactly) was missed and E_int printed
  `0 +/- 1.1e-298`; it is now taken from the exact parameters.
"""

import mpmath
import pytest
import sympy

from symthermo.models import get_model
from symthermo.numbers import EXACT
from symthermo.tables import reference_payload

TIMES = "1e-9,0.3,1,157.3"


def _rows(model, params, dps=None, **kw):
    return reference_payload(get_model(model), params, TIMES, dps=dps, **kw)["rows"]


def _exchange(sa, sb, wa="2.3", wb="2.3"):
    return [f"state_A={sa}", f"state_B={sb}", f"omega_A={wa}", f"omega_B={wb}", "g=0.37"]


CASES = [  # (parameters, keys that are exactly 0 at every time)
    (_exchange("excited", "excited"), ("Q_A", "W_A", "Q_B", "W_B", "E_int", "I_AB",
                                       "sigma_A", "sigma_B")),
    (_exchange("excited", "excited", "2.3", "1.1"), ("W_A", "W_B", "I_AB")),
    (_exchange("mixed", "plus"), ("Q_A", "W_A", "ergotropy_A", "exergy_A", "E_int")),
    (_exchange("mixed", "mixed", "2.3", "1.1"), ("Q_A", "W_A", "Q_B", "W_B", "I_AB",
                                                 "sigma_A", "sigma_B")),
    (_exchange("ground", "mixed", "2.3", "1.1"), ("W_B", "ergotropy_B", "exergy_B")),
]


@pytest.mark.parametrize("dps", [30, 60])
@pytest.mark.parametrize("params,zeros", CASES)
def test_exchange_structural_zeros_are_printed_as_zero(params, zeros, dps):
    rows = _rows("exchange", params, dps)
    float64 = _rows("exchange", params, float64=True)
    for row, f in zip(rows, float64):
        for key in zeros:
            assert row[key] == "0" and row["err"][key] == "0", (params, row["t"], key, row[key])
            assert f[key] == "0", (key, f[key])
        assert not any(" +/- " in v for k, v in row.items() if k != "err"), row


def test_exchange_zeros_hold_in_exact_arithmetic():
    """SymPy's closed forms agree: W_A of |ee> and Q_A of (mixed, plus) are exactly 0."""
    model = get_model("exchange")
    t = sympy.Rational(3, 10)
    for params, key in ((_exchange("excited", "excited"), "W_A"),
                        (_exchange("mixed", "plus"), "Q_A")):
        p = model.params(dict(x.split("=") for x in params))
        row = model.evaluate(p, [t], lib=EXACT)[0]
        assert sympy.simplify(row[key]) == 0


def test_detuned_mixed_start_is_exactly_maximally_mixed():
    row = _rows("exchange", _exchange("ground", "mixed", "2.3", "1.1"), 30)[0]
    start = reference_payload(get_model("exchange"), _exchange("ground", "mixed", "2.3", "1.1"),
                              "0", dps=30)["rows"][0]
    assert start["beta_B"] == "0" and start["ergotropy_B"] == "0" and start["E_B"] == "0.55" + "0" * 28
    # after t = 0 the qubit leaves identity/2: its heat has digits, the same at 30 and 60
    high = _rows("exchange", _exchange("ground", "mixed", "2.3", "1.1"), 60)[0]
    with mpmath.workdps(90):
        assert abs(mpmath.mpf(row["Q_B"]) - mpmath.mpf(high["Q_B"])) <= (
            abs(mpmath.mpf(high["Q_B"])) * mpmath.mpf(10) ** -29)


def _jc(sa, wa, wb):
    return [f"state_A={sa}", "state_B=coherent", "alpha=2", f"omega_A={wa}", f"omega_B={wb}",
            "g=0.37"]


@pytest.mark.parametrize("dps", [30, 60])
@pytest.mark.parametrize("state", ["excited", "ground"])
def test_coherent_field_at_resonance_has_exact_zero_interaction_energy(state, dps):
    rows = _rows("jaynes-cummings", _jc(state, "2.3", "2.3"), dps)
    float64 = _rows("jaynes-cummings", _jc(state, "2.3", "2.3"), float64=True)
    for row, f in zip(rows, float64):
        assert row["E_int"] == "0" and row["err"]["E_int"] == "0", (row["t"], row["E_int"])
        assert f["E_int"] == "0"


def test_coherent_field_detuned_keeps_its_interaction_energy():
    """Off resonance E_int moves: digits, the same at 30 and 60 and in float64."""
    rows = _rows("jaynes-cummings", _jc("excited", "2.3", "1.1"), 30)
    high = _rows("jaynes-cummings", _jc("excited", "2.3", "1.1"), 60)
    float64 = _rows("jaynes-cummings", _jc("excited", "2.3", "1.1"), float64=True)
    for row, h, f in zip(rows, high, float64):
        with mpmath.workdps(90):
            x, y = mpmath.mpf(row["E_int"]), mpmath.mpf(h["E_int"])
            assert y != 0 and abs(x - y) <= abs(y) * mpmath.mpf(10) ** -29
            assert abs(mpmath.mpf(f["E_int"]) - y) <= abs(y) * mpmath.mpf(10) ** -10


def _field(sa, sb, wa="2.3", wb="2.3"):
    return [f"state_A={sa}", f"state_B={sb}", "alpha=2", f"omega_A={wa}", f"omega_B={wb}",
            "g=0.37"]


JC_CASES = [  # (parameters, keys exactly 0 at every time, keys exactly 0 at t = 0)
    # |g, 0> never moves: Q = E(t) - E(0) was two balls of -omega_A/2, and sigma_B =
    # Delta S_B + beta_A(0) Q_A with beta_A(0) = inf printed 0 +/- inf
    (_field("ground", "vacuum"), ("Q_A", "W_A", "Q_B", "W_B", "sigma_A", "sigma_B"), ()),
    (_field("ground", "vacuum", "2.3", "1.1"), ("Q_A", "W_A", "sigma_B"), ()),
    # E_A(0) of |+> is (omega_A/2)(p_e - p_g) = 0: now E(0) in closed form, exactly
    (_field("plus", "vacuum"), (), ("E_A",)),
    # |g> beside |alpha> at t = 0 is diagonal, hence passive: ergotropy and exergy 0
    (_field("ground", "coherent"), (), ("ergotropy_A", "exergy_A")),
]


@pytest.mark.parametrize("dps", [30, 60])
@pytest.mark.parametrize("params,always,at_start", JC_CASES)
def test_jaynes_cummings_structural_zeros(params, always, at_start, dps):
    times = "0," + TIMES
    rows = reference_payload(get_model("jaynes-cummings"), params, times, dps=dps)["rows"]
    float64 = reference_payload(get_model("jaynes-cummings"), params, times,
                                float64=True)["rows"]
    for k, (row, f) in enumerate(zip(rows, float64)):
        for key in always + (at_start if k == 0 else ()):
            assert row[key] == "0" and row["err"][key] == "0", (params, row["t"], key, row[key])
            assert f[key] == "0", (key, f[key])
