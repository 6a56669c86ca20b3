"""What a report shows (:class:`ReportOptions`) and the request it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from geo.analysis.request import LineSpec, ReadOptions, Request
from geo.claims import Ledger
from geo.errors import InputError
from geo.read.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source

__all__ = ["ReportFormat", "ReportOptions", "check_options", "options_for_display"]

ReportFormat = Literal["html", "markdown"]


@dataclass(frozen=True)
class ReportOptions:
    """What a report shows. The same options (and input files) give the same bytes.

    Parameters
    ----------
    ledger : str, geo.claims.Ledger or None
        A ledger file, the name of a shipped ledger (``seed``, ``public``) or a ledger
        already loaded (e.g. with ``allow_paths``); ``None`` leaves the claims out.
    line, boundary : str or geo.read.sources.Source
        The line and outline of the map and the area table (and the default of claims
        that name none): dataset ids, files, or resolved sources (a line from markers).
    fmt : {"html", "markdown"}
    fragment : bool
        HTML only: a ``<div>`` (with its styles and scripts) to paste into a page,
        instead of a full document.
    title : str or None
        Heading; the default names the line.
    command : str or None
        The command that made the report, recorded in the methods note.
    timestamp : bool
        Add the time of generation (UTC); off by default so reports are reproducible.
    claim_review : bool
        Add schema.org ClaimReview JSON-LD for each checked claim (HTML only).
    read_options : dict
        Passed to :func:`geo.read.sources.resolve` for files.
    request : geo.analysis.request.Request, optional
        The whole request (lines, markers, data directories, tolerances, uncertainty);
        when given it replaces ``line``, ``boundary`` and ``read_options``. Datasets of
        your own come through its ``data_dirs`` (the catalog is the request's).
    judge_claims_against_line : bool
        Judge the published claims against the report's line even when it is not a
        packaged, dated line (a user's own line). Off: such a report shows its line's
        map and areas, and checks the claims against the lines they refer to. On: every
        explanation names the line and no ClaimReview is emitted.
    lang : {"en", "ar"}
        HTML only: the language of the page, its headings, headline, verdicts, chart and
        map (``ar``: right to left); the claims as quoted, their explanations, the
        methods and provenance stay English (marked ``lang="en"``).
    """

    ledger: str | Ledger | None = "seed"
    line: str | Source = DEFAULT_LINE
    boundary: str | Source = DEFAULT_BOUNDARY
    fmt: ReportFormat = "html"
    fragment: bool = False
    title: str | None = None
    command: str | None = None
    timestamp: bool = False
    claim_review: bool = True
    read_options: dict[str, Any] = field(default_factory=dict)
    request: Request | None = None
    judge_claims_against_line: bool = False
    lang: Literal["en", "ar"] = "en"

    def resolved_request(self) -> Request:
        """``request``, or one made of ``line``, ``boundary`` and ``read_options``."""
        if self.request is not None:
            return self.request

        def spec(x: str | Source, default: str) -> str:
            return (x.file or x.ref) if isinstance(x, Source) else (x or default)

        return Request(boundary=spec(self.boundary, DEFAULT_BOUNDARY),
                       lines=(LineSpec(spec(self.line, DEFAULT_LINE)),),
                       read=ReadOptions(**self.read_options))


def check_options(opts: ReportOptions) -> None:
    """Refuse a format, a language or a fragment the report cannot honour.

    Raises
    ------
    geo.errors.InputError
        Naming the option and a way to go on.
    """
    if opts.fmt not in ("html", "markdown"):
        raise InputError(f"report format {opts.fmt!r} is unknown", source="--format",
                         fix="use html or markdown")
    if opts.lang not in ("en", "ar"):
        raise InputError(f"language {opts.lang!r} is not supported", source="lang",
                         fix="use en or ar")
    if opts.lang != "en" and opts.fmt != "html":
        raise InputError("the Markdown report is English only", source="lang",
                         fix="drop lang or use the HTML format")
    if opts.fragment and opts.fmt != "html":
        raise InputError("--fragment applies to HTML only", source="--fragment",
                         fix="drop --fragment or use --format html")


def options_for_display(options: ReportOptions) -> dict[str, Any]:
    """The options as the methods note shows a Python call (files by name, no folders)."""
    def label(x: str | Source) -> str:
        return x.label if isinstance(x, Source) else x

    led = options.ledger
    return {"ledger": Path(led.path).name if isinstance(led, Ledger) else led,
            "line": label(options.line),
            "boundary": label(options.boundary), "fmt": options.fmt,
            "fragment": options.fragment}
