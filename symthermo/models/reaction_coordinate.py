r"""A qubit and a damped reaction-coordinate mode (SL26 Eq. 42, App. C, Figs. 9, 12, 13).

The qubit A (H_A = (omega/2) sigma_z) exchanges excitations with a bosonic
mode B (H_B = omega_rc a^dag a) through lam (sigma_+ a + sigma_- a^dag); the
mode leaks into a zero-temperature Markovian bath at rate kappa (Lindblad
operator a, SL26 Eq. 42).  The qubit starts excited, the mode in its vacuum.

Derivation (SymPy, :func:`one_excitation_solution`)
---------------------------------------------------
Checked on the operators, not assumed: the non-Hermitian effective
Hamiltonian H_eff = H - (i kappa/2) a^dag a maps span{|e,0>, |g,1>} into
itself, a maps |e,0> -> 0 and |g,1> -> |g,0>, and |g,0> is an eigenstate of
H annihilated by a.  Hence from |e,0>

    rho(t) = |psi(t)><psi(t)| + p_0(t) |g,0><g,0|,
    psi(t) = exp(-i H_eff t) |e,0> = c_e(t) |e,0> + c_g(t) |g,1>,
    p_0 = 1 - |c_e|^2 - |c_g|^2                     (trace conservation),

with no coherence between |g,0> and the one-excitation block (none at t = 0,
and the Lindbladian never creates one).  The 2x2 matrix A = -i H_eff is
exponentiated by Cayley-Hamilton: with mu = Tr A / 2, B = A - mu (traceless,
B^2 = s^2 1, s^2 = -det B, checked in SymPy),

    exp(A t) = e^{mu t} [cosh(s t) 1 + (sinh(s t)/s) B],

exact in all regimes, including the critical one s = 0 (kappa = 4 lam at
resonance), where the generator is defective and the bracket is 1 + t B.
At resonance s^2 = kappa^2/16 - lam^2 (kappa < 4 lam: damped Rabi
oscillation at Omega = sqrt(lam^2 - kappa^2/16); kappa > 4 lam: overdamped);
with a detuning s^2 is complex.  Populations are written with the decay
folded into bounded factors, so float64 neither over- nor underflows.

Reduced states: the qubit is diagonal, P_e = |c_e|^2; the mode is diagonal
in {|0>, |1>}, <a^dag a> = |c_g|^2 (tracing |e,0><g,1| leaves <1|0> = 0).
E_int = lam <sigma_+ a + h.c.> = 2 lam Re(c_e^* c_g) (zero at resonance).
The joint spectrum is {|c_e|^2 + |c_g|^2, p_0, 0, ...}, which gives I_AB.
``state_A = ground`` (nothing happens) and ``mixed`` (the average of the
two) follow by linearity; ``plus`` and a coherent mode are refused.

>>> from symthermo.models import get_model
>>> from symthermo.numbers import FLOAT64
>>> m = get_model("reaction-coordinate")
>>> p = m.params({"kappa": "0"})
>>> row = m.evaluate(p, [25.0], lib=FLOAT64)[0]          # vacuum Rabi: cos^2(lam t)
>>> import math; abs((row["E_A"] + 0.5) - math.cos(0.25) ** 2) < 1e-14
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

import numpy as np

from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter, _lambdified
from .float64_columns import (_EPS, binary_entropy_columns, column_of, underflowed,
                              within_rounding)
from ..divided_differences import exp_divided_difference, phi1
from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..exact_numbers import to_sympy
from ..expressions import parse_expression
from ..numbers import FLOAT64, numpy_lambdify
from ..levels import Oscillator

sympy = lazy_import("sympy")

__all__ = ["ReactionCoordinate", "one_excitation_solution", "lorentzian_mapping",
           "lorentzian_spectral_density", "RCMapping", "excited_rates", "excited_deficit",
           "mutual_information"]

# qubit basis (|e>, |g>); mode basis |0>, |1>, ..., |n_max>; joint index = 3 * qubit + n
# (SIGMA_Z, SIGMA_MINUS, SIGMA_PLUS, _WEIGHT are made on first use: _symbolic_constants)
#: Fock cutoff of the propagator route: one excitation at most, so n = 2 stays empty
#: (the leak check of the base verifies it)
FOCK_CUTOFF = 2



def _annihilation(n_max):
    return sympy.Matrix(n_max + 1, n_max + 1, lambda i, j: sympy.sqrt(j) if i == j - 1 else 0)


def _kron(A, B):
    return sympy.kronecker_product(A, B)


def _operators(omega, omega_rc, lam, n_max):
    from .reaction_coordinate import SIGMA_MINUS, SIGMA_PLUS, SIGMA_Z  # lazy (PEP 562)
    a = _annihilation(n_max)
    one_b = sympy.eye(n_max + 1)
    HA = omega / 2 * SIGMA_Z
    HB = omega_rc * a.T * a
    V = lam * (_kron(SIGMA_PLUS, a) + _kron(SIGMA_MINUS, a.T))
    H = _kron(HA, one_b) + _kron(sympy.eye(2), HB) + V
    L = _kron(sympy.eye(2), a)
    return H, V, L, HA, HB


@functools.lru_cache(maxsize=64)
def one_excitation_solution(omega, omega_rc, lam, kappa):
    """The generator of psi(t) = exp(-i H_eff t)|e,0> (SymPy), derived and checked.

    Builds H and the Lindblad operator a on the truncated space, checks the
    block structure (H_eff closes on span{|e,0>, |g,1>}, a maps it onto
    |g,0>, |g,0> is stationary) and returns ``A`` (= -i H_eff on the block),
    ``mu`` (= Tr A/2), ``B`` (= A - mu) and ``s2`` (= s^2 = -det B, with
    B^2 = s^2 1 checked), from which exp(A t) = e^{mu t}[cosh(s t) + sinh(s t)/s B].

    >>> import sympy
    >>> from symthermo.models.reaction_coordinate import one_excitation_solution
    >>> lam, kappa = sympy.symbols("lam kappa", positive=True)
    >>> one_excitation_solution(1, 1, lam, kappa)["s2"]
    kappa**2/16 - lam**2
    """
    H, _, L, _, _ = _operators(omega, omega_rc, lam, 1)
    heff = H - sympy.I * kappa / 2 * L.H * L
    e0, g1 = 0, 3  # |e,0>, |g,1> with n_max = 1 (joint index 2 * qubit + n)
    block = [e0, g1]
    others = [k for k in range(4) if k not in block]
    if any(sympy.simplify(heff[i, j]) != 0 for i in others for j in block):
        raise AssertionError("H_eff leaves the one-excitation block")  # pragma: no cover
    jump = L * sympy.Matrix([[1, 0], [0, 0], [0, 0], [0, 1]])  # columns |e,0>, |g,1>
    if list(jump[:, 0]) != [0] * 4 or list(jump[:, 1]) != [0, 0, 1, 0]:
        raise AssertionError("a should map |e,0> to 0 and |g,1> to |g,0>")  # pragma: no cover
    g0_vec = sympy.Matrix([0, 0, 1, 0])
    if (H * g0_vec - (-omega / 2) * g0_vec).applyfunc(sympy.simplify) != sympy.zeros(4, 1) or \
            L * g0_vec != sympy.zeros(4, 1):
        raise AssertionError("|g,0> should be stationary")  # pragma: no cover
    A = -sympy.I * heff.extract(block, block)
    mu = sympy.expand(A.trace() / 2)
    B = (A - mu * sympy.eye(2)).applyfunc(sympy.expand)
    s2 = sympy.expand(-B.det())
    if (B * B - s2 * sympy.eye(2)).applyfunc(sympy.expand) != sympy.zeros(2):
        raise AssertionError("Cayley-Hamilton: B^2 should be s^2 1")  # pragma: no cover
    return {"A": A, "mu": mu, "B": B, "s2": s2}


@functools.lru_cache(maxsize=64)
def _derive(omega, omega_rc, lam, kappa, weight):
    sol = one_excitation_solution(omega, omega_rc, lam, kappa)
    B, s2, mu = sol["B"], sol["s2"], sol["mu"]
    b, b_g = B[0, 0], B[1, 0]
    decay = sympy.re(mu)  # the amplitude decays as e^{Re(mu) t} = e^{-kappa t/4}
    regime, (pe, p1, x) = _populations(s2, b, b_g, decay)
    pe, p1, x = weight * pe, weight * p1, weight * x
    n_exc = pe + p1
    pg = 1 - pe
    return {
        "regime": regime, "s2": s2, "P_e": pe, "P_g": pg, "n": p1, "N": n_exc,
        "E_A": omega / 2 * (pe - pg),  # Tr[rho_A H_A], rho_A = diag(P_e, P_g)
        "E_B": omega_rc * p1,
        "E_int": 2 * lam * x,
    }


@functools.lru_cache(maxsize=64)
def _forms(omega, omega_rc, lam, kappa, state_a):
    from .reaction_coordinate import SIGMA_Z, _WEIGHT  # lazy (PEP 562)
    d = _derive(omega, omega_rc, lam, kappa, _WEIGHT[state_a])
    pe, pg, n, N = d["P_e"], d["P_g"], d["n"], d["N"]
    lo_a, hi_a = sympy.Min(pe, pg, evaluate=False), sympy.Max(pe, pg, evaluate=False)
    a = LocalForms(
        hamiltonian=omega / 2 * SIGMA_Z,
        energy=d["E_A"],
        spectrum=[lo_a, hi_a],
        beta=sympy.log(hi_a / lo_a, evaluate=False) / omega,
        thermal_energy=-omega / 2 * sympy.Abs(pe - pg, evaluate=False),
    )
    b = LocalForms(
        hamiltonian=Oscillator(omega_rc),
        energy=d["E_B"],
        spectrum=[sympy.Min(n, 1 - n, evaluate=False), sympy.Max(n, 1 - n, evaluate=False)],
    )
    notes = {
        "regime": d["regime"] + f"; s^2 = {sympy.sstr(d['s2'])}",
        "rho": "rho = |psi><psi| + p_0 |g,0><g,0|, psi = exp(-i H_eff t)|e,0> "
               "(Cayley-Hamilton), p_0 from the trace",
        "beta_B": "entropy-matched with the analytic oscillator thermal functions "
                  "(no closed form)",
        "I_AB": "S_A + S_B - S_AB, joint spectrum {N, 1 - N}, N = P_e + <a^dag a>",
    }
    return a, b, d["E_int"], _h(pe) + _h(n) - _h(N), notes


@functools.lru_cache(maxsize=64)
def _compiled(omega, omega_rc, lam, kappa, state_a, lib):
    """The lambdified reduced data (cached: printing the detuned forms takes a while)."""
    from .reaction_coordinate import _WEIGHT  # lazy (PEP 562)
    a, b, e_int, _, _ = _forms(omega, omega_rc, lam, kappa, state_a)
    d = _derive(omega, omega_rc, lam, kappa, _WEIGHT[state_a])
    # the base sorts the spectra, so the unsorted eigenvalues halve what is printed
    # A is diagonal: the coupling conserves the excitation number and state_A has no coherence
    # E^th_A = -omega/2 + omega min(P_e, P_g) (a qubit's thermal state of its entropy has its
    # spectrum): the heat from the smaller population's increment, an exact 0 for the ground
    # start (nothing moves; as two balls about -omega/2 it was a bound 5e-299 at 992 bits)
    w = _WEIGHT[state_a]
    heat = omega * (sympy.Min(d["P_e"], d["P_g"]) - min(w, 1 - w))
    forms = ClosedForms(subsystems={"A": replace(a, beta=None, spectrum=[d["P_e"], d["P_g"]],
                                                 diagonal=True, thermal_increment=heat),
                                    # B: diagonal on the Fock levels 0 and 1 (no |0><1|:
                                    # it would pair with <e|g> = 0 of the qubit)
                                    "B": replace(b, spectrum=[d["n"], 1 - d["n"]],
                                                 diagonal=True)},
                        interaction_energy=e_int, extras={"_N": d["N"]})
    return _lambdified(forms, lib)


@functools.lru_cache(maxsize=64)
def _compiled_arrays(omega, omega_rc, lam, kappa, state_a):
    """One numpy function t -> (P_e, <n>, E_int): the expressions of :func:`_compiled`,
    lambdified together (common subexpressions once); the rest is found from them with
    numpy (:meth:`ReactionCoordinate.reduced_arrays`)."""
    from .base import T  # lazy (PEP 562)
    from .reaction_coordinate import _WEIGHT  # lazy (PEP 562)
    _, _, e_int, _, _ = _forms(omega, omega_rc, lam, kappa, state_a)
    d = _derive(omega, omega_rc, lam, kappa, _WEIGHT[state_a])
    exprs = [sympy.sympify(e) for e in (d["P_e"], d["n"], e_int)]
    if any(e.free_symbols - {T} for e in exprs):
        raise ValueError("the reaction-coordinate closed forms need numeric parameters")
    return numpy_lambdify(T, exprs, cse=True)


@functools.lru_cache(maxsize=64)
def excited_rates(omega, omega_rc, lam, kappa):
    """(r_1, r_2): the eigenvalues of the block generator A minus A_00, as complex floats.

    e^{-A_00 t} c_e(t) = e^{-b t} [cosh(s t) + b sinh(s t)/s] (b = B_00) is a sum of
    e^{r_1 t} and e^{r_2 t} with the rates r_2 = -(s + b) and r_1 = s - b =
    B_01 B_10 / (s + b) (s the root of s^2 with |s + b| >= |s - b|, so neither is a
    difference of nearly equal numbers), and equals 1 - a c exp[0, a, c] with
    a = r_1 t, c = r_2 t (:mod:`symthermo.divided_differences`): since
    |e^{-A_00 t}| = 1, 1 - |c_e|^2 follows without the cancellation of 1 - P_e.
    Computed at 30 digits, rounded once.

    >>> from symthermo.models.reaction_coordinate import excited_rates
    >>> excited_rates(1, 1, 0.01, 0)    # vacuum Rabi: c_e = e^{-i t/2} cos(lam t)
    (0.01j, -0.01j)
    """
    import mpmath

    sol = one_excitation_solution(omega, omega_rc, lam, kappa)
    B = sol["B"]
    with mpmath.workdps(30):
        b = mpmath.mpmathify(sympy.N(B[0, 0], 30))
        cd = mpmath.mpmathify(sympy.N(B[0, 1] * B[1, 0], 30))
        s = mpmath.sqrt(mpmath.mpmathify(sympy.N(sol["s2"], 30)))
        if (s * mpmath.conj(b)).real < 0:
            s = -s
        if s + b == 0:  # then s^2 = b^2, B_01 B_10 = 0: nothing leaves |e, 0>
            return 0j, 0j
        return complex(cd / (s + b)), complex(-(s + b))


def _populations(s2, b, b_g, decay):
    """(regime, (|c_e|^2, |c_g|^2, Re(c_e^* c_g))) with c = e^{decay t} (C + S B) e_1."""
    from .base import T  # lazy (PEP 562)
    from .reaction_coordinate import expm1  # lazy (PEP 562)
    t = T
    amp = sympy.exp(decay * t)
    if s2.is_zero:
        # defective generator: B^2 = 0, so exp(B t) = 1 + t B exactly
        ce, cg = amp * (1 + b * t), amp * b_g * t
        return "critical (s = 0: exp(Bt) = 1 + tB)", _moduli(ce, cg)
    if s2.free_symbols:
        if sympy.im(s2) == 0:
            # real s^2 of unknown sign: cos(Omega t) and t sinc(Omega t) are real and cover
            # both sides (analytic in Omega^2; sinc(0) = 1 is the critical case)
            Om = sympy.sqrt(-s2)
            C, S = sympy.cos(Om * t), t * sympy.sinc(Om * t)
            br, bi = (sympy.simplify(v) for v in b.as_real_imag())
            gr, gi = (sympy.simplify(v) for v in b_g.as_real_imag())
            amp2 = sympy.exp(2 * decay * t)
            re_e = C + br * S
            return "symbolic, real s^2 (Omega = sqrt(-s^2))", (
                amp2 * (re_e**2 + (bi * S)**2),
                amp2 * (gr**2 + gi**2) * S**2,
                amp2 * S * (re_e * gr + bi * S * gi))
        s = sympy.sqrt(s2)
        C, S = sympy.cosh(s * t), sympy.sinh(s * t) / s
        return "symbolic, complex s^2", _moduli(amp * (C + b * S), amp * b_g * S)
    # numeric s^2: s = sigma + i nu with sigma >= 0; e^{decay t} cosh(sigma t) and
    # e^{decay t} sinh(sigma t) are bounded (sigma <= -decay) and written without overflow
    x, y = sympy.re(s2), sympy.im(s2)
    r = sympy.sqrt(x**2 + y**2)
    sigma = sympy.sqrt((r + x) / 2)
    nu = sympy.sqrt(-x) if sigma == 0 else sympy.radsimp(y / (2 * sigma))
    # c_e = cosh + k sinh, c_g = m sinh with the constants k = b/s, m = b_g/s computed
    # first (s = sigma + i nu, 1/s = conj(s)/|s|^2), so the expressions stay short
    inv_s = (sigma - sympy.I * nu) / (sigma**2 + nu**2)
    consts = [sympy.radsimp(sympy.expand(c)) for c in (b * inv_s, b_g * inv_s)]
    kr, ki, mr, mi = sympy.symbols("k_r k_i m_r m_i", real=True)
    Ch, Sh, cs, sn = sympy.symbols("Ch Sh cs sn", real=True)
    cosh_s = Ch * cs + sympy.I * Sh * sn  # e^{decay t} cosh(s t)
    sinh_s = Sh * cs + sympy.I * Ch * sn  # e^{decay t} sinh(s t)
    ce, cg = cosh_s + (kr + sympy.I * ki) * sinh_s, (mr + sympy.I * mi) * sinh_s
    if sigma == 0:
        values = {Ch: amp, Sh: 0}
        regime = "underdamped (s = i Omega)"
    else:
        grow = sympy.exp((sigma + decay) * t)
        values = {Ch: grow * (1 + sympy.exp(-2 * sigma * t)) / 2,
                  Sh: -grow * expm1(-2 * sigma * t) / 2}
        regime = "overdamped (s real)" if nu == 0 else "detuned (s complex)"
    values.update({cs: sympy.cos(nu * t), sn: sympy.sin(nu * t)})
    for (re_sym, im_sym), c in zip(((kr, ki), (mr, mi)), consts):
        re_c, im_c = c.as_real_imag()
        values.update({re_sym: sympy.radsimp(re_c), im_sym: sympy.radsimp(im_c)})
    moduli = _moduli(ce, cg, real_parts=True)
    return regime, tuple(m.subs(values) for m in moduli)


def excited_deficit(rates, times, direct, *, below=1e-2, coupling=None):
    """1 - |c_e(t)|^2 from |e, 0> (numpy): ``direct`` (the closed form's, rounded
    once) where it is at least ``below``, else -2 Re h - |h|^2 with
    h = e^{-A_00 t} c_e - 1 = -a c exp[0, a, c], a = r_1 t, c = r_2 t
    (:func:`excited_rates`), which keeps the digits of D ~ (lam t)^2 at small t.
    (The closed form of a detuned mode rounds P_e to ~1e-12: with ``below`` = 1e-4, D =
    1.6e-3 kept 9.3 digits, and E_A with it.)

    ``coupling`` = B_10 (purely imaginary, -i lam): also returns (index, Re(c_e^* c_g),
    |c_g|^2, |c_e|^2) at those times, from e^{-A_00 t} c_g = B_10 t exp[a, c] with
    exp[a, c] - 1 = a exp[0, 0, a] + c exp[0, a, c]: Re(c_e^* c_g) = Re(B_10 t [F + h^*
    (1 + F)]), F = exp[a, c] - 1, without the cancellation of the closed form (E_int of a
    detuned mode, ~ lam^2 Delta t^2, kept eps / (Delta t) of its digits), |c_g|^2 =
    |B_10 t (1 + F)|^2 (the detuned closed form rounds it to ~1e-15: <n> = 3.5e-5 kept
    10.3 digits, W_B = omega_rc (<n> - m) ~ <n>^2 two of them fewer) and |c_e|^2 =
    |1 + h|^2 (the detuned closed form's P_e, terms of both signs, kept 6 digits at
    lam ~ omega_rc ~ 1).  Where |1 + F| or |1 + h| is below 1/2 (the excitation has
    decayed; at omega_rc = 0.85, t = 4960, 1 + F kept 1 digit of <n> = 3.8e-24) both
    come from the nodes instead (:func:`_decayed`).

    >>> import numpy as np, sympy
    >>> from symthermo.models.reaction_coordinate import excited_deficit, excited_rates
    >>> rates = excited_rates(1, 1, sympy.Rational(1, 100), 0)
    >>> t = np.array([1e-9, 1.0])
    >>> D = excited_deficit(rates, t, 1 - np.cos(0.01 * t) ** 2)    # sin^2(lam t)
    >>> [bool(abs(d / np.sin(0.01 * x) ** 2 - 1) < 1e-15) for d, x in zip(D, t)]
    [True, True]
    """
    out = np.array(direct, dtype=float)
    r1, r2 = rates
    small = out < below
    if r1 == 0:  # nothing leaves |e, 0>
        out[small] = 0.0
        return out if coupling is None else (out, _at_no_time())
    if small[0] and times[0] == 0:  # D(0) = 0 exactly (the columns' first time)
        out[0] = 0.0
        small[0] = False
    if not small.any():
        return out if coupling is None else (out, _at_no_time())
    t = times[small]
    a, c = r1 * t, r2 * t
    dd = exp_divided_difference(a, c)
    h = -(a * c) * dd
    out[small] = -2 * h.real - (h.real * h.real + h.imag * h.imag)
    if coupling is None:
        return out
    F = a * exp_divided_difference(a, 0.0) + c * dd
    E, ce = 1 + F, 1 + h  # exp[a, c] and e^{-A_00 t} c_e
    coherence = (coupling * t * (F + np.conj(h) * E)).real
    gone = (np.abs(E) < 0.5) | (np.abs(ce) < 0.5)
    if gone.any():  # decayed: 1 + F and 1 + h cancel, so both from the nodes themselves
        E[gone], ce[gone] = _decayed(a[gone], c[gone])
        coherence[gone] = (coupling * t[gone] * np.conj(ce[gone]) * E[gone]).real
    g = coupling * t * E  # e^{-A_00 t} c_g, and |e^{-A_00 t}| = 1
    return out, (np.flatnonzero(small), coherence, g.real * g.real + g.imag * g.imag,
                 ce.real * ce.real + ce.imag * ce.imag)


def _decayed(a, c):
    """(exp[a, c], 1 - a c exp[0, a, c]) from the node x of the larger real part (y the
    other): exp[a, c] = e^x phi1(y - x) and 1 - a c exp[0, a, c] = (a e^c - c e^a)/(a - c)
    = e^x - x exp[a, c], with Re(y - x) <= 0 (nothing overflows), each to a few ulps
    where the amplitude has decayed (no 1 + F ~ 0)."""
    first = a.real >= c.real
    x, y = np.where(first, a, c), np.where(first, c, a)
    ex = np.exp(x)
    E = ex * phi1(y - x)
    return E, ex - x * E


def _at_no_time():
    """(index, Re(c_e^* c_g), |c_g|^2, |c_e|^2) of :func:`excited_deficit` at no time."""
    return np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0), np.zeros(0)


#: eps 1e11: a value that the rounding of t moves by more than this much of t |dx/dt| (the
#: contract's 10 digits of the 15) is unearned
_REACH = _EPS * 1e11


def _two_level_entropy(x):
    """-x ln x - (1 - x) ln(1 - x) from lo = min(x, 1 - x)."""
    return binary_entropy_columns(np.minimum(x, 1 - x))


def _mutual_information(x, x_rest, y, y_rest, z_rest, S_x, S_y):
    """I = h(x) + h(y) - h(x + y) from the entropies S_x = h(x), S_y = h(y) (arrays),
    and from :func:`mutual_information` where the three cancel to 1e-4 (Python floats
    for a few such times, numpy for more); an exact 0 where x or y is 0."""
    # the joint spectrum {x + y, z_rest}, from its smaller eigenvalue as given
    joint = _two_level_entropy(np.where(z_rest <= 0.5, z_rest, x + y))
    total = S_x + S_y
    mutual = total - joint
    index = (mutual < 1e-4 * (total + joint)).nonzero()[0]
    if not len(index):
        return mutual
    mutual = np.array(mutual)
    if len(index) <= 16:
        for i in index.tolist():
            xi, yi = float(x[i]), float(y[i])
            mutual[i] = 0.0 if xi <= 0 or yi <= 0 else mutual_information(
                _SCALAR, xi, float(x_rest[i]), yi, float(y_rest[i]), float(z_rest[i]))
        return mutual
    zero = (x[index] <= 0) | (y[index] <= 0)
    mutual[index[zero]] = 0.0
    index = index[~zero]
    if len(index):
        mutual[index] = mutual_information(_ARRAY, x[index], x_rest[index], y[index],
                                           y_rest[index], z_rest[index])
    return mutual


class _Scalar:
    log, log1p = staticmethod(math.log), staticmethod(math.log1p)

    @staticmethod
    def where(cond, then, other):  # only the branch taken is computed
        return then() if cond else other()


class _Array:
    log, log1p = staticmethod(np.log), staticmethod(np.log1p)

    @staticmethod
    def where(cond, then, other):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(cond, then(), other())


_SCALAR, _ARRAY = _Scalar(), _Array()


def mutual_information(ops, x, x_rest, y, y_rest, z_rest):
    """h(x) + h(y) - h(x + y) (h the binary entropy) without cancellation, for x, y > 0
    given the complements x_rest = 1 - x, y_rest = 1 - y, z_rest = 1 - x - y each
    computed without it; ``ops`` is ``_SCALAR`` (Python floats) or ``_ARRAY`` (numpy).

    The reaction coordinate's I_AB = S_A + S_B - S_AB: the qubit's spectrum is
    {P_e, P_g}, the mode's {<n>, 1 - <n>} and the joint state's {P_e + <n>, p_0}.
    For the mixed start at small times (S_A and S_AB both near ln 2) and at long
    times (all three ~ P_e ln(1/P_e) while I_AB ~ P_e <n>) the three entropies
    nearly cancel; written out,

        h(x) + h(y) - h(x + y) = x ln(1 + y/x) + y ln(1 + x/y)
                                 + z' ln(z'/(x' y')) - y ln x' - x ln y'

    (x' = 1 - x, y' = 1 - y, z' = 1 - x - y = x' y' - x y), every term but the third
    is >= 0, and the third is z' log1p(-x y/(x' y')) where x y <= x' y' / 2 (0 at
    z' = 0); ln x' is log1p(-x) for x <= 1/2 (likewise y').

    >>> import numpy as np, mpmath
    >>> from symthermo.models.reaction_coordinate import _ARRAY, mutual_information
    >>> x, y = np.array([1 - 1e-20, 1e-30, 0.3]), np.array([9e-21, 2e-35, 0.2])
    >>> xr, yr = np.array([1e-20, 1.0, 0.7]), 1 - y
    >>> got = mutual_information(_ARRAY, x, xr, y, yr, np.array([1e-21, 1.0, 0.5]))
    >>> def h(p): return -p * mpmath.log(p) - (1 - p) * mpmath.log(1 - p)
    >>> with mpmath.workdps(80):
    ...     xs = [1 - mpmath.mpf("1e-20"), mpmath.mpf("1e-30"), mpmath.mpf("0.3")]
    ...     ys = [mpmath.mpf("9e-21"), mpmath.mpf("2e-35"), mpmath.mpf("0.2")]
    ...     ref = [h(a) + h(b) - h(a + b) for a, b in zip(xs, ys)]
    >>> [bool(abs(g / r - 1) < 1e-14) for g, r in zip(got, ref)]
    [True, True, True]
    """
    def log_rest(p, rest):  # ln(1 - p)
        return ops.where(p <= 0.5, lambda: ops.log1p(-p), lambda: ops.log(rest))

    rest = x_rest * y_rest
    r = (x * y) / rest
    third = ops.where(z_rest > 0, lambda: ops.where(
        r <= 0.5, lambda: z_rest * ops.log1p(-r), lambda: z_rest * ops.log(z_rest / rest)),
        lambda: 0.0 * r)
    return (x * ops.log1p(y / x) + y * ops.log1p(x / y) + third
            - y * log_rest(x, x_rest) - x * log_rest(y, y_rest))


def _moduli(ce, cg, real_parts=False):
    """(|c_e|^2, |c_g|^2, Re(conj(c_e) c_g)); ``real_parts``: every symbol is real, so
    the real and imaginary parts are taken explicitly."""
    if real_parts:
        re_e, im_e = (sympy.expand(v) for v in ce.as_real_imag())
        re_g, im_g = (sympy.expand(v) for v in cg.as_real_imag())
        return re_e**2 + im_e**2, re_g**2 + im_g**2, re_e * re_g + im_e * im_g
    return (sympy.Abs(ce)**2, sympy.Abs(cg)**2,
            sympy.re(sympy.conjugate(ce) * cg))


def _h(p):
    """binary entropy -p ln p - (1 - p) ln (1 - p) (SymPy, for the displayed closed form)."""
    return -p * sympy.log(p, evaluate=False) - (1 - p) * sympy.log(1 - p, evaluate=False)


class ReactionCoordinate(Model):
    """Qubit + reaction-coordinate mode damped at rate kappa (SL26 Eq. 42, App. C)."""

    name = "reaction-coordinate"
    source = "SL26 Eq. 42, App. C, Figs. 9, 12, 13"
    description = ("qubit (omega/2) sigma_z + mode omega_rc a^dag a + lam (sigma_+ a + h.c.), "
                   "the mode damped at rate kappa into a zero-temperature bath (Lindblad a); "
                   "qubit excited, mode in vacuum")
    subsystems = ("A", "B")
    unitary = False
    parameters = (
        Parameter("omega", "1", "qubit frequency: H_A = (omega/2) sigma_z", latex=r"\omega"),
        Parameter("omega_rc", "1", "mode frequency: H_B = omega_rc a^dag a",
                  latex=r"\omega_{RC}"),
        Parameter("lam", "0.01", "qubit-mode coupling lam (sigma_+ a + sigma_- a^dag)",
                  latex=r"\lambda"),
        Parameter("kappa", "0.008", "damping rate of the mode (Lindblad operator a)",
                  latex=r"\kappa"),
        # plus (coherence between the 0- and 1-excitation sectors) and a coherent mode
        # (every excitation sector) are outside the one-excitation closed form: not offered
        Parameter("state_A", "excited", "initial qubit state (excited, ground or mixed; "
                  "plus is outside the one-excitation closed form)",
                  choices=("excited", "ground", "mixed")),
        Parameter("state_B", "vacuum", "initial mode state (vacuum only, SL26 App. C)",
                  choices=("vacuum",)),
    )
    extra_keys = {}
    #: quarter, half and full vacuum-Rabi periods: the time scale of Figs. 9, 12, 13
    #: (their axes are not in the text)
    paper_times = ("pi/(2*lam)", "pi/lam", "2*pi/lam")

    def check_parameters(self, p):
        for name in ("omega", "omega_rc"):
            v = p[name]
            if v.is_number and not v.is_positive:
                raise ValueError(f"{name} must be positive, got {v}")

    def _data(self, p):
        from .reaction_coordinate import _WEIGHT  # lazy (PEP 562)
        return _derive(p["omega"], p["omega_rc"], p["lam"], p["kappa"], _WEIGHT[p["state_A"]])

    def closed_forms(self, p):
        a, b, e_int, i_ab, notes = _forms(p["omega"], p["omega_rc"], p["lam"], p["kappa"],
                                          p["state_A"])
        return ClosedForms(subsystems={"A": replace(a), "B": replace(b)},
                           interaction_energy=e_int, mutual_information=i_ab,
                           notes=dict(notes))

    def local_hamiltonians(self, p):
        from .reaction_coordinate import SIGMA_Z  # lazy (PEP 562)
        return {"A": p["omega"] / 2 * SIGMA_Z, "B": Oscillator(p["omega_rc"])}

    def reduced_data(self, p, times, *, lib):
        if lib is FLOAT64:
            return self._float64_rows(p, times)
        # beta_A and I_AB are evaluated from the spectra (the same closed forms, with
        # 0 ln 0 = 0 and beta = inf for the exactly pure qubit at t = 0)
        fns = _compiled(p["omega"], p["omega_rc"], p["lam"], p["kappa"], p["state_A"], lib)
        out = []
        for t in times:
            row = fns(t)
            N = row.pop("_N")
            rest = 1 - N
            if lib is FLOAT64 and rest < 0:
                # N = |c_e|^2 + |c_g|^2 <= 1 rounded up (kappa = 0: N = 1): an exact 0
                rest = 0.0
            joint = entropy_of_spectrum(lib, [N, rest])
            row["I_AB"] = (entropy_of_spectrum(lib, row["A"]["spectrum"])
                           + entropy_of_spectrum(lib, row["B"]["spectrum"]) - joint)
            out.append(row)
        return out

    def _float64_rows(self, p, times):
        """The per-row float64 data: the numbers of :meth:`reduced_arrays` (P_g and the
        increments without cancellation), finished row by row (the mode's beta and E^th
        from its smaller eigenvalue by the base, as on the columns)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            cols = self.reduced_arrays(p, np.asarray([float(t) for t in times]))
            entropies = {n: {"S": _two_level_entropy(np.minimum(*cols[n]["spectrum"]))}
                         for n in ("A", "B")}
            mutual = cols["I_AB"](entropies)
        a, b = cols["A"], cols["B"]
        out = []
        for i in range(len(times)):
            row_a = {"E": float(a["E"][i]), "diagonal": True, "dE": float(a["dE"][i]),
                     "dEth": float(a["dEth"][i]),
                     "spectrum": [float(a["spectrum"][0][i]), float(a["spectrum"][1][i])]}
            if "beta" in a:
                row_a["beta"] = float(a["beta"][i])
            out.append({"A": row_a,
                        "B": {"E": float(b["E"][i]), "diagonal": True,
                              "spectrum": [float(b["spectrum"][0][i]),
                                           float(b["spectrum"][1][i])]},
                        "E_int": float(cols["E_int"][i]), "I_AB": float(mutual[i])})
        return out

    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` for all times at once (the same closed forms, lambdified
        to numpy once per parameter set); the spectra ascending, their smaller eigenvalues
        also those of the unearned checks."""
        def constants():
            from .reaction_coordinate import _WEIGHT  # lazy (PEP 562)
            args = (p["omega"], p["omega_rc"], p["lam"], p["kappa"])
            sol = one_excitation_solution(*args)
            # E_int is 0 at resonance (the closed form's exact 0); else B_10 = -i lam
            coupling = None if _derive(*args, _WEIGHT[p["state_A"]])["E_int"] == 0 else \
                complex(sympy.N(sol["B"][1, 0], 20))
            return (_compiled_arrays(*args, p["state_A"]), excited_rates(*args),
                    float(_WEIGHT[p["state_A"]]), float(p["omega"]), float(p["omega_rc"]),
                    p["kappa"] == 0, coupling, abs(float(p["lam"])), float(p["kappa"]))

        fn, rates, w, omega, omega_rc, conserved, coupling, lam, kappa = self._params_cached(
            "arrays", p, constants)
        n = len(times)
        pe, n_b, e_int = [column_of(v, n) for v in fn(times)]
        # D = 1 - |c_e|^2 (from |e,0>), the small population P_g of the excited start,
        # without the cancellation of 1 - P_e where it is small (below 1e-2, the closed
        # form's 1 - P_e keeps 11 digits and more)
        excited = w == 1  # the default start, with fewer operations
        if not w:
            D = np.zeros(n)
        elif coupling is None:
            D = excited_deficit(rates, times, 1 - (pe if excited else pe / w))
        else:  # detuned: E_int = 2 lam w Re(c_e^* c_g) too, where it is small
            # (at every time: the detuned closed form rounds P_e to ~1e-11 at g t ~ 30,
            # where the divided differences keep 12 digits of Q_A)
            D, (index, coherence, cg2, ce2) = excited_deficit(
                rates, times, 1 - (pe if excited else pe / w), below=math.inf,
                coupling=coupling)
            if len(index):
                e_int = np.array(e_int)
                e_int[index] = (2 * float(p["lam"]) * w) * coherence
                n_b = np.array(n_b)
                n_b[index] = w * cg2  # <n> = w |c_g|^2 without the closed form's rounding
                pe = np.array(pe)
                pe[index] = w * ce2  # P_e likewise (the closed form kept 6 digits at lam ~ 1)
        if w:
            # below float64's normal range <n> has no digits (the row is unearned, below):
            # an exact 0 there, as the mode's energy omega_rc <n> rounds to (a subnormal
            # <n> left beta_B = 0/0, a nan that could not be printed before the recompute)
            lost_b = underflowed(n_b, screen=True)
            if lost_b is not None:
                n_b = np.where(lost_b, 0.0, n_b)
        n_rest = 1 - n_b
        if conserved and w:
            # kappa = 0: |c_e|^2 + |c_g|^2 = 1, so D = |c_g|^2 (a product, no cancellation
            # at the returns lam t = k pi either) and 1 - <n> = (1 - w) + P_e
            D = n_b if excited else n_b / w
            n_rest = (1 - w) + pe
        pg = D if excited else (1 - w) + w * D
        # E_A = omega (P_e - 1/2) and E_B = omega_rc <n> from the same numbers as the
        # spectra (the mode's ergotropy omega_rc (<n> - lo) is then an exact 0)
        E_A = omega * (0.5 - D) if excited else omega * ((w - 0.5) - w * D)
        E_B = omega_rc * n_b
        # the spectra ascending (the finishing takes them as given)
        lo, lo_b = np.minimum(pe, pg), np.minimum(n_b, n_rest)
        # E^th above the ground is omega lo (two levels): its increment from the start's
        # lo_0 = min(w, 1 - w) without cancellation, as the energy's, -omega w D
        d_lo = lo - (1 - w) if w > 0.5 else -w * D
        # E^th = E_g + omega lo (the thermal state of a qubit's entropy has its spectrum)
        # passive: p_e < 1/2, i.e. E_A < 0 (the base's rule), 2w - 1 < 2 w D; there
        # E^th = E exactly
        a = {"E": E_A, "spectrum": [lo, np.maximum(pe, pg)], "ascending": True,
             "diagonal": True, "Eth": np.where(E_A < 0, E_A, omega * (lo - 0.5)),
             "dE": (-omega * w) * D, "dEth": omega * d_lo}
        if w == 0.5:
            # beta = ln(hi/lo)/omega = log1p((hi - lo)/lo)/omega with hi - lo = D itself
            # (hi, lo both near 1/2); the other starts have hi - lo near 1 or 0 at t = 0
            a["beta"] = np.log1p(D / pe) / omega
        # the joint state: |psi><psi| (weight N = P_e + <n>) and |g,0> with the rest,
        # 1 - N = (1 - w) + w (D - |c_g|^2) (exactly 1 - w when kappa = 0: no decay)
        if conserved or not w:
            p0 = np.full(n, 1 - w)
        elif excited:
            p0 = np.maximum(D - n_b, 0.0)
        else:
            p0 = (1 - w) + w * np.maximum(D - n_b / w, 0.0)
        # rows the float time does not determine to 10 digits (next to a zero of P_e,
        # P_g, <n> or 1 - <n>, e.g. the returns of the vacuum Rabi oscillation): the
        # rounding of t (and of the closed forms' arguments, eps t) moves x by
        # eps t |dx/dt|, |dP_e/dt| <= 2 lam sqrt(P_e <n>), |d<n>/dt| <= that + kappa <n>
        # (the square roots apart: P_e <n> underflows at P_e ~ <n> ~ 1e-160, so would the rate)
        rate = (2 * lam) * (np.sqrt(pe) * np.sqrt(n_b))
        reach = np.abs(times) * _REACH
        unearned = (reach * rate > lo) | (reach * (rate + kappa * n_b) > lo_b)
        # E_A through 0 (P_e = 1/2: E_A, beta_A, E^th_A, the ergotropy): within EARNED
        # times its rounding, 4 eps omega (|w - 1/2| + w D) and, as |dP_e/dt| <= rate,
        # omega rate eps t
        near = within_rounding(E_A, omega * (6 + 2 * lam * float(np.maximum.reduce(times))),
                               lambda: omega * (4 * (abs(w - 0.5) + w * D) + rate * times))
        if near is not None:
            unearned |= near
        if w:  # the excitation decays: below float64's normal range it has no digits
            unearned |= underflowed(n_b)  # (<n> starts at 0: no screening)
            lost = underflowed(pe, screen=True)
            if lost is not None:
                unearned |= lost
        unearned &= times != 0
        # (a function of the finished columns: the entropies S_A, S_B are theirs)
        def mutual(q):
            return _mutual_information(pe, pg, n_b, n_rest, p0, q["A"]["S"], q["B"]["S"])
        # the qubit starts diagonal and the coupling conserves the excitation number, so
        # the qubit stays diagonal in its energy basis; the entropies of the two
        # spectra from their smaller eigenvalue (float64_columns._local_columns)
        return {"A": a,
                # B diagonal on Fock 0, 1 (as _compiled): ergotropy_B = 0 where <n> < 1/2
                "B": {"E": E_B, "spectrum": [lo_b, np.maximum(n_b, n_rest)], "ascending": True,
                      "diagonal": True},
                "E_int": e_int, "I_AB": mutual, "unearned": unearned}

    def _finish_columns(self, p, d, ts, convention):
        """The base's columns; where the mode's exergy (and so its work, Xi_B(t) - 0) left
        float64's normal range while <n> > 0 its digits are gone: the thermal state of
        its entropy differs from it by ~<n>^2 (the tail on Fock level 2), which is below
        2.2e-308 once <n> <~ 1e-154 (kappa t ~ 700 of decay): those rows are unearned
        (they printed exergy_B = W_B = 0, unflagged, for ~1e-370)."""
        cols = super()._finish_columns(p, d, ts, convention)
        lost = underflowed(np.abs(cols["exergy_B"]), screen=True)
        if lost is not None:  # (reduced_arrays always gives "unearned")
            d["unearned"] = d["unearned"] | (lost & (d["B"]["E"] > 0) & (ts != 0))
        return cols

    def dynamics(self, p, *, lib):
        from .reaction_coordinate import _WEIGHT  # lazy (PEP 562)
        H, V, L, HA, _ = _operators(p["omega"], p["omega_rc"], p["lam"], FOCK_CUTOFF)
        w = _WEIGHT[p["state_A"]]
        rho_a = sympy.diag(w, 1 - w)
        vac = sympy.zeros(FOCK_CUTOFF + 1)
        vac[0, 0] = 1
        return Dynamics(dims=[2, FOCK_CUTOFF + 1], hamiltonian=H, coupling=V,
                        initial_state=_kron(rho_a, vac),
                        local_hamiltonians={"A": HA, "B": Oscillator(p["omega_rc"])},
                        lindblad=[(p["kappa"], L)])


# -- the Lorentzian spectral density of SL26 Eq. C5 and its reaction coordinate ------------

def lorentzian_spectral_density(w, omega_c, gamma, lam):
    """SL26 Eq. C5, as printed.

    D(w) = w (2/pi) gamma lam^2 omega_c^2 / ((w^2 - omega_c^2)^2 + (w gamma omega_c)^2);
    works with SymPy expressions and with mpmath/float numbers.
    """
    pi = sympy.pi if isinstance(w, sympy.Basic) or isinstance(lam, sympy.Basic) else _mp_pi()
    return w * 2 / pi * gamma * lam**2 * omega_c**2 / (
        (w**2 - omega_c**2)**2 + (w * gamma * omega_c)**2)


def _mp_pi():
    import mpmath

    return mpmath.pi


@dataclass(frozen=True)
class RCMapping:
    """Reaction-coordinate parameters (SymPy expressions) of a Lorentzian bath."""

    omega_rc: sympy.Expr
    lam: sympy.Expr
    kappa: sympy.Expr
    coupling_squared: sympy.Expr  # lam_RC^2 = int_0^oo J(w) dw, exactly


def lorentzian_mapping(omega_c, gamma, lam):
    r"""Map the Lorentzian bath of SL26 Eq. C5 onto the reaction coordinate of Eq. C6.

    Parameters
    ----------
    omega_c, gamma, lam : numbers, strings or SymPy expressions
        Peak frequency, dimensionless width (the peak has full width
        gamma * omega_c at half maximum for gamma << 1) and coupling of Eq. C5.

    Returns
    -------
    RCMapping
        ``omega_rc``, ``lam`` (the qubit-RC coupling), ``kappa`` (the RC
        damping rate of Eq. C6) and ``coupling_squared`` = lam_RC^2.

    Notes
    -----
    *Reading of Eqs. C4-C5.*  Eq. C5's D(w) has the units of a frequency
    (lam^2 w omega_c^2 / w^4), those of sum_k Omega_k^2 delta(w - w_k), while
    the D of Eq. C4 is normalised to int D = 2 pi (units 1/frequency).  As
    printed the two cannot both hold (int_0^oo D_C5 dw = lam^2 F(gamma), not
    2 pi); we read Eq. C5 as the bath spectral function
    J(w) = sum_k Omega_k^2 delta(w - w_k) = (Lambda^2/2 pi) D_C4(w).

    *Coupling (derivation).*  The collective mode E = sum_k Omega_k a_k of
    Eq. C2 has [E, E^dag] = sum_k Omega_k^2 =: lam_RC^2, so a = E/lam_RC is a
    bosonic annihilation operator and sigma_+ E + h.c. = lam_RC (sigma_+ a +
    h.c.): exactly Eq. C6's coupling, with

        lam_RC^2 = int_0^oo J(w) dw = lam^2 F(gamma),
        F(gamma) = 2 arccos(gamma^2/2 - 1) / (pi sqrt(4 - gamma^2))   (gamma < 2),

    from int_0^oo du/(u^2 + 2u cos(phi) + 1) = phi/sin(phi) with u = w^2/omega_c^2
    (arccosh and sqrt(gamma^2 - 4) for gamma > 2; F(2) = 2/pi).  F = 1 -
    gamma/pi + O(gamma^2): Eq. C6's lam is Eq. C5's lam up to O(gamma).

    *Frequency (convention, as printed).*  omega_RC = omega_c (SL26 below
    Eq. C6); the mean frequency of J is omega_c + O(gamma).

    *Damping (derivation at leading order in gamma).*  The mode damped at
    rate kappa, seen through sigma_+, has the Lorentzian spectral function
    lam_RC^2 (kappa/2 pi)/((w - omega_RC)^2 + kappa^2/4) (full width kappa).
    Near its peak Eq. C5 is (lam^2/2 pi) gamma omega_c/((w - omega_c)^2 +
    (gamma omega_c)^2/4) (1 + O(gamma)), whose full width at half maximum is
    gamma omega_c (1 + O(gamma^2)), so kappa = gamma omega_c.  Then the
    golden-rule decay rate 2 pi J(omega_c) = 4 lam^2/(gamma omega_c) is exactly
    4 lam^2/kappa, the effective rate of the qubit for kappa >> lam.

    >>> from symthermo.models.reaction_coordinate import lorentzian_mapping
    >>> m = lorentzian_mapping(1, "0.1", "0.01")
    >>> m.omega_rc, m.kappa
    (1, 1/10)
    >>> round(float(m.lam), 8)
    0.00984565
    """
    wc, g, l = (to_sympy(parse_expression(v, what=name)) if isinstance(v, str) else sympy.sympify(v)
                for name, v in (("omega_c", omega_c), ("gamma", gamma), ("lam", lam)))
    F = sympy.Piecewise(
        (2 * sympy.acos(g**2 / 2 - 1) / (sympy.pi * sympy.sqrt(4 - g**2)), g < 2),
        (2 / sympy.pi, sympy.Eq(g, 2)),
        (2 * sympy.acosh(g**2 / 2 - 1) / (sympy.pi * sympy.sqrt(g**2 - 4)), True))
    F = sympy.piecewise_fold(F)
    coupling_squared = l**2 * F
    return RCMapping(omega_rc=wc, lam=sympy.sqrt(coupling_squared), kappa=g * wc,
                     coupling_squared=coupling_squared)


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    from sympy.codegen.cfunctions import expm1
    SIGMA_Z = sympy.diag(1, -1)
    SIGMA_MINUS = sympy.Matrix([[0, 0], [1, 0]])
    SIGMA_PLUS = SIGMA_MINUS.T
    _WEIGHT = {"excited": sympy.Integer(1), "ground": sympy.Integer(0), "mixed": sympy.Rational(1, 2)}
    return {'SIGMA_MINUS': SIGMA_MINUS, 'SIGMA_PLUS': SIGMA_PLUS, 'SIGMA_Z': SIGMA_Z, '_WEIGHT': _WEIGHT, 'expm1': expm1}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('SIGMA_MINUS', 'SIGMA_PLUS', 'SIGMA_Z', '_WEIGHT', 'expm1'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
