"""SL26 Sec. II and App. A: heat, work and exergy in the provided convention (Eqs. 1-11, A1-A3).

Run:  python derivations/sl26_framework.py

SL26 counts heat and work PROVIDED by a system: Q_j = -Delta U_j^th,
W_j = -Delta U_j - Q_j (the negatives of EL23's).  SymPy shows, for a
qutrit in a passive but non-thermal state, that the exergy
Xi = U - U^th splits into the ergotropy (zero for a passive state) and
D[pi || w(beta)]/beta (Eq. 10, A3), and that for a qubit the second term
vanishes.  Then the second law in the provided convention (Eq. 5) is
evaluated on a random system: the relative entropy is the OTHER system's.
"""

import mpmath
import sympy

from symthermo.ergotropy import exergy_decomposition
from symthermo.ledger import System, identity_sides, ledger_rows
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts
from symthermo.verify.checks import random_system


def step(title):
    print(f"\n== {title}")


step("1. Exergy of a passive, non-thermal qutrit (Eq. 10 / A3), 30 digits")
rho = [["0.6", 0, 0], [0, "0.3", 0], [0, 0, "0.1"]]          # populations decreasing: passive
H = [[0, 0, 0], [0, 1, 0], [0, 0, 3]]                        # not thermal for any beta
parts = exergy_decomposition(rho, H, dps=30)
print("  ergotropy           =", mpmath.nstr(parts.ergotropy, 20))
print("  D[pi||w(beta)]/beta =", mpmath.nstr(parts.passive_term, 20))
print("  exergy U - U^th     =", mpmath.nstr(parts.exergy, 20), "(= their sum)")

step("2. A qubit: the passive state IS the thermal state with the same entropy")
p, w = sympy.symbols("p omega", positive=True)
beta = sympy.log((1 - p) / p) / w                           # q(beta) = 1/(1 + e^{beta w}) = p < 1/2
q = 1 / (1 + sympy.exp(beta * w))
print("  excited population of w(beta(p)) =", sympy.simplify(q), " -> D[pi||w] = 0, W_j = -Delta ergotropy")

step("3. Eq. (5) in the provided convention on a random qubit + qutrit")
with working_precision(30):
    sysm = random_system(101, (2, 3))
    system = System({n: (sysm.H[n], sysm.local0[n]) for n in "AB"}, coupling=sysm.V)
    row = ledger_rows(system, [mpmath.mpf("0.7")], lib=MPMATH, convention="provided")[0]
    q0 = row["_internal"]["q0"]
    sides = identity_sides(row)
    for j, i in (("A", "B"), ("B", "A")):
        lhs = row[f"S_{j}"] - q0[j]["S"] - q0[i]["beta"] * row[f"Q_{i}"]   # Q provided
        print(f"  sigma_{j} = Delta S_{j} - beta_{i}(0) Q_{i} = {mpmath.nstr(lhs, 18)}"
              f" = I_AB + D_{i} = {mpmath.nstr(sides[f'sigma_{j}'][1], 18)}")

failed = print_verdicts("SL26", [str(n) for n in range(1, 12)]
                        + ["A1", "A2", "A3", "8-claim-exergy-definition"])
raise SystemExit(1 if failed else 0)
