"""``gazamap areas``: areas and shares of the zones on each side of a line."""

from __future__ import annotations

import click

from geo.areas import compute_areas
from geo.partition import DEFAULT_SNAP_TOLERANCE_M
from maps.cli._common import Inputs, input_options
from maps.cli._output import emit, output_options
from maps.tables import areas_csv, areas_text, to_json

__all__ = ["areas"]


@click.command()
@input_options()
@click.option("--uncertainty", type=float, default=None, metavar="M",
              help="Positional uncertainty of the line in metres (default: the catalog's).")
@click.option("--denominator", "denominators", type=float, multiple=True, metavar="KM2",
              help="Also give shares of this area in km² (365 and 360 always). Repeatable.")
@click.option("--snap-tolerance", type=float, default=DEFAULT_SNAP_TOLERANCE_M,
              show_default=True, metavar="M",
              help="Extend line ends that stop at most this many metres short of the outline.")
@output_options(("table", "json", "csv", "markdown"), default="table")
def areas(inputs: Inputs, uncertainty: float | None, denominators: tuple[float, ...],
          snap_tolerance: float, fmt: str, out: str | None) -> None:
    """Areas (geodesic, km²) and shares of the zones east and west of a line.

    Defaults: the packaged Gaza outline and the yellow line of the IDF map of
    19 Oct 2025. The JSON output is a stable contract (see README).
    """
    report = compute_areas(inputs.boundary_source(), inputs.line_source(),
                           uncertainty_m=uncertainty, denominators_km2=denominators,
                           snap_tolerance_m=snap_tolerance).to_dict()
    if fmt == "json":
        text = to_json(report)
    elif fmt == "csv":
        text = areas_csv(report)
    else:
        text = areas_text(report, fmt)
    emit(text, out, fmt=fmt, inputs=inputs.paths())
