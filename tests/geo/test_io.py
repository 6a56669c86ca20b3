"""Reading users' files: every format, and a catalogue of bad inputs with their messages."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import shapely
from shapely import LineString, Point, Polygon, box
from shapely.geometry import mapping
from shapely.ops import substring

from geo.analysis import analyse
from geo.errors import InputError, PartitionError
from geo.geometry.crs import from_laea, to_laea, transformer
from geo.geometry.measure import geodesic_area_m2
from geo.read.io import (
    InputWarning,
    detect_format,
    list_layers,
    read_features,
    read_geometry,
)

LINE = LineString([(34.30, 31.30), (34.40, 31.45), (34.50, 31.55)])
INSIDE = Point(34.40, 31.45)
SQUARE = box(34.30, 31.40, 34.40, 31.50)


def fc(*geoms: Any, props: list[dict[str, Any]] | None = None) -> str:
    feats = [{"type": "Feature", "properties": (props or [{}] * len(geoms))[i],
              "geometry": g if isinstance(g, dict) else mapping(g)}
             for i, g in enumerate(geoms)]
    return json.dumps({"type": "FeatureCollection", "features": feats})


def write_shp(folder: Path, name: str, geoms: list[Any], props: dict[str, list[Any]],
              crs: str | None = "EPSG:4326", encoding: str | None = None,
              gtype: str = "LineString") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    cols = [np.array(v, dtype=object if isinstance(v[0], str) else None)
            for v in props.values()]
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array(geoms, dtype=object)), cols,
                      list(props), geometry_type=gtype, crs=crs, encoding=encoding,
                      driver="ESRI Shapefile")
    return path


def to_crs(g: Any, crs: str) -> Any:
    tr = transformer("EPSG:4326", crs)
    return shapely.transform(g, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


# --- the yellow line made bad in the ways the issue lists --------------------------------


@pytest.fixture(scope="module")
def ylaea(yellow_line: Any) -> LineString:
    line = to_laea(yellow_line, dense=True)
    # first vertex north
    return line if line.coords[0][1] > line.coords[-1][1] else line.reverse()


def _short(ylaea: LineString) -> LineString:
    return from_laea(substring(ylaea, 1500, ylaea.length))


def _gappy(ylaea: LineString) -> shapely.MultiLineString:
    a = ylaea.length / 2
    return shapely.MultiLineString([from_laea(substring(ylaea, 0, a)),
                                    from_laea(substring(ylaea, a + 2200, ylaea.length))])


def _along(outline: Any) -> LineString:
    ring = to_laea(outline.geoms[0].exterior if outline.geom_type == "MultiPolygon"
                   else outline.exterior, dense=True)
    return from_laea(substring(ring, 1000, 4000))


# --- the catalogue ------------------------------------------------------------------------

Maker = Callable[[Path, dict[str, Any]], tuple[Path, dict[str, Any]]]


def text(name: str, body: str | bytes) -> Maker:
    def make(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
        p = tmp / name
        if isinstance(body, bytes):
            p.write_bytes(body)
        else:
            p.write_text(body, encoding="utf-8")
        return p, {}
    return make


def geo(name: str, build: Callable[[dict[str, Any]], Any]) -> Maker:
    def make(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
        p = tmp / name
        g = build(ctx)
        p.write_text(fc(*(g if isinstance(g, list) else [g])), encoding="utf-8")
        return p, {}
    return make


def _dir(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    (tmp / "folder").mkdir()
    (tmp / "folder" / "readme.txt").write_text("x")
    return tmp / "folder", {}


def _missing(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    return tmp / "nope.geojson", {}


def _huge(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = tmp / "big.geojson"
    p.write_text(fc(LINE) + " " * 3000, encoding="utf-8")
    return p, {"max_mb": 0.001}


def _shp_no_prj_projected(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = write_shp(tmp / "s", "line", [to_crs(LINE, "EPSG:2039")], {"name": ["a"]},
                  crs="EPSG:2039")
    p.with_suffix(".prj").unlink()
    return p, {}


def _latin1_no_cpg(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = write_shp(tmp / "s", "line", [LINE], {"name": ["Gaza côte"]}, encoding="latin1")
    p.with_suffix(".cpg").unlink()
    # GDAL writes an ANSI code page byte; clear it, as many tools do
    raw = bytearray(p.with_suffix(".dbf").read_bytes())
    raw[29] = 0
    p.with_suffix(".dbf").write_bytes(bytes(raw))
    return p, {}


def _two_layer_gpkg(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = tmp / "two.gpkg"
    for n, name in enumerate(("yellow", "orange")):
        pyogrio.raw.write(str(p), shapely.to_wkb(np.array([LINE], dtype=object)),
                          [np.array(["x"], dtype=object)], ["name"], layer=name,
                          driver="GPKG", geometry_type="LineString", crs="EPSG:4326",
                          append=n > 0)
    return p, {}


def _two_shapefiles(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    write_shp(tmp / "shp", "yellow", [LINE], {"name": ["a"]})
    write_shp(tmp / "shp", "orange", [LINE], {"name": ["b"]})
    return tmp / "shp", {}


def _fifo(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = tmp / "pipe.geojson"
    os.mkfifo(p)
    return p, {}


def _small_gap(ctx: dict[str, Any]) -> shapely.MultiLineString:
    line = ctx["ylaea"]
    a = line.length / 2
    return shapely.MultiLineString([from_laea(substring(line, 0, a)),
                                    from_laea(substring(line, a + 12, line.length))])


def _crs_conflict(tmp: Path, ctx: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = tmp / "c.geojson"
    d = json.loads(fc(to_crs(LINE, "EPSG:2039")))
    d["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2039"}}
    p.write_text(json.dumps(d))
    return p, {"crs": "EPSG:32636"}


KML_TWO_FOLDERS = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>doc</name>
<Folder><name>Yellow line</name><Placemark><name>line</name><LineString><coordinates>
34.30,31.30,0 34.40,31.45,0 34.50,31.55,0</coordinates></LineString></Placemark></Folder>
<Folder><name>Blocks</name><Placemark><name>b1</name><Point><coordinates>34.40,31.45,0
</coordinates></Point></Placemark></Folder></Document></kml>"""

NAN_TEXT = ('{"type":"Feature","properties":{},"geometry":{"type":"LineString",'
            '"coordinates":[[34.3,31.3],[NaN,31.4],[34.5,31.55]]}}')
INF_TEXT = NAN_TEXT.replace("NaN", "Infinity")

# (id, maker, action, error class, message pattern)
ERRORS: list[tuple[str, Maker, str, type[Exception], str]] = [
    ("empty file", text("e.geojson", ""), "read", InputError, r"e\.geojson: the file is empty"),
    ("whitespace file", text("w.geojson", "  \n\t\n"), "read", InputError,
     r"only white space"),
    ("truncated JSON", text("t.geojson", fc(LINE)[:60]), "read", InputError,
     r"not valid JSON: .* \(line 1, column \d+\) \(the file ends early: truncated\?\)"),
    ("malformed JSON", text("m.geojson", '{"type": "Feature",, "x": 1}'), "read", InputError,
     r"not valid JSON: Expecting property name"),
    ("HTML saved as .geojson", text("h.geojson", "<!DOCTYPE html><html><body>map</body>"),
     "read", InputError, r"this is an HTML page, not GeoJSON .* Fix: download the raw"),
    ("no features", text("n.geojson", '{"type": "FeatureCollection", "features": []}'),
     "read", InputError, r"the FeatureCollection has no features"),
    ("NaN coordinates", text("nan.geojson", NAN_TEXT), "read", InputError,
     r"feature #1: 1 position\(s\) are NaN or infinite \(first: \[nan, 31.4\]\)"),
    ("infinite coordinates", text("inf.geojson", INF_TEXT), "read", InputError,
     r"NaN or infinite \(first: \[inf, 31.4\]\)"),
    ("string coordinates", text("s.geojson", fc({"type": "Point", "coordinates": ["34.4", 31]})),
     "read", InputError, r"coordinate '34.4' is not a number"),
    ("degenerate ring", geo("d.geojson", lambda c: {
        "type": "Polygon", "coordinates": [[[34.3, 31.4], [34.4, 31.4], [34.3, 31.4]]]}),
     "read", InputError, r"the outer ring is degenerate \(2 distinct position\(s\), no area\)"),
    ("collinear ring", geo("d2.geojson", lambda c: {
        "type": "Polygon", "coordinates": [[[34.3, 31.4], [34.35, 31.4], [34.4, 31.4],
                                            [34.3, 31.4]]]}),
     "read", InputError, r"the outer ring is degenerate"),
    ("unknown geometry type", geo("u.geojson", lambda c: {"type": "Circle",
                                                          "coordinates": [34.4, 31.4]}),
     "read", InputError, r"unknown geometry type 'Circle'"),
    ("TopoJSON", text("topo.json", '{"type": "Topology", "objects": {}}'), "read", InputError,
     r"this is TopoJSON"),
    ("duplicate structural key", text("dup.geojson",
                                      '{"type": "Feature", "properties": {}, "geometry": '
                                      '{"type": "Point", "coordinates": [34.4, 31.4], '
                                      '"coordinates": [34.0, 31.0]}}'),
     "read", InputError, r"repeats the key 'coordinates'"),
    ("Latin-1 text", text("l.geojson", fc(INSIDE, props=[{"name": "NAME"}]).replace(
        "NAME", "côte").encode("latin-1")),
     "read", InputError, r"the file is not UTF-8 \(byte b'\\xf4' at offset \d+\).*`encoding`"),
    ("file over the size limit", _huge, "read", InputError,
     r"the file is 0.00\d+ MB, over the 0.001 MB limit. Fix: raise max_mb"),
    ("a directory", _dir, "read", InputError, r"is a directory, not a file"),
    ("no such file", _missing, "read", InputError, r"nope\.geojson: no such file"),
    ("not a regular file", _fifo, "read", InputError, r"is not a regular file"),
    ("HTML saved as .gpkg", text("h.gpkg", "<!DOCTYPE html><html></html>"), "read",
     InputError, r"this is an HTML page, not a GeoPackage \(it starts with b'<!DOCTYPE"),
    ("several shapefiles in a folder", _two_shapefiles, "read", InputError,
     r"the file has 2 layers: 'orange', 'yellow'"),
    ("lat/lon swapped", geo("sw.geojson", lambda c: shapely.transform(
        LINE, lambda xy: xy[:, ::-1])), "read", InputError,
     r"look like lat/lon \(swapped\).*Fix: give swap_axes"),
    ("Web Mercator without crs member", geo("wm.geojson", lambda c: to_crs(LINE, "EPSG:3857")),
     "read", InputError,
     r"coordinates like \(3\.8\d+e\+06, 3\.6\d+e\+06\) are not lon/lat degrees: projected "
     r"data without a CRS.*"
     r"`crs` \(EPSG:3857 would put the data in Gaza\)"),
    ("outside the Gaza area", geo("far.geojson", lambda c: LineString([(2.3, 48.8), (2.4, 48.9)])),
     "read", InputError, r"the data lies outside the Gaza area \(first vertex lon 2.3000"),
    ("shapefile without .prj, metres", _shp_no_prj_projected, "read", InputError,
     r"not lon/lat degrees: projected data without a CRS.*EPSG:2039"),
    ("non-UTF-8 .dbf without .cpg", _latin1_no_cpg, "read", InputError,
     r"line\.cpg is missing and the attribute text is not UTF-8.*`encoding`"),
    ("several layers (GeoPackage)", _two_layer_gpkg, "read", InputError,
     r"the file has 2 layers: 'yellow', 'orange'. Fix: choose one with `layer`"),
    ("several layers (KML folders)", text("two.kml", KML_TWO_FOLDERS), "read", InputError,
     r"the file has 2 layers: 'Yellow line', 'Blocks'"),
    ("CRS conflict", _crs_conflict, "read", InputError,
     r"declares its CRS as 'EPSG:2039' but `crs` 'EPSG:32636' was given"),
    ("KML with entities", text("ent.kml", '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a '
                                          '"aaaa">]><kml><Document/></kml>'),
     "read", InputError, r"declares the XML entity .a. \(entities are refused"),
    ("broken KML", text("b.kml", "<kml><Document><Placemark></Document></kml>"), "read",
     InputError, r"not valid KML/XML \(mismatched tag at line 1, column \d+\)"),
    ("CSV decimal comma split by the delimiter", text("dc.csv", "id,lat,lon\nB1,31,42,34,40\n"),
     "read", InputError,
     r"row 2 has 5 fields but the header has 3; a decimal comma \(\"31,42\"\) splits"),
    ("CSV without coordinate columns", text("nc.csv", "id,a,b\n1,2,3\n"), "read",
     InputError, r"no coordinate columns among \['id', 'a', 'b'\]"),
    ("CSV value not a number", text("nn.csv", "id,lat,lon\nB1,31.4,N/A\n"), "read",
     InputError, r"row 2: lon 'N/A' is not a number"),
    ("CSV mixed decimal marks", text("mx.csv", "id;lat;lon\nB1;31,42;34.4\n"), "read",
     InputError, r"mixed decimal marks: '31,42'"),
    # where a line is expected
    ("a Point where a line is expected", geo("p.geojson", lambda c: INSIDE), "line",
     InputError, r"expected a line, found 1 Point \(points\? build the line from them with "
                 r"`markers`\)"),
    ("a GeometryCollection of points", geo("gc.geojson", lambda c: shapely.GeometryCollection(
        [INSIDE, Point(34.41, 31.46)])), "line", InputError,
     r"expected a line, found 1 GeometryCollection \(holding 2 Point\) \(points\? build"),
    ("MultiLineString with a gap", geo("gap.geojson", lambda c: _gappy(c["ylaea"])), "line",
     PartitionError, r"the line has 2 parts with a gap of 2\.2 km"),
    ("MultiLineString with a small gap", geo("gap12.geojson", _small_gap), "line",
     PartitionError, r"the line has 2 parts with a gap of 12\.0 m"),
    ("line that stops short", geo("short.geojson", lambda c: _short(c["ylaea"])), "line",
     PartitionError,
     r"the northern end stops \d+ m inside the outline \(snapping tolerance 500 m\). "
     r"Fix: extend the line"),
    ("line along the boundary", geo("along.geojson", lambda c: _along(c["outline"])), "line",
     PartitionError, r"the line runs along the outline for 3\d\d\d m"),
    ("line outside Gaza", geo("out.geojson", lambda c: LineString([(34.62, 31.30),
                                                                    (34.64, 31.45)])),
     "line", PartitionError, r"the line lies outside the outline \(\d+\.\d km away\)"),
    ("line crossing four times", geo("zig.geojson", lambda c: LineString(
        [(34.20, 31.35), (34.60, 31.35), (34.60, 31.45), (34.20, 31.45)])), "line",
     PartitionError, r"the line crosses the outline 4 times"),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_input_is_refused_with_file_problem_and_fix(case, tmp_path, outline, ylaea):
    _, make, action, exc, pattern = case
    path, kw = make(tmp_path, {"ylaea": ylaea, "outline": outline})
    with pytest.raises(exc, match=pattern) as info:
        if action == "read":
            read_features(path, **kw)
        else:
            analyse(line=str(path), **kw)
    err = info.value
    assert isinstance(err, InputError)
    assert str(path) in err.message  # names the file
    assert "Fix: " in err.message  # says what to do
    assert "\n" not in err.message  # one line


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    p = tmp_path / "locked.geojson"
    p.write_text(fc(LINE))
    p.chmod(0)
    with pytest.raises(InputError, match=r"cannot be read \(Permission denied\)"):
        read_features(p)


# --- stated repairs: accepted with a warning that says what was done ----------------------


def test_3d_and_4d_coordinates_drop_z_with_a_note(tmp_path):
    p = tmp_path / "z.geojson"
    p.write_text(fc({"type": "LineString",
                     "coordinates": [[34.3, 31.3, 10.0], [34.4, 31.45, 12.0, 1.0],
                                     [34.5, 31.55]]}))
    with pytest.warns(InputWarning, match=r"dropped the Z \(and M\) values of 2 coordinate"):
        (f,) = read_features(p)
    assert not f.geometry.has_z
    assert f.geometry.equals(LINE)


def test_self_intersecting_polygon_is_made_valid_keeping_both_loops(tmp_path, bowtie):
    p = tmp_path / "bowtie.geojson"
    p.write_text(fc(bowtie))
    with pytest.warns(InputWarning, match=r"invalid \(Self-intersection.*make_valid into 2 "
                                          r"part\(s\)"):
        g = read_geometry(p, "polygon")
    assert g.is_valid
    # both triangles kept: half of the square each side of the crossing; buffer(0) keeps one
    square = geodesic_area_m2(box(34.30, 31.40, 34.40, 31.50))
    assert geodesic_area_m2(g) == pytest.approx(square / 2, rel=1e-3)
    assert geodesic_area_m2(shapely.Polygon(bowtie).buffer(0)) < 0.6 * geodesic_area_m2(g)


def test_unclosed_ring_is_closed_with_a_warning(tmp_path):
    p = tmp_path / "open.geojson"
    p.write_text(fc({"type": "Polygon", "coordinates": [[[34.3, 31.4], [34.4, 31.4],
                                                         [34.4, 31.5], [34.3, 31.5]]]}))
    with pytest.warns(InputWarning, match=r"the outer ring was not closed.*closed it"):
        g = read_geometry(p, "polygon")
    assert g.equals(SQUARE)


def test_clockwise_rings_are_accepted_without_a_warning(tmp_path, write_geojson):
    cw = Polygon(list(SQUARE.exterior.coords)[::-1])
    assert not cw.exterior.is_ccw
    g = read_geometry(write_geojson("cw.geojson", cw), "polygon")
    assert geodesic_area_m2(g) == pytest.approx(geodesic_area_m2(SQUARE), rel=1e-12)


def test_overlapping_boundary_features_are_dissolved_with_a_warning(write_geojson):
    a, b = box(34.30, 31.40, 34.40, 31.50), box(34.35, 31.40, 34.45, 31.50)
    p = write_geojson("two.geojson", a, b)
    with pytest.warns(InputWarning, match=r"2 polygons overlap by 52\.\d{3} km²; dissolved"):
        g = read_geometry(p, "polygon")
    assert geodesic_area_m2(g) == pytest.approx(geodesic_area_m2(a.union(b)), rel=1e-9)


def test_duplicate_property_key_warns_and_keeps_the_last(tmp_path):
    p = tmp_path / "dup.geojson"
    p.write_text('{"type": "Feature", "properties": {"name": "a", "name": "b"}, "geometry": '
                 '{"type": "Point", "coordinates": [34.4, 31.4]}}')
    with pytest.warns(InputWarning, match=r"repeated JSON key\(s\) \['name'\]"):
        (f,) = read_features(p)
    assert f.properties["name"] == "b"


def test_cp1256_text_is_detected_and_decoded_with_a_warning(tmp_path):
    p = tmp_path / "ar.geojson"
    p.write_bytes(fc(INSIDE, props=[{"name": "خان يونس"}]).replace(
        "\\u", "\\\\u").encode("utf-8"))
    # a file really written in cp1256 (not JSON-escaped)
    body = fc(INSIDE, props=[{"name": "NAME"}]).replace("NAME", "خان يونس")
    p.write_bytes(body.encode("cp1256"))
    with pytest.warns(InputWarning, match=r"read it as cp1256 \(Windows Arabic\)"):
        (f,) = read_features(p)
    assert f.properties["name"] == "خان يونس"
    (g,) = read_features(p, encoding="cp1256")
    assert g.properties["name"] == "خان يونس"


def test_swap_axes_fixes_swapped_data_and_is_refused_on_good_data(tmp_path, write_geojson):
    p = write_geojson("sw.geojson", shapely.transform(LINE, lambda xy: xy[:, ::-1]))
    (f,) = read_features(p, swap_axes=True)
    assert f.geometry.equals(LINE)
    good = write_geojson("ok.geojson", LINE)
    with pytest.raises(InputError, match=r"with swap_axes the data lies outside Gaza.*"
                                         r"Fix: drop swap_axes"):
        read_features(good, swap_axes=True)


def test_projected_data_with_crs_option_is_transformed(write_geojson):
    p = write_geojson("wm.geojson", to_crs(LINE, "EPSG:3857"))
    (f,) = read_features(p, crs="EPSG:3857")
    assert shapely.equals_exact(f.geometry, LINE, tolerance=1e-9)
    with pytest.raises(InputError, match=r"`crs`: 'EPSG:0' is not a coordinate reference"):
        read_features(p, crs="EPSG:0")


def test_geojson_crs_member_is_honoured(tmp_path):
    d = json.loads(fc(to_crs(LINE, "EPSG:2039")))
    d["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2039"}}
    p = tmp_path / "itm.geojson"
    p.write_text(json.dumps(d))
    (f,) = read_features(p)
    assert shapely.equals_exact(f.geometry, LINE, tolerance=1e-8)


# --- formats ------------------------------------------------------------------------------


def test_kml_google_earth_export_with_folders_and_html_description(tmp_path):
    kml = KML_TWO_FOLDERS.replace(
        "<name>line</name>",
        "<name>line</name><description><![CDATA[<b>IDF</b><script>alert(1)</script>]]>"
        "</description><ExtendedData><Data name=\"date\"><value>2025-10-19</value></Data>"
        "</ExtendedData>")
    p = tmp_path / "ge.kml"
    p.write_text(kml)
    assert list_layers(p) == ["Yellow line", "Blocks"]
    with pytest.warns(InputWarning, match="dropped the altitude of 3 coordinate"):
        (f,) = read_features(p, layer="yellow line")  # case-insensitive
    assert f.geometry.equals(LINE)
    # the description is data, kept verbatim as text, never interpreted
    assert f.properties["description"] == "<b>IDF</b><script>alert(1)</script>"
    assert f.properties["date"] == "2025-10-19"
    with pytest.raises(InputError, match=r"no layer 'Orange'; the layers are 'Yellow line', "
                                         r"'Blocks'"):
        read_features(p, layer="Orange")


def test_kml_polygon_multigeometry_and_kmz(tmp_path):
    kml = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>z</name>'
           "<MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>"
           "34.3,31.4 34.4,31.4 34.4,31.5 34.3,31.5 34.3,31.4</coordinates></LinearRing>"
           "</outerBoundaryIs></Polygon><Polygon><outerBoundaryIs><LinearRing><coordinates>"
           "34.41,31.4 34.42,31.4 34.42,31.41 34.41,31.4</coordinates></LinearRing>"
           "</outerBoundaryIs></Polygon></MultiGeometry></Placemark></kml>")
    p = tmp_path / "z.kmz"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("doc.kml", kml)
    assert detect_format(p) == "kmz"
    g = read_geometry(p, "polygon")
    assert g.geom_type == "MultiPolygon" and len(g.geoms) == 2


def test_kmz_that_unpacks_over_the_limit_is_refused(tmp_path):
    p = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", "<kml>" + " " * 3_000_000 + "</kml>")
    assert p.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"member 'doc.kml' \(3 MB unpacked\) brings the "
                                         r"dataset to 3 MB, over the 1 MB limit"):
        read_features(p, max_mb=1)


def test_geopackage_layer_choice_and_projected_crs(tmp_path):
    p = tmp_path / "l.gpkg"
    pyogrio.raw.write(str(p), shapely.to_wkb(np.array([to_crs(LINE, "EPSG:32636")],
                                                      dtype=object)),
                      [np.array(["غزة"], dtype=object)], ["name"], layer="line",
                      driver="GPKG", geometry_type="LineString", crs="EPSG:32636")
    (f,) = read_features(p)
    assert shapely.equals_exact(f.geometry, LINE, tolerance=1e-8)
    assert f.properties["name"] == "غزة"
    two, _ = _two_layer_gpkg(tmp_path, {})
    (g,) = read_features(two, layer="orange")
    assert g.geometry.equals(LINE)


def test_shapefile_as_shp_folder_and_zip(tmp_path):
    shp = write_shp(tmp_path / "s", "line", [to_crs(LINE, "EPSG:2039")], {"name": ["غزة"]},
                    crs="EPSG:2039")
    zpath = tmp_path / "line.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for part in shp.parent.iterdir():
            zf.write(part, f"export/{part.name}")
    for src in (shp, shp.parent, zpath):
        (f,) = read_features(src)
        assert shapely.equals_exact(f.geometry, LINE, tolerance=1e-8), src
        assert f.properties["name"] == "غزة"


def test_shapefile_missing_parts_are_stated(tmp_path):
    shp = write_shp(tmp_path / "s", "line", [LINE], {"name": ["a"]})
    before = sorted(p.name for p in shp.parent.iterdir())
    shp.with_suffix(".shx").unlink()
    with pytest.warns(InputWarning, match=r"line\.shx \(the index\) is missing; rebuilt it"):
        (f,) = read_features(shp)
    assert f.geometry.equals(LINE)
    assert sorted(p.name for p in shp.parent.iterdir()) == [n for n in before if n != "line.shx"]
    shp.with_suffix(".dbf").unlink()
    shp.with_suffix(".prj").unlink()
    with pytest.warns(InputWarning) as record:
        (f,) = read_features(shp)
    messages = " | ".join(str(w.message) for w in record)
    assert "line.dbf is missing: the features have no attributes" in messages
    assert "no .prj file: its coordinates fall in Gaza as lon/lat" in messages
    assert f.properties == {}


def test_cp1256_shapefile_without_cpg_is_not_garbled(tmp_path):
    shp = write_shp(tmp_path / "s", "places", [INSIDE], {"name": ["دير البلح"]},
                    encoding="cp1256", gtype="Point")
    (f,) = read_features(shp)  # with its .cpg
    assert f.properties["name"] == "دير البلح"
    shp.with_suffix(".cpg").unlink()
    raw = bytearray(shp.with_suffix(".dbf").read_bytes())
    raw[29] = 0
    shp.with_suffix(".dbf").write_bytes(bytes(raw))
    with pytest.warns(InputWarning, match=r"places\.cpg is missing.*read it as cp1256"):
        (f,) = read_features(shp)
    assert f.properties["name"] == "دير البلح"
    (g,) = read_features(shp, encoding="cp1256")
    assert g.properties["name"] == "دير البلح"


def test_latin1_shapefile_with_encoding_option(tmp_path):
    path, _ = _latin1_no_cpg(tmp_path, {})
    (f,) = read_features(path, encoding="latin-1")
    assert f.properties["name"] == "Gaza côte"


def test_csv_lat_lon_wkt_and_xy(tmp_path):
    p = tmp_path / "pts.csv"
    p.write_text("Marker,Latitude,Longitude\nB1,31.45,34.40\nB2,31.46,34.41\n")
    feats = read_features(p)
    assert [f.geometry.coords[0] for f in feats] == [(34.40, 31.45), (34.41, 31.46)]
    assert feats[0].properties == {"Marker": "B1", "Latitude": "31.45", "Longitude": "34.40",
                                   "row": 2}
    w = tmp_path / "wkt.csv"
    w.write_text('id;WKT\n1;"LINESTRING (34.3 31.3, 34.4 31.45, 34.5 31.55)"\n')
    assert read_geometry(w, "line").equals(LINE)
    x, y = to_crs(INSIDE, "EPSG:2039").coords[0]
    xy = tmp_path / "xy.csv"
    xy.write_text(f"x,y\n{x},{y}\n")
    with pytest.raises(InputError, match=r"not lon/lat degrees.*EPSG:2039"):
        read_features(xy)
    (f,) = read_features(xy, crs="EPSG:2039")
    assert f.geometry.distance(INSIDE) < 1e-9


def test_csv_decimal_comma_is_read_explicitly(tmp_path):
    p = tmp_path / "dc.csv"
    p.write_text('id;lat;lon\nB1;31,45;34,40\nB2;"31,46";34,41\n')
    with pytest.warns(InputWarning, match=r"read 4 decimal-comma value\(s\) like '31,45' as "
                                          r"31\.45"):
        feats = read_features(p)
    assert [f.geometry.coords[0] for f in feats] == [(34.40, 31.45), (34.41, 31.46)]


def test_csv_with_a_bom_and_crlf(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufefflat,lon\r\n31.45,34.40\r\n".encode())
    (f,) = read_features(p)
    assert f.geometry.equals(INSIDE)


def test_layer_option_on_a_single_layer_format_is_refused(write_geojson):
    with pytest.raises(InputError, match=r"a geojson file has one layer"):
        read_features(write_geojson("l.geojson", LINE), layer="x")


def test_html_saved_with_another_extension_is_recognised(tmp_path):
    p = tmp_path / "line.kml"
    p.write_text("<!doctype html><html><head></head></html>")
    with pytest.raises(InputError, match=r"this is an HTML page, not KML"):
        read_features(p)


def test_a_line_from_a_file_partitions_like_the_dataset(tmp_path, yellow_line, outline):
    p = tmp_path / "yl.kml"
    coords = " ".join(f"{x!r},{y!r}" for x, y in yellow_line.coords)
    p.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString>'
                 f"<coordinates>{coords}</coordinates></LineString></Placemark></kml>")
    a = analyse(line=str(p))
    assert any("extended" in n for n in a.notes)
    assert a.zone("east").area_km2 == pytest.approx(analyse().zone("east").area_km2, rel=1e-9)
