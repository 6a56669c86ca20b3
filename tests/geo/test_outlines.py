"""The OCHA outline and outline sensitivity, against computations made here from the files.

The expected figures are computed in this module from the GeoJSON files (json, shapely,
pyproj.Geod and the EPSG:6933 equal-area projection), never through gazamap's own
reading, projection, measuring or splitting code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import shape
from shapely.ops import split

from geo.analysis.outlines import PACKAGED_OUTLINES, share_spread_pct
from geo.analysis.sensitivity import outline_sensitivity
from geo.catalog import DATA_DIR
from geo.errors import InputError
from geo.read.sources import borders_for, resolve

ROOT = Path(__file__).resolve().parents[2]
SRC = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")
            if (d / "PROVENANCE.md").exists()), None)
GEOD = Geod(ellps="WGS84")
TO_6933 = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
FROM_6933 = Transformer.from_crs("EPSG:6933", "EPSG:4326", always_xy=True)


def _geoms(path: Path) -> list[shapely.Geometry]:
    with open(path, encoding="utf-8") as fh:
        return [shape(f["geometry"]) for f in json.load(fh)["features"]]


def _geod_km2(geom: shapely.Geometry) -> float:
    """Geodesic km², edges densified to ~10 m so that they follow the lon/lat edges."""
    total = 0.0
    for poly in shapely.get_parts(geom):
        area, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(poly.segmentize(1e-4)))
        total += area
    return total / 1e6


def _to_6933(geom: Any) -> Any:
    return shapely.transform(geom.segmentize(1e-4), lambda xy: np.column_stack(
        TO_6933.transform(xy[:, 0], xy[:, 1])))


def _east_share_6933(outline: shapely.Geometry, line: shapely.LineString) -> tuple[float, float]:
    """(east km², east % of the outline): split in EPSG:6933 with shapely.ops.split.

    The line's ends stop a few metres short of the coast: each is extended 2 km along its
    last segment (out to sea). The east zone is the piece that holds the outline's
    easternmost vertex (on the Israel fence).
    """
    poly = _to_6933(outline)
    xy = shapely.get_coordinates(_to_6933(line))
    ends = []
    for a, b in ((xy[1], xy[0]), (xy[-2], xy[-1])):
        d = (b - a) / np.hypot(*(b - a))
        ends.append(b + 2000 * d)
    long_line = shapely.LineString(np.vstack([ends[0], xy, ends[1]]))
    pieces = list(split(poly, long_line).geoms)
    assert len(pieces) == 2
    east_pt = shapely.Point(max(shapely.get_coordinates(poly), key=lambda c: c[0]))
    east = next(p for p in pieces if p.buffer(1e-6).covers(east_pt))
    return east.area / 1e6, 100 * east.area / poly.area


@pytest.fixture(scope="module")
def sensitivity():
    return outline_sensitivity("yellow-line@2025-10-19")


@pytest.mark.skipif(SRC is None, reason="shared source data not beside the repo")
def test_ocha_outline_is_the_union_of_the_source_polygons_with_the_gaps_filled():
    assert SRC is not None
    polys = [shapely.make_valid(g) for g in _geoms(SRC / "ocha_municipal_boundaries_2019.geojson")]
    assert len(polys) == 33
    union = shapely.union_all(polys)
    assert union.geom_type == "Polygon"
    gaps = [_geod_km2(shapely.Polygon(r)) * 1e6 for r in union.interiors]
    assert len(gaps) == 63 and max(gaps) < 10_000  # every hole is a sliver, all filled
    expected = _geod_km2(shapely.Polygon(union.exterior))
    assert expected == pytest.approx(364.93, abs=0.01)
    packaged = resolve("ocha-outline", "boundary")
    assert packaged.dataset is not None and packaged.dataset.ref == "ocha-outline@2019-07-18"
    assert not packaged.geometry.interiors
    # coordinates are rounded to 1e-7 degree (~1 cm) when packaged
    assert _geod_km2(packaged.geometry) == pytest.approx(expected, rel=1e-7)
    assert shapely.Polygon(union.exterior).symmetric_difference(packaged.geometry).area < 1e-9


def test_each_outline_area_and_east_share_match_an_independent_split(sensitivity):
    line = _geoms(DATA_DIR / "yellow_line_2025-10-19.geojson")[0]
    files = {"gaza-outline@2017": "gaza_outline.geojson",
             "ocha-outline@2019-07-18": "ocha_outline.geojson"}
    assert [f.dataset for f in sensitivity] == list(PACKAGED_OUTLINES)
    for fig in sensitivity:
        outline = _geoms(DATA_DIR / files[fig.dataset])[0]
        assert fig.area_km2 == pytest.approx(_geod_km2(outline), rel=1e-6)
        east_km2, east_pct = _east_share_6933(outline, line)
        east = fig.zone("east")
        assert east.share_pct == pytest.approx(east_pct, abs=1e-4), fig.dataset
        assert east.area_km2 == pytest.approx(east_km2, rel=1e-6), fig.dataset
        west = fig.zone("west")
        assert east.share_pct + west.share_pct == pytest.approx(100, abs=1e-9)
        # the catalog's one-sided uncertainty: 100 m toward Israel takes about a point and
        # a quarter off the east share, 520 m toward the coast adds several points
        assert east.share_pct - 2 < east.share_pct_low < east.share_pct - 1
        assert east.share_pct + 5 < east.share_pct_high


def test_the_outlines_disagree_by_a_fraction_of_a_point(sensitivity):
    spread = share_spread_pct(sensitivity, "east")
    shares = [f.zone("east").share_pct for f in sensitivity]
    assert spread == pytest.approx(max(shares) - min(shares))
    assert 0.05 < spread < 1.0
    d = sensitivity[1].to_dict()
    assert d["dataset"] == "ocha-outline@2019-07-18"
    assert [z["id"] for z in d["zones"]] == ["east", "west"]
    assert set(d["zones"][0]) >= {"id", "area_km2", "share_pct"}


def test_zero_uncertainty_gives_no_interval():
    fig = outline_sensitivity("yellow-line@2025-10-19", ["ocha-outline"], uncertainty_m=0)[0]
    e = fig.zone("east")
    assert e.share_pct_low is None and e.share_pct_high is None  # never low == high


def test_ocha_outline_borders_are_one_stretch_each():
    """The OCHA outline strays >100 m from the packaged Israel land in four places near
    Kissufim and at the Kerem Shalom tripoint: those gaps are bridged, not called sea."""
    b = borders_for(resolve("ocha-outline", "boundary").geometry)
    for kind in ("israel", "egypt", "sea"):
        assert b.get(kind).geom_type == "LineString", kind
    outline = _geoms(DATA_DIR / "ocha_outline.geojson")[0]
    ext_km = GEOD.geometry_length(outline.exterior.segmentize(1e-4)) / 1000
    lengths = b.lengths_km()
    assert sum(lengths.values()) == pytest.approx(ext_km, rel=1e-3)
    # Egypt border: a little longer than the straight tripoint-to-coast distance
    egypt = b.egypt
    _, _, d = GEOD.inv(*egypt.coords[0], *egypt.coords[-1])
    assert d < lengths["egypt"] * 1000 < 1.10 * d
    assert lengths["israel"] > lengths["sea"] > lengths["egypt"]


def test_bad_arguments_are_input_errors():
    with pytest.raises(InputError, match="outlines"):
        outline_sensitivity("yellow-line@2025-10-19", [])
    with pytest.raises(InputError, match="uncertainty_m"):
        outline_sensitivity("yellow-line@2025-10-19", uncertainty_m=-1)


def test_ocha_outline_provenance_in_the_catalog():
    from geo.catalog import packaged_catalog

    ds = packaged_catalog().get("ocha-outline")
    assert ds.ref == "ocha-outline@2019-07-18" and ds.kind == "boundary"
    assert ds.licence == "CC BY" and "OCHA oPt" in ds.attribution
    assert ds.url and ds.date == "2019-07-18" and ds.uncertainty_m > 0
    assert "63" in ds.method and "10,000 m²" in ds.method  # what was filled, and the rule
    assert "365" in ds.notes and "pre-war" in ds.notes.lower()


def test_border_lengths_per_outline_add_up_to_each_exterior():
    from geo.analysis.outlines import border_sensitivity

    files = {"gaza-outline@2017": "gaza_outline.geojson",
             "ocha-outline@2019-07-18": "ocha_outline.geojson"}
    rows = border_sensitivity()
    assert [r.dataset for r in rows] == list(PACKAGED_OUTLINES)
    for r in rows:
        outline = _geoms(DATA_DIR / files[r.dataset])[0]
        ext_km = GEOD.geometry_length(outline.exterior.segmentize(1e-4)) / 1000
        assert r.israel_km + r.egypt_km + r.sea_km == pytest.approx(ext_km, rel=1e-3)
        assert set(r.to_dict()["borders_km"]) == {"israel", "egypt", "sea"}
    # the two outlines' Egypt borders differ by about 0.1 km (tripoint drawn differently)
    assert 0.02 < abs(rows[0].egypt_km - rows[1].egypt_km) < 0.5
