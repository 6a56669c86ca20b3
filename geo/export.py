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

Coordinates are rounded to :data:`geo.precision.COORD_DECIMALS` decimals in the text
formats (GeoJSON, KML, CSV); every figure was computed before, from full precision. Every
file is written atomically through the output guard and never over an input.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree as ET

import numpy as np
import shapely
from shapely.geometry import mapping

from geo._layer_styles import qml, sld, symbol_of
from geo.analysis import Analysis
from geo.catalog import Catalog
from geo.crs import WGS84
from geo.errors import InputError
from geo.features import Feature
from geo.outputs import check_output, csv_cell, write_output
from geo.precision import round_coordinates
from geo.sources import Source, resolve

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


@dataclass(frozen=True)
class ExportLayer:
    """A named layer: lon/lat features and the provenance of the data they come from."""

    name: str
    features: list[Feature]
    provenance: dict[str, Any] = field(default_factory=dict)


ExportStyles = Mapping[str, Mapping[str, Any]]
"""Styles of an export by key, as plain data: ``{"stroke": "#rrggbb" or None,
"stroke_width": px, "stroke_opacity": 0..1, "fill": "#rrggbb" or None, "fill_opacity":
0..1, "dash": "6 4" or None, "radius": px, "halo": "#rrggbb" or None}``. Keys:
``zone-<id>`` (a zone), then a layer's name (``line``, ``line-2``, ``markers``, a dataset
id such as ``places``), and ``user`` for any other layer. ``geo`` holds no palette:
callers pass :func:`layers.styles.export_styles`. KML placemarks and the GeoPackage's
``layer_styles`` (QML and SLD) are made from them."""
KmlStyles = ExportStyles  # the earlier name


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
            "attribution": "", "method": "read by gazamap (geo.io)"}


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


# --- values and geometry ------------------------------------------------------------------


def _oriented(g: shapely.Geometry) -> shapely.Geometry:
    """RFC 7946 winding: exterior rings counter-clockwise, holes clockwise."""
    if g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(g, exterior_cw=False)
    return g


def _published(g: shapely.Geometry) -> shapely.Geometry:
    """The geometry as a text format writes it: RFC 7946 winding, rounded coordinates."""
    return round_coordinates(_oriented(g))


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(_jsonable(v))


FieldType = Literal["bool", "int", "real", "text"]


def _field_type(values: Iterable[Any]) -> FieldType:
    """The type every present value of a column fits: bool, int, real or text.

    >>> _field_type([1, None, 2.5]), _field_type([True, None]), _field_type([3, "a"])
    ('real', 'bool', 'text')
    >>> _field_type([None]), _field_type([2**40])
    ('text', 'int')
    """
    present = [v for v in (_jsonable(x) for x in values) if v is not None]
    if not present:
        return "text"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "real"
    return "text"


def _keys(layers: Iterable[ExportLayer], skip: tuple[str, ...] = ()) -> list[str]:
    keys: dict[str, None] = {}
    for lay in layers:
        for f in lay.features:
            keys.update(dict.fromkeys(k for k in f.properties if k not in skip))
    return list(keys)


def _style_key(layer: str, props: Mapping[str, Any]) -> str:
    return f"zone-{props.get('zone')}" if layer == "zones" else layer


def _style_for(styles: ExportStyles, layer: str,
               props: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    """The key and style of a feature: its zone's or its layer's, else ``user``'s."""
    for key in (_style_key(layer, props), "user"):
        if key in styles:
            return key, styles[key]
    return None


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
    start with ``'`` (OWASP CSV injection, :func:`geo.outputs.csv_cell`).
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


# --- KML -----------------------------------------------------------------------------------

_KML_NS = "http://www.opengis.net/kml/2.2"
_KML_TYPES = {"bool": "bool", "int": "int", "real": "double", "text": "string"}
_INT32 = 2**31 - 1


def _kml_coords(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)


def _kml_geometry(parent: ET.Element, g: shapely.Geometry) -> None:
    """The geometry in the element order of the OGC schema.

    Lines and polygons follow the ground (``tessellate``) rather than cutting through it.
    """
    kind = g.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _kml_coords(g.coords)
    elif kind == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _kml_coords(g.coords)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        ET.SubElement(poly, "tessellate").text = "1"
        outer = ET.SubElement(ET.SubElement(poly, "outerBoundaryIs"), "LinearRing")
        ET.SubElement(outer, "coordinates").text = _kml_coords(g.exterior.coords)
        for hole in g.interiors:
            inner = ET.SubElement(ET.SubElement(poly, "innerBoundaryIs"), "LinearRing")
            ET.SubElement(inner, "coordinates").text = _kml_coords(hole.coords)
    else:
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(g):
            _kml_geometry(multi, part)


def _kml_colour(hex_rgb: str, opacity: float) -> str:
    """``#rrggbb`` and an opacity as KML's ``aabbggrr``.

    >>> _kml_colour("#d55e00", 0.55)
    '8c005ed5'
    """
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{round(max(0.0, min(1.0, opacity)) * 255):02x}{b}{g}{r}".lower()


def _xml_id(prefix: str, n: int, name: str) -> str:
    """An XML ID (NCName) unique by ``n``: ``prefix-n-name`` with other characters as ``-``.

    >>> _xml_id("style", 0, "zone-east"), _xml_id("schema", 2, "my layer:1")
    ('style-0-zone-east', 'schema-2-my-layer-1')
    """
    return f"{prefix}-{n}-" + re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def _kml_style(doc: ET.Element, sid: str, st: Mapping[str, Any]) -> None:
    """A ``<Style>`` with its sub-styles in the schema's order: Icon, Line, Poly."""
    el = ET.SubElement(doc, "Style", id=sid)
    stroke = st.get("stroke")
    fill = st.get("fill")
    point = fill or stroke
    if point:
        icon = ET.SubElement(el, "IconStyle")
        ET.SubElement(icon, "color").text = _kml_colour(str(point), 1.0)
        ET.SubElement(icon, "scale").text = "0.8"
    if stroke:
        ls = ET.SubElement(el, "LineStyle")
        ET.SubElement(ls, "color").text = _kml_colour(stroke, float(st.get("stroke_opacity", 1)))
        ET.SubElement(ls, "width").text = f"{float(st.get('stroke_width', 1)):g}"
    ps = ET.SubElement(el, "PolyStyle")
    if fill:
        ET.SubElement(ps, "color").text = _kml_colour(fill, float(st.get("fill_opacity", 0.5)))
    else:
        ET.SubElement(ps, "fill").text = "0"


def _kml_rows(rows: Iterable[tuple[str, Any]]) -> str:
    """A two-column HTML table (KML descriptions are HTML); every value escaped."""
    cells = "".join(f'<tr><th align="left">{html.escape(str(k))}</th>'
                    f"<td>{html.escape(_fmt_value(v))}</td></tr>"
                    for k, v in rows if v not in (None, "", [], {}))
    return f"<table>{cells}</table>"


_FIGURES = (("zone", "zone"), ("area_km2", "area (km², geodesic)"),
            ("share_pct", "share of the outline (%)"), ("share_pct_low", "interval low (%)"),
            ("share_pct_high", "interval high (%)"), ("share_pct_of_365", "share of 365 km² (%)"),
            ("boundary", "outline"), ("line", "line"), ("datasets", "datasets"),
            ("licence", "licence"), ("attribution", "attribution"), ("method", "method"))


def _round(v: Any) -> Any:
    return f"{v:.2f}" if isinstance(v, float) else v


def _folder_description(lay: ExportLayer) -> str:
    prov = lay.provenance
    rows: list[tuple[str, Any]] = []
    if lay.name == "zones":
        rows += [(f"{f.properties.get('zone')} zone",
                  f"{f.properties.get('area_km2', 0):.2f} km², "
                  f"{f.properties.get('share_pct', 0):.1f} % of the outline "
                  + (f"({f.properties['share_pct_low']:.1f}–"
                     f"{f.properties['share_pct_high']:.1f} %)"
                     if f.properties.get("share_pct_low") is not None else "(no interval)"))
                 for f in lay.features]
        rows.append(("datasets", prov.get("datasets")))
        method = prov.get("method") or {}
        if isinstance(method, Mapping):
            rows += [(f"method: {k}", v) for k, v in method.items() if isinstance(v, str)]
        rows += [("note", w) for w in prov.get("warnings") or []]
    else:
        rows += [(k, v) for k, v in prov.items() if not isinstance(v, dict | list)]
        rows += [(k, "; ".join(map(str, v))) for k, v in prov.items() if isinstance(v, list)]
    return _kml_rows(rows)


def _kml_schema(doc: ET.Element, sid: str, lay: ExportLayer) -> dict[str, FieldType]:
    """The layer's ``<Schema>``: one typed ``SimpleField`` per property."""
    schema = ET.SubElement(doc, "Schema", name=lay.name, id=sid)
    types: dict[str, FieldType] = {}
    for k in _keys([lay]):
        t = _field_type(f.properties.get(k) for f in lay.features)
        if t == "int" and any(abs(int(v)) > _INT32 for f in lay.features
                              if (v := _jsonable(f.properties.get(k))) is not None):
            t = "real"  # KML's int is 32-bit
        types[k] = t
        ET.SubElement(schema, "SimpleField", type=_KML_TYPES[t], name=str(k))
    return types


def _kml_simple(v: Any, t: FieldType) -> str | None:
    v = _jsonable(v)
    if v is None:
        return None
    if t == "bool":
        return "1" if v else "0"
    if t == "real":
        return repr(float(v))
    return _fmt_value(v)


def _kml(layers: list[ExportLayer], styles: ExportStyles | None = None) -> bytes:
    """KML 2.2 in the element order of the OGC schema (``ogckml22.xsd``).

    Document: name, the styles used, one ``<Schema>`` per layer, one ``<Folder>`` per
    layer. Placemark: name, description (zones), styleUrl, ExtendedData (``SchemaData``
    typed by the layer's schema, so GDAL and QGIS read numbers as numbers), geometry.
    """
    ET.register_namespace("", _KML_NS)
    kml = ET.Element("kml", xmlns=_KML_NS)
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = "gazamap export"
    styles = styles or {}
    used: dict[str, str] = {}  # style key -> style id, in first-use order
    for lay in layers:
        for f in lay.features:
            found = _style_for(styles, lay.name, f.properties)
            if found is not None and found[0] not in used:
                used[found[0]] = _xml_id("style", len(used), found[0])
    for key, sid in used.items():
        _kml_style(doc, sid, styles[key])
    schemas = [(_xml_id("schema", n, lay.name), lay) for n, lay in enumerate(layers)]
    types = [_kml_schema(doc, sid, lay) for sid, lay in schemas]
    for (sid, lay), ltypes in zip(schemas, types, strict=True):
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = lay.name
        # HTML as text: ElementTree escapes it once more, so data can never become markup
        ET.SubElement(folder, "description").text = _folder_description(lay)
        for i, f in enumerate(lay.features):
            pm = ET.SubElement(folder, "Placemark")
            label = f.properties.get("name") or f.properties.get("zone") or f"{lay.name} {i + 1}"
            ET.SubElement(pm, "name").text = str(label)
            if lay.name == "zones":
                ET.SubElement(pm, "description").text = _kml_rows(
                    (lab, _round(f.properties.get(k))) for k, lab in _FIGURES)
            found = _style_for(styles, lay.name, f.properties)
            if found is not None:
                ET.SubElement(pm, "styleUrl").text = "#" + used[found[0]]
            data = ET.SubElement(ET.SubElement(pm, "ExtendedData"), "SchemaData",
                                 schemaUrl="#" + sid)
            for k, t in ltypes.items():
                text = _kml_simple(f.properties.get(k), t)
                if text is not None:
                    ET.SubElement(data, "SimpleData", name=str(k)).text = text
            _kml_geometry(pm, _published(f.geometry))
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True)


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
    """GDAL's clock for the dates it writes (GPKG ``last_change``), restored after."""
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
        return _kml(layers, styles)
    if fmt == "gpkg":
        return _gpkg(layers, styles, date)
    return {"geojson": _geojson, "csv": _csv, "parquet": _parquet, "fgb": _fgb}[fmt](layers)


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
        for suffix, path in zip([s for s in docs if s], extra, strict=True):
            write_output(path, docs[suffix], inputs=inputs)
        data = docs[""]
    else:
        refs = [*analysis.provenance.datasets,
                *(str(lay.provenance.get("ref") or "") for lay in layers)]
        data = encode_layers(layers, fmt, styles=styles,
                             date=newest_date(refs, request.catalog))
    written = write_output(out, data, inputs=inputs, stdout_ok=fmt not in _BINARY)
    return written if written is not None else Path(out)
