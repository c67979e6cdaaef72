"""The Python API's ledger at dps digits is the command line's certified ball route.

``symthermo.ledger.ledger(..., dps=N)`` returns the digits ``symthermo ledger --dps N``
prints (balls, Ziv's loop; a value the balls only bound as a Bound ``0 +/- r``), not
mpmath's agreement of two precisions (``precision.stable``), which stays available as
``number_system="mpmath"``.
"""

import json

import mpmath
import pytest

import symthermo.ledger as ledger_module
from symthermo.cli import main
from symthermo.ledger import ledger
from symthermo.values import Bound, Real

H = [["0", "0"], ["0", "1"]]
H_B = [["0", "0"], ["0", "1.3"]]
RHO_A = [["0.3", "0.2"], ["0.2", "0.7"]]
RHO_B = [["1", "0"], ["0", "0"]]
V = [["0", "0", "0", "0"], ["0", "0", "0.1", "0"], ["0", "0.1", "0", "0"], ["0", "0", "0", "0"]]
DECAY = [["0", "1", "0", "0"], ["0", "0", "0", "0"], ["0", "0", "0", "1"], ["0", "0", "0", "0"]]
TIMES = ["0", "1e-6", "0.7", "3", "31.4159"]


def _cli(tmp_path, capsys, dps, lindblad):
    system = {"subsystems": {"A": {"H": H, "rho0": RHO_A}, "B": {"H": H_B, "rho0": RHO_B}},
              "coupling": V}
    if lindblad:
        system["lindblad"] = [{"rate": "0.02", "operator": DECAY}]
    path = tmp_path / "system.json"
    path.write_text(json.dumps(system))
    assert main(["ledger", str(path), "--times", ",".join(TIMES), "--dps", str(dps)]) == 0
    return json.loads(capsys.readouterr().out)


def _api(dps, lindblad, **kw):
    terms = [("0.02", DECAY)] if lindblad else []
    return ledger({"A": (H, RHO_A), "B": (H_B, RHO_B)}, TIMES, coupling=V, lindblad=terms,
                  dps=dps, **kw)


@pytest.mark.parametrize("lindblad", [False, True])
@pytest.mark.parametrize("dps", [15, 30])
def test_api_returns_the_cli_proven_digits(tmp_path, capsys, dps, lindblad):
    payload = _cli(tmp_path, capsys, dps, lindblad)
    assert payload["number_system"] == "balls"
    result = _api(dps, lindblad)
    assert result.dps == dps and result.keys() == [k for k in payload["rows"][0] if k != "err"]
    for row, want in zip(result, payload["rows"]):
        for key in result.keys():
            text, value = want[key], row[key]
            if " +/- " in text:
                assert isinstance(value, Bound) and str(value) == text, (key, text, value)
                continue
            assert isinstance(value, Real) and value.dps == dps
            with mpmath.workdps(dps + 20):
                assert value == mpmath.mpf(text), (row["t"], key, text, value)
                if text not in ("0", "inf", "-inf"):  # the same digits printed
                    assert mpmath.nstr(value, dps, strip_zeros=False) == text


def test_api_no_longer_uses_mpmath_agreement(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the certified ledger called precision.stable")

    monkeypatch.setattr(ledger_module, "stable", refused)
    result = _api(30, True)
    assert result.S_A[2] > 0
    # mpmath by agreement is still there when asked for, and agrees with the balls
    monkeypatch.undo()
    calls = []
    real_stable = ledger_module.stable
    monkeypatch.setattr(ledger_module, "stable",
                        lambda *a, **k: calls.append(1) or real_stable(*a, **k))
    by_agreement = _api(30, True, number_system="mpmath")
    assert calls
    with mpmath.workdps(50):
        for key in ("E_A", "S_A", "beta_A", "Q_B", "W_B", "I_AB"):
            for x, y in zip(result[key], by_agreement[key]):
                if isinstance(x, Bound) or isinstance(y, Bound):
                    continue
                assert abs(x - y) <= abs(y) * mpmath.mpf(10) ** -28, key


def test_unknown_number_system_is_refused():
    with pytest.raises(ValueError, match="unknown number system 'arb'"):
        _api(30, False, number_system="arb")


def test_states_and_fock_leak_are_kept():
    import numpy as np

    from symthermo.levels import Oscillator

    sm = np.array([[0, 1], [0, 0]])
    a = np.diag(np.sqrt(np.arange(1, 6)), 1)
    V_jc = 0.05 * (np.kron(sm.T, a) + np.kron(sm, a.T))
    r = ledger({"A": (np.diag([0.0, 1.0]), [0, 1]), "B": (Oscillator(1), np.eye(6)[0])},
               ["0", "10"], coupling=V_jc, dps=20, states="matrix")
    assert r.fock_leak["B"] == 0.0  # the proven-invariant truncation holds nothing on top
    rho_a = r.states["A"][1]
    with mpmath.workdps(30):
        # p_e = cos^2(g t) at t = 10, g the binary float 0.05, and the energy printed for it
        want = mpmath.cos(mpmath.mpf(0.05) * 10) ** 2
        assert abs(rho_a[1, 1] - want) < mpmath.mpf(10) ** -19
        assert abs(r.E_A[1] - rho_a[1, 1]) < mpmath.mpf(10) ** -19
