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

Point GeoJSON and lat/lon CSV are parsed by :mod:`geo.read.fastpath`; GeoParquet and
FlatGeobuf are read in Arrow batches (:mod:`geo.read.arrow`); every other file (KML,
GeoPackage, Shapefile, WKT CSV, decimal-comma CSV) goes through the strict reader and
is turned into the same table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.geometry.crs import WGS84, is_wgs84, parse_crs, transformer
from geo.read.arrow import GEOM_TYPES, big_format, read_big
from geo.read.base import (
    MAX_COORDINATE,
    MAX_INPUT_MB,
    _boundary,
    _Budget,
    _check_fields,
    _warn,
)
from geo.read.checks import check_in_gaza, not_lonlat, same_crs
from geo.read.fastpath import FastLayer, read_fast
from geo.read.io import _check_path, detect_format, read_features
from geo.read.lonlat import to_lonlat

__all__ = ["Table", "read_table", "rep_xy"]


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
    fast = read_fast(p, fmt, encoding, fields) if layer is None else None
    if fast is None:
        return _from_features(read_features(p, max_mb=max_mb, crs=crs, swap_axes=swap_axes,
                                            layer=layer, encoding=encoding), source, fields)
    return _fast_table(fast, source, budget, fields, fmt, crs, swap_axes)


def _fast_table(fast: FastLayer, source: str, budget: _Budget, fields: Sequence[str],
                fmt: str, crs: str | None, swap_axes: bool) -> Table:
    """A layer parsed on the fast path, under the strict reader's bounds and CRS rules."""
    xy = fast.xy if fast.geoms is None else rep_xy(fast.geoms)
    # the strict reader's bounds hold on the fast path too
    if len(xy) > budget.max_features:
        raise ReadLimitError(f"the file has {len(xy):,} features, over the limit of "
                             f"{budget.max_features:,} (max_features)", source=source,
                             fix="split the file, or raise max_features")
    if len(xy) and not float(np.nanmax(np.abs(xy))) <= MAX_COORDINATE:
        raise InputError(f"a coordinate is beyond {MAX_COORDINATE:g} (or not a number): not "
                         "a position", source=source, fix="check the file's coordinates")
    budget.tick()
    xy = xy[:, ::-1].copy() if swap_axes else xy
    xy, used = _to_lonlat(xy, fast.crs, fast.implied, crs, source, fmt)
    check_in_gaza(xy, source, swap_axes)
    geoms = None
    if fast.geoms is not None:
        geoms = to_lonlat(fast.geoms, used, swap_axes)
        xy = rep_xy(geoms)
    _check_fields(fields, fast.names, source)
    return Table(source, xy, fast.columns, dict(fast.kinds), geoms, fast.skipped, used,
                 fast.sha256)


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


def rep_xy(geoms: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A point on each geometry: the point itself, else shapely's representative point."""
    pts = np.asarray(shapely.get_type_id(geoms)) == 0
    out = np.empty((len(geoms), 2))
    if pts.any():
        out[pts] = shapely.get_coordinates(geoms[pts])
    if (~pts).any():
        out[~pts] = shapely.get_coordinates(shapely.point_on_surface(geoms[~pts]))
    return out



# --- GeoParquet and FlatGeobuf ----------------------------------------------------------


def _big_table(p: Path, source: str, budget: _Budget, fields: Sequence[str], crs: str | None,
               swap_axes: bool, layer: str | None) -> Table:
    if layer is not None:
        raise InputError(f"GeoParquet and FlatGeobuf have one layer; `layer` {layer!r} does "
                         "not apply", source=source, fix="drop `layer`")
    big = read_big(p, budget, fields=list(fields), crs=crs, swap_axes=swap_axes)
    kinds = Counter(shapely.get_type_id(big.geoms).tolist())
    kind_names = {GEOM_TYPES[k]: v for k, v in kinds.items()}
    xy = rep_xy(big.geoms)
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
    xy = rep_xy(geoms)
    if set(kinds) == {"Point"}:
        return Table(source, xy, columns, dict(kinds), None, int(empty.sum()))
    return Table(source, xy, columns, dict(kinds), geoms, int(empty.sum()))
