"""The defining formulas, as the plain functions the rest of the code calls.

Each function here is one definition of the papers, written with arithmetic
only, so that ``formulas.tex`` can render the very code that runs (with
latexify-py) instead of a retyped formula.  Heat and work are those
*received* by the subsystem (EL23); the provided convention of SL26 is their
negative (:mod:`symthermo.heat_work`).

>>> from symthermo.definitions import heat_received, work_received
>>> heat_received(Eth_0=-0.5, Eth_t=-0.3)
0.2
>>> round(work_received(E_0=0.5, E_t=-0.1, Eth_0=-0.5, Eth_t=-0.3), 12)
-0.8
"""

from __future__ import annotations

__all__ = [
    "heat_received",
    "work_received",
    "exergy",
    "ergotropy",
    "passive_term",
    "entropy_production",
    "clausius_sum",
    "coefficient_of_performance",
    "carnot_bound",
    "preparation_work",
    "DEFINITIONS",
]


def heat_received(Eth_0, Eth_t):
    """Q = E^th(t) - E^th(0) (EL23 Eq. 6)."""
    return Eth_t - Eth_0


def work_received(E_0, E_t, Eth_0, Eth_t):
    """W = Delta E - Q, the first law (EL23 Eq. 9)."""
    return (E_t - E_0) - (Eth_t - Eth_0)


def exergy(E, Eth):
    """Xi = E - E^th (SL26 Eq. 8; EL23's asymptotic ergotropy)."""
    return E - Eth


def ergotropy(E, E_passive):
    """Ergotropy = E - Tr[pi H], pi the passive state with rho's spectrum."""
    return E - E_passive


def passive_term(D_pi_w, beta):
    """(1/beta) D[pi || w(beta)]: exergy minus ergotropy (SL26 Eq. 10)."""
    return D_pi_w / beta


def entropy_production(Delta_S_A, beta_B_0, Q_B):
    """sigma_A = Delta S_A + beta_B(0) Q_B (EL23 Eq. 5)."""
    return Delta_S_A + beta_B_0 * Q_B


def clausius_sum(beta_A_0, Q_A, beta_B_0, Q_B):
    """beta_A(0) Q_A + beta_B(0) Q_B >= 0 (EL23 Eq. 11)."""
    return beta_A_0 * Q_A + beta_B_0 * Q_B


def coefficient_of_performance(Q_A, W_A, W_B, Delta_E_int):
    """eta = -Q_A / (-W_A - W_B - Delta E_int) (EL23, refrigerator)."""
    return -Q_A / (-W_A - W_B - Delta_E_int)


def carnot_bound(beta_A_0, beta_B_0):
    """eta_Carnot = beta_B(0) / (beta_A(0) - beta_B(0)) (EL23 after Eq. 13)."""
    return beta_B_0 / (beta_A_0 - beta_B_0)


def preparation_work(D_rho_w, beta):
    """W_beta = (1/beta) D[rho || w_beta] (EL23 S10)."""
    return D_rho_w / beta


#: (function, what it defines) in the order formulas.tex shows them
DEFINITIONS = (
    (heat_received, "heat received by a subsystem (EL23 Eq. 6)"),
    (work_received, "work received, first law (EL23 Eq. 9)"),
    (exergy, "exergy / asymptotic ergotropy (SL26 Eq. 8)"),
    (ergotropy, "ergotropy"),
    (passive_term, "exergy - ergotropy (SL26 Eq. 10)"),
    (entropy_production, "entropy production (EL23 Eq. 5)"),
    (clausius_sum, "Clausius inequality (EL23 Eq. 11)"),
    (coefficient_of_performance, "coefficient of performance of the refrigerator (EL23)"),
    (carnot_bound, "Carnot bound (EL23)"),
    (preparation_work, "preparation work (EL23 S10)"),
)
