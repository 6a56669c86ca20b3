"""The one door through which the claims read area figures (today :func:`compute_areas`).

Every metric of :mod:`geo.claims.metrics` reads its zone areas, shares, intervals, border
lengths and governorate shares from the typed views below, never from
:class:`geo.areas.AreaReport` directly, so that switching to ``geo.analyse`` changes this
module only. What the views need from an analysis, per (line, boundary, uncertainty):

- the boundary's geodesic area (km²) and its positional uncertainty (m);
- the line's reference, method (``line`` | ``zone-polygon``), uncertainty (m) and the
  dividing line as used (ends snapped, lon/lat), or ``None`` for a zone polygon;
- per zone: ``area_km2``, ``share_pct`` (of the outline), the share interval from the
  line's ±u swept band (``None`` when there is none) and ``borders_km`` by kind;
- per governorate: the zone shares (% of the governorate) and their intervals;
- the zones' ``borders_km`` with the line moved by -u and +u (:meth:`Figures.offsets`),
  for border lengths of a zone and "shares a border" under the line's uncertainty;
- pre-war population shares per zone (:meth:`Figures.population`): none are packaged
  yet, so it returns ``None`` and population claims stay not-checkable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely

from geo.areas import AreaReport, band_area_km2, compute_areas
from geo.catalog import Catalog
from geo.errors import DatasetNotFoundError, InputError
from geo.partition import DEFAULT_SNAP_TOLERANCE_M, offset_line
from geo.sources import Source, borders_for, resolve

__all__ = [
    "Figures",
    "GovernorateFigures",
    "NotCheckable",
    "PartitionFigures",
    "PopulationFigures",
    "ZoneFigures",
]

Interval = tuple[float, float]


class NotCheckable(Exception):
    """Raised inside a metric when the data it needs does not exist (with the reason)."""


@dataclass(frozen=True)
class ZoneFigures:
    """One zone: geodesic area, share of the outline, its interval and border lengths."""

    id: str
    area_km2: float
    share_pct: float
    interval_pct: Interval | None  # share of the outline with the line moved by ±u
    borders_km: Mapping[str, float]


@dataclass(frozen=True)
class GovernorateFigures:
    """One governorate: each zone's share of it (%) and the interval under ±u."""

    name: str
    name_ar: str
    share_pct: Mapping[str, float]
    interval_pct: Mapping[str, Interval | None]


@dataclass(frozen=True)
class PopulationFigures:
    """Pre-war population shares of the zones: ``(share, low, high)`` % per zone id.

    ``basis`` says what the figures are ("pre-war, PCBS census 2017"), ``method`` how the
    interval was made (the range between estimation methods).
    """

    basis: str
    shares_pct: Mapping[str, tuple[float, float, float]]
    method: str
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartitionFigures:
    """The figures of one (line, boundary, uncertainty) that the claims use."""

    line_ref: str
    boundary_ref: str
    method: str
    uncertainty_m: float
    boundary_area_km2: float
    outline_uncertainty_m: float
    zones: Mapping[str, ZoneFigures]
    line: shapely.Geometry | None

    def zone(self, zone_id: str) -> ZoneFigures:
        """The figures of one zone (``east`` or ``west``)."""
        return self.zones[zone_id]


def _ref(d: Mapping[str, object]) -> str:
    return str(d.get("dataset") or d.get("file"))


def _view(rep: AreaReport, outline_u: float) -> PartitionFigures:
    zones = {}
    for z in rep.zones:
        lo, hi = z["share_pct_low"], z["share_pct_high"]
        # compute_areas writes low == high when there is no interval: say "none"
        iv = None if lo == hi == z["share_pct"] else (lo, hi)
        zones[z["id"]] = ZoneFigures(z["id"], z["area_km2"], z["share_pct"], iv,
                                     dict(z["borders_km"]))
    part = rep.partition
    return PartitionFigures(
        line_ref=_ref(rep.line), boundary_ref=_ref(rep.boundary),
        method=str(rep.line["method"]), uncertainty_m=float(rep.line["uncertainty_m"]),
        boundary_area_km2=float(rep.boundary["area_km2"]), outline_uncertainty_m=outline_u,
        zones=zones, line=part.line if part is not None else None)


def _govs(rep: AreaReport) -> dict[str, tuple[str, str, dict[str, float]]]:
    return {str(g.get("name") or ""): (str(g.get("name") or ""), str(g.get("name_ar") or ""),
                                       {k: v["share_pct"] for k, v in g["zones"].items()})
            for g in rep.governorates}


class Figures:
    """Resolved sources and their partitions, each computed once.

    Parameters
    ----------
    catalog : geo.catalog.Catalog, optional
        Where dataset ids are looked up.
    read_options : dict, optional
        Passed to :func:`geo.sources.resolve` for files.
    """

    def __init__(self, *, catalog: Catalog | None = None,
                 read_options: Mapping[str, object] | None = None):
        self.catalog = catalog
        self.read_options = dict(read_options or {})
        self._sources: dict[tuple[str, str], Source] = {}
        self._reports: dict[tuple[str, str, float | None], AreaReport] = {}
        self._offsets: dict[tuple[str, str, float | None], list[AreaReport]] = {}
        # other per-outline geometry the metrics compute once (strip profiles)
        self.memo: dict[tuple[object, ...], object] = {}

    def register(self, source: Source, kind: str) -> str:
        """Make an already resolved source (a line from markers) known by its label."""
        self._sources[(source.label, kind)] = source
        return source.label

    def source(self, spec: str, kind: str) -> Source:
        """Resolve a dataset id or file once; a missing dataset is not checkable."""
        key = (spec, kind)
        if key not in self._sources:
            try:
                self._sources[key] = resolve(spec, kind, self.catalog, **self.read_options)
            except DatasetNotFoundError as exc:
                raise NotCheckable(
                    f"no geometry for the {kind} {spec!r}: gazamap has no such dataset "
                    f"({exc.problem}); give {kind} = a GeoJSON file to check the claim"
                ) from None
            except InputError as exc:
                raise NotCheckable(f"{kind} {spec!r} cannot be used: {exc.message}") from None
        return self._sources[key]

    def _report(self, line: str, boundary: str, uncertainty_m: float | None) -> AreaReport:
        key = (line, boundary, uncertainty_m)
        if key not in self._reports:
            b, ln = self.source(boundary, "boundary"), self.source(line, "line")
            try:
                self._reports[key] = compute_areas(b, ln, uncertainty_m=uncertainty_m)
            except InputError as exc:
                raise NotCheckable(f"the line does not partition the outline: "
                                   f"{exc.message}") from None
        return self._reports[key]

    def _offset_reports(self, line: str, boundary: str,
                        uncertainty_m: float | None) -> list[AreaReport]:
        """The partition by the line as given and re-split by the line offset ±u."""
        key = (line, boundary, uncertainty_m)
        if key not in self._offsets:
            base = self._report(line, boundary, uncertainty_m)
            u = float(base.line["uncertainty_m"])
            out = [base]
            part = base.partition
            if part is not None and part.line is not None and u > 0:
                b = self.source(boundary, "boundary")
                for off in (-u, u):
                    src = Source(offset_line(part.line, off), f"{line} offset {off:+g} m")
                    try:
                        out.append(compute_areas(
                            b, src, uncertainty_m=0,
                            snap_tolerance_m=max(3 * u, DEFAULT_SNAP_TOLERANCE_M)))
                    except InputError:
                        continue
            self._offsets[key] = out
        return self._offsets[key]

    def partition(self, line: str, boundary: str,
                  uncertainty_m: float | None = None) -> PartitionFigures:
        """The zones of ``boundary`` split by ``line`` (cached)."""
        rep = self._report(line, boundary, uncertainty_m)
        return _view(rep, self.source(boundary, "boundary").uncertainty_m)

    def offsets(self, line: str, boundary: str,
                uncertainty_m: float | None = None) -> tuple[PartitionFigures, ...]:
        """The partition with the line as given, then moved by -u and +u (when u > 0)."""
        u_b = self.source(boundary, "boundary").uncertainty_m
        return tuple(_view(r, u_b) for r in self._offset_reports(line, boundary, uncertainty_m))

    def governorates(self, line: str, boundary: str,
                     uncertainty_m: float | None = None) -> tuple[GovernorateFigures, ...]:
        """Each governorate's zone shares, the interval from the line moved by ±u."""
        reps = self._offset_reports(line, boundary, uncertainty_m)
        per = [_govs(r) for r in reps]
        out = []
        for name, (n, ar, shares) in per[0].items():
            iv: dict[str, Interval | None] = {}
            for zid in shares:
                vals = [p[name][2][zid] for p in per if name in p]
                iv[zid] = (min(vals), max(vals)) if len(vals) > 1 else None
            out.append(GovernorateFigures(n, ar, shares, iv))
        return tuple(out)

    def population(self, line: str, boundary: str,
                   uncertainty_m: float | None = None) -> PopulationFigures | None:
        """Pre-war population shares of the zones, or ``None`` when gazamap has none.

        To be wired to the analysis' ``population`` (zones with share_pct, share_pct_low,
        share_pct_high; basis; method) once it exists.
        """
        return None

    def band_area_km2(self, boundary: str, kind: str, width_m: float) -> float:
        """Geodesic area of the land within ``width_m`` of the ``kind`` border."""
        b = self.source(boundary, "boundary")
        return band_area_km2(b.geometry, borders_for(b.geometry).get(kind), width_m)
