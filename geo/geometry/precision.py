"""How many decimals a published lon/lat coordinate keeps, and the one function that rounds.

Figures are computed from the full-precision geometry; only what is written out (GeoJSON,
KML, CSV WKT, the HTML map's data) is rounded, by :func:`round_coordinates`.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["COORD_DECIMALS", "round_coordinates"]

COORD_DECIMALS = 7
"""Decimals of a degree kept in exports: half a unit of the 7th decimal is at most 5.6 mm
north-south and 4.8 mm east-west at Gaza's latitude (~1 cm), far below the datasets'
positional uncertainty (metres to hundreds of metres). The 15-17 digits of a double
describe ~1e-10 m and make files ~45 % larger, and GeoJSON linters warn about them."""


def round_coordinates(geom: shapely.Geometry | None,
                      decimals: int = COORD_DECIMALS) -> shapely.Geometry | None:
    """``geom`` with every x and y rounded to ``decimals`` decimals (degrees).

    Each rounded value is the double nearest to a decimal with at most ``decimals``
    decimals, so it prints with at most that many (``repr``, JSON, WKT). A polygon that
    rounding would make invalid (a sliver thinner than the grid) is snapped to the grid
    with :func:`shapely.set_precision` instead, which keeps it valid. ``None`` and empty
    geometries are returned as they are.

    Never measure the result: areas are computed on the unrounded geometry.

    Examples
    --------
    >>> from shapely import LineString
    >>> round_coordinates(LineString([(34.123456789, 31.5), (34.2, 31.500000049)])).wkt
    'LINESTRING (34.1234568 31.5, 34.2 31.5)'
    >>> round_coordinates(None) is None
    True
    >>> round_coordinates(LineString()).is_empty
    True
    """
    if geom is None or geom.is_empty:
        return geom
    rounded = shapely.transform(geom, lambda c: np.round(c, decimals))
    if "Polygon" in geom.geom_type and not rounded.is_valid and geom.is_valid:
        snapped = shapely.set_precision(geom, 10.0 ** -decimals)
        rounded = shapely.transform(snapped, lambda c: np.round(c, decimals))
    return rounded
