"""The point sets shared by the checks of one run (:class:`Context`): random systems and times."""

from __future__ import annotations

import mpmath

from .random_systems import random_system
from .system_points import SystemPoint
from .trajectories import Trajectory

__all__ = ["Context", "SYSTEMS", "TIMES"]


#: the random systems of every check: (seed, dims, initial state)
SYSTEMS = {
    "two-party": [(101, (2, 3), "product"), (103, (3, 2), "product")],
    "qubits": [(111, (2, 2), "product"), (112, (2, 2), "product")],
    "thermal-B": [(121, (2, 3), "thermal-B"), (122, (3, 2), "thermal-B")],
    "equal-beta": [(131, (2, 2), "equal-beta"), (132, (3, 3), "equal-beta")],
    "rotated-thermal-B": [(141, (3, 2), "rotated-thermal-B"), (145, (2, 3), "rotated-thermal-B")],
    "correlated": [(151, (2, 2, 2), "correlated"), (152, (2, 3), "correlated")],
    "three-party": [(161, (2, 2, 2), "product"), (163, (2, 2, 2), "gradient")],
    "product-preserving": [(171, (2, 3), "product-preserving"), (172, (3, 2), "product-preserving")],
}
#: the times of every trajectory (beside 0)
TIMES = ("0.7", "1.9")


class Context:
    """Point sets shared by the checks of one run (trajectories cached)."""

    def __init__(self):
        self._traj = {}

    def trajectory(self, seed, dims, initial):
        key = (seed, dims, initial)
        if key not in self._traj:
            traj = Trajectory(random_system(seed, dims, initial=initial))
            traj.preload([mpmath.mpf(0)] + [mpmath.mpf(t) for t in TIMES])
            self._traj[key] = traj
        return self._traj[key]

    def points(self, family, convention, *, times=TIMES, symbols=None, functions=None,
               each=None):
        """SystemPoints of a family of random systems at ``times``.

        ``each(traj) -> list of (symbols, extra_params)`` multiplies the points
        (e.g. one per choice of the index j).
        """
        out = []
        for seed, dims, initial in SYSTEMS[family]:
            traj = self.trajectory(seed, dims, initial)
            variants = each(traj) if each is not None else [({}, {})]
            for t in times:
                for syms, extra in variants:
                    out.append(SystemPoint(traj, mpmath.mpf(t), convention=convention,
                                           symbols={**(symbols or {}), **syms},
                                           functions=functions, extra_params=extra))
        return out

    @staticmethod
    def describe(family, times=TIMES, variants=1):
        n = len(SYSTEMS[family])
        v = f" x {variants} index choices" if variants > 1 else ""
        return f"{n} random {family} systems x {len(times)} times{v}, seeds " + \
            ", ".join(str(s) for s, _, _ in SYSTEMS[family])
