"""Thermal functions in float64 for numpy arrays at once (many entropies, many
betas): the entropy-matched beta (:func:`beta_for_entropy_array`) and the thermal
mean energy (:func:`thermal_mean_array`), the same equations and special cases as
the scalar :mod:`symthermo.beta_from_entropy` and :mod:`symthermo.thermal_functions`.
numpy is imported on first use."""

from __future__ import annotations

import math

from .beta_from_entropy import _energy_scale, _solve_beta, _zero_tolerance, beta_for_entropy
from .levels import Oscillator
from .numbers import FLOAT64
from .thermal_functions import _max_entropy, _min_entropy

__all__ = ["beta_for_entropy_array", "thermal_mean_array"]


def beta_for_entropy_array(levels, entropies):
    """:func:`~symthermo.beta_from_entropy.beta_for_entropy` in float64 for a numpy array of
    entropies at once.

    ``levels`` is a :class:`~symthermo.levels.Levels` (finitely many levels, float64) or an
    :class:`~symthermo.levels.Oscillator` (float ``omega``).  Same equation and same special
    cases as the scalar solver: ``0`` for the maximally mixed state (finite
    levels), ``inf`` for an entropy at (or within rounding below) ln g0, a
    ValueError above ln d and a :class:`DegenerateGroundError` below ln g0.

    The root of f = ln[S(beta) - ln g0] - ln[S* - ln g0] is found by Newton
    steps applied to all entropies together (numpy only):

    - oscillator: f as a function of u = ln n(beta), n = 1/(e^{beta omega} - 1)
      the thermal occupation (S = n ln(1 + 1/n) + ln(1 + n), smooth and
      monotone in u from near-pure states to large n); started from a
      tabulated inverse (within ~6e-9 for 1e-26 < n < 3e19) one step reaches
      rounding level (a few more far outside), and
      beta = ln(1 + 1/n)/omega;
    - finite levels: the scalar solver's bracket and safeguarded Newton in
      beta, elementwise.

    An entropy whose iteration does not converge is handed to the scalar
    solver.

    >>> import numpy as np
    >>> from symthermo.levels import Oscillator
    >>> from symthermo.thermal_arrays import beta_for_entropy_array
    >>> beta = beta_for_entropy_array(Oscillator(1.0), np.array([0.0, 0.5, 2.0]))
    >>> float(beta[0])
    inf
    >>> n = 1 / np.expm1(beta[1:])             # S(n) = (n + 1) ln(n + 1) - n ln n
    >>> ((n + 1) * np.log1p(n) - n * np.log(n)).round(14).tolist()
    [0.5, 2.0]
    """
    import numpy as np

    S = np.asarray(entropies, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        return _beta_for_entropy_array(levels, S.reshape(-1)).reshape(S.shape)


def _beta_for_entropy_array(levels, S):
    """beta_for_entropy_array of a 1-d float64 array (the caller sets np.errstate)."""
    import numpy as np

    lib = FLOAT64
    if S.size == 0:
        return np.zeros(0)
    oscillator = isinstance(levels, Oscillator)
    s_max = math.inf if oscillator else _max_entropy(lib, levels)
    s_min = 0.0 if oscillator else _min_entropy(lib, levels)
    tol = lib.tolerance * 10
    lo, hi = np.minimum.reduce(S), np.maximum.reduce(S)
    if math.isnan(lo) or math.isnan(hi):
        raise ValueError("entropy is nan")
    flat = not oscillator and len(set(levels.gaps)) == 1
    ztol = tol if oscillator else _zero_tolerance(lib, levels, s_max, tol)
    if not flat and lo > s_min and hi < s_max - ztol:
        # the common case: every entropy strictly inside (ln g0, ln d - ztol)
        return _solve_beta_array(levels, S - s_min if s_min else S, lo - s_min)
    if flat:
        bad = ~(np.abs(S - s_max) <= tol)
        if bad.any():
            beta_for_entropy(lib, levels, float(S[bad][0]))  # raises the scalar's error
        return np.zeros(S.shape)
    if hi > s_max + tol:
        beta_for_entropy(lib, levels, float(S[S > s_max + tol][0]))  # raises the scalar's error
    target = S - s_min if s_min else S
    zero = None if oscillator or hi < s_max - ztol else s_max - S <= ztol
    if lo < s_min - tol:
        below = target < -tol if zero is None else ~zero & (target < -tol)
        if below.any():
            beta_for_entropy(lib, levels, float(S[below][0]))  # raises DegenerateGroundError
    # the rest: inf at (or within rounding below) ln g0, 0 at ln d, solved in between
    solve = target > 0 if zero is None else ~zero & (target > 0)
    out = np.full(S.shape, math.inf)
    if zero is not None:
        out[zero] = 0.0
    if solve.any():
        inner = target[solve]
        out[solve] = _solve_beta_array(levels, inner, np.minimum.reduce(inner))
    return out


def thermal_mean_array(levels, beta):
    """<H - E0> of the thermal state at each beta of a numpy array (float64),
    as :func:`~symthermo.thermal_functions._thermal_moments` computes it (beta = inf: 0)."""
    import numpy as np

    beta = np.asarray(beta, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return _thermal_mean_array(levels, beta)


def _thermal_mean_array(levels, beta):
    """thermal_mean_array (the caller sets np.errstate)."""
    if isinstance(levels, Oscillator):
        w = levels.omega
        return w * (1 / _np().expm1(beta * w))
    w, _ = _weights_array(levels, beta)
    z = 0.0
    for x in w:
        z = z + x
    mean = 0.0
    for x, gap in zip(w, levels.gaps):
        mean = mean + (x / z) * gap
    return mean


def _np():
    import numpy

    return numpy


def _weights_array(levels, beta):
    import numpy as np

    g0 = levels.ground_degeneracy
    one = np.ones(beta.shape)
    return [one if k < g0 else np.exp(-beta * gap) for k, gap in enumerate(levels.gaps)], one


def _moments_array(levels, beta):
    """(mean, variance, excess entropy) of finitely many levels at finite betas."""
    import numpy as np

    w, _ = _weights_array(levels, beta)
    g0 = levels.ground_degeneracy
    z = 0.0
    for x in w:
        z = z + x
    p = [x / z for x in w]
    mean = 0.0
    for pk, gap in zip(p, levels.gaps):
        mean = mean + pk * gap
    var = 0.0
    for pk, gap in zip(p, levels.gaps):
        var = var + pk * (gap - mean) ** 2
    excited = 0.0
    for x in w[g0:]:
        excited = excited + x
    return mean, var, beta * mean + np.log1p(excited / g0)


def _solve_beta_array(levels, target, lowest):
    """beta at each (positive) excess entropy; ``lowest`` is the smallest of them."""
    import numpy as np

    if isinstance(levels, Oscillator):
        beta, ok = _oscillator_beta_array(float(levels.omega), target, lowest)
    else:
        beta, ok = _levels_beta_array(levels, target)
    if ok is not None and not ok.all():
        for k in np.flatnonzero(~ok):
            beta[k] = _solve_beta(FLOAT64, levels, float(target[k]))
    return beta


_OSCILLATOR_TABLE = []


def _oscillator_table():
    """ln S(u) on a grid of u = ln n: its inverse by linear interpolation is within
    ~6e-9 of u for -60 <= u <= 45 (n from 1e-26 to 3e19), so that one Newton step
    reaches rounding level there (built once, ~135k points, a few ms)."""
    import numpy as np

    if not _OSCILLATOR_TABLE:
        u = np.concatenate([np.arange(a, b, h) for a, b, h in (
            (-700.0, -60.0, 0.25), (-60.0, -8.0, 1.5e-3), (-8.0, 12.0, 3.5e-4),
            (12.0, 45.0, 8e-4))] + [[45.0]])
        _, _, s = _oscillator_entropy_of_u(u)
        _OSCILLATOR_TABLE.append((np.log(s), u))
    return _OSCILLATOR_TABLE[0]


def _oscillator_entropy_of_u(u):
    """(n, ln(1 + 1/n), S) at n = e^u: S = n ln(1 + 1/n) + ln(1 + n), no cancellation
    (ln(1 + 1/n) = logaddexp(0, -u): no overflow for tiny n)."""
    import numpy as np

    n = np.exp(u)
    r = np.logaddexp(0.0, -u)
    return n, r, n * r + np.log1p(n)


def _oscillator_beta_array(omega, target, lowest):
    """(beta, None) when every Newton iteration converged, else (beta, converged)."""
    import numpy as np

    log_target = np.log(target)
    table_s, table_u = _oscillator_table()
    u = np.interp(log_target, table_s, table_u)
    if lowest < 1e-290:  # n = e^u near 1e-300 or below: 1/n would overflow
        return _oscillator_beta_far(omega, u, log_target)
    for _ in range(60):
        # Newton on f(u) = ln S(u) - ln S*, f'(u) = n S'(n)/S = n ln(1 + 1/n)/S, with
        # S = n ln(1 + 1/n) + ln(1 + n) (no cancellation)
        n = np.exp(u)
        nr = n * np.log1p(1 / n)
        s = nr + np.log1p(n)
        step = (np.log(s) - log_target) * (s / nr)
        u = u - step
        # quadratic convergence (f is close to linear in u): after a step below 1e-8
        # the error is at rounding level
        if np.maximum.reduce(np.abs(step)) <= 1e-8:
            return np.log1p(1 / np.exp(u)) / omega, None
    ok = (np.abs(step) <= 1e-8) & np.isfinite(u)
    return np.log1p(1 / np.exp(u)) / omega, ok


def _oscillator_beta_far(omega, u, log_target):
    """The same Newton iteration written with logaddexp (n = e^u may underflow)."""
    import numpy as np

    for _ in range(60):
        n = np.exp(u)
        nr = n * np.logaddexp(0.0, -u)
        s = nr + np.log1p(n)
        step = (np.log(s) - log_target) * (s / nr)
        u = u - step
        if np.abs(step).max() <= 1e-8:
            return np.logaddexp(0.0, -u) / omega, None
    ok = (np.abs(step) <= 1e-8) & np.isfinite(u)
    return np.logaddexp(0.0, -u) / omega, ok


def _levels_beta_array(levels, target):
    """The scalar solver's bracket and safeguarded Newton, elementwise."""
    import numpy as np

    eps = FLOAT64.eps
    log_target = np.log(target)

    def f_and_slope(beta, lt):
        _, var, excess = _moments_array(levels, beta)
        pos = excess > 0
        safe = np.where(pos, excess, 1.0)
        f = np.where(pos, np.log(safe) - lt, -math.inf)
        slope = np.where(pos, -beta * var / safe, 0.0)
        return f, slope

    m = target.shape[0]
    lo = np.zeros(m)
    hi = np.full(m, 1 / _energy_scale(FLOAT64, levels))
    f_hi, _ = f_and_slope(hi, log_target)
    steps = 0
    while True:
        up = f_hi > 0
        if not up.any():
            break
        lo[up] = hi[up]
        hi[up] = hi[up] * 4
        f_hi[up], _ = f_and_slope(hi[up], log_target[up])
        steps += 1
        if steps > 4000:
            raise ValueError("could not bracket beta for some excess entropies")
    out = np.full(m, math.nan)
    ok = np.zeros(m, dtype=bool)
    idx = np.arange(m)
    beta = (lo + hi) / 2
    lt = log_target
    for _ in range(100 + 2 * 53):
        f, slope = f_and_slope(beta, lt)
        right = f > 0
        lo = np.where(right, beta, lo)
        hi = np.where(right, hi, beta)
        newton = (slope != 0) & ~np.isinf(f)
        step = np.where(newton, f / np.where(newton, slope, 1.0), 0.0)
        candidate = beta - step
        done = newton & (np.abs(step) <= 4 * eps * np.abs(candidate))
        result = candidate.copy()
        candidate = np.where(newton, candidate, lo - 1)
        inside = (lo < candidate) & (candidate < hi)
        candidate = np.where(inside, candidate, (lo + hi) / 2)
        close = ~done & (np.abs(candidate - beta) <= 4 * eps * np.abs(candidate))
        result = np.where(close, candidate, result)
        narrow = ~done & ~close & (hi - lo <= 4 * eps * hi)
        result = np.where(narrow, (lo + hi) / 2, result)
        finished = done | close | narrow
        out[idx[finished]] = result[finished]
        ok[idx[finished]] = True
        keep = ~finished
        if not keep.any():
            break
        idx, beta, lo, hi, lt = idx[keep], candidate[keep], lo[keep], hi[keep], lt[keep]
    return out, ok
