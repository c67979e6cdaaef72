#!/usr/bin/env python
"""symthermo against QuTiP 5 and qthermo, on the same problems, in one run.

    python benchmarks/run.py [--quick] [--json PATH] [--problems 1,4] [--without qutip,qthermo]

Prints one table (problem, tool, time ratio to symthermo float64, digits
correct against the reference) and writes every number as JSON
(``benchmarks/results.json``, or ``results-quick.json`` with ``--quick``).
QuTiP and qthermo come from the optional ``bench`` extra
(``pip install 'symthermo[bench]'``); a missing one is reported as such, its
rows marked ``missing``, and the rest still runs.

Problems (see ``benchmarks/README.md`` and the module docstrings in
``benchmarks/problems/``):

1. two-qubit refrigerator (EL23 Fig. 2), 1000 times;
2. Jaynes-Cummings, qubit ground, coherent field alpha = 30, 100 times;
3. spontaneous emission (3a) and the reaction coordinate with kappa = 0.8 lam (3b), 200 times;
4. entropy, relative entropy, ergotropy, exergy of diag(1 - e, e, 0), e = 1e-6 ... 1e-14;
5. the ledger of random two-qutrit systems.

Exit status: 0 when every problem ran (whatever the goals), 1 when a
problem failed with an error (its row says which).
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread for every tool, set before numpy (imported by the
# problems, QuTiP and symthermo) starts its thread pools: the matrices are
# small, and a tool that used more cores than another would not be compared fairly.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # symthermo from this checkout

from problems import PROBLEMS  # noqa: E402
from problems.common import Context, result  # noqa: E402

BASELINE = "symthermo float64"


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="tiny sizes (a few seconds per problem): the smoke test's run")
    ap.add_argument("--json", metavar="PATH", default=None,
                    help="where to write the JSON (default benchmarks/results.json, "
                         "results-quick.json with --quick); '-' for none")
    ap.add_argument("--problems", default="1,2,3,4,5",
                    help="comma-separated problem numbers (default: all)")
    ap.add_argument("--without", default="",
                    help="comma-separated optional tools to treat as missing (qutip, qthermo)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="timing repetitions of the fast tools, best kept (default 5, 1 with --quick)")
    ap.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    return ap.parse_args(argv)


def run(args):
    wanted = {s.strip() for s in args.problems.split(",") if s.strip()}
    unknown = wanted - {str(k) for k in range(1, len(PROBLEMS) + 1)}
    if unknown:
        raise SystemExit(f"error: unknown problem(s) {', '.join(sorted(unknown))}; known: 1-5")
    without = tuple(s.strip() for s in args.without.split(",") if s.strip())
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    ctx = Context(quick=args.quick, repeat=repeat, without=without, ref_dps=40 if args.quick else 50,
                  verbose=not args.quiet).load_tools()
    rows, failed = [], False
    started = time.perf_counter()
    for k, module_name in enumerate(PROBLEMS, start=1):
        if str(k) not in wanted:
            continue
        module = importlib.import_module(f"problems.{module_name}")
        ctx.log(f"problem {module.NAME}")
        t0 = time.perf_counter()
        try:
            got = module.run(ctx)
        except Exception as exc:  # report, keep going
            failed = True
            got = [result(module.NAME, "(problem)", status="error",
                          note=f"{type(exc).__name__}: {exc}",
                          traceback=traceback.format_exc())]
            ctx.log(f"problem {module.NAME} failed: {type(exc).__name__}: {exc}")
        ctx.log(f"problem {module.NAME}: {time.perf_counter() - t0:.1f} s")
        rows += got
    add_ratios(rows)
    payload = {
        "command": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
        "quick": args.quick,
        "dps": ctx.dps,
        "reference_dps": ctx.ref_dps,
        "tools": _versions(ctx),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "wall_time_s": time.perf_counter() - started,
        "digits_definition": "-log10(max err), err = |x - ref| / max(|ref|, floor); floor = 1e-3 "
                             "x the largest |ref| of the key (problems 1-3, 5), 0 (problem 4); "
                             "capped at the reference's verified digits",
        "ratio_definition": "tool wall time / symthermo float64 wall time (warm: after the "
                            "first call, whose SymPy derivation is timed in its own row) on the "
                            "same problem, each the median of up to --repeat runs (at least 3 "
                            "unless one run exceeds the time budget), one BLAS thread for every "
                            "tool; 'solver-only' counts only QuTiP's mesolve/sesolve",
        "threads": {v: os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                   "MKL_NUM_THREADS")},
        "rows": rows,
        "goals": goals(rows),
    }
    return payload, failed


def add_ratios(rows):
    base = {}
    for r in rows:
        if r["tool"] == BASELINE and r["time_s"]:
            base[r["problem"]] = r["time_s"]
    for r in rows:
        b = base.get(r["problem"])
        r["ratio"] = r["time_s"] / b if b and r.get("time_s") else None
        r["solve_ratio"] = r["solve_s"] / b if b and r.get("solve_s") else None


def _versions(ctx):
    out = {}
    import symthermo

    out["symthermo"] = getattr(symthermo, "__version__", "checkout")
    for name in ("qutip", "qthermo"):
        mod = ctx.tools.get(name)
        out[name] = getattr(mod, "__version__", "?") if mod is not None else \
            f"missing: {ctx.missing.get(name)}"
    import mpmath
    import numpy
    import scipy

    out.update(numpy=numpy.__version__, scipy=scipy.__version__, mpmath=mpmath.__version__)
    return out


def goals(rows):
    """The issue's goals, judged from the rows (None when a needed row is missing)."""
    by = {}
    for r in rows:
        by.setdefault(r["problem"], []).append(r)

    def find(problem, prefix):
        return [r for r in by.get(problem, []) if r["tool"].startswith(prefix) and r["status"] == "ok"]

    out = []
    for problem in [p for p in by if p[:1] in "123"]:
        base = find(problem, BASELINE)
        qutip = [r for r in find(problem, "QuTiP") if r.get("solve_s")]
        if not base or not qutip:
            out.append({"goal": f"{problem}: float64 closed form >= 100x faster than QuTiP's "
                                "solver, with at least as many digits", "met": None,
                        "detail": "QuTiP or symthermo row missing"})
            continue
        b = base[0]
        plain = find(problem, "plain numpy")
        details, met = [], True
        for q in qutip:
            ok = (q["solve_ratio"] >= 100 and (b["digits"] or 0) >= (q["digits"] or 0))
            met = met and ok
            floor = (f"; plain numpy itself {q['solve_s'] / plain[0]['time_s']:.3g}x"
                     if plain else "")
            details.append(f"{q['tool']}: solver alone {q['solve_ratio']:.3g}x, with its "
                           f"quantities {q['ratio']:.3g}x; digits {b['digits']:.1f} vs "
                           f"{q['digits']:.1f}{floor}")
        goal = {"goal": f"{problem}: float64 closed form >= 100x faster than QuTiP's solver "
                        "alone (every method and tolerance), with at least as many digits",
                "met": met, "detail": "; ".join(details)}
        if not met and plain:
            fastest = min(q["solve_s"] for q in qutip)
            goal["explained"] = (
                f"a plain vectorised numpy script of the same formulas (no checks, in this "
                f"process) takes {plain[0]['time_s'] * 1e6:.3g} us, "
                f"{fastest / plain[0]['time_s']:.3g}x QuTiP's fastest solver run; 100x would need "
                f"{fastest / 100 * 1e6:.3g} us" if fastest / plain[0]["time_s"] < 100 else None)
        out.append(goal)
    for problem in [p for p in by if p[:1] in "123"]:
        plain = find(problem, "plain numpy")
        base = find(problem, BASELINE)
        if plain and base:
            ratio = base[0]["time_s"] / plain[0]["time_s"]
            out.append({"goal": f"{problem.split()[0]}: float64 closed form within 3x of a plain "
                                "vectorised numpy evaluation of the same formulas",
                        "met": ratio <= 3,
                        "detail": f"symthermo float64 {base[0]['time_s'] * 1e3:.3g} ms, plain "
                                  f"numpy {plain[0]['time_s'] * 1e3:.3g} ms: {ratio:.2f}x"})
    p1 = "1 refrigerator"
    if p1 in by:
        # judged on what `symthermo reference --dps 30` prints (the certified ball route),
        # whole and in its parts, each against QuTiP's solver alone in the same run
        qutip = [r for r in find(p1, "QuTiP") if r.get("solve_s")]
        certified = [r for r in find(p1, "symthermo dps") if "certified" in r["tool"]
                     and r.get("time_s")]
        parts = {"whole": [r for r in certified if ":" not in r["tool"]],
                 "evaluation": [r for r in certified if r["tool"].endswith(": evaluation")],
                 "strings": [r for r in certified if r["tool"].endswith("proof and strings")]}
        floor = [r for r in certified if r["tool"].endswith("(floor)")]
        labels = {
            "whole": "1: certified dps-30 refrigerator at 1000 times (what `symthermo reference "
                     "--dps 30` prints: evaluation, rounding proof and strings) no slower than "
                     "QuTiP's float64 solver alone",
            "evaluation": "1: certified dps-30 evaluation (the balls at the precision where "
                          "every printed digit is proven) no slower than QuTiP's float64 "
                          "solver alone",
            "strings": "1: certified dps-30 rounding proof and strings no slower than QuTiP's "
                       "float64 solver alone",
        }
        for part, found in parts.items():
            if found and qutip:
                t = found[0]["time_s"]
                details = [f"{found[0]['tool']} {t * 1e3:.3g} ms vs {q['tool']} "
                           f"{q['solve_s'] * 1e3:.3g} ms solver only ({t / q['solve_s']:.2f}x), "
                           f"{q['time_s'] * 1e3:.3g} ms with its quantities" for q in qutip]
                goal = {"goal": labels[part], "met": all(t <= q["solve_s"] for q in qutip),
                        "detail": "; ".join(details)}
                fastest = min(q["solve_s"] for q in qutip)
                # the least each part can take: the strings, Arb's decimal enclosures (the
                # floor row); the whole, those and the evaluation of the balls
                least = None
                if floor and part == "strings":
                    least = floor[0]["time_s"]
                elif floor and part == "whole" and parts["evaluation"]:
                    least = floor[0]["time_s"] + parts["evaluation"][0]["time_s"]
                if not goal["met"] and least is not None and least > fastest:
                    what = ("Arb's decimal enclosures of the printed balls alone (one "
                            "mid_rad_10exp per distinct value, no Python around it)"
                            if part == "strings" else
                            "the evaluation of the balls and Arb's decimal enclosures of the "
                            "printed balls alone (one mid_rad_10exp per distinct value, no "
                            "Python around it)")
                    goal["explained"] = (
                        f"{what} take {least * 1e3:.3g} ms in this process, "
                        f"{least / fastest:.2f}x QuTiP's fastest solver run "
                        f"({fastest * 1e3:.3g} ms)")
                out.append(goal)
            elif part == "whole":
                out.append({"goal": labels[part], "met": None,
                            "detail": "QuTiP or certified row missing"})
    p4 = [p for p in by if p.startswith("4 near-pure")]
    if p4:
        mp30 = [r for p in p4 for r in find(p, "symthermo dps")]
        if mp30:
            d = min(r["digits"] for r in mp30)
            out.append({"goal": "4: every symthermo dps-30 value >= 25 correct digits",
                        "met": d >= 25,
                        "detail": f"min {d:.1f} digits; per quantity "
                                  + ", ".join(f"{r['keys'][0]} {r['digits']:.1f}" for r in mp30)})
    return out


# -- printing ---------------------------------------------------------------------------

def _ratio(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def table(payload):
    head = ("problem", "tool", "time ratio", "solver-only", "digits", "worst value (key, where: value vs reference)")
    lines = []
    for r in payload["rows"]:
        if r["status"] == "ok" or r["status"] == "bound":
            w = r.get("worst") or {}
            worst = (f"{w.get('key')} @ {w.get('at')}: {w.get('value')} vs {w.get('reference')}"
                     if w else "")
            digits = "-" if r["digits"] is None else f"{r['digits']:.1f}"
            lines.append((r["problem"], r["tool"], _ratio(r.get("ratio")),
                          _ratio(r.get("solve_ratio")), digits, worst))
        else:
            lines.append((r["problem"], r["tool"], "-", "-", "-", f"{r['status'].upper()}: {r['note']}"))
    widths = [max(len(str(x[i])) for x in lines + [head]) for i in range(len(head) - 1)]
    out = []
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths)) + "  {}"
    out.append(fmt.format(*head))
    out.append(fmt.format(*["-" * w for w in widths], "-" * 20))
    last = None
    for line in lines:
        if last is not None and line[0] != last:
            out.append("")
        last = line[0]
        out.append(fmt.format(*line))
    return "\n".join(out)


def report(payload):
    print(f"symthermo benchmarks ({'quick' if payload['quick'] else 'full'} run, "
          f"{payload['wall_time_s']:.0f} s); tools: "
          + ", ".join(f"{k} {v}" for k, v in payload["tools"].items()
                      if k in ("symthermo", "qutip", "qthermo")))
    print("time ratio = tool time / symthermo float64 time on the same problem; "
          "digits = -log10(max error) against the reference (see JSON 'digits_definition')\n")
    print(table(payload))
    print()
    for g in payload["goals"]:
        status = {True: "MET", False: "NOT MET", None: "NOT JUDGED"}[g["met"]]
        print(f"goal {status}: {g['goal']}\n    {g['detail']}")
        if g.get("explained"):
            print(f"    explained: {g['explained']}")
    notes = [(r["problem"], r["tool"], r["note"]) for r in payload["rows"]
             if r["note"] and r["status"] in ("ok", "bound")]
    if notes:
        print("\nnotes:")
        for p, t, n in notes:
            print(f"  [{p} | {t}] {n}")
    refs = {}
    for r in payload["rows"]:
        ref = r.get("reference")
        if ref and r["problem"] not in refs:
            refs[r["problem"]] = ref
    if refs:
        print("\nreferences:")
        for p, ref in refs.items():
            extra = f"; {ref['crosscheck']}" if ref.get("crosscheck") else ""
            print(f"  [{p}] {ref['method']}; digits capped at {ref['cap']}{extra}")


def main(argv=None):
    args = parse_args(argv)
    payload, failed = run(args)
    report(payload)
    path = args.json
    if path is None:
        path = HERE / ("results-quick.json" if args.quick else "results.json")
    if path != "-":
        pathlib.Path(path).write_text(json.dumps(payload, indent=1, default=_json_default) + "\n",
                                      encoding="utf-8")
        print(f"\nJSON written to {path}")
    return 1 if failed else 0


def _json_default(x):
    try:
        import mpmath

        if isinstance(x, (mpmath.mpf, mpmath.mpc)):
            return mpmath.nstr(x, 20)
    except ImportError:
        pass
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return str(x)


if __name__ == "__main__":
    sys.exit(main())
