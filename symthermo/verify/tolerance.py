"""The working precision of ``symthermo verify`` and when two of its numbers agree."""

from __future__ import annotations

import mpmath

__all__ = ["DPS", "TOLERANCE"]

#: significant digits of every evaluation
DPS = 30
#: relative agreement asked of two numbers (|a - b| <= TOLERANCE * max(1, |a|, |b|))
TOLERANCE = mpmath.mpf("1e-20")
