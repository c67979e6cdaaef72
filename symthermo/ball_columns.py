"""The certified (balls) closed-form route for all times at once: columns of balls.

The per-row ball route (``Model.evaluate(p, times, lib=BALLS)``) runs the
model's formulas once per time, paying Python's overhead on every one of its
few hundred ball operations.  Here the *same* formulas run once, on a
:class:`BallColumn`: a numpy object array of ``flint.arb`` that behaves as one
ball.  Its arithmetic (``+ - * /``, ``abs``, ``log``, ``cos``, ...) calls the
element's own method in numpy's C loop, so every element goes through exactly
the operations, in the same order and at the same precision, as in the
per-row route: the balls, and so the printed digits, are the same.

Branches.  The formulas choose branches on *proven* comparisons of balls
(``x > 0`` is True only when every point of ``x`` is positive, ``x.is_zero()``
only for an exact 0).  A comparison of columns gives a :class:`Decision`, one
Python bool per element, each exactly the bool the per-row route sees.  When
the formulas ask for its truth value (``if``, ``and``, ``not``, ``bool``):

- if every element still *valid* agrees, that is the answer;
- otherwise the column goes on with the majority's answer, and the elements
  that answered otherwise are marked invalid: their values are wrong from here.

At the end, the valid elements are kept, and the invalid ones are evaluated
again as a column of their own (where the branch that set them apart is now
the majority), down to small groups, which take the per-row route.  So each
time's values come from the branch the per-row route takes at that time:
structural zeros (the increments at t = 0, the ergotropy of a proven-passive
qubit, I_AB(0)) stay exact zeros, and an undecided comparison is simply False
for that element, as for a scalar ball.  Any operation a column cannot do
(an exception, whatever it is) sends the whole group to the per-row route,
which then does what it does (its values, or its error message).

>>> from flint import arb
>>> from symthermo.ball_columns import BallColumn, speculation
>>> from symthermo.balls import ball_precision
>>> with ball_precision(60), speculation(3) as valid:
...     x = BallColumn([arb(1), arb(-2), arb(3)])
...     y = x * x + 1 if x > 0 else x
...     print([float(v) for v in y.values], valid.tolist())
[2.0, 5.0, 10.0] [True, False, True]
"""

from __future__ import annotations

import contextlib
import threading

import flint
import numpy as np

__all__ = ["BallColumn", "Decision", "BallColumnRows", "speculation", "when", "each_valid",
           "evaluate_columns", "MIN_GROUP"]

#: groups smaller than this take the per-row route (a column's fixed cost is a few
#: hundred microseconds)
MIN_GROUP = 8

_STATE = threading.local()


@contextlib.contextmanager
def speculation(n):
    """The scope of one column evaluation of ``n`` elements: yields the mask of elements
    still valid (a numpy bool array, updated in place by :class:`Decision`)."""
    valid = np.ones(n, dtype=bool)
    previous = getattr(_STATE, "valid", None)
    _STATE.valid = valid
    try:
        yield valid
    finally:
        _STATE.valid = previous


class Decision:
    """The elementwise outcome of a comparison of ball columns (a bool per element)."""

    __slots__ = ("bools",)

    def __init__(self, bools):
        self.bools = np.asarray(bools, dtype=bool)

    def __bool__(self):
        b = self.bools
        valid = getattr(_STATE, "valid", None)
        if valid is None or valid.shape != b.shape:
            if b.all():
                return True
            if not b.any():
                return False
            raise ValueError("a branch on a column of balls outside a column evaluation")
        ones = int(np.count_nonzero(b & valid))
        live = int(np.count_nonzero(valid))
        if ones == live:
            return True
        if ones == 0:
            return False
        choice = 2 * ones >= live
        # the minority is set apart: it is evaluated again as its own column
        np.logical_and(valid, b if choice else ~b, out=valid)
        return choice

    def __invert__(self):
        return Decision(~self.bools)

    def __repr__(self):
        return f"Decision({self.bools.tolist()})"


def when(cond, if_true, if_false):
    """``if_true() if cond else if_false()``; for a :class:`Decision` whose valid elements
    disagree, both branches, each evaluated on its own elements (a branch's decisions see
    only those), merged element by element: no element is set apart.

    >>> from flint import arb
    >>> from symthermo.ball_columns import BallColumn, speculation, when
    >>> with speculation(2) as valid:
    ...     x = BallColumn([arb(1), arb(-2)])
    ...     y = when(x > 0, lambda: x.log(), lambda: arb(0))
    ...     print([float(v) for v in y.values], valid.tolist())
    [0.0, 0.0] [True, True]
    """
    if not isinstance(cond, Decision):
        return if_true() if cond else if_false()
    valid = getattr(_STATE, "valid", None)
    b = cond.bools
    if valid is None or valid.shape != b.shape:
        return if_true() if cond else if_false()
    on_true, on_false = valid & b, valid & ~b
    if not on_false.any():
        return if_true()
    if not on_true.any():
        return if_false()
    valid[:] = on_true
    a = if_true()
    kept = valid.copy()
    valid[:] = on_false
    c = if_false()
    valid |= kept
    return _merge(b, a, c)


def each_valid(column, fn):
    """``fn`` of each element of ``column`` that is still valid (an iterative method with
    branches of its own, run ball by ball: the per-row balls); an element already set
    apart gets nan (its value is thrown away, and garbage must not raise)."""
    valid = getattr(_STATE, "valid", None)
    values = column.values
    if valid is None or valid.shape != values.shape:
        return BallColumn([fn(v) for v in values])
    nan = flint.arb.nan()
    return BallColumn([fn(v) if ok else nan for v, ok in zip(values, valid.tolist())])


def _merge(b, a, c):
    """Elementwise ``a if b else c`` of two branch results (dicts of the same keys, columns,
    single balls)."""
    if a is c:
        return a
    if isinstance(a, dict) and isinstance(c, dict):
        if list(a) != list(c):
            raise TypeError(f"branches give different keys {list(a)} and {list(c)}")
        return {k: _merge(b, a[k], c[k]) for k in a}
    if type(a) in (list, tuple) and type(c) is type(a):
        if len(a) != len(c):
            raise TypeError(f"branches give {len(a)} and {len(c)} values")
        return type(a)(_merge(b, x, y) for x, y in zip(a, c))
    out = np.empty(len(b), dtype=object)
    for mask, v in ((b, a), (~b, c)):
        if isinstance(v, BallColumn):
            out[mask] = v.values[mask]
        elif isinstance(v, (dict, list, tuple, Decision)):
            raise TypeError(f"cannot merge branch values of type {type(v).__name__}")
        else:
            out[mask] = v
    return BallColumn(out)


def _values(x):
    return x.values if isinstance(x, BallColumn) else x


def _binary(name, fn):
    def method(self, other):
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        key = (name, id(other), flint.ctx.prec)
        found = memo.get(key)
        # the entry keeps ``other`` alive, so its id is not another object's
        if found is None or found[0] is not other:
            found = memo[key] = (other, BallColumn(fn(self.values, _values(other))))
        return found[1]
    method.__name__ = f"__{name}__"
    return method


def _each(name):
    def method(self, *args):
        if args:
            other = args[0]
            if isinstance(other, BallColumn):
                return BallColumn([getattr(a, name)(b) for a, b in zip(self.values, other.values)])
            return BallColumn([getattr(a, name)(other) for a in self.values])
        return BallColumn([getattr(a, name)() for a in self.values])
    method.__name__ = name
    return method


def _each_bool(name):
    def method(self, *args):
        if args:
            return Decision([getattr(a, name)(*args) for a in self.values])
        return self.memo(name, lambda: Decision([getattr(a, name)() for a in self.values]))
    method.__name__ = name
    return method


def _ufunc(fn):
    name = fn.__name__
    direct = np.frompyfunc(getattr(flint.arb, name), 1, 1)

    def apply(values):
        try:  # arb's own method in numpy's loop: faster than numpy's lookup of it by name
            return direct(values)
        except TypeError:  # an element that is not an arb (acb): its own method
            return fn(values)

    def method(self):
        return self.memo(name, lambda: BallColumn(apply(self.values)))
    method.__name__ = name
    return method


class BallColumn:
    """Real balls at many times, with the interface of one ``flint.arb``.

    Arithmetic and the elementary functions apply elementwise (numpy object
    loops calling the element's own method); comparisons and the predicates
    (``is_zero``, ``is_finite``, ...) give a :class:`Decision`.
    """

    __slots__ = ("values", "_memo")
    __array_ufunc__ = None  # numpy defers to the reflected operators below

    def __init__(self, values):
        self._memo = None
        if isinstance(values, np.ndarray) and values.dtype == object:
            self.values = values
        else:
            v = np.empty(len(values), dtype=object)
            v[:] = list(values)
            self.values = v

    def __len__(self):
        return len(self.values)

    def __repr__(self):
        return f"BallColumn({self.values.tolist()})"

    # arithmetic, elementwise in numpy's C loops ---------------------------------
    # (x - y of the same two objects at the same precision is computed once: the
    # finishing formulas take E^th(t) - E^th(0) for Q, W, sigma and cop alike)
    __add__ = _binary("add", lambda a, b: a + b)
    __radd__ = _binary("radd", lambda a, b: b + a)
    __sub__ = _binary("sub", lambda a, b: a - b)
    __rsub__ = _binary("rsub", lambda a, b: b - a)
    __mul__ = _binary("mul", lambda a, b: a * b)
    __rmul__ = _binary("rmul", lambda a, b: b * a)
    __truediv__ = _binary("div", lambda a, b: a / b)
    __rtruediv__ = _binary("rdiv", lambda a, b: b / a)

    def __neg__(self):
        return self.memo("neg", lambda: BallColumn(-self.values))

    def __pos__(self):
        return BallColumn(+self.values)

    def __abs__(self):
        return self.memo("abs", lambda: BallColumn(np.abs(self.values)))

    def __pow__(self, o):
        return BallColumn(self.values ** _values(o))

    # comparisons: certain per element, as for one ball -------------------------
    def __lt__(self, o):
        return Decision(self.values < _values(o))

    def __le__(self, o):
        return Decision(self.values <= _values(o))

    def __gt__(self, o):
        if type(o) is int and o == 0:  # x > 0, asked by log and x ln x of the same column
            return self.memo("positive", lambda: Decision(self.values > 0))
        return Decision(self.values > _values(o))

    def __ge__(self, o):
        return Decision(self.values >= _values(o))

    def __eq__(self, o):
        return Decision(self.values == _values(o))

    def __ne__(self, o):
        return Decision(self.values != _values(o))

    __hash__ = None

    def __bool__(self):
        raise TypeError("the truth value of a column of balls is not defined")

    log = _ufunc(np.log)
    exp = _ufunc(np.exp)
    cos = _ufunc(np.cos)
    sin = _ufunc(np.sin)
    sqrt = _ufunc(np.sqrt)
    log1p = _ufunc(np.log1p)
    expm1 = _ufunc(np.expm1)
    tanh = _ufunc(np.tanh)
    cosh = _ufunc(np.cosh)
    sinh = _ufunc(np.sinh)

    mid = _each("mid")
    rad = _each("rad")
    upper = _each("upper")
    lower = _each("lower")
    union = _each("union")
    min = _each("min")
    max = _each("max")
    def is_zero(self):
        # x == 0 holds for a ball exactly when it is the exact 0 (is_zero), in numpy's loop
        return self.memo("is_zero", lambda: Decision(self.values == 0))

    is_exact = _each_bool("is_exact")
    is_finite = _each_bool("is_finite")
    is_nan = _each_bool("is_nan")
    contains = _each_bool("contains")
    overlaps = _each_bool("overlaps")

    def memo(self, name, make):
        """``make()`` once per column, name and precision: a column is never changed, so
        the same function of it is computed once (the balls a second call would give)."""
        key = (name, flint.ctx.prec)
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        found = memo.get(key)
        if found is None:
            found = memo[key] = make()
        return found

    def rcall(self, scalar, name):
        """``getattr(scalar, name)(element)`` for each element (``arb(0).union(column)``)."""
        return BallColumn([getattr(scalar, name)(a) for a in self.values])

    def take(self, valid):
        return self.values[valid]


class BallColumnRows:
    """Rows of balls held as columns: key -> object array over the times, or one ball
    (or other value) shared by every row.  Behaves as the list of row dicts of the
    per-row route (built on first access)."""

    def __init__(self, keys, columns, n):
        self.keys = list(keys)
        self.columns = columns
        self.n = n
        self._rows = None

    def __len__(self):
        return self.n

    def column(self, key):
        v = self.columns[key]
        if isinstance(v, np.ndarray):
            return v
        out = np.empty(self.n, dtype=object)
        out[:] = [v] * self.n
        return out

    def ball(self, key, i):
        v = self.columns[key]
        return v[i] if isinstance(v, np.ndarray) else v

    def select(self, indices):
        """The rows ``indices`` alone (a column shared by every row stays shared)."""
        indices = list(indices)
        return BallColumnRows(self.keys, {k: v[indices] if isinstance(v, np.ndarray) else v
                                          for k, v in self.columns.items()}, len(indices))

    def _materialise(self):
        if self._rows is None:
            cols = [self.column(k).tolist() for k in self.keys]
            self._rows = [dict(zip(self.keys, vals)) for vals in zip(*cols)]
        return self._rows

    def __getitem__(self, i):
        return self._materialise()[i]

    def __iter__(self):
        return iter(self._materialise())


def evaluate_columns(model, p, times, *, convention="received", stats=None):
    """``model.evaluate(p, times, lib=BALLS, convention=convention)`` as
    :class:`BallColumnRows`: the same balls, found column by column (see the module
    docstring).  Exact zeros among the times (t = 0, whose increments are structural
    zeros) ride along as single balls in the same call; groups of fewer than
    :data:`MIN_GROUP` times, and groups a column cannot evaluate, take the per-row
    route.  Call inside :func:`~symthermo.balls.ball_precision`.

    ``stats``, a dict if given, counts ``"columns"`` (column evaluations), ``"set_apart"``
    (times a branch set apart for another column), ``"per_row"`` (times that took the
    per-row route) and lists in ``"errors"`` what a column could not do.
    """
    from .balls import BALLS

    if stats is None:
        stats = {}
    for k in ("columns", "set_apart", "per_row"):
        stats.setdefault(k, 0)
    stats.setdefault("errors", [])

    n = len(times)
    pieces = {}  # key -> [(indices, values: object array or one value)]
    order = []

    def store(where, row):
        if not order:
            order.extend(row)
        for k in order:
            pieces.setdefault(k, []).append((where, row[k]))

    def per_row(idx):
        stats["per_row"] += len(idx)
        rows = model.evaluate(p, [times[i] for i in idx.tolist()], lib=BALLS,
                              convention=convention)
        for i, row in zip(idx.tolist(), rows):
            store(np.array([i]), row)

    pending = [np.arange(n)]
    while pending:
        idx = pending.pop()
        if len(idx) < MIN_GROUP:
            per_row(idx)
            continue
        group = np.empty(len(idx), dtype=object)
        group[:] = [times[i] for i in idx.tolist()]
        zero = _exact_zeros(group)
        if zero.any():
            scalars, idx, group = idx[zero], idx[~zero], group[~zero]
        else:
            scalars = idx[:0]
        column = BallColumn(group)
        try:
            with speculation(len(idx)) as valid:
                rows = model.evaluate(p, [column] + [times[i] for i in scalars.tolist()],
                                      lib=BALLS, convention=convention)
            row = rows[0]
            if any(isinstance(v, Decision) for v in row.values()):  # pragma: no cover
                raise TypeError("a row holds a decision")
        except Exception as exc:  # noqa: BLE001 - what a column cannot do, the per-row route does
            stats["errors"].append(f"{type(exc).__name__}: {exc}")
            per_row(np.concatenate([idx, scalars]))
            continue
        stats["columns"] += 1
        for i, r in zip(scalars.tolist(), rows[1:]):
            store(np.array([i]), r)
        if valid.all():
            store(idx, {k: v.values if isinstance(v, BallColumn) else v for k, v in row.items()})
        else:
            store(idx[valid], {k: v.values[valid] if isinstance(v, BallColumn) else v
                               for k, v in row.items()})
            pending.append(idx[~valid])
            stats["set_apart"] += int(np.count_nonzero(~valid))
    columns = {}
    for k in order:
        parts = pieces[k]
        if len(parts) == 1 and len(parts[0][0]) == n and not isinstance(parts[0][1], np.ndarray):
            columns[k] = parts[0][1]  # one value for every row (carnot, an exact 0)
            continue
        if (len(parts) == 2 and isinstance(parts[1][1], np.ndarray) and len(parts[0][0]) == 1
                and parts[0][0][0] == 0 and len(parts[1][0]) == n - 1
                and parts[1][0][0] == 1 and parts[1][0][-1] == n - 1):
            # the usual case: t = 0 alone, then one column for every other time
            out = np.empty(n, dtype=object)
            out[0] = parts[0][1]
            out[1:] = parts[1][1]
            columns[k] = out
            continue
        out = np.empty(n, dtype=object)
        for where, v in parts:
            if isinstance(v, np.ndarray):
                out[where] = v
            else:
                for i in where.tolist():
                    out[i] = v
        columns[k] = out
    return BallColumnRows(order or model.keys(), columns, n)


def _exact_zeros(times):
    """Which of the balls (an object array) are the exact 0 (``t == 0`` holds for a ball
    only then); any other value is not."""
    try:
        return np.asarray(times == 0, dtype=bool)
    except TypeError:  # pragma: no cover - times are balls
        return np.array([getattr(t, "is_zero", None) is not None and t.is_exact() and t.is_zero()
                         for t in times], dtype=bool)
