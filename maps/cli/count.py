"""``gazamap count LAYER``: how many features of a layer lie in each zone, and outside."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

import click

import geo.progress as progress
from geo.analysis import analyse
from geo.outputs import csv_cell
from geo.request import Request
from maps.cli._common import request_options
from maps.cli._output import emit, output_options
from maps.tables import grid, markdown_table, to_json

__all__ = ["count", "count_text", "count_csv"]


def _span(z: dict[str, Any], key: str, fmt: str = "{:,.0f}") -> str:
    lo, mid, hi = z[f"{key}_low"], z[key], z[f"{key}_high"]
    if lo is None or lo == mid == hi:  # no interval
        return fmt.format(mid)
    return f"{fmt.format(mid)} ({fmt.format(lo)}–{fmt.format(hi)})"


def count_text(d: dict[str, Any], fmt: str = "table") -> str:
    """The count as a plain table (``table``) or Markdown (``markdown``)."""
    table = markdown_table if fmt == "markdown" else grid
    sums = list(d["zones"][0]["sum"])
    area = "area_km2" in d["zones"][0]
    head = ["zone", "count (low–high)", *[f"sum of {s}" for s in sums]]
    if area:
        head.append("area km² (low–high)")
    rows: list[list[Any]] = []
    for z in d["zones"]:
        row = [z["id"], _span(z, "count")]
        row += [_sum_span(z, s) for s in sums]
        if area:
            row.append(_span(z, "area_km2", "{:,.4f}"))
        rows.append(row)
    rows.append(["outside", f"{d['outside']['count']:,}", *["" for _ in sums],
                 *([""] if area else [])])
    parts = [table(head, rows)]
    zones = [z["id"] for z in d["zones"]]
    if d["governorates"]:
        gh = ["governorate", "count", *zones]
        gr = [[g["name"], f"{g['count']:,}", *[f"{g['zones'][z]:,}" for z in zones]]
              for g in d["governorates"]]
        parts.append(table(gh, gr))
    lay = d["layer"]
    foot = [f"layer: {lay['file']} ({lay['features']:,} features, sha256 "
            f"{lay['sha256'][:12]}…), counted by {lay['counted_by']}",
            f"on the line: {d['on_line']:,}; outside includes {d['outside']['in_holes']:,} "
            "in the inland ponds",
            f"datasets: {', '.join(d['datasets'])}",
            f"interval: {d['method']['interval']}"]
    foot += [f"warning: {w}" for w in d["warnings"]]
    parts.append("\n".join(f"- {f}" for f in foot) if fmt == "markdown" else "\n".join(foot))
    return "\n\n".join(parts)


def _sum_span(z: dict[str, Any], s: str) -> str:
    lo, mid, hi = z["sum_low"][s], z["sum"][s], z["sum_high"][s]
    if lo is None:  # no interval
        lo = hi = mid
    f = "{:,.0f}" if all(float(v).is_integer() for v in (lo, mid, hi)) else "{:,.2f}"
    return f.format(mid) if lo == mid == hi else f"{f.format(mid)} ({f.format(lo)}–{f.format(hi)})"


def _csv(v: Any) -> Any:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else csv_cell(v)


def count_csv(d: dict[str, Any]) -> str:
    """One row per zone, outside, and governorate × zone, with the layer and datasets."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    sums = list(d["zones"][0]["sum"])
    area = "area_km2" in d["zones"][0]
    w.writerow(["scope", "zone", "count", "count_low", "count_high",
                *[f"{p}{s}" for s in sums for p in ("sum_", "sum_low_", "sum_high_")],
                *(["area_km2", "area_km2_low", "area_km2_high"] if area else []),
                "layer", "layer_sha256", "datasets"])
    tail = [d["layer"]["file"], d["layer"]["sha256"], " ".join(d["datasets"])]
    for z in d["zones"]:
        w.writerow([_csv(c) for c in [
            "strip", z["id"], z["count"], z["count_low"], z["count_high"],
            *[z[k][s] for s in sums for k in ("sum", "sum_low", "sum_high")],
            *([z["area_km2"], z["area_km2_low"], z["area_km2_high"]] if area else []),
            *tail]])
    blank = [""] * (3 * len(sums) + (3 if area else 0))
    w.writerow([_csv(c) for c in ["strip", "outside", d["outside"]["count"], "", "",
                                   *blank, *tail]])
    for g in d["governorates"]:
        for zid, n in g["zones"].items():
            w.writerow([_csv(c) for c in [g["name"], zid, n, "", "", *blank, *tail]])
    return buf.getvalue().rstrip("\n")


@click.command()
@click.argument("layer", metavar="LAYER")
@request_options(analysis=False)
@click.option("--sum", "sum_fields", multiple=True, metavar="FIELD",
              help="Also sum this numeric field per zone. Repeatable.")
@click.option("--split-area", is_flag=True,
              help="Polygons: give each polygon's geodesic area in each zone (instead of "
                   "counting by a representative point only).")
@click.option("--quiet", is_flag=True, help="No progress bars on stderr.")
@output_options(("table", "json", "csv", "markdown"), default="table",
                input_params=("layer",))
def count(layer: str, request: Request, sum_fields: tuple[str, ...], split_area: bool,
          quiet: bool, fmt: str, out: str | None) -> None:
    """Count the features of LAYER in each zone, per governorate, and outside.

    Points are counted where they stand; lines and polygons by a representative point
    (--split-area: polygons by area). Points within a line's ±u band give the interval
    (count_low, count_high). The JSON output is a stable contract (see README).
    """
    if quiet:
        progress.set_quiet(True)
    # the count reads the zones, lines and bands: the rest of the analysis is not needed
    analysis = analyse(replace(request, governorates=False, alternatives=False,
                               outlines=False, population=False))
    result = analysis.count(layer, sum_fields=sum_fields, split_area=split_area).to_dict()
    if fmt == "json":
        text = to_json(result)
    elif fmt == "csv":
        text = count_csv(result)
    else:
        text = count_text(result, fmt)
    emit(text, out, fmt=fmt, inputs=request.input_files([layer]))
