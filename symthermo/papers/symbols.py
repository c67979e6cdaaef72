r"""Shared SymPy vocabulary for the transcriptions of EL23 and SL26.

Every symbol, operator and undefined function that a printed equation may
contain is declared here once, with its LaTeX name in :data:`LATEX_NAMES`.
The two paper modules (:mod:`symthermo.papers.el23`,
:mod:`symthermo.papers.sl26`) import from here and declare nothing of their
own, so a checker can substitute values or closed forms for every name.

Reading rules used by both transcriptions
-----------------------------------------
* ``Delta X(t)`` is written ``X(t) - X(0)`` (EL23 defines
  ``Delta X(t) = X(t) - X(0)``; SL26 uses the same notation).
* ``beta_A(0)`` and ``beta_B(0)`` are the parameters :data:`beta_A0`,
  :data:`beta_B0`.  Where a paper prints a bare ``beta_A`` (no argument), the
  separate symbol :data:`beta_A_bare` is used, so that the ambiguity stays
  visible; :data:`PRESUMED_ALIASES` records what a reader takes it to mean.
* Quantities of a generic subsystem ``i`` or ``j`` are undefined functions of
  ``(index, time)``: ``Q(i, t)`` is :math:`Q_i(t)`, ``beta(i, 0)`` is
  :math:`\beta_i(0)`.  A sum over :math:`i \neq j` is written
  ``Sum((1 - KroneckerDelta(i, j)) * summand, (i, 1, N))``, so that a summand
  that does not depend on ``i`` (a typo of EL23 Eqs. 14, S37) stays visible.
* Commutators, anticommutators and tensor products are the non-commutative
  functions ``Comm``, ``AntiComm``, ``TP`` (see :data:`EXPANSIONS`); daggers
  are :func:`sympy.adjoint`.  ``sympy.physics.quantum`` is not imported: it
  pulls in scipy and doubles the import time.
* Operators are non-commutative symbols, and operator-valued functions of time
  (states, effective Hamiltonians) are non-commutative undefined functions.
  ``Tr`` is an undefined function (a full trace, a number); partial traces
  ``Tr_A``, ``Tr_B``, ... are non-commutative (they return operators).
* A display that prints several relations (a chain ``a = b = c >= 0`` or a
  system of lines) is a :class:`sympy.Tuple` of relations in printed order.

Examples
--------
>>> from symthermo.papers.symbols import beta_A0, latex
>>> latex(2 * beta_A0)
'2 \\beta_A(0)'
>>> from symthermo.papers.symbols import Q, i, t
>>> latex(Q(i, t))
'Q_{i}\\left(t\\right)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re

import sympy
from sympy import Function, IndexedBase, Symbol, symbols
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.printing.latex import LatexPrinter

__all__ = [
    "PrintedEquation", "KINDS", "PAPERS", "CLAIM_LABEL", "rel", "ge", "le", "gt", "lt",
    "delta",
    "latex", "LATEX_NAMES", "SYMBOLS", "FUNCTIONS", "INDEXED",
    "PRESUMED_ALIASES", "EXPANSIONS", "declared_names",
]

# --------------------------------------------------------------------------
# The record type
# --------------------------------------------------------------------------

#: The kinds an entry may have.
KINDS = ("identity", "closed-form", "inequality", "definition", "figure",
         "not-checkable")
#: The papers transcribed.
PAPERS = ("EL23", "SL26")
#: Label of a claim that is not a numbered equation ("Fig2-claim-no-work",
#: "S16-claim-sigma-negative", "30-claim-populations").
CLAIM_LABEL = re.compile(r"^(Fig\d+|App[A-C]|S?\d+|[AC]\d+)-claim-[a-z0-9-]+$")


@dataclass(frozen=True)
class PrintedEquation:
    r"""One numbered equation (or figure-level claim) as a paper prints it.

    Parameters
    ----------
    paper : str
        ``"EL23"`` or ``"SL26"``.
    equation : str
        The label as in the paper (``"5"``, ``"S23"``, ``"A3"``) or a claim
        label matching :data:`CLAIM_LABEL`.
    kind : str
        One of :data:`KINDS`.
    published_latex : str
        The LaTeX copied from the paper's markdown.  A display split over
        several blocks is stored one block per line; every line occurs
        verbatim (up to runs of whitespace) in the markdown.
    printed : sympy.Basic or None
        The printed formula, typos included.
    note : str
        What the transcriber noticed, and where a checker should look.
    printed_alternatives : tuple of sympy.Basic
        Other literal readings of a garbled display (may be empty).

    Examples
    --------
    >>> from sympy import Eq
    >>> from symthermo.papers.symbols import PrintedEquation, t
    >>> e = PrintedEquation("EL23", "0", "definition", "t = t", Eq(t, t, evaluate=False), "demo")
    >>> e.kind
    'definition'
    >>> PrintedEquation("EL23", "0", "lemma", "t", None, "demo")
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of ('identity', 'closed-form', 'inequality', 'definition', 'figure', 'not-checkable'), got 'lemma'
    """

    paper: str
    equation: str
    kind: str
    published_latex: str
    printed: sympy.Basic | None
    note: str
    printed_alternatives: tuple = field(default=())

    def __post_init__(self):
        if self.paper not in PAPERS:
            raise ValueError(f"paper must be one of {PAPERS}, got {self.paper!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not self.published_latex.strip():
            raise ValueError(f"published_latex of {self.paper}:{self.equation} is empty")
        if self.printed is not None and not isinstance(self.printed, sympy.Basic):
            raise TypeError(f"printed of {self.paper}:{self.equation} must be a SymPy object "
                            f"or None, got {type(self.printed).__name__}")
        if not isinstance(self.printed_alternatives, tuple) or not all(
                isinstance(a, sympy.Basic) for a in self.printed_alternatives):
            raise TypeError(f"printed_alternatives of {self.paper}:{self.equation} must be "
                            f"a tuple of SymPy objects, got {self.printed_alternatives!r}")

    @property
    def id(self) -> str:
        """The check id used by ``symthermo verify`` (``"EL23:S23"``)."""
        return f"{self.paper}:{self.equation}"


def rel(lhs, rhs):
    """``Eq(lhs, rhs)`` that never collapses to ``True``/``False``."""
    return sympy.Eq(lhs, rhs, evaluate=False)


def ge(lhs, rhs):
    """``lhs >= rhs``, unevaluated."""
    return sympy.Ge(lhs, rhs, evaluate=False)


def le(lhs, rhs):
    """``lhs <= rhs``, unevaluated."""
    return sympy.Le(lhs, rhs, evaluate=False)


def gt(lhs, rhs):
    """``lhs > rhs``, unevaluated."""
    return sympy.Gt(lhs, rhs, evaluate=False)


def lt(lhs, rhs):
    """``lhs < rhs``, unevaluated."""
    return sympy.Lt(lhs, rhs, evaluate=False)


# --------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------

t = Symbol("t", nonnegative=True)
tp = Symbol("tp", nonnegative=True)           # the integration variable t'
# model parameters
g = Symbol("g", positive=True)
omega_A, omega_B = symbols("omega_A omega_B", positive=True)
omega_a = Symbol("omega_a", positive=True)    # EL23 S23/S24 misprint of omega_A
omega, omega_RC, omega_c = symbols("omega omega_RC omega_c", positive=True)
Omega = Symbol("Omega", positive=True)        # EL23 Eq. S26
lam = Symbol("lam", positive=True)            # EL23 S26 frequency; SL26 qubit-RC coupling
Gamma, kappa, gamma = symbols("Gamma kappa gamma", positive=True)
Lambda_ = Symbol("Lambda", positive=True)     # SL26 Eq. C4 coupling strength
hbar, k_B = symbols("hbar k_B", positive=True)
beta = Symbol("beta", positive=True)          # a generic inverse temperature (EL23 S3-S11)
beta_A0, beta_B0 = symbols("beta_A0 beta_B0", nonnegative=True)
beta_A_bare, beta_B_bare = symbols("beta_A_bare beta_B_bare", nonnegative=True)
beta_1, beta_2 = symbols("beta_1 beta_2", positive=True)
c = Symbol("c", real=True)                    # EL23 Eq. S3 free constant
omega_int = Symbol("omega_int", positive=True)  # SL26 C4/C5 integration variable (printed omega)
r_A, r_B, z_A, z_B = symbols("r_A r_B z_A z_B", real=True)  # Bloch-vector parameters as symbols
P_e, P_g = symbols("P_e P_g", nonnegative=True)
tau = Symbol("tau", positive=True)            # SL26 instant with P_e(tau) = P_g(tau) = 1/2
# indices and ranges
i, j, k, l = symbols("i j k l", integer=True)
N, L, K = symbols("N L K", integer=True, positive=True)
sys_A, sys_B = symbols("A B")                 # subsystem labels when a generic index is fixed

# indexed constants
omega_lvl = IndexedBase("omega_lvl", real=True)    # EL23 S14 level energies omega_k
omega_mode = IndexedBase("omega_mode", real=True)  # SL26 C1 bath mode frequencies omega_k
Omega_mode = IndexedBase("Omega_mode", real=True)  # SL26 C1 couplings Omega_k
n_mode = IndexedBase("n_mode", real=True)          # SL26 C3 occupations n_k
r_eig = IndexedBase("r_eig", real=True)            # EL23 S1 eigenvalues r_l
e_eig = IndexedBase("e_eig", real=True)            # EL23 S2 eigenvalues e_k
E_pseudo = IndexedBase("E_pseudo", real=True)      # EL23 S3 pseudo-energies E_l
p_B = IndexedBase("p_B", real=True)                # EL23 S14 populations p_{B,k}
omega_sys = IndexedBase("omega_sys", positive=True)  # EL23 S21/S22 omega_i of qubit i

# --------------------------------------------------------------------------
# Operators (non-commutative symbols)
# --------------------------------------------------------------------------


def _op(name):
    return Symbol(name, commutative=False)


H_A, H_B, V, V_AB, H_tot = (_op(n) for n in ("H_A", "H_B", "V", "V_AB", "H"))
Htilde_A, Hdot_A = _op("Htilde_A"), _op("Hdot_A")   # EL23 H~_A and its misprint
Vbar_AB = _op("Vbar_AB")
H_q, H_QE, H_QRC, H_E = (_op(n) for n in ("H_q", "H_QE", "H_QRC", "H_E"))
rho0_A = _op("rho0_A")                              # EL23 rho_A^0
sigma_z, sigma_p, sigma_m, a = (_op(n) for n in ("sigma_z", "sigma_p", "sigma_m", "a"))
sigma_ee_A, sigma_ee_B = _op("sigma_ee_A"), _op("sigma_ee_B")
sigma_p_A, sigma_m_A, sigma_p_B, sigma_m_B = (
    _op(n) for n in ("sigma_p_A", "sigma_m_A", "sigma_p_B", "sigma_m_B"))
proj_e, proj_g, proj_0, proj_1 = (_op(n) for n in ("proj_e", "proj_g", "proj_0", "proj_1"))
ket_e0, ket_g1 = _op("ket_e0"), _op("ket_g1")
E_bath = _op("E_bath")                              # SL26 C2 E := sum_k Omega_k a_k
rho_bath = _op("rho_bath")                          # SL26 C3 rho_B (state of the bath)
Pi_op = _op("Pi")                                   # EL23 S34 garbled "Pi_i"
H_i0 = _op("H_i0")                                  # EL23 S33 garbled H_{i0}

OPERATORS = (H_A, H_B, V, V_AB, H_tot, Htilde_A, Hdot_A, Vbar_AB, H_q, H_QE, H_QRC,
             H_E, rho0_A, sigma_z, sigma_p, sigma_m, a, sigma_ee_A, sigma_ee_B,
             sigma_p_A, sigma_m_A, sigma_p_B, sigma_m_B, proj_e, proj_g, proj_0,
             proj_1, ket_e0, ket_g1, E_bath, rho_bath, Pi_op, H_i0)

# --------------------------------------------------------------------------
# Undefined functions
# --------------------------------------------------------------------------


def _f(name, *, nc=False, real=True):
    """An undefined function: operator-valued (``nc``), or a real or complex scalar.

    Scalars are declared real or complex so that they stay commutative even when
    their arguments are operators (``Tr(rho * H)`` is a number).
    """
    if nc:
        return Function(name, commutative=False)
    return Function(name, real=True) if real else Function(name, complex=True)


# functionals (arguments are states or inverse temperatures)
Tr = _f("Tr", real=False)          # full trace, a complex number
Tr_A, Tr_B, Tr_j, Tr_l = (_f(n, nc=True) for n in ("Tr_A", "Tr_B", "Tr_j", "Tr_l"))
S_vN = _f("S_vN")                  # von Neumann entropy S[rho]
D = _f("D")                        # relative entropy D(rho1 || rho2)
F_fun = _f("F")                    # EL23 free energy functional F[w]
calF = _f("calF")                  # EL23 S9 non-equilibrium free energy
w_A, w_B = _f("w_A", nc=True), _f("w_B", nc=True)           # thermal state of beta
w_A2 = _f("w_A2", nc=True)         # EL23 w_A[beta, H] with the Hamiltonian as 2nd argument
w_gen = _f("w", nc=True)           # w_i[beta]: args (index, beta)
w_j_typo = _f("w_j", nc=True)      # EL23 S18 misprint w_j
# time-dependent quantities of subsystems A and B (EL23 notation)
S_A, S_B = _f("S_A"), _f("S_B")
E_A, E_B = _f("E_A"), _f("E_B")
Eth_A, Eth_B = _f("Eth_A"), _f("Eth_B")
E_B_tn = _f("E_B_tn")              # EL23 Eq. 8 misprint E_B^{tn}
Q_A, Q_B, W_A, W_B = _f("Q_A"), _f("Q_B"), _f("W_A"), _f("W_B")
W_dr, F_A, E_int = _f("W_dr"), _f("F_A"), _f("E_int")
F_A_at = _f("F_A_at")              # EL23 F_A[beta_B(0)](t): args (beta, t)
I_AB, I_SB, I_tot = _f("I_AB"), _f("I_SB"), _f("I_tot")
sigma_0, sigma_A, sigma_B = _f("sigma_0"), _f("sigma_A"), _f("sigma_B")
sigma_A_erg = _f("sigma_A_erg")
erg_A, erg_B = _f("erg_A"), _f("erg_B")    # ergotropy calE_A(t), calE_B(t)
z_A_t, z_B_t, r_A_t, r_B_t = _f("z_A"), _f("z_B"), _f("r_A"), _f("r_B")
beta_A_t, beta_B_t = _f("beta_A"), _f("beta_B")
W_quasi, W_quench = _f("W_qs"), _f("W_quench")   # EL23 S7, S8 (functions of beta)
W_beta = _f("W_beta")
coh_A, coh_B = _f("coh_A"), _f("coh_B")    # |<e|rho_A|g>|, |<1|rho_B|0>|
# SL26 notation (U for energies, provided convention)
U_A, U_B, U_st, U_A_st = _f("U_A"), _f("U_B"), _f("U_st"), _f("U_A_st")
W_st, Q_st, W_A_st, Q_A_st = _f("W_st"), _f("Q_st"), _f("W_A_st"), _f("Q_A_st")
W_q_st, Q_q_st = _f("W_q_st"), _f("Q_q_st")
W_MCA, Q_MCA = _f("W_MCA"), _f("Q_MCA")     # args (j, t)
W_a_A, calF_DK = _f("W_a_A"), _f("calF_DK")  # SL26 Eq. 27
Q_q, W_q, U_q = _f("Q_q"), _f("W_q"), _f("U_q")
P_e_t, P_g_t = _f("P_e"), _f("P_g")
p_e_t, p_g_t, p_0_t, p_1_t = _f("p_e"), _f("p_g"), _f("p_0"), _f("p_1")
p_eA, p_gA, p_eB, p_gB = _f("p_eA"), _f("p_gA"), _f("p_eB"), _f("p_gB")
c_1, c_2 = _f("c_1", real=False), _f("c_2", real=False)
corr_fn = _f("c_corr", real=False)           # SL26 C3 bath correlation function c(t)
D_spec = _f("D_spec")              # SL26 C4/C5 spectral density D(omega)
Uth_bare = _f("Uth_bare")          # SL26 Eq. 4 literal U^{th} without subscript
# generic subsystem quantities: arguments (index, time)
S = _f("S")
Q, W = _f("Q"), _f("W")
beta_gen = _f("beta")
Eth = _f("Eth")                    # EL23 E_i^th
Uth, U = _f("Uth"), _f("U")        # SL26 U_j^th, U_j
erg = _f("erg")                    # ergotropy calE_j
Xi = _f("Xi")                      # exergy Xi_j
Xi_bare = _f("Xi_bare")            # SL26 Eq. 9 "Delta Xi" without index
r_gen, z_gen = _f("r"), _f("z")
sigma_gen = _f("sigma")
F_th = _f("F_th")                  # EL23 S33 garbled F^th(t)
D_i = _f("D_i")                    # EL23 S34 garbled D_i(t)
omega_of = _f("omega_garbled", nc=True)  # EL23 S34 garbled omega_i[beta_i(t)]
# operator-valued functions of time
rho_A, rho_B, rho_AB = _f("rho_A", nc=True), _f("rho_B", nc=True), _f("rho_AB", nc=True)
rho_glob, rho_q, rho_tot = _f("rho", nc=True), _f("rho_q", nc=True), _f("rho_tot", nc=True)
rho_B_eq = _op("rho_B_eq")         # EL23 Eq. 1 rho_B^eq
rho_B_th = _op("rho_B_th")         # SL26 Eq. 1 rho_B^th
pi_B = _f("pi_B", nc=True)         # passive state of B
H_A_eff, H_B_eff = _f("H_A_eff", nc=True), _f("H_B_eff", nc=True)
chi = _f("chi", nc=True)
psi = _f("psi", nc=True)
E_bath_t = _f("E_bath_dag_t", nc=True)   # SL26 C3 E^dagger(t)
a_mode = _f("a_mode", nc=True)           # a_k: arg k
rho_gen, rho_th = _f("rho_gen", nc=True), _f("rho_th", nc=True)  # rho_j(t), rho_j^th(t)
pi_gen = _f("pi_gen", nc=True)           # pi_j(t): args (j, t)
pi_bare = _f("pi_bare", nc=True)         # SL26 pi(t) printed without index
calH = _f("calH", nc=True)               # SL26 Eq. 22 effective driving H_j(t)
proj_r, proj_eig = _f("proj_r", nc=True), _f("proj_eig", nc=True)  # |r_l><r_l|, |e_k><e_k|
proj_lvl = _f("proj_lvl", nc=True)       # |k>_j<k|_j: args (j, k)
swap_kl = _f("swap_kl", nc=True)         # |kl>_AB<lk|: args (k, l)
Hcal_j = _f("H_j", nc=True)              # H_j for a generic index: arg j
Z = _f("Z")                              # partition function Z_i(t): args (i, t)
Otimes = _f("Otimes", nc=True)           # tensor product over i=lo..hi: args (expr, i, lo, hi)
Comm = _f("Comm", nc=True)               # commutator [X, Y]
AntiComm = _f("AntiComm", nc=True)       # anticommutator {X, Y}
TP = _f("TP", nc=True)                   # tensor product X (x) Y
V_AB_t = _f("V_AB_t", nc=True)           # SL26 V_AB(t), printed with a time argument
b_mode = _f("b_mode", nc=True)           # SL26 C3 b_k (misprint of a_k)
# SL26 Eq. 4: the misplaced subscript, read literally as a factor j
j_factor = Symbol("j_factor")

SYMBOLS = frozenset({
    t, tp, g, omega_A, omega_B, omega_a, omega, omega_RC, omega_c, Omega, lam, Gamma,
    kappa, gamma, Lambda_, hbar, k_B, beta, beta_A0, beta_B0, beta_A_bare, beta_B_bare,
    beta_1, beta_2, c, omega_int, tau, r_A, r_B, z_A, z_B, P_e, P_g, i, j, k, l, N, L, K,
    sys_A, sys_B, j_factor,
}) | frozenset(OPERATORS) | frozenset({rho_B_eq, rho_B_th})
INDEXED = frozenset({omega_lvl, omega_mode, Omega_mode, n_mode, r_eig, e_eig, E_pseudo,
                     p_B, omega_sys})
_FUNCTION_LIST = [v for v in list(globals().values()) if isinstance(v, UndefinedFunction)]
FUNCTIONS = frozenset(_FUNCTION_LIST)

# --------------------------------------------------------------------------
# LaTeX names, mapped once
# --------------------------------------------------------------------------

#: LaTeX for every symbol, indexed base and undefined function (by object).
LATEX_NAMES = {
    t: "t", tp: "t'", g: "g", omega_A: r"\omega_A", omega_B: r"\omega_B",
    omega_a: r"\omega_a", omega: r"\omega", omega_RC: r"\omega_{RC}", omega_c: r"\omega_c",
    Omega: r"\Omega", lam: r"\lambda", Gamma: r"\Gamma", kappa: r"\kappa",
    gamma: r"\gamma", Lambda_: r"\Lambda", hbar: r"\hbar", k_B: "k_B", beta: r"\beta",
    beta_A0: r"\beta_A(0)", beta_B0: r"\beta_B(0)", beta_A_bare: r"\beta_A",
    beta_B_bare: r"\beta_B", beta_1: r"\beta_1", beta_2: r"\beta_2", c: "c",
    omega_int: r"\omega", tau: r"\tau", r_A: "r_A", r_B: "r_B", z_A: "z_A", z_B: "z_B", P_e: "P_e",
    P_g: "P_g", i: "i", j: "j", k: "k", l: "l", N: "N", L: "L", K: "K", sys_A: "A",
    sys_B: "B", j_factor: "j",
    # operators
    H_A: "H_A", H_B: "H_B", V: "V", V_AB: "V_{AB}", H_tot: "H", Htilde_A: r"\tilde{H}_A",
    Hdot_A: r"\dot{H}_A", Vbar_AB: r"\bar{V}_{AB}", H_q: "H_q", H_QE: "H_{QE}",
    H_QRC: "H_{Q,RC}", H_E: "H_E", rho0_A: r"\rho_A^0", sigma_z: r"\sigma_z",
    sigma_p: r"\sigma_+", sigma_m: r"\sigma_-", a: "a",
    sigma_ee_A: r"\sigma_{ee}^{(A)}", sigma_ee_B: r"\sigma_{ee}^{(B)}",
    sigma_p_A: r"\sigma_+^{(A)}", sigma_m_A: r"\sigma_-^{(A)}",
    sigma_p_B: r"\sigma_+^{(B)}", sigma_m_B: r"\sigma_-^{(B)}",
    proj_e: r"|e\rangle\langle e|", proj_g: r"|g\rangle\langle g|",
    proj_0: r"|0\rangle\langle 0|", proj_1: r"|1\rangle\langle 1|",
    ket_e0: r"|e,0\rangle", ket_g1: r"|g,1\rangle", E_bath: "E", rho_bath: r"\rho_B",
    Pi_op: r"\Pi", rho_B_eq: r"\rho_B^{eq}", rho_B_th: r"\rho_B^{th}",
    # indexed bases
    omega_lvl: r"\omega", omega_mode: r"\omega", Omega_mode: r"\Omega", n_mode: "n",
    r_eig: "r", e_eig: "e", E_pseudo: "E", p_B: "p_{B}", omega_sys: r"\omega",
    # functions
    Tr: r"\mathrm{Tr}", Tr_A: r"\mathrm{Tr}_A", Tr_B: r"\mathrm{Tr}_B",
    Tr_j: r"\mathrm{Tr}_j", Tr_l: r"\mathrm{Tr}_{l \neq j}", S_vN: "S", D: "D",
    F_fun: "F", calF: r"\mathcal{F}", w_A: "w_A", w_B: "w_B", w_A2: "w_A", w_gen: "w",
    w_j_typo: "w_j", S_A: "S_A", S_B: "S_B", E_A: "E_A", E_B: "E_B",
    Eth_A: r"E_A^{\rm th}", Eth_B: r"E_B^{\rm th}", E_B_tn: r"E_B^{\rm tn}",
    Q_A: "Q_A", Q_B: "Q_B", W_A: "W_A", W_B: "W_B", W_dr: r"W_{\rm dr}", F_A: "F_A",
    F_A_at: "F_A", E_int: r"E_{\rm int}", I_AB: "I_{AB}", I_SB: "I_{SB}",
    I_tot: r"I_{\rm tot}", sigma_0: r"\sigma_0", sigma_A: r"\sigma_A",
    sigma_B: r"\sigma_B", sigma_A_erg: r"\sigma_{A,\rm erg}", erg_A: r"\mathcal{E}_A",
    erg_B: r"\mathcal{E}_B", z_A_t: "z_A", z_B_t: "z_B", r_A_t: "r_A", r_B_t: "r_B",
    beta_A_t: r"\beta_A", beta_B_t: r"\beta_B", W_quasi: r"W_{\rm quasi-static}",
    W_quench: r"W_{\rm quench}", W_beta: r"W_\beta", coh_A: r"|\rho_A^{eg}|",
    coh_B: r"|\rho_B^{10}|", U_A: "U_A", U_B: "U_B", U_st: "U^{st}",
    U_A_st: "U_A^{st}", W_st: "W^{st}", Q_st: "Q^{st}", W_A_st: "W_A^{st}",
    Q_A_st: "Q_A^{st}", W_q_st: "W_q^{st}", Q_q_st: "Q_q^{st}", W_MCA: "W^{MCA}",
    Q_MCA: "Q^{MCA}", W_a_A: "W_a^A", calF_DK: r"\mathcal{F}", Q_q: "Q_q", W_q: "W_q",
    U_q: "U_q", P_e_t: "P_e", P_g_t: "P_g", p_e_t: "p_e", p_g_t: "p_g", p_0_t: "p_0",
    p_1_t: "p_1", p_eA: "p_e^A", p_gA: "p_g^A", p_eB: "p_e^B", p_gB: "p_g^B",
    c_1: "c_1", c_2: "c_2", corr_fn: "c", D_spec: "D", Uth_bare: "U^{th}",
    S: "S", Q: "Q", W: "W", beta_gen: r"\beta", Eth: r"E^{\rm th}", Uth: "U^{th}",
    U: "U", erg: r"\mathcal{E}", Xi: r"\Xi", Xi_bare: r"\Xi", r_gen: "r", z_gen: "z",
    sigma_gen: r"\sigma", F_th: r"F^{\rm th}", D_i: "D_i", omega_of: r"\omega",
    rho_A: r"\rho_A", rho_B: r"\rho_B", rho_AB: r"\rho_{AB}", rho_glob: r"\rho",
    rho_q: r"\rho_q", rho_tot: r"\rho_{\rm tot}", pi_B: r"\pi_B",
    H_A_eff: r"H_A^{\rm eff}", H_B_eff: r"H_B^{\rm eff}", chi: r"\chi", psi: r"|\psi",
    E_bath_t: r"E^\dagger", a_mode: "a", rho_gen: r"\rho", rho_th: r"\rho^{th}",
    pi_gen: r"\pi", pi_bare: r"\pi", calH: r"\mathcal{H}", proj_r: r"|r\rangle\langle r|",
    proj_eig: r"|e\rangle\langle e|", proj_lvl: r"|k\rangle\langle k|",
    swap_kl: r"|kl\rangle\langle lk|", Hcal_j: "H", H_i0: "H_{i0}", Z: "Z",
    Otimes: r"\bigotimes", V_AB_t: "V_{AB}", b_mode: "b", Comm: "", AntiComm: "", TP: "",
}

#: Functions whose first argument is a subsystem (or mode) index, printed as a subscript.
_SUBSCRIPTED = frozenset({S, Q, W, beta_gen, Eth, Uth, U, erg, Xi, r_gen, z_gen, sigma_gen,
                          F_th, w_gen, rho_gen, rho_th, pi_gen, calH, W_MCA, Q_MCA, a_mode,
                          Hcal_j, omega_of, Z, b_mode})

#: Projectors and kets whose arguments are indices inside the ket and the bra.
_KETS = {
    proj_r: r"|r_{{{0}}}\rangle\langle r_{{{0}}}|",
    proj_eig: r"|e_{{{0}}}\rangle\langle e_{{{0}}}|",
    proj_lvl: r"|{1}\rangle_{{{0}}}\langle {1}|_{{{0}}}",
    swap_kl: r"|{0}{1}\rangle_{{AB}}\langle {1}{0}|",
    psi: r"|\psi\left({0}\right)\rangle",
}

_BRACKETS = {Comm: (r"\left[", ", ", r"\right]"), AntiComm: (r"\left\{", ", ", r"\right\}"),
             TP: ("", r" \otimes ", "")}
_X, _Y = Symbol("X", commutative=False), Symbol("Y", commutative=False)
#: Operator notation spelled out, for a checker that substitutes matrices
#: (``expr.replace(Comm, EXPANSIONS[Comm])``).  ``TP`` needs a Kronecker product.
EXPANSIONS = {
    Comm: sympy.Lambda((_X, _Y), _X * _Y - _Y * _X),
    AntiComm: sympy.Lambda((_X, _Y), _X * _Y + _Y * _X),
}

#: A reader's identification of misprinted or undecorated names (not part of
#: any printed text).  The checker decides whether to apply it.
PRESUMED_ALIASES = {
    omega_a: omega_A,           # EL23 S23/S24 lower-case omega_a
    beta_A_bare: beta_A0,       # EL23 S23-S25 bare beta_A; Fig. 2 caption mixes both
    beta_B_bare: beta_B0,       # EL23 S23/S24 bare beta_B; SL26 Eq. 1 bath beta_B
    E_B_tn: Eth_B,              # EL23 Eq. 8 E_B^{tn}
    I_SB: I_AB,                 # EL23 Eq. 1 I_{SB}
    w_j_typo: w_A,              # EL23 S18 w_j
    Hdot_A: Htilde_A,           # EL23 S7 dot for tilde
}


class _Printer(LatexPrinter):
    """LaTeX printer that uses :data:`LATEX_NAMES` for symbols and functions."""

    def _print_Symbol(self, expr, style="plain"):
        if expr in LATEX_NAMES:
            return LATEX_NAMES[expr]
        return super()._print_Symbol(expr, style=style)

    def _print_IndexedBase(self, expr):
        if expr in LATEX_NAMES:
            return LATEX_NAMES[expr]
        return super()._print_IndexedBase(expr)

    def _print_Indexed(self, expr):
        base = self._print(expr.base)
        idx = ",".join(self._print(x) for x in expr.indices)
        return f"{base}_{{{idx}}}"

    def _print_Function(self, expr, exp=None):
        if isinstance(expr, AppliedUndef) and expr.func in _KETS:
            out = _KETS[expr.func].format(*(self._print(x) for x in expr.args))
            return out if exp is None else f"\\left({out}\\right)^{{{exp}}}"
        if isinstance(expr, AppliedUndef) and expr.func in _BRACKETS:
            left, sep, right = _BRACKETS[expr.func]
            return left + sep.join(self._print(x) for x in expr.args) + right
        if isinstance(expr, AppliedUndef) and expr.func in LATEX_NAMES:
            name = LATEX_NAMES[expr.func]
            args = list(expr.args)
            if expr.func in _SUBSCRIPTED and args:
                name = f"{name}_{{{self._print(args.pop(0))}}}"
            body = ",".join(self._print(x) for x in args)
            out = f"{name}\\left({body}\\right)" if args else name
            return f"{out}^{{{exp}}}" if exp is not None else out
        return super()._print_Function(expr, exp=exp)


def latex(expr, **settings) -> str:
    r"""LaTeX of a transcribed expression, with the names of :data:`LATEX_NAMES`.

    ``settings`` are SymPy's LaTeX printer settings (``order="none"`` keeps
    the order of an unevaluated tree).

    Examples
    --------
    >>> from symthermo.papers.symbols import Eth_B, latex, t
    >>> latex(Eth_B(t))
    'E_B^{\\rm th}\\left(t\\right)'
    """
    return _Printer(settings).doprint(expr)


def delta(f, *index):
    """``f(*index, t) - f(*index, 0)``: the paper's ``Delta f(t)``.

    Examples
    --------
    >>> from symthermo.papers.symbols import S_A, delta
    >>> delta(S_A)
    -S_A(0) + S_A(t)
    """
    return f(*index, t) - f(*index, 0)


def declared_names(expr):
    """Free symbols, indexed bases and undefined functions of ``expr`` not declared here.

    Returns an empty set when everything in ``expr`` can be substituted by a
    checker using the names of this module.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from symthermo.papers.symbols import declared_names, g, t
    >>> declared_names(g * t)
    set()
    >>> declared_names(g * Symbol("x"))
    {x}
    """
    if expr is None:
        return set()
    bases = {ix.base for ix in expr.atoms(sympy.Indexed)}
    unknown = {b for b in bases if b not in INDEXED}
    labels = {b.label for b in bases}
    for s in expr.free_symbols:
        if s in SYMBOLS or s in labels or isinstance(s, sympy.Indexed):
            continue
        unknown.add(s)
    unknown |= {f.func for f in expr.atoms(AppliedUndef) if f.func not in FUNCTIONS}
    return unknown


__all__ += sorted(name for name, value in list(globals().items())
                  if not name.startswith("_")
                  and isinstance(value, (Symbol, UndefinedFunction, IndexedBase))
                  and name not in __all__)
