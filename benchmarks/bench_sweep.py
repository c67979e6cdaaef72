"""Throughput of a float64 sweep, one worker against two (a script, not a test).

The sweep is the refrigerator map of ``symthermo.sweep_maps`` at a chosen size:
SIZE x SIZE parameter sets (beta_B in [0.5, 1.95], omega_B in [1, 2.45]), 100
times each, reduced to the largest cooling, its time, the COP there, COP/Carnot
and the first time A is cooled.  Each worker count runs in a fresh output
directory (no resuming); the two files are compared byte for byte.  The
machine's load average (``os.getloadavg``) is printed before and after each run:
a speed-up below 2 on a busy machine says more about the neighbours than about
the sweep.

Run: ``PYTHONPATH=. python benchmarks/bench_sweep.py [--size 50] [--times 100]``
(target: 50 x 50 on two workers well under a minute, speed-up >= 1.7 on a quiet
machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _load():
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min), {five:.2f} (5 min)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--times", type=int, default=100)
    parser.add_argument("--workers", default="1,2", help="worker counts to time")
    args = parser.parse_args(argv)

    from symthermo.sweep import sweep
    from symthermo.sweep_maps import REFRIGERATOR_MAP

    grid = {"beta_B": f"0.5:1.95:{args.size}", "omega_B": f"1:2.45:{args.size}"}
    times = f"0:{(args.times - 1) / 10}:{args.times}"
    counts = [int(w) for w in args.workers.split(",")]
    print(f"refrigerator map {args.size} x {args.size} = {args.size ** 2} parameter sets, "
          f"{args.times} times each, float64; {os.cpu_count()} CPUs; {_load()}")
    seconds, texts = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in counts:
            out = Path(tmp) / f"map{workers}.csv"
            before = _load()
            start = time.perf_counter()
            result = sweep("refrigerator", grid, times, float64=True,
                           reduce=REFRIGERATOR_MAP["reduce"], workers=workers, out=out)
            seconds[workers] = time.perf_counter() - start
            texts[workers] = out.read_text()
            rate = result.done / seconds[workers]
            print(f"  {workers} worker(s): {seconds[workers]:6.1f} s ({rate:.0f} sets/s, "
                  f"{result.failed} failed); before: {before}; after: {_load()}")
    if len(counts) > 1:
        base = counts[0]
        for workers in counts[1:]:
            print(f"  speed-up {base} -> {workers} workers: "
                  f"{seconds[base] / seconds[workers]:.2f}x")
        same = all(texts[w] == texts[base] for w in counts)
        print(f"  output files identical: {same}")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
