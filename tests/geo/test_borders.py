"""Border classification of the outline: Israel, Egypt, sea."""

from __future__ import annotations

import pytest
from pyproj import Geod

from geo.borders import shared_length_m


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
