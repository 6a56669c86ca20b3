"""Hostile and odd input, third round (issue 16): one parametrised test per class.

Every hostile file is made by the test. Each case asserts the exit code, one error line
naming the user's file (no traceback), that every input file and sidecar keeps its bytes,
that nothing is left behind, and, for published outputs, that no local path and no
foreign content appears.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping

from geo.catalog import DATA_DIR
from tests._cli import invoke

SECRET = "root:x:0:0:SECRET-CONTENT:/root:/bin/bash"
YELLOW = DATA_DIR / "yellow_line_2025-10-19.geojson"
ROOT = Path(__file__).resolve().parents[2]


# --- helpers ------------------------------------------------------------------------------


def _hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (sidecars included), by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers() -> set[str]:
    """gazamap's scratch folders in the temporary folder (private to each test)."""
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("gazamap-")}


@pytest.fixture(autouse=True)
def _private_tempdir(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    # other processes on the machine make gazamap- folders in /tmp too: each test looks
    # at a temporary folder of its own
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("systmp")))


def _error(res: Any, *names: str) -> str:
    """The one error line of an exit-2 run; it names each of ``names``."""
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("gazamap: error: ") or ": error: " in lines[0]
    for n in names:
        assert n in lines[0], (n, lines[0])
    assert len(lines[0]) < 800
    return lines[0]


def _fc(*geoms: shapely.Geometry, props: list[dict[str, Any]] | None = None,
        **top: Any) -> str:
    return json.dumps({"type": "FeatureCollection", **top, "features": [
        {"type": "Feature", "properties": (props or [{}] * len(geoms))[i],
         "geometry": mapping(g)} for i, g in enumerate(geoms)]})


def _claim(**fields: Any) -> dict[str, Any]:
    return {"id": "c1", "text": "Israel occupies 53 percent", "source": "test",
            "date": "2025-10-10", "metric": "zone_share_pct", "zone": "east", "value": "53",
            **fields}


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string: JSON escapes are TOML escapes
    if isinstance(v, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(v, repr(v)) \
            if v == v else "nan"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(v)


def _ledger(path: Path, *claims: dict[str, Any]) -> Path:
    blocks = ["[[claim]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in c.items())
              for c in claims]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _catalog(folder: Path, **fields: Any) -> Path:
    entry = {"id": "mine", "version": "2026-01-01", "title": "t", "kind": "line",
             "file": "l.geojson", "source": "s", "licence": "l", "attribution": "a",
             "method": "m", **fields}
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "l.geojson").exists():
        shutil.copy(YELLOW, folder / "l.geojson")
    (folder / "catalog.toml").write_text(
        "[[dataset]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.items()),
        encoding="utf-8")
    return folder / "catalog.toml"


def _run(args: list[str], cwd: Path, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a child process (for stdout, FIFOs and the environment)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **kw.pop("env", {})}
    return subprocess.run([sys.executable, "-c", "from maps.cli import main; main()", *args],
                          cwd=cwd, env=env, capture_output=True, timeout=120, **kw)


@pytest.fixture()
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a secret beside a ledger folder; the current folder is elsewhere."""
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "lg").mkdir()
    shutil.copy(YELLOW, tmp_path / "lg" / "myline.geojson")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return tmp_path


# --- 1. a ledger publishes local files ----------------------------------------------------


@pytest.mark.parametrize("line", ["../secret.txt", "{abs}/secret.txt", "sub/../../secret.txt"])
@pytest.mark.parametrize("cmd", [["check", "--format", "json"], ["check", "--format", "html"],
                                 ["report", "--out", "r.html"]])
def test_1_a_ledger_cannot_name_files_outside_its_folder(runner, world, line, cmd):
    led = _ledger(world / "lg" / "l.toml", _claim(line=line.format(abs=world)))
    before, left = _hashes(world), _leftovers()
    args = [*cmd, str(led)] if cmd[0] == "check" else [*cmd, "--ledger", str(led)]
    res = invoke(runner, args)
    err = _error(res, "l.toml", "claim 'c1'", "'line'", "outside the ledger's folder")
    assert "SECRET" not in res.output and res.stdout == "" and "--allow-path" in err
    assert _hashes(world) == before and _leftovers() == left


@pytest.mark.parametrize("where", ["inside", "allowed"])
def test_1_a_named_file_that_is_not_geodata_is_refused_unechoed(runner, world, where):
    if where == "inside":
        shutil.copy(world / "secret.txt", world / "lg" / "notes.txt")
        led, extra = _ledger(world / "lg" / "l.toml", _claim(line="notes.txt")), []
    else:
        led = _ledger(world / "lg" / "l.toml", _claim(line="../secret.txt"))
        extra = ["--allow-path", str(world)]
    for cmd in (["check", str(led), "--format", "json", *extra],
                ["report", "--ledger", str(led), "--out", "r.html", *extra]):
        res = invoke(runner, cmd)
        _error(res, "l.toml", "claim 'c1'")
        assert "SECRET" not in res.output and not Path("r.html").exists()


def test_1_published_outputs_name_ledger_files_by_name_only(runner, world):
    led = _ledger(world / "lg" / "l.toml", _claim(line="myline.geojson"))
    res = invoke(runner, ["check", str(led.resolve()), "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    out = json.loads(res.stdout)
    assert out[0]["fields"]["line"] == "myline.geojson"
    assert str(world) not in res.stdout
    for fmt in ("table", "markdown", "html"):
        res = invoke(runner, ["check", str(led.resolve()), "--format", fmt])
        assert res.exit_code in (0, 1) and str(world) not in res.stdout, res.output


# --- 2. the data-dir sandbox has no side door ---------------------------------------------


@pytest.mark.parametrize("zone", ["../secret.txt", "{abs}/secret.txt", "link/secret.txt"])
def test_2_every_path_field_of_a_catalog_stays_in_the_data_dir(runner, world, zone):
    dd = world / "dd"
    (dd).mkdir()
    (dd / "link").symlink_to(world)
    cat = _catalog(dd, zone_polygon=zone.format(abs=world))
    before = _hashes(world)
    res = invoke(runner, ["areas", "--data-dir", str(dd), "--line", "mine"])
    _error(res, str(cat), "'mine'", "zone_polygon")
    assert "SECRET" not in res.output
    assert _hashes(world) == before


def test_2_a_zone_polygon_file_is_read_in_the_data_dir_not_the_current_folder(runner, world):
    dd = world / "dd"
    dd.mkdir()
    zone = shapely.box(34.40, 31.30, 34.60, 31.60)
    (dd / "z.geojson").write_text(_fc(zone), encoding="utf-8")
    _catalog(dd, zone_polygon="z.geojson")
    # a decoy of the same name in the current folder is never read
    Path("z.geojson").write_text("{not json", encoding="utf-8")
    res = invoke(runner, ["areas", "--data-dir", str(dd), "--line", "mine", "--format", "json"])
    assert res.exit_code == 0, res.output


# --- 3. reading is read-only --------------------------------------------------------------


def _wal_gpkg(folder: Path) -> Path:
    """A GeoPackage copied while open in WAL mode: the file, its -wal and -shm."""
    import numpy as np
    import pyogrio.raw

    geom = shapely.from_geojson(json.dumps(json.loads(YELLOW.read_text())["features"][0]
                                           ["geometry"]))
    base = folder / "base.gpkg"
    pyogrio.raw.write(str(base), np.array([shapely.to_wkb(geom)], dtype=object),
                      [np.array(["yl"], dtype=object)], ["name"], driver="GPKG",
                      geometry_type="LineString", crs="EPSG:4326", layer="line")
    con = sqlite3.connect(base)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    # a change held in the -wal only (GDAL's triggers need its SQL functions to UPDATE)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.execute("INSERT INTO notes VALUES ('from the wal')")
    con.commit()
    copy = folder / "open.gpkg"
    for side in ("", "-wal", "-shm"):
        shutil.copyfile(str(base) + side, str(copy) + side)
    con.close()
    for p in folder.glob("base.gpkg*"):
        p.unlink()
    return copy


@pytest.mark.parametrize("cmd", [["areas", "--line", "{g}"], ["count", "{g}"],
                                 ["render", "--layer", "{g}", "--out", "{o}/m.html"],
                                 ["export", "--include", "{g}", "--out", "{o}/e.geojson"]])
def test_3_reading_a_geopackage_changes_no_byte(runner, tmp_path, cmd):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    out.mkdir()
    g = _wal_gpkg(data)
    assert {p.name for p in data.iterdir()} == {"open.gpkg", "open.gpkg-wal", "open.gpkg-shm"}
    before, left = _hashes(data), _leftovers()
    res = invoke(runner, [a.format(g=g, o=out) for a in cmd])
    assert res.exit_code == 0, res.output
    assert _hashes(data) == before and _leftovers() == left
    for line in res.stderr.splitlines():  # GDAL's warnings name the user's file
        if "GDAL" in line:
            assert "open.gpkg" in line and len(line) < 400
    if cmd[0] == "count":
        assert "open.gpkg" in res.stdout


def test_3_a_view_held_in_the_wal_is_still_refused(runner, tmp_path):
    g = _wal_gpkg(tmp_path)
    con = sqlite3.connect(g)  # the copy is open in WAL mode: the view lands in its -wal
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE VIEW vline AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
                "SELECT n + 1 FROM r) SELECT line.fid AS fid, line.geom AS geom FROM line, r")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('vline', 'features', 'vline', 4326)")
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('vline', 'geom', 'LINESTRING', "
                "4326, 0, 0)")
    con.commit()
    keep = tmp_path / "keep"
    keep.mkdir()
    for side in ("", "-wal", "-shm"):
        shutil.copyfile(str(g) + side, str(keep / g.name) + side)
    con.close()
    before = _hashes(keep)
    res = invoke(runner, ["areas", "--line", str(keep / g.name), "--input-layer", "vline"])
    _error(res, "open.gpkg", "view")
    assert _hashes(keep) == before


# --- 4. a CRS in the data can neither hang the tool nor reach the network ----------------


@pytest.mark.timeout(120)
@pytest.mark.parametrize("crs", ["+proj=longlat +datum=WGS84 +nadgrids={fifo} +no_defs",
                                 "+init={fifo}:4326",
                                 "+proj=longlat +datum=WGS84 +geoidgrids={fifo}",
                                 "+proj=longlat +datum=WGS84 +nadgrids=https://x.test/g.tif"])
def test_4_crs_that_names_a_file_is_refused(tmp_path, crs):
    fifo = tmp_path / "grid.fifo"
    os.mkfifo(fifo)
    line = json.loads(YELLOW.read_text())
    line["crs"] = {"type": "name", "properties": {"name": crs.format(fifo=fifo)}}
    (tmp_path / "l.geojson").write_text(json.dumps(line), encoding="utf-8")
    res = _run(["areas", "--line", "l.geojson"], tmp_path, env={"PROJ_NETWORK": "ON"})
    err = res.stderr.decode()
    assert res.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and "l.geojson" in err and "grid" in err


def test_4_proj_network_is_off_whatever_the_environment(tmp_path):
    code = "import geo.read.io, pyproj.network; print(pyproj.network.is_network_enabled())"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "PROJ_NETWORK": "ON"})
    assert res.stdout.decode().strip() == "False", res.stderr


def test_4_building_a_crs_is_time_bound(monkeypatch):
    import threading

    import geo.geometry.crs
    from geo.errors import InputError

    release = threading.Event()

    class Stuck:
        @staticmethod
        def from_user_input(text: str) -> None:
            release.wait(30)  # as PROJ blocked on a FIFO named by the definition

    monkeypatch.setattr(geo.geometry.crs, "CRS", Stuck)
    monkeypatch.setattr(geo.geometry.crs, "CRS_SECONDS", 0.2)
    try:
        with pytest.raises(InputError, match="took over 0.2 s"):
            geo.geometry.crs.parse_crs("EPSG:2039", source="l.geojson")
    finally:
        release.set()


# --- 5. report resolves ledger-named files in the ledger's folder -------------------------


@pytest.mark.timeout(300)
@pytest.mark.parametrize("cwd", ["lg", ".", "elsewhere"])
def test_5_report_hashes_the_ledgers_own_file_from_any_folder(world, cwd):
    led = _ledger(world / "lg" / "l.toml", _claim(line="myline.geojson"))
    here = world / cwd
    if cwd == "elsewhere":  # decoys of the same name: a FIFO would hang a reader
        os.mkfifo(here / "myline.geojson")
    inputs = ("l.toml", "myline.geojson")
    before = {n: h for n, h in _hashes(world / "lg").items() if n in inputs}
    res = _run(["report", "--ledger", os.path.relpath(led, here), "--out", "r.md"], here)
    assert res.returncode in (0, 1), res.stderr.decode()
    md = (here / "r.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((world / "lg" / "myline.geojson").read_bytes()).hexdigest()
    assert digest in md and str(world) not in md
    assert {n: h for n, h in _hashes(world / "lg").items() if n in inputs} == before


# --- 6. Markdown is inert -----------------------------------------------------------------

_EVIL = "<img src=x onerror=alert(1)>`x`_y"


@pytest.mark.parametrize("cmd", [["areas", "--line", "{f}", "--format", "markdown"],
                                 ["compare", "{f}", "yellow-line", "--format", "markdown"],
                                 ["count", "{f}", "--format", "markdown"]])
def test_6_markdown_outputs_escape_file_names(runner, tmp_path, monkeypatch, cmd):
    monkeypatch.chdir(tmp_path)
    f = tmp_path / f"{_EVIL}.geojson"
    shutil.copy(YELLOW, f)
    res = invoke(runner, [a.format(f=f.name) for a in cmd])
    assert res.exit_code == 0, res.output
    assert "<img" not in res.stdout and "&lt;img" in res.stdout
    assert "`x`" not in res.stdout  # every backtick escaped


def test_6_report_command_is_a_code_span_that_backticks_cannot_break(runner, tmp_path,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    title = "T ``` `x` <b>"
    res = invoke(runner, ["report", "--no-claims", "--title", title, "--out", "r.md"])
    assert res.exit_code == 0, res.output
    md = Path("r.md").read_text(encoding="utf-8")
    cmd = next(ln for ln in md.splitlines() if ln.startswith("- **Command**: "))
    span = cmd.removeprefix("- **Command**: ")
    fence = re.match(r"`+", span).group(0)  # type: ignore[union-attr]
    inner = span[len(fence):-len(fence)]
    assert span.endswith(fence) and title in inner
    assert max(len(r) for r in re.findall(r"`+", inner)) < len(fence)
    assert "<b>" not in md.replace(inner, "")


# --- 7. a file in the working folder never replaces a packaged dataset --------------------


def test_7_packaged_ids_are_not_shadowed(runner, tmp_path, monkeypatch):
    baseline = json.loads(invoke(runner, ["areas", "--format", "json"]).stdout)
    monkeypatch.chdir(tmp_path)
    small = shapely.box(34.30, 31.30, 34.60, 31.60)
    for name in ("gaza-outline", "yellow-line@2025-10-19", "seed"):
        Path(name).write_text(_fc(small), encoding="utf-8")
    res = invoke(runner, ["areas", "--format", "json"])
    assert res.exit_code == 0, res.output
    east = {z["id"]: z["share_pct"] for z in json.loads(res.stdout)["zones"]}
    assert east == {z["id"]: z["share_pct"] for z in baseline["zones"]}
    # ./NAME names the file
    res = invoke(runner, ["areas", "--boundary", "./gaza-outline", "--format", "json"])
    assert res.exit_code != 0 or json.loads(res.stdout)["boundary"]["file"] == "gaza-outline"
    assert invoke(runner, ["check", "seed", "--format", "json"]).exit_code in (0, 1)


# --- 8. parsing is linear -----------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("n", [40_000, 400_000])
def test_8_claim_text_with_long_runs_of_spaces(n):
    from geo.claims.intervals import infer_hedge

    # blanks are no words: "about" stays the word before "half"
    assert infer_hedge("about" + " " * n + "half", None).approx_word == "about"
    assert infer_hedge("x" + " " * n + "y", "5").op is None


@pytest.mark.timeout(120)
def test_8_a_catalog_of_30000_datasets_loads(tmp_path):
    from geo.catalog import user_catalog

    shutil.copy(YELLOW, tmp_path / "l.geojson")
    entry = ('[[dataset]]\nid = "l{i}"\nversion = "2026-01-01"\ntitle = "t"\nkind = "line"\n'
             'file = "l.geojson"\nsource = "s"\nlicence = "x"\nattribution = "a"\n'
             'method = "m"\n')
    (tmp_path / "catalog.toml").write_text("\n".join(entry.format(i=i) for i in range(30_000)),
                                           encoding="utf-8")
    cat = user_catalog(tmp_path)
    assert len(cat) == 30_000 and cat.get("l29999").ref == "l29999@2026-01-01"


# --- 9. valid-but-odd values stop at the edge ---------------------------------------------


@pytest.mark.parametrize("fields,field", [
    ({"value": True}, "value"),
    ({"value": "1e999999999"}, "value"),
    ({"value": ["1", "1e400"]}, "value"),
    ({"metric": "band_area_km2", "with": "israel", "width_m": float("inf"), "zone": None},
     "width_m"),
    ({"seen_at": "http://[::1", "copy": "mirror", "outlet": "x"}, "seen_at"),
    ({"metric": "percent_of", "part": "1", "whole": "1e-999999", "zone": None}, "whole"),
    ({"metric": "percent_of", "part": "1", "whole": "0." + "0" * 300 + "1", "zone": None},
     "whole"),
    ({"metric": "none", "reason": "r", "value": [], "zone": None}, None),
    ({"zone": "between-1"}, None),
])
def test_9_odd_ledger_values(runner, tmp_path, fields, field):
    claim = {k: v for k, v in _claim(**fields).items() if v is not None}
    led = _ledger(tmp_path / "l.toml", claim)
    res = invoke(runner, ["check", str(led), "--format", "json"])
    if fields.get("metric") == "none":  # a statement without a metric takes any value
        assert res.exit_code == 0, res.output
        return
    err = _error(res, "l.toml", "claim 'c1'")
    if field:
        assert f"'{field}'" in err


@pytest.mark.parametrize("fields,field", [({"uncertainty_m": 1e308}, "uncertainty_m"),
                                          ({"version": "a/b"}, "version"),
                                          ({"id": "my.line"}, "id"),
                                          ({"encoding": "nope"}, "encoding")])
def test_9_odd_catalog_values(runner, tmp_path, fields, field):
    cat = _catalog(tmp_path / "dd", **fields)
    res = invoke(runner, ["datasets", "--data-dir", str(tmp_path / "dd")])
    err = _error(res, str(cat), f"`{field}`")
    assert f"--{field.split('_')[0]}" not in err


# --- 10. paths the OS cannot use ----------------------------------------------------------


@pytest.mark.parametrize("fields", [{"file": "l\u0000.geojson"}, {"encoding": "utf-8\u0000"},
                                    {"file": "x" * 300 + ".geojson"}])
def test_10_catalog_paths_and_names_the_os_cannot_use(runner, tmp_path, fields):
    cat = _catalog(tmp_path / "dd", **fields)
    for cmd in (["datasets"], ["areas", "--line", "mine"]):
        _error(invoke(runner, [*cmd, "--data-dir", str(tmp_path / "dd")]), str(cat))


@pytest.mark.parametrize("line", ["a\u0000.geojson", "x" * 300 + ".geojson"])
def test_10_ledger_paths_the_os_cannot_use(runner, tmp_path, line):
    led = _ledger(tmp_path / "l.toml", _claim(line=line))
    _error(invoke(runner, ["check", str(led)]), "l.toml", "claim 'c1'", "'line'")


def test_10_long_and_non_utf8_names(runner, tmp_path):
    long_ledger = tmp_path / ("l" * 300 + ".toml")
    _error(invoke(runner, ["check", str(long_ledger)]))
    name = os.fsdecode(b"a\xff.geojson")
    for cmd in (["render", "--layer", name, "--out", str(tmp_path / "m.html")],
                ["report", "--ledger", name, "--out", str(tmp_path / "r.html")],
                ["areas", "--line", name]):
        res = invoke(runner, cmd)
        _error(res)
        assert "\\udcff" in res.stderr or "\\xff" in res.stderr


@pytest.mark.parametrize("wkt", ["CURVEPOLYGON(CIRCULARSTRING(34.3 31.3, 34.4 31.4, 34.5 31.3,"
                                 " 34.4 31.2, 34.3 31.3))",
                                 "CIRCULARSTRING(34.3 31.3, 34.4 31.4, 34.5 31.3)"])
def test_10_curve_geometries_are_refused(runner, tmp_path, wkt):
    f = tmp_path / "c.csv"
    f.write_text(f'name,wkt\nc,"{wkt}"\n', encoding="utf-8")
    before = _hashes(tmp_path)
    err = _error(invoke(runner, ["count", str(f)]), "c.csv", "curve")
    assert "linearise" in err and _hashes(tmp_path) == before


# --- 11. XML outputs are well-formed ------------------------------------------------------

_NASTY = "a\u0001b\u0000c\uffff--d\u001b[31m"


@pytest.mark.parametrize("what", ["kml", "svg", "svg-file-name"])
def test_11_xml_outputs_parse_strictly(runner, tmp_path, what):
    pts = _fc(shapely.Point(34.4, 31.45), props=[{"name": _NASTY, "x\u0002": _NASTY}])
    name = "p.geojson" if what != "svg-file-name" else "p\u0001q--.geojson"
    (tmp_path / name).write_text(pts, encoding="utf-8")
    out = tmp_path / ("e.kml" if what == "kml" else "m.svg")
    cmd = (["export", "--include", str(tmp_path / name), "--out", str(out)] if what == "kml"
           else ["render", "--layer", str(tmp_path / name), "--title", _NASTY,
                 "--out", str(out)])
    res = invoke(runner, cmd)
    assert res.exit_code == 0, res.output
    ET.fromstring(out.read_bytes())  # expat: strict XML 1.0
    if what == "kml":  # gazamap reads its own export
        from geo.read.io import read_features

        feats = read_features(out, layer="p")
        assert feats[0].properties["name"] == "abc--d[31m"


# --- 12. output errors --------------------------------------------------------------------


def test_12_a_full_disk_is_one_line_and_exit_2(tmp_path):
    with open("/dev/full", "wb") as full:
        res = subprocess.run([sys.executable, "-c", "from maps.cli import main; main()",
                              "areas"], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                             timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = res.stderr.decode()
    assert res.returncode == 2, err
    assert "Traceback" not in err and "standard output" in err
    assert len([ln for ln in err.splitlines() if "error" in ln]) == 1


def test_12_a_closed_stdout_is_not_a_success(tmp_path):
    res = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -c "from maps.cli import main; main()" areas >&-'],
        cwd=tmp_path, capture_output=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = res.stderr.decode()
    assert res.returncode == 2, err
    assert "closed" in err and "Traceback" not in err


def test_12_a_broken_pipe_is_141_quietly(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "from maps.cli import main; main()",
                             "areas", "--format", "json"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the result is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "error" not in err


# --- 13. identifiers ----------------------------------------------------------------------


@pytest.mark.parametrize("map_id", ["abc\n", "abc\r\n", "a-b"])
def test_13_identifiers_are_checked_to_the_end(runner, tmp_path, map_id):
    res = invoke(runner, ["render", "--map-id", map_id, "--out", str(tmp_path / "m.html")])
    _error(res)
    assert not (tmp_path / "m.html").exists()


# --- 14. one line, not megabytes ----------------------------------------------------------


@pytest.mark.parametrize("columns", [1_000_000, 50])
def test_14_an_error_line_is_capped(runner, tmp_path, columns):
    f = tmp_path / "wide.csv"
    f.write_text(",".join(f"c{i}" for i in range(columns)) + "\n"
                 + ",".join("1" for _ in range(columns)) + "\n", encoding="utf-8")
    err = _error(invoke(runner, ["count", str(f)]), "wide.csv", "Fix:")
    assert len(err) <= 600


# --- 15. an iframe snippet works on its own -----------------------------------------------


def test_15_iframe_snippet_is_ascii(runner, tmp_path):
    out = tmp_path / "i.html"
    res = invoke(runner, ["render", "--iframe", "--offline", "--out", str(out)])
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert max(raw) < 128  # the same in any charset, with or without <meta charset>
    assert "&#169;" in raw.decode("ascii") or "&#xa9;" in raw.decode("ascii").lower()


# --- 16. catalog field errors name the file and the field; unreadable GeoPackage CRS ------


@pytest.mark.parametrize("fields,field", [({"encoding": "nope"}, "encoding"),
                                          ({"uncertainty_m": -1}, "uncertainty_m"),
                                          ({"crs": 5}, "crs")])
def test_16_catalog_errors_name_the_catalog_and_its_field(runner, tmp_path, fields, field):
    cat = _catalog(tmp_path / "dd", **fields)
    err = _error(invoke(runner, ["areas", "--data-dir", str(tmp_path / "dd")]), str(cat))
    assert f"`{field}`" in err and "--" not in err.split("Fix:")[0]


def test_16_an_unreadable_geopackage_crs_is_an_error(runner, tmp_path):
    g = _wal_gpkg(tmp_path)
    con = sqlite3.connect(g)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, "
                "organization_coordsys_id, definition) VALUES ('bad', 99999, 'NONE', 99999, "
                "'GARBAGE[')")
    con.execute("UPDATE gpkg_geometry_columns SET srs_id = 99999")
    con.execute("UPDATE gpkg_contents SET srs_id = 99999")
    con.commit()
    con.close()
    before = _hashes(tmp_path)
    _error(invoke(runner, ["areas", "--line", str(g)]), "open.gpkg", "srs_id 99999")
    assert _hashes(tmp_path) == before
