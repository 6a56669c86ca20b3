"""``gazamap datasets``: the catalog with provenance."""

from __future__ import annotations

import click

from geo.catalog import default_catalog
from maps.cli._common import format_option
from maps.tables import datasets_text, to_json

__all__ = ["datasets"]


@click.command()
@format_option(("table", "json"))
def datasets(fmt: str) -> None:
    """List the packaged datasets with source, date, licence, attribution and method."""
    rows = [d.provenance() for d in default_catalog()]
    click.echo(to_json(rows) if fmt == "json" else datasets_text(rows))
