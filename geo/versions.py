"""Which version of a line is in force on a date: the versions of a line id, by date.

Kept apart from :mod:`geo.timeline` (which measures and compares the versions) so that a
claim naming a date finds its version without loading the comparisons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from geo.catalog import Catalog, Dataset, parse_ref
from geo.errors import DatasetNotFoundError, InputError
from geo.read.sources import looks_like_path

__all__ = ["LINE_KINDS", "date_span", "has_versions", "line_versions_of", "version_in_force"]

# The kinds of catalog entry that are a version of a dividing line.
LINE_KINDS = ("line", "zone", "markers")
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")


def date_span(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date text can mean, or None when it names no month.

    ``2026-01-16`` is one day; ``2025-11`` (or ``2025-10 (late)``) is a month. A year alone,
    or words, give None: no version can be said to be in force on them.

    >>> date_span("2026-01-16")
    (datetime.date(2026, 1, 16), datetime.date(2026, 1, 16))
    >>> date_span("2025-12 (undated summary)")
    (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    >>> date_span("2026"), date_span("")
    (None, None)
    """
    m = _DATE_RE.match(text or "")
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    try:
        if m.group(3):
            d = dt.date(y, mo, int(m.group(3)))
            return d, d
        first = dt.date(y, mo, 1)
    except ValueError:
        return None
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _version_date(ds: Dataset) -> str:
    return ds.date or ds.version


def _version_day(ds: Dataset) -> dt.date | None:
    span = date_span(_version_date(ds))
    return span[0] if span else None


def line_versions_of(catalog: Catalog, line_id: str) -> tuple[Dataset, ...]:
    """Every version of ``line_id`` in ``catalog`` that divides the outline, by date.

    Versions are entries with the id and a kind in :data:`LINE_KINDS` (line, zone,
    markers), ordered by their ``date`` (else their version), oldest first.

    Raises
    ------
    geo.errors.DatasetNotFoundError
        When the catalog has no such id, or none of its versions is a line.
    """
    ident, version = parse_ref(line_id)
    if version is not None:
        raise InputError(f"{line_id!r} names one version", source="line_id",
                         fix=f"give the id alone ({ident!r}): the timeline has all versions")
    found = catalog.versions(ident)
    if not found:
        catalog.get(ident)  # raises, naming the ids that exist
    lines = [d for d in found if d.kind in LINE_KINDS]
    if not lines:
        raise DatasetNotFoundError(
            f"dataset {ident!r} has no version that is a line, zone or marker survey "
            f"(it is a {found[0].kind})", source=line_id,
            fix="give the id of a line (see `gazamap datasets`)")
    pathlike = [d.ref for d in lines if looks_like_path(d.ref)]
    if pathlike:
        raise InputError(f"version {pathlike[0]!r} reads as a file path (it holds / or \\ "
                         "or a file extension)", source=line_id,
                         fix="give the catalog entry a version like \"2026-01-16\"")
    undated = [d.ref for d in lines if _version_day(d) is None]
    if undated:
        raise InputError(f"version {undated[0]} has no date (YYYY-MM-DD or YYYY-MM in `date` "
                         "or `version`)", source=line_id,
                         fix="give the catalog entry a date = \"YYYY-MM-DD\"")
    return tuple(sorted(lines, key=lambda d: (_version_day(d), d.version)))


def version_in_force(versions: Sequence[Dataset], when: str) -> tuple[Dataset | None, str]:
    """The version in force on the date ``when`` (the newest dated on or before it).

    Returns ``(version, "")``, or ``(None, reason)`` when no version can be named: the
    date names no month, it lies before every version, or (a month) it spans two versions.
    """
    span = date_span(when)
    if span is None:
        return None, f"the date {when!r} names no day or month, so no version of the line " \
                     "can be chosen; give the claim a version (line = \"id@version\")"
    dated = [(d, v) for v in versions if (d := _version_day(v)) is not None]

    def at(day: dt.date) -> Dataset | None:
        before = [v for d, v in dated if d <= day]
        return before[-1] if before else None

    first, last = at(span[0]), at(span[1])
    if last is None:
        oldest = dated[0][1].ref if dated else "none"
        return None, (f"the claim is dated {when.strip()}, before every version of the line "
                      f"(the oldest is {oldest})")
    if first is None or first.ref != last.ref:
        return None, (f"the claim's date {when.strip()!r} spans more than one version of the "
                      f"line ({first.ref if first else 'none'} and {last.ref}); give a day "
                      "or a version")
    return last, ""


def has_versions(catalog: Catalog, dataset: Dataset | None) -> bool:
    """Whether a line's dataset has more than one version that is a line in ``catalog``.

    ``None`` (a user's file) has none.
    """
    return dataset is not None and len(
        [d for d in catalog.versions(dataset.id) if d.kind in LINE_KINDS]) >= 2
