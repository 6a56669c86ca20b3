"""The interactive renderer: layers -> a Leaflet map through folium, safe and reproducible.

folium composes the map (``Map``, ``TileLayer``, ``LayerControl``), with three
departures from its defaults, each for a reason given in issue 3:

- no CDN assets: ``default_js`` / ``default_css`` are emptied (Leaflet is inlined by
  :mod:`maps.html`; jQuery, Bootstrap and Font Awesome are not needed);
- deterministic ids: folium draws element ids from ``os.urandom``; every element gets
  ``f"{map_id}_{n}"`` instead, so the same inputs give the same bytes and two maps with
  different ids can share a page;
- no raw strings: folium's tooltips, popups and layer names are inserted as HTML or into
  JavaScript as given. Here feature data travels as JSON made safe for ``<script>``
  (:func:`maps.html.script_json`) and is put in the page with ``textContent``; layer
  names and attributions, which Leaflet inserts as HTML, are HTML-escaped first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.errors import InputError
from layers.base import Layer, Style
from maps.html import MapParts, area_table_html, esc, script_json, ui

if TYPE_CHECKING:
    import xyzservices

__all__ = [
    "DISPLAY_DECIMALS",
    "SIMPLIFY_DEG",
    "DEFAULT_TILES",
    "IMAGERY_TILES",
    "display_geometry",
    "layer_geojson",
    "leaflet_style",
    "legend_html",
    "resolve_tiles",
    "render_parts",
    "import_folium_lean",
]

# 5 decimals of a degree: at most 0.56 m north-south and 0.48 m east-west at Gaza's
# latitude (half a unit of the last place), so a displayed vertex is within 0.74 m.
DISPLAY_DECIMALS = 5
# Drop vertices within 2e-6 degree (at most 0.22 m) of the simplified line: the densified
# vertices that the partition inserts (geo.crs.DENSIFY_DEG) carry no shape. With the
# rounding above, a displayed edge stays within 0.22 + 0.74 < 1 m of the data.
SIMPLIFY_DEG = 2e-6
DEFAULT_TILES = "OpenStreetMap.Mapnik"
IMAGERY_TILES = "Esri.WorldImagery"


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
    return shapely.transform(geom, lambda c: np.round(c, decimals))


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


_SWATCH = 'width="30" height="16" viewBox="0 0 30 16" aria-hidden="true" focusable="false"'


def _swatch(layer: Layer) -> str:
    """An inline SVG symbol of the layer's legend entry (colours are validated hex)."""
    entry = layer.legend
    assert entry is not None
    s = entry.style
    stroke = s.stroke or "none"
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    fill = s.fill or "none"
    if entry.symbol == "line":
        halo = (f'<line x1="2" y1="8" x2="28" y2="8" stroke="{s.halo}" '
                f'stroke-width="{s.stroke_width + 3:g}"/>' if s.halo else "")
        shape = (f'{halo}<line x1="2" y1="8" x2="28" y2="8" stroke="{stroke}" '
                 f'stroke-width="{s.stroke_width:g}" stroke-opacity="{s.stroke_opacity:g}"'
                 f"{dash}/>")
    elif entry.symbol == "point":
        shape = (f'<circle cx="15" cy="8" r="{min(s.radius, 7):g}" fill="{fill}" '
                 f'fill-opacity="{s.fill_opacity:g}" stroke="{stroke}" '
                 f'stroke-width="{s.stroke_width:g}"{dash}/>')
    else:
        shape = (f'<rect x="2" y="2" width="26" height="12" fill="{fill}" '
                 f'fill-opacity="{s.fill_opacity:g}" stroke="{stroke}" '
                 f'stroke-width="{max(s.stroke_width, 1):g}"{dash}/>')
    return f"<svg {_SWATCH}>{shape}</svg>"


def legend_html(layers: Sequence[Layer], *, map_id: str, lang: str = "en") -> str:
    """The legend: one escaped entry per layer that has one, tied to it by ``data-layer``.

    Entries of hidden layers carry ``hidden``; the map script keeps them in step with
    the layer control. Without JavaScript the legend stays readable as a list.
    """
    items = []
    for ly in layers:
        if ly.legend is None:
            continue
        hidden = "" if ly.show else " hidden"
        note = " *" if ly.illustrative else ""
        items.append(f'<li data-layer="{ly.id}"{hidden}>{_swatch(ly)}'
                     f"<span dir=\"auto\">{esc(ly.legend.label)}{note}</span></li>")
    foot = ""
    if any(ly.illustrative for ly in layers if ly.legend is not None):
        foot = ("<p class=\"gz-note\">* " + esc("illustrative, not an official line"
                                                if lang != "ar" else "توضيحي، ليس خطًا رسميًا")
                + "</p>")
    return (f'<div class="gz-legend" id="{map_id}-legend">'
            f"<h2>{esc(ui(lang)['legend'])}</h2><ul>{''.join(items)}</ul>{foot}</div>")


def resolve_tiles(name: str) -> xyzservices.TileProvider:
    """An xyzservices provider by name (``OpenStreetMap.Mapnik``, ``Esri.WorldImagery``...).

    Raises
    ------
    geo.errors.InputError
        For an unknown provider or one that needs an API key.
    """
    import xyzservices

    key = "OpenStreetMap.Mapnik" if name.strip().lower() in ("osm", "openstreetmap") else name
    try:
        provider = xyzservices.providers.query_name(key)
    except ValueError:
        raise InputError(f"unknown tile provider {name!r}", source="--tiles",
                         fix="use an xyzservices name such as OpenStreetMap.Mapnik, "
                             "Esri.WorldImagery or CartoDB.Positron") from None
    if provider.requires_token():
        raise InputError(f"tile provider {name!r} needs an API key", source="--tiles",
                         fix="choose a provider without a key (OpenStreetMap.Mapnik, "
                             "Esri.WorldImagery)")
    return provider


_RUNTIME_JS = r"""(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function rows(table, pairs) {
    for (var i = 0; i < pairs.length; i++) {
      var label = pairs[i][0], value = pairs[i][1], lang = pairs[i][2];
      if (value === undefined || value === null || value === "") { continue; }
      var tr = el("tr"), th = el("th", "", label), td = el("td", "", String(value));
      th.scope = "row"; td.dir = "auto";
      if (lang) { td.lang = lang; }
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    }
    return table;
  }
  function fields(spec, values) {
    return spec.map(function (f) { return [f[0], values[f[1]], f[2]]; });
  }
  function tooltip(spec, values) {
    var div = el("div", "gz-tip");
    div.appendChild(el("strong", "", spec.name));
    div.appendChild(rows(el("table", "gz-fields"), fields(spec.tooltip, values)));
    return div;
  }
  function popup(spec, values) {
    var div = el("div", "gz-popup");
    div.appendChild(el("strong", "", spec.name));
    div.appendChild(rows(el("table", "gz-fields"), fields(spec.popup, values)));
    div.appendChild(el("div", "gz-prov-title", spec.provTitle));
    div.appendChild(rows(el("table", "gz-fields gz-prov"), spec.provenance));
    return div;
  }
  function layer(spec) {
    var style = spec.style;
    // a halo is made first: a group draws its layers in creation order
    var halo = spec.halo ? L.geoJSON(spec.data, {style: function () { return spec.halo; },
                                                interactive: false}) : null;
    var main = L.geoJSON(spec.data, {
      style: function () { return style; },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, style); },
      interactive: spec.interactive,
      onEachFeature: function (f, lyr) {
        if (!spec.interactive) { return; }
        var values = (f.properties && f.properties.v) || [];
        if (spec.tooltip.length) {
          lyr.bindTooltip(function () { return tooltip(spec, values); },
                          {sticky: true, direction: "top", className: "gz-tooltip"});
        }
        lyr.bindPopup(function () { return popup(spec, values); }, {maxWidth: 360});
      }
    });
    return L.featureGroup(halo ? [halo, main] : [main], {attribution: spec.attribution});
  }
  function legend(map, id, layers) {
    var box = document.getElementById(id);
    if (!box) { return; }
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Legend().addTo(map);
    function sync() {
      var items = box.querySelectorAll("li[data-layer]");
      for (var i = 0; i < items.length; i++) {
        var lyr = layers[items[i].getAttribute("data-layer")];
        if (lyr) { items[i].hidden = !map.hasLayer(lyr); }
      }
    }
    map.on("layeradd layerremove", sync);
    sync();
  }
  return {layer: layer, legend: legend};
})()"""


def import_folium_lean() -> None:
    """Import folium without letting it import pandas (for a fresh command-line process).

    folium imports pandas only to accept DataFrames as locations (``folium.utilities``
    falls back to ``pd = None`` when the import fails); gazamap never passes DataFrames.
    pandas costs ~0.2 s of the ~0.7 s that ``gazamap render`` takes, so the command line
    imports folium with pandas hidden for that one import. pandas stays importable
    afterwards (geo.io may need it for GeoPackage/Shapefile input), but *this process's*
    folium will not convert DataFrames: library users, who may want that, should not
    call this.
    """
    import sys

    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]


def _folium_classes() -> tuple[type, type, type]:
    """Build the folium subclasses on first use so that importing this module stays cheap."""
    import folium
    from branca.element import MacroElement
    from folium.map import Layer as FoliumLayer
    from folium.template import Template

    class GazaMap(folium.Map):  # type: ignore[misc]
        """A folium Map with no CDN assets and no page-wide styles or viewport lock."""

        default_js: list[tuple[str, str]] = []
        default_css: list[tuple[str, str]] = []
        _template = Template("""
{% macro html(this, kwargs) %}{{ this.html_snippet }}{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.map_options|tojson }});
L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this.get_name() }});
{{ this.get_name() }}.fitBounds({{ this.fit|tojson }}, {padding: [6, 6]});
var {{ this.get_name() }}_gz = {{ this.runtime }};
{% endmacro %}
""")

    class VectorLayer(FoliumLayer):  # type: ignore[misc]
        """A gazamap layer: safe JSON spec drawn by the map's runtime."""

        _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this._parent.get_name() }}_gz.layer({{ this.spec_json }});
{% endmacro %}
""")

        def __init__(self, spec_json: str, name: str, *, show: bool, control: bool):
            super().__init__(name=name, overlay=True, control=control, show=show)
            self._name = "GzLayer"
            self.spec_json = spec_json

    class Legend(MacroElement):  # type: ignore[misc]
        """The HTML legend, moved into a Leaflet control and kept in step with the layers."""

        _template = Template("""
{% macro html(this, kwargs) %}{{ this.html_snippet }}{% endmacro %}
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}_gz.legend({{ this._parent.get_name() }}, {{ this.box_id|tojson }}, {
{%- for lid, element in this.layer_elements %}
  {{ lid|tojson }}: {{ element.get_name() }}{{ "," if not loop.last }}
{%- endfor %}
});
{% endmacro %}
""")

        def __init__(self, html_snippet: str, box_id: str,
                     layer_elements: list[tuple[str, Any]]):
            super().__init__()
            self._name = "GzLegend"
            self.html_snippet = html_snippet
            self.box_id = box_id
            self.layer_elements = layer_elements

    return GazaMap, VectorLayer, Legend


def _assign_ids(root: Any, map_id: str) -> None:
    """Replace folium's random element ids by ``{map_id}_{n}`` in tree order."""
    counter = 0
    stack = [root]
    while stack:
        node = stack.pop(0)
        node._id = f"{map_id}_{counter}"
        counter += 1
        stack[0:0] = list(node._children.values())


def _provenance_rows(layer: Layer, lang: str) -> list[list[str]]:
    p = layer.provenance
    labels = (("dataset", "dataset"), ("file", "file"), ("title", "title"),
              ("source", "source"), ("date", "date"), ("licence", "licence"),
              ("method", "method"))
    rows = [[lab, _text(p.get(key)), ""] for key, lab in labels if p.get(key)]
    if layer.illustrative or p.get("illustrative"):
        rows.append(["illustrative", "yes: derived for illustration, not an official line"
                     if lang != "ar" else "نعم", ""])
    return rows


def _unique_names(layers: Sequence[Layer]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for ly in layers:
        n = seen.get(ly.name, 0) + 1
        seen[ly.name] = n
        out.append(ly.name if n == 1 else f"{ly.name} ({n})")
    return out


_MAP_CSS = """#{id} .gz-map{{height:{height};min-height:320px;width:100%;background:{bg}}}
#{id} .gz-legend{{background:rgba(255,255,255,.94);padding:6px 10px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);font-size:12px;line-height:1.35;max-width:260px;
 max-height:45vh;overflow:auto}}
#{id} .gz-legend h2{{font-size:12px;margin:0 0 4px}}
#{id} .gz-legend ul{{list-style:none;margin:0;padding:0}}
#{id} .gz-legend li{{display:flex;align-items:center;gap:6px;margin:2px 0}}
#{id} .gz-legend li[hidden]{{display:none}}
#{id} .gz-legend svg{{flex:none}}
#{id} .gz-note{{margin:4px 0 0;font-size:11px;color:#444}}
#{id} .gz-fields{{border-collapse:collapse;font-size:12px}}
#{id} .gz-fields th{{text-align:start;font-weight:600;padding:1px 8px 1px 0;
 vertical-align:top;color:#333}}
#{id} .gz-fields td{{padding:1px 0;max-width:260px;white-space:normal;overflow-wrap:anywhere}}
#{id} .gz-prov-title{{margin-top:6px;font-weight:600;font-size:11px;color:#555;
 border-top:1px solid #ddd;padding-top:4px}}
#{id} .gz-prov td{{font-size:11px;color:#333}}
#{id} .gz-alt{{margin-top:12px;font-size:14px}}
#{id} .gz-table{{border-collapse:collapse;margin:8px 0 14px;font-variant-numeric:tabular-nums}}
#{id} .gz-table caption{{text-align:start;font-weight:600;padding:4px 0}}
#{id} .gz-table th,#{id} .gz-table td{{border:1px solid #ccc;padding:3px 8px;text-align:end}}
#{id} .gz-table th[scope=row]{{text-align:start}}
#{id} .gz-method dd{{margin:0 0 4px 1.2em}}
#{id} path.leaflet-interactive:focus{{outline:none}}
#{id} .leaflet-control-attribution{{max-width:calc(100% - 190px)}}
#{id} .leaflet-tooltip.gz-tooltip{{white-space:normal;min-width:180px;max-width:320px}}"""


def render_parts(
    layers: Sequence[Layer],
    *,
    report: dict[str, Any] | None,
    map_id: str,
    title: str,
    lang: str = "en",
    offline: bool = False,
    tiles: str = DEFAULT_TILES,
    height: str = "72vh",
) -> MapParts:
    """Render layers to the parts of an HTML map (see :func:`maps.html.assemble`).

    Parameters
    ----------
    layers : sequence of Layer
        Bottom first; ``basemap`` layers are drawn but not listed in the layer control.
    report : dict or None
        ``AreaReport.to_dict()`` for the text alternative (area tables, method).
    map_id : str
        Prefix of every element id and JavaScript name (``[A-Za-z][A-Za-z0-9_]*``).
    title, lang : str
        Page title (plain text) and language (``en`` or ``ar``).
    offline : bool
        No tiles: the sea colour as background (the neighbours layer is the land).
    tiles : str
        xyzservices provider shown first when online; an imagery provider is offered
        as the other base layer.
    height : str
        CSS height of the map.
    """
    from folium import LayerControl, TileLayer
    from folium.utilities import JsCode

    from layers.aggregate import BIN_COLOURS, BinsLayer
    from layers.styles import SEA
    from maps._bins import bins_element

    GazaMap, VectorLayer, Legend = _folium_classes()
    shown = [ly for ly in layers if ly.features]
    fit_layers = [ly for ly in shown if ly.id == "outline"] or [
        ly for ly in shown if not ly.basemap] or shown
    if fit_layers:
        x0, y0, x1, y1 = shapely.union_all(
            [f.geometry for ly in fit_layers for f in ly.features]).bounds
    else:
        x0, y0, x1, y1 = 34.21, 31.21, 34.57, 31.6
    fit = [[round(y0, 5), round(x0, 5)], [round(y1, 5), round(x1, 5)]]
    center = [round((y0 + y1) / 2, 5), round((x0 + x1) / 2, 5)]

    m = GazaMap(location=center, tiles=None, zoom_start=11, control_scale=False)
    m.fit = fit
    m.runtime = _RUNTIME_JS
    m.map_options = {"center": center, "zoom": 11, "zoomSnap": 0.25,
                     "attributionControl": True}
    if not offline:
        first = resolve_tiles(tiles)
        names = [first.name] + ([IMAGERY_TILES] if first.name != IMAGERY_TILES
                                else [DEFAULT_TILES])
        for i, pname in enumerate(names):
            prov = first if i == 0 else resolve_tiles(pname)
            TileLayer(tiles=prov, name=esc(prov.name), overlay=False, control=True,
                      show=i == 0).add_to(m)

    elements: list[tuple[str, Any]] = []
    for ly, name in zip(shown, _unique_names(shown), strict=True):
        if isinstance(ly, BinsLayer):  # an aggregated point layer: maps._bins draws it
            bins = bins_element(ly, name, show=ly.show, point_colour=BIN_COLOURS[-1],
                                lang=lang)
            bins.add_to(m)
            elements.append((ly.id, bins))
            continue
        data, index = layer_geojson(ly)
        spec = {
            "id": ly.id, "name": name,
            "style": {**leaflet_style(ly.style, ly.id),
                      "interactive": not ly.basemap},
            "halo": _halo_style(ly.style, ly.id), "interactive": not ly.basemap,
            # Leaflet inserts attributions as HTML: escape them
            "attribution": esc(ly.attribution),
            "tooltip": _fields(ly, "tooltip", index), "popup": _fields(ly, "popup", index),
            "provTitle": "Data" if lang != "ar" else "البيانات",
            "provenance": _provenance_rows(ly, lang),
            "data": data,
        }
        # Leaflet's layer control inserts names as HTML: escape them (folium then
        # writes them with |tojson, which is safe inside <script>)
        # (dir="auto": an English name in an Arabic page keeps its own direction)
        element = VectorLayer(script_json(spec),
                              f'<span dir="auto">{html.escape(name)}</span>',
                              show=ly.show, control=not ly.basemap)
        element.add_to(m)
        elements.append((ly.id, element))

    legend_box = legend_html(shown, map_id=map_id, lang=lang)
    Legend(legend_box, f"{map_id}-legend", elements).add_to(m)
    # added last, so that it lists every layer; collapsed on narrow screens
    LayerControl(position="topright",
                 collapsed=JsCode("window.innerWidth < 1000")).add_to(m)  # type: ignore[arg-type]

    figure = m.get_root()
    _assign_ids(figure, map_id)
    aria = esc(title)
    m.html_snippet = (f'<div class="gz-map" id="{m.get_name()}" role="region" '
                      f'aria-label="{aria}"></div>')
    for child in figure._children.values():
        child.render()
    body_inner = figure.html.render()
    script = figure.script.render()
    datasets = [ly.provenance for ly in shown if ly.provenance]
    table = area_table_html(report, map_id=map_id, lang=lang,
                            datasets=datasets) if report else ""
    body = f'<div class="gz" id="{map_id}">\n{body_inner}\n{table}\n</div>'
    css = _MAP_CSS.format(id=map_id, height=height, bg=SEA if offline else "#ddd")
    return MapParts(map_id=map_id, title=title, lang=lang, css=css, body=body,
                    script=script)
