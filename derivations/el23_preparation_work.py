"""EL23 Supplement S1-S11: the asymptotic ergotropy is the least work to prepare a state.

Run:  python derivations/el23_preparation_work.py

A qubit target rho^0 = diag(r, 1 - r) (in the eigenbasis of H = diag(0, e))
is prepared from a bath at inverse temperature beta: isothermal driving to
H~ with exp(-beta H~)/Z~ = rho^0, then a quench back to H.  SymPy derives
the work W_beta of the protocol, shows W_beta = D(rho^0 || w_beta)/beta
(S10), differentiates it (S11) and finds its minimum where
S[w_beta] = S[rho^0]: there W_beta is the exergy E - E^th.  It also shows
what the printed pseudo-energies of S3 (E_l = +(ln r_l + c)/beta) give.
"""

import sympy

from symthermo.verify import print_verdicts


def step(title):
    print(f"\n== {title}")


beta, e, c = sympy.symbols("beta e c", positive=True)
r = sympy.Symbol("r", positive=True)
rho = [r, 1 - r]                      # target populations on |0>, |1>
H = [sympy.Integer(0), e]


def entropy(p):
    return -sum(x * sympy.log(x) for x in p)


def gibbs(levels, b):
    w = [sympy.exp(-b * x) for x in levels]
    return [x / sum(w) for x in w], sum(w)


step("1. Pseudo-energies: exp(-beta E_l)/Z~ must equal r_l")
E_derived = [-(sympy.log(x) + c) / beta for x in rho]
E_printed = [(sympy.log(x) + c) / beta for x in rho]       # EL23 S3 as printed
pops_derived, _ = gibbs(E_derived, beta)
pops_printed, _ = gibbs(E_printed, beta)
print("E_l = -(ln r_l + c)/beta gives populations", [sympy.simplify(x) for x in pops_derived])
print("E_l = +(ln r_l + c)/beta (S3 as printed) gives", [sympy.simplify(x) for x in pops_printed])

step("2. The work of the protocol (S7 + S8)")
w_beta, Z = gibbs(H, beta)
F_eq = -sympy.log(Z) / beta                                  # free energy of w(beta, H)
Z_tilde = sum(sympy.exp(-beta * x) for x in E_derived)
F_tilde = -sympy.log(Z_tilde) / beta                         # free energy of w(beta, H~) = rho^0
W_quasi = F_tilde - F_eq
W_quench = sum(p * (h - ht) for p, h, ht in zip(rho, H, E_derived))
W = sympy.simplify(W_quasi + W_quench)
print("W_beta =", W)

step("3. S10: W_beta = D(rho^0 || w_beta)/beta")
D = sum(p * (sympy.log(p) - sympy.log(q)) for p, q in zip(rho, w_beta))
print("W_beta - D/beta =", sympy.simplify(sympy.expand_log(W - D / beta, force=True)))

step("4. S11: dW_beta/dbeta = (S[rho^0] - S[w_beta])/beta^2")
dW = sympy.diff(W, beta)
target = (entropy(rho) - entropy(w_beta)) / beta ** 2
print("dW/dbeta - (S[rho^0] - S[w_beta])/beta^2 =",
      sympy.simplify(sympy.expand_log(dW - target, force=True)))

step("5. The minimum: dW/dbeta = 0 where S[w(beta^0)] = S[rho^0]")
b = sympy.Symbol("b", positive=True)                         # write r = Gibbs population at b
at_b = {r: 1 / (1 + sympy.exp(-b * e))}
W_min = sympy.simplify(sympy.expand_log(W.subs(at_b).subs(beta, b), force=True))
print("qubit: with r the ground population of w(b), W_beta at beta = b:", W_min,
      "(a passive qubit is thermal: no exergy)")

print("qutrit rho^0 = diag(0.5, 0.2, 0.3), H = diag(0, 1, 2.5), 30 digits:")
import mpmath  # noqa: E402

from symthermo.ergotropy import exergy  # noqa: E402
from symthermo.laws import preparation_work  # noqa: E402
from symthermo.precision import working_precision  # noqa: E402
from symthermo.thermal import entropy_matched_beta  # noqa: E402

from symthermo.numbers import MPMATH  # noqa: E402

rho3 = [["0.5", 0, 0], [0, "0.2", 0], [0, 0, "0.3"]]        # read exactly at any precision
H3 = [[0, 0, 0], [0, 1, 0], [0, 0, "2.5"]]
with working_precision(30):
    def W3(x):
        return preparation_work(rho3, H3, x, lib=MPMATH)

    b_star = mpmath.findroot(lambda x: mpmath.diff(W3, x), (mpmath.mpf("0.3"), mpmath.mpf(3)),
                             solver="anderson", tol=mpmath.mpf(10) ** -28)
    print("  argmin_beta W_beta           =", mpmath.nstr(b_star, 20))
    print("  entropy-matched beta^0       =", mpmath.nstr(entropy_matched_beta(rho3, H3, dps=30), 20))
    print("  W_beta at the minimum        =", mpmath.nstr(W3(b_star), 20))
    print("  exergy E - E^th (asympt. erg.) =", mpmath.nstr(exergy(rho3, H3, dps=30), 20))

failed = print_verdicts("EL23", [f"S{n}" for n in range(1, 12)])
raise SystemExit(1 if failed else 0)
