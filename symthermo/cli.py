"""The ``symthermo`` command line (formats fixed in CONTRACT.md).

Errors go to stderr as one line starting ``error:``; exit code 2 for bad
input or usage, 1 for an internal failure (a cross-check that does not
agree).  ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .errors import CrossCheckError, SymthermoError
from .heat_work import CONVENTIONS

__all__ = ["main", "build_parser"]


class UsageError(ValueError):
    """Bad command-line usage."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit code 2, no usage dump
        raise UsageError(message)


def _add_precision(p):
    p.add_argument("--times", required=True,
                   help="comma-separated times, SymPy expressions in the parameters "
                        "(e.g. 'pi/(4*g)'), or START:STOP:COUNT")
    p.add_argument("--dps", default="30", help="significant digits (default 30)")
    p.add_argument("--float64", action="store_true",
                   help="evaluate in float64 instead (15 digits printed)")
    p.add_argument("--convention", choices=CONVENTIONS, default="received",
                   help="received (Elouard & Latune, default) or provided (Santos & Latune)")
    p.add_argument("--format", choices=("json", "csv"), default="json",
                   help="output format (default json)")


def build_parser():
    parser = _Parser(prog="symthermo",
                     description="Thermodynamics of autonomous quantum systems, exactly and at "
                                 "any precision (Elouard & Latune 2023; Santos & Latune 2026).")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"symthermo {__version__}",
                        help="print symthermo's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                help="one of the commands below ('symthermo COMMAND --help')")

    p = sub.add_parser("models", help="list the models, their parameters and extra keys")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default text)")

    p = sub.add_parser("derive", help="closed forms of a model, as SymPy derives them")
    p.add_argument("model", help="a model name (see symthermo models)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable); the others stay symbols")
    p.add_argument("--format", choices=("latex", "text", "json"), default="text",
                   help="output format (default text)")
    p.add_argument("--convention", choices=CONVENTIONS, default="received",
                   help="received (Elouard & Latune, default) or provided (Santos & Latune)")

    p = sub.add_parser("reference", help="a model's values at given times")
    p.add_argument("model", help="a model name (see symthermo models)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable; others keep their defaults)")
    p.add_argument("--method", choices=("closed-form", "propagator"), default="closed-form",
                   help="closed forms (default) or the independent propagator")
    _add_precision(p)
    p.add_argument("--number-system", choices=("balls", "mpmath"), default="balls",
                   help="certified digits from ball arithmetic (default: every printed digit "
                        "proven, one evaluation per precision) or mpmath (two agreeing "
                        "precisions)")
    p.add_argument("--errors", action="store_true",
                   help="CSV: add err_KEY columns, the proven bound of |printed - exact| "
                        "(JSON rows always carry \"err\" with balls)")

    p = sub.add_parser("ledger", help="the same quantities for a system described in JSON")
    p.add_argument("system", metavar="SYSTEM.json",
                   help="the system: Hamiltonians, initial states, coupling (CONTRACT.md)")
    _add_precision(p)
    p.add_argument("--number-system", choices=("balls", "mpmath"), default="balls",
                   help="certified digits from ball arithmetic (default: every printed digit "
                        "proven) or mpmath (two agreeing precisions)")
    p.add_argument("--errors", action="store_true",
                   help="CSV: add err_KEY columns (JSON rows always carry \"err\" with balls)")

    p = sub.add_parser("verify", help="check the papers' printed equations against the derivation")
    p.add_argument("--paper", choices=("EL23", "SL26", "all"), default="all",
                   help="which paper's equations (default all)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default text)")
    p.add_argument("--only", choices=("differs", "holds", "not-checked"),
                   help="show only the checks with this status")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar on stderr (none is drawn when stderr is not a terminal)")

    p = sub.add_parser("reproduce", help="the main job: everything, written into a directory")
    p.add_argument("--out", default="symthermo-output",
                   help="result directory (default symthermo-output); an existing one is "
                        "replaced only if it holds symthermo's own output")
    p.add_argument("--force", action="store_true",
                   help="also replace an earlier output whose files were modified "
                        "(never a file symthermo did not write)")
    p.add_argument("--no-figures", action="store_true",
                   help="skip the figures (the step that needs matplotlib)")
    p.add_argument("--quiet", action="store_true",
                   help="no step messages and no progress bars on stderr")

    p = sub.add_parser("plot", help="draw one figure of the papers")
    p.add_argument("figure", help="a figure name such as EL23-2a or sl26-5b (any case)")
    p.add_argument("--out", default=".", help="directory to write into (default .)")
    p.add_argument("--convention", choices=CONVENTIONS, default=None,
                   help="sign convention of heat and work (default: the figure's paper's, "
                        "received for EL23, provided for SL26)")
    p.add_argument("--format", choices=("png", "pdf", "svg"), action="append", default=None,
                   dest="formats", help="image format (repeatable; default png and pdf)")
    p.add_argument("--dpi", default="150", help="resolution of PNG images (default 150)")

    from .sweep_cli import add_sweep_parsers  # sweep, plot-sweep

    add_sweep_parsers(sub)
    return parser


def _dps(args):
    from .precision import check_dps

    return check_dps(args.dps)


def _run(args):
    out = sys.stdout
    if args.command == "models":
        from .catalogue import models_text, models_json

        out.write(models_json() if args.format == "json" else models_text())
    elif args.command == "derive":
        from .derive import derive_output
        from .models import get_model

        out.write(derive_output(get_model(args.model), args.param, args.format,
                                convention=args.convention))
    elif args.command == "reference":
        from .models import get_model
        from .tables import reference_payload, render

        payload = reference_payload(get_model(args.model), args.param, args.times,
                                    dps=_dps(args), float64=args.float64,
                                    convention=args.convention, method=args.method,
                                    number_system=args.number_system)
        out.write(render(payload, args.format, errors=args.errors))
    elif args.command == "ledger":
        from .ledger import load_system
        from .tables import ledger_payload, render

        system = load_system(args.system)
        payload = ledger_payload(system, args.system, args.times, dps=_dps(args),
                                 float64=args.float64, convention=args.convention,
                                 number_system=args.number_system)
        out.write(render(payload, args.format, errors=args.errors))
    elif args.command == "verify":
        from .papers import EL23, SL26
        from .progress import progress_bar
        from .verify import verify_output

        total = (len(EL23) if args.paper != "SL26" else 0) + (len(SL26) if args.paper != "EL23"
                                                             else 0)
        with progress_bar(total, "verify", quiet=args.quiet, unit="check") as bar:
            hook = {} if bar.disable else {"on_check": lambda check: bar.update()}
            text, failed = verify_output(args.paper, args.format, only=args.only, **hook)
        out.write(text)
        if failed:
            raise CrossCheckError(f"{failed} of verify's own cross-checks failed")
    elif args.command == "reproduce":
        from .reproduce import reproduce

        reproduce(args.out, figures=not args.no_figures, force=args.force, quiet=args.quiet)
    elif args.command == "plot":
        from .figures import parse_dpi, plot_figure

        for path in plot_figure(args.figure, args.out, dpi=parse_dpi(args.dpi),
                                convention=args.convention, formats=args.formats, csv=True):
            out.write(f"{path}\n")
    elif args.command in ("sweep", "plot-sweep"):
        from .sweep_cli import run_sweep_command

        run_sweep_command(args, out)
    else:
        raise UsageError("a command is required: models, derive, reference, ledger, verify, "
                         "reproduce or plot (see symthermo --help)")


def main(argv=None):
    """Run the command line; returns the exit code."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        args = parser.parse_args(argv)
        _run(args)
        return 0
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except CrossCheckError as exc:
        if debug:
            raise
        _error(str(exc))
        return 1
    except (UsageError, ValueError, TypeError, SymthermoError, OSError) as exc:
        if debug:
            raise
        _error(_one_line(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 1
    except Exception as exc:  # an internal failure: one line, exit 1
        if debug:
            raise
        _error(f"internal failure ({type(exc).__name__}): {_one_line(exc)}")
        return 1


#: an error line is cut to this many characters (a message may quote a huge expression)
MAX_ERROR_CHARS = 1000


def _one_line(exc):
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > MAX_ERROR_CHARS:
        text = f"{text[:MAX_ERROR_CHARS - 40]}... ({len(text)} characters, cut)"
    return text


def _error(message):
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
