"""Problem 3: spontaneous emission (3a) and the reaction coordinate (3b), 200 times.

3a. ``spontaneous-emission`` at its defaults (omega = 1, gamma = 0.01, the
    qubit starts excited), times on [0, 5/gamma];
3b. ``reaction-coordinate`` with kappa = 0.8 lam (lam = 0.01, omega =
    omega_rc = 1, qubit excited, mode in its vacuum), times on [0, 2 pi/lam]
    (the paper's last time).

- symthermo: the closed forms (float64, dps 30);
- QuTiP: ``mesolve`` in the lab frame with collapse operators sqrt(gamma)
  sigma_- (3a) and sqrt(kappa) a (3b; Fock cutoff 3 levels, which one
  excitation never leaves), default tolerances and atol = rtol = 1e-14;
  then ``ptrace``, ``expect``, ``entropy_vn``;
- qthermo on QuTiP's tight states: S, ergotropy, exergy
  (``asymptotic_ergotropy``; for the mode the reduced state is padded to 40
  levels so that the thermal state of equal entropy is the untruncated
  oscillator's), Eth = E - exergy, Q, W, I_AB; no equivalent for beta.
"""

from __future__ import annotations

import math

import numpy as np

from .common import missing_rows, result, timed
from .modelbench import load_model, qthermo_side, qutip_bipartite, qutip_single, symthermo_side
from .plain_numpy_open import reaction_coordinate_columns, spontaneous_emission_columns

NAME_SE = "3a spontaneous emission"
NAME_RC = "3b reaction coordinate"
TIGHT = {"atol": 1e-14, "rtol": 1e-14, "nsteps": 10**6}
#: QuTiP's 8th-order Runge-Kutta at its tightest tolerances, next to the default Adams method
DOP853 = dict(TIGHT, method="dop853")
FOCK = 3  # levels 0, 1, 2 of the mode: one excitation at most
PAD = 40  # levels of the mode given to qthermo


def _times(quick, t_max):
    n = 10 if quick else 200
    return [float(x) for x in np.linspace(0.0, t_max, n)]


def _check(quick, n):
    return [1, n - 1] if quick else sorted({1, n // 5, n // 2, (4 * n) // 5, n - 1})


def _tools_missing(name, ctx):
    rows = missing_rows(name, ctx, ["qutip"], "mesolve + entropy_vn")
    if ctx.qthermo is None or ctx.qutip is None:
        rows += missing_rows(name, ctx, ["qthermo"], "ergotropy, asymptotic_ergotropy")
        if ctx.qutip is None and ctx.qthermo is not None:
            rows.append(result(name, "qthermo", status="missing",
                               note="needs QuTiP's states (QuTiP missing)"))
    return rows


def _qutip_rows(ctx, name, H, rho0, ts, c_ops, post, scorer, keys, note):
    qt = ctx.qutip
    rows, tight = [], None
    for label, options in (("default tol", {}), ("atol=rtol=1e-14", TIGHT),
                           ("dop853, atol=rtol=1e-14", DOP853)):
        solve_s, states = timed(lambda: qt.mesolve(H, rho0, ts, c_ops=c_ops, options=dict(
            options, store_states=True)).states, ctx)
        post_s, cols = timed(lambda: post(states), ctx)
        rows.append(result(name, f"QuTiP mesolve ({label}) + entropy_vn", time_s=solve_s + post_s,
                           solve_s=solve_s, scored=scorer(cols, keys), keys=keys,
                           note=note if not options else ""))
        tight = (states, solve_s)
    return rows, tight


def _plain_row(ctx, name, rows, scorer, columns):
    """The yardstick: a plain vectorised numpy script of the same formulas, in this process."""
    plain_s, plain = timed(columns, ctx)
    keys = [k for k in rows[0]["keys"] if k in plain]
    return result(name, "plain numpy (hand-written formulas)", time_s=plain_s,
                  scored=scorer({k: plain[k].tolist() for k in keys}, keys), keys=keys,
                  note=f"benchmarks/problems/plain_numpy_open.py: the closed form typed out in "
                       f"numpy, {len(keys)} keys, no checks")


def spontaneous_emission(ctx):
    model, why = load_model("spontaneous-emission")
    if model is None:
        return [result(NAME_SE, "(problem)", status="not available", note=why)]
    p = model.params({})
    w, gamma = float(p["omega"]), float(p["gamma"])
    ts = _times(ctx.quick, 5 / gamma)
    rows, ref, cap, crosscheck, scorer = symthermo_side(ctx, NAME_SE, model, p, ts,
                                                        check_idx=_check(ctx.quick, len(ts)),
                                                        certified=True)
    t_np = np.array(ts)
    rows.append(_plain_row(ctx, NAME_SE, rows, scorer,
                           lambda: spontaneous_emission_columns(w, gamma, t_np)))
    qt = ctx.qutip
    if qt is not None:
        HA = w / 2 * qt.sigmaz()
        rho0 = qt.ket2dm(qt.basis(2, 0))  # sigma_z |0> = +|0>: excited
        keys = ("E_A", "S_A")
        got, (states, solve_s) = _qutip_rows(
            ctx, NAME_SE, HA, rho0, ts, [math.sqrt(gamma) * qt.sigmam()],
            lambda st: qutip_single(qt, st, HA), scorer, keys,
            "lab frame, c_ops = [sqrt(gamma) sigma_-]; expect, entropy_vn; no equivalent: beta, Eth, "
            "Q, W, ergotropy, exergy")
        rows += got
        if ctx.qthermo is not None:
            post_s, cols = timed(lambda: qthermo_side(ctx.qthermo, states, {"A": HA.full()}, [2]),
                                 ctx)
            k = ("S_A", "Eth_A", "Q_A", "W_A", "ergotropy_A", "exergy_A")
            rows.append(result(NAME_SE, "qthermo on QuTiP's tight states", time_s=solve_s + post_s,
                               solve_s=solve_s, scored=scorer(cols, k), keys=k,
                               note="time includes the tight mesolve; no equivalent: beta"))
    rows += _tools_missing(NAME_SE, ctx)
    for r in rows:
        r["reference"] = {"method": f"symthermo propagator (Model.propagate) at dps {ctx.ref_dps}, "
                                    "checked against the closed form",
                          "cap": cap, "crosscheck": crosscheck}
    return rows


def reaction_coordinate(ctx):
    model, why = load_model("reaction-coordinate")
    if model is None:
        return [result(NAME_RC, "(problem)", status="not available", note=why)]
    p = model.params({"kappa": "0.8*lam"})
    w, wrc, lam, kappa = (float(p[k]) for k in ("omega", "omega_rc", "lam", "kappa"))
    ts = _times(ctx.quick, 2 * math.pi / lam)
    rows, ref, cap, crosscheck, scorer = symthermo_side(ctx, NAME_RC, model, p, ts,
                                                        check_idx=_check(ctx.quick, len(ts)),
                                                        certified=True)
    t_np = np.array(ts)
    rows.append(_plain_row(ctx, NAME_RC, rows, scorer,
                           lambda: reaction_coordinate_columns(w, wrc, lam, kappa, t_np)))
    qt = ctx.qutip
    if qt is not None:
        a = qt.destroy(FOCK)
        I2, IF = qt.qeye(2), qt.qeye(FOCK)
        HA, HB = w / 2 * qt.sigmaz(), wrc * a.dag() * a
        V = lam * (qt.tensor(qt.sigmap(), a) + qt.tensor(qt.sigmam(), a.dag()))
        H = qt.tensor(HA, IF) + qt.tensor(I2, HB) + V
        rho0 = qt.tensor(qt.ket2dm(qt.basis(2, 0)), qt.ket2dm(qt.basis(FOCK, 0)))
        keys = ("E_A", "E_B", "S_A", "S_B", "E_int", "I_AB")
        got, (states, solve_s) = _qutip_rows(
            ctx, NAME_RC, H, rho0, ts, [math.sqrt(kappa) * qt.tensor(I2, a)],
            lambda st: qutip_bipartite(qt, st, HA, HB, V), scorer, keys,
            f"lab frame, Fock cutoff {FOCK} levels, c_ops = [sqrt(kappa) a]; ptrace, expect, "
            "entropy_vn; no equivalent: beta, Eth, Q, W, ergotropy, exergy")
        rows += got
        if ctx.qthermo is not None:
            local = {"A": HA.full(), "B": np.diag([wrc * n for n in range(PAD)]).astype(complex)}
            post_s, cols = timed(lambda: qthermo_side(ctx.qthermo, states, local, [2, FOCK],
                                                      pad={"B": PAD}), ctx)
            k = tuple(f"{q}_{n}" for n in "AB" for q in ("S", "Eth", "Q", "W", "ergotropy", "exergy")) \
                + ("I_AB",)
            rows.append(result(NAME_RC, "qthermo on QuTiP's tight states", time_s=solve_s + post_s,
                               solve_s=solve_s, scored=scorer(cols, k), keys=k,
                               note=f"time includes the tight mesolve; the mode's state padded to "
                                    f"{PAD} levels for asymptotic_ergotropy; no equivalent: beta"))
    rows += _tools_missing(NAME_RC, ctx)
    for r in rows:
        r["reference"] = {"method": f"symthermo propagator (Model.propagate) at dps {ctx.ref_dps}, "
                                    "checked against the closed form",
                          "cap": cap, "crosscheck": crosscheck}
    return rows


NAME = "3 open systems"


def run(ctx):
    return spontaneous_emission(ctx) + reaction_coordinate(ctx)
