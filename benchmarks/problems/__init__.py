"""The benchmark problems of ``benchmarks/run.py``, one module each.

Every module exposes ``NAME`` and ``run(ctx) -> list of result dicts``
(see :mod:`problems.common`).
"""

PROBLEMS = ("p1_refrigerator", "p2_jaynes_cummings", "p3_open", "p4_near_pure", "p5_ledger")
