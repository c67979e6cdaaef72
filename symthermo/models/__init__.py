"""The papers' models, one module each, found by their contract names.

>>> from symthermo.models import model_names, get_model
>>> "refrigerator" in model_names()
True
>>> get_model("no-such-model")
Traceback (most recent call last):
...
ValueError: unknown model 'no-such-model'; known: refrigerator, jaynes-cummings, exchange, spontaneous-emission, reaction-coordinate, qutrit-swap
"""

from __future__ import annotations

import importlib

from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter, parse_parameters

__all__ = ["get_model", "model_names", "Model", "Parameter", "LocalForms", "ClosedForms",
           "Dynamics", "T", "parse_parameters"]

_REGISTRY = {
    "refrigerator": "symthermo.models.refrigerator:Refrigerator",
    "jaynes-cummings": "symthermo.models.jaynes_cummings:JaynesCummings",
    "exchange": "symthermo.models.exchange:Exchange",
    "spontaneous-emission": "symthermo.models.spontaneous_emission:SpontaneousEmission",
    "reaction-coordinate": "symthermo.models.reaction_coordinate:ReactionCoordinate",
    "qutrit-swap": "symthermo.models.qutrit_swap:QutritSwap",
}


def __getattr__(name):
    # PEP 562: the time symbol T is made on first use (importing SymPy is slow)
    if name == "T":
        from .base import T

        return T
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def model_names():
    """The contract names of the models, in the contract's order."""
    return list(_REGISTRY)


def get_model(name) -> Model:
    """The model called ``name`` (a ValueError naming it if there is none)."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(_REGISTRY)}")
    module_name, cls = _REGISTRY[name].split(":")
    return getattr(importlib.import_module(module_name), cls)()
