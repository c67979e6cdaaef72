"""The float64 column route: a subsystem's local quantities for all times at once.

:meth:`symthermo.models.base.Model.evaluate` in float64, for a model with
``reduced_arrays``, finishes every time in one go with numpy through
:func:`_local_columns` (the per-row formulas of
:func:`symthermo.models.local_rows._local_from_data` on arrays) and returns
:class:`ColumnRows`, which behaves as the list of row dicts.

Rules it applies, as the per-row and ball routes do:

- structural zeros: 0 ln 0 = 0 (:func:`xlogx_columns`); a spectrum's dip below 0
  within the float64 tolerance is rounding about an exact 0 and counts as 0, a
  larger one is an error (:func:`_check_spectrum_floor`); a diagonal qubit below
  its midpoint is its own passive and thermal state, ergotropy = exergy = 0 and
  E^th = E exactly (:func:`_below_midpoint`); an oscillator diagonal on Fock 0
  and 1 with <n> < 1/2 is its own passive state, ergotropy exactly 0
  (:func:`_oscillator_pair`); a qubit thermal at 0 and at t has Q = Delta E and
  W = 0 exactly (:func:`_thermal_qubit_columns`); with beta(0) = inf a heat
  within its rounding counts as 0 (0 * inf = 0, :func:`beta_times_heat_columns`);
- no cancellation: the larger of two eigenvalues, 1 - lo, enters the entropy as
  log1p(-lo), the largest of more, above 1/2, as log1p(-rest)
  (:func:`entropy_columns`); Tr[pi H] - E^th from :mod:`symthermo.passive_excess`
  (:func:`_exergy_columns`); an oscillator's beta, E^th and E - E^th from its
  smaller eigenvalue (:func:`~symthermo.oscillator_deficit.oscillator_deficit`); W by the
  form whose operands are the smaller (:func:`_work_columns`); E^th kept above
  the ground energy so that its increments carry no rounding of the ground; a
  negative value within its own rounding bound is clipped to 0
  (:func:`~symthermo.ergotropy.clip_rounding`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..local import Subsystem
from ..numbers import FLOAT64
from ..levels import Oscillator
from ..oscillator_deficit import oscillator_deficit
from ..thermal_arrays import _beta_for_entropy_array, _thermal_mean_array
from ..passive_excess import ARRAY, passive_excess, two_level_excess
from ..ergotropy import clip_rounding, ergotropy_rounding_bound, exergy_rounding_bound

__all__ = [
    "ColumnRows",
    "column_of",
    "underflowed",
    "xlogx_columns",
    "binary_entropy_columns",
    "entropy_columns",
    "beta_times_heat_columns",
    "EARNED",
    "Unearned",
    "within_rounding",
]


class ColumnRows(Sequence):
    """The rows of a vectorised float64 evaluation, held as columns.

    Behaves as the list of row dicts the per-row route returns (indexing,
    iteration, ``len``, ``==``): the dicts of Python floats are built on
    first access, all at once, and kept, so a change to a row sticks.
    :meth:`column` gives one key's values as a numpy array without building
    any row.
    """

    __slots__ = ("keys", "_columns", "_n", "_start", "_rows", "unearned")

    def __init__(self, keys, columns, n, *, start=0):
        """``columns``: key -> numpy array (its entries from ``start`` on are the
        rows'), list (the rows' values) or a number (the same in every row).

        ``unearned``: the indices of the rows whose float64 values the model cannot
        vouch for to the contract's digits (a value within its own rounding of 0),
        set by the model; ``symthermo reference --float64`` recomputes them on the
        certified route."""
        self.keys = list(keys)
        self._columns = columns
        self._n = n
        self._start = start
        self._rows = None
        self.unearned = []

    def __len__(self):
        return self._n

    def __getitem__(self, index):
        return self._materialise()[index]

    def __iter__(self):
        return iter(self._materialise())

    def __eq__(self, other):
        if isinstance(other, ColumnRows):
            other = other._materialise()
        if isinstance(other, (list, tuple)):
            return self._materialise() == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(self._materialise())

    def column(self, key):
        """The values of ``key`` at every time (a numpy array; ints stay ints)."""
        if self._rows is not None:
            return np.array([row[key] for row in self._rows])
        v = self._columns[key]
        if isinstance(v, np.ndarray):
            return v[self._start:]
        if isinstance(v, list):
            return np.array(v)
        return np.full(self._n, v)

    def strings(self, keys, digits):
        """The rows as dicts of :func:`~symthermo.precision.decimal_string` texts
        (ints as ``str``), formatted column by column; None when a column holds
        anything but numbers."""
        from ..precision import decimal_strings

        columns = []
        for k in keys:
            v = self.column(k)
            if v.dtype.kind == "f":
                columns.append(decimal_strings(v, digits))
            elif v.dtype.kind in "iu":
                columns.append([str(x) for x in v.tolist()])
            else:
                return None
        return [dict(zip(keys, values)) for values in zip(*columns)]

    def negate(self, keys):
        """Change the sign of ``keys`` in every row (a switch of convention)."""
        if self._rows is not None:
            for row in self._rows:
                for k in keys:
                    row[k] = -row[k]
        else:
            for k in keys:
                v = self._columns[k]
                self._columns[k] = [-x for x in v] if isinstance(v, list) else -v

    def _materialise(self):
        if self._rows is None:
            n = self._n
            lists = []
            for k in self.keys:
                v = self._columns[k]
                if isinstance(v, np.ndarray):
                    lists.append(v[self._start:].tolist())
                elif isinstance(v, list):
                    lists.append(v)
                else:
                    lists.append(itertools.repeat(v, n))
            keys = self.keys
            self._rows = [dict(zip(keys, values)) for values in zip(*lists)]
            self._columns = None
        return self._rows


def underflowed(x, *, screen=False):
    """Where a population that the dynamics keeps positive (a decaying excitation at t > 0)
    is below float64's normal range (2.2e-308, or flushed to 0): its digits are gone, and
    so are those of beta (ln of it) and of the values made from it (``"unearned"``).
    ``screen``: None where no entry is (one reduction instead of the comparison at every
    entry).

    >>> import numpy as np
    >>> from symthermo.models.float64_columns import underflowed
    >>> underflowed(np.exp(-np.array([1.0, 700.0, 720.0, 800.0]))).tolist()
    [False, False, True, True]
    >>> underflowed(np.exp(-np.array([1.0, 700.0])), screen=True) is None
    True
    """
    if screen and not _least(x, initial=np.inf) < _TINY:
        return None
    return x < _TINY


_TINY = float(np.finfo(float).tiny)
_least = np.fmin.reduce  # the least entry that is not a nan


def column_of(v, n):
    """``v`` as a float64 array of length n (a number constant in time is repeated)."""
    if type(v) is np.ndarray and v.dtype == _F64 and v.shape == (n,):
        return v
    v = np.asarray(v, dtype=float)
    if v.shape == (n,):
        return v
    return np.full(n, v)


_column = column_of


def _array(v, n):
    return v if type(v) is np.ndarray else column_of(v, n)
_F64 = np.dtype(float)
_lowest = np.minimum.reduce  # x.min() without the Python-level wrapper


def xlogx_columns(x):
    """x ln x elementwise with 0 ln 0 = 0 (numpy); an x in [-tolerance, 0] (rounding
    noise about an exact 0) counts as 0, a more negative one is an error."""
    lowest = _lowest(x)
    if lowest > 0:
        return x * np.log(x)
    if lowest < -FLOAT64.tolerance:
        raise ValueError(f"math domain error: x ln x of a negative probability {lowest}")
    return x * np.log(np.where(x > 0, x, 1.0))


def binary_entropy_columns(lo):
    """-lo ln lo - (1 - lo) ln(1 - lo) elementwise for the smaller eigenvalue ``lo`` of a
    two-level spectrum, ln(1 - lo) as log1p(-lo) (:func:`~symthermo.entropy.binary_entropy`
    on arrays: the lo + O(lo^2) of that term survives below the float64 epsilon)."""
    return -xlogx_columns(lo) - (1 - lo) * np.log1p(-lo)


def entropy_columns(spectrum):
    """-sum_k lambda_k ln lambda_k over a list of arrays, in the order given, of a
    model's distribution (it sums to exactly 1): an ascending spectrum of more than two
    takes its last (largest) one's logarithm as log1p(-rest) where it is above 1/2, as
    :func:`~symthermo.entropy.entropy_of_distribution` does."""
    total = 0.0
    for lam in spectrum[:-1] if len(spectrum) > 2 else spectrum:
        total = total - xlogx_columns(lam)
    if len(spectrum) > 2:
        total = total - _top_xlogx(spectrum)
    return total


def _top_xlogx(spectrum):
    """lambda ln lambda of the last (largest) eigenvalue of an ascending spectrum of
    arrays, ln lambda as log1p(-rest) where lambda > 1/2 (near a pure state)."""
    top = spectrum[-1]
    rest = spectrum[0]
    for lam in spectrum[1:-1]:
        rest = rest + lam
    return top * np.where(top > 0.5, np.log1p(-rest), np.log(top))


def _below_midpoint(levels, E):
    """Levels.passive_diagonal_qubit (p_e < 1/2) decided on E itself: E < (E_g + E_e)/2,
    which is 0 for (omega/2) sigma_z, so that E - E_g, which rounds to gap/2 at
    p_e = 1/2 - 1e-22, is not needed (float64: numbers or arrays)."""
    return E < _midpoint(levels)


def _midpoint(levels):
    """(E_g + E_e)/2 of a qubit's levels, a float."""
    e0, e1 = levels.energies
    return (float(e0) + float(e1)) / 2


def _thermal_qubit_columns(exergy, d_e, d_eth, w):
    """(Q, W) of a qubit whose E^th the model does not give: where its exergy is 0 at t
    and at t = 0 it is a Gibbs state at both (E^th = E), so Q = E(t) - E(0) and W = 0
    exactly, as ball_work proves them (a mixed qubit passive after t = 0 had W_A ~ 1e-17
    for 0 and Q_A 0 for -5e-23)."""
    if exergy[0] != 0:
        return d_eth, w
    still = exergy == 0
    if not still.any():
        return d_eth, w
    return np.where(still, d_e, d_eth), np.where(still, 0.0, w)


def _work_columns(q, d, w):
    """W = Delta E - Delta E^th = Delta(E - E^th) = exergy(t) - exergy(0): per time, the
    form whose operands are the smaller (either rounds to eps times them), given the
    exergy's operands ``q["exergy_size"]`` (an oscillator, :func:`_oscillator_pair`): for
    a field leaving its vacuum E and E^th differ by 1e-46 at t = 1e-9 (the exergy's form),
    for a coherent field the exergy is |alpha|^2 omega at every time (the increments')."""
    size = q["exergy_size"]
    above = q["thermal_above"]
    de = np.abs(d["dE"]) if "dE" in d else np.abs(q["E"]) + abs(q["E"][0])
    via = size + size[0] < de + np.abs(above) + abs(above[0])
    if not via.any():
        return w
    x = q["exergy"]
    return np.where(via, x - x[0], w)


#: the factor of the contract's float64 promise (``FLOAT64.earned``, 10 correct digits of
#: the 15 printed): a value below EARNED times its rounding estimate is unearned
EARNED = 1 / FLOAT64.earned
_EPS = float(FLOAT64.eps)


class Unearned:
    """The times (columns) at which a model's float64 values keep fewer than 10 correct
    digits: a value within :data:`EARNED` times its own rounding, next to a zero crossing
    of an oscillating quantity or where it cancels against what it is computed from. A
    model finds them (a cheap bound over all times first, the precise rounding at the
    few candidate times) and marks them; t = 0 is never marked (its values are the
    start's, without increments).

    >>> import numpy as np
    >>> from symthermo.models.float64_columns import EARNED, Unearned
    >>> times = np.array([0.0, 1.0, 2.0, 3.0])
    >>> z = np.array([0.0, 1e-12, -0.25, 1e-3])       # rounding ~ 1e-16 x 1
    >>> u = Unearned(times)
    >>> u.mark(np.flatnonzero(np.abs(z) < EARNED * 1e-16))
    >>> u.mask.tolist()
    [False, True, False, False]
    """

    __slots__ = ("times", "mask")

    def __init__(self, times):
        self.times = times
        self.mask = None

    def mark(self, idx):
        """Mark the columns ``idx`` (indices) unearned, but t = 0."""
        idx = idx[self.times[idx] != 0]
        if idx.size:
            if self.mask is None:
                self.mask = np.zeros(len(self.times), dtype=bool)
            self.mask[idx] = True


def within_rounding(value, bound, rounding):
    """Where |value| is within :data:`EARNED` times its rounding estimate ``rounding()``
    (in units of eps, an array over the times, made only where needed): None when even
    ``bound``, a bound of that estimate at every time, leaves every |value| above (one
    reduction and one comparison).

    >>> import numpy as np
    >>> from symthermo.models.float64_columns import within_rounding
    >>> E = np.array([0.5, 1e-9, -0.25])
    >>> within_rounding(E, 6.0, lambda: np.full(3, 4.0)).tolist()
    [False, True, False]
    >>> within_rounding(np.array([0.5, -0.25]), 6.0, lambda: np.full(2, 4.0)) is None
    True
    >>> within_rounding(np.array([np.nan, 1e-9]), 6.0, lambda: np.full(2, 4.0)).tolist()
    [False, True]
    """
    size = np.abs(value)
    k = EARNED * _EPS
    # (fmin: a nan elsewhere does not hide a value within its rounding)
    if not np.fmin.reduce(size) < k * bound:
        return None
    return size < k * rounding()


def _difference_rounding(values):
    """A bound on the rounding of ``values - values[0]`` (float64, elementwise)."""
    return 8 * FLOAT64.eps * (np.abs(values) + abs(values[0]))


def beta_times_heat_columns(beta0, heat, noise=None):
    """:func:`symthermo.local.beta_times_heat` for a number beta(0) and an array of heats.

    With beta(0) = inf a heat within ``noise`` of 0 (the rounding of the heat: a number, an
    array, or a function of no arguments giving one, called only then; default 100 times
    the float64 tolerance) counts as 0 (0 * inf = 0), a larger one gives +-inf."""
    if np.isinf(beta0):
        if noise is None:
            noise = FLOAT64.tolerance * 100
        elif callable(noise):
            noise = noise()
        return np.where(np.abs(heat) <= noise, 0.0, np.where(heat > 0, np.inf, -np.inf))
    return beta0 * heat


@dataclass(frozen=True)
class _LocalInfo:
    """A subsystem with its ground energy and level gaps as floats (found once)."""

    sub: Subsystem
    levels: object
    ground: float
    gaps: tuple  # finite levels: all gaps; oscillator: None (k omega)
    two_level: bool
    #: a qubit's (E_g + E_e)/2, below which a diagonal state is passive (_below_midpoint)
    midpoint: float = None

    @classmethod
    def of(cls, sub):
        levels = sub.levels
        if isinstance(levels, Oscillator):
            return cls(sub, levels, float(levels.offset), None, False)
        gaps = tuple(float(g) for g in levels.gaps)
        two_level = len(levels.energies) == 2 and levels.ground_degeneracy == 1
        midpoint = _midpoint(levels) if two_level else None
        return cls(sub, levels, float(sub.ground), gaps, two_level, midpoint)

    def gaps_for(self, count):
        if self.gaps is None:
            w = float(self.levels.omega)
            return [w * k for k in range(count)]
        return self.gaps[:count]


def _local_columns(info: _LocalInfo, d, n):
    """:func:`~.local_rows._local_from_data` for all times at once (numpy arrays; called inside
    the np.errstate of :meth:`~.base.Model._evaluate_columns`).

    Terms that are exact zeros in the per-row sums (p * 0 for a ground-level
    gap, x - 0 for a ground energy 0) are left out: the sums are the same."""
    spectrum = [x if type(x) is np.ndarray else column_of(x, n) for x in d["spectrum"]]
    count = len(spectrum)
    if not d.get("ascending"):
        if count == 2:
            a, b = spectrum
            spectrum = [np.minimum(a, b), np.maximum(a, b)]
        elif count > 2:
            spectrum = list(np.sort(np.stack(spectrum), axis=0))
    lowest = _lowest(spectrum[0])
    if lowest < 0:
        # rounding noise about an exact 0 (within the float64 tolerance) is 0; more
        # negative, the model's closed forms are wrong
        _check_spectrum_floor(lowest)
        spectrum = [np.maximum(lam, 0.0) for lam in spectrum]
        lowest = 0.0
    levels = info.levels
    ground = info.ground
    E = _array(d["E"], n)
    # E - E_g, given by the model where E rounds it away (a qubit near its ground level)
    above = _array(d["above"], n) if "above" in d else E - ground if ground != 0 else E
    S = d.get("S")
    if S is None and count == 2:
        # two eigenvalues of a density matrix: hi = 1 - lo, and -hi ln hi is written
        # -(1 - lo) log1p(-lo), which keeps the ~lo of a nearly pure state (hi rounds to 1
        # for lo < 1e-16: S(diag(1 - 1e-20, 1e-20)) was 4.6e-19 instead of 4.7e-19)
        lo = spectrum[0]
        logs = [np.log(lo), np.log1p(-lo)]
        S = -(lo * logs[0] if lowest > 0 else _xlogx_of_log(lo, logs[0])) - (1 - lo) * logs[1]
    elif S is None:
        # ascending and >= 0: only eigenvalues that can be 0 need the 0 ln 0 = 0 rule
        S = 0.0
        logs = []  # ln lambda_k (kept for beta; -inf at an eigenvalue 0)
        for lam in spectrum:
            if lowest > 0:
                log = np.log(lam)
                S = S - lam * log
            else:
                log = None
                S = S - xlogx_columns(lam)
            logs.append(log)
    else:
        S = _array(S, n)
        logs = [None] * count
    beta = d.get("beta")
    pair = None
    if info.gaps is None and count == 2 and d.get("Eth") is None:
        # an oscillator with two eigenvalues: E^th, beta and E - E^th from lo without
        # cancellation (_oscillator_pair)
        pair = _oscillator_pair(float(levels.omega), spectrum[0], above,
                                bool(d.get("diagonal")))
        if beta is None:
            beta = pair.beta
    if beta is None:
        if info.two_level:
            # ln(hi/lo)/gap as beta_from_entropy._log_ratio computes it; hi >= 1/2 > 0, so lo = 0
            # gives ln hi - ln 0 = inf and beta = inf
            lo, hi = spectrum
            log_lo, log_hi = logs
            if log_lo is None:
                log_lo = np.log(lo)
            if log_hi is None:
                log_hi = np.log(hi)
            beta = np.where(hi <= 2 * lo, np.log1p((hi - lo) / lo), log_hi - log_lo) / info.gaps[1]
        else:
            beta = _beta_for_entropy_array(levels, S)
    else:
        beta = _array(beta, n)
    eth = d.get("Eth")
    if pair is not None:
        thermal_above = pair.thermal_above
    elif eth is None and info.two_level:
        # the thermal state with the spectrum's entropy has the spectrum's populations
        # (_thermal_mean_of_spectrum): gap lo / (lo + hi), 0 at lo = 0
        lo, hi = spectrum
        thermal_above = info.gaps[1] * (lo / (lo + hi))
    elif eth is None:
        thermal_above = _thermal_mean_array(levels, beta)
    else:
        eth = _array(eth, n)
        thermal_above = eth - ground if ground != 0 else eth
    # Tr[pi H] - E_g: the eigenvalues descending on the levels ascending (a ground-level
    # gap adds nothing; a qubit's is lo gap)
    if info.two_level and count == 2:
        passive = spectrum[0] * info.gaps[1]
    elif pair is not None:
        passive = pair.passive
    else:
        passive = None
        for lam, gap in zip(reversed(spectrum), info.gaps_for(count)):
            if gap != 0:
                passive = lam * gap if passive is None else passive + lam * gap
        if passive is None:
            passive = 0.0
    # the rounding bounds are made only where a value came out negative (lazily)
    def erg_bound():
        return ergotropy_rounding_bound(count, above, passive, 0.0, ground)

    def exergy_bound():
        spread = thermal_above + float(levels.omega) if info.gaps is None else info.gaps[-1]
        return exergy_rounding_bound(count, above, thermal_above, beta, S, spread, 0.0, ground)

    # the structural zeros of the ball route (ball_finishing.ball_local_from_data): a qubit
    # diagonal in the energy basis with p_e < 1/2 is passive and the Gibbs state of
    # its entropy-matched beta, so ergotropy = exergy = 0 and E^th = E exactly (put in
    # before the clipping of rounding below 0, so that no bound is made for them)
    passive_branch = None
    if info.two_level and d.get("diagonal"):
        passive_branch = E < info.midpoint  # (_below_midpoint)
        if not passive_branch.any():
            passive_branch = None
    if pair is not None:
        ergotropy = pair.ergotropy
        exergy = clip_rounding(ergotropy + pair.excess, erg_bound)
    elif info.gaps is not None and eth is None:
        ergotropy = above - passive
        exergy = _exergy_columns(info, spectrum, beta, ergotropy, erg_bound, lambda: clip_rounding(
            above - thermal_above, exergy_bound))
        if passive_branch is not None:
            exergy = np.where(passive_branch, 0.0, exergy)
    else:
        ergotropy = above - passive
        exergy = above - thermal_above
        if passive_branch is not None:
            exergy = np.where(passive_branch, 0.0, exergy)
        exergy = clip_rounding(exergy, exergy_bound)
    eth_out = ground + thermal_above if ground != 0 else thermal_above
    if passive_branch is not None:
        ergotropy = np.where(passive_branch, 0.0, ergotropy)
        eth_out = np.where(passive_branch, E, eth_out)
        thermal_above = np.where(passive_branch, above, thermal_above)
    ergotropy = clip_rounding(ergotropy, erg_bound)
    out = {
        "E": E,
        "S": S,
        "beta": beta,
        "Eth": eth_out,
        "ergotropy": ergotropy,
        "exergy": exergy,
        "spectrum": spectrum,
        # E^th above the ground energy: its increments carry no rounding of the ground
        # energy (E^th - E^th(0) of a qubit leaving |e> was 0 at t = 1e-9: -1/2 + 1e-20)
        "thermal_above": thermal_above,
    }
    if pair is not None:
        out["exergy_size"] = pair.size
    return out


def _xlogx_of_log(x, log_x):
    """x ln x elementwise from ``log_x`` = ln x, 0 where x is not positive (0 ln 0 = 0, a
    zero keeping its sign): the value of :func:`xlogx_columns` without a second logarithm."""
    return np.where(x > 0, x * log_x, x * 0.0)


class _OscillatorPair(NamedTuple):
    beta: object
    thermal_above: object
    ergotropy: object  # E - Tr[pi H], before clipping its rounding
    excess: object  # Tr[pi H] - E^th = omega (lo - m) >= 0, to a few ulps
    size: object  # |operands| of E - E^th: its rounding is ~ eps size
    passive: object  # Tr[pi H] - E_0 = omega lo


def _oscillator_pair(omega, lo, above, diagonal):
    """An oscillator (float64) whose state has the two eigenvalues {1 - lo, lo}, lo <= 1/2
    (Python floats or numpy arrays alike): beta = ln(1 + 1/m)/omega, E^th - E_0 = omega m
    and E - E^th = ergotropy + omega (lo - m), m the thermal occupation of entropy h(lo),
    lo - m from :func:`~symthermo.oscillator_deficit.oscillator_deficit` (without cancellation: it is
    O(lo^2 / ln(1/lo)) for a mode near its vacuum, below the rounding of m itself).

    ``diagonal``: the state is diagonal on Fock 0 and 1 (the model's structure); with
    <n> = above/omega < 1/2 it is then its own passive state, ergotropy exactly 0 (the
    ball route's structural zero, ball_finishing.ball_local_from_data) and E - E^th = omega (lo - m)
    exactly, so that a field leaving its vacuum keeps W and the exergy of size 1e-46.
    """
    # (called inside np.errstate(divide="ignore"): m = 0 gives beta = ln(1 + 1/0) = inf)
    delta = oscillator_deficit(FLOAT64, lo)
    m = lo - delta
    beta = np.log1p(1 / m) / omega
    excess = omega * delta
    passive = omega * lo
    ergotropy = above - passive
    size = np.abs(above) + passive
    if diagonal:
        zero = above < omega / 2
        ergotropy = np.where(zero, 0.0, ergotropy)
        size = np.where(zero, 0.0, size)
    return _OscillatorPair(beta, omega * m, ergotropy, excess, size + excess, passive)


def _exergy_columns(info, spectrum, beta, ergotropy, erg_bound, fallback):
    """ergotropy + (Tr[pi H] - E^th) for all times, the second part without
    cancellation (:mod:`symthermo.passive_excess`, the per-row formula on arrays);
    ``fallback()`` (E - E^th) where beta is 0 or inf; ``erg_bound()`` the
    ergotropy's rounding bound (both made only when needed)."""
    if info.two_level:
        lo, hi = spectrum
        delta = two_level_excess(info.gaps[1], lo, hi)
        return clip_rounding(ergotropy + delta,
                             lambda: erg_bound() + 4 * FLOAT64.eps * np.abs(delta))
    ok = (beta > 0) & (beta < np.inf)
    if not ok.any():
        return fallback()
    excess = passive_excess(ARRAY, info.gaps, list(reversed(spectrum)), np.where(ok, beta, 1.0))
    value = clip_rounding(ergotropy + excess.delta, lambda: erg_bound() + excess.bound)
    return value if ok.all() else np.where(ok, value, fallback())


def _check_spectrum_floor(lowest):
    """A computed spectrum may dip below 0 by rounding (within the float64 tolerance)."""
    if lowest < -FLOAT64.tolerance:
        from ..errors import InternalStateError

        raise InternalStateError(f"a computed spectrum has the negative eigenvalue {lowest}")
