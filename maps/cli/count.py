"""``gazamap count LAYER``: how many features of a layer lie in each zone, and outside."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

import geo.progress as progress
from geo.write.outputs import check_output
from maps.cli._common import request_options
from maps.cli._output import emit, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request
    from geo.count import LayerCount

__all__ = ["count"]


@click.command()
@click.argument("layer", metavar="LAYER")
@request_options(analysis=False)
@click.option("--sum", "sum_fields", multiple=True, metavar="FIELD",
              help="Also sum this numeric field per zone. Repeatable.")
@click.option("--split-area", is_flag=True,
              help="Polygons: give each polygon's geodesic area in each zone (instead of "
                   "counting by a representative point only).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where to count: this process, or a dask cluster (pip install "
                   "'gazamap[dask]'); the counts are the same to the unit.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="--engine dask: worker processes of the local cluster (default 2).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="--engine dask: join an existing dask scheduler (tcp://host:8786).")
@click.option("--out-features", "out_features", default=None, metavar="FILE",
              help="Also write the layer with zone, governorate and in_band columns "
                   "(.parquet, .gpkg, .fgb, .csv, .geojson).")
@click.option("--quiet", is_flag=True, help="No progress bars on stderr.")
@output_options(("table", "json", "csv", "markdown"), default="table",
                input_params=("layer",))
def count(layer: str, request: Request, sum_fields: tuple[str, ...], split_area: bool,
          engine: str, workers: int | None, scheduler: str | None, out_features: str | None,
          quiet: bool, fmt: str, out: str | None) -> None:
    """Count the features of LAYER in each zone, per governorate, and outside.

    Points are counted where they stand; lines and polygons by a representative point
    (--split-area: polygons by area). Points within a line's ±u band give the interval
    (count_low, count_high). The JSON output is a stable contract (see README).
    """
    if quiet:
        progress.set_quiet(True)
    _check_engine(engine, workers, scheduler)
    inputs = request.input_files([layer])
    if out_features is not None:
        if out is not None and Path(out_features) == Path(out):
            raise click.UsageError("--out and --out-features name the same file")
        check_output(out_features, inputs)  # refused before the count
    from geo.analysis import analyse
    from geo.count import zone_set_from_analysis
    from geo.count.tag import write_tagged
    from geo.count.zones import count_in_zones

    # the count reads the zones, lines and bands: the rest of the analysis is not needed
    analysis = analyse(replace(request, governorates=False, alternatives=False,
                               outlines=False, population=False))
    counted = count_in_zones(analysis, layer, sum_fields=sum_fields, split_area=split_area,
                             engine=engine, workers=workers, scheduler=scheduler,
                             labels=out_features is not None)
    if out_features is not None:
        write_tagged(layer, out_features, zone_set_from_analysis(analysis),
                     labels=counted.labels, read_options=request.read.kwargs(),
                     inputs=inputs)
    emit(_count_output(counted, fmt), out, fmt=fmt, inputs=inputs)


def _check_engine(engine: str, workers: int | None, scheduler: str | None) -> None:
    """Refuse dask options without ``--engine dask``, and a dask that is not installed.

    Checked before any work: a refusal exits 2 at once (with the install command).
    """
    if engine == "local" and (workers is not None or scheduler is not None):
        raise click.UsageError("--workers and --scheduler need --engine dask")
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a local cluster) or --scheduler (an "
                               "existing one), not both")
    if engine == "dask":
        from geo.count.engines import require_dask

        require_dask()


def _count_output(result: LayerCount, fmt: str) -> str:
    """The count in the output format: JSON, CSV, or a table (text or Markdown)."""
    from maps.tables import count_csv, count_text, to_json

    if fmt == "json":
        return to_json(result.to_dict())
    if fmt == "csv":
        return count_csv(result)
    return count_text(result, fmt)
