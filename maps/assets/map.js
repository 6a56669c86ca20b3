(function () {
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
})()
