"""The output file of a sweep: resumed after an interruption or a lost worker, other
settings and second writers refused, the command line's summary, errors and exit
codes, --points files and progress."""

import concurrent.futures as cf
import json
from concurrent.futures.process import BrokenProcessPool

import pytest

from symthermo.cli import main
from symthermo.sweep import SweepIncomplete, param_column, sweep
from symthermo.sweep_store import read_rows


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
