"""Comparing two lines: golden figure against an independent estimate, symmetry, places."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely import Point

from geo.compare import compare_lines
from geo.errors import InputError
from geo.read.sources import Source, resolve

LINE = "yellow-line@2025-10-19"


def _utm_offset_west(line: shapely.LineString, metres: float) -> shapely.LineString:
    """The line moved ``metres`` to the west, offset in UTM 36N (not the library's CRS)."""
    fwd = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    inv = Transformer.from_crs("EPSG:32636", "EPSG:4326", always_xy=True)
    utm = shapely.transform(line, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))
    left, right = utm.offset_curve(metres), utm.offset_curve(-metres)
    west = left if left.centroid.x < right.centroid.x else right
    return shapely.transform(west, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))


@pytest.fixture(scope="module")
def moved_west(yellow_line):
    return Source(_utm_offset_west(yellow_line, 300.0), "19 Oct line moved 300 m west")


@pytest.fixture(scope="module")
def result(moved_west):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare_lines(LINE, moved_west).to_dict()


def test_golden_300m_west_moves_300m_times_the_length(result, yellow_line, outline,
                                                      golden_east_km2):
    # independent estimate: the geodesic length of the line inside the outline x 300 m
    inside = yellow_line.intersection(outline)
    length_m = Geod(ellps="WGS84").geometry_length(shapely.segmentize(inside, 0.0005))
    estimate_km2 = 300.0 * length_m / 1e6
    assert 13.0 < estimate_km2 < 14.5
    # moving west grows the east zone: positive, and within 4 % (bends and oblique ends)
    assert result["moved_km2"] == pytest.approx(estimate_km2, rel=0.04)
    assert result["to_west_km2"] == pytest.approx(0.0, abs=1e-6)
    assert result["to_east_km2"] == pytest.approx(result["moved_km2"], rel=1e-6)
    assert result["east_km2_b"] - result["east_km2_a"] == pytest.approx(result["moved_km2"])
    assert result["east_km2_a"] == pytest.approx(golden_east_km2, rel=2e-4)
    assert result["moved_pct"] == pytest.approx(100 * result["moved_km2"] / 363.2, rel=1e-3)


def test_displacement_of_a_parallel_line(result):
    d = result["displacement_m"]
    assert d["median"] == pytest.approx(300.0, abs=1.0)
    assert d["mean"] == pytest.approx(300.0, abs=5.0)
    assert d["signed_mean"] == pytest.approx(300.0, abs=5.0)  # positive: moved west
    assert 300.0 <= d["max"] < 340.0
    assert d["hausdorff"] >= d["max"]
    assert d["samples"] > 1500


def test_governorates_add_up_and_places_lie_in_the_moved_strip(result, moved_west):
    gov = result["governorates"]
    assert sum(g["to_east_km2"] for g in gov) == pytest.approx(result["to_east_km2"], rel=1e-3)
    changed = result["places_changed"]
    assert changed, "a 300 m move crosses inhabited neighbourhoods"
    a = resolve(LINE, "line").geometry
    for p in changed:
        assert (p["from"], p["to"]) == ("west", "east")
        pt = Point(p["lon"], p["lat"])
        # in the strip between the lines: near both (bends widen it; 1e-3 degree ~ 100 m)
        assert pt.distance(a) < 0.0045 and pt.distance(moved_west.geometry) < 0.0045
    assert set(result["places_checked"]) == {"places@2025-10-28", "neighbourhoods@2019-07-18"}
    assert {"gaza-outline@2017", LINE, "governorates@2025-10-28"} <= set(result["datasets"])


def test_swapping_a_and_b_flips_the_sign(moved_west, result):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = compare_lines(moved_west, LINE).to_dict()
    assert back["moved_km2"] == pytest.approx(-result["moved_km2"], rel=1e-9)
    assert back["to_west_km2"] == pytest.approx(result["to_east_km2"], rel=1e-6)
    assert {(p["to"], p["from"]) for p in back["places_changed"]} == {
        (p["from"], p["to"]) for p in result["places_changed"]}


def test_a_line_against_itself_moves_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = compare_lines(LINE, LINE).to_dict()
    assert r["moved_km2"] == 0.0
    assert r["displacement_m"]["max"] == pytest.approx(0.0, abs=1e-6)
    assert r["places_changed"] == []


def test_zone_polygon_against_its_line():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = compare_lines("idf-zone@2025-10-19", LINE).to_dict()
    assert r["a"]["method"] == "zone-polygon" and r["b"]["method"] == "line"
    # the README's alternative: the polygon method gives ~3.5 km² less east zone
    assert r["moved_km2"] == pytest.approx(3.5, abs=0.2)


def test_bad_sample_spacing_is_refused():
    with pytest.raises(InputError, match=r"sample spacing 0.0 m is below 1 m"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compare_lines(LINE, LINE, sample_m=0.0)


def test_the_comparison_is_frozen_and_typed_and_its_json_comes_from_its_parts(moved_west):
    import dataclasses

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = compare_lines(LINE, moved_west)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.to_east_km2 = 0.0  # type: ignore[misc]
    # the parts a map does not show are computed when first read, once
    assert not {"displacement", "governorates", "_place_part"} & set(c.__dict__)
    assert c.displacement is c.displacement
    d = c.to_dict()
    assert d["displacement_m"]["median"] == c.displacement.median_m
    assert (d["east_km2_a"], d["share_pct_b"]) == (c.a.east_km2, c.b.share_pct)
    assert d["a"]["dataset"] == c.a.ref == LINE
    assert [g["moved_km2"] for g in d["governorates"]] == [g.moved_km2 for g in c.governorates]
    assert [(p["from"], p["to"]) for p in d["places_changed"]] == [
        (p.from_zone, p.to_zone) for p in c.places_changed]
    assert d["method"]["cross_check"]["relative_mismatch"] == c.relative_mismatch
    # the map's pieces leave out slivers only: they add up to the land that changed zone
    assert c.between.total_km2 == pytest.approx(c.changed_km2, abs=1e-3)
