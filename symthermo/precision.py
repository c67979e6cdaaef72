"""Precision as a scope, never a global.

Every public function that takes ``dps`` does its work inside
:func:`working_precision`, which adds guard digits and restores
``mpmath.mp.dps`` on exit, and rounds what it returns to ``dps`` digits.

>>> import mpmath
>>> from symthermo.precision import working_precision, decimal_string
>>> before = mpmath.mp.dps
>>> with working_precision(50):
...     x = mpmath.mpf(1) / 3
>>> mpmath.mp.dps == before
True
>>> decimal_string(x, 10)
'0.3333333333'
"""

from __future__ import annotations

import contextlib
import contextvars
import decimal
import math
import threading

from .lazy import is_loaded, lazy_import
from .numbers import _GUARD_DIGITS

mpmath = lazy_import("mpmath")

__all__ = [
    "GUARD_DIGITS",
    "working_precision",
    "decimal_string",
    "decimal_strings",
    "check_dps",
    "FLOAT64_DIGITS",
    "requested_digits",
    "PRECISION_LOCK",
    "precision_held",
]

GUARD_DIGITS = _GUARD_DIGITS
#: significant digits printed for a float64 result
FLOAT64_DIGITS = 15


def check_dps(dps):
    """``dps`` as a positive int, or a ValueError quoting it."""
    if isinstance(dps, bool) or not isinstance(dps, int):
        try:
            value = int(str(dps))
        except ValueError:
            raise ValueError(f"dps must be a positive integer, got {dps!r}") from None
        dps = value
    if dps < 1 or dps > 10000:
        raise ValueError(f"dps must be between 1 and 10000, got {dps}")
    return dps


#: held while a thread works at a precision of its own: mpmath's ``mp`` and python-flint's
#: ``ctx`` are process-wide, so two threads at different precisions must take turns
PRECISION_LOCK = threading.RLock()



#: mpmath's precision when it is imported (53 bits, 15 digits)
_MPMATH_DEFAULT_PREC = 53


def _flint_context():
    """python-flint's global context if python-flint is in use (never imported here)."""
    import sys

    flint = sys.modules.get("flint")
    return getattr(flint, "ctx", None)


class precision_held(contextlib.ContextDecorator):
    """Hold :data:`PRECISION_LOCK` and put the global precisions back on exit.

    A context manager and a decorator.  mpmath's ``mp`` (and python-flint's
    ``ctx``, where python-flint is loaded) are process-wide: a thread that
    changes their precision changes it for every thread, and SymPy's ``evalf``
    changes it too (``mpmath.workprec`` inside ``Function._eval_evalf``).  Every
    public function of symthermo that computes with mpmath or SymPy numbers
    runs inside this block, so two threads at different precisions take turns
    and each finds ``mp.prec`` as it left it.  Code of your own that uses
    mpmath in another thread at the same time should hold
    :data:`PRECISION_LOCK` as well.

    >>> import mpmath
    >>> from symthermo.precision import precision_held
    >>> before = mpmath.mp.prec
    >>> with precision_held():
    ...     mpmath.mp.dps = 80        # a careless change inside the block...
    >>> mpmath.mp.prec == before      # ...is undone on exit
    True
    """

    def _recreate_cm(self):
        return type(self)()  # a decorated function gets a fresh block per call (and thread)

    def __enter__(self):
        PRECISION_LOCK.acquire()
        try:
            flint_ctx = _flint_context()
            # mpmath not loaded yet: it starts at its default precision, so that is
            # what to restore (and a float64 run never loads it just to look)
            prec = mpmath.mp.prec if is_loaded("mpmath") else _MPMATH_DEFAULT_PREC
            self._saved = (prec, flint_ctx, flint_ctx.prec if flint_ctx is not None else None)
        except BaseException:
            PRECISION_LOCK.release()
            raise
        return self

    def __exit__(self, *exc):
        prec, flint_ctx, flint_prec = self._saved
        try:
            if is_loaded("mpmath"):
                mpmath.mp.prec = prec
            if flint_ctx is not None and flint_ctx.prec != flint_prec:
                flint_ctx.prec = flint_prec
        finally:
            PRECISION_LOCK.release()
        return False


#: the digits asked of the innermost working_precision block (see requested_digits)
_REQUESTED_DIGITS = contextvars.ContextVar("symthermo_requested_digits", default=None)


@contextlib.contextmanager
def working_precision(dps, *, extra=0):
    """mpmath at ``dps`` digits plus guard digits (plus ``extra``), restored on exit."""
    dps = check_dps(dps)
    with precision_held():
        token = _REQUESTED_DIGITS.set(dps)
        try:
            with mpmath.workdps(dps + GUARD_DIGITS + extra):
                yield
        finally:
            _REQUESTED_DIGITS.reset(token)


def requested_digits():
    """The digits asked of the innermost :func:`working_precision` block (None outside one).

    Unlike ``mpmath.mp.dps`` it does not grow when :func:`stable` re-evaluates
    with extra digits, so a choice that must be the same in every
    re-evaluation (a series truncated for the requested precision) can rest
    on it.

    >>> from symthermo.precision import requested_digits, working_precision
    >>> with working_precision(30, extra=40):
    ...     requested_digits()
    30
    >>> requested_digits() is None
    True
    """
    return _REQUESTED_DIGITS.get()


def decimal_string(x, dps):
    """``x`` as a decimal string with ``dps`` significant digits.

    ``inf``/``-inf`` for infinities; ``nan`` is refused (the contract never
    prints it); an exact zero prints as ``0``.  The digits do not depend on
    ``mpmath.mp.dps``: the number is converted at its own precision.
    """
    if _is_bound(x):
        return x.text()  # "0 +/- r": a value agreement could not tell from 0
    if isinstance(x, float):
        if math.isnan(x):
            raise ValueError("refusing to print nan")
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if x == 0:
            return "0"
        return _float_string(x, dps)
    if not isinstance(x, (mpmath.mpf, mpmath.mpc)):
        # an int, Fraction or SymPy number: converted exactly enough for dps digits
        with precision_held(), mpmath.workdps(max(dps, 17) + 5):
            x = mpmath.mpmathify(x)
    if isinstance(x, mpmath.mpc):
        if x.imag != 0:
            raise ValueError(f"refusing to print a complex value {x} as a real quantity")
        x = x.real
    if mpmath.isnan(x):
        raise ValueError("refusing to print nan")
    if mpmath.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    return mpmath.nstr(x, dps, strip_zeros=False)


def _is_bound(x):
    """x is a :class:`~symthermo.values.Bound` (made only once that module is loaded:
    a float64 run does not import it)."""
    if not is_loaded("symthermo.values"):
        return False
    from .values import Bound

    return isinstance(x, Bound)


def _float_string(x, dps):
    """A finite non-zero float as ``mpmath.nstr(mpf(x), dps, strip_zeros=False)``
    prints it, without mpmath: the exact binary value rounded half away from
    zero to ``dps`` digits (mpmath truncates its digit string, then rounds up on
    a digit 5..9), fixed-point when the leading digit's exponent is strictly
    between min(-(dps // 3), -5) and dps, else ``d.ddd...e+N`` / ``e-N``.

    Python's ``format`` rounds correctly, half to even: it differs only on an
    exact tie, which needs x 2^(dps + 1 - e) to be an integer (x = N 10^(e - dps)
    with N an integer); those few values go through :mod:`decimal`."""
    if dps < 2:
        return _float_string_exact(x, dps)
    text = format(x, f".{dps - 1}e")
    mark = text.index("e")
    exponent = int(text[mark + 1:])
    if (x * 2.0 ** (dps + 1 - exponent)).is_integer():
        return _float_string_exact(x, dps)
    sign = "-" if text[0] == "-" else ""
    digits = text[len(sign)] + text[len(sign) + 2:mark]
    if min(-(dps // 3), -5) < exponent < dps:
        if exponent < 0:
            return sign + "0." + "0" * (-exponent - 1) + digits
        return sign + digits[:exponent + 1] + "." + digits[exponent + 1:]
    return sign + text[len(sign):mark] + (f"e+{exponent}" if exponent >= 0 else f"e{exponent}")


def decimal_strings(values, dps):
    """:func:`decimal_string` of every float of a float64 array (a list of str).

    The same strings, made column-wise: the tie test runs in numpy on the whole
    column, with a lower bound of each exponent (floor(log10 |x|) - 1), which
    only sends a few more values (those with few binary digits) the exact way.

    >>> import numpy as np
    >>> from symthermo.precision import decimal_strings
    >>> decimal_strings(np.array([0.5, -1e-7, 0.0, np.inf, 1/3]), 15)
    ['0.500000000000000', '-1.00000000000000e-7', '0', 'inf', '0.333333333333333']
    """
    import numpy as np

    a = np.asarray(values, dtype=float)
    if np.isnan(a).any():
        raise ValueError("refusing to print nan")
    if dps < 2:
        return [decimal_string(x, dps) for x in a.tolist()]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.abs(a)
        regular = np.isfinite(a) & (magnitude > 0)
        low = np.where(regular, np.floor(np.log10(np.where(regular, magnitude, 1.0))) - 1, 0)
        scaled = np.ldexp(a, (dps + 1 - low).astype(np.int64))
        exact_way = ~regular | (scaled == np.floor(scaled))
    form = f".{dps - 1}e"
    lowest = min(-(dps // 3), -5)
    out = []
    for x, special in zip(a.tolist(), exact_way.tolist()):
        if special:
            out.append(decimal_string(x, dps))
            continue
        text = format(x, form)
        mark = text.index("e")
        exponent = int(text[mark + 1:])
        sign = "-" if x < 0 else ""
        start = len(sign)
        if lowest < exponent < dps:
            digits = text[start] + text[start + 2:mark]
            if exponent < 0:
                out.append(sign + "0." + "0" * (-exponent - 1) + digits)
            else:
                out.append(sign + digits[:exponent + 1] + "." + digits[exponent + 1:])
        else:
            out.append(text[:mark] + (f"e+{exponent}" if exponent >= 0 else f"e{exponent}"))
    return out


def _float_string_exact(x, dps):
    """:func:`_float_string` by exact decimal arithmetic (round half up)."""
    ctx = _DECIMAL_CONTEXTS.get(dps)
    if ctx is None:
        ctx = _DECIMAL_CONTEXTS.setdefault(
            dps, decimal.Context(prec=dps, rounding=decimal.ROUND_HALF_UP, Emax=10 ** 6,
                                 Emin=-10 ** 6, traps=[]))
    rounded_value = ctx.plus(decimal.Decimal(x))  # Decimal(float) is exact
    sign, digit_tuple, _ = rounded_value.as_tuple()
    digits = "".join(map(str, digit_tuple)).ljust(dps, "0")
    exponent = rounded_value.adjusted()
    if min(-(dps // 3), -5) < exponent < dps:
        if exponent < 0:
            digits = "0" * -exponent + digits
            split = 1
        else:
            split = exponent + 1
        text = digits[:split] + "." + digits[split:]
    else:
        text = digits[:1] + "." + digits[1:] + (f"e+{exponent}" if exponent >= 0 else f"e{exponent}")
    return "-" + text if sign else text


_DECIMAL_CONTEXTS = {}


@contextlib.contextmanager
def scope(*objects, dps=None):
    """Choose the number system for ``objects`` and enter its precision.

    Yields ``(lib, digits)``: ``digits`` is the number of digits the result
    must carry (``None`` for float64 and exact).  mpmath input with
    ``dps=None`` keeps the caller's ``mpmath.mp.dps`` as the target.
    """
    from .numbers import MPMATH, number_system

    if dps is not None:
        dps = check_dps(dps)
    with precision_held():  # SymPy's evalf and our parsers touch mpmath too
        lib = number_system(*objects, dps=dps)
        if lib is MPMATH:
            digits = dps if dps is not None else mpmath.mp.dps
            with working_precision(digits):
                yield lib, digits
        else:
            yield lib, None


@precision_held()
def rounded(x, digits):
    """Round an mpmath number (or a dict/list of them) to ``digits``; others pass.

    The numbers come back as :mod:`symthermo.values` numbers that carry
    ``digits`` and print with them, whatever ``mpmath.mp.dps`` is.

    >>> import mpmath
    >>> from symthermo.precision import rounded, working_precision
    >>> with working_precision(30):
    ...     x = rounded(mpmath.mpf(2) / 3, 30)
    >>> x, x.dps
    (mpf('0.666666666666666666666666666667'), 30)
    """
    from .values import with_digits

    if digits is None:
        return x
    return with_digits(_rounded(x, digits), digits)


def _rounded(x, digits):
    import dataclasses

    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return type(x)(*[_rounded(getattr(x, f.name), digits) for f in dataclasses.fields(x)])
    if isinstance(x, mpmath.matrix):
        with mpmath.workdps(digits):
            return x.apply(lambda v: +v)
    if isinstance(x, dict):
        return {k: _rounded(v, digits) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_rounded(v, digits) for v in x)
    if isinstance(x, (mpmath.mpf, mpmath.mpc)) and not _is_bound(x):
        with mpmath.workdps(digits):
            return +x
    return x


__all__ += ["scope", "rounded"]


def _flatten(x):
    """The mpmath numbers inside x (dicts, sequences, dataclasses, matrices)."""
    import dataclasses

    if isinstance(x, dict):
        out = []
        for k in sorted(x, key=str):
            out += _flatten(x[k])
        return out
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return _flatten(dataclasses.astuple(x))
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out += _flatten(v)
        return out
    if isinstance(x, mpmath.matrix):
        return [x[i, j] for i in range(x.rows) for j in range(x.cols)]
    if isinstance(x, (mpmath.mpf, mpmath.mpc, int, float)):
        return [mpmath.mpmathify(x)]
    return []


def _bounded(x, radii, counter=None):
    """x with the numbers at the positions of ``radii`` (flatten order: radius) replaced
    by :class:`~symthermo.values.Bound` (a matrix entry, which holds only mpmath's own
    numbers, by 0)."""
    import dataclasses

    from .values import Bound

    if counter is None:
        counter = [0]
    if isinstance(x, dict):
        return {k: _bounded(x[k], radii, counter) for k in sorted(x, key=str)}
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        values = [_bounded(getattr(x, f.name), radii, counter) for f in dataclasses.fields(x)]
        return type(x)(*values)
    if isinstance(x, (list, tuple)):
        return type(x)(_bounded(v, radii, counter) for v in x)
    if isinstance(x, mpmath.matrix):
        out = mpmath.matrix(x.rows, x.cols)
        for i in range(x.rows):
            for j in range(x.cols):
                out[i, j] = 0 if counter[0] in radii else x[i, j]
                counter[0] += 1
        return out
    if isinstance(x, (mpmath.mpf, mpmath.mpc, int, float)):
        k = counter[0]
        counter[0] += 1
        return Bound(radii[k], mpmath.mp.dps) if k in radii else x
    return x


def stable(compute, digits, *, max_extra=None):
    """``compute()`` evaluated until ``digits`` significant digits are certain.

    ``compute`` is called at ``digits`` + guard digits, then with 20, 40,
    80, ... more, until two successive results agree to ``digits + 2``
    digits in every number they contain.  A number that keeps disagreeing
    while it lies within each precision's rounding floor (10 digits above
    the working precision, relative to the largest number of the result or
    1) at two successive steps is rounding noise about a value below that
    floor (an exact zero of the formulas reached by a cancellation, or a
    value too small for the precision budget), and so is one that shrinks by
    the added precision at two successive steps.  Agreement cannot tell such
    a value from 0, so it is returned as a :class:`~symthermo.values.Bound`:
    it computes as 0 and prints as ``"0 +/- r"``, r the larger of the last
    evaluation's size and floor (a printed ``0`` is reserved for zeros the
    structure proves).  This is how a difference of nearly equal quantities (the
    exergy of a near-pure state) gets all its returned digits right.

    Raises :class:`~symthermo.errors.PrecisionError` if the digits cannot be
    certified within ``max_extra`` extra digits.

    >>> import mpmath
    >>> from symthermo.precision import stable
    >>> x = stable(lambda: (1 + mpmath.mpf(10)**-40) - 1, 10)    # needs > 40 digits
    >>> mpmath.nstr(x, 10)
    '1.0e-40'
    >>> stable(lambda: mpmath.sin(mpmath.pi), 10)
    Bound('0 +/- 1.1e-70')
    """
    digits = check_dps(digits)
    if max_extra is None:
        max_extra = 4 * digits + 200
    with precision_held():  # the comparisons between the evaluations need mpmath too
        return _stable(compute, digits, max_extra)


def _stable(compute, digits, max_extra):
    extra, step = 0, 20
    with working_precision(digits):
        previous = compute()
    previous_digits = digits + GUARD_DIGITS
    shrinking, noisy = set(), set()
    while True:
        extra += step
        current_digits = digits + GUARD_DIGITS + extra
        with working_precision(digits, extra=extra):
            current = compute()
        a, b = _flatten(previous), _flatten(current)
        if len(a) != len(b):
            raise RuntimeError("stable(): the computation changed shape with precision")
        with mpmath.workdps(current_digits):
            finite = [abs(v) for v in b if not (mpmath.isinf(v) or mpmath.isnan(v))]
            scale = max([mpmath.mpf(1)] + finite)
            floor_previous = scale * mpmath.mpf(10) ** -(previous_digits - 10)
            floor_current = scale * mpmath.mpf(10) ** -(current_digits - 10)
        settled = True
        zeros, new_shrinking, new_noisy = {}, set(), set()
        for k, (x, y) in enumerate(zip(a, b)):
            if x == y:
                continue
            if mpmath.isinf(x) or mpmath.isinf(y) or mpmath.isnan(x) or mpmath.isnan(y):
                settled = False
                continue
            with mpmath.workdps(current_digits):
                if abs(x - y) <= abs(y) * mpmath.mpf(10) ** -(digits + 2):
                    continue
                if abs(x) <= floor_previous and abs(y) <= floor_current:
                    new_noisy.add(k)
                    if k in noisy:
                        # rounding noise about a value below the floor, three times over
                        zeros[k] = max(abs(y), floor_current)
                        continue
                # an exact 0 after a shrink is the same zero, rounded the other way
                if abs(y) <= abs(x) * mpmath.mpf(10) ** -(step // 2) or (x == 0 and k in shrinking):
                    new_shrinking.add(k)
                    if k in shrinking:
                        zeros[k] = max(abs(y), floor_current)  # shrank twice: below it
                        continue
            settled = False
        if settled:
            return rounded(_bounded(current, zeros) if zeros else current, digits)
        shrinking, noisy = new_shrinking, new_noisy
        if extra >= max_extra:
            from .errors import PrecisionError

            raise PrecisionError(
                f"could not certify {digits} digits with {extra} extra digits of working precision")
        previous, previous_digits = current, current_digits
        step *= 2


__all__ += ["stable"]


def evaluate(body, *objects, dps=None, certify=False):
    """Run ``body(lib)`` in the number system chosen for ``objects`` and ``dps``.

    With mpmath, the result is rounded to the requested digits; with
    ``certify=True`` it is computed by :func:`stable`, so differences of
    nearly equal numbers keep all their returned digits.
    """
    from .numbers import MPMATH, number_system

    if dps is not None:
        dps = check_dps(dps)
    with precision_held():
        lib = number_system(*objects, dps=dps)
        if lib is not MPMATH:
            return body(lib)
        digits = dps if dps is not None else mpmath.mp.dps
        if certify:
            return stable(lambda: body(lib), digits)
        with working_precision(digits):
            return rounded(body(lib), digits)


__all__ += ["evaluate"]
