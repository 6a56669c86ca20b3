"""Options shared by several subcommands, documented in the same words everywhere.

Input options are packed into one :class:`Inputs` object passed as the ``inputs``
keyword, so that new input options (formats, CRS, markers) reach every command that
reads lines and boundaries without changing their signatures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from geo.outputs import write_atomic
from geo.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, looks_like_path, resolve

__all__ = ["Inputs", "input_options", "format_option", "out_option", "emit"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Inputs:
    """What the user named as inputs, resolved on demand into :class:`~geo.sources.Source`."""

    line: str | None = DEFAULT_LINE
    boundary: str = DEFAULT_BOUNDARY
    read_options: dict[str, Any] = field(default_factory=dict)

    def line_source(self, spec: str | None = None) -> Source:
        """The dividing line (or zone polygon) named by ``--line`` (or ``spec``)."""
        return resolve(spec or self.line or DEFAULT_LINE, "line", **self.read_options)

    def boundary_source(self) -> Source:
        """The outline named by ``--boundary``."""
        return resolve(self.boundary, "boundary", **self.read_options)

    def paths(self) -> tuple[str, ...]:
        """The input arguments that are files (an output must never overwrite them)."""
        return tuple(s for s in (self.line, self.boundary) if s and looks_like_path(s))


def input_options(line_default: str | None = DEFAULT_LINE) -> Callable[[F], F]:
    """Add ``--line`` and ``--boundary`` and pass them as ``inputs=Inputs(...)``."""

    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, line: str | None, boundary: str, **kw: Any) -> Any:
            return f(*args, inputs=Inputs(line=line, boundary=boundary), **kw)

        wrapper = click.option(
            "--boundary", default=DEFAULT_BOUNDARY, show_default=True, metavar="FILE|ID",
            help="Outline to partition: a packaged dataset id or a GeoJSON polygon file.",
        )(wrapper)
        wrapper = click.option(
            "--line", "line", default=line_default, show_default=True, metavar="FILE|ID",
            help="Dividing line: a packaged dataset id (id@version) or a GeoJSON file. "
                 "A zone polygon is accepted too.",
        )(wrapper)
        return wrapper  # type: ignore[return-value]

    return deco


def format_option(choices: tuple[str, ...], default: str = "table") -> Callable[[F], F]:
    """``--format``: how results are printed on stdout."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")


def out_option(required: bool = False) -> Callable[[F], F]:
    """``--out FILE``: write the result to a file (atomically) instead of stdout."""
    return click.option("--out", "out", type=click.Path(dir_okay=False), required=required,
                        default=None, help="Write to FILE (atomically) instead of stdout.")


def emit(text: str, out: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Print ``text`` on stdout, or write it atomically to ``out`` (never over an input)."""
    if out:
        write_atomic(out, text if text.endswith("\n") else text + "\n", inputs=inputs)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)
