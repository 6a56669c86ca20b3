"""Areas of bands along a border (the figures of a partition come from ``geo.analyse``)."""

from __future__ import annotations

import shapely

from geo.geometry.crs import from_laea, to_laea
from geo.geometry.measure import geodesic_area_m2

__all__ = ["band_area_km2"]


def band_area_km2(boundary: shapely.Geometry, border: shapely.Geometry, width_m: float) -> float:
    """Geodesic area in km² of the boundary's land within ``width_m`` of ``border``.

    >>> from shapely import LineString, box
    >>> b = box(34.30, 31.40, 34.40, 31.50)
    >>> round(band_area_km2(b, LineString([(34.40, 31.40), (34.40, 31.50)]), 1000), 1)
    11.1
    """
    if border.is_empty:
        return 0.0
    band = from_laea(to_laea(border, dense=True).buffer(width_m))
    return geodesic_area_m2(shapely.intersection(band, boundary)) / 1e6
