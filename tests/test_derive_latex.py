"""``symthermo derive --format latex``: symbolic, short, true and printable.

- the short forms, intermediates substituted back, equal the raw derivation
  at random points to 30 digits (an independent writing checked against the
  derivation);
- every emitted right-hand side parses back (SymPy's LaTeX parser) to the
  expression it was printed from: the LaTeX on the page is the formula that runs;
- pasted into a plain ``article`` it compiles with no overfull box over 1 pt
  (where pdflatex is installed).
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import mpmath
import pytest
import sympy

from symthermo.cli import main
from symthermo.derive import derive_output, derived_forms, latex_rows, short_derived, symbolic_given
from symthermo.models import get_model
from symthermo.notation import latex as paper_latex
from symthermo.short_forms import expand_intermediates

SHORT_MODELS = ["refrigerator", "spontaneous-emission", "jaynes-cummings", "exchange",
                "qutrit-swap", "reaction-coordinate"]

_CACHE = {}


def _short(name, extra=()):
    if (name, extra) not in _CACHE:
        model = get_model(name)
        given = symbolic_given(model, list(extra))
        _, raw, _ = derived_forms(model, given)
        if name == "qutrit-swap":
            # A starts thermal at beta_B(0) (EL23 S14): the raw derivation names A's
            # initial entropy-matched beta_A0, the short form writes it beta_B(0)
            bA0, bB0 = sympy.symbols("beta_A0 beta_B0", positive=True)
            raw = {k: v.subs(bA0, bB0) for k, v in raw.items()}
        p, inters, short, _ = short_derived(model, given)
        _CACHE[name, extra] = (model, raw, inters, short, given)
    return _CACHE[name, extra]


def _point(exprs, seed):
    """Random positive rationals for every symbol and undefined function of the exprs."""
    rng = random.Random(seed)
    atoms = set()
    for e in exprs:
        atoms |= e.atoms(sympy.Symbol) | e.atoms(sympy.core.function.AppliedUndef)
    point = {}
    for a in sorted(atoms, key=str):
        if str(a) == "t":
            point[a] = sympy.Rational(rng.randint(5, 300), 100)
        else:
            point[a] = sympy.Rational(rng.randint(30, 200), 100)
    return point


def _close(a, b, digits=30):
    if a == b:
        return True
    if mpmath.isinf(a) or mpmath.isinf(b) or mpmath.isnan(a) or mpmath.isnan(b):
        return False
    return abs(a - b) <= mpmath.mpf(10) ** -digits * max(1, abs(a))


def _values(expr, points):
    """expr at each point, by mpmath at 50 digits (functions of t become plain arguments)."""
    keys = list(points[0])
    funcs = {k: sympy.Dummy() for k in keys if isinstance(k, sympy.core.function.AppliedUndef)}
    args = [funcs.get(k, k) for k in keys]
    fn = sympy.lambdify(args, expr.xreplace(funcs) if funcs else expr, modules="mpmath")
    out = []
    with mpmath.workdps(50):
        for point in points:
            v = fn(*[mpmath.mpf(point[k].p) / point[k].q for k in keys])
            out.append(mpmath.re(v) if mpmath.im(v) == 0 else v)
    return out


def _value(expr, point):
    return _values(expr, [point])[0]


# -- 1. symbolic by default, --param substitutes, --convention ------------------

def test_derive_keeps_every_parameter_a_symbol_by_default(capsys):
    assert main(["derive", "refrigerator", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    assert "13969" not in out and "1467" not in out  # no default value substituted
    assert r"\beta_{B}(0)" in out and "beta_B0" not in out
    assert main(["derive", "refrigerator", "--param", "g=1", "--format", "json"]) == 0
    import json

    payload = json.loads(capsys.readouterr().out)
    assert payload["params"]["g"] == "1" and payload["params"]["omega_A"] == "omega_A"
    assert payload["convention"] == "received"


def test_provided_convention_negates_heat_and_work_only():
    model = get_model("spontaneous-emission")
    import json

    rec = json.loads(derive_output(model, [], "json"))["forms"]
    pro = json.loads(derive_output(model, [], "json", convention="provided"))["forms"]
    names = {n: sympy.Symbol(n) for n in ("omega", "gamma", "t")}
    for key in rec:
        a, b = (sympy.sympify(d[key]["sympy"], locals=names) for d in (rec, pro))
        if key.startswith(("Q_", "W_")):
            assert sympy.simplify(a + b) == 0, key
        else:
            assert a == b, key


def test_convention_flag_and_bad_convention(capsys):
    assert main(["derive", "exchange", "--convention", "provided", "--format", "latex"]) == 0
    assert "provided convention" in capsys.readouterr().out
    assert main(["derive", "exchange", "--convention", "given"]) == 2
    assert "given" in capsys.readouterr().err


# -- 2. the short forms are the derivation ------------------------------------

CASES = [(n, ()) for n in SHORT_MODELS] + [("reaction-coordinate", ("omega_rc=omega",))]


@pytest.mark.parametrize("name, extra", CASES)
def test_short_forms_equal_the_raw_derivation_to_30_digits(name, extra):
    model, raw, inters, short, given = _short(name, extra)
    from symthermo.short_forms import short_forms

    p = model.params(given)
    items = short_forms(model, p).intermediates
    assert set(short) == set(raw)
    for key in raw:
        expanded = expand_intermediates(short[key], items)
        points = [_point([raw[key], expanded], seed) for seed in range(3)]
        for a, b in zip(_values(raw[key], points), _values(expanded, points)):
            assert _close(a, b), (name, key, a, b)


def test_referee_forms():
    _, _, inters, short, _ = _short("refrigerator")
    zA = sympy.Function("z_A")(sympy.Symbol("t", nonnegative=True))
    bA, bB = sympy.symbols("beta_A beta_B", positive=True)
    assert short["carnot"] == bB / (bA - bB)
    assert short["E_A"] == sympy.Symbol("omega_A", positive=True) * zA / 2
    names = [str(s) for s, _ in inters]
    assert names[:4] == ["Omega", "lambda", "tau_A", "tau_B"]
    # spontaneous emission: W and Q are two cases in P_e(t), switching at tau
    _, _, inters, short, _ = _short("spontaneous-emission")
    W = short["W_A"]
    assert isinstance(W, sympy.Piecewise) and len(W.args) == 2
    assert W.args[1][0] == -sympy.Symbol("omega", positive=True)
    assert "tau" in str(W.args[0][1])


# -- 3. the LaTeX on the page is the formula that runs ---------------------------

def _parser():
    pytest.importorskip("antlr4")
    import sympy.parsing.latex._parse_latex_antlr as backend
    from importlib.metadata import version

    # SymPy 1.14's generated parser is for ANTLR 4.11; the 4.13 runtime reads it
    # (same serialisation), but SymPy refuses any runtime other than 4.11
    if not version("antlr4-python3-runtime").startswith("4.11"):
        backend.version = lambda name: "4.11.1"
    from sympy.parsing.latex import parse_latex

    return parse_latex


def _normalise(tex):
    return tex.replace(r"\left|", "|").replace(r"\right|", "|")


def _reading(parsed, back):
    """The parsed expression in our symbols: f(x) of a known symbol f is f*x."""
    parsed = parsed.xreplace({sympy.Symbol("e"): sympy.E, sympy.Symbol("i"): sympy.I})

    def fix(e):
        if isinstance(e, sympy.core.function.AppliedUndef) and e not in back:
            head = sympy.Symbol(type(e).__name__)
            if head in back and len(e.args) == 1:
                return back[head] * e.args[0]
        return e

    return sympy.bottom_up(parsed, fix).xreplace(back)


def _roundtrip(expr, parse, names):
    atoms = expr.atoms(sympy.Symbol) | expr.atoms(sympy.core.function.AppliedUndef)
    back = {}
    for a in atoms:
        back[parse(paper_latex(a, symbol_names=names))] = a
    if isinstance(expr, sympy.Piecewise):
        # cases do not parse: each case on its own
        return [(_reading(parse(_normalise(paper_latex(e, symbol_names=names))), back), e)
                for e, _ in expr.args]
    return [(_reading(parse(_normalise(paper_latex(expr, symbol_names=names))), back), expr)]


@pytest.mark.parametrize("name, extra", CASES)
def test_every_emitted_formula_parses_back_to_itself(name, extra):
    parse = _parser()
    from symthermo.derive import _symbol_names

    model, _, inters, short, _ = _short(name, extra)
    first, rows, _ = latex_rows(inters, short, _symbol_names(model))
    for lhs, expr in first + rows:
        if expr.has(sympy.oo):
            continue  # sigma of a pure initial state: beta(0) = oo times a heat
        for parsed, original in _roundtrip(expr, parse, _symbol_names(model)):
            point = _point([original], 7)
            a, b = _value(original, point), _value(parsed, point)
            assert _close(a, b, 25), (name, lhs, parsed, original)


# -- 4. pasted into a plain article, nothing runs off the page -----------------------

_ARTICLE = (r"\documentclass{article}\usepackage{amsmath,amssymb,mathtools}\begin{document}"
            "\n%s\n" r"\end{document}")


def _overfull(tex, tmp_path):
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base)")
    src = tmp_path / "paste.tex"
    src.write_text(_ARTICLE % tex)
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "paste.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / "paste.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-1500:]
    # an overfull vbox is a display taller than the page: it runs off the bottom
    return [float(x) for x in re.findall(r"Overfull \\[hv]box \((\d+\.?\d*)pt too (?:wide|high)\)",
                                         log)]


def test_pasted_into_an_article_no_overfull_box(tmp_path):
    """Every model in both conventions, one after the other in one plain article."""
    parts = []
    for name in SHORT_MODELS:
        for convention in ("received", "provided"):
            parts.append(derive_output(get_model(name), [], "latex", convention=convention))
    widths = _overfull("\n\\clearpage\n".join(parts), tmp_path)
    assert max(widths, default=0) <= 1, widths


# -- 5. the referee's lines ------------------------------------------------------

def _rows(name):
    out = derive_output(get_model(name), [], "latex")
    return out.splitlines()


def test_refrigerator_interaction_energy_is_one_line():
    lines = _rows("refrigerator")
    i = next(k for k, line in enumerate(lines) if line.startswith(r"E_{\mathrm{int}}(t) &="))
    assert not lines[i + 1].startswith("&"), lines[i:i + 2]  # no continuation line
    # through the intermediates z_A(t), z_B(t), tau_A, tau_B: no cosine written out again
    assert r"\cos" not in lines[i] and "z_{A}(t)" in lines[i] and "z_{B}(t)" in lines[i]


def test_spontaneous_emission_work_in_the_papers_form():
    line = next(x for x in _rows("spontaneous-emission") if x.startswith("W_{A}(t)"))
    assert r"- 2 \omega \left(1 - P_{e}(t)\right) & \text{for}\: t \leq \tau" in line, line
    assert "2 P_{e}(t) - 2" not in line


def test_provided_convention_negates_inside_the_cases():
    out = derive_output(get_model("spontaneous-emission"), [], "latex", convention="provided")
    rows = {line.split(" &=")[0]: line for line in out.splitlines() if " &=" in line}
    W, Q = rows["W_{A}(t)"], rows["Q_{A}(t)"]
    assert r"&= \begin{cases} 2 \omega \left(1 - P_{e}(t)\right) & \text{for}" in W, W
    assert r"\\\omega & \text{otherwise}" in W, W
    assert r"&= \begin{cases} - \omega \left(1 - P_{e}(t)\right)" in Q, Q


def test_short_forms_take_parameters_as_name_value_texts():
    """short_derived(model, ["g=1", ...]) as the command line gives them, not only a dict
    (it raised NameError for a list); the same forms and the same cache entry."""
    model = get_model("exchange")
    given = symbolic_given(model, ["g=1"])
    listed = [f"{k}={v}" for k, v in given.items()]
    assert short_derived(model, listed)[2] == short_derived(model, given)[2]
