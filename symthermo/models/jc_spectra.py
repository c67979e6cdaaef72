"""Spectra, entropies and rounding floors of the Jaynes-Cummings reduced states.

The small eigenvalue of a unit-trace 2x2 state, lam_- = 2 det/(1 + s),
s = sqrt(z^2 + 4|c|^2), per row in float64, mpmath or balls
(:func:`_two_level`) and in float64 columns (:func:`_two_level_columns`); the
binary entropy, beta and I_AB of a qubit near identity/2 without
cancellation; the floor below which a lam_- is the rounding of t
(:func:`_time_floor`, with the fastest frequency :func:`_fastest`); the
reduced data assembled from them in columns (:func:`_assemble_columns`); and
the same spectrum and entropy in SymPy for the closed forms.
"""

from __future__ import annotations

import math

import numpy as np

from .float64_columns import binary_entropy_columns, entropy_columns
from .jc_numbers import _eps, _num
from ..lazy import lazy_import
from ..numbers import FLOAT64

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__: list[str] = []


def _two_level(lib, z, c2, det, floor=None):
    """(lam_-, lam_+) of a unit-trace 2x2 Hermitian matrix, both to full relative precision.

    s = sqrt(z^2 + 4|c|^2) = lam_+ - lam_-, lam_- = 2 det/(1 + s) (no
    cancellation when det is small); a lam_- at or below ``floor`` is an exact 0
    lost in rounding: in the rounding of t, to which lam_- is quadratic at the
    times where the state is pure (:func:`_time_floor`, for closed forms that
    keep det's relative precision otherwise), or, by default, below eps^(3/2)
    (det from amplitudes, whose rounding it cannot resolve).  With mpmath
    lam_+ = 1 - lam_- keeps extra bits, so that ln lam_+ (hence S) is right to
    working precision.
    """
    from ..ball_conversion import nonnegative, sqrt_nonneg  # lazy: loads SymPy, flint
    from ..balls import BALLS
    if lib is FLOAT64:
        s = math.sqrt(max(z * z + 4 * c2, 0.0))
        lm = 2 * max(det, 0.0) / (1 + s)
        if lm <= (_eps(lib) ** 1.5 if floor is None else floor):
            lm = 0.0
        return lm, 1.0 - lm
    if lib is BALLS:  # det >= 0 and z^2 + 4|c|^2 >= 0 exactly: intersect the balls with [0, inf)
        s = sqrt_nonneg(z * z + 4 * c2)
        lm = 2 * nonnegative(det) / (1 + s)
        return lm, 1 - lm
    s = mpmath.sqrt(max(z * z + 4 * c2, 0))
    lm = 2 * max(det, 0) / (1 + s)
    if lm <= (mpmath.eps ** 1.5 if floor is None else floor):
        lm = mpmath.mpf(0)
    with mpmath.extraprec(mpmath.mp.prec + 20):
        lp = 1 - lm
    return lm, lp


def _binary_entropy(lib, lm):
    """-l ln l - (1 - l) ln(1 - l), accurate for small l."""
    if lm == 0:
        return lib.zero
    return -lib.xlogx(lm) - (1 - lm) * lib.log1p(-lm)


def _two_level_columns(z, c2, det, floor=None):
    """:func:`_two_level` in float64 for arrays: (lam_-, lam_+)."""
    s = np.sqrt(np.maximum(z * z + 4 * c2, 0.0))
    lm = 2 * np.maximum(det, 0.0) / (1 + s)
    lm = np.where(lm <= (np.finfo(float).eps ** 1.5 if floor is None else floor), 0.0, lm)
    return lm, 1.0 - lm


def _qubit_beta(xp, bloch, lo, omega):
    """beta = ln(hi/lo)/omega of a qubit with Bloch length ``bloch`` = hi - lo: 2 artanh(bloch)
    near the maximally mixed state (lo and hi both ~1/2: their difference is not taken),
    log1p(-lo) - ln lo from the accurate lo elsewhere (``xp``: numpy)."""
    with xp.errstate(divide="ignore"):  # lo = 0: beta = inf
        return xp.where(bloch < 0.5, 2 * xp.arctanh(xp.minimum(bloch, 0.5)),
                        xp.log1p(-lo) - xp.log(lo)) / omega


def _mixed_mutual(xp, bloch, s_b, i_ab):
    """I_AB = S_A + S_B - ln 2 of a mixed qubit's evolution (the joint state has entropy
    ln 2) as S_B - (ln 2 - S_A), ln 2 - S_A = f(r)/2 = r artanh(r) + ln(1 - r^2)/2 (r the
    Bloch length): no cancellation about ln 2 near identity/2 (I_AB was 0 at t = 1e-9 for
    2.6e-21); ``i_ab`` (the direct sum) where r >= 1/2."""
    r = xp.minimum(bloch, 0.5)
    return xp.where(bloch < 0.5, s_b - (r * xp.arctanh(r) + xp.log1p(-r * r) / 2), i_ab)


def _assemble_columns(wB, e_a, e_b, e_int, lam_a, lam_b, *, pure):
    """JaynesCummings._assemble for arrays; ``lam_b`` a pair (two-valued spectrum)
    or a list of four arrays (ascending)."""
    s_a = binary_entropy_columns(lam_a[0])
    d_b = {"E": e_b}
    if isinstance(lam_b, tuple):
        # beta_B, E^th_B from lam_- by the finishing (base._oscillator_pair); a pure global
        # state gives B A's spectrum (Schmidt), so its entropy
        s_b = s_a if pure else binary_entropy_columns(lam_b[0])
        d_b["spectrum"] = list(lam_b)
        d_b["S"] = s_b
    else:
        d_b["spectrum"] = list(lam_b)
        s_b = entropy_columns(lam_b)
    i_ab = 2 * s_a if pure else s_a + s_b - math.log(2.0)
    return {"A": {"E": e_a, "spectrum": list(lam_a)}, "B": d_b, "E_int": e_int,
            "I_AB": i_ab}


def _fastest(lib, p, window=None):
    """omega_A + omega_B + Omega_n (Omega_n^2 = delta^2 + g^2 (n + 1), n = 0 for the vacuum,
    the window's last block for a coherent field): a bound on every frequency in the
    closed forms or manifold sums (their phases, cos(Omega_k t), sin(Omega_k t))."""
    wA, wB, g = (_num(lib, p[k]) for k in ("omega_A", "omega_B", "g"))
    delta = (wA - wB) / 2
    top = g * g * (1 if window is None else window.n_hi + 1)
    return abs(wA) + abs(wB) + (delta * delta + top) ** 0.5 if lib is FLOAT64 else \
        abs(wA) + abs(wB) + mpmath.sqrt(delta * delta + top)


def _time_floor(eps, rate, t):
    """The rounding of lam_- at time t (numbers or arrays) in the vacuum closed forms: a
    pure state's lam_- is quadratic in the distance to it, and t is known to eps |t|
    only (sin(Omega t) to eps Omega |t|); elsewhere the closed forms (det a sum of
    squared minors) keep their relative precision, so lam_- = 1e-28 at t = 1e-12 stays
    (below eps^(3/2) = 3e-24 it was taken as 0)."""
    x = 8 * eps * rate * abs(t)
    return x * x


def _spectrum_expr(z, c2):
    s = sympy.sqrt(z**2 + 4 * c2)
    return [(1 - s) / 2, (1 + s) / 2]


def _h(x):
    return -x * sympy.log(x) - (1 - x) * sympy.log(1 - x)
