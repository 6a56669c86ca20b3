"""The CLI is a translation of flags into one geo.Request: every command gets all of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import mapping

from geo.geometry.partition import offset_line
from tests._cli import invoke


def _fc(geom: shapely.Geometry) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(geom)}]})


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, yellow_line: shapely.Geometry) -> Path:
    d = tmp_path / "newsroom-secret-folder"
    d.mkdir()
    (d / "line_2025-11-20.geojson").write_text(_fc(offset_line(yellow_line, 300.0)))
    (d / "catalog.toml").write_text('''
[[dataset]]
id = "my-line"
version = "2025-11-20"
title = "Yellow line as seen on imagery of 20 Nov 2025"
kind = "line"
file = "line_2025-11-20.geojson"
source = "own digitisation of satellite imagery"
licence = "CC BY 4.0"
attribution = "Example newsroom"
method = "digitised in QGIS"
uncertainty_m = 50
''')
    return d


@pytest.fixture
def orange(tmp_path: Path, yellow_line: shapely.Geometry) -> Path:
    """A line 1.5 km west of the 19 Oct line: a stand-in for an 'orange line'."""
    a, b = offset_line(yellow_line, 1500.0), offset_line(yellow_line, -1500.0)
    west = a if a.centroid.x < b.centroid.x else b
    p = tmp_path / "orange.geojson"
    p.write_text(_fc(west))
    return p


def test_report_keeps_the_data_dir_line_and_records_every_option(runner, tmp_path, data_dir):
    out = tmp_path / "r.html"
    res = invoke(runner, ["report", "--data-dir", str(data_dir), "--line", "my-line",
                          "--snap-tolerance", "700", "--max-input-mb", "50",
                          "--no-claims", "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    # the user's dataset is in the datasets table with its provenance
    assert "my-line@2025-11-20" in html and "own digitisation of satellite imagery" in html
    # the command names every option that produced the figures
    for flag in ("--line my-line", "--snap-tolerance 700", "--max-input-mb 50",
                 "--data-dir newsroom-secret-folder"):
        assert flag in html, flag
    # and no local folder above the file names reaches the published page
    assert str(tmp_path) not in html


def test_every_command_reaches_the_data_dir(runner, tmp_path, data_dir):
    for args in (["render", "--offline", "--out", str(tmp_path / "m.html")],
                 ["export", "--out", str(tmp_path / "z.geojson")],
                 ["areas", "--format", "json"]):
        res = invoke(runner, [*args, "--data-dir", str(data_dir), "--line", "my-line"])
        assert res.exit_code == 0, (args, res.output)
    res = invoke(runner, ["compare", "yellow-line", "my-line", "--data-dir", str(data_dir),
                          "--format", "json"])
    assert res.exit_code == 0, res.output
    assert abs(json.loads(res.stdout)["moved_km2"]) > 10  # the line moved by 300 m


def test_two_lines_on_the_command_line_give_three_zones(runner, orange, tmp_path):
    res = invoke(runner, ["areas", "--format", "json", "--line", "yellow-line",
                          "--line", str(orange), "--uncertainty", "300",
                          "--uncertainty", "150"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [z["id"] for z in d["zones"]] == ["east", "between-1", "west"]
    assert sum(z["area_km2"] for z in d["zones"]) == pytest.approx(
        d["boundary"]["area_km2"], rel=1e-9)
    assert [ln["uncertainty_m"] for ln in d["lines"]] == [300.0, 150.0]
    assert all(z["share_pct_low"] < z["share_pct"] < z["share_pct_high"] for z in d["zones"])
    table = invoke(runner, ["areas", "--line", "yellow-line", "--line", str(orange)])
    assert "between-1" in table.stdout
    html = tmp_path / "three.html"
    res = invoke(runner, ["render", "--offline", "--line", "yellow-line", "--line",
                          str(orange), "--out", str(html)])
    assert res.exit_code == 0, res.output
    page = html.read_text(encoding="utf-8")
    assert "zone-between-1" in page and "line-2" in page


def test_user_line_without_uncertainty_shows_no_interval(runner, orange):
    res = invoke(runner, ["areas", "--line", str(orange)])
    assert res.exit_code == 0, res.output
    assert "none" in res.stdout.splitlines()[2]  # the east row: interval "none"
    assert "no positional uncertainty" in res.stderr
    assert "–" not in res.stdout.splitlines()[2]


@pytest.mark.parametrize("args,flag", [
    (["--uncertainty", "nan"], "--uncertainty"),
    (["--uncertainty", "40000"], "--uncertainty"),
    (["--uncertainty", "1e9"], "--uncertainty"),
    (["--snap-tolerance", "-1"], "--snap-tolerance"),
    (["--denominator", "0"], "--denominator"),
    (["--controlled-at", "1,2"], "--controlled-at"),
    (["--controlled-at", "north"], "--controlled-at"),
])
def test_bad_parameters_are_one_line_naming_the_flag(runner, args, flag):
    res = invoke(runner, ["areas", *args])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0] and "Traceback" not in res.stderr
    assert "_m:" not in lines[0]  # the parameter name is translated


def test_controlled_at_declares_the_side(runner, tmp_path):
    cut = shapely.LineString([(34.255, 31.33), (34.36, 31.28)])
    p = tmp_path / "cut.geojson"
    p.write_text(_fc(cut))
    res = invoke(runner, ["areas", "--line", str(p), "--snap-tolerance", "3000"])
    assert res.exit_code == 2 and "--controlled-at" in res.stderr
    res = invoke(runner, ["areas", "--format", "json", "--line", str(p), "--snap-tolerance",
                          "3000", "--controlled-at", "34.26,31.29"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["zones"][0]["area_km2"] < d["zones"][1]["area_km2"]
    assert "34.2600 E" in d["method"]["east_zone"]


def test_no_published_output_carries_a_local_path(runner, tmp_path, data_dir, orange):
    """Inputs are named by file name and SHA-256 in every published format."""
    secret = "newsroom-secret-folder"
    line = data_dir / "line_2025-11-20.geojson"
    ledger = data_dir / "claims.toml"
    ledger.write_text(f'''[ledger]
line = "{line.name}"
[[claim]]
id = "c1"
text = "the line leaves 55 percent east"
source = "test"
metric = "zone_share_pct"
zone = "east"
value = "55"
''', encoding="utf-8")
    outs = tmp_path / "outs"
    outs.mkdir()
    runs = [
        ["render", "--offline", "--line", str(line), "--layer", str(orange),
         "--out", str(outs / "m.html")],
        ["render", "--line", str(line), "--out", str(outs / "m.svg")],
        ["report", "--line", str(line), "--ledger", str(ledger), "--out", str(outs / "r.html")],
        ["report", "--line", str(line), "--ledger", str(ledger), "--out", str(outs / "r.md")],
        ["export", "--line", str(line), "--out", str(outs / "z.geojson")],
        ["export", "--line", str(line), "--out", str(outs / "z.kml")],
        ["export", "--line", str(line), "--out", str(outs / "z.csv")],
        ["areas", "--line", str(line), "--out", str(outs / "a.json")],
        ["areas", "--line", str(line), "--out", str(outs / "a.md")],
        ["check", str(ledger), "--out", str(outs / "c.html")],
        ["compare", "yellow-line", str(line), "--out", str(outs / "c.json")],
    ]
    for args in runs:
        res = invoke(runner, args)
        assert res.exit_code in (0, 1), (args, res.output)
    for f in sorted(outs.iterdir()):
        text = f.read_text(encoding="utf-8", errors="replace")
        assert secret not in text and str(tmp_path) not in text, f.name


def test_the_aggregation_threshold_is_settable(runner, tmp_path):
    pts = tmp_path / "p.geojson"
    pts.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Point", "coordinates": [34.40 + i * 1e-4, 31.45]}}
        for i in range(300)]}))
    pages = {}
    for above in ("100", "1000"):
        out = tmp_path / f"m{above}.html"
        res = invoke(runner, ["render", "--offline", "--layer", str(pts), "--aggregate-above",
                              above, "--out", str(out)])
        assert res.exit_code == 0, res.output
        pages[above] = out.read_text(encoding="utf-8")
    assert "300 points aggregated" in pages["100"]
    assert "points aggregated" not in pages["1000"]
