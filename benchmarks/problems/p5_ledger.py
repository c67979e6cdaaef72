"""Problem 5: ``symthermo ledger`` on random two-qutrit systems against QuTiP.

Each system: random Hermitian H_A, H_B (3x3) and coupling V (9x9, scale
0.3), random full-rank initial states rho_A, rho_B (eigenvalues >= 0.02),
all given as 9-decimal strings with unit trace exactly (the last diagonal
entry is 1 minus the others, in decimal), so every tool solves the same
problem: symthermo's mpmath routes read the strings exactly, the float64
tools get their float64 values.

- symthermo: ``symthermo.ledger.ledger`` (float64, and ``dps=30``), every
  contract key, by the propagator (H diagonalised once);
- QuTiP: ``mesolve`` (default and tight tolerances) of the joint state, then
  ``ptrace``, ``expect``, ``entropy_vn``: E_X, S_X, E_int, I_AB;
- qthermo on QuTiP's tight states: ``von_neumann_entropy``, ``ergotropy``,
  ``batteries.asymptotic_ergotropy`` (exergy; E^th = E - exergy, hence Q and W),
  ``mutual_information``; no equivalent for beta (its ``virtual_temperature``
  uses the two lowest levels only) and hence none for sigma.

Reference: ``ledger(..., dps=50)`` (balls, every printed digit proven), cross-checked
at a subset of times against an independent route written here: H
diagonalised by ``mpmath.eigh`` at 80 digits, U(t) = V e^{-iEt} V^dag, and
the textbook formulas of :mod:`problems.textbook` for every key.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import mpmath
import numpy as np

from . import textbook as tb
from .common import missing_rows, result, score, timed

NAME = "5 ledger (2 qutrits)"
LOCAL = ("E", "S", "beta", "Eth", "Q", "W", "ergotropy", "exergy")
KEYS = tuple(f"{k}_{n}" for n in "AB" for k in LOCAL) + ("E_int", "I_AB", "sigma_A", "sigma_B")
QUTIP_KEYS = ("E_A", "E_B", "S_A", "S_B", "E_int", "I_AB")
QTHERMO_KEYS = tuple(f"{k}_{n}" for n in "AB" for k in ("S", "Eth", "Q", "W", "ergotropy", "exergy")) \
    + ("I_AB",)
SEED = 20240611
T_MAX = 10.0


def _q(x):
    return Decimal(f"{x:.9f}")


def _hermitian_text(rng, n, scale):
    A = (rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))) * scale / 2
    A = A + A.conj().T
    out = [[None] * n for _ in range(n)]
    for i in range(n):
        out[i][i] = (_q(A[i, i].real), Decimal(0))
        for j in range(i + 1, n):
            re, im = _q(A[i, j].real), _q(A[i, j].imag)
            out[i][j] = (re, im)
            out[j][i] = (re, -im)
    return out


def _state_text(rng, n, min_eig=0.02):
    while True:
        G = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        R = G @ G.conj().T
        R = R / np.trace(R).real
        R = (1 - n * min_eig) * R + min_eig * np.eye(n)
        out = _hermitian_text_from(R)
        diag = [out[i][i][0] for i in range(n - 1)]
        out[n - 1][n - 1] = (Decimal(1) - sum(diag), Decimal(0))
        if np.linalg.eigvalsh(_to_numpy(out)).min() > min_eig / 2:
            return out


def _hermitian_text_from(R):
    n = R.shape[0]
    out = [[None] * n for _ in range(n)]
    for i in range(n):
        out[i][i] = (_q(R[i, i].real), Decimal(0))
        for j in range(i + 1, n):
            re, im = _q(R[i, j].real), _q(R[i, j].imag)
            out[i][j] = (re, im)
            out[j][i] = (re, -im)
    return out


def _to_numpy(M):
    return np.array([[complex(float(re), float(im)) for re, im in row] for row in M])


def _to_strings(M):
    return [[f"{re}" if im == 0 else f"{re}{'+' if im >= 0 else '-'}{abs(im)}j" for re, im in row]
            for row in M]


def _to_mp(M):
    n = len(M)
    out = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            re, im = M[i][j]
            out[i, j] = mpmath.mpc(mpmath.mpf(str(re)), mpmath.mpf(str(im)))
    return out


def systems(quick):
    rng = np.random.default_rng(SEED)
    count = 1 if quick else 3
    out = []
    for _ in range(count):
        out.append({"HA": _hermitian_text(rng, 3, 1.0), "HB": _hermitian_text(rng, 3, 1.0),
                    "V": _hermitian_text(rng, 9, 0.3),
                    "rA": _state_text(rng, 3), "rB": _state_text(rng, 3)})
    return out


def _times(quick):
    n = 4 if quick else 20
    return [float(x) for x in np.linspace(0.0, T_MAX, n)]


# -- tools ------------------------------------------------------------------------------

def _symthermo(sys_, ts, dps=None):
    from symthermo.ledger import ledger

    if dps is None:
        subs = {"A": (_to_numpy(sys_["HA"]), _to_numpy(sys_["rA"])),
                "B": (_to_numpy(sys_["HB"]), _to_numpy(sys_["rB"]))}
        return ledger(subs, ts, coupling=_to_numpy(sys_["V"]))
    subs = {"A": (_to_strings(sys_["HA"]), _to_strings(sys_["rA"])),
            "B": (_to_strings(sys_["HB"]), _to_strings(sys_["rB"]))}
    return ledger(subs, ts, coupling=_to_strings(sys_["V"]), dps=dps)


def _qutip_problem(qt, sys_):
    HA, HB = qt.Qobj(_to_numpy(sys_["HA"])), qt.Qobj(_to_numpy(sys_["HB"]))
    V = qt.Qobj(_to_numpy(sys_["V"]), dims=[[3, 3], [3, 3]])
    H = qt.tensor(HA, qt.qeye(3)) + qt.tensor(qt.qeye(3), HB) + V
    rho0 = qt.tensor(qt.Qobj(_to_numpy(sys_["rA"])), qt.Qobj(_to_numpy(sys_["rB"])))
    return HA, HB, V, H, rho0


def _qutip_solve(qt, sys_, ts, options):
    _, _, _, H, rho0 = _qutip_problem(qt, sys_)
    return qt.mesolve(H, rho0, ts, options=dict(options, store_states=True)).states


def _qutip_quantities(qt, sys_, states):
    HA, HB, V, _, _ = _qutip_problem(qt, sys_)
    rows = []
    for rho in states:
        a, b = rho.ptrace(0), rho.ptrace(1)
        s_a, s_b = qt.entropy_vn(a), qt.entropy_vn(b)
        rows.append({"E_A": qt.expect(HA, a), "E_B": qt.expect(HB, b), "S_A": s_a, "S_B": s_b,
                     "E_int": qt.expect(V, rho), "I_AB": s_a + s_b - qt.entropy_vn(rho)})
    return rows


def _qthermo_quantities(qth, sys_, states):
    from qthermo.batteries import asymptotic_ergotropy

    H = {"A": _to_numpy(sys_["HA"]), "B": _to_numpy(sys_["HB"])}
    rows, first = [], None
    for rho in states:
        full = rho.full()
        row, eth = {}, {}
        for k, n in enumerate("AB"):
            r = qth.partial_trace(full, k, [3, 3])
            E = qth.internal_energy(r, H[n])
            X = asymptotic_ergotropy(r, H[n])
            row[f"S_{n}"] = qth.von_neumann_entropy(r)
            row[f"ergotropy_{n}"] = qth.ergotropy(r, H[n])
            row[f"exergy_{n}"] = X
            row[f"Eth_{n}"] = E - X
            eth[n] = (E, E - X)
        if first is None:
            first = eth
        for n in "AB":
            row[f"Q_{n}"] = eth[n][1] - first[n][1]
            row[f"W_{n}"] = eth[n][0] - first[n][0] - row[f"Q_{n}"]
        row["I_AB"] = qth.mutual_information(full, 0, 1, [3, 3])
        rows.append(row)
    return rows


# -- independent reference route ---------------------------------------------------------

def textbook_rows(sys_, ts, dps):
    """Every key at the times ``ts`` by mpmath eigh + textbook formulas (dps + 30 working)."""
    with mpmath.workdps(dps + 30):
        HA, HB, V = _to_mp(sys_["HA"]), _to_mp(sys_["HB"]), _to_mp(sys_["V"])
        rA, rB = _to_mp(sys_["rA"]), _to_mp(sys_["rB"])
        I3 = mpmath.eye(3)
        H = _kron(HA, I3) + _kron(I3, HB) + V
        rho0 = _kron(rA, rB)
        E, U = tb.eigh(H)
        Uh = tb.dagger(U)
        q0 = {"A": tb.local_row(rA, HA), "B": tb.local_row(rB, HB)}
        Hs = {"A": HA, "B": HB}
        rows = []
        for t in ts:
            t = mpmath.mpf(t)
            D = mpmath.diag([mpmath.expj(-e * t) for e in E])
            Ut = U * D * Uh
            rho = Ut * rho0 * tb.dagger(Ut)
            row = {}
            qt_ = {}
            for k, n in enumerate("AB"):
                red = tb.partial_trace(rho, [3, 3], k)
                q = tb.local_row(red, Hs[n])
                qt_[n] = q
                for key in ("E", "S", "beta", "Eth", "ergotropy", "exergy"):
                    row[f"{key}_{n}"] = q[key]
                row[f"Q_{n}"] = q["Eth"] - q0[n]["Eth"]
                row[f"W_{n}"] = q["E"] - q0[n]["E"] - row[f"Q_{n}"]
            row["E_int"] = tb.expectation(rho, V)
            s_ab = tb.entropy_of(tb.spectrum(rho))
            row["I_AB"] = qt_["A"]["S"] + qt_["B"]["S"] - s_ab
            row["sigma_A"] = qt_["A"]["S"] - q0["A"]["S"] + q0["B"]["beta"] * row["Q_B"]
            row["sigma_B"] = qt_["B"]["S"] - q0["B"]["S"] + q0["A"]["beta"] * row["Q_A"]
            rows.append(row)
    return rows


def _kron(A, B):
    out = mpmath.matrix(A.rows * B.rows, A.cols * B.cols)
    for i in range(A.rows):
        for j in range(A.cols):
            for k in range(B.rows):
                for m in range(B.cols):
                    out[i * B.rows + k, j * B.cols + m] = A[i, j] * B[k, m]
    return out


# -- the problem -------------------------------------------------------------------------

def _stack(per_system):
    """Concatenate per-system lists of rows into one {key: [...]} over all systems."""
    cols = {}
    for rows in per_system:
        for r in rows:
            for k, v in r.items():
                cols.setdefault(k, []).append(v)
    return cols


def run(ctx):
    syss = systems(ctx.quick)
    ts = _times(ctx.quick)
    labels = [f"system {s} t={t:.4g}" for s in range(len(syss)) for t in ts]
    ctx.log(f"problem 5: {len(syss)} systems x {len(ts)} times; reference ledger(dps={ctx.ref_dps})")
    ref = [_symthermo(s, ts, ctx.ref_dps) for s in syss]
    # cross-check on a subset of times against the independent textbook route
    sub = sorted({1, len(ts) // 2, len(ts) - 1})
    agree = []
    for s, rows in zip(syss, ref):
        tb_rows = textbook_rows(s, [ts[i] for i in sub], ctx.ref_dps)
        agree.append(score(_stack([tb_rows]), _stack([[rows[i] for i in sub]]), KEYS,
                           cap=ctx.ref_dps)["digits"])  # the tools' metric
    cap = min(agree)
    crosscheck = (f"ledger(dps={ctx.ref_dps}) agrees with an independent mpmath eigh + textbook "
                  f"route to {cap:.1f} digits on every key at {len(sub)} times per system")
    ctx.log(f"problem 5: {crosscheck}")
    ref_cols = _stack(ref)
    rows_out = []

    def scored(values, keys):
        return score(values, ref_cols, keys, cap=cap, labels=labels)

    t64, v64 = timed(lambda: [_symthermo(s, ts) for s in syss], ctx)
    rows_out.append(result(NAME, "symthermo float64", time_s=t64, scored=scored(_stack(v64), KEYS),
                           keys=KEYS, note="symthermo.ledger.ledger, every contract key"))
    tmp, vmp = timed(lambda: [_symthermo(s, ts, ctx.dps) for s in syss], ctx, repeat=1)
    rows_out.append(result(NAME, f"symthermo dps {ctx.dps}", time_s=tmp,
                           scored=scored(_stack(vmp), KEYS), keys=KEYS,
                           note=f"ledger(..., dps={ctx.dps}): balls, every printed digit proven (the command line's route)"))
    qt = ctx.qutip
    if qt is not None:
        tight_states = None
        for label, options in (("default tol", {}),
                               ("atol=rtol=1e-14", {"atol": 1e-14, "rtol": 1e-14, "nsteps": 10**6})):
            ts_solve, states = timed(lambda: [_qutip_solve(qt, s, ts, options) for s in syss], ctx)
            tq, vq = timed(lambda: [_qutip_quantities(qt, s, st) for s, st in zip(syss, states)], ctx)
            rows_out.append(result(NAME, f"QuTiP mesolve ({label}) + entropy_vn", time_s=ts_solve + tq,
                                   solve_s=ts_solve, scored=scored(_stack(vq), QUTIP_KEYS),
                                   keys=QUTIP_KEYS, note="ptrace, expect, entropy_vn; no equivalent: "
                                   "beta, Eth, Q, W, ergotropy, exergy, sigma" if not options else ""))
            tight_states = states
        qth = ctx.qthermo
        if qth is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tt, vt = timed(lambda: [_qthermo_quantities(qth, s, st)
                                        for s, st in zip(syss, tight_states)], ctx)
            rows_out.append(result(NAME, "qthermo on QuTiP's tight states", time_s=ts_solve + tt,
                                   solve_s=ts_solve, scored=scored(_stack(vt), QTHERMO_KEYS),
                                   keys=QTHERMO_KEYS,
                                   note="von_neumann_entropy, ergotropy, asymptotic_ergotropy "
                                        "(Eth = E - exergy), mutual_information; time includes the "
                                        "tight mesolve; no equivalent: beta, sigma"))
    rows_out += missing_rows(NAME, ctx, ["qutip"], "mesolve + entropy_vn")
    if qt is None or ctx.qthermo is None:
        rows_out += missing_rows(NAME, ctx, ["qthermo"], "ergotropy, asymptotic_ergotropy")
        if qt is None and ctx.qthermo is not None:
            rows_out.append(result(NAME, "qthermo", status="missing",
                                   note="needs QuTiP's states (QuTiP missing)"))
    for r in rows_out:
        r["reference"] = {"method": f"symthermo ledger(dps={ctx.ref_dps})", "cap": cap,
                          "crosscheck": crosscheck}
    return rows_out
