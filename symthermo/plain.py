"""Plain numbers and time ranges read exactly, without SymPy.

The numeric float64 route needs floats only; for the common inputs (``1.63``,
``2``, ``1/3``, ``1e-3``, ``0:10:1000``) importing SymPy to read them would
cost more than the whole evaluation.  These readers accept only plain
non-negative literals and return ``None`` for anything else (an expression,
a sign, a name), which then goes the general (SymPy) way, with its checks
and error messages.  Values are exact :class:`fractions.Fraction`, equal to
what ``sympify(text, rational=True)`` gives; times become the correctly
rounded float of the exact value.

>>> from symthermo.plain import plain_number, plain_times
>>> plain_number("1.63"), plain_number("2"), plain_number("1/3"), plain_number("pi")
(Fraction(163, 100), Fraction(2, 1), Fraction(1, 3), None)
>>> plain_times("0:1:3")
[0.0, 0.5, 1.0]
>>> plain_times("0, 2.5e-1") == [0.0, 0.25]
True
>>> plain_times("pi/2") is None
True
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["plain_number", "plain_times", "MAX_EXPONENT", "MAX_RANGE"]

#: a literal whose decimal exponent exceeds this in size is not plain (the
#: general route decides about it): exact integers of 10^400 digits are not read here
MAX_EXPONENT = 400
#: the largest START:STOP:COUNT read here
MAX_RANGE = 10 ** 7

# Python's literals: an integer has no leading zero ("007" is a syntax error), a
# float may ("007.5"); a ratio of two integers
_INTEGER = r"(?:0+|[1-9]\d*)"
_DECIMAL = re.compile(r"(?:\d+\.\d*|\.\d+|\d+(?=[eE])|" + _INTEGER + r")(?:[eE]([+-]?\d{1,6}))?")
_RATIO = re.compile(r"(" + _INTEGER + r")/(" + _INTEGER + r")")


def plain_number(text):
    """The exact non-negative value of a plain literal (``12``, ``0.5``, ``1e-3``,
    ``3/4``) as a Fraction, or None if ``text`` is anything else."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if len(s) > 400:  # long literals: the grammar (symthermo.expressions) bounds them
        return None
    m = _DECIMAL.fullmatch(s)
    if m:
        if m.group(1) is not None and abs(int(m.group(1))) > MAX_EXPONENT:
            return None
        return Fraction(s)
    m = _RATIO.fullmatch(s)
    if m and len(s) <= 800 and int(m.group(2)) != 0:
        return Fraction(int(m.group(1)), int(m.group(2)))
    return None


def plain_times(text):
    """Floats of a --times argument made of plain literals and ``START:STOP:COUNT``
    ranges (``COUNT`` equally spaced times, exact before rounding), or None."""
    try:
        return _plain_times(text)
    except OverflowError:  # beyond float64 (1e400): the general route names it
        return None


def _plain_times(text):
    if not isinstance(text, str):
        return None
    out = []
    for part in text.split(","):
        part = part.strip()
        if ":" not in part:
            value = plain_number(part)
            if value is None:
                return None
            out.append(value.numerator / value.denominator)  # int / int rounds correctly
            continue
        pieces = part.split(":")
        if len(pieces) != 3 or not re.fullmatch(r"\d{1,9}", pieces[2].strip()):
            return None
        a, b, n = plain_number(pieces[0]), plain_number(pieces[1]), int(pieces[2])
        if a is None or b is None or not 1 <= n <= MAX_RANGE:
            return None
        if n == 1:
            out.append(a.numerator / a.denominator)
            continue
        # t_k = a + (b - a) k/(n - 1) = (A + B k)/D with integers, each rounded once
        den = a.denominator * b.denominator * (n - 1)
        start = a.numerator * b.denominator * (n - 1)
        step = b.numerator * a.denominator - a.numerator * b.denominator
        out.extend((start + step * k) / den for k in range(n))
    return out
