"""symthermo: thermodynamics of autonomous quantum systems, exactly and at any precision."""

from .sympy_compat import install as _repair_sympy

__version__ = "0.1.0"

_repair_sympy()  # SymPy 1.14.0's prime-factor cache (symthermo.sympy_compat); no import of SymPy
