"""Certified digits by Ziv's strategy: evaluate once in balls, check, raise the precision.

:func:`certified` evaluates ``compute(BALLS)`` at a working precision of about
``digits * log2(10)`` bits plus guard bits.  Each ball in the result either

- rounds to ``digits`` significant digits: every point of the ball has the
  same correctly rounded ``digits``-digit decimal (:func:`decimal_digits`);
- is an exact 0 or an exact infinity (structure, never a cancellation);
- or is too wide, and then the precision is doubled and everything is
  evaluated again, up to a bound (``max_bits``).

A ball still too wide at the bound (a value that is truly 0 but computed as
a cancellation, or one limited by a truncation bound) is *returned with its
bound*, never refused: :func:`format_ball` prints it as ``"m +/- r"``
(``"0 +/- r"`` when the ball contains 0), which no parser can mistake for a
decimal.  Compare :func:`symthermo.precision.stable`, which trusts two
evaluations that agree.

Rows held as columns of balls (:class:`~symthermo.ball_columns.BallColumnRows`, all
times at once) are checked column by column by :func:`format_column`: the same texts
as :func:`format_ball`, found from Arb's decimal enclosure of each ball in integer
arithmetic (about 3 us a value instead of 12), the exact check where that does not
decide.

>>> from symthermo.certify import certified, format_ball
>>> result = certified(lambda lib: [lib.number(1) / 3, lib.exp(lib.number(-50))], 30)
>>> [format_ball(x, 30)[0] for x in result.value]
['0.333333333333333333333333333333', '1.92874984796391778301734281653e-22']
>>> x = certified(lambda lib: (1 + lib.number("1e-40")) - 1, 10).value
>>> format_ball(x, 10)
('1.000000000e-40', '1.2e-69')
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_CEILING, Context, Decimal

import flint
import mpmath
import numpy as np
from flint import acb, arb

from .ball_columns import BallColumnRows
from .ball_conversion import infinite_sign, is_ball, to_ball
from .balls import BALLS, ball_precision
from .precision import check_dps

__all__ = ["Certified", "certified", "decimal_digits", "format_ball", "format_column",
           "error_bound", "rounded_up_text", "GUARD_BITS", "is_certified"]

#: bits added to digits * log2(10) for the first evaluation
GUARD_BITS = 24
_LOG2_10 = math.log2(10)


@dataclass(frozen=True)
class Certified:
    """The balls of the last evaluation, its precision in bits, and whether every
    ball was certified (rounds to the digits, or is an exact 0 or infinity).
    ``texts`` maps ``id(ball)`` of the balls in ``value`` to their
    :func:`format_ball` result, found while checking them (use :meth:`format`)."""

    value: object
    bits: int
    complete: bool
    digits: int = None
    texts: dict = None

    def format(self, x):
        """``format_ball(x, digits)``, from the check's cache when x is in ``value``."""
        found = self.texts.get(id(x)) if self.texts else None
        return found if found is not None else format_ball(x, self.digits)


def _balls(x, out):
    """The balls inside x (dicts, lists, tuples, row sequences), in a fixed order."""
    if is_ball(x):
        out.append(x)
    elif isinstance(x, dict):
        for k in x:
            _balls(x[k], out)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _balls(v, out)
    elif hasattr(x, "__len__") and hasattr(x, "__getitem__") and not isinstance(x, (str, bytes)):
        for v in x:
            _balls(v, out)
    return out


def is_certified(x, digits):
    """True when the ball ``x`` prints as ``digits`` proven digits (or exactly)."""
    if isinstance(x, acb):
        if not x.imag.is_zero():
            return False
        x = x.real
    if (x.is_exact() and x.is_zero()) or infinite_sign(x):
        return True
    return decimal_digits(x, digits) is not None


def _open_text(text):
    return text == "nan" or " +/- " in text


def _check_columns(rows, digits):
    """The texts of columnar rows (:class:`~symthermo.ball_columns.BallColumnRows`):
    ``(texts, open)`` with ``texts[key]`` a list of ``(text, err)`` per row (None for a
    value that is not a ball) and ``open`` the ``(key, row)`` of values not certified."""
    texts, open_ = {}, []
    done = {}  # id(array or ball) -> its texts: a column shared by two keys is read once
    seen = {}  # id(ball) -> its text: a ball in two columns (E^th = E) is read once
    for key in rows.keys:
        v = rows.columns[key]
        found = done.get(id(v))
        if found is None:
            where = []  # the rows whose value is not certified
            if isinstance(v, np.ndarray):
                found = format_column(v, digits, seen=seen, open_=where)
            elif is_ball(v):
                text = _text_of(v, digits)
                found = [text] * rows.n
                where = list(range(rows.n)) if _open_text(text[0]) else []
            else:
                found = [None] * rows.n
            found = done[id(v)] = (found, where)
        texts[key] = found[0]
        open_.extend((key, i) for i in found[1])
    return texts, open_


def _text_of(x, digits):
    x = _real_checked(x)
    return ("nan", "inf") if x.is_nan() else _format_ball(x, digits)


def format_column(values, digits, *, seen=None, open_=None):
    """``[format_ball(x, digits) for x in values]`` (``("nan", "inf")`` for a nan ball,
    None for a value that is not a ball) at the precision in force, by the fast
    decimal check of :func:`_fast_text` where it decides, else :func:`format_ball`'s own
    exact check.  A ball met twice (the same object) is read once (``seen``: a dict
    id -> texts shared between calls, whose balls the caller keeps alive).  The indices
    of values not certified (``"m +/- r"`` or nan) are appended to the list ``open_``.

    Parameters
    ----------
    values : numpy.ndarray of object
        Balls (``flint.arb``, ``flint.acb``) or other values.
    digits : int
        Significant digits.

    Returns
    -------
    list of (str, str) or None
        ``(text, err)`` per value, as :func:`format_ball`.

    Examples
    --------
    >>> import numpy as np
    >>> from flint import arb
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.certify import format_column
    >>> with ball_precision(80):
    ...     column = np.array([arb(2) / 3, arb(0), arb(10) ** 7 / 7], dtype=object)
    ...     format_column(column, 10)
    [('0.6666666667', '3.4e-11'), ('0', '0'), ('1428571.429', '4.3e-4')]
    """
    n10 = digits + 12  # (Arb's decimal conversion costs with its digits)
    fixed = min(-(digits // 3), -5)
    if seen is None:
        seen = {}
    out = []
    append = out.append
    fast = _fast_text
    for i, x in enumerate(values.tolist()):
        key = id(x)
        found = seen.get(key)
        if found is None:
            found = fast(x, digits, n10, fixed) if type(x) is arb else None
            if found is not None:  # proven: never open
                found = seen[key] = (found, False)
            elif is_ball(x):
                text = _text_of(x, digits)
                found = seen[key] = (text, _open_text(text[0]))
            else:
                found = seen[key] = (None, False)
        if found[1] and open_ is not None:
            open_.append(i)
        append(found[0])
    return out


def _fast_text(x, digits, n10, fixed):
    """:func:`_format_ball` of a real ball whose digits are proven, from Arb's decimal
    enclosure ``x in [(m +/- r) 10^e]`` (``mid_rad_10exp``: ``n10`` digits, 12 more than
    are printed: the enclosure's own rounding, 10^-n10 of x, is then far below the half
    unit that decides the digits and the units that decide ``err``'s two; the rare ball it
    leaves undecided takes the exact path, so the texts do not depend on ``n10``) in
    integer arithmetic (``fixed``: the smallest decimal
    exponent that :func:`_layout` writes in fixed point, minus 1); None where it does not decide (an
    exact 0, an infinity, nan, a ball about 0 or too wide, a rounding boundary within
    reach, an ``err`` whose two digits the enclosure's last units could change): the
    caller then takes the exact path.

    The digit check is that of :func:`decimal_digits` on a ball that holds ``x``: a
    decimal it proves, it proves for ``x``.  ``err`` is the two-digit ceiling of
    max(|c - lo|, |hi - c|) over the enclosure, kept only when it is also that of the
    enclosure narrowed by 3 units in its last place: then it is the ceiling of the exact
    bound, never above :func:`error_bound`'s.
    """
    m, r, e = x.mid_rad_10exp(n10)
    m = int(m)
    if m > 0:
        sign, a = "", m
    elif m < 0:
        sign, a = "-", -m
    else:
        return None
    r = int(r)
    lo = a - r
    if lo <= 0:
        return None
    pow10 = _POW10
    length = (a.bit_length() - 1) * 30103 // 100000 + 1  # a's digits, or one too many/few
    if length >= _POW10_COUNT - 1:
        return None
    if a >= pow10[length]:
        length += 1
    elif a < pow10[length - 1]:
        length -= 1
    drop = length - digits
    if drop < 2:
        return None
    unit = pow10[drop]
    half = unit >> 1
    n = (a + half) // unit
    if n == pow10[digits]:  # rounded up to the next power of ten
        unit, half, drop, n = unit * 10, half * 10, drop + 1, pow10[digits - 1]
    c = n * unit
    off = a - c if a > c else c - a
    d = off + r  # max(|hi - c|, |c - lo|): the bound of |printed - x| over the enclosure
    if d >= half:  # the enclosure reaches the next rounding cell
        return None
    e = int(e)
    exponent = digits - 1 + drop + e
    dig = str(n)
    if fixed < exponent < digits:  # _layout's fixed-point range
        if exponent < 0:
            text = sign + "0." + "0" * (-exponent - 1) + dig
        else:
            text = sign + dig[:exponent + 1] + "." + dig[exponent + 1:]
    else:
        text = _layout(sign, dig, exponent, digits)
    if d == 0:
        return text, "0"
    size = (d.bit_length() - 1) * 30103 // 100000 + 1  # d < a: fewer digits than a
    if d >= pow10[size]:
        size += 1
    elif d < pow10[size - 1]:
        size -= 1
    if size <= 2:
        return None  # the enclosure's last units matter: the exact path
    lead, tail = divmod(d, pow10[size - 2])
    if 0 < tail <= 3 or d - 3 < pow10[size - 1]:
        return None  # 3 units less could change the two digits: the exact path
    if tail:
        lead += 1
        if lead == 100:
            lead, size = 10, size + 1
    exp = e + size - 1
    err = f"{lead // 10}.{lead % 10}e{exp:+d}" if exp != 0 else f"{lead // 10}.{lead % 10}"
    return text, err


_POW10_COUNT = 4096
_POW10 = [10 ** k for k in range(_POW10_COUNT)]


def certified(compute, digits, *, max_bits=None, rows=None):
    """``compute(lib)`` evaluated in balls until every ball prints ``digits`` proven digits.

    The precision starts at ``ceil(digits log2 10) + GUARD_BITS`` bits and doubles while a
    ball is too wide, up to ``max_bits`` (default: 8 times the start, at least 1024
    bits; the last step is the cap itself where doubling would pass it, see
    :func:`_next_bits`); it stops early when :data:`STALLS` doublings in a row narrow none of the
    uncertified balls (a truncation bound, not rounding, limits them).  Returns
    :class:`Certified`.

    A columnar result (:class:`~symthermo.ball_columns.BallColumnRows`) is certified time
    by time: after the first pass only the rows that still hold a ball too wide take part,
    each keeping the texts of the precision that proved it.  ``rows(lib, indices)``, when
    given, evaluates those rows alone, so that a time that needs more bits does not make
    every other time pay for them; without it every time is evaluated again.

    >>> from symthermo.certify import certified
    >>> r = certified(lambda lib: lib.exp(lib.number(1)), 50)
    >>> r.complete, r.bits >= 166
    (True, True)
    """
    digits = check_dps(digits)
    bits = int(math.ceil(digits * _LOG2_10)) + GUARD_BITS
    if max_bits is None:
        max_bits = max(8 * bits, 1024)
    previous, stalled = None, 0
    while True:
        with ball_precision(bits):
            value = compute(BALLS)
            if isinstance(value, BallColumnRows):
                texts, open_ = _check_columns(value, digits)
                if not open_:
                    return Certified(value, bits, True, digits, texts)
                if rows is None:  # every time evaluated again, the open rows read
                    def rows(lib, indices):
                        return compute(lib).select(indices)
                return _certified_rows(value, texts, open_, rows, digits, bits, max_bits)
            flat = _balls(value, [])
            texts = {}
            open_ = []
            for k, x in enumerate(flat):
                key = id(x)
                if key not in texts:  # already inside a precision scope
                    x = _real_checked(x)
                    # nan (an operation outside its domain on a wide ball): more precision
                    texts[key] = ("nan", "inf") if x.is_nan() else _format_ball(x, digits)
                if texts[key][0] == "nan" or " +/- " in texts[key][0]:
                    open_.append(k)
            if not open_:
                return Certified(value, bits, True, digits, texts)
            if _next_bits(bits, max_bits) is None:
                if any(texts[id(flat[k])][0] == "nan" for k in open_):
                    raise ValueError(f"a value is nan at {bits} bits of working precision")
                return Certified(value, bits, False, digits, texts)
            if previous is not None and len(previous) == len(flat):
                narrowed = any(_narrowed(flat[k], previous[k], bits) for k in open_)
                stalled = 0 if narrowed else stalled + 1
                if stalled == STALLS:  # truncation-limited: stop here
                    return Certified(value, bits, False, digits, texts)
            previous = flat
        bits = _next_bits(bits, max_bits)


def _certified_rows(value, texts, open_, rows, digits, bits, max_bits):
    """Ziv's loop of :func:`certified` continued on the rows of ``value`` (a first pass
    at ``bits``) that hold an open ball: each doubling evaluates those rows only
    (``rows(lib, indices)``), their texts replace the earlier ones, and a row leaves
    the loop once its balls are certified.  The same stops as :func:`certified`: the
    precision cap (an error if a value is still nan), and :data:`STALLS` doublings in a
    row that narrow no open ball."""
    texts = {k: list(v) for k, v in texts.items()}
    stalled = 0
    pending = sorted({i for _, i in open_})
    before, where = value, {i: i for i in pending}  # the last pass and each row's place in it
    while True:
        if _next_bits(bits, max_bits) is None:
            if any(texts[k][i][0] == "nan" for k, i in open_):
                raise ValueError(f"a value is nan at {bits} bits of working precision")
            return Certified(value, bits, False, digits, texts)
        bits = _next_bits(bits, max_bits)
        with ball_precision(bits):
            now = rows(BALLS, pending)
            found, now_open = _check_columns(now, digits)
            for k, column in found.items():
                row_texts = texts[k]
                for j, i in enumerate(pending):
                    row_texts[i] = column[j]
            if not now_open:
                return Certified(value, bits, True, digits, texts)
            open_ = [(k, pending[j]) for k, j in now_open]
            if _next_bits(bits, max_bits) is None:
                continue  # the cap's verdict, before narrowing's
            narrowed = any(_narrowed(now.ball(k, j), before.ball(k, where[pending[j]]), bits)
                           for k, j in now_open)
        stalled = 0 if narrowed else stalled + 1
        if stalled == STALLS:
            return Certified(value, bits, False, digits, texts)
        still = sorted({j for _, j in now_open})
        before, where = now, {pending[j]: j for j in still}
        pending = [pending[j] for j in still]


def _next_bits(bits, max_bits):
    """The next precision of Ziv's loop: twice ``bits``, or the cap itself where twice
    would pass it by more than a third of it (dps 15 stopped at 592 bits of its 1024:
    a mode's <n> = 1.5e-185 = 2^-613 was left unresolved, beta_B = 0 +/- 6.7e+3); None
    at the cap."""
    if 2 * bits <= max_bits:
        return 2 * bits
    if 3 * bits <= 2 * max_bits:
        return max_bits
    return None


#: doublings in a row that narrow no open ball before Ziv's loop stops short of its cap
#: (a truncation bound, not rounding, limits them). One alone is no proof: the first
#: pass's balls may be sized by a rule rather than by the precision (an eigenvalue too
#: small for it set to an exact 0 gave a ledger's W_B a radius of 6e-83 at 156 and at 280
#: bits, then 2e-316 at 528: dps 30 printed 8 digits where dps 15 and 60 print them all)
STALLS = 2


def _narrowed(now, before, bits):
    """The open ball ``now`` is narrower than ``before`` (one doubling earlier) by more
    than a quarter of the bits: rounding, not a truncation bound, limited it."""
    return (_radius(now).is_nan() or _radius(before).is_nan()
            or _radius(now) < _radius(before) * arb(2) ** -(bits // 4))


def _real_checked(x):
    if isinstance(x, acb):
        if not x.imag.contains(0):
            raise ValueError(f"refusing to print a complex value {x} as a real quantity")
        return x.real
    return x


def _radius(x):
    if isinstance(x, acb):
        return x.real.rad().max(x.imag.rad())
    return x.rad()


def _real(x):
    if isinstance(x, acb):
        return x.real
    return x


def decimal_digits(x, digits):
    """The ``digits``-significant-digit decimal that every point of ``x`` rounds to, as
    ``(sign, digit string, decimal exponent of the leading digit)``, or None.

    The check is rigorous: the ball lies strictly within half a unit in the last place
    of the decimal (computed in balls), so the decimal is the correctly rounded value
    of the exact number.
    """
    x = _real(x)
    if not x.is_finite() or x.is_zero() or x.contains(0):
        return None
    # extra digits against double rounding (a wrong candidate fails the check below)
    text = x.str(digits + 24, radius=False)
    parsed = _digits_of(text)
    if parsed is None:
        return None
    negative, dig, e = parsed
    keep, rest = dig[:digits].ljust(digits, "0"), dig[digits:]
    n = int(keep)
    # round half to even on the digit string
    if rest and (rest[0] > "5" or (rest[0] == "5" and (rest.strip("0") != "5" or n % 2))):
        n += 1
        if n == 10 ** digits:  # 9.99.. rounded up to the next power of ten
            n, e = 10 ** (digits - 1), e + 1
    k = e - digits + 1
    if not _within_half_unit(x, -n if negative else n, k):
        return None
    return ("-" if negative else ""), str(n), e


def _digits_of(text):
    """(negative, significant digit string, decimal exponent of its first digit) of a
    decimal literal as arb prints it (``-0.00123``, ``1.5e+25``), or None."""
    if not text or text[0] == "[":
        return None
    negative = text[0] == "-"
    body = text[1:] if negative or text[0] == "+" else text
    mantissa, _, exponent = body.partition("e")
    try:
        exp10 = int(exponent) if exponent else 0
    except ValueError:  # pragma: no cover - arb prints decimal literals
        return None
    whole, _, frac = mantissa.partition(".")
    raw = whole + frac
    stripped = raw.lstrip("0")
    if not stripped or not raw.isdigit():
        return None
    # value = 0.raw * 10^(len(whole) + exp10); the first significant digit's exponent:
    e = len(whole) + exp10 - (len(raw) - len(stripped)) - 1
    return negative, stripped, e


def _dyadic(x):
    """(a, e) with x = a 2^e exactly, for an exact finite arb."""
    if x.is_zero():
        return 0, 0
    a, e = x.man_exp()
    return int(a), int(e)


#: beyond this decimal (or 3.33 times this binary) exponent the exact integers of
#: :func:`_compare` would have that many digits: it compares in balls instead
_EXACT_EXPONENT = 4000


def _compare(a, e, c, k):
    """sign of a 2^e - c 10^k / 2 (all integers), in exact integer arithmetic; beyond
    :data:`_EXACT_EXPONENT` in balls, 0 where those do not decide (e^-1e10 has the
    decimal exponent -4.3e9: its exact integers would never be built)."""
    if abs(k) > _EXACT_EXPONENT or abs(e) > 4 * _EXACT_EXPONENT:
        return _compare_balls(a, e, c, k)
    e2, k10 = max(0, -e), max(0, -k)
    lhs = (a << (e + 1 + e2)) * _pow10(k10)
    rhs = (c * _pow10(k + k10)) << e2
    return (lhs > rhs) - (lhs < rhs)


def _compare_balls(a, e, c, k):
    """:func:`_compare` in ball arithmetic: a 2^e is exact in a ball (any exponent),
    c 10^k / 2 is enclosed at enough bits for the digits of a and c; 0 when the
    difference's ball contains 0 (the caller then claims nothing)."""
    bits = a.bit_length() + c.bit_length() + 64
    with ball_precision(bits):
        difference = arb(mid=(a, e + 1)) - arb(c) * arb(10) ** k
        if difference > 0:
            return 1
        if difference < 0:
            return -1
        return 0


@functools.lru_cache(maxsize=4096)
def _pow10(k):
    return 10 ** k


def _within_half_unit(x, n, k):
    """The ball x lies strictly inside ((n - 1/2) 10^k, (n + 1/2) 10^k), checked exactly."""
    a, e = _dyadic(x.lower())
    b, f = _dyadic(x.upper())
    return _compare(a, e, 2 * n - 1, k) > 0 and _compare(b, f, 2 * n + 1, k) < 0


def _layout(sign, dig, exponent, dps):
    """mpmath.nstr(x, dps, strip_zeros=False)'s layout of the digits (same strings)."""
    min_fixed, max_fixed = min(-(dps // 3), -5), dps
    if min_fixed < exponent < max_fixed:
        if exponent < 0:
            dig = "0" * (-exponent) + dig
            split = 1
        else:
            split = exponent + 1
        exponent = 0
    else:
        split = 1
    text = dig[:split] + "." + dig[split:]
    if exponent == 0:
        return sign + text
    return sign + text + ("e+" if exponent > 0 else "e") + str(exponent)


def error_bound(x, center=None):
    """An upper bound of |center - x| over the ball (center: its midpoint if None), as a
    two-digit decimal string rounded up (``"0"`` for an exact value at its center)."""
    x = _real(x)
    if center is None:
        r = x.rad()
    else:
        r = abs(x - center).upper()
    if r.is_zero():
        return "0"
    if not r.is_finite():
        return "inf"
    return _ceil2(r)


def rounded_up_text(r):
    """A non-negative bound (an arb's upper end, or an mpmath number taken exactly) as
    the contract prints radii: two significant digits, rounded up; ``inf`` and ``0`` as
    they are.

    >>> import mpmath
    >>> from symthermo.certify import rounded_up_text
    >>> rounded_up_text(mpmath.mpf("3.11e-61")), rounded_up_text(mpmath.mpf(0))
    ('3.2e-61', '0')
    """
    if not isinstance(r, arb):
        r = to_ball(mpmath.mpf(r))  # exactly
    if r.is_zero():
        return "0"
    if not r.is_finite():
        return "inf"
    return _ceil2(r)


_ONE_UP = Decimal("1.000000000000000000000000000001")


def _ceil2(r):
    """A non-negative arb's upper end as a 2-significant-digit decimal rounded up."""
    f = float(r.upper().mid()) if not r.is_exact() else float(r)
    if 1e-300 < f < 1e300:
        # float() rounds to nearest: 1e-12 relative makes every step an upper bound
        f *= 1 + 1e-12
        e = math.floor(math.log10(f))
        m = math.ceil(f / 10.0 ** (e - 1) * (1 + 1e-12))
        if m >= 100:
            m, e = math.ceil(m / 10), e + 1
        d = f"{m:02d}"
        return f"{d[0]}.{d[1]}e{e:+d}" if e != 0 else f"{d[0]}.{d[1]}"
    man, exp = r.upper().mid().man_exp() if not r.is_exact() else r.man_exp()
    # any exponent (the default context's Emin = -999999 clamped e^-1e10's bound to a
    # vacuous 6.6e-999868); decimal's power() is correct to within an ulp of its 40
    # digits, so a relative 1e-30 more keeps it an upper bound
    up = Context(prec=40, rounding=ROUND_CEILING, Emin=MIN_EMIN, Emax=MAX_EMAX)
    value = up.multiply(up.multiply(Decimal(int(man)), up.power(Decimal(2), int(exp))),
                        _ONE_UP)
    e = value.adjusted()
    q = value.quantize(Decimal(1).scaleb(e - 1, context=up), rounding=ROUND_CEILING, context=up)
    sign, dig, _ = q.as_tuple()
    d = "".join(map(str, dig))[:2].ljust(2, "0")
    return f"{d[0]}.{d[1]}e{q.adjusted():+d}" if q.adjusted() != 0 else f"{d[0]}.{d[1]}"


def format_ball(x, digits):
    """``(text, err)`` of a ball for the contract: ``text`` is the correctly rounded
    ``digits``-digit decimal when proven, ``"0"`` for an exact 0, ``"inf"``/``"-inf"``
    for exact infinities, and otherwise ``"m +/- r"`` (``"0 +/- r"`` when the ball holds
    0); ``err`` bounds |text - exact value| (two digits, rounded up).

    >>> from flint import arb
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.certify import format_ball
    >>> with ball_precision(60):
    ...     format_ball(arb(0, 3e-41), 20)
    ('0 +/- 3.1e-41', '3.1e-41')
    >>> with ball_precision(60):
    ...     format_ball(arb(2) / 3, 5)
    ('0.66667', '3.4e-6')
    """
    x = _real_checked(x)
    with ball_precision(max(flint.ctx.prec, int(digits * _LOG2_10) + 64)):
        return _format_ball(x, digits)


def _format_ball(x, digits):
    if x.is_nan():
        raise ValueError("refusing to print nan")
    if x.is_exact() and x.is_zero():
        return "0", "0"
    if infinite_sign(x):
        return ("inf" if infinite_sign(x) > 0 else "-inf"), "0"
    if not x.is_finite():
        return "0 +/- inf", "inf"
    found = decimal_digits(x, digits)
    if found is not None:
        sign, dig, e = found
        text = _layout(sign, dig, e, digits)
        return text, error_bound(x, arb(text.replace("e+", "e")))
    if not x.contains(0):
        # some digits only: the midpoint with the digits that the radius leaves meaningful
        keep = max(1, min(digits, int(x.rel_accuracy_bits() / _LOG2_10) + 1))
        text = x.str(keep, radius=False)
        if any(c in "123456789" for c in text.split("e")[0]):
            err = error_bound(x, arb(text))
            return f"{text} +/- {err}", err
        # not one digit ("0e-307": Arb's |x| < 1e-307): a bound about 0, as the contract
        # writes it, never a midpoint that reads as 0 with an exponent
    bound = _ceil2(abs(x).upper())
    return f"0 +/- {bound}", bound
