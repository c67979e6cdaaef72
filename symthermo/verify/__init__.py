r"""``symthermo verify``: each printed equation of the papers against the derivation.

For every equation transcribed in :mod:`symthermo.papers` (EL23: Elouard &
Latune 2023, received convention; SL26: Santos & Latune 2026, provided
convention) a check in :mod:`symthermo.verify.el23` or
:mod:`symthermo.verify.sl26` writes the DERIVED form from symthermo's own
definitions, evaluates both on random systems or on the models (mpmath, 30
digits), and says ``holds``, ``differs`` (with a witness) or
``not-checked`` (with its reason).  A paper's typo is a finding; only a
disagreement between two routes of symthermo's own derivation counts as a
failure (exit code 1).

>>> from symthermo.verify import run_checks
>>> checks = run_checks("EL23", equations=["S26"])
>>> checks[0]["id"], checks[0]["status"]
('EL23:S26', 'holds')
"""

from __future__ import annotations

import time

from ..precision import precision_held
from .report import DIFFERS_FIELDS, FIELDS, STATUSES, render_json, render_markdown, render_text, summary

__all__ = ["run_checks", "verify_output", "verify_markdown", "print_verdicts", "PAPERS",
           "summary"]

#: the papers verify knows, in order
PAPERS = ("EL23", "SL26")


def _papers(paper):
    if paper == "all":
        return PAPERS
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; expected one of EL23, SL26, all")
    return (paper,)


@precision_held()  # the whole run: building the context computes too
def _run(paper, equations=None, on_check=None):
    """(checks, failures, seconds per check id) for ``paper`` ("EL23", "SL26" or "all");
    ``on_check(check)`` is called after each check (progress bars)."""
    from ..papers import EL23, SL26
    from ..precision import working_precision
    from . import el23, sl26  # noqa: F401 - registers the checks
    from .context import Context
    from .registry import REGISTRY, Result
    from .tolerance import DPS

    entries = {"EL23": EL23, "SL26": SL26}
    checks, failures, seconds = [], [], {}
    ctx = Context()
    with working_precision(DPS):
        for p in _papers(paper):
            for entry in entries[p]:
                if equations is not None and entry.equation not in equations:
                    continue
                fn = REGISTRY[p].get(entry.equation)
                start = time.perf_counter()
                if fn is None:
                    result = Result("not-checked", "no check is registered for this entry")
                    failures.append(f"{entry.id}: no check registered")
                else:
                    try:
                        result = fn(entry, ctx)
                    except Exception as exc:  # a bug of verify: reported, counted as a failure
                        result = Result("not-checked", f"internal error: {type(exc).__name__}: {exc}")
                        failures.append(f"{entry.id}: {type(exc).__name__}: {exc}")
                seconds[entry.id] = time.perf_counter() - start
                failures += [f"{entry.id}: {f}" for f in result.failures]
                check = {
                    "id": entry.id, "paper": entry.paper, "equation": entry.equation,
                    "status": result.status, "detail": result.detail,
                    "published_latex": entry.published_latex,
                    "derived_latex": _latex(result.derived),
                }
                if result.status == "differs":
                    check["witness"] = result.witness
                    check.update(_correction(result, check["derived_latex"]))
                assert tuple(k for k in check if k not in DIFFERS_FIELDS) == FIELDS
                checks.append(check)
                if on_check is not None:
                    on_check(check)
    return checks, failures, seconds


def _correction(result, derived_latex):
    """``corrected_latex`` (the printed form with the smallest edit that makes it hold, else
    the derived form) and ``correction`` (what was edited) of a ``differs``."""
    from .corrections import correction_latex, minimal_edit

    found = None
    if result.search is not None:
        printed, derived, points = result.search
        try:
            found = minimal_edit(printed, derived, points)
        except Exception as exc:  # a bug of the search: the derived form stands
            return {"corrected_latex": derived_latex,
                    "correction": f"derived form (the edit search failed: {type(exc).__name__})"}
    if found is None:
        why = ("no edit of one node (or a sign and one node) of the printed form makes it hold"
               if result.search is not None else "this check does not compare the printed "
               "relation point by point, so no edit of it was searched")
        return {"corrected_latex": derived_latex, "correction": f"derived form: {why}"}
    fixed, what = found
    return {"corrected_latex": correction_latex(fixed),
            "correction": f"printed form with {what}; holds at every point of the check"}


def _latex(derived):
    """SymPy's LaTeX of the derived form; a display of several relations one per line."""
    import sympy

    from ..papers.symbols import latex

    if derived is None:
        return ""
    if isinstance(derived, sympy.Tuple):
        return "\n".join(latex(a) for a in derived.args)
    return latex(derived)


def run_checks(paper="all", *, equations=None, on_check=None):
    """The checks of ``paper`` (``"EL23"``, ``"SL26"`` or ``"all"``) as the contract's dicts.

    ``equations`` restricts to some labels (``["5", "S23"]``); ``on_check(check)``
    is called after each check.
    """
    return _run(paper, equations, on_check)[0]


def verify_output(paper="all", fmt="text", *, on_check=None, only=None):
    """(text, failed): the rendering of ``symthermo verify`` and the number of
    verify's own cross-checks that failed (0 unless symthermo disagrees with itself);
    ``on_check(check)`` is called after each check; ``only`` keeps the checks of one
    status (``differs``, ``holds``, ``not-checked``)."""
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown format {fmt!r}; expected text or json")
    if only is not None and only not in STATUSES:
        raise ValueError(f"unknown status {only!r}; expected one of {', '.join(STATUSES)}")
    start = time.perf_counter()
    checks, failures, _ = _run(paper, on_check=on_check)
    if only is not None:
        checks = [c for c in checks if c["status"] == only]
    elapsed = time.perf_counter() - start
    text = render_json(checks) if fmt == "json" else render_text(checks, failures=failures,
                                                                   seconds=elapsed)
    return text, len(failures)


def verify_markdown(checks):
    """Markdown of checks (for ``symthermo reproduce``)."""
    return render_markdown(checks)


def print_verdicts(paper, equations, *, out=None):
    """Run the checks of some equations and print their verdicts (for the derivation scripts).

    Prints ``id  status  detail`` per check and every witness; returns the
    number of verify's own cross-checks that failed.
    """
    import sys

    from .report import one_line

    out = out or sys.stdout
    checks, failures, _ = _run(paper, list(equations))
    out.write("\nverify verdicts:\n")
    width = max(len(c["id"]) for c in checks) + 2
    for c in checks:
        out.write(f"  {c['id']:<{width}}{c['status']:<13}{one_line(c['detail'], 200)}\n")
        if c["status"] == "differs":
            w = c["witness"]
            params = ", ".join(f"{k}={v}" for k, v in w["params"].items())
            out.write(f"  {'':<{width}}  witness ({params}; t = {w['t']}): "
                      f"printed {w['published']}, derived {w['derived']}\n")
    for f in failures:
        out.write(f"  CROSS-CHECK FAILED: {f}\n")
    return len(failures)
