"""certify.format_column (Arb's decimal enclosure, integer arithmetic) against
certify.format_ball (the exact check in balls): the same text for every ball, and an
``err`` that is the same or tighter and still bounds |printed - ball|."""

import random
from decimal import Decimal

import numpy as np
import pytest
from flint import arb

from symthermo.balls import ball_precision
from symthermo.certify import format_ball, format_column


def _balls(seed, bits):
    rng = random.Random(seed)
    out = []
    for _ in range(400):
        kind = rng.random()
        scale = arb(10) ** rng.randint(-40, 40)
        x = (arb(rng.randint(1, 10**12)) / rng.randint(1, 10**9)).log() * scale
        if kind < 0.2:  # a tight ball: 1 ulp
            pass
        elif kind < 0.4:  # wider: some digits only
            x = x + arb(0, float(2.0 ** rng.randint(-bits, 0))) * scale
        elif kind < 0.5:  # next to a power of ten, from below and above
            x = arb(10) ** rng.randint(-5, 5) * (1 + arb(rng.choice([-1, 1])) *
                                                 arb(2) ** -rng.randint(bits - 40, bits + 10))
        elif kind < 0.6:  # on a decimal tie of the printed digits, exactly or nearly
            x = (arb(2 * rng.randint(10**19, 10**20) + 1) / 2) * arb(10) ** -20
            x = x + arb(2) ** -rng.randint(bits - 10, bits + 30)
        elif kind < 0.7:  # exact values
            x = arb(rng.randint(-10**6, 10**6)) / 2 ** rng.randint(0, 30)
        elif kind < 0.8:  # about 0, infinite, exactly 0
            x = rng.choice([arb(0), arb(0, 1e-30), arb.pos_inf(), -arb.pos_inf(),
                            arb(0).union(arb.pos_inf())])
        if rng.random() < 0.5:
            x = -x
        out.append(x)
    return out


@pytest.mark.parametrize("digits,bits", [(15, 74), (30, 124), (30, 248), (60, 223)])
def test_format_column_is_format_ball(digits, bits):
    with ball_precision(bits):
        values = _balls(digits * 1000 + bits, bits)
        column = np.empty(len(values), dtype=object)
        column[:] = values
        fast = format_column(column, digits)
        for x, got in zip(values, fast):
            want = format_ball(x, digits)
            assert got[0] == want[0], (x, got, want)
            if got[1] != want[1]:
                assert float(got[1]) < float(want[1]), (x, got, want)
            if " +/- " not in got[0] and got[0] not in ("0", "inf", "-inf"):
                # the err still bounds |printed - every point of the ball|
                printed = Decimal(got[0])
                with ball_precision(bits + 200):  # lower() and upper() exactly
                    lo, hi = (Decimal(v.str(digits + 40, radius=False))
                              for v in (x.lower(), x.upper()))
                slack = Decimal(1).scaleb(printed.adjusted() - digits - 38)
                assert max(abs(printed - lo), abs(hi - printed)) <= Decimal(got[1]) + slack


def test_a_ball_met_twice_is_read_once():
    with ball_precision(124):
        x = arb(1) / 3
        column = np.empty(3, dtype=object)
        column[:] = [x, x, arb(2) / 3]
        out = format_column(column, 30)
        assert out[0] is out[1] and out[0] != out[2]
