"""Density matrices propagated numerically: the independent route.

Every closed form of symthermo is checked against this module, so it shares
no formula with them: it only builds a generator (the Hamiltonian, or the
Lindblad superoperator) and exponentiates it.

The master equation is

    d rho/dt = -i [H, rho]
               + sum_k rate_k (L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho}),

with hbar = 1.  Two number systems are offered:

- ``dps=None``: float64/complex128 (numpy, ``scipy.linalg.expm``); the
  results are numpy arrays.
- ``dps=N``: mpmath at N significant digits.  The work is done inside
  ``mpmath.workdps`` with guard digits, ``mpmath.mp.dps`` is left as it was
  found, and the results are ``mpmath.matrix`` objects rounded to N digits.

Matrices may be numpy arrays, ``mpmath.matrix``, SymPy matrices, or nested
lists of numbers and strings; strings such as ``"1/3"``, ``"2.5e-3"``,
``"0.2+0.1j"``, ``"-j"``, ``"1/3*j"`` or ``"sqrt(2)/2"`` are read exactly by
the grammar of :mod:`symthermo.expressions` (``"1/3j"`` is refused as
ambiguous), and binary floats by their exact binary value.

>>> import numpy as np
>>> from symthermo.propagator import evolve
>>> H = [[1, 0], [0, -1]]
>>> plus = [["1/2", "1/2"], ["1/2", "1/2"]]
>>> rho = evolve(H, plus, [np.pi / 4])[0]
>>> np.round(rho, 12)
array([[0.5+0.j , 0. -0.5j],
       [0. +0.5j, 0.5+0.j ]])
"""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

import numpy as np
import scipy.linalg
from scipy.sparse.csgraph import connected_components

from .expressions import ExactComplex, ExpressionError, parse_number
from .lazy import lazy_import
from .precision import precision_held

mpmath = lazy_import("mpmath")

__all__ = ["evolve", "unitary_evolution", "lindblad_evolution", "lindblad_generator"]

#: guard digits added to ``dps`` inside ``mpmath.workdps`` (at least 10)
_GUARD_DIGITS = 10
#: extra guard digits of the mpmath Lindblad route, which loses digits to
#: the condition number of the generator's eigenvector basis
_LINDBLAD_GUARD_DIGITS = 12
#: a float64 result whose asymmetry or trace drift exceeds this is refused
_FLOAT_RESULT_TOL = 1e-9
_FLOAT64_EPS = 2.0**-52

# ---------------------------------------------------------------------------
# Reading numbers
# ---------------------------------------------------------------------------

def _parse_string(s, where):
    """``s`` by the grammar of :mod:`symthermo.expressions`: an exact (real, imaginary)
    pair of Fractions, or a SymPy number (``"sqrt(2)/2"``)."""
    try:
        value = parse_number(s, what=where)
    except ExpressionError as exc:
        raise ValueError(f"{where}: cannot read {s!r} as a number ({exc.reason})") from None
    if isinstance(value, Fraction):
        return value, Fraction(0)
    if isinstance(value, ExactComplex):
        return value.re, value.im
    return value


def _is_sympy(x):
    return type(x).__module__.startswith("sympy")


def _mp_from_fraction(q):
    return mpmath.mpf(q.numerator) / q.denominator


def _read_scalar(x, where):
    """``x`` as an mpmath number at the current precision, and its own eps.

    The eps is that of the number system ``x`` came in (float64: 2**-52) and
    0 for exact input (integers, fractions, strings, SymPy rationals, mpmath
    numbers), so that tolerances can follow the input's own precision.
    """
    if isinstance(x, str):
        parsed = _parse_string(x, where)
        if not isinstance(parsed, tuple):
            return _read_sympy(parsed, where)
        real, imag = parsed
        if imag:
            return mpmath.mpc(_mp_from_fraction(real), _mp_from_fraction(imag)), 0.0
        return _mp_from_fraction(real), 0.0
    if isinstance(x, (bool, np.bool_)) or x is None:
        raise TypeError(f"{where}: expected a number, got {x!r}")
    if isinstance(x, (int, np.integer)):
        return mpmath.mpf(int(x)), 0.0
    if isinstance(x, Fraction):
        return _mp_from_fraction(x), 0.0
    if isinstance(x, (float, np.floating, complex, np.complexfloating)):
        eps = float(np.finfo(type(x)).eps) if isinstance(x, np.generic) else _FLOAT64_EPS
        parts = [x.real, x.imag] if isinstance(x, (complex, np.complexfloating)) else [x]
        if not all(np.isfinite(p) for p in parts):
            raise ValueError(f"{where}: expected a finite number, got {x!r}")
        # as_integer_ratio is exact for every binary float (also longdouble)
        vals = [_mp_from_fraction(Fraction(*p.as_integer_ratio())) for p in parts]
        return (mpmath.mpc(*vals) if len(vals) == 2 else vals[0]), eps
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        if not mpmath.isfinite(x):
            raise ValueError(f"{where}: expected a finite number, got {x!r}")
        return x, 0.0
    if _is_sympy(x):
        return _read_sympy(x, where)
    raise TypeError(f"{where}: expected a number or a string, got {x!r} of type {type(x).__name__}")


def _read_sympy(x, where):
    import sympy

    if not isinstance(x, sympy.Expr) or not x.is_number:
        raise ValueError(f"{where}: expected a number, got {x!r}")
    if isinstance(x, sympy.Rational):
        return _mp_from_fraction(Fraction(int(x.p), int(x.q))), 0.0
    if isinstance(x, sympy.Float):
        eps = 2.0 ** -x._prec  # a SymPy Float is as precise as it was made (its bits)
        return mpmath.mpf(x), eps
    value = sympy.N(x, mpmath.mp.dps + 5)
    parts = []
    for part in value.as_real_imag():
        if isinstance(part, sympy.Rational):
            parts.append(_mp_from_fraction(Fraction(int(part.p), int(part.q))))
        elif isinstance(part, sympy.Float) and part.is_finite:
            parts.append(mpmath.mpf(part))
        else:
            raise ValueError(f"{where}: expected a finite number, got {x!r}")
    return (mpmath.mpc(*parts) if parts[1] else parts[0]), 0.0


def _raw_matrix(A, name):
    """(rows, cols, nested list of raw entries) of any supported matrix."""
    if isinstance(A, np.ndarray):
        if A.ndim != 2:
            raise ValueError(f"{name} must be a square matrix, got an array of shape {A.shape}")
        return A.shape[0], A.shape[1], A
    if isinstance(A, mpmath.matrix):
        return A.rows, A.cols, A.tolist()
    if _is_sympy(A) and hasattr(A, "shape") and hasattr(A, "tolist"):
        return A.shape[0], A.shape[1], A.tolist()
    if isinstance(A, (list, tuple)):
        rows = list(A)
        if not rows or not all(isinstance(r, (list, tuple, np.ndarray)) for r in rows):
            raise ValueError(f"{name} must be a square matrix (a list of rows), got {A!r}")
        widths = {len(r) for r in rows}
        if len(widths) != 1:
            raise ValueError(f"{name} has rows of different lengths {sorted(widths)}: {A!r}")
        return len(rows), widths.pop(), rows
    raise TypeError(f"{name} must be a matrix (numpy array, mpmath or SymPy matrix, nested list), "
                    f"got {type(A).__name__}")


def _read_matrix(A, name, dps):
    """``A`` as a complex128 array (``dps=None``) or an mpmath matrix, and its eps."""
    rows, cols, raw = _raw_matrix(A, name)
    if rows != cols or rows == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape ({rows}, {cols})")
    if dps is None and isinstance(raw, np.ndarray) and raw.dtype.kind in "iufc":
        out = raw.astype(np.complex128)
        if not np.all(np.isfinite(out)):
            raise ValueError(f"{name} has entries that are not finite: {raw!r}")
        return out, _FLOAT64_EPS
    with mpmath.workprec(53) if dps is None else contextlib.nullcontext():
        entries, eps = [], 0.0
        for i in range(rows):
            row = []
            for j in range(cols):
                value, e = _read_scalar(raw[i][j], f"{name}[{i}, {j}]")
                row.append(value)
                eps = max(eps, e)
            entries.append(row)
        if dps is None:
            out = np.array([[complex(v) for v in row] for row in entries], dtype=np.complex128)
            if not np.all(np.isfinite(out)):
                raise ValueError(f"{name} has entries too large for float64: {A!r}")
            return out, _FLOAT64_EPS
        return mpmath.matrix(entries), eps


def _read_real(x, where, dps):
    """A non-negative real number (time or rate); ValueError otherwise."""
    try:
        with mpmath.workprec(53) if dps is None else contextlib.nullcontext():
            value, _ = _read_scalar(x, where)
    except TypeError as err:
        raise ValueError(str(err)) from None
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise ValueError(f"{where} must be a real number, got {x!r}")
        value = value.real
    if value < 0:
        raise ValueError(f"{where} must be non-negative, got {x!r}")
    return float(value) if dps is None else value


def _read_times(times, dps):
    if isinstance(times, (str, bytes)) or not hasattr(times, "__iter__"):
        raise TypeError(f"times must be a sequence of real numbers, got {times!r}")
    out = [_read_real(t, f"times[{k}]", dps) for k, t in enumerate(times)]
    if dps is None and any(math.isinf(t) for t in out):
        raise ValueError(f"times must be finite in float64, got {list(times)!r}")
    return out


def _check_dps(dps):
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)):
        raise TypeError(f"dps must be None or a positive integer, got {dps!r}")
    if dps < 1:
        raise ValueError(f"dps must be a positive integer, got {dps!r}")
    return int(dps)


# ---------------------------------------------------------------------------
# Matrix helpers working on both complex128 arrays and mpmath matrices
# ---------------------------------------------------------------------------


def _dim(A):
    return A.shape[0] if isinstance(A, np.ndarray) else A.rows


def _adjoint(A):
    return A.conj().T if isinstance(A, np.ndarray) else A.H


def _maxabs(A):
    if isinstance(A, np.ndarray):
        return float(np.max(np.abs(A))) if A.size else 0.0
    return max((abs(A[i, j]) for i in range(A.rows) for j in range(A.cols)), default=mpmath.mpf(0))


def _hermitian_part(A):
    return 0.5 * (A + _adjoint(A))


def _trace(A):
    return sum((A[i, i] for i in range(_dim(A))), 0 * A[0, 0])


def _show(x):
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        return mpmath.nstr(x, 8)
    if isinstance(x, complex) or (isinstance(x, np.generic) and np.iscomplexobj(x)):
        return f"{complex(x):.8g}"
    return f"{float(x):.8g}"


def _input_tol(d, eps_in, dps):
    """Tolerance of the input checks: the coarser of the input's and the work's eps
    (an mpmath number: 10**-dps underflows a float from dps = 324 on)."""
    eps_work = _FLOAT64_EPS if dps is None else mpmath.mpf(10) ** -dps
    return 64 * d * max(eps_in, eps_work)


def _read_hamiltonian(H, dps):
    Hm, eps = _read_matrix(H, "H", dps)
    defect = _maxabs(Hm - _adjoint(Hm))
    if defect > _input_tol(_dim(Hm), eps, dps) * _maxabs(Hm):
        raise ValueError(f"H is not Hermitian: max |H - H^dag| = {_show(defect)}")
    return _hermitian_part(Hm)


def _read_state(rho0, d, dps, tolerance=None):
    rho, eps = _read_matrix(rho0, "rho0", dps)
    if _dim(rho) != d:
        raise ValueError(f"rho0 has shape ({_dim(rho)}, {_dim(rho)}) but H has shape ({d}, {d})")
    tol = _input_tol(d, eps, dps) if tolerance is None else tolerance
    defect = _maxabs(rho - _adjoint(rho))
    if defect > tol:
        raise ValueError(f"rho0 is not Hermitian: max |rho0 - rho0^dag| = {_show(defect)}")
    rho = _hermitian_part(rho)
    tr = _trace(rho)
    if abs(tr - 1) > tol:
        raise ValueError(f"rho0 must have unit trace, got trace {_show(tr)} "
                         f"(trace - 1 = {mpmath.nstr(mpmath.mpmathify(tr - 1).real, 2)})")
    if isinstance(rho, np.ndarray):
        smallest = float(np.linalg.eigvalsh(rho)[0])
    else:
        E = mpmath.eigh(rho, eigvals_only=True)
        smallest = min(E[i] for i in range(d))
    if smallest < -tol:
        raise ValueError(f"rho0 is not positive semidefinite: smallest eigenvalue {_show(smallest)}")
    return rho


def _read_lindblad(lindblad, d, dps):
    if lindblad is None:
        return []
    if isinstance(lindblad, (str, bytes)) or not hasattr(lindblad, "__iter__"):
        raise TypeError(f"lindblad must be a sequence of (rate, L) pairs, got {lindblad!r}")
    terms = []
    for k, pair in enumerate(lindblad):
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"lindblad[{k}] must be a (rate, L) pair, got {pair!r}")
        rate_raw, L_raw = pair
        rate = _read_real(rate_raw, f"rate of lindblad[{k}]", dps)
        if dps is None and not math.isfinite(rate):
            raise ValueError(f"rate of lindblad[{k}] must be finite, got {rate_raw!r}")
        L, _ = _read_matrix(L_raw, f"L of lindblad[{k}]", dps)
        if _dim(L) != d:
            raise ValueError(f"L of lindblad[{k}] has shape ({_dim(L)}, {_dim(L)}) "
                             f"but H has shape ({d}, {d})")
        terms.append((rate, L))
    return terms


def _finish(rho, trace0, dps):
    """Hermitian part of a computed rho(t), refused unless it drifted at rounding level."""
    tol = _FLOAT_RESULT_TOL if dps is None else mpmath.mpf(10) ** -dps
    defect = _maxabs(rho - _adjoint(rho))
    if defect > tol:
        raise ArithmeticError(f"propagated rho(t) is not Hermitian: max |rho - rho^dag| = {_show(defect)}; "
                              "the generator is too ill-conditioned for this precision")
    rho = _hermitian_part(rho)
    drift = abs(_trace(rho) - trace0)
    if drift > tol:
        raise ArithmeticError(f"propagated rho(t) lost its trace: |tr rho(t) - tr rho0| = {_show(drift)}")
    if dps is None:
        return rho
    with mpmath.workdps(dps):
        out = rho.apply(lambda z: +z)
        for i in range(out.rows):
            out[i, i] = mpmath.re(out[i, i])  # exactly real on the diagonal
        return out


def _extra_digits(scale):
    """Digits lost to phases as large as ``scale`` (= |generator| * t_max)."""
    if scale <= 1:
        return 0
    return max(0, math.ceil(float(mpmath.log10(scale))))  # scale may exceed float64 (1e400)


# ---------------------------------------------------------------------------
# Unitary route
# ---------------------------------------------------------------------------


@precision_held()  # mpmath's precision is process-wide
def unitary_evolution(H, rho0, times, *, dps=None, state_tolerance=None):
    """Density matrices U(t) rho0 U(t)^dag with U(t) = exp(-i H t).

    H is diagonalised once, H = V diag(E) V^dag (``numpy.linalg.eigh``, or
    ``mpmath.eigh`` at ``dps`` digits plus guard digits), and
    U(t) = V diag(exp(-i E t)) V^dag for each time.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"``).
    rho0 : matrix
        Initial density matrix, d x d, Hermitian, unit trace, positive
        semidefinite.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    dps : int or None, keyword-only
        None for float64; otherwise mpmath at ``dps`` significant digits.

    Returns
    -------
    list
        rho(t) for each time, as complex128 arrays (``dps=None``) or
        ``mpmath.matrix`` rounded to ``dps`` digits.

    Raises
    ------
    ValueError
        For a non-Hermitian H, an invalid rho0, or a negative or non-real
        time; the message quotes the offending value.

    Examples
    --------
    >>> import mpmath
    >>> from symthermo.propagator import unitary_evolution
    >>> H = [[0, 1], [1, 0]]                      # sigma_x: Rabi flop
    >>> rho = unitary_evolution(H, [[1, 0], [0, 0]], ["1/2"], dps=30)[0]
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(rho[0, 0], 25), mpmath.nstr(mpmath.cos(0.5)**2, 25))
    0.7701511529340698587004683 0.7701511529340698587004683
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        rho = _read_state(rho0, Hm.shape[0], None, state_tolerance)
        ts = np.asarray(_read_times(times, None), dtype=float)
        if ts.size == 0:
            return []
        E, V = np.linalg.eigh(Hm)
        phases = np.exp(-1j * np.outer(ts, E))  # (n_times, d)
        U = (V[None, :, :] * phases[:, None, :]) @ V.conj().T
        rhos = U @ rho @ np.conj(np.transpose(U, (0, 2, 1)))
        tr0 = np.trace(rho)
        return [_finish(r, tr0, None) for r in rhos]

    dps = _check_dps(dps)
    wdps = dps + _GUARD_DIGITS
    with mpmath.workdps(wdps):
        Hm = _read_hamiltonian(H, dps)
        ts = _read_times(times, dps)
        extra = _extra_digits(_maxabs(Hm) * Hm.rows * max(ts, default=0))
    with mpmath.workdps(wdps + extra):
        if extra:  # read again, so that strings keep the extra digits
            Hm = _read_hamiltonian(H, dps)
            ts = _read_times(times, dps)
        rho = _read_state(rho0, Hm.rows, dps, state_tolerance)
        tr0 = _trace(rho)
        E, V = mpmath.eigh(Hm)
        Vh = V.H
        d = Hm.rows
        out = []
        for t in ts:
            VP = V.copy()
            for j in range(d):
                phase = mpmath.expj(-E[j] * t)
                for i in range(d):
                    VP[i, j] *= phase
            U = VP * Vh
            out.append(_finish(U * rho * U.H, tr0, dps))
        return out


# ---------------------------------------------------------------------------
# Lindblad generator
# ---------------------------------------------------------------------------


@precision_held()  # mpmath's precision is process-wide
def lindblad_generator(H, lindblad, *, dps=None):
    """The Lindblad superoperator as a d^2 x d^2 matrix, column-stacking convention.

    With vec(rho)[j*d + i] = rho[i, j] (columns stacked; numpy
    ``rho.reshape(-1, order="F")``) and vec(A X B) = (B^T kron A) vec(X),
    the master equation reads d vec(rho)/dt = G vec(rho) with

        G = -i (I kron H - H^T kron I)
            + sum_k rate_k (conj(L_k) kron L_k
                            - 1/2 I kron L_k^dag L_k
                            - 1/2 (L_k^dag L_k)^T kron I).

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings).
    lindblad : sequence of (rate, L) pairs
        Non-negative rates (number or string) and d x d jump operators.
    dps : int or None, keyword-only
        None for a complex128 array; otherwise an ``mpmath.matrix`` rounded
        to ``dps`` digits.

    Returns
    -------
    numpy.ndarray or mpmath.matrix
        The d^2 x d^2 generator G.

    Raises
    ------
    ValueError
        For a non-Hermitian H, a negative rate, or an L of the wrong size.

    Examples
    --------
    >>> import numpy as np
    >>> from symthermo.propagator import lindblad_generator
    >>> sm = [[0, 0], [1, 0]]                     # |e><g| has index (0, 1): sm = |g><e|
    >>> G = lindblad_generator([[0, 0], [0, 0]], [("1", sm)])
    >>> rho = np.array([[0.25, 0.1], [0.1, 0.75]])
    >>> drho = (G @ rho.reshape(-1, order="F")).reshape(2, 2, order="F")
    >>> np.round(drho.real, 12)                   # P_e decays at rate 1, coherence at 1/2
    array([[-0.25, -0.05],
           [-0.05,  0.25]])
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        return _generator_numpy(Hm, _read_lindblad(lindblad, Hm.shape[0], None))
    dps = _check_dps(dps)
    with mpmath.workdps(dps + _GUARD_DIGITS):
        Hm = _read_hamiltonian(H, dps)
        G = _generator_mp(Hm, _read_lindblad(lindblad, Hm.rows, dps))
    with mpmath.workdps(dps):
        return G.apply(lambda z: +z)


def _generator_numpy(H, terms):
    d = H.shape[0]
    eye = np.eye(d)
    G = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for rate, L in terms:
        M = L.conj().T @ L
        G += rate * (np.kron(L.conj(), L) - 0.5 * np.kron(eye, M) - 0.5 * np.kron(M.T, eye))
    return G


def _generator_mp(H, terms):
    """The same G as :func:`_generator_numpy`, entry by entry in mpmath."""
    d = H.rows
    n = d * d
    M = mpmath.matrix(d, d)
    for rate, L in terms:
        M = M + rate * (L.H * L)
    G = mpmath.matrix(n, n)
    for j in range(d):
        for i in range(d):
            row = j * d + i
            for l in range(d):
                for k in range(d):
                    value = mpmath.mpf(0)
                    if j == l:
                        value += -1j * H[i, k] - M[i, k] / 2
                    if i == k:
                        value += 1j * H[l, j] - M[l, j] / 2
                    for rate, L in terms:
                        if rate:
                            value += rate * mpmath.conj(L[j, l]) * L[i, k]
                    if value:
                        G[row, l * d + k] = value
    return G


# ---------------------------------------------------------------------------
# Lindblad route
# ---------------------------------------------------------------------------


@precision_held()  # mpmath's precision is process-wide
def lindblad_evolution(H, rho0, times, *, lindblad, dps=None, state_tolerance=None):
    """Density matrices exp(G t) rho0 under the Lindblad master equation.

    G is :func:`lindblad_generator` (column-stacking convention).  At float64
    each time is ``scipy.linalg.expm(G t) @ vec(rho0)``.  At ``dps`` digits
    G is block-diagonalised once, G = S D S^-1 with D block diagonal, one
    block per cluster of (nearly) equal eigenvalues: numpy's float64
    eigenvectors are the starting point, and Newton steps (Sylvester
    corrections, Newton-Schulz inverses) refine S and S^-1 at
    ``dps + 22`` digits until the off-block part of S^-1 G S and
    I - S S^-1 are at working precision; the result is verified, then
    exp(G t) = S exp(D t) S^-1 with ``exp(lambda t)`` for single eigenvalues
    and ``mpmath.expm`` for the blocks (defective, critically damped
    generators are blocks).  When the verification fails (an eigenvector
    basis too ill-conditioned for the precision) the route falls back to
    ``mpmath.expm(G t)`` (scaling and squaring) at each time, which is
    cheap for a qubit but takes minutes per time for an 81 x 81 generator.
    Entries of rho(t) carry an absolute error of about 10**-dps.

    The returned rho(t) is the Hermitian part of the computed matrix; an
    asymmetry or a trace drift above rounding level (1e-9 at float64,
    10**-dps otherwise) raises ``ArithmeticError`` instead.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"``).
    rho0 : matrix
        Initial density matrix, d x d.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    lindblad : sequence of (rate, L) pairs, keyword-only
        Non-negative rates and d x d jump operators.
    dps : int or None, keyword-only
        None for float64; otherwise mpmath at ``dps`` significant digits.

    Returns
    -------
    list
        rho(t) for each time: complex128 arrays or ``mpmath.matrix``
        rounded to ``dps`` digits.

    Raises
    ------
    ValueError
        For invalid H, rho0, times, rates or jump operators (the message
        quotes the offending value).
    ArithmeticError
        When the computed rho(t) is not Hermitian or trace-preserving to
        rounding level.

    Examples
    --------
    >>> import mpmath
    >>> from symthermo.propagator import lindblad_evolution
    >>> sm = [[0, 0], [1, 0]]                     # decay |e> (index 0) -> |g>
    >>> rho = lindblad_evolution([[0, 0], [0, 0]], [[1, 0], [0, 0]], [1],
    ...                          lindblad=[("1/2", sm)], dps=30)[0]
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(rho[0, 0], 25), mpmath.nstr(mpmath.exp(-0.5), 25))
    0.6065306597126334236037995 0.6065306597126334236037995
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        d = Hm.shape[0]
        rho = _read_state(rho0, d, None, state_tolerance)
        terms = _read_lindblad(lindblad, d, None)
        ts = _read_times(times, None)
        G = _generator_numpy(Hm, terms)
        v0 = rho.reshape(-1, order="F")
        tr0 = np.trace(rho)
        out = []
        for t in ts:
            v = scipy.linalg.expm(G * t) @ v0
            out.append(_finish(v.reshape(d, d, order="F"), tr0, None))
        return out

    dps = _check_dps(dps)
    wdps = dps + _GUARD_DIGITS + _LINDBLAD_GUARD_DIGITS
    with mpmath.workdps(wdps):
        Hm = _read_hamiltonian(H, dps)
        d = Hm.rows
        terms = _read_lindblad(lindblad, d, dps)
        ts = _read_times(times, dps)
        # a bound on the spectral radius of G, for the digits lost to large |G| t
        bound = 2 * d * _maxabs(Hm) + sum(2 * rate * (d * _maxabs(L)) ** 2 for rate, L in terms)
        extra = _extra_digits(bound * max(ts, default=0))
    with mpmath.workdps(wdps + extra):
        if extra:  # read again, so that strings keep the extra digits
            Hm = _read_hamiltonian(H, dps)
            terms = _read_lindblad(lindblad, d, dps)
            ts = _read_times(times, dps)
        G = _generator_mp(Hm, terms)
        rho = _read_state(rho0, d, dps, state_tolerance)
        tr0 = _trace(rho)
        v0 = mpmath.matrix([rho[i, j] for j in range(d) for i in range(d)])
        vs = _propagate_mp(G, v0, ts, dps)
        out = []
        for v in vs:
            r = mpmath.matrix(d, d)
            for j in range(d):
                for i in range(d):
                    r[i, j] = v[j * d + i]
            out.append(_finish(r, tr0, dps))
        return out


def _propagate_mp(G, v0, ts, dps):
    """exp(G t) v0 for each t, at the current mpmath precision."""
    if not ts:
        return []
    scale = _maxabs(G)
    if scale == 0:
        return [v0.copy() for _ in ts]
    # work with G' = G / 2**k, |G'| ~ 1, exactly: exp(G t) = exp(G' (2**k t))
    k = int(mpmath.floor(mpmath.log(scale, 2))) + 1
    Gs = G * mpmath.ldexp(1, -k)
    tss = [mpmath.ldexp(t, k) for t in ts]
    decomposition = _block_diagonalise(Gs, dps, max(tss))
    if decomposition is None:
        return _propagate_expm(G, v0, ts)
    return _propagate_blocks(decomposition, v0, tss)


def _propagate_expm(G, v0, ts):
    """The fallback: ``mpmath.expm`` (scaling and squaring) at each time."""
    cache = {}
    out = []
    for t in ts:
        key = mpmath.mpf(t)
        if key not in cache:
            cache[key] = mpmath.expm(G * t) * v0
        out.append(cache[key].copy())
    return out


def _propagate_blocks(decomposition, v0, ts):
    S, Y, blocks = decomposition
    bits = S.bits
    c = (Y @ _Fixed.from_mp(v0, bits)).to_mp()
    n = S.shape[0]
    W = mpmath.matrix(n, len(ts))
    eps = mpmath.eps
    for start, D in blocks:
        m = D.rows
        if m == 1:
            lam = D[0, 0]
            for col, t in enumerate(ts):
                W[start, col] = mpmath.exp(lam * t) * c[start]
            continue
        mu = sum(D[i, i] for i in range(m)) / m
        N = D - mu * mpmath.eye(m)
        nnorm = _maxabs(N) * m
        cb = mpmath.matrix([c[start + i] for i in range(m)])
        for col, t in enumerate(ts):
            if nnorm * t <= eps:  # a degenerate, diagonalisable cluster
                wb = mpmath.exp(mu * t) * cb
            else:
                wb = mpmath.exp(mu * t) * (mpmath.expm(N * t) * cb)
            for i in range(m):
                W[start + i, col] = wb[i]
    V = (S @ _Fixed.from_mp(W, bits)).to_mp()
    return [V[:, col] for col in range(len(ts))]


# ---------------------------------------------------------------------------
# Block diagonalisation at high precision
# ---------------------------------------------------------------------------


class _Fixed:
    """Complex matrix ``(re + 1j*im) * 2**-bits`` holding Python integers.

    Absolute fixed point: every entry is a multiple of 2**-bits, which suits
    the matrices below (all of order one, G being scaled to max |G_ij| ~ 1).
    numpy multiplies object arrays of Python integers several times faster
    than mpmath multiplies matrices of ``mpc``, which makes the refinement
    affordable for an 81 x 81 generator; small matrices (corrections,
    residuals) have short integers and multiply faster still.
    """

    __slots__ = ("re", "im", "bits")

    def __init__(self, re, im, bits):
        self.re, self.im, self.bits = re, im, bits

    @property
    def shape(self):
        return self.re.shape

    @classmethod
    def _from_pairs(cls, pairs, shape, bits):
        """From (mantissa, exponent) pairs: all real parts, then all imaginary parts."""
        size = shape[0] * shape[1]
        vals = [_shift(m, e + bits) for m, e in pairs]
        re = np.empty(size, dtype=object)
        im = np.empty(size, dtype=object)
        re[:] = vals[:size]
        im[:] = vals[size:]
        return cls(re.reshape(shape), im.reshape(shape), bits)

    @classmethod
    def from_mp(cls, M, bits):
        entries = [mpmath.mpc(z)._mpc_ for row in M.tolist() for z in row]
        pairs = [_signed(z[0]) for z in entries] + [_signed(z[1]) for z in entries]
        return cls._from_pairs(pairs, (M.rows, M.cols), bits)

    @classmethod
    def from_complex(cls, A, bits, exp=0):
        """The binary values of a complex128 array times 2**exp, rounded to 2**-bits."""
        flat = np.asarray(A, dtype=np.complex128).ravel()
        pairs = [_float_pair(float(x), exp) for x in flat.real]
        pairs += [_float_pair(float(x), exp) for x in flat.imag]
        return cls._from_pairs(pairs, A.shape, bits)

    @classmethod
    def eye(cls, n, bits):
        re = np.empty((n, n), dtype=object)
        re[...] = 0
        im = re.copy()
        for i in range(n):
            re[i, i] = 1 << bits
        return cls(re, im, bits)

    def __matmul__(self, other):
        a, b, bits = self, other, self.bits
        k1 = (a.re + a.im) @ b.re
        k2 = a.re @ (b.im - b.re)
        k3 = a.im @ (b.re + b.im)
        half = 1 << (bits - 1)
        return _Fixed((k1 - k3 + half) >> bits, (k1 + k2 + half) >> bits, bits)

    def __add__(self, other):
        return _Fixed(self.re + other.re, self.im + other.im, self.bits)

    def __sub__(self, other):
        return _Fixed(self.re - other.re, self.im - other.im, self.bits)

    def masked(self, keep):
        """A copy with the entries where ``keep`` is False set to zero."""
        return _Fixed(np.where(keep, self.re, 0), np.where(keep, self.im, 0), self.bits)

    def maxabs(self):
        """max(|Re|, |Im|) over the entries, as an mpf (no under- or overflow)."""
        top = max(max(abs(x) for x in self.re.flat), max(abs(x) for x in self.im.flat))
        return mpmath.mpf((top, -self.bits))

    def scaled_floats(self):
        """(A, e): a complex128 array with max |A| about 1 and self = A * 2**e."""
        top = max(max(abs(x).bit_length() for x in self.re.flat),
                  max(abs(x).bit_length() for x in self.im.flat))
        if top == 0:
            return np.zeros(self.shape, dtype=np.complex128), 0
        s = top - 60  # keep 60 bits of each entry relative to the largest
        re = np.array([float(_shift(x, -s)) for x in self.re.flat]).reshape(self.shape)
        im = np.array([float(_shift(x, -s)) for x in self.im.flat]).reshape(self.shape)
        return (re + 1j * im) * 2.0**-60, s + 60 - self.bits

    def to_complex(self):
        A, e = self.scaled_floats()
        return np.ldexp(A.real, e) + 1j * np.ldexp(A.imag, e)

    def to_mp(self):
        rows, cols = self.shape
        M = mpmath.matrix(rows, cols)
        e = -self.bits
        for i in range(rows):
            for j in range(cols):
                M[i, j] = mpmath.mpc(mpmath.mpf((self.re[i, j], e)), mpmath.mpf((self.im[i, j], e)))
        return M

    def block(self, rows, cols):
        return _Fixed(self.re[rows, cols], self.im[rows, cols], self.bits)


def _shift(m, s):
    """m * 2**s rounded to an integer."""
    if s >= 0:
        return m << s
    return (m + (1 << (-s - 1))) >> -s


def _signed(mpf_tuple):
    # an mpf's man_exp drops the sign, so read the raw (sign, man, exp, bc)
    sign, man, exp, _ = mpf_tuple
    return (-int(man) if sign else int(man)), exp


def _float_pair(x, exp=0):
    if x == 0.0:
        return 0, 0
    m, e = math.frexp(x)
    return int(m * 2**53), e - 53 + exp


def _clusters(lam, delta):
    """Groups of eigenvalues linked by distances <= delta, as arrays of indices."""
    linked = np.abs(lam[:, None] - lam[None, :]) <= delta
    count, labels = connected_components(linked, directed=False)
    return [np.flatnonzero(labels == c) for c in range(count)]


def _decoupling(Tf, F, slices):
    """Z (off-block) with T_aa Z_ab - Z_ab T_bb = -F_ab for every pair of blocks a != b.

    Solved in float64: one Newton step of the block diagonalisation, exact
    to first order in F up to float64's relative error, so each step shrinks
    the off-block part by about 1e-16 (or quadratically).
    """
    diag = np.diag(Tf)
    with np.errstate(divide="ignore", invalid="ignore"):
        Z = -F / (diag[:, None] - diag[None, :])
    for a in slices:
        Z[a, a] = 0
    singles = [a for a in slices if a.stop - a.start == 1]
    multis = [a for a in slices if a.stop - a.start > 1]
    for a in multis:
        for b in slices:
            if b is not a:
                Z[a, b] = scipy.linalg.solve_sylvester(Tf[a, a], -Tf[b, b], -F[a, b])
        for b in singles:
            Z[b, a] = scipy.linalg.solve_sylvester(Tf[b, b], -Tf[a, a], -F[b, a])
    return Z if np.all(np.isfinite(Z)) else None


def _block_diagonalise(G, dps, t_max):
    """(S, S^-1, blocks) with G = S D S^-1, D block diagonal, verified; or None.

    G is scaled so that max |G_ij| is about 1, and is given at the working
    precision; ``blocks`` lists (first index, mpmath block of D).
    """
    n = G.rows
    bits = int(mpmath.mp.prec) + 8
    Gx = _Fixed.from_mp(G, bits)
    try:
        lam, X = np.linalg.eig(Gx.to_complex())
    except np.linalg.LinAlgError:
        return None
    if not (np.all(np.isfinite(lam)) and np.all(np.isfinite(X))):
        return None
    target = mpmath.mpf(10) ** -(dps + 3)  # allowed error of exp(G t) v0, relative to |v0|
    tried = set()
    for delta in (1e-6, 1e-4, 1e-2):
        clusters = _clusters(lam, delta)
        key = tuple(tuple(c) for c in clusters)
        if key in tried or (len(clusters) == 1 and n > 1):
            continue
        tried.add(key)
        result = _refine(Gx, X, clusters, target, t_max)
        if result is not None:
            return result
    return None


def _refine(Gx, X, clusters, target, t_max):
    """Newton refinement of a block diagonalisation of Gx, verified, or None.

    S starts from float64 eigenvectors (an orthonormal basis of each cluster's
    span) and Y from the float64 inverse.  Each step computes T = Y G S,
    removes the off-block part of T to first order (S <- S (I + Z),
    Y <- (I - Z) Y) after one Newton-Schulz step Y <- Y + Y (I - S Y).
    """
    n, bits = Gx.shape[0], Gx.bits
    columns, slices, start = [], [], 0
    for members in clusters:
        q, _ = np.linalg.qr(X[:, members])  # orthonormal basis of the cluster's span
        columns.append(q)
        slices.append(slice(start, start + len(members)))
        start += len(members)
    Sf = np.hstack(columns)
    try:
        Yf = np.linalg.inv(Sf)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(Yf)):
        return None
    S, Y = _Fixed.from_complex(Sf, bits), _Fixed.from_complex(Yf, bits)
    eye = _Fixed.eye(n, bits)
    offblock = np.ones((n, n), dtype=bool)
    for a in slices:
        offblock[a, a] = False
    eps = mpmath.ldexp(1, -bits)
    previous = None
    for _ in range(16):
        R = eye - S @ Y
        r = R.maxabs()
        if r > 0.5:
            return None
        floor = 64 * n * n * eps * S.maxabs() * Y.maxabs()
        if r > floor:
            Y = Y + Y @ R  # Newton-Schulz: squares the residual
        T = Y @ (Gx @ S)
        F = T.masked(offblock)
        f = F.maxabs()
        if f <= floor and r <= floor:
            break
        if previous is not None and max(f, r) > previous / 16:
            break  # no more progress
        previous = max(f, r)
        if f > floor:
            Fs, e = F.scaled_floats()
            Zs = _decoupling(T.to_complex(), Fs, slices)
            if Zs is None or math.log2(max(float(np.max(np.abs(Zs))), 1e-300)) + e > -2:
                return None
            Z = _Fixed.from_complex(Zs, bits, exp=e)
            S = S + S @ Z
            Y = Y - Z @ Y
    # verification, independent of how S and Y were found
    T = Y @ (Gx @ S)
    f = T.masked(offblock).maxabs()
    r = (eye - S @ Y).maxabs()
    kappa = n * S.maxabs() * n * Y.maxabs()
    error = kappa * (r + n * f * t_max + n * eps)
    if not error <= target:
        return None
    blocks = [(a.start, T.block(a, a).to_mp()) for a in slices]
    return S, Y, blocks


# ---------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------


@precision_held()  # mpmath's precision is process-wide
def evolve(H, rho0, times, *, lindblad=(), dps=None, state_tolerance=None):
    """Density matrices rho(t) for each t in times under the master equation.

    d rho/dt = -i[H, rho] + sum_k rate_k (L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho}).
    Without Lindblad terms this is :func:`unitary_evolution`, otherwise
    :func:`lindblad_evolution`; both only build the generator and
    exponentiate it, sharing no formula with the closed forms.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian: numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"`` and
        ``"0.2+0.1j"``.
    rho0 : matrix
        Initial density matrix, d x d, in the same forms.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    lindblad : sequence of (rate, L) pairs, keyword-only
        Non-negative rates (number or string) and d x d jump operators;
        empty (or None) for unitary evolution.
    dps : int or None, keyword-only
        None: float64, results are complex128 numpy arrays.  N: mpmath at
        N significant digits (with guard digits inside ``mpmath.workdps``;
        ``mpmath.mp.dps`` is left unchanged), results are ``mpmath.matrix``.
    state_tolerance : number, optional, keyword-only
        The tolerance of the checks on rho0 (Hermiticity, trace, positivity),
        for a caller that knows the precision of its state (a state built
        from float64 input and evolved at ``dps``); by default it follows
        the precision of rho0's entries and of ``dps``.

    Returns
    -------
    list
        rho(t) for each time, in the order given.

    Raises
    ------
    ValueError
        For invalid input; the message quotes the offending value.

    Examples
    --------
    >>> import numpy as np
    >>> from symthermo.propagator import evolve
    >>> sm = np.array([[0, 0], [1, 0]])           # decay |e> (index 0) -> |g>
    >>> rhos = evolve(np.zeros((2, 2)), [[1, 0], [0, 0]], [0, 1, 2], lindblad=[(0.5, sm)])
    >>> [round(float(r[0, 0].real), 12) for r in rhos]
    [1.0, 0.606530659713, 0.367879441171]
    >>> bool(np.isclose(rhos[2][0, 0].real, np.exp(-1)))
    True
    """
    if lindblad is None:
        lindblad = ()
    if isinstance(lindblad, (str, bytes)) or not hasattr(lindblad, "__iter__"):
        raise TypeError(f"lindblad must be a sequence of (rate, L) pairs, got {lindblad!r}")
    terms = list(lindblad)
    if not terms:
        return unitary_evolution(H, rho0, times, dps=dps, state_tolerance=state_tolerance)
    return lindblad_evolution(H, rho0, times, lindblad=terms, dps=dps,
                              state_tolerance=state_tolerance)
