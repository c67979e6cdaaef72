"""Numbers into balls and back, and the few operations balls need done tightly.

:func:`to_ball` encloses ints, fractions, floats, mpmath and SymPy numbers and
strings (exact inputs with the current precision's rounding only);
:func:`ball_to_mpf` gives a ball's midpoint as an exact mpmath number.  flint's
``**`` and ``sqrt`` are nan or loose for a ball that holds 0 or reaches below it
by rounding: :func:`ipow`, :func:`sqrt_nonneg` and :func:`nonnegative` enclose
such quantities tightly.  Work inside :func:`symthermo.balls.ball_precision`.

>>> from symthermo.ball_conversion import ball_to_mpf, to_ball
>>> from symthermo.balls import ball_precision
>>> with ball_precision(80):
...     print(ball_to_mpf(to_ball("1/4")), to_ball(2.5).is_exact())
0.25 True
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import flint
import mpmath
from flint import acb, arb

from .ball_columns import BallColumn
from .lazy import is_loaded, lazy_import
from .numbers import _ExactComplex, parse_number

sympy = lazy_import("sympy")  # loaded by what needs it: a run of plain numbers does not

__all__ = [
    "to_ball",
    "ball_to_mpf",
    "is_ball",
    "infinite_sign",
    "nonnegative",
    "ipow",
    "sqrt_nonneg",
]


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
    >>> from symthermo.ball_conversion import ipow
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

    >>> from symthermo.ball_conversion import to_ball
    >>> from symthermo.balls import ball_precision
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
    from .sympy_to_balls import ball_lambdify

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
