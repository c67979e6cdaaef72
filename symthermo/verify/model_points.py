"""A model of :mod:`symthermo.models` at parameter values and a time (:class:`ModelPoint`)."""

from __future__ import annotations

import mpmath

from ..numbers import MPMATH
from .points import Point
from .system_points import _q, _signed_fixed

__all__ = ["ModelPoint"]


class ModelPoint(Point):
    """A model at parameter values and a time, bound to its closed-form rows.

    ``params`` are exact strings (``"163/100"``); ``names`` maps paper
    symbols to parameter names; ``functions`` adds model-specific handlers
    (for ``z_A``, ``P_e``, ...).  Rows are those of
    :meth:`~symthermo.models.base.Model.evaluate` in the received
    convention; the paper's ``convention`` signs Q and W.
    """

    _rows_cache = {}

    def __init__(self, model, params, t, *, convention, symbols=None, functions=None,
                 t_label=None, derivatives=None):
        from ..models import get_model

        self.model_name = model
        self.model = get_model(model)
        self.p = self.model.params(params)
        self.convention = convention
        self.sign = 1 if convention == "received" else -1
        t = mpmath.mpf(t) if not isinstance(t, (mpmath.mpf,)) else t
        from ..papers import symbols as P

        shown = {"model": model, **{k: str(v) for k, v in self.p.items()}}
        self._given = dict(params)
        self._extra_symbols = dict(symbols or {})
        self._extra_functions = dict(functions or {})
        self._extra_derivatives = dict(derivatives or {})
        super().__init__(params=shown, t_label=t_label,
                         symbols={P.t: t, **(symbols or {})}, t=t, time_symbol=P.t)
        self.functions = _model_functions(self)
        self.functions.update(functions or {})
        self.derivatives = dict(derivatives or {})

    def at(self, s):
        return ModelPoint(self.model_name, self._given, s, convention=self.convention,
                          symbols=self._extra_symbols, functions=self._extra_functions,
                          derivatives=self._extra_derivatives)

    def _row_key(self, s):
        return (self.model_name, tuple(sorted((k, str(v)) for k, v in self.p.items())),
                mpmath.mp.prec, mpmath.nstr(s, mpmath.mp.dps))

    def row(self, s):
        s = mpmath.mpf(s)
        key = self._row_key(s)
        cache = ModelPoint._rows_cache
        if key not in cache:
            cache[key] = self.model.evaluate(self.p, [s], lib=MPMATH)[0]
        return cache[key]

    def preload(self, times):
        """Rows at several times in one evaluation (cached)."""
        times = [mpmath.mpf(s) for s in times]
        todo = [s for s in times if self._row_key(s) not in ModelPoint._rows_cache]
        if todo:
            for s, row in zip(todo, self.model.evaluate(self.p, todo, lib=MPMATH)):
                ModelPoint._rows_cache[self._row_key(s)] = row


def _model_functions(pt):
    from ..papers import symbols as P

    f = {}
    for n in pt.model.subsystems:
        if n not in ("A", "B"):
            continue
        for func, key, signed in (("S", "S", False), ("E", "E", False), ("U", "E", False),
                                  ("Eth", "Eth", False), ("Q", "Q", True), ("W", "W", True),
                                  ("erg", "ergotropy", False)):
            handler = _signed_fixed(f"{key}_{n}") if signed else _q(f"{key}_{n}")
            f[getattr(P, f"{func}_{n}")] = handler
        f[getattr(P, f"beta_{n}_t")] = _q(f"beta_{n}")
    if len(pt.model.subsystems) > 1:
        f[P.E_int] = _q("E_int")
        f[P.I_AB] = _q("I_AB")
        if pt.model.unitary:
            f[P.sigma_A] = _q("sigma_A")
            f[P.sigma_B] = _q("sigma_B")
    return f
