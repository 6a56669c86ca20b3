"""Export zones and layers with their attributes and provenance, in formats every client opens.

- GeoJSON follows RFC 7946: lon/lat, exterior rings counter-clockwise and holes clockwise,
  no ``crs`` member (the provenance travels in a foreign member ``gazamap`` and in every
  feature's properties).
- GeoPackage 1.2 (what GDAL 3.6 and QGIS 3.22 write and read without a warning), one table
  per layer, byte-identical across runs (``gpkg_contents.last_change`` is the date of the
  newest input dataset, never the time of writing), with a QGIS ``layer_styles`` table.
- KML valid against the OGC KML 2.2 schema: one folder per layer, a ``<Schema>`` per
  layer so that numbers stay numbers (``SimpleField type="double"``), styled placemarks.
- CSV with a ``.csvt`` (GDAL's column types) and a ``.prj``; the geometry as WKT, in a
  GeoJSON file beside it, or left out, so that no cell exceeds a spreadsheet's 32,767
  characters.
- GeoParquet 1.1 (``geo`` metadata with the CRS and a ``bbox`` covering column) and
  FlatGeobuf: one table with a ``layer`` column.

Coordinates are rounded to :data:`geo.geometry.precision.COORD_DECIMALS` decimals in the text
formats (GeoJSON, KML, CSV); every figure was computed before, from full precision. Every
file is written atomically through the output guard and never over an input.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.analysis import Analysis
from geo.catalog import Catalog
from geo.errors import InputError
from geo.geometry.crs import WGS84
from geo.read.features import Feature
from geo.read.sources import Source, resolve
from geo.write.kml import encode_kml
from geo.write.layer import (
    ExportLayer,
    ExportStyles,
    KmlStyles,
    _field_type,
    _fmt_value,
    _jsonable,
    _keys,
    _oriented,
    _published,
    _style_for,
)
from geo.write.outputs import check_output, csv_cell, write_output
from geo.write.styles import qml, sld, symbol_of

__all__ = [
    "EXPORT_FORMATS",
    "CSV_GEOMETRY",
    "CSV_CELL_MAX",
    "GPKG_VERSION",
    "ExportLayer",
    "ExportStyles",
    "KmlStyles",
    "format_from_path",
    "partition_layers",
    "source_layer",
    "markers_layer",
    "encode_layers",
    "csv_documents",
    "sidecar_paths",
    "newest_date",
    "export_partition",
]

ExportFormat = Literal["geojson", "gpkg", "kml", "csv", "parquet", "fgb"]
EXPORT_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "kml", "csv", "parquet", "fgb")
_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml",
             ".csv": "csv", ".parquet": "parquet", ".fgb": "fgb"}
_BINARY = frozenset({"gpkg", "parquet", "fgb"})
_PROVENANCE_KEYS = ("ref", "title", "source", "url", "licence", "attribution", "method",
                    "uncertainty_m")

CsvGeometry = Literal["sidecar", "wkt", "none"]
CSV_GEOMETRY: tuple[str, ...] = ("sidecar", "wkt", "none")
CSV_CELL_MAX = 32_767
"""The most characters a cell holds in Excel and in LibreOffice's .xlsx export."""
GPKG_VERSION = "1.2"
"""GeoPackage version written: GDAL 3.6 / QGIS 3.22 warn on 1.4 ("may only be partially
supported") and their validator rejects 1.4's R-tree triggers; 1.2 is what they write."""
_EPOCH = "1970-01-01"  # last_change when no input dataset is dated (user files only)


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The export format implied by a file name.

    >>> format_from_path("zones.gpkg"), format_from_path("out.GeoJSON")
    ('gpkg', 'geojson')
    >>> format_from_path("z.parquet"), format_from_path("z.fgb")
    ('parquet', 'fgb')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"cannot tell the format from the extension {suffix!r}",
                         source=str(path), fix=f"give `format` {'|'.join(EXPORT_FORMATS)}")
    return _SUFFIXES[suffix]


def _src_provenance(src: Source) -> dict[str, Any]:
    if src.dataset is not None:
        prov = src.dataset.provenance()
        return {k: prov.get(k) for k in _PROVENANCE_KEYS}
    ident = src.identity
    return {"ref": src.ref, "file": ident.get("file"), "sha256": ident.get("sha256"),
            "source": f"user file {ident.get('file')}",
            "licence": "as stated by the file's author",
            "attribution": "", "method": "read by gazamap (geo.read.io)"}


def partition_layers(analysis: Analysis) -> list[ExportLayer]:
    """The zones (with km², shares, intervals and provenance) and the dividing lines as used.

    The lines are the layers ``line``, ``line-2``, ... in their order from the Israel
    border westward; each feature's ``layer`` property is its layer's name.
    """
    srcs = [analysis.boundary, *(ln.source for ln in analysis.lines)]
    datasets = "; ".join(analysis.provenance.datasets)
    licences = "; ".join(_src_provenance(s).get("licence") or "" for s in srcs)
    attrib = "; ".join(a for a in (_src_provenance(s).get("attribution") or ""
                                   for s in srcs) if a)
    method = analysis.method
    zones = []
    for z in analysis.zones:
        props = {
            "layer": "zones",
            "zone": z.id,
            "label": z.label,
            "area_km2": z.area_km2,
            "share_pct": z.share_pct,
            "share_pct_low": z.interval.low if z.interval else None,
            "share_pct_high": z.interval.high if z.interval else None,
            "share_pct_of_365": z.shares_of.get("365"),
            "boundary": analysis.boundary.ref,
            "line": " + ".join(ln.ref for ln in analysis.lines),
            "datasets": datasets,
            "licence": licences,
            "attribution": attrib,
            "method": f"{analysis.lines[0].method} method; {method['area']}",
        }
        zones.append(Feature(z.geometry, props))
    layers = [ExportLayer("zones", zones, {"datasets": datasets, "method": dict(method),
                                           "warnings": [*analysis.notes,
                                                        *analysis.warnings]})]
    for i, ln in enumerate(analysis.lines):
        if ln.geometry is None:
            continue
        name = "line" if i == 0 else f"line-{i + 1}"
        lp = {"layer": name, "name": ln.words, "dataset": ln.ref,
              "repairs": "; ".join(ln.repairs), **_flat(_src_provenance(ln.source))}
        layers.append(ExportLayer(name, [Feature(ln.geometry, lp)],
                                  _src_provenance(ln.source)))
    return layers


def _flat(prov: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in prov.items() if k in ("licence", "attribution", "source")}


def source_layer(spec: str, *, catalog: Catalog | None = None, name: str | None = None,
                 **read_kw: Any) -> ExportLayer:
    """A dataset (by id) or a file as an export layer, every feature tagged with provenance."""
    src = resolve(spec, "any", catalog, **read_kw)
    prov = _src_provenance(src)
    layer = name or (src.dataset.id if src.dataset else Path(spec).stem)
    feats = [Feature(f.geometry, {"layer": layer, **f.properties, "dataset": src.ref,
                                  **_flat(prov)}) for f in src.features]
    return ExportLayer(layer, feats, prov)


def markers_layer(line: Source) -> ExportLayer:
    """The marker points a line was built from, with their position in the line.

    ``order`` is the 1-based position along the line from its northern end; outliers
    (left out) have ``used`` false and no order.
    """
    if line.markers is None:
        raise InputError("this line was not built from markers", source=line.label,
                         fix="give `markers`")
    rank = {i: n + 1 for n, i in enumerate(line.markers.order)}
    feats = [Feature(f.geometry, {"layer": "markers", **f.properties,
                                  "used": i in rank, "order": rank.get(i),
                                  "dataset": line.ref})
             for i, f in enumerate(line.features)]
    return ExportLayer("markers", feats, {"ref": line.ref,
                                          "outliers": list(line.markers.outliers),
                                          "notes": list(line.markers.notes)})


# --- GeoJSON -------------------------------------------------------------------------------


def _geojson(layers: list[ExportLayer]) -> bytes:
    feats = [{"type": "Feature",
              "properties": {k: _jsonable(v) for k, v in f.properties.items()},
              "geometry": mapping(_published(f.geometry))}
             for layer in layers for f in layer.features]
    doc = {"type": "FeatureCollection", "features": feats,
           "gazamap": {"layers": [{"name": lay.name, "provenance": lay.provenance}
                                  for lay in layers]}}
    return json.dumps(doc, ensure_ascii=False, default=str, sort_keys=False).encode("utf-8")


# --- CSV -----------------------------------------------------------------------------------


def _csv_value(v: Any) -> Any:
    """A CSV cell: numbers stay numbers (booleans 1/0); text is neutralised."""
    v = _jsonable(v)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float):
        return v
    return csv_cell(_fmt_value(v))


_CSVT = {"bool": "Integer(Boolean)", "int": "Integer64", "real": "Real", "text": "String"}


def sidecar_paths(out: str | os.PathLike[str], fmt: str,
                  csv_geometry: str = "sidecar") -> list[Path]:
    """The files written beside ``out``: for CSV its ``.csvt``, ``.prj`` and geometry file.

    >>> [p.name for p in sidecar_paths("zones.csv", "csv")]
    ['zones.csvt', 'zones.prj', 'zones.geometry.geojson']
    >>> sidecar_paths("zones.csv", "csv", "none"), sidecar_paths("z.kml", "kml")
    ([], [])
    """
    if fmt != "csv" or str(out) == "-":
        return []
    p = Path(out)
    paths = []
    if csv_geometry != "none":
        paths += [p.with_suffix(".csvt"), p.with_suffix(".prj")]
    if csv_geometry == "sidecar":
        paths.append(p.with_name(p.stem + ".geometry.geojson"))
    return paths


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
    types = {k: _field_type(f.properties.get(k) for lay in layers for f in lay.features)
             for k in keys}
    head = ["layer", "feature_id", "lon", "lat", *keys]
    ctypes = ["String", "Integer", "Real", "Real", *(_CSVT[types[k]] for k in keys)]
    if geometry == "wkt":
        head.append("wkt")
        ctypes.append("WKT")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    w.writerow([csv_cell(str(k)) for k in head])
    side: list[dict[str, Any]] = []
    fid = 0
    for lay in layers:
        for f in lay.features:
            fid += 1
            g = _published(f.geometry)
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
            elif geometry == "sidecar":
                side.append({"type": "Feature", "id": fid,
                             "properties": {"layer": lay.name, "feature_id": fid},
                             "geometry": mapping(g)})
            w.writerow(row)
    docs = {"": buf.getvalue().encode("utf-8")}
    if geometry != "none":
        docs[".csvt"] = (",".join(f'"{t}"' for t in ctypes) + "\n").encode("ascii")
        docs[".prj"] = _prj().encode("ascii")
    if geometry == "sidecar":
        docs[".geometry.geojson"] = json.dumps(
            {"type": "FeatureCollection", "features": side}).encode("utf-8")
    return docs


def _prj() -> str:
    import pyproj

    # WKT1 with the EPSG authority: GDAL's CSV driver reads it and names EPSG:4326
    return str(pyproj.CRS(WGS84).to_wkt("WKT1_GDAL"))


def _csv(layers: list[ExportLayer]) -> bytes:
    return csv_documents(layers, "wkt")[""]


# --- GeoPackage and FlatGeobuf (GDAL through pyogrio) -----------------------------------


def _ogr_column(values: list[Any]) -> np.ndarray[Any, Any]:
    t = _field_type(values)
    complete = all(_jsonable(v) is not None for v in values)
    if t == "bool" and complete:
        return np.array(values, dtype=bool)
    if t == "int" and complete:
        return np.array(values, dtype=np.int64)
    if t in ("int", "real"):
        return np.array([np.nan if _jsonable(v) is None else float(v) for v in values],
                        dtype=float)
    return np.array([None if _jsonable(v) is None else _fmt_value(v) for v in values],
                    dtype=object)


def _ogr_geometries(geoms: list[shapely.Geometry]) -> tuple[str, list[shapely.Geometry]]:
    """The layer's geometry type and its geometries promoted to it (Multi* for areas)."""
    kinds = {g.geom_type.removeprefix("Multi") for g in geoms}
    gtype = f"Multi{kinds.pop()}" if len(kinds) == 1 else "Unknown"
    if gtype == "MultiPoint" and all(g.geom_type == "Point" for g in geoms):
        gtype = "Point"
    if gtype not in ("Point", "Unknown"):
        geoms = [g if g.geom_type.startswith("Multi") else getattr(shapely, gtype)([g])
                 for g in geoms]
    return gtype, geoms


def newest_date(refs: Iterable[str], catalog: Catalog | None = None) -> str:
    """The newest date (``YYYY-MM-DD``) of the datasets ``refs`` (``id@version``).

    A partial date counts from its first day (``2025-10`` is 2025-10-01). Files and
    undated datasets are skipped; with none dated, 1970-01-01.
    """
    from geo.catalog import default_catalog

    cat = catalog or default_catalog()
    dates = [_EPOCH]
    for ref in refs:
        if "@" not in ref:
            continue
        try:
            date = cat.get(ref).date
        except (InputError, KeyError):
            continue
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date.strip())
        if m:
            dates.append(f"{m[1]}-{m[2] or '01'}-{m[3] or '01'}")
    return max(dates)


@contextmanager
def _gdal_date(date: str) -> Iterator[None]:
    """GDAL's clock for the dates it writes (GPKG ``last_change``), restored after.

    ``OGR_CURRENT_DATE`` is GDAL's documented switch for reproducible files; it is a
    process-wide setting, so a GeoPackage written by another thread meanwhile gets the
    same date (never a wrong figure).
    """
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{date}T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def _style_rules(lay: ExportLayer, styles: ExportStyles
                 ) -> tuple[list[tuple[str | None, str, Mapping[str, Any]]], str | None]:
    if lay.name == "zones":
        rules: list[tuple[str | None, str, Mapping[str, Any]]] = []
        for f in lay.features:
            found = _style_for(styles, lay.name, f.properties)
            if found is not None:
                z = str(f.properties.get("zone"))
                rules.append((z, str(f.properties.get("label") or z), found[1]))
        return rules, "zone"
    found = _style_for(styles, lay.name, {})
    return ([(None, lay.name, found[1])] if found else []), None


def _layer_styles_table(path: str, layers: list[ExportLayer], styles: ExportStyles,
                        date: str) -> None:
    """QGIS's ``layer_styles`` table: each layer's default style as QML and SLD.

    QGIS applies the row with ``useAsDefault`` when it opens the layer; the table is
    registered in ``gpkg_contents`` as attributes, as QGIS itself does.
    """
    import pyogrio.raw

    rows: list[dict[str, Any]] = []
    for lay in layers:
        rules, attr = _style_rules(lay, styles)
        if not rules:
            continue
        kind = symbol_of([f.geometry.geom_type for f in lay.features])
        rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": lay.name,
                     "f_geometry_column": "geom", "styleName": lay.name,
                     "styleQML": qml(kind, rules, attr),
                     "styleSLD": sld(lay.name, kind, rules, attr),
                     "useAsDefault": True,
                     "description": f"gazamap {lay.name}: the colours of gazamap's maps",
                     "owner": "", "ui": None,
                     "update_time": np.datetime64(f"{date}T00:00:00", "ms")})
    if not rows:
        return
    names = list(rows[0])
    cols = []
    for n in names:
        vals = [r[n] for r in rows]
        if n == "useAsDefault":
            cols.append(np.array(vals, dtype=bool))
        elif n == "update_time":
            cols.append(np.array(vals, dtype="datetime64[ms]"))
        else:
            cols.append(np.array(vals, dtype=object))
    pyogrio.raw.write(path, None, cols, names, layer="layer_styles", driver="GPKG",
                      append=True, layer_options={"FID": "id"})


def _gpkg(layers: list[ExportLayer], styles: ExportStyles | None = None,
          date: str = _EPOCH) -> bytes:
    """GeoPackage 1.2, one table per layer, reproducible to the byte.

    GDAL writes 1.2's R-tree triggers with that version (1.4's ``update5-7`` make GDAL
    3.6's validator report Req 75); every date it records is ``date``.
    """
    import pyogrio.raw

    with tempfile.TemporaryDirectory(prefix="gazamap-gpkg-") as td, _gdal_date(date):
        path = str(Path(td) / "out.gpkg")
        for n, lay in enumerate(layers):
            gtype, geoms = _ogr_geometries([_oriented(f.geometry) for f in lay.features])
            keys = _keys([lay])
            cols = [_ogr_column([f.properties.get(k) for f in lay.features]) for k in keys]
            pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), cols, keys,
                              layer=lay.name, driver="GPKG", geometry_type=gtype, crs=WGS84,
                              append=n > 0,
                              dataset_options={"VERSION": GPKG_VERSION} if n == 0 else None)
        if styles:
            _layer_styles_table(path, layers, styles, date)
        return Path(path).read_bytes()


def _rows(layers: list[ExportLayer]) -> tuple[list[str], list[list[Any]],
                                               list[shapely.Geometry]]:
    """One table of every layer's features: ``layer`` first, then the union of properties."""
    keys = ["layer", *_keys(layers, skip=("layer",))]
    values = [[lay.name if k == "layer" else f.properties.get(k) for k in keys]
              for lay in layers for f in lay.features]
    geoms = [_oriented(f.geometry) for lay in layers for f in lay.features]
    return keys, values, geoms


def _fgb(layers: list[ExportLayer]) -> bytes:
    """FlatGeobuf: one table (a file holds one layer) with a packed Hilbert R-tree.

    The ``layer`` column names each feature's layer.
    """
    import pyogrio.raw

    keys, values, geoms = _rows(layers)
    gtype, geoms = _ogr_geometries(geoms)
    cols = [_ogr_column([row[i] for row in values]) for i in range(len(keys))]
    with tempfile.TemporaryDirectory(prefix="gazamap-fgb-") as td:
        path = str(Path(td) / "gazamap.fgb")
        pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), cols, keys,
                          layer="gazamap", driver="FlatGeobuf", geometry_type=gtype, crs=WGS84)
        return Path(path).read_bytes()


def _parquet(layers: list[ExportLayer]) -> bytes:
    """GeoParquet 1.1: WKB geometry, one row per feature with its ``layer``.

    The ``geo`` metadata carries the CRS (PROJJSON of EPSG:4326) and a ``bbox`` covering
    column (GeoParquet 1.1) lets readers skip row groups by extent.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError("GeoParquet needs the pyarrow package", source="`format`",
                         fix="pip install 'gazamap[parquet]' (or pyarrow), or export "
                             "GeoPackage or FlatGeobuf") from None
    import geopandas as gpd
    import pandas as pd

    keys, values, geoms = _rows(layers)
    cols = {k: _ogr_column([row[i] for row in values]) for i, k in enumerate(keys)}
    frame = gpd.GeoDataFrame(pd.DataFrame(cols), geometry=list(geoms), crs=WGS84)
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, schema_version="1.1.0", write_covering_bbox=True)
    return buf.getvalue()


# --- the entry points --------------------------------------------------------------------


def _check_layers(layers: list[ExportLayer], fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}", source="`format`",
                         fix=f"use one of {', '.join(EXPORT_FORMATS)}")
    names = [lay.name for lay in layers]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(f"two layers are named {dup!r}", source="`include`",
                         fix="include each dataset once")


def encode_layers(layers: list[ExportLayer], fmt: str, *,
                  styles: ExportStyles | None = None, kml_styles: ExportStyles | None = None,
                  date: str = _EPOCH) -> bytes:
    """The layers encoded as one file of format ``fmt`` (bytes).

    ``styles`` (see :data:`ExportStyles`; ``kml_styles`` is its earlier name) colour the
    KML and fill the GeoPackage's ``layer_styles``; ``date`` (``YYYY-MM-DD``) is the
    GeoPackage's ``last_change``. A CSV here carries WKT (see :func:`csv_documents` for
    the other geometry choices and the files beside it).
    """
    _check_layers(layers, fmt)
    styles = styles if styles is not None else kml_styles
    if fmt == "kml":
        return encode_kml(layers, styles)
    if fmt == "gpkg":
        return _gpkg(layers, styles, date)
    return {"geojson": _geojson, "csv": _csv, "parquet": _parquet, "fgb": _fgb}[fmt](layers)


def _write_with_sidecars(out: str | os.PathLike[str], docs: Mapping[str, bytes],
                         beside: list[Path], inputs: list[str | os.PathLike[str]]) -> Path:
    """Write the files beside ``out``, then ``out``; on failure remove those just created.

    Each file is atomic; together they are all or (as far as new files go) nothing.
    """
    existed = {p: p.exists() for p in beside}
    done: list[Path] = []
    try:
        for suffix, path in zip([s for s in docs if s], beside, strict=True):
            write_output(path, docs[suffix], inputs=inputs)
            done.append(path)
        written = write_output(out, docs[""], inputs=inputs, stdout_ok=True)
    except BaseException:
        for path in done:
            if not existed[path]:
                path.unlink(missing_ok=True)
        raise
    return written if written is not None else Path(out)


def export_partition(
    out: str | os.PathLike[str],
    analysis: Analysis,
    *,
    fmt: str | None = None,
    include: tuple[str, ...] = (),
    extra_layers: tuple[ExportLayer, ...] = (),
    inputs: Iterable[str | os.PathLike[str]] = (),
    styles: ExportStyles | None = None,
    kml_styles: ExportStyles | None = None,
    csv_geometry: str = "sidecar",
) -> Path:
    """Write the zones, the lines and the ``include``-d datasets or files to ``out``.

    Parameters
    ----------
    out : path
        The output file, written atomically; refused if it is one of ``inputs``.
    analysis : geo.analysis.Analysis
        The partition to export (from :func:`geo.analyse`).
    fmt : str, optional
        ``geojson``, ``gpkg``, ``kml``, ``csv``, ``parquet`` or ``fgb``; default from
        ``out``'s extension.
    include : tuple of str
        More layers: dataset ids (``places``, ``governorates``, ...) or files, read with
        the analysis's catalog and read options.
    extra_layers : tuple of ExportLayer
        Layers built by the caller (e.g. the markers a line was built from).
    inputs : iterable of path
        The input files, never to be overwritten.
    styles : mapping, optional
        The colours of the layers (:data:`ExportStyles`; e.g.
        ``layers.styles.export_styles(n_lines)``): KML styles and the GeoPackage's
        ``layer_styles``. ``kml_styles`` is its earlier name.
    csv_geometry : {"sidecar", "wkt", "none"}
        Where a CSV's geometry goes (:func:`csv_documents`); the files beside the CSV
        are :func:`sidecar_paths`.

    Returns
    -------
    Path
        The file written (``out``).
    """
    fmt = fmt or format_from_path(out)
    if fmt == "csv" and csv_geometry not in CSV_GEOMETRY:
        raise InputError(f"unknown CSV geometry {csv_geometry!r}", source="`csv_geometry`",
                         fix=f"use one of {', '.join(CSV_GEOMETRY)}")
    if str(out) == "-" and fmt == "csv" and csv_geometry == "sidecar":
        raise InputError("a CSV on standard output cannot have its geometry file beside it",
                         source="`csv_geometry`",
                         fix="write to a file, or use `csv_geometry` 'wkt' or 'none'")
    inputs = [*inputs, *(s for s in include if Path(s).exists())]
    extra = sidecar_paths(out, fmt, csv_geometry)
    if any(os.path.abspath(p) == os.path.abspath(out) for p in extra):
        raise InputError(f"the CSV's name {Path(out).name!r} is also the name of a file "
                         "written beside it", source=str(out), fix="name the CSV *.csv")
    if str(out) != "-":
        for target in (*extra, out):
            check_output(target, inputs)  # before the work, not only at the write
    request = analysis.request
    layers = partition_layers(analysis)
    layers += list(extra_layers)
    layers += [source_layer(s, catalog=request.catalog, **request.read.kwargs())
               for s in include]
    styles = styles if styles is not None else kml_styles
    if fmt == "csv":
        _check_layers(layers, fmt)
        docs = csv_documents(layers, csv_geometry)
        return _write_with_sidecars(out, docs, extra, inputs)
    refs = [*analysis.provenance.datasets,
            *(str(lay.provenance.get("ref") or "") for lay in layers)]
    data = encode_layers(layers, fmt, styles=styles, date=newest_date(refs, request.catalog))
    written = write_output(out, data, inputs=inputs, stdout_ok=fmt not in _BINARY)
    return written if written is not None else Path(out)
