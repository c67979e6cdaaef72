"""Breaking long displayed formulas at top-level + and -, never inside a fraction.

The width of a LaTeX formula is estimated from its markup (a fraction is as
wide as the wider of its numerator and denominator, a superscript smaller,
``\\left`` and ``\\right`` nothing), in units of about one math character;
a sum wider than the line is set over several lines of an ``align*`` row,
each continuation starting with its sign.

>>> import sympy
>>> from symthermo.linebreak import tex_width, align_rows
>>> tex_width(r"\\frac{a + b}{c}")  # a + b over c: three characters and the bar
4.0
>>> x = sympy.symbols("x1:30")
>>> rows = align_rows([("S", sum(x))], width=40)
>>> len(rows), "\\n&\\\\quad + x" in rows[0]   # one row, continued on further lines
(1, True)
"""

from __future__ import annotations

import re

import sympy

from .notation import latex as paper_latex

__all__ = ["tex_width", "align_rows", "LINE_WIDTH"]

#: usable width of a display line in a plain 10pt ``article``, in math characters
#: (345 pt / ~6.5 pt per character, less the left-hand side's room)
LINE_WIDTH = 46

_ZERO = {"left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits", ",", ";", ":",
         "!", " ", "mathrm", "mathcal", "operatorname", "text", "mathit", "bar", "hat", "tilde"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|&|\s+|.")


def _group(tokens, i):
    """(width, next index) of the group or single token at ``i``."""
    if i >= len(tokens):
        return 0.0, i
    if tokens[i] == "{":
        depth, j = 1, i + 1
        start = j
        while j < len(tokens) and depth:
            if tokens[j] == "{":
                depth += 1
            elif tokens[j] == "}":
                depth -= 1
            j += 1
        return _width(tokens[start:j - 1]), j
    return _width(tokens[i:i + 1]), i + 1


def _width(tokens):
    total, i = 0.0, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == r"\frac" or tok == r"\dfrac" or tok == r"\tfrac":
            a, i = _group(tokens, i + 1)
            b, i = _group(tokens, i)
            total += max(a, b) + 1
            continue
        if tok in ("^", "_"):
            w, i = _group(tokens, i + 1)
            total += 0.7 * w
            continue
        if tok == r"\sqrt":
            w, i = _group(tokens, i + 1)
            total += w + 1.5
            continue
        if tok == "{":
            w, i = _group(tokens, i)
            total += w
            continue
        if tok.isspace() or tok in ("}", "&"):
            i += 1
            continue
        if tok.startswith("\\"):
            name = tok[1:]
            if name in _ZERO:
                i += 1
                continue
            if name in ("quad",):
                total += 2
            elif name in ("ln", "log", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                          "arg", "max", "min", "atanh", "operatorname"):
                total += len(name)
            else:
                total += 1
            i += 1
            continue
        total += 1
        i += 1
    return total


def tex_width(tex):
    """Estimated printed width of ``tex`` in math characters."""
    return _width(_TOKEN.findall(tex))


def _terms(expr):
    """Top-level terms of a sum in SymPy's printing order (else [expr])."""
    if isinstance(expr, sympy.Add):
        printer_order = sympy.Add.make_args(expr)
        try:
            from sympy.printing.latex import LatexPrinter

            printer_order = LatexPrinter()._as_ordered_terms(expr, order=None)
        except Exception:  # pragma: no cover - private API changed
            pass
        return list(printer_order)
    return [expr]


def _signed(term, latex):
    """(sign, LaTeX of |term|) of one term of a sum."""
    if term.could_extract_minus_sign():
        return "-", latex(-term)
    return "+", latex(term)


def _cases(expr, latex, width):
    """A Piecewise as ``cases``, a condition that does not fit beside its value set below it."""
    lines = []
    for value, cond in expr.args:
        v = latex(value)
        c = r"\text{otherwise}" if cond is sympy.true else r"\text{for}\: " + latex(cond)
        if tex_width(v) + tex_width(c) + 4 > width:
            lines.append(f"{v}, & \\\\\n\\quad {c} &")
        else:
            lines.append(f"{v} & {c}")
    return "\\begin{cases} " + " \\\\\n".join(lines) + " \\end{cases}"


def align_rows(rows, *, width=LINE_WIDTH, latex=paper_latex):
    """``align*`` body lines for (left-hand LaTeX, SymPy expression) pairs.

    A right-hand side wider than ``width`` is broken between the terms of its
    top-level sum, greedily, each continuation line ``&\\quad + term``.
    Returns the list of lines (joined by the caller with ``\\\\``).
    """
    out = []
    for lhs, expr in rows:
        rhs = expr if isinstance(expr, str) else latex(expr)
        if isinstance(expr, sympy.Piecewise) and tex_width(rhs) > width:
            out.append(f"{lhs} &= {_cases(expr, latex, width)}")
            continue
        if isinstance(expr, str) or tex_width(rhs) <= width or not isinstance(expr, sympy.Add):
            out.append(f"{lhs} &= {rhs}")
            continue
        pieces = [_signed(t, latex) for t in _terms(expr)]
        lines, current = [], ""
        for k, (sgn, tex) in enumerate(pieces):
            chunk = (f"- {tex}" if sgn == "-" else tex) if k == 0 else f" {sgn} {tex}"
            if current and tex_width(current + chunk) > width:
                lines.append(current)
                current = f"{sgn} {tex}"
            else:
                current += chunk
        lines.append(current)
        first = f"{lhs} &= {lines[0]}"
        out.append(" \\\\\n".join([first] + [f"&\\quad {ln}" for ln in lines[1:]]))
    return out
