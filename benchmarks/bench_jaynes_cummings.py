"""Timings of the jaynes-cummings model (a script, not a test).

The target case is ``symthermo reference jaynes-cummings --param state_A=ground
--param state_B=coherent`` (alpha = 30, mean photon number 900) at 100 times
0, 1, ..., 99 (g t up to ~1, Fig. 1):

1. float64: target < 0.5 s; printed cold (first call in the process, with the
   SymPy derivation of the semiclassical closed forms) and warm;
2. dps 30, certified the way ``reference`` does it
   (``symthermo.precision.stable``: two or more evaluations at increasing
   precision, each keeping ~900 manifolds); target < 15 s;
3. the same through ``symthermo.tables.reference_payload`` with the times
   given as a comma-separated list (adds the CLI's parsing of 100 time
   expressions, once per precision);
4. dps 30 certified at 100 times on [0, pi/g] (Figs. 10-11's window) and at
   100 irregular times (no rotation shortcut: mpmath cos/sin per block and time);
5. the other coherent states at dps 30 (plus, mixed), and ``derive`` with
   every numeric parameter symbolic (vacuum, plus).

Run: ``PYTHONPATH=. python benchmarks/bench_jaynes_cummings.py``
"""

from __future__ import annotations

import time

import mpmath


def main():
    from symthermo.derive import derive_output
    from symthermo.models import get_model
    from symthermo.numbers import FLOAT64, MPMATH
    from symthermo.precision import stable
    from symthermo.tables import reference_payload

    model = get_model("jaynes-cummings")
    given = ["state_A=ground", "state_B=coherent"]
    p = model.params(given)
    times = [float(k) for k in range(100)]

    start = time.perf_counter()
    model.evaluate(p, times, lib=FLOAT64)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    model.evaluate(p, times, lib=FLOAT64)
    warm_s = time.perf_counter() - start

    def certified(params):
        def compute():
            return model.evaluate(params, [mpmath.mpf(k) for k in range(100)], lib=MPMATH)

        start = time.perf_counter()
        rows = stable(compute, 30)
        return time.perf_counter() - start, rows

    mp_s, rows = certified(p)
    time_list = ",".join(str(k) for k in range(100))
    start = time.perf_counter()
    reference_payload(model, given, time_list, dps=30)
    cli_s = time.perf_counter() - start
    start = time.perf_counter()
    reference_payload(model, given, time_list, float64=True)
    cli64_s = time.perf_counter() - start

    # the paper's window [0, pi/g] (uniform), and 100 irregular times on [0, 100]: the
    # manifold sums reach equally spaced times by rotation, others by mpmath's cos/sin
    def certified_at(params, ts):
        def compute():
            return model.evaluate(params, [mpmath.mpf(t) for t in ts], lib=MPMATH)

        start = time.perf_counter()
        stable(compute, 30)
        return time.perf_counter() - start

    window_s = certified_at(p, [mpmath.pi / mpmath.mpf("0.01") * k / 99 for k in range(100)])
    irregular = [100 * ((k * 0.6180339887498949) % 1) for k in range(100)]
    irregular_s = certified_at(p, [repr(t) for t in irregular])
    others = {s: certified(model.params([f"state_A={s}", "state_B=coherent"]))[0]
              for s in ("plus", "mixed")}
    start = time.perf_counter()
    derive_output(model, ["omega_A=symbol", "omega_B=symbol", "g=symbol", "state_A=plus"], "latex")
    derive_s = time.perf_counter() - start

    print(f"ground + coherent (alpha = 30, {rows[1]['manifolds']} manifolds), 100 times:")
    print(f"  float64: {cold_s:.3f} s cold (with the SymPy derivation), {warm_s:.3f} s warm "
          f"(target < 0.5 s)")
    print(f"  dps 30 certified by precision.stable: {mp_s:.2f} s (target < 15 s)")
    print(f"  reference_payload (times as a list): dps 30 {cli_s:.2f} s, float64 {cli64_s:.2f} s")
    print(f"  dps 30 certified, 100 times on [0, pi/g]: {window_s:.2f} s; "
          f"100 irregular times: {irregular_s:.2f} s")
    for s, secs in others.items():
        print(f"{s} + coherent, 100 times, dps 30 certified: {secs:.2f} s")
    print(f"derive, vacuum plus, omega_A, omega_B, g symbolic: {derive_s:.2f} s")


if __name__ == "__main__":
    main()
