"""GeoParquet (a file or a folder of parts) and FlatGeobuf input, read in Arrow batches.

A layer of these formats is read part by part (a GeoParquet file of a folder, or the
FlatGeobuf file) and batch by batch (:data:`BATCH_ROWS` rows), so that counting a layer
of tens of millions of features holds one batch in memory, never the layer. GeoParquet
is read with pyarrow (GDAL's Parquet driver is not in every build); FlatGeobuf with
pyogrio's Arrow stream. A layer is planned once (:func:`plan_layer`: its parts listed
and checked, its CRS resolved from the first rows, which must lie in Gaza); each batch
comes out as shapely geometries (lon/lat through :mod:`geo.read.lonlat`) and the
requested columns, with the checks of the other readers: finite and plausible
coordinates, the CRS declared (GeoParquet ``geo`` metadata, FlatGeobuf header), given
(``crs``) or refused, swapped axes detected. Counting runs over the planned parts
(:mod:`geo.count.engines`); :func:`read_big` reads them whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo.errors import InputError
from geo.read.base import (
    MAX_COORDINATE,
    MAX_INPUT_MB,
    MAX_SECONDS,
    _boundary,
    _Budget,
    _check_fields,
    _where,
)
from geo.read.lonlat import resolve_crs, to_lonlat

__all__ = [
    "BATCH_ROWS",
    "GEOM_TYPES",
    "BigFormat",
    "Part",
    "Batch",
    "big_format",
    "layer_parts",
    "read_batches",
    "LayerPlan",
    "plan_layer",
    "read_big",
    "BigLayer",
]

BigFormat = Literal["geoparquet", "flatgeobuf"]
BATCH_ROWS = 65_536
"""Rows per batch: ~1 MB of point WKB, a few ms of counting; memory stays flat."""

_PARQUET = (".parquet", ".geoparquet", ".pq")
GEOM_TYPES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
              5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}
_CRS84 = "OGC:CRS84"  # GeoParquet: a geometry column without "crs" is lon/lat


def big_format(path: Path) -> BigFormat | None:
    """``geoparquet`` (a file, or a folder holding ``*.parquet`` parts), ``flatgeobuf``.

    >>> big_format(Path("sites.parquet")), big_format(Path("b.fgb")), big_format(Path("a.csv"))
    ('geoparquet', 'flatgeobuf', None)
    """
    suffix = path.suffix.lower()
    if suffix in _PARQUET:
        return "geoparquet"
    if suffix == ".fgb":
        return "flatgeobuf"
    try:
        if path.is_dir() and any(q.suffix.lower() in _PARQUET for q in path.iterdir()):
            return "geoparquet"
    except OSError:
        return None
    return None


@dataclass(frozen=True)
class Part:
    """One unit of reading (and of work on a cluster): a file of the layer."""

    path: str
    fmt: BigFormat
    source: str  # the user's name for the whole layer (the file or the folder)
    row_groups: tuple[int, ...] | None = None  # a GeoParquet file's row groups (None: all)
    first_row: int = 0  # the row number (in its file) of the part's first row
    rows: int | None = None  # FlatGeobuf: the rows from first_row (None: to the end)


@dataclass
class Batch:
    """Rows of a part: geometries in the file's CRS (``None`` where missing), columns.

    A batch of points read straight from WKB has ``points_xy`` (NaN rows missing) and
    makes its shapely points only when ``geoms`` is asked for (counting never asks).
    """

    raw_geoms: np.ndarray[Any, Any] | None
    columns: dict[str, np.ndarray[Any, Any]]
    crs: str | None
    implied: bool  # the format implies lon/lat when no CRS is written
    offset: int = 0  # the row number of the first row in its part
    names: set[str] = field(default_factory=set)
    points_xy: np.ndarray[Any, Any] | None = None
    arrow: Any = None  # the record batch as read, its column types intact
    geometry_column: str = "geometry"

    @property
    def geoms(self) -> np.ndarray[Any, Any]:
        """The geometries, ``None`` where missing."""
        if self.raw_geoms is None:
            assert self.points_xy is not None
            g = np.asarray(shapely.points(self.points_xy))
            g[~self.present] = None
            self.raw_geoms = g
        return self.raw_geoms

    @property
    def present(self) -> np.ndarray[Any, Any]:
        """Rows with a geometry."""
        if self.raw_geoms is None and self.points_xy is not None:
            return ~np.isnan(self.points_xy).all(axis=1)
        return np.asarray(~shapely.is_missing(self.geoms))


def layer_parts(path: Path, fmt: BigFormat, max_mb: float) -> list[Part]:
    """The parts of a layer, each checked to be a readable size (``max_mb`` per part).

    The folder's parts are its ``*.parquet`` files in name order (hidden files and
    ``_metadata`` sidecars left out), as dask and Spark write them.
    """
    source = str(path)
    if path.is_dir():
        files = sorted(q for q in path.iterdir() if q.suffix.lower() in _PARQUET
                       and not q.name.startswith((".", "_")) and q.is_file())
        if not files:
            raise InputError("the folder holds no .parquet part", source=source,
                             fix="give a GeoParquet file or a folder of parts")
    else:
        files = [path]
    for q in files:
        size_mb = q.stat().st_size / 1e6
        if size_mb > max_mb:
            raise InputError(f"the part {q.name} is {size_mb:.3g} MB, over the {max_mb:g} MB "
                             "limit of a part", source=source,
                             fix="write smaller parts (row groups), or raise max_mb")
        if q.stat().st_size == 0:
            raise InputError(f"the part {q.name} is empty (0 bytes)", source=source,
                             fix="export the data again")
    if fmt != "geoparquet":
        return [p for q in files for p in _fgb_parts(q, source)]
    return [p for q in files for p in _row_group_parts(q, source)]


def _fgb_parts(q: Path, source: str) -> list[Part]:
    """A FlatGeobuf file as ranges of about ``PART_ROWS`` features (read by offset)."""
    import pyogrio

    n = int(pyogrio.read_info(str(q))["features"])
    if n <= PART_ROWS:
        return [Part(str(q), "flatgeobuf", source)]
    return [Part(str(q), "flatgeobuf", source, None, start, min(PART_ROWS, n - start))
            for start in range(0, n, PART_ROWS)]


PART_ROWS = 1_048_576
"""A GeoParquet file of more rows is split into parts of whole row groups of about this
many rows, a FlatGeobuf file into ranges of this many: a single big file then gives a
cluster several tasks."""


def _row_group_parts(q: Path, source: str) -> list[Part]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(q).metadata
    if meta.num_rows <= PART_ROWS or meta.num_row_groups < 2:
        return [Part(str(q), "geoparquet", source)]
    out: list[Part] = []
    groups: list[int] = []
    rows = first = 0
    for i in range(meta.num_row_groups):
        groups.append(i)
        rows += meta.row_group(i).num_rows
        if rows >= PART_ROWS:
            out.append(Part(str(q), "geoparquet", source, tuple(groups), first))
            first += rows
            groups, rows = [], 0
    if groups:
        out.append(Part(str(q), "geoparquet", source, tuple(groups), first))
    return out


def _geo_metadata(schema: Any, part: Part) -> tuple[str, str, str | None, bool]:
    """(geometry column, encoding, crs, implied lon/lat) from GeoParquet's ``geo`` key."""
    meta = (schema.metadata or {}).get(b"geo")
    if meta is None:
        wkb = [f.name for f in schema if f.name in ("geometry", "geom", "wkb_geometry")]
        if not wkb:
            raise InputError(f"{Path(part.path).name} is Parquet without GeoParquet "
                             "metadata (no 'geo' key, no geometry column)", source=part.source,
                             fix="write it with geopandas to_parquet or GDAL (GeoParquet)")
        return wkb[0], "WKB", None, False
    geo = json.loads(meta)
    col = geo.get("primary_column", "geometry")
    info = geo.get("columns", {}).get(col)
    if not isinstance(info, dict):
        raise InputError(f"its GeoParquet metadata names no column {col!r}",
                         source=part.source, fix="write the file again with geopandas/GDAL")
    enc = str(info.get("encoding", "WKB"))
    if enc.lower() not in ("wkb", "point"):
        raise InputError(f"its geometry encoding {enc!r} is not read (WKB or point only)",
                         source=part.source, fix="write the file with WKB geometries")
    if "crs" not in info:
        return col, enc.lower(), _CRS84, True
    crs = info["crs"]
    if crs is None:
        return col, enc.lower(), None, False
    text = json.dumps(crs, sort_keys=True) if isinstance(crs, dict) else str(crs)
    return col, enc.lower(), _crs_name(text), False


@lru_cache(maxsize=16)
def _crs_name(text: str) -> str:
    """``EPSG:n`` (or WKT) of a PROJJSON / WKT CRS: parsed once per layer, not per part."""
    from pyproj import CRS

    c = CRS.from_user_input(text)
    auth = c.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else c.to_wkt()


def _plain_column(values: Any) -> np.ndarray[Any, Any]:
    """A column as numpy: numbers stay numbers, anything else is an object array.

    Floats (NaN for null) and null-free integers: counting sums them without a loop.
    """
    import pyarrow as pa

    t = values.type
    if pa.types.is_floating(t) or (pa.types.is_integer(t) and values.null_count == 0):
        return np.asarray(values.to_numpy(zero_copy_only=False))
    out = np.empty(len(values), dtype=object)
    out[:] = values.to_pylist()
    return out


def _wkb_points(g: Any) -> np.ndarray[Any, Any] | None:
    """Points straight from little-endian 2D WKB (21 bytes each), or None for anything else.

    ~10x faster than ``shapely.from_wkb`` on a column of points; empty points (NaN) are
    missing, as ``from_wkb`` would make them empty.
    """
    import pyarrow as pa

    if g.null_count or not pa.types.is_binary(g.type) or len(g) == 0:
        return None
    offs = np.frombuffer(g.buffers()[1], dtype=np.int32, count=len(g) + 1, offset=g.offset * 4)
    if not (np.diff(offs) == 21).all():
        return None
    raw = np.frombuffer(g.buffers()[2], dtype=np.uint8)[offs[0]:offs[-1]].reshape(-1, 21)
    if not ((raw[:, 0] == 1).all() and (raw[:, 1:5].copy().view("<u4") == 1).all()):
        return None
    return raw[:, 5:].copy().view("<f8").reshape(-1, 2)


def _parquet_batches(part: Part, fields: Sequence[str] | None, budget: _Budget,
                     rows: int) -> Iterator[Batch]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(part.path)
    schema = pf.schema_arrow
    col, enc, crs, implied = _geo_metadata(schema, part)
    names = {f.name for f in schema} - {col}
    if fields is None:
        fields = [f.name for f in schema if f.name != col]
    _check_fields(fields, names, part.source)
    offset = part.first_row
    groups = None if part.row_groups is None else list(part.row_groups)
    for rb in pf.iter_batches(batch_size=rows, columns=[col, *fields], row_groups=groups):
        budget.tick()
        g = rb.column(col)
        if enc == "point":  # geoarrow struct<x, y>
            xs = g.field("x").to_numpy(zero_copy_only=False)
            ys = g.field("y").to_numpy(zero_copy_only=False)
            geoms = shapely.points(xs, ys)
            geoms[np.asarray(g.is_null())] = None
        else:
            pts = _wkb_points(g)
            if pts is not None:
                cols = {f: _plain_column(rb.column(f)) for f in fields}
                yield Batch(None, cols, crs, implied, offset, names, pts, rb, col)
                offset += rb.num_rows
                continue
            geoms = shapely.from_wkb(g.to_numpy(zero_copy_only=False))
        cols = {f: _plain_column(rb.column(f)) for f in fields}
        yield Batch(geoms, cols, crs, implied, offset, names, None, rb, col)
        offset += rb.num_rows


def _fgb_batches(part: Part, fields: Sequence[str] | None, budget: _Budget,
                 rows: int) -> Iterator[Batch]:
    import pyogrio.raw

    wanted = None if fields is None else list(fields)
    with pyogrio.raw.open_arrow(part.path, columns=wanted, batch_size=rows,
                                skip_features=part.first_row,
                                use_pyarrow=True) as (meta, reader):
        crs = meta.get("crs")
        gcol = meta.get("geometry_name") or "wkb_geometry"
        names = {str(f) for f in meta.get("fields", ())}
        if fields is None:
            fields = [str(f) for f in meta.get("fields", ())]
        _check_fields(fields, names, part.source)
        offset = part.first_row
        left = part.rows  # the Arrow stream takes no max_features: stop at the range's end
        for rb in reader:
            budget.tick()
            if left is not None:
                if left <= 0:
                    break
                rb = rb.slice(0, left) if rb.num_rows > left else rb
                left -= rb.num_rows
            g = rb.column(rb.schema.get_field_index(gcol) if gcol in rb.schema.names
                          else rb.num_columns - 1)
            geoms = shapely.from_wkb(np.asarray(g.to_numpy(zero_copy_only=False)))
            cols = {f: _plain_column(rb.column(f)) for f in fields}
            yield Batch(geoms, cols, crs, False, offset, names, None, rb, gcol)
            offset += rb.num_rows


def read_batches(part: Part, budget: _Budget, *, fields: Sequence[str] | None = (),
                 rows: int = BATCH_ROWS) -> Iterator[Batch]:
    """The batches of one part, geometries checked (finite, plausible, 2D).

    ``fields`` are the columns to read (``None``: every column).

    Call inside the reader boundary (``geo.read.base._boundary``): pyarrow's and GDAL's
    failures become one InputError there.
    """
    gen = _parquet_batches if part.fmt == "geoparquet" else _fgb_batches
    for b in gen(part, fields, budget, rows):
        if b.points_xy is not None:
            xy = b.points_xy
            finite = np.isfinite(xy).all(axis=1)
            huge = (np.abs(np.where(np.isfinite(xy), xy, 0.0)) > MAX_COORDINATE).any(axis=1)
            bad = ~np.isnan(xy).all(axis=1) & (~finite | huge)  # all-NaN: an empty point
            if bad.any():
                row = b.offset + int(np.argmax(bad))
                raise InputError(f"{Path(part.path).name}, {_where(row, {})}: a coordinate is "
                                 f"not finite or beyond {MAX_COORDINATE:g}",
                                 source=part.source, fix="remove or repair that feature")
            yield b
            continue
        present = ~shapely.is_missing(b.geoms) & ~shapely.is_empty(b.geoms)
        if shapely.has_z(b.geoms[present]).any():
            b.geoms[present] = shapely.force_2d(b.geoms[present])
        xy, index = shapely.get_coordinates(b.geoms[present], return_index=True)
        bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy) > MAX_COORDINATE).any(axis=1)
        if bad.any():
            row = b.offset + int(np.flatnonzero(present)[index[np.argmax(bad)]])
            where = _where(row, {})
            raise InputError(f"{Path(part.path).name}, {where}: a coordinate is not finite "
                             f"or beyond {MAX_COORDINATE:g}", source=part.source,
                             fix="remove or repair that feature")
        b.geoms[~present] = None
        yield b


@dataclass(frozen=True)
class LayerPlan:
    """A big-format layer ready to be read part by part: its parts and its CRS."""

    source: str
    parts: tuple[Part, ...]
    declared: str | None  # the CRS the first part declares
    crs: str  # the CRS the layer is read in
    swap_axes: bool
    max_seconds: float


def plan_layer(path: Path, read_options: Mapping[str, Any] | None = None,
               max_seconds: float = MAX_SECONDS) -> LayerPlan | None:
    """The parts and CRS of a GeoParquet or FlatGeobuf layer; None for other formats.

    The parts are listed and each checked to be a readable size (:func:`layer_parts`);
    the CRS is resolved once from the first rows (declared, given with ``crs``, or
    lon/lat when the coordinates fall in Gaza), and the first rows are checked to lie in
    Gaza. Counting (:mod:`geo.count.engines`) and :func:`read_big` read the parts.
    """
    fmt = big_format(path)
    if fmt is None:
        return None
    opts = dict(read_options or {})
    source = str(path)
    if opts.get("layer") is not None:
        raise InputError(f"a {fmt} layer has one layer; `layer` {opts['layer']!r} does not "
                         "apply", source=source, fix="drop `layer`")
    swap = bool(opts.get("swap_axes", False))
    max_mb = float(opts.get("max_mb") or MAX_INPUT_MB)
    budget = _Budget(source, max_mb=max_mb, max_seconds=max_seconds)
    with _boundary(budget):
        if not path.exists():
            raise InputError("no such file", source=source, fix="check the path")
        parts = layer_parts(path, fmt, max_mb)
        declared, implied, sample = _first_coordinates(parts, budget, source)
        if swap:
            sample = sample[:, ::-1]
        crs = resolve_crs(declared, implied, opts.get("crs"), sample, source)
        lonlat = shapely.get_coordinates(to_lonlat(shapely.points(sample), crs, False))
        from geo.read.checks import check_in_gaza

        check_in_gaza(lonlat, source, swap)
    return LayerPlan(source, tuple(parts), declared, crs, swap, max_seconds)


def _first_coordinates(parts: Sequence[Part], budget: _Budget, source: str
                       ) -> tuple[str | None, bool, np.ndarray[Any, Any]]:
    """The sample a layer's CRS is resolved and checked on: the first batch's coordinates.

    Returns the CRS that batch declares, whether its format implies lon/lat, and the
    coordinates of its present geometries (the first batch that has any).
    """
    declared: str | None = None
    implied = False
    sample = np.empty((0, 2))
    for part in parts:
        for b in read_batches(part, budget, rows=4096):
            declared, implied = b.crs, b.implied
            sample = (b.points_xy[b.present] if b.points_xy is not None
                      else shapely.get_coordinates(b.geoms[b.present]))
            if len(sample):
                return declared, implied, sample
    raise InputError("every geometry is empty", source=source, fix="re-export the file")


@dataclass
class BigLayer:
    """A whole GeoParquet / FlatGeobuf layer read in memory (lon/lat geometries)."""

    geoms: np.ndarray[Any, Any]  # rows with a geometry
    columns: dict[str, np.ndarray[Any, Any]]
    names: list[str]
    skipped: int
    crs: str  # the CRS the layer was read in


def read_big(path: Path, budget: _Budget, *, fields: Sequence[str] | None = None,
             crs: str | None = None, swap_axes: bool = False) -> BigLayer:
    """Read every part in memory, within ``budget`` (bytes of all parts, rows, time).

    For the readers that need the whole layer (maps, export, areas split by zone); the
    count streams the parts instead (:mod:`geo.count.engines`).
    """
    fmt = big_format(path)
    assert fmt is not None
    plan = plan_layer(path, {"crs": crs, "swap_axes": swap_axes, "max_mb": budget.max_mb},
                      max_seconds=budget.max_seconds)
    assert plan is not None
    for part in plan.parts:
        budget.add_bytes(Path(part.path).stat().st_size, Path(part.path).name)
    geoms: list[np.ndarray[Any, Any]] = []
    cols: dict[str, list[np.ndarray[Any, Any]]] = {}
    names: list[str] = []
    skipped = 0
    for part in plan.parts:
        for b in read_batches(part, budget, fields=fields):
            budget.add_features(len(b.geoms))
            if not names:
                names = list(b.columns)
            present = ~shapely.is_missing(b.geoms)
            skipped += int((~present).sum())
            g = to_lonlat(b.geoms[present], plan.crs, swap_axes)
            budget.add_vertices(int(shapely.get_num_coordinates(g).sum()))
            geoms.append(g)
            for k, v in b.columns.items():
                cols.setdefault(k, []).append(v[present])
    return BigLayer(np.concatenate(geoms) if geoms else np.empty(0, dtype=object),
                    {k: np.concatenate(v) for k, v in cols.items()}, names, skipped,
                    plan.crs)
