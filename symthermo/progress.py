"""Progress bars on a terminal (tqdm on stderr), silent otherwise.

A bar is drawn only when stderr is a terminal and the user did not ask for
``--quiet``: logs and pipes stay clean, other programs parsing stdout never
see it.

>>> from symthermo.progress import progress_bar
>>> with progress_bar(3, "checks", quiet=True) as bar:
...     for _ in range(3):
...         bar.update()
>>> bar.disable                    # quiet: nothing was drawn
True
"""

from __future__ import annotations

import sys

__all__ = ["progress_bar", "on_terminal"]


def on_terminal(stream=None):
    """True when ``stream`` (default stderr) is an interactive terminal."""
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a file
        return False


def progress_bar(total, description, *, quiet=False, unit="step"):
    """A ``tqdm`` bar on stderr, disabled when quiet or when stderr is no terminal.

    Parameters
    ----------
    total : int
        The number of updates expected.
    description : str
        A short label shown before the bar.
    quiet : bool, keyword-only
        Draw nothing (``--quiet``).
    unit : str, keyword-only
        What one update counts.

    Returns
    -------
    tqdm.tqdm
        Use as a context manager; ``update()`` after each item.
    """
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, leave=False,
                disable=bool(quiet) or not on_terminal(), dynamic_ncols=True)
