"""Shared test set-up: no test may leak mpmath precision."""

import mpmath
import pytest


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    before = mpmath.mp.prec
    yield
    leaked = mpmath.mp.prec
    mpmath.mp.prec = before
    assert leaked == before, f"mpmath precision leaked: {before} -> {leaked} bits"


@pytest.fixture(autouse=True, scope="session")
def _private_compiled_cache(tmp_path_factory):
    """The compiled-forms cache of the test run lives in a temporary directory,
    not in the user's ~/.cache (tests that need their own set SYMTHERMO_CACHE)."""
    import os

    before = os.environ.get("SYMTHERMO_CACHE")
    os.environ["SYMTHERMO_CACHE"] = str(tmp_path_factory.mktemp("symthermo-cache"))
    yield
    if before is None:
        os.environ.pop("SYMTHERMO_CACHE", None)
    else:
        os.environ["SYMTHERMO_CACHE"] = before


# -- tests that draw need matplotlib (the 'plot' extra): skipped, with the reason, without it

_NO_MATPLOTLIB = "needs matplotlib (the plot extra): pip install 'symthermo[plot]'"


def pytest_configure(config):
    config.addinivalue_line("markers", f"matplotlib: {_NO_MATPLOTLIB}; skipped without it")


def pytest_collection_modifyitems(config, items):
    import importlib.util

    if importlib.util.find_spec("matplotlib") is not None:
        return
    skip = pytest.mark.skip(reason=_NO_MATPLOTLIB)
    for item in items:
        if item.get_closest_marker("matplotlib") is not None:
            item.add_marker(skip)


# -- the serial reference sweep that the executor tests (process pool, Dask) compare with

@pytest.fixture(scope="session")
def serial_sweep(tmp_path_factory):
    """A small refrigerator map run serially: its settings (``grid``, ``times``,
    ``reduce``), the file it wrote (``text``) and its result (``result``)."""
    from types import SimpleNamespace

    from symthermo.sweep import sweep

    ref = SimpleNamespace(grid={"beta_B": "1:2.5:4", "omega_B": [1.2, 1.63]}, times="0:8:17",
                          reduce=["cool=max:-Q_A", "cop_over_carnot=cop/carnot@max:-Q_A",
                                  "first:-Q_A>0"])
    out = tmp_path_factory.mktemp("serial") / "map.csv"
    ref.result = sweep("refrigerator", ref.grid, ref.times, float64=True, reduce=ref.reduce,
                       workers=1, out=out)
    assert ref.result.done == 8 and ref.result.failed == 0
    ref.text = out.read_text()
    return ref


@pytest.fixture
def compiled_cache(tmp_path, monkeypatch):
    """A private, empty compiled-forms cache directory and an empty in-memory layer."""
    from symthermo import compiled

    directory = tmp_path / "cache"
    monkeypatch.setenv("SYMTHERMO_CACHE", str(directory))
    monkeypatch.setattr(compiled, "_MEMORY", {})
    return directory


@pytest.fixture
def per_row():
    """``per_row(model, p, times, **kwargs)``: ``model.evaluate`` on the per-row route
    (the model's vectorised float64 columns switched off for the call)."""
    def evaluate(model, p, times, **kwargs):
        model.vectorised = False
        try:
            return model.evaluate(p, times, **kwargs)
        finally:
            model.vectorised = True

    return evaluate


@pytest.fixture
def correct_digits():
    """``correct_digits(printed, certified)``: how many significant digits of a printed
    value agree with the certified string (99 when equal; the midpoint of a printed
    ``m +/- r``; infinities and zeros must match exactly, else 0)."""
    import math

    from mpmath import mp, mpf

    def digits(printed, certified):
        if printed in ("inf", "-inf") or certified in ("inf", "-inf"):
            return 99 if printed == certified else 0
        with mp.workdps(60):
            x, ref = mpf(printed.split(" +/- ")[0]), mpf(certified)
            if ref == 0:
                return 99 if x == 0 else 0
            rel = abs(x - ref) / abs(ref)
            return 99 if rel == 0 else -math.log10(float(rel))

    return digits


@pytest.fixture
def float64_digits_hold(correct_digits):
    """``float64_digits_hold(model, params, times, least=10, **kw)``: every value that
    ``reference --float64`` prints (``kw`` such as ``method="propagator"``; bounds aside)
    has at least ``least`` correct digits against the certified route at 30 digits;
    returns the float64 payload."""
    from symthermo.models import get_model
    from symthermo.tables import reference_payload

    def check(model, params, times, least=10, **kw):
        m = get_model(model)
        got = reference_payload(m, params, times, float64=True, **kw)
        truth = reference_payload(m, params, times, dps=30, errors=False)["rows"]
        for row, want in zip(got["rows"], truth):
            for key, text in row.items():
                if key == "t" or key not in want or " +/- " in text or " +/- " in want[key]:
                    continue
                assert correct_digits(text, want[key]) >= least, (row["t"], key, text,
                                                                  want[key])
        return got

    return check


@pytest.fixture
def float64_and_balls(per_row):
    """``float64_and_balls(name, given, times)``: the model's float64 rows on the
    vectorised and on the per-row route, and the certified rows (dps 15, strings) at
    the same float times."""
    def evaluate(name, given, times):
        from symthermo.models import get_model
        from symthermo.numbers import FLOAT64
        from symthermo.tables import reference_payload

        model = get_model(name)
        p = model.params(given)
        fast = model.evaluate(p, times, lib=FLOAT64)
        slow = per_row(model, p, times, lib=FLOAT64)
        balls = reference_payload(model, [f"{k}={v}" for k, v in given.items()],
                                  ",".join(repr(t) for t in times), dps=15)["rows"]
        return fast, slow, balls

    return evaluate
