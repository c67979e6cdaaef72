"""Proven Fock truncation: when a truncated oscillator's dynamics is exact.

A propagator keeps an oscillator in the Fock levels |0>, ..., |N-1>.  The
truncated space is generally not an enclosure of the infinite system; but often
the dynamics never reaches the top levels (a qubit exchanging one excitation with
a mode in its vacuum), and then the truncation error is **exactly 0**.
:func:`invariant_truncation` proves it from the operators' sparsity pattern alone,
with exact zeros only (a ball or SymPy entry counts as zero only when it is an
exact zero), so the proof is sound in every number system:

1. every operator (the joint Hamiltonian, each Lindblad operator L) changes the
   Fock number of each oscillator by at most ``r`` (its *Fock range*, read from
   the blocks of the given matrices: the operator is taken to be the truncation of
   one with that range, such as a polynomial of degree r in a and a^dag);
2. the set R of basis states reachable from the support of rho0 by the graphs of
   H, L and L^dag L (the generator d rho/dt = -i(H_eff rho - rho H_eff^dag) + sum L
   rho L^dag, H_eff = H - (i/2) sum L^dag L, maps operators supported on span R into
   themselves when R is closed under these three graphs) avoids the top ``r`` levels
   of every oscillator.

Then on span R every infinite operator acts as its truncation: a state of R is at
least r levels below the cut, and so is L applied to it (R is closed under L), on
which L^dag acts as its truncation too; so span R is
invariant under the infinite generator, which equals the truncated one there: the
truncated rho(t) is the exact one.

Not covered (the callers fall back to mpmath and its top-level population check):
a truncation that is not invariant.  A Duhamel bound of ||rho(t) - rho_N(t)||_1
would bound the finite subsystems' quantities, but not the oscillator's own: its
energy omega n is unbounded (a trace-norm error does not bound Tr[n (rho -
rho_N)]) and entropy continuity in infinite dimension needs an energy constraint
(Fannes-Audenaert's bound grows with the dimension); and the coupling of the top
level to the levels beyond the cut, which such a bound needs, is not part of a
truncated matrix given in SYSTEM.json.

>>> from symthermo.fock_truncation import invariant_truncation
>>> a = [[0, 1, 0], [0, 0, 2 ** 0.5], [0, 0, 0]]          # a on |0>, |1>, |2>
>>> import numpy as np
>>> sp, sm = np.array([[0, 1], [0, 0]]), np.array([[0, 0], [1, 0]])  # (|e>, |g>)
>>> V = np.kron(sp, np.array(a)) + np.kron(sm, np.array(a).T)    # sigma_+ a + h.c.
>>> rho0 = np.zeros((6, 6)); rho0[0, 0] = 1                      # |e, 0>
>>> invariant_truncation(V, [], rho0, [2, 3], [1])                # reaches |g, 1> only
True
>>> rho1 = np.zeros((6, 6)); rho1[1, 1] = 1                      # |e, 1>: reaches |g, 2>
>>> invariant_truncation(V, [], rho1, [2, 3], [1])
False
"""

from __future__ import annotations

__all__ = ["fock_range", "reachable", "reachable_entries", "invariant_support",
           "invariant_truncation"]


def _entries(M):
    """Rows of entries of a matrix (balls, SymPy, mpmath, numpy or nested lists)."""
    if hasattr(M, "data") and isinstance(M.data, list):  # symthermo's ball matrices
        return M.data
    if hasattr(M, "tolist"):
        return M.tolist()
    if hasattr(M, "rows") and hasattr(M, "cols"):  # mpmath
        return [[M[i, j] for j in range(M.cols)] for i in range(M.rows)]
    return [list(r) for r in M]


def _exact_zero(x):
    """True only for an exact zero (a ball of radius 0 at 0, a SymPy or Python 0)."""
    is_zero = getattr(x, "is_zero", None)
    if callable(is_zero):  # flint arb/acb: exact zero only
        return bool(is_zero())
    if is_zero is not None and not isinstance(x, (int, float, complex)):  # SymPy
        return is_zero is True
    return x == 0


def _pattern(M):
    """{i: [j, ...]}: the nonzero entries of each column j -> rows i (graph j -> i)."""
    rows = _entries(M)
    out = {}
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            if not _exact_zero(x):
                out.setdefault(j, []).append(i)
    return out


def _levels(index, dims, k):
    """The basis index's level in tensor factor k (row-major tensor order)."""
    stride = 1
    for d in dims[k + 1:]:
        stride *= d
    return (index // stride) % dims[k]


def fock_range(M, dims, k):
    """The largest change of the level of factor ``k`` over the nonzero entries of M.

    >>> from symthermo.fock_truncation import fock_range
    >>> fock_range([[0, 1, 0], [0, 0, 1], [0, 0, 0]], [3], 0)
    1
    """
    graph = _pattern(M)
    return max((abs(_levels(i, dims, k) - _levels(j, dims, k))
                for j, targets in graph.items() for i in targets), default=0)


def reachable(operators, rho0):
    """The basis states reachable from rho0's support (its diagonal entries that are not
    exact zeros: a positive matrix with rho_ii = 0 has row and column i zero) by the
    graphs of ``operators``, as a sorted list."""
    diag = _entries(rho0)
    start = [i for i in range(len(diag)) if not _exact_zero(diag[i][i])]
    graphs = [_pattern(M) for M in operators]
    seen, todo = set(start), list(start)
    while todo:
        j = todo.pop()
        for g in graphs:
            for i in g.get(j, ()):
                if i not in seen:
                    seen.add(i)
                    todo.append(i)
    return sorted(seen)


def invariant_truncation(H, lindblad_operators, rho0, dims, oscillators):
    """:func:`invariant_support` is not None."""
    return invariant_support(H, lindblad_operators, rho0, dims, oscillators) is not None


def invariant_support(H, lindblad_operators, rho0, dims, oscillators):
    """The reachable basis states R (sorted indices) when the truncated Fock spaces of
    ``oscillators`` (factor indices into ``dims``) are proven invariant: the truncated
    dynamics is the exact one, and rho(t) is supported on span R (module docstring);
    None when not proven.  ``lindblad_operators`` are the operators L (rates do not
    matter: an operator whose rate is an exact 0 may be passed or not, counting it is
    safe)."""
    products = [_dagger_times_pattern(L) for L in lindblad_operators]
    ops = [H, *lindblad_operators]
    reach = reachable(ops + products, rho0)
    for k in oscillators:
        top = dims[k] - max(fock_range(M, dims, k) for M in ops)
        if top <= 0 or any(_levels(i, dims, k) >= top for i in reach):
            return None
    return reach


def _dagger_times_pattern(L):
    """The sparsity pattern of L^dag L (1 where some product of two entries that are
    not exact zeros enters, 0 elsewhere): a superset of its nonzero entries."""
    rows = _entries(L)
    n = len(rows)
    cols = [{k for k in range(n) if not _exact_zero(rows[k][j])} for j in range(n)]
    return [[1 if cols[i] & cols[j] else 0 for j in range(n)] for i in range(n)]


def reachable_entries(H, lindblad_operators, rho0):
    """The entries (i, j) of rho(t) that may be nonzero at some t, as a set: those
    reachable from the entries of rho0 that are not exact zeros by the graph of the
    generator,

        d rho_ij/dt = -i sum_k (Heff_ik rho_kj - rho_ik Heff^dag_kj) + sum L_ik rho_kl L*_jl,

    Heff = H - (i/2) sum L^dag L (the patterns of H and L^dag L stand for Heff's).
    The span of the other entries' complement is invariant under the generator, so
    those entries are exact zeros at every time: structure, not a cancellation.

    >>> from symthermo.fock_truncation import reachable_entries
    >>> H = [[0, 1, 0], [1, 0, 0], [0, 0, 5]]               # |0> <-> |1>; |2> alone
    >>> sorted(reachable_entries(H, [], [[1, 0, 0], [0, 0, 0], [0, 0, 1]]))
    [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]
    """
    heff = {}
    for M in [H, *(_dagger_times_pattern(L) for L in lindblad_operators)]:
        for j, targets in _pattern(M).items():
            heff.setdefault(j, set()).update(targets)
    jumps = [_pattern(L) for L in lindblad_operators]
    rows = _entries(rho0)
    start = {(i, j) for i, row in enumerate(rows) for j, x in enumerate(row)
             if not _exact_zero(x)}
    seen, todo = set(start), list(start)
    while todo:
        k, l = todo.pop()
        new = [(i, l) for i in heff.get(k, ())] + [(k, j) for j in heff.get(l, ())]
        for g in jumps:
            new += [(i, j) for i in g.get(k, ()) for j in g.get(l, ())]
        for e in new:
            if e not in seen:
                seen.add(e)
                todo.append(e)
    return seen
