"""The grid of a sweep: exact axes, log ranges, products and points, refused input."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symthermo.models import get_model
from symthermo.sweep_grid import (MAX_AXIS, Grid, axis_values, number_text, parse_axis,
                                  parse_number)


class TestNumbers:
    @given(st.fractions(max_denominator=10**12))
    @settings(max_examples=200, deadline=None)
    def test_number_text_is_exact(self, x):
        assert parse_number(number_text(x)) == x

    @pytest.mark.parametrize("text, value", [("1.63", Fraction(163, 100)), ("-2", Fraction(-2)),
                                             ("1/3", Fraction(1, 3)), (".5", Fraction(1, 2)),
                                             ("2E-3", Fraction(1, 500)), (" 7 ", Fraction(7))])
    def test_literals(self, text, value):
        assert parse_number(text) == value

    @pytest.mark.parametrize("text", ["nan", "inf", "1e1000", "1/0", "2**3", "pi", "", "1,5",
                                      "__import__('os')", "1" * 70, "0x10", "1_000"])
    def test_refused(self, text):
        with pytest.raises(ValueError, match="not a number"):
            parse_number(text)

    def test_short_decimal_or_fraction(self):
        assert number_text(Fraction(1, 8)) == "0.125"
        assert number_text(Fraction(-3, 20)) == "-0.15"
        assert number_text(Fraction(2, 7)) == "2/7"
        assert number_text(Fraction(1, 10**40)) == "1/" + "1" + "0" * 40


class TestAxes:
    def test_linear_range_is_exact(self):
        values = axis_values("0:1:7")
        assert [parse_number(v) for v in values] == [Fraction(k, 6) for k in range(7)]

    def test_range_with_negative_step(self):
        assert axis_values("2:1:3") == ["2", "1.5", "1"]

    def test_single_value_range(self):
        assert axis_values("1.8:1.8:1") == ["1.8"]
        with pytest.raises(ValueError, match="COUNT 1"):
            axis_values("1:2:1")

    def test_log_range(self):
        values = [float(parse_number(v)) for v in axis_values("log:0.001:1000:13")]
        assert values[0] == 0.001 and values[-1] == 1000
        ratios = [b / a for a, b in zip(values, values[1:])]
        assert all(math.isclose(r, 10 ** 0.5, rel_tol=1e-13) for r in ratios)

    def test_log_range_needs_positive_ends(self):
        with pytest.raises(ValueError, match="START, STOP > 0"):
            axis_values("log:0:1:3")

    def test_list_and_choices(self):
        assert axis_values("1, 2.50, 1/4, 1/3") == ["1", "2.5", "0.25", "1/3"]
        assert axis_values("plus,mixed", choices=("excited", "plus", "mixed")) == ["plus", "mixed"]
        with pytest.raises(ValueError, match="'hot' is not one of"):
            axis_values("hot", choices=("excited", "ground"))

    @pytest.mark.parametrize("spec, message", [
        ("0:1", "START:STOP:COUNT"), ("0:1:0", "between 1 and"), ("0:1:x", "positive integer"),
        (f"0:1:{MAX_AXIS + 1}", "between 1 and"), ("0:1:1e3", "positive integer"),
        ("a:1:3", "not a number"), ("", "needs values"), ("1,,2", "not a number")])
    def test_refused(self, spec, message):
        with pytest.raises(ValueError, match=message):
            axis_values(spec)

    def test_parse_axis(self):
        assert parse_axis("omega_B = 1:2:3") == ("omega_B", ["1", "1.5", "2"])
        for bad in ("omega_B", "1x=1:2:3", "a b=1"):
            with pytest.raises(ValueError):
                parse_axis(bad)


class TestGrid:
    def test_product_order_first_axis_slowest(self):
        grid = Grid.product([("a", ["1", "2", "3"]), ("b", ["4", "5"])])
        assert list(grid) == [{"a": a, "b": b} for a in "123" for b in "45"]
        with pytest.raises(IndexError):
            grid[6]

    def test_python_grid_forms(self):
        model = get_model("exchange")
        grid = Grid.of({"g": [0.01, "1/50", 3], "omega_B": "1:2:2",
                        "state_B": ["ground", "excited"]}, model)
        assert len(grid) == 12
        assert grid[0] == {"g": "0.01", "omega_B": "1", "state_B": "ground"}
        assert grid[11] == {"g": "3", "omega_B": "2", "state_B": "excited"}
        points = Grid.of([{"g": 0.1}, {"g": "0.2"}], model)
        assert list(points) == [{"g": "0.1"}, {"g": "0.2"}]

    @pytest.mark.parametrize("grid, message", [
        ({"nope": [1]}, "unknown parameter 'nope'"), ({"g": []}, "no values"),
        ({"g": [float("nan")]}, "finite"), ({"g": [True]}, "number or a string"),
        ([{"g": 1}, {"omega_A": 1}], "same parameters"), ([], "at least one point"),
        ("g=1:2:3", "dict of axes"), ({"g": "1:2:100000", "omega_A": "1:2:100000"}, "at most"),
        ({"g": "1:2:1001", "omega_A": list(range(1, 1001))}, "at most")])
    def test_refused(self, grid, message):
        with pytest.raises((ValueError, TypeError), match=message):
            Grid.of(grid, get_model("exchange"))
