"""``gazamap report``: one self-contained page with the map, areas, claims and method."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from geo.outputs import write_atomic
from geo.request import Request
from geo.sources import looks_like_path
from maps.cli._common import format_option, out_option, request_argv, request_options
from maps.report import ReportOptions, build_report

__all__ = ["report", "ledger_files"]


def ledger_files(ledger: str, no_claims: bool = False) -> tuple[str, ...]:
    """The ledger file and the files its claims name (inputs an output must not replace)."""
    if no_claims:
        return ()
    from geo.claims import load_ledger

    led = load_ledger(ledger)
    out = [str(led.path)] if led.path else []
    for spec in (led.line, led.boundary, *(c.fields.get(k) for c in led
                                           for k in ("line", "boundary", "markers",
                                                     "population"))):
        if spec and looks_like_path(str(spec)):
            out.append(str(spec))
    return tuple(out)


@click.command()
@request_options()
@click.option("--ledger", default="seed", show_default=True, metavar="FILE|NAME",
              help="Claims to check: a TOML ledger or a shipped one (seed, public).")
@click.option("--no-claims", is_flag=True, help="Leave the claims section out.")
@click.option("--title", default=None, help="Heading (default names the line).")
@click.option("--fragment", is_flag=True,
              help="Write a <div> (styles and scripts included) to paste into a page.")
@click.option("--timestamp", is_flag=True,
              help="Record the time of generation (off: the same inputs give the same bytes).")
@click.option("--no-claim-review", is_flag=True,
              help="Leave out the schema.org ClaimReview JSON-LD.")
@format_option(("html", "markdown"), default="html")
@out_option(required=True)
def report(request: Request, ledger: str, no_claims: bool, title: str | None, fragment: bool,
           timestamp: bool, no_claim_review: bool, fmt: str, out: str) -> None:
    """Write a self-contained, offline report: map, area table, claims with verdicts, method.

    The HTML makes no network request (Leaflet inlined, packaged basemap) and is
    byte-identical for the same inputs unless --timestamp is given. The methods note
    records datasets with provenance, outline, denominators, projection, uncertainty,
    software versions and this command.
    """
    argv = request_argv(request, "report")
    argv += ["--out", Path(out).name, "--format", fmt]
    argv += ["--no-claims"] if no_claims else ["--ledger", Path(ledger).name]
    argv += [flag for flag, on in (("--fragment", fragment), ("--timestamp", timestamp),
                                   ("--no-claim-review", no_claim_review)) if on]
    if title:
        argv += ["--title", title]
    text = build_report(ReportOptions(
        ledger=None if no_claims else ledger, request=request,
        fmt=fmt, fragment=fragment,  # type: ignore[arg-type]
        title=title, command=shlex.join(argv), timestamp=timestamp,
        claim_review=not no_claim_review))
    write_atomic(out, text, inputs=request.input_files(ledger_files(ledger, no_claims)))
    click.echo(f"wrote {out}", err=True)
