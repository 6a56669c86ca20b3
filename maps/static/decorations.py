"""What surrounds the map: the scale bar, the north arrow and the attribution line.

The map is drawn in the local Lambert azimuthal equal-area CRS
(``geo.geometry.crs.LAEA_GAZA``): distances on the page are true (scale distortion below
1e-5 within 30 km of the centre), so the scale bar holds everywhere on the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shapely

from geo.geometry.crs import from_laea, to_laea
from layers.base import Layer
from maps.static.text import shape_arabic

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.axes import Axes

__all__ = ["decorate", "attribution"]


def _nice_length_m(span_m: float) -> float:
    """The largest 1-2-5 length not above a quarter of ``span_m``.

    >>> _nice_length_m(40_000)
    10000.0
    >>> _nice_length_m(30_000)
    5000.0
    """
    target = span_m / 4
    base = 10 ** math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * base <= target:
            return float(m * base)
    return float(base)


def _north_angle_deg(cx: float, cy: float) -> float:
    """Direction of true north at (cx, cy) in the LAEA plane, degrees from the +y axis."""
    p = from_laea(shapely.Point(cx, cy))
    q = to_laea(shapely.Point(p.x, p.y + 0.01))
    return math.degrees(math.atan2(q.x - cx, q.y - cy))


def _scale_bar(ax: Axes, lang: str) -> list[Any]:
    """A black and white bar of a 1-2-5 length at the bottom right, numbered in km.

    Bottom right: the land of Egypt and Israel, away from the Strip.
    """
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    length = _nice_length_m(span)
    bx, by = x1 - 0.09 * span - length, y0 + 0.04 * (y1 - y0)
    h = 0.008 * (y1 - y0)
    half = length / 2
    out: list[Any] = []
    for i, colour in enumerate(("#000000", "#ffffff")):
        out.append(ax.add_patch(Rectangle((bx + i * half, by), half, h, facecolor=colour,
                                          edgecolor="#000000", linewidth=0.8, zorder=50)))
    km = "كم" if lang == "ar" else "km"
    for x, val in ((bx, 0), (bx + half, half), (bx + length, length)):
        out.append(ax.text(x, by + 1.8 * h, f"{val / 1000:g}", ha="center", va="bottom",
                           fontsize=7, zorder=51))
    out.append(ax.text(bx + length + 0.01 * span, by + h / 2, shape_arabic(km), ha="left",
                       va="center", fontsize=7, zorder=51))
    return out


def _north_arrow(ax: Axes, lang: str) -> list[Any]:
    """An arrow to true north at the map centre, at the top left (open sea).

    The CRS is centred on Gaza, so true north is within a fraction of a degree of grid
    north.
    """
    from matplotlib.patches import FancyArrow

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    ang = math.radians(_north_angle_deg((x0 + x1) / 2, (y0 + y1) / 2))
    ax_len = 0.06 * (y1 - y0)
    nx, ny = x0 + 0.07 * span, y1 - 0.12 * (y1 - y0)
    dx, dy = ax_len * math.sin(ang), ax_len * math.cos(ang)
    arrow = ax.add_patch(FancyArrow(
        nx, ny, dx, dy, width=0.012 * span, head_width=0.035 * span,
        head_length=0.025 * (y1 - y0), length_includes_head=True, color="#000000",
        zorder=50))
    letter = ax.text(nx + dx * 1.15, ny + dy * 1.15,
                     shape_arabic("ش" if lang == "ar" else "N"), ha="center", va="bottom",
                     fontsize=11, fontweight="bold", zorder=51)
    return [arrow, letter]


def decorate(ax: Axes, lang: str) -> list[Any]:
    """Draw the scale bar and the north arrow on the map; their artists (labels avoid them)."""
    return _scale_bar(ax, lang) + _north_arrow(ax, lang)


def attribution(layers: Sequence[Layer], lang: str) -> str:
    """The attribution line: each layer's data credit once, then the projection."""
    seen: list[str] = []
    for ly in layers:
        a = (ly.attribution or "").strip()
        if a and a not in seen:
            seen.append(a)
    proj = ("Projection: Lambert azimuthal equal-area centred on Gaza (lat 31.42, lon 34.39), "
            "WGS84. Map: gazamap.")
    return "Data: " + "; ".join(seen) + ". " + proj if seen else proj
