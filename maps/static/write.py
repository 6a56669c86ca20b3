"""Writing a static map: PNG or SVG bytes, the same bytes for the same inputs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from geo.errors import InputError
from layers.base import Layer
from maps.static.figure import static_figure
from maps.static.svg import finish_svg
from maps.static.text import rc_context

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.figure import Figure

__all__ = ["StaticFormat", "figure_bytes", "render_static"]

StaticFormat = Literal["png", "svg"]


def figure_bytes(fig: Figure, fmt: StaticFormat, dpi: int) -> bytes:
    """``fig`` saved as PNG or SVG, without a date or a software version (reproducible)."""
    buf = io.BytesIO()
    meta: dict[str, Any] = ({"Software": None} if fmt == "png" else
                            {"Date": None, "Creator": "gazamap"})
    with rc_context():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    return buf.getvalue()


def render_static(
    layers: Sequence[Layer], *, fmt: StaticFormat = "png", title: str | None = None,
    lang: str = "en", width_px: int = 1200, height_px: int = 1400, dpi: int = 150,
    basemap: bool = True, description: str | None = None,
) -> bytes:
    """Draw layers as a PNG or SVG map with legend, scale bar, north arrow and attribution.

    Parameters
    ----------
    layers : sequence of layers.base.Layer
        Bottom first (as :func:`layers.build.default_layers` gives them). Layers with
        ``show=False`` start hidden in the interactive map; a static map has no layer
        control, so they are not drawn (select them with ``show=True`` to draw them).
    fmt : {"png", "svg"}
    title : str, optional
        Printed above the map.
    lang : {"en", "ar"}
        Language of the decorations; Arabic labels (``name_ar``) are used with ``ar``.
    width_px, height_px : int
        Size of the image in pixels, PNG and SVG alike (the SVG's ``width`` and
        ``height`` are in px, its text is text). At least
        :func:`maps.static.min_size_px` of ``dpi``: smaller maps are refused, their
        text would not be readable.
    dpi : int
        Dots per inch: line widths and fonts are in points, so a higher dpi draws them
        larger in pixels.
    basemap : bool
        Draw the packaged land (Israel, Egypt) on the sea colour beneath the layers when
        none of them is a basemap, as the offline page does.
    description : str, optional
        The map's text alternative (its figures, as ``maps.interactive.map_description``
        gives them): the SVG's ``<desc>``, beside ``<title>`` (the title), so that screen
        readers and search engines read what the picture shows.

    Returns
    -------
    bytes
        The PNG or SVG document. The same inputs give the same bytes (no timestamps,
        fixed SVG ids).

    Raises
    ------
    geo.errors.InputError
        For an unknown format, a size below the readable minimum (stated) or outside
        100..10,000 px, a dpi outside 30..1200, or nothing to draw.
    """
    if fmt not in ("png", "svg"):
        raise InputError(f"format {fmt!r} is not a static format", source="--format",
                         fix="use png or svg")
    fig = static_figure(layers, title=title, lang=lang, width_px=width_px,
                        height_px=height_px, dpi=dpi, basemap=basemap, css_halo=fmt == "svg")
    data = figure_bytes(fig, fmt, dpi)
    if fmt == "svg":
        data = finish_svg(data, width_px=width_px, height_px=height_px,
                          title=title or "Map of the Gaza Strip", description=description)
    return data
