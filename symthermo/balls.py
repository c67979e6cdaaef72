"""Ball arithmetic (python-flint's Arb) as one more number system, ``BALLS``.

A real number is a ball ``[m +/- r]`` (``flint.arb``) that contains the exact
value; every operation returns a ball containing the exact result.  So a
formula evaluated once in balls gives its value *and* a proven bound of its
error, where mpmath gives a value whose digits must be confirmed by a second
evaluation (:func:`symthermo.precision.stable`).

- Comparisons are *certain*: ``a < b`` is True only when every point of ``a``
  is below every point of ``b``; a branch is chosen only on a proven sign.
- Zeros come from the structure, never from a cancellation: ``x - x`` is a
  small ball about 0, not 0.  ``0 ln 0 = 0`` exactly only for an exact 0;
  ``x ln x`` of a ball ``[0, u]`` is enclosed by ``[u ln u, 0]`` (u < 1/e).
- flint's precision ``flint.ctx.prec`` is process-global: all work happens
  inside :func:`ball_precision`, which holds
  :data:`symthermo.precision.PRECISION_LOCK` and restores the old precision.

Numbers go into balls with :mod:`symthermo.ball_conversion`, SymPy closed forms
with :mod:`symthermo.sympy_to_balls`; a subsystem is finished in balls by
:mod:`symthermo.ball_finishing`.

>>> from symthermo.balls import BALLS, ball_precision
>>> with ball_precision(100):
...     third = BALLS.number("1/3")
...     print(third.rad() < BALLS.number("1e-29"), (3 * third).contains(1))
True True
>>> with ball_precision(60):
...     print(BALLS.xlogx(BALLS.zero), BALLS.is_exact_zero(third - third))
0 False
"""

from __future__ import annotations

import contextlib
import math

import flint
import mpmath
from flint import acb, acb_mat, arb

from .ball_columns import BallColumn, each_valid, when
from .ball_conversion import (_UNBOUNDED, _hull, ball_to_mpf, infinite_sign, ipow, is_ball,
                              sqrt_nonneg, to_ball)
from .ball_roots import enclose_monotone_root
from .lazy import is_loaded, lazy_import
from .numbers import NumberSystem

sympy = lazy_import("sympy")  # loaded by what needs it: a run of plain numbers does not

__all__ = ["BALLS", "ball_precision"]


@contextlib.contextmanager
def ball_precision(bits):
    """flint at ``bits`` bits of working precision, restored on exit (thread-safe)."""
    from .precision import PRECISION_LOCK

    bits = int(bits)
    if bits < 2:
        raise ValueError(f"ball precision must be at least 2 bits, got {bits}")
    with PRECISION_LOCK:
        old = flint.ctx.prec
        flint.ctx.prec = bits
        try:
            yield
        finally:
            flint.ctx.prec = old


class _BallMatrix:
    """A small dense matrix of balls (list of lists) with the indexing formulas use."""

    __slots__ = ("rows", "cols", "data")

    def __init__(self, data):
        self.data = [list(r) for r in data]
        self.rows = len(self.data)
        self.cols = len(self.data[0]) if self.data else 0

    def __getitem__(self, ij):
        i, j = ij
        if isinstance(j, slice):
            raise TypeError("ball matrices index entries only")
        return self.data[i][j]

    def __setitem__(self, ij, value):
        i, j = ij
        self.data[i][j] = to_ball(value)

    def __add__(self, other):
        return _BallMatrix([[a + b for a, b in zip(r, s)] for r, s in zip(self.data, other.data)])

    def __sub__(self, other):
        return _BallMatrix([[a - b for a, b in zip(r, s)] for r, s in zip(self.data, other.data)])

    def __mul__(self, c):
        if isinstance(c, _BallMatrix):
            return _matmul(self, c)
        return _BallMatrix([[a * c for a in r] for r in self.data])

    __rmul__ = __mul__

    def tolist(self):
        return [list(r) for r in self.data]

    def __repr__(self):
        return f"_BallMatrix({self.data!r})"


def _matmul(A, B):
    if A.cols != B.rows:
        raise ValueError(f"shapes {A.rows}x{A.cols} and {B.rows}x{B.cols} do not multiply")
    out = []
    for i in range(A.rows):
        row = []
        for j in range(B.cols):
            total = arb(0)
            for k in range(A.cols):
                total = total + A.data[i][k] * B.data[k][j]
            row.append(total)
        out.append(row)
    return _BallMatrix(out)


class _Balls(NumberSystem):
    """python-flint balls at the precision of the enclosing :func:`ball_precision`."""

    name = "balls"
    tolerance = arb(0)
    #: balls carry their own error: no rounding tolerance is needed anywhere

    @property
    def zero(self):
        return arb(0)

    @property
    def one(self):
        return arb(1)

    @property
    def inf(self):
        return arb.pos_inf()

    @property
    def eps(self):
        return arb(2) ** (-flint.ctx.prec)

    def number(self, x):
        return to_ball(x)

    def log(self, x):
        x = to_ball(x)
        if isinstance(x, (arb, BallColumn)) and not (x > 0):
            if x.is_zero():
                return arb.neg_inf()
            if x.upper() < 0:
                raise ValueError(f"log of a negative number {x}")
            # a ball that may touch 0 (not a structural zero): ln is unbounded below
            return _UNBOUNDED()
        return x.log()

    def real_value(self, value):
        """A value of a real closed form: its imaginary part (rounding about 0) dropped."""
        value = to_ball(value)
        if isinstance(value, acb):
            if not value.imag.contains(0):
                raise ValueError(f"a real quantity evaluated to a complex ball {value}")
            return value.real
        return value

    def exp(self, x):
        return to_ball(x).exp()

    def log1p(self, x):
        return to_ball(x).log1p()

    def expm1(self, x):
        return to_ball(x).expm1()

    def sqrt(self, x):
        return sqrt_nonneg(x)

    def cos(self, x):
        return to_ball(x).cos()

    def sin(self, x):
        return to_ball(x).sin()

    def real(self, x):
        return x.real if isinstance(x, acb) else to_ball(x)

    def conj(self, x):
        return x.conjugate() if isinstance(x, acb) else x

    def is_exact_zero(self, x):
        return is_ball(x) and x.is_zero() if is_ball(x) else x == 0

    def isinf(self, x):
        if isinstance(x, BallColumn):
            from .ball_columns import Decision

            return Decision([infinite_sign(v) != 0 for v in x.values])
        return infinite_sign(x) != 0

    def xlogx(self, x):
        """x ln x, 0 ln 0 = 0 exactly for an exact 0.  A ball that may touch 0 encloses a
        probability p in [0, u] (its part below 0 is rounding): x ln x is then in
        [u ln u, 0] for u < 1/e, and in [-1/e, max(0, u ln u)] otherwise.  A ball
        entirely below 0 is refused."""
        x = to_ball(x)
        if isinstance(x, BallColumn):  # the entropy of a spectrum is often asked twice
            return x.memo("xlogx", lambda: self._xlogx(x))
        return self._xlogx(x)

    def _xlogx(self, x):
        if x.is_zero():
            return arb(0)
        if x > 0:
            return x * x.log()
        if x.upper() < 0:
            raise ValueError(f"x ln x of a negative number {x}")
        u = x.upper()
        if u < arb(-1).exp():
            return _hull(arb(0), u * u.log())
        # [0, u] with u >= 1/e: x ln x is in [-1/e, max(0, u ln u)]
        top = u * u.log() if u > 1 else arb(0)
        return _hull(-arb(-1).exp(), top)

    def sort(self, values):
        """Ascending order statistics of balls: the k-th smallest value of points in the
        balls lies in [k-th smallest lower end, k-th smallest upper end]."""
        values = [to_ball(v) for v in values]
        if len(values) == 2 and any(isinstance(v, BallColumn) for v in values):
            # columns: each time its own branch of the two below (ball_columns.when)
            a, b = values
            return when(a < b, lambda: values,
                        lambda: when(b < a, lambda: [b, a], lambda: [a.min(b), a.max(b)]))
        if all(a < b for a, b in zip(values, values[1:])):
            return values
        if len(values) == 2:
            a, b = values
            if b < a:
                return [b, a]
            return [a.min(b), a.max(b)]
        lowers = sorted(values, key=lambda v: ball_to_mpf(v.lower()))
        uppers = sorted(values, key=lambda v: ball_to_mpf(v.upper()))
        return [lo.lower().union(hi.upper()) for lo, hi in zip(lowers, uppers)]

    # -- matrices (small, for the local Hamiltonians of the closed forms) ------------
    def matrix(self, rows):
        return _BallMatrix([[to_ball(v) for v in row] for row in rows])

    def as_matrix(self, M):
        if isinstance(M, _BallMatrix):
            return _BallMatrix(M.data)
        if is_loaded("sympy") and isinstance(M, sympy.MatrixBase):
            return _BallMatrix([[to_ball(v) for v in M.row(i)] for i in range(M.rows)])
        if isinstance(M, mpmath.matrix):
            return _BallMatrix([[to_ball(M[i, j]) for j in range(M.cols)]
                                for i in range(M.rows)])
        if isinstance(M, acb_mat):
            return _BallMatrix(M.tolist())
        return self.matrix(M.tolist() if hasattr(M, "tolist") else M)

    def shape(self, M):
        return (M.rows, M.cols)

    def zeros(self, n, m=None):
        return _BallMatrix([[arb(0)] * (n if m is None else m) for _ in range(n)])

    def eye(self, n):
        return _BallMatrix([[arb(1) if i == j else arb(0) for j in range(n)] for i in range(n)])

    def matmul(self, A, B):
        return _matmul(A, B)

    def dagger(self, A):
        return _BallMatrix([[self.conj(A.data[j][i]) for j in range(A.rows)]
                            for i in range(A.cols)])

    def kron(self, A, B):
        return _BallMatrix([[a * b for a in ra for b in rb] for ra in A.data for rb in B.data])

    def trace(self, A):
        total = arb(0)
        for i in range(A.rows):
            total = total + A.data[i][i]
        return total

    def eigvalsh(self, M):
        """Eigenvalues of a Hermitian matrix, ascending, multiplicities kept: diagonal and
        2x2 in closed form, larger ones enclosed by
        :func:`symthermo.ball_linalg.hermitian_eigvalsh` (Weyl and Ostrowski bounds around
        an approximate eigenbasis: exact degeneracies and clusters need no isolation, and
        the enclosures are tighter than ``acb_mat.eig(multiple=True)``'s)."""
        n = M.rows
        if all(self.is_exact_zero(M.data[i][j]) for i in range(n) for j in range(n) if i != j):
            return self.sort([self.real(M.data[i][i]) for i in range(n)])
        if n == 2:
            # the closed form with a tight square ((a - d)**2 is nan when a - d holds 0)
            a, d = self.real(M.data[0][0]), self.real(M.data[1][1])
            b = abs(M.data[0][1])
            mean, half = (a + d) / 2, sqrt_nonneg(ipow(a - d, 2) / 4 + ipow(b, 2))
            return [mean - half, mean + half]
        from .ball_linalg import hermitian_eigvalsh

        return hermitian_eigvalsh(M.data if isinstance(M, _BallMatrix) else M)

    def eigh(self, M):
        raise NotImplementedError("balls: eigenvectors are not implemented")

    def norm(self, M):
        out = arb(0)
        for r in M.data:
            for v in r:
                out = out.max(abs(v))
        return out

    def partial_trace(self, rho, dims, keep):
        from .numbers import _generic_partial_trace

        return _generic_partial_trace(self, rho, dims, keep)

    def hermiticity_defect(self, M):
        n = self.size(M)
        worst = arb(0)
        for i in range(n):
            for j in range(i, n):
                worst = worst.max(abs(M.data[i][j] - self.conj(M.data[j][i])))
        return worst

    # -- solving for beta ----------------------------------------------------------
    def beta_for_entropy(self, levels, entropy):
        """The entropy-matched beta as a proven bracket (see :func:`enclose_monotone_root`)."""
        from .beta_from_entropy import beta_for_entropy
        from .levels import Levels, Oscillator
        from .thermal_functions import _thermal_moments
        from .numbers import MPMATH

        entropy = to_ball(entropy)
        if isinstance(entropy, BallColumn):  # a root bracketed per ball: time by time
            return each_valid(entropy, lambda s: self.beta_for_entropy(levels, s))
        if isinstance(levels, Oscillator):
            lv_mp = Oscillator(ball_to_mpf(levels.omega), ball_to_mpf(levels.offset))
            g0 = 1
        else:
            lv_mp = Levels(tuple(ball_to_mpf(e) for e in levels.energies), levels.ground_degeneracy)
            g0 = levels.ground_degeneracy
        s_min = arb(g0).log() if g0 > 1 else arb(0)
        if (entropy - s_min).is_zero():
            return arb.pos_inf()
        guess = _newton_guess(self, levels, entropy, s_min)
        if guess is None:  # float64 cannot start there: the mpmath solver from scratch
            with mpmath.workprec(flint.ctx.prec + 20):
                guess = beta_for_entropy(MPMATH, lv_mp, ball_to_mpf(entropy))
                # the ball of the guess, made inside the block (mpf() outside would round it)
                guess = guess if mpmath.isinf(guess) or guess == 0 else to_ball(guess).mid()
        if guess is not None and not is_ball(guess) and mpmath.isinf(guess):
            guess = None
        elif not is_ball(guess) and guess == 0:
            if isinstance(levels, Levels) and (entropy - arb(len(levels.energies)).log()).is_zero():
                return arb(0)
            guess = None

        def entropy_at(beta):
            _, _, excess = _thermal_moments(self, levels, beta)
            return excess + s_min

        return enclose_monotone_root(entropy_at, entropy, guess, decreasing=True)


def _newton_guess(lib, levels, entropy, s_min):
    """The entropy-matched beta to about the working precision, cheaply: float64's root
    (:func:`~symthermo.beta_from_entropy.beta_for_entropy`) refined by Newton steps on the balls'
    midpoints, each of which doubles its digits (two or three at 30 digits, where the
    mpmath solver from scratch takes a bracket and a dozen steps at full precision).

    Newton acts on f(beta) = ln[S(beta) - ln g0] - ln[S - ln g0], f' = -beta Var/[S(beta)
    - ln g0], as the scalar solver does.  None where float64 cannot start (an excess
    entropy outside its range, a root at 0 or inf, a solver error) or the steps do not
    settle: the caller then solves in mpmath.  A guess only: the caller's bracket proves
    the root.
    """
    from .numbers import FLOAT64
    from .beta_from_entropy import beta_for_entropy
    from .levels import Levels, Oscillator
    from .thermal_functions import _thermal_moments

    target = (entropy - s_min).mid()
    if not 1e-300 < float(target) < 1e300:
        return None
    try:
        if isinstance(levels, Oscillator):
            lv = Oscillator(float(levels.omega), float(levels.offset))
        else:
            lv = Levels(tuple(float(e) for e in levels.energies), levels.ground_degeneracy)
        start = beta_for_entropy(FLOAT64, lv, float(entropy.mid()))
    except (ValueError, ArithmeticError):
        return None
    if not 0 < start < math.inf:
        return None
    beta, log_target = arb(start), target.log()
    small = arb(2) ** (10 - flint.ctx.prec)
    for _ in range(12):
        _, var, excess = _thermal_moments(lib, levels, beta)
        if not excess > 0:
            return None
        step = ((excess.log() - log_target) * excess / (-beta * var)).mid()
        if not step.is_finite():
            return None
        beta = (beta - step).mid()
        if not beta > 0:
            return None
        if abs(step) <= beta * small:
            return beta
    return None


BALLS = _Balls()
