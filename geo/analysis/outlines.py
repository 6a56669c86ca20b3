"""Outline sensitivity: the same line's zones and shares on every packaged outline.

A share depends on the outline it is a share of. The OSM land outline (363.2 km²) and the
OCHA administrative outline behind the conventional "365 km²" (364.9 km²) differ by
6.7 km² along the coast and the fence; this module puts the figures of both side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.read.sources import Source, borders_for, resolve

__all__ = [
    "PACKAGED_OUTLINES",
    "DENOMINATOR_NOTES",
    "denominator_note",
    "OutlineZone",
    "OutlineFigures",
    "OutlineBorders",
    "border_sensitivity",
    "share_spread_pct",
    "figures_of",
]

# The packaged whole-Strip outlines (the other packaged boundaries are its parts).
PACKAGED_OUTLINES = ("gaza-outline@2017", "ocha-outline@2019-07-18")
# Which outline a conventional denominator stands for, for the notes of `areas`.
DENOMINATOR_NOTES = {
    "365": ("365 km² is the administrative outline of PCBS/OCHA: the PCBS governorate areas "
            "(table 676) add up to 365.0 km², and the union of the OCHA oPt municipal "
            "boundaries (ocha-outline@2019-07-18) measures 364.93 km² (geodesic); the OSM "
            "land outline (gaza-outline@2017) is 363.2 km²"),
    "360": ("360 km² is the sum of the governorate areas in Wikipedia's table (61 + 70 + "
            "56 + 108 + 65 km², carried by governorates@2025-10-28); PCBS table 676 gives "
            "60.9 + 74.6 + 56.7 + 109.7 + 63.1 = 365.0 km² (pcbs-population@2023); no "
            "packaged outline has an area of 360 km²"),
}


@dataclass(frozen=True)
class OutlineZone:
    """One zone of the line on one outline: geodesic km², share of that outline in %.

    ``share_pct_low`` and ``share_pct_high`` come from moving the line by ± its
    uncertainty (``None`` when that was not computed).
    """

    id: str
    area_km2: float
    share_pct: float
    share_pct_low: float | None = None
    share_pct_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (numbers unrounded)."""
        return {"id": self.id, "area_km2": self.area_km2, "share_pct": self.share_pct,
                "share_pct_low": self.share_pct_low, "share_pct_high": self.share_pct_high}


@dataclass(frozen=True)
class OutlineFigures:
    """The zones of one line on one outline (``dataset`` is ``id@version`` or a file)."""

    dataset: str
    area_km2: float
    zones: tuple[OutlineZone, ...]

    def zone(self, zone_id: str) -> OutlineZone:
        """The figures of one zone, by id."""
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise KeyError(zone_id)

    def to_dict(self) -> dict[str, Any]:
        """``{dataset, area_km2, zones: [{id, area_km2, share_pct, ...}]}``."""
        return {"dataset": self.dataset, "area_km2": self.area_km2,
                "zones": [z.to_dict() for z in self.zones]}


@dataclass(frozen=True)
class OutlineBorders:
    """Geodesic length in km of one outline's borders with Israel, Egypt and the sea."""

    dataset: str
    israel_km: float
    egypt_km: float
    sea_km: float

    def to_dict(self) -> dict[str, Any]:
        """``{dataset, borders_km: {israel, egypt, sea}}``."""
        return {"dataset": self.dataset, "borders_km": {
            "israel": self.israel_km, "egypt": self.egypt_km, "sea": self.sea_km}}


def border_sensitivity(outlines: Sequence[Source | str] = PACKAGED_OUTLINES,
                       ) -> tuple[OutlineBorders, ...]:
    """The border lengths of each outline (geo.geometry.borders, packaged neighbours).

    How detailed and where an outline is drawn changes a border's length: the spread
    between the outlines is part of the uncertainty of any stated border length.
    """
    out = []
    for spec in outlines:
        b = spec if isinstance(spec, Source) else resolve(spec, "boundary")
        km = borders_for(b.geometry).lengths_km()
        out.append(OutlineBorders(b.dataset.ref if b.dataset is not None else b.label,
                                  km["israel"], km["egypt"], km["sea"]))
    return tuple(out)


def figures_of(dataset: str, area_km2: float, zones: Sequence[Any]) -> OutlineFigures:
    """Outline figures from the zones of an analysis (``geo.analysis.Zone`` objects).

    A zone without an interval gets ``None`` for ``share_pct_low`` and ``share_pct_high``.
    """
    return OutlineFigures(dataset=dataset, area_km2=area_km2, zones=tuple(
        OutlineZone(id=z.id, area_km2=z.area_km2, share_pct=z.share_pct,
                    share_pct_low=z.interval.low if z.interval else None,
                    share_pct_high=z.interval.high if z.interval else None)
        for z in zones))


def denominator_note(km2: float) -> str | None:
    """What outline a conventional denominator corresponds to (``None`` if not known).

    >>> denominator_note(365.0)[:36]
    '365 km² is the administrative outlin'
    >>> denominator_note(363.0) is None
    True
    """
    return DENOMINATOR_NOTES.get(f"{km2:g}")


def share_spread_pct(figures: Sequence[OutlineFigures], zone_id: str) -> float:
    """How far apart the outlines put one zone's share, in percentage points (max - min).

    >>> a = OutlineFigures("a", 10.0, (OutlineZone("east", 5.0, 50.0, 50.0, 50.0),))
    >>> b = OutlineFigures("b", 10.0, (OutlineZone("east", 5.2, 52.0, 51.0, 53.0),))
    >>> share_spread_pct([a, b], "east")
    2.0
    >>> share_spread_pct([], "east")
    0.0
    """
    shares = [f.zone(zone_id).share_pct for f in figures]
    return max(shares) - min(shares) if shares else 0.0
