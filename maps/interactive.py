"""The interactive renderer: layers -> a Leaflet map through folium, safe and reproducible.

folium composes the map (``Map``, ``TileLayer``), with four departures from its
defaults, each for a reason given in issue 3 or issue 10:

- no CDN assets: ``default_js`` / ``default_css`` are emptied (Leaflet is inlined by
  :mod:`maps.html`; jQuery, Bootstrap and Font Awesome are not needed);
- deterministic ids: folium draws element ids from ``os.urandom``; every element gets
  ``f"{map_id}_{n}"`` instead, so the same inputs give the same bytes and two maps with
  different ids can share a page;
- no raw strings: folium's tooltips, popups and layer names are inserted as HTML or into
  JavaScript as given. Here feature data travels as JSON made safe for ``<script>``
  (:func:`maps.html.script_json`) and is put in the page with ``textContent``; layer
  names and attributions, which Leaflet inserts as HTML, are HTML-escaped first;
- one panel instead of folium's ``LayerControl`` and a separate legend: each legend
  entry is its layer's checkbox, the panel collapses (and starts collapsed on maps
  narrower than :data:`NARROW_PX`), so that the controls hide little of the Strip on a
  phone or in a notebook cell. Place names are text in a map pane, placed by zoom and
  most important first, never over each other (the runtime's ``Labels`` layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import mapping

from geo.errors import InputError
from geo.geometry.precision import round_coordinates
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
    "NARROW_PX",
    "COMPACT_PX",
    "resolve_tiles",
    "render_parts",
    "map_description",
    "import_folium_lean",
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


def _label_swatch() -> str:
    return (f'<svg {_SWATCH}><text x="15" y="12.5" text-anchor="middle" font-size="12" '
            'font-weight="700" fill="#1a1a1a" stroke="#ffffff" stroke-width="2.5" '
            'paint-order="stroke">Aa</text></svg>')


def legend_html(layers: Sequence[Layer], *, map_id: str, lang: str = "en",
                bases: Sequence[str] = ()) -> str:
    """The one panel of the map: legend entries that are the layer toggles, base maps.

    Each entry of a layer in the layer control holds a checkbox (``data-layer`` ties it
    to the layer, checked when the layer is shown); basemap entries are legend only.
    ``bases`` are the names of the tile layers to choose from (online maps). The panel
    opens and collapses with its button and starts collapsed on narrow maps (see
    :data:`NARROW_PX`). All text is escaped; without JavaScript the legend stays a list.
    """
    w = ui(lang)
    items = []
    for ly in layers:
        if ly.legend is None:
            continue
        note = " *" if ly.illustrative else ""
        swatch = _label_swatch() if ly.kind == "labels" else _swatch(ly)
        text = f'<span dir="auto">{esc(ly.legend.label)}{note}</span>'
        if ly.basemap:
            items.append(f'<li data-layer="{ly.id}" class="gz-base-entry">'
                         f'<span class="gz-entry">{swatch}{text}</span></li>')
            continue
        checked = " checked" if ly.show else ""
        items.append(f'<li data-layer="{ly.id}"><label class="gz-entry">'
                     f'<input type="checkbox"{checked}>{swatch}{text}</label></li>')
    foot = ""
    if any(ly.illustrative for ly in layers if ly.legend is not None):
        foot = ("<p class=\"gz-note\">* " + esc("illustrative, not an official line"
                                                if lang != "ar" else "توضيحي، ليس خطًا رسميًا")
                + "</p>")
    base_html = ""
    if len(bases) > 1:
        radios = "".join(
            f'<label class="gz-entry"><input type="radio" name="{map_id}-base" '
            f'value="{i}"{" checked" if i == 0 else ""}><span dir="auto">{esc(b)}</span>'
            "</label>" for i, b in enumerate(bases))
        base_html = (f'<fieldset class="gz-bases"><legend>{esc(w["basemap"])}</legend>'
                     f"{radios}</fieldset>")
    return (f'<div class="gz-panel" id="{map_id}-legend">'
            f'<button type="button" class="gz-panel-btn" aria-expanded="true" '
            f'aria-controls="{map_id}-legend-body"><span class="gz-panel-icon" '
            f'aria-hidden="true"></span>{esc(w["legend"])}</button>'
            f'<div class="gz-panel-body" id="{map_id}-legend-body">'
            f"<ul>{''.join(items)}</ul>{base_html}{foot}</div></div>")


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
  var SPOTS = ["translate(-50%,-50%)", "translate(-50%,-115%)", "translate(-50%,15%)",
               "translate(6px,-50%)", "translate(calc(-100% - 6px),-50%)"];
  var Labels = L.LayerGroup.extend({
    // Place names as text in a map pane: shown between their zooms, and only where
    // they do not overlap a more important name (items come most important first).
    initialize: function (spec) {
      L.LayerGroup.prototype.initialize.call(this, [], {attribution: spec.attribution});
      this._items = [];
      for (var i = 0; i < spec.labels.length; i++) {
        var it = spec.labels[i];
        var div = el("div", "gz-label gz-label-" + it[3] + " gz-rank-" + it[4], it[2]);
        div.dir = "auto";
        if (it[7]) { div.lang = it[7]; }
        var icon = L.divIcon({html: div, className: "gz-label-icon", iconSize: null});
        var m = L.marker([it[0], it[1]], {icon: icon, interactive: false, keyboard: false,
                                          pane: "gzLabels"});
        this._items.push({div: div, min: it[5], max: it[6]});
        this.addLayer(m);
      }
    },
    onAdd: function (map) {
      if (!map.getPane("gzLabels")) {
        var pane = map.createPane("gzLabels");
        pane.style.zIndex = 640;
        pane.style.pointerEvents = "none";
      }
      L.LayerGroup.prototype.onAdd.call(this, map);
      map.on("zoomend viewreset resize", this._declutter, this);
      this._declutter();
    },
    onRemove: function (map) {
      map.off("zoomend viewreset resize", this._declutter, this);
      L.LayerGroup.prototype.onRemove.call(this, map);
    },
    _declutter: function () {
      if (!this._map) { return; }
      var z = this._map.getZoom(), placed = [], pad = 3;
      function free(r) {
        for (var j = 0; j < placed.length; j++) {
          var q = placed[j];
          if (r.left - pad < q.right && r.right + pad > q.left &&
              r.top - pad < q.bottom && r.bottom + pad > q.top) { return false; }
        }
        return true;
      }
      for (var i = 0; i < this._items.length; i++) {
        var it = this._items[i], spot = null;
        it.div.classList.remove("gz-off");
        if (z < it.min || z > it.max) { it.div.classList.add("gz-off"); continue; }
        // on the place, else just beside it (a town's name may sit off its centre)
        for (var k = 0; k < SPOTS.length && spot === null; k++) {
          it.div.style.transform = SPOTS[k];
          var r = it.div.getBoundingClientRect();
          if (free(r)) { spot = r; }
        }
        if (spot === null) {
          it.div.style.transform = SPOTS[0];
          it.div.classList.add("gz-off");
        } else { placed.push(spot); }
      }
    }
  });
  function controls(map, opts) {
    // zoom buttons and scale with the page's words (Leaflet's are English), top left:
    // the sea, which the Strip never reaches there
    L.control.zoom({position: "topleft", zoomInTitle: opts.zoomIn,
                    zoomOutTitle: opts.zoomOut}).addTo(map);
    var Scale = L.Control.Scale.extend({
      _updateScale: function (scale, text, ratio) {
        scale.style.width = Math.round(this.options.maxWidth * ratio) + "px";
        scale.textContent = opts.km ? text.replace(" km", " " + opts.km)
                                          .replace(" m", " " + opts.m) : text;
        if (opts.rtl) { scale.dir = "rtl"; }
      }
    });
    new Scale({position: "topleft", imperial: false, maxWidth: 120}).addTo(map);
    if (window.GazamapMeasure && opts.measure) { window.GazamapMeasure(map, opts.measure); }
    // classes by the map's own width (a fragment may sit in a narrow column of a wide
    // page): "gz-compact" puts the attribution on one line (it opens on hover/focus)
    var box = map.getContainer(), attr = box.querySelector(".leaflet-control-attribution");
    function size() {
      var w = map.getSize().x;
      box.classList.toggle("gz-compact", w < opts.compactPx);
      box.classList.toggle("gz-narrow", w < opts.narrowPx);
      if (attr) { attr.style.maxWidth = Math.max(120, w - opts.attrRoomPx) + "px"; }
    }
    size();
    map.on("resize", size);
    // fit the Strip in the space the attribution leaves
    var bottom = attr ? attr.getBoundingClientRect().height : 0;
    map.fitBounds(opts.fit, {paddingTopLeft: [6, 6], paddingBottomRight: [6, 6 + bottom],
                             animate: false});
  }
  function panel(map, id, layers, bases, narrowPx) {
    var box = document.getElementById(id);
    if (!box) { return; }
    var Panel = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Panel().addTo(map);
    var btn = box.querySelector(".gz-panel-btn"), body = box.querySelector(".gz-panel-body");
    function fitHeight() {
      body.style.maxHeight = Math.max(80, map.getSize().y - 110) + "px";
    }
    function setOpen(open) {
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      body.hidden = !open;
      box.classList.toggle("gz-collapsed", !open);
    }
    setOpen(map.getSize().x >= narrowPx);
    fitHeight();
    map.on("resize", fitHeight);
    btn.addEventListener("click", function () { setOpen(body.hidden); });
    var inputs = box.querySelectorAll("li[data-layer] input[type=checkbox]");
    function sync() {
      for (var i = 0; i < inputs.length; i++) {
        var lyr = layers[inputs[i].closest("li").getAttribute("data-layer")];
        if (lyr) { inputs[i].checked = map.hasLayer(lyr); }
      }
    }
    Array.prototype.forEach.call(inputs, function (input) {
      var lyr = layers[input.closest("li").getAttribute("data-layer")];
      if (!lyr) { return; }
      input.addEventListener("change", function () {
        if (input.checked) { map.addLayer(lyr); } else { map.removeLayer(lyr); }
      });
    });
    var radios = box.querySelectorAll(".gz-bases input[type=radio]");
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", function () {
        for (var i = 0; i < bases.length; i++) {
          if (String(i) === radio.value) { map.addLayer(bases[i]); bases[i].bringToBack(); }
          else { map.removeLayer(bases[i]); }
        }
      });
    });
    map.on("layeradd layerremove", sync);
    sync();
  }
  function layerOrLabels(spec) { return spec.labels ? new Labels(spec) : layer(spec); }
  return {layer: layerOrLabels, panel: panel, controls: controls};
})()"""


def import_folium_lean() -> None:
    """Import folium without letting it import pandas (for a fresh command-line process).

    folium imports pandas only to accept DataFrames as locations (``folium.utilities``
    falls back to ``pd = None`` when the import fails); gazamap never passes DataFrames.
    pandas costs ~0.2 s of the ~0.7 s that ``gazamap render`` takes, so the command line
    imports folium with pandas hidden for that one import. pandas stays importable
    afterwards (geo.read.io may need it for GeoPackage/Shapefile input), but *this process's*
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
{{ this.get_name() }}.fitBounds({{ this.fit|tojson }}, {padding: [6, 6]});
var {{ this.get_name() }}_gz = {{ this.runtime }};
{{ this.get_name() }}_gz.controls({{ this.get_name() }}, {{ this.control_words|tojson }});
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
        """The one panel (legend entries are the layer toggles), as a Leaflet control."""

        _template = Template("""
{% macro html(this, kwargs) %}{{ this.html_snippet }}{% endmacro %}
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}_gz.panel({{ this._parent.get_name() }}, {{ this.box_id|tojson }}, {
{%- for lid, element in this.layer_elements %}
  {{ lid|tojson }}: {{ element.get_name() }}{{ "," if not loop.last }}
{%- endfor %}
}, [{%- for element in this.bases %}{{ element.get_name() }}{{ "," if not loop.last }}
{%- endfor %}],
{{ this.narrow_px|tojson }});
{% endmacro %}
""")

        def __init__(self, html_snippet: str, box_id: str,
                     layer_elements: list[tuple[str, Any]], bases: list[Any],
                     narrow_px: int):
            super().__init__()
            self._name = "GzLegend"
            self.html_snippet = html_snippet
            self.box_id = box_id
            self.layer_elements = layer_elements
            self.bases = bases
            self.narrow_px = narrow_px

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


# Below this map width (CSS px) the panel starts collapsed: a phone held upright.
NARROW_PX = 600
# Below this map width the attribution is one line (the full text on hover or focus).
COMPACT_PX = 1000

_MAP_CSS = """#{id} .gz-map{{height:{height};min-height:320px;width:100%;background:{bg}}}
#{id} .gz-panel{{background:rgba(255,255,255,.95);border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);font-size:12px;line-height:1.3;max-width:250px}}
#{id} .gz-panel-btn{{display:flex;align-items:center;gap:6px;width:100%;min-height:30px;
 border:0;background:none;padding:4px 10px;font:inherit;font-weight:600;cursor:pointer;
 color:#1a1a1a;text-align:start}}
#{id} .gz-panel-icon{{display:inline-block;width:10px;height:10px;border:solid #1a1a1a;
 border-width:0 2px 2px 0;transform:rotate(45deg);margin:-4px 2px 0}}
#{id} .gz-collapsed .gz-panel-icon{{transform:rotate(-135deg);margin:4px 2px 0}}
#{id} .gz-panel-body{{padding:0 8px 6px;overflow:auto}}
#{id} .gz-panel ul{{list-style:none;margin:0;padding:0}}
#{id} .gz-entry{{display:flex;align-items:center;gap:5px;margin:1px 0;cursor:pointer}}
#{id} .gz-entry{{min-height:26px}}
#{id} .gz-entry input{{margin:0;flex:none;width:18px;height:18px}}
#{id} .gz-base-entry .gz-entry{{cursor:default;padding-inline-start:23px}}
#{id} .gz-panel svg{{flex:none}}
#{id} .gz-bases{{border:0;border-top:1px solid #ddd;margin:4px 0 0;padding:4px 0 0}}
#{id} .gz-bases legend{{font-weight:600;padding:0}}
#{id} .gz-note{{margin:4px 0 0;font-size:11px;color:#444}}
#{id} .gz-label-icon{{background:none;border:0}}
#{id} .gz-label{{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;
 color:#111;font:600 12px/1.1 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
 "Noto Sans Arabic",sans-serif;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,
 1px 1px 0 #fff,-1px -1px 0 #fff,1px -1px 0 #fff,-1px 1px 0 #fff;pointer-events:none}}
#{id} .gz-label.gz-rank-1{{font-size:14px;font-weight:700}}
#{id} .gz-label.gz-rank-3{{font-size:11px;font-weight:500}}
#{id} .gz-label-governorate{{font-size:10.5px;font-weight:600;letter-spacing:.08em;
 color:#3a3a3a}}
#{id} .gz-label-governorate:lang(ar){{letter-spacing:0;font-size:12px}}
#{id} .gz-label.gz-off{{visibility:hidden}}
#{id} .gz-fields{{border-collapse:collapse;font-size:12px}}
#{id} .gz-fields th{{text-align:start;font-weight:600;padding:1px 8px 1px 0;
 vertical-align:top;color:#333}}
#{id} .gz-fields td{{padding:1px 0;max-width:260px;white-space:normal;overflow-wrap:anywhere}}
#{id} .gz-prov-title{{margin-top:6px;font-weight:600;font-size:11px;color:#555;
 border-top:1px solid #ddd;padding-top:4px}}
#{id} .gz-prov td{{font-size:11px;color:#333}}
#{id} .gz-alt{{margin-top:12px;font-size:14px;overflow-x:auto;max-width:100%}}
#{id} .gz-table{{border-collapse:collapse;margin:8px 0 14px;font-variant-numeric:tabular-nums}}
#{id} .gz-table caption{{text-align:start;font-weight:600;padding:4px 0}}
#{id} .gz-table th,#{id} .gz-table td{{border:1px solid #ccc;padding:3px 8px;text-align:end}}
#{id} .gz-table th[scope=row]{{text-align:start}}
#{id} .gz-method dd{{margin:0 0 4px 1.2em}}
#{id} path.leaflet-interactive:focus{{outline:none}}
#{id} .gz-measure{{background:#fff;display:flex;flex-wrap:wrap;align-items:center;
 max-width:260px}}
#{id} .gz-measure button{{min-width:24px;min-height:30px;border:0;background:#fff;
 font:600 12px system-ui,sans-serif;padding:4px 8px;cursor:pointer;color:#1a1a1a}}
#{id} .gz-measure button[aria-pressed=true]{{background:#1a1a1a;color:#fff}}
#{id} .gz-measure-out{{display:block;width:100%;padding:2px 8px 4px;font-size:12px}}
#{id} .gz-measure [hidden]{{display:none}}
#{id} .gz-measuring{{cursor:crosshair}}
#{id} .leaflet-tooltip.gz-tooltip{{white-space:normal;min-width:180px;max-width:320px}}
#{id} .gz-compact .leaflet-control-attribution{{font-size:10px;line-height:1.35;
 white-space:nowrap;overflow:hidden;text-overflow:ellipsis}}
#{id} .gz-compact .leaflet-control-attribution:hover,
#{id} .gz-compact .leaflet-control-attribution:focus-within{{white-space:normal}}
#{id} .gz-narrow .gz-label{{font-size:11px}}
#{id} .gz-narrow .gz-label.gz-rank-1{{font-size:12.5px}}"""


_MEASURE_WORDS = {
    "en": {"measure": "Measure", "clear": "Clear", "points": "points", "distance": "distance",
           "area": "area", "km": "km", "m": "m", "km2": "km²",
           "hint": "Click on the map: distance along the clicks, area of the polygon "
                   "(geodesic, WGS84)"},
    "ar": {"measure": "قياس", "clear": "مسح", "points": "نقاط", "distance": "المسافة",
           "area": "المساحة", "km": "كم", "m": "م", "km2": "كم²",
           "hint": "انقر على الخريطة: المسافة على طول النقرات ومساحة المضلع (جيوديسية، WGS84)"},
}
_CONTROL_WORDS = {
    "en": {"zoomIn": "Zoom in", "zoomOut": "Zoom out", "km": "", "m": "", "rtl": False,
           "measure": _MEASURE_WORDS["en"]},
    "ar": {"zoomIn": "تكبير", "zoomOut": "تصغير", "km": "كم", "m": "م", "rtl": True,
           "measure": _MEASURE_WORDS["ar"]},
}


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
        ``Analysis.to_dict()`` for the text alternative (area tables, method).
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
    from folium import TileLayer

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
                     "attributionControl": True, "zoomControl": False}
    m.control_words = {**_CONTROL_WORDS["ar" if lang == "ar" else "en"], "fit": fit,
                       "compactPx": COMPACT_PX, "narrowPx": NARROW_PX,
                       "attrRoomPx": 20}
    bases: list[Any] = []
    base_names: list[str] = []
    if not offline:
        first = resolve_tiles(tiles)
        names = [first.name] + ([IMAGERY_TILES] if first.name != IMAGERY_TILES
                                else [DEFAULT_TILES])
        for i, pname in enumerate(names):
            prov = first if i == 0 else resolve_tiles(pname)
            tile = TileLayer(tiles=prov, name=esc(prov.name), overlay=False, control=False,
                             show=i == 0)
            tile.add_to(m)
            bases.append(tile)
            base_names.append(str(prov.name))

    elements: list[tuple[str, Any]] = []
    for ly, name in zip(shown, _unique_names(shown), strict=True):
        if ly.kind == "labels":
            spec: dict[str, Any] = {"id": ly.id, "name": name,
                                    "attribution": esc(ly.attribution),
                                    "labels": _label_items(ly, lang)}
            element = VectorLayer(script_json(spec), esc(name), show=ly.show, control=False)
            element.add_to(m)
            elements.append((ly.id, element))
            continue
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
        # the name is only folium's; the panel shows the escaped legend label
        element = VectorLayer(script_json(spec), esc(name), show=ly.show, control=False)
        element.add_to(m)
        elements.append((ly.id, element))

    # added last, so that it lists every layer; collapsed on narrow maps
    legend_box = legend_html(shown, map_id=map_id, lang=lang, bases=base_names)
    Legend(legend_box, f"{map_id}-legend", elements, bases, NARROW_PX).add_to(m)

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
    zone_names = {ly.id[len("zone-"):]: ly.name for ly in shown if ly.kind == "zones"}
    table = area_table_html(report, map_id=map_id, lang=lang, datasets=datasets,
                            zone_names=zone_names) if report else ""
    body = f'<div class="gz" id="{map_id}">\n{body_inner}\n{table}\n</div>'
    css = _MAP_CSS.format(id=map_id, height=height, bg=SEA if offline else "#ddd")
    return MapParts(map_id=map_id, title=title, lang=lang, css=css, body=body,
                    script=script,
                    description=map_description(title, report, lang, zone_names),
                    offline=offline)


def map_description(title: str, report: dict[str, Any] | None, lang: str = "en",
                    zone_names: dict[str, str] | None = None) -> str:
    """The page's description: its title and the figures of each zone (plain text).

    >>> map_description("T", {"zones": [{"id": "east", "area_km2": 196.912,
    ...     "share_pct": 54.21, "share_pct_low": 50.4, "share_pct_high": 57.9}]})
    'T. East: 196.9 km², 54.2 % of the outline (50.4–57.9 %). Geodesic areas (WGS84).'
    """
    zones = (report or {}).get("zones") or []
    if not zones:
        return title
    parts = []
    for z in zones:
        name = (zone_names or {}).get(z["id"]) or (
            ui(lang).get(z["id"], z["id"]) if lang == "ar" else str(z["id"]).capitalize())
        lo, hi = z.get("share_pct_low"), z.get("share_pct_high")
        rng = f" ({lo:.1f}–{hi:.1f} %)" if lo is not None and hi is not None else ""
        if lang == "ar":
            parts.append(f"{name}: {z['area_km2']:.1f} كم²، {z['share_pct']:.1f} %{rng}")
        else:
            parts.append(f"{name}: {z['area_km2']:.1f} km², {z['share_pct']:.1f} % of the "
                         f"outline{rng}")
    tail = "مساحات جيوديسية (WGS84)." if lang == "ar" else "Geodesic areas (WGS84)."
    return f"{title}. {'; '.join(parts)}. {tail}"
