"""One request, one analysis: what a user asks for and the figures computed from it.

- :mod:`geo.analysis.request`: the :class:`Request` (boundary, lines, data, parameters);
- :mod:`geo.analysis.pipeline`: :func:`analyse`, which resolves a request once into an
  :class:`Analysis` (:mod:`geo.analysis.model`: the zones, their figures and where every
  figure came from), with the one interval mechanism (:mod:`~geo.analysis.bands`) and the
  method in words (:mod:`~geo.analysis.method`);
- :mod:`geo.analysis.uncertainty`: how far the true line may lie from a drawn one;
- breakdowns, computed when a reader asks: :mod:`~geo.analysis.population`,
  :mod:`~geo.geometry.borders`, :mod:`~geo.analysis.outlines` (:mod:`~geo.analysis.parts`);
  :mod:`geo.analysis.sensitivity` runs one analysis per packaged outline.

Names are imported on first use (see :mod:`geo._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.analysis.bands import ZONE_EDGE_CLEARANCE_M
    from geo.analysis.model import (
        Alternative,
        Analysis,
        AnalysisMethod,
        GovernorateFigures,
        Interval,
        LineResult,
        Provenance,
        Zone,
        ZoneShare,
    )
    from geo.analysis.pipeline import (
        CONVENTIONAL_DENOMINATORS_KM2,
        CROSS_CHECK_MAX_REL,
        analyse,
        analyse_quietly,
    )
    from geo.analysis.request import LineSpec, ReadOptions, Request

_NAMES = {
    **dict.fromkeys(("Alternative", "Analysis", "AnalysisMethod", "GovernorateFigures",
                     "Interval", "LineResult", "Provenance", "Zone",
                     "ZoneShare"), "geo.analysis.model"),
    **dict.fromkeys(("CONVENTIONAL_DENOMINATORS_KM2", "CROSS_CHECK_MAX_REL", "analyse",
                     "analyse_quietly"), "geo.analysis.pipeline"),
    "ZONE_EDGE_CLEARANCE_M": "geo.analysis.bands",
    **dict.fromkeys(("LineSpec", "ReadOptions", "Request"), "geo.analysis.request"),
}
__all__ = [
    "Alternative",
    "Analysis",
    "AnalysisMethod",
    "CONVENTIONAL_DENOMINATORS_KM2",
    "CROSS_CHECK_MAX_REL",
    "GovernorateFigures",
    "Interval",
    "LineResult",
    "LineSpec",
    "Provenance",
    "ReadOptions",
    "Request",
    "ZONE_EDGE_CLEARANCE_M",
    "Zone",
    "ZoneShare",
    "analyse",
    "analyse_quietly",
]
__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
