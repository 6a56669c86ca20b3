"""The offline map in a real browser: layers drawn, control works, no network, no payload runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maps.render import MapOptions, render_map_html
from tests._payloads import HOSTILE

pytestmark = pytest.mark.browser

PAYLOADS = HOSTILE
TITLE = "</title><script>window.__pwned=7</script> T"


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    layer = tmp_path / "evil<img src=y onerror=window.__pwned=8>.geojson"
    feats = [
        {"type": "Feature", "properties": PAYLOADS, "geometry": {
            "type": "Polygon", "coordinates": [[[34.40, 31.45], [34.44, 31.45],
                                                [34.44, 31.48], [34.40, 31.48],
                                                [34.40, 31.45]]]}},
        {"type": "Feature", "properties": PAYLOADS,
         "geometry": {"type": "Point", "coordinates": [34.30, 31.33]}},
    ]
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                     encoding="utf-8")
    html = render_map_html(MapOptions(offline=True, user_layers=(str(layer),), title=TITLE))
    out = tmp_path / "map.html"
    out.write_text(html, encoding="utf-8")
    return out


def _count(page: Any, layer_id: str) -> int:
    return int(page.locator(f".leaflet-overlay-pane path.gz-{layer_id}").count())


def _settled_box(page: Any, locator: Any) -> dict[str, float]:
    """The element's box once the map has stopped panning (a popup pans the map)."""
    box = locator.bounding_box()
    for _ in range(50):
        page.wait_for_timeout(100)
        again = locator.bounding_box()
        if again == box:
            break
        box = again
    return dict(box)


def test_offline_map_in_chromium(offline_page: Any, hostile_page: Path, tmp_path: Path) -> None:
    page = offline_page.page
    page.goto(hostile_page.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path.gz-zone-west")
    shot = tmp_path / "map.png"  # the map as it opens, before any interaction
    page.locator(".gz").screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # the outline and both zones are drawn, and the user layer (polygon + point)
    assert _count(page, "outline") == 1
    assert _count(page, "zone-east") == 1
    assert _count(page, "zone-west") == 1
    assert _count(page, "user-1") == 2
    assert _count(page, "line") == 1

    # the layer control lists the layers by name, the user's name shown as text
    labels = page.locator(".gz-panel li label").all_inner_texts()
    names = [s.strip().splitlines()[-1].strip() for s in labels]  # after the swatch
    for expected in ("Gaza Strip outline",
                     "East of the yellow line (19 Oct 2025), Israeli military control",
                     "West of the yellow line (19 Oct 2025)",
                     "Yellow line of the IDF map of 19 Oct 2025",
                     "Governorates", "Municipalities", "Place names"):
        assert expected in names, "|".join(names)
    assert "evil<img src=y onerror=window.__pwned=8>.geojson" in names

    # the legend is in a map control and follows the layers
    legend = page.locator(".leaflet-control-container .gz-panel")
    assert legend.count() == 1
    east_entry = legend.locator('li[data-layer="zone-east"]')
    assert east_entry.is_visible()

    # hovering and clicking features with hostile properties runs no payload
    user_paths = page.locator(".leaflet-overlay-pane path.gz-user-1")
    for i in range(user_paths.count()):
        bb = _settled_box(page, user_paths.nth(i))
        x, y = bb["x"] + bb["width"] / 2, bb["y"] + bb["height"] / 2
        page.mouse.move(x, y)
        tip = page.locator(".leaflet-tooltip").last.inner_text()
        assert "window.__pwned=2</script>" in tip
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content").last.inner_text()
        assert '<img src=x onerror="window.__pwned=1">' in popup
        assert "${window.__pwned=3}" in popup and "\\`);window.__pwned=5;//" in popup
        assert "<svg onload=window.__pwned=6>" in popup

    # toggling a layer hides it (and its legend entry), toggling again shows it
    before = page.locator(".leaflet-overlay-pane path").count()
    box = east_entry.locator("input")
    box.uncheck()
    assert _count(page, "zone-east") == 0
    assert page.locator(".leaflet-overlay-pane path").count() == before - 1
    assert east_entry.is_visible() and not box.is_checked()
    box.check()
    assert _count(page, "zone-east") == 1
    assert box.is_checked()

    # click the east zone in Rafah (all of Rafah lies east of the line)
    # the user layer's popup may cover the point, and opening it panned the map: close it
    # and let the pan animation end before converting the coordinates
    page.evaluate("""() => {
        const name = Object.keys(window).find(k => /^map_gz\\w+_1$/.test(k));
        window[name].closePopup();
        window[name].setView([31.29, 34.26], 12, {animate: false});  // Rafah in view
    }""")
    page.wait_for_timeout(800)
    x, y = page.evaluate("""() => {
        const name = Object.keys(window).find(k => /^map_gz\\w+_1$/.test(k));
        const p = window[name].latLngToContainerPoint([31.29, 34.26]);
        const r = window[name].getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""")
    page.mouse.click(x, y)
    zone_popup = page.locator(".leaflet-popup-content").last.inner_text()
    assert "km²" in zone_popup and "licence" in zone_popup.lower()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == TITLE

    # the text alternative is on the page
    assert page.locator(".gz-alt table").count() >= 1

    after = tmp_path / "map-after-clicks.png"
    page.locator(".gz-map").screenshot(path=str(after))
    print(f"screenshot after interaction: {after}")
    assert offline_page.network == [], offline_page.network
    assert offline_page.errors == [], offline_page.errors
    page.close()
