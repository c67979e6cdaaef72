"""Two threads at different precisions at once get every digit of a lone run.

mpmath's ``mp`` (and python-flint's ``ctx``) are process-wide; symthermo's
public functions take turns on :data:`symthermo.precision.PRECISION_LOCK`
and put the precision back as they found it.  The GIL's switch interval is
made tiny so that the threads interleave inside every computation.
"""

import random
import sys
import threading

import mpmath
import numpy as np
import pytest

from symthermo.entropy import mutual_information, von_neumann_entropy
from symthermo.ergotropy import ergotropy, exergy
from symthermo.ledger import ledger
from symthermo.models import get_model
from symthermo.precision import PRECISION_LOCK, decimal_string, precision_held
from symthermo.tables import reference_payload
from symthermo.levels import Oscillator
from symthermo.thermal import entropy_matched_beta

H3 = [[0, 0, 0], [0, 1, 0], [0, 0, "2.5"]]


def _random_states(seed, count):
    """Diagonal 3-level states with exact rational populations."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        weights = [rng.randint(1, 10**6) for _ in range(3)]
        total = sum(weights)
        out.append([[f"{w}/{total}" if i == j else 0 for j in range(3)]
                    for i, w in enumerate(weights)])
    return out


def _work(dps):
    """Strings of every digit of a mixed workload at ``dps``."""
    out = []
    for rho in _random_states(dps, 6):
        out.append(decimal_string(von_neumann_entropy(rho, dps=dps), dps))
        out.append(decimal_string(exergy(rho, H3, dps=dps), dps))
        out.append(decimal_string(ergotropy(rho, H3, dps=dps), dps))
    out.append(decimal_string(entropy_matched_beta([["3/4", 0], [0, "1/4"]], Oscillator(1),
                                                   dps=dps), dps))
    bell = [["1/2", 0, 0, "1/2"], [0, 0, 0, 0], [0, 0, 0, 0], ["1/2", 0, 0, "1/2"]]
    out.append(decimal_string(mutual_information(bell, [2, 2], dps=dps), dps))
    out.append(reference_payload(get_model("refrigerator"), {}, "0,1/2,1", dps=dps)["rows"])
    H = [[0, 0], [0, 1]]
    V = [[0, 0, 0, 0], [0, 0, "1/10", 0], [0, "1/10", 0, 0], [0, 0, 0, 0]]
    rows = ledger({"A": (H, [[0, 0], [0, 1]]), "B": (H, [["1/2", 0], [0, "1/2"]])}, ["3"],
                  coupling=V, dps=dps)
    out.append({k: decimal_string(v, dps) for k, v in rows[0].items()})
    return out


def _float64_work():
    H = np.diag([0.0, 1.0])
    V = 0.1 * np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    rows = ledger({"A": (H, np.diag([0.0, 1.0])), "B": (H, np.diag([0.7, 0.3]))},
                  [0.0, 2.0, 4.0], coupling=V, lindblad=[(0.01, np.kron(np.eye(2), [[0, 1], [0, 0]]))])
    return [dict(r) for r in rows]


@pytest.fixture
def interleaving():
    """Let the GIL switch threads every microsecond."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _run_together(jobs, repeats):
    """Run each job ``repeats`` times in its own thread, all at once; collect results."""
    results = {name: [] for name in jobs}
    errors = []
    start = threading.Barrier(len(jobs))

    def runner(name, job):
        try:
            start.wait()
            for _ in range(repeats):
                results[name].append(job())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"{name}: {exc!r}")

    threads = [threading.Thread(target=runner, args=item) for item in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_precisions_at_once_match_single_threaded_runs(interleaving):
    alone = {20: _work(20), 60: _work(60), "float64": _float64_work()}
    before = (mpmath.mp.prec, mpmath.mp.dps)
    jobs = {20: lambda: _work(20), 60: lambda: _work(60), "float64": _float64_work}
    results, errors = _run_together(jobs, repeats=3)
    assert errors == []
    for name, runs in results.items():
        assert len(runs) == 3
        for run in runs:
            if name == "float64":
                assert run == alone[name]  # the same bits
            else:
                assert run == alone[name], f"dps {name}: digits differ from the lone run"
    assert (mpmath.mp.prec, mpmath.mp.dps) == before


def test_dps60_entropies_keep_their_digits_next_to_dps20(interleaving):
    # each dps-60 entropy against its value at dps 80, computed alone first
    states = _random_states(7, 12)
    truth = [von_neumann_entropy(rho, dps=80) for rho in states]

    def job60():
        return [von_neumann_entropy(rho, dps=60) for rho in states]

    def job20():
        return [von_neumann_entropy(rho, dps=20) for rho in states]

    results, errors = _run_together({60: job60, 20: job20}, repeats=4)
    assert errors == []
    with mpmath.workdps(90):
        for run in results[60]:
            for got, want in zip(run, truth):
                assert abs(got - want) <= abs(want) * mpmath.mpf(10) ** -59
        for run in results[20]:
            for got, want in zip(run, truth):
                assert abs(got - want) <= abs(want) * mpmath.mpf(10) ** -19


def test_global_precision_is_left_as_found():
    mpmath.mp.dps = 25
    try:
        von_neumann_entropy([["1/3", 0], [0, "2/3"]], dps=60)
        exergy([["1/3", 0], [0, "2/3"]], [[0, 0], [0, 1]], dps=40)
        assert mpmath.mp.dps == 25
    finally:
        mpmath.mp.dps = 15


def test_flint_precision_is_left_as_found():
    flint = pytest.importorskip("flint")
    before = flint.ctx.prec
    with precision_held():
        flint.ctx.prec = 300
        mpmath.mp.dps = 90
    assert flint.ctx.prec == before
    assert mpmath.mp.dps == 15


def test_precision_held_restores_after_an_error():
    before = mpmath.mp.prec
    with pytest.raises(ValueError):
        with precision_held():
            mpmath.mp.prec = 500
            raise ValueError("boom")
    assert mpmath.mp.prec == before
    # and the lock is free again: another thread can take it
    taken = []

    def take():
        got = PRECISION_LOCK.acquire(timeout=5)
        taken.append(got)
        if got:
            PRECISION_LOCK.release()

    t = threading.Thread(target=take)
    t.start()
    t.join()
    assert taken == [True]


def _derive_work():
    from symthermo.derive import derive_output

    return derive_output(get_model("exchange"), ["g=1/100"], "json")


def _verify_work():
    from symthermo.verify import run_checks

    return run_checks("EL23", equations=["5", "S23", "S37"])


def _reference_work(dps):
    return reference_payload(get_model("jaynes-cummings"), {"state_A": "plus"}, "0,1/3,7",
                             dps=dps)["rows"]


def test_derive_verify_and_reference_at_once_match_lone_runs(interleaving):
    alone = {"derive": _derive_work(), "verify": _verify_work(),
             25: _reference_work(25), 70: _reference_work(70)}
    jobs = {"derive": _derive_work, "verify": _verify_work,
            25: lambda: _reference_work(25), 70: lambda: _reference_work(70)}
    results, errors = _run_together(jobs, repeats=2)
    assert errors == []
    for name, runs in results.items():
        assert runs == [alone[name]] * 2, f"{name}: differs from the lone run"


@pytest.mark.parametrize("entry", ["derive", "figure", "verify"])
def test_public_entries_hold_the_precision_lock(entry, monkeypatch):
    """derive, figures and verify compute with SymPy numbers (evalf sets mpmath's
    precision) and mpmath: the lock is held inside them."""
    import symthermo.derive as derive_module
    import symthermo.figures as figures
    import symthermo.verify.context as context

    held = []

    def probe(original):
        def inner(*args, **kwargs):
            held.append(PRECISION_LOCK._is_owned())
            return original(*args, **kwargs)
        return inner

    if entry == "derive":
        monkeypatch.setattr(derive_module, "entropy_expression",
                            probe(derive_module.entropy_expression))
        derive_module.derive_output(get_model("exchange"), [], "text")
    elif entry == "figure":
        monkeypatch.setattr(figures, "_rows", probe(figures._rows))
        figures.figure_data(figures.figure_names()[0], n_points=5)
    else:
        monkeypatch.setattr(context, "Context", probe(context.Context))
        from symthermo.verify import run_checks

        run_checks("EL23", equations=["5"])
    assert held and all(held), held
