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
