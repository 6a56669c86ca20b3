"""The ``gazamap`` command line: one module per subcommand, loaded only when it runs."""

from __future__ import annotations

import importlib
import sys
import warnings
from typing import Any

import click

from geo.errors import GazamapError

__all__ = ["main", "COMMANDS"]

# name -> (module, attribute, one-line help shown by `gazamap --help` without importing)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "datasets": ("maps.cli.datasets", "datasets", "List the packaged datasets with provenance."),
    "areas": ("maps.cli.areas", "areas", "Areas and shares of the zones east and west of a line."),
    "render": ("maps.cli.render", "render", "Render a layered map (HTML; PNG or SVG)."),
    "compare": ("maps.cli.compare", "compare", "Compare two versions of a line."),
    "export": ("maps.cli.export", "export", "Export zones and layers (GeoJSON, GPKG, KML, CSV)."),
    "check": ("maps.cli.check", "check", "Check a ledger of published claims."),
    "count": ("maps.cli.count", "count", "Count a layer's features in each zone and outside."),
    "report": ("maps.cli.report", "report", "Write a self-contained report: map, areas, claims."),
}


def _show_warning(message: Any, category: Any, filename: str, lineno: int,
                  file: Any = None, line: Any = None) -> None:
    click.echo(f"warning: {message}", err=True)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on use.

    It turns user errors into one line on stderr and exit code 2 (never a traceback).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        warnings.showwarning = _show_warning
        try:
            return super().invoke(ctx)
        except GazamapError as exc:
            click.echo(f"gazamap: error: {exc.message}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("gazamap: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gazamap", prog_name="gazamap")
def main() -> None:
    """gazamap: map the partition of the Gaza Strip and check the numbers published about it.

    Every figure names its datasets (id@version) and its method. Exit codes: 0 ok,
    1 a check found inconsistent claims, 2 usage or input error.
    """


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
