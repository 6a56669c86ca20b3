"""The local equal-area CRS: the pipelines equal PROJ's CRS-based transformation."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer

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
