"""Reading users' geometry files into lon/lat shapely geometries, with clear errors.

Every failure raises :class:`~geo.errors.InputError` naming the file, the problem (with
the value found) and the fix.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Literal

import shapely
from shapely.geometry import shape

from geo.catalog import Feature
from geo.errors import InputError

__all__ = ["MAX_INPUT_MB", "read_features", "read_geometry", "GAZA_BBOX"]

MAX_INPUT_MB = 200.0
# lon/lat box around the Strip with a margin, to recognise plausible input coordinates
GAZA_BBOX = (33.9, 30.9, 35.0, 31.9)
Expect = Literal["line", "polygon", "points", "any"]
_EXPECT_TYPES = {
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
    "points": ("Point", "MultiPoint"),
}


def _check_path(path: Path, max_mb: float) -> None:
    if not path.exists():
        raise InputError("no such file", source=str(path), fix="check the path")
    if path.is_dir():
        raise InputError("is a directory, not a file", source=str(path),
                         fix="give the path of a file inside it")
    size_mb = path.stat().st_size / 1e6
    if size_mb > max_mb:
        raise InputError(f"the file is {size_mb:.0f} MB, over the {max_mb:.0f} MB limit",
                         source=str(path), fix="raise --max-input-mb or simplify the file")
    if path.stat().st_size == 0:
        raise InputError("the file is empty", source=str(path),
                         fix="export the data again")


def _read_geojson(path: Path) -> list[Feature]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", source=str(path),
                         fix="save it as UTF-8 GeoJSON") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path),
                         fix="check its permissions") from None
    if not text.strip():
        raise InputError("the file holds only white space", source=str(path),
                         fix="export the data again")
    if text.lstrip()[:1] == "<":
        raise InputError("this is HTML or XML, not GeoJSON", source=str(path),
                         fix="download the raw GeoJSON, not the web page")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
                         source=str(path), fix="repair or re-export the file") from None
    return _features_from_geojson(data, str(path))


def _features_from_geojson(data: Any, source: str) -> list[Feature]:
    if not isinstance(data, dict) or "type" not in data:
        raise InputError("not a GeoJSON object (no \"type\" member)", source=source,
                         fix="give a GeoJSON FeatureCollection, Feature or geometry")
    kind = data["type"]
    if kind == "FeatureCollection":
        raw = data.get("features")
        if not isinstance(raw, list):
            raise InputError("the FeatureCollection has no \"features\" list", source=source,
                             fix="re-export the file")
        items = raw
    elif kind == "Feature":
        items = [data]
    else:
        items = [{"type": "Feature", "geometry": data, "properties": {}}]
    if not items:
        raise InputError("the FeatureCollection has no features", source=source,
                         fix="export a file that contains the line or polygon")
    out = []
    for i, item in enumerate(items):
        geom = item.get("geometry") if isinstance(item, dict) else None
        if geom is None:
            continue
        try:
            g = shape(geom)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            raise InputError(f"feature #{i + 1} has a malformed geometry ({exc})",
                             source=source, fix="repair or re-export the file") from None
        out.append(Feature(g, dict(item.get("properties") or {})))
    if not out:
        raise InputError("no feature has a geometry", source=source,
                         fix="export a file that contains the line or polygon")
    return out


def _check_coords(features: list[Feature], source: str) -> None:
    coords = shapely.get_coordinates([f.geometry for f in features])
    if len(coords) == 0:
        raise InputError("every geometry is empty", source=source, fix="re-export the file")
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise InputError("some coordinates are NaN or infinite", source=source,
                         fix="remove or repair those vertices")
    x0, y0, x1, y1 = GAZA_BBOX
    lon, lat = coords[:, 0], coords[:, 1]
    inside = ((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)).mean()
    if inside < 0.5:
        swapped = ((lat >= x0) & (lat <= x1) & (lon >= y0) & (lon <= y1)).mean()
        if swapped >= 0.5:
            raise InputError("the coordinates look like lat/lon (swapped); GeoJSON is lon/lat",
                             source=source, fix="swap the axes (--swap-axes) or re-export")
        if abs(lon).max() > 180 or abs(lat).max() > 90:
            raise InputError(
                f"coordinates like ({lon[0]:.0f}, {lat[0]:.0f}) are not lon/lat degrees: "
                "projected data without a CRS",
                source=source,
                fix="declare the file's CRS (--crs EPSG:...) or re-export as lon/lat",
            )
        raise InputError(
            f"the data lies outside the Gaza area (first vertex {lon[0]:.4f}, {lat[0]:.4f})",
            source=source, fix="check that this is a Gaza file in lon/lat (EPSG:4326)",
        )


def read_features(path: str | Path, *, max_mb: float = MAX_INPUT_MB) -> list[Feature]:
    """Read a GeoJSON file into lon/lat features, refusing implausible coordinates."""
    p = Path(path)
    _check_path(p, max_mb)
    feats = _read_geojson(p)
    feats = [Feature(shapely.force_2d(f.geometry), f.properties) for f in feats]
    _check_coords(feats, str(p))
    return feats


def read_geometry(path: str | Path, expect: Expect = "any", *,
                  max_mb: float = MAX_INPUT_MB) -> shapely.Geometry:
    """Read one geometry of the expected kind from a file (features of that kind joined)."""
    feats = read_features(path, max_mb=max_mb)
    if expect == "any":
        geoms = [f.geometry for f in feats]
    else:
        types = _EXPECT_TYPES[expect]
        geoms = [f.geometry for f in feats if f.geometry.geom_type in types]
        if not geoms:
            found = sorted({f.geometry.geom_type for f in feats})
            raise InputError(f"expected a {expect}, found {', '.join(found)}", source=str(path),
                             fix=f"give a file with a {' or '.join(types)}")
    if expect == "polygon":
        return shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    if expect == "line":
        return shapely.MultiLineString(
            [g for p in geoms for g in shapely.get_parts(p)]) if len(geoms) > 1 else geoms[0]
    return geoms[0] if len(geoms) == 1 else shapely.GeometryCollection(geoms)
