"""Random finite systems with fixed seeds (:func:`random_system`), the points of most checks."""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath

from ..numbers import MPMATH
from .agreement import fmt
from .operators import Op, Space

__all__ = ["RandomSystem", "random_system"]


def _random_hermitian(rng, n, scale=1):
    M = mpmath.matrix(n, n)
    for i in range(n):
        M[i, i] = mpmath.mpf(rng.uniform(-1, 1)) * scale
        for j in range(i + 1, n):
            z = mpmath.mpc(rng.uniform(-1, 1), rng.uniform(-1, 1)) * scale
            M[i, j] = z
            M[j, i] = mpmath.conj(z)
    return M


def _random_density(rng, n, *, mix="0.05"):
    A = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            A[i, j] = mpmath.mpc(rng.gauss(0, 1), rng.gauss(0, 1))
    R = A * A.transpose_conj()
    R = R / sum(R[i, i] for i in range(n))
    m = mpmath.mpf(mix)
    return (1 - m) * R + m * mpmath.eye(n) / n


def _random_unitary(rng, n):
    H = _random_hermitian(rng, n)
    E, Q = mpmath.eighe(H)
    return Q * mpmath.diag([mpmath.expj(3 * e) for e in E]) * Q.transpose_conj()


def _thermal_matrix(H, beta):
    from ..thermal import thermal_state

    return thermal_state(H, beta)


@dataclass
class RandomSystem:
    """A finite system with random parts, built from a seed (see :func:`random_system`)."""

    label: str
    space: Space
    H: dict  # name -> mpmath matrix
    V: object  # joint coupling (mpmath matrix)
    rho0: object  # joint initial state
    local0: dict  # name -> reduced initial state
    params: dict  # for a witness
    bath_beta: object = None  # B's initial inverse temperature when B starts thermal
    recipe: tuple = None  # (seed, dims, initial, scale): rebuilds it at another precision

    @property
    def H_total(self):
        total = None
        for n in self.space.names:
            op = Op(self.H[n], (n,), self.space).on(self.space.names)
            total = op if total is None else total + op
        return (total + Op(self.V, self.space.names, self.space)).m


def random_system(seed, dims=(2, 3), *, initial="product", scale="0.6"):
    """A random finite system with a fixed seed.

    ``initial``: ``product`` (random full-rank states), ``thermal-B`` (B
    thermal at a random beta), ``equal-beta`` (B a rotation of A's state, same
    H: equal entropy-matched temperatures), ``rotated-thermal-B`` (B = U w U^dag),
    ``correlated`` (a random full-rank joint state), ``product-preserving``
    (B pure in an eigenstate of H_B and of the coupling V = X_A (x) Y_B, so the
    state stays a product and A is driven unitarily).

    The matrices are drawn at the current precision from Python's
    ``random.Random(seed)``: the same seed gives the same system.
    """
    rng = random.Random(seed)
    names = tuple("ABCD"[:len(dims)])
    space = Space(names, tuple(dims))
    H = {n: _random_hermitian(rng, d) for n, d in zip(names, dims)}
    sc = mpmath.mpf(scale)
    locals_ = {}
    bath_beta = None
    params = {"system": f"random, seed {seed}", "dims": "x".join(map(str, dims)),
              "initial state": initial, "coupling scale": str(scale)}
    if initial == "equal-beta":
        if dims[0] != dims[1]:
            raise ValueError("equal-beta needs A and B of the same dimension")
        H["B"] = H["A"].copy()
    if initial == "product-preserving":
        X = _random_hermitian(rng, dims[0])
        E, Q = mpmath.eighe(H["B"])
        y = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(dims[1])]
        Y = Q * mpmath.diag(y) * Q.transpose_conj()
        V = (Op(X, ("A",), space) * Op(Y, ("B",), space)).m * sc
        k = rng.randrange(dims[1])
        vec = Q[:, k]
        locals_["A"] = _random_density(rng, dims[0])
        locals_["B"] = vec * vec.transpose_conj()
    else:
        V = _random_hermitian(rng, space.dim(names), sc)
        for n, d in zip(names, dims):
            locals_[n] = _random_density(rng, d)
        if initial == "thermal-B":
            bath_beta = mpmath.mpf(rng.uniform(0.3, 2.0))
            locals_["B"] = _thermal_matrix(H["B"], bath_beta)
            params["beta_B"] = fmt(bath_beta, 12)
        elif initial == "equal-beta":
            U = _random_unitary(rng, dims[0])
            locals_["B"] = U * locals_["A"] * U.transpose_conj()
        elif initial == "gradient":
            # A hot, the others cold: A gives heat away
            for k, n in enumerate(names):
                b = mpmath.mpf("0.15") if k == 0 else mpmath.mpf(rng.uniform(2.0, 3.0))
                locals_[n] = _thermal_matrix(H[n], b)
        elif initial == "rotated-thermal-B":
            b = mpmath.mpf(rng.uniform(0.3, 2.0))
            U = _random_unitary(rng, dims[1])
            locals_["B"] = U * _thermal_matrix(H["B"], b) * U.transpose_conj()
    if initial == "correlated":
        rho0 = _random_density(rng, space.dim(names), mix="0.1")
        for k, n in enumerate(names):
            locals_[n] = MPMATH.partial_trace(rho0, list(dims), [k])
    else:
        rho0 = None
        for n in names:
            op = Op(locals_[n], (n,), space)
            rho0 = op if rho0 is None else rho0 * op
        rho0 = rho0.m
    return RandomSystem(f"seed {seed}", space, H, V, rho0, locals_, params, bath_beta,
                        (seed, tuple(dims), initial, scale))
