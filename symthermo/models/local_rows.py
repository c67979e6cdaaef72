"""The per-row finishing of a subsystem: its local quantities at one time.

:func:`_local_from_data` turns a subsystem's reduced data at one time (E, the
spectrum, optionally beta and E^th) into E, S, beta, E^th, ergotropy and
exergy in any number system (exact, mpmath, float64; balls go to
:func:`symthermo.ball_finishing.ball_local_from_data`); :func:`_thermal_increment`,
:func:`_via_exergy` and :func:`_float_heat_term` give the heat, work and
sigma terms of :meth:`symthermo.models.base.Model._finish` between t = 0 and
t.  :func:`_numeric_h` and :func:`_to_lib` put a local Hamiltonian and an
exact number into a number system; :func:`_leak_check` guards a truncated
oscillator on the propagator route.
"""

from __future__ import annotations

import math

import numpy as np

from .. import definitions
from ..lazy import lazy_import
from ..entropy import binary_entropy, entropy_of_spectrum
from ..local import Subsystem, beta_times_heat
from ..numbers import EXACT, FLOAT64, MPMATH
from ..beta_from_entropy import _beta_of_spectrum, beta_for_entropy, _thermal_mean_of_spectrum
from ..levels import Levels, Oscillator
from ..oscillator_deficit import oscillator_deficit
from ..ergotropy import (_spread, clip_rounding, ergotropy_rounding_bound,
                         exergy_rounding_bound, float_passive_excess, passive_energy)
from .float64_columns import _below_midpoint, _check_spectrum_floor, _oscillator_pair

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = []  # the helpers of Model (models.base), none public


def _num(x):
    return x if not isinstance(x, sympy.Basic) else x


def _numeric_h(H, lib):
    if isinstance(H, Oscillator):
        if lib is EXACT:
            return H
        return Oscillator(_to_lib(lib, H.omega), _to_lib(lib, H.offset))
    return lib.as_matrix(H)


def _to_lib(lib, x):
    x = sympy.sympify(x)
    if lib is FLOAT64:
        return float(x)
    if lib is MPMATH:
        return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 5))
    if lib is not EXACT:
        return lib.number(x)
    return x


def _local_from_data(sub: Subsystem, d, lib):
    if lib is not EXACT and hasattr(lib, "sort"):
        from ..ball_finishing import ball_local_from_data  # lazy: loads SymPy, flint

        return ball_local_from_data(sub, d, lib)
    spectrum = sorted(d["spectrum"])
    if lib is FLOAT64 and spectrum and spectrum[0] < 0:
        _check_spectrum_floor(spectrum[0])
        spectrum = [max(x, 0.0) for x in spectrum]
    above = d["above"] if "above" in d else d["E"] - sub.ground  # (as _local_columns)
    # mpmath, two eigenvalues summing to 1: everything from the smaller, lo, alone.  The
    # larger, 1 - lo, rounds to 1 for lo below the working precision (a long decay), and
    # what it carries (the entropy's lo + O(lo^2), E^th - E_g = gap lo) would be lost at
    # every precision alike, so that two precisions agree on a wrong value
    from_lo = lib is MPMATH and len(spectrum) == 2
    # (float64 too: its entropy of two eigenvalues is binary_entropy, as in _local_columns)
    entropy = (binary_entropy(lib, spectrum[0]) if from_lo or (lib is FLOAT64
                                                                and len(spectrum) == 2)
               else entropy_of_spectrum(lib, spectrum))
    two_level = isinstance(sub.levels, Levels) and len(sub.levels.energies) == 2
    beta = d.get("beta")
    if beta is None:
        beta = (beta_for_entropy(lib, sub.levels, entropy) if from_lo and not two_level
                else _beta_of_spectrum(lib, sub.levels, spectrum))
    thermal_above = d.get("Eth")
    if thermal_above is None or (from_lo and two_level):
        thermal_above = _thermal_mean_of_spectrum(lib, sub.levels, spectrum, beta)
    else:
        thermal_above = thermal_above - sub.ground
    passive = passive_energy(lib, sub.levels, spectrum)
    ergotropy = definitions.ergotropy(above, passive)
    exergy = definitions.exergy(above, thermal_above)
    if (from_lo and isinstance(sub.levels, Oscillator) and d.get("beta") is None
            and d.get("Eth") is None and 0 < spectrum[0] < mpmath.mpf("1e-3")):
        # a mode near its vacuum: E^th trails the passive energy omega lo by omega
        # (lo - m) = O(lo^2), which m found from the entropy loses below the precision
        delta = oscillator_deficit(lib, spectrum[0])
        omega = sub.levels.omega
        m = spectrum[0] - delta
        beta, thermal_above = lib.log1p(1 / m) / omega, omega * m
        exergy = ergotropy + omega * delta  # E - E^th = (E - passive) + omega delta
    if from_lo:
        # both are >= 0; with E - E_g rounded (E = E_g + e^-174) and passive and E^th
        # above the ground exact, a negative value within E's rounding is that rounding
        floor = 8 * mpmath.eps * (abs(d["E"]) + abs(sub.ground))
        ergotropy, exergy = (x if x >= 0 or -x > floor else lib.zero
                             for x in (ergotropy, exergy))
    pair = None
    if (lib is FLOAT64 and isinstance(sub.levels, Oscillator) and len(spectrum) == 2
            and d.get("Eth") is None):
        # as the vectorised route: E^th, beta and E - E^th from lo without cancellation
        with np.errstate(divide="ignore"):
            pair = _oscillator_pair(float(sub.levels.omega), spectrum[0], above,
                                    bool(d.get("diagonal")))
        if d.get("beta") is None:
            beta = float(pair.beta)
        thermal_above = float(pair.thermal_above)
    if lib is FLOAT64:
        count = len(spectrum)
        ground = float(sub.ground)
        erg_bound = ergotropy_rounding_bound(count, above, passive, 0.0, ground)
        # ergotropy + (Tr[pi H] - E^th) without cancellation (passive_excess) where E^th
        # is the spectrum's, as the vectorised route (_local_columns)
        excess = (float_passive_excess(lib, sub.levels, spectrum, beta)
                  if d.get("Eth") is None and pair is None else None)
        if pair is not None:
            ergotropy = float(pair.ergotropy)
            exergy = clip_rounding(ergotropy + float(pair.excess), erg_bound)
        elif excess is not None:
            exergy = clip_rounding(ergotropy + excess.delta, excess.bound + erg_bound)
        else:
            exergy = clip_rounding(exergy, exergy_rounding_bound(
                count, above, thermal_above, beta, entropy, _spread(sub.levels, thermal_above),
                0.0, ground))
        ergotropy = clip_rounding(ergotropy, erg_bound)
    eth = sub.ground + thermal_above
    if (lib is FLOAT64 and d.get("diagonal") and isinstance(sub.levels, Levels)
            and sub.levels.is_qubit and _below_midpoint(sub.levels, d["E"])):
        # structural zeros, as on the ball route and the vectorised float64 route (mpmath
        # keeps its agreement check: two cancellations that agree are its only proof)
        ergotropy = exergy = lib.zero
        eth = d["E"]
    out = {
        "E": d["E"],
        "S": entropy,
        "beta": beta,
        "Eth": eth,
        "ergotropy": ergotropy,
        "exergy": exergy,
    }
    if lib is MPMATH or lib is FLOAT64:
        # E^th above the ground energy: its increments without the ground's rounding (a
        # qubit leaving |e> had Q_A = 0 at t = 1e-9 for 1e-22 per row, as on the columns)
        out["_Eth_above"] = thermal_above
    if from_lo:  # E - E^th without cancellation: W = Delta(E - E^th)
        out["_E_minus_Eth"] = exergy
    if pair is not None:  # W by the form with the smaller operands (_work_columns)
        out["_Eth_above"] = thermal_above
        out["_E_minus_Eth"] = exergy
        out["_exergy_size"] = float(pair.size)
    return out


def _float_heat_term(q0, qt, heat):
    """beta(0) [E^th(t) - E^th(0)] of one subsystem on a float64 row: with beta(0) = inf,
    a heat within the rounding of its difference of thermal energies above the ground
    counts as 0 (the columns' _difference_rounding), not one within an absolute 1e-10
    (JC per row printed finite sigma at t = 1e-9 where the certified route proves inf)."""
    beta = q0["beta"]
    if not math.isinf(beta) or "_Eth_above" not in qt or "_Eth_above" not in q0:
        return beta_times_heat(FLOAT64, beta, heat)
    noise = 8 * FLOAT64.eps * (abs(qt["_Eth_above"]) + abs(q0["_Eth_above"]))
    return 0.0 if abs(heat) <= noise else math.copysign(math.inf, heat)


def _via_exergy(q0, qt, d):
    """Whether W is taken as Delta(E - E^th): always on mpmath (from_lo), in float64
    where its operands are the smaller (:func:`~.float64_columns._work_columns`)."""
    if "_exergy_size" not in qt:
        return True
    de = abs(d["dE"]) if "dE" in d else abs(qt["E"]) + abs(q0["E"])
    return (qt["_exergy_size"] + q0["_exergy_size"]
            < de + abs(qt["_Eth_above"]) + abs(q0["_Eth_above"]))


def _thermal_increment(q0, qt):
    """E^th(t) - E^th(0), as the difference of the thermal energies above the ground
    where known (mpmath): E^th(t) = E_g + e^-174 rounds to E_g, the difference does not."""
    if "_Eth_above" in q0 and "_Eth_above" in qt:
        return qt["_Eth_above"] - q0["_Eth_above"]
    return qt["Eth"] - q0["Eth"]


def _leak_check(sub, reduced, lib, name):
    """An oscillator truncated at n_max must hold no population at n_max."""
    if not isinstance(sub.levels, Oscillator):
        return
    n = lib.size(reduced)
    edge = lib.real(reduced[n - 1, n - 1])
    if edge > lib.tolerance:
        raise ValueError(f"Fock cutoff {n - 1} of {name} leaks population {edge}: raise the cutoff")
