"""``gazamap count``: the JSON contract, the other formats, and one-line errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.read.sources import resolve
from tests._cli import invoke


def _layer(tmp_path: Path, n: int = 400, name: str = "sites.geojson") -> tuple[Path, int]:
    outline = resolve("gaza-outline", "boundary").geometry
    rng = np.random.default_rng(5)
    x0, y0, x1, y1 = outline.bounds
    xy = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    feats = [{"type": "Feature", "properties": {"id": k, "people": k % 7, "kind": "=cmd"},
              "geometry": {"type": "Point", "coordinates": [float(x), float(y)]}}
             for k, (x, y) in enumerate(xy)]
    p = tmp_path / name
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    inside = int(shapely.covers(outline, shapely.points(xy)).sum())
    return p, inside


def test_json_contract(runner, tmp_path):
    p, inside = _layer(tmp_path)
    r = invoke(runner, ["count", str(p), "--sum", "people", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) == {"layer", "zones", "outside", "on_line", "governorates", "no_governorate",
                      "datasets", "method", "warnings"}
    assert d["layer"]["file"] == "sites.geojson" and d["layer"]["features"] == 400
    assert str(tmp_path) not in r.stdout  # no local path in the output
    assert [z["id"] for z in d["zones"]] == ["east", "west"]
    assert sum(z["count"] for z in d["zones"]) == inside
    assert d["outside"]["count"] == 400 - inside
    for z in d["zones"]:
        assert z["count_low"] <= z["count"] <= z["count_high"]
        assert set(z["sum"]) == {"people"}
    assert "yellow-line@2025-10-19" in d["datasets"]
    assert d["method"]["counted_by"] == "point"


def test_table_markdown_and_csv(runner, tmp_path):
    p, _ = _layer(tmp_path)
    t = invoke(runner, ["count", str(p), "--quiet"])
    assert t.exit_code == 0 and "east" in t.stdout and "outside" in t.stdout
    m = invoke(runner, ["count", str(p), "--format", "markdown"])
    assert m.stdout.startswith("| zone |")
    c = invoke(runner, ["count", str(p), "--format", "csv", "--uncertainty", "0"])
    rows = list(csv.DictReader(io.StringIO(c.stdout)))
    east = next(r for r in rows if r["zone"] == "east" and r["scope"] == "strip")
    # u = 0 and nothing on the line: no interval (empty cells), never low == high
    assert east["count"] and east["count_low"] == east["count_high"] == ""
    out = tmp_path / "c.json"
    w = invoke(runner, ["count", str(p), "--format", "json", "--out", str(out)])
    assert w.exit_code == 0 and json.loads(out.read_text())["layer"]["features"] == 400
    again = invoke(runner, ["count", str(p), "--out", str(p)])
    assert again.exit_code == 2  # never over the input


def _one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_bad_input_is_one_line_and_exit_2(runner, tmp_path):
    p, _ = _layer(tmp_path)
    _one_line_error(invoke(runner, ["count", str(p), "--sum", "kind"]),
                    "sites.geojson", "field 'kind' is not numeric", "'=cmd'")
    _one_line_error(invoke(runner, ["count", str(p), "--sum", "nope"]),
                    "no field 'nope'", "'people'")
    far = tmp_path / "far.csv"
    far.write_text("lat,lon\n31.05,34.05\n31.06,34.07\n")
    _one_line_error(invoke(runner, ["count", str(far)]),
                    "far.csv", "none of the 2 features lies inside the outline")


def test_a_2gb_file_is_refused_by_the_size_limit(runner, tmp_path):
    big = tmp_path / "huge.geojson"
    with open(big, "wb") as fh:  # sparse: no 2 GB written
        fh.truncate(2 * 1024**3)
    assert big.stat().st_size == 2 * 1024**3
    if hasattr(os, "statvfs"):
        assert big.stat().st_blocks * 512 < 1024**2
    _one_line_error(invoke(runner, ["count", str(big)]),
                    "huge.geojson", "over the 200 MB limit", "--max-input-mb")


@pytest.mark.parametrize("fmt", ["json"])
def test_split_area_of_polygons(runner, tmp_path, fmt):
    sq = shapely.box(34.40, 31.45, 34.41, 31.46)
    p = tmp_path / "bld.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(sq)}]}))
    r = invoke(runner, ["count", str(p), "--split-area", "--format", fmt])
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["method"]["counted_by"].startswith("representative point")
    whole = abs(Geod(ellps="WGS84").geometry_area_perimeter(sq)[0]) / 1e6
    assert sum(z["area_km2"] for z in d["zones"]) == pytest.approx(whole, rel=1e-6)
    pts = tmp_path / "pts.csv"
    pts.write_text("lat,lon\n31.45,34.40\n")
    _one_line_error(invoke(runner, ["count", str(pts), "--split-area"]), "needs polygons")


def _parts(tmp_path: Path, n: int = 3000) -> Path:
    import geopandas as gpd

    outline = resolve("gaza-outline", "boundary").geometry
    rng = np.random.default_rng(9)
    x0, y0, x1, y1 = outline.bounds
    xy = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    gdf = gpd.GeoDataFrame({"id": np.arange(n), "people": rng.integers(0, 9, n)},
                           geometry=shapely.points(xy), crs="EPSG:4326")
    d = tmp_path / "sites"
    d.mkdir()
    for k in range(4):
        gdf.iloc[k * n // 4:(k + 1) * n // 4].to_parquet(d / f"part-{k}.parquet")
    return d


def test_geoparquet_folder_and_tagged_features(runner, tmp_path):
    import geopandas as gpd

    d = _parts(tmp_path)
    out = tmp_path / "tagged.gpkg"
    r = invoke(runner, ["count", str(d), "--sum", "people", "--format", "json",
                        "--out-features", str(out)])
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["layer"]["file"] == "sites" and res["layer"]["features"] == 3000
    back = gpd.read_file(out)
    counts = back["zone"].value_counts()
    assert {z["id"]: z["count"] for z in res["zones"]} == {k: int(counts[k])
                                                           for k in ("east", "west")}
    # the output guard: never over a part of the input, nor an unknown format
    _one_line_error(invoke(runner, ["count", str(d), "--out-features",
                                    str(d / "part-0.parquet")]), "part-0.parquet")
    _one_line_error(invoke(runner, ["count", str(d), "--out-features",
                                    str(tmp_path / "t.xlsx")]), "t.xlsx", ".parquet")


def test_engine_options_are_checked_first(runner, tmp_path, monkeypatch):
    import builtins

    d = _parts(tmp_path, 200)
    r = invoke(runner, ["count", str(d), "--workers", "2"])
    assert r.exit_code == 2 and "--engine dask" in r.stderr
    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    _one_line_error(invoke(runner, ["count", str(d), "--engine", "dask"]),
                    "--engine", "pip install 'gazamap[dask]'")


def test_a_broken_parquet_part_is_one_line(runner, tmp_path):
    d = _parts(tmp_path, 200)
    (d / "part-9.parquet").write_bytes(b"PAR1" + b"\0" * 64)
    _one_line_error(invoke(runner, ["count", str(d)]), "sites", "Parquet")


def test_render_and_export_read_geoparquet_and_flatgeobuf(runner, tmp_path):
    import geopandas as gpd
    import pyogrio

    d = _parts(tmp_path, 400)
    fgb = tmp_path / "sites_fgb.fgb"
    gpd.read_parquet(d).to_file(fgb)
    out = tmp_path / "x.gpkg"
    r = invoke(runner, ["export", "--include", str(d), "--include", str(fgb), "--out",
                        str(out)])
    assert r.exit_code == 0, r.stderr
    layers = dict(pyogrio.list_layers(out))
    assert layers["sites"] == layers["sites_fgb"] == "Point"
    assert len(gpd.read_file(out, layer="sites")) == 400
    page = tmp_path / "m.html"
    r = invoke(runner, ["render", "--offline", "--layer", str(fgb), "--out", str(page)])
    assert r.exit_code == 0, r.stderr
    assert "sites_fgb.fgb" in page.read_text()
