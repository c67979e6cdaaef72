"""Former home of verify's machinery, kept so that ``from symthermo.verify.checks import ...``
still works (derivation scripts, tests).  The machinery lives in:

- :mod:`.registry`: :class:`Result`, :data:`REGISTRY`, :func:`register`;
- :mod:`.tolerance`: :data:`DPS`, :data:`TOLERANCE`;
- :mod:`.agreement`: :func:`close`, :func:`fmt`;
- :mod:`.operators`: :class:`Op`, :class:`Space`, :func:`exact_matrix`;
- :mod:`.cache`: :func:`entropy_of`, :func:`relative_entropy_of`, :func:`memo`;
- :mod:`.expressions`: the interpreter :func:`value`;
- :mod:`.points`, :mod:`.system_points`, :mod:`.model_points`: what names mean at a point;
- :mod:`.random_systems`, :mod:`.trajectories`: random finite systems and their evolution;
- :mod:`.judge`: :func:`judge`, :func:`judge_claim`, :func:`witness`;
- :mod:`.context`: :class:`Context`, the point sets shared by a run.

>>> from symthermo.verify.checks import random_system
>>> random_system(101).space.dims
(2, 3)
"""

from __future__ import annotations

from .agreement import close, fmt
from .cache import entropy_of, memo, relative_entropy_of
from .context import SYSTEMS, TIMES, Context
from .expressions import Unbound, value
from .judge import judge, judge_claim, relations, timed, witness
from .model_points import ModelPoint
from .operators import Op, Space, exact_matrix
from .points import Point
from .random_systems import RandomSystem, random_system
from .registry import MODEL_MODULES, REGISTRY, Result, model_available, not_checked, register
from .system_points import SystemPoint
from .tolerance import DPS, TOLERANCE
from .trajectories import Trajectory

__all__ = [
    "DPS", "TOLERANCE", "Result", "register", "REGISTRY", "Op", "Space", "value",
    "Point", "SystemPoint", "ModelPoint", "RandomSystem", "random_system", "Trajectory",
    "judge", "judge_claim", "fmt", "close", "witness", "not_checked", "Unbound",
    "model_available", "MODEL_MODULES", "exact_matrix", "memo",
    "relations", "entropy_of", "relative_entropy_of", "timed",
    "Context", "SYSTEMS", "TIMES",
]
