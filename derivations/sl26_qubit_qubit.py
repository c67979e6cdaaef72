"""SL26 Sec. III B 2: two qubits exchanging an excitation (Eqs. 32-34, Fig. 5).

Run:  python derivations/sl26_qubit_qubit.py

H = omega_A sigma_ee^A + omega_B sigma_ee^B + g (sigma_+^A sigma_-^B + h.c.).
The exchange model derives from H that the excitation number commutes with
H, so from |e>|g> the populations are p_e^A = cos^2(g t) = p_g^B at
resonance, and both reduced states stay diagonal.  Qubit B is thermal (not
inverted) until g t = pi/4, then inverted: only then does it receive work.
Eq. (34) as printed puts p_g^B on |e><e|, i.e. B in |e> at t = 0.
"""

import mpmath
import sympy

from symthermo.models import get_model
from symthermo.models.base import T
from symthermo.numbers import MPMATH
from symthermo.papers.sl26 import equation
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


m = get_model("exchange")
g = sympy.Symbol("g", positive=True)
step("1. Reduced states from H (A excited, B ground, resonance omega_A = omega_B = 1)")
p = m.params({"g": "symbol"})
states = m.reduced_states(p)
for n in ("A", "B"):
    print(f"  rho_{n}(t) =", [[sympy.simplify(x) for x in row] for row in states[n].tolist()],
          "(basis g, e)")

step("2. Eq. (34) as printed at t = 0")
print("  printed:", equation("34").published_latex)
print("  p_g^B(0) =", sympy.simplify(states["B"][0, 0].subs(T, 0)), " p_e^B(0) =",
      sympy.simplify(states["B"][1, 1].subs(T, 0)),
      " -> the printed rho_B(0) is |e><e|, but B starts in |g>")

step("3. Work received by B (provided convention: W_B < 0 is work received), g = 0.01")
with working_precision(30):
    pn = m.params({})
    times = [mpmath.mpf(k) / 16 * mpmath.pi / mpmath.mpf("0.01") for k in (2, 4, 5, 6, 8)]
    for row in m.evaluate(pn, times, lib=MPMATH, convention="provided"):
        print(f"  g t = {mpmath.nstr(row['t'] / 100 / mpmath.pi, 4)} pi:"
              f"  W_A = {mpmath.nstr(row['W_A'], 8):>11}  W_B = {mpmath.nstr(row['W_B'], 8):>11}"
              f"  I_AB = {mpmath.nstr(row['I_AB'], 8)}")

failed = print_verdicts("SL26", ["32", "33", "34", "34-claim-populations",
                                 "Fig5-claim-qubit-b-work"])
raise SystemExit(1 if failed else 0)
