"""``build_report``: the page a newsroom pastes under a story, assembled from its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.analysis import Analysis, analyse
from geo.analysis.request import Request
from geo.claims import LedgerResult, check_ledger
from geo.versions import has_versions
from layers.zones import is_official_line, line_name
from maps.html import esc
from maps.report.claim_review import claim_review
from maps.report.claims import chart_html, claims_html, claims_lede
from maps.report.lang import tr
from maps.report.markdown import markdown_report
from maps.report.methods import DatasetRow, dataset_rows, method_items, methods_html
from maps.report.options import ReportOptions, check_options
from maps.report.page import REPORT_CSS, report_page
from maps.report.summary import claims_line_words, interval_note, lines_words, summary_text
from maps.report.versions import timeline_html, timeline_rows

__all__ = ["build_report"]


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
    check_options(opts)
    request = opts.resolved_request()
    # once: the claims, the map, the tables and the methods read it, and every part
    report = analyse(request, parts="all")
    judged = _judge(opts, request, report)
    result = judged.result
    title = _title(opts, report, result)
    datasets = dataset_rows(report, result)
    methods = method_items(report, result, opts)
    if not judged.official and result is not None:
        methods.insert(0, ("Claims and your line", judged.in_words))
    if opts.fmt == "markdown":
        return markdown_report(title, report, result, methods, datasets,
                               timeline_rows(report, result), against=judged.judged)
    note = interval_note(report, result) if opts.lang == "en" else ""
    return _html(_Parts(opts, report, judged, title, note, methods, datasets))


@dataclass(frozen=True)
class _Judged:
    """The report's claims checked, and the line they were judged on."""

    result: LedgerResult | None
    """The verdicts; ``None`` when the report has no ledger."""
    official: bool
    """Every line of the report is a packaged, dated line."""
    against: str
    """The report's line in words when it is a user's ("" for packaged lines)."""
    judged: str
    """The user's line the claims were judged on, when asked for ("" otherwise)."""

    @property
    def in_words(self) -> str:
        """Which line the claims were judged on, said to the reader of a user's line."""
        return claims_line_words(self.against, self.judged)


def _judge(opts: ReportOptions, request: Request, report: Analysis) -> _Judged:
    """Check the ledger against the report's line only when it is packaged, or asked."""
    official = all(is_official_line(ln.source) for ln in report.lines)
    against = "" if official else lines_words(report)
    result = None
    if opts.ledger:
        if official or opts.judge_claims_against_line:
            # the claims read the same analysis: nothing is computed twice
            result = check_ledger(opts.ledger, analysis=report)
        else:
            # a user's line is not what the outlets wrote about: the claims are checked
            # against the lines they refer to (the packaged defaults), never this one
            result = check_ledger(opts.ledger, catalog=request.catalog,
                                  read_options=request.read.kwargs())
    judged = against if (result is not None and opts.judge_claims_against_line
                         and not official) else ""
    return _Judged(result, official, against, judged)


def _title(opts: ReportOptions, report: Analysis, result: LedgerResult | None) -> str:
    """The heading: the caller's, or one that names the line(s), in the page's language."""
    if opts.title:
        return opts.title
    if opts.lang == "ar":
        names = " و".join(line_name(ln.source, "ar") for ln in report.lines)
        return (f"قطاع غزة مقسومًا ب{names}: المساحات"
                + (" والادعاءات المنشورة" if result is not None else ""))
    return (f"The Gaza Strip divided by {lines_words(report)}: areas"
            + (" and published claims" if result is not None else ""))


@dataclass(frozen=True)
class _Parts:
    """What the HTML report is made of."""

    opts: ReportOptions
    report: Analysis
    judged: _Judged
    title: str
    note: str
    """Why the claims' interval differs from the area table's (English pages only)."""
    methods: list[tuple[str, str | list[str]]]
    datasets: list[DatasetRow]

    @property
    def lang(self) -> str:
        """The page's language."""
        return self.opts.lang

    @property
    def en(self) -> str:
        """The attributes of English text inside the page (the timeline, the methods)."""
        return ' lang="en" dir="ltr"' if self.lang == "ar" else ""


def _html(parts: _Parts) -> str:
    """The HTML page (or fragment): summary first, then map, claims, versions, method."""
    opts, lang, result = parts.opts, parts.lang, parts.judged.result
    map_section, map_scripts = _map_section(parts)
    body = [*_lede(parts), *map_section, *_claims_section(parts), *_versions_section(parts),
            *_method_section(parts)]
    if result is not None and opts.claim_review and parts.judged.official:
        # ClaimReview only for claims judged on the packaged, dated lines
        body.append(claim_review(result))
    body += map_scripts
    inner = "\n".join(body) + "\n"
    if opts.fragment:
        direction = "rtl" if lang == "ar" else "ltr"
        return (f'<div class="gz-report" lang="{lang}" dir="{direction}">\n'
                f"<style>{REPORT_CSS}</style>\n{inner}</div>\n")
    return report_page(parts.title, inner, lang,
                       description=summary_text(parts.report, lang).replace("\u00a0", " "))


def _lede(parts: _Parts) -> list[str]:
    """The heading, the headline figures and, with claims, how many of them hold."""
    lang, judged = parts.lang, parts.judged
    body = [f"<h1>{esc(parts.title)}</h1>",
            f'<p class="gz-lede">{esc(summary_text(parts.report, lang))}</p>']
    if judged.result is not None:
        lede = claims_lede(judged.result, lang)
        body.append(f'<p class="gz-lede">{esc(lede.removesuffix("."))}'
                    + (f' (<span lang="en" dir="ltr">'
                       f"{esc(judged.in_words)}</span>)" if judged.against else "")
                    + f'. <a href="#gz-chart">{tr("The chart", lang)}</a> '
                      f'{tr("shows which hold.", lang)}</p>')
    return body


def _map_section(parts: _Parts) -> tuple[list[str], list[str]]:
    """The map with its area table, and apart the map's scripts.

    The scripts (Leaflet, 150 kB) go at the end of the page, so that the text paints first.
    """
    map_html = _map_fragment(parts.report, parts.title, parts.lang)
    map_scripts = re.findall(r"<script>.*?</script>", map_html, re.S)
    for sc in map_scripts:
        map_html = map_html.replace(sc, "", 1)
    body = ['<section id="gz-map" aria-labelledby="gz-map-h">',
            f'<h2 id="gz-map-h">{tr("Map and areas", parts.lang)}</h2>', map_html]
    if parts.note:
        body.append(f'<p class="gz-small">{esc(parts.note)}</p>')
    body.append("</section>")
    return body, map_scripts


def _map_fragment(analysis: Analysis, title: str, lang: str = "en") -> str:
    """The offline interactive map of the analysis, as a fragment with its scripts."""
    from maps.render import MapOptions, render_map_html

    return render_map_html(MapOptions(analysis=analysis, offline=True, mode="fragment",
                                      title=title, height="60vh",
                                      lang="ar" if lang == "ar" else "en"))


def _claims_section(parts: _Parts) -> list[str]:
    """The chart of stated against computed figures and the claims grouped by verdict."""
    result, lang = parts.judged.result, parts.lang
    if result is None:
        return []
    return ['<section id="gz-claims">',
            f'<h2>{tr("Published claims against the figures", lang)}</h2>',
            chart_html(result, parts.note, lang),
            claims_html(result, against=parts.judged.judged, lang=lang), "</section>"]


def _versions_section(parts: _Parts) -> list[str]:
    """The dated versions of the line (folded) and their chart, when there are several."""
    body = []
    # the timeline and the methods note are English (lang="en" inside an Arabic page)
    timeline = timeline_rows(parts.report, parts.judged.result)
    if timeline:
        # folded like the method: the dated figures are context, the summary comes first
        body += ['<section id="gz-versions">', '<details class="gz-fold"><summary>'
                 f'{tr("Versions of the line", parts.lang)}</summary>',
                 f'<div class="gz-scroll" tabindex="0" role="group"{parts.en} '
                 'aria-label="Versions of the line">', timeline_html(timeline), "</div>",
                 "</details>", "</section>"]
    if has_versions(parts.report.request.catalog, parts.report.lines[0].source.dataset):
        # the chart of the line over time (its module loads the comparisons)
        from maps.timeline_page import versions_chart_html

        body.append(versions_chart_html(parts.report))
    return body


def _method_section(parts: _Parts) -> list[str]:
    """The methods note and the datasets, folded."""
    return ['<section id="gz-method">', '<details class="gz-fold"><summary>'
            f'{tr("Method and data", parts.lang)}</summary><div{parts.en}>',
            methods_html(parts.methods, parts.datasets), "</div></details>", "</section>"]
