"""Reductions over time of one parameter set's rows (``--reduce``), by a tiny grammar.

::

    reduction := [NAME "="] [expr "@"] OP ":" expr [CMP NUMBER]
    OP        := max | min | argmax | argmin | first | last
    expr      := term [("*" | "/") term]
    term      := ["-"] KEY
    CMP       := ">" | ">=" | "<" | "<="

- ``max:EXPR`` / ``min:EXPR``: the largest / smallest value of EXPR over the times;
- ``argmax:EXPR`` / ``argmin:EXPR``: the time t at which it is reached (the
  earliest on a tie);
- ``first:EXPR>NUMBER`` / ``last:...``: the first / last time at which the
  condition holds (empty when it never does);
- ``X@OP:...``: the value of the expression X at that time (``cop@max:-Q_A``
  is the COP when -Q_A is largest; ``t@max:E`` is ``argmax:E``);
- ``NAME=...`` names the result's column (default: the reduction's text).

The reductions work on the printed values, so a reduced value is one of the
strings the rows hold (``-KEY`` flips its sign exactly). A product or ratio
of two keys is computed from the printed values and printed with one digit
less (each factor carries a relative error below one unit of its last digit).
Where an expression is undefined (x/0, inf/inf) it takes no part; the result
of a reduction with no defined value is None (an empty CSV field, JSON null).

A value known only within a bound (``"0 +/- 1.1e-174"``, CONTRACT "Values known
only within a bound") is the interval it stands for: it takes part wherever the
comparison is decided by the whole interval (it is copied as printed when chosen;
a product or ratio with it is printed as a bound), and a reduction that the
interval leaves undecided (two bounds about 0 competing for the max, a bound
that straddles a threshold) is a ValueError naming the value, never a guess.

>>> from symthermo.sweep_reduce import parse_reduction, reduce_rows
>>> r = parse_reduction("ratio=cop/carnot@max:-Q_A")
>>> r.name, r.op, r.target, r.value
('ratio', 'max', '-Q_A', 'cop/carnot')
>>> rows = [{"t": "0", "Q_A": "0", "cop": "0.5", "carnot": "2"},
...         {"t": "1", "Q_A": "-0.25", "cop": "0.75", "carnot": "2"},
...         {"t": "2", "Q_A": "0.125", "cop": "-1", "carnot": "2"}]
>>> reduce_rows(rows, [parse_reduction(s) for s in
...             ["max:-Q_A", "argmax:-Q_A", "ratio=cop/carnot@max:-Q_A", "first:Q_A>0"]], 4)
{'max:-Q_A': '0.25', 'argmax:-Q_A': '1', 'ratio': '0.375', 'first:Q_A>0': '2'}
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import mpmath
import numpy as np

from .precision import decimal_string
from .sweep_grid import parse_number

__all__ = ["Reduction", "parse_reduction", "reduce_rows", "reduce_columns", "reduction_keys"]

_OPS = ("max", "min", "argmax", "argmin", "first", "last")
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_TERM = rf"-?{_KEY}"
_EXPR = rf"{_TERM}(?:[*/]{_TERM})?"
_NUMBER = r"[+-]?[0-9.eE+/-]+"
_GRAMMAR = re.compile(
    rf"(?:(?P<name>{_KEY})=)?(?:(?P<value>{_EXPR})@)?(?P<op>[a-z]+):(?P<target>{_EXPR})"
    rf"(?:(?P<cmp>>=|<=|>|<)(?P<number>{_NUMBER}))?\Z")


@dataclass(frozen=True)
class Reduction:
    """One parsed reduction; ``value`` None means the target itself (or t for argmax/argmin,
    first, last)."""

    text: str
    name: str
    op: str
    target: str
    value: str = None
    cmp: str = None
    threshold: object = None  # a Fraction

    def keys(self):
        """The row keys this reduction reads."""
        out = set(_keys(self.target)) | {"t"}
        if self.value is not None:
            out |= set(_keys(self.value))
        return out


def _keys(expr):
    return [term.lstrip("-") for term in re.split(r"[*/]", expr)]


def parse_reduction(text):
    """A :class:`Reduction` from its text, or a ValueError quoting it.

    >>> parse_reduction("first:-Q_A>0").op
    'first'
    >>> parse_reduction("max:__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: not a reduction: "max:__import__('os')" (OP:EXPR with OP one of max, min, argmax, argmin, first, last; e.g. max:-Q_A, cop@max:-Q_A, first:-Q_A>0)
    """
    raw = str(text)
    # blanks may separate tokens, not split a name or a number
    split_token = re.search(r"[A-Za-z0-9_.]\s+[A-Za-z0-9_.]", raw)
    s = "".join(raw.split())
    m = _GRAMMAR.match(s) if len(s) <= 200 and not split_token else None
    if m is None or m["op"] not in _OPS:
        raise ValueError(f"not a reduction: {text!r} (OP:EXPR with OP one of {', '.join(_OPS)}; "
                         "e.g. max:-Q_A, cop@max:-Q_A, first:-Q_A>0)")
    op = m["op"]
    if op in ("first", "last") and m["cmp"] is None:
        raise ValueError(f"{op} needs a condition such as {op}:-Q_A>0, got {text!r}")
    if op not in ("first", "last") and m["cmp"] is not None:
        raise ValueError(f"{op} takes no condition, got {text!r}")
    threshold = parse_number(m["number"]) if m["cmp"] else None
    value = m["value"]
    if op in ("argmax", "argmin"):
        if value is not None:
            raise ValueError(f"write X@{op[3:]}:..., not X@{op}:..., got {text!r}")
        op, value = op[3:], "t"
    elif op in ("first", "last") and value is None:
        value = "t"
    return Reduction(text=s, name=m["name"] or s, op=op, target=m["target"], value=value,
                     cmp=m["cmp"], threshold=threshold)


def reduction_keys(reductions):
    """Every row key the reductions read (``t`` included), sorted."""
    out = set()
    for r in reductions:
        out |= r.keys()
    return sorted(out)


def _number(text):
    """An mpmath number of a printed value; a ball (python-flint ``arb``, at the
    precision of :func:`_balls`) enclosing the interval of ``m +/- r``."""
    if text is None:
        return None
    if " +/- " in text:
        from flint import arb

        mid, rad = text.split(" +/- ")
        return arb(mid) + arb(0, rad)  # each decimal enclosed, the sum rounded outwards
    return mpmath.mpf(text)


def _is_interval(x):
    return type(x).__name__ == "arb"


def _ball(x):
    """x as a ball: an mpmath number exactly (its binary digits), a ball as it is."""
    from .ball_conversion import to_ball  # lazy: python-flint

    return to_ball(x)


_COMPARISONS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_OPPOSITE = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _compare(a, op, b, what):
    """a op b (op one of > >= < <=) on numbers, or on balls where it is decided for every
    point of them; undecided (balls that overlap) is a ValueError naming ``what``."""
    if not (_is_interval(a) or _is_interval(b)):
        return _COMPARISONS[op](a, b)
    a, b = _ball(a), _ball(b)
    # arb's comparisons are True only where certain
    if _COMPARISONS[op](a, b):
        return True
    if _COMPARISONS[_OPPOSITE[op]](a, b):
        return False
    raise ValueError(f"{what} is undecided: a value known only within a bound "
                     f"overlaps the comparison")


def _interval_text(x, digits):
    """A computed ball printed as the contract's ``m +/- r`` (m 0 when it holds 0)."""
    from .certify import rounded_up_text  # lazy: python-flint

    if not x.is_finite():
        return "0 +/- inf"
    lo, hi = x.lower(), x.upper()
    if x.contains(0):
        return f"0 +/- {rounded_up_text(max(abs(lo), abs(hi)))}"
    mid = decimal_string(mpmath.mpf(x.mid().str(digits + 5, radius=False)), digits)
    m = _number(mid)
    return f"{mid} +/- {rounded_up_text(max(abs(m - lo), abs(hi - m)).upper())}"


def _evaluate(expr, row):
    """(number or None, exact text or None) of an expression on one row."""
    terms = re.split(r"([*/])", expr)
    if len(terms) == 1:
        text = row[expr.lstrip("-")]
        if text is None:
            return None, None
        if expr.startswith("-"):
            text = _negate(text)
        return _number(text), text
    (a, _), op, (b, _) = _evaluate(terms[0], row), terms[1], _evaluate(terms[2], row)
    if a is None or b is None:
        return None, None
    if _is_interval(a) or _is_interval(b):
        a, b = _ball(a), _ball(b)
        if op == "/" and b.contains(0):
            # x/0 takes no part; a divisor that may be 0 leaves the value unbounded
            return (None, None) if b.is_zero() else (a / b, None)
        return (a * b if op == "*" else a / b), None
    if op == "*":
        value = a * b
    elif b == 0:
        return None, None
    else:
        value = a / b
    if mpmath.isnan(value):
        return None, None
    return value, None


def _negate(text):
    if text == "0":
        return text
    return text[1:] if text.startswith("-") else "-" + text


def _holds(value, cmp, threshold, what="the condition"):
    t = mpmath.mpf(threshold.numerator) / threshold.denominator
    return _compare(value, cmp, t, what)


def _printed(value, digits):
    """A computed value's text: ``digits`` significant digits, an interval as a bound."""
    if _is_interval(value):
        return _interval_text(value, digits)
    return decimal_string(value, digits)


def reduce_rows(rows, reductions, digits):
    """One dict name -> value text (or None) from the rows of one parameter set.

    ``digits``: the significant digits of the rows' values (a computed product
    or ratio is printed with ``digits - 1``).
    """
    out = {}
    with mpmath.workdps(digits + 20), _balls(digits):
        for r in reductions:
            chosen = None
            best = None
            for k, row in enumerate(rows):
                v, _ = _evaluate(r.target, row)
                if v is None:
                    continue
                what = f"{r.text} at t = {row.get('t', '?')}"
                if r.op in ("first", "last"):
                    if _holds(v, r.cmp, r.threshold, what):
                        chosen = k
                        if r.op == "first":
                            break
                elif best is None or _compare(v, ">" if r.op == "max" else "<", best, what):
                    best, chosen = v, k
            if chosen is None:
                out[r.name] = None
                continue
            value, text = _evaluate(r.value or r.target, rows[chosen])
            if text is None and value is not None:
                text = _printed(value, max(1, digits - 1))
            out[r.name] = text
    return out


def _balls(digits):
    """The ball precision of bounded values (``digits`` + 20 digits, as the numbers)."""
    from .balls import ball_precision  # lazy: python-flint

    return ball_precision(int((digits + 20) * 3.33) + 8)


#: raw float64 values this close (relative) to a decision are decided on the printed values
_NEAR = 1e-12


def _raw(expr, columns):
    """An expression over whole float64 columns (nan where it is undefined)."""
    terms = re.split(r"([*/])", expr)

    def term(t):
        x = columns[t.lstrip("-")]
        return -x if t.startswith("-") else x

    if len(terms) == 1:
        return term(expr)
    a, b = term(terms[0]), term(terms[2])
    with np.errstate(all="ignore"):
        if terms[1] == "*":
            return a * b
        return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))


def reduce_columns(columns, reductions, digits, print_value):
    """:func:`reduce_rows` on raw float64 columns, printing only what decides.

    ``columns``: key -> float numpy array over the times (the rows' values);
    ``print_value(key, i)`` is the printed value of ``key`` in row ``i``.  The result is the
    one :func:`reduce_rows` gives on the printed rows: a raw value farther
    than a relative 1e-12 from a decision (the best value, a threshold)
    decides as its printed value would (printing to ``digits`` >= 12 digits
    moves a value by less); the others, and every value returned, are
    printed and decided as in :func:`reduce_rows`.
    """
    printed = {}

    def row(i, keys):
        out = {}
        for key in keys:
            if (key, i) not in printed:
                printed[(key, i)] = print_value(key, i)
            out[key] = printed[(key, i)]
        return out

    needed = reduction_keys(reductions)
    for key in needed:
        if np.isnan(columns[key]).any():
            raise ValueError("refusing to print nan")
    out = {}
    with mpmath.workdps(digits + 20):
        for r in reductions:
            keys = _keys(r.target)
            raw = _raw(r.target, columns)

            def exact(i):
                return _evaluate(r.target, row(i, keys))[0]

            chosen = None
            if r.op in ("max", "min"):
                defined = ~np.isnan(raw)
                if defined.any():
                    best = np.max(raw[defined]) if r.op == "max" else np.min(raw[defined])
                    if np.isinf(best):
                        near = raw == best
                    else:
                        with np.errstate(all="ignore"):
                            gap = (raw - best) if r.op == "max" else (best - raw)
                            near = np.isfinite(raw) & (
                                gap >= -_NEAR * (np.abs(raw) + abs(best)))
                    top = None
                    for i in np.flatnonzero(near).tolist():
                        v = exact(i)
                        if v is not None and (top is None or (v > top if r.op == "max"
                                                                 else v < top)):
                            top, chosen = v, i
            else:
                c = float(r.threshold)
                with np.errstate(all="ignore"):
                    holds = _COMPARISONS[r.cmp](raw, c)
                    near = np.isfinite(raw) & (np.abs(raw - c) <= _NEAR * (np.abs(raw) + abs(c)))
                candidates = np.flatnonzero((holds & ~np.isnan(raw)) | near).tolist()
                for i in (candidates if r.op == "first" else reversed(candidates)):
                    if near[i]:
                        v = exact(i)
                        if v is not None and _holds(v, r.cmp, r.threshold):
                            chosen = i
                            break
                    else:
                        chosen = i
                        break
            if chosen is None:
                out[r.name] = None
                continue
            expr = r.value or r.target
            value, text = _evaluate(expr, row(chosen, _keys(expr)))
            if text is None and value is not None:
                text = decimal_string(value, max(1, digits - 1))
            out[r.name] = text
    return out
