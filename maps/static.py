"""Static maps (PNG, SVG) of the same layers and styles, drawn with matplotlib (no browser).

The map is drawn in the local Lambert azimuthal equal-area CRS (``geo.geometry.crs.LAEA_GAZA``):
distances on the page are true (scale distortion below 1e-5 within 30 km of the centre),
so the scale bar holds everywhere on the map. Styles come from the layers unchanged
(``Style.stroke_width`` in CSS pixels becomes points at 0.75 pt per pixel).

Arabic text. matplotlib 3.11 and later lays text out with libraqm (HarfBuzz shaping and
the Unicode bidirectional algorithm), so Arabic labels are passed in logical order.
Earlier versions draw glyphs one by one, left to right, so labels are first reshaped
(``arabic_reshaper``: contextual letter forms) and reordered (``python-bidi``
``get_display``: visual right-to-left order). Doing both would reverse Arabic twice.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import shapely

from geo.errors import InputError
from geo.geometry.crs import from_laea, to_laea
from geo.write.xmltext import clean_xml
from layers.aggregate import BinsLayer
from layers.base import Layer, Style
from maps._bins import draw_bins_static

if TYPE_CHECKING:  # matplotlib is imported lazily: `gazamap areas` must start fast
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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

StaticFormat = Literal["png", "svg"]
# DejaVu Sans ships with matplotlib and covers Arabic (basic block and presentation
# forms A and B), Latin and the symbols used here (², ±, –).
FONT_FAMILY = "DejaVu Sans"
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_PT_PER_PX = 0.75
_SVG_SALT = "gazamap"  # fixed ids in SVG output: the same map gives the same bytes
_MAX_PX = 10_000
MIN_SIDE_PT = 288.0  # 4 in: the smallest side on which the map's 5.5-9 pt text is readable


def has_arabic(text: str) -> bool:
    """True when ``text`` contains Arabic letters.

    >>> has_arabic("Gaza"), has_arabic("غزة")
    (False, True)
    """
    return bool(_ARABIC_RE.search(text))


@lru_cache(maxsize=1)
def native_complex_text() -> bool:
    """True when the installed matplotlib shapes and orders text itself (libraqm, >= 3.11)."""
    import matplotlib

    parts = re.findall(r"\d+", matplotlib.__version__)[:2]
    major, minor = (int(p) for p in (parts + ["0", "0"])[:2])
    return (major, minor) >= (3, 11)


def shape_arabic(text: str, *, manual: bool | None = None) -> str:
    """Prepare a label for matplotlib: Arabic shaped and ordered right to left.

    Parameters
    ----------
    text : str
        A label in logical order (as stored).
    manual : bool, optional
        Reshape and reorder with ``arabic_reshaper`` and ``python-bidi``. Default: only
        when matplotlib does not lay out complex text itself (before 3.11).

    Examples
    --------
    >>> [hex(ord(c)) for c in shape_arabic("غزة", manual=True)]
    ['0xfe93', '0xfeb0', '0xfecf']
    >>> shape_arabic("Gaza", manual=True)
    'Gaza'
    """
    if not text or not has_arabic(text):
        return text
    if manual is None:
        manual = not native_complex_text()
    if not manual:
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def _dash(style: Style) -> Any:
    if not style.dash:
        return "solid"
    return (0, tuple(float(x) * _PT_PER_PX for x in style.dash.split()))


def _rgba(colour: str | None, alpha: float) -> Any:
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


def _draw_layer(ax: Axes, layer: Layer, geoms: list[shapely.Geometry], z: int) -> None:
    from matplotlib.patches import PathPatch

    st = layer.style
    lw = st.stroke_width * _PT_PER_PX
    for g in geoms:
        for part in shapely.get_parts(g):
            kind = part.geom_type
            if kind == "Polygon":
                path = _ring_path(part)
                if path is None:
                    continue
                ax.add_patch(PathPatch(
                    path, facecolor=_rgba(st.fill, st.fill_opacity),
                    edgecolor=_rgba(st.stroke, st.stroke_opacity),
                    linewidth=lw if st.stroke else 0, linestyle=_dash(st), zorder=z))
            elif kind in ("LineString", "LinearRing"):
                xy = shapely.get_coordinates(part)
                if st.halo:
                    ax.plot(xy[:, 0], xy[:, 1], color=st.halo, linewidth=lw + 2.0,
                            solid_capstyle="round", zorder=z)
                ax.plot(xy[:, 0], xy[:, 1], color=_rgba(st.stroke, st.stroke_opacity),
                        linewidth=lw, linestyle=_dash(st), solid_capstyle="round",
                        zorder=z + 0.5)
            elif kind == "Point":
                size = (2 * st.radius * _PT_PER_PX) ** 2
                ax.scatter([part.x], [part.y], s=size, c=[_rgba(st.fill, st.fill_opacity)],
                           edgecolors=[_rgba(st.stroke, st.stroke_opacity)],
                           linewidths=lw, zorder=z + 0.7)
            elif kind in ("MultiPolygon", "MultiLineString", "MultiPoint",
                          "GeometryCollection"):
                _draw_layer(ax, layer, [part], z)


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


def _legend_handle(layer: Layer) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entry = layer.legend
    assert entry is not None
    st = entry.style
    lw = st.stroke_width * _PT_PER_PX
    if entry.symbol == "area":
        return Patch(facecolor=_rgba(st.fill, st.fill_opacity),
                     edgecolor=_rgba(st.stroke, st.stroke_opacity), linewidth=lw,
                     linestyle=_dash(st))
    if entry.symbol == "point":
        return Line2D([], [], linestyle="none", marker="o",
                      markersize=2 * st.radius * _PT_PER_PX,
                      markerfacecolor=_rgba(st.fill, st.fill_opacity),
                      markeredgecolor=_rgba(st.stroke, st.stroke_opacity),
                      markeredgewidth=lw)
    return Line2D([], [], color=_rgba(st.stroke, st.stroke_opacity), linewidth=lw,
                  linestyle=_dash(st))


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


def _decorate(ax: Axes, fig: Figure, lang: str) -> list[Any]:
    from matplotlib.patches import FancyArrow, Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    length = _nice_length_m(span)
    # bottom right and top left: land of Egypt/Israel and open sea, away from the Strip
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
    # north arrow: true north at the map centre (the CRS is centred on Gaza, so it is
    # within a fraction of a degree of grid north)
    ang = math.radians(_north_angle_deg((x0 + x1) / 2, (y0 + y1) / 2))
    ax_len = 0.06 * (y1 - y0)
    nx, ny = x0 + 0.07 * span, y1 - 0.12 * (y1 - y0)
    dx, dy = ax_len * math.sin(ang), ax_len * math.cos(ang)
    out.append(ax.add_patch(FancyArrow(
        nx, ny, dx, dy, width=0.012 * span, head_width=0.035 * span,
        head_length=0.025 * (y1 - y0), length_includes_head=True, color="#000000",
        zorder=50)))
    out.append(ax.text(nx + dx * 1.15, ny + dy * 1.15,
                       shape_arabic("ش" if lang == "ar" else "N"), ha="center", va="bottom",
                       fontsize=11, fontweight="bold", zorder=51))
    return out


def _attribution(layers: Sequence[Layer], lang: str) -> str:
    seen: list[str] = []
    for ly in layers:
        a = (ly.attribution or "").strip()
        if a and a not in seen:
            seen.append(a)
    proj = ("Projection: Lambert azimuthal equal-area centred on Gaza (lat 31.42, lon 34.39), "
            "WGS84. Map: gazamap.")
    return "Data: " + "; ".join(seen) + ". " + proj if seen else proj


def _extent(layers: Sequence[Layer], geoms: dict[str, list[shapely.Geometry]]
            ) -> tuple[float, float, float, float]:
    focus = [g for ly in layers if not ly.basemap and ly.symbol != "point"
             for g in geoms[ly.id]]
    if not focus:
        focus = [g for ly in layers for g in geoms[ly.id]]
    if not focus:
        raise InputError("there is nothing to draw: every layer is empty or hidden",
                         source="render", fix="choose layers with --layers")
    minx, miny, maxx, maxy = shapely.GeometryCollection(focus).bounds
    return minx, miny, maxx, maxy


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


def static_figure(
    layers: Sequence[Layer],
    *,
    title: str | None = None,
    lang: str = "en",
    width_px: int = 1200,
    height_px: int = 1400,
    dpi: int = 150,
    basemap: bool = True,
    css_halo: bool = False,
) -> Figure:
    """The matplotlib figure of a static map (see :func:`render_static`), not yet saved.

    Its placed labels are the texts with a ``gid`` starting ``gz-label-``; each avoids
    the others, the dividing line, the scale bar and the north arrow. ``css_halo``
    leaves the labels' white halo to a stylesheet (SVG: matplotlib draws text with path
    effects as outlines, and SVG text must stay text).
    """
    _check_size(width_px, height_px, dpi)
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = [ly for ly in layers if ly.show]
    if basemap and drawn:
        drawn = _with_basemap(drawn, lang)
    geoms = {ly.id: [to_laea(f.geometry, dense=ly.symbol != "point") for f in ly.features]
             for ly in drawn}
    minx, miny, maxx, maxy = _extent(drawn, geoms)
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#ffffff")
        FigureCanvasAgg(fig)
        # the title wraps to the figure's width (13 pt bold: ~0.6 em per character); a
        # no-break space keeps "54.2 %" on one line
        title_lines = (textwrap.wrap(title, width=max(20, int(width_px / dpi * 72 / 8)))
                       if title else [])
        title_h = len(title_lines) * 13 * 1.3 / 72 / (height_px / dpi)
        top = 0.97 - title_h - (0.015 if title_lines else 0)
        handles = [(_legend_handle(ly), shape_arabic(ly.legend.label))
                   for ly in drawn if ly.legend is not None and ly.kind != "labels"]
        rows = math.ceil(len(handles) / 2)
        # the legend's height follows its rows (7 pt text, ~1.75 em per row) plus the
        # attribution (3 lines of 5.5 pt)
        legend_h = min(0.4, (rows * 7 * 1.75 + 3 * 5.5 * 1.3 + 10) / 72 / (height_px / dpi))
        rect = (0.03, legend_h + 0.02, 0.94, top - legend_h - 0.02)
        ax = fig.add_axes(rect)
        ax.set_axis_off()
        # match the data box to the axes box so that 1 m is the same length both ways
        ax_w, ax_h = rect[2] * width_px, rect[3] * height_px
        pad = 0.04 * max(maxx - minx, maxy - miny)
        dx, dy = maxx - minx + 2 * pad, maxy - miny + 2 * pad
        scale = max(dx / ax_w, dy / ax_h)
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        ax.set_xlim(cx - scale * ax_w / 2, cx + scale * ax_w / 2)
        ax.set_ylim(cy - scale * ax_h / 2, cy + scale * ax_h / 2)
        ax.set_aspect("equal", adjustable="box")
        if any(ly.basemap for ly in drawn):
            from layers.styles import SEA

            ax.add_patch(_background(ax, SEA))
        for z, ly in enumerate(drawn, start=1):
            if isinstance(ly, BinsLayer):  # count colours and a colour bar
                draw_bins_static(ax, ly, geoms[ly.id], z * 2, lang)
            elif ly.kind != "labels":  # names are text only (placed last, see _labels)
                _draw_layer(ax, ly, geoms[ly.id], z * 2)
        decorations = _decorate(ax, fig, lang)
        if handles:
            fig.legend([h for h, _ in handles], [lb for _, lb in handles],
                       loc="upper left", bbox_to_anchor=(0.03, legend_h + 0.005),
                       ncols=2, fontsize=7, frameon=False, handlelength=2.2,
                       borderaxespad=0.0)
        if title_lines:
            fig.text(0.5, 0.975, "\n".join(shape_arabic(t) for t in title_lines),
                     ha="center", va="top", fontsize=13, fontweight="bold", linespacing=1.2)
        chars = max(40, int(width_px / dpi * 72 / 3.6))
        note = textwrap.fill(_attribution(drawn, lang), width=chars)
        fig.text(0.03, 0.008, note, ha="left", va="bottom", fontsize=5.5, color="#333333",
                 linespacing=1.3)
        _labels(ax, fig, drawn, geoms, lang, decorations, path_halo=not css_halo)
    return fig


def render_static(
    layers: Sequence[Layer],
    *,
    fmt: StaticFormat = "png",
    title: str | None = None,
    lang: str = "en",
    width_px: int = 1200,
    height_px: int = 1400,
    dpi: int = 150,
    basemap: bool = True,
    description: str | None = None,
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
        ``height`` are in px, its text is text). At least :func:`min_size_px` of
        ``dpi``: smaller maps are refused, their text would not be readable.
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
    import matplotlib

    buf = io.BytesIO()
    meta: dict[str, Any] = ({"Software": None} if fmt == "png" else
                            {"Date": None, "Creator": "gazamap"})
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    data = buf.getvalue()
    if fmt == "svg":  # well-formed whatever the titles, labels and file names hold
        data = _svg_pixel_size(data, width_px, height_px)
        data = clean_xml(_svg_text_alternative(data, title or "Map of the Gaza Strip",
                                               description))
    return data


def _svg_text_alternative(svg: bytes, title: str, description: str | None) -> bytes:
    """Put ``<title>`` and ``<desc>`` first in the SVG root (SVG 2 §5.9), escaped."""
    from xml.sax.saxutils import escape

    head, sep, rest = svg.partition(b"<svg ")
    root, gt, tail = rest.partition(b">")
    text = f"<title>{escape(title)}</title>"
    if description:
        text += f"<desc>{escape(description)}</desc>"
    return head + sep + root + gt + b"\n " + text.encode("utf-8") + tail


# The labels' halo in SVG: a white stroke painted beneath the glyphs (SVG 2 paint-order;
# viewers without it still show the dark text).
_SVG_LABEL_STYLE = (b'<style type="text/css">g[id^="gz-label-"] text{stroke:#ffffff;'
                    b"stroke-width:2.5px;stroke-linejoin:round;paint-order:stroke}</style>")


def _svg_pixel_size(svg: bytes, width_px: int, height_px: int) -> bytes:
    """Give the SVG root the requested size in px (matplotlib writes points).

    The ``viewBox`` stays, so the drawing scales to the new size as a whole.
    """
    head, sep, rest = svg.partition(b"<svg ")
    root, gt, tail = rest.partition(b">")
    root = re.sub(rb'\bwidth="[0-9.]+pt"', f'width="{width_px}px"'.encode(), root, count=1)
    root = re.sub(rb'\bheight="[0-9.]+pt"', f'height="{height_px}px"'.encode(), root, count=1)
    return head + sep + root + gt + b"\n " + _SVG_LABEL_STYLE + tail


def _background(ax: Axes, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, edgecolor="none", zorder=0)


# (dx, dy) offsets in points and alignment tried in turn: on the point, then around it
_AROUND = ((0, 0, "center", "center"), (0, 7, "center", "bottom"), (0, -7, "center", "top"),
           (7, 0, "left", "center"), (-7, 0, "right", "center"))
_BESIDE = ((5, 3, "left", "bottom"), (5, -3, "left", "top"), (-5, 3, "right", "bottom"),
           (-5, -3, "right", "top"), (0, 7, "center", "bottom"), (0, -7, "center", "top"))
_LABEL_FONT = {1: (9.0, "bold"), 2: (7.5, "bold"), 3: (6.5, "normal")}


def _label_items(layers: Sequence[Layer], geoms: dict[str, list[shapely.Geometry]],
                 lang: str) -> list[tuple[str, shapely.Point, tuple[Any, ...], float, str,
                                          str, bool]]:
    """``(text, anchor, candidates, size_pt, weight, colour, required)``, by priority."""
    has_labels = any(ly.kind == "labels" for ly in layers)
    named: list[Any] = []
    others: list[Any] = []
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
                named.append((text, anchor, _AROUND, size, weight,
                              "#3a3a3a" if gov else "#111111", rank == 1 and not gov))
            elif ly.symbol == "point":
                others.append((text, anchor, _BESIDE, 6.0, "normal", "#1a1a1a", False))
            else:
                others.append((text, anchor, _AROUND[:1], 8.0, "bold", "#1a1a1a", False))
    return named + others


def _labels(ax: Axes, fig: Figure, layers: Sequence[Layer],
            geoms: dict[str, list[shapely.Geometry]], lang: str,
            decorations: Sequence[Any] = (), *, path_halo: bool = True) -> None:
    """Place labels greedily, most important first, clear of each other and the line.

    A label goes where it touches no other label, no dividing line and no decoration;
    one that fits nowhere is left out (a rank-1 town is then placed where it touches no
    other label, even over the line).
    """
    import matplotlib.patheffects as pe

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    halo = [pe.withStroke(linewidth=2.5, foreground="#ffffff")] if path_halo else None
    ab = ax.get_window_extent(renderer)
    inside = shapely.box(ab.x0, ab.y0, ab.x1, ab.y1)
    placed: list[shapely.Geometry] = []
    for art in decorations:
        bb = art.get_window_extent(renderer)
        placed.append(shapely.box(bb.x0, bb.y0, bb.x1, bb.y1))
    lines = [g for ly in layers if ly.kind == "line" and ly.symbol == "line"
             for g in geoms[ly.id]] + [g for ly in layers if ly.id == "compare-line"
                                        for g in geoms[ly.id]]
    obstacle = None
    if lines:
        px = [shapely.transform(g, lambda c: ax.transData.transform(c)) for g in lines]
        obstacle = shapely.union_all(px).buffer(3.0 * fig.dpi / 72)
    items = _label_items(layers, geoms, lang)
    for n, (text, anchor, cands, size, weight, colour, required) in enumerate(items):
        for avoid_line in ((True, False) if required else (True,)):
            done = False
            for dx, dy, ha, va in cands:
                art = ax.annotate(shape_arabic(text), (anchor.x, anchor.y), xytext=(dx, dy),
                                  textcoords="offset points", ha=ha, va=va, fontsize=size,
                                  fontweight=weight, color=colour, path_effects=halo,
                                  zorder=120, annotation_clip=False, gid=f"gz-label-{n}")
                bb = art.get_window_extent(renderer)
                box = shapely.box(bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
                ok = (inside.contains(box) and not any(box.intersects(p) for p in placed)
                      and not (avoid_line and obstacle is not None
                               and box.intersects(obstacle)))
                if ok:
                    placed.append(box)
                    done = True
                    break
                art.remove()
            if done:
                break


_RC: dict[str, Any] = {
    "svg.hashsalt": _SVG_SALT,
    # text stays text in SVG (selectable, editable, shaped by the viewer)
    "svg.fonttype": "none",
    # "$5 to $10" is a name, not mathematics (issue 9)
    "text.parse_math": False,
    "lines.scale_dashes": False,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "Noto Sans", "Noto Sans Arabic", "sans-serif"],
    "path.simplify": False,
}
