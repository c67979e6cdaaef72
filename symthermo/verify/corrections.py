r"""The printed formula corrected by the smallest edit that makes it hold (:func:`minimal_edit`).

A ``differs`` is more useful with the corrected form written as the paper
writes it: the same expression tree, one factor or sign replaced.  The
search tries, on the printed relation whose evaluation fails, edits of one
node of its tree, in this order:

1. flip the sign of one node (a term, a factor, a whole side);
2. swap one function for its partner (cos <-> sin, cosh <-> sinh);
3. multiply one node by 2 or 1/2, or change an exponent e into -e, 2e, e/2;
4. exchange two names throughout (``p_e`` <-> ``p_g``);
5. replace one small node (at most :data:`SMALL` tree nodes) by a small node
   of the derived form (a symbol, an index, a function call, ``cos(lambda t)``);

then a sign flip (of a side or one of its terms) followed by one of these.
An edit is accepted when, at every point of the check, the edited relation
holds by :func:`.judge`'s criterion (1e-20 relative at 30 digits) and says
what the derived one says: an equation has a side equal to its derived
counterpart, an inequality has lhs - rhs equal to the derived one.  The tree is rebuilt unevaluated,
so the edit stays visible in its LaTeX (:func:`correction_latex`).

>>> import sympy
>>> from symthermo.verify.corrections import minimal_edit
>>> from symthermo.verify.points import Point
>>> x, y = sympy.symbols("x y")
>>> pts = [Point(params={}, t_label="0", symbols={x: v, y: 5 - v}) for v in (2, 7)]
>>> fixed, what = minimal_edit(sympy.Eq(y, x - 5), sympy.Eq(y, 5 - x), pts)
>>> what
'the sign of the right side flipped'
>>> from symthermo.verify.corrections import correction_latex
>>> correction_latex(fixed)
'y = - (x - 5)'
"""

from __future__ import annotations

import mpmath
import sympy

from .expressions import value
from .agreement import close
from .judge import _gap, _holds, relations
from .operators import Op

__all__ = ["minimal_edit", "correction_latex"]

#: edited statements tried for one check, at most (a count, not seconds: the verdict of
#: the search must not depend on the machine's load)
BUDGET = 3000
#: the largest node (in tree nodes, as ``cos(lambda t)``: 4) replaced or put in by one edit
SMALL = 4

_PARTNERS = {sympy.cos: sympy.sin, sympy.sin: sympy.cos, sympy.cosh: sympy.sinh,
             sympy.sinh: sympy.cosh}
_BINDING = (sympy.Sum, sympy.Integral, sympy.Derivative, sympy.Product, sympy.Lambda)


def _nodes(expr, path=()):
    """(path, node) of every node of a tree, root first (not inside bound variables' limits)."""
    yield path, expr
    if isinstance(expr, sympy.Basic) and not expr.is_Atom:
        # inside a sum or an integral only the body: its limits and variables stay
        args = expr.args[:1] if isinstance(expr, _BINDING) else expr.args
        for k, a in enumerate(args):
            if isinstance(a, sympy.Basic):
                yield from _nodes(a, path + (k,))


def _rebuild(expr, path, new):
    """``expr`` with the node at ``path`` replaced by ``new``, nothing re-evaluated."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _rebuild(args[path[0]], path[1:], new)
    if isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Rel)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def _try_rebuild(expr, path, new):
    try:
        return _rebuild(expr, path, new)
    except (TypeError, ValueError):  # an edit SymPy refuses (a relation of a relation, ...)
        return None


def _neg(node):
    if isinstance(node, sympy.Mul) and node.args and node.args[0] == -1:
        rest = node.args[1:]
        if len(rest) == 1:
            return rest[0]
        return sympy.Mul(*rest, evaluate=False)
    if node.is_Number:
        return -node
    return sympy.Mul(-1, node, evaluate=False)


def _show(node):
    from ..papers.symbols import latex

    text = sympy.sstr(node)
    return text if len(text) <= 60 else latex(node)[:57] + "..."


def _same_head(a, b):
    """A replacement keeps the name and changes an argument or an index (beta_i(t) -> beta_i(0),
    E_L -> E_l, cos(Omega t) -> cos(lambda t)), or replaces one symbol by another."""
    if isinstance(a, sympy.Symbol) and isinstance(b, sympy.Symbol):
        return True
    if isinstance(a, sympy.Indexed) and isinstance(b, sympy.Indexed):
        return a.base == b.base
    return (isinstance(a, sympy.Function) and a.func == b.func
            and len(a.args) == len(b.args))


_SWAPS = {"e": "g", "g": "e", "A": "B", "B": "A", "eA": "gA", "gA": "eA", "eB": "gB",
          "gB": "eB", "0": "1", "1": "0"}


def _partner_names():
    """Names of :mod:`symthermo.papers.symbols` whose attribute names differ by one swapped
    token (``P_e_t`` <-> ``P_g_t``, ``S_A`` <-> ``S_B``)."""
    from ..papers import symbols as P

    attrs = {k: v for k, v in vars(P).items()
             if isinstance(v, (sympy.Symbol, sympy.core.function.UndefinedFunction))}
    out = {}
    for name, obj in attrs.items():
        parts = name.split("_")
        for k, part in enumerate(parts):
            other = "_".join(parts[:k] + [_SWAPS.get(part, part)] + parts[k + 1:])
            if other != name and other in attrs and type(attrs[other]) is type(obj):
                out.setdefault(obj, attrs[other])
                break
    return out


_PARTNER_NAMES = None


def _partner(node):
    """The node with its name replaced by the partner name (P_e(t) -> P_g(t)), or None."""
    global _PARTNER_NAMES
    if _PARTNER_NAMES is None:
        _PARTNER_NAMES = _partner_names()
    if isinstance(node, sympy.Symbol):
        return _PARTNER_NAMES.get(node)
    if isinstance(node, sympy.core.function.AppliedUndef) and node.func in _PARTNER_NAMES:
        return _PARTNER_NAMES[node.func](*node.args)
    return None


def _single_edits(rel, derived_rel):
    """(description, edited relation) for every one-node edit of ``rel``, in the module's order."""
    nodes = [(p, n) for p, n in _nodes(rel) if p and not isinstance(n, sympy.Tuple)]
    sides = {(0,), (1,)}
    # the arguments of a name (S_j(t), E_l, d/dt) are not signs to flip
    arguments = {p for p, n in nodes
                 if isinstance(n, (sympy.core.function.AppliedUndef, sympy.Indexed,
                                   sympy.Derivative))}
    out = []
    for p, n in nodes:  # 1. signs
        if n.is_Number or isinstance(n, sympy.Rel) or p[:-1] in arguments:
            continue
        what = (f"the sign of the {'left' if p == (0,) else 'right'} side" if p in sides
                else f"the sign of {_show(n)}")
        out.append((f"{what} flipped", p, _neg(n)))
    for p, n in nodes:  # 2. function partners
        if type(n) in _PARTNERS:
            new = _PARTNERS[type(n)](*n.args, evaluate=False)
            out.append((f"{_show(n)} -> {_show(new)}", p, new))
    for p, n in nodes:  # 3. factors of 2 and exponents
        if isinstance(n, sympy.Pow):
            for e in (-n.exp, 2 * n.exp, n.exp / 2):
                out.append((f"the exponent of {_show(n.base)}: {_show(n.exp)} -> {_show(e)}", p,
                            sympy.Pow(n.base, e, evaluate=False)))
        if not n.is_Number and not isinstance(n, sympy.Tuple):
            for f, word in ((2, "doubled"), (sympy.Rational(1, 2), "halved")):
                out.append((f"{_show(n)} {word}", p, sympy.Mul(f, n, evaluate=False)))
    out += [(w, p, new) for w, p, new in _exchange_edits(rel)]
    pieces = []
    for _, d in _nodes(derived_rel):
        if (not isinstance(d, (sympy.Tuple, sympy.Rel)) and not d.is_Number and d not in pieces
                and _size(d) <= SMALL):
            pieces.append(d)
    for p, n in nodes:  # 5. a small node of the derived form
        if isinstance(n, sympy.Rel) or _size(n) > SMALL:
            continue
        for d in pieces:
            if d != n and _same_head(n, d):
                out.append((f"{_show(n)} -> {_show(d)}", p, d))
    for p, n in nodes:  # 6. a name replaced by its partner (P_e -> P_g, S_A -> S_B)
        if _size(n) <= SMALL and _partner(n) is not None:
            out.append((f"{_show(n)} -> {_show(_partner(n))}", p, _partner(n)))
    return out


def _size(node):
    return sum(1 for _ in sympy.preorder_traversal(node))


def _exchange_edits(rel):
    """(description, (), relation) with two names exchanged throughout."""
    names = []
    for _, n in _nodes(rel):
        if (isinstance(n, (sympy.Symbol, sympy.Indexed, sympy.core.function.AppliedUndef))
                and n not in names):
            names.append(n)
    out = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            x, y = names[a], names[b]
            if type(x) is not type(y):
                continue
            out.append((f"{_show(x)} and {_show(y)} exchanged", (),
                         rel.xreplace({x: y, y: x})))
    return out


class _Evaluator:
    """Values of trees at one point, sharing the values of unchanged subtrees."""

    def __init__(self, point):
        self.point = point
        self.memo = {}

    def __call__(self, node):
        try:
            return self.memo[node]
        except (KeyError, TypeError):
            pass
        if isinstance(node, sympy.Add):
            out = mpmath.mpf(0)
            for a in node.args:
                out = out + self(a)
        elif isinstance(node, sympy.Mul):
            out = mpmath.mpf(1)
            for a in node.args:
                out = out * self(a)
        elif (isinstance(node, sympy.Pow) and node.exp.is_Number
              and not isinstance(b := self(node.base), Op)):
            out = b ** self(node.exp)
        else:
            out = value(node, self.point)
        self.memo[node] = out
        return out


def _holds_at(rel, ev):
    try:
        return bool(_holds(rel, ev(rel.lhs), ev(rel.rhs)))
    except Exception:  # an edit that cannot be evaluated is not a correction
        return False


def _modes(rel, derived_rel, ev):
    """How ``rel`` agrees with the derived relation at a point: ``"as is"`` when it holds and
    says what the derived one says (an equation: a side equal to its derived counterpart; an
    inequality: lhs - rhs equal to the derived one, since an edit that merely makes an
    inequality true is not a correction), ``"right side negated"`` when an equation does so
    once its right side is negated (the search's two-edit "sign of a side" for free)."""
    out = set()
    try:
        lhs, rhs = ev(rel.lhs), ev(rel.rhs)
        dl, dr = ev(derived_rel.lhs), ev(derived_rel.rhs)
        if isinstance(rel, sympy.Equality):
            if close(lhs, rhs) and (close(lhs, dl) or close(rhs, dr)):
                out.add("as is")
            if close(lhs, -rhs) and (close(lhs, dl) or close(-rhs, dr)):
                out.add("right side negated")
        elif _holds(rel, lhs, rhs) and close(_gap(rel, lhs, rhs), _gap(derived_rel, dl, dr)):
            out.add("as is")
    except Exception:  # an edit that cannot be evaluated is not a correction
        pass
    return out


def _fix_one(rel, derived_rel, evs, budget):
    """The first edit (one, or a sign flip and one) under which ``rel`` holds at every point."""
    def ok(r):
        # the failing point first: most candidates fail there at once
        budget[0] -= 1
        modes = {"as is", "right side negated"}
        for ev in evs:
            modes &= _modes(r, derived_rel, ev)
            if not modes:
                return None
        return "as is" if "as is" in modes else "right side negated"

    def found(r, what, mode):
        if mode == "as is":
            return r, what
        return _rebuild(r, (1,), _neg(r.rhs)), f"{what} and the sign of the right side flipped"

    singles = _single_edits(rel, derived_rel)
    negated = None  # an edit that needs the right side's sign too: only if none needs less
    for what, p, new in singles:
        if budget[0] <= 0:
            return None
        r = _try_rebuild(rel, p, new)
        mode = ok(r) if r is not None else None
        if mode == "as is":
            return found(r, what, mode)
        if mode and negated is None:
            negated = (r, what, mode)
    if negated is not None:
        return found(*negated)
    # two edits: the sign of one term of a side, then one more
    firsts = [s for s in singles if s[0].endswith("flipped") and len(s[1]) == 2
              and isinstance(rel.args[s[1][0]], sympy.Add)]
    for what1, p1, new1 in firsts:
        r1 = _try_rebuild(rel, p1, new1)
        if r1 is None:
            continue
        for what2, p2, new2 in _single_edits(r1, derived_rel):
            if budget[0] <= 0:
                return None
            if what2.endswith("flipped") and p2[:len(p1)] == p1:
                continue
            r = _try_rebuild(r1, p2, new2)
            mode = ok(r) if r is not None else None
            if mode:
                return found(r, f"{what2} and {what1}", mode)
    return None


def minimal_edit(printed, derived, points, *, budget=None):
    """(corrected printed statement, what was edited), or None when no small edit is found.

    Parameters
    ----------
    printed, derived : SymPy relation or Tuple of relations (same shape)
        As given to :func:`.judge` (the printed one with its readings applied).
    points : list of Point
        The check's points; the edited statement must hold at all of them.
    budget : int, optional
        Edited statements to try, at most (default :data:`BUDGET`).
    """
    budget = [BUDGET if budget is None else budget]
    P_rels, D_rels = relations(printed), relations(derived)
    evs = [_Evaluator(pt) for pt in points]
    fixed, edits = [], []
    for pr, dr in zip(P_rels, D_rels):
        if all(_holds_at(pr, ev) for ev in evs):
            fixed.append(pr)
            continue
        evs.sort(key=lambda ev, pr=pr: _holds_at(pr, ev))  # a failing point first

        found = _fix_one(pr, dr, evs, budget)
        if found is None:
            return None
        fixed.append(found[0])
        edits.append(found[1])
    if not edits:
        return None
    out = fixed[0] if not isinstance(printed, sympy.Tuple) else sympy.Tuple(*fixed)
    return out, "; ".join(edits)


def correction_latex(expr):
    """LaTeX of a corrected statement (one relation per line).

    The edited tree is not re-evaluated, so the edit stays where it was made
    (a flipped sign stays a ``-`` in front of its node); terms are printed in
    SymPy's order, as the printed form's ``derived_latex`` is: the
    transcriptions are SymPy expressions, which keep no order of the paper's
    own (``order="none"`` would print ``-5 + x`` for the ``x - 5`` they hold).
    """
    from ..papers.symbols import latex

    if isinstance(expr, sympy.Tuple):
        return "\n".join(latex(a) for a in expr.args)
    return latex(expr)
