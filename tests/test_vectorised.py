"""The vectorised float64 route (Model.reduced_arrays, finished with numpy for all
times at once) against the per-row float64 route, for every model.

Both routes evaluate the same closed forms in float64; they differ only in the
order of floating-point operations (numpy against math, sums regrouped), so
they agree to rounding: 1e-13 relative (with values near 0 on the scale of
their own key, below 1e-3 of its largest value, compared on that scale) or a
few units of 1e-16 of the model's energy scale for keys that are differences
of nearly equal energies (ergotropy and exergy of passive states, works).
"""

import math

import numpy as np
import pytest
import sympy

from symthermo.errors import DegenerateGroundError
from symthermo.models import get_model
from symthermo.models.float64_columns import ColumnRows
from symthermo.numbers import FLOAT64
from symthermo.beta_from_entropy import beta_for_entropy
from symthermo.levels import Oscillator, levels_of
from symthermo.thermal_arrays import beta_for_entropy_array, thermal_mean_array
from symthermo.thermal_functions import _thermal_moments

RTOL = 1e-13
ATOL = 2e-15  # times the model's energy scale


def _times(t_max, n=29, extra=()):
    return [0.0] + [float(x) for x in np.linspace(0.0, t_max, n)[1:]] + list(extra)


CASES = [
    ("refrigerator", {}, _times(3 * math.pi / math.sqrt(1 + 0.63**2))),
    ("refrigerator", {"omega_B": "1", "g": "0.5"}, _times(20.0)),
    ("refrigerator", {"omega_B": "2.5", "g": "0.3", "beta_A": "0.7", "beta_B": "3"},
     _times(30.0)),
    ("spontaneous-emission", {}, _times(500.0, extra=(100 * math.log(2),))),
    ("spontaneous-emission", {"gamma": "0.3", "omega": "2"}, _times(30.0)),
    ("reaction-coordinate", {"kappa": "0.8*lam"}, _times(2 * math.pi / 0.01)),
    ("reaction-coordinate", {"kappa": "0.05"}, _times(2000.0)),
    ("reaction-coordinate", {"omega_rc": "1.2", "kappa": "0.01"}, _times(1000.0)),
    ("reaction-coordinate", {"state_A": "mixed"}, _times(1000.0)),
    ("reaction-coordinate", {"kappa": "0"}, _times(600.0)),
    ("jaynes-cummings", {}, _times(math.pi / 0.01, extra=(math.pi / 0.02,))),
    ("jaynes-cummings", {"state_A": "mixed"}, _times(math.pi / 0.01)),
    ("jaynes-cummings", {"omega_A": "1.3", "g": "0.1", "state_A": "plus"}, _times(60.0)),
    # coherent field: equally spaced times (the grid route of the manifold sums) ...
    ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "4"},
     _times(300.0, n=40)),
    ("jaynes-cummings", {"state_A": "plus", "state_B": "coherent", "alpha": "2",
                         "omega_A": "1.2"}, _times(300.0, n=20)),
    # ... and not equally spaced (the direct route), mixed (Gram matrix), vacuum alpha = 0
    ("jaynes-cummings", {"state_A": "excited", "state_B": "coherent", "alpha": "3"},
     _times(500.0, extra=(math.pi / 0.02, 0.0))),
    ("jaynes-cummings", {"state_A": "mixed", "state_B": "coherent", "alpha": "2"},
     _times(300.0, n=12)),
    ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "0"},
     _times(300.0, n=10)),
    ("exchange", {}, _times(math.pi / 0.01, extra=(math.pi / 0.02,))),
    ("exchange", {"state_A": "plus", "state_B": "mixed", "omega_B": "1.4", "g": "0.2"},
     _times(50.0)),
    ("exchange", {"state_A": "mixed", "state_B": "excited"}, _times(200.0)),
    ("qutrit-swap", {}, _times(math.pi, extra=(math.pi / 2,))),
    ("qutrit-swap", {"beta_1": "2", "beta_2": "0.1", "g": "0.4"}, _times(10.0)),
]


def _assert_rows_agree(fast, slow, where):
    assert len(fast) == len(slow)
    assert [list(r) for r in fast] == [list(r) for r in slow], f"{where}: keys or their order"
    energies = [abs(r[k]) for r in slow for k in r if k.startswith("E_") and math.isfinite(r[k])]
    scale = max([1.0] + energies)
    for key in slow[0]:
        ref = [r[key] for r in slow]
        got = [r[key] for r in fast]
        finite = [abs(x) for x in ref if math.isfinite(x)]
        floor = 1e-3 * max(finite) if finite else 0.0
        for i, (x, y) in enumerate(zip(got, ref)):
            assert type(x) is type(y), f"{where} {key}[{i}]: {type(x)} vs {type(y)}"
            if math.isinf(y) or math.isinf(x):
                assert x == y, f"{where} {key}[{i}]: {x} vs {y}"
                continue
            tol = RTOL * max(abs(y), floor) + ATOL * scale
            assert abs(x - y) <= tol, f"{where} {key}[{i}] (t = {ref and slow[i]['t']}): {x} vs {y}"


@pytest.mark.parametrize("name,given,times", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_vectorised_equals_per_row(name, given, times, per_row):
    model = get_model(name)
    p = model.params(given)
    for convention in ("received", "provided"):
        fast = model.evaluate(p, times, lib=FLOAT64, convention=convention)
        assert isinstance(fast, ColumnRows), f"{name} has no vectorised route"
        slow = per_row(model, p, times, lib=FLOAT64, convention=convention)
        assert isinstance(slow, list)
        _assert_rows_agree(fast, slow, f"{name} {given} {convention}")


@pytest.mark.parametrize("name,given,times", CASES[::3],
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES[::3])])
def test_times_as_a_numpy_array_give_the_same_rows(name, given, times):
    """A float64 array of times (the benchmark's input, no list conversion) gives the
    rows a list of the same floats gives, every value identical, t as Python floats."""
    model = get_model(name)
    p = model.params(given)
    from_list = model.evaluate(p, times, lib=FLOAT64)
    from_array = model.evaluate(p, np.array(times), lib=FLOAT64)
    assert [list(r.items()) for r in from_array] == [list(r.items()) for r in from_list]
    assert all(type(r["t"]) is float for r in from_array)
    assert np.array_equal(from_array.column("t") if isinstance(from_array, ColumnRows)
                          else np.array([r["t"] for r in from_array]), np.array(times))


@pytest.mark.parametrize("name,given", [
    ("refrigerator", {}), ("spontaneous-emission", {}), ("reaction-coordinate", {}),
    ("jaynes-cummings", {}), ("jaynes-cummings", {"state_B": "coherent", "alpha": "3"}),
    ("exchange", {}), ("qutrit-swap", {})])
def test_second_call_compiles_nothing(name, given, monkeypatch):
    """The closed forms are derived and compiled once per parameter set: a second
    evaluation neither lambdifies nor evaluates SymPy numbers."""
    model = get_model(name)
    p = model.params(given)
    times = _times(50.0, n=20)
    first = model.evaluate(p, times, lib=FLOAT64)

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(sympy, "lambdify", refuse)
    monkeypatch.setattr(sympy, "N", refuse)
    monkeypatch.setattr(sympy.core.evalf.EvalfMixin, "evalf", refuse)
    second = model.evaluate(p, times, lib=FLOAT64)
    assert second == first


def test_column_rows_behave_as_the_list_of_rows():
    model = get_model("refrigerator")
    p = model.params({})
    times = [0.0, 0.5, 1.0]
    rows = model.evaluate(p, times, lib=FLOAT64)
    assert isinstance(rows, ColumnRows)
    column = rows.column("E_A")
    assert isinstance(column, np.ndarray) and column.shape == (3,)
    assert len(rows) == 3 and rows[-1]["t"] == 1.0 and rows[1:][0]["t"] == 0.5
    assert all(isinstance(v, float) for v in rows[1].values())
    assert column.tolist() == [r["E_A"] for r in rows]
    rows[1]["E_A"] = 123.0  # a change to a row sticks, as in a list of dicts
    assert rows[1]["E_A"] == 123.0 and rows.column("E_A")[1] == 123.0
    assert rows == [dict(r) for r in rows]
    provided = model.evaluate(p, times, lib=FLOAT64, convention="provided")
    received = model.evaluate(p, times, lib=FLOAT64)
    assert [r["Q_A"] for r in provided] == [-r["Q_A"] for r in received]


def test_models_without_the_hook_keep_the_per_row_route(per_row):
    from symthermo.models.base import Model
    from symthermo.models.refrigerator import Refrigerator

    class NoHook(Refrigerator):
        reduced_arrays = Model.reduced_arrays

    class Declines(Refrigerator):
        def reduced_arrays(self, p, times):
            return None

    reference = get_model("refrigerator")
    p = reference.params({})
    expected = per_row(reference, p, [0.0, 1.0], lib=FLOAT64, convention="received")
    for model in (NoHook(), Declines()):
        rows = model.evaluate(p, [0.0, 1.0], lib=FLOAT64)
        assert isinstance(rows, list) and rows == expected
    assert reference.evaluate(p, [], lib=FLOAT64) == []


# -- the vectorised beta solver -------------------------------------------------------

@pytest.mark.parametrize("omega", [1.0, 0.37, 3.0])
def test_oscillator_beta_array_matches_scalar_solver(omega):
    entropies = np.concatenate([10.0 ** np.linspace(-100, 0.5, 120), np.linspace(0.01, 3, 60),
                                [0.0]])
    got = beta_for_entropy_array(Oscillator(omega), entropies)
    for s, b in zip(entropies, got):
        ref = beta_for_entropy(FLOAT64, Oscillator(omega), float(s))
        if math.isinf(ref):
            assert b == ref
        else:
            assert abs(b - ref) <= 1e-14 * ref, (s, b, ref)


def test_oscillator_beta_array_far_out():
    """Beyond the scalar solver's float64 range (it overflows below S ~ 1e-110) the
    array solver still returns the beta whose analytic entropy is S."""
    entropies = np.array([1e-150, 1e-250, 1e-300, 20.0, 30.0])
    beta = beta_for_entropy_array(Oscillator(1.0), entropies)
    import mpmath

    with mpmath.workdps(40):
        for s, b in zip(entropies, beta):
            x = mpmath.mpf(float(b))
            n = 1 / mpmath.expm1(x)
            s_of_beta = (n + 1) * mpmath.log1p(n) - n * mpmath.log(n)
            assert abs(s_of_beta / mpmath.mpf(float(s)) - 1) < 1e-13


@pytest.mark.parametrize("diag", [[0.0, 1.0, 2.3], [0.0, 0.0, 1.0, 2.0], [-1.0, 0.5, 0.7, 3.0],
                                  [0.0, 1.0]])
def test_levels_beta_array_matches_scalar_solver(diag):
    levels = levels_of(np.diag(diag), FLOAT64)
    s_max, s_min = math.log(len(diag)), math.log(levels.ground_degeneracy)
    entropies = np.concatenate([s_min + 10.0 ** np.linspace(-60, -0.01, 40) * (s_max - s_min),
                                np.linspace(s_min, s_max, 25)])
    got = beta_for_entropy_array(levels, entropies)
    ref = np.array([beta_for_entropy(FLOAT64, levels, float(s)) for s in entropies])
    finite = np.isfinite(ref) & (ref > 0)
    assert np.array_equal(got[~finite], ref[~finite])
    assert np.all(np.abs(got[finite] - ref[finite]) <= 1e-14 * ref[finite])


def test_beta_array_refuses_what_the_scalar_solver_refuses():
    levels = levels_of(np.diag([0.0, 0.0, 1.0]), FLOAT64)
    with pytest.raises(DegenerateGroundError):
        beta_for_entropy_array(levels, np.array([0.5, 0.1]))  # below ln 2
    with pytest.raises(ValueError):
        beta_for_entropy_array(levels, np.array([0.5, 1.2]))  # above ln 3
    flat = levels_of(np.eye(3), FLOAT64)
    assert beta_for_entropy_array(flat, np.array([math.log(3)] * 2)).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError):
        beta_for_entropy_array(flat, np.array([0.5]))
    two = levels_of(np.diag([0.0, 1.0]), FLOAT64)
    assert beta_for_entropy_array(two, np.array([math.log(2), 0.0])).tolist() == [0.0, math.inf]


@pytest.mark.parametrize("H", [Oscillator(1.3), np.diag([0.0, 1.0, 2.3]), np.diag([0.0, 0.0, 1.5])])
def test_thermal_mean_array_matches_the_scalar_moments(H):
    levels = levels_of(H, FLOAT64)
    betas = np.array([0.0 if not isinstance(H, Oscillator) else 0.1, 0.3, 2.0, 40.0, math.inf])
    got = thermal_mean_array(levels, betas)
    for b, x in zip(betas, got):
        ref, _, _ = _thermal_moments(FLOAT64, levels, float(b))
        assert abs(x - ref) <= 1e-15 * max(abs(ref), 1e-300) or x == ref
