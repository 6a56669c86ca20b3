"""gazamap's truth room: packaged datasets, geometry and the numbers computed from them.

Nothing in ``geo`` imports ``layers``, ``maps``, folium or matplotlib. The Python API is
one call: ``geo.analyse(...)`` returns an :class:`Analysis` (see :mod:`geo.analysis`).
"""

# The one place the version is written (pyproject.toml reads it): figures carry it.
__version__ = "0.1.0"

from geo.analysis import (
    Alternative,
    Analysis,
    GovernorateFigures,
    Interval,
    LineResult,
    Provenance,
    Zone,
    ZoneShare,
    analyse,
)
from geo.request import LineSpec, ReadOptions, Request
from geo.timeline import Timeline, timeline

__all__ = [
    "__version__",
    "Alternative",
    "Analysis",
    "GovernorateFigures",
    "Interval",
    "LineResult",
    "LineSpec",
    "Provenance",
    "ReadOptions",
    "Request",
    "Timeline",
    "Zone",
    "ZoneShare",
    "analyse",
    "timeline",
]
