"""Geodesic and planar measurement, checked against independent equal-area projections."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Transformer
from shapely import LineString

from geo.geometry.measure import (
    geodesic_area_m2,
    geodesic_length_m,
    planar_area_m2,
    planar_length_m,
)


def _area_in(geom: shapely.Geometry, crs: str) -> float:
    """Area in an independent equal-area CRS, densified so edges follow lon/lat lines."""
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    dense = shapely.segmentize(geom, 0.0002)
    return shapely.transform(dense, lambda c: __import__("numpy").column_stack(
        tr.transform(c[:, 0], c[:, 1]))).area


@pytest.mark.parametrize("crs", ["EPSG:6933", "+proj=aea +lat_1=31 +lat_2=32 +lat_0=31.4 "
                                 "+lon_0=34.4 +datum=WGS84"])
def test_outline_area_matches_independent_equal_area_crs(outline, crs):
    g = geodesic_area_m2(outline)
    assert g == pytest.approx(_area_in(outline, crs), rel=1e-5)


def test_planar_cross_check_agrees_to_better_than_001_percent(outline):
    assert abs(planar_area_m2(outline) / geodesic_area_m2(outline) - 1) < 1e-4


def test_web_mercator_would_inflate_gaza_by_about_38_percent(outline):
    merc = _area_in(outline, "EPSG:3857")
    assert 1.35 < merc / geodesic_area_m2(outline) < 1.40


def test_orientation_and_vertex_order_do_not_matter(polygon_with_hole):
    a = geodesic_area_m2(polygon_with_hole)
    flipped = shapely.Polygon(polygon_with_hole.exterior.coords[::-1],
                              [polygon_with_hole.interiors[0].coords[::-1]])
    coords = list(polygon_with_hole.exterior.coords)[:-1]
    rotated = shapely.Polygon(coords[2:] + coords[:2], [polygon_with_hole.interiors[0]])
    assert geodesic_area_m2(flipped) == pytest.approx(a, rel=1e-12)
    assert geodesic_area_m2(rotated) == pytest.approx(a, rel=1e-12)


def test_holes_are_subtracted(square, polygon_with_hole):
    hole = shapely.Polygon(polygon_with_hole.interiors[0])
    assert geodesic_area_m2(polygon_with_hole) == pytest.approx(
        geodesic_area_m2(square) - geodesic_area_m2(hole), rel=1e-12)


def test_multipolygon_is_the_sum_of_its_parts(multipolygon):
    parts = sum(geodesic_area_m2(p) for p in multipolygon.geoms)
    assert geodesic_area_m2(multipolygon) == pytest.approx(parts, rel=1e-12)


@pytest.mark.parametrize("empty", [None, shapely.Polygon(), LineString(), shapely.Point(34, 31)])
def test_empty_and_non_areal_inputs_have_no_area(empty):
    assert geodesic_area_m2(empty) == 0.0
    assert planar_area_m2(None) == 0.0


def test_lengths_geodesic_and_planar_agree_near_gaza():
    line = LineString([(34.25, 31.25), (34.45, 31.55)])
    assert geodesic_length_m(line) == pytest.approx(planar_length_m(line), rel=1e-4)
    # a degree of latitude near 31.4 N is ~110.9 km (WGS84 meridian arc)
    assert geodesic_length_m(LineString([(34.3, 31.0), (34.3, 32.0)])) == pytest.approx(
        110_900, rel=2e-3)


def test_polygon_length_is_its_perimeter(square):
    assert geodesic_length_m(square) == pytest.approx(geodesic_length_m(square.exterior))


def test_the_ring_memo_is_bounded_and_gives_what_measuring_gives(monkeypatch):
    import shapely

    from geo._memo import Memo
    from geo.geometry import measure

    monkeypatch.setattr(measure, "_RING_AREAS", Memo(3, max_key_bytes=32 * 2**20))
    boxes = [shapely.box(34.3 + i / 100, 31.4, 34.305 + i / 100, 31.405) for i in range(5)]
    first = [measure.geodesic_area_m2(b) for b in boxes]
    assert len(measure._RING_AREAS) == 3
    assert measure._RING_AREAS.key_bytes == sum(len(k) for k in measure._RING_AREAS)
    # a ring read from the memo and one measured again agree, whatever the orientation
    again = [measure.geodesic_area_m2(b.reverse()) for b in boxes]
    assert again == first
    # independent figure: ~0.005° x 0.005° at 31.4° N is about 0.475 x 0.555 km
    assert 0.25e6 < first[0] < 0.28e6
