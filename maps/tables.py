"""Text renderings of results for people: plain tables, Markdown and CSV (no HTML here)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo.analysis import Analysis, Interval
from geo.analysis.outlines import denominator_note
from geo.geometry.borders import BORDER_KINDS
from geo.write.outputs import csv_cell, terminal_text

if TYPE_CHECKING:
    from geo.catalog import Dataset
    from geo.compare import Comparison
    from geo.count import LayerCount, ZoneCount

__all__ = [
    "grid",
    "markdown_table",
    "markdown_cell",
    "markdown_text",
    "code_span",
    "AreaRow",
    "AreaTable",
    "GovernorateRows",
    "area_table",
    "interval_cell",
    "borders_cell",
    "areas_text",
    "areas_csv",
    "context_lines",
    "compare_text",
    "count_text",
    "count_csv",
    "datasets_text",
    "to_json",
]


def to_json(data: Any) -> str:
    """Stable JSON: sorted keys, UTF-8 kept, two-space indent, numbers unrounded."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def grid(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns (numbers right-aligned)."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(_is_num(r[i]) for r in cells[1:]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w)
                         for c, w, n in zip(r, widths, numeric, strict=True)).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(cells[0]), sep, *(fmt(r) for r in cells[1:])])


def _is_num(s: str) -> bool:
    try:
        float(s.replace("%", "").replace("–", "-").split(" ")[0])
        return True
    except ValueError:
        return False


_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_PUNCT = re.compile(r"([\\`*_\[\]~|])")


def markdown_cell(value: Any) -> str:
    r"""Text that stays one inert cell of a Markdown table, shown as written.

    HTML is escaped as entities (``<`` ``>`` ``&``: no tag, comment or script survives),
    the characters that would format, link or split the row (``\ ` * _ [ ] ~ |``) are
    backslash-escaped, line breaks become spaces and terminal control sequences are
    removed (:func:`geo.write.outputs.terminal_text`).

    >>> markdown_cell('<img src=x onerror=alert(1)> a|b [l](javascript:x) *em*')
    '&lt;img src=x onerror=alert(1)&gt; a\\|b \\[l\\](javascript:x) \\*em\\*'
    """
    text = terminal_text(" ".join(str(value).splitlines())) if value is not None else ""
    text = _MD_PUNCT.sub(r"\\\1", text)
    return "".join(_MD_HTML.get(ch, ch) for ch in text)


def markdown_text(value: Any) -> str:
    r"""Inline Markdown text that is inert: shown as written, never a tag, link or heading.

    The escaping of :func:`markdown_cell` plus ``#``, ``{`` and ``}``, and line breaks as
    spaces, so that a file name, a title or a note cannot start a block or a tag.

    >>> markdown_text("<b>x</b>_y.geojson\n# h")
    '&lt;b&gt;x&lt;/b&gt;\\_y.geojson \\# h'
    """
    return re.sub(r"([#{}])", r"\\\1", markdown_cell(value))


def code_span(text: str) -> str:
    """A Markdown code span of ``text``, fenced by more backticks than any run inside.

    >>> code_span("gazamap report --title 'a`b'")
    "``gazamap report --title 'a`b'``"
    >>> code_span("x")
    '`x`'
    """
    text = " ".join(str(text).splitlines())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table of inert cells (see :func:`markdown_cell`)."""
    lines = ["| " + " | ".join(markdown_cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(markdown_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


# -- the area tables: one builder, thin writers (text, Markdown, CSV here; HTML in maps.html)


@dataclass(frozen=True)
class AreaRow:
    """One row of the area tables: one zone's figures within the outline or a governorate.

    Unrounded; a writer rounds for display. ``share_pct`` and ``interval`` are shares of
    the row's scope. ``shares_of`` (% of each conventional total, in the order of
    :attr:`AreaTable.denominators`) and ``borders_km`` (Israel, Egypt, sea) are given
    for the outline's rows only.
    """

    zone: str
    area_km2: float
    share_pct: float
    interval: Interval | None
    shares_of: tuple[float, ...] = ()
    borders_km: tuple[float, ...] | None = None  # BORDER_KINDS: Israel, Egypt, sea


@dataclass(frozen=True)
class GovernorateRows:
    """One governorate: its names, its area and one :class:`AreaRow` per zone, in order."""

    name: str
    name_ar: str
    area_km2: float
    zones: tuple[AreaRow, ...]


@dataclass(frozen=True)
class AreaTable:
    """The area tables of an analysis: the zones of the outline, then each governorate's."""

    denominators: tuple[str, ...]  # the conventional totals, km², as the JSON keys them
    zones: tuple[AreaRow, ...]
    governorates: tuple[GovernorateRows, ...]


def area_table(analysis: Analysis) -> AreaTable:
    """The rows every area table shows (terminal, Markdown, CSV, the map's HTML).

    >>> import geo
    >>> t = area_table(geo.analyse())
    >>> [r.zone for r in t.zones], t.denominators, len(t.governorates)
    (['east', 'west'], ('365', '360'), 5)
    """
    denoms = tuple(analysis.zones[0].shares_of)
    zones = tuple(AreaRow(z.id, z.area_km2, z.share_pct, z.interval,
                          tuple(z.shares_of[d] for d in denoms),
                          tuple(z.borders_km[k] for k in BORDER_KINDS))
                  for z in analysis.zones)
    govs = tuple(GovernorateRows(g.name, g.name_ar, g.area_km2, tuple(
        AreaRow(zid, g.zones[zid].area_km2, g.zones[zid].share_pct, g.zones[zid].interval)
        for zid in analysis.zone_ids)) for g in analysis.governorates)
    return AreaTable(denoms, zones, govs)


def interval_cell(interval: Interval | None, none: str = "none") -> str:
    """``low–high`` (one decimal), or ``none`` when there is no interval."""
    return f"{interval.low:.1f}–{interval.high:.1f}" if interval else none


def borders_cell(km: tuple[float, ...] | None) -> str:
    """``Israel / Egypt / sea`` in km, one decimal."""
    return " / ".join(f"{v:.1f}" for v in km or ())


def _zone_rows(t: AreaTable) -> tuple[list[str], list[list[Any]]]:
    header = ["zone", "km²", "% of outline", "interval %",
              *[f"% of {d} km²" for d in t.denominators], "border km (Israel/Egypt/sea)"]
    rows = [[r.zone, f"{r.area_km2:.1f}", f"{r.share_pct:.1f}", interval_cell(r.interval),
             *[f"{v:.1f}" for v in r.shares_of], borders_cell(r.borders_km)]
            for r in t.zones]
    return header, rows


def _gov_rows(t: AreaTable) -> tuple[list[str], list[list[Any]]]:
    header = ["governorate", "name (ar)", "km²",
              *[h for r in t.zones for h in (f"{r.zone} km²", f"{r.zone} %")]]
    rows = [[g.name, g.name_ar, f"{g.area_km2:.1f}",
             *[c for r in g.zones for c in (f"{r.area_km2:.1f}", f"{r.share_pct:.1f}")]]
            for g in t.governorates]
    return header, rows


def _uncertainty_words(u: float | None, words: str = "") -> str:
    return "not stated (no interval)" if u is None else (words or f"±{u:g} m")


def _footer(analysis: Analysis) -> list[str]:
    method = analysis.method
    lines = [f"Outline: {analysis.boundary.ref}, {analysis.boundary_area_km2:.2f} km² "
             "(geodesic)."]
    for i, ln in enumerate(analysis.lines):
        which = "Line" if len(analysis.lines) == 1 else f"Line {i + 1}"
        lines.append(f"{which}: {ln.ref} ({ln.method} method), positional uncertainty "
                     f"{_uncertainty_words(ln.uncertainty_m, ln.uncertainty_words)}.")
    lines += [
        f"Method: {method.area}.",
        f"East zone: {method.east_zone}.",
        f"Cross-check: local LAEA area differs by "
        f"{method.relative_difference:.1e} (relative).",
        f"Interval: {method.uncertainty}.",
    ]
    for alt in analysis.alternatives:
        east = alt.zones[0][1]
        lines.append(
            f"Alternative ({alt.method}, {alt.dataset}): east {east.area_km2:.1f} km², "
            f"{east.share_pct:.2f} % of the outline"
            + (f" (interval {east.interval.low:.2f}–{east.interval.high:.2f} %)"
               if east.interval else "")
            + f"; the polygon alone is {alt.polygon_area_km2:.1f} km² = "
            + ", ".join(f"{v:.1f} % of {k} km²" for k, v in alt.polygon_share_pct_of.items())
            + f". Difference {alt.difference_km2:.1f} km²: {alt.explanation}"
        )
    lines += context_lines(analysis)
    lines.append("Datasets: " + ", ".join(analysis.provenance.datasets) + ".")
    return lines


def context_lines(analysis: Analysis) -> list[str]:
    """Outline sensitivity, pre-war population and what the denominators stand for."""
    out = []
    if len(analysis.outlines) > 1:
        parts = [f"{z.share_pct:.2f} % on {o.dataset} ({o.area_km2:.2f} km²)"
                 for o in analysis.outlines for z in o.zones if z.id == "east"]
        out.append("Outline sensitivity (east zone, same line): " + "; ".join(parts) + ".")
    pop = analysis.population
    if pop is not None:
        for z in pop.zones:
            ests = ", ".join(f"{e.method} {e.share_pct:.1f} %" for e in z.estimates)
            out.append(f"Pre-war population, {z.id}: {z.share_pct_low:.1f}–"
                       f"{z.share_pct_high:.1f} % ({ests}; {pop.basis}). {pop.note}"
                       if z.id == "east" else
                       f"Pre-war population, {z.id}: {z.share_pct_low:.1f}–"
                       f"{z.share_pct_high:.1f} % ({ests}).")
    for key in analysis.zones[0].shares_of:
        note = denominator_note(float(key))
        if note:
            out.append(f"Denominator: {note}.")
    return out


def areas_text(analysis: Analysis, fmt: str = "table") -> str:
    """The areas as a plain table (``table``) or Markdown (``markdown``)."""
    analysis.compute_parts()  # it shows them all (two at once on two cores)
    t = area_table(analysis)
    zh, zr = _zone_rows(t)
    gh, gr = _gov_rows(t)
    table = markdown_table if fmt == "markdown" else grid
    parts = [table(zh, zr)]
    if gr:
        parts.append(table(gh, gr))
    foot = _footer(analysis)
    if fmt == "markdown":
        # a document keeps its notes; the terminal table leaves them to stderr (once)
        foot += [f"Note: {w}" for w in (*analysis.notes, *analysis.warnings,
                                          *analysis.part_notes)]
        parts.append("\n".join(f"- {markdown_text(f)}" for f in foot))
    else:
        parts.append("\n".join(foot))
    return "\n\n".join(parts)


def _csv_row(cells: Sequence[Any]) -> list[Any]:
    return [c if isinstance(c, int | float) and not isinstance(c, bool) else csv_cell(c)
            for c in cells]


def areas_csv(analysis: Analysis) -> str:
    """One row per zone and per governorate × zone, with the datasets on every row.

    A zone without an interval has empty ``share_pct_low``/``share_pct_high`` cells.
    Text cells are quoted and neutralised against formula injection (geo.write.outputs).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    t = area_table(analysis)
    tail = [analysis.boundary.ref, " + ".join(ln.ref for ln in analysis.lines),
            "geodesic WGS84"]
    w.writerow(_csv_row(["scope", "zone", "area_km2", "share_pct", "share_pct_low",
                         "share_pct_high", *[f"share_pct_of_{d}" for d in t.denominators],
                         "boundary", "line", "method"]))
    for r in t.zones:
        w.writerow(_csv_row(["strip", *_csv_figures(r), *r.shares_of, *tail]))
    for g in t.governorates:
        for r in g.zones:
            w.writerow(_csv_row([g.name, *_csv_figures(r), *["" for _ in t.denominators],
                                 *tail]))
    return buf.getvalue().rstrip("\n")


def _csv_figures(r: AreaRow) -> list[Any]:
    iv = r.interval
    return [r.zone, r.area_km2, r.share_pct, iv.low if iv else "", iv.high if iv else ""]


def datasets_text(datasets: Sequence[Dataset]) -> str:
    """The catalog for people: one block per dataset."""
    blocks = []
    for d in datasets:
        flag = " [ILLUSTRATIVE]" if d.illustrative else " [derived]" if d.derived else ""
        blocks.append("\n".join([
            f"{d.ref}  ({d.kind}){flag}",
            f"  {d.title}",
            f"  source:      {d.source}",
            *([f"  url:         {d.url}"] if d.url else []),
            f"  licence:     {d.licence}",
            f"  attribution: {d.attribution}",
            f"  method:      {d.method}",
            f"  uncertainty: {d.line_uncertainty.words}",
            *([f"  notes:       {d.notes}"] if d.notes else []),
        ]))
    return "\n\n".join(blocks)


def compare_text(c: Comparison, fmt: str = "table") -> str:
    """The ``gazamap compare`` result as a plain table (``table``) or Markdown."""
    table = markdown_table if fmt == "markdown" else grid
    d = c.displacement
    summary = [
        ["east zone, A", f"{c.a.east_km2:.2f} km²", f"{c.a.share_pct:.2f} %"],
        ["east zone, B", f"{c.b.east_km2:.2f} km²", f"{c.b.share_pct:.2f} %"],
        ["moved (B - A)", f"{c.moved_km2:+.2f} km²", f"{c.moved_pct:+.2f} %"],
        ["west -> east", f"{c.to_east_km2:.2f} km²", ""],
        ["east -> west", f"{c.to_west_km2:.2f} km²", ""],
    ]
    disp = [["mean", f"{d.mean_m:.0f} m"], ["median", f"{d.median_m:.0f} m"],
            ["max", f"{d.max_m:.0f} m"], ["Hausdorff", f"{d.hausdorff_m:.0f} m"],
            ["signed mean (+ west)", f"{d.signed_mean_m:+.0f} m"]]
    gov = [[g.name, g.name_ar or "", f"{g.to_east_km2:.2f}", f"{g.to_west_km2:.2f}",
            f"{g.moved_km2:+.2f}"] for g in c.governorates]
    head = (f"A: {c.a.ref}   B: {c.b.ref}   "
            f"outline: {c.boundary.ref} ({c.boundary_area_km2:.2f} km²)")
    parts = [
        markdown_text(head) if fmt == "markdown" else head,
        table(["", "area", "% of outline"], summary),
        table(["displacement of B from A", ""], disp),
        table(["governorate", "name (ar)", "west->east km²", "east->west km²", "net km²"], gov),
    ]
    places = [[p.name, p.name_ar or "", p.dataset, f"{p.from_zone} -> {p.to_zone}"]
              for p in c.places_changed]
    checked = ", ".join(f"{n} {k}" for k, n in c.places_checked.items())
    if places:
        parts.append(table(["place", "name (ar)", "dataset", "change"], places))
    changed = f"{len(places)} place(s) change side (checked: {checked})."
    parts.append(markdown_text(changed) if fmt == "markdown" else changed)
    notes = [f"Method: {c.method.area}; {c.method.displacement}."]
    if fmt == "markdown":  # the terminal table leaves the notes to stderr (once)
        notes += [f"Note: {w}" for w in c.warnings]
    parts.append("\n".join(f"- {markdown_text(n)}" for n in notes) if fmt == "markdown"
                 else "\n".join(notes))
    return "\n\n".join(parts)


def _span(mid: float, lo: float | None, hi: float | None, fmt: str = "{:,.0f}") -> str:
    """``mid (lo–hi)``, or ``mid`` alone when there is no interval (or it collapses)."""
    if lo is None or hi is None or lo == mid == hi:
        return fmt.format(mid)
    return f"{fmt.format(mid)} ({fmt.format(lo)}–{fmt.format(hi)})"


def count_text(result: LayerCount, fmt: str = "table") -> str:
    """The count as a plain table (``table``) or Markdown (``markdown``)."""
    table = markdown_table if fmt == "markdown" else grid
    c = result.counts
    sums = list(c.zones[0].sums)
    area = c.zones[0].area_km2 is not None
    head = ["zone", "count (low–high)", *[f"sum of {s}" for s in sums]]
    if area:
        head.append("area km² (low–high)")
    rows: list[list[Any]] = []
    for z in c.zones:
        row = [z.id, _span(z.count, z.count_low, z.count_high)]
        row += [_sum_span(z, s) for s in sums]
        if z.area_km2 is not None:
            row.append(_span(z.area_km2, z.area_km2_low, z.area_km2_high, "{:,.4f}"))
        rows.append(row)
    rows.append(["outside", f"{c.outside:,}", *["" for _ in sums], *([""] if area else [])])
    parts = [table(head, rows)]
    zones = [z.id for z in c.zones]
    if c.governorates:
        gh = ["governorate", "count", *zones]
        gr = [[g.name, f"{g.count:,}", *[f"{g.zones[z]:,}" for z in zones]]
              for g in c.governorates]
        parts.append(table(gh, gr))
    lay = result.layer
    foot = [f"layer: {lay.file} ({lay.features:,} features, sha256 "
            f"{lay.sha256[:12]}…), counted by {lay.counted_by}",
            f"on the line: {c.on_line:,}; outside includes {c.outside_in_holes:,} "
            "in the inland ponds",
            f"datasets: {', '.join(result.datasets)}",
            f"interval: {result.method.interval}"]
    if fmt == "markdown":  # the terminal table leaves the warnings to stderr (once)
        foot += [f"warning: {w}" for w in result.warnings]
    parts.append("\n".join(f"- {markdown_text(f)}" for f in foot) if fmt == "markdown"
                 else "\n".join(foot))
    return "\n\n".join(parts)


def _sum_span(z: ZoneCount, s: str) -> str:
    lo, mid, hi = z.sums_low[s], z.sums[s], z.sums_high[s]
    f = "{:,.0f}" if all(float(v).is_integer() for v in (lo, mid, hi)) else "{:,.2f}"
    return f.format(mid) if lo == mid == hi else f"{f.format(mid)} ({f.format(lo)}–{f.format(hi)})"


def count_csv(result: LayerCount) -> str:
    """One row per zone, outside, and governorate × zone, with the layer and datasets.

    A zone without an interval (no stated uncertainty, no point on a line) has empty
    ``count_low``/``count_high`` (and sum, area) cells, as the JSON has nulls.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    c = result.counts
    sums = list(c.zones[0].sums)
    area = c.zones[0].area_km2 is not None
    w.writerow(["scope", "zone", "count", "count_low", "count_high",
                *[f"{p}{s}" for s in sums for p in ("sum_", "sum_low_", "sum_high_")],
                *(["area_km2", "area_km2_low", "area_km2_high"] if area else []),
                "layer", "layer_sha256", "datasets"])
    tail = [result.layer.file, result.layer.sha256, " ".join(result.datasets)]
    for z in c.zones:
        w.writerow(_csv_row([
            "strip", z.id, z.count, *_bounds(z.count, z.count_low, z.count_high),
            *[v for s in sums for v in (z.sums[s], *_bounds(z.sums[s], z.sums_low[s],
                                                             z.sums_high[s]))],
            *([z.area_km2, *_bounds(z.area_km2, z.area_km2_low, z.area_km2_high)]
              if z.area_km2 is not None else []),
            *tail]))
    blank = [""] * (3 * len(sums) + (3 if area else 0))
    w.writerow(_csv_row(["strip", "outside", c.outside, "", "", *blank, *tail]))
    for g in c.governorates:
        for zid, n in g.zones.items():
            w.writerow(_csv_row([g.name, zid, n, "", "", *blank, *tail]))
    return buf.getvalue().rstrip("\n")


def _bounds(mid: Any, lo: Any, hi: Any) -> tuple[Any, Any]:
    """``(lo, hi)``, or two empty cells (``None``) when the interval collapses to the value."""
    return (None, None) if lo == mid == hi else (lo, hi)
