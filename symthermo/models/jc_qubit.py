"""The qubit of the Jaynes-Cummings model: its basis, Pauli matrices and initial states.

The basis is (|e>, |g>); ``SIGMA_Z``, ``SIGMA_PLUS`` = |e><g| and
``SIGMA_MINUS`` are SymPy matrices made on first use (importing SymPy is
slow).  :func:`runs_of` writes each initial qubit state as a mixture of pure
evolutions, which every route of :mod:`symthermo.models.jaynes_cummings`
(closed forms, manifold sums, propagators) evolves one by one.

>>> from symthermo.models.jc_qubit import SIGMA_PLUS, runs_of
>>> SIGMA_PLUS
Matrix([
[0, 1],
[0, 0]])
>>> runs_of("mixed")
[(1/2, 1, 0), (1/2, 0, 1)]
"""

from __future__ import annotations

import functools

from ..lazy import lazy_import

sympy = lazy_import("sympy")

__all__ = ["runs_of", "SIGMA_Z", "SIGMA_PLUS", "SIGMA_MINUS"]


# qubit basis (|e>, |g>) (SIGMA_Z, SIGMA_PLUS, SIGMA_MINUS are made on first use:
# _symbolic_constants below)
_QUBIT = ("e", "g")


def runs_of(state_A):
    """The pure evolutions (weight, c_e, c_g) whose mixture is ``state_A`` (SymPy numbers)."""
    half = sympy.Rational(1, 2)
    r = 1 / sympy.sqrt(2)
    return {
        "excited": [(sympy.Integer(1), sympy.Integer(1), sympy.Integer(0))],
        "ground": [(sympy.Integer(1), sympy.Integer(0), sympy.Integer(1))],
        "plus": [(sympy.Integer(1), r, r)],
        "mixed": [(half, sympy.Integer(1), sympy.Integer(0)),
                  (half, sympy.Integer(0), sympy.Integer(1))],
    }[state_A]


def _key(*values):
    return tuple(sympy.srepr(sympy.sympify(v)) for v in values)


def _conj(x):
    return sympy.conjugate(x)


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    SIGMA_Z = sympy.diag(1, -1)
    SIGMA_PLUS = sympy.Matrix([[0, 1], [0, 0]])  # |e><g|
    SIGMA_MINUS = SIGMA_PLUS.T
    return {'SIGMA_MINUS': SIGMA_MINUS, 'SIGMA_PLUS': SIGMA_PLUS, 'SIGMA_Z': SIGMA_Z}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name in ('SIGMA_MINUS', 'SIGMA_PLUS', 'SIGMA_Z'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
