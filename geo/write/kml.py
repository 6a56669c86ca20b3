"""KML exports: valid against the OGC KML 2.2 schema, typed, styled and tessellated.

One ``<Folder>`` per layer with a ``<Schema>`` that keeps numbers numbers (GDAL and QGIS
read ``SimpleField type="double"`` as a number), styled placemarks, and descriptions as
escaped HTML tables. Every text goes through the one XML sanitiser (:mod:`geo.write.xmltext`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

import shapely

from geo.write.layer import (
    ExportLayer,
    ExportStyles,
    FieldType,
    _field_type,
    _fmt_value,
    _jsonable,
    _keys,
    _published,
    _style_for,
)
from geo.write.xmltext import clean_tree  # the one XML sanitiser (KML, SVG)

__all__ = ["encode_kml"]

_KML_NS = "http://www.opengis.net/kml/2.2"
_KML_TYPES = {"bool": "bool", "int": "int", "real": "double", "text": "string"}
_INT32 = 2**31 - 1


def _kml_text_coords(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)


def _kml_write_geometry(parent: ET.Element, g: shapely.Geometry) -> None:
    """The geometry in the element order of the OGC schema.

    Lines and polygons follow the ground (``tessellate``) rather than cutting through it.
    """
    kind = g.geom_type
    if kind == "Point":
        point = ET.SubElement(parent, "Point")
        ET.SubElement(point, "coordinates").text = _kml_text_coords(g.coords)
    elif kind == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _kml_text_coords(g.coords)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        ET.SubElement(poly, "tessellate").text = "1"
        outer = ET.SubElement(ET.SubElement(poly, "outerBoundaryIs"), "LinearRing")
        ET.SubElement(outer, "coordinates").text = _kml_text_coords(g.exterior.coords)
        for hole in g.interiors:
            inner = ET.SubElement(ET.SubElement(poly, "innerBoundaryIs"), "LinearRing")
            ET.SubElement(inner, "coordinates").text = _kml_text_coords(hole.coords)
    else:
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(g):
            _kml_write_geometry(multi, part)


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


def encode_kml(layers: list[ExportLayer], styles: ExportStyles | None = None) -> bytes:
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
            _kml_write_geometry(pm, _published(f.geometry))
    return ET.tostring(clean_tree(kml), encoding="utf-8", xml_declaration=True)
