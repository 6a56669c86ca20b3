"""The methods note: how the figures were made, from which datasets, with what software."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from geo.analysis import Analysis, LineResult
from geo.catalog import Catalog, Dataset
from geo.claims import LedgerResult
from geo.errors import DatasetNotFoundError
from geo.read.sources import Source, looks_like_path
from maps.html import esc
from maps.report.options import ReportOptions, options_for_display
from maps.report.verdicts import minus, rules_text
from maps.tables import context_lines

__all__ = ["software_versions", "DatasetRow", "dataset_rows", "method_items", "methods_html"]


def _folium_version() -> str:
    """The installed folium distribution's version (folium itself is not imported)."""
    from importlib import metadata

    try:
        return metadata.version("folium")
    except metadata.PackageNotFoundError:
        return "not installed"


def software_versions() -> dict[str, str]:
    """Versions of gazamap and the libraries behind its numbers and maps, the same on every run.

    From the modules the figures already imported, and folium's (which draws the map but
    may not be imported yet) from its distribution, whatever was imported before.
    """
    import numpy
    import pyproj
    import shapely

    import geo

    return {"python": platform.python_version(), "gazamap": geo.__version__,
            "shapely": shapely.__version__, "pyproj": pyproj.__version__,
            "numpy": numpy.__version__, "folium": _folium_version(),
            "GEOS": shapely.geos_version_string, "PROJ": pyproj.proj_version_str}


@dataclass(frozen=True)
class DatasetRow:
    """One dataset behind a report's figures, as the methods note lists it.

    A catalog dataset by ``id@version`` with its source, licence, attribution, method
    and stated positional uncertainty; a user's file by its name, with its SHA-256 in
    the uncertainty's column (a file states no uncertainty).
    """

    ref: str
    title: str
    source: str
    licence: str = ""
    attribution: str = ""
    method: str = ""
    notes: str = ""
    uncertainty: str = ""
    """The stated uncertainty in words, or a user file's SHA-256."""

    @classmethod
    def of_dataset(cls, ds: Dataset) -> DatasetRow:
        """A catalog dataset's row."""
        return cls(ds.ref, ds.title, ds.source, ds.licence, ds.attribution, ds.method,
                   ds.notes, ds.line_uncertainty.words)

    @classmethod
    def of_file(cls, src: Source) -> DatasetRow:
        """A user file's row: its name and digest, never its folder."""
        return cls(src.ref, "user file", src.ref, uncertainty=src.sha256)

    @property
    def method_notes(self) -> str:
        """The method, and the notes after it when there are any."""
        return self.method + (" " + self.notes if self.notes else "")


def _dataset_row(ref: str, src: Source | None, cat: Catalog) -> DatasetRow | None:
    """The row of one dataset reference: a file read, a catalog dataset, or none."""
    if src is not None and src.dataset is None:
        return DatasetRow.of_file(src)
    if looks_like_path(ref):  # no file of its own (lines joined by " + ")
        return None
    try:
        return DatasetRow.of_dataset(cat.get(ref))
    except DatasetNotFoundError:
        return None


def dataset_rows(analysis: Analysis, result: LedgerResult | None) -> list[DatasetRow]:
    """Provenance of every dataset behind the figures (files by name and SHA-256).

    The files are those the analysis and the verdicts were computed on, as they were
    resolved (a ledger's files in its folder, never the current folder).
    """
    claimed = result.sources if result is not None else ()
    sources = {s.ref: s for s in (*claimed, analysis.boundary,
                                  *(ln.source for ln in analysis.lines))}
    refs = [*analysis.provenance.datasets, "crossings"]
    if result is not None:
        for v in result.verdicts:
            if v.computed is not None:
                refs += list(v.computed.datasets)
    rows: dict[str, DatasetRow] = {}
    for ref in refs:
        row = _dataset_row(ref, sources.get(ref), analysis.request.catalog)
        if row is not None:
            rows.setdefault(row.ref, row)
    return list(rows.values())


def _line_item(ln: LineResult) -> str:
    u = (f"{ln.uncertainty_words} ({ln.uncertainty_from})" if ln.uncertainty_m is not None
         else "not stated (no interval)")
    return (f"{ln.ref} ({ln.method} method); positional uncertainty {u}."
            + (" Repairs: " + "; ".join(ln.repairs) + "." if ln.repairs else ""))


def method_items(report: Analysis, result: LedgerResult | None, options: ReportOptions
                 ) -> list[tuple[str, str | list[str]]]:
    """The methods note as (heading, text or list of texts) pairs, in reading order."""
    m = report.method
    items: list[tuple[str, str | list[str]]] = [
        ("Outline", f"{report.boundary.ref}: {report.boundary_area_km2:.3f} km² "
                    f"geodesic; cross-check in the local equal-area CRS differs by "
                    + minus(f"{m.relative_difference:.1e}")
                    + " (relative)."),
        *((("Line" if len(report.lines) == 1 else f"Line {i + 1}"), _line_item(ln))
          for i, ln in enumerate(report.lines)),
        ("East zone", m.east_zone + "."),
        ("Areas", m.area + "."),
        ("Partition", m.split + "."),
        ("Projection", f"Splitting, buffering and the static map in {m.split_crs}; "
                       "areas and lengths are geodesic on WGS84. Never degrees or Web "
                       "Mercator."),
        ("Denominators", "Shares of the measured outline and of "
                         + ", ".join(f"{d:g} km²" for d in m.denominators_km2)
                         + " (365: the figure most media use, PCBS table 676's governorates "
                           "60.9 + 74.6 + 56.7 + 109.7 + 63.1; 360: the sum of Wikipedia's "
                           "governorate areas 61 + 70 + 56 + 108 + 65)."),
        ("Uncertainty", m.uncertainty + "."),
        ("Context", context_lines(report)),
        ("Borders", m.borders + "."),
    ]
    for alt in report.alternatives:
        items.append(("Alternative method", alt.explanation))
    if result is not None:
        items.append(("Claims", rules_text()))
        items.append(("Ledger", f"{Path(result.ledger.path).name or 'ledger'}"
                                + (f": {result.ledger.title}" if result.ledger.title else "")
                                + (f" — {result.ledger.description}"
                                   if result.ledger.description else "")))
    versions = software_versions()
    items.append(("Software", ", ".join(f"{k} {v}" for k, v in versions.items())))
    items.append(("Command", options.command or "Python: maps.report.build_report("
                  + repr(options_for_display(options)) + ")"))
    if options.timestamp:
        items.append(("Generated", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    if report.notes or report.warnings:
        items.append(("Notes", [*report.notes, *report.warnings]))
    return items


def methods_html(items: list[tuple[str, str | list[str]]], datasets: list[DatasetRow]
                 ) -> str:
    """The methods note as a definition list, and the datasets as a folded table."""
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
    out.append(f'<details class="gz-fold"><summary>Datasets ({len(datasets)})</summary>'
               '<div class="gz-scroll" tabindex="0" role="group" aria-label="Datasets">'
               '\n<table class="gz-verdicts gz-datasets">')
    out.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
        "dataset", "title", "source", "licence", "attribution", "method", "uncertainty"))
        + "</tr></thead><tbody>")
    for d in datasets:
        out.append("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in (
            d.ref, d.title, d.source, d.licence, d.attribution, d.method_notes,
            d.uncertainty)) + "</tr>")
    out.append("</tbody></table></div></details>")
    return "\n".join(out) + "\n"
