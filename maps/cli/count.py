"""``gazamap count LAYER``: how many features of a layer lie in each zone, and outside."""

from __future__ import annotations

from dataclasses import replace

import click

import geo.progress as progress
from geo.analysis import analyse
from geo.request import Request
from maps.cli._common import request_options
from maps.cli._output import emit, output_options
from maps.tables import count_csv, count_text, to_json

__all__ = ["count"]


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
