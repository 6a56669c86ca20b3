"""The claims chart: each published figure's stated range beside the computed interval.

One row per checkable claim, grouped by metric, each group on its own common axis (its
unit): the computed interval is a grey band with a tick at the central value, the stated
range a bar coloured by the verdict with a dot at the stated value (an arrow for ``>``
and ``<`` claims), and the row is labelled with the outlet and the date. A reader sees
at a glance whether the two overlap.

The chart is laid out once (:func:`chart_layout`, pixel coordinates) and drawn by two
renderers from the same primitives: SVG text (:func:`chart_svg`, inline in the report
and ``gazamap check LEDGER --out claims.svg``) and matplotlib (:func:`chart_png`,
``--out claims.png``), so both show the same chart.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from geo.claims import LedgerResult, Verdict
from layers._text import date_words
from layers.styles import OKABE_ITO
from maps.chart_marks import FONT, Circle, Group, GroupEnd, Line, Mark, Poly, Rect, Text
from maps.html import esc

__all__ = ["VERDICT_COLOURS", "METRIC_TITLES", "ChartRow", "Chart", "chart_rows",
           "chart_layout", "chart_svg", "chart_png", "verdict_word", "MINUS"]

MINUS = "\u2212"  # the one minus sign of every published text
# Okabe-Ito (colour-blind safe); a borderline fit gets its own colour and a hollow dot
VERDICT_COLOURS = {"consistent": OKABE_ITO["bluish_green"],
                   "borderline": OKABE_ITO["orange"],
                   "inconsistent": OKABE_ITO["vermillion"]}
COMPUTED_FILL = "#9a9a9a"
METRIC_TITLES = {
    "zone_share_pct": "Share of a zone",
    "zone_area_km2": "Area of a zone",
    "total_area_km2": "Area of the Strip",
    "governorate_share_pct": "Share of a governorate in a zone",
    "border_length_km": "Border length",
    "shares_border": "Borders (yes or no)",
    "band_area_km2": "Area of a border band",
    "percent_of": "Arithmetic: percentage of stated numbers",
    "sum": "Arithmetic: sum of stated numbers",
    "population_share_pct": "Share of the population",
    "marker_offset_m": "Markers' distance from the line",
    "line_depth_km": "Depth of the line from the Israel border",
    "strip_length_km": "Length of the Strip",
    "strip_width_km": "Width of the Strip",
}

METRIC_TITLES_AR = {
    "zone_share_pct": "نسبة منطقة",
    "zone_area_km2": "مساحة منطقة",
    "total_area_km2": "مساحة القطاع",
    "governorate_share_pct": "نسبة محافظة في منطقة",
    "border_length_km": "طول الحدود",
    "shares_border": "الحدود (نعم أو لا)",
    "band_area_km2": "مساحة شريط حدودي",
    "percent_of": "حساب: نسبة مئوية لأرقام معلنة",
    "sum": "حساب: مجموع أرقام معلنة",
    "population_share_pct": "نسبة السكان",
    "marker_offset_m": "بعد العلامات عن الخط",
    "line_depth_km": "عمق الخط من الحدود مع إسرائيل",
    "strip_length_km": "طول القطاع",
    "strip_width_km": "عرض القطاع",
}
_UNITS_AR = {"km²": "كم²", "km": "كم", "m": "م", "%": "%"}

# layout in CSS pixels (the SVG's user units; the PNG is drawn at 1 px = 1/100 inch x dpi)
WIDTH = 860
LABEL_W = 250
PLOT_X0 = LABEL_W + 14
PLOT_X1 = WIDTH - 24
ROW_H = 20


def verdict_word(v: Verdict) -> str:
    """The verdict in a word; "borderline" only when the stated value is inside the interval.

    A consistent claim whose stated value lies outside the computed interval fits only
    thanks to its own rounding: it reads "consistent (by its rounding)".
    """
    if v.verdict != "consistent":
        return v.verdict
    if v.margin is not None and v.margin < 0:
        return "consistent (by its rounding)"
    return "consistent (borderline)" if v.borderline else "consistent"


def _colour_key(v: Verdict) -> str:
    if v.verdict == "inconsistent":
        return "inconsistent"
    return "borderline" if verdict_word(v) != "consistent" else "consistent"


@dataclass(frozen=True)
class ChartRow:
    """One checkable claim on the chart (numbers in the metric's unit; yes/no as 0/1)."""

    claim_id: str
    label: str
    verdict: str
    colour_key: str
    op: str
    stated_low: float
    stated_high: float
    stated_value: float
    computed_low: float
    computed_high: float
    computed_value: float
    title: str
    boolean: bool = False


@dataclass
class Chart:
    """The laid-out chart: its size and its marks in drawing order (:mod:`maps.chart_marks`)."""

    width: int
    height: int
    items: list[Mark] = field(default_factory=list)
    n_marks: int = 0


def _label(v: Verdict, lang: str = "en") -> str:
    c = v.claim
    who = c.outlet or c.source or "?"
    when = date_words(c.date, lang) if c.date else ("بلا تاريخ" if lang == "ar" else "no date")
    text = f"{who}, {when}"
    return text if len(text) <= 34 else text[:33].rstrip() + "…"  # fits 250 px at 12 px


def _num(x: float) -> str:
    text = f"{x:.6g}"
    return text.replace("-", MINUS)


def chart_rows(result: LedgerResult, lang: str = "en") -> dict[str, list[ChartRow]]:
    """The checkable claims as chart rows, grouped by metric in ledger order."""
    groups: dict[str, list[ChartRow]] = {}
    for v in result.verdicts:
        c, s = v.computed, v.claim.stated
        if c is None or v.verdict == "not-checkable":
            continue
        if isinstance(c.value, bool):
            poss = [float(p) for p in (c.possible or (c.value,))]
            sv = float(bool(s.value))
            row = ChartRow(v.id, _label(v, lang), v.verdict, _colour_key(v), "=", sv, sv, sv,
                           min(poss), max(poss), float(c.value),
                           f"{v.id}: stated {str(s.value).lower()}, computed "
                           f"{' or '.join(str(p).lower() for p in c.possible)}; "
                           f"{verdict_word(v)}", boolean=True)
        else:
            if s.low is None or s.high is None:
                continue
            value = (sum(s.value) / 2 if isinstance(s.value, tuple)
                     else float(s.value))  # type: ignore[arg-type]
            lo = c.low if c.low is not None else c.value
            hi = c.high if c.high is not None else c.value
            unit = v.unit if v.unit in ("", "%") else f" {v.unit}"
            rng = "" if lo == hi else f" ({_num(lo)}–{_num(hi)})"
            row = ChartRow(v.id, _label(v, lang), v.verdict, _colour_key(v), v.claim.op,
                           s.low, s.high, value, lo, hi, float(c.value),
                           f"{v.id}: stated {v.claim.op} {s.text}{unit}, computed "
                           f"{_num(float(c.value))}{unit}{rng}; {verdict_word(v)}")
        groups.setdefault(v.claim.metric, []).append(row)
    return groups


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    out = []
    x = first
    while x <= hi + 1e-9 * span:
        out.append(round(x, 10))
        x += step
    return out


def _unit_of(metric: str) -> str:
    from geo.claims import METRICS

    return METRICS[metric].unit if metric in METRICS else ""


@dataclass(frozen=True)
class _Frame:
    """The chart's geometry: wide (labels left of the bars) or narrow (labels above)."""

    width: int
    label_w: int  # the labels' right edge (wide)
    x0: float  # the plot's left and right edges
    x1: float
    row_h: int
    bar_dy: int  # narrow: the bars sit below their label
    narrow: bool


def _frame(narrow: bool) -> _Frame:
    """The wide frame (860 px) or the narrow one of a phone (380 px)."""
    if narrow:
        return _Frame(380, 0, 12, 380 - 16, 34, 8, True)
    return _Frame(WIDTH, LABEL_W, PLOT_X0, PLOT_X1, ROW_H, 0, False)


@dataclass(frozen=True)
class _Axis:
    """A group's common axis: values ``lo``..``hi`` drawn from ``x0`` to ``x1`` px."""

    lo: float
    hi: float
    x0: float
    x1: float

    def px(self, x: float) -> float:
        """The horizontal pixel of the value ``x``."""
        return self.x0 + (x - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)


class _Items(list[Mark]):
    """The chart's marks, in drawing order."""

    def text(self, x: float, y: float, s: str, *, size: float = FONT, anchor: str = "start",
             weight: int = 400, fill: str = "#1a1a1a") -> None:
        """Add a text whose baseline starts (ends, is centred) at ``x, y``."""
        self.append(Text(x, y, s, size, anchor, weight, fill))


def _value_range(rows: list[ChartRow], boolean: bool) -> tuple[float, float, list[float]]:
    """A group's axis range (every stated and computed bound, padded) and its ticks."""
    if boolean:
        return -0.5, 1.5, [0.0, 1.0]
    vals = [v for r in rows for v in (r.stated_low, r.stated_high, r.computed_low,
                                     r.computed_high)]
    lo, hi = min(vals), max(vals)
    pad = (hi - lo) * 0.06 or abs(hi) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    return lo, hi, _ticks(lo, hi)


def _group_title(metric: str, boolean: bool, lang: str) -> str:
    """The group's heading: the metric's title and its unit (none for yes or no)."""
    unit = _unit_of(metric)
    title = (METRIC_TITLES_AR if lang == "ar" else METRIC_TITLES).get(metric, metric)
    if lang == "ar":
        unit = _UNITS_AR.get(unit, unit)
    return f"{title}" + (f" ({unit})" if unit and not boolean else "")


def _lay_out_row(items: _Items, frame: _Frame, axis: _Axis, r: ChartRow, y: float) -> None:
    """One claim: its label, the computed band and tick, the stated bar (arrow) and dot."""
    px, x0, x1 = axis.px, frame.x0, frame.x1
    cy = y + frame.row_h / 2 + frame.bar_dy
    colour = VERDICT_COLOURS[r.colour_key]
    items.append(Group(r.claim_id, f"gz-mark gz-{r.verdict}", r.title))
    if frame.narrow:
        items.text(0, y + 11, r.label, size=11)
    else:
        items.text(frame.label_w, cy + 4, r.label, anchor="end")
    c0, c1 = px(r.computed_low), px(r.computed_high)
    items.append(Rect(c0, cy - 6, max(c1 - c0, 2.0), 12, COMPUTED_FILL, 0.55))
    cx = px(r.computed_value)
    items.append(Line(cx, cy - 7, cx, cy + 7, "#1a1a1a", 2))
    s0, s1 = px(r.stated_low), px(r.stated_high)
    if r.op in (">", ">="):
        s1 = x1
    elif r.op in ("<", "<="):
        s0 = x0
    items.append(Rect(s0, cy - 2, max(s1 - s0, 2.0), 4, colour, 1.0))
    if r.op in (">", ">="):
        items.append(Poly(((x1, cy - 5), (x1 + 8, cy), (x1, cy + 5)), colour))
    elif r.op in ("<", "<="):
        items.append(Poly(((x0, cy - 5), (x0 - 8, cy), (x0, cy + 5)), colour))
    hollow = r.colour_key == "borderline"
    items.append(Circle(px(r.stated_value), cy, 4.5, "#ffffff" if hollow else colour, colour,
                        2 if hollow else 1))
    items.append(GroupEnd())


def _lay_out_group(items: _Items, frame: _Frame, metric: str, rows: list[ChartRow],
                   y: float, lang: str) -> float:
    """A metric's heading, its axis (tick labels above, grid lines) and its rows.

    Returns the ``y`` below the group.
    """
    boolean = all(r.boolean for r in rows)
    items.text(0, y + 14, _group_title(metric, boolean, lang), size=13, weight=700)
    y += 22
    lo, hi, ticks = _value_range(rows, boolean)
    axis = _Axis(lo, hi, frame.x0, frame.x1)
    grid_h = len(rows) * frame.row_h
    for t in ticks:
        label = ("yes" if t == 1 else "no") if boolean else _num(t)
        items.text(axis.px(t), y + 10, label, size=11, anchor="middle", fill="#333333")
        items.append(Line(axis.px(t), y + 14, axis.px(t), y + 14 + grid_h, "#d0d0d0", 1))
    y += 14
    for r in rows:
        _lay_out_row(items, frame, axis, r, y)
        y += frame.row_h
    return y + 12


def _lay_out_legend(items: _Items, y: float, narrow: bool, lang: str) -> float:
    """The legend (part of the chart, so that SVG and PNG files explain themselves).

    Returns the ``y`` below it.
    """
    for colour, words, hollow in legend_items(lang):
        items.append(Rect(0, y + 5, 24, 10 if not hollow else 4, colour,
                          0.55 if colour == COMPUTED_FILL else 1.0))
        if hollow:
            items.append(Circle(12, y + 7, 4.5, "#ffffff", colour, 2))
        items.text(32, y + 14, words, size=11 if narrow else FONT)
        y += 18
    return y


def chart_layout(result: LedgerResult, *, narrow: bool = False, lang: str = "en") -> Chart:
    """Lay out the chart of ``result`` (see the module docstring).

    ``narrow`` (a phone): 380 px wide, each row's label on its own line above its bars.
    ``lang="ar"``: Arabic titles, legend and dates (the axis runs left to right).
    """
    frame = _frame(narrow)
    groups = chart_rows(result, lang)
    items = _Items()
    y = 4.0
    for metric, rows in groups.items():
        y = _lay_out_group(items, frame, metric, rows, y, lang)
    if not groups:
        items.text(0, y + 14, "No checkable claim.")
        y += 24
    y = _lay_out_legend(items, y, narrow, lang)
    n = sum(len(rows) for rows in groups.values())
    return Chart(frame.width, int(math.ceil(y + 4)), list(items), n)


def chart_svg(result: LedgerResult, *, standalone: bool = False, title: str = "",
              narrow: bool = False, lang: str = "en") -> str:
    """The chart as SVG: inline (for an HTML ``<figure>``) or a standalone ``.svg`` file.

    Every text is escaped; the SVG has a ``role="img"`` and an accessible name.
    ``narrow`` lays it out for a phone (see :func:`chart_layout`).
    """
    chart = chart_layout(result, narrow=narrow, lang=lang)
    name = title or ("الادعاءات: النطاقات المعلنة بجانب المجالات المحسوبة، حسب الحكم"
                     if lang == "ar" else
                     "Claims: stated ranges beside computed intervals, by verdict")
    cls = "gz-chart gz-chart-narrow" if narrow else "gz-chart gz-chart-wide"
    head = (f'<svg class="{cls}" viewBox="0 0 {chart.width} {chart.height}" '
            f'width="{chart.width}" height="{chart.height}" role="img" '
            f'aria-label="{esc(name)}" direction="ltr" font-family="system-ui, -apple-system, '
            f"'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif\"")
    if standalone:
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                + head.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
                + f">\n<title>{esc(name)}</title>\n"
                + f'<rect width="{chart.width}" height="{chart.height}" fill="#ffffff"/>')
    else:
        head += ">"
    return head + "\n" + "\n".join(it.svg() for it in chart.items) + "\n</svg>\n"


# the legend's words: the computed interval, then the stated range by verdict colour
_LEGEND_WORDS = ("computed interval (black tick: central value)",
                 "stated range (dot: stated value): consistent",
                 "stated range: consistent at an edge or only by its rounding",
                 "stated range: inconsistent")
_LEGEND_WORDS_AR = ("المجال المحسوب (العلامة السوداء: القيمة المركزية)",
                    "النطاق المعلن (النقطة: القيمة المعلنة): متسق",
                    "النطاق المعلن: متسق عند الحد أو بفضل التقريب",
                    "النطاق المعلن: غير متسق")


def legend_items(lang: str = "en") -> list[tuple[str, str, bool]]:
    """(colour, words, hollow dot) of the chart's legend: the computed band, each verdict."""
    computed, *stated = _LEGEND_WORDS_AR if lang == "ar" else _LEGEND_WORDS
    return [(COMPUTED_FILL, computed, False),
            *((colour, words, key == "borderline")
              for (key, colour), words in zip(VERDICT_COLOURS.items(), stated, strict=True))]


def chart_png(result: LedgerResult, *, dpi: int = 100, title: str = "") -> bytes:
    """The same chart as PNG (matplotlib, the layout's pixels at ``dpi`` / 100 scale)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    chart = chart_layout(result)
    top = 30 if title else 0
    w, h = chart.width, chart.height + top
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(w / 100, h / 100), dpi=dpi, facecolor="#ffffff")
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(0, w)
        ax.set_ylim(h, 0)
        if title:
            ax.text(0, 20, title, fontsize=14 * 0.75, fontweight="bold", va="baseline")
        for it in chart.items:
            it.draw(ax, top)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
