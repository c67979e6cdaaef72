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
>>> list(parse_times("0, pi/2, 1e-3", {}))
[Fraction(0, 1), pi/2, Fraction(1, 1000)]
>>> list(parse_times("0:1:3", {}))
[Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)]
"""

from __future__ import annotations

import csv
import io
import json

from .compiled import NumericParams, plain_inputs
from .exact_numbers import to_float
from .lazy import lazy_import
from .numbers import EXACT, FLOAT64, MPMATH
from .precision import FLOAT64_DIGITS, check_dps, decimal_string, precision_held, stable
from .times import MAX_COUNT, parse_times, time_numbers

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["parse_times", "time_values", "reference_payload", "ledger_payload", "render"]

UNITS = "hbar = k_B = 1"


def time_values(times, params, *, lib, scale=None, unused=()):
    """Times as numbers of ``lib``: ``times`` from :func:`parse_times`, or time texts
    (expressions in the parameters) read with the parameters' values.

    In float64, ``scale`` (default: the largest parameter other than the
    inverse temperatures ``beta*`` and the parameters ``unused`` by this parameter set
    (:meth:`~symthermo.models.base.Model.unused_parameters`), a bound on the
    frequencies) bounds the phase error of a time's rounding
    (:func:`symthermo.times.time_numbers`).
    """
    times = parse_times(times, params)
    if scale is None:
        scale, name = _float64_scale(params, unused) if lib is FLOAT64 else (1, None)
        return time_numbers(times, lib=lib, scale=scale, scale_name=name)
    return time_numbers(times, lib=lib, scale=scale)


#: float64 evaluation takes parameters of size 0 or within [1e-150, 1e150] (their squares
#: and inverse squares stay finite)
FLOAT64_PARAMETER_RANGE = (1e-150, 1e150)


def _float64_scale(params, unused=()):
    """(the largest parameter other than the inverse temperatures and the names in
    ``unused``, its name), after checking that every numeric parameter is within
    FLOAT64_PARAMETER_RANGE."""
    low, high = FLOAT64_PARAMETER_RANGE
    scale, scale_name = 1.0, None
    for name, v in params.items():
        if isinstance(v, str) or getattr(v, "free_symbols", None):
            continue
        size = abs(to_float(v, what=f"parameter {name}"))
        if size and not low <= size <= high:
            raise ValueError(f"parameter {name} = {size:.6g} is outside float64's working range "
                             f"[{low:g}, {high:g}] (or 0); use --dps")
        if name in unused:  # (the vacuum field's alpha: no phase of the model holds it)
            continue
        if not name.startswith("beta") and (scale_name is None or size > scale):
            scale, scale_name = size, name
    return scale, scale_name


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


def _evaluate(compute, dps, float64, apart=()):
    """Rows from ``compute(lib)``: float64 once, or mpmath certified to dps digits
    (the keys ``apart`` describe the evaluation, such as a Fock window that widens with
    the working precision: left out of the agreement, taken from the last evaluation)."""
    if float64:
        return compute(FLOAT64), FLOAT64_DIGITS
    digits = check_dps(dps)
    if not apart:
        return stable(lambda: compute(MPMATH), digits), digits
    last = []

    def compared():
        rows = [dict(r) for r in compute(MPMATH)]
        last[:] = [{k: r.pop(k) for k in apart if k in r} for r in rows]
        return rows

    rows = stable(compared, digits)
    return [dict(r, **kept) for r, kept in zip(rows, last)], digits


#: the number systems of a certified ``reference``: balls (one evaluation, proven
#: bounds, Ziv's loop) or mpmath (two agreeing evaluations, precision.stable)
NUMBER_SYSTEMS = ("balls", "mpmath")


def _evaluate_balls(compute, digits, rows=None):
    """Rows from ``compute(BALLS)`` by Ziv's loop (``rows(lib, indices)``: those rows
    alone, see :func:`~symthermo.certify.certified`); None if the route has no ball
    version."""
    from .certify import certified

    try:
        return certified(compute, digits, rows=rows)
    except NotImplementedError:
        return None


def _ball_rows_out(result, keys, digits, errors):
    """Rows of strings from balls (certify.format_ball); ``err`` per row: the bound of
    |printed - exact| of each value (contract: "Certified values and their errors")."""
    from .ball_columns import BallColumnRows
    from .ball_conversion import is_ball

    if isinstance(result.value, BallColumnRows):
        return _ball_columns_out(result, keys, digits, errors)
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


def _ball_columns_out(result, keys, digits, errors):
    """:func:`_ball_rows_out` of columnar balls (:mod:`symthermo.ball_columns`): the
    texts found by the certification, column by column."""
    value = result.value
    missing = [k for k in keys if k not in value.columns]
    if missing:
        raise RuntimeError(f"row lacks keys {missing}")
    texts, errs = [], []
    for k in keys:
        found = result.texts[k]
        if None in found:  # values that are not balls
            column = value.column(k)
            found = [t if t is not None else (_format(column[i], digits), "0")
                     for i, t in enumerate(found)]
        if not result.complete and any(text == "nan" for text, _ in found):
            i = [text for text, _ in found].index("nan")  # the contract never prints nan
            t = result.texts["t"][i][0] if "t" in result.texts else "?"
            raise ValueError(f"{k} at t = {t} has no finite enclosure (nan) at "
                             f"{result.bits} bits")
        text, err = zip(*found) if found else ((), ())
        texts.append(text)
        errs.append(err)
    out = [dict(zip(keys, row)) for row in zip(*texts)]
    if errors:
        for row, err in zip(out, zip(*errs)):
            row["err"] = dict(zip(keys, err))
    return out


def _check_number_system(number_system):
    if number_system not in NUMBER_SYSTEMS:
        raise ValueError(f"unknown number system {number_system!r}; expected "
                         f"{' or '.join(NUMBER_SYSTEMS)}")


def _times_in(lib, time_texts, params, exact_times, rows=None, **kw):
    """The times as numbers of ``lib``; for balls parsed once exactly (into the list
    ``exact_times``) and enclosed at each precision of Ziv's loop (only those at the
    indices ``rows`` if given)."""
    if lib in (FLOAT64, MPMATH):
        return time_values(time_texts, params, lib=lib, **kw)
    if not exact_times:
        exact_times.extend(time_values(time_texts, params, lib=EXACT))
    chosen = exact_times if rows is None else [exact_times[i] for i in rows]
    return [lib.number(t) for t in chosen]


def _rows_of(result, compute, keys, dps, float64, errors, apart=()):
    """(number system, digits, rows of strings): from the balls' ``result`` when there is
    one, else ``compute`` in float64 or mpmath certified by agreement."""
    if result is not None:
        digits = check_dps(dps)
        return "balls", digits, _ball_rows_out(result, keys, digits, errors)
    rows, digits = _evaluate(compute, dps, float64, apart)
    return ("float64" if float64 else "mpmath"), digits, _rows_out(rows, keys, digits)


def _undecided_special_times(result, exact_times):
    """Indices of the exact special times (``pi/(2*g)``) whose row holds a value the
    balls could only bound (printed ``m +/- r``)."""
    from fractions import Fraction

    from .ball_columns import BallColumnRows
    from .ball_conversion import is_ball

    if all(isinstance(t, Fraction) for t in exact_times):
        return []  # a rational time is never special (and SymPy is not needed)
    from .exact_times import is_special_time

    special = [i for i, t in enumerate(exact_times[:len(result.value)]) if is_special_time(t)]
    from .certify import _open_text as open_  # a bound, or no finite enclosure (nan)

    if isinstance(result.value, BallColumnRows):
        return [i for i in special
                if any(t is not None and open_(t[0]) for t in
                       (result.texts[k][i] for k in result.value.keys))]
    return [i for i in special
            if any(is_ball(v) and open_(result.format(v)[0]) for v in result.value[i].values())]


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
    _check_number_system(number_system)
    if method not in ("closed-form", "propagator"):
        raise ValueError(f"unknown method {method!r}; expected closed-form or propagator")
    keys = model.keys()
    # float64 closed forms of plain numbers: compiled forms from the cache, no SymPy
    fast = float64 and method == "closed-form" and plain_inputs(model, given_params, times)
    if fast:
        p, ts = fast
        scale, name = _float64_scale(p.values, model.unused_parameters(p))
        ts = time_numbers(ts, lib=FLOAT64, scale=scale, scale_name=name)  # float64's limits
        rows = model.evaluate(p, ts, lib=FLOAT64, convention=convention)
        rows_out = _rows_out(rows, keys, FLOAT64_DIGITS)
        again = _recomputed(model, given_params, times, rows, rows_out, keys, convention)
        return _reference_out(model, p.text(), convention, FLOAT64_DIGITS, method, "float64",
                              rows_out, recomputed=again)
    exact_times, proven = [], []
    # certified closed forms of plain numbers: the cached ball forms and exact Fraction
    # times, without SymPy (compiled.NumericParams; Model.numeric_balls)
    plain = (not float64 and number_system == "balls" and method == "closed-form"
             and getattr(model, "numeric_balls", False)
             and plain_inputs(model, given_params, times))
    if plain and len(plain[1]) <= MAX_COUNT:
        p = plain[0]
        time_texts = parse_times(times, {})
        exact_times.extend(time_texts)
    else:
        p = model.params(given_params)
        model.numeric_params(p)
        time_texts = parse_times(times, p)

    float64_rows = []

    def compute(lib):
        balls = lib not in (FLOAT64, MPMATH)
        if balls and method == "closed-form" and model.vectorised and not any(proven):
            return columns(lib)  # all times at once, the same balls
        ts = _times_in(lib, time_texts, p, exact_times, unused=model.unused_parameters(p))
        if lib is FLOAT64:
            route = model.evaluate if method == "closed-form" else model.propagate
            float64_rows.append(route(p, ts, lib=lib, convention=convention))
            return float64_rows[-1]
        if balls and method == "closed-form" and any(proven):
            return model.evaluate(p, ts, lib=lib, convention=convention, proven=proven)
        route = model.evaluate if method == "closed-form" else model.propagate
        return route(p, ts, lib=lib, convention=convention)

    def columns(lib, rows=None):
        """The balls of a vectorised closed form, all times at once (or the times at the
        indices ``rows``): compute's route for them and Ziv's row-by-row passes."""
        from .ball_columns import evaluate_columns

        return evaluate_columns(model, p, _times_in(lib, time_texts, p, exact_times, rows),
                                convention=convention)

    result = None
    if not float64 and number_system == "balls":
        digits = check_dps(dps)
        columnar = method == "closed-form" and model.vectorised
        result = _evaluate_balls(compute, digits, rows=columns if columnar else None)
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
                if any(proven):  # (the rows of each time's proven data: not columnar)
                    result = _evaluate_balls(compute, digits)
    system, digits, rows_out = _rows_of(result, compute, keys, dps, float64, errors,
                                        getattr(model, "window_keys", ()))
    params = p.text() if isinstance(p, NumericParams) else {k: str(v) for k, v in p.items()}
    again = (_recomputed(model, given_params, times, float64_rows[-1], rows_out, keys,
                         convention, method) if float64 else None)
    return _reference_out(model, params, convention, digits, method, system, rows_out,
                          recomputed=again)


def _recomputed(model, given_params, times, rows, rows_out, keys, convention,
                method="closed-form"):
    """The float64 rows the model marked unearned (``rows.unearned``: values within
    their own rounding of 0, whose printed digits would be noise) recomputed on the
    certified route at the float64 digits, in place in ``rows_out``; their ``t`` texts
    (the contract's ``recomputed_with_balls``)."""
    unearned = list(getattr(rows, "unearned", None) or [])
    if not unearned:
        return []
    exact = parse_times(times)
    texts = ",".join(str(exact[i]) for i in unearned)
    again = reference_payload(model, given_params, texts, dps=FLOAT64_DIGITS,
                              convention=convention, method=method, errors=False)["rows"]
    return _put_recomputed(rows_out, unearned, again, keys)


def _put_recomputed(rows_out, indices, again, keys):
    """The recomputed rows ``again`` put in place of ``rows_out[i]`` for i in ``indices``
    (every key but ``t``, which keeps its float64 text); those rows' ``t`` texts."""
    for i, row in zip(indices, again):
        rows_out[i].update({k: row[k] for k in keys if k != "t" and k in row})
    return [rows_out[i]["t"] for i in indices]


def _reference_out(model, params, convention, digits, method, system, rows_out, *,
                   recomputed=None):
    out = {
        "model": model.name,
        "params": params,
        "convention": convention,
        "units": UNITS,
        "dps": digits,
        "method": method,
        "number_system": system,
        "rows": rows_out,
    }
    if recomputed is not None:  # float64 (contract: "recomputed_with_balls")
        out["recomputed_with_balls"] = recomputed
    return out


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
    from .ledger import ledger_keys, ledger_rows, system_scale
    from .plain import plain_times

    _check_number_system(number_system)
    # float64 and plain times: read without SymPy (the float64 resolution still checked)
    scale = system_scale(system, float64=float64)
    plain = plain_times(times) if float64 and isinstance(times, str) else None
    if plain is not None:
        plain = time_numbers(plain, lib=FLOAT64, scale=scale)
    time_texts = parse_times(times, {}) if plain is None else None
    exact_times = []

    unearned_rows = []

    def compute(lib):
        ts = plain if plain is not None else _times_in(lib, time_texts, {}, exact_times,
                                                        scale=scale)
        rows = ledger_rows(system, ts, lib=lib, convention=convention)
        if lib is FLOAT64:
            from .ledger_fallback import unearned

            unearned_rows.extend(i for i, r in enumerate(rows)
                                 if unearned(r, r["_internal"]["errors"]))
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
    used, digits, rows_out = _rows_of(result, compute, keys, dps, float64, errors)
    extra = {}
    if float64:
        # rows whose float64 values would print unearned digits: recomputed on balls
        # (every printed digit proven), listed in the payload (contract: ledger float64)
        from .ledger_fallback import ball_rows

        again = []
        if unearned_rows:
            exact = list(time_values(times, {}, lib=EXACT))
            again = ball_rows(system, [exact[i] for i in unearned_rows],
                              convention=convention, digits=FLOAT64_DIGITS)
        extra["recomputed_with_balls"] = _put_recomputed(rows_out, unearned_rows, again, keys)
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
        **extra,
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
