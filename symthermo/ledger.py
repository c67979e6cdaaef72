"""The thermodynamic ledger of a system the user describes, by the propagator.

Given local Hamiltonians, initial local states, a coupling and optional
Lindblad terms, :func:`ledger` propagates the joint state and returns, at
each time, the contract's keys: for every subsystem X ``E_X``, ``S_X``,
``beta_X``, ``Eth_X``, ``Q_X``, ``W_X``, ``ergotropy_X``, ``exergy_X``;
then ``E_int`` and the mutual information (``I_AB`` for two subsystems,
``I_tot`` for more); and, when the evolution is unitary, the entropy
productions ``sigma_X`` = Delta S_X + sum_{Y != X} beta_Y(0) Q_Y (received
convention, EL23 Eqs. 5 and 14).

In float64 a row whose values would not keep 10 correct digits (cancellation at
small times, a value near a zero) is recomputed on the certified ball route
(:mod:`symthermo.ledger_fallback`).

>>> import numpy as np
>>> from symthermo.ledger import ledger
>>> H = np.diag([0.0, 1.0])
>>> V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
>>> rows = ledger({"A": (H, np.diag([0.0, 1.0])), "B": (H, np.diag([1.0, 0.0]))},
...               [0.0, np.pi / 0.4], coupling=V)
>>> print(", ".join(f"{rows[-1][k]:.12f}" for k in ("E_A", "E_B", "I_AB")))   # I_AB = 2 ln 2
0.500000000000, 0.500000000000, 1.386294361120
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from .entropy import entropy_of_spectrum
from .expressions import ExpressionError, shorten
from .heat_work import check_convention, heat, work
from .local import LOCAL_KEYS, Subsystem, beta_times_heat, thermal_relative_entropy
from .numbers import FLOAT64, MPMATH, parse_number
from .numbers import number_system as numbers_of  # (ledger's number_system is its option)
from .precision import check_dps, precision_held, stable
from .states import check_density_matrix, computed_tolerance, density_spectrum, input_tolerance
from .levels import Oscillator
from .lazy import lazy_import

mpmath = lazy_import("mpmath")

__all__ = ["System", "load_system", "ledger", "ledger_keys", "ledger_rows", "trajectory_rows",
           "identity_sides", "fock_leak_bound"]


@dataclass(frozen=True)
class System:
    """Subsystems (name -> (H, rho0)), coupling and Lindblad terms, as given."""

    subsystems: dict
    coupling: object = None
    lindblad: tuple = field(default_factory=tuple)
    initial_state: object = None  # a joint initial state replacing the product of the rho0

    @property
    def names(self):
        return list(self.subsystems)

    @property
    def unitary(self):
        return not self.lindblad


def _as_matrix_data(obj):
    """Plain nested lists (or arrays) from numpy, mpmath, SymPy or QuTiP objects."""
    if hasattr(obj, "full") and callable(obj.full):  # qutip.Qobj
        return obj.full()
    return obj


def _vector_data(data):
    """A ket (or bra) as a list of its entries, or None if ``data`` is a square matrix."""
    if isinstance(data, np.ndarray):
        if data.ndim == 1:
            return list(data)
        if data.ndim == 2 and 1 in data.shape and data.shape != (1, 1):
            return list(data.reshape(-1))
        return None
    if isinstance(data, mpmath.matrix):
        if (data.rows == 1) != (data.cols == 1):
            return [data[k] for k in range(max(data.rows, data.cols))]
        return None
    if hasattr(data, "shape") and hasattr(data, "tolist") and len(data.shape) == 2:  # SymPy
        if (data.shape[0] == 1) != (data.shape[1] == 1):
            return list(data)
        return None
    if isinstance(data, (list, tuple)) and data:
        if not any(isinstance(v, (list, tuple, np.ndarray)) for v in data):
            return list(data)
        if len(data) > 1 and all(isinstance(v, (list, tuple)) and len(v) == 1 for v in data):
            return [v[0] for v in data]  # a column [[a], [b], ...]
        if len(data) == 1 and isinstance(data[0], (list, tuple)) and len(data[0]) > 1:
            return list(data[0])  # a row [[a, b, ...]]
    return None


def _state_matrix(obj, lib, *, name, dim=None):
    """A density matrix from a density matrix or a ket (as the pure state |psi><psi|)."""
    data = _as_matrix_data(obj)
    vector = _vector_data(data)
    if vector is None:
        return check_density_matrix(data, name=name, lib=lib, dim=dim)
    raw = data.reshape(-1, 1) if isinstance(data, np.ndarray) else [[v] for v in vector]
    # checked at the precision the ket was given in; |psi><psi| doubles its rounding
    tolerance = 2 * input_tolerance(raw, lib)
    column = lib.as_matrix(raw)
    from .balls import BALLS

    # balls: the d x 1 matrix times its adjoint (a ket's row of a ball matrix is a list)
    projector = (column * lib.dagger(column) if lib is BALLS
                 else lib.projector(lib.column(column, 0)))
    return check_density_matrix(projector, name=name, lib=lib, dim=dim, tolerance=tolerance)


def _state_size(obj):
    data = _as_matrix_data(obj)
    vector = _vector_data(data)
    if vector is not None:
        return len(vector)
    if isinstance(data, mpmath.matrix):
        return data.rows
    return len(data)


def _validated(system: System, lib):
    if not system.subsystems:
        raise ValueError("a system needs at least one subsystem")
    subs, dims, rhos, local_matrices = {}, [], [], []
    for name, (H, rho0) in system.subsystems.items():
        if isinstance(H, Oscillator):
            # analytic thermal functions; the propagator works in the Fock space of rho0
            levels = _state_size(rho0)
            if levels < 2:
                raise ValueError(f"subsystem {name}: an oscillator needs at least 2 Fock levels, "
                                 f"got a state of dimension {levels}")
            sub = Subsystem.of(H, lib)
            h_matrix = lib.diag([sub.levels.offset + sub.levels.omega * k for k in range(levels)])
            dim = levels
        else:
            sub = Subsystem.of(_as_matrix_data(H), lib)
            h_matrix, dim = sub.H, sub.dimension
        rho = _state_matrix(rho0, lib, name=f"rho0 of {name}", dim=dim)
        subs[name] = sub
        dims.append(dim)
        rhos.append(rho)
        local_matrices.append(h_matrix)
    total = 1
    for d in dims:
        total *= d
    H_total = lib.zeros(total)
    for k, h_matrix in enumerate(local_matrices):
        factors = [lib.eye(d) for d in dims]
        factors[k] = h_matrix
        H_total = H_total + lib.kron_all(factors)
    if system.coupling is not None:
        V = lib.as_matrix(_as_matrix_data(system.coupling))
        if lib.shape(V) != (total, total):
            raise ValueError(f"coupling has shape {lib.shape(V)[0]}x{lib.shape(V)[1]}, "
                             f"expected {total}x{total} for subsystem dimensions {dims}")
        from .states import check_hamiltonian

        V = check_hamiltonian(V, name="coupling", lib=lib)
    else:
        V = lib.zeros(total)
    H_total = H_total + V
    lindblad = []
    for k, (rate, op) in enumerate(system.lindblad):
        L = lib.as_matrix(_as_matrix_data(op))
        if lib.shape(L) != (total, total):
            raise ValueError(f"lindblad operator {k} has shape {lib.shape(L)[0]}x{lib.shape(L)[1]}, "
                             f"expected {total}x{total}")
        r = lib.number(rate)
        if isinstance(r, complex) or r < 0:
            raise ValueError(f"lindblad rate {k} must be a non-negative real number, got {rate!r}")
        lindblad.append((r, L))
    if system.initial_state is not None:
        rho0 = _state_matrix(system.initial_state, lib, name="initial state", dim=total)
    else:
        rho0 = lib.kron_all(rhos)
    return subs, dims, H_total, V, lindblad, rho0


def check_system(system: System, dps):
    """Validate a system in mpmath at ``dps`` digits (errors quote decimals, not balls);
    the ball route calls it once before Ziv's loop."""
    with mpmath.workdps(check_dps(dps) + 10):
        _validated(system, MPMATH)


def ledger_keys(names, *, unitary=True):
    """The keys of a ledger row, in order."""
    keys = ["t"]
    for name in names:
        keys += [f"{k}_{name}" for k in ("E", "S", "beta", "Eth", "Q", "W", "ergotropy", "exergy")]
    if len(names) > 1:
        keys.append("E_int")
        keys.append("I_AB" if len(names) == 2 else "I_tot")
        if unitary:
            keys += [f"sigma_{name}" for name in names]
    return keys


def _times(lib, times):
    from .balls import BALLS

    if lib is BALLS:
        return [_ball_time(t) for t in times]
    out = []
    for t in times:
        value = lib.number(t) if not isinstance(t, (float, int)) or lib is MPMATH else float(t)
        if isinstance(value, complex) or (hasattr(value, "imag") and value.imag != 0):
            raise ValueError(f"time must be real, got {t!r}")
        value = lib.real(value) if lib is MPMATH else value
        if value < 0:
            raise ValueError(f"time must be >= 0, got {t!r}")
        out.append(value)
    return out


def _ball_time(t):
    from flint import arb

    from .ball_conversion import to_ball

    value = to_ball(t)
    if not isinstance(value, arb) or not value.is_finite():
        raise ValueError(f"time must be a finite real number, got {t!r}")
    if value < 0:
        raise ValueError(f"time must be >= 0, got {t!r}")
    return value


def _evolve(H_total, rho0, ts, lindblad, lib, *, state_tolerance=None):
    """rho(t) for each t: balls by :mod:`symthermo.ball_linalg` (rigorous exponentials),
    float64/mpmath by :func:`symthermo.propagator.evolve`."""
    from .balls import BALLS

    if lib is BALLS:
        from .ball_linalg import ball_rows, lindblad_states, unitary_states

        if lindblad:
            states = lindblad_states(H_total, lindblad, rho0, ts)
        else:
            states = unitary_states(H_total, rho0, ts)
        return [rho0 if s is rho0 else lib.matrix(ball_rows(s)) for s in states]
    from .propagator import evolve

    dps = None if lib is FLOAT64 else mpmath.mp.dps
    return evolve(H_total, rho0, ts, lindblad=lindblad, dps=dps, state_tolerance=state_tolerance)


def ledger_rows(system: System, times, *, lib, convention="received"):
    """Rows of raw numbers (no rounding) in ``lib``; the working precision is the caller's.

    An oscillator subsystem whose top Fock level holds more than
    :func:`fock_leak_bound` at a requested time is refused (ValueError naming
    it, its level count and the weight); the largest such weight of each
    oscillator is in every row's ``_internal["fock_leak"]``.
    """
    check_convention(convention)
    subs, dims, H_total, V, lindblad, rho0 = _validated(system, lib)
    leaks = {n: 0.0 for n, sub in subs.items() if isinstance(sub.levels, Oscillator)}
    bound = fock_leak_bound(lib)

    def leak_check(name, reduced, t):
        if name not in leaks:
            return
        n = lib.size(reduced)
        weight = lib.real(reduced[n - 1, n - 1])
        leaks[name] = max(leaks[name], float(weight))
        if weight > bound:
            raise ValueError(
                f"subsystem {name}: the top of its {n} Fock levels holds population "
                f"{float(weight):.3g} at t = {_show_time(t)}, above {float(bound):.1g} "
                f"({_bound_reason(lib)}); increase levels")

    from .balls import BALLS

    # E_int(t) = E_int(0) when [H_1 + ... + H_N, V] = 0 is proven exactly: on balls
    # always, on float64 and mpmath up to 64 joint levels (the exact check is Python
    # arithmetic, O(d^3)): float64 printed E_int ~ -1.5e-17 where the value is exactly 0
    total = 1
    for d in dims:
        total *= d
    conserved = system.unitary and (lib is BALLS or total <= 64) and _coupling_conserved(system)
    ranks = (_exact_ranks(system)
             if lib is BALLS and system.initial_state is None else None)
    rows = trajectory_rows(subs, dims, H_total, V, rho0, times, lib=lib, lindblad=lindblad,
                           convention=convention, leak_check=leak_check,
                           product_initial=system.initial_state is None,
                           coupling_conserved=conserved, ranks=ranks)
    for row in rows:
        row["_internal"]["fock_leak"] = leaks
    if lib is FLOAT64:
        # every value's error estimated after the fact (symthermo.ledger_fallback): the
        # caller recomputes on balls the rows that would print unearned digits
        from .ledger_fallback import exactly_pure, generator_norm, row_errors

        pure = [n for n, (_, rho) in system.subsystems.items()
                if system.initial_state is None and exactly_pure(rho)]
        row_errors(rows, dims=dims, norm=generator_norm(H_total, lindblad), V=V,
                   conserved=conserved, unitary=system.unitary, pure=pure)
    return rows


def _thermal_enclosed(sub, q):
    """Balls: a subsystem whose beta ball reaches infinity (a state that may be pure: an
    oscillator, or a qutrit held in its top level, whose exergy was printed as a failure,
    "a value is nan") has no finite ball of E^th from the thermal functions (nan); the
    thermal state of the same entropy has the least energy of all such states, the
    passive one among them, so E_0 <= E^th <= E - ergotropy and ergotropy <= exergy <=
    E - E_0 enclose them (E_0 the ground energy; E in place of E - ergotropy where the
    ergotropy has no finite ball)."""
    if q["Eth"].is_finite():
        return q
    ground = sub.lib.number(sub.ground)
    above = q["E"] - ground
    if not above.is_finite():
        return q
    ergotropy = q.get("ergotropy")
    if ergotropy is None or not ergotropy.is_finite():
        ergotropy = sub.lib.zero
    passive = q["E"] - ergotropy
    return dict(q, Eth=ground.union(passive), exergy=ergotropy.union(above),
                thermal_above_ground=sub.lib.zero.union(passive - ground))


def _passive_zeros(sub, rho, q):
    """Balls: the ergotropy of a state proven passive is an exact 0 (and a passive
    qubit is thermal: exergy 0, E^th = E), by structure, not a cancellation.

    Proven passive: H and rho diagonal (off-diagonal entries exact zeros) and, in order
    of increasing energy (each step proven: E_i < E_j or exactly equal), populations
    proven non-increasing (p_i > p_j, or exactly equal)."""
    n = sub.lib.size(rho)
    oscillator = isinstance(sub.levels, Oscillator)
    H = None if oscillator else sub.H
    if not all((oscillator or H[i, j].is_zero()) and rho[i, j].is_zero()
               for i in range(n) for j in range(n) if i != j):
        return q
    if oscillator:  # H = offset + omega n on the Fock levels of rho
        energies = [sub.lib.number(sub.levels.offset) + sub.lib.number(sub.levels.omega) * k
                    for k in range(n)]
    else:
        energies = [sub.lib.real(H[i, i]) for i in range(n)]
    pops = [sub.lib.real(rho[i, i]) for i in range(n)]
    order = sorted(range(n), key=lambda i: float(energies[i].mid()))

    def exactly_equal(a, b):
        return a.is_exact() and b.is_exact() and (a - b).is_zero()

    for i, j in zip(order, order[1:]):
        if not (energies[i] < energies[j] or exactly_equal(energies[i], energies[j])):
            return q
        if not (pops[i] > pops[j] or exactly_equal(pops[i], pops[j])):
            return q
    q = dict(q, ergotropy=sub.lib.zero)
    if (not oscillator and n == 2 and energies[order[0]] < energies[order[1]]
            and pops[order[0]] > pops[order[1]]):
        # a passive, non-degenerate qubit with 0 < p_e < p_g is the Gibbs state of its beta
        q.update(exergy=sub.lib.zero, Eth=q["E"])
    return q


def exact_structure(H, V, rho0, dims, *, unitary, lindblad=()):
    """``(product_initial, coupling_conserved)`` proven in exact SymPy arithmetic for a
    model's exact dynamics: rho0 equals the tensor product of its reduced states, and
    E_int(t) = E_int(0) at every t: [H, V] = 0 with a unitary evolution, or (with the
    Lindblad terms ``lindblad``, (rate, L) pairs) V an eigen-operator of the adjoint
    generator, G^dag(V) = i[H, V] + sum r (L^dag V L - {L^dag L, V}/2) = c V, with
    E_int(0) = Tr[rho0 V] = 0 (then d E_int/dt = c E_int keeps it 0).  Either is False
    when it does not hold or SymPy cannot decide it."""
    import sympy

    from .numbers import EXACT

    def is_zero(M):
        return all(sympy.simplify(x) == 0 for x in M)

    reduced = [EXACT.partial_trace(rho0, dims, [k]) for k in range(len(dims))]
    product = len(dims) > 1 and is_zero(rho0 - EXACT.kron_all(reduced))
    commutator = H * V - V * H
    if unitary:
        return product, is_zero(commutator)
    if not lindblad or sympy.simplify((rho0 * V).trace()) != 0:
        return product, False
    adjoint = sympy.I * commutator
    for rate, L in lindblad:
        LdL = L.H * L
        adjoint += rate * (L.H * V * L - (LdL * V + V * LdL) / 2)
    entries = [(i, j) for i in range(V.rows) for j in range(V.cols) if V[i, j] != 0]
    if not entries:
        return product, False
    c = sympy.simplify(adjoint[entries[0]] / V[entries[0]])
    return product, is_zero(adjoint - c * V)


def _gaussian(x):
    """An entry as an exact (Fraction, Fraction) pair, or None when it is not a
    Gaussian rational (a SymPy expression such as sqrt(2))."""
    from fractions import Fraction

    from .numbers import _ExactComplex

    try:
        v = parse_number(x)
    except ValueError:
        return None
    if isinstance(v, _ExactComplex):
        return Fraction(v.re), Fraction(v.im)
    if isinstance(v, complex):
        return Fraction(v.real), Fraction(v.imag)
    try:
        return Fraction(v), Fraction(0)
    except (TypeError, ValueError, OverflowError):
        return None


def _exact_matrix(M):
    rows = _as_matrix_data(M)
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, (list, tuple)) for r in rows):
        return None  # an oscillator, or a matrix type without exact entries
    out = [[_gaussian(v) for v in r] for r in rows]
    return None if any(v is None for r in out for v in r) else out


def _gmul(A, B):
    n, m, k = len(A), len(B[0]), len(B)
    out = []
    for i in range(n):
        row = []
        for j in range(m):
            re = im = 0
            for l in range(k):
                a, b = A[i][l], B[l][j]
                if a[0] or a[1]:
                    re += a[0] * b[0] - a[1] * b[1]
                    im += a[0] * b[1] + a[1] * b[0]
            row.append((re, im))
        out.append(row)
    return out


def _gkron(A, B):
    return [[(a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]) for a in ra for b in rb]
            for ra in A for rb in B]


def _local_energies(H, rho0):
    """The exact diagonal of a local Hamiltonian that is diagonal (exact zeros off the
    diagonal; an oscillator's offset + omega k on its Fock levels), as Gaussian
    rationals, or None."""
    if isinstance(H, Oscillator):
        w, e0 = _gaussian(H.omega), _gaussian(H.offset)
        levels = _state_size(rho0)
        if w is None or e0 is None:
            return None
        return [(e0[0] + k * w[0], e0[1] + k * w[1]) for k in range(levels)]
    h = _exact_matrix(H)
    if h is None or any(h[i][j] != (0, 0) for i in range(len(h)) for j in range(len(h))
                        if i != j):
        return None
    return [h[i][i] for i in range(len(h))]


def _exact_zero_entry(x):
    """True when a coupling entry is an exact zero (read exactly, sqrt(2)/10 included)."""
    g = _gaussian(x)
    if g is not None:
        return g == (0, 0)
    try:
        v = parse_number(x)
    except ValueError:
        return False
    return getattr(v, "is_zero", None) is True


def _diagonal_conserved(system):
    """[H_0, V] = 0 for diagonal local Hamiltonians (oscillators included): (E_i - E_j)
    V_ij = 0 for every entry, i.e. V couples only levels of exactly equal total energy
    (V's entries need only be exact zeros or not: sqrt(n) entries are fine).  None when
    some local Hamiltonian is not diagonal with Gaussian-rational entries."""
    energies = [_local_energies(H, rho0) for H, rho0 in system.subsystems.values()]
    if any(e is None for e in energies):
        return None
    total = [(0, 0)]
    for e in energies:
        total = [(a[0] + b[0], a[1] + b[1]) for a in total for b in e]
    rows = _as_matrix_data(system.coupling)
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    if len(rows) != len(total):
        return False
    return all(total[i] == total[j] or _exact_zero_entry(v)
               for i, row in enumerate(rows) for j, v in enumerate(row))


def _coupling_conserved(system):
    """True when [H_1 + ... + H_N, V] = 0 exactly (Gaussian rationals; or diagonal
    local Hamiltonians, oscillators included, and V coupling only equal energies): then
    E_int(t) = Tr[rho(t) V] = E_int(0) under the unitary evolution (d/dt Tr[rho V] =
    i Tr[rho [H, V]]), a structural fact the balls route uses instead of a
    cancellation.  False when some entry is not an exact Gaussian rational."""
    if system.coupling is None:
        return False
    diagonal = _diagonal_conserved(system)
    if diagonal is not None:
        return diagonal
    V = _exact_matrix(system.coupling)
    locals_ = [_exact_matrix(H) for H, _ in system.subsystems.values()]
    if V is None or any(h is None for h in locals_):
        return False
    dims = [len(h) for h in locals_]
    total = 1
    for d in dims:
        total *= d
    if len(V) != total:
        return False
    zero, one = (0, 0), (1, 0)

    def eye(d):
        return [[one if i == j else zero for j in range(d)] for i in range(d)]

    H0 = [[zero] * total for _ in range(total)]
    for k, h in enumerate(locals_):
        term = [[one]]
        for m, d in enumerate(dims):
            term = _gkron(term, h if m == k else eye(d))
        H0 = [[(a[0] + b[0], a[1] + b[1]) for a, b in zip(r, s)] for r, s in zip(H0, term)]
    HV, VH = _gmul(H0, V), _gmul(V, H0)
    return all(a == b for r, s in zip(HV, VH) for a, b in zip(r, s))


def fock_leak_bound(lib):
    """The top-Fock-level population an oscillator may reach: 10^-dps, or 1e-12 in float64.

    ``dps`` is the digits asked of the enclosing
    :func:`~symthermo.precision.working_precision` block (the working
    precision without its guard digits when called outside one).
    """
    if lib is FLOAT64:
        return 1e-12
    from .precision import GUARD_DIGITS, requested_digits

    digits = requested_digits() or max(1, mpmath.mp.dps - GUARD_DIGITS)
    return mpmath.mpf(10) ** -digits


def _bound_reason(lib):
    if lib is FLOAT64:
        return "the float64 bound"
    from .precision import requested_digits

    return f"10^-dps at dps {requested_digits() or mpmath.mp.dps}"


def _show_time(t):
    try:
        return mpmath.nstr(t, 6)
    except (TypeError, ValueError):  # pragma: no cover
        return str(t)


def _fock_support(H_total, lindblad, rho0, dims, oscillators):
    """Balls: ``(states, entries)`` when the truncated Fock spaces are proven invariant
    (:mod:`symthermo.fock_truncation`: the truncated dynamics is then the exact one):
    the basis states R that rho(t) lives on (span R is invariant under H, L and
    L^dag L) and the entries (i, j) of rho(t) that may be nonzero.  NotImplementedError
    otherwise (no proven bound of the truncation of the oscillators' observables: the
    caller falls back to mpmath)."""
    from .fock_truncation import invariant_support, reachable_entries

    operators = [L for _, L in lindblad]
    states = invariant_support(H_total, operators, rho0, dims, oscillators)
    if states is None:
        raise NotImplementedError("balls: the truncated Fock space is not proven invariant; "
                                  "the truncation of an oscillator's observables has no "
                                  "proven bound")
    return states, reachable_entries(H_total, operators, rho0)


def _evolve_on_support(H_total, rho0, ts, lindblad, lib, support):
    """rho(t) propagated on span R only (R closed under H, L and L^dag L: the blocks
    H_RR, L_RR generate the same evolution there, and (L^dag L)_RR = L_RR^dag L_RR),
    embedded back with exact zeros outside the reachable entries."""
    states, entries = support
    n = lib.size(rho0)

    def block(M):
        return lib.matrix([[M[i, j] for j in states] for i in states])

    small = _evolve(block(H_total), block(rho0), ts,
                    [(rate, block(L)) for rate, L in lindblad], lib)
    where = {i: k for k, i in enumerate(states)}
    out = []
    for rho in small:
        out.append(lib.matrix([[rho[where[i], where[j]] if (i, j) in entries else 0
                                for j in range(n)] for i in range(n)]))
    return out


def _float64_state_error(H_total, lindblad, dims):
    """t -> a bound on the eigenvalue error of the float64 rho(t) (and of its partial
    traces): d times the entries' rounding eps (d + ||G|| t) that the error estimates of
    :mod:`symthermo.ledger_fallback` start from (the fixed float64 tolerance 1e-12 alone
    refused rho(t = 2.75e6) of an open qutrit-qubit system, eigenvalue -7.5e-12, as an
    internal failure: the propagation's own rounding, eps ||G|| t = 5e-9)."""
    from .ledger_fallback import generator_norm
    from .propagator_input import float64_entry_error

    d = 1
    for k in dims:
        d *= k
    norm = generator_norm(H_total, lindblad)
    return lambda t: d * float64_entry_error(d, norm, t)


def _exact_ranks(system):
    """The exact ranks of the subsystems' rho0 (SymPy, exact entries), in tensor order,
    or None where SymPy cannot decide one or a trace is not exactly 1: the proof that a
    ball eigenvalue about 0 is an exact 0 (:func:`trajectory_rows`)."""
    import sympy

    from .numbers import EXACT

    ranks = []
    for name, (_, rho0) in system.subsystems.items():
        try:
            M = _state_matrix(rho0, EXACT, name=f"rho0 of {name}", dim=None)
            if sympy.simplify(M.trace() - 1) != 0:
                return None
            ranks.append(int(M.rank(simplify=True)))
        except Exception:  # noqa: BLE001 - no proof: the balls alone decide
            return None
    return ranks


def _proven_zeros(dims, k, ranks, at_start, unitary):
    """How many eigenvalues of the k-th reduced state are exact zeros by rank: at t = 0
    d_k - rank(rho0_k); under a unitary evolution rank(rho(t)) = rank(rho(0)) = prod
    rank(rho0_j), and rank(rho_k(t)) <= (d / d_k) rank(rho(t)); otherwise none."""
    if ranks is None:
        return 0
    if at_start:
        return dims[k] - ranks[k]
    if not unitary:
        return 0
    total = math.prod(dims)
    return max(0, dims[k] - (total // dims[k]) * math.prod(ranks))


def trajectory_rows(subs, dims, H_total, V, rho0, times, *, lib, lindblad=(),
                    convention="received", leak_check=None, product_initial=False,
                    coupling_conserved=False, ranks=None):
    """Propagate rho0 under H_total (+ Lindblad) and compute every row.

    ``subs`` maps names to :class:`~symthermo.local.Subsystem` (in tensor
    order, dimensions ``dims``); ``V`` is the coupling whose mean is E_int.
    ``leak_check(name, reduced_state, t)`` may raise when a truncated Fock space
    holds population at its edge.  ``product_initial`` says that rho0 is by
    construction the product of its reduced states (then, in balls, I_tot(0) is an
    exact 0); ``coupling_conserved`` that E_int(t) = E_int(0) was proven
    (:func:`exact_structure`; then, in balls, E_int(0) is used at every t).
    ``ranks``: the exact ranks of the subsystems' rho0 (a product rho0), which prove
    eigenvalues of the reduced states exact zeros (:func:`_proven_zeros`).
    """
    from .ball_finishing import ball_beta_times_heat
    from .balls import BALLS

    names = list(subs)
    support = None
    oscillators = [k for k, n in enumerate(names) if subs[n].dimension is None]
    if lib is BALLS and oscillators:
        support = _fock_support(H_total, lindblad, rho0, dims, oscillators)
    ts = _times(lib, times)
    balls = lib is BALLS
    bq = ball_beta_times_heat if balls else beta_times_heat
    # rho0 was checked when it was read (or built by a model): what is computed from it
    # is checked against its own error bound, never as input
    eigenvalues0 = lib.eigvalsh(rho0)
    bound = computed_tolerance(rho0, lib, eigenvalues=eigenvalues0)
    if support is not None:
        # proven: rho(t) lives on span R; the other entries are exact zeros (structure)
        states = _evolve_on_support(H_total, rho0, ts, lindblad, lib, support)
    else:
        states = _evolve(H_total, rho0, ts, lindblad, lib, state_tolerance=bound)
    reduced0 = [lib.partial_trace(rho0, dims, [k]) for k in range(len(names))]
    unitary = not lindblad
    q0 = {n: subs[n].quantities(r, name=f"rho_{n}(0)", check=False, tolerance=bound,
                                zeros=_proven_zeros(dims, k, ranks, True, unitary))
          for k, (n, r) in enumerate(zip(names, reduced0))}
    if balls:
        q0 = {n: _passive_zeros(subs[n], r, _thermal_enclosed(subs[n], q0[n]))
              for n, r in zip(names, reduced0)}
    spectrum0 = density_spectrum(rho0, name="rho(0)", lib=lib, tolerance=bound, computed=True,
                                 eigenvalues=eigenvalues0,
                                 zeros=0 if ranks is None else math.prod(dims) - math.prod(ranks))
    s_joint0 = entropy_of_spectrum(lib, spectrum0)
    product = product_initial
    # I_tot(0) of a product state is an exact 0 (structure, not S_A + S_B - S_AB)
    i_tot0 = lib.zero if product else sum((q0[n]["S"] for n in names), lib.zero) - s_joint0
    e_int0 = None
    rows = []
    state_error = _float64_state_error(H_total, lindblad, dims) if lib is FLOAT64 else None
    for t, rho in zip(ts, states):
        rho = lib.as_matrix(rho) if lib is FLOAT64 else rho
        row = {"t": t}
        # float64: the propagated state carries its own rounding, which grows with t
        tolerance = bound if state_error is None else bound + state_error(t)
        qt, reduced_states, joint_spectrum = {}, {}, None
        # at t = 0 the state is rho0 itself and the increments are exact 0, on every route
        # (float64 and mpmath would otherwise print the rounding of E(0) - E(0) as W)
        at_start = lib.is_exact_zero(t) if balls else t == 0
        for k, n in enumerate(names):
            reduced = lib.partial_trace(rho, dims, [k]) if len(names) > 1 else rho
            if leak_check is not None:
                leak_check(n, reduced, t)
            reduced_states[n] = reduced
            qt[n] = q0[n] if at_start else subs[n].quantities(
                reduced, name=f"rho_{n}(t={t})", check=False, tolerance=tolerance,
                zeros=_proven_zeros(dims, k, ranks, False, unitary))
            if balls and not at_start:
                qt[n] = _passive_zeros(subs[n], reduced, _thermal_enclosed(subs[n], qt[n]))
            for key in LOCAL_KEYS:
                row[f"{key}_{n}"] = qt[n][key]
            if at_start:
                row[f"Q_{n}"] = row[f"W_{n}"] = lib.zero
                continue
            row[f"Q_{n}"] = heat(q0[n]["Eth"], qt[n]["Eth"], convention=convention)
            row[f"W_{n}"] = work(q0[n]["E"], qt[n]["E"], q0[n]["Eth"], qt[n]["Eth"],
                                 convention=convention)
        if len(names) > 1:
            if coupling_conserved:
                if e_int0 is None:
                    e_int0 = lib.expectation(rho0, V)
                row["E_int"] = e_int0
            else:
                row["E_int"] = lib.expectation(rho, V)
            if at_start:
                mutual = i_tot0
            elif unitary:
                # the spectrum of rho(t) is that of rho(0) under a unitary evolution; of a
                # product rho(0), S(rho(0)) = sum S_X(0): in float64 I_tot is then the sum of
                # the entropy increments, without the cancellation against S(rho(t))
                s_start = sum((q0[n]["S"] for n in names), lib.zero) if (
                    product and not balls) else s_joint0
                mutual = sum((qt[n]["S"] for n in names), lib.zero) - s_start
            else:
                joint_spectrum = density_spectrum(rho, name=f"rho(t={t})", lib=lib,
                                                  tolerance=tolerance, computed=True)
                s_joint = entropy_of_spectrum(lib, joint_spectrum)
                mutual = sum((qt[n]["S"] for n in names), lib.zero) - s_joint
            row["I_AB" if len(names) == 2 else "I_tot"] = mutual
            if unitary:
                for n in names:
                    row[f"sigma_{n}"] = lib.zero if at_start else qt[n]["S"] - q0[n]["S"] + sum(
                        (bq(lib, q0[m]["beta"], qt[m]["Eth"] - q0[m]["Eth"])
                         for m in names if m != n), lib.zero)
        row["_internal"] = {"q0": q0, "qt": qt, "subsystems": subs, "I_tot0": i_tot0,
                            "reduced": reduced_states, "product": product,
                            "reduced0": dict(zip(names, reduced0)),
                            "joint_spectrum0": spectrum0, "joint_spectrum": joint_spectrum}
        rows.append(row)
    return rows


def identity_sides(row):
    """Both sides of EL23 Eq. 5/S37 (per subsystem) and S38 for one ledger row.

    Returns ``{"sigma_X": (lhs, rhs), ..., "clausius": (lhs, rhs)}`` where
    lhs is the thermodynamic side (Delta S, beta(0) Q) and rhs the
    information side (I_tot + sum of D(w(t) || w(0))), in received convention.
    """
    internal = row["_internal"]
    q0, qt, subs = internal["q0"], internal["qt"], internal["subsystems"]
    names = list(subs)
    lib = next(iter(subs.values())).lib
    mutual = row.get("I_AB", row.get("I_tot", lib.zero)) - internal["I_tot0"]
    distances = {n: thermal_relative_entropy(subs[n], qt[n]["beta"], q0[n]["beta"]) for n in names}
    from .laws import beta_times_heat as law_beta_times_heat  # balls: proven signs only

    bq = {n: law_beta_times_heat(lib, q0[n]["beta"], qt[n]["Eth"] - q0[n]["Eth"]) for n in names}
    out = {}
    for n in names:
        lhs = qt[n]["S"] - q0[n]["S"] + sum((bq[m] for m in names if m != n), lib.zero)
        rhs = mutual + sum((distances[m] for m in names if m != n), lib.zero)
        out[f"sigma_{n}"] = (lhs, rhs)
        # EL23 S19: Delta S_j = -D(w_j(t)||w_j(0)) + beta_j(0) Q_j; when X starts pure
        # both terms are infinite and the identity says nothing, so it is left out
        if not (lib.isinf(bq[n]) and lib.isinf(distances[n])):
            out[f"S19_{n}"] = (qt[n]["S"] - q0[n]["S"], bq[n] - distances[n])
    out["clausius"] = (sum(bq.values(), lib.zero), mutual + sum(distances.values(), lib.zero))
    return out


@precision_held()
def ledger(subsystems, times, *, coupling=None, lindblad=(), c_ops=None, initial_state=None,
           dps=None, convention="received", states=None, number_system="balls"):
    """The thermodynamic ledger of a system at the given times.

    Parameters
    ----------
    subsystems : dict
        name -> (H, rho0), in tensor order.  H is a matrix (numpy array,
        mpmath or SymPy matrix, QuTiP ``Qobj``, nested lists of numbers or
        strings such as ``"1/3"``) or an :class:`~symthermo.levels.Oscillator`:
        its beta and thermal energy then use the analytic infinite-dimensional
        functions while the propagator works in the Fock space of rho0
        (levels 0 .. n-1, n the dimension of rho0); a run whose top level
        gets more population than 10^-dps (1e-12 in float64) is refused.
        rho0 is a density matrix or a ket (a vector, an n x 1 matrix or a
        ket ``Qobj``: the pure state |psi><psi|).
    times : sequence of real numbers (or strings at ``dps``)
    coupling : matrix, optional
        Interaction on the tensor product, subsystems in the order given.
    lindblad : sequence, optional
        Lindblad terms, each a pair ``(rate, L)`` or a bare operator (a
        ``Qobj`` or array) with its rate folded in: rate * D[L] = D[sqrt(rate) L].
    c_ops : sequence of operators, optional
        QuTiP's form, as ``qutip.mesolve`` takes it: collapse operators with
        the rates folded in (``sqrt(gamma) * a``).  Added to ``lindblad``.
    initial_state : matrix or ket, optional
        A joint (possibly correlated) initial state replacing the product of the rho0.
    dps : int, optional
        Digits: every returned digit certified, as ``symthermo ledger --dps``
        prints it (``number_system``); float64 when omitted.
        In float64 every value gets an a-posteriori error estimate
        (:mod:`symthermo.ledger_fallback`), and a row where some value would
        carry fewer than 10 correct digits (an increment or a nearly pure
        state's entropy at a small time, a value near a zero) is recomputed on
        the certified ball route: its values are then the floats nearest the
        proven decimals, and ``result.recomputed`` lists those times (where the
        balls have no route, an oscillator whose truncation is not proven
        invariant, the rows stay float64 and ``result.unverified`` lists them).
    convention : {"received", "provided"}
    states : {None, "matrix", "qobj"}
        Also return the reduced states (``result.states[name]``, one per
        time), as matrices of the number system or as ``qutip.Qobj`` (at
        ``dps`` on balls: mpmath matrices of the balls' midpoints, at the
        precision that proved the row).
    number_system : {"balls", "mpmath"}
        With ``dps``: ``"balls"`` (the default, the CLI's certified route:
        rigorous propagators and spectra in ball arithmetic, Ziv's loop; a
        value the balls only bound is a :class:`~symthermo.values.Bound`,
        ``"0 +/- r"``; mpmath by agreement where the balls have no route, an
        oscillator whose truncation is not proven invariant), or ``"mpmath"``
        (two evaluations at increasing precision that agree).  Each value is a
        :class:`~symthermo.values.Real` carrying its digits.

    Returns
    -------
    LedgerResult
        One array per key (``result.E_A``, ``result["E_A"]``, ``result.times``)
        and the rows (``result.rows``; ``result[k]`` is the row at the k-th
        time, as the list this function used to return).

    Examples
    --------
    >>> import numpy as np
    >>> from symthermo.ledger import ledger
    >>> from symthermo.levels import Oscillator
    >>> sm = np.array([[0, 1], [0, 0]])                   # |g><e|, levels (g, e)
    >>> a = np.diag(np.sqrt(np.arange(1, 12)), 1)          # 12 Fock levels
    >>> V = 0.05 * (np.kron(sm.T, a) + np.kron(sm, a.T))   # Jaynes-Cummings coupling
    >>> r = ledger({"A": (np.diag([0.0, 1.0]), [0, 1]),      # qubit, excited (a ket)
    ...             "B": (Oscillator(1), np.eye(12)[0])},     # oscillator, vacuum
    ...            [0.0, np.pi / 0.1], coupling=V)
    >>> np.round(r.E_B, 10) + 0.0                           # one photon after a pi pulse
    array([0., 1.])
    >>> # the float time pi/0.1 misses the pulse by 1e-16: vacuum keeps cos^2(g t) = 6.7e-34
    >>> round(float(r.beta_B[1]), 12), r.fock_leak["B"] < 1e-20
    (76.379612728624, True)
    """
    check_convention(convention)
    if number_system not in ("balls", "mpmath"):
        raise ValueError(f"unknown number system {number_system!r}; expected balls or mpmath")
    if hasattr(times, "__iter__") and not isinstance(times, (str, bytes)):
        times = list(times)  # read twice when a float64 row is recomputed on balls
    if states not in (None, False, "matrix", "qobj"):
        raise ValueError(f"states must be None, 'matrix' or 'qobj', got {states!r}")
    terms = _lindblad_terms(lindblad, "lindblad") + _lindblad_terms(c_ops or (), "c_ops",
                                                                      bare_only=True)
    entries = {}
    for name, entry in dict(subsystems).items():
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise ValueError(f"subsystem {name}: expected a pair (H, rho0), "
                             f"got {type(entry).__name__} of length "
                             f"{len(entry) if hasattr(entry, '__len__') else '?'}")
        entries[name] = tuple(entry)
    system = System(entries, coupling, tuple(terms), initial_state)
    inputs = [m for pair in entries.values() for m in pair if not isinstance(m, Oscillator)]
    keep_states = states in ("matrix", "qobj")
    leaks = {}

    unearned_rows = []

    def compute(lib):
        rows = ledger_rows(system, times, lib=lib, convention=convention)
        if rows:
            leaks.update((n, float(x)) for n, x in rows[0]["_internal"]["fock_leak"].items())
        if lib is FLOAT64:
            from .ledger_fallback import unearned

            unearned_rows.extend(i for i, r in enumerate(rows)
                                 if unearned(r, r["_internal"]["errors"]))
        public = [_public(r) for r in rows]
        if keep_states:
            return public, [dict(r["_internal"]["reduced"]) for r in rows]
        return public, None

    if dps is None and numbers_of(*inputs) is FLOAT64:
        rows, reduced = compute(FLOAT64)
        digits = None
        unverified = []
        if unearned_rows:
            # values that would carry fewer than 10 correct digits: the row again on balls
            from .ledger_fallback import float_ball_rows

            again = float_ball_rows(system, [times[i] for i in unearned_rows],
                                    convention=convention)
            if again is None:  # no ball route: the rows stay float64, listed as such
                unverified, unearned_rows[:] = list(unearned_rows), []
            for i, row in zip(unearned_rows, again or ()):
                rows[i].update({k: v for k, v in row.items() if k != "t"})
    else:
        digits = check_dps(dps) if dps is not None else mpmath.mp.dps
        certified = None
        if number_system == "balls":
            from .ledger_certified import certified_ledger_rows

            certified = certified_ledger_rows(system, compute, digits,
                                              ledger_keys(list(entries), unitary=system.unitary))
        if certified is None:  # mpmath asked for, or no ball route
            rows, reduced = stable(lambda: compute(MPMATH), digits)
        else:
            rows, reduced = certified
        unverified = []
    names = list(entries)
    out_states = None
    if keep_states:
        out_states = {n: [r[n] for r in reduced] for n in names}
        if states == "qobj":
            out_states = {n: [_qobj(m) for m in ms] for n, ms in out_states.items()}
    from .ledger_result import LedgerResult

    return LedgerResult(rows, names=names, keys=ledger_keys(names, unitary=system.unitary),
                        convention=convention, dps=digits, states=out_states, fock_leak=leaks,
                        recomputed=[rows[i]["t"] for i in unearned_rows],
                        unverified=[rows[i]["t"] for i in unverified])


def _is_operator(obj):
    return (hasattr(obj, "full") and callable(obj.full)) or isinstance(
        obj, (np.ndarray, mpmath.matrix)) or type(obj).__module__.startswith("sympy")


def _lindblad_terms(terms, where, *, bare_only=False):
    """(rate, operator) pairs from pairs or bare operators (rate 1, folded in)."""
    if _is_operator(terms):
        raise ValueError(f"{where} must be a list of operators, got a single "
                         f"{type(terms).__name__}; wrap it in a list")
    out = []
    for k, term in enumerate(terms):
        if hasattr(term, "issuper") and (term.issuper or not term.isoper):
            raise ValueError(f"{where}[{k}]: expected an operator, got a Qobj of type "
                             f"{term.type!r} (superoperators are not supported; give L)")
        if _is_operator(term):
            out.append((1, term))
        elif not bare_only and isinstance(term, (tuple, list)) and len(term) == 2 and not (
                isinstance(term[0], (list, tuple))):
            out.append(tuple(term))
        elif isinstance(term, (tuple, list)) and term and isinstance(term[0], (list, tuple)):
            out.append((1, term))  # a matrix as nested lists
        else:
            form = "an operator" if bare_only else "a pair (rate, operator) or an operator"
            raise ValueError(f"{where}[{k}]: expected {form}, got {type(term).__name__} "
                             f"(time-dependent QuTiP terms are not supported)")
    return out


def _qobj(matrix):
    try:
        import qutip
    except ImportError:
        raise ValueError("states='qobj' needs qutip (pip install qutip)") from None
    if isinstance(matrix, mpmath.matrix):
        matrix = np.array([[complex(matrix[i, j]) for j in range(matrix.cols)]
                           for i in range(matrix.rows)])
    return qutip.Qobj(np.asarray(matrix, dtype=complex))


def _public(row):
    return {k: v for k, v in row.items() if not k.startswith("_")}


# -- SYSTEM.json ----------------------------------------------------------------

_TOP_KEYS = {"subsystems", "coupling", "lindblad"}
#: SYSTEM.json limits: file size in bytes, and the joint dimension (the
#: product of the subsystems' dimensions) without and with Lindblad terms
MAX_SYSTEM_BYTES = 10 * 2**20
MAX_DIMENSION = 1024
MAX_DIMENSION_LINDBLAD = 64
#: the largest |entry| the float64 route accepts (energies and gaps are squared)
FLOAT64_ENTRY_LIMIT = 1e150


def load_system(source):
    """A :class:`System` from SYSTEM.json (a path, a JSON string, or a dict).

    Entries are numbers or strings read without loss of precision ("0.5",
    "1/3", "0.2+0.1j", "sqrt(2)/2", by :mod:`symthermo.expressions`);
    unknown keys, malformed numbers and ragged matrices are errors naming
    where they are.  A file is read only if it is a regular file of at most
    ``MAX_SYSTEM_BYTES`` (10 MiB) of UTF-8 text; the joint dimension is at
    most ``MAX_DIMENSION`` (1024), or ``MAX_DIMENSION_LINDBLAD`` (64) with
    Lindblad terms (whose generator has dimension**2 rows).

    >>> from symthermo.ledger import load_system
    >>> load_system("/dev/zero")
    Traceback (most recent call last):
    ...
    ValueError: cannot read /dev/zero: not a regular file
    """
    if isinstance(source, dict):
        data = source
        where = "system"
    else:
        text = str(source)
        if text.lstrip().startswith("{"):
            where = "system"
            if len(text) > MAX_SYSTEM_BYTES:
                raise ValueError(f"system text of {len(text)} characters exceeds the limit "
                                 f"{MAX_SYSTEM_BYTES}")
        else:
            where = text
            text = _read_text(text)
        try:  # numbers kept as their decimal text, read exactly by the grammar
            data = json.loads(text, parse_float=str, parse_int=_json_int)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} "
                             f"column {exc.colno}") from None
        except RecursionError:
            raise ValueError(f"{where} is not valid SYSTEM.json: nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object at the top level")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                         f"expected {', '.join(sorted(_TOP_KEYS))}")
    subs = data.get("subsystems")
    if not isinstance(subs, dict) or not subs:
        raise ValueError(f"{where}: 'subsystems' must be a non-empty object of name -> {{H, rho0}}")
    _check_dimension(where, subs, data.get("lindblad"))
    parsed = {}
    for name, entry in subs.items():
        if isinstance(entry, dict) and set(entry) == {"oscillator", "rho0"}:
            parsed[name] = _oscillator_entry(entry, f"subsystems.{name}")
            continue
        if not isinstance(entry, dict) or set(entry) != {"H", "rho0"}:
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise ValueError(f"subsystems.{name}: expected exactly the keys H and rho0 "
                             f"(or oscillator and rho0), got {got}")
        parsed[name] = (_matrix(entry["H"], f"subsystems.{name}.H"),
                        _matrix(entry["rho0"], f"subsystems.{name}.rho0"))
    coupling = _matrix(data["coupling"], "coupling") if data.get("coupling") is not None else None
    lindblad = []
    for k, term in enumerate(data.get("lindblad") or []):
        if not isinstance(term, dict) or set(term) != {"rate", "operator"}:
            raise ValueError(f"lindblad[{k}]: expected exactly the keys rate and operator")
        rate = _entry(term["rate"], f"lindblad[{k}].rate")
        _check_rate(rate, f"lindblad[{k}].rate")
        lindblad.append((rate, _matrix(term["operator"], f"lindblad[{k}].operator")))
    return System(parsed, coupling, tuple(lindblad))


def _read_text(path):
    """The UTF-8 text of a regular file of at most MAX_SYSTEM_BYTES bytes."""
    import os
    import stat

    shown = path if len(path) <= 200 else path[:200] + "..."
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb", closefd=True) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValueError(f"cannot read {shown}: not a regular file")
            raw = handle.read(MAX_SYSTEM_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot read {shown}: {exc.strerror}") from None
    if len(raw) > MAX_SYSTEM_BYTES:
        raise ValueError(f"cannot read {shown}: larger than the limit of {MAX_SYSTEM_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"cannot read {shown}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                         f"offset {exc.start})") from None


def _check_rate(rate, where):
    from fractions import Fraction

    from .exact_numbers import is_real

    value = parse_number(rate)
    negative = (value < 0 if isinstance(value, Fraction)
                else getattr(value, "is_negative", None) is True)
    if not is_real(value) or negative:
        raise ValueError(f"{where}: a rate must be a non-negative real number, got {rate!r}")


def _json_int(text):
    """A JSON integer: an int when short, else its text (the grammar refuses it by name)."""
    return int(text) if len(text) <= 100 else text


def _check_dimension(where, subsystems, lindblad):
    """The joint dimension within the limit, before any entry is read."""
    d = 1
    for entry in subsystems.values():
        if not isinstance(entry, dict):
            continue
        H, spec = entry.get("H"), entry.get("oscillator")
        levels = spec.get("levels") if isinstance(spec, dict) else None
        if isinstance(H, list) and H:
            d *= len(H)
        elif isinstance(levels, int) and not isinstance(levels, bool) and (
                2 <= levels <= MAX_OSCILLATOR_LEVELS):  # else _oscillator_entry names it
            d *= levels
    limit = MAX_DIMENSION_LINDBLAD if lindblad else MAX_DIMENSION
    if d > limit:
        kind = " with Lindblad terms" if lindblad else ""
        raise ValueError(f"{where}: joint dimension {d} exceeds the limit {limit}{kind}")


def _located_entries(system):
    """(where, entry) for every number of a system loaded by :func:`load_system`."""
    def matrix(M, where):
        rows = M.tolist() if hasattr(M, "tolist") else M
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                yield f"{where}[{i}][{j}]", x

    for name, (H, rho0) in system.subsystems.items():
        if isinstance(H, Oscillator):  # phases up to omega * (levels - 1)
            yield f"subsystems.{name}.oscillator", f"({H.omega})*{len(rho0)}"
        else:
            yield from matrix(H, f"subsystems.{name}.H")
        yield from matrix(rho0, f"subsystems.{name}.rho0")
    if system.coupling is not None:
        yield from matrix(system.coupling, "coupling")
    for k, (rate, L) in enumerate(system.lindblad):
        yield f"lindblad[{k}].rate", rate
        yield from matrix(L, f"lindblad[{k}].operator")


def system_scale(system, *, float64=False):
    """The largest |entry| of the Hamiltonians, coupling and rates: the float64 time scale.

    With ``float64``, an entry above ``FLOAT64_ENTRY_LIMIT`` (1e150: squares of energies
    and energy gaps must stay finite) is a ValueError naming where it is.
    """
    from .exact_numbers import to_float

    scale = 0.0
    for where, x in _located_entries(system):
        try:
            value = abs(to_float(parse_number(x), what=where, text=str(x)))
        except (TypeError, ValueError):
            if float64:
                raise
            continue
        if float64 and value > FLOAT64_ENTRY_LIMIT:
            raise ValueError(f"{where} {shorten(str(x))} is too large for float64 arithmetic "
                             f"(above {FLOAT64_ENTRY_LIMIT:g}, its square overflows); use --dps")
        if ".rho0" not in where:
            scale = max(scale, value)
    return scale or 1.0


#: the most Fock levels an oscillator of SYSTEM.json may declare
MAX_OSCILLATOR_LEVELS = 2000


def _oscillator_entry(entry, where):
    """(Oscillator(omega), rho0 padded with zeros to ``levels``) from a SYSTEM.json entry."""
    spec = entry["oscillator"]
    if not isinstance(spec, dict) or set(spec) != {"omega", "levels"}:
        got = sorted(spec) if isinstance(spec, dict) else type(spec).__name__
        raise ValueError(f"{where}.oscillator: expected exactly the keys omega and levels, got {got}")
    omega = _entry(spec["omega"], f"{where}.oscillator.omega")
    try:
        value = complex(parse_number(omega))
    except (TypeError, ValueError):
        value = -1
    if value.imag != 0 or value.real <= 0:
        raise ValueError(f"{where}.oscillator.omega must be a positive real number, got {omega!r}")
    levels = spec["levels"]
    if isinstance(levels, bool) or not isinstance(levels, int) or not (
            2 <= levels <= MAX_OSCILLATOR_LEVELS):
        raise ValueError(f"{where}.oscillator.levels must be an integer from 2 to "
                         f"{MAX_OSCILLATOR_LEVELS}, got {json.dumps(levels)}")
    rho = _matrix(entry["rho0"], f"{where}.rho0")
    if len(rho) > levels:
        raise ValueError(f"{where}.rho0 is {len(rho)}x{len(rho)}, more than the oscillator's "
                         f"{levels} levels")
    # Fock levels above the given block start empty
    padded = [row + ["0"] * (levels - len(rho)) for row in rho]
    padded += [["0"] * levels for _ in range(levels - len(rho))]
    return Oscillator(omega), padded


def _entry(value, where):
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(f"{where}: not a number: {json.dumps(value)}")
    if isinstance(value, float):
        # JSON numbers are read from their decimal text, not the binary float
        value = repr(value)
    try:
        parse_number(value)
    except ExpressionError as exc:
        raise ValueError(f"{where}: not a number: {shorten(value)} ({exc.reason})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return value if isinstance(value, str) else str(value)


def _matrix(rows, where):
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise ValueError(f"{where}: expected a matrix (a list of rows)")
    width = len(rows[0])
    for i, r in enumerate(rows):
        if len(r) != width:
            raise ValueError(f"{where}: row {i} has {len(r)} entries, row 0 has {width}")
    if width != len(rows):
        raise ValueError(f"{where}: matrix is {len(rows)}x{width}, not square")
    return [[_entry(v, f"{where}[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)]
