"""The qutrit swap (EL23 S12-S16): derivation facts, closed forms against the propagator,
float64 against mpmath, the swap itself, and the negativity of sigma_erg."""

import mpmath
import numpy as np
import pytest
import scipy.linalg
import sympy

from symthermo.entropy import relative_entropy
from symthermo.models import get_model
from symthermo.models import qutrit_swap as qs
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.propagator import evolve

MODEL = get_model("qutrit-swap")

PARAM_SETS = {
    "paper": {},
    "other": {"omega_1": "0.7", "omega_2": "1.9", "beta_1": "0.3", "beta_2": "2.1", "g": "0.4"},
    # beta_1 omega_1 > beta_2 omega_2: B starts non-passive (p_2 > p_1), with ergotropy
    "active-B": {"omega_1": "1", "omega_2": "1.6", "beta_1": "2", "beta_2": "0.25", "g": "1.3"},
}
GENERIC_TIMES = ["0", "0.21", "1", "2.6"]


def _times(p, lib):
    names = {n: sympy.Symbol(n, positive=True) for n in p}
    out = []
    for text in GENERIC_TIMES + list(MODEL.paper_times):
        expr = sympy.sympify(text, locals=names).subs({names[k]: v for k, v in p.items()})
        out.append(float(expr) if lib is FLOAT64 else mpmath.mpmathify(sympy.N(expr, 50)))
    return out


def _close(a, b, tol):
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1, abs(b))


def test_derivation_facts():
    d = qs.derive_reduced()
    g = qs._SYMBOLS["g"]
    assert d["V_is_S_minus_P"]
    assert (qs.swap_operator() ** 2).is_Identity or qs.swap_operator() ** 2 == sympy.eye(9)
    assert sorted(len(b) for b in d["blocks"]) == [1, 1, 1, 2, 2, 2]
    assert all(sympy.expand(f - 4 * g ** 2) == 0 for f in d["frequencies"])
    assert set(d["coherences"]) == {0}
    assert d["E_int"] == 0
    a, b = d["populations"]
    c2, s2 = sympy.cos(g * qs.T) ** 2, sympy.sin(g * qs.T) ** 2
    assert d["rho_A"] == [c2 * a[k] + s2 * b[k] for k in range(3)]
    assert d["rho_B"] == [c2 * b[k] + s2 * a[k] for k in range(3)]


@pytest.mark.parametrize("name", PARAM_SETS)
def test_closed_form_matches_propagator_to_25_digits(name):
    p = MODEL.params(PARAM_SETS[name])
    with working_precision(30):
        ts = _times(p, MPMATH)
        closed = MODEL.evaluate(p, ts, lib=MPMATH)
        propagated = MODEL.propagate(p, ts, lib=MPMATH)
        for rc, rp in zip(closed, propagated):
            assert set(rc) == set(rp) == set(MODEL.keys())
            for key in rc:
                assert _close(rc[key], rp[key], mpmath.mpf(10) ** -25), (name, key, rc["t"])


@pytest.mark.parametrize("name", PARAM_SETS)
def test_float64_matches_dps30(name):
    p = MODEL.params(PARAM_SETS[name])
    fast = MODEL.evaluate(p, _times(p, FLOAT64), lib=FLOAT64)
    with working_precision(30):
        exact = MODEL.evaluate(p, _times(p, MPMATH), lib=MPMATH)
    for rf, rm in zip(fast, exact):
        for key in rf:
            assert _close(mpmath.mpf(rf[key]), rm[key], 1e-12), (name, key, rf["t"])


@pytest.mark.parametrize("name", ["paper", "other"])
def test_the_swap_is_exact_for_the_diagonal_initial_state(name):
    p = MODEL.params(PARAM_SETS[name])
    with working_precision(30):
        dyn = MODEL.dynamics(p, lib=MPMATH)
        t = mpmath.pi / (2 * mpmath.mpf(sympy.N(p["g"], 40)))
        rho = evolve(dyn.hamiltonian, dyn.initial_state, [t], dps=30)[0]
        rho_A0 = MPMATH.partial_trace(dyn.initial_state, [3, 3], [0])
        rho_B0 = MPMATH.partial_trace(dyn.initial_state, [3, 3], [1])
        swapped = MPMATH.kron(rho_B0, rho_A0)
        assert MPMATH.norm(rho - swapped) < mpmath.mpf(10) ** -27
        assert MPMATH.norm(rho_A0 - rho_B0) > 0.01


def test_the_swap_unitary_is_swap_times_an_entangling_phase():
    """U(pi/2g) = exp(-i(H_A + H_B)t) S D, D = diag(-i on k != l, 1 on kk): D is not a
    product of local phases, so a state with coherences is not simply swapped."""
    w1, w2, g = 1.0, 2.3, 1.0
    h = np.diag([0.0, w1, w2])
    H0 = np.kron(h, np.eye(3)) + np.kron(np.eye(3), h)
    V = np.array(qs.coupling(sympy.Integer(1)).tolist(), dtype=float) * g
    t = np.pi / (2 * g)
    U = scipy.linalg.expm(-1j * (H0 + V) * t)
    S = np.array(qs.swap_operator().tolist(), dtype=float)
    D = np.diag([1.0 if k == m else -1j for k in range(3) for m in range(3)])
    assert np.allclose(U, scipy.linalg.expm(-1j * H0 * t) @ S @ D, atol=1e-12)
    # D is entangling: phi(0,0) phi(1,1) / (phi(0,1) phi(1,0)) = -1, never 1 for a product
    phi = np.diag(D).reshape(3, 3)
    assert abs(phi[0, 0] * phi[1, 1] / (phi[0, 1] * phi[1, 0]) + 1) < 1e-15
    psi = np.zeros(3, complex)
    psi[[0, 1]] = 1 / np.sqrt(2)
    rho_A = np.outer(psi, psi.conj())
    rho_B = np.diag([0.6, 0.3, 0.1])
    rho_t = U @ np.kron(rho_A, rho_B) @ U.conj().T
    assert np.max(np.abs(rho_t - np.kron(rho_B, rho_A))) > 0.1


def test_sigma_erg_is_negative_at_the_swap_while_sigma_is_not():
    p = MODEL.params()
    with working_precision(30):
        t_swap = mpmath.pi / 2
        r0, rs = MODEL.evaluate(p, [mpmath.mpf(0), t_swap], lib=MPMATH)
        tiny = mpmath.mpf(10) ** -27
        assert abs(rs["S_A"] - r0["S_A"]) < tiny                      # S16
        assert abs(r0["S_A"] - r0["S_B"]) < tiny                      # A matched to S_B(0)
        assert abs(r0["beta_A"] - r0["beta_B"]) < tiny
        assert abs(rs["sigma_A"]) < tiny                              # sigma_A = 0, not < 0
        assert rs["sigma_erg_A"] < -0.05
        # sigma_erg_A = beta_B(0) (E^th_B(0) - E_B(0)) = -beta_B(0) exergy_B(0)
        assert abs(rs["sigma_erg_A"] + r0["beta_B"] * r0["exergy_B"]) < tiny
        assert abs(rs["E_B"] - r0["E_B"] - (r0["Eth_B"] - r0["E_B"])) < tiny
        assert abs(rs["ergotropy_B"]) < tiny and abs(r0["ergotropy_B"]) < tiny
    grid = MODEL.evaluate(p, list(np.linspace(0, 2 * np.pi, 301)), lib=FLOAT64)
    assert min(r["sigma_A"] for r in grid) > -1e-12
    assert min(r["sigma_B"] for r in grid) > -1e-12


@pytest.mark.parametrize("name", ["paper", "active-B"])
def test_identity_S13(name):
    """sigma_erg = I_AB + D[pi_B(t) || w_B(beta_B(0))] - D[pi_B(0) || w_B(beta_B(0))]."""
    p = MODEL.params(PARAM_SETS[name])
    with working_precision(30):
        dyn = MODEL.dynamics(p, lib=MPMATH)
        ts = [mpmath.mpf(0), mpmath.mpf("0.45"), mpmath.mpf("1.3"), mpmath.mpf("2.9")]
        rows = MODEL.evaluate(p, ts, lib=MPMATH)
        states = evolve(dyn.hamiltonian, dyn.initial_state, ts, dps=30)
        beta = rows[0]["beta_B"]
        levels = [mpmath.mpf(0), mpmath.mpf(sympy.N(p["omega_1"], 40)),
                  mpmath.mpf(sympy.N(p["omega_2"], 40))]
        boltz = [mpmath.exp(-beta * e) for e in levels]
        order = sorted(range(3), key=lambda k: levels[k])
        w = mpmath.diag([x / mpmath.fsum(boltz) for x in boltz])

        def passive(rho):
            pops = sorted((mpmath.re(rho[k, k]) for k in range(3)), reverse=True)
            out = [0] * 3
            for k, x in zip(order, pops):
                out[k] = x
            return mpmath.diag(out)

        def D(rho):
            return relative_entropy(passive(MPMATH.partial_trace(rho, [3, 3], [1])), w, dps=30)

        d0 = D(states[0])
        for row, rho in zip(rows, states):
            rhs = row["I_AB"] + D(rho) - d0
            assert abs(row["sigma_erg_A"] - rhs) < mpmath.mpf(10) ** -25, (name, row["t"])


def test_interaction_energy_vanishes_and_energy_is_conserved():
    p = MODEL.params(PARAM_SETS["other"])
    with working_precision(30):
        rows = MODEL.propagate(p, _times(p, MPMATH), lib=MPMATH)
        for r in rows:
            assert abs(r["E_int"]) < mpmath.mpf(10) ** -28
            assert abs(r["E_A"] + r["E_B"] - rows[0]["E_A"] - rows[0]["E_B"]) < mpmath.mpf(10) ** -28


def test_symbolic_closed_forms():
    m = qs.QutritSwap()
    forms = m.closed_forms(m.params({n: "symbol" for n in qs._SYMBOLS}))
    free = forms.subsystems["A"].energy.free_symbols
    assert free == {qs._SYMBOLS[n] for n in ("omega_1", "omega_2", "beta_1", "beta_2", "g")} | {
        qs.BETA_B0, qs.T}
    assert forms.interaction_energy == 0


# -- exact zeros at the exact swap times (balls, symthermo.exact_times) ---------------------

SWAP_ZEROS = ("Q_A", "Q_B", "I_AB", "sigma_A", "sigma_B", "exergy_B", "E_int")


def _payload(params, times, **kw):
    from symthermo.tables import reference_payload

    return reference_payload(MODEL, dict(params), times, dps=kw.pop("dps", 20), **kw)


def _midpoint_and_radius(text):
    """(m, r) of a printed ``m +/- r`` (at 60 digits); (x, 0) of a plain value."""
    with mpmath.workdps(60):
        if " +/- " in text:
            mid, rad = text.split(" +/- ")
            return mpmath.mpf(mid), mpmath.mpf(rad)
        return mpmath.mpf(text), mpmath.mpf(0)


def _within(text, err, value, slack=0):
    """The printed value +/- err holds ``value`` (an mpmath number at 60 digits, known
    within ``slack``)."""
    mid, rad = _midpoint_and_radius(text)
    with mpmath.workdps(60):
        if " +/- " not in text:
            rad = mpmath.mpf(err) * (1 + mpmath.mpf("1e-10"))
        return abs(mid - value) <= rad + slack


@pytest.mark.parametrize("name", list(PARAM_SETS))
def test_exact_swap_times_print_structural_zeros(name):
    """At g t = pi/2 and 3 pi/2 the reduced states are exchanged exactly (cos(g t) = 0,
    proven by SymPy): the heats, I_AB, sigma_A, sigma_B and B's exergy are exact zeros;
    at g t = pi the row is the t = 0 row.  Checked against the mpmath route at 60 digits,
    the ball propagator (which knows no exact time: its balls must hold 0), and the
    t = 0 row with A and B exchanged."""
    params = PARAM_SETS[name]
    times = "0, pi/(2*g), pi/g, 3*pi/(2*g)"
    rows = _payload(params, times)["rows"]
    with mpmath.workdps(60):
        ref = _payload(params, times, dps=60, number_system="mpmath")["rows"]
    prop = _payload(params, times, method="propagator")["rows"]
    start = rows[0]
    for k in (1, 3):
        row = rows[k]
        for key in SWAP_ZEROS:
            assert row[key] == "0" and row["err"][key] == "0", (key, row[key])
            assert " +/- " in prop[k][key] or prop[k][key] == "0"
            assert _within(prop[k][key], prop[k]["err"][key], mpmath.mpf(0))
        for key in ("E", "ergotropy"):
            assert row[f"{key}_A"] == start[f"{key}_B"] and row[f"{key}_B"] == start[f"{key}_A"]
        for key in ("S", "beta", "Eth"):
            assert row[f"{key}_A"] == start[f"{key}_A"] and row[f"{key}_B"] == start[f"{key}_B"]
        assert row["exergy_A"] == start["exergy_B"]
        # the one value that is not zero: EL23's point, sigma_erg_A < 0 at the swap
        assert row["sigma_erg_A"].startswith("-") and " +/- " not in row["sigma_erg_A"]
    assert {k: v for k, v in rows[2].items() if k not in ("t", "err")} == \
        {k: v for k, v in start.items() if k not in ("t", "err")}
    for row, r in zip(rows, ref):
        for key, text in row.items():
            if key in ("t", "err"):
                continue
            # mpmath knows no structure: a cancellation to 0 is printed "0 +/- r"
            want, slack = _midpoint_and_radius(r[key])
            assert slack < mpmath.mpf("1e-55"), (key, r[key])
            if text == "0":
                assert abs(want) <= slack, (key, r[key])
            else:
                assert _within(text, row["err"][key], want, slack), (key, text, r[key])
        for key, text in prop[rows.index(row)].items():
            if key not in ("t", "err") and text != "0":
                want, slack = _midpoint_and_radius(r[key])
                assert _within(text, prop[rows.index(row)]["err"][key], want, slack), (
                    key, text, r[key])


def test_a_decimal_time_near_the_swap_is_genuinely_nonzero():
    """g t = 1.5707963267948966 (pi/2 rounded to 17 digits) is not a swap: Q_A is a
    nonzero number of size (pi/2 - g t)^2, printed with proven digits, not as 0."""
    row = _payload({}, "1.5707963267948966")["rows"][0]
    with mpmath.workdps(60):
        delta = mpmath.pi / 2 - mpmath.mpf("1.5707963267948966")
        q = mpmath.mpf(row["Q_A"])
        assert " +/- " not in row["Q_A"] and q > 0
        assert mpmath.mpf("1e-3") < q / delta ** 2 < 10
