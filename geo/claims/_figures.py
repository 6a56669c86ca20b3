"""The one door through which the claims read area figures: :func:`geo.analyse`.

Every metric of :mod:`geo.claims.metrics` reads its zone areas, shares, intervals, border
lengths and governorate shares from the typed views below, built from one
:class:`geo.analysis.Analysis` per (line, boundary, uncertainty). What they take from it:

- the boundary's geodesic area (km²) and its positional uncertainty (m);
- the line's reference, method (``line`` | ``zone-polygon``), uncertainty (m, or None)
  and the dividing line as used (ends snapped, lon/lat), or ``None`` for a zone polygon;
- per zone: ``area_km2``, ``share_pct`` (of the outline), the share interval from the
  line's ±u swept band (``None`` when there is none), ``borders_km`` by kind and their
  interval under ±u (``borders_km_interval``);
- per governorate: the zone shares (% of the governorate) and their intervals;
- the zones' geometry, for the pre-war population shares (:meth:`Figures.population`:
  :func:`geo.analysis.population.population_shares`, as ``Analysis.population`` computes them,
  called only when a population claim asks).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace

import shapely

from geo.analysis import Analysis, analyse_quietly
from geo.analysis.population import population_shares
from geo.analysis.request import LineSpec, ReadOptions, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import Catalog
from geo.errors import DatasetNotFoundError, GazamapWarning, InputError
from geo.geometry.areas import band_area_km2
from geo.read.sources import Source, borders_for, resolve

__all__ = [
    "Figures",
    "Lines",
    "GovernorateFigures",
    "NotCheckable",
    "PartitionFigures",
    "PopulationFigures",
    "Uncertainty",
    "ZoneFigures",
]

Interval = tuple[float, float]
Lines = str | tuple[str, ...]  # one line, or several from the Israel border westward
Uncertainty = float | LineUncertainty | None  # ±u, two sides, or the catalog's


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
    borders_km_interval: Mapping[str, Interval] | None  # the same under the line's ±u


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
    uncertainty_m: float | None  # the larger side of the lines' uncertainty
    uncertainty_words: str  # "±300 m", "100 m toward Israel, 520 m toward the coast"
    boundary_area_km2: float
    outline_uncertainty_m: float
    zones: Mapping[str, ZoneFigures]
    line: shapely.Geometry | None

    def zone(self, zone_id: str) -> ZoneFigures:
        """The figures of one zone (``east``, ``between-k`` or ``west``)."""
        if zone_id not in self.zones:
            n = len(self.zones) - 1
            raise InputError(f"the partition by {self.line_ref} has no zone {zone_id!r} "
                             f"(its zones: {', '.join(self.zones)})",
                             fix=f"name a zone of {n} line{'s' * (n > 1)}, or give the "
                                 "claim the lines that make that zone (line = [...])")
        return self.zones[zone_id]


def _view(a: Analysis, outline_u: float) -> PartitionFigures:
    zones = {}
    for z in a.zones:
        iv = (z.interval.low, z.interval.high) if z.interval is not None else None
        biv = ({k: (float(lo), float(hi)) for k, (lo, hi) in z.borders_km_interval.items()}
               if z.borders_km_interval else None)
        zones[z.id] = ZoneFigures(z.id, z.area_km2, z.share_pct, iv, dict(z.borders_km), biv)
    ln = a.lines[0]
    us = [x.uncertainty_m for x in a.lines]
    words = "; ".join(dict.fromkeys(x.uncertainty_words for x in a.lines))
    return PartitionFigures(
        line_ref=" + ".join(x.ref for x in a.lines), boundary_ref=a.boundary.ref,
        method=ln.method, uncertainty_words=words,
        uncertainty_m=None if None in us else max(u for u in us if u is not None),
        boundary_area_km2=a.boundary_area_km2, outline_uncertainty_m=outline_u, zones=zones,
        line=ln.geometry)


class Figures:
    """Resolved sources and their partitions, each computed once.

    Parameters
    ----------
    catalog : geo.catalog.Catalog, optional
        Where dataset ids are looked up.
    read_options : dict, optional
        Passed to :func:`geo.read.sources.resolve` for files.
    """

    def __init__(self, *, catalog: Catalog | None = None,
                 read_options: Mapping[str, object] | None = None,
                 request: Request | None = None):
        # every claim's analysis derives from this one request (tolerances, controlled
        # point, data directories, read options): an option given is an option honoured
        self.base = request or Request(read=ReadOptions(**dict(read_options or {})))  # type: ignore[arg-type]
        self.catalog = catalog if catalog is not None else (
            self.base.catalog if request is not None else None)
        self.read_options = dict(read_options or self.base.read.kwargs())
        self._sources: dict[tuple[str, str], Source] = {}
        self._analyses: dict[tuple[Lines, str, Uncertainty], Analysis] = {}
        # other per-outline geometry the metrics compute once (strip profiles)
        self.memo: dict[tuple[object, ...], object] = {}

    def register(self, source: Source, kind: str) -> str:
        """Make an already resolved source (a line from markers) known by its label."""
        self._sources[(source.label, kind)] = source
        return source.label

    def sources(self) -> list[Source]:
        """Every source resolved so far (each once), for the provenance of the results."""
        return list({id(s): s for s in self._sources.values()}.values())

    def seed(self, line: Lines, boundary: str, uncertainty_m: Uncertainty,
             analysis: Analysis) -> None:
        """Use an analysis already computed for (line(s), boundary, uncertainty)."""
        self._analyses[(line, boundary, uncertainty_m)] = analysis

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
            # any other InputError (a missing or unreadable file) is the ledger's error
        return self._sources[key]

    def analysis(self, line: Lines, boundary: str,
                 uncertainty_m: Uncertainty = None) -> Analysis:
        """:func:`geo.analyse` for one (line(s), boundary, uncertainty), cached.

        Several lines are ordered from the Israel border westward; ``uncertainty_m``
        applies to each (None: each line's catalog value).
        """
        key = (line, boundary, uncertainty_m)
        if key not in self._analyses:
            b = self.source(boundary, "boundary")
            specs = tuple(LineSpec(s.label, uncertainty_m=uncertainty_m, source=s)
                          for s in (self.source(x, "line")
                                    for x in ((line,) if isinstance(line, str) else line)))
            # no claim reads the outline sensitivity, and only population claims the
            # population (Figures.population): skip both
            # quietly: the repairs of each line a claim names are not the ledger's news.
            # A line that does not partition the outline (or an option that refuses it,
            # such as a snapping tolerance) is an input error, never a verdict.
            self._analyses[key] = analyse_quietly(replace(
                self.base, boundary=b, lines=specs, outlines=False, population=False))
        return self._analyses[key]

    def partition(self, line: Lines, boundary: str,
                  uncertainty_m: Uncertainty = None) -> PartitionFigures:
        """The zones of ``boundary`` split by ``line`` (cached)."""
        a = self.analysis(line, boundary, uncertainty_m)
        return _view(a, self.source(boundary, "boundary").uncertainty_m)

    def governorates(self, line: Lines, boundary: str,
                     uncertainty_m: Uncertainty = None) -> tuple[GovernorateFigures, ...]:
        """Each governorate's zone shares, the interval from the line moved by ±u."""
        a = self.analysis(line, boundary, uncertainty_m)
        return tuple(GovernorateFigures(
            g.name, g.name_ar, {k: z.share_pct for k, z in g.zones.items()},
            {k: (z.interval.low, z.interval.high) if z.interval is not None else None
             for k, z in g.zones.items()}) for g in a.governorates)

    def population(self, line: Lines, boundary: str,
                   uncertainty_m: Uncertainty = None) -> PopulationFigures | None:
        """Pre-war population shares of the zones (PCBS census 2017, mid-2023 figures).

        The figure is the range of :mod:`geo.analysis.population`'s three methods (its central
        value, named "mean of three methods", is no estimate of its own); ``None`` when
        the zones cannot be counted.
        """
        key = ("population", line, boundary, uncertainty_m)
        if key not in self.memo:
            a = self.analysis(line, boundary, uncertainty_m)
            try:
                # the analysis's own figures when it has them (a report's analysis does)
                pf = (a.population if a.population is not None else
                      population_shares([(z.id, z.geometry) for z in a.zones]))
            except InputError:
                self.memo[key] = None
            else:
                for w in pf.warnings:
                    warnings.warn(w, GazamapWarning, stacklevel=2)
                self.memo[key] = PopulationFigures(
                    pf.basis,
                    {z.id: (z.share_pct, z.share_pct_low, z.share_pct_high) for z in pf.zones},
                    f"the range of {len(pf.methods)} methods (the central figure is the "
                    f"mean of {len(pf.methods)} methods, no method preferred): "
                    + "; ".join(f"{m}: {d}" for m, d in pf.methods),
                    (*pf.datasets, a.lines[0].ref, a.boundary.ref))
        out = self.memo[key]
        assert out is None or isinstance(out, PopulationFigures)
        return out

    def band_area_km2(self, boundary: str, kind: str, width_m: float) -> float:
        """Geodesic area of the land within ``width_m`` of the ``kind`` border."""
        b = self.source(boundary, "boundary")
        return band_area_km2(b.geometry, borders_for(b.geometry).get(kind), width_m)
