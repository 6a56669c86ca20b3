"""An ``--iframe`` snippet opened on its own in Chromium shows the map (issue 16, class 15).

The snippet declares no charset; before it was ASCII, Chromium read its UTF-8 "©" as
windows-1252, the inline script changed and its CSP hash no longer matched: no map.
"""

from __future__ import annotations

from typing import Any

import pytest

from maps.render import MapOptions, render_map_html

pytestmark = pytest.mark.browser


URL = "http://snippet.test/map.html"


@pytest.mark.parametrize("title", ["Plain title", "© عنوان — “quoted”"])
def test_iframe_snippet_alone_shows_the_map(browser: Any, title: str) -> None:
    snippet = render_map_html(MapOptions(offline=True, mode="iframe", title=title))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    fetched: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url
        if url == URL:  # served as "text/html" with no charset, as many servers do
            route.fulfill(status=200, body=snippet.encode("utf-8"),
                          headers={"content-type": "text/html"})
        elif url.startswith(("data:", "about:", "blob:")):
            route.continue_()
        else:
            fetched.append(url)
            route.abort()

    page.route("**/*", serve)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(URL)
        frame = page.frame_locator("iframe")
        frame.locator(".leaflet-overlay-pane path.gz-zone-west").wait_for(timeout=30_000)
        assert frame.locator(".leaflet-overlay-pane path.gz-zone-east").count() == 1
        assert title == page.locator("iframe").get_attribute("title")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        assert fetched == []
    finally:
        page.close()
