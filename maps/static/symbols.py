"""How a layer's style becomes matplotlib artists: its geometries and its legend symbol.

Styles come from the layers unchanged: ``Style.stroke_width``, ``radius`` and ``dash``
in CSS pixels become points at 0.75 pt per pixel (:data:`PT_PER_PX`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely

from layers.base import Layer, Style

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.axes import Axes

__all__ = ["PT_PER_PX", "dash", "rgba", "draw_layer", "legend_handle", "background"]

PT_PER_PX = 0.75


def dash(style: Style) -> Any:
    """The matplotlib line style of ``style.dash`` (a CSS dash array in pixels)."""
    if not style.dash:
        return "solid"
    return (0, tuple(float(x) * PT_PER_PX for x in style.dash.split()))


def rgba(colour: str | None, alpha: float) -> Any:
    """``colour`` at opacity ``alpha`` as an RGBA tuple; ``"none"`` for no colour."""
    if colour is None:
        return "none"
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


def _ring_path(poly: shapely.Polygon) -> Any:
    import numpy as np
    from matplotlib.path import Path as MplPath

    verts: list[Any] = []
    codes: list[int] = []
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)
        if len(xy) < 3:
            continue
        verts.append(xy)
        codes += [int(MplPath.MOVETO)] + [int(MplPath.LINETO)] * (len(xy) - 2) + [
            int(MplPath.CLOSEPOLY)]
    return MplPath(np.concatenate(verts), codes) if verts else None


def draw_layer(ax: Axes, layer: Layer, geoms: list[shapely.Geometry], z: int) -> None:
    """Draw ``geoms`` (the layer's, projected) in the layer's style at z-order ``z``.

    Polygons are patches (holes kept), lines are drawn over their halo, points are
    discs of the style's radius; collections are drawn part by part.
    """
    from matplotlib.patches import PathPatch

    st = layer.style
    lw = st.stroke_width * PT_PER_PX
    for g in geoms:
        for part in shapely.get_parts(g):
            kind = part.geom_type
            if kind == "Polygon":
                path = _ring_path(part)
                if path is None:
                    continue
                ax.add_patch(PathPatch(
                    path, facecolor=rgba(st.fill, st.fill_opacity),
                    edgecolor=rgba(st.stroke, st.stroke_opacity),
                    linewidth=lw if st.stroke else 0, linestyle=dash(st), zorder=z))
            elif kind in ("LineString", "LinearRing"):
                xy = shapely.get_coordinates(part)
                if st.halo:
                    ax.plot(xy[:, 0], xy[:, 1], color=st.halo, linewidth=lw + 2.0,
                            solid_capstyle="round", zorder=z)
                ax.plot(xy[:, 0], xy[:, 1], color=rgba(st.stroke, st.stroke_opacity),
                        linewidth=lw, linestyle=dash(st), solid_capstyle="round",
                        zorder=z + 0.5)
            elif kind == "Point":
                size = (2 * st.radius * PT_PER_PX) ** 2
                ax.scatter([part.x], [part.y], s=size, c=[rgba(st.fill, st.fill_opacity)],
                           edgecolors=[rgba(st.stroke, st.stroke_opacity)],
                           linewidths=lw, zorder=z + 0.7)
            elif kind in ("MultiPolygon", "MultiLineString", "MultiPoint",
                          "GeometryCollection"):
                draw_layer(ax, layer, [part], z)


def legend_handle(layer: Layer) -> Any:
    """The legend symbol of a layer that has a legend entry: area, point or line."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entry = layer.legend
    assert entry is not None
    st = entry.style
    lw = st.stroke_width * PT_PER_PX
    if entry.symbol == "area":
        return Patch(facecolor=rgba(st.fill, st.fill_opacity),
                     edgecolor=rgba(st.stroke, st.stroke_opacity), linewidth=lw,
                     linestyle=dash(st))
    if entry.symbol == "point":
        return Line2D([], [], linestyle="none", marker="o",
                      markersize=2 * st.radius * PT_PER_PX,
                      markerfacecolor=rgba(st.fill, st.fill_opacity),
                      markeredgecolor=rgba(st.stroke, st.stroke_opacity),
                      markeredgewidth=lw)
    return Line2D([], [], color=rgba(st.stroke, st.stroke_opacity), linewidth=lw,
                  linestyle=dash(st))


def background(ax: Axes, colour: str) -> Any:
    """A rectangle of ``colour`` filling the axes' data box, beneath every layer."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, edgecolor="none", zorder=0)
