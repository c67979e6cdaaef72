"""The refrigerator's coefficient of performance -Q_A/(-W_A - W_B - Delta E_int) and its
Carnot bound beta_B(0)/(beta_A(0) - beta_B(0)) (EL23 Fig. 2): one time in any number
system (:func:`coefficient_of_performance`), all times at once in float64
(:func:`cop_columns`), the bound exactly from the parameters (:func:`carnot_bound`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..lazy import lazy_import
from ..numbers import EXACT, FLOAT64, MPMATH
from .local_rows import _to_lib

sympy = lazy_import("sympy")

__all__ = ["coefficient_of_performance", "cop_columns", "carnot_bound"]


def cop_columns(ts, d, e_int, bound, checks=None):
    """:func:`coefficient_of_performance` for all times at once, from the received heats and works that
    :func:`finish_qubit_columns` left in ``d["qubits"]``: -Q_A/(-W_A - W_B - E_int)
    is exactly Q_A/(W_A + W_B + E_int) (negation is exact).  ``bound`` >= every
    |Q_j|, |W_j|, |E_int|: only denominators below 1e-12 bound (t = 0 among them)
    are looked at one by one."""
    q = d["qubits"]
    Q, W = q["Q"], q["W"]
    den = (W[0] + W[1]) + e_int
    out = Q[0] / den
    size = np.abs(den)
    if checks is not None:
        # a denominator within its rounding of 0: cop's digits are noise, and one float64
        # takes as an exact 0 (cop = +-inf, below) may be a crossing of 0 (a huge finite
        # cop): float64 cannot tell which, the row is unearned (recomputed in balls)
        checks.denominator(size, W, e_int)
    small = np.flatnonzero(size <= 1e-12 * bound)
    if small.size:
        eth_a, eth_b = q["Eth"][0, 0], q["Eth"][1, 0]
        for i in small.tolist():
            if ts[i] == 0:
                # both heats start as (g t)^2/4 * omega_j r_j(0)/2 = -(g t)^2/4 * Eth_j(0)
                out[i] = _cop_value(eth_a, -eth_a - eth_b, 0.0)
            else:
                scale = max(abs(Q[0, i]), abs(Q[1, i]), abs(W[0, i]), abs(W[1, i]), abs(e_int[i]))
                out[i] = _cop_value(-Q[0, i], -W[0, i] - W[1, i] - e_int[i], scale)
    return out


def _cop_value(num, den, scale):
    if abs(den) <= 1e-12 * scale:
        den = 0
    if den == 0:
        return 0.0 if num == 0 else (np.inf if num > 0 else -np.inf)
    return num / den


def coefficient_of_performance(lib, t, q0, qt, e_int):
    """-Q_A/(-W_A - W_B - Delta E_int), received convention (E_int(0) = 0)."""
    QA = qt["A"]["Eth"] - q0["A"]["Eth"]
    WA = qt["A"]["E"] - q0["A"]["E"] - QA
    QB = qt["B"]["Eth"] - q0["B"]["Eth"]
    WB = qt["B"]["E"] - q0["B"]["E"] - QB
    num, den = -QA, -WA - WB - e_int
    if t == 0:
        # both heats start as (g t)^2/4 * omega_j r_j(0)/2 = -(g t)^2/4 * Eth_j(0)
        num, den = q0["A"]["Eth"], -q0["A"]["Eth"] - q0["B"]["Eth"]
    if lib.tolerance == 0:  # balls: only an exact 0 is 0 (no max of balls to decide)
        small = lib.is_exact_zero(den)
    else:
        scale = max(abs(QA), abs(QB), abs(WA), abs(WB), abs(e_int))
        small = abs(den) <= lib.tolerance * scale
    if small:
        # a denominator that cancels to rounding level is an exact 0 (at resonance
        # Q_A + Q_B = 0 whenever only one block has moved): cop is infinite there
        den = 0
    if den == 0:
        if num == 0:
            return lib.zero
        return lib.inf if num > 0 else -lib.inf
    if lib.tolerance == 0:
        # balls: a denominator they cannot tell from 0 (a zero of the structure they do
        # not prove, such as Q_A + Q_B at t = 2 pi k/Omega at resonance, or a crossing of
        # 0): cop has no finite bound there, printed as such ("0 +/- inf"), not refused
        from ..ball_columns import when
        from ..ball_conversion import _UNBOUNDED

        ratio = num / den
        return when(ratio.is_finite(), lambda: ratio, _UNBOUNDED)
    return num / den


def carnot_bound(lib, p):
    """The Carnot bound beta_B(0)/(beta_A(0) - beta_B(0)), from the parameters.

    A starts in w_A(beta_A) and B in sigma_x w_B(beta_B) sigma_x, which has
    the spectrum of w_B(beta_B): the entropy-matched beta_j(0) is beta_j
    exactly.  So the bound is a function of the exact parameters, and equal
    temperatures give inf structurally, not from a cancellation of two
    computed betas.
    """
    values = p.values if hasattr(p, "exact") else p  # compiled NumericParams: Fractions, no SymPy
    bA, bB = values["beta_A"], values["beta_B"]
    if bA == bB:
        return lib.inf
    if lib is FLOAT64:
        return float(bB / (bA - bB))
    if isinstance(bB, Fraction) and lib not in (MPMATH, EXACT):  # balls of plain numbers
        return lib.number(bB / (bA - bB))
    return _to_lib(lib, bB / (bA - bB)) if lib is not EXACT else bB / (bA - bB)

