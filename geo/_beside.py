"""One computation on a second thread, beside the caller's own work, joined when needed.

GEOS (through shapely's functions) and PROJ release the GIL while they compute, so on a
machine with two cores some parts of an analysis overlap the others (issue 15: `gazamap
areas` took 0.8x a bare geopandas split). The rules that keep it exact and safe:

- the computation gets its own geometry objects: GEOS's prepared geometries are not
  thread-safe (libgeos/geos#825), and the caller's are prepared as it goes;
- it reads no file and issues no warning: the caller reads the inputs first and issues
  the computation's notes when it joins, in the order of computing one after the other;
- its result, or its exception, comes back at :meth:`Beside.result`, in the caller.

With one core (or :data:`ENABLED` false) the computation runs when its result is asked
for, exactly as if there were no thread.

>>> job = Beside(lambda: 6 * 7)
>>> job.result()
42
>>> Beside(lambda: 1 / 0).result()
Traceback (most recent call last):
...
ZeroDivisionError: division by zero
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ENABLED", "Beside", "cores"]

T = TypeVar("T")

ENABLED = True
"""False runs every :class:`Beside` computation in the caller's thread (tests compare both)."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Beside(Generic[T]):
    """``fn()`` started on a second thread now (two cores or more), its result when asked."""

    def __init__(self, fn: Callable[[], T]):
        self._fn: Callable[[], T] | None = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if ENABLED and cores() > 1:
            # a daemon: an interrupted caller exits without waiting for it
            self._thread = threading.Thread(target=self._run, name="gazamap-beside",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        fn, self._fn = self._fn, None
        assert fn is not None
        try:
            self._value = fn()
        except BaseException as exc:  # handed to the caller at result()
            self._error = exc

    def wait(self) -> None:
        """Wait for the computation to end, its result and error dropped (the caller failed)."""
        if self._thread is not None:
            self._thread.join()

    def result(self) -> T:
        """The computation's value (raising its exception), once it has ended."""
        if self._thread is None:
            if self._fn is not None:
                self._run()
        else:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
