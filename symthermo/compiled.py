"""Compiled float64 forms, kept on disk so that a numeric run needs no SymPy.

A model's float64 evaluation needs, per parameter set, a few things that
SymPy derives: constants of the closed forms (frequencies, cosine
coefficients), functions lambdified to numpy, the check that the parameter
values are valid.  Deriving them costs a SymPy import (a quarter of a
second) and a derivation on every run; this module keeps them across
processes.

Each entry is Python source that *we* generated: numbers written exactly
(floats by ``repr``, arrays by the hex of their bytes), functions as the
source ``sympy.lambdify`` printed, in a namespace of numpy names only.  It is
stored in the cache directory (``$SYMTHERMO_CACHE``, else
``$XDG_CACHE_HOME/symthermo`` or ``~/.cache/symthermo``; ``SYMTHERMO_CACHE=off``
turns the disk cache off), in a file named by the hash of its key.  The key
holds the model, the entry's tag, the exact parameter values, a hash of
symthermo's own source files and the versions of symthermo, SymPy, numpy
and Python.  The first lines of the file repeat the key and the SHA-256 of
the body; a file whose key differs, whose body does not match its hash, that
does not compile, or that is not ours (a directory or file owned by another
user, or writable by others) is not trusted: the entry is derived again and
rewritten.  Files are written to a temporary name and moved into place
(``os.replace``), so a reader never sees half a file.

The cache is bounded: after each write the least recently used entries
(a hit refreshes an entry's time) beyond ``MAX_ENTRIES`` files or
``MAX_BYTES`` bytes are removed, and temporary files older than an hour.
Only regular files that this module names (40 hex digits and ``.py``, or
its ``.tmp-*.py``), owned by the user, in the cache directory itself, are
ever removed: nothing else there is touched.

Why a cache and not modules generated at build time: the compiled forms
depend on the parameter values (SymPy simplifies with them, and picks
branches by them), and users pass any values with ``--param``; modules made
at build time could only hold the defaults, and would go stale when SymPy
changes its printing.  A cache keyed by everything the source depends on is
right for every parameter set after its first run, and is rebuilt, never
trusted, when anything changes.

>>> import numpy as np
>>> from symthermo.compiled import to_source, from_source
>>> value = (1.5, np.array([0.1, float("inf")]), {"k": [1, "x", None]})
>>> again = from_source(to_source(value))
>>> again[0], again[1].tolist(), again[2]
(1.5, [0.1, inf], {'k': [1, 'x', None]})
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import json
import math
import os
import re
import stat
import sys
import tempfile
import threading
import time
import types
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import numpy as np

from . import __version__
from .lazy import is_loaded
from .plain import plain_number

__all__ = [
    "NumericParams",
    "plain_parameters",
    "plain_inputs",
    "cache_dir",
    "cached",
    "to_source",
    "from_source",
    "Unserialisable",
    "cache_key",
    "entry_path",
    "FORMAT",
    "MAX_ENTRIES",
    "MAX_BYTES",
    "evict",
]

#: the layout of an entry; a change makes every old entry a miss
FORMAT = 1
_HEADER = "# symthermo compiled forms (generated; rebuilt when anything changes)\n"
#: the most entries and bytes the disk cache keeps (the least recently used go first)
MAX_ENTRIES = 2000
MAX_BYTES = 64 * 2**20
#: a temporary file of a write older than this (seconds) was left by a killed process
_STALE_TEMPORARY = 3600
_ENTRY_NAME = re.compile(r"[0-9a-f]{40}\.py")
_TEMPORARY_NAME = re.compile(r"\.tmp-[A-Za-z0-9_]+\.py")
_LOCK = threading.RLock()


class Unserialisable(TypeError):
    """A value that cannot be written as source (kept in memory only)."""


# -- parameters given as plain numbers -----------------------------------------------

class NumericParams(Mapping):
    """Parameter values that are plain numbers (exact Fractions) or choices.

    Looks like the dict of SymPy values that :meth:`Model.params` returns:
    indexing gives that SymPy value, made (with a SymPy import) on first use,
    which only a cache miss needs.  :attr:`key` identifies the values exactly
    and :meth:`text` prints them as the dict of SymPy values would.
    """

    def __init__(self, model, given, values):
        self._model = model
        self._given = given
        self.values = values  # name -> Fraction or choice str
        self.key = tuple((k, f"{v.numerator}/{v.denominator}") if isinstance(v, Fraction)
                         else (k, v) for k, v in values.items())
        self._exact = None

    def exact(self):
        """The dict :meth:`Model.params` gives for the same input (SymPy values, checked)."""
        if self._exact is None:
            self._exact = self._model.params(self._given)
        return self._exact

    def text(self):
        """name -> the value as text, as ``str`` of the SymPy value prints it."""
        return {k: str(v) for k, v in self.values.items()}

    def float(self, name):
        v = self.values[name]
        return v.numerator / v.denominator

    def __getitem__(self, name):
        v = self.values[name]
        # a choice is the same string in both; a number needs its SymPy value
        return v if isinstance(v, str) else self.exact()[name]

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def __repr__(self):
        return f"NumericParams({self._model.name}, {self.text()})"


def plain_parameters(model, given):
    """:class:`NumericParams` when every value (given or default) is a plain
    number or a valid choice, else None (the general route then reads them).

    The values are checked once by :meth:`Model.params` (SymPy), and the
    fact that they passed is cached with the compiled forms.
    """
    known = {p.name: p for p in model.parameters}
    raw = {}
    items = given.items() if isinstance(given, dict) else given
    for item in items:
        if isinstance(item, tuple):
            name, value = item
        else:
            if not isinstance(item, str) or "=" not in item:
                return None
            name, value = (s.strip() for s in item.split("=", 1))
        if name not in known or not isinstance(value, str):
            return None
        raw[name] = value
    values = {}
    for name, p in known.items():
        text = raw.get(name, p.default)
        if p.choices:
            if text not in p.choices:
                return None
            values[name] = text
        else:
            v = plain_number(text)
            if v is None:
                return None
            values[name] = v
    params = NumericParams(model, given, values)
    cached(model, "valid", params, lambda: params.exact() is not None)
    return params


def plain_inputs(model, given, times):
    """``(NumericParams, float times)`` when parameters and times are all plain
    numbers (see :mod:`symthermo.plain`), else None."""
    from .plain import plain_times

    ts = plain_times(times) if isinstance(times, str) else None
    if ts is None:
        return None
    params = plain_parameters(model, given)
    return None if params is None else (params, ts)


# -- the cache --------------------------------------------------------------------

def cache_dir():
    """The cache directory (None when ``SYMTHERMO_CACHE=off``)."""
    env = os.environ.get("SYMTHERMO_CACHE")
    if env is not None and env.strip().lower() in ("off", "0", "no", "false", ""):
        return None
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home.startswith("~"):  # no home directory: no cache (never one in the cwd)
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "symthermo"


_SOURCE_HASH = []


def source_hash():
    """SHA-256 of symthermo's own ``.py`` files (names and contents), once per process."""
    if not _SOURCE_HASH:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        _SOURCE_HASH.append(h.hexdigest())
    return _SOURCE_HASH[0]


def sympy_version():
    """SymPy's version, read without importing SymPy when it is not loaded."""
    if is_loaded("sympy"):
        return sys.modules["sympy"].__version__
    import importlib.machinery

    # the path finder, not importlib.util.find_spec: that would look at the lazy
    # sympy module in sys.modules, and so load it
    spec = importlib.machinery.PathFinder.find_spec("sympy")
    if spec is None or not spec.submodule_search_locations:
        return "absent"
    release = Path(list(spec.submodule_search_locations)[0]) / "release.py"
    try:
        m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", release.read_text())
    except OSError:
        m = None
    return m.group(1) if m else "unknown"


def cache_key(model_name, tag, params_key):
    """The full key of an entry, as text (JSON)."""
    return json.dumps({
        "format": FORMAT, "model": model_name, "tag": repr(tag), "params": list(params_key),
        "symthermo": __version__, "source": source_hash(), "sympy": sympy_version(),
        "numpy": np.__version__, "python": sys.version.split()[0],
    }, sort_keys=True)


def entry_path(directory, key):
    return Path(directory) / f"{hashlib.sha256(key.encode()).hexdigest()[:40]}.py"


_MEMORY = {}


def cached(model, tag, params, make):
    """``make()`` for this model, tag and :class:`NumericParams`, from memory,
    else from the disk cache, else made (with SymPy) and stored."""
    try:
        key = cache_key(model.name, tag, params.key)
    except OSError:  # symthermo's own files unreadable: no key, so no cache
        return make()
    with _LOCK:
        if key in _MEMORY:
            return _MEMORY[key]
    directory = cache_dir()
    value = _load(directory, key) if directory is not None else _MISSING
    if value is _MISSING:
        value = make()
        if directory is not None:
            try:
                _store(directory, key, to_source(value))
                evict(directory, keep=entry_path(directory, key).name)
            except Unserialisable:
                pass
            except OSError:  # a read-only or full disk: the run goes on without the cache
                pass
    with _LOCK:
        if len(_MEMORY) > 1024:
            _MEMORY.clear()
        _MEMORY[key] = value
    return value


_MISSING = object()


def _trusted(path, *, directory):
    """Owned by us and not writable by group or others (POSIX)."""
    if not hasattr(os, "getuid"):
        return True
    st = path.stat()
    if st.st_uid != os.getuid():
        return False
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not directory or stat.S_ISDIR(st.st_mode)


def _load(directory, key):
    path = entry_path(directory, key)
    try:
        if not (_trusted(Path(directory), directory=True) and _trusted(path, directory=False)):
            return _MISSING
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return _MISSING
    head, sep, body = text.partition("\n# end of header\n")
    lines = head.split("\n")
    if (not sep or len(lines) != 3 or lines[0] + "\n" != _HEADER
            or lines[1] != "# key: " + key
            or lines[2] != "# sha256: " + hashlib.sha256(body.encode()).hexdigest()):
        return _MISSING
    try:
        value = from_source(body, filename=str(path))
    except Exception:  # noqa: BLE001 - a bad entry is rebuilt, never trusted
        return _MISSING
    try:
        os.utime(path)  # recently used: the last to be evicted
    except OSError:
        pass
    return value


def evict(directory, *, max_entries=None, max_bytes=None, keep=None):
    """Remove the least recently used entries of the cache ``directory`` beyond
    ``max_entries`` files or ``max_bytes`` bytes (default :data:`MAX_ENTRIES`,
    :data:`MAX_BYTES`), and temporary files left by writes more than an hour old.

    Only regular files (not links, not directories) named as this module names
    them, owned by the user, directly in ``directory``, are removed; ``keep`` (a
    file name) never is.  Returns the number of entries removed.

    >>> import os, tempfile
    >>> from symthermo.compiled import evict
    >>> d = tempfile.mkdtemp()
    >>> for k in range(3):
    ...     with open(os.path.join(d, f"{k:040x}.py"), "w") as f:
    ...         _ = f.write("x")
    ...     os.utime(os.path.join(d, f"{k:040x}.py"), (k, k))
    >>> open(os.path.join(d, "notes.txt"), "w").close()
    >>> evict(d, max_entries=1)
    2
    >>> sorted(os.listdir(d))
    ['0000000000000000000000000000000000000002.py', 'notes.txt']
    """
    max_entries = MAX_ENTRIES if max_entries is None else max_entries
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    uid = os.getuid() if hasattr(os, "getuid") else None
    now = time.time()
    entries = []
    with os.scandir(directory) as listing:
        for item in listing:
            entry = _ENTRY_NAME.fullmatch(item.name)
            if not entry and not _TEMPORARY_NAME.fullmatch(item.name):
                continue
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid):
                continue
            if entry:
                entries.append((st.st_mtime, item.name, st.st_size))
            elif now - st.st_mtime > _STALE_TEMPORARY:
                _unlink(Path(directory) / item.name)
    entries.sort(reverse=True)  # the most recently used first
    removed, total, kept, full = 0, 0, 0, False
    for _, name, size in entries:
        full = full or kept >= max_entries or total + size > max_bytes
        if name == keep or not full:
            kept, total = kept + 1, total + size
        elif _unlink(Path(directory) / name):
            removed += 1
    return removed


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:  # gone already (another process evicted it), or not ours to remove
        return False
    return True


def _store(directory, key, body):
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = (_HEADER + "# key: " + key + "\n# sha256: " + hashlib.sha256(body.encode()).hexdigest()
            + "\n# end of header\n" + body)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, entry_path(directory, key))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -- values as source -----------------------------------------------------------------

def _namespace():
    ns = {k: v for k, v in vars(np).items() if not k.startswith("_")}
    ns.update(__builtins__=builtins, numpy=np, _array=_array, _lib=_lib, _dataclass=_dataclass,
              _closure=_closure,
              _complex=complex,
              _float=float, _Fraction=Fraction)
    return ns


def _lib(name):
    from .numbers import EXACT, FLOAT64, MPMATH

    return {lib.name: lib for lib in (FLOAT64, MPMATH, EXACT)}[name]


def _dataclass(module, qualname, fields):
    """An instance of one of symthermo's dataclasses with these field values
    (set as they were when written, without running __init__ again)."""
    import importlib

    if not module.startswith("symthermo.") or "." in qualname:
        raise ValueError(f"not a symthermo dataclass: {module}.{qualname}")
    cls = getattr(importlib.import_module(module), qualname)
    if not dataclasses.is_dataclass(cls) or set(fields) != {f.name for f in dataclasses.fields(cls)}:
        raise ValueError(f"the fields of {module}.{qualname} changed")
    obj = object.__new__(cls)
    for name, v in fields.items():
        object.__setattr__(obj, name, v)
    return obj


def _inner_code(module, qualname):
    """The code object of ``outer.<locals>.inner`` in one of symthermo's modules."""
    import importlib

    outer, sep, inner = qualname.partition(".<locals>.")
    if not module.startswith("symthermo.") or not sep or "." in outer or "." in inner:
        raise ValueError(f"not a closure of a symthermo function: {module}.{qualname}")
    function = getattr(importlib.import_module(module), outer)
    found = [c for c in function.__code__.co_consts
             if isinstance(c, types.CodeType) and c.co_qualname == qualname]
    if len(found) != 1:
        raise ValueError(f"no single {qualname} in {module}")
    return function, found[0]


def _closure(module, qualname, cells):
    """The inner function ``qualname`` of one of symthermo's functions, with
    these values in its closure (as the outer function made it)."""
    function, code = _inner_code(module, qualname)
    if list(code.co_freevars) != list(cells):
        raise ValueError(f"the closure of {qualname} changed")
    closure = tuple(types.CellType(v) for v in cells.values())
    return types.FunctionType(code, function.__globals__, code.co_name, None, closure)


def _closure_expr(fn, defs):
    try:
        _, code = _inner_code(fn.__module__, fn.__qualname__)
    except (ValueError, AttributeError, ImportError):
        raise Unserialisable(f"function {fn.__qualname__} is not a closure of ours") from None
    if code is not fn.__code__ or fn.__defaults__ or fn.__kwdefaults__:
        raise Unserialisable(f"function {fn.__qualname__} cannot be rebuilt from its module")
    cells = {name: cell.cell_contents for name, cell in zip(code.co_freevars, fn.__closure__)}
    return f"_closure({fn.__module__!r}, {fn.__qualname__!r}, {_expr(cells, defs)})"


def _array(hex_bytes, dtype, shape):
    return np.frombuffer(bytes.fromhex(hex_bytes), dtype=np.dtype(dtype)).reshape(shape).copy()


def to_source(value):
    """Python source defining ``VALUE`` equal to ``value`` (numbers bit for bit).

    Handles None, bool, int, float, complex, str, Fraction, tuples, lists,
    dicts, numpy arrays and scalars, symthermo's number systems and dataclasses
    (field by field), functions made by ``sympy.lambdify`` with numpy (their
    source), and closures made by a function of symthermo (the inner function's
    code found again in its module, the closure's values written out);
    anything else raises :class:`Unserialisable`.
    """
    defs = []
    expr = _expr(value, defs)
    return "".join(defs) + f"VALUE = {expr}\n"


def from_source(body, *, filename="<symthermo compiled>"):
    """The ``VALUE`` defined by source that :func:`to_source` wrote."""
    ns = _namespace()
    exec(compile(body, filename, "exec"), ns)  # noqa: S102 - our own generated source
    return ns["VALUE"]


def _float_expr(x):
    x = float(x)
    if math.isnan(x):
        return "_float('nan')"
    if math.isinf(x):
        return "_float('inf')" if x > 0 else "_float('-inf')"
    return repr(x)


def _expr(value, defs):
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return _float_expr(value)
    if isinstance(value, (complex, np.complexfloating)):
        return f"_complex({_float_expr(value.real)}, {_float_expr(value.imag)})"
    if isinstance(value, Fraction):
        return f"_Fraction({value.numerator}, {value.denominator})"
    if isinstance(value, tuple) and type(value) is tuple:
        inner = ", ".join(_expr(v, defs) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if type(value) is list:
        return "[" + ", ".join(_expr(v, defs) for v in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{_expr(k, defs)}: {_expr(v, defs)}" for k, v in value.items()) + "}"
    if type(value) is np.ndarray:
        if value.dtype.kind not in "biufc" or value.dtype.hasobject:
            raise Unserialisable(f"array of dtype {value.dtype}")
        a = np.ascontiguousarray(value)
        dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
        return f"_array({a.astype(dtype).tobytes().hex()!r}, {dtype.str!r}, {a.shape!r})"
    if callable(value) and getattr(value, "__name__", "") == "_lambdifygenerated":
        return _function(value, defs)
    if isinstance(value, types.FunctionType) and value.__closure__:
        return _closure_expr(value, defs)
    from .numbers import NumberSystem

    if isinstance(value, NumberSystem):
        return f"_lib({value.name!r})"
    cls = type(value)
    if dataclasses.is_dataclass(cls) and cls.__module__.startswith("symthermo."):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(cls)}
        return (f"_dataclass({cls.__module__!r}, {cls.__qualname__!r}, "
                f"{_expr(fields, defs)})")
    raise Unserialisable(f"cannot write a {type(value).__name__} as source")


def _code_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def _function(fn, defs):
    """A lambdified function's own source under a new name, if every global it
    uses is the numpy (or builtin) object of that name."""
    import inspect

    if fn.__closure__ or fn.__defaults__ or fn.__kwdefaults__:
        raise Unserialisable("a lambdified function with closures or defaults")
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        raise Unserialisable("the source of a lambdified function is not available") from None
    ns = _namespace()
    for name in _code_names(fn.__code__):
        here = ns[name] if name in ns else getattr(builtins, name, _MISSING)
        if here is _MISSING or fn.__globals__.get(name, getattr(builtins, name, None)) is not here:
            raise Unserialisable(f"lambdified function uses {name!r}, not numpy's")
    name = f"_f{len(defs)}"
    if not source.startswith("def _lambdifygenerated("):
        raise Unserialisable("unexpected lambdify source")
    defs.append("def " + name + source[len("def _lambdifygenerated"):].rstrip("\n") + "\n\n\n")
    return name
