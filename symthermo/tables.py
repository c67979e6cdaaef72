"""Reference tables: the payloads of ``symthermo reference`` and ``symthermo ledger``.

Values are decimal strings with ``dps`` significant digits, ``inf`` where
infinite, never ``nan``.  The closed forms of ``reference`` are certified in
ball arithmetic (:func:`symthermo.certify.certified`: every printed digit
proven, a value known only within a bound printed as ``"m +/- r"``, each row's
``err``); the propagator, ``ledger`` and ``number_system="mpmath"`` evaluate at
two increasing precisions (:func:`symthermo.precision.stable`).
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
from fractions import Fraction
import io
import json

from .compiled import plain_inputs
from .lazy import lazy_import
from .numbers import EXACT, FLOAT64, MPMATH
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
    try:  # a plain number ("10/999", "2.5e-3", the range parts): exact, without the parser
        return sympy.Rational(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError, AttributeError):
        pass
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
        expr = _expr(text, symbols)
        if isinstance(expr, sympy.Rational) and expr >= 0:  # a plain number: no subs
            out.append(float(expr) if lib is FLOAT64 else lib.number(expr) if lib is not MPMATH
                       else mpmath.mpf(expr.p) / expr.q)
            continue
        expr = expr.subs(subs)
        free = {str(s) for s in expr.free_symbols}
        if free:
            raise ValueError(f"time {text!r} depends on unknown or symbolic {', '.join(sorted(free))}")
        if expr.is_real is False or (expr.is_number and expr.is_negative):
            raise ValueError(f"time must be a non-negative real number, got {text!r} = {expr}")
        if lib is FLOAT64:
            out.append(float(expr))
        elif lib is not MPMATH:
            out.append(lib.number(expr))
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


#: the number systems of a certified ``reference``: balls (one evaluation, proven
#: bounds, Ziv's loop) or mpmath (two agreeing evaluations, precision.stable)
NUMBER_SYSTEMS = ("balls", "mpmath")


def _evaluate_balls(compute, digits):
    """Rows from ``compute(BALLS)`` by Ziv's loop; None if the route has no ball version."""
    from .certify import certified

    try:
        return certified(compute, digits)
    except NotImplementedError:
        return None


def _ball_rows_out(result, keys, digits, errors):
    """Rows of strings from balls (certify.format_ball); ``err`` per row: the bound of
    |printed - exact| of each value (contract: "Certified values and their errors")."""
    from .balls import is_ball

    out = []
    for row in result.value:
        missing = [k for k in keys if k not in row]
        if missing:
            raise RuntimeError(f"row lacks keys {missing}")
        text, err = {}, {}
        for k in keys:
            v = row[k]
            if is_ball(v):
                text[k], err[k] = result.format(v)
                if text[k] == "nan":  # the contract never prints nan
                    raise ValueError(f"{k} at t = {text.get('t', '?')} has no finite "
                                     f"enclosure (nan) at {result.bits} bits")
            else:
                text[k], err[k] = _format(v, digits), "0"
        if errors:
            text["err"] = err
        out.append(text)
    return out


def _undecided_special_times(result, exact_times):
    """Indices of the exact special times (``pi/(2*g)``) whose row holds a value the
    balls could only bound (printed ``m +/- r``)."""
    from .balls import is_ball
    from .exact_times import is_special_time

    return [i for i, row in enumerate(result.value)
            if i < len(exact_times) and is_special_time(exact_times[i])
            and any(is_ball(v) and " +/- " in result.format(v)[0] for v in row.values())]


@precision_held()  # SymPy's evalf of times and parameters changes mpmath's precision too
def reference_payload(model, given_params, times, *, dps=30, float64=False,
                      convention="received", method="closed-form", number_system="balls",
                      errors=True):
    """The JSON-ready payload of ``symthermo reference``.

    Certified values come from balls by default (``number_system="balls"``: one
    evaluation per precision, every printed digit proven, ``err`` per row when
    ``errors``), for the closed forms and the propagator (rigorous matrix exponentials,
    :mod:`symthermo.ball_linalg`); a route without a ball version and
    ``number_system="mpmath"`` use mpmath and :func:`~symthermo.precision.stable`.
    With ``float64`` and plain numbers the compiled closed forms come from the
    cache of :mod:`symthermo.compiled`, without SymPy.
    """
    if number_system not in NUMBER_SYSTEMS:
        raise ValueError(f"unknown number system {number_system!r}; expected "
                         f"{' or '.join(NUMBER_SYSTEMS)}")
    if method not in ("closed-form", "propagator"):
        raise ValueError(f"unknown method {method!r}; expected closed-form or propagator")
    keys = model.keys()
    # float64 closed forms of plain numbers: compiled forms from the cache, no SymPy
    fast = float64 and method == "closed-form" and plain_inputs(model, given_params, times)
    if fast:
        p, ts = fast
        rows = model.evaluate(p, ts, lib=FLOAT64, convention=convention)
        return _reference_out(model, p.text(), convention, FLOAT64_DIGITS, method, "float64",
                              _rows_out(rows, keys, FLOAT64_DIGITS))
    p = model.params(given_params)
    model.numeric_params(p)
    time_texts = parse_times(times)

    exact_times, proven = [], []

    def compute(lib):
        if lib in (FLOAT64, MPMATH):
            ts = time_values(time_texts, p, lib=lib)
        else:  # balls: parsed once (SymPy), enclosed at each precision of Ziv's loop
            if not exact_times:
                exact_times.extend(time_values(time_texts, p, lib=EXACT))
            ts = [lib.number(t) for t in exact_times]
            if method == "closed-form" and any(proven):
                return model.evaluate(p, ts, lib=lib, convention=convention, proven=proven)
        route = model.evaluate if method == "closed-form" else model.propagate
        return route(p, ts, lib=lib, convention=convention)

    result = None
    if not float64 and number_system == "balls":
        digits = check_dps(dps)
        result = _evaluate_balls(compute, digits)
        if result is not None and method == "closed-form":
            # exact values at exact special times (pi/(2*g)), sought only where the
            # balls left a value undecided: the extra SymPy work is paid where needed
            undecided = _undecided_special_times(result, exact_times)
            if undecided:
                from .exact_times import proven_times

                found = proven_times(model, p, [exact_times[i] for i in undecided])
                proven.extend([None] * len(exact_times))
                for i, data in zip(undecided, found):
                    proven[i] = data
                if any(proven):
                    result = _evaluate_balls(compute, digits)
    if result is not None:
        system = "balls"
        rows_out = _ball_rows_out(result, keys, digits, errors)
    else:
        system = "float64" if float64 else "mpmath"
        rows, digits = _evaluate(compute, dps, float64)
        rows_out = _rows_out(rows, keys, digits)
    return _reference_out(model, {k: str(v) for k, v in p.items()}, convention, digits, method,
                          system, rows_out)


def _reference_out(model, params, convention, digits, method, system, rows_out):
    return {
        "model": model.name,
        "params": params,
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": method,
        "number_system": system,
        "rows": rows_out,
    }


#: bits the ledger's ball evaluation adds to certify's working precision
LEDGER_GUARD_BITS = 32


@precision_held()
def ledger_payload(system, source_name, times, *, dps=30, float64=False, convention="received",
                   number_system="balls", errors=True):
    """The JSON-ready payload of ``symthermo ledger``.

    Certified values come from balls by default (rigorous propagators and spectra,
    :mod:`symthermo.ball_linalg`, Ziv's loop: every printed digit proven, ``err`` per
    row when ``errors``); ``number_system="mpmath"`` uses two agreeing precisions.
    """
    from .ledger import ledger_keys, ledger_rows
    from .plain import plain_times

    if number_system not in NUMBER_SYSTEMS:
        raise ValueError(f"unknown number system {number_system!r}; expected "
                         f"{' or '.join(NUMBER_SYSTEMS)}")
    # float64 and plain times: read without SymPy
    plain = plain_times(times) if float64 and isinstance(times, str) else None
    time_texts = parse_times(times) if plain is None else None
    exact_times = []

    def compute(lib):
        if plain is not None:
            ts = plain
        elif lib in (FLOAT64, MPMATH):
            ts = time_values(time_texts, {}, lib=lib)
        else:  # balls: parsed once (SymPy), enclosed at each precision of Ziv's loop
            if not exact_times:
                exact_times.extend(time_values(time_texts, {}, lib=EXACT))
            ts = [lib.number(t) for t in exact_times]
        rows = ledger_rows(system, ts, lib=lib, convention=convention)
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]

    def compute_balls(lib):
        # the entropy-matched beta is bracketed to about 20 bits less than the working
        # precision: LEDGER_GUARD_BITS more spare the whole evaluation a doubling
        import flint

        from .balls import ball_precision

        with ball_precision(flint.ctx.prec + LEDGER_GUARD_BITS):
            return compute(lib)

    keys = ledger_keys(system.names, unitary=system.unitary)
    result = None
    if not float64 and number_system == "balls":
        from .ledger import check_system

        digits = check_dps(dps)
        check_system(system, digits)  # messages quote decimals, as with mpmath
        result = _evaluate_balls(compute_balls, digits)
    if result is not None:
        used = "balls"
        rows_out = _ball_rows_out(result, keys, digits, errors)
    else:
        used = "float64" if float64 else "mpmath"
        rows, digits = _evaluate(compute, dps, float64)
        rows_out = _rows_out(rows, keys, digits)
    return {
        "model": "ledger",
        "system": source_name,
        "subsystems": system.names,
        "params": {},
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": "propagator",
        "number_system": used,
        "rows": rows_out,
    }


def render(payload, fmt, *, errors=False):
    """JSON (default) or CSV text of a payload; CSV gets ``err_KEY`` columns after the
    values only with ``errors`` (old CSV parsers see the same columns as before)."""
    if fmt == "json":
        return json.dumps(payload, indent=1) + "\n"
    if fmt == "csv":
        rows = payload["rows"]
        buffer = io.StringIO()
        keys = [k for k in rows[0] if k != "err"] if rows else []
        errors = errors and bool(rows) and "err" in rows[0]
        fields = keys + ([f"err_{k}" for k in rows[0]["err"]] if errors else [])
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            flat = {k: row[k] for k in keys}
            if errors:
                flat.update({f"err_{k}": v for k, v in row["err"].items()})
            writer.writerow(flat)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
