"""Sweeps in one process: the rows are reference's strings (the float64 shortcuts
included), a failing task is a row, bad input is refused before anything starts."""

import pytest

from symthermo.models import get_model
from symthermo.sweep import sweep
from symthermo.tables import reference_payload

GRID = {"g": [0.01, "0.015"], "omega_B": "0.9:1.1:3"}
TIMES = "0,pi/(4*g),40:60:3"


class TestRowsAreReference:
    @pytest.mark.parametrize("model, grid, times, float64, dps", [
        ("exchange", GRID, TIMES, True, 30),
        ("exchange", {"state_A": ["plus", "mixed"], "g": [0.02]}, TIMES, False, 20),
        ("refrigerator", {"beta_B": "1:2:3", "omega_B": [1.63, 1]}, "0:6:7", True, 30),
        ("refrigerator", {"beta_B": [1.8]}, "0,2.5", False, 25),
        ("spontaneous-emission", {"gamma": [0.5]}, "0,log(2)/gamma", False, 12)])
    def test_every_row(self, model, grid, times, float64, dps):
        result = sweep(model, grid, times, float64=float64, dps=dps, workers=1)
        m = get_model(model)
        by_task = {}
        for row in result.rows:
            by_task.setdefault(row["task"], []).append(row)
        assert len(by_task) == result.done
        for task, rows in by_task.items():
            given = {k.removeprefix("param."): v for k, v in rows[0].items()
                     if k.startswith("param.")}
            ref = reference_payload(m, given, times, dps=dps, float64=float64)["rows"]
            # reference's certified rows also carry "err" (the bound of each value)
            assert [{k: r[k] for k in m.keys()} for r in rows] == \
                [{k: r[k] for k in m.keys()} for r in ref]
            assert all(r["error"] is None for r in rows)

    def test_keys_and_fixed_parameters(self):
        result = sweep("exchange", {"omega_B": [1, 2]}, "0,10", keys="W_A,Q_B", params=["g=0.1"],
                       float64=True, workers=1)
        assert result.columns == ["task", "param.omega_B", "t", "W_A", "Q_B", "error"]
        ref = reference_payload(get_model("exchange"), ["g=0.1", "omega_B=2"], "0,10",
                                float64=True)["rows"]
        assert [(r["t"], r["W_A"], r["Q_B"]) for r in result.rows[2:]] == \
            [(r["t"], r["W_A"], r["Q_B"]) for r in ref]
        assert result.params == {"g": "0.1"}

    def test_reductions_are_taken_from_the_rows(self):
        times = "0:8:41"
        result = sweep("refrigerator", {"omega_B": [1.63, 2]}, times, float64=True, workers=1,
                       reduce=["cool=max:-Q_A", "cop@max:-Q_A", "first:-Q_A>0"])
        assert result.columns == ["task", "param.omega_B", "cool", "cop@max:-Q_A",
                                  "first:-Q_A>0", "error"]
        for row in result.rows:
            ref = reference_payload(get_model("refrigerator"), {"omega_B": row["param.omega_B"]},
                                    times, float64=True)["rows"]
            best = max(ref, key=lambda r: -float(r["Q_A"]))
            assert row["cool"] == best["Q_A"].lstrip("-") or float(best["Q_A"]) == 0
            assert row["cop@max:-Q_A"] == best["cop"]
            cooling = [r["t"] for r in ref if float(r["Q_A"]) < 0]
            assert row["first:-Q_A>0"] == (cooling[0] if cooling else None)


class TestFailures:
    def test_a_failing_task_is_a_row(self):
        result = sweep("refrigerator", {"omega_B": [1, 0, 2]}, "0,1", float64=True, workers=1)
        errors = [r for r in result.rows if r["error"] is not None]
        assert len(errors) == 1 and errors[0]["task"] == 1
        assert errors[0]["param.omega_B"] == "0" and "omega_B must be > 0" in errors[0]["error"]
        assert all(errors[0][k] is None for k in ("t", "Q_A"))
        assert (result.done, result.failed, result.skipped) == (3, 1, 0)
        assert len(result.rows) == 5

    @pytest.mark.parametrize("kwargs, message", [
        ({"grid": {"nope": [1]}}, "unknown parameter 'nope'"),
        ({"keys": ["Q_Z"]}, "unknown key"),
        ({"reduce": ["max:Q_Z"]}, "unknown key"),
        ({"reduce": ["max:Q_A", "max: Q_A"]}, "same name"),
        ({"params": {"g": 2}}, "both fixed"),
        ({"grid": {"g": [0]}}, "must be > 0"),  # the first point is checked before starting
        ({"times": "0,-1"}, "non-negative"),
        ({"dps": 0}, "dps must be between")])
    def test_refused_before_starting(self, kwargs, message, tmp_path):
        args = {"grid": {"g": [1, 2]}, "times": "0,1"}
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            sweep("refrigerator", args.pop("grid"), args.pop("times"), workers=1,
                  out=tmp_path / "x.csv", **args)


class TestShortcutsAgree:
    """The float64 shortcuts (parameters read once, reductions printing only what
    decides) give what the plain route gives: reference's rows, reduced."""

    def test_float64_reductions(self):
        from symthermo.sweep_maps import REFRIGERATOR_MAP
        from symthermo.sweep_reduce import parse_reduction, reduce_rows

        times = "0:9.9:100"
        reduce = REFRIGERATOR_MAP["reduce"] + ["max:cop/carnot", "last:W_B>0", "argmin:E_int"]
        grid = {"beta_B": "0.5:1.95:4", "omega_B": [1, 1.63, 2.45]}
        fast = sweep("refrigerator", grid, times, float64=True, workers=1, reduce=reduce).rows
        m = get_model("refrigerator")
        for row in fast:
            given = {"beta_B": row["param.beta_B"], "omega_B": row["param.omega_B"]}
            rows = reference_payload(m, given, times, float64=True)["rows"]
            expected = reduce_rows(rows, [parse_reduction(r) for r in reduce], 15)
            assert {k: row[k] for k in expected} == expected

    @pytest.mark.parametrize("model, fixed, point", [
        ("refrigerator", ("omega_A", "1.5"), {"beta_B": "1/3", "omega_B": "1.63"}),
        ("exchange", ("omega_A", "2"), {"g": "0.02", "state_A": "plus"}),
        ("reaction-coordinate", ("omega", "0.9"), {"lam": "0.01", "kappa": "0.008"})])
    def test_parameters(self, model, fixed, point):
        from symthermo.sweep import _Spec, _given

        m = get_model(model)
        spec = _Spec(model=model, params=(fixed,), times=("0",), dps=15,
                     float64=True, convention="received", keys=("t",), reductions=())
        assert m.params(_given(m, spec, point)) == m.params({fixed[0]: fixed[1], **point})

    def test_parameters_refused_alike(self):
        from symthermo.sweep import _Spec, _given

        m = get_model("refrigerator")
        spec = _Spec(model="refrigerator", params=(), times=("0",), dps=15, float64=True,
                     convention="received", keys=("t",), reductions=())
        with pytest.raises(ValueError) as texts:
            m.params({"g": "-0.5"})
        with pytest.raises(ValueError) as fast:
            m.params(_given(m, spec, {"g": "-0.5"}))
        assert str(fast.value) == str(texts.value)

    def test_expression_parameters_take_the_plain_route(self):
        result = sweep("reaction-coordinate", {"lam": [0.01, 0.02]}, "0,10",
                       params={"kappa": "0.8*lam"}, float64=True, workers=1, keys=["Q_A"])
        for k, lam in enumerate(["0.01", "0.02"]):
            ref = reference_payload(get_model("reaction-coordinate"),
                                    {"lam": lam, "kappa": "0.8*lam"}, "0,10", float64=True)
            assert [r["Q_A"] for r in result.rows[2 * k: 2 * k + 2]] == \
                [r["Q_A"] for r in ref["rows"]]
