"""Counting what lies in each zone: the pure core, the engines that run it, and tagging.

- :mod:`geo.count.core`: the pure core, lon/lat points in, an additive :class:`Tally`
  out (:func:`tally_points`, :func:`count_points`, :class:`ZoneSet`);
- :mod:`geo.count.results`: what a count found (:class:`CountResult`, per zone and
  governorate);
- :mod:`geo.count.layer`: a user's layer counted per zone and governorate
  (:func:`count_layer`, :class:`LayerCount`, :func:`zone_set_from_analysis`);
- :mod:`geo.count.engines`: where a layer is counted (in process, by batches, on dask);
- :mod:`geo.count.zones`: a layer counted or tagged in an analysis's zones (what
  ``gazamap.count`` and ``gazamap.tag`` run);
- :mod:`geo.count.tag`: which zone each feature of a (dask-)GeoDataFrame is in.

Names are imported on first use (see :mod:`geo._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from geo.count.core import (
        ON_LINE_M,
        Labels,
        Tally,
        ZoneSet,
        count_points,
        numeric_column,
        tally_points,
    )
    from geo.count.layer import LayerCount, count_layer, split_areas, zone_set_from_analysis
    from geo.count.results import (
        CountedLayer,
        CountMethod,
        CountResult,
        GovernorateCount,
        ZoneCount,
    )

_NAMES = {
    **dict.fromkeys(("ON_LINE_M", "Labels", "Tally", "ZoneSet", "count_points",
                     "numeric_column", "tally_points"), "geo.count.core"),
    **dict.fromkeys(("CountedLayer", "CountMethod", "CountResult", "GovernorateCount",
                     "ZoneCount"), "geo.count.results"),
    **dict.fromkeys(("LayerCount", "count_layer", "split_areas", "zone_set_from_analysis"),
                    "geo.count.layer"),
}
__all__ = [
    "CountMethod",
    "CountedLayer",
    "CountResult",
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
