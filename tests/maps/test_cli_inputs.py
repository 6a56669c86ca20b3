"""The shared input options from the command line: --markers, --crs, --swap-axes,
--input-layer, --encoding, --max-input-mb, --data-dir, and bad inputs (exit 2, one line)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely import LineString
from shapely.geometry import mapping
from shapely.ops import substring

from geo.geometry.crs import from_laea, to_laea
from geo.geometry.partition import offset_line
from maps.cli import main
from tests._cli import invoke


def _areas(runner, *args, env=None):
    res = invoke(runner, ["areas", "--format", "json", *args], env=env)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res.stderr


def _east(d) -> float:
    return next(z for z in d["zones"] if z["id"] == "east")["area_km2"]


def _fail(runner, *args, env=None):
    res = invoke(runner, list(args), env=env)
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr  # one clear line
    assert "Traceback" not in res.output
    return lines[0]


def _fc(*geoms, props=None) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": (props or [{}] * len(geoms))[i],
         "geometry": mapping(g)} for i, g in enumerate(geoms)]})


def _project(g, crs):
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(g, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


# --- markers ------------------------------------------------------------------------------


def test_areas_from_markers(runner, markers_csv, golden_east_km2):
    d, err = _areas(runner, "--markers", str(markers_csv))
    # the blocks stand 300 m west of the 19 Oct line: ~13.6 km² more in the east zone
    assert _east(d) == pytest.approx(golden_east_km2 + 13.6, abs=0.6)
    assert d["line"]["file"] == markers_csv.name
    (outlier,) = d["line"]["markers"]["outliers"]
    assert outlier.startswith("'X1' (row ")
    assert "left out 1 outlier marker(s)" in err and "'X1'" in err
    assert "the northern end" in err


def test_markers_and_line_together_are_refused(runner, markers_csv):
    res = runner.invoke(main, ["areas", "--markers", str(markers_csv), "--line", "yellow-line"])
    assert res.exit_code == 2
    assert "give --line or --markers, not both" in res.output


def test_render_takes_markers(runner, markers_csv, tmp_path):
    out = tmp_path / "m.html"
    res = invoke(runner, ["render", "--markers", str(markers_csv), "--offline",
                               "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0


# --- CRS, axes, layers, encoding, size ----------------------------------------------------


def test_crs_option_for_projected_data(runner, tmp_path, yellow_line, golden_east_km2):
    p = tmp_path / "itm.geojson"
    p.write_text(_fc(_project(yellow_line, "EPSG:2039")))
    msg = _fail(runner, "areas", "--line", str(p))
    assert msg.startswith(f"gazamap: error: {p}: coordinates like (")
    assert "Fix: declare the CRS with --crs (EPSG:2039" in msg
    d, _ = _areas(runner, "--line", str(p), "--crs", "EPSG:2039")
    assert _east(d) == pytest.approx(golden_east_km2, rel=2e-4)


def test_swap_axes(runner, tmp_path, yellow_line, golden_east_km2):
    p = tmp_path / "latlon.geojson"
    p.write_text(_fc(shapely.transform(yellow_line, lambda c: c[:, ::-1])))
    assert "--swap-axes" in _fail(runner, "areas", "--line", str(p))
    d, _ = _areas(runner, "--line", str(p), "--swap-axes")
    assert _east(d) == pytest.approx(golden_east_km2, rel=2e-4)


def test_input_layer(runner, tmp_path, yellow_line, golden_east_km2):
    coords = " ".join(f"{x!r},{y!r}" for x, y in yellow_line.coords)
    p = tmp_path / "two.kml"
    p.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                 f"<Folder><name>IDF 19 Oct</name><Placemark><LineString><coordinates>{coords}"
                 "</coordinates></LineString></Placemark></Folder>"
                 "<Folder><name>notes</name><Placemark><Point><coordinates>34.4,31.4"
                 "</coordinates></Point></Placemark></Folder></Document></kml>")
    msg = _fail(runner, "areas", "--line", str(p))
    assert "the file has 2 layers: 'IDF 19 Oct', 'notes'" in msg
    assert "--input-layer NAME" in msg
    d, _ = _areas(runner, "--line", str(p), "--input-layer", "IDF 19 Oct")
    assert _east(d) == pytest.approx(golden_east_km2, rel=2e-4)


def test_encoding_and_max_input_mb(runner, tmp_path, yellow_line, golden_east_km2):
    p = tmp_path / "l1.geojson"
    p.write_bytes(_fc(yellow_line, props=[{"name": "NAME"}]).replace(
        "NAME", "ligne jaune côté est").encode("latin-1"))
    assert "not UTF-8" in _fail(runner, "areas", "--line", str(p))
    d, _ = _areas(runner, "--line", str(p), "--encoding", "latin-1")
    assert _east(d) == pytest.approx(golden_east_km2, rel=2e-4)
    msg = _fail(runner, "areas", "--line", str(p), "--max-input-mb", "0.0001")
    assert "over the 0.0001 MB limit. Fix: raise --max-input-mb" in msg


# --- user data directories ----------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, yellow_line) -> Path:
    d = tmp_path / "mydata"
    d.mkdir()
    moved = offset_line(yellow_line, 300.0)
    (d / "line_2025-11-20.geojson").write_text(_fc(moved))
    (d / "catalog.toml").write_text('''
[[dataset]]
id = "my-line"
version = "2025-11-20"
date = "2025-11-20"
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


def test_data_dir_lists_and_resolves_user_datasets(runner, data_dir, golden_east_km2):
    res = runner.invoke(main, ["datasets", "--data-dir", str(data_dir)])
    assert res.exit_code == 0, res.output
    assert "yellow-line@2025-10-19" in res.stdout
    assert "Your datasets" in res.stdout and "my-line@2025-11-20  (line)" in res.stdout
    rows = json.loads(runner.invoke(main, ["datasets", "--format", "json", "--data-dir",
                                           str(data_dir)]).stdout)
    mine = next(r for r in rows if r["id"] == "my-line")
    assert mine["origin"] == "user" and mine["licence"] == "CC BY 4.0"
    d, _ = _areas(runner, "--data-dir", str(data_dir), "--line", "my-line@2025-11-20")
    assert d["line"]["dataset"] == "my-line@2025-11-20"
    assert d["line"]["uncertainty_m"] == 50
    assert abs(_east(d) - golden_east_km2) > 10  # moved 300 m


def test_markers_from_a_user_points_dataset(runner, data_dir, markers_csv, golden_east_km2):
    (data_dir / "blocks.csv").write_bytes(markers_csv.read_bytes())
    with open(data_dir / "catalog.toml", "a", encoding="utf-8") as fh:
        fh.write('''
[[dataset]]
id = "blocks"
version = "2025-11-20"
title = "Yellow blocks read off imagery"
kind = "points"
file = "blocks.csv"
source = "own mapping"
licence = "CC BY 4.0"
attribution = "Example newsroom"
method = "one point per block"
''')
    d, err = _areas(runner, "--data-dir", str(data_dir), "--markers", "blocks")
    assert d["line"]["dataset"] == "blocks@2025-11-20"
    assert d["line"]["markers"]["outliers"][0].startswith("'X1'")
    assert _east(d) == pytest.approx(golden_east_km2 + 13.6, abs=0.6)
    assert "blocks@2025-11-20 (markers): left out 1 outlier" in err


def test_data_dir_from_the_environment(runner, data_dir):
    d, _ = _areas(runner, "--line", "my-line", env={"GAZAMAP_DATA_DIR": str(data_dir)})
    assert d["line"]["dataset"] == "my-line@2025-11-20"


def test_data_dir_errors(runner, tmp_path, data_dir):
    msg = _fail(runner, "datasets", "--data-dir", str(tmp_path / "none"))
    assert "the data directory does not exist" in msg
    (data_dir / "catalog.toml").write_text('[[dataset]]\nid = "x"\n')
    assert "dataset #1 ('x') lacks version, title, kind, file" in _fail(
        runner, "areas", "--data-dir", str(data_dir))


def test_user_dataset_with_its_crs(runner, tmp_path, yellow_line, golden_east_km2):
    d = tmp_path / "itm"
    d.mkdir()
    (d / "line.geojson").write_text(_fc(_project(yellow_line, "EPSG:2039")))
    entry = ('''[[dataset]]
id = "itm-line"
version = "1"
title = "t"
kind = "line"
file = "line.geojson"
source = "s"
licence = "l"
attribution = "a"
method = "m"
crs = "CRS"
''')
    (d / "catalog.toml").write_text(entry.replace("CRS", "EPSG:2039"))
    res, _ = _areas(runner, "--data-dir", str(d), "--line", "itm-line")
    assert _east(res) == pytest.approx(golden_east_km2, rel=2e-4)
    (d / "catalog.toml").write_text(entry.replace("CRS", "EPSG:123456"))
    msg = _fail(runner, "datasets", "--data-dir", str(d))
    assert ("dataset 'itm-line', field `crs`: 'EPSG:123456' is not a coordinate reference "
            "system") in msg


def test_outputs_never_overwrite_data_dir_files(runner, data_dir):
    target = data_dir / "line_2025-11-20.geojson"
    before = target.read_bytes()
    msg = _fail(runner, "areas", "--data-dir", str(data_dir), "--out", str(target))
    assert "would overwrite the input" in msg
    assert target.read_bytes() == before


# --- bad input at the command line: exit 2, one line, nothing written ----------------------


def _stops_short(yellow_line) -> LineString:
    ln = to_laea(yellow_line, dense=True)
    if ln.coords[0][1] < ln.coords[-1][1]:
        ln = ln.reverse()
    return from_laea(substring(ln, 1500, ln.length))


BAD = [
    ("empty.geojson", lambda yl: "", "the file is empty"),
    ("page.geojson", lambda yl: "<html><body>Not found</body></html>", "this is an HTML page"),
    ("cut.geojson", lambda yl: _fc(yl)[:200], "the file ends early: truncated?"),
    ("none.geojson", lambda yl: '{"type":"FeatureCollection","features":[]}', "no features"),
    ("point.geojson", lambda yl: _fc(shapely.Point(34.4, 31.45)), "expected a line, found"),
    ("short.geojson", lambda yl: _fc(_stops_short(yl)),
     "end stops"),
    ("zigzag.geojson", lambda yl: _fc(LineString([(34.2, 31.35), (34.6, 31.35), (34.6, 31.45),
                                                   (34.2, 31.45)])), "crosses the outline 4 times"),
]


@pytest.mark.parametrize("name,body,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_line_files_exit_2_with_one_line_and_no_output(runner, tmp_path, yellow_line,
                                                           name, body, expected):
    p = tmp_path / name
    p.write_text(body(yellow_line), encoding="utf-8")
    out = tmp_path / "out" / "areas.json"
    out.parent.mkdir()
    msg = _fail(runner, "areas", "--line", str(p), "--out", str(out))
    assert msg.startswith(f"gazamap: error: {p}: ")
    assert expected in msg and "Fix: " in msg
    assert list(out.parent.iterdir()) == []


def test_directory_as_line(runner, tmp_path):
    assert "is a directory, not a file" in _fail(runner, "areas", "--line", str(tmp_path))


def test_output_equal_to_the_line_file_is_refused(runner, tmp_path, yellow_line):
    p = tmp_path / "line.geojson"
    p.write_text(_fc(yellow_line))
    before = p.read_bytes()
    msg = _fail(runner, "areas", "--line", str(p), "--out", str(p))
    assert "the output would overwrite the input" in msg
    assert p.read_bytes() == before
