"""The error hierarchy: every user-facing failure names the input, the problem and the fix."""

from __future__ import annotations

__all__ = [
    "GazamapError",
    "InputError",
    "DatasetNotFoundError",
    "PartitionError",
    "ReadLimitError",
    "FieldError",
    "LedgerError",
    "OutputError",
    "GazamapNote",
    "GazamapWarning",
]


class GazamapError(Exception):
    """Base class of every error gazamap reports to a user.

    Parameters
    ----------
    problem : str
        What is wrong, with the measured or received value.
    source : str, optional
        The file, dataset id or option the problem is in.
    fix : str, optional
        What the user can do next.
    """

    def __init__(self, problem: str, *, source: str | None = None, fix: str | None = None):
        self.problem = problem
        self.source = source
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: ``source: problem. Fix: fix``."""
        text = f"{self.source}: {self.problem}" if self.source else self.problem
        if self.fix:
            text = f"{text.rstrip('.')}. Fix: {self.fix}"
        return text


class InputError(GazamapError, ValueError):
    """A user's file, option or dataset reference cannot be used as given."""


class ReadLimitError(InputError):
    """A user's file exceeds a bound of the readers (size, nesting, features, vertices, time).

    The message gives the measured value and the keyword parameter that raises the limit.
    """


class DatasetNotFoundError(InputError, KeyError):
    """A dataset reference (``id`` or ``id@version``) is not in any catalog."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class PartitionError(InputError):
    """A line or zone polygon does not divide the boundary into zones."""


class FieldError(InputError):
    """A field of a user's ledger or catalog file is wrong.

    The message names the file, the entry and the field as written in that file; the
    command line never translates such a field into one of its flags.
    """


class LedgerError(FieldError):
    """A claims ledger is malformed (names the claim id and the field)."""


class OutputError(GazamapError, OSError):
    """An output cannot be written where asked (e.g. it would overwrite an input)."""


class GazamapNote(UserWarning):
    """A repair or choice made while computing (a line end joined, an outlier left out).

    :func:`geo.analyse` records each in ``Analysis.notes`` and also issues it as a
    warning of this category, which the command line prints as ``note: ...``.
    """


class GazamapWarning(UserWarning):
    """A figure that is computable but doubtful (e.g. border lengths of a zone polygon)."""
