"""Browser fixtures: Debian's chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    for cand in ("/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).exists():
            return cand
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    exe = chromium_path()
    if exe is None:
        pytest.skip("no chromium binary (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


LOCAL = ("file:", "data:", "about:", "blob:")


class OfflinePage:
    """A page whose every non-local request is aborted and recorded, with its problems.

    ``network``: URLs the page tried to fetch; ``errors``: console errors and uncaught
    exceptions; ``warnings``: console warnings and failed requests.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.network: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.warnings.append(f"failed: {r.url}"))

    def _route(self, r: Any) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            self.network.append(r.request.url)
            r.abort()

    def _console(self, m: Any) -> None:
        if m.type == "error":
            self.errors.append(m.text)
        elif m.type == "warning":
            self.warnings.append(f"warning: {m.text}")


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    """A 1280x900 page with the network cut off (see :class:`OfflinePage`)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        yield OfflinePage(page)
    finally:
        page.close()
