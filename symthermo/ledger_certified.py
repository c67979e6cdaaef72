"""The Python API's ledger at ``dps`` digits on the certified ball route.

:func:`symthermo.ledger.ledger` with ``dps`` evaluates as ``symthermo ledger --dps``
does (rigorous propagators and spectra in balls, Ziv's loop, :mod:`symthermo.certify`),
and returns the printed texts as numbers that carry their digits
(:func:`value_of_text`): the same proven digits as the command line.
"""

from __future__ import annotations

import mpmath

from .values import Bound

__all__ = ["certified_ledger_rows", "value_of_text", "PrintedBound"]


def value_of_text(text, digits):
    """The number a certified text stands for, carrying its digits.

    A proven decimal is a :class:`~symthermo.values.Real` of ``digits`` digits, a
    bound ``"0 +/- r"`` a :class:`PrintedBound` (a :class:`~symthermo.values.Bound`), and ``"m +/- r"`` with
    m not 0 the Real m carrying only the significant digits printed in m.

    >>> from symthermo.ledger_certified import value_of_text
    >>> value_of_text("0.333333333333333333333333333333", 30)
    mpf('0.333333333333333333333333333333')
    >>> value_of_text("0 +/- 3.1e-298", 30)
    Bound('0 +/- 3.1e-298')
    >>> x = value_of_text("1.23 +/- 0.0041", 30); print(x, x.dps)
    1.23 3
    >>> value_of_text("inf", 30) == mpmath.inf
    True
    """
    from .values import Real

    with mpmath.workdps(digits + 20):
        if " +/- " not in text:
            return Real(mpmath.mpf(text), digits)
        m, r = text.split(" +/- ")
        if m in ("0", "-0"):
            return PrintedBound(r, digits)
        mantissa = m.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
        return Real(mpmath.mpf(m), max(1, len(mantissa)))


class PrintedBound(Bound):
    """A :class:`~symthermo.values.Bound` read from the certified route's text
    ``"0 +/- r"``: its radius is r rounded up to binary (still a bound), and it prints
    as that text (rounding the binary radius up to two digits again would print the
    next decimal, 3.2e-298 for 3.1e-298).

    >>> from symthermo.ledger_certified import PrintedBound
    >>> x = PrintedBound("3.1e-298", 30)
    >>> print(x), x.radius >= mpmath.mpf("3.1e-298"), x == 0
    0 +/- 3.1e-298
    (None, True, True)
    """

    __slots__ = ("_radius_text",)

    def __new__(cls, radius_text, dps):
        prec = mpmath.mp.prec + 20
        out = super().__new__(cls, mpmath.mpf(mpmath.libmp.from_str(radius_text, prec, "u")),
                              dps)
        out._radius_text = radius_text
        return out

    def text(self):
        return f"0 +/- {self._radius_text}"


def _midpoints(matrix, digits):
    """An mpmath matrix of the midpoints of a ball matrix, rounded to ``digits``."""
    from .ball_conversion import is_ball
    from .values import Matrix

    rows, cols = (matrix.nrows(), matrix.ncols()) if callable(getattr(matrix, "nrows", None)) \
        else (matrix.rows, matrix.cols)
    out = Matrix(rows, cols, dps=digits)
    with mpmath.workdps(digits):
        for i in range(rows):
            for j in range(cols):
                x = matrix[i, j]
                if is_ball(x) and hasattr(x, "real") and hasattr(x, "imag"):
                    re, im = x.real, x.imag
                    out[i, j] = mpmath.mpc(mpmath.mpf(re.mid().str(digits + 5, radius=False)),
                                           mpmath.mpf(im.mid().str(digits + 5, radius=False)))
                elif is_ball(x):
                    out[i, j] = mpmath.mpf(x.mid().str(digits + 5, radius=False))
                else:
                    out[i, j] = x
    return out


def certified_ledger_rows(system, compute, digits, keys):
    """(rows, reduced states or None) of ``system`` at ``digits`` on balls, or None where
    the balls have no route (the caller then certifies with mpmath).

    ``compute(lib)`` returns (rows of raw numbers, reduced states or None), as in
    :func:`symthermo.ledger.ledger`; each row's values are those ``symthermo ledger
    --dps digits`` prints, read by :func:`value_of_text`."""
    import flint

    from .balls import ball_precision
    from .ledger import check_system
    from .tables import LEDGER_GUARD_BITS, _ball_rows_out, _evaluate_balls

    check_system(system, digits)  # messages quote decimals, as ledger_payload's
    last = []

    def compute_balls(lib):
        with ball_precision(flint.ctx.prec + LEDGER_GUARD_BITS):  # as ledger_payload
            rows, reduced = compute(lib)
        last[:] = [reduced]  # the states of the evaluation Ziv's loop keeps: the last
        return rows

    result = _evaluate_balls(compute_balls, digits)
    if result is None:
        return None
    texts = _ball_rows_out(result, keys, digits, False)
    rows = [{k: value_of_text(v, digits) for k, v in row.items()} for row in texts]
    reduced = last[0]
    if reduced is not None:
        reduced = [{n: _midpoints(m, digits) for n, m in r.items()} for r in reduced]
    return rows, reduced
