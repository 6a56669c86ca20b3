"""gazamap's truth room: packaged datasets, geometry and the numbers computed from them.

Nothing in ``geo`` imports ``layers``, ``maps``, folium or matplotlib. The documented
Python API is the :mod:`gazamap` module; here ``geo.analyse(...)`` returns an
:class:`Analysis` (see :mod:`geo.analysis`). Names are imported on first use, so that
``import geo`` (and ``gazamap --help``) costs nothing until a figure is asked for.
"""

from __future__ import annotations

from geo._lazy import lazy_exports

# The one place the version is written (pyproject.toml and gazamap read it): figures carry it.
__version__ = "0.3.0"

_LAZY = {
    **dict.fromkeys(("Alternative", "Analysis", "GovernorateFigures", "Interval", "LineResult",
                     "Provenance", "Zone", "ZoneShare", "analyse", "LineSpec", "ReadOptions",
                     "Request"), "geo.analysis"),
    "Timeline": "geo.timeline",
}

__all__ = ["__version__", *sorted(_LAZY)]
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
