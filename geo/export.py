"""Export zones and layers with their attributes and provenance: GeoJSON, GPKG, KML, CSV.

GeoJSON follows RFC 7946: lon/lat, exterior rings counter-clockwise and holes clockwise,
no ``crs`` member (the provenance travels in a foreign member ``gazamap`` and in every
feature's properties). Every format is written atomically and never over an input.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree as ET

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.analysis import Analysis
from geo.catalog import Catalog
from geo.crs import WGS84
from geo.errors import InputError
from geo.features import Feature
from geo.outputs import check_output, csv_cell, write_output
from geo.sources import Source, resolve
from geo.xmltext import clean_tree

__all__ = [
    "EXPORT_FORMATS",
    "ExportLayer",
    "KmlStyles",
    "format_from_path",
    "partition_layers",
    "source_layer",
    "markers_layer",
    "encode_layers",
    "export_partition",
]

ExportFormat = Literal["geojson", "gpkg", "kml", "csv"]
EXPORT_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "kml", "csv")
_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml",
             ".csv": "csv"}
_PROVENANCE_KEYS = ("ref", "title", "source", "url", "licence", "attribution", "method",
                    "uncertainty_m")


@dataclass(frozen=True)
class ExportLayer:
    """A named layer: lon/lat features and the provenance of the data they come from."""

    name: str
    features: list[Feature]
    provenance: dict[str, Any] = field(default_factory=dict)


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The export format implied by a file name.

    >>> format_from_path("zones.gpkg"), format_from_path("out.GeoJSON")
    ('gpkg', 'geojson')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"cannot tell the format from the extension {suffix!r}",
                         source=str(path), fix="give `format` geojson|gpkg|kml|csv")
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
    """The zones (with km², shares, intervals and provenance) and the dividing lines as used."""
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
        lp = {"layer": "line", "name": ln.words, "dataset": ln.ref,
              "repairs": "; ".join(ln.repairs), **_flat(_src_provenance(ln.source))}
        layers.append(ExportLayer("line" if i == 0 else f"line-{i + 1}",
                                  [Feature(ln.geometry, lp)], _src_provenance(ln.source)))
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


# --- encoders --------------------------------------------------------------------------


def _oriented(g: shapely.Geometry) -> shapely.Geometry:
    """RFC 7946 winding: exterior rings counter-clockwise, holes clockwise."""
    if g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(g, exterior_cw=False)
    return g


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _geojson(layers: list[ExportLayer]) -> bytes:
    feats = [{"type": "Feature",
              "properties": {k: _jsonable(v) for k, v in f.properties.items()},
              "geometry": mapping(_oriented(f.geometry))}
             for layer in layers for f in layer.features]
    doc = {"type": "FeatureCollection", "features": feats,
           "gazamap": {"layers": [{"name": lay.name, "provenance": lay.provenance}
                                  for lay in layers]}}
    return json.dumps(doc, ensure_ascii=False, default=str, sort_keys=False).encode("utf-8")


def _fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(_jsonable(v))


def _csv_value(v: Any) -> Any:
    """A CSV cell: numbers stay numbers; text is neutralised against formula injection."""
    v = _jsonable(v)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return v
    return csv_cell(_fmt_value(v))


def _csv(layers: list[ExportLayer]) -> bytes:
    """One row per feature, geometry as WKT.

    Text cells are quoted and those a spreadsheet would evaluate (``=``, ``+``, ``-``,
    ``@``, tab, CR) start with ``'`` (OWASP CSV injection, :func:`geo.outputs.csv_cell`);
    numbers are written as numbers.
    """
    keys: dict[str, None] = {}
    for lay in layers:
        for f in lay.features:
            keys.update(dict.fromkeys(k for k in f.properties if k != "layer"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    w.writerow([csv_cell(str(k)) for k in ("layer", "lon", "lat", *keys, "wkt")])
    for lay in layers:
        for f in lay.features:
            g = _oriented(f.geometry)
            lon, lat = (g.x, g.y) if g.geom_type == "Point" else ("", "")
            w.writerow([csv_cell(lay.name), lon, lat,
                        *(_csv_value(f.properties.get(k)) for k in keys),
                        shapely.to_wkt(g, rounding_precision=-1)])
    return buf.getvalue().encode("utf-8")


_KML_NS = "http://www.opengis.net/kml/2.2"


def _kml_coords(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)


def _kml_geometry(parent: ET.Element, g: shapely.Geometry) -> None:
    kind = g.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _kml_coords(g.coords)
    elif kind == "LineString":
        ET.SubElement(ET.SubElement(parent, "LineString"),
                      "coordinates").text = _kml_coords(g.coords)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        outer = ET.SubElement(ET.SubElement(poly, "outerBoundaryIs"), "LinearRing")
        ET.SubElement(outer, "coordinates").text = _kml_coords(g.exterior.coords)
        for hole in g.interiors:
            inner = ET.SubElement(ET.SubElement(poly, "innerBoundaryIs"), "LinearRing")
            ET.SubElement(inner, "coordinates").text = _kml_coords(hole.coords)
    else:
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(g):
            _kml_geometry(multi, part)


KmlStyles = Mapping[str, Mapping[str, Any]]
"""KML styles by key: ``{"stroke": "#rrggbb", "stroke_width": px, "fill": "#rrggbb" or
None, "fill_opacity": 0..1}``. Keys: ``zone-<id>`` (a zone placemark), then the layer
name (``line``, ``markers``, a dataset id such as ``places``). ``geo`` holds no palette:
callers pass :func:`layers.styles.kml_styles`."""


def _kml_colour(hex_rgb: str, opacity: float) -> str:
    """``#rrggbb`` and an opacity as KML's ``aabbggrr``.

    >>> _kml_colour("#d55e00", 0.55)
    '8c005ed5'
    """
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{round(max(0.0, min(1.0, opacity)) * 255):02x}{b}{g}{r}".lower()


def _kml_style_id(key: str) -> str:
    return "gz-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in key)


def _kml_style(doc: ET.Element, key: str, st: Mapping[str, Any]) -> None:
    el = ET.SubElement(doc, "Style", id=_kml_style_id(key))
    stroke = st.get("stroke")
    if stroke:
        ls = ET.SubElement(el, "LineStyle")
        ET.SubElement(ls, "color").text = _kml_colour(stroke, float(st.get("stroke_opacity", 1)))
        ET.SubElement(ls, "width").text = f"{float(st.get('stroke_width', 1)):g}"
    fill = st.get("fill")
    ps = ET.SubElement(el, "PolyStyle")
    if fill:
        ET.SubElement(ps, "color").text = _kml_colour(fill, float(st.get("fill_opacity", 0.5)))
    else:
        ET.SubElement(ps, "fill").text = "0"
    point = fill or stroke
    if point:
        icon = ET.SubElement(el, "IconStyle")
        ET.SubElement(icon, "color").text = _kml_colour(str(point), 1.0)
        ET.SubElement(icon, "scale").text = "0.8"


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


def _kml(layers: list[ExportLayer], styles: KmlStyles | None = None) -> bytes:
    ET.register_namespace("", _KML_NS)
    kml = ET.Element("kml", xmlns=_KML_NS)
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = "gazamap export"
    styles = styles or {}
    for key, st in styles.items():
        _kml_style(doc, key, st)
    for lay in layers:
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
            key = f"zone-{f.properties.get('zone')}" if lay.name == "zones" else lay.name
            if key in styles:
                ET.SubElement(pm, "styleUrl").text = "#" + _kml_style_id(key)
            ext = ET.SubElement(pm, "ExtendedData")
            for k, v in f.properties.items():
                data = ET.SubElement(ext, "Data", name=str(k))
                ET.SubElement(data, "value").text = _fmt_value(v)
            _kml_geometry(pm, _oriented(f.geometry))
    return ET.tostring(clean_tree(kml), encoding="utf-8", xml_declaration=True)


def _gpkg_column(values: list[Any]) -> np.ndarray[Any, Any]:
    present = [v for v in (_jsonable(x) for x in values) if v is not None]
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(values):
        return np.array(values, dtype=bool)
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present) \
            and len(present) == len(values):
        return np.array(values, dtype=np.int64)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in present):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array([None if v is None else _fmt_value(v) for v in values], dtype=object)


def _gpkg(layers: list[ExportLayer]) -> bytes:
    import pyogrio.raw

    with tempfile.TemporaryDirectory(prefix="gazamap-gpkg-") as td:
        path = str(Path(td) / "out.gpkg")
        for n, lay in enumerate(layers):
            geoms = [_oriented(f.geometry) for f in lay.features]
            kinds = {g.geom_type.removeprefix("Multi") for g in geoms}
            gtype = f"Multi{kinds.pop()}" if len(kinds) == 1 else "Unknown"
            if gtype == "MultiPoint" and all(g.geom_type == "Point" for g in geoms):
                gtype = "Point"
            if gtype not in ("Point", "Unknown"):
                geoms = [g if g.geom_type.startswith("Multi") else
                         getattr(shapely, gtype)([g]) for g in geoms]
            keys = list(dict.fromkeys(k for f in lay.features for k in f.properties))
            cols = [_gpkg_column([f.properties.get(k) for f in lay.features]) for k in keys]
            pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), cols, keys,
                              layer=lay.name, driver="GPKG", geometry_type=gtype, crs=WGS84,
                              append=n > 0)
        return Path(path).read_bytes()


def encode_layers(layers: list[ExportLayer], fmt: str, *,
                  kml_styles: KmlStyles | None = None) -> bytes:
    """The layers encoded as ``geojson``, ``gpkg``, ``kml`` or ``csv`` (bytes).

    ``kml_styles`` (see :data:`KmlStyles`) colour the KML's zones and layers.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}", source="`format`",
                         fix=f"use one of {', '.join(EXPORT_FORMATS)}")
    names = [lay.name for lay in layers]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(f"two layers are named {dup!r}", source="`include`",
                         fix="include each dataset once")
    if fmt == "kml":
        return _kml(layers, kml_styles)
    return {"geojson": _geojson, "gpkg": _gpkg, "csv": _csv}[fmt](layers)


def export_partition(
    out: str | os.PathLike[str],
    analysis: Analysis,
    *,
    fmt: str | None = None,
    include: tuple[str, ...] = (),
    extra_layers: tuple[ExportLayer, ...] = (),
    inputs: Iterable[str | os.PathLike[str]] = (),
    kml_styles: KmlStyles | None = None,
) -> Path:
    """Write the zones, the lines and the ``include``-d datasets or files to ``out``.

    Parameters
    ----------
    out : path
        The output file, written atomically; refused if it is one of ``inputs``.
    analysis : geo.analysis.Analysis
        The partition to export (from :func:`geo.analyse`).
    fmt : str, optional
        ``geojson``, ``gpkg``, ``kml`` or ``csv``; default from ``out``'s extension.
    include : tuple of str
        More layers: dataset ids (``places``, ``governorates``, ...) or files, read with
        the analysis's catalog and read options.
    extra_layers : tuple of ExportLayer
        Layers built by the caller (e.g. the markers a line was built from).
    inputs : iterable of path
        The input files, never to be overwritten.
    kml_styles : mapping, optional
        Colours of the KML output (:data:`KmlStyles`; e.g. ``layers.styles.kml_styles()``).
    """
    fmt = fmt or format_from_path(out)
    inputs = [*inputs, *(s for s in include if Path(s).exists())]
    if str(out) != "-":
        check_output(out, inputs)  # before the work, not only at the write
    request = analysis.request
    layers = partition_layers(analysis)
    layers += list(extra_layers)
    layers += [source_layer(s, catalog=request.catalog, **request.read.kwargs())
               for s in include]
    written = write_output(out, encode_layers(layers, fmt, kml_styles=kml_styles),
                           inputs=inputs, stdout_ok=fmt != "gpkg")
    return written if written is not None else Path(out)
