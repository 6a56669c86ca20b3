"""The fast path of :func:`geo.read.points.read_table`: point GeoJSON and lat/lon CSV.

A FeatureCollection (parsed by orjson, its geometries other than points built and checked
as the strict reader does) and a CSV with latitude and longitude columns (parsed by
pandas' C parser, else the csv module) are read straight into arrays: a
:class:`FastLayer`. Whatever this path does not read exactly as the strict reader would
(a BOM, repeated keys, a string coordinate, WKT, decimal commas, a row of another
width) returns ``None``: the file then goes through :func:`geo.read.io.read_features`,
which names the problem.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import shapely

from geo.errors import InputError
from geo.progress import progress
from geo.read.base import _Budget, _read_bytes, _read_text, _where
from geo.read.delimited import _DECIMAL_COMMA, _LAT_NAMES, _LON_NAMES, _WKT_NAMES, _find_column
from geo.read.features import Feature
from geo.read.geojson import _geojson_crs, _GeoJSONGeometry
from geo.read.io import _check_geometries

__all__ = ["FastLayer", "read_fast"]


@dataclass
class FastLayer:
    """A layer read on the fast path, in the file's coordinates (no CRS applied yet).

    ``xy`` holds one point per feature with a geometry (NaN where that geometry is not
    a point); ``geoms`` every such geometry when some are not points (``None`` for
    points only); ``names`` the property names found; ``crs`` the CRS the file declares,
    ``implied`` whether its format implies lon/lat without one.
    """

    xy: np.ndarray[Any, Any]
    columns: dict[str, np.ndarray[Any, Any]]
    names: set[str]
    kinds: Counter[str]
    crs: str | None
    implied: bool
    geoms: np.ndarray[Any, Any] | None = None
    skipped: int = 0
    sha256: str | None = None


def read_fast(path: Path, fmt: str, encoding: str | None,
              fields: Sequence[str]) -> FastLayer | None:
    """A GeoJSON or CSV layer read into arrays; None hands it to the strict reader."""
    if fmt == "geojson":
        with _no_gc():  # until the parsed document is freed (see _no_gc)
            return _geojson_points(path, encoding, fields)
    if fmt == "csv":
        return _csv_points(path, encoding, fields)
    return None


@contextmanager
def _no_gc() -> Iterator[None]:
    # Parsing a 30 MB FeatureCollection creates ~2 million containers; the cyclic
    # collector then runs dozens of full passes over them (2/3 of the parse time, for
    # nothing: JSON has no cycles). Paused during the parse only.
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()



# --- GeoJSON ---------------------------------------------------------------------------


def _geojson_points(path: Path, encoding: str | None,
                    fields: Sequence[str]) -> FastLayer | None:
    """Points (and other geometries) of a GeoJSON file; None hands it to the strict reader."""
    source = str(path)
    if encoding not in (None, "utf-8", "utf8", "UTF-8"):
        return None
    raw = _read_bytes(path)
    if raw[:1] != b"{":
        return None  # a BOM, white space, a web page, a bare geometry: the strict reader
    # the digest (hashlib releases the GIL on big buffers) runs while the text is parsed
    digest = ThreadPoolExecutor(max_workers=1)
    sha = digest.submit(lambda: hashlib.sha256(raw).hexdigest())
    digest.shutdown(wait=False)
    try:
        # orjson: RFC 8259 only (no NaN, no invalid UTF-8: those go to the strict reader,
        # which names them) and ~1.6x faster than json.loads on a 30 MB collection
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # the strict reader says where and why
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or \
            not isinstance(data.get("features"), list) or not data["features"]:
        return None
    feats = data["features"]
    crs = _geojson_crs(data, source)
    # Repeated keys: json.loads keeps the last silently. Every key is followed by
    # '":' in compact and in most pretty-printed files; when the keys parsed do not
    # account for every '":' (a repeated key; or nested objects in properties, a
    # '":' inside a string, a space before the colon) the strict reader decides.
    # The keys outside the features first:
    keys = sum(_key_count(v) for k, v in data.items() if k != "features") + len(data)
    simple = _all_points(feats, fields)
    if simple is not None:
        return _points_only(raw, keys, simple, crs, sha, source)
    return _any_geometries(raw, keys, feats, fields, crs, sha, source)


def _points_only(raw: bytes, keys: int, simple: tuple[
        int, list[Any], set[str], dict[str, np.ndarray[Any, Any]]], crs: str | None,
                 sha: Future[str], source: str) -> FastLayer | None:
    """The layer :func:`_all_points` read, checked: every key accounted for, finite."""
    feature_keys, pairs, found, columns = simple
    if raw.count(b'":') != keys + feature_keys:
        return None  # see _geojson_points
    arr = np.fromiter(itertools.chain.from_iterable(pairs), dtype=float,
                      count=2 * len(pairs)).reshape(-1, 2)
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        k = int(np.argmax(bad))
        raise InputError(f"feature #{k + 1}: {int(bad.sum())} point(s) are NaN or "
                         "infinite", source=source, fix="remove or repair those points")
    return FastLayer(arr, columns, found, Counter({"Point": len(arr)}), crs, crs is None,
                     sha256=sha.result())


@dataclass
class _Walk:
    """What the feature-by-feature pass over a FeatureCollection found."""

    has_geom: np.ndarray[Any, Any]  # per feature
    keys: int = 0  # object keys parsed (features, properties, geometries)
    coords: list[Any] = field(default_factory=list)  # the Point features' coordinates
    point_rows: list[int] = field(default_factory=list)  # ... and their indices
    other: dict[int, shapely.Geometry] = field(default_factory=dict)  # built and checked
    kinds: Counter[str] = field(default_factory=Counter)  # of the other geometries
    names: set[str] = field(default_factory=set)  # the property names
    cols: list[list[Any]] = field(default_factory=list)  # per field, its values


def _walk_features(feats: list[Any], fields: Sequence[str], source: str) -> _Walk:
    """Every feature in turn: its properties, and its point or its geometry.

    A geometry other than a 2D point is built and checked as the strict reader does: Z
    dropped, NaN refused, invalid polygons repaired.
    """
    w = _Walk(np.ones(len(feats), dtype=bool), cols=[[] for _ in fields])
    want = list(enumerate(fields))
    for i, f in enumerate(progress(feats, desc="checking features", unit="feature")):
        if type(f) is not dict:
            raise InputError(f"feature #{i + 1} is a {type(f).__name__}, not an object",
                             source=source, fix="repair or re-export the file")
        w.keys += len(f)
        props = f.get("properties")
        if type(props) is dict:
            w.keys += len(props)
            w.names.update(props)
            for j, name in want:
                w.cols[j].append(props.get(name))
        else:
            props = {}
            for j, _ in want:
                w.cols[j].append(None)
        g = f.get("geometry")
        if g is None:
            w.has_geom[i] = False
            continue
        if type(g) is dict:
            w.keys += len(g)
            if g.get("type") == "Point":
                c = g.get("coordinates")
                if type(c) is list and len(c) == 2:
                    w.coords.append(c)
                    w.point_rows.append(i)
                    continue
        geom = _GeoJSONGeometry(source, _where(i, props, f.get("id"))).build(g)
        if geom.is_empty:
            w.has_geom[i] = False
            continue
        w.other[i] = _check_geometries([Feature(geom, props)], _Budget(source))[0].geometry
        w.kinds[w.other[i].geom_type] += 1
    return w


def _any_geometries(raw: bytes, keys: int, feats: list[Any], fields: Sequence[str],
                    crs: str | None, sha: Future[str], source: str) -> FastLayer | None:
    """A FeatureCollection of any geometries, feature by feature (:func:`_walk_features`)."""
    w = _walk_features(feats, fields, source)
    if raw.count(b'":') != keys + w.keys:
        return None  # see _geojson_points
    w.kinds["Point"] += len(w.point_rows)
    if not w.has_geom.any():
        raise InputError(f"none of the {len(feats)} feature(s) has a geometry",
                         source=source, fix="export a file that contains the features")
    xy = _point_coordinates(raw, w, source)
    if xy is None:
        return None
    columns = {name: np.array(w.cols[j], dtype=object)[w.has_geom]
               for j, name in enumerate(fields)}
    if "id" in fields and "id" not in w.names:
        w.names.add("id")
        columns["id"] = np.array([f.get("id") for f in feats], dtype=object)[w.has_geom]
    kinds = Counter({k: v for k, v in w.kinds.items() if v})
    geoms = None
    if w.other:
        geoms = np.empty(len(feats), dtype=object)
        geoms[w.point_rows] = shapely.points(xy[w.point_rows]) if w.point_rows else []
        for i, g in w.other.items():
            geoms[i] = g
        geoms = geoms[w.has_geom]
    skipped = int((~w.has_geom).sum())
    return FastLayer(xy[w.has_geom], columns, w.names, kinds, crs, crs is None, geoms,
                     skipped, sha.result())


def _point_coordinates(raw: bytes, w: _Walk, source: str) -> np.ndarray[Any, Any] | None:
    """Per feature, its point's coordinates (NaN for the other features).

    None when a coordinate is not a number (the strict reader names it).
    """
    xy = np.full((len(w.has_geom), 2), np.nan)
    if w.coords:
        arr = np.array(w.coords)
        if arr.dtype.kind not in "fiu" or arr.ndim != 2:
            return None  # a string or null coordinate: the strict reader names it
        if (b"true" in raw or b"false" in raw) and _bool_coordinate(w.coords):
            return None
        bad = ~np.isfinite(arr).all(axis=1)
        if bad.any():
            k = w.point_rows[int(np.argmax(bad))]
            raise InputError(f"feature #{k + 1}: {int(bad.sum())} point(s) are NaN or "
                             "infinite", source=source, fix="remove or repair those points")
        xy[w.point_rows] = arr.astype(float)
    return xy


def _all_points(feats: list[Any], fields: Sequence[str]) -> tuple[
        int, list[Any], set[str], dict[str, np.ndarray[Any, Any]]] | None:
    """The common case in a few C-speed passes: every feature a dict with a Point.

    Returns (keys counted, coordinates, property names, columns), or None (then the
    feature-by-feature loop handles it, and names what is wrong).
    """
    get_geom, get_props = itemgetter("geometry"), itemgetter("properties")
    try:
        gs = list(map(get_geom, feats))
        props = list(map(get_props, feats))
        if set(map(type, props)) != {dict}:
            return None
        keys = sum(map(len, feats)) + sum(map(len, props)) + sum(map(len, gs))
        # a geometry that is not an object fails here (TypeError, KeyError)
        if set(map(itemgetter("type"), gs)) != {"Point"}:
            return None
        coords = list(map(itemgetter("coordinates"), gs))
    except (KeyError, TypeError):
        return None
    # pairs of numbers only (a string or an object of two keys yields non-numbers here)
    if set(map(len, coords)) != {2} or not set(
            map(type, itertools.chain.from_iterable(coords))) <= {float, int}:
        return None  # Z values, strings, booleans, nulls: the loop names them
    # the property names matter only to check the fields asked for
    names = set(itertools.chain.from_iterable(props)) if fields else set()
    columns = {name: np.array(list(map(methodcaller("get", name), props)), dtype=object)
               for name in fields}
    if "id" in fields and "id" not in names:
        columns["id"] = np.array([f.get("id") for f in feats], dtype=object)
        names.add("id")
    return keys, coords, names, columns


def _key_count(obj: Any) -> int:
    """The number of object keys in a parsed JSON document (iteratively: no recursion)."""
    total = 0
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            total += len(o)
            stack.extend(v for v in o.values() if isinstance(v, dict | list))
        elif isinstance(o, list) and o and isinstance(o[0], dict | list):
            stack.extend(v for v in o if isinstance(v, dict | list))
        elif isinstance(o, list):
            stack.extend(v for v in o if isinstance(v, dict))
    return total


def _bool_coordinate(coords: list[Any]) -> bool:
    return any(isinstance(v, bool) for c in coords for v in c)


# --- CSV -------------------------------------------------------------------------------


def _csv_points(path: Path, encoding: str | None, fields: Sequence[str]) -> FastLayer | None:
    """Points of a lat/lon CSV; None for WKT or decimal-comma files (the strict reader)."""
    source = str(path)
    text = _read_text(path, encoding, "CSV")
    first = text.split("\n", 1)[0]
    delim = max((";", "\t", "|", ","), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header = next(reader)
    lat, lon = _find_column(header, _LAT_NAMES), _find_column(header, _LON_NAMES)
    if lat is None or lon is None or _find_column(header, _WKT_NAMES) is not None:
        return None
    names = {h.strip() for h in header}
    want = [header.index(h) for h in header if h.strip() in fields]
    if "row" not in fields:
        fast = _csv_pandas(text, delim, header, lat, lon, want)
        if fast is not None:
            return FastLayer(fast[0], fast[1], names, Counter({"Point": len(fast[0])}), None,
                             True)
    read = _csv_columns(reader, len(header), lat, lon, want)
    if read is None:
        return None  # the strict reader explains the field count (decimal comma?)
    rows, lats, lons, cols = read
    if not rows:
        raise InputError("the CSV has a header but no rows", source=source,
                         fix="export the points again")
    xy = _csv_xy(lons, lats, rows, (header[lon], header[lat]), source)
    if xy is None:
        return None
    columns = {header[k].strip(): np.array(c, dtype=object) for k, c in zip(want, cols,
                                                                           strict=True)}
    if "row" in fields:
        columns["row"] = np.array(list(rows), dtype=object)
        names.add("row")
    return FastLayer(xy, columns, names, Counter({"Point": len(rows)}), None, True)


def _csv_columns(reader: Iterator[list[str]], width: int, lat: int, lon: int,
                 want: list[int]) -> tuple[list[int] | range, list[str], list[str],
                                           list[Any]] | None:
    """The rows (their line numbers) and their latitude, longitude and wanted columns.

    Blank lines are left out; a row of another width returns None (the strict reader
    explains the field count).
    """
    body = list(progress(reader, desc="reading rows", unit="row"))
    widths = set(map(len, body))
    rows: list[int] | range = range(2, len(body) + 2)
    if widths - {width}:
        blank = [k for k, r in enumerate(body) if len(r) != width and not any(
            c.strip() for c in r)]
        if len(blank) != sum(1 for r in body if len(r) != width):
            return None
        gone = set(blank)
        rows = [k + 2 for k in range(len(body)) if k not in gone]
        body = [r for k, r in enumerate(body) if k not in gone]
    cols_all = list(zip(*body, strict=True)) if body else []
    lats: list[str] = list(cols_all[lat]) if body else []
    lons: list[str] = list(cols_all[lon]) if body else []
    cols: list[Any] = [cols_all[k] for k in want] if body else [[] for _ in want]
    return rows, lats, lons, cols


def _csv_xy(lons: list[str], lats: list[str], rows: Sequence[int], names: tuple[str, str],
            source: str) -> np.ndarray[Any, Any] | None:
    """The rows' lon/lat as numbers, each finite; None for decimal commas.

    Raises
    ------
    InputError
        Naming the first row whose coordinate is empty, not a number or not finite.
    """
    try:
        xy = np.column_stack([np.array(lons, dtype=float), np.array(lats, dtype=float)])
    except ValueError:
        if any(_DECIMAL_COMMA.match(v) for v in lats[:1000] + lons[:1000]):
            return None
        for k, (a, b) in enumerate(zip(lons, lats, strict=True)):
            for v, what in ((a, names[0]), (b, names[1])):
                try:
                    float(v)
                except ValueError:
                    problem = "is empty" if not v.strip() else f"{v!r} is not a number"
                    raise InputError(f"row {rows[k]}: {what} {problem}", source=source,
                                     fix="write decimal degrees like 31.42, or delete the "
                                         "row") from None
        raise
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        raise InputError(f"row {rows[int(np.argmax(bad))]}: a coordinate is not finite",
                         source=source, fix="remove or repair that row")
    return xy


def _csv_pandas(text: str, delim: str, header: list[str], lat: int, lon: int,
                want: list[int]) -> tuple[np.ndarray[Any, Any],
                                          dict[str, np.ndarray[Any, Any]]] | None:
    """Read a clean file with pandas' C parser (~20x the csv module on a million rows).

    Every value is read as text and the coordinates converted by numpy, as on the
    csv-module path; any irregularity (a row of another width, a value that is not a
    number) returns None, and that path names the row.
    """
    import pandas as pd

    if len(set(header)) != len(header):
        return None
    cols = sorted({lat, lon, *want})
    try:
        df = pd.read_csv(io.StringIO(text), sep=delim, header=0, index_col=False,
                         usecols=cols, dtype=str, keep_default_na=False, na_filter=False,
                         engine="c", on_bad_lines="error", skip_blank_lines=True,
                         quoting=csv.QUOTE_MINIMAL)
        xy = np.column_stack([df.iloc[:, cols.index(lon)].to_numpy(dtype=float),
                              df.iloc[:, cols.index(lat)].to_numpy(dtype=float)])
    except (ValueError, pd.errors.ParserError):
        return None
    if len(df) == 0 or not np.isfinite(xy).all():
        return None
    columns = {header[k].strip(): df.iloc[:, cols.index(k)].to_numpy(dtype=object)
               for k in want}
    return xy, columns
