"""The papers' notation: the ONE table from symbol names to LaTeX.

Every LaTeX string symthermo prints names its symbols through :data:`NOTATION`
(SymPy's ``symbol_names`` and latexify-py's ``identifiers``), so that an
initial inverse temperature is written one way everywhere, ``\\beta_A(0)``,
and a Python identifier (``beta_B_0``) never reaches the page.

Time-dependent intermediates (``z_A(t)``, ``P_e(t)``) are undefined SymPy
functions of ``t``; :class:`PaperLatexPrinter` prints them as ``z_{A}(t)``
and the logarithm as ``\\ln``.

>>> import sympy
>>> from symthermo.notation import latex
>>> bA, bB = sympy.symbols("beta_A beta_B", positive=True)
>>> latex(bB / (bA - bB))
'\\\\frac{\\\\beta_{B}(0)}{\\\\beta_{A}(0) - \\\\beta_{B}(0)}'
>>> latex(sympy.log(sympy.Function("P_e")(sympy.Symbol("t"))))
'\\\\ln{\\\\left(P_{e}(t) \\\\right)}'
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter

__all__ = ["NOTATION", "TIME_FUNCTIONS", "DEFINITION_NAMES", "definition_latex", "prose_latex", "PaperLatexPrinter", "latex", "symbol_latex"]

#: symbol name -> LaTeX, the papers' notation (EL23, SL26).  Parameters that are
#: initial inverse temperatures are written beta_X(0), whatever the model calls them.
NOTATION = {
    # frequencies and couplings
    "omega": r"\omega",
    "omega_A": r"\omega_{A}",
    "omega_B": r"\omega_{B}",
    "omega_1": r"\omega_{1}",
    "omega_2": r"\omega_{2}",
    "omega_rc": r"\omega_{RC}",
    "g": "g",
    "lam": r"\lambda",
    "kappa": r"\kappa",
    "gamma": r"\gamma",
    "alpha": r"\alpha",
    # initial inverse temperatures: one notation, beta_X(0)
    "beta_A": r"\beta_{A}(0)",
    "beta_B": r"\beta_{B}(0)",
    "beta_A0": r"\beta_{A}(0)",
    "beta_B0": r"\beta_{B}(0)",
    "beta_1": r"\beta_{1}",
    "beta_2": r"\beta_{2}",
    # intermediates (constants)
    "Omega": r"\Omega",
    "Lambda": r"\lambda",
    "tau_A": r"\tau_{A}",
    "tau_B": r"\tau_{B}",
    "tau": r"\tau",
    "nu": r"\nu",
    "Delta": r"\Delta",
    "p_0": r"p_{0}",
    "p_1": r"p_{1}",
    "p_2": r"p_{2}",
    "q_0": r"q_{0}",
    "q_1": r"q_{1}",
    "q_2": r"q_{2}",
    "t": "t",
    "lambda": r"\lambda",
}

#: name of an undefined function of t -> LaTeX of its head (printed head(t))
TIME_FUNCTIONS = {
    "z_A": "z_{A}",
    "z_B": "z_{B}",
    "r_A": "r_{A}",
    "r_B": "r_{B}",
    "P_e": "P_{e}",
    "p_e": "p_{e}",
    "n_B": "n_{B}",
    "c_e": "c_{e}",
    "c_g": "c_{g}",
    "c": "c",
    "beta_A": r"\beta_{A}",
    "beta_B": r"\beta_{B}",
    **{f"{x}_{k}": f"{x}_{{{k}}}" for x in "ab" for k in range(3)},
    "epsilon_A": r"\varepsilon_{A}",
    "epsilon_B": r"\varepsilon_{B}",
}


#: argument and function names of :mod:`symthermo.definitions` -> the papers' notation
#: (latexify-py renders identifiers as \mathrm{name}; these replace them)
DEFINITION_NAMES = {
    "Eth_0": r"E^{\mathrm{th}}(0)",
    "Eth_t": r"E^{\mathrm{th}}(t)",
    "Eth": r"E^{\mathrm{th}}",
    "E_0": "E(0)",
    "E_t": "E(t)",
    "E_passive": r"\operatorname{Tr}[\pi H]",
    "D_pi_w": r"D[\pi \| w(\beta)]",
    "D_rho_w": r"D[\rho \| w(\beta)]",
    "Delta_S_A": r"\Delta S_{A}",
    "Delta_E_int": r"\Delta E_{\mathrm{int}}",
    "beta_A_0": r"\beta_{A}(0)",
    "beta_B_0": r"\beta_{B}(0)",
    "Q_A": "Q_{A}",
    "Q_B": "Q_{B}",
    "W_A": "W_{A}",
    "W_B": "W_{B}",
    # what each definition defines
    "heat_received": "Q",
    "work_received": "W",
    "exergy": r"\Xi",
    "ergotropy": r"\mathcal{E}",
    "passive_term": r"\Xi - \mathcal{E}",
    "entropy_production": r"\sigma_{A}",
    "clausius_sum": r"\Sigma_{\mathrm{Cl}}",
    "coefficient_of_performance": r"\eta",
    "carnot_bound": r"\eta_{\mathrm{C}}",
    "preparation_work": r"W_{\beta}",
}


def definition_latex(fn):
    r"""``name = formula`` for a function of :mod:`symthermo.definitions`, rendered by
    latexify-py from its code, identifiers in the papers' notation.

    >>> from symthermo.definitions import carnot_bound
    >>> from symthermo.notation import definition_latex
    >>> print(definition_latex(carnot_bound))
    \eta_{\mathrm{C}} = \frac{\beta_{B}(0)}{\beta_{A}(0) - \beta_{B}(0)}
    """
    import re

    import latexify

    rhs = latexify.get_latex(fn, use_math_symbols=True, use_signature=False)
    rhs = re.sub(r"\\mathrm\{([A-Za-z0-9\\_]+)\}",
                 lambda m: DEFINITION_NAMES.get(m.group(1).replace("\\_", "_"), m.group(0)), rhs)
    rhs = rhs.replace(r"\cdot ", "")
    return f"{DEFINITION_NAMES.get(fn.__name__, fn.__name__)} = {rhs}"


def symbol_latex(name):
    """LaTeX of a symbol name: the table's entry, else SymPy's own rendering.

    >>> from symthermo.notation import symbol_latex
    >>> symbol_latex("beta_B0"), symbol_latex("x_1")
    ('\\\\beta_{B}(0)', 'x_{1}')
    """
    if name in NOTATION:
        return NOTATION[name]
    return sympy.latex(sympy.Symbol(name))


class PaperLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the papers' notation: ``\\ln``, z_A(t), beta_A(0)."""

    def __init__(self, settings=None):
        settings = dict(settings or {})
        settings.setdefault("ln_notation", True)
        names = dict(settings.pop("symbol_names", None) or {})
        super().__init__(settings)
        self._names = names

    def _print_Symbol(self, expr, style="plain"):
        if expr in self._names:
            return self._names[expr]
        if expr.name in NOTATION:
            return NOTATION[expr.name]
        return super()._print_Symbol(expr, style=style)

    def _print_Function(self, expr, exp=None):
        name = type(expr).__name__
        if isinstance(expr, sympy.core.function.AppliedUndef):
            head = TIME_FUNCTIONS.get(name, self._deal_with_super_sub(name))
            args = ", ".join(self._print(a) for a in expr.args)
            tex = f"{head}({args})"
            return f"{tex}^{{{exp}}}" if exp is not None else tex
        return super()._print_Function(expr, exp=exp)


def latex(expr, **settings):
    """``expr`` in LaTeX, through :class:`PaperLatexPrinter`."""
    return PaperLatexPrinter(settings).doprint(expr)


# -- plain-text notes in the papers' notation ------------------------------------------

#: names written as Greek letters in prose (``lam`` is SymPy-safe lambda)
_GREEK = {g: "\\" + g for g in (
    "alpha beta gamma delta epsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau "
    "phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()}
_GREEK.update({"lam": r"\lambda", "epsilon": r"\varepsilon"})
#: function names in prose -> LaTeX operators
_OPERATORS = {"log": r"\ln", "exp": r"\exp", "cos": r"\cos", "sin": r"\sin", "det": r"\det",
              "tanh": r"\tanh", "diag": r"\operatorname{diag}", "Tr": r"\operatorname{Tr}",
              "int": r"\int", "dag": r"\dagger", "I": "i", "max": r"\max", "sum": r"\sum"}
#: heads written the papers' way rather than as a Python name
_HEADS = {"Eth": r"E^{\mathrm{th}}"}
#: word-level relations
_RELATIONS = (("<->", r"\leftrightarrow "), ("->", r"\to "), ("<=", r"\le "), (">=", r"\ge "),
              ("!=", r"\neq "), ("-+", r"\mp "), ("(x)", r"\otimes "), ("**", "^"), ("*", " "))
_IDENT = r"[A-Za-z][A-Za-z0-9]*(?:_(?:[A-Za-z0-9]+|[+-]))*"
#: a word that is certainly a formula: an operator, an index, a Greek name, a function call
_STRONG = re.compile(r"[_^*=+<>|/\\{}\[\]]|^\W*(?:%s)\b|\b(?:sqrt|log|exp|diag|det|cos|sin)\("
                     % "|".join(sorted(_GREEK, key=len, reverse=True)))
#: a word that may sit inside a formula: a number, one letter, a sign, parentheses
_WEAK = re.compile(r"^[(]*(?:[A-Za-z]|-?[0-9.]+|[-=+]|-?[A-Za-z]|\(x\))[)]*[,;:]?$")


def _sub_latex(part):
    if len(part) > 1 and part.isalpha() and part.islower() and part not in ("ee", "gg", "kk"):
        return r"\mathrm{%s}" % part
    return part


def _name_latex(name):
    """LaTeX of an identifier in a note: omega_A -> \\omega_{A}, E_int -> E_{\\mathrm{int}}."""
    if name in NOTATION and ("(0)" not in NOTATION[name] or name.endswith("0")):
        return NOTATION[name]
    head, *subs = name.split("_")
    tex = _HEADS.get(head) or _GREEK.get(head) or (None if subs and head == "I" else
                                                    _OPERATORS.get(head))
    if tex is None:
        # one letter, or two state labels (|gg>, |kl>), stay italic
        tex = head if len(head) == 1 or re.fullmatch("[egkl]{2}", head) else r"\mathrm{%s}" % head
    if subs:
        tex += "_{%s}" % ",".join(_sub_latex(s) for s in subs)
    return tex


def _balanced_sqrt(text):
    """sqrt(x) -> \\sqrt{x}, matching the parentheses."""
    out, i = [], 0
    while True:
        j = text.find("sqrt(", i)
        if j < 0:
            return "".join(out) + text[i:]
        depth, k = 1, j + 5
        while k < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            k += 1
        if depth:  # unbalanced within the formula: leave it
            return "".join(out) + text[i:]
        out += [text[i:j], r"\sqrt{", _balanced_sqrt(text[j + 5:k - 1]), "}"]
        i = k


def _formula_latex(text):
    """A formula written in plain text (``g**2 + (omega_A - omega_B)^2``) in LaTeX."""
    text = re.sub(r"<([^<>|]+)\|([^<>|]+)\|([^<>|]+)>", r"\\langle \1|\2|\3\\rangle ", text)
    text = re.sub(r"<([^<>|=\s-][^<>|]*)\|", r"\\langle \1|", text)
    text = re.sub(r"\|([^<>|\s][^<>|]*)>", r"|\1\\rangle ", text)
    text = re.sub(r"<([^\s<>|=-][^<>|]*)>", r"\\langle \1\\rangle ", text)
    for old, new in _RELATIONS:
        text = text.replace(old, new)
    text = _balanced_sqrt(text)
    text = re.sub(r"(?<![\\A-Za-z])" + _IDENT, lambda m: _name_latex(m.group(0)) + (
        " " if re.match(r"[A-Za-z0-9\\]", m.string[m.end():m.end() + 1]) else ""), text)
    text = re.sub(r"\^([A-Za-z0-9]+)", r"^{\1}", text)
    out, stack = [], []  # a brace not opening a sub/superscript is a set brace
    for k, ch in enumerate(text):
        if ch == "{":
            literal = k == 0 or text[k - 1] not in "^_" and not text[:k].endswith(
                (r"\sqrt", r"\mathrm", r"\operatorname", r"\langle", r"\rangle"))
            stack.append(literal)
            out.append(r"\{" if literal else ch)
        elif ch == "}" and stack:
            out.append(r"\}" if stack.pop() else ch)
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def prose_latex(text):
    r"""A plain-text note in LaTeX: prose stays text, formulas go into math mode in the
    papers' notation (no Python identifier or ``**`` reaches the page).

    >>> from symthermo.notation import prose_latex
    >>> print(prose_latex("frequency Omega_0^2 = g**2 + omega_A**2/4 at t = 0"))
    frequency $\Omega_{0}^{2} = g^{2} + \omega_{A}^{2}/4$ at $t = 0$
    >>> print(prose_latex("B cools A; 50% of `reference` (basis {|g>,|e>})"))
    B cools A; 50\% of \texttt{reference} (basis $\{|g \rangle ,|e \rangle \}$)
    """
    words = re.split(r"(\s+)", str(text))
    kinds = []
    for w in words[::2]:
        if "`" in w or not w:
            kinds.append("prose")
        elif _STRONG.search(w) and not re.fullmatch(r"[A-Za-z]+-[A-Za-z-]+[,;:.]?", w):
            kinds.append("strong")
        elif _WEAK.match(w):
            kinds.append("weak")
        else:
            kinds.append("prose")
    # a formula: a run of strong and weak words holding one strong word
    seps = words[1::2] + [""]
    out, n, i = [], len(kinds), 0
    while i < n:
        j = i + 1
        if kinds[i] != "prose":
            while j < n and kinds[j] != "prose" and not (
                    words[2 * j - 2].endswith((",", ";", ":")) and _balanced(words[2 * i:2 * j - 1])):
                j += 1
            while j - 1 > i and kinds[j - 1] == "weak" and (
                    words[2 * j - 2] in ("+", "-") or not _balanced(words[2 * j - 2:2 * j - 1])):
                j -= 1  # a sign or an opening parenthesis before prose is prose
        run = words[2 * i:2 * j - 1]
        if "strong" in kinds[i:j]:
            out.append(_math_run("".join(run)))
        else:
            out.append("".join(_prose_word(w) if k % 2 == 0 else w for k, w in enumerate(run)))
        out.append(seps[j - 1])
        i = j
    return "".join(out)


def _balanced(words):
    text = "".join(words)
    return all(text.count(a) <= text.count(b) for a, b in ("()", "{}", "[]"))


def _closes_at_end(text):
    """True when the parenthesis opening ``text`` is the one closing it."""
    depth = 0
    for k, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return k == len(text) - 1
    return False


def _prose_word(word):
    parts = re.split(r"`([^`]*)`", word)
    return "".join((r"\texttt{%s}" % _escape(p)) if k % 2 else _escape(p)
                   for k, p in enumerate(parts))


def _escape(text):
    return "".join("\\" + ch if ch in "&%$#_{}" else ch for ch in text)


def _math_run(run):
    """``run`` as $formula$ with the outer punctuation and unmatched parentheses outside."""
    parts = re.split(r"(\s+)", run)
    for k in range(2, len(parts), 2):  # "(x" opening a parenthesis that prose closes
        rest = "".join(parts[k:])
        if parts[k].startswith("(") and rest.count("(") > rest.count(")"):
            return _math_run("".join(parts[:k - 1])) + parts[k - 1] + _math_run(rest)
        if parts[k].startswith("(") and rest.endswith(")") and _closes_at_end(rest) \
                and re.search(r"[=<>]", rest):  # an aside "(Omega = ...)" at the end
            return (_math_run("".join(parts[:k - 1])) + parts[k - 1] + "("
                    + _math_run(rest[1:-1]) + ")")
    lead, tail = "", ""
    while run and run[-1] in ",;:.":
        tail, run = run[-1] + tail, run[:-1]
    while run.startswith("(") and run.count("(") > run.count(")"):
        lead, run = lead + "(", run[1:]
    while run.endswith(")") and run.count(")") > run.count("("):
        tail, run = ")" + tail, run[:-1]
    while run and run[-1] in ",;:.":
        tail, run = run[-1] + tail, run[:-1]
    return f"{lead}${_formula_latex(run)}${tail}"
