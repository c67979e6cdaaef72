"""The exact values the grammar of :mod:`symthermo.expressions` returns, and each as a
number of a number system.

A real value is a :class:`fractions.Fraction`, a complex one an :class:`ExactComplex`
(Fraction parts, exact arithmetic), anything else a SymPy expression;
:func:`to_float`, :func:`to_mpmath` and :func:`to_sympy` turn any of them into
float64, mpmath (at the current precision) and SymPy numbers, refusing what float64
cannot hold or what still depends on a symbol with a message that quotes the
user's text.  SymPy and mpmath are imported only by the conversions that need them.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Integral

from .plain import shorten

__all__ = ["ExactComplex", "is_real", "to_sympy", "to_float", "to_mpmath"]


class ExactComplex:
    """A complex number with exact rational parts (``Fraction``), imaginary part nonzero.

    >>> from fractions import Fraction
    >>> from symthermo.exact_numbers import ExactComplex
    >>> z = ExactComplex(Fraction(1, 2), Fraction(1))
    >>> z * z
    ExactComplex(Fraction(-3, 4), Fraction(1, 1))
    >>> complex(z)
    (0.5+1j)
    """

    __slots__ = ("re", "im")

    def __init__(self, re, im):
        self.re, self.im = Fraction(re), Fraction(im)

    @staticmethod
    def make(re, im):
        """``re + i im``: a ``Fraction`` when ``im`` is 0, else an ExactComplex."""
        return Fraction(re) if im == 0 else ExactComplex(re, im)

    @staticmethod
    def parts(x):
        return (x.re, x.im) if isinstance(x, ExactComplex) else (Fraction(x), Fraction(0))

    def __add__(self, other):
        (a, b), (c, d) = self.parts(self), self.parts(other)
        return self.make(a + c, b + d)

    __radd__ = __add__

    def __sub__(self, other):
        (a, b), (c, d) = self.parts(self), self.parts(other)
        return self.make(a - c, b - d)

    def __rsub__(self, other):
        return -self + other

    def __mul__(self, other):
        (a, b), (c, d) = self.parts(self), self.parts(other)
        return self.make(a * c - b * d, a * d + b * c)

    __rmul__ = __mul__

    def __truediv__(self, other):
        (a, b), (c, d) = self.parts(self), self.parts(other)
        den = c * c + d * d  # ZeroDivisionError when other is 0
        return self.make((a * c + b * d) / den, (b * c - a * d) / den)

    def __rtruediv__(self, other):
        return ExactComplex.make(*self.parts(other)) / self if isinstance(
            other, ExactComplex) else ExactComplex(other, 0) / self

    def __neg__(self):
        return ExactComplex(-self.re, -self.im)

    def __pos__(self):
        return self

    def __pow__(self, n):
        if not isinstance(n, Integral):
            return NotImplemented
        result, base = Fraction(1), self if n >= 0 else 1 / self
        for bit in bin(abs(n))[2:]:
            result = result * result
            if bit == "1":
                result = base * result
        return result

    def __eq__(self, other):
        try:
            return self.parts(self) == self.parts(other)
        except (TypeError, ValueError):
            return NotImplemented

    def __hash__(self):
        return hash(complex(self)) if self.im else hash(self.re)

    def __complex__(self):
        return complex(float(self.re), float(self.im))

    def __repr__(self):
        return f"ExactComplex({self.re!r}, {self.im!r})"

    def __str__(self):
        sign = "-" if self.im < 0 else "+"
        return f"({self.re}{sign}{abs(self.im)}j)" if self.re else f"{self.im}j"


def is_real(value):
    """False for a value known to be non-real (an ExactComplex, a non-real SymPy number)."""
    if isinstance(value, ExactComplex):
        return False
    if isinstance(value, (Fraction, Integral, float)):
        return True
    if isinstance(value, complex):
        return value.imag == 0
    return getattr(value, "is_real", None) is not False


def to_sympy(value):
    """A SymPy number of an exact value (``Fraction`` -> ``Rational``)."""
    import sympy

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, ExactComplex):
        return to_sympy(value.re) + sympy.I * to_sympy(value.im)
    if isinstance(value, sympy.Basic):
        return value
    if not isinstance(value, (Integral, float, complex)) or isinstance(value, bool):
        # never sympify text (it evaluates Python): text goes through parse_expression
        raise TypeError(f"expected a number, got {value!r:.60} of type {type(value).__name__}")
    return sympy.sympify(value)


def to_float(value, *, what="number", text=None, label=None):
    """``value`` as a float (complex if not real), or a ValueError if float64 cannot hold it.

    Messages name ``label`` if given, else ``text`` (the user's text), else the value.

    >>> from fractions import Fraction
    >>> from symthermo.exact_numbers import to_float
    >>> to_float(Fraction(1, 3))
    0.3333333333333333
    >>> to_float(Fraction(10**400), what="time", text="1e400")
    Traceback (most recent call last):
    ...
    ValueError: time '1e400' is too large for float64 (at most 1.8e308)
    """
    shown = label or shorten(text if text is not None else str(value))
    try:
        if isinstance(value, (Fraction, Integral)):
            return float(value)
        if isinstance(value, ExactComplex):
            out = complex(float(value.re), float(value.im))
        elif _is_sympy(value):
            if value.free_symbols:
                names = ", ".join(sorted(str(s) for s in value.free_symbols))
                raise ValueError(f"{what} {shown} depends on symbolic {names}")
            out = complex(value.evalf(20))
        else:
            out = complex(value)
    except OverflowError:
        raise ValueError(f"{what} {shown} is too large for float64 (at most 1.8e308)") from None
    if not (math.isfinite(out.real) and math.isfinite(out.imag)):
        raise ValueError(f"{what} {shown} is too large for float64 (at most 1.8e308)")
    return out.real if out.imag == 0 else out


def to_mpmath(value, *, what="number", text=None, label=None):
    """``value`` as an mpmath number at the current precision (``mpmath.mp``).

    >>> import mpmath
    >>> from symthermo.exact_numbers import to_mpmath
    >>> from symthermo.expressions import parse_expression
    >>> with mpmath.workdps(30):
    ...     print(to_mpmath(parse_expression("pi/4")))
    0.78539816339744830961566084582
    """
    import mpmath

    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    if isinstance(value, ExactComplex):
        return mpmath.mpc(to_mpmath(value.re), to_mpmath(value.im))
    if isinstance(value, Integral):
        return mpmath.mpf(int(value))
    if _is_sympy(value):
        if value.free_symbols:
            names = ", ".join(sorted(str(s) for s in value.free_symbols))
            shown = label or shorten(text if text is not None else str(value))
            raise ValueError(f"{what} {shown} depends on symbolic {names}")
        import sympy

        return mpmath.mpmathify(sympy.N(value, mpmath.mp.dps + 5))
    return mpmath.mpmathify(value)


def _is_sympy(x):
    return type(x).__module__.startswith("sympy")
