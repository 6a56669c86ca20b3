"""``gazamap compare``: land that changes zone between two versions of a line."""

from __future__ import annotations

from typing import Any

import click

from geo.compare import DEFAULT_SAMPLE_M, compare_lines
from geo.partition import DEFAULT_SNAP_TOLERANCE_M
from maps.cli._common import Inputs, emit, format_option, input_options, out_option
from maps.tables import grid, markdown_table, to_json

__all__ = ["compare"]


@click.command()
@click.argument("line_a", metavar="A")
@click.argument("line_b", metavar="[B]", required=False)
@input_options(with_line=False)
@click.option("--snap-tolerance", type=float, default=DEFAULT_SNAP_TOLERANCE_M,
              show_default=True, metavar="M",
              help="Extend line ends that stop at most this many metres short of the outline.")
@click.option("--sample", "sample_m", type=float, default=DEFAULT_SAMPLE_M, show_default=True,
              metavar="M", help="Spacing of the points along the lines for the displacement.")
@format_option(("table", "json", "markdown"))
@out_option()
def compare(line_a: str, line_b: str | None, inputs: Inputs, snap_tolerance: float,
            sample_m: float, fmt: str, out: str | None) -> None:
    """Compare line A with line B: area that changes zone, displacement, places.

    A and B are dataset ids (id@version, also from --data-dir) or files. Without B, the
    line built from --markers is B (e.g. `gazamap compare yellow-line --markers
    blocks.csv`). moved_km2 is positive when the east zone grows from A to B. The JSON
    output is a stable contract (see README).
    """
    if line_b is None and not inputs.markers:
        raise click.UsageError("give two lines A B, or one line A and --markers FILE")
    if line_b is not None and inputs.markers:
        raise click.UsageError("give two lines A B, or A and --markers, not both")
    b = inputs.line_source(line_b) if line_b is not None else inputs.markers_source()
    result = compare_lines(inputs.line_source(line_a), b, boundary=inputs.boundary_source(),
                           snap_tolerance_m=snap_tolerance, sample_m=sample_m,
                           catalog=inputs.catalog()).to_dict()
    emit(to_json(result) if fmt == "json" else _text(result, fmt), out, inputs=inputs.paths())


def _src(d: dict[str, Any]) -> str:
    return str(d.get("dataset") or d.get("file"))


def _text(r: dict[str, Any], fmt: str) -> str:
    table = markdown_table if fmt == "markdown" else grid
    d = r["displacement_m"]
    summary = [
        ["east zone, A", f"{r['east_km2_a']:.2f} km²", f"{r['share_pct_a']:.2f} %"],
        ["east zone, B", f"{r['east_km2_b']:.2f} km²", f"{r['share_pct_b']:.2f} %"],
        ["moved (B - A)", f"{r['moved_km2']:+.2f} km²", f"{r['moved_pct']:+.2f} %"],
        ["west -> east", f"{r['to_east_km2']:.2f} km²", ""],
        ["east -> west", f"{r['to_west_km2']:.2f} km²", ""],
    ]
    disp = [["mean", f"{d['mean']:.0f} m"], ["median", f"{d['median']:.0f} m"],
            ["max", f"{d['max']:.0f} m"], ["Hausdorff", f"{d['hausdorff']:.0f} m"],
            ["signed mean (+ west)", f"{d['signed_mean']:+.0f} m"]]
    gov = [[g["name"], g["name_ar"] or "", f"{g['to_east_km2']:.2f}", f"{g['to_west_km2']:.2f}",
            f"{g['moved_km2']:+.2f}"] for g in r["governorates"]]
    parts = [
        f"A: {_src(r['a'])}   B: {_src(r['b'])}   outline: {_src(r['boundary'])} "
        f"({r['boundary']['area_km2']:.2f} km²)",
        table(["", "area", "% of outline"], summary),
        table(["displacement of B from A", ""], disp),
        table(["governorate", "name (ar)", "west->east km²", "east->west km²", "net km²"], gov),
    ]
    places = [[p["name"], p["name_ar"] or "", p["dataset"], f"{p['from']} -> {p['to']}"]
              for p in r["places_changed"]]
    checked = ", ".join(f"{n} {k}" for k, n in r["places_checked"].items())
    if places:
        parts.append(table(["place", "name (ar)", "dataset", "change"], places))
    parts.append(f"{len(places)} place(s) change side (checked: {checked}).")
    notes = [f"Method: {r['method']['area']}; {r['method']['displacement']}."]
    notes += [f"Note: {w}" for w in r["warnings"]]
    parts.append("\n".join(f"- {n}" for n in notes) if fmt == "markdown" else "\n".join(notes))
    return "\n\n".join(parts)
