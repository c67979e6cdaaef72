"""Density matrices and Hamiltonians: checks, spectra, tensor products, partial traces.

Bad input raises ``ValueError`` with the offending value in the message:

>>> import numpy as np
>>> from symthermo.states import check_density_matrix
>>> check_density_matrix(np.diag([0.5, 0.25]))
Traceback (most recent call last):
...
ValueError: rho must have unit trace, got 0.75 (trace - 1 = -0.25)

The checks of a matrix the user gives follow the precision of what was
given (:func:`input_tolerance`), not the precision it is evaluated at: a
float64 state is checked at float64 tolerance also at ``dps=30``, a state
typed to 50 digits at its 50th digit, exact entries at the digits asked for.
A matrix the code computed itself (a propagated or reduced state) is
checked against the code's own error bound, and failing that check is an
:class:`~symthermo.errors.InternalStateError` (a failure of the code, exit
code 1), never a ``ValueError``.
"""

from __future__ import annotations

import re

from .numbers import EXACT, FLOAT64, MPMATH, NumberSystem

__all__ = [
    "check_hamiltonian",
    "check_density_matrix",
    "density_spectrum",
    "checked_state",
    "input_tolerance",
    "computed_tolerance",
    "energy_levels",
    "partial_trace",
    "tensor",
]

#: an entry's own rounding counts only when finer than this (the float64 tolerance):
#: "0.5" or "0.333" are exact as typed; "0.33333333333333331" is a printed rounding
_ROUNDING_FLOOR = 1e-12
_ROUNDING_FLOOR_POWER = -12
#: tolerances are this many units of the input's rounding, per dimension
_ROUNDING_UNITS = 8


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


def _show_deviation(x):
    """A deviation such as trace - 1, in a short exponent form (``-1.0e-50``)."""
    import mpmath

    if x == 0:
        return "0"
    return mpmath.nstr(mpmath.mpf(x, prec=70), 2)  # explicit precision: no global state


# -- the precision of what was given ---------------------------------------------

def _string_unit(text):
    """The unit of the last typed digit of the coarsest rounded decimal in ``text``
    (an mpmath number; None when there is none).

    A decimal is a rounding when it has at least two significant digits and its
    last digit is finer than the float64 tolerance (1e-12): 50 digits of a
    number, a float printed by another program.  "0.5", "0.333" or "1e-14"
    are exact as typed.
    """
    import mpmath

    worst = None
    for m in re.finditer(r"(?<![A-Za-z_])(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?", text):
        whole, _, frac = m.group(1).partition(".")
        if len((whole + frac).lstrip("0")) < 2:
            continue
        power = int(m.group(2) or 0) - len(frac)  # the unit of the last digit: 10^power
        if power < _ROUNDING_FLOOR_POWER and (worst is None or power > worst):
            worst = power
    return None if worst is None else mpmath.mpf(10) ** worst


def _entry_unit(x):
    """The rounding of one entry as given: ``"float"`` for a binary float (its
    precision is float64's), an mpmath unit of its last digit (a long decimal
    string) or bit (an mpmath or SymPy Float number finer than 1e-12), or None
    (exact)."""
    import numbers

    import numpy as np

    if isinstance(x, str):
        return _string_unit(x)
    if isinstance(x, (bool, np.bool_)) or x is None:
        return None
    if isinstance(x, (float, complex, np.floating, np.complexfloating)):
        return "float"
    if isinstance(x, numbers.Rational):
        return None
    import mpmath

    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        parts = (x.real, x.imag) if isinstance(x, mpmath.mpc) else (x,)
        units = [mpmath.ldexp(1, p._mpf_[2]) for p in parts if p != 0 and mpmath.isfinite(p)]
        units = [u for u in units if u <= _ROUNDING_FLOOR]
        return max(units) if units else None
    if type(x).__module__.startswith("sympy"):
        import sympy

        floats = [x] if isinstance(x, sympy.Float) else (
            list(x.atoms(sympy.Float)) if hasattr(x, "atoms") else [])
        return _coarsest(_entry_unit(mpmath.mpf(f._mpf_)) for f in floats if f != 0)
    return None


def _coarsest(units):
    worst = None
    for u in units:
        if u is None:
            continue
        if u == "float":
            return "float"
        if worst is None or u > worst:
            worst = u
    return worst


def _entries(M):
    """The entries of a matrix as given (nested lists, numpy, mpmath, SymPy, QuTiP)."""
    import numpy as np

    if hasattr(M, "full") and callable(M.full):  # qutip.Qobj
        M = M.full()
    if isinstance(M, np.ndarray):
        return M
    if hasattr(M, "tolist"):
        return M.tolist()
    return M


def input_tolerance(M, lib: NumberSystem):
    """The tolerance of the checks on a matrix as given, in ``lib``'s numbers.

    - binary floats (numpy arrays, QuTiP, Python floats): the float64
      tolerance (``FLOAT64.tolerance``), at any evaluation precision;
    - a decimal string with at least two significant digits whose last digit
      is finer than 1e-12 (a value printed by a program, say
      ``"0.33333333333333331"`` or 50 digits of a number): a few units of
      that last digit; an mpmath or SymPy Float number likewise, by the unit
      of its last bit;
    - exact entries (integers, fractions, short decimals such as ``"0.5"``):
      the precision asked for (``lib.tolerance`` at the requested digits).

    The tolerance is absolute for traces and eigenvalues; Hermiticity is
    checked relative to ``max(1, |M|)``.

    >>> import numpy as np
    >>> from symthermo.numbers import FLOAT64, MPMATH
    >>> from symthermo.precision import working_precision
    >>> from symthermo.states import input_tolerance
    >>> input_tolerance(np.eye(2) / 2, FLOAT64)
    1e-12
    >>> import mpmath
    >>> typed = [["0." + "3" * 50, 0], [0, "0." + "6" * 49 + "7"]]     # 50 digits
    >>> with working_precision(30):
    ...     print(mpmath.nstr(input_tolerance(np.eye(2) / 2, MPMATH), 3))     # float input
    ...     print(mpmath.nstr(input_tolerance([["1/2", 0], [0, "1/2"]], MPMATH), 3))  # exact
    ...     print(mpmath.nstr(input_tolerance(typed, MPMATH), 3))
    1.0e-12
    1.0e-30
    1.0e-30
    >>> with working_precision(60):
    ...     print(mpmath.nstr(input_tolerance(typed, MPMATH), 3))
    8.0e-50
    """
    import numpy as np

    if lib is EXACT:
        return lib.zero
    work = _work_tolerance(lib)
    entries = _entries(M)
    if isinstance(entries, np.ndarray):
        if entries.dtype.kind in "fc":
            return _larger(lib, work, FLOAT64.tolerance)
        if entries.dtype.kind in "iub":
            return work
        entries = entries.tolist()
    try:
        flat = [x for row in entries for x in (
            row if hasattr(row, "__iter__") and not isinstance(row, str) else [row])]
    except TypeError:
        return work
    worst = _coarsest(_entry_unit(x) for x in flat)
    if worst is None:
        return work
    if worst == "float":
        return _larger(lib, work, FLOAT64.tolerance)
    return _larger(lib, work, _ROUNDING_UNITS * worst)


def _larger(lib, a, b):
    if lib is FLOAT64:
        return max(float(a), float(b))
    import mpmath

    return max(mpmath.mpf(a), mpmath.mpf(repr(b)) if isinstance(b, float) else b)


def _work_tolerance(lib):
    """The tolerance of the evaluation itself: float64's, or the digits asked for."""
    if lib is MPMATH:
        import mpmath

        from .precision import requested_digits

        digits = requested_digits()
        return mpmath.mpf(10) ** -(digits if digits is not None else mpmath.mp.dps)
    return lib.tolerance


def computed_tolerance(M, lib: NumberSystem, *, eigenvalues=None):
    """The error bound of states computed from ``M`` (a state already checked).

    Partial traces, unitary and Lindblad evolutions are trace-preserving and
    positive, so what they make of ``M`` is as far from a density matrix as
    ``M`` itself (its trace deviation, the weight of its negative
    eigenvalues, its asymmetry), plus the rounding of the computation
    (``lib.tolerance``, at the digits asked for in mpmath).  ``eigenvalues``:
    those of ``M`` if the caller has them already.
    """
    if lib is EXACT:
        return lib.zero
    vals = lib.eigvalsh(M) if eigenvalues is None else eigenvalues
    negative = lib.zero
    for v in vals:
        if v < 0:
            negative -= v
    tr = lib.real(lib.trace(M))
    return _work_tolerance(lib) + 2 * (abs(tr - 1) + negative + lib.hermiticity_defect(M))


# -- checks --------------------------------------------------------------------------

def check_hamiltonian(H, *, name="H", lib: NumberSystem = FLOAT64, tolerance=None):
    """``H`` converted to ``lib`` and checked square and Hermitian.

    ``tolerance`` (relative to ``max(1, |H|)``) defaults to
    :func:`input_tolerance` of ``H``.  A matrix Hermitian within the
    tolerance is returned as its Hermitian part (M + M^dag)/2.
    """
    if tolerance is None and lib is not EXACT:
        tolerance = input_tolerance(H, lib)
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
    if defect > tolerance * scale:
        raise ValueError(f"{name} is not Hermitian: max |{name} - {name}^dag| = "
                         f"{_show_deviation(defect)} (tolerance {_show_deviation(tolerance * scale)})")
    if defect != 0:
        M = (M + lib.dagger(M)) * (lib.one / 2)
    return M


def check_density_matrix(rho, *, name="rho", dim=None, lib: NumberSystem = FLOAT64,
                         tolerance=None):
    """``rho`` converted to ``lib`` and checked: square, Hermitian, unit trace, positive.

    The tolerance defaults to :func:`input_tolerance` of ``rho`` (the
    precision it was given in).  Returns the matrix (its Hermitian part); use
    :func:`checked_state` for the matrix and its eigenvalues together.

    >>> from symthermo.states import check_density_matrix
    >>> state = [["0.5", 0], [0, "0.4"]]
    >>> try:
    ...     check_density_matrix(state)
    ... except ValueError as err:
    ...     print(err)
    rho must have unit trace, got 0.9 (trace - 1 = -0.1)
    """
    return checked_state(rho, name=name, dim=dim, lib=lib, tolerance=tolerance)[0]


def checked_state(rho, *, name="rho", dim=None, lib: NumberSystem = FLOAT64, tolerance=None):
    """(matrix, eigenvalues) of ``rho`` checked as :func:`check_density_matrix` does.

    The eigenvalues are those of :func:`density_spectrum` at the same
    tolerance.

    >>> import numpy as np
    >>> from symthermo.states import checked_state
    >>> M, spectrum = checked_state(np.diag([1.0 - 1e-20, 1e-20]))
    >>> spectrum
    [1e-20, 1.0]
    """
    if tolerance is None and lib is not EXACT:
        tolerance = input_tolerance(rho, lib)
    M = check_hamiltonian(rho, name=name, lib=lib, tolerance=tolerance)
    n = lib.size(M)
    if dim is not None and n != dim:
        raise ValueError(f"{name} has dimension {n}, expected {dim}")
    tr = lib.real(lib.trace(M))
    if lib is EXACT:
        import sympy

        if tr.is_number and sympy.simplify(tr - 1) != 0:
            raise ValueError(f"{name} must have unit trace, got {sympy.simplify(tr)} "
                             f"(trace - 1 = {sympy.simplify(tr - 1)})")
    elif abs(tr - 1) > tolerance * n:
        raise ValueError(f"{name} must have unit trace, got {_show(tr)} "
                         f"(trace - 1 = {_show_deviation(tr - 1)})")
    return M, density_spectrum(M, name=name, lib=lib, tolerance=tolerance)


def density_spectrum(M, *, name="rho", lib: NumberSystem = FLOAT64, tolerance=None,
                     computed=False, eigenvalues=None, zeros=0):
    """Eigenvalues of a density matrix, ascending, multiplicities kept.

    An eigenvalue below -tolerance (default ``lib.tolerance``) is an error,
    never clamped: a ``ValueError`` for a matrix as given, an
    :class:`~symthermo.errors.InternalStateError` for one the code computed
    (``computed=True``).  Eigenvalues in [-tolerance, 0) are rounding noise
    about an exact 0 and are returned as 0.  ``eigenvalues``: M's own
    (ascending, as ``lib.eigvalsh`` gives them) if the caller has them.

    Positive eigenvalues are kept as they are, however small, wherever the
    eigensolver computed them exactly: a diagonal float64 matrix has its
    diagonal as eigenvalues, and diag(1 - 1e-20, 1e-20) has the population
    1e-20 (whose -p ln p is 4.6e-19).  Only where they are not known better
    than the eigensolver's rounding are they rounded: for a float64 matrix
    that is not diagonal, eigenvalues within 2 d eps max(1, |M|) of 0 or 1
    (indistinguishable from them: a pure state in a rotated basis comes out
    with eigenvalues of +-1e-17) are returned as exact 0 or 1, and so are
    those of a state the code computed (``computed=True``: propagated,
    reduced), whose entries carry the computation's rounding even when
    diagonal; in mpmath the same within 10 d eps |M| (eps of the working
    precision), and the digits
    are certified by re-evaluating at a higher precision, where a true small
    eigenvalue comes out of the noise.  In balls nothing is rounded that is not
    proven: an eigenvalue within that noise of 0 (of 1) and not proven positive
    becomes its ball's part at or above 0 (at or below 1), an exact 0 (1) only
    where that part is a single point; Ziv's loop raises the precision until a
    true small eigenvalue is proven.  ``zeros``: how many eigenvalues are exact
    zeros by a proof the caller holds (the exact rank of an exact state of unit
    trace); in balls that many smallest, where they hold 0, are exact 0, and with
    all but one of them zero (a pure state) the last is exactly 1.

    >>> import numpy as np
    >>> from symthermo.states import density_spectrum
    >>> density_spectrum(np.diag([1.0 - 3e-15, 3e-15]))
    [3e-15, 0.999999999999997]
    >>> density_spectrum(np.diag([1.0 + 1e-17, -1e-17]))
    [0.0, 1.0]
    >>> density_spectrum(np.full((2, 2), 0.5) + 1e-17 * np.array([[1, 1], [1, 1]]))
    [0.0, 1.0]
    """
    vals = lib.eigvalsh(M) if eigenvalues is None else eigenvalues
    if lib is EXACT:
        for v in vals:
            if v.is_number and v.is_negative:
                raise ValueError(f"{name} is not positive semidefinite: eigenvalue {v}")
        return list(vals)
    if tolerance is None:
        tolerance = lib.tolerance
    noise = None
    if lib is not FLOAT64:
        # the rounding noise of the eigensolver: |lambda| below it is an exact zero
        noise = 10 * len(vals) * lib.eps * max(lib.one, lib.norm(M))
    elif computed or not _is_diagonal_array(M):
        # a computed state's entries carry the computation's rounding, diagonal or not
        noise = 2 * len(vals) * lib.eps * max(lib.one, lib.norm(M))
    # balls: an eigenvalue proven positive is not noise (diag(1 - 1e-400, 1e-400)'s
    # 1e-400 lies below 10 d eps at any precision: it was printed as S = 0, beta = inf),
    # and neither is one next to 1 beside it (1 - 1e-310 as 1 left S 0.1 % short)
    positive = [_proven_positive(lib, v) for v in vals]
    if zeros and lib.name == "balls":
        vals = list(vals)
        for k in range(min(zeros, len(vals))):
            if not positive[k] and vals[k].contains(0):
                vals[k] = lib.zero
        if zeros == len(vals) - 1 and all(lib.is_exact_zero(v) for v in vals[:-1]) and (
                vals[-1].contains(1)):
            vals[-1] = lib.one
    out = []
    for k, v in enumerate(vals):
        if v < 0:
            if v < -tolerance:
                if computed:
                    from .errors import InternalStateError

                    raise InternalStateError(
                        f"computed state {name} has eigenvalue {_show(v)}, beyond its error "
                        f"bound {_show_deviation(tolerance)}")
                raise ValueError(f"{name} is not positive semidefinite: eigenvalue {_show(v)} "
                                 f"(tolerance {_show_deviation(tolerance)})")
            v = lib.zero
        elif noise is not None:
            if v <= noise and not positive[k]:
                v = _at_least_zero(lib, v)
            elif abs(v - 1) <= noise and not any(positive[:k] + positive[k + 1:]):
                v = _at_most_one(lib, v)
        out.append(v)
    return out


def _at_least_zero(lib, v):
    """An eigenvalue within the eigensolver's noise of 0: mpmath's exact 0 (its digits are
    certified by re-evaluation); in balls the ball's part at or above 0 (a density
    matrix has no negative eigenvalue), an exact 0 only where that part is {0}, a proof:
    the rounding to 0 of a ball about 8e-50 at 156 bits once printed a ledger's S_B = 0,
    beta_B = inf and W_B = E_B as proven, for S_B = 9.6e-48."""
    if lib.name != "balls":
        return lib.zero
    top = v.upper()
    return lib.zero if top <= 0 else type(v)(0).union(top)


def _at_most_one(lib, v):
    """:func:`_at_least_zero` next to 1: the ball's part at or below 1."""
    if lib.name != "balls":
        return lib.one
    bottom = v.lower()
    return lib.one if bottom >= 1 else bottom.union(type(v)(1))


def _proven_positive(lib, v):
    """Balls: v > 0 at every point of the ball (other number systems: False)."""
    return lib.name == "balls" and v > 0


def _is_diagonal_array(M):
    import numpy as np

    M = np.asarray(M)
    return M.ndim == 2 and not np.count_nonzero(M - np.diag(np.diagonal(M)))


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

