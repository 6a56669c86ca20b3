"""Claims ledger: parsing, stated intervals, every metric and op, errors, shipped ledgers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer

from geo.claims import (
    Evaluator,
    check_ledger,
    ledger_path,
    load_ledger,
    parse_ledger,
    shipped_ledgers,
    stated_interval,
)
from geo.errors import LedgerError
from geo.read.sources import borders_for, governorates, resolve

ROOT = Path(__file__).resolve().parents[2]
GEOD = Geod(ellps="WGS84")
ZONE = "idf-zone@2025-10-19"  # zone-polygon method: east = outline ∩ polygon, no offsets


def _area_km2(geom: shapely.Geometry) -> float:
    """Independent geodesic area: pyproj directly on a densified, oriented geometry."""
    total = 0.0
    for p in shapely.get_parts(geom):
        if p.geom_type != "Polygon":
            continue
        p = shapely.orient_polygons(shapely.segmentize(p, 0.0002))
        total += abs(GEOD.geometry_area_perimeter(p)[0])
    return total / 1e6


def _length_km(geom: shapely.Geometry) -> float:
    return sum(GEOD.geometry_length(shapely.segmentize(g, 0.0002))
               for g in shapely.get_parts(geom)) / 1000


def claim(cid: str = "t1", **kw: Any) -> dict[str, Any]:
    base = {"id": cid, "text": "a test statement", "source": "tests"}
    return {**base, **{("with" if k == "with_" else k): v for k, v in kw.items()}}


def run(*claims: dict[str, Any], evaluator: Evaluator | None = None) -> dict[str, Any]:
    led = parse_ledger({"claim": list(claims)})
    res = (evaluator or Evaluator()).check(led)
    return {v.id: v for v in res.verdicts}


@pytest.fixture(scope="module")
def ev() -> Evaluator:
    return Evaluator()


@pytest.fixture(scope="module")
def ev300() -> Evaluator:
    """Claims checked with a symmetric ±300 m (the catalog's interval is one-sided)."""
    return Evaluator(uncertainty_m=300)


@pytest.fixture(scope="module")
def indep() -> dict[str, Any]:
    """Figures computed without geo.claims/geo.geometry.areas: shapely overlay + pyproj.Geod."""
    outline = resolve("gaza-outline", "boundary").geometry
    zone = resolve(ZONE, "zone").geometry
    east = outline.intersection(zone)
    rafah = next(f.geometry for f in governorates().features if f.properties["name"] == "Rafah")
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    to_ll = Transformer.from_crs("EPSG:32636", "EPSG:4326", always_xy=True)

    def tr(t: Transformer, g: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(g, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))

    egypt = borders_for(outline).egypt
    band = tr(to_ll, tr(to_utm, shapely.segmentize(egypt, 0.0002)).buffer(100))
    return {
        "total": _area_km2(outline),
        "east": _area_km2(east),
        "east_share": 100 * _area_km2(east) / _area_km2(outline),
        "rafah_east": 100 * _area_km2(rafah.intersection(zone)) / _area_km2(rafah),
        "egypt_km": _length_km(egypt),
        "band_egypt_100": _area_km2(band.intersection(outline)),
    }


# ---------------------------------------------------------------------------- stated values


@pytest.mark.parametrize("value, lo, hi", [
    ("53", 52.5, 53.5), ("54.5", 54.45, 54.55), ("54.50", 54.495, 54.505), (54.5, 54.45, 54.55),
    (360, 359.5, 360.5), ("365.0", 364.95, 365.05), ([50, 58], 49.5, 58.5),
])
def test_stated_interval_from_written_precision(value: Any, lo: float, hi: float) -> None:
    s = stated_interval(value)
    assert s.low == pytest.approx(lo) and s.high == pytest.approx(hi)


def test_approx_widens_to_a_unit_or_five_percent() -> None:
    assert stated_interval("10", approx=True).low == pytest.approx(9.0)  # one unit wins
    s = stated_interval("155", approx=True)  # 5 % (7.75) wins over one unit
    assert (s.low, s.high) == pytest.approx((147.25, 162.75))
    assert stated_interval("53", tolerance=3).low == 50.0
    assert stated_interval(53.0, precision=0.01).high == pytest.approx(53.005)


# ---------------------------------------------------------------------------- metrics x ops


def test_zone_share_against_independent_overlay(indep: dict[str, Any], ev300: Evaluator
                                                ) -> None:
    x = indep["east_share"]
    v = run(claim("ok", metric="zone_share_pct", zone="east", line=ZONE, value=f"{x:.1f}"),
            claim("bad", metric="zone_share_pct", zone="east", line=ZONE, value=f"{x + 5:.0f}"),
            claim("west", metric="zone_share_pct", zone="west", line=ZONE,
                  value=f"{100 - x:.1f}"), evaluator=ev300)
    assert v["ok"].computed.value == pytest.approx(x, rel=1e-4)
    assert v["ok"].verdict == "consistent"
    assert v["bad"].verdict == "inconsistent"
    assert v["bad"].difference == pytest.approx(x - round(x + 5), abs=1e-3)
    assert v["west"].verdict == "consistent"


# the zone polygon's ±300 m interval is about ±4 points wide: ±6 lies outside it
@pytest.mark.parametrize("op, delta, verdict", [
    (">", -6, "consistent"), (">", +6, "inconsistent"),
    (">=", -6, "consistent"), (">=", +6, "inconsistent"),
    ("<", +6, "consistent"), ("<", -6, "inconsistent"),
    ("<=", +6, "consistent"), ("<=", -6, "inconsistent"),
    ("=", 0, "consistent"), ("=", +6, "inconsistent"),
])
def test_every_op(indep: dict[str, Any], ev300: Evaluator, op: str, delta: int,
                  verdict: str) -> None:
    value = f"{indep['east_share'] + delta:.1f}"
    v = run(claim(metric="zone_share_pct", zone="east", line=ZONE, op=op, value=value),
            evaluator=ev300)["t1"]
    assert v.verdict == verdict, v.summary()


def test_zone_share_of_a_denominator(indep: dict[str, Any], ev: Evaluator) -> None:
    x = 100 * indep["east"] / 365
    v = run(claim(metric="zone_share_pct", zone="east", line=ZONE, denominator_km2=365,
                  value=f"{x:.1f}"), evaluator=ev)["t1"]
    assert v.computed.value == pytest.approx(x, rel=1e-4) and v.verdict == "consistent"


def test_line_uncertainty_widens_the_interval(ev: Evaluator) -> None:
    east = ev.figures.analysis("yellow-line@2025-10-19", "gaza-outline").zone("east")
    assert east.interval is not None
    lo, hi = east.interval.low, east.interval.high
    # just inside the line's interval (but far outside its rounding) is consistent
    v = run(claim(metric="zone_share_pct", zone="east", value=f"{lo + 0.2:.1f}"),
            claim("out", metric="zone_share_pct", zone="east", value=f"{lo - 3:.0f}"),
            evaluator=ev)
    assert v["t1"].verdict == "consistent"
    assert v["t1"].computed.low <= lo and v["t1"].computed.high >= hi
    assert v["out"].verdict == "inconsistent"


def test_zone_area(indep: dict[str, Any], ev: Evaluator) -> None:
    x = indep["east"]
    v = run(claim("ok", metric="zone_area_km2", zone="east", line=ZONE, value=f"{x:.0f}"),
            claim("bad", metric="zone_area_km2", zone="east", line=ZONE, value=f"{x - 20:.0f}"),
            evaluator=ev)
    assert v["ok"].computed.value == pytest.approx(x, rel=1e-4)
    assert (v["ok"].verdict, v["bad"].verdict) == ("consistent", "inconsistent")


def test_total_area_interval_spans_ponds_and_resolution(indep: dict[str, Any],
                                                         ev: Evaluator) -> None:
    x = indep["total"]
    v = run(claim("ok", metric="total_area_km2", value=f"{x:.1f}"),
            claim("bad", metric="total_area_km2", value=f"{x - 5:.0f}"),
            claim("gt", metric="total_area_km2", op=">", value=f"{x - 5:.0f}"), evaluator=ev)
    c = v["ok"].computed
    assert c.value == pytest.approx(x, rel=1e-5)
    outline = resolve("gaza-outline", "boundary").geometry
    filled = _area_km2(shapely.MultiPolygon([shapely.Polygon(p.exterior)
                                             for p in shapely.get_parts(outline)]))
    assert c.low < x < filled < c.high
    assert [v[k].verdict for k in ("ok", "bad", "gt")] == [
        "consistent", "inconsistent", "consistent"]


def test_governorate_share(indep: dict[str, Any], ev: Evaluator) -> None:
    x = indep["rafah_east"]
    v = run(claim("ok", metric="governorate_share_pct", governorate="Rafah", zone="east",
                  line=ZONE, value=f"{x:.0f}"),
            claim("bad", metric="governorate_share_pct", governorate="rafah", zone="west",
                  line=ZONE, op=">", value="50"),
            evaluator=ev)
    assert v["ok"].computed.value == pytest.approx(x, rel=1e-3)
    assert (v["ok"].verdict, v["bad"].verdict) == ("consistent", "inconsistent")


def test_governorate_share_interval_from_offsets(ev: Evaluator) -> None:
    v = run(claim(metric="governorate_share_pct", governorate="Khan Yunis", zone="east",
                  op=">", value="50"), evaluator=ev)["t1"]
    c = v.computed
    assert c.low < c.value < c.high  # the line moved by ±300 m moves the share


def test_unknown_governorate_is_a_ledger_error(ev: Evaluator) -> None:
    with pytest.raises(LedgerError, match="claim 't1'.*'governorate'.*Rafah"):
        run(claim(metric="governorate_share_pct", governorate="Atlantis", zone="east",
                  value="5"), evaluator=ev)


def test_border_length(indep: dict[str, Any], ev: Evaluator) -> None:
    x = indep["egypt_km"]
    v = run(claim("ok", metric="border_length_km", with_="egypt", value=f"{x:.0f}"),
            claim("bad", metric="border_length_km", with_="egypt", value=f"{x - 2:.0f}"),
            claim("zone", metric="border_length_km", with_="egypt", zone="west", op="<",
                  value="1"),
            evaluator=ev)
    assert v["ok"].computed.value == pytest.approx(x, rel=1e-3)
    assert [v[k].verdict for k in ("ok", "bad", "zone")] == [
        "consistent", "inconsistent", "consistent"]


def test_shares_border(ev: Evaluator) -> None:
    v = run(claim("cut", metric="shares_border", zone="west", with_="egypt", value=False),
            claim("wrong", metric="shares_border", zone="west", with_="egypt", value=True),
            claim("east", metric="shares_border", zone="east", with_="israel", value=True),
            evaluator=ev)
    assert [v[k].verdict for k in ("cut", "wrong", "east")] == [
        "consistent", "inconsistent", "consistent"]
    assert v["cut"].computed.possible == (False,)


def test_band_area_against_utm_buffer(indep: dict[str, Any], ev: Evaluator) -> None:
    x = indep["band_egypt_100"]
    v = run(claim("ok", metric="band_area_km2", with_="egypt", width_m=100, value=f"{x:.2f}"),
            claim("bad", metric="band_area_km2", with_="egypt", width_m=100,
                  value=f"{2 * x:.1f}"), evaluator=ev)
    assert v["ok"].computed.value == pytest.approx(x, rel=2e-3)
    assert (v["ok"].verdict, v["bad"].verdict) == ("consistent", "inconsistent")


def test_percent_of_and_sum_arithmetic() -> None:
    v = run(claim("p", metric="percent_of", part="198.8", whole="365", value="54.5"),
            claim("p2", metric="percent_of", part=33.5, whole=365, value="9.5"),
            claim("s", metric="sum", values=["155", "210"], value="365"),
            claim("s2", metric="sum", values=[53, 11], value="66.7", approx=True),
            claim("s3", metric="sum", values=[53, 11], value="66.7"))
    assert v["p"].computed.value == pytest.approx(198.8 / 365 * 100)
    lo, hi = v["p"].computed.low, v["p"].computed.high
    assert lo == pytest.approx(198.75 / 365.5 * 100) and hi == pytest.approx(198.85 / 364.5 * 100)
    assert v["s"].computed.value == 365
    assert [v[k].verdict for k in ("p", "p2", "s", "s2", "s3")] == [
        "consistent", "inconsistent", "consistent", "consistent", "inconsistent"]


def test_stated_range() -> None:
    v = run(claim("in", metric="sum", values=[30, 24], value=[50, 58]),
            claim("out", metric="sum", values=[30, 40], value=[50, 58]))
    assert v["in"].verdict == "consistent" and v["in"].difference == 0
    assert v["out"].verdict == "inconsistent" and v["out"].difference == pytest.approx(12)


def test_not_checkable_with_reasons(ev: Evaluator) -> None:
    v = run(claim("orange", metric="zone_share_pct", zone="east", line="orange-line@2026-03",
                  value="64"),
            claim("pop", metric="population_share_pct", zone="west", op=">=", value="90"),
            claim("mk", metric="marker_offset_m", stat="mean", value="295"),
            claim("none", metric="none", reason="a count of incidents"),
            evaluator=ev)
    assert all(x.verdict == "not-checkable" for x in v.values())
    assert "no geometry" in v["orange"].reason and "orange-line" in v["orange"].reason
    assert "population" in v["pop"].reason
    assert "marker" in v["mk"].reason
    assert v["none"].reason == "a count of incidents"
    d = v["orange"].to_dict()
    assert d["computed"] is None and d["interval"] is None and d["verdict"] == "not-checkable"


def test_line_file_relative_to_the_ledger(tmp_path: Path) -> None:
    src = resolve("yellow-line@2025-10-19", "line")
    (tmp_path / "lines").mkdir()
    (tmp_path / "lines" / "mine.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                   "geometry": shapely.geometry.mapping(
                                                       src.geometry)}]}), encoding="utf-8")
    ledger = tmp_path / "l.toml"
    ledger.write_text('[[claim]]\nid = "f"\ntext = "t"\nsource = "s"\n'
                      'metric = "zone_share_pct"\nzone = "east"\nline = "lines/mine.geojson"\n'
                      'value = "54"\n', encoding="utf-8")
    res = check_ledger(ledger)
    v = res.verdicts[0]
    packaged = Evaluator().figures.analysis("yellow-line@2025-10-19", "gaza-outline")
    assert v.computed is not None
    assert v.computed.value == pytest.approx(packaged.zone("east").share_pct, rel=1e-9)
    assert v.verdict == "consistent"


def test_partition_is_computed_once(ev: Evaluator) -> None:
    fig = ev.figures
    fig.analysis("yellow-line@2025-10-19", "gaza-outline")
    n = len(fig._analyses)
    fig.analysis("yellow-line@2025-10-19", "gaza-outline")
    assert len(fig._analyses) == n


def test_json_contract_keys() -> None:
    res = check_ledger(parse_ledger({"claim": [claim(metric="sum", values=[1, 2], value=3)]}))
    d = res.to_list()[0]
    for key in ("id", "verdict", "stated", "computed", "difference", "interval", "method",
                "datasets", "reason"):
        assert key in d
    json.dumps(d)


# ---------------------------------------------------------------------------- ledger errors


@pytest.mark.parametrize("raw, match", [
    (claim(metric="sum", values=[1, 2]), r"claim 't1', field 'value'.*missing"),
    ({"id": "t1", "source": "s", "metric": "sum", "values": [1, 2], "value": 3},
     r"claim 't1', field 'text'.*missing"),
    (claim(metric="zone_share_pct", value="53"), r"claim 't1', field 'zone'.*missing"),
    (claim(metric="sum", values=[1, 2], value=3, op="=>"), r"claim 't1', field 'op'"),
    (claim(metric="area_pct", value=3), r"claim 't1', field 'metric'.*unknown metric"),
    (claim(metric="zone_share_pct", zone="north", value="5"), r"claim 't1', field 'zone'"),
    (claim(metric="zone_share_pct", zone="east", value="~53"), r"claim 't1', field 'value'"),
    (claim(metric="zone_share_pct", zone="east", value="53", zon="x"),
     r"claim 't1', field 'zon'.*not a field"),
    (claim(metric="shares_border", zone="west", with_="egypt", value="no"),
     r"claim 't1', field 'value'.*true or false"),
    (claim(metric="band_area_km2", with_="sea", width_m=100, value="1"),
     r"claim 't1', field 'with'"),
    (claim(metric="band_area_km2", with_="egypt", width_m=-1, value="1"),
     r"claim 't1', field 'width_m'"),
    (claim(metric="sum", values=[1], value=1), r"claim 't1', field 'values'"),
    (claim(metric="percent_of", part=1, whole=0, value=1), r"claim 't1', field 'whole'"),
    (claim(metric="sum", values=[1, 2], value=3, approx="yes"), r"claim 't1', field 'approx'"),
    (claim(metric="sum", values=[1, 2], value=[1, 2, 3]), r"claim 't1', field 'value'"),
])
def test_ledger_errors_name_claim_and_field(raw: dict[str, Any], match: str) -> None:
    with pytest.raises(LedgerError, match=match):
        parse_ledger({"claim": [raw]})


def test_duplicate_id() -> None:
    c = claim("dup", metric="sum", values=[1, 2], value=3)
    with pytest.raises(LedgerError, match=r"claim 'dup', field 'id'.*two claims"):
        parse_ledger({"claim": [c, dict(c)]})


def test_missing_id_and_empty_ledger() -> None:
    with pytest.raises(LedgerError, match=r"claim '#2', field 'id'"):
        parse_ledger({"claim": [claim(metric="sum", values=[1, 2], value=3),
                                {"text": "t", "source": "s", "metric": "sum"}]})
    with pytest.raises(LedgerError, match="no \\[\\[claim\\]\\] tables"):
        parse_ledger({})


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[claim]\nid = 1", encoding="utf-8")
    with pytest.raises(LedgerError, match="not valid TOML"):
        load_ledger(bad)
    with pytest.raises(LedgerError, match="not the name of a shipped ledger.*seed"):
        ledger_path(str(tmp_path / "nope.toml"))


# ---------------------------------------------------------------------------- shipped ledgers


def test_shipped_ledgers_load_and_evaluate() -> None:
    assert {"seed", "public"} <= set(shipped_ledgers())
    for name in ("seed", "public"):
        res = check_ledger(name)
        assert len(res.verdicts) == len(load_ledger(name))
        for v in res.verdicts:
            if v.verdict == "not-checkable":
                assert v.reason
            else:
                assert v.computed is not None and v.method


def test_seed_verdicts() -> None:
    v = {x.id: x for x in check_ledger("seed").verdicts}
    assert v["seed-1"].verdict == "consistent"
    assert v["seed-3"].verdict == "consistent" and v["seed-3"].computed.value is False
    assert v["seed-4"].verdict == v["seed-5"].verdict == "not-checkable"


@pytest.mark.skipif(not any((d / "shared" / "data" / "claims_public.csv").exists()
                        for d in (ROOT.parent, ROOT.parents[1])),
                    reason="the shared source data is not next to the repository")
def test_public_ledger_is_up_to_date() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_ledger.py"), "--check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr



# ---------------------------------------------------------------------------- shape metrics


def _utm(g: shapely.Geometry) -> shapely.Geometry:
    t = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    g = shapely.segmentize(g, 0.0005)
    return shapely.transform(g, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def test_line_depth_against_utm(ev: Evaluator) -> None:
    """Max and min depth of the 19 Oct line, recomputed in UTM 36N with plain shapely."""
    outline = resolve("gaza-outline", "boundary").geometry
    b = borders_for(outline)
    line, o, isr, egy = (_utm(g) for g in (resolve("yellow-line@2025-10-19", "line").geometry,
                                           outline, b.israel, b.egypt))
    inside = line.intersection(o)
    pts = [p for part in shapely.get_parts(inside)
           for p in shapely.line_interpolate_point(part, np.arange(0, part.length, 20.0))]
    d = np.array([p.distance(isr) for p in pts if p.distance(isr) <= p.distance(egy)]) / 1000
    v = run(claim("min", metric="line_depth_km", stat="min", value="1.5"),
            claim("max", metric="line_depth_km", stat="max", value="6.5"),
            claim("med", metric="line_depth_km", stat="median", value="9"), evaluator=ev)
    assert v["min"].computed.value == pytest.approx(d.min(), abs=0.03)
    assert v["max"].computed.value == pytest.approx(d.max(), abs=0.03)
    assert v["med"].computed.value == pytest.approx(float(np.median(d)), abs=0.03)
    # the interval is the line's one-sided uncertainty plus the outline's ±10 m: deeper by
    # 520 m toward the coast, shallower by 100 m toward Israel
    assert v["max"].computed.high - v["max"].computed.value == pytest.approx(0.53)
    assert v["max"].computed.value - v["max"].computed.low == pytest.approx(0.11)
    assert v["min"].verdict == v["max"].verdict == "consistent"
    assert v["med"].verdict == "inconsistent"


def test_strip_length_and_width_against_utm(ev: Evaluator) -> None:
    o = _utm(resolve("gaza-outline", "boundary").geometry)
    o = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(o)])
    rect = np.asarray(o.minimum_rotated_rectangle.exterior.coords)
    sides = sorted([np.hypot(*(rect[1] - rect[0])), np.hypot(*(rect[2] - rect[1]))])
    v = run(claim("len", metric="strip_length_km", value="41", readings=["axis"]),
            claim("wmax", metric="strip_width_km", stat="max", value="12"),
            claim("wmin", metric="strip_width_km", stat="min", value="6"),
            claim("at", metric="strip_width_km", at=[34.4736, 31.4747], value="6.5",
                  readings=["cross-section"]),
            evaluator=ev)
    assert v["len"].computed.value == pytest.approx(sides[1] / 1000, rel=2e-3)
    # no cross-section is wider than the rectangle's short side
    assert v["wmax"].computed.value <= sides[0] / 1000 * (1 + 2e-3)
    assert v["wmin"].computed.value < v["at"].computed.value < v["wmax"].computed.value
    assert v["len"].verdict == "inconsistent"


@pytest.mark.parametrize("raw, match", [
    (claim(metric="strip_width_km", value="6"), r"field 'stat'.*exactly one of stat and at"),
    (claim(metric="strip_width_km", stat="min", at=[34.4, 31.4], value="6"), r"exactly one"),
    (claim(metric="strip_width_km", at=[31.4], value="6"), r"field 'at'"),
    (claim(metric="line_depth_km", stat="mean", value="2"), r"field 'stat'"),
])
def test_shape_metric_fields(raw: dict[str, Any], match: str) -> None:
    with pytest.raises(LedgerError, match=match):
        parse_ledger({"claim": [raw]})


def test_a_given_reason_explains_a_missing_line(ev: Evaluator) -> None:
    v = run(claim(metric="zone_area_km2", zone="east", line="idf-map@2025-10-14",
                  value="203.99", reason="the IDF online map of 14 Oct 2025 has no public "
                  "geometry"), evaluator=ev)["t1"]
    assert v.verdict == "not-checkable"
    assert v.reason.startswith("the IDF online map of 14 Oct 2025 has no public geometry (")


def test_population_claims_by_basis(ev: Evaluator) -> None:
    """Pre-war claims are checked; current ones are not, with the pre-war figure beside."""
    v = run(claim("now", metric="population_share_pct", zone="west", op=">=", value="90"),
            claim("pre", metric="population_share_pct", zone="east", basis="pre-war",
                  value=[20, 50]), evaluator=ev)
    assert v["now"].verdict == "not-checkable"
    assert "post-war" in v["now"].reason and "pre-war" in v["now"].reason
    pre = v["pre"]
    assert pre.verdict == "consistent" and pre.computed is not None
    # the interval's low end is the community-points method: count it independently
    zone = ev.figures.analysis("yellow-line@2025-10-19", "gaza-outline").zone("east").geometry
    feats = json.loads((ROOT / "geo" / "data" / "pcbs_communities_2017.geojson")
                       .read_text(encoding="utf-8"))["features"]
    pts = [(shapely.geometry.shape(f["geometry"]), f["properties"]["pop2017"]) for f in feats
           if f["properties"].get("pop2017") is not None]  # communities without a count
    total = sum(p for _, p in pts)
    east = sum(p for g, p in pts if zone.covers(g))
    assert pre.computed.low == pytest.approx(100 * east / total, abs=0.01)
    assert pre.computed.low < pre.computed.value < pre.computed.high


@pytest.mark.parametrize("kind", ["sea", "egypt", "israel"])
def test_border_length_interval_spans_the_packaged_outlines(ev: Evaluator, kind: str) -> None:
    v = run(claim(metric="border_length_km", with_=kind, value="41"), evaluator=ev)["t1"]
    for ref in ("gaza-outline", "ocha-outline"):
        km = _length_km(borders_for(resolve(ref, "boundary").geometry).get(kind))
        assert v.computed.low - 1e-3 <= km <= v.computed.high + 1e-3, ref


def test_claims_on_two_lines(tmp_path: Path, indep: dict[str, Any]) -> None:
    """Two lines give three zones (east, between-1, west) that add up to the outline."""
    ln = resolve("yellow-line@2025-10-19", "line").geometry
    t = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    back = Transformer.from_crs("EPSG:32636", "EPSG:4326", always_xy=True)
    utm = shapely.transform(ln, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))
    # 1 km to the west of the yellow line: the side away from the Israel border
    west = max((utm.offset_curve(d) for d in (-1000, 1000)), key=lambda g: -g.centroid.x)
    west_ll = shapely.transform(west, lambda c: np.column_stack(back.transform(c[:, 0], c[:, 1])))
    (tmp_path / "inner.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(west_ll)}]}),
        encoding="utf-8")
    lines = ["yellow-line@2025-10-19", str(tmp_path / "inner.geojson")]
    v = run(*(claim(z, metric="zone_area_km2", zone=z, line=lines, value="100")
              for z in ("east", "between-1", "west")))
    total = sum(v[z].computed.value for z in ("east", "between-1", "west"))
    assert total == pytest.approx(indep["total"], rel=1e-6)
    # a 1 km band along a ~46 km line inside the Strip: roughly 40-50 km²
    assert 35 < v["between-1"].computed.value < 50
    # a zone the claim's one line does not make is the ledger's error, not a verdict
    with pytest.raises(LedgerError, match="claim 'one'.*no zone 'between-1'"):
        run(claim("one", metric="zone_area_km2", zone="between-1", value="40"))


def test_a_ledger_is_parsed_once_until_its_file_changes(tmp_path, monkeypatch):
    import os

    from geo.claims import parse

    monkeypatch.chdir(tmp_path)
    p = tmp_path / "l.toml"
    p.write_text('[[claim]]\nid = "a"\nsource = "s"\ndate = "2025-10-20"\n'
                 'text = "t"\nmetric = "zone_share_pct"\nzone = "east"\nvalue = 53\n')
    first = parse.load_ledger(p)
    assert parse.load_ledger(str(p)) is first
    p.write_text(p.read_text().replace("value = 53", "value = 58"))
    os.utime(p, ns=(1, 1))  # a new modification time even on a coarse clock
    second = parse.load_ledger(p)
    assert second is not first and second.claims[0].value == 58
    assert parse.load_ledger(p, allow_paths=[tmp_path]) is not second  # other folders
