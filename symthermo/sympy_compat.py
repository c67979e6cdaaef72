"""A repair of SymPy 1.14.0's prime-factor cache, installed before SymPy is imported.

``factorint(n, limit=...)`` may return factors that are not prime (it stops at the
limit), and SymPy 1.14.0 adds them to its ``factor_cache``, which then raises
``ValueError: ... is not a prime factor of ...`` (sympy/sympy#28621, fixed by
sympy/sympy#28624, not in a release yet).  ``sqrt`` of a large rational asks for such a
factorisation, so a model derived with a many-digit parameter failed on valid input
(the reaction coordinate with ``kappa=1.32e-05``: the sqrt of the squared modulus of a
complex rate).  The cache is only a speed-up: :func:`install` makes it skip what it
cannot hold.  It acts when ``sympy.ntheory.factor_`` is first imported (a finder on
``sys.meta_path``), so that importing symthermo does not import SymPy.

>>> import symthermo
>>> from sympy.ntheory import factor_
>>> not hasattr(factor_, "FactorCache") or factor_.FactorCache.add.skips_composites
True
"""

from __future__ import annotations

import importlib.abc
import sys

__all__ = ["install"]

_MODULE = "sympy.ntheory.factor_"


def _repair(module):
    cache = getattr(module, "FactorCache", None)
    if cache is None or getattr(cache.add, "skips_composites", False):
        return
    original = cache.add

    def add(self, n, factors):
        try:
            original(self, n, factors)
        except ValueError:  # a composite factor from factorint(limit=...): not cached
            pass

    add.skips_composites = True
    cache.add = add


class _Finder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of ``sympy.ntheory.factor_`` so that the
    cache is repaired as soon as the module has run."""

    def find_spec(self, name, path, target=None):
        if name != _MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                exec_module = spec.loader.exec_module

                def run_then_repair(module):
                    exec_module(module)
                    _repair(module)

                spec.loader.exec_module = run_then_repair
                return spec
        return None


def install():
    """Repair the cache now if SymPy's module is loaded, else when it first loads."""
    module = sys.modules.get(_MODULE)
    if module is not None and not type(module).__name__.startswith("_Lazy"):
        _repair(module)
    elif not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
