"""The one rounding of published coordinates: 7 decimals, within half a unit, valid."""

from __future__ import annotations

import json

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import Polygon
from shapely.geometry import mapping

from geo.geometry.precision import COORD_DECIMALS, round_coordinates

_lon = st.floats(34.2, 34.6, allow_nan=False)
_lat = st.floats(31.2, 31.6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_lon, _lat), min_size=2, max_size=40))
def test_rounded_values_print_short_and_move_less_than_half_a_unit(pts) -> None:
    line = shapely.LineString(pts)
    out = round_coordinates(line)
    a, b = shapely.get_coordinates(out), shapely.get_coordinates(line)
    assert np.abs(a - b).max() <= 0.5 * 10.0 ** -COORD_DECIMALS + 1e-15
    for v in a.ravel():
        text = json.dumps(float(v))  # what GeoJSON and KML print
        assert len(text.partition(".")[2]) <= COORD_DECIMALS, text


def test_a_sliver_thinner_than_the_grid_stays_valid() -> None:
    # a 3 mm wide notch: plain rounding folds it onto itself (a self-touching ring)
    poly = Polygon([(34.3, 31.3), (34.4, 31.3), (34.4, 31.4), (34.35000003, 31.4),
                    (34.35000003, 31.31), (34.35000001, 31.31), (34.35000001, 31.4),
                    (34.3, 31.4)])
    assert poly.is_valid
    naive = shapely.transform(poly, lambda c: np.round(c, COORD_DECIMALS))
    assert not naive.is_valid
    out = round_coordinates(poly)
    assert out.is_valid
    assert abs(out.area - poly.area) / poly.area < 1e-6
    assert "0000000" not in json.dumps(mapping(out))


def test_none_and_empty_pass_through() -> None:
    assert round_coordinates(None) is None
    assert round_coordinates(shapely.Polygon()).is_empty
