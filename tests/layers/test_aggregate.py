"""Hexagonal bins of a big point layer: every point in one bin, counts checked by shapely."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.read.features import Feature
from layers.aggregate import BINS_KIND, BinsLayer, bins_layer, hex_bins
from layers.user import user_layer_from_features


def _points(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(34.25, 34.55, n), rng.uniform(31.25, 31.58, n)])


def test_counts_equal_a_shapely_count_and_cells_are_equal_area():
    xy = _points(5000)
    polys, counts = hex_bins(xy, 500.0)
    assert counts.sum() == len(xy)
    tree = shapely.STRtree(shapely.points(xy))
    for p, c in zip(polys[:200], counts[:200], strict=True):
        assert len(tree.query(p, predicate="contains")) == c
    geod = Geod(ellps="WGS84")
    areas = [abs(geod.geometry_area_perimeter(p)[0]) for p in polys]
    # width across flats 500 m: a regular hexagon of sqrt(3)/2 * 500² m²
    assert np.allclose(areas, np.sqrt(3) / 2 * 500.0**2, rtol=2e-3)


def test_a_big_point_layer_becomes_bins_and_says_so():
    xy = _points(1200, seed=1)
    feats = [Feature(shapely.Point(p), {"k": i}) for i, p in enumerate(xy)]
    small = user_layer_from_features(feats, name="s.geojson", aggregate_above=5000)
    assert small.kind == "user" and len(small.features) == 1200
    big = user_layer_from_features(feats, name="s.geojson", aggregate_above=1000)
    assert isinstance(big, BinsLayer) and big.kind == BINS_KIND
    assert sum(f.properties["n"] for f in big.features) == 1200
    # the renderers' typed counts and colours are the features' own, bin for bin
    assert big.counts == tuple(f.properties["n"] for f in big.features)
    assert big.fills == tuple(f.properties["fill"] for f in big.features)
    assert "1,200 points aggregated into 250 m hexagons" in big.legend.label
    assert big.points is not None and len(big.points.xy) == 2 * 1200
    none = bins_layer(xy, name="s", points_budget=100)
    assert none.points is None and none.provenance is not None
    assert "too many points to draw" in none.provenance.method


def test_bad_cell_size():
    with pytest.raises(ValueError, match="cell_m must be > 0"):
        hex_bins(_points(3), 0)
