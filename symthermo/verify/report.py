r"""The three renderings of ``symthermo verify``: a text table, JSON, Markdown.

A check is the contract's dict: ``id``, ``paper``, ``equation``, ``status``
(``holds`` | ``differs`` | ``not-checked``), ``detail``, ``published_latex``,
``derived_latex`` and, for ``differs`` only, ``witness`` = {``params``,
``t``, ``published``, ``derived``}.

>>> from symthermo.verify.report import render_text, summary
>>> checks = [{"id": "EL23:5", "paper": "EL23", "equation": "5", "status": "holds",
...            "detail": "Holds at 6 points.", "published_latex": "x", "derived_latex": "x"}]
>>> summary(checks)
{'EL23': {'holds': 1, 'differs': 0, 'not-checked': 0}}
>>> print(render_text(checks).splitlines()[1])
EL23:5  holds         Holds at 6 points.
"""

from __future__ import annotations

import json

__all__ = ["FIELDS", "DIFFERS_FIELDS", "STATUSES", "summary", "render_text", "render_json", "render_markdown",
           "one_line"]

#: the contract's fields of a check, in order
FIELDS = ("id", "paper", "equation", "status", "detail", "published_latex", "derived_latex")
#: the fields a ``differs`` adds, in order
DIFFERS_FIELDS = ("witness", "corrected_latex", "correction")
#: the statuses, in the order they are counted
STATUSES = ("holds", "differs", "not-checked")


def summary(checks):
    """Counts of each status per paper."""
    out = {}
    for c in checks:
        counts = out.setdefault(c["paper"], {s: 0 for s in STATUSES})
        counts[c["status"]] += 1
    return out


#: words after which a full stop does not end a sentence
_ABBREVIATIONS = ("Eq", "Eqs", "al", "Fig", "Figs", "e.g", "i.e", "cf", "vs", "Ref", "App")


def one_line(text, width=110):
    """The first sentence of ``text`` (not cut at "Eq." or "et al."), at most ``width`` characters.

    >>> one_line("From Eq. (1) and energy conservation. Holds at 4 points.")
    'From Eq. (1) and energy conservation.'
    """
    text = " ".join(text.split())
    first = text
    start = 0
    while True:
        cut = text.find(". ", start)
        if cut < 0:
            break
        word = text[:cut].split(" ")[-1].lstrip("([")
        if word not in _ABBREVIATIONS:
            first = text[:cut + 1]
            break
        start = cut + 2
    if len(first) > width:
        first = first[:width - 3].rstrip() + "..."
    return first


def render_text(checks, *, failures=(), seconds=None, width=100):
    """A table: id, status, the whole detail wrapped under its column (never cut),
    and for a ``differs`` its witness; then the counts per paper."""
    import textwrap

    col = max([len(c["id"]) for c in checks] + [2]) + 2
    indent = " " * (col + 14)
    lines = [f"{'id':<{col}}{'status':<14}detail"]
    for c in checks:
        detail = " ".join(str(c.get("detail", "")).split())
        body = textwrap.wrap(detail, max(30, width - len(indent))) or [""]
        lines.append(f"{c['id']:<{col}}{c['status']:<14}{body[0]}")
        lines += [indent + b for b in body[1:]]
        w = c.get("witness")
        if c["status"] == "differs" and w:
            params = ", ".join(f"{k}={v}" for k, v in (w.get("params") or {}).items())
            text = (f"witness: t = {w.get('t')}; printed {w.get('published')}, derived "
                    f"{w.get('derived')}; {params}")
            lines += [indent + b for b in textwrap.wrap(text, max(30, width - len(indent)))]
            if c.get("correction"):
                text = f"correction: {c['correction']}: {' '.join(c['corrected_latex'].split())}"
                lines += [indent + b for b in textwrap.wrap(text, max(30, width - len(indent)),
                                                            break_long_words=False)]
    lines.append("")
    for paper, counts in summary(checks).items():
        lines.append(f"{paper}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES))
    if failures:
        lines.append(f"verify's own cross-checks: {len(failures)} FAILED")
        lines += [f"  {f}" for f in failures]
    else:
        lines.append("verify's own cross-checks: all agree")
    if seconds is not None:
        lines.append(f"time: {seconds:.1f} s")
    return "\n".join(lines) + "\n"


def render_json(checks):
    """The contract's JSON: a list of checks."""
    return json.dumps(list(checks), indent=1, ensure_ascii=False) + "\n"


def _escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(checks):
    """Markdown for the reproduce job: a table per paper, then every difference."""
    out = ["# Printed equations checked against the derivation", ""]
    counts = summary(checks)
    for paper, c in counts.items():
        out.append(f"- **{paper}**: " + ", ".join(f"{c[s]} {s}" for s in STATUSES))
    out.append("")
    for paper in counts:
        out += [f"## {paper}", "", "| equation | status | detail |", "| --- | --- | --- |"]
        for c in checks:
            if c["paper"] == paper:
                out.append(f"| {c['equation']} | {c['status']} | {_escape(c['detail'])} |")
        out.append("")
    differs = [c for c in checks if c["status"] == "differs"]
    if differs:
        out += ["## Differences", ""]
        for c in differs:
            w = c["witness"]
            params = ", ".join(f"{k} = {v}" for k, v in w["params"].items())
            out += [f"### {c['id']}", "", c["detail"], "",
                    "Printed:", "", "$$", c["published_latex"], "$$", "",
                    "Derived:", "", "$$", c["derived_latex"], "$$", "",
                    *(["Corrected (" + c["correction"] + "):", "", "$$", c["corrected_latex"],
                       "$$", ""] if c.get("corrected_latex") else []),
                    f"Witness ({params}; t = {w['t']}): printed {w['published']}, "
                    f"derived {w['derived']}.", ""]
    return "\n".join(out)
