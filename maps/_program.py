"""How the ``gazamap`` program uses Python's cyclic garbage collector.

A command is a short process that builds its objects and exits. With Python's defaults
the collector scans them again and again: 93 passes (12 ms) in ``gazamap areas``, 170
(30-40 ms) in ``gazamap report``, most of them over objects made by imports that live to
the end (folium compiles 80 templates when imported), and one more pass over everything
at exit (20-30 ms). The program therefore

- collects the young generation every 100,000 new containers instead of every 700
  (:func:`start`): cyclic garbage is still collected in a long count or export, only
  later, and none of the standard commands reaches that many;
- imports folium with the collector paused, then freezes what the import made
  (:func:`lasting_import`): those objects are never scanned again;
- freezes everything at the end (:func:`end`): the operating system frees it, ``atexit``
  handlers still run.

Only the program switches this on (``maps.cli.run``); a caller's process or a test keeps
Python's collector as it is. Figures: benchmarks/bench_areas.py.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["YOUNG_THRESHOLD", "end", "lasting_import", "start"]

YOUNG_THRESHOLD = 100_000

_program = False


def start() -> None:
    """The program has started: collect the young generation less often."""
    global _program
    _program = True
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)


@contextmanager
def lasting_import() -> Iterator[None]:
    """Import objects that live to the end without the collector scanning them (program only)."""
    if not _program:
        yield
        return
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def end() -> None:
    """The program ends: leave its objects to the operating system (no last full pass)."""
    if _program:
        gc.freeze()
