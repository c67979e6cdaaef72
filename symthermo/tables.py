"""Reference tables: the payloads of ``symthermo reference`` and ``symthermo ledger``.

Values are decimal strings with ``dps`` significant digits (certified by
evaluating at two increasing precisions, see
:func:`symthermo.precision.stable`), ``inf`` where infinite, never ``nan``.
With ``float64`` the rows are evaluated in float64 and printed with 15
significant digits.

>>> from symthermo.tables import parse_times
>>> list(parse_times("0, pi/2, 1e-3"))
[Fraction(0, 1), pi/2, Fraction(1, 1000)]
>>> list(parse_times("0:1:3"))
[Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)]
"""

from __future__ import annotations

import csv
import io
import json

from .expressions import to_float
from .numbers import FLOAT64, MPMATH
from .precision import FLOAT64_DIGITS, check_dps, decimal_string, stable
from .times import parse_times, time_numbers

__all__ = ["parse_times", "time_values", "reference_payload", "ledger_payload", "render"]

UNITS = "hbar = k_B = 1"


def time_values(times, params, *, lib, scale=None):
    """Times as numbers of ``lib``: ``times`` from :func:`parse_times`, or time texts
    (expressions in the parameters) read with the parameters' values.

    In float64, ``scale`` (default: the largest parameter other than the
    inverse temperatures ``beta*``, a bound on the frequencies) bounds the
    phase error of a time's rounding (:func:`symthermo.times.time_numbers`).
    """
    times = parse_times(times, params)
    if scale is None:
        scale = _float64_scale(params) if lib is FLOAT64 else 1
    return time_numbers(times, lib=lib, scale=scale)


#: float64 evaluation takes parameters of size 0 or within [1e-150, 1e150] (their squares
#: and inverse squares stay finite)
FLOAT64_PARAMETER_RANGE = (1e-150, 1e150)


def _float64_scale(params):
    """The largest parameter other than the inverse temperatures, after checking that
    every numeric parameter is within FLOAT64_PARAMETER_RANGE."""
    low, high = FLOAT64_PARAMETER_RANGE
    scale = 1.0
    for name, v in params.items():
        if isinstance(v, str) or getattr(v, "free_symbols", None):
            continue
        size = abs(to_float(v, what=f"parameter {name}"))
        if size and not low <= size <= high:
            raise ValueError(f"parameter {name} = {size:.6g} is outside float64's working range "
                             f"[{low:g}, {high:g}] (or 0); use --dps")
        if not name.startswith("beta"):
            scale = max(scale, size) if scale != 1.0 else size
    return scale


def _format(value, digits):
    if value is None:
        return None
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    return decimal_string(value, digits)


def _rows_out(rows, keys, digits):
    out = []
    for row in rows:
        missing = [k for k in keys if k not in row]
        if missing:
            raise RuntimeError(f"row lacks keys {missing}")
        out.append({k: _format(row[k], digits) for k in keys})
    return out


def _evaluate(compute, dps, float64):
    """Rows from ``compute(lib)``: float64 once, or mpmath certified to dps digits."""
    if float64:
        return compute(FLOAT64), FLOAT64_DIGITS
    digits = check_dps(dps)
    return stable(lambda: compute(MPMATH), digits), digits


def reference_payload(model, given_params, times, *, dps=30, float64=False,
                      convention="received", method="closed-form"):
    """The JSON-ready payload of ``symthermo reference``."""
    p = model.params(given_params)
    model.numeric_params(p)
    if method not in ("closed-form", "propagator"):
        raise ValueError(f"unknown method {method!r}; expected closed-form or propagator")
    time_texts = parse_times(times, p)

    def compute(lib):
        ts = time_values(time_texts, p, lib=lib)
        route = model.evaluate if method == "closed-form" else model.propagate
        return route(p, ts, lib=lib, convention=convention)

    rows, digits = _evaluate(compute, dps, float64)
    keys = model.keys()
    return {
        "model": model.name,
        "params": {k: str(v) for k, v in p.items()},
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": method,
        "number_system": "float64" if float64 else "mpmath",
        "rows": _rows_out(rows, keys, digits),
    }


def ledger_payload(system, source_name, times, *, dps=30, float64=False, convention="received"):
    """The JSON-ready payload of ``symthermo ledger``."""
    from .ledger import ledger_keys, ledger_rows, system_scale

    time_texts = parse_times(times)
    scale = system_scale(system, float64=float64)

    def compute(lib):
        ts = time_values(time_texts, {}, lib=lib, scale=scale)
        rows = ledger_rows(system, ts, lib=lib, convention=convention)
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]

    rows, digits = _evaluate(compute, dps, float64)
    keys = ledger_keys(system.names, unitary=system.unitary)
    return {
        "model": "ledger",
        "system": source_name,
        "subsystems": system.names,
        "params": {},
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": "propagator",
        "number_system": "float64" if float64 else "mpmath",
        "rows": _rows_out(rows, keys, digits),
    }


def render(payload, fmt):
    """JSON (default) or CSV text of a payload."""
    if fmt == "json":
        return json.dumps(payload, indent=1) + "\n"
    if fmt == "csv":
        rows = payload["rows"]
        buffer = io.StringIO()
        keys = list(rows[0]) if rows else []
        writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
