"""``symthermo reproduce``: the main job, everything written into one directory.

- ``verify.json``, ``verify.md``: the papers' equations against the derivation;
- ``formulas.tex`` (and ``formulas.pdf`` where pdflatex exists);
- ``tables/MODEL.json``, ``tables/MODEL.csv``: every model at its paper's
  times, at dps 30, received convention (and ``MODEL.provided.*`` in the
  provided convention of SL26);
- ``figures/``: EL23 Fig. 2 and SL26 Figs. 1-13, PNG and PDF;
- ``SUMMARY.md``: what was made, with timings.

Work happens in ``DIR.partial`` and is moved to ``DIR`` only when every
step has succeeded, so a failed run never leaves a half-written result.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

__all__ = ["reproduce"]


def _progress(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def reproduce(out_dir, *, progress=_progress, figures=True):
    """Run the main job into ``out_dir``; returns the list of files written."""
    from .formulas import compile_pdf, formulas_document, symbolic_forms
    from .models import get_model, model_names
    from .tables import reference_payload, render
    from .verify import run_checks, verify_markdown

    out = Path(out_dir)
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    timings = []
    steps = 4 if figures else 3
    start_all = time.perf_counter()

    def step(k, label):
        progress(f"[{k}/{steps}] {label} ...")
        return time.perf_counter()

    def done(label, t0):
        dt = time.perf_counter() - t0
        timings.append((label, dt))
        progress(f"      {label}: done in {dt:.1f} s")

    t0 = step(1, "checking the papers' equations (verify)")
    checks = run_checks("all")
    (partial / "verify.json").write_text(json.dumps(checks, indent=1) + "\n")
    (partial / "verify.md").write_text(verify_markdown(checks))
    done("verify", t0)

    t0 = step(2, "reference tables of every model at dps 30")
    tables = partial / "tables"
    tables.mkdir()
    models_forms = []
    for name in model_names():
        model = get_model(name)
        times = ",".join(model.paper_times) if model.paper_times else "0,1"
        progress(f"      {name}: {len(model.paper_times) or 2} times")
        for convention, suffix in (("received", ""), ("provided", ".provided")):
            payload = reference_payload(model, {}, times, dps=30, convention=convention)
            (tables / f"{name}{suffix}.json").write_text(render(payload, "json"))
            (tables / f"{name}{suffix}.csv").write_text(render(payload, "csv"))
        models_forms.append(symbolic_forms(model))
    done("reference tables", t0)

    t0 = step(3, "formulas.tex (latexify-py definitions, SymPy closed forms, verify table)")
    tex = partial / "formulas.tex"
    tex.write_text(formulas_document(models_forms, checks))
    pdf, message = compile_pdf(tex)
    progress(f"      formulas.pdf: {message}")
    done("formulas", t0)

    if figures:
        from .figures import plot_all

        t0 = step(4, "figures (EL23 Fig. 2, SL26 Figs. 1-13)")
        plot_all(partial / "figures",
                 progress=lambda name, paths, seconds: progress(f"      {name}: {seconds:.1f} s"))
        done("figures", t0)

    counts = {}
    for c in checks:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    lines = ["# symthermo reproduce", "",
             "verify: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())), "",
             f"formulas.pdf: {message}", "", "| step | seconds |", "| --- | --- |"]
    lines += [f"| {label} | {dt:.1f} |" for label, dt in timings]
    lines += ["", f"total: {time.perf_counter() - start_all:.1f} s", ""]
    (partial / "SUMMARY.md").write_text("\n".join(lines))

    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)
    written = sorted(str(p) for p in out.rglob("*") if p.is_file())
    progress(f"done: {len(written)} files in {out} ({time.perf_counter() - start_all:.1f} s)")
    return written
