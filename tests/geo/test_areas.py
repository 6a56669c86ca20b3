"""The areas report: shares, denominators, interval, governorates, alternatives."""

from __future__ import annotations

import pytest
import shapely

from geo.areas import band_area_km2, compute_areas
from geo.crs import from_laea, to_laea
from geo.errors import InputError
from geo.measure import geodesic_area_m2
from geo.sources import resolve


@pytest.fixture(scope="module")
def report():
    return compute_areas()


def test_zone_areas_add_up_to_the_outline(report):
    total = report.boundary["area_km2"]
    east, west = report.zone("east"), report.zone("west")
    assert abs(east["area_km2"] + west["area_km2"] - total) / total < 1e-9
    assert east["share_pct"] + west["share_pct"] == pytest.approx(100, abs=1e-9)


def test_outline_area_is_geodesic_and_cross_checked(report, outline):
    assert report.boundary["area_km2"] == pytest.approx(geodesic_area_m2(outline) / 1e6)
    assert abs(report.method["cross_check"]["relative_difference"]) < 1e-4
    assert report.boundary["dataset"] == "gaza-outline@2017"
    assert report.line["dataset"] == "yellow-line@2025-10-19"


def test_shares_of_conventional_and_user_denominators():
    r = compute_areas(denominators_km2=(363.0,))
    east = r.zone("east")
    assert set(east["share_pct_of"]) == {"365", "360", "363"}
    for key, pct in east["share_pct_of"].items():
        assert pct == pytest.approx(100 * east["area_km2"] / float(key))


def test_interval_brackets_the_central_share_and_grows_with_u(report):
    east = report.zone("east")
    assert east["share_pct_low"] < east["share_pct"] < east["share_pct_high"]
    wide = compute_areas(uncertainty_m=600).zone("east")
    assert wide["share_pct_low"] < east["share_pct_low"]
    assert wide["share_pct_high"] > east["share_pct_high"]
    # ±u moves about u x line length (~46 km) of land: 300 m -> ~13.8 km² -> ~3.8 %
    width = east["share_pct_high"] - east["share_pct_low"]
    approx = 2 * 0.300 * 46.07 / report.boundary["area_km2"] * 100
    assert width == pytest.approx(approx, rel=0.25)


def test_zero_uncertainty_gives_a_point_interval():
    east = compute_areas(uncertainty_m=0).zone("east")
    assert east["share_pct_low"] == east["share_pct"] == east["share_pct_high"]


def test_west_zone_has_no_border_with_egypt_and_east_has_it(report):
    west, east = report.zone("west"), report.zone("east")
    assert west["shares_border"] == {"israel": False, "egypt": False, "sea": True}
    assert east["borders_km"]["egypt"] == pytest.approx(
        report.borders.lengths_km()["egypt"], rel=1e-3)


def test_governorates_add_up(report):
    assert len(report.governorates) == 5
    for g in report.governorates:
        z = g["zones"]
        assert z["east"]["area_km2"] + z["west"]["area_km2"] == pytest.approx(g["area_km2"])
        assert g["name_ar"]
    total = sum(g["zones"]["east"]["area_km2"] for g in report.governorates)
    # governorates are clipped municipalities: they cover the outline to ~0.01 %
    assert total == pytest.approx(report.zone("east")["area_km2"], rel=1e-3)


def test_governorate_shares_against_an_independent_overlay(report):
    """Rafah's east share recomputed with geopandas overlay in EPSG:6933."""
    import geopandas as gpd

    govs = gpd.GeoDataFrame(
        [{"name": f.properties["name"]} for f in resolve("governorates", "boundary").features],
        geometry=[f.geometry for f in resolve("governorates", "boundary").features], crs=4326)
    east = gpd.GeoDataFrame(geometry=[report.partition.zones["east"]], crs=4326)
    inter = gpd.overlay(govs, east, how="intersection").to_crs("EPSG:6933")
    inter["a"] = inter.area
    by_name = dict(zip(inter["name"], inter["a"], strict=True))
    for g in report.governorates:
        assert g["zones"]["east"]["area_km2"] == pytest.approx(by_name[g["name"]] / 1e6, rel=1e-4)


def test_alternative_zone_polygon_figure_is_reported_with_its_difference(report):
    (alt,) = report.alternatives
    assert alt["dataset"] == "idf-zone@2025-10-19"
    east = alt["zones"][0]["area_km2"]
    assert alt["difference_km2"] == pytest.approx(report.zone("east")["area_km2"] - east)
    assert 0 < alt["difference_km2"] < 10
    assert "slivers" in alt["explanation"]


def test_a_zone_polygon_as_line_uses_the_polygon_method():
    r = compute_areas(line="idf-zone@2025-10-19")
    assert r.line["method"] == "zone-polygon"
    assert r.alternatives == []


def test_band_area_matches_a_direct_buffer(outline, outline_borders):
    a = band_area_km2(outline, outline_borders.egypt, 100)
    band = from_laea(to_laea(outline_borders.egypt, dense=True).buffer(100))
    assert a == pytest.approx(geodesic_area_m2(band.intersection(outline)) / 1e6)
    # ~12.7 km of border x 100 m, less what falls outside the outline (about half)
    assert 0.5 < a < 1.4
    assert band_area_km2(outline, shapely.LineString(), 100) == 0.0


@pytest.mark.parametrize("kw,match", [({"uncertainty_m": -1}, "negative"),
                                      ({"denominators_km2": (0.0,)}, "not positive")])
def test_bad_options_are_refused(kw, match):
    with pytest.raises(InputError, match=match):
        compute_areas(**kw)


@pytest.mark.parametrize("u", [150.0, 300.0, 600.0])
def test_interval_equals_resplitting_by_the_offset_lines(u, outline, outline_borders):
    """The interval hands over the one-sided band; re-splitting by offset lines agrees."""
    import warnings

    from geo.partition import PartitionWarning, offset_line, partition_by_line

    r = compute_areas(uncertainty_m=u)
    total = geodesic_area_m2(outline)
    shares = []
    for off in (-u, u):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PartitionWarning)
            p = partition_by_line(outline, offset_line(r.partition.line, off), outline_borders,
                                  snap_tolerance_m=3 * u)
        shares.append(100 * geodesic_area_m2(p.zones["east"]) / total)
    east = r.zone("east")
    assert east["share_pct_low"] == pytest.approx(min(shares), abs=0.01)
    assert east["share_pct_high"] == pytest.approx(max(shares), abs=0.01)
