"""SL26 Sec. III B 3: spontaneous emission of a qubit (Eqs. 35-41, Fig. 8).

Run:  python derivations/sl26_spontaneous_emission.py

The spontaneous-emission model solves the master equation (35) with SymPy
(dsolve): P_e = exp(-Gamma t).  The entropy-matched thermal state puts the
larger population on |g>: it is diag(P_g on |e>, P_e on |g>) while
P_e > 1/2 and switches branch at tau = ln 2/Gamma.  Heat and work follow,
in SL26's provided convention, from Q = -Delta U^th, W = -Delta U - Q, with
U^th(0) = -omega/2 (a pure excited state has beta = inf).  After tau the
definition gives Q_q = -omega P_e(t); Eq. (41) prints omega (P_e - 1), the
(received) standard heat of Eq. (38).
"""

import mpmath
import sympy

from symthermo.models import get_model
from symthermo.models.base import T
from symthermo.models.spontaneous_emission import _derive
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


m = get_model("spontaneous-emission")
p = m.params({})
w, G = p["omega"], p["gamma"]
d = _derive(w, G)
step(f"1. Master equation (35) solved by SymPy (omega = {w}, Gamma = {G})")
print("  P_e(t) =", d["P_e"], "   tau (P_e = 1/2) =", d["tau"])
print("  U(t) =", d["E"], "   standard heat int Tr[drho/dt H] =", d["Q_standard"], "(received)")

step("2. Thermal energy U^th and the provided heat and work")
Pe = sympy.Symbol("P_e", positive=True)
Uth_before, Uth_after = w / 2 * (2 * (1 - Pe) - 1), w / 2 * (2 * Pe - 1)
U = w * Pe - w / 2
Uth0 = -w / 2
for label, Uth in (("t <= tau", Uth_before), ("t > tau", Uth_after)):
    Q = -(Uth - Uth0)
    W = -(U - (w / 2)) - Q
    print(f"  {label}: U^th = {sympy.simplify(Uth)},  Q_q = {sympy.factor(Q)},  W_q = {sympy.factor(W)}")
print("  Eq. (41) prints Q_q = omega (P_e - 1) for t > tau; both agree only at P_e = 1/2")

step("3. Numbers, provided convention")
with working_precision(30):
    tau = mpmath.log(2) / mpmath.mpf("0.01")
    for f in ("0.5", "1", "2", "4"):
        row = m.evaluate(p, [mpmath.mpf(f) * tau], lib=MPMATH, convention="provided")[0]
        print(f"  t = {f} tau:  P_e = {mpmath.nstr(row['P_e'], 10)}  Q_q = {mpmath.nstr(row['Q_A'], 10)}"
              f"  W_q = {mpmath.nstr(row['W_A'], 10)}   omega (P_e - 1) = "
              f"{mpmath.nstr(row['P_e'] - 1, 10)}")

failed = print_verdicts("SL26", ["35", "36", "37", "38", "39", "40", "41", "39-claim-tau",
                                 "39-claim-thermal-state", "40-claim-energy"])
raise SystemExit(1 if failed else 0)
