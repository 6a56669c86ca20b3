"""The verdicts of ``gazamap check``: a plain table, Markdown, JSON or an HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from geo.claims import LedgerResult
from geo.read.sources import Source, looks_like_path
from layers.zones import line_name
from maps.html import esc
from maps.report.claims import chart_html, claims_html, rules_html
from maps.report.page import report_page
from maps.report.verdicts import (
    VERDICT_HEADER,
    counts_line,
    esc_md,
    explanation,
    rules_text,
    verdict_rows,
)
from maps.tables import grid, markdown_table, to_json

__all__ = ["VerdictFormat", "line_words_of", "format_verdicts"]

VerdictFormat = Literal["table", "json", "markdown", "html"]


def line_words_of(line: str | Source | None) -> str:
    """A line given to ``check`` in words (a file by its name only)."""
    if line is None:
        return ""
    if isinstance(line, Source):
        return line_name(line)
    return f"your line ({Path(line).name})" if looks_like_path(line) else line


def format_verdicts(result: LedgerResult, fmt: VerdictFormat = "table", *,
                    against: str = "") -> str:
    """The verdicts as a plain table, Markdown, JSON (the stable list) or an HTML page.

    ``against`` names, in words, a user's line the claims were judged on (asked for
    with ``--judge-claims-against-line``): every explanation then names it.
    """
    if fmt == "json":
        return to_json(result.to_list())
    if fmt == "html":
        title = result.ledger.title or "Claims checked by gazamap"
        body = (f"<h1>{esc(title)}</h1>\n<p>{esc(counts_line(result))}</p>\n"
                + "<h2>Stated against computed</h2>\n" + chart_html(result, "")
                + "<h2>Claims by verdict</h2>\n" + claims_html(result, against=against)
                + "<h2>Rules</h2>\n" + rules_html())
        return report_page(title, body, "en", description=counts_line(result))
    rows = verdict_rows(result)
    notes = [f"{v.id}: {explanation(v, against=against)}"
             + "".join(f" [{n}]" for n in v.claim.hedge_notes)
             + f" — {v.claim.provenance}" for v in result.verdicts]
    if fmt == "markdown":
        parts = [markdown_table(VERDICT_HEADER, rows),
                 counts_line(result) + ".",
                 "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}): "
                           f"{esc_md(explanation(v, against=against))}"
                           for v in result.verdicts),
                 "\n".join(f"- {esc_md(r)}" for r in rules_text())]
        return "\n\n".join(parts)
    src = Path(result.ledger.path).name if result.ledger.path else "ledger"  # no folders
    return "\n\n".join([f"{result.ledger.title or 'Claims'} ({src})", grid(VERDICT_HEADER, rows),
                        counts_line(result) + ".", "\n".join(notes),
                        "\n".join(rules_text())])
