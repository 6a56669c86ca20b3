"""Pre-war population shares, against counts made here with json, shapely and EPSG:6933.

The expected side reads the packaged GeoJSON files with json, finds points in polygons
with shapely and measures areas in the EPSG:6933 equal-area projection (pyproj): none of
gazamap's reading, projection or measuring code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from geo.analysis import analyse
from geo.analysis.population import METHODS, population_shares
from geo.catalog import DATA_DIR
from geo.errors import InputError
from geo.read.features import Feature

TO_6933 = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


def _features(name: str) -> list[tuple[shapely.Geometry, dict[str, Any]]]:
    with open(Path(DATA_DIR) / name, encoding="utf-8") as fh:
        return [(shape(f["geometry"]), f["properties"]) for f in json.load(fh)["features"]]


def _area_6933(geom: shapely.Geometry) -> float:
    if geom.is_empty:
        return 0.0
    g = shapely.transform(geom.segmentize(1e-4), lambda xy: np.column_stack(
        TO_6933.transform(xy[:, 0], xy[:, 1])))
    return float(g.area)


def _spread_6933(pieces, zones) -> list[float]:
    """Each (population, polygon) spread evenly over its area in the zones (EPSG:6933)."""
    out = [0.0] * len(zones)
    for pop, poly in pieces:
        parts = [_area_6933(poly.intersection(z)) for z in zones]
        for k, a in enumerate(parts):
            out[k] += pop * a / sum(parts)
    return out


def _pct(counts: list[float]) -> list[float]:
    return [100 * c / sum(counts) for c in counts]


@pytest.fixture(scope="module")
def zones():
    part = analyse(governorates=False, population=False, outlines=False).partition
    return [("east", part.zones["east"]), ("west", part.zones["west"])]


@pytest.fixture(scope="module")
def figures(zones):
    return population_shares(zones)


def _estimate(zone, method: str) -> float:
    return next(e.share_pct for e in zone.estimates if e.method == method)


def test_community_points_match_an_independent_count(zones, figures):
    comms = [(g, p) for g, p in _features("pcbs_communities_2017.geojson") if p["pop2017"]]
    counts = [float(sum(p["pop2017"] for g, p in comms if z.covers(g))) for _, z in zones]
    assert sum(counts) == 1_813_941  # every community with a population falls in a zone
    expected = _pct(counts)
    for (zid, _), pct in zip(zones, expected, strict=True):
        assert _estimate(figures.zone(zid), "community-points") == pytest.approx(pct, abs=1e-9)
    assert expected[0] == pytest.approx(22.8, abs=0.05)  # PROVENANCE.md's orientation figure


def test_communities_spread_over_municipalities_match_an_independent_count(zones, figures):
    comms = [(g, p) for g, p in _features("pcbs_communities_2017.geojson") if p["pop2017"]]
    munis = _features("municipalities.geojson")
    pop = [0.0] * len(munis)
    for g, p in comms:
        holders = [j for j, (m, _) in enumerate(munis) if m.covers(g)]
        assert len(holders) == 1, p["name"]
        pop[holders[0]] += p["pop2017"]
    expected = _pct(_spread_6933([(pop[j], m) for j, (m, _) in enumerate(munis) if pop[j]],
                                 [z for _, z in zones]))
    for (zid, _), pct in zip(zones, expected, strict=True):
        got = _estimate(figures.zone(zid), "community-municipality")
        assert got == pytest.approx(pct, abs=1e-5)
    east_points = _estimate(figures.zone("east"), "community-points")
    assert expected[0] > east_points + 10  # farmland east of the line gets town dwellers


def test_governorates_spread_over_their_area_match_an_independent_count(zones, figures):
    govs = _features("pcbs_population_2023.geojson")
    assert sum(p["population_mid_2023"] for _, p in govs) == 2_226_544
    expected = _pct(_spread_6933([(p["population_mid_2023"], g) for g, p in govs],
                                 [z for _, z in zones]))
    for (zid, _), pct in zip(zones, expected, strict=True):
        assert _estimate(figures.zone(zid), "governorate-area") == pytest.approx(pct, abs=1e-5)
    assert expected[0] == pytest.approx(51, abs=1)  # PROVENANCE.md: "about 51 %"


def test_interval_is_the_range_of_the_methods(figures):
    for z in figures.zones:
        shares = [e.share_pct for e in z.estimates]
        assert [e.method for e in z.estimates] == list(METHODS)
        assert z.share_pct_low == min(shares) and z.share_pct_high == max(shares)
        assert z.share_pct == pytest.approx(sum(shares) / len(shares))
        assert z.population == round(z.share_pct / 100 * 2_226_544)
    assert sum(z.share_pct for z in figures.zones) == pytest.approx(100)
    east = figures.zone("east")
    assert east.share_pct_high - east.share_pct_low > 20  # the method matters enormously


def test_json_says_pre_war_and_nothing_about_now(figures):
    d = json.loads(json.dumps(figures.to_dict()))
    assert "pre-war" in d["basis"] and "2017" in d["basis"] and "2023" in d["basis"]
    assert "2017" in d["date"]
    assert "now" in d["note"] and "no post-war population geometry is public" in d["note"]
    assert [z["id"] for z in d["zones"]] == ["east", "west"]
    assert set(d["zones"][0]) >= {"id", "population", "share_pct", "share_pct_low",
                                  "share_pct_high", "estimates"}
    assert set(d["zones"][0]["estimates"][0]) >= {"method", "share_pct"}
    assert d["datasets"] == ["pcbs-communities@2017", "municipalities@2025-10-28",
                             "pcbs-population@2023"]
    # As Siafa has no population in the source: a fact of the packaged data, stated once
    # in its catalog notes (`gazamap datasets`), not a warning of every run
    assert not any("As Siafa" in w for w in d["warnings"])
    from geo.catalog import packaged_catalog
    assert "As Siafa has no population" in packaged_catalog().get("pcbs-communities").notes


# --- three zones with answers known by hand --------------------------------------------

EAST = shapely.box(34.36, 31.40, 34.40, 31.50)      # 4/10 of the width
BETWEEN = shapely.box(34.33, 31.40, 34.36, 31.50)   # 3/10
WEST = shapely.box(34.30, 31.40, 34.33, 31.50)      # 3/10
ZONES3 = [("east", EAST), ("between-1", BETWEEN), ("west", WEST)]


def _pt(x: float, y: float, pop: float | None, name: str) -> Feature:
    return Feature(shapely.Point(x, y), {"name": name, "pop2017": pop})


COMMS = [_pt(34.38, 31.45, 100, "A"), _pt(34.345, 31.45, 300, "B"),
         _pt(34.31, 31.45, 600, "C"), _pt(34.35, 31.46, None, "D")]
MUNIS = [Feature(shapely.box(34.33, 31.40, 34.40, 31.50), {"name": "M1"}),   # A and B
         Feature(shapely.box(34.30, 31.40, 34.33, 31.50), {"name": "M2"})]   # C
GOVS = [Feature(shapely.box(34.30, 31.40, 34.40, 31.50),
                {"name": "G", "population_mid_2023": 1000})]


def test_three_zones_by_hand():
    f = population_shares(ZONES3, communities=COMMS, municipalities=MUNIS, governorates=GOVS)
    # points: 100 / 300 / 600 of 1000
    # municipalities: M1's 400 over 7 tenths (4 east, 3 between), M2's 600 all west
    # governorate: 1000 over the width, 4/3/3
    expected = {"east": (10.0, 100 * 400 * 4 / 7 / 1000, 40.0),
                "between-1": (30.0, 100 * 400 * 3 / 7 / 1000, 30.0),
                "west": (60.0, 60.0, 30.0)}
    assert [z.id for z in f.zones] == ["east", "between-1", "west"]
    for z in f.zones:
        got = tuple(e.share_pct for e in z.estimates)
        assert got == pytest.approx(expected[z.id], rel=1e-6), z.id
        assert z.share_pct_low == pytest.approx(min(expected[z.id]), rel=1e-6)
        assert z.share_pct_high == pytest.approx(max(expected[z.id]), rel=1e-6)
    assert f.total_2017 == 1000 and f.total_2023 == 1000
    assert f.datasets == ()  # all data given by the caller
    assert f.warnings == ("community 'D' has no 2017 population in the source: left out",)


def test_points_just_outside_go_to_the_nearest_zone_far_ones_are_left_out():
    near = _pt(34.30 - 0.004, 31.45, 50, "near")   # ~380 m west of the west zone
    far = _pt(34.20, 31.45, 50, "far")             # ~9.5 km away
    f = population_shares(ZONES3, communities=[*COMMS[:3], near, far],
                          municipalities=MUNIS, governorates=GOVS)
    assert f.total_2017 == 1050
    west = f.zone("west")
    assert west.estimates[0].share_pct == pytest.approx(100 * 650 / 1050)
    assert any("'near' lies" in w and "nearest (west)" in w for w in f.warnings)
    assert any("'far' is" in w and "left out" in w for w in f.warnings)
    # 'near' lies in no municipality: it stays at its point in the municipality method too
    assert west.estimates[1].share_pct == pytest.approx(100 * 650 / 1050)


@pytest.mark.parametrize("zones, match", [
    ([], "no zone"),
    ([("east", EAST), ("east", WEST)], "given twice"),
    ([("east", shapely.LineString([(34.3, 31.4), (34.4, 31.5)]))], "LineString"),
])
def test_bad_zones_are_input_errors(zones, match):
    with pytest.raises(InputError, match=match) as err:
        population_shares(zones)
    assert err.value.source == "zones"


def test_population_datasets_say_pre_war_and_their_licence():
    from geo.catalog import packaged_catalog

    cat = packaged_catalog()
    comm, gov = cat.get("pcbs-communities@2017"), cat.get("pcbs-population@2023")
    assert "not stated by the republisher" in comm.licence and "PCBS" in comm.attribution
    assert "PCBS" in gov.attribution and "PCBS" in gov.source
    for ds in (comm, gov):
        assert "PRE-WAR" in ds.notes and "no post-war population geometry" in ds.notes
