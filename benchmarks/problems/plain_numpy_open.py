"""Problems 3a and 3b by plain vectorised numpy scripts (the yardsticks of the float64 floor).

Written out by hand from the closed forms, with no symthermo code: what a
physicist would type to get the same keys as fast as numpy allows.

3a, spontaneous emission (SL26 Sec. V): a qubit H = omega sigma_z/2 starts
excited and decays at rate gamma, P_e = e^{-gamma t}, P_g = -expm1(-gamma t).

3b, reaction coordinate (SL26 App. C): H = omega sigma_z/2 + omega_rc a^dag a
+ lam (sigma_+ a + sigma_- a^dag), L = sqrt(kappa) a, the qubit excited and the
mode in its vacuum, at resonance (omega = omega_rc) and underdamped
(lam > kappa/4).  The one excitation is shared: with
Omega = sqrt(lam^2 - kappa^2/16),

    P_e = e^{-kappa t/2} [cos(Omega t) + kappa/(4 Omega) sin(Omega t)]^2,
    n   = e^{-kappa t/2} (lam/Omega)^2 sin^2(Omega t),

the joint state is a mixture of a pure one-excitation state (weight N = P_e + n)
and |g, 0> (weight 1 - N), and E_int = 0 (c_e and c_1 are a quarter period apart).

Both: entropies are binary entropies, the qubit's beta = ln(hi/lo)/omega and
E^th = -omega (hi - lo)/2, ergotropy = exergy = E - E^th = omega max(0, P_e - P_g) (a
qubit); the mode's
beta solves the oscillator's entropy (N_th + 1) ln(N_th + 1) - N_th ln N_th = S_B
(Newton in ln N_th, a fixed number of steps), beta_B = ln(1 + 1/N_th)/omega_rc,
E^th_B = omega_rc N_th; the mode's state diag(1 - n, n) is passive for n <= 1/2
(ergotropy omega_rc max(0, 2n - 1)); Q = E^th - E^th(0), W = Delta E - Q.
"""

from __future__ import annotations

import numpy as np

__all__ = ["spontaneous_emission_columns", "reaction_coordinate_columns"]


def _binary(p, q):
    """-p ln p - q ln q with 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(p > 0, p * np.log(p), 0.0) - np.where(q > 0, q * np.log(q), 0.0)


def _qubit(omega, pe, pg):
    lo, hi = np.minimum(pe, pg), np.maximum(pe, pg)
    E = omega * (pe - pg) / 2
    eth = -omega * (hi - lo) / 2
    with np.errstate(divide="ignore"):
        beta = (np.log(hi) - np.log(lo)) / omega
    q = eth - eth[0]
    erg = omega * np.maximum(pe - pg, 0.0)  # E - E^th: 0 once passive
    return {"E": E, "S": _binary(pe, pg), "beta": beta, "Eth": eth, "Q": q,
            "W": (E - E[0]) - q, "ergotropy": erg, "exergy": erg}


def spontaneous_emission_columns(omega, gamma, t):
    """The 10 keys of ``spontaneous-emission`` at the times ``t``."""
    t = np.asarray(t, dtype=float)
    pe, pg = np.exp(-gamma * t), -np.expm1(-gamma * t)
    out = {f"{k}_A": v for k, v in _qubit(omega, pe, pg).items()}
    out["P_e"] = pe
    out["Q_standard"] = out["E_A"] - out["E_A"][0]
    return out


def _oscillator_occupation(S, steps=8):
    """N_th >= 0 with (N + 1) ln(N + 1) - N ln N = S (Newton in u = ln N; S = 0: N = 0)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = np.where(S > 0, S, 1.0)
        # S ~ N (1 - ln N) for small N, ~ 1 + ln N for large N
        u = np.where(s < 1, np.log(s / (1 - np.log(s))), s - 1)
        target = np.log(s)
        for _ in range(steps):
            n = np.exp(u)
            nr = n * np.log1p(1 / n)
            val = nr + np.log1p(n)
            u = u - (np.log(val) - target) * (val / nr)
        return np.where(S > 0, np.exp(u), 0.0)


def reaction_coordinate_columns(omega, omega_rc, lam, kappa, t):
    """The 18 keys of ``reaction-coordinate`` at the times ``t``."""
    t = np.asarray(t, dtype=float)
    Om = np.sqrt(lam * lam - kappa * kappa / 16)
    decay = np.exp(-kappa * t / 2)
    c, s = np.cos(Om * t), np.sin(Om * t)
    pe = decay * (c + kappa / (4 * Om) * s) ** 2
    n = decay * (lam / Om) ** 2 * s * s
    out = {f"{k}_A": v for k, v in _qubit(omega, pe, 1 - pe).items()}
    E_B, S_B = omega_rc * n, _binary(n, 1 - n)
    N_th = _oscillator_occupation(S_B)
    with np.errstate(divide="ignore"):
        beta_B = np.log1p(1 / N_th) / omega_rc
    eth_B = omega_rc * N_th
    q_B = eth_B - eth_B[0]
    out.update({"E_B": E_B, "S_B": S_B, "beta_B": beta_B, "Eth_B": eth_B, "Q_B": q_B,
                "W_B": (E_B - E_B[0]) - q_B,
                "ergotropy_B": omega_rc * np.maximum(2 * n - 1, 0.0), "exergy_B": E_B - eth_B,
                "E_int": np.zeros_like(t)})
    N = pe + n
    out["I_AB"] = out["S_A"] + S_B - _binary(N, 1 - N)
    return out
