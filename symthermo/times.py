"""Time lists: the ``--times`` argument, with ranges kept lazy.

``--times`` is a comma-separated list.  Each item is a time written in the
grammar of :mod:`symthermo.expressions` (numbers, arithmetic, ``pi``, a few
functions and the model's parameters: ``pi/(4*g)``), or a range
``START:STOP:COUNT`` of COUNT equally spaced times from START to STOP, both
included.  Every time is exact (a ``Fraction`` or a SymPy expression); a
range is not expanded, its k-th time is computed when it is asked for.

Limits: the argument has at most ``MAX_TEXT`` = 100 000 characters and
gives at most ``MAX_COUNT`` = 10**6 times in all, ranges included; each
time is a real number >= 0.  In float64 a time is refused when its rounding
to float64 alone moves a phase of the model by more than ``PHASE_TOLERANCE``
= 1e-6 rad (the largest parameter, or matrix entry, taken as the frequency):
the digits printed would be noise.  mpmath has no such limit.

>>> from symthermo.times import parse_times
>>> times = parse_times("0, pi/2, 0:1:3", {})
>>> len(times), times[1], times[3]
(5, pi/2, Fraction(1, 2))
>>> len(parse_times("0:1:1000000", {}))
1000000
>>> parse_times("0:1:1000000000", {})
Traceback (most recent call last):
...
ValueError: --times '0:1:1000000000': 1000000000 times exceed the limit 1000000
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction

from .exact_numbers import ExactComplex, is_real, to_float, to_mpmath, to_sympy
from .expressions import CONSTANTS, FUNCTIONS, parse_expression, shorten

__all__ = ["Times", "TimeRange", "parse_times", "time_numbers", "MAX_TEXT", "MAX_COUNT",
           "PHASE_TOLERANCE"]

MAX_TEXT = 100_000
MAX_COUNT = 10**6
PHASE_TOLERANCE = 1e-6

_COUNT = re.compile(r"[0-9]+")


class TimeRange(Sequence):
    """COUNT equally spaced exact times from START to STOP (both included), computed on demand.

    >>> from fractions import Fraction
    >>> from symthermo.times import TimeRange
    >>> r = TimeRange(Fraction(0), Fraction(1), 5)
    >>> r[2], r[-1], len(r)
    (Fraction(1, 2), Fraction(1, 1), 5)
    """

    def __init__(self, start, stop, count, text=None):
        if count < 1:
            raise ValueError(f"the count of a time range must be >= 1, got {count}")
        self.start, self.stop, self.count = start, stop, count
        self.text = text if text is not None else f"{start}:{stop}:{count}"

    def __len__(self):
        return self.count

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self.count))]
        if k < 0:
            k += self.count
        if not 0 <= k < self.count:
            raise IndexError(f"time range index {k} out of range")
        if k == 0:
            return self.start
        if k == self.count - 1:
            return self.stop
        step = Fraction(k, self.count - 1)
        if isinstance(self.start, (Fraction, ExactComplex)) and isinstance(
                self.stop, (Fraction, ExactComplex)):
            return self.start + (self.stop - self.start) * step
        import sympy

        return self.start + (self.stop - self.start) * sympy.Rational(k, self.count - 1)

    def __iter__(self):
        return (self[k] for k in range(self.count))

    def __repr__(self):
        return f"TimeRange({self.start}, {self.stop}, {self.count})"


class Times(Sequence):
    """An immutable sequence of exact times; ranges stay lazy.

    ``parts`` is a list of tuples (single times) and :class:`TimeRange`.
    """

    def __init__(self, parts, text=None):
        self.parts = list(parts)
        self.text = text
        self._ends = list(itertools.accumulate(len(p) for p in self.parts))

    def __len__(self):
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"time index {k} out of range")
        n = bisect.bisect_right(self._ends, k)
        return self.parts[n][k - (self._ends[n - 1] if n else 0)]

    def __iter__(self):
        return itertools.chain.from_iterable(self.parts)

    def labelled(self):
        """(time, how the user wrote it) pairs, for messages."""
        for part in self.parts:
            if isinstance(part, TimeRange):
                for k, value in enumerate(part):
                    yield value, f"{shorten(part.text)}[{k}]"
            else:
                yield part[0], shorten(part.text)

    def __eq__(self, other):
        if isinstance(other, (Times, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self):
        if self.text is not None:
            return f"Times({shorten(self.text)})"
        return f"Times({list(self)!r})"


def parse_times(text, names=None, *, what="--times"):
    """The times of a ``--times`` argument (or of a sequence of time texts and numbers).

    Parameters
    ----------
    text : str or sequence
        ``"T1, T2, START:STOP:COUNT, ..."``; or a sequence whose items are
        time texts or numbers.
    names : mapping, optional
        Parameter names the times may use, with their values (SymPy
        numbers, or symbols left symbolic); other values (strings) are
        skipped.  Without it (the parameters not known yet) any name is
        allowed and the times come back as texts (``"1/2"``, ``"pi/(2*g)"``),
        read again when the parameters are given.

    Returns
    -------
    Times
        Exact times: ``Fraction`` where rational, SymPy expressions otherwise.

    Examples
    --------
    >>> from symthermo.times import parse_times
    >>> list(parse_times("0:1:3", {}))
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)]
    >>> parse_times("1/(4*g)", {"g": 2})[0]
    Fraction(1, 8)
    >>> parse_times("-1", {})
    Traceback (most recent call last):
    ...
    ValueError: time '-1' must be a non-negative real number
    """
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise ValueError(f"{what} {shorten(text)}: {len(text)} characters exceed the limit "
                         f"{MAX_TEXT}")
    if names is None:  # parameters not known yet: checked now, as texts read again later
        if isinstance(text, Times):
            return text
        return _Texts(parse_times(text, _FreeNames(), what=what))
    if not isinstance(names, _FreeNames):
        names = {k: v for k, v in names.items() if not isinstance(v, str)}
    if isinstance(text, str):
        items = text.split(",")
    elif isinstance(text, (list, tuple, Sequence)) and not isinstance(text, (bytes, bytearray)):
        if isinstance(text, Times):
            return text
        items = list(text)
    else:
        raise ValueError(f"{what}: expected text or a sequence of times, got {text!r:.60}")
    parts, total = [], 0
    for item in items:
        if isinstance(item, str) and ":" in item:
            part = _range(item, names)
            part.text = item.strip()
        else:
            part = _Single((_time(item, names),))
            part.text = item.strip() if isinstance(item, str) else str(item)
        total += len(part)
        if total > MAX_COUNT:
            raise ValueError(f"{what} {shorten(text)}: {total} times exceed the limit {MAX_COUNT}")
        parts.append(part)
    return Times(parts, text if isinstance(text, str) else None)


class _FreeNames(Mapping):
    """Any parameter name, as a positive symbol: times read before the parameters are known."""

    def __getitem__(self, name):
        if name in CONSTANTS or name in FUNCTIONS or name.lower() in (
                "nan", "inf", "infinity", "oo", "zoo"):
            raise KeyError(name)
        import sympy

        return sympy.Symbol(name, positive=True)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


class _Texts(Sequence):
    """The times as texts of the grammar (``str`` of each exact time), computed on demand."""

    def __init__(self, times):
        self.times = times

    def __len__(self):
        return len(self.times)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return str(self.times[k])

    def __eq__(self, other):
        return isinstance(other, (list, tuple, _Texts)) and list(self) == list(other)


class _Single(tuple):
    """One given time, with its text."""

    text = ""


def _time(item, names):
    if isinstance(item, str):
        if not item.strip():
            raise ValueError("empty time in --times (two commas in a row, or one at an end)")
        value = parse_expression(item, names, what="time")
    elif isinstance(item, bool) or item is None:
        raise ValueError(f"time must be a number, got {item!r}")
    elif isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"time must be a finite number, got {item!r}")
        value = Fraction(repr(item))  # the float's shortest decimal, as the user wrote it
    elif isinstance(item, int):
        value = Fraction(item)
    elif isinstance(item, (Fraction, ExactComplex)) or type(item).__module__.startswith("sympy"):
        value = item
    else:
        value = parse_expression(str(item), names, what="time")
    _check_time(value, item)
    return value


def _check_time(value, item):
    negative = (value < 0 if isinstance(value, Fraction)
                else getattr(value, "is_negative", None) is True)
    if not is_real(value) or negative:
        raise ValueError(f"time {shorten(item)} must be a non-negative real number")


def _range(item, names):
    pieces = item.split(":")
    if len(pieces) != 3:
        raise ValueError(f"a time range is START:STOP:COUNT, got {shorten(item)}")
    start_text, stop_text, count_text = pieces
    count_text = count_text.strip()
    if not _COUNT.fullmatch(count_text):
        raise ValueError(f"the count of a time range must be an integer, got "
                         f"{shorten(count_text)} in {shorten(item)}")
    if len(count_text.lstrip("0")) > len(str(MAX_COUNT)):
        raise ValueError(f"--times {shorten(item)}: {count_text if len(count_text) < 40 else shorten(count_text, 20)} times exceed the "
                         f"limit {MAX_COUNT}")
    count = int(count_text)
    if count < 1:
        raise ValueError(f"the count of a time range must be >= 1, got {count} in {shorten(item)}")
    if count > MAX_COUNT:
        raise ValueError(f"--times {shorten(item)}: {count} times exceed the limit {MAX_COUNT}")
    return TimeRange(_time(start_text, names), _time(stop_text, names), count)


def time_numbers(times, *, lib, scale=1, scale_name=None):
    """The times as numbers of ``lib`` (float64, mpmath at the current precision, or exact
    SymPy numbers for ``EXACT``).

    ``scale`` is the largest frequency of the problem; in float64 a time is
    refused when its rounding alone moves the phase ``scale * t`` by more
    than ``PHASE_TOLERANCE`` (the message names ``scale_name``, the parameter
    that sets the scale, when given).

    >>> from symthermo.numbers import FLOAT64
    >>> from symthermo.times import parse_times, time_numbers
    >>> time_numbers(parse_times("0.1, 1/3", {}), lib=FLOAT64)
    [0.1, 0.3333333333333333]
    >>> time_numbers(parse_times("1e300", {}), lib=FLOAT64)
    Traceback (most recent call last):
    ...
    ValueError: time '1e300' is beyond float64: its rounding alone moves the phase scale*t (scale 1) by 1.5e+284 rad; use --dps instead of --float64
    """
    scale = abs(float(scale or 1))
    labelled = times.labelled() if isinstance(times, Times) else (
        (value, shorten(str(value))) for value in times)
    if getattr(lib, "name", None) == "float64":
        out = []
        for value, label in labelled:
            t = to_float(value, what="time", label=label)
            if isinstance(t, complex) or t < 0:
                raise ValueError(f"time {label} must be a non-negative real number")
            if scale * math.ulp(t) > PHASE_TOLERANCE:
                named = f", parameter {scale_name}" if scale_name else ""
                raise ValueError(f"time {label} is beyond float64: its rounding alone moves the "
                                 f"phase scale*t (scale {scale:.6g}{named}) by "
                                 f"{scale * math.ulp(t):.2g} rad; use --dps instead of --float64")
            out.append(t)
        return out
    if getattr(lib, "name", None) == "exact":  # SymPy numbers (balls enclose them later)
        out = []
        for value, label in labelled:
            t = to_sympy(value)
            if t.free_symbols:
                names = ", ".join(sorted(str(x) for x in t.free_symbols))
                raise ValueError(f"time {label} depends on symbolic {names}")
            out.append(t)
        return out
    out = []
    for value, label in labelled:
        t = to_mpmath(value, what="time", label=label)
        if getattr(t, "imag", 0) != 0 or t.real < 0:
            raise ValueError(f"time {label} must be a non-negative real number")
        out.append(t.real if hasattr(t, "imag") else t)
    return out
