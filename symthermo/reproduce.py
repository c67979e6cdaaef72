"""``symthermo reproduce``: the main job, everything written into one directory.

The steps, in order (:data:`STEPS`; one more is added by appending a
:class:`Step`):

1. ``verify.json``, ``verify.md``: the papers' equations against the derivation;
2. ``tables/MODEL.json``, ``tables/MODEL.csv``: every model at its paper's
   times, at dps 30, received convention (and ``MODEL.provided.*`` in the
   provided convention of SL26);
3. ``formulas.tex`` (and ``formulas.pdf`` where pdflatex exists);
4. ``figures/``: EL23 Fig. 2 and SL26 Figs. 1-13, PNG and PDF, with the
   plotted curves as CSV (needs matplotlib: without it reproduce stops
   before any work and says so; ``figures=False`` / ``--no-figures`` skips
   this step);
5. ``maps/``: the refrigerator's refrigeration region and best COP/Carnot over
   (beta_B, omega_B) around EL23's point (a float64 sweep with certified spot
   checks, :func:`symthermo.sweep_maps.refrigerator_map`; the figure where
   matplotlib is installed);

then ``SUMMARY.md`` (what was made, with timings) and
``.symthermo-manifest.json`` (every file with its sha256).

The output directory is handled by :class:`symthermo.safe_output.StagedDirectory`:
work happens in a fresh temporary directory beside DIR, swapped in only when
every step has succeeded; an existing DIR is replaced only if it holds
symthermo's own unmodified output (``force=True``: modified too), never a
file symthermo did not write.  SIGINT and SIGTERM remove the temporary
directory; two runs into the same DIR cannot interleave.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SymthermoError
from .safe_output import StagedDirectory

__all__ = ["reproduce", "Step", "STEPS", "Run"]


def _write_line(message):
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)  # above an active progress bar, if any
    sys.stderr.flush()


@dataclass
class Run:
    """What a step sees: the directory to write into and the shared results."""

    dir: Path
    progress: object  # callable(str) -> None
    quiet: bool = False
    results: dict = field(default_factory=dict)

    def bar(self, total, description, unit="step"):
        """A progress bar on a terminal (nothing when quiet or not on a terminal)."""
        from .progress import progress_bar

        return progress_bar(total, description, quiet=self.quiet, unit=unit)


@dataclass(frozen=True)
class Step:
    """One step of reproduce: ``run(Run)`` writes its files into ``Run.dir``."""

    name: str
    label: str
    run: object  # callable(Run) -> None
    needs: tuple = ()  # importable modules it needs, checked before anything starts


def _verify(run):
    from .papers import EL23, SL26
    from .verify import run_checks, verify_markdown

    with run.bar(len(EL23) + len(SL26), "verify", unit="check") as bar:
        checks = run_checks("all", on_check=lambda check: bar.update())
    run.results["checks"] = checks
    (run.dir / "verify.json").write_text(json.dumps(checks, indent=1) + "\n")
    (run.dir / "verify.md").write_text(verify_markdown(checks))


def _tables(run):
    from .formulas import symbolic_forms
    from .models import get_model, model_names
    from .tables import reference_payload, render

    tables = run.dir / "tables"
    tables.mkdir()
    forms = []
    names = model_names()
    with run.bar(len(names), "tables", unit="model") as bar:
        for name in names:
            model = get_model(name)
            times = ",".join(model.paper_times) if model.paper_times else "0,1"
            run.progress(f"      {name}: {len(model.paper_times) or 2} times")
            for convention, suffix in (("received", ""), ("provided", ".provided")):
                payload = reference_payload(model, {}, times, dps=30, convention=convention)
                (tables / f"{name}{suffix}.json").write_text(render(payload, "json"))
                (tables / f"{name}{suffix}.csv").write_text(render(payload, "csv"))
            forms.append(symbolic_forms(model))
            bar.update()
    run.results["models_forms"] = forms


def _formulas(run):
    from .formulas import compile_pdf, formulas_document

    tex = run.dir / "formulas.tex"
    tex.write_text(formulas_document(run.results.get("models_forms", []),
                                     run.results.get("checks", [])))
    _, message = compile_pdf(tex)
    run.results["formulas"] = message
    run.progress(f"      formulas.pdf: {message}")


def _figures(run):
    from .figures import FIGURES, plot_all

    with run.bar(len(FIGURES), "figures", unit="figure") as bar:
        def each(name, paths, seconds):
            bar.update()
            run.progress(f"      {name}: {seconds:.1f} s")

        plot_all(run.dir / "figures", progress=each, csv=True)


def _maps(run):
    from .sweep_maps import refrigerator_map

    paths = refrigerator_map(run.dir / "maps", progress=run.progress)
    run.progress(f"      maps: {len(paths)} files")


#: the steps of the main job, in order
STEPS = (
    Step("verify", "checking the papers' equations (verify)", _verify),
    Step("tables", "reference tables of every model at dps 30", _tables),
    Step("formulas", "formulas.tex (latexify-py definitions, SymPy closed forms, verify table)",
         _formulas),
    Step("figures", "figures (EL23 Fig. 2, SL26 Figs. 1-13), with their data as CSV", _figures,
         needs=("matplotlib",)),
    Step("maps", "refrigerator map over (beta_B, omega_B): where it cools, COP/Carnot", _maps),
)


def _check_needs(steps):
    import importlib.util

    for step in steps:
        for module in step.needs:
            if importlib.util.find_spec(module) is None:
                raise SymthermoError(
                    f"reproduce step {step.name!r} needs {module}, which is not installed: "
                    "pip install 'symthermo[plot]', or run reproduce with --no-figures")


@contextlib.contextmanager
def _signals_unwind():
    """SIGINT and SIGTERM raise KeyboardInterrupt here (so cleanup runs); restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    saved = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            saved[sig] = signal.getsignal(sig)
            signal.signal(sig, handler)
        yield
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


def _summary(run, timings, total):
    checks = run.results.get("checks")
    lines = ["# symthermo reproduce", ""]
    if checks is not None:
        counts = {}
        for c in checks:
            counts[c["status"]] = counts.get(c["status"], 0) + 1
        lines += ["verify: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())), ""]
    if "formulas" in run.results:
        lines += [f"formulas.pdf: {run.results['formulas']}", ""]
    lines += ["| step | seconds |", "| --- | --- |"]
    lines += [f"| {label} | {dt:.1f} |" for label, dt in timings]
    lines += ["", f"total: {total:.1f} s", ""]
    return "\n".join(lines)


def reproduce(out_dir, *, progress=_write_line, figures=True, force=False, quiet=False,
              steps=None):
    """Run the main job into ``out_dir``; returns the list of files written.

    Parameters
    ----------
    out_dir : str or path
        The result directory: created, or replaced if it holds only an
        earlier symthermo output (see :mod:`symthermo.safe_output`).
    progress : callable(str), keyword-only
        Receives the step messages (default: stderr); ``None`` for none.
    figures : bool, keyword-only
        Run the figures step (it needs matplotlib).
    force : bool, keyword-only
        Replace an earlier output even if its files were modified.
    quiet : bool, keyword-only
        No messages and no progress bars.
    steps : sequence of Step, keyword-only
        The steps to run instead of :data:`STEPS` (tests, partial runs).

    Raises
    ------
    symthermo.safe_output.OutputDirError
        ``out_dir`` may not be used (the message says why); nothing was written.
    SymthermoError
        A step needs a module that is not installed (before any work).
    """
    steps = list(STEPS if steps is None else steps)
    if not figures:
        steps = [s for s in steps if s.name != "figures"]
    say = (lambda message: None) if (quiet or progress is None) else progress
    stage = StagedDirectory(out_dir, force=force)  # a refused DIR is reported first
    _check_needs(steps)
    start_all = time.perf_counter()
    with _signals_unwind(), stage:
        for path in stage.removed_stale:
            say(f"removed {path} (left by an interrupted run)")
        run = Run(dir=stage.path, progress=say, quiet=quiet)
        timings = []
        for k, step in enumerate(steps, 1):
            say(f"[{k}/{len(steps)}] {step.label} ...")
            t0 = time.perf_counter()
            step.run(run)
            dt = time.perf_counter() - t0
            timings.append((step.name, dt))
            say(f"      {step.name}: done in {dt:.1f} s")
        (stage.path / "SUMMARY.md").write_text(
            _summary(run, timings, time.perf_counter() - start_all))
        written = sorted(stage.commit())
    say(f"done: {len(written)} files in {out_dir} ({time.perf_counter() - start_all:.1f} s)")
    return written
