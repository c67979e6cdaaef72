"""The ledger and the propagator in balls: every printed digit is proven.

Independent routes are compared, never the code with its own output:

- the same random ledger certified at dps 20 and at dps 40: each dps-20 value is
  the correctly rounded value of the exact number, so it is the dps-40 value
  rounded to 20 digits (a tie at digit 21 is absent from these rational data);
- the mpmath route (two agreeing precisions, a different eigensolver and
  propagator) at dps 60 lies within ``err`` of each printed dps-20 value;
- the propagator in balls against the closed forms in balls (SymPy-derived
  formulas): both intervals ``value +/- err`` hold the exact value, so they meet;
- the spectrum enclosures of :mod:`symthermo.ball_linalg` contain the exact
  eigenvalues of matrices built with a known, degenerate spectrum.
"""

import json
import random
from decimal import Decimal

import mpmath
import pytest
import sympy
from flint import acb_mat

from symthermo.ball_linalg import hermitian_eigvalsh, lindblad_states, unitary_states
from symthermo.ball_conversion import to_ball
from symthermo.balls import BALLS, ball_precision
from symthermo.ledger import load_system
from symthermo.models import get_model
from symthermo.tables import ledger_payload, reference_payload


def _text(z):
    z = sympy.nsimplify(z)
    re, im = sympy.re(z), sympy.im(z)
    if im == 0:
        return str(re)
    return f"{re}{'+' if im >= 0 else '-'}{abs(im)}j"


def _rational_density(rng, d, rank):
    A = sympy.Matrix(d, rank, lambda i, j: rng.randint(-3, 3) + sympy.I * rng.randint(-3, 3))
    if A.is_zero_matrix:
        A[0, 0] = 1
    M = (A * A.H).applyfunc(sympy.expand)
    return M / M.trace()


def _hermitian(rng, d, scale):
    M = sympy.zeros(d, d)
    for i in range(d):
        M[i, i] = sympy.Rational(rng.randint(-4, 4), scale)
        for j in range(i + 1, d):
            M[i, j] = sympy.Rational(rng.randint(-3, 3), scale) + \
                sympy.I * sympy.Rational(rng.randint(-3, 3), scale)
            M[j, i] = sympy.conjugate(M[i, j])
    return M


def random_system(seed, dims, *, lindblad=False):
    """SYSTEM.json data: diagonal local levels, random full-rank rational states, a random
    rational Hermitian coupling (and, optionally, a decay of the first subsystem)."""
    rng = random.Random(seed)
    subs = {}
    for name, d in zip("AB", dims):
        levels = sorted(rng.sample(range(0, 9), d))
        H = sympy.diag(*[sympy.Rational(v, 3) for v in levels])
        rho = _rational_density(rng, d, d)
        subs[name] = {"H": [[_text(H[i, j]) for j in range(d)] for i in range(d)],
                      "rho0": [[_text(rho[i, j]) for j in range(d)] for i in range(d)]}
    n = dims[0] * dims[1]
    V = _hermitian(rng, n, 8)
    data = {"subsystems": subs, "coupling": [[_text(V[i, j]) for j in range(n)] for i in range(n)]}
    if lindblad:
        L = sympy.zeros(n, n)
        for k in range(dims[1]):  # sigma_- of A (level 1 -> 0) on the joint space
            L[k, dims[1] + k] = 1
        data["lindblad"] = [{"rate": "1/5", "operator": [[_text(L[i, j]) for j in range(n)]
                                                          for i in range(n)]}]
    return load_system(json.dumps(data))


def _values(payload):
    return [{k: v for k, v in row.items() if k != "err"} for row in payload["rows"]]


def _round(text, digits):
    d = Decimal(text)
    return d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1))


CASES = [(seed, dims) for seed, dims in ((1, (2, 2)), (2, (2, 3)), (3, (3, 3)), (4, (3, 2)))]
TIMES = "0, 1/3, 5"


@pytest.mark.parametrize("seed, dims", CASES)
def test_dps20_digits_are_the_dps40_digits_rounded(seed, dims):
    system = random_system(seed, dims)
    p20 = ledger_payload(system, "random", TIMES, dps=20)
    p40 = ledger_payload(system, "random", TIMES, dps=40)
    assert p20["number_system"] == p40["number_system"] == "balls"
    checked = 0
    for r20, r40 in zip(p20["rows"], p40["rows"]):
        for key, v20 in r20.items():
            if key == "err":
                continue
            v40 = r40[key]
            if v20 in ("0", "inf", "-inf"):  # exact: the same at every precision
                assert v40 == v20, (key, v20, v40)
                assert r20["err"][key] == "0"
                continue
            assert " +/- " not in v20, (key, v20)  # the ledger certifies every value here
            assert " +/- " not in v40, (key, v40)
            assert Decimal(v20) == _round(v40, 20), (key, v20, v40)
            # the bound is honest: |printed - exact| <= err, exact within the dps-40 ball
            assert abs(Decimal(v20) - Decimal(v40)) <= Decimal(r20["err"][key]) + \
                Decimal(r40["err"][key]), key
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("seed, dims, lindblad", [(5, (2, 2), False), (6, (3, 3), False),
                                                  (7, (2, 2), True), (8, (2, 3), True)])
def test_mpmath_dps60_values_lie_inside_the_balls(seed, dims, lindblad):
    system = random_system(seed, dims, lindblad=lindblad)
    balls = ledger_payload(system, "random", TIMES, dps=20)
    mp = ledger_payload(system, "random", TIMES, dps=60, number_system="mpmath")
    assert balls["number_system"] == "balls" and mp["number_system"] == "mpmath"
    assert "err" not in mp["rows"][0]
    with mpmath.workdps(80):
        for rb, rm in zip(balls["rows"], mp["rows"]):
            for key, text in rb.items():
                if key == "err":
                    continue
                exact_mp = mpmath.mpf(rm[key])
                if text in ("inf", "-inf"):
                    assert exact_mp == mpmath.mpf(text)
                    continue
                mid = mpmath.mpf(text.split(" +/- ")[0])
                err = mpmath.mpf(rb["err"][key])
                # the mpmath value is within 1e-58 relative of the exact one (60 digits)
                slack = abs(exact_mp) * mpmath.mpf(10) ** -58 + mpmath.mpf(10) ** -70
                assert abs(mid - exact_mp) <= err + slack, (key, text, rm[key], err)


@pytest.mark.parametrize("model", ["refrigerator", "exchange", "spontaneous-emission"])
def test_propagator_and_closed_forms_meet_inside_their_balls(model):
    m = get_model(model)
    prop = reference_payload(m, [], "0, 1/3, 7", dps=20, method="propagator")
    closed = reference_payload(m, [], "0, 1/3, 7", dps=20, method="closed-form")
    assert prop["number_system"] == closed["number_system"] == "balls"
    certified = 0
    with mpmath.workdps(60):
        for rp, rc in zip(prop["rows"], closed["rows"]):
            for key, text in rp.items():
                if key == "err":
                    continue
                other = rc[key]
                if text in ("inf", "-inf") or other in ("inf", "-inf"):
                    assert text == other, key
                    continue
                a, b = (mpmath.mpf(x.split(" +/- ")[0]) for x in (text, other))
                ea, eb = mpmath.mpf(rp["err"][key]), mpmath.mpf(rc["err"][key])
                assert abs(a - b) <= ea + eb, (model, key, text, other)
                if " +/- " not in text and " +/- " not in other:
                    assert text == other, (model, key)  # both correctly rounded
                    certified += 1
    assert certified > 15


def test_time_zero_has_structural_zeros():
    """At t = 0 the increments are exact zeros and I_AB of the product state is 0."""
    payload = ledger_payload(random_system(9, (3, 2)), "random", "0, 1", dps=25)
    row0 = payload["rows"][0]
    for key in ("Q_A", "W_A", "Q_B", "W_B", "I_AB", "sigma_A", "sigma_B"):
        assert row0[key] == "0" and row0["err"][key] == "0", key
    assert all(" +/- " not in v for k, v in payload["rows"][1].items() if k != "err")


def test_conserved_coupling_gives_an_exact_e_int():
    """two_qutrits.json: [H_A + H_B, V] = 0 exactly, E_int(0) = 0, so E_int(t) is an exact 0;
    the mpmath route computes it by cancellation: digits below 1e-30 or 0."""
    system = load_system("examples/two_qutrits.json")
    rows = ledger_payload(system, "two_qutrits", "0, 1, 3.7", dps=30)["rows"]
    assert [r["E_int"] for r in rows] == ["0", "0", "0"]
    mp = ledger_payload(system, "two_qutrits", "3.7", dps=30, number_system="mpmath")["rows"]
    assert abs(float(mp[0]["E_int"])) < 1e-30


def _cayley_unitary(rng, d):
    """An exactly unitary rational matrix (I - K)(I + K)^-1, K skew-Hermitian rational."""
    K = _hermitian(rng, d, 5) * sympy.I
    return ((sympy.eye(d) - K) * (sympy.eye(d) + K).inv()).applyfunc(sympy.nsimplify)


@pytest.mark.parametrize("spectrum", [(1, 1, 2), (0, 0, 0, 1), ("1/3", "1/3", "1/3"),
                                      (0, "1e-30", "1/2", "1/2", 3)])
def test_eigenvalue_enclosures_hold_degenerate_spectra(spectrum):
    rng = random.Random(len(spectrum))
    d = len(spectrum)
    U = _cayley_unitary(rng, d)
    lam = [sympy.Rational(s) for s in spectrum]
    A = (U * sympy.diag(*lam) * U.H).applyfunc(sympy.expand)
    for bits in (80, 200):
        with ball_precision(bits):
            M = acb_mat([[to_ball(A[i, j]) for j in range(d)] for i in range(d)])
            enclosures = hermitian_eigvalsh(M)
            for ball, exact in zip(enclosures, sorted(lam)):
                assert ball.contains(to_ball(exact)), (ball, exact)
                assert ball.rad() < 2.0 ** (10 - bits)


def test_propagators_against_exact_solutions():
    """exp(-iHt) on a qubit (Rabi) and the decay of an excited qubit, exact solutions."""
    with ball_precision(120):
        t = to_ball(sympy.Rational(7, 10))
        rho = unitary_states(acb_mat([[0, 1], [1, 0]]), acb_mat([[1, 0], [0, 0]]), [t])[0]
        assert rho[1, 1].real.overlaps(t.sin() ** 2) and rho[1, 1].rad() < 1e-30
        # d rho/dt = gamma (L rho L^dag - {L^dag L, rho}/2), L = |0><1|: p_1(t) = e^{-gamma t}
        decay = lindblad_states(acb_mat(2, 2), [(to_ball("1/2"), acb_mat([[0, 1], [0, 0]]))],
                                acb_mat([[0, 0], [0, 1]]), [t])[0]
        assert decay[1, 1].real.overlaps((-t / 2).exp()) and decay[1, 1].rad() < 1e-30
        assert decay[0, 0].real.overlaps(1 - (-t / 2).exp())


def test_balls_number_system_eigvalsh_uses_the_enclosures():
    with ball_precision(100):
        M = BALLS.matrix([[2, "1/3", 0], ["1/3", 2, 0], [0, 0, 5]])
        low, mid, high = BALLS.eigvalsh(M)
        assert low.contains(to_ball("5/3")) and mid.contains(to_ball("7/3"))
        assert high.contains(5)


def test_cli_ledger_mpmath_route_is_kept(capsys):
    from symthermo.cli import main

    code = main(["ledger", "examples/two_qutrits.json", "--times", "1", "--dps", "15",
                 "--number-system", "mpmath"])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["number_system"] == "mpmath"



def _nearly_pure_pair():
    """A nearly pure qutrit (populations 5e-112, 5e-112) beside a qubit in its ground
    state, weakly coupled (an audit's system)."""
    small = "1/" + "2" + "0" * 111
    data = {"subsystems": {
        "A": {"H": [["0", "0", "0"], ["0", "0.0903", "0"], ["0", "0", "0.756"]],
              "rho0": [[small, "0", "0"], ["0", small, "0"],
                       ["0", "0", "9" * 111 + "/1" + "0" * 111]]},
        "B": {"H": [["0", "0"], ["0", "9.46"]], "rho0": [["1", "0"], ["0", "0"]]}},
        "coupling": [["-1.32e-06", "0", "0", "0", "0", "0"],
                     ["0", "6.8e-07", "-1.34e-06", "0", "0", "1.12e-06"],
                     ["0", "-1.34e-06", "1.85e-06", "0", "-1.33e-06+1.01e-06j", "0"],
                     ["0", "0", "0", "-9.68e-07", "0", "7e-08+6.58e-07j"],
                     ["0", "0", "-1.33e-06-1.01e-06j", "0", "1.74e-06", "0"],
                     ["0", "1.12e-06", "0", "7e-08-6.58e-07j", "0", "0"]]}
    return load_system(json.dumps(data))


def test_dps_30_proves_what_dps_15_and_60_prove():
    # A nearly pure qutrit (populations 5e-112, 5e-112) beside a qubit in its ground state:
    # at dps 30 the first two passes (156, 280 bits) gave W_B radii 6.1e-83 and 3.4e-83
    # (the first sized by B's eigenvalue 8e-50 set to an exact 0, not by the precision),
    # Ziv's loop took that for a truncation bound and printed W_B = 2.87071108e-74 +/-
    # 6.3e-83 and sigma_B = 0 +/- inf, where dps 15 and 60 print every digit
    system = _nearly_pure_pair()
    top = ledger_payload(system, "x", "5.09e-7", dps=60)["rows"][0]
    for dps in (15, 30):
        row = ledger_payload(system, "x", "5.09e-7", dps=dps)["rows"][0]
        for key in ("W_B", "sigma_B", "S_B", "Q_B", "E_B"):
            assert " +/- " not in row[key], (dps, key, row[key])
            with mpmath.workdps(100):
                x, y = mpmath.mpf(row[key]), mpmath.mpf(top[key])
                assert abs(x - y) <= abs(y) * mpmath.mpf(10) ** (1 - dps) / 2, (dps, key)


@pytest.mark.parametrize("bits", [96, 156, 200, 280])
def test_every_value_a_pass_proves_is_right(bits):
    # whatever the precision, a ball that a pass calls proven holds the value: an
    # eigenvalue the eigensolver cannot tell from 0 is no exact 0 (at 156 bits B's 8e-50
    # was rounded to 0 and S_B = 0, beta_B = inf, W_B = E_B = 7.9e-49 came out as proven
    # 30-digit values; the row was printed only because other keys were still open)
    from fractions import Fraction

    from symthermo.certify import format_ball
    from symthermo.ledger import ledger_rows

    system = _nearly_pure_pair()
    t = Fraction(509, 10 ** 9)
    top = ledger_payload(system, "x", "5.09e-7", dps=60)["rows"][0]
    with ball_precision(bits):
        row = ledger_rows(system, [BALLS.number(t)], lib=BALLS)[0]
        for key, value in row.items():
            if key.startswith("_") or key == "t":
                continue
            text = format_ball(value, 30)[0]
            if " +/- " in text:
                m, r = text.split(" +/- ")
                if r != "inf":
                    with mpmath.workdps(100):
                        assert abs(mpmath.mpf(top[key]) - mpmath.mpf(m)) <= mpmath.mpf(r), key
                continue
            if text in ("0", "inf", "-inf"):
                assert top[key] == text, (bits, key, text, top[key])
                continue
            with mpmath.workdps(100):
                x, y = mpmath.mpf(text), mpmath.mpf(top[key])
                assert abs(x - y) <= abs(y) * mpmath.mpf("1e-29") / 2, (bits, key, text, top[key])


def test_ball_eigenvalues_about_0_are_exact_only_by_a_proof():
    from flint import arb

    from symthermo.states import density_spectrum

    with ball_precision(100):
        tiny = arb(0, arb("1e-29"))  # what the eigensolver returns for 1e-40, or for 0
        vals = [tiny, tiny, arb(1) + tiny]
        M = BALLS.matrix([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
        plain = density_spectrum(M, lib=BALLS, computed=True, eigenvalues=vals)
        # no proof: each small eigenvalue stays a ball, its part >= 0 (as a midpoint and
        # radius: [0, 1e-29] up to Arb's outward rounding of the ends, ~1e-38), the
        # largest its part <= 1
        assert not any(BALLS.is_exact_zero(v) for v in plain)
        for v in plain[:2]:
            assert v.contains(0) and abs(v.lower()) < v.upper() * arb("1e-6")
        assert plain[2].contains(1) and plain[2].upper() < vals[2].upper()  # (1 ulp of 1 above)
        # an exact rank of 1 (the caller's proof): two exact zeros and an exact 1
        proven = density_spectrum(M, lib=BALLS, computed=True, eigenvalues=vals, zeros=2)
        assert [BALLS.is_exact_zero(v) for v in proven] == [True, True, False]
        assert all(v.is_exact() for v in proven) and proven[2] == 1
        # a proof of one zero leaves the other small ball a ball
        one = density_spectrum(M, lib=BALLS, computed=True, eigenvalues=vals, zeros=1)
        assert one[0].is_exact() and not one[1].is_exact()
        # an eigenvalue proven positive is never zeroed, whatever the caller says
        kept = density_spectrum(M, lib=BALLS, computed=True,
                                eigenvalues=[arb("1e-40", "1e-45"), tiny, arb(1)], zeros=2)
        assert kept[0] > 0


def test_exact_ranks_of_states_with_complex_entries():
    # EXACT read "0.1+0.1j" through nsimplify, which refused ExactComplex: the rank proof
    # of every state with a complex entry was silently dropped (None)
    import sympy

    from symthermo.ledger import _exact_ranks
    from symthermo.numbers import EXACT

    assert EXACT.number("0.1+0.1j") == sympy.Rational(1, 10) + sympy.I / 10
    assert EXACT.number("1/3") == sympy.Rational(1, 3)
    assert _exact_ranks(load_system("examples/two_qutrits.json")) == [3, 3]
    plus_i = {"subsystems": {
        "A": {"H": [["0", "0"], ["0", "1"]], "rho0": [["1/2", "-0.5j"], ["0.5j", "1/2"]]},
        "B": {"H": [["0", "0"], ["0", "1"]], "rho0": [["1", "0"], ["0", "0"]]}}}
    assert _exact_ranks(load_system(json.dumps(plus_i))) == [1, 1]
