"""`gazamap areas` and `gazamap datasets` from the command line (CliRunner and a real process)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from shapely import LineString, Point

from maps.cli import main


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def _json(runner, *args):
    res = runner.invoke(main, ["areas", "--format", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_contract(runner):
    d = _json(runner)
    assert d["boundary"]["dataset"] == "gaza-outline@2017"
    assert d["line"] == {**d["line"], "dataset": "yellow-line@2025-10-19",
                         "uncertainty_m": [100, 520]}
    assert {"area", "ellipsoid", "cross_check", "uncertainty"} <= set(d["method"])
    assert [z["id"] for z in d["zones"]] == ["east", "west"]
    for z in d["zones"]:
        assert {"area_km2", "share_pct", "share_pct_low", "share_pct_high", "share_pct_of",
                "borders_km"} <= set(z)
        assert set(z["borders_km"]) == {"israel", "egypt", "sea"}
        assert {"365", "360"} <= set(z["share_pct_of"])
    g = d["governorates"][0]
    assert {"name", "name_ar", "area_km2", "zones"} <= set(g)
    assert set(g["zones"]) == {"east", "west"}
    assert d["alternatives"][0]["method"] == "zone-polygon"


def test_json_is_deterministic_and_unrounded(runner):
    a = runner.invoke(main, ["areas", "--format", "json"]).stdout
    b = runner.invoke(main, ["areas", "--format", "json"]).stdout
    assert a == b
    east = json.loads(a)["zones"][0]["area_km2"]
    assert east != round(east, 6)


def test_table_names_datasets_and_method(runner):
    res = runner.invoke(main, ["areas"])
    assert res.exit_code == 0
    out = res.stdout
    assert "gaza-outline@2017" in out and "yellow-line@2025-10-19" in out
    assert "geodesic" in out and "WGS84" in out and "Rafah" in out and "رفح" in out
    assert "idf-zone@2025-10-19" in out


def test_markdown_and_csv(runner):
    md = runner.invoke(main, ["areas", "--format", "markdown"]).stdout
    assert md.startswith("| zone |")
    text = runner.invoke(main, ["areas", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    east = next(r for r in rows if r["scope"] == "strip" and r["zone"] == "east")
    assert east["line"] == "yellow-line@2025-10-19"
    assert float(east["share_pct"]) == pytest.approx(_json(runner)["zones"][0]["share_pct"])


def test_denominator_and_uncertainty_options(runner):
    d = _json(runner, "--denominator", "363", "--uncertainty", "0")
    east = d["zones"][0]
    assert "363" in east["share_pct_of"]
    # an uncertainty of 0 m gives no interval (null), never a degenerate low == high
    assert east["share_pct_low"] is None and east["share_pct_high"] is None
    assert east["interval"] is None


def test_a_user_line_file(runner, write_geojson, yellow_line):
    path = write_geojson("line.geojson", yellow_line)
    d = _json(runner, "--line", str(path))
    import hashlib

    # published outputs name a file by its name and digest, never by its local path
    assert d["line"]["file"] == "line.geojson"
    assert d["line"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert str(path.parent) not in json.dumps(d)
    assert d["zones"][0]["share_pct_low"] is None
    assert d["zones"][0]["area_km2"] == pytest.approx(_json(runner)["zones"][0]["area_km2"])
    assert any("no positional uncertainty" in w for w in d["warnings"])


def test_out_writes_atomically_and_never_over_an_input(runner, tmp_path, write_geojson,
                                                       yellow_line):
    out = tmp_path / "areas.json"
    res = runner.invoke(main, ["areas", "--format", "json", "--out", str(out)])
    assert res.exit_code == 0 and json.loads(out.read_text())["zones"]
    line = write_geojson("l.geojson", yellow_line)
    before = line.read_bytes()
    res = runner.invoke(main, ["areas", "--line", str(line), "--out", str(line)])
    assert res.exit_code == 2 and "overwrite the input" in res.stderr
    assert line.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("make,match", [
    (lambda w: "missing.geojson", "no such file"),
    (lambda w: w("bad.geojson", text="{not json"), "not valid JSON"),
    (lambda w: w("page.geojson", text="<!doctype html><html></html>"), "HTML"),
    (lambda w: w("short.geojson", LineString([(34.40, 31.45), (34.41, 31.44)])),
     "inside the outline"),
    (lambda w: w("pt.geojson", Point(34.4, 31.4)), "expected a line"),
    (lambda w: "no-such-id", "unknown dataset id"),
])
def test_user_errors_exit_2_with_one_line_and_no_traceback(runner, write_geojson, make, match):
    spec = make(write_geojson)
    res = runner.invoke(main, ["areas", "--line", str(spec)])
    assert res.exit_code == 2, res.output
    assert match in res.stderr
    assert "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Fix:" in res.stderr


def test_datasets_lists_provenance(runner):
    res = runner.invoke(main, ["datasets"])
    assert res.exit_code == 0
    assert "yellow-line@2025-10-19" in res.stdout and "not stated" in res.stdout
    assert "[ILLUSTRATIVE]" in res.stdout
    rows = json.loads(runner.invoke(main, ["datasets", "--format", "json"]).stdout)
    assert all(r["licence"] and r["attribution"] and r["method"] for r in rows)


BESIDE = Path(sys.executable).parent / "gazamap"


@pytest.mark.skipif(shutil.which("gazamap") is None and not BESIDE.exists(),
                    reason="gazamap console script not installed")
def test_installed_console_script_runs():
    exe = str(BESIDE) if BESIDE.exists() else str(shutil.which("gazamap"))
    res = subprocess.run([exe, "areas", "--format", "json"], capture_output=True, text=True,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["zones"][0]["id"] == "east"
    bad = subprocess.run([exe, "areas", "--line", "nope.geojson"], capture_output=True,
                         text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_program_tunes_the_collector_and_a_caller_keeps_pythons(runner):
    # gazamap and python -m maps.cli are maps.cli:run (maps._program): young collections
    # every 100,000 containers, folium's import frozen, everything frozen at exit
    import gc
    import re
    import tomllib

    root = Path(__file__).resolve().parents[2]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["gazamap"] == "maps.cli:run"
    hook = ("import atexit, gc, sys; atexit.register(lambda: sys.stderr.write("
            "'frozen=%d young=%d\\n' % (gc.get_freeze_count(), gc.get_threshold()[0]))); ")
    for code in (hook + "from maps.cli import run; run()",
                 hook + "import runpy; runpy.run_module('maps.cli', run_name='__main__')"):
        p = subprocess.run([sys.executable, "-c", code, "areas", "--format", "json"],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["zones"]
        seen = re.search(r"frozen=(\d+) young=(\d+)", p.stderr)
        assert seen and int(seen.group(1)) > 10_000 and int(seen.group(2)) == 100_000
    # a test (or a caller) running the commands in its own process: Python's collector
    before = gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()
    res = runner.invoke(main, ["render", "--offline", "--out", "-"])
    assert res.exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before
