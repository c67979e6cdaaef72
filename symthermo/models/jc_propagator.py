"""The Jaynes-Cummings propagator routes: the joint operators and the coherent field's blocks.

:func:`_operators` (SymPy) and :func:`_numeric_operators` (float64, mpmath)
give H and V on the qubit times a truncated Fock space, for the dense
propagation of the base class; :func:`block_rows` propagates a coherent field
block by block, each 2x2 block of the Fock window diagonalised numerically,
and reduces the joint state vector by generic sums
(:func:`_reduce_pure_mixture`).
"""

from __future__ import annotations

import math

import numpy as np

from .jc_manifolds import fock_amplitudes
from .jc_numbers import _num, _real, _time
from .jc_qubit import runs_of
from .jc_spectra import _two_level
from ..entropy import entropy_of_spectrum
from ..lazy import lazy_import
from ..numbers import FLOAT64

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["block_rows"]


def _annihilation(n_max):
    return sympy.Matrix(n_max + 1, n_max + 1, lambda i, j: sympy.sqrt(j) if i == j - 1 else 0)


def _operators(omega_A, omega_B, g, n_max):
    """Joint H and V on qubit (e, g) x Fock |0..n_max> (SymPy)."""
    from .jc_qubit import SIGMA_MINUS, SIGMA_PLUS, SIGMA_Z  # lazy (PEP 562)
    a = _annihilation(n_max)
    one = sympy.eye(n_max + 1)
    kron = sympy.kronecker_product
    V = g * (kron(SIGMA_PLUS, a) + kron(SIGMA_MINUS, a.T))
    H = kron(omega_A / 2 * SIGMA_Z, one) + kron(sympy.eye(2), omega_B * a.T * a) + V
    return H, V


def _numeric_operators(lib, wA, wB, g, n_max):
    d = n_max + 1
    if lib is FLOAT64:
        a = np.diag(np.sqrt(np.arange(1, d, dtype=float)), 1)
        sz = np.diag([1.0, -1.0])
        sp_ = np.array([[0.0, 1.0], [0.0, 0.0]])
        V = g * (np.kron(sp_, a) + np.kron(sp_.T, a.T))
        H = np.kron(wA / 2 * sz, np.eye(d)) + np.kron(np.eye(2), wB * a.T @ a) + V
        return H.astype(complex), V.astype(complex)
    n = 2 * d
    H = mpmath.zeros(n)
    V = mpmath.zeros(n)
    for q, sgn in ((0, 1), (1, -1)):
        for m in range(d):
            H[q * d + m, q * d + m] = sgn * wA / 2 + wB * m
    for m in range(1, d):
        # sigma_+ a |g, m> = sqrt(m) |e, m-1>
        x = g * mpmath.sqrt(m)
        V[0 * d + m - 1, 1 * d + m] = x
        V[1 * d + m, 0 * d + m - 1] = x
    return H + V, V


def _numeric_block(lib, k, wA, wB, g):
    """H on span{|e,k>, |g,k+1>}, entry by entry from the operators' action."""
    sq = math.sqrt(k + 1) if lib is FLOAT64 else mpmath.sqrt(k + 1)
    return [[wA / 2 + k * wB, g * sq], [g * sq, -wA / 2 + (k + 1) * wB]]


def block_rows(model, p, times, *, lib, convention="received"):
    """Rows of the coherent-field propagator route (see :meth:`JaynesCummings.propagate`).

    Each 2x2 block of the Fock window is diagonalised numerically and
    exp(-i H_k t) = Q diag(e^{-i E t}) Q^T applied to the initial amplitudes,
    global phases included; the joint state vector psi(q, m) is then
    reduced by generic sums (rho_A by the partial trace, E_B = omega_B
    sum m |psi|^2, E_int = <psi|V|psi>), the non-zero spectrum of rho_B by
    the eigenvalues of the Gram matrix of its columns, and small
    eigenvalues of a pure rho_A by Gram-Schmidt.
    """
    if lib.name == "balls":
        # mpmath's eigensolver and sums on the balls' midpoints prove nothing (and the
        # balls refused the complex sums: every coherent field stopped with 'a real
        # quantity evaluated to a complex ball'); the Fock window is not proven invariant
        # either: mpmath certifies by agreement (CONTRACT.md)
        raise NotImplementedError("balls: the coherent field's blocks are diagonalised "
                                  "by mpmath")
    ts = [_time(lib, t) for t in times]
    wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
    runs = [(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in runs_of(p["state_A"])]
    window = model._window(p, lib)
    amps = fock_amplitudes(p["alpha"], window)
    amps = [float(a) for a in amps] if lib is FLOAT64 else amps
    lo, hi = window.n_lo, window.n_hi

    def f(m):
        return amps[m - lo] if lo <= m <= hi else lib.zero

    blocks = list(window.blocks)
    if lib is FLOAT64:
        Hs = np.array([_numeric_block(lib, k, wA, wB, g) for k in blocks], dtype=float)
        E, Q = np.linalg.eigh(Hs)
    else:
        eig = [mpmath.eigsy(mpmath.matrix(_numeric_block(lib, k, wA, wB, g))) for k in blocks]
    all_t = [lib.zero] + ts
    states = []  # per time: per run (psi_e, psi_g) over m = 0 .. hi + 1
    for t in all_t:
        per_run = []
        for w, ce, cg in runs:
            psi_e = [0j if lib is FLOAT64 else mpmath.mpc(0)] * (hi + 2)
            psi_g = list(psi_e)
            if window.has_singlet:
                psi_g[0] = cg * f(0) * (np.exp(1j * wA / 2 * t) if lib is FLOAT64
                                        else mpmath.expj(wA / 2 * t))
            if lib is FLOAT64:
                a0 = np.array([ce * f(k) for k in blocks])
                b0 = np.array([cg * f(k + 1) for k in blocks])
                proj = Q[:, 0, :] * a0[:, None] + Q[:, 1, :] * b0[:, None]  # (K, l)
                ph = np.exp(-1j * E * t)
                A = np.sum(Q[:, 0, :] * proj * ph, axis=1)
                B = np.sum(Q[:, 1, :] * proj * ph, axis=1)
                for j, k in enumerate(blocks):
                    psi_e[k] = A[j]
                    psi_g[k + 1] = B[j]
            else:
                for (Ek, Qk), k in zip(eig, blocks):
                    a0, b0 = ce * f(k), cg * f(k + 1)
                    A = B = mpmath.mpc(0)
                    for l in range(2):
                        pr = Qk[0, l] * a0 + Qk[1, l] * b0
                        if pr == 0:
                            continue
                        ph = mpmath.expj(-Ek[l] * t) * pr
                        A += Qk[0, l] * ph
                        B += Qk[1, l] * ph
                    psi_e[k] = A
                    psi_g[k + 1] = B
            per_run.append((w, psi_e, psi_g))
        states.append(per_run)
    sc = model.propagated_semiclassical(p, all_t, lib)
    info = {"manifolds": window.manifolds,
            "neglected_weight": float(window.neglected) if lib is FLOAT64 else +window.neglected}
    data = []
    for k, (t, per_run) in enumerate(zip(all_t, states)):
        d = _reduce_pure_mixture(lib, per_run, wA, wB, g)
        if t == 0 and len(per_run) > 1:
            # the start is rho_A (x) |alpha><alpha|: the field is pure and uncorrelated by
            # structure (the Gram matrix's rounding left rho_B(0) eigenvalues of 1e-60,
            # a finite beta_B(0) that moved with the precision: sigma_A = 0.0049 at 40
            # digits, 0.0093 at 80, where it is inf, and mpmath could not certify it)
            d["B"]["spectrum"] = [lib.zero, lib.one]
            d["I_AB"] = lib.zero
        d.update(info)
        for key in sc:
            d[key] = sc[key][k]
        data.append(d)
    locals_ = model._local_systems(p, lib)
    return [model._finish(locals_, data[0], d, t, lib, convention) for t, d in zip(ts, data[1:])]


def _dot(lib, x, y):
    """sum conj(x) y."""
    if lib is FLOAT64:
        return complex(np.vdot(np.asarray(x), np.asarray(y)))
    xr, xi = [a.real for a in x], [a.imag for a in x]
    yr, yi = [b.real for b in y], [b.imag for b in y]
    return mpmath.mpc(mpmath.fdot(xr, yr) + mpmath.fdot(xi, yi),
                      mpmath.fdot(xr, yi) - mpmath.fdot(xi, yr))


def _weighted_norm(lib, weights, x):
    """sum_m weights[m] |x_m|^2."""
    if lib is FLOAT64:
        return float(np.sum(np.asarray(weights) * np.abs(np.asarray(x)) ** 2))
    xr, xi = [a.real for a in x], [a.imag for a in x]
    return (mpmath.fdot([w * a for w, a in zip(weights, xr)], xr)
            + mpmath.fdot([w * a for w, a in zip(weights, xi)], xi))


def _reduce_pure_mixture(lib, per_run, wA, wB, g):
    """Reduced data of sum_r w_r |psi_r><psi_r| given each psi_r(q, m), generically."""
    zero = lib.zero
    rho = [[zero, zero], [zero, zero]]
    e_b = zero
    e_int = zero
    cols = []
    for w, x, y in per_run:
        n = len(x)
        rho[0][0] += w * _real(lib, _dot(lib, x, x))
        rho[1][1] += w * _real(lib, _dot(lib, y, y))
        rho[0][1] += w * _dot(lib, y, x)  # <e|rho|g> = sum_m psi(e,m) conj(psi(g,m))
        # E_B = omega_B sum_m m |psi(q,m)|^2 ; E_int = <psi| g (sigma_+ a + h.c.) |psi>
        #     = 2 g Re sum_m sqrt(m) conj(psi(e,m-1)) psi(g,m)
        ms = list(range(n)) if lib is FLOAT64 else [mpmath.mpf(m) for m in range(n)]
        e_b += w * wB * (_weighted_norm(lib, ms, x) + _weighted_norm(lib, ms, y))
        roots = [lib.sqrt(m) for m in ms[1:]]
        e_int += w * 2 * g * _real(lib, _dot(lib, x[:-1], [r * b for r, b in zip(roots, y[1:])]))
        scale = lib.sqrt(w) if lib is not FLOAT64 else math.sqrt(w)
        cols.append([scale * v for v in x])
        cols.append([scale * v for v in y])
    rho[1][0] = rho[0][1].conjugate() if lib is FLOAT64 else mpmath.conj(rho[0][1])
    e_a = wA / 2 * (rho[0][0] - rho[1][1])
    if len(per_run) == 1:
        _, x, y = per_run[0]
        det = _gram_schmidt_det(lib, x, y)
        z = rho[0][0] - rho[1][1]
        c2 = abs(rho[0][1]) ** 2
        lam = _two_level(lib, z, c2, det)
        s = entropy_of_spectrum(lib, list(lam))
        return {"A": {"E": e_a, "spectrum": list(lam)}, "B": {"E": e_b, "spectrum": list(lam)},
                "E_int": e_int, "I_AB": 2 * s}
    ra = lib.as_matrix([[rho[0][0], rho[0][1]], [rho[1][0], rho[1][1]]]) if lib is FLOAT64 else \
        mpmath.matrix([[rho[0][0], rho[0][1]], [rho[1][0], rho[1][1]]])
    lam_a = _clean(lib, lib.eigvalsh(ra))
    n = len(cols)
    G = lib.zeros(n)
    for i in range(n):
        for j in range(n):
            G[i, j] = _dot(lib, cols[i], cols[j])
    lam_b = _clean(lib, lib.eigvalsh(G))
    joint = lib.zeros(len(per_run))
    for i, (wi, xi, yi) in enumerate(per_run):
        for j, (wj, xj, yj) in enumerate(per_run):
            joint[i, j] = lib.sqrt(wi * wj) * (_dot(lib, xi, xj) + _dot(lib, yi, yj))
    lam_ab = _clean(lib, lib.eigvalsh(joint))
    i_ab = (entropy_of_spectrum(lib, lam_a) + entropy_of_spectrum(lib, lam_b)
            - entropy_of_spectrum(lib, lam_ab))
    return {"A": {"E": e_a, "spectrum": lam_a}, "B": {"E": e_b, "spectrum": lam_b},
            "E_int": e_int, "I_AB": i_ab}


def _clean(lib, values):
    return sorted(v if v > 0 else lib.zero for v in values)


def _gram_schmidt_det(lib, x, y):
    """|u|^2 |v - (u.v/|u|^2) u|^2 (u the shorter vector), orthogonalised twice."""
    nx, ny = _real(lib, _dot(lib, x, x)), _real(lib, _dot(lib, y, y))
    u, v, nu = (x, y, nx) if nx <= ny else (y, x, ny)
    if nu == 0:
        return lib.zero
    if lib is FLOAT64:
        u, v = np.asarray(u), np.asarray(v)
        for _ in range(2):
            v = v - (np.vdot(u, v) / nu) * u
        return nu * float(np.vdot(v, v).real)
    with mpmath.extraprec(32):
        v = list(v)
        for _ in range(2):
            c = _dot(lib, u, v) / nu
            v = [b - c * a for a, b in zip(u, v)]
        return +(nu * _real(lib, _dot(lib, v, v)))
