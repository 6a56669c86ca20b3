"""gazamap's truth room: packaged datasets, geometry and the numbers computed from them.

Nothing in ``geo`` imports ``layers``, ``maps``, folium or matplotlib. The documented
Python API is the :mod:`gazamap` module; here ``geo.analyse(...)`` returns an
:class:`Analysis` (see :mod:`geo.analysis`). Names are imported on first use, so that
``import geo`` (and ``gazamap --help``) costs nothing until a figure is asked for.
"""

from __future__ import annotations

import importlib
from typing import Any

# The one place the version is written (pyproject.toml and gazamap read it): figures carry it.
__version__ = "0.3.0"

_LAZY = {
    **dict.fromkeys(("Alternative", "Analysis", "GovernorateFigures", "Interval", "LineResult",
                     "Provenance", "Zone", "ZoneShare", "analyse"), "geo.analysis"),
    **dict.fromkeys(("LineSpec", "ReadOptions", "Request"), "geo.request"),
    "Timeline": "geo.timeline",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
