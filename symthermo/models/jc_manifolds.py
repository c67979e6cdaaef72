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

import numpy as np

from ..lazy import lazy_import

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

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
    "pure_sums_arrays",
    "rise_sizes",
    "PureSumsSetup",
    "poisson_tail_bounds",
    "poisson_outside_weight",
    "ball_pure_sums",
]

#: COS, SIN (made on first use, see _symbolic_constants): placeholders of the
#: Cayley-Hamilton form, COS = cos(Omega t), SIN = sin(Omega t)/Omega


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
        from .jc_manifolds import COS, SIN  # lazy (PEP 562)
        return COS * sympy.eye(2) - sympy.I * SIN * self.K

    def phase(self, t):
        return sympy.exp(-sympy.I * self.c0 * t)

    def substitutions(self, t):
        from .jc_manifolds import COS, SIN  # lazy (PEP 562)
        if self.omega2 == 0:
            return {COS: sympy.Integer(1), SIN: t}
        om = self.omega
        return {COS: sympy.cos(om * t), SIN: sympy.sin(om * t) / om}

    def reduce(self, expr):
        """``expr`` (polynomial in C, S) reduced with C^2 = 1 - Omega^2 S^2."""
        from .jc_manifolds import COS, SIN  # lazy (PEP 562)
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
        from .jc_manifolds import COS, SIN  # lazy (PEP 562)
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
    ``rise[r]`` = pe[r](t) - pe[r](0) without cancellation (float64),
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
    #: float64 only: pe(t) - pe(0) = sum_k S_k^2 (u_k^2 - a_k^2 Omega_k^2) (no cancellation)
    rise: list = None
    #: mpmath only: pe[r] - pg[r] from the exact fixed-point integers, rounded once (in
    #: the collapse of a coherent field pe/(pe + pg) rounds to exactly 1/2 at every
    #: precision, an exact 0 that two evaluations agree on; this difference is the
    #: rounding noise it is, which precision.stable recognises)
    inversion: list = None


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
    out = ManifoldSums([], [], [], [], [], rise=[])
    S2 = S * S
    for run in runs:
        ce, cg = float(run.c_e), float(run.c_g)
        a, b = ce * fk, cg * fk1
        u, v = delta * a + kk * b, delta * b - kk * a
        A = a * C - 1j * u * S
        B = b * C + 1j * v * S
        # |A|^2 - a^2 = S^2 (u^2 - a^2 Omega^2), as PureSumsSetup.rises
        out.rise.append(np.sum(S2 * (kk * (2 * delta * a * b + kk * ((b - a) * (b + a)))),
                               axis=1))
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


@dataclass(frozen=True)
class PureSumsSetup:
    """The block data of one pure evolution for :func:`pure_sums_arrays` (float64)."""

    om: np.ndarray  # Omega_k
    k0: int  # the first block
    a: np.ndarray  # c_e f_k
    b: np.ndarray  # c_g f_{k+1}
    u: np.ndarray  # delta a + g sqrt(k+1) b
    v: np.ndarray  # delta b - g sqrt(k+1) a
    weights: np.ndarray  # rows: a^2, u^2, b^2, v^2, sqrt(k+1) a b, sqrt(k+1) u v
    neighbours: np.ndarray  # rows: a_m b_{m-1}, u_m v_{m-1}, u_m b_{m-1}, a_m v_{m-1}
    first: float  # c_g f_0: |B_{-1}| (the singlet, phase e^{i delta t})
    delta: float
    has_singlet: bool
    om_hi: np.ndarray = None  # Omega_k = om_hi + om_lo to ~32 digits (exact parameters)
    om_lo: np.ndarray = None
    #: u^2 - a^2 Omega^2 = g sqrt(k+1) [2 delta a b + g sqrt(k+1) (b - a)(b + a)]:
    #: |A_k(t)|^2 - |A_k(0)|^2 = S^2 (u^2 - a^2 Omega^2) (C^2 = 1 - Omega^2 S^2)
    rises: np.ndarray = None

    @classmethod
    def of(cls, run, window, amplitudes, delta, g, *, exact=None):
        """``exact``: (delta, g) as exact SymPy numbers, for Omega_k to ~32 digits
        (the angles Omega_k t of :func:`pure_sums_arrays`' grid route)."""
        blocks = _block_inputs(window, amplitudes)
        k = np.array([x[0] for x in blocks], dtype=float)
        fk = np.array([float(x[1]) for x in blocks])
        fk1 = np.array([float(x[2]) for x in blocks])
        delta, g = float(delta), float(g)
        kk = g * np.sqrt(k + 1)
        om = np.sqrt(delta * delta + kk * kk)
        sq = np.sqrt(k + 1)
        ce, cg = float(run.c_e), float(run.c_g)
        a, b = ce * fk, cg * fk1
        u, v = delta * a + kk * b, delta * b - kk * a
        weights = np.array([a * a, u * u, b * b, v * v, sq * a * b, sq * u * v]).T.copy()
        neighbours = np.array([a[1:] * b[:-1], u[1:] * v[:-1], u[1:] * b[:-1],
                               a[1:] * v[:-1]]).T.copy()
        f0 = float(amplitudes[0]) if window.has_singlet else 0.0
        om_hi = om_lo = None
        if exact is not None:
            om_hi, om_lo = _accurate_frequencies(exact[0], exact[1], [x[0] for x in blocks])
        rises = kk * (2 * delta * a * b + kk * ((b - a) * (b + a)))
        return cls(om, int(k[0]), a, b, u, v, weights, neighbours, cg * f0, delta,
                   window.has_singlet, om_hi, om_lo, rises)


def _accurate_frequencies(delta, g, ks):
    """Omega_k = sqrt(delta^2 + g^2 (k + 1)) as float pairs hi + lo (mpmath, 40 digits)."""
    with mpmath.workdps(40):
        d2 = mpmath.mpf(_mp_number(delta)) ** 2
        g2 = mpmath.mpf(_mp_number(g)) ** 2
        hi, lo = [], []
        for k in ks:
            om = mpmath.sqrt(d2 + g2 * (k + 1))
            h = float(om)
            hi.append(h)
            lo.append(float(om - h))
    return np.array(hi), np.array(lo)

def pure_sums_arrays(setup, times, *, chunk=8192):
    """The sums of :func:`manifold_sums` for one pure evolution in float64, as numpy
    arrays over the (non-zero) ``times``: ``(pe, pg, re, im, det, spa, rise)``, ``rise``
    the increment pe(t) - pe(0) = sum_k S_k^2 (u_k^2 - a_k^2 Omega_k^2) (no cancellation
    at small times: the difference of the sums lost 6 digits at g t = 1e-5).

    Real arithmetic: with C = cos(Omega t), S = sin(Omega t)/Omega,
    A = a C - i u S and B = b C + i v S, so |A|^2 = a^2 C^2 + u^2 S^2,
    |B|^2 = b^2 C^2 + v^2 S^2, Re conj(A) B = a b C^2 - u v S^2, and
    A_m conj(B_{m-1}) from products of neighbouring blocks.  Equally spaced
    times (16 or more, with ``setup.om_hi``) go by :func:`_grid_sums`; others
    directly, in chunks of about ``chunk`` (time, block) entries (small arrays:
    no fresh memory per call), summed pairwise like :func:`manifold_sums`.
    The Gram determinant pe pg - |rho_eg|^2 is taken as it stands where it is at
    least 3% of pe pg and pe, pg are at least 3% of pe + pg (little cancellation);
    the other times are computed from the amplitudes as :func:`manifold_sums`
    does (Gram-Schmidt for the determinant).
    """
    t = np.asarray(times, dtype=float)
    n = len(t)
    om, first, delta = setup.om, setup.first, setup.delta
    grid = _grid_sums(setup, t) if setup.om_hi is not None else None
    if grid is not None:
        pe, pg, spa, re, im = grid
        if first != 0:
            pg = first * first + pg
        # the increment as the difference, except where it is below 1e-3 of pe(0) (at
        # most 3 digits lost): there from sin^2
        start = np.sum(setup.a * setup.a)
        rise = pe - start
        close = np.flatnonzero(np.abs(rise) <= 1e-3 * start)
        if close.size:
            rise[close] = _rises(setup, t[close])
        return _finish_pure_sums(setup, t, pe, pg, re, im, spa, rise)
    K = len(om)
    sums = np.empty((n, 4))
    pair = np.empty((n, 2))
    rows = max(1, chunk // max(K, 1))
    for start in range(0, n, rows):
        tc = t[start:start + rows]
        theta = np.multiply.outer(tc, om)
        C = np.cos(theta)
        S = np.sin(theta)
        S /= om
        C2, S2 = C * C, S * S
        w = setup.weights
        rs = slice(start, start + rows)
        # a^2 C^2 + u^2 S^2 and the like, summed over the blocks (pairwise)
        sums[rs, 0] = (C2 * w[:, 0] + S2 * w[:, 1]).sum(axis=1)
        sums[rs, 1] = (C2 * w[:, 2] + S2 * w[:, 3]).sum(axis=1)
        sums[rs, 2] = (C2 * w[:, 4] - S2 * w[:, 5]).sum(axis=1)
        sums[rs, 3] = (S2 * setup.rises).sum(axis=1)
        # rho_eg = sum_m A_m conj(B_{m-1}): Re = a_m b_{m-1} C_m C_{m-1} - u_m v_{m-1} S_m S_{m-1},
        # Im = -(u_m b_{m-1} S_m C_{m-1} + a_m v_{m-1} C_m S_{m-1})
        nb = setup.neighbours
        Cm, Cp, Sm, Sp = C[:, 1:], C[:, :-1], S[:, 1:], S[:, :-1]
        pair[rs, 0] = ((Cm * Cp) * nb[:, 0] - (Sm * Sp) * nb[:, 1]).sum(axis=1)
        pair[rs, 1] = -((Sm * Cp) * nb[:, 2] + (Cm * Sp) * nb[:, 3]).sum(axis=1)
    pe, pg, spa = sums[:, 0], sums[:, 1], sums[:, 2]
    if first != 0:
        pg = first * first + pg
    return _finish_pure_sums(setup, t, pe, pg, pair[:, 0], pair[:, 1], spa, sums[:, 3])


def _rises(setup, t, weights=None):
    """pe(t) - pe(0) = sum_k S_k^2 (u_k^2 - a_k^2 Omega_k^2) at the times ``t`` (or the
    sum with other ``weights``)."""
    S = np.sin(np.multiply.outer(t, setup.om)) / setup.om
    return (S * S * (setup.rises if weights is None else weights)).sum(axis=1)


def rise_sizes(setup, t):
    """sum_k S_k^2 |u_k^2 - a_k^2 Omega_k^2|: what the increment of pe is summed from (its
    rounding is a few eps times this); |rise| itself where the terms share one sign."""
    w = setup.rises
    if not (w.min(initial=0.0) < 0 < w.max(initial=0.0)):
        return None
    return _rises(setup, t, np.abs(w))


def _finish_pure_sums(setup, t, pe, pg, re, im, spa, rise):
    """Add the singlet's term to rho_eg; the Gram determinant (Gram-Schmidt where
    pe pg - |rho_eg|^2 would cancel, or where pe or pg is small)."""
    om, first, delta = setup.om, setup.first, setup.delta
    if first != 0:
        # A_0 conj(B_{-1}), B_{-1} = first e^{i delta t}: (x + i y) first (c - i s)
        c, s_ = np.cos(delta * t), np.sin(delta * t)
        th0 = t * om[0]
        x0, y0 = setup.a[0] * np.cos(th0), -(setup.u[0] * (np.sin(th0) / om[0]))
        re = first * (x0 * c + y0 * s_) + re
        im = first * (y0 * c - x0 * s_) + im
    det = pe * pg - (re * re + im * im)
    safe = (det >= 0.03 * (pe * pg)) & (np.minimum(pe, pg) >= 0.03 * (pe + pg))
    careful = np.flatnonzero(~safe)
    if careful.size:
        ts = t[careful]
        theta = np.multiply.outer(ts, om)
        Cs, Ss = np.cos(theta), np.sin(theta) / om
        A = setup.a * Cs - 1j * (setup.u * Ss)
        B = setup.b * Cs + 1j * (setup.v * Ss)
        zero = np.zeros((len(ts), 1), dtype=complex)
        X = np.concatenate([A, zero], axis=1)
        head = (first * np.exp(1j * delta * ts))[:, None] if setup.has_singlet else zero
        Y = np.concatenate([head, B], axis=1)
        pe_c, pg_c = np.sum(np.abs(X) ** 2, axis=1), np.sum(np.abs(Y) ** 2, axis=1)
        det[careful] = _gram_det_float64(X, Y, pe_c, pg_c)
        # these rows' sums directly from the amplitudes (full relative precision of a
        # small p_e or p_g), as manifold_sums
        pe, pg, re, im, spa = pe.copy(), pg.copy(), re.copy(), im.copy(), spa.copy()
        pe[careful], pg[careful] = pe_c, pg_c
        rise = rise.copy()  # (the grid's pe - pe(0) cancels where pe is small)
        rise[careful] = (Ss * Ss * setup.rises).sum(axis=1)
        reg = np.sum(X * np.conj(Y), axis=1)
        re[careful], im[careful] = reg.real, reg.imag
        spa[careful] = np.sum(np.sqrt(np.arange(len(om)) + _first_block(setup) + 1.0)
                              * (np.conj(A) * B).real, axis=1)
    return pe, pg, re, im, det, spa, rise


def _first_block(setup):
    return setup.k0


def _split(x):
    """Veltkamp: x = hi + lo with hi, lo of 26 bits (products of halves are exact)."""
    xs = 134217729.0 * x
    hi = xs - (xs - x)
    return hi, x - hi


def _two_product(x, y, x_split=None, y_split=None):
    """x y = p + e exactly (Dekker, without FMA); halves may be given precomputed."""
    p = x * y
    xh, xl = _split(x) if x_split is None else x_split
    yh, yl = _split(y) if y_split is None else y_split
    return p, ((xh * yh - p) + xh * yl + xl * yh) + xl * yl


def _two_sum(a, b):
    """a + b = s + e exactly."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _cos_sin_dd(hi, lo):
    """cos and sin of the angle hi + lo (|lo| tiny: first order in lo)."""
    c, s = np.cos(hi), np.sin(hi)
    return c - lo * s, s + lo * c


def _grid_sums(setup, t):
    """(pe - singlet, pg - singlet, spa, Re, Im of rho_eg without the singlet term) at
    equally spaced times, or None when the times are too few or not equally spaced.

    Every sum over the blocks is sum_k w_k F(phi_k(t)) with F = cos or sin of an
    angle phi_k = 2 theta_k, theta_k + theta_{k-1} or theta_k - theta_{k-1}
    (theta_k = Omega_k t; C^2, S^2 and the neighbour products are written with
    them).  The times t_j = t_0 + (q m + r) h (+ e_j, a residual of rounding
    size) split every angle into a_r + b_q (+ Omega e_j): cos and sin are needed
    only at the m + n/m values a_r and b_q, from three angles in double-float
    arithmetic (Omega_k to 32 digits: no rounding of Omega t at all) and their
    multiples by rotation (:func:`_rotations`), and each sum is a matrix product
    over k; the residuals enter to first order (their square is below 1e-16).
    Accuracy: about m units in the last place of each term (m ~ sqrt(n)), better
    than cos(fl(Omega t)) with Omega t up to ~1e2.
    """
    n = len(t)
    if n < 16:
        return None
    t0 = t[0]
    h = (t[-1] - t0) / (n - 1)
    if not h > 0:
        return None
    om_hi, om_lo, om = setup.om_hi, setup.om_lo, setup.om
    j = np.arange(n, dtype=float)
    jh, jh_lo = _two_product(j, h)
    g_hi, g_lo = _two_sum(t0, jh)
    g_lo = g_lo + jh_lo
    resid = (t - g_hi) - g_lo
    if not np.abs(resid).max() * om.max() <= 1e-8:
        return None
    m = int(math.ceil(math.sqrt(n)))
    p = -(-n // m)
    r = np.arange(m, dtype=float)
    a_hi, a_lo = _two_product(r, h)
    a_hi, e = _two_sum(t0, a_hi)
    a_lo = a_lo + e
    b_hi, b_lo = _two_product(np.arange(p, dtype=float) * m, h)

    om_split = _split(om_hi)

    def angles(x_hi, x_lo):
        xh, xl = _split(x_hi)
        ph, pl = _two_product(x_hi[:, None], om_hi, (xh[:, None], xl[:, None]), om_split)
        return _cos_sin_dd(ph, pl + (x_hi[:, None] * om_lo + x_lo[:, None] * om_hi))

    cA, sA, cB, sB = _rotations(angles, a_hi[0], a_lo[0], h, b_hi[1] if p > 1 else 0.0,
                                b_lo[1] if p > 1 else 0.0, m, p)
    # residual of each time, laid out as (r, q)
    e_rq = np.zeros(m * p)
    e_rq[:n] = resid
    e_rq = e_rq.reshape(p, m).T
    inv = 1.0 / om

    def family(ca, sa, cb, sb, freq, specs):
        """sum_k w_k F(alpha_rk + beta_qk + freq_k e_rq) for each (w, F) in ``specs``
        (F = "cos" or "sin"), as (m, p) arrays: the sum at e = 0 by two matrix
        products over k for all weights together, plus e times its derivative
        (first order; that term is of rounding size, so single precision does)."""
        nw = len(specs)
        K = ca.shape[1]
        L1, L2 = np.empty((nw * m, K)), np.empty((nw * m, K))
        M1, M2 = np.empty((nw * m, K), np.float32), np.empty((nw * m, K), np.float32)
        ca32, sa32 = ca.astype(np.float32), sa.astype(np.float32)
        for i, (w, kind) in enumerate(specs):
            rows = slice(i * m, (i + 1) * m)
            wf = (w * freq).astype(np.float32)
            # cos(a + b) = ca cb - sa sb, d/de: -freq (sa cb + ca sb)
            # sin(a + b) = sa cb + ca sb, d/de: +freq (ca cb - sa sb)
            first, second = (ca, sa) if kind == "cos" else (sa, ca)
            np.multiply(w, first, out=L1[rows])
            np.multiply(w, second, out=L2[rows])
            np.multiply(wf, sa32 if kind == "cos" else ca32, out=M1[rows])
            np.multiply(wf, ca32 if kind == "cos" else sa32, out=M2[rows])
        P1, P2 = L1 @ cb.T, L2 @ sb.T
        D1, D2 = M1 @ cb.T.astype(np.float32), M2 @ sb.T.astype(np.float32)
        out = []
        for i, (w, kind) in enumerate(specs):
            rows = slice(i * m, (i + 1) * m)
            if kind == "cos":
                out.append((P1[rows] - P2[rows]) - e_rq * (D1[rows] + D2[rows]))
            else:
                out.append((P1[rows] + P2[rows]) + e_rq * (D1[rows] - D2[rows]))
        return out

    def flat(x):
        return x.T.reshape(-1)[:n]

    a2, u2, b2, v2, sab, suv = setup.weights.T
    # 2 theta: C^2 = (1 + cos 2 theta)/2, S^2 = (1 - cos 2 theta)/(2 Omega^2)
    c2A, s2A = (cA - sA) * (cA + sA), 2 * sA * cA
    c2B, s2B = (cB - sB) * (cB + sB), 2 * sB * cB
    inv2 = inv * inv
    f_pe, f_pg, f_spa = family(c2A, s2A, c2B, s2B, 2 * om, [
        (a2 - u2 * inv2, "cos"), (b2 - v2 * inv2, "cos"), (sab + suv * inv2, "cos")])
    pe = 0.5 * np.sum(a2 + u2 * inv2) + 0.5 * flat(f_pe)
    pg = 0.5 * np.sum(b2 + v2 * inv2) + 0.5 * flat(f_pg)
    spa = 0.5 * np.sum(sab - suv * inv2) + 0.5 * flat(f_spa)
    # neighbours: theta_k +- theta_{k-1}, k >= 1
    ab, uv, ub, av = setup.neighbours.T
    inv_k, inv_p = inv[1:], inv[:-1]
    cc_a, ss_a = cA[:, 1:] * cA[:, :-1], sA[:, 1:] * sA[:, :-1]
    sc_a, cs_a = sA[:, 1:] * cA[:, :-1], cA[:, 1:] * sA[:, :-1]
    cc_b, ss_b = cB[:, 1:] * cB[:, :-1], sB[:, 1:] * sB[:, :-1]
    sc_b, cs_b = sB[:, 1:] * cB[:, :-1], cB[:, 1:] * sB[:, :-1]
    uv_n = uv * inv_k * inv_p
    # C_k C_{k-1} = [cos(-) + cos(+)]/2, S_k S_{k-1} = [cos(-) - cos(+)]/(2 Omega_k Omega_{k-1}),
    # S_k C_{k-1} = [sin(+) + sin(-)]/(2 Omega_k), C_k S_{k-1} = [sin(+) - sin(-)]/(2 Omega_{k-1})
    re_p, im_p = family(cc_a - ss_a, sc_a + cs_a, cc_b - ss_b, sc_b + cs_b, om[1:] + om[:-1],
                        [(ab + uv_n, "cos"), (ub * inv_k + av * inv_p, "sin")])
    re_m, im_m = family(cc_a + ss_a, sc_a - cs_a, cc_b + ss_b, sc_b - cs_b, om[1:] - om[:-1],
                        [(ab - uv_n, "cos"), (ub * inv_k - av * inv_p, "sin")])
    re = 0.5 * (flat(re_m) + flat(re_p))
    im = -0.5 * (flat(im_p) + flat(im_m))
    return pe, pg, spa, re, im


def _rotations(angles, t0_hi, t0_lo, h, mh_hi, mh_lo, m, p):
    """cos and sin of (t_0 + r h) Omega_k, r < m, and of q m h Omega_k, q < p, as (m, K)
    and (p, K) arrays: the three double-float angles t_0 Omega, h Omega and m h Omega
    through ``angles`` (cos and sin of K values each), the others as powers of the
    unit complex numbers e^{i h Omega} and e^{i m h Omega} (one complex product per row,
    each adding about an ulp: at most ~m ulps, against m + p cos and sin of K values)."""
    c, s = angles(np.array([t0_hi, h, mh_hi]), np.array([t0_lo, 0.0, mh_lo]))
    K = c.shape[1]
    za = np.empty((m, K), complex)
    za[0].real, za[0].imag = c[0], s[0]
    step = c[1] + 1j * s[1]
    for r in range(1, m):
        np.multiply(za[r - 1], step, out=za[r])
    zb = np.empty((p, K), complex)
    zb[0] = 1.0
    if p > 1:
        zb[1].real, zb[1].imag = c[2], s[2]
        for q in range(2, p):
            np.multiply(zb[q - 1], zb[1], out=zb[q])
    return za.real.copy(), za.imag.copy(), zb.real.copy(), zb.imag.copy()


def _rowsum(M):
    """Sum along the rows (numpy's pairwise summation)."""
    return M.sum(axis=1)


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
    from mpmath.libmp import to_fixed
    return to_fixed(mpmath.mpf(x)._mpf_, P)


def _cos_sin_fixed(oms, t, P):
    from mpmath.libmp import mpf_cos_sin, mpf_mul, to_fixed
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
    from mpmath.libmp import mpf_cos_sin, mpf_mul, to_fixed
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
                       [[] for _ in range(nruns)], [] if want_gram else None,
                       inversion=[[] for _ in range(nruns)])

    def real(n, exp=scale):
        return mpmath.ldexp(mpmath.mpf(n), exp)

    for pe, pg, re_, im_, spa, gram in results:
        for r in range(nruns):
            out.pe[r].append(real(pe[r]))
            out.pg[r].append(real(pg[r]))
            out.inversion[r].append(real(pe[r] - pg[r]))
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


# --------------------------------------------------------------------------
# balls: the sums with a proven bound of every dropped manifold
# --------------------------------------------------------------------------

def _pad(bound):
    """The ball [-bound, bound] (all reals if the bound is not finite)."""
    from flint import arb

    if bound.is_finite():
        return arb(0, bound.upper())
    return arb(0).union(arb.pos_inf())


def poisson_tail_bounds(mu, n_lo, n_hi):
    """Proven upper bounds (balls) of the Poisson(mu) weights outside [n_lo, n_hi].

    Returns ``(lower, upper, upper_mean)``: ``lower`` >= sum_{n < n_lo} P_n (0 when
    n_lo = 0), ``upper`` >= sum_{n > n_hi} P_n and ``upper_mean`` >= sum_{n > n_hi} n P_n,
    from the geometric bounds

        sum_{n >= N} P_n <= P_N / (1 - mu/(N+1))          (N + 1 > mu),
        sum_{n < N} P_n <= P_{N-1} / (1 - (N-1)/mu)        (N - 1 < mu),

    and sum_{n >= N} n P_n = mu sum_{n >= N-1} P_n.  P_n = e^-mu mu^n / n! in balls
    (lgamma), so the bounds hold at any precision.  A window that does not satisfy
    the conditions gives an infinite bound (never a wrong one).

    >>> from flint import arb
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.models.jc_manifolds import poisson_tail_bounds
    >>> with ball_precision(200):
    ...     lo, hi, mean = poisson_tail_bounds(arb(900), 650, 1150)
    ...     print(hi < arb("1e-12"), lo < arb("1e-12"), hi < mean < 2000 * hi)
    True True True
    """
    from flint import arb

    def p(n):
        return (-mu + n * mu.log() - arb(n + 1).lgamma()).exp() if n > 0 else (-mu).exp()

    def upper_from(n):  # sum_{j >= n} P_j
        if n + 1 > mu:
            return p(n) / (1 - mu / (n + 1))
        return arb.pos_inf()

    if mu.is_zero():
        return arb(0), arb(0), arb(0)
    lower = arb(0)
    if n_lo > 0:
        lower = p(n_lo - 1) / (1 - (n_lo - 1) / mu) if n_lo - 1 < mu else arb.pos_inf()
    upper = upper_from(n_hi + 1)
    upper_mean = mu * upper_from(n_hi)
    return lower, upper, upper_mean


def poisson_outside_weight(mu, n_lo, n_hi):
    """sum_{n < n_lo} P_n + sum_{n > n_hi} P_n for Poisson(mu), as a narrow ball: each tail
    summed term by term (ratio recurrence) until the next term is 2^-(prec+10) of the sum,
    the rest enclosed by its geometric bound.

    >>> from flint import arb
    >>> from symthermo.balls import ball_precision
    >>> from symthermo.models.jc_manifolds import poisson_outside_weight
    >>> with ball_precision(100):
    ...     w = poisson_outside_weight(arb(4), 1, 6)   # 1 - sum_{n=1..6} P_n
    ...     exact = 1 - sum((arb(4) ** n / arb(n).gamma() / n for n in range(1, 7)),
    ...                     arb(0)) * (-arb(4)).exp()
    ...     print(w.overlaps(exact), w.rad() < 1e-25)
    True True
    """
    import flint
    from flint import arb

    if mu.is_zero():
        return arb(0)
    tiny = arb(2) ** -(flint.ctx.prec + 10)

    def p(n):
        return (-mu + n * mu.log() - arb(n + 1).lgamma()).exp() if n > 0 else (-mu).exp()

    total = arb(0)
    # upper tail: n = n_hi + 1, n_hi + 2, ... (ratios mu/(n+1) < 1 once n + 1 > mu)
    n, term = n_hi + 1, p(n_hi + 1)
    while True:
        total += term
        ratio = mu / (n + 1)
        term = term * ratio
        n += 1
        if ratio < 1 and term < tiny * total:
            rest = term / (1 - mu / (n + 1))
            total += arb(0, rest.upper())
            break
    if n_lo > 0:
        # lower tail: n = n_lo - 1, n_lo - 2, ..., 0 (ratios n/mu < 1 for n < mu)
        n, term = n_lo - 1, p(n_lo - 1)
        low = arb(0)
        while n >= 0:
            low += term
            if n == 0:
                break
            ratio = n / mu
            term = term * ratio
            n -= 1
            if ratio < 1 and term < tiny * low:
                rest = term / (1 - n / mu)
                low += arb(0, rest.upper())
                break
        total += low
    return total


def ball_pure_sums(lib, run, alpha, delta, g, times, window, *, vectors=False):
    """p_e, p_g, rho_eg (real, imaginary), sigma_plus_a, per time, for one pure run, in
    balls: the exact Poisson amplitudes (no renormalisation) over the kept blocks, plus
    the proven bound of the dropped blocks added to each radius.

    Each block k (span{|e,k>, |g,k+1>}) keeps its initial weight w_k = c_e^2 P_k +
    c_g^2 P_{k+1} under the evolution, and p_e, p_g and <sigma_+ a> are sums of
    per-block terms: a dropped block changes p_e or p_g by at most w_k, <sigma_+ a>
    by at most sqrt(k+1) w_k / 2, and rho_eg (which pairs block m with block m-1) by
    at most w_k in total.  The dropped weight is bounded by
    :func:`poisson_tail_bounds`.  With ``vectors``, each time also carries ``"X"`` and
    ``"Y"``: psi(e, m) ~ A_m and psi(g, m) ~ B_{m-1} as (re, im) pairs over
    m = k_lo .. k_hi + 1 (zeros where the block is dropped), and ``"pad"``, a bound of
    what the dropped blocks change in any sum_m conj(V_m) W_m of these vectors.
    """
    from flint import arb

    mu = alpha * alpha
    lo, hi = window.n_lo, window.n_hi
    ce, cg = run.c_e, run.c_g
    # amplitudes f_n, n = lo .. hi + 1, from the mode outward (rigorous at every step)
    # Fock levels n_lo_f .. n_hi_f are "inside"; the kept blocks k_lo .. k_hi are every
    # block that touches them, with their exact initial amplitudes (one level beyond
    # each end), so that the dropped blocks hold only levels outside
    if mu.is_zero():
        n_lo_f, n_hi_f = 0, 0
    else:
        n_lo_f, n_hi_f = lo, hi
    k_lo, k_hi = max(n_lo_f - 1, 0), n_hi_f
    zero = arb(0)
    if mu.is_zero():
        f = {0: arb(1)}
    else:
        first, last = k_lo, k_hi + 1
        mode = min(max(int(mu.mid().floor().unique_fmpz() or 0), first), last)
        f = {mode: ((-mu + mode * mu.log() - arb(mode + 1).lgamma()) / 2).exp()}
        for n in range(mode, last):
            f[n + 1] = f[n] * alpha / arb(n + 1).sqrt()
        for n in range(mode, first, -1):
            f[n - 1] = f[n] * arb(n).sqrt() / alpha

    def amp(n):
        return f.get(n, zero)

    blocks = list(range(k_lo, k_hi + 1))
    singlet = k_lo == 0  # the block "-1": |g,0>, a phase only
    # dropped blocks hold only levels n < n_lo_f or n > n_hi_f (c_e^2 + c_g^2 = 1)
    lower, upper, upper_mean = poisson_tail_bounds(mu, n_lo_f, n_hi_f)
    dropped = lower + upper
    # sum over dropped blocks of sqrt(k+1) w_k: below, sqrt(k+1) <= sqrt(n_lo_f); above,
    # sum_{k > n_hi} (k+1)(P_k + P_{k+1}) <= 2 sum_{k > n_hi} k P_k + sum_{k > n_hi} P_k
    spa_bound = (arb(n_lo_f).sqrt() * lower + 2 * upper_mean + upper) / 2
    # rho_eg's terms that pair a kept edge block with a dropped one: half their weights
    # (at the bottom only when blocks below are dropped: with the singlet nothing is)
    edge = (ce * ce * amp(k_hi) * amp(k_hi) + cg * cg * amp(k_hi + 1) * amp(k_hi + 1)) / 2
    if not singlet:
        edge += (ce * ce * amp(k_lo) * amp(k_lo) + cg * cg * amp(k_lo + 1) * amp(k_lo + 1)) / 2
    # at resonance a run without coherence (c_e c_g = 0) has every block's
    # Re conj(A_k) B_k = -u_k v_k S^2 = 0 exactly (u or v vanishes): <sigma_+ a> = 0
    spa_zero = (ce * cg).is_zero() and delta.is_zero()
    roots = [arb(k + 1).sqrt() for k in blocks]
    kk = [g * r for r in roots]
    om = [(delta * delta + x * x).sqrt() for x in kk]
    a = [ce * amp(k) for k in blocks]
    b = [cg * amp(k + 1) for k in blocks]
    u = [delta * x + y * z for x, y, z in zip(a, kk, b)]
    v = [delta * z - y * x for x, y, z in zip(a, kk, b)]
    if not vectors:
        sums = _block_sums(times, om, a, b, u, v, roots, delta, cg * amp(0) if singlet else None)
        pad, rpad = _pad(dropped), _pad(dropped + edge)
        spa_pad = 0 if spa_zero else _pad(spa_bound)
        return [{"pe": pe + pad, "pg": pg + pad, "reg_re": re + rpad, "reg_im": im + rpad,
                 "spa": spa + spa_pad} for pe, pg, re, im, spa in sums], dropped
    out = []
    for t in times:
        pe = pg = reg_re = reg_im = spa = zero
        prev = None  # B_{k-1} as (re, im)
        if singlet:
            s, c = (delta * t).sin_cos()
            first = cg * amp(0)
            prev = (first * c, first * s)
            pg = first * first
        xs, ys = [], [prev if prev is not None else (zero, zero)]
        for j, k in enumerate(blocks):
            if om[j].is_zero():
                C, S = arb(1), t
            else:
                s, C = (om[j] * t).sin_cos()
                S = s / om[j]
            ar, ai = a[j] * C, -u[j] * S
            br, bi = b[j] * C, v[j] * S
            pe += ar * ar + ai * ai
            pg += br * br + bi * bi
            if prev is not None:
                # A_k conj(B_{k-1})
                reg_re += ar * prev[0] + ai * prev[1]
                reg_im += ai * prev[0] - ar * prev[1]
            spa += roots[j] * (ar * br + ai * bi)
            prev = (br, bi)
            if vectors:
                xs.append((ar, ai))
                ys.append(prev)
        pad = _pad(dropped)
        rpad = _pad(dropped + edge)
        out.append({"pe": pe + pad, "pg": pg + pad, "reg_re": reg_re + rpad,
                    "reg_im": reg_im + rpad, "spa": spa if spa_zero else spa + _pad(spa_bound)})
        if vectors:
            xs.append((zero, zero))  # A_{k_hi + 1}: dropped
            out[-1].update(X=xs, Y=ys, pad=dropped + edge)
    return out, dropped


def _block_sums(times, om, a, b, u, v, roots, delta, singlet):
    """(p_e, p_g, Re rho_eg, Im rho_eg, <sigma_+ a>) of one pure run at each time, summed
    over the kept blocks j (block k_lo + j) as products of ball matrices: the loop of
    :func:`ball_pure_sums` written as sums of a coefficient times a product of C_j =
    cos(Omega_j t) and S_j = sin(Omega_j t)/Omega_j (or of block j - 1's), with the
    amplitudes A_j = a_j C_j - i u_j S_j and B_j = b_j C_j + i v_j S_j:

    p_e = sum_j a_j^2 C_j^2 + u_j^2 S_j^2,  p_g = sum_j b_j^2 C_j^2 + v_j^2 S_j^2,
    <sigma_+ a> = sum_j sqrt(k+1) (a_j b_j C_j^2 - u_j v_j S_j^2),
    rho_eg = sum_j A_j conj(B_{j-1}): Re = a_j b_{j-1} C_j C_{j-1} - u_j v_{j-1} S_j S_{j-1},
    Im = -u_j b_{j-1} S_j C_{j-1} - a_j v_{j-1} C_j S_{j-1};

    ``singlet`` (c_g f_0, or None): the block of |g, 0> alone, B_{-1} = singlet e^{i delta t}.
    One flint matrix product per kind of product, all times at once (Arb's sums in C,
    every bound rigorous), instead of the Python loop over blocks at each time.
    """
    from flint import arb, arb_mat

    n, m = len(om), len(times)
    cos, sin = [], []  # row j, column i: C_j(t_i), S_j(t_i)
    for w in om:
        if w.is_zero():
            cos.append([arb(1)] * m)
            sin.append(list(times))
            continue
        row_c, row_s = [], []
        for t in times:
            s, c = (w * t).sin_cos()
            row_c.append(c)
            row_s.append(s / w)
        cos.append(row_c)
        sin.append(row_s)

    def products(x, y, shift):
        """x_j y_{j - shift} over j = shift .. n - 1 (an (n - shift) x m matrix)."""
        return arb_mat(n - shift, m, [p * q for j in range(shift, n)
                                      for p, q in zip(x[j], y[j - shift])])

    def row(coefficients):
        return arb_mat(len(coefficients), len(coefficients[0]),
                       [c for r in coefficients for c in r])

    cc, ss = products(cos, cos, 0), products(sin, sin, 0)
    squares = row([[x * x for x in a], [x * x for x in b], [r * x * y for r, x, y in zip(roots, a, b)]])
    sine_squares = row([[x * x for x in u], [x * x for x in v], [r * x * y for r, x, y in zip(roots, u, v)]])
    diag = squares * cc
    sdiag = sine_squares * ss
    pe = [diag[0, i] + sdiag[0, i] for i in range(m)]
    pg = [diag[1, i] + sdiag[1, i] for i in range(m)]
    spa = [diag[2, i] - sdiag[2, i] for i in range(m)]
    re, im = [arb(0)] * m, [arb(0)] * m
    if n > 1:
        a1, u1 = a[1:], u[1:]
        re_c = row([[x * y for x, y in zip(a1, b)]]) * products(cos, cos, 1)
        re_s = row([[x * y for x, y in zip(u1, v)]]) * products(sin, sin, 1)
        im_sc = row([[x * y for x, y in zip(u1, b)]]) * products(sin, cos, 1)
        im_cs = row([[x * y for x, y in zip(a1, v)]]) * products(cos, sin, 1)
        re = [re_c[0, i] - re_s[0, i] for i in range(m)]
        im = [-im_sc[0, i] - im_cs[0, i] for i in range(m)]
    if singlet is not None:
        for i, t in enumerate(times):
            s, c = (delta * t).sin_cos()
            p0, p1 = singlet * c, singlet * s
            ar, ai = a[0] * cos[0][i], -u[0] * sin[0][i]
            pg[i] += singlet * singlet
            re[i] += ar * p0 + ai * p1
            im[i] += ai * p0 - ar * p1
    return list(zip(pe, pg, re, im, spa))


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    COS, SIN = sympy.symbols("C_Omega S_Omega", real=True)
    return {'COS': COS, 'SIN': SIN}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('COS', 'SIN'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
