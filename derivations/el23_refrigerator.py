"""EL23 Fig. 2 and Supplement S20-S26: the two-qubit refrigerator.

Run:  python derivations/el23_refrigerator.py

H = (omega_A/2) sigma_z^A + (omega_B/2) sigma_z^B + (g/2) sigma_x^A sigma_x^B.
The refrigerator model derives, from H alone, that H couples |gg> <-> |ee>
(frequency lambda) and |ge> <-> |eg> (frequency Omega), that the reduced
states stay diagonal, and closed forms for z_j = Tr[sigma_z rho_j] and
E_int.  They are compared with the printed S23-S25; then Fig. 2's claims
(refrigeration near t = 2 pi/Omega, COP below Carnot) are evaluated.
"""

import mpmath
import sympy

from symthermo.models import get_model
from symthermo.models.refrigerator import derive_reduced
from symthermo.numbers import MPMATH
from symthermo.papers.el23 import equation
from symthermo.papers.symbols import (Omega, beta_A0, beta_A_bare, beta_B0, beta_B_bare, g, lam,
                                      latex, omega_A, omega_B, omega_a, t)
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


step("1. Block frequencies found from H (S26)")
d = derive_reduced()
print("  lambda^2 =", d["lambda2"], "   Omega^2 =", d["Omega2"])
print("  coherences of rho_A, rho_B:", [sympy.simplify(c) for c in d["coherences"]])

step("2. The derived closed forms (tau_j = tanh(beta_j omega_j/2), z_j = p_e - p_g)")
for key in ("z_A", "z_B", "E_int"):
    print(f"  {key}(t) = {sympy.sstr(d[key])}")

step("3. S23 as printed, read with omega_a = omega_A and bare betas = beta(0)")
printed = equation("S23").printed.rhs.xreplace({omega_a: omega_A, beta_A_bare: beta_A0,
                                                 beta_B_bare: beta_B0})
at0 = sympy.simplify(printed.subs(t, 0).subs({
    lam: sympy.sqrt(g ** 2 + (omega_A + omega_B) ** 2),
    Omega: sympy.sqrt(g ** 2 + (omega_A - omega_B) ** 2)}))
print("  printed z_A(0) =", latex(at0))
print("  derived z_A(0) = -tanh(beta_A omega_A/2)  (A starts thermal: more weight on |g>)")
print("  printed cosines:", sorted(map(str, printed.atoms(sympy.cos))),
      "  derived:", sorted(map(str, d["z_A"].atoms(sympy.cos))))

step("4. Fig. 2 (omega_A = 1, omega_B = 1.63, g = 1, beta_A = 2, beta_B = 1.8), 30 digits")
m = get_model("refrigerator")
p = m.params({})
with working_precision(30):
    Om = mpmath.sqrt(1 + (mpmath.mpf("1.63") - 1) ** 2)
    times = [k * mpmath.pi / (4 * Om) for k in (4, 7, 8, 9)]
    for row in m.evaluate(p, times, lib=MPMATH):
        print(f"  t = {mpmath.nstr(row['t'] * Om / (2 * mpmath.pi), 4)} x 2 pi/Omega:"
              f"  -Q_A = {mpmath.nstr(-row['Q_A'], 8):>12}  -W_B = {mpmath.nstr(-row['W_B'], 8):>12}"
              f"  E_int = {mpmath.nstr(row['E_int'], 8):>12}  COP = {mpmath.nstr(row['cop'], 6):>9}"
              f"  Carnot = {mpmath.nstr(row['carnot'], 6)}")

failed = print_verdicts("EL23", ["13", "S20", "S21", "S22", "S23", "S24", "S25", "S26",
                                 "Fig2-claim-refrigeration", "Fig2-claim-cop-carnot"])
raise SystemExit(1 if failed else 0)
