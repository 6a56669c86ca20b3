"""Every command writes through the one output guard: no input is ever overwritten, special
files are refused, '-' is stdout, the format comes from the extension, nothing leaks.

Each refusal: exit 2, one line on stderr, no traceback, the inputs unchanged byte for byte
and no temporary file left."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import mapping

from tests._cli import invoke

ROOT = Path(__file__).resolve().parents[2]
GAZAMAP = str(Path(sys.executable).with_name("gazamap"))

LEDGER = """[ledger]
title = "a ledger naming its line"
line = "line.json"

[[claim]]
id = "C1"
text = "Israel controls 53 percent"
source = "test"
date = "2025-10-10"
url = "https://example.org/c1"
metric = "zone_share_pct"
zone = "east"
value = "53"
"""


@pytest.fixture
def work(tmp_path, monkeypatch, yellow_line) -> Path:
    """A folder of inputs, the current directory: lines (GeoJSON, .json, a shapefile,
    a symlink and a hard link), a ledger naming line.json, and an old map."""
    import numpy as np
    import pyogrio.raw
    import shapely

    fc = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "line"}, "geometry": mapping(yellow_line)}]})
    for name in ("line.geojson", "B.geojson", "line.json"):
        (tmp_path / name).write_text(fc, encoding="utf-8")
    pyogrio.raw.write(str(tmp_path / "l.shp"),
                      shapely.to_wkb(np.array([yellow_line], dtype=object)),
                      [np.array(["line"], dtype=object)], ["name"], driver="ESRI Shapefile",
                      geometry_type="LineString", crs="EPSG:4326")
    (tmp_path / "L.toml").write_text(LEDGER, encoding="utf-8")
    (tmp_path / "link.geojson").symlink_to(tmp_path / "line.geojson")
    os.link(tmp_path / "line.geojson", tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _state(folder: Path) -> dict[str, object]:
    """Names, kinds and bytes of everything in ``folder``."""
    out: dict[str, object] = {}
    for p in sorted(folder.iterdir()):
        if p.is_symlink():
            out[p.name] = ("link", os.readlink(p))
        elif p.is_file():
            out[p.name] = p.read_bytes()
        else:
            out[p.name] = stat.S_IFMT(p.lstat().st_mode)
    return out


def _one_line_error(res) -> str:
    assert res.exit_code == 2, (res.exit_code, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    return lines[0]


# --- an output is never an input ----------------------------------------------------------

OVERWRITE = {
    "compare A B --out B": ["compare", "yellow-line@2025-10-19", "B.geojson",
                            "--out", "B.geojson"],
    "report --ledger L --out L": ["report", "--ledger", "L.toml", "--out", "L.toml"],
    "check L --out the line L names": ["check", "L.toml", "--format", "json",
                                       "--out", "line.json"],
    "render --line l.shp --out l.dbf": ["render", "--line", "l.shp", "--out", "l.dbf"],
    "render --line l.shp --out l.prj": ["render", "--line", "l.shp", "--out", "l.prj"],
    "render --layer F --out F": ["render", "--layer", "line.geojson", "--out",
                                 "line.geojson"],
    "areas --line link --out its target": ["areas", "--line", "link.geojson", "--out",
                                           "line.geojson"],
    "areas --line F --out a symlink to F": ["areas", "--line", "line.geojson", "--out",
                                            "link.geojson"],
    "areas --line F --out a hard link to F": ["areas", "--line", "line.geojson",
                                              "--format", "json", "--out", "hard.json"],
    "export --include F --out F": ["export", "--include", "line.geojson", "--out",
                                   "line.geojson"],
    "export --line l.shp --out l.cpg": ["export", "--line", "l.shp", "--format", "csv",
                                        "--out", "l.cpg"],
}


@pytest.mark.parametrize("args", OVERWRITE.values(), ids=OVERWRITE.keys())
def test_no_command_overwrites_an_input(runner, work, args):
    before = _state(work)
    line = _one_line_error(invoke(runner, args))
    assert line.startswith("gazamap: error: ") and "would overwrite" in line
    assert "Fix: choose another output path" in line
    assert _state(work) == before


def test_the_ledger_guard_holds_at_the_write(work, monkeypatch):
    """`check L.toml --out line.json`: line.json is known only once the ledger is read."""
    from maps.cli._output import ledger_files

    named = {Path(p).name for p in ledger_files(str(work / "L.toml"))}
    assert {"L.toml", "line.json"} <= named


# --- special targets ---------------------------------------------------------------------------


def test_special_targets_are_refused_and_kept(runner, work):
    os.mkfifo(work / "fifo.txt")
    (work / "folder.txt").mkdir()
    null = os.stat("/dev/null")
    before = _state(work)
    for target, kind in (("fifo.txt", "a FIFO"), ("folder.txt", "a folder"),
                         ("/dev/null", "a character device")):
        line = _one_line_error(invoke(runner, ["areas", "--out", target]))
        assert f"{target}: is {kind}" in line
    line = _one_line_error(invoke(runner, ["render", "--offline", "--out", "/dev/null"]))
    assert "/dev/null: is a character device" in line
    assert _state(work) == before
    now = os.stat("/dev/null")
    assert stat.S_ISCHR(now.st_mode) and (now.st_ino, now.st_rdev) == (null.st_ino,
                                                                       null.st_rdev)


# --- '-' is stdout ---------------------------------------------------------------------------


def test_dash_is_stdout_for_text(runner, work):
    res = invoke(runner, ["areas", "--format", "json", "--out", "-"])
    assert res.exit_code == 0 and json.loads(res.stdout)["zones"][0]["id"] == "east"
    res = invoke(runner, ["export", "--out", "-"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["type"] == "FeatureCollection"
    res = invoke(runner, ["check", "L.toml", "--format", "markdown", "--out", "-"])
    assert res.exit_code == 1 and res.stdout.startswith("| id |")  # 54.2 % is not 53 %
    assert not (work / "-").exists()


@pytest.mark.parametrize("args", [["render", "--format", "png", "--out", "-"],
                                  ["export", "--format", "gpkg", "--out", "-"]])
def test_binary_formats_refuse_stdout(runner, work, args):
    line = _one_line_error(invoke(runner, args))
    assert "binary format and cannot go to stdout" in line
    assert not (work / "-").exists()


# --- the format comes from the extension ------------------------------------------------------


FORMATS = [
    (["render", "--offline", "--layers", "zones", "--width-px", "600", "--height-px", "600"],
     "map.png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    (["render", "--offline", "--layers", "zones", "--width-px", "600", "--height-px", "600"],
     "map.svg", lambda b: b"<svg" in b[:2000] and b"<html" not in b),
    (["render", "--offline", "--layers", "zones"], "map.html",
     lambda b: b.startswith(b"<!DOCTYPE html>")),
    (["areas"], "a.json", lambda b: "zones" in json.loads(b)),
    (["areas"], "a.csv", lambda b: next(csv.DictReader(io.StringIO(b.decode())))["zone"]
     == "east"),
    (["areas"], "a.md", lambda b: b.startswith(b"| zone |")),
    (["areas"], "a.txt", lambda b: b.startswith(b"zone ") and b"|" not in b.split(b"\n")[0]),
    (["check", "seed"], "v.html", lambda b: b.startswith(b"<!DOCTYPE html>")),
    (["check", "seed"], "v.json", lambda b: isinstance(json.loads(b), list)),
    (["compare", "yellow-line@2025-10-19", "B.geojson"], "c.md",
     lambda b: b.startswith(b"A: ") and b"|---|" in b),
    (["report", "--no-claims"], "r.md", lambda b: b.startswith(b"# ")),
    (["export"], "z.kml", lambda b: b.startswith(b"<?xml") and b"<kml" in b),
    (["export"], "z.json", lambda b: json.loads(b)["type"] == "FeatureCollection"),
    (["export"], "z.gpkg", lambda b: b.startswith(b"SQLite format 3\x00")),
]


@pytest.mark.parametrize("args,out,looks_right", FORMATS,
                         ids=[f"{a[0]}-{o}" for a, o, _ in FORMATS])
def test_the_format_comes_from_the_extension(runner, work, args, out, looks_right):
    if out.endswith((".png", ".svg")):
        pytest.importorskip("maps.static")
    res = invoke(runner, [*args, "--out", out])
    assert res.exit_code in (0, 1), res.stderr  # check exits 1 when a claim is inconsistent
    assert looks_right((work / out).read_bytes())
    assert res.stdout == "" and f"wrote {out}" in res.stderr


USAGE = [
    (["render", "--format", "svg", "--out", "m.png"], "--format svg conflicts with --out m.png"),
    (["areas", "--format", "json", "--out", "a.csv"], "--format json conflicts with --out a.csv"),
    (["report", "--format", "html", "--out", "r.md"], "--format html conflicts"),
    (["export", "--format", "kml", "--out", "z.geojson"], "--format kml conflicts"),
    (["areas", "--out", "a.dat"], "cannot tell the format from the extension '.dat' of --out "
                                  "a.dat: give --format table|json|csv|markdown, or an "
                                  "extension: table (.txt), json (.json), csv (.csv), "
                                  "markdown (.md .markdown)"),
    (["render", "--out", "map"], "the extension of --out map (it has none)"),
    (["export", "--out", "zones.dat2"], "cannot tell the format from the extension"),
    (["areas", "--out", "a.png"], "this command cannot write .png files"),
    (["compare", "yellow-line", "B.geojson", "--out", "c.csv"],
     "this command cannot write .csv files"),
    (["check", "seed", "--out", "v.kml"], "this command cannot write .kml files"),
]


@pytest.mark.parametrize("args,message", USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_format_and_extension_conflicts_are_usage_errors(runner, work, args, message):
    before = _state(work)
    line = _one_line_error(invoke(runner, args))
    assert line.startswith(f"gazamap {args[0]}: error: ") and message in line
    assert _state(work) == before


# --- modes --------------------------------------------------------------------------------


def _run(args, cwd, umask=None, **kw):
    return subprocess.run([GAZAMAP, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, preexec_fn=(lambda: os.umask(umask)) if umask else None,
                          **kw)


def test_umask_077_gives_a_private_file_and_an_existing_mode_is_kept(work):
    res = _run(["areas", "--out", "a.json"], work, umask=0o077)
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(os.stat(work / "a.json").st_mode) == 0o600
    (work / "b.json").write_text("old")
    os.chmod(work / "b.json", 0o640)
    res = _run(["areas", "--out", "b.json"], work, umask=0o022)
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(os.stat(work / "b.json").st_mode) == 0o640
    assert json.loads((work / "b.json").read_text())["zones"]


# --- a signal during the write ------------------------------------------------------------

_SLOW_RENDER = """
import os, sys, time
real_fsync = os.fsync
def slow_fsync(fd):  # the test's hook: the write hangs at its fsync
    time.sleep(120)
os.fsync = slow_fsync
from maps.cli import main
main(["render", "--offline", "--layers", "zones,line", "--out", {target!r}])
"""


def _default_sigint() -> None:
    """In the child before exec: SIGINT back to its default disposition."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signame,code,said", [("SIGTERM", 143, "terminated by signal 15"),
                                               ("SIGINT", 130, "interrupted")])
def test_a_killed_render_leaves_the_old_map_and_no_temporary(work, signame, code, said):
    out = work / "out"
    out.mkdir()
    (out / "map.html").write_text("the old map")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_RENDER.format(
        target=str(out / "map.html"))], cwd=ROOT, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_sigint)  # SIGINT at its default even if the parent ignores it
    try:
        deadline = time.monotonic() + 120
        while not [p for p in os.listdir(out) if p.endswith(".tmp")]:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the render never started writing"
            time.sleep(0.05)
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code
    assert said in err and "Traceback" not in err
    assert (out / "map.html").read_text() == "the old map"
    assert os.listdir(out) == ["map.html"]


# --- nothing leaks: Markdown, CSV, terminal ----------------------------------------------------

HOSTILE_LEDGER = r"""[ledger]
title = "t\u001b]0;pwned\u0007"

[[claim]]
id = "<img src=x onerror=alert(1)>|x\u001b[2J"
text = "=HYPERLINK(\"http://evil.example\",\"x\") \u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\"
source = "<script>alert(2)</script>"
date = "2025-10-10"
url = "https://example.org"
metric = "zone_share_pct"
zone = "east"
value = "53"
"""


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_markdown_tables_are_inert_when_rendered(runner, work):
    from markdown_it import MarkdownIt  # an independent CommonMark + GFM-tables renderer

    (work / "H.toml").write_text(HOSTILE_LEDGER, encoding="utf-8")
    res = invoke(runner, ["check", "H.toml", "--out", "v.md"])
    assert res.exit_code in (0, 1), res.stderr
    table = (work / "v.md").read_text(encoding="utf-8").split("\n\n")[0]
    assert "\x1b" not in table
    page = _Cells()
    page.feed(MarkdownIt("commonmark").enable("table").render(table))
    assert set(page.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}  # no img, script
    widths = [len(r) for r in page.rows]
    assert len(widths) == 2 and widths[0] == widths[1]  # the pipe did not split the cell
    assert page.rows[1][0] == "<img src=x onerror=alert(1)>|x"  # as written, minus the CSI


def test_csv_outputs_neutralise_formulas(runner, work):
    shutil.copy(work / "line.geojson", work / "=HYPERLINK(1).geojson")
    res = invoke(runner, ["areas", "--line", "=HYPERLINK(1).geojson", "--format", "csv"])
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["line"] == "'=HYPERLINK(1).geojson"
    assert float(rows[0]["area_km2"]) > 0
    res = invoke(runner, ["export", "--line", "=HYPERLINK(1).geojson", "--out", "z.csv"])
    assert res.exit_code == 0, res.stderr
    cells = [c for r in csv.reader(io.StringIO((work / "z.csv").read_text())) for c in r]
    assert "'=HYPERLINK(1).geojson" in cells
    assert not any(c.startswith(("=", "@", "+", "\t", "\r")) for c in cells)


def test_terminal_output_has_no_control_sequences(runner, work):
    (work / "H.toml").write_text(HOSTILE_LEDGER, encoding="utf-8")
    res = invoke(runner, ["check", "H.toml"])
    assert res.exit_code in (0, 1) and "<img src=x" in res.stdout
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout
    res = invoke(runner, ["areas", "--line", "evil\x1b]0;pwned\x07\x1b[2J.geojson"])
    line = _one_line_error(res)
    assert "\x1b" not in line and "\x07" not in line and "evil" in line


# --- properties: any text stays one inert cell, any text leaves no control character -------



@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_one_inert_markdown_cell_shown_as_written(text):
    from markdown_it import MarkdownIt

    from geo.write.outputs import terminal_text
    from maps.tables import markdown_table

    page = _Cells()
    page.feed(MarkdownIt("commonmark").enable("table").render(
        markdown_table(["h"], [[text]])))
    assert set(page.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert [len(r) for r in page.rows] == [1, 1]
    shown = " ".join(terminal_text(" ".join(text.splitlines())).split())
    # markdown-it maps NUL to U+FFFD (CommonMark's rule for insecure characters)
    assert " ".join(page.rows[1][0].split()) == shown.replace("\0", "\ufffd")


_SLOW_SHAPEFILE_READ = """
import time
import geo.read.ogr
def slow_read(*args, **kwargs):  # the test's hook: reading the copied parts hangs
    time.sleep(120)
geo.read.ogr._ogr_read = slow_read
from maps.cli import main
main(["areas", "--line", "l.shp"])
"""


def test_a_killed_shapefile_read_leaves_no_copy_of_the_data(work):
    """The parts are copied to a temporary folder to be read: SIGTERM must remove it."""
    tmp = work / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_SHAPEFILE_READ], cwd=work,
                            env={**os.environ, "TMPDIR": str(tmp),
                                 "PYTHONPATH": str(ROOT)},
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp.glob("gazamap-shp-*/*.dbf")):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the read never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143 and "terminated by signal 15" in err
    assert list(tmp.iterdir()) == []
