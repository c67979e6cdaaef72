"""Problem 1: the two-qubit refrigerator of EL23 Fig. 2, 1000 times.

H = (omega_A/2) sigma_z^A + (omega_B/2) sigma_z^B + (g/2) sigma_x sigma_x with
the contract's defaults (omega_A = 1, omega_B = 1.63, g = 1, beta_A = 2,
beta_B = 1.8); A starts thermal, B in sigma_x w_B(beta_B) sigma_x.  Times:
1000 points on [0, 3 pi/Omega], Omega = sqrt(g^2 + (omega_A - omega_B)^2)
(the window of Fig. 2, up to the third of the paper's times).

- symthermo: the closed form (float64, dps 30, dps 30 certified);
- QuTiP: ``mesolve`` of the joint density matrix (mixed initial state, no
  collapse operators: unitary), default tolerances and atol = rtol = 1e-14,
  then ``ptrace``, ``expect``, ``entropy_vn`` for E_X, S_X, E_int, I_AB;
- qthermo on QuTiP's tight states: S_X, ergotropy_X, exergy_X
  (``batteries.asymptotic_ergotropy``), Eth_X = E_X - exergy_X, Q_X, W_X,
  I_AB, and sigma_X = ``entropy_production(rho_X(0), rho_X(t), -Q_Y,
  1/beta_Y(0))`` with the known initial temperatures; no equivalent for
  beta_X (``virtual_temperature`` is negative for the inverted B).
"""

from __future__ import annotations

import math

import numpy as np

from .common import missing_rows, result, timed
from .modelbench import load_model, qthermo_side, qutip_bipartite, symthermo_side
from .plain_numpy import refrigerator_columns

NAME = "1 refrigerator"
MODEL = "refrigerator"
QUTIP_KEYS = ("E_A", "E_B", "S_A", "S_B", "E_int", "I_AB")
QTHERMO_KEYS = tuple(f"{k}_{n}" for n in "AB" for k in ("S", "Eth", "Q", "W", "ergotropy", "exergy")) \
    + ("I_AB", "sigma_A", "sigma_B")
TIGHT = {"atol": 1e-14, "rtol": 1e-14, "nsteps": 10**6}
#: QuTiP's 8th-order Runge-Kutta at its tightest tolerances, next to the default Adams method
DOP853 = dict(TIGHT, method="dop853")


def times(quick, p):
    wA, wB, g = (float(p[k]) for k in ("omega_A", "omega_B", "g"))
    t_max = 3 * math.pi / math.sqrt(g**2 + (wA - wB) ** 2)
    n = 20 if quick else 1000
    return [float(x) for x in np.linspace(0.0, t_max, n)]


def qutip_problem(qt, p):
    wA, wB, g, bA, bB = (float(p[k]) for k in ("omega_A", "omega_B", "g", "beta_A", "beta_B"))
    sz, sx, I2 = qt.sigmaz(), qt.sigmax(), qt.qeye(2)
    HA, HB = wA / 2 * sz, wB / 2 * sz
    V = g / 2 * qt.tensor(sx, sx)
    H = qt.tensor(HA, I2) + qt.tensor(I2, HB) + V
    rA = (-bA * HA).expm()
    rA = rA / rA.tr()
    wB_th = (-bB * HB).expm()
    rB = sx * wB_th * sx / wB_th.tr()
    return HA, HB, V, H, qt.tensor(rA, rB)


def run(ctx):
    model, why = load_model(MODEL)
    if model is None:
        return [result(NAME, "(problem)", status="not available", note=why)]
    p = model.params({})
    ts = times(ctx.quick, p)
    n = len(ts)
    check = sorted({1, n // 7, n // 3, n // 2, (2 * n) // 3, n - 1}) if not ctx.quick else [1, n - 1]
    rows, ref, cap, crosscheck, scorer = symthermo_side(ctx, NAME, model, p, ts, check_idx=check,
                                                        certified=True)
    # the yardstick: a plain vectorised numpy script of the same formulas, in this process
    args = [float(p[k]) for k in ("omega_A", "omega_B", "g", "beta_A", "beta_B")]
    t_np = np.array(ts)
    plain_s, plain = timed(lambda: refrigerator_columns(*args, t_np), ctx)
    keys = [k for k in rows[0]["keys"]]
    rows.append(result(NAME, "plain numpy (hand-written formulas)", time_s=plain_s,
                       scored=scorer({k: plain[k].tolist() for k in keys}, keys), keys=keys,
                       note="benchmarks/problems/plain_numpy.py: EL23's closed form typed out in "
                            "numpy, every contract key and the 6 extra keys (26), no checks"))
    qt = ctx.qutip
    if qt is not None:
        HA, HB, V, H, rho0 = qutip_problem(qt, p)
        tight_states, tight_solve = None, None
        for label, options in (("default tol", {}), ("atol=rtol=1e-14", TIGHT),
                               ("dop853, atol=rtol=1e-14", DOP853)):
            solve_s, states = timed(lambda: qt.mesolve(H, rho0, ts, options=dict(
                options, store_states=True)).states, ctx)
            post_s, cols = timed(lambda: qutip_bipartite(qt, states, HA, HB, V), ctx)
            rows.append(result(NAME, f"QuTiP mesolve ({label}) + entropy_vn", time_s=solve_s + post_s,
                               solve_s=solve_s, scored=scorer(cols, QUTIP_KEYS), keys=QUTIP_KEYS,
                               note="" if options else
                               "mesolve of the density matrix (mixed initial state; sesolve takes "
                               "kets), then ptrace, expect, entropy_vn; no equivalent: beta, Eth, "
                               "Q, W, ergotropy, exergy, sigma"))
            tight_states, tight_solve = states, solve_s
        if ctx.qthermo is not None:
            qth = ctx.qthermo
            local = {"A": HA.full(), "B": HB.full()}
            beta0 = {"A": float(p["beta_A"]), "B": float(p["beta_B"])}
            post_s, cols = timed(lambda: qthermo_side(qth, tight_states, local, [2, 2],
                                                      initial_beta=beta0), ctx)
            rows.append(result(NAME, "qthermo on QuTiP's tight states", time_s=tight_solve + post_s,
                               solve_s=tight_solve, scored=scorer(cols, QTHERMO_KEYS),
                               keys=QTHERMO_KEYS,
                               note="time includes the tight mesolve; exergy = asymptotic_ergotropy, "
                                    "Eth = E - exergy, sigma = entropy_production with the known "
                                    "initial temperatures; no equivalent: beta"))
    rows += missing_rows(NAME, ctx, ["qutip"], "mesolve + entropy_vn")
    if ctx.qthermo is None or qt is None:
        rows += missing_rows(NAME, ctx, ["qthermo"], "ergotropy, asymptotic_ergotropy, entropy_production")
        if qt is None and ctx.qthermo is not None:
            rows.append(result(NAME, "qthermo", status="missing",
                               note="needs QuTiP's states (QuTiP missing)"))
    for r in rows:
        r["reference"] = {"method": f"symthermo propagator (Model.propagate) at dps {ctx.ref_dps}, "
                                    "checked against the closed form",
                          "cap": cap, "crosscheck": crosscheck}
    return rows
