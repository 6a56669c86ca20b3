"""Counting what lies in each zone: the pure core, the engines that run it, and tagging.

- :mod:`geo.count.layer`: a user's layer counted per zone and governorate
  (:func:`count_layer`, :class:`LayerCount`), on the pure core :func:`tally_points`;
- :mod:`geo.count.engines`: where a layer is counted (in process, by batches, on dask);
- :mod:`geo.count.tag`: which zone each feature of a (dask-)GeoDataFrame is in.

Names are imported on first use (see :mod:`geo._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.count.layer import (
        ON_LINE_M,
        CountedLayer,
        CountMethod,
        CountResult,
        GovernorateCount,
        Labels,
        LayerCount,
        Tally,
        ZoneCount,
        ZoneSet,
        count_layer,
        count_points,
        numeric_column,
        split_areas,
        tally_points,
        zone_set_from_analysis,
    )

_NAMES = dict.fromkeys(
    ("ON_LINE_M", "CountedLayer", "CountMethod", "CountResult", "GovernorateCount", "Labels",
     "LayerCount", "Tally", "ZoneCount", "ZoneSet", "count_layer", "count_points",
     "numeric_column", "split_areas", "tally_points", "zone_set_from_analysis"),
    "geo.count.layer")
__all__ = [
    "CountMethod",
    "CountResult",
    "CountedLayer",
    "GovernorateCount",
    "Labels",
    "LayerCount",
    "ON_LINE_M",
    "Tally",
    "ZoneCount",
    "ZoneSet",
    "count_layer",
    "count_points",
    "numeric_column",
    "split_areas",
    "tally_points",
    "zone_set_from_analysis",
]
__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
