"""The vacuum-field Jaynes-Cummings model in closed form (SymPy) and its compiled forms.

With the mode in its vacuum only the singlet |g,0> and the block
{|e,0>, |g,1>} take part, so every reduced quantity is a finite closed form
(:func:`vacuum_forms`, derived from the amplitudes without
``sympy.simplify``).  The same forms are lambdified together for the
vectorised float64 route (:func:`_vacuum_arrays_fn`, with the energies'
increments E(t) - E(0) free of cancellation) and compiled per number system
for the row route (:func:`_vacuum_compiled`).
"""

from __future__ import annotations

import functools

from .jc_manifolds import apply_hamiltonian, cayley_hamilton, ground_singlet_energy, manifold_block
from .jc_numbers import _compile, _lambdify_arrays
from .jc_qubit import _QUBIT, _conj, _key, runs_of
from ..lazy import lazy_import
from ..numbers import FLOAT64, MPMATH

sympy = lazy_import("sympy")

__all__ = ["vacuum_forms"]


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
    # derived from the values the key names (SymPy numbers): a Python 1 and
    # Integer(1) share the key, and 1/2 must not become the float 0.5
    omega_A, omega_B, g = (sympy.sympify(v) for v in (omega_A, omega_B, g))
    return _vacuum_derivation(omega_A, omega_B, g, state_A)


def vacuum_forms(omega_A, omega_B, g, state_A):
    """Closed forms of the vacuum-field case (SymPy, cached).

    Returns a dict with ``rho_A``, ``rho_B`` (2x2 matrices in the bases
    (e, g) and (|0>, |1>)), ``E_A``, ``E_B``, ``E_int``, the qubit's
    ``z_A`` = p_e - p_g, ``c2_A`` = |rho_eg|^2, ``det_A``, the mode's
    ``z_B`` = p_0 - p_1, ``c2_B``, ``det_B``, ``S_AB`` (0 or ln 2) and
    ``propagator`` (the block n = 0).

    >>> import sympy
    >>> from symthermo.models.jc_vacuum import vacuum_forms
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
    from .jc_qubit import SIGMA_Z  # lazy (PEP 562)
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


@functools.lru_cache(maxsize=128)
def _vacuum_compiled_cached(key, omega_A, omega_B, g, state_A, libname):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    lib = {FLOAT64.name: FLOAT64, BALLS.name: BALLS}.get(libname, MPMATH)
    f = vacuum_forms(omega_A, omega_B, g, state_A)
    keys = ("E_A", "E_B", "E_int", "z_A", "c2_A", "det_A", "z_B", "c2_B", "det_B")
    out = {k: _compile(f[k], lib) for k in keys}
    if lib is FLOAT64 or lib is BALLS:  # the increments, as the vectorised route
        # (_vacuum_arrays_fn); in balls an exact 0 where E is constant (|g, 0>)
        out["dE_A"], out["dE_B"], out["E0_A"], out["E0_B"] = (
            _compile(e, lib) for e in _vacuum_increments(f))
    if lib is FLOAT64:
        out["above_A"] = _compile(_vacuum_above(f, omega_A), lib)
    return out


def _vacuum_compiled(omega_A, omega_B, g, state_A, lib):
    return _vacuum_compiled_cached(_key(omega_A, omega_B, g) + (state_A,), omega_A, omega_B, g,
                                   state_A, lib.name)
