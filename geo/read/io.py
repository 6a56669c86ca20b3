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

This module holds the public entry points, format detection and the checks of geometries
common to every format; the CRS and the position in Gaza are checked by
:mod:`geo.read.checks`, one geometry of the kind asked for is made by
:mod:`geo.read.expect`; each format's reader is a private module (``geo.read.geojson``,
``geo.read.kml``, ``geo.read.delimited``, ``geo.read.ogr``) sharing ``geo.read.base``.

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

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.geometry.crs import GAZA_BBOX

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
    _limit_args,
    _warn,
    _where,
    path_problem,
)
from geo.read.checks import lonlat_features
from geo.read.expect import Expect, geometry_from_features
from geo.read.features import Feature
from geo.read.geojson import _read_geojson
from geo.read.parsing import _check_text, _load_toml

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
    "input_files",
    "path_problem",
]

Format = Literal["geojson", "kml", "kmz", "csv", "gpkg", "shapefile"]
FORMATS: tuple[str, ...] = ("geojson", "kml", "kmz", "csv", "gpkg", "shapefile")
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


def read_features(path: str | Path, *, max_mb: float = MAX_INPUT_MB, crs: str | None = None,
                  swap_axes: bool = False, layer: str | None = None,
                  encoding: str | None = None, max_depth: int = MAX_DEPTH,
                  max_features: int = MAX_FEATURES, max_vertices: int = MAX_VERTICES,
                  max_seconds: float = MAX_SECONDS) -> list[Feature]:
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
        used to partition (see :func:`geo.read.expect.geometry_from_features`).
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

    (See the module's example.)
    """
    p = Path(path)
    budget = _budget(p, max_mb, max_depth, max_features, max_vertices, max_seconds)
    with _boundary(budget):
        return _read(p, budget, crs=crs, swap_axes=swap_axes, layer=layer, encoding=encoding)


def _budget(p: Path, max_mb: float, max_depth: int, max_features: int, max_vertices: int,
            max_seconds: float) -> _Budget:
    """The limits of one read of ``p``, each refused unless a positive number."""
    if max_mb is None or not max_mb > 0:
        raise InputError(f"max_mb {max_mb!r} is not a positive number",
                         source="max_mb", fix="give a size in MB, e.g. 200")
    _limit_args(max_mb, max_depth, max_features, max_vertices, max_seconds)
    return _Budget(str(p), max_mb=max_mb, max_depth=max_depth, max_features=max_features,
                   max_vertices=max_vertices, max_seconds=max_seconds)


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
    return lonlat_features(raw, crs, swap_axes, source, fmt)


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


def read_geometry(path: str | Path, expect: Expect = "any", **read_kw: Any) -> shapely.Geometry:
    """Read one geometry of the expected kind from a file (features of that kind joined).

    Takes the keyword options of :func:`read_features`. A line or polygon is read with
    ``max_vertices=MAX_LINE_VERTICES`` unless another is given: it is refused before its
    vertices are parsed (see :func:`geo.read.expect.geometry_from_features`).
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
