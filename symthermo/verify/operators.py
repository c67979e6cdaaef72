"""Matrices on named tensor factors (:class:`Op`, :class:`Space`) and their exact copies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import sympy

from ..numbers import MPMATH
from .tolerance import TOLERANCE

__all__ = ["Space", "Op", "exact_matrix"]


def _scale(*xs):
    out = mpmath.mpf(1)
    for x in xs:
        if isinstance(x, Op):
            out = max(out, x.norm())
        else:
            out = max(out, abs(x))
    return out


@dataclass(frozen=True)
class Space:
    """Subsystem names (tensor order) and their dimensions."""

    names: tuple
    dims: tuple

    def dim(self, support):
        out = 1
        for n in support:
            out *= self.dims[self.names.index(n)]
        return out

    def ordered(self, names):
        return tuple(n for n in self.names if n in names)


class Op:
    """A matrix acting on some subsystems of a :class:`Space` (embedded on demand).

    >>> import mpmath
    >>> from symthermo.verify.operators import Op, Space
    >>> s = Space(("A", "B"), (2, 2))
    >>> Z = Op(mpmath.matrix([[1, 0], [0, -1]]), ("A",), s)
    >>> (Z * Op(mpmath.eye(2), ("B",), s)).m.rows
    4
    """

    __slots__ = ("m", "support", "space")

    def __init__(self, m, support, space):
        self.m = m if isinstance(m, mpmath.matrix) else mpmath.matrix(m)
        self.support = tuple(support)
        self.space = space
        if space is not None and self.m.rows != space.dim(self.support):
            raise ValueError(f"operator on {self.support} has size {self.m.rows}, "
                             f"expected {space.dim(self.support)}")

    # -- embedding ---------------------------------------------------------
    def on(self, support):
        """This operator on a larger support (identity on the added factors)."""
        support = self.space.ordered(support)
        if support == self.support:
            return self
        if not set(self.support) <= set(support):
            raise ValueError(f"cannot embed an operator on {self.support} into {support}")
        dims = [self.space.dims[self.space.names.index(n)] for n in support]
        inside = [k for k, n in enumerate(support) if n in self.support]
        D = self.space.dim(support)
        out = mpmath.matrix(D, D)
        idx = list(itertools.product(*[range(d) for d in dims]))
        sub_dims = [dims[k] for k in inside]

        def flat(multi):
            f = 0
            for k, d in zip(inside, sub_dims):
                f = f * d + multi[k]
            return f

        sub = [flat(m) for m in idx]
        outside = [k for k in range(len(support)) if k not in inside]
        rest = [tuple(m[k] for k in outside) for m in idx]
        for a in range(D):
            for b in range(D):
                if rest[a] == rest[b]:
                    out[a, b] = self.m[sub[a], sub[b]]
        return Op(out, support, self.space)

    def _pair(self, other):
        union = self.space.ordered(set(self.support) | set(other.support))
        return self.on(union), other.on(union)

    # -- arithmetic --------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, Op):
            a, b = self._pair(other)
            return Op(a.m + b.m, a.support, self.space)
        if other == 0:
            return self
        raise TypeError(f"cannot add the number {other} to an operator on {self.support}")

    __radd__ = __add__

    def __neg__(self):
        return Op(-self.m, self.support, self.space)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, Op):
            a, b = self._pair(other)
            return Op(a.m * b.m, a.support, self.space)
        return Op(self.m * other, self.support, self.space)

    def __rmul__(self, other):
        return Op(self.m * other, self.support, self.space)

    def __truediv__(self, other):
        if isinstance(other, Op):
            raise TypeError("division by an operator")
        return Op(self.m / other, self.support, self.space)

    def dagger(self):
        return Op(self.m.transpose_conj(), self.support, self.space)

    def trace(self):
        return sum((self.m[i, i] for i in range(self.m.rows)), mpmath.mpf(0))

    def partial_trace(self, traced):
        """Trace out the subsystems ``traced``."""
        keep = tuple(n for n in self.support if n not in traced)
        if not keep:
            return self.trace()
        dims = [self.space.dims[self.space.names.index(n)] for n in self.support]
        keep_idx = [self.support.index(n) for n in keep]
        return Op(MPMATH.partial_trace(self.m, dims, keep_idx), keep, self.space)

    def norm(self):
        return max((abs(self.m[i, j]) for i in range(self.m.rows) for j in range(self.m.cols)),
                   default=mpmath.mpf(0))

    def hermitian_function(self, f):
        """f(M) for a Hermitian M, by its eigendecomposition (cached per matrix)."""
        E, Q = _eigh_cached(self)
        D = mpmath.diag([f(e) for e in E])
        return Op(Q * D * Q.transpose_conj(), self.support, self.space)

    def eigenvalues(self):
        return sorted(mpmath.eighe(self.m, eigvals_only=True))

    def __repr__(self):
        return f"Op(on={self.support}, size={self.m.rows})"


_EIG_CACHE = {}


def _matrix_key(m):
    return (mpmath.mp.prec, m.rows) + tuple(
        (v._mpc_ if isinstance(v, mpmath.mpc) else v._mpf_) if hasattr(v, "_mpf_") or
        hasattr(v, "_mpc_") else v for v in (m[i, j] for i in range(m.rows) for j in range(m.cols)))


def _eigh_cached(op):
    """Eigenvalues and eigenvectors of a Hermitian operator (mpmath.eighe), cached."""
    key = _matrix_key(op.m)
    if key not in _EIG_CACHE:
        defect = (op - op.dagger()).norm()
        if defect > TOLERANCE * _scale(op):
            raise ValueError("a matrix function of a non-Hermitian operator")
        if len(_EIG_CACHE) > 4000:
            _EIG_CACHE.clear()
        _EIG_CACHE[key] = mpmath.eighe(op.m)
    return _EIG_CACHE[key]


def _rational(x):
    x = mpmath.mpf(x)
    if not x:
        return sympy.Integer(0)
    sign, man, exp_, _ = x._mpf_
    return (-1) ** sign * sympy.Integer(man) * sympy.Integer(2) ** exp_


def exact_matrix(m, *, state=False):
    """The exact SymPy copy of an mpmath matrix (binary values), made exactly Hermitian and,
    for a state, of exactly unit trace: the core can then re-read it at any precision."""
    n = m.rows
    M = sympy.zeros(n, n)
    for a in range(n):
        for b in range(n):
            z = mpmath.mpmathify(m[a, b])
            re_, im_ = (z.real, z.imag) if isinstance(z, mpmath.mpc) else (z, 0)
            M[a, b] = _rational(re_) + sympy.I * _rational(im_)
    M = (M + M.H) / 2
    if state:
        M[n - 1, n - 1] += 1 - M.trace()
    return M
