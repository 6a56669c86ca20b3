"""Leaflet rendering of aggregated point layers (:class:`layers.aggregate.BinsLayer`).

The bins are drawn on one canvas (Leaflet's canvas renderer: thousands of polygons cost
one element, not thousands of SVG paths), coloured by their count class, with the count
in the tooltip (inserted as text). When the layer carries its points, they replace the
bins from the layer's ``min_zoom`` on, drawn on the canvas for the visible area only.
"""

from __future__ import annotations

import html
from typing import Any

from shapely.geometry import mapping

from layers.aggregate import BinsLayer
from maps.html import script_json

__all__ = ["bins_spec", "bins_element", "BINS_JS"]

# The bins and points of one layer; `spec` is JSON made safe for <script>.
BINS_JS = r"""(function (map, spec) {
  "use strict";
  // Own pane above the overlay pane: the SVG of the zones beneath would take the mouse
  // (and the tooltips) from the canvas otherwise.
  var pane = "gz-bins-" + spec.id;
  if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = 410; }
  var renderer = L.canvas({padding: 0.3, pane: pane});
  function tip(f) {
    var div = document.createElement("div"), b = document.createElement("strong");
    div.className = "gz-tip";
    b.textContent = spec.name;
    div.appendChild(b);
    var p = document.createElement("div");
    p.className = "gz-bin-count";
    p.textContent = spec.label + ": " + f.properties.t;
    div.appendChild(p);
    return div;
  }
  var bins = L.geoJSON(spec.data, {
    renderer: renderer, pane: pane,
    style: function (f) {
      var s = {};
      for (var k in spec.style) { s[k] = spec.style[k]; }
      s.fillColor = f.properties.c;
      s.renderer = renderer;
      return s;
    },
    onEachFeature: function (f, lyr) {
      lyr.bindTooltip(function () { return tip(f); },
                      {sticky: true, direction: "top", className: "gz-tooltip"});
    }
  });
  var group = L.featureGroup([bins], {attribution: spec.attribution});
  group.gzBins = bins;
  if (spec.points) {
    var P = spec.points, dots = L.layerGroup(), xy = P.xy, n = xy.length / 2;
    var dot = {renderer: renderer, pane: pane, radius: 3, stroke: false, fillOpacity: 0.85,
               fillColor: spec.pointColour, interactive: false};
    group.addLayer(dots);
    var redraw = function () {
      dots.clearLayers();
      if (!map.hasLayer(group)) { return; }
      var near = map.getZoom() >= P.minZoom;
      if (!near) { if (!group.hasLayer(bins)) { group.addLayer(bins); } return; }
      if (group.hasLayer(bins)) { group.removeLayer(bins); }
      var b = map.getBounds(), w = b.getWest(), e = b.getEast(), s = b.getSouth(),
          nn = b.getNorth(), drawn = 0;
      for (var i = 0; i < n && drawn < P.maxInView; i++) {
        var lon = (P.origin[0] + xy[2 * i]) / P.scale,
            lat = (P.origin[1] + xy[2 * i + 1]) / P.scale;
        if (lon >= w && lon <= e && lat >= s && lat <= nn) {
          dots.addLayer(L.circleMarker([lat, lon], dot));
          drawn++;
        }
      }
    };
    map.on("zoomend moveend overlayadd", redraw);
    group.on("add", function () { setTimeout(redraw, 0); });
  }
  return group;
})"""


def _display_ring(geom: Any) -> dict[str, Any]:
    # 5 decimals (about a metre) as every displayed vertex (maps.interactive)
    g = mapping(geom)
    g["coordinates"] = [[[round(x, 5), round(y, 5)] for x, y in ring]
                        for ring in g["coordinates"]]
    return g


def bins_spec(layer: BinsLayer, name: str, point_colour: str, lang: str = "en"
              ) -> dict[str, Any]:
    """The JSON the bins script draws: bins with count (text) and colour, the points."""
    from maps.interactive import leaflet_style

    feats = [{"type": "Feature", "geometry": _display_ring(f.geometry),
              "properties": {"t": str(f.properties["count"]), "n": int(f.properties["n"]),
                             "c": str(f.properties["fill"])}}
             for f in layer.features]
    spec: dict[str, Any] = {
        "id": layer.id, "name": name,
        "label": "points" if lang != "ar" else "النقاط",
        "style": leaflet_style(layer.style, layer.id),
        "attribution": html.escape(layer.attribution),
        "data": {"type": "FeatureCollection", "features": feats},
        "pointColour": point_colour, "points": None,
    }
    if layer.points is not None:
        spec["points"] = {"origin": list(layer.points.origin), "xy": layer.points.xy,
                          "scale": layer.points.scale, "minZoom": layer.points.min_zoom,
                          "maxInView": 50_000}
    return spec


def bins_element(layer: BinsLayer, name: str, *, show: bool, point_colour: str,
                 lang: str = "en") -> Any:
    """A folium layer (listed in the layer control) that draws a :class:`BinsLayer`."""
    from folium.map import Layer as FoliumLayer
    from folium.template import Template

    class BinsElement(FoliumLayer):  # type: ignore[misc]
        _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.js }}({{ this._parent.get_name() }}, {{ this.spec_json }});
{% endmacro %}
""")

        def __init__(self) -> None:
            label = f'<span dir="auto">{html.escape(name)}</span>'
            super().__init__(name=label, overlay=True, control=True, show=show)
            self._name = "GzBins"
            self.js = BINS_JS
            self.spec_json = script_json(bins_spec(layer, name, point_colour, lang))

    return BinsElement()
