"""``gazamap render``: one file, byte-identical across processes, atomic, never over an input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from shapely.geometry import mapping

from geo.geometry.partition import offset_line
from geo.read.sources import resolve
from maps.cli import main
from tests._fresh import fresh_python


def gazamap_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("gazamap")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from maps.cli import main; sys.exit(main())"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*gazamap_cmd(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def write_layer(path: Path, props: dict[str, object]) -> Path:
    feats = [{"type": "Feature", "properties": props,
              "geometry": {"type": "Point", "coordinates": [34.40, 31.45]}}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                    encoding="utf-8")
    return path


def test_render_offline_is_byte_identical_across_processes(tmp_path: Path) -> None:
    first = run("render", "--offline", "--out", "a.html", cwd=tmp_path)
    second = run("render", "--offline", "--out", "b.html", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout == "" and first.stderr.splitlines()[0] == "wrote a.html"
    assert all(ln.startswith(("note: ", "warning: ")) for ln in first.stderr.splitlines()[1:])
    a, b = (tmp_path / "a.html").read_bytes(), (tmp_path / "b.html").read_bytes()
    assert a == b
    assert a.startswith(b"<!DOCTYPE html>") and b"gz-zone-east" in a
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]


def test_render_overwrites_atomically(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("old map", encoding="utf-8")
    os.chmod(out, 0o640)
    result = CliRunner().invoke(main, ["render", "--offline", "--layers", "outline",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary file left


def test_render_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "mine.geojson", {"name": "x"})
    before = layer.read_bytes()
    result = CliRunner().invoke(main, ["render", "--offline", "--layer", str(layer),
                                       "--out", str(layer)])
    assert result.exit_code == 2
    assert "would overwrite the input" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert layer.read_bytes() == before


def test_render_with_user_layer_and_compare(tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "mine.geojson", {"name": "<b>bold</b>", "n": 1})
    line = resolve("yellow-line@2025-10-19", "line").geometry
    moved = tmp_path / "moved.geojson"
    moved.write_text(json.dumps({"type": "Feature", "properties": {},
                                 "geometry": mapping(offset_line(line, 400.0))}),
                     encoding="utf-8")
    out = tmp_path / "cmp.html"
    result = CliRunner().invoke(main, ["render", "--offline", "--layer", str(layer),
                                       "--compare", str(moved), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "gz-compare-area" in page and "gz-compare-line" in page
    assert "Area between the two lines" in page and " km² (A: the yellow line (19 Oct 2025)" in page
    assert "gz-user-1" in page and "<b>bold</b>" not in page
    # the compare file is an input too
    refused = CliRunner().invoke(main, ["render", "--compare", str(moved), "--out",
                                        str(moved)])
    assert refused.exit_code == 2 and "would overwrite the input" in refused.output


@pytest.mark.parametrize(("args", "message"), [
    (["--fragment", "--iframe"], "not both"),
    (["--layers", "outline,nope"], "unknown layer 'nope'"),
    (["--tiles", "No.Such"], "unknown tile provider"),
    (["--line", "missing.geojson"], "no such file"),
    (["--lang", "fr"], "Invalid value for '--lang'"),
])
def test_render_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["render", *args, "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_render_out_is_required() -> None:
    result = CliRunner().invoke(main, ["render", "--offline"])
    assert result.exit_code == 2 and "--out" in result.output


def test_render_fragment_iframe_and_arabic(tmp_path: Path) -> None:
    runner = CliRunner()
    for flag, start in (("--fragment", "<div class=\"gz-embed\""), ("--iframe", "<iframe ")):
        out = tmp_path / f"{flag[2:]}.html"
        result = runner.invoke(main, ["render", "--offline", flag, "--layers", "zones",
                                      "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith(start)
    out = tmp_path / "ar.html"
    result = runner.invoke(main, ["render", "--offline", "--lang", "ar", "--title",
                                  "خريطة <غزة>", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "<title>خريطة &lt;غزة&gt;</title>" in page


def test_render_static_formats(tmp_path: Path) -> None:
    pytest.importorskip("maps.static")
    out = tmp_path / "map.png"
    result = CliRunner().invoke(main, ["render", "--format", "png", "--width-px", "600",
                                       "--height-px", "700", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    bad = CliRunner().invoke(main, ["render", "--format", "svg", "--fragment", "--out",
                                    str(tmp_path / "x.svg")])
    assert bad.exit_code == 2 and "HTML only" in bad.output


def test_areas_does_not_import_folium() -> None:
    code = ("import sys; from click.testing import CliRunner; from maps.cli import main; "
            "r = CliRunner().invoke(main, ['areas', '--format', 'json']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('folium', 'branca', 'maps.interactive')))")
    assert fresh_python(code) == "[]"
