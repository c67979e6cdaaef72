"""A result directory written whole, replacing only what symthermo wrote itself.

``symthermo reproduce --out DIR`` must never delete a user's file.  The rules:

- DIR may not be the root, the working directory, the home directory, a
  directory containing either of them, or a symbolic link;
- work happens in a fresh directory ``.DIR.symthermo-tmp-XXXXXXXX`` beside
  DIR (``tempfile.mkdtemp``), which carries a marker naming its process;
- on success a manifest ``.symthermo-manifest.json`` (every file with its
  sha256) is written into it and it is renamed to DIR;
- an existing DIR is replaced only when it is empty, or when it holds
  exactly the files of its manifest, unmodified (``force=True`` also
  accepts modified or missing ones, never an extra file); the check is
  repeated after DIR has been moved aside, and DIR is put back if it fails;
- a lock file ``.DIR.symthermo.lock`` beside DIR (``fcntl.flock``) keeps two
  runs into the same DIR apart: the second one stops at once;
- a temporary directory left by a killed run is removed by a later run when
  its marker names this host and a process that no longer exists.

>>> import os, tempfile
>>> from symthermo.safe_output import StagedDirectory, MANIFEST
>>> base = tempfile.mkdtemp()
>>> with StagedDirectory(os.path.join(base, "out")) as stage:
...     _ = (stage.path / "a.txt").write_text("hello")
...     files = stage.commit()
>>> sorted(os.listdir(os.path.join(base, "out"))) == sorted(["a.txt", MANIFEST])
True
>>> with StagedDirectory(os.path.join(base, "out")) as stage:   # its own output: replaced
...     _ = (stage.path / "b.txt").write_text("again")
...     files = stage.commit()
>>> sorted(os.listdir(os.path.join(base, "out"))) == sorted(["b.txt", MANIFEST])
True
>>> import shutil; shutil.rmtree(base)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path, PurePosixPath

from .errors import SymthermoError

try:  # POSIX; elsewhere the race is still caught at the swap
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

__all__ = ["StagedDirectory", "OutputDirError", "MANIFEST", "MARKER", "check_target",
           "check_replaceable", "write_manifest"]

#: the list of files symthermo wrote into a result directory, with their sha256
MANIFEST = ".symthermo-manifest.json"
#: inside a temporary directory: which process made it, for what target
MARKER = ".symthermo-partial.json"
_SHOWN = 3  # offending names quoted in a message


class OutputDirError(SymthermoError, ValueError):
    """The output directory cannot be used (exit code 2): the message says why."""


def _tmp_prefix(target):
    return f".{target.name}.symthermo-tmp-"


def _old_prefix(target):
    return f".{target.name}.symthermo-old-"


def _lock_path(target):
    return target.parent / f".{target.name}.symthermo.lock"


def _real(path):
    return Path(os.path.realpath(path))


def _contains(outer, inner):
    return inner == outer or outer in inner.parents


def check_target(out):
    """The absolute path of ``out`` if it may be (re)placed as a whole, else OutputDirError.

    >>> from symthermo.safe_output import check_target
    >>> check_target("..")
    Traceback (most recent call last):
    ...
    symthermo.safe_output.OutputDirError: --out '..' contains the working directory ...
    """
    raw = os.fspath(out)
    if not str(raw).strip():
        raise OutputDirError("--out is empty; give a directory name")
    path = Path(os.path.abspath(os.path.expanduser(raw)))
    if path.parent == path:
        raise OutputDirError(f"--out {raw!r} is the root directory; give a new directory "
                             "for symthermo's output")
    real = _real(path)
    places = [("the working directory", _real(os.getcwd()))]
    home = os.path.expanduser("~")
    if os.path.isabs(home):
        places.append(("the home directory", _real(home)))
    for what, inner in places:
        if _contains(real, inner):
            raise OutputDirError(
                f"--out {raw!r} contains {what} ({inner}); symthermo replaces its output "
                "directory as a whole, give a new directory such as symthermo-output")
    if path.is_symlink():
        raise OutputDirError(f"--out {raw!r} is a symbolic link; give the directory itself")
    if path.exists() and not path.is_dir():
        raise OutputDirError(f"--out {raw!r} exists and is not a directory")
    return path


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entries(root):
    """Every entry under ``root`` as (relative posix path, kind): 'dir', 'file' or 'other'."""
    out = []

    def unreadable(exc):  # a directory we cannot list may hold anything: never replace it
        raise OutputDirError(f"cannot read {exc.filename} ({exc.strerror}); symthermo replaces "
                             "only directories it can check completely (nothing was deleted)")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        rel = Path(dirpath).relative_to(root)
        for d in dirnames:
            p = Path(dirpath, d)
            out.append(((rel / d).as_posix(), "other" if p.is_symlink() else "dir"))
        for f in filenames:
            p = Path(dirpath, f)
            kind = "file" if p.is_file() and not p.is_symlink() else "other"
            out.append(((rel / f).as_posix(), kind))
    return out


def write_manifest(root):
    """Write ``root/.symthermo-manifest.json`` listing every file under ``root`` with its sha256.

    The marker of a temporary directory is not listed.  Returns the relative paths.
    """
    root = Path(root)
    files = {rel: _sha256(root / rel) for rel, kind in sorted(_entries(root))
             if kind == "file" and rel not in (MANIFEST, MARKER)}
    from . import __version__

    (root / MANIFEST).write_text(json.dumps(
        {"written_by": f"symthermo {__version__}", "files": files}, indent=1) + "\n")
    return sorted(files)


def _manifest_files(root, shown):
    path = root / MANIFEST
    if path.is_symlink() or not path.is_file():
        raise OutputDirError(f"{shown} exists, is not empty and was not written by symthermo "
                             f"(no {MANIFEST}); choose another --out or empty it yourself")
    try:
        data = json.loads(path.read_text())
        files = data["files"]
        ok = isinstance(files, dict) and all(
            isinstance(k, str) and isinstance(v, str) and k and not PurePosixPath(k).is_absolute()
            and ".." not in PurePosixPath(k).parts for k, v in files.items())
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        ok = False
    if not ok:
        raise OutputDirError(f"{shown}/{MANIFEST} is not a manifest symthermo can read; "
                             "choose another --out or remove the directory yourself")
    return files


def _quote(names):
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(repr(n) for n in names[:_SHOWN]) + more


def check_replaceable(path, *, force=False, shown=None):
    """Raise OutputDirError unless the existing directory ``path`` may be replaced.

    It may when it is empty, or holds exactly the files listed in its
    manifest (plus their directories) with the listed sha256; ``force``
    also accepts listed files that were modified or removed.  A file the
    manifest does not list is never replaced.
    """
    path = Path(path)
    shown = shown or str(path)
    entries = _entries(path)
    if not entries:
        return
    files = _manifest_files(path, shown)
    dirs = {p.as_posix() for rel in files for p in PurePosixPath(rel).parents if str(p) != "."}
    known = set(files) | {MANIFEST, MARKER}
    extra = sorted(rel for rel, kind in entries
                   if not ((kind == "file" and rel in known) or (kind == "dir" and rel in dirs)))
    if extra:
        raise OutputDirError(
            f"{shown} holds {len(extra)} file(s) symthermo did not write ({_quote(extra)}); "
            "move them away or choose another --out (nothing was deleted)")
    changed = sorted(rel for rel, sha in files.items()
                     if not (path / rel).is_file() or _sha256(path / rel) != sha)
    if changed and not force:
        raise OutputDirError(
            f"{len(changed)} file(s) in {shown} changed since symthermo wrote them "
            f"({_quote(changed)}); --force replaces them (nothing was deleted)")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True
    return True


def _chmod_like_mkdir(path):
    """mkdtemp makes 0700; the result directory gets the permissions mkdir would give."""
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(path, 0o777 & ~mask)


def _write_marker(directory, target):
    (Path(directory) / MARKER).write_text(json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "target": str(target),
         "started": time.time()}) + "\n")


def _stale(candidate, target):
    """True when ``candidate`` is provably a temporary directory of a dead run for ``target``."""
    if candidate.is_symlink() or not candidate.is_dir():
        return False
    marker = candidate / MARKER
    try:
        data = json.loads(marker.read_text())
        pid, host, aim = data["pid"], data["host"], data["target"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (isinstance(pid, int) and pid > 0 and pid != os.getpid()
            and host == socket.gethostname() and aim == str(target) and not _alive(pid))


class StagedDirectory:
    """Write a directory in a private place, then swap it in for ``out``.

    Use as a context manager: ``path`` is the directory to write into,
    :meth:`commit` swaps it in (returns the written files); leaving the
    block without a commit, by an error or an interrupt, removes it.

    Parameters
    ----------
    out : str or path
        The directory to create or replace (see the module docstring).
    force : bool, keyword-only
        Replace an earlier output whose files were modified (never a file
        symthermo did not write).
    """

    def __init__(self, out, *, force=False):
        self.target = check_target(out)
        self.shown = os.fspath(out)
        self.force = bool(force)
        self.path = None
        self.removed_stale = []
        self._lock_fd = None
        self._committed = False

    # -- locking ---------------------------------------------------------------------------
    def _lock(self):
        if fcntl is None:  # pragma: no cover
            return
        lock = _lock_path(self.target)
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputDirError(
                    f"another symthermo run is writing {self.shown} (it holds {lock}); "
                    "wait for it or choose another --out") from None
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:  # its holder removed it as we opened it
                same = False
            if same:
                self._lock_fd = fd
                return
            os.close(fd)

    def _unlock(self):
        if self._lock_fd is None:
            return
        try:
            os.unlink(_lock_path(self.target))  # still held: no other run owns this name
        except OSError:
            pass
        os.close(self._lock_fd)
        self._lock_fd = None

    # -- the context -----------------------------------------------------------------------
    def __enter__(self):
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            if self.target.exists():
                check_replaceable(self.target, force=self.force, shown=self.shown)
            for prefix in (_tmp_prefix(self.target), _old_prefix(self.target)):
                for candidate in sorted(self.target.parent.glob(prefix + "*")):
                    if _stale(candidate, self.target):
                        shutil.rmtree(candidate, ignore_errors=True)
                        self.removed_stale.append(str(candidate))
            self.path = Path(tempfile.mkdtemp(prefix=_tmp_prefix(self.target),
                                              dir=self.target.parent))
            _chmod_like_mkdir(self.path)
            _write_marker(self.path, self.target)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc):
        try:
            if not self._committed and self.path is not None:
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            self._unlock()
        return False

    def commit(self):
        """Write the manifest and swap the directory in; returns the files written (absolute)."""
        if self.path is None or self._committed:
            raise RuntimeError("commit() needs an entered, uncommitted StagedDirectory")
        files = write_manifest(self.path)
        target, holder = self.target, None
        if os.path.lexists(target):
            if target.is_symlink() or not target.is_dir():
                raise OutputDirError(f"{self.shown} was replaced by something that is not a "
                                     "directory during the run; nothing was changed")
            check_replaceable(target, force=self.force, shown=self.shown)
            holder = Path(tempfile.mkdtemp(prefix=_old_prefix(target), dir=target.parent))
            _write_marker(holder, target)
            previous = holder / "previous"
            os.rename(target, previous)
            try:  # nothing slipped in between the check and the move
                check_replaceable(previous, force=self.force, shown=self.shown)
            except OutputDirError:
                os.rename(previous, target)
                shutil.rmtree(holder, ignore_errors=True)
                raise
        try:
            os.rename(self.path, target)
        except OSError as exc:
            if holder is not None and not os.path.lexists(target):
                os.rename(holder / "previous", target)
                shutil.rmtree(holder, ignore_errors=True)
            raise OutputDirError(f"{self.shown} appeared during the run (another program or "
                                 f"run wrote it: {exc.strerror}); this run's output was "
                                 "discarded") from None
        self._committed = True
        try:
            os.unlink(target / MARKER)
        except OSError:
            pass
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)
        return [str(target / f) for f in files + [MANIFEST]]
