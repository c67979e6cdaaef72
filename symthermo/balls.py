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
import functools
import math
from fractions import Fraction

import flint
import mpmath
from flint import acb, acb_mat, arb

from .ball_columns import BallColumn, each_valid, when
from .lazy import is_loaded, lazy_import
from .numbers import NumberSystem, _ExactComplex, parse_number

sympy = lazy_import("sympy")  # loaded by what needs it: a run of plain numbers does not

__all__ = [
    "BALLS",
    "ball_precision",
    "to_ball",
    "ball_lambdify",
    "ball_to_mpf",
    "is_ball",
    "infinite_sign",
    "nonnegative",
    "ipow",
    "sqrt_nonneg",
    "enclose_monotone_root",
    "ball_source",
    "ball_function",
]


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


def _UNBOUNDED():
    """The ball of all reals, [+/- inf]: a value with no finite bound."""
    return arb(0).union(arb.pos_inf())


def infinite_sign(x):
    """+1 or -1 for a ball that is +inf or -inf (an infinite midpoint with a finite
    radius: ``arb(1) + inf``), 0 otherwise (finite, or unbounded like ``[+/- inf]``)."""
    if isinstance(x, BallColumn):
        raise TypeError("infinite_sign of a column: ask each ball")
    if not isinstance(x, arb) or x.is_finite() or x.is_nan():
        return 0
    m = x.mid()
    if m.is_finite() or m.is_nan() or not x.rad().is_finite():
        return 0
    return 1 if m > 0 else -1


def ipow(x, n):
    """x**n for an integer n, tight for balls (flint's ``**`` goes through exp/log: nan
    for a ball that holds 0, and loose for a negative one); other numbers use ``**``.

    >>> from flint import arb
    >>> from symthermo.balls import ipow
    >>> ipow(arb(0, 1e-20), 2).upper() < 2e-40, ipow(arb(-2, 0.5), 3) < 0
    (True, True)
    """
    if not isinstance(x, (arb, BallColumn)):
        if isinstance(x, acb) and n >= 0:
            out = acb(1)
            for _ in range(n):
                out = out * x
            return out
        return x ** n
    if n < 0:
        return 1 / ipow(x, -n)
    if n == 0:
        return arb(1)
    out = x
    for _ in range(n - 1):
        out = out * x
    # an even power is >= 0 (midpoint-radius products of a ball holding 0 are not)
    return nonnegative(out) if n % 2 == 0 else out


def sqrt_nonneg(x):
    """sqrt of a quantity known to be >= 0 (its ball may reach below 0 by rounding):
    ``[0, sqrt(upper)]`` when the ball holds 0, never nan."""
    x = to_ball(x)
    if isinstance(x, acb):
        return x.sqrt()
    if x > 0 or x.is_zero():
        return x.sqrt()
    upper = x.upper()
    if upper < 0:
        raise ValueError(f"square root of a negative number {x}")
    return _hull(arb(0), upper.sqrt())


def nonnegative(x):
    """A ball for a quantity known to be >= 0: ``x`` intersected with [0, inf)
    (flint's ``nonnegative_part`` can return nan here)."""
    if x >= 0:
        return x
    upper = x.upper()
    if upper < 0:
        raise ValueError(f"a quantity that must be >= 0 is negative: {x}")
    return _hull(arb(0), upper)


def _hull(a, b):
    """``a.union(b)``, also when ``b`` is a column of balls and ``a`` one ball."""
    if isinstance(b, BallColumn) and not isinstance(a, BallColumn):
        return b.rcall(a, "union")
    return a.union(b)


def is_ball(x):
    """True for an ``arb`` or ``acb`` (or a :class:`~symthermo.ball_columns.BallColumn`)."""
    return isinstance(x, (arb, acb, BallColumn))


def _exact_dyadic(sign, man, exp):
    """sign * man * 2**exp as an exact arb (any precision)."""
    v = arb(flint.fmpz(man)) if man.bit_length() <= flint.ctx.prec else _wide_int(man)
    v = v * arb(2) ** exp if exp else v
    return -v if sign else v


def _wide_int(n):
    # arb(fmpz) rounds to the working precision: build the exact value at enough bits
    old = flint.ctx.prec
    try:
        flint.ctx.prec = n.bit_length() + 2
        return arb(flint.fmpz(n))
    finally:
        flint.ctx.prec = old


def _rational(p, q):
    if q == 1:
        return arb(flint.fmpz(p))
    return arb(flint.fmpq(p, q))


def to_ball(x):
    """A ball containing ``x``: ints, Fractions, floats, mpmath and SymPy numbers, strings.

    Exact inputs (ints, rationals, binary floats) are enclosed with the
    current precision's rounding only; SymPy constants and functions are
    evaluated in balls.

    >>> from symthermo.balls import to_ball, ball_precision
    >>> import sympy
    >>> with ball_precision(80):
    ...     print(to_ball(sympy.pi).contains(to_ball("3.14159265358979323846")))
    False
    >>> with ball_precision(80):
    ...     print(to_ball(sympy.sqrt(2)) ** 2 - 2 < to_ball("1e-20"))
    True
    """
    if isinstance(x, (arb, acb, BallColumn)):
        return x
    if type(x) is Fraction:  # exact times and parameters: the common case first
        return _rational(x.numerator, x.denominator)
    if isinstance(x, bool) or x is None:
        raise ValueError(f"not a number: {x!r}")
    if isinstance(x, int):
        return arb(flint.fmpz(x))
    if isinstance(x, float):
        if math.isinf(x):
            return arb.pos_inf() if x > 0 else arb.neg_inf()
        if math.isnan(x):
            raise ValueError("not a number: nan")
        return arb(x)
    if isinstance(x, complex):
        return acb(arb(x.real), arb(x.imag))
    if isinstance(x, Fraction):
        return _rational(x.numerator, x.denominator)
    if isinstance(x, _ExactComplex):
        return acb(to_ball(x.re), to_ball(x.im))
    if isinstance(x, mpmath.mpf):
        if mpmath.isinf(x):
            return arb.pos_inf() if x > 0 else arb.neg_inf()
        sign, man, exp, _ = x._mpf_
        return _exact_dyadic(sign, int(man), int(exp))
    if isinstance(x, mpmath.mpc):
        return acb(to_ball(x.real), to_ball(x.imag))
    if isinstance(x, str):
        return to_ball(parse_number(x))
    if is_loaded("sympy") and isinstance(x, sympy.Basic):
        x = sympy.sympify(x)
        if x.is_Rational:
            return _rational(int(x.p), int(x.q))
        if x.is_Float:
            sign, man, exp, _ = x._mpf_
            return _exact_dyadic(sign, int(man), int(exp))
        if x in (sympy.oo, -sympy.oo):
            return arb.pos_inf() if x == sympy.oo else arb.neg_inf()
        if not x.is_number:
            raise ValueError(f"symbolic value {x} cannot be evaluated in balls")
        return _real_if_real(_constant(x)(), x)
    if hasattr(x, "item"):  # numpy scalar
        return to_ball(x.item())
    raise TypeError(f"cannot convert {x!r} ({type(x).__name__}) to a ball")


@functools.lru_cache(maxsize=512)
def _constant(expr):
    """A compiled SymPy constant (pi, sqrt(2), tanh(1)...), evaluated at each call's precision."""
    return ball_lambdify([], expr)


def _real_if_real(value, expr):
    if isinstance(value, acb) and expr.is_real:
        return value.real
    return value


def ball_to_mpf(x):
    """The midpoint of a real ball as an exact ``mpmath.mpf`` (inf kept)."""
    if isinstance(x, (mpmath.mpf, int)):
        return mpmath.mpf(x)
    if isinstance(x, acb):
        x = x.real
    m = x.mid()
    if not m.is_finite():
        if m.is_nan():
            raise ValueError("a ball with a nan midpoint has no value")
        return mpmath.inf if m > 0 else -mpmath.inf
    if m.is_zero():
        return mpmath.mpf(0)
    man, exp = m.man_exp()
    man, exp = int(man), int(exp)
    with mpmath.workprec(max(man.bit_length(), 2)):  # exact: mpf() rounds to mp.prec
        return mpmath.mpf((man, exp))


# -- lambdify: SymPy closed forms evaluated in balls ---------------------------------

@functools.cache
def _ball_printer_class():
    """The printer class, made on first use (it derives from SymPy's MpmathPrinter)."""
    from sympy.printing.pycode import MpmathPrinter

    class _BallPrinter(MpmathPrinter):
        """Prints numbers as exact ball constructors and constants as calls (evaluated at
        the precision in force when the function runs, not when it was compiled)."""

        def _print_Float(self, e):
            sign, man, exp, _ = e._mpf_
            return f"_dyadic({int(sign)}, {int(man)}, {int(exp)})"

        def _print_Rational(self, e):
            return f"_rational({int(e.p)}, {int(e.q)})"

        def _print_Half(self, e):
            return "_rational(1, 2)"

        def _print_Integer(self, e):
            return f"_integer({int(e.p)})"

        def _print_Pi(self, e):
            return "_pi()"

        def _print_Exp1(self, e):
            return "_e()"

        def _print_ImaginaryUnit(self, e):
            return "_i()"

        def _print_Infinity(self, e):
            return "_inf()"

        def _print_NegativeInfinity(self, e):
            return "(-_inf())"

        def _print_Pow(self, expr, rational=False):
            b, e = expr.as_base_exp()
            if e.is_Integer:
                return f"_ipow({self._print(b)}, {int(e)})"
            if e == sympy.S.Half:
                return f"sqrt({self._print(b)})"
            if e == -sympy.S.Half:
                return f"(1/sqrt({self._print(b)}))"
            return f"_pow({self._print(b)}, {self._print(e)})"

        def _print_Piecewise(self, expr):
            # rigorous branch choice: _piecewise evaluates a condition, and a condition
            # that is not decided takes the union of the branches that may apply
            pairs = ", ".join(f"(lambda: {self._print(c)}, lambda: {self._print(e)})"
                              for e, c in expr.args)
            return f"_piecewise({pairs})"

        def _print_Relational(self, expr):
            ops = {"==": "_eq", "!=": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}
            if expr.rel_op in ops:
                return f"{ops[expr.rel_op]}({self._print(expr.lhs)}, {self._print(expr.rhs)})"
            return super()._print_Relational(expr)

        def _print_BooleanTrue(self, expr):
            return "True"

        def _print_BooleanFalse(self, expr):
            return "False"

        def _print_And(self, expr):
            return "_and(" + ", ".join(self._print(a) for a in expr.args) + ")"

        def _print_Or(self, expr):
            return "_or(" + ", ".join(self._print(a) for a in expr.args) + ")"

    return _BallPrinter


def _ball_printer():
    return _ball_printer_class()({"fully_qualified_modules": False, "inline": True,
                                  "allow_unknown_functions": True})


_UNDECIDED = object()


def _cmp(certain_true, certain_false):
    if certain_true:
        return True
    if certain_false:
        return False
    return _UNDECIDED


def _lt(a, b):
    a, b = to_ball(a), to_ball(b)
    return _cmp(a < b, a >= b)


def _le(a, b):
    a, b = to_ball(a), to_ball(b)
    return _cmp(a <= b, a > b)


def _gt(a, b):
    return _lt(b, a)


def _ge(a, b):
    return _le(b, a)


def _eq(a, b):
    a, b = to_ball(a), to_ball(b)
    return _cmp(a == b, a != b)


def _ne(a, b):
    r = _eq(a, b)
    return r if r is _UNDECIDED else not r


def _and(*conds):
    if any(c is False for c in conds):
        return False
    if all(c is True for c in conds):
        return True
    return _UNDECIDED


def _or(*conds):
    if any(c is True for c in conds):
        return True
    if all(c is False for c in conds):
        return False
    return _UNDECIDED


def _union(values):
    out = None
    for v in values:
        v = to_ball(v)
        if out is None:
            out = v
        elif isinstance(out, acb) or isinstance(v, acb):
            a, b = acb(out), acb(v)
            out = acb(a.real.union(b.real), a.imag.union(b.imag))
        else:
            out = out.union(v)
    return out


def _piecewise(*pairs):
    """The value of a SymPy Piecewise: the first branch whose condition holds; when
    conditions are undecided on the ball, the union of every branch that may apply."""
    candidates = []
    for cond, value in pairs:
        c = cond()
        if c is False:
            continue
        candidates.append(value())
        if c is True:
            break
    else:
        if not candidates:
            raise ValueError("no branch of a Piecewise applies")
    return candidates[0] if len(candidates) == 1 else _union(candidates)


def _real_fn(name):
    def fn(x):
        return getattr(to_ball(x), name)()
    fn.__name__ = name
    return fn


def _log(x, base=None):
    x = to_ball(x)
    out = x.log()
    return out if base is None else out / to_ball(base).log()


def _atan2(y, x):
    return arb.atan2(to_ball(y), to_ball(x))


def _sign(x):
    x = to_ball(x)
    if x > 0:
        return arb(1)
    if x < 0:
        return arb(-1)
    if x.is_zero():
        return arb(0)
    return arb(0, 1)


def _min(*xs):
    out = to_ball(xs[0])
    for x in xs[1:]:
        out = out.min(to_ball(x))
    return out


def _max(*xs):
    out = to_ball(xs[0])
    for x in xs[1:]:
        out = out.max(to_ball(x))
    return out


def _re(x):
    x = to_ball(x)
    return x.real if isinstance(x, acb) else x


def _im(x):
    x = to_ball(x)
    return x.imag if isinstance(x, acb) else arb(0)


def _conj(x):
    x = to_ball(x)
    return x.conjugate() if isinstance(x, acb) else x


def _namespace():
    ns = {
        "_dyadic": _exact_dyadic, "_rational": _rational, "_integer": lambda n: arb(flint.fmpz(n)),
        "_pi": arb.pi, "_e": lambda: arb(1).exp(), "_i": lambda: acb(0, 1),
        "_inf": arb.pos_inf, "_piecewise": _piecewise, "_ipow": lambda x, n: ipow(to_ball(x), n),
        "_pow": lambda x, y: to_ball(x) ** to_ball(y),
        "_lt": _lt, "_le": _le, "_gt": _gt, "_ge": _ge, "_eq": _eq, "_ne": _ne,
        "_and": _and, "_or": _or,
        "mpf": to_ball, "log": _log, "atan2": _atan2, "sign": _sign,
        "Min": _min, "Max": _max, "re": _re, "im": _im, "conj": _conj, "conjugate": _conj,
        "abs": lambda x: abs(to_ball(x)), "Abs": lambda x: abs(to_ball(x)),
        "fabs": lambda x: abs(to_ball(x)),
        "ln": _log,
    }
    ns["sqrt"] = sqrt_nonneg
    for name in ("exp", "cos", "sin", "tan", "cosh", "sinh", "tanh", "atan", "acos",
                 "asin", "log1p", "expm1", "cot", "coth", "sec", "csc", "asinh", "acosh",
                 "atanh", "gamma", "erf", "erfc"):
        ns[name] = _real_fn(name)
    ns["acot"] = lambda x: (1 / to_ball(x)).atan()
    return ns


_NAMESPACE = _namespace()


def ball_lambdify(args, expr):
    """``sympy.lambdify`` into balls: a function of balls (or exact numbers) that
    returns a ball; constants are computed at the precision in force at the call.

    >>> import sympy
    >>> from symthermo.balls import ball_lambdify, ball_precision, to_ball
    >>> t = sympy.Symbol("t")
    >>> f = ball_lambdify(t, sympy.exp(-t) * sympy.cos(sympy.pi * t) + sympy.Rational(1, 3))
    >>> with ball_precision(200):
    ...     y = f(to_ball(1))
    ...     print(y.overlaps(to_ball(sympy.Rational(1, 3) - sympy.exp(-1))), y.rad() < 1e-55)
    True True
    """
    return sympy.lambdify(args, expr, modules=[_NAMESPACE], printer=_ball_printer(),
                          docstring_limit=0)


def ball_source(exprs):
    """Python source of a function of nothing returning the balls of the SymPy numbers
    ``exprs`` (a list) at the precision in force when it is called; for
    :func:`ball_function`, and for the cache of :mod:`symthermo.compiled` (a run of
    plain numbers then needs no SymPy).

    >>> import sympy
    >>> from symthermo.balls import ball_function, ball_source, ball_precision
    >>> source = ball_source([sympy.sqrt(2), sympy.tanh(sympy.Rational(9, 10))])
    >>> with ball_precision(100):
    ...     root2, t = ball_function(source)()
    ...     print((root2 ** 2).contains(2), t.rad() < 1e-28)
    True True
    """
    printer = _ball_printer()
    items = []
    for e in exprs:
        e = sympy.sympify(e)
        if e.free_symbols:
            raise ValueError(f"{e} is not a number")
        items.append(printer.doprint(e))
    return "lambda: [" + ", ".join(items) + "]"


def ball_function(source):
    """The function :func:`ball_source` wrote (evaluated among the ball functions only)."""
    if not source.startswith("lambda: ["):
        raise ValueError("not the source of ball constants")
    return eval(compile(source, "<symthermo ball constants>", "eval"),  # noqa: S307
                dict(_NAMESPACE, __builtins__={}))


# -- the number system ---------------------------------------------------------------

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
        from .thermal import Levels, Oscillator, _thermal_moments, beta_for_entropy
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
    (:func:`~symthermo.thermal.beta_for_entropy`) refined by Newton steps on the balls'
    midpoints, each of which doubles its digits (two or three at 30 digits, where the
    mpmath solver from scratch takes a bracket and a dozen steps at full precision).

    Newton acts on f(beta) = ln[S(beta) - ln g0] - ln[S - ln g0], f' = -beta Var/[S(beta)
    - ln g0], as the scalar solver does.  None where float64 cannot start (an excess
    entropy outside its range, a root at 0 or inf, a solver error) or the steps do not
    settle: the caller then solves in mpmath.  A guess only: the caller's bracket proves
    the root.
    """
    from .numbers import FLOAT64
    from .thermal import Levels, Oscillator, _thermal_moments, beta_for_entropy

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


def enclose_monotone_root(f, target, guess, *, decreasing):
    """A ball [lo, hi] that provably holds the root beta >= 0 of f(beta) = target, f
    strictly monotone: f(lo) - target and f(hi) - target have proven opposite signs.

    ``guess`` is an approximate root (a float-like mpmath number, or None when the root
    is at or beyond the ends 0/inf as far as the midpoint computation could tell).
    When the bracket cannot be proven (the target touches the end of f's range) the
    result is a ball reaching to 0 or an infinite ball above the proven lower end.

    >>> from symthermo.balls import enclose_monotone_root, ball_precision, to_ball
    >>> import mpmath
    >>> with ball_precision(100), mpmath.workprec(100):
    ...     b = enclose_monotone_root(lambda x: x * x, to_ball(2), mpmath.sqrt(2),
    ...                               decreasing=False)
    ...     print(b.contains(to_ball(2).sqrt()), b.rad() < to_ball("1e-20"))
    True True
    """
    sign = -1 if decreasing else 1

    def below(x):  # proven f(x) on the root's small-beta side
        d = (f(x) - target) * sign
        return d < 0

    def above(x):
        d = (f(x) - target) * sign
        return d > 0

    if guess is not None:
        g = guess.mid() if is_ball(guess) else to_ball(mpmath.mpf(guess)).mid()
        rel = max(target.rad() / abs(target) if target != 0 else arb(0), arb(2) ** (8 - flint.ctx.prec))
        delta = rel
        for _ in range(flint.ctx.prec):
            lo, hi = g * (1 - delta), g * (1 + delta)
            if below(lo) and above(hi):
                return lo.union(hi)
            delta = delta * 4
            if delta > 1:
                break
    # no proven bracket about the guess: widen towards 0 and infinity
    start = g if guess is not None else arb(1)
    lo = start
    for _ in range(64):
        if below(lo):
            break
        lo = lo / 16
    else:
        lo = arb(0)
    hi = start
    for _ in range(64):
        if above(hi):
            break
        hi = hi * 16
    else:
        # the root may be beyond every finite bracket tried: only beta >= 0 is proven
        return arb(0).union(arb.pos_inf())
    return lo.union(hi)


BALLS = _Balls()


# -- finishing formulas with structural zeros (models/base.py calls these for balls) -------

def _is_levels(levels):
    from .thermal import Levels

    return isinstance(levels, Levels)


def _is_qubit(levels):
    from .thermal import Levels

    return isinstance(levels, Levels) and levels.is_qubit


def ball_local_from_data(sub, d, lib):
    """E, S, beta, E^th, ergotropy, exergy of one subsystem from its reduced data, in balls.

    Structural zeros: a qubit whose state is diagonal in the energy basis (``d["diagonal"]``)
    with p_e < p_g *proven* is passive, and it is the Gibbs state of beta = ln(p_g/p_e)/omega,
    which is then its entropy-matched beta: its ergotropy and exergy are exactly 0 and
    E^th = E.  Without that proof the differences are balls about their true value.
    """
    from .entropy import binary_entropy, entropy_of_spectrum
    from .thermal import Oscillator, _beta_of_spectrum

    levels = sub.levels
    spectrum = lib.sort(d["spectrum"])
    above = d["E"] - sub.ground
    beta = d.get("beta")
    if beta is None:
        beta = _beta_of_spectrum(lib, levels, spectrum)
    known = d.get("entropy_of")  # (spectrum, entropy) the model computed already
    if known is not None and len(known[0]) == len(spectrum) and all(
            a is b for a, b in zip(known[0], spectrum)):
        entropy = known[1]
    elif len(spectrum) == 2:
        # two eigenvalues of a density matrix: lo and 1 - lo exactly (the trace), so
        # h(lo) = -lo ln lo - (1 - lo) log1p(-lo) encloses S with lo's relative radius,
        # where -hi ln hi of a ball hi about 1 keeps only its absolute radius (a decay at
        # gamma t = 1000: S = 5e-432 printed as 0 +/- 1.3e-178)
        entropy = binary_entropy(lib, spectrum[0])
    else:
        entropy = entropy_of_spectrum(lib, spectrum)
    passive_proven = False
    populations = d.get("populations")  # diagonal state, populations in level order
    if populations is not None and _is_levels(levels) and all(
            a > b or (a - b).is_zero() for a, b in zip(populations, populations[1:])):
        passive_proven = True  # non-increasing populations: the state is its passive state
    if d.get("diagonal") and len(spectrum) == 2:
        # diagonal on the two lowest levels: p_1 = above/gap < 1/2 proven means passive
        if _is_qubit(levels):  # a passive qubit is also thermal
            # (columns of balls: each time takes its own branch, see ball_columns.when)
            return when(levels.passive_diagonal_qubit(above),
                        lambda: {"E": d["E"], "S": entropy, "beta": beta, "Eth": d["E"],
                                 "ergotropy": lib.zero, "exergy": lib.zero},
                        lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, False))
        gap = levels.omega if isinstance(levels, Oscillator) else levels.gaps[1]
        proven = above < gap / 2
        return when(proven, lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, True),
                    lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, False))
    return _local_rest(sub, d, lib, spectrum, above, beta, entropy, passive_proven)


def _local_rest(sub, d, lib, spectrum, above, beta, entropy, passive_proven):
    """The end of :func:`ball_local_from_data`: E^th, ergotropy, exergy."""
    from . import definitions
    from .ergotropy import passive_energy
    from .thermal import _thermal_moments

    levels = sub.levels
    thermal_above = d.get("Eth")
    if thermal_above is None and not beta.is_finite() and not lib.isinf(beta):
        thermal_above = _thermal_above_unbounded_beta(lib, levels, entropy)
    elif thermal_above is None:
        thermal_above, _, _ = _thermal_moments(lib, levels, beta)
    else:
        thermal_above = thermal_above - sub.ground
    passive = passive_energy(lib, levels, spectrum)
    # the model says E^th is E itself (a thermal state): exergy exactly 0
    thermal = d.get("Eth") is d["E"]
    return {
        "E": d["E"],
        "S": entropy,
        "beta": beta,
        "Eth": d["E"] if thermal else sub.ground + thermal_above,
        "ergotropy": lib.zero if passive_proven or thermal
        else definitions.ergotropy(above, passive),
        "exergy": lib.zero if thermal else definitions.exergy(above, thermal_above),
    }


def _thermal_above_unbounded_beta(lib, levels, entropy):
    """E^th - E_0 when beta has no finite bound (the entropy ball reaches its minimum):
    E^th grows with the entropy, so it lies in [0, E^th(S_upper)]."""
    from .thermal import _thermal_moments

    s_up = entropy.upper()
    if s_up.is_finite() and s_up > 0:
        b = lib.beta_for_entropy(levels, s_up)
        if b.is_finite():
            top, _, _ = _thermal_moments(lib, levels, b.lower())
            return arb(0).union(top.upper())
    return _UNBOUNDED()


def ball_work(lib, q0, qt, convention):
    """W = Delta E - Q = exergy(t) - exergy(0): the same number, written so that a
    subsystem that stays thermal (exergy exactly 0 at both times) has W exactly 0."""
    from .heat_work import sign

    def moved():
        w = (qt["E"] - q0["E"]) - (qt["Eth"] - q0["Eth"])
        return w if sign(convention) == 1 else -w

    if not lib.is_exact_zero(q0["exergy"]):
        return moved()
    return when(lib.is_exact_zero(qt["exergy"]), lambda: lib.zero, moved)


def ball_beta_times_heat(lib, beta, heat):
    """beta(0) Q with 0 * inf = 0, on proven signs only: beta(0) = inf and a heat
    that is not proven non-zero gives the unbounded ball."""
    if lib.isinf(beta):
        if lib.is_exact_zero(heat):
            return lib.zero
        if heat > 0:
            return lib.inf
        if heat < 0:
            return -lib.inf
        return _UNBOUNDED()
    return beta * heat
