"""The semiclassical (undepleted mean-field) Jaynes-Cummings work (SL26 Sec. III A).

The qubit is driven by the classical field alpha e^{-i omega_B t}, which
stays undepleted: :func:`semiclassical_forms` solves it exactly in the frame
rotating at omega_B (SymPy), lambdified for the vectorised float64 route
(:func:`_semiclassical_arrays_fn`) and compiled per number system for the
row route (:func:`_semiclassical_compiled`); :func:`semiclassical_numeric`
gets the same keys by numeric propagation and quadrature (the propagator
route).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .jc_manifolds import cayley_hamilton
from .jc_numbers import _compile, _lambdify_arrays, _num, _real
from .jc_qubit import _conj, _key, runs_of
from ..lazy import lazy_import
from ..numbers import FLOAT64, MPMATH

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["semiclassical_forms", "semiclassical_numeric"]


_SEMICLASSICAL_KEYS = ("W_A_semiclassical", "W_st", "E_int_semiclassical")


@functools.lru_cache(maxsize=64)
def _semiclassical_cached(key, omega_A, omega_B, g, alpha, state_A):
    # derived from the values the key names (SymPy numbers): a Python 1 and
    # Integer(1) share the key, and 1/2 must not become the float 0.5
    omega_A, omega_B, g, alpha = (sympy.sympify(v) for v in (omega_A, omega_B, g, alpha))
    return _semiclassical_derivation(omega_A, omega_B, g, alpha, state_A)


def semiclassical_forms(omega_A, omega_B, g, alpha, state_A):
    """U_A(t), E_int(t), W_st(t) of the qubit driven by the undepleted field alpha e^{-i omega_B t}.

    Returns a dict with ``H_rot`` (rotating-frame Hamiltonian, checked),
    ``rho`` (the qubit in the rotating frame), ``U_A``, ``E_int``, ``W_st``
    (SymPy in ``T``), ``integrand`` (Tr[rho dH_eff/dt]) and ``W_MCA_rate``
    (the MCA work rate -i Tr{[H_A, H_eff - H_A] rho}, SL26 Eq. 23).

    >>> import sympy
    >>> from symthermo.models.jc_semiclassical import semiclassical_forms
    >>> sc = semiclassical_forms(1, 1, sympy.Rational(1, 100), 30, "ground")
    >>> sc["W_st"], sc["E_int"]
    (sin(3*t/10)**2, 0)
    """
    return _semiclassical_cached(_key(omega_A, omega_B, g, alpha) + (state_A,),
                                 omega_A, omega_B, g, alpha, state_A)


def _semiclassical_derivation(omega_A, omega_B, g, alpha, state_A):
    from .base import T  # lazy (PEP 562)
    from .jc_qubit import SIGMA_MINUS, SIGMA_PLUS, SIGMA_Z  # lazy (PEP 562)
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


@functools.lru_cache(maxsize=64)
def _semiclassical_arrays_fn(omega_A, omega_B, g, alpha, state_A):
    """numpy t -> (W_A_semiclassical, W_st, E_int_semiclassical), the expressions of
    _semiclassical_compiled lambdified together."""
    from .base import T  # lazy (PEP 562)
    sc = semiclassical_forms(omega_A, omega_B, g, alpha, state_A)
    return _lambdify_arrays([sc["U_A"] - sc["U_A"].subs(T, 0), sc["W_st"], sc["E_int"]])


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
