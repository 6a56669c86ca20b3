"""Options shared by several subcommands, documented in the same words everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from geo.outputs import write_atomic

__all__ = ["line_option", "boundary_option", "format_option", "out_option", "emit"]

F = TypeVar("F", bound=Callable[..., Any])


def line_option(default: str | None = "yellow-line@2025-10-19") -> Callable[[F], F]:
    """``--line FILE|ID``: the dividing line (or a zone polygon)."""
    return click.option(
        "--line", "line", default=default, show_default=True, metavar="FILE|ID",
        help="Dividing line: a packaged dataset id (id@version) or a GeoJSON file. "
             "A zone polygon is accepted too.",
    )


def boundary_option() -> Callable[[F], F]:
    """``--boundary FILE|ID``: the outline to partition."""
    return click.option(
        "--boundary", default="gaza-outline", show_default=True, metavar="FILE|ID",
        help="Outline to partition: a packaged dataset id or a GeoJSON polygon file.",
    )


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
