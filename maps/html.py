"""HTML output: a full page, a fragment for an existing page, or an ``<iframe srcdoc>``.

Everything here is deterministic (no timestamps, no random ids) and safe: data-derived
text reaches the page HTML-escaped (:func:`esc`) or inside JSON that cannot close a
``<script>`` (:func:`script_json`). Leaflet's JavaScript and CSS are inlined from the
``xstatic-leaflet`` package, their images as ``data:`` URIs, so a page needs no network
except for optional base tiles.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from maps.assets import asset
from maps.tables import AreaTable, area_table, borders_cell, interval_cell

if TYPE_CHECKING:
    from geo.analysis import Analysis
    from layers._provenance import DataProvenance

__all__ = [
    "Mode",
    "MapParts",
    "esc",
    "whole",
    "script_json",
    "leaflet_assets",
    "measure_assets",
    "area_table_html",
    "page",
    "fragment",
    "content_security_policy",
    "ICON_HREF",
    "iframe",
    "iframe_from_page",
    "assemble",
    "CSS_LENGTH_RE",
]

Mode = Literal["page", "fragment", "iframe"]
# A CSS length we accept for the map height (no expressions, no quotes).
CSS_LENGTH_RE = re.compile(r"^\d{1,4}(\.\d{1,2})?(px|vh|em|rem|%)\Z")


def esc(text: Any) -> str:
    """HTML-escape any value as text (quotes included, so it is safe in attributes).

    >>> esc('<b title="x">&`${1}`</b>')
    '&lt;b title=&quot;x&quot;&gt;&amp;`${1}`&lt;/b&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def whole(text: Any, css_class: str = "gz-whole") -> str:
    """HTML: a date, an id or a range, escaped, left to right and isolated (``<bdi>``).

    The class's stylesheet keeps it on one line: a phone broke ``yellow-line@2025-10-19``
    at its hyphen, and in Arabic ``52.9–60.6`` after its dash ("–52.9" read as negative).

    >>> whole("a-b@1<2", "tl-whole")
    '<bdi dir="ltr" class="tl-whole">a-b@1&lt;2</bdi>'
    """
    return f'<bdi dir="ltr" class="{esc(css_class)}">{esc(text)}</bdi>'


_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
              "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    r"""JSON that is safe to place inside ``<script>``: no ``</script>``, ``<!--`` or U+2028.

    Strings stay JSON strings (double quotes, backslashes escaped), so backticks and
    ``${...}`` are inert text, never template literals.

    >>> print(script_json({"a": "</script><b>`${x}`\\"}))
    {"a":"\u003c/script\u003e\u003cb\u003e`${x}`\\"}
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JS_UNSAFE[m.group(0)], text)


def _xstatic_dir() -> Path:
    import xstatic.pkg.leaflet as xl  # the pip-installable Leaflet distribution

    return Path(xl.BASE_DIR)


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str, str]:
    """Leaflet's ``(version, css, js)``, ready to inline.

    The CSS's image references become ``data:`` URIs and the JS loses its source-map
    comment, so that neither asks for a file that a single-file page does not have.
    """
    import xstatic.pkg.leaflet as xl

    base = _xstatic_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(m: re.Match[str]) -> str:
        data = (base / "images" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", inline, css)
    # IE 6-8's VML hook: invalid CSS for validators and browsers since IE 9 (issue 10)
    css = re.sub(r"\n[^\n{}]*\bbehavior\s*:[^;}]*;", "", css)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)
    return str(xl.VERSION), css, js


@dataclass(frozen=True)
class MapParts:
    """A rendered map in pieces, before it is wrapped as a page, fragment or iframe.

    ``css`` rules are scoped to ``#map_id``; ``body`` is the map, legend and text
    alternative (one ``<div id=map_id>``); ``script`` creates the Leaflet map.
    ``description`` (plain text: the title and the figures) becomes the page's
    ``<meta name="description">``; ``offline`` pages get a Content-Security-Policy that
    allows no network source at all.
    """

    map_id: str
    title: str
    lang: str
    css: str
    body: str
    script: str
    description: str = ""
    offline: bool = False


_UI = {
    "en": {"zone": "zone", "km2": "km²", "share": "% of outline", "interval": "interval %",
           "of": "% of {d} km²", "borders": "border km (Israel / Egypt / sea)",
           "east": "east (Israeli military control)", "west": "west",
           "gov": "governorate", "name_ar": "name (Arabic)", "gov_km2": "km²",
           "east_pct": "east %", "west_pct": "west %",
           "caption": "Areas of the zones (geodesic, WGS84)",
           "gov_caption": "Governorates: share east and west of the line",
           "data": "Data and method", "outline": "Outline", "line": "Line",
           "method": "Method", "uncertainty": "Interval",
           "warnings": "Notes", "legend": "Legend and layers", "basemap": "Base map",
           "alt": "Text alternative to the map"},
    "ar": {"zone": "المنطقة", "km2": "كم²", "share": "% من المساحة", "interval": "المجال %",
           "of": "% من {d} كم²", "borders": "الحدود كم (إسرائيل / مصر / البحر)",
           "east": "الشرقية (سيطرة عسكرية إسرائيلية)", "west": "الغربية",
           "gov": "المحافظة", "name_ar": "الاسم بالعربية", "gov_km2": "كم²",
           "east_pct": "الشرق %", "west_pct": "الغرب %",
           "caption": "مساحات المناطق (جيوديسية، WGS84)",
           "gov_caption": "المحافظات: النسبة شرق الخط وغربه",
           "data": "البيانات والطريقة", "outline": "الحدود", "line": "الخط",
           "method": "الطريقة", "uncertainty": "المجال",
           "warnings": "ملاحظات", "legend": "المفتاح والطبقات", "basemap": "الخريطة الأساسية",
           "alt": "بديل نصي للخريطة"},
}


def ui(lang: str) -> dict[str, str]:
    """Interface words for ``lang`` (English for unknown languages)."""
    return _UI.get(lang, _UI["en"])


def _num(x: float, nd: int = 1) -> str:
    return f"{x:.{nd}f}"


def area_table_html(analysis: Analysis, *, map_id: str, lang: str = "en",
                    datasets: Sequence[DataProvenance] | None = None,
                    zone_names: dict[str, str] | None = None) -> str:
    """The text alternative of the map: zone and governorate tables, datasets and method.

    The rows are :func:`maps.tables.area_table`'s; every value is escaped. ``datasets``
    are the layers' provenance (listed with source and licence). ``zone_names`` name
    the zones in words (the zone layers' names); ids stay in JSON and CSV.
    """
    w = dict(ui(lang))
    for zid, words in (zone_names or {}).items():
        w[zid] = words
        w[f"{zid}_pct"] = f"{words} %"
    t = area_table(analysis)
    out = [f'<section class="gz-alt" id="{map_id}-areas" aria-label="{esc(w["alt"])}">',
           _zones_html(t, w)]
    if t.governorates:
        out.append(_governorates_html(t, w))
    out += _method_html(analysis, w)
    if datasets:
        out.append(_datasets_html(datasets))
    out.append("</details></section>")
    return "\n".join(out)


def _table_html(caption: str, head: list[str], body: str) -> str:
    return "\n".join(['<table class="gz-table">', f"<caption>{esc(caption)}</caption>",
                      "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
                      + "</tr></thead>", f"<tbody>{body}</tbody></table>"])


def _zones_html(t: AreaTable, w: dict[str, str]) -> str:
    head = [w["zone"], w["km2"], w["share"], w["interval"],
            *[w["of"].format(d=d) for d in t.denominators], w["borders"]]
    rows = []
    for r in t.zones:
        cells = [_num(r.area_km2, 2), _num(r.share_pct), interval_cell(r.interval, "—"),
                 *[_num(v) for v in r.shares_of], borders_cell(r.borders_km)]
        tds = [f"<td>{whole(c)}</td>" if i == 2 else f"<td>{esc(c)}</td>"  # the interval
               for i, c in enumerate(cells)]
        rows.append("<tr><th scope=\"row\">" + esc(w.get(r.zone, r.zone)) + "</th>"
                    + "".join(tds) + "</tr>")
    return _table_html(w["caption"], head, "".join(rows))


def _governorates_html(t: AreaTable, w: dict[str, str]) -> str:
    head = [w["gov"], w["name_ar"], w["gov_km2"],
            *[w.get(f"{r.zone}_pct", f"{w.get(r.zone, r.zone)} %") for r in t.zones]]
    rows = "".join(
        f"<tr><th scope=\"row\">{esc(g.name)}</th>"
        f"<td lang=\"ar\" dir=\"rtl\">{esc(g.name_ar)}</td>"
        f"<td>{esc(_num(g.area_km2))}</td>"
        + "".join(f"<td>{esc(_num(r.share_pct))}</td>" for r in g.zones)
        + "</tr>" for g in t.governorates)
    return _table_html(w["gov_caption"], head, rows)


def _method_html(analysis: Analysis, w: dict[str, str]) -> list[str]:
    """The outline, the lines, the method and the notes, as a definition list."""
    m = analysis.method
    out = [f"<details class=\"gz-method\"><summary>{esc(w['data'])}</summary><dl>",
           f"<dt>{esc(w['outline'])}</dt><dd>{esc(analysis.boundary.ref)} "
           f"({esc(_num(analysis.boundary_area_km2, 2))} km²)</dd>"]
    for ln in analysis.lines:
        u = ln.uncertainty.words if ln.uncertainty is not None else "—"
        out.append(f"<dt>{esc(w['line'])}</dt><dd>{esc(ln.ref)}; {esc(ln.method)}; "
                   f"{esc(u)}</dd>")
    out.append(f"<dt>{esc(w['method'])}</dt><dd>{esc(m.area)}. {esc(m.split)}."
               f"</dd><dt>{esc(w['uncertainty'])}</dt><dd>{esc(m.uncertainty)}</dd>")
    # the warnings repeat the line's repairs with the source named: show them, else repairs
    notes = list(analysis.all_notes()) or list(analysis.lines[0].repairs)
    if notes:
        out.append(f"<dt>{esc(w['warnings'])}</dt>"
                   + "".join(f"<dd>{esc(n)}</dd>" for n in dict.fromkeys(notes)))
    out.append("</dl>")
    return out


def _datasets_html(datasets: Sequence[DataProvenance]) -> str:
    """The layers' datasets, each once, with title, source, licence and attribution."""
    seen: dict[str, DataProvenance] = {}
    for p in datasets:
        seen.setdefault(p.ref, p)
    return "<ul class=\"gz-datasets\">" + "".join(
        f"<li><code>{esc(ref)}</code> {esc(p.title)}. {esc(p.source)}. "
        f"{esc(p.licence)}. {esc(p.attribution)}"
        + (" (illustrative)" if p.illustrative else "") + "</li>"
        for ref, p in seen.items()) + "</ul>"


# The map page's own style (the body's font, the main column), around the map's
_PAGE_CSS = asset("map_page.css")
# Where a wrapper script takes the script it wraps: its one "/* inlined: ... */" line
_INLINED = re.compile(r"/\* inlined: [^*]*\*/")


def _inlined(wrapper: str, inner: str) -> str:
    """The script ``maps/assets/<wrapper>`` with ``inner`` in place of its inlined line."""
    head, tail = _INLINED.split(asset(wrapper))
    return f"{head}{inner}{tail}"


@lru_cache(maxsize=1)
def measure_assets() -> str:
    """The measuring tool's JavaScript: GeographicLib (MIT) and ``assets/measure.js``.

    GeographicLib's UMD wrapper is given no ``module``, ``define`` or ``window`` of the
    page (``assets/geodesic_wrapper.js``), so it defines nothing global but
    ``window.GazamapGeodesic`` (a fragment must not clobber a host page's ``geodesic``).
    """
    lib = _inlined("geodesic_wrapper.js", asset("geographiclib-geodesic.min.js"))
    return f"{lib}\n{asset('measure.js')}\n"


def _leaflet_block(fragment_mode: bool) -> tuple[str, str]:
    """``(css, script element)`` that inline Leaflet and the measuring tool (once a page)."""
    _, css, js = leaflet_assets()
    js = f"{js}\n{measure_assets()}"
    if fragment_mode:
        # several fragments on one page: the first one defines L, the others reuse it
        js = _inlined("leaflet_once.js", js)
    return css, f"<script>\n{js}\n</script>"


# The page's icon, inline so that a served page does not request /favicon.ico: the
# yellow line between the two zone colours.
ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
            '<path d="M0 0h16v16H0z" fill="#df9c65"/><path d="M0 0h9L0 13z" fill="#5ebb9e"/>'
            '<path d="M0 13L9 0" stroke="#000" stroke-width="3.2"/>'
            '<path d="M0 13L9 0" stroke="#f0e442" stroke-width="1.8"/></svg>')
ICON_HREF = "data:image/svg+xml;base64," + base64.b64encode(ICON_SVG.encode()).decode("ascii")


def _sha256_source(text: str) -> str:
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                        ).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """A CSP for an offline page: nothing from the network, only its own inline code.

    ``scripts`` and ``styles`` are the exact texts of the page's ``<script>`` and
    ``<style>`` elements, allowed by their SHA-256 (no ``'unsafe-inline'``); images only
    from ``data:`` URIs (Leaflet's icons, the page icon). ``frame-ancestors`` cannot be
    set from a ``<meta>``; a server should send it as a header.
    """
    script_src = " ".join(_sha256_source(t) for t in scripts)
    style_src = " ".join(_sha256_source(t) for t in styles)
    return ("default-src 'none'; "
            f"script-src {script_src}; style-src {style_src}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def page(parts: MapParts) -> str:
    """A complete HTML document: title, description, icon, lang (``dir="rtl"`` for Arabic).

    Zoomable (no ``maximum-scale``). An offline page carries a strict
    Content-Security-Policy (:func:`content_security_policy`).
    """
    leaflet_css, script = _leaflet_block(False)
    direction = "rtl" if parts.lang == "ar" else "ltr"
    style_text = f"\n{leaflet_css}\n{_PAGE_CSS}\n{parts.css}\n"
    map_script = f"\n{parts.script}\n"
    head_js = script[len("<script>"):-len("</script>")]
    csp = ""
    if parts.offline:
        policy = content_security_policy([head_js, map_script], [style_text])
        csp = f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
    description = parts.description or parts.title
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(parts.lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f"{csp}"
        # pinch-zoom stays allowed: no maximum-scale, no user-scalable=no
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(parts.title)}</title>\n"
        f'<meta name="description" content="{esc(description)}">\n'
        f'<link rel="icon" href="{ICON_HREF}">\n'
        f"<style>{style_text}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{esc(parts.title)}</h1>\n"
        # Leaflet after the content: the heading and the area table paint before the
        # 150 kB of script are parsed (a phone's first paint, issue 18)
        f"{parts.body}\n</main>\n{script}\n<script>{map_script}</script>\n</body>\n</html>\n"
    )


def fragment(parts: MapParts) -> str:
    """A ``<div>`` with its styles and scripts, to paste into an existing page.

    Ids, CSS selectors and JavaScript variables all start with the map id, so several
    fragments (with different map ids) can share one page. The styles (Leaflet's and
    the map's, scoped to ``#map_id``) are one ``<style>``, the fragment's first child.
    """
    leaflet_css, script = _leaflet_block(True)
    direction = "rtl" if parts.lang == "ar" else "ltr"
    return (
        f'<div class="gz-embed" id="{parts.map_id}-embed" lang="{esc(parts.lang)}" '
        f'dir="{direction}"><style>\n{leaflet_css}\n{parts.css}\n</style>\n{script}\n'
        f"{parts.body}\n<script>\n{parts.script}\n</script>\n</div>\n"
    )


def iframe(parts: MapParts, *, height: str = "720px") -> str:
    """An ``<iframe srcdoc>`` holding the full page; sandboxed (scripts only, no origin)."""
    return iframe_from_page(page(parts), frame_id=f"{parts.map_id}-frame", title=parts.title,
                            height=height)


def iframe_from_page(document: str, *, frame_id: str, title: str,
                     height: str = "720px") -> str:
    """An ``<iframe srcdoc>`` of an already rendered page (see :func:`iframe`).

    The snippet is ASCII: every other character is a character reference, so that it
    reads the same in a page of any charset, or opened on its own (no ``<meta charset>``:
    a UTF-8 "©" read as windows-1252 changed the script and broke its CSP hash).
    """
    if not CSS_LENGTH_RE.match(height):
        raise ValueError(f"height {height!r} is not a CSS length like '720px'")
    snippet = (
        f'<iframe id="{esc(frame_id)}" title="{esc(title)}" '
        f'sandbox="allow-scripts allow-popups" loading="lazy" '
        f'style="width:100%;height:{height};border:0" srcdoc="{esc(document)}"></iframe>\n'
    )
    return snippet.encode("ascii", "xmlcharrefreplace").decode("ascii")


def assemble(parts: MapParts, mode: Mode) -> str:
    """Wrap ``parts`` as a ``page``, ``fragment`` or ``iframe``."""
    if mode == "page":
        return page(parts)
    if mode == "fragment":
        return fragment(parts)
    if mode == "iframe":
        return iframe(parts)
    raise ValueError(f"mode {mode!r} is not page, fragment or iframe")
