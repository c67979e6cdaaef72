"""n - m without cancellation: n the excited population of an oscillator state of
spectrum {1 - n, n}, m the mean occupation of the thermal state of the same
entropy (:func:`oscillator_deficit`), on mpmath numbers and, elementwise, on
float64 numbers and numpy arrays."""

from __future__ import annotations

from .numbers import FLOAT64, MPMATH

__all__ = ["oscillator_deficit"]


def _pick(condition, a, b):
    return a if condition else b


class _Elementwise:
    """The few functions :func:`oscillator_deficit` uses, elementwise: numpy ufuncs for
    ``FLOAT64`` (Python floats and numpy arrays alike), mpmath for ``MPMATH``."""

    def __init__(self, lib):
        if lib is FLOAT64:
            import numpy as np

            self.log1p, self.atanh, self.sqrt = np.log1p, np.arctanh, np.sqrt
            self.where, self.any, self.eps = np.where, _any_of, FLOAT64.eps
        elif lib is MPMATH:
            import mpmath

            self.log1p, self.atanh, self.sqrt = mpmath.log1p, mpmath.atanh, mpmath.sqrt
            self.where, self.any, self.eps = _pick, bool, mpmath.eps
        else:
            raise TypeError(f"oscillator_deficit: no elementwise form in {lib.name}")


def _any_of(x):
    """np.any without its Python wrapper: an array's own any, or bool of a number."""
    return x.any() if hasattr(x, "any") else bool(x)


#: the float64 functions, made once (mpmath's are remade per call: its eps is the
#: precision in force)
_FLOAT64_OPS = []


def oscillator_deficit(lib, n):
    """n - m for an oscillator state of spectrum {1 - n, n} (0 <= n <= 1/2), m the mean
    occupation of the thermal state of the same entropy, without the cancellation of
    n - m: on mpmath numbers (``MPMATH``) and on Python floats or numpy arrays,
    elementwise (``FLOAT64``).

    For small n the two agree to O(n/ln(1/n)) relative, so m computed first and
    subtracted loses all of it when n is below the working precision.  Here
    delta = n - m solves g(n) - g(n - delta) = f(n), with g(m) = (1 + m) ln(1 + m) -
    m ln m the thermal entropy and f(n) = g(n) - h(n), h the binary entropy:
    f(n) = (1 + n) ln(1 + n) + (1 - n) ln(1 - n) = 2 n artanh(n) + ln(1 - n^2) =
    sum_k n^2k/(k(2k - 1)), whose last form adds 2 n^2 + O(n^4) to -n^2 + O(n^4): it
    loses about one bit.  The left side is written with log1p so that only delta's own
    rounding is lost.  It is convex and increasing in delta, with slope ln(1 + 1/m) and
    curvature 1/(m (1 + m)): Halley's iteration from the root of its second-order
    expansion about delta = 0 (2.4e-2 relative at n = 1/2, better for smaller n);
    it stops where a step no longer shrinks (rounding) or is below eps^(1/3) delta / 4
    (the convergence is cubic: the next step would be below eps delta / 64).

    >>> import mpmath
    >>> from symthermo.numbers import MPMATH
    >>> from symthermo.oscillator_deficit import oscillator_deficit
    >>> with mpmath.workdps(30):
    ...     d = oscillator_deficit(MPMATH, mpmath.mpf(10) ** -100)
    >>> with mpmath.workdps(300):   # m from the entropy, at 300 digits
    ...     n = mpmath.mpf(10) ** -100
    ...     s = -n * mpmath.log(n) - (1 - n) * mpmath.log1p(-n)
    ...     m = mpmath.findroot(lambda m: (1 + m) * mpmath.log1p(m) - m * mpmath.log(m) - s,
    ...                         n * (1 - 1 / mpmath.log(1 / n)))
    ...     print(abs(mpmath.re(n - m) / d - 1) < 1e-28)
    True

    On a numpy array, every entry to a few ulps (against the same function at 50 digits):

    >>> import numpy as np
    >>> from symthermo.numbers import FLOAT64
    >>> n = np.array([0.0, 1e-300, 1e-150, 1e-22, 1e-9, 1e-3, 0.1, 0.3, 0.5])
    >>> d = oscillator_deficit(FLOAT64, n)
    >>> with mpmath.workdps(50):
    ...     exact = [oscillator_deficit(MPMATH, mpmath.mpf(float(x))) for x in n]
    >>> bool(d[0] == 0 and d[1] == 0)   # n^2 / ln(1/n) underflows
    True
    >>> max(float(abs(a / b - 1)) for a, b in zip(d[2:], exact[2:])) < 2e-15
    True
    """
    if lib is FLOAT64:
        if not _FLOAT64_OPS:
            _FLOAT64_OPS.append(_Elementwise(lib))
        ops = _FLOAT64_OPS[0]
    else:
        ops = _Elementwise(lib)
    zero = n <= 0
    some_zero = ops.any(zero)
    if some_zero:
        n = ops.where(zero, 0.25, n)  # n = 0 gives delta = 0 (at the end)
    n1 = 1 + n
    f = 2 * n * ops.atanh(n) + ops.log1p(-n * n)
    # start: G(delta) = delta L + delta^2 / (2 n (1 + n)) + O(delta^3) = f solved (within
    # 2.4e-2 relative at n = 1/2, 5e-10 at n = 1e-3)
    over_n = -1 / n
    slope = ops.log1p(-over_n)
    f2 = 2 * f
    delta = f2 / (slope + ops.sqrt(slope * slope + f2 / (n * n1)))
    # Halley: the error goes e -> C delta^2 e^3 with C delta^2 < 1/4 here, so after a
    # step below eps^(1/3) delta / 4 the rest is below eps delta / 64 (two steps at most
    # from this start in float64)
    tol = ops.eps ** (1 / 3) / 4
    active = None
    previous = lib.inf
    for _ in range(100):
        m = n - delta
        m1 = n1 - delta
        log_ratio = ops.log1p(1 / m)  # G'(delta)
        # g(n) - g(m) with m = n - delta, the delta-sized terms in log1p form
        gap = n1 * ops.log1p(delta / m1) + n * ops.log1p(delta * over_n) + delta * log_ratio
        newton = (gap - f) / log_ratio
        step = newton / (1 - newton / (2 * log_ratio * m * m1))  # G'' = 1/(m (1 + m))
        size = abs(step)
        if active is None:  # the first step is taken everywhere
            delta = delta - step
            active = size > tol * delta
        else:
            shrinking = active & (size < previous)  # else rounding: delta is converged
            delta = ops.where(shrinking, delta - step, delta)
            active = shrinking & (size > tol * delta)
        previous = size
        if not ops.any(active):
            return ops.where(zero, 0 * delta, delta) if some_zero else delta
    if lib is not MPMATH:
        import numpy as np

        n = np.asarray(n)[np.asarray(active, dtype=bool)]
    raise ArithmeticError(f"oscillator_deficit: Halley's iteration did not converge at n = {n}")
