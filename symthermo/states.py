"""Density matrices and Hamiltonians: checks, spectra, tensor products, partial traces.

Bad input raises ``ValueError`` with the offending value in the message:

>>> import numpy as np
>>> from symthermo.states import check_density_matrix
>>> check_density_matrix(np.diag([0.5, 0.25]))
Traceback (most recent call last):
...
ValueError: rho must have unit trace, got 0.75
"""

from __future__ import annotations

from .numbers import EXACT, FLOAT64, NumberSystem

__all__ = [
    "check_hamiltonian",
    "check_density_matrix",
    "density_spectrum",
    "energy_levels",
    "partial_trace",
    "tensor",
]


def _show(x):
    if isinstance(x, float):
        return repr(x)
    try:
        import mpmath

        if isinstance(x, (mpmath.mpf, mpmath.mpc)):
            return mpmath.nstr(x, max(8, mpmath.mp.dps - 8))
    except ImportError:  # pragma: no cover
        pass
    return str(x)


def check_hamiltonian(H, *, name="H", lib: NumberSystem = FLOAT64):
    """``H`` converted to ``lib`` and checked square and Hermitian."""
    M = lib.as_matrix(H)
    rows, cols = lib.shape(M)
    if rows != cols or rows == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {rows}x{cols}")
    defect = lib.hermiticity_defect(M)
    if lib is EXACT:
        if defect != 0:
            raise ValueError(f"{name} is not Hermitian: {name} - {name}^dag = {M - M.H}")
        return M
    scale = max(lib.one, lib.norm(M))
    if defect > lib.tolerance * scale:
        raise ValueError(f"{name} is not Hermitian: max |{name} - {name}^dag| = {_show(defect)}")
    return M


def check_density_matrix(rho, *, name="rho", dim=None, lib: NumberSystem = FLOAT64):
    """``rho`` converted to ``lib`` and checked: square, Hermitian, unit trace, positive.

    Returns the matrix; use :func:`density_spectrum` for its eigenvalues.
    """
    M = check_hamiltonian(rho, name=name, lib=lib)
    n = lib.size(M)
    if dim is not None and n != dim:
        raise ValueError(f"{name} has dimension {n}, expected {dim}")
    tr = lib.real(lib.trace(M))
    if lib is EXACT:
        import sympy

        if tr.is_number and sympy.simplify(tr - 1) != 0:
            raise ValueError(f"{name} must have unit trace, got {sympy.simplify(tr)}")
    elif abs(tr - 1) > lib.tolerance * n:
        raise ValueError(f"{name} must have unit trace, got {_show(tr)}")
    density_spectrum(M, name=name, lib=lib)
    return M


def density_spectrum(M, *, name="rho", lib: NumberSystem = FLOAT64):
    """Eigenvalues of a density matrix, ascending, multiplicities kept.

    An eigenvalue below -tolerance is an error, never clamped; eigenvalues
    between -tolerance and the eigensolver's rounding noise (10 d eps |M|, eps
    of the working precision) are returned as exact zeros (and those within it
    of 1 as exact ones), so a pure state has
    entropy exactly 0 at every precision.
    """
    vals = lib.eigvalsh(M)
    out = []
    if lib is not EXACT:
        # the rounding noise of the eigensolver: |lambda| below it is an exact zero
        noise = 10 * len(vals) * lib.eps * max(lib.one, lib.norm(M))
    for v in vals:
        if lib is EXACT:
            if v.is_number and v.is_negative:
                raise ValueError(f"{name} is not positive semidefinite: eigenvalue {v}")
            out.append(v)
            continue
        if v < -lib.tolerance:
            raise ValueError(f"{name} is not positive semidefinite: eigenvalue {_show(v)}")
        if v <= noise:
            v = lib.zero
        elif abs(v - 1) <= noise:
            v = lib.one
        out.append(v)
    return out


def energy_levels(H, *, lib: NumberSystem = FLOAT64):
    """Eigenvalues of a Hermitian matrix, ascending, multiplicities kept."""
    return list(lib.eigvalsh(H))


def partial_trace(rho, dims, keep, *, lib: NumberSystem | None = None):
    """Reduced state of the subsystems ``keep`` (indices into ``dims``).

    >>> import numpy as np
    >>> from symthermo.states import partial_trace
    >>> bell = np.zeros((4, 4)); bell[0, 0] = bell[0, 3] = bell[3, 0] = bell[3, 3] = 0.5
    >>> partial_trace(bell, [2, 2], [0]).real
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    from .numbers import number_system

    if lib is None:
        lib = number_system(rho)
    M = lib.as_matrix(rho) if lib is not FLOAT64 else FLOAT64.as_matrix(rho)
    dims = [int(d) for d in dims]
    total = 1
    for d in dims:
        if d < 1:
            raise ValueError(f"subsystem dimensions must be positive, got {dims}")
        total *= d
    n = lib.size(M)
    if n != total:
        raise ValueError(f"state has dimension {n}, but the subsystem dimensions {dims} multiply to {total}")
    if isinstance(keep, int):
        keep = [keep]
    for k in keep:
        if not 0 <= k < len(dims):
            raise ValueError(f"no subsystem {k} among {len(dims)}")
    return lib.partial_trace(M, dims, list(keep))


def tensor(*matrices, lib: NumberSystem | None = None):
    """Kronecker product of matrices, in the order given."""
    from .numbers import number_system

    if lib is None:
        lib = number_system(*matrices)
    return lib.kron_all([lib.as_matrix(m) for m in matrices])

