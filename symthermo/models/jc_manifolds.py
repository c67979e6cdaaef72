r"""The Jaynes-Cummings model one excitation-number manifold at a time.

H = (omega_A/2) sigma_z + omega_B a^dag a + g (sigma_+ a + sigma_- a^dag)
conserves N = sigma_ee + a^dag a.  This module derives what that buys
(SymPy) and evaluates the resulting manifold sums (float64 and mpmath) for
a qubit against a Fock-truncated coherent field, without ever building a
matrix on the Fock space.

Derivation (checked, not assumed, in :func:`manifold_block`)
------------------------------------------------------------
Applying H to the kets (:func:`apply_hamiltonian`, from sigma_z|e> = |e>,
a|n> = sqrt(n)|n-1>, a^dag|n> = sqrt(n+1)|n+1>) shows that |g,0> is an
eigenvector (energy -omega_A/2) and that span{|e,n>, |g,n+1>} is invariant,
with the block (basis |e,n>, |g,n+1>)

    H_n = (n + 1/2) omega_B 1 + K_n,   K_n = [[delta, g sqrt(n+1)], [g sqrt(n+1), -delta]],

delta = (omega_A - omega_B)/2.  K_n is traceless, so Cayley-Hamilton gives
K_n^2 = Omega_n^2 1 with Omega_n^2 = -det K_n = delta^2 + g^2 (n+1)
(:func:`cayley_hamilton`, checked in SymPy) and, exactly and for any detuning,

    exp(-i H_n t) = e^{-i (n+1/2) omega_B t} [cos(Omega_n t) 1 - i sin(Omega_n t)/Omega_n K_n].

Manifold sums
-------------
From |q> ⊗ sum_n f_n |n> with q = c_e|e> + c_g|g> (c real), block n starts
in (c_e f_n, c_g f_{n+1}); with C = cos(Omega_n t), S = sin(Omega_n t)/Omega_n
its amplitudes are, up to the phase e^{-i(n+1/2) omega_B t},

    A_n = a C - i u S,   B_n = b C + i v S,
    a = c_e f_n, b = c_g f_{n+1}, u = delta a + g sqrt(n+1) b, v = delta b - g sqrt(n+1) a,

and |g,0> carries B_{-1} = c_g f_0 e^{i delta t} in the same phase convention.
Hence, with psi(e,m) ~ A_m and psi(g,m) ~ B_{m-1} (the dropped phases
differ between e and g by e^{-i omega_B t} only, a local unitary on the
qubit that changes no spectrum and no energy):

    p_e = sum_m |A_m|^2,   p_g = sum_m |B_{m-1}|^2,   rho_eg ~ sum_m A_m conj(B_{m-1}),
    <sigma_+ a> = sum_n sqrt(n+1) conj(A_n) B_n        (one block: no phase at all),

and, by conservation of N, <a^dag a>(t) = |c_e|^2 + <a^dag a>(0) - p_e(t).
For a pure global state the non-zero spectrum of rho_B equals that of
rho_A (Schmidt decomposition); for a mixture of pure evolutions
sum_r w_r |psi_r><psi_r|, rho_B = V V^dag with the columns
sqrt(w_r) <q|psi_r>, so its non-zero spectrum is that of the small Gram
matrix V^dag V (:class:`ManifoldSums` keeps the entries for that).

Truncation
----------
The coherent state's Fock amplitudes are replaced by their restriction to a
window [n_lo, n_hi], renormalised: the evolution is then exact for a
normalised product state within trace distance sqrt(w) of the true one,
where w, the neglected Poisson weight, is below 10^-(digits) by a tail bound
(:func:`poisson_window`); the weights are built in log space (loggamma) and
by the ratio recurrence f_{n+1} = f_n alpha/sqrt(n+1).

>>> from symthermo.models.jc_manifolds import poisson_window
>>> w = poisson_window(30, 40)
>>> (w.n_lo, w.n_hi, w.manifolds) == (w.n_lo, w.n_hi, w.n_hi - w.n_lo + 2)
True
>>> float(w.neglected) < 1e-40
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy
from mpmath.libmp import mpf_cos_sin, mpf_mul, to_fixed

__all__ = [
    "apply_hamiltonian",
    "manifold_block",
    "cayley_hamilton",
    "TwoLevelPropagator",
    "PoissonWindow",
    "poisson_window",
    "fock_amplitudes",
    "Run",
    "ManifoldSums",
    "manifold_sums",
]

#: placeholders of the Cayley-Hamilton form: COS = cos(Omega t), SIN = sin(Omega t)/Omega
COS, SIN = sympy.symbols("C_Omega S_Omega", real=True)


# --------------------------------------------------------------------------
# SymPy: the block structure, derived from the operators
# --------------------------------------------------------------------------

def apply_hamiltonian(ket, omega_A, omega_B, g):
    """H|q, n> as a dict ket -> coefficient, from the operators' definitions.

    ``ket`` is ``(q, n)`` with q in {"e", "g"} and n a (possibly symbolic)
    non-negative integer; sigma_z|e> = |e>, sigma_z|g> = -|g>,
    sigma_+|g> = |e>, a|n> = sqrt(n)|n-1>, a^dag|n> = sqrt(n+1)|n+1>.

    >>> import sympy
    >>> from symthermo.models.jc_manifolds import apply_hamiltonian
    >>> n = sympy.Symbol("n", integer=True, nonnegative=True)
    >>> apply_hamiltonian(("e", n), 1, 1, sympy.Symbol("g"))
    {('e', n): n + 1/2, ('g', n + 1): g*sqrt(n + 1)}
    """
    q, n = ket
    out = {}

    def add(k, c):
        out[k] = sympy.expand(out.get(k, 0) + c)

    half = sympy.Rational(1, 2)
    add((q, n), (half if q == "e" else -half) * omega_A + omega_B * n)
    if q == "g":  # g sigma_+ a |g, n> = g sqrt(n) |e, n-1>
        coeff = g * sympy.sqrt(n)
        if coeff != 0:
            add(("e", n - 1), coeff)
    else:  # g sigma_- a^dag |e, n> = g sqrt(n+1) |g, n+1>
        add(("g", n + 1), g * sympy.sqrt(n + 1))
    return {k: v for k, v in out.items() if v != 0}


def manifold_block(n, omega_A, omega_B, g):
    """H on span{|e,n>, |g,n+1>} (basis in that order), checked to be invariant.

    >>> import sympy
    >>> from symthermo.models.jc_manifolds import manifold_block
    >>> g = sympy.Symbol("g", positive=True)
    >>> manifold_block(0, 1, 1, g)
    Matrix([
    [1/2,   g],
    [  g, 1/2]])
    """
    basis = [("e", n), ("g", n + 1)]
    columns = []
    for ket in basis:
        image = apply_hamiltonian(ket, omega_A, omega_B, g)
        outside = [k for k in image if k not in basis]
        if outside:
            raise AssertionError(f"H maps {ket} outside its manifold: {outside}")  # pragma: no cover
        columns.append([image.get(k, sympy.Integer(0)) for k in basis])
    block = sympy.Matrix(columns).T
    if (block - block.T).applyfunc(sympy.expand) != sympy.zeros(2):
        raise AssertionError("the block should be real symmetric")  # pragma: no cover
    return block


def ground_singlet_energy(omega_A, omega_B, g):
    """<g,0|H|g,0>, after checking that |g,0> is an eigenvector of H."""
    image = apply_hamiltonian(("g", sympy.Integer(0)), omega_A, omega_B, g)
    if set(image) != {("g", 0)}:
        raise AssertionError(f"|g,0> should be an eigenvector, H|g,0> = {image}")  # pragma: no cover
    return image[("g", 0)]


@dataclass(frozen=True)
class TwoLevelPropagator:
    """exp(-i H t) of a 2x2 H = c0 1 + K (K traceless), K^2 = Omega^2 1.

    ``matrix()`` is the bracket cos(Omega t) 1 - i sin(Omega t)/Omega K in
    the placeholders :data:`COS`, :data:`SIN`; the phase e^{-i c0 t} is
    left out (``phase``).  With Omega^2 = 0 the bracket is 1 - i t K
    (``substitutions`` gives C = 1, S = t).
    """

    c0: object
    K: sympy.Matrix
    omega2: object

    @property
    def omega(self):
        return sympy.sqrt(self.omega2)

    def matrix(self):
        return COS * sympy.eye(2) - sympy.I * SIN * self.K

    def phase(self, t):
        return sympy.exp(-sympy.I * self.c0 * t)

    def substitutions(self, t):
        if self.omega2 == 0:
            return {COS: sympy.Integer(1), SIN: t}
        om = self.omega
        return {COS: sympy.cos(om * t), SIN: sympy.sin(om * t) / om}

    def reduce(self, expr):
        """``expr`` (polynomial in C, S) reduced with C^2 = 1 - Omega^2 S^2."""
        expr = sympy.expand(expr)
        if not expr.has(COS):
            return expr
        _, rem = sympy.reduced(expr, [COS**2 + self.omega2 * SIN**2 - 1], COS, SIN)
        return sympy.expand(rem)

    def antiderivative(self, expr, t):
        """int_0^t of a polynomial in C(tau), S(tau) of degree <= 2, reduced first.

        Table (Omega > 0): int C = S, int S = (1 - C)/Omega^2, int C S = S^2/2,
        int S^2 = (t - C S)/(2 Omega^2), int 1 = t; each checked by
        differentiation in the tests.
        """
        expr = self.reduce(expr)
        if self.omega2 == 0:
            tau = sympy.Dummy("tau")
            poly = expr.subs({COS: 1, SIN: tau})
            return sympy.integrate(poly, (tau, 0, t))
        w2 = self.omega2
        table = {
            (0, 0): t,
            (1, 0): SIN,
            (0, 1): (1 - COS) / w2,
            (1, 1): SIN**2 / 2,
            (0, 2): (t - COS * SIN) / (2 * w2),
        }
        poly = sympy.Poly(expr, COS, SIN)
        total = sympy.Integer(0)
        for (i, j), coeff in poly.terms():
            if (i, j) not in table:
                raise ValueError(f"no antiderivative for C^{i} S^{j} in the table")
            total += coeff * table[(i, j)]
        return total


def cayley_hamilton(H):
    """The :class:`TwoLevelPropagator` of a 2x2 SymPy matrix, with K^2 = Omega^2 1 checked.

    >>> import sympy
    >>> from symthermo.models.jc_manifolds import cayley_hamilton, manifold_block
    >>> g, d = sympy.symbols("g delta", positive=True)
    >>> cayley_hamilton(manifold_block(0, 1 + 2 * d, 1, g)).omega2
    delta**2 + g**2
    """
    H = sympy.Matrix(H)
    c0 = sympy.expand(H.trace() / 2)
    K = (H - c0 * sympy.eye(2)).applyfunc(sympy.expand)
    omega2 = sympy.expand(-K.det())
    if (K * K - omega2 * sympy.eye(2)).applyfunc(sympy.expand) != sympy.zeros(2):
        raise AssertionError("Cayley-Hamilton: K^2 should be Omega^2 1")  # pragma: no cover
    return TwoLevelPropagator(c0, K, omega2)


# --------------------------------------------------------------------------
# The Fock window of a coherent state
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class PoissonWindow:
    """Fock numbers n_lo..n_hi kept; ``neglected`` is the Poisson weight outside.

    ``manifolds`` counts the excitation-number manifolds evolved,
    N = n_lo, ..., n_hi + 1 (N = 0 is the singlet |g,0>).
    """

    n_lo: int
    n_hi: int
    neglected: object
    bound_digits: int

    @property
    def manifolds(self):
        return self.n_hi - self.n_lo + 2

    @property
    def blocks(self):
        """Block indices k (span{|e,k>, |g,k+1>}) that carry weight."""
        return range(max(self.n_lo - 1, 0), self.n_hi + 1)

    @property
    def has_singlet(self):
        return self.n_lo == 0


def _log_poisson(mu, log_mu, n):
    return -mu + n * log_mu - math.lgamma(n + 1)


@functools.lru_cache(maxsize=256)
def _window_bounds(alpha_text, digits):
    alpha = float(sympy.sympify(alpha_text))  # a plain number or a srepr string
    mu = alpha * alpha
    if mu == 0:
        return 0, 0
    log_mu = math.log(mu)
    # target: the tail bound below 10^-digits, with one unit of margin in the log
    target = -digits * math.log(10) - 1
    mode = int(math.floor(mu))
    hi = max(mode, 0)
    while True:
        if hi + 2 > mu:
            ratio = mu / (hi + 2)
            bound = _log_poisson(mu, log_mu, hi + 1) - math.log1p(-ratio)
            if bound < target:
                break
        hi += 1
    lo = mode
    while lo > 0:
        ratio = (lo - 1) / mu
        if ratio < 1:
            bound = _log_poisson(mu, log_mu, lo - 1) - math.log1p(-ratio)
            if bound < target:
                break
        lo -= 1
    return lo, hi


def poisson_window(alpha, digits):
    """The Fock window of |alpha> whose neglected weight is below 10^-digits.

    The bounds are geometric: for n_hi + 2 > alpha^2 the upper tail is below
    P(n_hi+1) / (1 - alpha^2/(n_hi+2)); for n_lo - 1 < alpha^2 the lower tail
    is below P(n_lo-1) / (1 - (n_lo-1)/alpha^2).  The neglected weight itself
    is then evaluated exactly (regularised incomplete gamma functions) at the
    working precision (mpmath) and reported.
    """
    alpha_text = _canonical(alpha)
    lo, hi = _window_bounds(alpha_text, int(digits))
    mu = mpmath.mpf(_mp_number(alpha)) ** 2
    if mu == 0:
        neglected = mpmath.mpf(0)
    else:
        upper = mpmath.gammainc(hi + 1, 0, mu, regularized=True)  # P(N >= hi + 1)
        lower = mpmath.gammainc(lo, mu, mpmath.inf, regularized=True) if lo > 0 else 0
        neglected = upper + lower
    return PoissonWindow(lo, hi, neglected, int(digits))


def _canonical(alpha):
    if isinstance(alpha, sympy.Basic):
        return sympy.srepr(alpha)
    if isinstance(alpha, int):
        return str(alpha)
    return sympy.srepr(sympy.nsimplify(str(alpha), rational=True))


def _mp_number(x):
    if isinstance(x, sympy.Basic):
        return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 5))
    return mpmath.mpmathify(x)


def fock_amplitudes(alpha, window: PoissonWindow):
    """sqrt of the Poisson weights on the window, renormalised (mpmath, current precision).

    Built in log space at the mode (loggamma) and by the ratio recurrence
    f_{n+1} = f_n alpha / sqrt(n+1) outward, so nothing overflows.
    """
    a = mpmath.mpf(_mp_number(alpha))
    if a == 0:
        return [mpmath.mpf(1)]
    mu = a * a
    lo, hi = window.n_lo, window.n_hi
    with mpmath.extraprec(20):
        mode = min(max(int(mpmath.floor(mu)), lo), hi)
        f_mode = mpmath.exp((-mu + mode * mpmath.log(mu) - mpmath.loggamma(mode + 1)) / 2)
        f = {mode: f_mode}
        for n in range(mode, hi):
            f[n + 1] = f[n] * a / mpmath.sqrt(n + 1)
        for n in range(mode, lo, -1):
            f[n - 1] = f[n] * mpmath.sqrt(n) / a
        values = [f[n] for n in range(lo, hi + 1)]
        norm = mpmath.sqrt(mpmath.fsum(v * v for v in values))
        return [v / norm for v in values]


# --------------------------------------------------------------------------
# The sums, evaluated
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One pure evolution: initial qubit c_e|e> + c_g|g> (real), mixed with weight ``weight``."""

    weight: object
    c_e: object
    c_g: object


@dataclass
class ManifoldSums:
    """Per time, for each run r (lists indexed by run):

    ``pe[r]`` = sum |A|^2, ``pg[r]`` = sum |B|^2, ``rho_eg[r]`` = sum_m A_m conj(B_{m-1}),
    ``det[r]`` = pe pg - |rho_eg|^2 (Gram determinant, computed stably),
    ``sigma_plus_a[r]`` = sum_n sqrt(n+1) conj(A_n) B_n (real part only),
    and, with two runs, ``gram``: the 4x4 matrix V^dag V of the columns
    (A^r, B^r) over the Fock index (unweighted; the phases dropped are a
    diagonal unitary similarity).
    """

    pe: list
    pg: list
    rho_eg: list
    det: list
    sigma_plus_a: list
    gram: object = None


def manifold_sums(lib, runs, window, amplitudes, delta, g, times, *, gram=False):
    """The :class:`ManifoldSums` at each time (float64: numpy; mpmath: fixed point)."""
    from ..numbers import FLOAT64

    if lib is FLOAT64:
        return _sums_float64(runs, window, amplitudes, delta, g, times, gram)
    return _sums_mpmath(runs, window, amplitudes, delta, g, times, gram)


def _block_inputs(window, amplitudes):
    """(k, f_k, f_{k+1}) for each block, zeros outside the window."""
    lo, hi = window.n_lo, window.n_hi

    def f(m):
        return amplitudes[m - lo] if lo <= m <= hi else 0

    return [(k, f(k), f(k + 1)) for k in window.blocks]


def _sums_float64(runs, window, amplitudes, delta, g, times, want_gram):
    t = np.asarray([float(x) for x in times], dtype=float)
    blocks = _block_inputs(window, [float(v) for v in amplitudes])
    k = np.array([b[0] for b in blocks], dtype=float)
    fk = np.array([float(b[1]) for b in blocks])
    fk1 = np.array([float(b[2]) for b in blocks])
    delta, g = float(delta), float(g)
    kk = g * np.sqrt(k + 1)
    om = np.sqrt(delta * delta + kk * kk)
    theta = np.outer(t, om)
    C = np.cos(theta)
    S = np.sin(theta) / om
    sq = np.sqrt(k + 1)
    f0 = float(amplitudes[0]) if window.has_singlet else 0.0
    singlet_phase = np.exp(1j * delta * t)
    xs, ys = [], []
    out = ManifoldSums([], [], [], [], [])
    for run in runs:
        ce, cg = float(run.c_e), float(run.c_g)
        a, b = ce * fk, cg * fk1
        u, v = delta * a + kk * b, delta * b - kk * a
        A = a * C - 1j * u * S
        B = b * C + 1j * v * S
        # X_m = A_m on m = kmin..n_hi+1 ; Y_m = B_{m-1}
        zero = np.zeros((len(t), 1), dtype=complex)
        X = np.concatenate([A, zero], axis=1)
        first = (cg * f0 * singlet_phase)[:, None] if window.has_singlet else zero
        Y = np.concatenate([first, B], axis=1)
        pe = np.sum(np.abs(X) ** 2, axis=1)
        pg = np.sum(np.abs(Y) ** 2, axis=1)
        reg = np.sum(X * np.conj(Y), axis=1)
        out.pe.append(pe)
        out.pg.append(pg)
        out.rho_eg.append(reg)
        out.det.append(_gram_det_float64(X, Y, pe, pg))
        out.sigma_plus_a.append(np.sum(sq * (np.conj(A) * B).real, axis=1))
        xs.append(X)
        ys.append(Y)
    if want_gram:
        V = np.stack(xs + ys, axis=2)  # (time, m, column)
        out.gram = np.einsum("tmi,tmj->tij", np.conj(V), V)
    return out


def _gram_det_float64(X, Y, pe, pg):
    """|X|^2 |Y_perp|^2 by Gram-Schmidt (twice), row by row: no cancellation."""
    small_x = pe <= pg
    U = np.where(small_x[:, None], X, Y)
    W = np.where(small_x[:, None], Y, X)
    nu = np.where(small_x, pe, pg)
    det = np.zeros(len(pe))
    ok = nu > 0
    if np.any(ok):
        Uo, Wo, no = U[ok], W[ok], nu[ok]
        for _ in range(2):
            proj = np.sum(np.conj(Uo) * Wo, axis=1) / no
            Wo = Wo - proj[:, None] * Uo
        det[ok] = no * np.sum(np.abs(Wo) ** 2, axis=1)
    return det


_EXTRA_BITS = 64


def _sums_mpmath(runs, window, amplitudes, delta, g, times, want_gram):
    """Fixed-point sums: every real a Python int scaled by 2^P, P = prec + 64.

    The integers are held in numpy object arrays (one entry per block), so
    the arithmetic loops run in C; sums of products are exact integers,
    rounded once at the end.  cos and sin of Omega_k t are computed by
    mpmath at the first time of each run of equally spaced times and then
    by rotation through Omega_k h (exact up to 2^-P per step), which is
    where most of the time would otherwise go.
    """
    P = mpmath.mp.prec + _EXTRA_BITS
    nruns = len(runs)
    with mpmath.workprec(P):
        delta = mpmath.mpf(delta)
        g = mpmath.mpf(g)
        inputs = _block_inputs(window, amplitudes)
        oms, inv_om, sq = [], [], []
        coeffs = [[[], [], [], []] for _ in runs]  # a, b, u, v per run
        for k, fk, fk1 in inputs:
            kk = g * mpmath.sqrt(k + 1)
            om = mpmath.sqrt(delta * delta + kk * kk)
            oms.append(om)
            inv_om.append(_fx(1 / om, P))
            sq.append(_fx(mpmath.sqrt(k + 1), P))
            for r, run in enumerate(runs):
                a = run.c_e * fk
                b = run.c_g * fk1
                for slot, value in enumerate((a, b, delta * a + kk * b, delta * b - kk * a)):
                    coeffs[r][slot].append(_fx(value, P))
        inv_om = _objects(inv_om)
        sq = _objects(sq)
        coeffs = [[_objects(c) for c in per_run] for per_run in coeffs]
        f0 = mpmath.mpf(amplitudes[0]) if window.has_singlet else mpmath.mpf(0)
        singlet = [_fx(run.c_g * f0, P) for run in runs]
        ts = [mpmath.mpf(t) for t in times]
        results = [None] * len(ts)
        for index, (cos_k, sin_k) in _angles(oms, ts, P):
            results[index] = _time_sums(cos_k, sin_k, inv_om, sq, coeffs, singlet, delta,
                                        ts[index], P, nruns, want_gram)
    return _collect_mp(results, P, nruns, want_gram)


def _objects(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _fx(x, P):
    return to_fixed(mpmath.mpf(x)._mpf_, P)


def _cos_sin_fixed(oms, t, P):
    cs = [mpf_cos_sin(mpf_mul(om._mpf_, t._mpf_, P), P) for om in oms]
    return _objects([to_fixed(c, P) for c, _ in cs]), _objects([to_fixed(s, P) for _, s in cs])


def _angles(oms, ts, P):
    """(index, (cos Omega_k t, sin Omega_k t) fixed) for every time, in increasing t.

    Equally spaced times (steps equal to within 2^-(prec-8) of t) are
    reached by rotation: (c, s) <- (c cos(Omega h) - s sin(Omega h), ...).
    """
    order = sorted(range(len(ts)), key=lambda i: ts[i])
    tol = mpmath.ldexp(mpmath.mpf(1), -(mpmath.mp.prec - _EXTRA_BITS - 8))
    pos = 0
    while pos < len(order):
        start = order[pos]
        c, s = _cos_sin_fixed(oms, ts[start], P)
        yield start, (c, s)
        # the longest run of equal steps from here
        end = pos + 1
        if end < len(order):
            h = ts[order[end]] - ts[start]
            while end + 1 < len(order):
                step = ts[order[end + 1]] - ts[order[end]]
                if abs(step - h) > tol * max(1, abs(ts[order[end + 1]])):
                    break
                end += 1
        if end - pos >= 2 and h > 0:
            ch, sh = _cos_sin_fixed(oms, h, P)
            for j in range(pos + 1, end + 1):
                c, s = (c * ch - s * sh) >> P, (s * ch + c * sh) >> P
                yield order[j], (c, s)
            pos = end + 1
        else:
            pos += 1


def _time_sums(cos_k, sin_k, inv_om, sq, coeffs, singlet, delta, t, P, nruns, want_gram):
    """Integer sums at one time (scale 2^(2P)), vectorised over the blocks.

    At the Fock index m = k the columns are X^r_m = A^r_k and
    Y^r_m = B^r_{k-1} (the previous block's B, or the singlet's at m = 0);
    the last index m = n_hi + 1 holds only Y = B_{n_hi}.
    """
    cd, sd = mpf_cos_sin(mpf_mul(delta._mpf_, t._mpf_, P), P)  # B_{-1} = c_g f_0 e^{i delta t}
    cdx, sdx = to_fixed(cd, P), to_fixed(sd, P)
    S = (sin_k * inv_om) >> P
    pe, pg, re_, im_, spa = [], [], [], [], []
    xs, ys, last = [], [], []
    for r in range(nruns):
        a, b, u, v = coeffs[r]
        xa, ya = (a * cos_k) >> P, -((u * S) >> P)
        xb, yb = (b * cos_k) >> P, (v * S) >> P
        s0x, s0y = (singlet[r] * cdx) >> P, (singlet[r] * sdx) >> P
        pxb = np.concatenate([_objects([s0x]), xb[:-1]])
        pyb = np.concatenate([_objects([s0y]), yb[:-1]])
        pe.append(int(np.sum(xa * xa + ya * ya)))
        pg.append(int(np.sum(xb * xb + yb * yb)) + s0x * s0x + s0y * s0y)
        re_.append(int(np.sum(xa * pxb + ya * pyb)))  # A_k conj(B_{k-1})
        im_.append(int(np.sum(ya * pxb - xa * pyb)))
        spa.append(int(np.sum((sq * (xa * xb + ya * yb)) >> P)))
        xs.append((xa, ya))
        ys.append((pxb, pyb))
        last.append((int(xb[-1]), int(yb[-1])))
    gram = None
    if want_gram:
        cols = xs + ys
        n = len(cols)
        gram = []
        for i in range(n):
            xi, yi = cols[i]
            for j in range(i, n):
                xj, yj = cols[j]
                gram.append([int(np.sum(xi * xj + yi * yj)), int(np.sum(xi * yj - yi * xj))])
        # the last Fock index holds Y = B_{n_hi} only
        idx = 0
        for i in range(n):
            for j in range(i, n):
                if i >= nruns and j >= nruns:
                    xi, yi = last[i - nruns]
                    xj, yj = last[j - nruns]
                    gram[idx][0] += xi * xj + yi * yj
                    gram[idx][1] += xi * yj - yi * xj
                idx += 1
    return pe, pg, re_, im_, spa, gram


def _collect_mp(results, P, nruns, want_gram):
    scale = -2 * P
    out = ManifoldSums([[] for _ in range(nruns)], [[] for _ in range(nruns)],
                       [[] for _ in range(nruns)], [[] for _ in range(nruns)],
                       [[] for _ in range(nruns)], [] if want_gram else None)

    def real(n, exp=scale):
        return mpmath.ldexp(mpmath.mpf(n), exp)

    for pe, pg, re_, im_, spa, gram in results:
        for r in range(nruns):
            out.pe[r].append(real(pe[r]))
            out.pg[r].append(real(pg[r]))
            out.rho_eg[r].append(mpmath.mpc(real(re_[r]), real(im_[r])))
            # the Gram determinant in exact integer arithmetic (scale 2^(4P))
            out.det[r].append(real(pe[r] * pg[r] - re_[r] * re_[r] - im_[r] * im_[r], 2 * scale))
            out.sigma_plus_a[r].append(real(spa[r]))
        if want_gram:
            n = 2 * nruns
            M = mpmath.matrix(n, n)
            idx = 0
            for i in range(n):
                for j in range(i, n):
                    value = mpmath.mpc(real(gram[idx][0]), real(gram[idx][1]))
                    M[i, j] = value
                    M[j, i] = mpmath.conj(value)
                    idx += 1
            out.gram.append(M)
    return out
