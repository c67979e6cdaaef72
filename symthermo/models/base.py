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
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import sympy

from .. import definitions
from ..entropy import entropy_of_spectrum
from ..heat_work import check_convention, heat, work
from ..local import LOCAL_KEYS, Subsystem, beta_times_heat
from ..numbers import EXACT, FLOAT64, MPMATH
from ..thermal import Oscillator, _beta_of_spectrum, _thermal_moments
from ..ergotropy import passive_energy

__all__ = [
    "T",
    "Parameter",
    "LocalForms",
    "ClosedForms",
    "Dynamics",
    "Model",
    "parse_parameters",
    "entropy_expression",
]

#: the time symbol of every closed form
T = sympy.Symbol("t", nonnegative=True)


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

    Numeric values become exact SymPy numbers ("1.63" -> 163/100); a value
    may be an expression in the other parameters ("0.8*lam").
    """
    known = {p.name: p for p in model.parameters}
    values = {}
    items = given.items() if isinstance(given, dict) else [_split(g) for g in given]
    for name, value in items:
        if name not in known:
            raise ValueError(f"unknown parameter {name!r} for model {model.name}; "
                             f"known: {', '.join(known)}")
        values[name] = value
    out = {}
    for name, p in known.items():
        raw = values.get(name, p.default)
        out[name] = _value(p, raw, known, values)
    # a value given as an expression in other parameters ("kappa=0.8*lam") takes their values
    given_values = {known[n].symbol: v for n, v in out.items()
                    if not known[n].choices and v != known[n].symbol}
    for _ in range(len(known)):
        changed = False
        for name, v in out.items():
            if isinstance(v, sympy.Basic) and v.free_symbols & set(given_values):
                out[name] = v.subs(given_values)
                changed = True
        if not changed:
            break
    return out


def _split(text):
    if "=" not in text:
        raise ValueError(f"parameter must be NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    return name.strip(), value.strip()


def _value(p, raw, known, values):
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
    local = {n: q.symbol for n, q in known.items() if not q.choices}
    try:
        expr = sympy.sympify(text, locals=local, rational=True)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError):
        raise ValueError(f"{p.name}: not a number or expression: {text!r}") from None
    if not isinstance(expr, sympy.Expr):
        raise ValueError(f"{p.name}: not a number or expression: {text!r}")
    unknown = {str(s) for s in expr.free_symbols} - set(local)
    if unknown:
        raise ValueError(f"{p.name}: unknown name(s) {', '.join(sorted(unknown))} in {text!r}")
    if expr.is_number and (expr.is_real is False or expr.is_negative):
        raise ValueError(f"{p.name} must be a non-negative real number, got {text!r}")
    return expr


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

    def evaluate(self, p, times, *, lib, convention="received"):
        """Rows of the closed-form route (raw numbers in ``lib``)."""
        check_convention(convention)
        self.numeric_params(p)
        data0 = self.reduced_data(p, [_zero(lib)], lib=lib)[0]
        data = self.reduced_data(p, times, lib=lib)
        locals_ = self._local_systems(p, lib)
        return [self._finish(locals_, data0, d, t, lib, convention) for t, d in zip(times, data)]

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
        rows = trajectory_rows(subs, dyn.dims, H, V, rho0, times, lib=lib, lindblad=lindblad,
                               convention=convention,
                               leak_check=lambda n, r: _leak_check(subs[n], r, lib, n))
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
        forms_h = self.local_hamiltonians(p)
        return {n: Subsystem.of(_numeric_h(forms_h[n], lib), lib) for n in self.subsystems}

    def local_hamiltonians(self, p):
        return {n: lf.hamiltonian for n, lf in self.closed_forms(p).subsystems.items()}

    def _finish(self, locals_, data0, data, t, lib, convention):
        row = {"t": t}
        # the t = 0 quantities are computed once per evaluation and kept in data0
        q0 = data0.get("_q0")
        if q0 is None:
            q0 = data0["_q0"] = {n: _local_from_data(locals_[n], data0[n], lib)
                                 for n in self.subsystems}
        qt = {}
        for n in self.subsystems:
            qt[n] = _local_from_data(locals_[n], data[n], lib)
            for key in LOCAL_KEYS:
                row[f"{key}_{n}"] = qt[n][key]
            row[f"Q_{n}"] = heat(q0[n]["Eth"], qt[n]["Eth"], convention=convention)
            row[f"W_{n}"] = work(q0[n]["E"], qt[n]["E"], q0[n]["Eth"], qt[n]["Eth"],
                                 convention=convention)
        if len(self.subsystems) > 1:
            row["E_int"] = data["E_int"]
            row["I_AB"] = data["I_AB"]
            if self.unitary:
                for n in self.subsystems:
                    row[f"sigma_{n}"] = qt[n]["S"] - q0[n]["S"] + sum(
                        (beta_times_heat(lib, q0[m]["beta"], qt[m]["Eth"] - q0[m]["Eth"])
                         for m in self.subsystems if m != n), lib.zero)
        for key in self.extra_keys:
            row[key] = data[key] if key in data else self.extra_from_finished(key, row, q0, qt, lib)
        return row

    def extra_from_finished(self, key, row, q0, qt, lib):
        raise KeyError(f"model {self.name} does not provide extra key {key}")


def _zero(lib):
    return lib.zero


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
    return x


def _local_from_data(sub: Subsystem, d, lib):
    spectrum = sorted(d["spectrum"])
    above = d["E"] - sub.ground
    beta = d.get("beta")
    if beta is None:
        beta = _beta_of_spectrum(lib, sub.levels, spectrum)
    thermal_above = d.get("Eth")
    if thermal_above is None:
        thermal_above, _, _ = _thermal_moments(lib, sub.levels, beta)
    else:
        thermal_above = thermal_above - sub.ground
    passive = passive_energy(lib, sub.levels, spectrum)
    return {
        "E": d["E"],
        "S": entropy_of_spectrum(lib, spectrum),
        "beta": beta,
        "Eth": sub.ground + thermal_above,
        "ergotropy": definitions.ergotropy(above, passive),
        "exergy": definitions.exergy(above, thermal_above),
    }


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
    modules = "mpmath" if lib is MPMATH else ("numpy" if lib is FLOAT64 else "sympy")
    entries = []
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
    compiled = []
    for owner, key, expr in entries:
        expr = sympy.sympify(expr)
        extra = expr.free_symbols - {T}
        if extra:
            raise ValueError(f"{key} still depends on {sorted(map(str, extra))}; give numeric values")
        if lib is EXACT:
            compiled.append((owner, key, lambda t, e=expr: e.subs(T, t)))
        else:
            compiled.append((owner, key, sympy.lambdify(T, expr, modules=modules)))

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
            if owner is None:
                out[key] = value
            elif key.startswith("spectrum"):
                out[owner]["spectrum"].append(value)
            else:
                out[owner][key] = value
        return out

    return at

