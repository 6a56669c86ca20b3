"""One offline page for the line over time: a date slider over the map, tables and the chart.

The map is inline SVG drawn in the local equal-area CRS (true distances, y up): the
outline, then per version a group with its zones, the band its positional uncertainty
sweeps, the land that changed side since the previous version and its line; every
version's line stays drawn thin beneath. A range input (keyboard accessible, its value
text the version's date) shows one group and that date's area table. The page carries a
strict Content-Security-Policy (its one script and one style allowed by their SHA-256),
makes no network request and is byte-identical for the same inputs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import shapely

from geo.analysis import Analysis
from geo.analysis.request import Request
from geo.compare import dividing_line_laea
from geo.geometry.crs import to_laea
from geo.timeline import Timeline, TimelineMethod
from layers._text import uncertainty_in
from layers.styles import LAND, OKABE_ITO, SEA, ZONE_FILLS
from maps.assets import asset
from maps.html import ICON_HREF, content_security_policy, esc, script_json, whole

__all__ = ["TIMELINE_IGNORES", "timeline_page", "render_timeline", "render_timeline_request",
           "versions_chart_html"]

# Options of `gazamap render` that a timeline page cannot honour (refused with --timeline).
TIMELINE_IGNORES = ("--compare", "--layer", "--layers", "--fragment/--iframe", "--map-id",
                    "--line/--markers/--uncertainty")

_SIMPLIFY_M = 8.0  # well below the lines' stated uncertainty (50-300 m), a 100 kB page
# land that changed side since the previous version: into the east zone, into the west
_TO_EAST_FILL = OKABE_ITO["reddish_purple"]
_TO_WEST_FILL = OKABE_ITO["blue"]


@dataclass(frozen=True)
class _Words:
    """The page's interface words in one language (``{...}`` filled in by the page)."""

    title: str
    slider: str
    zone: str
    km2: str
    share: str
    interval: str
    east: str
    west: str
    caption: str
    changed: str
    to_east: str
    to_west: str
    first: str
    legend: str
    band: str
    line: str
    chart: str
    chart_alt: str
    method: str
    places: str
    disp: str
    map: str

    def zone_name(self, zone_id: str) -> str:
        """The name of the zone ``zone_id`` (east, west; another id as it is)."""
        return {"east": self.east, "west": self.west}.get(zone_id, zone_id)


_EN = _Words(
    title="{line}: every version, {first} to {last}", slider="Version date",
    zone="zone", km2="km²", share="% of outline", interval="interval %",
    east="east (Israeli military control)", west="west",
    caption="Areas on {date} ({ref}; {kind}; {u})",
    changed="Changed side since {prev}", to_east="moved into the east zone",
    to_west="moved into the west zone", first="first version: nothing to compare",
    legend="Legend", band="band swept by ± positional uncertainty",
    line="the selected version's line", chart="Chart: east share over time",
    chart_alt="East share of the outline per version with intervals, and figures "
              "stated without geometry as separate markers",
    method="Data and method", places="places that changed side",
    disp="line moved: mean {mean:.0f} m, median {median:.0f} m, max {max:.0f} m, "
         "Hausdorff {hausdorff:.0f} m", map="Map of the selected version")
_AR = _Words(
    title="{line}: كل النسخ، من {first} إلى {last}", slider="تاريخ النسخة",
    zone="المنطقة", km2="كم²", share="% من المساحة", interval="المجال %",
    east="الشرقية (سيطرة عسكرية إسرائيلية)", west="الغربية",
    caption="المساحات في {date} ({ref}؛ {kind}؛ {u})",
    changed="تغيّر الجانب منذ {prev}", to_east="انتقل إلى المنطقة الشرقية",
    to_west="انتقل إلى المنطقة الغربية", first="النسخة الأولى: لا مقارنة",
    legend="المفتاح", band="الشريط الذي يمسحه عدم اليقين الموضعي",
    line="خط النسخة المختارة", chart="رسم بياني: الحصة الشرقية عبر الزمن",
    chart_alt="حصة المنطقة الشرقية لكل نسخة مع المجال، والأرقام المنشورة دون هندسة",
    method="البيانات والطريقة", places="أماكن تغيّر جانبها",
    disp="تحرك الخط: المتوسط {mean:.0f} م، الوسيط {median:.0f} م، الأقصى {max:.0f} م، "
         "هاوسدورف {hausdorff:.0f} م", map="خريطة النسخة المختارة")


def _words(lang: str) -> _Words:
    """The page's words in ``lang`` (Arabic, else English)."""
    return _AR if lang == "ar" else _EN


class _Frame:
    """Projects lon/lat geometry to SVG path data in metres of the local LAEA (y down)."""

    def __init__(self, outline_ll: shapely.Geometry):
        minx, miny, maxx, maxy = to_laea(outline_ll).bounds
        pad = 0.03 * max(maxx - minx, maxy - miny)
        self.x0, self.y1 = minx - pad, maxy + pad
        self.w, self.h = maxx - minx + 2 * pad, maxy - miny + 2 * pad

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.w:.0f} {self.h:.0f}"

    def path(self, g_ll: shapely.Geometry, *, planar: bool = False) -> str:
        if g_ll is None or g_ll.is_empty:
            return ""
        g = (g_ll if planar else to_laea(g_ll, dense=True)).simplify(_SIMPLIFY_M)
        out: list[str] = []
        for part in shapely.get_parts(g):
            if part.geom_type == "Polygon":
                for ring in (part.exterior, *part.interiors):
                    out.append(self._ring(ring.coords, close=True))
            elif part.geom_type in ("LineString", "LinearRing"):
                out.append(self._ring(part.coords, close=False))
        return "".join(out)

    def _ring(self, coords: Any, close: bool) -> str:
        pts = [f"{x - self.x0:.0f} {self.y1 - y:.0f}" for x, y, *_ in coords]
        if len(pts) < 2:
            return ""
        return "M" + "L".join(pts) + ("Z" if close else "")


def _svg(tl: Timeline, frame: _Frame, lang: str, map_id: str) -> str:
    w = _words(lang)
    east_fill, east_op = ZONE_FILLS["east"]
    west_fill, west_op = ZONE_FILLS["west"]
    first = tl.versions[0].analysis
    stroke = max(frame.w, frame.h) / 400  # ~2 px at a 800 px wide map
    # width and height give the aspect ratio; CSS scales it to the column and the screen
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{frame.viewbox}" '
             f'width="{frame.w / 50:.0f}" height="{frame.h / 50:.0f}" '
             f'role="img" aria-labelledby="{map_id}-map-title" '
             'preserveAspectRatio="xMidYMid meet">',
             f'<title id="{map_id}-map-title">{esc(w.map)}</title>',
             f'<rect width="{frame.w:.0f}" height="{frame.h:.0f}" fill="{SEA}"/>',
             f'<path d="{_neighbours_path(frame)}" fill="{LAND}" stroke="#888" '
             f'stroke-width="{stroke * 0.5:.0f}" fill-rule="evenodd"/>',
             f'<path d="{frame.path(first.partition.boundary)}" fill="{LAND}" '
             f'fill-rule="evenodd" stroke="#000" stroke-width="{stroke:.0f}"/>']
    # every version's line, thin, beneath the selected one
    lines = [frame.path(dividing_line_laea(v.analysis.partition), planar=True)
             for v in tl.versions]
    others = [f'<path d="{d}" fill="none" stroke="#333" stroke-width="{stroke * 0.6:.0f}" '
              f'stroke-dasharray="{stroke * 3:.0f} {stroke * 2:.0f}"/>' for d in lines]
    parts.append('<g class="tl-others">' + "".join(others) + "</g>")
    for i, v in enumerate(tl.versions):
        a = v.analysis
        g = [f'<g class="tl-version" data-i="{i}" data-ref="{esc(v.ref)}"'
             + (" hidden" if i != len(tl.versions) - 1 else "") + ">"]
        g.append(f'<path d="{frame.path(a.zone("east").geometry)}" fill="{east_fill}" '
                 f'fill-opacity="{east_op}" fill-rule="evenodd"/>')
        g.append(f'<path d="{frame.path(a.zone("west").geometry)}" fill="{west_fill}" '
                 f'fill-opacity="{west_op}" fill-rule="evenodd"/>')
        bands = a.swept_bands()
        if bands:
            land = shapely.union_all([b[0] for b in bands])
            g.append(f'<path class="tl-band" d="{frame.path(land)}" fill="#3d3900" '
                     f'fill-opacity="0.4" fill-rule="evenodd" stroke="#3d3900" '
                     f'stroke-width="{stroke * 0.4:.0f}" stroke-dasharray="{stroke:.0f}"/>')
        if i > 0:
            c = tl.changes[i - 1]
            for key, geom, fill in (("to-east", c.to_east, _TO_EAST_FILL),
                                    ("to-west", c.to_west, _TO_WEST_FILL)):
                d = frame.path(geom)
                if d:
                    g.append(f'<path class="tl-{key}" d="{d}" '
                             f'fill="{fill}" fill-opacity="0.9" fill-rule="evenodd" '
                             f'stroke="#000" stroke-width="{stroke * 0.4:.0f}"/>')
        d = lines[i]
        g.append(f'<path class="tl-line" d="{d}" fill="none" stroke="#000" '
                 f'stroke-width="{stroke * 2.6:.0f}" stroke-linejoin="round"/>')
        g.append(f'<path d="{d}" fill="none" stroke="{OKABE_ITO["yellow"]}" '
                 f'stroke-width="{stroke * 1.6:.0f}" stroke-linejoin="round"/>')
        g.append("</g>")
        parts.append("".join(g))
    parts.append("</svg>")
    return "\n".join(parts)


def _neighbours_path(frame: _Frame) -> str:
    """The packaged Israel and Egypt land inside the map's frame (the offline basemap)."""
    from geo.catalog import packaged_catalog

    land = to_laea(packaged_catalog().get("neighbours@2017").geometry(), dense=True)
    box = shapely.box(frame.x0, frame.y1 - frame.h, frame.x0 + frame.w, frame.y1)
    return frame.path(land.intersection(box).simplify(30.0), planar=True)


def _iso(text: str, lang: str) -> str:
    """Left-to-right text (a date, an id) isolated inside right-to-left text (Unicode LRI/PDI).

    For plain text (the title); in HTML use :func:`_whole`.
    """
    return f"\u2066{text}\u2069" if lang == "ar" else text


def _whole(text: str) -> str:
    """:func:`maps.html.whole` with this page's class (its stylesheet keeps it on one line)."""
    return whole(text, "tl-whole")


def _swatch(fill: str, opacity: float = 1.0, line: bool = False) -> str:
    shape = (f'<path d="M1 6H27" stroke="#000" stroke-width="5"/><path d="M1 6H27" '
             f'stroke="{fill}" stroke-width="3"/>' if line else
             f'<rect x="1" y="1" width="26" height="10" fill="{fill}" '
             f'fill-opacity="{opacity}" stroke="#333"/>')
    return (f'<svg class="tl-sw-svg" width="28" height="12" viewBox="0 0 28 12" '
            f'aria-hidden="true">{shape}</svg>')


def _table(tl: Timeline, i: int, lang: str) -> str:
    w = _words(lang)
    v = tl.versions[i]
    a = v.analysis
    u = a.lines[0].uncertainty_m
    rows = []
    for z in a.zones:
        iv = _whole(f"{z.interval.low:.1f}–{z.interval.high:.1f}") if z.interval else "—"
        rows.append(f'<tr><th scope="row">{esc(w.zone_name(z.id))}</th>'
                    f"<td>{z.area_km2:.2f}</td><td>{z.share_pct:.1f}</td><td>{iv}</td></tr>")
    # the template is ours (no braces but its fields), the values are escaped by _whole/esc
    cap = esc(w.caption).format(date=_whole(v.date), ref=_whole(v.ref), kind=_whole(v.kind),
                                u=esc(uncertainty_in(a.lines[0].uncertainty, lang)) if u
                                else "—")
    out = [f'<div class="tl-table" data-i="{i}"' + (" hidden" if i != len(tl.versions) - 1
                                                    else "") + ">",
           f'<table class="tl-table-areas"><caption>{cap}</caption><thead><tr>'
           + "".join(f'<th scope="col">{esc(h)}</th>'
                     for h in (w.zone, w.km2, w.share, w.interval))
           + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"]
    if i == 0:
        out.append(f"<p>{esc(w.first)}</p>")
    else:
        c = tl.changes[i - 1]
        out.append(f'<table class="tl-table-change"><caption>'
                   f'{esc(w.changed).format(prev=_whole(c.older.date))}</caption><tbody>'
                   f'<tr><th scope="row">{_swatch(_TO_EAST_FILL)}{esc(w.to_east)}</th>'
                   f"<td>{c.to_east_km2:.2f} {esc(w.km2)}</td></tr>"
                   f'<tr><th scope="row">{_swatch(_TO_WEST_FILL)}{esc(w.to_west)}</th>'
                   f"<td>{c.to_west_km2:.2f} {esc(w.km2)}</td></tr></tbody></table>")
        d = c.comparison.displacement
        moved = w.disp.format(mean=d.mean_m, median=d.median_m, max=d.max_m,
                              hausdorff=d.hausdorff_m)
        out.append(f"<p>{esc(moved)}</p>")
        places = c.comparison.places_changed
        if places:
            names = ", ".join(str(p.name_ar if lang == "ar" and p.name_ar else p.name)
                              for p in places)
            out.append(f"<p>{esc(w.places)} ({len(places)}): {esc(names)}</p>")
    out.append("</div>")
    return "".join(out)


def timeline_page(tl: Timeline, *, lang: str = "en", title: str | None = None,
                  chart_png: bytes | None = None) -> str:
    """The timeline as one self-contained HTML page (see the module docstring).

    ``chart_png`` is the share chart (default: :func:`maps.timeline_chart.render_chart`),
    embedded as a ``data:`` image.
    """
    w = _words(lang)
    map_id = "gz-tl"
    vs = tl.versions
    title = title or w.title.format(line=_iso(tl.line_id, lang), first=_iso(vs[0].date, lang),
                                       last=_iso(vs[-1].date, lang))
    frame = _Frame(vs[0].analysis.partition.boundary)
    n = len(vs)
    tables = "".join(_table(tl, i, lang) for i in range(n))
    body = (f'<div class="tl-root" data-gz-timeline="{map_id}" data-selected="{n - 1}">'
            f"{_slider([v.date for v in vs], w, map_id)}<div class=\"tl-wrap\">"
            f"<div class=\"tl-map\">{_svg(tl, frame, lang, map_id)}{_legend(w)}</div>"
            f"<div class=\"tl-tables\">{tables}</div></div>{_chart(tl, lang, chart_png)}"
            f"{_method(tl, w)}</div>")
    description = "; ".join(f"{v.date}: east {v.east_share_pct():.1f} %" for v in vs)
    return _document(title, body, description, lang)


def _slider(dates: list[str], w: _Words, map_id: str) -> str:
    """The date slider: a range input over the versions, the last one selected.

    With the selected date as its output and value text, a datalist of the dates and a
    button per date.
    """
    n = len(dates)
    ticks = "".join(f'<li><button type="button" class="tl-tick" data-i="{i}">{esc(d)}'
                    "</button></li>" for i, d in enumerate(dates))
    return (f'<div class="tl-controls"><label for="{map_id}-slider">{esc(w.slider)}'
            f'</label><output class="tl-date" for="{map_id}-slider">{esc(dates[-1])}</output>'
            f'<input type="range" class="tl-slider" id="{map_id}-slider" min="0" '
            f'max="{n - 1}" step="1" value="{n - 1}" aria-valuetext="{esc(dates[-1])}" '
            f"data-dates='{esc(script_json(dates))}' list=\"{map_id}-dates\">"
            f'<datalist id="{map_id}-dates">'
            + "".join(f'<option value="{i}" label="{esc(d)}"></option>'
                      for i, d in enumerate(dates))
            + f'</datalist><ul class="tl-ticks">{ticks}</ul></div>')


def _legend(w: _Words) -> str:
    """The map's legend: the two zones, the band, land that changed side, the line."""
    east_fill, east_op = ZONE_FILLS["east"]
    west_fill, west_op = ZONE_FILLS["west"]
    return (f'<ul class="tl-legend" aria-label="{esc(w.legend)}">'
            f"<li>{_swatch(east_fill, east_op)}{esc(w.east)}</li>"
            f"<li>{_swatch(west_fill, west_op)}{esc(w.west)}</li>"
            f"<li>{_swatch('#3d3900', 0.4)}{esc(w.band)}</li>"
            f"<li>{_swatch(_TO_EAST_FILL)}{esc(w.to_east)}</li>"
            f"<li>{_swatch(_TO_WEST_FILL)}{esc(w.to_west)}</li>"
            f"<li>{_swatch(OKABE_ITO['yellow'], line=True)}{esc(w.line)}</li></ul>")


def _chart(tl: Timeline, lang: str, chart_png: bytes | None) -> str:
    """The share chart as a figure: ``chart_png`` (or the chart drawn 900 px wide).

    Phones get the chart drawn for their width (its text shown near its drawn size).
    """
    from maps.timeline_chart import render_chart

    w = _words(lang)
    png = chart_png if chart_png is not None else render_chart(tl, "png", lang=lang,
                                                               width_px=900, height_px=620)
    small = render_chart(tl, "png", lang=lang, width_px=440, height_px=600)
    return (f'<figure class="tl-chart"><figcaption>{esc(w.chart)}</figcaption><picture>'
            f'<source media="(max-width: 700px)" srcset="data:image/png;base64,'
            f'{base64.b64encode(small).decode("ascii")}">'
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
            f'alt="{esc(w.chart_alt)}" width="900" height="620"></picture></figure>')


def _method(tl: Timeline, w: _Words) -> str:
    """The method, the datasets and the timeline's notes, in a closed ``<details>``."""
    return (f'<details class="tl-method"><summary>{esc(w.method)}</summary><ul>'
            + "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in _method_words(tl.method))
            + "<li>datasets: " + esc(", ".join(tl.datasets)) + "</li>"
            + "".join(f"<li>{esc(x)}</li>" for x in tl.notes) + "</ul></details>")


def _document(title: str, body: str, description: str, lang: str) -> str:
    """The page around ``body``, its script and style inlined from ``maps/assets/``.

    The Content-Security-Policy allows that script and that style (by their SHA-256)
    and nothing else.
    """
    # each between line breaks (the files' final line break kept, blank line and all)
    script = f"\n{asset('timeline_page.js')}\n\n"
    style = f"\n{asset('timeline_page.css')}\n\n"
    csp = content_security_policy([script], [style])
    direction = "rtl" if lang == "ar" else "ltr"
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="description" content="{esc(description)}">\n'
            f'<link rel="icon" href="{ICON_HREF}">\n<style>{style}</style>\n</head>\n<body>\n'
            f"<main>\n<h1>{esc(title)}</h1>\n{body}\n</main>\n<script>{script}</script>\n"
            "</body>\n</html>\n")


def _method_words(m: TimelineMethod) -> list[tuple[str, str]]:
    """The timeline's method as (name, words), in the order of its JSON ``method`` object.

    The changes' method is its words on area, displacement and places, joined.
    """
    rows = [("versions", m.versions), ("split", m.split), ("uncertainty", m.uncertainty),
            ("order", m.order), ("stated", m.stated)]
    if (c := m.changes) is not None:
        rows.append(("changes", "; ".join((c.area, c.displacement, c.places))))
    return rows


def render_timeline(tl: Timeline, fmt: str, *, lang: str = "en", title: str | None = None,
                    width_px: int = 900, height_px: int = 1000) -> str | bytes:
    """The page (``html``) or the map of every version (``png``, ``svg``)."""
    if fmt == "html":
        return timeline_page(tl, lang=lang, title=title)
    from maps.timeline_chart import render_versions_map

    return render_versions_map(tl, fmt, lang=lang, width_px=width_px, height_px=height_px)


def render_timeline_request(line_id: str, request: Request, fmt: str, *, lang: str = "en",
                            title: str | None = None, width_px: int = 900,
                            height_px: int = 1000) -> str | bytes:
    """``gazamap render --timeline``: the timeline of ``line_id`` on the request's outline."""
    from geo.timeline import timeline

    tl = timeline(line_id, request=request)
    return render_timeline(tl, fmt, lang=lang, title=title, width_px=width_px,
                           height_px=height_px)


def versions_chart_html(analysis: Analysis, *, lang: str = "en") -> str:
    """The share chart as a report section when the analysis's line has several versions.

    Empty when the first line is a file, or its id has one version in the request's
    catalog (packaged and data directories).
    """
    from geo.timeline import timeline
    from geo.versions import has_versions

    ds = analysis.lines[0].source.dataset
    if ds is None or not has_versions(analysis.request.catalog, ds):
        return ""
    from maps.timeline_chart import render_chart

    w = _words(lang)
    tl = timeline(ds.id, request=analysis.request)
    png = render_chart(tl, "png", lang=lang, width_px=900, height_px=620)
    rows = "".join(f"<li>{esc(v.date)}: {esc(v.ref)}, east {v.east_share_pct():.1f} %</li>"
                   for v in tl.versions)
    return ('<section id="gz-line-over-time"><h2>' + esc(w.chart) + "</h2>"
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
            f'alt="{esc(w.chart_alt)}" width="900" height="620"><ul>{rows}</ul></section>')
