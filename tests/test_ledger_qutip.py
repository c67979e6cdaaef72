"""The ledger's Python API against QuTiP: c_ops, kets, the result object."""

import mpmath
import numpy as np
import pytest

from symthermo.ledger import ledger
from symthermo.ledger_result import LedgerResult

qutip = pytest.importorskip("qutip")

TIMES = np.linspace(0.0, 6.0, 7)


def _two_qubits():
    """Exchange-coupled qubits, A decaying and B dephasing (rates folded into c_ops)."""
    wa, wb, g = 1.0, 1.3, 0.2
    HA = wa * qutip.num(2)
    HB = wb * qutip.num(2)
    a = qutip.destroy(2)
    V = g * (qutip.tensor(a.dag(), a) + qutip.tensor(a, a.dag()))
    c_ops = [np.sqrt(0.05) * qutip.tensor(a, qutip.qeye(2)),
             np.sqrt(0.02) * qutip.tensor(qutip.qeye(2), qutip.num(2))]
    psi_a = (qutip.basis(2, 0) + 2 * qutip.basis(2, 1)).unit()   # coherent superposition
    rho_b = qutip.Qobj(np.diag([0.8, 0.2]))
    return HA, HB, V, c_ops, psi_a, rho_b


def _mesolve(HA, HB, V, c_ops, rho0):
    H = qutip.tensor(HA, qutip.qeye(2)) + qutip.tensor(qutip.qeye(2), HB) + V
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000}
    e_ops = [qutip.tensor(HA, qutip.qeye(2)), qutip.tensor(qutip.qeye(2), HB), V]
    out = qutip.mesolve(H, rho0, TIMES, c_ops, e_ops=e_ops, options=opts)
    states = qutip.mesolve(H, rho0, TIMES, c_ops, options=opts).states
    return out.expect, states


def test_c_ops_match_mesolve():
    HA, HB, V, c_ops, psi_a, rho_b = _two_qubits()
    result = ledger({"A": (HA, psi_a), "B": (HB, rho_b)}, TIMES, coupling=V, c_ops=c_ops,
                    states="qobj")
    (e_a, e_b, e_int), states = _mesolve(HA, HB, V, c_ops, qutip.tensor(qutip.ket2dm(psi_a), rho_b))
    # the solver's tolerance (atol 1e-12, rtol 1e-10 over a few hundred steps)
    np.testing.assert_allclose(result.E_A, e_a, atol=1e-8)
    np.testing.assert_allclose(result.E_B, e_b, atol=1e-8)
    np.testing.assert_allclose(result.E_int, e_int, atol=1e-8)
    for k, rho in enumerate(states):
        for i, name in enumerate("AB"):
            reduced = rho.ptrace(i)
            assert abs(result.S_A[k] if name == "A" else result.S_B[k]) >= 0
            assert result[k][f"S_{name}"] == pytest.approx(qutip.entropy_vn(reduced), abs=1e-7)
            got = result.states[name][k]
            assert isinstance(got, qutip.Qobj) and got.shape == (2, 2)
            assert (got - reduced).norm() < 1e-8
    # the energy is not conserved with decay: A loses some of it
    assert result.E_A[-1] < result.E_A[0]
    assert "sigma_A" not in result.keys()


def test_lindblad_accepts_bare_qobj_and_pairs_alike():
    HA, HB, V, c_ops, psi_a, rho_b = _two_qubits()
    subs = {"A": (HA, psi_a), "B": (HB, rho_b)}
    a = qutip.tensor(qutip.destroy(2), qutip.qeye(2))
    n_b = qutip.tensor(qutip.qeye(2), qutip.num(2))
    by_c_ops = ledger(subs, TIMES[:3], coupling=V, c_ops=c_ops)
    by_pairs = ledger(subs, TIMES[:3], coupling=V, lindblad=[(0.05, a), (0.02, n_b)])
    by_bare = ledger(subs, TIMES[:3], coupling=V, lindblad=c_ops)
    for other in (by_pairs, by_bare):
        for key in ("E_A", "E_B", "S_A", "beta_B", "W_A", "Q_B"):
            np.testing.assert_allclose(other[key], by_c_ops[key], rtol=1e-12, atol=1e-13)


def test_c_ops_at_dps_agree_with_float64():
    HA, HB, V, c_ops, _, _ = _two_qubits()
    # exact states (binary floats are not normalised to 20 digits); Qobj operators
    f64 = ledger({"A": (HA, [0.6, 0.8]), "B": (HB, np.diag([0.8, 0.2]))}, [0.0, 2.0],
                 coupling=V, c_ops=c_ops)
    mp = ledger({"A": (HA, ["3/5", "4/5"]), "B": (HB, [["4/5", 0], [0, "1/5"]])}, ["0", "2"],
                coupling=V, c_ops=c_ops, dps=20)
    assert mp.dps == 20 and f64.dps is None
    assert mp.E_A.dtype == object and isinstance(mp.E_A[1], mpmath.mpf)
    for key in ("E_A", "E_B", "S_A", "S_B", "I_AB"):
        np.testing.assert_allclose([float(x) for x in mp[key]], f64[key], rtol=1e-10, atol=1e-12)


def test_kets_are_pure_states():
    H = qutip.Qobj(np.diag([0.0, 1.0]))
    V = 0.2 * (qutip.tensor(qutip.sigmap(), qutip.sigmam()) + qutip.tensor(qutip.sigmam(), qutip.sigmap()))
    plus = (qutip.basis(2, 0) + qutip.basis(2, 1)).unit()
    as_kets = ledger({"A": (H, plus), "B": (H, qutip.basis(2, 0))}, [0.0, 1.5], coupling=V)
    as_dms = ledger({"A": (H, qutip.ket2dm(plus)), "B": (H, qutip.fock_dm(2, 0))}, [0.0, 1.5],
                    coupling=V)
    assert as_kets == as_dms
    # numpy vectors, bras and exact strings at dps: the same state
    vec = np.array([1.0, 1.0]) / np.sqrt(2)
    as_numpy = ledger({"A": (H.full(), vec), "B": (H.full(), [1, 0])}, [0.0, 1.5], coupling=V.full())
    np.testing.assert_allclose(as_numpy.E_A, as_kets.E_A, atol=1e-14)
    as_columns = ledger({"A": (H.full(), [[vec[0]], [vec[1]]]), "B": (H.full(), [[1, 0]])},
                        [0.0, 1.5], coupling=V.full())
    np.testing.assert_allclose(as_columns.E_B, as_kets.E_B, atol=1e-14)
    as_bra = ledger({"A": (H, plus.dag()), "B": (H, qutip.basis(2, 0))}, [0.0, 1.5], coupling=V)
    np.testing.assert_allclose(as_bra.S_A, as_kets.S_A, atol=1e-14)
    exact = ledger({"A": ([[0, 0], [0, 1]], [["1/2", "1/2"], ["1/2", "1/2"]]),
                    "B": ([[0, 0], [0, 1]], ["1", "0"])}, ["0", "1.5"], coupling=V.full(), dps=25)
    assert exact.S_A[0] == 0 and exact.beta_A[0] == mpmath.inf   # a pure state at t = 0
    assert float(exact.E_A[1]) == pytest.approx(as_kets.E_A[1], abs=1e-13)
    # a ket of binary floats is checked at float64's tolerance, whatever dps
    floats = ledger({"A": (H, plus), "B": (H, qutip.basis(2, 0))}, ["0", "1.5"], coupling=V, dps=20)
    assert float(floats.E_A[1]) == pytest.approx(as_kets.E_A[1], abs=1e-13)
    # a joint ket as the initial state: a Bell state has I_AB = 2 ln 2 and stays so without coupling
    bell = (qutip.tensor(qutip.basis(2, 0), qutip.basis(2, 1))
            + qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 0))).unit()
    joint = ledger({"A": (H, qutip.basis(2, 0)), "B": (H, qutip.basis(2, 0))}, [0.0, 1.0],
                   initial_state=bell)
    np.testing.assert_allclose(joint.I_AB, 2 * np.log(2), atol=1e-13)


def test_unnormalised_ket_is_refused():
    H = np.diag([0.0, 1.0])
    with pytest.raises(ValueError, match="unit trace"):
        ledger({"A": (H, [1, 1])}, [0.0])


def test_result_object_api():
    H = qutip.num(2)
    V = 0.1 * (qutip.tensor(qutip.create(2), qutip.destroy(2)) + qutip.tensor(qutip.destroy(2), qutip.create(2)))
    times = [0.0, np.pi / 0.4, np.pi / 0.2]
    result = ledger({"A": (H, qutip.basis(2, 1)), "B": (H, qutip.basis(2, 0))}, times, coupling=V)
    assert isinstance(result, LedgerResult)
    np.testing.assert_array_equal(result.times, times)
    assert result.keys()[0] == "t" and "sigma_A" in result.keys()
    np.testing.assert_allclose(result.E_A, [1.0, 0.5, 0.0], atol=1e-12)   # cos^2(g t)
    np.testing.assert_allclose(result["E_B"], [0.0, 0.5, 1.0], atol=1e-12)
    # the old list of rows
    assert len(result) == 3 and result[-1] is result.rows[-1]
    assert [row["t"] for row in result] == times
    assert result[0:2] == result.rows[0:2]
    assert result == result.rows
    assert result.states is None and result.fock_leak == {}
    import pickle

    again = pickle.loads(pickle.dumps(result))      # results travel between processes (dask)
    assert again == result and list(again.E_B) == list(result.E_B)
    assert "LedgerResult of A, B: 3 times, float64, received" in repr(result)
    with pytest.raises(AttributeError, match="E_C"):
        result.E_C
    with pytest.raises(KeyError, match="E_C"):
        result["E_C"]
    matrices = ledger({"A": (H, qutip.basis(2, 1)), "B": (H, qutip.basis(2, 0))}, times,
                      coupling=V, states="matrix")
    np.testing.assert_allclose(matrices.states["B"][2], np.diag([0.0, 1.0]), atol=1e-12)


def test_bad_c_ops_are_refused_with_a_message():
    H = qutip.num(2)
    a = qutip.destroy(2)
    with pytest.raises(ValueError, match="list of operators"):
        ledger({"A": (H, qutip.basis(2, 1))}, [0.0, 1.0], c_ops=a)
    with pytest.raises(ValueError, match="superoperator"):
        ledger({"A": (H, qutip.basis(2, 1))}, [0.0, 1.0], c_ops=[qutip.lindblad_dissipator(a)])
    with pytest.raises(ValueError, match="time-dependent"):
        ledger({"A": (H, qutip.basis(2, 1))}, [0.0, 1.0], c_ops=[[a, "exp(-t)"]])
    with pytest.raises(ValueError, match="states must be"):
        ledger({"A": (H, qutip.basis(2, 1))}, [0.0], states="kets")
    with pytest.raises(ValueError, match="pair"):
        ledger({"A": H}, [0.0])
