"""What every model of the papers provides, and the two routes to its numbers.

A model is a subclass of :class:`Model` that says, for given parameter
values (exact SymPy numbers, or symbols for those left free):

- :meth:`Model.closed_forms`: SymPy expressions in the time ``T`` for each
  subsystem's energy E_X(t), the eigenvalues of rho_X(t) (ascending, with
  multiplicities; for an oscillator the non-zero ones suffice), optionally a
  closed-form beta_X and E^th_X, and E_int(t), I_AB(t) and extra keys;
- :meth:`Model.dynamics`: the joint Hamiltonian, initial state, Lindblad
  terms and local Hamiltonians on a (possibly truncated) tensor-product
  space, for the propagator.

From these, :meth:`Model.evaluate` (closed form) and :meth:`Model.propagate`
(propagator) produce the contract's rows; the finishing formulas (entropy
from the spectrum, heat and work from the thermal energies, sigma) are
shared, so the two routes differ exactly where they should: in how the
reduced states are obtained.  A model whose reduced states are not finite
SymPy expressions (Jaynes-Cummings with a coherent field) overrides
:meth:`Model.reduced_data` with its own arbitrary-precision evaluation.

In float64 a model may also supply :meth:`Model.reduced_arrays`, the same
reduced data for all times at once as numpy arrays; :meth:`Model.evaluate`
then finishes every time in one go with numpy (the same formulas, 0 ln 0 = 0,
beta solved by :func:`~symthermo.thermal.beta_for_entropy_array`, 0 * inf = 0
in sigma) and returns :class:`ColumnRows`, which behaves as the list of row
dicts.  Compiled closed forms and constants are cached per parameter set: in
memory, and, when the parameters are plain numbers
(:class:`~symthermo.compiled.NumericParams`), on disk across processes by
:mod:`symthermo.compiled`, so that such a run needs no SymPy.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import definitions
from ..lazy import lazy_import
from ..entropy import binary_entropy, entropy_of_spectrum
from ..expressions import parse_expression, to_sympy
from ..heat_work import check_convention, heat, sign, work
from ..local import LOCAL_KEYS, Subsystem, beta_times_heat
from ..numbers import EXACT, FLOAT64, MPMATH, numpy_lambdify
from ..precision import precision_held
from ..thermal import (Levels, Oscillator, _beta_for_entropy_array, _beta_of_spectrum,
                       beta_for_entropy, oscillator_deficit,
                       _thermal_mean_array, _thermal_mean_of_spectrum)
from ..passive_excess import ARRAY, passive_excess, two_level_excess
from ..ergotropy import (_spread, clip_rounding, ergotropy_rounding_bound,
                         exergy_rounding_bound, float_passive_excess, passive_energy)
from ..compiled import NumericParams, cached

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = [
    "T",
    "Parameter",
    "LocalForms",
    "ClosedForms",
    "Dynamics",
    "Model",
    "ColumnRows",
    "parse_parameters",
    "entropy_expression",
    "entropy_columns",
    "xlogx_columns",
    "column_of",
    "params_key",
]


@functools.cache
def time_symbol():
    """The time symbol ``t`` (nonnegative) of every closed form, also ``base.T``."""
    return sympy.Symbol("t", nonnegative=True)


def __getattr__(name):
    # PEP 562: ``T``, the time symbol, is made on first use so that importing
    # the models does not import SymPy (``from .base import T`` works as before)
    if name == "T":
        return time_symbol()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Parameter:
    """A model parameter: a number (``choices`` None) or one of ``choices``."""

    name: str
    default: str
    description: str
    choices: tuple = None
    latex: str = None

    @property
    def symbol(self):
        assumptions = {} if self.choices else {"positive": True}
        return sympy.Symbol(self.name, **assumptions)


@dataclass
class LocalForms:
    """Closed forms of one subsystem's reduced state along the evolution."""

    hamiltonian: object  # sympy Matrix (diagonal, exact) or Oscillator
    energy: sympy.Expr  # E_X(t)
    spectrum: list  # eigenvalues of rho_X(t), ascending, multiplicities kept
    beta: sympy.Expr = None  # closed form, if any
    thermal_energy: sympy.Expr = None  # closed form, if any
    #: rho_X(t) is diagonal in H_X's eigenbasis at every t (structure the ball route uses
    #: to return exact zeros: a passive diagonal qubit has ergotropy and exergy exactly 0)
    diagonal: bool = False


@dataclass
class ClosedForms:
    subsystems: dict  # name -> LocalForms
    interaction_energy: sympy.Expr = None  # E_int(t)
    mutual_information: sympy.Expr = None  # I_AB(t)
    extras: dict = field(default_factory=dict)  # key -> expression in T
    notes: dict = field(default_factory=dict)  # key -> text (how it was derived)


@dataclass
class Dynamics:
    """Everything the propagator needs, exact (SymPy) or numeric."""

    dims: list  # dimensions in tensor order (Fock cutoffs included)
    hamiltonian: object  # joint H
    coupling: object  # V, whose mean is E_int
    initial_state: object  # joint rho(0)
    local_hamiltonians: dict  # name -> matrix or Oscillator (then rho_X is in the Fock basis)
    lindblad: list = field(default_factory=list)  # (rate, operator) pairs


def entropy_expression(spectrum):
    """-sum lambda ln lambda over SymPy eigenvalues, an exact 0 contributing 0 (not nan)."""
    total = sympy.Integer(0)
    for lam in spectrum:
        lam = sympy.sympify(lam)
        if lam.is_zero:
            continue
        total -= lam * sympy.log(lam)
    return total


def parse_parameters(model, given):
    """Parameter values from NAME=VALUE strings or a dict; unknown names are errors.

    Values are read by the grammar of :mod:`symthermo.expressions`: numbers
    become exact SymPy numbers ("1.63" -> 163/100); a value may be an
    expression in the other parameters ("0.8*lam"), read again with their
    values once they are known; ``symbol`` (or ``sym``, ``?``) leaves a
    parameter symbolic.
    """
    known = {p.name: p for p in model.parameters}
    values = {}
    items = given.items() if isinstance(given, dict) else [_split(g) for g in given]
    for name, value in items:
        if name not in known:
            raise ValueError(f"unknown parameter {name!r} for model {model.name}; "
                             f"known: {', '.join(known)}")
        values[name] = value
    symbols = {n: q.symbol for n, q in known.items() if not q.choices}
    raw = {name: values.get(name, p.default) for name, p in known.items()}
    out = {name: _value(p, raw[name], symbols) for name, p in known.items()}
    # a value given in terms of other parameters ("kappa=0.8*lam") is read again with
    # their values, in dependency order: the grammar's limits then see the numbers
    pending = {name: {str(s) for s in v.free_symbols} & set(symbols) for name, v in out.items()
               if isinstance(v, sympy.Basic) and v != known[name].symbol
               and {str(s) for s in v.free_symbols} & set(symbols)}
    while pending:
        ready = [n for n, deps in pending.items() if not deps & set(pending)]
        if not ready:
            raise ValueError(f"parameters {', '.join(sorted(pending))} are defined in terms of "
                             f"each other")
        for name in ready:
            out[name] = _value(known[name], raw[name], {d: out[d] for d in pending.pop(name)})
    return out


def _split(text):
    if "=" not in text:
        raise ValueError(f"parameter must be NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    return name.strip(), value.strip()


def _value(p, raw, names):
    if p.choices:
        if raw not in p.choices:
            raise ValueError(f"{p.name} must be one of {', '.join(p.choices)}, got {raw!r}")
        return raw
    if isinstance(raw, sympy.Basic):
        return raw
    text = str(raw)
    if text == "":
        raise ValueError(f"{p.name} needs a value")
    if text.lower() in ("symbol", "sym", "?"):
        return p.symbol
    expr = to_sympy(parse_expression(text, names, what=f"parameter {p.name}"))
    if expr.is_number and (expr.is_real is False or expr.is_negative):
        raise ValueError(f"{p.name} must be a non-negative real number, got {text!r}")
    _check_size(p.name, text, expr)
    return expr


#: a parameter enters every closed form, where SymPy simplifies, factors and takes roots:
#: its exact numbers have at most this many bits, its expression at most this many operations
#: (omega_A=10**4000 or g=cos(pi/120), 223 operations as radicals, took minutes)
MAX_PARAMETER_BITS = 1024
MAX_PARAMETER_OPS = 24


def _check_size(name, text, expr):
    bits = max((max(abs(q.p).bit_length(), q.q.bit_length()) for q in expr.atoms(sympy.Rational)),
               default=0)
    if bits > MAX_PARAMETER_BITS:
        raise ValueError(f"parameter {name} {text!r:.80}: an exact number of {bits} bits exceeds "
                         f"the limit {MAX_PARAMETER_BITS} for parameters")
    ops = sympy.count_ops(expr)
    if ops > MAX_PARAMETER_OPS:
        raise ValueError(f"parameter {name} {text!r:.80}: {ops} operations (as SymPy evaluates "
                         f"it) exceed the limit {MAX_PARAMETER_OPS} for parameters")


class Model:
    """Base class: subclasses set the class attributes and implement the hooks."""

    name: str = ""
    source: str = ""
    description: str = ""
    subsystems: tuple = ("A", "B")
    parameters: tuple = ()
    extra_keys: dict = {}
    unitary: bool = True
    #: times of the paper's figures, as SymPy strings in the parameters
    paper_times: tuple = ()
    #: evaluate(lib=FLOAT64) uses reduced_arrays (all times at once) when the model has it;
    #: False forces the per-row route (the tests compare the two)
    vectorised: bool = True
    #: the ball route takes compiled.NumericParams (plain numbers) without SymPy
    numeric_balls: bool = False

    # -- hooks -------------------------------------------------------------
    def closed_forms(self, p) -> ClosedForms:
        raise NotImplementedError

    def dynamics(self, p, *, lib) -> Dynamics:
        raise NotImplementedError

    def check_parameters(self, p):
        """Raise ValueError for values outside the model's validity."""

    # -- public ------------------------------------------------------------
    def params(self, given=()):
        p = parse_parameters(self, given)
        self.check_parameters(p)
        return p

    def keys(self):
        keys = ["t"]
        for n in self.subsystems:
            keys += [f"{k}_{n}" for k in ("E", "S", "beta", "Eth", "Q", "W", "ergotropy", "exergy")]
        if len(self.subsystems) > 1:
            keys += ["E_int", "I_AB"]
            if self.unitary:
                keys += [f"sigma_{n}" for n in self.subsystems]
        return keys + list(self.extra_keys)

    def numeric_params(self, p):
        free = [name for name, v in p.items() if isinstance(v, sympy.Basic) and v.free_symbols]
        if free:
            raise ValueError(f"parameter(s) {', '.join(free)} need numeric values for evaluation")
        return p

    def reduced_data(self, p, times, *, lib):
        """Per time: {name: {"E", "spectrum", "beta"?, "Eth"?}}, "E_int", "I_AB", extras.

        The default evaluates :meth:`closed_forms` (lambdified to mpmath or
        numpy); models without finite closed forms override this.
        """
        forms = self.closed_forms(p)
        fns = _lambdified(forms, lib)
        return [fns(t) for t in times]

    def reduced_arrays(self, p, times):
        """Optional hook: the reduced data at every time at once, float64 (numpy).

        ``times`` is a float64 array (the base puts t = 0 first).  Returns what
        :meth:`reduced_data` returns, with every value a numpy array over the
        times (or a number constant in time) and each spectrum a list of such
        arrays (one per eigenvalue, multiplicities kept, any order), so that
        :meth:`evaluate` with ``lib=FLOAT64`` finishes all times in one go
        with numpy.  A subsystem's entry may add ``"S"`` (its entropy, from the
        same spectrum with 0 ln 0 = 0) and ``"ascending": True`` (spectrum
        already sorted); ``"I_AB"`` may be a function of the finished local
        columns.  ``None`` (the default): not available, the per-row route is
        used.
        """
        return None

    def evaluate(self, p, times, *, lib, convention="received", proven=None):
        """Rows of the closed-form route (raw numbers in ``lib``).

        ``proven`` (balls only): per time, exact values of the reduced data proven by
        SymPy at an exact time, or None (:func:`symthermo.exact_times.proven_data`).

        In float64, a model with :meth:`reduced_arrays` is finished with
        numpy for all times at once and the rows come as :class:`ColumnRows`
        (a sequence of the same row dicts, built on first access); set the
        attribute ``vectorised = False`` for the per-row route.
        """
        check_convention(convention)
        if lib is FLOAT64 and self.vectorised:
            # numpy only once the closed forms are compiled (the compiling, which may
            # move mpmath's precision through SymPy, holds the precision lock)
            rows = self._evaluate_columns(p, times, convention)
            if rows is not None:
                return rows
        return self._evaluate_rows(p, times, lib=lib, convention=convention, proven=proven)

    @precision_held()  # thread safety: mpmath's precision is process-wide
    def _evaluate_rows(self, p, times, *, lib, convention, proven):
        """:meth:`evaluate` row by row (any number system)."""
        if isinstance(p, NumericParams) and (lib in (MPMATH, FLOAT64, EXACT)
                                             or not self.numeric_balls):
            p = p.exact()
        if not isinstance(p, NumericParams):  # (plain numbers were checked when read)
            self.numeric_params(p)
        data0 = self.reduced_data(p, [_zero(lib)], lib=lib)[0]
        data = self.reduced_data(p, times, lib=lib)
        if proven is not None:
            from ..exact_times import merge_proven

            data = [merge_proven(d, e, lib) for d, e in zip(data, proven)]
        locals_ = self._local_systems(p, lib)
        return [self._finish(locals_, data0, d, t, lib, convention) for t, d in zip(times, data)]

    @precision_held()
    def propagate(self, p, times, *, lib, convention="received"):
        """Rows of the propagator route (raw numbers in ``lib``)."""
        from ..ledger import trajectory_rows

        check_convention(convention)
        self.numeric_params(p)
        dyn = self.dynamics(p, lib=lib)
        subs = {n: Subsystem.of(_numeric_h(dyn.local_hamiltonians[n], lib), lib)
                for n in self.subsystems}
        H = lib.as_matrix(dyn.hamiltonian)
        V = lib.as_matrix(dyn.coupling)
        rho0 = lib.as_matrix(dyn.initial_state)
        lindblad = [(lib.number(_num(r)) if lib is not FLOAT64 else float(r), lib.as_matrix(L))
                    for r, L in dyn.lindblad]
        structure = {}
        if lib not in (MPMATH, FLOAT64, EXACT):  # balls: structural zeros proven exactly
            from ..ledger import exact_structure

            try:
                ex = self.dynamics(p, lib=EXACT)
            except (ValueError, NotImplementedError):  # no exact dynamics: no structure
                ex = None
            if ex is not None:
                structure = dict(zip(("product_initial", "coupling_conserved"), exact_structure(
                    ex.hamiltonian, ex.coupling, ex.initial_state, ex.dims,
                    unitary=not ex.lindblad, lindblad=ex.lindblad)))
        rows = trajectory_rows(subs, dyn.dims, H, V, rho0, times, lib=lib, lindblad=lindblad,
                               convention=convention,
                               leak_check=lambda n, r, t: _leak_check(subs[n], r, lib, n),
                               **structure)
        extras = self.propagated_extras(p, rows, lib=lib)
        out = []
        for row, extra in zip(rows, extras):
            row = {k: v for k, v in row.items() if not k.startswith("_")}
            if "I_tot" in row:
                row["I_AB"] = row.pop("I_tot")
            row.update(extra)
            out.append(row)
        return out

    def propagated_extras(self, p, rows, *, lib):
        """Extra keys from propagated rows (default: from the row's own keys)."""
        return [self.extras_from_row(p, row, lib=lib) for row in rows]

    def extras_from_row(self, p, row, *, lib):
        return {}

    # -- shared finishing ----------------------------------------------------
    def _local_systems(self, p, lib):
        if lib not in (MPMATH, FLOAT64, EXACT):  # balls: once per parameter set and precision
            import flint

            return self._cached(("ball_locals", flint.ctx.prec) + params_key(p),
                                lambda: self._make_local_systems(p, lib))
        return self._make_local_systems(p, lib)

    def _make_local_systems(self, p, lib):
        if isinstance(p, NumericParams):  # plain numbers (balls): from the compiled cache
            forms_h = self._params_cached("local_hamiltonians", p, lambda: _plain_matrices(
                self.local_hamiltonians(p.exact())))
        else:
            forms_h = self.local_hamiltonians(p)
        return {n: Subsystem.of(_numeric_h(forms_h[n], lib), lib) for n in self.subsystems}

    def local_hamiltonians(self, p):
        return {n: lf.hamiltonian for n, lf in self.closed_forms(p).subsystems.items()}

    def _finish(self, locals_, data0, data, t, lib, convention):
        if lib not in (MPMATH, FLOAT64, EXACT):
            from ..balls import ball_beta_times_heat, ball_work  # lazy: loads SymPy, flint
        row = {"t": t}
        # the t = 0 quantities are computed once per evaluation and kept in data0
        q0 = data0.get("_q0")
        if q0 is None:
            q0 = data0["_q0"] = {n: _local_from_data(locals_[n], data0[n], lib)
                                 for n in self.subsystems}
        # balls: the increments at t = 0 are exact zeros (structure, not a cancellation);
        # qt is then q0 itself, so that extra keys can tell (qt is q0)
        balls = lib not in (MPMATH, FLOAT64, EXACT)
        at_start = balls and lib.is_exact_zero(t)
        qt = q0 if at_start else {}
        heats = {}  # received heats (float64 sigma)
        for n in self.subsystems:
            if not at_start:
                qt[n] = _local_from_data(locals_[n], data[n], lib)
            for key in LOCAL_KEYS:
                row[f"{key}_{n}"] = qt[n][key]
            if at_start:
                row[f"Q_{n}"] = row[f"W_{n}"] = lib.zero
                continue
            d_eth = _thermal_increment(q0[n], qt[n])
            thermal_qubit = (lib is FLOAT64 and q0[n]["exergy"] == 0 and qt[n]["exergy"] == 0
                             and "Eth" not in data[n] and isinstance(locals_[n].levels, Levels)
                             and locals_[n].levels.is_qubit)
            if thermal_qubit:  # E^th = E at both times (_thermal_qubit_columns)
                d_eth = data[n]["dE"] if "dE" in data[n] else qt[n]["E"] - q0[n]["E"]
            elif "dEth" in data[n]:  # E^th(t) - E^th(0) in closed form (the model's)
                d_eth = data[n]["dEth"]
            row[f"Q_{n}"] = heat(lib.zero, d_eth, convention=convention)
            heats[n] = d_eth
            if balls:
                row[f"W_{n}"] = ball_work(lib, q0[n], qt[n], convention)
            elif thermal_qubit:
                row[f"W_{n}"] = lib.zero
            elif "_E_minus_Eth" in q0[n] and "_E_minus_Eth" in qt[n] and _via_exergy(
                    q0[n], qt[n], data[n]):
                row[f"W_{n}"] = sign(convention) * (qt[n]["_E_minus_Eth"]
                                                    - q0[n]["_E_minus_Eth"])
            elif "dE" in data[n]:  # E(t) - E(0) in closed form (the model's, float64)
                row[f"W_{n}"] = sign(convention) * (data[n]["dE"] - d_eth)
            else:
                row[f"W_{n}"] = work(q0[n]["E"], qt[n]["E"], lib.zero, d_eth,
                                     convention=convention)
        if len(self.subsystems) > 1:
            row["E_int"] = data["E_int"]
            # every model starts in a product state: I_AB(0) = 0 exactly
            row["I_AB"] = lib.zero if at_start else data["I_AB"]
            if self.unitary:
                if balls:
                    times_heat = ball_beta_times_heat
                else:
                    times_heat = beta_times_heat
                for n in self.subsystems:
                    row[f"sigma_{n}"] = lib.zero if at_start else qt[n]["S"] - q0[n]["S"] + sum(
                        (_float_heat_term(q0[m], qt[m], heats[m]) if lib is FLOAT64 else
                         times_heat(lib, q0[m]["beta"], _thermal_increment(q0[m], qt[m]))
                         for m in self.subsystems if m != n), lib.zero)
        for key in self.extra_keys:
            row[key] = data[key] if key in data else self.extra_from_finished(key, row, q0, qt, lib)
        return row

    def extra_from_finished(self, key, row, q0, qt, lib):
        raise KeyError(f"model {self.name} does not provide extra key {key}")

    # -- vectorised float64 finishing ---------------------------------------------
    def _evaluate_columns(self, p, times, convention):
        """ColumnRows of the float64 closed-form route, or None without reduced_arrays."""
        if type(self).reduced_arrays is Model.reduced_arrays:
            return None
        key = params_key(p)
        cache = self.__dict__.get("_vectorised_cache")
        if not isinstance(p, NumericParams) and (cache is None or ("numeric",) + key not in cache):
            with precision_held():
                self.numeric_params(p)
            self._cached(("numeric",) + key, lambda: True)
        n = len(times)
        ts = np.empty(n + 1)
        ts[0] = 0.0
        ts[1:] = times  # numpy converts a list of floats directly
        self.__dict__["_current_params"] = (p, key)
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
                data = self.reduced_arrays(p, ts)
                if data is None:
                    return None
                cols = self._finish_columns(p, data, ts, convention)
        finally:
            self.__dict__.pop("_current_params", None)
        keys = self._keys_cached()
        # every array still holds t = 0 at index 0: ColumnRows skips it (times given as
        # a float array are that array's floats; others stay as given)
        cols["t"] = ts if isinstance(times, np.ndarray) and times.dtype == _F64 else list(times)
        rows = ColumnRows(keys, cols, n, start=1)
        unearned = data.get("unearned")
        if isinstance(unearned, np.ndarray):
            # times whose float64 values the model cannot vouch for (rounding noise about
            # a value below it): a caller that prints digits recomputes them certified
            rows.unearned = np.flatnonzero(unearned[1:]).tolist()
        return rows

    def _params_cached(self, tag, p, make):
        """``make()`` once per parameter set (and ``tag``): compiled closed forms,
        constants, local Hamiltonians."""
        def held():  # made with SymPy, which may move mpmath's precision
            with precision_held():
                return make()

        if isinstance(p, NumericParams):
            # plain numbers: the compiled-forms cache, on disk across processes
            return cached(self, tag, p, held)
        current = self.__dict__.get("_current_params")
        key = current[1] if current is not None and current[0] is p else params_key(p)
        return self._cached((tag,) + key, held)

    def _cached(self, key, make):
        """A per-instance cache of things that depend on the parameters only."""
        cache = self.__dict__.get("_vectorised_cache")
        if cache is None:
            cache = self.__dict__["_vectorised_cache"] = {}
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[key] = make()
        return cache[key]

    def _keys_cached(self):
        """The keys in the order :meth:`_finish` writes them (that of the per-row dicts)."""
        keys = self.__dict__.get("_row_keys")
        if keys is None:
            keys = ["t"]
            for n in self.subsystems:
                keys += [f"{k}_{n}" for k in LOCAL_KEYS] + [f"Q_{n}", f"W_{n}"]
            if len(self.subsystems) > 1:
                keys += ["E_int", "I_AB"]
                if self.unitary:
                    keys += [f"sigma_{n}" for n in self.subsystems]
            keys += list(self.extra_keys)
            if sorted(keys) != sorted(self.keys()):  # pragma: no cover - a model's own keys()
                raise AssertionError(f"{self.name}: row keys {keys} differ from {self.keys()}")
            self.__dict__["_row_keys"] = keys
        return keys

    def _finish_columns(self, p, d, ts, convention):
        """:meth:`_finish` for all times at once (index 0 is t = 0); numpy arrays."""
        locals_ = self._params_cached("locals", p, lambda: {
            n: _LocalInfo.of(sub) for n, sub in self._local_systems(p, FLOAT64).items()})
        s = sign(convention)
        cols = {}
        q = {}
        heats, noise = {}, {}  # received heats (t = 0 subtracted) and their rounding
        for n in self.subsystems:
            qn = q[n] = _local_columns(locals_[n], d[n], len(ts))
            for key in LOCAL_KEYS:
                cols[f"{key}_{n}"] = qn[key]
            # increments the model gives in closed form (no cancellation at small
            # times), else differences
            if "dEth" in d[n]:
                d_eth = d[n]["dEth"]
                noise[n] = None
            else:
                above = qn["thermal_above"]
                if isinstance(above, np.ndarray):
                    d_eth = above - above[0]
                    # the rounding of that difference (needed only after a pure start):
                    # a heat above it has its sign
                    noise[n] = functools.partial(_difference_rounding, above)
                else:
                    d_eth, noise[n] = qn["Eth"] - qn["Eth"][0], None
            d_e = d[n]["dE"] if "dE" in d[n] else qn["E"] - qn["E"][0]
            w = d_e - d_eth
            if "exergy_size" in qn:
                w = _work_columns(qn, d[n], w)
            elif locals_[n].two_level and "Eth" not in d[n]:
                d_eth, w = _thermal_qubit_columns(qn["exergy"], d_e, d_eth, w)
            heats[n] = d_eth
            cols[f"Q_{n}"] = d_eth if s == 1 else -d_eth
            cols[f"W_{n}"] = w if s == 1 else -w
        if len(self.subsystems) > 1:
            cols["E_int"] = _column(d["E_int"], len(ts))
            mutual = d["I_AB"]
            cols["I_AB"] = _column(mutual(q) if callable(mutual) else mutual, len(ts))
            if self.unitary:
                for n in self.subsystems:
                    total = 0.0
                    for m in self.subsystems:
                        if m != n:
                            total = total + beta_times_heat_columns(
                                q[m]["beta"][0], heats[m], noise[m])
                    cols[f"sigma_{n}"] = (q[n]["S"] - q[n]["S"][0]) + total
        for key in self.extra_keys:
            if key in d:
                v = d[key]
                cols[key] = _column(v, len(ts)) if isinstance(v, (np.ndarray, float)) else v
            else:
                cols[key] = self.extra_columns(key, cols, q, ts)
        return cols

    def extra_columns(self, key, cols, q, ts):
        """An extra key for all times from the finished columns (vectorised
        :meth:`extra_from_finished`); ``q[name]`` holds the local columns."""
        raise KeyError(f"model {self.name} does not provide extra key {key} in columns")


def params_key(p):
    """A hashable key of exact parameter values (1.0 is not 1: Rationals by
    numerator and denominator, other SymPy values with their type)."""
    if isinstance(p, NumericParams):
        return p.key
    out = []
    for k, v in p.items():
        if isinstance(v, sympy.Rational):
            out.append((k, v.p, v.q))
        elif isinstance(v, str):
            out.append((k, v))
        else:
            out.append((k, type(v), v))
    return tuple(out)


class ColumnRows(Sequence):
    """The rows of a vectorised float64 evaluation, held as columns.

    Behaves as the list of row dicts the per-row route returns (indexing,
    iteration, ``len``, ``==``): the dicts of Python floats are built on
    first access, all at once, and kept, so a change to a row sticks.
    :meth:`column` gives one key's values as a numpy array without building
    any row.
    """

    __slots__ = ("keys", "_columns", "_n", "_start", "_rows", "unearned")

    def __init__(self, keys, columns, n, *, start=0):
        """``columns``: key -> numpy array (its entries from ``start`` on are the
        rows'), list (the rows' values) or a number (the same in every row).

        ``unearned``: the indices of the rows whose float64 values the model cannot
        vouch for to the contract's digits (a value within its own rounding of 0),
        set by the model; ``symthermo reference --float64`` recomputes them on the
        certified route."""
        self.keys = list(keys)
        self._columns = columns
        self._n = n
        self._start = start
        self._rows = None
        self.unearned = []

    def __len__(self):
        return self._n

    def __getitem__(self, index):
        return self._materialise()[index]

    def __iter__(self):
        return iter(self._materialise())

    def __eq__(self, other):
        if isinstance(other, ColumnRows):
            other = other._materialise()
        if isinstance(other, (list, tuple)):
            return self._materialise() == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(self._materialise())

    def column(self, key):
        """The values of ``key`` at every time (a numpy array; ints stay ints)."""
        if self._rows is not None:
            return np.array([row[key] for row in self._rows])
        v = self._columns[key]
        if isinstance(v, np.ndarray):
            return v[self._start:]
        if isinstance(v, list):
            return np.array(v)
        return np.full(self._n, v)

    def strings(self, keys, digits):
        """The rows as dicts of :func:`~symthermo.precision.decimal_string` texts
        (ints as ``str``), formatted column by column; None when a column holds
        anything but numbers."""
        from ..precision import decimal_strings

        columns = []
        for k in keys:
            v = self.column(k)
            if v.dtype.kind == "f":
                columns.append(decimal_strings(v, digits))
            elif v.dtype.kind in "iu":
                columns.append([str(x) for x in v.tolist()])
            else:
                return None
        return [dict(zip(keys, values)) for values in zip(*columns)]

    def negate(self, keys):
        """Change the sign of ``keys`` in every row (a switch of convention)."""
        if self._rows is not None:
            for row in self._rows:
                for k in keys:
                    row[k] = -row[k]
        else:
            for k in keys:
                v = self._columns[k]
                self._columns[k] = [-x for x in v] if isinstance(v, list) else -v

    def _materialise(self):
        if self._rows is None:
            n = self._n
            lists = []
            for k in self.keys:
                v = self._columns[k]
                if isinstance(v, np.ndarray):
                    lists.append(v[self._start:].tolist())
                elif isinstance(v, list):
                    lists.append(v)
                else:
                    lists.append(itertools.repeat(v, n))
            keys = self.keys
            self._rows = [dict(zip(keys, values)) for values in zip(*lists)]
            self._columns = None
        return self._rows


def column_of(v, n):
    """``v`` as a float64 array of length n (a number constant in time is repeated)."""
    if type(v) is np.ndarray and v.dtype == _F64 and v.shape == (n,):
        return v
    v = np.asarray(v, dtype=float)
    if v.shape == (n,):
        return v
    return np.full(n, v)


_column = column_of


def _array(v, n):
    return v if type(v) is np.ndarray else column_of(v, n)
_F64 = np.dtype(float)
_lowest = np.minimum.reduce  # x.min() without the Python-level wrapper


def xlogx_columns(x):
    """x ln x elementwise with 0 ln 0 = 0 (numpy); an x in [-tolerance, 0] (rounding
    noise about an exact 0) counts as 0, a more negative one is an error."""
    lowest = _lowest(x)
    if lowest > 0:
        return x * np.log(x)
    if lowest < -FLOAT64.tolerance:
        raise ValueError(f"math domain error: x ln x of a negative probability {lowest}")
    return x * np.log(np.where(x > 0, x, 1.0))


def entropy_columns(spectrum):
    """-sum_k lambda_k ln lambda_k over a list of arrays, in the order given, of a
    model's distribution (it sums to exactly 1): an ascending spectrum of more than two
    takes its last (largest) one's logarithm as log1p(-rest) where it is above 1/2, as
    :func:`~symthermo.entropy.entropy_of_distribution` does."""
    total = 0.0
    for lam in spectrum[:-1] if len(spectrum) > 2 else spectrum:
        total = total - xlogx_columns(lam)
    if len(spectrum) > 2:
        total = total - _top_xlogx(spectrum)
    return total


def _top_xlogx(spectrum):
    """lambda ln lambda of the last (largest) eigenvalue of an ascending spectrum of
    arrays, ln lambda as log1p(-rest) where lambda > 1/2 (near a pure state)."""
    top = spectrum[-1]
    rest = spectrum[0]
    for lam in spectrum[1:-1]:
        rest = rest + lam
    return top * np.where(top > 0.5, np.log1p(-rest), np.log(top))


def _below_midpoint(levels, E):
    """Levels.passive_diagonal_qubit (p_e < 1/2) decided on E itself: E < (E_g + E_e)/2,
    which is 0 for (omega/2) sigma_z, so that E - E_g, which rounds to gap/2 at
    p_e = 1/2 - 1e-22, is not needed (float64: numbers or arrays)."""
    e0, e1 = levels.energies
    return E < (float(e0) + float(e1)) / 2


def _thermal_qubit_columns(exergy, d_e, d_eth, w):
    """(Q, W) of a qubit whose E^th the model does not give: where its exergy is 0 at t
    and at t = 0 it is a Gibbs state at both (E^th = E), so Q = E(t) - E(0) and W = 0
    exactly, as ball_work proves them (a mixed qubit passive after t = 0 had W_A ~ 1e-17
    for 0 and Q_A 0 for -5e-23)."""
    if exergy[0] != 0:
        return d_eth, w
    still = exergy == 0
    if not still.any():
        return d_eth, w
    return np.where(still, d_e, d_eth), np.where(still, 0.0, w)


def _work_columns(q, d, w):
    """W = Delta E - Delta E^th = Delta(E - E^th) = exergy(t) - exergy(0): per time, the
    form whose operands are the smaller (either rounds to eps times them), given the
    exergy's operands ``q["exergy_size"]`` (an oscillator, :func:`_oscillator_pair`): for
    a field leaving its vacuum E and E^th differ by 1e-46 at t = 1e-9 (the exergy's form),
    for a coherent field the exergy is |alpha|^2 omega at every time (the increments')."""
    size = q["exergy_size"]
    above = q["thermal_above"]
    de = np.abs(d["dE"]) if "dE" in d else np.abs(q["E"]) + abs(q["E"][0])
    via = size + size[0] < de + np.abs(above) + abs(above[0])
    if not via.any():
        return w
    x = q["exergy"]
    return np.where(via, x - x[0], w)


def _difference_rounding(values):
    """A bound on the rounding of ``values - values[0]`` (float64, elementwise)."""
    return 8 * FLOAT64.eps * (np.abs(values) + abs(values[0]))


def beta_times_heat_columns(beta0, heat, noise=None):
    """:func:`symthermo.local.beta_times_heat` for a number beta(0) and an array of heats.

    With beta(0) = inf a heat within ``noise`` of 0 (the rounding of the heat: a number, an
    array, or a function of no arguments giving one, called only then; default 100 times
    the float64 tolerance) counts as 0 (0 * inf = 0), a larger one gives +-inf."""
    if np.isinf(beta0):
        if noise is None:
            noise = FLOAT64.tolerance * 100
        elif callable(noise):
            noise = noise()
        return np.where(np.abs(heat) <= noise, 0.0, np.where(heat > 0, np.inf, -np.inf))
    return beta0 * heat


@dataclass(frozen=True)
class _LocalInfo:
    """A subsystem with its ground energy and level gaps as floats (found once)."""

    sub: Subsystem
    levels: object
    ground: float
    gaps: tuple  # finite levels: all gaps; oscillator: None (k omega)
    two_level: bool

    @classmethod
    def of(cls, sub):
        levels = sub.levels
        if isinstance(levels, Oscillator):
            return cls(sub, levels, float(levels.offset), None, False)
        gaps = tuple(float(g) for g in levels.gaps)
        return cls(sub, levels, float(sub.ground), gaps,
                   len(levels.energies) == 2 and levels.ground_degeneracy == 1)

    def gaps_for(self, count):
        if self.gaps is None:
            w = float(self.levels.omega)
            return [w * k for k in range(count)]
        return self.gaps[:count]


def _local_columns(info: _LocalInfo, d, n):
    """:func:`_local_from_data` for all times at once (numpy arrays; called inside
    the np.errstate of :meth:`Model._evaluate_columns`).

    Terms that are exact zeros in the per-row sums (p * 0 for a ground-level
    gap, x - 0 for a ground energy 0) are left out: the sums are the same."""
    spectrum = [x if type(x) is np.ndarray else column_of(x, n) for x in d["spectrum"]]
    if not d.get("ascending"):
        if len(spectrum) == 2:
            a, b = spectrum
            spectrum = [np.minimum(a, b), np.maximum(a, b)]
        elif len(spectrum) > 2:
            spectrum = list(np.sort(np.stack(spectrum), axis=0))
    lowest = _lowest(spectrum[0])
    if lowest < 0:
        # rounding noise about an exact 0 (within the float64 tolerance) is 0; more
        # negative, the model's closed forms are wrong
        _check_spectrum_floor(lowest)
        spectrum = [np.maximum(lam, 0.0) for lam in spectrum]
        lowest = 0.0
    levels = info.levels
    ground = info.ground
    E = _array(d["E"], n)
    # E - E_g, given by the model where E rounds it away (a qubit near its ground level)
    above = _array(d["above"], n) if "above" in d else E - ground if ground != 0 else E
    S = d.get("S")
    if S is None and len(spectrum) == 2:
        # two eigenvalues of a density matrix: hi = 1 - lo, and -hi ln hi is written
        # -(1 - lo) log1p(-lo), which keeps the ~lo of a nearly pure state (hi rounds to 1
        # for lo < 1e-16: S(diag(1 - 1e-20, 1e-20)) was 4.6e-19 instead of 4.7e-19)
        lo = spectrum[0]
        logs = [np.log(lo), np.log1p(-lo)]
        S = -(lo * logs[0] if lowest > 0 else xlogx_columns(lo)) - (1 - lo) * logs[1]
    elif S is None:
        # ascending and >= 0: only eigenvalues that can be 0 need the 0 ln 0 = 0 rule
        S = 0.0
        logs = []  # ln lambda_k (kept for beta; -inf at an eigenvalue 0)
        for lam in spectrum:
            if lowest > 0:
                log = np.log(lam)
                S = S - lam * log
            else:
                log = None
                S = S - xlogx_columns(lam)
            logs.append(log)
    else:
        S = _array(S, n)
        logs = [None] * len(spectrum)
    beta = d.get("beta")
    pair = None
    if info.gaps is None and len(spectrum) == 2 and d.get("Eth") is None:
        # an oscillator with two eigenvalues: E^th, beta and E - E^th from lo without
        # cancellation (_oscillator_pair)
        pair = _oscillator_pair(float(levels.omega), spectrum[0], above,
                                bool(d.get("diagonal")))
        if beta is None:
            beta = pair.beta
    if beta is None:
        if info.two_level:
            # ln(hi/lo)/gap as thermal._log_ratio computes it; hi >= 1/2 > 0, so lo = 0
            # gives ln hi - ln 0 = inf and beta = inf
            lo, hi = spectrum
            log_lo, log_hi = (np.log(x) if g is None else g for x, g in zip(spectrum, logs))
            beta = np.where(hi <= 2 * lo, np.log1p((hi - lo) / lo), log_hi - log_lo) / info.gaps[1]
        else:
            beta = _beta_for_entropy_array(levels, S)
    else:
        beta = _array(beta, n)
    eth = d.get("Eth")
    if pair is not None:
        thermal_above = pair.thermal_above
    elif eth is None and info.two_level:
        # the thermal state with the spectrum's entropy has the spectrum's populations
        # (_thermal_mean_of_spectrum): gap lo / (lo + hi), 0 at lo = 0
        lo, hi = spectrum
        thermal_above = info.gaps[1] * (lo / (lo + hi))
    elif eth is None:
        thermal_above = _thermal_mean_array(levels, beta)
    else:
        eth = _array(eth, n)
        thermal_above = eth - ground if ground != 0 else eth
    passive = None
    for lam, gap in zip(reversed(spectrum), info.gaps_for(len(spectrum))):
        if gap != 0:
            passive = lam * gap if passive is None else passive + lam * gap
    if passive is None:
        passive = 0.0
    count = len(spectrum)
    spread = thermal_above + float(levels.omega) if info.gaps is None else info.gaps[-1]
    # the rounding bounds are made only where a value came out negative (lazily)
    def erg_bound():
        return ergotropy_rounding_bound(count, above, passive, 0.0, ground)

    ergotropy = above - passive
    if pair is not None:
        ergotropy = pair.ergotropy
        exergy = clip_rounding(ergotropy + pair.excess, erg_bound)
    elif info.gaps is not None and eth is None:
        exergy = _exergy_columns(info, spectrum, beta, ergotropy, erg_bound, lambda: clip_rounding(
            above - thermal_above, lambda: exergy_rounding_bound(
                count, above, thermal_above, beta, S, spread, 0.0, ground)))
    else:
        exergy = clip_rounding(above - thermal_above, lambda: exergy_rounding_bound(
            count, above, thermal_above, beta, S, spread, 0.0, ground))
    eth_out = ground + thermal_above if ground != 0 else thermal_above
    ergotropy = clip_rounding(ergotropy, erg_bound)
    if info.two_level and d.get("diagonal"):
        # the structural zeros of the ball route (balls.ball_local_from_data): a qubit
        # diagonal in the energy basis with p_e < 1/2 is passive and the Gibbs state of
        # its entropy-matched beta, so ergotropy = exergy = 0 and E^th = E exactly
        passive_branch = _below_midpoint(levels, E)
        if passive_branch.any():
            ergotropy = np.where(passive_branch, 0.0, ergotropy)
            exergy = np.where(passive_branch, 0.0, exergy)
            eth_out = np.where(passive_branch, E, eth_out)
            thermal_above = np.where(passive_branch, above, thermal_above)
    out = {
        "E": E,
        "S": S,
        "beta": beta,
        "Eth": eth_out,
        "ergotropy": ergotropy,
        "exergy": exergy,
        "spectrum": spectrum,
        # E^th above the ground energy: its increments carry no rounding of the ground
        # energy (E^th - E^th(0) of a qubit leaving |e> was 0 at t = 1e-9: -1/2 + 1e-20)
        "thermal_above": thermal_above,
    }
    if pair is not None:
        out["exergy_size"] = pair.size
    return out


@dataclass(frozen=True)
class _OscillatorPair:
    beta: object
    thermal_above: object
    ergotropy: object  # E - Tr[pi H], before clipping its rounding
    excess: object  # Tr[pi H] - E^th = omega (lo - m) >= 0, to a few ulps
    size: object  # |operands| of E - E^th: its rounding is ~ eps size


def _oscillator_pair(omega, lo, above, diagonal):
    """An oscillator (float64) whose state has the two eigenvalues {1 - lo, lo}, lo <= 1/2
    (Python floats or numpy arrays alike): beta = ln(1 + 1/m)/omega, E^th - E_0 = omega m
    and E - E^th = ergotropy + omega (lo - m), m the thermal occupation of entropy h(lo),
    lo - m from :func:`~symthermo.thermal.oscillator_deficit` (without cancellation: it is
    O(lo^2 / ln(1/lo)) for a mode near its vacuum, below the rounding of m itself).

    ``diagonal``: the state is diagonal on Fock 0 and 1 (the model's structure); with
    <n> = above/omega < 1/2 it is then its own passive state, ergotropy exactly 0 (the
    ball route's structural zero, balls.ball_local_from_data) and E - E^th = omega (lo - m)
    exactly, so that a field leaving its vacuum keeps W and the exergy of size 1e-46.
    """
    # (called inside np.errstate(divide="ignore"): m = 0 gives beta = ln(1 + 1/0) = inf)
    delta = oscillator_deficit(FLOAT64, lo)
    m = lo - delta
    beta = np.log1p(1 / m) / omega
    excess = omega * delta
    passive = omega * lo
    ergotropy = above - passive
    size = np.abs(above) + passive
    if diagonal:
        zero = above < omega / 2
        ergotropy = np.where(zero, 0.0, ergotropy)
        size = np.where(zero, 0.0, size)
    return _OscillatorPair(beta, omega * m, ergotropy, excess, size + excess)


def _exergy_columns(info, spectrum, beta, ergotropy, erg_bound, fallback):
    """ergotropy + (Tr[pi H] - E^th) for all times, the second part without
    cancellation (:mod:`symthermo.passive_excess`, the per-row formula on arrays);
    ``fallback()`` (E - E^th) where beta is 0 or inf; ``erg_bound()`` the
    ergotropy's rounding bound (both made only when needed)."""
    if info.two_level:
        lo, hi = spectrum
        delta = two_level_excess(info.gaps[1], lo, hi)
        return clip_rounding(ergotropy + delta,
                             lambda: erg_bound() + 4 * FLOAT64.eps * np.abs(delta))
    ok = (beta > 0) & (beta < np.inf)
    if not ok.any():
        return fallback()
    excess = passive_excess(ARRAY, info.gaps, list(reversed(spectrum)), np.where(ok, beta, 1.0))
    value = clip_rounding(ergotropy + excess.delta, lambda: erg_bound() + excess.bound)
    return value if ok.all() else np.where(ok, value, fallback())


def _check_spectrum_floor(lowest):
    """A computed spectrum may dip below 0 by rounding (within the float64 tolerance)."""
    if lowest < -FLOAT64.tolerance:
        from ..errors import InternalStateError

        raise InternalStateError(f"a computed spectrum has the negative eigenvalue {lowest}")


def _zero(lib):
    return lib.zero


def _plain_matrices(hamiltonians):
    """Local Hamiltonians with SymPy Rational entries as lists of Fractions (for the
    cache of symthermo.compiled); others are kept as they are."""
    from fractions import Fraction

    out = {}
    for n, H in hamiltonians.items():
        if isinstance(H, sympy.MatrixBase) and all(v.is_Rational for v in H):
            out[n] = [[Fraction(int(H[i, j].p), int(H[i, j].q)) for j in range(H.cols)]
                      for i in range(H.rows)]
        else:
            out[n] = H
    return out


def _num(x):
    return x if not isinstance(x, sympy.Basic) else x


def _numeric_h(H, lib):
    if isinstance(H, Oscillator):
        if lib is EXACT:
            return H
        return Oscillator(_to_lib(lib, H.omega), _to_lib(lib, H.offset))
    return lib.as_matrix(H)


def _to_lib(lib, x):
    x = sympy.sympify(x)
    if lib is FLOAT64:
        return float(x)
    if lib is MPMATH:
        return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 5))
    if lib is not EXACT:
        return lib.number(x)
    return x


def _local_from_data(sub: Subsystem, d, lib):
    if lib is not EXACT and hasattr(lib, "sort"):
        from ..balls import ball_local_from_data  # lazy: loads SymPy, flint

        return ball_local_from_data(sub, d, lib)
    spectrum = sorted(d["spectrum"])
    if lib is FLOAT64 and spectrum and spectrum[0] < 0:
        _check_spectrum_floor(spectrum[0])
        spectrum = [max(x, 0.0) for x in spectrum]
    above = d["above"] if "above" in d else d["E"] - sub.ground  # (as _local_columns)
    # mpmath, two eigenvalues summing to 1: everything from the smaller, lo, alone.  The
    # larger, 1 - lo, rounds to 1 for lo below the working precision (a long decay), and
    # what it carries (the entropy's lo + O(lo^2), E^th - E_g = gap lo) would be lost at
    # every precision alike, so that two precisions agree on a wrong value
    from_lo = lib is MPMATH and len(spectrum) == 2
    # (float64 too: its entropy of two eigenvalues is binary_entropy, as in _local_columns)
    entropy = (binary_entropy(lib, spectrum[0]) if from_lo or (lib is FLOAT64
                                                                and len(spectrum) == 2)
               else entropy_of_spectrum(lib, spectrum))
    two_level = isinstance(sub.levels, Levels) and len(sub.levels.energies) == 2
    beta = d.get("beta")
    if beta is None:
        beta = (beta_for_entropy(lib, sub.levels, entropy) if from_lo and not two_level
                else _beta_of_spectrum(lib, sub.levels, spectrum))
    thermal_above = d.get("Eth")
    if thermal_above is None or (from_lo and two_level):
        thermal_above = _thermal_mean_of_spectrum(lib, sub.levels, spectrum, beta)
    else:
        thermal_above = thermal_above - sub.ground
    passive = passive_energy(lib, sub.levels, spectrum)
    ergotropy = definitions.ergotropy(above, passive)
    exergy = definitions.exergy(above, thermal_above)
    if (from_lo and isinstance(sub.levels, Oscillator) and d.get("beta") is None
            and d.get("Eth") is None and 0 < spectrum[0] < mpmath.mpf("1e-3")):
        # a mode near its vacuum: E^th trails the passive energy omega lo by omega
        # (lo - m) = O(lo^2), which m found from the entropy loses below the precision
        delta = oscillator_deficit(lib, spectrum[0])
        omega = sub.levels.omega
        m = spectrum[0] - delta
        beta, thermal_above = lib.log1p(1 / m) / omega, omega * m
        exergy = ergotropy + omega * delta  # E - E^th = (E - passive) + omega delta
    if from_lo:
        # both are >= 0; with E - E_g rounded (E = E_g + e^-174) and passive and E^th
        # above the ground exact, a negative value within E's rounding is that rounding
        floor = 8 * mpmath.eps * (abs(d["E"]) + abs(sub.ground))
        ergotropy, exergy = (x if x >= 0 or -x > floor else lib.zero
                             for x in (ergotropy, exergy))
    pair = None
    if (lib is FLOAT64 and isinstance(sub.levels, Oscillator) and len(spectrum) == 2
            and d.get("Eth") is None):
        # as the vectorised route: E^th, beta and E - E^th from lo without cancellation
        with np.errstate(divide="ignore"):
            pair = _oscillator_pair(float(sub.levels.omega), spectrum[0], above,
                                    bool(d.get("diagonal")))
        if d.get("beta") is None:
            beta = float(pair.beta)
        thermal_above = float(pair.thermal_above)
    if lib is FLOAT64:
        count = len(spectrum)
        ground = float(sub.ground)
        erg_bound = ergotropy_rounding_bound(count, above, passive, 0.0, ground)
        # ergotropy + (Tr[pi H] - E^th) without cancellation (passive_excess) where E^th
        # is the spectrum's, as the vectorised route (_local_columns)
        excess = (float_passive_excess(lib, sub.levels, spectrum, beta)
                  if d.get("Eth") is None and pair is None else None)
        if pair is not None:
            ergotropy = float(pair.ergotropy)
            exergy = clip_rounding(ergotropy + float(pair.excess), erg_bound)
        elif excess is not None:
            exergy = clip_rounding(ergotropy + excess.delta, excess.bound + erg_bound)
        else:
            exergy = clip_rounding(exergy, exergy_rounding_bound(
                count, above, thermal_above, beta, entropy, _spread(sub.levels, thermal_above),
                0.0, ground))
        ergotropy = clip_rounding(ergotropy, erg_bound)
    eth = sub.ground + thermal_above
    if (lib is FLOAT64 and d.get("diagonal") and isinstance(sub.levels, Levels)
            and sub.levels.is_qubit and _below_midpoint(sub.levels, d["E"])):
        # structural zeros, as on the ball route and the vectorised float64 route (mpmath
        # keeps its agreement check: two cancellations that agree are its only proof)
        ergotropy = exergy = lib.zero
        eth = d["E"]
    out = {
        "E": d["E"],
        "S": entropy,
        "beta": beta,
        "Eth": eth,
        "ergotropy": ergotropy,
        "exergy": exergy,
    }
    if lib is MPMATH or lib is FLOAT64:
        # E^th above the ground energy: its increments without the ground's rounding (a
        # qubit leaving |e> had Q_A = 0 at t = 1e-9 for 1e-22 per row, as on the columns)
        out["_Eth_above"] = thermal_above
    if from_lo:  # E - E^th without cancellation: W = Delta(E - E^th)
        out["_E_minus_Eth"] = exergy
    if pair is not None:  # W by the form with the smaller operands (_work_columns)
        out["_Eth_above"] = thermal_above
        out["_E_minus_Eth"] = exergy
        out["_exergy_size"] = float(pair.size)
    return out


def _float_heat_term(q0, qt, heat):
    """beta(0) [E^th(t) - E^th(0)] of one subsystem on a float64 row: with beta(0) = inf,
    a heat within the rounding of its difference of thermal energies above the ground
    counts as 0 (the columns' _difference_rounding), not one within an absolute 1e-10
    (JC per row printed finite sigma at t = 1e-9 where the certified route proves inf)."""
    beta = q0["beta"]
    if not math.isinf(beta) or "_Eth_above" not in qt or "_Eth_above" not in q0:
        return beta_times_heat(FLOAT64, beta, heat)
    noise = 8 * FLOAT64.eps * (abs(qt["_Eth_above"]) + abs(q0["_Eth_above"]))
    return 0.0 if abs(heat) <= noise else math.copysign(math.inf, heat)


def _via_exergy(q0, qt, d):
    """Whether W is taken as Delta(E - E^th): always on mpmath (from_lo), in float64
    where its operands are the smaller (:func:`_work_columns`)."""
    if "_exergy_size" not in qt:
        return True
    de = abs(d["dE"]) if "dE" in d else abs(qt["E"]) + abs(q0["E"])
    return (qt["_exergy_size"] + q0["_exergy_size"]
            < de + abs(qt["_Eth_above"]) + abs(q0["_Eth_above"]))


def _thermal_increment(q0, qt):
    """E^th(t) - E^th(0), as the difference of the thermal energies above the ground
    where known (mpmath): E^th(t) = E_g + e^-174 rounds to E_g, the difference does not."""
    if "_Eth_above" in q0 and "_Eth_above" in qt:
        return qt["_Eth_above"] - q0["_Eth_above"]
    return qt["Eth"] - q0["Eth"]


def _leak_check(sub, reduced, lib, name):
    """An oscillator truncated at n_max must hold no population at n_max."""
    if not isinstance(sub.levels, Oscillator):
        return
    n = lib.size(reduced)
    edge = lib.real(reduced[n - 1, n - 1])
    if edge > lib.tolerance:
        raise ValueError(f"Fock cutoff {n - 1} of {name} leaks population {edge}: raise the cutoff")


def _lambdified(forms: ClosedForms, lib):
    """A function t -> reduced data, from the closed forms, in ``lib``."""
    from ..balls import ball_lambdify  # lazy: loads SymPy, flint
    modules = "mpmath" if lib is MPMATH else ("numpy" if lib is FLOAT64 else "sympy")
    balls = lib not in (MPMATH, FLOAT64, EXACT)
    entries = []
    diagonal = [n for n, lf in forms.subsystems.items() if lf.diagonal]
    for n, lf in forms.subsystems.items():
        entries.append((n, "E", lf.energy))
        for k, lam in enumerate(lf.spectrum):
            entries.append((n, f"spectrum{k}", lam))
        if lf.beta is not None:
            entries.append((n, "beta", lf.beta))
        if lf.thermal_energy is not None:
            entries.append((n, "Eth", lf.thermal_energy))
    if forms.interaction_energy is not None:
        entries.append((None, "E_int", forms.interaction_energy))
    if forms.mutual_information is not None:
        entries.append((None, "I_AB", forms.mutual_information))
    for key, expr in forms.extras.items():
        entries.append((None, key, expr))
    T = time_symbol()
    compiled = []
    for owner, key, expr in entries:
        expr = sympy.sympify(expr)
        extra = expr.free_symbols - {T}
        if extra:
            raise ValueError(f"{key} still depends on {sorted(map(str, extra))}; give numeric values")
        if lib is EXACT:
            compiled.append((owner, key, lambda t, e=expr: e.subs(T, t)))
        elif balls:
            compiled.append((owner, key, ball_lambdify(T, expr)))
        else:
            compiled.append((owner, key, numpy_lambdify(T, expr) if lib is FLOAT64
                             else sympy.lambdify(T, expr, modules=modules)))

    def at(t):
        out = {n: {"spectrum": []} for n in forms.subsystems}
        for owner, key, fn in compiled:
            value = fn(t)
            if lib is MPMATH:
                value = mpmath.mpmathify(value)
                if isinstance(value, mpmath.mpc) and value.imag == 0:
                    value = value.real
            elif lib is FLOAT64:
                value = complex(value) if isinstance(value, complex) else float(value)
            elif balls:
                value = lib.real_value(value)
            if owner is None:
                out[key] = value
            elif key.startswith("spectrum"):
                out[owner]["spectrum"].append(value)
            else:
                out[owner][key] = value
        for n in diagonal:
            out[n]["diagonal"] = True
        return out

    return at

