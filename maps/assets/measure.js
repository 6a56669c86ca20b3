/* gazamap's measuring tool: a distance along clicks and the area of the drawn polygon,
 * geodesic on the WGS84 ellipsoid with GeographicLib (Karney 2013), the method
 * gazamap uses in Python (pyproj.Geod): a reader gets the figure gazamap would give.
 * Defines window.GazamapMeasure(map, words) once per page (several maps may share it). */
(function () {
  "use strict";
  if (window.GazamapMeasure || !window.GazamapGeodesic) { return; }
  var G = window.GazamapGeodesic.Geodesic.WGS84;
  var DIST = window.GazamapGeodesic.Geodesic.DISTANCE;

  function measureOf(pts) {
    // pts: [[lat, lon], ...] in click order
    var s = 0, i;
    for (i = 1; i < pts.length; i++) {
      s += G.Inverse(pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1], DIST).s12;
    }
    var area = null, perimeter = null;
    if (pts.length >= 3) {
      var poly = G.Polygon(false);
      for (i = 0; i < pts.length; i++) { poly.AddPoint(pts[i][0], pts[i][1]); }
      var r = poly.Compute(false, true);  // the sign follows the orientation: drop it
      area = Math.abs(r.area);
      perimeter = r.perimeter;
    }
    return {distance_m: s, area_m2: area, perimeter_m: perimeter};
  }

  function fmtKm(m, words) {
    return (m >= 1000 ? (m / 1000).toFixed(2) + " " + words.km : m.toFixed(0) + " " + words.m);
  }

  window.GazamapMeasure = function (map, words) {
    var pts = [], active = false, line = null, poly = null, dots = L.layerGroup();
    var Ctl = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "gz-measure leaflet-bar");
        var btn = L.DomUtil.create("button", "gz-measure-btn", box);
        btn.type = "button";
        btn.textContent = words.measure;
        btn.setAttribute("aria-pressed", "false");
        var clear = L.DomUtil.create("button", "gz-measure-clear", box);
        clear.type = "button";
        clear.textContent = words.clear;
        clear.hidden = true;
        var out = L.DomUtil.create("output", "gz-measure-out", box);
        out.setAttribute("aria-live", "polite");
        out.hidden = true;
        L.DomEvent.disableClickPropagation(box);
        function show() {
          var m = measureOf(pts);
          var parts = [words.points + ": " + pts.length];
          if (pts.length >= 2) { parts.push(words.distance + ": " + fmtKm(m.distance_m, words)); }
          if (m.area_m2 !== null) {
            parts.push(words.area + ": " + (m.area_m2 / 1e6).toFixed(3) + " " + words.km2);
          }
          out.textContent = pts.length ? parts.join(" · ") : words.hint;
          out.setAttribute("data-distance-m", String(m.distance_m));
          out.setAttribute("data-area-m2", m.area_m2 === null ? "" : String(m.area_m2));
          out.setAttribute("data-vertices", JSON.stringify(pts));
          var ll = pts.map(function (p) { return [p[0], p[1]]; });
          if (line) { map.removeLayer(line); line = null; }
          if (poly) { map.removeLayer(poly); poly = null; }
          if (ll.length >= 3) {
            poly = L.polygon(ll, {color: "#1a1a1a", weight: 2, dashArray: "4 3",
                                  fillColor: "#ffffff", fillOpacity: 0.35,
                                  interactive: false}).addTo(map);
          } else if (ll.length === 2) {
            line = L.polyline(ll, {color: "#1a1a1a", weight: 2, dashArray: "4 3",
                                   interactive: false}).addTo(map);
          }
        }
        function noPopup() { setTimeout(function () { map.closePopup(); }, 0); }
        function reset() { pts = []; dots.clearLayers(); show(); }
        function onClick(e) {
          pts.push([e.latlng.lat, e.latlng.lng]);
          L.circleMarker(e.latlng, {radius: 4, color: "#1a1a1a", weight: 2, fillColor: "#fff",
                                    fillOpacity: 1, interactive: false}).addTo(dots);
          show();
        }
        btn.addEventListener("click", function () {
          active = !active;
          btn.setAttribute("aria-pressed", active ? "true" : "false");
          clear.hidden = !active;
          out.hidden = !active;
          map.getContainer().classList.toggle("gz-measuring", active);
          // "preclick": a click on a zone is a map click too (a layer's popup stops the
          // "click" from reaching the map); a click measures, it opens no popup
          if (active) {
            dots.addTo(map);
            map.doubleClickZoom.disable();  // two quick clicks are two points
            map.on("preclick", onClick);
            map.on("popupopen", noPopup);
            reset();
          } else {
            map.off("preclick", onClick);
            map.doubleClickZoom.enable();
            map.off("popupopen", noPopup);
            reset();
            map.removeLayer(dots);
          }
        });
        clear.addEventListener("click", reset);
        return box;
      }
    });
    new Ctl().addTo(map);
  };
  window.GazamapMeasure.measureOf = measureOf;
})();
