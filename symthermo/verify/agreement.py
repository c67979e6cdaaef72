"""Numbers of verify: when two agree (:func:`close`), and how one is printed (:func:`fmt`)."""

from __future__ import annotations

import mpmath

from ..precision import decimal_string
from .operators import Op, _scale
from .tolerance import DPS, TOLERANCE

__all__ = ["fmt", "close"]


def fmt(x, digits=DPS):
    """A number as the contract's decimal string (complex as ``a+bj``)."""
    if isinstance(x, Op):
        raise TypeError("an operator has no single decimal value")
    if isinstance(x, (bool,)):
        return "true" if x else "false"
    if isinstance(x, (int,)):
        return str(x)
    x = mpmath.mpmathify(x)
    if isinstance(x, mpmath.mpc):
        scale = max(abs(x.real), abs(x.imag))
        if x.imag == 0 or abs(x.imag) <= scale * TOLERANCE:
            x = x.real
        else:
            re_s = decimal_string(x.real, digits)
            im_s = decimal_string(abs(x.imag), digits)
            return f"{re_s}{'-' if x.imag < 0 else '+'}{im_s}j"
    return decimal_string(x, digits)


def close(a, b, tol=TOLERANCE):
    """Agreement of two numbers (or operators) to ``tol`` relative (absolute below 1)."""
    if isinstance(a, Op) or isinstance(b, Op):
        if not (isinstance(a, Op) and isinstance(b, Op)):
            return False
        return (a - b).norm() <= tol * _scale(a, b)
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * _scale(a, b)


def _real(x):
    """The real part of a scalar whose imaginary part is rounding noise."""
    x = mpmath.mpmathify(x)
    if isinstance(x, mpmath.mpc):
        if abs(x.imag) > TOLERANCE * max(1, abs(x.real)):
            raise ValueError(f"expected a real number, got {x}")
        return x.real
    return x
