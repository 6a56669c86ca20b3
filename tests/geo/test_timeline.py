"""The line over time: versions from data dirs, figures checked by an independent method."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

import geo
from geo.catalog import default_catalog
from geo.claims import check_ledger
from geo.errors import InputError
from geo.timeline import Timeline, date_span, line_versions_of, timeline, version_in_force
from tests._timeline_data import (
    drawn_line,
    independent_east_km2,
    survey_line,
    survey_markers,
    to_ll,
    to_m,
    write_data_dir,
)

LINE_FILE = Path(__file__).resolve().parents[2] / "geo" / "data" / "yellow_line_2025-10-19.geojson"


def _packaged_line() -> shapely.LineString:
    data = json.loads(LINE_FILE.read_text(encoding="utf-8"))
    return shapely.geometry.shape(data["features"][0]["geometry"])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="module")
def tl(data_dir: Path) -> Timeline:
    return timeline("yellow-line", data_dirs=[str(data_dir)])


def test_three_versions_in_date_order_with_their_kinds(tl: Timeline):
    assert [(v.ref, v.kind) for v in tl.versions] == [
        ("yellow-line@2025-10-19", "line"), ("yellow-line@2026-01-16", "line"),
        ("yellow-line@2026-03-02", "markers")]
    assert [(c.older.date, c.newer.date) for c in tl.changes] == [
        ("2025-10-19", "2026-01-16"), ("2026-01-16", "2026-03-02")]
    # the survey's line was built from its markers, every one of them used
    survey = tl.versions[2].analysis.lines[0]
    assert survey.source.markers is not None
    assert len(survey.source.markers.order) == len(survey_markers())


@pytest.mark.parametrize(("i", "line", "tol_km2"), [
    (0, _packaged_line, 0.05), (1, drawn_line, 0.05),
    # the survey's markers are jittered by ~20 m and stop short of the coast
    (2, survey_line, 0.3)])
def test_east_areas_match_an_independent_split(tl: Timeline, i: int, line, tol_km2: float):
    expected = independent_east_km2(line())
    got = tl.versions[i].analysis.zone("east").area_km2
    assert got == pytest.approx(expected, abs=tol_km2)


def test_each_version_has_its_own_interval(tl: Timeline):
    widths = []
    for v in tl.versions:
        e = v.analysis.zone("east")
        assert e.interval is not None and e.interval.low < e.share_pct < e.interval.high
        widths.append(e.interval.high - e.interval.low)
    # ±300 m for the drawn versions, ±50 m for the survey (its catalog entries)
    assert widths[2] < widths[1] / 3


def test_moved_areas_add_up(tl: Timeline):
    for c in tl.changes:
        ea = c.older.analysis.zone("east").area_km2
        eb = c.newer.analysis.zone("east").area_km2
        assert c.to_east_km2 - c.to_west_km2 == pytest.approx(eb - ea, abs=1e-4)
        assert c.to_east_km2 > 1.0
    first = tl.changes[0]
    # the drawn version only moved seawards: land went east, none came back
    assert first.to_west_km2 < 0.01
    expected = independent_east_km2(drawn_line()) - independent_east_km2(_packaged_line())
    assert first.to_east_km2 == pytest.approx(expected, abs=0.1)
    gov = sum(g.to_east_km2 for g in first.comparison.governorates)
    assert gov == pytest.approx(first.to_east_km2, rel=0.02)


def test_displacement_of_the_drawn_version(tl: Timeline):
    d = tl.changes[0].comparison.displacement
    # 500 m seawards in the middle, ramped to 0 at the ends
    assert 470 < d.max_m <= d.hausdorff_m < 560
    assert 0 < d.mean_m < d.max_m
    assert d.signed_mean_m > 0  # moved west: the east zone grows


def test_places_that_changed_side_lie_in_the_moved_land(tl: Timeline):
    c = tl.changes[0]
    assert c.comparison.places_changed
    for p in c.comparison.places_changed:
        assert (p.from_zone, p.to_zone) == ("west", "east")
        assert c.to_east.buffer(1e-4).contains(shapely.Point(p.lon, p.lat))


def test_json_contract_and_geodataframe(tl: Timeline):
    d = tl.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["line"] == "yellow-line"
    assert [v["version"] for v in d["versions"]] == ["2025-10-19", "2026-01-16", "2026-03-02"]
    z = d["versions"][1]["zones"][0]
    assert z["id"] == "east" and z["share_pct_low"] < z["share_pct"] < z["share_pct_high"]
    ch = d["changes"][0]
    assert ch["from"] == "yellow-line@2025-10-19" and ch["to"] == "yellow-line@2026-01-16"
    assert {"to_east_km2", "to_west_km2", "governorates", "displacement_m",
            "places_changed"} <= set(ch)
    gdf = tl.to_geodataframe()
    assert len(gdf) == 6 and list(gdf["date"].unique()) == ["2025-10-19", "2026-01-16",
                                                            "2026-03-02"]
    assert str(gdf.crs) == "EPSG:4326"


def test_stated_figures_are_points_never_versions(tl: Timeline):
    stated = {p.claim_id: p for p in tl.stated}
    assert stated["C60"].value == pytest.approx(203.99) and stated["C60"].unit == "km2"
    assert stated["C60"].date == "2025-10-14"
    assert stated["C61-a"].value == pytest.approx(197.6) and stated["C61-a"].date == "2025-11"
    assert stated["C60"].share_pct == pytest.approx(100 * 203.99 / tl.boundary_area_km2)
    assert {v.date for v in tl.versions}.isdisjoint({"2025-10-14", "2025-11"})
    days = [p.day for p in tl.stated]
    assert days == sorted(days)


def test_packaged_only_and_api_export():
    import gazamap

    assert geo.Timeline is gazamap.Timeline
    one = gazamap.timeline("yellow-line")
    assert len(one.versions) == 1 and one.changes == ()


def test_bare_id_keeps_meaning_the_packaged_version(data_dir: Path):
    cat = default_catalog([str(data_dir)])
    assert cat.get("yellow-line").ref == "yellow-line@2025-10-19"
    assert cat.get("yellow-line@2026-03-02").kind == "markers"
    refs = [d.ref for d in line_versions_of(cat, "yellow-line")]
    assert refs[-1] == "yellow-line@2026-03-02"


def test_version_in_force():
    cat = default_catalog([])
    vs = line_versions_of(cat, "yellow-line")
    assert version_in_force(vs, "2025-12-01")[0].ref == "yellow-line@2025-10-19"
    assert version_in_force(vs, "2025-10-19")[0].ref == "yellow-line@2025-10-19"
    ds, why = version_in_force(vs, "2025-10-09")
    assert ds is None and "before every version" in why
    ds, why = version_in_force(vs, "2025-10 (late)")
    assert ds is None and "spans more than one version" in why
    assert version_in_force(vs, "2026")[0] is None
    assert date_span("2025-02-30") is None


def _ledger(tmp_path: Path) -> Path:
    rows = [("jan", "2026-02-01", "58"), ("nov", "2025-11-01", "54"),
            ("early", "2025-10-09", "53"), ("mar", "2026-03-15", "60"),
            ("pinned", "2026-03-15", "54")]
    text = '[ledger]\ntitle = "dated"\nline = "yellow-line"\n'
    for cid, day, value in rows:
        text += (f'\n[[claim]]\nid = "{cid}"\ntext = "{value} percent"\nsource = "test"\n'
                 f'date = "{day}"\nmetric = "zone_share_pct"\nzone = "east"\n'
                 f'value = "{value}"\n')
        if cid == "pinned":
            text += 'line = "yellow-line@2025-10-19"\n'
    p = tmp_path / "dated.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_claims_are_read_against_the_version_in_force(tmp_path: Path, data_dir: Path):
    result = check_ledger(_ledger(tmp_path), catalog=default_catalog([str(data_dir)]))
    by_id = {v.claim.id: v for v in result.verdicts}
    tl = timeline("yellow-line", data_dirs=[str(data_dir)], ledgers=())
    share = {v.ref: v.east_share_pct() for v in tl.versions}
    for cid, ref in (("jan", "yellow-line@2026-01-16"), ("nov", "yellow-line@2025-10-19"),
                     ("mar", "yellow-line@2026-03-02")):
        v = by_id[cid]
        assert v.computed is not None and v.computed.value == pytest.approx(share[ref])
        assert ref in v.summary() and "in force" in v.summary()
    early = by_id["early"]
    assert early.verdict == "not-checkable" and "before every version" in early.reason
    pinned = by_id["pinned"]  # an explicit version is never replaced by the date's
    assert pinned.computed is not None
    assert pinned.computed.value == pytest.approx(share["yellow-line@2025-10-19"])
    assert "in force" not in pinned.summary()


def test_a_version_may_cross_another_but_not_itself(tmp_path: Path):
    # middle moved seawards, the north moved inland: crosses the 19 Oct line
    xy = np.array(to_m(_packaged_line()).coords)
    xy[5:12] += np.array([0.8, -0.6]) * 400
    xy[16:26] += np.array([-0.8, 0.6]) * 400
    crossing = to_ll(shapely.LineString(xy))
    assert crossing.crosses(_packaged_line())
    d = write_data_dir(tmp_path / "cross", survey=False)
    (d / "line_2026-01-16.geojson").write_text(json.dumps({
        "type": "Feature", "properties": {},
        "geometry": shapely.geometry.mapping(crossing)}), encoding="utf-8")
    t = timeline("yellow-line", data_dirs=[str(d)], ledgers=())
    c = t.changes[0]
    assert c.to_east_km2 > 0.5 and c.to_west_km2 > 0.5
    ea, eb = (v.analysis.zone("east").area_km2 for v in t.versions)
    assert c.to_east_km2 - c.to_west_km2 == pytest.approx(eb - ea, abs=1e-4)
    # a line that crosses itself is refused, as by `areas`
    bow = xy.copy()
    bow[14], bow[18] = bow[18].copy(), bow[14].copy()
    selfx = to_ll(shapely.LineString(bow))
    assert not selfx.is_simple
    (d / "line_2026-01-16.geojson").write_text(json.dumps({
        "type": "Feature", "properties": {},
        "geometry": shapely.geometry.mapping(selfx)}), encoding="utf-8")
    with pytest.raises(InputError, match="cross"):
        timeline("yellow-line", data_dirs=[str(d)], ledgers=())


def test_a_zone_polygon_file_is_a_line_and_a_version(tmp_path: Path):
    zone = json.loads((LINE_FILE.parent / "idf_zone_2025-10-19.geojson").read_text("utf-8"))
    poly = shapely.geometry.shape(zone["features"][0]["geometry"])
    multi = shapely.MultiPolygon([poly])
    f = tmp_path / "zone.geojson"
    f.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": shapely.geometry.mapping(multi)}), encoding="utf-8")
    from geo.analysis.uncertainty import LineUncertainty

    # the packaged zone states 100 m toward Israel and 520 m toward the coast: the same here
    mine = geo.analyse(line=str(f), uncertainty_m=LineUncertainty(100, 520))
    packaged = geo.analyse(line="idf-zone@2025-10-19")
    assert mine.lines[0].method == "zone-polygon"
    for a, b in zip(mine.zones, packaged.zones, strict=True):
        assert a.area_km2 == pytest.approx(b.area_km2, abs=1e-9)
        assert a.interval is not None and b.interval is not None
        assert (a.interval.low, a.interval.high) == pytest.approx(
            (b.interval.low, b.interval.high), abs=1e-9)
    d = tmp_path / "zones"
    d.mkdir()
    (d / "zone.geojson").write_text(f.read_text("utf-8"), encoding="utf-8")
    (d / "catalog.toml").write_text(
        '[[dataset]]\nid = "yellow-line"\nversion = "2025-11-20"\ndate = "2025-11-20"\n'
        'title = "zone"\nkind = "zone"\nfile = "zone.geojson"\nsource = "t"\nlicence = "t"\n'
        'attribution = "t"\nmethod = "t"\nuncertainty_m = 300\n', encoding="utf-8")
    t = timeline("yellow-line", data_dirs=[str(d)], ledgers=())
    v = t.version("2025-11-20")
    assert v.analysis.lines[0].method == "zone-polygon"
    assert v.analysis.zone("east").area_km2 == pytest.approx(packaged.zone("east").area_km2)
    c = t.changes[0]
    assert c.to_east_km2 - c.to_west_km2 == pytest.approx(
        v.analysis.zone("east").area_km2 - t.versions[0].analysis.zone("east").area_km2,
        abs=1e-4)


def test_a_ledger_line_may_be_a_zone_polygon_file(tmp_path: Path):
    zone = (LINE_FILE.parent / "idf_zone_2025-10-19.geojson").read_text("utf-8")
    (tmp_path / "my_zone.geojson").write_text(zone, encoding="utf-8")
    (tmp_path / "z.toml").write_text(
        '[[claim]]\nid = "z"\ntext = "53 percent"\nsource = "t"\nmetric = "zone_share_pct"\n'
        'zone = "east"\nvalue = "53"\nline = "my_zone.geojson"\nuncertainty_m = 300\n',
        encoding="utf-8")
    v = check_ledger(tmp_path / "z.toml").verdicts[0]
    east = geo.analyse(line="idf-zone@2025-10-19").zone("east")
    assert v.computed is not None and v.computed.value == pytest.approx(east.share_pct)
    # the claims' interval adds the outline's resolution to the line's ±300 m band
    assert v.computed.low is not None and v.computed.low <= east.interval.low
