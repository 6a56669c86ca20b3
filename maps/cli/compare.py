"""``gazamap compare``: land that changes zone between two versions of a line."""

from __future__ import annotations

import click

from geo.compare import DEFAULT_SAMPLE_M, compare_lines
from geo.partition import DEFAULT_SNAP_TOLERANCE_M
from maps.cli._common import Inputs, input_options
from maps.cli._output import emit, output_options
from maps.tables import compare_text, to_json

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
@output_options(("table", "json", "markdown"), default="table",
                input_params=("line_a", "line_b"))
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
    text = to_json(result) if fmt == "json" else compare_text(result, fmt)
    emit(text, out, fmt=fmt, inputs=(*inputs.paths(), line_a, line_b))

