"""Where the data lie: the CRS a reader's features are in, and whether they fall in Gaza.

Every reader ends here (:mod:`geo.read.io` for whole files, :mod:`geo.read.points` and
:mod:`geo.read.arrow` for big layers, :mod:`geo.count.engines` for streamed ones): a CRS
declared by the file, given by the user or implied by the format is agreed and applied;
projected data without a CRS, two CRSs that disagree, a CRS with no tie to the Earth and
data outside Gaza (or lying there only with the axes swapped) are refused with the fix.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geo.errors import InputError
from geo.geometry.crs import (
    WGS84,
    is_wgs84,
    parse_crs,
    share_in_gaza,
    suggest_crs,
    to_wgs84,
)
from geo.read.base import _Raw, _warn
from geo.read.features import Feature

__all__ = [
    "check_in_gaza",
    "crs_name",
    "lonlat_features",
    "not_lonlat",
    "same_crs",
]


def _swap(feats: list[Feature]) -> list[Feature]:
    """The features with their axes swapped (latitude first -> longitude first)."""
    return [Feature(shapely.transform(f.geometry, lambda c: c[:, ::-1]), f.properties)
            for f in feats]


def lonlat_features(raw: _Raw, crs: str | None, swap_axes: bool, source: str,
                    fmt: str) -> list[Feature]:
    """Declared / given / implied CRS -> lon/lat features; implausible data is refused.

    ``crs`` is the user's (refused when the file declares another); a file with none and
    no implied lon/lat is read as lon/lat only when its coordinates fall in Gaza.
    """
    feats = _swap(raw.features) if swap_axes else raw.features
    coords = shapely.get_coordinates([f.geometry for f in feats])
    if len(coords) == 0:
        raise InputError("every geometry is empty", source=source, fix="re-export the file")
    if crs is not None:
        given = parse_crs(crs)
        if raw.crs is not None and not same_crs(raw.crs, given):
            raise InputError(
                f"the file declares its CRS as {crs_name(raw.crs)!r} but `crs` {crs!r} was "
                "given", source=source,
                fix="drop `crs` to use the file's CRS (it is transformed to lon/lat), or fix "
                    "the file's CRS in a GIS if it is wrong")
        src: str | None = given
    elif raw.crs is not None:
        # a .prj or a GeoPackage's definition: no file references, built in bounded time
        src = parse_crs(raw.crs, source=source) if raw.crs != WGS84 else raw.crs
    elif raw.implied_wgs84:
        src = WGS84
    else:
        src = None
    if src is None:
        if share_in_gaza(coords) >= 0.5:
            what = {"shapefile": "no .prj file", "csv": "x/y columns without a CRS"}.get(
                fmt, "no CRS")
            _warn(source, f"{what}: its coordinates fall in Gaza as lon/lat, so they were "
                          "read as EPSG:4326; give `crs` to declare another")
            src = WGS84
        else:
            raise not_lonlat(coords, source, "without a CRS")
    if not is_wgs84(src):
        _check_transformable(src, source)
        feats = [Feature(to_wgs84(f.geometry, src), f.properties) for f in feats]
        lonlat = shapely.get_coordinates([f.geometry for f in feats])
        if not np.isfinite(lonlat).all():
            raise InputError(f"some coordinates cannot be transformed from {crs_name(src)}",
                             source=source, fix="check the CRS (`crs`) of the file")
    else:
        lonlat = coords
        if np.abs(lonlat[:, 0]).max() > 180 or np.abs(lonlat[:, 1]).max() > 90:
            raise not_lonlat(coords, source, "without a CRS")
    check_in_gaza(lonlat, source, swap_axes)
    return feats


def _check_transformable(crs: str, source: str) -> None:
    """Refuse a CRS that has no relation to the Earth (engineering ``LOCAL_CS``) or none."""
    from pyproj import CRS

    c = CRS.from_user_input(crs)
    if c.is_engineering or not (c.is_geographic or c.is_projected or c.is_compound):
        raise InputError(
            f"the file's CRS {str(c.name)[:60]!r} is a local (engineering) CRS, not tied to "
            "the Earth: it cannot be transformed to lon/lat", source=source,
            fix="georeference the data in a GIS, or replace the CRS definition (.prj) with "
                "the real one (e.g. EPSG:2039)")


def same_crs(a: str, b: str) -> bool:
    """Whether two CRS definitions are the same CRS, whatever their axis order.

    >>> same_crs("EPSG:4326", "OGC:CRS84"), same_crs("EPSG:4326", "EPSG:2039")
    (True, False)
    """
    from pyproj import CRS

    return bool(CRS.from_user_input(a).equals(CRS.from_user_input(b), ignore_axis_order=True))


def crs_name(crs: str) -> str:
    """A CRS as messages name it: its authority code (``EPSG:2039``), else its name."""
    from pyproj import CRS

    c = CRS.from_user_input(crs)
    auth = c.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else str(c.name)


def not_lonlat(coords: np.ndarray[Any, Any], source: str, how: str) -> InputError:
    """The error for coordinates that are not lon/lat degrees (projected data ``how``).

    The fix names the CRSs that would put the data in Gaza, when some do.
    """
    x, y = coords[0]
    cands = suggest_crs(coords)
    fix = (f"declare the CRS with `crs` ({' or '.join(cands)} would put the data in Gaza)"
           if cands else "declare the file's CRS with `crs` EPSG:... or re-export as lon/lat")
    return InputError(f"coordinates like ({x:.6g}, {y:.6g}) are not lon/lat degrees: "
                      f"projected data {how}", source=source, fix=fix)


def check_in_gaza(lonlat: np.ndarray[Any, Any], source: str, swapped: bool) -> None:
    """Refuse lon/lat data that does not lie in Gaza (saying so when swapping would fix it).

    ``swapped``: the user asked to swap the axes (then the fix is to drop it).
    """
    if share_in_gaza(lonlat) >= 0.5:
        return
    lon, lat = lonlat[0]
    if share_in_gaza(lonlat[:, ::-1]) >= 0.5:
        if swapped:
            raise InputError(
                f"with swap_axes the data lies outside Gaza (first vertex {lon:.4f}, "
                f"{lat:.4f}); without it, it lies in Gaza", source=source,
                fix="drop swap_axes")
        raise InputError(
            f"the coordinates look like lat/lon (swapped): the first vertex ({lon:.4f}, "
            f"{lat:.4f}) lies outside Gaza but inside it when swapped", source=source,
            fix="give swap_axes, or re-export with longitude first")
    raise InputError(
        f"the data lies outside the Gaza area (first vertex lon {lon:.4f}, lat {lat:.4f}; "
        f"{100 * share_in_gaza(lonlat):.0f} % of the vertices near Gaza)",
        source=source, fix="check that this is a Gaza file and its CRS (`crs`)")
