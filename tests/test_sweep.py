"""Sweeps in one process: the rows are reference's strings, failures are rows, the
output file resumes, other settings are refused, lost tasks are not lost."""

import concurrent.futures as cf
from concurrent.futures.process import BrokenProcessPool
import json

import pytest

from symthermo.cli import main
from symthermo.models import get_model
from symthermo.sweep import SweepIncomplete, param_column, sweep
from symthermo.sweep_store import read_rows
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
            assert [{k: r[k] for k in m.keys()} for r in rows] == ref
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


def _run_cli(*args):
    return main(["sweep", *map(str, args), "--quiet"])


ARGS = ("exchange", "--grid", "g=0.01,0.02", "--grid", "omega_B=1:2:3", "--times", "0,50,100",
        "--float64")


class TestStore:
    @pytest.mark.parametrize("suffix", ["csv", "jsonl"])
    def test_resume_skips_done_tasks_and_drops_a_torn_line(self, tmp_path, suffix, capsys):
        clean, out = tmp_path / f"clean.{suffix}", tmp_path / f"out.{suffix}"
        assert _run_cli(*ARGS, "--out", clean) == 0
        text = clean.read_text()
        lines = text.splitlines(keepends=True)
        head = 1 if suffix == "csv" else 0
        # tasks 0 and 1 complete, task 2 with one row of three, and half a line
        torn = "".join(lines[:head + 7]) + lines[head + 7][:9]
        out.write_text(torn)
        (tmp_path / f"out.{suffix}.meta.json").write_text(
            (tmp_path / f"clean.{suffix}.meta.json").read_text())
        result = sweep("exchange", {"g": "0.01,0.02", "omega_B": "1:2:3"}, "0,50,100",
                       float64=True, workers=1, out=out)
        assert (result.skipped, result.done) == (2, 4)
        assert out.read_text() == text
        again = sweep("exchange", {"g": "0.01,0.02", "omega_B": "1:2:3"}, "0,50,100",
                      float64=True, workers=1, out=out)
        assert (again.skipped, again.done) == (6, 0) and again.rows == result.rows
        assert out.read_text() == text

    def test_other_settings_are_refused(self, tmp_path, capsys):
        out = tmp_path / "out.csv"
        assert _run_cli(*ARGS, "--out", out) == 0
        before = out.read_text()
        capsys.readouterr()
        changed = list(ARGS)
        changed[-2] = "0,50,101"
        assert _run_cli(*changed, "--out", out) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and "times" in err
        assert _run_cli(*ARGS, "--convention", "provided", "--out", out) == 2
        assert "convention" in capsys.readouterr().err
        assert out.read_text() == before

    def test_a_file_that_is_not_a_sweep_is_not_overwritten(self, tmp_path, capsys):
        out = tmp_path / "data.csv"
        out.write_text("precious\n")
        assert _run_cli(*ARGS, "--out", out) == 2
        assert "refusing to overwrite" in capsys.readouterr().err
        assert out.read_text() == "precious\n"

    def test_error_rows_are_kept_on_resume(self, tmp_path):
        out = tmp_path / "out.jsonl"
        first = sweep("refrigerator", {"omega_B": [1, 0, 2]}, "0,1", float64=True, workers=1,
                      out=out)
        again = sweep("refrigerator", {"omega_B": [1, 0, 2]}, "0,1", float64=True, workers=1,
                      out=out)
        assert (again.skipped, again.done, again.failed) == (3, 0, 0)
        assert again.rows == first.rows
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert ["error" in row for row in lines] == [False, False, True, False, False]

    def test_cli_summary_and_output(self, tmp_path, capsys):
        out = tmp_path / "s.csv"
        assert main(["sweep", *ARGS, "--out", str(out)]) == 0
        captured = capsys.readouterr()
        assert captured.out == f"{out}\n"
        assert "6 tasks: 6 done (0 failed), 0 skipped" in captured.err
        rows = read_rows(out)
        assert [r[param_column("g")] for r in rows[::3]] == ["0.01"] * 3 + ["0.02"] * 3

    @pytest.mark.parametrize("args, message", [
        (["--grid", "g"], "NAME=START:STOP:COUNT"), (["--grid", "g=1:2:x"], "COUNT"),
        (["--reduce", "max:import os"], "not a reduction"), (["--workers", "0"], "invalid"),
        (["--format", "xml"], "invalid choice")])
    def test_cli_bad_input(self, tmp_path, capsys, args, message):
        code = main(["sweep", "exchange", "--times", "0,1", "--out", str(tmp_path / "x.csv"),
                     "--grid", "omega_B=1,2", *args])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
        assert message in err
        assert "Traceback" not in err


class _BreaksAfter(cf.Executor):
    """Runs tasks inline; after ``n`` submissions every future fails as a lost worker."""

    def __init__(self, n):
        self.n = n

    def submit(self, fn, *args):
        future = cf.Future()
        if self.n > 0:
            self.n -= 1
            future.set_result(fn(*args))
        else:
            future.set_exception(BrokenProcessPool("a worker died"))
        return future


class TestLostTasks:
    def test_lost_tasks_are_run_again(self, tmp_path):
        grid = {"g": "0.01:0.02:8"}
        clean = sweep("exchange", grid, "0,50", float64=True, workers=1)
        out = tmp_path / "out.csv"
        with pytest.raises(SweepIncomplete, match="6 not finished .a worker died."):
            sweep("exchange", grid, "0,50", float64=True, executor=_BreaksAfter(1),
                  chunksize=2, out=out)
        assert len(read_rows(out)) == 4  # the first chunk: two tasks of two rows
        again = sweep("exchange", grid, "0,50", float64=True, workers=1, out=out)
        assert (again.skipped, again.done) == (2, 6)
        assert again.rows == clean.rows


class TestProgress:
    def test_bar_on_stderr(self, capsys):
        sweep("exchange", {"g": [0.01, 0.02, 0.03]}, "0,1", float64=True, workers=1,
              progress=True, keys=["Q_A"])
        err = capsys.readouterr().err
        assert "3/3" in err and "task" in err

    def test_callback_and_silence(self, capsys):
        seen = []
        sweep("exchange", {"g": [0.01, 0.02]}, "0,1", float64=True, workers=1,
              progress=lambda done, total: seen.append((done, total)), keys=["Q_A"])
        sweep("exchange", {"g": [0.01, 0.02]}, "0,1", float64=True, workers=1, keys=["Q_A"])
        assert seen == [(1, 2), (2, 2)] and capsys.readouterr().err == ""

    @pytest.mark.parametrize("kwargs", [{"workers": 0}, {"workers": 1.5}, {"chunksize": 0}])
    def test_bad_sizes(self, kwargs):
        with pytest.raises(ValueError, match="must be a positive integer"):
            sweep("exchange", {"g": [0.01]}, "0", float64=True, **kwargs)


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


def test_a_second_writer_is_refused(tmp_path):
    from symthermo.sweep_store import Store

    out = tmp_path / "out.csv"
    first = Store.open(out, {"a": 1}, ["task", "x", "error"], expected=lambda i: 1)
    try:
        with pytest.raises(ValueError, match="another sweep is writing"):
            Store.open(out, {"a": 1}, ["task", "x", "error"], expected=lambda i: 1)
    finally:
        first.close()
    again = Store.open(out, {"a": 1}, ["task", "x", "error"], expected=lambda i: 1)
    again.append(0, [{"task": 0, "x": "1"}])
    assert again.finish(total=1)
    assert out.read_text() == "task,x,error\n0,1,\n"


class TestPointsFile:
    @pytest.mark.parametrize("name, text", [
        ("p.csv", "g,omega_B\n0.01,1\n0.02, 1/2\n"),
        ("p.json", '[{"g": 0.01, "omega_B": "1"}, {"g": "0.02", "omega_B": 0.5}]')])
    def test_points(self, tmp_path, capsys, name, text):
        (tmp_path / name).write_text(text)
        out = tmp_path / "out.csv"
        assert main(["sweep", "exchange", "--points", str(tmp_path / name), "--times", "0,10",
                     "--float64", "--keys", "W_A", "--out", str(out), "--quiet"]) == 0
        rows = read_rows(out)
        assert [(r["param.g"], r["param.omega_B"]) for r in rows] == \
            [("0.01", "1"), ("0.01", "1"), ("0.02", "0.5"), ("0.02", "0.5")]

    @pytest.mark.parametrize("name, text, message", [
        ("p.json", '{"g": 1}', "JSON list of objects"), ("p.json", "[{", "not JSON"),
        ("p.json", '[{"g": [1]}]', "number or a string"), ("p.csv", "g\n", "at least one row"),
        ("p.csv", "g,omega_B\n1\n", "has 1 fields"), ("p.csv", "g\nx\n", "not a number")])
    def test_bad_points(self, tmp_path, capsys, name, text, message):
        (tmp_path / name).write_text(text)
        code = main(["sweep", "exchange", "--points", str(tmp_path / name), "--times", "0",
                     "--out", str(tmp_path / "o.csv")])
        err = capsys.readouterr().err
        assert code == 2 and message in err and err.count("\n") == 1


def test_another_version_does_not_resume(tmp_path, monkeypatch):
    import symthermo.sweep as sweep_module

    out = tmp_path / "out.csv"
    sweep("exchange", {"g": [0.01]}, "0", float64=True, workers=1, out=out, keys=["Q_A"])
    monkeypatch.setattr(sweep_module, "__version__", "99.0")
    with pytest.raises(ValueError, match="differing: symthermo"):
        sweep("exchange", {"g": [0.01]}, "0", float64=True, workers=1, out=out, keys=["Q_A"])


def test_cli_lost_tasks_exit_1(tmp_path, capsys, monkeypatch):
    import symthermo.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "_process_pool", lambda workers: _BreaksAfter(1))
    out = tmp_path / "out.csv"
    code = main(["sweep", "exchange", "--grid", "g=0.01:0.02:6", "--times", "0,1", "--float64",
                 "--workers", "2", "--chunksize", "2", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: sweep: 6 tasks: 2 done (0 failed), 0 skipped") and \
        "4 not finished (a worker died)" in err and err.count("\n") == 1
    assert len(read_rows(out)) == 4
    assert main(["sweep", "exchange", "--grid", "g=0.01:0.02:6", "--times", "0,1", "--float64",
                 "--workers", "1", "--out", str(out)]) == 0
    assert "4 done (0 failed), 2 skipped" in capsys.readouterr().err
