"""The papers' figures: every one renders, plots its model's numbers, in its paper's signs.

The expected values are computed here from the models directly (their
``evaluate`` at the plotted times, with the paper's parameters written out
in this file), never from the figure module's own registry, so a wrong
parameter, sign, time axis or key in the registry makes a test fail.
"""

import json
import os
import math

import numpy as np
import pytest

from symthermo import figures
from symthermo.figures import (FIGURES, ModelUnavailableError, figure_names, make_figure,
                               plot_all, plot_figure)
from symthermo.models import get_model
from symthermo.numbers import FLOAT64

#: the figures of the two papers that show the thermodynamic ledger
EXPECTED = (["EL23-2a", "EL23-2b"]
            + [f"SL26-{n}{p}" for n in (1, 2, 3, 4, 5) for p in "ab"] + ["SL26-6"]
            + ["SL26-7a", "SL26-7b", "SL26-8"]
            + [f"SL26-{n}{p}" for n in (9, 10, 11, 12, 13) for p in "ab"])

N_FAST = 24  # time points per figure in the render test


def _available(model):
    try:
        get_model(model)
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def plt():
    matplotlib = pytest.importorskip("matplotlib", reason="figures need matplotlib (plot extra)")

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def _lines(fig):
    """Labelled curves of the main axes: label -> (x, y)."""
    ax = fig.axes[0]
    return {ln.get_label(): (np.asarray(ln.get_xdata(), float), np.asarray(ln.get_ydata(), float))
            for ln in ax.get_lines() if not ln.get_label().startswith("_")}


# -- registry ---------------------------------------------------------------------------


def test_registry_holds_every_figure_of_both_papers():
    assert figure_names() == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_registry_signs_and_units_follow_the_source_paper(name):
    spec = FIGURES[name]
    assert spec.convention == ("received" if name.startswith("EL23") else "provided")
    assert spec.paper == name.split("-")[0]
    assert json.loads(json.dumps(spec.as_dict()))["model"] == spec.model
    assert "symthermo" in spec.source and spec.route in spec.source


def test_unknown_figure_is_a_value_error_listing_the_known_ones(tmp_path):
    with pytest.raises(ValueError) as err:
        plot_figure("SL26-99", tmp_path)
    message = str(err.value)
    assert "SL26-99" in message
    for name in ("EL23-2a", "SL26-1a", "SL26-6", "SL26-13b"):
        assert name in message
    assert not list(tmp_path.iterdir())


# -- rendering ---------------------------------------------------------------------------


@pytest.mark.matplotlib
@pytest.mark.parametrize("name", EXPECTED)
def test_every_figure_renders_to_png_and_pdf(name, tmp_path):
    spec = FIGURES[name]
    if not _available(spec.model):
        with pytest.raises(ModelUnavailableError, match=f"model {spec.model} not available"):
            plot_figure(name, tmp_path, n_points=N_FAST)
        return
    paths = plot_figure(name, tmp_path, n_points=N_FAST)
    assert sorted(paths) == sorted([str(tmp_path / f"{name}.png"), str(tmp_path / f"{name}.pdf")])
    png, pdf = (tmp_path / f"{name}.png").read_bytes(), (tmp_path / f"{name}.pdf").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert pdf.startswith(b"%PDF") and b"symthermo" in pdf

    from PIL import Image

    with Image.open(tmp_path / f"{name}.png") as im:
        assert im.size[0] >= 900  # a readable resolution
        assert "closed form" in im.text["Source"] or "propagator" in im.text["Source"]
        assert spec.model in im.text["Source"]


@pytest.mark.matplotlib
def test_figure_notes_its_source_on_the_canvas(plt):
    fig = make_figure("SL26-2a", n_points=N_FAST)
    texts = " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)
    assert "symthermo" in texts and "closed form" in texts and "jaynes-cummings" in texts
    assert "provided" in texts


@pytest.mark.matplotlib
def test_missing_model_gives_a_clear_error_and_plot_all_can_skip_it(tmp_path, monkeypatch):
    from dataclasses import replace

    import symthermo.models as models

    monkeypatch.setitem(models._REGISTRY, "phantom", "symthermo.models.phantom:Phantom")
    ghost = replace(FIGURES["SL26-8"], name="GHOST-1", model="phantom")
    monkeypatch.setitem(FIGURES, "GHOST-1", ghost)
    with pytest.raises(ModelUnavailableError, match="model phantom not available"):
        plot_figure("GHOST-1", tmp_path)
    with pytest.raises(ModelUnavailableError):
        plot_all(tmp_path, names=["GHOST-1"])
    seen = []
    written = plot_all(tmp_path, lambda n, p, s: seen.append((n, p, s)),
                       names=["GHOST-1", "SL26-8"], n_points=N_FAST, skip_unavailable=True)
    assert [n for n, _, _ in seen] == ["GHOST-1", "SL26-8"]
    assert seen[0][1] is None and len(seen[1][1]) == 2 and seen[1][2] >= 0
    assert written == seen[1][1]


# -- the plotted numbers are the model's ---------------------------------------------------

OMEGA_EL23 = math.sqrt(1 + (1.63 - 1) ** 2)  # Omega = sqrt(g^2 + (omega_B - omega_A)^2)


def _delta(key):
    return lambda rows, r0: [r[key] - r0[key] for r in rows]


def _plain(key, sign=1):
    return lambda rows, r0: [sign * r[key] for r in rows]


#: figure -> (model, params, convention, rate (x = rate t), energy unit, {label: values})
CASES = {
    "EL23-2a": ("refrigerator", {}, "received", OMEGA_EL23, 1.0, {
        r"$-Q_A$ (heat leaving A)": _plain("Q_A", -1),
        r"$-W_B$ (work provided by B)": _plain("W_B", -1),
        r"$E_{\rm int}$": _plain("E_int")}),
    "EL23-2b": ("refrigerator", {}, "received", OMEGA_EL23, 1.0, {
        r"$\eta(t)$": _plain("cop"), r"$\eta_{\rm Carnot}$": _plain("carnot")}),
    "SL26-1a": ("jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "30"},
                "provided", 0.01, 1.0, {
                    r"$\Delta U_A$": _delta("E_A"), "$Q_A$": _plain("Q_A"),
                    "$W_A$": _plain("W_A")}),
    "SL26-2b": ("jaynes-cummings", {"state_A": "excited"}, "provided", 0.01, 1.0, {
        r"$\Delta U_B$": _delta("E_B"), "$Q_B$": _plain("Q_B"), "$W_B$": _plain("W_B")}),
    "SL26-5a": ("exchange", {"state_A": "excited", "state_B": "ground"}, "provided", 0.01, 1.0, {
        r"$\Delta U_A$": _delta("E_A"), "$Q_A$": _plain("Q_A"), "$W_A$": _plain("W_A")}),
    "SL26-6": ("exchange", {"state_A": "excited", "state_B": "ground"}, "provided", 0.01, 1.0, {
        r"$I_{AB}$": _plain("I_AB")}),
    "SL26-8": ("spontaneous-emission", {"gamma": "0.01"}, "provided", 0.01, 1.0, {
        r"$\Delta U_A$": _delta("E_A"), "$Q_A$": _plain("Q_A"), "$W_A$": _plain("W_A")}),
    "SL26-9b": ("reaction-coordinate", {"kappa": "0.008", "lam": "0.01"}, "provided", 0.01, 1.0,
                {r"$\Delta U_B$": _delta("E_B"), "$Q_B$": _plain("Q_B"),
                 "$W_B$": _plain("W_B")}),
}


@pytest.mark.matplotlib
@pytest.mark.parametrize("name", list(CASES))
def test_plotted_lines_are_the_models_evaluate_output(name, plt):
    model_name, given, convention, rate, unit, expected = CASES[name]
    if not _available(model_name):
        pytest.skip(f"model {model_name} not available yet")
    n = 31
    fig = make_figure(name, n_points=n)
    lines = _lines(fig)
    plt.close(fig)
    assert set(lines) == set(expected), f"{name}: plotted {sorted(lines)}"
    xs = {tuple(x) for x, _ in lines.values()}
    assert len(xs) == 1
    x = np.array(xs.pop())
    assert len(x) == n and x[0] == 0.0
    model = get_model(model_name)
    p = model.params(given)
    times = [float(v) / rate for v in x]
    rows = model.evaluate(p, times, lib=FLOAT64, convention=convention)
    row0 = model.evaluate(p, [0.0], lib=FLOAT64, convention=convention)[0]
    for label, values in expected.items():
        want = np.array([float(v) for v in values(rows, row0)]) / unit
        got = lines[label][1]
        finite = np.isfinite(want)
        assert np.array_equal(finite, np.isfinite(got)), label
        np.testing.assert_allclose(got[finite], want[finite], rtol=1e-9, atol=1e-12,
                                   err_msg=f"{name}: {label}")


def test_time_axis_is_the_papers():
    # SL26 Figs. 2-7 end at g t = pi/2, 10-11 at pi, EL23 is in units of Omega
    for name, end in (("SL26-2a", math.pi / 2), ("SL26-4b", math.pi / 2),
                      ("SL26-10a", math.pi), ("SL26-11b", math.pi)):
        data = figures.figure_data(name, n_points=5)
        assert data["x"][-1] == pytest.approx(end, rel=1e-15)
        assert data["t"][-1] == pytest.approx(end / 0.01, rel=1e-12)
    data = figures.figure_data("EL23-2a", n_points=5)
    assert np.allclose(data["x"], OMEGA_EL23 * data["t"], rtol=1e-14)


# -- the paper's sign convention -----------------------------------------------------------


def _curve(name, label, n):
    fig = make_figure(name, n_points=n)
    x, y = _lines(fig)[label]
    import matplotlib.pyplot as plt

    plt.close(fig)
    return x, y


@pytest.mark.matplotlib
def test_sl26_fig8_work_is_provided_before_ln2_over_gamma():
    x, w = _curve("SL26-8", "$W_A$", 101)
    _, q = _curve("SL26-8", "$Q_A$", 101)
    early = (x > 0) & (x < math.log(2))
    assert early.sum() > 5
    assert np.all(w[early] > 0)  # work provided by the qubit (SL26 Eq. 40)
    assert np.all(q[early] < 0)  # heat absorbed from the bath (SL26 Eq. 39)
    late = x > math.log(2) + 1e-9
    assert np.allclose(w[late], 1.0, atol=1e-12)  # no work after tau: W stays omega
    assert np.all(np.diff(w[early]) > 0)


@pytest.mark.matplotlib
def test_sl26_fig2a_qubit_provides_work_until_quarter_period_then_none():
    x, w = _curve("SL26-2a", "$W_A$", 121)
    before = (x > 0) & (x < math.pi / 4)
    after = x > math.pi / 4 + 1e-9
    assert np.all(w[before] > 0) and np.all(np.diff(w[before]) > 0)
    assert np.ptp(w[after]) < 1e-9


@pytest.mark.matplotlib
def test_sl26_fig3b_the_field_receives_work():
    x, w = _curve("SL26-3b", "$W_B$", 61)
    assert np.all(w[x > 0] < 0)  # provided convention: received work is negative
    assert w[-1] == pytest.approx(-0.5, abs=1e-9)  # the qubit's coherence fully transferred


@pytest.mark.matplotlib
def test_el23_fig2a_refrigeration_near_two_pi_over_omega():
    x, heat_out = _curve("EL23-2a", r"$-Q_A$ (heat leaving A)", 1201)
    _, work_out = _curve("EL23-2a", r"$-W_B$ (work provided by B)", 1201)
    window = np.abs(x - 2 * math.pi) < 0.5
    assert heat_out[window].max() > 0  # A is cooled: heat leaves it
    assert np.all(heat_out[(x > 0.1) & (x < 5.5)] < 0)  # A is heated before
    assert np.all(work_out[x > 0] > 0)  # B spends work throughout


@pytest.mark.matplotlib
def test_sl26_fig5b_qubit_b_receives_work_only_after_quarter_period():
    if not _available("exchange"):
        pytest.skip("model exchange not available yet")
    x, w = _curve("SL26-5b", "$W_B$", 121)
    assert np.all(np.abs(w[x <= math.pi / 4]) < 1e-12)  # B stays thermal: no work
    assert np.all(w[x > math.pi / 4 + 1e-9] < 0)  # population inversion costs work
    _, info = _curve("SL26-6", r"$I_{AB}$", 121)
    assert info.max() == pytest.approx(2 * math.log(2), rel=1e-6)  # at g t = pi/4


# -- names, data files, conventions, formats ------------------------------------------------------


def test_figure_names_are_case_insensitive():
    for given in ("el23-2a", "EL23-2A", " sl26-13B "):
        assert figures.figure_data(given, n_points=3)["spec"].name == given.strip().upper()[:-1] \
            + given.strip()[-1].lower()
    with pytest.raises(ValueError, match="unknown figure 'sl26-14a'"):
        figures.figure_data("sl26-14a", n_points=3)


#: figure -> (model, params, convention, rate, {CSV column: values}); written out here
CSV_CASES = {
    "EL23-2a": ("refrigerator", {}, "received", OMEGA_EL23, {
        "minus_Q_A": _plain("Q_A", -1), "minus_W_B": _plain("W_B", -1), "E_int": _plain("E_int")}),
    "SL26-2b": ("jaynes-cummings", {"state_A": "excited"}, "provided", 0.01, {
        "delta_E_B": _delta("E_B"), "Q_B": _plain("Q_B"), "W_B": _plain("W_B")}),
    "SL26-8": ("spontaneous-emission", {"gamma": "0.01"}, "provided", 0.01, {
        "delta_E_A": _delta("E_A"), "Q_A": _plain("Q_A"), "W_A": _plain("W_A")}),
}


@pytest.mark.parametrize("name", list(CSV_CASES))
def test_csv_holds_the_models_numbers(name):
    import csv
    import io

    model_name, given, convention, rate, expected = CSV_CASES[name]
    rows = list(csv.reader(io.StringIO(figures.figure_csv(name, n_points=17))))
    header, body = rows[0], np.array([[float(v) for v in r] for r in rows[1:]])
    assert header == ["x", "t"] + list(expected)
    assert body.shape == (17, 2 + len(expected)) and body[0, 0] == 0.0
    x, t = body[:, 0], body[:, 1]
    np.testing.assert_allclose(x, rate * t, rtol=1e-13)
    model = get_model(model_name)
    p = model.params(given)
    got_rows = model.evaluate(p, list(t), lib=FLOAT64, convention=convention)
    row0 = model.evaluate(p, [0.0], lib=FLOAT64, convention=convention)[0]
    for k, (column, values) in enumerate(expected.items()):
        want = np.array([float(v) for v in values(got_rows, row0)])
        np.testing.assert_allclose(body[:, 2 + k], want, rtol=1e-13, atol=1e-15,
                                   err_msg=f"{name}: {column}")


@pytest.mark.parametrize("name", ["EL23-2a", "EL23-2b", "SL26-2a", "SL26-9b"])
def test_other_convention_negates_heat_and_work_only(name):
    spec = FIGURES[name]
    other = "provided" if spec.convention == "received" else "received"
    a = figures.figure_data(name, n_points=21)
    b = figures.figure_data(name, n_points=21, convention=other)
    assert b["convention"] == other and a["convention"] == spec.convention
    for c in spec.curves:
        want = -a["curves"][c.key] if c.key[0] in "QW" else a["curves"][c.key]
        np.testing.assert_allclose(b["curves"][c.key], want, rtol=1e-12, atol=1e-15,
                                   err_msg=c.key)
    if spec.shade is not None:  # the refrigeration window is the same physical region
        np.testing.assert_array_equal(a["shade"] > 0, b["shade"] > 0)
    with pytest.raises(ValueError, match="unknown convention 'sideways'"):
        figures.figure_data(name, n_points=3, convention="sideways")


def test_sl26_fig9_work_rise_is_not_squeezed():
    data = figures.figure_data("SL26-9a", n_points=None)
    x, w = data["x"], data["curves"]["W_A"]
    end = x[np.argmax(w >= 0.999 * w.max())]  # work stops once P_e = 1/2 (as in Fig. 8)
    assert 0.5 < end < 1.0
    assert end / x[-1] > 0.06  # a visible part of the axis, not a vertical line
    assert np.sum(x <= end) >= 40  # drawn with enough points
    q = data["curves"]["Q_A"]
    first_swing = np.ptp(q[x < 4])
    assert np.ptp(q[x > 0.8 * x[-1]]) < 0.1 * first_swing  # damped out by the end of the axis


def _points_inside(fig, ax, box):
    fig.canvas.draw()
    hits = {}
    for line in ax.get_lines():
        label = line.get_label()
        if label.startswith("_"):
            continue
        xy = ax.transData.transform(np.column_stack([line.get_xdata(), line.get_ydata()]))
        inside = ((xy[:, 0] > box.x0) & (xy[:, 0] < box.x1) & (xy[:, 1] > box.y0)
                  & (xy[:, 1] < box.y1))
        if inside.any():
            hits[label] = int(inside.sum())
    return hits


@pytest.mark.matplotlib
@pytest.mark.parametrize("name", [n for n, s in FIGURES.items() if s.inset is not None])
def test_insets_hide_no_curve(name, plt):
    fig = make_figure(name)
    ax = fig.axes[0]
    (inset,) = ax.child_axes
    fig.canvas.draw()
    box = inset.get_tightbbox(fig.canvas.get_renderer())  # with its ticks and title
    hits = _points_inside(fig, ax, box)
    plt.close(fig)
    assert hits == {}, f"{name}: the inset hides points of {hits}"


@pytest.mark.matplotlib
def test_the_inset_check_can_fail(plt):
    fig = make_figure("EL23-2a", n_points=200)
    ax = fig.axes[0]
    fig.canvas.draw()
    box = ax.get_window_extent()  # the whole axes certainly covers the curves
    hits = _points_inside(fig, ax, box)
    plt.close(fig)
    assert set(hits) == {r"$-Q_A$ (heat leaving A)", r"$-W_B$ (work provided by B)",
                         r"$E_{\rm int}$"}


@pytest.mark.matplotlib
def test_other_convention_labels_and_files(tmp_path, plt):
    fig = make_figure("EL23-2a", n_points=24, convention="provided")
    labels = set(_lines(fig))
    texts = " ".join(t.get_text() for t in fig.texts)
    title = fig.axes[0].get_title()
    plt.close(fig)
    # the formula stays (minus Q_A in the provided convention), the words of EL23 go
    assert labels == {"$-Q_A$", "$-W_B$", r"$E_{\rm int}$"}
    assert "[provided convention]" in title and "convention: provided" in texts
    paths = plot_figure("el23-2a", tmp_path, n_points=24, convention="provided",
                        formats=["svg", "png"], csv=True, dpi=40)
    assert [os.path.basename(p) for p in paths] == [
        "EL23-2a.provided.svg", "EL23-2a.provided.png", "EL23-2a.provided.csv"]
    assert b"<svg" in (tmp_path / "EL23-2a.provided.svg").read_bytes()[:500]
    from PIL import Image

    with Image.open(tmp_path / "EL23-2a.provided.png") as im:
        assert "convention: provided" in im.text["Source"]


@pytest.mark.matplotlib
def test_dpi_sets_the_png_resolution(tmp_path, plt):
    from PIL import Image

    sizes = {}
    for dpi in (60, 120):
        (path,) = plot_figure("SL26-8", tmp_path / str(dpi), n_points=24, dpi=dpi,
                              formats=["png"])
        with Image.open(path) as im:
            sizes[dpi] = im.size
    assert sizes[120][0] == pytest.approx(2 * sizes[60][0], abs=2)
    assert sizes[120][1] == pytest.approx(2 * sizes[60][1], abs=2)


@pytest.mark.parametrize("kw, message", [
    ({"dpi": "0"}, "--dpi must be an integer from 20 to 1200, got '0'"),
    ({"dpi": "1e6"}, "got '1e6'"),
    ({"formats": ["gif"]}, "unknown image format 'gif'"),
    ({"formats": [], "csv": False}, "nothing to write"),
])
def test_bad_plot_options_are_value_errors(tmp_path, kw, message):
    with pytest.raises(ValueError, match=message):
        plot_figure("SL26-8", tmp_path, n_points=5, **kw)
    assert not list(tmp_path.iterdir())


@pytest.mark.matplotlib
def test_cli_plot_writes_images_and_csv(tmp_path, capsys, plt):
    from symthermo.cli import main

    code = main(["plot", "sl26-8", "--out", str(tmp_path), "--format", "png", "--dpi", "40"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out.split() == [str(tmp_path / "SL26-8.png"), str(tmp_path / "SL26-8.csv")]
    code = main(["plot", "SL26-8", "--out", str(tmp_path), "--dpi", "lots"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err == "error: --dpi must be an integer from 20 to 1200, got 'lots'\n"
