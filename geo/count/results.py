"""What a count found: per zone (with its interval), per governorate, and outside.

:class:`CountResult` is what :meth:`geo.count.Tally.result` makes of the additive tally
(:mod:`geo.count.core`); :class:`geo.count.LayerCount` wraps it with the layer's
provenance for ``gazamap count``. ``to_dict`` gives the JSON contract's plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ZoneCount", "GovernorateCount", "CountResult"]


@dataclass(frozen=True)
class ZoneCount:
    """The count (and sums, and areas with ``split_area``) of one zone, with its interval."""

    id: str
    count: int
    count_low: int
    count_high: int
    sums: dict[str, float] = field(default_factory=dict)
    sums_low: dict[str, float] = field(default_factory=dict)
    sums_high: dict[str, float] = field(default_factory=dict)
    area_km2: float | None = None
    area_km2_low: float | None = None
    area_km2_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: an interval that collapses to its value is ``null``.

        (No line with a stated uncertainty and no point on a line: there is no interval,
        and a low == high pair would pretend one was computed.)
        """
        def span(lo: Any, mid: Any, hi: Any) -> tuple[Any, Any]:
            return (None, None) if lo == mid == hi else (lo, hi)

        lo, hi = span(self.count_low, self.count, self.count_high)
        out: dict[str, Any] = {"id": self.id, "count": self.count,
                               "count_low": lo, "count_high": hi, "sum": dict(self.sums)}
        sums = {k: span(self.sums_low[k], v, self.sums_high[k]) for k, v in self.sums.items()}
        out["sum_low"] = {k: v[0] for k, v in sums.items()}
        out["sum_high"] = {k: v[1] for k, v in sums.items()}
        if self.area_km2 is not None:
            alo, ahi = span(self.area_km2_low, self.area_km2, self.area_km2_high)
            out.update(area_km2=self.area_km2, area_km2_low=alo, area_km2_high=ahi)
        return out


@dataclass(frozen=True)
class GovernorateCount:
    """Points of one governorate, per zone."""

    name: str
    name_ar: str | None
    count: int
    zones: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"name": self.name, "name_ar": self.name_ar, "count": self.count,
                "zones": dict(self.zones)}


@dataclass(frozen=True)
class CountResult:
    """What :func:`count_points` found: per zone, outside, on the lines, per governorate.

    ``zone_of`` gives each point's zone index into ``zones`` (-1: outside).
    """

    zones: tuple[ZoneCount, ...]
    outside: int
    outside_in_holes: int
    on_line: int
    governorates: tuple[GovernorateCount, ...]
    no_governorate: int
    zone_of: np.ndarray[Any, Any] = field(repr=False, compare=False,
                                          default_factory=lambda: np.empty(0, dtype=int))

    def zone(self, zone_id: str) -> ZoneCount:
        """The count of one zone."""
        return next(z for z in self.zones if z.id == zone_id)


@dataclass(frozen=True)
class CountedLayer:
    """The layer a count read: its file's name and digest, features, how it was counted.

    ``dataset`` is the ``id@version`` when the layer was named by a dataset id.
    """

    file: str
    sha256: str
    features: int
    geometry_types: Mapping[str, int]
    counted_by: str
    dataset: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``layer`` object of the JSON contract."""
        out: dict[str, Any] = {"file": self.file, "sha256": self.sha256,
                               "features": self.features,
                               "geometry_types": dict(self.geometry_types),
                               "counted_by": self.counted_by}
        if self.dataset is not None:
            out["dataset"] = self.dataset
        return out


@dataclass(frozen=True)
class CountMethod:
    """The method of a count in words (``area`` only for ``split_area``)."""

    counted_by: str
    zones: str
    on_line: str
    outside: str
    interval: str
    governorates: str
    area: str | None
    engine: str

    def to_dict(self) -> dict[str, Any]:
        """The ``method`` object of the JSON contract."""
        out = {"counted_by": self.counted_by, "zones": self.zones, "on_line": self.on_line,
               "outside": self.outside, "interval": self.interval,
               "governorates": self.governorates}
        if self.area is not None:
            out["area"] = self.area
        out["engine"] = self.engine
        return out
