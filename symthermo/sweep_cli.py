"""The ``symthermo sweep`` and ``symthermo plot-sweep`` commands (argument parsing and
running; the work is in :mod:`symthermo.sweep` and :mod:`symthermo.sweep_plot`)."""

from __future__ import annotations

import sys

__all__ = ["add_sweep_parsers", "run_sweep_command"]


def add_sweep_parsers(sub):
    """Add the two subcommands to the CLI's subparsers."""
    from .heat_work import CONVENTIONS

    p = sub.add_parser("sweep", help="a model over a grid of parameter sets, into a CSV or "
                                     "JSON Lines file (resumable)")
    p.add_argument("model", help="a model name (see symthermo models)")
    grid = p.add_mutually_exclusive_group(required=True)
    grid.add_argument("--grid", action="append", metavar="NAME=START:STOP:COUNT",
                      help="a swept parameter: NAME=START:STOP:COUNT, NAME=log:START:STOP:COUNT "
                           "or NAME=V1,V2,...; several --grid make a product")
    grid.add_argument("--points", metavar="FILE",
                      help="the parameter sets as a list: a CSV file with a header of "
                           "parameter names, or a JSON list of objects")
    p.add_argument("--times", required=True, help="as for reference")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a fixed parameter value")
    precision = p.add_mutually_exclusive_group()
    precision.add_argument("--dps", default="30", help="significant digits (default 30)")
    precision.add_argument("--float64", action="store_true", help="evaluate in float64")
    p.add_argument("--convention", choices=CONVENTIONS, default="received",
                   help="received (Elouard & Latune, default) or provided (Santos & Latune)")
    p.add_argument("--keys", default=None, metavar="K1,K2,...",
                   help="contract keys to write (default: all; t is always written)")
    p.add_argument("--reduce", action="append", default=[], metavar="[NAME=][X@]OP:EXPR",
                   help="a reduction over time (max:-Q_A, argmax:-Q_A, cop@max:-Q_A, "
                        "first:-Q_A>0): one row per parameter set")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive, default=None,
                       help="local worker processes (default: the number of CPUs)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="a Dask scheduler (tcp://host:8786) to run the tasks on")
    p.add_argument("--chunksize", type=_positive, default=None,
                   help="parameter sets per executor call")
    p.add_argument("--out", required=True, metavar="FILE", help="output file (.csv or .jsonl)")
    p.add_argument("--format", choices=("csv", "jsonl"), default=None,
                   help="output format (default: from the extension of --out)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    p = sub.add_parser("plot-sweep", help="a heat map of one column of a sweep file")
    p.add_argument("file", metavar="FILE", help="a sweep's output file (.csv or .jsonl)")
    p.add_argument("--x", required=True, help="parameter on the horizontal axis")
    p.add_argument("--y", required=True, help="parameter on the vertical axis")
    p.add_argument("--z", required=True, help="column drawn as colour")
    p.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                   help="fix another swept parameter (or t) to one of its values")
    p.add_argument("--out", default=None, help="image file (default: FILE's name with "
                                                ".Z.png)")
    p.add_argument("--format", choices=("csv", "jsonl"), default=None,
                   help="format of FILE (default: from its extension)")


def _positive(text):
    try:
        n = int(text)
    except ValueError:
        raise ValueError(f"expected a positive integer, got {text!r}") from None
    if n < 1:
        raise ValueError(f"expected a positive integer, got {text!r}")
    return n


def run_sweep_command(args, out):
    """Run ``sweep`` or ``plot-sweep`` with parsed ``args``; results to ``out``."""
    if args.command == "plot-sweep":
        from .sweep_plot import plot_sweep

        path = plot_sweep(args.file, x=args.x, y=args.y, z=args.z, at=args.at,
                          out=args.out, fmt=args.format)
        out.write(f"{path}\n")
        return
    from .sweep import SweepIncomplete, sweep

    executor, client = None, None
    if args.scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            raise ValueError("--scheduler needs Dask's distributed package: "
                             "pip install 'symthermo[cluster]'") from None
        client = Client(args.scheduler)
        executor = client.get_executor()
    try:
        grid = _points(args.points) if args.points is not None else _grid(args.grid)
        result = sweep(args.model, grid, args.times, keys=args.keys,
                       dps=args.dps, float64=args.float64, convention=args.convention,
                       executor=executor, out=args.out, params=args.param,
                       reduce=args.reduce, workers=args.workers, chunksize=args.chunksize,
                       fmt=args.format, progress=False if args.quiet else None,
                       keep_rows=False)
    except SweepIncomplete as exc:
        sys.stderr.write(f"error: {' '.join(str(exc).split())}\n")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write("sweep: interrupted; run again with the same --out to continue\n")
        raise
    finally:
        if client is not None:
            client.close()
    if not args.quiet:
        sys.stderr.write(result.summary() + "\n")
    out.write(f"{args.out}\n")


def _grid(specs):
    axes = {}
    for spec in specs:
        if "=" not in spec:
            raise ValueError(f"a grid axis is NAME=START:STOP:COUNT or NAME=V1,V2,..., "
                             f"got {spec!r}")
        name, values = (s.strip() for s in spec.split("=", 1))
        if name in axes:
            raise ValueError(f"--grid {name} given twice")
        axes[name] = values  # parsed against the model's parameters by the sweep
    return axes


#: the largest --points file read (bytes)
MAX_POINTS_FILE = 64 * 1024 * 1024


def _points(path):
    """The points of a --points file (CSV with a header, or a JSON list of objects)."""
    import csv
    import json
    from pathlib import Path

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_POINTS_FILE:
        raise ValueError(f"--points file {str(path)!r} is {size} bytes; at most "
                         f"{MAX_POINTS_FILE}")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            points = json.loads(text)
        except ValueError:
            raise ValueError(f"--points file {str(path)!r} is not JSON") from None
        if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
            raise ValueError(f"--points file {str(path)!r} must hold a JSON list of objects")
        for p in points:
            for name, value in p.items():
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    raise ValueError(f"--points: {name} must be a number or a string, "
                                     f"got {value!r}")
        return [{k: (v if isinstance(v, str) else repr(v)) for k, v in p.items()}
                for p in points]
    rows = list(csv.reader(text.splitlines()))
    if len(rows) < 2:
        raise ValueError(f"--points file {str(path)!r} needs a header and at least one row")
    header = [h.strip() for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"--points file {str(path)!r} line {number} has {len(row)} "
                             f"fields, the header {len(header)}")
        out.append({k: v.strip() for k, v in zip(header, row)})
    return out
