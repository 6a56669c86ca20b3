"""``gazamap check``: evaluate a ledger of published claims against the datasets."""

from __future__ import annotations

from dataclasses import replace

import click

from geo.claims import check_ledger, load_ledger
from geo.request import Request
from geo.uncertainty import LineUncertainty
from maps.cli._common import request_options
from maps.cli._output import allow_path_option, echo, emit, ledger_files, output_options
from maps.report import format_verdicts

__all__ = ["check"]


@click.command()
@click.argument("ledger", metavar="LEDGER")
@request_options(default_line=None, analysis=False)
@allow_path_option
@output_options(("table", "json", "markdown", "html"), default="table", input_params=("ledger",))
@click.pass_context
def check(ctx: click.Context, ledger: str, request: Request,
          uncertainty_all: float | LineUncertainty | None, allow_path: tuple[str, ...],
          fmt: str, out: str | None) -> None:
    """Check the claims of LEDGER (a TOML file, or a shipped ledger: seed, public).

    Each claim gets a verdict: consistent, inconsistent or not-checkable (with the
    reason), the computed value and interval, the difference and the method. --line and
    --boundary apply to claims (and ledgers) that name none. Exit codes: 0 no claim is
    inconsistent, 1 some claim is inconsistent, 2 malformed ledger or input error.

    Shipped ledgers: seed (the seed text's claims), public (published claims).
    """
    # one request: its lines (several, or markers), boundary, tolerances, controlled point,
    # data directories and read options are what every claim that names none is checked on
    base = request if request.lines else replace(request, lines=())
    result = check_ledger(load_ledger(ledger, allow_paths=allow_path), request=base,
                          uncertainty_m=uncertainty_all)
    for w in result.warnings:  # ledger lint: explicit fields that contradict the text
        echo(f"warning: {w}", err=True)
    emit(format_verdicts(result, fmt), out, fmt=fmt,  # type: ignore[arg-type]
         inputs=request.input_files(ledger_files(result.ledger)))
    if result.any_inconsistent:
        ctx.exit(1)
