"""Border classification of the outline: Israel, Egypt, sea."""

from __future__ import annotations

import pytest
from pyproj import Geod

from geo.geometry.borders import shared_length_m


def test_border_lengths_add_up_to_the_exterior(outline, outline_borders):
    lengths = outline_borders.lengths_km()
    ext = Geod(ellps="WGS84").geometry_length(outline.exterior.segmentize(0.0005)) / 1000
    assert sum(lengths.values()) == pytest.approx(ext, rel=1e-3)


def test_egypt_border_runs_from_the_tripoint_to_the_sea(outline_borders):
    """The border is nearly straight: its length is a little over the distance between
    its ends (tripoint near Kerem Shalom and the coast, from the landmarks)."""
    _, _, d = Geod(ellps="WGS84").inv(34.26725, 31.22004, 34.21891, 31.32325)
    length = outline_borders.lengths_km()["egypt"] * 1000
    assert d < length < 1.10 * d


def test_israel_border_is_the_longest(outline_borders):
    lengths = outline_borders.lengths_km()
    assert lengths["israel"] > lengths["sea"] > lengths["egypt"] > 0


def test_shared_length_of_the_whole_outline_is_the_border(outline, outline_borders):
    assert shared_length_m(outline, outline_borders.egypt) / 1000 == pytest.approx(
        outline_borders.lengths_km()["egypt"], rel=1e-6)


def _bitten(depth_deg: float, y0: float, y1: float):
    """Israel land east of the square (lon 34.40) with a bite out of its edge."""
    import shapely

    return shapely.box(34.40, 31.38, 34.50, 31.52).difference(
        shapely.box(34.40, y0, 34.40 + depth_deg, y1))


def test_a_short_gap_between_two_land_stretches_is_land_not_sea(square):
    """A boundary that strays 150 m from the neighbour over 600 m (beyond the 100 m
    tolerance) keeps one Israel stretch; a 2 km stray stays sea (longer than the bridge)."""
    import shapely
    from pyproj import Geod

    from geo.geometry.borders import BRIDGE_MAX_M, classify_borders

    far = shapely.box(34.0, 31.0, 34.01, 31.01)  # Egypt far away: no Egypt border
    geod = Geod(ellps="WGS84")
    east_edge_km = geod.inv(34.40, 31.40, 34.40, 31.50)[2] / 1000
    # 150 m of longitude at 31.45 N is 0.00158 degree; 600 m of latitude 0.0054 degree
    short = classify_borders(square, _bitten(0.00158, 31.45, 31.4554), far)
    assert short.israel.geom_type == "LineString" and short.sea.geom_type == "LineString"
    # the 100 m tolerance also takes 100 m of the north and south edges at the corners
    assert short.lengths_km()["israel"] == pytest.approx(east_edge_km + 0.2, abs=2e-3)
    gap_km = geod.inv(34.40, 31.45, 34.40, 31.468)[2] / 1000
    assert gap_km * 1000 > BRIDGE_MAX_M
    long = classify_borders(square, _bitten(0.00158, 31.45, 31.468), far)
    assert long.israel.geom_type == "MultiLineString"
    # the sea stretch is the bite less 100 m at each end (still within the tolerance)
    assert long.lengths_km()["israel"] == pytest.approx(east_edge_km + 0.4 - gap_km, abs=2e-3)


def test_a_gap_at_the_tripoint_goes_to_the_nearer_neighbour(square):
    """Israel east of the square, Egypt south of it, and the boundary 150-300 m away from
    both around the corner: the gap is shared out, none of it is sea."""
    import shapely
    from pyproj import Geod

    from geo.geometry.borders import classify_borders

    israel = shapely.box(34.40, 31.40, 34.50, 31.52).difference(
        shapely.box(34.40, 31.40, 34.4032, 31.4027))  # ~300 m x 300 m off the corner
    egypt = shapely.box(34.28, 31.30, 34.40, 31.40).difference(
        shapely.box(34.397, 31.3975, 34.40, 31.40))
    b = classify_borders(square, israel, egypt)
    geod = Geod(ellps="WGS84")
    east_km = geod.inv(34.40, 31.40, 34.40, 31.50)[2] / 1000
    south_km = geod.inv(34.30, 31.40, 34.40, 31.40)[2] / 1000
    lengths = b.lengths_km()
    # + 100 m of the north edge (Israel) and of the west edge (Egypt) within the tolerance
    assert lengths["israel"] + lengths["egypt"] == pytest.approx(east_km + south_km + 0.2,
                                                                 abs=2e-3)
    assert b.sea.geom_type == "LineString"
    assert lengths["israel"] > east_km - 0.5 and lengths["egypt"] > south_km - 0.5


def test_the_stretch_near_both_neighbours_goes_to_the_nearer_one(square):
    """Israel touches the square's east edge, Egypt its south edge: the outline within
    100 m of both (the last 100 m of each edge at the corner) goes to the nearer country,
    not all to Israel. Expected lengths from pyproj.Geod on the edges themselves."""
    import shapely

    from geo.geometry.borders import TRIPOINT_RULE, classify_borders

    israel = shapely.box(34.40, 31.40, 34.50, 31.52)
    egypt = shapely.box(34.28, 31.30, 34.40, 31.40)
    b = classify_borders(square, israel, egypt)
    geod = Geod(ellps="WGS84")
    east_km = geod.inv(34.40, 31.40, 34.40, 31.50)[2] / 1000
    south_km = geod.inv(34.30, 31.40, 34.40, 31.40)[2] / 1000
    lengths = b.lengths_km()
    # the corner piece of each edge lies on its own country (distance 0): the south
    # edge is all Egypt's (the old rule gave its last 100 m to Israel), and each gets
    # 100 m of the far edges it approaches within the tolerance
    assert lengths["egypt"] == pytest.approx(south_km + 0.1, abs=0.012)
    assert lengths["israel"] == pytest.approx(east_km + 0.1, abs=0.012)
    assert "nearer country" in TRIPOINT_RULE
