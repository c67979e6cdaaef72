"""A random system's evolution by the core (:class:`Trajectory`): ledger rows and joint states, cached."""

from __future__ import annotations

import mpmath

from ..numbers import MPMATH
from .operators import Op
from .random_systems import RandomSystem, _thermal_matrix, random_system

__all__ = ["Trajectory"]


class Trajectory:
    """A random system's evolution, by the core: ledger rows and joint states, cached."""

    def __init__(self, system: RandomSystem):
        self._systems = {mpmath.mp.prec: system}
        self._rows = {}
        self._states = {}
        self._thermal = {}

    @property
    def system(self):
        """The system built at the current precision (mpmath.diff raises it)."""
        prec = mpmath.mp.prec
        if prec not in self._systems:
            seed, dims, initial, scale = next(iter(self._systems.values())).recipe
            self._systems[prec] = random_system(seed, dims, initial=initial, scale=scale)
        return self._systems[prec]

    def _key(self, s):
        return (mpmath.mp.prec, mpmath.nstr(s, mpmath.mp.dps))

    def _ledger(self, s):
        from ..ledger import System, ledger_rows

        sysm = System({n: (self.system.H[n], self.system.local0[n]) for n in self.system.space.names},
                      coupling=self.system.V, initial_state=self.system.rho0)
        return ledger_rows(sysm, [s], lib=MPMATH)[0]

    def row(self, s):
        key = self._key(s)
        if key not in self._rows:
            self._rows[key] = self._ledger(s)
        return self._rows[key]

    def preload(self, times):
        """Rows and states at several times in one propagation."""
        from ..ledger import System, ledger_rows

        todo = [s for s in times if self._key(s) not in self._rows]
        if not todo:
            return
        sysm = System({n: (self.system.H[n], self.system.local0[n]) for n in self.system.space.names},
                      coupling=self.system.V, initial_state=self.system.rho0)
        for s, row in zip(todo, ledger_rows(sysm, todo, lib=MPMATH)):
            self._rows[self._key(s)] = row

    def thermal(self, name, beta):
        """exp(-beta H_name)/Z (thermal.thermal_state), cached."""
        key = (name, self._key(beta))
        if key not in self._thermal:
            self._thermal[key] = _thermal_matrix(self.system.H[name], beta)
        return self._thermal[key]

    def state(self, s):
        """The joint state at s (an :class:`Op` on every subsystem)."""
        from ..propagator import evolve

        key = self._key(s)
        if key not in self._states:
            # every time of the trajectory in one propagation
            known = [k for k in self._rows if k[0] == mpmath.mp.prec and k not in self._states]
            times = [s] + [mpmath.mpf(k[1]) for k in known if k != key]
            keys = [key] + [k for k in known if k != key]
            for k, rho in zip(keys, evolve(self.system.H_total, self.system.rho0, times,
                                           dps=mpmath.mp.dps)):
                self._states[k] = rho
        return Op(self._states[key], self.system.space.names, self.system.space)
