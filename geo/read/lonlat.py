"""The CRS a big layer is read in, and its coordinates in lon/lat.

A GeoParquet or FlatGeobuf layer is read in the CRS it declares, the one given
(``crs``, never against the declared one) or, when it has none, lon/lat if its
coordinates fall in Gaza (:func:`resolve_crs`); its batches are then turned into lon/lat
(:func:`xy_to_lonlat` for points read straight from WKB, :func:`to_lonlat` for
geometries), axes swapped first when asked.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import shapely

from geo.errors import InputError
from geo.geometry.crs import WGS84, is_wgs84, parse_crs, share_in_gaza, transformer
from geo.read.base import _warn

__all__ = ["resolve_crs", "to_lonlat", "xy_to_lonlat"]


def resolve_crs(declared: str | None, implied: bool, given: str | None,
                sample_xy: np.ndarray[Any, Any], source: str) -> str:
    """The CRS to read the layer in: declared, given (never against the declared), implied.

    A layer without any is read as lon/lat only when its coordinates fall in Gaza.
    """
    from geo.read.checks import not_lonlat, same_crs

    if given is not None:
        want = parse_crs(given)
        if declared is not None and not implied and not same_crs(declared, want):
            raise InputError(
                f"the file declares its CRS as {declared!r} but crs={given!r} was given",
                source=source, fix="give no crs to use the file's CRS, or fix the file's CRS")
        return want
    if declared is not None:
        return declared
    if len(sample_xy) and share_in_gaza(sample_xy) >= 0.5:
        _warn(source, "no CRS: its coordinates fall in Gaza as lon/lat, so they were read as "
                      "EPSG:4326; give its crs to declare another")
        return WGS84
    raise not_lonlat(sample_xy if len(sample_xy) else np.zeros((1, 2)), source,
                      "without a CRS")


@lru_cache(maxsize=16)
def _is_wgs84(crs: str) -> bool:
    return is_wgs84(crs)  # pyproj parses the CRS each time: once per layer, not per batch


def xy_to_lonlat(xy: np.ndarray[Any, Any], crs: str, swap_axes: bool) -> np.ndarray[Any, Any]:
    """Point coordinates of a batch in lon/lat (axes swapped first when asked)."""
    if swap_axes:
        xy = xy[:, ::-1]
    if _is_wgs84(crs):
        return xy
    lon, lat = transformer(crs, WGS84).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def to_lonlat(geoms: np.ndarray[Any, Any], crs: str, swap_axes: bool) -> np.ndarray[Any, Any]:
    """Geometries of a batch in lon/lat (axes swapped first when asked)."""
    if swap_axes:
        geoms = shapely.transform(geoms, lambda c: c[:, ::-1])
    if _is_wgs84(crs):
        return geoms
    tr = transformer(crs, WGS84)
    return shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))

