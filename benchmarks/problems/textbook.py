"""Textbook formulas in plain mpmath, written here independently of symthermo.

They give the independent references of the benchmark: problem 4 (near-pure
states, every value at dps 60) and the cross-check of the dps-50 references
of problems 1 and 5.  Each function works at the caller's ``mpmath.mp.dps``;
callers add guard digits themselves.

Definitions (hbar = k_B = 1, entropies in nats, 0 ln 0 = 0):

- S(rho) = -sum_k p_k ln p_k over the eigenvalues of rho (multiplicities kept);
- D(rho || sigma) = sum_i r_i ln r_i - sum_ij |<r_i|s_j>|^2 r_i ln s_j;
- beta(rho): the beta >= 0 with S(exp(-beta H)/Z) = S(rho) (inf if S = 0,
  0 at the maximal entropy ln d), found by bisection on beta, then Newton;
- E^th = Tr[w(beta) H]; exergy = E - E^th; ergotropy = E - sum_k p_k^down e_k^up.
"""

from __future__ import annotations

import mpmath

__all__ = ["eigh", "spectrum", "entropy_of", "relative_entropy", "thermal_weights",
           "thermal_entropy", "matched_beta", "thermal_energy", "passive_energy", "local_row",
           "partial_trace", "dagger", "expectation"]


def dagger(A):
    return A.transpose_conj()


def eigh(A):
    """Eigenvalues (ascending, real) and eigenvector matrix of a Hermitian mpmath matrix."""
    n = A.rows
    # symmetrise against rounding before the Hermitian solver
    B = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            B[i, j] = (A[i, j] + mpmath.conj(A[j, i])) / 2
    is_real = all(mpmath.im(B[i, j]) == 0 for i in range(n) for j in range(n))
    if is_real:
        B = B.apply(mpmath.re)
    E, Q = mpmath.eigh(B)
    order = sorted(range(n), key=lambda k: mpmath.re(E[k]))
    vals = [mpmath.re(E[k]) for k in order]
    vecs = mpmath.matrix(n, n)
    for new, old in enumerate(order):
        for i in range(n):
            vecs[i, new] = Q[i, old]
    return vals, vecs


def spectrum(rho):
    """Eigenvalues of a density matrix, ascending; tiny negative rounding set to 0."""
    if _is_diagonal(rho):
        vals = sorted(mpmath.re(rho[i, i]) for i in range(rho.rows))
    else:
        vals, _ = eigh(rho)
    return [v if v > 0 else mpmath.mpf(0) for v in vals]


def _is_diagonal(A):
    return all(A[i, j] == 0 for i in range(A.rows) for j in range(A.cols) if i != j)


def entropy_of(probabilities):
    return -mpmath.fsum(p * mpmath.log(p) for p in probabilities if p > 0)


def relative_entropy(rho, sigma):
    """D(rho || sigma) from the two eigen-decompositions (inf off the support)."""
    r, R = eigh(rho)
    s, Sg = eigh(sigma)
    n = rho.rows
    total = mpmath.fsum(x * mpmath.log(x) for x in r if x > 0)
    cross = []
    for i in range(n):
        if r[i] <= 0:
            continue
        for j in range(n):
            overlap = mpmath.fsum(mpmath.conj(R[k, i]) * Sg[k, j] for k in range(n))
            weight = abs(overlap) ** 2
            if weight == 0:
                continue
            if s[j] <= 0:
                return mpmath.inf
            cross.append(weight * r[i] * mpmath.log(s[j]))
    return total - mpmath.fsum(cross)


def thermal_weights(levels, beta):
    """Boltzmann populations of the ascending ``levels`` at ``beta`` (beta = inf: ground)."""
    e0 = levels[0]
    if beta == mpmath.inf:
        g = sum(1 for e in levels if e == e0)
        return [mpmath.mpf(1) / g if e == e0 else mpmath.mpf(0) for e in levels]
    w = [mpmath.exp(-beta * (e - e0)) for e in levels]
    z = mpmath.fsum(w)
    return [x / z for x in w]


def thermal_entropy(levels, beta):
    return entropy_of(thermal_weights(levels, beta))


def matched_beta(levels, entropy):
    """The beta >= 0 with S(w(beta)) = entropy (levels ascending, non-degenerate ground)."""
    if entropy <= 0:
        return mpmath.inf
    top = mpmath.log(len(levels))
    if entropy >= top:
        return mpmath.mpf(0)
    f = lambda b: thermal_entropy(levels, b) - entropy  # noqa: E731  (decreasing in b)
    lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    while f(hi) > 0:
        lo, hi = hi, 2 * hi
    # bisection to ~15 digits, then Newton with a numerical derivative to full precision
    for _ in range(60):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    b = (lo + hi) / 2
    for _ in range(60):
        step = f(b) / mpmath.diff(f, b)
        b -= step
        if abs(step) <= abs(b) * mpmath.mpf(10) ** (-mpmath.mp.dps + 3):
            break
    return b


def thermal_energy(levels, beta):
    return mpmath.fsum(w * e for w, e in zip(thermal_weights(levels, beta), levels))


def passive_energy(levels, probabilities):
    """Energy of the passive state: probabilities descending on the ascending levels."""
    return mpmath.fsum(p * e for p, e in zip(sorted(probabilities, reverse=True), levels))


def expectation(rho, A):
    n = rho.rows
    return mpmath.re(mpmath.fsum(rho[i, j] * A[j, i] for i in range(n) for j in range(n)))


def local_row(rho, H):
    """E, S, beta, Eth, ergotropy, exergy of ``rho`` under the Hermitian ``H``."""
    levels, _ = eigh(H)
    p = spectrum(rho)
    E = expectation(rho, H)
    S = entropy_of(p)
    beta = matched_beta(levels, S)
    Eth = thermal_energy(levels, beta)
    return {"E": E, "S": S, "beta": beta, "Eth": Eth,
            "ergotropy": E - passive_energy(levels, p), "exergy": E - Eth}


def partial_trace(rho, dims, keep):
    """Reduced state of subsystem ``keep`` (0 or 1) of a bipartite ``rho``."""
    da, db = dims
    if keep == 0:
        out = mpmath.matrix(da, da)
        for i in range(da):
            for j in range(da):
                out[i, j] = mpmath.fsum(rho[i * db + k, j * db + k] for k in range(db))
    else:
        out = mpmath.matrix(db, db)
        for i in range(db):
            for j in range(db):
                out[i, j] = mpmath.fsum(rho[k * db + i, k * db + j] for k in range(da))
    return out
