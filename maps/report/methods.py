"""The methods note: how the figures were made, from which datasets, with what software."""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.analysis import Analysis
from geo.analysis.uncertainty import uncertainty_words
from geo.claims import LedgerResult
from geo.errors import DatasetNotFoundError
from geo.read.sources import file_identity, looks_like_path
from maps.html import esc
from maps.report.options import ReportOptions, options_for_display
from maps.report.verdicts import minus, rules_text
from maps.tables import context_lines

__all__ = ["software_versions", "dataset_rows", "method_items", "methods_html"]


def software_versions() -> dict[str, str]:
    """Versions of gazamap and the libraries behind its numbers and maps, the same on every run.

    Read from each module, or from its distribution's METADATA for folium (which draws the
    map but may not be imported yet): ``importlib.metadata`` costs 30-80 ms to import and
    parse on a cold start.
    """
    import numpy
    import pyproj
    import shapely

    import geo

    return {"python": platform.python_version(), "gazamap": geo.__version__,
            "shapely": shapely.__version__, "pyproj": pyproj.__version__,
            "numpy": numpy.__version__, "folium": _dist_version("folium"),
            "GEOS": shapely.geos_version_string, "PROJ": pyproj.proj_version_str}


def _dist_version(name: str) -> str:
    """The ``Version:`` of an installed distribution's METADATA, without importing it.

    >>> _dist_version("folium") == __import__("folium").__version__
    True
    >>> _dist_version("no-such-distribution")
    'not installed'
    """
    from importlib.util import find_spec

    spec = find_spec(name.replace("-", "_")) if name.isidentifier() else None
    if spec is None or spec.origin is None:
        return "not installed"
    site = Path(spec.origin).parents[1]
    for meta in sorted(site.glob(f"{name}-*.dist-info/METADATA")):
        for line in meta.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
            if not line:
                break
    return "unknown"


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


def dataset_rows(analysis: Analysis, result: LedgerResult | None) -> list[dict[str, Any]]:
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


def _line_item(ln: Any) -> str:
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
                    + minus(f"{m['cross_check']['relative_difference']:.1e}")
                    + " (relative)."),
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


def methods_html(items: list[tuple[str, str | list[str]]], datasets: list[dict[str, Any]]
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
        unc = (uncertainty_words(d["uncertainty_m"]) if "uncertainty_m" in d
               else d.get("sha256", ""))
        out.append("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in (
            d.get("ref"), d.get("title"), d.get("source", d.get("file", "")),
            d.get("licence", ""), d.get("attribution", ""),
            (d.get("method", "") + (" " + d["notes"] if d.get("notes") else "")), unc))
            + "</tr>")
    out.append("</tbody></table></div></details>")
    return "\n".join(out) + "\n"
