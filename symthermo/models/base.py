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
beta solved by :func:`~symthermo.thermal_arrays.beta_for_entropy_array`, 0 * inf = 0
in sigma: :mod:`symthermo.models.float64_columns`) and returns
:class:`~symthermo.models.float64_columns.ColumnRows`, which behaves as the
list of row dicts; the per-row route finishes each subsystem by
:mod:`symthermo.models.local_rows`.  Compiled closed forms and constants are
cached per parameter set: in memory, and, when the parameters are plain numbers
(:class:`~symthermo.compiled.NumericParams`), on disk across processes by
:mod:`symthermo.compiled`, so that such a run needs no SymPy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from ..lazy import lazy_import
from ..exact_numbers import to_sympy
from ..expressions import parse_expression
from ..heat_work import check_convention, heat, sign, work
from ..local import LOCAL_KEYS, Subsystem, beta_times_heat
from ..numbers import EXACT, FLOAT64, MPMATH, numpy_lambdify
from ..precision import precision_held
from ..levels import Levels
from ..compiled import NumericParams, cached
from .float64_columns import (_F64, ColumnRows, _LocalInfo, _column, _difference_rounding,
                              _local_columns, _thermal_qubit_columns, _work_columns,
                              beta_times_heat_columns)
from .local_rows import (_float_heat_term, _leak_check, _local_from_data, _num, _numeric_h,
                         _thermal_increment, _via_exergy)

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = [
    "T",
    "Parameter",
    "LocalForms",
    "ClosedForms",
    "Dynamics",
    "Model",
    "parse_parameters",
    "entropy_expression",
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
    #: E^th_X(t) - E^th_X(0) in a closed form without its cancellation (a decay's heat
    #: long after the thermal energy has reached the ground's), if the model gives one
    thermal_increment: sympy.Expr = None


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
    #: rho(0) is built as the tensor product of the subsystems' states (by construction:
    #: I_AB(0) = 0 exactly, also where no exact dynamics proves it)
    product_initial: bool = False


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

    def unused_parameters(self, p):
        """Names of parameters that the parameter set ``p`` does not use (a choice makes
        them irrelevant): their values set no scale, such as float64's time limit
        (:func:`symthermo.tables.time_values`).  None by default."""
        return ()

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
        if lib not in (MPMATH, EXACT):  # balls, float64: structural zeros proven exactly
            from ..ledger import exact_structure

            try:
                ex = self.dynamics(p, lib=EXACT)
            except (ValueError, NotImplementedError):  # no exact dynamics: no structure
                ex = None
            if ex is not None:
                structure = dict(zip(("product_initial", "coupling_conserved"), exact_structure(
                    ex.hamiltonian, ex.coupling, ex.initial_state, ex.dims,
                    unitary=not ex.lindblad, lindblad=ex.lindblad)))
        if dyn.product_initial:
            structure["product_initial"] = True
        rows = trajectory_rows(subs, dyn.dims, H, V, rho0, times, lib=lib, lindblad=lindblad,
                               convention=convention,
                               leak_check=lambda n, r, t: _leak_check(subs[n], r, lib, n),
                               **structure)
        unearned = _propagated_unearned(rows, dyn, H, V, lindblad, structure) \
            if lib is FLOAT64 else []
        extras = self.propagated_extras(p, rows, lib=lib)
        out = PropagatedRows()
        for row, extra in zip(rows, extras):
            row = {k: v for k, v in row.items() if not k.startswith("_")}
            if "I_tot" in row:
                row["I_AB"] = row.pop("I_tot")
            row.update(extra)
            out.append(row)
        out.unearned = unearned
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
            from ..ball_finishing import ball_beta_times_heat, ball_work  # lazy: loads SymPy, flint
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
            elif balls and "dE" in data[n] and _thermal_at_both(lib, q0[n], qt[n]):
                # E^th = E at both times (the ball finishing's exergy is an exact 0 only
                # there): Q = E(t) - E(0) in the model's closed form, an exact 0 for a
                # qubit at rest in |g> (not two balls of -omega/2)
                d_eth = data[n]["dE"]
            row[f"Q_{n}"] = heat(lib.zero, d_eth, convention=convention)
            heats[n] = d_eth
            if balls:
                row[f"W_{n}"] = ball_work(lib, q0[n], qt[n], convention, data[n].get("dE"),
                                          d_eth)
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
                    # (S(t) - S(0) as the model gives it: an exact 0 for a constant spectrum)
                    d_s = data[n]["dS"] if "dS" in data[n] else qt[n]["S"] - q0[n]["S"]
                    row[f"sigma_{n}"] = lib.zero if at_start else d_s + sum(
                        (_float_heat_term(q0[m], qt[m], heats[m]) if lib is FLOAT64 else
                         times_heat(lib, q0[m]["beta"], heats[m])
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
        return self._in_memory(tag, p, held)

    def _in_memory(self, tag, p, make):
        """``make()`` once per parameter set (and ``tag``), kept in this process only
        (objects that the disk cache of plain data cannot hold)."""
        current = self.__dict__.get("_current_params")
        key = current[1] if current is not None and current[0] is p else params_key(p)
        return self._cached((tag,) + key, make)

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


def _thermal_at_both(lib, q0, qt):
    """Whether the ball finishing proved E^th = E at both times (exergy an exact 0: it
    then took E^th as E itself); columns of balls: only where every time did."""
    from ..ball_conversion import is_ball

    def zero(x):
        return is_ball(x) and not hasattr(x, "values") and lib.is_exact_zero(x)

    return zero(q0["exergy"]) and zero(qt["exergy"])


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


def _lambdified(forms: ClosedForms, lib):
    """A function t -> reduced data, from the closed forms, in ``lib``."""
    from ..sympy_to_balls import ball_lambdify  # lazy: loads SymPy, flint
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
        if lf.thermal_increment is not None:
            entries.append((n, "dEth", lf.thermal_increment))
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


class PropagatedRows(list):
    """The rows of :meth:`Model.propagate`; ``unearned`` (float64): the indices of the
    rows whose values the error estimate cannot vouch for to the contract's digits
    (``symthermo reference --method propagator --float64`` recomputes them on balls)."""

    unearned = ()


def _propagated_unearned(rows, dyn, H, V, lindblad, structure):
    """The float64 propagated rows whose a-posteriori error estimate
    (:func:`~symthermo.ledger_fallback.row_errors`, the float64 ledger's) exceeds the
    contract's share of some value: the entropy of a state within rounding of pure,
    a heat of 1e-22 at t = 1e-9 computed as a difference of energies of size 1."""
    from ..ledger_fallback import generator_norm, row_errors, unearned

    row_errors(rows, dims=dyn.dims, norm=generator_norm(H, lindblad), V=V,
               conserved=structure.get("coupling_conserved", False), unitary=not lindblad)
    return [i for i, r in enumerate(rows) if unearned(r, r["_internal"]["errors"])]

