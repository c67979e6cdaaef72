"""The papers' figures, redrawn from symthermo's models.

Every figure of Elouard & Latune 2023 (EL23, Fig. 2) and Santos & Latune
2026 (SL26, Figs. 1-13) that shows the thermodynamic ledger is registered
in :data:`FIGURES` under a name such as ``"EL23-2a"`` or ``"SL26-6"``, with
the model it comes from, the paper's parameters, the time axis and the
curves (names are matched in any letter case).  :func:`plot_figure` draws
one of them to PNG and PDF (or SVG; ``dpi``, ``convention``) and writes the
plotted numbers as CSV (:func:`figure_csv`), :func:`plot_all` draws them all
(the main job), :func:`make_figure` returns the matplotlib figure without
writing it (for inspection and tests).  Only drawing needs matplotlib:
:func:`figure_data` and :func:`figure_csv` do not.

The curves come from the models' closed forms (``Model.evaluate``) in
float64 on a few hundred times; a figure whose model has no closed form
would use the propagator (``route="propagator"``) and says so in its title.
Each figure carries its source in a footnote and in the file metadata.

Signs follow the paper a figure comes from: EL23 plots heat and work
*received* (and their negatives, -Q_A and -W_B, as heat leaving A and work
provided by B); SL26 plots heat and work *provided* by each subsystem
(``convention="provided"``), with Delta U = -(Q + W).  Energies are in units
of hbar omega (omega_A for two-frequency models), times in the paper's
dimensionless units (g t, Omega t, gamma t, lam t).

>>> from symthermo.figures import FIGURES
>>> spec = FIGURES["SL26-2a"]
>>> spec.model, spec.convention, spec.x_label
('jaynes-cummings', 'provided', '$g t$')
>>> [c.key for c in spec.curves]
['E_A', 'Q_A', 'W_A']
>>> FIGURES["EL23-2a"].convention
'received'
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass

import numpy as np
import sympy

from . import __version__
from .errors import SymthermoError
from .precision import precision_held  # SymPy numbers and model evaluations use mpmath

__all__ = [
    "FIGURES",
    "Curve",
    "FigureSpec",
    "ModelUnavailableError",
    "figure_names",
    "figure_data",
    "figure_csv",
    "parse_dpi",
    "FORMATS",
    "make_figure",
    "plot_figure",
    "plot_all",
]


class ModelUnavailableError(SymthermoError, RuntimeError):
    """The model a figure is drawn from is not (yet) part of symthermo."""


@dataclass(frozen=True)
class Curve:
    """One plotted line: ``sign * (row[key] - row0[key] if delta else row[key]) / unit``.

    ``energy`` curves are divided by the figure's energy unit; ``delta``
    curves show the change since t = 0 (Delta U = E(t) - E(0)).
    """

    key: str
    label: str
    sign: int = 1
    delta: bool = False
    energy: bool = True
    style: str = "-"
    color: str = None

    def values(self, rows, row0, unit=1.0):
        """The curve's values on ``rows`` (float64 array; non-finite values become nan)."""
        raw = np.array([float(r[self.key]) for r in rows], dtype=float)
        if self.delta:
            raw = raw - float(row0[self.key])
        out = self.sign * raw / (unit if self.energy else 1.0)
        out[~np.isfinite(out)] = np.nan
        return out


@dataclass(frozen=True)
class FigureSpec:
    """What a figure shows and where its numbers come from."""

    name: str
    paper: str  # "EL23" or "SL26"
    number: str  # "2a"
    title: str
    description: str  # what the paper's caption and text say it shows
    model: str  # contract name of the model
    params: dict  # parameters given to the model (others at their contract defaults)
    convention: str  # "received" (EL23) or "provided" (SL26)
    rate: str  # the time axis is x = rate * t (SymPy, in the parameters)
    x_label: str
    x_max: str  # SymPy, in units of x
    curves: tuple
    y_label: str
    energy_unit: str = None  # parameter whose hbar*value is the energy unit
    n_points: int = 400
    route: str = "closed form"  # or "propagator"
    ylim: tuple = None
    markers: tuple = ()  # (x as SymPy string, label) vertical guides
    inset: tuple = None  # (x0, x1, keys, [left, bottom, width, height]): zoom on some curves
    shade: Curve = None  # shade where this curve is positive (label = legend)
    notes: tuple = ()  # remarks printed under the figure

    @property
    def panels(self):
        """The plotted quantities, as (key, label) pairs."""
        return tuple((c.key, c.label) for c in self.curves)

    @property
    def source(self):
        """The one-line provenance written on the figure and in its metadata."""
        convention = _CONVENTION_TEXT[self.convention]
        return (f"symthermo {__version__}, {self.route} (model {self.model}, float64); "
                f"{self.paper} Fig. {self.number}; convention: {convention}")

    def as_dict(self):
        """A JSON-ready summary (for ``reproduce``)."""
        return {
            "name": self.name, "paper": self.paper, "figure": self.number, "title": self.title,
            "description": self.description, "model": self.model,
            "params": dict(self.params), "convention": self.convention, "route": self.route,
            "time_axis": f"{self.rate} * t", "x_max": self.x_max, "n_points": self.n_points,
            "curves": [{"key": c.key, "label": c.label, "sign": c.sign, "delta": c.delta}
                       for c in self.curves],
            "y_label": self.y_label, "energy_unit": self.energy_unit, "source": self.source,
        }


_CONVENTION_TEXT = {
    "received": "received (EL23: Q, W > 0 received by the system)",
    "provided": "provided (SL26: Q, W > 0 provided by the system)",
}

# -- the registry -------------------------------------------------------------


def _ledger(X):
    """Delta U_X, Q_X, W_X in the provided convention (SL26's three curves)."""
    return (
        Curve(f"E_{X}", rf"$\Delta U_{X}$", delta=True, color="tab:blue"),
        Curve(f"Q_{X}", rf"$Q_{X}$", color="tab:red", style="--"),
        Curve(f"W_{X}", rf"$W_{X}$", color="tab:green", style="-."),
    )


_SL26_Y = r"energy ($\hbar\omega$)"
_SL26_G = dict(rate="g", x_label="$g t$", energy_unit="omega_A")
_STATE_TEXT = {"excited": r"|e\rangle", "ground": r"|g\rangle",
               "plus": r"(|e\rangle+|g\rangle)/\sqrt{2}", "mixed": r"\mathbb{1}/2",
               "vacuum": r"|0\rangle", "coherent": r"|\alpha=30\rangle"}


def _states(a, b):
    return rf"$\rho_A(0)$: ${_STATE_TEXT[a]}$, $\rho_B(0)$: ${_STATE_TEXT[b]}$"


def _sl26_pair(number, model, params, a_state, b_state, x_max, what, *, names=("qubit (A)",
               "QHO (B)"), n_points=400, markers=(), extra_notes=()):
    out = []
    for panel, X, who in (("a", "A", names[0]), ("b", "B", names[1])):
        out.append(FigureSpec(
            name=f"SL26-{number}{panel}", paper="SL26", number=f"{number}{panel}",
            title=f"SL26 Fig. {number}{panel}: {who}; {_states(a_state, b_state)}",
            description=f"{what}; panel {panel}: {who}",
            model=model, params=params, convention="provided", x_max=x_max,
            curves=_ledger(X), y_label=_SL26_Y, n_points=n_points, markers=markers,
            notes=extra_notes, **_SL26_G))
    return out


def _rc_pair(number, kappa_text, x_max, n_points, what, *, inset_a=None, notes_a=(),
             inset_b=None, notes_b=()):
    out = []
    for panel, X, who in (("a", "A", "qubit (A)"), ("b", "B", "reaction coordinate (B)")):
        out.append(FigureSpec(
            name=f"SL26-{number}{panel}", paper="SL26", number=f"{number}{panel}",
            title=(rf"SL26 Fig. {number}{panel}: {who}; $\kappa = {kappa_text}\lambda$, "
                   r"$\lambda = 0.01\omega$"),
            description=f"{what}; panel {panel}: {who}",
            model="reaction-coordinate", params={"kappa": f"{kappa_text}*lam"},
            convention="provided", rate="lam", x_label=r"$\lambda t$", x_max=x_max,
            curves=_ledger(X), y_label=_SL26_Y, energy_unit="omega", n_points=n_points,
            inset=inset_b if X == "B" else inset_a, notes=notes_b if X == "B" else notes_a))
    return out


def _registry():
    specs = []
    omega = "sqrt(g**2 + (omega_B - omega_A)**2)"
    el23_params = {}  # the contract defaults are Fig. 2's parameters
    el23_desc = ("two-qubit refrigerator: A thermal at beta_A = 2/omega_A, B population-inverted "
                 "at beta_B = 1.8/omega_A, omega_B = 1.63 omega_A, g = omega_A; coupling "
                 "(g/2) sigma_x sigma_x")
    specs.append(FigureSpec(
        name="EL23-2a", paper="EL23", number="2a",
        title=r"EL23 Fig. 2a: heat leaving A, work provided by B, coupling energy",
        description=el23_desc + "; -Q_A(t), -W_B(t) and E_int(t) in units of hbar omega_A "
                    "vs Omega t, Omega = sqrt(g^2 + (omega_B - omega_A)^2)",
        model="refrigerator", params=el23_params, convention="received", rate=omega,
        x_label=r"$\Omega t$", x_max="4*pi", n_points=1200,
        curves=(Curve("Q_A", r"$-Q_A$ (heat leaving A)", sign=-1, color="tab:blue"),
                Curve("W_B", r"$-W_B$ (work provided by B)", sign=-1, color="tab:red",
                      style="--"),
                Curve("E_int", r"$E_{\rm int}$", color="tab:green", style="-.")),
        y_label=r"energy ($\hbar\omega_A$)", energy_unit="omega_A",
        markers=(("2*pi", r"$\Omega t = 2\pi$"),), ylim=(-1.35, 1.62),
        # below the curves, between the two minima of -Q_A: it hides no curve
        inset=("5.8", "6.8", ("Q_A",), (0.37, 0.07, 0.26, 0.2)),
        notes=("Inset: the refrigeration window (-Q_A > 0) near Omega t = 2 pi.",)))
    specs.append(FigureSpec(
        name="EL23-2b", paper="EL23", number="2b",
        title=r"EL23 Fig. 2b: coefficient of performance and Carnot bound",
        description=el23_desc + "; eta(t) = -Q_A/(-W_A - W_B - Delta E_int) and "
                    "eta_Carnot = beta_B(0)/(beta_A(0) - beta_B(0)) vs Omega t",
        model="refrigerator", params=el23_params, convention="received", rate=omega,
        x_label=r"$\Omega t$", x_max="4*pi", n_points=1200,
        curves=(Curve("cop", r"$\eta(t)$", energy=False, color="tab:blue"),
                Curve("carnot", r"$\eta_{\rm Carnot}$", energy=False, color="k", style="--")),
        y_label="coefficient of performance", ylim=(-0.6, 10.0),
        shade=Curve("Q_A", r"refrigeration ($-Q_A > 0$)", sign=-1),
        notes=("eta is meaningful where A is cooled (shaded); elsewhere -Q_A < 0.",)))

    sl26_jc = "SL26 Eq. 28, Jaynes-Cummings, omega_A = omega_B, g = 0.01 omega_A"
    specs += _sl26_pair(
        "1", "jaynes-cummings", {"state_A": "ground", "state_B": "coherent", "alpha": "30"},
        "ground", "coherent", "1", sl26_jc + "; qubit ground, field coherent alpha = 30: "
        "work, then slow heat as the semiclassical regime breaks down (gt > 0.1)",
        n_points=800)
    quarter = (("pi/4", r"$gt = \pi/4$"),)
    specs += _sl26_pair("2", "jaynes-cummings", {"state_A": "excited", "state_B": "vacuum"},
                        "excited", "vacuum", "pi/2",
                        sl26_jc + "; qubit excited, field vacuum, 0 <= gt <= pi/2",
                        markers=quarter)
    specs += _sl26_pair("3", "jaynes-cummings", {"state_A": "plus", "state_B": "vacuum"},
                        "plus", "vacuum", "pi/2",
                        sl26_jc + "; qubit (|e>+|g>)/sqrt2, field vacuum, 0 <= gt <= pi/2",
                        markers=quarter)
    specs += _sl26_pair("4", "jaynes-cummings", {"state_A": "mixed", "state_B": "vacuum"},
                        "mixed", "vacuum", "pi/2",
                        sl26_jc + "; qubit maximally mixed, field vacuum, 0 <= gt <= pi/2")
    sl26_ex = "SL26 Eq. 32, two resonant qubits, exchange coupling g = 0.01 omega_A"
    qubits = ("qubit A", "qubit B")
    specs += _sl26_pair("5", "exchange", {"state_A": "excited", "state_B": "ground"},
                        "excited", "ground", "pi/2",
                        sl26_ex + "; A excited, B ground, 0 <= gt <= pi/2", names=qubits,
                        markers=quarter)
    specs.append(FigureSpec(
        name="SL26-6", paper="SL26", number="6",
        title=r"SL26 Fig. 6: mutual information of the two qubits of Fig. 5",
        description=sl26_ex + "; mutual information I_AB(t) (nats), A excited, B ground",
        model="exchange", params={"state_A": "excited", "state_B": "ground"},
        convention="provided", x_max="pi/2",
        curves=(Curve("I_AB", r"$I_{AB}$", energy=False, color="tab:purple"),),
        y_label=r"mutual information $I_{AB}$ (nats)", markers=quarter, **_SL26_G))
    specs += _sl26_pair("7", "exchange", {"state_A": "plus", "state_B": "ground"},
                        "plus", "ground", "pi/2",
                        sl26_ex + "; A (|e>+|g>)/sqrt2, B ground, 0 <= gt <= pi/2",
                        names=qubits)
    specs.append(FigureSpec(
        name="SL26-8", paper="SL26", number="8",
        title=r"SL26 Fig. 8: spontaneous emission of a qubit, $\Gamma = 0.01\omega$",
        description="SL26 Eqs. 35-41: qubit decaying from |e> into a zero-temperature bath "
                    "at rate Gamma = 0.01 omega; work provided for t < ln2/Gamma, then none",
        model="spontaneous-emission", params={}, convention="provided", rate="gamma",
        x_label=r"$\Gamma t$", x_max="5", curves=_ledger("A"), y_label=_SL26_Y,
        energy_unit="omega", markers=(("log(2)", r"$\Gamma t = \ln 2$"),),
        notes=("For Gamma t > ln 2, Q_A = -omega P_e from the definition Q = -Delta E^th "
               "(SL26 Eq. 41 prints omega (P_e - 1), which would not keep W constant).",)))
    rc = "SL26 Eq. 42, qubit + reaction coordinate damped at rate kappa, zero temperature"
    # lam t <= 12: the oscillations are damped out by then (amplitude ~ e^{-kappa t/2}), and
    # the work rise of the qubit (lam t < 0.85, while P_e > 1/2) spans a readable part of
    # the axis (at lam t <= 20 it was a vertical line)
    specs += _rc_pair("9", "0.8", "12", 900, rc + ", kappa = 0.8 lam (intermediate coupling)")
    specs += _sl26_pair("10", "jaynes-cummings", {"state_A": "excited", "state_B": "vacuum"},
                        "excited", "vacuum", "pi",
                        sl26_jc + "; full period 0 <= gt <= pi of Fig. 2",
                        markers=(("pi/4", r"$\pi/4$"), ("pi/2", r"$\pi/2$"),
                                 ("3*pi/4", r"$3\pi/4$")))
    specs += _sl26_pair("11", "jaynes-cummings", {"state_A": "plus", "state_B": "vacuum"},
                        "plus", "vacuum", "pi",
                        sl26_jc + "; full period 0 <= gt <= pi of Fig. 3",
                        markers=(("pi/2", r"$\pi/2$"),))
    specs += _rc_pair("12", "10", "20", 600, rc + ", kappa = 10 lam (strong RC-bath coupling)",
                      inset_b=("0", "4", ("W_B",), (0.45, 0.6, 0.5, 0.33)),
                      notes_b=("Inset: the small work received by the RC at early times.",))
    specs += _rc_pair("13", "0.01", "60", 1500, rc + ", kappa = 0.01 lam (weak RC-bath "
                      "coupling: nearly periodic)")
    return {s.name: s for s in specs}


#: name -> :class:`FigureSpec`, in the papers' order
FIGURES = _registry()


def figure_names():
    """The registered figure names, in the papers' order."""
    return list(FIGURES)


def _spec(name):
    """The spec of ``name``, in any letter case (``el23-2a`` is ``EL23-2a``)."""
    if name in FIGURES:
        return FIGURES[name]
    folded = {n.casefold(): n for n in FIGURES}
    key = str(name).strip().casefold()
    if key not in folded:
        raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIGURES)}")
    return FIGURES[folded[key]]


#: image formats plot_figure writes (matplotlib's names)
FORMATS = ("png", "pdf", "svg")
DEFAULT_FORMATS = ("png", "pdf")
#: the accepted --dpi range (a huge value would only exhaust memory)
DPI_RANGE = (20, 1200)


def parse_dpi(text):
    """``--dpi``: an integer in :data:`DPI_RANGE`.

    >>> from symthermo.figures import parse_dpi
    >>> parse_dpi("300")
    300
    >>> parse_dpi("3e9")
    Traceback (most recent call last):
    ...
    ValueError: --dpi must be an integer from 20 to 1200, got '3e9'
    """
    lo, hi = DPI_RANGE
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 5 and lo <= int(raw) <= hi):
        raise ValueError(f"--dpi must be an integer from {lo} to {hi}, got {text!r}")
    return int(raw)


def _convention(spec, convention):
    from .heat_work import CONVENTIONS

    if convention is None:
        return spec.convention
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected received or provided")
    return convention


def _flips(key):
    """Heat and work change sign with the convention; nothing else does."""
    return key.split("_")[0] in ("Q", "W")


# -- the numbers ---------------------------------------------------------------


def _model(model_name, figure=None):
    from .models import get_model

    try:
        return get_model(model_name)
    except ImportError as exc:
        needed = f" (figure {figure} needs it)" if figure else ""
        raise ModelUnavailableError(f"model {model_name} not available{needed}: {exc}") from None


def _sympy_value(text, p):
    from .exact_numbers import to_float
    from .expressions import parse_expression

    local = {k: v for k, v in p.items() if isinstance(v, sympy.Basic)}
    return to_float(parse_expression(text, local, what="figure value"), text=text)


@functools.lru_cache(maxsize=32)
def _rows(model_name, params_items, convention, route, rate, x_max, n_points):
    """x grid, times and rows of one evaluation (shared by the panels of a figure)."""
    model = _model(model_name)
    p = model.params(dict(params_items))
    from .numbers import FLOAT64

    scale = _sympy_value(rate, p)
    x = np.linspace(0.0, _sympy_value(x_max, p), n_points)
    times = [float(v) / scale for v in x]
    run = model.evaluate if route == "closed form" else model.propagate
    try:
        rows = run(p, times, lib=FLOAT64, convention=convention)
    except NotImplementedError as exc:
        raise ModelUnavailableError(f"model {model_name} not available for the {route} route "
                                    f"({exc})") from None
    return p, x, times, rows


@precision_held()
def figure_data(name, *, n_points=None, convention=None):
    """The numbers behind a figure: a dict with ``x``, ``t``, ``rows``, ``curves``.

    ``curves`` maps each curve's key to its plotted values; ``rows`` are the
    model's rows (float64) at the times ``t``, in ``convention`` (default: the
    figure's paper's).  In the other convention heat and work curves change
    sign; the shaded region (where A is cooled in EL23-2b) does not.
    """
    spec = _spec(name)
    convention = _convention(spec, convention)
    n = int(n_points or spec.n_points)
    if n < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points!r}")
    _model(spec.model, spec.name)  # a clear error first if the model is missing
    p, x, times, rows = _rows(spec.model, tuple(sorted(spec.params.items())), convention,
                              spec.route, spec.rate, spec.x_max, n)
    if times[0] != 0.0:
        raise AssertionError("figure time grids start at t = 0")
    unit = _sympy_value(spec.energy_unit, p) if spec.energy_unit else 1.0
    curves = {c.key: c.values(rows, rows[0], unit) for c in spec.curves}
    shade = spec.shade.values(rows, rows[0], unit) if spec.shade else None
    if shade is not None and convention != spec.convention and _flips(spec.shade.key):
        shade = -shade  # the same physical region in either convention
    return {"spec": spec, "params": p, "x": x, "t": np.array(times), "rows": rows,
            "curves": curves, "shade": shade, "unit": unit, "convention": convention}


def _column(curve):
    """The CSV column of a curve: ``Q_A``, ``minus_W_B``, ``delta_E_A``."""
    return ("minus_" if curve.sign < 0 else "") + ("delta_" if curve.delta else "") + curve.key


@precision_held()
def figure_csv(name, *, n_points=None, convention=None):
    """The plotted numbers of a figure as CSV text (float64, 15 significant digits).

    Columns: ``x`` (the figure's time axis, ``rate * t``), ``t``, then one per
    curve: ``KEY`` (the model's value), ``minus_KEY`` (its negative),
    ``delta_KEY`` (its change since t = 0), energies divided by the figure's
    energy unit.  These are plotting data, evaluated in float64 and not
    certified; ``symthermo reference`` gives certified digits.

    >>> from symthermo.figures import figure_csv
    >>> text = figure_csv("SL26-8", n_points=3)
    >>> text.splitlines()[0]
    'x,t,delta_E_A,Q_A,W_A'
    >>> text.splitlines()[1]
    '0,0,0,0,0'
    """
    import csv
    import io

    data = figure_data(name, n_points=n_points, convention=convention)
    spec = data["spec"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["x", "t"] + [_column(c) for c in spec.curves])
    columns = [data["x"], data["t"]] + [data["curves"][c.key] for c in spec.curves]
    for values in zip(*columns):
        writer.writerow([f"{float(v) + 0.0:.15g}" for v in values])  # no "-0"
    return out.getvalue()


# -- drawing -------------------------------------------------------------------


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise SymthermoError("figures need matplotlib: pip install 'symthermo[plot]'") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


@precision_held()
def make_figure(name, *, n_points=None, convention=None):
    """The matplotlib figure of ``name`` (not written; close it with ``plt.close``).

    The first axes hold the plotted curves, one ``Line2D`` per curve, labelled
    as in the legend, with x in the figure's time unit.  ``convention``
    (default: the paper's) sets the signs of heat and work; in the other
    convention a label keeps its formula (``$-Q_A$``) and drops its words,
    which describe the paper's convention.
    """
    spec = _spec(name)
    data = figure_data(name, n_points=n_points, convention=convention)
    native = data["convention"] == spec.convention
    if not native:
        from dataclasses import replace

        spec = replace(spec, convention=data["convention"],
                       ylim=None if spec.energy_unit else spec.ylim,
                       curves=tuple(replace(c, label=c.label.split(" (")[0])
                                    if _flips(c.key) else c for c in spec.curves))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 4.6), layout="constrained")
    x = data["x"]
    for c in spec.curves:
        ax.plot(x, data["curves"][c.key], c.style, color=c.color, label=c.label, lw=1.6)
    if spec.shade is not None:
        ax.fill_between(x, 0, 1, where=data["shade"] > 0, color="tab:cyan", alpha=0.18,
                        transform=ax.get_xaxis_transform(), label=spec.shade.label, lw=0)
    for where, text in spec.markers:
        xv = _sympy_value(where, data["params"])
        ax.axvline(xv, color="0.55", lw=0.8, ls=":")
        ax.annotate(text, (xv, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -10),
                    textcoords="offset points", fontsize=7, color="0.35")
    if spec.energy_unit or spec.ylim is None:
        ax.axhline(0.0, color="0.75", lw=0.6, zorder=0)
    ax.set_xlim(x[0], x[-1])
    if spec.ylim is not None:
        ax.set_ylim(*spec.ylim)
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    ax.set_title(spec.title + ("" if spec.route == "closed form" else " [propagator]")
                 + ("" if native else f" [{data['convention']} convention]"), fontsize=9)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    if spec.inset is not None:
        _inset(ax, spec, data)
    footer = spec.source + "".join(f"\n{n}" for n in spec.notes)
    fig.text(0.01, 0.0, footer, fontsize=6, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.035 + 0.02 * len(spec.notes), 1, 0.965
                                      - 0.02 * len(spec.notes)))
    return fig


def _inset(ax, spec, data):
    x0, x1 = (_sympy_value(v, data["params"]) for v in spec.inset[:2])
    keys, bounds = spec.inset[2], spec.inset[3]
    sub = ax.inset_axes(bounds)
    x = data["x"]
    window = (x >= x0) & (x <= x1)
    for c in spec.curves:
        if c.key in keys:
            sub.plot(x[window], data["curves"][c.key][window], c.style, color=c.color, lw=1.2)
    sub.axhline(0.0, color="0.6", lw=0.6)
    sub.set_xlim(x0, x1)
    sub.tick_params(labelsize=6)
    sub.xaxis.set_major_locator(_max_n_locator(3))
    sub.set_title("zoom: " + ", ".join(c.label for c in spec.curves if c.key in keys),
                  fontsize=6)


def _max_n_locator(n):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(n)


@precision_held()
def plot_figure(name, out_dir, *, n_points=None, dpi=150, convention=None, formats=None,
                csv=False):
    """Draw figure ``name`` into ``out_dir`` as ``NAME.png`` and ``NAME.pdf``.

    Returns the list of written paths.  An unknown name (any letter case is
    accepted) is a ValueError listing the known ones; a figure whose model is
    missing raises :class:`ModelUnavailableError` ("model X not available").

    Parameters
    ----------
    n_points : int, keyword-only
        Time points (default: the figure's).
    dpi : int, keyword-only
        Resolution of the PNG image.
    convention : {"received", "provided"}, keyword-only
        Signs of heat and work (default: the paper's).  In the other
        convention the files are named ``NAME.CONVENTION.EXT``.
    formats : sequence of {"png", "pdf", "svg"}, keyword-only
        Image formats (default png and pdf).
    csv : bool, keyword-only
        Also write the plotted numbers as ``NAME.csv`` (see :func:`figure_csv`).
    """
    spec = _spec(name)
    convention = _convention(spec, convention)
    formats = list(dict.fromkeys(DEFAULT_FORMATS if formats is None else formats))
    for ext in formats:
        if ext not in FORMATS:
            raise ValueError(f"unknown image format {ext!r}; expected png, pdf or svg")
    if not formats and not csv:
        raise ValueError("nothing to write: give an image format or csv=True")
    dpi = parse_dpi(dpi)
    stem = spec.name + ("" if convention == spec.convention else f".{convention}")
    plt = _pyplot() if formats else None
    fig = make_figure(spec.name, n_points=n_points, convention=convention) if formats else None
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    try:
        title = f"{spec.paper} Fig. {spec.number} (symthermo)"
        from dataclasses import replace

        source = replace(spec, convention=convention).source
        meta = {
            "png": {"Title": title, "Description": spec.description, "Source": source,
                    "Software": f"symthermo {__version__}"},
            "pdf": {"Title": title, "Subject": spec.description, "Keywords": source,
                    "Creator": f"symthermo {__version__}"},
            "svg": {"Title": title, "Description": spec.description, "Source": source,
                    "Creator": f"symthermo {__version__}"},
        }
        for ext in formats:
            path = os.path.join(out_dir, f"{stem}.{ext}")
            fig.savefig(path, dpi=dpi if ext == "png" else None, metadata=meta[ext])
            paths.append(path)
    finally:
        if fig is not None:
            plt.close(fig)
    if csv:
        path = os.path.join(out_dir, f"{stem}.csv")
        with open(path, "w", newline="") as f:
            f.write(figure_csv(spec.name, n_points=n_points, convention=convention))
        paths.append(path)
    return paths


@precision_held()
def plot_all(out_dir, progress=None, *, names=None, n_points=None, skip_unavailable=False,
             convention=None, formats=None, csv=False, dpi=150):
    """Draw every registered figure (or ``names``) into ``out_dir``; the written paths.

    ``progress``, if given, is called after each figure as
    ``progress(name, paths, seconds)``; a figure whose model is missing is
    reported with ``paths=None`` and skipped when ``skip_unavailable``,
    otherwise its :class:`ModelUnavailableError` propagates.  The other
    options are :func:`plot_figure`'s.
    """
    names = list(FIGURES) if names is None else [_spec(n).name for n in names]
    written = []
    for name in names:
        start = time.perf_counter()
        try:
            paths = plot_figure(name, out_dir, n_points=n_points, convention=convention,
                                formats=formats, csv=csv, dpi=dpi)
        except ModelUnavailableError:
            if not skip_unavailable:
                raise
            paths = None
        if progress is not None:
            progress(name, paths, time.perf_counter() - start)
        written += paths or []
    return written
