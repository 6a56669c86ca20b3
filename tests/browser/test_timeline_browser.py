"""The timeline page in Chromium: the date slider redraws the line and the table, offline."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from tests._timeline_data import write_data_dir
from tests.browser.conftest import OfflinePage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from geo.timeline import timeline
    from maps.timeline_page import timeline_page

    d = write_data_dir(tmp_path_factory.mktemp("versions"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notes of the lines' joined ends
        tl = timeline("yellow-line", data_dirs=[str(d)])
    out = {}
    for lang in ("en", "ar"):
        p = tmp_path_factory.mktemp("page") / f"timeline_{lang}.html"
        p.write_text(timeline_page(tl, lang=lang), encoding="utf-8")
        out[lang] = p
    return out


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
      // what is drawn, not what a property says: computed display
      const shown = e => getComputedStyle(e).display !== 'none';
      const g = [...document.querySelectorAll('.tl-version')].filter(shown);
      const t = [...document.querySelectorAll('.tl-table')].filter(shown);
      const line = g.length ? g[0].querySelector('.tl-line') : null;
      const box = line ? line.getBoundingClientRect() : null;
      const s = document.querySelector('input.tl-slider');
      return {groups: g.map(e => e.dataset.ref), tables: t.length,
              caption: t.length ? t[0].querySelector('caption').textContent : '',
              d: line ? line.getAttribute('d') : '', w: box ? box.width : 0,
              h: box ? box.height : 0, value: s.value,
              valuetext: s.getAttribute('aria-valuetext'),
              output: document.querySelector('output.tl-date').textContent,
              scroll: document.documentElement.scrollWidth};
    }""")


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)])
def test_slider_redraws_line_and_table(browser: Any, pages: dict[str, Path], width: int,
                                       height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        off = OfflinePage(page)
        page.goto(pages["en"].as_uri())
        first = _state(page)
        assert first["groups"] == ["yellow-line@2026-03-02"] and first["tables"] == 1
        assert "2026-03-02" in first["caption"] and first["valuetext"] == "2026-03-02"
        assert first["w"] > 50 and first["h"] > 50  # the line is drawn
        assert first["scroll"] <= width + 1  # nothing wider than the screen
        slider = page.locator("input.tl-slider")
        slider.focus()
        page.keyboard.press("ArrowLeft")  # the keyboard moves the slider
        mid = _state(page)
        assert mid["groups"] == ["yellow-line@2026-01-16"] and mid["value"] == "1"
        assert "2026-01-16" in mid["caption"] and mid["output"] == "2026-01-16"
        assert mid["valuetext"] == "2026-01-16" and mid["d"] != first["d"]
        assert mid["w"] > 50 and mid["h"] > 50  # the selected version's line is drawn
        moved = page.locator(".tl-version:not([hidden]) .tl-to-east")
        assert moved.count() == 1 and moved.bounding_box()["width"] > 20
        page.keyboard.press("Home")
        oldest = _state(page)
        assert oldest["groups"] == ["yellow-line@2025-10-19"]
        assert "2025-10-19" in oldest["caption"] and oldest["d"] not in (mid["d"], first["d"])
        # a tap on a date label selects it (phones)
        page.locator(".tl-tick", has_text="2026-03-02").click()
        assert _state(page)["groups"] == ["yellow-line@2026-03-02"]
        box = slider.bounding_box()
        assert box is not None and box["width"] <= width and box["height"] >= 24
        assert off.network == [] and off.errors == []
    finally:
        page.close()


def test_arabic_page_is_right_to_left_and_works(browser: Any, pages: dict[str, Path]):
    page = browser.new_page(viewport={"width": 900, "height": 900})
    try:
        off = OfflinePage(page)
        page.goto(pages["ar"].as_uri())
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.locator(".tl-tick", has_text="2025-10-19").click()
        st = _state(page)
        assert st["groups"] == ["yellow-line@2025-10-19"] and "المساحات" in st["caption"]
        assert off.network == [] and off.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_ids_dates_and_ranges_stay_whole_on_a_phone(browser: Any, pages: dict[str, Path],
                                                      lang: str):
    # a phone broke "yellow-line@2025-10-19" at its hyphen and "52.9–60.6" at its dash
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(pages[lang].as_uri())
        page.locator(".tl-tick", has_text="2025-10-19").click()
        lines = page.evaluate("""() => [...document.querySelectorAll('.tl-whole')]
          .filter(e => e.offsetParent !== null)
          .map(e => [e.textContent, new Set([...e.getClientRects()].map(r => r.top)).size])""")
        texts = [t for t, _ in lines]
        assert "yellow-line@2025-10-19" in texts and any("–" in t for t in texts)
        assert all(n == 1 for _, n in lines), lines
    finally:
        page.close()
