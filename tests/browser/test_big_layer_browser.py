"""A big point layer in a real browser: bins drawn, tooltip counts right, no request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely

from geo.read.sources import resolve
from maps.render import MapOptions, render_map_html

pytestmark = pytest.mark.browser

N_POINTS = 30_000  # above the default aggregation threshold (20,000)


@pytest.fixture(scope="module")
def big_layer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    d = tmp_path_factory.mktemp("big")
    outline = resolve("gaza-outline", "boundary").geometry
    rng = np.random.default_rng(2)
    x0, y0, x1, y1 = outline.bounds
    xy = np.column_stack([rng.uniform(x0, x1, 4 * N_POINTS), rng.uniform(y0, y1, 4 * N_POINTS)])
    xy = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])][:N_POINTS]
    # a dense cluster, so that bins differ in count
    xy[:5000] = [34.46, 31.51] + rng.normal(0, 0.004, (5000, 2))
    feats = [{"type": "Feature", "properties": {"k": i},
              "geometry": {"type": "Point", "coordinates": [round(float(x), 6),
                                                            round(float(y), 6)]}}
             for i, (x, y) in enumerate(xy)]
    p = d / "sites.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    html = render_map_html(MapOptions(offline=True, user_layers=(str(p),), map_id="gzbig"))
    page = d / "map.html"
    page.write_text(html, encoding="utf-8")
    return page, np.round(xy, 6)


_BINS = """() => {
  const out = [];
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.eachLayer(l => {
    if (!l.gzBins) { return; }
    l.gzBins.gzData().forEach(b => out.push(b));  // count, ring [lng, lat], centre, colour
  });
  return out;
}"""


def test_bins_drawn_with_true_counts_and_no_request(offline_page: Any, big_layer) -> None:
    page_path, xy = big_layer
    page = offline_page.page
    page.goto(page_path.as_uri())
    page.wait_for_selector(".leaflet-pane canvas")
    bins = page.evaluate(_BINS)
    assert len(bins) > 1000
    assert sum(b["n"] for b in bins) == len(xy)  # every point in one bin
    assert all(b["t"] == f"{b['n']:,}" for b in bins)
    # counts checked by shapely on the drawn hexagons (vertices shown to 1e-5 degree, so
    # points within 2 m of an edge may fall either side)
    pts = shapely.points(xy)
    tree = shapely.STRtree(pts)
    biggest = sorted(bins, key=lambda b: -b["n"])[:8]
    for b in biggest:
        hexagon = shapely.Polygon(b["ring"])
        inner = len(tree.query(hexagon.buffer(-2e-5), predicate="contains"))
        outer = len(tree.query(hexagon.buffer(2e-5), predicate="contains"))
        assert inner <= b["n"] <= outer
    # the bins are painted on their canvas, in their class colour, at their centres
    painted = page.evaluate("""(bins) => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      const c = document.querySelector("canvas.gz-bins-canvas"), r = c.getBoundingClientRect();
      const ctx = c.getContext("2d"), ratio = c.width / r.width;
      return bins.map(b => {
        const p = map.latLngToContainerPoint(b.c), m = map.getContainer().getBoundingClientRect();
        const x = Math.round((p.x + m.left - r.left) * ratio),
              y = Math.round((p.y + m.top - r.top) * ratio);
        return Array.from(ctx.getImageData(x, y, 1, 1).data);
      });
    }""", biggest)
    for b, rgba in zip(biggest, painted, strict=True):
        want = [int(b["colour"][i:i + 2], 16) for i in (1, 3, 5)]
        # (alpha 0.7 on a clear canvas: premultiplied, so rounding moves a channel a bit)
        assert rgba[3] > 100 and all(abs(g - w) <= 8 for g, w in zip(rgba[:3], want,
                                                                      strict=True)), (b, rgba)
    # the tooltip of the fullest bin shows its count
    top = biggest[0]
    page.evaluate("""(c) => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      map.setView(c, 14, {animate: false});
    }""", top["c"])
    page.wait_for_timeout(300)
    xy_px = page.evaluate("""(c) => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      const p = map.latLngToContainerPoint(c);
      const r = map.getContainer().getBoundingClientRect();
      return [p.x + r.left, p.y + r.top];
    }""", top["c"])
    page.mouse.move(xy_px[0], xy_px[1])
    page.mouse.move(xy_px[0] + 1, xy_px[1] + 1)
    tip = page.wait_for_selector(".leaflet-tooltip .gz-bin-count", timeout=5000)
    assert tip.text_content() == f"points: {top['n']:,}"
    legend = page.locator(".gz-panel").inner_text()
    assert f"{len(xy):,} points aggregated into 250 m hexagons" in legend
    assert offline_page.network == []
    assert offline_page.errors == []


def test_points_replace_the_bins_when_zoomed_in(offline_page: Any, big_layer) -> None:
    page_path, xy = big_layer
    page = offline_page.page
    page.goto(page_path.as_uri())
    page.wait_for_selector(".leaflet-pane canvas")
    page.evaluate("""() => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      map.setView([31.36, 34.33], 16, {animate: false});
    }""")
    state_js = """() => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      let group = null;
      map.eachLayer(l => { if (l.gzBins) { group = l; } });
      let dots = 0;
      group.eachLayer(l => { if (l !== group.gzBins && l.getLayers) {
        dots += l.getLayers().length; } });
      const b = map.getBounds();
      return {dots: dots, bins: group.hasLayer(group.gzBins), zoom: map.getZoom(),
              bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]};
    }"""
    try:
        # the page may still be settling its first view (fitBounds) when the test asks
        # for zoom 16 under a loaded CPU: ask again until the map is there
        page.wait_for_function(f"() => {{ const s = ({state_js})(); "
                               "if (s.zoom !== 16) { const map = Object.values(window).find("
                               "v => v instanceof L.Map); map.setView([31.36, 34.33], 16, "
                               "{animate: false}); return false; } "
                               "return !s.bins && s.dots > 0; }",
                               timeout=30_000, polling=200)
    except Exception as exc:  # say what the page shows instead
        raise AssertionError(f"not zoomed in with points: {page.evaluate(state_js)!r}, "
                             f"errors {offline_page.errors}") from exc
    state = page.evaluate(state_js)
    assert state["bins"] is False
    w, s, e, n = state["bounds"]
    inside = int(((xy[:, 0] >= w) & (xy[:, 0] <= e) & (xy[:, 1] >= s) & (xy[:, 1] <= n)).sum())
    assert inside > 0
    # drawn from 1e-5 degree integers: a point within a metre of the view's edge may move
    assert abs(state["dots"] - inside) <= max(3, inside // 100)
    assert offline_page.errors == [] and offline_page.network == []
