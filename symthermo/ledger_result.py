"""What :func:`symthermo.ledger.ledger` returns: rows, and one array per key.

In QuTiP's spirit (``result.times``, ``result.expect``), a
:class:`LedgerResult` gives each quantity as an array over the times,
``result.E_A`` or ``result["E_A"]``: numpy float arrays in float64, numpy
object arrays of mpmath numbers (each carrying its digits) at ``dps``.  It
is also the list of row dicts the ledger used to return: ``result[0]``,
``len(result)``, iteration, ``result.rows``.

>>> import numpy as np
>>> from symthermo.ledger import ledger
>>> H = np.diag([0.0, 1.0])
>>> V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
>>> result = ledger({"A": (H, np.diag([0.0, 1.0])), "B": (H, np.diag([1.0, 0.0]))},
...                 np.linspace(0, np.pi / 0.1, 3), coupling=V)
>>> result.times
array([ 0.        , 15.70796327, 31.41592654])
>>> np.round(result.E_A, 12) + 0.0       # cos^2(g t): |e> -> |g> -> |e>
array([1., 0., 1.])
>>> bool(result[1]["E_B"] == result["E_B"][1] == result.E_B[1])
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["LedgerResult"]


class LedgerResult(Sequence):
    """The ledger of a system at the requested times.

    Attributes
    ----------
    rows : list of dict
        One dict per time, keys :meth:`keys` (``"t"`` first).
    times : numpy.ndarray
        The times (``float`` in float64, mpmath numbers at ``dps``).
    names : list of str
        The subsystems, in tensor order.
    convention : {"received", "provided"}
    dps : int or None
        Digits carried by every value; ``None`` in float64.
    states : dict or None
        ``name -> list`` of the reduced states over the times (matrices, or
        ``qutip.Qobj`` with ``states="qobj"``), when asked for.
    fock_leak : dict
        For each oscillator subsystem, the largest population of its top
        Fock level over the requested times (a float estimate; the ledger
        refuses a run where it exceeds the bound for the digits asked).
    recomputed : list
        float64 only: the times whose row was recomputed on the certified
        ball route because some float64 value would have carried fewer than
        10 correct digits (:mod:`symthermo.ledger_fallback`); empty otherwise.
    unverified : list
        float64 only: the times of such rows that the balls could not
        recompute (no ball route: an oscillator whose truncation is not proven
        invariant); their values are float64's, with fewer digits earned.
    """

    def __init__(self, rows, *, names, keys, convention, dps=None, states=None, fock_leak=None,
                 recomputed=(), unverified=()):
        self.rows = list(rows)
        self.names = list(names)
        self._keys = list(keys)
        self.convention = convention
        self.dps = dps
        self.states = states
        self.fock_leak = dict(fock_leak or {})
        self.recomputed = list(recomputed)
        self.unverified = list(unverified)

    def keys(self):
        """The quantity keys, in the contract's order (``"t"`` first)."""
        return list(self._keys)

    @property
    def times(self):
        return self._column("t")

    def _column(self, key):
        values = [row[key] for row in self.rows]
        if self.dps is None:
            return np.array(values, dtype=float)
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    # -- the old list of rows ------------------------------------------------
    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, str):
            if index not in self._keys:
                raise KeyError(f"no key {index!r} in this ledger; keys are {', '.join(self._keys)}")
            return self._column(index)
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)

    def __eq__(self, other):
        if isinstance(other, LedgerResult):
            return self.rows == other.rows
        if isinstance(other, list):
            return self.rows == other
        return NotImplemented

    __hash__ = None

    def __getattr__(self, name):
        # called only for names that are not attributes: a quantity key
        keys = self.__dict__.get("_keys", ())
        if name in keys:
            return self._column(name)
        raise AttributeError(f"'LedgerResult' has no attribute or key {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | {k for k in self._keys if k.isidentifier()})

    def __repr__(self):
        digits = "float64" if self.dps is None else f"dps={self.dps}"
        return (f"<LedgerResult of {', '.join(self.names)}: {len(self.rows)} times, "
                f"{digits}, {self.convention} convention, keys {', '.join(self._keys[1:])}>")
