"""`gazamap report` and the verdict formats: parts present, escaped, deterministic, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.claims import check_ledger
from maps.cli import main
from maps.report import ReportOptions, build_report, format_verdicts

EVIL = """
[[claim]]
id = "x<1>"
text = "</script><script>window.__pwned=1</script> & \\"quotes\\""
source = "<img src=x onerror=alert(1)>"
url = "javascript:alert(1)"
date = "2025-10-10"
metric = "sum"
values = [1, 2]
value = "3"

[[claim]]
id = "ok"
text = "the west zone is cut off from Egypt"
source = "tests"
url = "https://example.org/a?b=1&c=2"
metric = "shares_border"
zone = "west"
with = "egypt"
value = false
"""


@pytest.fixture(scope="module")
def evil_ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    p = tmp_path_factory.mktemp("ledger") / "evil.toml"
    p.write_text(EVIL, encoding="utf-8")
    return str(p)


@pytest.fixture(scope="module")
def html(evil_ledger: str) -> str:
    return build_report(ReportOptions(ledger=evil_ledger, command="gazamap report --test"))


def test_report_has_its_parts(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en"' in html
    assert 'id="gz-verdicts"' in html and "<h2>Published claims against the figures</h2>" in html
    # summary first: headline, map and areas, chart, claims, method (folded) in that order
    order = [html.index(x) for x in ('class="gz-lede"', 'id="gz-map"', 'id="gz-chart"',
                                     'class="gz-claims"', 'id="gz-method"')]
    assert order == sorted(order)
    assert '<details class="gz-fold"><summary>Method and data' in html
    assert "<figure" in html and "<figcaption>" in html
    assert 'class="gz-table"' in html  # the area table (text alternative of the map)
    assert "leaflet" in html.lower()  # the map, with Leaflet inlined
    for needle in ("Method and data", "gaza-outline@2017", "yellow-line@2025-10-19",
                   "365 km²", "Lambert azimuthal", "100 m toward Israel, 520 m toward the coast",
                   "shapely", "pyproj",
                   "gazamap report --test", "not stated by the publisher"):
        assert needle in html, needle


def test_report_is_escaped(html: str) -> None:
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'id="claim-x_1_"' in html


def test_claim_review_json_ld(html: str) -> None:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1 and "</" not in blocks[0]
    data = json.loads(blocks[0])
    reviews = data["@graph"]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "consistent", "consistent"]
    assert reviews[0]["claimReviewed"].startswith("</script>")
    assert "appearance" not in reviews[0]["itemReviewed"]  # javascript: url dropped
    assert reviews[1]["itemReviewed"]["appearance"]["url"].startswith("https://")


def test_report_is_deterministic_and_offline(evil_ledger: str, html: str) -> None:
    again = build_report(ReportOptions(ledger=evil_ledger, command="gazamap report --test"))
    assert again == html
    # no external resource is loaded: no src/href to http(s) other than plain links
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="https?:', html)
    assert "Generated" not in html
    stamped = build_report(ReportOptions(ledger=evil_ledger, timestamp=True))
    assert "Generated" in stamped


def test_verdict_rows_match_the_library(evil_ledger: str, html: str) -> None:
    res = check_ledger(evil_ledger)
    for v in res.verdicts:
        assert re.search(f'class="gz-{v.verdict}[ "]', html)


def test_fragment_and_markdown(evil_ledger: str) -> None:
    frag = build_report(ReportOptions(ledger=evil_ledger, fragment=True))
    assert frag.startswith('<div class="gz-report"') and "<html" not in frag
    md = build_report(ReportOptions(ledger=evil_ledger, fmt="markdown"))
    assert md.startswith("# ") and "| id | metric |" in md and "## Method and data" in md
    assert "<script>" not in md and "<img" not in md and "&lt;img src=x" in md


def test_no_claims(html: str) -> None:
    plain = build_report(ReportOptions(ledger=None))
    assert "gz-verdicts\"" not in plain.split("gz-datasets")[0]
    assert "Published claims" not in plain and 'id="gz-chart"' not in plain


def test_format_verdicts_html_page(evil_ledger: str) -> None:
    page = format_verdicts(check_ledger(evil_ledger), "html")
    assert page.startswith("<!DOCTYPE html>") and 'id="gz-verdicts"' in page
    assert "<script>window" not in page


def test_cli_report(tmp_path: Path, evil_ledger: str) -> None:
    runner = CliRunner()
    out = tmp_path / "report.html"
    res = runner.invoke(main, ["report", "--out", str(out), "--ledger", evil_ledger])
    assert res.exit_code == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    # the command is recorded with file names only: no local folder reaches the page
    assert 'id="gz-verdicts"' in text and "--ledger evil.toml" in text
    assert str(Path(evil_ledger).parent) not in text and str(tmp_path) not in text
    res = runner.invoke(main, ["report", "--out", str(tmp_path / "r.md"), "--format",
                               "markdown", "--ledger", "seed"])
    assert res.exit_code == 0 and "seed-1" in (tmp_path / "r.md").read_text(encoding="utf-8")
    res = runner.invoke(main, ["report", "--out", str(tmp_path / "r.md"), "--format",
                               "markdown", "--fragment"])
    assert res.exit_code == 2 and "--fragment" in res.stderr


@pytest.fixture(scope="module")
def public_html() -> str:
    return build_report(ReportOptions(ledger="public", command="gazamap report --test"))


def _reviews(page: str) -> list[dict[str, object]]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    graph = json.loads(blocks[0])["@graph"]
    assert isinstance(graph, list)
    return graph


def test_claim_review_never_presents_a_copy_as_the_appearance(public_html: str) -> None:
    from geo.claims import load_ledger

    claims = {c.id: c for c in load_ledger("public")}
    copies = {c.seen_at for c in claims.values() if c.seen_at}
    assert copies  # the public ledger was read mostly in mirrors and summaries
    reviews = _reviews(public_html)
    # derived claims (the ledger's own arithmetic) are reviewed as nobody's claim
    assert len(reviews) == len([c for c in claims.values() if not c.derived])
    archived = 0
    for r in reviews:
        cid = str(r["url"]).removeprefix("#claim-")
        item = r["itemReviewed"]
        assert isinstance(item, dict)
        c = next(x for x in claims.values() if x.id.replace(".", "_") == cid)
        assert item["author"]["name"] == (c.outlet or c.source)
        app = item.get("appearance")
        if app is None:
            continue
        assert app.get("url") not in copies
        if c.url:
            assert app["url"] == c.url
        if "archivedAt" in app:
            assert app["archivedAt"] == c.seen_at
            archived += 1
    # a site named without a recorded URL ("paltimeps.ps") is no archive to point to
    assert archived == sum(1 for c in claims.values() if "://" in c.seen_at)
    by_id = {str(r["url"]): r for r in reviews}
    mirrored = by_id["#claim-C01-a"]["itemReviewed"]
    assert isinstance(mirrored, dict)
    assert mirrored["author"]["name"] == "Al Jazeera" and "url" not in mirrored["appearance"]


def test_report_says_where_a_claim_was_read(public_html: str) -> None:
    assert "Al Jazeera (text seen in a mirror: " in public_html
    assert "(no URL known)" in public_html  # e.g. the GMO figures
    # (C01-a is not checkable since it names the 4 Oct 2025 version: C01-b, same copy)
    row = public_html[public_html.index('id="claim-C01-b"'):]
    row = row[:row.index("</li>")]
    assert 'href="https://234radio.com' in row  # the copy is linked as the copy
    assert "gz-borderline" in public_html and "consistent (borderline)" in public_html


def test_version_timeline(public_html: str) -> None:
    section = public_html[public_html.index('id="gz-timeline"'):]
    section = section[:section.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</td>", section)
    assert rows == sorted(rows) and len(rows) == 3  # 14 Oct, 19 Oct (computed), INSS
    assert "203.99 (stated)" in section and "197.6 (stated)" in section
    assert "(computed)" in section and "yes: yellow-line@2025-10-19" in section
    # the stated area's share of 365 km² is arithmetic on the stated figure
    assert f"{100 * 203.99 / 365:.1f}" in section


def test_report_head_has_a_description_with_the_figures_and_an_inline_icon(html: str) -> None:
    import html as htmllib
    import re

    m = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert m and re.search(r"\d+\.\d km²", htmllib.unescape(m.group(1)))
    assert re.search(r'<link rel="icon" href="data:image/svg\+xml;base64,', html)


# ---------------------------------------------------------------- issue 18: at a glance


def test_one_line_per_claim_grouped_by_verdict(public_html: str) -> None:
    from geo.claims import check_ledger as check

    res = check("public")
    # the published claims; the ledger's own arithmetic (derived) is listed after them
    published = public_html.split('id="gz-derived"')[0]
    items = re.findall(r'<li id="claim-[^"]+" class="gz-(consistent|inconsistent)[ "]',
                       published)
    assert 'id="gz-derived"' in public_html and 'id="claim-C44-b"' in public_html
    counts = res.counts()
    assert items.count("consistent") == counts.consistent
    assert items.count("inconsistent") == counts.inconsistent
    # inconsistent first, then consistent, then the not-checkable ones grouped by reason
    assert (public_html.index('id="gz-inconsistent"') < public_html.index('id="gz-consistent"')
            < public_html.index('id="gz-not-checkable"'))
    nc = public_html[public_html.index('<ul class="gz-nc">'):]
    nc = nc[:nc.index("</ul>\n")]
    groups = re.findall(r"<summary><strong>(.*?)</strong> \((\d+)\)", nc)
    assert 2 <= len(groups) <= 5
    assert sum(int(n) for _, n in groups) == counts.not_checkable


def test_chart_has_one_mark_per_checkable_claim(public_html: str) -> None:
    from geo.claims import check_ledger as check

    res = check("public")
    wide = public_html[public_html.index('class="gz-chart gz-chart-wide"'):]
    wide = wide[:wide.index("</svg>")]
    marks = re.findall(r'<g class="gz-mark gz-(\w[\w-]*)" data-claim="([^"]+)">', wide)
    checkable = [v for v in res.verdicts if v.verdict != "not-checkable"]
    assert sorted(c for _, c in marks) == sorted(v.id for v in checkable)
    assert public_html.count('<g class="gz-mark') == 2 * len(checkable)  # and on a phone
    assert {v for v, _ in marks} == {"consistent", "inconsistent"}
    for v in checkable:  # each mark is labelled with its outlet
        g = public_html[public_html.index(f'data-claim="{v.id}"'):]
        g = g[:g.index("</g>")]
        assert (v.claim.outlet or v.claim.source)[:20] in g.replace("&amp;", "&")


def test_one_set_of_figures_and_one_minus_sign(public_html: str) -> None:
    text = re.sub(r"<script.*?</script>|<style>.*?</style>", "", public_html, flags=re.S)
    # margins of shares are in percentage points; no collapsed interval; one minus sign
    assert re.search(r"\d pp (inside|outside) the interval", text)
    assert not re.search(r"\d% (inside|outside) the interval", text)
    assert not re.search(r"\((\d+(?:\.\d+)?)–\1( [^)]*)?\)", text)
    assert not re.search(r"(?<![\w.#-])-\d", re.sub(r"<[^>]+>", " ", text))
    assert "−" in text
    # borderline only inside the interval
    for m in re.finditer(r"consistent \(borderline\)", text):
        around = text[m.start() - 600:m.start()]
        assert "outside the interval" not in around.split("<li")[-1]
    # two intervals for the same share are explained, once, in words
    assert text.count("Two intervals for the east share") == 2  # by the table, in the chart


def test_heading_and_tables_use_words_not_ids(public_html: str) -> None:
    h1 = re.search(r"<h1>(.*?)</h1>", public_html).group(1)  # type: ignore[union-attr]
    assert "the yellow line (19 Oct 2025)" in h1 and "@" not in h1
    table = public_html[public_html.index('class="gz-table"'):]
    table = table[:table.index("</table>")]
    assert "East of the yellow line (19 Oct 2025)" in table and ">east<" not in table


def test_page_has_a_strict_csp_that_allows_its_own_code(public_html: str) -> None:
    import base64
    import hashlib
    import html as htmllib

    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', public_html)
    assert m
    policy = htmllib.unescape(m.group(1))
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for body in re.findall(r"<(?:script|style)>(.*?)</(?:script|style)>", public_html, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    page = format_verdicts(check_ledger("seed"), "html")
    assert "Content-Security-Policy" in page and "<svg" in page


def test_user_line_claims_judged_only_when_asked(tmp_path: Path) -> None:
    from geo.catalog import packaged_catalog

    line = tmp_path / "my_line.geojson"
    line.write_bytes(packaged_catalog().get("yellow-line").path.read_bytes())
    plain = build_report(ReportOptions(ledger="seed", line=str(line)))
    assert "application/ld+json" not in plain  # no ClaimReview for a user's line
    assert "not against your line (my_line.geojson)" in plain
    assert "Judged against" not in plain
    judged = build_report(ReportOptions(ledger="seed", line=str(line),
                                        judge_claims_against_line=True))
    assert "application/ld+json" not in judged
    items = re.findall(r'<li id="claim-[^"]+" class="gz-(?:consistent|inconsistent)[^"]*">'
                       r"(.*?)</li>", judged, re.S)
    assert items and all("Judged against your line (my_line.geojson)" in i for i in items)
    runner = CliRunner()
    res = runner.invoke(main, ["check", "seed", "--line", str(line)])
    assert res.exit_code == 2 and "--judge-claims-against-line" in res.stderr
    res = runner.invoke(main, ["check", "seed", "--line", str(line),
                               "--judge-claims-against-line"])
    assert res.exit_code in (0, 1) and "Judged against your line (my_line.geojson)" in res.stdout
    res = runner.invoke(main, ["check", "seed", "--line", "yellow-line@2025-10-19"])
    assert res.exit_code in (0, 1), res.stderr


def test_check_writes_the_claims_chart(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    runner = CliRunner()
    svg, png = tmp_path / "claims.svg", tmp_path / "claims.png"
    assert runner.invoke(main, ["check", "public", "--out", str(svg)]).exit_code == 1
    assert runner.invoke(main, ["check", "public", "--out", str(png)]).exit_code == 1
    root = ElementTree.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    marks = [g for g in root.iter(f"{ns}g") if "gz-mark" in g.get("class", "")]
    res = check_ledger("public")
    assert len(marks) == sum(v.verdict != "not-checkable" for v in res.verdicts)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_arabic_report_frame(tmp_path: Path) -> None:
    from geo.errors import InputError

    page = build_report(ReportOptions(ledger="seed", lang="ar"))
    assert '<html lang="ar" dir="rtl">' in page
    h1 = re.search(r"<h1>(.*?)</h1>", page).group(1)  # type: ignore[union-attr]
    assert h1.startswith("قطاع غزة") and "الخط الأصفر (19 أكتوبر 2025)" in h1
    assert "المساحات والادعاءات المنشورة" in h1 and "مساحة منطقة" not in h1
    # the quoted claims' explanations and the methods stay English, marked as such
    assert '<div class="gz-more" lang="en" dir="ltr">' in page
    assert "شرق الخط الأصفر" in page  # zone words in the map's legend and table
    with pytest.raises(InputError, match="English only"):
        build_report(ReportOptions(ledger="seed", lang="ar", fmt="markdown"))
    res = CliRunner().invoke(main, ["report", "--ledger", "seed", "--lang", "ar",
                                    "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.stderr
    assert "--lang ar" in (tmp_path / "r.html").read_text(encoding="utf-8")
