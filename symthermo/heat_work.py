"""Heat and work of a subsystem, in the two papers' sign conventions.

``received`` (Elouard & Latune 2023, the default): the heat and work
received by X,

    Q_X = E^th_X(t) - E^th_X(0),    W_X = [E_X(t) - E_X(0)] - Q_X   (EL23 Eqs. 6, 9)

``provided`` (Santos & Latune 2026): the same quantities with the opposite
sign, Q_X = -Delta E^th_X, W_X = -Delta E_X - Q_X (SL26 Eqs. 4, 7).
Nothing else changes between the two.

>>> from symthermo.heat_work import heat, work
>>> heat(-0.5, -0.25), work(-0.5, 0.0, -0.5, -0.25)
(0.25, 0.25)
>>> heat(-0.5, -0.25, convention="provided")
-0.25
"""

from __future__ import annotations

from .definitions import heat_received, work_received

__all__ = ["CONVENTIONS", "check_convention", "heat", "work", "sign"]

CONVENTIONS = ("received", "provided")


def check_convention(convention):
    """The convention name, or a ValueError quoting it."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")
    return convention


def sign(convention):
    """+1 for ``received``, -1 for ``provided``."""
    return 1 if check_convention(convention) == "received" else -1


def heat(thermal_energy_0, thermal_energy_t, *, convention="received"):
    """Q = +/- [E^th(t) - E^th(0)]."""
    q = heat_received(thermal_energy_0, thermal_energy_t)
    return q if sign(convention) == 1 else -q


def work(energy_0, energy_t, thermal_energy_0, thermal_energy_t, *, convention="received"):
    """W = +/- ([E(t) - E(0)] - [E^th(t) - E^th(0)])."""
    w = work_received(energy_0, energy_t, thermal_energy_0, thermal_energy_t)
    return w if sign(convention) == 1 else -w
