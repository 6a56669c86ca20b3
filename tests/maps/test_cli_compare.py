"""`gazamap compare` from the command line: JSON contract, table, markdown, markers."""

from __future__ import annotations

import json

import pytest

from tests._cli import invoke

LINE = "yellow-line@2025-10-19"




@pytest.fixture(scope="module")
def against_markers(runner, markers_csv):
    res = invoke(runner, ["compare", LINE, "--markers", str(markers_csv), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res.stderr


def test_json_contract(against_markers):
    d, _ = against_markers
    for key in ("moved_km2", "east_km2_a", "east_km2_b", "displacement_m", "places_changed",
                "datasets", "method", "a", "b", "boundary", "governorates", "to_east_km2",
                "to_west_km2", "moved_pct", "warnings"):
        assert key in d, key
    assert set(d["displacement_m"]) >= {"mean", "median", "max", "hausdorff"}
    assert d["a"]["dataset"] == LINE
    assert d["b"]["label"].endswith("blocks.csv (markers)")
    assert d["b"]["markers"]["outliers"][0].startswith("'X1'")


def test_markers_300m_west_of_the_line(against_markers):
    d, err = against_markers
    # positive: the east zone grows when the blocks stand west of the IDF line
    assert d["moved_km2"] == pytest.approx(13.6, abs=0.6)
    assert d["east_km2_b"] - d["east_km2_a"] == pytest.approx(d["moved_km2"])
    assert d["displacement_m"]["median"] == pytest.approx(300, abs=15)
    assert d["displacement_m"]["signed_mean"] > 250
    assert {p["to"] for p in d["places_changed"]} == {"east"}
    assert "left out 1 outlier marker(s)" in err


def test_two_lines_table_and_markdown(runner):
    res = invoke(runner, ["compare", "idf-zone@2025-10-19", LINE])
    assert res.exit_code == 0, res.output
    assert "moved (B - A)" in res.stdout and "Hausdorff" in res.stdout
    assert "Khan Yunis" in res.stdout
    md = invoke(runner, ["compare", LINE, LINE, "--format", "markdown"])
    assert md.exit_code == 0, md.output
    assert "| moved (B - A) | +0.00 km² | +0.00 % |" in md.stdout
    assert "0 place(s) change side" in md.stdout


def test_usage_errors(runner, markers_csv, tmp_path):
    res = invoke(runner, ["compare", LINE])
    assert res.exit_code == 2 and "give two lines A B, or one line A and --markers" in res.output
    res = invoke(runner, ["compare", LINE, LINE, "--markers", str(markers_csv)])
    assert res.exit_code == 2 and "not both" in res.output
    res = invoke(runner, ["compare", LINE, str(tmp_path / "missing.geojson")])
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"gazamap: error: {tmp_path / 'missing.geojson'}: no such "
                                  "file. Fix: check the path")


def test_out_file_and_never_over_an_input(runner, markers_csv, tmp_path):
    out = tmp_path / "cmp.json"
    res = invoke(runner, ["compare", LINE, "--markers", str(markers_csv), "--format", "json",
                          "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["moved_km2"] > 0
    before = markers_csv.read_bytes()
    res = invoke(runner, ["compare", LINE, "--markers", str(markers_csv), "--out",
                          str(markers_csv)])
    assert res.exit_code == 2 and "would overwrite the input" in res.stderr
    assert markers_csv.read_bytes() == before
