"""``gazamap timeline`` and ``gazamap render --timeline``: every format, errors, the chart."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests._cli import invoke
from tests._timeline_data import write_data_dir


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("versions"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    return int(w), int(h)


def test_json_is_the_documented_contract(data_dir: Path):
    res = invoke(CliRunner(), ["timeline", "yellow-line", "--data-dir", str(data_dir),
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["line"] == "yellow-line"
    assert [v["date"] for v in d["versions"]] == ["2025-10-19", "2026-01-16", "2026-03-02"]
    assert [v["kind"] for v in d["versions"]] == ["line", "line", "markers"]
    shares = [v["zones"][0]["share_pct"] for v in d["versions"]]
    assert shares == sorted(shares)  # each version moved seawards
    pairs = list(zip(d["versions"], d["versions"][1:], strict=False))
    for ch, (a, b) in zip(d["changes"], pairs, strict=True):
        assert ch["from"] == a["ref"] and ch["to"] == b["ref"]
        net = b["zones"][0]["area_km2"] - a["zones"][0]["area_km2"]
        assert ch["to_east_km2"] - ch["to_west_km2"] == pytest.approx(net, abs=1e-4)
        assert {"mean", "median", "max", "hausdorff"} <= set(ch["displacement_m"])
    claims = {p["claim"] for p in d["stated"]}
    assert {"C60", "C61-a"} <= claims
    assert "yellow-line@2026-03-02" in d["datasets"]


def test_table_markdown_and_csv(data_dir: Path):
    runner = CliRunner()
    table = invoke(runner, ["timeline", "yellow-line", "--data-dir", str(data_dir)])
    assert table.exit_code == 0
    assert re.search(r"2026-03-02\s+yellow-line@2026-03-02\s+markers", table.stdout)
    assert "2025-10-19 -> 2026-01-16" in table.stdout
    assert "extended the southern end" in table.stderr  # the survey's end joined to the coast
    md = invoke(runner, ["timeline", "yellow-line", "--data-dir", str(data_dir),
                         "--format", "markdown"])
    assert md.stdout.count("|---|") >= 3
    out = invoke(runner, ["timeline", "yellow-line", "--data-dir", str(data_dir),
                          "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    kinds = [r["record"] for r in rows]
    assert kinds.count("version") == 6 and kinds.count("change") == 2
    assert "stated" in kinds
    change = next(r for r in rows if r["record"] == "change")
    assert float(change["to_east_km2"]) > 1 and change["to_version"] == "yellow-line@2026-01-16"


def test_chart_png_svg_and_page(tmp_path: Path, data_dir: Path):
    runner = CliRunner()
    for name in ("chart.png", "chart.svg", "page.html"):
        res = invoke(runner, ["timeline", "yellow-line", "--data-dir", str(data_dir),
                              "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
    assert _png_size((tmp_path / "chart.png").read_bytes()) == (900, 620)
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert "gaza-outline@2017" in svg and "Gaza Maps" in svg  # axis label and an outlet
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert 'type="range"' in page and "data:image/png;base64," in page
    ar = invoke(runner, ["timeline", "yellow-line", "--data-dir", str(data_dir), "--lang",
                         "ar", "--out", str(tmp_path / "ar.png")])
    assert ar.exit_code == 0
    assert (tmp_path / "ar.png").read_bytes() != (tmp_path / "chart.png").read_bytes()


def test_render_timeline_page_is_offline_and_deterministic(tmp_path: Path, data_dir: Path):
    runner = CliRunner()
    outs = [tmp_path / "a.html", tmp_path / "b.html"]
    for out in outs:
        res = invoke(runner, ["render", "--timeline", "yellow-line", "--data-dir",
                              str(data_dir), "--out", str(out)])
        assert res.exit_code == 0, res.output
    page = outs[0].read_text(encoding="utf-8")
    assert page == outs[1].read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src &#x27;none&#x27;" in csp.group(1)
    assert "unsafe-inline" not in page
    assert page.count("<script") == 1 and page.count("<style>") == 1
    assert not re.search(r"(src|href)=\"https?:", page)
    assert 'aria-valuetext="2026-03-02"' in page
    assert page.count('class="tl-version"') == 3 and page.count('class="tl-table"') == 3
    assert str(data_dir) not in page  # no local path in a published page
    png = invoke(runner, ["render", "--timeline", "yellow-line", "--data-dir", str(data_dir),
                          "--out", str(tmp_path / "v.png")])
    assert png.exit_code == 0
    assert _png_size((tmp_path / "v.png").read_bytes()) == (1200, 1400)


@pytest.mark.parametrize(("args", "message"), [
    (["timeline", "nope"], "unknown dataset id 'nope'"),
    (["timeline", "yellow-line@2025-10-19"], "names one version"),
    (["timeline", "gaza-outline"], "no version that is a line"),
    (["timeline", "yellow-line", "--out", "x.gpkg"], "cannot write .gpkg"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str):
    res = invoke(CliRunner(), args)
    assert res.exit_code == 2
    assert message in res.stderr and "Traceback" not in res.stderr


def test_an_undated_version_is_refused(tmp_path: Path):
    d = write_data_dir(tmp_path / "d", survey=False)
    cat = (d / "catalog.toml").read_text(encoding="utf-8")
    (d / "catalog.toml").write_text(cat.replace('version = "2026-01-16"\ndate = "2026-01-16"',
                                                'version = "drawn"'), encoding="utf-8")
    res = invoke(CliRunner(), ["timeline", "yellow-line", "--data-dir", str(d)])
    assert res.exit_code == 2 and "yellow-line@drawn has no date" in res.stderr


def test_report_gains_the_chart_for_a_line_with_versions(tmp_path: Path, data_dir: Path):
    runner = CliRunner()
    res = invoke(runner, ["report", "--line", "yellow-line@2026-01-16", "--data-dir",
                          str(data_dir), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = page[page.index('id="gz-line-over-time"'):]
    assert "data:image/png;base64," in section and "yellow-line@2026-03-02" in section
    alone = invoke(runner, ["report", "--out", str(tmp_path / "one.html")])
    assert alone.exit_code == 0
    assert "gz-line-over-time" not in (tmp_path / "one.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("extra", [["--compare", "yellow-line"], ["--fragment"],
                                   ["--line", "x.geojson"], ["--uncertainty", "100"]])
def test_render_timeline_refuses_options_it_cannot_honour(tmp_path: Path, extra: list[str]):
    res = invoke(CliRunner(), ["render", "--timeline", "yellow-line", *extra,
                               "--out", str(tmp_path / "t.html")])
    assert res.exit_code == 2 and "--timeline draws every version" in res.stderr
    assert not (tmp_path / "t.html").exists()


def test_page_escapes_what_a_data_dir_names(tmp_path: Path):
    d = write_data_dir(tmp_path / "evil", survey=False)
    cat = (d / "catalog.toml").read_text(encoding="utf-8")
    evil = '2026-01-16 <img src=x onerror=alert(1)>'
    # a version must be an identifier (checked at the catalog's edge); date and title are
    # free text that the page shows
    (d / "catalog.toml").write_text(
        cat.replace('version = "2026-01-16"\ndate = "2026-01-16"',
                    f'version = "2026-01-16"\ndate = "{evil}"')
        .replace("made for the tests)", f"made for the tests) {evil}"), encoding="utf-8")
    res = invoke(CliRunner(), ["render", "--timeline", "yellow-line", "--data-dir", str(d),
                               "--out", str(tmp_path / "t.html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert page.count("<script") == 1


def test_markdown_keeps_html_inert(tmp_path: Path):
    d = write_data_dir(tmp_path / "evil", survey=False)
    cat = (d / "catalog.toml").read_text(encoding="utf-8")
    (d / "catalog.toml").write_text(cat.replace(
        'date = "2026-01-16"', 'date = "2026-01-16<b>x"'), encoding="utf-8")
    res = invoke(CliRunner(), ["timeline", "yellow-line", "--data-dir", str(d), "--format",
                               "markdown"])
    assert res.exit_code == 0, res.output
    assert "<b>" not in res.stdout and "&lt;b&gt;" in res.stdout
    (d / "catalog.toml").write_text(cat.replace(
        'version = "2026-01-16"', 'version = "2026/01/16"'), encoding="utf-8")
    res = invoke(CliRunner(), ["timeline", "yellow-line", "--data-dir", str(d)])
    assert res.exit_code == 2 and "is not a dataset version" in res.stderr
