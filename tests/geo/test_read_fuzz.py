"""Fuzzing the readers (issue 9): random bytes, and structurally valid but odd GeoJSON, KML
and CSV. Every outcome is a list of features or an InputError, never another exception.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputError
from geo.read.features import Feature
from geo.read.io import read_features

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(name: str, data: bytes, **kw: Any) -> list[Feature] | InputError:
    """Read ``data`` saved as ``name``: the features, or the InputError (anything else fails)."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # repairs are stated with warnings: not the point
            try:
                feats = read_features(p, **kw)
            except InputError as exc:
                assert str(p) in exc.message or exc.source in ("--encoding", "--crs")
                assert "\n" not in exc.message
                return exc
        assert p.read_bytes() == data  # never changed
    assert all(isinstance(f, Feature) for f in feats)
    return feats


# --- random bytes, with the first bytes of each format so that parsers go deeper ----------

PREFIXES = [b"", b"{", b'{"type": "Feature", "geometry": ', b"<kml>", b"<?xml version='1.0'?>",
            b"PK\x03\x04", b"SQLite format 3\x00", b"\x00\x00\x27\x0a", b"lat,lon\n",
            b"\xef\xbb\xbfid;wkt\n"]
SUFFIXES = [".geojson", ".json", ".kml", ".kmz", ".csv", ".gpkg", ".shp", ".zip", ".txt"]


@FUZZ
@given(st.sampled_from(SUFFIXES), st.sampled_from(PREFIXES), st.binary(max_size=600))
def test_random_bytes(suffix, prefix, body):
    outcome("f" + suffix, prefix + body)


# --- GeoJSON: valid JSON, odd content -----------------------------------------------------

NUMBERS = st.one_of(
    st.floats(34.2, 34.6), st.floats(31.2, 31.7),  # in Gaza: read further
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10 ** 60), 10 ** 60), st.just(10 ** 400), st.booleans(), st.none(),
    st.text(max_size=5))
POSITION = st.lists(NUMBERS, min_size=0, max_size=4)
GAZA = st.lists(st.one_of(st.floats(34.2, 34.6), st.floats(31.2, 31.7)), min_size=2,
                max_size=3)
SHAPED = st.one_of(  # right shapes (rings, lines) with odd values, to read further
    GAZA, st.lists(st.one_of(GAZA, POSITION), max_size=8),
    st.lists(st.lists(st.one_of(GAZA, GAZA, POSITION), max_size=8), max_size=3),
    st.lists(st.lists(st.lists(GAZA, max_size=6), max_size=2), max_size=2))
COORDS = st.one_of(SHAPED, st.recursive(POSITION, lambda inner: st.lists(inner, max_size=6),
                                        max_leaves=40))
TYPES = st.sampled_from(["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                         "MultiPolygon", "GeometryCollection", "Circle", "Feature", ""])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
                    st.just("\ud800"))
JSONISH = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=20)


@st.composite
def geometries(draw: Any, depth: int = 0) -> dict[str, Any]:
    kind = draw(TYPES)
    g: dict[str, Any] = {"type": kind}
    if kind == "GeometryCollection" and depth < 3:
        g["geometries"] = draw(st.lists(geometries(depth + 1), max_size=3))
    elif draw(st.booleans()):
        g["coordinates"] = draw(COORDS)
    return g


@st.composite
def geojson_documents(draw: Any) -> str:
    feats = [{"type": "Feature", "id": draw(SCALARS),
              "properties": draw(st.one_of(st.none(), st.dictionaries(
                  st.text(max_size=6), JSONISH, max_size=4))),
              "geometry": draw(st.one_of(st.none(), geometries()))}
             for _ in range(draw(st.integers(0, 4)))]
    doc: dict[str, Any] = draw(st.sampled_from([
        {"type": "FeatureCollection", "features": feats},
        feats[0] if feats else {"type": "Feature"},
        feats[0]["geometry"] if feats and feats[0]["geometry"] else {"type": "Point"},
    ]))
    if draw(st.booleans()):
        doc["crs"] = {"type": "name", "properties": {"name": draw(st.sampled_from(
            ["EPSG:2039", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:99999", "nonsense", ""]))}}
    return json.dumps(doc, allow_nan=True)


@FUZZ
@given(geojson_documents())
def test_odd_geojson(doc):
    outcome("odd.geojson", doc.encode("utf-8", "surrogatepass"))


# --- KML: well-formed XML with the KML vocabulary in odd arrangements ---------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8",
                                      exclude_categories=["Cs", "Cc", "Cn", "Co"]), max_size=10)
TAGS = ["Document", "Folder", "Placemark", "name", "description", "Point", "LineString",
        "LinearRing", "Polygon", "outerBoundaryIs", "innerBoundaryIs", "MultiGeometry",
        "coordinates", "ExtendedData", "Data", "SimpleData", "value", "Track", "coord"]
COORD_TEXT = st.one_of(
    st.lists(st.tuples(st.floats(34.2, 34.6), st.floats(31.2, 31.7)), max_size=6).map(
        lambda xs: " ".join(f"{x},{y},0" for x, y in xs)),
    st.text(alphabet="0123456789.,-e \n\tnaifNI", max_size=40))


@st.composite
def kml_elements(draw: Any, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = f" name={quoteattr(draw(TEXT))}" if tag in ("Data", "SimpleData") else ""
    if depth >= 5 or draw(st.integers(0, 3)) == 0:
        body = escape(draw(COORD_TEXT if tag in ("coordinates", "coord") else TEXT))
    else:
        body = "".join(draw(st.lists(kml_elements(depth + 1), max_size=3)))
    return f"<{tag}{attrs}>{body}</{tag}>"


GEOMETRY_TAGS = ["Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track"]


@st.composite
def kml_placemarks(draw: Any) -> str:
    """A Placemark holding a geometry element whose insides are odd."""
    tag = draw(st.sampled_from(GEOMETRY_TAGS))
    if tag in ("Point", "LineString", "LinearRing"):
        inner = f"<coordinates>{escape(draw(COORD_TEXT))}</coordinates>"
    else:
        inner = "".join(draw(st.lists(kml_elements(3), max_size=3)))
    return f"<Placemark><name>p</name><{tag}>{inner}</{tag}></Placemark>"


@FUZZ
@given(st.lists(st.one_of(kml_elements(), kml_placemarks(), kml_placemarks()), max_size=4),
       st.sampled_from(["utf-8", "utf-16"]))
def test_odd_kml(children, encoding):
    doc = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
           f'<kml xmlns="http://www.opengis.net/kml/2.2">{"".join(children)}</kml>')
    outcome("odd.kml", doc.encode(encoding))


# --- CSV: odd headers, cells, delimiters and line ends -------------------------------------

HEADERS = st.sampled_from(["lat", "lon", "latitude", "longitude", "x", "y", "wkt", "geometry",
                           "id", "name", "Lat", " lon "])
CELLS = st.one_of(
    st.floats(34.2, 34.6).map(str), st.floats(31.2, 31.7).map(str),
    st.sampled_from(["", "N/A", "31,42", "1e400", "nan", "-", "=HYPERLINK(\"x\")",
                     "POINT (34.4 31.4)", "LINESTRING (34.3 31.3, 34.5 31.5)",
                     "POLYGON ((34.3 31.3, 34.4 31.3, 34.4 31.4, 34.3 31.3))",
                     "GEOMETRYCOLLECTION (POINT (34.4 31.4))", "POINT (", "\"quoted, cell\"",
                     "LINESTRING (34.3 31.3)"]),
    st.text(max_size=8))


@FUZZ
@given(st.lists(HEADERS, min_size=1, max_size=4), st.lists(st.lists(CELLS, max_size=5),
                                                            max_size=5),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_odd_csv(header, rows, delim, newline):
    text = newline.join([delim.join(header)] + [delim.join(r) for r in rows]) + newline
    outcome("odd.csv", text.encode("utf-8", "surrogatepass"))


# --- the nesting measure against an independent count on the parsed value ---------------


def _depth(v: Any) -> int:
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    return 0


KEYS = st.text(alphabet='[]{}"\\ab,:', max_size=4)  # brackets and quotes inside strings
DEEP = st.recursive(st.one_of(st.integers(), KEYS), lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)), max_leaves=30)


@FUZZ
@given(DEEP, st.booleans())
def test_nesting_depth_matches_the_parsed_value(value, ascii_only):
    from geo.read.parsing import _nesting_depth

    doc = json.dumps(value, ensure_ascii=ascii_only)
    assert _nesting_depth(doc, "json") == _depth(json.loads(doc))
