"""A heat map of one column of a sweep file over two swept parameters (``plot-sweep``).

The cells are the grid's points (edges halfway between neighbouring values,
geometrically halfway on a log-spaced axis, which is then drawn on a log
scale); points without a value (an error row, a reduction that found no time,
``inf``) are left blank.  The model's default point (the paper's) is marked
when it lies inside the plotted ranges and the other parameters are at their
defaults too.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

from .sweep_grid import parse_number
from .sweep_store import META_SUFFIX, output_format, read_rows

__all__ = ["plot_sweep", "sweep_table"]


def _value(text):
    """A float from a value text (None, '', errors: nan)."""
    if text in (None, ""):
        return np.nan
    try:
        return float(Fraction(text)) if "/" in str(text) else float(text)
    except (ValueError, ZeroDivisionError):
        return np.nan


def sweep_table(path, *, x, y, z, at=(), fmt=None):
    """``(xs, ys, Z, meta)``: the sorted distinct x and y values (floats), the
    column ``z`` as a (len(ys), len(xs)) array (nan where absent) and the
    sidecar's content (or None).  Rows are first restricted by ``at``
    (``NAME=VALUE`` texts); a point that still has two rows is an error."""
    path = Path(path)
    rows = read_rows(path, output_format(path, fmt))
    meta_path = path.with_name(path.name + META_SUFFIX)
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
    if not rows:
        raise ValueError(f"{str(path)!r} holds no rows")
    columns = list(rows[0])
    x, y = _column(x, columns, path, param=True), _column(y, columns, path, param=True)
    z = _column(z, columns, path, param=False)
    for condition in at:
        if "=" not in condition:
            raise ValueError(f"--at takes NAME=VALUE, got {condition!r}")
        name, value = (s.strip() for s in condition.split("=", 1))
        name = _column(name, columns, path, param=True)
        wanted = parse_number(value)
        rows = [r for r in rows if r.get(name) not in (None, "") and
                _same(r[name], wanted)]
        if not rows:
            raise ValueError(f"no row has {name.removeprefix('param.')} = {value}")
    xs_text = sorted({r[x] for r in rows}, key=_value)
    ys_text = sorted({r[y] for r in rows}, key=_value)
    ix = {v: k for k, v in enumerate(xs_text)}
    iy = {v: k for k, v in enumerate(ys_text)}
    Z = np.full((len(ys_text), len(xs_text)), np.nan)
    seen = np.zeros(Z.shape, dtype=bool)
    for r in rows:
        i, j = iy[r[y]], ix[r[x]]
        if seen[i, j]:
            others = [c.removeprefix("param.") for c in columns
                      if c.startswith("param.") and c not in (x, y)]
            raise ValueError(f"several rows at {x} = {r[x]}, {y} = {r[y]}: fix the other "
                             f"swept parameters{' (' + ', '.join(others) + ')' if others else ''}"
                             " or t with --at NAME=VALUE")
        seen[i, j] = True
        v = _value(r.get(z))
        Z[i, j] = v if np.isfinite(v) else np.nan
    return (np.array([_value(v) for v in xs_text]), np.array([_value(v) for v in ys_text]),
            Z, meta)


def _column(name, columns, path, *, param):
    """The column called ``name``; a parameter's ``param.NAME`` first where ``param``."""
    order = [f"param.{name}", name] if param else [name, f"param.{name}"]
    for candidate in order:
        if candidate in columns:
            return candidate
    raise ValueError(f"{str(path)!r} has no column {name!r}; columns: {', '.join(columns)}")


def _same(text, wanted):
    try:
        return parse_number(text) == wanted
    except ValueError:
        return False


def _edges(values, log):
    if len(values) == 1:
        v = values[0]
        return np.array([v / 2, v * 2]) if log else np.array([v - 0.5, v + 0.5])
    v = np.log(values) if log else values
    mid = (v[1:] + v[:-1]) / 2
    edges = np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])
    return np.exp(edges) if log else edges


def _is_log(values):
    if len(values) < 3 or np.any(values <= 0):
        return False
    ratios = values[1:] / values[:-1]
    steps = np.diff(values)
    return bool(np.allclose(ratios, ratios[0], rtol=1e-6) and
                not np.allclose(steps, steps[0], rtol=1e-6))


def plot_sweep(path, *, x, y, z, at=(), out=None, fmt=None, title=None):
    """Draw the heat map of column ``z`` over ``x`` and ``y``; returns the image path."""
    try:
        import matplotlib
    except ImportError:
        raise ValueError("plot-sweep needs matplotlib: pip install 'symthermo[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ys, Z, meta = sweep_table(path, x=x, y=y, z=z, at=at, fmt=fmt)
    path = Path(path)
    out = Path(out) if out is not None else path.with_name(f"{path.stem}.{_safe(z)}.png")
    log_x, log_y = _is_log(xs), _is_log(ys)
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    masked = np.ma.masked_invalid(Z)
    mesh = ax.pcolormesh(_edges(xs, log_x), _edges(ys, log_y), masked, shading="flat",
                         cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=z.removeprefix("param."))
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(x.removeprefix("param."))
    ax.set_ylabel(y.removeprefix("param."))
    model = (meta or {}).get("settings", {}).get("model")
    point = _paper_point(meta, x.removeprefix("param."), y.removeprefix("param."), at)
    if point is not None and xs.min() <= point[0] <= xs.max() and ys.min() <= point[1] <= ys.max():
        ax.plot([point[0]], [point[1]], marker="*", markersize=14, color="white",
                markeredgecolor="black", linestyle="none", label=f"{model} defaults (paper)")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_title(title or (f"{model}: {z}" if model else z), fontsize="medium")
    fig.savefig(out, dpi=150)
    plt.close(fig)
    return out


def _paper_point(meta, x, y, at):
    """The model's default (x, y), when every other parameter is at its default."""
    settings = (meta or {}).get("settings", {})
    name = settings.get("model")
    if name is None:
        return None
    try:
        from .models import get_model

        model = get_model(name)
    except ValueError:
        return None
    defaults = {p.name: p.default for p in model.parameters}
    if x not in defaults or y not in defaults:
        return None
    fixed = dict(settings.get("params", {}))
    for condition in at:
        key, value = (s.strip() for s in condition.split("=", 1))
        fixed[key.removeprefix("param.")] = value
    grid = settings.get("grid", {})
    swept = [n for n, _ in grid.get("axes", [])] or list((grid.get("points") or [{}])[0])
    for key, value in fixed.items():
        if key in defaults and key not in (x, y) and not _equal_text(value, defaults[key]):
            return None
    for key in swept:
        if key not in (x, y) and key not in fixed:
            return None  # varies in the file and was not fixed: no single paper point
    try:
        return float(parse_number(defaults[x])), float(parse_number(defaults[y]))
    except ValueError:
        return None


def _equal_text(a, b):
    try:
        return parse_number(a) == parse_number(b)
    except ValueError:
        return a == b


def _safe(name):
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
