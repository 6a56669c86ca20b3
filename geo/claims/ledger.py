"""A claims ledger as read: :class:`Claim`, :class:`Ledger` and the line versions it dates.

A ledger is a TOML file with an optional ``[ledger]`` table (``title``, ``description``,
default ``line`` and ``boundary``) and one ``[[claim]]`` table per statement (see
:mod:`geo.claims`); :mod:`geo.claims.parse` reads and validates it into these types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geo.claims.fields import PATH_FIELDS
from geo.claims.intervals import Stated, stated_interval
from geo.read.sources import looks_like_path

__all__ = [
    "Claim",
    "Ledger",
    "LineVersion",
    "line_versions",
]


@dataclass(frozen=True)
class Claim:
    """One ``[[claim]]`` of a ledger; ``fields`` holds the metric's own fields."""

    id: str
    text: str
    source: str
    metric: str
    value: Any
    op: str = "="
    date: str = ""
    url: str = ""
    note: str = ""
    approx: bool = False
    tolerance: float | None = None
    precision: float | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    outlet: str = ""
    copy: str = ""
    seen_at: str = ""
    hedge_notes: tuple[str, ...] = ()
    lint: tuple[str, ...] = ()
    # the line version the text describes ("2025-10-04" of the claim's line, or id@version)
    version: str = ""
    # the ledger's own arithmetic on a published figure (14 km x 100 m), not a published
    # figure: reported as a check of the ledger, outside the verdict counts and exit code
    derived: bool = False

    @cached_property
    def stated(self) -> Stated:
        """The stated value and its interval (see the module docstring)."""
        try:
            return stated_interval(self.value, approx=self.approx, tolerance=self.tolerance,
                                   precision=self.precision)
        except ValueError:  # metric "none" takes any value (a date, a word)
            v = self.value
            text = "–".join(map(str, v)) if isinstance(v, list) else str(v)
            return Stated(None, text, None, None, "not a number")

    @property
    def provenance(self) -> str:
        """Who published the text and where it was read, in words.

        >>> Claim("a", "t", "Al Jazeera, mirrored", "sum", 1, outlet="Al Jazeera",
        ...       copy="mirror", seen_at="https://234radio.com:443/x").provenance
        'Al Jazeera (text seen in a mirror: 234radio.com)'
        >>> Claim("a", "t", "a blog", "sum", 1).provenance
        'a blog (no URL known)'
        >>> Claim("a", "t", "Haaretz", "sum", 1, seen_at="elsharkonline.com").provenance
        'Haaretz (text seen on elsharkonline.com; no URL recorded)'
        """
        who = self.outlet or self.source
        if self.seen_at and "://" not in self.seen_at:  # a site named, its URL not kept
            return f"{who} (text seen on {self.seen_at}; no URL recorded)"
        if self.copy in ("mirror", "summary") and self.seen_at:
            host = (urlsplit(self.seen_at).hostname or self.seen_at).removeprefix("www.")
            return f"{who} (text seen in a {self.copy}: {host})"
        if not self.url and not self.seen_at:
            return f"{who} (no URL known)"
        return who

    @property
    def zone(self) -> str | None:
        """The zone the claim is about (its ``zone`` field), None for a metric without one.

        >>> Claim("a", "t", "s", "zone_share_pct", 53, fields={"zone": "east"}).zone
        'east'
        """
        z = self.fields.get("zone")
        return z if isinstance(z, str) else None

    @property
    def denominator_km2(self) -> float | None:
        """The total (km²) a share is stated of; None for a share of the measured outline."""
        d = self.fields.get("denominator_km2")
        return float(d) if isinstance(d, int | float) and not isinstance(d, bool) else None

    def to_dict(self) -> dict[str, Any]:
        """The claim as written (for JSON outputs; files by name, see `public_fields`)."""
        return {"id": self.id, "text": self.text, "source": self.source, "date": self.date,
                "url": self.url, "outlet": self.outlet, "copy": self.copy,
                "seen_at": self.seen_at, "note": self.note, "metric": self.metric,
                "op": self.op, "approx": self.approx, "version": self.version or None,
                "derived": self.derived, **self.public_fields()}

    def public_fields(self) -> dict[str, Any]:
        """The metric's fields for published outputs: a file by its name, never its path.

        >>> Claim("a", "t", "s", "zone_share_pct", "53",
        ...       fields={"zone": "east", "line": "/home/me/l.geojson"}).public_fields()
        {'zone': 'east', 'line': 'l.geojson'}
        """
        def name(v: Any) -> Any:
            if isinstance(v, list):
                return [name(x) for x in v]
            return Path(v).name if isinstance(v, str) and looks_like_path(v) else v

        return {k: name(v) if k in PATH_FIELDS else v for k, v in self.fields.items()}


@dataclass(frozen=True)
class Ledger:
    """A parsed ledger: its claims, defaults and where it was read from."""

    claims: tuple[Claim, ...]
    path: str = ""
    title: str = ""
    description: str = ""
    line: str | None = None
    boundary: str | None = None

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)


@dataclass(frozen=True)
class LineVersion:
    """A dated version of the line known from a claim (its stated area, no geometry)."""

    date: str
    label: str
    source: str
    area_km2: float
    claim_id: str
    line: str


def line_versions(ledger: Ledger) -> tuple[LineVersion, ...]:
    """The ledger's dated line versions (claims with ``line_version``), by date.

    Each is a ``zone_area_km2`` claim of the east zone whose ``line`` names a version
    without public geometry; its area is the stated value.
    """
    out = []
    for c in ledger:
        label = c.fields.get("line_version")
        if not label or c.metric != "zone_area_km2" or not isinstance(c.stated.value, float):
            continue
        out.append(LineVersion(str(c.fields.get("version_date") or c.date), str(label),
                               c.provenance, c.stated.value, c.id, str(c.fields.get("line"))))
    return tuple(sorted(out, key=lambda v: v.date))
