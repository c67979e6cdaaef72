"""What the propagator reads, and the checks of what it returns.

Numbers (strings by the grammar of :mod:`symthermo.expressions`, binary floats
by their exact value, SymPy and mpmath numbers) with the eps of the number system
they came in; matrices, the Hamiltonian, the initial state (Hermitian, unit
trace, positive semidefinite), Lindblad terms, times and ``dps``, as complex128
arrays or mpmath matrices.  A propagated rho(t) is refused unless it stayed
Hermitian and kept its trace to rounding level (:func:`_finish`).
"""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

import numpy as np

from .exact_numbers import ExactComplex
from .expressions import ExpressionError, parse_number
from .lazy import lazy_import

mpmath = lazy_import("mpmath")

__all__: list[str] = []  # the propagator's own helpers (symthermo.propagator is the API)

#: guard digits added to ``dps`` inside ``mpmath.workdps`` (at least 10)
_GUARD_DIGITS = 10
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


def float64_entry_error(d, norm, t):
    """The absolute error of an entry of a float64 rho(t) (d x d) propagated by a
    generator of norm ``norm``: the input's, the eigensolver's and the products' rounding
    (d eps) and the phases' (eps ||G|| t)."""
    return 2 * _FLOAT64_EPS * (d + norm * float(t))


def _finish(rho, trace0, dps, norm=0.0, t=0.0):
    """Hermitian part of a computed rho(t), refused unless it drifted at rounding level:
    in float64 1e-9, or d times :func:`float64_entry_error` of a generator of norm
    ``norm`` at time ``t`` where that is larger (expm(G t) of an open qutrit-qubit
    system at ||G|| t = 3e7 drifts 1.1e-9 from its trace: an internal failure, exit
    code 1, for a row the ledger recomputes on balls anyway)."""
    d = _dim(rho)
    tol = (max(_FLOAT_RESULT_TOL, d * float64_entry_error(d, norm, t)) if dps is None
           else mpmath.mpf(10) ** -dps)
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
