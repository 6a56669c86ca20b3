"""Where the names go: label texts, their anchors and greedy placement clear of the line.

Placed labels are texts whose ``gid`` starts with ``gz-label-``; in SVG their white halo
is left to a stylesheet (see :mod:`maps.static.svg`), elsewhere it is a path effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import shapely

from layers.base import Layer
from maps.static.text import shape_arabic

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["place_labels"]

# (dx, dy) offsets in points and alignment tried in turn: on the point, then around it
_AROUND = ((0, 0, "center", "center"), (0, 7, "center", "bottom"), (0, -7, "center", "top"),
           (7, 0, "left", "center"), (-7, 0, "right", "center"))
_BESIDE = ((5, 3, "left", "bottom"), (5, -3, "left", "top"), (-5, 3, "right", "bottom"),
           (-5, -3, "right", "top"), (0, 7, "center", "bottom"), (0, -7, "center", "top"))
_LABEL_FONT = {1: (9.0, "bold"), 2: (7.5, "bold"), 3: (6.5, "normal")}


class _Label(NamedTuple):
    """A label to place: its text, where, the positions to try and how it is set."""

    text: str
    anchor: shapely.Point
    candidates: tuple[Any, ...]
    size: float
    weight: str
    colour: str
    required: bool  # a rank-1 town: placed even over the line when it fits nowhere else


def _label_anchor(g: shapely.Geometry) -> shapely.Point | None:
    if g.is_empty:
        return None
    if g.geom_type in ("Point", "MultiPoint"):
        return shapely.get_parts(g)[0]  # type: ignore[no-any-return]
    if "Line" in g.geom_type:
        faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(g)))
        if len(faces):
            return max(faces, key=lambda f: f.area).representative_point()  # type: ignore[no-any-return]
        return shapely.line_interpolate_point(shapely.line_merge(g), 0.5, normalized=True)  # type: ignore[no-any-return]
    return g.representative_point()  # type: ignore[no-any-return]


def _label_text(props: dict[str, Any], field: str, lang: str) -> str:
    if field == "label":  # the labels layer's text is already in the map's language
        return str(props.get("label") or "")
    if lang == "ar":
        from layers._text import CROSSINGS_AR

        ar = (props.get(f"{field}_ar") or props.get("name_ar")
              or CROSSINGS_AR.get(str(props.get(field) or "")))
        if ar:
            return str(ar)
    return str(props.get(field) or "")


def _label_items(layers: Sequence[Layer], geoms: dict[str, list[shapely.Geometry]],
                 lang: str) -> list[_Label]:
    """The labels to place, by priority: the labels layer's names first, then the others."""
    has_labels = any(ly.kind == "labels" for ly in layers)
    named: list[_Label] = []
    others: list[_Label] = []
    for ly in layers:
        if not ly.label_field or ly.basemap:
            continue
        if has_labels and ly.kind == "governorates":
            continue  # the labels layer names them
        for f, g in zip(ly.features, geoms[ly.id], strict=True):
            text = _label_text(f.properties, ly.label_field, lang)
            anchor = _label_anchor(g)
            if not text or anchor is None:
                continue
            if ly.kind == "labels":
                gov = f.properties.get("kind") == "governorate"
                rank = int(f.properties.get("rank", 3))
                size, weight = (6.5, "bold") if gov else _LABEL_FONT.get(rank, (6.5, "normal"))
                named.append(_Label(text, anchor, _AROUND, size, weight,
                                    "#3a3a3a" if gov else "#111111", rank == 1 and not gov))
            elif ly.symbol == "point":
                others.append(_Label(text, anchor, _BESIDE, 6.0, "normal", "#1a1a1a", False))
            else:
                others.append(_Label(text, anchor, _AROUND[:1], 8.0, "bold", "#1a1a1a", False))
    return named + others


def _line_obstacle(ax: Axes, fig: Figure, layers: Sequence[Layer],
                   geoms: dict[str, list[shapely.Geometry]]) -> shapely.Geometry | None:
    """The dividing (and compared) lines in display pixels, widened by 3 pt each side."""
    lines = [g for ly in layers if ly.kind == "line" and ly.symbol == "line"
             for g in geoms[ly.id]] + [g for ly in layers if ly.id == "compare-line"
                                        for g in geoms[ly.id]]
    if not lines:
        return None
    px = [shapely.transform(g, lambda c: ax.transData.transform(c)) for g in lines]
    return shapely.union_all(px).buffer(3.0 * fig.dpi / 72)


# A point layer with more markers than this is a survey, not landmarks: its markers do
# not push names away (they would leave none on the map).
MAX_MARKER_OBSTACLES = 200


class _Page(NamedTuple):
    """What a label must stay inside and clear of, in display pixels."""

    renderer: Any
    inside: shapely.Geometry
    placed: list[shapely.Geometry]  # grows as labels are placed
    obstacle: shapely.Geometry | None
    halo: list[Any] | None
    markers: tuple[tuple[tuple[float, float], shapely.Geometry], ...] = ()  # (xy, disc box)


def _marker_boxes(ax: Axes, fig: Figure, layers: Sequence[Layer],
                  geoms: dict[str, list[shapely.Geometry]]
                  ) -> tuple[tuple[tuple[float, float], shapely.Geometry], ...]:
    """The drawn point markers (crossings, places), each with its disc's box in pixels.

    A name placed over a crossing's disc hid it ("Um a-Nasser" over the Erez crossing).
    """
    from maps.static.symbols import PT_PER_PX

    out = []
    for ly in layers:
        if ly.symbol != "point" or ly.basemap or ly.kind == "labels":
            continue
        pts = [p for g in geoms[ly.id] for p in shapely.get_parts(g) if p.geom_type == "Point"]
        if len(pts) > MAX_MARKER_OBSTACLES:
            continue
        st = ly.style
        r = (st.radius + st.stroke_width / 2) * PT_PER_PX * fig.dpi / 72
        for p in pts:
            x, y = ax.transData.transform((p.x, p.y))
            out.append(((p.x, p.y), shapely.box(x - r, y - r, x + r, y + r)))
    return tuple(out)


def _try_place(ax: Axes, page: _Page, label: _Label, n: int, avoid_line: bool) -> bool:
    """Place ``label`` at its first candidate position that is free; False if none is."""
    for dx, dy, ha, va in label.candidates:
        art = ax.annotate(shape_arabic(label.text), (label.anchor.x, label.anchor.y),
                          xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                          fontsize=label.size, fontweight=label.weight, color=label.colour,
                          path_effects=page.halo, zorder=120, annotation_clip=False,
                          gid=f"gz-label-{n}")
        bb = art.get_window_extent(page.renderer)
        box = shapely.box(bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
        own = (label.anchor.x, label.anchor.y)  # a marker's own name goes beside it
        ok = (page.inside.contains(box) and not any(box.intersects(p) for p in page.placed)
              and not (avoid_line and page.obstacle is not None
                       and box.intersects(page.obstacle))
              and not (avoid_line and any(box.intersects(m) for xy, m in page.markers
                                          if xy != own)))
        if ok:
            page.placed.append(box)
            return True
        art.remove()
    return False


def place_labels(ax: Axes, fig: Figure, layers: Sequence[Layer],
                 geoms: dict[str, list[shapely.Geometry]], lang: str,
                 decorations: Sequence[Any] = (), *, path_halo: bool = True) -> None:
    """Place labels greedily, most important first, clear of each other and the line.

    A label goes where it touches no other label, no dividing line, no point marker but
    its own and no decoration; one that fits nowhere is left out (a rank-1 town is then
    placed where it touches no other label, even over the line or a marker).
    ``path_halo`` draws the labels' white halo as a path effect (not in SVG, where it
    would turn text into outlines).
    """
    import matplotlib.patheffects as pe

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    halo = [pe.withStroke(linewidth=2.5, foreground="#ffffff")] if path_halo else None
    ab = ax.get_window_extent(renderer)
    placed: list[shapely.Geometry] = []
    for art in decorations:
        bb = art.get_window_extent(renderer)
        placed.append(shapely.box(bb.x0, bb.y0, bb.x1, bb.y1))
    page = _Page(renderer, shapely.box(ab.x0, ab.y0, ab.x1, ab.y1), placed,
                 _line_obstacle(ax, fig, layers, geoms), halo,
                 _marker_boxes(ax, fig, layers, geoms))
    for n, label in enumerate(_label_items(layers, geoms, lang)):
        for avoid_line in ((True, False) if label.required else (True,)):
            if _try_place(ax, page, label, n, avoid_line):
                break
