"""A worker process that dies mid-sweep: the finished tasks stay in the file, the
sweep says what was not finished (exit 1 on the command line), and running it
again completes the same file as a sweep that never broke."""

import os

import pytest
import sympy

from symthermo.models.exchange import Exchange
from symthermo.sweep import SweepIncomplete, sweep

GRID = {"g": "0.01:0.02:11"}
TIMES = "0,50,100"


class DiesAtOneCoupling(Exchange):
    """The exchange model, except that the process evaluating g = 0.015 exits at once
    (as a worker killed by the kernel or a lost node would)."""

    def evaluate(self, p, times, **kwargs):
        if p["g"] == sympy.Rational(3, 200):
            os._exit(1)
        return super().evaluate(p, times, **kwargs)


def test_a_dead_worker_loses_no_finished_task(tmp_path):
    clean = sweep("exchange", GRID, TIMES, float64=True, workers=1, keys=["W_A", "Q_B"])
    out = tmp_path / "out.csv"
    with pytest.raises(SweepIncomplete, match="not finished"):
        sweep(DiesAtOneCoupling(), GRID, TIMES, float64=True, workers=2, chunksize=1,
              keys=["W_A", "Q_B"], out=out)
    kept = out.read_text().splitlines()
    assert len(kept) - 1 < 11 * 3 and (len(kept) - 1) % 3 == 0  # whole tasks only
    again = sweep("exchange", GRID, TIMES, float64=True, workers=1, keys=["W_A", "Q_B"],
                  out=out)
    assert again.skipped == (len(kept) - 1) // 3 and again.skipped + again.done == 11
    assert again.rows == clean.rows
