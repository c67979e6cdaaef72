r"""The machinery of ``symthermo verify``: evaluate a printed formula and its derivation.

A check compares, equation by equation, the formula a paper prints (its
SymPy transcription in :mod:`symthermo.papers`) with the DERIVED form, a
SymPy statement written in :mod:`symthermo.verify.el23` and
:mod:`symthermo.verify.sl26` from symthermo's own definitions.  Both are
evaluated at concrete *points*, by one small interpreter (:func:`value`):

- :class:`SystemPoint`: a random finite system (local Hamiltonians, a
  coupling, a product or correlated initial state, fixed seeds) at one time,
  propagated by the core (:func:`symthermo.ledger.ledger_rows`, which uses
  :func:`symthermo.propagator.evolve`); every named quantity of the papers
  (``S_A(t)``, ``Q_B(t)``, ``D(w_B[beta_B(t)] || w_B[beta_B(0)])``, ...) is
  bound to what the core computes;
- :class:`ModelPoint`: a model of :mod:`symthermo.models` at some parameter
  values and a time, its quantities bound to the rows of
  :meth:`~symthermo.models.base.Model.evaluate` (the closed-form route).

Everything is evaluated with mpmath at 30 significant digits (plus guard
digits); two numbers agree when they differ by less than 1e-20 relative.
The derived side is also compared with the core's own functions
(*cross-checks*, e.g. ``sigma_A`` of the ledger against
:func:`symthermo.ledger.identity_sides`); a cross-check that disagrees is a
failure of verify itself, not a finding about the paper.

>>> import sympy
>>> from symthermo.verify.checks import value, Point
>>> x = sympy.Symbol("x")
>>> p = Point(params={}, t_label="0", symbols={x: 2})
>>> value(sympy.exp(x) - 1, p) > 6
True
"""

from __future__ import annotations

import functools
import itertools
import random
import time
from dataclasses import dataclass, field

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from ..entropy import entropy_of_spectrum
from ..numbers import MPMATH
from ..precision import decimal_string
from ..states import density_spectrum

__all__ = [
    "DPS", "TOLERANCE", "Result", "register", "REGISTRY", "Op", "Space", "value",
    "Point", "SystemPoint", "ModelPoint", "RandomSystem", "random_system", "Trajectory",
    "judge", "judge_claim", "fmt", "close", "witness", "not_checked", "Unbound",
    "model_available", "MODEL_MODULES", "exact_matrix", "memo",
]

#: significant digits of every evaluation
DPS = 30
#: relative agreement asked of two numbers (|a - b| <= TOLERANCE * max(1, |a|, |b|))
TOLERANCE = mpmath.mpf("1e-20")


# ---------------------------------------------------------------------------
# Results and the registry
# ---------------------------------------------------------------------------

@dataclass
class Result:
    """What one check found (turned into the contract's dict by :mod:`.report`).

    ``failures`` lists verify's own cross-checks that disagreed (two routes
    of the derived side); ``derived`` is the SymPy form printed as
    ``derived_latex``.
    """

    status: str
    detail: str
    derived: object = None
    witness: dict = None
    failures: list = field(default_factory=list)

    def __post_init__(self):
        if self.status not in ("holds", "differs", "not-checked"):
            raise ValueError(f"status must be holds, differs or not-checked, got {self.status!r}")
        if self.status == "differs" and not self.witness:
            raise ValueError("a 'differs' result needs a witness")


#: paper -> equation label -> check function(entry, context) -> Result
REGISTRY = {"EL23": {}, "SL26": {}}


def register(paper, *labels):
    """Decorator: the function checks these equations of ``paper``."""

    def wrap(fn):
        for label in labels:
            if label in REGISTRY[paper]:
                raise ValueError(f"{paper}:{label} has two checks")
            REGISTRY[paper][label] = fn
        return fn

    return wrap


def not_checked(reason, derived=None):
    """A not-checked result with its concrete reason."""
    return Result("not-checked", reason, derived)


#: module of each model (verify waits for those being written)
MODEL_MODULES = {
    "refrigerator": "refrigerator", "jaynes-cummings": "jaynes_cummings",
    "exchange": "exchange", "spontaneous-emission": "spontaneous_emission",
    "reaction-coordinate": "reaction_coordinate", "qutrit-swap": "qutrit_swap",
}


@functools.lru_cache(maxsize=None)
def model_available(name):
    """True when the model's module imports (it may still be being written)."""
    import importlib

    try:
        importlib.import_module(f"symthermo.models.{MODEL_MODULES[name]}")
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

def fmt(x, digits=DPS):
    """A number as the contract's decimal string (complex as ``a+bj``)."""
    if isinstance(x, Op):
        raise TypeError("an operator has no single decimal value")
    if isinstance(x, (bool,)):
        return "true" if x else "false"
    if isinstance(x, (int,)):
        return str(x)
    x = mpmath.mpmathify(x)
    if isinstance(x, mpmath.mpc):
        scale = max(abs(x.real), abs(x.imag))
        if x.imag == 0 or abs(x.imag) <= scale * TOLERANCE:
            x = x.real
        else:
            re_s = decimal_string(x.real, digits)
            im_s = decimal_string(abs(x.imag), digits)
            return f"{re_s}{'-' if x.imag < 0 else '+'}{im_s}j"
    return decimal_string(x, digits)


def _scale(*xs):
    out = mpmath.mpf(1)
    for x in xs:
        if isinstance(x, Op):
            out = max(out, x.norm())
        else:
            out = max(out, abs(x))
    return out


def close(a, b, tol=TOLERANCE):
    """Agreement of two numbers (or operators) to ``tol`` relative (absolute below 1)."""
    if isinstance(a, Op) or isinstance(b, Op):
        if not (isinstance(a, Op) and isinstance(b, Op)):
            return False
        return (a - b).norm() <= tol * _scale(a, b)
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b
    return abs(a - b) <= tol * _scale(a, b)


def _real(x):
    """The real part of a scalar whose imaginary part is rounding noise."""
    x = mpmath.mpmathify(x)
    if isinstance(x, mpmath.mpc):
        if abs(x.imag) > TOLERANCE * max(1, abs(x.real)):
            raise ValueError(f"expected a real number, got {x}")
        return x.real
    return x


# ---------------------------------------------------------------------------
# Operators on named tensor factors
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Space:
    """Subsystem names (tensor order) and their dimensions."""

    names: tuple
    dims: tuple

    def dim(self, support):
        out = 1
        for n in support:
            out *= self.dims[self.names.index(n)]
        return out

    def ordered(self, names):
        return tuple(n for n in self.names if n in names)


class Op:
    """A matrix acting on some subsystems of a :class:`Space` (embedded on demand).

    >>> import mpmath
    >>> from symthermo.verify.checks import Op, Space
    >>> s = Space(("A", "B"), (2, 2))
    >>> Z = Op(mpmath.matrix([[1, 0], [0, -1]]), ("A",), s)
    >>> (Z * Op(mpmath.eye(2), ("B",), s)).m.rows
    4
    """

    __slots__ = ("m", "support", "space")

    def __init__(self, m, support, space):
        self.m = m if isinstance(m, mpmath.matrix) else mpmath.matrix(m)
        self.support = tuple(support)
        self.space = space
        if space is not None and self.m.rows != space.dim(self.support):
            raise ValueError(f"operator on {self.support} has size {self.m.rows}, "
                             f"expected {space.dim(self.support)}")

    # -- embedding ---------------------------------------------------------
    def on(self, support):
        """This operator on a larger support (identity on the added factors)."""
        support = self.space.ordered(support)
        if support == self.support:
            return self
        if not set(self.support) <= set(support):
            raise ValueError(f"cannot embed an operator on {self.support} into {support}")
        dims = [self.space.dims[self.space.names.index(n)] for n in support]
        inside = [k for k, n in enumerate(support) if n in self.support]
        D = self.space.dim(support)
        out = mpmath.matrix(D, D)
        idx = list(itertools.product(*[range(d) for d in dims]))
        sub_dims = [dims[k] for k in inside]

        def flat(multi):
            f = 0
            for k, d in zip(inside, sub_dims):
                f = f * d + multi[k]
            return f

        sub = [flat(m) for m in idx]
        outside = [k for k in range(len(support)) if k not in inside]
        rest = [tuple(m[k] for k in outside) for m in idx]
        for a in range(D):
            for b in range(D):
                if rest[a] == rest[b]:
                    out[a, b] = self.m[sub[a], sub[b]]
        return Op(out, support, self.space)

    def _pair(self, other):
        union = self.space.ordered(set(self.support) | set(other.support))
        return self.on(union), other.on(union)

    # -- arithmetic --------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, Op):
            a, b = self._pair(other)
            return Op(a.m + b.m, a.support, self.space)
        if other == 0:
            return self
        raise TypeError(f"cannot add the number {other} to an operator on {self.support}")

    __radd__ = __add__

    def __neg__(self):
        return Op(-self.m, self.support, self.space)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, Op):
            a, b = self._pair(other)
            return Op(a.m * b.m, a.support, self.space)
        return Op(self.m * other, self.support, self.space)

    def __rmul__(self, other):
        return Op(self.m * other, self.support, self.space)

    def __truediv__(self, other):
        if isinstance(other, Op):
            raise TypeError("division by an operator")
        return Op(self.m / other, self.support, self.space)

    def dagger(self):
        return Op(self.m.transpose_conj(), self.support, self.space)

    def trace(self):
        return sum((self.m[i, i] for i in range(self.m.rows)), mpmath.mpf(0))

    def partial_trace(self, traced):
        """Trace out the subsystems ``traced``."""
        keep = tuple(n for n in self.support if n not in traced)
        if not keep:
            return self.trace()
        dims = [self.space.dims[self.space.names.index(n)] for n in self.support]
        keep_idx = [self.support.index(n) for n in keep]
        return Op(MPMATH.partial_trace(self.m, dims, keep_idx), keep, self.space)

    def norm(self):
        return max((abs(self.m[i, j]) for i in range(self.m.rows) for j in range(self.m.cols)),
                   default=mpmath.mpf(0))

    def hermitian_function(self, f):
        """f(M) for a Hermitian M, by its eigendecomposition (cached per matrix)."""
        E, Q = _eigh_cached(self)
        D = mpmath.diag([f(e) for e in E])
        return Op(Q * D * Q.transpose_conj(), self.support, self.space)

    def eigenvalues(self):
        return sorted(mpmath.eighe(self.m, eigvals_only=True))

    def __repr__(self):
        return f"Op(on={self.support}, size={self.m.rows})"


_EIG_CACHE = {}


def _matrix_key(m):
    return (mpmath.mp.prec, m.rows) + tuple(
        (v._mpc_ if isinstance(v, mpmath.mpc) else v._mpf_) if hasattr(v, "_mpf_") or
        hasattr(v, "_mpc_") else v for v in (m[i, j] for i in range(m.rows) for j in range(m.cols)))


def _eigh_cached(op):
    """Eigenvalues and eigenvectors of a Hermitian operator (mpmath.eighe), cached."""
    key = _matrix_key(op.m)
    if key not in _EIG_CACHE:
        defect = (op - op.dagger()).norm()
        if defect > TOLERANCE * _scale(op):
            raise ValueError("a matrix function of a non-Hermitian operator")
        if len(_EIG_CACHE) > 4000:
            _EIG_CACHE.clear()
        _EIG_CACHE[key] = mpmath.eighe(op.m)
    return _EIG_CACHE[key]


def _rational(x):
    x = mpmath.mpf(x)
    if not x:
        return sympy.Integer(0)
    sign, man, exp_, _ = x._mpf_
    return (-1) ** sign * sympy.Integer(man) * sympy.Integer(2) ** exp_


def exact_matrix(m, *, state=False):
    """The exact SymPy copy of an mpmath matrix (binary values), made exactly Hermitian and,
    for a state, of exactly unit trace: the core can then re-read it at any precision."""
    n = m.rows
    M = sympy.zeros(n, n)
    for a in range(n):
        for b in range(n):
            z = mpmath.mpmathify(m[a, b])
            re_, im_ = (z.real, z.imag) if isinstance(z, mpmath.mpc) else (z, 0)
            M[a, b] = _rational(re_) + sympy.I * _rational(im_)
    M = (M + M.H) / 2
    if state:
        M[n - 1, n - 1] += 1 - M.trace()
    return M


_VALUE_CACHE = {}


def _cached(key, make):
    if key not in _VALUE_CACHE:
        if len(_VALUE_CACHE) > 20000:
            _VALUE_CACHE.clear()
        _VALUE_CACHE[key] = make()
    return _VALUE_CACHE[key]


def entropy_of(op):
    """S = -Tr op ln op, from the spectrum (0 ln 0 = 0, multiplicities kept; cached)."""
    if not isinstance(op, Op):
        raise TypeError(f"the entropy of a state, got the number {op}")
    return _cached(("S",) + _matrix_key(op.m),
                   lambda: entropy_of_spectrum(MPMATH, density_spectrum(op.m, lib=MPMATH)))


def relative_entropy_of(a, b):
    """D(a || b) = Tr a (ln a - ln b), from the eigendecompositions (0 ln 0 = 0; cached)."""
    from ..entropy import _relative_entropy

    a, b = a._pair(b)
    return _cached(("D",) + _matrix_key(a.m) + _matrix_key(b.m),
                   lambda: _relative_entropy(MPMATH, a.m, b.m))


def memo(pt, name, make):
    """A per-point cached value (keyed by the trajectory or model, the time and the precision)."""
    owner = getattr(pt, "traj", None) or pt
    key = (name, id(owner), mpmath.mp.prec, mpmath.nstr(pt.t, mpmath.mp.dps) if pt.t is not None
           else None, tuple(sorted((str(k), str(v)) for k, v in pt.params.items())))
    return _cached(key, make)


# ---------------------------------------------------------------------------
# The interpreter
# ---------------------------------------------------------------------------

class Unbound(LookupError):
    """A name of a printed formula that the point does not define."""


_SCALAR_FUNCTIONS = {
    sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.tanh: mpmath.tanh,
    sympy.cos: mpmath.cos, sympy.sin: mpmath.sin, sympy.sqrt: mpmath.sqrt,
    sympy.cosh: mpmath.cosh, sympy.sinh: mpmath.sinh, sympy.atan: mpmath.atan,
    sympy.acos: mpmath.acos,
}


def _number(expr):
    if expr.is_Integer:
        return mpmath.mpf(int(expr))
    if expr.is_Rational:
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if expr.is_Float:
        return mpmath.mpf(sympy.Float(expr, mpmath.mp.dps))
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return +mpmath.e
    if expr is sympy.I:
        return mpmath.mpc(0, 1)
    if expr is sympy.oo:
        return mpmath.inf
    return mpmath.mpmathify(sympy.N(expr, mpmath.mp.dps))


def value(expr, point):
    """The value of a SymPy expression at a point (a number or an :class:`Op`)."""
    if isinstance(expr, (int, float)):
        return mpmath.mpf(expr)
    if isinstance(expr, (mpmath.mpf, mpmath.mpc, Op)):
        return expr
    if expr.is_Number or expr in (sympy.pi, sympy.E, sympy.I) or expr is sympy.oo:
        return _number(expr)
    if isinstance(expr, sympy.Symbol):
        return point.symbol(expr)
    if isinstance(expr, sympy.Indexed):
        return point.indexed(expr.base, [int(value(i, point)) for i in expr.indices])
    if isinstance(expr, sympy.Add):
        total = mpmath.mpf(0)
        for a in expr.args:
            total = total + value(a, point)
        return total
    if isinstance(expr, sympy.Mul):
        out = mpmath.mpf(1)
        for a in expr.args:
            v = value(a, point)
            out = out * v
        return out
    if isinstance(expr, sympy.Pow):
        base, ex = value(expr.base, point), expr.exp
        if isinstance(base, Op):
            if ex.is_Integer and ex > 0:
                out = base
                for _ in range(int(ex) - 1):
                    out = out * base
                return out
            return base.hermitian_function(lambda x: x ** _number(ex))
        e = value(ex, point)
        if isinstance(e, Op):
            raise TypeError("an operator exponent")
        return base ** e
    if isinstance(expr, sympy.KroneckerDelta):
        a, b = (int(value(x, point)) for x in expr.args)
        return mpmath.mpf(1 if a == b else 0)
    if isinstance(expr, sympy.Abs):
        v = value(expr.args[0], point)
        return abs(v)
    if isinstance(expr, sympy.adjoint):
        v = value(expr.args[0], point)
        return v.dagger() if isinstance(v, Op) else mpmath.conj(v)
    if isinstance(expr, sympy.conjugate):
        v = value(expr.args[0], point)
        return mpmath.conj(v)
    if isinstance(expr, sympy.re):
        return mpmath.re(value(expr.args[0], point))
    if isinstance(expr, sympy.im):
        return mpmath.im(value(expr.args[0], point))
    if isinstance(expr, sympy.Piecewise):
        for e, cond in expr.args:
            if cond is sympy.true or _truth(cond, point):
                return value(e, point)
        raise ValueError(f"no branch of {expr} applies")
    if isinstance(expr, sympy.Sum):
        return _sum(expr, point)
    if isinstance(expr, sympy.Derivative):
        return point.derivative(expr)
    if isinstance(expr, sympy.Integral):
        return point.integral(expr)
    if isinstance(expr, AppliedUndef):
        return point.call(expr)
    if isinstance(expr, sympy.Function) and type(expr) in _SCALAR_FUNCTIONS:
        fn = _SCALAR_FUNCTIONS[type(expr)]
        v = value(expr.args[0], point)
        if isinstance(v, Op):
            if type(expr) is sympy.log:
                return v.hermitian_function(lambda x: mpmath.log(x) if x > 0 else -mpmath.inf)
            return v.hermitian_function(fn)
        return fn(v)
    raise TypeError(f"cannot evaluate {type(expr).__name__}: {expr}")


def _truth(cond, point):
    if isinstance(cond, sympy.And):
        return all(_truth(c, point) for c in cond.args)
    if isinstance(cond, sympy.Or):
        return any(_truth(c, point) for c in cond.args)
    a, b = _real(value(cond.lhs, point)), _real(value(cond.rhs, point))
    ops = {sympy.StrictLessThan: a < b, sympy.LessThan: a <= b, sympy.StrictGreaterThan: a > b,
           sympy.GreaterThan: a >= b}
    return ops[type(cond)]


def _sum(expr, point):
    body = expr.function
    limits = list(expr.limits)

    def rec(k, pt):
        if k == len(limits):
            return value(body, pt)
        var, lo, hi = limits[k]
        lo_v = int(value(lo, pt))
        hi_v = pt.upper_limit(hi)
        total = mpmath.mpf(0)
        for n in range(lo_v, hi_v + 1):
            total = total + rec(k + 1, pt.bind({var: n}))
        return total

    return rec(0, point)


# ---------------------------------------------------------------------------
# Points
# ---------------------------------------------------------------------------

class Point:
    """Values for the names of a formula: symbols, functions, indexed constants.

    ``functions`` maps an undefined function to ``handler(expr, point)``;
    ``derivatives`` maps one to the handler of its exact time derivative.
    ``params`` and ``t_label`` describe the point in a witness.
    """

    def __init__(self, *, params, t_label, symbols=None, functions=None, indexed=None,
                 derivatives=None, t=None, time_symbol=None, upper=None):
        self.params = dict(params)
        self.t_label = t_label
        if t is not None:
            # the witness's t is always a number; a symbolic label goes into the params
            numeric = fmt(t)
            if t_label and t_label != numeric:
                self.params.setdefault("time", t_label)
            self.t_label = numeric
        self.symbols = dict(symbols or {})
        self.functions = dict(functions or {})
        self.indexed_values = dict(indexed or {})
        self.derivatives = dict(derivatives or {})
        self.t = t
        self.time_symbol = time_symbol
        self.upper = upper or {}

    def bind(self, extra):
        """The same point with more symbols bound (summation indices)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.symbols = {**self.symbols, **extra}
        return new

    def symbol(self, s):
        if s in self.symbols:
            v = self.symbols[s]
            return mpmath.mpf(v) if isinstance(v, int) and not isinstance(v, bool) else v
        raise Unbound(f"no value for the symbol {s}")

    def indexed(self, base, indices):
        if base in self.indexed_values:
            return self.indexed_values[base](*indices)
        raise Unbound(f"no value for {base}[{indices}]")

    def call(self, expr):
        if expr.func in self.functions:
            return self.functions[expr.func](expr, self)
        raise Unbound(f"no value for {expr.func}")

    def upper_limit(self, hi):
        if hi in self.upper:
            return self.upper[hi]
        return int(value(hi, self))

    def at(self, s):
        raise Unbound("this point has no time evolution")

    def derivative(self, expr):
        body = expr.expr
        (var, count), = expr.variable_count
        if count != 1:
            raise Unbound("higher derivatives")
        if isinstance(body, AppliedUndef) and body.func in self.derivatives:
            return self.derivatives[body.func](body, self)
        if var != self.time_symbol:
            if var not in self.symbols:
                raise Unbound(f"derivative in {var}")
            here = self.symbols[var]
            return mpmath.diff(lambda s: _real(value(body, self.bind({var: s}))), here)
        here = self.t
        direction = 1 if here == 0 else 0

        def f(s):
            return _real(value(body, self.at(s)))

        return mpmath.diff(f, here, direction=direction)

    def integral(self, expr):
        (var, lo, hi), = expr.limits
        if not expr.function.has(var):
            return (value(hi, self) - value(lo, self)) * value(expr.function, self)
        handler = self.functions.get("integral")
        if handler is None:
            raise Unbound(f"an integral over {var}")
        return handler(expr, self)


class _Cache:
    def __init__(self):
        self.store = {}

    def get(self, key, make):
        if key not in self.store:
            self.store[key] = make()
        return self.store[key]


# -- random finite systems ------------------------------------------------------

def _random_hermitian(rng, n, scale=1):
    M = mpmath.matrix(n, n)
    for i in range(n):
        M[i, i] = mpmath.mpf(rng.uniform(-1, 1)) * scale
        for j in range(i + 1, n):
            z = mpmath.mpc(rng.uniform(-1, 1), rng.uniform(-1, 1)) * scale
            M[i, j] = z
            M[j, i] = mpmath.conj(z)
    return M


def _random_density(rng, n, *, mix="0.05"):
    A = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            A[i, j] = mpmath.mpc(rng.gauss(0, 1), rng.gauss(0, 1))
    R = A * A.transpose_conj()
    R = R / sum(R[i, i] for i in range(n))
    m = mpmath.mpf(mix)
    return (1 - m) * R + m * mpmath.eye(n) / n


def _random_unitary(rng, n):
    H = _random_hermitian(rng, n)
    E, Q = mpmath.eighe(H)
    return Q * mpmath.diag([mpmath.expj(3 * e) for e in E]) * Q.transpose_conj()


def _thermal_matrix(H, beta):
    from ..thermal import thermal_state

    return thermal_state(H, beta)


@dataclass
class RandomSystem:
    """A finite system with random parts, built from a seed (see :func:`random_system`)."""

    label: str
    space: Space
    H: dict  # name -> mpmath matrix
    V: object  # joint coupling (mpmath matrix)
    rho0: object  # joint initial state
    local0: dict  # name -> reduced initial state
    params: dict  # for a witness
    bath_beta: object = None  # B's initial inverse temperature when B starts thermal
    recipe: tuple = None  # (seed, dims, initial, scale): rebuilds it at another precision

    @property
    def H_total(self):
        total = None
        for n in self.space.names:
            op = Op(self.H[n], (n,), self.space).on(self.space.names)
            total = op if total is None else total + op
        return (total + Op(self.V, self.space.names, self.space)).m


def random_system(seed, dims=(2, 3), *, initial="product", scale="0.6"):
    """A random finite system with a fixed seed.

    ``initial``: ``product`` (random full-rank states), ``thermal-B`` (B
    thermal at a random beta), ``equal-beta`` (B a rotation of A's state, same
    H: equal entropy-matched temperatures), ``rotated-thermal-B`` (B = U w U^dag),
    ``correlated`` (a random full-rank joint state), ``product-preserving``
    (B pure in an eigenstate of H_B and of the coupling V = X_A (x) Y_B, so the
    state stays a product and A is driven unitarily).

    The matrices are drawn at the current precision from Python's
    ``random.Random(seed)``: the same seed gives the same system.
    """
    rng = random.Random(seed)
    names = tuple("ABCD"[:len(dims)])
    space = Space(names, tuple(dims))
    H = {n: _random_hermitian(rng, d) for n, d in zip(names, dims)}
    sc = mpmath.mpf(scale)
    locals_ = {}
    bath_beta = None
    params = {"system": f"random, seed {seed}", "dims": "x".join(map(str, dims)),
              "initial state": initial, "coupling scale": str(scale)}
    if initial == "equal-beta":
        if dims[0] != dims[1]:
            raise ValueError("equal-beta needs A and B of the same dimension")
        H["B"] = H["A"].copy()
    if initial == "product-preserving":
        X = _random_hermitian(rng, dims[0])
        E, Q = mpmath.eighe(H["B"])
        y = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(dims[1])]
        Y = Q * mpmath.diag(y) * Q.transpose_conj()
        V = (Op(X, ("A",), space) * Op(Y, ("B",), space)).m * sc
        k = rng.randrange(dims[1])
        vec = Q[:, k]
        locals_["A"] = _random_density(rng, dims[0])
        locals_["B"] = vec * vec.transpose_conj()
    else:
        V = _random_hermitian(rng, space.dim(names), sc)
        for n, d in zip(names, dims):
            locals_[n] = _random_density(rng, d)
        if initial == "thermal-B":
            bath_beta = mpmath.mpf(rng.uniform(0.3, 2.0))
            locals_["B"] = _thermal_matrix(H["B"], bath_beta)
            params["beta_B"] = fmt(bath_beta, 12)
        elif initial == "equal-beta":
            U = _random_unitary(rng, dims[0])
            locals_["B"] = U * locals_["A"] * U.transpose_conj()
        elif initial == "gradient":
            # A hot, the others cold: A gives heat away
            for k, n in enumerate(names):
                b = mpmath.mpf("0.15") if k == 0 else mpmath.mpf(rng.uniform(2.0, 3.0))
                locals_[n] = _thermal_matrix(H[n], b)
        elif initial == "rotated-thermal-B":
            b = mpmath.mpf(rng.uniform(0.3, 2.0))
            U = _random_unitary(rng, dims[1])
            locals_["B"] = U * _thermal_matrix(H["B"], b) * U.transpose_conj()
    if initial == "correlated":
        rho0 = _random_density(rng, space.dim(names), mix="0.1")
        for k, n in enumerate(names):
            locals_[n] = MPMATH.partial_trace(rho0, list(dims), [k])
    else:
        rho0 = None
        for n in names:
            op = Op(locals_[n], (n,), space)
            rho0 = op if rho0 is None else rho0 * op
        rho0 = rho0.m
    return RandomSystem(f"seed {seed}", space, H, V, rho0, locals_, params, bath_beta,
                        (seed, tuple(dims), initial, scale))


class Trajectory:
    """A random system's evolution, by the core: ledger rows and joint states, cached."""

    def __init__(self, system: RandomSystem):
        self._systems = {mpmath.mp.prec: system}
        self._rows = {}
        self._states = {}
        self._thermal = {}

    @property
    def system(self):
        """The system built at the current precision (mpmath.diff raises it)."""
        prec = mpmath.mp.prec
        if prec not in self._systems:
            seed, dims, initial, scale = next(iter(self._systems.values())).recipe
            self._systems[prec] = random_system(seed, dims, initial=initial, scale=scale)
        return self._systems[prec]

    def _key(self, s):
        return (mpmath.mp.prec, mpmath.nstr(s, mpmath.mp.dps))

    def _ledger(self, s):
        from ..ledger import System, ledger_rows

        sysm = System({n: (self.system.H[n], self.system.local0[n]) for n in self.system.space.names},
                      coupling=self.system.V, initial_state=self.system.rho0)
        return ledger_rows(sysm, [s], lib=MPMATH)[0]

    def row(self, s):
        key = self._key(s)
        if key not in self._rows:
            self._rows[key] = self._ledger(s)
        return self._rows[key]

    def preload(self, times):
        """Rows and states at several times in one propagation."""
        from ..ledger import System, ledger_rows
        from ..propagator import evolve

        todo = [s for s in times if self._key(s) not in self._rows]
        if not todo:
            return
        sysm = System({n: (self.system.H[n], self.system.local0[n]) for n in self.system.space.names},
                      coupling=self.system.V, initial_state=self.system.rho0)
        for s, row in zip(todo, ledger_rows(sysm, todo, lib=MPMATH)):
            self._rows[self._key(s)] = row

    def thermal(self, name, beta):
        """exp(-beta H_name)/Z (thermal.thermal_state), cached."""
        key = (name, self._key(beta))
        if key not in self._thermal:
            self._thermal[key] = _thermal_matrix(self.system.H[name], beta)
        return self._thermal[key]

    def state(self, s):
        """The joint state at s (an :class:`Op` on every subsystem)."""
        from ..propagator import evolve

        key = self._key(s)
        if key not in self._states:
            # every time of the trajectory in one propagation
            known = [k for k in self._rows if k[0] == mpmath.mp.prec and k not in self._states]
            times = [s] + [mpmath.mpf(k[1]) for k in known if k != key]
            keys = [key] + [k for k in known if k != key]
            for k, rho in zip(keys, evolve(self.system.H_total, self.system.rho0, times,
                                           dps=mpmath.mp.dps)):
                self._states[k] = rho
        return Op(self._states[key], self.system.space.names, self.system.space)


# -- the vocabulary: names of the papers bound to the core's numbers -------------

def _time_arg(expr, point, k=-1):
    return _real(value(expr.args[k], point))


def _name_of(point, index):
    names = point.space.names
    if isinstance(index, str):
        return index
    k = int(index)
    if not 1 <= k <= len(names):
        raise Unbound(f"subsystem index {k} outside 1..{len(names)}")
    return names[k - 1]


def _index_arg(expr, point, k=0):
    arg = expr.args[k]
    if isinstance(arg, sympy.Symbol) and str(arg) in point.space.names:
        return str(arg)
    return _name_of(point, value(arg, point))


class SystemPoint(Point):
    """A random system at one time, in one sign convention (``received`` or ``provided``).

    Named quantities (``S_A(t)``, ``Q(j, t)``, ``w_B(beta)``, ``rho_A(t)``,
    ``D(X, Y)``, ``Tr_B(X)``, ...) are bound to the core's numbers: the ledger
    rows (:func:`symthermo.ledger.ledger_rows`), the laws
    (:mod:`symthermo.laws`), the frameworks (:mod:`symthermo.frameworks`) and
    the ergotropy module.
    """

    def __init__(self, traj: Trajectory, t, *, convention, symbols=None, functions=None,
                 t_label=None, extra_params=None):
        self.traj = traj
        self.space = traj.system.space
        self.convention = convention
        sign = 1 if convention == "received" else -1
        self.sign = sign
        from ..papers import symbols as P

        t = mpmath.mpf(t)
        base_symbols = {P.t: t}
        names = self.space.names
        row0 = traj.row(mpmath.mpf(0))
        for n, sym in (("A", P.beta_A0), ("B", P.beta_B0)):
            if n in names:
                base_symbols[sym] = row0[f"beta_{n}"]
        if traj.system.bath_beta is not None:
            base_symbols[P.beta_B_bare] = traj.system.bath_beta
        ops = {P.H_A: "A", P.H_B: "B"}
        for s, n in ops.items():
            if n in names:
                base_symbols[s] = Op(traj.system.H[n], (n,), self.space)
        V = Op(traj.system.V, names, self.space)
        base_symbols[P.V] = V
        base_symbols[P.V_AB] = V
        base_symbols[P.H_tot] = Op(traj.system.H_total, names, self.space)
        base_symbols[P.N] = len(names)
        base_symbols.update(symbols or {})
        params = dict(traj.system.params)
        params.update(extra_params or {})
        super().__init__(params=params, t_label=t_label, symbols=base_symbols,
                         t=t, time_symbol=P.t)
        self.functions = _system_functions(self)
        self.functions.update(functions or {})
        self.derivatives = _system_derivatives(self)
        self._extra_functions = dict(functions or {})
        self._extra_symbols = dict(symbols or {})
        self._extra_params = dict(extra_params or {})
        self.upper = {sympy.oo: len(names)}

    def at(self, s):
        s = mpmath.mpf(s)
        symbols = dict(self._extra_symbols)
        return SystemPoint(self.traj, s, convention=self.convention, symbols=symbols,
                           functions=self._extra_functions, extra_params=self._extra_params)

    # -- shorthands used by the handlers ---------------------------------------
    def row(self, s):
        return self.traj.row(s)

    def local(self, name, s):
        row = self.traj.row(s)
        return row["_internal"]["qt"][name]

    def joint(self, s):
        return self.traj.state(s)

    def reduced(self, name, s):
        return self.joint(s).partial_trace([n for n in self.space.names if n != name])

    def H_op(self, name):
        return Op(self.traj.system.H[name], (name,), self.space)

    def thermal(self, name, beta):
        if isinstance(beta, Op):
            raise TypeError("beta must be a number")
        return Op(self.traj.thermal(name, beta), (name,), self.space)

    def subsystem(self, name):
        return self.row(self.t)["_internal"]["subsystems"][name]

    def joint_derivative(self, s):
        from ..frameworks import state_derivative

        rho = self.joint(s)
        return Op(state_derivative(rho.m, self.traj.system.H_total, lib=MPMATH),
                  self.space.names, self.space)


def _q(key):
    """Handler for a quantity of a fixed subsystem: f(t) -> the row's key at that time."""

    def handler(expr, pt):
        return pt.row(_time_arg(expr, pt))[key]

    return handler


def _local_key(key):
    """Handler for f(j, t): subsystem j's key at time t."""

    def handler(expr, pt):
        name = _index_arg(expr, pt)
        return pt.row(_time_arg(expr, pt))[f"{key}_{name}"]

    return handler


def _signed_key(key):
    def handler(expr, pt):
        name = _index_arg(expr, pt)
        s = _time_arg(expr, pt)
        received = pt.row(s)[f"{key}_{name}"]
        return pt.sign * received

    return handler


def _signed_fixed(key):
    def handler(expr, pt):
        return pt.sign * pt.row(_time_arg(expr, pt))[key]

    return handler


def _system_functions(pt):
    from ..papers import symbols as P

    names = pt.space.names
    f = {}
    # fixed-subsystem quantities (EL23 and SL26 names); the rows are received
    for n in names:
        if n not in ("A", "B"):
            continue
        f[getattr(P, f"S_{n}")] = _q(f"S_{n}")
        f[getattr(P, f"E_{n}")] = _q(f"E_{n}")
        f[getattr(P, f"U_{n}")] = _q(f"E_{n}")
        f[getattr(P, f"Eth_{n}")] = _q(f"Eth_{n}")
        f[getattr(P, f"Q_{n}")] = _signed_fixed(f"Q_{n}")
        f[getattr(P, f"W_{n}")] = _signed_fixed(f"W_{n}")
        f[getattr(P, f"beta_{n}_t")] = _q(f"beta_{n}")
        f[getattr(P, f"erg_{n}")] = _q(f"ergotropy_{n}")
        f[getattr(P, f"rho_{n}")] = (lambda n: lambda e, p: p.reduced(n, _time_arg(e, p)))(n)
        f[getattr(P, f"w_{n}")] = (lambda n: lambda e, p: p.thermal(n, _real(value(e.args[0], p))))(n)
    if "B" in names:
        f[P.pi_B] = lambda e, p: _passive(p, "B", _time_arg(e, p))
    if len(names) == 2:
        f[P.I_AB] = _q("I_AB")
        f[P.sigma_A] = _q("sigma_A")
        f[P.sigma_B] = _q("sigma_B")
    else:
        f[P.I_tot] = _q("I_tot")
    f[P.I_tot] = _q("I_AB" if len(names) == 2 else "I_tot")
    f[P.E_int] = _q("E_int")
    f[P.W_dr] = lambda e, p: mpmath.mpf(0)  # autonomous: no external drive
    f[P.F_A_at] = lambda e, p: (p.row(_time_arg(e, p))["E_A"]
                                - p.row(_time_arg(e, p))["S_A"] / _real(value(e.args[0], p)))
    # generic-index quantities
    f[P.S] = _local_key("S")
    f[P.U] = _local_key("E")
    f[P.Eth] = _local_key("Eth")
    f[P.Uth] = _local_key("Eth")
    f[P.Q] = _signed_key("Q")
    f[P.W] = _signed_key("W")
    f[P.beta_gen] = _local_key("beta")
    f[P.erg] = _local_key("ergotropy")
    f[P.Xi] = _local_key("exergy")
    f[P.sigma_gen] = _local_key("sigma")
    f[P.r_gen] = lambda e, p: _bloch(p, _index_arg(e, p), _time_arg(e, p))[0]
    f[P.z_gen] = lambda e, p: _bloch(p, _index_arg(e, p), _time_arg(e, p))[1]
    f[P.Z] = lambda e, p: _partition(p, _index_arg(e, p), _time_arg(e, p))
    # states and operators
    f[P.rho_gen] = lambda e, p: p.reduced(_index_arg(e, p), _time_arg(e, p))
    for F in (P.rho_AB, P.rho_tot, P.rho_glob):
        f[F] = lambda e, p: p.joint(_time_arg(e, p))
    f[P.w_gen] = lambda e, p: p.thermal(_index_arg(e, p), _real(value(e.args[1], p)))
    f[P.rho_th] = lambda e, p: p.thermal(
        _index_arg(e, p), p.row(_time_arg(e, p))[f"beta_{_index_arg(e, p)}"])
    f[P.pi_gen] = lambda e, p: _passive(p, _index_arg(e, p), _time_arg(e, p))
    f[P.Hcal_j] = lambda e, p: p.H_op(_index_arg(e, p))
    f[P.H_A_eff] = lambda e, p: _effective(p, _time_arg(e, p))[0]
    f[P.H_B_eff] = lambda e, p: _effective(p, _time_arg(e, p))[1]
    f[P.calH] = lambda e, p: _drive(p, _index_arg(e, p), _time_arg(e, p))
    f[P.chi] = lambda e, p: _correlations(p, _time_arg(e, p))
    f[P.V_AB_t] = lambda e, p: p.symbol(P.V)
    f[P.Otimes] = _otimes
    f[P.TP] = _tensor_product
    f[P.Comm] = lambda e, p: _comm(value(e.args[0], p), value(e.args[1], p), -1)
    f[P.AntiComm] = lambda e, p: _comm(value(e.args[0], p), value(e.args[1], p), 1)
    # functionals
    f[P.Tr] = _trace
    f[P.Tr_A] = lambda e, p: value(e.args[0], p).partial_trace(["A"])
    f[P.Tr_B] = lambda e, p: value(e.args[0], p).partial_trace(["B"])
    f[P.S_vN] = lambda e, p: entropy_of(value(e.args[0], p))
    f[P.D] = lambda e, p: relative_entropy_of(value(e.args[0], p), value(e.args[1], p))
    f["integral"] = _heat_integral
    return f


def _comm(x, y, sign):
    return x * y + sign * (y * x)


def _tensor_product(expr, pt):
    """X (x) Y with X on the first factors and Y on the next, whatever their own labels."""
    x, y = value(expr.args[0], pt), value(expr.args[1], pt)
    if not (isinstance(x, Op) and isinstance(y, Op)):
        return x * y
    space = pt.space
    names, k = [], 0
    total = x.m.rows * y.m.rows
    for n, d in zip(space.names, space.dims):
        names.append(n)
        if space.dim(names) == total:
            break
    out = Op(MPMATH.kron(x.m, y.m), tuple(names), space)
    return out


def _trace(expr, pt):
    v = value(expr.args[0], pt)
    return v.trace() if isinstance(v, Op) else v


def _otimes(expr, pt):
    body, var, lo, hi = expr.args
    out = None
    for n in range(int(value(lo, pt)), pt.upper_limit(hi) + 1):
        v = value(body, pt.bind({var: n}))
        out = v if out is None else out * v
    return out


def _passive(pt, name, s):
    from ..ergotropy import passive_state

    rho = pt.reduced(name, s)
    return Op(passive_state(rho.m, pt.traj.system.H[name]), (name,), pt.space)


def _bloch(pt, name, s):
    """(r, z) of a qubit: Bloch-vector length and Tr[sigma_z rho] in H's eigenbasis (z = p_up - p_down)."""
    rho = pt.reduced(name, s)
    if rho.m.rows != 2:
        raise Unbound("Bloch parameters of a subsystem that is not a qubit")
    E, Q = mpmath.eighe(pt.traj.system.H[name])
    R = Q.transpose_conj() * rho.m * Q  # in the energy basis (ground, excited)
    z = _real(R[1, 1] - R[0, 0])
    r = mpmath.sqrt(z ** 2 + 4 * abs(R[0, 1]) ** 2)
    return r, z


def _partition(pt, name, s):
    beta = pt.row(s)[f"beta_{name}"]
    H = pt.H_op(name)
    return H.hermitian_function(lambda e: mpmath.exp(-beta * e)).trace()


def _effective(pt, s):
    from ..frameworks import effective_hamiltonians

    names = pt.space.names
    rho_A, rho_B = pt.reduced(names[0], s), pt.reduced(names[1], s)
    HA, HB = effective_hamiltonians(rho_A.m, rho_B.m, pt.traj.system.H[names[0]],
                                    pt.traj.system.H[names[1]], pt.traj.system.V, lib=MPMATH)
    return Op(HA, (names[0],), pt.space), Op(HB, (names[1],), pt.space)


def _drive(pt, name, s):
    HA, HB = _effective(pt, s)
    return HA - pt.H_op("A") if name == "A" else HB - pt.H_op("B")


def _correlations(pt, s):
    rho = pt.joint(s)
    names = pt.space.names
    prod = pt.reduced(names[0], s) * pt.reduced(names[1], s)
    return rho - prod


def _heat_integral(expr, pt):
    r"""int_0^t dt' beta_i(t') dQ_i(t')/dt' for the thermal energy of subsystem i.

    Q_i changes only through E^th_i(beta_i), so the integral is the line
    integral int beta dE^th(beta) from beta_i(0) to beta_i(t), path
    independent: computed by quadrature in beta with the core's thermal
    moments (dE^th/dbeta = -Var_beta(H)); it does not use dS = beta dE^th.
    """
    from ..papers import symbols as P
    from ..thermal import _thermal_moments

    (var, lo, hi), = expr.limits
    integrand = expr.function
    if isinstance(integrand, sympy.Sum):
        inner = integrand.function
        (ivar, ilo, ihi), = integrand.limits
        total = mpmath.mpf(0)
        for n in range(int(value(ilo, pt)), pt.upper_limit(ihi) + 1):
            total += _heat_integral(sympy.Integral(inner, (var, lo, hi)), pt.bind({ivar: n}))
        return total
    if isinstance(integrand, sympy.Mul) and any(isinstance(a, sympy.KroneckerDelta) or
                                                 a.is_number for a in integrand.args):
        factor = mpmath.mpf(1)
        rest = []
        for a in integrand.args:
            if a.has(var):
                rest.append(a)
            else:
                factor *= value(a, pt)
        if factor == 0:
            return factor
        return factor * _heat_integral(sympy.Integral(sympy.Mul(*rest), (var, lo, hi)), pt)
    betas = [a for a in integrand.args if isinstance(a, AppliedUndef) and a.func is P.beta_gen]
    ders = [a for a in integrand.args if isinstance(a, sympy.Derivative)
            and isinstance(a.expr, AppliedUndef) and a.expr.func is P.Q]
    if len(betas) != 1 or len(ders) != 1 or len(integrand.args) != 2:
        raise Unbound(f"an integral of {integrand}")
    name = _index_arg(betas[0], pt)
    if name != _index_arg(ders[0].expr, pt):
        raise Unbound("beta and Q of different subsystems")
    b0 = pt.row(_real(value(lo, pt)))[f"beta_{name}"]
    b1 = pt.row(_real(value(hi, pt)))[f"beta_{name}"]
    key = ("heat-integral", name, pt.traj._key(b0), pt.traj._key(b1))
    cache = pt.traj._thermal
    if key not in cache:
        levels = pt.subsystem(name).levels

        def integrand_beta(b):
            _, var_, _ = _thermal_moments(MPMATH, levels, b)
            return b * (-var_)  # beta dE/dbeta

        # 1e-20 is asked of the comparison: the quadrature runs at 28 digits
        with mpmath.workdps(28):
            q = mpmath.quad(integrand_beta, [b0, b1])
        cache[key] = +q
    return pt.sign * cache[key]


def _system_derivatives(pt):
    """Exact time derivatives: d rho/dt is the generator applied to rho (no finite difference)."""
    from ..papers import symbols as P

    d = {}

    def joint_dot(e, p):
        return p.joint_derivative(_time_arg(e, p))

    for F in (P.rho_AB, P.rho_tot, P.rho_glob):
        d[F] = joint_dot

    def reduced_dot(name):
        def h(e, p):
            s = _time_arg(e, p)
            return p.joint_derivative(s).partial_trace([n for n in p.space.names if n != name])
        return h

    for n in pt.space.names:
        if n in ("A", "B"):
            d[getattr(P, f"rho_{n}")] = reduced_dot(n)
    d[P.rho_gen] = lambda e, p: reduced_dot(_index_arg(e, p))(e, p)

    def eff_dot(e, p):
        from ..frameworks import effective_hamiltonians

        s = _time_arg(e, p)
        names = p.space.names
        dA = reduced_dot(names[0])(e, p)
        dB = reduced_dot(names[1])(e, p)
        zero_A = mpmath.zeros(p.space.dims[0])
        zero_B = mpmath.zeros(p.space.dims[1])
        HA, HB = effective_hamiltonians(dA.m, dB.m, zero_A, zero_B, p.traj.system.V, lib=MPMATH)
        return Op(HA, (names[0],), p.space), Op(HB, (names[1],), p.space)

    d[P.H_A_eff] = lambda e, p: eff_dot(e, p)[0]
    d[P.H_B_eff] = lambda e, p: eff_dot(e, p)[1]

    def energy_dot(name_of):
        def h(e, p):
            name = name_of(e, p)
            s = _time_arg(e, p)
            rdot = reduced_dot(name)(e, p)
            return _real((p.H_op(name) * rdot).trace())
        return h

    for n in pt.space.names:
        if n in ("A", "B"):
            d[getattr(P, f"U_{n}")] = energy_dot(lambda e, p, n=n: n)
            d[getattr(P, f"E_{n}")] = energy_dot(lambda e, p, n=n: n)
    d[P.U] = energy_dot(lambda e, p: _index_arg(e, p))
    d[P.E_int] = lambda e, p: _real((p.joint_derivative(_time_arg(e, p)) * p.symbol(P.V)).trace())

    def rates(e, p):
        from ..frameworks import mca_rates, standard_rates

        s = _time_arg(e, p)
        names = p.space.names
        rho = p.joint(s).m
        sys = p.traj.system
        return (standard_rates(rho, sys.H[names[0]], sys.H[names[1]], sys.V, lib=MPMATH),
                mca_rates(rho, sys.H[names[0]], sys.H[names[1]], sys.V, lib=MPMATH))

    # the standard and MCA rates are received (the frameworks' own convention)
    d[P.W_A_st] = lambda e, p: _real(rates(e, p)[0]["W_st_rate"])
    d[P.W_st] = d[P.W_A_st]
    d[P.Q_A_st] = lambda e, p: _real(rates(e, p)[0]["Q_st_rate"])
    d[P.Q_st] = d[P.Q_A_st]
    d[P.W_MCA] = lambda e, p: _real(rates(e, p)[1][f"W_{_index_arg(e, p)}"])
    d[P.Q_MCA] = lambda e, p: _real(rates(e, p)[1][f"Q_{_index_arg(e, p)}"])
    return d


# -- models ------------------------------------------------------------------------

class ModelPoint(Point):
    """A model at parameter values and a time, bound to its closed-form rows.

    ``params`` are exact strings (``"163/100"``); ``names`` maps paper
    symbols to parameter names; ``functions`` adds model-specific handlers
    (for ``z_A``, ``P_e``, ...).  Rows are those of
    :meth:`~symthermo.models.base.Model.evaluate` in the received
    convention; the paper's ``convention`` signs Q and W.
    """

    _rows_cache = {}

    def __init__(self, model, params, t, *, convention, symbols=None, functions=None,
                 t_label=None, derivatives=None):
        from ..models import get_model

        self.model_name = model
        self.model = get_model(model)
        self.p = self.model.params(params)
        self.convention = convention
        self.sign = 1 if convention == "received" else -1
        t = mpmath.mpf(t) if not isinstance(t, (mpmath.mpf,)) else t
        from ..papers import symbols as P

        shown = {"model": model, **{k: str(v) for k, v in self.p.items()}}
        self._given = dict(params)
        self._extra_symbols = dict(symbols or {})
        self._extra_functions = dict(functions or {})
        self._extra_derivatives = dict(derivatives or {})
        super().__init__(params=shown, t_label=t_label,
                         symbols={P.t: t, **(symbols or {})}, t=t, time_symbol=P.t)
        self.functions = _model_functions(self)
        self.functions.update(functions or {})
        self.derivatives = dict(derivatives or {})

    def at(self, s):
        return ModelPoint(self.model_name, self._given, s, convention=self.convention,
                          symbols=self._extra_symbols, functions=self._extra_functions,
                          derivatives=self._extra_derivatives)

    def _row_key(self, s):
        return (self.model_name, tuple(sorted((k, str(v)) for k, v in self.p.items())),
                mpmath.mp.prec, mpmath.nstr(s, mpmath.mp.dps))

    def row(self, s):
        s = mpmath.mpf(s)
        key = self._row_key(s)
        cache = ModelPoint._rows_cache
        if key not in cache:
            cache[key] = self.model.evaluate(self.p, [s], lib=MPMATH)[0]
        return cache[key]

    def preload(self, times):
        """Rows at several times in one evaluation (cached)."""
        times = [mpmath.mpf(s) for s in times]
        todo = [s for s in times if self._row_key(s) not in ModelPoint._rows_cache]
        if todo:
            for s, row in zip(todo, self.model.evaluate(self.p, todo, lib=MPMATH)):
                ModelPoint._rows_cache[self._row_key(s)] = row


def _model_functions(pt):
    from ..papers import symbols as P

    f = {}
    for n in pt.model.subsystems:
        if n not in ("A", "B"):
            continue
        for func, key, signed in (("S", "S", False), ("E", "E", False), ("U", "E", False),
                                  ("Eth", "Eth", False), ("Q", "Q", True), ("W", "W", True),
                                  ("erg", "ergotropy", False)):
            handler = _signed_fixed(f"{key}_{n}") if signed else _q(f"{key}_{n}")
            f[getattr(P, f"{func}_{n}")] = handler
        f[getattr(P, f"beta_{n}_t")] = _q(f"beta_{n}")
    if len(pt.model.subsystems) > 1:
        f[P.E_int] = _q("E_int")
        f[P.I_AB] = _q("I_AB")
        if pt.model.unitary:
            f[P.sigma_A] = _q("sigma_A")
            f[P.sigma_B] = _q("sigma_B")
    return f


# ---------------------------------------------------------------------------
# Judging a printed statement against the derived one
# ---------------------------------------------------------------------------

_RELATIONS = (sympy.Equality, sympy.GreaterThan, sympy.LessThan, sympy.StrictGreaterThan,
              sympy.StrictLessThan)


def relations(expr):
    """The relations of a printed display, in order (a single one or a Tuple)."""
    if isinstance(expr, sympy.Tuple):
        return list(expr.args)
    return [expr]


def _holds(rel, lhs, rhs, tol=TOLERANCE):
    if isinstance(rel, sympy.Equality):
        return close(lhs, rhs, tol)
    if isinstance(lhs, Op) or isinstance(rhs, Op):
        raise TypeError("an inequality between operators")
    lhs, rhs = _real(lhs), _real(rhs)
    slack = tol * _scale(lhs, rhs)
    if isinstance(rel, (sympy.GreaterThan,)):
        return lhs >= rhs - slack
    if isinstance(rel, sympy.StrictGreaterThan):
        return lhs > rhs + slack
    if isinstance(rel, sympy.LessThan):
        return lhs <= rhs + slack
    return lhs < rhs - slack


def _gap(rel, lhs, rhs):
    """lhs - rhs oriented so that the relation says gap >= 0 (for an inequality)."""
    lhs, rhs = _real(lhs), _real(rhs)
    if isinstance(rel, (sympy.LessThan, sympy.StrictLessThan)):
        return rhs - lhs
    return lhs - rhs


def _chop(x):
    """Rounding residue of an exact zero (below 1e-32) printed as 0."""
    if isinstance(x, (mpmath.mpf, mpmath.mpc)) and abs(x) < mpmath.mpf(10) ** -(DPS + 2):
        return mpmath.mpf(0)
    return x


def witness(point, published, derived):
    """The contract's witness dict."""
    return {"params": {k: str(v) for k, v in point.params.items()}, "t": point.t_label,
            "published": fmt(_chop(published)), "derived": fmt(_chop(derived))}


def _safe(fn, *args):
    try:
        return fn(*args), None
    except (Unbound, TypeError, ValueError, ZeroDivisionError) as exc:
        return None, exc


def judge(printed, derived, points, *, what="", readings=(), crosschecks=(), explain_differs="",
          explain_holds="", min_points=1):
    """Compare a printed statement with the derived one at every point.

    Parameters
    ----------
    printed, derived : SymPy relation or Tuple of relations (same shape)
        ``printed`` with the readings already applied (see ``readings``).
    points : list of Point
    what : str
        The points, for the detail ("4 random systems x 2 times").
    readings : sequence of str
        Notation read charitably (listed in the detail).
    crosschecks : sequence of (label, sympy_expr, fn(point))
        The derived expression against the core's own number: a
        disagreement is a failure of verify, not a finding.
    explain_differs, explain_holds : str
        One sentence of physics for the detail.

    Returns
    -------
    Result
        ``holds`` when every printed relation holds at every point;
        ``differs`` otherwise, with a witness at the first point where a
        printed side and the derived side give different numbers (for an
        identity) or where the printed inequality fails (published and
        derived values of lhs - rhs).
    """
    P_rels, D_rels = relations(printed), relations(derived)
    if len(P_rels) != len(D_rels):
        raise ValueError(f"printed has {len(P_rels)} relations, derived {len(D_rels)}")
    failures = []
    first_diff = None
    violated = 0
    sides_differ = 0
    worst = mpmath.mpf(0)
    evaluated = 0
    for pt in points:
        for label, expr, fn in crosschecks:
            a, err = _safe(value, expr, pt)
            b = fn(pt)
            if err is not None or not close(a, b):
                failures.append(f"cross-check {label} at {pt.params} t={pt.t_label}: derived "
                                f"{_show(a)} vs core {_show(b)}{'' if err is None else f' ({err})'}")
        for k, (pr, dr) in enumerate(zip(P_rels, D_rels)):
            dl, dr_ = value(dr.lhs, pt), value(dr.rhs, pt)
            if not _holds(dr, dl, dr_):
                failures.append(f"derived relation {k + 1} fails at {pt.params} t={pt.t_label}: "
                                f"{_show(dl)} vs {_show(dr_)}")
                continue
            (pl, perr), (prr, rerr) = _safe(value, pr.lhs, pt), _safe(value, pr.rhs, pt)
            evaluated += 1
            if perr or rerr:
                raise ValueError(f"printed relation {k + 1} cannot be evaluated: {perr or rerr}")
            ok = _safe(_holds, pr, pl, prr)[0]
            if isinstance(pr, sympy.Equality) and isinstance(dr, sympy.Equality):
                if ok:
                    if not isinstance(pl, Op):
                        worst = max(worst, abs(pl - prr))
                    continue
                violated += 1
                if first_diff is None:
                    # the side that departs from its derived counterpart
                    if not close(pl, dl):
                        first_diff = (pt, k, "left", pl, dl)
                    elif not close(prr, dr_):
                        first_diff = (pt, k, "right", prr, dr_)
                    else:  # pragma: no cover - impossible when the derived relation holds
                        failures.append(f"relation {k + 1}: printed sides equal the derived "
                                        "ones but the printed relation fails")
                continue
            # inequality
            if not ok:
                violated += 1
                if first_diff is None:
                    first_diff = (pt, k, "lhs - rhs", _gap(pr, pl, prr), _gap(dr, dl, dr_))
            elif not (close(pl, dl) and close(prr, dr_)):
                sides_differ += 1
    n = len(points)
    tail = f" ({what})" if what else ""
    read = f" Read: {'; '.join(readings)}." if readings else ""
    if first_diff is None:
        extra = ""
        if sides_differ:
            extra = (f" The printed inequality held everywhere, but its sides are not the "
                     f"derived ones at {sides_differ} of {n * len(P_rels)} evaluations.")
        detail = (f"{explain_holds + ' ' if explain_holds else ''}Holds at {_points(n)}{tail}"
                  f"{'' if not worst else f', largest residual {mpmath.nstr(worst, 2)}'}.{extra}{read}")
        return Result("holds", detail.strip(), derived, None, failures)
    pt, k, side, pub, der = first_diff
    if isinstance(pub, Op) or isinstance(der, Op):
        pub, der, where = _worst_element(pub, der)
        side += f" side's matrix element {where} (the largest difference)"
    rel_no = f" relation {k + 1} of {len(P_rels)}," if len(P_rels) > 1 else ""
    which = ("lhs - rhs" if side == "lhs - rhs" else f"the {side}" if "element" in side
             else f"the {side} side")
    detail = (f"{explain_differs + ' ' if explain_differs else ''}Fails at {violated} of "
              f"{n * len(P_rels)} evaluations{tail};{rel_no} witness: {which}, "
              f"as printed vs derived.{read}")
    return Result("differs", detail.strip(), derived, witness(pt, pub, der), failures)


def _worst_element(a, b):
    """(a[i, j], b[i, j], "[i, j]") where the two operators differ most."""
    if not (isinstance(a, Op) and isinstance(b, Op)):
        raise TypeError("an operator compared with a number")
    a, b = a._pair(b)
    best, where = -1, (0, 0)
    for r in range(a.m.rows):
        for c in range(a.m.cols):
            d = abs(a.m[r, c] - b.m[r, c])
            if d > best:
                best, where = d, (r, c)
    return a.m[where], b.m[where], f"[{where[0]}, {where[1]}]"


def judge_claim(claim, points, *, derived=None, what="", explain="", readings=()):
    """A claim (a relation or a Tuple of relations) evaluated at points: holds when
    true at every point, else differs (witness: lhs - rhs as printed vs the derived value)."""
    failures = []
    for pt in points:
        for k, rel in enumerate(relations(claim)):
            lhs, rhs = value(rel.lhs, pt), value(rel.rhs, pt)
            if not _holds(rel, lhs, rhs):
                d_rel = relations(derived)[k] if derived is not None else None
                if d_rel is not None:
                    dl, dr = value(d_rel.lhs, pt), value(d_rel.rhs, pt)
                    if isinstance(rel, sympy.Equality):
                        w = witness(pt, rhs, dr) if close(lhs, dl) else witness(pt, lhs, dl)
                    else:
                        w = witness(pt, _gap(rel, lhs, rhs), _gap(d_rel, dl, dr))
                else:
                    w = witness(pt, lhs, rhs)
                read = f" Read: {'; '.join(readings)}." if readings else ""
                return Result("differs", f"{explain} Fails at t = {pt.t_label} ({what}).{read}"
                              .strip(), derived, w, failures)
    read = f" Read: {'; '.join(readings)}." if readings else ""
    return Result("holds", f"{explain} Holds at {_points(len(points))} ({what}).{read}".strip(),
                  derived, None, failures)


def _points(n):
    return "1 point" if n == 1 else f"{n} points"


def _show(x):
    if x is None:
        return "None"
    if isinstance(x, Op):
        return f"Op(norm {mpmath.nstr(x.norm(), 5)})"
    try:
        return mpmath.nstr(x, 8)
    except (TypeError, ValueError):
        return str(x)


def timed(fn, *args):
    """(result, seconds)."""
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


__all__ += ["relations", "entropy_of", "relative_entropy_of", "timed"]


# ---------------------------------------------------------------------------
# Shared point sets (built once per run, at the working precision of the run)
# ---------------------------------------------------------------------------

#: the random systems of every check: (seed, dims, initial state)
SYSTEMS = {
    "two-party": [(101, (2, 3), "product"), (103, (3, 2), "product")],
    "qubits": [(111, (2, 2), "product"), (112, (2, 2), "product")],
    "thermal-B": [(121, (2, 3), "thermal-B"), (122, (3, 2), "thermal-B")],
    "equal-beta": [(131, (2, 2), "equal-beta"), (132, (3, 3), "equal-beta")],
    "rotated-thermal-B": [(141, (3, 2), "rotated-thermal-B"), (145, (2, 3), "rotated-thermal-B")],
    "correlated": [(151, (2, 2, 2), "correlated"), (152, (2, 3), "correlated")],
    "three-party": [(161, (2, 2, 2), "product"), (163, (2, 2, 2), "gradient")],
    "product-preserving": [(171, (2, 3), "product-preserving"), (172, (3, 2), "product-preserving")],
}
#: the times of every trajectory (beside 0)
TIMES = ("0.7", "1.9")


class Context:
    """Point sets shared by the checks of one run (trajectories cached)."""

    def __init__(self):
        self._traj = {}

    def trajectory(self, seed, dims, initial):
        key = (seed, dims, initial)
        if key not in self._traj:
            traj = Trajectory(random_system(seed, dims, initial=initial))
            traj.preload([mpmath.mpf(0)] + [mpmath.mpf(t) for t in TIMES])
            self._traj[key] = traj
        return self._traj[key]

    def points(self, family, convention, *, times=TIMES, symbols=None, functions=None,
               each=None):
        """SystemPoints of a family of random systems at ``times``.

        ``each(traj) -> list of (symbols, extra_params)`` multiplies the points
        (e.g. one per choice of the index j).
        """
        out = []
        for seed, dims, initial in SYSTEMS[family]:
            traj = self.trajectory(seed, dims, initial)
            variants = each(traj) if each is not None else [({}, {})]
            for t in times:
                for syms, extra in variants:
                    out.append(SystemPoint(traj, mpmath.mpf(t), convention=convention,
                                           symbols={**(symbols or {}), **syms},
                                           functions=functions, extra_params=extra))
        return out

    @staticmethod
    def describe(family, times=TIMES, variants=1):
        n = len(SYSTEMS[family])
        v = f" x {variants} index choices" if variants > 1 else ""
        return f"{n} random {family} systems x {len(times)} times{v}, seeds " + \
            ", ".join(str(s) for s, _, _ in SYSTEMS[family])


__all__ += ["Context", "SYSTEMS", "TIMES"]
