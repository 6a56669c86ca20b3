"""Claims read as meant (issue 21): versions, readings, derived claims, one interval per
figure, one-sided uncertainty, governorates by intersection, honest wording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Geod, Transformer
from shapely import LineString, Point
from shapely.ops import split

import geo
from geo.analysis.request import Request
from geo.analysis.uncertainty import LineUncertainty
from geo.claims import Evaluator, check_ledger, parse_ledger
from geo.errors import LedgerError
from geo.read.sources import borders_for, governorates, resolve
from maps.cli import main

GEOD = Geod(ellps="WGS84")
DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
TO_UTM = Transformer.from_crs(4326, 32636, always_xy=True)


def _fwd(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(g, lambda c: np.column_stack(TO_UTM.transform(c[:, 0], c[:, 1])))


def _inv(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(g, lambda c: np.column_stack(
        TO_UTM.transform(c[:, 0], c[:, 1], direction="INVERSE")))


def _geod_km2(g: shapely.Geometry) -> float:
    total = 0.0
    for p in shapely.get_parts(g):
        if p.geom_type == "Polygon":
            p = shapely.orient_polygons(shapely.segmentize(p, 0.0002))
            total += abs(GEOD.geometry_area_perimeter(p)[0])
    return total / 1e6


def _read(name: str) -> shapely.Geometry:
    feats = json.loads((DATA / name).read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in feats])


def claim(cid: str = "t1", **kw: Any) -> dict[str, Any]:
    return {"id": cid, "text": "a test statement", "source": "tests",
            **{("with" if k == "with_" else k): v for k, v in kw.items()}}


@pytest.fixture(scope="module")
def public() -> dict[str, Any]:
    return {v.id: v for v in check_ledger("public").verdicts}


@pytest.fixture(scope="module")
def ev() -> Evaluator:
    return Evaluator()


# ------------------------------------------------------------------ the re-read claims


def test_c01a_describes_another_version_and_is_not_checkable(public: dict[str, Any]) -> None:
    v = public["C01-a"]
    assert v.claim.version == "2025-10-04"
    assert v.verdict == "not-checkable"
    assert "yellow-line@2025-10-04" in v.reason and "no public geometry" in v.reason
    assert "White House map of 4 Oct 2025" in v.claim.note


@pytest.mark.parametrize("cid", ["C20-d", "C41-d"])
def test_a_length_is_consistent_by_the_coastline_reading(public: dict[str, Any],
                                                         cid: str) -> None:
    v = public[cid]
    assert v.verdict == "consistent" and v.computed.reading == "coast"
    fits = {name: ok for name, _, ok in v.readings}
    assert fits == {"axis": False, "coast": True, "diameter": False}
    # the coastline, measured here: pyproj on the outline's sea border
    sea = borders_for(resolve("gaza-outline", "boundary").geometry).sea
    coast_km = sum(GEOD.geometry_length(shapely.segmentize(g, 0.0002))
                   for g in shapely.get_parts(sea)) / 1000
    assert v.computed.value == pytest.approx(coast_km, rel=1e-4)
    assert "read as the length of the coastline" in v.summary()
    assert "Re-read" in v.claim.note


def test_c44b_is_derived_and_not_counted(public: dict[str, Any]) -> None:
    v = public["C44-b"]
    assert v.claim.derived and not v.counted
    res = check_ledger("public")
    assert "C44-b" in {d.id for d in res.derived}
    counted = [x for x in res.verdicts if x.counted]
    assert res.counts().total == len(counted) == len(res.verdicts) - len(res.derived)
    assert v.to_dict()["counted"] is False


def test_c47_the_hedge_and_the_nearest_coast(public: dict[str, Any]) -> None:
    v = public["C47"]
    assert v.claim.approx and v.verdict == "consistent"
    assert v.computed.reading == "nearest-coast"
    # the distance from the point to the coast, measured here in UTM 36N
    sea = _fwd(shapely.segmentize(
        borders_for(resolve("gaza-outline", "boundary").geometry).sea, 0.0002))
    d_km = shapely.distance(_fwd(Point(34.4736, 31.4747)), sea) / 1000
    assert v.computed.value == pytest.approx(d_km, abs=0.01)
    assert v.computed.value == pytest.approx(6.48, abs=0.01)


def test_a_derived_inconsistency_does_not_set_the_exit_code(tmp_path: Path) -> None:
    ledger = tmp_path / "l.toml"
    ledger.write_text('''
[[claim]]
id = "pub"
text = "155 + 210 = 365"
source = "tests"
metric = "sum"
values = ["155", "210"]
value = "365"

[[claim]]
id = "mine"
text = "our own arithmetic: 53 + 11 = 70"
source = "tests"
metric = "sum"
values = [53, 11]
value = "70"
derived = true
''', encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(ledger)])
    assert res.exit_code == 0, res.output
    assert "1 claims: 1 consistent" in res.stdout
    assert "1 derived check of the ledger's own arithmetic, not counted (1 inconsistent)" \
        in res.stdout
    rows = {r["id"]: r for r in json.loads(CliRunner().invoke(
        main, ["check", str(ledger), "--format", "json"]).stdout)}
    assert rows["mine"]["verdict"] == "inconsistent" and rows["mine"]["derived"] is True


# ------------------------------------------------------------------ readings and versions


def test_readings_narrow_what_the_text_allows(ev: Evaluator) -> None:
    led = parse_ledger({"claim": [
        claim("any", metric="strip_length_km", value="41"),
        claim("axis", metric="strip_length_km", value="41", readings=["axis"]),
        claim("dia", metric="strip_length_km", value="47", readings=["diameter", "axis"])]})
    v = {x.id: x for x in ev.check(led).verdicts}
    assert v["any"].verdict == "consistent" and v["any"].computed.reading == "coast"
    assert v["axis"].verdict == "inconsistent" and v["axis"].computed.reading == "axis"
    assert not v["axis"].readings  # one reading: nothing else to list
    assert v["dia"].verdict == "consistent" and v["dia"].computed.reading == "diameter"
    # the longest straight distance, here: every pair of the outline's hull vertices (UTM)
    hull = np.asarray(_fwd(shapely.segmentize(
        resolve("gaza-outline", "boundary").geometry, 0.0005)).convex_hull.exterior.coords)
    far = np.sqrt(((hull[:, None] - hull[None]) ** 2).sum(-1)).max() / 1000
    assert v["dia"].computed.value == pytest.approx(far, rel=1e-3)


def test_readings_must_be_known() -> None:
    with pytest.raises(LedgerError, match="field 'readings'"):
        parse_ledger({"claim": [claim(metric="strip_length_km", value="41",
                                      readings=["perimeter"])]})
    with pytest.raises(LedgerError, match="field 'derived'"):
        parse_ledger({"claim": [claim(metric="sum", values=[1, 2], value=3, derived="yes")]})


def test_a_version_with_geometry_is_checked_against_it(ev: Evaluator) -> None:
    led = parse_ledger({"claim": [
        claim("same", metric="zone_share_pct", zone="east", value="54", version="2025-10-19"),
        claim("ref", metric="zone_share_pct", zone="east", value="54",
              version="idf-zone@2025-10-19"),
        claim("none", metric="zone_share_pct", zone="east", value="54", version="2024-01-01")]})
    v = {x.id: x for x in ev.check(led).verdicts}
    assert v["same"].verdict == "consistent"
    assert "yellow-line@2025-10-19" in v["same"].computed.datasets
    assert "idf-zone@2025-10-19" in v["ref"].computed.datasets
    assert v["none"].verdict == "not-checkable"
    assert "yellow-line@2024-01-01" in v["none"].reason


# ------------------------------------------------------------------ wording


def test_an_exact_rounding_is_never_borderline(public: dict[str, Any]) -> None:
    v = public["GMO-b"]  # 33.5 / 365 = 9.178 -> "9.2 %": a correct rounding
    assert 100 * 33.5 / 365 == pytest.approx(9.178, abs=1e-3)
    assert v.verdict == "consistent" and not v.borderline
    # 197.6 / 364.9 = 54.15 written "54.1": consistent only by the words, and borderline
    assert public["C61-b"].borderline
    # 6.48 km written "about 6.5": an exact rounding too; "about 2 km" for 1.26 km is not
    assert public["C47"].verdict == "consistent" and not public["C47"].borderline
    assert public["C22-b"].verdict == "consistent" and public["C22-b"].borderline


def test_fits_is_said_only_inside_the_interval(public: dict[str, Any]) -> None:
    for v in public.values():
        if v.margin is None:
            continue
        text = v.summary()
        if v.margin < 0:
            assert " fits stated" not in text, v.id
        if v.verdict == "consistent" and v.margin < 0:
            assert "outside the interval" in text and "consistent only through" in text


# ------------------------------------------------------------------ one interval per figure


def test_one_interval_for_the_east_share_across_areas_check_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    areas = json.loads(runner.invoke(main, ["areas", "--format", "json"]).stdout)
    east = next(z for z in areas["zones"] if z["id"] == "east")
    ledger = tmp_path / "l.toml"
    ledger.write_text('[[claim]]\nid = "e"\ntext = "54 %"\nsource = "t"\n'
                      'metric = "zone_share_pct"\nzone = "east"\nvalue = "54"\n',
                      encoding="utf-8")
    row = json.loads(runner.invoke(main, ["check", str(ledger), "--format", "json"]).stdout)[0]
    assert row["interval_own"] == pytest.approx([east["share_pct_low"], east["share_pct_high"]])
    # the checked interval adds the outline's ±10 m, and says so
    assert row["interval"][0] < row["interval_own"][0] < row["interval_own"][1] \
        < row["interval"][1]
    assert row["interval_adds"] == "the outline's ±10 m"
    own = f"{east['share_pct_low']:.1f}–{east['share_pct_high']:.1f}"
    assert f"interval {own}; " in row["summary"] and "with the outline's ±10 m" in row["summary"]
    # the table shows the figure's own interval, marked where the check adds to it
    table = runner.invoke(main, ["check", str(ledger)]).stdout
    assert f"[{own}]†" in table
    # the report shows the same interval in its area table and its claims
    report = runner.invoke(main, ["report", "--ledger", str(ledger), "--out",
                                  str(tmp_path / "r.md")])
    assert report.exit_code in (0, 1), report.output
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert f"| {own} |" in md  # the area table
    # the claims (Markdown): the same interval, † explained once in the rules
    assert f"\\[{own}\\]†" in md and "† marks a claim checked against it widened" in md


# ------------------------------------------------------------------ one-sided uncertainty


@pytest.fixture(scope="module")
def offsets() -> dict[float, float]:
    """East share (%) of the 19 Oct line moved by d metres, independently (UTM, split).

    Positive d moves the line to the side that enlarges the east zone (toward the coast).
    """
    outline = _fwd(shapely.segmentize(_read("gaza_outline.geojson"), 0.0005))
    used = _fwd(shapely.segmentize(geo.analyse(uncertainty_m=0).lines[0].geometry, 0.0005))
    total = _geod_km2(_read("gaza_outline.geojson"))
    rafah = _fwd(Point(34.30, 31.27))

    def extend(ln: shapely.Geometry) -> LineString:
        xy = np.asarray(ln.coords)
        a = xy[0] + (xy[0] - xy[1]) / np.hypot(*(xy[0] - xy[1])) * 1500
        b = xy[-1] + (xy[-1] - xy[-2]) / np.hypot(*(xy[-1] - xy[-2])) * 1500
        return LineString([a, *xy, b])

    out: dict[float, float] = {}
    for d in (100.0, 300.0, 520.0):
        got = []
        for off in (-d, d):
            moved = extend(used.offset_curve(off, join_style="round"))
            east = next(p for p in split(outline, moved).geoms if p.contains(rafah))
            got.append(100 * _geod_km2(_inv(east)) / total)
        out[d], out[-d] = max(got), min(got)
    return out


def test_the_packaged_line_states_a_one_sided_interval(offsets: dict[float, float]) -> None:
    ds = resolve("yellow-line@2025-10-19", "line").dataset
    assert ds is not None and ds.line_uncertainty == LineUncertainty(100.0, 520.0)
    assert "180-520 m" in ds.notes and "toward the coast" in ds.notes
    iv = geo.analyse().zone("east").interval
    assert iv is not None
    assert iv.low == pytest.approx(offsets[-100.0], abs=0.05)  # 100 m toward Israel
    assert iv.high == pytest.approx(offsets[520.0], abs=0.05)  # 520 m toward the coast


def test_two_sides_in_a_ledger_and_on_the_command_line(offsets: dict[float, float],
                                                       ev: Evaluator) -> None:
    led = parse_ledger({"claim": [
        claim("asym", metric="zone_share_pct", zone="east", value="54",
              uncertainty_m=[520, 100]),
        claim("sym", metric="zone_share_pct", zone="east", value="54", uncertainty_m=300)]})
    v = {x.id: x for x in ev.check(led).verdicts}
    assert v["asym"].computed.interval == pytest.approx((offsets[-520.0], offsets[100.0]),
                                                        abs=0.05)
    assert v["sym"].computed.interval == pytest.approx((offsets[-300.0], offsets[300.0]),
                                                       abs=0.05)
    assert "520 m toward Israel, 100 m toward the coast" in v["asym"].method
    res = CliRunner().invoke(main, ["areas", "--format", "json", "--uncertainty", "520,100"])
    east = json.loads(res.stdout)["zones"][0]
    assert (east["share_pct_low"], east["share_pct_high"]) == pytest.approx(
        (offsets[-520.0], offsets[100.0]), abs=0.05)
    bad = CliRunner().invoke(main, ["areas", "--uncertainty", "100,-5"])
    assert bad.exit_code == 2 and "--uncertainty" in bad.output
    assert Request.of(uncertainty_m=[100, 520]).lines[0].uncertainty_m == \
        LineUncertainty(100.0, 520.0)


def test_a_zone_between_two_lines_combines_its_edges(tmp_path: Path) -> None:
    ln = _fwd(shapely.segmentize(resolve("yellow-line@2025-10-19", "line").geometry, 0.0005))
    west = max((ln.offset_curve(d) for d in (-1500, 1500)), key=lambda g: -g.centroid.x)
    path = tmp_path / "inner.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": shapely.geometry.mapping(_inv(west))}]}), encoding="utf-8")
    # the inner line (a file) states no uncertainty: between-1 still gets its east edge's
    a = geo.analyse(lines=["yellow-line@2025-10-19", str(path)])
    mid = a.zone("between-1")
    assert a.lines[1].uncertainty is None and mid.interval is not None
    east = a.zone("east")
    # the yellow line moved toward the coast gives the east zone what between-1 loses
    assert (mid.share_pct - mid.interval.low) == pytest.approx(
        east.interval.high - east.share_pct, abs=1e-6)
    assert a.zone("west").interval is None


# ------------------------------------------------------------------ OCHA governorates


def test_ocha_governorates_by_intersection() -> None:
    a = geo.analyse(boundary="ocha-outline", outlines=False, alternatives=False,
                    population=False)
    outline = resolve("ocha-outline", "boundary").geometry
    for g in a.governorates:
        geom = next(f.geometry for f in governorates().features
                    if f.properties["name"] == g.name)
        for z in a.zones:
            assert g.zones[z.id].area_km2 == pytest.approx(
                _geod_km2(geom.intersection(z.geometry)), abs=1e-3), (g.name, z.id)
        # the parts add up to the governorate within the outline, not the governorate
        inside = _geod_km2(geom.intersection(outline))
        assert sum(s.area_km2 for s in g.zones.values()) == pytest.approx(inside, abs=1e-3)
    rafah = next(g for g in a.governorates if g.name == "Rafah")
    assert rafah.zones["west"].area_km2 == pytest.approx(6.37, abs=0.02)


# ------------------------------------------------------------------ rules disclosed


def test_the_tripoint_goes_to_the_nearer_country() -> None:
    b = borders_for(resolve("gaza-outline", "boundary").geometry)
    egypt_km = b.lengths_km()["egypt"]
    assert egypt_km == pytest.approx(12.78, abs=0.02)
    a = geo.analyse(outlines=False, alternatives=False, population=False)
    assert "nearest-country rule" in a.method.borders
    v = check_ledger(parse_ledger({"claim": [claim(metric="border_length_km", with_="egypt",
                                                   value="12.8")]})).verdicts[0]
    assert "nearest-country rule" in v.method


def test_labels_of_the_denominators_and_the_population() -> None:
    from geo.analysis.outlines import denominator_note

    note = denominator_note(360.0) or ""
    assert "Wikipedia" in note and "365.0" in note and "60.9" in note
    a = geo.analyse(outlines=False, alternatives=False)
    assert a.population is not None
    z = a.population.to_dict()["zones"][0]
    assert z["share_pct_is"] == "mean of three methods"
    seed = {v.id: v for v in check_ledger("seed").verdicts}
    now = next(v for v in seed.values() if v.claim.metric == "population_share_pct"
               and v.claim.fields.get("basis", "current") == "current")
    assert "not a figure about today" in now.reason and "lived in" not in now.reason


def test_two_sides_in_a_data_dir_catalog(tmp_path: Path, offsets: dict[float, float]) -> None:
    """A user's catalog entry states [toward Israel, toward the coast] like the packaged."""
    line = resolve("yellow-line@2025-10-19", "line").geometry
    (tmp_path / "mine.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(line)}]}),
        encoding="utf-8")
    (tmp_path / "catalog.toml").write_text('''
[[dataset]]
id = "my-line"
version = "2026-01"
title = "my copy of the line"
kind = "line"
file = "mine.geojson"
source = "tests"
licence = "CC0"
attribution = "tests"
method = "a copy"
uncertainty_m = [520, 100]
controlled_point = [34.30, 31.27]
''', encoding="utf-8")
    a = geo.analyse(line="my-line@2026-01", data_dirs=[str(tmp_path)], outlines=False,
                    alternatives=False, population=False)
    assert a.lines[0].uncertainty == LineUncertainty(520.0, 100.0)
    assert a.lines[0].uncertainty_from == "catalog"
    iv = a.zone("east").interval
    assert iv is not None
    assert (iv.low, iv.high) == pytest.approx((offsets[-520.0], offsets[100.0]), abs=0.05)
    assert a.to_dict()["line"]["uncertainty_m"] == [520.0, 100.0]
