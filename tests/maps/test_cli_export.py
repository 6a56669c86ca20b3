"""`gazamap export` from the command line: formats, layers, markers, atomic output."""

from __future__ import annotations

import json

import pyogrio
import pyogrio.raw
import pytest

from tests._cli import invoke


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_each_format(runner, tmp_path, fmt):
    out = tmp_path / f"zones.{fmt}"
    res = invoke(runner, ["export", "--out", str(out), "--include", "crossings"])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 1000
    assert f"wrote {out}" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_format_option_overrides_the_extension(runner, tmp_path):
    out = tmp_path / "zones.dat"
    res = invoke(runner, ["export", "--format", "geojson", "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert "crs" not in doc
    assert [f["properties"]["zone"] for f in doc["features"][:2]] == ["east", "west"]
    res = invoke(runner, ["export", "--out", str(tmp_path / "zones.dat2")])
    assert res.exit_code == 2 and "cannot tell the format from the extension" in res.stderr


def test_markers_are_exported_with_their_order(runner, markers_csv, tmp_path):
    out = tmp_path / "m.gpkg"
    res = invoke(runner, ["export", "--markers", str(markers_csv), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert [n for n, _ in pyogrio.list_layers(str(out))] == ["zones", "line", "markers"]
    meta, _, _, fd = pyogrio.raw.read(str(out), layer="markers")
    cols = dict(zip(meta["fields"], fd, strict=True))
    used = dict(zip(cols["id"], cols["used"], strict=True))
    assert used["X1"] == 0 and sum(used.values()) == len(used) - 1


def test_bad_input_leaves_no_output(runner, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    out = tmp_path / "zones.geojson"
    res = invoke(runner, ["export", "--line", str(bad), "--out", str(out)])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"gazamap: error: {bad}: not valid JSON")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.geojson"]


def test_export_over_an_input_is_refused(runner, markers_csv):
    before = markers_csv.read_bytes()
    res = invoke(runner, ["export", "--markers", str(markers_csv), "--format", "csv",
                          "--out", str(markers_csv)])
    assert res.exit_code == 2 and "would overwrite the input" in res.stderr
    assert markers_csv.read_bytes() == before


@pytest.mark.parametrize("ext,extra", [("geojson", []), ("kml", ["--input-layer", "line"]),
                                       ("gpkg", ["--input-layer", "line"]), ("csv", [])])
def test_an_export_reads_back_as_the_same_line(runner, tmp_path, ext, extra):
    out = tmp_path / f"zones.{ext}"
    assert invoke(runner, ["export", "--out", str(out)]).exit_code == 0
    res = invoke(runner, ["areas", "--format", "json", "--line", str(out), *extra])
    assert res.exit_code == 0, res.output
    again = json.loads(res.stdout)["zones"][0]["area_km2"]
    ref = json.loads(invoke(runner, ["areas", "--format", "json"]).stdout)["zones"][0]["area_km2"]
    assert again == pytest.approx(ref, rel=1e-6)
