"""The thermodynamic ledger of a system the user describes, by the propagator.

Given local Hamiltonians, initial local states, a coupling and optional
Lindblad terms, :func:`ledger` propagates the joint state and returns, at
each time, the contract's keys: for every subsystem X ``E_X``, ``S_X``,
``beta_X``, ``Eth_X``, ``Q_X``, ``W_X``, ``ergotropy_X``, ``exergy_X``;
then ``E_int`` and the mutual information (``I_AB`` for two subsystems,
``I_tot`` for more); and, when the evolution is unitary, the entropy
productions ``sigma_X`` = Delta S_X + sum_{Y != X} beta_Y(0) Q_Y (received
convention, EL23 Eqs. 5 and 14).

>>> import numpy as np
>>> from symthermo.ledger import ledger
>>> H = np.diag([0.0, 1.0])
>>> V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
>>> rows = ledger({"A": (H, np.diag([0.0, 1.0])), "B": (H, np.diag([1.0, 0.0]))},
...               [0.0, np.pi / 0.4], coupling=V)
>>> print(", ".join(f"{rows[-1][k]:.12f}" for k in ("E_A", "E_B", "I_AB")))   # I_AB = 2 ln 2
0.500000000000, 0.500000000000, 1.386294361120
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import mpmath

from .entropy import entropy_of_spectrum
from .expressions import ExpressionError, shorten
from .heat_work import check_convention, heat, work
from .local import LOCAL_KEYS, Subsystem, beta_times_heat, thermal_relative_entropy
from .numbers import FLOAT64, MPMATH, number_system, parse_number
from .precision import check_dps, stable
from .states import check_density_matrix, computed_tolerance, density_spectrum

__all__ = ["System", "load_system", "ledger", "ledger_keys", "ledger_rows", "trajectory_rows",
           "identity_sides"]


@dataclass(frozen=True)
class System:
    """Subsystems (name -> (H, rho0)), coupling and Lindblad terms, as given."""

    subsystems: dict
    coupling: object = None
    lindblad: tuple = field(default_factory=tuple)
    initial_state: object = None  # a joint initial state replacing the product of the rho0

    @property
    def names(self):
        return list(self.subsystems)

    @property
    def unitary(self):
        return not self.lindblad


def _as_matrix_data(obj):
    """Plain nested lists (or arrays) from numpy, mpmath, SymPy or QuTiP objects."""
    if hasattr(obj, "full") and callable(obj.full):  # qutip.Qobj
        return obj.full()
    return obj


def _validated(system: System, lib):
    if not system.subsystems:
        raise ValueError("a system needs at least one subsystem")
    subs, dims, rhos = {}, [], []
    for name, (H, rho0) in system.subsystems.items():
        sub = Subsystem.of(_as_matrix_data(H), lib)
        if sub.dimension is None:
            raise ValueError(f"subsystem {name}: the ledger needs finite matrices, not an oscillator")
        rho = check_density_matrix(_as_matrix_data(rho0), name=f"rho0 of {name}", lib=lib,
                                   dim=sub.dimension)
        subs[name] = sub
        dims.append(sub.dimension)
        rhos.append(rho)
    total = 1
    for d in dims:
        total *= d
    H_total = lib.zeros(total)
    for k, sub in enumerate(subs.values()):
        factors = [lib.eye(d) for d in dims]
        factors[k] = sub.H
        H_total = H_total + lib.kron_all(factors)
    if system.coupling is not None:
        V = lib.as_matrix(_as_matrix_data(system.coupling))
        if lib.shape(V) != (total, total):
            raise ValueError(f"coupling has shape {lib.shape(V)[0]}x{lib.shape(V)[1]}, "
                             f"expected {total}x{total} for subsystem dimensions {dims}")
        from .states import check_hamiltonian

        V = check_hamiltonian(V, name="coupling", lib=lib)
    else:
        V = lib.zeros(total)
    H_total = H_total + V
    lindblad = []
    for k, (rate, op) in enumerate(system.lindblad):
        L = lib.as_matrix(_as_matrix_data(op))
        if lib.shape(L) != (total, total):
            raise ValueError(f"lindblad operator {k} has shape {lib.shape(L)[0]}x{lib.shape(L)[1]}, "
                             f"expected {total}x{total}")
        r = lib.number(rate)
        if isinstance(r, complex) or r < 0:
            raise ValueError(f"lindblad rate {k} must be a non-negative real number, got {rate!r}")
        lindblad.append((r, L))
    if system.initial_state is not None:
        rho0 = check_density_matrix(_as_matrix_data(system.initial_state), name="initial state",
                                    lib=lib, dim=total)
    else:
        rho0 = lib.kron_all(rhos)
    return subs, dims, H_total, V, lindblad, rho0


def ledger_keys(names, *, unitary=True):
    """The keys of a ledger row, in order."""
    keys = ["t"]
    for name in names:
        keys += [f"{k}_{name}" for k in ("E", "S", "beta", "Eth", "Q", "W", "ergotropy", "exergy")]
    if len(names) > 1:
        keys.append("E_int")
        keys.append("I_AB" if len(names) == 2 else "I_tot")
        if unitary:
            keys += [f"sigma_{name}" for name in names]
    return keys


def _times(lib, times):
    out = []
    for t in times:
        value = lib.number(t) if not isinstance(t, (float, int)) or lib is MPMATH else float(t)
        if isinstance(value, complex) or (hasattr(value, "imag") and value.imag != 0):
            raise ValueError(f"time must be real, got {t!r}")
        value = lib.real(value) if lib is MPMATH else value
        if value < 0:
            raise ValueError(f"time must be >= 0, got {t!r}")
        out.append(value)
    return out


def ledger_rows(system: System, times, *, lib, convention="received"):
    """Rows of raw numbers (no rounding) in ``lib``; the working precision is the caller's."""
    check_convention(convention)
    subs, dims, H_total, V, lindblad, rho0 = _validated(system, lib)
    return trajectory_rows(subs, dims, H_total, V, rho0, times, lib=lib, lindblad=lindblad,
                           convention=convention)


def trajectory_rows(subs, dims, H_total, V, rho0, times, *, lib, lindblad=(),
                    convention="received", leak_check=None):
    """Propagate rho0 under H_total (+ Lindblad) and compute every row.

    ``subs`` maps names to :class:`~symthermo.local.Subsystem` (in tensor
    order, dimensions ``dims``); ``V`` is the coupling whose mean is E_int.
    ``leak_check(name, reduced_state)`` may raise when a truncated Fock space
    holds population at its edge.
    """
    from .propagator import evolve

    names = list(subs)
    ts = _times(lib, times)
    dps = None if lib is FLOAT64 else mpmath.mp.dps
    # rho0 was checked when it was read (or built by a model): what is computed from it
    # is checked against its own error bound, never as input
    eigenvalues0 = lib.eigvalsh(rho0)
    bound = computed_tolerance(rho0, lib, eigenvalues=eigenvalues0)
    states = evolve(H_total, rho0, ts, lindblad=lindblad, dps=dps, state_tolerance=bound)
    reduced0 = [lib.partial_trace(rho0, dims, [k]) for k in range(len(names))]
    q0 = {n: subs[n].quantities(r, name=f"rho_{n}(0)", check=False, tolerance=bound)
          for n, r in zip(names, reduced0)}
    s_joint0 = entropy_of_spectrum(lib, density_spectrum(
        rho0, name="rho(0)", lib=lib, tolerance=bound, computed=True, eigenvalues=eigenvalues0))
    i_tot0 = sum((q0[n]["S"] for n in names), lib.zero) - s_joint0
    unitary = not lindblad
    rows = []
    for t, rho in zip(ts, states):
        rho = lib.as_matrix(rho) if lib is FLOAT64 else rho
        row = {"t": t}
        qt = {}
        for k, n in enumerate(names):
            reduced = lib.partial_trace(rho, dims, [k]) if len(names) > 1 else rho
            if leak_check is not None:
                leak_check(n, reduced)
            qt[n] = subs[n].quantities(reduced, name=f"rho_{n}(t={t})", check=False,
                                       tolerance=bound)
            for key in LOCAL_KEYS:
                row[f"{key}_{n}"] = qt[n][key]
            row[f"Q_{n}"] = heat(q0[n]["Eth"], qt[n]["Eth"], convention=convention)
            row[f"W_{n}"] = work(q0[n]["E"], qt[n]["E"], q0[n]["Eth"], qt[n]["Eth"],
                                 convention=convention)
        if len(names) > 1:
            row["E_int"] = lib.expectation(rho, V)
            s_joint = entropy_of_spectrum(lib, density_spectrum(rho, name=f"rho(t={t})", lib=lib,
                                                                tolerance=bound, computed=True))
            mutual = sum((qt[n]["S"] for n in names), lib.zero) - s_joint
            row["I_AB" if len(names) == 2 else "I_tot"] = mutual
            if unitary:
                for n in names:
                    row[f"sigma_{n}"] = qt[n]["S"] - q0[n]["S"] + sum(
                        (beta_times_heat(lib, q0[m]["beta"], qt[m]["Eth"] - q0[m]["Eth"])
                         for m in names if m != n), lib.zero)
        row["_internal"] = {"q0": q0, "qt": qt, "subsystems": subs, "I_tot0": i_tot0}
        rows.append(row)
    return rows


def identity_sides(row):
    """Both sides of EL23 Eq. 5/S37 (per subsystem) and S38 for one ledger row.

    Returns ``{"sigma_X": (lhs, rhs), ..., "clausius": (lhs, rhs)}`` where
    lhs is the thermodynamic side (Delta S, beta(0) Q) and rhs the
    information side (I_tot + sum of D(w(t) || w(0))), in received convention.
    """
    internal = row["_internal"]
    q0, qt, subs = internal["q0"], internal["qt"], internal["subsystems"]
    names = list(subs)
    lib = next(iter(subs.values())).lib
    mutual = row.get("I_AB", row.get("I_tot", lib.zero)) - internal["I_tot0"]
    distances = {n: thermal_relative_entropy(subs[n], qt[n]["beta"], q0[n]["beta"]) for n in names}
    bq = {n: beta_times_heat(lib, q0[n]["beta"], qt[n]["Eth"] - q0[n]["Eth"]) for n in names}
    out = {}
    for n in names:
        lhs = qt[n]["S"] - q0[n]["S"] + sum((bq[m] for m in names if m != n), lib.zero)
        rhs = mutual + sum((distances[m] for m in names if m != n), lib.zero)
        out[f"sigma_{n}"] = (lhs, rhs)
        # EL23 S19: Delta S_j = -D(w_j(t)||w_j(0)) + beta_j(0) Q_j; when X starts pure
        # both terms are infinite and the identity says nothing, so it is left out
        if not (lib.isinf(bq[n]) and lib.isinf(distances[n])):
            out[f"S19_{n}"] = (qt[n]["S"] - q0[n]["S"], bq[n] - distances[n])
    out["clausius"] = (sum(bq.values(), lib.zero), mutual + sum(distances.values(), lib.zero))
    return out


def ledger(subsystems, times, *, coupling=None, lindblad=(), initial_state=None, dps=None,
           convention="received"):
    """The ledger rows of a system at the given times.

    Parameters
    ----------
    subsystems : dict
        name -> (H, rho0), matrices as numpy arrays, mpmath matrices, SymPy
        matrices, QuTiP ``Qobj`` or nested lists of numbers/strings.
    times : sequence of real numbers (or strings at ``dps``)
    coupling : matrix, optional
        Interaction on the tensor product, subsystems in the order given.
    lindblad : sequence of (rate, operator), optional
    initial_state : matrix, optional
        A joint (possibly correlated) initial state replacing the product of the rho0.
    dps : int, optional
        Digits: mpmath with every returned digit certified; float64 when omitted.
    convention : {"received", "provided"}

    Returns
    -------
    list of dict
        One row per time, keys as :func:`ledger_keys`.
    """
    check_convention(convention)
    system = System(dict(subsystems), coupling, tuple(lindblad), initial_state)
    if dps is None and number_system(*[m for pair in subsystems.values() for m in pair]) is FLOAT64:
        rows = ledger_rows(system, times, lib=FLOAT64, convention=convention)
    else:
        digits = check_dps(dps) if dps is not None else mpmath.mp.dps

        def compute():
            return [_public(r) for r in ledger_rows(system, times, lib=MPMATH, convention=convention)]

        return stable(compute, digits)
    return [_public(r) for r in rows]


def _public(row):
    return {k: v for k, v in row.items() if not k.startswith("_")}


# -- SYSTEM.json ----------------------------------------------------------------

_TOP_KEYS = {"subsystems", "coupling", "lindblad"}
#: SYSTEM.json limits: file size in bytes, and the joint dimension (the
#: product of the subsystems' dimensions) without and with Lindblad terms
MAX_SYSTEM_BYTES = 10 * 2**20
MAX_DIMENSION = 1024
MAX_DIMENSION_LINDBLAD = 64
#: the largest |entry| the float64 route accepts (energies and gaps are squared)
FLOAT64_ENTRY_LIMIT = 1e150


def load_system(source):
    """A :class:`System` from SYSTEM.json (a path, a JSON string, or a dict).

    Entries are numbers or strings read without loss of precision ("0.5",
    "1/3", "0.2+0.1j", "sqrt(2)/2", by :mod:`symthermo.expressions`);
    unknown keys, malformed numbers and ragged matrices are errors naming
    where they are.  A file is read only if it is a regular file of at most
    ``MAX_SYSTEM_BYTES`` (10 MiB) of UTF-8 text; the joint dimension is at
    most ``MAX_DIMENSION`` (1024), or ``MAX_DIMENSION_LINDBLAD`` (64) with
    Lindblad terms (whose generator has dimension**2 rows).

    >>> from symthermo.ledger import load_system
    >>> load_system("/dev/zero")
    Traceback (most recent call last):
    ...
    ValueError: cannot read /dev/zero: not a regular file
    """
    if isinstance(source, dict):
        data = source
        where = "system"
    else:
        text = str(source)
        if text.lstrip().startswith("{"):
            where = "system"
            if len(text) > MAX_SYSTEM_BYTES:
                raise ValueError(f"system text of {len(text)} characters exceeds the limit "
                                 f"{MAX_SYSTEM_BYTES}")
        else:
            where = text
            text = _read_text(text)
        try:  # numbers kept as their decimal text, read exactly by the grammar
            data = json.loads(text, parse_float=str, parse_int=str)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} "
                             f"column {exc.colno}") from None
        except RecursionError:
            raise ValueError(f"{where} is not valid SYSTEM.json: nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a JSON object at the top level")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                         f"expected {', '.join(sorted(_TOP_KEYS))}")
    subs = data.get("subsystems")
    if not isinstance(subs, dict) or not subs:
        raise ValueError(f"{where}: 'subsystems' must be a non-empty object of name -> {{H, rho0}}")
    _check_dimension(where, subs, data.get("lindblad"))
    parsed = {}
    for name, entry in subs.items():
        if not isinstance(entry, dict) or set(entry) != {"H", "rho0"}:
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise ValueError(f"subsystems.{name}: expected exactly the keys H and rho0, got {got}")
        parsed[name] = (_matrix(entry["H"], f"subsystems.{name}.H"),
                        _matrix(entry["rho0"], f"subsystems.{name}.rho0"))
    coupling = _matrix(data["coupling"], "coupling") if data.get("coupling") is not None else None
    lindblad = []
    for k, term in enumerate(data.get("lindblad") or []):
        if not isinstance(term, dict) or set(term) != {"rate", "operator"}:
            raise ValueError(f"lindblad[{k}]: expected exactly the keys rate and operator")
        rate = _entry(term["rate"], f"lindblad[{k}].rate")
        _check_rate(rate, f"lindblad[{k}].rate")
        lindblad.append((rate, _matrix(term["operator"], f"lindblad[{k}].operator")))
    return System(parsed, coupling, tuple(lindblad))


def _read_text(path):
    """The UTF-8 text of a regular file of at most MAX_SYSTEM_BYTES bytes."""
    import os
    import stat

    shown = path if len(path) <= 200 else path[:200] + "..."
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb", closefd=True) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValueError(f"cannot read {shown}: not a regular file")
            raw = handle.read(MAX_SYSTEM_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot read {shown}: {exc.strerror}") from None
    if len(raw) > MAX_SYSTEM_BYTES:
        raise ValueError(f"cannot read {shown}: larger than the limit of {MAX_SYSTEM_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"cannot read {shown}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                         f"offset {exc.start})") from None


def _check_rate(rate, where):
    from fractions import Fraction

    from .expressions import is_real

    value = parse_number(rate)
    negative = (value < 0 if isinstance(value, Fraction)
                else getattr(value, "is_negative", None) is True)
    if not is_real(value) or negative:
        raise ValueError(f"{where}: a rate must be a non-negative real number, got {rate!r}")


def _check_dimension(where, subsystems, lindblad):
    """The joint dimension within the limit, before any entry is read."""
    d = 1
    for entry in subsystems.values():
        H = entry.get("H") if isinstance(entry, dict) else None
        d *= len(H) if isinstance(H, list) and H else 1
    limit = MAX_DIMENSION_LINDBLAD if lindblad else MAX_DIMENSION
    if d > limit:
        kind = " with Lindblad terms" if lindblad else ""
        raise ValueError(f"{where}: joint dimension {d} exceeds the limit {limit}{kind}")


def _located_entries(system):
    """(where, entry) for every number of a system loaded by :func:`load_system`."""
    def matrix(M, where):
        rows = M.tolist() if hasattr(M, "tolist") else M
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                yield f"{where}[{i}][{j}]", x

    for name, (H, rho0) in system.subsystems.items():
        yield from matrix(H, f"subsystems.{name}.H")
        yield from matrix(rho0, f"subsystems.{name}.rho0")
    if system.coupling is not None:
        yield from matrix(system.coupling, "coupling")
    for k, (rate, L) in enumerate(system.lindblad):
        yield f"lindblad[{k}].rate", rate
        yield from matrix(L, f"lindblad[{k}].operator")


def system_scale(system, *, float64=False):
    """The largest |entry| of the Hamiltonians, coupling and rates: the float64 time scale.

    With ``float64``, an entry above ``FLOAT64_ENTRY_LIMIT`` (1e150: squares of energies
    and energy gaps must stay finite) is a ValueError naming where it is.
    """
    from .expressions import to_float

    scale = 0.0
    for where, x in _located_entries(system):
        try:
            value = abs(to_float(parse_number(x), what=where, text=str(x)))
        except (TypeError, ValueError):
            if float64:
                raise
            continue
        if float64 and value > FLOAT64_ENTRY_LIMIT:
            raise ValueError(f"{where} {shorten(str(x))} is too large for float64 arithmetic "
                             f"(above {FLOAT64_ENTRY_LIMIT:g}, its square overflows); use --dps")
        if ".rho0" not in where:
            scale = max(scale, value)
    return scale or 1.0


def _entry(value, where):
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(f"{where}: not a number: {json.dumps(value)}")
    if isinstance(value, float):
        # JSON numbers are read from their decimal text, not the binary float
        value = repr(value)
    try:
        parse_number(value)
    except ExpressionError as exc:
        raise ValueError(f"{where}: not a number: {shorten(value)} ({exc.reason})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return value if isinstance(value, str) else str(value)


def _matrix(rows, where):
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise ValueError(f"{where}: expected a matrix (a list of rows)")
    width = len(rows[0])
    for i, r in enumerate(rows):
        if len(r) != width:
            raise ValueError(f"{where}: row {i} has {len(r)} entries, row 0 has {width}")
    if width != len(rows):
        raise ValueError(f"{where}: matrix is {len(rows)}x{width}, not square")
    return [[_entry(v, f"{where}[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)]
