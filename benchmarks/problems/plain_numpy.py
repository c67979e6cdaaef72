"""The refrigerator's 26 keys by a plain vectorised numpy script (problem 1's yardstick).

Written out by hand from EL23's closed form (Supplement Eqs. S20-S26, as the
refrigerator module's docstring states it), with no symthermo code: what a
physicist would type to get the same numbers as fast as numpy allows.  With
tau_j = tanh(beta_j omega_j / 2), lambda = sqrt(g^2 + (omega_A + omega_B)^2),
Omega = sqrt(g^2 + (omega_A - omega_B)^2):

    z_A = -tau_A + g^2 (tau_A - tau_B)/(2 lambda^2) (1 - cos lambda t)
                 + g^2 (tau_A + tau_B)/(2 Omega^2) (1 - cos Omega t)
    z_B =  tau_B + g^2 (tau_A - tau_B)/(2 lambda^2) (1 - cos lambda t)
                 - g^2 (tau_A + tau_B)/(2 Omega^2) (1 - cos Omega t)
    E_int = -g^2 (omega_A + omega_B)(tau_A - tau_B)/(4 lambda^2) (1 - cos lambda t)
            - g^2 (omega_A - omega_B)(tau_A + tau_B)/(4 Omega^2) (1 - cos Omega t)

and E_j = omega_j z_j/2, r_j = |z_j|, E^th_j = -omega_j r_j/2, S_j the binary
entropy of (1 +- r_j)/2, beta_j = ln[(1 + r_j)/(1 - r_j)]/omega_j, Q and W
received, ergotropy = exergy = E - E^th (a qubit), I_AB = Delta S_A +
Delta S_B, sigma_A = Delta S_A + beta_B(0) Q_B (and A <-> B), cop =
-Q_A/(-W_A - W_B - E_int) (its limit -Eth_A(0)/(Eth_A(0) + Eth_B(0)) at t = 0),
carnot = beta_B(0)/(beta_A(0) - beta_B(0)).
"""

from __future__ import annotations

import numpy as np

__all__ = ["refrigerator_columns"]


def refrigerator_columns(omega_A, omega_B, g, beta_A, beta_B, t):
    """The 26 keys (every contract key and the model's extra keys) at the times ``t``."""
    t = np.asarray(t, dtype=float)
    ta, tb = np.tanh(beta_A * omega_A / 2), np.tanh(beta_B * omega_B / 2)
    lam2, om2 = g * g + (omega_A + omega_B) ** 2, g * g + (omega_A - omega_B) ** 2
    c_lam = 1 - np.cos(np.sqrt(lam2) * t)
    c_om = 1 - np.cos(np.sqrt(om2) * t)
    a, b = g * g * (ta - tb) / (2 * lam2), g * g * (ta + tb) / (2 * om2)
    out = {"z_A": -ta + a * c_lam + b * c_om, "z_B": tb + a * c_lam - b * c_om,
           "E_int": -(omega_A + omega_B) * a / 2 * c_lam - (omega_A - omega_B) * b / 2 * c_om}
    s0, q, w = {}, {}, {}
    beta0 = {}
    for n, om in (("A", omega_A), ("B", omega_B)):
        z = out[f"z_{n}"]
        r = np.abs(z)
        lo, hi = (1 - r) / 2, (1 + r) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            S = -np.where(lo > 0, lo * np.log(lo), 0.0) - hi * np.log(hi)
            beta = np.log(hi / lo) / om
        E, eth = om * z / 2, -om * r / 2
        q[n] = eth - eth[0]
        w[n] = E - E[0] - q[n]
        s0[n] = S - S[0]
        beta0[n] = beta[0]
        out.update({f"r_{n}": r, f"E_{n}": E, f"S_{n}": S, f"beta_{n}": beta, f"Eth_{n}": eth,
                    f"Q_{n}": q[n], f"W_{n}": w[n], f"ergotropy_{n}": E - eth,
                    f"exergy_{n}": E - eth})
    out["I_AB"] = s0["A"] + s0["B"]
    out["sigma_A"] = s0["A"] + beta0["B"] * q["B"]
    out["sigma_B"] = s0["B"] + beta0["A"] * q["A"]
    den = -w["A"] - w["B"] - out["E_int"]
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = -q["A"] / den
    eth_a0, eth_b0 = out["Eth_A"][0], out["Eth_B"][0]
    out["cop"] = np.where(t == 0, -eth_a0 / (eth_a0 + eth_b0), cop)
    out["carnot"] = np.full(t.shape, beta0["B"] / (beta0["A"] - beta0["B"]))
    return out
