"""Exact propagation of Hamiltonians made of 1x1 and 2x2 blocks (SymPy).

The finite models (the refrigerator, the qubit-qubit exchange, the qutrit swap)
couple their levels in pairs: H splits into blocks found from its off-diagonal
pattern (:func:`coupled_blocks`), each 2x2 block propagates as a spin in a static
field (:func:`evolve_in_blocks`, in half-angle symbols), and the observables come
out as short sums of cos(nu_k t) (:func:`half_angle_to_full`,
:func:`cosine_series`).
"""

from __future__ import annotations

from ..lazy import lazy_import

sympy = lazy_import("sympy")

__all__ = ["coupled_blocks", "evolve_in_blocks", "half_angle_to_full", "cosine_series"]


def coupled_blocks(H):
    """Index blocks of H: the connected components of its off-diagonal pattern.

    >>> import sympy
    >>> coupled_blocks(sympy.Matrix([[1, 0, 0, 2], [0, 3, 1, 0], [0, 1, 4, 0], [2, 0, 0, 5]]))
    [[0, 3], [1, 2]]
    """
    n = H.rows
    seen, blocks = set(), []
    for i in range(n):
        if i in seen:
            continue
        comp, stack = set(), [i]
        while stack:
            k = stack.pop()
            if k in comp:
                continue
            comp.add(k)
            stack += [j for j in range(n) if j != k and H[k, j] != 0]
        seen |= comp
        blocks.append(sorted(comp))
    return blocks


def evolve_in_blocks(H, rho0, *, name="nu"):
    """rho(t) = U rho0 U^dag for H made of 1x1 and 2x2 blocks, exactly.

    Each 2x2 block h = (tr h/2) 1 + K with K^2 = (nu/2)^2 1 propagates as
    U = exp(-i tr(h) t/2) [cos(nu t/2) 1 - (2i/nu) sin(nu t/2) K].  The
    half-angle cosine and sine of block k are the symbols ``C_k``, ``S_k``
    and its frequency the symbol ``nu_k`` (positive), so rho(t) comes out as
    a polynomial in them: cheap to simplify.  Coherences between different
    blocks of rho0 are allowed only when every block has zero trace (no
    relative phases); callers pass a Hamiltonian in a suitable frame.  H's
    entries and the symbols in rho0 must be real (U^dag conjugates i only).

    Returns ``(rho_t, frequencies)`` with ``frequencies`` a list of
    ``(nu_k, nu_k**2 as an expression of H's entries, C_k, S_k)``.
    """
    if any(e.has(sympy.I) for e in H):
        raise NotImplementedError("H must be real (U^dag is formed by conjugating i)")
    blocks = coupled_blocks(H)
    where = {}
    for b, idx in enumerate(blocks):
        for i in idx:
            where[i] = b
    n = H.rows
    cross = any(rho0[i, j] != 0 for i in range(n) for j in range(n) if where[i] != where[j])
    if cross and any(sympy.simplify(H.extract(b, b).trace()) != 0 for b in blocks):
        raise NotImplementedError("coherences between blocks need traceless blocks (use a frame)")
    # The block phases exp(-i tr(h) t/2) cancel in U rho0 U^dag when rho0 is
    # block-diagonal, and are 1 when every block is traceless: leave them out.
    U = sympy.zeros(n)
    freqs = []
    for idx in blocks:
        h = H.extract(idx, idx)
        if len(idx) == 1:
            U[idx[0], idx[0]] = 1
            continue
        if len(idx) != 2:
            raise NotImplementedError(f"block {idx} of size {len(idx)}: only 1x1 and 2x2 blocks")
        k = len(freqs)
        nu = sympy.Symbol(f"{name}_{k}", positive=True)
        C, S = sympy.Symbol(f"C_{k}", real=True), sympy.Symbol(f"S_{k}", real=True)
        K = h - h.trace() / 2 * sympy.eye(2)
        nu2 = sympy.factor(sympy.expand(4 * (K * K)[0, 0]))
        Ub = C * sympy.eye(2) - 2 * sympy.I * S / nu * K
        for a, i in enumerate(idx):
            for c, j in enumerate(idx):
                U[i, j] = Ub[a, c]
        freqs.append((nu, nu2, C, S))
    Ud = U.T.applyfunc(lambda e: e.subs(sympy.I, -sympy.I))
    rho_t = (U * rho0 * Ud).applyfunc(sympy.expand)
    return rho_t, freqs


def half_angle_to_full(expr, freqs):
    """Replace C_k^2, S_k^2, C_k S_k by (1 + cos nu_k t)/2, (1 - cos nu_k t)/2,
    sin(nu_k t)/2, for an expression of degree <= 2 in each block's (C_k, S_k)."""
    from .base import T  # lazy (PEP 562)
    expr = sympy.expand(expr)
    for nu, _, C, S in freqs:
        if not (expr.has(C) or expr.has(S)):
            continue
        c, s = sympy.cos(nu * T), sympy.sin(nu * T)
        full = {(0, 0): 1, (2, 0): (1 + c) / 2, (0, 2): (1 - c) / 2, (1, 1): s / 2}
        total = sympy.Integer(0)
        for (i, j), coeff in sympy.Poly(expr, C, S).terms():
            if (i, j) not in full:
                raise ValueError(f"C^{i} S^{j}: not a product of two half-angle factors")
            total += coeff * full[(i, j)]
        expr = sympy.expand(total)
    return expr


def _kron(A, B):
    """Kronecker product of two SymPy matrices (A's index first)."""
    return sympy.Matrix(A.rows * B.rows, A.cols * B.cols,
                        lambda i, j: A[i // B.rows, j // B.cols] * B[i % B.rows, j % B.cols])


def cosine_series(exprs):
    """Write each expression as c_0 + sum_k c_k cos(nu_k t) over shared frequencies.

    Returns ``(frequencies, rows)`` with one row ``[e(0), c_1, c_2, ...]`` per
    expression (so e(t) = e(0) + sum_k c_k (cos(nu_k t) - 1), exact at t = 0);
    raises ValueError when an expression is not of that form.
    """
    from .base import T  # lazy (PEP 562)
    cosines = sorted({c for e in exprs for c in sympy.sympify(e).atoms(sympy.cos) if c.has(T)},
                     key=sympy.default_sort_key)
    freqs = []
    for c in cosines:
        nu = sympy.cancel(c.args[0] / T)
        if nu.has(T):
            raise ValueError(f"{c} is not cos(nu t)")
        freqs.append(nu)
    rows = []
    for e in exprs:
        e = sympy.expand(sympy.sympify(e))
        coeffs = [e.coeff(c) for c in cosines]
        const = e.subs({c: 0 for c in cosines})
        rest = sympy.expand(e - const - sum((k * c for k, c in zip(coeffs, cosines)), sympy.Integer(0)))
        if rest != 0 or any(x.has(T) for x in [const] + coeffs):
            raise ValueError(f"not a cosine series in t: {e}")
        rows.append([sympy.expand(const + sum(coeffs, sympy.Integer(0)))] + coeffs)
    return freqs, rows

