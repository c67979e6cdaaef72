"""SL26 Eq. 42 and App. C: the reaction coordinate (Eqs. 42, C1-C6, Figs. 9, 12, 13).

Run:  python derivations/sl26_reaction_coordinate.py

A qubit exchanges its excitation with a mode (the reaction coordinate)
damped at rate kappa into a zero-temperature bath.  The reaction-coordinate
model shows with SymPy that from |e,0> the state stays in
span{|e,0>, |g,1>} plus the decayed |g,0>, and exponentiates the 2x2
non-Hermitian generator (Cayley-Hamilton).  App. C's Lorentzian spectral
density (C5) is then integrated: it does not have the normalisation
int D = 2 pi that Eq. (C4) asks for.  Fig. 9's claim (the qubit provides the
same total work, omega, as in spontaneous emission) is evaluated.
"""

import mpmath
import sympy

from symthermo.models import get_model
from symthermo.models.reaction_coordinate import lorentzian_mapping, one_excitation_solution
from symthermo.numbers import MPMATH
from symthermo.papers.sl26 import equation
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


lam, kappa = sympy.symbols("lambda kappa", positive=True)
one = sympy.Integer(1)
step("1. One-excitation block at resonance (omega = omega_RC = 1), from H and the Lindblad term")
sol = one_excitation_solution(one, one, lam, kappa)
print("  -i H_eff on {|e,0>, |g,1>} =", sol["A"].tolist())
print("  s^2 = -det(B) =", sol["s2"], " (underdamped for kappa < 4 lambda: Rabi frequency",
      sympy.sqrt(-sol["s2"]), ")")

step("2. Fig. 9 parameters (lambda = 0.01, kappa = 0.8 lambda), provided convention")
m = get_model("reaction-coordinate")
p = m.params({"kappa": "0.8*lam"})
with working_precision(30):
    for s in ("50", "157.08", "400", "2000", "30000"):
        row = m.evaluate(p, [mpmath.mpf(s)], lib=MPMATH, convention="provided")[0]
        print(f"  t = {s:>7}:  W_A = {mpmath.nstr(row['W_A'], 10):>13}  Q_A = {mpmath.nstr(row['Q_A'], 10):>13}"
              f"  W_B = {mpmath.nstr(row['W_B'], 10):>13}  Q_B = {mpmath.nstr(row['Q_B'], 10):>13}")

step("3. App. C: the Lorentzian of Eq. (C5) and the normalisation of Eq. (C4)")
w, wc, gam, lm = sympy.symbols("omega omega_c gamma lambda", positive=True)
D = equation("C5").printed.rhs
print("  D(omega) =", sympy.sstr(D))
mp = lorentzian_mapping(1, "0.1", "0.01")
with working_precision(30):
    f = sympy.lambdify(list(D.free_symbols), D, "mpmath")
    names = [str(s) for s in D.free_symbols]
    vals = {"omega_c": 1, "gamma": mpmath.mpf("0.1"), "lam": mpmath.mpf("0.01")}
    integral = mpmath.quad(lambda x: f(*[x if n == "omega_int" else vals[n] for n in names]),
                           [0, 1, mpmath.inf])
    print("  int_0^oo D d omega (omega_c = 1, gamma = 0.1, lambda = 0.01) =", mpmath.nstr(integral, 20))
    print("  lambda^2 F(gamma) (reaction_coordinate.lorentzian_mapping)      =",
          mpmath.nstr(mpmath.mpmathify(sympy.N(mp.coupling_squared, 40)), 20), "   2 pi =",
          mpmath.nstr(2 * mpmath.pi, 20))
    print("  reaction coordinate: omega_RC =", mp.omega_rc, " lambda_RC =",
          sympy.N(mp.lam, 12), " kappa =", mp.kappa)

failed = print_verdicts("SL26", ["42", "C1", "C2", "C3", "C4", "C5", "C6",
                                 "Fig9-claim-same-work"])
raise SystemExit(1 if failed else 0)
