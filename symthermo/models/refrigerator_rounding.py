"""Which float64 values of the refrigerator are rounding noise: its cosine series'
rounding (:class:`SeriesRounding`, made once per parameter set) and the checks of every
column against it (:class:`RefrigeratorChecks`: a bound over all times first, the
precise estimate only at the few candidate times next to a zero crossing).
"""

from __future__ import annotations

import math

import numpy as np

from .float64_columns import EARNED, _EPS, Unearned

__all__ = ["SeriesRounding", "RefrigeratorChecks"]


class SeriesRounding:
    """Rounding estimates of the float64 cosine series of z_A, z_B, E_int (rows of the
    :meth:`~.refrigerator.Refrigerator._compiled` table: v(0) + sum_k c_k s_k with s_k = -2 sin^2(nu_k
    t/2)), made once per parameter set: 4 eps (|v(0)| + sum_k |c_k s_k|) for the
    arithmetic, and for the phases nu_k t (rounded by eps nu_k t, the float time and
    frequency) |d(c_k s_k)/d(nu_k t)| = |c_k sin(nu_k t)| <= |c_k| sqrt(2 |s_k|) times that.
    Scaled by :data:`~.float64_columns.EARNED`: a value below is unearned. ``lo0``: the
    qubits' smaller eigenvalues at t = 0 ((2, 1), correctly rounded); for those below
    ``nearly_pure`` (the rows listed in :attr:`nearly_pure`) the model takes lo_j =
    lo_j(0) - Delta r_j/2 (rounding eps lo_j(0) and half Delta r_j's), for the others
    1/2 - r_j/2 (eps/4 and half r_j's)."""

    __slots__ = ("at0", "coeffs", "phase", "terms_max", "phase_max", "t_safe", "floats", "lo0",
                 "nearly_pure")

    def __init__(self, freqs, table, w, lo0, nearly_pure):
        k = EARNED * _EPS
        coeffs = np.abs(table[:, 1:])
        self.at0 = 4 * k * np.abs(table[:, 0])
        self.coeffs = 4 * k * coeffs
        self.phase = np.sqrt(2) * k * coeffs * freqs  # times t sqrt|s_k|, summed over k
        self.terms_max = 8 * k * coeffs.sum(axis=1)
        self.phase_max = 2 * k * (coeffs @ freqs)
        self.lo0 = k * lo0
        self.nearly_pure = np.flatnonzero(lo0[:, 0] < nearly_pure).tolist()
        self.t_safe = _small_times(freqs, table, w[:, 0], lo0[:, 0])
        # the same as Python floats, for the bounds of each call (no small numpy arrays)
        self.floats = (self.at0.tolist(), self.terms_max.tolist(), self.phase_max.tolist(),
                       (0.5 * w[:, 0]).tolist())

    def terms(self, shifted, times):
        """EARNED x the rounding of sum_k c_k s_k at the given columns (3, m)."""
        s = -shifted
        out = self.coeffs @ s
        np.sqrt(s, out=s)
        out += (self.phase @ s) * times
        return out


def _small_times(freqs, table, w, lo0):
    """A time below which every increment the checks look at is earned (0 if none): each
    is, to leading order, a form sum_i l_i Delta v_i of the series' increments (Delta r_j =
    sign(z_j(0)) Delta z_j, E_int, I_AB ~ sigma_j ~ -sum_j artanh(r_j(0)) Delta r_j, cop's
    denominator sum_j omega_j Delta r_j/2), a series sum_k a_k s_k = -t^2 sum_k a_k nu_k^2/2
    + O(t^4 sum_k |a_k| nu_k^4/24) whose rounding is below 8 eps t^2 sum_k |a_k| nu_k^2
    (arithmetic and phases). Where the t^2 term is above EARNED times that, it dominates
    until the t^4 term (and the entropies' curvature, dr^2/(1 - r^2)) reaches half of it,
    while z_j keeps its sign and stays away from |z_j| = 1: the increments' candidates
    are looked for at later times only (a grid from t = 0 pays no precise estimate).
    1 - |z_j(0)| = 2 lo0_j, the smaller eigenvalue's start (no cancellation)."""
    c = table[:, 1:]
    z0 = np.abs(table[:2, 0])
    with np.errstate(divide="ignore"):
        slope = 0.5 * (np.log1p(-lo0) - np.log(lo0))  # artanh(r_j(0)) = beta_j(0) omega_j/2
    sign = np.sign(table[:2, 0])
    nu2, nu4 = freqs ** 2, freqs ** 4
    moved = np.abs(c[:2]) @ nu2  # |Delta z_j| <= moved_j t^2/2
    limits = [np.where(moved > 0, np.minimum(z0, 2 * lo0) / np.where(moved > 0, moved, 1), np.inf)]
    forms = [([sign[0], 0, 0], 0), ([0, sign[1], 0], 0), ([0, 0, 1], 0),
             ([-slope[0] * sign[0], -slope[1] * sign[1], 0], 1),
             ([0.5 * w[0] * sign[0], 0.5 * w[1] * sign[1], 0], 0)]
    for l, entropic in forms:
        l = np.array(l, dtype=float)
        if not np.isfinite(l).all():
            return 0.0
        a = l @ c
        leading = abs(a @ nu2) / 2
        rounding = 8 * EARNED * _EPS * (np.abs(l) @ (np.abs(c) @ nu2))
        if not leading > 2 * rounding:
            return 0.0
        quartic = np.abs(a) @ nu4 / 24
        if entropic:  # |Delta S_j + artanh(r_j(0)) Delta r_j| <= Delta r_j^2 / (1 - r_j(0))
            quartic += float(((moved / 2) ** 2 / (2 * lo0)).sum())
        if quartic > 0:
            limits.append(np.array([leading / (2 * quartic)]))
    return 0.5 * math.sqrt(float(np.min(np.concatenate(limits))))


class RefrigeratorChecks(Unearned):
    """:class:`~.float64_columns.Unearned` of the refrigerator's float64 columns: z_j
    (so E_j, E^th_j, r_j, beta_j, the ergotropy, W_j at a change of sign), E_int, the
    increments Delta r_j (Q_j, W_j), the smaller eigenvalues (1 - r_j)/2 (S_j and beta_j
    near a pure state), I_AB, sigma_j and cop's denominator, each against its rounding
    (:class:`SeriesRounding`); the precise estimates only at the few candidate times a
    bound over all times leaves (one reduction per quantity otherwise)."""

    __slots__ = ("rounding", "shifted", "zz", "w", "dS", "dr", "bounds", "slope", "first")

    def __init__(self, rounding, times, shifted, zz, w, dS, dr):
        super().__init__(times)
        # zz = z_j z_j(0): None when no z_j changed sign
        self.rounding, self.shifted, self.zz, self.w, self.dS, self.dr = (
            rounding, shifted, zz, w, dS, dr)
        at0, terms_max, phase_max, _ = rounding.floats
        t_max = float(np.maximum.reduce(times))  # (times >= 0)
        terms = [a + b * t_max for a, b in zip(terms_max, phase_max)]
        # EARNED x the largest rounding over all times of: z_j, E_int, Delta r_j and the
        # smaller eigenvalue lo_j (lo_j(0) - Delta r_j/2: eps lo_j(0) and half Delta z_j's;
        # where z_j changed sign 1/2 - r_j/2: eps/4 and half r_j's)
        z_max = max(terms[0] + at0[0], terms[1] + at0[1])
        lo_max = 0.25 * EARNED * _EPS + 0.5 * z_max
        if rounding.nearly_pure:
            lo0 = rounding.lo0[:, 0].tolist()
            exact = max(lo0[j] + 0.5 * terms[j] for j in rounding.nearly_pure)
            lo_max = exact if zz is None and len(lo0) == len(rounding.nearly_pure) else max(
                lo_max, exact)
        self.bounds = (z_max, terms[2], (terms[0] + 0.5 * at0[0], terms[1] + 0.5 * at0[1]),
                       lo_max)
        # the leading times below the safe one (_small_times) need no look: a grid from 0
        first = int(np.searchsorted(times, rounding.t_safe)) if rounding.t_safe > 0 else 0
        if first > 1 and not np.maximum.reduce(times[:first]) < rounding.t_safe:
            first = 0  # (times not ascending)
        self.first = first

    def _precise(self, idx, entropy=False):
        """EARNED x the rounding of the series (3, m), of Delta r_j and, with ``entropy``,
        of Delta S_j (2, m; else None) at the columns ``idx``: Delta r_j is Delta z_j's, and
        once z_j changed sign |z_j| - |z_j(0)| (2 eps |z_j(0)| more); Delta S_j that of
        Delta r_j times |Delta S_j/Delta r_j| (artanh between r_j(0) and r_j) and 8 eps of
        it."""
        rounding = self.rounding
        terms = rounding.terms(self.shifted[:, idx], self.times[idx])
        series = terms + rounding.at0[:, None]
        dr = terms[:2]
        if self.zz is not None:
            dr = dr + np.where(self.zz[:, idx] <= 0, 0.5 * rounding.at0[:2, None], 0.0)
        if not entropy:
            return series, dr, None
        dS = np.abs(self.dS[:, idx])
        dS *= dr / np.abs(self.dr[:, idx]) + 8 * EARNED * _EPS
        return series, dr, dS

    def values(self, series, r, lo, dr, mutual, least):
        """z_j, E_int, Delta r_j, (1 - r_j)/2 (its minimum over all times ``least``) and
        I_AB (>= 0: a minimum needs no |.|); the bounds as Python floats (a reduction and a
        comparison per quantity where nothing is near its rounding)."""
        k = EARNED * _EPS
        f = self.first
        z_max, e_max, (dr_a, dr_b), lo_max = self.bounds
        # |Delta S_j / Delta r_j| <= artanh(max r_j) = ln(hi/lo)/2 at the smallest lo;
        # |Delta S_j| <= ln 2
        self.slope = 0.5 * (math.log1p(-least) - math.log(least)) if least > 0 else math.inf
        if f >= len(self.times):
            return
        mutual_max = self.slope * (dr_a + dr_b) + 16 * k * math.log(2)
        dr_max = max(dr_a, dr_b)
        if f:
            series, r, lo, dr, mutual = (x[..., f:] for x in (series, r, lo, dr, mutual))
        e_int = np.abs(series[2])
        dr_abs = np.abs(dr)
        reduce = np.minimum.reduce
        hits = [reduce(r, axis=None) < z_max, reduce(e_int) < e_max,
                reduce(dr_abs, axis=None) < dr_max, least < lo_max,
                reduce(mutual) < mutual_max]
        if not any(hits):
            return
        x = (r, e_int, dr_abs, lo, mutual)
        limits = (z_max, e_max, dr_max, lo_max, mutual_max)
        cand = None
        for hit, v, limit in zip(hits, x, limits):
            if hit:
                c = v < limit
                c = c.any(axis=0) if v.ndim > 1 else c
                cand = c if cand is None else cand | c
        idx = np.flatnonzero(cand)
        if not idx.size:
            return
        s, d, e = self._precise(idx + f, entropy=hits[4])
        low = np.zeros(idx.size, dtype=bool)
        if hits[0]:
            low |= (r[:, idx] < s[:2]).any(axis=0)
        if hits[1]:
            low |= e_int[idx] < s[2]
        if hits[2]:
            low |= (dr_abs[:, idx] < d).any(axis=0)
        if hits[3]:
            rounding = self.rounding
            limit = k / 4 + 0.5 * s[:2]
            if rounding.nearly_pure:
                exact = np.zeros(limit.shape, dtype=bool)
                exact[rounding.nearly_pure] = True
                if self.zz is not None:
                    exact &= self.zz[:, idx + f] > 0
                limit = np.where(exact, rounding.lo0 + 0.5 * (s[:2] - rounding.at0[:2, None]),
                                 limit)
            low |= (lo[:, idx] < limit).any(axis=0)
        if hits[4]:
            low |= np.abs(mutual[idx]) < e.sum(axis=0)
        self.mark(idx[low] + f)

    def entropy_production(self, sigma_a, sigma_b, beta0):
        """sigma_j = Delta S_j + beta_k(0) Q_k: the rounding of Delta S_j and beta_k(0)
        omega_k/2 times that of Delta r_k (a finite beta_k(0))."""
        k = EARNED * _EPS
        if self.first >= len(self.times):
            return
        half_w = self.rounding.floats[3]
        dr_max = self.bounds[2]
        for j, sigma in ((0, sigma_a), (1, sigma_b)):
            other = 1 - j
            if not math.isfinite(beta0[other]):
                continue
            heat = float(beta0[other]) * half_w[other]
            bound = self.slope * dr_max[j] + heat * dr_max[other] + 8 * k * (math.log(2) + heat)
            size = np.abs(sigma[self.first:])
            if not np.minimum.reduce(size) < bound:
                continue
            idx = np.flatnonzero(size < bound) + self.first
            _, d, e = self._precise(idx, entropy=True)
            limit = e[j] + heat * (d[other] + 8 * k * np.abs(self.dr[other, idx]))
            self.mark(idx[np.abs(sigma[idx]) < limit])

    def denominator(self, size, works, e_int):
        """cop's W_A + W_B + E_int (W_j = omega_j (Delta z_j + Delta r_j)/2), ``size`` its
        absolute value: within its rounding of 0 (an exact 0 float64 cannot tell from a
        crossing) it is unearned."""
        k = EARNED * _EPS
        if self.first >= len(self.times):
            return
        half_w = self.rounding.floats[3]
        z_max, e_max, dr_max, _ = self.bounds
        bound = sum(h * (z_max + d) for h, d in zip(half_w, dr_max)) + e_max + 8 * k * (
            3 * sum(half_w) + 1)
        if not np.minimum.reduce(size[self.first:]) < bound:
            return
        idx = np.flatnonzero(size < bound)
        idx = idx[idx >= self.first]
        s, d, _ = self._precise(idx)
        w2 = np.array(half_w)
        limit = w2 @ (s[:2] - self.rounding.at0[:2, None] + d) + s[2] + 2 * k * (
            np.abs(works[:, idx]).sum(axis=0) + np.abs(e_int[idx]))
        self.mark(idx[size[idx] < limit])

