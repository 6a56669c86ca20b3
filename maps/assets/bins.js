(function (map, spec) {
  "use strict";
  // Own pane above the overlay pane: the SVG of the zones beneath would take the mouse
  // (and the tooltips) from the canvas otherwise.
  var pane = "gz-bins-" + spec.id;
  if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = 410; }
  var renderer = L.canvas({padding: 0.3, pane: pane});  // the points, zoomed in

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
      cls = typed(B.k), nb = counts.length, vx = B.vertices_m[0], vy = B.vertices_m[1],
      nv = vx.length;
  // Every hexagon's vertices (lat, lng), computed once: a bin is its centre plus one
  // hexagon shape in metres, turned into degrees at the centre's latitude.
  var lat0 = new Float64Array(nb), lng0 = new Float64Array(nb),
      vlat = new Float64Array(nb * nv), vlng = new Float64Array(nb * nv);
  for (var i = 0; i < nb; i++) {
    var lon = (B.origin[0] + cx[i]) / B.scale, lat = (B.origin[1] + cy[i]) / B.scale;
    var m = metresPerDegree(lat);
    lat0[i] = lat; lng0[i] = lon;
    for (var v = 0; v < nv; v++) {
      vlat[i * nv + v] = lat + vy[v] / m[1];
      vlng[i * nv + v] = lon + vx[v] / m[0];
    }
  }
  var fills = B.colours.map(function (c) { return c; });
  // Web Mercator at scale 1 (Leaflet's EPSG:3857 projection before its zoom scale), once:
  // a redraw is then a multiply and a subtract per vertex.
  function mx(lng) { return 0.5 + lng / 360; }
  function my(lat) {
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)) / (2 * Math.PI);
  }
  var ux0 = new Float64Array(nb), uy0 = new Float64Array(nb),
      uvx = new Float64Array(nb * nv), uvy = new Float64Array(nb * nv);
  for (var j = 0; j < nb; j++) {
    ux0[j] = mx(lng0[j]); uy0[j] = my(lat0[j]);
    for (var w = 0; w < nv; w++) {
      uvx[j * nv + w] = mx(vlng[j * nv + w]); uvy[j * nv + w] = my(vlat[j * nv + w]);
    }
  }

  // One canvas for all the bins, redrawn when the view settles: tens of thousands of
  // hexagons cost one element and one pass, not a Leaflet layer each.
  var HexBins = L.Layer.extend({
    options: {pane: pane},
    onAdd: function (m) {
      this._map = m;
      var c = this._canvas = L.DomUtil.create("canvas", "gz-bins-canvas leaflet-zoom-hide");
      c.style.pointerEvents = "none";
      this.getPane().appendChild(c);
      m.on("moveend resize", this._draw, this);  // moveend follows every zoom and pan
      m.on("mousemove", this._hover, this);
      m.on("mouseout", this._unhover, this);
      this._draw();
    },
    onRemove: function (m) {
      m.off("moveend resize", this._draw, this);
      m.off("mousemove", this._hover, this);
      m.off("mouseout", this._unhover, this);
      this._unhover();
      L.DomUtil.remove(this._canvas);
    },
    getBounds: function () {
      var b = L.latLngBounds([]);
      for (var i = 0; i < nb; i++) { b.extend([lat0[i], lng0[i]]); }
      return b;
    },
    _draw: function () {
      var m = this._map, c = this._canvas, size = m.getSize(),
          ratio = window.devicePixelRatio || 1;
      var topLeft = m.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(c, topLeft);
      c.width = size.x * ratio; c.height = size.y * ratio;
      c.style.width = size.x + "px"; c.style.height = size.y + "px";
      var ctx = c.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      // container pixel = projected (scale 1) x zoom scale - pixel origin - top left
      var sc = m.options.crs.scale(m.getZoom()), origin = m.getPixelOrigin(),
          ox = origin.x + topLeft.x, oy = origin.y + topLeft.y;
      var st = spec.style, px = this._px = new Float64Array(nb * 2);
      var pad = 50 + (nb ? 2 * Math.abs(uvy[0] - uy0[0]) * sc : 0);
      ctx.lineWidth = st.weight;
      ctx.strokeStyle = st.color;
      // Skia's cost of a path grows faster than its contours: 28,000 hexagons in one path
      // take seconds to build, in paths of 100 a tenth of a second
      var flush = function () {
        ctx.globalAlpha = st.fillOpacity;
        ctx.fill();
        if (st.stroke) { ctx.globalAlpha = st.opacity; ctx.stroke(); }
        ctx.beginPath();
      };
      for (var k = 0; k < fills.length; k++) {  // by colour class, 100 hexagons a path
        ctx.fillStyle = fills[k];
        ctx.beginPath();
        var inPath = 0;
        for (var i = 0; i < nb; i++) {
          if (cls[i] !== k) { continue; }
          var x = ux0[i] * sc - ox, y = uy0[i] * sc - oy;
          if (x < -pad || y < -pad || x > size.x + pad || y > size.y + pad) {
            px[2 * i] = NaN;
            continue;
          }
          px[2 * i] = x; px[2 * i + 1] = y;
          ctx.moveTo(uvx[i * nv] * sc - ox, uvy[i * nv] * sc - oy);
          for (var v = 1; v < nv; v++) {
            ctx.lineTo(uvx[i * nv + v] * sc - ox, uvy[i * nv + v] * sc - oy);
          }
          ctx.closePath();
          if (++inPath === 100) { flush(); inPath = 0; }
        }
        if (inPath) { flush(); }
      }
      ctx.globalAlpha = 1;
    },
    // The bin under the mouse: the nearest drawn centre, if the mouse is inside its
    // hexagon (a point is in the hexagon of the nearest centre of a hexagonal grid).
    _at: function (pt) {
      var px = this._px, best = -1, bd = Infinity;
      if (!px) { return -1; }
      for (var i = 0; i < nb; i++) {
        var dx = px[2 * i] - pt.x, dy = px[2 * i + 1] - pt.y, d = dx * dx + dy * dy;
        if (d < bd) { bd = d; best = i; }
      }
      if (best < 0) { return -1; }
      var m = this._map, ring = [];
      for (var v = 0; v < nv; v++) {
        ring.push(m.latLngToContainerPoint([vlat[best * nv + v], vlng[best * nv + v]]));
      }
      var inside = false;
      for (var a = 0, b = nv - 1; a < nv; b = a++) {
        if ((ring[a].y > pt.y) !== (ring[b].y > pt.y) && pt.x < (ring[b].x - ring[a].x) *
            (pt.y - ring[a].y) / (ring[b].y - ring[a].y) + ring[a].x) { inside = !inside; }
      }
      return inside ? best : -1;
    },
    _hover: function (e) {
      var i = this._at(e.containerPoint);
      if (i < 0) { this._unhover(); return; }
      if (!this._tip) {
        this._tip = L.tooltip({sticky: true, direction: "top", className: "gz-tooltip"});
      }
      if (this._tipFor !== i) { this._tip.setContent(tip(counts[i])); this._tipFor = i; }
      this._tip.setLatLng(e.latlng);
      if (!this._map.hasLayer(this._tip)) { this._tip.addTo(this._map); }
    },
    _unhover: function () {
      if (this._tip && this._map && this._map.hasLayer(this._tip)) {
        this._map.removeLayer(this._tip);
      }
      this._tipFor = -1;
    },
    // what a reader of the layer (and the tests) asks: each bin's count, ring, colour
    gzData: function () {
      var out = [];
      for (var i = 0; i < nb; i++) {
        var ring = [];
        for (var v = 0; v < nv; v++) { ring.push([vlng[i * nv + v], vlat[i * nv + v]]); }
        out.push({n: counts[i], t: counts[i].toLocaleString("en-US"), ring: ring,
                  c: [lat0[i], lng0[i]], colour: fills[cls[i]]});
      }
      return out;
    }
  });
  var bins = new HexBins();
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
