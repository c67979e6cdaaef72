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

from dataclasses import dataclass

from .entropy import entropy_of_spectrum
from .errors import DegenerateGroundError
from .numbers import EXACT, FLOAT64, MPMATH, NumberSystem
from .precision import rounded, scope
from .states import check_density_matrix, check_hamiltonian, density_spectrum

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
        scale = max(lib.one, max(abs(e) for e in energies))
        g0 = sum(1 for e in energies if e - e0 <= lib.tolerance * scale)
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
        excess = beta * w * n - lib.log1p(-lib.exp(-beta * w))
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


def oscillator_occupation(lib, omega, beta):
    """n(beta) = 1/(exp(beta omega) - 1)."""
    if lib is not EXACT and lib.isinf(beta):
        return lib.zero
    return 1 / lib.expm1(beta * omega)


def oscillator_entropy(lib, n):
    """S(n) = (n + 1) ln(n + 1) - n ln n (0 at n = 0)."""
    return lib.xlogx(n + 1) - lib.xlogx(n)


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
        import mpmath

        with mpmath.workdps(digits):
            return M.apply(lambda x: +x)
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
        M = check_density_matrix(rho, lib=lib, dim=dim)
        spectrum = density_spectrum(M, lib=lib)
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
        return lib.log(hi / lo) / levels.gaps[1]
    entropy = entropy_of_spectrum(lib, spectrum)
    return beta_for_entropy(lib, levels, entropy)


def beta_for_entropy(lib: NumberSystem, levels, entropy):
    """Solve S_thermal(beta) = entropy: a bracket, then safeguarded Newton.

    Newton acts on f(beta) = ln[S(beta) - ln g0] - ln[entropy - ln g0],
    with f' = -beta Var(H) / [S(beta) - ln g0], which is smooth from
    beta = 0 to the exponentially small entropies of near-pure states.
    """
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
    if not lib.isinf(s_max) and s_max - entropy <= tol:
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
    for _ in range(max_iter):
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
        if not (lo < candidate < hi):
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
