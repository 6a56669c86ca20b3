"""Reports for people: claim verdicts as tables, and one self-contained page to embed.

:func:`format_verdicts` renders the result of :func:`geo.claims.check_ledger` as a plain
table, Markdown, JSON or HTML (``gazamap check``). :func:`build_report` writes the page a
newsroom pastes under a story (``gazamap report``): the map, the area table, the claims
with their verdicts and a methods note (datasets with provenance, outline, denominators,
projection, uncertainty, software versions, the exact command). It is offline (Leaflet
inlined, no tiles, no request), deterministic (no timestamp unless asked) and every piece
of data-derived text is HTML-escaped.

The parts, by the question each answers:

- :mod:`maps.report.options`: what a report shows (:class:`ReportOptions`);
- :mod:`maps.report.verdicts`: one verdict in words (cells, explanation, rules);
- :mod:`maps.report.check`: the verdicts as ``gazamap check`` writes them;
- :mod:`maps.report.claims`: the claims in HTML, grouped by verdict, and the chart;
- :mod:`maps.report.summary`: the headline (the line, the east zone, its interval);
- :mod:`maps.report.versions`: the dated versions of the line;
- :mod:`maps.report.methods`: the methods note, the datasets and the software;
- :mod:`maps.report.claim_review`: schema.org ClaimReview JSON-LD;
- :mod:`maps.report.markdown` and :mod:`maps.report.page`: the Markdown text and the HTML
  document;
- :mod:`maps.report.lang`: the report's own words in Arabic;
- :mod:`maps.report.build`: :func:`build_report`, which puts them together.
"""

from __future__ import annotations

from maps.report.build import build_report
from maps.report.check import VerdictFormat, format_verdicts, line_words_of
from maps.report.claims import claims_html, not_checkable_html, provenance_html
from maps.report.methods import software_versions
from maps.report.options import ReportFormat, ReportOptions
from maps.report.summary import interval_note
from maps.report.verdicts import explanation, verdict_rows
from maps.report.versions import timeline_rows

__all__ = [
    "VerdictFormat",
    "ReportFormat",
    "ReportOptions",
    "format_verdicts",
    "line_words_of",
    "verdict_rows",
    "provenance_html",
    "timeline_rows",
    "claims_html",
    "not_checkable_html",
    "explanation",
    "interval_note",
    "build_report",
    "software_versions",
]
