"""Qubits finished from closed-form Bloch components: one row at a time in any number
system (:func:`finish_qubits`) and all times at once in float64 (:func:`finish_qubit_columns`
with :func:`qubit_entropy_beta` and :func:`entropy_increments`), for the two-qubit models
(the refrigerator, the qubit-qubit exchange).

A qubit's passive state with rho's spectrum is the thermal state with rho's entropy, so
its ergotropy and exergy are both E - E^th, an exact 0 for a passive qubit; the
entropies and their increments are taken without cancellation (log1p forms), and the
float64 values within their rounding of 0 are found (:func:`_qubit_columns_unearned`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..heat_work import check_convention, heat, work
from .float64_columns import EARNED, _EPS, _difference_rounding, beta_times_heat_columns

__all__ = ["finish_qubits", "qubit_entropy_beta", "entropy_increments", "finish_qubit_columns"]


def finish_qubits(row, data0, data, names, convention):
    """Q, W, E^th, exergy and ergotropy of qubits straight from closed-form E and E^th.

    The shared finishing rebuilds E^th as ground + (E^th - ground) and the
    ergotropy as (E - ground) - Tr[pi H]: rounding residues where the exact
    value is 0 (a passive qubit has E = E^th), which are not exact zeros at
    every precision and so defeat the certification of digits.  For a qubit the
    passive state with rho's spectrum is the thermal state with rho's entropy,
    so ergotropy = exergy = E - E^th exactly; with E and E^th computed from the
    same z, a passive state gives an exact 0.
    """
    for n in names:
        e0, eth0 = data0[n]["E"], data0[n]["Eth"]
        e, eth = data[n]["E"], data[n]["Eth"]
        if type(e).__module__.startswith(("flint", "symthermo.ball_columns")):
            continue  # balls: the base finishing's structural zeros stand (symthermo.balls)
        row[f"Eth_{n}"] = eth
        row[f"Q_{n}"] = heat(eth0, eth, convention=convention)
        row[f"W_{n}"] = work(e0, e, eth0, eth, convention=convention)
        row[f"exergy_{n}"] = row[f"ergotropy_{n}"] = e - eth
    return row


def qubit_entropy_beta(lo, hi, omega):
    """(S, beta) of qubit spectra {lo, hi} (numpy arrays, lo <= hi, lo + hi = 1):
    S with 0 ln 0 = 0 and beta = ln(hi/lo)/omega (inf where lo = 0), from one
    logarithm of each eigenvalue, ln hi as log1p(-lo) once some lo is below 1e-3 (hi
    rounds to 1 for lo below 1e-16; the entropy keeps the lo + O(lo^2) of that term;
    above 1e-3 ln hi's rounding is below 3e-14 of S).  Call under
    np.errstate(divide="ignore")."""
    l_lo = np.log(lo)
    least = np.minimum.reduce(lo, axis=None)
    l_hi = np.log1p(-lo) if least < 1e-3 else np.log(hi)
    x_lo = lo * l_lo
    if least <= 0:
        x_lo = np.where(lo > 0, x_lo, 0.0)
    S = hi * l_hi
    S += x_lo
    np.negative(S, out=S)
    np.subtract(l_hi, l_lo, out=x_lo)
    x_lo /= omega
    return S, x_lo


def entropy_increments(S, lo, hi, dr):
    """S(t) - S(0) of qubits with spectra {lo, hi} (rows of (2, n) arrays, column 0 is
    t = 0), their entropies ``S`` and Bloch-length increments ``dr`` = r - r(0) (so lo =
    lo_0 - dr/2, hi = hi_0 + dr/2), without the cancellation of the two entropies at
    small times.  Call under np.errstate(divide="ignore", invalid="ignore").

    From x ln x - x_0 ln x_0 = x ln(x/x_0) + (x - x_0) ln x_0:
    Delta S = -lo log1p(-dr/(2 lo_0)) - hi log1p(dr/(2 hi_0)) - (dr/2) ln(hi_0/lo_0),
    exact for every dr; the last term is the first order -artanh(r_0) dr, the two
    log1p terms cancel to O(dr^2) with an error of a few ulps of dr, so the result
    keeps its relative precision while ln(hi_0/lo_0) = beta_0 omega >= 1e-3.  A qubit
    that starts pure (lo_0 = 0, S(0) = 0) gets S itself; one that starts nearly
    maximally mixed (beta_0 omega < 1e-3, where the first order vanishes) gets
    :func:`_entropy_increments_midpoint`.

    >>> import numpy as np
    >>> from symthermo.models.qubit_columns import entropy_increments, qubit_entropy_beta
    >>> r = np.array([[0.5, 0.5 + 1e-9]])
    >>> lo, hi = (1 - r) / 2, (1 + r) / 2
    >>> S, _ = qubit_entropy_beta(lo, hi, 1.0)
    >>> d = entropy_increments(S, lo, hi, np.array([[0.0, 1e-9]]))
    >>> bool(abs(d[0, 1] + np.arctanh(0.5 + 5e-10) * 1e-9) < 1e-24)
    True
    """
    lo0, hi0 = lo[:, :1], hi[:, :1]
    first = np.log(hi0 / lo0)  # beta_0 omega (inf for a pure start: that row is redone)
    up = dr * (0.5 / hi0)
    np.log1p(up, out=up)
    up *= hi
    up += (0.5 * first) * dr
    out = dr * (-0.5 / lo0)
    np.log1p(out, out=out)
    out *= lo
    out += up
    np.negative(out, out=out)
    if np.minimum.reduce(lo, axis=None) <= 0:  # a pure state reached: 0 ln 0 = 0
        out = np.where(lo > 0, out, -up)
    for k, f in enumerate(first[:, 0].tolist()):
        if not 1e-3 <= f < math.inf:
            out[k] = (S[k] if lo0[k, 0] <= 0  # a pure start: S(0) = 0
                      else _entropy_increments_midpoint(S[k:k + 1], 1 - 2 * lo[k:k + 1],
                                                        dr[k:k + 1])[0])
    return out


def _entropy_increments_midpoint(S, r, dr):
    """:func:`entropy_increments` for qubits that start nearly maximally mixed.

    dS/dr = -artanh(r), so S(r) - S(r_0) = -int_{r_0}^{r} artanh(s) ds, by the midpoint
    rule with its first two corrections: f(m) dr + f2(m) dr^3/24 + f4(m) dr^5/1920 with
    m = r_0 + dr/2, f = artanh, its second derivative f2 = 2m/(1 - m^2)^2 and its fourth
    f4 = 24 m (1 + m^2)/(1 - m^2)^4, where |dr| <= (1 - r_0)/101 (then also
    |dr| <= (1 - m)/100, and the next term is below 1e-17 of the first); elsewhere
    S - S(0), whose rounding leaves at least 12 digits of a step that large
    (Delta S ~ -dr^2/2 once r_0 ~ 0).

    >>> import numpy as np
    >>> from symthermo.models.qubit_columns import _entropy_increments_midpoint
    >>> d = _entropy_increments_midpoint(np.array([[np.log(2), np.nan]]), np.array([[0.0, 1e-6]]),
    ...                                  np.array([[0.0, 1e-6]]))
    >>> bool(abs(d[0, 1] / -0.5e-12 - 1) < 1e-9)   # -r^2/2 - r^4/12 - ...
    True
    """
    out = S - S[:, :1]
    r0 = r[:, :1]
    small = np.abs(dr) <= (1 - r0) / 101
    near = np.flatnonzero(small.any(axis=0))  # the times next to t = 0 (or to a return)
    if near.size:
        d = dr[:, near]
        m = r0 + 0.5 * d
        m2 = m * m
        q = 1 - m2
        d2 = d * d
        series = -d * (np.arctanh(m) + d2 * (m / (12 * q * q))
                       * (1 + d2 * (3 * (1 + m2)) / (20 * q * q)))
        out[:, near] = np.where(small[:, near], series, out[:, near])
    return out


def finish_qubit_columns(model, d, ts, convention):
    """The finished columns of two qubits (vectorised :meth:`Model._finish`
    followed by :func:`finish_qubits`) from ``d["qubits"]``: (2, n) arrays of
    the closed-form E, E^th, S, beta and S - S(0) (row 0 is A, column 0 is t = 0).
    E^th, Q and W come from the closed-form E^th, ergotropy = exergy = E - E^th,
    sigma_X = Delta S_X + beta_Y(0) Q_Y (0 * inf = 0).  Leaves the received heats
    and works in ``d["qubits"]`` (``"Q"``, ``"W"``) for the extra keys."""
    provided = check_convention(convention) == "provided"
    q = d["qubits"]
    e, eth, S, beta, dS = q["E"], q["Eth"], q["S"], q["beta"], q["dS"]
    # increments given by the model (no cancellation), else differences
    de = q["Q"] = q["dEth"] if "dEth" in q else eth - eth[:, :1]
    w = q["W"] = (q["dE"] if "dE" in q else e - e[:, :1]) - de
    erg = e - eth
    if provided:
        de, w = -de, -w
    cols = {"E_int": d["E_int"], "I_AB": d["I_AB"]}
    for k, n in enumerate(model.subsystems):
        cols[f"E_{n}"] = e[k]
        cols[f"S_{n}"] = S[k]
        cols[f"beta_{n}"] = beta[k]
        cols[f"Eth_{n}"] = eth[k]
        cols[f"ergotropy_{n}"] = cols[f"exergy_{n}"] = erg[k]
        cols[f"Q_{n}"] = de[k]
        cols[f"W_{n}"] = w[k]
    if model.unitary:
        received = q["Q"]
        # beta(0) = inf (a pure start) times a heat: 0 only within the heat's rounding
        cols["sigma_A"] = dS[0] + beta_times_heat_columns(
            beta[1, 0], received[1], functools.partial(_difference_rounding, eth[1]))
        cols["sigma_B"] = dS[1] + beta_times_heat_columns(
            beta[0, 0], received[0], functools.partial(_difference_rounding, eth[0]))
        if "_checks" in d:  # entropy productions within their rounding of 0
            d["_checks"].entropy_production(cols["sigma_A"], cols["sigma_B"], beta[:, 0])
    for key in model.extra_keys:
        cols[key] = d[key] if key in d else model.extra_columns(key, cols, d, ts)
    if "_checks" in d and d["_checks"].mask is not None:
        d["unearned"] = d["_checks"].mask
    if "_rounding" in d:
        mask = _qubit_columns_unearned(q, de, w, d["E_int"], cols, d["_rounding"])
        mask[ts == 0] = False
        d["unearned"] = mask if "unearned" not in d else d["unearned"] | mask
    return cols


def _qubit_columns_unearned(q, de, w, e_int, cols, rounding):
    """The times at which a value of two qubits' columns (:func:`finish_qubit_columns`) is
    within :data:`~.float64_columns.EARNED` times its rounding, from the model's rounding of
    E_j, of the smaller eigenvalue lo_j, of E^th_j, of Delta E_j and of E_int
    (``rounding``: (2, n) arrays and one (n,) array). Propagated: S_j ~ |ln(hi/lo)| (lo's),
    beta_j = 0 where hi_j - lo_j (two lo's) is noise, Q_j = Delta E^th_j (E^th's at t and at
    0), W_j, the ergotropy E_j - E^th_j (an exact 0 is the structure's: a passive qubit),
    I_AB and sigma_j (Delta S = S - S(0)), E_int."""
    eps = 2 * _EPS
    e, eth, S, beta, lo, hi = q["E"], q["Eth"], q["S"], q["beta"], q["lo"], q["hi"]
    e_err, lo_err, eth_err, de_err = (rounding[k] for k in ("E", "lo", "Eth", "dE"))
    log_ratio = np.where(lo > 0, np.abs(np.log(hi) - np.log(np.where(lo > 0, lo, 1.0))), 0.0)
    s_err = log_ratio * lo_err + eps * S
    ds = S - S[:, :1]
    # (an exact 0 of S - S(0), a qubit whose spectrum does not move, has no rounding)
    ds_err = np.where(ds != 0, s_err + s_err[:, :1] + eps * (S + S[:, :1]), 0.0)
    deth_err = eth_err + eth_err[:, :1] + eps * (np.abs(eth) + np.abs(eth[:, :1]))
    erg = e - eth

    def noise(x, err):
        # an exact 0 is the structure's (a passive qubit's ergotropy, W of a qubit that
        # stays thermal, a state that does not move): only a nonzero value is looked at
        return (x != 0) & (np.abs(x) < EARNED * err)

    # beta = ln(hi/lo)/omega near 0: hi - lo within the rounding of the two (a beta the
    # model gives as an exact 0 is its structure's)
    low = (noise(e, e_err) | (lo < EARNED * lo_err)
           | ((beta != 0) & (np.abs(hi - lo) < EARNED * (2 * lo_err + eps)))
           | noise(de, deth_err) | noise(q["dE"], de_err)
           | noise(w, de_err + deth_err + eps * (np.abs(q["dE"]) + np.abs(de)))
           | noise(erg, e_err + eth_err + eps * (np.abs(e) + np.abs(eth))))
    mask = low.any(axis=0)
    mask |= noise(cols["I_AB"], ds_err.sum(axis=0) + eps * np.abs(ds).sum(axis=0))
    mask |= noise(e_int, rounding["E_int"])
    for j, k in ((0, 1), (1, 0)):
        beta0 = float(beta[k, 0])
        if math.isfinite(beta0):
            mask |= noise(cols[("sigma_A", "sigma_B")[j]], ds_err[j] + abs(beta0) * deth_err[k]
                          + eps * (np.abs(ds[j]) + abs(beta0) * np.abs(de[k])))
    return mask

