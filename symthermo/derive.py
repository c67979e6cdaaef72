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
from dataclasses import dataclass

import sympy

from .heat_work import check_convention, sign
from .linebreak import LINE_WIDTH, align_rows, tex_width
from .models.base import T, _split, entropy_expression
from .notation import latex as paper_latex, symbol_latex
from .precision import precision_held  # SymPy's simplify and evalf set mpmath's precision
from .levels import Oscillator

__all__ = ["Derivation", "derive", "derived_forms", "derive_output", "key_latex", "short_derived", "symbolic_given", "tidy",
           "latex_rows"]

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


#: keys whose notation is not head_subsystem
_SPECIAL_KEYS = {
    "sigma_erg_A": r"\sigma^{\mathrm{erg}}_{A}(t)",
    "W_A_semiclassical": r"W^{\mathrm{sc}}_{A}(t)",
    "E_int_semiclassical": r"E^{\mathrm{sc}}_{\mathrm{int}}(t)",
    "W_st": r"W^{\mathrm{st}}(t)",
    "Q_standard": r"Q^{\mathrm{st}}_{A}(t)",
    "neglected_weight": r"w_{\mathrm{neglected}}",
    "manifolds": r"N_{\mathrm{manifolds}}",
    "cop": r"\eta(t)",
    "carnot": r"\eta_{\mathrm{C}}",
}


def key_latex(key):
    r"""The papers' notation for a key (``Eth_A`` -> E^{th}_A(t)).

    >>> from symthermo.derive import key_latex
    >>> print(key_latex("Eth_A"), key_latex("carnot"))
    E^{\mathrm{th}}_{A}(t) \eta_{\mathrm{C}}
    """
    if key in _SPECIAL_KEYS:
        return _SPECIAL_KEYS[key]
    if key == "E_int":
        return r"E_{\mathrm{int}}(t)"
    if key == "I_AB":
        return r"I_{AB}(t)"
    if "_" in key:
        head, sub = key.split("_", 1)
        if "_" in sub or len(sub) > 2:
            sub = r"\mathrm{%s}" % sub.replace("_", r"\_")
        if head in _LATEX_KEYS:
            return _LATEX_KEYS[head] % sub
        if head in ("z", "r", "P"):
            return r"%s_{%s}(t)" % (head, sub)
        return r"\mathrm{%s\_%s}" % (head, sub.replace("\\mathrm{", "").rstrip("}").replace("_", r"\_"))
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


@precision_held()
def derived_forms(model, given=()):
    """(params, ordered dict key -> SymPy expression, notes) for a model."""
    p = model.params(given)
    forms = model.closed_forms(p)
    out, notes = _keys_from_forms(model, forms)
    return p, out, notes


def _keys_from_forms(model, forms, *, at_zero=None, beta0=None):
    """Every key from a model's reduced-state data (raw or through intermediates).

    ``at_zero`` maps f(0) of time-dependent intermediates to their values;
    ``beta0`` gives beta_X(0) where the caller knows it in closed form.
    """
    zero = at_zero or {}
    beta0 = beta0 or {}

    def at0(expr):
        return expr.subs(T, 0).xreplace(zero) if zero else expr.subs(T, 0)

    out, notes, initial = {}, dict(forms.notes), {}
    for name in model.subsystems:
        lf = forms.subsystems[name]
        h = lf.hamiltonian
        levels = _levels(h)
        ground = h.offset if isinstance(h, Oscillator) else min(
            levels, key=lambda e: sympy.N(e.subs({s: 1 for s in e.free_symbols}), 30))
        spectrum = list(lf.spectrum)
        spectrum0 = [sympy.simplify(at0(x)) for x in spectrum]
        beta = lf.beta
        if beta is None:
            beta = sympy.Function(f"beta_{name}")(T)
            notes[f"beta_{name}"] = (f"implicit: S[w(beta_{name}(t))] = S_{name}(t); "
                                     "solved numerically by `reference`")
            b0 = beta0.get(name, sympy.Symbol(f"beta_{name}0", positive=True))
        elif name in beta0:
            b0 = beta0[name]
        else:
            b0 = _at_zero(beta, pure=any(x.is_zero for x in spectrum0))
        eth = lf.thermal_energy
        if eth is None:
            eth = _thermal_energy(h, beta, levels)
            eth0 = _thermal_energy(h, b0, levels) if b0 != sympy.oo else ground
        else:
            eth0 = at0(eth) if zero else _at_zero(eth)
        out[f"E_{name}"] = lf.energy
        out[f"S_{name}"] = entropy_expression(spectrum)
        out[f"beta_{name}"] = beta
        out[f"Eth_{name}"] = eth
        q = eth - eth0
        out[f"Q_{name}"] = q
        out[f"W_{name}"] = lf.energy - at0(lf.energy) - q
        out[f"ergotropy_{name}"] = lf.energy - ground - _passive_above_ground(h, spectrum, levels)
        out[f"exergy_{name}"] = lf.energy - eth
        initial[name] = (entropy_expression(spectrum0), b0)
    if len(model.subsystems) > 1:
        if forms.interaction_energy is not None:
            out["E_int"] = forms.interaction_energy
        if forms.mutual_information is not None:
            out["I_AB"] = forms.mutual_information
        if model.unitary:
            for name in model.subsystems:
                total = out[f"S_{name}"] - initial[name][0]
                for other in model.subsystems:
                    if other != name:
                        total += _beta_times_heat(initial[other][1], out[f"Q_{other}"])
                out[f"sigma_{name}"] = total
    for key, expr in forms.extras.items():
        out[key] = expr
    return out, notes


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
            names[prm.symbol] = symbol_latex(prm.name)
    return names


@precision_held()
def symbolic_given(model, given=()):
    """``given`` (NAME=VALUE strings or a dict) with every other numeric parameter a symbol."""
    items = dict(given) if isinstance(given, dict) else dict(_split(g) for g in given)
    for prm in model.parameters:
        if not prm.choices:
            items.setdefault(prm.name, "symbol")
    return items


def _signed_keys(forms, convention):
    """Q and W keys negated for the provided convention (nothing else changes)."""
    if sign(convention) == 1:
        return dict(forms)
    return {k: (-v if k.startswith(("Q_", "W_")) else v) for k, v in forms.items()}


@precision_held()
def tidy(expr):
    """The shortest of a few SymPy rewritings of ``expr`` (by estimated printed width).

    Piecewise expressions are folded and each case tidied on its own.

    >>> import sympy
    >>> from symthermo.derive import tidy
    >>> x = sympy.Symbol("x")
    >>> e = sympy.Piecewise((x / 2 - x / 4, x < 1), (x, True))
    >>> tidy(e)
    Piecewise((x/4, x < 1), (x, True))
    """
    expr = sympy.sympify(expr)
    if expr.has(sympy.Piecewise):
        folded = sympy.piecewise_fold(expr)
        if isinstance(folded, sympy.Piecewise):
            return sympy.Piecewise(*[(_infinite(e) or tidy(e), c) for e, c in folded.args],
                                   evaluate=False)
        expr = folded
    candidates = [expr, sympy.factor_terms(expr)]
    if isinstance(expr, sympy.Mul):  # c (a + b) -> c a + c b, a sum that can break
        sums = [f for f in expr.args if isinstance(f, sympy.Add)]
        if len(sums) == 1:
            rest = expr / sums[0]
            candidates.append(sympy.Add(*[rest * a for a in sums[0].args]))
    if sympy.count_ops(expr) <= 40:  # simplify is slow on long sums, and rarely shorter
        candidates.append(sympy.factor_terms(sympy.simplify(expr)))
    if expr.is_Add:
        candidates.append(sympy.factor_terms(sympy.collect(sympy.expand(expr), _atoms(expr))))
        inner = sympy.Add(*[sympy.bottom_up(a, _factor_sum) for a in expr.args])
        candidates.append(inner)
    return min(candidates, key=lambda e: (_display_width(e), sympy.count_ops(e)))


def _infinite(e):
    """oo for a sum of oo and finite real terms (beta(0) = oo times a heat), else None."""
    if e.has(sympy.oo) and not isinstance(e, sympy.Add):
        e = sympy.expand_mul(e)
    if isinstance(e, sympy.Add) and sympy.oo in e.args:
        rest = sympy.Add(*[a for a in e.args if a != sympy.oo])
        if not rest.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
            return sympy.oo
    return None


def _factor_sum(e):
    return sympy.factor_terms(e) if e.is_Add else e


def _display_width(expr):
    """Width a form needs: its own if it fits a line, else a sum breaks between its
    terms and anything else (a fraction) is heavily penalised."""
    total = tex_width(paper_latex(expr))
    if total <= LINE_WIDTH:
        return total
    if isinstance(expr, sympy.Add):
        widths = [tex_width(paper_latex(t)) for t in expr.args]
        return LINE_WIDTH + max(widths) + 0.1 * total
    return 1000 + total


def _atoms(expr):
    return sorted(expr.atoms(sympy.Symbol, sympy.core.function.AppliedUndef), key=str)


@precision_held()
def short_derived(model, given=()):
    """(params, intermediates, short forms, notes) of a model.

    ``intermediates`` is a list of (symbol, definition) in order of
    definition; each short form uses the parameters, t and the
    intermediates, and :func:`symthermo.short_forms.expand_intermediates`
    turns it back into the raw form of :func:`derived_forms`.  A model with
    no short-form module gets its raw forms, tidied.
    """
    key = (model.name, tuple(sorted((k, str(v)) for k, v in
                                    (given.items() if isinstance(given, dict) else
                                     (_split(g) for g in given)))))
    if key not in _SHORT_CACHE:
        _SHORT_CACHE[key] = _short_derived(model, given)
    p, inters, shown, notes = _SHORT_CACHE[key]
    return p, list(inters), dict(shown), dict(notes)


#: (model name, given) -> short_derived result: tidying takes seconds, a model's
#: forms do not change within a process
_SHORT_CACHE = {}


def _short_derived(model, given):
    from .short_forms import short_forms

    p = model.params(given)
    sf = short_forms(model, p)
    if sf is None:
        _, raw, notes = derived_forms(model, given)
        return p, [], {k: tidy(v) for k, v in raw.items()}, notes
    keys, notes = _keys_from_forms(model, sf.forms, at_zero=sf.zero_values(), beta0=sf.beta0)
    notes = {**dict(model.closed_forms(p).notes), **notes}
    keys.update(sf.overrides)
    for key, expr in keys.items():
        for old, new in sf.rewrite.items():
            expr = expr.subs(old, new)
        keys[key] = expr
    inters = [(i.symbol, tidy(i.definition)) for i in sf.intermediates]
    return p, inters, {k: tidy(v) for k, v in keys.items()}, notes


def _is_name_of(expr, key, inters):
    """True when the key's form is just an intermediate's symbol or beta_X(t) itself."""
    if isinstance(expr, sympy.core.function.AppliedUndef):
        return True
    return any(expr == s for s, _ in inters)


def _lhs(symbol):
    return paper_latex(symbol)


@precision_held()
def derive_output(model, given, fmt, *, convention="received"):
    """Text, LaTeX or JSON of a model's closed forms.

    Every numeric parameter not in ``given`` stays a symbol.  LaTeX and the
    ``short`` entries of JSON show the forms through the model's named
    intermediates; text and JSON's ``sympy`` entries are the raw derivation.
    Q and W are in ``convention``.
    """
    check_convention(convention)
    given = symbolic_given(model, given)
    p, raw, notes = derived_forms(model, given)
    raw = _signed_keys(raw, convention)
    names = _symbol_names(model)
    fixed = [f"{k}={v}" for k, v in p.items()
             if not (isinstance(v, sympy.Symbol) and v.name == k)]
    header_params = ", ".join(fixed) if fixed else "none (every parameter a symbol)"
    if fmt == "text":
        lines = [f"# {model.name} ({model.source}); {convention} convention; hbar = k_B = 1",
                 f"# parameters given: {header_params}"]
        lines += [f"{k} = {sympy.sstr(v)}" for k, v in raw.items()]
        lines += [f"# {k}: {v}" for k, v in notes.items()]
        return "\n".join(lines) + "\n"
    _, inters, short, snotes = short_derived(model, given)
    short = _signed_keys(short, convention)
    if fmt == "json":
        payload = {
            "model": model.name,
            "params": {k: str(v) for k, v in p.items()},
            "convention": convention,
            "units": "hbar = k_B = 1",
            "forms": {k: {"sympy": sympy.sstr(v), "latex": paper_latex(v, symbol_names=names),
                          "short": paper_latex(short[k], symbol_names=names)}
                      for k, v in raw.items()},
            "intermediates": [{"name": sympy.sstr(s), "latex": _lhs(s),
                               "sympy": sympy.sstr(d), "definition": paper_latex(d, symbol_names=names)}
                              for s, d in inters],
            "notes": notes,
        }
        return json.dumps(payload, indent=1) + "\n"
    if fmt == "latex":
        return latex_document_body(model, inters, short, {**notes, **snotes}, convention,
                                   header_params, names)
    raise ValueError(f"unknown format {fmt!r}")


def _shown_keys(inters, short):
    return [k for k, e in short.items() if not _is_name_of(e, k, inters)]


def latex_rows(inters, short, names=None):
    """(intermediate rows, key rows): (LHS LaTeX, expression) pairs to display."""
    lat = (lambda e: paper_latex(e, symbol_names=names or {}))
    first = [(_lhs(s), d) for s, d in inters]
    rows = []
    for key, expr in short.items():
        if _is_name_of(expr, key, inters):
            continue
        rows.append((key_latex(key), expr))
    return first, rows, lat


def latex_document_body(model, inters, short, notes, convention, header_params, names):
    """The ``--format latex`` text: comments, then one ``align*`` of intermediates, one of keys."""
    first, rows, lat = latex_rows(inters, short, names)
    lines = [f"% symthermo derive {model.name} ({model.source}); {convention} convention "
             f"(Q and W {'received' if convention == 'received' else 'provided'} by each "
             "subsystem); hbar = k_B = 1",
             f"% parameters given: {header_params}",
             "% needs amsmath"]
    if first:
        lines.append("% intermediates:")
        lines.append(r"\begin{align*}")
        lines.append(" \\\\\n".join(align_rows(first, latex=lat)))
        lines.append(r"\end{align*}")
    # one align* per subsystem and one for the joint keys: blocks a page can hold
    groups = {}
    for (lhs, expr), key in zip(rows, _shown_keys(inters, short)):
        group = key.rsplit("_", 1)[-1] if key.rsplit("_", 1)[-1] in model.subsystems else ""
        groups.setdefault(group, []).append((lhs, expr))
    for group in list(model.subsystems) + [""]:
        if group not in groups:
            continue
        lines.append(f"% {'subsystem ' + group if group else 'joint and model keys'}:")
        lines.append(r"\begin{align*}")
        lines.append(" \\\\\n".join(align_rows(groups[group], latex=lat)))
        lines.append(r"\end{align*}")
    for k, v in notes.items():
        lines.append(f"% {k}: {' '.join(str(v).split())}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Derivation:
    """A model's closed forms through its named intermediates; shows as LaTeX in Jupyter.

    >>> from symthermo.derive import derive
    >>> d = derive("spontaneous-emission")
    >>> [str(s) for s, _ in d.intermediates]
    ['P_e(t)', 'tau']
    >>> d._repr_latex_().startswith("$$\\\\begin{aligned}")
    True
    """

    model: str
    params: dict
    intermediates: list
    forms: dict
    notes: dict
    convention: str = "received"

    def latex_rows(self):
        """``aligned`` body lines: the intermediates, then every key."""
        from .models import get_model

        names = _symbol_names(get_model(self.model))
        first, rows, lat = latex_rows(self.intermediates, self.forms, names)
        return align_rows(first, latex=lat) + align_rows(rows, latex=lat)

    def _repr_latex_(self):
        return "$$\\begin{aligned}\n" + " \\\\\n".join(self.latex_rows()) + "\n\\end{aligned}$$"


@precision_held()
def derive(model, params=(), *, convention="received"):
    """:class:`Derivation` of ``model`` (a name or a model), every parameter not in
    ``params`` (NAME=VALUE strings or a dict) a symbol; Q and W in ``convention``."""
    from .models import get_model

    check_convention(convention)
    m = get_model(model) if isinstance(model, str) else model
    p, inters, short, notes = short_derived(m, symbolic_given(m, params))
    return Derivation(model=m.name, params=p, intermediates=inters,
                      forms=_signed_keys(short, convention), notes=notes, convention=convention)
