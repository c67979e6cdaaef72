"""The Jaynes-Cummings parameters, times and closed forms as numbers of one system.

:func:`_num` and :func:`_time` turn SymPy parameters and times into float64,
mpmath or ball numbers, :func:`_real` takes a real part in the same system,
:func:`_compile` turns a closed form in ``T`` into a function of a list of
times for one system and :func:`_lambdify_arrays` several closed forms into
one numpy function of an array of times (the vectorised float64 route).
"""

from __future__ import annotations

import numpy as np

from ..lazy import lazy_import
from ..numbers import FLOAT64, numpy_lambdify

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__: list[str] = []


def _num(lib, x):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    x = sympy.sympify(x)
    if lib is FLOAT64:
        return float(x)
    if lib is BALLS:
        return lib.number(x)
    return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 10))


def _eps(lib):
    return np.finfo(float).eps if lib is FLOAT64 else mpmath.eps


def _real(lib, x):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    if lib is FLOAT64:
        return float(np.real(x))
    if lib is BALLS:
        return lib.real_value(x)
    return mpmath.re(x)


def _time(lib, t):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    if lib is FLOAT64:
        return float(t)
    if lib is BALLS:
        return lib.number(t)
    if isinstance(t, sympy.Basic):
        return mpmath.mpmathify(sympy.N(t, mpmath.mp.dps + 5))
    return mpmath.mpf(t) if not isinstance(t, mpmath.mpf) else t


def _lambdify_arrays(exprs):
    from .base import T  # lazy (PEP 562)
    exprs = [sympy.sympify(e) for e in exprs]
    for e in exprs:
        if e.free_symbols - {T}:
            raise ValueError(f"{e} still depends on {sorted(map(str, e.free_symbols - {T}))}; "
                             "give numeric values")
    fn = numpy_lambdify(T, exprs, cse=True)

    def at(ts):
        return [np.real(v) if np.iscomplexobj(v) else v for v in fn(ts)]

    return at


def _compile(expr, lib):
    from ..balls import BALLS  # lazy: loads SymPy, flint
    from ..sympy_to_balls import ball_lambdify
    from .base import T  # lazy (PEP 562)
    expr = sympy.sympify(expr)
    if expr.free_symbols - {T}:
        raise ValueError(f"{expr} still depends on {sorted(map(str, expr.free_symbols - {T}))}; "
                         "give numeric values")
    if lib is FLOAT64:
        fn = numpy_lambdify(T, expr)

        def vec(ts):
            values = np.broadcast_to(np.asarray(fn(np.asarray(ts, dtype=float)), dtype=float),
                                     (len(ts),))
            return [float(v) for v in values]

        return vec
    if lib is BALLS:
        fb = ball_lambdify(T, expr)
        return lambda ts: [lib.real_value(fb(t)) for t in ts]
    fn = sympy.lambdify(T, expr, modules="mpmath")

    def each(ts):
        return [mpmath.re(mpmath.mpmathify(fn(t))) for t in ts]

    return each
