"""``gazamap export``: zones and layers with attributes and provenance, to a file."""

from __future__ import annotations

import click

from geo.analysis import analyse
from geo.export import EXPORT_FORMATS, export_partition, markers_layer
from geo.request import Request
from maps.cli._common import request_options

__all__ = ["export"]


@click.command()
@request_options(analysis=False)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format (default: from the --out extension).")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True,
              help="Write to FILE (atomically; never over an input).")
@click.option("--include", "include", multiple=True, metavar="ID|FILE",
              help="Also export this dataset (e.g. places, neighbourhoods, governorates, "
                   "crossings) or file. Repeatable.")
def export(request: Request, fmt: str | None, out: str, include: tuple[str, ...]) -> None:
    """Export the zones (km², shares, datasets, method), the line(s) and chosen layers.

    Formats: GeoJSON (RFC 7946: lon/lat, counter-clockwise outer rings, no crs member),
    GeoPackage (one table per layer), KML (one folder per layer), CSV (WKT geometry).
    With --markers, the marker points are exported too.
    """
    analysis = analyse(request)
    extra = tuple(markers_layer(ln.source) for ln in analysis.lines
                  if ln.source.markers is not None)
    path = export_partition(out, analysis, fmt=fmt, include=include, extra_layers=extra,
                            inputs=request.input_files())
    click.echo(f"wrote {path}", err=True)
