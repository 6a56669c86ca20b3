"""Export: RFC 7946 GeoJSON, GeoPackage, KML and CSV with provenance; atomic; read back."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pyogrio
import pyogrio.raw
import pytest
import shapely
from shapely import Point
from shapely.geometry import shape

from geo.analysis import analyse
from geo.errors import InputError, OutputError
from geo.export import EXPORT_FORMATS, export_partition, format_from_path
from geo.io import read_features
from geo.measure import geodesic_area_m2


@pytest.fixture(scope="module")
def sources():
    return analyse()


def _export(tmp: Path, name: str, analysis, **kw) -> Path:
    return export_partition(tmp / name, analysis, **kw)


def test_geojson_is_rfc7946_with_zones_and_provenance(tmp_path, sources, golden_east_km2):
    p = _export(tmp_path, "z.geojson", sources, include=("places",))
    doc = json.loads(p.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    layers = {f["properties"]["layer"] for f in doc["features"]}
    assert layers == {"zones", "line", "places"}
    zones = {f["properties"]["zone"]: f for f in doc["features"]
             if f["properties"]["layer"] == "zones"}
    total = 0.0
    for zid, f in zones.items():
        g = shape(f["geometry"])
        for poly in shapely.get_parts(g):
            assert poly.exterior.is_ccw, zid
            assert all(not ring.is_ccw for ring in poly.interiors), zid
        lon, lat = shapely.get_coordinates(g).T
        assert 34.1 < lon.min() and lon.max() < 34.6 and 31.2 < lat.min() and lat.max() < 31.6
        props = f["properties"]
        assert props["area_km2"] == pytest.approx(geodesic_area_m2(g) / 1e6, rel=1e-9)
        assert props["datasets"].startswith(
            "gaza-outline@2017; yellow-line@2025-10-19; neighbours@2017")
        assert "geodesic" in props["method"] and "not stated" in props["licence"]
        total += props["share_pct"]
    assert total == pytest.approx(100.0, abs=1e-9)
    assert zones["east"]["properties"]["area_km2"] == pytest.approx(golden_east_km2, rel=2e-4)
    place = next(f for f in doc["features"] if f["properties"]["layer"] == "places")
    assert place["properties"]["dataset"] == "places@2025-10-28"
    assert "GeoNames" in place["properties"]["attribution"]
    assert doc["gazamap"]["layers"][0]["name"] == "zones"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_reads_back_with_the_same_areas(tmp_path, sources, fmt, golden_east_km2):
    p = _export(tmp_path, f"z.{fmt}", sources, include=("governorates",))
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))
        zones = {r["zone"]: shapely.from_wkt(r["wkt"]) for r in rows if r["layer"] == "zones"}
        assert {r["layer"] for r in rows} == {"zones", "line", "governorates"}
        assert any(r["name_ar"] == "رفح" for r in rows)
    elif fmt == "gpkg":
        names = [n for n, _ in pyogrio.list_layers(str(p))]
        assert names == ["zones", "line", "governorates"]
        meta, _, geoms, fd = pyogrio.raw.read(str(p), layer="zones")
        assert meta["crs"] == "EPSG:4326"
        zones = dict(zip(fd[list(meta["fields"]).index("zone")],
                         shapely.from_wkb(geoms), strict=True))
    else:
        kw = {"layer": "zones"} if fmt == "kml" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            feats = read_features(p, **kw)
        zones = {f.properties["zone"]: f.geometry for f in feats
                 if f.properties.get("layer") == "zones"}
    assert set(zones) == {"east", "west"}
    assert geodesic_area_m2(zones["east"]) / 1e6 == pytest.approx(golden_east_km2, rel=2e-4)
    assert (geodesic_area_m2(zones["east"]) + geodesic_area_m2(zones["west"])) / 1e6 == \
        pytest.approx(363.2, abs=0.05)


def test_kml_escapes_data_text(tmp_path, sources, write_geojson):
    user = write_geojson("poi.geojson", Point(34.45, 31.5),
                         props=[{"name": "<script>alert('x')</script>", "note": "a & b"}])
    p = _export(tmp_path, "z.kml", sources, include=(str(user),))
    raw = p.read_text(encoding="utf-8")
    assert "<script>" not in raw
    assert "&lt;script&gt;" in raw and "a &amp; b" in raw
    (f,) = read_features(p, layer="poi")
    assert f.properties["name"] == "<script>alert('x')</script>"


def test_nothing_is_left_behind_on_failure(tmp_path, sources):
    out = tmp_path / "z.geojson"
    with pytest.raises(InputError, match=r"no-such\.geojson: no such file"):
        _export(tmp_path, "z.geojson", sources, include=(str(tmp_path / "no-such.geojson"),))
    assert list(tmp_path.iterdir()) == []
    assert not out.exists()


def test_output_over_an_input_is_refused(tmp_path, sources, write_geojson):
    user = write_geojson("poi.geojson", Point(34.45, 31.5))
    before = user.read_bytes()
    with pytest.raises(OutputError, match=r"would overwrite the input"):
        export_partition(user, sources, include=(str(user),))
    assert user.read_bytes() == before


def test_format_from_path_refuses_unknown_extensions():
    assert format_from_path("a.kml") == "kml"
    with pytest.raises(InputError, match=r"cannot tell the format from the extension '.shp'"):
        format_from_path("a.shp")
