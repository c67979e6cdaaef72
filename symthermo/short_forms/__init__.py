"""Short forms: each model's closed forms through a few named intermediates.

A referee reads the refrigerator through Omega, lambda (EL23 S26) and
tau_j = tanh(beta_j(0) omega_j/2), spontaneous emission through P_e(t) and
tau = ln 2/gamma.  Each model module here names those intermediates
(:class:`Intermediate`) and writes the model's reduced-state data through
them (a :class:`~symthermo.models.base.ClosedForms`); ``derive`` then builds
every key from that data with the same finishing formulas as from the raw
derivation, and :func:`expand_intermediates` substitutes the definitions
back, which the tests compare with the raw derivation.

One module per model, chosen from the physics; nothing here is used to
compute numbers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import sympy

__all__ = ["Intermediate", "ShortForms", "short_forms", "expand_intermediates", "MODULES"]

#: model name -> module of this package providing ``short_forms(p)``
MODULES = {
    "refrigerator": "refrigerator",
    "spontaneous-emission": "spontaneous_emission",
    "jaynes-cummings": "jaynes_cummings",
    "exchange": "exchange",
    "reaction-coordinate": "reaction_coordinate",
    "qutrit-swap": "qutrit_swap",
}


@dataclass(frozen=True)
class Intermediate:
    """A named intermediate: ``symbol`` (a Symbol or f(t)) stands for ``definition``.

    ``definition`` may use the parameters, t and earlier intermediates;
    ``at_zero`` is its value at t = 0 for a function of t (in the same terms).
    """

    symbol: sympy.Expr
    definition: sympy.Expr
    at_zero: sympy.Expr = None
    meaning: str = ""


@dataclass
class ShortForms:
    """Intermediates (in order of definition) and the model's data through them."""

    intermediates: list
    forms: object  # ClosedForms written with the intermediates' symbols
    beta0: dict = field(default_factory=dict)  # subsystem -> beta_X(0), the parameter itself
    overrides: dict = field(default_factory=dict)  # key -> expression replacing the generic one
    rewrite: dict = field(default_factory=dict)  # old -> intermediate, applied to every key (subs)

    def zero_values(self):
        """{f(0): value} for the time-dependent intermediates."""
        from ..models.base import T

        return {i.symbol.subs(T, 0): i.at_zero for i in self.intermediates
                if i.at_zero is not None}


def short_forms(model, p):
    """The :class:`ShortForms` of ``model`` at parameters ``p``, or None if it has none."""
    name = MODULES.get(model.name)
    if name is None:
        return None
    module = importlib.import_module(f"{__name__}.{name}")
    return module.short_forms(p)  # None where the module has no form for these initial states


def expand_intermediates(expr, intermediates):
    """``expr`` with every intermediate replaced by its definition (latest first).

    >>> import sympy
    >>> from symthermo.short_forms import Intermediate, expand_intermediates
    >>> x, y = sympy.symbols("x y")
    >>> expand_intermediates(2 * y, [Intermediate(x, sympy.Integer(3)), Intermediate(y, x + 1)])
    8
    """
    for item in reversed(intermediates):
        expr = expr.subs(item.symbol, item.definition)
    return expr
