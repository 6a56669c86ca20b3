"""What each layer sends to the interactive map: the JSON spec its script draws.

A vector layer becomes its display GeoJSON (simplified, rounded: :func:`display_geometry`),
its Leaflet path options (:func:`leaflet_style`), the fields its tooltip and popup show
and its provenance rows; a labels layer becomes one row per place name. Feature values
travel as text in lists, never as object keys, and reach the page as JSON made safe for
``<script>`` by the caller (:func:`maps.html.script_json`); attributions, which Leaflet
inserts as HTML, are HTML-escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import mapping

from geo.geometry.precision import round_coordinates
from layers.base import Layer, Style
from maps.html import esc

__all__ = [
    "DISPLAY_DECIMALS",
    "SIMPLIFY_DEG",
    "display_geometry",
    "leaflet_style",
    "layer_geojson",
    "vector_spec",
    "labels_spec",
    "unique_names",
]

# 5 decimals of a degree: at most 0.56 m north-south and 0.48 m east-west at Gaza's
# latitude (half a unit of the last place), so a displayed vertex is within 0.74 m.
# Rounded by geo.geometry.precision.round_coordinates, as the exports are; files keep 7 decimals
# (COORD_DECIMALS, ~1 cm) for re-use, a page only needs what the eye can tell.
DISPLAY_DECIMALS = 5
# Drop vertices within 2e-6 degree (at most 0.22 m) of the simplified line: the densified
# vertices that the partition inserts (geo.geometry.crs.DENSIFY_DEG) carry no shape. With the
# rounding above, a displayed edge stays within 0.22 + 0.74 < 1 m of the data.
SIMPLIFY_DEG = 2e-6


def display_geometry(geom: shapely.Geometry, decimals: int = DISPLAY_DECIMALS
                     ) -> shapely.Geometry:
    """A lon/lat geometry for display only: collinear vertices dropped, rounded.

    Never measure the result: areas are computed on the unrounded geometry.

    >>> from shapely import LineString
    >>> g = display_geometry(LineString([(34.1234567, 31.5), (34.2, 31.5), (34.3, 31.5)]))
    >>> g.wkt
    'LINESTRING (34.12346 31.5, 34.3 31.5)'
    """
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type not in ("Point", "MultiPoint"):
        geom = shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True)
    return round_coordinates(geom, decimals)


def leaflet_style(style: Style, layer_id: str) -> dict[str, Any]:
    """Leaflet path options for a style; paths get the CSS class ``gz-<layer id>``.

    >>> leaflet_style(Style(stroke="#000000", stroke_width=2), "outline")["className"]
    'gz-layer gz-outline'
    """
    out: dict[str, Any] = {
        "className": f"gz-layer gz-{layer_id}",
        "stroke": style.stroke is not None,
        "color": style.stroke or "#000000",
        "weight": style.stroke_width,
        "opacity": style.stroke_opacity,
        "fill": style.fill is not None and style.fill_opacity > 0,
        "fillColor": style.fill or "#000000",
        "fillOpacity": style.fill_opacity,
        "radius": style.radius,
    }
    if style.dash:
        out["dashArray"] = style.dash
    return out


def _halo_style(style: Style, layer_id: str) -> dict[str, Any] | None:
    if style.halo is None:
        return None
    return {"className": f"gz-halo gz-{layer_id}-halo", "stroke": True, "color": style.halo,
            "weight": style.stroke_width + 3, "opacity": style.stroke_opacity,
            "fill": False, "interactive": False}


def _fields(layer: Layer, which: str, index: dict[str, int]) -> list[list[Any]]:
    spec = layer.tooltip_fields if which == "tooltip" else layer.popup_fields
    return [[label, index[prop], "ar" if prop.endswith("_ar") else ""]
            for prop, label in spec if prop in index]


def layer_geojson(layer: Layer) -> tuple[dict[str, Any], dict[str, int]]:
    """The layer's display GeoJSON and the index of each shown property in its values.

    Only the properties that a tooltip or popup shows are sent, as text, in one list
    per feature (``properties.v``) rather than an object, so no key of a user's file
    can reach a JavaScript object (``__proto__``) and keys are not repeated.
    """
    props: list[str] = []
    for prop, _ in (*layer.tooltip_fields, *layer.popup_fields):
        if prop not in props:
            props.append(prop)
    index = {p: i for i, p in enumerate(props)}
    feats = []
    for f in layer.features:
        geom = display_geometry(f.geometry)
        if geom is None or geom.is_empty:
            continue
        values = [_text(f.properties.get(p)) for p in props]
        feats.append({"type": "Feature", "geometry": mapping(geom),
                      "properties": {"v": values}})
    return {"type": "FeatureCollection", "features": feats}, index


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _provenance_rows(layer: Layer, lang: str) -> list[list[str]]:
    """The popup's provenance rows: label, value, and a free third cell."""
    p = layer.provenance
    if p is None:
        rows: list[list[str]] = []
    else:
        values = (("dataset", p.dataset), ("file", p.file), ("title", p.title),
                  ("source", p.source), ("date", p.date), ("licence", p.licence),
                  ("method", p.method))
        rows = [[label, _text(value), ""] for label, value in values if value]
    if layer.illustrative or (p is not None and p.illustrative):
        rows.append(["illustrative", "yes: derived for illustration, not an official line"
                     if lang != "ar" else "نعم", ""])
    return rows


def vector_spec(layer: Layer, name: str, lang: str) -> dict[str, Any]:
    """What the runtime's ``layer()`` draws: data, style, halo, tooltip, popup, provenance.

    ``name`` is the layer's name on the map (made unique by :func:`unique_names`). A
    basemap is drawn but takes no mouse events (no tooltip or popup).
    """
    data, index = layer_geojson(layer)
    return {
        "id": layer.id, "name": name,
        "style": {**leaflet_style(layer.style, layer.id),
                  "interactive": not layer.basemap},
        "halo": _halo_style(layer.style, layer.id), "interactive": not layer.basemap,
        # Leaflet inserts attributions as HTML: escape them
        "attribution": esc(layer.attribution),
        "tooltip": _fields(layer, "tooltip", index), "popup": _fields(layer, "popup", index),
        "provTitle": "Data" if lang != "ar" else "البيانات",
        "provenance": _provenance_rows(layer, lang),
        "data": data,
    }


def labels_spec(layer: Layer, name: str, lang: str) -> dict[str, Any]:
    """What the runtime's ``Labels`` layer draws: one row per place name (see below)."""
    return {"id": layer.id, "name": name, "attribution": esc(layer.attribution),
            "labels": _label_items(layer, lang)}


def _label_items(layer: Layer, lang: str) -> list[list[Any]]:
    """``[lat, lon, text, kind, rank, min_zoom, max_zoom, lang]`` per label, in order."""
    out = []
    for f in layer.features:
        p = f.properties
        text = _text(p.get(layer.label_field or "label"))
        if not text or f.geometry.is_empty:
            continue
        pt = shapely.get_parts(f.geometry)[0]
        kind = "governorate" if p.get("kind") == "governorate" else "city"
        out.append([round(pt.y, DISPLAY_DECIMALS), round(pt.x, DISPLAY_DECIMALS), text,
                    kind, int(p.get("rank", 3)), float(p.get("min_zoom", 0)),
                    float(p.get("max_zoom", 99)), "ar" if lang == "ar" else ""])
    return out


def unique_names(layers: Sequence[Layer]) -> list[str]:
    """The layers' names, a repeated name numbered: ``Points``, ``Points (2)``.

    >>> from layers.base import Layer, Style
    >>> unique_names([Layer("a", "Points", "user", [], Style(), None),
    ...               Layer("b", "Points", "user", [], Style(), None)])
    ['Points', 'Points (2)']
    """
    seen: dict[str, int] = {}
    out = []
    for ly in layers:
        n = seen.get(ly.name, 0) + 1
        seen[ly.name] = n
        out.append(ly.name if n == 1 else f"{ly.name} ({n})")
    return out
