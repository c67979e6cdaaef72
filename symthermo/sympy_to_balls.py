"""SymPy closed forms evaluated in balls.

``sympy.lambdify`` with a printer that writes numbers as exact ball constructors
and constants as calls (evaluated at the precision in force when the function
runs), into a namespace of ball functions: a comparison there is *certain* or
undecided, and a Piecewise whose condition is undecided on a ball takes the union
of the branches that may apply.  :func:`ball_source` and :func:`ball_function`
carry ball constants through the cache of :mod:`symthermo.compiled` as Python
source, so that a run of plain numbers needs no SymPy.
"""

from __future__ import annotations

import functools

import flint
from flint import acb, arb

from .ball_conversion import _exact_dyadic, _rational, ipow, sqrt_nonneg, to_ball
from .lazy import lazy_import

sympy = lazy_import("sympy")  # loaded by what needs it: a run of plain numbers does not

__all__ = ["ball_lambdify", "ball_source", "ball_function"]


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
    >>> from symthermo.ball_conversion import to_ball
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.sympy_to_balls import ball_lambdify
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
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.sympy_to_balls import ball_function, ball_source
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
