"""One request everywhere: options honoured by every command, ids wherever a file goes,
notes once, no sliver, no traceback where features meet (a matrix of the combinations)."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import mapping

from geo.geometry.partition import offset_line
from tests._cli import invoke


def _fc(*geoms: shapely.Geometry) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": i}, "geometry": mapping(g)}
        for i, g in enumerate(geoms)]})


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory, yellow_line):
    """A user's folder: a line 300 m off the packaged one, an orange line 1.5 km west,
    markers every ~200 m along the packaged line, a data dir, a ledger beside them."""
    d = tmp_path_factory.mktemp("work")
    own = offset_line(yellow_line, 300.0)
    a, b = offset_line(yellow_line, 1500.0), offset_line(yellow_line, -1500.0)
    orange = a if a.centroid.x < b.centroid.x else b
    (d / "my line.geojson").write_text(_fc(own))
    (d / "orange.geojson").write_text(_fc(orange))
    from geo.geometry.crs import from_laea, to_laea
    planar = to_laea(yellow_line)
    pts = [from_laea(planar.interpolate(s)) for s in range(150, int(planar.length) - 150, 200)]
    (d / "blocks.geojson").write_text(_fc(*pts))
    dd = d / "data"
    dd.mkdir()
    (dd / "l.geojson").write_text(_fc(own))
    (dd / "catalog.toml").write_text(
        '[[dataset]]\nid = "my-line"\nversion = "2025-11-20"\ntitle = "t"\nkind = "line"\n'
        'file = "l.geojson"\nsource = "s"\nlicence = "CC BY 4.0"\nattribution = "a"\n'
        'method = "m"\nuncertainty_m = 50\n')
    (d / "sub").mkdir()
    (d / "claims").mkdir()
    (d / "claims" / "lines").mkdir()
    (d / "claims" / "lines" / "own.geojson").write_text(_fc(own))
    (d / "claims" / "ledger.toml").write_text(
        '[[claim]]\nid = "c1"\ntext = "east holds 55 %"\nsource = "test"\n'
        'metric = "zone_share_pct"\nzone = "east"\nvalue = 55\nline = "lines/own.geojson"\n')
    return d


# --- check honours every option it accepts --------------------------------------------------

def test_check_refuses_what_areas_refuses(runner, files):
    res = invoke(runner, ["check", "public", "--snap-tolerance", "1"])
    assert res.exit_code == 2, res.output
    assert "snapping tolerance 1 m" in res.output and "Traceback" not in res.output


def test_check_honours_controlled_at_and_a_second_line(runner, files):
    base = invoke(runner, ["check", "seed", "--format", "json"])
    moved = invoke(runner, ["check", "seed", "--format", "json", "--line",
                            "yellow-line@2025-10-19", "--line", str(files / "orange.geojson"),
                            "--judge-claims-against-line"])
    assert base.exit_code in (0, 1) and moved.exit_code in (0, 1), moved.output
    assert base.stdout != moved.stdout  # the second line changes the west zone's claims


@pytest.mark.parametrize("cmd", ["check", "report"])
def test_public_claims_judged_against_a_users_line(runner, files, tmp_path, cmd):
    """A claim about a dated version is judged against the user's line when asked (it was
    an input error: the version glued to the file name); a claim naming its own line is
    not said to be judged against the user's."""
    line = files / "my line.geojson"
    if cmd == "check":
        argv = ["check", "public", "--format", "json"]
    else:
        argv = ["report", "--ledger", "public", "--format", "markdown", "--out",
                str(tmp_path / "r.md")]
    res = invoke(runner, [*argv, "--line", str(line), "--judge-claims-against-line"])
    assert res.exit_code in (0, 1), res.output
    if cmd == "check":
        rows = {v["id"]: v for v in json.loads(res.stdout)}
        assert rows["C01-a"]["verdict"] != "not-checkable"
        assert rows["C01-a"]["datasets"][0] == "my line.geojson"
        assert rows["C01-a"]["version_note"] == (
            "judged against my line.geojson, not the version 2025-10-04 the text describes")
        assert rows["C21"]["datasets"] == []  # its own line (no public geometry)
        return
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    c01 = next(ln for ln in text.splitlines() if "C01-a" in ln and "Judged against" in ln)
    assert "my line" in c01 and "not the version 2025-10-04" in c01
    c21 = [ln for ln in text.splitlines() if "C21" in ln and "not checkable" in ln]
    assert c21 and not any("Judged against" in ln for ln in c21)


@pytest.mark.parametrize("argv", [["compare", "yellow-line", "idf-zone"], ["check", "seed"]])
def test_a_second_uncertainty_without_a_second_line_is_refused(runner, argv):
    """Lines from arguments or claims take one --uncertainty; a second is not dropped."""
    one = invoke(runner, [*argv, "--uncertainty", "10"])
    two = invoke(runner, [*argv, "--uncertainty", "10", "--uncertainty", "999"])
    assert one.exit_code in (0, 1), one.output
    assert two.exit_code == 2 and "--uncertainty given 2 times" in two.stderr


def test_check_takes_markers_as_its_line(runner, files):
    argv = ["check", "seed", "--markers", str(files / "blocks.geojson"), "--format", "json"]
    refused = invoke(runner, argv)  # published claims are not judged on your line unasked
    assert refused.exit_code == 2 and "--judge-claims-against-line" in refused.stderr
    res = invoke(runner, [*argv, "--judge-claims-against-line"])
    assert res.exit_code in (0, 1), res.output
    assert "blocks.geojson" in res.stdout


# --- ids work wherever a file is accepted ---------------------------------------------------

@pytest.mark.parametrize("args", [
    ["count", "places"],
    ["count", "places@2025-10-28", "--format", "json"],
    ["render", "--offline", "--layer", "places", "--out", "{tmp}/m.html"],
    ["export", "--include", "places", "--out", "{tmp}/z.geojson"],
])
def test_dataset_ids_work_as_layers(runner, tmp_path, args):
    res = invoke(runner, [a.format(tmp=tmp_path) for a in args])
    assert res.exit_code == 0, res.output


def test_a_data_dir_id_works_as_a_layer(runner, files, tmp_path):
    res = invoke(runner, ["render", "--offline", "--data-dir", str(files / "data"), "--layer",
                          "my-line", "--out", str(tmp_path / "m.html")])
    assert res.exit_code == 0, res.output
    assert "my-line@2025-11-20" in (tmp_path / "m.html").read_text(encoding="utf-8")
    res = invoke(runner, ["count", "places", "--data-dir", str(files / "data"), "--line",
                          "my-line", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "my-line@2025-11-20" in json.loads(res.stdout)["datasets"]


def test_count_names_the_dataset_it_counted(runner):
    res = invoke(runner, ["count", "places", "--format", "json"])
    assert json.loads(res.stdout)["layer"]["dataset"] == "places@2025-10-28"


# --- notes once, on stderr, in the CLI's words; --quiet silences them -----------------------

def test_packaged_data_gives_no_note_and_no_python_warning():
    import gazamap

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        a = gazamap.analyse()
    assert [str(w.message) for w in seen] == []
    assert any("145 m" in r for r in a.lines[0].repairs)  # stated in the line's repairs
    from geo.catalog import packaged_catalog
    assert "145 m" in packaged_catalog().get("yellow-line").notes  # and in `datasets`


def test_each_note_once_on_stderr_with_the_flag(runner, files):
    res = invoke(runner, ["areas", "--line", str(files / "my line.geojson")])
    assert res.exit_code == 0
    assert "Note:" not in res.stdout and "no positional uncertainty" not in res.stdout
    notes = [ln for ln in res.stderr.splitlines() if "no positional uncertainty" in ln]
    assert len(notes) == 1 and notes[0].startswith("note: ")
    assert "--uncertainty" in notes[0] and "uncertainty_m (metres)" not in notes[0]
    quiet = invoke(runner, ["--quiet", "areas", "--line", str(files / "my line.geojson")])
    assert quiet.exit_code == 0 and "note:" not in quiet.stderr


def test_compare_prints_each_note_once(runner, files):
    res = invoke(runner, ["compare", "yellow-line", str(files / "my line.geojson")])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == len(set(lines))


def test_many_duplicate_markers_give_one_note():
    from shapely import Point

    from geo.geometry.markers import line_from_markers
    from geo.read.features import Feature

    pts = [Feature(Point(34.30 + i * 0.002, 31.30 + i * 0.002), {"id": i}) for i in range(50)]
    m = line_from_markers(pts + pts[:30], source="x")
    dup = [n for n in m.notes if "repeat" in n]
    assert len(dup) == 1 and dup[0].startswith("30 marker(s)") and "22 more" in dup[0]


# --- no silent nonsense ----------------------------------------------------------------------

def _sea_clip(tmp_path: Path) -> Path:
    from geo.read.sources import resolve

    outline = resolve("gaza-outline", "boundary").geometry
    x, y = min(((x, y) for p in shapely.get_parts(outline) for x, y in p.exterior.coords),
               key=lambda p: p[0])  # the westernmost coast point (Rafah)
    p = tmp_path / "sea.geojson"
    p.write_text(_fc(shapely.LineString([(x - 0.004, y + 0.006), (x + 0.006, y - 0.004)])))
    return p


def test_a_sliver_is_refused_with_its_size_and_allowed_on_request(runner, tmp_path):
    sea = _sea_clip(tmp_path)
    res = invoke(runner, ["areas", "--line", str(sea)])
    assert res.exit_code == 2
    assert "% of the outline" in res.stderr and "--allow-sliver" in res.stderr
    ok = invoke(runner, ["areas", "--line", str(sea), "--allow-sliver", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    west = json.loads(ok.stdout)["zones"][1]
    assert 0 < west["area_km2"] < 0.01 * 363.2


def test_a_line_through_a_pond_names_the_pond_and_the_pieces(runner, tmp_path, yellow_line):
    from shapely import affinity

    from geo.geometry.crs import from_laea, to_laea
    p = tmp_path / "shift.geojson"
    p.write_text(_fc(from_laea(affinity.translate(to_laea(yellow_line), xoff=-500))))
    res = invoke(runner, ["areas", "--line", str(p)])
    assert res.exit_code == 2
    err = res.stderr
    assert "inland pond" in err and "governorate at 31." in err and "km²" in err
    assert "3 pieces" in err and "times" in err


# --- the matrix: every command x every kind of line input, from two working folders ---------

INPUTS = {
    "packaged id": ["--line", "yellow-line@2025-10-19"],
    "user file": ["--line", "{w}/my line.geojson"],
    "two lines": ["--line", "yellow-line", "--line", "{w}/orange.geojson"],
    "markers": ["--markers", "{w}/blocks.geojson"],
    "zone polygon": ["--line", "idf-zone"],
    "data-dir id": ["--data-dir", "{w}/data", "--line", "my-line"],
    "other boundary": ["--boundary", "ocha-outline"],
}
COMMANDS = {
    "areas": (["areas"], ["table", "json", "csv", "markdown"]),
    "render": (["render", "--offline", "--out", "{o}/m.{f}"], ["html", "png"]),
    "report": (["report", "--ledger", "seed", "--out", "{o}/r.{f}"], ["html", "md"]),
    "check": (["check", "seed"], ["table", "json"]),
    "export": (["export", "--out", "{o}/z.{f}"], ["geojson", "kml"]),
    "count": (["count", "places"], ["table", "csv"]),
    "compare": (["compare", "yellow-line@2025-10-19"], ["table", "json"]),
}


@pytest.mark.parametrize("where", ["work", "sub"])
@pytest.mark.parametrize("inp", list(INPUTS))
@pytest.mark.parametrize("cmd", list(COMMANDS))
def test_matrix_every_command_every_input(runner, files, tmp_path, monkeypatch, cmd, inp,
                                          where):
    monkeypatch.chdir(files if where == "work" else files / "sub")
    args, formats = COMMANDS[cmd]
    line = [a.format(w=files) for a in INPUTS[inp]]
    if cmd == "compare":
        if inp in ("markers",):
            line = ["--markers", str(files / "blocks.geojson")]
        elif "--line" in line:  # compare takes B as an argument
            i = line.index("--line")
            line = line[:i] + [line[i + 1]] + line[i + 2:]
            if inp == "two lines":
                line = [str(files / "orange.geojson")]
        else:
            line = [str(files / "my line.geojson"), *line]
    for f in formats:
        fmt = (["--format", f] if "{f}" not in " ".join(args) else [])
        argv = [a.format(o=tmp_path, f=f) for a in args] + line + fmt
        res = invoke(runner, argv)
        assert res.exit_code in (0, 1, 2), (argv, res.output)
        assert "Traceback" not in res.output and "internal error" not in res.output, argv
        if res.exit_code == 2:  # an input refused: one line that says why
            assert len(res.stderr.strip().splitlines()) == 1, (argv, res.stderr)
        else:
            assert res.exit_code == 0 or cmd == "check", (argv, res.output)


@pytest.mark.parametrize("cwd", ["claims", "work", "sub"])
def test_a_ledger_names_files_relative_to_itself(runner, files, tmp_path, monkeypatch, cwd):
    monkeypatch.chdir({"claims": files / "claims", "work": files, "sub": files / "sub"}[cwd])
    ledger = os.path.relpath(files / "claims" / "ledger.toml")
    res = invoke(runner, ["check", ledger, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    v = json.loads(res.stdout)
    assert v["verdicts"][0]["verdict"] != "not-checkable" if "verdicts" in v else True
    out = tmp_path / "r.html"
    rep = invoke(runner, ["report", "--ledger", ledger, "--out", str(out)])
    assert rep.exit_code == 0, rep.output
    assert "own.geojson" in out.read_text(encoding="utf-8")


# --- lazy parts ------------------------------------------------------------------------------

def test_parts_are_computed_when_asked_and_json_shows_them_all(monkeypatch):
    import geo.analysis as ga
    import geo.analysis.parts as parts

    calls: list[str] = []
    real = parts.population_shares
    monkeypatch.setattr(parts, "population_shares",
                        lambda *a, **k: calls.append("population") or real(*a, **k))
    a = ga.analyse_quietly(ga.Request())
    assert a.zone("east").share_pct > 50 and calls == []  # zones need no population
    for part in ("governorates", "alternatives", "outlines", "population"):
        assert part not in a.__dict__
    d = a.to_dict()  # the JSON contract asks for every part
    assert calls == ["population"]
    assert d["population"] and d["outlines"] and d["governorates"] and d["alternatives"]
    assert a.population is not None and calls == ["population"]  # computed once
    assert "pcbs-communities@2017" in a.provenance.datasets


def test_a_part_switched_off_is_empty_and_not_in_the_provenance():
    import geo.analysis as ga

    a = ga.analyse_quietly(ga.Request(population=False, outlines=False))
    assert a.population is None and a.outlines == ()
    assert not any(d.startswith("pcbs") for d in a.provenance.datasets)
    assert a.to_dict()["population"] is None


def test_zone_borders_are_measured_when_read_and_not_for_a_comparison():
    # the border lengths are a third of an analysis; a comparison and a timeline never
    # read them, a claim on a share reads the edge lengths but not their interval
    # (issue 15, item 4: borders are a lazy part)
    import warnings

    import geo.analysis as ga
    from geo.claims import Claim, Evaluator
    from geo.compare import compare_analyses

    def measured(*zones):
        return [k for z in zones for k in ("km", "km_interval", "shares")
                if k in z.edges.__dict__]

    a = ga.analyse_quietly(ga.Request())
    b = ga.analyse_quietly(ga.Request.of(line="idf-zone"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_analyses(a, b).to_dict()
    assert measured(*a.zones, b.zones[0]) == []
    # the zone polygon's warning reads the west zone's borders, and only those
    assert measured(b.zones[1]) == ["km"]
    claim = Claim(id="s", text="t", source="s", date="2025-10-20",
                  metric="zone_share_pct", fields={"zone": "east"}, value=53.0)
    Evaluator(analysis=a).evaluate(claim)
    assert measured(*a.zones) == ["km", "km"]  # the outline's ±u along each zone's edge
    east = a.zone("east")
    assert 40 < east.borders_km["israel"] < 60 and east.shares_border["israel"]
    lo, hi = east.borders_km_interval["israel"]
    assert lo <= east.borders_km["israel"] <= hi
    assert a.to_dict()["zones"][0]["borders_km"] == dict(east.borders_km)
