"""EL23 Supplement S12-S17: ergotropy is not all the work (the qutrit swap).

Run:  python derivations/el23_qutrit_counterexample.py

Two qutrits H_j = omega_1 |1><1| + omega_2 |2><2| coupled by
V = g sum_{k != l} |kl><lk|.  B starts passive but not thermal
(p_k proportional to exp(-beta_k omega_k) with beta_1 != beta_2), A thermal at
beta_B(0).  The qutrit-swap model derives rho_A(t) = cos^2(gt) rho_A(0) +
sin^2(gt) rho_B(0) (and A <-> B) from H; at g t = pi/2 the states are
swapped.  Then Delta S_A = 0 and Q_B = 0, so sigma_A = 0 (not < 0 as printed
after S16), while the 'ergotropy second law' of S12 gives
sigma_A,erg = beta_B(0) (E_B^th(0) - E_B(0)) < 0.
"""

import mpmath
import sympy

from symthermo.models import T, get_model
from symthermo.models.qutrit_swap import derive_reduced
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


step("1. Reduced states, derived from H and V (symthermo.models.qutrit_swap)")
d = derive_reduced()
for name in ("A", "B"):
    print(f"  rho_{name}(t) populations:", [sympy.sstr(x) for x in d[f"rho_{name}"]])
print("  E_int(t) =", d["E_int"], "   coherences of the reduced states:",
      set(sympy.simplify(c) for c in d["coherences"]))
g = sympy.Symbol("g", positive=True)
t_swap = sympy.pi / (2 * g)
print("  at g t = pi/2:", [sympy.simplify(x.subs(T, t_swap)) for x in d["rho_A"]], "= B's initial populations")

step("2. The printed claims at t_SWAP (defaults omega_1 = 1, omega_2 = 2.3, beta_1 = 0.5, beta_2 = 1.5)")
m = get_model("qutrit-swap")
p = m.params({})
with working_precision(30):
    ts = mpmath.pi / 2
    r0, rt = m.evaluate(p, [mpmath.mpf(0), ts], lib=MPMATH)
    show = lambda x: mpmath.nstr(x, 15)  # noqa: E731
    print("  beta_B(0) (entropy matched, solved numerically) =", show(r0["beta_B"]))
    print("  Delta S_A = ", show(rt["S_A"] - r0["S_A"]))
    print("  Q_B       = ", show(rt["Q_B"]), "(received; B ends thermal with its own entropy)")
    print("  Delta E_B = ", show(rt["E_B"] - r0["E_B"]), "= E_B^th(0) - E_B(0) =",
          show(r0["Eth_B"] - r0["E_B"]))
    print("  sigma_A   = ", show(rt["sigma_A"]), "   (Eq. 5: >= 0; here exactly 0)")
    print("  sigma_A,erg = Delta S_A + beta_B(0)(Delta E_B - Delta ergotropy_B) =",
          show(rt["sigma_erg_A"]), "< 0")
    print("  beta_B(0) (E_B^th(0) - E_B(0)) =", show(r0["beta_B"] * (r0["Eth_B"] - r0["E_B"])))

failed = print_verdicts("EL23", [f"S{n}" for n in range(12, 18)]
                        + ["S13-claim-qubit", "S16-claim-swap", "S16-claim-energy",
                           "S16-claim-sigma-negative"])
raise SystemExit(1 if failed else 0)
