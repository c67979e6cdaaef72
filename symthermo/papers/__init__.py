"""The numbered equations of the two source papers, as printed, in SymPy.

``EL23``: Elouard & Latune (2023); ``SL26``: Santos & Latune (2026).
"""

from symthermo.papers.el23 import EQUATIONS as EL23
from symthermo.papers.sl26 import EQUATIONS as SL26

__all__ = ["EL23", "SL26"]
