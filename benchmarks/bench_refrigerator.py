"""Timings of the refrigerator model (a script, not a test).

Measures, in a fresh process:

1. ``derive`` with every parameter symbolic (the SymPy derivation from the
   Hamiltonian, and the keys ``symthermo derive`` builds from it); target < 10 s;
2. the closed-form rows at 1000 times in float64; target < 0.5 s (printed cold,
   i.e. including the derivation at the default parameters, and warm);
3. the same 1000 rows at dps 30, certified the way ``symthermo reference`` does
   it (``symthermo.precision.stable``: two or more evaluations at increasing
   precision); target < 10 s.

Run: ``PYTHONPATH=. python benchmarks/bench_refrigerator.py``
"""

from __future__ import annotations

import time

import mpmath


def main():
    from symthermo.derive import derive_output
    from symthermo.models import get_model
    from symthermo.numbers import FLOAT64, MPMATH
    from symthermo.precision import stable

    names = ("omega_A", "omega_B", "g", "beta_A", "beta_B")

    start = time.perf_counter()
    text = derive_output(get_model("refrigerator"), [f"{n}=symbol" for n in names], "latex")
    derive_s = time.perf_counter() - start

    model = get_model("refrigerator")
    p = model.params()
    times = [10 * k / 999 for k in range(1000)]
    start = time.perf_counter()
    model.evaluate(p, times, lib=FLOAT64)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    model.evaluate(p, times, lib=FLOAT64)
    warm_s = time.perf_counter() - start

    def compute():
        ts = [mpmath.mpf(10) * k / 999 for k in range(1000)]
        return model.evaluate(p, ts, lib=MPMATH)

    start = time.perf_counter()
    stable(compute, 30)
    mp_s = time.perf_counter() - start

    print(f"derive, all parameters symbolic ({len(text)} characters of LaTeX): "
          f"{derive_s:.2f} s (target < 10 s)")
    print(f"1000 times, float64: {cold_s:.3f} s cold (with the derivation), "
          f"{warm_s:.3f} s warm (target < 0.5 s)")
    print(f"1000 times, dps 30 certified by precision.stable: {mp_s:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
