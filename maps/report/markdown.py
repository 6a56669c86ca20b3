"""The report as Markdown: the tables and the methods note, without the map."""

from __future__ import annotations

from geo.analysis import Analysis
from geo.claims import LedgerResult
from maps.report.methods import DatasetRow
from maps.report.summary import summary_text
from maps.report.verdicts import VERDICT_HEADER, counts_line, esc_md, explanation, verdict_rows
from maps.report.versions import TIMELINE_HEADER
from maps.tables import areas_text, code_span, markdown_table

__all__ = ["markdown_report"]


def markdown_report(title: str, report: Analysis, result: LedgerResult | None,
                    methods: list[tuple[str, str | list[str]]], datasets: list[DatasetRow],
                    timeline: list[list[str]], *, against: str = "") -> str:
    """The report as Markdown: headline, areas, claims, versions of the line and method.

    ``against``: the user's line the claims were judged on, in words ("" for the packaged).
    """
    parts = [f"# {esc_md(title)}", esc_md(summary_text(report)), "## Areas",
             areas_text(report, "markdown")]
    if result is not None:
        parts += ["## Claims checked", markdown_table(VERDICT_HEADER, verdict_rows(result)),
                  counts_line(result) + ".",
                  "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}"
                            + (f", {esc_md(v.claim.date)}" if v.claim.date else "")
                            + f"): “{esc_md(v.claim.text)}” — "
                            + esc_md(explanation(v, against=against))
                            for v in result.verdicts)]
    if timeline:
        parts += ["## Versions of the line",
                  markdown_table(TIMELINE_HEADER, [[esc_md(c) for c in r] for r in timeline])]
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
                             [[d.ref, d.source, d.licence, d.attribution, d.uncertainty]
                              for d in datasets]),
              "The interactive map: `gazamap render --offline --out map.html` "
              "(same line and outline)."]
    return "\n\n".join(parts) + "\n"
