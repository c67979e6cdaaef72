"""Maps made by sweeps for ``symthermo reproduce``: where EL23's refrigerator refrigerates.

:func:`refrigerator_map` sweeps the two-qubit refrigerator of EL23 Fig. 2 over
(beta_B, omega_B) around the paper's point (beta_B = 1.8, omega_B = 1.63;
beta_A = 2, omega_A = 1, g = 1 fixed) in float64, reduces each parameter set's
100 times to the largest cooling max_t(-Q_A), the time it is reached, the COP
there and its ratio to the Carnot bound, and the first time A is cooled, and
draws the refrigeration region and COP/Carnot.  A few points are evaluated
again with 30 certified digits and compared with the float64 map.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .errors import CrossCheckError
from .sweep import param_column, sweep
from .sweep_store import META_SUFFIX, SettingsMismatch

__all__ = ["refrigerator_map", "REFRIGERATOR_MAP"]

#: the sweep behind the map: grid, times and reductions (received convention)
REFRIGERATOR_MAP = {
    "grid": {"beta_B": "0.5:1.95:59", "omega_B": "1:2.45:59"},
    "times": "0:9.9:100",
    "reduce": ["cooling=max:-Q_A", "t_best=argmax:-Q_A", "cop=cop@max:-Q_A",
               "cop_over_carnot=cop/carnot@max:-Q_A", "t_first=first:-Q_A>0"],
}
#: grid points checked again at 30 certified digits (inside, at the edge of and outside
#: the refrigeration region)
_CHECKS = [{"beta_B": "1.8", "omega_B": "1.65"}, {"beta_B": "1.3", "omega_B": "1.55"},
           {"beta_B": "1.5", "omega_B": "2.2"}, {"beta_B": "1", "omega_B": "1.2"}]
#: agreement asked of float64 and the certified values (relative, or absolute near 0)
_TOLERANCE = 1e-10


def _sweep_into(path, grid, times, **kwargs):
    """A sweep into ``path``, resumed if it holds the same sweep, redone if not."""
    try:
        return sweep("refrigerator", grid, times, out=path, **kwargs)
    except SettingsMismatch:
        path.unlink(missing_ok=True)
        path.with_name(path.name + META_SUFFIX).unlink(missing_ok=True)
        return sweep("refrigerator", grid, times, out=path, **kwargs)


def refrigerator_map(directory, *, progress=None, workers=None):
    """Write ``refrigerator_map.csv`` (the float64 sweep), ``refrigerator_map_certified.csv``
    (a few of its points at 30 certified digits), ``refrigerator_map_checks.csv`` (the
    two compared) and ``refrigerator_map.png`` into ``directory``; returns their paths
    (the figure's only where matplotlib is installed).

    ``progress``, if given, is called with a line of text now and then.
    Raises :class:`~symthermo.errors.CrossCheckError` when float64 and the
    certified values disagree.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    spec = REFRIGERATOR_MAP
    data = directory / "refrigerator_map.csv"
    step = [0]

    def report(done, total):
        if progress is not None and (done == total or done * 10 // total > step[0]):
            step[0] = done * 10 // total
            progress(f"      refrigerator map: {done}/{total} parameter sets")

    result = _sweep_into(data, spec["grid"], spec["times"], float64=True,
                         reduce=spec["reduce"], workers=workers, progress=report)
    checks = _spot_checks(directory / "refrigerator_map_checks.csv", result, workers)
    figure = _draw(directory / "refrigerator_map.png", result, checks)
    paths = [data, directory / "refrigerator_map_certified.csv", checks[0]]
    return paths + ([figure] if figure is not None else [])


def _spot_checks(path, result, workers):
    certified = _sweep_into(path.with_name("refrigerator_map_certified.csv"), _CHECKS,
                            REFRIGERATOR_MAP["times"], dps=30, reduce=REFRIGERATOR_MAP["reduce"],
                            workers=workers)
    keys = [param_column("beta_B"), param_column("omega_B")]
    by_point = {tuple(r[k] for k in keys): r for r in result.rows}
    names = [r.split("=", 1)[0] for r in REFRIGERATOR_MAP["reduce"]]
    lines, failures = [], []
    for row in certified.rows:
        point = tuple(row[k] for k in keys)
        fast = by_point[point]
        for name in names:
            a, b = fast[name], row[name]
            diff = _difference(a, b)
            lines.append({"beta_B": point[0], "omega_B": point[1], "quantity": name,
                          "float64": a, "dps30": b, "difference": diff})
            if diff is None or diff > _TOLERANCE:
                failures.append(f"{name} at beta_B = {point[0]}, omega_B = {point[1]}: "
                                f"float64 {a}, 30 digits {b}")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(lines[0]), lineterminator="\n")
        writer.writeheader()
        for line in lines:
            writer.writerow({k: ("" if v is None else v) for k, v in line.items()})
    if failures:
        raise CrossCheckError("refrigerator map: float64 and certified values differ: "
                              + "; ".join(failures))
    return path, [tuple(float(x) for x in p) for p in
                  ((r[keys[0]], r[keys[1]]) for r in certified.rows)]


def _difference(a, b):
    """Relative difference (absolute below 1), 0 for equal texts, None for one missing."""
    if a == b:
        return 0.0
    if a is None or b is None:
        return None
    x, y = float(a), float(b)
    return abs(x - y) / max(1.0, abs(y))


def _draw(path, result, checks):
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from .sweep_plot import _edges

    bx, by = param_column("beta_B"), param_column("omega_B")
    xs = sorted({float(r[bx]) for r in result.rows})
    ys = sorted({float(r[by]) for r in result.rows})
    cooling = np.full((len(ys), len(xs)), np.nan)
    ratio = np.full_like(cooling, np.nan)
    for r in result.rows:
        i, j = ys.index(float(r[by])), xs.index(float(r[bx]))
        if r["cooling"] is not None:
            cooling[i, j] = float(r["cooling"])
        if r["cop_over_carnot"] is not None and r["cooling"] is not None \
                and float(r["cooling"]) > 0:
            value = float(r["cop_over_carnot"])
            ratio[i, j] = value if math.isfinite(value) else np.nan
    ex, ey = _edges(np.array(xs), False), _edges(np.array(ys), False)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained", sharey=True)
    panels = [(cooling, r"largest cooling $\max_t[-Q_A(t)]$", "magma"),
              (np.ma.masked_invalid(ratio), r"COP/Carnot at that time (where $A$ is cooled)",
               "viridis")]
    for ax, (values, label, cmap), line in zip(axes, panels, ("white", "black")):
        mesh = ax.pcolormesh(ex, ey, values, shading="flat", cmap=cmap)
        fig.colorbar(mesh, ax=ax, label=label)
        ax.contour(xs, ys, (np.nan_to_num(cooling) > 0).astype(float), levels=[0.5],
                   colors=line, linewidths=1.0)
        ax.plot([1.8], [1.63], marker="*", markersize=15, color="white", markeredgecolor="black",
                linestyle="none", label=r"EL23 Fig. 2 ($\beta_B = 1.8$, $\omega_B = 1.63$)")
        ax.plot([c[0] for c in checks[1]], [c[1] for c in checks[1]], marker="x",
                color="red", linestyle="none", label="checked at 30 digits")
        ax.set_xlabel(r"$\beta_B$")
    axes[0].set_ylabel(r"$\omega_B$")
    axes[0].legend(loc="lower left", fontsize="small")
    fig.suptitle(r"EL23 refrigerator ($\omega_A = 1$, $g = 1$, $\beta_A = 2$), "
                 r"$t = 0, 0.1, \ldots, 9.9$: refrigeration region (line); along the stripes "
                 "the best sampled time jumps", fontsize="medium")
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
