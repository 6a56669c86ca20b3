"""``gazamap check``: evaluate a ledger of published claims against the datasets."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import click

from geo.analysis.uncertainty import LineUncertainty
from maps.cli._common import request_options
from maps.cli._output import allow_path_option, echo, emit, ledger_files, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request

__all__ = ["check"]


def _is_packaged_line(ref: str, request: Request) -> bool:
    """Whether ``ref`` names a packaged, dated line (an id, never a file)."""
    from geo.errors import GazamapError
    from geo.read.sources import looks_like_path

    if looks_like_path(ref):
        return False
    try:
        ds = request.catalog.get(ref)
    except (GazamapError, KeyError, ValueError):
        return False
    return ds.origin == "packaged" and bool(ds.date)


@click.command()
@click.argument("ledger", metavar="LEDGER")
@request_options(default_line=None, analysis=False)
@click.option("--judge-claims-against-line", "judge", is_flag=True,
              help="Judge the published claims against a --line that is not a packaged, "
                   "dated line (your own line): needed to give such a --line.")
@allow_path_option
@output_options(("table", "json", "markdown", "html", "png", "svg"), default="table",
                input_params=("ledger",))
@click.pass_context
def check(ctx: click.Context, ledger: str, request: Request,
          uncertainty_all: float | LineUncertainty | None, judge: bool,
          allow_path: tuple[str, ...], fmt: str, out: str | None) -> None:
    """Check the claims of LEDGER (a TOML file, or a shipped ledger: seed, public).

    Each claim gets a verdict: consistent, inconsistent or not-checkable (with the
    reason), the computed value and interval, the difference and the method. --line and
    --boundary apply to claims (and ledgers) that name none. Exit codes: 0 no claim is
    inconsistent, 1 some claim is inconsistent, 2 malformed ledger or input error.

    Shipped ledgers: seed (the seed text's claims), public (published claims).
    --out claims.png or claims.svg draws the claims chart (stated ranges beside the
    computed intervals, by verdict).
    """
    # published claims are about the lines their outlets wrote about: a line of your own
    # judges them only when asked, and every explanation then names it
    for spec in request.lines:
        if not judge and not _is_packaged_line(spec.ref, request):
            raise click.UsageError(
                f"--{'markers' if spec.from_markers else 'line'} {spec.ref}: published claims "
                "are about the lines their outlets wrote about, not your own line; give "
                "--judge-claims-against-line to judge them against it anyway")
    line = request.lines[0].ref if request.lines else None
    # one request: its lines (several, or markers), boundary, tolerances, controlled point,
    # data directories and read options are what every claim that names none is checked on
    from geo.claims import check_ledger, load_ledger
    from maps.report import format_verdicts, line_words_of

    base = request if request.lines else replace(request, lines=())
    result = check_ledger(load_ledger(ledger, allow_paths=allow_path), request=base,
                          uncertainty_m=uncertainty_all)
    for w in result.warnings:  # ledger lint: explicit fields that contradict the text
        echo(f"warning: {w}", err=True)
    if fmt in ("png", "svg"):
        from maps.claims_chart import chart_png, chart_svg

        title = result.ledger.title or "Claims checked by gazamap"
        data: str | bytes = (chart_png(result, title=title) if fmt == "png"
                             else chart_svg(result, standalone=True, title=title))
    else:
        data = format_verdicts(result, fmt,  # type: ignore[arg-type]
                               against=line_words_of(line) if judge else "")
    emit(data, out, fmt=fmt, inputs=request.input_files(ledger_files(result.ledger)))
    if result.any_inconsistent:
        ctx.exit(1)
