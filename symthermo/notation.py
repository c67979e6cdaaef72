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

import sympy
from sympy.printing.latex import LatexPrinter

__all__ = ["NOTATION", "TIME_FUNCTIONS", "DEFINITION_NAMES", "definition_latex", "PaperLatexPrinter", "latex", "symbol_latex"]

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
