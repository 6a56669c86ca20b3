"""`gazamap export` from the command line: formats, layers, markers, atomic output."""

from __future__ import annotations

import csv
import io
import json

import pyogrio
import pyogrio.raw
import pytest

from tests._cli import invoke


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "parquet", "fgb"])
def test_each_format(runner, tmp_path, fmt):
    out = tmp_path / f"zones.{fmt}"
    res = invoke(runner, ["export", "--out", str(out), "--include", "crossings"])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 1000
    assert f"wrote {out}" in res.stderr
    written = sorted(p.name for p in tmp_path.iterdir())  # no temporary file left
    if fmt == "csv":
        assert written == ["zones.csv", "zones.csvt", "zones.geometry.geojson", "zones.prj"]
        assert "(and zones.csvt, zones.prj, zones.geometry.geojson beside it)" in res.stderr
    else:
        assert written == [out.name]


def test_csv_geometry_choices(runner, tmp_path):
    out = tmp_path / "z.csv"
    res = invoke(runner, ["export", "--out", str(out), "--geometry", "none"])
    assert res.exit_code == 0, res.output
    assert [p.name for p in tmp_path.iterdir()] == ["z.csv"]
    res = invoke(runner, ["export", "--out", str(tmp_path / "w.csv"), "--geometry", "wkt"])
    # the zones' WKT is ~55,000 characters at 7 decimals: refused, nothing written
    assert res.exit_code == 2
    assert "--geometry: the WKT of zones east is" in res.stderr
    assert "Fix: use --geometry 'sidecar'" in res.stderr and "Traceback" not in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["z.csv"]
    res = invoke(runner, ["export", "--out", "-", "--format", "csv", "--geometry", "none"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["zone"] for r in rows if r["layer"] == "zones"] == ["east", "west"]
    res = invoke(runner, ["export", "--out", "-", "--format", "csv"])
    assert res.exit_code == 2 and "cannot have its geometry file beside it" in res.stderr


def test_binary_formats_do_not_go_to_stdout(runner):
    for fmt in ("parquet", "fgb"):
        res = invoke(runner, ["export", "--out", "-", "--format", fmt])
        assert res.exit_code == 2 and "binary format" in res.stderr


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
    assert [n for n, _ in pyogrio.list_layers(str(out))] == ["zones", "line", "markers",
                                                             "layer_styles"]
    meta, _, _, fd = pyogrio.raw.read(str(out), layer="markers")
    cols = dict(zip(meta["fields"], fd, strict=True))
    used = dict(zip(cols["id"], cols["used"], strict=True))
    assert used["X1"] == 0 and sum(used.values()) == len(used) - 1
    meta, _, _, fd = pyogrio.raw.read(str(out), layer="layer_styles")
    assert "markers" in list(fd[list(meta["fields"]).index("f_table_name")])


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
    # a CSV's geometry is in the GeoJSON beside it
    line = tmp_path / "zones.geometry.geojson" if ext == "csv" else out
    res = invoke(runner, ["areas", "--format", "json", "--line", str(line), *extra])
    assert res.exit_code == 0, res.output
    again = json.loads(res.stdout)["zones"][0]["area_km2"]
    ref = json.loads(invoke(runner, ["areas", "--format", "json"]).stdout)["zones"][0]["area_km2"]
    # the exported line has 7-decimal vertices (within 1 cm of the line used)
    assert again == pytest.approx(ref, rel=1e-6)
