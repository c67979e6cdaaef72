"""Certified refrigerator table in balls against QuTiP's float64 mesolve (issue 9).

    PYTHONPATH=. python benchmarks/bench_balls.py

Prints CPU and wall seconds (best of 3) of: QuTiP ``mesolve`` on benchmarks
problem 1 (1000 times, default and tight tolerances); ``reference_payload`` of the
refrigerator at 1000 times, dps 30, in balls (every digit proven) and in mpmath
(two agreeing precisions); the balls with the proof of their digits (Ziv's loop, no
payload) and the ball evaluation alone (all times at once, symthermo.ball_columns).
"""

import sys
import time
from pathlib import Path


def best(f, n=3):
    out = []
    for _ in range(n):
        c, w = time.process_time(), time.perf_counter()
        f()
        out.append((time.process_time() - c, time.perf_counter() - w))
    return min(out)


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from symthermo.certify import certified
    from symthermo.models import get_model
    from symthermo.tables import reference_payload

    model = get_model("refrigerator")
    p = model.params({})
    try:
        import qutip as qt
        from problems.p1_refrigerator import TIGHT, qutip_problem, times

        ts = times(False, p)
        _, _, _, H, rho0 = qutip_problem(qt, p)
        for label, options in (("default", {}), ("tight", TIGHT)):
            cpu, wall = best(lambda: qt.mesolve(H, rho0, ts, options=dict(options,
                                                                          store_states=True)))
            print(f"QuTiP mesolve ({label}), 1000 times: cpu {cpu:.3f} s, wall {wall:.3f} s")
    except ImportError:
        print("QuTiP not installed")
    reference_payload(model, [], "0,1", dps=30)  # closed forms derived once
    for system in ("balls", "mpmath"):
        cpu, wall = best(lambda: reference_payload(model, [], "0:10:1000", dps=30,
                                                   number_system=system),
                         3 if system == "balls" else 1)
        print(f"reference_payload {system}, dps 30, 1000 times: cpu {cpu:.3f} s, wall {wall:.3f} s")

    # the times and parameters as `symthermo reference ... --times 0:10:1000` reads them
    from fractions import Fraction

    from symthermo.ball_columns import evaluate_columns
    from symthermo.balls import BALLS, ball_precision
    from symthermo.compiled import plain_parameters

    plain = plain_parameters(model, [])
    exact = [Fraction(10 * k, 999) for k in range(1000)]

    def checked():  # the balls, all times at once, and the proof of every printed digit
        return certified(lambda lib: evaluate_columns(model, plain,
                                                      [lib.number(t) for t in exact]), 30)

    bits = checked().bits
    cpu, wall = best(checked)
    print(f"certified balls with the rounding proof and strings: cpu {cpu:.3f} s, "
          f"wall {wall:.3f} s ({bits} bits)")

    def evaluation():  # the balls only, at the precision where every digit was proven
        with ball_precision(bits):
            return evaluate_columns(model, plain, [BALLS.number(t) for t in exact])

    cpu, wall = best(evaluation)
    print(f"certified ball evaluation only: cpu {cpu:.3f} s, wall {wall:.3f} s ({bits} bits)")


if __name__ == "__main__":
    main()
