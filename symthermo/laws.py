"""The laws of EL23, each returning both of its sides.

Every function returns a :class:`Balance`: ``lhs`` is the thermodynamic
side (entropy changes and heats), ``rhs`` the information side (mutual
information and relative entropies), and ``relation`` says whether they are
equal (an identity) or ordered (an inequality, rhs the bound).  All heats
are in the received convention.  In balls (``lib=BALLS``) both sides are balls that
hold the exact values: an identity holds when the ball of ``lhs - rhs`` contains 0.

States come as :class:`Snapshot` objects, made with :func:`snapshot` from a
density matrix and a Hamiltonian, so that the same state is not
diagonalised twice.

>>> import numpy as np
>>> from symthermo.laws import snapshot, entropy_production
>>> H = np.diag([0.0, 1.0])
>>> a0, b0 = snapshot(np.diag([1.0, 0.0]), H), snapshot(np.diag([0.3, 0.7]), H)
>>> balance = entropy_production(a0, a0, [(b0, b0)], mutual_information=0.0)
>>> balance.lhs, balance.rhs
(0.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from .local import Subsystem, relative_entropy_to_thermal, thermal_relative_entropy
from .local import beta_times_heat as _beta_times_heat
from .numbers import FLOAT64, NumberSystem, number_system
from .precision import precision_held  # each function takes turns with other threads on mpmath

__all__ = [
    "Balance",
    "Snapshot",
    "snapshot",
    "entropy_production",
    "clausius",
    "entropy_heat_identity",
    "correlated_clausius",
    "integral_clausius",
    "esposito_entropy_production",
    "ergotropy_entropy_production",
    "preparation_work",
]


@dataclass(frozen=True)
class Balance:
    """Two sides of a law: ``lhs == rhs`` (identity) or ``lhs >= rhs`` (inequality)."""

    name: str
    lhs: object
    rhs: object
    relation: str = "=="

    def residual(self):
        return self.lhs - self.rhs


@dataclass(frozen=True)
class Snapshot:
    """One subsystem's state: its quantities and its local system."""

    system: Subsystem
    rho: object
    values: dict

    @property
    def lib(self) -> NumberSystem:
        return self.system.lib

    def __getitem__(self, key):
        return self.values[key]


@precision_held()
def snapshot(rho, H, *, lib=None, system=None):
    """A :class:`Snapshot` of rho under H (float64 unless lib says otherwise)."""
    if lib is None:
        lib = number_system(rho, H)
    system = system or Subsystem.of(H, lib)
    M = lib.as_matrix(rho)
    return Snapshot(system, M, system.quantities(M))


def beta_times_heat(lib, beta, heat):
    """beta(0) Q with 0 * inf = 0; in balls on proven signs only
    (:func:`symthermo.ball_finishing.ball_beta_times_heat`), so both sides of a law are balls
    that hold the exact values."""
    from .ball_finishing import ball_beta_times_heat
    from .balls import BALLS

    if lib is BALLS:
        return ball_beta_times_heat(lib, beta, heat)
    return _beta_times_heat(lib, beta, heat)


def _heat(s0: Snapshot, st: Snapshot):
    return st["Eth"] - s0["Eth"]


def _distance(s0: Snapshot, st: Snapshot):
    """D(w[beta(t)] || w[beta(0)])."""
    return thermal_relative_entropy(s0.system, st["beta"], s0["beta"])


@precision_held()
def entropy_production(j0: Snapshot, jt: Snapshot, others, *, mutual_information):
    """sigma_j = Delta S_j + sum_{i != j} beta_i(0) Q_i = I_tot + sum_{i != j} D(w_i(t)||w_i(0))
    (EL23 Eq. 5 for two systems, S37 for N); ``others`` is a list of (snapshot at 0, at t)."""
    lib = j0.lib
    lhs = jt["S"] - j0["S"]
    rhs = mutual_information
    for i0, it in others:
        lhs += beta_times_heat(lib, i0["beta"], _heat(i0, it))
        rhs += _distance(i0, it)
    return Balance("sigma", lhs, rhs)


@precision_held()
def clausius(pairs, *, mutual_information):
    """sum_i beta_i(0) Q_i = I_tot + sum_i D(w_i(t)||w_i(0)) >= 0 (EL23 Eqs. 11, 15, S38)."""
    lib = pairs[0][0].lib
    lhs, rhs = lib.zero, mutual_information
    for s0, st in pairs:
        lhs += beta_times_heat(lib, s0["beta"], _heat(s0, st))
        rhs += _distance(s0, st)
    return Balance("clausius", lhs, rhs)


@precision_held()
def entropy_heat_identity(s0: Snapshot, st: Snapshot):
    """Delta S = -D(w(t)||w(0)) + beta(0) Q, valid for any system (EL23 S19)."""
    lib = s0.lib
    return Balance("S19", st["S"] - s0["S"],
                   beta_times_heat(lib, s0["beta"], _heat(s0, st)) - _distance(s0, st))


@precision_held()
def correlated_clausius(pairs, *, mutual_information_0, mutual_information_t):
    """For a correlated initial state: sum_i beta_i(0) Q_i = Delta I_tot + sum_i D(...) >= Delta I_tot.

    This is what S38 gives when I_tot(0) != 0; EL23 Eq. (16) prints beta_j(t)
    where the derivation has beta_j(0) (``symthermo verify`` reports it).
    """
    b = clausius(pairs, mutual_information=mutual_information_t - mutual_information_0)
    return Balance("correlated-clausius", b.lhs, b.rhs)


@precision_held()
def integral_clausius(betas, heats, *, mutual_information):
    """int_0^t sum_j beta_j(t') dQ_j(t') (trapezoid over the samples) vs I_tot(t) (EL23 Eq. 17).

    ``betas`` and ``heats`` map each subsystem to its samples along a
    trajectory from t = 0.  Since dS_j = beta_j dQ_j (EL23 after Eq. 8), the
    integral equals sum_j Delta S_j = I_tot for a unitary evolution from a
    product state; the residual is the quadrature error.
    """
    total = 0
    for name, b in betas.items():
        q = heats[name]
        for k in range(1, len(q)):
            total += (b[k] + b[k - 1]) / 2 * (q[k] - q[k - 1])
    return Balance("integral-clausius", total, mutual_information)


@precision_held()
def esposito_entropy_production(a0: Snapshot, at: Snapshot, b_thermal: Snapshot, bt: Snapshot, *,
                                beta, mutual_information):
    """sigma_0 = Delta S_A + beta Delta E_B = I_AB + D(rho_B(t) || w_B(beta)) (EL23 Eq. 1),
    for B initially thermal at ``beta``."""
    lhs = at["S"] - a0["S"] + beta * (bt["E"] - b_thermal["E"])
    d = relative_entropy_to_thermal(bt.system, bt["S"], bt["energy_above_ground"], beta)
    return Balance("sigma0", lhs, mutual_information + d)


@precision_held()
def ergotropy_entropy_production(a0: Snapshot, at: Snapshot, b0: Snapshot, bt: Snapshot, *,
                                 mutual_information):
    """sigma_erg = Delta S_A + beta_B(0)(Delta E_B - Delta ergotropy_B)
    = I_AB + D[pi_B(t)||w_B(beta_B(0))] - D[pi_B(0)||w_B(beta_B(0))] (EL23 S12-S13).

    Can be negative (the qutrit example, S14-S16): ergotropy is not all the work.
    """
    lib = a0.lib
    beta0 = b0["beta"]
    passive_change = (bt["E"] - bt["ergotropy"]) - (b0["E"] - b0["ergotropy"])
    lhs = at["S"] - a0["S"] + beta_times_heat(lib, beta0, passive_change)

    def d_passive(s):
        return relative_entropy_to_thermal(s.system, s["S"], s["passive_above_ground"], beta0)

    return Balance("sigma_erg", lhs, mutual_information + d_passive(bt) - d_passive(b0))


@precision_held()
def preparation_work(rho, H, beta, *, lib=None):
    """W_beta = (1/beta) D[rho || w_beta] (EL23 S10): the least work to prepare rho from a bath at beta.

    Minimal at the entropy-matched beta^0, where it equals the exergy (the
    asymptotic ergotropy, S11).

    >>> import numpy as np
    >>> from symthermo.laws import preparation_work
    >>> from symthermo.ergotropy import exergy
    >>> from symthermo.thermal import entropy_matched_beta
    >>> rho, H = np.diag([0.5, 0.2, 0.3]), np.diag([0.0, 1.0, 2.0])
    >>> b0 = entropy_matched_beta(rho, H)
    >>> abs(preparation_work(rho, H, b0) - exergy(rho, H)) < 1e-12
    True
    >>> preparation_work(rho, H, 1.1 * b0) > exergy(rho, H)
    True
    """
    if lib is None:
        lib = number_system(rho, H)
    s = snapshot(rho, H, lib=lib)
    b = lib.number(beta) if lib is not FLOAT64 else float(beta)
    if b == 0:
        return lib.inf
    d = relative_entropy_to_thermal(s.system, s["S"], s["energy_above_ground"], b)
    return d / b

