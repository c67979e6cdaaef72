"""Judging a printed statement against the derived one (:func:`judge`, :func:`judge_claim`).

Two numbers agree when they differ by less than 1e-20 relative
(:data:`~symthermo.verify.tolerance.TOLERANCE`).  The derived side is also
compared with the core's own functions (*cross-checks*, e.g. ``sigma_A`` of
the ledger against :func:`symthermo.ledger.identity_sides`); a cross-check
that disagrees is a failure of verify itself, not a finding about the paper.
"""

from __future__ import annotations

import time

import mpmath
import sympy

from .agreement import _real, close, fmt
from .expressions import Unbound, value
from .operators import Op, _scale
from .registry import Result
from .tolerance import DPS, TOLERANCE

__all__ = ["judge", "judge_claim", "witness", "relations", "timed"]


_RELATIONS = (sympy.Equality, sympy.GreaterThan, sympy.LessThan, sympy.StrictGreaterThan,
              sympy.StrictLessThan)


def relations(expr):
    """The relations of a printed display, in order (a single one or a Tuple)."""
    if isinstance(expr, sympy.Tuple):
        return list(expr.args)
    return [expr]


def _holds(rel, lhs, rhs, tol=TOLERANCE):
    if isinstance(rel, sympy.Equality):
        return close(lhs, rhs, tol)
    if isinstance(lhs, Op) or isinstance(rhs, Op):
        raise TypeError("an inequality between operators")
    lhs, rhs = _real(lhs), _real(rhs)
    slack = tol * _scale(lhs, rhs)
    if isinstance(rel, (sympy.GreaterThan,)):
        return lhs >= rhs - slack
    if isinstance(rel, sympy.StrictGreaterThan):
        return lhs > rhs + slack
    if isinstance(rel, sympy.LessThan):
        return lhs <= rhs + slack
    return lhs < rhs - slack


def _gap(rel, lhs, rhs):
    """lhs - rhs oriented so that the relation says gap >= 0 (for an inequality)."""
    lhs, rhs = _real(lhs), _real(rhs)
    if isinstance(rel, (sympy.LessThan, sympy.StrictLessThan)):
        return rhs - lhs
    return lhs - rhs


def _chop(x):
    """Rounding residue of an exact zero (below 1e-32) printed as 0."""
    if isinstance(x, (mpmath.mpf, mpmath.mpc)) and abs(x) < mpmath.mpf(10) ** -(DPS + 2):
        return mpmath.mpf(0)
    return x


def witness(point, published, derived):
    """The contract's witness dict."""
    return {"params": {k: str(v) for k, v in point.params.items()}, "t": point.t_label,
            "published": fmt(_chop(published)), "derived": fmt(_chop(derived))}


def _safe(fn, *args):
    try:
        return fn(*args), None
    except (Unbound, TypeError, ValueError, ZeroDivisionError) as exc:
        return None, exc


def judge(printed, derived, points, *, what="", readings=(), crosschecks=(), explain_differs="",
          explain_holds="", min_points=1):
    """Compare a printed statement with the derived one at every point.

    Parameters
    ----------
    printed, derived : SymPy relation or Tuple of relations (same shape)
        ``printed`` with the readings already applied (see ``readings``).
    points : list of Point
    what : str
        The points, for the detail ("4 random systems x 2 times").
    readings : sequence of str
        Notation read charitably (listed in the detail).
    crosschecks : sequence of (label, sympy_expr, fn(point))
        The derived expression against the core's own number: a
        disagreement is a failure of verify, not a finding.
    explain_differs, explain_holds : str
        One sentence of physics for the detail.

    Returns
    -------
    Result
        ``holds`` when every printed relation holds at every point;
        ``differs`` otherwise, with a witness at the first point where a
        printed side and the derived side give different numbers (for an
        identity) or where the printed inequality fails (published and
        derived values of lhs - rhs).
    """
    P_rels, D_rels = relations(printed), relations(derived)
    if len(P_rels) != len(D_rels):
        raise ValueError(f"printed has {len(P_rels)} relations, derived {len(D_rels)}")
    failures = []
    first_diff = None
    violated = 0
    sides_differ = 0
    worst = mpmath.mpf(0)
    evaluated = 0
    for pt in points:
        for label, expr, fn in crosschecks:
            a, err = _safe(value, expr, pt)
            b = fn(pt)
            if err is not None or not close(a, b):
                failures.append(f"cross-check {label} at {pt.params} t={pt.t_label}: derived "
                                f"{_show(a)} vs core {_show(b)}{'' if err is None else f' ({err})'}")
        for k, (pr, dr) in enumerate(zip(P_rels, D_rels)):
            dl, dr_ = value(dr.lhs, pt), value(dr.rhs, pt)
            if not _holds(dr, dl, dr_):
                failures.append(f"derived relation {k + 1} fails at {pt.params} t={pt.t_label}: "
                                f"{_show(dl)} vs {_show(dr_)}")
                continue
            (pl, perr), (prr, rerr) = _safe(value, pr.lhs, pt), _safe(value, pr.rhs, pt)
            evaluated += 1
            if perr or rerr:
                raise ValueError(f"printed relation {k + 1} cannot be evaluated: {perr or rerr}")
            ok = _safe(_holds, pr, pl, prr)[0]
            if isinstance(pr, sympy.Equality) and isinstance(dr, sympy.Equality):
                if ok:
                    if not isinstance(pl, Op):
                        worst = max(worst, abs(pl - prr))
                    continue
                violated += 1
                if first_diff is None:
                    # the side that departs from its derived counterpart
                    if not close(pl, dl):
                        first_diff = (pt, k, "left", pl, dl)
                    elif not close(prr, dr_):
                        first_diff = (pt, k, "right", prr, dr_)
                    else:  # pragma: no cover - impossible when the derived relation holds
                        failures.append(f"relation {k + 1}: printed sides equal the derived "
                                        "ones but the printed relation fails")
                continue
            # inequality
            if not ok:
                violated += 1
                if first_diff is None:
                    first_diff = (pt, k, "lhs - rhs", _gap(pr, pl, prr), _gap(dr, dl, dr_))
            elif not (close(pl, dl) and close(prr, dr_)):
                sides_differ += 1
    n = len(points)
    tail = f" ({what})" if what else ""
    read = f" Read: {'; '.join(readings)}." if readings else ""
    if first_diff is None:
        extra = ""
        if sides_differ:
            extra = (f" The printed inequality held everywhere, but its sides are not the "
                     f"derived ones at {sides_differ} of {n * len(P_rels)} evaluations.")
        detail = (f"{explain_holds + ' ' if explain_holds else ''}Holds at {_points(n)}{tail}"
                  f"{'' if not worst else f', largest residual {mpmath.nstr(worst, 2)}'}.{extra}{read}")
        return Result("holds", detail.strip(), derived, None, failures)
    pt, k, side, pub, der = first_diff
    if isinstance(pub, Op) or isinstance(der, Op):
        pub, der, where = _worst_element(pub, der)
        side += f" side's matrix element {where} (the largest difference)"
    rel_no = f" relation {k + 1} of {len(P_rels)}," if len(P_rels) > 1 else ""
    which = ("lhs - rhs" if side == "lhs - rhs" else f"the {side}" if "element" in side
             else f"the {side} side")
    detail = (f"{explain_differs + ' ' if explain_differs else ''}Fails at {violated} of "
              f"{n * len(P_rels)} evaluations{tail};{rel_no} witness: {which}, "
              f"as printed vs derived.{read}")
    return Result("differs", detail.strip(), derived, witness(pt, pub, der), failures,
                  (printed, derived, points))


def _worst_element(a, b):
    """(a[i, j], b[i, j], "[i, j]") where the two operators differ most."""
    if not (isinstance(a, Op) and isinstance(b, Op)):
        raise TypeError("an operator compared with a number")
    a, b = a._pair(b)
    best, where = -1, (0, 0)
    for r in range(a.m.rows):
        for c in range(a.m.cols):
            d = abs(a.m[r, c] - b.m[r, c])
            if d > best:
                best, where = d, (r, c)
    return a.m[where], b.m[where], f"[{where[0]}, {where[1]}]"


def judge_claim(claim, points, *, derived=None, what="", explain="", readings=()):
    """A claim (a relation or a Tuple of relations) evaluated at points: holds when
    true at every point, else differs (witness: lhs - rhs as printed vs the derived value)."""
    failures = []
    for pt in points:
        for k, rel in enumerate(relations(claim)):
            lhs, rhs = value(rel.lhs, pt), value(rel.rhs, pt)
            if not _holds(rel, lhs, rhs):
                d_rel = relations(derived)[k] if derived is not None else None
                if d_rel is not None:
                    dl, dr = value(d_rel.lhs, pt), value(d_rel.rhs, pt)
                    if isinstance(rel, sympy.Equality):
                        w = witness(pt, rhs, dr) if close(lhs, dl) else witness(pt, lhs, dl)
                    else:
                        w = witness(pt, _gap(rel, lhs, rhs), _gap(d_rel, dl, dr))
                else:
                    w = witness(pt, lhs, rhs)
                read = f" Read: {'; '.join(readings)}." if readings else ""
                return Result("differs", f"{explain} Fails at t = {pt.t_label} ({what}).{read}"
                              .strip(), derived, w, failures)
    read = f" Read: {'; '.join(readings)}." if readings else ""
    return Result("holds", f"{explain} Holds at {_points(len(points))} ({what}).{read}".strip(),
                  derived, None, failures)


def _points(n):
    return "1 point" if n == 1 else f"{n} points"


def _show(x):
    if x is None:
        return "None"
    if isinstance(x, Op):
        return f"Op(norm {mpmath.nstr(x.norm(), 5)})"
    try:
        return mpmath.nstr(x, 8)
    except (TypeError, ValueError):
        return str(x)


def timed(fn, *args):
    """(result, seconds)."""
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start
