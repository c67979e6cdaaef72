"""Open-system evolution for the propagator: rho(t) = exp(G t) rho0 under the
Lindblad master equation (``scipy.linalg.expm`` at float64; at ``dps`` digits
through the block diagonalisation of :mod:`symthermo.block_diagonalisation`,
with ``mpmath.expm`` at each time as the fallback)."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .block_diagonalisation import _Fixed, block_diagonalise
from .lazy import lazy_import
from .precision import precision_held
from .propagator_generator import _generator_mp, _generator_numpy
from .propagator_input import (_GUARD_DIGITS, _check_dps, _extra_digits, _finish, _maxabs,
                               _read_hamiltonian, _read_lindblad, _read_state, _read_times,
                               _trace)

mpmath = lazy_import("mpmath")

__all__ = ["lindblad_evolution"]

#: extra guard digits of the mpmath Lindblad route, which loses digits to
#: the condition number of the generator's eigenvector basis
_LINDBLAD_GUARD_DIGITS = 12


@precision_held()  # mpmath's precision is process-wide
def lindblad_evolution(H, rho0, times, *, lindblad, dps=None, state_tolerance=None):
    """Density matrices exp(G t) rho0 under the Lindblad master equation.

    G is :func:`~symthermo.propagator_generator.lindblad_generator` (column-stacking
    convention).  At float64 each time is ``scipy.linalg.expm(G t) @ vec(rho0)``.  At
    ``dps`` digits G is block-diagonalised once, G = S D S^-1 with D block diagonal, one
    block per cluster of (nearly) equal eigenvalues: numpy's float64
    eigenvectors are the starting point, and Newton steps (Sylvester
    corrections, Newton-Schulz inverses) refine S and S^-1 at
    ``dps + 22`` digits until the off-block part of S^-1 G S and
    I - S S^-1 are at working precision; the result is verified, then
    exp(G t) = S exp(D t) S^-1 with ``exp(lambda t)`` for single eigenvalues
    and ``mpmath.expm`` for the blocks (defective, critically damped
    generators are blocks).  When the verification fails (an eigenvector
    basis too ill-conditioned for the precision) the route falls back to
    ``mpmath.expm(G t)`` (scaling and squaring) at each time, which is
    cheap for a qubit but takes minutes per time for an 81 x 81 generator.
    Entries of rho(t) carry an absolute error of about 10**-dps.

    The returned rho(t) is the Hermitian part of the computed matrix; an
    asymmetry or a trace drift above rounding level (1e-9 at float64,
    10**-dps otherwise) raises ``ArithmeticError`` instead.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"``).
    rho0 : matrix
        Initial density matrix, d x d.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    lindblad : sequence of (rate, L) pairs, keyword-only
        Non-negative rates and d x d jump operators.
    dps : int or None, keyword-only
        None for float64; otherwise mpmath at ``dps`` significant digits.

    Returns
    -------
    list
        rho(t) for each time: complex128 arrays or ``mpmath.matrix``
        rounded to ``dps`` digits.

    Raises
    ------
    ValueError
        For invalid H, rho0, times, rates or jump operators (the message
        quotes the offending value).
    ArithmeticError
        When the computed rho(t) is not Hermitian or trace-preserving to
        rounding level.

    Examples
    --------
    >>> import mpmath
    >>> from symthermo.propagator_lindblad import lindblad_evolution
    >>> sm = [[0, 0], [1, 0]]                     # decay |e> (index 0) -> |g>
    >>> rho = lindblad_evolution([[0, 0], [0, 0]], [[1, 0], [0, 0]], [1],
    ...                          lindblad=[("1/2", sm)], dps=30)[0]
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(rho[0, 0], 25), mpmath.nstr(mpmath.exp(-0.5), 25))
    0.6065306597126334236037995 0.6065306597126334236037995
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        d = Hm.shape[0]
        rho = _read_state(rho0, d, None, state_tolerance)
        terms = _read_lindblad(lindblad, d, None)
        ts = _read_times(times, None)
        G = _generator_numpy(Hm, terms)
        v0 = rho.reshape(-1, order="F")
        tr0 = np.trace(rho)
        norm = float(np.abs(G).sum(axis=1).max())  # ||G||_inf
        out = []
        for t in ts:
            v = scipy.linalg.expm(G * t) @ v0
            out.append(_finish(v.reshape(d, d, order="F"), tr0, None, norm, t))
        return out

    dps = _check_dps(dps)
    wdps = dps + _GUARD_DIGITS + _LINDBLAD_GUARD_DIGITS
    with mpmath.workdps(wdps):
        Hm = _read_hamiltonian(H, dps)
        d = Hm.rows
        terms = _read_lindblad(lindblad, d, dps)
        ts = _read_times(times, dps)
        # a bound on the spectral radius of G, for the digits lost to large |G| t
        bound = 2 * d * _maxabs(Hm) + sum(2 * rate * (d * _maxabs(L)) ** 2 for rate, L in terms)
        extra = _extra_digits(bound * max(ts, default=0))
    with mpmath.workdps(wdps + extra):
        if extra:  # read again, so that strings keep the extra digits
            Hm = _read_hamiltonian(H, dps)
            terms = _read_lindblad(lindblad, d, dps)
            ts = _read_times(times, dps)
        G = _generator_mp(Hm, terms)
        rho = _read_state(rho0, d, dps, state_tolerance)
        tr0 = _trace(rho)
        v0 = mpmath.matrix([rho[i, j] for j in range(d) for i in range(d)])
        vs = _propagate_mp(G, v0, ts, dps)
        out = []
        for v in vs:
            r = mpmath.matrix(d, d)
            for j in range(d):
                for i in range(d):
                    r[i, j] = v[j * d + i]
            out.append(_finish(r, tr0, dps))
        return out


def _propagate_mp(G, v0, ts, dps):
    """exp(G t) v0 for each t, at the current mpmath precision."""
    if not ts:
        return []
    scale = _maxabs(G)
    if scale == 0:
        return [v0.copy() for _ in ts]
    # work with G' = G / 2**k, |G'| ~ 1, exactly: exp(G t) = exp(G' (2**k t))
    k = int(mpmath.floor(mpmath.log(scale, 2))) + 1
    Gs = G * mpmath.ldexp(1, -k)
    tss = [mpmath.ldexp(t, k) for t in ts]
    decomposition = block_diagonalise(Gs, dps, max(tss))
    if decomposition is None:
        return _propagate_expm(G, v0, ts)
    return _propagate_blocks(decomposition, v0, tss)


def _propagate_expm(G, v0, ts):
    """The fallback: ``mpmath.expm`` (scaling and squaring) at each time."""
    cache = {}
    out = []
    for t in ts:
        key = mpmath.mpf(t)
        if key not in cache:
            cache[key] = mpmath.expm(G * t) * v0
        out.append(cache[key].copy())
    return out


def _propagate_blocks(decomposition, v0, ts):
    S, Y, blocks = decomposition
    bits = S.bits
    c = (Y @ _Fixed.from_mp(v0, bits)).to_mp()
    n = S.shape[0]
    W = mpmath.matrix(n, len(ts))
    eps = mpmath.eps
    for start, D in blocks:
        m = D.rows
        if m == 1:
            lam = D[0, 0]
            for col, t in enumerate(ts):
                W[start, col] = mpmath.exp(lam * t) * c[start]
            continue
        mu = sum(D[i, i] for i in range(m)) / m
        N = D - mu * mpmath.eye(m)
        nnorm = _maxabs(N) * m
        cb = mpmath.matrix([c[start + i] for i in range(m)])
        for col, t in enumerate(ts):
            if nnorm * t <= eps:  # a degenerate, diagonalisable cluster
                wb = mpmath.exp(mu * t) * cb
            else:
                wb = mpmath.exp(mu * t) * (mpmath.expm(N * t) * cb)
            for i in range(m):
                W[start + i, col] = wb[i]
    V = (S @ _Fixed.from_mp(W, bits)).to_mp()
    return [V[:, col] for col in range(len(ts))]
