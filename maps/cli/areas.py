"""``gazamap areas``: areas and shares of the zones on each side of the line(s)."""

from __future__ import annotations

import click

from geo.analysis import analyse
from geo.request import Request
from maps.cli._common import emit, format_option, out_option, request_options
from maps.tables import areas_csv, areas_text, to_json

__all__ = ["areas"]


@click.command()
@request_options()
@format_option(("table", "json", "csv", "markdown"))
@out_option()
def areas(request: Request, fmt: str, out: str | None) -> None:
    """Areas (geodesic, km²) and shares of the zones on each side of the line(s).

    Defaults: the packaged Gaza outline and the yellow line of the IDF map of
    19 Oct 2025. Several --line options give zones east, between-1, ..., west. The JSON
    output is a stable contract (see README).
    """
    analysis = analyse(request)
    if fmt == "json":
        text = to_json(analysis.to_dict())
    elif fmt == "csv":
        text = areas_csv(analysis)
    else:
        text = areas_text(analysis, fmt)
    emit(text, out, inputs=request.input_files())
