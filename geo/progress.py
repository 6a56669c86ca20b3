"""Progress bars for long work: on stderr, only for a person watching a terminal.

A bar is shown when stderr is a terminal, unless progress is switched off by
:func:`set_quiet` (the CLI's ``--quiet``) or the environment variable ``GAZAMAP_QUIET``
(any value but empty or ``0``), read at call time. It appears only after
:data:`DELAY_S` seconds, so quick work prints nothing. Bars come from ``tqdm``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any, TypeVar

__all__ = ["QUIET_ENV", "DELAY_S", "progress", "progress_enabled", "set_quiet"]

QUIET_ENV = "GAZAMAP_QUIET"
DELAY_S = 1.0
"""Seconds of work before a bar appears."""

T = TypeVar("T")

_quiet: bool | None = None


def set_quiet(quiet: bool | None) -> None:
    """Switch progress bars off (True), on (False), or back to the environment (None).

    On means: shown where stderr is a terminal.
    """
    global _quiet
    _quiet = quiet


def progress_enabled() -> bool:
    """Whether a bar would be shown now.

    >>> set_quiet(True); progress_enabled()
    False
    >>> set_quiet(None)
    """
    if _quiet is not None:
        quiet = _quiet
    else:
        quiet = os.environ.get(QUIET_ENV, "").strip() not in ("", "0")
    if quiet:
        return False
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced by an object without isatty
        return False


def progress(iterable: Iterable[T] | None = None, *, total: float | None = None,
             desc: str | None = None, unit: str = "it", **tqdm_kw: Any) -> Any:
    """``iterable`` wrapped in a progress bar on stderr (or ``total`` steps to ``update``).

    Parameters
    ----------
    iterable : iterable, optional
        What to iterate over; without it, use the result as a context manager and call
        ``update(n)``.
    total : float, optional
        The number of steps, when ``len(iterable)`` does not tell it.
    desc : str, optional
        A short label shown before the bar (e.g. ``"sampling"``).
    unit : str
        What one step is (``"point"``, ``"feature"``).
    **tqdm_kw
        More options of :class:`tqdm.tqdm`.

    Returns
    -------
    tqdm.tqdm
        Iterates like ``iterable``; a no-op bar when progress is not shown.

    Examples
    --------
    >>> sum(progress(range(4), desc="adding"))
    6
    >>> with progress(total=3, desc="steps") as bar:
    ...     for _ in range(3):
    ...         _ = bar.update(1)
    """
    from tqdm import tqdm  # imported here: commands that never show a bar start faster

    options: dict[str, Any] = {"delay": DELAY_S, "leave": False, "dynamic_ncols": True}
    options.update(tqdm_kw)
    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr,
                disable=not progress_enabled(), **options)
