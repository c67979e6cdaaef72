"""Values returned at dps=N print N digits, whatever mpmath.mp.dps is."""

import copy
import pickle

import mpmath
import pytest

from symthermo.entropy import von_neumann_entropy
from symthermo.ergotropy import exergy, exergy_decomposition, passive_state
from symthermo.ledger import ledger
from symthermo.levels import Oscillator
from symthermo.thermal import entropy_matched_beta, thermal_energy, thermal_state
from symthermo.values import Complex, Matrix, Real, with_digits


def _significant_digits(text):
    mantissa = text.split("e")[0].lstrip("-").replace(".", "").lstrip("0")
    return len(mantissa)


def _oscillator_exergy_truth():
    """Oscillator(1) in diag(3/4, 1/4): n from S(n) = H(1/4), exergy = 1/4 - n, at 80 digits."""
    with mpmath.workdps(80):
        q = mpmath.mpf(1) / 4
        s = -q * mpmath.log(q) - (1 - q) * mpmath.log(1 - q)
        n = mpmath.findroot(lambda n: (n + 1) * mpmath.log(n + 1) - n * mpmath.log(n) - s,
                            mpmath.mpf("0.3"))
        return q - n, mpmath.log(1 + 1 / n)


def test_exergy_decomposition_prints_its_40_digits():
    assert mpmath.mp.dps == 15
    parts = exergy_decomposition([["3/4", 0], [0, "1/4"]], Oscillator(1), dps=40)
    text = repr(parts)
    exergy_text = text.split("exergy=mpf('")[1].split("'")[0]
    assert _significant_digits(exergy_text) == 40
    truth, beta = _oscillator_exergy_truth()
    with mpmath.workdps(80):
        assert abs(mpmath.mpf(exergy_text) - truth) <= abs(truth) * mpmath.mpf(10) ** -39
        assert abs(mpmath.mpf(str(parts.beta)) - beta) <= beta * mpmath.mpf(10) ** -39
    assert parts.exergy.dps == 40


@pytest.mark.parametrize("dps", [20, 30, 55])
def test_scalar_functions_carry_dps(dps):
    values = [
        von_neumann_entropy([["1/3", 0], [0, "2/3"]], dps=dps),
        entropy_matched_beta([["3/4", 0], [0, "1/4"]], [[0, 0], [0, 1]], dps=dps),
        thermal_energy(Oscillator(1), "1/2", dps=dps),
        exergy([["3/5", 0, 0], [0, "1/10", 0], [0, 0, "3/10"]], [[0, 0, 0], [0, 1, 0], [0, 0, 2]],
               dps=dps),
    ]
    for v in values:
        assert isinstance(v, mpmath.mpf) and isinstance(v, Real)
        assert v.dps == dps
        assert _significant_digits(str(v)) == dps
        assert repr(v) == f"mpf('{v}')"
    # beta of diag(3/4, 1/4) for H = diag(0, 1) is ln 3
    with mpmath.workdps(dps + 20):
        assert abs(values[1] - mpmath.log(3)) <= mpmath.mpf(10) ** -(dps - 1)


def test_ledger_rows_print_their_digits():
    H = [[0, 0], [0, 1]]
    V = [[0, 0, 0, 0], [0, 0, "1/10", 0], [0, "1/10", 0, 0], [0, 0, 0, 0]]
    rows = ledger({"A": (H, [[0, 0], [0, 1]]), "B": (H, [[1, 0], [0, 0]])}, ["5"],
                  coupling=V, dps=30)
    e_a = rows[0]["E_A"]
    assert e_a.dps == 30 and _significant_digits(str(e_a)) == 30
    # E_A(t) = cos^2(g t) for the exchange with g = 1/10 at resonance
    with mpmath.workdps(50):
        assert abs(e_a - mpmath.cos(mpmath.mpf("0.5")) ** 2) <= mpmath.mpf(10) ** -29


def test_matrices_carry_dps():
    m = thermal_state([[0, 0], [0, 1]], 2, dps=25)
    assert isinstance(m, mpmath.matrix) and isinstance(m, Matrix) and m.dps == 25
    assert type(m[0, 0]) is mpmath.mpf     # entries stay mpmath's own (mpmath.eigh tests types)
    with mpmath.workdps(40):
        ground = mpmath.nstr(1 / (1 + mpmath.exp(-2)), 25)
    assert f"mpf('{ground}')" in repr(m)   # the ground population, 25 digits
    assert _significant_digits(str(m).split()[0].strip("[")) == 25
    vals, _ = mpmath.eigh(with_digits(mpmath.matrix([[1, 1j], [-1j, 1]]), 20))
    assert abs(vals[0]) < 1e-14 and abs(vals[1] - 2) < 1e-14
    with mpmath.workdps(40):
        assert abs(m[1, 1] - 1 / (1 + mpmath.exp(2))) <= mpmath.mpf(10) ** -25
    p = passive_state([["1/4", 0], [0, "3/4"]], [[0, 0], [0, 1]], dps=25)
    assert p[0, 0] == mpmath.mpf(3) / 4
    assert "0.75" in str(p)


def test_behaves_as_mpmath_numbers():
    with mpmath.workdps(40):
        third = with_digits(mpmath.mpf(1) / 3, 40)
        exact = mpmath.mpf(1) / 3
    assert third == exact and hash(third) == hash(exact)
    assert third < 1 and third > mpmath.mpf("0.3") and float(third) == 1 / 3
    assert complex(third) == 1 / 3
    assert type(third + 1) is mpmath.mpf and type(-third) is mpmath.mpf
    assert mpmath.mpf(third) == mpmath.mpf(exact)  # rounded to mp.dps, like any mpf
    with mpmath.workdps(40):
        assert type(mpmath.mpf(third)) is mpmath.mpf and mpmath.mpf(third) == exact
    for copied in (pickle.loads(pickle.dumps(third)), copy.deepcopy(third)):
        assert copied == exact and copied.dps == 40 and type(copied) is Real
    with mpmath.workdps(30):
        z = with_digits(mpmath.mpc(1, 2) / 3, 30)
    assert isinstance(z, Complex) and z.real.dps == 30
    with mpmath.workdps(30):
        plain_z = mpmath.mpc(1, 2) / 3
    mixed = third + z                    # mpmath builds mpf + mpc as type(z), without digits
    assert mixed == exact + plain_z and repr(mixed) == repr(exact + plain_z)
    assert pickle.loads(pickle.dumps(z)) == z
    m = with_digits(mpmath.matrix([[1, 2], [3, 4]]), 20)
    assert pickle.loads(pickle.dumps(m)).dps == 20 and pickle.loads(pickle.dumps(m)) == m


def test_float64_and_exact_results_are_left_alone():
    import numpy as np
    import sympy

    assert type(von_neumann_entropy(np.diag([0.5, 0.5]))) is not Real
    assert von_neumann_entropy(sympy.eye(2) / 2) == sympy.log(2)
