"""What a check returns (:class:`Result`) and which check judges which equation (:data:`REGISTRY`).

>>> from symthermo.verify.registry import Result
>>> Result("holds", "Holds at 4 points.").status
'holds'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

__all__ = ["Result", "REGISTRY", "register", "not_checked", "MODEL_MODULES", "model_available"]


@dataclass
class Result:
    """What one check found (turned into the contract's dict by :mod:`.report`).

    ``failures`` lists verify's own cross-checks that disagreed (two routes
    of the derived side); ``derived`` is the SymPy form printed as
    ``derived_latex``.
    """

    status: str
    detail: str
    derived: object = None
    witness: dict = None
    failures: list = field(default_factory=list)
    #: (printed, derived, points) as judged, for the search of a corrected printed form
    search: tuple = None

    def __post_init__(self):
        if self.status not in ("holds", "differs", "not-checked"):
            raise ValueError(f"status must be holds, differs or not-checked, got {self.status!r}")
        if self.status == "differs" and not self.witness:
            raise ValueError("a 'differs' result needs a witness")


#: paper -> equation label -> check function(entry, context) -> Result
REGISTRY = {"EL23": {}, "SL26": {}}


def register(paper, *labels):
    """Decorator: the function checks these equations of ``paper``."""

    def wrap(fn):
        for label in labels:
            if label in REGISTRY[paper]:
                raise ValueError(f"{paper}:{label} has two checks")
            REGISTRY[paper][label] = fn
        return fn

    return wrap


def not_checked(reason, derived=None):
    """A not-checked result with its concrete reason."""
    return Result("not-checked", reason, derived)


#: module of each model (verify waits for those being written)
MODEL_MODULES = {
    "refrigerator": "refrigerator", "jaynes-cummings": "jaynes_cummings",
    "exchange": "exchange", "spontaneous-emission": "spontaneous_emission",
    "reaction-coordinate": "reaction_coordinate", "qutrit-swap": "qutrit_swap",
}


@functools.lru_cache(maxsize=None)
def model_available(name):
    """True when the model's module imports (it may still be being written)."""
    import importlib

    try:
        importlib.import_module(f"symthermo.models.{MODEL_MODULES[name]}")
    except ImportError:
        return False
    return True
