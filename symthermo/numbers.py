"""The three number systems a formula is evaluated in.

Every formula of symthermo is written once, taking a number system ``lib``
first (the way mpmath binds one function to ``mp``, ``fp`` and ``iv``), and
evaluated in

- ``FLOAT64``: Python floats and numpy ``complex128`` arrays;
- ``MPMATH``: ``mpmath.mpf`` and ``mpmath.matrix`` at the precision of the
  enclosing :func:`symthermo.precision.working_precision` block;
- ``EXACT``: SymPy numbers, symbols and ``Matrix`` objects.

This module is the complete list of operations a formula may use; the
gaps (SymPy has no ``log1p``, numpy has no multiplicity-preserving symbolic
eigenvalues) are filled here once.

>>> import numpy as np
>>> from symthermo.numbers import number_system, FLOAT64, EXACT
>>> number_system(np.eye(2)) is FLOAT64
True
>>> import sympy
>>> EXACT.eigvalsh(sympy.eye(2) / 2)
[1/2, 1/2]
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .lazy import is_loaded, lazy_import

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

from .exact_numbers import ExactComplex as _ExactComplex
from .exact_numbers import is_real
from .exact_numbers import to_float as _to_float
from .exact_numbers import to_sympy
from .expressions import parse_number as _parse_number


def _keep_temporaries_on_the_heap(size=1 << 22):
    """Allocate and free one block of ``size`` bytes, once.

    glibc's malloc serves blocks above its mmap threshold (128 KiB at start) with
    fresh pages and returns them on free, so every float64 temporary of a few hundred
    KiB (the Jaynes-Cummings grid sums: (manifolds x sqrt(times)) arrays) costs page
    faults, each time: those sums took 1.24 ms instead of 0.53 ms, depending only on
    whether something earlier in the process had freed a large block.  Freeing an
    mmapped block raises the threshold to its size (and the heap's trim threshold to
    twice that), so temporaries up to ``size`` then reuse the heap.  Elsewhere (other
    allocators) this is one short-lived allocation and nothing else.
    """
    block = np.empty(size // 8)
    del block


_keep_temporaries_on_the_heap()


__all__ = [
    "NumberSystem",
    "FLOAT64",
    "MPMATH",
    "EXACT",
    "number_system",
    "parse_number",
    "numpy_lambdify",
    "without_cancellation",
]


class NumberSystem:
    """Operations shared by the three number systems (see the subclasses)."""

    name = "abstract"

    # -- scalars ---------------------------------------------------------
    def xlogx(self, x):
        """x ln x with 0 ln 0 = 0 (exactly)."""
        if self.is_exact_zero(x):
            return self.zero
        return x * self.log(x)

    # -- matrices --------------------------------------------------------
    def kron_all(self, matrices):
        out = matrices[0]
        for m in matrices[1:]:
            out = self.kron(out, m)
        return out

    def hermiticity_defect(self, M):
        """max |M - M^dag| (a scalar of this number system)."""
        n = self.size(M)
        worst = self.zero
        for i in range(n):
            for j in range(i, n):
                d = abs(M[i, j] - self.conj(M[j, i]))
                if d > worst:
                    worst = d
        return worst

    def size(self, M):
        rows, cols = self.shape(M)
        if rows != cols:
            raise ValueError(f"matrix is not square: shape {rows}x{cols}")
        return rows

    def diag(self, values):
        n = len(values)
        M = self.zeros(n)
        for i, v in enumerate(values):
            M[i, i] = v
        return M

    def column(self, M, k):
        return M[:, k]

    def projector(self, v):
        return v * self.dagger(v)

    def sandwich(self, v, M):
        return (self.dagger(v) * M * v)[0, 0]

    def expectation(self, rho, A):
        """Re Tr[rho A]."""
        return self.real(self.trace(self.matmul(rho, A)))


class _Float64(NumberSystem):
    name = "float64"
    zero = 0.0
    one = 1.0
    inf = math.inf
    eps = np.finfo(float).eps
    # the tolerance of float64 input (states.input_tolerance): eigenvalues of a
    # density matrix below -tolerance are an error, those in [-tolerance, 0) are
    # rounding noise and count as 0; small positive eigenvalues are kept
    # (states.density_spectrum), never compared with it.
    tolerance = 1e-12
    # the contract's float64 promise, 10 correct digits of the 15 printed: a value whose
    # error estimate is above this fraction of it is unearned (its row is recomputed on
    # the certified route)
    earned = 1e-10

    def number(self, x):
        if isinstance(x, str):  # a float, or a complex if not real; too large is an error
            return _to_float(parse_number(x), text=x)
        return complex(parse_number(x)) if _is_complex(x) else float(parse_number(x))

    def log(self, x):
        return math.log(x)

    def exp(self, x):
        return math.exp(x)

    def log1p(self, x):
        return math.log1p(x)

    def expm1(self, x):
        return math.expm1(x)

    def sqrt(self, x):
        return math.sqrt(x)

    def real(self, x):
        return float(x.real) if isinstance(x, complex) else float(x)

    def conj(self, x):
        return x.conjugate()

    def is_exact_zero(self, x):
        return x == 0

    def isinf(self, x):
        return math.isinf(x)

    def matrix(self, rows):
        return np.array([[_to_complex(v) for v in row] for row in rows], dtype=complex)

    def as_matrix(self, M):
        if isinstance(M, np.ndarray):
            return np.asarray(M, dtype=complex)
        if is_loaded("mpmath") and isinstance(M, mpmath.matrix):
            return np.array(M.tolist(), dtype=complex)
        if is_loaded("sympy") and isinstance(M, sympy.MatrixBase):
            return np.array(M.evalf(17).tolist(), dtype=complex)
        return self.matrix(M)

    def shape(self, M):
        return M.shape

    def zeros(self, n, m=None):
        return np.zeros((n, n if m is None else m), dtype=complex)

    def eye(self, n):
        return np.eye(n, dtype=complex)

    def matmul(self, A, B):
        return A @ B

    def dagger(self, A):
        return A.conj().T

    def kron(self, A, B):
        return np.kron(A, B)

    def column(self, M, k):
        return M[:, k]

    def projector(self, v):
        return np.outer(v, v.conj())

    def sandwich(self, v, M):
        """<v|M|v> for a column v."""
        return complex(v.conj() @ M @ v)

    def trace(self, A):
        return complex(np.trace(A))

    def hermiticity_defect(self, M):
        return float(np.max(np.abs(M - M.conj().T))) if M.size else 0.0

    def eigvalsh(self, M):
        return [float(v) for v in np.linalg.eigvalsh(M)]

    def eigh(self, M):
        vals, vecs = np.linalg.eigh(M)
        return [float(v) for v in vals], vecs

    def norm(self, M):
        return float(np.max(np.abs(M))) if M.size else 0.0

    def partial_trace(self, rho, dims, keep):
        n = len(dims)
        keep = sorted(keep)
        t = rho.reshape(tuple(dims) * 2)
        letters = "abcdefghijklmnopqrstuvwxyz"
        row = list(letters[:n])
        col = list(letters[n : 2 * n])
        for k in range(n):
            if k not in keep:
                col[k] = row[k]
        out = "".join(row[k] for k in keep) + "".join(col[k] for k in keep)
        res = np.einsum("".join(row) + "".join(col) + "->" + out, t)
        d = int(np.prod([dims[k] for k in keep])) if keep else 1
        return res.reshape(d, d)


class _MPMath(NumberSystem):
    """mpmath at the precision of the enclosing working-precision block."""

    name = "mpmath"

    @property
    def zero(self):
        return mpmath.mpf(0)

    @property
    def one(self):
        return mpmath.mpf(1)

    @property
    def inf(self):
        return mpmath.inf

    @property
    def eps(self):
        return mpmath.eps

    @property
    def tolerance(self):
        # the precision the caller asked for, without the guard digits
        return mpmath.mpf(10) ** (-(mpmath.mp.dps - _GUARD_DIGITS))

    def number(self, x):
        return mpmath.mpmathify(_mp_ready(parse_number(x)))

    def log(self, x):
        return mpmath.log(x)

    def exp(self, x):
        return mpmath.exp(x)

    def log1p(self, x):
        return mpmath.log1p(x)

    def expm1(self, x):
        return mpmath.expm1(x)

    def sqrt(self, x):
        return mpmath.sqrt(x)

    def real(self, x):
        return mpmath.re(x)

    def conj(self, x):
        return mpmath.conj(x)

    def is_exact_zero(self, x):
        return x == 0

    def isinf(self, x):
        return mpmath.isinf(x)

    def matrix(self, rows):
        return mpmath.matrix([[self.number(v) for v in row] for row in rows])

    def as_matrix(self, M):
        if isinstance(M, mpmath.matrix):
            return mpmath.matrix(M)
        if isinstance(M, np.ndarray):
            return mpmath.matrix([[_np_scalar_to_mp(v) for v in row] for row in M])
        if isinstance(M, sympy.MatrixBase):
            return mpmath.matrix(
                [[_sympy_to_mp(v) for v in M.row(i)] for i in range(M.rows)]
            )
        return self.matrix(M)

    def shape(self, M):
        return (M.rows, M.cols)

    def zeros(self, n, m=None):
        return mpmath.zeros(n, n if m is None else m)

    def eye(self, n):
        return mpmath.eye(n)

    def matmul(self, A, B):
        return A * B

    def dagger(self, A):
        return A.H

    def kron(self, A, B):
        ra, ca = A.rows, A.cols
        rb, cb = B.rows, B.cols
        out = mpmath.zeros(ra * rb, ca * cb)
        for i in range(ra):
            for j in range(ca):
                a = A[i, j]
                if a == 0:
                    continue
                for k in range(rb):
                    for m in range(cb):
                        out[i * rb + k, j * cb + m] = a * B[k, m]
        return out

    def trace(self, A):
        return mpmath.fsum(A[i, i] for i in range(A.rows))

    def eigvalsh(self, M):
        if M.rows == 1:
            return [mpmath.re(M[0, 0])]
        if _is_diagonal(M):
            return sorted(mpmath.re(M[i, i]) for i in range(M.rows))
        E = mpmath.eigh(M, eigvals_only=True)
        return [mpmath.re(E[i]) for i in range(M.rows)]

    def eigh(self, M):
        E, Q = mpmath.eigh(M)
        return [mpmath.re(E[i]) for i in range(M.rows)], Q

    def norm(self, M):
        return max((abs(M[i, j]) for i in range(M.rows) for j in range(M.cols)),
                   default=mpmath.mpf(0))

    def partial_trace(self, rho, dims, keep):
        return _generic_partial_trace(self, rho, dims, keep)


class _Exact(NumberSystem):
    """SymPy: exact numbers and symbols."""

    name = "exact"

    # properties, not class attributes: SymPy is loaded only when used
    @property
    def zero(self):
        return sympy.Integer(0)

    @property
    def one(self):
        return sympy.Integer(1)

    @property
    def inf(self):
        return sympy.oo

    @property
    def tolerance(self):
        return sympy.Integer(0)

    def number(self, x):
        if isinstance(x, sympy.Basic):
            return x
        value = parse_number(x)
        if isinstance(value, _ExactComplex):  # "0.1+0.1j": exact parts (nsimplify refused it)
            return to_sympy(value)
        return sympy.nsimplify(value)

    def log(self, x):
        return sympy.log(x)

    def exp(self, x):
        return sympy.exp(x)

    def log1p(self, x):
        return sympy.log(1 + x)

    def expm1(self, x):
        return sympy.exp(x) - 1

    def sqrt(self, x):
        return sympy.sqrt(x)

    def real(self, x):
        return sympy.re(x) if not x.is_real else x

    def conj(self, x):
        return sympy.conjugate(x)

    def is_exact_zero(self, x):
        return sympy.sympify(x).is_zero is True

    def isinf(self, x):
        return x in (sympy.oo, -sympy.oo, sympy.zoo)

    def matrix(self, rows):
        return sympy.Matrix([[self.number(v) for v in row] for row in rows])

    def as_matrix(self, M):
        if isinstance(M, sympy.MatrixBase):
            return sympy.Matrix(M)
        return self.matrix(M.tolist() if hasattr(M, "tolist") else M)

    def shape(self, M):
        return M.shape

    def zeros(self, n, m=None):
        return sympy.zeros(n, n if m is None else m)

    def eye(self, n):
        return sympy.eye(n)

    def matmul(self, A, B):
        return A * B

    def dagger(self, A):
        return A.H

    def kron(self, A, B):
        from sympy.physics.quantum import TensorProduct

        return TensorProduct(A, B)

    def trace(self, A):
        return A.trace()

    def hermiticity_defect(self, M):
        D = sympy.simplify(M - M.H)
        return sympy.Integer(0) if D.is_zero_matrix else sympy.Max(*[abs(v) for v in D])

    def eigvalsh(self, M):
        """Eigenvalues with multiplicities (never ``eigenvals().keys()``)."""
        if M.is_diagonal():
            vals = [M[i, i] for i in range(M.rows)]
        else:
            vals = M.eigenvals(multiple=True)
        vals = [sympy.nsimplify(v) if v.is_number and v.is_Float else v for v in vals]
        if all(v.is_number for v in vals):
            vals = [sympy.re(sympy.simplify(v)) for v in vals]
            return sorted(vals, key=lambda v: sympy.N(v, 30))
        if len(vals) == 2:
            # ascending order for symbolic pairs, so that passive states are right
            return [sympy.Min(*vals), sympy.Max(*vals)]
        raise ValueError(f"cannot order the symbolic eigenvalues {vals}; give numbers or use dps=N")

    def eigh(self, M):
        pairs = M.eigenvects()
        vals, vecs = [], []
        for val, mult, basis in pairs:
            for v in sympy.GramSchmidt(basis, True):
                vals.append(val)
                vecs.append(v)
        return vals, sympy.Matrix.hstack(*vecs)

    def norm(self, M):
        return sympy.Max(*[abs(v) for v in M]) if len(M) else sympy.Integer(0)

    def partial_trace(self, rho, dims, keep):
        return _generic_partial_trace(self, rho, dims, keep)


FLOAT64 = _Float64()
MPMATH = _MPMath()
EXACT = _Exact()

_GUARD_DIGITS = 10


def numpy_lambdify(args, expr, **kwargs):
    """``sympy.lambdify(args, expr, modules="numpy")`` with integers beyond 2**53
    written as floats.

    SymPy prints an exact integer as Python's ``int``; one beyond int64 makes numpy
    build an object array, which ``sqrt`` and ``exp`` do not take (a detuning of 1e-10
    gives ``sqrt(100039999980000000001)``).  float64 computes in floats anyway: the
    integer is rounded once, as numpy would round it.

    >>> import numpy as np, sympy
    >>> from symthermo.numbers import numpy_lambdify
    >>> t = sympy.Symbol("t")
    >>> f = numpy_lambdify(t, sympy.sqrt(10**20 + 1) * t)
    >>> float(f(np.array([2.0]))[0])
    20000000000.0
    """
    from sympy.printing.numpy import NumPyPrinter

    class _Printer(NumPyPrinter):
        def _print_Integer(self, e):
            p = int(e.p)
            if abs(p) <= 2**53:
                return str(p)
            try:
                return repr(float(p))
            except OverflowError:  # beyond float64: what numpy would make of it
                return "(1e999)" if p > 0 else "(-1e999)"

    return sympy.lambdify(args, expr, modules="numpy", printer=_Printer, **kwargs)


def without_cancellation(expr):
    """``expr`` with 1 - exp(x) written -expm1(x) and log(1 + x) written log1p(x)
    (SymPy's codegen rewriting), for float64: P_g = 1 - e^{-gamma t} of a decay at
    gamma t = 1e-11 kept 7 digits, -expm1(-gamma t) keeps all of them.  For
    expressions that vanish with their argument (increments, small populations): on
    others the rewriting may do harm (e^{-x} - 1/2 becomes e^{-x} (expm1(x) - 1)/2,
    inf * 0 at large x), so it is not applied to every closed form.

    >>> import sympy
    >>> from symthermo.numbers import without_cancellation
    >>> t = sympy.Symbol("t")
    >>> without_cancellation([1 - sympy.exp(-t), sympy.log(1 + t)])
    [-expm1(-t), log1p(t)]
    """
    from sympy.codegen.rewriting import expm1_opt, log1p_opt, optimize

    if isinstance(expr, (list, tuple)):
        return type(expr)(without_cancellation(e) for e in expr)
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.exp, sympy.log):
        return expr
    return optimize(expr, [expm1_opt, log1p_opt])


def number_system(*objects, dps=None):
    """The number system for these inputs.

    SymPy input (or any ``sympy.Basic``) selects ``EXACT``; otherwise ``dps``
    given selects ``MPMATH``; mpmath input selects ``MPMATH``; the rest is
    ``FLOAT64``.  python-flint balls select ``BALLS`` (:mod:`symthermo.balls`).
    """
    if any(type(o).__module__.startswith("flint") for o in objects):
        from .balls import BALLS

        return BALLS
    # no object is of SymPy's or mpmath's types before the module is loaded
    if is_loaded("sympy") and any(isinstance(o, (sympy.MatrixBase, sympy.Basic)) for o in objects):
        if dps is not None:
            return MPMATH
        return EXACT
    if dps is not None:
        return MPMATH
    if is_loaded("mpmath") and any(isinstance(o, (mpmath.matrix, mpmath.mpf, mpmath.mpc))
                                   for o in objects):
        return MPMATH
    return FLOAT64


def parse_number(x):
    """A number read without loss of precision (the grammar of :mod:`symthermo.expressions`).

    Strings such as ``"1/3"``, ``"0.1"``, ``"2.5e-3"``, ``"0.2+0.1j"`` become
    ``Fraction`` (real) or :class:`~symthermo.exact_numbers.ExactComplex`;
    ``"pi/4"``, ``"sqrt(2)/2"`` a SymPy number; numbers pass through.

    >>> from symthermo.numbers import parse_number
    >>> parse_number("1/3")
    Fraction(1, 3)
    >>> parse_number("0.1")
    Fraction(1, 10)
    """
    return _parse_number(x, what="number")


def _is_complex(x):
    return isinstance(x, (complex, _ExactComplex)) or (
        isinstance(x, str) and not is_real(parse_number(x)))


def _to_complex(v):
    text = v if isinstance(v, str) else None
    v = parse_number(v)
    if isinstance(v, (_ExactComplex, Fraction)) or (
            text is not None and is_loaded("sympy") and isinstance(v, sympy.Basic)):
        return complex(_to_float(v, text=text))  # too large for float64: a ValueError naming it
    if is_loaded("mpmath") and isinstance(v, (mpmath.mpf, mpmath.mpc)):
        return complex(v)
    if is_loaded("sympy") and isinstance(v, sympy.Basic):
        return complex(v.evalf(17))
    return complex(v)


def _mp_ready(v):
    if isinstance(v, _ExactComplex):
        return mpmath.mpc(_frac_to_mp(v.re), _frac_to_mp(v.im))
    if isinstance(v, Fraction):
        return _frac_to_mp(v)
    if isinstance(v, sympy.Basic):
        return _sympy_to_mp(v)
    if isinstance(v, (np.floating, np.complexfloating, np.integer)):
        return _np_scalar_to_mp(v)
    return v


def _frac_to_mp(f):
    return mpmath.mpf(f.numerator) / f.denominator


def _np_scalar_to_mp(v):
    c = complex(v)
    if c.imag == 0:
        return mpmath.mpf(c.real)
    return mpmath.mpc(c.real, c.imag)


def _sympy_to_mp(v):
    v = sympy.sympify(v)
    if not v.is_number:
        raise ValueError(f"symbolic entry {v} cannot be evaluated numerically")
    c = v.evalf(mpmath.mp.dps + 5)
    re, im = c.as_real_imag()
    re = mpmath.mpf(sympy.Float(re, mpmath.mp.dps + 5)._mpf_) if re != 0 else mpmath.mpf(0)
    if im == 0:
        return re
    im = mpmath.mpf(sympy.Float(im, mpmath.mp.dps + 5)._mpf_)
    return mpmath.mpc(re, im)


def _is_diagonal(M):
    return all(
        M[i, j] == 0 for i in range(M.rows) for j in range(M.cols) if i != j
    )


def _generic_partial_trace(lib, rho, dims, keep):
    """Partial trace by explicit index sums (mpmath and SymPy)."""
    n = len(dims)
    keep = sorted(keep)
    traced = [k for k in range(n) if k not in keep]
    kept_dims = [dims[k] for k in keep]
    d_keep = 1
    for d in kept_dims:
        d_keep *= d
    strides = [1] * n
    for k in range(n - 2, -1, -1):
        strides[k] = strides[k + 1] * dims[k + 1]

    def multi(index_list):
        import itertools

        return itertools.product(*[range(dims[k]) for k in index_list])

    kept_multi = list(multi(keep))
    traced_multi = list(multi(traced))
    out = lib.zeros(d_keep)
    for a, ka in enumerate(kept_multi):
        for b, kb in enumerate(kept_multi):
            terms = []
            for kt in traced_multi:
                i = j = 0
                for pos, k in enumerate(keep):
                    i += ka[pos] * strides[k]
                    j += kb[pos] * strides[k]
                for pos, k in enumerate(traced):
                    i += kt[pos] * strides[k]
                    j += kt[pos] * strides[k]
                terms.append(rho[i, j])
            out[a, b] = mpmath.fsum(terms) if lib is MPMATH else sum(terms, lib.zero)
    return out
