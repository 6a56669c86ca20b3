"""geo.analyse: one request, one typed analysis (N zones, one end-snapper, honest intervals).

Golden figures are checked against computations written here that share no code with the
product: their own reading (json), projection (UTM 36N through pyproj), line extension,
split (shapely.ops.split) and area (pyproj.Geod on densified rings).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely import LineString, Point
from shapely.geometry import mapping, shape
from shapely.ops import split

import geo
from geo.analysis.bands import uncertainty_band
from geo.errors import InputError, PartitionError
from geo.geometry.crs import to_laea
from geo.geometry.measure import geodesic_area_m2, geodesic_length_m

DATA = Path(geo.__file__).parent / "data"
UTM = Transformer.from_crs(4326, 32636, always_xy=True)
GEOD = Geod(ellps="WGS84")


def _read(name: str) -> shapely.Geometry:
    feats = json.loads((DATA / name).read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shape(f["geometry"]) for f in feats])


def _fwd(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(g, lambda c: np.column_stack(UTM.transform(c[:, 0], c[:, 1])))


def _inv(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(g, lambda c: np.column_stack(
        UTM.transform(c[:, 0], c[:, 1], direction="INVERSE")))


def _geod_km2(g: shapely.Geometry) -> float:
    g = shapely.segmentize(shapely.orient_polygons(g), 0.0002)
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6


def _extend(line: LineString, metres: float) -> LineString:
    xy = np.asarray(line.coords)
    out = []
    for tip, prev in ((xy[0], xy[1]), (xy[-1], xy[-2])):
        d = tip - prev
        out.append(tip + d / np.hypot(*d) * metres)
    return LineString([out[0], *xy, out[1]])


@pytest.fixture(scope="module")
def default():
    return geo.analyse()


def test_golden_line_method_against_an_independent_split(default):
    outline = _fwd(_read("gaza_outline.geojson"))
    # densify in lon/lat first so that the projected edges follow the drawn ones
    outline = _fwd(shapely.segmentize(_read("gaza_outline.geojson"), 0.0005))
    line = _extend(_fwd(shapely.segmentize(_read("yellow_line_2025-10-19.geojson"),
                                           0.0005)), 2000.0)
    pieces = list(split(outline, line).geoms)
    assert len(pieces) == 2
    rafah = _fwd(Point(34.30, 31.27))
    east = next(p for p in pieces if p.contains(rafah))
    west = next(p for p in pieces if not p.contains(rafah))
    east_km2, west_km2 = _geod_km2(_inv(east)), _geod_km2(_inv(west))
    total = _geod_km2(_read("gaza_outline.geojson"))
    assert default.boundary_area_km2 == pytest.approx(total, rel=1e-6)
    assert default.zone("east").area_km2 == pytest.approx(east_km2, rel=2e-4)
    assert default.zone("west").area_km2 == pytest.approx(west_km2, rel=2e-4)
    assert default.zone("east").share_pct == pytest.approx(100 * east_km2 / total, abs=0.02)


def test_zones_add_up_and_the_interval_brackets_the_share(default):
    total = default.boundary_area_km2
    assert abs(sum(z.area_km2 for z in default.zones) - total) / total < 1e-9
    for z in default.zones:
        assert z.interval is not None
        assert 0 <= z.interval.low < z.share_pct < z.interval.high <= 100
    # 100 m toward Israel and 520 m toward the coast hand over about (0.1 + 0.52) x 46 km
    east = default.zone("east")
    width_km2 = (east.interval.high - east.interval.low) * total / 100
    assert width_km2 == pytest.approx((0.1 + 0.52) * 46.07, rel=0.25)


def test_interval_equals_resplitting_by_independently_offset_lines(default):
    """The swept band equals a re-split by the line moved (offset in UTM, shapely.ops).

    The catalog's uncertainty is one-sided: 100 m toward Israel, 520 m toward the coast
    (the east zone larger). Each distance is tried on both sides; the side that enlarges
    the east zone is "toward the coast".
    """
    outline = _fwd(shapely.segmentize(_read("gaza_outline.geojson"), 0.0005))
    used = _fwd(shapely.segmentize(default.lines[0].geometry, 0.0005))
    total = _geod_km2(_read("gaza_outline.geojson"))
    rafah = _fwd(Point(34.30, 31.27))

    def shares(u: float) -> list[float]:
        out = []
        for off in (-u, u):
            moved = _extend(used.offset_curve(off, join_style="round"), 1500.0)
            east = next(p for p in split(outline, moved).geoms if p.contains(rafah))
            out.append(100 * _geod_km2(_inv(east)) / total)
        return out

    iv = default.zone("east").interval
    assert iv.low == pytest.approx(min(shares(100.0)), abs=0.05)  # toward Israel
    assert iv.high == pytest.approx(max(shares(520.0)), abs=0.05)  # toward the coast


def test_the_controlled_side_comes_from_the_catalog(default):
    assert "catalog entry of yellow-line@2025-10-19" in default.method.east_zone
    east = default.zone("east").geometry
    assert east.contains(Point(34.30, 31.27))
    assert default.zone("west").borders_km["egypt"] == pytest.approx(0, abs=1e-6)


def test_to_dict_keeps_the_contract_and_gives_provenance(default):
    d = default.to_dict()
    for key in ("boundary", "line", "method", "zones", "governorates", "alternatives",
                "warnings"):
        assert key in d
    z = d["zones"][0]
    for key in ("id", "area_km2", "area_km2_planar", "share_pct", "share_pct_low",
                "share_pct_high", "share_pct_of", "borders_km", "shares_border"):
        assert key in z
    assert d["line"] == {"dataset": "yellow-line@2025-10-19", "uncertainty_m": [100.0, 520.0],
                         "method": "line", "repairs": list(default.lines[0].repairs)}
    assert "gaza-outline@2017" in d["provenance"]["datasets"]
    assert d["provenance"]["software"]["shapely"] == shapely.__version__
    json.dumps(d, allow_nan=False)


def test_geodataframe_and_geo_interface(default):
    gdf = default.to_geodataframe()
    assert list(gdf["id"]) == ["east", "west"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].equals(default.zone("east").geometry)
    feat = default.zone("west").__geo_interface__
    assert feat["properties"]["area_km2"] == default.zone("west").area_km2
    assert shape(feat["geometry"]).equals(default.zone("west").geometry)
    assert len(default.__geo_interface__["features"]) == 2


def test_the_alternative_explanation_follows_the_numbers(default):
    (alt,) = default.alternatives
    assert alt.dataset == "idf-zone@2025-10-19"
    east = dict(alt.zones)["east"]
    assert alt.difference_km2 == pytest.approx(default.zone("east").area_km2 - east.area_km2)
    assert ("smaller" in alt.explanation) == (alt.difference_km2 > 0)
    assert f"{abs(alt.difference_km2):.2f} km²" in alt.explanation
    assert east.interval is not None and east.interval.low < east.share_pct < east.interval.high


# --------------------------------------------------------------------------- intervals


def test_a_zone_polygon_gets_an_interval_from_its_dividing_edge():
    a = geo.analyse(line="idf-zone@2025-10-19")
    east = a.zone("east")
    assert a.lines[0].method == "zone-polygon"
    assert east.interval is not None
    assert east.interval.low < east.share_pct < east.interval.high
    assert "dividing edge" in a.method.uncertainty
    assert a.to_dict()["zones"][0]["share_pct_low"] < east.share_pct


def test_a_user_line_without_uncertainty_has_no_interval(tmp_path):
    path = tmp_path / "mine.geojson"
    line = _read("yellow_line_2025-10-19.geojson")
    path.write_text(json.dumps({"type": "Feature", "properties": {},
                                "geometry": mapping(line)}), encoding="utf-8")
    a = geo.analyse(line=str(path))
    assert all(z.interval is None for z in a.zones)
    d = a.to_dict()
    assert d["zones"][0]["share_pct_low"] is None and d["zones"][0]["interval"] is None
    assert any("uncertainty_m" in n for n in a.notes)
    assert a.method.uncertainty.startswith("no interval")
    given = geo.analyse(line=str(path), uncertainty_m=300)
    assert given.zone("east").interval is not None
    assert given.lines[0].uncertainty_from == "request"


def test_zero_uncertainty_gives_no_interval_rather_than_a_point():
    a = geo.analyse(uncertainty_m=0)
    assert a.zone("east").interval is None
    assert a.to_dict()["zones"][0]["share_pct_low"] is None


@pytest.mark.parametrize("kw,match", [
    ({"uncertainty_m": float("nan")}, "uncertainty_m.*not a finite number"),
    ({"uncertainty_m": 40000}, "uncertainty_m.*outside 0-3000 m"),
    ({"uncertainty_m": 1e9}, "uncertainty_m"),
    ({"uncertainty_m": -1}, "uncertainty_m"),
    ({"snap_tolerance_m": float("inf")}, "snap_tolerance_m"),
    ({"snap_tolerance_m": -5}, "snap_tolerance_m"),
    ({"denominators_km2": (0.0,)}, "denominators_km2"),
    ({"denominators_km2": (float("nan"),)}, "denominators_km2"),
    ({"controlled_at": (12.0, 50.0)}, "controlled_at"),
])
def test_parameters_are_bounded_and_named(kw, match):
    with pytest.raises(InputError, match=match) as exc:
        geo.analyse(**kw)
    assert "--" not in exc.value.message  # geo names parameters, never CLI flags


def test_largest_allowed_uncertainty_keeps_shares_within_0_and_100():
    a = geo.analyse(uncertainty_m=3000)
    for z in a.zones:
        assert 0.0 <= z.interval.low <= z.share_pct <= z.interval.high <= 100.0


def test_shares_of_user_denominators():
    a = geo.analyse(denominators_km2=(363.0,))
    east = a.zone("east")
    assert set(east.shares_of) == {"365", "360", "363"}
    assert east.shares_of["363"] == pytest.approx(100 * east.area_km2 / 363.0)


def test_method_text_is_built_from_the_values_used():
    a = geo.analyse(snap_tolerance_m=730, uncertainty_m=123)
    assert "730 m" in a.method.split
    assert "±123 m" in a.method.uncertainty


# --------------------------------------------------------------------------- N zones


def _west_line(offset_m: float) -> LineString:
    """The 19 Oct line moved ``offset_m`` metres west (UTM offset, independent)."""
    used = _fwd(_read("yellow_line_2025-10-19.geojson"))
    cands = [used.offset_curve(d) for d in (offset_m, -offset_m)]
    west = min(cands, key=lambda c: c.centroid.x)
    return _inv(west)


@pytest.fixture(scope="module")
def two_lines(tmp_path_factory):
    d = tmp_path_factory.mktemp("lines")
    paths = []
    for name, off in (("orange.geojson", 1500.0),):
        p = d / name
        p.write_text(json.dumps({"type": "Feature", "properties": {},
                                 "geometry": mapping(_west_line(off))}), encoding="utf-8")
        paths.append(p)
    return paths[0]


def test_two_lines_give_three_zones_that_add_up(two_lines):
    a = geo.analyse(lines=["yellow-line@2025-10-19", str(two_lines)],
                    uncertainty_m=[300, 200])
    assert a.zone_ids == ("east", "between-1", "west")
    total = a.boundary_area_km2
    assert abs(sum(z.area_km2 for z in a.zones) - total) / total < 1e-9
    one = geo.analyse()
    assert a.zone("east").area_km2 == pytest.approx(one.zone("east").area_km2, rel=1e-9)
    # the band between the lines is about 1.5 km x 46 km (less where the line meets the coast)
    assert 35 < a.zone("between-1").area_km2 < 75
    for i, z in enumerate(a.zones):
        for w in a.zones[i + 1:]:
            assert z.geometry.intersection(w.geometry).area < 1e-12
        assert z.interval is not None and z.interval.low < z.share_pct < z.interval.high
    # the middle zone's interval combines both lines: wider than either line alone gives
    mid = a.zone("between-1").interval
    assert mid.high - mid.low > a.zone("west").interval.high - a.zone("west").interval.low
    d = a.to_dict()
    assert [z["id"] for z in d["zones"]] == ["east", "between-1", "west"]
    assert len(d["lines"]) == 2
    assert set(d["governorates"][0]["zones"]) == {"east", "between-1", "west"}


def test_lines_out_of_order_or_crossing_are_refused(two_lines, tmp_path):
    with pytest.raises(PartitionError, match="east of|does not lie west"):
        geo.analyse(lines=[str(two_lines), "yellow-line@2025-10-19"],
                    controlled_at=(34.30, 31.27))
    yl = _read("yellow_line_2025-10-19.geojson")
    coords = list(yl.coords)
    crossing = LineString([coords[0], *_west_line(1500.0).coords[5:-5], coords[-1]])
    bad = tmp_path / "crossing.geojson"
    bad.write_text(json.dumps({"type": "Feature", "properties": {},
                               "geometry": mapping(crossing)}), encoding="utf-8")
    with pytest.raises(PartitionError, match=r"cross each other at \d+\.\d+ N \d+\.\d+ E"):
        geo.analyse(lines=["yellow-line@2025-10-19", str(bad)])


def test_a_line_whose_both_pieces_border_israel_needs_a_declared_side(tmp_path):
    # across the Strip north of Rafah: both pieces touch the fence
    cut = LineString([(34.255, 31.33), (34.36, 31.28)])
    p = tmp_path / "cut.geojson"
    p.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": mapping(cut)}), encoding="utf-8")
    with pytest.raises(PartitionError, match="both of the pieces.*controlled_at"):
        geo.analyse(line=str(p), snap_tolerance_m=3000)
    a = geo.analyse(line=str(p), snap_tolerance_m=3000, controlled_at=(34.26, 31.29))
    east = a.zone("east")
    assert east.geometry.contains(Point(34.26, 31.29))
    assert east.area_km2 < a.zone("west").area_km2  # Rafah's side, not the north


def test_a_multipolygon_boundary_with_an_island(tmp_path):
    outline = _read("gaza_outline.geojson")
    island = shapely.Polygon([(34.35, 31.45), (34.36, 31.45), (34.36, 31.455),
                              (34.35, 31.455)])  # in the sea, west of Gaza City
    assert not island.intersects(outline)
    p = tmp_path / "with_island.geojson"
    p.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": mapping(shapely.MultiPolygon([outline, island]))}),
                 encoding="utf-8")
    a = geo.analyse(boundary=str(p))
    total = a.boundary_area_km2
    assert total == pytest.approx(_geod_km2(outline) + _geod_km2(island), rel=1e-6)
    assert abs(sum(z.area_km2 for z in a.zones) - total) / total < 1e-9
    assert a.zone("west").geometry.intersects(island)
    assert any("no line crosses" in n for n in a.notes)


# --------------------------------------------------------------------------- end-snapper


def _coast_markers(spacing: float, jitter: float, seed: int, near_coast_m: float = 200.0,
                   angle_deg: float = 3.0) -> tuple[np.ndarray, LineString]:
    """Blocks along a line that meets the Gaza City coast at a shallow angle.

    The line runs from near the fence west to ~``near_coast_m`` from the coast, its last
    4 km at ``angle_deg`` to the beach: extending its last stretch would run kilometres
    along the beach. Returns lon/lat points (shuffled, jittered) and the designed line.
    """
    outline = _fwd(_read("gaza_outline.geojson"))
    ext = outline.exterior
    near = ext.project(Point(*UTM.transform(34.45, 31.50)))
    c, c2 = np.asarray(ext.interpolate(near).coords[0]), np.asarray(
        ext.interpolate(near + 50).coords[0])
    t = (c2 - c) / np.hypot(*(c2 - c))
    inward = np.array([t[1], -t[0]])
    if not outline.contains(Point(*(c + 100 * inward))):
        inward = -inward
    end = c + near_coast_m * inward
    s = np.linspace(4000, 0, 9)
    approach = [end - si * t + si * math.tan(math.radians(angle_deg)) * inward for si in s]
    start = approach[0]
    inland = [start + k * 500.0 * inward for k in range(40, 0, -1)
              if outline.contains(Point(*(start + k * 500.0 * inward)))]
    designed = LineString([*inland, *approach])
    d = np.arange(0.0, designed.length + 1e-6, spacing)
    pts = np.asarray([designed.interpolate(x).coords[0] for x in d])
    rng = np.random.default_rng(seed)
    pts = pts + rng.normal(0, jitter, pts.shape)
    pts = pts[rng.permutation(len(pts))]
    lonlat = np.column_stack(UTM.transform(pts[:, 0], pts[:, 1], direction="INVERSE"))
    return lonlat, _inv(designed)


def _write_markers_csv(path: Path, lonlat: np.ndarray) -> Path:
    lines = ["id,lat,lon"] + [f"B{i},{lat:.7f},{lon:.7f}" for i, (lon, lat) in
                              enumerate(lonlat)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("spacing,seed", [(200.0, 1), (150.0, 2)])
def test_markers_to_the_coast_at_a_shallow_angle_give_their_line_back(tmp_path, spacing,
                                                                      seed):
    lonlat, designed = _coast_markers(spacing, 15.0, seed)
    path = _write_markers_csv(tmp_path / "blocks.csv", lonlat)
    north = (34.47, 31.53)  # Gaza City north of the line: declared as the controlled side
    a = geo.analyse(markers=str(path), controlled_at=north)
    used = a.lines[0].geometry
    # every point of the designed line lies near the line as used: within the jitter
    # (sigma 15 m), and at the coast end within the last block's spacing
    du, dd = _fwd(used), _fwd(designed)
    samples = [dd.interpolate(x) for x in np.linspace(0, dd.length, 400)]
    assert max(du.distance(q) for q in samples[:-20]) < 100
    assert max(du.distance(q) for q in samples) < 0.5 * spacing + 60
    coast = next(s for s in a.partition.snaps[0] if s.nearest_m < 400)
    assert coast.rule == "nearest"
    assert coast.distance_m == pytest.approx(200, abs=60)
    assert any("nearest point of the outline" in r for r in a.lines[0].repairs)


def test_a_line_ending_50_m_from_a_pond_is_joined_to_the_exterior(tmp_path):
    outline = _read("gaza_outline.geojson")
    pond = min((shapely.Polygon(r) for r in outline.interiors), key=lambda p: -p.area)
    po = _fwd(pond)
    # a line from the coast side towards the pond, ending 50 m short of it
    cen = np.asarray(po.centroid.coords[0])
    west = cen + np.array([-4000.0, 0.0])
    tip_dir = (cen - west) / np.hypot(*(cen - west))
    dist_to_pond = LineString([west, cen]).intersection(po.exterior)
    hit = np.asarray(shapely.get_coordinates(dist_to_pond)[0])
    tip = hit - tip_dir * 50.0
    line = _inv(LineString([west, tip]))
    p = tmp_path / "pond.geojson"
    p.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": mapping(line)}), encoding="utf-8")
    # the pond is no outline: the tip is far from the exterior and is refused with its
    # measured distance to the exterior (not 50 m)
    with pytest.raises(PartitionError, match=r"stops (\d+) m inside the outline") as exc:
        geo.analyse(line=str(p))
    measured = float(exc.value.problem.split("stops ")[1].split(" m")[0])
    assert measured > 60


def test_snap_tolerance_reaches_marker_lines(tmp_path):
    lonlat, _ = _coast_markers(200.0, 10.0, 3, near_coast_m=700.0)
    path = _write_markers_csv(tmp_path / "far.csv", lonlat)
    with pytest.raises(PartitionError, match="stops [67]\\d\\d m inside the outline"):
        geo.analyse(markers=str(path), controlled_at=(34.47, 31.53))
    a = geo.analyse(markers=str(path), controlled_at=(34.47, 31.53), snap_tolerance_m=900)
    assert len(a.zones) == 2


def test_the_same_line_twice_is_named_as_such():
    with pytest.raises(PartitionError, match="are the same line"):
        geo.analyse(lines=["yellow-line", "yellow-line@2025-10-19"])


def test_uncertainty_band_is_a_buffer_in_metres(yellow_line, outline):
    band = uncertainty_band(yellow_line, 300.0)
    length_m = geodesic_length_m(yellow_line)
    # a 600 m wide band along the line plus two round caps of radius 300 m
    expected = 600.0 * length_m + 3.14159 * 300.0 ** 2
    assert geodesic_area_m2(band) == pytest.approx(expected, rel=0.02)
    clipped = uncertainty_band(yellow_line, 300.0, outline)
    assert clipped.within(outline.buffer(1e-9))
    # every vertex of the band lies ~300 m from the line (planar, local LAEA)
    ring = to_laea(shapely.get_exterior_ring(band))
    dist = [to_laea(yellow_line, dense=True).distance(shapely.Point(c)) for c in ring.coords]
    # (a vertex where a chord of a round join meets an edge lies inside the circle, by at
    # most the sagitta of quad_segs=8: 300 m * (1 - cos(pi / 32)) = 1.45 m)
    assert min(dist) == pytest.approx(300.0, abs=1.5)
    assert max(dist) == pytest.approx(300.0, abs=0.5)
    assert uncertainty_band(yellow_line, 0.0).is_empty
