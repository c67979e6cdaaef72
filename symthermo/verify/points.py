"""A point: values for the names of a formula (symbols, functions, indexed constants)."""

from __future__ import annotations

import mpmath
from sympy.core.function import AppliedUndef

from .agreement import _real, fmt
from .expressions import Unbound, value

__all__ = ["Point"]


class Point:
    """Values for the names of a formula: symbols, functions, indexed constants.

    ``functions`` maps an undefined function to ``handler(expr, point)``;
    ``derivatives`` maps one to the handler of its exact time derivative.
    ``params`` and ``t_label`` describe the point in a witness.
    """

    def __init__(self, *, params, t_label, symbols=None, functions=None, indexed=None,
                 derivatives=None, t=None, time_symbol=None, upper=None):
        self.params = dict(params)
        self.t_label = t_label
        if t is not None:
            # the witness's t is always a number; a symbolic label goes into the params
            numeric = fmt(t)
            if t_label and t_label != numeric:
                self.params.setdefault("time", t_label)
            self.t_label = numeric
        self.symbols = dict(symbols or {})
        self.functions = dict(functions or {})
        self.indexed_values = dict(indexed or {})
        self.derivatives = dict(derivatives or {})
        self.t = t
        self.time_symbol = time_symbol
        self.upper = upper or {}

    def bind(self, extra):
        """The same point with more symbols bound (summation indices)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.symbols = {**self.symbols, **extra}
        return new

    def symbol(self, s):
        if s in self.symbols:
            v = self.symbols[s]
            return mpmath.mpf(v) if isinstance(v, int) and not isinstance(v, bool) else v
        raise Unbound(f"no value for the symbol {s}")

    def indexed(self, base, indices):
        if base in self.indexed_values:
            return self.indexed_values[base](*indices)
        raise Unbound(f"no value for {base}[{indices}]")

    def call(self, expr):
        if expr.func in self.functions:
            return self.functions[expr.func](expr, self)
        raise Unbound(f"no value for {expr.func}")

    def upper_limit(self, hi):
        if hi in self.upper:
            return self.upper[hi]
        return int(value(hi, self))

    def at(self, s):
        raise Unbound("this point has no time evolution")

    def derivative(self, expr):
        body = expr.expr
        (var, count), = expr.variable_count
        if count != 1:
            raise Unbound("higher derivatives")
        if isinstance(body, AppliedUndef) and body.func in self.derivatives:
            return self.derivatives[body.func](body, self)
        if var != self.time_symbol:
            if var not in self.symbols:
                raise Unbound(f"derivative in {var}")
            here = self.symbols[var]
            return mpmath.diff(lambda s: _real(value(body, self.bind({var: s}))), here)
        here = self.t
        direction = 1 if here == 0 else 0

        def f(s):
            return _real(value(body, self.at(s)))

        return mpmath.diff(f, here, direction=direction)

    def integral(self, expr):
        (var, lo, hi), = expr.limits
        if not expr.function.has(var):
            return (value(hi, self) - value(lo, self)) * value(expr.function, self)
        handler = self.functions.get("integral")
        if handler is None:
            raise Unbound(f"an integral over {var}")
        return handler(expr, self)
