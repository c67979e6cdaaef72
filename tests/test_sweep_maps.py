"""The refrigerator map: float64 constants against the certified route, the second
law on a coarse map, the reproduce function on a small grid, and plot-sweep."""

import math
import random

import numpy as np
import pytest

from symthermo import sweep_maps
from symthermo.cli import main
from symthermo.models import get_model
from symthermo.models.refrigerator import _float64_constants
from symthermo.sweep import sweep
from symthermo.sweep_plot import _paper_point, sweep_table
from symthermo.tables import reference_payload

KEYS = ["E_A", "E_B", "Q_A", "Q_B", "W_A", "W_B", "E_int", "z_A", "z_B", "S_A", "I_AB"]


def _points(n, seed=7):
    rng = random.Random(seed)
    out = [{"omega_A": "1.3", "omega_B": "1.3", "g": "0.7", "beta_A": "2", "beta_B": "1.8"},
           {"omega_A": "1", "omega_B": "1.6", "g": "0.5", "beta_A": "1.6", "beta_B": "1"}]
    for _ in range(n):
        out.append({k: f"{rng.uniform(lo, hi):.4f}" for k, (lo, hi) in
                    {"omega_A": (0.2, 3), "omega_B": (0.2, 3), "g": (0.05, 2),
                     "beta_A": (0.1, 4), "beta_B": (0.1, 4)}.items()})
    return out


class TestFloat64Constants:
    def test_structural_zeros(self):
        m = get_model("refrigerator")
        # layout: Omega, lambda, then (value at 0, c_Omega, c_lambda) for z_A, z_B, E_int
        resonant = _float64_constants(m.params({"omega_B": "1", "g": "0.3"}))
        assert resonant[2 + 6 + 1] == 0.0  # E_int's cos(Omega t) term has omega_A - omega_B
        assert resonant[0] == pytest.approx(0.3, rel=1e-15)
        same_tau = _float64_constants(m.params({"omega_B": "2", "beta_A": "2", "beta_B": "1"}))
        assert same_tau[2 + 2] == 0.0 and same_tau[2 + 5] == 0.0 and same_tau[2 + 8] == 0.0

    def test_float64_rows_agree_with_30_certified_digits(self):
        m = get_model("refrigerator")
        times = "0,0.7,3,11.5"
        points = _points(6)
        fast = sweep("refrigerator", points, times, float64=True, keys=KEYS, workers=1).rows
        for k, point in enumerate(points):
            ref = reference_payload(m, point, times, dps=30)["rows"]
            for row, exact in zip(fast[4 * k: 4 * k + 4], ref):
                for key in KEYS:
                    a, b = float(row[key]), float(exact[key])
                    assert abs(a - b) <= 1e-13 * max(1.0, abs(b)), (point, row["t"], key, a, b)


def test_cop_never_beats_carnot_where_a_is_cooled():
    result = sweep("refrigerator", {"beta_B": "0.1:1.95:8", "omega_B": "1:3:8"}, "0:9.9:100",
                   float64=True, workers=1, reduce=["cooling=max:-Q_A", "r=cop/carnot@max:-Q_A"])
    cooled = [r for r in result.rows if float(r["cooling"]) > 0]
    assert 10 < len(cooled) < len(result.rows)
    ratios = [float(r["r"]) for r in cooled]
    assert all(0 < x <= 1 for x in ratios), ratios


def test_refrigerator_map_on_a_small_grid(tmp_path, monkeypatch):
    monkeypatch.setitem(sweep_maps.REFRIGERATOR_MAP, "grid",
                        {"beta_B": "1.6:1.8:3", "omega_B": "1.55:1.65:3"})
    monkeypatch.setattr(sweep_maps, "_CHECKS", [{"beta_B": "1.8", "omega_B": "1.65"}])
    messages = []
    paths = sweep_maps.refrigerator_map(tmp_path, progress=messages.append, workers=1)
    names = [p.name for p in paths]
    assert names[:3] == ["refrigerator_map.csv", "refrigerator_map_certified.csv",
                         "refrigerator_map_checks.csv"]
    checks = (tmp_path / "refrigerator_map_checks.csv").read_text().splitlines()
    assert len(checks) == 1 + 5
    assert all(float(line.rsplit(",", 1)[1]) < 1e-10 for line in checks[1:])
    assert messages[-1].endswith("9/9 parameter sets")
    if "refrigerator_map.png" in names:
        assert (tmp_path / "refrigerator_map.png").stat().st_size > 10_000
    # run again: everything is already there
    again = sweep_maps.refrigerator_map(tmp_path, workers=1)
    assert again == paths


class TestPlotSweep:
    @pytest.fixture(scope="class")
    @classmethod
    def data(cls, tmp_path_factory):
        out = tmp_path_factory.mktemp("plot") / "map.csv"
        sweep("refrigerator", {"beta_B": "1:2.2:4", "omega_B": "log:1:4:3"}, "0:8:9",
              float64=True, workers=1, out=out,
              reduce=["cool=max:-Q_A", "r=cop/carnot@max:-Q_A"])
        return out

    def test_table(self, data):
        xs, ys, Z, meta = sweep_table(data, x="beta_B", y="omega_B", z="cool")
        assert list(xs) == [1, 1.4, 1.8, 2.2] and list(ys) == [1, 2, 4]
        result = sweep("refrigerator", {"beta_B": [2.2], "omega_B": [2]}, "0:8:9",
                       float64=True, workers=1, reduce=["cool=max:-Q_A"])
        assert Z[1, 3] == float(result.rows[0]["cool"])
        assert meta["settings"]["model"] == "refrigerator"

    def test_paper_point(self, data):
        xs, ys, Z, meta = sweep_table(data, x="beta_B", y="omega_B", z="cool")
        assert _paper_point(meta, "beta_B", "omega_B", []) == (1.8, 1.63)
        changed = dict(meta, settings=dict(meta["settings"], params={"g": "0.5"}))
        assert _paper_point(changed, "beta_B", "omega_B", []) is None

    def test_draws(self, data, tmp_path, capsys):
        pytest.importorskip("matplotlib", reason="plot-sweep needs matplotlib")
        image = tmp_path / "m.png"
        assert main(["plot-sweep", str(data), "--x", "beta_B", "--y", "omega_B", "--z", "r",
                     "--out", str(image)]) == 0
        assert capsys.readouterr().out == f"{image}\n"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 10_000

    @pytest.mark.parametrize("args, message", [
        (["--z", "nope"], "no column 'nope'"), (["--z", "r", "--at", "g=1"], "no column 'g'"),
        (["--z", "r", "--at", "beta_B=7"], "no row has beta_B = 7")])
    def test_bad_input(self, data, capsys, args, message):
        assert main(["plot-sweep", str(data), "--x", "beta_B", "--y", "omega_B", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and message in err and err.count("\n") == 1

    def test_several_rows_per_cell(self, tmp_path, capsys):
        out = tmp_path / "rows.csv"
        sweep("exchange", {"g": [0.01, 0.02], "omega_B": [1, 2]}, "0,1", float64=True,
              workers=1, out=out, keys=["Q_A"])
        assert main(["plot-sweep", str(out), "--x", "g", "--y", "omega_B", "--z", "Q_A"]) == 2
        assert "--at" in capsys.readouterr().err
        xs, ys, Z, _ = sweep_table(out, x="g", y="omega_B", z="Q_A", at=["t=1"])
        assert Z.shape == (2, 2) and not np.isnan(Z).any() and math.isfinite(Z.sum())
