"""``gazamap export``: zones and layers with attributes and provenance, to a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from geo.defaults import CSV_GEOMETRY, EXPORT_FORMATS
from geo.write.outputs import STDOUT
from maps.cli._common import request_options
from maps.cli._output import echo, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request

__all__ = ["export"]


@click.command()
@request_options(analysis=False)
@output_options(EXPORT_FORMATS, default="geojson", required=True, input_params=("include",))
@click.option("--include", "include", multiple=True, metavar="ID|FILE",
              help="Also export this dataset (e.g. places, neighbourhoods, governorates, "
                   "crossings) or file. Repeatable.")
@click.option("--geometry", "csv_geometry", type=click.Choice(list(CSV_GEOMETRY)),
              default="sidecar", show_default=True,
              help="CSV only: the geometry in FILE.geometry.geojson beside the CSV "
                   "(sidecar), as WKT cells (wkt; refused above 32,767 characters, the "
                   "most a spreadsheet cell holds), or left out (none).")
def export(request: Request, fmt: str, out: str, include: tuple[str, ...],
           csv_geometry: str) -> None:
    """Export the zones (km², shares, datasets, method), the line(s) and chosen layers.

    Formats: GeoJSON (RFC 7946: lon/lat, counter-clockwise outer rings, no crs member),
    GeoPackage 1.2 (one table per layer, QGIS styles), KML (one folder per layer,
    typed), CSV (with .csvt and .prj; see --geometry), GeoParquet (.parquet) and
    FlatGeobuf (.fgb). Coordinates are rounded to 7 decimals (~1 cm) in the text
    formats. With --markers, the marker points are exported too.
    """
    from geo.analysis import analyse
    from geo.write.export import export_partition, markers_layer, sidecar_paths
    from layers.styles import export_styles

    analysis = analyse(request)
    extra = tuple(markers_layer(ln.source) for ln in analysis.lines
                  if ln.source.markers is not None)
    export_partition(out, analysis, fmt=fmt, include=include, extra_layers=extra,
                     inputs=request.input_files(), csv_geometry=csv_geometry,
                     styles=export_styles(len(analysis.lines)))
    if out != STDOUT:
        beside = ", ".join(p.name for p in sidecar_paths(out, fmt, csv_geometry))
        echo(f"wrote {out}" + (f" (and {beside} beside it)" if beside else ""), err=True)
