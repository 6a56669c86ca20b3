"""The page of a static map: its size, the map at one scale, legend, title and attribution.

The map is drawn in the local Lambert azimuthal equal-area CRS
(``geo.geometry.crs.LAEA_GAZA``), with the same scale along both axes, between the title
above and the legend and the attribution below. Layers are drawn bottom first, then the
scale bar and north arrow (:mod:`maps.static.decorations`), then the names
(:mod:`maps.static.labels`).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely

from geo.errors import InputError
from geo.geometry.crs import to_laea
from layers.aggregate import BinsLayer
from layers.base import Layer
from maps._bins import draw_bins_static
from maps.static.decorations import attribution, decorate
from maps.static.labels import place_labels
from maps.static.symbols import background, draw_layer, legend_handle
from maps.static.text import rc_context, shape_arabic

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["MIN_SIDE_PT", "min_size_px", "static_figure"]

_MAX_PX = 10_000
MIN_SIDE_PT = 288.0  # 4 in: the smallest side on which the map's 5.5-9 pt text is readable

_Bounds = tuple[float, float, float, float]


def min_size_px(dpi: int) -> int:
    """The smallest width or height (px) at ``dpi`` whose text stays readable.

    The legend, scale bar, attribution and labels are set in 5.5-9 pt: below
    :data:`MIN_SIDE_PT` (4 inches) they pile up over the map (issue 10).

    >>> min_size_px(150), min_size_px(72)
    (600, 288)
    """
    return math.ceil(MIN_SIDE_PT / 72 * dpi)


def _check_size(width_px: int, height_px: int, dpi: int) -> None:
    if not 30 <= dpi <= 1200:
        raise InputError(f"dpi {dpi!r} is outside 30..1200", source="--dpi",
                         fix="give 72-300 for screens and print")
    for name, v in (("width", width_px), ("height", height_px)):
        if not 100 <= int(v) <= _MAX_PX:
            raise InputError(f"{name} {v!r} px is outside 100..{_MAX_PX}",
                             source=f"--{name}-px", fix="give a size in pixels")
        least = min_size_px(dpi)
        if int(v) < least:
            raise InputError(
                f"{name} {v} px at {dpi} dpi is too small to read: the minimum is {least} px "
                f"({MIN_SIDE_PT / 72:g} in at {dpi} dpi)", source=f"--{name}-px",
                fix=f"give a {name} of {least} px or more, or a lower dpi")


def _with_basemap(layers: list[Layer], lang: str) -> list[Layer]:
    """The layers with the offline page's basemap (land on sea) beneath, if they lack it.

    Like the offline page, the Strip's own land (the zones' or the outline's extent) is
    drawn in the land colour, so semi-transparent zones read the same in print.
    """
    if any(ly.basemap for ly in layers):
        return layers
    from layers.basemap import neighbours_layer

    land_parts = [f.geometry for ly in layers if ly.kind in ("zones", "outline")
                  for f in ly.features if f.geometry.geom_type in ("Polygon", "MultiPolygon")]
    land = shapely.union_all(land_parts) if land_parts else None
    return [neighbours_layer(lang=lang, land=land), *layers]


def _projected(layers: Sequence[Layer], basemap: bool, lang: str
               ) -> tuple[list[Layer], dict[str, list[shapely.Geometry]]]:
    """The layers to draw (shown ones, over the basemap) and their geometries in LAEA."""
    drawn = [ly for ly in layers if ly.show]
    if basemap and drawn:
        drawn = _with_basemap(drawn, lang)
    geoms = {ly.id: [to_laea(f.geometry, dense=ly.symbol != "point") for f in ly.features]
             for ly in drawn}
    return drawn, geoms


def _extent(layers: Sequence[Layer], geoms: dict[str, list[shapely.Geometry]]) -> _Bounds:
    """The bounds the map frames: the non-basemap areas and lines, else everything."""
    focus = [g for ly in layers if not ly.basemap and ly.symbol != "point"
             for g in geoms[ly.id]]
    if not focus:
        focus = [g for ly in layers for g in geoms[ly.id]]
    if not focus:
        raise InputError("there is nothing to draw: every layer is empty or hidden",
                         source="render", fix="choose layers with --layers")
    minx, miny, maxx, maxy = shapely.GeometryCollection(focus).bounds
    return minx, miny, maxx, maxy


@dataclass(frozen=True)
class _PageLayout:
    """Where the parts of the page go (figure fractions, from the bottom left)."""

    title_lines: list[str]
    legend_h: float  # the legend and the attribution beneath the map
    map_rect: tuple[float, float, float, float]  # left, bottom, width, height


def _page_layout(title: str | None, n_entries: int, width_px: int, height_px: int,
                 dpi: int) -> _PageLayout:
    """The title's lines, the legend's height and the map's frame between them."""
    # the title wraps to the figure's width (13 pt bold: ~0.6 em per character); a
    # no-break space keeps "54.2 %" on one line
    title_lines = (textwrap.wrap(title, width=max(20, int(width_px / dpi * 72 / 8)))
                   if title else [])
    title_h = len(title_lines) * 13 * 1.3 / 72 / (height_px / dpi)
    top = 0.97 - title_h - (0.015 if title_lines else 0)
    rows = math.ceil(n_entries / 2)
    # the legend's height follows its rows (7 pt text, ~1.75 em per row) plus the
    # attribution (3 lines of 5.5 pt)
    legend_h = min(0.4, (rows * 7 * 1.75 + 3 * 5.5 * 1.3 + 10) / 72 / (height_px / dpi))
    rect = (0.03, legend_h + 0.02, 0.94, top - legend_h - 0.02)
    return _PageLayout(title_lines, legend_h, rect)


def _map_axes(fig: Figure, rect: tuple[float, float, float, float], bounds: _Bounds,
              width_px: int, height_px: int) -> Axes:
    """Axes framing ``bounds`` (with a margin) so that 1 m is the same length both ways."""
    minx, miny, maxx, maxy = bounds
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    # match the data box to the axes box
    ax_w, ax_h = rect[2] * width_px, rect[3] * height_px
    pad = 0.04 * max(maxx - minx, maxy - miny)
    dx, dy = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    scale = max(dx / ax_w, dy / ax_h)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - scale * ax_w / 2, cx + scale * ax_w / 2)
    ax.set_ylim(cy - scale * ax_h / 2, cy + scale * ax_h / 2)
    ax.set_aspect("equal", adjustable="box")
    return ax


def _draw_layers(ax: Axes, drawn: Sequence[Layer], geoms: dict[str, list[shapely.Geometry]],
                 lang: str) -> None:
    """The sea beneath a basemap, then every layer bottom first (names are drawn later)."""
    if any(ly.basemap for ly in drawn):
        from layers.styles import SEA

        ax.add_patch(background(ax, SEA))
    for z, ly in enumerate(drawn, start=1):
        if isinstance(ly, BinsLayer):  # count colours and a colour bar
            draw_bins_static(ax, ly, geoms[ly.id], z * 2, lang)
        elif ly.kind != "labels":  # names are text only (placed last, see place_labels)
            draw_layer(ax, ly, geoms[ly.id], z * 2)


def _legend_title_and_credits(fig: Figure, handles: Sequence[tuple[Any, str]],
                              page: _PageLayout, drawn: Sequence[Layer], lang: str,
                              width_px: int, dpi: int) -> None:
    """The legend in two columns below the map, the title above it, the attribution last."""
    if handles:
        fig.legend([h for h, _ in handles], [lb for _, lb in handles],
                   loc="upper left", bbox_to_anchor=(0.03, page.legend_h + 0.005),
                   ncols=2, fontsize=7, frameon=False, handlelength=2.2,
                   borderaxespad=0.0)
    if page.title_lines:
        fig.text(0.5, 0.975, "\n".join(shape_arabic(t) for t in page.title_lines),
                 ha="center", va="top", fontsize=13, fontweight="bold", linespacing=1.2)
    chars = max(40, int(width_px / dpi * 72 / 3.6))
    note = textwrap.fill(attribution(drawn, lang), width=chars)
    fig.text(0.03, 0.008, note, ha="left", va="bottom", fontsize=5.5, color="#333333",
             linespacing=1.3)


def static_figure(
    layers: Sequence[Layer], *, title: str | None = None, lang: str = "en",
    width_px: int = 1200, height_px: int = 1400, dpi: int = 150, basemap: bool = True,
    css_halo: bool = False,
) -> Figure:
    """The matplotlib figure of a static map (see :func:`maps.static.render_static`), not saved.

    Its placed labels are the texts with a ``gid`` starting ``gz-label-``; each avoids
    the others, the dividing line, the scale bar and the north arrow. ``css_halo``
    leaves the labels' white halo to a stylesheet (SVG: matplotlib draws text with path
    effects as outlines, and SVG text must stay text).
    """
    _check_size(width_px, height_px, dpi)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn, geoms = _projected(layers, basemap, lang)
    bounds = _extent(drawn, geoms)
    with rc_context():
        fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#ffffff")
        FigureCanvasAgg(fig)
        handles = [(legend_handle(ly), shape_arabic(ly.legend.label))
                   for ly in drawn if ly.legend is not None and ly.kind != "labels"]
        page = _page_layout(title, len(handles), width_px, height_px, dpi)
        ax = _map_axes(fig, page.map_rect, bounds, width_px, height_px)
        _draw_layers(ax, drawn, geoms, lang)
        decorations = decorate(ax, lang)
        _legend_title_and_credits(fig, handles, page, drawn, lang, width_px, dpi)
        place_labels(ax, fig, drawn, geoms, lang, decorations, path_halo=not css_halo)
    return fig
