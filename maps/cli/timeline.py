"""``gazamap timeline``: every version of a line, what changed between them, stated figures."""

from __future__ import annotations

import click

from geo.defaults import DEFAULT_BOUNDARY
from maps.cli._common import DATA_DIR_OPTION
from maps.cli._output import emit, output_options

__all__ = ["timeline"]


@click.command()
@click.argument("line_id", metavar="LINE_ID")
@click.option("--boundary", default=DEFAULT_BOUNDARY, show_default=True, metavar="FILE|ID",
              help="Outline to partition: a dataset id or a polygon file.")
@DATA_DIR_OPTION
@click.option("--ledger", "ledgers", multiple=True, default=("public",), show_default=True,
              metavar="FILE|NAME",
              help="Ledger whose dated figures of the east zone are stated points "
                   "(repeatable).")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True,
              help="Language of the chart and the page (png, svg, html).")
@output_options(("table", "json", "csv", "markdown", "png", "svg", "html"), default="table",
                input_params=("boundary", "data_dirs", "ledgers"))
def timeline(line_id: str, boundary: str, data_dirs: tuple[str, ...],
             ledgers: tuple[str, ...], lang: str, fmt: str, out: str | None) -> None:
    """Every version of LINE_ID (e.g. yellow-line) in date order, and what changed.

    Versions are the packaged ones and the entries of --data-dir catalogs with the same
    id (kind line, zone or markers). Each is measured as `gazamap areas`; consecutive
    versions are compared as `gazamap compare`. --out chart.png|svg writes the share chart;
    --out page.html the page with the date slider. The JSON is a stable contract (README).
    """
    # imported here: `gazamap timeline --help` imports no geometry library
    from geo.analysis.request import Request
    from geo.timeline import timeline as build_timeline
    from maps.tables import to_json

    request = Request(boundary=boundary, data_dirs=data_dirs)
    tl = build_timeline(line_id, request=request, ledgers=ledgers)
    data: str | bytes
    if fmt == "json":
        data = to_json(tl.to_dict())
    elif fmt == "csv":
        from maps.timeline_tables import timeline_csv

        data = timeline_csv(tl)
    elif fmt in ("png", "svg"):
        from maps.timeline_chart import render_chart

        data = render_chart(tl, fmt, lang=lang)
    elif fmt == "html":
        from maps.timeline_page import timeline_page

        data = timeline_page(tl, lang=lang)
    else:
        from maps.timeline_tables import timeline_text

        data = timeline_text(tl, fmt)
    emit(data, out, fmt=fmt, inputs=request.input_files())
