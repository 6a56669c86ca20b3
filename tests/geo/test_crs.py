"""The local equal-area CRS: the pipelines equal PROJ's CRS-based transformation."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geo.geometry import crs
from geo.geometry.crs import LAEA_GAZA, from_laea, to_laea


def test_pipeline_matches_crs_based_transformer(outline):
    tr = Transformer.from_crs("EPSG:4326", LAEA_GAZA, always_xy=True)
    xy = shapely.get_coordinates(outline)
    ref = np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
    ours = shapely.get_coordinates(to_laea(outline))
    assert np.abs(ours - ref).max() < 1e-6


def test_round_trip_is_exact_to_1e_12_degree(outline):
    back = from_laea(to_laea(outline, dense=True))
    dense = shapely.segmentize(outline, 0.0005)
    assert np.abs(shapely.get_coordinates(back) - shapely.get_coordinates(dense)).max() < 1e-12


def test_centre_projects_to_origin():
    p = to_laea(shapely.Point(34.39, 31.42))
    assert abs(p.x) < 1e-6 and abs(p.y) < 1e-6


@pytest.mark.parametrize("src,dst", list(crs.LAEA_PIPELINES))
def test_written_out_laea_pipelines_are_the_ones_proj_chooses(src, dst):
    # the pinned strings save the proj.db search; they must be what PROJ would build,
    # and transform every coordinate to the same bits
    chosen = Transformer.from_crs(src, dst, always_xy=True)
    assert chosen.definition == crs.LAEA_PIPELINES[(src, dst)]
    pinned = crs.transformer(src, dst)
    rng = np.random.default_rng(7)
    if src == crs.WGS84:
        x, y = rng.uniform(33.9, 35.0, 5000), rng.uniform(30.9, 31.9, 5000)
    else:
        x, y = rng.uniform(-60_000, 60_000, 5000), rng.uniform(-60_000, 60_000, 5000)
    a, b = chosen.transform(x, y), pinned.transform(x, y)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
