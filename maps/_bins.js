(function (map, spec) {
  "use strict";
  // Own pane above the overlay pane: the SVG of the zones beneath would take the mouse
  // (and the tooltips) from the canvas otherwise.
  var pane = "gz-bins-" + spec.id;
  if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = 410; }
  var renderer = L.canvas({padding: 0.3, pane: pane});

  // Typed arrays from base64 (little-endian, as numpy writes them).
  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out.buffer;
  }
  function typed(enc) {
    var buf = bytes(enc.b64);
    if (enc.dtype === "u1") { return new Uint8Array(buf); }
    if (enc.dtype === "u2") { return new Uint16Array(buf); }
    if (enc.dtype === "u4") { return new Uint32Array(buf); }
    return new Int32Array(buf);
  }
  // Metres per degree of latitude and longitude at latitude phi (WGS84): a hexagon is
  // drawn around its centre from one set of vertex offsets in metres.
  var A = 6378137.0, E2 = 0.00669437999014;
  function metresPerDegree(phi) {
    var r = phi * Math.PI / 180, s = Math.sin(r), w = Math.sqrt(1 - E2 * s * s);
    return [Math.PI / 180 * A * Math.cos(r) / w,
            Math.PI / 180 * A * (1 - E2) / (w * w * w)];
  }
  function tip(n) {
    var div = document.createElement("div"), b = document.createElement("strong");
    div.className = "gz-tip";
    b.textContent = spec.name;
    div.appendChild(b);
    var p = document.createElement("div");
    p.className = "gz-bin-count";
    p.textContent = spec.label + ": " + n.toLocaleString("en-US");
    div.appendChild(p);
    return div;
  }

  var B = spec.bins, cx = typed(B.x), cy = typed(B.y), counts = typed(B.n),
      cls = typed(B.k), nb = counts.length, vx = B.vertices_m[0], vy = B.vertices_m[1];
  var bins = L.featureGroup();
  for (var i = 0; i < nb; i++) {
    var lon = (B.origin[0] + cx[i]) / B.scale, lat = (B.origin[1] + cy[i]) / B.scale;
    var m = metresPerDegree(lat), ring = [];
    for (var v = 0; v < vx.length; v++) {
      ring.push([lat + vy[v] / m[1], lon + vx[v] / m[0]]);
    }
    var style = {};
    for (var key in spec.style) { style[key] = spec.style[key]; }
    style.fillColor = B.colours[cls[i]];
    style.renderer = renderer;
    style.pane = pane;
    var poly = L.polygon(ring, style);
    // what a reader of the layer (and the tests) asks a bin: its count and colour
    poly.feature = {properties: {n: counts[i], t: counts[i].toLocaleString("en-US"),
                                 c: style.fillColor}};
    poly.bindTooltip((function (n) { return function () { return tip(n); }; })(counts[i]),
                     {sticky: true, direction: "top", className: "gz-tooltip"});
    bins.addLayer(poly);
  }
  var group = L.featureGroup([bins], {attribution: spec.attribution});
  group.gzBins = bins;
  if (spec.points) {
    var P = spec.points, dots = L.layerGroup(), px = typed(P.x), py = typed(P.y),
        n = px.length;
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
        var lon = (P.origin[0] + px[i]) / P.scale, lat = (P.origin[1] + py[i]) / P.scale;
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
})
