"""A proven bracket, in balls, of the root of a monotone function: the
entropy-matched beta of :meth:`symthermo.balls.BALLS.beta_for_entropy <symthermo.balls._Balls.beta_for_entropy>`.
"""

from __future__ import annotations

import flint
import mpmath
from flint import arb

from .ball_conversion import is_ball, to_ball

__all__ = ["enclose_monotone_root"]


def enclose_monotone_root(f, target, guess, *, decreasing):
    """A ball [lo, hi] that provably holds the root beta >= 0 of f(beta) = target, f
    strictly monotone: f(lo) - target and f(hi) - target have proven opposite signs.

    ``guess`` is an approximate root (a float-like mpmath number, or None when the root
    is at or beyond the ends 0/inf as far as the midpoint computation could tell).
    When the bracket cannot be proven (the target touches the end of f's range) the
    result is a ball reaching to 0 or an infinite ball above the proven lower end.

    >>> from symthermo.ball_conversion import to_ball
    >>> from symthermo.ball_roots import enclose_monotone_root
    >>> from symthermo.balls import ball_precision
    >>> import mpmath
    >>> with ball_precision(100), mpmath.workprec(100):
    ...     b = enclose_monotone_root(lambda x: x * x, to_ball(2), mpmath.sqrt(2),
    ...                               decreasing=False)
    ...     print(b.contains(to_ball(2).sqrt()), b.rad() < to_ball("1e-20"))
    True True
    """
    sign = -1 if decreasing else 1

    def below(x):  # proven f(x) on the root's small-beta side
        d = (f(x) - target) * sign
        return d < 0

    def above(x):
        d = (f(x) - target) * sign
        return d > 0

    if guess is not None:
        g = guess.mid() if is_ball(guess) else to_ball(mpmath.mpf(guess)).mid()
        rel = max(target.rad() / abs(target) if target != 0 else arb(0), arb(2) ** (8 - flint.ctx.prec))
        delta = rel
        for _ in range(flint.ctx.prec):
            lo, hi = g * (1 - delta), g * (1 + delta)
            if below(lo) and above(hi):
                return lo.union(hi)
            delta = delta * 4
            if delta > 1:
                break
    # no proven bracket about the guess: widen towards 0 and infinity
    start = g if guess is not None else arb(1)
    lo = start
    for _ in range(64):
        if below(lo):
            break
        lo = lo / 16
    else:
        lo = arb(0)
    hi = start
    for _ in range(64):
        if above(hi):
            break
        hi = hi * 16
    else:
        # the root may be beyond every finite bracket tried: only beta >= 0 is proven
        return arb(0).union(arb.pos_inf())
    return lo.union(hi)
