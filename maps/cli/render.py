"""``gazamap render``: a layered map as one HTML file (page, fragment or iframe), PNG or SVG."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from geo.defaults import AGGREGATE_ABOVE, DEFAULT_LINE
from maps.cli._common import request_options
from maps.cli._output import emit, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request
    from maps.render import MapOptions

__all__ = ["render"]


@click.command()
@request_options(analysis=False)
@click.option("--compare", metavar="FILE|ID", default=None,
              help="A second line: both drawn, the area between them (km²) highlighted.")
@click.option("--timeline", "timeline_id", metavar="LINE_ID", default=None,
              help="Every version of a line id (e.g. yellow-line, with --data-dir): HTML with "
                   "a date slider; PNG/SVG with every version's line.")
@click.option("--layer", "user_layers", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False),
              help="Add a file (GeoJSON or any format --line reads) as a layer, its "
                   "properties in its tooltip. Repeatable.")
@click.option("--aggregate-above", type=click.IntRange(min=0), default=None, metavar="N",
              help="Draw a --layer of more than N points as hexagonal bins with counts "
                   f"(default {AGGREGATE_ABOVE:,}).")
@click.option("--layers", "layer_ids", default=None, metavar="IDS",
              help="Comma-separated layer ids or kinds to include (default: all), e.g. "
                   "outline,zones,line,governorates.")
@click.option("--offline", is_flag=True,
              help="No tiles: packaged land on a sea colour; the file makes no network request.")
@click.option("--tiles", default="OpenStreetMap.Mapnik", show_default=True, metavar="NAME",
              help="Base tiles when online (xyzservices name, e.g. Esri.WorldImagery).")
@click.option("--title", default=None, help="Page title and heading (default names the line).")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True,
              help="Language of the page; ar is right-to-left.")
@click.option("--fragment", is_flag=True, help="Write a <div> with scripts to paste into a page.")
@click.option("--iframe", is_flag=True, help="Write an <iframe srcdoc> snippet.")
@click.option("--map-id", default=None, metavar="ID",
              help="Prefix of element ids (default: a hash of the inputs).")
@click.option("--width-px", type=click.IntRange(200, 8000), default=1200, show_default=True,
              help="Image width for PNG/SVG.")
@click.option("--height-px", type=click.IntRange(200, 8000), default=1400, show_default=True,
              help="Image height for PNG/SVG.")
@output_options(("html", "png", "svg"), default="html", required=True,
                input_params=("compare", "user_layers"))
def render(request: Request, timeline_id: str | None, compare: str | None,
           user_layers: tuple[str, ...], aggregate_above: int | None,
           layer_ids: str | None, offline: bool, tiles: str, title: str | None, lang: str,
           fragment: bool, iframe: bool, map_id: str | None, width_px: int, height_px: int,
           fmt: str, out: str) -> None:
    """Render a layered map of the partition to one file (HTML by default).

    The HTML is one self-contained file: Leaflet inlined, the area table as a text
    alternative, byte-identical for the same inputs. --offline also drops the tiles.
    """
    if fragment and iframe:
        raise click.UsageError("give --fragment or --iframe, not both")
    if timeline_id is not None:
        _refuse_with_timeline(request, compare, user_layers, layer_ids, fragment or iframe,
                              map_id)
        _render_timeline(timeline_id, request, fmt, out, lang=lang, title=title,
                         width_px=width_px, height_px=height_px)
        return
    _write_map(_map_options(request, compare, user_layers, layer_ids, offline, tiles, title,
                            lang, fragment, iframe, map_id, aggregate_above),
               fmt, out, width_px=width_px, height_px=height_px)


def _write_map(options: MapOptions, fmt: str, out: str, *, width_px: int,
               height_px: int) -> None:
    """Render the map the options describe and write it to ``out``."""
    from maps.interactive import import_folium_lean
    from maps.render import input_paths, render_output

    if fmt == "html":
        import_folium_lean()  # a one-shot process: skip folium's optional pandas (~0.2 s)
    data = render_output(options, fmt,  # type: ignore[arg-type]
                         width_px=width_px, height_px=height_px)
    emit(data, out, fmt=fmt, inputs=input_paths(options))


def _refuse_with_timeline(request: Request, compare: str | None, user_layers: tuple[str, ...],
                          layer_ids: str | None, embed: bool, map_id: str | None) -> None:
    """Refuse the options a timeline page cannot honour, naming those given.

    ``embed`` is ``--fragment`` or ``--iframe``; a request with other lines than the
    default one counts as ``--line/--markers/--uncertainty``.
    """
    from geo.analysis.request import LineSpec
    from maps.timeline_page import TIMELINE_IGNORES

    given = [flag for flag, on in zip(TIMELINE_IGNORES, (
        compare, user_layers, layer_ids, embed, map_id,
        request.lines != (LineSpec(DEFAULT_LINE),)), strict=True) if on]
    if given:
        raise click.UsageError(f"--timeline draws every version of its line: drop "
                               f"{', '.join(given)}")


def _render_timeline(timeline_id: str, request: Request, fmt: str, out: str, *, lang: str,
                     title: str | None, width_px: int, height_px: int) -> None:
    """Write the timeline of ``timeline_id`` (a date slider in HTML; every version in an image)."""
    from maps.timeline_page import render_timeline_request

    emit(render_timeline_request(timeline_id, request, fmt, lang=lang, title=title,
                                 width_px=width_px, height_px=height_px),
         out, fmt=fmt, inputs=request.input_files())


def _map_options(request: Request, compare: str | None, user_layers: tuple[str, ...],
                 layer_ids: str | None, offline: bool, tiles: str, title: str | None,
                 lang: str, fragment: bool, iframe: bool, map_id: str | None,
                 aggregate_above: int | None) -> MapOptions:
    """The map the flags describe: ``--layers`` split at commas, the page mode."""
    from maps.render import MapOptions

    return MapOptions(
        request=request, compare=compare,
        user_layers=user_layers,
        layers=tuple(layer_ids.split(",")) if layer_ids is not None else None,
        offline=offline, tiles=tiles, title=title, lang=lang,  # type: ignore[arg-type]
        mode="fragment" if fragment else "iframe" if iframe else "page",
        map_id=map_id, aggregate_above=aggregate_above,
    )
