"""The one door through which the claims read area figures: :func:`geo.analyse`.

Every metric of :mod:`geo.claims.metrics` reads the :class:`geo.analysis.Analysis` of its
(line, boundary, uncertainty), computed once here, in the analysis's own types: its
:class:`~geo.analysis.Zone` (area, share, :class:`~geo.analysis.Interval`, border lengths
and their interval under ±u), :class:`~geo.analysis.GovernorateFigures` (each zone's
share of a governorate) and the boundary :class:`~geo.read.sources.Source` (its positional
uncertainty). Pre-war population shares (:meth:`Figures.population`) are the
:class:`geo.analysis.population.PopulationFigures` that ``Analysis.population``
computes, called only when a population claim asks. :func:`zone_of` is the zone a claim
names, or the ledger's error.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import replace

from geo.analysis import Analysis, Zone, analyse_quietly
from geo.analysis.population import PopulationFigures, population_shares
from geo.analysis.request import LineSpec, ReadOptions, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import Catalog
from geo.errors import DatasetNotFoundError, GazamapWarning, InputError
from geo.geometry.areas import band_area_km2
from geo.read.sources import Source, borders_for, resolve

__all__ = [
    "Figures",
    "Lines",
    "NotCheckable",
    "Uncertainty",
    "zone_of",
]

Lines = str | tuple[str, ...]  # one line, or several from the Israel border westward
Uncertainty = float | LineUncertainty | None  # ±u, two sides, or the catalog's


class NotCheckable(Exception):
    """Raised inside a metric when the data it needs does not exist (with the reason)."""


def zone_of(a: Analysis, zone_id: str) -> Zone:
    """The zone ``zone_id`` of the analysis; one its lines do not make is an input error."""
    for z in a.zones:
        if z.id == zone_id:
            return z
    n = len(a.zones) - 1
    raise InputError(f"the partition by {' + '.join(x.ref for x in a.lines)} has no zone "
                     f"{zone_id!r} (its zones: {', '.join(a.zone_ids)})",
                     fix=f"name a zone of {n} line{'s' * (n > 1)}, or give the "
                         "claim the lines that make that zone (line = [...])")


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

    def is_users(self, key: str, kind: str) -> bool:
        """Whether ``key`` names a registered source that is no dataset (a user's file)."""
        src = self._sources.get((key, kind))
        return src is not None and src.dataset is None

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
                self.memo[key] = pf
        out = self.memo[key]
        assert out is None or isinstance(out, PopulationFigures)
        return out

    def band_area_km2(self, boundary: str, kind: str, width_m: float) -> float:
        """Geodesic area of the land within ``width_m`` of the ``kind`` border."""
        b = self.source(boundary, "boundary")
        return band_area_km2(b.geometry, borders_for(b.geometry).get(kind), width_m)
