"""What every benchmark problem shares: the run context, timing, digit scores, results.

Digits correct
--------------
For one tool on one problem, over every value it computes (each key, each
time or case) against the reference value ``r``::

    err = |x - r| / max(|r|, floor),   digits = -log10(max err)

capped at the digits the reference itself is known to (``cap``) and at 0
from below.  ``floor`` is ``floor_rel`` times the largest |r| of that key
over the run (``ABS_FLOOR`` = 1e-3 for the trajectories of problems 1-3
and 5): the error is relative, except for values that are near 0 on the
scale of their own key, whose error is absolute on that scale.  A key that
vanishes identically (largest |r| below ``ZERO`` = 1e-25, such as E_int of
the resonant reaction coordinate) is scored by its absolute error.
Problem 4 uses ``floor_rel = 0`` and no absolute floor (pure
relative error; an exact 0 is scored by its absolute error).  Infinite
references (beta of a pure state) must be matched exactly.
"""

from __future__ import annotations

import importlib
import math
import statistics
import sys
import time
from dataclasses import dataclass, field

import mpmath

__all__ = ["Context", "ABS_FLOOR", "ZERO", "timed", "score", "result", "columns", "mp", "fnum",
           "missing_rows", "short"]

#: values below this fraction of their key's largest |reference| are scored absolutely
ABS_FLOOR = 1e-3
#: a key whose largest |reference| is below this vanishes identically (absolute error)
ZERO = 1e-25


@dataclass
class Context:
    """Settings of one benchmark run and the optional tools found."""

    quick: bool = False
    dps: int = 30
    ref_dps: int = 50
    repeat: int = 5
    without: tuple = ()
    tools: dict = field(default_factory=dict)  # name -> module or None
    missing: dict = field(default_factory=dict)  # name -> reason
    verbose: bool = True

    def load_tools(self):
        for name in ("qutip", "qthermo"):
            if name in self.without:
                self.tools[name] = None
                self.missing[name] = "disabled by --without"
                continue
            try:
                self.tools[name] = importlib.import_module(name)
            except Exception as exc:  # ImportError, or a broken install
                self.tools[name] = None
                self.missing[name] = (f"not installed ({type(exc).__name__}: {exc}); "
                                      "install the bench extra: pip install 'symthermo[bench]'")
        return self

    @property
    def qutip(self):
        return self.tools.get("qutip")

    @property
    def qthermo(self):
        return self.tools.get("qthermo")

    def log(self, message):
        if self.verbose:
            print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(fn, ctx: Context, *, repeat=None, budget=3.0):
    """(median wall time of ``fn()`` over several calls, last result).

    Every tool is timed the same way: ``repeat`` calls, stopping early (after
    at least three) when the next would pass ``budget`` seconds in total; a
    call that alone exceeds the budget is timed once.  Calls under 10 ms are
    repeated further, up to 51 calls or 0.25 s, so that the median of a
    sub-millisecond call is not one noisy sample on a shared machine.
    """
    repeat = max(1, ctx.repeat if repeat is None else repeat)
    times, total, out = [], 0.0, None
    while True:
        start = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        total += elapsed
        if elapsed > budget or (len(times) >= 3 and total + elapsed > budget):
            break
        if len(times) >= repeat and (elapsed >= 0.01 or len(times) >= 51 or total >= 0.25):
            break
    return statistics.median(times), out


def mp(x):
    """x as an mpmath real (complex values: their real part; exact for floats)."""
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        return mpmath.re(x)
    if isinstance(x, complex):
        return mpmath.mpf(x.real)
    try:
        return mpmath.mpf(x)
    except (TypeError, ValueError):
        c = complex(x)
        return mpmath.mpf(c.real)


def fnum(x, digits=3):
    """A short decimal for tables."""
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    try:
        if mpmath.isinf(x):
            return "inf" if x > 0 else "-inf"
    except TypeError:
        pass
    return mpmath.nstr(mp(x), digits)


def columns(rows, keys):
    """{key: [row[key] for row in rows]} for the keys present in every row."""
    return {k: [r[k] for r in rows] for k in keys if all(k in r for r in rows)}


def score(values, reference, keys, *, cap, floor_rel=ABS_FLOOR, zero=ZERO, labels=None):
    """Digits correct of ``values`` against ``reference`` over ``keys``.

    Returns ``{"digits", "per_key", "worst"}``: the minimum over keys, the
    digits of each key, and where the worst error occurs (key, label, value,
    reference).
    """
    per_key, worst = {}, None
    with mpmath.workdps(max(80, cap + 30)):
        for k in keys:
            refs = [mp(r) for r in reference[k]]
            xs = [mp(x) for x in values[k]]
            finite = [abs(r) for r in refs if mpmath.isfinite(r)]
            scale = max(finite) if finite else mpmath.mpf(0)
            if not floor_rel:
                floor = mpmath.mpf(0)  # pure relative error
            elif scale > zero:
                floor = floor_rel * scale
            else:
                floor = mpmath.mpf(1)  # a key that vanishes identically: absolute error
            key_err, key_at = mpmath.mpf(0), (0 if xs else None)
            for i, (x, r) in enumerate(zip(xs, refs)):
                err = _error(x, r, floor)
                if err > key_err:
                    key_err, key_at = err, i
            d = _digits(key_err, cap)
            per_key[k] = d
            if worst is None or d < worst["digits"]:
                label = labels[key_at] if labels is not None and key_at is not None else key_at
                worst = {"digits": d, "key": k, "at": label,
                         "value": fnum(xs[key_at], 6) if key_at is not None else None,
                         "reference": fnum(refs[key_at], 6) if key_at is not None else None}
    digits = min(per_key.values()) if per_key else None
    return {"digits": digits, "per_key": per_key, "worst": worst}


def _error(x, r, floor):
    if mpmath.isnan(x):
        return mpmath.inf
    if mpmath.isinf(r) or mpmath.isinf(x):
        return mpmath.mpf(0) if x == r else mpmath.inf
    diff = abs(x - r)
    if diff == 0:
        return mpmath.mpf(0)
    denom = max(abs(r), floor)
    if denom == 0:
        return diff  # an exact 0 scored by its absolute error
    return diff / denom


def _digits(err, cap):
    if err == 0:
        return float(cap)
    if mpmath.isinf(err):
        return 0.0
    return float(min(cap, max(0.0, -mpmath.log10(err))))


def result(problem, tool, *, status="ok", time_s=None, solve_s=None, scored=None, keys=(),
           note="", **extra):
    """One row of the report (a plain dict, JSON-ready)."""
    row = {"problem": problem, "tool": tool, "status": status, "time_s": time_s,
           "solve_s": solve_s, "digits": None, "per_key_digits": {}, "worst": None,
           "keys": list(keys), "note": note}
    if scored is not None:
        row["digits"] = scored["digits"]
        row["per_key_digits"] = scored["per_key"]
        row["worst"] = scored["worst"]
    row.update(extra)
    return row


def missing_rows(problem, ctx, names, what):
    """'not available' rows for the optional tools among ``names`` that are missing."""
    out = []
    for name in names:
        if ctx.tools.get(name) is None:
            out.append(result(problem, f"{name}: {what}", status="missing",
                              note=f"{name} {ctx.missing.get(name, 'not available')}"))
    return out


def short(keys):
    """A compact description of a key list: 'E,S,ergotropy,exergy (A,B)'."""
    names, subs, other = [], [], []
    for k in keys:
        if "_" in k and k.rsplit("_", 1)[1] in ("A", "B") and k not in ("E_int", "I_AB"):
            base, sub = k.rsplit("_", 1)
            if base not in names:
                names.append(base)
            if sub not in subs:
                subs.append(sub)
        else:
            other.append(k)
    text = ",".join(names) + (f" ({','.join(subs)})" if subs else "")
    return ", ".join([t for t in [text] + [",".join(other)] if t])
