"""The one grammar for every expression a user types.

Times (``--times``), parameter values (``--param``), matrix entries and
rates of SYSTEM.json, and the Python API's number strings are all read
here.  Nothing is ever handed to ``eval``, ``sympify`` or ``parse_expr``:
the text is parsed by ``ast.parse(text, mode="eval")`` and the tree is
walked against a whitelist; anything else is refused with a ``ValueError``
quoting the offending piece, before anything is computed.

The grammar
-----------
- numbers in decimal: ``2``, ``2.5``, ``.5``, ``1e-3``, ``6.02E23``, and
  imaginary literals ``1j``, ``0.5J``; read exactly (``"0.1"`` is 1/10,
  ``"1e400"`` is 10**400, never a binary float);
- ``+ - * / **`` (``^`` is read as ``**``), unary ``+``/``-``, parentheses;
- the caller's names (a model's parameters), ``pi``, ``E`` (Euler's
  number), ``I`` and ``j`` (the imaginary unit);
- the functions ``sqrt exp log ln sin cos tan sinh cosh tanh asin acos atan
  abs factorial``, each of one argument.

``6/23j`` (two number literals) is (6/23)j, as SYSTEM.json has always read it;
``x/3j`` with anything else on the left is refused as ambiguous (write
``x/3*j`` or ``x/(3j)``).

Plain numbers and rational arithmetic (``"2.5"``, ``"1e-3"``, ``"1/3"``,
``"0.2+0.1j"``, ``"2**-10"``) are computed exactly with
:class:`fractions.Fraction` and :class:`~symthermo.exact_numbers.ExactComplex`,
without importing SymPy; only an expression that needs it (a constant such as
``pi``, a function, a symbolic parameter, a non-integer power) becomes a SymPy
expression.  :mod:`symthermo.exact_numbers` turns the values into float64,
mpmath and SymPy numbers.

Limits
------
Checked before the work they bound; each refusal is one line naming the
value and the limit.  The limits of one literal (``MAX_LENGTH``,
``MAX_DIGITS``, ``MAX_LITERAL_EXPONENT``, ``MAX_BITS``) are defined in
:mod:`symthermo.plain`, which reads every literal and the plain numbers
(``2.5``, ``-1e-3``, ``1/3``) before the parser is needed.

==========================  ==============================================
``MAX_LENGTH``              10 000 characters in one expression
``MAX_DEPTH``               100 levels of nesting (parentheses, operators)
``MAX_NODES``               500 numbers, names, operators and calls
``MAX_DIGITS``              4 000 digits in one number literal
``MAX_LITERAL_EXPONENT``    a literal's decimal exponent at most 4 000
                            in size (``1e4000``, ``1e-4000``)
``MAX_BITS``                14 000 bits (about 4 200 digits, within what
                            Python prints) in the numerator or denominator
                            of an exact number, and 2**14000 in size for
                            any value
``MAX_ROOT_BITS``           1 024 bits in all for the exact numbers under
                            non-integer powers, ``sqrt`` and ``exp`` (SymPy
                            factors them: sqrt(10**300 + 1) times nine
                            more took a minute)
``MAX_POWER``               a numeric exponent at most 10 000 in size,
                            unless the base is 0, 1 or -1
``MAX_EXP_ARGUMENT``        ``exp``, ``sinh``, ``cosh`` of arguments with
                            real part at most 10**6 in size
``MAX_FACTORIAL``           ``factorial(n)`` for integers 0 <= n <= 1000
==========================  ==============================================

>>> from symthermo.expressions import parse_expression, parse_number
>>> parse_expression("0.1 + 1/3")
Fraction(13, 30)
>>> parse_number("0.2+0.1j")
ExactComplex(Fraction(1, 5), Fraction(1, 10))
>>> parse_expression("pi/(4*g)", {"g": 2})
pi/8
>>> parse_expression("().__class__")
Traceback (most recent call last):
...
symthermo.expressions.ExpressionError: expression '().__class__': attribute access '().__class__' is not allowed
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Mapping
from fractions import Fraction
from numbers import Integral

from .exact_numbers import ExactComplex, _is_sympy, to_mpmath, to_sympy
# the limits of one literal, its reader and the fast path of plain numbers: one place
from .plain import (MAX_BITS, MAX_DIGITS, MAX_LENGTH, MAX_LITERAL_EXPONENT, LiteralError,
                    literal_value, plain_value, shorten)

__all__ = [
    "ExpressionError",
    "parse_expression",
    "parse_number",
    "shorten",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_DIGITS",
    "MAX_LITERAL_EXPONENT",
    "MAX_BITS",
    "MAX_ROOT_BITS",
    "MAX_POWER",
    "MAX_EXP_ARGUMENT",
    "MAX_FACTORIAL",
    "FUNCTIONS",
    "CONSTANTS",
]

MAX_DEPTH = 100
MAX_NODES = 500
MAX_ROOT_BITS = 1_024
MAX_POWER = 10_000
MAX_EXP_ARGUMENT = 10**6
MAX_FACTORIAL = 1_000

#: the functions of the grammar (name -> SymPy function name)
FUNCTIONS = {
    "sqrt": "sqrt", "exp": "exp", "log": "log", "ln": "log",
    "sin": "sin", "cos": "cos", "tan": "tan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "asin": "asin", "acos": "acos", "atan": "atan",
    "abs": "Abs", "factorial": "factorial",
}
#: the constants of the grammar
CONSTANTS = ("pi", "E", "I", "j")

_NOT_FINITE = ("nan", "inf", "infinity", "oo", "zoo", "NaN", "Inf", "Infinity")
_DIGIT_RUN = re.compile(r"[0-9]+")
_ALLOWED_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "_.+-*/^() \t")
_NODE_NAMES = {
    ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "an assignment", ast.Starred: "a starred expression",
    ast.Compare: "a comparison", ast.BoolOp: "a boolean operator", ast.IfExp: "a conditional",
    ast.List: "a list", ast.Tuple: "a tuple", ast.Set: "a set", ast.Dict: "a dict",
    ast.JoinedStr: "a string", ast.FormattedValue: "a string", ast.Slice: "a slice",
}


class ExpressionError(ValueError):
    """Text the grammar refuses; ``text`` is the text, ``reason`` the message without it."""

    def __init__(self, message, text, reason):
        super().__init__(message)
        self.text, self.reason = text, reason


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------


def parse_expression(text, names=None, *, what="expression"):
    """``text`` read by the grammar above, exactly.

    Parameters
    ----------
    text : str
        The user's text.
    names : mapping or iterable of str, optional
        The names ``text`` may use besides the constants: a mapping binds each
        to a value (a number, ``Fraction``, SymPy number or symbol); an
        iterable of names binds each to a SymPy symbol of that name.
    what : str
        What the text is, for messages (``"time"``, ``"parameter g"``).

    Returns
    -------
    Fraction, ExactComplex or sympy.Expr
        A ``Fraction`` or :class:`~symthermo.exact_numbers.ExactComplex` when the value
        is rational (SymPy is not imported then), otherwise a SymPy expression.

    Raises
    ------
    ValueError
        Quoting the text and the piece that is not allowed or too large.

    Examples
    --------
    >>> from symthermo.expressions import parse_expression
    >>> parse_expression("2.5e-3")
    Fraction(1, 400)
    >>> parse_expression("2^-2 + j*j")
    Fraction(-3, 4)
    >>> parse_expression("sqrt(2)*exp(-1)")
    sqrt(2)*exp(-1)
    >>> parse_expression("0.8*lam", ["lam"])
    4*lam/5
    >>> parse_expression("10**10**10")
    Traceback (most recent call last):
    ...
    symthermo.expressions.ExpressionError: expression '10**10**10': exponent 10000000000 exceeds the limit 10000
    >>> parse_expression("__import__('os')", what="time")
    Traceback (most recent call last):
    ...
    symthermo.expressions.ExpressionError: time "__import__('os')": the character "'" (U+0027) is not allowed
    >>> parse_expression("exec(1)")
    Traceback (most recent call last):
    ...
    symthermo.expressions.ExpressionError: expression 'exec(1)': calling 'exec' is not allowed; functions: sqrt, exp, log, ln, sin, cos, tan, sinh, cosh, tanh, asin, acos, atan, abs, factorial
    """
    return _Reader(text, names, what).read()


def parse_number(x, *, what="number"):
    """A number read without loss of precision: strings by the grammar, numbers as given.

    >>> from symthermo.expressions import parse_number
    >>> parse_number("1/3"), parse_number(" -.5 "), parse_number(7)
    (Fraction(1, 3), Fraction(-1, 2), 7)
    >>> parse_number("1e400") == 10**400
    True
    >>> parse_number("x")
    Traceback (most recent call last):
    ...
    symthermo.expressions.ExpressionError: number 'x': unknown name 'x'
    """
    if isinstance(x, str):
        return parse_expression(x, (), what=what)
    if isinstance(x, bool) or x is None or isinstance(x, (bytes, bytearray)):
        raise ValueError(f"{what}: not a number: {x!r}")
    return x


# ---------------------------------------------------------------------------
# the reader
# ---------------------------------------------------------------------------

_SYMBOLIC = object()  # marks a subtree that needs SymPy


def _bits(q):
    return max(q.numerator.bit_length(), q.denominator.bit_length())


class _Reader:
    def __init__(self, text, names, what):
        self.original = text
        self.what = what
        self.names = names
        self.exact = {}  # id(node) -> exact value or _SYMBOLIC
        self.root_bits = 0  # bits of exact numbers under roots so far (MAX_ROOT_BITS)
        self.imaginary_fractions = set()  # ids of the Div nodes p/qj, read (p/q)j

    # -- errors ----------------------------------------------------------------
    def fail(self, message):
        return ExpressionError(f"{self.what} {shorten(self.original)}: {message}",
                               self.original, message)

    def segment(self, node):
        piece = ast.get_source_segment(self.text, node) or type(node).__name__
        return shorten(piece, 40)

    # -- entry -----------------------------------------------------------------
    def read(self):
        tree = self.parse()
        if isinstance(tree, Fraction):
            return tree
        self.bind_names()
        value = self.rational(tree)
        if value is not _SYMBOLIC:
            return value
        try:
            expr, approx = self.symbolic(tree)
        except ExpressionError:
            raise
        except (ArithmeticError, TypeError, ValueError, RecursionError, MemoryError) as exc:
            raise self.fail(f"cannot be evaluated ({type(exc).__name__})") from None
        self.check_finite(expr, approx)
        return expr

    def parse(self):
        text = self.original
        if not isinstance(text, str):
            raise ValueError(f"{self.what}: expected text, got {text!r:.60}")
        if len(text) > MAX_LENGTH:
            raise self.fail(f"{len(text)} characters exceed the limit {MAX_LENGTH}")
        text = text.strip()
        if not text:
            raise ValueError(f"{self.what}: empty text {self.original!r}")
        try:  # the common case, without the parser (symthermo.plain)
            value = plain_value(text)
        except LiteralError as exc:
            raise self.fail(exc.reason) from None
        if value is not None:
            return value
        bad = next((c for c in text if c not in _ALLOWED_CHARS), None)
        if bad is not None:
            what = "a non-ASCII character" if ord(bad) > 127 else "the character"
            raise self.fail(f"{what} {bad!r} (U+{ord(bad):04X}) is not allowed")
        for run in _DIGIT_RUN.finditer(text):
            if len(run.group()) > MAX_DIGITS:
                raise self.fail(f"a number of {len(run.group())} digits exceeds the limit "
                                f"{MAX_DIGITS}")
        depth = 0
        for c in text:
            depth += (c == "(") - (c == ")")
            if depth > MAX_DEPTH:
                raise self.fail(f"parentheses nested deeper than the limit {MAX_DEPTH}")
        self.text = text = text.replace("^", "**")
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            raise self.fail(f"not an expression ({exc.msg})") from None
        except (RecursionError, MemoryError, ValueError):
            raise self.fail(f"nested deeper than the limit {MAX_DEPTH}") from None
        self.check_tree(tree.body)
        return tree.body

    def check_tree(self, root):
        """Every node allowed, nesting within MAX_DEPTH (iteratively: no recursion yet)."""
        stack, count = [(root, 1)], 0
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise self.fail(f"more than {MAX_NODES} numbers, names and operations (the limit)")
            if depth > MAX_DEPTH:
                raise self.fail(f"nested deeper than the limit {MAX_DEPTH}")
            if isinstance(node, ast.BinOp):
                if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
                    raise self.fail(f"the operator in {self.segment(node)} is not allowed")
                if isinstance(node.op, ast.Div) and self.bare_imaginary(node.right) and \
                        isinstance(node.left, ast.Constant) and node.left.value.__class__ is not complex:
                    self.imaginary_fractions.add(id(node))  # 6/23j: (6/23)j, as SYSTEM.json read it
                elif isinstance(node.op, ast.Div) and self.bare_imaginary(node.right):
                    a = ast.get_source_segment(self.text, node.left)
                    b = ast.get_source_segment(self.text, node.right)[:-1]
                    raise self.fail(f"{self.segment(node)} is ambiguous: write {a}/{b}*j "
                                    f"or {a}/({b}j)")
                stack += [(node.left, depth + 1), (node.right, depth + 1)]
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, (ast.UAdd, ast.USub)):
                    raise self.fail(f"the operator in {self.segment(node)} is not allowed")
                stack.append((node.operand, depth + 1))
            elif isinstance(node, ast.Constant):
                if type(node.value) not in (int, float, complex):
                    kind = "a string" if isinstance(node.value, (str, bytes)) else "the constant"
                    raise self.fail(f"{kind} {self.segment(node)!s} is not allowed")
            elif isinstance(node, ast.Name):
                self.check_name(node.id)
            elif isinstance(node, ast.Call):
                func = node.func
                if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
                    shown = func.id if isinstance(func, ast.Name) else self.segment(func)
                    raise self.fail(f"calling {shown!r} is not allowed; functions: "
                                    f"{', '.join(FUNCTIONS)}")
                if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                    raise self.fail(f"{func.id} takes one argument, got {self.segment(node)}")
                stack.append((node.args[0], depth + 1))
            else:
                kind = _NODE_NAMES.get(type(node), f"the construct {type(node).__name__}")
                raise self.fail(f"{kind} {self.segment(node)!s} is not allowed")

    def bare_imaginary(self, node):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, complex)):
            return False
        before = self.text[:node.col_offset].rstrip()
        return not before.endswith("(")

    def check_name(self, name):
        if name.startswith("_"):
            raise self.fail(f"the name {name!r} is not allowed")
        if name in FUNCTIONS:
            raise self.fail(f"the function {name!r} needs an argument in parentheses")

    def bind_names(self):
        names = self.names
        if names is None:
            self.names = {}
        elif not isinstance(names, Mapping):
            import sympy

            self.names = {n: sympy.Symbol(n) for n in names}

    def literal(self, text, node):
        """A decimal literal's exact value, from its text (``1e400`` is not a float)."""
        try:
            value = literal_value(text)
        except LiteralError as exc:
            raise self.fail(exc.reason) from None
        return ExactComplex.make(0, value[0]) if isinstance(value, tuple) else value

    # -- exact (rational) evaluation -------------------------------------------------
    def rational(self, node):
        key = id(node)
        if key not in self.exact:
            self.exact[key] = self._rational(node)
        return self.exact[key]

    def _rational(self, node):
        if isinstance(node, ast.Constant):
            return self.literal(self.text[node.col_offset:node.end_col_offset], node)
        if isinstance(node, ast.Name):
            return self.name_value(node.id, exact=True)
        if isinstance(node, ast.UnaryOp):
            v = self.rational(node.operand)
            return v if v is _SYMBOLIC or isinstance(node.op, ast.UAdd) else -v
        if isinstance(node, ast.BinOp):
            a, b = self.rational(node.left), self.rational(node.right)
            if a is _SYMBOLIC or b is _SYMBOLIC:
                return _SYMBOLIC
            if isinstance(node.op, ast.Pow):
                return self.rational_power(a, b, node)
            if id(node) in self.imaginary_fractions:
                if b.im == 0:
                    raise self.fail(f"division by zero in {self.segment(node)}")
                return ExactComplex.make(0, a / b.im)
            try:
                if isinstance(node.op, ast.Add):
                    v = a + b
                elif isinstance(node.op, ast.Sub):
                    v = a - b
                elif isinstance(node.op, ast.Mult):
                    v = a * b
                else:
                    v = a / b
            except ZeroDivisionError:
                raise self.fail(f"division by zero in {self.segment(node)}") from None
            return self.checked(v, node)
        if isinstance(node, ast.Call):
            arg = self.rational(node.args[0])
            if arg is _SYMBOLIC:
                return _SYMBOLIC
            name = node.func.id
            if name == "factorial":
                return Fraction(math.factorial(self.factorial_argument(arg, node)))
            if name == "abs" and isinstance(arg, Fraction):
                return abs(arg)
            if name == "exp":
                self.check_exp(_real_part(arg), node)
            return _SYMBOLIC
        raise AssertionError(type(node))  # check_tree admits nothing else

    def checked(self, v, node):
        for part in ExactComplex.parts(v):
            if _bits(part) > MAX_BITS:
                raise self.fail(f"{self.segment(node)} has more than {MAX_BITS} bits "
                                f"(the limit of an exact number)")
        return v

    def rational_power(self, base, exponent, node):
        if isinstance(exponent, ExactComplex) or exponent.denominator != 1:
            self.check_exponent(base, exponent, node)
            return _SYMBOLIC
        n = exponent.numerator
        self.check_exponent(base, exponent, node)
        if base == 0 and n < 0:
            raise self.fail(f"division by zero in {self.segment(node)}")
        if base in (0, 1):
            return Fraction(base)
        if base == -1:
            return Fraction(-1 if n % 2 else 1)
        size = max(_bits(p) for p in ExactComplex.parts(base))
        if size * abs(n) > MAX_BITS + abs(n):
            raise self.fail(f"{self.segment(node)} would have about {size * abs(n)} bits, more "
                            f"than the limit {MAX_BITS}")
        return self.checked(base ** n, node)

    def check_exponent(self, base, exponent, node):
        if base in (0, 1, -1):
            return
        size = abs(complex(exponent)) if not isinstance(exponent, Fraction) else abs(exponent)
        if size > MAX_POWER:
            shown = _show_number(exponent)
            raise self.fail(f"exponent {shown} exceeds the limit {MAX_POWER}")

    def check_exp(self, real_part, node):
        if real_part is not None and abs(real_part) > MAX_EXP_ARGUMENT:
            raise self.fail(f"the argument of {self.segment(node)} exceeds {MAX_EXP_ARGUMENT} "
                            f"in size")

    def factorial_argument(self, arg, node):
        ok = isinstance(arg, Fraction) and arg.denominator == 1 and 0 <= arg <= MAX_FACTORIAL
        if not ok:
            raise self.fail(f"factorial needs an integer from 0 to {MAX_FACTORIAL}, got "
                            f"{self.segment(node.args[0])}")
        return int(arg)

    def name_value(self, name, *, exact):
        if name in self.names:
            value = self.names[name]
            if isinstance(value, (Fraction, ExactComplex)):
                return value
            if isinstance(value, Integral) and not isinstance(value, bool):
                return Fraction(int(value))
            if isinstance(value, float):
                if not math.isfinite(value):
                    raise self.fail(f"{name} = {value!r} is not a finite number")
                return Fraction(repr(value))  # its shortest decimal, as times read floats
            if _is_sympy(value) and getattr(value, "is_Rational", False):
                return Fraction(int(value.p), int(value.q))
            if exact:
                return _SYMBOLIC
            return value
        if name in ("I", "j"):
            return ExactComplex(0, 1)
        if name in ("pi", "E"):
            if exact:
                return _SYMBOLIC
            import sympy

            return sympy.pi if name == "pi" else sympy.E
        if name in _NOT_FINITE:
            raise self.fail(f"{name!r} is not a finite number")
        known = sorted(set(self.names) | set(CONSTANTS))
        raise self.fail(f"unknown name {name!r}" + (f"; known: {', '.join(known)}"
                                                    if self.names else ""))

    # -- symbolic evaluation (SymPy), with a low-precision twin that bounds the work ---------
    def symbolic(self, node):
        """(SymPy expression, mpmath approximation or None when it has free symbols)."""
        import mpmath

        exact = self.rational(node)
        if exact is not _SYMBOLIC:
            with mpmath.workprec(64):
                return to_sympy(exact), to_mpmath(exact)
        if isinstance(node, ast.Name):
            value = self.name_value(node.id, exact=False)
            if isinstance(value, (Fraction, ExactComplex)):
                return self.symbolic_constant(value)
            value = to_sympy(value)
            return value, self.approximate(value)
        if isinstance(node, ast.UnaryOp):
            e, a = self.symbolic(node.operand)
            return (-e, None if a is None else -a) if isinstance(node.op, ast.USub) else (e, a)
        if isinstance(node, ast.BinOp):
            (x, ax), (y, ay) = self.symbolic(node.left), self.symbolic(node.right)
            op = node.op
            if isinstance(op, ast.Pow):
                return self.symbolic_power(x, ax, y, ay, node)
            with mpmath.workprec(64):
                if isinstance(op, ast.Add):
                    e, a = x + y, _lift(ax, ay, lambda u, v: u + v)
                elif isinstance(op, ast.Sub):
                    e, a = x - y, _lift(ax, ay, lambda u, v: u - v)
                elif isinstance(op, ast.Mult):
                    e, a = x * y, _lift(ax, ay, lambda u, v: u * v)
                else:
                    if y.is_zero:
                        raise self.fail(f"division by zero in {self.segment(node)}")
                    e, a = x / y, _lift(ax, ay, lambda u, v: u / v if v else mpmath.inf)
            return self.bounded(e, a, node)
        if isinstance(node, ast.Call):
            return self.symbolic_call(node)
        raise AssertionError(type(node))

    def symbolic_constant(self, value):
        import mpmath

        with mpmath.workprec(64):
            return to_sympy(value), to_mpmath(value)

    def approximate(self, value):
        import mpmath

        if value.free_symbols:
            return None
        with mpmath.workprec(64):
            return mpmath.mpmathify(value.evalf(20))

    def bounded(self, expr, approx, node):
        import mpmath

        if approx is not None:
            if not mpmath.isfinite(approx):
                raise self.fail(f"{self.segment(node)} is not a finite number")
            if approx and mpmath.mag(approx) > MAX_BITS:
                raise self.fail(f"{self.segment(node)} exceeds 2**{MAX_BITS} in size")
        if expr.has(*_infinities()):
            raise self.fail(f"{self.segment(node)} is not a finite number")
        return expr, approx

    def symbolic_power(self, x, ax, y, ay, node):
        import mpmath
        import sympy

        base_exact = x if x in (sympy.Integer(0), sympy.Integer(1), sympy.Integer(-1)) else None
        if ay is not None and base_exact is None and abs(ay) > MAX_POWER:
            raise self.fail(f"exponent {_show_number(y)} exceeds the limit {MAX_POWER}")
        if x.is_zero and ay is not None and mpmath.re(ay) < 0:
            raise self.fail(f"division by zero in {self.segment(node)}")
        if not y.is_Integer:
            self.count_root_bits(x, node)
        with mpmath.workprec(64):
            if ax is not None and ay is not None:
                if ax == 0:
                    a = mpmath.mpf(0)
                else:
                    if mpmath.mag(ax) * abs(ay) > 4 * MAX_BITS:
                        raise self.fail(f"{self.segment(node)} exceeds 2**{MAX_BITS} in size")
                    a = mpmath.power(ax, ay)
            else:
                a = None
        return self.bounded(sympy.Pow(x, y), a, node)

    def symbolic_call(self, node):
        import mpmath
        import sympy

        name = node.func.id
        x, ax = self.symbolic(node.args[0])
        if name == "factorial":
            raise self.fail(f"factorial needs an integer from 0 to {MAX_FACTORIAL}, got "
                            f"{self.segment(node.args[0])}")
        if name in ("exp", "sinh", "cosh") and ax is not None:
            self.check_exp(mpmath.re(ax), node)
        if name in ("log", "ln") and x.is_zero:
            raise self.fail(f"{self.segment(node)} is not a finite number")
        if name in ("sqrt", "exp", "abs"):  # exp(log(x)/2) and |a + ib| are roots too
            self.count_root_bits(x, node)
        expr = getattr(sympy, FUNCTIONS[name])(x)
        approx = None
        if ax is not None:
            fn = {"Abs": mpmath.fabs, "log": mpmath.log}.get(FUNCTIONS[name]) or getattr(
                mpmath, FUNCTIONS[name])
            with mpmath.workprec(64):
                try:
                    approx = fn(ax)
                except (ValueError, ZeroDivisionError):
                    raise self.fail(f"{self.segment(node)} is not a finite number") from None
        return self.bounded(expr, approx, node)

    def count_root_bits(self, x, node):
        import sympy

        self.root_bits += sum(max(abs(q.p).bit_length(), q.q.bit_length())
                              for q in x.atoms(sympy.Rational))
        if self.root_bits > MAX_ROOT_BITS:
            raise self.fail(f"the exact numbers under roots reach {self.root_bits} bits at "
                            f"{self.segment(node)}, more than the limit {MAX_ROOT_BITS}")

    def check_finite(self, expr, approx):
        import sympy

        if not isinstance(expr, sympy.Expr):
            raise self.fail("not a number")
        if expr.has(*_infinities()):
            raise self.fail("not a finite number")


def _infinities():
    import sympy

    return sympy.zoo, sympy.oo, -sympy.oo, sympy.nan


def _lift(a, b, op):
    return None if a is None or b is None else op(a, b)


def _real_part(x):
    return x.re if isinstance(x, ExactComplex) else x


def _show_number(x):
    if isinstance(x, Fraction) and _bits(x) > 1000:
        return f"(a number of about {int(_bits(x) * 0.30103)} digits)"
    try:
        text = str(x)
    except ValueError:  # an integer beyond Python's digit limit for str()
        return "(a number of more than 4300 digits)"
    return text if len(text) <= 40 else f"{text[:18]}...{text[-18:]} ({len(text)} characters)"
