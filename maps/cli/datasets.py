"""``gazamap datasets``: the catalog with provenance, packaged and the user's own."""

from __future__ import annotations

import click

from maps.cli._common import DATA_DIR_OPTION, format_option
from maps.cli._output import echo

__all__ = ["datasets"]


@click.command()
@format_option(("table", "json"))
@DATA_DIR_OPTION
def datasets(fmt: str, data_dirs: tuple[str, ...]) -> None:
    """List the datasets with source, date, licence, attribution and method.

    The packaged datasets come first, then those of --data-dir and $GAZAMAP_DATA_DIR
    (``origin`` is ``user``); all are usable by id (id@version) wherever a line, boundary
    or layer is asked for.
    """
    # imported here: `gazamap datasets --help` imports no geometry library
    from geo.catalog import data_dirs_from_env, default_catalog
    from maps.tables import datasets_text, to_json

    catalog = list(default_catalog([*data_dirs_from_env(), *data_dirs]))
    if fmt == "json":
        echo(to_json([d.provenance() for d in catalog]))
        return
    packaged = [d for d in catalog if d.origin == "packaged"]
    user = [d for d in catalog if d.origin != "packaged"]
    text = datasets_text(packaged)
    if user:
        text += "\n\nYour datasets (--data-dir / $GAZAMAP_DATA_DIR):\n\n" + datasets_text(user)
    echo(text)
