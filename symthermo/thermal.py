"""Thermal states and the entropy-matched inverse temperature (EL23 Eq. 3).

A Hamiltonian is either a Hermitian matrix (finitely many levels) or an
:class:`Oscillator`, whose thermal functions are the analytic
infinite-dimensional ones, never those of a truncated thermal state:
n(beta) = 1/(e^{beta omega} - 1), S(n) = (n+1) ln(n+1) - n ln n and
beta(n) = ln(1 + 1/n)/omega.

beta(rho, H) is the beta >= 0 with S[exp(-beta H)/Z] = S[rho]: ``inf`` for a
pure state when the ground level is non-degenerate, ``0`` for the maximally
mixed state.  The thermal entropy decreases from ln d to ln g0 (g0 the
ground degeneracy); an entropy below ln g0 has no thermal state and raises
:class:`~symthermo.errors.DegenerateGroundError`.

>>> import numpy as np
>>> from symthermo.thermal import entropy_matched_beta
>>> H = np.diag([0.0, 1.0])
>>> p = 1 / (1 + np.exp(-2.0))
>>> round(entropy_matched_beta(np.diag([p, 1 - p]), H), 12)
2.0
>>> entropy_matched_beta(np.diag([1.0, 0.0]), H)
inf
>>> entropy_matched_beta(np.diag([0.5, 0.5]), H)
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .entropy import entropy_of_spectrum
from .errors import DegenerateGroundError
from .numbers import EXACT, FLOAT64, MPMATH, NumberSystem
from .precision import rounded, scope
from .states import check_hamiltonian, checked_state

__all__ = [
    "Oscillator",
    "Levels",
    "levels_of",
    "thermal_state",
    "thermal_energy",
    "thermal_entropy",
    "thermal_populations",
    "entropy_matched_beta",
    "beta_for_entropy",
    "oscillator_entropy",
    "oscillator_occupation",
    "oscillator_deficit",
    "beta_for_entropy_array",
    "thermal_mean_array",
]


@dataclass(frozen=True)
class Oscillator:
    """H = omega a^dag a (+ offset): levels offset + omega k, k = 0, 1, 2, ...

    States of an oscillator are given as matrices in the Fock basis
    |0>, |1>, ..., |n_max>; its thermal functions are analytic.
    """

    omega: object = 1
    offset: object = 0

    def __post_init__(self):
        try:
            positive = float(self.omega) > 0
        except (TypeError, ValueError):
            positive = True  # symbolic
        if not positive:
            raise ValueError(f"oscillator frequency must be positive, got {self.omega}")


@dataclass(frozen=True)
class Levels:
    """Finitely many energy levels, ascending, multiplicities kept."""

    energies: tuple
    ground_degeneracy: int

    @property
    def ground(self):
        return self.energies[0]

    @property
    def gaps(self):
        """Energies above the ground level (ground-level entries are exact 0)."""
        e0 = self.energies[0]
        return tuple(e - e0 if k >= self.ground_degeneracy else 0 * e0
                     for k, e in enumerate(self.energies))

    @property
    def is_qubit(self):
        """Two non-degenerate levels."""
        return len(self.energies) == 2 and self.ground_degeneracy == 1

    def passive_diagonal_qubit(self, above):
        """Whether a qubit state diagonal in the energy basis with mean energy
        ``above`` over the ground level is passive: p_e = above/gap < 1/2.

        Such a state is the Gibbs state of beta = ln(p_g/p_e)/gap, which is its
        entropy-matched beta: its ergotropy and exergy are exactly 0 and
        E^th = E (a structural zero, the same on every route).  Works on
        numbers, numpy arrays (elementwise) and balls (True only when proven).

        >>> from symthermo.thermal import Levels
        >>> Levels((-0.5, 0.5), 1).passive_diagonal_qubit(0.25)
        True
        """
        return above < self.gaps[1] / 2


def levels_of(H, lib: NumberSystem):
    """``Levels`` of a Hermitian matrix, or the ``Oscillator`` itself."""
    if isinstance(H, Oscillator):
        return Oscillator(lib.number(H.omega) if lib is not EXACT else _sym(H.omega),
                          lib.number(H.offset) if lib is not EXACT else _sym(H.offset))
    if isinstance(H, Levels):
        return H
    M = check_hamiltonian(H, lib=lib)
    energies = list(lib.eigvalsh(M))
    e0 = energies[0]
    if lib is EXACT:
        g0 = sum(1 for e in energies if (e - e0).is_zero is True) if all(
            e.is_number for e in energies) else 1
    else:
        # relative to the energies themselves: a qubit of gap 1e-10 is not degenerate
        # because the working precision is 20 digits (max(1, |E|) made it so)
        scale = max(abs(e) for e in energies) or lib.one
        if lib is MPMATH:
            # mpmath: the eigenvalues' rounding (guard digits included) beside the largest,
            # or dps digits of the pair itself: levels 0 and 1 beside 1e10 at dps 10 are two
            def same(e):
                return (e - e0 <= 64 * lib.eps * scale
                        or e - e0 <= lib.tolerance * max(abs(e0), abs(e)))
        else:
            def same(e):
                return e - e0 <= lib.tolerance * scale
        # (e is e0: a ball minus itself is a ball about 0, not a proven 0)
        g0 = sum(1 for e in energies if e is e0 or same(e))
        energies = [e0] * g0 + energies[g0:]
    return Levels(tuple(energies), g0)


def _sym(x):
    import sympy

    return sympy.sympify(x)


# -- thermal functions of a spectrum, written once for every number system --

def _boltzmann_weights(lib, levels: Levels, beta):
    """exp(-beta (E_k - E_0)) for each level (ground entries exactly 1)."""
    weights = []
    for k, gap in enumerate(levels.gaps):
        if k < levels.ground_degeneracy:
            weights.append(lib.one)
        elif lib is not EXACT and lib.isinf(beta):
            weights.append(lib.zero)
        else:
            weights.append(lib.exp(-beta * gap))
    return weights


def thermal_populations(lib, levels: Levels, beta):
    """Populations of exp(-beta H)/Z on the ascending levels."""
    if isinstance(levels, Oscillator):
        raise TypeError("an oscillator has infinitely many thermal populations; "
                        "use oscillator_occupation for its mean number")
    w = _boltzmann_weights(lib, levels, beta)
    z = _sum(lib, w)
    return [x / z for x in w]


def _sum(lib, terms):
    if lib is MPMATH:
        import mpmath

        return mpmath.fsum(terms)
    total = lib.zero
    for t in terms:
        total += t
    return total


def _thermal_moments(lib, levels, beta):
    """(mean of E - E0, variance of E, entropy in excess of ln g0) at beta."""
    if isinstance(levels, Oscillator):
        w = levels.omega
        if lib is not EXACT and lib.isinf(beta):
            return lib.zero, lib.zero, lib.zero
        n = oscillator_occupation(lib, w, beta)
        excess = beta * w * n - _log1mexp(lib, beta * w)
        return w * n, w * w * n * (n + 1), excess
    p = thermal_populations(lib, levels, beta)
    gaps = levels.gaps
    mean = _sum(lib, [pk * gk for pk, gk in zip(p, gaps)])
    var = _sum(lib, [pk * (gk - mean) ** 2 for pk, gk in zip(p, gaps)])
    g0 = levels.ground_degeneracy
    if lib is not EXACT and lib.isinf(beta):
        return mean, var, lib.zero
    excited = _sum(lib, _boltzmann_weights(lib, levels, beta)[g0:])
    excess = beta * mean + lib.log1p(excited / g0)
    return mean, var, excess


def _log1mexp(lib, x):
    """ln(1 - e^{-x}) for x > 0 without cancellation: ln(-expm1(-x)) for small x
    (1 - e^{-x} is computed, not subtracted), log1p(-e^{-x}) for large x."""
    if lib is EXACT:
        import sympy

        return sympy.log(1 - sympy.exp(-x))
    if x <= 0.6931471805599453:
        return lib.log(-lib.expm1(-x))
    return lib.log1p(-lib.exp(-x))


def oscillator_occupation(lib, omega, beta):
    """n(beta) = 1/(exp(beta omega) - 1), numerically e^{-x}/(1 - e^{-x}) with
    1 - e^{-x} = -expm1(-x): accurate from x = beta omega -> 0 to x far beyond
    the overflow of e^x (n then underflows to 0 instead of raising)."""
    if lib is EXACT:
        return 1 / lib.expm1(beta * omega)
    if lib.isinf(beta):
        return lib.zero
    x = beta * omega
    return lib.exp(-x) / -lib.expm1(-x)


def oscillator_entropy(lib, n):
    """S(n) = (n + 1) ln(n + 1) - n ln n (0 at n = 0), ln(n + 1) as log1p(n).

    For n below the float64 epsilon n + 1 rounds to 1, and (n + 1) ln(n + 1)
    computed from it would drop the term n of S = n (1 - ln n) + O(n^2):

    >>> import math
    >>> from symthermo.numbers import FLOAT64
    >>> from symthermo.thermal import oscillator_entropy
    >>> n = 1e-20
    >>> s = n * (1 - math.log(n))              # + O(n^2), far below the rounding of s
    >>> abs(oscillator_entropy(FLOAT64, n) - s) <= 4e-16 * s
    True
    """
    if lib is EXACT:
        return lib.xlogx(n + 1) - lib.xlogx(n)
    if n >= 1:
        # n ln(1 + 1/n) + ln(1 + n): two positive terms (the form above cancels
        # (n + 1) ln(n + 1) against n ln n, losing n eps)
        return n * lib.log1p(1 / n) + lib.log1p(n)
    return (n + 1) * lib.log1p(n) - lib.xlogx(n)


def _max_entropy(lib, levels):
    if isinstance(levels, Oscillator):
        return lib.inf
    return lib.log(lib.number(len(levels.energies)) if lib is not EXACT else len(levels.energies))


def _min_entropy(lib, levels):
    if isinstance(levels, Oscillator):
        return lib.zero
    g0 = levels.ground_degeneracy
    return lib.log(lib.number(g0) if lib is not EXACT else g0) if g0 > 1 else lib.zero


# -- public functions ---------------------------------------------------------

def thermal_state(H, beta, *, dps=None):
    """exp(-beta H)/Z as a matrix (beta may be ``inf``: the ground projector / g0).

    >>> import numpy as np
    >>> from symthermo.thermal import thermal_state
    >>> thermal_state(np.diag([0.0, 0.0, 1.0]), float("inf")).real.diagonal()
    array([0.5, 0.5, 0. ])
    """
    if isinstance(H, Oscillator):
        raise TypeError("an oscillator has no finite thermal-state matrix; its thermal "
                        "functions are analytic (see thermal_energy, thermal_entropy)")
    with scope(H, beta, dps=dps) as (lib, digits):
        M = check_hamiltonian(H, lib=lib)
        b = _beta_value(lib, beta)
        vals, vecs = lib.eigh(M)
        levels = levels_of(M, lib)
        p = thermal_populations(lib, levels, b)
        # levels_of sorts ascending like eigh, so p matches vals in order
        out = lib.zeros(lib.size(M))
        for k in range(len(vals)):
            out = out + p[k] * lib.projector(lib.column(vecs, k))
        return _round_matrix(lib, out, digits)


def _round_matrix(lib, M, digits):
    if lib is MPMATH and digits is not None:
        from .precision import rounded

        return rounded(M, digits)
    if lib is EXACT:
        return M.applyfunc(lambda x: x.simplify())
    return M


def _beta_value(lib, beta):
    if isinstance(beta, str) and beta.strip().lower() in ("inf", "+inf", "oo"):
        return lib.inf
    if lib is EXACT:
        return _sym(beta)
    b = lib.number(beta) if not isinstance(beta, float) else beta
    if lib is MPMATH:
        import mpmath

        b = mpmath.mpmathify(b)
    if b < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    return b


def thermal_energy(H, beta, *, dps=None):
    """Tr[H exp(-beta H)]/Z (analytic for an oscillator).

    >>> from symthermo.thermal import thermal_energy, Oscillator
    >>> import mpmath
    >>> mpmath.nstr(thermal_energy(Oscillator(1), "0.5", dps=20), 20)
    '1.5414940825367982841'
    """
    with scope(H, beta, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        b = _beta_value(lib, beta)
        return rounded(_energy(lib, levels, b), digits)


def _energy(lib, levels, beta):
    mean, _, _ = _thermal_moments(lib, levels, beta)
    base = levels.offset if isinstance(levels, Oscillator) else levels.ground
    return base + mean


def thermal_entropy(H, beta, *, dps=None):
    """S[exp(-beta H)/Z] (analytic for an oscillator)."""
    with scope(H, beta, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        b = _beta_value(lib, beta)
        _, _, excess = _thermal_moments(lib, levels, b)
        return rounded(_min_entropy(lib, levels) + excess, digits)


def entropy_matched_beta(rho, H, *, dps=None):
    """The beta >= 0 with S[exp(-beta H)/Z] = S[rho] (EL23 Eq. 3).

    Parameters
    ----------
    rho : matrix
        Density matrix (for an :class:`Oscillator`, in the Fock basis).
    H : matrix or Oscillator
    dps : int, optional
        Digits of an mpmath evaluation.

    Returns ``inf`` for a pure state (non-degenerate ground level) and ``0``
    for the maximally mixed state.

    >>> from symthermo.thermal import entropy_matched_beta, Oscillator
    >>> import mpmath
    >>> beta = entropy_matched_beta([["3/4", 0], [0, "1/4"]], Oscillator(1), dps=25)
    >>> with mpmath.workdps(30):     # S(n) at n = 1/(e^beta - 1) against S(rho)
    ...     n = 1 / mpmath.expm1(beta)
    ...     s_thermal = (n + 1) * mpmath.log(n + 1) - n * mpmath.log(n)
    ...     s_rho = -mpmath.mpf(3)/4 * mpmath.log(mpmath.mpf(3)/4) + mpmath.log(4) / 4
    ...     print(abs(s_thermal - s_rho) < mpmath.mpf(10)**-24)
    True
    """
    with scope(rho, H, dps=dps) as (lib, digits):
        levels = levels_of(H, lib)
        dim = None if isinstance(levels, Oscillator) else len(levels.energies)
        _, spectrum = checked_state(rho, lib=lib, dim=dim)
        return rounded(_beta_of_spectrum(lib, levels, spectrum), digits)


def _beta_of_spectrum(lib, levels, spectrum):
    """beta from the state's eigenvalues: closed form for two levels, else solved."""
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


# -- vectorised float64: many entropies at once ---------------------------------

def beta_for_entropy_array(levels, entropies):
    """:func:`beta_for_entropy` in float64 for a numpy array of entropies at once.

    ``levels`` is a :class:`Levels` (finitely many levels, float64) or an
    :class:`Oscillator` (float ``omega``).  Same equation and same special
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
    >>> from symthermo.thermal import Oscillator, beta_for_entropy_array
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
    as :func:`_thermal_moments` computes it (beta = inf: 0)."""
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


def _pick(condition, a, b):
    return a if condition else b


class _Elementwise:
    """The few functions :func:`oscillator_deficit` uses, elementwise: numpy ufuncs for
    ``FLOAT64`` (Python floats and numpy arrays alike), mpmath for ``MPMATH``."""

    def __init__(self, lib):
        if lib is FLOAT64:
            import numpy as np

            self.log1p, self.atanh, self.sqrt = np.log1p, np.arctanh, np.sqrt
            self.where, self.any, self.eps = np.where, np.any, FLOAT64.eps
        elif lib is MPMATH:
            import mpmath

            self.log1p, self.atanh, self.sqrt = mpmath.log1p, mpmath.atanh, mpmath.sqrt
            self.where, self.any, self.eps = _pick, bool, mpmath.eps
        else:
            raise TypeError(f"oscillator_deficit: no elementwise form in {lib.name}")


def oscillator_deficit(lib, n):
    """n - m for an oscillator state of spectrum {1 - n, n} (0 <= n <= 1/2), m the mean
    occupation of the thermal state of the same entropy, without the cancellation of
    n - m: on mpmath numbers (``MPMATH``) and on Python floats or numpy arrays,
    elementwise (``FLOAT64``).

    For small n the two agree to O(n/ln(1/n)) relative, so m computed first and
    subtracted loses all of it when n is below the working precision.  Here
    delta = n - m solves g(n) - g(n - delta) = f(n), with g(m) = (1 + m) ln(1 + m) -
    m ln m the thermal entropy and f(n) = g(n) - h(n), h the binary entropy:
    f(n) = (1 + n) ln(1 + n) + (1 - n) ln(1 - n) = 2 n artanh(n) + ln(1 - n^2) =
    sum_k n^2k/(k(2k - 1)), whose last form adds 2 n^2 + O(n^4) to -n^2 + O(n^4): it
    loses about one bit.  The left side is written with log1p so that only delta's own
    rounding is lost.  It is convex and increasing in delta, with slope ln(1 + 1/m) and
    curvature 1/(m (1 + m)): Halley's iteration from the root of its second-order
    expansion about delta = 0 (2.4e-2 relative at n = 1/2, better for smaller n);
    it stops where a step no longer shrinks (rounding) or is below eps^(1/3) delta / 4
    (the convergence is cubic: the next step would be below eps delta / 64).

    >>> import mpmath
    >>> from symthermo.numbers import MPMATH
    >>> from symthermo.thermal import oscillator_deficit
    >>> with mpmath.workdps(30):
    ...     d = oscillator_deficit(MPMATH, mpmath.mpf(10) ** -100)
    >>> with mpmath.workdps(300):   # m from the entropy, at 300 digits
    ...     n = mpmath.mpf(10) ** -100
    ...     s = -n * mpmath.log(n) - (1 - n) * mpmath.log1p(-n)
    ...     m = mpmath.findroot(lambda m: (1 + m) * mpmath.log1p(m) - m * mpmath.log(m) - s,
    ...                         n * (1 - 1 / mpmath.log(1 / n)))
    ...     print(abs(mpmath.re(n - m) / d - 1) < 1e-28)
    True

    On a numpy array, every entry to a few ulps (against the same function at 50 digits):

    >>> import numpy as np
    >>> from symthermo.numbers import FLOAT64
    >>> n = np.array([0.0, 1e-300, 1e-150, 1e-22, 1e-9, 1e-3, 0.1, 0.3, 0.5])
    >>> d = oscillator_deficit(FLOAT64, n)
    >>> with mpmath.workdps(50):
    ...     exact = [oscillator_deficit(MPMATH, mpmath.mpf(float(x))) for x in n]
    >>> bool(d[0] == 0 and d[1] == 0)   # n^2 / ln(1/n) underflows
    True
    >>> max(float(abs(a / b - 1)) for a, b in zip(d[2:], exact[2:])) < 2e-15
    True
    """
    ops = _Elementwise(lib)
    zero = n <= 0
    if ops.any(zero):
        n = ops.where(zero, 0.25, n)  # n = 0 gives delta = 0 (at the end)
    n1 = 1 + n
    f = 2 * n * ops.atanh(n) + ops.log1p(-n * n)
    # start: G(delta) = delta L + delta^2 / (2 n (1 + n)) + O(delta^3) = f solved (within
    # 2.4e-2 relative at n = 1/2, 5e-10 at n = 1e-3)
    over_n = -1 / n
    slope = ops.log1p(-over_n)
    f2 = 2 * f
    delta = f2 / (slope + ops.sqrt(slope * slope + f2 / (n * n1)))
    # Halley: the error goes e -> C delta^2 e^3 with C delta^2 < 1/4 here, so after a
    # step below eps^(1/3) delta / 4 the rest is below eps delta / 64 (two steps at most
    # from this start in float64)
    tol = ops.eps ** (1 / 3) / 4
    active = None
    previous = lib.inf
    for _ in range(100):
        m = n - delta
        m1 = n1 - delta
        log_ratio = ops.log1p(1 / m)  # G'(delta)
        # g(n) - g(m) with m = n - delta, the delta-sized terms in log1p form
        gap = n1 * ops.log1p(delta / m1) + n * ops.log1p(delta * over_n) + delta * log_ratio
        newton = (gap - f) / log_ratio
        step = newton / (1 - newton / (2 * log_ratio * m * m1))  # G'' = 1/(m (1 + m))
        size = abs(step)
        if active is None:  # the first step is taken everywhere
            delta = delta - step
            active = size > tol * delta
        else:
            shrinking = active & (size < previous)  # else rounding: delta is converged
            delta = ops.where(shrinking, delta - step, delta)
            active = shrinking & (size > tol * delta)
        previous = size
        if not ops.any(active):
            return ops.where(zero, 0 * delta, delta) if ops.any(zero) else delta
    if lib is not MPMATH:
        import numpy as np

        n = np.asarray(n)[np.asarray(active, dtype=bool)]
    raise ArithmeticError(f"oscillator_deficit: Halley's iteration did not converge at n = {n}")
