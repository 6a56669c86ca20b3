"""``python -m maps.cli``: the same as the ``gazamap`` command."""

from maps.cli import run

run()
