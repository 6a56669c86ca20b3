"""Static maps (PNG, SVG) of the same layers and styles, drawn with matplotlib (no browser).

One module per question: :mod:`~maps.static.text` (the font, Arabic shaping, matplotlib's
settings), :mod:`~maps.static.symbols` (a layer's style as artists),
:mod:`~maps.static.decorations` (scale bar, north arrow, attribution),
:mod:`~maps.static.labels` (where the names go), :mod:`~maps.static.figure` (the page
laid out), :mod:`~maps.static.svg` (the SVG's size, title and description) and
:mod:`~maps.static.write` (PNG or SVG bytes). matplotlib itself is imported when a map is
drawn.
"""

from maps.static.figure import MIN_SIDE_PT, min_size_px, static_figure
from maps.static.text import FONT_FAMILY, has_arabic, native_complex_text, shape_arabic
from maps.static.write import StaticFormat, render_static

__all__ = [
    "FONT_FAMILY",
    "StaticFormat",
    "has_arabic",
    "native_complex_text",
    "shape_arabic",
    "render_static",
    "static_figure",
    "min_size_px",
    "MIN_SIDE_PT",
]
