"""The Lindblad generator of the propagator: the master equation as a d^2 x d^2
matrix G acting on column-stacked density matrices, d vec(rho)/dt = G vec(rho)."""

from __future__ import annotations

import numpy as np

from .lazy import lazy_import
from .precision import precision_held
from .propagator_input import _GUARD_DIGITS, _check_dps, _read_hamiltonian, _read_lindblad

mpmath = lazy_import("mpmath")

__all__ = ["lindblad_generator"]


@precision_held()  # mpmath's precision is process-wide
def lindblad_generator(H, lindblad, *, dps=None):
    """The Lindblad superoperator as a d^2 x d^2 matrix, column-stacking convention.

    With vec(rho)[j*d + i] = rho[i, j] (columns stacked; numpy
    ``rho.reshape(-1, order="F")``) and vec(A X B) = (B^T kron A) vec(X),
    the master equation reads d vec(rho)/dt = G vec(rho) with

        G = -i (I kron H - H^T kron I)
            + sum_k rate_k (conj(L_k) kron L_k
                            - 1/2 I kron L_k^dag L_k
                            - 1/2 (L_k^dag L_k)^T kron I).

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings).
    lindblad : sequence of (rate, L) pairs
        Non-negative rates (number or string) and d x d jump operators.
    dps : int or None, keyword-only
        None for a complex128 array; otherwise an ``mpmath.matrix`` rounded
        to ``dps`` digits.

    Returns
    -------
    numpy.ndarray or mpmath.matrix
        The d^2 x d^2 generator G.

    Raises
    ------
    ValueError
        For a non-Hermitian H, a negative rate, or an L of the wrong size.

    Examples
    --------
    >>> import numpy as np
    >>> from symthermo.propagator_generator import lindblad_generator
    >>> sm = [[0, 0], [1, 0]]                     # |e><g| has index (0, 1): sm = |g><e|
    >>> G = lindblad_generator([[0, 0], [0, 0]], [("1", sm)])
    >>> rho = np.array([[0.25, 0.1], [0.1, 0.75]])
    >>> drho = (G @ rho.reshape(-1, order="F")).reshape(2, 2, order="F")
    >>> np.round(drho.real, 12)                   # P_e decays at rate 1, coherence at 1/2
    array([[-0.25, -0.05],
           [-0.05,  0.25]])
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        return _generator_numpy(Hm, _read_lindblad(lindblad, Hm.shape[0], None))
    dps = _check_dps(dps)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        Hm = _read_hamiltonian(H, dps)
        G = _generator_mp(Hm, _read_lindblad(lindblad, Hm.rows, dps))
    with mpmath.workdps(dps):
        return G.apply(lambda z: +z)


def _generator_numpy(H, terms):
    d = H.shape[0]
    eye = np.eye(d)
    G = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for rate, L in terms:
        M = L.conj().T @ L
        G += rate * (np.kron(L.conj(), L) - 0.5 * np.kron(eye, M) - 0.5 * np.kron(M.T, eye))
    return G


def _generator_mp(H, terms):
    """The same G as :func:`_generator_numpy`, entry by entry in mpmath."""
    d = H.rows
    n = d * d
    M = mpmath.matrix(d, d)
    for rate, L in terms:
        M = M + rate * (L.H * L)
    G = mpmath.matrix(n, n)
    for j in range(d):
        for i in range(d):
            row = j * d + i
            for l in range(d):
                for k in range(d):
                    value = mpmath.mpf(0)
                    if j == l:
                        value += -1j * H[i, k] - M[i, k] / 2
                    if i == k:
                        value += 1j * H[l, j] - M[l, j] / 2
                    for rate, L in terms:
                        if rate:
                            value += rate * mpmath.conj(L[j, l]) * L[i, k]
                    if value:
                        G[row, l * d + k] = value
    return G
