"""Static PNG/SVG maps: valid images of the requested size, content, Arabic, determinism."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
import shapely

from geo.analysis import analyse
from geo.errors import InputError
from geo.features import Feature
from layers.base import Layer, LegendEntry, Style
from layers.build import default_layers
from maps.static import has_arabic, native_complex_text, render_static, shape_arabic

GHAZZA = "غزة"  # Gaza: ghain, zain, teh marbuta


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return default_layers(analyse(), offline=True)


@pytest.fixture(scope="module")
def png(layers: list[Layer]) -> bytes:
    return render_static(layers, fmt="png", title="Test map", width_px=600, height_px=700,
                         dpi=100)


def _pixels(data: bytes) -> np.ndarray[Any, Any]:
    import matplotlib.image as mpimg

    return np.asarray(mpimg.imread(io.BytesIO(data), format="png"))


def test_png_is_an_image_of_the_requested_size(png: bytes) -> None:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    img = _pixels(png)
    assert img.shape[:2] == (700, 600)


def test_png_has_content(png: bytes, layers: list[Layer]) -> None:
    img = _pixels(png)[:, :, :3]
    assert img.std() > 0.05  # not blank
    colours = {tuple(c) for c in (img.reshape(-1, 3) * 255).round().astype(int)[::7]}
    assert len(colours) > 50
    # the east zone's fill (vermillion blended over the basemap) is on the map
    east = next(ly for ly in layers if ly.id == "zone-east").style.fill
    assert east is not None
    r, g, b = (int(east[i:i + 2], 16) / 255 for i in (1, 3, 5))
    reddish = (img[:, :, 0] > img[:, :, 2] + 0.1) & (img[:, :, 0] > 0.7)
    assert reddish.mean() > 0.02 and r > b and g < r


def test_png_is_deterministic(layers: list[Layer], png: bytes) -> None:
    again = render_static(layers, fmt="png", title="Test map", width_px=600, height_px=700,
                          dpi=100)
    assert again == png


def test_svg_parses_and_is_deterministic(layers: list[Layer]) -> None:
    svg = render_static(layers, fmt="svg", width_px=500, height_px=600, dpi=100)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("width", "").startswith("360") and root.get("height", "").startswith("432")
    assert b"<dc:date>" not in svg
    assert render_static(layers, fmt="svg", width_px=500, height_px=600, dpi=100) == svg


def test_arabic_shaping_of_a_known_word() -> None:
    # isolated teh marbuta U+FE93, final zain U+FEB0, initial ghain U+FECF, in visual order
    assert [hex(ord(c)) for c in shape_arabic(GHAZZA, manual=True)] == [
        "0xfe93", "0xfeb0", "0xfecf"]
    assert shape_arabic("Rafah", manual=True) == "Rafah"
    assert has_arabic(GHAZZA) and not has_arabic("Gaza")


def test_arabic_is_not_reversed_twice() -> None:
    """With libraqm (matplotlib >= 3.11) labels stay logical and come out right to left."""
    if not native_complex_text():
        assert shape_arabic(GHAZZA) == shape_arabic(GHAZZA, manual=True)
        return
    assert shape_arabic(GHAZZA) == GHAZZA
    from matplotlib import font_manager, ft2font

    font = font_manager.get_font(font_manager.findfont("DejaVu Sans"))
    if not hasattr(font, "_layout"):
        pytest.skip("this matplotlib exposes no layout to inspect")
    font.set_size(12, 72)
    items = font._layout(GHAZZA, ft2font.LoadFlags.NO_HINTING)
    by_x = sorted(items, key=lambda i: i.x)
    # right to left: the first letter (ghain) is drawn rightmost, teh marbuta leftmost
    assert by_x[-1].char == "غ" and by_x[0].char == "ة"


def test_arabic_labels_render_without_warnings(layers: list[Layer]) -> None:
    ar = default_layers(analyse(), offline=True, lang="ar")
    data = render_static(ar, fmt="png", title="قطاع غزة", lang="ar", width_px=400,
                         height_px=500, dpi=80)
    assert _pixels(data).shape[:2] == (500, 400)


def test_small_custom_layer_and_hidden_layers() -> None:
    sq = shapely.box(34.30, 31.40, 34.35, 31.45)
    area = Layer("sq", "Square", "user", [Feature(sq, {"name": "Square"})],
                 Style(stroke="#0072b2", fill="#0072b2", fill_opacity=0.5),
                 LegendEntry("Square", "area", Style(stroke="#0072b2", fill="#0072b2")),
                 attribution="test data", label_field="name")
    hidden = Layer("far", "Far", "user", [Feature(shapely.box(40, 40, 41, 41), {})],
                   Style(), None, show=False)
    data = render_static([area, hidden], fmt="png", width_px=300, height_px=300, dpi=72)
    img = _pixels(data)[:, :, :3]
    blue = (img[:, :, 2] > img[:, :, 0] + 0.2)
    assert blue.mean() > 0.2  # the extent follows the visible layer, not the hidden one


@pytest.mark.parametrize("kw, match", [
    ({"fmt": "gif"}, "not a static format"),
    ({"width_px": 10}, "width"),
    ({"dpi": 5}, "dpi"),
])
def test_bad_arguments(layers: list[Layer], kw: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        render_static(layers, **kw)


def test_nothing_to_draw() -> None:
    hidden = Layer("x", "X", "user", [Feature(shapely.Point(34.3, 31.4), {})], Style(), None,
                   show=False)
    with pytest.raises(InputError, match="nothing to draw"):
        render_static([hidden])
