"""Foundation benchmarks (issue 2): the beta solver and the two-qutrit ledger.

Run:  python benchmarks/bench_core.py

- the entropy-matched beta at dps 50 on a 10-level system (levels k^2/7,
  populations (10 - k)/55), repeated;
- the ledger of examples/two_qutrits.json at 100 times, float64 and dps 30
  (the dps-30 figure includes certification: every row is computed twice, at
  increasing precision, until all 30 digits agree).
"""

import json
import statistics
import time
from pathlib import Path

import numpy as np
import sympy

from symthermo.ledger import ledger, load_system
from symthermo.thermal import entropy_matched_beta

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat):
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main():
    H = [[str(sympy.Rational(k * k, 7)) if i == k else 0 for i in range(10)] for k in range(10)]
    rho = [[str(sympy.Rational(10 - k, 55)) if i == k else 0 for i in range(10)] for k in range(10)]
    beta_time = timed(lambda: entropy_matched_beta(rho, H, dps=50), 5)

    system = load_system(str(ROOT / "examples" / "two_qutrits.json"))
    times = np.linspace(0, 10, 100)
    subs64 = {n: tuple(np.array([[complex(sympy.sympify(x.replace("j", "*I"))) for x in row]
                                 for row in m]) for m in pair)
              for n, pair in system.subsystems.items()}
    V64 = np.array([[complex(sympy.sympify(x)) for x in row] for row in system.coupling])
    f64 = timed(lambda: ledger(subs64, times, coupling=V64), 3)
    time_strings = [str(sympy.Rational(k, 10)) for k in range(100)]
    dps30 = timed(lambda: ledger(system.subsystems, time_strings, coupling=system.coupling, dps=30), 1)
    result = {
        "beta solver, 10 levels, dps 50 (s per solve)": round(beta_time, 4),
        "two-qutrit ledger, 100 times, float64 (s)": round(f64, 3),
        "two-qutrit ledger, 100 times, dps 30 certified (s)": round(dps30, 2),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
