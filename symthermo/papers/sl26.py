r"""Santos & Latune (2026), every numbered equation as printed.

Source: ``shared/papers/santos-latune-2026-thermodynamic-analysis.md``.
Eqs. (1)-(42), Appendix A (A1)-(A3), Appendix C (C1)-(C6), and the figure-
and text-level claims that a checker can test (labels ``"<anchor>-claim-<what>"``).

Sign convention of this paper: heat and work are PROVIDED by the system
(``Q_j = -Delta U_j^th``, ``W_j = -Delta U_j - Q_j``), the CONTRACT's
``provided`` convention.  The "standard" quantities of Eqs. (17)-(19), (23)-(26)
and (38) are the usual RECEIVED ones (Alicki): the paper mixes the two, and the
notes say where.  A name such as ``W_A`` means the quantity in this paper's
own convention.

Nothing here is derived or corrected: ``printed`` reproduces the typos, and
each ``note`` says what the transcriber suspects, for the checker.

Examples
--------
>>> from symthermo.papers.sl26 import EQUATIONS, equation
>>> [e.equation for e in EQUATIONS][:3]
['1', '2', '3']
>>> equation("C5").kind
'definition'
"""

from __future__ import annotations

from sympy import (And, Derivative, Implies, Integral, Limit, Rational, Sum, Tuple, cos, exp,
                   oo, pi, sin, Abs, adjoint, I as imag_unit)

from symthermo.papers.symbols import (
    Comm, AntiComm,
    D, D_spec, E_bath, E_bath_t, E_int, Gamma, H_A, H_A_eff, H_B, H_B_eff, H_QE, H_QRC,
    H_q, H_tot, Hcal_j, I_AB, Lambda_, Omega_mode, P_e_t, P_g_t, PrintedEquation, Q, Q_A,
    Q_A_st, Q_B, Q_MCA, Q_q, Q_q_st, S, S_A, S_vN, Tr, Tr_A, Tr_B, Tr_j, Tr_l, U, U_A, U_A_st,
    U_B, U_q, U_st, Uth, Uth_bare, V_AB, V_AB_t, W, W_A, W_A_st, W_B, W_MCA, W_a_A, W_q, W_st,
    Xi, Xi_bare, a, a_mode, b_mode, beta_B_bare, beta_gen, c_1, c_2, calF_DK, calH, chi, coh_A,
    coh_B, corr_fn, delta, erg, g, gamma, ge, gt, le, hbar, i, j, j_factor, k, kappa, ket_e0,
    ket_g1, lam, lt, n_mode, omega, omega_A, omega_B, omega_RC, omega_c, omega_int, omega_mode,
    p_0_t, p_1_t, p_e_t, p_eA, p_eB, p_g_t, p_gA, p_gB, pi_bare, pi_gen, proj_0, proj_1,
    proj_e, proj_g, psi, rel, rho_A, rho_B, rho_B_th, rho_bath, rho_gen, rho_glob, rho_q,
    rho_th, sigma_A, sigma_ee_A, sigma_ee_B, sigma_gen, sigma_m, sigma_m_A, sigma_m_B, sigma_p,
    sigma_p_A, sigma_p_B, sigma_z, t, tau,
)

__all__ = ["EQUATIONS", "equation"]

PAPER = "SL26"


def _e(label, kind, published_latex, printed, note, alternatives=()):
    return PrintedEquation(PAPER, label, kind, published_latex.strip(), printed, note,
                           tuple(alternatives))


def _dot(f):
    return Derivative(f, t)


Hj = Hcal_j(j)
half = Rational(1, 2)
_D_B_thermal = D(rho_B(t), rho_B_th)
_Xi_line1 = Tr((rho_gen(j, t) - pi_bare(t)) * Hj) + Tr((pi_bare(t) - rho_th(j, t)) * Hj)
_Xi_line2 = erg(j, t) + D(pi_gen(j, t), rho_th(j, t)) / beta_gen(j, t)
_H_QRC_hbar = (hbar * omega / 2 * sigma_z + hbar * omega_RC * adjoint(a) * a
               + hbar * lam * (sigma_p * a + sigma_m * adjoint(a)))
_H_QRC = omega / 2 * sigma_z + omega_RC * adjoint(a) * a + lam * (sigma_p * a + sigma_m * adjoint(a))
_rc_dissipator = kappa / 2 * (2 * a * rho_glob(t) * adjoint(a)
                              - AntiComm(adjoint(a) * a, rho_glob(t)))
_D_C5 = (omega_int * 2 / pi * gamma * lam**2 * omega_c**2
         / ((omega_int**2 - omega_c**2)**2 + (omega_int * gamma * omega_c)**2))
t_half, t_quarter, t_period = pi / (2 * g), pi / (4 * g), pi / g

# ----------------------------------------------------------------------------
# Section II: framework
# ----------------------------------------------------------------------------

_FRAMEWORK = (
    _e("1", "identity", r"""
\begin{aligned} \sigma_A &= \Delta S_A + \beta_B \Delta U_B \\ &= I_{AB} + D[\rho_B(t) \parallel \rho_B^{th}] \geq 0, \end{aligned}
""", Tuple(rel(sigma_A(t), delta(S_A) + beta_B_bare * delta(U_B)),
           rel(delta(S_A) + beta_B_bare * delta(U_B), I_AB(t) + _D_B_thermal),
           ge(I_AB(t) + _D_B_thermal, 0)),
       "Esposito et al. for B initially thermal at beta_B (= EL23 Eq. 1): Delta U_B is the "
       "energy RECEIVED by B. (The text's initial state rho_A(t) x rho_B^th should read rho_A(0).)"),
    _e("2", "definition", r"U_j^{th}(t) = \text{Tr}[\rho_j^{th}(t) H_j], \quad j = A, B",
       rel(Uth(j, t), Tr(rho_th(j, t) * Hj)),
       "Thermal energy, EL23 Eq. (4) / the CONTRACT's Eth_j."),
    _e("3", "definition", r"S[\rho_j^{th}(t)] = S[\rho_j(t)].",
       rel(S_vN(rho_th(j, t)), S_vN(rho_gen(j, t))),
       "Entropy-matched thermal state, EL23 Eq. (3)."),
    _e("4", "definition", r"Q_j = -\Delta U^{th} j(t),",
       rel(Q(j, t), -delta(Uth, j)),
       "Subscript misplaced in print ('U^{th} j(t)'), read as -Delta U_j^th(t); the literal "
       "product reading is the alternative. Heat PROVIDED by j: the negative of EL23 Eq. (6), "
       "consistent with the CONTRACT's provided convention.",
       alternatives=(rel(Q(j, t), -(Uth_bare(t) - Uth_bare(0)) * j_factor),)),
    _e("5", "identity", r"""
\begin{aligned} \sigma_j &= \Delta S_j - \beta_{i \neq j}(0) Q_{i \neq j} \\ &= I_{AB}(t) + D[\rho_j^{th}(t) \parallel \rho_j^{th}(0)] \geq 0 \end{aligned}
""", Tuple(rel(sigma_gen(j, t), delta(S, j) - beta_gen(i, 0) * Q(i, t)),
           rel(delta(S, j) - beta_gen(i, 0) * Q(i, t),
               I_AB(t) + D(rho_th(j, t), rho_th(j, 0))),
           ge(I_AB(t) + D(rho_th(j, t), rho_th(j, 0)), 0)),
       "Here i != j (two systems). The minus sign is right for provided heat (EL23 Eq. 5). "
       "INDEX SWAP suspected in the D term: EL23 Eq. (5) has the OTHER system's "
       "D[rho_i^th(t) || rho_i^th(0)], i != j; with j's own, the equality fails in general."),
    _e("6", "identity", r"\dot{S}_j = -\beta_j(t) \dot{Q}_j.",
       rel(_dot(S(j, t)), -beta_gen(j, t) * _dot(Q(j, t))),
       "Consistent with the provided convention: dS = beta dU^th and Q_j = -Delta U_j^th; "
       "EL23's dS_A/dt = beta_A dQ_A/dt is the same law with received heat."),
    _e("7", "definition", r"W_j(t) = -\Delta U_j - Q_j(t),",
       rel(W(j, t), -delta(U, j) - Q(j, t)),
       "Work PROVIDED by j: minus EL23's W_j = Delta E_j - Q_j^EL; consistent."),
    _e("8", "identity",
       r"W_j(t) = -\text{Tr}[\rho_j(t) - \rho_j^{th}(t)] H_j + \text{Tr}[\rho_j(0) - \rho_j^{th}(0)] H_j,",
       rel(W(j, t), -Tr(rho_gen(j, t) - rho_th(j, t)) * Hj + Tr(rho_gen(j, 0) - rho_th(j, 0)) * Hj),
       "BRACKET misplaced: read literally, Tr[rho - rho^th] H_j = 0 * H_j (both states have unit "
       "trace) and the right side is an operator. Intended: -Tr[(rho_j(t) - rho_j^th(t)) H_j] + "
       "Tr[(rho_j(0) - rho_j^th(0)) H_j] (alternative), which follows from Eq. (7).",
       alternatives=(rel(W(j, t), -Tr((rho_gen(j, t) - rho_th(j, t)) * Hj)
                         + Tr((rho_gen(j, 0) - rho_th(j, 0)) * Hj)),)),
    _e("9", "identity", r"W_j(t) = -\Xi_j(t) + \Xi_j(0) = -\Delta \Xi.",
       Tuple(rel(W(j, t), -Xi(j, t) + Xi(j, 0)), rel(-Xi(j, t) + Xi(j, 0), -delta(Xi_bare))),
       "Exergy Xi_j = E_j - E_j^th (the CONTRACT's exergy_j); Delta Xi printed without j."),
    _e("10", "identity", r"""
\begin{aligned}\Xi_j(t) &= \text{Tr}\{[\rho_j(t) - \pi(t)]H_j\} + \text{Tr}\{[\pi(t) - \rho_j^{th}(t)]H_j\} \\ &= \mathcal{E}_j(t) + \frac{1}{\beta_j(t)}D[\pi_j(t)||\rho_j^{th}(t)] \geq 0,\end{aligned}
""", Tuple(rel(Xi(j, t), _Xi_line1), rel(_Xi_line1, _Xi_line2), ge(_Xi_line2, 0)),
       "Holds (uses S[pi_j] = S[rho_j] = S[rho_j^th]); pi(t) printed without j. For a pure "
       "non-degenerate state beta_j = inf and the D/beta term is 0 (take the limit)."),
    _e("11", "identity", r"""
W_j = -\Delta\mathcal{E}_j(t) - \Delta\left\{\frac{1}{\beta_j(t)}D[\pi_j(t)||\rho_j^{th}(t)]\right\}.
""", rel(W(j, t), -delta(erg, j) - (D(pi_gen(j, t), rho_th(j, t)) / beta_gen(j, t)
                                   - D(pi_gen(j, 0), rho_th(j, 0)) / beta_gen(j, 0))),
       "Eqs. (9) + (10); holds. For a qubit the D term vanishes (passive = thermal), so "
       "W_j = -Delta(ergotropy)."),
)

# ----------------------------------------------------------------------------
# Section III.A: semi-classical regime
# ----------------------------------------------------------------------------

_SEMICLASSICAL = (
    _e("12", "definition", r"\dot{\rho}_A(t) = -\frac{i}{\hbar}[H_A^{eff}(t), \rho_A(t)],",
       rel(_dot(rho_A(t)), -imag_unit / hbar * Comm(H_A_eff(t), rho_A(t))),
       "Semi-classical (product-state) local dynamics, EL23 S28 with hbar."),
    _e("13", "definition", r"\dot{\rho}_B(t) = -\frac{i}{\hbar}[H_B^{eff}(t), \rho_B(t)],",
       rel(_dot(rho_B(t)), -imag_unit / hbar * Comm(H_B_eff(t), rho_B(t))),
       "As Eq. (12) for B."),
    _e("14", "definition", r"H_A^{eff}(t) = H_A + \text{Tr}_B[\rho_B(t)V_{AB}]",
       rel(H_A_eff(t), H_A + Tr_B(rho_B(t) * V_AB)),
       "Mean-field Hamiltonian, EL23's H_A^eff."),
    _e("15", "definition", r"H_B^{eff}(t) = H_B + \text{Tr}_A[\rho_A(t)V_{AB}].",
       rel(H_B_eff(t), H_B + Tr_A(rho_A(t) * V_AB)),
       "Mean-field Hamiltonian of B."),
    _e("16", "identity", r"W_A(t) = -\Delta U_A(t) = -\text{Tr}\{H_A[\rho(t) - \rho(0)]\}.",
       Tuple(rel(W_A(t), -delta(U_A)),
             rel(-delta(U_A), -Tr(H_A * (rho_glob(t) - rho_glob(0))))),
       "Semi-classical regime (S_A constant so Q_A = 0): work PROVIDED by A. rho is the global "
       "state (H_A acting on A), consistent."),
    _e("17", "definition", r"\dot{W}_A^{st} = \text{Tr}\left[\rho_A(t)\dot{H}_A^{eff}(t)\right]",
       rel(_dot(W_A_st(t)), Tr(rho_A(t) * _dot(H_A_eff(t)))),
       "Standard (Alicki) work: RECEIVED by A, the opposite sign convention to Eq. (16)."),
    _e("18", "definition", r"\dot{Q}_A^{st} = \text{Tr}\left[\dot{\rho}_A(t)H_A^{eff}(t)\right]",
       rel(_dot(Q_A_st(t)), Tr(_dot(rho_A(t)) * H_A_eff(t))),
       "Standard heat, RECEIVED; zero under Eq. (12)."),
    _e("19", "identity",
       r"U_A^{st}(t) = \text{Tr}\left[\rho_A(t)H_A^{eff}(t)\right] = Q_A^{st} + W_A^{st}.",
       Tuple(rel(U_A_st(t), Tr(rho_A(t) * H_A_eff(t))),
             rel(Tr(rho_A(t) * H_A_eff(t)), Q_A_st(t) + W_A_st(t))),
       "The second equality needs U_A^st(0) on the right (Q^st, W^st are integrals from 0): "
       "U_A^st(t) - U_A^st(0) = Q_A^st + W_A^st."),
    _e("20", "identity", r"U^{st}(t) = U_A + E_{int},",
       rel(U_st(t), U_A(t) + E_int(t)),
       "Holds for rho ~ rho_A x rho_B (Eq. 14); U^st is Eq. (19)'s U_A^st."),
    _e("21", "identity", r"\dot{W}^{st} = \dot{W}_A + \dot{E}_{int}.",
       rel(_dot(W_st(t)), _dot(W_A(t)) + _dot(E_int(t))),
       "SIGN-CONVENTION mix suspected: W^st is received (Eq. 17) while W_A is provided "
       "(Eq. 16, dW_A/dt = -dU_A/dt), so Eqs. (19)-(20) with Q^st = 0 give "
       "dW^st/dt = -dW_A/dt + dE_int/dt; as printed it holds only with W_A received."),
    _e("22", "identity", r"""
\begin{aligned}\dot{U}_j(t) = & -i \text{Tr}_j \{ [H_j, \mathcal{H}_j(t)] \rho_j(t) \} \\ & - i \text{Tr}_{l \neq j} \{ H_j [V_{AB}(t), \chi(t)] \},\end{aligned}
""", rel(_dot(U(j, t)), -imag_unit * Tr_j(Comm(Hj, calH(j, t)) * rho_gen(j, t))
         - imag_unit * Tr_l(Hj * Comm(V_AB_t(t), chi(t)))),
       "MCA energy balance, hbar = 1. Holds with full traces; the printed partial trace "
       "Tr_{l != j} on the second term leaves an operator on j and should be a full trace."),
    _e("23", "definition",
       r"\dot{W}_j^{MCA}(t) = -i \text{Tr}_j \{ [H_j, \mathcal{H}_j(t)] \rho_j(t) \}",
       rel(_dot(W_MCA(j, t)), -imag_unit * Tr_j(Comm(Hj, calH(j, t)) * rho_gen(j, t))),
       "MCA work rate, RECEIVED by j."),
    _e("24", "definition",
       r"\dot{Q}_j^{MCA}(t) = -i \text{Tr}_{l \neq j} \{ H_j [V_{AB}(t), \chi(t)] \}.",
       rel(_dot(Q_MCA(j, t)), -imag_unit * Tr_l(Hj * Comm(V_AB_t(t), chi(t)))),
       "MCA correlation energy flow; same partial-trace remark as Eq. (22)."),
    _e("25", "identity", r"\dot{W}_j^{MCA} = \text{Tr} [H_A \dot{\rho}_A(t)] = \dot{U}_j(t),",
       Tuple(rel(_dot(W_MCA(j, t)), Tr(H_A * _dot(rho_A(t)))),
             rel(Tr(H_A * _dot(rho_A(t))), _dot(U(j, t)))),
       "Index mix (j on the left, A in the middle); holds for j = A when chi = 0."),
    _e("26", "identity", r"\dot{W}^{st} = \dot{W}_j^{MCA} + \dot{E}_{int},",
       rel(_dot(W_st(t)), _dot(W_MCA(j, t)) + _dot(E_int(t))),
       "Holds for j = A (both sides received). Then the text's 'coincide' with [25] holds "
       "only up to the sign of the provided W_A (see Eq. 21)."),
    _e("27", "not-checkable", r"\dot{W}_a^A = \dot{W}^{st} + \mathcal{F}(t),",
       rel(_dot(W_a_A(t)), _dot(W_st(t)) + calF_DK(t)),
       "Quoted from Dann & Kosloff; calF(t) is not defined in the paper, so nothing to check."),
)

# ----------------------------------------------------------------------------
# Section III.B: quantum regime
# ----------------------------------------------------------------------------

_QUANTUM = (
    _e("28", "definition", r"""
H = \frac{\hbar \omega_A}{2} \sigma_z + \hbar \omega_B a^\dagger a + g (\sigma_+ a + \sigma_- a^\dagger),
""", rel(H_tot, hbar * omega_A / 2 * sigma_z + hbar * omega_B * adjoint(a) * a
         + g * (sigma_p * a + sigma_m * adjoint(a))),
       "Jaynes-Cummings (CONTRACT model jaynes-cummings). Coupling printed without hbar, unlike "
       "Eq. (32); harmless with hbar = 1. The text's 'E_g = 0' contradicts (omega/2) sigma_z "
       "(E_g = -omega/2); differences of energies are unaffected."),
    _e("29", "definition", r"|\psi(t)\rangle = c_1(t)|e,0\rangle + c_2(t)|g,1\rangle,",
       rel(psi(t), c_1(t) * ket_e0 + c_2(t) * ket_g1),
       "Single-excitation ansatz, c_1(0) = 1, c_2(0) = 0."),
    _e("30", "closed-form", r"\rho_A(t) = p_e(t)|e\rangle\langle e| + p_g(t)|g\rangle\langle g|,",
       rel(rho_A(t), p_e_t(t) * proj_e + p_g_t(t) * proj_g),
       "Populations given inline (entry 30-claim-populations)."),
    _e("31", "closed-form", r"\rho_B(t) = p_1(t)|1\rangle\langle 1| + p_0(t)|0\rangle\langle 0|,",
       rel(rho_B(t), p_1_t(t) * proj_1 + p_0_t(t) * proj_0),
       "With p_1 = p_g, p_0 = p_e (entry 31-claim-populations); correct."),
    _e("32", "definition", r"""
H = \hbar\omega_A\sigma_{ee}^{(A)} + \hbar\omega_B\sigma_{ee}^{(B)} + \hbar g(\sigma_+^{(A)}\sigma_-^{(B)} + \sigma_-^{(A)}\sigma_+^{(B)}),
""", rel(H_tot, hbar * omega_A * sigma_ee_A + hbar * omega_B * sigma_ee_B
         + hbar * g * (sigma_p_A * sigma_m_B + sigma_m_A * sigma_p_B)),
       "Exchange coupling (CONTRACT model exchange); E_g = 0 here, consistent with the text."),
    _e("33", "closed-form", r"\rho_A(t) = p_e^A(t)|e\rangle\langle e| + p_g^A(t)|g\rangle\langle g|",
       rel(rho_A(t), p_eA(t) * proj_e + p_gA(t) * proj_g),
       "Same as Eq. (30) (p_e^A = cos^2 gt for A initially excited)."),
    _e("34", "closed-form", r"\rho_B(t) = p_g^B(t)|e\rangle\langle e| + p_e^B(t)|g\rangle\langle g|,",
       rel(rho_B(t), p_gB(t) * proj_e + p_eB(t) * proj_g),
       "LABELS SWAPPED suspected: with the stated p_e^A = p_g^B this puts B in |e> at t = 0 "
       "although B starts in |g>; should be p_e^B|e><e| + p_g^B|g><g|."),
    _e("35", "definition", r"""
\dot{\rho}_q(t) = -\frac{i}{\hbar}[H_q, \rho_q(t)] + \Gamma(\sigma_- \rho_q(t) \sigma_+ - \frac{1}{2}\{\sigma_+ \sigma_-, \rho_q(t)\}),
H_q = \frac{\hbar\omega}{2}\sigma_z
""", Tuple(rel(_dot(rho_q(t)), -imag_unit / hbar * Comm(H_q, rho_q(t))
               + Gamma * (sigma_m * rho_q(t) * sigma_p
                          - half * AntiComm(sigma_p * sigma_m, rho_q(t)))),
           rel(H_q, hbar * omega / 2 * sigma_z)),
       "Zero-temperature amplitude damping (CONTRACT model spontaneous-emission); the text "
       "calls the state rho_S once."),
    _e("36", "closed-form", r"P_e(t) = e^{-\Gamma t}", rel(P_e_t(t), exp(-Gamma * t)),
       "Solution of Eq. (35) from |e>; correct."),
    _e("37", "closed-form", r"P_g(t) = 1 - e^{-\Gamma t},", rel(P_g_t(t), 1 - exp(-Gamma * t)),
       "Correct."),
    _e("38", "closed-form", r"Q_q^{st}(t) = \omega [P_e(t) - 1].",
       rel(Q_q_st(t), omega * (P_e_t(t) - 1)),
       "Standard heat = Delta U_q, RECEIVED convention (negative: the qubit gives heat), "
       "hbar = 1; not the paper's provided convention."),
    _e("39", "closed-form", r"Q_q(t) = -\omega P_g(t) = -\omega[1 - P_e(t)]",
       Tuple(rel(Q_q(t), -omega * P_g_t(t)), rel(-omega * P_g_t(t), -omega * (1 - P_e_t(t)))),
       "Valid for 0 <= t <= tau (P_e >= P_g). Provided convention: -Delta U^th = -omega P_g; "
       "correct (the qubit absorbs heat)."),
    _e("40", "closed-form", r"W_q(t) = 2\omega[1 - P_e(t)],",
       rel(W_q(t), 2 * omega * (1 - P_e_t(t))),
       "Valid for 0 <= t <= tau. W = -Delta U - Q = 2 omega (1 - P_e); correct, equals omega "
       "at tau."),
    _e("41", "closed-form", r"Q_q(t) = \omega [P_e(t) - 1],",
       rel(Q_q(t), omega * (P_e_t(t) - 1)),
       "Valid for t > tau. SUSPECTED: in the paper's provided convention, cumulative from t = 0, "
       "Q_q = -Delta U^th = -omega P_e(t) (with W_q = omega constant, so -Delta U = W + Q); the "
       "printed form is Delta U_q = Q^st of Eq. (38), i.e. the received convention. Both are "
       "-omega/2 at tau; they differ after (-omega vs 0 as t -> inf)."),
    _e("42", "definition", r"""
\dot{\rho}(t) = -\frac{i}{\hbar}[H_{Q,RC}, \rho(t)] + \frac{\kappa}{2}(2a\rho(t)a^\dagger - \{a^\dagger a, \rho(t)\}),
H_{Q,RC} = \frac{\hbar\omega}{2}\sigma_z + \hbar\omega_{RC}a^\dagger a + \hbar\lambda(\sigma_+a + \sigma_-a^\dagger)
""", Tuple(rel(_dot(rho_glob(t)), -imag_unit / hbar * Comm(H_QRC, rho_glob(t))
               + _rc_dissipator),
           rel(H_QRC, _H_QRC_hbar)),
       "Reaction-coordinate model (CONTRACT model reaction-coordinate); lambda is here the "
       "qubit-RC coupling, not EL23's S26 frequency."),
)

# ----------------------------------------------------------------------------
# Appendices A and C
# ----------------------------------------------------------------------------

_APPENDICES = (
    _e("A1", "identity", r"""
\Xi_j(t) = \text{Tr}\{[\rho_j(t) - \pi_j(t)]H_j\} + \text{Tr}\{\pi_j(t) - \rho_j^{th}(t)\}H_j.
""", rel(Xi(j, t), Tr((rho_gen(j, t) - pi_gen(j, t)) * Hj) + Tr(pi_gen(j, t) - rho_th(j, t)) * Hj),
       "Second term has the bracket misplaced (Tr{pi - rho^th} H_j = 0 * H_j literally), as in "
       "Eq. (8); intended Tr{(pi_j - rho_j^th) H_j} (alternative).",
       alternatives=(rel(Xi(j, t), Tr((rho_gen(j, t) - pi_gen(j, t)) * Hj)
                         + Tr((pi_gen(j, t) - rho_th(j, t)) * Hj)),)),
    _e("A2", "identity", r"\Xi_j(t) = \mathcal{E}_j(t) + \text{Tr}[\pi(t) - \rho_j^{th}(t)]H_j.",
       rel(Xi(j, t), erg(j, t) + Tr(pi_bare(t) - rho_th(j, t)) * Hj),
       "Same bracket misprint; pi(t) without index.",
       alternatives=(rel(Xi(j, t), erg(j, t) + Tr((pi_gen(j, t) - rho_th(j, t)) * Hj)),)),
    _e("A3", "identity",
       r"\Xi_j(t) = \mathcal{E}_j(t) + \frac{1}{\beta_j(t)} D[\pi_j(t) || \rho_j^{th}(t)],",
       rel(Xi(j, t), _Xi_line2),
       "Holds (= Eq. 10); the CONTRACT's exergy - ergotropy = D/beta."),
    _e("C1", "definition", r"""
H_{QE} = \frac{\omega}{2}\sigma_z + \sum_k \omega_k a_k^\dagger a_k + \sum_k \Omega_k (\sigma_+ a_k + \sigma_- a_k^\dagger).
""", rel(H_QE, omega / 2 * sigma_z + Sum(omega_mode[k] * adjoint(a_mode(k)) * a_mode(k), (k, 1, oo))
         + Sum(Omega_mode[k] * (sigma_p * a_mode(k) + sigma_m * adjoint(a_mode(k))), (k, 1, oo))),
       "Qubit + bosonic bath, hbar = 1; the mode sums are written over k = 1..oo."),
    _e("C2", "identity", r"""
H_{QE} = \frac{\omega}{2}\sigma_z + \sigma_+ E + \sigma_- E^\dagger + \sum_k \omega_k a_k^\dagger a_k
E := \sum_k \Omega_k a_k
""", Tuple(rel(H_QE, omega / 2 * sigma_z + sigma_p * E_bath + sigma_m * adjoint(E_bath)
               + Sum(omega_mode[k] * adjoint(a_mode(k)) * a_mode(k), (k, 1, oo))),
           rel(E_bath, Sum(Omega_mode[k] * a_mode(k), (k, 1, oo)))),
       "Rewriting of C1 with real Omega_k; holds."),
    _e("C3", "identity", r"""
c(t) := \text{Tr}[\rho_B E^\dagger(t) E] = \sum_k \Omega_k^2 e^{i\omega_k t} n_k
n_k := \text{Tr}[\rho_B b_k^\dagger b_k]
""", Tuple(rel(corr_fn(t), Tr(rho_bath * E_bath_t(t) * E_bath)),
           rel(Tr(rho_bath * E_bath_t(t) * E_bath),
               Sum(Omega_mode[k]**2 * exp(imag_unit * omega_mode[k] * t) * n_mode[k], (k, 1, oo))),
           rel(n_mode[k], Tr(rho_bath * adjoint(b_mode(k)) * b_mode(k)))),
       "Holds for a state diagonal in the modes; b_k misprints a_k, rho_B is the bath (E) "
       "state. For the zero-temperature bath used, n_k = 0 and this c(t) vanishes; the "
       "emission correlator Tr[rho E(t) E^dag] carries n_k + 1."),
    _e("C4", "definition", r"\sum_k \Omega_k^2 \rightarrow \int_0^\infty d\omega \frac{\Lambda^2}{2\pi} D(\omega)",
       rel(Sum(Omega_mode[k]**2, (k, 1, oo)),
           Integral(Lambda_**2 / (2 * pi) * D_spec(omega_int), (omega_int, 0, oo))),
       "Continuum replacement (an arrow, not an equality), with the normalisation "
       "int D = 2 pi claimed in the text (entry C5-claim-normalization)."),
    _e("C5", "definition", r"""
D(\omega) = \omega \frac{2}{\pi} \frac{\gamma \lambda^2 \omega_c^2}{(\omega^2 - \omega_c^2)^2 + (\omega \gamma \omega_c)^2}
""", rel(D_spec(omega_int), _D_C5),
       "omega here is the bath frequency (omega_int), not the qubit's. Inconsistent with C4: "
       "its integral is lambda^2 * 2/(pi sqrt(4 - gamma^2)) * (pi/2 + atan((2 - gamma^2)/"
       "(gamma sqrt(4 - gamma^2)))) -> lambda^2 for small gamma, not 2 pi; the coupling enters "
       "twice (Lambda in C4, lambda here), and gamma must be dimensionless."),
    _e("C6", "definition", r"""
\dot{\rho}(t) = -i[H_{Q,RC}, \rho(t)] + \frac{\kappa}{2}(2a\rho(t)a^\dagger - \{a^\dagger a, \rho(t)\}),
H_{Q,RC} = \frac{\omega}{2}\sigma_z + \omega_{RC} a^\dagger a + \lambda(\sigma_+ a + \sigma_- a^\dagger)
""", Tuple(rel(_dot(rho_glob(t)), -imag_unit * Comm(H_QRC, rho_glob(t)) + _rc_dissipator),
           rel(H_QRC, _H_QRC)),
       "Eq. (42) with hbar = 1; omega_RC = omega_c. kappa 'is determined by gamma' but no "
       "formula is given."),
)

# ----------------------------------------------------------------------------
# Figure- and text-level claims
# ----------------------------------------------------------------------------

_between = And(gt(t, t_quarter), t <= t_half)
_early = And(gt(t, 0), lt(t, t_quarter))
_CLAIMS = (
    _e("8-claim-exergy-definition", "definition",
       r"\Xi_j(t) := \text{Tr}\{\rho_j(t) - \rho_j^{th}(t)\} H_j",
       rel(Xi(j, t), Tr(rho_gen(j, t) - rho_th(j, t)) * Hj),
       "Bracket misplaced as in Eq. (8) (literally 0 * H_j); intended Tr{(rho_j - rho_j^th) H_j} "
       "= E_j - E_j^th, the CONTRACT's exergy.",
       alternatives=(rel(Xi(j, t), Tr((rho_gen(j, t) - rho_th(j, t)) * Hj)),)),
    _e("30-claim-populations", "closed-form", r"""
p_e(t) = |c_1(t)|^2 = \cos^2(gt)
p_g(t) = |c_2(t)|^2 = \sin^2(gt)
""", Tuple(rel(p_e_t(t), Abs(c_1(t))**2), rel(Abs(c_1(t))**2, cos(g * t)**2),
           rel(p_g_t(t), Abs(c_2(t))**2), rel(Abs(c_2(t))**2, sin(g * t)**2)),
       "Resonant vacuum Rabi oscillation of Eq. (28) with hbar = 1; correct."),
    _e("31-claim-populations", "closed-form", r"""
p_1(t) = p_g(t)
p_0(t) = p_e(t)
""", Tuple(rel(p_1_t(t), p_g_t(t)), rel(p_0_t(t), p_e_t(t))),
       "Correct for the single-excitation state (29)."),
    _e("34-claim-populations", "closed-form", r"""
p_e^A(t) = p_g^B(t)
p_g^A(t) = p_e^B(t)
""", Tuple(rel(p_eA(t), p_gB(t)), rel(p_gA(t), p_eB(t))),
       "Correct (B's ground population is A's excited one); it is Eq. (34) that swaps kets."),
    _e("39-claim-tau", "closed-form", r"P_e(\tau) = P_g(\tau) = 1/2",
       Tuple(rel(P_e_t(tau), P_g_t(tau)), rel(P_g_t(tau), half)),
       "Defines tau; with Eq. (36), tau = ln 2 / Gamma."),
    _e("39-claim-thermal-state", "closed-form",
       r"\rho_q^{th} = P_e(t)|g\rangle\langle g| + P_g(t)|e\rangle\langle e|",
       rel(rho_th(j, t), P_e_t(t) * proj_g + P_g_t(t) * proj_e),
       "For t <= tau: the entropy-matched thermal state puts the larger population in |g>; "
       "correct (rho_th(j, t) with j the qubit)."),
    _e("40-claim-energy", "closed-form", r"\Delta U_q(t) = \omega[P_e(t) - 1]",
       rel(U_q(t) - U_q(0), omega * (P_e_t(t) - 1)),
       "Correct for H_q = (omega/2) sigma_z; then -Delta U = W + Q holds with Eqs. (39)-(40)."),
    _e("Fig1-claim-wst", "figure", r"""
\dot{E}_{int} = 0
\dot{W}^{st} = \dot{W}_A \Rightarrow W^{st} = W_A
""", Tuple(rel(_dot(E_int(t)), 0), rel(W_st(t), W_A(t))),
       "Resonant JC from a coherent state (Fig. 1): E_int is exactly constant (H_0 commutes "
       "with H), so integrated Eq. (21) gives W^st = W_A + Delta E_int = W_A (alternative: the "
       "integrated Eq. 21). Suspected sign: W^st is received and W_A provided, so W^st = -W_A.",
       alternatives=(rel(W_st(t), W_A(t) + E_int(t) - E_int(0)),)),
    _e("Fig2-claim-work-then-heat", "figure", r"""
0 \leq t \leq \pi/4g
work $W_A(t)$ is provided by the qubit while it absorbs heat
""", Implies(_early, And(gt(_dot(W_A(t)), 0), lt(_dot(Q_A(t)), 0))),
       "Qubit excited, oscillator in vacuum, provided convention: W_A = omega(1 - cos 2gt) "
       "grows, Q_A falls (heat absorbed). 'pi/4g' read as pi/(4g)."),
    _e("Fig2-claim-no-work", "figure", r"""
\pi/4g < t \leq \pi/2g
the qubit ceases to produce work
""", Implies(_between, rel(_dot(W_A(t)), 0)),
       "For p_g > p_e the qubit is thermal (no ergotropy), so W_A stays at omega; expected to "
       "hold. 'pi/4g' read as pi/(4g)."),
    _e("Fig2-claim-oscillator-work", "figure", r"""
p_0(t) \geq p_1(t)
there is work being done on the QHO
""", Implies(And(gt(t, 0), t <= t_quarter), lt(W_B(t), 0)),
       "Passive but non-thermal oscillator state: W_B = -Xi_B(t) < 0 (received work, provided "
       "convention) from the D/beta term of Eq. (10)."),
    _e("Fig3-claim-coherence-transfer", "figure", r"""
the coherence initially contained in the qubit is fully transferred to the QHO
0 \leq t \leq \pi/2g
""", Tuple(rel(coh_A(t_half), 0), rel(coh_B(t_half), half)),
       "Qubit starts in (|e> + |g>)/sqrt 2, oscillator in vacuum: at g t = pi/2 the qubit is "
       "in |g> and the oscillator in (|0> - i|1>)/sqrt 2, so |rho_A^eg| = 0 and "
       "|rho_B^10| = 1/2; W_A reaches its maximum omega/2 there."),
    _e("Fig4-claim-heat-only", "figure", r"""
the qubit only provides heat to the QHO, whereas the QHO not only absorbs heat but also receives work
""", Tuple(rel(W_A(t), 0), ge(Q_A(t), 0), le(W_B(t), 0)),
       "Maximally mixed qubit, oscillator in vacuum: the qubit stays diagonal hence thermal "
       "(W_A = 0); the oscillator gains exergy (W_B <= 0, provided convention)."),
    _e("Fig5-claim-qubit-b-work", "figure", r"""
for $t \leq \pi/4g$ no work is received by system B
\pi/4g \leq t \leq \tau = \pi/2g
""", Tuple(Implies(And(ge(t, 0), t <= t_quarter), rel(W_B(t), 0)),
           Implies(_between, lt(_dot(W_B(t)), 0))),
       "Exchange model, A excited, B ground: B is non-inverted (thermal) until pi/(4g), then "
       "inverted, so W_B = -(ergotropy of B) decreases; expected to hold."),
    _e("Fig9-claim-same-work", "figure", r"the work supplied by the qubit is the same as the one in Fig. 8",
       rel(Limit(W_A(t), t, oo), Limit(W_q(t), t, oo)),
       "RC model (kappa = 0.8 lambda) vs spontaneous emission: both qubits end in |g> from |e>, "
       "so the total work is omega in both; the time dependence differs (effective decay "
       "~4 lambda^2/kappa only for kappa >> lambda, and Fig. 8 uses Gamma = 0.01 omega)."),
    _e("AppB-claim-mirror-symmetry", "figure", r"""
0 \leq t \leq \pi/2g
\pi/2g \leq t \leq \pi/g
""", Tuple(*(rel(X(t_period - t), X(t)) for X in (W_A, Q_A, W_B, Q_B))),
       "JC (Figs. 10, 11): the cumulative quantities are mirror-symmetric about pi/(2g), so what "
       "is provided in the first half-period is received in the second; follows from "
       "|c_1(pi/g - t)| = |c_1(t)| and the sign-only change of coherences."),
)

#: Every entry of SL26, in the paper's order (main text, appendices, claims).
EQUATIONS: tuple[PrintedEquation, ...] = (_FRAMEWORK + _SEMICLASSICAL + _QUANTUM + _APPENDICES
                                          + _CLAIMS)
_BY_LABEL = {e.equation: e for e in EQUATIONS}


def equation(label: str) -> PrintedEquation:
    """The entry of SL26 with the given label.

    Parameters
    ----------
    label : str
        ``"4"``, ``"A3"``, ``"Fig2-claim-no-work"``; an ``"SL26:"`` prefix is accepted.

    Examples
    --------
    >>> from symthermo.papers.sl26 import equation
    >>> equation("SL26:36").printed
    Eq(P_e(t), exp(-Gamma*t))
    >>> equation("43")
    Traceback (most recent call last):
    ...
    KeyError: "SL26 has no equation '43'"
    """
    key = label[len(PAPER) + 1:] if label.startswith(PAPER + ":") else label
    try:
        return _BY_LABEL[key]
    except KeyError:
        raise KeyError(f"{PAPER} has no equation {label!r}") from None
