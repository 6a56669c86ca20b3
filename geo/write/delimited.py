"""CSV exports: one row per feature, numbers kept numbers, no cell a spreadsheet cuts or runs.

The geometry goes in a GeoJSON file beside the CSV (``sidecar``), in a ``wkt`` column, or
nowhere (points keep ``lon`` and ``lat``); a ``.csvt`` gives GDAL and QGIS the column
types and a ``.prj`` the CRS.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import shapely
from shapely.geometry import mapping

from geo.defaults import CSV_GEOMETRY
from geo.errors import InputError
from geo.geometry.crs import WGS84
from geo.read.features import Feature
from geo.write.layer import (
    ExportLayer,
    _field_type,
    _fmt_value,
    _jsonable,
    _keys,
    _published,
)
from geo.write.outputs import csv_cell

__all__ = ["CSV_CELL_MAX", "CSV_GEOMETRY", "csv_documents", "encode_csv"]

CsvGeometry = Literal["sidecar", "wkt", "none"]
CSV_CELL_MAX = 32_767
"""The most characters a cell holds in Excel and in LibreOffice's .xlsx export."""


def _csv_value(v: Any) -> Any:
    """A CSV cell: numbers stay numbers (booleans 1/0); text is neutralised."""
    v = _jsonable(v)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float):
        return v
    return csv_cell(_fmt_value(v))


_CSVT = {"bool": "Integer(Boolean)", "int": "Integer64", "real": "Real", "text": "String"}


def csv_documents(layers: list[ExportLayer],
                  geometry: str = "sidecar") -> dict[str, bytes]:
    """The CSV and the files beside it, by suffix (``""`` is the CSV itself).

    One row per feature: ``layer``, ``feature_id`` (1, 2, ... in file order), ``lon`` and
    ``lat`` of points, the properties, and by ``geometry``:

    - ``"sidecar"``: every geometry in ``.geometry.geojson`` (RFC 7946, each feature with
      the row's ``layer`` and ``feature_id``, to join on), no geometry in the CSV;
    - ``"wkt"``: a ``wkt`` column; refused when a cell would exceed :data:`CSV_CELL_MAX`
      characters (spreadsheets cut such cells, damaging the geometry);
    - ``"none"``: no geometry (points keep ``lon`` and ``lat``).

    ``.csvt`` gives GDAL and QGIS each column's type (numbers read as numbers, the
    ``wkt`` column as geometry) and ``.prj`` the CRS (EPSG:4326); both are written with
    ``sidecar`` and ``wkt``. Text cells are quoted and those a spreadsheet would evaluate
    start with ``'`` (OWASP CSV injection, :func:`geo.write.outputs.csv_cell`).
    """
    if geometry not in CSV_GEOMETRY:
        raise InputError(f"unknown CSV geometry {geometry!r}", source="`csv_geometry`",
                         fix=f"use one of {', '.join(CSV_GEOMETRY)}")
    keys = _keys(layers, skip=("layer",))
    head, ctypes = _columns(layers, keys, geometry)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    w.writerow([csv_cell(str(k)) for k in head])
    side: list[dict[str, Any]] = []
    features = ((lay, f) for lay in layers for f in lay.features)
    for fid, (lay, f) in enumerate(features, start=1):
        g = _published(f.geometry)
        w.writerow(_row(lay, f, fid, g, keys, geometry))
        if geometry == "sidecar":
            side.append({"type": "Feature", "id": fid,
                         "properties": {"layer": lay.name, "feature_id": fid},
                         "geometry": mapping(g)})
    docs = {"": buf.getvalue().encode("utf-8")}
    if geometry != "none":
        docs[".csvt"] = (",".join(f'"{t}"' for t in ctypes) + "\n").encode("ascii")
        docs[".prj"] = _prj().encode("ascii")
    if geometry == "sidecar":
        docs[".geometry.geojson"] = json.dumps(
            {"type": "FeatureCollection", "features": side}).encode("utf-8")
    return docs


def _columns(layers: list[ExportLayer], keys: list[str],
             geometry: str) -> tuple[list[str], list[str]]:
    """The CSV's column names and their GDAL types (the ``.csvt``), ``wkt`` last if asked."""
    types = {k: _field_type(f.properties.get(k) for lay in layers for f in lay.features)
             for k in keys}
    head = ["layer", "feature_id", "lon", "lat", *keys]
    ctypes = ["String", "Integer", "Real", "Real", *(_CSVT[types[k]] for k in keys)]
    if geometry == "wkt":
        head.append("wkt")
        ctypes.append("WKT")
    return head, ctypes


def _row(lay: ExportLayer, f: Feature, fid: int, g: shapely.Geometry, keys: list[str],
         geometry: str) -> list[Any]:
    """One feature's row: layer, id, lon/lat of a point, its properties, its WKT if asked."""
    lon, lat = (g.x, g.y) if g.geom_type == "Point" else ("", "")
    row = [csv_cell(lay.name), fid, lon, lat,
           *(_csv_value(f.properties.get(k)) for k in keys)]
    if geometry == "wkt":
        wkt = shapely.to_wkt(g, rounding_precision=-1)
        if len(wkt) > CSV_CELL_MAX:
            label = f.properties.get("zone") or f.properties.get("name") or fid
            raise InputError(
                f"the WKT of {lay.name} {label!s} is {len(wkt):,} characters long; "
                f"a spreadsheet cell holds {CSV_CELL_MAX:,} and cuts the rest",
                source="`csv_geometry`",
                fix="use `csv_geometry` 'sidecar' (the geometry in a GeoJSON file "
                    "beside the CSV) or 'none', or export GeoJSON or GeoPackage")
        row.append(wkt)
    return row


def _prj() -> str:
    import pyproj

    # WKT1 with the EPSG authority: GDAL's CSV driver reads it and names EPSG:4326
    return str(pyproj.CRS(WGS84).to_wkt("WKT1_GDAL"))


def encode_csv(layers: list[ExportLayer]) -> bytes:
    """The layers as one CSV with a ``wkt`` column (no files beside it)."""
    return csv_documents(layers, "wkt")[""]
