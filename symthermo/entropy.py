"""Von Neumann entropy, relative entropy and mutual information (in nats).

Eigenvalue multiplicities are kept and 0 ln 0 = 0 exactly; compare
SymPy's own ``density.entropy``, which takes ``eigenvals().keys()`` and so
gives ln(2)/2 for the maximally mixed qubit.

>>> import sympy
>>> from symthermo.entropy import von_neumann_entropy
>>> von_neumann_entropy(sympy.eye(2) / 2)
log(2)
>>> von_neumann_entropy(sympy.eye(3) / 3)
log(3)
"""

from __future__ import annotations

from .numbers import EXACT, FLOAT64, NumberSystem
from .precision import rounded, scope
from .states import checked_state, density_spectrum

__all__ = [
    "entropy_of_spectrum",
    "entropy_of_distribution",
    "binary_entropy",
    "von_neumann_entropy",
    "relative_entropy",
    "mutual_information",
]


def entropy_of_spectrum(lib: NumberSystem, probabilities):
    """-sum p ln p over a list of probabilities (multiplicities as repeats)."""
    total = lib.zero
    for p in probabilities:
        total -= lib.xlogx(p)
    return total


def entropy_of_distribution(lib: NumberSystem, probabilities):
    """:func:`entropy_of_spectrum` of probabilities that sum to exactly 1 (a model's
    populations, whatever their rounding): in float64 and mpmath a largest probability
    above 1/2 enters as -p ln(1 - rest), with log1p(-rest), rest the sum of the others.
    Its logarithm is then not taken of the rounded p, which near a pure state keeps only
    the digits of 1 - p that survive the rounding (a qutrit at beta = 20, p = 1 - 2e-9:
    9 digits of S instead of 16), as :func:`binary_entropy` does for two.  In balls
    likewise: a ball about 1 carries only its absolute radius, which hid S = 1e-727 of
    a qutrit at beta_1 omega_1 = 1681 (balls at any precision tried: 0 +/- 1e-36).
    (A state given as numbers is what it is: :func:`entropy_of_spectrum` is exact for
    it.)

    >>> import mpmath
    >>> from symthermo.numbers import FLOAT64
    >>> from symthermo.entropy import entropy_of_distribution
    >>> small = [1e-9, 3e-20]
    >>> s = entropy_of_distribution(FLOAT64, small + [1 - sum(small)])
    >>> with mpmath.workdps(40):
    ...     q = [mpmath.mpf(x) for x in small]
    ...     exact = -sum(x * mpmath.log(x) for x in q) - (1 - sum(q)) * mpmath.log1p(-sum(q))
    ...     print(abs(s - exact) / exact < 4e-16)
    True
    """
    probabilities = list(probabilities)
    if len(probabilities) > 2 and lib is not EXACT:
        # (balls: a top not proven the largest is proven above 1/2 only if it is the
        # largest; the exact probabilities sum to 1, so log1p(-rest) encloses ln p)
        top = max(range(len(probabilities)), key=probabilities.__getitem__)
        if probabilities[top] > 0.5:
            total, rest = lib.zero, lib.zero
            for k, p in enumerate(probabilities):
                if k != top:
                    total -= lib.xlogx(p)
                    rest += p
            return total - probabilities[top] * lib.log1p(-rest)
    return entropy_of_spectrum(lib, probabilities)


def binary_entropy(lib: NumberSystem, p):
    """-p ln p - (1 - p) ln(1 - p), the second logarithm as log1p(-p).

    ln(1 - p) is not computed from the rounded 1 - p, so the term p + O(p^2)
    it contributes survives for p below the float64 epsilon:

    >>> import mpmath
    >>> from symthermo.numbers import FLOAT64
    >>> from symthermo.entropy import binary_entropy
    >>> h = binary_entropy(FLOAT64, 1e-20)
    >>> with mpmath.workdps(40):
    ...     p = mpmath.mpf(1e-20)
    ...     exact = -p * mpmath.log(p) - (1 - p) * mpmath.log(1 - p)
    ...     print(abs(h - exact) / exact < 4e-16)
    True
    """
    q = 1 - p
    first = -lib.xlogx(p)
    if lib.is_exact_zero(q):
        return first
    return first - q * lib.log1p(-p)


def von_neumann_entropy(rho, *, dps=None):
    """S(rho) = -Tr rho ln rho.

    Parameters
    ----------
    rho : array_like, mpmath.matrix or sympy.Matrix
        Density matrix.
    dps : int, optional
        Digits of an mpmath evaluation; float64 when omitted (unless rho is
        mpmath or SymPy).

    >>> from symthermo.entropy import von_neumann_entropy
    >>> import mpmath
    >>> mpmath.nstr(von_neumann_entropy([["1 - 1e-14", 0], [0, "1e-14"]], dps=30), 30)
    '3.32361913019166345762518803655e-13'
    """
    with scope(rho, dps=dps) as (lib, digits):
        _, spectrum = checked_state(rho, lib=lib)
        value = entropy_of_spectrum(lib, spectrum)
        if lib is EXACT:
            return _simplify_log(value)
        return rounded(value, digits)


def _simplify_log(value):
    import sympy

    out = sympy.simplify(sympy.expand_log(value, force=True))
    return sympy.logcombine(out) if out.count(sympy.log) > 1 else out


def relative_entropy(rho, sigma, *, dps=None):
    """D(rho || sigma) = Tr rho (ln rho - ln sigma).

    ``inf`` only when the support of rho is not contained in that of sigma:
    rho has weight (above the tolerance) on an eigenvector of sigma whose
    eigenvalue is 0.  A positive eigenvalue of sigma, however small, is
    kept: D(rho || diag(1 - 1e-300, 1e-300)) is finite.

    >>> import numpy as np
    >>> from symthermo.entropy import relative_entropy
    >>> relative_entropy(np.diag([1.0, 0.0]), np.diag([0.5, 0.5]))
    0.6931471805599453
    >>> relative_entropy(np.diag([0.5, 0.5]), np.diag([1.0, 0.0]))
    inf
    >>> d = relative_entropy(np.diag([0.5, 0.5]), np.diag([1.0 - 1e-13, 1e-13]))   # finite
    >>> import math
    >>> abs(d - (-math.log(2) - math.log1p(-1e-13) / 2 - math.log(1e-13) / 2)) < 1e-14
    True
    """
    with scope(rho, sigma, dps=dps) as (lib, digits):
        R, spectrum = checked_state(rho, name="rho", lib=lib)
        n = lib.size(R)
        Sg, _ = checked_state(sigma, name="sigma", dim=n, lib=lib)
        value = _relative_entropy(lib, R, Sg, spectrum)
        if lib is EXACT:
            return _simplify_log(value)
        return rounded(value, digits)


def _relative_entropy(lib, R, Sg, spectrum=None):
    if spectrum is None:
        spectrum = density_spectrum(R, lib=lib)
    minus_s = -entropy_of_spectrum(lib, spectrum)
    n = lib.size(Sg)
    if lib is not EXACT and _diagonal(lib, Sg):
        # sigma's eigenvalues are its diagonal, exactly, and its eigenvectors the basis:
        # only an eigenvalue that is not positive is a kernel direction
        pairs = [(lib.real(Sg[k, k]), lib.real(R[k, k])) for k in range(n)]
        noise = lib.zero
    else:
        vals, vecs = lib.eigh(Sg)
        pairs = [(vals[k], lib.real(lib.sandwich(lib.column(vecs, k), R))) for k in range(n)]
        # eigenvalues within the eigensolver's rounding of 0 are 0 (density_spectrum's rule)
        noise = None if lib is EXACT else (2 if lib is FLOAT64 else 10) * n * lib.eps * max(
            lib.one, lib.norm(Sg))
    cross = lib.zero
    for s, weight in pairs:
        if lib is EXACT:
            weight = weight.simplify() if hasattr(weight, "simplify") else weight
            if s == 0:
                if weight != 0:
                    return lib.inf
                continue
        else:
            if s <= noise:
                if weight > lib.tolerance:
                    return lib.inf
                continue
            if weight <= 0:
                continue  # 0 ln s = 0 (a weight rounded below 0 included)
        cross += weight * lib.log(s)
    return minus_s - cross


def _diagonal(lib, M):
    if lib is FLOAT64:
        from .states import _is_diagonal_array

        return _is_diagonal_array(M)
    n = lib.size(M)
    return all(M[i, j] == 0 for i in range(n) for j in range(n) if i != j)


def mutual_information(rho, dims, *, parties=None, dps=None):
    """I = sum_i S(rho_i) - S(rho) for a partition of the subsystems.

    Parameters
    ----------
    rho : matrix
        Joint state on the tensor product of subsystems of dimensions ``dims``.
    dims : sequence of int
    parties : sequence of sequences of int, optional
        The groups of subsystems; each subsystem its own party by default
        (the N-party total correlation, EL23 Eq. S30).

    >>> import numpy as np
    >>> from symthermo.entropy import mutual_information
    >>> bell = np.zeros((4, 4)); bell[0, 0] = bell[0, 3] = bell[3, 0] = bell[3, 3] = 0.5
    >>> print(f"{mutual_information(bell, [2, 2]):.12f}")    # 2 ln 2
    1.386294361120
    """
    from .states import computed_tolerance, partial_trace

    with scope(rho, dps=dps) as (lib, digits):
        M, spectrum = checked_state(rho, lib=lib)
        if parties is None:
            parties = [[k] for k in range(len(dims))]
        flat = sorted(k for p in parties for k in p)
        if flat != list(range(len(dims))):
            raise ValueError(f"parties {parties} must partition the subsystems 0..{len(dims) - 1}")
        total = -entropy_of_spectrum(lib, spectrum)
        bound = computed_tolerance(M, lib) if lib is not EXACT else None
        for p in parties:
            reduced = partial_trace(M, dims, p, lib=lib)
            total += entropy_of_spectrum(lib, density_spectrum(
                reduced, name=f"reduced state of {p}", lib=lib, tolerance=bound, computed=True))
        if lib is EXACT:
            return _simplify_log(total)
        return rounded(total, digits)
