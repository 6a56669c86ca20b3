"""``python -m maps.cli``: the same as the ``gazamap`` command."""

from maps.cli import main

main()
