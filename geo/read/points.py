"""A fast reader for big layers: one lon/lat point per feature, as coordinate arrays.

:func:`read_table` returns a :class:`Table` (an ``(n, 2)`` array of lon/lat points, the
geometries when they are not points, and the requested property columns) instead of a
list of :class:`~geo.read.features.Feature`, so that a 300,000-point layer costs arrays, not
300,000 shapely objects. It keeps the checks of :func:`geo.read.io.read_features`:

- the size limit (``max_mb``), empty files, web pages saved as data;
- GeoJSON structure, numbers (not strings, not booleans), NaN and infinity, the
  pre-RFC 7946 ``crs`` member, repeated keys (a file whose key count does not add up is
  handed to the strict reader, which names the repeated key);
- the CRS: declared, given (``crs``), implied (GeoJSON, lat/lon CSV columns), or refused
  when the coordinates are not plausibly lon/lat in Gaza; swapped axes detected.

Point GeoJSON and lat/lon CSV are read here; every other file (KML, GeoPackage,
Shapefile, WKT CSV, decimal-comma CSV) goes through the strict reader and is turned
into the same table.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import orjson
import shapely

from geo.errors import InputError, ReadLimitError
from geo.geometry.crs import WGS84, is_wgs84, parse_crs, transformer
from geo.progress import progress
from geo.read.arrow import GEOM_TYPES, big_format, read_big
from geo.read.base import (
    MAX_COORDINATE,
    MAX_INPUT_MB,
    _boundary,
    _Budget,
    _check_fields,
    _read_bytes,
    _read_text,
    _warn,
    _where,
)
from geo.read.checks import check_in_gaza, not_lonlat, same_crs
from geo.read.delimited import _DECIMAL_COMMA, _LAT_NAMES, _LON_NAMES, _WKT_NAMES, _find_column
from geo.read.features import Feature
from geo.read.geojson import _geojson_crs, _GeoJSONGeometry
from geo.read.io import _check_geometries, _check_path, detect_format, read_features

__all__ = ["Table", "read_table", "progress"]

T = TypeVar("T")


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


@dataclass(frozen=True)
class Table:
    """A layer read for counting: one lon/lat point per feature, and its columns.

    ``xy`` holds the point of each feature (for points, the point; for lines and
    polygons, a representative point, which lies on the geometry); ``geoms`` the lon/lat
    geometries when some are not points (``None`` for a layer of points only);
    ``columns`` the requested properties (object arrays, ``None`` where missing);
    ``kinds`` the geometry types found; ``skipped`` features without geometry;
    ``sha256`` the file's digest when the reader computed it from the bytes it read.
    """

    source: str
    xy: np.ndarray[Any, Any]
    columns: dict[str, np.ndarray[Any, Any]]
    kinds: dict[str, int]
    geoms: np.ndarray[Any, Any] | None = None
    skipped: int = 0
    crs: str = WGS84
    sha256: str | None = None

    @property
    def n(self) -> int:
        """The number of features with a geometry."""
        return len(self.xy)


def read_table(
    path: str | Path,
    *,
    fields: Sequence[str] = (),
    max_mb: float = MAX_INPUT_MB,
    crs: str | None = None,
    swap_axes: bool = False,
    layer: str | None = None,
    encoding: str | None = None,
) -> Table:
    """Read a layer into a :class:`Table` (lon/lat points and the columns ``fields``).

    Takes the options of :func:`geo.read.io.read_features` and makes the same checks.

    Raises
    ------
    InputError
        Naming the file, the problem and the fix; also when a field of ``fields`` is
        not in the file (listing the fields it has).

    Examples
    --------
    >>> import json, tempfile
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"n": 2},
    ...      "geometry": {"type": "Point", "coordinates": [34.45, 31.5]}}]}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "p.geojson"
    ...     _ = p.write_text(json.dumps(fc))
    ...     t = read_table(p, fields=["n"])
    >>> t.xy.tolist(), t.columns["n"].tolist(), t.kinds
    ([[34.45, 31.5]], [2], {'Point': 1})
    """
    p = Path(path)
    source = str(p)
    if max_mb is None or not max_mb > 0:
        raise InputError(f"max_mb {max_mb!r} is not a positive number",
                         source="max_mb", fix="give a size in MB, e.g. 200")
    budget = _Budget(source, max_mb=max_mb)
    # the same reader boundary as geo.read.io.read_features: any failure is one InputError
    with _boundary(budget):
        return _read_table(p, source, budget, fields, max_mb, crs, swap_axes, layer,
                           encoding)


def _read_table(p: Path, source: str, budget: _Budget, fields: Sequence[str], max_mb: float,
                crs: str | None, swap_axes: bool, layer: str | None,
                encoding: str | None) -> Table:
    if big_format(p) is not None:  # GeoParquet, FlatGeobuf: Arrow batches
        return _big_table(p, source, budget, fields, crs, swap_axes, layer)
    _check_path(p, max_mb)
    fmt = detect_format(p)
    fast: _Fast | None = None
    if fmt == "geojson" and layer is None:
        with _no_gc():  # until the parsed document is freed (see _no_gc)
            fast = _geojson_points(p, encoding, fields)
    elif fmt == "csv" and layer is None:
        fast = _csv_points(p, encoding, fields)
    if fast is None:
        return _from_features(read_features(p, max_mb=max_mb, crs=crs, swap_axes=swap_axes,
                                            layer=layer, encoding=encoding), source, fields)
    # the strict reader's bounds hold on the fast path too
    if len(fast.xy) > budget.max_features:
        raise ReadLimitError(f"the file has {len(fast.xy):,} features, over the limit of "
                             f"{budget.max_features:,} (max_features)", source=source,
                             fix="split the file, or raise max_features")
    if len(fast.xy) and not float(np.nanmax(np.abs(fast.xy))) <= MAX_COORDINATE:
        raise InputError(f"a coordinate is beyond {MAX_COORDINATE:g} (or not a number): not "
                         "a position", source=source, fix="check the file's coordinates")
    budget.tick()
    xy = fast.xy[:, ::-1].copy() if swap_axes else fast.xy
    xy, used = _to_lonlat(xy, fast.crs, fast.implied, crs, source, fmt)
    check_in_gaza(xy, source, swap_axes)
    geoms = None
    if fast.geoms is not None:
        geoms = fast.geoms
        if swap_axes:
            geoms = shapely.transform(geoms, lambda c: c[:, ::-1])
        if not is_wgs84(used):
            tr = transformer(used, WGS84)
            geoms = shapely.transform(
                geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
        xy = _rep_xy(geoms)
    _check_fields(fields, fast.names, source)
    return Table(source, xy, fast.columns, dict(fast.kinds), geoms, fast.skipped, used,
                 fast.sha256)


@dataclass
class _Fast:
    xy: np.ndarray[Any, Any]
    columns: dict[str, np.ndarray[Any, Any]]
    names: set[str]
    kinds: Counter[str]
    crs: str | None
    implied: bool
    geoms: np.ndarray[Any, Any] | None = None
    skipped: int = 0
    sha256: str | None = None


def _to_lonlat(xy: np.ndarray[Any, Any], declared: str | None, implied: bool,
               given: str | None, source: str, fmt: str) -> tuple[np.ndarray[Any, Any], str]:
    """Coordinates from the declared / given / implied CRS to lon/lat (as geo.read.io does)."""
    if len(xy) == 0:
        raise InputError("every geometry is empty", source=source, fix="re-export the file")
    if given is not None:
        want = parse_crs(given)
        if declared is not None and not same_crs(declared, want):
            raise InputError(
                f"the file declares its CRS as {declared!r} but crs={given!r} was given",
                source=source, fix="give no crs to use the file's CRS, or fix the file's CRS")
        src: str | None = want
    else:
        src = declared if declared is not None else (WGS84 if implied else None)
    if src is None:
        from geo.geometry.crs import share_in_gaza

        if share_in_gaza(xy) < 0.5:
            raise not_lonlat(xy, source, "without a CRS")
        what = "x/y columns without a CRS" if fmt == "csv" else "no CRS"
        _warn(source, f"{what}: its coordinates fall in Gaza as lon/lat, so they were read "
                      "as EPSG:4326; give its crs to declare another")
        src = WGS84
    if is_wgs84(src):
        if np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90:
            raise not_lonlat(xy, source, "without a CRS")
        return xy, src
    lon, lat = transformer(src, WGS84).transform(xy[:, 0], xy[:, 1])
    out = np.column_stack([lon, lat])
    if not np.isfinite(out).all():
        raise InputError(f"some coordinates cannot be transformed from {src}",
                         source=source, fix="check the file's CRS (crs)")
    return out, src


def _rep_xy(geoms: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A point on each geometry: the point itself, else shapely's representative point."""
    pts = np.asarray(shapely.get_type_id(geoms)) == 0
    out = np.empty((len(geoms), 2))
    if pts.any():
        out[pts] = shapely.get_coordinates(geoms[pts])
    if (~pts).any():
        out[~pts] = shapely.get_coordinates(shapely.point_on_surface(geoms[~pts]))
    return out


# --- GeoJSON ---------------------------------------------------------------------------


def _geojson_points(path: Path, encoding: str | None, fields: Sequence[str]) -> _Fast | None:
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
    simple = _all_points(feats, fields)
    if simple is not None:
        keys, pairs, found, columns = simple
        keys += sum(_key_count(v) for k, v in data.items() if k != "features") + len(data)
        if raw.count(b'":') != keys:
            return None  # see below
        arr = np.fromiter(itertools.chain.from_iterable(pairs), dtype=float,
                          count=2 * len(pairs)).reshape(-1, 2)
        bad = ~np.isfinite(arr).all(axis=1)
        if bad.any():
            k = int(np.argmax(bad))
            raise InputError(f"feature #{k + 1}: {int(bad.sum())} point(s) are NaN or "
                             "infinite", source=source, fix="remove or repair those points")
        return _Fast(arr, columns, found, Counter({"Point": len(arr)}), crs, crs is None,
                     sha256=sha.result())
    n = len(feats)
    xy = np.full((n, 2), np.nan)
    kinds: Counter[str] = Counter()
    has_geom = np.ones(n, dtype=bool)
    coords: list[Any] = []
    point_rows: list[int] = []
    other: dict[int, shapely.Geometry] = {}
    names: set[str] = set()
    cols: list[list[Any]] = [[] for _ in fields]
    want = list(enumerate(fields))
    # keys parsed, to compare with the '":' in the text (see below)
    keys = sum(_key_count(v) for k, v in data.items() if k != "features") + len(data)
    for i, f in enumerate(progress(feats, desc="checking features", unit="feature")):
        if type(f) is not dict:
            raise InputError(f"feature #{i + 1} is a {type(f).__name__}, not an object",
                             source=source, fix="repair or re-export the file")
        keys += len(f)
        props = f.get("properties")
        if type(props) is dict:
            keys += len(props)
            names.update(props)
            for j, name in want:
                cols[j].append(props.get(name))
        else:
            props = {}
            for j, _ in want:
                cols[j].append(None)
        g = f.get("geometry")
        if g is None:
            has_geom[i] = False
            continue
        if type(g) is dict:
            keys += len(g)
            if g.get("type") == "Point":
                c = g.get("coordinates")
                if type(c) is list and len(c) == 2:
                    coords.append(c)
                    point_rows.append(i)
                    continue
        geom = _GeoJSONGeometry(source, _where(i, props, f.get("id"))).build(g)
        if geom.is_empty:
            has_geom[i] = False
            continue
        # Z dropped, NaN refused, invalid polygons repaired: as the strict reader
        other[i] = _check_geometries([Feature(geom, props)], _Budget(source))[0].geometry
        kinds[other[i].geom_type] += 1
    # Repeated keys: json.loads keeps the last silently. Every key is followed by
    # '":' in compact and in most pretty-printed files; when the keys parsed do not
    # account for every '":' (a repeated key; or nested objects in properties, a
    # '":' inside a string, a space before the colon) the strict reader decides.
    if raw.count(b'":') != keys:
        return None
    kinds["Point"] += len(point_rows)
    if not has_geom.any():
        raise InputError(f"none of the {n} feature(s) has a geometry", source=source,
                         fix="export a file that contains the features")
    if coords:
        arr = np.array(coords)
        if arr.dtype.kind not in "fiu" or arr.ndim != 2:
            return None  # a string or null coordinate: the strict reader names it
        if (b"true" in raw or b"false" in raw) and _bool_coordinate(coords):
            return None
        bad = ~np.isfinite(arr).all(axis=1)
        if bad.any():
            k = point_rows[int(np.argmax(bad))]
            raise InputError(f"feature #{k + 1}: {int(bad.sum())} point(s) are NaN or "
                             "infinite", source=source, fix="remove or repair those points")
        xy[point_rows] = arr.astype(float)
    columns = {name: np.array(cols[j], dtype=object)[has_geom] for j, name in want}
    if "id" in fields and "id" not in names:
        names.add("id")
        columns["id"] = np.array([f.get("id") for f in feats], dtype=object)[has_geom]
    kinds = Counter({k: v for k, v in kinds.items() if v})
    geoms = None
    if other:
        geoms = np.empty(n, dtype=object)
        geoms[point_rows] = shapely.points(xy[point_rows]) if point_rows else []
        for i, g in other.items():
            geoms[i] = g
        geoms = geoms[has_geom]
    skipped = int((~has_geom).sum())
    xy = xy[has_geom] if geoms is None else _rep_xy(geoms)
    return _Fast(xy, columns, names, kinds, crs, crs is None, geoms, skipped, sha.result())


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


def _csv_points(path: Path, encoding: str | None, fields: Sequence[str]) -> _Fast | None:
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
            return _Fast(fast[0], fast[1], names, Counter({"Point": len(fast[0])}), None, True)
    width = len(header)
    body = list(progress(reader, desc="reading rows", unit="row"))
    widths = set(map(len, body))
    rows: list[int] | range = range(2, len(body) + 2)
    if widths - {width}:
        blank = [k for k, r in enumerate(body) if len(r) != width and not any(
            c.strip() for c in r)]
        if len(blank) != sum(1 for r in body if len(r) != width):
            return None  # the strict reader explains the field count (decimal comma?)
        gone = set(blank)
        rows = [k + 2 for k in range(len(body)) if k not in gone]
        body = [r for k, r in enumerate(body) if k not in gone]
    cols_all = list(zip(*body, strict=True)) if body else []
    lats: list[str] = list(cols_all[lat]) if body else []
    lons: list[str] = list(cols_all[lon]) if body else []
    cols: list[Any] = [cols_all[k] for k in want] if body else [[] for _ in want]
    del body, cols_all
    if not rows:
        raise InputError("the CSV has a header but no rows", source=source,
                         fix="export the points again")
    try:
        xy = np.column_stack([np.array(lons, dtype=float), np.array(lats, dtype=float)])
    except ValueError:
        if any(_DECIMAL_COMMA.match(v) for v in lats[:1000] + lons[:1000]):
            return None
        for k, (a, b) in enumerate(zip(lons, lats, strict=True)):
            for v, what in ((a, header[lon]), (b, header[lat])):
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
    columns = {header[k].strip(): np.array(c, dtype=object) for k, c in zip(want, cols,
                                                                           strict=True)}
    if "row" in fields:
        columns["row"] = np.array(list(rows), dtype=object)
        names.add("row")
    return _Fast(xy, columns, names, Counter({"Point": len(rows)}), None, True)


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


# --- GeoParquet and FlatGeobuf ----------------------------------------------------------


def _big_table(p: Path, source: str, budget: _Budget, fields: Sequence[str], crs: str | None,
               swap_axes: bool, layer: str | None) -> Table:
    if layer is not None:
        raise InputError(f"GeoParquet and FlatGeobuf have one layer; `layer` {layer!r} does "
                         "not apply", source=source, fix="drop `layer`")
    big = read_big(p, budget, fields=list(fields), crs=crs, swap_axes=swap_axes)
    kinds = Counter(shapely.get_type_id(big.geoms).tolist())
    kind_names = {GEOM_TYPES[k]: v for k, v in kinds.items()}
    xy = _rep_xy(big.geoms)
    geoms = None if set(kind_names) == {"Point"} else big.geoms
    return Table(source, xy, big.columns, kind_names, geoms, big.skipped, big.crs)


# --- any other file, through the strict reader ------------------------------------------


def _from_features(feats: list[Any], source: str, fields: Sequence[str]) -> Table:
    names = {str(k) for f in feats for k in f.properties}
    _check_fields(fields, names, source)
    geoms = np.array([f.geometry for f in feats], dtype=object)
    empty = np.asarray(shapely.is_empty(geoms))
    geoms = geoms[~empty]
    kept = [f for f, e in zip(feats, empty, strict=True) if not e]
    kinds = Counter(g.geom_type for g in geoms)
    columns = {k: np.array([f.properties.get(k) for f in kept], dtype=object)
               for k in fields}
    xy = _rep_xy(geoms)
    if set(kinds) == {"Point"}:
        return Table(source, xy, columns, dict(kinds), None, int(empty.sum()))
    return Table(source, xy, columns, dict(kinds), geoms, int(empty.sum()))
