"""A matrix block-diagonalised at high precision, G = S D S^-1, verified.

numpy's float64 eigenvectors are the start; Newton steps (Sylvester corrections
solved in float64, Newton-Schulz inverses) refine S and S^-1 in absolute fixed
point (:class:`_Fixed`, Python integers in numpy object arrays, several times
faster than mpmath matrices) until the off-block part of S^-1 G S and
I - S S^-1 are at working precision; the result is verified independently of
how it was found.  One block per cluster of (nearly) equal eigenvalues, so
defective and critically damped generators are blocks.  Used by
:func:`symthermo.propagator_lindblad.lindblad_evolution`.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
from scipy.sparse.csgraph import connected_components

from .lazy import lazy_import

mpmath = lazy_import("mpmath")

__all__ = ["block_diagonalise"]


class _Fixed:
    """Complex matrix ``(re + 1j*im) * 2**-bits`` holding Python integers.

    Absolute fixed point: every entry is a multiple of 2**-bits, which suits
    the matrices below (all of order one, G being scaled to max |G_ij| ~ 1).
    numpy multiplies object arrays of Python integers several times faster
    than mpmath multiplies matrices of ``mpc``, which makes the refinement
    affordable for an 81 x 81 generator; small matrices (corrections,
    residuals) have short integers and multiply faster still.
    """

    __slots__ = ("re", "im", "bits")

    def __init__(self, re, im, bits):
        self.re, self.im, self.bits = re, im, bits

    @property
    def shape(self):
        return self.re.shape

    @classmethod
    def _from_pairs(cls, pairs, shape, bits):
        """From (mantissa, exponent) pairs: all real parts, then all imaginary parts."""
        size = shape[0] * shape[1]
        vals = [_shift(m, e + bits) for m, e in pairs]
        re = np.empty(size, dtype=object)
        im = np.empty(size, dtype=object)
        re[:] = vals[:size]
        im[:] = vals[size:]
        return cls(re.reshape(shape), im.reshape(shape), bits)

    @classmethod
    def from_mp(cls, M, bits):
        entries = [mpmath.mpc(z)._mpc_ for row in M.tolist() for z in row]
        pairs = [_signed(z[0]) for z in entries] + [_signed(z[1]) for z in entries]
        return cls._from_pairs(pairs, (M.rows, M.cols), bits)

    @classmethod
    def from_complex(cls, A, bits, exp=0):
        """The binary values of a complex128 array times 2**exp, rounded to 2**-bits."""
        flat = np.asarray(A, dtype=np.complex128).ravel()
        pairs = [_float_pair(float(x), exp) for x in flat.real]
        pairs += [_float_pair(float(x), exp) for x in flat.imag]
        return cls._from_pairs(pairs, A.shape, bits)

    @classmethod
    def eye(cls, n, bits):
        re = np.empty((n, n), dtype=object)
        re[...] = 0
        im = re.copy()
        for i in range(n):
            re[i, i] = 1 << bits
        return cls(re, im, bits)

    def __matmul__(self, other):
        a, b, bits = self, other, self.bits
        k1 = (a.re + a.im) @ b.re
        k2 = a.re @ (b.im - b.re)
        k3 = a.im @ (b.re + b.im)
        half = 1 << (bits - 1)
        return _Fixed((k1 - k3 + half) >> bits, (k1 + k2 + half) >> bits, bits)

    def __add__(self, other):
        return _Fixed(self.re + other.re, self.im + other.im, self.bits)

    def __sub__(self, other):
        return _Fixed(self.re - other.re, self.im - other.im, self.bits)

    def masked(self, keep):
        """A copy with the entries where ``keep`` is False set to zero."""
        return _Fixed(np.where(keep, self.re, 0), np.where(keep, self.im, 0), self.bits)

    def maxabs(self):
        """max(|Re|, |Im|) over the entries, as an mpf (no under- or overflow)."""
        top = max(max(abs(x) for x in self.re.flat), max(abs(x) for x in self.im.flat))
        return mpmath.mpf((top, -self.bits))

    def scaled_floats(self):
        """(A, e): a complex128 array with max |A| about 1 and self = A * 2**e."""
        top = max(max(abs(x).bit_length() for x in self.re.flat),
                  max(abs(x).bit_length() for x in self.im.flat))
        if top == 0:
            return np.zeros(self.shape, dtype=np.complex128), 0
        s = top - 60  # keep 60 bits of each entry relative to the largest
        re = np.array([float(_shift(x, -s)) for x in self.re.flat]).reshape(self.shape)
        im = np.array([float(_shift(x, -s)) for x in self.im.flat]).reshape(self.shape)
        return (re + 1j * im) * 2.0**-60, s + 60 - self.bits

    def to_complex(self):
        A, e = self.scaled_floats()
        return np.ldexp(A.real, e) + 1j * np.ldexp(A.imag, e)

    def to_mp(self):
        rows, cols = self.shape
        M = mpmath.matrix(rows, cols)
        e = -self.bits
        for i in range(rows):
            for j in range(cols):
                M[i, j] = mpmath.mpc(mpmath.mpf((self.re[i, j], e)), mpmath.mpf((self.im[i, j], e)))
        return M

    def block(self, rows, cols):
        return _Fixed(self.re[rows, cols], self.im[rows, cols], self.bits)


def _shift(m, s):
    """m * 2**s rounded to an integer."""
    if s >= 0:
        return m << s
    return (m + (1 << (-s - 1))) >> -s


def _signed(mpf_tuple):
    # an mpf's man_exp drops the sign, so read the raw (sign, man, exp, bc)
    sign, man, exp, _ = mpf_tuple
    return (-int(man) if sign else int(man)), exp


def _float_pair(x, exp=0):
    if x == 0.0:
        return 0, 0
    m, e = math.frexp(x)
    return int(m * 2**53), e - 53 + exp


def _clusters(lam, delta):
    """Groups of eigenvalues linked by distances <= delta, as arrays of indices."""
    linked = np.abs(lam[:, None] - lam[None, :]) <= delta
    count, labels = connected_components(linked, directed=False)
    return [np.flatnonzero(labels == c) for c in range(count)]


def _decoupling(Tf, F, slices):
    """Z (off-block) with T_aa Z_ab - Z_ab T_bb = -F_ab for every pair of blocks a != b.

    Solved in float64: one Newton step of the block diagonalisation, exact
    to first order in F up to float64's relative error, so each step shrinks
    the off-block part by about 1e-16 (or quadratically).
    """
    diag = np.diag(Tf)
    with np.errstate(divide="ignore", invalid="ignore"):
        Z = -F / (diag[:, None] - diag[None, :])
    for a in slices:
        Z[a, a] = 0
    singles = [a for a in slices if a.stop - a.start == 1]
    multis = [a for a in slices if a.stop - a.start > 1]
    for a in multis:
        for b in slices:
            if b is not a:
                Z[a, b] = scipy.linalg.solve_sylvester(Tf[a, a], -Tf[b, b], -F[a, b])
        for b in singles:
            Z[b, a] = scipy.linalg.solve_sylvester(Tf[b, b], -Tf[a, a], -F[b, a])
    return Z if np.all(np.isfinite(Z)) else None


def block_diagonalise(G, dps, t_max):
    """(S, S^-1, blocks) with G = S D S^-1, D block diagonal, verified; or None.

    G is scaled so that max |G_ij| is about 1, and is given at the working
    precision; ``blocks`` lists (first index, mpmath block of D).
    """
    n = G.rows
    bits = int(mpmath.mp.prec) + 8
    Gx = _Fixed.from_mp(G, bits)
    try:
        lam, X = np.linalg.eig(Gx.to_complex())
    except np.linalg.LinAlgError:
        return None
    if not (np.all(np.isfinite(lam)) and np.all(np.isfinite(X))):
        return None
    target = mpmath.mpf(10) ** -(dps + 3)  # allowed error of exp(G t) v0, relative to |v0|
    tried = set()
    for delta in (1e-6, 1e-4, 1e-2):
        clusters = _clusters(lam, delta)
        key = tuple(tuple(c) for c in clusters)
        if key in tried or (len(clusters) == 1 and n > 1):
            continue
        tried.add(key)
        result = _refine(Gx, X, clusters, target, t_max)
        if result is not None:
            return result
    return None


def _refine(Gx, X, clusters, target, t_max):
    """Newton refinement of a block diagonalisation of Gx, verified, or None.

    S starts from float64 eigenvectors (an orthonormal basis of each cluster's
    span) and Y from the float64 inverse.  Each step computes T = Y G S,
    removes the off-block part of T to first order (S <- S (I + Z),
    Y <- (I - Z) Y) after one Newton-Schulz step Y <- Y + Y (I - S Y).
    """
    n, bits = Gx.shape[0], Gx.bits
    columns, slices, start = [], [], 0
    for members in clusters:
        q, _ = np.linalg.qr(X[:, members])  # orthonormal basis of the cluster's span
        columns.append(q)
        slices.append(slice(start, start + len(members)))
        start += len(members)
    Sf = np.hstack(columns)
    try:
        Yf = np.linalg.inv(Sf)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(Yf)):
        return None
    S, Y = _Fixed.from_complex(Sf, bits), _Fixed.from_complex(Yf, bits)
    eye = _Fixed.eye(n, bits)
    offblock = np.ones((n, n), dtype=bool)
    for a in slices:
        offblock[a, a] = False
    eps = mpmath.ldexp(1, -bits)
    previous = None
    for _ in range(16):
        R = eye - S @ Y
        r = R.maxabs()
        if r > 0.5:
            return None
        floor = 64 * n * n * eps * S.maxabs() * Y.maxabs()
        if r > floor:
            Y = Y + Y @ R  # Newton-Schulz: squares the residual
        T = Y @ (Gx @ S)
        F = T.masked(offblock)
        f = F.maxabs()
        if f <= floor and r <= floor:
            break
        if previous is not None and max(f, r) > previous / 16:
            break  # no more progress
        previous = max(f, r)
        if f > floor:
            Fs, e = F.scaled_floats()
            Zs = _decoupling(T.to_complex(), Fs, slices)
            if Zs is None or math.log2(max(float(np.max(np.abs(Zs))), 1e-300)) + e > -2:
                return None
            Z = _Fixed.from_complex(Zs, bits, exp=e)
            S = S + S @ Z
            Y = Y - Z @ Y
    # verification, independent of how S and Y were found
    T = Y @ (Gx @ S)
    f = T.masked(offblock).maxabs()
    r = (eye - S @ Y).maxabs()
    kappa = n * S.maxabs() * n * Y.maxabs()
    error = kappa * (r + n * f * t_max + n * eps)
    if not error <= target:
        return None
    blocks = [(a.start, T.block(a, a).to_mp()) for a in slices]
    return S, Y, blocks
