"""EL23, main text and Supplement S18-S19, S27-S38: the second law of two (and N) systems.

Run:  python derivations/el23_second_law.py

Step 1 derives, with SymPy, the two facts the proof of Eq. (5) rests on:
S[w(beta)] = beta E(beta) + ln Z(beta), and Eq. (8),
beta_0 [E(beta_t) - E(beta_0)] - [S(beta_t) - S(beta_0)] = D(w_t || w_0).
Step 2 assembles Eq. (5) from unitarity.  Step 3 evaluates every term on a
random qubit-qutrit system with symthermo's ledger (30 digits).  Step 4 does
the same for three systems (Eqs. S37-S38, where EL23 prints beta_j(0) Q_j
inside a sum over i).  The script ends with verify's verdicts for the
section.
"""

import mpmath
import sympy

from symthermo.ledger import System, identity_sides, ledger_rows
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts
from symthermo.verify.checks import random_system


def step(title):
    print(f"\n== {title}")


# -- Step 1: thermal states of a three-level system, symbolically -----------------------
step("1. Thermal state w(beta) = exp(-beta H)/Z of H = diag(0, e1, e2)")
beta, b0, bt = sympy.symbols("beta beta_0 beta_t", positive=True)
e1, e2 = sympy.symbols("e1 e2", positive=True)
levels = [sympy.Integer(0), e1, e2]


def thermal(b):
    weights = [sympy.exp(-b * e) for e in levels]
    Z = sum(weights)
    return [w / Z for w in weights], Z


p, Z = thermal(beta)
E = sum(pk * e for pk, e in zip(p, levels))
S = -sum(pk * sympy.log(pk) for pk in p)
print("S[w(beta)] - beta E(beta) - ln Z =", sympy.simplify(sympy.expand_log(S - beta * E
                                                                            - sympy.log(Z),
                                                                            force=True)))

step("Eq. (8): beta_0 Delta E^th - Delta S = D(w[beta_t] || w[beta_0])")
p0, _ = thermal(b0)
pt, _ = thermal(bt)
E0 = sum(x * e for x, e in zip(p0, levels))
Et = sum(x * e for x, e in zip(pt, levels))
S0 = -sum(x * sympy.log(x) for x in p0)
St = -sum(x * sympy.log(x) for x in pt)
D = sum(x * (sympy.log(x) - sympy.log(y)) for x, y in zip(pt, p0))
lhs = b0 * (Et - E0) - (St - S0)
print("lhs - D =", sympy.simplify(sympy.expand_log(lhs - D, force=True)))
print("(with S[w_B(beta_B(t))] = S_B(t), the entropy-matched beta of Eq. 3)")

# -- Step 2: Eq. (5) ----------------------------------------------------------------------
step("2. Eq. (5) from unitarity")
dSA, dSB, I, QB, DB, bB0 = sympy.symbols(
    r"\Delta{S_A} \Delta{S_B} I_AB Q_B D_B \beta_B(0)")
unitarity = sympy.Eq(dSA, I - dSB)             # Eq. (7): S_AB is conserved
eq8 = sympy.Eq(bB0 * QB - dSB, DB)              # Eq. (8), Q_B = Delta E_B^th (received)
sigma = (dSA + bB0 * QB).subs(dSA, unitarity.rhs)
print("sigma_A = Delta S_A + beta_B(0) Q_B =", sympy.simplify(sigma.subs(bB0 * QB, DB + dSB)),
      " >= 0")

# -- Step 3: numbers on a random qubit-qutrit system ---------------------------------------
step("3. A random qubit (A) + qutrit (B), unitary, 30 digits (symthermo.ledger)")
with working_precision(30):
    sysm = random_system(101, (2, 3))
    system = System({n: (sysm.H[n], sysm.local0[n]) for n in "AB"}, coupling=sysm.V)
    row = ledger_rows(system, [mpmath.mpf("0.7")], lib=MPMATH)[0]
    sides = identity_sides(row)
    for key in ("S_A", "Q_A", "Q_B", "W_A", "W_B", "I_AB", "sigma_A", "sigma_B"):
        print(f"  {key:8s} = {mpmath.nstr(row[key], 20)}")
    lhs5, rhs5 = sides["sigma_A"]
    print("  Eq. (5):  Delta S_A + beta_B(0) Q_B =", mpmath.nstr(lhs5, 20))
    print("            I_AB + D(w_B(t)||w_B(0))   =", mpmath.nstr(rhs5, 20))
    lhs11, rhs11 = sides["clausius"]
    print("  Eq. (11): beta_A(0) Q_A + beta_B(0) Q_B =", mpmath.nstr(lhs11, 20), ">= 0")

# -- Step 4: three systems ---------------------------------------------------------------------
step("4. Three random qubits: Eqs. (14), S37, S38")
with working_precision(30):
    sysm = random_system(161, (2, 2, 2))
    system = System({n: (sysm.H[n], sysm.local0[n]) for n in "ABC"}, coupling=sysm.V)
    row = ledger_rows(system, [mpmath.mpf("0.7")], lib=MPMATH)[0]
    sides = identity_sides(row)
    q0 = row["_internal"]["q0"]
    for j in "ABC":
        lhs, rhs = sides[f"sigma_{j}"]
        print(f"  j = {j}: Delta S_j + sum_(i != j) beta_i(0) Q_i = {mpmath.nstr(lhs, 15)}"
              f" = I_tot + sum D_i = {mpmath.nstr(rhs, 15)}")
        printed = (row[f"S_{j}"] - q0[j]["S"]) + 2 * q0[j]["beta"] * row[f"Q_{j}"]
        print(f"         as printed (beta_j(0) Q_j summed over i != j): {mpmath.nstr(printed, 15)}")

failed = print_verdicts("EL23", [str(n) for n in range(1, 18)]
                        + ["S18", "S19"] + [f"S{n}" for n in range(27, 39)]
                        + ["6-claim-entropy-rate"])
raise SystemExit(1 if failed else 0)
