"""The qutrit swap (EL23 S12-S16) through B's initial populations p_k and A's q_k.

B starts passive, p_k = e^{-beta_k omega_k}/Z_B (beta_0 omega_0 = 0); A starts
thermal at beta_B(0), q_k = e^{-beta_B(0) omega_k}/Z_A; the swap mixes them:
rho_A(t) = cos^2(g t) rho_A(0) + sin^2(g t) rho_B(0), and A <-> B.
"""

from __future__ import annotations

import sympy

from ..models.base import ClosedForms, LocalForms
from . import Intermediate, ShortForms

__all__ = ["short_forms"]


def short_forms(p):
    from ..models import get_model

    raw = get_model("qutrit-swap").closed_forms(p)
    w1, w2, b1, b2 = p["omega_1"], p["omega_2"], p["beta_1"], p["beta_2"]
    bB0 = sympy.Symbol("beta_B0", positive=True)
    zb = 1 + sympy.exp(-b1 * w1) + sympy.exp(-b2 * w2)
    za = 1 + sympy.exp(-bB0 * w1) + sympy.exp(-bB0 * w2)
    P = sympy.symbols("p_0:3", positive=True)
    Q = sympy.symbols("q_0:3", positive=True)
    inter = [Intermediate(P[0], 1 / zb), Intermediate(P[1], sympy.exp(-b1 * w1) / zb),
             Intermediate(P[2], sympy.exp(-b2 * w2) / zb),
             Intermediate(Q[0], 1 / za), Intermediate(Q[1], sympy.exp(-bB0 * w1) / za),
             Intermediate(Q[2], sympy.exp(-bB0 * w2) / za)]
    g, t = p["g"], sympy.Symbol("t", nonnegative=True)
    c, s = sympy.cos(g * t) ** 2, sympy.sin(g * t) ** 2
    local = {}
    T = t
    for n, (x, y) in (("A", (c, s)), ("B", (s, c))):
        pops = []
        for k in range(3):
            f = sympy.Function(f"{n.lower()}_{k}")(T)  # a_k(t): A's populations, b_k(t): B's
            zero = Q[k] if n == "A" else P[k]
            inter.append(Intermediate(f, x * Q[k] + y * P[k], at_zero=zero,
                                      meaning=f"population of level {k} of {n}"))
            pops.append(f)
        lf = raw.subsystems[n]
        beta = sympy.Function(f"beta_{n}")(T)
        eps = sympy.Function(f"epsilon_{n}")(T)
        weights = [sympy.Integer(1), sympy.exp(-beta * w1), sympy.exp(-beta * w2)]
        inter.append(Intermediate(eps, (w1 * weights[1] + w2 * weights[2]) / sum(weights),
                                  at_zero=w1 * Q[1] + w2 * Q[2],
                                  meaning=f"thermal energy at beta_{n}(t)"))
        local[n] = LocalForms(hamiltonian=lf.hamiltonian, energy=w1 * pops[1] + w2 * pops[2],
                              spectrum=[pops[2], pops[1], pops[0]], thermal_energy=eps)
    extras = {}
    back = {(w1 * sympy.exp(-bB0 * w1) + w2 * sympy.exp(-bB0 * w2)) / za: w1 * Q[1] + w2 * Q[2],
            sympy.exp(-b1 * w1) / zb: P[1], sympy.exp(-b2 * w2) / zb: P[2], 1 / zb: P[0],
            sympy.exp(-bB0 * w1) / za: Q[1], sympy.exp(-bB0 * w2) / za: Q[2], 1 / za: Q[0]}
    populations = {}
    for n, (x, y) in (("A", (c, s)), ("B", (s, c))):
        for k in range(3):
            populations[x * Q[k] + y * P[k]] = sympy.Function(f"{n.lower()}_{k}")(T)
    for key, expr in raw.extras.items():
        for old, new in {**back, **populations}.items():
            expr = expr.subs(old, new)
        extras[key] = expr
    mutual = raw.mutual_information
    for old, new in back.items():
        mutual = mutual.subs(old, new)
    forms = ClosedForms(subsystems=local, interaction_energy=raw.interaction_energy,
                        mutual_information=mutual, extras=extras)
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": bB0}, rewrite=back)
