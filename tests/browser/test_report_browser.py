"""The report in a real browser, offline: it loads, shows the verdict table, no errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maps.report import ReportOptions, build_report

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(build_report(ReportOptions(ledger="public")), encoding="utf-8")
    return out


def test_report_opens_offline(offline_page: Any, report_file: Path) -> None:
    page = offline_page.page
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        assert page.locator("#gz-verdicts").is_visible()
        rows = page.locator("ul.gz-claims > li")
        assert rows.count() > 40
        item = page.locator("li#claim-C05")
        item.scroll_into_view_if_needed()
        assert item.locator(".gz-v").inner_text().strip() in ("consistent", "inconsistent")
        # one line each; the explanation opens on demand
        assert not item.locator(".gz-more").is_visible()
        item.locator("summary").click()
        assert item.locator(".gz-more").is_visible()
        # the map drew its layers
        assert page.locator(".leaflet-overlay-pane path").count() > 3
        assert page.locator("#gz-method").is_visible()
    finally:
        page.close()
    assert offline_page.network == []
    assert offline_page.errors + offline_page.warnings == []
