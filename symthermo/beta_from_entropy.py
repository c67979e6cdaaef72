"""The entropy-matched inverse temperature (EL23 Eq. 3): the beta >= 0 whose
thermal state has a given entropy, in every number system (``lib`` first).

Two non-degenerate levels have it in closed form from the spectrum,
ln(p_hi/p_lo)/gap without loss near beta = 0 and for subnormal populations;
otherwise S_thermal(beta) = S is bracketed and solved by safeguarded Newton on
the logarithm of the entropy above ln g0, smooth from beta = 0 to the
exponentially small entropies of near-pure states.  Balls bring their own proven
bracket (:meth:`symthermo.balls.BALLS.beta_for_entropy <symthermo.balls._Balls.beta_for_entropy>`).
"""

from __future__ import annotations

from .entropy import entropy_of_spectrum
from .errors import DegenerateGroundError
from .levels import Levels, Oscillator
from .numbers import EXACT, FLOAT64, MPMATH, NumberSystem
from .thermal_functions import _max_entropy, _min_entropy, _thermal_moments

__all__ = ["beta_for_entropy"]


def _beta_of_spectrum(lib, levels, spectrum, entropy=None):
    """beta from the state's eigenvalues: closed form for two levels, else solved from
    ``entropy`` (the spectrum's, when not given)."""
    if isinstance(levels, Levels) and len(levels.energies) == 2 and levels.ground_degeneracy == 1:
        lo, hi = spectrum[0], spectrum[-1]
        if lib is EXACT and not all(x.is_number for x in spectrum):
            import sympy

            lo, hi = sympy.Min(*spectrum), sympy.Max(*spectrum)
            return sympy.log(hi / lo) / levels.gaps[1]
        if lib.is_exact_zero(lo):
            return lib.inf
        if lib is EXACT:
            return lib.log(hi / lo) / levels.gaps[1]
        return _log_ratio(lib, hi, lo) / levels.gaps[1]
    if entropy is None:
        entropy = entropy_of_spectrum(lib, spectrum)
    return beta_for_entropy(lib, levels, entropy)


def _log_ratio(lib, hi, lo):
    """ln(hi/lo) for 0 < lo <= hi without loss: log1p((hi - lo)/lo) when hi <= 2 lo
    (hi - lo is then exact, Sterbenz, so beta near 0 keeps its relative precision),
    ln hi - ln lo otherwise (hi/lo would overflow for a subnormal lo: a Gibbs qubit
    at beta = 740 has lo = e^-740 = 4e-322)."""
    near = hi <= 2 * lo
    if hasattr(near, "bools"):  # columns of balls: each time its own branch
        from .ball_columns import when

        return when(near, lambda: lib.log1p((hi - lo) / lo), lambda: lib.log(hi) - lib.log(lo))
    if near:
        return lib.log1p((hi - lo) / lo)
    return lib.log(hi) - lib.log(lo)


def _thermal_mean_of_spectrum(lib, levels, spectrum, beta):
    """<H - E0> of the thermal state with the spectrum's entropy, at its beta.

    For two non-degenerate levels that thermal state has the spectrum's own
    populations, so its energy is gap * lo / (lo + hi): no round trip through
    exp(-beta gap) (whose rounding, beta gap ulps, would leave a Gibbs qubit at
    beta = 700 a relative exergy of 1e-13 instead of 0).  Exact SymPy keeps the
    closed form in beta.
    """
    if (lib is not EXACT and isinstance(levels, Levels) and len(levels.energies) == 2
            and levels.ground_degeneracy == 1):
        lo, hi = spectrum[0], spectrum[-1]
        if lib.is_exact_zero(lo):
            return lib.zero
        return levels.gaps[1] * (lo / (lo + hi))
    mean, _, _ = _thermal_moments(lib, levels, beta)
    return mean


def beta_for_entropy(lib: NumberSystem, levels, entropy):
    """Solve S_thermal(beta) = entropy: a bracket, then safeguarded Newton.

    Newton acts on f(beta) = ln[S(beta) - ln g0] - ln[entropy - ln g0],
    with f' = -beta Var(H) / [S(beta) - ln g0], which is smooth from
    beta = 0 to the exponentially small entropies of near-pure states.
    """
    if hasattr(lib, "beta_for_entropy"):  # balls: a proven bracket (symthermo.balls)
        return lib.beta_for_entropy(levels, entropy)
    if lib is EXACT:
        if entropy == _max_entropy(lib, levels):
            return lib.zero
        if entropy == _min_entropy(lib, levels) and (
                isinstance(levels, Oscillator) or levels.ground_degeneracy == 1):
            return lib.inf
        raise ValueError("beta has no closed form for more than two levels; "
                         "evaluate with dps=N for an arbitrary-precision value")
    if isinstance(levels, Levels) and len(set(levels.gaps)) == 1:
        # H proportional to the identity: every thermal state is maximally mixed
        if abs(entropy - _max_entropy(lib, levels)) <= lib.tolerance * 10:
            return lib.zero
        raise ValueError(f"H is proportional to the identity, so only the maximally mixed "
                         f"state has a thermal partner; S(rho) = {entropy}")
    s_max = _max_entropy(lib, levels)
    s_min = _min_entropy(lib, levels)
    tol = lib.tolerance * 10
    if entropy > s_max + tol:
        raise ValueError(f"entropy {entropy} exceeds the maximum ln d = {s_max}")
    if not lib.isinf(s_max) and s_max - entropy <= _zero_tolerance(lib, levels, s_max, tol):
        return lib.zero
    target = entropy - s_min
    if target < -tol and isinstance(levels, Oscillator):
        raise ValueError(f"no thermal state has entropy {_fmt(entropy)}: an entropy is >= 0")
    if target < -tol:
        g0 = levels.ground_degeneracy
        raise DegenerateGroundError(
            f"no thermal state has entropy {_fmt(entropy)}: the ground level is {g0}-fold "
            f"degenerate, so thermal entropies are >= ln {g0} = {_fmt(s_min)}")
    if target <= 0:
        return lib.inf
    return _solve_beta(lib, levels, target)


def _zero_tolerance(lib, levels, s_max, tol):
    """How close to ln d an entropy is the maximally mixed state's.

    In float64 the rounding of S itself (8 d eps ln d): beta near 0 is
    ill-conditioned (ln d - S ~ beta^2 Var/2) but still has digits there, a
    Gibbs qutrit at beta = 1e-6 gets beta to ~1e-2 instead of 0.  Entropies
    up to ``tol`` above ln d (a state with its trace off by the input
    tolerance) are still 0, not an error.
    """
    if lib is FLOAT64:
        return 8 * len(levels.energies) * lib.eps * max(1.0, float(s_max))
    return tol


def _fmt(x):
    try:
        import mpmath

        return mpmath.nstr(x, 12)
    except Exception:  # pragma: no cover
        return str(x)


def _solve_beta(lib, levels, target):
    log_target = lib.log(target)

    def f_and_slope(beta):
        _, var, excess = _thermal_moments(lib, levels, beta)
        if excess <= 0:  # underflow far out: the excess entropy is below the smallest number
            return -lib.inf, lib.zero
        return lib.log(excess) - log_target, -beta * var / excess

    scale = _energy_scale(lib, levels)
    lo, hi = lib.zero, 1 / scale
    f_hi, _ = f_and_slope(hi)
    steps = 0
    while f_hi > 0:
        lo, hi = hi, hi * 4
        f_hi, _ = f_and_slope(hi)
        steps += 1
        if steps > 4000:
            raise ValueError(f"could not bracket beta for excess entropy {target}")
    beta = (lo + hi) / 2
    # enough for bisection alone to exhaust the working precision
    max_iter = 100 + 2 * _precision_bits(lib)
    for iteration in range(max_iter):
        f, slope = f_and_slope(beta)
        if f > 0:
            lo = beta
        else:
            hi = beta
        if slope != 0 and not lib.isinf(f):
            step = f / slope
            candidate = beta - step
            if abs(step) <= 4 * lib.eps * abs(candidate):
                # converged: without this return a Newton step of rounding size that
                # lands on the bracket's edge fell back to ~100 bisections
                return candidate
        else:
            candidate = lo - 1  # force bisection
        if not (lo < candidate < hi) or iteration >= 50:
            # Newton has had its chance: an entropy with few bits (a subnormal one,
            # 1e-321) rounds f so coarsely that its steps wander; bisection does not
            candidate = (lo + hi) / 2
        if abs(candidate - beta) <= 4 * lib.eps * abs(candidate):
            return candidate
        if hi - lo <= 4 * lib.eps * hi:
            return (lo + hi) / 2
        beta = candidate
    raise ValueError(f"beta did not converge for excess entropy {target}")


def _precision_bits(lib):
    if lib is MPMATH:
        import mpmath

        return mpmath.mp.prec
    return 53


def _energy_scale(lib, levels):
    if isinstance(levels, Oscillator):
        return levels.omega
    return levels.gaps[-1]
