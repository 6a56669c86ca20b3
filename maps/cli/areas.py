"""``gazamap areas``: areas and shares of the zones on each side of a line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from maps.cli._common import request_options
from maps.cli._output import emit, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request

__all__ = ["areas"]


@click.command()
@request_options()
@output_options(("table", "json", "csv", "markdown"), default="table")
def areas(request: Request, fmt: str, out: str | None) -> None:
    """Areas (geodesic, km²) and shares of the zones on each side of the line(s).

    Defaults: the packaged Gaza outline and the yellow line of the IDF map of
    19 Oct 2025. Several --line options give zones east, between-1, ..., west. The JSON
    output is a stable contract (see README).
    """
    from geo.analysis import analyse
    from maps.tables import areas_csv, areas_text, to_json

    # JSON and the tables show every part; the CSV only the zones and governorates
    analysis = analyse(request, parts="lazy" if fmt == "csv" else "all")
    if fmt == "json":
        text = to_json(analysis.to_dict())
    elif fmt == "csv":
        text = areas_csv(analysis)
    else:
        text = areas_text(analysis, fmt)
    emit(text, out, fmt=fmt, inputs=request.input_files())
