"""``gazamap export``: zones and layers with attributes and provenance, to a file."""

from __future__ import annotations

import click

from geo.export import EXPORT_FORMATS, export_partition, markers_layer
from geo.outputs import STDOUT
from geo.partition import DEFAULT_SNAP_TOLERANCE_M
from maps.cli._common import Inputs, input_options
from maps.cli._output import echo, output_options

__all__ = ["export"]


@click.command()
@input_options()
@output_options(EXPORT_FORMATS, default="geojson", required=True, input_params=("include",))
@click.option("--include", "include", multiple=True, metavar="ID|FILE",
              help="Also export this dataset (e.g. places, neighbourhoods, governorates, "
                   "crossings) or file. Repeatable.")
@click.option("--uncertainty", type=float, default=None, metavar="M",
              help="Positional uncertainty of the line in metres (default: the catalog's).")
@click.option("--snap-tolerance", type=float, default=DEFAULT_SNAP_TOLERANCE_M,
              show_default=True, metavar="M",
              help="Extend line ends that stop at most this many metres short of the outline.")
def export(inputs: Inputs, fmt: str, out: str, include: tuple[str, ...],
           uncertainty: float | None, snap_tolerance: float) -> None:
    """Export the zones (km², shares, datasets, method), the line and chosen layers.

    Formats: GeoJSON (RFC 7946: lon/lat, counter-clockwise outer rings, no crs member),
    GeoPackage (one table per layer), KML (one folder per layer), CSV (WKT geometry).
    With --markers, the marker points are exported too.
    """
    line = inputs.line_source()
    extra = (markers_layer(line),) if line.markers is not None else ()
    export_partition(out, inputs.boundary_source(), line, fmt=fmt, include=include,
                     extra_layers=extra, catalog=inputs.catalog(),
                     inputs=inputs.paths(), uncertainty_m=uncertainty,
                     snap_tolerance_m=snap_tolerance, read_kw=inputs.read_options)
    if out != STDOUT:
        echo(f"wrote {out}", err=True)
