"""``gazamap check``: evaluate a ledger of published claims against the datasets."""

from __future__ import annotations

import click

from geo.claims import check_ledger
from maps.cli._common import Inputs, emit, format_option, input_options, out_option
from maps.report import format_verdicts

__all__ = ["check"]


@click.command()
@click.argument("ledger", metavar="LEDGER")
@input_options(line_default=None)
@format_option(("table", "json", "markdown", "html"))
@out_option()
@click.pass_context
def check(ctx: click.Context, ledger: str, inputs: Inputs, fmt: str, out: str | None) -> None:
    """Check the claims of LEDGER (a TOML file, or a shipped ledger: seed, public).

    Each claim gets a verdict: consistent, inconsistent or not-checkable (with the
    reason), the computed value and interval, the difference and the method. --line and
    --boundary apply to claims (and ledgers) that name none. Exit codes: 0 no claim is
    inconsistent, 1 some claim is inconsistent, 2 malformed ledger or input error.

    Shipped ledgers: seed (the seed text's claims), public (published claims).
    """
    given = inputs.line is not None or inputs.markers is not None
    result = check_ledger(ledger, line=inputs.line_source() if given else None,
                          boundary=inputs.boundary_source(), catalog=inputs.catalog(),
                          read_options=inputs.read_options)
    for w in result.warnings:  # ledger lint: explicit fields that contradict the text
        click.echo(f"warning: {w}", err=True)
    emit(format_verdicts(result, fmt), out,  # type: ignore[arg-type]
         inputs=(*inputs.paths(), str(result.ledger.path)))
    if result.any_inconsistent:
        ctx.exit(1)
