"""The output guard (geo.write.outputs): never over an input, never over a special file, atomic,
umask-aware, signal-safe; and the text guards (file identity, CSV cells, terminal text)."""

from __future__ import annotations

import csv
import errno
import io
import os
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.write.outputs as outputs
from geo.errors import OutputError
from geo.write.outputs import (
    check_output,
    csv_cell,
    file_identity,
    terminal_text,
    write_output,
)
from geo.write.protected import input_files

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file of ``folder`` (names and bytes): inputs must not change."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.is_symlink()}


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture
def shapefile(tmp_path: Path) -> Path:
    """A real shapefile (written by GDAL): l.shp, l.shx, l.dbf, l.prj, l.cpg."""
    import numpy as np
    import pyogrio.raw
    import shapely

    line = shapely.LineString([(34.3, 31.3), (34.4, 31.5)])
    shp = tmp_path / "l.shp"
    pyogrio.raw.write(str(shp), shapely.to_wkb(np.array([line], dtype=object)),
                      [np.array(["a"], dtype=object)], ["name"], driver="ESRI Shapefile",
                      geometry_type="LineString", crs="EPSG:4326")
    assert {p.suffix for p in tmp_path.iterdir()} >= {".shp", ".shx", ".dbf", ".prj"}
    return shp


# --- an output is never an input ----------------------------------------------------------


def _same(tmp: Path) -> tuple[list[Path], Path]:
    f = tmp / "line.geojson"
    f.write_text("{}")
    return [f], f


def _relative(tmp: Path) -> tuple[list[Path], Path]:
    f = tmp / "line.geojson"
    f.write_text("{}")
    return [f], Path(os.path.relpath(f))


def _through_dotdot(tmp: Path) -> tuple[list[Path], Path]:
    (tmp / "sub").mkdir()
    f = tmp / "line.geojson"
    f.write_text("{}")
    return [f], tmp / "sub" / ".." / "line.geojson"


def _symlink_to_input(tmp: Path) -> tuple[list[Path], Path]:
    f = tmp / "line.geojson"
    f.write_text("{}")
    (tmp / "link.geojson").symlink_to(f)
    return [f], tmp / "link.geojson"


def _input_is_symlink(tmp: Path) -> tuple[list[Path], Path]:
    f = tmp / "line.geojson"
    f.write_text("{}")
    (tmp / "link.geojson").symlink_to(f)
    return [tmp / "link.geojson"], f


def _symlinked_folder(tmp: Path) -> tuple[list[Path], Path]:
    (tmp / "data").mkdir()
    f = tmp / "data" / "line.geojson"
    f.write_text("{}")
    (tmp / "alias").symlink_to(tmp / "data")
    return [f], tmp / "alias" / "line.geojson"


def _hard_link(tmp: Path) -> tuple[list[Path], Path]:
    f = tmp / "line.geojson"
    f.write_text("{}")
    os.link(f, tmp / "hard.geojson")
    return [f], tmp / "hard.geojson"


def _ledger_and_named(tmp: Path) -> tuple[list[Path], Path]:
    # what the CLI passes for `check L.toml --out line.json` (maps.cli._output.ledger_files)
    (tmp / "line.json").write_text("{}")
    (tmp / "L.toml").write_text('[ledger]\nline = "line.json"\n')
    return [tmp / "L.toml", tmp / "line.json"], tmp / "line.json"


def _data_dir_catalog(tmp: Path) -> tuple[list[Path], Path]:
    d = tmp / "data"
    d.mkdir()
    (d / "catalog.toml").write_text("[[dataset]]\n")
    (d / "line_2025-11-20.geojson").write_text("{}")
    return [d / "catalog.toml", d / "line_2025-11-20.geojson"], d / "catalog.toml"


OVERWRITES = [_same, _relative, _through_dotdot, _symlink_to_input, _input_is_symlink,
              _symlinked_folder, _hard_link, _ledger_and_named, _data_dir_catalog]


@pytest.mark.parametrize("case", OVERWRITES, ids=[c.__name__.strip("_") for c in OVERWRITES])
def test_an_input_is_never_overwritten(tmp_path, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    inputs, target = case(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(OutputError, match="would overwrite"):
        check_output(target, inputs)
    with pytest.raises(OutputError, match="would overwrite"):
        write_output(target, "new", inputs=inputs)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("given,target", [
    ("l.shp", "l.dbf"), ("l.shp", "l.shx"), ("l.shp", "l.prj"), ("l.shp", "l.cpg"),
    ("l.shp", "l.shp"),
    # parts that do not exist yet would change the input too (CRS, encoding, index)
    ("l.shp", "l.qix"), ("l.shp", "l.sbn"), ("l.shp", "l.shp.xml"), ("l.shp", "L.QIX"),
    ("l.shp", "l.aux.xml"),
    ("l.dbf", "l.shp"),  # any part stands for its shapefile
    (".", "l.dbf"), (".", "other.shp"),  # a folder of shapefiles
])
def test_every_part_of_a_shapefile_input_is_protected(shapefile, given, target):
    folder = shapefile.parent
    before = _snapshot(folder)
    with pytest.raises(OutputError, match="would (overwrite|add the shapefile part)"):
        write_output(folder / target, b"x", inputs=[folder / given])
    assert _snapshot(folder) == before and not _temps(folder)


@pytest.mark.parametrize("name", ["catalog.toml", "gaza_outline.geojson", "new.html"])
def test_the_packaged_data_is_never_an_output(name):
    data = ROOT / "geo" / "data"
    before = {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    with pytest.raises(OutputError, match="would overwrite gazamap's packaged data"):
        write_output(data / name, "x")
    assert {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_files_beside_a_shapefile_that_are_not_its_parts_can_be_written(shapefile):
    folder = shapefile.parent
    for name in ("l.html", "l.geojson", "l2.dbf", "map.png"):
        assert write_output(folder / name, "ok", inputs=[shapefile]) == folder / name
    assert (folder / "l.html").read_text() == "ok"


def test_input_files_expands_shapefile_parts_and_folders(shapefile):
    names = {p.name for p in input_files([shapefile, None, ""])}
    assert names == {p.name for p in shapefile.parent.iterdir()}
    assert shapefile.parent in input_files([shapefile.parent])


# --- special targets ------------------------------------------------------------------------


def _fifo(tmp: Path) -> Path:
    p = tmp / "pipe.html"
    os.mkfifo(p)
    return p


def _socket(tmp: Path) -> Path:
    # a short folder: AF_UNIX paths are limited to ~107 bytes
    d = Path(tempfile.mkdtemp(prefix="gzsock"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "s.html"))
    s.close()
    return d / "s.html"


def _folder(tmp: Path) -> Path:
    (tmp / "out.html").mkdir()
    return tmp / "out.html"


def _link_to_dev_null(tmp: Path) -> Path:
    (tmp / "null.html").symlink_to("/dev/null")
    return tmp / "null.html"


SPECIAL = [(_fifo, "a FIFO \\(named pipe\\)"), (_socket, "a socket"), (_folder, "a folder"),
           (lambda tmp: Path("/dev/null"), "a character device"),
           (_link_to_dev_null, "a character device")]


@pytest.mark.parametrize("make,kind", SPECIAL,
                         ids=["fifo", "socket", "folder", "dev-null", "link-to-dev-null"])
def test_special_targets_are_refused_not_replaced(tmp_path, make, kind):
    target = make(tmp_path)
    real = Path(os.path.realpath(target))
    before = os.stat(real)
    # a FIFO is judged by stat, never opened: this would block for ever if it were opened
    with pytest.raises(OutputError, match=f"is {kind}, not a regular file"):
        write_output(target, "x")
    after = os.stat(real)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino,
                                                            before.st_rdev)
    assert not _temps(real.parent)


def test_dev_null_is_still_the_device_after_a_refused_write():
    st = os.stat("/dev/null")
    assert stat.S_ISCHR(st.st_mode) and os.major(st.st_rdev) == 1 and os.minor(st.st_rdev) == 3
    with pytest.raises(OutputError):
        write_output("/dev/null", "x", inputs=[])
    st2 = os.stat("/dev/null")
    assert stat.S_ISCHR(st2.st_mode) and st2.st_rdev == st.st_rdev


# --- "-" is standard output -----------------------------------------------------------------


def test_dash_writes_text_to_stdout_and_refuses_binary(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_output("-", "zone east\x1b[2J\n") is None
    assert capsys.readouterr().out == "zone east\n"
    assert write_output("-", b'{"a": 1}\n', stdout_ok=True) is None
    assert capsys.readouterr().out == '{"a": 1}\n'
    for kw in ({}, {"stdout_ok": False}):
        with pytest.raises(OutputError, match="binary and cannot be written to standard"):
            write_output("-", b"\x89PNG", **kw)
    assert not (tmp_path / "-").exists()


# --- modes ------------------------------------------------------------------------------------


@pytest.fixture
def umask():
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


@pytest.mark.parametrize("mask,mode", [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664),
                                       (0o027, 0o640)])
def test_a_new_file_honours_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    out = write_output(tmp_path / "a.json", "{}")
    assert stat.S_IMODE(os.stat(out).st_mode) == mode


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o755])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, mode):
    umask(0o022)
    target = tmp_path / "a.json"
    target.write_text("old")
    os.chmod(target, mode)
    write_output(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(os.stat(target).st_mode) == mode


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_text("kept")
    os.chmod(target, 0o444)
    real_access = os.access
    # root may write anything: ask as a user would be answered
    monkeypatch.setattr(outputs.os, "access", lambda p, mode: False if Path(p) == target
                        else real_access(p, mode))
    with pytest.raises(OutputError, match=r"the file is read-only \(mode 0444\)"):
        write_output(target, "new")
    assert target.read_text() == "kept" and not _temps(tmp_path)


def test_a_symlink_target_is_followed_and_the_link_kept(tmp_path):
    real = tmp_path / "site" / "map.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "map.html"
    link.symlink_to(real)
    assert write_output(link, "new") == real
    assert link.is_symlink() and real.read_text() == "new"


# --- failures become one OutputError line, the old file intact ----------------------------------


def _fail_fsync(code: int):
    def fsync(fd: int) -> None:
        raise OSError(code, os.strerror(code))
    return fsync


@pytest.mark.parametrize("code,words", [
    (errno.ENOSPC, "the disk is full"), (errno.EDQUOT, "the disk quota is exceeded"),
    (errno.EACCES, "permission denied"), (errno.EROFS, "the file system is read-only"),
    (errno.EIO, "input/output error"),
])
def test_os_errors_while_writing_become_one_output_error(tmp_path, monkeypatch, code, words):
    target = tmp_path / "areas.json"
    target.write_text("old")
    monkeypatch.setattr(outputs.os, "fsync", _fail_fsync(code))
    with pytest.raises(OutputError) as info:
        write_output(target, "new")
    msg = str(info.value)
    assert msg.startswith(f"{target}: cannot write the output: {words}")
    assert errno.errorcode[code] in msg and "Fix: " in msg and "\n" not in msg
    assert target.read_text() == "old" and not _temps(tmp_path)


def test_a_real_file_size_limit_is_an_output_error(tmp_path):
    # RLIMIT_FSIZE makes the kernel itself fail the write (EFBIG), as a full disk would
    code = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        from geo.write.outputs import write_output
        from geo.errors import OutputError
        try:
            write_output({str(tmp_path / 'big.html')!r}, b"x" * 100_000)
        except OutputError as exc:
            print(exc)
            sys.exit(2)
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert res.returncode == 2, res.stderr
    assert "cannot write the output: the file is too large" in res.stdout
    assert "EFBIG" in res.stdout and res.stderr == ""
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("target,words", [
    ("/sys/kernel/gazamap-map.html", "cannot write the output: permission denied"),
    ("/proc/gazamap-map.html", "cannot write the output"),
    ("missing-folder/map.html", "does not exist"),
    ("x" * 300 + ".html", "the file name is 305 bytes long; this file system allows 255"),
    ("خريطة" * 30 + ".html", "bytes long"),  # 150 characters, 305 bytes
    ("", "the output path is empty"),
])
def test_unwritable_targets_are_one_clear_error(tmp_path, monkeypatch, target, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=words) as info:
        write_output(target, "x")
    assert "\n" not in str(info.value) and "Fix: " in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_250_character_name_is_written(tmp_path):
    # the temporary name is made short: it must not fail where the real name fits
    target = tmp_path / ("n" * 245 + ".html")
    write_output(target, "ok")
    assert target.read_text() == "ok" and not _temps(tmp_path)


def test_a_failure_half_way_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")

    def chunks() -> Iterator[bytes]:
        yield b"<html>"
        assert _temps(tmp_path), "the temporary file exists while writing"
        raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError):
        write_output(target, chunks())
    assert target.read_text() == "old" and not _temps(tmp_path)

    def interrupted() -> Iterator[bytes]:
        yield b"<html>"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_output(target, interrupted())
    assert target.read_text() == "old" and not _temps(tmp_path)


_SLOW_WRITER = """
import signal, sys, time
sys.path.insert(0, {root!r})
from maps.cli import Terminated, _signals_unwind
from geo.write.outputs import write_output

def chunks():
    for i in range(600):
        yield b"x" * 1000
        time.sleep(0.05)

with _signals_unwind():
    try:
        write_output({target!r}, chunks())
    except Terminated as exc:
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def _default_sigint() -> None:
    """In the child before exec: SIGINT back to its default disposition."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signame,code", [("SIGTERM", 143), ("SIGINT", 130), ("SIGHUP", 129)])
def test_a_signal_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, signame, code):
    import signal

    target = tmp_path / "map.html"
    target.write_text("old map")
    # the child starts with SIGINT at its default whatever the parent ignores (a
    # background job or nohup ignores it, and Python keeps an ignored SIGINT ignored)
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER.format(root=str(ROOT),
                                                                       target=str(target))],
                            preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 30
        while not _temps(tmp_path):  # mid-write: the temporary file exists and grows
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        time.sleep(0.2)
        proc.send_signal(getattr(signal, signame))
        assert proc.wait(timeout=30) == code
    finally:
        proc.kill()
    assert target.read_text() == "old map"
    assert sorted(os.listdir(tmp_path)) == ["map.html"]


# --- naming inputs: file name and SHA-256 ------------------------------------------------------


def _sha256sum(*paths: Path) -> str:
    """coreutils' sha256sum: an implementation that shares nothing with gazamap."""
    out = subprocess.run(["sha256sum", *map(str, paths)], capture_output=True, text=True,
                         check=True).stdout
    return out.split()[0]


def test_file_identity_of_a_file_is_its_name_and_sha256(tmp_path):
    p = tmp_path / "secret-folder" / "line.geojson"
    p.parent.mkdir()
    p.write_bytes(os.urandom(3_000_000))  # more than one read block
    ident = file_identity(p)
    assert ident == {"file": "line.geojson", "sha256": _sha256sum(p)}
    assert "secret-folder" not in repr(ident)


def test_file_identity_of_a_shapefile_covers_every_part(shapefile):
    folder = shapefile.parent
    parts = sorted(folder.iterdir(), key=lambda q: q.name)
    # the documented recipe, run by the shell: sha256sum <parts> | LC_ALL=C sort -k2 | sha256sum
    listing = subprocess.run(f"sha256sum {' '.join(q.name for q in parts)} | LC_ALL=C sort -k2 "
                             "| sha256sum", shell=True, cwd=folder, capture_output=True,
                             text=True, check=True).stdout.split()[0]
    for part in (shapefile, folder / "l.dbf"):
        ident = file_identity(part)
        assert ident["file"] == "l.shp" and ident["sha256"] == listing
        assert [e["file"] for e in ident["parts"]] == [q.name for q in parts]
        assert all(e["sha256"] == _sha256sum(folder / e["file"]) for e in ident["parts"])
    before = file_identity(shapefile)["sha256"]
    with open(folder / "l.dbf", "ab") as fh:  # a change in any part changes the identity
        fh.write(b" ")
    assert file_identity(shapefile)["sha256"] != before
    assert str(folder) not in repr(file_identity(shapefile))


# --- CSV cells: OWASP formula injection --------------------------------------------------------


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example","click")', "+1+2",
                                  "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0",
                                  "-", "=", "\0x"])
def test_formula_cells_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", [-3, -2.5, 0, 1e-9, "-12.5", "+4", "-1e5", "text", "",
                                  "a=b", " =1", None, True])
def test_numbers_and_plain_text_are_untouched(cell):
    assert csv_cell(cell) == cell


def test_the_export_csv_neutralises_text_and_keeps_negative_numbers():
    import shapely

    from geo.read.features import Feature
    from geo.write.export import ExportLayer, encode_layers

    props = {"name": '=HYPERLINK("http://evil.example","x")', "note": "@SUM(1)",
             "offset_m": -300.5, "count": -2, "label": "-12", "=key": "v"}
    layer = ExportLayer("=layer", [Feature(shapely.Point(34.4, 31.4), props)])
    rows = list(csv.reader(io.StringIO(encode_layers([layer], "csv").decode("utf-8"))))
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["name"] == "'" + props["name"] and header["note"] == "'@SUM(1)"
    assert header["layer"] == "'=layer" and "'=key" in rows[0]
    assert float(header["offset_m"]) == -300.5 and int(header["count"]) == -2
    assert header["label"] == "-12"
    # no cell of the file starts a formula any more
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for r in rows for c in r)


# --- terminal text ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw,shown", [
    ("name\x1b]0;pwned title\x07", "name"),                       # OSC: window title
    ("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 hyperlink
    ("\x1b[2J\x1b[Hclean", "clean"),                              # CSI: clear the screen
    ("red\x1b[31m!\x1b[0m", "red!"),
    ("\x9b2Jc1", "c1"),                                            # C1 CSI
    ("\x1bPq#0;2;0;0;0\x1b\\sixel", "sixel"),                     # DCS string
    ("bell\x07 del\x7f back\x08 nul\x00 cr\r", "bell del back nul cr"),
    ("line 1\n\tline 2", "line 1\n\tline 2"),                     # newline and tab stay
    ("غزة\u200f east", "غزة\u200f east"),                         # Arabic and RLM stay
    ("bad \ud800 surrogate", "bad \ufffd surrogate"),
])
def test_terminal_text_strips_control_sequences(raw, shown):
    clean = terminal_text(raw)
    assert clean == shown
    assert not any(0x00 <= ord(c) < 0x20 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F
                   for c in clean)
    clean.encode("utf-8")  # always printable


# --- properties ----------------------------------------------------------------------------


_CONTROLS = st.sampled_from(["\x1b", "\x1b[", "\x1b]", "\x9b", "\x9d", "\x07", "\r", "\x00",
                             "\x7f", "\x85", "\x1b\\", "\ud800", "0;", "2J", "m", "\n", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), _CONTROLS), max_size=20).map("".join))
def test_terminal_text_never_lets_a_control_character_through(text):
    clean = terminal_text(text)
    assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
                   for c in clean)
    clean.encode("utf-8")
    assert terminal_text(clean) == clean
    assert clean.count("\n") == text.count("\n")  # lines are never merged or lost


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=False)))
def test_no_csv_cell_starts_a_formula(value):
    cell = csv_cell(value)
    if isinstance(value, str):
        assert cell in (value, "'" + value)
        starts_formula = cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\0")
        assert not starts_formula or outputs._PLAIN_NUMBER.fullmatch(cell)
    else:
        assert cell == value
