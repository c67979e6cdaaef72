"""The fast path of plain numbers (symthermo.plain) against the grammar (symthermo.expressions).

The fast path must accept a subset of what the grammar accepts, with the same exact
value; what it refuses, the grammar reads (or refuses) on its own.  One set of limits.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symthermo import expressions, plain
from symthermo.expressions import ExpressionError, parse_expression
from symthermo.plain import LiteralError, plain_number, plain_times, plain_value
from symthermo.times import MAX_COUNT, parse_times

# digits of other scripts (int() reads them, the grammar does not), spaces of other kinds
_ODD = ["\u0661", "\uff11", "_", "\u00a0", "\t", "j", "x"]


def _digits(max_size=6):
    return st.text("0123456789", min_size=1, max_size=max_size)


@st.composite
def plainish(draw):
    """Texts near plain numbers: literals, signs, ratios, exponents near the limits,
    leading zeros, spaces, and now and then a character the grammar refuses."""
    kind = draw(st.sampled_from(["decimal", "ratio", "noise"]))
    if kind == "noise":
        return draw(st.text(alphabet="0123456789.eE+-/ j" + "".join(_ODD), max_size=14))
    sign = draw(st.sampled_from(["", "", "-", "+"]))
    if kind == "ratio":
        body = draw(_digits(8)) + "/" + draw(_digits(8))
    else:
        whole = draw(st.one_of(st.just(""), _digits()))
        frac = draw(st.one_of(st.just(None), st.text("0123456789", max_size=6)))
        body = whole + ("" if frac is None else "." + frac)
        if draw(st.booleans()):
            exp = draw(st.one_of(st.integers(-4100, 4100), st.integers(-30, 30)))
            body += draw(st.sampled_from("eE")) + draw(st.sampled_from(["", "+"])) + str(exp) \
                if exp >= 0 else draw(st.sampled_from("eE")) + str(exp)
    text = sign + body
    if draw(st.integers(0, 9)) == 0:
        k = draw(st.integers(0, len(text)))
        text = text[:k] + draw(st.sampled_from(_ODD)) + text[k:]
    pad = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    return pad + text + pad


def _grammar(text):
    try:
        return parse_expression(text)
    except ExpressionError as exc:
        return exc


class TestFastPathIsTheGrammar:
    @settings(max_examples=400, deadline=None)
    @given(plainish())
    def test_fast_path_value_is_the_grammar_value(self, text):
        try:
            fast = plain_value(text)
        except LiteralError as exc:  # plain, beyond a limit: the grammar refuses it too
            refused = _grammar(text)
            assert isinstance(refused, ExpressionError), (text, refused)
            assert exc.reason in str(refused)
            return
        if fast is None:
            return  # not plain: the grammar reads or refuses it on its own
        assert isinstance(fast, Fraction)
        assert _grammar(text) == fast, text

    @settings(max_examples=400, deadline=None)
    @given(plainish())
    def test_plain_number_is_a_non_negative_grammar_value(self, text):
        value = plain_number(text)
        if value is not None:
            assert value >= 0 and _grammar(text) == value, text

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(_digits(12), st.tuples(_digits(), _digits()).map(".".join),
                     st.tuples(_digits(), st.integers(-300, 300)).map(lambda p: f"{p[0]}e{p[1]}"),
                     st.tuples(st.integers(0, 10**9), st.integers(1, 10**9)).map(
                         lambda p: f"{p[0]}/{p[1]}")))
    def test_every_plain_literal_within_the_limits_is_fast(self, text):
        # an independent reading: Fraction() parses the same literal forms
        assert plain_number(text) == Fraction(text) == parse_expression(text)

    @pytest.mark.parametrize("text", ["1\u0661", "\uff11", "\u0661.5", "1e\u0663", "1/\u0663"])
    def test_other_scripts_digits_are_refused_by_both(self, text):
        assert plain_number(text) is None
        assert isinstance(_grammar(text), ExpressionError)

    def test_one_set_of_limits(self):
        for name in ("MAX_LENGTH", "MAX_DIGITS", "MAX_LITERAL_EXPONENT", "MAX_BITS"):
            assert getattr(expressions, name) is getattr(plain, name)
        limit = plain.MAX_DIGITS
        assert plain_number("9" * limit) == int("9" * limit) == parse_expression("9" * limit)
        assert plain_number("9" * (limit + 1)) is None
        assert f"limit {limit}" in str(_grammar("9" * (limit + 1)))
        e = plain.MAX_LITERAL_EXPONENT
        assert plain_number(f"1e{e}") == 10**e == parse_expression(f"1e{e}")
        assert plain_number(f"1e-{e + 1}") is None
        assert f"limit {e}" in str(_grammar(f"1e-{e + 1}"))


@st.composite
def plain_time_texts(draw):
    items = []
    for _ in range(draw(st.integers(1, 3))):
        a = draw(st.sampled_from(["0", "1/3", "2.5e-1", "10", ".5", "7/2", "1e3", "-1", "pi"]))
        if draw(st.booleans()):
            b = draw(st.sampled_from(["1", "2/7", "1e2", "0.125", "33"]))
            n = draw(st.sampled_from(["1", "2", "3", "17", "010", "0", "2.5"]))
            items.append(f"{a}:{b}:{n}")
        else:
            items.append(a)
    return ", ".join(items)


class TestPlainTimes:
    @settings(max_examples=200, deadline=None)
    @given(plain_time_texts())
    def test_plain_times_are_the_grammar_times_rounded_once(self, text):
        fast = plain_times(text)
        if fast is None:
            return
        exact = parse_times(text, {})
        assert fast == [t.numerator / t.denominator for t in exact], text

    def test_the_count_limit_is_the_grammar_limit(self):
        assert len(plain_times(f"0:1:{MAX_COUNT}")) == MAX_COUNT
        assert plain_times(f"0:1:{MAX_COUNT + 1}") is None
        assert plain_times(f"5, 0:1:{MAX_COUNT}") is None  # in all, as parse_times counts
        with pytest.raises(ValueError, match=f"limit {MAX_COUNT}"):
            parse_times(f"5, 0:1:{MAX_COUNT}", {})
