"""Modules imported on first use, so that a float64 run never loads SymPy.

Importing SymPy costs about a quarter of a second, more than a whole float64
evaluation.  A module of symthermo that needs SymPy only on its symbolic
path writes ``sympy = lazy_import("sympy")`` in place of ``import sympy``:
the name is bound at once, but SymPy's own code runs only when an attribute
of it is first looked up (``importlib.util.LazyLoader``).  Module-level code
must therefore not touch ``sympy.<name>``; constants built from SymPy are
made in functions instead.

>>> from symthermo.lazy import lazy_import
>>> fractions = lazy_import("fractions")
>>> fractions.Fraction(1, 3)
Fraction(1, 3)
>>> from symthermo.lazy import is_loaded
>>> is_loaded("fractions")
True
>>> lazy_import("no_such_module_xyz")
Traceback (most recent call last):
...
ModuleNotFoundError: No module named 'no_such_module_xyz'
"""

from __future__ import annotations

import importlib.util
import sys
import threading

__all__ = ["lazy_import", "is_loaded"]

_LOCK = threading.Lock()


def lazy_import(name):
    """The module ``name``, loaded when one of its attributes is first used.

    An already imported module is returned as it is.
    """
    with _LOCK:
        module = sys.modules.get(name)
        if module is not None:
            return module
        spec = importlib.util.find_spec(name)
        if spec is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)
        return module


def is_loaded(name):
    """Whether module ``name`` has been imported and run (a lazy module whose
    attributes were never used has not: no object can be of its types yet)."""
    module = sys.modules.get(name)
    return module is not None and not isinstance(module, importlib.util._LazyModule)
