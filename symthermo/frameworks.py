"""The frameworks the papers compare with (SL26 Sec. III A).

- effective Hamiltonians H_A^eff = H_A + Tr_B[rho_B V], H_B^eff likewise
  (SL26 Eqs. 14-15, EL23 S28);
- the standard (Spohn/Alicki) work and heat rates of A driven by H_A^eff:
  dW^st/dt = Tr[rho_A dH_A^eff/dt], dQ^st/dt = Tr[(d rho_A/dt) H_A^eff]
  (SL26 Eqs. 17-19);
- the MCA work rate and correlation-energy flux (SL26 Eqs. 22-24):
  dW_j/dt = -i Tr{[H_j, Hcal_j] rho_j}, dQ_j/dt = -i Tr{H_j [V, chi]},
  Hcal_j = Tr_l[V rho_l], chi = rho - rho_A (x) rho_B.

Rates are computed exactly from the joint state: d rho/dt is the generator
applied to rho, so no finite difference enters.

>>> import numpy as np
>>> from symthermo.frameworks import mca_rates, state_derivative
>>> from symthermo.states import partial_trace
>>> HA = HB = np.diag([0.0, 1.0])
>>> V = 0.3 * np.array([[0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]])
>>> psi = np.array([0.6, 0.0, 0.0, 0.8]); rho = np.outer(psi, psi)
>>> rates = mca_rates(rho, HA, HB, V)
>>> H = np.kron(HA, np.eye(2)) + np.kron(np.eye(2), HB) + V
>>> dA = partial_trace(state_derivative(rho, H), [2, 2], [0])
>>> bool(np.isclose(rates["W_A"] + rates["Q_A"], np.trace(dA @ HA).real))
True
"""

from __future__ import annotations

from .numbers import number_system
from .precision import precision_held  # each function takes turns with other threads on mpmath

__all__ = ["state_derivative", "effective_hamiltonians", "standard_rates", "mca_rates"]


def _lib(*objects):
    return number_system(*objects)


def _commutator(lib, A, B):
    return lib.matmul(A, B) - lib.matmul(B, A)


@precision_held()
def state_derivative(rho, H, lindblad=(), *, lib=None):
    """d rho/dt = -i[H, rho] + sum_k rate_k (L rho L^dag - {L^dag L, rho}/2)."""
    lib = lib or _lib(rho, H)
    rho, H = lib.as_matrix(rho), lib.as_matrix(H)
    out = -1j * _commutator(lib, H, rho) if lib.name == "float64" else \
        _times_minus_i(lib, _commutator(lib, H, rho))
    for rate, L in lindblad:
        L = lib.as_matrix(L)
        Ld = lib.dagger(L)
        LdL = lib.matmul(Ld, L)
        term = lib.matmul(lib.matmul(L, rho), Ld) - (lib.matmul(LdL, rho) + lib.matmul(rho, LdL)) / 2
        out = out + rate * term
    return out


def _times_minus_i(lib, M):
    import mpmath

    if lib.name == "mpmath":
        return M * mpmath.mpc(0, -1)
    import sympy

    return -sympy.I * M


def _embed(lib, op, position, dims):
    factors = [lib.eye(d) for d in dims]
    factors[position] = op
    return lib.kron_all(factors)


@precision_held()
def effective_hamiltonians(rho_A, rho_B, H_A, H_B, V, *, lib=None):
    """(H_A^eff, H_B^eff) = (H_A + Tr_B[(1 x rho_B) V], H_B + Tr_A[(rho_A x 1) V])."""
    lib = lib or _lib(rho_A, V)
    rho_A, rho_B = lib.as_matrix(rho_A), lib.as_matrix(rho_B)
    H_A, H_B, V = lib.as_matrix(H_A), lib.as_matrix(H_B), lib.as_matrix(V)
    dims = [lib.size(H_A), lib.size(H_B)]
    drive_A = lib.partial_trace(lib.matmul(_embed(lib, rho_B, 1, dims), V), dims, [0])
    drive_B = lib.partial_trace(lib.matmul(_embed(lib, rho_A, 0, dims), V), dims, [1])
    return H_A + drive_A, H_B + drive_B


@precision_held()
def standard_rates(rho, H_A, H_B, V, lindblad=(), *, lib=None):
    """Standard framework for A driven by H_A^eff: dW^st/dt, dQ^st/dt and U^st (SL26 Eqs. 17-19)."""
    lib = lib or _lib(rho, V)
    rho, H_A, H_B, V = (lib.as_matrix(x) for x in (rho, H_A, H_B, V))
    dims = [lib.size(H_A), lib.size(H_B)]
    H = _embed(lib, H_A, 0, dims) + _embed(lib, H_B, 1, dims) + V
    drho = state_derivative(rho, H, lindblad, lib=lib)
    rho_A, rho_B = lib.partial_trace(rho, dims, [0]), lib.partial_trace(rho, dims, [1])
    drho_A, drho_B = lib.partial_trace(drho, dims, [0]), lib.partial_trace(drho, dims, [1])
    H_eff, _ = effective_hamiltonians(rho_A, rho_B, H_A, H_B, V, lib=lib)
    dH_eff = lib.partial_trace(lib.matmul(_embed(lib, drho_B, 1, dims), V), dims, [0])
    return {
        "W_st_rate": lib.expectation(rho_A, dH_eff),
        "Q_st_rate": lib.expectation(drho_A, H_eff),
        "U_st": lib.expectation(rho_A, H_eff),
    }


@precision_held()
def mca_rates(rho, H_A, H_B, V, *, lib=None):
    """MCA work rate and correlation-energy flux of A and B (SL26 Eqs. 22-24)."""
    lib = lib or _lib(rho, V)
    rho, H_A, H_B, V = (lib.as_matrix(x) for x in (rho, H_A, H_B, V))
    dims = [lib.size(H_A), lib.size(H_B)]
    rho_A, rho_B = lib.partial_trace(rho, dims, [0]), lib.partial_trace(rho, dims, [1])
    chi = rho - lib.kron(rho_A, rho_B)
    H_eff_A, H_eff_B = effective_hamiltonians(rho_A, rho_B, H_A, H_B, V, lib=lib)
    drive_A, drive_B = H_eff_A - H_A, H_eff_B - H_B
    out = {}
    for name, H_j, drive, rho_j, pos in (("A", H_A, drive_A, rho_A, 0), ("B", H_B, drive_B, rho_B, 1)):
        w = _times_i_trace(lib, _commutator(lib, H_j, drive), rho_j)
        q = _times_i_trace(lib, _embed(lib, H_j, pos, dims), _commutator(lib, V, chi))
        out[f"W_{name}"] = w
        out[f"Q_{name}"] = q
    return out


def _times_i_trace(lib, A, B):
    """Re(-i Tr[A B])."""
    tr = lib.trace(lib.matmul(A, B))
    if lib.name == "exact":
        import sympy

        return sympy.re(-sympy.I * tr)
    return lib.real(tr * (-1j if lib.name == "float64" else _minus_i()))


def _minus_i():
    import mpmath

    return mpmath.mpc(0, -1)
