"""``gazamap report``: one self-contained page with the map, areas, claims and method."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from maps.cli._common import request_argv, request_options
from maps.cli._output import allow_path_option, emit, ledger_files, output_options

if TYPE_CHECKING:  # imported when the command runs: its --help imports no geometry library
    from geo.analysis.request import Request

__all__ = ["report"]


@click.command()
@request_options()
@click.option("--ledger", default="seed", show_default=True, metavar="FILE|NAME",
              help="Claims to check: a TOML ledger or a shipped one (seed, public).")
@allow_path_option
@click.option("--no-claims", is_flag=True, help="Leave the claims section out.")
@click.option("--title", default=None, help="Heading (default names the line).")
@click.option("--fragment", is_flag=True,
              help="Write a <div> (styles and scripts included) to paste into a page.")
@click.option("--timestamp", is_flag=True,
              help="Record the time of generation (off: the same inputs give the same bytes).")
@click.option("--no-claim-review", is_flag=True,
              help="Leave out the schema.org ClaimReview JSON-LD.")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True,
              help="Language of the HTML page, its headings, verdicts, chart and map (the "
                   "claims as quoted, explanations and methods stay English).")
@click.option("--judge-claims-against-line", "judge", is_flag=True,
              help="With your own --line: judge the published claims against it (off: they "
                   "are checked against the lines they refer to; no ClaimReview either way).")
@output_options(("html", "markdown"), default="html", required=True, input_params=("ledger",))
def report(request: Request, ledger: str, allow_path: tuple[str, ...], no_claims: bool,
           title: str | None, fragment: bool, timestamp: bool, no_claim_review: bool,
           lang: str, judge: bool, fmt: str, out: str) -> None:
    """Write a self-contained, offline report: map, area table, claims with verdicts, method.

    The HTML makes no network request (Leaflet inlined, packaged basemap) and is
    byte-identical for the same inputs unless --timestamp is given. The methods note
    records datasets with provenance, outline, denominators, projection, uncertainty,
    software versions and this command (files by name: no local path reaches the page).
    """
    from geo.claims import load_ledger
    from maps.interactive import import_folium_lean
    from maps.report import ReportOptions, build_report

    if fmt == "html":
        import_folium_lean()  # a one-shot process: skip folium's optional pandas (~0.2 s)
    argv = request_argv(request, "report")
    argv += ["--out", Path(out).name, "--format", fmt]
    argv += ["--no-claims"] if no_claims else ["--ledger", Path(ledger).name]
    argv += [flag for flag, on in (("--fragment", fragment), ("--timestamp", timestamp),
                                   ("--no-claim-review", no_claim_review),
                                   ("--judge-claims-against-line", judge)) if on]
    if title:
        argv += ["--title", title]
    if lang != "en":
        argv += ["--lang", lang]
    led = None if no_claims else load_ledger(ledger, allow_paths=allow_path)
    text = build_report(ReportOptions(
        ledger=led, request=request,
        fmt=fmt, fragment=fragment,  # type: ignore[arg-type]
        title=title, command=shlex.join(argv), timestamp=timestamp,
        claim_review=not no_claim_review, judge_claims_against_line=judge,
        lang=lang))  # type: ignore[arg-type]
    emit(text, out, fmt=fmt,
         inputs=request.input_files([] if led is None else ledger_files(led)))
