"""The parameter grid of a sweep: axes, their product, or an explicit list of points.

An axis is a parameter name and a list of values, written as

- ``START:STOP:COUNT``: COUNT equally spaced values, START and STOP included,
  computed exactly (``0:1:4`` gives 0, 1/3, 2/3, 1);
- ``log:START:STOP:COUNT``: COUNT values equally spaced in the logarithm
  (START, STOP > 0 kept exactly, the values between rounded to 15
  significant digits: the value written is the value used);
- ``V1,V2,...``: a list (numbers, or names for a parameter with choices such
  as ``state_A``).

Numbers are decimal or fraction literals (``1.63``, ``1/3``, ``2e-3``), read
exactly with :class:`fractions.Fraction` (no expression is evaluated), and
every value is carried as the text of an exact number: a terminating decimal
(``1.5``) or a fraction (``1/3``). A grid is the product of its axes (the
first axis varies slowest) or a list of points; point ``i`` is task ``i``.

>>> from symthermo.sweep_grid import parse_axis, Grid
>>> parse_axis("beta_B=0:1:4")
('beta_B', ['0', '1/3', '2/3', '1'])
>>> parse_axis("g=log:0.01:1:3")
('g', ['0.01', '0.1', '1'])
>>> grid = Grid.product([("a", ["1", "2"]), ("b", ["0.5", "1/4", "3"])])
>>> len(grid), grid.names
(6, ['a', 'b'])
>>> grid[4]
{'a': '2', 'b': '1/4'}
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import mpmath

__all__ = ["parse_number", "number_text", "parse_axis", "axis_values", "Grid",
           "MAX_POINTS", "MAX_AXIS"]

#: the most points a grid may hold (a sweep's input is untrusted)
MAX_POINTS = 1_000_000
#: the most values one axis may hold
MAX_AXIS = 100_000

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DECIMAL = re.compile(r"[+-]?(\d{1,60}(\.\d{0,60})?|\.\d{1,60})([eE][+-]?\d{1,3})?\Z")
_FRACTION = re.compile(r"[+-]?\d{1,60}/\d{1,60}\Z")
_COUNT = re.compile(r"\d{1,9}\Z")


def parse_number(text):
    """An exact number from a decimal or fraction literal, or a ValueError quoting it.

    >>> parse_number("1.63"), parse_number("1/3"), parse_number("2e-3")
    (Fraction(163, 100), Fraction(1, 3), Fraction(1, 500))
    >>> parse_number("1e999999")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '1e999999' (a decimal such as 1.63 or a fraction such as 1/3)
    """
    s = str(text).strip()
    if _DECIMAL.match(s) or _FRACTION.match(s):
        try:
            return Fraction(s)
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"not a number: {text!r} (a decimal such as 1.63 or a fraction such as 1/3)")


def number_text(x):
    """The exact text of a Fraction: a terminating decimal where there is a short one,
    else ``p/q``.

    >>> from fractions import Fraction
    >>> number_text(Fraction(163, 100)), number_text(Fraction(1, 3)), number_text(Fraction(-4))
    ('1.63', '1/3', '-4')
    """
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    q, twos, fives = x.denominator, 0, 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    places = max(twos, fives)
    if q == 1 and places <= 30:
        scaled = abs(x.numerator) * 10 ** places // x.denominator
        digits = str(scaled).rjust(places + 1, "0")
        text = (digits[:-places] + "." + digits[-places:]).rstrip("0").rstrip(".")
        return ("-" if x < 0 else "") + text
    return f"{x.numerator}/{x.denominator}"


def _count(text, spec):
    if not _COUNT.match(text.strip()):
        raise ValueError(f"the COUNT of {spec!r} must be a positive integer, got {text!r}")
    n = int(text)
    if not 1 <= n <= MAX_AXIS:
        raise ValueError(f"the COUNT of {spec!r} must be between 1 and {MAX_AXIS}, got {n}")
    return n


def axis_values(spec, *, choices=None):
    """The value texts of one axis written as ``START:STOP:COUNT``,
    ``log:START:STOP:COUNT`` or ``V1,V2,...`` (see the module docstring).

    >>> axis_values("1:2:3")
    ['1', '1.5', '2']
    >>> axis_values("excited,ground", choices=("excited", "ground", "plus"))
    ['excited', 'ground']
    """
    text = str(spec).strip()
    if len(text) > 100_000:
        raise ValueError(f"axis specification too long ({len(text)} characters)")
    if not text:
        raise ValueError("an axis needs values, got ''")
    if ":" in text:
        if choices:
            raise ValueError(f"a parameter with choices takes a list V1,V2,..., got {spec!r}")
        pieces = text.split(":")
        log = pieces[0].strip().lower() == "log"
        if log:
            pieces = pieces[1:]
        if len(pieces) != 3:
            raise ValueError(f"a range is START:STOP:COUNT or log:START:STOP:COUNT, got {spec!r}")
        start, stop = parse_number(pieces[0]), parse_number(pieces[1])
        n = _count(pieces[2], spec)
        if n == 1:
            if start != stop:
                raise ValueError(f"a range of COUNT 1 needs START = STOP, got {spec!r}")
            return [number_text(start)]
        if not log:
            return [number_text(start + (stop - start) * Fraction(k, n - 1)) for k in range(n)]
        if start <= 0 or stop <= 0:
            raise ValueError(f"a log range needs START, STOP > 0, got {spec!r}")
        out = [number_text(start)]
        with mpmath.workdps(40):
            a = mpmath.mpf(start.numerator) / start.denominator
            ratio = (mpmath.mpf(stop.numerator) / stop.denominator) / a
            for k in range(1, n - 1):
                value = a * ratio ** (mpmath.mpf(k) / (n - 1))
                out.append(number_text(Fraction(mpmath.nstr(value, 15, min_fixed=-math.inf,
                                                            max_fixed=math.inf))))
        out.append(number_text(stop))
        return out
    values = [v.strip() for v in text.split(",")]
    if len(values) > MAX_AXIS:
        raise ValueError(f"an axis holds at most {MAX_AXIS} values, got {len(values)}")
    if choices:
        for v in values:
            if v not in choices:
                raise ValueError(f"{v!r} is not one of {', '.join(choices)}")
        return values
    return [number_text(parse_number(v)) for v in values]


def parse_axis(text, *, choices=None):
    """``NAME=SPEC`` (a ``--grid`` argument) as ``(name, values)``."""
    if "=" not in str(text):
        raise ValueError(f"a grid axis is NAME=START:STOP:COUNT or NAME=V1,V2,..., got {text!r}")
    name, spec = str(text).split("=", 1)
    name = name.strip()
    if not _NAME.match(name):
        raise ValueError(f"not a parameter name: {name!r}")
    return name, axis_values(spec, choices=choices)


def _value_text(value, choices):
    """One value of a Python grid as exact text (a float by its shortest repr)."""
    if isinstance(value, bool):
        raise TypeError(f"a parameter value must be a number or a string, got {value!r}")
    if choices:
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a parameter value must be finite, got {value!r}")
        return number_text(Fraction(repr(value)))
    if isinstance(value, (int, Fraction)):
        return number_text(Fraction(value))
    if isinstance(value, str):
        return number_text(parse_number(value))
    raise TypeError(f"a parameter value must be a number or a string, got {value!r}")


@dataclass(frozen=True)
class Grid:
    """The points of a sweep, each a dict name -> exact value text.

    ``axes`` is a tuple of ``(name, values)`` for a product grid, or None
    for an explicit list of ``points``.
    """

    names: list
    axes: tuple = None
    points: tuple = None

    @classmethod
    def product(cls, axes):
        axes = tuple((name, list(values)) for name, values in axes)
        names = [name for name, _ in axes]
        _check_names(names)
        total = 1
        for name, values in axes:
            if not values:
                raise ValueError(f"axis {name} has no values")
            total *= len(values)
            if total > MAX_POINTS:
                raise ValueError(f"a sweep holds at most {MAX_POINTS} points, the grid has more")
        return cls(names, axes=axes)

    @classmethod
    def of_points(cls, points):
        points = tuple(dict(p) for p in points)
        if not points:
            raise ValueError("a list of points needs at least one point")
        if len(points) > MAX_POINTS:
            raise ValueError(f"a sweep holds at most {MAX_POINTS} points, got {len(points)}")
        names = list(points[0])
        _check_names(names)
        for k, p in enumerate(points):
            if sorted(p) != sorted(names):
                raise ValueError(f"point {k} sets {sorted(p)}, point 0 sets {sorted(names)}: "
                                 "every point must set the same parameters")
        return cls(names, points=tuple({n: p[n] for n in names} for p in points))

    @classmethod
    def of(cls, grid, model):
        """A grid from the Python API's ``grid``: a dict name -> list of values or an
        axis text (``"0:1:5"``, ``"log:0.1:10:5"``, ``"1,2"``), or a list of dicts."""
        choices = {p.name: p.choices for p in model.parameters}

        def known(name):
            if name not in choices:
                raise ValueError(f"unknown parameter {name!r} for model {model.name}; "
                                 f"known: {', '.join(choices)}")
            return choices[name]

        if isinstance(grid, Grid):
            for name in grid.names:
                known(name)
            return grid
        if isinstance(grid, dict):
            total = 1
            for name, values in grid.items():  # the size, before any value is made
                total *= _count_of(values)
                if total > MAX_POINTS:
                    raise ValueError(f"a sweep holds at most {MAX_POINTS} points, the grid "
                                     "has more")
            axes = []
            for name, values in grid.items():
                c = known(name)
                if isinstance(values, str):
                    axes.append((name, axis_values(values, choices=c)))
                else:
                    axes.append((name, [_value_text(v, c) for v in values]))
            return cls.product(axes)
        if isinstance(grid, (list, tuple)):
            points = []
            for point in grid:
                if not isinstance(point, dict):
                    raise TypeError(f"a point of a grid is a dict, got {point!r}")
                points.append({name: _value_text(v, known(name)) for name, v in point.items()})
            return cls.of_points(points)
        raise TypeError(f"a grid is a dict of axes or a list of points, got {type(grid).__name__}")

    def __len__(self):
        if self.points is not None:
            return len(self.points)
        return math.prod(len(values) for _, values in self.axes)

    def __getitem__(self, index):
        if self.points is not None:
            return dict(self.points[index])
        if not 0 <= index < len(self):
            raise IndexError(index)
        out = {}
        for name, values in reversed(self.axes):
            index, k = divmod(index, len(values))
            out[name] = values[k]
        return dict(reversed(list(out.items())))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def describe(self):
        """A JSON-ready description (for the sidecar file)."""
        if self.points is not None:
            return {"points": [dict(p) for p in self.points]}
        return {"axes": [[name, list(values)] for name, values in self.axes]}


def _count_of(values):
    """The number of values of an axis, from its text without making them."""
    if not isinstance(values, str):
        return len(values)
    text = values.strip()
    if ":" in text:
        count = text.rsplit(":", 1)[1].strip()
        return int(count) if _COUNT.match(count) else 1  # a bad COUNT is reported later
    return text.count(",") + 1


def _check_names(names):
    if len(set(names)) != len(names):
        raise ValueError(f"a parameter appears twice in the grid: {names}")
    for name in names:
        if not _NAME.match(str(name)):
            raise ValueError(f"not a parameter name: {name!r}")
