"""QGIS (QML) and OGC SLD 1.0 styles of an exported layer, from plain style data.

``geo`` holds no palette: the caller passes each style as plain data (see
:data:`geo.write.export.ExportStyles`, made by ``layers.styles.export_styles``), and this module
only spells it in the two languages a GeoPackage's ``layer_styles`` table carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal
from xml.etree import ElementTree as ET

__all__ = ["Symbol", "symbol_of", "qml", "sld"]

Symbol = Literal["fill", "line", "marker"]
StyleData = Mapping[str, Any]
Rule = tuple[str | None, str, StyleData]
"""``(value of the classifying attribute or None, label, style)``."""

# The QGIS release whose style format is written: 3.22 (Debian stable's) and every later
# release read it; the properties are the ``<Option type="Map">`` form QGIS writes since 3.16.
_QGIS_VERSION = "3.22.0"
_SLD = "http://www.opengis.net/sld"
_OGC = "http://www.opengis.net/ogc"


def symbol_of(geom_types: Sequence[str]) -> Symbol:
    """The QGIS symbol type of a layer from its features' geometry types.

    >>> symbol_of(["MultiPolygon", "Polygon"]), symbol_of(["LineString"]), symbol_of(["Point"])
    ('fill', 'line', 'marker')
    """
    kinds = [t.removeprefix("Multi") for t in geom_types]
    # a mixed layer takes its most common kind (QGIS draws one symbol type per layer)
    kind = max(sorted(set(kinds)), key=kinds.count) if kinds else "Polygon"
    return {"Polygon": "fill", "LineString": "line"}.get(kind, "marker")  # type: ignore[return-value]


def _rgba(hex_rgb: str | None, opacity: float) -> str:
    """``#rrggbb`` and an opacity as QGIS's ``r,g,b,a`` (0-255).

    >>> _rgba("#d55e00", 0.55), _rgba(None, 1)
    ('213,94,0,140', '0,0,0,0')
    """
    if not hex_rgb:
        return "0,0,0,0"
    r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(max(0.0, min(1.0, float(opacity))) * 255)}"


def _num(v: Any) -> str:
    return f"{float(v):g}"


def _options(parent: ET.Element, opts: Mapping[str, str]) -> None:
    m = ET.SubElement(parent, "Option", type="Map")
    for k, v in opts.items():
        ET.SubElement(m, "Option", type="QString", name=k, value=v)


def _symbol_layer(parent: ET.Element, cls: str, opts: Mapping[str, str]) -> None:
    lay = ET.SubElement(parent, "layer", {"class": cls, "enabled": "1", "locked": "0",
                                          "pass": "0"})
    _options(lay, opts)


def _dash_qml(dash: str | None) -> dict[str, str]:
    if not dash:
        return {"use_custom_dash": "0", "customdash": "5;2"}
    return {"use_custom_dash": "1", "customdash": ";".join(dash.split()),
            "customdash_unit": "Pixel"}


def _qml_symbol(parent: ET.Element, name: str, kind: Symbol, st: StyleData) -> None:
    sym = ET.SubElement(parent, "symbol", {"type": kind, "name": name, "alpha": "1",
                                           "clip_to_extent": "1", "force_rhr": "0"})
    stroke = st.get("stroke")
    width = _num(st.get("stroke_width", 1))
    stroke_rgba = _rgba(stroke, st.get("stroke_opacity", 1))
    if kind == "fill":
        _symbol_layer(sym, "SimpleFill", {
            "color": _rgba(st.get("fill"), st.get("fill_opacity", 1)),
            "style": "solid" if st.get("fill") else "no",
            "outline_color": stroke_rgba,
            "outline_style": ("no" if not stroke else "dash" if st.get("dash") else "solid"),
            "outline_width": width, "outline_width_unit": "Pixel",
            "joinstyle": "round"})
    elif kind == "line":
        if st.get("halo"):
            _symbol_layer(sym, "SimpleLine", {
                "line_color": _rgba(st["halo"], st.get("stroke_opacity", 1)),
                "line_width": _num(float(st.get("stroke_width", 1)) + 3),
                "line_width_unit": "Pixel", "line_style": "solid",
                "capstyle": "round", "joinstyle": "round"})
        _symbol_layer(sym, "SimpleLine", {
            "line_color": stroke_rgba, "line_width": width, "line_width_unit": "Pixel",
            "line_style": "solid" if stroke else "no", "capstyle": "round",
            "joinstyle": "round", **_dash_qml(st.get("dash"))})
    else:
        _symbol_layer(sym, "SimpleMarker", {
            "name": "circle",
            "color": _rgba(st.get("fill") or stroke, st.get("fill_opacity", 1)),
            "outline_color": stroke_rgba, "outline_style": "solid" if stroke else "no",
            "outline_width": width, "outline_width_unit": "Pixel",
            "size": _num(2 * float(st.get("radius", 4))), "size_unit": "Pixel"})


def qml(kind: Symbol, rules: Sequence[Rule], attribute: str | None = None) -> str:
    """A QGIS layer style (QML): one symbol, or one category per rule of ``attribute``.

    >>> doc = qml("line", [(None, "line", {"stroke": "#f0e442", "stroke_width": 4})])
    >>> 'type="singleSymbol"' in doc and 'value="240,228,66,255"' in doc
    True
    """
    root = ET.Element("qgis", version=_QGIS_VERSION, styleCategories="Symbology")
    if attribute is None or not rules:
        ren = ET.SubElement(root, "renderer-v2", type="singleSymbol", forceraster="0",
                            symbollevels="0", enableorderby="0")
        syms = ET.SubElement(ren, "symbols")
        _qml_symbol(syms, "0", kind, rules[0][2] if rules else {})
    else:
        ren = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=attribute,
                            forceraster="0", symbollevels="0", enableorderby="0")
        cats = ET.SubElement(ren, "categories")
        syms = ET.SubElement(ren, "symbols")
        for i, (value, label, st) in enumerate(rules):
            ET.SubElement(cats, "category", symbol=str(i), value=str(value), label=label,
                          render="true")
            _qml_symbol(syms, str(i), kind, st)
    ET.SubElement(root, "layerGeometryType").text = {"marker": "0", "line": "1",
                                                     "fill": "2"}[kind]
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


def _css(parent: ET.Element, tag: str, params: Mapping[str, str | None]) -> None:
    el = ET.SubElement(parent, f"{{{_SLD}}}{tag}")
    for k, v in params.items():
        if v is not None:
            ET.SubElement(el, f"{{{_SLD}}}CssParameter", name=k).text = v


def _stroke(parent: ET.Element, st: StyleData) -> None:
    if st.get("stroke"):
        _css(parent, "Stroke", {"stroke": st["stroke"],
                                "stroke-width": _num(st.get("stroke_width", 1)),
                                "stroke-opacity": _num(st.get("stroke_opacity", 1)),
                                "stroke-dasharray": st.get("dash") or None})


def _sld_symbolizer(rule: ET.Element, kind: Symbol, st: StyleData) -> None:
    s = f"{{{_SLD}}}"
    if kind == "fill":
        sym = ET.SubElement(rule, s + "PolygonSymbolizer")
        if st.get("fill"):
            _css(sym, "Fill", {"fill": st["fill"],
                               "fill-opacity": _num(st.get("fill_opacity", 1))})
        _stroke(sym, st)
    elif kind == "line":
        if st.get("halo"):
            halo = {**st, "stroke": st["halo"], "dash": None,
                    "stroke_width": float(st.get("stroke_width", 1)) + 3}
            _stroke(ET.SubElement(rule, s + "LineSymbolizer"), halo)
        _stroke(ET.SubElement(rule, s + "LineSymbolizer"), st)
    else:
        graphic = ET.SubElement(ET.SubElement(rule, s + "PointSymbolizer"), s + "Graphic")
        mark = ET.SubElement(graphic, s + "Mark")
        ET.SubElement(mark, s + "WellKnownName").text = "circle"
        colour = st.get("fill") or st.get("stroke")
        if colour:
            _css(mark, "Fill", {"fill": colour,
                                "fill-opacity": _num(st.get("fill_opacity", 1))})
        _stroke(mark, st)
        ET.SubElement(graphic, s + "Size").text = _num(2 * float(st.get("radius", 4)))


def sld(layer: str, kind: Symbol, rules: Sequence[Rule], attribute: str | None = None) -> str:
    """An OGC Styled Layer Descriptor 1.0 of the layer: one rule per style.

    >>> doc = sld("zones", "fill", [("east", "east", {"fill": "#d55e00"})], "zone")
    >>> "<ogc:Literal>east</ogc:Literal>" in doc
    True
    """
    ET.register_namespace("", _SLD)
    ET.register_namespace("ogc", _OGC)
    s = f"{{{_SLD}}}"
    root = ET.Element(s + "StyledLayerDescriptor", version="1.0.0")
    named = ET.SubElement(root, s + "NamedLayer")
    ET.SubElement(named, s + "Name").text = layer
    user = ET.SubElement(named, s + "UserStyle")
    ET.SubElement(user, s + "Name").text = f"gazamap {layer}"
    fts = ET.SubElement(user, s + "FeatureTypeStyle")
    for value, label, st in rules:
        rule = ET.SubElement(fts, s + "Rule")
        ET.SubElement(rule, s + "Name").text = label
        if attribute is not None and value is not None:
            eq = ET.SubElement(ET.SubElement(rule, f"{{{_OGC}}}Filter"),
                               f"{{{_OGC}}}PropertyIsEqualTo")
            ET.SubElement(eq, f"{{{_OGC}}}PropertyName").text = attribute
            ET.SubElement(eq, f"{{{_OGC}}}Literal").text = str(value)
        _sld_symbolizer(rule, kind, st)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
