"""Counting a layer per zone, checked against an independent shapely count.

The reference partition is made here, without the product's code: the outline split in
lon/lat by the line as used (``shapely.ops.split``), the ±u band measured in an
azimuthal equidistant projection built with pyproj (not geo.geometry.crs), areas by pyproj.Geod.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely import Point
from shapely.ops import split

from geo.analysis import analyse
from geo.count import count_layer, count_points, split_areas, zone_set_from_analysis
from geo.count.zones import tag_in_zones
from geo.errors import InputError
from geo.read.features import Feature
from geo.read.io import read_features
from geo.read.points import read_table
from geo.read.sources import governorates

U_M = 300.0
_AEQD = "+proj=aeqd +lat_0=31.42 +lon_0=34.39 +datum=WGS84 +units=m"


@pytest.fixture(scope="module")
def report():
    return analyse(uncertainty_m=U_M, governorates=False, outlines=False, population=False)


@pytest.fixture(scope="module")
def zone_set(report):
    return zone_set_from_analysis(report)


@pytest.fixture(scope="module")
def reference(report):
    """East and west by shapely.ops.split of the outline by the line (lon/lat)."""
    outline = report.partition.boundary
    line = report.partition.line
    parts = list(split(outline, line).geoms)
    assert len(parts) == 2
    # east: the piece that holds a point 500 m inside the Israel fence near Khan Yunis
    probe = Point(34.355, 31.33)
    east = next(p for p in parts if p.covers(probe))
    west = next(p for p in parts if p is not east)
    return outline, line, east, west


def _aeqd(xy):
    tr = Transformer.from_crs("EPSG:4326", _AEQD, always_xy=True)
    return np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))


def _test_points(reference, n=6000, seed=7):
    """Random points over the Strip, plus points on the line, in the ponds, outside."""
    outline, line, _, _ = reference
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = outline.bounds
    rand = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    inside_line = shapely.intersection(line, outline)
    coords = shapely.get_coordinates(inside_line)
    on_line = np.vstack([coords[1:-1], (coords[1:-2] + coords[2:-1]) / 2])
    holes = np.array([shapely.get_coordinates(shapely.Polygon(r).point_on_surface())[0]
                      for r in outline.interiors])
    far = np.array([[34.0, 31.0], [34.8, 31.8]])
    return rand, on_line, holes, far


def _reference_count(reference, xy, u_m):
    """Zone of each point (0 east, 1 west, -1 outside) and 'may change zone' flags."""
    outline, line, east, west = reference
    pts = shapely.points(xy)
    on = shapely.distance(line, pts) < 1e-10
    zone = np.where(shapely.covers(east, pts) | (on & shapely.covers(outline, pts)), 0,
                    np.where(shapely.covers(west, pts), 1, -1))
    dist = shapely.distance(shapely.LineString(_aeqd(shapely.get_coordinates(line))),
                            shapely.points(_aeqd(xy)))
    maybe = ((dist <= u_m) | on) & (zone >= 0)
    return zone, maybe, dist


def test_counts_match_an_independent_shapely_count(reference, zone_set):
    rand, on_line, holes, far = _test_points(reference)
    xy = np.vstack([rand, on_line, holes, far])
    zone, maybe, dist = _reference_count(reference, xy, U_M)
    # a point within a metre of the band's edge is measured differently by the two
    # projections (a few millimetres at most): it is left out of the interval check
    clear = np.abs(dist - U_M) > 1.0
    r = count_points(xy, zone_set.zones, zone_set.governorates, zone_set.bands,
                     lines=zone_set.lines, holes=zone_set.holes)
    east, west = r.zone("east"), r.zone("west")
    assert (east.count, west.count) == (int((zone == 0).sum()), int((zone == 1).sum()))
    assert r.outside == int((zone == -1).sum())
    assert r.on_line == len(on_line) > 10
    assert (r.zone_of[len(rand):len(rand) + len(on_line)] == 0).all()  # on the line: east
    ponds = shapely.MultiPolygon([shapely.Polygon(h) for h in reference[0].interiors])
    in_ponds = int(shapely.covers(ponds, shapely.points(xy)).sum())
    assert len(holes) == 3 and r.outside_in_holes == in_ponds >= 3
    ok = clear
    ref_east_low = int(((zone == 0) & ~maybe & ok).sum())
    ref_east_high = int((((zone == 0) | maybe) & (zone >= 0) & ok).sum())
    got_low = (r.zone_of == 0)
    # recompute the product's interval on the points clear of the band edge only
    sub = count_points(xy[ok], zone_set.zones, (), zone_set.bands, lines=zone_set.lines)
    assert sub.zone("east").count_low == ref_east_low
    assert sub.zone("east").count_high == ref_east_high
    ref_west_low = int(((zone == 1) & ~maybe & ok).sum())
    ref_west_high = int((((zone == 1) | maybe) & (zone >= 0) & ok).sum())
    assert sub.zone("west").count_low == ref_west_low
    assert sub.zone("west").count_high == ref_west_high
    assert got_low.sum() == east.count
    assert east.count_low < east.count < east.count_high


def test_governorates_and_sums_match(reference, zone_set):
    rand, on_line, holes, far = _test_points(reference, n=3000, seed=3)
    xy = np.vstack([rand, on_line])
    w = np.random.default_rng(1).uniform(0, 10, len(xy))
    w[::17] = np.nan  # missing values are left out of the sums
    zone, _, _ = _reference_count(reference, xy, U_M)
    r = count_points(xy, zone_set.zones, zone_set.governorates, (), {"v": w},
                     lines=zone_set.lines)
    assert r.zone("east").sums["v"] == pytest.approx(np.nansum(w[zone == 0]), rel=1e-12)
    assert r.zone("west").sums["v"] == pytest.approx(np.nansum(w[zone == 1]), rel=1e-12)
    pts = shapely.points(xy)
    for g, f in zip(r.governorates, governorates().features, strict=True):
        inside = shapely.covers(f.geometry, pts) & (zone >= 0)
        assert g.count == int(inside.sum())
        assert g.zones["east"] == int((inside & (zone == 0)).sum())
    assert sum(g.count for g in r.governorates) + r.no_governorate == int((zone >= 0).sum())


def _geod_area_m2(g):
    geod = Geod(ellps="WGS84")
    return sum(abs(geod.geometry_area_perimeter(shapely.orient_polygons(p))[0])
               for p in shapely.get_parts(g) if not p.is_empty)


def test_split_area_matches_an_independent_intersection(reference, zone_set):
    outline, line, east, west = reference
    # 100 m buildings every ~500 m along the line, straddling it, and others away from it
    pts = shapely.line_interpolate_point(shapely.intersection(line, outline),
                                         np.linspace(0.05, 0.95, 40), normalized=True)
    c = shapely.get_coordinates(pts)
    d = 0.0005
    boxes = [shapely.box(x - d, y - d, x + d, y + d) for x, y in c]
    boxes += [shapely.box(34.30 + k * 0.001, 31.40, 34.3008 + k * 0.001, 31.4007)
              for k in range(10)]
    geoms = np.array(boxes, dtype=object)
    got = split_areas(geoms, zone_set.zones)
    ref_east = sum(_geod_area_m2(b.intersection(east)) for b in boxes)
    ref_west = sum(_geod_area_m2(b.intersection(west)) for b in boxes)
    assert got["east"][0] == pytest.approx(ref_east, rel=1e-6)
    assert got["west"][0] == pytest.approx(ref_west, rel=1e-6)
    with_bands = split_areas(geoms, zone_set.zones, zone_set.bands)
    # every box on the line lies within 300 m of it: all of it may change zone
    on = sum(_geod_area_m2(b) for b in boxes[:40])
    assert with_bands["east"][1] == pytest.approx(ref_east - sum(
        _geod_area_m2(b.intersection(east)) for b in boxes[:40]), rel=1e-6, abs=1.0)
    assert with_bands["east"][2] == pytest.approx(ref_east + sum(
        _geod_area_m2(b.intersection(west)) for b in boxes[:40]), rel=1e-6, abs=1.0)
    assert with_bands["east"][2] - with_bands["east"][1] == pytest.approx(on, rel=1e-6)


def _fc(feats):
    return {"type": "FeatureCollection", "features": feats}


def _pt(x, y, **props):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [x, y]}}


def test_fast_reader_agrees_with_the_strict_reader(tmp_path: Path):
    rng = np.random.default_rng(0)
    feats = [_pt(float(34.3 + rng.random() * 0.2), float(31.3 + rng.random() * 0.2),
                 v=int(k), name=f"n{k}") for k in range(500)]
    feats.append({"type": "Feature", "properties": {"v": 9}, "geometry": {
        "type": "Polygon", "coordinates": [[[34.4, 31.4], [34.41, 31.4], [34.41, 31.41],
                                            [34.4, 31.4]]]}})
    feats.append({"type": "Feature", "properties": {"v": 1}, "geometry": None})
    for name, fc in (("points", feats[:500]), ("mixed", feats)):
        p = tmp_path / f"{name}.geojson"
        p.write_text(json.dumps(_fc(fc)))
        t = read_table(p, fields=["v"])
        strict = [f for f in read_features(p) if not f.geometry.is_empty]
        ref = np.array([shapely.get_coordinates(f.geometry.representative_point()
                                                if f.geometry.geom_type != "Point"
                                                else f.geometry)[0] for f in strict])
        np.testing.assert_array_equal(t.xy, ref)
        assert t.columns["v"].tolist() == [f.properties["v"] for f in strict]
    assert t.skipped == 1 and t.kinds == {"Point": 500, "Polygon": 1}


@pytest.mark.parametrize(("text", "message"), [
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":["34.4",31.4]}}]}', "not a number"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":[34.4,31.4],"coordinates":[34.5,31.4]}}]}',
     "repeats the key 'coordinates'"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":[NaN,31.4]}}]}', "NaN or infinite"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":[true,31.4]}}]}', "not a number"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":[31.4,34.4]}}]}', "swapped"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":[3828000.0,3690000.0]}}]}', "not lon/lat"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":{"type":"Point","coordinates":"ab"}}]}', r"is not \[lon, lat\]"),
    ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
     '"geometry":["Point",[34.4,31.4]]}]}', "not a GeoJSON geometry object"),
])
def test_fast_reader_keeps_the_strict_checks(tmp_path: Path, text, message):
    p = tmp_path / "bad.geojson"
    p.write_text(text)
    with pytest.raises(InputError, match=message):
        read_table(p)


def test_fast_reader_transforms_a_declared_crs(tmp_path: Path):
    tr = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    x, y = tr.transform(34.45, 31.5)
    fc = _fc([_pt(x, y)])
    fc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32636"}}
    p = tmp_path / "utm.geojson"
    p.write_text(json.dumps(fc))
    t = read_table(p)
    np.testing.assert_allclose(t.xy, [[34.45, 31.5]], atol=1e-9)


def test_csv_points_and_bad_rows(tmp_path: Path):
    p = tmp_path / "p.csv"
    p.write_text("name,lat,lon,n\na,31.50,34.45,2\nb,31.40,34.35,3\n")
    t = read_table(p, fields=["n"])
    np.testing.assert_array_equal(t.xy, [[34.45, 31.5], [34.35, 31.4]])
    assert t.columns["n"].tolist() == ["2", "3"]
    p.write_text("name,lat,lon\na,31.50,34.45\nb,north,34.35\n")
    with pytest.raises(InputError, match=r"row 3: lat 'north' is not a number"):
        read_table(p)
    p.write_text("name,lat,lon\na,31.50,34.45\n")
    with pytest.raises(InputError, match=r"no field 'n' in the layer \(its fields: 'lat'"):
        read_table(p, fields=["n"])


def test_count_layer_sums_and_errors(tmp_path: Path, zone_set, reference):
    outline = reference[0]
    inside = shapely.get_coordinates(outline.representative_point())[0]
    p = tmp_path / "l.geojson"
    p.write_text(json.dumps(_fc([_pt(*inside, n=2.5, s="x"), _pt(*inside, n=None, s="y"),
                                 _pt(34.0, 31.0, n=4, s="z")])))
    res = count_layer(p, zone_set, sum_fields=["n"]).to_dict()
    total = sum(z["count"] for z in res["zones"])
    assert total == 2 and res["outside"]["count"] == 1
    assert sum(z["sum"]["n"] for z in res["zones"]) == 2.5
    assert res["layer"]["features"] == 3 and len(res["layer"]["sha256"]) == 64
    assert any("empty on 1 feature" in w for w in res["warnings"])
    with pytest.raises(InputError, match=r"field 's' is not numeric: feature #1 has 'x'"):
        count_layer(p, zone_set, sum_fields=["s"])
    q = tmp_path / "far.geojson"
    q.write_text(json.dumps(_fc([_pt(34.05, 31.05), _pt(34.06, 31.06)])))
    with pytest.raises(InputError, match=r"none of the 2 features lies inside the outline"):
        count_layer(q, zone_set)


def test_polygons_count_by_a_point_on_them(zone_set):
    # a C-shaped polygon whose centroid lies outside it: counted where it stands
    c = shapely.Polygon([(34.44, 31.50), (34.46, 31.50), (34.46, 31.501), (34.441, 31.501),
                         (34.441, 31.509), (34.46, 31.509), (34.46, 31.51), (34.44, 31.51)])
    t_xy = shapely.get_coordinates(c.point_on_surface())
    assert c.covers(Point(t_xy[0])) and not c.covers(c.centroid)
    r = count_points(t_xy, zone_set.zones)
    assert sum(z.count for z in r.zones) == 1
    _ = Feature  # the features API stays importable beside the table API


# --- GeoParquet, FlatGeobuf, the dask engine, tags ------------------------------------


@pytest.fixture(scope="module")
def big_layer(reference, tmp_path_factory):
    """~12,000 points (random, on the line, in the ponds, far) with a weight, as 5
    GeoParquet parts, and the expected zones from the reference split."""
    import geopandas as gpd

    rand, on_line, holes, far = _test_points(reference, n=12_000, seed=11)
    xy = np.vstack([rand, on_line, holes, far])
    rng = np.random.default_rng(2)
    w = rng.uniform(0, 1e6, len(xy)) / 7  # sums that rounding order would change
    w[::13] = np.nan
    gdf = gpd.GeoDataFrame({"id": np.arange(len(xy)), "v": w},
                           geometry=shapely.points(xy), crs="EPSG:4326")
    d = tmp_path_factory.mktemp("big")
    parts = d / "parts"
    parts.mkdir()
    cuts = np.linspace(0, len(xy), 6).astype(int)
    for k in range(5):
        gdf.iloc[cuts[k]:cuts[k + 1]].to_parquet(parts / f"part-{k}.parquet")
    zone, _, _ = _reference_count(reference, xy, U_M)
    return d, gdf, zone


def _expected(gdf, zone):
    import math

    w = gdf["v"].to_numpy()
    return {zid: (int((zone == k).sum()),
                  math.fsum(w[(zone == k) & ~np.isnan(w)].tolist()))
            for k, zid in enumerate(["east", "west"])}


def _figures(lc):
    d = lc.to_dict()
    d["method"].pop("engine")
    return d


def test_geoparquet_parts_local_and_dask_match_the_reference(big_layer, zone_set):
    d, gdf, zone = big_layer
    want = _expected(gdf, zone)
    local = count_layer(d / "parts", zone_set, sum_fields=["v"])
    got = {z.id: (z.count, z.sums["v"]) for z in local.counts.zones}
    assert got == want  # counts, and sums as the correctly rounded exact sums
    assert local.counts.outside == int((zone == -1).sum())
    assert local.layer.features == len(gdf)
    on_dask = count_layer(d / "parts", zone_set, sum_fields=["v"], engine="dask", workers=2)
    assert _figures(on_dask) == _figures(local)  # to the unit, intervals included
    assert "dask" in on_dask.method.engine and "5 part(s)" in on_dask.method.engine


def test_a_local_cluster_starts_while_port_8787_is_taken(big_layer, zone_set):
    """Two dask counts at once (or any dashboard on 8787) must not stop a count."""
    import socket

    d, _, _ = big_layer
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 8787))
            s.listen()
        except OSError:
            pass  # already held by something else: the case this test is about
        got = count_layer(d / "parts", zone_set, engine="dask", workers=1)
    assert _figures(got) == _figures(count_layer(d / "parts", zone_set))


def test_an_existing_scheduler_counts_the_same(big_layer, zone_set):
    import socket
    import subprocess
    import sys
    import time

    from distributed import Client

    d, gdf, zone = big_layer
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    procs = []
    try:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
             str(port), "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nworkers", "1",
             "--nthreads", "1", "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 60
        while True:  # the scheduler up, and one worker joined
            try:
                with Client(address, timeout="2s", set_as_default=False) as c:
                    c.wait_for_workers(1, timeout=30)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        got = count_layer(d / "parts", zone_set, sum_fields=["v"], engine="dask",
                          scheduler=address)
        assert {z.id: (z.count, z.sums["v"]) for z in got.counts.zones} == _expected(gdf, zone)
        local = count_layer(d / "parts", zone_set, sum_fields=["v"])
        assert _figures(got) == _figures(local)
    finally:
        for p in reversed(procs):
            p.kill()
            p.wait(timeout=30)


def test_an_unreachable_scheduler_is_one_clear_error(big_layer, zone_set):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="cannot reach the dask scheduler"):
        count_layer(big_layer[0] / "parts", zone_set, engine="dask",
                    scheduler=f"tcp://127.0.0.1:{port}")


def test_flatgeobuf_and_projected_geoparquet_count_the_same(big_layer, zone_set):
    d, gdf, zone = big_layer
    gdf.to_file(d / "layer.fgb")
    gdf.to_crs("EPSG:2039").to_parquet(d / "itm.parquet")
    want = {zid: n for zid, (n, _) in _expected(gdf, zone).items()}
    for name in ("layer.fgb", "itm.parquet"):
        got = count_layer(d / name, zone_set, sum_fields=["v"])
        # the ITM round trip moves points by nanometres: those on the line may leave it
        counts = {z.id: z.count for z in got.counts.zones}
        assert sum(counts.values()) == sum(want.values()), name
        assert abs(counts["east"] - want["east"]) <= (0 if name.endswith("fgb") else 40)


def test_tagged_features_read_back_with_their_zone(big_layer, zone_set, tmp_path):
    import csv
    import io

    import geopandas as gpd

    from geo.count.tag import write_tagged

    d, gdf, zone = big_layer
    counted = count_layer(d / "parts", zone_set, engine="dask", workers=2, labels=True)
    names = np.array(["east", "west", None], dtype=object)
    want = names[np.where(zone >= 0, zone, 2)]
    for ext in (".parquet", ".gpkg", ".fgb", ".geojson", ".csv"):
        out = tmp_path / f"tagged{ext}"
        write_tagged(d / "parts", out, zone_set, labels=counted.labels)
        if ext == ".csv":
            rows = list(csv.DictReader(io.StringIO(out.read_text())))
            got = {int(r["id"]): (r["zone"] or None) for r in rows}
            assert {"governorate", "in_band", "lon", "lat", "wkt"} <= set(rows[0])
        else:
            back = gpd.read_parquet(out) if ext == ".parquet" else gpd.read_file(out)
            got = {int(i): (z if isinstance(z, str) else None)
                   for i, z in zip(back["id"], back["zone"], strict=True)}
            assert set(back.columns) >= {"zone", "governorate", "in_band", "v"}
            if ext == ".parquet":  # streamed: the rows, types and points as they were
                assert back["id"].tolist() == gdf["id"].tolist()
                assert back["v"].dtype == gdf["v"].dtype and back.crs.equals("OGC:CRS84")
                assert np.array_equal(shapely.get_coordinates(back.geometry.values),
                                      shapely.get_coordinates(gdf.geometry.values))
        assert got == dict(enumerate(want)), ext
    with pytest.raises(Exception, match="input"):
        write_tagged(d / "parts", d / "parts" / "part-0.parquet", zone_set)


def test_analysis_tag_gives_each_row_its_zone(report, big_layer):
    d, gdf, zone = big_layer
    sub = gdf.iloc[::7].to_crs("EPSG:32636")  # any CRS: tagged in lon/lat
    tagged = tag_in_zones(report, sub)
    names = np.array(["east", "west", None], dtype=object)
    want = names[np.where(zone[::7] >= 0, zone[::7], 2)]
    assert [z if isinstance(z, str) else None for z in tagged["zone"]] == want.tolist()
    assert tagged.crs == sub.crs and "zone" not in sub.columns
    govs = set(tagged["governorate"].dropna())
    assert govs <= {"North Gaza", "Gaza", "Deir al-Balah", "Khan Yunis", "Rafah"}
    assert tagged["in_band"].sum() > 0


def test_big_format_errors_name_the_file(big_layer, zone_set, tmp_path):
    import geopandas as gpd

    d, gdf, _ = big_layer
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match=r"bad\.parquet: not a readable \(Geo\)Parquet"):
        count_layer(bad, zone_set)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    gdf.iloc[:100].to_parquet(mixed / "a.parquet")
    gdf.iloc[100:200].to_crs("EPSG:2039").to_parquet(mixed / "b.parquet")
    with pytest.raises(InputError, match="b.parquet declares the CRS"):
        count_layer(mixed, zone_set)
    with pytest.raises(InputError, match="no field 'people'"):
        count_layer(d / "parts", zone_set, sum_fields=["people"])
    plain = tmp_path / "plain.parquet"
    gdf.iloc[:10].drop(columns="geometry").to_parquet(plain)
    with pytest.raises(InputError, match="without GeoParquet metadata"):
        count_layer(plain, zone_set)
    assert isinstance(gpd, object)


def test_without_dask_the_engine_says_how_to_install_it(monkeypatch, big_layer, zone_set):
    import builtins

    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(InputError, match=r"pip install 'gazamap\[dask\]'"):
        count_layer(big_layer[0] / "parts", zone_set, engine="dask")


def _readme_section(title):
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = text.index(f"### {title}")
    end = text.index("\n## ", start) if "\n## " in text[start:] else len(text)
    nxt = text.find("\n### ", start + 4)
    return text[start:min(end, nxt) if nxt != -1 else end]


def test_the_readme_past_one_machine_example_runs(tmp_path):
    import re
    import subprocess
    import sys

    blocks = re.findall(r"```python\n(.*?)```", _readme_section("Past one machine"), re.S)
    assert blocks, "the section has its example"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "GAZAMAP_QUIET": "1"}
    for k, code in enumerate(blocks):
        script = tmp_path / f"block_{k}.py"
        script.write_text(code)
        r = subprocess.run([sys.executable, "-W", "ignore", str(script)], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
        assert re.search(r"^east \d+", r.stdout, re.M), r.stdout
    assert len(list((tmp_path / "sites").glob("*.parquet"))) >= 4


def test_a_big_file_is_split_by_row_groups(big_layer, zone_set, tmp_path, monkeypatch):
    import geo.read.arrow as arrow
    from geo.read.arrow import layer_parts

    d, gdf, zone = big_layer
    one = tmp_path / "one.parquet"
    gdf.to_parquet(one, row_group_size=1000)
    monkeypatch.setattr(arrow, "PART_ROWS", 3000)
    parts = layer_parts(one, "geoparquet", 200)
    assert len(parts) == -(-len(gdf) // 3000) and parts[1].first_row == 3000
    got = count_layer(one, zone_set, sum_fields=["v"], labels=True)
    assert {z.id: (z.count, z.sums["v"]) for z in got.counts.zones} == _expected(gdf, zone)
    assert (got.labels.zone == np.where(zone >= 0, zone, -1)).all()  # rows in file order


def test_tallies_of_any_split_add_up_to_the_whole(reference, zone_set):
    from geo.count import Tally, tally_points

    rand, on_line, holes, far = _test_points(reference, n=4000, seed=5)
    xy = np.vstack([rand, on_line, holes, far])
    rng = np.random.default_rng(8)
    w = rng.lognormal(3, 4, len(xy))  # wide magnitudes: float addition order matters
    w[::11] = np.nan
    args = (zone_set.zones, zone_set.governorates, zone_set.bands)
    kw = {"lines": zone_set.lines, "holes": zone_set.holes}
    whole, _ = tally_points(xy, *args, {"w": w}, **kw)
    for _ in range(3):
        order = rng.permutation(len(xy))
        cuts = np.sort(rng.choice(np.arange(1, len(xy)), 6, replace=False))
        total = Tally.empty([z for z, _ in zone_set.zones],
                            [(n, a) for n, a, _ in zone_set.governorates], ["w"])
        for chunk in np.split(order, cuts)[::-1]:  # another order of parts and of points
            t, _ = tally_points(xy[chunk], *args, {"w": w[chunk]}, **kw)
            total = total + t
        assert total == whole
        assert total.result().zones == whole.result().zones  # floats equal, not close
    with pytest.raises(ValueError, match="different zone sets"):
        _ = whole + Tally.empty(["a", "b"])


def test_a_big_flatgeobuf_is_split_into_ranges(big_layer, zone_set, tmp_path, monkeypatch):
    import geo.read.arrow as arrow
    from geo.read.arrow import layer_parts

    d, gdf, _ = big_layer
    fgb = tmp_path / "one.fgb"
    gdf.to_file(fgb, SPATIAL_INDEX="NO")  # file order = the frame's order
    whole = count_layer(fgb, zone_set, sum_fields=["v"], labels=True)
    monkeypatch.setattr(arrow, "PART_ROWS", 2500)
    parts = layer_parts(fgb, "flatgeobuf", 200)
    assert len(parts) == -(-len(gdf) // 2500) and parts[2].first_row == 5000
    split = count_layer(fgb, zone_set, sum_fields=["v"], labels=True)
    assert _figures(split) == _figures(whole)
    assert (split.labels.zone == whole.labels.zone).all()


def test_a_geojson_layer_counts_the_same_on_dask(big_layer, zone_set, tmp_path):
    d, gdf, zone = big_layer
    p = tmp_path / "sites.geojson"
    gdf.iloc[::3].to_file(p, driver="GeoJSON")
    local = count_layer(p, zone_set, sum_fields=["v"], labels=True)
    on_dask = count_layer(p, zone_set, sum_fields=["v"], engine="dask", workers=2,
                          labels=True)
    assert _figures(on_dask) == _figures(local)
    assert (on_dask.labels.zone == local.labels.zone).all()
    assert local.counts.zone("east").count == int((zone[::3] == 0).sum())


def test_tally_frame_of_partitions_equals_the_layer_count(big_layer, zone_set):
    import functools
    import operator

    from geo.count.engines import tally_frame

    d, gdf, zone = big_layer
    local = count_layer(d / "parts", zone_set, sum_fields=["v"])
    projected = gdf.to_crs("EPSG:2039")  # partitions in any CRS
    parts = [tally_frame(projected.iloc[k::4], zone_set, ["v"]) for k in range(4)]
    total = functools.reduce(operator.add, parts).result()
    # the ITM round trip moves points by nanometres: those on the line may leave it
    assert sum(z.count for z in total.zones) == sum(z.count for z in local.counts.zones)
    assert abs(total.zone("east").count - local.counts.zone("east").count) <= 40
    exact = [tally_frame(gdf.iloc[k::4], zone_set, ["v"]) for k in range(4)]
    assert functools.reduce(operator.add, exact).result().zones == local.counts.zones
    with pytest.raises(InputError, match="no field 'nope'"):
        tally_frame(gdf, zone_set, ["nope"])
