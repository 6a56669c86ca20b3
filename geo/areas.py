"""Areas of bands, and the bridge that lets the claims ledger read an analysis.

The figures of a partition come from :func:`geo.analyse` (``geo/analysis.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely

from geo.analysis import Analysis, analyse
from geo.crs import from_laea, to_laea
from geo.measure import geodesic_area_m2
from geo.partition import DEFAULT_SNAP_TOLERANCE_M, Partition
from geo.request import LineSpec, Request
from geo.sources import Source, resolve

__all__ = ["AreaReport", "band_area_km2", "compute_areas"]


def band_area_km2(boundary: shapely.Geometry, border: shapely.Geometry, width_m: float) -> float:
    """Geodesic area in km² of the boundary's land within ``width_m`` of ``border``."""
    if border.is_empty:
        return 0.0
    band = from_laea(to_laea(border, dense=True).buffer(width_m))
    return geodesic_area_m2(band.intersection(boundary)) / 1e6


@dataclass
class AreaReport:
    """An :class:`~geo.analysis.Analysis` as the claims evaluator reads it (dicts)."""

    boundary: dict[str, Any]
    line: dict[str, Any]
    method: dict[str, Any]
    zones: list[dict[str, Any]]
    governorates: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    partition: Partition | None = None
    analysis: Analysis | None = None

    def zone(self, zone_id: str) -> dict[str, Any]:
        """The figures of one zone."""
        return next(z for z in self.zones if z["id"] == zone_id)


def compute_areas(boundary: Source | str = "gaza-outline",
                  line: Source | str = "yellow-line@2025-10-19", *,
                  uncertainty_m: float | None = None,
                  snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
                  **_: Any) -> AreaReport:
    """:func:`geo.analyse` for one line, as dicts (a zone without interval: low = high)."""
    b = boundary if isinstance(boundary, Source) else resolve(boundary, "boundary")
    ln = line if isinstance(line, Source) else resolve(line, "line")
    u = uncertainty_m if uncertainty_m is not None else (ln.uncertainty_m or None)
    a = analyse(Request(boundary=b, lines=(LineSpec(ln.label, uncertainty_m=u, source=ln),),
                        snap_tolerance_m=snap_tolerance_m))
    d = a.to_dict()
    for z in d["zones"]:
        if z["share_pct_low"] is None:
            z["share_pct_low"] = z["share_pct_high"] = z["share_pct"]
    d["line"]["uncertainty_m"] = d["line"]["uncertainty_m"] or 0.0
    return AreaReport(d["boundary"], d["line"], d["method"], d["zones"], d["governorates"],
                      d["alternatives"], d["warnings"], a.partition, a)
