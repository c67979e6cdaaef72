"""A subsystem finished in balls, with its structural zeros.

E, S, beta, E^th, ergotropy and exergy of one subsystem from its reduced data
(:func:`ball_local_from_data`), the work (:func:`ball_work`) and beta(0) Q
(:func:`ball_beta_times_heat`); models/base.py calls these for balls.  A value
printed as 0 comes from a proof (a diagonal qubit proven passive, a state the
model says is thermal, an exergy exactly 0 at both times), never from a
cancellation.
"""

from __future__ import annotations

from flint import arb

from .ball_columns import when
from .ball_conversion import _UNBOUNDED

__all__ = ["ball_local_from_data", "ball_work", "ball_beta_times_heat"]


def _is_levels(levels):
    from .levels import Levels

    return isinstance(levels, Levels)


def _is_qubit(levels):
    from .levels import Levels

    return isinstance(levels, Levels) and levels.is_qubit


def _exactly_equal(spectrum):
    """Whether two eigenvalues are the same exact ball (single balls only: p_e = p_g = 1/2
    given exactly, a maximally mixed qubit), a proof, not a ball about 0."""
    lo, hi = spectrum
    return type(lo) is arb and type(hi) is arb and (hi - lo).is_zero()


def ball_local_from_data(sub, d, lib):
    """E, S, beta, E^th, ergotropy, exergy of one subsystem from its reduced data, in balls.

    Structural zeros: a qubit whose state is diagonal in the energy basis (``d["diagonal"]``)
    with p_e < p_g *proven* is passive, and it is the Gibbs state of beta = ln(p_g/p_e)/omega,
    which is then its entropy-matched beta: its ergotropy and exergy are exactly 0 and
    E^th = E.  So is one whose two populations are the same exact number (maximally
    mixed: beta = 0).  Without that proof the differences are balls about their true value.
    """
    from .entropy import binary_entropy, entropy_of_spectrum
    from .beta_from_entropy import _beta_of_spectrum
    from .levels import Oscillator

    levels = sub.levels
    spectrum = lib.sort(d["spectrum"])
    above = d["E"] - sub.ground
    beta = d.get("beta")
    known = d.get("entropy_of")  # (spectrum, entropy) the model computed already
    if known is not None and len(known[0]) == len(spectrum) and all(
            a is b for a, b in zip(known[0], spectrum)):
        entropy = known[1]
        if beta is None:  # beta from the model's entropy (a qutrit's S = 1e-727: not 0 +/- 1e-36)
            beta = _beta_of_spectrum(lib, levels, spectrum, entropy)
    elif len(spectrum) == 2:
        # two eigenvalues of a density matrix: lo and 1 - lo exactly (the trace), so
        # h(lo) = -lo ln lo - (1 - lo) log1p(-lo) encloses S with lo's relative radius,
        # where -hi ln hi of a ball hi about 1 keeps only its absolute radius (a decay at
        # gamma t = 1000: S = 5e-432 printed as 0 +/- 1.3e-178)
        entropy = binary_entropy(lib, spectrum[0])
    else:
        entropy = entropy_of_spectrum(lib, spectrum)
    if beta is None:
        beta = _beta_of_spectrum(lib, levels, spectrum)
    passive_proven = False
    populations = d.get("populations")  # diagonal state, populations in level order
    if populations is not None and _is_levels(levels) and all(
            a > b or (a - b).is_zero() for a, b in zip(populations, populations[1:])):
        passive_proven = True  # non-increasing populations: the state is its passive state
    if d.get("diagonal") and len(spectrum) == 2:
        # diagonal on the two lowest levels: p_1 = above/gap < 1/2 proven means passive
        if _is_qubit(levels):  # a passive qubit is also thermal
            def thermal():
                return {"E": d["E"], "S": entropy, "beta": beta, "Eth": d["E"],
                        "ergotropy": lib.zero, "exergy": lib.zero}

            if _exactly_equal(spectrum):  # maximally mixed: the Gibbs state of beta = 0
                return thermal()
            # (columns of balls: each time takes its own branch, see ball_columns.when)
            return when(levels.passive_diagonal_qubit(above), thermal,
                        lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, False))
        gap = levels.omega if isinstance(levels, Oscillator) else levels.gaps[1]
        proven = above < gap / 2
        return when(proven, lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, True),
                    lambda: _local_rest(sub, d, lib, spectrum, above, beta, entropy, False))
    return _local_rest(sub, d, lib, spectrum, above, beta, entropy, passive_proven)


def _local_rest(sub, d, lib, spectrum, above, beta, entropy, passive_proven):
    """The end of :func:`ball_local_from_data`: E^th, ergotropy, exergy."""
    from . import definitions
    from .ergotropy import passive_energy
    from .thermal_functions import _thermal_moments

    levels = sub.levels
    thermal_above = d.get("Eth")
    if thermal_above is None and not beta.is_finite() and not lib.isinf(beta):
        thermal_above = _thermal_above_unbounded_beta(lib, levels, entropy)
    elif thermal_above is None:
        thermal_above, _, _ = _thermal_moments(lib, levels, beta)
    else:
        thermal_above = thermal_above - sub.ground
    passive = passive_energy(lib, levels, spectrum)
    # the model says E^th is E itself (a thermal state): exergy exactly 0
    thermal = d.get("Eth") is d["E"]
    return {
        "E": d["E"],
        "S": entropy,
        "beta": beta,
        "Eth": d["E"] if thermal else sub.ground + thermal_above,
        "ergotropy": lib.zero if passive_proven or thermal
        else definitions.ergotropy(above, passive),
        "exergy": lib.zero if thermal else definitions.exergy(above, thermal_above),
    }


def _thermal_above_unbounded_beta(lib, levels, entropy):
    """E^th - E_0 when beta has no finite bound (the entropy ball reaches its minimum):
    E^th grows with the entropy, so it lies in [0, E^th(S_upper)]."""
    from .thermal_functions import _thermal_moments

    s_up = entropy.upper()
    if s_up.is_finite() and s_up > 0:
        b = lib.beta_for_entropy(levels, s_up)
        if b.is_finite():
            top, _, _ = _thermal_moments(lib, levels, b.lower())
            return arb(0).union(top.upper())
    return _UNBOUNDED()


def ball_work(lib, q0, qt, convention, d_e=None, d_eth=None):
    """W = Delta E - Q = exergy(t) - exergy(0): the same number, written so that a
    subsystem that stays thermal (exergy exactly 0 at both times) has W exactly 0.
    ``d_e``, ``d_eth``: E(t) - E(0) and E^th(t) - E^th(0) as the model gives them (an
    exact 0 where the closed form is constant in time), used instead of the difference
    of the two times' balls."""
    from .heat_work import sign

    def moved():
        w = ((qt["E"] - q0["E"] if d_e is None else d_e)
             - (qt["Eth"] - q0["Eth"] if d_eth is None else d_eth))
        return w if sign(convention) == 1 else -w

    if not lib.is_exact_zero(q0["exergy"]):
        return moved()
    return when(lib.is_exact_zero(qt["exergy"]), lambda: lib.zero, moved)


def ball_beta_times_heat(lib, beta, heat):
    """beta(0) Q with 0 * inf = 0, on proven signs only: beta(0) = inf and a heat
    that is not proven non-zero gives the unbounded ball."""
    if lib.isinf(beta):
        if lib.is_exact_zero(heat):
            return lib.zero
        if heat > 0:
            return lib.inf
        if heat < 0:
            return -lib.inf
        return _UNBOUNDED()
    return beta * heat
