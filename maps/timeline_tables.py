"""The line over time as text for people: plain tables, Markdown and CSV (no HTML here)."""

from __future__ import annotations

import csv
import io
from typing import Any

from geo.timeline import Timeline
from maps.tables import _csv_row, grid, markdown_cell, markdown_table

__all__ = ["timeline_text", "timeline_csv"]


def _interval(low: float | None, high: float | None) -> str:
    return f"{low:.1f}–{high:.1f}" if low is not None and high is not None else "none"


def _version_rows(tl: Timeline) -> list[list[Any]]:
    rows = []
    for v in tl.versions:
        e = v.analysis.zone("east")
        w = v.analysis.zone("west")
        lo, hi = (e.interval.low, e.interval.high) if e.interval else (None, None)
        ln = v.analysis.lines[0]
        # the line's own words: ±u, or toward Israel / toward the coast when one-sided
        rows.append([v.date, v.ref, f"{v.kind} ({ln.method})",
                     f"{e.area_km2:.2f}", f"{e.share_pct:.2f}", _interval(lo, hi),
                     f"{w.share_pct:.2f}",
                     ln.uncertainty_words if ln.uncertainty_m else "none"])
    return rows


def _change_rows(tl: Timeline) -> list[list[Any]]:
    rows = []
    for c in tl.changes:
        d = c.comparison.displacement
        rows.append([f"{c.older.date} -> {c.newer.date}", f"{c.to_east_km2:.2f}",
                     f"{c.to_west_km2:.2f}", f"{c.comparison.moved_km2:+.2f}",
                     f"{d.mean_m:.0f}", f"{d.median_m:.0f}", f"{d.max_m:.0f}",
                     f"{d.hausdorff_m:.0f}", str(len(c.comparison.places_changed))])
    return rows


def timeline_text(tl: Timeline, fmt: str = "table") -> str:
    """Versions, changes (with governorates and places) and stated points, as tables."""
    table = markdown_table if fmt == "markdown" else grid
    head = (f"Line {tl.line_id}: {len(tl.versions)} version(s) on {tl.boundary_ref} "
            f"({tl.boundary_area_km2:.2f} km², geodesic); shares are % of that outline.")
    parts = [markdown_cell(head) if fmt == "markdown" else head,
             table(["date", "version", "kind (method)", "east km²", "east %", "interval %",
                    "west %", "uncertainty"], _version_rows(tl))]
    if tl.changes:
        parts.append(table(["change", "to east km²", "to west km²", "net km²", "mean m",
                            "median m", "max m", "Hausdorff m", "places"], _change_rows(tl)))
        gov = [[f"{c.older.date} -> {c.newer.date}", g.name, g.name_ar or "",
                f"{g.to_east_km2:.2f}", f"{g.to_west_km2:.2f}"]
               for c in tl.changes for g in c.comparison.governorates
               if g.to_east_km2 or g.to_west_km2]
        if gov:
            parts.append(table(["change", "governorate", "name (ar)", "to east km²",
                                "to west km²"], gov))
        places = [[f"{c.older.date} -> {c.newer.date}", p.name, p.name_ar or "",
                   f"{p.from_zone} -> {p.to_zone}"]
                  for c in tl.changes for p in c.comparison.places_changed]
        if places:
            parts.append(table(["change", "place", "name (ar)", "side"], places))
    if tl.stated:
        parts.append(table(
            ["date", "stated", "as % of outline", "outlet", "claim"],
            [[p.date, f"{p.value:g} {'km²' if p.unit == 'km2' else '%'}",
              f"{p.share_pct:.1f}", p.outlet, p.claim_id] for p in tl.stated]))
        parts.append("Stated figures were published without geometry: they are points on "
                     "the time axis, not versions (a stated km² is shown as a share of the "
                     "measured outline; a stated % keeps its own denominator).")
    m = tl.method
    notes = [f"Method: {m.versions}.", f"Interval: {m.uncertainty}."]
    if m.changes is not None:
        notes.append(f"Changes: {m.changes.area}; {m.changes.displacement}.")
    notes.append("Datasets: " + ", ".join(tl.datasets) + ".")
    notes += [f"Note: {n}" for n in tl.notes]
    parts.append("\n".join(f"- {markdown_cell(n)}" for n in notes) if fmt == "markdown"
                 else "\n".join(notes))
    return "\n\n".join(parts)


def timeline_csv(tl: Timeline) -> str:
    """One row per version and zone, per change, and per stated point (``record`` says which).

    Text cells are quoted and neutralised against formula injection (geo.write.outputs).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    head = ["record", "line", "date", "version", "kind", "zone", "area_km2", "share_pct",
            "share_pct_low", "share_pct_high", "to_date", "to_version", "to_east_km2",
            "to_west_km2", "displacement_mean_m", "displacement_median_m",
            "displacement_max_m", "hausdorff_m", "places_changed", "stated_value",
            "stated_unit", "outlet", "claim", "boundary", "datasets"]
    w.writerow(head)
    ds = " ".join(tl.datasets)
    empty = [""] * 9
    for v in tl.versions:
        for z in v.analysis.zones:
            w.writerow(_csv_row([
                "version", tl.line_id, v.date, v.ref, v.kind, z.id, z.area_km2, z.share_pct,
                z.interval.low if z.interval else "", z.interval.high if z.interval else "",
                *empty, "", "", "", "", tl.boundary_ref, ds]))
    for c in tl.changes:
        d = c.comparison.displacement
        w.writerow(_csv_row([
            "change", tl.line_id, c.older.date, c.older.ref, c.older.kind, "", "", "", "", "",
            c.newer.date, c.newer.ref, c.to_east_km2, c.to_west_km2, d.mean_m, d.median_m,
            d.max_m, d.hausdorff_m, len(c.comparison.places_changed), "", "", "", "",
            tl.boundary_ref, ds]))
    for p in tl.stated:
        w.writerow(_csv_row([
            "stated", tl.line_id, p.date, "", "", "east", "", p.share_pct, p.low, p.high,
            *empty, p.value, p.unit, p.outlet, p.claim_id, tl.boundary_ref, ""]))
    return buf.getvalue()
