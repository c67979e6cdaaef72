"""A sweep's output file: rows appended as tasks finish, resumed after an interruption.

The file is CSV (``.csv``) or JSON Lines (``.jsonl``, ``.ndjson``, ``.json``);
next to it ``FILE.meta.json`` holds the sweep's settings.  Every finished task
(one parameter set) is appended as whole lines in one write, flushed and
fsynced, so a killed run loses at most the tasks in flight.  Run again with
the same settings, the sweep reads the file back, drops a partly written last
line and any task whose rows are incomplete, and computes only what is
missing; with other settings it refuses (a ValueError naming the difference).
When every task is done the rows are put in task order and the file replaced
atomically (temporary file, fsync, ``os.replace``), so the final file is the
same whether or not the run was interrupted.

>>> import tempfile, pathlib
>>> from symthermo.sweep_store import Store
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> s = Store.open(d / "out.csv", {"model": "m"}, ["task", "x", "y", "error"],
...                expected=lambda i: 1)
>>> s.append(1, [{"task": 1, "x": "2", "y": "4"}]); s.append(0, [{"task": 0, "x": "1", "y": "1"}])
>>> s.finish(total=2)
True
>>> (d / "out.csv").read_text()
'task,x,y,error\\n0,1,1,\\n1,2,4,\\n'
>>> import shutil; shutil.rmtree(d)
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from pathlib import Path

__all__ = ["Store", "SettingsMismatch", "output_format", "read_rows", "META_SUFFIX"]

META_SUFFIX = ".meta.json"
_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
_VERSION = 1


class SettingsMismatch(ValueError):
    """The output file holds a sweep with other settings."""


def output_format(path, fmt=None):
    """``csv`` or ``jsonl``, from ``fmt`` or the file's extension."""
    if fmt is not None:
        if fmt not in ("csv", "jsonl"):
            raise ValueError(f"unknown sweep format {fmt!r}; expected csv or jsonl")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise ValueError(f"cannot tell the format of {str(path)!r} from its extension; "
                         "use .csv or .jsonl, or give --format")
    return _FORMATS[suffix]


def _fsync_directory(path):
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomically(path, text):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_directory(path.parent)


def _lines(fmt, columns, rows):
    """The text of ``rows`` (dicts) in ``fmt``, whole lines."""
    if fmt == "jsonl":
        return "".join(json.dumps({k: row[k] for k in columns if k in row and
                                   (k != "error" or row[k] is not None)},
                                  ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", restval="",
                            extrasaction="raise")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def _header(fmt, columns):
    return ",".join(columns) + "\n" if fmt == "csv" else ""


def read_rows(path, fmt=None):
    """The rows of a sweep file (dicts of strings, None for empty CSV fields), a partly
    written last line left out."""
    fmt = output_format(path, fmt)
    text = Path(path).read_text(encoding="utf-8")
    rows, _, _ = _parse(text, fmt, path)
    return rows


def _parse(text, fmt, path):
    """(rows, columns or None, length of the complete part of ``text``)."""
    end = text.rfind("\n") + 1
    complete = text[:end]
    columns = None
    rows = []
    if fmt == "csv":
        lines = complete.splitlines()
        if not lines:
            return [], None, 0
        columns = next(csv.reader([lines[0]]))
        for number, values in enumerate(csv.reader(lines[1:]), start=2):
            if len(values) != len(columns):
                raise ValueError(f"{str(path)!r} line {number} has {len(values)} fields, "
                                 f"the header {len(columns)}: not a sweep file or damaged")
            rows.append({k: (v if v != "" else None) for k, v in zip(columns, values)})
    else:
        for number, line in enumerate(complete.splitlines(), start=1):
            try:
                row = json.loads(line)
            except ValueError:
                raise ValueError(f"{str(path)!r} line {number} is not JSON: not a sweep file "
                                 "or damaged") from None
            if not isinstance(row, dict):
                raise ValueError(f"{str(path)!r} line {number} is not a JSON object")
            rows.append(row)
    return rows, columns, end


class Store:
    """The output file of one sweep, opened for appending (see the module docstring).

    ``expected(task)`` is the number of rows a successful task writes; a task
    whose rows in the file are fewer is done again.  ``done`` holds the tasks
    already complete in the file when it was opened (an error row counts).
    """

    def __init__(self, path, fmt, columns, expected, handle, rows, done):
        self.path = Path(path)
        self.fmt = fmt
        self.columns = list(columns)
        self.expected = expected
        self._handle = handle
        self.resumed = rows  # task -> its rows found in the file when it was opened
        self.done = set(done)

    @classmethod
    def open(cls, path, settings, columns, *, expected, fmt=None):
        path = Path(path)
        fmt = output_format(path, fmt)
        meta_path = path.with_name(path.name + META_SUFFIX)
        meta = {"symthermo_sweep": _VERSION, "format": fmt, "columns": list(columns),
                "settings": settings}
        meta = json.loads(json.dumps(meta))  # as it reads back
        if not meta_path.exists() and path.exists() and path.stat().st_size > 0:
            raise ValueError(f"{str(path)!r} exists and is not a sweep's output (no "
                             f"{meta_path.name}); refusing to overwrite it")
        path.parent.mkdir(parents=True, exist_ok=True)
        # the sidecar, opened (created if need be) and locked for as long as the sweep
        # writes: a second sweep into the same file is refused
        lock = open(meta_path, "a+", encoding="utf-8")
        try:
            _lock(lock, path)
            lock.seek(0)
            content = lock.read()
            rows_by_task = {}
            if content.strip():
                try:
                    old = json.loads(content)
                except ValueError:
                    raise ValueError(f"{str(meta_path)!r} is not JSON: not a sweep's "
                                     "settings") from None
                if not isinstance(old, dict) or old.get("symthermo_sweep") != _VERSION:
                    raise ValueError(f"{str(meta_path)!r} is not a sweep's settings file")
                if old != meta:
                    raise SettingsMismatch(
                        f"{str(path)!r} holds a sweep with other settings (differing: "
                        f"{', '.join(_differences(old, meta))}); choose another output "
                        f"file or remove it and its {META_SUFFIX}")
                if path.exists():
                    rows_by_task = cls._resume(path, fmt, columns, expected)
            else:
                lock.truncate(0)
                lock.write(json.dumps(meta, indent=1) + "\n")
                lock.flush()
                os.fsync(lock.fileno())
            if not rows_by_task and (not path.exists() or path.stat().st_size == 0
                                     or fmt == "jsonl"):
                _write_atomically(path, _header(fmt, columns))
            handle = open(path, "a", encoding="utf-8", newline="")
        except BaseException:
            lock.close()
            raise
        store = cls(path, fmt, columns, expected, handle, rows_by_task, set(rows_by_task))
        store._lock = lock
        return store

    @classmethod
    def _resume(cls, path, fmt, columns, expected):
        text = path.read_text(encoding="utf-8")
        rows, header, end = _parse(text, fmt, path)
        if fmt == "csv" and header is not None and header != list(columns):
            raise ValueError(f"{str(path)!r} has columns {header}, the sweep writes {columns}")
        by_task = {}
        for row in rows:
            try:
                task = int(row["task"])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"{str(path)!r} holds a row without a task number: {row}") from None
            by_task.setdefault(task, []).append(row)
        complete = {task: rs for task, rs in by_task.items()
                    if _is_error(rs) or len(rs) == expected(task)}
        if len(complete) != len(by_task) or end != len(text):
            # a partly written line or task: keep only the complete tasks
            kept = [row for rs in complete.values() for row in rs]
            _write_atomically(path, _header(fmt, columns) + _lines(fmt, columns, kept))
        return complete

    def append(self, task, rows):
        """Write one finished task's rows: one write, flush, fsync."""
        self._handle.write(_lines(self.fmt, self.columns, rows))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.done.add(task)

    def close(self):
        if self._handle is not None and not self._handle.closed:
            self._handle.close()
        lock = getattr(self, "_lock", None)
        if lock is not None and not lock.closed:
            lock.close()  # releases the lock

    def finish(self, *, total):
        """Close; when all ``total`` tasks are done, rewrite the rows in task order."""
        if self._handle is not None and not self._handle.closed:
            self._handle.close()
        try:
            return self._order(total)
        finally:
            self.close()

    def _order(self, total):
        if len(self.done) < total:
            return False
        text = self.path.read_text(encoding="utf-8")
        head = _header(self.fmt, self.columns)
        lines = text[len(head):].splitlines(keepends=True)
        # each task's lines are contiguous and in time order: a stable sort by task suffices
        ordered = sorted(lines, key=self._task_of)
        if ordered != lines:
            _write_atomically(self.path, head + "".join(ordered))
        return True

    def _task_of(self, line):
        if self.fmt == "csv":
            return int(line.split(",", 1)[0])
        return int(json.loads(line)["task"])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _lock(handle, path):
    try:
        import fcntl
    except ImportError:  # not POSIX: no protection against a second writer
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise ValueError(f"another sweep is writing {str(path)!r} (its {META_SUFFIX} is "
                         "locked)") from None


def _is_error(rows):
    return len(rows) == 1 and rows[0].get("error") not in (None, "")


def _differences(old, new):
    keys = []
    for section in ("format", "columns"):
        if old.get(section) != new.get(section):
            keys.append(section)
    a, b = old.get("settings") or {}, new.get("settings") or {}
    keys += sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return keys or ["version"]
