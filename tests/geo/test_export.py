"""Export: every format read back by GDAL (pyogrio) and checked against the analysis.

Two zones (the packaged line) and three (a second line 1.5 km west, built here in UTM
without the product's code): names, types, CRS, feature counts, areas; GeoPackage 1.2,
reproducible and styled; precision; CSV cells a spreadsheet keeps; GeoParquet metadata.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import tomllib
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from pyproj import CRS, Transformer
from shapely import LineString, Point
from shapely.geometry import mapping, shape

from geo.analysis import analyse
from geo.errors import InputError, OutputError
from geo.geometry.measure import geodesic_area_m2
from geo.read.features import Feature
from geo.read.io import read_features
from geo.write.delimited import CSV_CELL_MAX, csv_documents
from geo.write.export import EXPORT_FORMATS, ExportLayer, export_partition, format_from_path
from layers.styles import export_styles, zone_style

DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
UTM = Transformer.from_crs(4326, 32636, always_xy=True)
GPKG_VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")


def _west_line(offset_m: float) -> LineString:
    """The 19 Oct line moved ``offset_m`` metres west (in UTM 36N, not the product's CRS)."""
    feats = json.loads((DATA / "yellow_line_2025-10-19.geojson").read_text())["features"]
    line = shapely.union_all([shape(f["geometry"]) for f in feats])
    fwd = shapely.transform(line, lambda c: np.column_stack(UTM.transform(c[:, 0], c[:, 1])))
    west = min((fwd.offset_curve(d) for d in (offset_m, -offset_m)), key=lambda c: c.centroid.x)
    return shapely.transform(west, lambda c: np.column_stack(
        UTM.transform(c[:, 0], c[:, 1], direction="INVERSE")))


@pytest.fixture(scope="module")
def two():
    return analyse()


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    p = tmp_path_factory.mktemp("orange") / "orange.geojson"
    p.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": mapping(_west_line(1500.0))}), encoding="utf-8")
    return analyse(lines=["yellow-line@2025-10-19", str(p)], uncertainty_m=[300, 200])


@pytest.fixture(params=["two", "three"])
def partition(request):
    return request.getfixturevalue(request.param)


def _export(tmp: Path, name: str, analysis, **kw) -> Path:
    return export_partition(tmp / name, analysis, **kw)


def _line_layers(analysis) -> list[str]:
    return ["line" if i == 0 else f"line-{i + 1}" for i in range(len(analysis.lines))]


def test_geojson_is_rfc7946_with_zones_and_provenance(tmp_path, two, golden_east_km2):
    p = _export(tmp_path, "z.geojson", two, include=("places",))
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
        # the figure is from full precision; the file's 7-decimal vertices (within 1 cm)
        # measure the same area to ~1e-8
        assert props["area_km2"] == pytest.approx(geodesic_area_m2(g) / 1e6, rel=1e-7)
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


# --- read back by GDAL -------------------------------------------------------------------


def _ogr_layers(p: Path, fmt: str) -> dict[str, dict]:
    """Every layer GDAL (pyogrio) sees: info and the zone -> geometry of zone rows."""
    out = {}
    for name, _ in pyogrio.list_layers(str(p)):
        info = pyogrio.read_info(str(p), layer=name)
        meta, _, geoms, fields = pyogrio.raw.read(str(p), layer=name)
        cols = dict(zip(meta["fields"], fields, strict=True))
        out[name] = {"info": info, "cols": cols,
                     "geoms": None if geoms is None else shapely.from_wkb(geoms)}
    return out


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "fgb"])
def test_gdal_reads_names_types_crs_and_counts(tmp_path, partition, fmt):
    n_zones = len(partition.zones)
    kw = {"csv_geometry": "sidecar"} if fmt == "csv" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a GDAL warning surfaced by pyogrio fails the test
        p = _export(tmp_path, f"z.{fmt}", partition, include=("governorates",),
                    styles=export_styles(len(partition.lines)), **kw)
        layers = _ogr_layers(p, fmt)
    lines = _line_layers(partition)
    if fmt in ("gpkg", "kml"):
        expected = ["zones", *lines, "governorates"]
        assert list(layers)[:len(expected)] == expected
        assert set(layers) - set(expected) <= {"layer_styles"}
        zones = layers["zones"]
        for name in lines:
            assert layers[name]["info"]["features"] == 1
            assert list(layers[name]["cols"]["layer"]) == [name]
        assert layers["governorates"]["info"]["features"] == 5
    else:
        (only,) = layers.values()
        layer_col = list(only["cols"]["layer"])
        assert layer_col.count("zones") == n_zones
        assert [x for x in layer_col if x.startswith("line")] == lines
        assert layer_col.count("governorates") == 5
        zones = only
    info = zones["info"]
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    for name in ("area_km2", "share_pct", "share_pct_low", "share_pct_high",
                 "share_pct_of_365"):
        assert types[name] == "float64", (fmt, name, types[name])
    if fmt == "csv":
        assert info["crs"] is None and info["geometry_type"] is None  # geometry beside it
    else:
        assert info["crs"] == "EPSG:4326"
    areas = {z: a for z, a, lay in zip(zones["cols"]["zone"], zones["cols"]["area_km2"],
                                       zones["cols"]["layer"], strict=True) if lay == "zones"}
    if fmt != "fgb":  # FlatGeobuf's R-tree stores features in Hilbert order
        assert list(areas) == list(partition.zone_ids)
    assert areas == pytest.approx({z.id: z.area_km2 for z in partition.zones}, rel=1e-12)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_reads_back_with_the_same_areas(tmp_path, partition, fmt,
                                                      golden_east_km2):
    p = _export(tmp_path, f"z.{fmt}", partition, include=("governorates",))
    if fmt == "csv":
        side = json.loads((tmp_path / "z.geometry.geojson").read_text(encoding="utf-8"))
        rows = list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))
        geoms = {f["properties"]["feature_id"]: shape(f["geometry"]) for f in side["features"]}
        zones = {r["zone"]: geoms[int(r["feature_id"])] for r in rows if r["layer"] == "zones"}
        assert {r["layer"] for r in rows} == {"zones", *_line_layers(partition), "governorates"}
        assert any(r["name_ar"] == "رفح" for r in rows)
    elif fmt == "parquet":
        import geopandas as gpd

        frame = gpd.read_parquet(p)
        assert frame.crs.to_epsg() == 4326
        z = frame[frame["layer"] == "zones"]
        zones = dict(zip(z["zone"], z.geometry, strict=True))
    elif fmt in ("gpkg", "fgb"):
        layer = "zones" if fmt == "gpkg" else None
        meta, _, geoms, fd = pyogrio.raw.read(str(p), layer=layer)
        assert meta["crs"] == "EPSG:4326"
        cols = dict(zip(meta["fields"], fd, strict=True))
        zones = {z: g for z, g, lay in zip(cols["zone"], shapely.from_wkb(geoms),
                                           cols["layer"], strict=True) if lay == "zones"}
    else:
        kw = {"layer": "zones"} if fmt == "kml" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            feats = read_features(p, **kw)
        zones = {f.properties["zone"]: f.geometry for f in feats
                 if f.properties.get("layer") == "zones"}
    assert sorted(zones) == sorted(partition.zone_ids)
    assert geodesic_area_m2(zones["east"]) / 1e6 == pytest.approx(golden_east_km2, rel=2e-4)
    for z in partition.zones:
        assert geodesic_area_m2(zones[z.id]) / 1e6 == pytest.approx(z.area_km2, rel=1e-7)
    assert sum(geodesic_area_m2(g) for g in zones.values()) / 1e6 == \
        pytest.approx(363.2, abs=0.05)


# --- GeoPackage ----------------------------------------------------------------------------


def _newest_catalog_date(refs: list[str]) -> str:
    """The newest date of ``refs`` read from the packaged catalog with tomllib."""
    cat = tomllib.loads((DATA / "catalog.toml").read_text(encoding="utf-8"))
    dates = [d["date"] for d in cat["dataset"] if f"{d['id']}@{d['version']}" in refs]
    full = [(d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10] for d in dates]
    return max(full)


def test_geopackage_is_version_1_2_reproducible_and_dated(tmp_path, partition):
    styles = export_styles(len(partition.lines))
    a = _export(tmp_path, "a.gpkg", partition, include=("places",), styles=styles)
    b = _export(tmp_path, "b.gpkg", partition, include=("places",), styles=styles)
    assert a.read_bytes() == b.read_bytes()
    con = sqlite3.connect(a)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10200
        triggers = {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'")}
        # GeoPackage 1.2's R-tree triggers, which GDAL 3.6 and QGIS 3.22 expect
        assert {f"rtree_zones_geom_update{k}" for k in (1, 2, 3, 4)} <= triggers
        assert not any(t.endswith(("update5", "update6", "update7")) for t in triggers)
        changes = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    finally:
        con.close()
    refs = [*partition.provenance.datasets, "places@2025-10-28"]
    assert changes == {f"{_newest_catalog_date(refs)}T00:00:00.000Z"}


def _qgis_rgba(hex_rgb: str, opacity: float) -> str:
    r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{int(round(opacity * 255))}"


def test_geopackage_carries_qgis_styles_in_the_map_colours(tmp_path, partition):
    n = len(partition.lines)
    p = _export(tmp_path, "s.gpkg", partition, include=("places",), styles=export_styles(n))
    meta, _, _, fd = pyogrio.raw.read(str(p), layer="layer_styles")
    rows = [dict(zip(meta["fields"], vals, strict=True)) for vals in zip(*fd, strict=True)]
    by_table = {r["f_table_name"]: r for r in rows}
    assert set(by_table) == {"zones", *_line_layers(partition), "places"}
    for r in rows:
        assert r["f_geometry_column"] == "geom" and r["useAsDefault"]
        assert r["f_table_schema"] == "" and r["f_table_catalog"] == ""
    zones = ET.fromstring(by_table["zones"]["styleQML"].split("\n", 1)[1])
    renderer = zones.find("renderer-v2")
    assert renderer is not None and renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == "zone"
    cats = {c.get("value"): c.get("symbol") for c in renderer.iter("category")}
    assert list(cats) == list(partition.zone_ids)
    symbols = {s.get("name"): s for s in renderer.iter("symbol")}
    for zid, sym in cats.items():
        expected = zone_style(zid, n)
        colour = symbols[sym].find(".//Option[@name='color']")
        assert colour is not None and colour.get("value") == _qgis_rgba(
            expected.fill, expected.fill_opacity)
    line = ET.fromstring(by_table["line"]["styleQML"].split("\n", 1)[1])
    widths = [float(o.get("value")) for o in line.iter("Option")
              if o.get("name") == "line_width"]
    assert max(widths) >= 4 and len(widths) == 2  # the line and its dark halo
    sld = ET.fromstring(by_table["zones"]["styleSLD"])
    literals = [e.text for e in sld.iter("{http://www.opengis.net/ogc}Literal")]
    assert literals == list(partition.zone_ids)
    fills = [e.text for e in sld.iter("{http://www.opengis.net/sld}CssParameter")
             if e.get("name") == "fill"]
    assert fills == [zone_style(z, n).fill for z in partition.zone_ids]


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
@pytest.mark.parametrize("fmt", ["gpkg", "kml", "geojson", "fgb", "csv"])
def test_system_ogrinfo_prints_no_warning(tmp_path, partition, fmt):
    p = _export(tmp_path, f"z.{fmt}", partition, include=("places",),
                styles=export_styles(len(partition.lines)))
    res = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(p)], capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    text = res.stdout + res.stderr
    assert not re.search(r"warning|error", text, re.I), text[:2000]
    assert "area_km2: Real" in text  # numbers typed in GDAL 3.6 too


@pytest.mark.skipif(not GPKG_VALIDATOR.exists() or shutil.which("python3") is None,
                    reason="GDAL's validate_gpkg.py (python3-gdal) not installed")
def test_gdal_validator_finds_no_issue(tmp_path, partition):
    p = _export(tmp_path, "z.gpkg", partition, include=("places",),
                styles=export_styles(len(partition.lines)))
    res = subprocess.run(["python3", str(GPKG_VALIDATOR), "-k", str(p)], capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 0 and res.stdout + res.stderr == "", res.stdout + res.stderr


# --- precision -----------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+\.(\d+)")


def _max_decimals(text: str) -> int:
    return max(len(m.group(1)) for m in _NUMBER.finditer(text))


def test_coordinates_have_seven_decimals_and_stay_within_a_centimetre(tmp_path, two):
    p = _export(tmp_path, "z.geojson", two)
    doc = json.loads(p.read_text(encoding="utf-8"))
    coords = json.dumps([f["geometry"] for f in doc["features"]])
    assert _max_decimals(coords) == 7
    for f in doc["features"]:
        if f["properties"]["layer"] != "zones":
            continue
        shown = shape(f["geometry"])
        true = two.zone(f["properties"]["zone"]).geometry
        # the same vertices, each moved by at most half a unit of the 7th decimal
        a, b = shapely.get_coordinates(shown), shapely.get_coordinates(
            shapely.orient_polygons(true, exterior_cw=False))
        assert a.shape == b.shape and np.abs(a - b).max() <= 0.5e-7 + 1e-12
    kml = _export(tmp_path, "z.kml", two).read_text(encoding="utf-8")
    kml_coords = " ".join(re.findall(r"<coordinates>([^<]*)</coordinates>", kml))
    assert _max_decimals(kml_coords) == 7
    # the figures themselves keep full precision
    area = re.search(r'<SimpleData name="area_km2">([^<]*)<', kml)
    assert area is not None and float(area.group(1)) == two.zone("east").area_km2


def test_geojson_is_much_smaller_than_at_full_precision(tmp_path, two):
    p = _export(tmp_path, "z.geojson", two)
    doc = json.loads(p.read_text(encoding="utf-8"))
    for f in doc["features"]:
        if f["properties"]["layer"] == "zones":
            f["geometry"] = mapping(shapely.orient_polygons(
                two.zone(f["properties"]["zone"]).geometry, exterior_cw=False))
    full = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    assert p.stat().st_size < 0.75 * len(full)


# --- CSV -----------------------------------------------------------------------------------


def _cells(text: str) -> list[list[str]]:
    # csv's own field limit (131,072) is left alone: a longer cell fails the test anyway
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("mode", ["sidecar", "none"])
def test_csv_cells_fit_a_spreadsheet_and_carry_types(tmp_path, partition, mode):
    p = _export(tmp_path, "z.csv", partition, include=("places",), csv_geometry=mode)
    rows = _cells(p.read_text(encoding="utf-8"))
    assert max(len(c) for r in rows for c in r) <= CSV_CELL_MAX
    head = rows[0]
    assert "wkt" not in head and head[:4] == ["layer", "feature_id", "lon", "lat"]
    beside = sorted(x.name for x in tmp_path.iterdir())
    if mode == "none":
        assert beside == ["z.csv"]
        return
    assert beside == ["z.csv", "z.csvt", "z.geometry.geojson", "z.prj"]
    types = next(csv.reader(io.StringIO((tmp_path / "z.csvt").read_text())))
    assert len(types) == len(head)
    kinds = dict(zip(head, types, strict=True))
    assert kinds["area_km2"] == kinds["share_pct"] == kinds["lon"] == "Real"
    assert kinds["zone"] == kinds["layer"] == "String"
    assert CRS.from_wkt((tmp_path / "z.prj").read_text()).to_epsg() == 4326
    side = json.loads((tmp_path / "z.geometry.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["feature_id"] for f in side["features"]] == \
        [int(r[1]) for r in rows[1:]]
    assert [f["properties"]["layer"] for f in side["features"]] == [r[0] for r in rows[1:]]


def test_csv_wkt_is_typed_geometry_for_gdal(tmp_path):
    line = LineString([(34.3, 31.3), (34.4, 31.4123456789)])
    layers = [ExportLayer("line", [Feature(line, {"layer": "line", "length_km": 15.2,
                                                  "used": True, "n": 3})])]
    docs = csv_documents(layers, "wkt")
    for suffix, data in docs.items():
        (tmp_path / ("t.csv" if suffix == "" else f"t{suffix}")).write_bytes(data)
    info = pyogrio.read_info(str(tmp_path / "t.csv"))
    assert info["crs"] == "EPSG:4326" and info["features"] == 1
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["length_km"] == "float64" and types["n"] == "int64"
    assert types["used"] == "bool"
    _, _, geoms, _ = pyogrio.raw.read(str(tmp_path / "t.csv"))
    assert shapely.from_wkb(geoms[0]).equals_exact(line, 0.6e-7)
    assert "34.4 31.4123457)" in docs[""].decode()


def test_csv_wkt_refuses_a_cell_a_spreadsheet_would_cut(tmp_path):
    long = LineString([(34.0 + i * 1e-5, 31.0 + (i % 7) * 1e-5) for i in range(3000)])
    layers = [ExportLayer("line", [Feature(long, {"layer": "line"})])]
    with pytest.raises(InputError, match=r"WKT of line 1 is [\d,]+ characters long; a "
                                         r"spreadsheet cell holds 32,767"):
        csv_documents(layers, "wkt")
    assert _max_decimals(csv_documents(layers, "sidecar")[".geometry.geojson"].decode()) <= 7


def test_csv_on_stdout_needs_no_file_beside_it(tmp_path, two):
    with pytest.raises(InputError, match="cannot have its geometry file beside it"):
        export_partition("-", two, fmt="csv")


def test_csv_sidecar_over_an_input_is_refused(tmp_path, two, write_geojson):
    user = write_geojson("z.geometry.geojson", Point(34.45, 31.5))
    before = user.read_bytes()
    with pytest.raises(OutputError, match="would overwrite the input"):
        export_partition(user.parent / "z.csv", two, include=(str(user),))
    assert user.read_bytes() == before
    assert sorted(x.name for x in user.parent.iterdir()) == ["z.geometry.geojson"]


def test_a_failed_csv_write_takes_its_new_sidecars_with_it(tmp_path, two, monkeypatch):
    import geo.write.export as ex

    real = ex.write_output
    (tmp_path / "z.prj").write_text("kept")  # existed before: a failure leaves it

    def failing(target, data, **kw):
        if str(target).endswith("z.csv"):
            raise OutputError("cannot write the output: the disk is full", source=str(target))
        return real(target, data, **kw)

    monkeypatch.setattr(ex, "write_output", failing)
    with pytest.raises(OutputError, match="disk is full"):
        export_partition(tmp_path / "z.csv", two)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["z.prj"]
    with pytest.raises(InputError, match="also the name of a file written beside it"):
        export_partition(tmp_path / "z.prj", two, fmt="csv")


# --- GeoParquet and FlatGeobuf ------------------------------------------------------------


def test_geoparquet_metadata_is_valid(tmp_path, partition):
    import pyarrow.parquet as pq

    p = _export(tmp_path, "z.parquet", partition, include=("places",))
    md = pq.read_metadata(p)
    geo = json.loads(md.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    col = geo["columns"]["geometry"]
    assert col["encoding"] == "WKB"
    assert CRS.from_json_dict(col["crs"]).to_epsg() == 4326
    assert set(col["geometry_types"]) >= {"Point", "LineString"}
    xmin, ymin, xmax, ymax = col["bbox"]
    assert 34.2 < xmin < xmax < 34.6 and 31.2 < ymin < ymax < 31.6
    assert col["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    schema = pq.read_schema(p)
    assert schema.field("area_km2").type == "double"
    table = pq.read_table(p)
    boxes = table.column("bbox").to_pylist()
    geoms = shapely.from_wkb(table.column("geometry").to_pylist())
    for box, g in zip(boxes, geoms, strict=True):
        assert (box["xmin"], box["ymin"], box["xmax"], box["ymax"]) == \
            pytest.approx(g.bounds, abs=1e-9)
    assert _export(tmp_path, "again.parquet", partition,
                   include=("places",)).read_bytes() == p.read_bytes()


def test_flatgeobuf_has_every_feature_and_an_index(tmp_path, partition):
    p = _export(tmp_path, "z.fgb", partition, include=("places",))
    info = pyogrio.read_info(str(p))
    assert info["features"] == len(partition.zones) + len(partition.lines) + 81
    assert info["capabilities"]["fast_spatial_filter"]
    assert p.read_bytes()[:3] == b"fgb"


# --- guards --------------------------------------------------------------------------------


def test_kml_escapes_data_text(tmp_path, two, write_geojson):
    user = write_geojson("poi.geojson", Point(34.45, 31.5),
                         props=[{"name": "<script>alert('x')</script>", "note": "a & b"}])
    p = _export(tmp_path, "z.kml", two, include=(str(user),))
    raw = p.read_text(encoding="utf-8")
    assert "<script>" not in raw
    assert "&lt;script&gt;" in raw and "a &amp; b" in raw
    (f,) = read_features(p, layer="poi")
    assert f.properties["name"] == "<script>alert('x')</script>"


def test_nothing_is_left_behind_on_failure(tmp_path, two):
    out = tmp_path / "z.geojson"
    with pytest.raises(InputError, match=r"no-such\.geojson: no such file"):
        _export(tmp_path, "z.geojson", two, include=(str(tmp_path / "no-such.geojson"),))
    assert list(tmp_path.iterdir()) == []
    assert not out.exists()


def test_output_over_an_input_is_refused(tmp_path, two, write_geojson):
    user = write_geojson("poi.geojson", Point(34.45, 31.5))
    before = user.read_bytes()
    with pytest.raises(OutputError, match=r"would overwrite the input"):
        export_partition(user, two, include=(str(user),))
    assert user.read_bytes() == before


def test_format_from_path_refuses_unknown_extensions():
    assert format_from_path("a.kml") == "kml"
    assert format_from_path("a.parquet") == "parquet" and format_from_path("a.fgb") == "fgb"
    with pytest.raises(InputError, match=r"cannot tell the format from the extension '.shp'"):
        format_from_path("a.shp")
