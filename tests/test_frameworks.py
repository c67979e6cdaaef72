"""The standard (Spohn/Alicki) and MCA frameworks (SL26 Eqs. 14-26), on random two-party states."""

import mpmath
import numpy as np
import pytest

from symthermo.frameworks import effective_hamiltonians, mca_rates, standard_rates, state_derivative
from symthermo.numbers import MPMATH
from symthermo.precision import working_precision
from symthermo.states import partial_trace


def random_state(rng, d, rank=None):
    rank = rank or d
    X = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = X @ X.conj().T
    return rho / np.trace(rho).real


def random_hermitian(rng, d, scale=1.0):
    X = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return scale * (X + X.conj().T) / 2


@pytest.fixture(params=[(2, 2), (2, 3), (3, 3)], ids=lambda d: f"{d[0]}x{d[1]}")
def system(request):
    rng = np.random.default_rng(sum(request.param))
    da, db = request.param
    HA = np.diag(np.sort(rng.uniform(0, 2, da)))
    HB = np.diag(np.sort(rng.uniform(0, 2, db)))
    V = random_hermitian(rng, da * db, 0.3)
    return rng, HA, HB, V, (da, db)


def test_mca_work_plus_flux_is_the_energy_rate(system):
    """SL26 Eq. 22: dU_j/dt = W_j^MCA + Q_j^MCA exactly, for correlated states too."""
    rng, HA, HB, V, (da, db) = system
    rho = random_state(rng, da * db)
    rates = mca_rates(rho, HA, HB, V)
    H = np.kron(HA, np.eye(db)) + np.kron(np.eye(da), HB) + V
    drho = state_derivative(rho, H)
    dUA = np.trace(partial_trace(drho, [da, db], [0]) @ HA).real
    dUB = np.trace(partial_trace(drho, [da, db], [1]) @ HB).real
    assert rates["W_A"] + rates["Q_A"] == pytest.approx(dUA, abs=1e-12)
    assert rates["W_B"] + rates["Q_B"] == pytest.approx(dUB, abs=1e-12)


def test_product_states_carry_no_correlation_flux_and_no_standard_heat(system):
    """SL26 after Eqs. 19 and 24: with chi = 0, Q^MCA = 0 and dQ^st/dt = 0; Eq. 25: W^MCA = dU."""
    rng, HA, HB, V, (da, db) = system
    ra, rb = random_state(rng, da), random_state(rng, db)
    rho = np.kron(ra, rb)
    rates = mca_rates(rho, HA, HB, V)
    st = standard_rates(rho, HA, HB, V)
    assert abs(rates["Q_A"]) < 1e-13 and abs(rates["Q_B"]) < 1e-13
    assert abs(st["Q_st_rate"]) < 1e-13
    H = np.kron(HA, np.eye(db)) + np.kron(np.eye(da), HB) + V
    dUA = np.trace(partial_trace(state_derivative(rho, H), [da, db], [0]) @ HA).real
    assert rates["W_A"] == pytest.approx(dUA, abs=1e-13)


def test_standard_internal_energy_is_local_plus_interaction_for_product_states(system):
    """SL26 Eq. 20: U^st = U_A + E_int when rho = rho_A x rho_B."""
    rng, HA, HB, V, (da, db) = system
    ra, rb = random_state(rng, da), random_state(rng, db)
    st = standard_rates(np.kron(ra, rb), HA, HB, V)
    e_int = np.trace(np.kron(ra, rb) @ V).real
    assert st["U_st"] == pytest.approx(np.trace(ra @ HA).real + e_int, abs=1e-13)


def test_effective_hamiltonian_is_the_partial_average_of_the_coupling():
    """H_A^eff = H_A + Tr_B[rho_B V] (SL26 Eq. 14) on V = sigma_x (x) sigma_x: <sigma_x>_B sigma_x."""
    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    HA = HB = np.diag([-0.5, 0.5])
    rb = np.array([[0.5, 0.3], [0.3, 0.5]])
    ha, hb = effective_hamiltonians(np.eye(2) / 2, rb, HA, HB, np.kron(sx, sx))
    assert np.allclose(ha, HA + 0.6 * sx)
    assert np.allclose(hb, HB)  # <sigma_x> of the maximally mixed A is 0


def test_mpmath_route_agrees_with_float64(system):
    rng, HA, HB, V, (da, db) = system
    rho = random_state(rng, da * db)
    f64 = mca_rates(rho, HA, HB, V)
    with working_precision(30):
        mp = mca_rates(MPMATH.as_matrix(rho), MPMATH.as_matrix(HA), MPMATH.as_matrix(HB),
                       MPMATH.as_matrix(V), lib=MPMATH)
        for key in f64:
            assert abs(mp[key] - f64[key]) < 1e-12


def test_lindblad_terms_enter_the_state_derivative():
    """A decaying qubit: d rho_ee/dt = -gamma rho_ee."""
    sm = np.array([[0, 1], [0, 0]], dtype=complex)  # |g><e| in the basis (g, e)
    rho = np.diag([0.3, 0.7]).astype(complex)
    d = state_derivative(rho, np.diag([0.0, 1.0]), [(0.2, sm)])
    assert d[1, 1].real == pytest.approx(-0.2 * 0.7)
    assert d[0, 0].real == pytest.approx(0.2 * 0.7)


def test_ledger_accepts_qutip_objects():
    qutip = pytest.importorskip("qutip")
    from symthermo.ledger import ledger

    H = qutip.Qobj(np.diag([0.0, 1.0]))
    V = 0.2 * (qutip.tensor(qutip.sigmap(), qutip.sigmam()) + qutip.tensor(qutip.sigmam(), qutip.sigmap()))
    rows_q = ledger({"A": (H, qutip.fock_dm(2, 1)), "B": (H, qutip.fock_dm(2, 0))}, [0.0, 1.5],
                    coupling=V)
    rows_n = ledger({"A": (H.full(), qutip.fock_dm(2, 1).full()), "B": (H.full(), qutip.fock_dm(2, 0).full())},
                    [0.0, 1.5], coupling=V.full())
    assert rows_q == rows_n
    assert rows_q[1]["I_AB"] > 0.1
    with mpmath.workdps(15):
        assert mpmath.mpf(rows_q[1]["E_A"]) == pytest.approx(rows_n[1]["E_A"])
