"""The exception of a reader of stdout that went away, light enough for ``--help``."""

from __future__ import annotations

__all__ = ["StdoutBroken"]


class StdoutBroken(Exception):
    """The reader of stdout went away (a broken pipe: ``gazamap areas | head -1``)."""
