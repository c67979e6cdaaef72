"""Numbers that carry their precision: what a public function returns at ``dps=N``.

mpmath prints a number at the *global* precision (``mpmath.mp.dps``, 15 by
default), so a value computed at ``dps=40`` would show 17 digits in a REPL
and invite the reader to think that is all there is.  The classes here are
mpmath's own numbers (subclasses of ``mpmath.mpf``, ``mpmath.mpc`` and
``mpmath.matrix``) that also remember the digits they were computed to and
print exactly those.  Everything else is mpmath's: comparison, hashing,
``float()``, ``complex()``, ``mpmath.mpf(x)``, and arithmetic, whose
results are plain mpmath numbers (a sum of two 40-digit values is not known
to 40 digits, so it prints at the global precision again).

>>> import mpmath
>>> from symthermo.values import Real, with_digits
>>> x = with_digits(mpmath.mpf(1) / 3, 40)     # what a function at dps=40 returns
>>> x
mpf('0.3333333333333333148296162562473909929395')
>>> with mpmath.workdps(40):
...     third = with_digits(mpmath.mpf(1) / 3, 40)
>>> print(third)
0.3333333333333333333333333333333333333333
>>> third.dps, isinstance(third, mpmath.mpf), float(third)
(40, True, 0.3333333333333333)
>>> third == mpmath.mpf(1) / 3                 # compares as the mpf it is
False
>>> type(third + 1) is mpmath.mpf              # arithmetic gives plain mpmath numbers
True
"""

from __future__ import annotations

import dataclasses

import mpmath
from mpmath.libmp import from_pickable, to_pickable

__all__ = ["Real", "Bound", "Complex", "Matrix", "with_digits"]


def _digits_text(x, dps):
    if mpmath.isinf(x) or mpmath.isnan(x):
        return mpmath.nstr(x)
    if x == 0:
        return "0.0"  # as mpmath prints an exact zero
    return mpmath.nstr(x, dps, strip_zeros=False)


class Real(mpmath.mpf):
    """An ``mpmath.mpf`` computed to ``dps`` significant digits, printed with them.

    Parameters
    ----------
    value : mpmath.mpf
        Taken as it is (no rounding: round it first, as the public functions do).
    dps : int
        The digits the value carries.
    """

    __slots__ = ("dps",)

    def __new__(cls, value, dps):
        value = value if isinstance(value, mpmath.mpf) else mpmath.mpf(value)
        return cls._raw(value._mpf_, dps)

    def __repr__(self):
        return f"mpf('{_digits_text(self, self.dps)}')"

    def __str__(self):
        return _digits_text(self, self.dps)

    @classmethod
    def _raw(cls, mpf_tuple, dps):
        out = object.__new__(cls)
        out._mpf_ = mpf_tuple
        out.dps = int(dps)
        return out

    def __reduce__(self):  # pickle, copy: keep every bit and the digits
        return (_real_from, (to_pickable(self._mpf_), self.dps))


class Complex(mpmath.mpc):
    """An ``mpmath.mpc`` computed to ``dps`` significant digits, printed with them."""

    __slots__ = ("dps",)

    def __new__(cls, value, dps):
        value = value if isinstance(value, mpmath.mpc) else mpmath.mpc(value)
        out = object.__new__(cls)
        out._mpc_ = value._mpc_
        out.dps = int(dps)
        return out

    # mpmath's ``mpf op mpc`` builds its result as ``type(other)``, without digits:
    # such a Complex behaves as a plain mpc (``_digits()`` is None)
    def _digits(self):
        return getattr(self, "dps", None)

    def _plain(self):
        out = object.__new__(mpmath.mpc)
        out._mpc_ = self._mpc_
        return out

    def __repr__(self):
        if self._digits() is None:
            return repr(self._plain())
        return (f"mpc(real='{_digits_text(self.real, self.dps)}', "
                f"imag='{_digits_text(self.imag, self.dps)}')")

    def __str__(self):
        if self._digits() is None:
            return str(self._plain())
        return f"({_digits_text(self.real, self.dps)} + {_digits_text(self.imag, self.dps)}j)"

    def __reduce__(self):
        re, im = self._mpc_
        if self._digits() is None:
            return (mpmath.mpc, (mpmath.mpf(re), mpmath.mpf(im)))
        return (_complex_from, (to_pickable(re), to_pickable(im), self.dps))

    @property
    def real(self):
        if self._digits() is None:
            return self._plain().real
        return Real._raw(self._mpc_[0], self.dps)

    @property
    def imag(self):
        if self._digits() is None:
            return self._plain().imag
        return Real._raw(self._mpc_[1], self.dps)


class Bound(Real):
    """A value known only as |x| <= ``radius``: an exact 0 of the formulas that two
    evaluations at increasing precision found only as rounding noise (mpmath's route,
    :func:`symthermo.precision.stable`), which no structure proves to be 0.

    It computes as the ``mpf`` 0 it is closest to (so numeric callers see what they
    saw before) and prints as the contract's bounded form ``"0 +/- r"``
    (CONTRACT.md, "Values known only within a bound"), never as ``0``.  The radius
    comes from the agreement of the evaluations, as mpmath's digits do, not from a
    proof (the ball route proves its radii).

    >>> from symthermo.values import Bound
    >>> x = Bound(mpmath.mpf("3.14e-61"), 30)
    >>> print(x)
    0 +/- 3.2e-61
    >>> x == 0, float(x), x.dps
    (True, 0.0, 30)
    """

    __slots__ = ("radius",)

    def __new__(cls, radius, dps):
        out = cls._raw(mpmath.mpf(0)._mpf_, dps)
        out.radius = mpmath.mpf(radius)
        return out

    def text(self):
        """``"0 +/- r"``, r with two significant digits rounded up."""
        from .certify import rounded_up_text  # lazy: python-flint

        return f"0 +/- {rounded_up_text(self.radius)}"

    def __repr__(self):
        return f"Bound('{self.text()}')"

    def __str__(self):
        return self.text()

    def __reduce__(self):
        return (Bound, (self.radius, self.dps))


def _real_from(pickable, dps):
    return Real._raw(from_pickable(pickable), dps)


def _complex_from(re, im, dps):
    out = object.__new__(Complex)
    out._mpc_ = (from_pickable(re), from_pickable(im))
    out.dps = int(dps)
    return out


class Matrix(mpmath.matrix):
    """An ``mpmath.matrix`` whose entries were computed to ``dps`` digits.

    Printing shows ``dps`` digits; entries and arithmetic are plain mpmath
    (mpmath's own routines test ``type(x) is mpc``, so entries stay exactly
    mpmath's types and the matrix can be passed to any of them).

    >>> import mpmath
    >>> from symthermo.values import with_digits
    >>> with mpmath.workdps(25):
    ...     m = with_digits(mpmath.matrix([[mpmath.mpf(1) / 3, 0], [0, mpmath.mpf(2) / 3]]), 25)
    >>> m
    matrix(
    [[mpf('0.3333333333333333333333333'), mpf('0.0')],
     [mpf('0.0'), mpf('0.6666666666666666666666667')]])
    >>> type(m[0, 0]) is mpmath.mpf
    True
    >>> print(m)
    [0.3333333333333333333333333                          0.0]
    [                        0.0  0.6666666666666666666666667]
    """

    def __init__(self, *args, dps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dps = int(dps) if dps is not None else mpmath.mp.dps

    def __str__(self):
        return self.__nstr__(self.dps)

    def __nstr__(self, n=None, **kwargs):
        # mpmath's __nstr__ prints each entry with nstr(x, n); an exact 0 prints as 0
        return mpmath.matrix.__nstr__(mpmath.matrix(self), n if n is not None else self.dps,
                                      **kwargs)

    def __repr__(self):
        rows = ",\n ".join(
            "[" + ", ".join(repr(with_digits(self[i, j], self.dps)) for j in range(self.cols)) + "]"
            for i in range(self.rows))
        return f"matrix(\n[{rows}])"

    def __reduce__(self):
        return (_matrix_from, (mpmath.matrix(self).tolist(), self.dps))


def _matrix_from(rows, dps):
    return Matrix(rows, dps=dps)


def with_digits(x, dps):
    """``x`` with every mpmath number in it marked as carrying ``dps`` digits.

    Dicts, lists, tuples, dataclasses and ``mpmath.matrix`` are walked;
    anything else (floats, SymPy expressions, ints) is returned as it is.
    The numbers are not rounded here.
    """
    if dps is None:
        return x
    if isinstance(x, Bound):
        return Bound(x.radius, dps)
    if isinstance(x, (Real, Complex)):
        return type(x)(x, dps)
    if isinstance(x, mpmath.mpf):
        return Real(x, dps)
    if isinstance(x, mpmath.mpc):
        return Complex(x, dps)
    if isinstance(x, mpmath.matrix):
        out = Matrix(x.rows, x.cols, dps=dps)
        for i in range(x.rows):
            for j in range(x.cols):
                mpmath.matrix.__setitem__(out, (i, j), x[i, j])
        return out
    if isinstance(x, dict):
        return {k: with_digits(v, dps) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and type(x) in (list, tuple):
        return type(x)(with_digits(v, dps) for v in x)
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return type(x)(*[with_digits(getattr(x, f.name), dps) for f in dataclasses.fields(x)])
    return x
