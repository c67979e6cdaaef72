r"""The interpreter of verify: the value of a SymPy expression at a point (:func:`value`).

Both sides of a check, the formula a paper prints (its SymPy transcription
in :mod:`symthermo.papers`) and the DERIVED form, are evaluated by
:func:`value` with mpmath at 30 significant digits (plus guard digits);
names are looked up in a point (:mod:`.points`, :mod:`.system_points`,
:mod:`.model_points`).

>>> import sympy
>>> from symthermo.verify.expressions import value
>>> from symthermo.verify.points import Point
>>> x = sympy.Symbol("x")
>>> p = Point(params={}, t_label="0", symbols={x: 2})
>>> value(sympy.exp(x) - 1, p) > 6
True
"""

from __future__ import annotations

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from .agreement import _real
from .operators import Op

__all__ = ["value", "Unbound"]


class Unbound(LookupError):
    """A name of a printed formula that the point does not define."""


_SCALAR_FUNCTIONS = {
    sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.tanh: mpmath.tanh,
    sympy.cos: mpmath.cos, sympy.sin: mpmath.sin, sympy.sqrt: mpmath.sqrt,
    sympy.cosh: mpmath.cosh, sympy.sinh: mpmath.sinh, sympy.atan: mpmath.atan,
    sympy.acos: mpmath.acos,
}


def _number(expr):
    if expr.is_Integer:
        return mpmath.mpf(int(expr))
    if expr.is_Rational:
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if expr.is_Float:
        return mpmath.mpf(sympy.Float(expr, mpmath.mp.dps))
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return +mpmath.e
    if expr is sympy.I:
        return mpmath.mpc(0, 1)
    if expr is sympy.oo:
        return mpmath.inf
    return mpmath.mpmathify(sympy.N(expr, mpmath.mp.dps))


def value(expr, point):
    """The value of a SymPy expression at a point (a number or an :class:`Op`)."""
    if isinstance(expr, (int, float)):
        return mpmath.mpf(expr)
    if isinstance(expr, (mpmath.mpf, mpmath.mpc, Op)):
        return expr
    if expr.is_Number or expr in (sympy.pi, sympy.E, sympy.I) or expr is sympy.oo:
        return _number(expr)
    if isinstance(expr, sympy.Symbol):
        return point.symbol(expr)
    if isinstance(expr, sympy.Indexed):
        return point.indexed(expr.base, [int(value(i, point)) for i in expr.indices])
    if isinstance(expr, sympy.Add):
        total = mpmath.mpf(0)
        for a in expr.args:
            total = total + value(a, point)
        return total
    if isinstance(expr, sympy.Mul):
        out = mpmath.mpf(1)
        for a in expr.args:
            v = value(a, point)
            out = out * v
        return out
    if isinstance(expr, sympy.Pow):
        base, ex = value(expr.base, point), expr.exp
        if isinstance(base, Op):
            if ex.is_Integer and ex > 0:
                out = base
                for _ in range(int(ex) - 1):
                    out = out * base
                return out
            return base.hermitian_function(lambda x: x ** _number(ex))
        e = value(ex, point)
        if isinstance(e, Op):
            raise TypeError("an operator exponent")
        return base ** e
    if isinstance(expr, sympy.KroneckerDelta):
        a, b = (int(value(x, point)) for x in expr.args)
        return mpmath.mpf(1 if a == b else 0)
    if isinstance(expr, sympy.Abs):
        v = value(expr.args[0], point)
        return abs(v)
    if isinstance(expr, sympy.adjoint):
        v = value(expr.args[0], point)
        return v.dagger() if isinstance(v, Op) else mpmath.conj(v)
    if isinstance(expr, sympy.conjugate):
        v = value(expr.args[0], point)
        return mpmath.conj(v)
    if isinstance(expr, sympy.re):
        return mpmath.re(value(expr.args[0], point))
    if isinstance(expr, sympy.im):
        return mpmath.im(value(expr.args[0], point))
    if isinstance(expr, sympy.Piecewise):
        for e, cond in expr.args:
            if cond is sympy.true or _truth(cond, point):
                return value(e, point)
        raise ValueError(f"no branch of {expr} applies")
    if isinstance(expr, sympy.Sum):
        return _sum(expr, point)
    if isinstance(expr, sympy.Derivative):
        return point.derivative(expr)
    if isinstance(expr, sympy.Integral):
        return point.integral(expr)
    if isinstance(expr, AppliedUndef):
        return point.call(expr)
    if isinstance(expr, sympy.Function) and type(expr) in _SCALAR_FUNCTIONS:
        fn = _SCALAR_FUNCTIONS[type(expr)]
        v = value(expr.args[0], point)
        if isinstance(v, Op):
            if type(expr) is sympy.log:
                return v.hermitian_function(lambda x: mpmath.log(x) if x > 0 else -mpmath.inf)
            return v.hermitian_function(fn)
        return fn(v)
    raise TypeError(f"cannot evaluate {type(expr).__name__}: {expr}")


def _truth(cond, point):
    if isinstance(cond, sympy.And):
        return all(_truth(c, point) for c in cond.args)
    if isinstance(cond, sympy.Or):
        return any(_truth(c, point) for c in cond.args)
    a, b = _real(value(cond.lhs, point)), _real(value(cond.rhs, point))
    ops = {sympy.StrictLessThan: a < b, sympy.LessThan: a <= b, sympy.StrictGreaterThan: a > b,
           sympy.GreaterThan: a >= b}
    return ops[type(cond)]


def _sum(expr, point):
    body = expr.function
    limits = list(expr.limits)

    def rec(k, pt):
        if k == len(limits):
            return value(body, pt)
        var, lo, hi = limits[k]
        lo_v = int(value(lo, pt))
        hi_v = pt.upper_limit(hi)
        total = mpmath.mpf(0)
        for n in range(lo_v, hi_v + 1):
            total = total + rec(k + 1, pt.bind({var: n}))
        return total

    return rec(0, point)
