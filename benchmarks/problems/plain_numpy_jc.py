"""Problem 2 by a plain vectorised numpy script (the yardstick of the float64 floor).

Written out by hand, with no symthermo code: resonant Jaynes-Cummings
(omega_A = omega_B = omega, rotating frame), the qubit in |g>, the field in the
coherent state |alpha> (alpha real), Fock levels 0..N-1 (N from the Poisson tail,
as QuTiP's run).  With f_n = e^{-alpha^2/2} alpha^n / sqrt(n!) and
Omega_n = g sqrt(n), the manifold {|e, n>, |g, n+1>} rotates:

    c_{g,n} = f_n cos(Omega_n t),   c_{e,n} = -i f_{n+1} sin(Omega_{n+1} t),

so P_e = sum_n f_{n+1}^2 sin^2(Omega_{n+1} t), rho_eg = sum_n c_{e,n} conj(c_{g,n})
(purely imaginary), E_int = 2 g sum_n sqrt(n+1) Re(conj(c_{e,n}) c_{g,n+1}) = 0 and
<n> = alpha^2 - P_e.  The qubit's Bloch length r = sqrt((2 P_e - 1)^2 + 4 |rho_eg|^2)
gives its spectrum (1 -+ r)/2, which is also the field's (the joint state is
pure): S_B = S_A, I_AB = 2 S_A; the qubit's beta = ln(hi/lo)/omega, E^th_A =
-omega r/2, ergotropy_A = exergy_A = E_A - E^th_A; the field's passive energy is
omega lo (largest eigenvalue on |0>, the other on |1>), its beta solves the
oscillator's entropy (plain_numpy_open), E^th_B = omega N_th; Q = Delta E^th,
W = Delta E - Q.
"""

from __future__ import annotations

import numpy as np

from .plain_numpy_open import _binary, _oscillator_occupation

__all__ = ["jaynes_cummings_columns"]


def jaynes_cummings_columns(omega, g, alpha, levels, t):
    """16 keys of ``jaynes-cummings`` (state_A = ground, state_B = coherent) at ``t``."""
    t = np.asarray(t, dtype=float)
    n = np.arange(levels, dtype=float)
    log_f = -alpha * alpha / 2 + np.concatenate(
        ([0.0], np.cumsum(np.log(alpha) - 0.5 * np.log(n[1:]))))
    f = np.exp(log_f)
    phase = np.multiply.outer(t, g * np.sqrt(n))  # Omega_n t, (time, n)
    cos, sin = np.cos(phase), np.sin(phase)
    amp_e = f[1:] * sin[:, 1:]  # |c_{e,n}|, n = 0..N-2
    amp_g = f[:-1] * cos[:, :-1]  # c_{g,n}
    pe = np.sum(amp_e * amp_e, axis=1)
    coherence = np.sum(amp_e * amp_g, axis=1)  # |rho_eg|
    E_A = omega * (pe - 0.5)
    r = np.sqrt((2 * pe - 1) ** 2 + 4 * coherence * coherence)
    lo, hi = (1 - r) / 2, (1 + r) / 2
    S = _binary(lo, hi)
    with np.errstate(divide="ignore"):
        beta_A = (np.log(hi) - np.log(lo)) / omega
    eth_A = -omega * r / 2
    E_B = omega * (alpha * alpha - pe)
    N_th = _oscillator_occupation(S)
    with np.errstate(divide="ignore"):
        beta_B = np.log1p(1 / N_th) / omega
    eth_B = omega * N_th
    out = {"E_A": E_A, "S_A": S, "beta_A": beta_A, "Eth_A": eth_A,
           "ergotropy_A": E_A - eth_A, "exergy_A": E_A - eth_A,
           "E_B": E_B, "S_B": S, "beta_B": beta_B, "Eth_B": eth_B,
           "ergotropy_B": E_B - omega * lo, "exergy_B": E_B - eth_B,
           "E_int": np.zeros_like(t), "I_AB": 2 * S}
    for name in "AB":
        e, eth = out[f"E_{name}"], out[f"Eth_{name}"]
        out[f"Q_{name}"] = eth - eth[0]
        out[f"W_{name}"] = (e - e[0]) - out[f"Q_{name}"]
    return out
