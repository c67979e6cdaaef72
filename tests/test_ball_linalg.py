"""Rigorous spectra of block-structured Hermitian matrices (symthermo.ball_linalg)."""

import numpy as np
import pytest
from flint import acb, acb_mat, arb

from symthermo.ball_linalg import _blocks, hermitian_eigvalsh
from symthermo.balls import ball_precision


def _hermitian_with_blocks(seed, sizes):
    """A random Hermitian matrix with rational entries, block diagonal after a random
    permutation; returns (acb_mat, numpy array)."""
    rng = np.random.default_rng(seed)
    n = sum(sizes)
    dense = np.zeros((n, n), dtype=complex)
    start = 0
    for k in sizes:
        re = rng.integers(-9, 10, (k, k)) / 8
        im = rng.integers(-9, 10, (k, k)) / 8
        block = re + 1j * im
        dense[start:start + k, start:start + k] = block + block.conj().T
        start += k
    perm = rng.permutation(n)
    dense = dense[np.ix_(perm, perm)]
    exact = acb_mat([[acb(arb(dense[i, j].real), arb(dense[i, j].imag)) for j in range(n)]
                     for i in range(n)])
    return exact, dense


@pytest.mark.parametrize("seed, sizes", [(1, [3, 1, 4]), (2, [1, 1, 5, 2]), (3, [6])])
def test_blocks_enclose_the_spectrum(seed, sizes, monkeypatch):
    from symthermo import ball_linalg

    A, dense = _hermitian_with_blocks(seed, sizes)
    assert sorted(len(b) for b in _blocks(A)) == sorted(sizes)
    with ball_precision(120):
        lam = hermitian_eigvalsh(A)
    want = np.linalg.eigvalsh(dense)
    assert len(lam) == len(want)
    for ball, w in zip(lam, want):
        assert abs(float(ball.mid()) - w) < 1e-12
        assert ball.rad() < 1e-25
    # the general route (no split) agrees ball by ball
    monkeypatch.setattr(ball_linalg, "_blocks", lambda M: [list(range(M.nrows()))])
    with ball_precision(120):
        whole = hermitian_eigvalsh(A)
    assert all(a.overlaps(b) for a, b in zip(lam, whole))


def test_degenerate_blocks_keep_multiplicities():
    # two identical 2x2 blocks and a repeated diagonal value: multiplicities kept
    M = [[2, 1, 0, 0, 0], [1, 2, 0, 0, 0], [0, 0, 2, 1, 0], [0, 0, 1, 2, 0], [0, 0, 0, 0, 1]]
    with ball_precision(100):
        lam = hermitian_eigvalsh(acb_mat(M))
    for ball, w in zip(lam, [1, 1, 1, 3, 3]):
        assert ball.contains(w)
