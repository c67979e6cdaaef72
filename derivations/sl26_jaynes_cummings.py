"""SL26 Sec. III B 1: a qubit and a field mode in its vacuum (Eqs. 28-31, Figs. 2-4, App. B).

Run:  python derivations/sl26_jaynes_cummings.py

H = (omega_A/2) sigma_z + omega_B a^dag a + g (sigma_+ a + sigma_- a^dag).
The jaynes-cummings model derives from H that N = sigma_ee + a^dag a is
conserved, so |e,0> only reaches |g,1>: p_e = cos^2(g t) at resonance.  The
qubit's entropy-matched thermal state puts the larger population on |g>, so
while p_e > 1/2 (t < pi/4g) the qubit holds ergotropy and provides work;
after that it is thermal and its work stays at omega_A.  The mode is passive
but, having more than two levels, not thermal: it receives work (Eq. 10's
D/beta term).  Everything in SL26's provided convention.
"""

import mpmath
import sympy

from symthermo.models import get_model
from symthermo.models.base import T
from symthermo.models.jc_vacuum import vacuum_forms
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


g = sympy.Symbol("g", positive=True)
one = sympy.Integer(1)
step("1. Qubit excited, field in vacuum, resonance: reduced states from H")
f = vacuum_forms(one, one, g, "excited")
print("  rho_A(t) =", f["rho_A"].tolist(), " (basis e, g)")
print("  rho_B(t) =", f["rho_B"].tolist(), " (basis |0>, |1>)")
print("  p_e - cos^2(g t) =", sympy.simplify(f["rho_A"][0, 0] - sympy.cos(g * T) ** 2))

step("2. The qubit's thermal state (entropy matched) and its work, provided convention")
pe = sympy.cos(g * T) ** 2
print("  t < pi/4g: p_e > 1/2, thermal state diag(1 - p_e on |e>, p_e on |g>):")
print("     U - U^th = omega (2 p_e - 1) = exergy = ergotropy;  W_A = -Delta(U - U^th) =",
      sympy.simplify(-((2 * pe - 1) - 1)), "(omega_A = 1)")
print("  t > pi/4g: the state is thermal, exergy 0: W_A stays at omega_A = 1")

step("3. Numbers (omega_A = omega_B = 1, g = 0.01), provided convention")
m = get_model("jaynes-cummings")
with working_precision(30):
    for state in ("excited", "plus", "mixed"):
        p = m.params({"state_A": state})
        times = [mpmath.mpf(k) / 8 * mpmath.pi / mpmath.mpf("0.01") for k in (1, 2, 3, 4)]
        print(f"  qubit {state}:")
        for row in m.evaluate(p, times, lib=MPMATH, convention="provided"):
            print(f"    g t = {mpmath.nstr(row['t'] * mpmath.mpf('0.01') / mpmath.pi, 3)} pi:"
                  f"  W_A = {mpmath.nstr(row['W_A'], 8):>12}  Q_A = {mpmath.nstr(row['Q_A'], 8):>12}"
                  f"  W_B = {mpmath.nstr(row['W_B'], 8):>12}  Q_B = {mpmath.nstr(row['Q_B'], 8):>12}")

failed = print_verdicts("SL26", ["28", "29", "30", "31", "30-claim-populations",
                                 "31-claim-populations", "Fig2-claim-work-then-heat",
                                 "Fig2-claim-no-work", "Fig2-claim-oscillator-work",
                                 "Fig3-claim-coherence-transfer", "Fig4-claim-heat-only",
                                 "AppB-claim-mirror-symmetry"])
raise SystemExit(1 if failed else 0)
