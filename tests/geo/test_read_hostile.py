"""Hostile and odd input files (issue 9): one InputError naming the user's file, never a
traceback, a hang or a changed input; the limits of the readers with their measured values.

Every hostile file is made here, in tmp_path (none is shipped).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import struct
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import shapely
from click.testing import CliRunner
from shapely import LineString

import geo.read.geojson
import geo.read.ogr
from geo.errors import InputError, ReadLimitError
from geo.read.expect import geometry_from_features
from geo.read.io import MAX_LINE_VERTICES, read_features, read_toml
from tests._cli import invoke

LINE = LineString([(34.30, 31.30), (34.40, 31.45), (34.50, 31.55)])
LINE_JSON = json.dumps(shapely.geometry.mapping(LINE))
KML = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
       "<Document><Placemark><name>l</name><LineString><coordinates>34.3,31.3 34.4,31.45 "
       "34.5,31.55</coordinates></LineString></Placemark></Document></kml>")

Made = tuple[Path, dict[str, Any]]


def write_shp(folder: Path, name: str, props: dict[str, list[Any]] | None = None,
              n: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    props = props or {"name": ["a"] * n}
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array([LINE] * n, dtype=object)),
                      [np.array(v, dtype=object) for v in props.values()], list(props),
                      geometry_type="LineString", crs="EPSG:4326", driver="ESRI Shapefile")
    return path


def zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for q in sorted(folder.iterdir()):
            zf.write(q, q.name)
    return out


def patch_zip(raw: bytes, patch: Callable[[bytearray, int, int], None]) -> bytes:
    """Patch the first member's local header (at lh) and central-directory entry (at cd)."""
    b = bytearray(raw)
    patch(b, b.find(b"PK\x03\x04"), b.find(b"PK\x01\x02"))
    return bytes(b)


def kmz(tmp: Path, name: str, patch: Callable[[bytearray, int, int], None]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", KML)
    p = tmp / name
    p.write_bytes(patch_zip(buf.getvalue(), patch))
    return p


def _encrypted(b: bytearray, lh: int, cd: int) -> None:
    b[lh + 6] |= 1  # general-purpose flag bit 0: encrypted
    b[cd + 8] |= 1


def _method98(b: bytearray, lh: int, cd: int) -> None:
    b[lh + 8:lh + 10] = struct.pack("<H", 98)  # PPMd
    b[cd + 10:cd + 12] = struct.pack("<H", 98)


def _bad_crc(b: bytearray, lh: int, cd: int) -> None:
    b[lh + 14] ^= 0xFF
    b[cd + 16] ^= 0xFF


def text(name: str, body: str | bytes, **kw: Any) -> Callable[[Path], Made]:
    def make(tmp: Path) -> Made:
        p = tmp / name
        p.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        return p, kw
    return make


def feature(props: str = "{}", geometry: str = LINE_JSON) -> str:
    return f'{{"type":"Feature","properties":{props},"geometry":{geometry}}}'


def _deep_kml(n: int) -> str:
    return ("<kml><Document>" + "<Folder>" * n + "<Placemark><LineString><coordinates>34.3,31.3 "
            "34.4,31.45</coordinates></LineString></Placemark>" + "</Folder>" * n
            + "</Document></kml>")


def _local_cs(tmp: Path) -> Made:
    p = write_shp(tmp / "lcs", "line")
    p.with_suffix(".prj").write_text('LOCAL_CS["Engineering",LOCAL_DATUM["Site",0],'
                                     'UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]')
    return p, {}


def _zip_bad_crc(tmp: Path) -> Made:
    folder = write_shp(tmp / "zc", "lines").parent
    z = tmp / "lines.zip"
    z.write_bytes(patch_zip(zip_folder(folder, tmp / "ok.zip").read_bytes(), _bad_crc))
    (tmp / "ok.zip").unlink()
    return z, {}


def _zip_corrupt_shp(tmp: Path) -> Made:
    p = write_shp(tmp / "zs", "lines")
    p.write_bytes(b"garbage " * 30)  # GDAL's message names the path it was given
    return zip_folder(p.parent, tmp / "lines.zip"), {}


def _lying_dbf(tmp: Path) -> Made:
    p = write_shp(tmp / "ld", "line")
    p.with_suffix(".cpg").unlink()  # so that the .dbf text is inspected for its encoding
    raw = bytearray(p.with_suffix(".dbf").read_bytes())
    raw[29] = 0
    raw[4:8] = struct.pack("<I", 4_000_000_000)
    p.with_suffix(".dbf").write_bytes(bytes(raw[:147]))
    return p, {}


def _recursive_view(tmp: Path) -> Made:
    p = tmp / "view.gpkg"
    pyogrio.raw.write(str(p), shapely.to_wkb(np.array([LINE], dtype=object)),
                      [np.array(["x"], dtype=object)], ["name"], layer="t", driver="GPKG",
                      geometry_type="LineString", crs="EPSG:4326")
    con = sqlite3.connect(p)
    con.executescript("""
        CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT c.x AS fid, t.geom AS geom, t.name AS name FROM c, t;
        INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
            VALUES ('v', 'features', 'v', 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'LINESTRING', 4326, 0, 0);
        DELETE FROM gpkg_geometry_columns WHERE table_name = 't';
        DELETE FROM gpkg_contents WHERE table_name = 't';
    """)
    con.commit()
    con.close()
    return p, {}


def _big_dbf(tmp: Path) -> Made:
    # a 1 KB .shp beside a .dbf of about 26 KB: the whole dataset is over 0.01 MB
    p = write_shp(tmp / "bd", "line", n=100, props={"name": ["a" * 250] * 100})
    return p, {"max_mb": 0.02}


def _zip_member_over(tmp: Path) -> Made:
    p = write_shp(tmp / "zb", "line", n=100, props={"name": ["a" * 250] * 100})
    z = zip_folder(p.parent, tmp / "big.zip")
    assert z.stat().st_size < 8000  # compressed, the zip itself is under the limit
    return z, {"max_mb": 0.01}


def _wkt_deep(tmp: Path) -> Made:
    wkt = "GEOMETRYCOLLECTION (" * 100_000 + "POINT (34.4 31.4)" + ")" * 100_000
    p = tmp / "deep.csv"
    p.write_text(f'id,wkt\n1,"{wkt}"\n')
    return p, {}


def _many_vertices(tmp: Path) -> Made:
    # a self-intersecting zigzag of 250,000 vertices, refused as a partitioning line
    n = 250_000
    x = np.linspace(34.30, 34.50, n)
    y = 31.40 + np.where(np.arange(n) % 2 == 0, 0.01, -0.01)
    coords = np.column_stack([x, y[::-1]])  # so that it crosses itself
    coords[::3] = coords[::3][::-1]
    p = tmp / "zig.geojson"
    p.write_text(json.dumps({"type": "LineString", "coordinates": coords.round(7).tolist()}))
    return p, {"max_vertices": MAX_LINE_VERTICES}


# (id, maker, message pattern). Each is a case of issue 9 or of the brief of its readers.
HOSTILE: list[tuple[str, Callable[[Path], Made], str]] = [
    ("400-digit coordinate",
     text("bc.geojson", '{"type":"LineString","coordinates":[[%s,31.3],[34.4,31.45]]}'
          % ("3" * 400)), r"a JSON integer has 400 digits \(the most accepted is 40\)"),
    ("400-digit float coordinate",
     text("bf.geojson", '{"type":"LineString","coordinates":[[%s.5,31.3],[34.4,31.45]]}'
          % ("3" * 400)), r"position\(s\) are NaN or infinite"),
    ("300-digit float coordinate",
     text("bm.geojson", '{"type":"LineString","coordinates":[[%s.5,31.3],[34.4,31.45]]}'
          % ("3" * 300)), r"the coordinate 3\.333e\+299 is not a plausible position"),
    ("5000-digit integer property",
     text("bp.geojson", feature('{"n":%s}' % ("7" * 5000))), r"a JSON integer has 5,000 digits"),
    ("JSON nested 100,000 deep",
     text("dj.geojson", feature('{"a":%s}' % ("[" * 100_000 + "]" * 100_000))),
     r"the JSON is nested 100,002 levels deep, over the limit of 64 \(max_depth\)"),
    ("JSON nested 3,000 deep (objects)",
     text("do.geojson", feature('{"a":%s}' % ('{"b":' * 3000 + "1" + "}" * 3000))),
     r"the JSON is nested 3,002 levels deep"),
    ("KML folders nested 50,000 deep", text("dk.kml", _deep_kml(50_000)),
     r"the XML nests elements more than 64 levels deep .*max_depth"),
    ("WKT nested 100,000 deep (GEOS would crash)", _wkt_deep,
     r"row 2: the WKT is nested 100,001 levels deep"),
    ("engineering LOCAL_CS CRS", _local_cs,
     r"the file's CRS 'Engineering' is a local \(engineering\) CRS"),
    ("engineering CRS given as crs", text("l.geojson", LINE_JSON.replace("34.", "1034."), crs=(
        'LOCAL_CS["Engineering",LOCAL_DATUM["Site",0],UNIT["metre",1],AXIS["X",EAST],'
        'AXIS["Y",NORTH]]')), r"is a local \(engineering\) CRS"),
    ("lone surrogate in a property", text("su.geojson", feature('{"name":"a\\ud800b"}')),
     r"feature #1: the text 'a\\ud800b' holds a lone surrogate"),
    ("lone surrogate in a key", text("sk.geojson", feature('{"\\udfff":1}')),
     r"holds a lone surrogate"),
    ("encrypted KMZ member", lambda t: (kmz(t, "enc.kmz", _encrypted), {}),
     r"the archive member 'doc.kml' cannot be unpacked: it is encrypted"),
    ("compression method 98 KMZ member", lambda t: (kmz(t, "m98.kmz", _method98), {}),
     r"'doc.kml' cannot be unpacked: it uses a zip feature that is not supported"),
    ("KMZ with a bad CRC", lambda t: (kmz(t, "crc.kmz", _bad_crc), {}),
     r"'doc.kml' cannot be unpacked: it is corrupt \(Bad CRC-32"),
    ("zipped shapefile with a bad CRC", _zip_bad_crc,
     r"lines.zip: the archive member 'lines.cpg' cannot be unpacked: it is corrupt"),
    ("zipped shapefile GDAL cannot read", _zip_corrupt_shp,
     r"lines\.zip: GDAL cannot read it \('/.*/data/lines\.zip/lines\.shp' not recognized"),
    ("UTF-16 KML with an entity",
     text("e16.kml", KML.replace('encoding="UTF-8"?>', 'encoding="UTF-16"?><!DOCTYPE kml '
                                 '[<!ENTITY a "aaaaaaaaaa">]>').encode("utf-16")),
     r"declares the XML entity 'a' \(entities are refused"),
    ("KML with a parameter entity",
     text("pe.kml", KML.replace("?>", '?><!DOCTYPE kml [<!ENTITY % p "x">]>', 1)),
     r"declares the XML entity 'p'"),
    ("broken XML", text("b.kml", "<kml><Document><Placemark></Document></kml>"),
     r"not valid KML/XML \(mismatched tag at line 1"),
    ("lying .dbf header", _lying_dbf,
     r"line\.dbf is corrupt: its header claims 4,000,000,000 records of \d+ bytes .* but the "
     r"file has 147 bytes"),
    ("recursive GeoPackage view", _recursive_view,
     r"the layer 'v' is an SQL view, not a table"),
    ("not a GeoPackage past its magic", text("x.gpkg", b"SQLite format 3\x00" + b"\x07" * 200),
     r"x\.gpkg: "),
    ("a .dbf over max_mb beside a small .shp", _big_dbf,
     r"line\.dbf \(0\.0\d+ MB\) brings the dataset to 0\.0\d+ MB, over the 0\.02 MB limit"),
    ("a zip member over max_mb unpacked", _zip_member_over,
     r"the archive member 'line\.dbf' \(0\.0\d+ MB unpacked\) brings the dataset to"),
    ("too many features", text("f.geojson", json.dumps({
        "type": "FeatureCollection", "features": [json.loads(feature())] * 11}),
        max_features=10), r"more than 10 features \(rows\), the limit \(max_features\)"),
    ("too many CSV rows", text("r.csv", "lat,lon\n" + "31.4,34.4\n" * 11, max_features=10),
     r"more than 10 features \(rows\)"),
    ("too many vertices (KML)", text("v.kml", KML, max_vertices=2),
     r"at least 3 vertices, over the limit of 2 \(max_vertices\)"),
    ("a 250,000-vertex self-intersecting line", _many_vertices,
     r"holds about 249,999 vertices \(counted before parsing\), over the limit of 200,000 "
     r"\(max_vertices\)"),
    ("time budget", text("t.geojson", feature(), max_seconds=1e-9),
     r"reading took over 0\.0 s, more than the 1e-09 s budget \(max_seconds\)"),
    ("a limit that is not a number", text("t2.geojson", feature(), max_depth="64"),
     r"max_depth '64' is not a positive integer"),
]


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder of the code under test, to check that nothing is left in it."""
    d = tmp_path / "system-tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_file_gives_one_input_error(case, tmp_path, private_tmp):
    _, make, pattern = case
    data = tmp_path / "data"
    data.mkdir()
    path, kw = make(data)
    before = _snapshot(data)
    with pytest.raises(InputError, match=pattern) as info:
        read_features(path, **kw)
    err = info.value
    if not str(err.source).startswith("max_"):
        assert err.source == str(path)  # the user's file as given, never a copy
    assert "Fix: " in err.message and "\n" not in err.message
    assert "gazamap-shp" not in err.message and str(private_tmp) not in err.message
    assert _snapshot(data) == before  # the input is unchanged, byte for byte
    assert list(private_tmp.iterdir()) == []  # no temporary copy left


# the cases that need no keyword option of read_features
_WITH_OPTIONS = {"engineering CRS given as crs", "a .dbf over max_mb beside a small .shp",
                 "a zip member over max_mb unpacked", "too many features", "too many CSV rows",
                 "too many vertices (KML)", "a 250,000-vertex self-intersecting line",
                 "time budget", "a limit that is not a number"}
CLI_CASES = [c for c in HOSTILE if c[0] not in _WITH_OPTIONS]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_hostile_file_through_the_cli(case, tmp_path, private_tmp, runner):
    _, make, pattern = case
    data = tmp_path / "data"
    data.mkdir()
    path, _ = make(data)
    before = _snapshot(data)
    res = invoke(runner, ["areas", "--line", str(path)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr  # one line, naming the file
    assert str(path) in lines[0] and "Traceback" not in res.output
    assert _snapshot(data) == before
    assert list(private_tmp.iterdir()) == []


@pytest.mark.timeout(10)
def test_lying_dbf_is_refused_without_looping(tmp_path):
    path, _ = _lying_dbf(tmp_path)
    with pytest.raises(InputError, match=r"claims 4,000,000,000 records"):
        read_features(path)


@pytest.mark.timeout(10)
def test_recursive_view_is_refused_without_running_it(tmp_path):
    path, _ = _recursive_view(tmp_path)
    with pytest.raises(InputError, match=r"is an SQL view"):
        read_features(path)


def test_a_geopackage_table_beside_a_view_still_reads(tmp_path):
    path, _ = _recursive_view(tmp_path)
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array([LINE], dtype=object)),
                      [np.array(["y"], dtype=object)], ["name"], layer="good", driver="GPKG",
                      geometry_type="LineString", crs="EPSG:4326", append=True)
    (f,) = read_features(path, layer="good")
    assert f.properties["name"] == "y"
    assert shapely.equals_exact(f.geometry, LINE, 1e-12)


def test_csv_with_cr_only_line_ends_reads_every_row(tmp_path):
    p = tmp_path / "cr.csv"
    p.write_bytes(b"id,lat,lon\r1,31.4,34.4\r2,31.45,34.42\r")
    feats = read_features(p)
    assert [(f.properties["id"], f.geometry.x, f.geometry.y) for f in feats] == [
        ("1", 34.4, 31.4), ("2", 34.42, 31.45)]


def test_csv_wkt_cell_over_the_csv_field_limit_reads(tmp_path):
    n = 8000
    xy = np.column_stack([np.linspace(34.3, 34.5, n), np.linspace(31.3, 31.55, n)]).round(7)
    wkt = "LINESTRING (" + ", ".join(f"{x:.7f} {y:.7f}" for x, y in xy) + ")"
    assert len(wkt) > 131_072
    p = tmp_path / "wkt.csv"
    p.write_text(f'id,wkt\n1,"{wkt}"\n')
    (f,) = read_features(p)
    assert np.allclose(shapely.get_coordinates(f.geometry), xy, atol=1e-12, rtol=0)
    import csv
    assert csv.field_size_limit() == 131_072  # the module's limit is restored


def test_a_line_with_too_many_vertices_is_refused_before_partitioning(tmp_path):
    n = MAX_LINE_VERTICES + 1
    line = LineString(np.column_stack([np.linspace(34.3, 34.5, n), np.linspace(31.3, 31.5, n)]))
    from geo.read.features import Feature
    with pytest.raises(ReadLimitError, match=r"the line has 200,001 vertices, over the limit "
                                             r"of 200,000 for a line used to partition"):
        geometry_from_features([Feature(line, {})], "line", "zig.geojson")
    # the same vertices as points (a layer of markers) are not limited so
    pts = geometry_from_features([Feature(shapely.MultiPoint(line.coords), {})], "points", "p")
    assert shapely.get_num_coordinates(pts) == n


def test_memory_error_while_parsing_becomes_an_input_error(tmp_path, monkeypatch):
    p = tmp_path / "m.geojson"
    p.write_text(feature())

    def boom(*a: Any, **k: Any) -> Any:
        raise MemoryError
    monkeypatch.setattr(geo.read.geojson.json, "loads", boom)
    with pytest.raises(InputError, match=r"m\.geojson: there is not enough memory to read it"):
        read_features(p)


def test_an_internal_bug_is_not_disguised_as_bad_input(tmp_path, monkeypatch):
    p = tmp_path / "k.geojson"
    p.write_text(feature())

    def bug(*a: Any, **k: Any) -> Any:
        raise KeyError("internal")
    monkeypatch.setattr(geo.read.geojson, "_features_from_geojson", bug)
    with pytest.raises(KeyError):
        read_features(p)


@pytest.mark.parametrize("exit_exc", [SystemExit(143), KeyboardInterrupt()])
def test_shapefile_copy_is_removed_when_the_read_is_killed(tmp_path, private_tmp, monkeypatch,
                                                            exit_exc):
    # SIGTERM becomes SystemExit (the CLI's handler), SIGINT KeyboardInterrupt: both unwind
    path = write_shp(tmp_path / "s", "line")

    def killed(*a: Any, **k: Any) -> Any:
        assert any(private_tmp.iterdir())  # the copy exists while GDAL reads
        raise exit_exc
    monkeypatch.setattr(geo.read.ogr, "_ogr_read", killed)
    with pytest.raises(type(exit_exc)):
        read_features(path)
    assert list(private_tmp.iterdir()) == []


def test_a_dataset_just_under_max_mb_reads(tmp_path):
    path, _ = _big_dbf(tmp_path)
    total = sum(p.stat().st_size for p in path.parent.iterdir())
    assert len(read_features(path, max_mb=total / 1e6 * 1.01)) == 100
    with pytest.raises(ReadLimitError, match=r"over the"):
        read_features(path, max_mb=total / 1e6 * 0.99)


def test_the_limits_are_met_exactly(tmp_path):
    p = tmp_path / "f.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection",
                             "features": [json.loads(feature())] * 10}))
    assert len(read_features(p, max_features=10, max_vertices=30)) == 10
    with pytest.raises(ReadLimitError, match=r"at least 30 vertices, over the limit of 29"):
        read_features(p, max_vertices=29)


@pytest.mark.timeout(10)
def test_deep_toml_is_refused_before_tomllib_recurses(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n# [[[[ in a comment\n"
                 's = "[[[[ in a string"\n')
    with pytest.raises(ReadLimitError, match=r"the TOML is nested 100,000 levels deep"):
        read_toml(p)
    p.write_text('a = [[1, 2], ["]]]"]]\n# ]]]]\ns = "[[["\n')
    assert read_toml(p) == {"a": [[1, 2], ["]]]"]], "s": "[[["}


def test_list_layers_goes_through_the_same_boundary(tmp_path):
    from geo.read.io import list_layers

    p = kmz(tmp_path, "enc.kmz", _encrypted)
    with pytest.raises(InputError, match=r"enc\.kmz: the archive member 'doc\.kml' cannot be "
                                         r"unpacked: it is encrypted"):
        list_layers(p)
    with pytest.raises(InputError, match=r"dk\.kml: the XML nests elements more than 64"):
        list_layers(text("dk.kml", _deep_kml(5000))(tmp_path)[0])


@pytest.mark.timeout(10)
def test_a_sidecar_that_is_a_device_is_refused_not_copied_for_ever(tmp_path):
    p = write_shp(tmp_path / "s", "line")
    p.with_suffix(".dbf").unlink()
    p.with_suffix(".dbf").symlink_to("/dev/zero")
    with pytest.raises(InputError, match=r"line\.shp: line\.dbf is not a regular file"):
        read_features(p)


@pytest.mark.timeout(10)
def test_a_ledger_nested_100000_deep_is_refused(tmp_path):
    from geo.claims import load_ledger
    from geo.errors import LedgerError

    p = tmp_path / "ledger.toml"
    p.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(LedgerError, match=r"ledger\.toml: the TOML is nested 100,000 levels"):
        load_ledger(p)


def test_gdal_layers_are_read_in_batches_with_the_limits_between(tmp_path, monkeypatch):
    names = [f"f{i}" for i in range(7)]
    lines = [shapely.affinity.translate(LINE, 0.001 * i) for i in range(7)]
    path = tmp_path / "s" / "line.shp"
    path.parent.mkdir()
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array(lines, dtype=object)),
                      [np.array(names, dtype=object), np.arange(7)], ["name", "k"],
                      geometry_type="LineString", crs="EPSG:4326", driver="ESRI Shapefile")
    monkeypatch.setattr(geo.read.ogr, "_BATCH", 3)  # 3 + 3 + 1
    feats = read_features(path)
    assert [(f.properties["name"], f.properties["k"]) for f in feats] == list(
        zip(names, range(7), strict=True))
    assert all(shapely.equals_exact(f.geometry, g, 1e-12)
               for f, g in zip(feats, lines, strict=True))
    assert len(read_features(path, max_features=7)) == 7
    with pytest.raises(ReadLimitError, match=r"the layer 'line' holds more than 6 features"):
        read_features(path, max_features=6)


def test_the_vertex_count_before_parsing_does_not_refuse_a_file_at_the_limit(tmp_path):
    n = 10_000
    xy = np.column_stack([np.linspace(34.3, 34.5, n), np.linspace(31.3, 31.55, n)]).round(7)
    p = tmp_path / "l.geojson"
    p.write_text(json.dumps({"type": "LineString", "coordinates": xy.tolist()}))
    assert p.stat().st_size > 6 * n  # so that the count before parsing runs
    (f,) = read_features(p, max_vertices=n)
    assert np.array_equal(shapely.get_coordinates(f.geometry), xy)
    with pytest.raises(ReadLimitError, match=r"at least 10,000 vertices, over the limit of "
                                             r"9,999"):
        read_features(p, max_vertices=n - 1)


@pytest.mark.timeout(60)
def test_sigterm_during_a_shapefile_read_leaves_no_copy(tmp_path):
    """A real process killed while GDAL reads its copy: the copy goes (issue 9).

    The handler that turns SIGTERM into SystemExit is the CLI's; it is installed here as
    the CLI does, so that only the reader's clean-up is under test.
    """
    import os
    import signal
    import subprocess
    import sys

    n = 200_000
    rng = np.random.default_rng(3)
    pts = shapely.points(rng.uniform(34.25, 34.55, n), rng.uniform(31.25, 31.58, n))
    shp = tmp_path / "data" / "pts.shp"
    shp.parent.mkdir()
    pyogrio.raw.write(str(shp), shapely.to_wkb(pts), [np.arange(n)], ["k"],
                      geometry_type="Point", crs="EPSG:4326", driver="ESRI Shapefile")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    script = (
        "import signal, sys\n"
        "def stop(*a): sys.exit(143)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "import tempfile; tempfile.gettempdir()\n"  # its probe file is not ours
        "from geo.read.io import read_features\n"
        "print('ready', flush=True)\n"
        f"while True: read_features({str(shp)!r})\n")
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONWARNINGS": "ignore"}
    with subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                          cwd=Path(__file__).parents[2]) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
            while not any(p.name.startswith("gazamap-shp-") for p in tmp.iterdir()):
                pass  # until the copy exists: GDAL is reading it
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 143
        finally:
            proc.kill()
    assert list(tmp.iterdir()) == []


def test_read_geometry_bounds_a_line_before_parsing_it(tmp_path):
    from geo.read.io import read_geometry

    path, _ = _many_vertices(tmp_path)
    with pytest.raises(ReadLimitError, match=r"about 249,999 vertices \(counted before parsing"):
        read_geometry(path, "line")
    g = read_geometry(path, "line", max_vertices=300_000)
    assert shapely.get_num_coordinates(g) == 250_000
