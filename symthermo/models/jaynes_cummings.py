r"""A qubit and a field mode: the Jaynes-Cummings model (SL26 Eq. 28, Figs. 1-4, 10-11, Sec. III A).

H = (omega_A/2) sigma_z + omega_B a^dag a + g (sigma_+ a + sigma_- a^dag).
Subsystem A is the qubit, H_A = (omega_A/2) sigma_z with levels -omega_A/2
(|g>) and +omega_A/2 (|e>): the contract's H_A "exactly as the model defines
it", so E_g = -omega_A/2, whereas SL26's prose says E_g = 0 (a constant
shift: E_A and E^th_A move by omega_A/2, no heat, work, ergotropy, exergy or
beta changes).  Subsystem B is the mode, H_B = omega_B a^dag a, whose
thermal functions are the analytic infinite-dimensional ones
(:class:`~symthermo.thermal.Oscillator`); its reduced state is in the Fock
basis.  Qubit basis (|e>, |g>); joint index = (Fock dimension) * qubit + n.

Derivation
----------
N = sigma_ee + a^dag a is conserved: the blocks span{|e,n>, |g,n+1>} and
the singlet |g,0> are derived from the operators and exponentiated by
Cayley-Hamilton in :mod:`symthermo.models.jc_manifolds` (any detuning
delta = (omega_A - omega_B)/2, Omega_n^2 = delta^2 + g^2 (n+1)).

*Vacuum field* (state_B = vacuum): only the singlet and the block n = 0 are
involved, so every reduced quantity is a finite closed form
(:func:`vacuum_forms`).  From |e,0>, p_e = 1 - g^2 sin^2(Omega_0 t)/Omega_0^2
(cos^2(g t) at resonance); the mode is in span{|0>, |1>} with, for the
``plus`` qubit, a coherence <0|rho_B|1> ~ c_g conj(c_e b).  For a pure
global state the non-zero spectra of rho_A and rho_B coincide (Schmidt;
det rho_A = det rho_B = |c_e|^4 |a|^2 |b|^2 is checked in SymPy); for
``mixed`` the global state is (|psi_e><psi_e| + |g,0><g,0|)/2 with
orthogonal terms, so S_AB = ln 2.  beta_B is solved from the entropy with
the analytic oscillator functions.

*Coherent field* (state_B = coherent, |alpha>, alpha real): the reduced
states are sums over the manifolds with Poisson weights
(:mod:`~symthermo.models.jc_manifolds`), evaluated at any precision without
a Fock-space matrix.  rho_A (2x2, with coherence) follows from the manifold
amplitudes; E_B = omega_B (|c_e|^2 + alpha^2 - p_e(t)) from conservation of
N; E_int = 2 g Re <sigma_+ a>.  For a pure global state (excited, ground,
plus) the non-zero spectrum of rho_B is that of rho_A (Schmidt).  For
``mixed`` the global state (|psi_e><psi_e| + |psi_g><psi_g|)/2 is not
pure: rho_B = V V^dag with the four columns <q|psi_r>/sqrt 2 (q, r in
{e, g}), so its non-zero spectrum (rank <= 4) is that of the 4x4 Gram
matrix V^dag V; <psi_e|psi_g> = 0 is conserved, so S_AB = ln 2.  The tests
check this spectrum against a dense truncated Fock computation.

The Fock window kept is reported: ``manifolds`` (excitation-number
manifolds evolved) and ``neglected_weight`` (the Poisson weight outside
the window, evaluated exactly); the window's tail bound is below
10^-(dps + 2 x guard) for a request of dps digits (10^-30 in float64), so
the choice is the same in every re-evaluation of
:func:`~symthermo.precision.stable`.

*Semiclassical regime* (SL26 Sec. III A, Eqs. 12-27), extra keys.  The
approximation taken: B is a classical, undepleted field, rho_B(t) =
|alpha e^{-i omega_B t}><...| (free evolution, no back-action: Eq. 13 is
dropped), and A evolves under the mean-field Hamiltonian of Eq. 14,

    H_A^eff(t) = H_A + Tr_B[rho_B(t) V] = H_A + g alpha (e^{-i omega_B t} sigma_+ + h.c.),

solved exactly in the frame rotating at omega_B (H_rot = delta sigma_z +
g alpha sigma_x; the frame change is checked in SymPy).  In that regime
Q_A = 0 (S_A is constant) and

- ``W_A_semiclassical`` = Delta U_A (received; SL26 Eq. 16 prints the
  provided -Delta U_A),
- ``W_st`` = int_0^t Tr[rho_A dH_A^eff/dt] dt (SL26 Eq. 17; work received),
  a closed form,
- ``E_int_semiclassical`` = Tr[rho_A(t) (x) rho_B(t) V].

Then W_st = W_A_semiclassical + Delta E_int_semiclassical exactly (SL26
Eqs. 20-21, 26 in the received convention); with SL26's own provided
W_A = -Delta U_A (Eq. 16) Eq. 21 as printed has the wrong sign of W_A.  At
resonance E_int_semiclassical is constant, so W_st = W_A_semiclassical.  With
the vacuum (alpha = 0) the mean field vanishes and the three keys are
computed all the same (W = 0, E_int = 0): the semiclassical picture
predicts no exchange, which the exact keys contradict.  ``--convention
provided`` negates the two works like every work.  At resonance the exact
E_int is conserved too ([H, V] = 0), so Delta E_int = 0 in both pictures.

Numerics
--------
The small eigenvalue of a 2x2 reduced state is lam_- = 2 det/(1 + s),
s = sqrt(z^2 + 4|c|^2), with det free of cancellation: a sum of squared
2x2 minors (Cauchy-Binet) for the vacuum, an exact integer Gram
determinant (fixed-point sums) with mpmath, Gram-Schmidt with float64;
lam_+ = 1 - lam_- keeps extra bits, so S and beta of nearly pure states
keep their relative precision.  A lam_- below eps^(3/2) is the exact 0 of a
pure state seen through the rounding of t (t = pi/(2g)) and is returned as
0.  t = 0 of the coherent case is the exact initial state.  beta_B of a
two-valued spectrum is solved from the binary entropy (accurate for small
lam_-) with :func:`~symthermo.thermal.beta_for_entropy` and the oscillator.

Propagator route (:meth:`JaynesCummings.propagate`): the vacuum case is
propagated densely on Fock cutoff 2 (by :func:`symthermo.propagator.evolve`
through the base class); the coherent case block by block, each 2x2 block
diagonalised numerically, the state vector reduced by generic sums (E_B
directly as omega_B sum m |psi|^2, not by conservation), and the
semiclassical keys by numeric propagation and quadrature.

>>> from symthermo.models import get_model
>>> from symthermo.numbers import FLOAT64
>>> m = get_model("jaynes-cummings")
>>> p = m.params({})
>>> row = m.evaluate(p, [25.0], lib=FLOAT64)[0]      # p_e = cos^2(g t) at resonance
>>> import math; abs((row["E_A"] + 0.5) - math.cos(0.25) ** 2) < 1e-14
True
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .base import (ClosedForms, ColumnRows, Dynamics, LocalForms, Model, Parameter, column_of,
                   entropy_columns, xlogx_columns)
from .jc_manifolds import (
    Run,
    apply_hamiltonian,
    cayley_hamilton,
    fock_amplitudes,
    ground_singlet_energy,
    manifold_block,
    manifold_sums,
    poisson_window,
    pure_sums_arrays,
    rise_sizes,
    PureSumsSetup,
    ball_pure_sums,
    poisson_outside_weight,
)
from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..heat_work import check_convention, sign
from ..numbers import EXACT, FLOAT64, MPMATH, numpy_lambdify
from ..thermal import Oscillator, beta_for_entropy

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["JaynesCummings", "vacuum_forms", "semiclassical_forms", "coherent_forms",
           "SIGMA_Z", "SIGMA_PLUS", "SIGMA_MINUS", "MAX_ALPHA"]

# qubit basis (|e>, |g>) (SIGMA_Z, SIGMA_PLUS, SIGMA_MINUS are made on first use:
# _symbolic_constants at the end)
_QUBIT = ("e", "g")
#: Fock cutoff of the vacuum propagator route: one excitation at most, so |2> stays empty
VACUUM_FOCK_CUTOFF = 2
#: float64 tail bound of the Fock window (10^-30: far below the float64 resolution)
FLOAT64_WINDOW_DIGITS = 30
#: the largest coherent amplitude: the Fock window evolved grows as alpha
MAX_ALPHA = 1000

STATES_A = ("excited", "ground", "plus", "mixed")
STATES_B = ("vacuum", "coherent")


def runs_of(state_A):
    """The pure evolutions (weight, c_e, c_g) whose mixture is ``state_A`` (SymPy numbers)."""
    half = sympy.Rational(1, 2)
    r = 1 / sympy.sqrt(2)
    return {
        "excited": [(sympy.Integer(1), sympy.Integer(1), sympy.Integer(0))],
        "ground": [(sympy.Integer(1), sympy.Integer(0), sympy.Integer(1))],
        "plus": [(sympy.Integer(1), r, r)],
        "mixed": [(half, sympy.Integer(1), sympy.Integer(0)),
                  (half, sympy.Integer(0), sympy.Integer(1))],
    }[state_A]


def _key(*values):
    return tuple(sympy.srepr(sympy.sympify(v)) for v in values)


# --------------------------------------------------------------------------
# SymPy: vacuum closed forms
# --------------------------------------------------------------------------

def _conj(x):
    return sympy.conjugate(x)


def _abs2(x):
    return sympy.expand(x * _conj(x))


def _reduced_from_amplitudes(amps, fock):
    """rho_A (basis e, g) and rho_B (basis ``fock``) of a pure state {(q, m): amplitude}."""
    rho_a = sympy.zeros(2)
    for i, q in enumerate(_QUBIT):
        for j, q2 in enumerate(_QUBIT):
            rho_a[i, j] = sympy.expand(sum((amps.get((q, m), 0) * _conj(amps.get((q2, m), 0))
                                            for m in fock), sympy.Integer(0)))
    rho_b = sympy.zeros(len(fock))
    for i, m in enumerate(fock):
        for j, m2 in enumerate(fock):
            rho_b[i, j] = sympy.expand(sum((amps.get((q, m), 0) * _conj(amps.get((q, m2), 0))
                                            for q in _QUBIT), sympy.Integer(0)))
    return rho_a, rho_b


def _expectation(amps, op_action):
    """<psi|O|psi> with O given by its action ket -> {ket: coeff}."""
    total = sympy.Integer(0)
    for ket, amp in amps.items():
        for image, coeff in op_action(ket).items():
            total += _conj(amps.get(image, 0)) * coeff * amp
    return sympy.expand(total)


@functools.lru_cache(maxsize=64)
def _vacuum_cached(key, omega_A, omega_B, g, state_A):
    return _vacuum_derivation(omega_A, omega_B, g, state_A)


def vacuum_forms(omega_A, omega_B, g, state_A):
    """Closed forms of the vacuum-field case (SymPy, cached).

    Returns a dict with ``rho_A``, ``rho_B`` (2x2 matrices in the bases
    (e, g) and (|0>, |1>)), ``E_A``, ``E_B``, ``E_int``, the qubit's
    ``z_A`` = p_e - p_g, ``c2_A`` = |rho_eg|^2, ``det_A``, the mode's
    ``z_B`` = p_0 - p_1, ``c2_B``, ``det_B``, ``S_AB`` (0 or ln 2) and
    ``propagator`` (the block n = 0).

    >>> import sympy
    >>> from symthermo.models.jaynes_cummings import vacuum_forms
    >>> g = sympy.Symbol("g", positive=True)
    >>> f = vacuum_forms(1, 1, g, "excited")
    >>> sympy.simplify(f["rho_A"][0, 0] - sympy.cos(g * sympy.Symbol("t", nonnegative=True))**2)
    0
    """
    return _vacuum_cached(_key(omega_A, omega_B, g) + (state_A,), omega_A, omega_B, g, state_A)


def _vacuum_derivation(omega_A, omega_B, g, state_A):
    """Amplitudes of the singlet and block n = 0, reduced without sympy.simplify.

    The phases e^{-i c0 t} (block) and e^{-i E_g0 t} (singlet) are kept as
    e^{i phi_b}, e^{i phi_s} with real phi's, so that they cancel by
    themselves in every modulus; all other quantities are polynomials in
    C = cos(Omega_0 t), S = sin(Omega_0 t)/Omega_0, reduced with
    C^2 = 1 - Omega_0^2 S^2 before C and S are substituted.
    """
    from .base import T  # lazy (PEP 562)
    from .jaynes_cummings import SIGMA_Z  # lazy (PEP 562)
    t = T
    zero = sympy.Integer(0)
    block = manifold_block(zero, omega_A, omega_B, g)
    prop = cayley_hamilton(block)
    U = prop.matrix()
    e_singlet = ground_singlet_energy(omega_A, omega_B, g)
    phi_b, phi_s = sympy.symbols("phi_b phi_s", real=True)
    fock = (zero, sympy.Integer(1))
    subs = prop.substitutions(t)
    phases = {phi_b: -prop.c0 * t, phi_s: -e_singlet * t}

    def red(expr):
        return prop.reduce(sympy.expand(expr))

    def finish(expr):
        # not reduced: sums of squares such as |a|^2 = C^2 + delta^2 S^2 stay sums of
        # positive terms, so small values keep their relative precision
        return sympy.expand(sympy.expand(expr).subs(subs))

    rho_a = sympy.zeros(2)
    rho_b = sympy.zeros(2)
    e_int = zero
    minors = zero
    runs = runs_of(state_A)
    coupling = functools.partial(apply_hamiltonian, omega_A=0, omega_B=0, g=g)
    for weight, ce, cg in runs:
        v = U * sympy.Matrix([ce, 0])  # block n = 0 starts in (c_e, c_g f_1 = 0)
        amps = {("e", zero): sympy.exp(sympy.I * phi_b) * v[0],
                ("g", sympy.Integer(1)): sympy.exp(sympy.I * phi_b) * v[1],
                ("g", zero): sympy.exp(sympy.I * phi_s) * cg}
        ra, rb = _reduced_from_amplitudes(amps, fock)
        rho_a += weight * ra
        rho_b += weight * rb
        e_int += weight * _expectation(amps, coupling)
        # Cauchy-Binet: det rho_A = sum_{m < m'} |psi(e,m) psi(g,m') - psi(g,m) psi(e,m')|^2
        # for a pure state (a sum of squares; the same for rho_B by symmetry)
        minor = sympy.expand(amps.get(("e", zero), 0) * amps.get(("g", sympy.Integer(1)), 0)
                             - amps.get(("g", zero), 0) * amps.get(("e", sympy.Integer(1)), 0))
        minors += _abs2(minor)
    H_A = omega_A / 2 * SIGMA_Z
    out = {
        "propagator": prop,
        "rho_A": rho_a.applyfunc(lambda x: finish(x).subs(phases)),
        "rho_B": rho_b.applyfunc(lambda x: finish(x).subs(phases)),
        "E_A": finish((rho_a * H_A).trace()),
        "E_B": finish(omega_B * rho_b[1, 1]),
        "E_int": finish(e_int),
    }
    pure = len(runs) == 1
    out["S_AB"] = sympy.Integer(0) if pure else sympy.log(2)  # mixed: orthogonal terms
    for name, rho in (("A", rho_a), ("B", rho_b)):
        c2 = sympy.expand(rho[0, 1] * _conj(rho[0, 1]))
        out[f"z_{name}"] = finish(rho[0, 0] - rho[1, 1])
        out[f"c2_{name}"] = finish(c2)
        det = rho[0, 0] * rho[1, 1] - c2
        if pure:
            if red(det - minors) != 0:
                raise AssertionError(f"Cauchy-Binet: det rho_{name} should be the sum of "
                                     "squared minors (Schmidt: equal for A and B)")  # pragma: no cover
            out[f"det_{name}"] = finish(minors)
        else:
            out[f"det_{name}"] = finish(rho[0, 0]) * finish(rho[1, 1]) - finish(c2)
    return out


# --------------------------------------------------------------------------
# SymPy: coherent-field series (for display; evaluated numerically)
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _coherent_cached(key, omega_A, omega_B, g, alpha, state_A):
    return _coherent_derivation(omega_A, omega_B, g, alpha, state_A)


def coherent_forms(omega_A, omega_B, g, alpha, state_A):
    """The coherent-field reduced quantities as series over the manifolds (SymPy ``Sum``)."""
    return _coherent_cached(_key(omega_A, omega_B, g, alpha) + (state_A,),
                            omega_A, omega_B, g, alpha, state_A)


def _coherent_derivation(omega_A, omega_B, g, alpha, state_A):
    """Series over the blocks n, in the compact amplitude form (checked against U (a, b))."""
    from .base import T  # lazy (PEP 562)
    from .jc_manifolds import COS, SIN  # lazy (PEP 562)
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    t = T
    I = sympy.I
    block = manifold_block(n, omega_A, omega_B, g)
    prop = cayley_hamilton(block)
    U = prop.matrix()
    subs = prop.substitutions(t)
    delta = (omega_A - omega_B) / 2
    kk = g * sympy.sqrt(n + 1)

    def f(m):
        return sympy.exp(-alpha**2 / 2) * alpha**m / sympy.sqrt(sympy.factorial(m))

    def at(expr, m=n):
        return expr.subs({COS: subs[COS], SIN: subs[SIN]}).subs(n, m)

    zero = sympy.Integer(0)
    pe = zero
    reg = zero
    eint = zero
    for weight, ce, cg in runs_of(state_A):
        a, b = ce * f(n), cg * f(n + 1)
        u, v = delta * a + kk * b, delta * b - kk * a
        A, B = a * COS - I * u * SIN, b * COS + I * v * SIN
        if (U * sympy.Matrix([a, b]) - sympy.Matrix([A, B])).applyfunc(sympy.expand) != \
                sympy.zeros(2, 1):
            raise AssertionError("block amplitudes")  # pragma: no cover
        pe_n = a**2 * COS**2 + u**2 * SIN**2  # |A_n|^2 (a, u real)
        re_n = a * b * COS**2 - u * v * SIN**2  # Re conj(A_n) B_n
        if sympy.expand(A * _conj(A) - pe_n) != 0 or \
                sympy.expand(sympy.re(sympy.expand(_conj(A) * B)) - re_n) != 0:
            raise AssertionError("moduli of the block amplitudes")  # pragma: no cover
        pe += weight * sympy.Sum(at(pe_n), (n, 0, sympy.oo))
        eint += weight * 2 * g * sympy.Sum(sympy.sqrt(n + 1) * at(re_n), (n, 0, sympy.oo))
        # rho_eg ~ sum_m A_m conj(B_{m-1}), B_{-1} = c_g f_0 e^{i delta t}
        first = at(A, 0) * _conj(cg * f(0) * sympy.exp(I * delta * t))
        reg += weight * (first + sympy.Sum(at(A) * _conj(at(B, n - 1)), (n, 1, sympy.oo)))
    c_e2 = sum(w * ce**2 for w, ce, _ in runs_of(state_A))
    return {"p_e": pe, "rho_eg": reg, "E_int": eint,
            "E_A": omega_A * (pe - sympy.Rational(1, 2)),
            "E_B": omega_B * (c_e2 + alpha**2 - pe)}


# --------------------------------------------------------------------------
# SymPy: the semiclassical (mean-field) closed forms
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _semiclassical_cached(key, omega_A, omega_B, g, alpha, state_A):
    return _semiclassical_derivation(omega_A, omega_B, g, alpha, state_A)


def semiclassical_forms(omega_A, omega_B, g, alpha, state_A):
    """U_A(t), E_int(t), W_st(t) of the qubit driven by the undepleted field alpha e^{-i omega_B t}.

    Returns a dict with ``H_rot`` (rotating-frame Hamiltonian, checked),
    ``rho`` (the qubit in the rotating frame), ``U_A``, ``E_int``, ``W_st``
    (SymPy in ``T``), ``integrand`` (Tr[rho dH_eff/dt]) and ``W_MCA_rate``
    (the MCA work rate -i Tr{[H_A, H_eff - H_A] rho}, SL26 Eq. 23).

    >>> import sympy
    >>> from symthermo.models.jaynes_cummings import semiclassical_forms
    >>> sc = semiclassical_forms(1, 1, sympy.Rational(1, 100), 30, "ground")
    >>> sc["W_st"], sc["E_int"]
    (sin(3*t/10)**2, 0)
    """
    return _semiclassical_cached(_key(omega_A, omega_B, g, alpha) + (state_A,),
                                 omega_A, omega_B, g, alpha, state_A)


def _semiclassical_derivation(omega_A, omega_B, g, alpha, state_A):
    from .base import T  # lazy (PEP 562)
    from .jaynes_cummings import SIGMA_MINUS, SIGMA_PLUS, SIGMA_Z  # lazy (PEP 562)
    t = T
    I = sympy.I
    H_A = omega_A / 2 * SIGMA_Z
    drive = g * alpha * (sympy.exp(-I * omega_B * t) * SIGMA_PLUS
                         + sympy.exp(I * omega_B * t) * SIGMA_MINUS)
    H_eff = H_A + drive  # Eq. 14 with rho_B = |alpha e^{-i omega_B t}><.|
    # rho_rot = R rho_lab R^dag, R = exp(i omega_B t sigma_z / 2) (diagonal)
    r = [sympy.exp(I * omega_B * t / 2), sympy.exp(-I * omega_B * t / 2)]

    def frame(M):
        return sympy.Matrix(2, 2, lambda i, j: sympy.powsimp(sympy.expand(
            r[i] * M[i, j] * _conj(r[j]))))

    delta = (omega_A - omega_B) / 2
    H_rot = (frame(H_eff) - omega_B / 2 * SIGMA_Z).applyfunc(sympy.expand)
    expected = delta * SIGMA_Z + g * alpha * (SIGMA_PLUS + SIGMA_MINUS)
    if (H_rot - expected).applyfunc(sympy.expand) != sympy.zeros(2):
        raise AssertionError(f"rotating frame: expected {expected}, got {H_rot}")  # pragma: no cover
    M_drive = frame(drive)
    M_rate = frame(H_eff.diff(t))
    comm = frame(H_A * drive - drive * H_A)
    if M_drive.has(t) or M_rate.has(t) or comm.has(t):
        raise AssertionError("the drive should be static in the rotating frame")  # pragma: no cover
    prop = cayley_hamilton(H_rot)
    U = prop.matrix()
    rho = sympy.zeros(2)
    for weight, ce, cg in runs_of(state_A):
        v = U * sympy.Matrix([ce, cg])
        rho += weight * v * v.H
    rho = rho.applyfunc(lambda x: prop.reduce(x))
    subs = prop.substitutions(t)

    def at_t(expr):
        return sympy.expand(prop.reduce(expr).subs(subs))

    integrand = prop.reduce((rho * M_rate).trace())
    return {"H_rot": H_rot, "rho": rho, "propagator": prop,
            "U_A": at_t((rho * H_A).trace()),
            "E_int": at_t((rho * M_drive).trace()),
            "W_st": sympy.expand(prop.antiderivative(integrand, t).subs(subs)),
            "integrand": sympy.expand(integrand.subs(subs)),
            "W_MCA_rate": at_t(-I * (comm * rho).trace())}


# --------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------

def _num(lib, x):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    x = sympy.sympify(x)
    if lib is FLOAT64:
        return float(x)
    if lib is BALLS:
        return lib.number(x)
    return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 10))


def _eps(lib):
    return np.finfo(float).eps if lib is FLOAT64 else mpmath.eps


def _ball_neglected_weight(mu, window):
    """The Poisson(mu) weight outside the Fock window, P(N < n_lo) + P(N > n_hi), in
    balls (poisson_window gives the same in mpmath)."""
    return poisson_outside_weight(mu, window.n_lo, window.n_hi)


def _ball_gram_spectrum(lib, vs, weights):
    """The non-zero spectrum of rho_B = V V^dag (columns sqrt(w_r) (X^r, Y^r)) as the
    eigenvalues of the small Gram matrix V^dag V, in balls (python-flint's eig encloses
    the eigenvalues of every matrix in the ball; each entry carries the dropped
    manifolds' bound)."""
    from ..balls import nonnegative  # lazy: loads SymPy, flint
    from flint import acb, acb_mat

    columns, scales, pads = [], [], []
    for v, w in zip(vs, weights):
        for key in ("X", "Y"):
            columns.append([acb(a, b) for a, b in v[key]])
            scales.append(w.sqrt())
        pads.append(v["pad"])
    pad = sum(pads, lib.zero)
    n = len(columns)
    G = acb_mat(n, n)
    for i in range(n):
        for k in range(i, n):
            total = acb(0)
            for a, b in zip(columns[i], columns[k]):
                total += a.conjugate() * b
            total = total * scales[i] * scales[k]
            total += acb(arb_pad(pad), arb_pad(pad))
            G[i, k] = total
            G[k, i] = total.conjugate()
    try:
        values = G.eig(multiple=True)
    except ValueError:
        raise NotImplementedError("jaynes-cummings: the Gram eigenvalues could not be "
                                  "isolated in balls") from None
    return lib.sort([nonnegative(e.real) for e in values])


def arb_pad(bound):
    from flint import arb

    return arb(0, bound.upper()) if bound.is_finite() else arb(0).union(arb.pos_inf())


def _two_level(lib, z, c2, det, floor=None):
    """(lam_-, lam_+) of a unit-trace 2x2 Hermitian matrix, both to full relative precision.

    s = sqrt(z^2 + 4|c|^2) = lam_+ - lam_-, lam_- = 2 det/(1 + s) (no
    cancellation when det is small); a lam_- at or below ``floor`` is an exact 0
    lost in rounding: in the rounding of t, to which lam_- is quadratic at the
    times where the state is pure (:func:`_time_floor`, for closed forms that
    keep det's relative precision otherwise), or, by default, below eps^(3/2)
    (det from amplitudes, whose rounding it cannot resolve).  With mpmath
    lam_+ = 1 - lam_- keeps extra bits, so that ln lam_+ (hence S) is right to
    working precision.
    """
    from ..balls import BALLS, nonnegative, sqrt_nonneg  # lazy: loads SymPy, flint
    if lib is FLOAT64:
        s = math.sqrt(max(z * z + 4 * c2, 0.0))
        lm = 2 * max(det, 0.0) / (1 + s)
        if lm <= (_eps(lib) ** 1.5 if floor is None else floor):
            lm = 0.0
        return lm, 1.0 - lm
    if lib is BALLS:  # det >= 0 and z^2 + 4|c|^2 >= 0 exactly: intersect the balls with [0, inf)
        s = sqrt_nonneg(z * z + 4 * c2)
        lm = 2 * nonnegative(det) / (1 + s)
        return lm, 1 - lm
    s = mpmath.sqrt(max(z * z + 4 * c2, 0))
    lm = 2 * max(det, 0) / (1 + s)
    if lm <= (mpmath.eps ** 1.5 if floor is None else floor):
        lm = mpmath.mpf(0)
    with mpmath.extraprec(mpmath.mp.prec + 20):
        lp = 1 - lm
    return lm, lp


def _binary_entropy(lib, lm):
    """-l ln l - (1 - l) ln(1 - l), accurate for small l."""
    if lm == 0:
        return lib.zero
    return -lib.xlogx(lm) - (1 - lm) * lib.log1p(-lm)


def _requested_window_digits(lib):
    if lib is FLOAT64:
        return FLOAT64_WINDOW_DIGITS
    from ..precision import GUARD_DIGITS, requested_digits

    digits = requested_digits()
    if digits is None:
        digits = mpmath.mp.dps
    return digits + 2 * GUARD_DIGITS


class JaynesCummings(Model):
    """Qubit + field mode, resonant or detuned (SL26 Eq. 28)."""

    name = "jaynes-cummings"
    source = "SL26 Eq. 28, Figs. 1-4, 10-11, App. B, Sec. III A"
    description = ("qubit (omega_A/2) sigma_z + mode omega_B a^dag a + g (sigma_+ a + h.c.); "
                   "the mode in its vacuum or a coherent state |alpha> (alpha real); "
                   "semiclassical (undepleted mean-field) work as extra keys")
    subsystems = ("A", "B")
    unitary = True
    parameters = (
        Parameter("omega_A", "1", "qubit frequency: H_A = (omega_A/2) sigma_z", latex=r"\omega_A"),
        Parameter("omega_B", "1", "mode frequency: H_B = omega_B a^dag a", latex=r"\omega_B"),
        Parameter("g", "0.01", "coupling g (sigma_+ a + sigma_- a^dag)", latex="g"),
        Parameter("state_A", "excited", "initial qubit state", choices=STATES_A),
        Parameter("state_B", "vacuum", "initial mode state (coherent: |alpha>)",
                  choices=STATES_B),
        Parameter("alpha", "30", "coherent amplitude (real, mean photon number alpha^2); "
                  "used with state_B=coherent", latex=r"\alpha"),
    )
    extra_keys = {
        "manifolds": "excitation-number manifolds N = sigma_ee + a^dag a evolved "
                     "(2 for the vacuum: N = 0, 1; for |alpha>: the Fock window + 1)",
        "neglected_weight": "Poisson weight of |alpha> outside the Fock window kept "
                            "(exact; 0 for the vacuum); the window's tail bound is below "
                            "10^-(dps + 20) (10^-30 in float64)",
        "W_A_semiclassical": "Delta U_A of the qubit driven by the undepleted classical field "
                             "alpha e^{-i omega_B t} (H_A^eff of SL26 Eq. 14; Q_A = 0 there), "
                             "work received (SL26 Eq. 16 prints -Delta U_A, provided)",
        "W_st": "standard work int_0^t Tr[rho_A dH_A^eff/dt] dt of that mean-field dynamics "
                "(SL26 Eq. 17), received; closed form",
        "E_int_semiclassical": "Tr[rho_A(t) (x) rho_B(t) V] of that mean-field dynamics; "
                               "W_st = W_A_semiclassical + Delta E_int_semiclassical (Eq. 21)",
    }
    #: Fig. 1's semiclassical window, and the quarter, half, three-quarter and full
    #: vacuum-Rabi periods of Figs. 2-4, 10, 11
    paper_times = ("1/(10*g)", "pi/(4*g)", "pi/(2*g)", "3*pi/(4*g)", "pi/g")

    #: keys that are works (negated by the provided convention)
    _work_extras = ("W_A_semiclassical", "W_st")

    # -- parameters ----------------------------------------------------------
    def check_parameters(self, p):
        for name in ("omega_A", "omega_B", "g"):
            v = p[name]
            if v.is_number and not v.is_positive:
                raise ValueError(f"{name} must be positive, got {v}")
        a = p["alpha"]
        if a.is_number and (a.is_real is False or a.is_negative):
            raise ValueError(f"alpha must be a non-negative real number, got {a}")
        if p["state_B"] == "coherent" and a.is_number and a > MAX_ALPHA:
            # the window holds ~ 2 alpha sqrt(2 ln 10^digits) manifolds, each evolved, and
            # mpmath's incomplete gamma of the neglected weight stops converging near 3000
            raise ValueError(f"alpha = {a} exceeds the limit {MAX_ALPHA} (the Fock window of "
                             f"|alpha> grows as alpha)")

    def _alpha_eff(self, p):
        return p["alpha"] if p["state_B"] == "coherent" else sympy.Integer(0)

    def local_hamiltonians(self, p):
        from .jaynes_cummings import SIGMA_Z  # lazy (PEP 562)
        return {"A": p["omega_A"] / 2 * SIGMA_Z, "B": Oscillator(p["omega_B"])}

    # -- closed forms --------------------------------------------------------
    def closed_forms(self, p):
        from .base import T  # lazy (PEP 562)
        from .jaynes_cummings import SIGMA_Z  # lazy (PEP 562)
        wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
        H_A = wA / 2 * SIGMA_Z
        sc = semiclassical_forms(wA, wB, g, self._alpha_eff(p), p["state_A"])
        extras = {
            "W_A_semiclassical": sc["U_A"] - sc["U_A"].subs(T, 0),
            "W_st": sc["W_st"],
            "E_int_semiclassical": sc["E_int"],
        }
        notes = {
            "H_A": "H_A = (omega_A/2) sigma_z exactly as the contract asks: E_g = -omega_A/2 "
                   "(SL26's prose says E_g = 0; a constant shift of E_A and Eth_A only)",
            "semiclassical": "B undepleted: rho_B(t) = |alpha e^{-i omega_B t}><.|, qubit under "
                             "H_A^eff(t) = H_A + g alpha (e^{-i omega_B t} sigma_+ + h.c.) "
                             "(SL26 Eqs. 12, 14), solved in the frame rotating at omega_B",
        }
        if p["state_B"] == "vacuum":
            f = vacuum_forms(wA, wB, g, p["state_A"])
            lam_a = _spectrum_expr(f["z_A"], f["c2_A"])
            lam_b = _spectrum_expr(f["z_B"], f["c2_B"])
            pure = f["S_AB"] == 0
            a_forms = LocalForms(H_A, f["E_A"], lam_a, beta=sympy.log(lam_a[1] / lam_a[0]) / wA,
                                 thermal_energy=-wA / 2 + wA * lam_a[0])
            b_forms = LocalForms(Oscillator(wB), f["E_B"], lam_b)
            i_ab = 2 * _h(lam_a[0]) if pure else _h(lam_a[0]) + _h(lam_b[0]) - f["S_AB"]
            notes["manifolds"] = ("vacuum: the singlet |g,0> and the block {|e,0>, |g,1>}; "
                                  f"Omega_0^2 = {f['propagator'].omega2}")
            extras["manifolds"] = sympy.Integer(2)
            extras["neglected_weight"] = sympy.Integer(0)
            return ClosedForms({"A": a_forms, "B": b_forms}, interaction_energy=f["E_int"],
                               mutual_information=i_ab, extras=extras, notes=notes)
        f = coherent_forms(wA, wB, g, p["alpha"], p["state_A"])
        # p_e(t) and rho_eg(t) are named; their series are in the notes
        pe, reg = sympy.Function("p_e")(T), sympy.Function("rho_eg")(T)
        notes["p_e(t)"] = "p_e(t) = " + sympy.sstr(f["p_e"])
        notes["rho_eg(t)"] = ("<e|rho_A|g> up to the phase e^{-i omega_B t}: rho_eg(t) = "
                              + sympy.sstr(f["rho_eg"]))
        z = 2 * pe - 1
        c2 = sympy.Abs(reg) ** 2
        lam_a = _spectrum_expr(z, c2)
        c_e2 = sum(w * ce**2 for w, ce, _ in runs_of(p["state_A"]))
        a_forms = LocalForms(H_A, wA * (pe - sympy.Rational(1, 2)), lam_a,
                             beta=sympy.log(lam_a[1] / lam_a[0]) / wA,
                             thermal_energy=-wA / 2 + wA * lam_a[0])
        if p["state_A"] == "mixed":
            lam_b = [sympy.Function(f"lambda_B{k}")(T) for k in range(1, 5)]
            notes["spectrum_B"] = ("the non-zero eigenvalues of rho_B are those of the 4x4 Gram "
                                   "matrix V^dag V of the columns <q|psi_r>/sqrt 2 "
                                   "(q, r in {e, g}); evaluated numerically")
            i_ab = _h(lam_a[0]) - sum(x * sympy.log(x) for x in lam_b) - sympy.log(2)
        else:
            lam_b = list(lam_a)
            notes["spectrum_B"] = ("pure global state: the non-zero spectrum of rho_B is "
                                   "rho_A's (Schmidt)")
            i_ab = 2 * _h(lam_a[0])
        b_forms = LocalForms(Oscillator(wB), wB * (c_e2 + p["alpha"]**2 - pe), lam_b)
        notes["manifolds"] = ("|alpha> restricted to a Fock window whose Poisson tail is below "
                              "10^-(dps + 20); series over the manifolds evaluated numerically")
        extras["manifolds"] = sympy.Function("manifolds")(T)
        extras["neglected_weight"] = sympy.Function("neglected_weight")(T)
        return ClosedForms({"A": a_forms, "B": b_forms}, interaction_energy=f["E_int"],
                           mutual_information=i_ab, extras=extras, notes=notes)

    # -- closed-form route, numerically ----------------------------------------
    def evaluate(self, p, times, *, lib, convention="received", proven=None):
        rows = super().evaluate(p, times, lib=lib, convention=convention, proven=proven)
        return self._signed(rows, convention)

    def _signed(self, rows, convention):
        s = sign(check_convention(convention))
        if s == 1:
            return rows
        if isinstance(rows, ColumnRows):
            rows.negate(self._work_extras)
            return rows
        for row in rows:
            for key in self._work_extras:
                row[key] = -row[key]
        return rows

    def reduced_data(self, p, times, *, lib):
        from ..balls import BALLS  # lazy: loads SymPy, flint
        if lib is EXACT:
            if p["state_B"] == "coherent":
                raise ValueError("jaynes-cummings with a coherent field has no finite closed "
                                 "form to evaluate exactly; evaluate with dps=N or float64")
            return super().reduced_data(p, times, lib=lib)
        times = [_time(lib, t) for t in times]
        if p["state_B"] == "vacuum":
            core = self._vacuum_core(p, times, lib)
            window = {"manifolds": 2, "neglected_weight": lib.zero}
        elif lib is BALLS:
            core, window = self._coherent_core_balls(p, times, lib)
        else:
            core, window = self._coherent_core(p, times, lib)
        sc = self._semiclassical_values(p, times, lib)
        out = []
        for k, d in enumerate(core):
            d.update(window)
            for key, values in sc.items():
                d[key] = values[k]
            out.append(d)
        return out

    def _vacuum_core(self, p, times, lib):
        from ..balls import BALLS  # lazy: loads SymPy, flint
        fns = _vacuum_compiled(p["omega_A"], p["omega_B"], p["g"], p["state_A"], lib)
        wB = _num(lib, p["omega_B"])
        pure = p["state_A"] != "mixed"
        values = {k: fn(times) for k, fn in fns.items()}
        rate = None if lib is BALLS else _fastest(lib, p)
        wA = _num(lib, p["omega_A"])
        out = []
        for i in range(len(times)):
            v = {k: values[k][i] for k in values}
            floor = None if rate is None else _time_floor(_eps(lib), rate, times[i])
            lam_a = _two_level(lib, v["z_A"], v["c2_A"], v["det_A"], floor)
            lam_b = lam_a if pure else _two_level(lib, v["z_B"], v["c2_B"], v["det_B"], floor)
            d = self._assemble(lib, wB, v["E_A"], v["E_B"], v["E_int"], lam_a, lam_b,
                               pure=pure, s_ab=None if pure else lib.log(2 * lib.one))
            if not pure and lib is FLOAT64:  # as _vacuum_arrays
                z = 2 * (v["E0_A"] + v["dE_A"]) / wA  # p_e - p_g from E_A (accurate)
                bloch = math.sqrt(z * z + 4 * v["c2_A"])
                bloch = 0.0 if bloch <= floor else bloch  # (as _vacuum_arrays)
                d["A"]["beta"] = float(_qubit_beta(np, bloch, lam_a[0], wA))
                d["I_AB"] = float(_mixed_mutual(np, bloch, _binary_entropy(lib, lam_b[0]),
                                                d["I_AB"]))
            if p["state_A"] != "plus":
                # no coherence to start from: rho_A is diagonal, rho_B diagonal on Fock 0, 1
                # (structure the ball route uses for exact zeros, symthermo.balls)
                d["A"]["diagonal"] = d["B"]["diagonal"] = True
            if "dE_A" in v:  # float64: E(t) - E(0) in closed form (base._finish), and
                # E = E(0) + that, as the vectorised route
                d["A"]["dE"], d["B"]["dE"] = v["dE_A"], v["dE_B"]
                d["A"]["E"], d["B"]["E"] = v["E0_A"] + v["dE_A"], v["E0_B"] + v["dE_B"]
                d["A"]["above"] = 0.0 if v["above_A"] <= wA * floor else v["above_A"]
            out.append(d)
        return out

    def _assemble(self, lib, wB, e_a, e_b, e_int, lam_a, lam_b, *, pure, s_ab):
        """One time's reduced data; ``lam_b`` a pair (two-valued spectrum) or a list."""
        s_a = _binary_entropy(lib, lam_a[0])
        d_b = {"E": e_b}
        if isinstance(lam_b, tuple):
            s_b = _binary_entropy(lib, lam_b[0])
            d_b["spectrum"] = list(lam_b)
            d_b["beta"] = beta_for_entropy(lib, Oscillator(wB), s_b)
        else:
            d_b["spectrum"] = list(lam_b)
            s_b = entropy_of_spectrum(lib, lam_b)
        i_ab = 2 * s_a if pure else s_a + s_b - s_ab
        return {"A": {"E": e_a, "spectrum": list(lam_a)}, "B": d_b, "E_int": e_int,
                "I_AB": i_ab}

    def _window(self, p, lib):
        digits = _requested_window_digits(lib)
        if lib is FLOAT64:
            # the float64 window does not depend on the working precision, its
            # neglected weight (evaluated by mpmath) only through the last bits
            return self._params_cached(("window", digits, mpmath.mp.prec), p,
                                       lambda: poisson_window(p["alpha"], digits))
        window = poisson_window(p["alpha"], digits)
        return window

    def _float64_amplitudes(self, p, window):
        """fock_amplitudes(alpha, window) as floats, computed once (mpmath) per window."""
        return self._params_cached(("amplitudes", window), p, lambda: [
            float(a) for a in fock_amplitudes(p["alpha"], window)])

    # -- vectorised float64 ----------------------------------------------------
    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` in float64 for all times at once (numpy)."""
        n = len(times)
        if p["state_B"] == "vacuum":
            out = self._vacuum_arrays(p, times)
            out.update({"manifolds": 2, "neglected_weight": 0.0})
        else:
            out = self._coherent_arrays(p, times)
        fn = self._params_cached("semiclassical", p, lambda: _semiclassical_arrays_fn(
            p["omega_A"], p["omega_B"], p["g"], self._alpha_eff(p), p["state_A"]))
        for key, v in zip(_SEMICLASSICAL_KEYS, fn(times)):
            out[key] = column_of(v, n)
        return out

    def _vacuum_arrays(self, p, times):
        fn = self._params_cached("vacuum", p, lambda: _vacuum_arrays_fn(
            p["omega_A"], p["omega_B"], p["g"], p["state_A"]))
        n = len(times)
        e_a, e_b, e_int, z_a, c2_a, det_a, z_b, c2_b, det_b, de_a, de_b, e0_a, e0_b, above_a = (
            column_of(v, n) for v in fn(times))
        # E = E(0) + (E - E(0)): no cancellation where E is small (E_A from |+> or mixed),
        # and E_A - E_g likewise (E_A rounds it away near the ground level)
        e_a, e_b = e0_a + de_a, e0_b + de_b
        omega_a = self._params_cached("omega_A", p, lambda: _num(FLOAT64, p["omega_A"]))
        pure = p["state_A"] != "mixed"
        rate = self._params_cached("fastest", p, lambda: _fastest(FLOAT64, p))
        # the values that vanish quadratically at some time are 0 below the rounding of t
        # there (_time_floor); a row where one of them is such rounding noise, and not 0,
        # is unearned: reference --float64 recomputes it certified (lam_A = 1.5e-32 at
        # t = 157.0796... was printed 0)
        floor = _time_floor(_eps(FLOAT64), rate, times)
        unearned = np.zeros(n, dtype=bool)

        def floored(raw):
            unearned[(raw > 0) & (raw <= floor)] = True
            return np.where(raw <= floor, 0.0, raw)

        lo_a = floored(_two_level_columns(z_a, c2_a, det_a, 0.0)[0])
        lam_a = (lo_a, 1.0 - lo_a)
        if pure:
            lam_b = lam_a
        else:
            lo_b = floored(_two_level_columns(z_b, c2_b, det_b, 0.0)[0])
            lam_b = (lo_b, 1.0 - lo_b)
        omega_b = self._params_cached("omega_B", p, lambda: _num(FLOAT64, p["omega_B"]))
        out = _assemble_columns(omega_b, e_a, e_b, e_int, lam_a, lam_b, pure=pure)
        if not pure:  # the qubit near identity/2: beta_A and I_AB from its Bloch length
            z = 2 * e_a / omega_a  # p_e - p_g from E_A = E_A(0) + increment (accurate)
            # (identity/2 again at g t = pi: the floor, or I_AB was -1e-64)
            bloch = floored(np.sqrt(z * z + 4 * c2_a))
            out["A"]["beta"] = _qubit_beta(np, bloch, lam_a[0], omega_a)
            out["I_AB"] = _mixed_mutual(np, bloch, out["B"]["S"], out["I_AB"])
        # the energies' increments in closed form (no cancellation at small times)
        out["A"]["dE"], out["B"]["dE"] = de_a, de_b
        # p_e (|g> at g t = pi/2: the spectrum's pure |g>, not E_A's 3.7e-33 above it)
        out["A"]["above"] = omega_a * floored(above_a / omega_a)
        out["unearned"] = unearned
        if p["state_A"] != "plus":  # as _vacuum_core: rho_A diagonal, rho_B on Fock 0, 1
            out["A"]["diagonal"] = out["B"]["diagonal"] = True
        return out

    def _coherent_arrays(self, p, times):
        lib = FLOAT64

        def constants():
            wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
            exact = runs_of(p["state_A"])
            runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in exact]
            # t = 0 exactly: |q> (x) |alpha>, as _coherent_initial
            pe0 = _num(lib, sum(w * ce * ce for w, ce, _ in exact))
            cc0 = _num(lib, sum(w * ce * cg for w, ce, cg in exact))
            return wA, wB, g, _num(lib, p["alpha"]), runs, pe0, cc0

        wA, wB, g, alpha, runs, pe0, cc0 = self._params_cached("coherent constants", p,
                                                               constants)
        delta = (wA - wB) / 2
        mixed = len(runs) > 1
        window = self._window(p, lib)
        info = {"manifolds": window.manifolds, "neglected_weight": float(window.neglected)}
        n = len(times)
        nonzero = np.flatnonzero(times != 0)
        e_a = np.full(n, wA * (pe0 - 0.5))
        e_b = np.full(n, wB * alpha * alpha)
        e_int = np.full(n, 2 * g * alpha * cc0)
        # E(t) - E(0) from the increment of p_e (jc_manifolds: no cancellation)
        de_a, de_b = np.zeros(n), np.zeros(n)
        above_a = np.full(n, wA * pe0)
        unearned = np.zeros(n, dtype=bool)
        lo_a = np.full(n, 0.5 if mixed else 0.0)
        hi_a = np.full(n, 0.5 if mixed else 1.0)
        if mixed:
            lam_b = [np.zeros(n), np.zeros(n), np.zeros(n), np.ones(n)]
        if nonzero.size:
            ts = times[nonzero]
            amps = self._float64_amplitudes(p, window)
            if mixed:
                sums = manifold_sums(lib, runs, window, amps, delta, g, ts.tolist(), gram=True)

                def total(parts):
                    out = 0.0
                    for r, run in enumerate(runs):
                        out = out + run.weight * np.asarray(parts[r])
                    return out

                pe, pg, spa = total(sums.pe), total(sums.pg), total(sums.sigma_plus_a)
                reg, rise = total(sums.rho_eg), total(sums.rise)
                # each run's terms share one sign (|e>: -, |g>: +), the runs' may not
                size = total([np.abs(x) for x in sums.rise])
                c2 = np.abs(reg) ** 2
                det = pe * pg - c2
            else:
                setup = self._params_cached(("pure sums", window), p, lambda: PureSumsSetup.of(
                    runs[0], window, amps, delta, g,
                    exact=((p["omega_A"] - p["omega_B"]) / 2, p["g"])))
                pe, pg, re, im, det, spa, rise = pure_sums_arrays(setup, ts)
                w0 = runs[0].weight
                pe, pg, spa, rise = 0.0 + w0 * pe, 0.0 + w0 * pg, 0.0 + w0 * spa, w0 * rise
                size = rise_sizes(setup, ts)  # None: the terms share one sign
                size = np.abs(rise) if size is None else w0 * size
                c2 = np.hypot(w0 * re, w0 * im) ** 2
            norm = pe + pg
            fastest = self._params_cached(("fastest", window), p, lambda: _fastest(
                FLOAT64, p, window))
            floor = None if mixed else _amplitude_floor(fastest, ts, pe * pg / norm**2)
            lo, hi = _two_level_columns((pe - pg) / norm, c2 / norm**2, det / norm**2, floor)
            lo_a[nonzero], hi_a[nonzero] = lo, hi
            gram_ev = None
            ce2 = sum((r.weight * r.c_e * r.c_e for r in runs), 0.0)
            e_int[nonzero] = 2 * g * spa / norm
            # (below the rounding of t, p_e is 0, as lam_-: _vacuum_arrays)
            above = wA * (pe / norm)
            above_a[nonzero] = np.where(above <= wA * _time_floor(
                _eps(FLOAT64), fastest, ts), 0.0, above)
            de_a[nonzero], de_b[nonzero] = wA * (rise / norm), -wB * (rise / norm)
            # E = E(0) + (E - E(0)): no cancellation where E is small (E_A from |+>)
            e_a[nonzero] = e_a[nonzero] + de_a[nonzero]
            e_b[nonzero] = e_b[nonzero] + de_b[nonzero]
            if mixed:
                G = np.asarray(sums.gram)
                ev = np.linalg.eigvalsh(0.5 * G / norm[:, None, None])
                ev = np.sort(np.where(ev > 0, ev, 0.0), axis=1)
                for j in range(4):
                    lam_b[j][nonzero] = ev[:, j]
                gram_ev = ev
            unearned[nonzero] = self._coherent_unearned(
                wA * (pe0 - 0.5), de_a[nonzero], pe / norm, pg / norm, det / norm**2, gram_ev,
                rise, size)
        lam_a = (lo_a, hi_a)
        out = _assemble_columns(wB, e_a, e_b, e_int, lam_a, lam_b if mixed else lam_a,
                                pure=not mixed)
        out["A"]["dE"], out["B"]["dE"] = de_a, de_b
        # E_A - E_g = omega_A p_e without E_A's rounding near E_g (the sums' p_e: positive
        # terms, or from the amplitudes where small)
        out["A"]["above"] = above_a
        out["unearned"] = unearned
        out.update(info)
        return out

    @staticmethod
    def _coherent_unearned(e_a0, de_a, pe, pg, det, lam_b, rise, size):
        """The times (nonzero ones) whose float64 values the sums cannot vouch for to 10
        digits: E_A = E_A(0) + increment far below its terms (the collapse of the qubit's
        inversion: 1e-22 printed as 6e-16), a pure evolution's Gram determinant below
        (8 eps / 1e-10)^2 pe pg (Gram-Schmidt keeps 8 eps (pe pg / det)^(1/2) of it: the
        Schmidt weight of a qubit from |g> at small times), rho_B's small eigenvalues of a
        mixed qubit's evolution below 1e-5 (eigvalsh: absolute eps); the increment of p_e
        below 1e-10 / (16 eps) of ``size``, what it is summed from (terms of both signs:
        a qubit from |+>, alpha = 5, lost 2 digits of E_A at t = 900)."""
        eps = FLOAT64.eps
        e_a = e_a0 + de_a
        out = np.abs(e_a) * 1e-10 < 8 * eps * (abs(e_a0) + np.abs(de_a))
        out |= np.abs(rise) * 1e-10 < 16 * eps * size
        if lam_b is None:
            out |= det < (8 * eps / 1e-10) ** 2 * (pe * pg)
        else:
            small = lam_b[:, :-1]
            out |= (small < 1e-5).any(axis=1)  # (0: a true tiny one lost below eps)
        return out

    def _coherent_core(self, p, times, lib):
        wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
        alpha = _num(lib, p["alpha"])
        delta = (wA - wB) / 2
        runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in
                runs_of(p["state_A"])]
        mixed = len(runs) > 1
        window = self._window(p, lib)
        info = {"manifolds": window.manifolds,
                "neglected_weight": float(window.neglected) if lib is FLOAT64
                else +window.neglected}
        nonzero = [k for k, t in enumerate(times) if t != 0]
        computed = {}
        if nonzero:
            amps = (self._float64_amplitudes(p, window) if lib is FLOAT64
                    else fock_amplitudes(p["alpha"], window))
            sums = manifold_sums(lib, runs, window, amps, delta, g,
                                 [times[k] for k in nonzero], gram=mixed)
            rate = _fastest(lib, p, window) if lib is FLOAT64 else None
            # E_A(0) and E_B(0) exactly (as _coherent_initial), for E = E(0) + (E - E(0))
            pe0 = _num(lib, sum(w * ce * ce for w, ce, _ in runs_of(p["state_A"])))
            start = (wA * (pe0 - lib.one / 2), wB * alpha * alpha)
            for j, k in enumerate(nonzero):
                computed[k] = self._coherent_time(lib, runs, sums, j, wA, wB, g, alpha, mixed,
                                                  times[k], rate, start)
        out = []
        for k, t in enumerate(times):
            out.append(computed[k] if k in computed else
                       self._coherent_initial(lib, runs_of(p["state_A"]), wA, wB, g, alpha,
                                              mixed))
        return out, info

    def _coherent_core_balls(self, p, times, lib):
        """The coherent-field reduced data in balls, with the proven bound of the dropped
        manifolds in every radius (:func:`~symthermo.models.jc_manifolds.ball_pure_sums`).

        The Fock window follows the working precision (10^-(bits/3.3 + 10) of Poisson
        weight), so each step of Ziv's loop widens it: a value that the truncation
        bound keeps from being certified is reported as ``m +/- bound``, never with
        digits the dropped manifolds could change.  A mixed qubit (two runs): rho_B's
        spectrum from the Gram matrix of the runs, its eigenvalues enclosed by flint."""
        from ..balls import ipow, nonnegative  # lazy: loads SymPy, flint
        import flint

        runs = runs_of(p["state_A"])
        mixed = len(runs) > 1
        wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
        alpha = _num(lib, p["alpha"])
        delta = (wA - wB) / 2
        window = poisson_window(p["alpha"], int(flint.ctx.prec * 0.30103) + 10)
        nonzero = [t for t in times if not lib.is_exact_zero(t)]
        balls_runs = [Run(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in runs]
        per_run = []
        for run in balls_runs:
            sums, dropped = ball_pure_sums(lib, run, alpha, delta, g, nonzero, window,
                                           vectors=mixed)
            per_run.append(sums)
        info = {"manifolds": window.manifolds,
                "neglected_weight": _ball_neglected_weight(alpha * alpha, window)}
        ce2 = sum((r.weight * r.c_e * r.c_e for r in balls_runs), lib.zero)
        out, j = [], 0
        for t in times:
            if lib.is_exact_zero(t):
                out.append(self._coherent_initial(lib, runs, wA, wB, g, alpha, mixed))
                continue
            vs = [sums[j] for sums in per_run]
            j += 1
            w = [r.weight for r in balls_runs]
            pe = sum((wr * v["pe"] for wr, v in zip(w, vs)), lib.zero)
            pg = sum((wr * v["pg"] for wr, v in zip(w, vs)), lib.zero)
            re = sum((wr * v["reg_re"] for wr, v in zip(w, vs)), lib.zero)
            im = sum((wr * v["reg_im"] for wr, v in zip(w, vs)), lib.zero)
            spa = sum((wr * v["spa"] for wr, v in zip(w, vs)), lib.zero)
            c2 = nonnegative(ipow(re, 2) + ipow(im, 2))
            lam_a = _two_level(lib, pe - pg, c2, pe * pg - c2)
            e_a = wA * (pe - lib.one / 2)
            e_b = wB * (ce2 + alpha * alpha - pe)
            e_int = 2 * g * spa
            if not mixed:
                out.append(self._assemble(lib, wB, e_a, e_b, e_int, lam_a, lam_a, pure=True,
                                          s_ab=None))
                continue
            lam_b = _ball_gram_spectrum(lib, vs, w)
            out.append(self._assemble(lib, wB, e_a, e_b, e_int, lam_a, lam_b, pure=False,
                                      s_ab=lib.log(2 * lib.one)))
        return out, info

    def _coherent_initial(self, lib, runs, wA, wB, g, alpha, mixed):
        """t = 0 exactly: |q> (x) |alpha>, pure B; E_int = 2 g alpha sum_r w_r c_e c_g."""
        one, zero = lib.one, lib.zero
        # sum_r w_r c_e^2 and sum_r w_r c_e c_g exactly (SymPy), so that E_A(0) = 0 is an exact 0
        pe = _num(lib, sum(w * ce * ce for w, ce, _ in runs))
        cc = _num(lib, sum(w * ce * cg for w, ce, cg in runs))
        e_a = wA * (pe - one / 2)
        e_b = wB * alpha * alpha
        e_int = 2 * g * alpha * cc
        lam_a = (one / 2, one / 2) if mixed else (zero, one)
        if mixed:
            return self._assemble(lib, wB, e_a, e_b, e_int, lam_a, [zero, zero, zero, one],
                                  pure=False, s_ab=lib.log(2 * one))
        return self._assemble(lib, wB, e_a, e_b, e_int, lam_a, (zero, one), pure=True, s_ab=None)

    def _coherent_time(self, lib, runs, sums, j, wA, wB, g, alpha, mixed, t=None, rate=None,
                       start=None):
        zero = lib.zero
        w = [r.weight for r in runs]
        real = float if lib is FLOAT64 else (lambda x: x)
        cplx = complex if lib is FLOAT64 else (lambda x: x)
        pe = sum((w[r] * real(sums.pe[r][j]) for r in range(len(runs))), zero)
        pg = sum((w[r] * real(sums.pg[r][j]) for r in range(len(runs))), zero)
        reg = sum((w[r] * cplx(sums.rho_eg[r][j]) for r in range(len(runs))), zero)
        spa = sum((w[r] * real(sums.sigma_plus_a[r][j]) for r in range(len(runs))), zero)
        c2 = abs(reg) ** 2
        if mixed:
            det = pe * pg - c2
        else:
            det = real(sums.det[0][j])
        norm = pe + pg
        floor = (_amplitude_floor(rate, t, pe * pg / norm**2)
                 if lib is FLOAT64 and not mixed else None)
        lam_a = _two_level(lib, (pe - pg) / norm, c2 / norm**2, det / norm**2, floor)
        ce2 = sum((r.weight * r.c_e * r.c_e for r in runs), zero)
        e_a = wA * (pe / norm - lib.one / 2)
        e_b = wB * (ce2 + alpha * alpha - pe / norm)
        e_int = 2 * g * spa / norm
        if not mixed:
            out = self._assemble(lib, wB, _real(lib, e_a), _real(lib, e_b), _real(lib, e_int),
                                 lam_a, lam_a, pure=True, s_ab=None)
            return self._with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate)
        G = sums.gram[j]
        if lib is FLOAT64:
            ev = [float(x) for x in np.linalg.eigvalsh(0.5 * G / norm)]
        else:
            ev = [mpmath.re(x) for x in mpmath.eigh(G * (mpmath.mpf(1) / 2 / norm),
                                                    eigvals_only=True)]
        ev = sorted(x if x > 0 else lib.zero for x in ev)
        out = self._assemble(lib, wB, _real(lib, e_a), _real(lib, e_b), _real(lib, e_int),
                             lam_a, ev, pure=False, s_ab=lib.log(2 * lib.one))
        return self._with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate)

    @staticmethod
    def _with_increments(out, runs, sums, j, wA, wB, norm, start, pe, t, rate):
        """E(t) - E(0) from the increment of p_e (float64 sums: ``sums.rise``), as the
        vectorised route: W without the cancellation of E(t) - E(0), and E = E(0) + that
        (E_A = 2.3e-21 at t = 1e-9 from |+>, whose E_A(0) = 0, was 0)."""
        if sums.rise is not None:
            rise = sum((r.weight * float(sums.rise[k][j]) for k, r in enumerate(runs)), 0.0)
            out["A"]["dE"], out["B"]["dE"] = wA * (rise / norm), -wB * (rise / norm)
            out["A"]["E"] = start[0] + out["A"]["dE"]
            out["B"]["E"] = start[1] + out["B"]["dE"]
            above = wA * (pe / norm)  # as the vectorised route
            out["A"]["above"] = 0.0 if above <= wA * _time_floor(_eps(FLOAT64), rate, t) \
                else above
        return out

    def _semiclassical_values(self, p, times, lib):
        fns = _semiclassical_compiled(p["omega_A"], p["omega_B"], p["g"], self._alpha_eff(p),
                                      p["state_A"], lib)
        return {k: fn(times) for k, fn in fns.items()}

    # -- propagator route ----------------------------------------------------
    def dynamics(self, p, *, lib):
        """The joint system on a truncated Fock space.

        Vacuum: cutoff 2 (at most one excitation, |2> stays empty; the base's
        leak check verifies it).  Coherent: the Fock window of
        :func:`~symthermo.models.jc_manifolds.poisson_window` plus one level
        (dense, so only for small alpha: ``propagate(..., route="dense")``).
        """
        wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
        rho_a = sum((w * sympy.Matrix([ce, cg]) * sympy.Matrix([[ce, cg]])
                     for w, ce, cg in runs_of(p["state_A"])), sympy.zeros(2))
        if p["state_B"] == "vacuum":
            n_max = VACUUM_FOCK_CUTOFF
            H, V = _operators(wA, wB, g, n_max)
            vac = sympy.zeros(n_max + 1)
            vac[0, 0] = 1
            return Dynamics(dims=[2, n_max + 1], hamiltonian=H, coupling=V,
                            initial_state=sympy.kronecker_product(rho_a, vac),
                            local_hamiltonians=self.local_hamiltonians(p))
        window = self._window(p, lib)
        n_max = window.n_hi + 1
        amps = fock_amplitudes(p["alpha"], window)
        H, V = _numeric_operators(lib, _num(lib, wA), _num(lib, wB), _num(lib, g), n_max)
        psi = [lib.zero] * (n_max + 1)
        for k, a in enumerate(amps):
            psi[window.n_lo + k] = float(a) if lib is FLOAT64 else a
        field = lib.matrix([[x * y for y in psi] for x in psi]) if lib is not FLOAT64 else \
            np.outer(np.array(psi, dtype=complex), np.array(psi, dtype=complex))
        rho0 = lib.kron(lib.as_matrix(rho_a), lib.as_matrix(field) if lib is FLOAT64 else field)
        return Dynamics(dims=[2, n_max + 1], hamiltonian=H, coupling=V, initial_state=rho0,
                        local_hamiltonians=self.local_hamiltonians(p))

    def propagate(self, p, times, *, lib, convention="received", route=None):
        """Rows of the propagator route.

        Vacuum: the base's dense propagation (Fock cutoff 2).  Coherent:
        ``route="blocks"`` (default) exponentiates each 2x2 block of the
        Fock window numerically (eigendecomposition, no closed form) and
        reduces the joint state vector by generic sums; ``route="dense"``
        propagates the dense truncated system (small alpha only).
        """
        check_convention(convention)
        if route is None:
            route = "dense" if p["state_B"] == "vacuum" else "blocks"
        if route == "dense":
            rows = super().propagate(p, times, lib=lib, convention=convention)
            return self._signed(rows, convention)
        if route != "blocks":
            raise ValueError(f"route must be 'dense' or 'blocks', got {route!r}")
        rows = block_rows(self, p, times, lib=lib, convention=convention)
        return self._signed(rows, convention)

    def propagated_extras(self, p, rows, *, lib):
        ts = [row["t"] for row in rows]
        sc = semiclassical_numeric(p, ts, lib=lib, alpha=self._alpha_eff(p))
        window = self._window(p, lib) if p["state_B"] == "coherent" else None
        out = []
        for k in range(len(rows)):
            extra = {key: sc[key][k] for key in sc}
            if window is None:
                extra.update({"manifolds": 2, "neglected_weight": lib.zero})
            else:
                extra.update({"manifolds": window.manifolds,
                              "neglected_weight": float(window.neglected) if lib is FLOAT64
                              else +window.neglected})
            out.append(extra)
        return out


_SEMICLASSICAL_KEYS = ("W_A_semiclassical", "W_st", "E_int_semiclassical")


@functools.lru_cache(maxsize=64)
def _semiclassical_arrays_fn(omega_A, omega_B, g, alpha, state_A):
    """numpy t -> (W_A_semiclassical, W_st, E_int_semiclassical), the expressions of
    _semiclassical_compiled lambdified together."""
    from .base import T  # lazy (PEP 562)
    sc = semiclassical_forms(omega_A, omega_B, g, alpha, state_A)
    return _lambdify_arrays([sc["U_A"] - sc["U_A"].subs(T, 0), sc["W_st"], sc["E_int"]])


@functools.lru_cache(maxsize=64)
def _vacuum_arrays_fn(omega_A, omega_B, g, state_A):
    """numpy t -> the vacuum closed forms of _vacuum_compiled, lambdified together."""
    f = vacuum_forms(omega_A, omega_B, g, state_A)
    return _lambdify_arrays([f[k] for k in ("E_A", "E_B", "E_int", "z_A", "c2_A", "det_A",
                                            "z_B", "c2_B", "det_B")]
                            + _vacuum_increments(f) + [_vacuum_above(f, omega_A)])


def _vacuum_increments(f):
    """E_A(t) - E_A(0) and E_B(t) - E_B(0) of :func:`vacuum_forms` ``f``, with cos^2
    written 1 - sin^2: sums of sin^2 terms, which vanish at small times without
    cancellation (E_A - E_A(0) = -sin^2(g t) at resonance); then E_A(0), E_B(0)."""
    from sympy.simplify.fu import TR6

    from .base import T  # lazy (PEP 562)
    energies = (sympy.sympify(f["E_A"]), sympy.sympify(f["E_B"]))
    return ([sympy.expand(TR6(sympy.expand(e - e.subs(T, 0)))) for e in energies]
            + [e.subs(T, 0) for e in energies])


def _vacuum_above(f, omega_A):
    """E_A - E_g = omega_A p_e, p_e = rho_A[e, e] as vacuum_forms keeps it: a sum of
    positive terms (C^2 + delta^2 S^2 for |e>), so a qubit near |g> keeps the relative
    precision of p_e (E_A + omega_A/2 rounds it away: ergotropy_A of |+> at
    t = 157 had 10.0 digits)."""
    return omega_A * f["rho_A"][0, 0]


def _lambdify_arrays(exprs):
    from .base import T  # lazy (PEP 562)
    exprs = [sympy.sympify(e) for e in exprs]
    for e in exprs:
        if e.free_symbols - {T}:
            raise ValueError(f"{e} still depends on {sorted(map(str, e.free_symbols - {T}))}; "
                             "give numeric values")
    fn = numpy_lambdify(T, exprs, cse=True)

    def at(ts):
        return [np.real(v) if np.iscomplexobj(v) else v for v in fn(ts)]

    return at


def _two_level_columns(z, c2, det, floor=None):
    """:func:`_two_level` in float64 for arrays: (lam_-, lam_+)."""
    s = np.sqrt(np.maximum(z * z + 4 * c2, 0.0))
    lm = 2 * np.maximum(det, 0.0) / (1 + s)
    lm = np.where(lm <= (np.finfo(float).eps ** 1.5 if floor is None else floor), 0.0, lm)
    return lm, 1.0 - lm


def _qubit_beta(xp, bloch, lo, omega):
    """beta = ln(hi/lo)/omega of a qubit with Bloch length ``bloch`` = hi - lo: 2 artanh(bloch)
    near the maximally mixed state (lo and hi both ~1/2: their difference is not taken),
    log1p(-lo) - ln lo from the accurate lo elsewhere (``xp``: numpy)."""
    with xp.errstate(divide="ignore"):  # lo = 0: beta = inf
        return xp.where(bloch < 0.5, 2 * xp.arctanh(xp.minimum(bloch, 0.5)),
                        xp.log1p(-lo) - xp.log(lo)) / omega


def _mixed_mutual(xp, bloch, s_b, i_ab):
    """I_AB = S_A + S_B - ln 2 of a mixed qubit's evolution (the joint state has entropy
    ln 2) as S_B - (ln 2 - S_A), ln 2 - S_A = f(r)/2 = r artanh(r) + ln(1 - r^2)/2 (r the
    Bloch length): no cancellation about ln 2 near identity/2 (I_AB was 0 at t = 1e-9 for
    2.6e-21); ``i_ab`` (the direct sum) where r >= 1/2."""
    r = xp.minimum(bloch, 0.5)
    return xp.where(bloch < 0.5, s_b - (r * xp.arctanh(r) + xp.log1p(-r * r) / 2), i_ab)


def _fastest(lib, p, window=None):
    """omega_A + omega_B + Omega_n (Omega_n^2 = delta^2 + g^2 (n + 1), n = 0 for the vacuum,
    the window's last block for a coherent field): a bound on every frequency in the
    closed forms or manifold sums (their phases, cos(Omega_k t), sin(Omega_k t))."""
    wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
    delta = (wA - wB) / 2
    top = g * g * (1 if window is None else window.n_hi + 1)
    return abs(wA) + abs(wB) + (delta * delta + top) ** 0.5 if lib is FLOAT64 else \
        abs(wA) + abs(wB) + mpmath.sqrt(delta * delta + top)


def _amplitude_floor(rate, t, pe_pg):
    """The rounding of lam_- from float64 manifold sums of one pure evolution: the
    Gram determinant pe pg - |rho_eg|^2, by Gram-Schmidt where it cancels, keeps its
    relative precision until the perpendicular part of the smaller amplitude vector is
    at rounding level, det ~ (8 eps)^2 pe pg; plus the rounding of t (:func:`_time_floor`).
    (eps^(3/2) = 3e-24 before: a field's lam_- = 1e-28 at t = 1e-12 was taken as 0.)"""
    eps = _eps(FLOAT64)
    return _time_floor(eps, rate, t) + (8 * eps) ** 2 * pe_pg


def _time_floor(eps, rate, t):
    """The rounding of lam_- at time t (numbers or arrays) in the vacuum closed forms: a
    pure state's lam_- is quadratic in the distance to it, and t is known to eps |t|
    only (sin(Omega t) to eps Omega |t|); elsewhere the closed forms (det a sum of
    squared minors) keep their relative precision, so lam_- = 1e-28 at t = 1e-12 stays
    (below eps^(3/2) = 3e-24 it was taken as 0)."""
    x = 8 * eps * rate * abs(t)
    return x * x


def _binary_entropy_columns(lm):
    """:func:`_binary_entropy` for arrays."""
    return np.where(lm == 0, 0.0, -xlogx_columns(lm) - (1 - lm) * np.log1p(-lm))


def _assemble_columns(wB, e_a, e_b, e_int, lam_a, lam_b, *, pure):
    """JaynesCummings._assemble for arrays; ``lam_b`` a pair (two-valued spectrum)
    or a list of four arrays (ascending)."""
    s_a = _binary_entropy_columns(lam_a[0])
    d_b = {"E": e_b}
    if isinstance(lam_b, tuple):
        # beta_B, E^th_B from lam_- by the finishing (base._oscillator_pair); a pure global
        # state gives B A's spectrum (Schmidt), so its entropy
        s_b = s_a if pure else _binary_entropy_columns(lam_b[0])
        d_b["spectrum"] = list(lam_b)
        d_b["S"] = s_b
    else:
        d_b["spectrum"] = list(lam_b)
        s_b = entropy_columns(lam_b)
    i_ab = 2 * s_a if pure else s_a + s_b - math.log(2.0)
    return {"A": {"E": e_a, "spectrum": list(lam_a)}, "B": d_b, "E_int": e_int,
            "I_AB": i_ab}


def _real(lib, x):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    if lib is FLOAT64:
        return float(np.real(x))
    if lib is BALLS:
        return lib.real_value(x)
    return mpmath.re(x)


def _time(lib, t):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    if lib is FLOAT64:
        return float(t)
    if lib is BALLS:
        return lib.number(t)
    if isinstance(t, sympy.Basic):
        return mpmath.mpmathify(sympy.N(t, mpmath.mp.dps + 5))
    return mpmath.mpf(t) if not isinstance(t, mpmath.mpf) else t


def _spectrum_expr(z, c2):
    s = sympy.sqrt(z**2 + 4 * c2)
    return [(1 - s) / 2, (1 + s) / 2]


def _h(x):
    return -x * sympy.log(x) - (1 - x) * sympy.log(1 - x)


def _annihilation(n_max):
    return sympy.Matrix(n_max + 1, n_max + 1, lambda i, j: sympy.sqrt(j) if i == j - 1 else 0)


def _operators(omega_A, omega_B, g, n_max):
    """Joint H and V on qubit (e, g) x Fock |0..n_max> (SymPy)."""
    from .jaynes_cummings import SIGMA_MINUS, SIGMA_PLUS, SIGMA_Z  # lazy (PEP 562)
    a = _annihilation(n_max)
    one = sympy.eye(n_max + 1)
    kron = sympy.kronecker_product
    V = g * (kron(SIGMA_PLUS, a) + kron(SIGMA_MINUS, a.T))
    H = kron(omega_A / 2 * SIGMA_Z, one) + kron(sympy.eye(2), omega_B * a.T * a) + V
    return H, V


def _numeric_operators(lib, wA, wB, g, n_max):
    d = n_max + 1
    if lib is FLOAT64:
        a = np.diag(np.sqrt(np.arange(1, d, dtype=float)), 1)
        sz = np.diag([1.0, -1.0])
        sp_ = np.array([[0.0, 1.0], [0.0, 0.0]])
        V = g * (np.kron(sp_, a) + np.kron(sp_.T, a.T))
        H = np.kron(wA / 2 * sz, np.eye(d)) + np.kron(np.eye(2), wB * a.T @ a) + V
        return H.astype(complex), V.astype(complex)
    n = 2 * d
    H = mpmath.zeros(n)
    V = mpmath.zeros(n)
    for q, sgn in ((0, 1), (1, -1)):
        for m in range(d):
            H[q * d + m, q * d + m] = sgn * wA / 2 + wB * m
    for m in range(1, d):
        # sigma_+ a |g, m> = sqrt(m) |e, m-1>
        x = g * mpmath.sqrt(m)
        V[0 * d + m - 1, 1 * d + m] = x
        V[1 * d + m, 0 * d + m - 1] = x
    return H + V, V


# --------------------------------------------------------------------------
# compiled closed forms
# --------------------------------------------------------------------------

def _compile(expr, lib):
    from ..balls import BALLS, ball_lambdify  # lazy: loads SymPy, flint
    from .base import T  # lazy (PEP 562)
    expr = sympy.sympify(expr)
    if expr.free_symbols - {T}:
        raise ValueError(f"{expr} still depends on {sorted(map(str, expr.free_symbols - {T}))}; "
                         "give numeric values")
    if lib is FLOAT64:
        fn = numpy_lambdify(T, expr)

        def vec(ts):
            values = np.broadcast_to(np.asarray(fn(np.asarray(ts, dtype=float)), dtype=float),
                                     (len(ts),))
            return [float(v) for v in values]

        return vec
    if lib is BALLS:
        fb = ball_lambdify(T, expr)
        return lambda ts: [lib.real_value(fb(t)) for t in ts]
    fn = sympy.lambdify(T, expr, modules="mpmath")

    def each(ts):
        return [mpmath.re(mpmath.mpmathify(fn(t))) for t in ts]

    return each


@functools.lru_cache(maxsize=128)
def _vacuum_compiled_cached(key, omega_A, omega_B, g, state_A, libname):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    lib = {FLOAT64.name: FLOAT64, BALLS.name: BALLS}.get(libname, MPMATH)
    f = vacuum_forms(omega_A, omega_B, g, state_A)
    keys = ("E_A", "E_B", "E_int", "z_A", "c2_A", "det_A", "z_B", "c2_B", "det_B")
    out = {k: _compile(f[k], lib) for k in keys}
    if lib is FLOAT64:  # the increments, as the vectorised route (_vacuum_arrays_fn)
        out["dE_A"], out["dE_B"], out["E0_A"], out["E0_B"] = (
            _compile(e, lib) for e in _vacuum_increments(f))
        out["above_A"] = _compile(_vacuum_above(f, omega_A), lib)
    return out


def _vacuum_compiled(omega_A, omega_B, g, state_A, lib):
    return _vacuum_compiled_cached(_key(omega_A, omega_B, g) + (state_A,), omega_A, omega_B, g,
                                   state_A, lib.name)


@functools.lru_cache(maxsize=128)
def _semiclassical_compiled_cached(key, omega_A, omega_B, g, alpha, state_A, libname):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    from .base import T  # lazy (PEP 562)
    lib = {FLOAT64.name: FLOAT64, BALLS.name: BALLS}.get(libname, MPMATH)
    sc = semiclassical_forms(omega_A, omega_B, g, alpha, state_A)
    return {"W_A_semiclassical": _compile(sc["U_A"] - sc["U_A"].subs(T, 0), lib),
            "W_st": _compile(sc["W_st"], lib),
            "E_int_semiclassical": _compile(sc["E_int"], lib)}


def _semiclassical_compiled(omega_A, omega_B, g, alpha, state_A, lib):
    return _semiclassical_compiled_cached(_key(omega_A, omega_B, g, alpha) + (state_A,),
                                          omega_A, omega_B, g, alpha, state_A, lib.name)


# --------------------------------------------------------------------------
# the propagator route for a coherent field: numeric 2x2 blocks
# --------------------------------------------------------------------------

def _numeric_block(lib, k, wA, wB, g):
    """H on span{|e,k>, |g,k+1>}, entry by entry from the operators' action."""
    sq = math.sqrt(k + 1) if lib is FLOAT64 else mpmath.sqrt(k + 1)
    return [[wA / 2 + k * wB, g * sq], [g * sq, -wA / 2 + (k + 1) * wB]]


def block_rows(model, p, times, *, lib, convention="received"):
    """Rows of the coherent-field propagator route (see :meth:`JaynesCummings.propagate`).

    Each 2x2 block of the Fock window is diagonalised numerically and
    exp(-i H_k t) = Q diag(e^{-i E t}) Q^T applied to the initial amplitudes,
    global phases included; the joint state vector psi(q, m) is then
    reduced by generic sums (rho_A by the partial trace, E_B = omega_B
    sum m |psi|^2, E_int = <psi|V|psi>), the non-zero spectrum of rho_B by
    the eigenvalues of the Gram matrix of its columns, and small
    eigenvalues of a pure rho_A by Gram-Schmidt.
    """
    ts = [_time(lib, t) for t in times]
    wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
    runs = [(_num(lib, w), _num(lib, ce), _num(lib, cg)) for w, ce, cg in runs_of(p["state_A"])]
    window = model._window(p, lib)
    amps = fock_amplitudes(p["alpha"], window)
    amps = [float(a) for a in amps] if lib is FLOAT64 else amps
    lo, hi = window.n_lo, window.n_hi

    def f(m):
        return amps[m - lo] if lo <= m <= hi else lib.zero

    blocks = list(window.blocks)
    if lib is FLOAT64:
        Hs = np.array([_numeric_block(lib, k, wA, wB, g) for k in blocks], dtype=float)
        E, Q = np.linalg.eigh(Hs)
    else:
        eig = [mpmath.eigsy(mpmath.matrix(_numeric_block(lib, k, wA, wB, g))) for k in blocks]
    all_t = [lib.zero] + ts
    states = []  # per time: per run (psi_e, psi_g) over m = 0 .. hi + 1
    for t in all_t:
        per_run = []
        for w, ce, cg in runs:
            psi_e = [0j if lib is FLOAT64 else mpmath.mpc(0)] * (hi + 2)
            psi_g = list(psi_e)
            if window.has_singlet:
                psi_g[0] = cg * f(0) * (np.exp(1j * wA / 2 * t) if lib is FLOAT64
                                        else mpmath.expj(wA / 2 * t))
            if lib is FLOAT64:
                a0 = np.array([ce * f(k) for k in blocks])
                b0 = np.array([cg * f(k + 1) for k in blocks])
                proj = Q[:, 0, :] * a0[:, None] + Q[:, 1, :] * b0[:, None]  # (K, l)
                ph = np.exp(-1j * E * t)
                A = np.sum(Q[:, 0, :] * proj * ph, axis=1)
                B = np.sum(Q[:, 1, :] * proj * ph, axis=1)
                for j, k in enumerate(blocks):
                    psi_e[k] = A[j]
                    psi_g[k + 1] = B[j]
            else:
                for (Ek, Qk), k in zip(eig, blocks):
                    a0, b0 = ce * f(k), cg * f(k + 1)
                    A = B = mpmath.mpc(0)
                    for l in range(2):
                        pr = Qk[0, l] * a0 + Qk[1, l] * b0
                        if pr == 0:
                            continue
                        ph = mpmath.expj(-Ek[l] * t) * pr
                        A += Qk[0, l] * ph
                        B += Qk[1, l] * ph
                    psi_e[k] = A
                    psi_g[k + 1] = B
            per_run.append((w, psi_e, psi_g))
        states.append(per_run)
    sc = semiclassical_numeric(p, all_t, lib=lib, alpha=model._alpha_eff(p))
    info = {"manifolds": window.manifolds,
            "neglected_weight": float(window.neglected) if lib is FLOAT64 else +window.neglected}
    data = []
    for k, per_run in enumerate(states):
        d = _reduce_pure_mixture(lib, per_run, wA, wB, g)
        d.update(info)
        for key in sc:
            d[key] = sc[key][k]
        data.append(d)
    locals_ = model._local_systems(p, lib)
    return [model._finish(locals_, data[0], d, t, lib, convention) for t, d in zip(ts, data[1:])]


def _dot(lib, x, y):
    """sum conj(x) y."""
    if lib is FLOAT64:
        return complex(np.vdot(np.asarray(x), np.asarray(y)))
    xr, xi = [a.real for a in x], [a.imag for a in x]
    yr, yi = [b.real for b in y], [b.imag for b in y]
    return mpmath.mpc(mpmath.fdot(xr, yr) + mpmath.fdot(xi, yi),
                      mpmath.fdot(xr, yi) - mpmath.fdot(xi, yr))


def _weighted_norm(lib, weights, x):
    """sum_m weights[m] |x_m|^2."""
    if lib is FLOAT64:
        return float(np.sum(np.asarray(weights) * np.abs(np.asarray(x)) ** 2))
    xr, xi = [a.real for a in x], [a.imag for a in x]
    return (mpmath.fdot([w * a for w, a in zip(weights, xr)], xr)
            + mpmath.fdot([w * a for w, a in zip(weights, xi)], xi))


def _reduce_pure_mixture(lib, per_run, wA, wB, g):
    """Reduced data of sum_r w_r |psi_r><psi_r| given each psi_r(q, m), generically."""
    zero = lib.zero
    rho = [[zero, zero], [zero, zero]]
    e_b = zero
    e_int = zero
    cols = []
    for w, x, y in per_run:
        n = len(x)
        rho[0][0] += w * _real(lib, _dot(lib, x, x))
        rho[1][1] += w * _real(lib, _dot(lib, y, y))
        rho[0][1] += w * _dot(lib, y, x)  # <e|rho|g> = sum_m psi(e,m) conj(psi(g,m))
        # E_B = omega_B sum_m m |psi(q,m)|^2 ; E_int = <psi| g (sigma_+ a + h.c.) |psi>
        #     = 2 g Re sum_m sqrt(m) conj(psi(e,m-1)) psi(g,m)
        ms = list(range(n)) if lib is FLOAT64 else [mpmath.mpf(m) for m in range(n)]
        e_b += w * wB * (_weighted_norm(lib, ms, x) + _weighted_norm(lib, ms, y))
        roots = [lib.sqrt(m) for m in ms[1:]]
        e_int += w * 2 * g * _real(lib, _dot(lib, x[:-1], [r * b for r, b in zip(roots, y[1:])]))
        scale = lib.sqrt(w) if lib is not FLOAT64 else math.sqrt(w)
        cols.append([scale * v for v in x])
        cols.append([scale * v for v in y])
    rho[1][0] = rho[0][1].conjugate() if lib is FLOAT64 else mpmath.conj(rho[0][1])
    e_a = wA / 2 * (rho[0][0] - rho[1][1])
    if len(per_run) == 1:
        _, x, y = per_run[0]
        det = _gram_schmidt_det(lib, x, y)
        z = rho[0][0] - rho[1][1]
        c2 = abs(rho[0][1]) ** 2
        lam = _two_level(lib, z, c2, det)
        s = entropy_of_spectrum(lib, list(lam))
        return {"A": {"E": e_a, "spectrum": list(lam)}, "B": {"E": e_b, "spectrum": list(lam)},
                "E_int": e_int, "I_AB": 2 * s}
    ra = lib.as_matrix([[rho[0][0], rho[0][1]], [rho[1][0], rho[1][1]]]) if lib is FLOAT64 else \
        mpmath.matrix([[rho[0][0], rho[0][1]], [rho[1][0], rho[1][1]]])
    lam_a = _clean(lib, lib.eigvalsh(ra))
    n = len(cols)
    G = lib.zeros(n)
    for i in range(n):
        for j in range(n):
            G[i, j] = _dot(lib, cols[i], cols[j])
    lam_b = _clean(lib, lib.eigvalsh(G))
    joint = lib.zeros(len(per_run))
    for i, (wi, xi, yi) in enumerate(per_run):
        for j, (wj, xj, yj) in enumerate(per_run):
            joint[i, j] = lib.sqrt(wi * wj) * (_dot(lib, xi, xj) + _dot(lib, yi, yj))
    lam_ab = _clean(lib, lib.eigvalsh(joint))
    i_ab = (entropy_of_spectrum(lib, lam_a) + entropy_of_spectrum(lib, lam_b)
            - entropy_of_spectrum(lib, lam_ab))
    return {"A": {"E": e_a, "spectrum": lam_a}, "B": {"E": e_b, "spectrum": lam_b},
            "E_int": e_int, "I_AB": i_ab}


def _clean(lib, values):
    return sorted(v if v > 0 else lib.zero for v in values)


def _gram_schmidt_det(lib, x, y):
    """|u|^2 |v - (u.v/|u|^2) u|^2 (u the shorter vector), orthogonalised twice."""
    nx, ny = _real(lib, _dot(lib, x, x)), _real(lib, _dot(lib, y, y))
    u, v, nu = (x, y, nx) if nx <= ny else (y, x, ny)
    if nu == 0:
        return lib.zero
    if lib is FLOAT64:
        u, v = np.asarray(u), np.asarray(v)
        for _ in range(2):
            v = v - (np.vdot(u, v) / nu) * u
        return nu * float(np.vdot(v, v).real)
    with mpmath.extraprec(32):
        v = list(v)
        for _ in range(2):
            c = _dot(lib, u, v) / nu
            v = [b - c * a for a, b in zip(u, v)]
        return +(nu * _real(lib, _dot(lib, v, v)))


def semiclassical_numeric(p, times, *, lib, alpha):
    """W_A_semiclassical, W_st, E_int_semiclassical by numeric propagation and quadrature.

    The qubit is propagated in the frame rotating at omega_B (H_rot = delta
    sigma_z + g alpha sigma_x, diagonalised numerically) and brought back to
    the lab frame; W_st = int_0^t Tr[rho_A dH_eff/dt] dt by quadrature
    (scipy in float64, mpmath.quad otherwise), E_int = Tr[rho_A (H_eff - H_A)].
    """
    wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
    a = _num(lib, alpha)
    ga = g * a
    delta = (wA - wB) / 2
    rho0 = sum((w * sympy.Matrix([ce, cg]) * sympy.Matrix([[ce, cg]])
                for w, ce, cg in runs_of(p["state_A"])), sympy.zeros(2))
    rho0 = [[_num(lib, rho0[i, j]) for j in range(2)] for i in range(2)]
    if lib is FLOAT64:
        E, Q = np.linalg.eigh(np.array([[delta, ga], [ga, -delta]], dtype=float))
        R0 = np.array(rho0, dtype=complex)
        expi = lambda x: np.exp(1j * x)  # noqa: E731
    else:
        E, Q = mpmath.eigsy(mpmath.matrix([[delta, ga], [ga, -delta]]))
        R0 = mpmath.matrix(rho0)
        expi = mpmath.expj

    if lib is not FLOAT64:
        q = [[Q[i, j] for j in range(2)] for i in range(2)]
        e = [E[0], E[1]]

    def rho_lab(t):
        """(p_e, p_g, <e|rho|g>) in the lab frame: rho_lab = R^dag rho_rot R,
        R = diag(e^{i omega_B t/2}, e^{-i omega_B t/2})."""
        if lib is FLOAT64:
            U = Q @ np.diag(np.exp(-1j * E * t)) @ Q.T
            r = U @ R0 @ U.conj().T
            return r[0, 0].real, r[1, 1].real, r[0, 1] * np.exp(-1j * wB * t)
        ph = [mpmath.expj(-e[0] * t), mpmath.expj(-e[1] * t)]
        U = [[q[i][0] * q[j][0] * ph[0] + q[i][1] * q[j][1] * ph[1] for j in range(2)]
             for i in range(2)]
        UR = [[U[i][0] * R0[0, j] + U[i][1] * R0[1, j] for j in range(2)] for i in range(2)]

        def r(i, j):
            return UR[i][0] * mpmath.conj(U[j][0]) + UR[i][1] * mpmath.conj(U[j][1])

        return mpmath.re(r(0, 0)), mpmath.re(r(1, 1)), r(0, 1) * mpmath.expj(-wB * t)

    def energy(t):
        p_e, p_g, _ = rho_lab(t)
        return wA / 2 * (p_e - p_g)

    def coupling(t):
        # Tr[rho (g a e^{-i wB t} sigma_+ + h.c.)] = 2 g a Re(rho_ge e^{-i wB t})
        _, _, c = rho_lab(t)
        return 2 * ga * _real(lib, (c.conjugate() if lib is FLOAT64 else mpmath.conj(c))
                              * expi(-wB * t))

    def rate(t):
        # dH_eff/dt = g a (-i wB e^{-i wB t} sigma_+ + h.c.)
        _, _, c = rho_lab(t)
        cc = c.conjugate() if lib is FLOAT64 else mpmath.conj(c)
        return 2 * ga * _real(lib, cc * (-1j if lib is FLOAT64 else -mpmath.j) * wB
                              * expi(-wB * t))

    u0 = energy(lib.zero)
    out = {"W_A_semiclassical": [], "W_st": [], "E_int_semiclassical": []}
    for t in times:
        out["W_A_semiclassical"].append(energy(t) - u0)
        out["E_int_semiclassical"].append(coupling(t))
        if ga == 0 or t == 0:
            out["W_st"].append(lib.zero)
            continue
        # the lab-frame phases cancel in Tr[rho dH/dt]: the integrand oscillates at the
        # Rabi frequency |E_0 - E_1| only; one piece per half period
        pieces = int(math.ceil(float(t * abs(E[0] - E[1]) / math.pi))) + 1
        if lib is FLOAT64:
            from scipy.integrate import quad

            edges = np.linspace(0.0, float(t), pieces + 1)
            total = 0.0
            for lo_, hi_ in zip(edges[:-1], edges[1:]):
                total += quad(rate, lo_, hi_, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
            out["W_st"].append(total)
        else:
            edges = [t * k / pieces for k in range(pieces + 1)]
            out["W_st"].append(mpmath.quad(rate, edges, method="gauss-legendre"))
    return out


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    SIGMA_Z = sympy.diag(1, -1)
    SIGMA_PLUS = sympy.Matrix([[0, 1], [0, 0]])  # |e><g|
    SIGMA_MINUS = SIGMA_PLUS.T
    return {'SIGMA_MINUS': SIGMA_MINUS, 'SIGMA_PLUS': SIGMA_PLUS, 'SIGMA_Z': SIGMA_Z}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('SIGMA_MINUS', 'SIGMA_PLUS', 'SIGMA_Z'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
