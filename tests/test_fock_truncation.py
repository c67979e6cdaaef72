"""Proven Fock truncation: invariant truncated spaces certify the propagator of an oscillator.

Routes compared: the reaction-coordinate and Jaynes-Cummings closed forms (balls) against
the propagator on balls; a SYSTEM.json oscillator at two cutoffs; the structural claims of
:mod:`symthermo.fock_truncation` against float64 propagation at a larger cutoff.
"""

import json
import re

import numpy as np
import pytest
import scipy.linalg
from flint import arb

from symthermo.fock_truncation import (fock_range, invariant_support, invariant_truncation,
                                       reachable_entries)
from symthermo.ledger import load_system
from symthermo.models import get_model
from symthermo.tables import ledger_payload, reference_payload

BALL = re.compile(r"^(?P<m>-?[0-9.e+-]+|0) \+/- (?P<r>[0-9.e+-]+|inf)$")


def _interval(text, err):
    """The interval [lo, hi] a printed value and its err promise to hold the exact value in."""
    if text in ("inf", "-inf"):
        return float(text), float(text)
    from symthermo.balls import ball_precision

    m = BALL.match(text)
    with ball_precision(4000):  # the decimals and mid -/+ rad exactly (err may be 1e-216)
        if m:
            mid, rad = arb(m["m"]), arb(m["r"]) if m["r"] != "inf" else None
        else:
            mid, rad = arb(text), arb(err)
        if rad is None:
            return -np.inf, np.inf
        return mid - rad, mid + rad


def _overlap(row_a, row_b):
    """Keys whose intervals (value +/- err) are disjoint."""
    bad = []
    for k in row_a:
        if k == "err":
            continue
        a = _interval(row_a[k], row_a["err"][k])
        b = _interval(row_b[k], row_b["err"][k])
        if isinstance(a[0], float) or isinstance(b[0], float):
            if a != b and not (np.isinf(a[0]) or np.isinf(b[0])):
                bad.append(k)
            continue
        if a[1] < b[0] or b[1] < a[0]:
            bad.append(k)
    return bad


def _digits(row):
    """Keys printed with digits (no +/- bound)."""
    return [k for k, v in row.items() if k != "err" and " +/- " not in v]


# -- models: propagator on balls against the closed forms on balls --------------------------

@pytest.mark.parametrize("name, times", [
    ("reaction-coordinate", "pi/(2*lam), pi/lam, 2*pi/lam, 100"),
    ("jaynes-cummings", "1/(10*g), pi/(4*g), 30"),
])
def test_propagator_certified_and_equal_to_closed_form(name, times):
    model = get_model(name)
    prop = reference_payload(model, {}, times, dps=25, method="propagator")
    closed = reference_payload(model, {}, times, dps=25)
    assert prop["number_system"] == closed["number_system"] == "balls"
    for rp, rc in zip(prop["rows"], closed["rows"]):
        assert _overlap(rp, rc) == []
        # not vacuous: every value the closed form prints with inexact digits the propagator
        # prints with digits too (the closed form's exact values at exact special times,
        # pi/(4*g), come from SymPy, which the propagator route does not use)
        inexact = {k for k in _digits(rc) if rc["err"][k] != "0"}
        assert inexact - set(_digits(rp)) == set()
        for k in _digits(rp):
            if k in _digits(rc):
                assert rp[k] == rc[k], k


def test_reaction_coordinate_structural_zeros():
    """Passive diagonal reduced states: the ergotropies are exact zeros (err 0); at
    resonance the adjoint generator maps V to -(kappa/2) V and E_int(0) = 0, so E_int
    is an exact 0 as well: the propagator prints the closed form's strings."""
    model = get_model("reaction-coordinate")
    prop = reference_payload(model, {}, "pi/lam, 100", dps=20, method="propagator")
    closed = reference_payload(model, {}, "pi/lam, 100", dps=20)
    for row, want in zip(prop["rows"], closed["rows"]):
        for k in ("ergotropy_A", "exergy_A", "ergotropy_B", "E_int"):
            assert row[k] == "0" and row["err"][k] == "0"
        assert {k: v for k, v in row.items() if k != "err"} == \
            {k: v for k, v in want.items() if k != "err"}
    # detuned: V is no eigen-operator of the adjoint generator, E_int(t) != 0
    detuned = reference_payload(model, {"omega_rc": "1.2"}, "10", dps=20, method="propagator")
    row = detuned["rows"][0]
    assert row["err"]["E_int"] != "0" and float(row["E_int"]) < 0


# -- SYSTEM.json oscillator at two cutoffs ----------------------------------------------------

def _system(levels, *, rabi=False, k=4, lindblad=None):
    """A qubit (|e>, |g>) and an oscillator: g (sigma_+ a + h.c.) (+ its counter-rotating
    part with ``rabi``), g = 1/10, sqrt(n) written exactly; the oscillator starts in the
    equal superposition of its first ``k`` levels (a coherent-ish pure state)."""
    d = 2 * levels
    V = [["0"] * d for _ in range(d)]
    for n in range(levels - 1):
        s = f"sqrt({n + 1})/10"
        V[n][levels + n + 1] = V[levels + n + 1][n] = s          # |e,n> <-> |g,n+1>
        if rabi:
            V[n + 1][levels + n] = V[levels + n][n + 1] = s      # |e,n+1> <-> |g,n>
    system = {"subsystems": {"A": {"H": [["1", "0"], ["0", "0"]], "rho0": [["1", "0"], ["0", "0"]]},
                             "B": {"oscillator": {"omega": "1", "levels": levels},
                                   "rho0": [[f"1/{k}"] * k for _ in range(k)]}},
              "coupling": V}
    if lindblad is not None:
        system["lindblad"] = lindblad
    return load_system(json.dumps(system))


def test_system_oscillator_two_cutoffs_agree():
    times = "0, 1, 5, 20"
    small = ledger_payload(_system(6), "six", times, dps=30)
    large = ledger_payload(_system(9), "nine", times, dps=30)
    assert small["number_system"] == large["number_system"] == "balls"
    for a, b in zip(small["rows"], large["rows"]):
        assert _overlap(a, b) == []
        digits = set(_digits(a))
        # the bound is not vacuous: the local quantities have all their digits
        assert {"E_A", "S_A", "E_B", "S_B", "beta_B", "Eth_B", "I_AB"} <= digits
        assert all(a[k] == b[k] for k in digits & set(_digits(b)))
        # resonant exchange: [H_A + H_B, V] = 0 is proven from the diagonal energies and
        # V's exact zeros (sqrt(n) entries), so E_int(t) = E_int(0) = 0 exactly
        assert a["E_int"] == "0" and a["err"]["E_int"] == "0"


def test_detuned_exchange_has_no_structural_e_int():
    system = _system(6)
    H_A, rho_A = system.subsystems["A"]
    detuned = type(system)(dict(system.subsystems, A=([["3/2", "0"], ["0", "0"]], rho_A)),
                           coupling=system.coupling)
    row = ledger_payload(detuned, "detuned", "1", dps=20)["rows"][0]
    assert row["err"]["E_int"] != "0"  # E_int(1) != E_int(0) = 0: no exact zero claimed
    assert " +/- " not in row["E_int"] and float(row["E_int"]) != 0


def test_system_oscillator_not_invariant_is_not_balls():
    """The Rabi coupling climbs the Fock ladder: no proven bound, so no proven digits
    (mpmath, by agreement of two precisions, as documented)."""
    payload = ledger_payload(_system(14, rabi=True), "rabi", "0, 1/4", dps=10)
    assert payload["number_system"] == "mpmath"
    assert "err" not in payload["rows"][0]


# -- the structural claims against propagation at a larger cutoff ----------------------------

def _operators(levels, *, rabi=False):
    a = np.diag(np.sqrt(np.arange(1, levels)), 1)
    sp = np.array([[0, 1], [0, 0]])  # |e><g| in (|e>, |g>)
    V = 0.1 * (np.kron(sp, a) + np.kron(sp.T, a.T))
    if rabi:
        V = V + 0.1 * (np.kron(sp, a.T) + np.kron(sp.T, a))
    H = np.kron(np.diag([1.0, 0.0]), np.eye(levels)) + np.kron(np.eye(2), np.diag(
        np.arange(levels, dtype=float))) + V
    return H, np.kron(np.eye(2), a)


def _evolve(H, Ls, rho0, t):
    d = len(H)
    eye = np.eye(d)
    G = -1j * (np.kron(H, eye) - np.kron(eye, H.T))
    for L in Ls:
        LdL = L.conj().T @ L
        G += np.kron(L, L.conj()) - 0.5 * (np.kron(LdL, eye) + np.kron(eye, LdL.T))
    return (scipy.linalg.expm(G * t) @ rho0.reshape(-1)).reshape(d, d)


def _embed(rho, levels, big):
    out = np.zeros((2 * big, 2 * big), dtype=complex)
    idx = [q * big + n for q in range(2) for n in range(levels)]
    out[np.ix_(idx, idx)] = rho
    return out


@pytest.mark.parametrize("damped", [False, True])
@pytest.mark.parametrize("start_level", [0, 1, 2])
def test_invariance_claim_matches_a_larger_cutoff(damped, start_level):
    levels, big = 4, 9
    H, L = _operators(levels)
    rho0 = np.zeros((2 * levels, 2 * levels))
    rho0[start_level, start_level] = 1  # |e, start_level>
    Ls = [L] if damped else []
    claim = invariant_truncation(H, Ls, rho0, [2, levels], [1])
    # |e,n> reaches |g,n+1>: level 3 (the top) is reached from n = 2
    assert claim == (start_level < 2)
    Hb, Lb = _operators(big)
    exact = _evolve(Hb, [Lb] if damped else [], _embed(rho0, levels, big), 7.0)
    truncated = _embed(_evolve(H, Ls, rho0, 7.0), levels, big)
    gap = np.abs(exact - truncated).max()
    if claim:
        assert gap < 1e-12
    # (no claim from |e,2>: it reaches |g,3> on the top level, which sigma_- a^dag leaves
    # alone, but the proof reads no operator beyond the cut, so it is conservative there)
    # every entry outside the reachable ones is zero in the truncated propagation
    entries = reachable_entries(H, Ls, rho0)
    rho_t = _evolve(H, Ls, rho0, 7.0)
    outside = [abs(rho_t[i, j]) for i in range(len(H)) for j in range(len(H))
               if (i, j) not in entries]
    assert outside and max(outside) < 1e-15


def test_raising_lindblad_operator_is_not_invariant():
    levels = 5
    H, L = _operators(levels)
    rho0 = np.zeros((2 * levels, 2 * levels))
    rho0[levels, levels] = 1  # |g, 0>: H alone leaves it alone
    assert invariant_support(H, [], rho0, [2, levels], [1]) == [levels]
    assert not invariant_truncation(H, [L.T], rho0, [2, levels], [1])  # a^dag pumps up


def test_fock_range_reads_the_blocks():
    levels = 4
    H, L = _operators(levels)
    assert fock_range(H, [2, levels], 1) == 1 and fock_range(H, [2, levels], 0) == 1
    assert fock_range(L @ L, [2, levels], 1) == 2 and fock_range(L @ L, [2, levels], 0) == 0
    assert fock_range(np.kron(np.eye(2), np.diag([1.0] * levels)), [2, levels], 1) == 0


def test_pure_oscillator_state_on_the_propagator_is_bounded_not_nan():
    """At g t = pi/2 the mode holds exactly one photon (pure): the propagator, which has
    no exact times, cannot prove S_B = 0, so beta_B is a ball reaching infinity; E^th_B
    is then enclosed in [E_0, E_B] (the thermal state of equal entropy has the least
    energy), never nan, and holds the exact value 0 the closed form proves."""
    model = get_model("jaynes-cummings")
    prop = reference_payload(model, {}, "pi/(2*g)", dps=20, method="propagator")["rows"][0]
    closed = reference_payload(model, {}, "pi/(2*g)", dps=20)["rows"][0]
    assert closed["Eth_B"] == "0" and closed["beta_B"] == "inf"
    assert prop["beta_B"] == "0 +/- inf"
    for key in ("Eth_B", "exergy_B", "Q_B"):
        lo, hi = _interval(prop[key], prop["err"][key])
        want = arb(closed[key]) if closed[key] != "inf" else None
        assert lo <= want <= hi, (key, prop[key], closed[key])
        assert hi - lo <= 2.5  # bounded by E_B = 1 (and its rounding)


def test_the_example_system_is_certified():
    """examples/qubit_oscillator_exchange.json: the resonant exchange with an oscillator
    of 12 levels holding at most 4 quanta is proven invariant: every value has proven
    digits or is an exact 0/inf."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "examples" / "qubit_oscillator_exchange.json"
    payload = ledger_payload(load_system(str(path)), path.name, "0, 1, 5", dps=30)
    assert payload["number_system"] == "balls"
    assert all(" +/- " not in v for row in payload["rows"] for k, v in row.items() if k != "err")
