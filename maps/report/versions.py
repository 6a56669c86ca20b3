"""The dated versions of the line: the report's (computed) and the ledger's (stated)."""

from __future__ import annotations

from geo.analysis import Analysis
from geo.claims import LedgerResult, line_versions
from maps.html import esc

__all__ = ["TIMELINE_HEADER", "timeline_rows", "timeline_html"]


TIMELINE_HEADER = ("date", "line version", "source", "area km²", "% of 365 km²",
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
    of_365 = e.share_of(365)
    rows = [(ds.date or ds.version if ds else "", ds.title if ds else line.label,
             ds.source if ds else "user file",
             f"{e.area_km2:.1f} (computed)", f"{of_365 or 0.0:.1f}",
             f"yes: {ds.ref if ds else report.lines[0].ref}")]
    rows += [(v.date, v.label, v.source, f"{v.area_km2:g} (stated)",
              f"{100 * v.area_km2 / 365:.1f}", f"no ({v.claim_id}: not checkable)")
             for v in stated]
    return [list(r) for r in sorted(rows, key=lambda r: r[0])]


def timeline_html(rows: list[list[str]]) -> str:
    """The versions of the line (see :func:`timeline_rows`) as an HTML table."""
    out = ['<table class="gz-verdicts gz-timeline" id="gz-timeline">',
           "<caption>Versions of the line: the computed one and those known only by a "
           "stated area</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in TIMELINE_HEADER)
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"
