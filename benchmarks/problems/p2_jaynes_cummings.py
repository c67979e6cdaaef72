"""Problem 2: Jaynes-Cummings, qubit in its ground state, coherent field alpha = 30, 100 times.

``jaynes-cummings`` with state_A = ground, state_B = coherent, alpha = 30
(omega_A = omega_B = 1, g = 0.01: resonant).  Times: 100 points on
[0, pi/g], the window of the paper's times (collapse included; the first
revival, near 2 pi alpha/g, is far beyond it).

- symthermo: the manifold sums (float64, dps 30, dps 30 certified);
- QuTiP: ``sesolve`` of the joint ket on a Fock space of N levels, N the
  smallest with Poisson tail P(n >= N) < 1e-12 (N = 1120 for alpha = 30), in
  the frame rotating at omega (at resonance H0 = omega (sigma_z/2 + a^dag a)
  commutes with H, so every key is unchanged; in the lab frame the phases
  e^{-i n omega t}, n ~ 900, make the ODE 10^3 times stiffer), with
  atol = rtol = 1e-10, 1e-12, 1e-14 (the first that reaches 1e-8 is the
  answer to "large enough for QuTiP to reach 1e-8").  Keys: E_A, E_B, E_int
  (``expect`` on the ket), S_A (``entropy_vn(ptrace(psi, 0))``); S_B = S_A and
  I_AB = 2 S_A by the Schmidt decomposition of the pure joint state:
  ``entropy_vn`` of the N x N field state costs a dense diagonalisation per
  time (measured once, on the last state, in the full run);
- qthermo on QuTiP's tightest states, qubit side only: S_A, ergotropy_A,
  exergy_A, Eth_A, Q_A, W_A (the field side needs the same N x N
  diagonalisations).
"""

from __future__ import annotations

import math
import time
import warnings

import mpmath
import numpy as np

from .common import missing_rows, result, score, timed
from .modelbench import load_model, qthermo_side, symthermo_side
from .plain_numpy_jc import jaynes_cummings_columns

NAME = "2 Jaynes-Cummings"
MODEL = "jaynes-cummings"
TAIL = 1e-12
TOLERANCES = (1e-10, 1e-12, 1e-14)


def fock_cutoff(alpha, tail=TAIL):
    """Smallest N (levels 0..N-1) with Poisson(alpha^2) weight at n >= N below ``tail``."""
    with mpmath.workdps(40):
        mean = mpmath.mpf(alpha) ** 2
        term = mpmath.exp(-mean)
        below, n = term, 0
        while 1 - below >= tail or n < mean:
            n += 1
            term *= mean / n
            below += term
        return n + 1


def run(ctx):
    model, why = load_model(MODEL)
    if model is None:
        return [result(NAME, "(problem)", status="not available", note=why)]
    given = {"state_A": "ground", "state_B": "coherent"}
    if ctx.quick:
        given["alpha"] = "3"
    p = model.params(given)
    wA, wB, g, alpha = (float(p[k]) for k in ("omega_A", "omega_B", "g", "alpha"))
    n = 6 if ctx.quick else 100
    ts = [float(x) for x in np.linspace(0.0, math.pi / g, n)]
    check = [1, n - 1] if ctx.quick else [1, n // 3, n - 1]
    # the block propagator costs seconds per time at dps 50: ten scored times
    rows, ref, cap, crosscheck, scorer = symthermo_side(ctx, NAME, model, p, ts, check_idx=check,
                                                        certified=True, ref_points=10)
    # the yardstick: a plain vectorised numpy script of the same sums, in this process
    levels, t_np = fock_cutoff(alpha), np.array(ts)
    plain_s, plain = timed(lambda: jaynes_cummings_columns(wA, g, alpha, levels, t_np), ctx)
    keys = [k for k in rows[0]["keys"] if k in plain]
    rows.append(result(NAME, "plain numpy (hand-written formulas)", time_s=plain_s,
                       scored=scorer({k: plain[k].tolist() for k in keys}, keys), keys=keys,
                       note=f"benchmarks/problems/plain_numpy_jc.py: the manifold sums typed out "
                            f"in numpy over the Fock levels 0..{levels - 1} (QuTiP's cutoff), "
                            f"{len(keys)} keys, no checks"))
    qt = ctx.qutip
    if qt is not None:
        N = fock_cutoff(alpha)
        a = qt.destroy(N)
        HA = qt.tensor(wA / 2 * qt.sigmaz(), qt.qeye(N))
        HB = qt.tensor(qt.qeye(2), wB * a.dag() * a)
        V = g * (qt.tensor(qt.sigmap(), a) + qt.tensor(qt.sigmam(), a.dag()))
        psi0 = qt.tensor(qt.basis(2, 1), qt.coherent(N, alpha, method="analytic"))
        keys = ("E_A", "E_B", "S_A", "S_B", "E_int", "I_AB")

        def post(states):
            out = {k: [] for k in keys}
            for psi in states:
                s_a = qt.entropy_vn(psi.ptrace(0))
                out["E_A"].append(qt.expect(HA, psi))
                out["E_B"].append(qt.expect(HB, psi))
                out["E_int"].append(qt.expect(V, psi))
                out["S_A"].append(s_a)
                out["S_B"].append(s_a)
                out["I_AB"].append(2 * s_a)
            return out

        last = None
        # the default (Adams) method at three tolerances, and dop853 (8th-order
        # Runge-Kutta) at the tightest
        runs = [(tol, {}, "") for tol in TOLERANCES] + [(TOLERANCES[-1], {"method": "dop853"},
                                                         "dop853, ")]
        for tol, method, label in runs:
            opts = {"atol": tol, "rtol": tol, "nsteps": 10**7, **method}
            ctx.log(f"{NAME}: QuTiP sesolve, N = {N}, {label}tol {tol:g}")
            solve_s, states = timed(lambda: qt.sesolve(V, psi0, ts, options=opts).states, ctx)
            post_s, cols = timed(lambda: post(states), ctx)
            rows.append(result(NAME, f"QuTiP sesolve (N={N}, {label}tol {tol:g}) + entropy_vn",
                               time_s=solve_s + post_s, solve_s=solve_s, scored=scorer(cols, keys),
                               keys=keys, fock_cutoff=N,
                               note="" if (tol, label) != (TOLERANCES[0], "") else
                               f"rotating frame, Fock cutoff N = {N} (Poisson tail < {TAIL:g}); "
                               "expect on the ket, entropy_vn(ptrace(psi, 0)); S_B = S_A and "
                               "I_AB = 2 S_A (pure joint state); no equivalent: beta, Eth, Q, W, "
                               "ergotropy, exergy, sigma"))
            last = (states, solve_s)
        states, solve_s = last
        if not ctx.quick:
            # what S_B costs the QuTiP way: one dense N x N field state and its entropy
            start = time.perf_counter()
            s_b = qt.entropy_vn(states[-1].ptrace(1))
            one = time.perf_counter() - start
            agree = score({"S_B": [s_b]}, {"S_B": [ref["S_B"][-1]]}, ("S_B",), cap=cap)["digits"]
            rows.append(result(NAME, "QuTiP entropy_vn(ptrace(psi, 1)), one time", time_s=one,
                               keys=("S_B",), status="ok",
                               scored={"digits": agree, "per_key": {"S_B": agree}, "worst": None},
                               note=f"the dense {N}x{N} field state at t = {ts[-1]:.4g}: "
                                    f"{one:.1f} s for one time, ~{one * n:.0f} s for all {n}"))
        if ctx.qthermo is not None:
            HA_q = (wA / 2 * qt.sigmaz()).full()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                post_s, cols = timed(lambda: qthermo_side(
                    ctx.qthermo, [psi.ptrace(0) for psi in states], {"A": HA_q}, [2]), ctx, repeat=1)
            k = ("S_A", "Eth_A", "Q_A", "W_A", "ergotropy_A", "exergy_A")
            rows.append(result(NAME, "qthermo on QuTiP's tightest states (qubit)",
                               time_s=solve_s + post_s, solve_s=solve_s, scored=scorer(cols, k),
                               keys=k, note="time includes the tightest sesolve and the qubit "
                                            "ptrace; no equivalent: beta; field side not run "
                                            "(N x N diagonalisations)"))
    rows += missing_rows(NAME, ctx, ["qutip"], "sesolve + entropy_vn")
    if ctx.qthermo is None or qt is None:
        rows += missing_rows(NAME, ctx, ["qthermo"], "ergotropy, asymptotic_ergotropy")
        if qt is None and ctx.qthermo is not None:
            rows.append(result(NAME, "qthermo", status="missing",
                               note="needs QuTiP's states (QuTiP missing)"))
    for r in rows:
        r["reference"] = {"method": f"symthermo block propagator (Model.propagate) at dps "
                                    f"{ctx.ref_dps}, checked against the manifold sums",
                          "cap": cap, "crosscheck": crosscheck}
    return rows
