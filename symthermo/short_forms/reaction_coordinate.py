"""The reaction coordinate (SL26 Eq. 42, App. C), qubit excited and mode in the vacuum,
through the amplitudes c_e(t) of |e,0> and c_g(t) of |g,1>.

psi(t) = exp(-i H_eff t)|e,0> stays in span{|e,0>, |g,1>}; up to a common
phase c_e = e^{-kappa t/4}[cosh(s t) + b sinh(s t)/s], c_g = e^{-kappa t/4}
b_g sinh(s t)/s, with s^2 = (kappa/4 - i Delta/2)^2 - lam^2.  At resonance
(omega_rc = omega) s = i Omega, Omega = sqrt(lam^2 - kappa^2/16) the
damped-oscillation frequency, and both amplitudes are real up to a phase:
a damped Rabi oscillation.  P_e = |c_e|^2, n_B = <a^dag a> = |c_g|^2,
E_int = 2 lam Re(c_e^* c_g).
"""

from __future__ import annotations

import sympy

from ..models.base import ClosedForms, LocalForms, T
from ..models.reaction_coordinate import SIGMA_Z, one_excitation_solution
from ..levels import Oscillator
from . import Intermediate, ShortForms

__all__ = ["short_forms"]


def _h(p):
    return -p * sympy.log(p) - (1 - p) * sympy.log(1 - p)


def short_forms(p):
    if p["state_A"] != "excited":
        return None
    w, wrc, lam, kappa = p["omega"], p["omega_rc"], p["lam"], p["kappa"]
    sol = one_excitation_solution(w, wrc, lam, kappa)
    b, b_g = sol["B"][0, 0], sol["B"][1, 0]
    decay = sympy.exp(-kappa * T / 4)
    ce, cg = sympy.Function("c_e")(T), sympy.Function("c_g")(T)
    Pe, n = sympy.Function("P_e")(T), sympy.Function("n_B")(T)
    if sympy.simplify(w - wrc) == 0:
        Om = sympy.Symbol("Omega", positive=True)
        inter = [Intermediate(Om, sympy.sqrt(lam ** 2 - kappa ** 2 / 16),
                              meaning="damped-oscillation frequency")]
        s_cos, s_sin = sympy.cos(Om * T), sympy.sin(Om * T) / Om  # cosh(st), sinh(st)/s at s = i Omega
        if sympy.expand(b - kappa / 4) != 0 or sympy.expand(b_g + sympy.I * lam) != 0:
            raise AssertionError("H_eff's block is not the expected one")  # pragma: no cover
        # real amplitudes (|g,1> carries the phase -i): P_e = c_e^2, n_B = c_g^2, E_int = 0
        inter += [Intermediate(ce, decay * (s_cos + kappa / 4 * s_sin), at_zero=sympy.Integer(1)),
                  Intermediate(cg, decay * lam * s_sin, at_zero=sympy.Integer(0)),
                  Intermediate(Pe, ce ** 2, at_zero=sympy.Integer(1), meaning="c_e^2"),
                  Intermediate(n, cg ** 2, at_zero=sympy.Integer(0), meaning="c_g^2")]
        eint = sympy.Integer(0)
    else:
        s, delta = sympy.Symbol("s"), sympy.Symbol("Delta", real=True)
        rate = kappa / 4 - sympy.I * delta / 2
        if sympy.expand(b - rate.subs(delta, w - wrc)) != 0 or sympy.expand(b_g + sympy.I * lam) != 0:
            raise AssertionError("H_eff's block is not the expected one")  # pragma: no cover
        b, b_g = rate, -sympy.I * lam
        inter = [Intermediate(delta, w - wrc, meaning="detuning"),
                 Intermediate(s, sympy.sqrt(rate ** 2 - lam ** 2),
                              meaning="complex rate of the one-excitation block")]
        inter += [Intermediate(ce, decay * (sympy.cosh(s * T) + b * sympy.sinh(s * T) / s),
                               at_zero=sympy.Integer(1)),
                  Intermediate(cg, decay * b_g * sympy.sinh(s * T) / s, at_zero=sympy.Integer(0))]
        inter += [Intermediate(Pe, sympy.Abs(ce) ** 2, at_zero=sympy.Integer(1), meaning="|c_e|^2"),
                  Intermediate(n, sympy.Abs(cg) ** 2, at_zero=sympy.Integer(0), meaning="|c_g|^2")]
        # 2 lam Re(c_e^* c_g), written with conjugates (no Re operator on the page)
        eint = lam * (sympy.conjugate(ce) * cg + ce * sympy.conjugate(cg))
    pg = 1 - Pe
    lo, hi = sympy.Min(Pe, pg, evaluate=False), sympy.Max(Pe, pg, evaluate=False)
    a = LocalForms(hamiltonian=w / 2 * SIGMA_Z, energy=w * (Pe - sympy.Rational(1, 2)),
                   spectrum=[lo, hi], beta=sympy.log(hi / lo, evaluate=False) / w,
                   thermal_energy=-w / 2 * sympy.Abs(2 * Pe - 1, evaluate=False))
    bb = LocalForms(hamiltonian=Oscillator(wrc), energy=wrc * n,
                    spectrum=[sympy.Min(n, 1 - n, evaluate=False), sympy.Max(n, 1 - n, evaluate=False)])
    forms = ClosedForms(subsystems={"A": a, "B": bb}, interaction_energy=eint,
                        mutual_information=_h(Pe) + _h(n) - _h(Pe + n))
    return ShortForms(intermediates=inter, forms=forms, beta0={"A": sympy.oo})
