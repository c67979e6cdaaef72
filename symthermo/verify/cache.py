"""Values cached across the checks of a run: entropies of operators, per-point quantities."""

from __future__ import annotations

import mpmath

from ..entropy import entropy_of_spectrum
from ..numbers import MPMATH
from ..states import density_spectrum
from .operators import Op, _matrix_key

__all__ = ["entropy_of", "relative_entropy_of", "memo"]


_VALUE_CACHE = {}


def _cached(key, make):
    if key not in _VALUE_CACHE:
        if len(_VALUE_CACHE) > 20000:
            _VALUE_CACHE.clear()
        _VALUE_CACHE[key] = make()
    return _VALUE_CACHE[key]


def entropy_of(op):
    """S = -Tr op ln op, from the spectrum (0 ln 0 = 0, multiplicities kept; cached)."""
    if not isinstance(op, Op):
        raise TypeError(f"the entropy of a state, got the number {op}")
    return _cached(("S",) + _matrix_key(op.m),
                   lambda: entropy_of_spectrum(MPMATH, density_spectrum(op.m, lib=MPMATH)))


def relative_entropy_of(a, b):
    """D(a || b) = Tr a (ln a - ln b), from the eigendecompositions (0 ln 0 = 0; cached)."""
    from ..entropy import _relative_entropy

    a, b = a._pair(b)
    return _cached(("D",) + _matrix_key(a.m) + _matrix_key(b.m),
                   lambda: _relative_entropy(MPMATH, a.m, b.m))


def memo(pt, name, make):
    """A per-point cached value (keyed by the trajectory or model, the time and the precision)."""
    owner = getattr(pt, "traj", None) or pt
    key = (name, id(owner), mpmath.mp.prec, mpmath.nstr(pt.t, mpmath.mp.dps) if pt.t is not None
           else None, tuple(sorted((str(k), str(v)) for k, v in pt.params.items())))
    return _cached(key, make)
