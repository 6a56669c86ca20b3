"""Which zone is each feature in: a layer's features tagged with zone, governorate, band.

The tags come from the counting core (:func:`geo.count.tally_points`), with its rules:
a feature is tagged by its point (a representative point for lines and polygons), with
the first zone whose closed polygon holds it (``None`` outside the outline), the first
governorate (``None`` outside or in none), and ``in_band``: the point lies within the
band its line sweeps when moved by ±u, or on the line, so it may belong to either zone.
:func:`write_tagged` writes the layer back with these three columns, in the format of the
output's extension (GeoParquet, GeoPackage, FlatGeobuf, CSV, GeoJSON), through the output
guard.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo.count.core import Labels, ZoneSet, tally_points
from geo.errors import GazamapWarning, InputError, OutputError
from geo.write.outputs import csv_cell, write_output

if TYPE_CHECKING:
    from geo.read.arrow import LayerPlan

__all__ = ["TAG_COLUMNS", "TAG_FORMATS", "tag_columns", "tag_frame", "write_tagged"]

TAG_COLUMNS = ("zone", "governorate", "in_band")
TAG_FORMATS = {".parquet": "geoparquet", ".geoparquet": "geoparquet", ".gpkg": "gpkg",
               ".fgb": "flatgeobuf", ".csv": "csv", ".geojson": "geojson", ".json": "geojson"}


def tag_columns(labels: Labels, zones: ZoneSet) -> dict[str, np.ndarray[Any, Any]]:
    """The three columns from labels: zone id, governorate name (``None`` where none).

    >>> from shapely import box
    >>> zs = ZoneSet((("east", box(1, 0, 2, 1)), ("west", box(0, 0, 1, 1))))
    >>> _, lab = tally_points(np.array([[1.5, 0.5], [5.0, 5.0]]), zs.zones)
    >>> {k: v.tolist() for k, v in tag_columns(lab, zs).items()}
    {'zone': ['east', None], 'governorate': [None, None], 'in_band': [False, False]}
    """
    ids = np.array([z for z, _ in zones.zones] + [None, None], dtype=object)
    govs = np.array([g for g, _, _ in zones.governorates] + [None], dtype=object)
    zone = ids[np.where(labels.zone >= 0, labels.zone, len(ids) - 1)]
    gov = govs[np.where(labels.governorate >= 0, labels.governorate, len(govs) - 1)]
    return {"zone": zone, "governorate": gov, "in_band": labels.in_band.astype(bool)}


def tag_frame(gdf: Any, zones: ZoneSet) -> Any:
    """A copy of a GeoDataFrame with ``zone``, ``governorate`` and ``in_band`` columns.

    The frame is read in its CRS (transformed to lon/lat for the test); a frame without
    a CRS must be lon/lat in Gaza. Rows without geometry get ``None`` and ``False``.

    Raises
    ------
    InputError
        Not a GeoDataFrame, or no CRS and coordinates that are not lon/lat in Gaza.
    """
    from geo.geometry.crs import share_in_gaza

    if not hasattr(gdf, "geometry") or not hasattr(gdf, "to_crs"):
        raise InputError(f"expected a GeoDataFrame, got a {type(gdf).__name__}", source="gdf",
                         fix="read the layer with geopandas.read_file or read_parquet")
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if gdf.crs is not None:
        geoms = np.asarray(gdf.geometry.to_crs(4326).values, dtype=object)
    elif present.any() and share_in_gaza(shapely.get_coordinates(geoms[present])) < 0.5:
        raise InputError("the GeoDataFrame has no CRS and its coordinates are not lon/lat in "
                         "Gaza", source="gdf", fix="set its CRS (gdf.set_crs(...)) first")
    from geo.read.points import rep_xy

    xy = rep_xy(geoms[present]) if present.any() else np.empty((0, 2))
    _, lab = tally_points(xy, zones.zones, zones.governorates, zones.bands,
                          lines=zones.lines, holes=zones.holes)
    full = Labels(_spread(lab.zone, present, -2), _spread(lab.governorate, present, -1),
                  _spread(lab.in_band, present, False), _spread(lab.on_line, present, False))
    out = gdf.copy()
    clash = [c for c in TAG_COLUMNS if c in gdf.columns]
    if clash:
        warnings.warn(f"the layer's column(s) {', '.join(map(repr, clash))} are replaced by "
                      "the tags", GazamapWarning, stacklevel=2)
    for k, v in tag_columns(full, zones).items():
        out[k] = v
    return out


def _spread(values: np.ndarray[Any, Any], present: np.ndarray[Any, Any],
            fill: Any) -> np.ndarray[Any, Any]:
    out = np.full(len(present), fill, dtype=values.dtype)
    out[present] = values
    return out


def _frame(path: Path, read_options: Mapping[str, Any]) -> Any:
    """The whole layer as a GeoDataFrame in lon/lat, rows in file order (all of them)."""
    import geopandas as gpd

    from geo.read.arrow import big_format, plan_layer, read_batches
    from geo.read.base import _boundary, _Budget
    from geo.read.lonlat import to_lonlat

    plan = plan_layer(path, read_options)
    if plan is None:
        from geo.read.io import read_features

        feats = read_features(path, **dict(read_options))
        return gpd.GeoDataFrame([f.properties for f in feats],
                                geometry=[f.geometry for f in feats], crs="EPSG:4326")
    assert big_format(path) is not None
    frames = []
    budget = _Budget(plan.source, max_seconds=plan.max_seconds)
    with _boundary(budget):
        for part in plan.parts:
            for b in read_batches(part, budget, fields=None):
                present = ~shapely.is_missing(b.geoms)
                g = b.geoms.copy()
                g[present] = to_lonlat(b.geoms[present], plan.crs, plan.swap_axes)
                frames.append(gpd.GeoDataFrame({k: v for k, v in b.columns.items()},
                                               geometry=list(g), crs="EPSG:4326"))
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def write_tagged(layer: str | Path, out: str | Path, zones: ZoneSet, *,
                 labels: Labels | None = None, read_options: Mapping[str, Any] | None = None,
                 inputs: Iterable[str | Path | None] = ()) -> Path | None:
    """Write the layer's features with the tag columns to ``out`` (format by extension).

    ``labels`` are those of a count of a GeoParquet / FlatGeobuf layer (one per row, in
    file order: what either engine computed); other layers are tagged here by the same
    core. The output may not be an input (the output guard).

    Raises
    ------
    OutputError
        An extension gazamap does not write, or a refused target.
    """
    target = Path(str(out))
    fmt = TAG_FORMATS.get(target.suffix.lower())
    if fmt is None:
        what = repr(target.suffix) if target.suffix else "a name without an extension"
        raise OutputError(f"cannot write features as {what}", source=str(out),
                          fix="end the name with " + ", ".join(sorted(TAG_FORMATS)))
    from geo.write.outputs import check_output

    check_output(out, [layer, *inputs])  # refused before any work
    p = Path(layer)
    if fmt == "geoparquet" and labels is not None:
        from geo.read.arrow import plan_layer

        plan = plan_layer(p, dict(read_options or {}))
        if plan is not None:  # big in, GeoParquet out: streamed, one batch in memory
            return write_output(out, _stream_parquet(plan, labels, zones),
                                inputs=[layer, *inputs], stdout_ok=False)
    gdf = _frame(p, dict(read_options or {}))
    if labels is not None and len(labels.zone) == len(gdf):
        for k, v in tag_columns(labels, zones).items():
            gdf[k] = v
    else:
        gdf = tag_frame(gdf, zones)
    data = _encode(gdf, fmt)
    return write_output(out, data, inputs=[layer, *inputs],
                        stdout_ok=fmt in ("csv", "geojson"))


def _stream_parquet(plan: LayerPlan, labels: Labels, zones: ZoneSet) -> Iterator[bytes]:
    """The layer as GeoParquet chunks, one batch in memory at a time.

    Each batch keeps its columns as read (types intact), with the geometry in lon/lat
    WKB and the tag columns.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.read.arrow import read_batches
    from geo.read.base import _boundary, _Budget
    from geo.read.lonlat import to_lonlat

    tags = tag_columns(labels, zones)
    budget = _Budget(plan.source, max_seconds=plan.max_seconds)
    sink = io.BytesIO()
    writer = None
    row = 0
    types = {"zone": pa.string(), "governorate": pa.string(), "in_band": pa.bool_()}
    with _boundary(budget):
        for part in plan.parts:
            for b in read_batches(part, budget, fields=None):
                rb = b.arrow
                n = rb.num_rows
                geoms = b.geoms.copy()
                present = b.present
                geoms[present] = to_lonlat(geoms[present], plan.crs, plan.swap_axes)
                cols = {name: rb.column(name) for name in rb.schema.names
                        if name != b.geometry_column and name not in TAG_COLUMNS}
                for name, values in tags.items():
                    cols[name] = pa.array(values[row:row + n].tolist(), type=types[name])
                cols["geometry"] = pa.array(shapely.to_wkb(geoms).tolist(), type=pa.binary())
                table = pa.table(cols)
                if writer is None:
                    schema = table.schema.with_metadata({b"geo": _geo_meta()})
                    writer = pq.ParquetWriter(sink, schema)
                writer.write_table(table.cast(writer.schema))
                row += n
                yield _drain(sink)
    if writer is not None:
        writer.close()  # the footer: a GeoParquet reader needs the metadata there
    yield _drain(sink)


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


def _geo_meta() -> bytes:
    import json

    # no "crs": lon/lat (OGC:CRS84); the types are not known before the end of the
    # stream, and an empty list is GeoParquet's "any"
    return json.dumps({"version": "1.0.0", "primary_column": "geometry", "columns": {
        "geometry": {"encoding": "WKB", "geometry_types": []}}}).encode()


def _encode(gdf: Any, fmt: str) -> bytes:
    if fmt == "geoparquet":
        buf = io.BytesIO()
        gdf.to_parquet(buf, index=False)
        return buf.getvalue()
    if fmt == "geojson":
        return str(gdf.to_json(drop_id=True)).encode("utf-8")
    if fmt == "csv":
        return _csv(gdf)
    import pyogrio

    driver = {"gpkg": "GPKG", "flatgeobuf": "FlatGeobuf"}[fmt]
    with tempfile.TemporaryDirectory(prefix="gazamap-tag-") as td:
        path = Path(td) / f"features.{'gpkg' if fmt == 'gpkg' else 'fgb'}"
        frame = gdf.copy()
        for c in frame.columns:
            if c != frame.geometry.name and frame[c].dtype == object:
                frame[c] = frame[c].map(lambda v: None if v is None else str(v)
                                        if not isinstance(v, bool | int | float) else v)
        pyogrio.write_dataframe(frame, path, driver=driver, layer="features")
        return path.read_bytes()


def _cell(v: Any) -> Any:
    """A CSV cell: missing (None, NaN, pandas NA) empty, text neutralised."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or type(v).__name__ == "NAType":
        return ""
    return csv_cell(v)


def _csv(gdf: Any) -> bytes:
    import csv

    geoms = np.asarray(gdf.geometry.values, dtype=object)
    present = ~shapely.is_missing(geoms)
    from geo.read.points import rep_xy

    xy = np.full((len(geoms), 2), np.nan)
    if present.any():
        xy[present] = rep_xy(geoms[present])
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow([csv_cell(c) for c in [*cols, "lon", "lat", "wkt"]])
    values = [gdf[c].tolist() for c in cols]
    wkt = shapely.to_wkt(geoms, rounding_precision=7)
    for i in range(len(gdf)):
        row = [_cell(v[i]) for v in values]
        lon, lat = xy[i]
        row += ["" if np.isnan(lon) else round(float(lon), 7),
                "" if np.isnan(lat) else round(float(lat), 7), csv_cell(wkt[i] or "")]
        w.writerow(row)
    return buf.getvalue().encode("utf-8")
