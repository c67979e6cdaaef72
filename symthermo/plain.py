"""Plain numbers: the grammar's number literals and its fast path, without SymPy.

Every number a user types is read by the grammar of
:mod:`symthermo.expressions`.  Its decimal literals are read here, with the
limits that bound them (this module owns them; the grammar imports them):

==========================  ==============================================
``MAX_LENGTH``              10 000 characters in one expression
``MAX_DIGITS``              4 000 digits in one number literal
``MAX_LITERAL_EXPONENT``    a literal's decimal exponent at most 4 000
                            in size (``1e4000``, ``1e-4000``)
``MAX_BITS``                14 000 bits in the numerator or denominator of
                            an exact number
==========================  ==============================================

The common inputs (``1.63``, ``2``, ``-0.5``, ``1/3``, ``1e-3``,
``0:10:1000``) are *plain*: one decimal literal with an optional sign, or a
ratio of two integers.  :func:`plain_value` reads them without the parser,
and the grammar takes that fast path first, so both give the same exact
:class:`fractions.Fraction` by construction.  The float64 route reads plain
parameters and times with :func:`plain_number` and :func:`plain_times`,
which never import SymPy (nor the grammar) and answer ``None`` for anything
else: a name, an expression, a value beyond the limits; the grammar then
reads that text, with its checks and messages.

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

__all__ = ["LiteralError", "literal_value", "plain_value", "plain_number", "plain_times", "shorten",
           "MAX_LENGTH", "MAX_DIGITS", "MAX_LITERAL_EXPONENT", "MAX_BITS"]

MAX_LENGTH = 10_000
MAX_DIGITS = 4_000
MAX_LITERAL_EXPONENT = 4_000
MAX_BITS = 14_000

# a decimal literal as Python's tokenizer reads it, without sign (no underscores, no other
# bases; leading zeros allowed, as float() allows them); every quantifier is followed by a
# different character class, so matching is linear.  ASCII digits only: \d would admit
# other scripts' digits, which int() reads and the grammar refuses.
_LITERAL = re.compile(r"(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?"
                      r"(?P<imag>[jJ])?")
_DECIMAL = re.compile(r"(?P<sign>[+-]?)(?P<body>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
                      r"(?:[eE][+-]?[0-9]+)?)")
# a ratio of two integers as Python writes them (no leading zero: "007" is a syntax error)
_INTEGER = r"(?:0+|[1-9][0-9]*)"
_RATIO = re.compile(r"(?P<sign>[+-]?)(?P<num>" + _INTEGER + r")/(?P<den>" + _INTEGER + r")")
_COUNT = re.compile(r"[0-9]{1,9}")


class LiteralError(ValueError):
    """A literal beyond the limits, or not a decimal number; ``reason`` names the limit."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _bits(q):
    return max(q.numerator.bit_length(), q.denominator.bit_length())


def shorten(text, limit=60):
    """``repr(text)``, cut in the middle when long, with its length (for messages).

    >>> from symthermo.plain import shorten
    >>> shorten("9" * 100000)
    "'99999999999999999999999999999'...'999999999999999999999999999999' (100000 characters)"
    """
    text = str(text)
    if len(text) <= limit:
        return repr(text)
    half = limit // 2
    return f"{text[:half - 1]!r}...{text[-half:]!r} ({len(text)} characters)"


def literal_value(text):
    """The exact value of one unsigned decimal literal (``2``, ``.5``, ``1e400``, ``2j``).

    Returns a ``Fraction``, or ``(Fraction, "j")`` for an imaginary literal.
    Raises :class:`LiteralError` beyond the limits or for a text that is no
    decimal literal.  This is how the grammar reads every number literal.

    >>> from symthermo.plain import literal_value
    >>> literal_value("2.5e-3"), literal_value("1j")
    (Fraction(1, 400), (Fraction(1, 1), 'j'))
    >>> literal_value("1e5000")
    Traceback (most recent call last):
    ...
    symthermo.plain.LiteralError: the exponent of '1e5000' exceeds the limit 4000
    """
    m = _LITERAL.fullmatch(text)
    if not m or not (m["int"] or m["frac"]):
        raise LiteralError(f"the number {shorten(text, 40)} is not a decimal number")
    digits = (m["int"] or "") + (m["frac"] or "")
    if len(digits) > MAX_DIGITS:
        raise LiteralError(f"a number of {len(digits)} digits exceeds the limit {MAX_DIGITS}")
    exponent = int(m["exp"]) if m["exp"] and len(m["exp"]) < 12 else (
        0 if not m["exp"] else 10**12)
    if abs(exponent) > MAX_LITERAL_EXPONENT:
        raise LiteralError(f"the exponent of {shorten(text, 40)} exceeds the limit "
                           f"{MAX_LITERAL_EXPONENT}")
    exponent -= len(m["frac"] or "")
    mantissa = int(digits)
    value = (Fraction(mantissa * 10**exponent) if exponent >= 0
             else Fraction(mantissa, 10**-exponent))
    if _bits(value) > MAX_BITS:
        raise LiteralError(f"the number {shorten(text, 40)} has more than {MAX_BITS} bits "
                           f"(the limit of an exact number)")
    return (value, "j") if m["imag"] else value


def plain_value(text):
    """The exact value of a plain number (a signed decimal literal or a ratio of two
    integers, spaces around allowed), or None when ``text`` is not plain.

    Raises :class:`LiteralError` for a plain number beyond the limits.  The
    grammar tries this first: its value is the grammar's value of ``text``.

    >>> from symthermo.plain import plain_value
    >>> plain_value(" -2.5e-1 "), plain_value("10/4"), plain_value("2*g")
    (Fraction(-1, 4), Fraction(5, 2), None)
    """
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    s = text.strip()
    m = _DECIMAL.fullmatch(s)
    if m:
        value = literal_value(m["body"])
        return -value if m["sign"] == "-" else value
    m = _RATIO.fullmatch(s)
    if m:
        num, den = literal_value(m["num"]), literal_value(m["den"])
        if not den:
            return None  # the grammar names the division by zero
        value = num / den
        return -value if m["sign"] == "-" else value
    return None


def plain_number(text):
    """The exact non-negative value of a plain number (``12``, ``0.5``, ``1e-3``,
    ``3/4``) as a Fraction; None for anything else (a sign, a name, an expression,
    a number beyond the grammar's limits), which the grammar then reads or refuses."""
    try:
        value = plain_value(text)
    except LiteralError:
        return None
    if value is None or text.strip()[:1] in "+-":
        return None
    return value


def plain_times(text):
    """Floats of a --times argument made of plain numbers and ``START:STOP:COUNT``
    ranges (``COUNT`` equally spaced times, exact before rounding), or None.

    Within the limits of :mod:`symthermo.times` (``MAX_TEXT``, ``MAX_COUNT``);
    beyond them, or beyond float64, None: the grammar names the limit."""
    from .times import MAX_COUNT, MAX_TEXT

    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    try:
        return _plain_times(text, MAX_COUNT)
    except OverflowError:  # beyond float64 (1e400): the general route names it
        return None


def _plain_times(text, max_count):
    out = []
    for part in text.split(","):
        if ":" not in part:
            value = plain_number(part)
            if value is None:
                return None
            out.append(value.numerator / value.denominator)  # int / int rounds correctly
            continue
        pieces = part.split(":")
        if len(pieces) != 3 or not _COUNT.fullmatch(pieces[2].strip()):
            return None
        a, b, n = plain_number(pieces[0]), plain_number(pieces[1]), int(pieces[2])
        if a is None or b is None or not 1 <= n <= max_count - len(out):
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
