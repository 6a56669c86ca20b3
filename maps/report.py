"""Reports for people: claim verdicts as tables, and one self-contained page to embed.

:func:`format_verdicts` renders the result of :func:`geo.claims.check_ledger` as a plain
table, Markdown, JSON or HTML (``gazamap check``). :func:`build_report` writes the page a
newsroom pastes under a story (``gazamap report``): the map, the area table, the claims
with their verdicts and a methods note (datasets with provenance, outline, denominators,
projection, uncertainty, software versions, the exact command). It is offline (Leaflet
inlined, no tiles, no request), deterministic (no timestamp unless asked) and every piece
of data-derived text is HTML-escaped.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from geo.analysis import Analysis, analyse
from geo.catalog import Catalog
from geo.claims import APPROX_REL, Claim, Ledger, LedgerResult, Verdict, check_ledger, line_versions
from geo.claims.intervals import APPROX_WORDS, BORDERLINE_REL, OP_WORDS
from geo.errors import DatasetNotFoundError, InputError
from geo.request import LineSpec, ReadOptions, Request
from geo.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, file_identity, looks_like_path
from geo.uncertainty import uncertainty_words
from maps.html import esc, script_json
from maps.tables import (
    areas_text,
    code_span,
    context_lines,
    grid,
    markdown_table,
    markdown_text,
    to_json,
)

__all__ = [
    "VerdictFormat",
    "ReportFormat",
    "ReportOptions",
    "format_verdicts",
    "verdict_rows",
    "provenance_html",
    "timeline_rows",
    "verdicts_html",
    "build_report",
    "software_versions",
]

VerdictFormat = Literal["table", "json", "markdown", "html"]
ReportFormat = Literal["html", "markdown"]
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+\Z", re.IGNORECASE)
_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")
_HEADER = ("id", "metric", "stated", "computed", "difference", "margin", "verdict")


# ---------------------------------------------------------------------------- verdicts


def _stated_cell(v: Verdict) -> str:
    s = v.claim.stated
    if not s.text:
        return "—"
    unit = v.unit if v.unit and v.claim.metric != "none" else ""
    approx = "~" if v.claim.approx and v.claim.metric != "none" else ""
    op = "" if v.claim.op == "=" else f"{v.claim.op} "
    return f"{op}{approx}{s.text}{(' ' + unit) if unit and unit != '%' else unit}"


def _computed_cell(v: Verdict) -> str:
    c = v.computed
    if c is None:
        return "—"
    if isinstance(c.value, bool):
        return " or ".join(str(p).lower() for p in c.possible)
    unit = "" if not v.unit else (v.unit if v.unit == "%" else f" {v.unit}")
    # the figure's own interval (as `areas` shows it); † when the check widens it (the
    # explanation names what it adds)
    iv = v.interval_text()
    rng = f" [{iv.split(';')[0].split(' from ')[0]}]" if iv else ""
    dagger = "†" if c.adds and (c.interval is None or iv.count(";")) else ""
    return f"{v.fmt(c.value)}{unit}{rng}{dagger}"


def _diff_cell(v: Verdict) -> str:
    if v.difference is None:
        return "—"
    return ("+" if v.difference > 0 else "") + v.fmt(v.difference)


def _margin_cell(v: Verdict) -> str:
    if v.margin is None:
        return "—"
    m = v.margin
    text = f"{abs(m):.2g}" if abs(m) < 0.01 else v.fmt(abs(m))
    return ("+" if m >= 0 else "−") + text


def verdict_rows(result: LedgerResult) -> list[list[str]]:
    """One row per claim: id, metric, stated, computed [interval], difference, margin, verdict.

    The margin is how far the stated value lies inside (+) or outside (−) the computed
    interval; a consistent verdict near an edge reads ``consistent (borderline)``.
    """
    return [[v.id, v.claim.metric, _stated_cell(v), _computed_cell(v), _diff_cell(v),
             _margin_cell(v), v.verdict_label] for v in result.verdicts]


def _counts_line(result: LedgerResult) -> str:
    c = result.counts()  # published claims only: derived ones are checks of the ledger
    near = sum(v.borderline and v.counted for v in result.verdicts)
    derived = result.derived
    bad = sum(v.verdict == "inconsistent" for v in derived)
    return (f"{sum(c.values())} claims: {c['consistent']} consistent"
            + (f" ({near} borderline)" if near else "")
            + f", {c['inconsistent']} inconsistent, {c['not-checkable']} not checkable"
            + (f"; besides, {len(derived)} derived check{'s' * (len(derived) != 1)} of the "
               f"ledger's own arithmetic, not counted ({bad} inconsistent)" if derived else ""))


def _rules_text() -> list[str]:
    return [
        "Stated interval: ± half a unit of the last digit written (53 -> 52.5-53.5); "
        f"'about' (approx, ~) widens it to ± max(one unit, {APPROX_REL:.0%} of the value).",
        "Computed interval: the figure's own interval, as `gazamap areas` shows it (the line "
        "moved by its positional uncertainty: ±u, or toward Israel and toward the coast); "
        "† marks a claim checked against it widened by another source, named in the "
        "explanation (the outline's resolution, border ends by ± 100 m); arithmetic from "
        "the rounding of the stated numbers.",
        "Readings: a word with several meanings (the 'length' of the Strip: axis, coastline, "
        "longest straight distance; its 'width' at a place: cross-section, distance to the "
        "nearest coast) is computed in each; consistent when one fits, named in the "
        "explanation. A claim about a line version with no public geometry is not "
        "checkable. Derived claims (the ledger's own arithmetic) are checks of the ledger, "
        "not counted.",
        "consistent: some computed value and some stated value satisfy the relation; "
        "inconsistent: none does; not-checkable: the data does not exist (reason given).",
        "Hedges: a claim that sets no approx/op takes them from the words right before its "
        f"figure ({', '.join(repr(w) for w in APPROX_WORDS)} -> approximate; "
        + ", ".join(f"{w!r} -> {o}" for w, o in OP_WORDS.items())
        + "); explicit fields win, and a contradiction is reported as a warning.",
        "Margin: how far the stated value lies inside (+) or outside (−) the computed "
        "interval, in the metric's unit. A consistent verdict is borderline when its margin "
        f"is below {BORDERLINE_REL:.0%} of the stated half-width (inside by a hair, or "
        "consistent only thanks to the stated rounding).",
    ]


def format_verdicts(result: LedgerResult, fmt: VerdictFormat = "table") -> str:
    """The verdicts as a plain table, Markdown, JSON (the stable list) or an HTML page."""
    if fmt == "json":
        return to_json(result.to_list())
    if fmt == "html":
        title = result.ledger.title or "Claims checked by gazamap"
        body = (f"<h1>{esc(title)}</h1>\n<p>{esc(_counts_line(result))}</p>\n"
                + verdicts_html(result) + _rules_html())
        return _page(title, body, "en")
    rows = verdict_rows(result)
    notes = [f"{v.id}: {v.summary()}" + "".join(f" [{n}]" for n in v.claim.hedge_notes)
             + f" — {v.claim.provenance}" for v in result.verdicts]
    if fmt == "markdown":
        parts = [markdown_table(_HEADER, rows), _counts_line(result) + ".",
                 "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}): "
                           f"{esc_md(v.summary())}" for v in result.verdicts),
                 "\n".join(f"- {r}" for r in _rules_text())]
        return "\n\n".join(parts)
    src = Path(result.ledger.path).name if result.ledger.path else "ledger"  # no folders
    return "\n\n".join([f"{result.ledger.title or 'Claims'} ({src})", grid(_HEADER, rows),
                        _counts_line(result) + ".", "\n".join(notes),
                        "\n".join(_rules_text())])


def esc_md(text: str) -> str:
    """Markdown-inert text (see :func:`maps.tables.markdown_text`)."""
    return markdown_text(text)


def _link(url: str, text: str) -> str:
    # Only http(s) URLs become links: a ledger is user input, and a javascript: or data:
    # URL in a claim must never be clickable in a published page.
    if url and _SAFE_URL.match(url):
        return f'<a href="{esc(url)}" rel="nofollow noopener">{esc(text)}</a>'
    return esc(text)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or url).removeprefix("www.")


def provenance_html(c: Claim) -> str:
    """Who published the claim (linked to the original when known) and where it was read.

    The same words as :attr:`geo.claims.Claim.provenance`, with links: the outlet to its
    original publication, the copy's host to the copy.
    """
    who = c.outlet or c.source
    text = _link(c.url, who)
    if c.copy in ("mirror", "summary") and c.seen_at:
        text += f" (text seen in a {esc(c.copy)}: {_link(c.seen_at, _host(c.seen_at))})"
    elif not c.url and not c.seen_at:
        text += " (no URL known)"
    if c.outlet and c.source != c.outlet:
        text += f"<br>{esc(c.source)}"
    return text


def _anchor(cid: str) -> str:
    return "claim-" + _ID_SAFE.sub("_", cid)


def verdicts_html(result: LedgerResult, *, table_id: str = "gz-verdicts") -> str:
    """The verdict table as an HTML ``<table>`` (every cell escaped)."""
    out = [f'<table class="gz-verdicts" id="{esc(table_id)}">',
           f"<caption>{esc(_counts_line(result))}</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in (
               "id", "claim", "metric", "stated", "computed [interval]", "difference",
               "margin", "verdict", "explanation")) + "</tr></thead>", "<tbody>"]
    for v, row in zip(result.verdicts, verdict_rows(result), strict=True):
        c = v.claim
        when = f", {esc(c.date)}" if c.date else ""
        claim_cell = (f"<q>{esc(c.text)}</q><br><small>{provenance_html(c)}{when}</small>"
                      + "".join(f'<br><small class="gz-hedge">{esc(n)}</small>'
                                for n in c.hedge_notes)
                      + (f"<br><small class=\"gz-note\">{esc(c.note)}</small>" if c.note else ""))
        cls = f"gz-{esc(v.verdict)}" + (" gz-borderline" if v.borderline else "")
        out.append(
            f'<tr id="{_anchor(v.id)}" class="{cls}">'
            f'<th scope="row">{esc(v.id)}</th><td>{claim_cell}</td>'
            f"<td><code>{esc(row[1])}</code></td><td>{esc(row[2])}</td>"
            f"<td>{esc(row[3])}</td><td>{esc(row[4])}</td><td>{esc(row[5])}</td>"
            f'<td class="gz-verdict"><strong>{esc(v.verdict_label)}</strong></td>'
            f"<td>{esc(v.summary())}"
            + (f"<br><small>{esc(v.method)}</small>" if v.computed is not None else "")
            + "</td></tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def _rules_html() -> str:
    items = "".join(f"<li>{esc(r)}</li>" for r in _rules_text())
    return f'<ul class="gz-rules">{items}</ul>\n'


_CSS = (
    ".gz-report{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'DejaVu Sans',sans-serif;color:#1a1a1a;max-width:1200px;margin:0 auto;"
    "padding:8px 16px 32px}\n"
    ".gz-report h1{font-size:1.4rem}.gz-report h2{font-size:1.15rem;margin-top:1.6em}\n"
    ".gz-report table.gz-verdicts{border-collapse:collapse;width:100%;font-size:.85rem}\n"
    ".gz-report .gz-verdicts th,.gz-report .gz-verdicts td{border:1px solid #c8c8c8;"
    "padding:4px 6px;vertical-align:top;text-align:start}\n"
    ".gz-report .gz-verdicts caption{text-align:start;font-weight:600;padding:4px 0}\n"
    ".gz-report tr.gz-consistent .gz-verdict{background:#d9efe6}\n"
    ".gz-report tr.gz-inconsistent .gz-verdict{background:#f6d5c2}\n"
    ".gz-report tr.gz-not-checkable .gz-verdict{background:#ececec}\n"
    ".gz-report tr.gz-borderline .gz-verdict{background:#f3ecc2}\n"
    ".gz-report .gz-note{color:#555}.gz-report code{font-size:.9em}\n"
    ".gz-report dl.gz-methods dt{font-weight:600;margin-top:.6em}\n"
    ".gz-report dl.gz-methods dd{margin-inline-start:1.2em}\n"
    ".gz-report pre{white-space:pre-wrap;background:#f4f4f4;padding:6px}\n"
)


def _page(title: str, body: str, lang: str, description: str = "") -> str:
    from maps.html import ICON_HREF

    direction = "rtl" if lang == "ar" else "ltr"
    meta = (f'<meta name="description" content="{esc(description)}">\n'
            if description else "")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{meta}<link rel=\"icon\" href=\"{ICON_HREF}\">\n"
            f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f'<main class="gz-report">\n{body}</main>\n</body>\n</html>\n')


# ---------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportOptions:
    """What a report shows. The same options (and input files) give the same bytes.

    Parameters
    ----------
    ledger : str, geo.claims.Ledger or None
        A ledger file, the name of a shipped ledger (``seed``, ``public``) or a ledger
        already loaded (e.g. with ``allow_paths``); ``None`` leaves the claims out.
    line, boundary : str or geo.sources.Source
        The line and outline of the map and the area table (and the default of claims
        that name none): dataset ids, files, or resolved sources (a line from markers).
    fmt : {"html", "markdown"}
    fragment : bool
        HTML only: a ``<div>`` (with its styles and scripts) to paste into a page,
        instead of a full document.
    title : str or None
        Heading; the default names the line.
    command : str or None
        The command that made the report, recorded in the methods note.
    timestamp : bool
        Add the time of generation (UTC); off by default so reports are reproducible.
    claim_review : bool
        Add schema.org ClaimReview JSON-LD for each checked claim (HTML only).
    read_options : dict
        Passed to :func:`geo.sources.resolve` for files.
    catalog : geo.catalog.Catalog, optional
        Unused when ``request`` is given (its catalog is used).
    request : geo.request.Request, optional
        The whole request (lines, markers, data directories, tolerances, uncertainty);
        when given it replaces ``line``, ``boundary`` and ``read_options``.
    """

    ledger: str | Ledger | None = "seed"
    line: str | Source = DEFAULT_LINE
    boundary: str | Source = DEFAULT_BOUNDARY
    fmt: ReportFormat = "html"
    fragment: bool = False
    title: str | None = None
    command: str | None = None
    timestamp: bool = False
    claim_review: bool = True
    read_options: dict[str, Any] = field(default_factory=dict)
    catalog: Catalog | None = None
    request: Request | None = None

    def resolved_request(self) -> Request:
        """``request``, or one made of ``line``, ``boundary`` and ``read_options``."""
        if self.request is not None:
            return self.request

        def spec(x: str | Source, default: str) -> str:
            return (x.file or x.ref) if isinstance(x, Source) else (x or default)

        return Request(boundary=spec(self.boundary, DEFAULT_BOUNDARY),
                       lines=(LineSpec(spec(self.line, DEFAULT_LINE)),),
                       read=ReadOptions(**self.read_options))


def software_versions() -> dict[str, str]:
    """Versions of gazamap and the libraries behind its numbers and maps."""
    out: dict[str, str] = {"python": platform.python_version()}
    for dist in ("gazamap", "shapely", "pyproj", "numpy", "folium", "matplotlib", "click"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    try:
        import pyproj
        import shapely

        out["GEOS"] = shapely.geos_version_string
        out["PROJ"] = pyproj.proj_version_str
    except ImportError:  # pragma: no cover - both are dependencies
        pass
    return out


def _ledger_files(result: LedgerResult | None) -> list[str]:
    """The files a ledger's claims name (already anchored in the ledger's folder)."""
    if result is None:
        return []
    led = result.ledger
    specs: list[object] = [led.line, led.boundary]
    for c in led.claims:
        for k in ("line", "boundary", "markers", "population"):
            v = c.fields.get(k)
            specs += v if isinstance(v, list) else [v]
    return [s for s in specs if isinstance(s, str) and looks_like_path(s) and Path(s).is_file()]


def _dataset_rows(analysis: Analysis, result: LedgerResult | None) -> list[dict[str, Any]]:
    """Provenance of every dataset behind the figures (files by name and SHA-256)."""
    cat = analysis.request.catalog
    claimed = result.sources if result is not None else ()
    sources = {s.ref: s for s in (*claimed, analysis.boundary,
                                  *(ln.source for ln in analysis.lines))}
    refs = [*analysis.provenance.datasets, "crossings"]
    if result is not None:
        for v in result.verdicts:
            if v.computed is not None:
                refs += list(v.computed.datasets)
    # files named by the ledger, resolved in its folder (never the current folder), by name
    named = {Path(f).name: f for f in _ledger_files(result)}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ref in refs:
        src = sources.get(ref)
        if src is not None and src.dataset is None:
            row = {"ref": ref, "title": "user file", **src.identity}
        elif looks_like_path(ref):
            if Path(ref).name not in named:
                continue
            row = {"ref": Path(ref).name, "title": "user file",
                   **file_identity(named[Path(ref).name])}
        else:
            try:
                row = cat.get(ref).provenance()
            except DatasetNotFoundError:
                continue
        if row["ref"] not in seen:
            seen.add(row["ref"])
            rows.append(row)
    return rows


def _summary_text(analysis: Analysis) -> str:
    e = analysis.zone("east")
    ln = analysis.lines[0]
    interval = (f"interval {e.interval.low:.1f}–{e.interval.high:.1f} % for "
                f"{ln.uncertainty_words}" if e.interval and ln.uncertainty_m
                else "no interval: the line's positional uncertainty is not stated")
    rest = "; ".join(f"{z.id} {z.area_km2:.1f} km² ({z.share_pct:.1f} %)"
                     for z in analysis.zones[1:])
    return (f"With the line {ln.ref}, the east zone (Israeli military control) is "
            f"{e.area_km2:.1f} km², {e.share_pct:.1f} % of the measured outline "
            f"({analysis.boundary_area_km2:.1f} km²; {interval}), "
            f"{e.shares_of.get('365', float('nan')):.1f} % of 365 km². Other zones: {rest}.")


_TIMELINE_HEADER = ("date", "line version", "source", "area km²", "% of 365 km²",
                    "geometry")


def timeline_rows(report: Analysis, result: LedgerResult | None) -> list[list[str]]:
    """Dated versions of the line: the report's line (computed) and the ledger's (stated).

    One row each: date, version, source, east-zone area, its share of 365 km², and
    whether geometry exists. Stated rows take the area as published (their share of
    365 km² is arithmetic on it). Empty when the ledger names no versions.
    """
    stated = line_versions(result.ledger) if result is not None else ()
    if not stated:
        return []
    e = report.zone("east")
    line = report.lines[0].source
    ds = line.dataset
    rows = [(ds.date or ds.version if ds else "", ds.title if ds else line.label,
             ds.source if ds else "user file",
             f"{e.area_km2:.1f} (computed)", f"{e.shares_of.get('365', 0.0):.1f}",
             f"yes: {ds.ref if ds else report.lines[0].ref}")]
    rows += [(v.date, v.label, v.source, f"{v.area_km2:g} (stated)",
              f"{100 * v.area_km2 / 365:.1f}", f"no ({v.claim_id}: not checkable)")
             for v in stated]
    return [list(r) for r in sorted(rows, key=lambda r: r[0])]


def _timeline_html(rows: list[list[str]]) -> str:
    out = ['<table class="gz-verdicts gz-timeline" id="gz-timeline">',
           "<caption>Versions of the line: the computed one and those known only by a "
           "stated area</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in _TIMELINE_HEADER)
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def _line_item(ln: Any) -> str:
    u = (f"{ln.uncertainty_words} ({ln.uncertainty_from})" if ln.uncertainty_m is not None
         else "not stated (no interval)")
    return (f"{ln.ref} ({ln.method} method); positional uncertainty {u}."
            + (" Repairs: " + "; ".join(ln.repairs) + "." if ln.repairs else ""))


def _methods(report: Analysis, result: LedgerResult | None, options: ReportOptions
             ) -> list[tuple[str, str | list[str]]]:
    m = report.method
    items: list[tuple[str, str | list[str]]] = [
        ("Outline", f"{report.boundary.ref}: {report.boundary_area_km2:.3f} km² "
                    f"geodesic; cross-check in the local equal-area CRS differs by "
                    f"{m['cross_check']['relative_difference']:.1e} (relative)."),
        *((("Line" if len(report.lines) == 1 else f"Line {i + 1}"), _line_item(ln))
          for i, ln in enumerate(report.lines)),
        ("East zone", str(m["east_zone"]) + "."),
        ("Areas", str(m["area"]) + "."),
        ("Partition", str(m["split"]) + "."),
        ("Projection", f"Splitting, buffering and the static map in {m['split_crs']}; "
                       "areas and lengths are geodesic on WGS84. Never degrees or Web "
                       "Mercator."),
        ("Denominators", "Shares of the measured outline and of "
                         + ", ".join(f"{d:g} km²" for d in m["denominators_km2"])
                         + " (365: the figure most media use, PCBS table 676's governorates "
                           "60.9 + 74.6 + 56.7 + 109.7 + 63.1; 360: the sum of Wikipedia's "
                           "governorate areas 61 + 70 + 56 + 108 + 65)."),
        ("Uncertainty", str(m["uncertainty"]) + "."),
        ("Context", context_lines(report)),
        ("Borders", str(m["borders"]) + "."),
    ]
    for alt in report.alternatives:
        items.append(("Alternative method", alt.explanation))
    if result is not None:
        items.append(("Claims", _rules_text()))
        items.append(("Ledger", f"{Path(result.ledger.path).name or 'ledger'}"
                                + (f": {result.ledger.title}" if result.ledger.title else "")
                                + (f" — {result.ledger.description}"
                                   if result.ledger.description else "")))
    versions = software_versions()
    items.append(("Software", ", ".join(f"{k} {v}" for k, v in versions.items())))
    items.append(("Command", options.command or "Python: maps.report.build_report("
                  + repr(_options_for_display(options)) + ")"))
    if options.timestamp:
        items.append(("Generated", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    if report.notes or report.warnings:
        items.append(("Notes", [*report.notes, *report.warnings]))
    return items


def _options_for_display(options: ReportOptions) -> dict[str, Any]:
    def label(x: str | Source) -> str:
        return x.label if isinstance(x, Source) else x

    led = options.ledger
    return {"ledger": Path(led.path).name if isinstance(led, Ledger) else led,
            "line": label(options.line),
            "boundary": label(options.boundary), "fmt": options.fmt,
            "fragment": options.fragment}


def _claim_review(result: LedgerResult) -> str:
    """schema.org ClaimReview per verdict.

    ``itemReviewed.author`` is the original outlet; ``appearance.url`` is only ever the
    original publication. The copy the text was read in (a mirror or a summary) is the
    appearance's ``archivedAt``, never its ``url``.
    """
    graph = []
    for v in result.verdicts:
        if not v.counted:  # the ledger's own arithmetic: no outlet claimed it
            continue
        c = v.claim
        item: dict[str, Any] = {
            "@type": "ClaimReview",
            "url": "#" + _anchor(v.id),
            "claimReviewed": c.text,
            "author": {"@type": "Organization", "name": "gazamap"},
            "reviewRating": {"@type": "Rating", "alternateName": v.verdict_label,
                             "ratingExplanation": v.summary()},
            "itemReviewed": {"@type": "Claim",
                             "author": {"@type": "Organization",
                                        "name": c.outlet or c.source}},
        }
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", c.date):
            item["itemReviewed"]["datePublished"] = c.date
        appearance: dict[str, Any] = {}
        if c.url and _SAFE_URL.match(c.url) and c.url != c.seen_at:
            appearance["url"] = c.url
        if c.seen_at and _SAFE_URL.match(c.seen_at):
            appearance["archivedAt"] = c.seen_at
            appearance["description"] = (f"text of {c.outlet or c.source} as seen in a "
                                         f"{c.copy or 'copy'}")
        if appearance:
            item["itemReviewed"]["appearance"] = {"@type": "CreativeWork", **appearance}
        graph.append(item)
    # script_json escapes < > & so that no "</script>" can close the element early
    data = {"@context": "https://schema.org", "@graph": graph}
    return f'<script type="application/ld+json">{script_json(data)}</script>\n'


def _methods_html(items: list[tuple[str, str | list[str]]], datasets: list[dict[str, Any]]
                  ) -> str:
    out = ['<dl class="gz-methods">']
    for k, v in items:
        out.append(f"<dt>{esc(k)}</dt>")
        if isinstance(v, list):
            out.append("<dd><ul>" + "".join(f"<li>{esc(x)}</li>" for x in v) + "</ul></dd>")
        elif k == "Command":
            out.append(f"<dd><pre><code>{esc(v)}</code></pre></dd>")
        else:
            out.append(f"<dd>{esc(v)}</dd>")
    out.append("</dl>")
    out.append('<h3>Datasets</h3>\n<table class="gz-verdicts gz-datasets">')
    out.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
        "dataset", "title", "source", "licence", "attribution", "method", "uncertainty"))
        + "</tr></thead><tbody>")
    for d in datasets:
        unc = (uncertainty_words(d["uncertainty_m"]) if "uncertainty_m" in d
               else d.get("sha256", ""))
        out.append("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in (
            d.get("ref"), d.get("title"), d.get("source", d.get("file", "")),
            d.get("licence", ""), d.get("attribution", ""),
            (d.get("method", "") + (" " + d["notes"] if d.get("notes") else "")), unc))
            + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out) + "\n"


def _map_fragment(analysis: Analysis, title: str) -> str:
    from maps.render import MapOptions, render_map_html

    return render_map_html(MapOptions(analysis=analysis, offline=True, mode="fragment",
                                      title=title, height="70vh"))


def build_report(options: ReportOptions | None = None) -> str:
    """The report as one HTML page (or fragment) or Markdown text.

    The HTML holds the offline map (with the area table as its text alternative), the
    verdict table, the methods note and, optionally, ClaimReview JSON-LD. Markdown holds
    the same tables and note, without the map.

    Raises
    ------
    geo.errors.LedgerError
        For a malformed ledger (naming the claim id and the field).
    geo.errors.InputError
        For a line or outline that cannot be read or does not partition.
    """
    opts = options or ReportOptions()
    if opts.fmt not in ("html", "markdown"):
        raise InputError(f"report format {opts.fmt!r} is unknown", source="--format",
                         fix="use html or markdown")
    if opts.fragment and opts.fmt != "html":
        raise InputError("--fragment applies to HTML only", source="--fragment",
                         fix="drop --fragment or use --format html")
    request = opts.resolved_request()
    report = analyse(request)  # once: the map, the tables and the claims read it
    # the claims read the same analysis: nothing is computed twice
    result = check_ledger(opts.ledger, analysis=report) if opts.ledger else None
    ln = report.lines[0].ref
    title = opts.title or f"The partition of the Gaza Strip by the line {ln}: areas and claims"
    datasets = _dataset_rows(report, result)
    methods = _methods(report, result, opts)
    if opts.fmt == "markdown":
        return _markdown(title, report, result, methods, datasets,
                         timeline_rows(report, result))
    body = [f"<h1>{esc(title)}</h1>", f'<p class="gz-lede">{esc(_summary_text(report))}</p>',
            '<section id="gz-map" aria-label="Map">', "<h2>Map</h2>",
            _map_fragment(report, title), "</section>"]
    if result is not None:
        body += ['<section id="gz-claims">', "<h2>Claims checked</h2>",
                 verdicts_html(result), "</section>"]
    timeline = timeline_rows(report, result)
    if timeline:
        body += ['<section id="gz-versions">', "<h2>Versions of the line</h2>",
                 _timeline_html(timeline), "</section>"]
    from maps.timeline_page import versions_chart_html

    body.append(versions_chart_html(report))  # empty unless the line has several versions
    body += ['<section id="gz-method">', "<h2>Method and data</h2>",
             _methods_html(methods, datasets), "</section>"]
    if result is not None and opts.claim_review:
        body.append(_claim_review(result))
    inner = "\n".join(body) + "\n"
    if opts.fragment:
        return (f'<div class="gz-report" lang="en">\n<style>{_CSS}</style>\n{inner}</div>\n')
    return _page(title, inner, "en", description=_summary_text(report))


def _markdown(title: str, report: Analysis, result: LedgerResult | None,
              methods: list[tuple[str, str | list[str]]], datasets: list[dict[str, Any]],
              timeline: list[list[str]]) -> str:
    parts = [f"# {esc_md(title)}", esc_md(_summary_text(report)), "## Areas",
             areas_text(report, "markdown")]
    if result is not None:
        parts += ["## Claims checked", markdown_table(_HEADER, verdict_rows(result)),
                  _counts_line(result) + ".",
                  "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}"
                            + (f", {esc_md(v.claim.date)}" if v.claim.date else "")
                            + f"): “{esc_md(v.claim.text)}” — {esc_md(v.summary())}"
                            for v in result.verdicts)]
    if timeline:
        parts += ["## Versions of the line",
                  markdown_table(_TIMELINE_HEADER, [[esc_md(c) for c in r] for r in timeline])]
    lines = []
    for k, v in methods:
        if isinstance(v, list):
            lines.append(f"- **{k}**:")
            lines += [f"  - {esc_md(x)}" for x in v]
        elif k == "Command":
            lines.append(f"- **{k}**: {code_span(v)}")
        else:
            lines.append(f"- **{k}**: {esc_md(v)}")
    parts += ["## Method and data", "\n".join(lines), "### Datasets",
              markdown_table(("dataset", "source", "licence", "attribution", "uncertainty"),
                             [[d.get("ref", ""), d.get("source", d.get("file", "")),
                               d.get("licence", ""), d.get("attribution", ""),
                               (uncertainty_words(d["uncertainty_m"]) if "uncertainty_m" in d
                                else d.get("sha256", ""))] for d in datasets]),
              "The interactive map: `gazamap render --offline --out map.html` "
              "(same line and outline)."]
    return "\n\n".join(parts) + "\n"
