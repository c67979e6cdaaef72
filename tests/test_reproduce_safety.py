"""``reproduce --out DIR`` never deletes what symthermo did not write.

Every test runs ``reproduce`` with fast stand-in steps (a few small files),
so the directory handling is exercised in milliseconds; the real steps are
the same code path (``reproduce(..., steps=...)``).
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from symthermo.cli import main
from symthermo.errors import SymthermoError
from symthermo.reproduce import STEPS, Step, reproduce
from symthermo.safe_output import MANIFEST, MARKER, OutputDirError, StagedDirectory

ROOT = Path(__file__).resolve().parent.parent


def _write_files(run):
    (run.dir / "a.txt").write_text("alpha\n")
    (run.dir / "sub").mkdir()
    (run.dir / "sub" / "b.csv").write_text("x,y\n1,2\n")


FAST = [Step("files", "two small files", _write_files)]


def _go(out, **kw):
    return reproduce(out, steps=kw.pop("steps", FAST), quiet=True, **kw)


def _leftovers(parent):
    """Anything reproduce may leave beside DIR: temporary directories, lock files."""
    return sorted(p.name for p in Path(parent).iterdir() if ".symthermo" in p.name)


def _snapshot(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(Path(root).rglob("*"))
            if p.is_file()}


class TestFreshAndOwnOutput:
    def test_fresh_dir_gets_the_files_and_a_manifest_with_their_sha256(self, tmp_path):
        out = tmp_path / "out"
        written = _go(out)
        names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        assert names == sorted(["a.txt", "sub/b.csv", "SUMMARY.md", MANIFEST])
        assert sorted(written) == sorted(str(out / n) for n in names)
        manifest = json.loads((out / MANIFEST).read_text())
        assert sorted(manifest["files"]) == ["SUMMARY.md", "a.txt", "sub/b.csv"]
        for rel, sha in manifest["files"].items():
            assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha
        assert _leftovers(tmp_path) == []  # no temporary directory, no lock file
        # permissions of a plain mkdir, not mkdtemp's 0700
        mask = os.umask(0)
        os.umask(mask)
        assert (out.stat().st_mode & 0o777) == (0o777 & ~mask)

    def test_an_existing_empty_dir_is_used(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        _go(out)
        assert (out / "a.txt").read_text() == "alpha\n"

    def test_its_own_unmodified_output_is_replaced(self, tmp_path):
        out = tmp_path / "out"
        _go(out)
        _go(out, steps=[Step("other", "other file", lambda r: (r.dir / "c.txt").write_text("c"))])
        assert sorted(p.name for p in out.iterdir()) == sorted(["c.txt", "SUMMARY.md", MANIFEST])
        assert _leftovers(tmp_path) == []


class TestRefusals:
    def test_a_users_directory_is_never_touched(self, tmp_path):
        out = tmp_path / "mine"
        out.mkdir()
        (out / "thesis.tex").write_text("years of work")
        with pytest.raises(OutputDirError, match="not written by symthermo"):
            _go(out)
        assert _snapshot(out) == {"thesis.tex": b"years of work"}
        assert _leftovers(tmp_path) == []

    def test_an_extra_file_in_its_own_output_is_refused_even_with_force(self, tmp_path):
        out = tmp_path / "out"
        _go(out)
        (out / "sub" / "my-notes.txt").write_text("mine")
        before = _snapshot(out)
        for force in (False, True):
            with pytest.raises(OutputDirError, match="did not write.*sub/my-notes.txt"):
                _go(out, force=force)
            assert _snapshot(out) == before

    def test_a_modified_file_needs_force(self, tmp_path):
        out = tmp_path / "out"
        _go(out)
        (out / "a.txt").write_text("edited by hand")
        with pytest.raises(OutputDirError, match="changed since symthermo wrote them.*a.txt.*--force"):
            _go(out)
        assert (out / "a.txt").read_text() == "edited by hand"
        (out / "sub" / "b.csv").unlink()  # a removed file counts as modified
        _go(out, force=True)
        assert (out / "a.txt").read_text() == "alpha\n" and (out / "sub" / "b.csv").exists()

    def test_an_unreadable_manifest_is_not_proof_of_ownership(self, tmp_path):
        out = tmp_path / "out"
        _go(out)
        (out / MANIFEST).write_text('{"files": {"../../etc/passwd": "x"}}')
        with pytest.raises(OutputDirError, match="not a manifest symthermo can read"):
            _go(out, force=True)
        assert (out / "a.txt").exists()

    @pytest.mark.parametrize("rel", [".", "..", "../.."])
    def test_dot_and_parents_of_the_working_directory(self, tmp_path, monkeypatch, rel):
        work = tmp_path / "parent" / "child" / "grandchild"
        work.mkdir(parents=True)
        (work / "keep.txt").write_text("keep")
        monkeypatch.chdir(work)
        with pytest.raises(OutputDirError, match="contains the working directory"):
            _go(rel)
        assert (work / "keep.txt").read_text() == "keep"
        assert not any(".symthermo" in p.name for p in tmp_path.rglob("*"))

    def test_root_and_home(self, tmp_path, monkeypatch):
        with pytest.raises(OutputDirError, match="root directory"):
            _go("/")
        home = tmp_path / "home" / "user"
        home.mkdir(parents=True)
        monkeypatch.setenv("HOME", str(home))
        for out in (home, home.parent, "~"):
            with pytest.raises(OutputDirError, match="contains the home directory"):
                _go(out)
        assert list(home.iterdir()) == []

    def test_a_symlink_or_a_file(self, tmp_path):
        (tmp_path / "real").mkdir()
        (tmp_path / "link").symlink_to(tmp_path / "real")
        with pytest.raises(OutputDirError, match="symbolic link"):
            _go(tmp_path / "link")
        (tmp_path / "file").write_text("x")
        with pytest.raises(OutputDirError, match="not a directory"):
            _go(tmp_path / "file")
        assert (tmp_path / "file").read_text() == "x"

    @pytest.mark.parametrize("out", [".", "..", "/"])
    def test_cli_refuses_with_one_line_and_exit_2(self, tmp_path, monkeypatch, capsys, out):
        work = tmp_path / "a" / "b"
        work.mkdir(parents=True)
        monkeypatch.chdir(work)
        code = main(["reproduce", "--out", out, "--quiet"])  # refused before any step runs
        captured = capsys.readouterr()
        assert code == 2 and captured.out == ""
        assert captured.err.startswith("error: --out ") and captured.err.count("\n") == 1


def test_cli_without_matplotlib_says_so_before_any_work(tmp_path, monkeypatch, capsys):
    import dataclasses

    import symthermo.reproduce as rep

    steps = tuple(dataclasses.replace(s, run=None, needs=("symthermo_fake_matplotlib",))
                  if s.name == "figures" else dataclasses.replace(s, run=None)
                  for s in rep.STEPS)  # run=None: any step that ran would fail loudly
    monkeypatch.setattr(rep, "STEPS", steps)
    out = tmp_path / "out"
    code = main(["reproduce", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and captured.err.count("\n") == 1
    assert "needs symthermo_fake_matplotlib" in captured.err and "--no-figures" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_step_messages_unless_quiet(tmp_path):
    said = []
    reproduce(tmp_path / "a", steps=FAST, progress=said.append)
    assert said[0].startswith("[1/1] two small files") and said[-1].startswith("done: 4 files")
    said.clear()
    reproduce(tmp_path / "b", steps=FAST, progress=said.append, quiet=True)
    assert said == []


class TestFailuresLeaveNothingBehind:
    def test_a_failing_step_keeps_the_previous_output(self, tmp_path):
        out = tmp_path / "out"
        _go(out)
        before = _snapshot(out)

        def boom(run):
            (run.dir / "half.txt").write_text("half")
            raise RuntimeError("step failed")

        with pytest.raises(RuntimeError, match="step failed"):
            _go(out, steps=[Step("boom", "fails", boom)])
        assert _snapshot(out) == before
        assert _leftovers(tmp_path) == []

    @pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
    def test_interrupt_removes_the_temporary_dir_and_restores_handlers(self, tmp_path, sig):
        before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

        def interrupted(run):
            (run.dir / "half.txt").write_text("half")
            os.kill(os.getpid(), sig)

        with pytest.raises(KeyboardInterrupt):
            _go(tmp_path / "out", steps=[Step("int", "interrupted", interrupted)])
        assert not (tmp_path / "out").exists()
        assert _leftovers(tmp_path) == []
        assert {s: signal.getsignal(s) for s in before} == before

    def test_missing_module_is_reported_before_any_work(self, tmp_path):
        ran = []
        needy = Step("fig", "needs a module", lambda r: ran.append(1),
                     needs=("symthermo_no_such_module",))
        with pytest.raises(SymthermoError, match="needs symthermo_no_such_module.*--no-figures"):
            _go(tmp_path / "out", steps=FAST + [needy])
        assert ran == [] and list(tmp_path.iterdir()) == []

    def test_figures_step_needs_matplotlib_and_can_be_skipped(self, tmp_path):
        figures = {s.name: s for s in STEPS}["figures"]
        assert figures.needs == ("matplotlib",)
        ran = []
        fake_figures = Step("figures", "figures", lambda r: ran.append(1), needs=("nope_mpl",))
        _go(tmp_path / "out", steps=FAST + [fake_figures], figures=False)
        assert ran == [] and (tmp_path / "out" / "a.txt").exists()


class TestStaleAndConcurrentRuns:
    def _dead_pid(self):
        proc = subprocess.Popen([sys.executable, "-c", "pass"])
        proc.wait()
        return proc.pid

    def _fake_tmp(self, parent, target, name, pid, host=None):
        import socket

        d = parent / f".{target.name}.symthermo-tmp-{name}"
        d.mkdir()
        (d / "partial.txt").write_text("x")
        if pid is not None:
            (d / MARKER).write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                                "target": str(target)}))
        return d

    def test_stale_temporary_dirs_of_dead_runs_are_removed_and_only_those(self, tmp_path):
        target = tmp_path / "out"
        dead = self._fake_tmp(tmp_path, target, "dead", self._dead_pid())
        alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            live = self._fake_tmp(tmp_path, target, "live", alive.pid)
            unmarked = self._fake_tmp(tmp_path, target, "nomarker", None)
            elsewhere = self._fake_tmp(tmp_path, target, "otherhost", self._dead_pid(),
                                       host="another-host.invalid")
            _go(target)
        finally:
            alive.kill()
            alive.wait()
        assert not dead.exists()
        assert live.exists() and unmarked.exists() and elsewhere.exists()

    def test_a_second_run_into_the_same_dir_stops_at_once(self, tmp_path):
        out = tmp_path / "out"
        with StagedDirectory(out) as first:
            (first.path / "first.txt").write_text("1")
            with pytest.raises(OutputDirError, match="another symthermo run is writing"):
                _go(out)
            first.commit()
        assert sorted(p.name for p in out.iterdir()) == sorted(["first.txt", MANIFEST])
        assert _leftovers(tmp_path) == []

    def test_dir_created_by_someone_else_during_the_run_is_kept(self, tmp_path):
        out = tmp_path / "out"

        def intruder(run):
            out.mkdir()
            (out / "theirs.txt").write_text("theirs")

        with pytest.raises(OutputDirError, match="not written by symthermo"):
            _go(out, steps=[Step("intruder", "someone writes DIR", intruder)])
        assert _snapshot(out) == {"theirs.txt": b"theirs"}
        assert _leftovers(tmp_path) == []

    def test_a_file_added_to_the_old_output_during_the_run_is_kept(self, tmp_path):
        out = tmp_path / "out"
        _go(out)

        def user_adds(run):
            (out / "added-meanwhile.txt").write_text("mine")

        with pytest.raises(OutputDirError, match="added-meanwhile.txt"):
            _go(out, steps=[Step("user", "user adds a file", user_adds)])
        assert (out / "added-meanwhile.txt").read_text() == "mine"
        assert (out / "a.txt").exists() and _leftovers(tmp_path) == []

    def test_two_processes_each_finish_or_fail_cleanly(self, tmp_path):
        out = tmp_path / "out"
        script = textwrap.dedent(f"""
            import sys, time
            from symthermo.reproduce import Step, reproduce
            def slow(run):
                (run.dir / "x.txt").write_text(sys.argv[1])
                time.sleep(0.6)
            reproduce({str(out)!r}, steps=[Step("slow", "slow", slow)], quiet=True)
        """)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        procs = [subprocess.Popen([sys.executable, "-c", script, str(k)], env=env,
                                  stderr=subprocess.PIPE, text=True) for k in range(2)]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
        for p in procs:
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        assert codes[0] == 0, results
        for code, err in results:
            assert code == 0 or "another symthermo run is writing" in err, err
        assert (out / "x.txt").read_text() in ("0", "1")  # never an empty DIR
        assert _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_an_unreadable_subdirectory_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    _go(out)
    (out / "sub").chmod(0)
    try:
        with pytest.raises(OutputDirError, match="cannot read"):
            _go(out, force=True)
    finally:
        (out / "sub").chmod(0o755)
    assert (out / "sub" / "b.csv").exists()


def test_unreadable_directories_are_refused(tmp_path, monkeypatch):
    """The same rule without relying on permissions (the suite may run as root)."""
    import symthermo.safe_output as so

    out = tmp_path / "out"
    _go(out)
    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):
        err = PermissionError(13, "Permission denied")
        err.filename = str(out / "sub")
        onerror(err)
        yield from real_walk(top, followlinks=followlinks)

    monkeypatch.setattr(so.os, "walk", walk)
    with pytest.raises(OutputDirError, match="cannot read .*sub"):
        _go(out, force=True)
    monkeypatch.undo()
    assert (out / "sub" / "b.csv").exists()
