"""Exact values at exact special times: structure the balls cannot see.

A ball cannot prove ``x - x = 0``: at ``g t = pi/2`` the exchange model has
swapped its excitation exactly, but ``cos(g t)`` evaluated in balls is a small
ball about 0, and the entropy, beta, ergotropy that follow are balls about 0 or
unbounded.  When a requested time is an exact expression (``pi/(2*g)``,
``log(2)/gamma``), :func:`proven_data` evaluates the model's reduced data at
that time with SymPy (``model.reduced_data(p, [t], lib=EXACT)``), simplifies
each value with a few bounded, identity-preserving steps (``expand``,
``cancel``, ``expand_log``; no ``trigsimp`` or ``simplify``, whose cost has no
bound: the trigonometric values at rational multiples of pi are SymPy's own
automatic evaluation) and keeps a value only when the result is a *rational
number* (SymPy's proof).

The budget is an operation count, never a clock, so that the same input gives
the same output on any machine, at any load: an expression is simplified only
when it has at most :data:`MAX_OPS` operations (``count_ops``), a step runs only
when a bound of the size of its result (:func:`expansion_size`: the number of
terms the full expansion can have, products of sums multiplied out, integer
powers of sums counted as multinomials) is at most :data:`MAX_TERMS` and the
expression has at most :data:`MAX_GENERATORS` distinct non-rational atoms
(``cancel`` works with polynomials in them), and at most :data:`MAX_TIMES`
exact times of one call are tried; a time itself over these bounds is not tried
(the model's closed forms at it would be large).  These bounds keep every step
small, which is what keeps untrusted input from hanging.

:func:`merge_proven` then puts those exact values into the ball data, so the
ball finishing (entropies, betas, ergotropies, increments) turns them into exact
zeros and infinities by its own structure.  A value SymPy does not prove stays
the ball it was; no value ever comes from numbers that agree.

Two facts of the exact spectrum are used as well: a spectrum proven to be all
equal is the maximally mixed state, the Gibbs state at beta = 0 for every
Hamiltonian (``beta`` exactly 0); and for a unitary model started in a product
state, ``I_AB(t) = Delta S_A + Delta S_B``, proven 0 when that sum simplifies
to 0 (the closed form itself holds ``0 ln 0``, which SymPy leaves undefined).

>>> import sympy
>>> from symthermo.exact_times import prove_rational
>>> prove_rational(sympy.cos(sympy.pi / 2) ** 2)
0
>>> prove_rational(sympy.exp(-2 * sympy.log(2)) + sympy.sin(sympy.pi / 6))
3/4
>>> prove_rational(sympy.cos(1)) is None
True
"""

from __future__ import annotations

import math

import sympy

from .numbers import EXACT

__all__ = ["is_special_time", "prove_rational", "proven_data", "merge_proven",
           "MAX_OPS", "MAX_TERMS", "MAX_GENERATORS", "MAX_TIMES", "expansion_size",
           "proven_times"]

#: expressions with more operations than this are not simplified (left as balls)
MAX_OPS = 400
#: a simplification step runs only when its result can have at most this many terms
MAX_TERMS = 2000
#: ... and the expression at most this many distinct non-rational atoms (sqrt(2), pi,
#: log(2), exp(-1): the generators of cancel's polynomials)
MAX_GENERATORS = 12
#: at most this many exact special times per call are tried (the rest stay balls)
MAX_TIMES = 16


def expansion_size(expr, *, limit=MAX_TERMS):
    """A bound of the work of ``expand(expr)``: the number of terms of the expansion
    (products of sums multiplied out, an integer power of a sum of n terms counted as
    the C(n + k - 1, k) terms of its multinomial), plus those of the factors and of
    the function arguments (expanded too); saturates at ``limit + 1``.

    >>> import sympy
    >>> from symthermo.exact_times import expansion_size
    >>> x, y, z = sympy.symbols("x y z")
    >>> expansion_size((x + y) * (x + z + 1)), expansion_size((x + y + z) ** 4)
    (11, 19)
    >>> expansion_size((x + y) ** 10 ** 9)
    2001
    """
    cap = limit + 1

    def terms(e):
        """(terms of e's expansion at the top level, total size with inner arguments)."""
        if e.is_Atom:
            return 1, 1
        if e.is_Add:
            parts = [terms(a) for a in e.args]
            return (min(cap, sum(t for t, _ in parts)), min(cap, sum(c for _, c in parts)))
        if e.is_Mul:
            parts = [terms(a) for a in e.args]
            top = 1
            for t, _ in parts:
                top = min(cap, top * t)
            return top, min(cap, top + sum(c for _, c in parts))
        if e.is_Pow:
            (tb, cb), (_, ce) = terms(e.base), terms(e.exp)
            k = e.exp
            if k.is_Integer and tb > 1:
                k = abs(int(k)) if abs(k) <= cap else cap
                top = cap if k >= cap else min(cap, math.comb(tb + k - 1, k))
            else:
                top = tb if k.is_Integer else 1
            return top, min(cap, top + cb + ce)
        inner = [terms(a) for a in e.args]  # a function: one term, its arguments expanded
        return 1, min(cap, 1 + sum(c for _, c in inner))

    return terms(expr)[1]


def _small_enough(expr):
    """True when every simplification step of ``expr`` is within the budget."""
    if expansion_size(expr) > MAX_TERMS:
        return False
    generators = {a for a in expr.atoms(sympy.Pow, sympy.Function, sympy.NumberSymbol)
                  if not (a.is_Pow and a.exp.is_Integer)}
    return len(generators) <= MAX_GENERATORS


def is_special_time(expr):
    """True for an exact time that is not a plain rational (``pi/(2*g)``, ``log(2)``).

    >>> import sympy
    >>> from symthermo.exact_times import is_special_time
    >>> is_special_time(sympy.pi / 2), is_special_time(sympy.Rational(157, 10))
    (True, False)
    """
    return isinstance(expr, sympy.Expr) and expr.is_number and not expr.is_Rational


def _steps(expr):
    yield expr
    if expr.has(sympy.sin, sympy.cos, sympy.tan):
        # a trigonometric value SymPy did not evaluate (an angle that is not a simple
        # multiple of pi) leaves nothing that expand or cancel can prove without trigsimp
        return
    expanded = sympy.expand(expr)
    yield expanded
    yield sympy.cancel(expr)
    if expr.has(sympy.log):
        logs = sympy.expand_log(expanded, force=False)
        if _small_enough(logs):  # ln(a b) split into sums: checked again before cancel
            yield sympy.cancel(logs)


def prove_rational(expr):
    """The exact rational value of a SymPy number, when bounded simplification proves
    it; None otherwise (over the budget, undefined, or not proven rational).  The
    answer depends on ``expr`` only (no clock)."""
    if isinstance(expr, (int,)) and not isinstance(expr, bool):
        return sympy.Integer(expr)
    if not isinstance(expr, sympy.Expr) or not expr.is_number:
        return None
    if expr.is_Rational:
        return expr
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    if sympy.count_ops(expr) > MAX_OPS or not _small_enough(expr):
        return None
    try:
        for value in _steps(expr):
            if value.is_Rational:
                return value
    except (TypeError, ValueError, NotImplementedError, RecursionError):
        return None
    return None


def _prove_tree(d):
    """The dict of reduced data with each SymPy value replaced by its proven rational or
    None (unproven); spectra and population lists become lists of the same."""
    out = {}
    for key, v in d.items():
        if isinstance(v, dict):
            out[key] = _prove_tree(v)
        elif isinstance(v, (list, tuple)):
            out[key] = [prove_rational(x) for x in v]
        elif isinstance(v, (sympy.Basic, int)) and not isinstance(v, bool):
            out[key] = prove_rational(v)
    return out


def _entropy(spectrum):
    return -sum((p * sympy.log(p) for p in spectrum if p != 0), sympy.Integer(0))


def proven_data(model, p, t):
    """Per-key exact values of ``model``'s reduced data at the exact time ``t``.

    Returns a dict shaped like ``model.reduced_data`` (per subsystem ``E``,
    ``spectrum``, ``beta``, ``Eth``; ``E_int``, ``I_AB``, extras) whose values are
    SymPy rationals where proven and None elsewhere, or None when the model has no
    exact route (no finite closed form, symbolic parameters) or ``t`` is not special.
    A model with ``exact_phases(p, t)`` also gets ``"_phases"``: those of its phases
    proven rational (its ``evaluate`` reads them; a model whose reduced data have no
    exact route, beta_B(0) of the qutrit swap, then gets only them).

    >>> import sympy
    >>> from symthermo.models import get_model
    >>> from symthermo.exact_times import proven_data
    >>> m = get_model("spontaneous-emission")
    >>> p = m.params({})
    >>> d = proven_data(m, p, sympy.log(2) / p["gamma"])
    >>> d["A"]["spectrum"], d["A"]["E"], d["A"]["beta"]
    ([1/2, 1/2], 0, 0)
    """
    if not is_special_time(t):
        return None
    if sympy.count_ops(t) > MAX_OPS or not _small_enough(t):
        # the model's closed forms at such a time are already costly in SymPy
        # ((1 + sqrt(2))**3000): left to the balls, as any value over the budget
        return None
    phases = _proven_phases(model, p, t)
    try:
        exact = model.reduced_data(p, [t], lib=EXACT)[0]
    except Exception:  # noqa: BLE001 - best effort: any failure leaves the balls alone
        return {"_phases": phases} if phases else None
    proven = _prove_tree(exact)
    if phases:
        proven["_phases"] = phases
    spectra = {}
    try:
        hamiltonians = model.local_hamiltonians(p)
    except Exception:  # noqa: BLE001 - as above
        hamiltonians = {}
    for name in model.subsystems:
        sub = proven.get(name)
        if not isinstance(sub, dict):
            continue
        spec = sub.get("spectrum")
        if not spec or any(x is None for x in spec):
            continue
        spectra[name] = spec
        h = hamiltonians.get(name)
        if (len(set(spec)) == 1 and sub.get("beta") is None
                and isinstance(h, sympy.MatrixBase) and h.rows == len(spec)):
            # maximally mixed on all the levels: the Gibbs state at beta = 0 of any
            # Hamiltonian (not for an oscillator: [1/2, 1/2] on Fock 0, 1 has beta > 0)
            sub["beta"] = sympy.Integer(0)
    if (proven.get("I_AB", 0) is None and model.unitary and len(model.subsystems) == 2
            and len(spectra) == 2):
        proven["I_AB"] = _mutual_information(model, p, spectra)
    return proven


def _proven_phases(model, p, t):
    """The model's exact phases at ``t`` (``model.exact_phases(p, t)``: named SymPy
    numbers such as cos(g t)**2, from which the model's own structure follows, e.g. a
    full swap) that are proven rational, as a dict; {} for a model without them."""
    phases = getattr(model, "exact_phases", None)
    if phases is None:
        return {}
    try:
        values = phases(p, t)
    except Exception:  # noqa: BLE001 - as in proven_data
        return {}
    out = {k: prove_rational(v) for k, v in values.items()}
    return {k: v for k, v in out.items() if v is not None}


def _mutual_information(model, p, spectra):
    """I_AB(t) = Delta S_A + Delta S_B (unitary, product initial state), when proven."""
    try:
        start = model.reduced_data(p, [sympy.Integer(0)], lib=EXACT)[0]
    except Exception:  # noqa: BLE001 - as in proven_data
        return None
    total = sympy.Integer(0)
    for name, spec in spectra.items():
        spec0 = [prove_rational(x) for x in start[name]["spectrum"]]
        if any(x is None for x in spec0):
            return None
        total += _entropy(spec) - _entropy(spec0)
    return prove_rational(total)


def proven_times(model, p, times, *, max_times=MAX_TIMES):
    """:func:`proven_data` for each time (None for a plain rational time); the special
    times after the first ``max_times`` get None (balls only).

    >>> import sympy
    >>> from symthermo.models import get_model
    >>> from symthermo.exact_times import proven_times
    >>> m = get_model("exchange")
    >>> p = m.params({})
    >>> out = proven_times(m, p, [sympy.Rational(1, 2), sympy.pi / (2 * p["g"])])
    >>> out[0] is None, out[1]["A"]["spectrum"], out[1]["A"]["E"]
    (True, [0, 1], 0)
    """
    out, tried = [], 0
    for t in times:
        if is_special_time(t) and tried < max_times:
            tried += 1
            out.append(proven_data(model, p, t))
        else:
            out.append(None)
    return out


def merge_proven(data, proven, lib):
    """The ball reduced data ``data`` with the proven exact values of ``proven`` put in
    (as exact balls where the rational is dyadic, tight balls otherwise).

    Only balls are replaced (counts and flags stay as the model gave them).  A spectrum
    (or population list) is replaced only as a whole, when every entry is proven; a
    ``beta`` not proven is dropped where the proven spectrum holds an exact 0 (the
    closed form ln(p_g/p_e) is then undefined in SymPy), so that the ball finishing
    derives it from the exact spectrum (inf for a pure qubit); so is a model's energy
    increment ``dE`` (a ball) where the energy is proven, so that E(t) - E(0) comes
    from the proven energies.
    """
    from .ball_conversion import is_ball

    if not proven:
        return data
    out = dict(data)
    for key, v in proven.items():
        if key not in out:
            continue
        if isinstance(v, dict) and isinstance(out[key], dict):
            sub = dict(out[key])
            for k, x in v.items():
                if isinstance(x, list):
                    old = sub.get(k)
                    if (isinstance(old, list) and len(x) == len(old) and all(map(is_ball, old))
                            and all(e is not None for e in x)):
                        sub[k] = [lib.number(e) for e in x]
                elif x is not None and (is_ball(sub.get(k)) or (k == "beta" and k not in sub)):
                    sub[k] = lib.number(x)
            if (v.get("E") is not None and is_ball(sub.get("dE"))
                    and not lib.is_exact_zero(sub["dE"])):
                del sub["dE"]  # the increment from the proven energies, E(t) - E(0)
            spec = v.get("spectrum")
            if (v.get("beta") is None and is_ball(sub.get("beta")) and spec
                    and all(e is not None for e in spec) and 0 in spec):
                del sub["beta"]
            out[key] = sub
        elif v is not None and not isinstance(v, (dict, list)) and is_ball(out[key]):
            out[key] = lib.number(v)
    return out
