r"""Elouard & Latune (2023), every numbered equation as printed.

Source: ``shared/papers/elouard-latune-2023-laws-autonomous.md`` (arXiv
2207.04850v1; published as PRX Quantum 4, 020309).  Main text Eqs. (1)-(17),
Supplemental Material Eqs. (S1)-(S38), and the figure- and text-level claims
that a checker can test (labels ``"<anchor>-claim-<what>"``).

Sign convention of this paper: heat and work are RECEIVED by the system
(``Q_B = Delta E_B^th``, ``W_B = Delta E_B - Q_B``), which is the default
``received`` convention of the CONTRACT.

Nothing here is derived or corrected: ``printed`` reproduces the typos, and
each ``note`` says what the transcriber suspects, for the checker.

Examples
--------
>>> from symthermo.papers.el23 import EQUATIONS, equation
>>> len({e.equation for e in EQUATIONS}) == len(EQUATIONS)
True
>>> equation("S26").kind
'definition'
>>> from sympy import cos
>>> from symthermo.papers.symbols import lam, t
>>> cos(lam * t) in equation("S23").printed.atoms(cos)
False
"""

from __future__ import annotations

from sympy import (Add, Derivative, Integral, KroneckerDelta, Sum, Tuple, cos, exp, log, pi,
                   sqrt, tanh, I as imag_unit)

from symthermo.papers.symbols import (
    Comm, TP,
    D, E_A, E_B, E_B_tn, E_int, Eth, Eth_B, E_pseudo, F_A, F_A_at, F_fun, F_th,
    D_i, H_A, H_A_eff, H_B, H_B_eff, H_i0, Hcal_j, Hdot_A, Htilde_A, I_AB, I_SB, I_tot, K,
    L, N, Omega, Otimes, Pi_op, PrintedEquation, Q, Q_A, Q_B, S, S_A, S_B, S_vN, Tr, Tr_A,
    Tr_B, V, W, W_A, W_B, W_beta, W_dr, W_quasi, W_quench, Z, beta, beta_A0, beta_A_bare,
    beta_A_t, beta_B0, beta_B_bare, beta_B_t, beta_gen, c, calF, delta, e_eig, erg_A, erg_B,
    g, hbar, i, j, k, l, lam, omega_A, omega_B, omega_a, omega_lvl, omega_of, omega_sys,
    pi_B, proj_eig, proj_lvl, proj_r, r_eig, r_gen, rel, rho0_A, rho_A, rho_AB, rho_B,
    rho_B_eq, rho_gen, rho_tot, ge, le, gt, lt, sigma_0, sigma_A, sigma_A_erg, swap_kl, t, tp, w_A, w_A2,
    w_B, w_gen, w_j_typo, z_A_t, z_B_t, z_gen,
)

__all__ = ["EQUATIONS", "equation"]

PAPER = "EL23"


def _e(label, kind, published_latex, printed, note, alternatives=()):
    return PrintedEquation(PAPER, label, kind, published_latex.strip(), printed, note,
                           tuple(alternatives))


def _not_j(expr):
    """The summand of a printed ``sum_{i != j}``, summed over i = 1..N."""
    return Sum((1 - KroneckerDelta(i, j)) * expr, (i, 1, N))


# shorthands used in several displays
bt_A, bt_B = beta_A_t(t), beta_B_t(t)
dS_A = delta(S_A)
t_swap = pi / (2 * g)
tanh_A = tanh(beta_A_bare * omega_A / 2)       # printed tanh(beta_A omega_A / 2)
tanh_B0 = tanh(beta_B0 * omega_B / 2)          # printed tanh(beta_B(0) omega_B / 2)
tanh_Bb = tanh(beta_B_bare * omega_B / 2)      # printed tanh(beta_B omega_B / 2)
_K = g**2 * (omega_B**2 + omega_A**2) + (omega_B**2 - omega_A**2)**2


# ----------------------------------------------------------------------------
# Main text
# ----------------------------------------------------------------------------

_MAIN = (
    _e("1", "identity", r"""
\sigma_0(t) = \Delta S_A(t) + \beta_B \Delta E_B(t)
I_{SB}(t) + D(\rho_B(t)|\rho_B^{eq}).
""", Tuple(rel(sigma_0(t), dS_A + beta_B_bare * delta(E_B)),
           rel(dS_A + beta_B_bare * delta(E_B), I_SB(t) + D(rho_B(t), rho_B_eq))),
       "Esposito-Lindenberg-Van den Broeck entropy production for B initially thermal at the "
       "bath inverse temperature beta_B (bare, = beta); received convention. Notation only: "
       "I_SB is I_AB (S = system A, as in rho_S(0) of the text) and the single bar of "
       "D(.|.) stands for the relative entropy D(.||.), rho_B^eq = w_B[beta]."),
    _e("2", "inequality", r"W_{\rm dr}(t) \ge \Delta F_A + \Delta E_{\rm int},",
       ge(W_dr(t), delta(F_A) + delta(E_int)),
       "Follows from Eq. (1) >= 0 and W_dr = Delta(E_A + E_B + E_int) with F_A = E_A - S_A/beta "
       "(k_B = 1); expected to hold, W_dr(0) = 0 implicit."),
    _e("3", "definition", r"S[w_B[\beta_B(t)]] = S[\rho_B(t)],",
       rel(S_vN(w_B(bt_B)), S_vN(rho_B(t))),
       "Entropy-matched inverse temperature beta_B(t), as in CONTRACT.md."),
    _e("4", "definition", r"E_B^{\rm th}(t) = \operatorname{Tr}\{H_B w_B[\beta_B(t)]\},",
       rel(Eth_B(t), Tr(H_B * w_B(bt_B))),
       "Thermal energy, the CONTRACT's Eth_B."),
    _e("5", "identity", r"""
\sigma_A \equiv \Delta S_A(t) + \beta_B(0)Q_B(t)
I_{AB}(t) + D(w_B[\beta_B(t)]||w_B[\beta_B(0)]) \ge 0,
""", Tuple(rel(sigma_A(t), dS_A + beta_B0 * Q_B(t)),
           rel(dS_A + beta_B0 * Q_B(t), I_AB(t) + D(w_B(bt_B), w_B(beta_B0))),
           ge(I_AB(t) + D(w_B(bt_B), w_B(beta_B0)), 0)),
       "Central result, received convention (Q_B = heat received by B). The relative-entropy "
       "term is B's (the other system's) thermal-state distance; compare SL26 Eq. (5), which "
       "prints j's own. Derivation via Eqs. (7)-(8) checks out by hand."),
    _e("6", "definition", r"Q_B(t) = \Delta E_B^{\rm th}(t).",
       rel(Q_B(t), delta(Eth_B)),
       "Heat RECEIVED by B, the CONTRACT's received Q_B = Eth_B(t) - Eth_B(0); SL26 Eq. (4) "
       "is its negative."),
    _e("7", "identity", r"\Delta S_A = I_{AB}(t) - \Delta S_B.",
       rel(dS_A, I_AB(t) - delta(S_B)),
       "Unitary global evolution from a product state (I_AB(0) = 0); expected to hold."),
    _e("8", "identity", r"""
\beta_B(0)\Delta E_B^{\rm tn} - \Delta S_B = -\mathrm{Tr}\{(w_B[\beta_B(t)] - w_B[\beta_B(0)])\log w_B[\beta_B(0)]\} -S[w_B[\beta_B(t)]] + S[w_B[\beta_B(0)]] = D(w_B[\beta_B(t)]||w_B[\beta_B(0)]]),
""", Tuple(rel(beta_B0 * delta(E_B_tn) - delta(S_B),
               -Tr((w_B(bt_B) - w_B(beta_B0)) * log(w_B(beta_B0)))
               - S_vN(w_B(bt_B)) + S_vN(w_B(beta_B0))),
           rel(-Tr((w_B(bt_B) - w_B(beta_B0)) * log(w_B(beta_B0)))
               - S_vN(w_B(bt_B)) + S_vN(w_B(beta_B0)),
               D(w_B(bt_B), w_B(beta_B0)))),
       "Misprint E_B^{tn} for E_B^{th} (kept as the function E_B_tn) and an unbalanced ']' "
       "in D(...]]). The text refers to 'the second line' of a one-line display. Each step "
       "uses S[w_B[beta_B(t)]] = S_B(t) and holds by hand."),
    _e("9", "definition", r"W_B = \Delta E_B - Q_B,",
       rel(W_B(t), delta(E_B) - Q_B(t)),
       "First law for B: work RECEIVED by B, the CONTRACT's received W_B."),
    _e("10", "inequality", r"W_{\rm dr}(t) - W_B \ge \Delta F_A[\beta_B(0)] + \Delta E_{\rm int}(t).",
       ge(W_dr(t) - W_B(t), F_A_at(beta_B0, t) - F_A_at(beta_B0, 0) + delta(E_int)),
       "F_A[beta_B(0)] = E_A - S_A/beta_B(0). Follows from Eq. (5) and energy conservation; "
       "expected to hold (with W_dr = 0 in the autonomous models)."),
    _e("11", "inequality", r"\beta_B(0)Q_B(t) + \beta_A(0)Q_A(t) \ge 0.",
       ge(beta_B0 * Q_B(t) + beta_A0 * Q_A(t), 0),
       "Clausius form, received heats. Equals I_AB + D_A + D_B by S19 and Eq. (5); expected "
       "to hold for every model with beta_X(0) finite."),
    _e("12", "inequality", r"W_A + W_B + \Delta E_{\text{int}}(t) \le 0,",
       le(W_A(t) + W_B(t) + delta(E_int), 0),
       "Stated only for beta_A(0) = beta_B(0) = beta; then -(W_A + W_B + Delta E_int) = "
       "Q_A + Q_B >= 0 by Eq. (11) if beta > 0. Not claimed for unequal temperatures."),
    _e("13", "inequality", r"""
0 \ge (\beta_A(0) - \beta_B(0))Q_A \ge \beta_B(0)\left(W_A + W_B + \Delta E_{\text{int}}(t)\right).
""", Tuple(ge(0, (beta_A0 - beta_B0) * Q_A(t)),
           ge((beta_A0 - beta_B0) * Q_A(t), beta_B0 * (W_A(t) + W_B(t) + delta(E_int)))),
       "First inequality is the refrigerator assumption (beta_A > beta_B, Q_A <= 0); the "
       "second follows from Eq. (11) and energy conservation for any temperatures. Gives the "
       "Carnot COP beta_B(0)/(beta_A(0) - beta_B(0))."),
    _e("14", "inequality", r"\Delta S_j + \sum_{i \neq j} \beta_j(0) Q_j(t) \ge 0",
       ge(delta(S, j) + _not_j(beta_gen(j, 0) * Q(j, t)), 0),
       "INDEX TYPO suspected: the summand beta_j(0) Q_j(t) does not depend on the summation "
       "index i, so as printed the sum is (N-1) beta_j(0) Q_j(t); S31/S36 give "
       "Delta S_j + sum_{i != j} beta_i(0) Q_i(t) = I_tot + sum_{i != j} D_i >= 0 (cf. Eq. 17, "
       "which has beta_i). Same typo in S37."),
    _e("15", "inequality", r"\sum_{j} \beta_j(0) Q_j(t) \ge 0,",
       ge(Sum(beta_gen(j, 0) * Q(j, t), (j, 1, N)), 0),
       "N-system Clausius inequality, equals I_tot + sum_j D_j by S38; expected to hold."),
    _e("16", "inequality", r"\sum_{j} \beta_j(t) Q_j(t) \ge \Delta I_{\text{tot}},",
       ge(Sum(beta_gen(j, t) * Q(j, t), (j, 1, N)), delta(I_tot)),
       "For initially correlated systems. Suspected: beta_j(t) should be beta_j(0); the S36 "
       "argument gives sum_j beta_j(0) Q_j(t) - sum_j Delta S_j = sum_j D_j >= 0 with "
       "sum_j Delta S_j = Delta I_tot, while no argument supports beta_j(t)."),
    _e("17", "inequality", r"""
\Delta S_j + \sum_{i \neq j} \int_0^t dt' \beta_i(t') \dot{Q}_i(t') \ge 0,
\int_0^t dt' \sum_j \beta_j(t') \dot{Q}_j(t') \ge 0.
""", Tuple(ge(delta(S, j) + _not_j(Integral(beta_gen(i, tp) * Derivative(Q(i, tp), tp),
                                              (tp, 0, t))), 0),
           ge(Integral(Sum(beta_gen(j, tp) * Derivative(Q(j, tp), tp), (j, 1, N)),
                       (tp, 0, t)), 0)),
       "Since dS_i = beta_i(t) dQ_i (entropy-matched temperature), each integral is Delta S_i, "
       "so both left-hand sides equal I_tot(t): expected to hold, and with equality to I_tot. "
       "Here the summand correctly carries beta_i (contrast Eq. 14)."),
)

# ----------------------------------------------------------------------------
# Supplemental Material
# ----------------------------------------------------------------------------

_sum_r = Sum(E_pseudo[L] * proj_r(l), (l, 1, L))
_s18_line1 = S_vN(w_A(bt_A)) - S_vN(w_A(beta_A0))
_s18_line2 = Add(S_vN(w_A(bt_A)), Tr(w_A(bt_A) * log(w_A(beta_A0))),
                 -Tr(w_A(bt_A) * log(w_A(beta_gen(j, 0)))),
                 -S_vN(w_A(beta_A0)), -Tr(w_A(beta_A0) * log(w_j_typo(beta_A0))),
                 Tr(w_A(beta_A0) * log(w_j_typo(beta_A0))), evaluate=False)
_s18_line3 = (-D(w_A(bt_A), w_A(beta_A0)) - Tr(w_A(bt_A) * log(w_A(beta_A0)))
              + Tr(w_A(beta_A0) * log(w_A(beta_A0))))

_z_A = (g**2 / (2 * Omega**2 * lam**2)
        * (lam**2 * (tanh_A + tanh_B0) * cos(Omega * t)
           + Omega**2 * (tanh_A - tanh_B0) * cos(Omega * t))
        + (_K * tanh_A - 2 * g**2 * omega_a * omega_B * tanh_Bb) / (lam**2 * Omega**2))
_z_B_osc = (g**2 / (2 * Omega**2 * lam**2)
            * (lam**2 * (tanh_A + tanh_B0) * cos(Omega * t)
               - Omega**2 * (tanh_A - tanh_B0) * cos(Omega * t)))
_z_B = _z_B_osc + (_K * tanh_Bb - 2 * g**2 * omega_a * omega_B * tanh_A
                   - tanh_B0 * cos(Omega * t)) / (lam**2 * Omega**2)
_z_B_alt_drop = _z_B_osc + (_K * tanh_Bb - 2 * g**2 * omega_a * omega_B * tanh_A) / (
    lam**2 * Omega**2)
_z_B_alt_paren = _z_B_osc + (_K * tanh_Bb - 2 * g**2 * omega_a * omega_B
                             * (tanh_A - tanh_B0) * cos(Omega * t)) / (lam**2 * Omega**2)
_xA, _xB = exp(beta_A0 * omega_A), exp(beta_B0 * omega_B)
_dE_int = (-g**2 / (4 * Omega**2 * lam**2)
           * (lam**2 * (omega_B - omega_A) * (tanh_A + tanh_B0) * cos(Omega * t)
              + Omega**2 * (omega_B + omega_A) * (tanh_A - tanh_B0) * cos(lam * t))
           + g**2 / (2 * lam**2 * Omega**2)
           * ((exp(beta_A0 * omega_A + beta_B0 * omega_B) - 1) / ((1 + _xA) * (1 + _xB))
              * lam**2 * (omega_B - omega_A)
              + (_xB - _xA) / (1 + _xB) * Omega**2 * (omega_B + omega_A)))

_W_B_integrand_1 = Tr(H_B * (-imag_unit * Comm(H_B_eff(t), rho_B(t))))
_W_B_integrand_2 = -imag_unit * Tr(Comm(H_B, H_B + Tr_A(V * rho_A(t))) * rho_B(t))
_W_B_integrand_3 = -imag_unit * Tr(Comm(H_B, V) * TP(rho_A(t), rho_B(t)))
_W_B_integrand_4 = imag_unit * Tr(Tr_B(V * Comm(H_B, rho_B(t))) * rho_A(t))
_W_B_integrand_5 = -Tr(Derivative(H_A_eff(t), t) * rho_A(t))

_SUPPLEMENT = (
    _e("S1", "definition", r"\rho_A^0 := \sum_{l=1}^L r_l |r_l\rangle \langle r_l|,",
       rel(rho0_A, Sum(r_eig[l] * proj_r(l), (l, 1, L))),
       "Spectral decomposition of the target state."),
    _e("S2", "definition", r"H_A = \sum_{k=1}^{K} e_k |e_k\rangle \langle e_k|,",
       rel(H_A, Sum(e_eig[k] * proj_eig(k), (k, 1, K))),
       "Spectral decomposition of H_A."),
    _e("S3", "definition", r"E_l := \frac{1}{\beta} (\ln r_l + c),",
       rel(E_pseudo[l], (log(r_eig[l]) + c) / beta),
       "SIGN suspected: exp(-beta E_l) is then proportional to 1/r_l, so S6 "
       "(exp(-beta H~)/Z = rho_A^0) fails; S6 needs E_l = -(ln r_l + c)/beta."),
    _e("S4", "definition", r"H_A := \sum_{l=1}^{L} E_L |r_l\rangle \langle r_l|.",
       rel(H_A, _sum_r),
       "Two misprints kept: the left side is H_A although the text defines H~_A, and the "
       "summand has E_L (fixed index L) for E_l, making H~_A proportional to the identity."),
    _e("S5", "definition",
       r"H_A := \sum_{l=1}^{L} E_L |r_l\rangle \langle r_l| + \sum_{l=L+1}^{K} E_l |e_l\rangle \langle e_l|,",
       rel(H_A, _sum_r + Sum(E_pseudo[l] * proj_eig(l), (l, L + 1, K))),
       "Same misprints as S4 (H_A for H~_A, E_L for E_l); the |e_l> for l > L must also be "
       "orthogonal to the support of rho_A^0, which the text does not say."),
    _e("S6", "identity",
       r"w_A[\beta, \tilde{H}_A] := e^{-\beta \tilde{H}_A} / \operatorname{Tr}[e^{-\beta \tilde{H}_A}] = \rho_A^0,",
       Tuple(rel(w_A2(beta, Htilde_A), exp(-beta * Htilde_A) / Tr(exp(-beta * Htilde_A))),
             rel(exp(-beta * Htilde_A) / Tr(exp(-beta * Htilde_A)), rho0_A)),
       "Holds for full rank only if E_l = -(ln r_l + c)/beta; with S3 and S4 as printed it "
       "fails (inverted populations from S3, and E_L makes H~_A trivial)."),
    _e("S7", "definition",
       r"W_{\text{quasi-static}} = F[w_A[\beta, \dot{H}_A]] - F[w_A[\beta, H_A]].",
       rel(W_quasi(beta), F_fun(w_A2(beta, Hdot_A)) - F_fun(w_A2(beta, H_A))),
       "Misprint: dot{H}_A for tilde{H}_A (kept as the operator Hdot_A). The free energy is "
       "F[w, H] = Tr[w H] - S[w]/beta (its inline definition mixes w_beta and rho)."),
    _e("S8", "definition", r"W_{\text{quench}} = \text{Tr}[\rho_A^0(H_A - \tilde{H}_A)],",
       rel(W_quench(beta), Tr(rho0_A * (H_A - Htilde_A))),
       "Sudden quench work; correct."),
    _e("S9", "identity", r"""
W_{\beta} = W_{\text{quasi-static}} + W_{\text{quench}}
= \mathcal{F}_{\beta, H_A}[\rho_A^0] - F[w_A[\beta, H_A]]
""", Tuple(rel(W_beta(beta), W_quasi(beta) + W_quench(beta)),
           rel(W_quasi(beta) + W_quench(beta),
               calF(beta, H_A, rho0_A) - F_fun(w_A2(beta, H_A)))),
       "calF_{beta,H}[rho] = Tr[rho H] - S[rho]/beta (inline definition writes S[rho_A] for "
       "S[rho_A^0]). Holds with S7 read with tilde{H}_A and S6 satisfied."),
    _e("S10", "identity", r"W_{\beta} = \frac{1}{\beta} D[\rho_A^0 | w_A[\beta, H_A]],",
       rel(W_beta(beta), D(rho0_A, w_A2(beta, H_A)) / beta),
       "Standard: non-equilibrium minus equilibrium free energy = D/beta; single bar for ||."),
    _e("S11", "identity", r"""
\frac{1}{\partial\beta}W_{\beta} = \frac{1}{\partial\beta}F[w_{A}[\beta,\tilde{H}_{A}]] - \frac{1}{\partial\beta}F[w_{A}[\beta,H_{A}]]
= \frac{1}{\beta^{2}}\left\{S[\rho_{A}^{0}] - S[w_{A}[\beta,H_{A}]]\right\}.
""", Tuple(rel(Derivative(W_beta(beta), beta),
               Derivative(F_fun(w_A2(beta, Htilde_A)), beta)
               - Derivative(F_fun(w_A2(beta, H_A)), beta)),
           rel(Derivative(F_fun(w_A2(beta, Htilde_A)), beta)
               - Derivative(F_fun(w_A2(beta, H_A)), beta),
               (S_vN(rho0_A) - S_vN(w_A2(beta, H_A))) / beta**2)),
       "GARBLED operator: '1/partial beta' read as d/d beta. The first line is right only "
       "with H~_A held fixed (then d W_quench/d beta = 0); the final line "
       "(S[rho^0] - S[w_beta])/beta^2 is correct, giving the minimum at beta^0 of the text."),
    _e("S12", "definition",
       r"\sigma_{A,\operatorname{erg}}(t) := \Delta S_A + \beta_B(0) \left(\Delta E_B - \Delta \mathcal{E}_B\right) \ge 0.",
       Tuple(rel(sigma_A_erg(t), dS_A + beta_B0 * (delta(E_B) - delta(erg_B))),
             ge(sigma_A_erg(t), 0)),
       "Hypothetical second law with ergotropy as work; the '>= 0' is what the paper refutes "
       "(S14-S16), so a checker should find it violated in the qutrit-swap model."),
    _e("S13", "identity",
       r"\sigma_{A,\text{erg}}(t) = I_{AB}(t) + D[\pi_B(t)|w_B[\beta_B(0)]] - D[\pi_B(0)|w_B[\beta_B(0)]].",
       rel(sigma_A_erg(t), I_AB(t) + D(pi_B(t), w_B(beta_B0)) - D(pi_B(0), w_B(beta_B0))),
       "pi_B = passive state of rho_B. Holds by hand (E_B - calE_B = Tr[pi_B H_B], "
       "S[pi_B] = S_B), but it follows from Eq. (7), not Eq. (1) as the text says."),
    _e("S14", "definition",
       r"H_j = \sum_{k=0}^{2} \omega_k |k\rangle_j \langle k|_j, \quad j = A, B",
       rel(Hcal_j(j), Sum(omega_lvl[k] * proj_lvl(j, k), (k, 0, 2))),
       "Qutrit Hamiltonian; the CONTRACT's qutrit-swap model takes omega_0 = 0."),
    _e("S15", "definition", r"V = g \sum_{k \neq l} |kl\rangle_{AB} \langle lk|.",
       rel(V, g * Sum(Sum((1 - KroneckerDelta(k, l)) * swap_kl(k, l), (l, 0, 2)), (k, 0, 2))),
       "Not the full SWAP (k = l terms excluded): exp(-iVt) at gt = pi/2 is -i SWAP on k != l "
       "and identity on |kk>, which still swaps diagonal product states; V commutes with "
       "H_A + H_B."),
    _e("S16", "identity",
       r"S_A(t) = S[\rho_A(t_{\text{SWAP}})] = S[\rho_B(0)] = S[w_B[\beta_B(0)]] = S_A(0).",
       Tuple(rel(S_A(t), S_vN(rho_A(t_swap))), rel(S_vN(rho_A(t_swap)), S_vN(rho_B(0))),
             rel(S_vN(rho_B(0)), S_vN(w_B(beta_B0))), rel(S_vN(w_B(beta_B0)), S_A(0))),
       "Left side printed S_A(t) for S_A(t_SWAP), t_SWAP = pi/(2g). Holds since "
       "rho_A(0) = w_A[beta_B(0)] with identical H_A = H_B."),
    _e("S17", "inequality",
       r"\Delta S_A(t) + \beta_B(0) \Delta \mathcal{E}_A(t) \ge 0,",
       ge(dS_A + beta_B0 * delta(erg_A), 0),
       "Suspected index/term typo: for rho_B(0) = U_0 w_B U_0^dag, S13 gives "
       "Delta S_A + beta_B(0)(Delta E_B - Delta calE_B) >= 0 (B's passive energy); the "
       "printed ergotropy of A has no such derivation."),
    _e("S18", "identity", r"""
S_{A} = S[w_{A}[\beta_{A}(t)]] - S[w_{A}[\beta_{A}(0)]]
= S[w_{A}[\beta_{A}(t)]] + \operatorname{Tr}\{w_{A}[\beta_{A}(t)] \log w_{A}[\beta_{A}(0)]\} - \operatorname{Tr}\{w_{A}[\beta_{A}(t)] \log w_{A}[\beta_{j}(0)]\}
-S[w_{A}[\beta_{A}(0)]] - \operatorname{Tr}\{w_{A}[\beta_{A}(0)] \log w_{j}[\beta_{A}(0)]\} + \operatorname{Tr}\{w_{A}[\beta_{A}(0)] \log w_{j}[\beta_{A}(0)]\}
= -D(w_{A}[\beta_{A}(t)||w_{A}[\beta_{A}(0)]) - \operatorname{Tr}\{w_{A}[\beta_{A}(t)] \log w_{A}[\beta_{A}(0)]\}
+\operatorname{Tr}\{w_{A}[\beta_{A}(0)] \log w_{A}[\beta_{A}(0)]\}.
""", Tuple(rel(S_A(t), _s18_line1), rel(_s18_line1, _s18_line2), rel(_s18_line2, _s18_line3)),
       "Left side printed S_A for Delta S_A (S_A(t) here). Index misprints kept: "
       "w_A[beta_j(0)] and w_j[beta_A(0)] (beta_gen(j, 0), w_j) for A; read with j = A every "
       "line equals S[w_t] - S[w_0]."),
    _e("S19", "identity",
       r"\Delta S_A = -D(w_A[\beta_A(t) \| w_A[\beta_A(0)]) + \beta_A(0)Q_A(t),",
       rel(dS_A, -D(w_A(bt_A), w_A(beta_A0)) + beta_A0 * Q_A(t)),
       "Holds for any system (received Q_A); bracket misplaced in D(w_A[beta_A(t) || ...])."),
    _e("S20", "identity", r"""
S[\rho_j(t)] = -\frac{1+r_j(t)}{2} \log\left(\frac{1+r_j(t)}{2}\right) - \frac{1-r_j(t)}{2} \log\left(\frac{1-r_j(t)}{2}\right).
""", rel(S_vN(rho_gen(j, t)),
         -(1 + r_gen(j, t)) / 2 * log((1 + r_gen(j, t)) / 2)
         - (1 - r_gen(j, t)) / 2 * log((1 - r_gen(j, t)) / 2)),
       "Qubit entropy from the Bloch-vector length r_j; correct. (The definition of r_j just "
       "above mixes rho_i and rho_j.)"),
    _e("S21", "definition", r"Q_j = -\hbar\omega_i \Delta r_j(t)/2",
       rel(Q(j, t), -hbar * omega_sys[i] * delta(r_gen, j) / 2),
       "Index mix kept (omega_i in a j-equation). With E_j^th = -r_j hbar omega_j/2 this is "
       "the heat RECEIVED by qubit j (Eq. 6), although the sentence says 'provided by qubit i'."),
    _e("S22", "definition", r"W_j = \hbar\omega_i (\Delta r_j(t) + \Delta z_j(t))/2,",
       rel(W(j, t), hbar * omega_sys[i] * (delta(r_gen, j) + delta(z_gen, j)) / 2),
       "Index mix omega_i kept. W_j = Delta E_j - Q_j with E_j = hbar omega_j z_j/2: work "
       "RECEIVED (not 'provided' as the text says); zero while z_j = -r_j."),
    _e("S23", "closed-form", r"""
z_{A}(t) = \frac{g^{2}}{2\Omega^{2}\lambda^{2}} \bigg[ \lambda^{2} \left( \tanh(\beta_{A}\omega_{A}/2) + \tanh(\beta_{B}(0)\omega_{B}/2) \right) \cos(\Omega t) + \Omega^{2} \left( \tanh(\beta_{A}\omega_{A}/2) - \tanh(\beta_{B}(0)\omega_{B}/2) \right) \cos(\Omega t) \bigg]
+ \frac{1}{\lambda^{2}\Omega^{2}} \bigg[ \left( g^{2} (\omega_{B}^{2} + \omega_{A}^{2}) + (\omega_{B}^{2} - \omega_{A}^{2})^{2} \right) \tanh(\beta_{A}\omega_{A}/2) - 2g^{2}\omega_{a}\omega_{B} \tanh(\beta_{B}\omega_{B}/2) \bigg]
""", rel(z_A_t(t), _z_A),
       "LABEL NOT PRINTED in the markdown: this z_A(t) display carries no number; S23 is "
       "inferred from the sequence S22 < z_A < (S24). Typos kept: cos(Omega t) in both terms "
       "(the Omega^2 term should oscillate as cos(lambda t), cf. S25), omega_a for omega_A, bare "
       "beta_A, beta_B for beta_A(0), beta_B(0). Suspected SIGN: with the lambda-fix the whole "
       "right side is -Tr[sigma_z rho_A(t)] (it gives z_A(0) = +tanh(beta_A omega_A/2) for a "
       "thermal A, whose z_A(0) is negative); checked numerically at omega_B = 1.63."),
    _e("S24", "closed-form", r"""
z_{B}(t) = \frac{g^{2}}{2\Omega^{2}\lambda^{2}} \bigg[ \lambda^{2} \left( \tanh(\beta_{A}\omega_{A}/2) + \tanh(\beta_{B}(0)\omega_{B}/2) \right) \cos(\Omega t) - \Omega^{2} \left( \tanh(\beta_{A}\omega_{A}/2) - \tanh(\beta_{B}(0)\omega_{B}/2) \right) \cos(\Omega t) \bigg]
+ \frac{1}{\lambda^{2}\Omega^{2}} \bigg[ \left( g^{2} (\omega_{B}^{2} + \omega_{A}^{2}) + (\omega_{B}^{2} - \omega_{A}^{2})^{2} \right) \tanh(\beta_{B}\omega_{B}/2) - 2g^{2}\omega_{a}\omega_{B} \tanh(\beta_{A}\omega_{A}/2) - \tanh(\beta_{B}(0)\omega_{B}/2) \right) \cos(\Omega t) \bigg]
""", rel(z_B_t(t), _z_B),
       "GARBLED: the constant bracket ends with a stray fragment "
       "'- tanh(beta_B(0) omega_B/2)) cos(Omega t)' with an unmatched ')'; most literal "
       "reading keeps it as a term. Alternatives: fragment dropped; or a lost '(' making "
       "-2g^2 omega_a omega_B (tanh_A - tanh_B0) cos(Omega t). Same cos(Omega t)-for-cos(lambda t) "
       "typo as S23; with fragment dropped and lambda-fix it matches the propagator (sign OK).",
       alternatives=(rel(z_B_t(t), _z_B_alt_drop), rel(z_B_t(t), _z_B_alt_paren))),
    _e("S25", "closed-form", r"""
\Delta E_{\rm int}(t) &= -\frac{g^2}{4\Omega^2 \lambda^2} \bigg[ \lambda^2 (\omega_B - \omega_A) \left( \tanh(\beta_A \omega_A/2) + \tanh(\beta_B(0)\omega_B/2) \right) \cos(\Omega t) \\ &\quad + \Omega^2 (\omega_B + \omega_A) \left( \tanh(\beta_A \omega_A/2) - \tanh(\beta_B(0)\omega_B/2) \right) \cos(\lambda t) \bigg] \\ &\quad + \frac{g^2}{2\lambda^2 \Omega^2} \bigg[ \frac{e^{\beta_A(0)\omega_A + \beta_B(0)\omega_B} - 1}{(1 + e^{\beta_A(0)\omega_A})(1 + e^{\beta_B(0)\omega_B})} \lambda^2 (\omega_B - \omega_A) + \frac{e^{\beta_B(0)\omega_B} - e^{\beta_A(0)\omega_A}}{(1 + e^{\beta_B(0)\omega_B})} \Omega^2 (\omega_B + \omega_A) \bigg]
""", rel(E_int(t) - E_int(0), _dE_int),
       "Does not vanish at t = 0 as printed. Suspected: (i) the second constant term lacks the "
       "factor (1 + e^{beta_A(0) omega_A}) in its denominator, and (ii) the cos(lambda t) term "
       "should carry (tanh_B0 - tanh_A), not (tanh_A - tanh_B0). With both changes it matches "
       "(g/2)<sigma_x sigma_x> from the propagator. Mixes bare beta_A and beta_A(0)."),
    _e("S26", "definition",
       r"\lambda = \sqrt{g^2 + (\omega_A + \omega_B)^2}, \quad \Omega = \sqrt{g^2 + (\omega_A - \omega_B)^2}.",
       Tuple(rel(lam, sqrt(g**2 + (omega_A + omega_B)**2)),
             rel(Omega, sqrt(g**2 + (omega_A - omega_B)**2))),
       "Rabi frequencies of the |ee>,|gg> and |eg>,|ge> doublets for V = (g/2) sigma_x sigma_x; "
       "correct. Fig. 2's Omega agrees."),
    _e("S27", "definition",
       r"\dot{\rho}_{AB}(t) = -i[H_A + V + H_B, \rho_A(t) \otimes \rho_B(t)].",
       rel(Derivative(rho_AB(t), t),
           -imag_unit * Comm(H_A + V + H_B, TP(rho_A(t), rho_B(t)))),
       "Liouville equation under the ideal-work-source assumption rho_AB = rho_A x rho_B at all "
       "times (hbar = 1); no interacting model satisfies it exactly."),
    _e("S28", "identity", r"""
\dot{\rho}_{A}(t) = -i[H_{A}^{\text{eff}}(t), \rho_{A}(t)] \dot{\rho}_{B}(t) = -i[H_{B}^{\text{eff}}(t), \rho_{B}(t)],
""", Tuple(rel(Derivative(rho_A(t), t), -imag_unit * Comm(H_A_eff(t), rho_A(t))),
           rel(Derivative(rho_B(t), t), -imag_unit * Comm(H_B_eff(t), rho_B(t)))),
       "Two equations run together on one line. Partial traces of S27; hold under its "
       "product-state assumption."),
    _e("S29", "identity", r"""
W_B(t) = \int_0^t dt' \operatorname{Tr} \{ H_B \left( -i [H_B^{\text{eff}}(t), \rho_B(t)] \right) \}
= -i \int_0^t dt' \operatorname{Tr} \{ [H_B, H_B + \operatorname{Tr}_A \{ V \rho_A(t) \} ] \rho_B(t) \}
= -i \int_0^t dt' \operatorname{Tr} \{ [H_B, V] \rho_A(t) \otimes \rho_B(t) \}
= i \int_0^t dt' \operatorname{Tr} \{ \operatorname{Tr}_B \{ V [H_B, \rho_B(t)] \} \rho_A(t) \}
= - \int_0^t dt' \operatorname{Tr} \left\{ \frac{\partial}{\partial t} H_A^{\text{eff}}(t) \rho_A(t) \right\}.
""", Tuple(rel(W_B(t), Integral(_W_B_integrand_1, (tp, 0, t))),
           rel(Integral(_W_B_integrand_1, (tp, 0, t)), Integral(_W_B_integrand_2, (tp, 0, t))),
           rel(Integral(_W_B_integrand_2, (tp, 0, t)), Integral(_W_B_integrand_3, (tp, 0, t))),
           rel(Integral(_W_B_integrand_3, (tp, 0, t)), Integral(_W_B_integrand_4, (tp, 0, t))),
           rel(Integral(_W_B_integrand_4, (tp, 0, t)), Integral(_W_B_integrand_5, (tp, 0, t)))),
       "Integrands written in t instead of t' (kept: as printed each integral is t times its "
       "integrand). Each step holds by hand (the last uses Tr_B{M[M, rho_B]} = 0). Its sign, "
       "W_B = -int Tr{rho_A dH_A^eff/dt}, contradicts the main text's "
       "'dW_B/dt = Tr{rho_A dH_A^eff/dt}', which is the work received by A."),
    _e("S30", "definition",
       r"I_{\text{tot}}(t) = D(\rho_{\text{tot}}(t) \| \bigotimes_{i=1}^{N} \rho_i(t)),",
       rel(I_tot(t), D(rho_tot(t), Otimes(rho_gen(i, t), i, 1, N))),
       "Total correlation; I_tot(0) = 0 for a product initial state."),
    _e("S31", "identity", r"\Delta S_j = I_{\text{tot}}(t) - \sum_{i \neq j} \Delta S_i.",
       rel(delta(S, j), I_tot(t) - _not_j(delta(S, i))),
       "Unitary evolution conserves S_tot and I_tot = sum_i S_i - S_tot; holds."),
    _e("S32", "definition", r"w_i[\beta_i(t)] = \frac{e^{-\beta_i(t)H_i}}{Z_i(t)},",
       rel(w_gen(i, beta_gen(i, t)), exp(-beta_gen(i, t) * Hcal_j(i)) / Z(i, t)),
       "Thermal state of system i."),
    _e("S33", "definition", r"""
Z_i(t) = \operatorname{Tr}\{e^{-\beta_i(t)H_i}\},
F^{\mathrm{th}}(t) = \operatorname{Tr}\{H_{i0}, [\beta_i(t)]\}
""", Tuple(rel(Z(i, t), Tr(exp(-beta_gen(i, t) * Hcal_j(i)))),
           rel(F_th(t), Tr(H_i0, beta_gen(i, t)))),
       "GARBLED (OCR): the unlabeled Z_i line is grouped here because the label follows the "
       "next line. 'F^th(t) = Tr{H_{i0}, [beta_i(t)]}' read literally (a two-argument Tr); "
       "surely E_i^th(t) = Tr{H_i w_i[beta_i(t)]} (alternative).",
       alternatives=(Tuple(rel(Z(i, t), Tr(exp(-beta_gen(i, t) * Hcal_j(i)))),
                           rel(Eth(i, t), Tr(Hcal_j(i) * w_gen(i, beta_gen(i, t))))),)),
    _e("S34", "definition", r"""
D_i(t) = \Pi_i \Pi_i \omega_i [\beta_i(t)] ,
Q_i(t) = E_i^{\text{th}}(t) - E_i^{\text{th}}(0),
""", Tuple(rel(D_i(i, t), Pi_op * Pi_op * omega_of(i, beta_gen(i, t))), rel(Q(i, t), delta(Eth, i))),
       "GARBLED first line (OCR), read literally as Pi Pi omega_i[beta_i(t)]; plausibly "
       "E_i^th(t) = Tr{H_i w_i[beta_i(t)]} (Tr -> Pi, H_i -> Pi_i, w_i -> omega_i). Second "
       "line: received heat, as Eq. (6).",
       alternatives=(Tuple(rel(Eth(i, t), Tr(Hcal_j(i) * w_gen(i, beta_gen(i, t)))),
                           rel(Q(i, t), delta(Eth, i))),)),
    _e("S35", "definition", r"S[w_i[\beta_i(t)]] = S[\rho_i(0)].",
       rel(S_vN(w_gen(i, beta_gen(i, t))), S_vN(rho_gen(i, 0))),
       "Introduced as the equation for beta_i(0), but prints beta_i(t) on the left: should be "
       "S[w_i[beta_i(0)]] = S[rho_i(0)] (or t on both sides)."),
    _e("S36", "identity", r"""
\beta_i(0)Q_i(t) - (S[\rho_i(t)] - S[\rho_i(0)]) = -\text{Tr}\{(w_i[\beta_i(t)] - w_i[\beta_i(0)])\log w_i[\beta_i(0)]\} - S[w_i[\beta_i(t)]] + S[w_i[\beta_i(0)]] \\ = D(w_i[\beta_i(t)] \| w_i[\beta_i(0)]]),
""", Tuple(rel(beta_gen(i, 0) * Q(i, t) - (S_vN(rho_gen(i, t)) - S_vN(rho_gen(i, 0))),
               -Tr((w_gen(i, beta_gen(i, t)) - w_gen(i, beta_gen(i, 0)))
                   * log(w_gen(i, beta_gen(i, 0))))
               - S_vN(w_gen(i, beta_gen(i, t))) + S_vN(w_gen(i, beta_gen(i, 0)))),
           rel(-Tr((w_gen(i, beta_gen(i, t)) - w_gen(i, beta_gen(i, 0)))
                   * log(w_gen(i, beta_gen(i, 0))))
               - S_vN(w_gen(i, beta_gen(i, t))) + S_vN(w_gen(i, beta_gen(i, 0))),
               D(w_gen(i, beta_gen(i, t)), w_gen(i, beta_gen(i, 0))))),
       "Eq. (8) for system i; holds. Unbalanced ']' in D(...]])."),
    _e("S37", "identity", r"""
\Delta S_j + \sum_{i \neq j} \beta_j(0) Q_j(t) = I_{\text{tot}}(t) + \sum_{i \neq j} D(w_i[\beta_i(t)] \| w_i[\beta_i(0)]]),
""", rel(delta(S, j) + _not_j(beta_gen(j, 0) * Q(j, t)),
         I_tot(t) + _not_j(D(w_gen(i, beta_gen(i, t)), w_gen(i, beta_gen(i, 0))))),
       "INDEX TYPO as in Eq. (14): the left summand should be beta_i(0) Q_i(t); as printed "
       "it is (N-1) beta_j(0) Q_j(t). With i it follows from S31 + S36."),
    _e("S38", "identity", r"""
\sum_{i} \beta_{i}(0)Q_{i}(t) = I_{\text{tot}} + \sum_{i} D(w_{i}[\beta_{i}(t)] \| w_{i}[\beta_{i}(0)]]),
""", rel(Sum(beta_gen(i, 0) * Q(i, t), (i, 1, N)),
         I_tot(t) + Sum(D(w_gen(i, beta_gen(i, t)), w_gen(i, beta_gen(i, 0))), (i, 1, N))),
       "Holds (S19 for j in S37 with the i-summand). I_tot printed without (t)."),
)

# ----------------------------------------------------------------------------
# Figure- and text-level claims
# ----------------------------------------------------------------------------

_Omega_fig2 = sqrt(g**2 + (omega_B - omega_A)**2)
_CLAIMS = (
    _e("6-claim-entropy-rate", "identity", r"\dot{S}_A(t) = \beta_A(t)\dot{Q}_A(t)",
       rel(Derivative(S_A(t), t), beta_A_t(t) * Derivative(Q_A(t), t)),
       "Text after Eq. (5): dS = beta dQ with RECEIVED heat; SL26 Eq. (6) has the minus sign "
       "of its provided convention. Holds (dS[w(beta)] = beta dE^th)."),
    _e("Fig2-claim-refrigeration", "figure",
       r"t \simeq 2\pi/\sqrt{g^2 + (\omega_B - \omega_A)^2}",
       gt(-Q_A(2 * pi / _Omega_fig2), 0),
       "Two-qubit refrigerator, defaults of the CONTRACT's refrigerator model: heat leaves A "
       "(-Q_A > 0, received convention) for t near 2 pi/Omega. Approximate claim: test a "
       "neighbourhood."),
    _e("Fig2-claim-cop-carnot", "figure", r"""
\eta(t) = -Q_A(t)/[-W_A(t) - W_B(t) - \Delta E_{\rm int}(t)]
\eta_{\text{Carnot}} = \beta_B(0)/(\beta_A(0) - \beta_B(0))
""", le(-Q_A(t) / (-W_A(t) - W_B(t) - delta(E_int)), beta_B0 / (beta_A0 - beta_B0)),
       "COP below Carnot (Fig. 2b), meaningful where Q_A < 0 and the denominator is > 0; "
       "follows from Eq. (13)."),
    _e("S13-claim-qubit", "figure", r"""
E_B - W_B = E_B^{\text{th}}
\sigma_{A,\text{erg}} = \sigma_A \ge 0
""", Tuple(rel(E_B(t) - W_B(t), Eth_B(t)), rel(sigma_A_erg(t), sigma_A(t)), ge(sigma_A(t), 0)),
       "For a qubit B. Here W_B denotes the ergotropy (clash with Eq. 9's work W_B): with "
       "calE_B it holds (a qubit's passive state is thermal); with Eq. (9)'s W_B it does not.",
       alternatives=(Tuple(rel(E_B(t) - erg_B(t), Eth_B(t)), rel(sigma_A_erg(t), sigma_A(t)),
                           ge(sigma_A(t), 0)),)),
    _e("S16-claim-swap", "figure", r"\rho_{AB}(t_{SWAP}) = \rho_B(0) \otimes \rho_A(0)",
       rel(rho_AB(t_swap), TP(rho_B(0), rho_A(0))),
       "Qutrit swap at g t = pi/2 with V of S15; holds for the diagonal initial states used."),
    _e("S16-claim-energy", "figure", r"""
E_B(t_{SWAP}) - E_B(0) = E_B^{\text{th}}(0) - E_B(0) < 0
\Delta E_A(t_{\text{SWAP}}) = -\Delta E_B(t_{\text{SWAP}}) \ge 0
""", Tuple(rel(E_B(t_swap) - E_B(0), Eth_B(0) - E_B(0)), lt(Eth_B(0) - E_B(0), 0),
           rel(E_A(t_swap) - E_A(0), -(E_B(t_swap) - E_B(0))), ge(E_A(t_swap) - E_A(0), 0)),
       "Qutrit swap: B ends thermal with its own entropy; E_int(t_SWAP) = 0 because V is "
       "off-diagonal. Expected to hold."),
    _e("S16-claim-sigma-negative", "figure", r"\sigma_A < 0",
       lt(sigma_A(t_swap), 0),
       "TYPO suspected: printed sigma_A < 0 contradicts Eq. (5); at t_SWAP, Q_B = 0 and "
       "Delta S_A = 0 so sigma_A = 0, while sigma_{A,erg} = beta_B(0)(E_B^th(0) - E_B(0)) < 0 "
       "(the intended claim, alternative).",
       alternatives=(lt(sigma_A_erg(t_swap), 0),)),
)

#: Every entry of EL23, in the paper's order (main text, supplement, claims).
EQUATIONS: tuple[PrintedEquation, ...] = _MAIN + _SUPPLEMENT + _CLAIMS
_BY_LABEL = {e.equation: e for e in EQUATIONS}


def equation(label: str) -> PrintedEquation:
    """The entry of EL23 with the given label.

    Parameters
    ----------
    label : str
        ``"5"``, ``"S23"``, ``"Fig2-claim-cop-carnot"``; an ``"EL23:"`` prefix is accepted.

    Examples
    --------
    >>> from symthermo.papers.el23 import equation
    >>> equation("EL23:6").note.startswith("Heat RECEIVED")
    True
    >>> equation("S99")
    Traceback (most recent call last):
    ...
    KeyError: "EL23 has no equation 'S99'"
    """
    key = label[len(PAPER) + 1:] if label.startswith(PAPER + ":") else label
    try:
        return _BY_LABEL[key]
    except KeyError:
        raise KeyError(f"{PAPER} has no equation {label!r}") from None
