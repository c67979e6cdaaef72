"""The quantities of one subsystem in one state: E, S, beta, E^th, ergotropy, exergy.

These are the per-subsystem keys of the contract (``E_X``, ``S_X``,
``beta_X``, ``Eth_X``, ``ergotropy_X``, ``exergy_X``), computed from a
reduced density matrix and the local Hamiltonian, in any number system.
The Hamiltonian's levels are found once per subsystem (:class:`Subsystem`)
and reused along a trajectory.

>>> import numpy as np
>>> from symthermo.local import Subsystem
>>> from symthermo.numbers import FLOAT64
>>> qubit = Subsystem.of(np.diag([-0.5, 0.5]), FLOAT64)
>>> q = qubit.quantities(np.diag([0.0, 1.0]))
>>> q["E"], q["S"], q["beta"], q["Eth"], q["ergotropy"], q["exergy"]
(0.5, 0.0, inf, -0.5, 1.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from . import definitions
from .entropy import entropy_of_spectrum
from .ergotropy import (_energy_above_ground, _eigenvalue_error, _spread, clip_rounding,
                        ergotropy_rounding_bound, excess_bound, exergy_rounding_bound,
                        float_passive_excess, passive_energy)
from .numbers import EXACT, FLOAT64, NumberSystem
from .states import checked_state, density_spectrum
from .beta_from_entropy import _beta_of_spectrum, _thermal_mean_of_spectrum
from .levels import Levels, Oscillator, levels_of
from .thermal_functions import _thermal_moments

__all__ = ["Subsystem", "LOCAL_KEYS", "thermal_relative_entropy", "relative_entropy_to_thermal",
           "beta_times_heat"]

#: per-subsystem keys, in the contract's order
LOCAL_KEYS = ("E", "S", "beta", "Eth", "ergotropy", "exergy")


@dataclass(frozen=True)
class Subsystem:
    """A local Hamiltonian with its levels found once, in one number system."""

    lib: NumberSystem
    H: object
    levels: object

    @classmethod
    def of(cls, H, lib: NumberSystem):
        levels = levels_of(H, lib)
        Hm = H if isinstance(H, Oscillator) else lib.as_matrix(H)
        return cls(lib, Hm, levels)

    @property
    def dimension(self):
        return None if isinstance(self.levels, Oscillator) else len(self.levels.energies)

    @property
    def ground(self):
        return self.levels.offset if isinstance(self.levels, Oscillator) else self.levels.ground

    def quantities(self, rho, *, name="rho", check=True, tolerance=None, zeros=0):
        """dict with E, S, beta, Eth, ergotropy, exergy, and the spectrum.

        ``check=True``: rho is input, checked at the precision it was given in;
        ``check=False``: rho was computed by the code, and only its eigenvalues
        are checked, against ``tolerance`` (its error bound; see
        :func:`~symthermo.states.computed_tolerance`); ``zeros``: eigenvalues proven
        exact zeros (:func:`~symthermo.states.density_spectrum`).
        """
        lib = self.lib
        if check:
            M, spectrum = checked_state(rho, name=name, lib=lib, dim=self.dimension,
                                        tolerance=tolerance)
        else:
            M = rho
            spectrum = density_spectrum(M, name=name, lib=lib, tolerance=tolerance, computed=True,
                                        zeros=zeros)
        above, ground = _energy_above_ground(lib, M, self.H, self.levels)
        beta = _beta_of_spectrum(lib, self.levels, spectrum)
        thermal_above = _thermal_mean_of_spectrum(lib, self.levels, spectrum, beta)
        passive = passive_energy(lib, self.levels, spectrum)
        entropy = entropy_of_spectrum(lib, spectrum)
        ergotropy = definitions.ergotropy(above, passive)
        exergy = definitions.exergy(above, thermal_above)
        if lib is FLOAT64:
            d = len(spectrum)
            eigen_error = _eigenvalue_error(M, self.levels, d)
            erg_bound = ergotropy_rounding_bound(d, above, passive, eigen_error, ground)
            excess = float_passive_excess(lib, self.levels, spectrum, beta)
            if excess is not None:
                # ergotropy + (Tr[pi H] - E^th) without cancellation (passive_excess)
                exergy = clip_rounding(ergotropy + excess.delta, erg_bound + excess_bound(
                    excess, beta, d, eigen_error))
            else:
                exergy = clip_rounding(exergy, exergy_rounding_bound(
                    d, above, thermal_above, beta, entropy, _spread(self.levels, thermal_above),
                    eigen_error, ground))
            ergotropy = clip_rounding(ergotropy, erg_bound)
        return {
            "E": ground + above,
            "S": entropy,
            "beta": beta,
            "Eth": ground + thermal_above,
            "ergotropy": ergotropy,
            "exergy": exergy,
            "spectrum": spectrum,
            "passive_above_ground": passive,
            "thermal_above_ground": thermal_above,
            "energy_above_ground": above,
        }

    def log_partition(self, beta):
        """ln Z'(beta) = ln sum_k exp(-beta (E_k - E_0))."""
        lib = self.lib
        mean, _, excess = _thermal_moments(lib, self.levels, beta)
        log_g0 = lib.zero
        if isinstance(self.levels, Levels) and self.levels.ground_degeneracy > 1:
            log_g0 = lib.log(self.levels.ground_degeneracy)
        if lib is not EXACT and lib.isinf(beta):
            return log_g0
        return excess - beta * mean + log_g0


def relative_entropy_to_thermal(system: Subsystem, entropy, energy_above_ground, beta):
    """D[rho || w(beta)] = -S(rho) + beta <H - E0>_rho + ln Z'(beta), from rho's
    entropy and energy; for beta = inf it is finite only on the ground space."""
    lib = system.lib
    if lib is not EXACT and lib.isinf(beta):
        if energy_above_ground > lib.tolerance * 100:
            return lib.inf
        return -entropy + system.log_partition(beta)
    return -entropy + beta * energy_above_ground + system.log_partition(beta)


def thermal_relative_entropy(system: Subsystem, beta_a, beta_b):
    """D(w(beta_a) || w(beta_b)) for two thermal states of the same Hamiltonian."""
    lib = system.lib
    if lib is not EXACT and lib.isinf(beta_a) and lib.isinf(beta_b):
        return lib.zero
    if lib is not EXACT and not lib.isinf(beta_a) and not lib.isinf(beta_b) and beta_a == beta_b:
        return lib.zero
    mean_a, _, excess_a = _thermal_moments(lib, system.levels, beta_a)
    log_g0 = lib.zero
    if isinstance(system.levels, Levels) and system.levels.ground_degeneracy > 1:
        log_g0 = lib.log(system.levels.ground_degeneracy)
    entropy_a = excess_a + log_g0
    return relative_entropy_to_thermal(system, entropy_a, mean_a, beta_b)


def beta_times_heat(lib, beta, heat):
    """beta(0) Q, with 0 * inf = 0: a subsystem that starts pure (beta(0) = inf) and has
    received no heat contributes nothing; one that has received heat contributes inf."""
    if lib is not EXACT and lib.isinf(beta):
        if abs(heat) <= lib.tolerance * 100:
            return lib.zero
        return lib.inf if heat > 0 else -lib.inf
    return beta * heat
