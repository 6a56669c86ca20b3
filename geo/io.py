"""Reading users' geometry files into lon/lat shapely geometries, with clear errors.

Formats: GeoJSON (read here, without GDAL, so that ``gazamap areas`` starts fast), KML and
KMZ (Google Earth; read here with the standard XML parser), CSV of points (lat/lon columns
found by name, or a WKT column), GeoPackage and Shapefile (a ``.shp``, a folder or a
``.zip``; read through pyogrio, imported only when such a file is given).

Every failure raises :class:`~geo.errors.InputError` naming the file, the problem (with
the value found) and the fix. Safe repairs (dropping Z, closing a ring, ``make_valid`` of
a self-intersecting polygon, rebuilding a missing ``.shx``, assuming lon/lat for data that
falls in Gaza and has no CRS) are made with an :class:`InputWarning` that says what was
done. Coordinates are normalised once, here, to EPSG:4326 lon/lat.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree as ET

import numpy as np
import shapely

from geo.catalog import Feature
from geo.crs import (
    GAZA_BBOX,
    WGS84,
    is_wgs84,
    parse_crs,
    share_in_gaza,
    suggest_crs,
    to_wgs84,
)
from geo.errors import InputError

__all__ = [
    "MAX_INPUT_MB",
    "GAZA_BBOX",
    "FORMATS",
    "InputWarning",
    "detect_format",
    "list_layers",
    "read_features",
    "read_geometry",
    "geometry_from_features",
]

MAX_INPUT_MB = 200.0
Expect = Literal["line", "polygon", "points", "any"]
Format = Literal["geojson", "kml", "kmz", "csv", "gpkg", "shapefile"]
FORMATS: tuple[str, ...] = ("geojson", "kml", "kmz", "csv", "gpkg", "shapefile")
_EXPECT_TYPES = {
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
    "points": ("Point", "MultiPoint"),
}
_SUFFIX_FORMAT: dict[str, Format] = {
    ".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".kmz": "kmz",
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".gpkg": "gpkg", ".shp": "shapefile",
    ".zip": "shapefile",
}
_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# JSON keys whose repetition changes the geometry: refused. Others (properties) warn.
_STRUCTURAL_KEYS = {"type", "coordinates", "geometry", "geometries", "features", "crs"}
_LAT_NAMES = ("lat", "latitude", "lat_dd", "y_lat", "breite")
_LON_NAMES = ("lon", "lng", "long", "longitude", "lon_dd", "x_lon")
_X_NAMES = ("x", "easting", "east")
_Y_NAMES = ("y", "northing", "north")
_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape", "wkt_geom")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_ARABIC = re.compile("[\u0600-\u06ff]")


class InputWarning(UserWarning):
    """A file was read after a stated repair or assumption (Z dropped, ring closed, ...)."""


@dataclass
class _Raw:
    """What a format reader found, before CRS handling and checks."""

    features: list[Feature]
    crs: str | None = None  # declared in the file (a .prj, a GeoPackage, a GeoJSON "crs")
    implied_wgs84: bool = False  # the format implies lon/lat (GeoJSON, KML, lat/lon CSV)


def _warn(source: str, text: str) -> None:
    # stacklevel: the caller of read_features/read_geometry (io -> public fn -> caller)
    warnings.warn(f"{source}: {text}", InputWarning, stacklevel=4)


# --- paths, formats, text -------------------------------------------------------------


def _check_path(path: Path, max_mb: float) -> None:
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name too long
        raise InputError(f"cannot be opened ({exc.strerror})", source=str(path),
                         fix="check the path") from None
    if not exists:
        raise InputError("no such file", source=str(path), fix="check the path")
    if path.is_dir():
        if any(p.suffix.lower() == ".shp" for p in path.iterdir()):
            return
        raise InputError("is a directory, not a file (and it holds no .shp shapefile)",
                         source=str(path), fix="give the path of a file inside it")
    if not path.is_file():
        raise InputError("is not a regular file", source=str(path),
                         fix="give the path of a data file")
    size_mb = path.stat().st_size / 1e6
    if size_mb > max_mb:
        raise InputError(f"the file is {size_mb:.3g} MB, over the {max_mb:g} MB limit",
                         source=str(path), fix="raise --max-input-mb or simplify the file")
    if path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=str(path),
                         fix="export the data again")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path),
                         fix="check its permissions") from None


def detect_format(path: str | Path) -> Format:
    """The format of a file, from its extension, checked against its first bytes.

    >>> detect_format("line.geojson"), detect_format("blocks.CSV"), detect_format("a.shp")
    ('geojson', 'csv', 'shapefile')
    """
    p = Path(path)
    if p.is_dir():
        return "shapefile"
    fmt = _SUFFIX_FORMAT.get(p.suffix.lower())
    head = b""
    if p.is_file():
        with open(p, "rb") as fh:
            head = fh.read(64)
    if head.startswith(b"SQLite format 3"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04") and fmt != "kmz":
        return "kmz" if _zip_has(p, ".kml") and not _zip_has(p, ".shp") else "shapefile"
    if fmt is None:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start in (b"{", b"["):
            return "geojson"
        if start == b"<":
            return "kml"
        return "csv"
    return fmt


_MAGIC = {"gpkg": (b"SQLite format 3",), "kmz": (b"PK\x03\x04",),
          "shapefile": (b"\x00\x00\x27\x0a", b"PK\x03\x04")}


def _check_binary(path: Path, fmt: str) -> None:
    """Refuse a file whose first bytes are not those of its binary format (e.g. HTML)."""
    with open(path, "rb") as fh:
        head = fh.read(64)
    if head.startswith(_MAGIC[fmt]):
        return
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    what = ("an HTML page" if re.match(rb"<(!doctype html|html)", text, re.I) else
            "text" if all(32 <= b < 127 or b in (9, 10, 13) for b in text) else
            "another kind of file")
    name = {"gpkg": "GeoPackage", "kmz": "KMZ", "shapefile": "shapefile (.shp or .zip)"}[fmt]
    raise InputError(f"this is {what}, not a {name} (it starts with {head[:16]!r})",
                     source=str(path), fix="download or export the file itself again")


def _zip_has(path: Path, suffix: str) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.lower().endswith(suffix) for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _decode(raw: bytes, source: str, encoding: str | None, what: str) -> str:
    """Bytes to text: the given encoding, else UTF-8; cp1256 Arabic detected with a warning."""
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                             fix="give a codec name such as utf-8, cp1256, latin-1") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not {encoding} text (byte {raw[exc.start:exc.start + 1]!r} at offset "
                f"{exc.start})", source=source, fix="give the right --encoding") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        guess = _guess_legacy(raw)
        if guess == "cp1256":
            _warn(source, f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start}); read it "
                          "as cp1256 (Windows Arabic) because it decodes to Arabic letters; "
                          "give --encoding to choose another")
            return raw.decode("cp1256")
        raise InputError(
            f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start})", source=source,
            fix="give its encoding with --encoding (e.g. cp1256, latin-1) or save it as UTF-8",
        ) from None


def _guess_legacy(raw: bytes) -> str | None:
    """``cp1256`` when the non-ASCII bytes decode to Arabic letters in cp1256, else None."""
    high = bytes(b for b in raw if b >= 0x80)
    if not high:
        return None
    try:
        text = high.decode("cp1256")
    except UnicodeDecodeError:
        return None
    arabic = len(_ARABIC.findall(text))
    return "cp1256" if arabic >= 0.8 * len(text) else None


# --- GeoJSON ------------------------------------------------------------------------


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


def _read_text(path: Path, encoding: str | None, fmt: str) -> str:
    """The decoded text of a text format; refuse white space and saved web pages."""
    source = str(path)
    text = _decode(_read_bytes(path), source, encoding, "the file")
    if not text.strip():
        raise InputError("the file holds only white space", source=source,
                         fix="export the data again")
    if text.lstrip()[:1] == "<":
        kind = "an HTML page" if re.search(r"<(!doctype html|html)", text[:2000], re.I) else \
            "XML"
        raise InputError(f"this is {kind}, not {fmt} (it starts with "
                         f"{text.lstrip()[:15]!r})", source=source,
                         fix=f"download the raw {fmt} file, not the web page that shows it")
    return text


def _read_geojson(path: Path, encoding: str | None) -> _Raw:
    source = str(path)
    text = _read_text(path, encoding, "GeoJSON")
    hook = _DupKeys()
    try:
        data = json.loads(text, object_pairs_hook=hook)
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
    crs = _geojson_crs(data, source)
    feats = _features_from_geojson(data, source)
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


def _features_from_geojson(data: Any, source: str) -> list[Feature]:
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


def _where(i: int, props: dict[str, Any], fid: Any = None) -> str:
    name = next((props[k] for k in ("name", "Name", "id") if props.get(k) not in (None, "")),
                fid)
    return f"feature #{i + 1}" + (f" ({str(name)[:40]!r})" if name is not None else "")


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


# --- KML / KMZ ------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _parse_kml(path: Path, encoding: str | None, kmz: bool,
               max_mb: float = MAX_INPUT_MB) -> dict[str, list[ET.Element]]:
    """The Placemarks of a KML document grouped by layer (folder path)."""
    source = str(path)
    raw = _read_bytes(path)
    if kmz:
        raw = _kmz_doc(path, raw, max_mb)
    if not raw.strip():
        raise InputError("the file holds only white space", source=source,
                         fix="export the data again")
    if encoding:
        raw = _decode(raw, source, encoding, "the file").encode("utf-8")
        raw = re.sub(rb"^<\?xml[^>]*\?>", b"", raw.lstrip())
    if re.search(rb"<!ENTITY", raw):
        raise InputError("the KML declares XML entities (refused: they can expand without "
                         "limit or read other files)", source=source,
                         fix="export the file again from Google Earth or QGIS")
    if re.search(rb"<html|<!doctype html", raw[:2000], re.I):
        raise InputError("this is an HTML page, not KML", source=source,
                         fix="download the .kml file itself, not the web page that shows it")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, col = exc.position
        raise InputError(f"not valid KML/XML ({str(exc).split(':')[0]} at line {line}, "
                         f"column {col})", source=source,
                         fix="repair or re-export the file") from None
    if _local(root.tag) != "kml":
        raise InputError(f"the root element is <{_local(root.tag)}>, not <kml>", source=source,
                         fix="give a KML file exported by Google Earth, QGIS or similar")
    layers: dict[str, list[ET.Element]] = {}
    _kml_walk(root, [], layers)
    if not layers:
        raise InputError("the KML holds no Placemark", source=source,
                         fix="export the folder that contains the line or points")
    return layers


def _read_kml(path: Path, layer: str | None, encoding: str | None, kmz: bool,
              max_mb: float) -> _Raw:
    source = str(path)
    layers = _parse_kml(path, encoding, kmz, max_mb)
    name = _choose_layer(list(layers), layer, source)
    feats: list[Feature] = []
    dropped_z = 0
    for i, pm in enumerate(layers[name]):
        props = _kml_props(pm)
        where = _where(i, props)
        geoms = [g for g in (_kml_geom(c, source, where) for c in pm) if g is not None]
        if not geoms:
            continue
        dropped_z += sum(n for _, n in geoms)
        parts = [g for g, _ in geoms]
        feats.append(Feature(parts[0] if len(parts) == 1 else _homogeneous(parts), props))
    if not feats:
        raise InputError(f"no Placemark in layer {name!r} has a geometry", source=source,
                         fix="export a folder that contains the line or points")
    if dropped_z:
        _warn(source, f"dropped the altitude of {dropped_z} coordinate(s): gazamap works in "
                      "2D lon/lat")
    return _Raw(feats, crs=None, implied_wgs84=True)


def _kmz_doc(path: Path, raw: bytes, max_mb: float) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            kmls = [n for n in zf.namelist() if n.lower().endswith(".kml")]
            if not kmls:
                raise InputError("the KMZ archive holds no .kml document", source=str(path),
                                 fix="export the KMZ again from Google Earth")
            name = "doc.kml" if "doc.kml" in kmls else kmls[0]
            size_mb = zf.getinfo(name).file_size / 1e6
            if size_mb > max_mb:
                raise InputError(f"the KMZ unpacks to {size_mb:.3g} MB, over the "
                                 f"{max_mb:g} MB limit", source=str(path),
                                 fix="raise --max-input-mb or simplify the data")
            return zf.read(name)
    except zipfile.BadZipFile:
        raise InputError("not a valid KMZ (zip) archive", source=str(path),
                         fix="export it again, or save it as .kml") from None


def _kml_walk(el: ET.Element, path: list[str], out: dict[str, list[ET.Element]]) -> None:
    for c in el:
        tag = _local(c.tag)
        if tag in ("Folder", "Document"):
            name = _text(_child(c, "name")) or f"({tag.lower()})"
            sub = path + [name] if tag == "Folder" else path
            if tag == "Document" and not path and not any(
                    _local(x.tag) == "Folder" for x in c):
                sub = [name]
            _kml_walk(c, sub, out)
        elif tag == "Placemark":
            out.setdefault("/".join(path) or "(document)", []).append(c)


def _kml_props(pm: ET.Element) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in ("name", "description"):
        el = _child(pm, key)
        if el is not None:
            # description is HTML in Google Earth exports: kept as text (data), never
            # interpreted; every renderer escapes it.
            props[key] = "".join(el.itertext()).strip()
    ext = _child(pm, "ExtendedData")
    if ext is not None:
        for d in ext.iter():
            tag = _local(d.tag)
            if tag == "Data" and d.get("name"):
                props[d.get("name", "")] = _text(_child(d, "value"))
            elif tag == "SimpleData" and d.get("name"):
                props[d.get("name", "")] = (d.text or "").strip()
    return props


def _kml_coords(text: str, source: str, where: str) -> tuple[np.ndarray[Any, Any], int]:
    rows, dropped = [], 0
    for tup in text.split():
        parts = tup.split(",")
        try:
            vals = [float(v) for v in parts if v != ""]
        except ValueError:
            raise InputError(f"{where}: coordinate {tup!r} is not lon,lat[,alt]",
                             source=source, fix="repair or re-export the file") from None
        if len(vals) < 2:
            raise InputError(f"{where}: coordinate {tup!r} is not lon,lat[,alt]",
                             source=source, fix="repair or re-export the file")
        dropped += len(vals) > 2
        rows.append(vals[:2])
    arr = np.array(rows, dtype=float).reshape(-1, 2)
    if not np.isfinite(arr).all():
        raise InputError(f"{where}: some coordinates are NaN or infinite", source=source,
                         fix="remove or repair those vertices")
    return arr, dropped


def _kml_geom(el: ET.Element, source: str,
              where: str) -> tuple[shapely.Geometry, int] | None:
    tag = _local(el.tag)
    if tag in ("Point", "LineString", "LinearRing"):
        arr, dz = _kml_coords(_text(_child(el, "coordinates")), source, where)
        if tag == "Point":
            if len(arr) != 1:
                raise InputError(f"{where}: a Point has {len(arr)} coordinates", source=source,
                                 fix="repair or re-export the file")
            return shapely.Point(arr[0]), dz
        if len({tuple(r) for r in arr.tolist()}) < 2:
            raise InputError(f"{where}: a {tag} has fewer than 2 distinct positions",
                             source=source, fix="remove the placemark or redraw the line")
        return shapely.LineString(arr), dz
    if tag == "Polygon":
        rings: list[np.ndarray[Any, Any]] = []
        dz = 0
        for bname in ("outerBoundaryIs", "innerBoundaryIs"):
            for b in (c for c in el if _local(c.tag) == bname):
                lr = _child(b, "LinearRing")
                if lr is None:
                    continue
                arr, d = _kml_coords(_text(_child(lr, "coordinates")), source, where)
                dz += d
                builder = _GeoJSONGeometry(source, where)
                ring = builder.ring(arr.tolist(), "outer" if bname[0] == "o" else "inner")
                if ring is not None:
                    rings.append(ring)
        if not rings:
            raise InputError(f"{where}: a Polygon has no outer ring", source=source,
                             fix="repair or re-export the file")
        return shapely.Polygon(rings[0], rings[1:]), dz
    if tag == "MultiGeometry":
        parts = [g for g in (_kml_geom(c, source, where) for c in el) if g is not None]
        if not parts:
            return None
        return _homogeneous([g for g, _ in parts]), sum(n for _, n in parts)
    if tag in ("Track", "MultiTrack"):
        coords = [c for c in el.iter() if _local(c.tag) == "coord"]
        if coords:
            text = " ".join(",".join(_text(c).split()) for c in coords)
            arr, dz = _kml_coords(text, source, where)
            if len(arr) >= 2:
                return shapely.LineString(arr), dz
    return None


def _homogeneous(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """Parts of one kind as a Multi-geometry, mixed kinds as a GeometryCollection."""
    flat = [p for g in parts for p in shapely.get_parts(g)]
    kinds = {p.geom_type for p in flat}
    if kinds == {"Point"}:
        return shapely.MultiPoint(flat)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(flat)
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(flat)
    return shapely.GeometryCollection(flat)


def _choose_layer(names: list[str], layer: str | None, source: str) -> str:
    if layer is None:
        if len(names) == 1:
            return names[0]
        raise InputError(
            f"the file has {len(names)} layers: {', '.join(repr(n) for n in names)}",
            source=source, fix="choose one with --input-layer NAME")
    if layer in names:
        return layer
    folded = [n for n in names if n.casefold() == layer.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"no layer {layer!r}; the layers are "
                     f"{', '.join(repr(n) for n in names)}", source=source,
                     fix="choose one of them with --input-layer NAME")


# --- CSV of points --------------------------------------------------------------------


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    norm = [h.strip().strip('"').casefold() for h in header]
    return next((norm.index(n) for n in names if n in norm), None)


def _read_csv(path: Path, encoding: str | None) -> _Raw:
    source = str(path)
    text = _read_text(path, encoding, "CSV")
    first = text.splitlines()[0]
    delim = max((";", "\t", "|", ","), key=lambda d: (first.count(d), d == ","))
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    header = rows[0]
    body = [(n + 2, r) for n, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    if not body:
        raise InputError("the CSV has a header but no rows", source=source,
                         fix="export the points again")
    wkt = _find_column(header, _WKT_NAMES)
    lat, lon = _find_column(header, _LAT_NAMES), _find_column(header, _LON_NAMES)
    implied = True
    if lat is None or lon is None:
        lat, lon = _find_column(header, _Y_NAMES), _find_column(header, _X_NAMES)
        implied = False
    if wkt is None and (lat is None or lon is None):
        raise InputError(
            f"no coordinate columns among {header!r}", source=source,
            fix="name them lat and lon (or latitude/longitude, x/y), or give a WKT column")
    for n, r in body:
        if len(r) != len(header):
            hint = ""
            if delim == "," and len(r) > len(header) and any(
                    re.fullmatch(r"\s*\d+\s*", c) for c in r):
                hint = ("; a decimal comma (\"31,42\") splits numbers in a comma-separated "
                        "file")
            raise InputError(f"row {n} has {len(r)} fields but the header has "
                             f"{len(header)}{hint}", source=source,
                             fix="use '.' as the decimal mark, or ';' as the delimiter, or "
                                 "quote the values")
    feats: list[Feature] = []
    # A WKT column filled on every row wins over lat/lon columns: gazamap's own CSV export
    # has both, with lon/lat only on point rows.
    use_wkt = wkt is not None and (lat is None or lon is None
                                   or all(r[wkt].strip() for _, r in body))
    if use_wkt:
        assert wkt is not None
        for n, r in body:
            try:
                g = shapely.from_wkt(r[wkt])
            except shapely.errors.ShapelyError as exc:
                raise InputError(f"row {n}: the WKT {r[wkt][:40]!r} is not valid ({exc})",
                                 source=source, fix="repair that row") from None
            feats.append(Feature(g, _csv_props(header, r, n, wkt)))
        return _Raw(feats, crs=None, implied_wgs84=True)
    assert lat is not None and lon is not None
    values = [c for _, r in body for c in (r[lat], r[lon])]
    comma = [v for v in values if _DECIMAL_COMMA.match(v)]
    if comma:
        if any("." in v for v in values):
            raise InputError(f"mixed decimal marks: {comma[0]!r} beside values with '.'",
                             source=source, fix="use one decimal mark ('.') throughout")
        _warn(source, f"read {len(comma)} decimal-comma value(s) like {comma[0]!r} as "
                      f"{comma[0].replace(',', '.').strip()}")
    for n, r in body:
        xy = []
        for col, what in ((lon, header[lon]), (lat, header[lat])):
            v = r[col].strip()
            if not v:
                raise InputError(f"row {n}: the {what!r} value is empty", source=source,
                                 fix="fill it in or delete the row")
            try:
                x = float(v.replace(",", ".") if comma else v)
            except ValueError:
                raise InputError(f"row {n}: {what} {v!r} is not a number", source=source,
                                 fix="write decimal degrees like 31.42") from None
            if not math.isfinite(x):
                raise InputError(f"row {n}: {what} {v!r} is not finite", source=source,
                                 fix="remove or repair that row")
            xy.append(x)
        feats.append(Feature(shapely.Point(xy), _csv_props(header, r, n, None)))
    return _Raw(feats, crs=None, implied_wgs84=implied)


def _csv_props(header: list[str], row: list[str], n: int, skip: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {h.strip(): v for i, (h, v) in enumerate(zip(header, row,
                                                                         strict=True))
                             if i != skip}
    props.setdefault("row", n)
    return props


# --- GeoPackage and Shapefile (GDAL through pyogrio) -----------------------------------


@contextmanager
def _gdal_option(name: str, value: str | None) -> Iterator[None]:
    import pyogrio

    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: None})


def _ogr_read(path: Path, layer: str, encoding: str | None) -> tuple[dict[str, Any], Any, Any]:
    import pyogrio.errors
    import pyogrio.raw

    if encoding is not None:
        encoding = _gdal_encoding(encoding)
    try:
        meta, _, geoms, field_data = pyogrio.raw.read(str(path), layer=layer,
                                                      encoding=encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError,
            pyogrio.errors.CRSError, pyogrio.errors.FeatureError) as exc:
        raise InputError(f"GDAL cannot read it ({exc})", source=str(path),
                         fix="check the file in QGIS and export it again") from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                         fix="give a codec name such as utf-8, cp1256, latin-1") from None
    return meta, geoms, field_data


def _gdal_encoding(encoding: str) -> str:
    """A Python codec name as GDAL spells it (GDAL knows ISO-8859-1, not latin-1)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                         fix="give a codec name such as utf-8, cp1256, latin-1") from None
    return {"iso8859-1": "ISO-8859-1", "utf-8": "UTF-8"}.get(name, name.upper())


def _ogr_features(meta: dict[str, Any], geoms: Any, field_data: Any,
                  source: str) -> list[Feature]:
    names = list(meta["fields"])
    feats = []
    for i, wkb in enumerate(geoms):
        if wkb is None:
            continue
        try:
            g = shapely.from_wkb(wkb)
        except shapely.errors.ShapelyError as exc:
            raise InputError(f"feature #{i + 1} has a malformed geometry ({exc})",
                             source=source, fix="repair or re-export the file") from None
        props = {n: _plain(col[i]) for n, col in zip(names, field_data, strict=True)}
        feats.append(Feature(g, props))
    if not feats:
        raise InputError(f"none of the {len(geoms)} feature(s) has a geometry", source=source,
                         fix="export a layer that contains the line or polygon")
    return feats


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _read_gpkg(path: Path, layer: str | None) -> _Raw:
    import pyogrio

    source = str(path)
    try:
        layers = [str(n) for n, t in pyogrio.list_layers(str(path)) if t is not None]
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(f"not a readable GeoPackage ({exc})", source=source,
                         fix="check the file in QGIS and export it again") from None
    if not layers:
        raise InputError("the GeoPackage has no layer with geometry", source=source,
                         fix="export the layer with its geometry column")
    name = _choose_layer(layers, layer, source)
    meta, geoms, fd = _ogr_read(path, name, None)
    return _Raw(_ogr_features(meta, geoms, fd, source), crs=meta["crs"])


def _stage_shapefile(path: Path, layer: str | None, tmp: Path, max_mb: float) -> Path:
    """Copy the chosen shapefile's parts into ``tmp`` (from a .shp, a folder or a .zip)."""
    source = str(path)
    if path.suffix.lower() == ".zip" or (path.is_file() and path.suffix.lower() != ".shp"):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError("not a valid zip archive", source=source,
                             fix="download it again") from None
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            total_mb = sum(m.file_size for m in members) / 1e6
            if total_mb > max_mb:
                raise InputError(f"the archive unpacks to {total_mb:.1f} MB, over the "
                                 f"{max_mb:g} MB limit", source=source,
                                 fix="raise --max-input-mb or simplify the data")
            stems = sorted({Path(m.filename).stem for m in members
                            if m.filename.lower().endswith(".shp")})
            if not stems:
                raise InputError("the zip archive holds no .shp shapefile", source=source,
                                 fix="zip the .shp with its .shx, .dbf, .prj and .cpg")
            stem = _choose_layer(stems, layer, source)
            for m in members:
                p = Path(m.filename)
                if p.stem == stem and p.suffix.lower() in _SHP_PARTS:
                    # only the base name: a member called ../../x must not escape tmp
                    (tmp / (stem + p.suffix.lower())).write_bytes(zf.read(m))
        return tmp / f"{stem}.shp"
    if path.is_dir():
        stems = sorted({p.stem for p in path.iterdir() if p.suffix.lower() == ".shp"})
        stem = _choose_layer(stems, layer, source)
        folder = path
    else:
        stem, folder = path.stem, path.parent
    for p in folder.iterdir():
        if p.stem == stem and p.suffix.lower() in _SHP_PARTS:
            shutil.copyfile(p, tmp / (stem + p.suffix.lower()))
    return tmp / f"{stem}.shp"


def _dbf_text_bytes(dbf: Path) -> tuple[int, bytes]:
    """The dBase language-driver byte and the raw bytes of its character fields."""
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return 0, b""
    ldid = raw[29]
    nrec = int.from_bytes(raw[4:8], "little")
    hlen = int.from_bytes(raw[8:10], "little")
    rlen = int.from_bytes(raw[10:12], "little")
    fields, off, pos = [], 1, 32
    while pos + 32 <= hlen and raw[pos] != 0x0D:
        ftype, flen = chr(raw[pos + 11]), raw[pos + 16]
        if ftype == "C":
            fields.append((off, flen))
        off += flen
        pos += 32
    chunks = []
    for i in range(nrec):
        base = hlen + i * rlen
        chunks += [raw[base + o: base + o + n] for o, n in fields]
    return ldid, b" ".join(chunks)


def _read_shapefile(path: Path, layer: str | None, encoding: str | None,
                    max_mb: float) -> _Raw:
    source = str(path)
    with tempfile.TemporaryDirectory(prefix="gazamap-shp-") as td:
        shp = _stage_shapefile(path, layer, Path(td), max_mb)
        have = {p.suffix for p in Path(td).iterdir()}
        if ".shp" not in have:
            raise InputError(f"the .shp part of {shp.name!r} is missing", source=source,
                             fix="copy the .shp beside the other parts")
        if ".dbf" not in have:
            _warn(source, f"{shp.stem}.dbf is missing: the features have no attributes "
                          "(names and ids are lost; messages use feature numbers)")
        if encoding is None and ".cpg" not in have and ".dbf" in have:
            ldid, text = _dbf_text_bytes(Path(td) / f"{shp.stem}.dbf")
            if ldid == 0 and any(b >= 0x80 for b in text):
                try:
                    text.decode("utf-8")
                    encoding = "utf-8"
                except UnicodeDecodeError:
                    guess = _guess_legacy(text)
                    if guess is None:
                        raise InputError(
                            f"{shp.stem}.cpg is missing and the attribute text is not UTF-8",
                            source=source,
                            fix="give its encoding with --encoding (e.g. cp1256, latin-1) "
                                "or add a .cpg file") from None
                    encoding = guess
                    _warn(source, f"{shp.stem}.cpg is missing and the attribute text is not "
                                  "UTF-8; read it as cp1256 (Windows Arabic) because it "
                                  "decodes to Arabic letters; give --encoding to choose "
                                  "another")
        restore = None
        if ".shx" not in have:
            restore = "YES"
            _warn(source, f"{shp.stem}.shx (the index) is missing; rebuilt it from the .shp "
                          "in a temporary copy (your files are unchanged)")
        with _gdal_option("SHAPE_RESTORE_SHX", restore):
            meta, geoms, fd = _ogr_read(shp, shp.stem, encoding)
        # no .prj: crs None, decided by _resolve_crs (lon/lat if plausible, else refused)
        return _Raw(_ogr_features(meta, geoms, fd, source), crs=meta["crs"])


# --- public API ---------------------------------------------------------------------


def list_layers(path: str | Path) -> list[str]:
    """The layer names of a multi-layer file (KML folders, GeoPackage tables, zipped .shp).

    A single-layer format gives one name.
    """
    p = Path(path)
    fmt = detect_format(p)
    if fmt == "gpkg":
        import pyogrio

        return [str(n) for n, t in pyogrio.list_layers(str(p)) if t is not None]
    if fmt in ("kml", "kmz"):
        return list(_parse_kml(p, None, fmt == "kmz"))
    if fmt == "shapefile" and (p.is_dir() or p.suffix.lower() == ".zip"):
        if p.is_dir():
            return sorted({q.stem for q in p.iterdir() if q.suffix.lower() == ".shp"})
        with zipfile.ZipFile(p) as zf:
            return sorted({Path(n).stem for n in zf.namelist() if n.lower().endswith(".shp")})
    return [p.stem]


def _swap(feats: list[Feature]) -> list[Feature]:
    return [Feature(shapely.transform(f.geometry, lambda c: c[:, ::-1]), f.properties)
            for f in feats]


def _resolve_crs(raw: _Raw, crs: str | None, swap_axes: bool, source: str,
                 fmt: str) -> list[Feature]:
    """Declared / given / implied CRS -> lon/lat features; implausible data is refused."""
    feats = _swap(raw.features) if swap_axes else raw.features
    coords = shapely.get_coordinates([f.geometry for f in feats])
    if len(coords) == 0:
        raise InputError("every geometry is empty", source=source, fix="re-export the file")
    if crs is not None:
        given = parse_crs(crs)
        if raw.crs is not None and not _same_crs(raw.crs, given):
            raise InputError(
                f"the file declares its CRS as {_crs_name(raw.crs)!r} but --crs {crs!r} was "
                "given", source=source,
                fix="drop --crs to use the file's CRS (it is transformed to lon/lat), or fix "
                    "the file's CRS in a GIS if it is wrong")
        src: str | None = given
    elif raw.crs is not None:
        src = raw.crs
    elif raw.implied_wgs84:
        src = WGS84
    else:
        src = None
    if src is None:
        if share_in_gaza(coords) >= 0.5:
            what = {"shapefile": "no .prj file", "csv": "x/y columns without a CRS"}.get(
                fmt, "no CRS")
            _warn(source, f"{what}: its coordinates fall in Gaza as lon/lat, so they were "
                          "read as EPSG:4326; give --crs to declare another")
            src = WGS84
        else:
            raise _not_lonlat(coords, source, "without a CRS")
    if not is_wgs84(src):
        feats = [Feature(to_wgs84(f.geometry, src), f.properties) for f in feats]
        lonlat = shapely.get_coordinates([f.geometry for f in feats])
        if not np.isfinite(lonlat).all():
            raise InputError(f"some coordinates cannot be transformed from {_crs_name(src)}",
                             source=source, fix="check the CRS (--crs) of the file")
    else:
        lonlat = coords
        if np.abs(lonlat[:, 0]).max() > 180 or np.abs(lonlat[:, 1]).max() > 90:
            raise _not_lonlat(coords, source, "without a CRS")
    _check_in_gaza(lonlat, source, swap_axes)
    return feats


def _same_crs(a: str, b: str) -> bool:
    from pyproj import CRS

    return bool(CRS.from_user_input(a).equals(CRS.from_user_input(b), ignore_axis_order=True))


def _crs_name(crs: str) -> str:
    from pyproj import CRS

    c = CRS.from_user_input(crs)
    auth = c.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else str(c.name)


def _not_lonlat(coords: np.ndarray[Any, Any], source: str, how: str) -> InputError:
    x, y = coords[0]
    cands = suggest_crs(coords)
    fix = (f"declare the CRS with --crs ({' or '.join(cands)} would put the data in Gaza)"
           if cands else "declare the file's CRS with --crs EPSG:... or re-export as lon/lat")
    return InputError(f"coordinates like ({x:.6g}, {y:.6g}) are not lon/lat degrees: "
                      f"projected data {how}", source=source, fix=fix)


def _check_in_gaza(lonlat: np.ndarray[Any, Any], source: str, swapped: bool) -> None:
    if share_in_gaza(lonlat) >= 0.5:
        return
    lon, lat = lonlat[0]
    if share_in_gaza(lonlat[:, ::-1]) >= 0.5:
        if swapped:
            raise InputError(
                f"with --swap-axes the data lies outside Gaza (first vertex {lon:.4f}, "
                f"{lat:.4f}); without it, it lies in Gaza", source=source,
                fix="drop --swap-axes")
        raise InputError(
            f"the coordinates look like lat/lon (swapped): the first vertex ({lon:.4f}, "
            f"{lat:.4f}) lies outside Gaza but inside it when swapped", source=source,
            fix="give --swap-axes, or re-export with longitude first")
    raise InputError(
        f"the data lies outside the Gaza area (first vertex lon {lon:.4f}, lat {lat:.4f}; "
        f"{100 * share_in_gaza(lonlat):.0f} % of the vertices near Gaza)",
        source=source, fix="check that this is a Gaza file and its CRS (--crs)")


def _check_geometries(feats: list[Feature], source: str) -> list[Feature]:
    """Drop Z, refuse NaN, repair invalid polygons with ``make_valid`` (never buffer(0))."""
    from geo.measure import geodesic_area_m2

    out = []
    dropped_z = 0
    for i, f in enumerate(feats):
        g = f.geometry
        if shapely.has_z(g):
            dropped_z += len(shapely.get_coordinates(g))
            g = shapely.force_2d(g)
        if not np.isfinite(shapely.get_coordinates(g)).all():
            raise InputError(f"{_where(i, f.properties)}: some coordinates are NaN or infinite",
                             source=source, fix="remove or repair those vertices")
        polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        if polys and not g.is_valid:
            reason = shapely.is_valid_reason(g)
            fixed = shapely.make_valid(g, method="structure", keep_collapsed=False)
            fixed = _polygonal(fixed)
            after = geodesic_area_m2(fixed) / 1e6
            if fixed.is_empty or after == 0:
                raise InputError(f"{_where(i, f.properties)}: the polygon is invalid "
                                 f"({reason}) and has no area once repaired", source=source,
                                 fix="redraw it")
            n = len(shapely.get_parts(fixed))
            _warn(source, f"{_where(i, f.properties)}: the polygon is invalid ({reason}); "
                          f"repaired with make_valid into {n} part(s), {after:.3f} km² "
                          "(every loop kept; check the result, or fix it in a GIS)")
            g = fixed
        out.append(Feature(g, f.properties))
    if dropped_z:
        _warn(source, f"dropped the Z (and M) values of {dropped_z} coordinate(s): gazamap "
                      "works in 2D lon/lat")
    return out


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def read_features(
    path: str | Path,
    *,
    max_mb: float = MAX_INPUT_MB,
    crs: str | None = None,
    swap_axes: bool = False,
    layer: str | None = None,
    encoding: str | None = None,
) -> list[Feature]:
    """Read a geometry file into lon/lat features, refusing implausible coordinates.

    Parameters
    ----------
    path : str or Path
        GeoJSON, KML/KMZ, CSV of points, GeoPackage, or Shapefile (``.shp``, a folder
        holding one, or a ``.zip``). The format comes from the extension, checked against
        the first bytes.
    max_mb : float
        Refuse files (or unpacked archives) larger than this many megabytes.
    crs : str, optional
        The CRS of data that declares none (``EPSG:2039``); refused if the file declares
        another one. GeoJSON without a ``crs`` member and KML are lon/lat by definition.
    swap_axes : bool
        The file has latitude first: swap the axes before anything else.
    layer : str, optional
        The layer to read from a file with several (KML folder, GeoPackage table, one of
        several shapefiles in a folder or zip). Required when there are several.
    encoding : str, optional
        The text encoding of the file or of the shapefile's ``.dbf`` (e.g. ``cp1256``).

    Returns
    -------
    list of Feature
        2D lon/lat (EPSG:4326) geometries with their properties.

    Raises
    ------
    InputError
        Naming the file, the problem with the value found, and the fix.

    Examples
    --------
    >>> import json, tempfile
    >>> fc = {"type": "Feature", "properties": {"name": "a"},
    ...       "geometry": {"type": "LineString", "coordinates": [[34.3, 31.3], [34.4, 31.5]]}}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "l.geojson"
    ...     _ = p.write_text(json.dumps(fc))
    ...     feats = read_features(p)
    >>> feats[0].geometry.geom_type, feats[0].properties
    ('LineString', {'name': 'a'})
    """
    p = Path(path)
    source = str(p)
    if max_mb is None or not max_mb > 0:
        raise InputError(f"--max-input-mb {max_mb!r} is not a positive number",
                         source="--max-input-mb", fix="give a size in MB, e.g. 200")
    _check_path(p, max_mb)
    fmt = detect_format(p)
    if fmt in ("gpkg", "shapefile", "kmz") and p.is_file():
        _check_binary(p, fmt)
    if fmt == "geojson":
        raw = _read_geojson(p, encoding)
    elif fmt in ("kml", "kmz"):
        raw = _read_kml(p, layer, encoding, fmt == "kmz", max_mb)
    elif fmt == "csv":
        raw = _read_csv(p, encoding)
    elif fmt == "gpkg":
        raw = _read_gpkg(p, layer)
    else:
        raw = _read_shapefile(p, layer, encoding, max_mb)
    if layer is not None and fmt in ("geojson", "csv"):
        raise InputError(f"a {fmt} file has one layer; --input-layer {layer!r} does not apply",
                         source=source, fix="drop --input-layer")
    feats = _check_geometries(raw.features, source)
    raw.features = feats
    return _resolve_crs(raw, crs, swap_axes, source, fmt)


def geometry_from_features(feats: list[Feature], expect: Expect, source: str) -> shapely.Geometry:
    """One geometry of the expected kind from features (polygons dissolved, lines joined).

    GeometryCollections are opened; features of other kinds are skipped with a warning
    (e.g. label points beside a line); none of the expected kind is refused.
    """
    parts = [p for f in feats for p in shapely.get_parts(f.geometry)]
    parts = [q for p in parts for q in (shapely.get_parts(p) if p.geom_type ==
                                        "GeometryCollection" else [p])]
    if expect == "any":
        geoms = [p for p in parts if not p.is_empty]
        if not geoms:
            raise InputError("every geometry is empty", source=source, fix="re-export the file")
        return geoms[0] if len(geoms) == 1 else _homogeneous(geoms)
    types = _EXPECT_TYPES[expect]
    geoms = [p for p in parts if p.geom_type in types and not p.is_empty]
    found = [f.geometry.geom_type for f in feats]
    if not geoms:
        counts = ", ".join(f"{found.count(t)} {t}" for t in sorted(set(found)))
        if "GeometryCollection" in found:
            inner = [p.geom_type for p in parts]
            counts += " (holding " + ", ".join(
                f"{inner.count(t)} {t}" for t in sorted(set(inner))) + ")"
        hint = (" (points? build the line from them with --markers)"
                if expect == "line" and all(p.geom_type == "Point" for p in parts)
                else "")
        raise InputError(f"expected a {expect}, found {counts}{hint}", source=source,
                         fix=f"give a file with a {' or '.join(types)}")
    others = [p.geom_type for p in parts if p.geom_type not in types]
    if others:
        counts = ", ".join(f"{others.count(t)} {t}" for t in sorted(set(others)))
        _warn(source, f"ignored {counts} (only the {expect} geometries are used)")
    if expect == "polygon":
        if len(geoms) == 1:
            return geoms[0]
        union = shapely.union_all(geoms)
        from geo.measure import geodesic_area_m2

        overlap_km2 = (sum(geodesic_area_m2(g) for g in geoms) - geodesic_area_m2(union)) / 1e6
        if overlap_km2 > 1e-6:
            _warn(source, f"{len(geoms)} polygons overlap by {overlap_km2:.3f} km²; dissolved "
                          "them into one outline (overlaps counted once)")
        return union
    if expect == "line":
        return geoms[0] if len(geoms) == 1 else shapely.MultiLineString(geoms)
    return geoms[0] if len(geoms) == 1 else shapely.MultiPoint(geoms)


def read_geometry(path: str | Path, expect: Expect = "any", **read_kw: Any) -> shapely.Geometry:
    """Read one geometry of the expected kind from a file (features of that kind joined).

    Takes the keyword options of :func:`read_features`.
    """
    return geometry_from_features(read_features(path, **read_kw), expect, str(path))
