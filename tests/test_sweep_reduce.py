"""Reductions over time: the grammar admits only its own forms, and each reduction
agrees with a naive numpy twin on random rows."""

import numpy as np
import pytest

from symthermo.precision import decimal_string
from symthermo.sweep_reduce import parse_reduction, reduce_columns, reduce_rows, reduction_keys


def _rows(rng, n=40, digits=15):
    ts = np.linspace(0, 10, n)
    q = rng.normal(size=n)
    cop = rng.normal(size=n)
    carnot = rng.uniform(1, 5)
    return [{"t": decimal_string(float(t), digits), "Q_A": decimal_string(float(a), digits),
             "cop": decimal_string(float(c), digits), "carnot": decimal_string(carnot, digits)}
            for t, a, c in zip(ts, q, cop)]


def _col(rows, key):
    return np.array([float(r[key]) for r in rows])


class TestGrammar:
    @pytest.mark.parametrize("text, op, target, value", [
        ("max:-Q_A", "max", "-Q_A", None), ("min:W_B", "min", "W_B", None),
        ("argmax:-Q_A", "max", "-Q_A", "t"), ("argmin:cop", "min", "cop", "t"),
        ("first:-Q_A>0", "first", "-Q_A", "t"), ("last:Q_A<=-1/2", "last", "Q_A", "t"),
        ("cop/carnot@max:-Q_A", "max", "-Q_A", "cop/carnot"),
        (" best = max : cop / carnot ", "max", "cop/carnot", None)])
    def test_accepted(self, text, op, target, value):
        r = parse_reduction(text)
        assert (r.op, r.target, r.value) == (op, target, value)

    def test_name(self):
        assert parse_reduction("best=max:cop").name == "best"
        assert parse_reduction("max:cop").name == "max:cop"

    @pytest.mark.parametrize("text", [
        "max", "max:", "sum:Q_A", "max:Q_A+W_A", "max:Q_A*W_A*E_A", "max:abs(Q_A)",
        "max:__import__('os').system('true')", "first:Q_A", "max:Q_A>0", "x@argmax:Q_A",
        "first:Q_A>nan", "max:--Q_A", "1x=max:Q_A", "max:Q_A" + "1" * 300, "max:(Q_A)",
        "max:Q _A", "first:Q_A>1 0"])
    def test_refused(self, text):
        with pytest.raises(ValueError):
            parse_reduction(text)

    def test_keys(self):
        rs = [parse_reduction("cop/carnot@max:-Q_A"), parse_reduction("first:W_B>0")]
        assert reduction_keys(rs) == ["Q_A", "W_B", "carnot", "cop", "t"]


class TestAgainstNumpy:
    @pytest.mark.parametrize("seed", range(5))
    def test_random_rows(self, seed):
        rows = _rows(np.random.default_rng(seed))
        q, t, cop, carnot = (_col(rows, k) for k in ("Q_A", "t", "cop", "carnot"))
        texts = ["max:-Q_A", "min:Q_A", "argmax:-Q_A", "argmin:cop", "cop@max:-Q_A",
                 "cop/carnot@max:-Q_A", "first:-Q_A>0.5", "last:cop<=-1", "max:cop/carnot",
                 "Q_A*cop@min:cop"]
        out = reduce_rows(rows, [parse_reduction(s) for s in texts], 15)
        k = int(np.argmax(-q))
        assert out["max:-Q_A"] == decimal_string(float(-q[k]), 15)
        assert float(out["min:Q_A"]) == q.min()
        assert out["argmax:-Q_A"] == rows[k]["t"]
        assert out["argmin:cop"] == rows[int(np.argmin(cop))]["t"]
        assert out["cop@max:-Q_A"] == rows[k]["cop"]
        assert float(out["cop/carnot@max:-Q_A"]) == pytest.approx(cop[k] / carnot[k], rel=1e-13)
        assert len(out["cop/carnot@max:-Q_A"].lstrip("-").replace(".", "").lstrip("0")) == 14
        first = np.flatnonzero(-q > 0.5)
        assert out["first:-Q_A>0.5"] == (rows[first[0]]["t"] if first.size else None)
        last = np.flatnonzero(cop <= -1)
        assert out["last:cop<=-1"] == (rows[last[-1]]["t"] if last.size else None)
        assert float(out["max:cop/carnot"]) == pytest.approx(np.max(cop / carnot), rel=1e-13)
        m = int(np.argmin(cop))
        assert float(out["Q_A*cop@min:cop"]) == pytest.approx(q[m] * cop[m], rel=1e-13)


class TestEdges:
    def test_ties_go_to_the_earliest_time(self):
        rows = [{"t": "0", "Q_A": "1"}, {"t": "1", "Q_A": "2"}, {"t": "2", "Q_A": "2"}]
        assert reduce_rows(rows, [parse_reduction("argmax:Q_A")], 15) == {"argmax:Q_A": "1"}

    def test_negation_is_exact(self):
        rows = [{"t": "0", "Q_A": "0"}, {"t": "1", "Q_A": "-0.123456789012345678901234567890"}]
        out = reduce_rows(rows, [parse_reduction("max:-Q_A")], 30)
        assert out["max:-Q_A"] == "0.123456789012345678901234567890"

    def test_undefined_values_take_no_part(self):
        rows = [{"t": "0", "cop": "0", "carnot": "0"}, {"t": "1", "cop": "1", "carnot": "inf"},
                {"t": "2", "cop": "-1", "carnot": "2"}, {"t": "3", "cop": None, "carnot": "2"}]
        out = reduce_rows(rows, [parse_reduction("max:cop/carnot"),
                                 parse_reduction("first:cop/carnot>1")], 15)
        assert out == {"max:cop/carnot": "0", "first:cop/carnot>1": None}

    def test_infinities(self):
        rows = [{"t": "0", "beta_A": "inf"}, {"t": "1", "beta_A": "2"}]
        out = reduce_rows(rows, [parse_reduction("max:beta_A"), parse_reduction("min:-beta_A")],
                          15)
        assert out == {"max:beta_A": "inf", "min:-beta_A": "-inf"}


class TestColumnsAgreeWithRows:
    """reduce_columns (raw float64, printing only what decides) against reduce_rows
    (every value printed) on columns built to make the printed digits decide."""

    TEXTS = ["max:a", "min:a", "argmax:a", "argmin:-a", "b@max:a", "a/b@max:a",
             "max:a/b", "argmax:a*b", "first:a>0.5", "last:a<=0.5", "first:a/b>=2",
             "first:-b<0", "last:b>1/3", "argmin:a/b"]

    @staticmethod
    def _columns(rng, n):
        base = rng.choice([0.5, 1 / 3, 2.0, 0.0, 1e-300, -0.25], size=n)
        # values equal in their 15 printed digits but not as floats, and exact repeats
        noise = rng.integers(-3, 4, size=n) * np.spacing(np.abs(base) + 1e-300)
        a = np.where(rng.random(n) < 0.7, base + noise, rng.normal(size=n))
        b = rng.choice([0.0, 1.0, 1 / 3, -2.0, np.inf, 0.25 + 1e-17], size=n)
        a[rng.random(n) < 0.05] = np.inf
        return {"t": np.arange(n, dtype=float), "a": a, "b": b}

    @pytest.mark.parametrize("seed", range(40))
    def test_random_columns(self, seed):
        rng = np.random.default_rng(seed)
        cols = self._columns(rng, int(rng.integers(1, 30)))
        rows = [{k: decimal_string(float(v[i]), 15) for k, v in cols.items()}
                for i in range(len(cols["t"]))]
        reductions = [parse_reduction(s) for s in self.TEXTS]
        expected = reduce_rows(rows, reductions, 15)
        got = reduce_columns(cols, reductions, 15, lambda k, i: rows[i][k])
        assert got == expected

    def test_nan_is_refused_as_printing_would(self):
        cols = {"t": np.arange(3.0), "a": np.array([0.0, np.nan, 1.0])}
        with pytest.raises(ValueError, match="refusing to print nan"):
            reduce_columns(cols, [parse_reduction("max:a")], 15, lambda k, i: None)
