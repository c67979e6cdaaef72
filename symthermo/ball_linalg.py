"""Rigorous matrix operations on balls: propagators, partial traces, Hermitian spectra.

Every function returns matrices or numbers of balls (``flint.acb_mat``,
``flint.arb``) that contain the exact result for every exact input inside the
input balls; the precision is flint's (``symthermo.balls.ball_precision``).

- :func:`unitary_states` and :func:`lindblad_states` exponentiate the generator
  with ``acb_mat.exp`` (Arb's rigorous Taylor series with a bound of its tail and
  scaling and squaring), so no truncation is left unbounded.
- :func:`hermitian_eigvalsh` encloses the eigenvalues of a Hermitian matrix,
  multiplicities kept, in ascending order, by a simple argument that needs no
  separation of the eigenvalues (clusters and exact degeneracies are fine):

  1. an approximate eigenvector matrix ``Q`` (Arb's non-rigorous ``approx``
     eigensolver at the working precision, re-orthonormalised) is taken as an
     *exact* matrix of its midpoints;
  2. ``B = Q^* A Q`` is evaluated in balls and split as ``D + F``, D its (real)
     diagonal; by Weyl's inequality ``|lambda_i(B) - d_(i)| <= ||F||_2 <= ||F||_F``,
     d_(i) the i-th smallest diagonal entry;
  3. by Ostrowski's theorem ``lambda_i(B) = theta_i lambda_i(A)`` with
     ``|theta_i - 1| <= ||Q^* Q - I||_2 <= g`` (g the Frobenius norm, g < 1), so
     ``|lambda_i(A) - lambda_i(B)| <= g ||A||_2 <= g ||A||_F``.

  The i-th eigenvalue lies in the order statistic of the d balls widened by
  ``||F||_F + g ||A||_F``.  Both terms are of the size of the rounding errors
  at the working precision, so Ziv's loop narrows them by raising it.
  A matrix that a permutation makes block diagonal (the other entries exact
  zeros: a state on a few levels of a large Fock space) is split into its
  blocks first, and the spectra are merged.

>>> from flint import acb_mat
>>> from symthermo.balls import ball_precision
>>> from symthermo.ball_linalg import hermitian_eigvalsh
>>> with ball_precision(100):
...     lam = hermitian_eigvalsh(acb_mat([[2, 1], [1, 2]]))
...     print([x.contains(k) for x, k in zip(lam, (1, 3))], lam[0].rad() < 1e-25)
[True, True] True
"""

from __future__ import annotations

from flint import acb, acb_mat, arb

__all__ = ["acb_matrix", "ball_rows", "unitary_states", "lindblad_generator", "lindblad_states",
           "hermitian_eigvalsh", "frobenius_upper"]


def acb_matrix(M):
    """An ``acb_mat`` from a ball matrix of :data:`symthermo.balls.BALLS` (or rows of numbers)."""
    if isinstance(M, acb_mat):
        return M
    from .ball_conversion import to_ball

    rows = M.data if hasattr(M, "data") else M
    return acb_mat([[to_ball(v) for v in r] for r in rows])


def ball_rows(A):
    """The entries of an ``acb_mat`` as rows of balls; an entry whose imaginary part is
    an exact 0 becomes an ``arb``."""
    out = []
    for i in range(A.nrows()):
        row = []
        for j in range(A.ncols()):
            z = A[i, j]
            row.append(z.real if z.imag.is_zero() else z)
        out.append(row)
    return out


def unitary_states(H, rho0, times):
    """rho(t) = exp(-i H t) rho0 exp(i H t) for each t (``arb`` times >= 0), as ``acb_mat``.

    An exact t = 0 gives rho0 itself (no rounding: the structural zeros of the ledger
    at t = 0 rest on it).

    >>> from flint import acb_mat, arb
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.ball_linalg import unitary_states
    >>> with ball_precision(80):
    ...     r0, r1 = unitary_states(acb_mat([[0, 1], [1, 0]]), acb_mat([[1, 0], [0, 0]]),
    ...                             [arb(0), arb.pi() / 2])
    ...     print(r0[0, 0], r1[1, 1].real.contains(1), abs(r1[0, 0]) < 1e-20)
    1.0000000000000000000000 True True
    """
    H, rho0 = acb_matrix(H), acb_matrix(rho0)
    minus_i = acb(0, -1)
    out = []
    for t in times:
        if t.is_zero():
            out.append(rho0)
            continue
        U = (H * (minus_i * t)).exp()
        out.append(U * rho0 * U.conjugate().transpose())
    return out


def _kron(A, B):
    n, m = A.nrows(), B.nrows()
    K = acb_mat(n * m, n * m)
    for i in range(n):
        for j in range(n):
            a = A[i, j]
            if a.is_zero():
                continue
            for k in range(m):
                for l in range(m):
                    K[i * m + k, j * m + l] = a * B[k, l]
    return K


def lindblad_generator(H, terms):
    """The generator G of d vec(rho)/dt = G vec(rho), vec row-major (vec(A X B) =
    (A kron B^T) vec(X)), for d rho/dt = -i[H, rho] + sum_k r_k (L rho L^dag -
    {L^dag L, rho}/2); ``terms`` are (rate ball, L) pairs."""
    H = acb_matrix(H)
    d = H.nrows()
    eye = acb_mat(d, d)
    for i in range(d):
        eye[i, i] = 1
    G = (_kron(H, eye) - _kron(eye, H.transpose())) * acb(0, -1)
    for rate, L in terms:
        L = acb_matrix(L)
        LdL = L.conjugate().transpose() * L
        G = G + (_kron(L, L.conjugate()) - (_kron(LdL, eye) + _kron(eye, LdL.transpose())) / 2) * rate
    return G


def lindblad_states(H, terms, rho0, times):
    """rho(t) = exp(G t) rho0 (the vectorised generator exponentiated by ``acb_mat.exp``)."""
    rho0 = acb_matrix(rho0)
    d = rho0.nrows()
    G = lindblad_generator(H, terms)
    v0 = acb_mat([[rho0[i, j]] for i in range(d) for j in range(d)])
    out = []
    for t in times:
        if t.is_zero():
            out.append(rho0)
            continue
        v = (G * t).exp() * v0
        out.append(acb_mat([[v[i * d + j, 0] for j in range(d)] for i in range(d)]))
    return out


def frobenius_upper(A):
    """An upper bound (exact ``arb``) of the Frobenius norm of a ball matrix."""
    total = arb(0)
    for i in range(A.nrows()):
        for j in range(A.ncols()):
            z = A[i, j]
            total = total + (z.real * z.real + z.imag * z.imag)
    return total.upper().sqrt().upper()


def _approx_orthonormal_eigenvectors(A):
    """Midpoints of Arb's approximate eigenvectors, Gram-Schmidt orthonormalised (not
    rigorous: :func:`hermitian_eigvalsh` bounds what they miss)."""
    mid = acb_mat([[A[i, j].mid() for j in range(A.ncols())] for i in range(A.nrows())])
    _, R = mid.eig(right=True, algorithm="approx")
    n = R.nrows()
    cols = [[R[i, k].mid() for i in range(n)] for k in range(n)]
    basis = []
    for v in cols:
        for _ in range(2):  # twice is enough (Kahan's "twice is enough")
            for u in basis:
                c = sum((u[i].conjugate() * v[i] for i in range(n)), acb(0))
                v = [v[i] - c * u[i] for i in range(n)]
        norm = sum((abs(x) ** 2 for x in v), arb(0)).sqrt()
        if not norm > 0:
            raise ArithmeticError("eigenvectors are linearly dependent")
        basis.append([(x / norm).mid() for x in v])
    return acb_mat([[basis[k][i] for k in range(n)] for i in range(n)])


def _blocks(A):
    """The index sets of the connected components of A's pattern (entries that are not
    exact zeros), each sorted, in order of their smallest index."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = A.nrows()
    rows, cols = [], []
    for i in range(n):
        for j in range(n):
            if i != j and not A[i, j].is_zero():
                rows.append(i)
                cols.append(j)
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    out = [[] for _ in range(count)]
    for i, label in enumerate(labels):
        out[label].append(i)
    return sorted(out)


def hermitian_eigvalsh(A):
    """Enclosures of the eigenvalues of the Hermitian matrix A (an ``acb_mat`` of balls
    holding a Hermitian matrix), ascending, multiplicities kept, as ``arb`` balls (see
    the module docstring for the bound).  Diagonal matrices give their diagonal."""
    from .balls import BALLS

    A = acb_matrix(A)
    n = A.nrows()
    if all(A[i, j].is_zero() for i in range(n) for j in range(n) if i != j):
        return BALLS.sort([A[i, i].real for i in range(n)])
    blocks = _blocks(A)
    if len(blocks) > 1:
        # a permutation makes A block diagonal (the other entries are exact zeros): its
        # spectrum is the union of the blocks' (a state on a few of many levels)
        values = []
        for idx in blocks:
            values += BALLS.eigvalsh(BALLS.matrix([[A[i, j] for j in idx] for i in idx]))
        return BALLS.sort(values)
    Q = _approx_orthonormal_eigenvectors(A)
    Qh = Q.conjugate().transpose()
    B = Qh * A * Q
    diag = [B[i, i].real for i in range(n)]
    for i in range(n):
        B[i, i] = acb(0)
    f = frobenius_upper(B)
    G = Qh * Q
    for i in range(n):
        G[i, i] = G[i, i] - 1
    g = frobenius_upper(G)
    if not g < 1:
        raise ArithmeticError(f"eigenvector matrix is not close to unitary (|Q*Q - I| <= {g})")
    widen = (f + g * frobenius_upper(A)).upper()
    return [x + arb(0, widen) for x in BALLS.sort(diag)]
