"""Partition invariants: zones cover the boundary without overlap, whatever the input order."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString

from geo.errors import PartitionError
from geo.geometry.borders import Borders
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.measure import geodesic_area_m2
from geo.geometry.partition import (
    offset_line,
    partition_by_line,
    partition_by_lines,
    partition_by_zone_polygon,
)
from tests.conftest import SQUARE, SQUARE_BORDERS

# Lines that run north to south across the square: ends outside, interior vertices inside,
# latitudes strictly decreasing so the line never crosses itself.
xs = st.floats(34.31, 34.39, allow_nan=False)


@st.composite
def crossing_lines(draw):
    n = draw(st.integers(0, 6))
    lats = sorted(draw(st.lists(st.floats(31.405, 31.495), min_size=n, max_size=n,
                                unique=True)), reverse=True)
    pts = [(draw(xs), 31.51)] + [(draw(xs), y) for y in lats] + [(draw(xs), 31.39)]
    return LineString(pts)


def _areas(p):
    return {k: geodesic_area_m2(v) for k, v in p.zones.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crossing_lines())
def test_zones_cover_the_boundary_without_overlap(line):
    p = partition_by_line(SQUARE, line, SQUARE_BORDERS)
    a = _areas(p)
    total = geodesic_area_m2(SQUARE)
    assert abs(a["east"] + a["west"] - total) / total < 1e-9
    overlap = to_laea(p.zones["east"]).intersection(to_laea(p.zones["west"])).area
    assert overlap / to_laea(SQUARE).area < 1e-9
    assert shapely.union_all(list(p.zones.values())).symmetric_difference(SQUARE).area < 1e-12


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crossing_lines(), st.integers(0, 3), st.booleans())
def test_results_do_not_depend_on_direction_vertex_order_or_orientation(line, start, flip):
    ref = _areas(partition_by_line(SQUARE, line, SQUARE_BORDERS))
    ring = list(SQUARE.exterior.coords)[:-1]
    ring = ring[start:] + ring[:start]
    boundary = shapely.Polygon(ring[::-1] if flip else ring)
    got = _areas(partition_by_line(boundary, line.reverse(), SQUARE_BORDERS))
    for k in ("east", "west"):
        assert got[k] == pytest.approx(ref[k], rel=1e-9)


def test_east_is_the_zone_bordering_israel():
    p = partition_by_line(SQUARE, LineString([(34.38, 31.51), (34.38, 31.39)]), SQUARE_BORDERS)
    assert p.zones["east"].bounds[0] == pytest.approx(34.38)
    assert geodesic_area_m2(p.zones["east"]) < geodesic_area_m2(p.zones["west"])


def test_ends_short_of_the_boundary_are_extended_with_a_note():
    line = LineString([(34.35, 31.4995), (34.35, 31.4005)])  # ~55 m short at both ends
    p = partition_by_line(SQUARE, line, SQUARE_BORDERS)
    assert len(p.snaps[0]) == 2
    assert all(s.rule == "along" and 50 < s.distance_m < 60 for s in p.snaps[0])
    total = geodesic_area_m2(SQUARE)
    assert geodesic_area_m2(p.zones["east"]) / total == pytest.approx(0.5, abs=1e-3)


def test_an_end_too_far_inside_is_refused_with_the_distance():
    line = LineString([(34.35, 31.49), (34.35, 31.39)])  # ~1.1 km short in the north
    with pytest.raises(PartitionError, match=r"northern end stops 1\d{3} m inside"):
        partition_by_line(SQUARE, line, SQUARE_BORDERS)


def test_a_line_that_stops_short_is_never_answered_with_100_or_0_percent():
    line = LineString([(34.35, 31.45), (34.35, 31.39)])
    with pytest.raises(PartitionError):
        partition_by_line(SQUARE, line, SQUARE_BORDERS, snap_tolerance_m=100)


def test_a_line_along_the_boundary_is_refused():
    line = LineString([(34.29, 31.50), (34.35, 31.50), (34.35, 31.39)])
    with pytest.raises(PartitionError, match="runs along the outline for"):
        partition_by_line(SQUARE, line, SQUARE_BORDERS)


def test_a_line_with_a_gap_is_refused_with_its_size():
    line = MultiLineString([[(34.35, 31.51), (34.35, 31.46)], [(34.35, 31.44), (34.35, 31.39)]])
    with pytest.raises(PartitionError, match=r"gap of 2\.2 km"):
        partition_by_line(SQUARE, line, SQUARE_BORDERS)


def test_a_line_crossing_four_times_is_refused():
    line = LineString([(34.35, 31.51), (34.35, 31.45), (34.41, 31.45), (34.41, 31.44),
                       (34.35, 31.44), (34.35, 31.39)])
    with pytest.raises(PartitionError, match="crosses the outline 4 times"):
        partition_by_line(SQUARE, line, SQUARE_BORDERS)


def test_a_line_outside_is_refused():
    with pytest.raises(PartitionError, match="lies outside the outline"):
        partition_by_line(SQUARE, LineString([(34.5, 31.51), (34.5, 31.39)]), SQUARE_BORDERS)


@pytest.mark.parametrize("geom", [shapely.Point(34.35, 31.45), shapely.Polygon()])
def test_non_lines_are_refused(geom):
    with pytest.raises(PartitionError):
        partition_by_line(SQUARE, geom, SQUARE_BORDERS)


def test_zone_polygon_method_matches_a_geopandas_overlay(outline):
    import geopandas as gpd

    from geo.read.sources import resolve

    zone = resolve("idf-zone@2025-10-19", "zone").geometry
    p = partition_by_zone_polygon(outline, zone)
    a = gpd.GeoDataFrame(geometry=[outline], crs=4326)
    b = gpd.GeoDataFrame(geometry=[zone], crs=4326)
    inter = gpd.overlay(a, b, how="intersection").to_crs("EPSG:6933")
    assert geodesic_area_m2(p.zones["east"]) == pytest.approx(inter.area.sum(), rel=1e-4)


def test_offset_line_moves_by_the_distance(yellow_line):
    import numpy as np

    moved = to_laea(offset_line(yellow_line, 300))
    orig = to_laea(yellow_line)
    d = shapely.distance(orig, shapely.points(shapely.get_coordinates(moved)))
    # every point of an offset curve is at least the offset away; most exactly so
    assert d.min() > 299
    assert np.median(d) == pytest.approx(300, abs=1)


# --- beyond the square: random polygons with holes, two lines ----------------------------


@st.composite
def polygons_with_holes(draw):
    """A star-shaped polygon (radius varying by angle) around (34.35, 31.45) in metres,
    with up to two small square holes away from the vertical middle line."""
    n = draw(st.integers(6, 14))
    radii = draw(st.lists(st.floats(4000, 6000), min_size=n, max_size=n))
    phase = draw(st.floats(0, 2 * math.pi / n))
    ring = [(r * math.cos(phase + 2 * math.pi * k / n), r * math.sin(phase + 2 * math.pi * k / n))
            for k, r in enumerate(radii)]
    holes = []
    for cx in draw(st.lists(st.sampled_from([-2500.0, 2500.0]), max_size=2, unique=True)):
        cy = draw(st.floats(-1000, 1000))
        holes.append([(cx - 300, cy - 300), (cx + 300, cy - 300), (cx + 300, cy + 300),
                      (cx - 300, cy + 300)])
    return from_laea(shapely.Polygon(ring, holes)), ring


def _borders_east(poly):
    """The polygon's easternmost stretch (x > 3 km in the local CRS) plays the Israel border."""
    b = to_laea(poly)
    east = b.exterior.intersection(shapely.box(3000, -1e5, 1e5, 1e5))
    return Borders(from_laea(east), LineString(), LineString())


def _wiggly(x0, seed):
    rng = np.random.default_rng(seed)
    ys = np.linspace(7000, -7000, 8)
    xs = x0 + rng.uniform(-300, 300, len(ys))
    return from_laea(LineString(np.column_stack([xs, ys])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polygons_with_holes(), st.integers(0, 2**16), st.booleans(), st.integers(0, 5))
def test_two_lines_on_random_polygons_with_holes(poly_ring, seed, flip, start):
    poly, ring = poly_ring
    borders = _borders_east(poly)
    l1, l2 = _wiggly(800.0, seed), _wiggly(-800.0, seed + 1)
    p = partition_by_lines(poly, [l1, l2], borders, snap_tolerance_m=0)
    a = {k: geodesic_area_m2(v) for k, v in p.zones.items()}
    total = geodesic_area_m2(poly)
    assert list(a) == ["east", "between-1", "west"]
    assert abs(sum(a.values()) - total) / total < 1e-9
    zs = [to_laea(z) for z in p.zones.values()]
    for i in range(3):
        for j in range(i + 1, 3):
            assert zs[i].intersection(zs[j]).area / to_laea(poly).area < 1e-9
    # the same with reversed lines, another start vertex and the other ring orientation
    r = ring[start % len(ring):] + ring[:start % len(ring)]
    inner = [list(h.coords) for h in to_laea(poly).interiors]
    poly2 = from_laea(shapely.Polygon(r[::-1] if flip else r, inner))
    q = partition_by_lines(poly2, [l1.reverse(), l2.reverse()], borders, snap_tolerance_m=0)
    for k, v in q.zones.items():
        assert geodesic_area_m2(v) == pytest.approx(a[k], rel=1e-9)


def test_a_zone_polygon_partition_is_made_once_per_outline_and_polygon():
    from geo.geometry import partition
    from geo.read.sources import resolve

    b = resolve("gaza-outline", "boundary").geometry
    z = resolve("idf-zone", "zone").geometry
    first = partition.partition_by_zone_polygon(b, z, source="a")
    # the same outline and polygon (new objects, equal coordinates): the same partition
    again = partition.partition_by_zone_polygon(shapely.from_wkb(shapely.to_wkb(b)),
                                                shapely.from_wkb(shapely.to_wkb(z)), source="b")
    assert again is first
    other = partition.partition_by_zone_polygon(b, shapely.affinity.translate(z, 0.001))
    assert other is not first and other.zones["east"].area != first.zones["east"].area
    # a refusal is not remembered: it names each caller's source
    far = shapely.affinity.translate(z, 5.0)
    for name in ("x.geojson", "y.geojson"):
        with pytest.raises(PartitionError, match="does not overlap") as err:
            partition.partition_by_zone_polygon(b, far, source=name)
        assert err.value.source == name


def test_the_zone_polygon_bands_are_swept_once_per_partition_and_uncertainty():
    from geo.analysis.bands import polygon_bands
    from geo.analysis.uncertainty import LineUncertainty
    from geo.geometry import partition
    from geo.geometry.crs import to_laea
    from geo.read.sources import resolve

    b = resolve("gaza-outline", "boundary").geometry
    part = partition.partition_by_zone_polygon(b, resolve("idf-zone", "zone").geometry)
    planar = to_laea(shapely.force_2d(b), dense=True)
    u = LineUncertainty.of([100, 520])
    first = polygon_bands(part, planar, u)
    assert polygon_bands(part, to_laea(shapely.force_2d(b), dense=True),
                         LineUncertainty.of([100, 520])) is first
    wider = polygon_bands(part, planar, LineUncertainty.of([100, 600]))
    assert wider is not first and wider.to_east.area > first.to_east.area
    assert wider.to_west.area == first.to_west.area  # the side toward Israel is the same
