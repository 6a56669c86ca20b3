"""Reading users' geometry files into lon/lat shapely geometries, with clear errors.

Formats: GeoJSON (read here, without GDAL, so that ``gazamap areas`` starts fast), KML and
KMZ (Google Earth; read here with the standard XML parser), CSV of points (lat/lon columns
found by name, or a WKT column), GeoPackage and Shapefile (a ``.shp``, a folder or a
``.zip``; read through pyogrio, imported only when such a file is given).

Every failure raises :class:`~geo.errors.InputError` naming the file, the problem (with
the value found) and the fix: :func:`read_features` is the one reader boundary, where any
exception of a parser, an archive, PROJ or GDAL becomes one (a genuine bug still
propagates). Readers are bounded: the bytes of every part of a dataset (``max_mb``),
nesting (``max_depth``), features, vertices and time (``max_features``,
``max_vertices``, ``max_seconds``), with the defaults ``MAX_*`` exported here; a limit
reached is a :class:`~geo.errors.ReadLimitError` with the measured value.

Safe repairs (dropping Z, closing a ring, ``make_valid`` of
a self-intersecting polygon, rebuilding a missing ``.shx``, assuming lon/lat for data that
falls in Gaza and has no CRS) are made with an :class:`InputWarning` that says what was
done. Coordinates are normalised once, here, to EPSG:4326 lon/lat.

This module holds the public entry points, format detection, CRS handling and the checks
common to every format; each format's reader is a private module (``geo.read.geojson``,
``geo.read.kml``, ``geo.read.delimited``, ``geo.read.ogr``) sharing ``geo.read.base``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.geometry.crs import (
    GAZA_BBOX,
    WGS84,
    is_wgs84,
    parse_crs,
    share_in_gaza,
    suggest_crs,
    to_wgs84,
)

# The CSV, KML and OGR readers are imported when their format is read: a command that
# reads only packaged GeoJSON (`gazamap areas`) does not pay for them.
from geo.read.base import (
    _SHP_PARTS,
    MAX_COORDINATE,
    MAX_DEPTH,
    MAX_FEATURES,
    MAX_INPUT_MB,
    MAX_INT_DIGITS,
    MAX_LINE_VERTICES,
    MAX_SECONDS,
    MAX_VERTICES,
    InputWarning,
    _boundary,
    _Budget,
    _check_text,
    _homogeneous,
    _limit_args,
    _load_toml,
    _Raw,
    _warn,
    _where,
    path_problem,
)
from geo.read.features import Feature
from geo.read.geojson import _read_geojson

__all__ = [
    "MAX_COORDINATE",
    "MAX_DEPTH",
    "MAX_FEATURES",
    "MAX_INPUT_MB",
    "MAX_INT_DIGITS",
    "MAX_LINE_VERTICES",
    "MAX_SECONDS",
    "MAX_VERTICES",
    "GAZA_BBOX",
    "FORMATS",
    "InputWarning",
    "detect_format",
    "list_layers",
    "read_features",
    "read_geometry",
    "read_toml",
    "geometry_from_features",
    "input_files",
    "path_problem",
]

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


# --- paths, formats, text -------------------------------------------------------------


def _check_path(path: Path, max_mb: float) -> None:
    problem = path_problem(str(path))
    if problem is not None:  # before the OS sees it: a NUL, over-long or non-UTF-8 name
        raise InputError(f"the file name cannot be used: {problem}",
                         source=ascii(str(path)[:80]),
                         fix="rename the file (UTF-8, no control characters) and give the "
                             "new name")
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
                         source=str(path), fix="raise max_mb or simplify the file")
    if path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=str(path),
                         fix="export the data again")


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

# --- public API ---------------------------------------------------------------------


def list_layers(path: str | Path) -> list[str]:
    """The layer names of a multi-layer file (KML folders, GeoPackage tables, zipped .shp).

    A single-layer format gives one name.
    """
    p = Path(path)
    budget = _Budget(str(p))
    with _boundary(budget):
        _check_path(p, budget.max_mb)
        fmt = detect_format(p)
        if fmt == "gpkg":
            from geo.read.ogr import _list_gpkg

            return _list_gpkg(p, budget)
        if fmt in ("kml", "kmz"):
            from geo.read.kml import _parse_kml

            return list(_parse_kml(p, None, fmt == "kmz", budget))
        if fmt == "shapefile" and (p.is_dir() or p.suffix.lower() == ".zip"):
            if p.is_dir():
                return sorted({q.stem for q in p.iterdir() if q.suffix.lower() == ".shp"})
            with zipfile.ZipFile(p) as zf:
                return sorted({Path(n).stem for n in zf.namelist()
                               if n.lower().endswith(".shp")})
        return [p.stem]


def input_files(path: str | Path) -> list[Path]:
    """Every file a read of ``path`` may open, for an output guard to protect.

    A shapefile is all its parts (``.shp``, ``.shx``, ``.dbf``, ``.prj``, ``.cpg``, in any
    letter case), a folder every shapefile part in it; any other path is itself. Nothing
    is read; paths that do not exist are left out.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("l.shp", "l.DBF", "l.prj", "other.shp", "notes.txt"):
    ...         _ = (Path(d) / name).write_text("x")
    ...     sorted(p.name for p in input_files(Path(d) / "l.shp"))
    ['l.DBF', 'l.prj', 'l.shp']
    """
    p = Path(path)
    try:
        if p.is_dir():
            return sorted(q for q in p.iterdir() if q.suffix.lower() in (
                *_SHP_PARTS, ".parquet", ".geoparquet", ".pq") and q.is_file())
        if p.suffix.lower() == ".shp":
            return sorted(q for q in p.parent.iterdir() if q.stem == p.stem
                          and q.suffix.lower() in _SHP_PARTS)
        return [p] if p.exists() else []
    except OSError:
        return [p]


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
                f"the file declares its CRS as {_crs_name(raw.crs)!r} but `crs` {crs!r} was "
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
            raise _not_lonlat(coords, source, "without a CRS")
    if not is_wgs84(src):
        _check_transformable(src, source)
        feats = [Feature(to_wgs84(f.geometry, src), f.properties) for f in feats]
        lonlat = shapely.get_coordinates([f.geometry for f in feats])
        if not np.isfinite(lonlat).all():
            raise InputError(f"some coordinates cannot be transformed from {_crs_name(src)}",
                             source=source, fix="check the CRS (`crs`) of the file")
    else:
        lonlat = coords
        if np.abs(lonlat[:, 0]).max() > 180 or np.abs(lonlat[:, 1]).max() > 90:
            raise _not_lonlat(coords, source, "without a CRS")
    _check_in_gaza(lonlat, source, swap_axes)
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
    fix = (f"declare the CRS with `crs` ({' or '.join(cands)} would put the data in Gaza)"
           if cands else "declare the file's CRS with `crs` EPSG:... or re-export as lon/lat")
    return InputError(f"coordinates like ({x:.6g}, {y:.6g}) are not lon/lat degrees: "
                      f"projected data {how}", source=source, fix=fix)


def _check_in_gaza(lonlat: np.ndarray[Any, Any], source: str, swapped: bool) -> None:
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


def _check_counts(feats: list[Feature], budget: _Budget) -> None:
    """The exact feature and vertex counts against the limits (readers refuse earlier)."""
    if len(feats) > budget.max_features:
        raise ReadLimitError(f"the file holds {len(feats):,} features, over the limit of "
                             f"{budget.max_features:,} (max_features)", source=budget.source,
                             fix="split the file, keep only the features needed, or raise "
                                 "max_features")
    n = int(shapely.get_num_coordinates([f.geometry for f in feats]).sum())
    if n > budget.max_vertices:
        raise ReadLimitError(f"the file holds {n:,} vertices, over the limit of "
                             f"{budget.max_vertices:,} (max_vertices)", source=budget.source,
                             fix="simplify the geometry (e.g. QGIS Simplify, or mapshaper "
                                 "-simplify), or raise max_vertices")


def _check_geometries(feats: list[Feature], budget: _Budget) -> list[Feature]:
    """Drop Z, refuse NaN and absurd magnitudes, repair invalid polygons with ``make_valid``.

    Never ``buffer(0)``, which drops loops of a bow-tie. Vectorised over the features (a
    300,000-point layer is checked in a fraction of a second); only polygons go one by one.
    """
    from geo.geometry.measure import geodesic_area_m2

    source = budget.source
    geoms = np.empty(len(feats), dtype=object)
    geoms[:] = [f.geometry for f in feats]
    has_z = shapely.has_z(geoms)
    dropped_z = 0
    if has_z.any():
        dropped_z = int(shapely.get_num_coordinates(geoms[has_z]).sum())
        geoms[has_z] = shapely.force_2d(geoms[has_z])
    xy, index = shapely.get_coordinates(geoms, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        i = int(index[np.argmax(bad)])
        raise InputError(f"{_where(i, feats[i].properties)}: some coordinates are NaN or "
                         "infinite", source=source, fix="remove or repair those vertices")
    big = np.abs(xy) > MAX_COORDINATE
    if big.any():
        k = int(np.argmax(big.any(axis=1)))
        i = int(index[k])
        value = float(xy[k][np.argmax(np.abs(xy[k]))])
        raise InputError(f"{_where(i, feats[i].properties)}: the coordinate {value:.4g} is not "
                         f"a plausible position (larger than {MAX_COORDINATE:g} in any unit)",
                         source=source, fix="remove or repair those vertices")
    budget.tick()
    kinds = shapely.get_type_id(geoms)
    maybe_polygonal = np.flatnonzero(np.isin(kinds, (3, 6, 7)))  # Polygon, Multi-, Collection
    for n, j in enumerate(maybe_polygonal.tolist()):
        if n % 1024 == 0:
            budget.tick()
        g = geoms[j]
        props = feats[j].properties
        polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        if polys and not g.is_valid:
            reason = shapely.is_valid_reason(g)
            fixed = shapely.make_valid(g, method="structure", keep_collapsed=False)
            fixed = _polygonal(fixed)
            after = geodesic_area_m2(fixed) / 1e6
            if fixed.is_empty or after == 0:
                raise InputError(f"{_where(j, props)}: the polygon is invalid "
                                 f"({reason}) and has no area once repaired", source=source,
                                 fix="redraw it")
            parts = len(shapely.get_parts(fixed))
            _warn(source, f"{_where(j, props)}: the polygon is invalid ({reason}); "
                          f"repaired with make_valid into {parts} part(s), {after:.3f} km² "
                          "(every loop kept; check the result, or fix it in a GIS)")
            geoms[j] = fixed
    if dropped_z:
        _warn(source, f"dropped the Z (and M) values of {dropped_z} coordinate(s): gazamap "
                      "works in 2D lon/lat")
    return [f if g is f.geometry else Feature(g, f.properties)
            for g, f in zip(geoms, feats, strict=True)]


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
    max_depth: int = MAX_DEPTH,
    max_features: int = MAX_FEATURES,
    max_vertices: int = MAX_VERTICES,
    max_seconds: float = MAX_SECONDS,
) -> list[Feature]:
    """Read a geometry file into lon/lat features, refusing implausible coordinates.

    Parameters
    ----------
    path : str or Path
        GeoJSON, KML/KMZ, CSV of points, GeoPackage, or Shapefile (``.shp``, a folder
        holding one, or a ``.zip``). The format comes from the extension, checked against
        the first bytes.
    max_mb : float
        Refuse datasets larger than this many megabytes: every file of it (a shapefile's
        ``.shp``, ``.shx``, ``.dbf``, ``.prj``, ``.cpg``) and the unpacked size of archive
        members (zip, KMZ).
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
    max_depth : int
        Refuse JSON, XML (KML folders) and WKT nested deeper than this.
    max_features, max_vertices : int
        Refuse files with more features (rows) or vertices (coordinate positions) than
        this. Give ``max_vertices=MAX_LINE_VERTICES`` for a line or boundary that will be
        used to partition (see :func:`geometry_from_features`).
    max_seconds : float
        Refuse a read that runs longer than this many seconds (checked between features
        and rows; a single GDAL call is not interrupted).

    Returns
    -------
    list of Feature
        2D lon/lat (EPSG:4326) geometries with their properties.

    Raises
    ------
    InputError
        Naming the file, the problem with the value found, and the fix. Every failure
        while the file is read or parsed (nesting, huge numbers, encoding, CRS, archive,
        CSV, XML, GDAL, memory) is one; :class:`~geo.errors.ReadLimitError` (a subclass)
        for a limit, with the measured value and the parameter that raises it.

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
    if max_mb is None or not max_mb > 0:
        raise InputError(f"max_mb {max_mb!r} is not a positive number",
                         source="max_mb", fix="give a size in MB, e.g. 200")
    _limit_args(max_mb, max_depth, max_features, max_vertices, max_seconds)
    budget = _Budget(str(p), max_mb=max_mb, max_depth=max_depth, max_features=max_features,
                     max_vertices=max_vertices, max_seconds=max_seconds)
    with _boundary(budget):
        return _read(p, budget, crs=crs, swap_axes=swap_axes, layer=layer, encoding=encoding)


def _read(p: Path, budget: _Budget, *, crs: str | None, swap_axes: bool, layer: str | None,
          encoding: str | None) -> list[Feature]:
    source = budget.source
    from geo.read.arrow import big_format

    if big_format(p) is not None:  # GeoParquet (file or folder of parts), FlatGeobuf
        return _read_big_features(p, budget, crs=crs, swap_axes=swap_axes, layer=layer)
    _check_path(p, budget.max_mb)
    fmt = detect_format(p)
    if fmt in ("gpkg", "shapefile", "kmz") and p.is_file():
        _check_binary(p, fmt)
    if layer is not None and fmt in ("geojson", "csv"):
        raise InputError(f"a {fmt} file has one layer; `layer` {layer!r} does not apply",
                         source=source, fix="drop `layer`")
    if fmt == "geojson":
        raw = _read_geojson(p, encoding, budget)
    elif fmt in ("kml", "kmz"):
        from geo.read.kml import _read_kml

        raw = _read_kml(p, layer, encoding, fmt == "kmz", budget)
    elif fmt == "csv":
        from geo.read.delimited import _read_csv

        raw = _read_csv(p, encoding, budget)
    elif fmt == "gpkg":
        from geo.read.ogr import _read_gpkg

        raw = _read_gpkg(p, layer, budget)
    else:
        from geo.read.ogr import _read_shapefile

        raw = _read_shapefile(p, layer, encoding, budget)
    _check_counts(raw.features, budget)
    _check_text(raw.features, source)
    raw.features = _check_geometries(raw.features, budget)
    budget.tick()
    return _resolve_crs(raw, crs, swap_axes, source, fmt)


def _read_big_features(p: Path, budget: _Budget, *, crs: str | None, swap_axes: bool,
                       layer: str | None) -> list[Feature]:
    from geo.read.arrow import read_big
    from geo.read.ogr import _plain

    if layer is not None:
        raise InputError(f"GeoParquet and FlatGeobuf have one layer; `layer` {layer!r} does "
                         "not apply", source=budget.source, fix="drop `layer`")
    big = read_big(p, budget, crs=crs, swap_axes=swap_axes)
    rows = zip(*(big.columns[k].tolist() for k in big.names), strict=True) if big.names \
        else ([] for _ in big.geoms)
    feats = [Feature(g, {k: _plain(v) for k, v in zip(big.names, row, strict=True)})
             for g, row in zip(big.geoms, rows, strict=True)]
    if not feats:
        raise InputError("every geometry is empty", source=budget.source,
                         fix="re-export the file")
    _check_text(feats, budget.source)
    return _check_geometries(feats, budget)


def geometry_from_features(feats: list[Feature], expect: Expect, source: str, *,
                           max_vertices: int | None = None) -> shapely.Geometry:
    """One geometry of the expected kind from features (polygons dissolved, lines joined).

    GeometryCollections are opened; features of other kinds are skipped with a warning
    (e.g. label points beside a line); none of the expected kind is refused.

    A line or polygon (what partitions are made of) with more than ``max_vertices``
    vertices (default :data:`MAX_LINE_VERTICES`) is refused with its measured size before
    any work that grows faster than its size. Read such files with
    ``read_features(..., max_vertices=MAX_LINE_VERTICES)`` to refuse them before parsing
    every vertex.
    """
    if expect in ("line", "polygon"):
        limit = MAX_LINE_VERTICES if max_vertices is None else max_vertices
        kinds = {"line": ("LineString", "LinearRing"), "polygon": ("Polygon",)}[expect]
        flat = shapely.get_parts(shapely.get_parts([f.geometry for f in feats]))
        mine = [g for g in flat if g.geom_type in kinds]
        n = int(shapely.get_num_coordinates(mine).sum()) if mine else 0
        if n > limit:
            raise ReadLimitError(
                f"the {expect} has {n:,} vertices, over the limit of {limit:,} for a {expect} "
                "used to partition (max_vertices)", source=source,
                fix="simplify it (e.g. QGIS Simplify at 1 m, or mapshaper -simplify), or "
                    "raise max_vertices")
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
        hint = (" (points? build the line from them with `markers`)"
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
        from geo.geometry.measure import geodesic_area_m2

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

    Takes the keyword options of :func:`read_features`. A line or polygon is read with
    ``max_vertices=MAX_LINE_VERTICES`` unless another is given: it is refused before its
    vertices are parsed (see :func:`geometry_from_features`).
    """
    if expect in ("line", "polygon"):
        read_kw.setdefault("max_vertices", MAX_LINE_VERTICES)
    feats = read_features(path, **read_kw)
    return geometry_from_features(feats, expect, str(path), max_vertices=read_kw.get(
        "max_vertices"))


def read_toml(path: str | Path, *, max_mb: float = MAX_INPUT_MB,
              max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Read a user's TOML file (a catalog, a ledger), bounded in size and nesting.

    ``tomllib`` recurses on nested arrays; a file nested deeper than ``max_depth`` is
    refused before it is parsed. Every failure is an :class:`InputError` naming the file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "c.toml"
    ...     _ = p.write_text("a = [[1], [2]]")
    ...     read_toml(p)
    {'a': [[1], [2]]}
    """
    return _load_toml(Path(path), max_mb=max_mb, max_depth=max_depth)
