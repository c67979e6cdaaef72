#!/usr/bin/env python
"""Cold start of the command line, against ``python -c "import numpy"``.

    python benchmarks/bench_startup.py [--runs 7] [--json PATH]

Runs, alternately and each in a fresh process, ``python -c "import numpy"``,
``symthermo models`` and ``symthermo reference refrigerator --times
0:10:1000 --float64 --format csv``, and reports the median wall time of
each and the ratios of the medians to numpy's (goals: models <= 4x,
reference <= 6x).  The compiled-forms cache is warmed first, in a private
cache directory, and each command's output is checked once.  One BLAS thread
for every process.  ``--importtime`` prints what the reference command
imports (``python -X importtime``), largest first.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

COMMANDS = {
    "import numpy": [sys.executable, "-c", "import numpy"],
    "symthermo models": [sys.executable, "-m", "symthermo", "models"],
    "symthermo reference (float64, 1000 times, csv)": [
        sys.executable, "-m", "symthermo", "reference", "refrigerator", "--times", "0:10:1000",
        "--float64", "--format", "csv"],
}
GOALS = {"symthermo models": 4.0, "symthermo reference (float64, 1000 times, csv)": 6.0}


def environment(cache):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["SYMTHERMO_CACHE"] = cache
    return env


def timed(cmd, env):
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd[1:])} failed: {done.stderr.decode()[-400:]}")
    return elapsed, done.stdout


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="alternating rounds (default 7)")
    ap.add_argument("--json", default=None, help="write the figures here as JSON")
    ap.add_argument("--importtime", action="store_true",
                    help="also list the slowest imports of the reference command")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="symthermo-cache-") as cache:
        env = environment(cache)
        # warm the compiled-forms cache and check the outputs once
        _, out = timed(COMMANDS["symthermo reference (float64, 1000 times, csv)"], env)
        lines = out.decode().splitlines()
        if len(lines) != 1001 or not lines[0].startswith("t,"):
            raise SystemExit(f"error: unexpected reference output ({len(lines)} lines)")
        _, out = timed(COMMANDS["symthermo models"], env)
        if b"refrigerator" not in out:
            raise SystemExit("error: unexpected models output")
        times = {name: [] for name in COMMANDS}
        for _ in range(args.runs):
            for name, cmd in COMMANDS.items():
                times[name].append(timed(cmd, env)[0])
        if args.importtime:
            cmd = [sys.executable, "-X", "importtime"] + COMMANDS[
                "symthermo reference (float64, 1000 times, csv)"][1:]
            err = subprocess.run(cmd, env=env, capture_output=True, check=False).stderr.decode()
            rows = []
            for line in err.splitlines():
                parts = line[len("import time:"):].split("|")
                if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
                    rows.append((int(parts[1]), parts[2].strip()))
            print("slowest imports (cumulative microseconds):")
            for cumulative, name in sorted(rows, reverse=True)[:15]:
                print(f"  {cumulative:>9}  {name}")
    base = statistics.median(times["import numpy"])
    report = {"runs": args.runs, "python": sys.version.split()[0], "median_seconds": {},
              "ratio_to_numpy": {}, "goals": {}}
    print(f"{'command':<50} {'median s':>9} {'ratio':>7}  goal")
    for name, values in times.items():
        med = statistics.median(values)
        ratio = med / base
        report["median_seconds"][name] = med
        report["ratio_to_numpy"][name] = ratio
        goal = GOALS.get(name)
        if goal is not None:
            report["goals"][name] = {"at_most": goal, "ratio": ratio, "met": ratio <= goal}
        note = "" if goal is None else f"<= {goal:g}x  {'met' if ratio <= goal else 'NOT met'}"
        print(f"{name:<50} {med:9.3f} {ratio:7.2f}  {note}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
