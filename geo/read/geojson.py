"""GeoJSON input: strict parsing (duplicate keys, NaN, degenerate rings) without GDAL."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.geometry.crs import parse_crs
from geo.read.base import MAX_INT_DIGITS, _Budget, _Raw, _read_text, _warn, _where
from geo.read.features import Feature
from geo.read.parsing import _JSON_STRINGS, _check_depth

__all__ = [
    "_GeoJSONGeometry",
    "_read_geojson",
]

# JSON keys whose repetition changes the geometry: refused. Others (properties) warn.
_STRUCTURAL_KEYS = {"type", "coordinates", "geometry", "geometries", "features", "crs"}


class _DupKeys:
    """``object_pairs_hook`` that records repeated keys instead of silently keeping the last."""

    def __init__(self) -> None:
        self.structural: list[str] = []
        self.other: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                (self.structural if k in _STRUCTURAL_KEYS else self.other).append(k)
            out[k] = v
        return out


def _parse_int(source: str) -> Any:
    """``parse_int`` for ``json.loads``: integers of absurd length are refused.

    Python itself refuses more than 4,300 digits (and the conversion is quadratic); a
    coordinate of 400 digits overflows a float.
    """
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            raise InputError(f"a JSON integer has {digits:,} digits (the most accepted is "
                             f"{MAX_INT_DIGITS}), starting {text[:12]!r}", source=source,
                             fix="write such values as strings, or remove them")
        return int(text)
    return parse


def _positions_before_parsing(text: str) -> int:
    """About how many positions a GeoJSON text holds, counted without parsing it.

    Adjacent arrays (``],[`` outside strings, white space ignored) number the positions
    less one per geometry; 0.1 s for 1e6 positions, where parsing them takes 0.7 s.

    >>> _positions_before_parsing('{"coordinates": [[1, 2], [3, 4], [5, 6]], "n": "],["}')
    2
    """
    raw = _JSON_STRINGS.sub(b"", text.encode("utf-8", "surrogatepass"))
    return raw.translate(None, b" \t\r\n").count(b"],[")


def _read_geojson(path: Path, encoding: str | None, budget: _Budget) -> _Raw:
    source = budget.source
    text = _read_text(path, encoding, "GeoJSON", source)
    _check_depth(text, "json", budget, "the JSON")
    # A position takes at least 6 characters ("[1,2],"): a shorter text cannot be over.
    if len(text) > 6 * budget.max_vertices:
        n = _positions_before_parsing(text)
        if n > budget.max_vertices:
            raise ReadLimitError(
                f"the file holds about {n:,} vertices (counted before parsing), over the "
                f"limit of {budget.max_vertices:,} (max_vertices)", source=source,
                fix="simplify the geometry (e.g. QGIS Simplify, or mapshaper -simplify), or "
                    "raise max_vertices")
    hook = _DupKeys()
    try:
        data = json.loads(text, object_pairs_hook=hook, parse_int=_parse_int(source))
    except json.JSONDecodeError as exc:
        # a JSON document ends with } or ]: anything else means the download was cut
        truncated = (" (the file ends early: truncated?)"
                     if text.rstrip()[-1:] not in ("}", "]") else "")
        raise InputError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){truncated}",
            source=source, fix="repair or re-export the file") from None
    if hook.structural:
        raise InputError(
            f"a JSON object repeats the key {hook.structural[0]!r} "
            f"({len(hook.structural)} repeated structural key(s)); which value is meant "
            "is ambiguous", source=source, fix="remove the duplicate and keep the right one")
    if hook.other:
        _warn(source, f"repeated JSON key(s) {sorted(set(hook.other))!r} in properties; "
                      "the last value of each was kept")
    budget.tick()
    crs = _geojson_crs(data, source)
    feats = _features_from_geojson(data, budget)
    return _Raw(feats, crs=crs, implied_wgs84=crs is None)


def _geojson_crs(data: Any, source: str) -> str | None:
    """The CRS of a pre-RFC 7946 ``crs`` member, or None (RFC 7946: lon/lat WGS84)."""
    if not isinstance(data, dict) or not isinstance(data.get("crs"), dict):
        return None
    name = (data["crs"].get("properties") or {}).get("name")
    if not isinstance(name, str):
        return None
    m = re.search(r"EPSG:+(\d+)", name, re.I)
    text = f"EPSG:{m.group(1)}" if m else ("OGC:CRS84" if "CRS84" in name.upper() else name)
    return parse_crs(text, source=f"{source} (its \"crs\" member)")


def _n_positions(g: Any) -> int:
    """The number of positions of a GeoJSON geometry object, counted without reading them.

    Malformed parts count 0 (the builder refuses them); the nesting is bounded before
    parsing, so the recursion is too.
    """
    if not isinstance(g, dict):
        return 0
    c = g.get("coordinates")
    kind = g.get("type")
    if kind == "GeometryCollection":
        parts = g.get("geometries")
        return sum(_n_positions(p) for p in parts) if isinstance(parts, list) else 0
    if not isinstance(c, list):
        return 0
    if kind == "Point":
        return 1
    if kind in ("MultiPoint", "LineString"):
        return len(c)
    if kind in ("MultiLineString", "Polygon"):
        return sum(len(r) for r in c if isinstance(r, list))
    if kind == "MultiPolygon":
        return sum(len(r) for p in c if isinstance(p, list) for r in p if isinstance(r, list))
    return 0


def _features_from_geojson(data: Any, budget: _Budget) -> list[Feature]:
    source = budget.source
    if isinstance(data, dict) and data.get("type") == "Topology":
        raise InputError("this is TopoJSON, not GeoJSON", source=source,
                         fix="convert it to GeoJSON (e.g. with mapshaper or topojson-client)")
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
        raise InputError("the FeatureCollection has no features (\"features\": [])",
                         source=source, fix="export a file that contains the line or polygon")
    out = []
    dropped_z = 0
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"feature #{i + 1} is a {type(item).__name__}, not an object",
                             source=source, fix="repair or re-export the file")
        budget.add_features()
        budget.add_vertices(_n_positions(item.get("geometry")))
        props = item.get("properties")
        props = dict(props) if isinstance(props, dict) else {}
        where = _where(i, props, item.get("id"))
        geom = item.get("geometry")
        if geom is None:
            continue
        builder = _GeoJSONGeometry(source, where)
        g = builder.build(geom)
        dropped_z += builder.dropped_z
        if item.get("id") is not None and "id" not in props:
            props["id"] = item["id"]
        out.append(Feature(g, props))
    if not out:
        raise InputError(f"none of the {len(items)} feature(s) has a geometry", source=source,
                         fix="export a file that contains the line or polygon")
    if dropped_z:
        _warn(source, f"dropped the Z (and M) values of {dropped_z} coordinate(s): "
                      "gazamap works in 2D lon/lat")
    return out


def _collinear(arr: np.ndarray[Any, Any]) -> bool:
    """True when all positions lie on one line (a ring without area, whatever its shape).

    A signed area would not do: a bow-tie's two loops cancel to zero.
    """
    centred = arr - arr.mean(axis=0)
    sv = np.linalg.svd(centred, compute_uv=False)
    return bool(sv[0] == 0 or sv[-1] <= 1e-12 * sv[0])


class _GeoJSONGeometry:
    """Build a shapely geometry from a GeoJSON geometry object, checking every position."""

    def __init__(self, source: str, where: str):
        self.source, self.where = source, where
        self.dropped_z = 0

    def fail(self, problem: str, fix: str = "repair or re-export the file") -> InputError:
        return InputError(f"{self.where}: {problem}", source=self.source, fix=fix)

    def positions(self, coords: Any, min_count: int) -> np.ndarray[Any, Any]:
        if not isinstance(coords, list):
            raise self.fail(f"coordinates {str(coords)[:30]!r} are not a list of positions")
        rows = []
        for p in coords:
            if not isinstance(p, list) or len(p) < 2:
                raise self.fail(f"position {str(p)[:40]!r} is not [lon, lat]")
            for v in p[:2]:
                if isinstance(v, bool) or not isinstance(v, int | float):
                    raise self.fail(f"coordinate {v!r} is not a number",
                                    fix="write coordinates as JSON numbers, not strings")
            if len(p) > 2:
                self.dropped_z += 1
            rows.append((float(p[0]), float(p[1])))
        arr = np.array(rows, dtype=float).reshape(-1, 2)
        bad = ~np.isfinite(arr).all(axis=1)
        if bad.any():
            k = int(np.argmax(bad))
            raise self.fail(f"{int(bad.sum())} position(s) are NaN or infinite "
                            f"(first: {coords[k][:2]!r})",
                            fix="remove or repair those vertices")
        if len(arr) < min_count:
            raise self.fail(f"has {len(arr)} position(s), at least {min_count} are needed")
        return arr

    def ring(self, coords: Any, which: str) -> np.ndarray[Any, Any] | None:
        arr = self.positions(coords, 1)
        if len(arr) >= 2 and not np.array_equal(arr[0], arr[-1]):
            _warn(self.source, f"{self.where}: the {which} ring was not closed (first "
                               f"position {tuple(arr[0])!r} != last {tuple(arr[-1])!r}); "
                               "closed it")
            arr = np.vstack([arr, arr[:1]])
        distinct = len({tuple(r) for r in arr.tolist()})
        if distinct < 3 or _collinear(arr):
            if which != "outer":
                _warn(self.source, f"{self.where}: dropped a degenerate {which} ring "
                                   f"({distinct} distinct positions, no area)")
                return None
            raise self.fail(f"the outer ring is degenerate ({distinct} distinct position(s), "
                            "no area)", fix="remove the feature or redraw the polygon")
        return arr

    def polygon(self, coords: Any) -> shapely.Polygon:
        if not isinstance(coords, list) or not coords:
            raise self.fail("a Polygon has no rings")
        shell = self.ring(coords[0], "outer")
        holes = [h for h in (self.ring(c, f"inner #{j + 1}") for j, c in enumerate(coords[1:]))
                 if h is not None]
        return shapely.Polygon(shell, holes)

    def build(self, g: Any) -> shapely.Geometry:
        if not isinstance(g, dict) or "type" not in g:
            raise self.fail("the geometry is not a GeoJSON geometry object")
        kind, c = g["type"], g.get("coordinates")
        if kind == "GeometryCollection":
            parts = g.get("geometries")
            if not isinstance(parts, list):
                raise self.fail("the GeometryCollection has no \"geometries\" list")
            return shapely.GeometryCollection([self.build(p) for p in parts])
        if c is None or c == []:
            return shapely.from_wkt(f"{kind.upper()} EMPTY") if kind in (
                "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                "MultiPolygon") else shapely.GeometryCollection()
        if kind == "Point":
            return shapely.Point(self.positions([c], 1)[0])
        if kind == "MultiPoint":
            return shapely.MultiPoint(self.positions(c, 1))
        if kind == "LineString":
            return self.line(c)
        if kind == "MultiLineString":
            if not isinstance(c, list):
                raise self.fail("MultiLineString coordinates are not a list")
            return shapely.MultiLineString([self.line(p) for p in c])
        if kind == "Polygon":
            return self.polygon(c)
        if kind == "MultiPolygon":
            if not isinstance(c, list):
                raise self.fail("MultiPolygon coordinates are not a list")
            return shapely.MultiPolygon([self.polygon(p) for p in c])
        raise self.fail(f"unknown geometry type {kind!r}",
                        fix="use Point, LineString, Polygon or their Multi- forms")

    def line(self, coords: Any) -> shapely.LineString:
        arr = self.positions(coords, 2)
        distinct = len({tuple(r) for r in arr.tolist()})
        if distinct < 2:
            raise self.fail(f"a LineString has {distinct} distinct position(s), at least 2 "
                            "are needed", fix="remove the feature or redraw the line")
        return shapely.LineString(arr)
