"""The checks of a state follow the precision it was given in, not the precision
it is evaluated at; the code's own states are never rejected as bad input.

- float64 input (numpy, QuTiP): float64 tolerance, also at dps 30;
- a decimal string typed to N digits (a number printed by a program): its
  N-th digit; a short decimal ("0.5") or a fraction is exact;
- exact input: the digits asked for;
- errors quote the deviation (``trace - 1 = -1.0e-20``) and exit with code 2;
- states computed by the code are checked against their own error bound, and
  failing it is an internal error (exit code 1), never exit code 2.
"""

import json

import mpmath
import numpy as np
import pytest

from symthermo.cli import main
from symthermo.entropy import von_neumann_entropy
from symthermo.errors import CrossCheckError, InternalStateError
from symthermo.ergotropy import ergotropy, exergy
from symthermo.ledger import ledger
from symthermo.numbers import FLOAT64, MPMATH
from symthermo.precision import working_precision
from symthermo.propagator import evolve
from symthermo.states import check_density_matrix, density_spectrum, input_tolerance
from symthermo.thermal import entropy_matched_beta

H2 = [["0", "0"], ["0", "1"]]


def typed(x, digits=50):
    """x (an mpmath number) as a decimal string of ``digits`` significant digits."""
    with mpmath.workdps(digits + 10):
        return mpmath.nstr(x, digits, strip_zeros=False)


def fifty_digit_state(deficit_exponent=50):
    """A qubit state typed to 50 digits: p = 1/3 and 1 - p, the second lowered so
    that the trace is 1 - 10^-deficit_exponent."""
    with mpmath.workdps(80):
        p = mpmath.mpf(1) / 3
        a = typed(p)
        b = typed(mpmath.mpf(1) - mpmath.mpf(a) - mpmath.mpf(10) ** -deficit_exponent, 50 + (
            deficit_exponent - 50 if deficit_exponent > 50 else 0))
    return [[a, "0"], ["0", b]]


def trace_minus_one(state):
    with mpmath.workdps(100):
        return mpmath.mpf(state[0][0]) + mpmath.mpf(state[1][1]) - 1


def float_state_hermitian_to(defect):
    """A float64 qutrit state as QuTiP gives one: Hermitian only to ``defect``."""
    rng = np.random.default_rng(5)
    A = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    rho = A @ A.conj().T
    rho = rho / np.trace(rho).real
    rho = (rho + rho.conj().T) / 2  # Hermitian exactly,
    rho[2, 2] += 0.5j * defect  # then not quite (an imaginary part on the diagonal)
    return rho


class TestFiftyDigitInput:
    def test_the_state_is_what_the_test_says(self):
        state = fifty_digit_state()
        with mpmath.workdps(100):
            assert abs(trace_minus_one(state) + mpmath.mpf(10) ** -50) < mpmath.mpf(10) ** -55

    @pytest.mark.parametrize("dps", [15, 30, 60])
    def test_valid_at_any_dps(self, dps):
        """Trace 1 - 1e-50 is the rounding of a 50-digit state: valid at dps 30 (below
        the digits asked for) and at dps 60 (within the digits typed)."""
        state = fifty_digit_state()
        s = von_neumann_entropy(state, dps=dps)
        with mpmath.workdps(dps + 20):
            p, q = mpmath.mpf(state[0][0]), mpmath.mpf(state[1][1])
            exact = -p * mpmath.log(p) - q * mpmath.log(q)
            assert abs(s - exact) <= abs(exact) * mpmath.mpf(10) ** (-dps + 1)
        assert ergotropy(state, H2, dps=dps) >= 0
        assert exergy(state, H2, dps=dps) >= 0
        assert mpmath.isfinite(entropy_matched_beta(state, H2, dps=dps))

    def test_a_real_deficit_is_refused_with_its_size(self):
        """Trace 1 - 1e-20 with 50 typed digits is not rounding: an error naming it."""
        state = fifty_digit_state(20)
        with pytest.raises(ValueError, match=r"unit trace, got .*trace - 1 = -1\.0e-20"):
            von_neumann_entropy(state, dps=30)

    def test_ledger_cli(self, tmp_path, capsys):
        """The CLI re-evaluates at rising precision (60, 100, ... digits) until the
        digits are certain: the check must not tighten with it (it did: exit 2)."""
        state = fifty_digit_state()
        system = {"subsystems": {"A": {"H": H2, "rho0": state},
                                 "B": {"H": H2, "rho0": [["1", "0"], ["0", "0"]]}},
                  "coupling": [["0", "0", "0", "0"], ["0", "0", "0.1", "0"],
                               ["0", "0.1", "0", "0"], ["0", "0", "0", "0"]]}
        path = tmp_path / "system.json"
        path.write_text(json.dumps(system))
        code = main(["ledger", str(path), "--times", "0,1", "--dps", "30"])
        out, err = capsys.readouterr()
        assert code == 0, err
        rows = json.loads(out)["rows"]
        with mpmath.workdps(60):
            p, q = mpmath.mpf(state[0][0]), mpmath.mpf(state[1][1])
            s0 = -p * mpmath.log(p) - q * mpmath.log(q)
            assert abs(mpmath.mpf(rows[0]["S_A"]) - s0) < mpmath.mpf(10) ** -28


class TestFloat64Input:
    def test_hermitian_to_6e18_is_valid_at_dps_30(self):
        rho = float_state_hermitian_to(6e-18)
        assert np.max(np.abs(rho - rho.conj().T)) == 6e-18
        H = np.diag([0.0, 1.0, 2.3])
        s30 = von_neumann_entropy(rho, dps=30)
        s64 = von_neumann_entropy(rho)
        assert abs(float(s30) - s64) <= 1e-14
        assert exergy(rho, H, dps=30) >= 0
        assert ergotropy(rho, H, dps=30) >= 0

    def test_qutip_state_in_the_ledger_at_dps_30(self):
        qutip = pytest.importorskip("qutip")
        a = float_state_hermitian_to(0.0)[:2, :2]
        a = a / np.trace(a).real
        a[1, 1] += 3e-18j  # Hermitian to 6e-18
        rho = qutip.Qobj(a)
        H = np.diag([0.0, 1.0])
        V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
        rows = ledger({"A": (H, rho), "B": (H, np.diag([1.0, 0.0]))}, [0, 1], coupling=V, dps=30)
        rows64 = ledger({"A": (H, rho), "B": (H, np.diag([1.0, 0.0]))}, [0, 1], coupling=V)
        for r, r64 in zip(rows, rows64):
            assert abs(float(r["E_A"]) - r64["E_A"]) < 1e-14
            assert abs(float(r["S_A"]) - r64["S_A"]) < 1e-13

    def test_trace_within_float64_tolerance_at_dps_30(self):
        rho = np.diag([0.3, 0.7 + 1e-13])
        assert von_neumann_entropy(rho, dps=30) > 0
        assert von_neumann_entropy(rho) > 0

    @pytest.mark.parametrize("dps", [None, 30])
    def test_float64_trace_error_is_refused_at_every_precision(self, dps):
        rho = np.diag([0.3, 0.7 + 1e-9])
        with pytest.raises(ValueError, match=r"trace - 1 = 1\.0e-9"):
            von_neumann_entropy(rho, dps=dps)

    @pytest.mark.parametrize("dps", [None, 30])
    def test_float64_non_hermitian_is_refused_at_every_precision(self, dps):
        rho = float_state_hermitian_to(1e-6)
        with pytest.raises(ValueError, match=r"not Hermitian: max \|rho - rho\^dag\| = 1\.0e-6"):
            von_neumann_entropy(rho, dps=dps)

    def test_json_floats_are_their_printed_digits(self, tmp_path, capsys):
        """A float64 state dumped to JSON by another program (17-digit reprs, trace
        1 - 1.1e-16) is read at the precision of its digits."""
        p = 1 / 3
        state = [[p, 0.0], [0.0, 2 / 3]]
        system = {"subsystems": {"A": {"H": H2, "rho0": state}}}
        path = tmp_path / "float_system.json"
        path.write_text(json.dumps(system))
        code = main(["ledger", str(path), "--times", "0", "--dps", "30"])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert json.loads(out)["rows"][0]["S_A"].startswith("0.63651416829481")


class TestExactInput:
    def test_below_the_digits_asked_for_is_valid(self):
        state = [["1/3", 0], [0, "2/3 - 1e-35"]]
        assert von_neumann_entropy(state, dps=30) > 0

    def test_above_them_is_refused_with_the_deviation(self):
        state = [["1/3", 0], [0, "2/3 - 1e-25"]]
        with pytest.raises(ValueError, match=r"trace - 1 = -1\.0e-25"):
            von_neumann_entropy(state, dps=30)

    def test_short_decimals_are_exact(self):
        """"0.5" and "0.4" are not roundings of 0.55 and 0.45: trace 0.9 is an error."""
        with pytest.raises(ValueError, match=r"unit trace, got 0\.9.*trace - 1 = -0\.1"):
            check_density_matrix([["0.5", "0"], ["0", "0.4"]], lib=FLOAT64)

    def test_cli_bad_trace_is_exit_2_naming_it(self, tmp_path, capsys):
        system = {"subsystems": {"A": {"H": H2, "rho0": [["1/3", "0"], ["0", "2/3 - 1e-20"]]}}}
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(system))
        code = main(["ledger", str(path), "--times", "0", "--dps", "30"])
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert err.startswith("error: ") and err.count("\n") == 1
        assert "trace - 1 = -1.0e-20" in err


class TestInputTolerance:
    @pytest.mark.parametrize("entries, expected", [
        ([["0.5", "0"], ["0", "0.5"]], "work"),
        ([["1/3", "0"], ["0", "2/3"]], "work"),
        ([["0.333", "0"], ["0", "0.667"]], "work"),          # coarser than 1e-12: exact
        ([["0.33333333333333331", "0"], ["0", "0.66666666666666663"]], 8e-17),
        ([["0." + "3" * 40, "0"], ["0", "0." + "6" * 40]], 8e-40),
        ([["1.2345678901234567e-05", "0"], ["0", "1"]], 8e-21),
        # a short decimal beside 40-digit ones does not hide their rounding
        ([["0." + "3" * 40, "1.5e-3"], ["1.5e-3", "0." + "6" * 40]], 8e-40),
    ])
    def test_decimal_strings(self, entries, expected):
        with working_precision(60):
            tol = input_tolerance(entries, MPMATH)
            if expected == "work":
                assert tol == mpmath.mpf(10) ** -60
            else:
                assert abs(tol / mpmath.mpf(repr(expected)) - 1) < 1e-10

    def test_binary_inputs(self):
        with working_precision(30):
            assert input_tolerance(np.eye(2) / 2, MPMATH) == mpmath.mpf("1e-12")
            assert input_tolerance([[0.5, 0.0], [0.0, 0.5]], MPMATH) == mpmath.mpf("1e-12")
            assert input_tolerance(np.eye(2, dtype=int), MPMATH) == mpmath.mpf(10) ** -30
        assert input_tolerance(np.eye(2) / 2, FLOAT64) == FLOAT64.tolerance

    def test_the_check_does_not_tighten_with_the_working_precision(self):
        """Inside the certification loop mp.dps grows; the tolerance stays that of
        the digits asked for."""
        with working_precision(30):
            first = input_tolerance([["1/2", 0], [0, "1/2"]], MPMATH)
        with working_precision(30, extra=300):
            later = input_tolerance([["1/2", 0], [0, "1/2"]], MPMATH)
        with mpmath.workdps(60):
            assert abs(first / later - 1) < 1e-25


class TestComputedStates:
    def test_refrigerator_propagator_at_dps_30(self, capsys):
        """The exact thermal initial state, re-read at the 340 digits of the
        certification loop, was refused (a tolerance 10.0**-340 that is 0.0 as a
        float): exit 2.  Now it runs, and agrees with the closed form."""
        args = ["reference", "refrigerator", "--param", "omega_B=2.7", "--param", "g=0.35",
                "--param", "beta_A=0.9", "--param", "beta_B=0.4", "--times", "0,1,2,3"]
        code = main(args + ["--method", "propagator"])
        out, err = capsys.readouterr()
        assert code == 0, err
        code = main(args)
        closed, _ = capsys.readouterr()
        assert code == 0
        for a, b in zip(json.loads(out)["rows"], json.loads(closed)["rows"]):
            for key in ("E_A", "S_A", "beta_B", "Q_A", "W_B", "exergy_A", "I_AB"):
                # the propagator is certified by balls: a cancellation to 0 is "0 +/- r"
                with mpmath.workdps(40):
                    assert abs(mpmath.mpf(a[key].split(" +/- ")[0]) -
                               mpmath.mpf(b[key])) <= mpmath.mpf(10) ** -27

    def test_propagator_tolerance_at_400_digits(self):
        rho = evolve([[0, 1], [1, 0]], [["1/3", 0], [0, "2/3"]], ["1/2"], dps=400)[0]
        with mpmath.workdps(400):
            assert abs(rho[0, 0] + rho[1, 1] - 1) < mpmath.mpf(10) ** -390

    def test_state_tolerance_is_the_callers(self):
        rho0 = np.diag([0.5, 0.5 + 1e-11])
        with pytest.raises(ValueError, match="trace - 1 = 1.0e-11"):
            evolve(np.eye(2), rho0, [1.0])
        out = evolve(np.eye(2), rho0, [1.0], state_tolerance=1e-10)
        assert abs(np.trace(out[0]).real - 1 - 1e-11) < 1e-15

    def test_a_computed_state_beyond_its_bound_is_internal(self):
        """Not a ValueError (exit 2) but an internal error (exit 1)."""
        with pytest.raises(InternalStateError, match="computed state"):
            density_spectrum(np.diag([1.01, -0.01]), name="rho(t=1)", computed=True)
        assert issubclass(InternalStateError, CrossCheckError)
        assert not issubclass(InternalStateError, ValueError)
        # within the bound, rounding noise about 0 is 0
        assert density_spectrum(np.diag([1.0, -1e-14]), computed=True) == [0.0, 1.0]

    def test_ledger_from_float_input_at_dps_30(self):
        """The product state and everything propagated from a float64 state carry its
        rounding (trace 1 - 1.1e-16, eigenvalues of -1e-17): checked at that bound."""
        H = np.diag([0.0, 1.0])
        a = float_state_hermitian_to(6e-18)[:2, :2]
        a = a / np.trace(a).real
        a[1, 1] = 1.0 - a[0, 0] - 1.1e-16  # a trace deficit of float64 size
        V = 0.2 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
        rows = ledger({"A": (H, a), "B": (H, np.diag([0.0, 1.0]))}, [0, 0.5, 3],
                      coupling=V, dps=30)
        assert len(rows) == 3
        assert all(mpmath.isfinite(r["S_A"]) and r["ergotropy_B"] >= 0 for r in rows)
