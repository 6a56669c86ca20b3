"""``gazamap compare``: land that changes zone between two versions of a line."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import click

from geo.defaults import DEFAULT_SAMPLE_M
from maps.cli._common import request_options
from maps.cli._output import emit, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request

__all__ = ["compare"]


@click.command()
@click.argument("line_a", metavar="A")
@click.argument("line_b", metavar="[B]", required=False)
@request_options(with_line=False, analysis=False)
@click.option("--sample", "sample_m", type=float, default=DEFAULT_SAMPLE_M, show_default=True,
              metavar="M", help="Spacing of the points along the lines for the displacement "
                                "(at least 1 m; widened to at most 100,000 samples).")
@output_options(("table", "json", "markdown"), default="table",
                input_params=("line_a", "line_b"))
def compare(line_a: str, line_b: str | None, request: Request, uncertainty_all: float | None,
            sample_m: float, fmt: str, out: str | None) -> None:
    """Compare line A with line B: area that changes zone, displacement, places.

    A and B are dataset ids (id@version, also from --data-dir) or files. Without B, the
    line built from --markers is B (e.g. `gazamap compare yellow-line --markers
    blocks.csv`). moved_km2 is positive when the east zone grows from A to B. The JSON
    output is a stable contract (see README).
    """
    from geo.analysis.request import LineSpec
    from geo.compare import compare_lines
    from maps.tables import compare_text, to_json

    markers = [s for s in request.lines if s.from_markers]
    if line_b is None and not markers:
        raise click.UsageError("give two lines A B, or one line A and --markers FILE")
    if line_b is not None and markers:
        raise click.UsageError("give two lines A B, or A and --markers, not both")
    a = LineSpec(line_a, uncertainty_m=uncertainty_all)
    b = (LineSpec(line_b, uncertainty_m=uncertainty_all) if line_b is not None
         else replace(markers[0], uncertainty_m=uncertainty_all))
    result = compare_lines(a, b, request=request, sample_m=sample_m)
    text = to_json(result.to_dict()) if fmt == "json" else compare_text(result, fmt)
    emit(text, out, fmt=fmt,
         inputs=request.input_files([s for s in (line_a, line_b) if s]))
