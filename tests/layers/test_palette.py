"""The zone palette: zones stand apart from the sea, the land and each other, also with CVD."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from layers.styles import LAND, SEA, STYLES, zone_ids, zone_style
from tests._colour import blend, delta_e, delta_e_min, hex_rgb, lab

MIN_DELTA_E = 20.0  # well above the ~5 of the old west zone against the sea (issue 10)


def test_colour_helper_against_known_values() -> None:
    # reference CIELAB values (D65) of sRGB primaries and white, e.g. from Bruce Lindbloom
    assert np.allclose(lab(hex_rgb("#ffffff")), [100, 0, 0], atol=0.05)
    assert np.allclose(lab(hex_rgb("#ff0000")), [53.24, 80.09, 67.20], atol=0.05)
    assert np.allclose(lab(hex_rgb("#0000ff")), [32.30, 79.19, -107.86], atol=0.05)
    # red and green, far apart in normal vision, nearly merge for a deuteranope
    red, green = hex_rgb("#d62728"), hex_rgb("#2ca02c")
    assert delta_e(red, green) > 60
    assert delta_e(red, green, "deuteranopia") < delta_e(red, green) / 2
    # grey is unchanged by the simulation
    grey = hex_rgb("#808080")
    assert np.allclose(lab(grey, "protanopia"), lab(grey), atol=0.5)


def _seen(n_lines: int) -> dict[str, np.ndarray]:
    out = {"sea": hex_rgb(SEA), "land": hex_rgb(LAND)}
    for z in zone_ids(n_lines):
        st = zone_style(z, n_lines)
        assert st.fill is not None
        out[z] = blend(st.fill, st.fill_opacity, LAND)
    return out


@pytest.mark.parametrize("n_lines", [1, 2, 3])
def test_zones_stand_apart_in_every_vision(n_lines: int) -> None:
    seen = _seen(n_lines)
    worst = min(((delta_e_min(seen[a], seen[b]), a, b)
                 for a, b in itertools.combinations(seen, 2)))
    assert worst[0] >= MIN_DELTA_E, worst


def test_the_old_palette_would_fail() -> None:
    """The check can fail: the sky-blue west zone of issue 10 over the old colours."""
    old_west = blend("#56b4e9", 0.3, "#ebe7df")
    assert delta_e_min(old_west, hex_rgb("#cfe3ef")) < 6


def test_zone_style_ids_and_registry() -> None:
    assert zone_ids(2) == ["east", "between-1", "west"]
    fills = [zone_style(z, 3).fill for z in zone_ids(3)]
    assert len(set(fills)) == 4
    assert STYLES["zone-east"] == zone_style("east")
    assert STYLES["zone-west"] == zone_style("west", 5)
    # many lines: the further between zones get a dashed outline, never an error
    assert zone_style("between-4", 5).dash is not None
    with pytest.raises(ValueError, match="does not exist with 2 lines"):
        zone_style("between-3", 2)
    with pytest.raises(ValueError, match="n_lines must be >= 1"):
        zone_style("east", 0)


@pytest.mark.parametrize("n_lines", [1, 2, 3])
def test_zones_stand_apart_from_every_band(n_lines: int) -> None:
    """A zone is never the colour of a band (issue 18: between-1 was the Egypt band's)."""
    seen = _seen(n_lines)
    for band in ("band-israel-1km", "band-egypt-100m", "line-band"):
        st = STYLES[band]
        assert st.fill is not None
        b = blend(st.fill, st.fill_opacity, LAND)
        for z in zone_ids(n_lines):
            assert delta_e_min(b, seen[z]) >= MIN_DELTA_E, (band, z)


def test_user_line_style_differs_from_the_official_and_comparison_lines() -> None:
    user, official, compare = STYLES["user-line"], STYLES["line"], STYLES["compare-line"]
    assert user.stroke != official.stroke and user.stroke != compare.stroke
    assert user.dash and user.dash != compare.dash
