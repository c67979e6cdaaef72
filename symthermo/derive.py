"""``symthermo derive``: every key of a model in closed form, from its reduced states.

The model supplies the reduced-state closed forms (energies and spectra);
the thermodynamic keys are built from them here with the same definitions
as everywhere else: S = -sum lambda ln lambda, beta from the spectrum
(closed form for two levels, implicit otherwise), E^th, Q = Delta E^th,
W = Delta E - Q (received convention), ergotropy from the passive state,
exergy = E - E^th, sigma_X = Delta S_X + beta_Y(0) Q_Y.

Where beta has no closed form (three levels, an oscillator), it appears as
an undefined function beta_X(t) fixed by S[w(beta_X(t))] = S_X(t), and the
output says so.
"""

from __future__ import annotations

import json

import sympy

from .models.base import T, entropy_expression
from .thermal import Oscillator

__all__ = ["derived_forms", "derive_output", "key_latex"]

_LATEX_KEYS = {
    "E": "E_{%s}(t)",
    "S": "S_{%s}(t)",
    "beta": r"\beta_{%s}(t)",
    "Eth": r"E^{\mathrm{th}}_{%s}(t)",
    "Q": "Q_{%s}(t)",
    "W": "W_{%s}(t)",
    "ergotropy": r"\mathcal{E}_{%s}(t)",
    "exergy": r"\Xi_{%s}(t)",
    "sigma": r"\sigma_{%s}(t)",
}


def key_latex(key):
    """The papers' notation for a key (``Eth_A`` -> E^{th}_A(t))."""
    if key == "E_int":
        return r"E_{\mathrm{int}}(t)"
    if key == "I_AB":
        return r"I_{AB}(t)"
    if "_" in key:
        head, sub = key.split("_", 1)
        if head in _LATEX_KEYS:
            return _LATEX_KEYS[head] % sub
        return r"\mathrm{%s}_{%s}(t)" % (head.replace("_", r"\_"), sub.replace("_", r"\_"))
    return r"\mathrm{%s}" % key


def _levels(h):
    if isinstance(h, Oscillator):
        return None
    M = sympy.Matrix(h)
    if not M.is_diagonal():
        raise ValueError("derive needs local Hamiltonians diagonal in the model's basis")
    return [M[i, i] for i in range(M.rows)]


def _passive_above_ground(h, spectrum, levels):
    descending = list(reversed(spectrum))
    if isinstance(h, Oscillator):
        return sum((lam * h.omega * k for k, lam in enumerate(descending)), sympy.Integer(0))
    ordered = sorted(levels, key=lambda e: sympy.N(e.subs({s: 1 for s in e.free_symbols}), 30))
    e0 = ordered[0]
    return sum((lam * (e - e0) for lam, e in zip(descending, ordered)), sympy.Integer(0))


def _thermal_energy(h, beta, levels):
    if isinstance(h, Oscillator):
        return h.offset + h.omega / (sympy.exp(beta * h.omega) - 1)
    weights = [sympy.exp(-beta * e) for e in levels]
    return sum((e * w for e, w in zip(levels, weights)), sympy.Integer(0)) / sum(weights)


def derived_forms(model, given=()):
    """(params, ordered dict key -> SymPy expression, notes) for a model."""
    p = model.params(given)
    forms = model.closed_forms(p)
    out, notes, at_zero = {}, dict(forms.notes), {}
    for name in model.subsystems:
        lf = forms.subsystems[name]
        h = lf.hamiltonian
        levels = _levels(h)
        ground = h.offset if isinstance(h, Oscillator) else min(
            levels, key=lambda e: sympy.N(e.subs({s: 1 for s in e.free_symbols}), 30))
        spectrum = list(lf.spectrum)
        spectrum0 = [sympy.simplify(x.subs(T, 0)) for x in spectrum]
        beta = lf.beta
        if beta is None:
            beta = sympy.Function(f"beta_{name}")(T)
            notes[f"beta_{name}"] = (f"implicit: S[w(beta_{name}(t))] = S_{name}(t); "
                                     "solved numerically by `reference`")
            beta0 = sympy.Symbol(f"beta_{name}0", positive=True)
        else:
            beta0 = _at_zero(beta, pure=any(x.is_zero for x in spectrum0))
        eth = lf.thermal_energy
        if eth is None:
            eth = _thermal_energy(h, beta, levels)
            eth0 = _thermal_energy(h, beta0, levels) if beta0 != sympy.oo else ground
        else:
            eth0 = _at_zero(eth)
        out[f"E_{name}"] = lf.energy
        out[f"S_{name}"] = entropy_expression(spectrum)
        out[f"beta_{name}"] = beta
        out[f"Eth_{name}"] = eth
        q = eth - eth0
        out[f"Q_{name}"] = q
        out[f"W_{name}"] = lf.energy - lf.energy.subs(T, 0) - q
        out[f"ergotropy_{name}"] = lf.energy - ground - _passive_above_ground(h, spectrum, levels)
        out[f"exergy_{name}"] = lf.energy - eth
        at_zero[name] = (entropy_expression(spectrum0), beta0)
    if len(model.subsystems) > 1:
        if forms.interaction_energy is not None:
            out["E_int"] = forms.interaction_energy
        if forms.mutual_information is not None:
            out["I_AB"] = forms.mutual_information
        if model.unitary:
            for name in model.subsystems:
                total = out[f"S_{name}"] - at_zero[name][0]
                for other in model.subsystems:
                    if other != name:
                        total += _beta_times_heat(at_zero[other][1], out[f"Q_{other}"])
                out[f"sigma_{name}"] = total
    for key, expr in forms.extras.items():
        out[key] = expr
    return p, out, notes


def _at_zero(expr, *, pure=False):
    """expr at t = 0; a beta that meets ln(1/0) there belongs to a pure state: oo."""
    value = expr.subs(T, 0)
    if value.has(sympy.nan, sympy.zoo):
        value = sympy.oo if pure else sympy.limit(expr, T, 0, "+")
    return value


def _beta_times_heat(beta0, heat):
    """beta(0) Q, with a pure initial state (beta(0) = oo) giving oo where Q > 0 and 0 where Q = 0."""
    if beta0 == sympy.oo:
        return sympy.Piecewise((0, sympy.Eq(heat, 0)), (sympy.oo, True))
    return beta0 * heat


def _symbol_names(model):
    names = {}
    for prm in model.parameters:
        if prm.latex and not prm.choices:
            names[prm.symbol] = prm.latex
    return names


def derive_output(model, given, fmt):
    """Text, LaTeX or JSON of :func:`derived_forms`."""
    p, forms, notes = derived_forms(model, given)
    names = _symbol_names(model)
    header_params = ", ".join(f"{k}={v}" for k, v in p.items())
    if fmt == "json":
        payload = {
            "model": model.name,
            "params": {k: str(v) for k, v in p.items()},
            "convention": "received",
            "units": "hbar = k_B = 1",
            "forms": {k: {"sympy": sympy.sstr(v), "latex": sympy.latex(v, symbol_names=names)}
                      for k, v in forms.items()},
            "notes": notes,
        }
        return json.dumps(payload, indent=1) + "\n"
    if fmt == "latex":
        lines = [f"% symthermo derive {model.name} ({model.source}); received convention; "
                 f"hbar = k_B = 1",
                 f"% parameters: {header_params}",
                 r"\begin{align*}"]
        body = [f"{key_latex(k)} &= {sympy.latex(v, symbol_names=names)}" for k, v in forms.items()]
        lines.append(" \\\\\n".join(body))
        lines.append(r"\end{align*}")
        for k, v in notes.items():
            lines.append(f"% {k}: {v}")
        return "\n".join(lines) + "\n"
    if fmt == "text":
        lines = [f"# {model.name} ({model.source}); received convention; hbar = k_B = 1",
                 f"# parameters: {header_params}"]
        lines += [f"{k} = {sympy.sstr(v)}" for k, v in forms.items()]
        lines += [f"# {k}: {v}" for k, v in notes.items()]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
