"""The offline map as a reader sees it at three screen sizes, in English and Arabic.

Checks, in Debian's chromium with every non-local request blocked: the main place names
are text in the map pane; the controls hide little of the Strip (points sampled inside
the outline, tested with ``elementFromPoint``); the zones, the sea and the land stand
apart on a screenshot (CIELAB ΔE, also with simulated deuteranopia and protanopia); the
Arabic map has Arabic controls and a right-to-left scale; no request, no console error.
Screenshots go to ``$GAZAMAP_ARTEFACTS`` (default: the test's tmp_path).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geo.read.sources import resolve
from maps.render import MapOptions, render_map_html
from tests._colour import VISIONS, delta_e
from tests.browser.conftest import OfflinePage

pytestmark = pytest.mark.browser

SIZES = [(1400, 1000), (900, 600), (390, 844)]
MAX_HIDDEN = {(1400, 1000): 0.10, (900, 600): 0.10, (390, 844): 0.15}
MAIN_EN = ["Gaza City", "Jabalia", "Beit Lahia", "Beit Hanoun", "Deir al-Balah",
           "Nuseirat", "Khan Yunis", "Rafah"]
MAIN_AR = ["غزة", "جباليا", "بيت لاهيا", "بيت حانون", "دير البلح", "النصيرات", "خان يونس",
           "رفح"]
RANK_1 = {"en": ["Gaza City", "Khan Yunis", "Rafah", "Deir al-Balah"],
          "ar": ["غزة", "خان يونس", "رفح", "دير البلح"]}
# well inside each zone / the sea / Israel's land, away from the line, labels and borders
PROBES = {"sea": (31.47, 34.22), "land": (31.36, 34.52),
          "east": (31.30, 34.30), "west": (31.475, 34.40)}
MIN_DELTA_E = 15.0
_LAEA = "+proj=laea +lat_0=31.42 +lon_0=34.39 +datum=WGS84 +units=m +no_defs"


def artefact_dir(tmp_path: Path) -> Path:
    d = Path(os.environ.get("GAZAMAP_ARTEFACTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("views")
    out = {}
    for lang in ("en", "ar"):
        p = d / f"map-{lang}.html"
        p.write_text(render_map_html(MapOptions(offline=True, lang=lang)), encoding="utf-8")  # type: ignore[arg-type]
        out[lang] = p
    return out


@pytest.fixture(scope="module")
def strip_samples() -> list[list[float]]:
    """~1,500 points on a regular 250 m grid (local LAEA, pyproj only) inside the outline."""
    outline = resolve("gaza-outline", "boundary").geometry
    fwd = Transformer.from_crs("EPSG:4326", _LAEA, always_xy=True)
    inv = Transformer.from_crs(_LAEA, "EPSG:4326", always_xy=True)
    flat = shapely.transform(outline, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))
    x0, y0, x1, y1 = flat.bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, 250.0), np.arange(y0, y1, 250.0))
    pts = shapely.points(xs.ravel(), ys.ravel())
    inside = pts[shapely.contains(flat, pts)]
    lon, lat = inv.transform(shapely.get_x(inside), shapely.get_y(inside))
    return [[float(a), float(b)] for a, b in zip(lat, lon, strict=True)]


_MAP = "(() => window[Object.keys(window).find(k => /^map_gz\\w+_1$/.test(k))])()"

_HIDDEN_JS = """(pts) => {
  const map = MAP, box = map.getContainer().getBoundingClientRect();
  let hidden = 0, out = 0;
  for (const [lat, lon] of pts) {
    const p = map.latLngToContainerPoint([lat, lon]);
    const x = box.left + p.x, y = box.top + p.y;
    if (p.x < 0 || p.y < 0 || p.x >= box.width || p.y >= box.height) { out++; continue; }
    const e = document.elementFromPoint(x, y);
    if (!e || e.closest('.leaflet-control-container')) { hidden++; }
  }
  return [hidden, out, pts.length];
}""".replace("MAP", _MAP)


def _open(browser: Any, path: Path, size: tuple[int, int]) -> OfflinePage:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    op = OfflinePage(page)
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path.gz-zone-west")
    page.wait_for_selector(".gz-label")
    page.wait_for_timeout(300)
    return op


def _patch_colour(img: np.ndarray, x: float, y: float, r: int = 4) -> np.ndarray:
    """The most frequent colour in a (2r+1)² patch (robust to a stray line or label)."""
    xi, yi = int(round(x)), int(round(y))
    patch = img[max(0, yi - r):yi + r + 1, max(0, xi - r):xi + r + 1, :3].reshape(-1, 3)
    values, counts = np.unique((patch * 255).round().astype(int), axis=0, return_counts=True)
    return values[counts.argmax()] / 255.0


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_view(browser: Any, pages: dict[str, Path], strip_samples: list[list[float]],
                  lang: str, size: tuple[int, int], tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    op = _open(browser, pages[lang], size)
    page = op.page
    shots = artefact_dir(tmp_path)
    shot = shots / f"map-{lang}-{size[0]}x{size[1]}.png"
    page.screenshot(path=str(shot), full_page=False)
    measures: dict[str, Any] = {"lang": lang, "size": list(size)}

    # place names are text in the map pane, the main ones visible
    labels = page.locator(".leaflet-map-pane .gz-label")
    texts = labels.all_text_contents()
    for name in (MAIN_AR if lang == "ar" else MAIN_EN):
        assert name in texts, (name, texts)
    visible = [t for t in page.locator(".leaflet-map-pane .gz-label:not(.gz-off)")
               .all_text_contents()]
    measures["labels_visible"] = visible
    for name in RANK_1[lang]:
        assert name in visible, (name, visible)
    if size[0] >= 1400:
        for name in (MAIN_AR if lang == "ar" else MAIN_EN):
            assert name in visible, (name, visible)
    # the visible labels do not overlap each other
    boxes = page.eval_on_selector_all(
        ".leaflet-map-pane .gz-label:not(.gz-off)",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)

    # the controls hide little of the Strip
    hidden, out, total = page.evaluate(_HIDDEN_JS, strip_samples)
    frac = (hidden + out) / total
    measures["hidden_fraction"] = round(frac, 4)
    measures["outside_view"] = out
    assert frac <= MAX_HIDDEN[size], measures

    # colour distances measured on the screenshot
    img = np.asarray(mpimg.imread(io.BytesIO(page.screenshot()), format="png"))
    colours = {}
    for key, (lat, lon) in PROBES.items():
        x, y = page.evaluate(
            "([lat, lon]) => { const m = " + _MAP + ", r = m.getContainer()"
            ".getBoundingClientRect(); const p = m.latLngToContainerPoint([lat, lon]);"
            " return [r.left + p.x, r.top + p.y]; }", [lat, lon])
        colours[key] = _patch_colour(img, x, y)
    measures["colours"] = {k: "#" + "".join(f"{int(round(c * 255)):02x}" for c in v)
                           for k, v in colours.items()}
    measures["delta_e"] = {}
    keys = list(colours)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            des = {v: round(delta_e(colours[a], colours[b], v), 1) for v in VISIONS}
            measures["delta_e"][f"{a}-{b}"] = des
            assert min(des.values()) >= MIN_DELTA_E, (a, b, des)

    # controls: the panel starts collapsed on a phone, open otherwise, and toggles
    btn = page.locator(".gz-panel-btn")
    body = page.locator(".gz-panel-body")
    narrow = size[0] < 600
    assert btn.get_attribute("aria-expanded") == ("false" if narrow else "true")
    assert body.is_visible() is not narrow
    btn.click()
    assert body.is_visible() is narrow
    if narrow:
        # the measure can fail: the open panel covers part of the Strip on a phone
        h_open, out_open, _ = page.evaluate(_HIDDEN_JS, strip_samples)
        measures["hidden_fraction_panel_open"] = round((h_open + out_open) / total, 4)
        assert h_open > 0
    btn.click()
    # the legend entry is the layer toggle
    if not narrow:
        box = page.locator('li[data-layer="zone-east"] input')
        box.uncheck()
        assert page.locator(".leaflet-overlay-pane path.gz-zone-east").count() == 0
        box.check()
        assert page.locator(".leaflet-overlay-pane path.gz-zone-east").count() == 1

    zoom_in = page.locator(".leaflet-control-zoom-in")
    scale = page.locator(".leaflet-control-scale-line")
    if lang == "ar":
        assert zoom_in.get_attribute("title") == "تكبير"
        assert zoom_in.get_attribute("aria-label") == "تكبير"
        assert page.locator(".leaflet-control-zoom-out").get_attribute("aria-label") == "تصغير"
        assert "كم" in scale.inner_text() or " م" in scale.inner_text()
        assert scale.get_attribute("dir") == "rtl"
    else:
        assert zoom_in.get_attribute("aria-label") == "Zoom in"
        assert "km" in scale.inner_text() or " m" in scale.inner_text()

    (shots / f"map-{lang}-{size[0]}x{size[1]}.json").write_text(
        json.dumps(measures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(measures, ensure_ascii=False))
    assert op.network == [], op.network
    assert op.errors == [], op.errors
    page.close()


def test_online_base_maps_switch_in_the_panel(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "online.html"
    path.write_text(render_map_html(MapOptions(layers=("outline", "zones"))), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    op = OfflinePage(page)  # tile requests are aborted (and recorded): only their URLs matter
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path.gz-zone-west")

    def tiles() -> list[str]:
        return list(page.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-tile-pane img')).map(i => i.src)"))

    assert tiles() and all("tile.openstreetmap.org" in u for u in tiles())
    page.locator('.gz-bases input[value="1"]').check()
    page.wait_for_timeout(300)
    assert tiles() and all("arcgisonline.com" in u for u in tiles())
    assert page.locator(".leaflet-tile-pane .leaflet-layer").count() == 1
    assert [e for e in op.errors if "Failed to load resource" not in e] == []
    page.close()
