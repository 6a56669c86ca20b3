"""Line depth and strip length/width on synthetic shapes whose answers are known exactly.

The shapes are drawn in metres in the local Lambert azimuthal equal-area CRS (built here
with pyproj, not with the product's geo.geometry.crs), densified every 20 m so that their edges
stay straight in that CRS, and handed to the functions in lon/lat.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geo.geometry.shape_metrics import line_depth, stat, strip_profile, width_at

LAEA = "+proj=laea +lat_0=31.42 +lon_0=34.39 +datum=WGS84 +units=m +no_defs"
_TO_LL = Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)
W, L = 8000.0, 40000.0  # the rectangle: x in [0, W] (east side = the "Israel border")


def ll(g: shapely.Geometry) -> shapely.Geometry:
    g = shapely.segmentize(g, 20.0)
    return shapely.transform(g, lambda c: np.column_stack(_TO_LL.transform(c[:, 0], c[:, 1])))


@pytest.fixture(scope="module")
def rect() -> shapely.Geometry:
    return ll(shapely.box(0, 0, W, L))


EAST = ll(shapely.LineString([(W, 0), (W, L)]))
SOUTH = ll(shapely.LineString([(0, 0), (W, 0)]))


def test_a_parallel_line_has_one_depth(rect: shapely.Geometry) -> None:
    line = ll(shapely.LineString([(W - 2000, -500), (W - 2000, L + 500)]))  # ends outside
    d = line_depth(line, rect, EAST)
    for s in ("min", "median", "max"):
        assert stat(d.depths_km, s) == pytest.approx(2.0, abs=2e-3)
    assert d.excluded_nearer_other == 0


def test_a_slanted_line_goes_from_one_to_five_km(rect: shapely.Geometry) -> None:
    line = ll(shapely.LineString([(W - 1000, 0), (W - 5000, L)]))
    d = line_depth(line, rect, EAST, sample_m=25)
    assert stat(d.depths_km, "min") == pytest.approx(1.0, abs=2e-3)
    assert stat(d.depths_km, "max") == pytest.approx(5.0, abs=2e-3)
    assert stat(d.depths_km, "median") == pytest.approx(3.0, abs=0.01)


def test_points_nearer_the_other_border_are_left_out(rect: shapely.Geometry) -> None:
    # a line 2 km from the east side, 1 km ... L from the south side: the stretch within
    # 2 km of the south side is nearer to it (the "Egypt border") and left out
    line = ll(shapely.LineString([(W - 2000, 0), (W - 2000, L)]))
    d = line_depth(line, rect, EAST, other_border=SOUTH, sample_m=100)
    assert d.excluded_nearer_other == pytest.approx(20, abs=1)  # 2 km / 100 m
    assert stat(d.depths_km, "max") == pytest.approx(2.0, abs=2e-3)
    # a line turning west 3 km from the south side: its points more than 3 km from the
    # east side are nearer the south side, so the deepest point kept is 3 km deep
    bend = ll(shapely.LineString([(W - 2000, L), (W - 2000, 3000), (0, 3000)]))
    d = line_depth(bend, rect, EAST, other_border=SOUTH, sample_m=10)
    assert stat(d.depths_km, "max") == pytest.approx(3.0, abs=0.011)
    assert stat(line_depth(bend, rect, EAST).depths_km, "max") == pytest.approx(8.0, abs=2e-3)


def test_depth_within_an_area(rect: shapely.Geometry) -> None:
    line = ll(shapely.LineString([(W - 1000, 0), (W - 5000, L)]))
    north_half = ll(shapely.box(0, L / 2, W, L))
    d = line_depth(line, rect, EAST, within=north_half, sample_m=25)
    assert stat(d.depths_km, "min") == pytest.approx(3.0, abs=5e-3)
    assert d.outside_within > 0
    with pytest.raises(ValueError, match="no point"):
        line_depth(line, rect, EAST, within=ll(shapely.box(W + 1, 0, W + 2, 1)))


def test_rectangle_length_and_width(rect: shapely.Geometry) -> None:
    p = strip_profile(rect)
    assert p.length_km == pytest.approx(L / 1000, abs=2e-3)
    for s in ("min", "median", "max"):
        assert stat(p.widths_km, s) == pytest.approx(W / 1000, abs=2e-3)
    assert p.tips_km == (0.0, 0.0)
    assert p.axis_bearing_deg == pytest.approx(0.0, abs=0.01) or \
        p.axis_bearing_deg == pytest.approx(180.0, abs=0.01)


def test_trapezoid_widths_and_a_tip() -> None:
    # x from 0 to 6 + 6 y / L km, plus a 3 km triangular tip below y = 0
    trap = ll(shapely.Polygon([(0, 0), (6000, 0), (12000, L), (0, L)]))
    p = strip_profile(trap, step_m=100, tip_m=0)
    assert p.length_km == pytest.approx(L / 1000, abs=2e-3)
    assert stat(p.widths_km, "min") == pytest.approx(6.0, abs=0.02)
    assert stat(p.widths_km, "max") == pytest.approx(12.0, abs=0.02)
    assert stat(p.widths_km, "median") == pytest.approx(9.0, abs=0.02)
    tipped = ll(shapely.Polygon([(0, -3000), (6000, 0), (6000, L), (0, L)]))
    kept = strip_profile(tipped, tip_m=0)  # no tip left out: the widths go to ~0
    assert stat(kept.widths_km, "min") < 0.2
    cut = strip_profile(tipped, tip_m=4000)
    assert cut.tips_km[0] == pytest.approx(3.0, abs=0.11) and cut.tips_km[1] == 0.0
    assert stat(cut.widths_km, "min") == pytest.approx(6.0, abs=0.01)
    # a taper longer than tip_m is the strip's own shape, and stays
    assert stat(strip_profile(tipped, tip_m=2000).widths_km, "min") < 0.2


def test_width_at_a_point(rect: shapely.Geometry) -> None:
    x, y = _TO_LL.transform(3000.0, 12000.0)
    assert width_at(rect, x, y) == pytest.approx(W / 1000, abs=2e-3)


def test_bad_parameters(rect: shapely.Geometry) -> None:
    with pytest.raises(ValueError):
        strip_profile(rect, step_m=0)
    with pytest.raises(ValueError):
        stat((), "min")
    with pytest.raises(ValueError):
        stat((1.0,), "mean")


@pytest.mark.parametrize("ref", ["gaza-outline", "ocha-outline"])
def test_cross_sections_equal_geos_intersections(ref: str) -> None:
    """The widths by edge crossings are GEOS's line-polygon intersection lengths."""
    from geo.geometry.shape_metrics import _axis, _cuts
    from geo.read.sources import resolve

    po, u, v = _axis(resolve(ref, "boundary").geometry)
    s = shapely.get_coordinates(po) @ u
    positions = np.random.default_rng(3).uniform(s.min(), s.max(), 60)
    reach = 1e5
    lines = [shapely.LineString([p * u - reach * v, p * u + reach * v]) for p in positions]
    geos = shapely.length(shapely.intersection(np.asarray(lines), po))
    assert np.abs(_cuts(po, u, v, positions) - geos).max() < 1e-6
    assert (geos > 0).all()


def test_cross_sections_of_polygons_with_holes_equal_geos() -> None:
    """Several parts, holes, sections outside, repeated and unsorted positions."""
    from geo.geometry.shape_metrics import _cuts

    rng = np.random.default_rng(11)
    for _ in range(25):
        blobs = shapely.buffer(shapely.multipoints(rng.uniform(0, 1000, (30, 2))),
                               rng.uniform(20, 120))
        ang = rng.uniform(0, np.pi)
        u, v = np.array([np.cos(ang), np.sin(ang)]), np.array([-np.sin(ang), np.cos(ang)])
        s = shapely.get_coordinates(blobs) @ u
        positions = rng.uniform(s.min() - 50, s.max() + 50, 80)
        positions[:5] = positions[5]
        lines = [shapely.LineString([p * u - 1e5 * v, p * u + 1e5 * v]) for p in positions]
        geos = shapely.length(shapely.intersection(np.asarray(lines), blobs))
        assert np.abs(_cuts(blobs, u, v, positions) - geos).max() < 1e-6


def test_sampling_gives_the_points_geos_gives_bit_for_bit():
    # interpolate_along replaces shapely.line_interpolate_point (which walks the line from
    # its start for every point): the depths and displacements must not move by a bit
    import numpy as np
    import shapely

    from geo.geometry.crs import to_laea
    from geo.geometry.sampling import interpolate_along, sample_points
    from geo.read.sources import resolve

    rng = np.random.default_rng(3)
    lines = [to_laea(resolve("yellow-line", "line").geometry, dense=True),
             shapely.LineString(to_laea(resolve("gaza-outline", "boundary").geometry,
                                        dense=True).exterior.coords)]
    for k in range(60):
        xy = np.cumsum(rng.normal(0, rng.uniform(1, 500), (int(rng.integers(2, 300)), 2)),
                       axis=0)
        if k % 5 == 0:
            xy[1:4] = xy[1]  # repeated vertices: segments of length 0
        lines.append(shapely.LineString(xy))
    for ln in lines:
        for step in (50.0, 7.3, 1000.0):
            n = max(int(np.ceil(ln.length / step)), 1)
            ds = np.concatenate([[-1.0, -ln.length * 3, -ln.length / 3],
                                 np.linspace(0, ln.length, n + 1), [ln.length * 2]])
            want = shapely.get_coordinates(shapely.line_interpolate_point(ln, ds))
            assert np.array_equal(interpolate_along(ln, ds), want)
    multi = shapely.MultiLineString([lines[2], shapely.LineString([(0, 0), (0, 0)]), lines[3]])
    pts = sample_points(multi, 100.0)
    assert len(pts) == sum(int(np.ceil(g.length / 100.0)) + 1 for g in lines[2:4])
    assert len(sample_points(shapely.LineString(), 10.0)) == 0


def test_distances_to_a_line_are_shapely_distances_bit_for_bit():
    from geo.geometry.crs import to_laea
    from geo.geometry.sampling import distances_to
    from geo.read.sources import borders_for, resolve

    borders = borders_for(resolve("gaza-outline", "boundary").geometry)
    rng = np.random.default_rng(5)
    pts = shapely.points(rng.uniform(-30_000, 30_000, (3000, 2)))
    for kind in ("israel", "egypt", "sea"):
        line = to_laea(borders.get(kind), dense=True)
        assert np.array_equal(distances_to(pts, line), shapely.distance(pts, line))
    assert len(distances_to(np.array([], dtype=object), line)) == 0
    assert np.isnan(distances_to(pts[:2], shapely.LineString())).all()
