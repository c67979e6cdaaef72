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

from .numbers import EXACT, NumberSystem
from .precision import rounded, scope
from .states import check_density_matrix, density_spectrum

__all__ = [
    "entropy_of_spectrum",
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


def binary_entropy(lib: NumberSystem, p):
    """-p ln p - (1 - p) ln(1 - p)."""
    return entropy_of_spectrum(lib, [p, 1 - p])


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
        M = check_density_matrix(rho, lib=lib)
        value = entropy_of_spectrum(lib, density_spectrum(M, lib=lib))
        if lib is EXACT:
            return _simplify_log(value)
        return rounded(value, digits)


def _simplify_log(value):
    import sympy

    out = sympy.simplify(sympy.expand_log(value, force=True))
    return sympy.logcombine(out) if out.count(sympy.log) > 1 else out


def relative_entropy(rho, sigma, *, dps=None):
    """D(rho || sigma) = Tr rho (ln rho - ln sigma).

    ``inf`` only when the support of rho is not contained in that of sigma
    (weight of rho on the kernel of sigma above the tolerance).

    >>> import numpy as np
    >>> from symthermo.entropy import relative_entropy
    >>> relative_entropy(np.diag([1.0, 0.0]), np.diag([0.5, 0.5]))
    0.6931471805599453
    >>> relative_entropy(np.diag([0.5, 0.5]), np.diag([1.0, 0.0]))
    inf
    """
    with scope(rho, sigma, dps=dps) as (lib, digits):
        R = check_density_matrix(rho, name="rho", lib=lib)
        n = lib.size(R)
        Sg = check_density_matrix(sigma, name="sigma", dim=n, lib=lib)
        value = _relative_entropy(lib, R, Sg)
        if lib is EXACT:
            return _simplify_log(value)
        return rounded(value, digits)


def _relative_entropy(lib, R, Sg):
    minus_s = -entropy_of_spectrum(lib, density_spectrum(R, lib=lib))
    vals, vecs = lib.eigh(Sg)
    n = len(vals)
    cross = lib.zero
    for k in range(n):
        v = lib.column(vecs, k)
        weight = lib.real(lib.sandwich(v, R))
        s = vals[k]
        if lib is EXACT:
            weight = weight.simplify() if hasattr(weight, "simplify") else weight
            if s == 0:
                if weight != 0:
                    return lib.inf
                continue
        else:
            if s <= lib.tolerance:
                if weight > lib.tolerance:
                    return lib.inf
                continue
        cross += weight * lib.log(s)
    return minus_s - cross


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
    from .states import partial_trace

    with scope(rho, dps=dps) as (lib, digits):
        M = check_density_matrix(rho, lib=lib)
        if parties is None:
            parties = [[k] for k in range(len(dims))]
        flat = sorted(k for p in parties for k in p)
        if flat != list(range(len(dims))):
            raise ValueError(f"parties {parties} must partition the subsystems 0..{len(dims) - 1}")
        total = -entropy_of_spectrum(lib, density_spectrum(M, lib=lib))
        for p in parties:
            reduced = partial_trace(M, dims, p, lib=lib)
            total += entropy_of_spectrum(lib, density_spectrum(reduced, lib=lib))
        if lib is EXACT:
            return _simplify_log(total)
        return rounded(total, digits)
