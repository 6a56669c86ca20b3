"""The line over time drawn with matplotlib: the share chart and the map of every version.

The chart puts each version's east share (% of the measured outline) on a time axis with
its interval as an error bar, and the figures stated without geometry as separate, hollow
markers numbered in a key that names their outlets. The map draws every version's line
thin, coloured by date (viridis: ordered and colour-blind safe), in the local equal-area
CRS. English or Arabic (labels shaped as :mod:`maps.static.text` shapes them).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from geo.errors import InputError
from geo.geometry.crs import to_laea
from geo.timeline import Timeline
from maps.static.text import rc_context, shape_arabic
from maps.static.write import StaticFormat, figure_bytes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["WORDS", "ChartWords", "version_colours", "chart_figure", "render_chart",
           "render_versions_map"]


@dataclass(frozen=True)
class ChartWords:
    """The chart's and the versions map's words in one language (``{...}`` filled in)."""

    title: str
    axis: str
    version: str
    stated: str
    km2: str
    pct: str
    key: str
    map_title: str
    legend: str
    date: str


_EN = ChartWords(
    title="Share of the Gaza Strip east of {line} (under Israeli military control)",
    axis="east zone, % of {outline} ({km2:.1f} km²)",
    version="version (computed; bar: ± positional uncertainty)",
    stated="stated without geometry (outlet in the key)",
    km2="{v:g} km² stated", pct="{v:g} % stated",
    key="Stated figures", map_title="Every version of {line}",
    legend="version (date)", date="date")
WORDS = {
    "en": _EN,
    "ar": ChartWords(
        title="حصة قطاع غزة شرق {line} (تحت السيطرة العسكرية الإسرائيلية)",
        axis="المنطقة الشرقية، % من {outline} ({km2:.1f} كم²)",
        version="نسخة (محسوبة؛ الشريط: ± عدم اليقين الموضعي)",
        stated="رقم منشور دون هندسة (الجهة في المفتاح)",
        km2="{v:g} كم² منشور", pct="{v:g} % منشور",
        key="الأرقام المنشورة", map_title="كل نسخ {line}",
        legend="النسخة (التاريخ)", date="التاريخ"),
}


def _w(lang: str) -> ChartWords:
    return WORDS.get(lang, _EN)


def version_colours(n: int) -> list[str]:
    """``n`` colours from oldest to newest (viridis, dark to light; hex).

    >>> version_colours(1)
    ['#440154']
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return [to_hex(cmap(0.85 * i / max(1, n - 1))) for i in range(n)]


def _outlet(text: str) -> str:
    """The outlet's name without the where-it-was-read remark."""
    return text.split(" (text seen")[0].split(" (no URL")[0]


def _day(text: str) -> date:
    from geo.timeline import date_span

    span = date_span(text)
    assert span is not None  # versions are dated (geo.timeline.line_versions_of)
    return span[0]


def _size(width_px: int, height_px: int, dpi: int) -> tuple[float, float]:
    if not (300 <= width_px <= 8000 and 200 <= height_px <= 8000):
        raise InputError(f"a chart of {width_px}x{height_px} px", source="width_px",
                         fix="give 300-8000 px wide and 200-8000 px high")
    return width_px / dpi, height_px / dpi


@dataclass(frozen=True)
class _ChartLayout:
    """The chart's font size, title lines and frames (figure fractions)."""

    small: bool  # under 700 px wide: smaller text, fewer date ticks
    fs: float  # the axis labels' font size (pt); the other texts are set relative to it
    key_h: float  # the key of stated figures beneath the plot
    title_lines: list[str]
    axes_rect: tuple[float, float, float, float]


def _chart_layout(tl: Timeline, title: str, width_px: int, height_px: int,
                  dpi: int) -> _ChartLayout:
    """Room for the title above the plot and for the key of stated figures below it."""
    small = width_px < 700
    fs = 8.5 if small else 10
    n_key = len(tl.stated)
    line_px = (fs - 1.5) * 1.3 * dpi / 72
    key_h = min(0.45, (n_key + 1) * line_px / height_px) if n_key else 0.0
    # bold DejaVu Sans: about 0.64 em per character
    chars = int(width_px / ((fs + 2) * dpi / 72 * 0.64))
    title_lines = textwrap.wrap(title, width=max(30, chars))
    top = 1 - (len(title_lines) * (fs + 2) * 1.35 * dpi / 72 + 14) / height_px
    left = 0.15 if small else 0.11
    return _ChartLayout(small, fs, key_h, title_lines,
                        (left, 0.1 + key_h, 0.93 - left, top - 0.12 - key_h))


def _plot_versions(ax: Axes, tl: Timeline, xs: list[float], ys: list[float],
                   colours: list[str], fs: float) -> None:
    """Each version's share with its interval and value, joined by a step line."""
    for v, x, y, c in zip(tl.versions, xs, ys, colours, strict=True):
        e = v.analysis.zone("east")
        err = ([[y - e.interval.low], [e.interval.high - y]] if e.interval else None)
        ax.errorbar([x], [y], yerr=err, fmt="o", color=c, ms=7, capsize=4, lw=1.6,
                    zorder=3)
        ax.annotate(f"{y:.1f} %", (x, y), xytext=(6, 6), textcoords="offset points",
                    fontsize=fs, color="#222222")
    ax.plot(xs, ys, color="#555555", lw=0.8, ls="-", zorder=2, drawstyle="steps-post")


def _plot_stated(ax: Axes, tl: Timeline, sx: list[float], fs: float) -> None:
    """Each figure stated without geometry: a hollow diamond numbered as in the key."""
    seen: dict[tuple[float, float], int] = {}
    for i, (p, x) in enumerate(zip(tl.stated, sx, strict=True), start=1):
        # points stated on one day with one value: their numbers side by side
        k = seen[(x, p.share_pct)] = seen.get((x, p.share_pct), -1) + 1
        ax.errorbar([x], [p.share_pct], yerr=[[p.share_pct - p.low],
                                                    [p.high - p.share_pct]],
                    fmt="D", mfc="white", mec="#b2182b", ecolor="#b2182b", ms=6,
                    capsize=2, lw=1, zorder=4)
        ax.annotate(str(i), (x, p.share_pct), xytext=(4 + 8 * k, -11),
                    textcoords="offset points", fontsize=fs - 1, color="#b2182b")


def _dress_axes(ax: Axes, tl: Timeline, lang: str, ys: list[float], newest: str,
                layout: _ChartLayout) -> None:
    """The legend, the axis labels, monthly date ticks, the share's range and the grid."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    w, t, fs = _w(lang), shape_arabic, layout.fs
    handles = [Line2D([], [], marker="o", color=newest, ls="", ms=7),
               Line2D([], [], marker="D", mfc="white", mec="#b2182b", ls="", ms=6)]
    ax.legend(handles, [t(w.version), t(w.stated)], loc="upper left",
              fontsize=fs - 1, frameon=True, framealpha=0.9)
    ax.set_ylabel(t(w.axis.format(outline=tl.boundary_ref, km2=tl.boundary_area_km2)),
                  fontsize=fs)
    ax.set_xlabel(t(w.date), fontsize=fs)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=6 if layout.small else 9))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.tick_params(labelsize=fs - 1)
    lows = [y - 3 for y in ys] + [p.low - 1 for p in tl.stated]
    highs = [y + 5 for y in ys] + [p.high + 1 for p in tl.stated]
    ax.set_ylim(max(0, min(lows)), min(100, max(highs)))
    ax.grid(True, color="#dddddd", lw=0.6)


def _stated_key(fig: Figure, tl: Timeline, lang: str, layout: _ChartLayout,
                width_px: int) -> None:
    """The numbered key of the stated figures (date, value, outlet) beneath the plot."""
    w = _w(lang)
    key = [w.key + ":"] + [
        f"{i}. {p.date.split(' ')[0]}  "
        + (w.km2 if p.unit == "km2" else w.pct).format(v=round(p.value, 2))
        + f"  {_outlet(p.outlet)}" for i, p in enumerate(tl.stated, start=1)]
    chars = max(40, int(width_px / (6.2 if layout.small else 6.8)))
    fig.text(0.02 if lang != "ar" else 0.98, 0.015 + layout.key_h,
             "\n".join(shape_arabic(textwrap.shorten(k, chars, placeholder="…"))
                       for k in key),
             ha="left" if lang != "ar" else "right", va="top", fontsize=layout.fs - 1.5,
             color="#333333", linespacing=1.25)


def chart_figure(tl: Timeline, *, lang: str = "en", width_px: int = 900,
                 height_px: int = 620, dpi: int = 100) -> Figure:
    """The share-over-time chart as a matplotlib Figure (Agg canvas)."""
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with rc_context():
        fig = Figure(figsize=_size(width_px, height_px, dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        layout = _chart_layout(tl, _w(lang).title.format(line=tl.line_id), width_px,
                               height_px, dpi)
        ax = fig.add_axes(layout.axes_rect)
        colours = version_colours(len(tl.versions))
        xs = [float(mdates.date2num(_day(v.date))) for v in tl.versions]
        sx = [float(mdates.date2num(p.day)) for p in tl.stated]
        ys = [v.east_share_pct() for v in tl.versions]
        _plot_versions(ax, tl, xs, ys, colours, layout.fs)
        _plot_stated(ax, tl, sx, layout.fs)
        _dress_axes(ax, tl, lang, ys, colours[-1], layout)
        fig.text(0.5, 0.985, "\n".join(shape_arabic(x) for x in layout.title_lines),
                 ha="center", va="top", fontsize=layout.fs + 2, weight="bold")
        pad = max((max(xs + sx) - min(xs + sx)) / 12, 10.0)  # days
        ax.set_xlim(min(xs + sx) - pad, max(xs + sx) + pad)
        if tl.stated:
            _stated_key(fig, tl, lang, layout, width_px)
    return fig


def _save(fig: Figure, fmt: str, dpi: int) -> bytes:
    if fmt not in ("png", "svg"):
        raise InputError(f"format {fmt!r} is not an image format", source="format",
                         fix="use png or svg")
    return figure_bytes(fig, cast(StaticFormat, fmt), dpi)


def render_chart(tl: Timeline, fmt: str = "png", *, lang: str = "en", width_px: int = 900,
                 height_px: int = 620) -> bytes:
    """The share-over-time chart as PNG or SVG bytes (the same inputs give the same bytes)."""
    return _save(chart_figure(tl, lang=lang, width_px=width_px, height_px=height_px), fmt,
                 100)


def render_versions_map(tl: Timeline, fmt: str = "png", *, lang: str = "en",
                        width_px: int = 900, height_px: int = 1000) -> bytes:
    """Every version's line, thin and coloured by date, on the outline (PNG or SVG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from geo.compare import dividing_line_laea

    w = _w(lang)
    dpi = 100
    with rc_context():
        fig = Figure(figsize=_size(width_px, height_px, dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
        ax.set_aspect("equal")
        ax.axis("off")
        first = tl.versions[0].analysis
        outline = to_laea(first.partition.boundary, dense=True)
        for poly in getattr(outline, "geoms", [outline]):
            x, y = poly.exterior.xy
            ax.fill(x, y, color="#f4f1ea", ec="#555555", lw=0.8)
            for ring in poly.interiors:
                ax.fill(*ring.xy, color="white", ec="#555555", lw=0.5)
        colours = version_colours(len(tl.versions))
        handles, labels = [], []
        for v, c in zip(tl.versions, colours, strict=True):
            ln = dividing_line_laea(v.analysis.partition)
            for part in getattr(ln, "geoms", [ln]):
                if part.geom_type == "LineString":
                    ax.plot(*part.xy, color=c, lw=1.4, solid_capstyle="round")
            handles.append(Line2D([], [], color=c, lw=2))
            labels.append(f"{v.date}  {v.east_share_pct():.1f} %  ({v.kind})")
        ax.legend(handles, labels, title=shape_arabic(w.legend), loc="lower right",
                  fontsize=9, title_fontsize=9, framealpha=0.95)
        fig.text(0.5, 0.975, shape_arabic(w.map_title.format(line=tl.line_id)),
                 ha="center", va="top", fontsize=12, weight="bold")
        fig.text(0.02, 0.01, f"{tl.boundary_ref}; " + ", ".join(v.ref for v in tl.versions),
                 fontsize=7, color="#555555")
    return _save(fig, fmt, dpi)
