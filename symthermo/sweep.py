"""Parameter sweeps: one model evaluated over a grid of parameter sets, on any executor.

A sweep is a function of one parameter set (a *task*: the set evaluated at
all its times) that returns plain data, the rows ``symthermo reference``
prints for it, and a list of such tasks handed to a
:class:`concurrent.futures.Executor`.  Which executor runs them is the
caller's choice: in-process for one worker, a
:class:`~concurrent.futures.ProcessPoolExecutor` by default, a Dask cluster
through ``distributed.Client(...).get_executor()`` (with dask-jobqueue on
SLURM or PBS), or ``mpi4py.futures.MPIPoolExecutor`` at MPI-only sites.
The model is built inside the worker from its name and cached there, so
nothing but names and strings travels.

Every value is the string ``symthermo reference`` prints for the same
parameter set and times (at ``dps`` certified digits, or float64 with 15),
and with ``out`` the rows are appended to a CSV or JSON Lines file as tasks
finish (:mod:`symthermo.sweep_store`): an interrupted sweep run again with
the same file continues where it stopped, and the finished file is the same
either way.  A task that fails is recorded as a row with an ``error``
column and the sweep goes on.

>>> from symthermo.sweep import sweep
>>> result = sweep("exchange", {"g": [0.01, 0.02]}, "0,pi/(2*g)", keys=["Q_A", "W_A"],
...                float64=True, workers=1)
>>> [(r["param.g"], r["t"], r["Q_A"]) for r in result.rows]  # doctest: +NORMALIZE_WHITESPACE
[('0.01', '0', '0'), ('0.01', '157.079632679490', '0'),
 ('0.02', '0', '0'), ('0.02', '78.5398163397448', '0')]
>>> result.done, result.failed, result.skipped
(2, 0, 0)
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
from dataclasses import dataclass

import numpy as np

from . import __version__
from .errors import CrossCheckError, SymthermoError
from .heat_work import check_convention
from .precision import FLOAT64_DIGITS, PRECISION_LOCK, check_dps
from .sweep_grid import Grid, parse_number
from .sweep_reduce import parse_reduction, reduce_columns, reduce_rows, reduction_keys
from .sweep_store import Store

__all__ = ["sweep", "SweepResult", "SweepIncomplete", "point_rows", "default_chunksize",
           "param_column"]


class SweepIncomplete(SymthermoError, RuntimeError):
    """Some tasks were lost (a worker died, the cluster went away); run the sweep
    again with the same output file to finish them."""


@dataclass
class SweepResult:
    """What a sweep produced.

    ``rows``: one dict per parameter set and time (per parameter set with
    reductions), in task order, each holding ``task``, the swept parameter
    values (columns ``param.NAME``), the contract's keys (or the reductions)
    as strings and ``error`` (None, or the task's one-line error).  ``done``, ``failed``: tasks
    computed by this call (``failed`` of them recorded an error); ``skipped``:
    tasks already complete in the output file; ``lost``: tasks not finished
    (see :class:`SweepIncomplete`).
    """

    rows: list
    columns: list
    params: dict
    done: int = 0
    failed: int = 0
    skipped: int = 0
    lost: int = 0
    path: object = None
    lost_reason: str = None

    def summary(self):
        """One line counting the tasks."""
        text = (f"sweep: {self.done + self.skipped + self.lost} tasks: {self.done} done "
                f"({self.failed} failed), {self.skipped} skipped (already in the output)")
        if self.lost:
            text += f", {self.lost} not finished ({self.lost_reason})"
        return text


@dataclass(frozen=True)
class _Spec:
    """What a worker needs for any task of one sweep (plain, picklable data)."""

    model: object  # a model name, or a picklable Model instance
    params: tuple  # fixed (name, value text) pairs
    times: tuple
    dps: int
    float64: bool
    convention: str
    keys: tuple  # the contract keys computed for each row
    reductions: tuple  # reduction texts


# -- the task: one parameter set --------------------------------------------------

_WORKER_MODELS = {}
_WORKER_TIMES = {}
_WORKER_BASES = {}


#: a worker's model is built afresh after this many tasks: a model caches compiled
#: forms per parameter set, which a long sweep would otherwise accumulate
_FRESH_MODEL_EVERY = 256


def _worker_model(model):
    """The model of a task, built once per process from its name (and renewed now and then)."""
    if not isinstance(model, str):
        return model
    found = _WORKER_MODELS.get(model)
    if found is None or found[1] >= _FRESH_MODEL_EVERY:
        from .models import get_model

        found = [get_model(model), 0]
        _WORKER_MODELS[model] = found
    found[1] += 1
    return found[0]


def _float64_times(time_texts, p, unused=()):
    """The float64 times, parsed once per process when they do not depend on the parameters
    (``unused``: the parameters that set no scale, Model.unused_parameters)."""
    from .numbers import FLOAT64
    from .tables import time_values

    key = tuple(time_texts)
    cached = _WORKER_TIMES.get(key)
    if cached is None:
        try:
            cached = ("fixed", time_values(list(time_texts), {}, lib=FLOAT64))
        except ValueError:
            cached = ("per-point", None)
        if len(_WORKER_TIMES) > 64:
            _WORKER_TIMES.clear()
        _WORKER_TIMES[key] = cached
    if cached[0] == "fixed":
        return cached[1]
    return time_values(list(time_texts), p, lib=FLOAT64, unused=unused)


def _parsed_times(times):
    """:func:`~symthermo.tables.parse_times`, once per process for the same text."""
    from .tables import parse_times

    key = times if isinstance(times, str) else tuple(times)
    found = _WORKER_TIMES.get(("texts", key))
    if found is None:
        found = _WORKER_TIMES[("texts", key)] = parse_times(times)
    return found


def point_rows(model, given, times, *, keys=None, dps=30, float64=False, convention="received"):
    """The rows of one parameter set: for each time a dict key -> the string
    ``symthermo reference`` prints (``tables.reference_payload``'s rows).

    In float64 the times are parsed once per process (when they do not
    depend on the parameters) and only ``keys`` are formatted; the strings
    are those of :func:`~symthermo.tables.reference_payload` (the tests
    compare the two).  At ``dps`` digits this is ``reference_payload``.

    >>> from symthermo.models import get_model
    >>> point_rows(get_model("exchange"), {"g": "0.02"}, ["pi/(2*g)"], keys=["t", "W_A"], dps=12)
    [{'t': '78.5398163397', 'W_A': '-1.00000000000'}]
    """
    from .tables import parse_times, reference_payload

    keys = list(model.keys() if keys is None else keys)
    if not float64:
        payload = reference_payload(model, given, parse_times(times), dps=dps,
                                    convention=convention)
        return [{k: row[k] for k in keys} for row in payload["rows"]]
    from .numbers import FLOAT64

    p = model.params(given)
    model.numeric_params(p)
    ts = _float64_times(_parsed_times(times), p, model.unused_parameters(p))
    rows = model.evaluate(p, ts, lib=FLOAT64, convention=convention)
    return _printed_float64(model, given, times, rows, keys, convention)


def _printed_float64(model, given, times, rows, keys, convention):
    """The strings of float64 ``rows``, the rows the model cannot vouch for recomputed
    certified, as ``symthermo reference --float64`` prints them."""
    from .tables import _recomputed, _rows_out

    out = _rows_out(rows, keys, FLOAT64_DIGITS)
    _recomputed(model, given, _parsed_times(times), rows, out, keys, convention)
    return out


def _reduce_float64(model, given, spec, reductions):
    """The reductions of one float64 parameter set, printing only the values that
    decide (:func:`~symthermo.sweep_reduce.reduce_columns`); the same result as
    :func:`~symthermo.sweep_reduce.reduce_rows` on :func:`point_rows` (tested)."""
    from .numbers import FLOAT64
    from .tables import _format

    p = model.params(given)
    model.numeric_params(p)
    ts = _float64_times(_parsed_times(spec.times), p, model.unused_parameters(p))
    rows = model.evaluate(p, ts, lib=FLOAT64, convention=spec.convention)
    keys = reduction_keys(reductions)
    if getattr(rows, "unearned", None):
        # some rows are recomputed certified (and may be bounds): reduce the printed rows
        return reduce_rows(_printed_float64(model, given, spec.times, rows, keys,
                                            spec.convention), reductions, FLOAT64_DIGITS)
    try:
        if hasattr(rows, "column"):
            columns = {k: np.asarray(rows.column(k), dtype=float) for k in keys}
        else:
            columns = {k: np.array([row[k] for row in rows], dtype=float) for k in keys}
    except (TypeError, ValueError):  # not real numbers: print everything
        return reduce_rows(_rows_out_checked(rows, keys), reductions, FLOAT64_DIGITS)
    if len(rows) and any(k not in rows[0] for k in keys):
        raise RuntimeError(f"row lacks keys {[k for k in keys if k not in rows[0]]}")
    return reduce_columns(columns, reductions, FLOAT64_DIGITS,
                          lambda key, i: _format(rows[i][key], FLOAT64_DIGITS))


def _rows_out_checked(rows, keys):
    from .tables import _rows_out

    return _rows_out(rows, keys, FLOAT64_DIGITS)


def _task_error(exc):
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, (ValueError, TypeError, ArithmeticError, SymthermoError)) and \
            not isinstance(exc, CrossCheckError):
        return text
    return f"internal failure ({type(exc).__name__}): {text}"


def _run_task(spec, point):
    # one task at a time per process: mpmath's precision is process-wide (decimal_string
    # and the compiled constants set it) and a model's caches are not shared safely,
    # so threads of one worker (a Dask worker has several) take turns
    with PRECISION_LOCK:
        return _run_task_locked(spec, point)


def _given(model, spec, point):
    """The parameters of one task for ``model.params``: the texts, or, when every fixed
    value and default is a plain number (or a choice), exact SymPy numbers made
    once per process plus the point's values read exactly (no SymPy parsing per
    task; the same values and the same refusals as the texts give, tested)."""
    key = (type(model), model.name, spec.params)
    base = _WORKER_BASES.get(key)
    if base is None:
        plain = all(_plain(v) for _, v in spec.params) and all(
            prm.choices or _plain(prm.default) for prm in model.parameters)
        base = _WORKER_BASES[key] = (model.params(dict(spec.params)) if plain else False)
    if base is False:
        given = dict(spec.params)
        given.update(point)
        return given
    import sympy

    known = {prm.name: prm for prm in model.parameters}
    given = dict(base)
    for name, text in point.items():
        if known[name].choices:
            given[name] = text
            continue
        x = parse_number(text)
        if x < 0:
            raise ValueError(f"{name} must be a non-negative real number, got {text!r}")
        given[name] = sympy.Rational(x.numerator, x.denominator)
    return given


def _plain(text):
    try:
        parse_number(text)
        return True
    except ValueError:
        return False


def _run_task_locked(spec, point):
    model = _worker_model(spec.model)
    try:
        given = _given(model, spec, point)
        reductions = [parse_reduction(r) for r in spec.reductions]
        if spec.float64 and reductions:
            return [_reduce_float64(model, given, spec, reductions)], None
        rows = point_rows(model, given, spec.times, keys=spec.keys, dps=spec.dps,
                          float64=spec.float64, convention=spec.convention)
        if reductions:
            rows = [reduce_rows(rows, reductions, spec.dps)]
        return rows, None
    except Exception as exc:  # recorded in the output; the sweep goes on
        return None, _task_error(exc)


def _run_chunk(spec, chunk):
    """Run several tasks in one executor call: ``[(index, rows or None, error or None)]``."""
    out = []
    for index, point in chunk:
        rows, error = _run_task(spec, point)
        out.append((index, rows, error))
    return out


# -- the sweep ----------------------------------------------------------------------

def default_chunksize(tasks, workers, *, float64):
    """Parameter sets per executor call: a few calls per worker (load balance),
    at most 16 cheap float64 sets or 2 certified ones per call (what an interruption
    may lose)."""
    cap = 16 if float64 else 2
    return max(1, min(cap, tasks // max(1, 4 * workers)))


def _process_pool(workers):
    try:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["symthermo.sweep", "symthermo.tables", "symthermo.models"])
    except ValueError:  # no forkserver on this platform
        ctx = None
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                  initializer=_ignore_interrupts)


def _ignore_interrupts():
    """Workers leave Ctrl-C to the main process, which stops the pool and keeps what
    has been written."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _progress_bar(progress, total, initial):
    if progress is None:
        from .progress import on_terminal

        progress = on_terminal()
    if callable(progress):
        return _CallbackProgress(progress, total, initial)
    if not progress:
        return _CallbackProgress(None, total, initial)
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="task", file=sys.stderr,
                dynamic_ncols=True, desc="sweep")


class _CallbackProgress:
    def __init__(self, callback, total, initial):
        self.callback, self.total, self.n = callback, total, initial

    def update(self, k=1):
        self.n += k
        if self.callback is not None:
            self.callback(self.n, self.total)

    def close(self):
        pass


def sweep(model, grid, times, *, keys=None, dps=30, float64=False, convention="received",
          executor=None, out=None, params=None, reduce=None, workers=None, chunksize=None,
          fmt=None, progress=False, keep_rows=True):
    """Evaluate ``model`` at every parameter set of ``grid`` and every time of ``times``.

    Parameters
    ----------
    model : str or Model
        A model name (``symthermo models``) or instance.
    grid : dict or list of dict or Grid
        Axes ``{name: values}`` (a list of numbers or strings, or an axis text
        ``"START:STOP:COUNT"``, ``"log:START:STOP:COUNT"``, ``"V1,V2"``),
        whose product is swept (the first axis varies slowest), or a list of
        points ``[{name: value}, ...]``.
    times : str or list
        What ``--times`` takes (``"0:20:101"``, ``"0,pi/(4*g)"``).
    keys : list of str, optional
        The contract keys to keep (default: all of the model's); ``t`` is always kept.
    dps, float64, convention
        As for ``symthermo reference``.
    executor : concurrent.futures.Executor, optional
        Runs the tasks; by default a process pool of ``workers`` processes
        (``os.cpu_count()``), or this process for one worker or one task.
    out : path, optional
        CSV or JSON Lines file written as tasks finish (and resumed).
    params : dict, optional
        Fixed parameter values (name -> text), the rest of the model's defaults.
    reduce : list of str, optional
        Reductions over time (:mod:`symthermo.sweep_reduce`): one row per
        parameter set holding them instead of one per time.
    workers, chunksize : int, optional
        Size of the default pool; parameter sets per executor call.
    fmt : {"csv", "jsonl"}, optional
        The output format (default: from the extension of ``out``).
    progress : bool or callable, optional
        A tqdm bar on stderr (None: when stderr is a terminal), or
        ``progress(done, total)`` called after each task.
    keep_rows : bool
        False: leave ``rows`` of the result empty (the rows are in ``out``;
        a long sweep need not hold them in memory).

    Returns
    -------
    SweepResult
        Raises :class:`SweepIncomplete` (after writing what was finished) when
        tasks were lost.
    """
    from .models import get_model

    for name, value in (("workers", workers), ("chunksize", chunksize)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    model_obj = get_model(model) if isinstance(model, str) else model
    convention = check_convention(convention)
    digits = FLOAT64_DIGITS if float64 else check_dps(dps)
    grid = Grid.of(grid, model_obj)
    fixed = _fixed_params(params, grid, model_obj)
    time_texts = _times(times)
    all_keys = model_obj.keys()
    reductions = [parse_reduction(r) for r in (reduce or [])]
    names = [r.name for r in reductions]
    if len(set(names)) != len(names):
        raise ValueError(f"two reductions have the same name: {names}")
    wanted = _keys(keys, all_keys)
    for r in reductions:
        unknown = sorted(k for k in r.keys() if k not in all_keys)
        if unknown:
            raise ValueError(f"reduction {r.text!r} reads unknown key(s) {', '.join(unknown)} "
                             f"of model {model_obj.name}; known: {', '.join(all_keys)}")
    computed = reduction_keys(reductions) if reductions else wanted
    computed = [k for k in all_keys if k in computed]
    outputs = names if reductions else wanted
    columns = ["task"] + [param_column(n) for n in grid.names] + list(outputs) + ["error"]
    worker_model = model_obj.name if _registered(model_obj) else model_obj
    spec = _Spec(model=worker_model, params=tuple(sorted(fixed.items())),
                 times=tuple(time_texts), dps=digits, float64=bool(float64),
                 convention=convention, keys=tuple(computed),
                 reductions=tuple(r.text for r in reductions))
    # the first point is checked here, so that a typo stops the sweep before it starts
    first = dict(fixed)
    first.update(grid[0])
    p_first = model_obj.numeric_params(model_obj.params(first))
    from .numbers import FLOAT64
    from .tables import time_values

    time_values(time_texts, p_first, lib=FLOAT64, unused=model_obj.unused_parameters(p_first))

    settings = {"model": model_obj.name, "params": dict(spec.params), "grid": grid.describe(),
                "times": list(time_texts), "number_system": "float64" if float64 else "mpmath",
                "dps": digits, "convention": convention, "keys": list(wanted),
                "reduce": list(spec.reductions), "units": "hbar = k_B = 1",
                "symthermo": __version__}
    expected = (lambda task: 1) if reductions else (lambda task: len(time_texts))
    store = Store.open(out, settings, columns, expected=expected, fmt=fmt) if out is not None \
        else None
    results = {}
    try:
        if store is not None:
            for task, rows in store.resumed.items():
                _check_resumed(grid, task, rows, out)
                if keep_rows:
                    results[task] = [_typed(row, columns) for row in rows]
            store.resumed = None
        skipped = len(store.done) if store is not None else 0
        done = store.done if store is not None else ()
        todo = [i for i in range(len(grid)) if i not in done]
        counts = _run(spec, grid, todo, executor, workers, chunksize, store,
                      results if keep_rows else None,
                      _progress_bar(progress, len(grid), skipped), columns)
    except BaseException:
        if store is not None:
            store.close()
        raise
    if store is not None:
        store.finish(total=len(grid))  # and release the output file
    rows = [row for task in sorted(results) for row in results[task]]
    result = SweepResult(rows=rows, columns=columns, params=dict(fixed), done=counts["done"],
                         failed=counts["failed"], skipped=skipped, lost=counts["lost"],
                         path=out, lost_reason=counts["reason"])
    if result.lost:
        raise SweepIncomplete(result.summary() + "; run again with the same output to finish")
    return result


def _run(spec, grid, todo, executor, workers, chunksize, store, results, bar, columns):
    counts = {"done": 0, "failed": 0, "lost": 0, "reason": None}

    def record(index, point, rows, error):
        if error is not None:
            rows = [dict({c: None for c in columns}, task=index, **_param_columns(point),
                         error=error)]
            counts["failed"] += 1
        else:
            rows = [dict({c: None for c in columns}, task=index, **_param_columns(point), **r)
                    for r in rows]
        if store is not None:
            store.append(index, rows)
        if results is not None:
            results[index] = rows
        counts["done"] += 1
        bar.update(1)

    try:
        if not todo:
            return counts
        n_workers = workers if workers is not None else (os.cpu_count() or 1)
        if executor is None and (n_workers <= 1 or len(todo) == 1):
            for index in todo:
                point = grid[index]
                rows, error = _run_task(spec, point)
                record(index, point, rows, error)
            return counts
        size = chunksize or default_chunksize(len(todo), n_workers, float64=spec.float64)
        chunks = ([(i, grid[i]) for i in todo[k:k + size]] for k in range(0, len(todo), size))
        n_chunks = -(-len(todo) // size)
        owned = executor is None
        pool = _process_pool(min(n_workers, n_chunks)) if owned else executor
        window = 2 * getattr(pool, "_max_workers", 0) or 64
        try:
            _drive(pool, spec, chunks, window, record, grid, counts)
        finally:
            if owned:
                pool.shutdown(wait=True, cancel_futures=True)
        return counts
    finally:
        bar.close()


def _drive(pool, spec, chunks, window, record, grid, counts):
    """Submit chunks (at most ``window`` in flight), record each as it finishes."""
    queue = iter(chunks)
    futures = {}
    broken = False

    def submit():
        nonlocal broken
        while not broken and len(futures) < window:
            chunk = next(queue, None)
            if chunk is None:
                return
            try:
                futures[pool.submit(_run_chunk, spec, chunk)] = chunk
            except (cf.BrokenExecutor, RuntimeError) as exc:  # shut down or broken
                lose(chunk, exc)
                broken = True

    def lose(chunk, exc):
        counts["lost"] += len(chunk)
        counts["reason"] = counts["reason"] or (" ".join(str(exc).split())
                                                or type(exc).__name__)

    try:
        submit()
        while futures:
            finished, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                chunk = futures.pop(fut)
                try:
                    out = fut.result()
                except Exception as exc:  # the worker, not the task, failed
                    lose(chunk, exc)
                    if isinstance(exc, cf.BrokenExecutor):
                        broken = True
                    continue
                for index, rows, error in out:
                    record(index, grid[index], rows, error)
            submit()
        for chunk in queue:  # never submitted (the executor broke)
            counts["lost"] += len(chunk)
    except BaseException:
        # interrupted: nothing new starts; what is running finishes and is kept
        running = [fut for fut in futures if not fut.cancel()]
        for fut in running:
            try:
                out = fut.result()
            except BaseException:
                continue
            for index, rows, error in out:
                record(index, grid[index], rows, error)
        raise


def param_column(name):
    """The column of a swept parameter: ``param.NAME`` (a model's keys may reuse a
    parameter's name: the refrigerator's ``beta_B`` is both).

    >>> param_column("beta_B")
    'param.beta_B'
    """
    return f"param.{name}"


def _param_columns(point):
    return {param_column(k): v for k, v in point.items()}


def _registered(model):
    from .models import get_model, model_names

    return model.name in model_names() and type(get_model(model.name)) is type(model)


def _fixed_params(params, grid, model):
    if params is None:
        return {}
    items = params.items() if isinstance(params, dict) else [_split(p) for p in params]
    known = {p.name for p in model.parameters}
    out = {}
    for name, value in items:
        if name not in known:
            raise ValueError(f"unknown parameter {name!r} for model {model.name}; "
                             f"known: {', '.join(p.name for p in model.parameters)}")
        if name in grid.names:
            raise ValueError(f"parameter {name} is both fixed (--param) and swept (--grid)")
        out[name] = str(value)
    return out


def _split(text):
    if "=" not in str(text):
        raise ValueError(f"parameter must be NAME=VALUE, got {text!r}")
    name, value = str(text).split("=", 1)
    return name.strip(), value.strip()


def _times(times):
    from .tables import parse_times

    texts = parse_times(times)
    if not texts:
        raise ValueError(f"no times in {times!r}")
    return texts


def _keys(keys, all_keys):
    if keys is None:
        return list(all_keys)
    if isinstance(keys, str):
        keys = [k.strip() for k in keys.split(",") if k.strip()]
    unknown = [k for k in keys if k not in all_keys]
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, unknown))}; known: "
                         f"{', '.join(all_keys)}")
    return ["t"] + [k for k in all_keys if k in keys and k != "t"]


def _typed(row, columns):
    out = {c: row.get(c) for c in columns}
    out["task"] = int(out["task"])
    return out


def _check_resumed(grid, task, rows, path):
    if not 0 <= task < len(grid):
        raise ValueError(f"{str(path)!r} holds task {task}, the grid has {len(grid)} points")
    point = grid[task]
    for row in rows:
        if any(row.get(param_column(k)) != v for k, v in point.items()):
            raise ValueError(f"{str(path)!r}: the row of task {task} has parameters "
                             f"{ {k: row.get(param_column(k)) for k in point} }, the grid "
                             f"{point}")
