"""Reference tables: the payloads of ``symthermo reference`` and ``symthermo ledger``.

Values are decimal strings with ``dps`` significant digits (certified by
evaluating at two increasing precisions, see
:func:`symthermo.precision.stable`), ``inf`` where infinite, never ``nan``.
With ``float64`` the rows are evaluated in float64 and printed with 15
significant digits.

>>> from symthermo.tables import parse_times
>>> parse_times("0, pi/2, 1e-3")
['0', 'pi/2', '1e-3']
>>> parse_times("0:1:3")
['0', '1/2', '1']
"""

from __future__ import annotations

import csv
import io
import json

from .compiled import plain_inputs
from .lazy import lazy_import
from .numbers import FLOAT64, MPMATH
from .precision import FLOAT64_DIGITS, check_dps, decimal_string, precision_held, stable

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["parse_times", "time_values", "reference_payload", "ledger_payload", "render"]

UNITS = "hbar = k_B = 1"


def parse_times(text):
    """Split a --times argument at top-level commas; ``a:b:n`` is n equally spaced times."""
    if isinstance(text, (list, tuple)):
        return [str(t) for t in text]
    parts, depth, current = [], 0, ""
    for ch in str(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    out = []
    for part in parts:
        if not part:
            raise ValueError(f"empty time in --times {text!r}")
        if ":" in part:
            pieces = part.split(":")
            if len(pieces) != 3:
                raise ValueError(f"a time range is START:STOP:COUNT, got {part!r}")
            start, stop, count = pieces
            try:
                n = int(count)
            except ValueError:
                raise ValueError(f"the count of a time range must be an integer, got {count!r}") from None
            if n < 1:
                raise ValueError(f"the count of a time range must be >= 1, got {n}")
            a, b = _expr(start, {}), _expr(stop, {})
            out += [str(a)] if n == 1 else [str(a + (b - a) * sympy.Rational(k, n - 1))
                                           for k in range(n)]
        else:
            out.append(part)
    return out


def _expr(text, symbols):
    try:
        value = sympy.sympify(text, locals=dict(symbols), rational=True)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError):
        raise ValueError(f"not a time expression: {text!r}") from None
    if not isinstance(value, sympy.Expr):
        raise ValueError(f"not a time expression: {text!r}")
    return value


def time_values(times, params, *, lib):
    """Times as numbers of ``lib``, each a SymPy expression in the parameters."""
    symbols = {name: sympy.Symbol(name, positive=True) for name in params}
    subs = {symbols[k]: v for k, v in params.items() if isinstance(v, sympy.Basic)}
    out = []
    for text in times:
        expr = _expr(text, symbols).subs(subs)
        free = {str(s) for s in expr.free_symbols}
        if free:
            raise ValueError(f"time {text!r} depends on unknown or symbolic {', '.join(sorted(free))}")
        if expr.is_real is False or (expr.is_number and expr.is_negative):
            raise ValueError(f"time must be a non-negative real number, got {text!r} = {expr}")
        if lib is FLOAT64:
            out.append(float(expr))
        else:
            out.append(mpmath.mpmathify(sympy.N(expr, mpmath.mp.dps + 5)))
    return out


def _format(value, digits):
    if value is None:
        return None
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    return decimal_string(value, digits)


def _rows_out(rows, keys, digits):
    if hasattr(rows, "strings") and all(k in rows.keys for k in keys):
        out = rows.strings(keys, digits)  # ColumnRows: formatted column by column
        if out is not None:
            return out
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


@precision_held()  # SymPy's evalf of times and parameters changes mpmath's precision too
def reference_payload(model, given_params, times, *, dps=30, float64=False,
                      convention="received", method="closed-form"):
    """The JSON-ready payload of ``symthermo reference``."""
    if method not in ("closed-form", "propagator"):
        raise ValueError(f"unknown method {method!r}; expected closed-form or propagator")
    # float64 closed forms of plain numbers: compiled forms from the cache, no SymPy
    fast = float64 and method == "closed-form" and plain_inputs(model, given_params, times)
    if fast:
        p, ts = fast
        rows, digits = model.evaluate(p, ts, lib=FLOAT64, convention=convention), FLOAT64_DIGITS
    else:
        p = model.params(given_params)
        model.numeric_params(p)
        time_texts = parse_times(times)

        def compute(lib):
            ts = time_values(time_texts, p, lib=lib)
            route = model.evaluate if method == "closed-form" else model.propagate
            return route(p, ts, lib=lib, convention=convention)

        rows, digits = _evaluate(compute, dps, float64)
    keys = model.keys()
    return {
        "model": model.name,
        "params": p.text() if fast else {k: str(v) for k, v in p.items()},
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": method,
        "number_system": "float64" if float64 else "mpmath",
        "rows": _rows_out(rows, keys, digits),
    }


@precision_held()
def ledger_payload(system, source_name, times, *, dps=30, float64=False, convention="received"):
    """The JSON-ready payload of ``symthermo ledger``."""
    from .ledger import ledger_keys, ledger_rows
    from .plain import plain_times

    # float64 and plain times: read without SymPy
    plain = plain_times(times) if float64 and isinstance(times, str) else None
    time_texts = parse_times(times) if plain is None else None

    def compute(lib):
        ts = plain if plain is not None else time_values(time_texts, {}, lib=lib)
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
