"""The parts of an analysis not every reader shows, computed on first access, once.

Governorates, the zone-polygon alternative, outline sensitivity and population are
:class:`Parts` of an :class:`~geo.analysis.model.Analysis` (its cached properties ask
them); ``compare`` and ``render --compare`` never pay for them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from geo._beside import Beside
from geo.analysis.bands import Bands, gain_loss, geodesic_km2, polygon_bands
from geo.analysis.method import alternative_explanation, polygon_edge_moved
from geo.analysis.model import (
    Alternative,
    GovernorateFigures,
    Interval,
    Zone,
    ZoneShare,
    denominator_key,
)
from geo.analysis.outlines import PACKAGED_OUTLINES, OutlineFigures, OutlineZone, figures_of
from geo.analysis.population import (
    COMMUNITIES,
    GOVERNORATE_POPULATION,
    MUNICIPALITIES,
    PopulationFigures,
    population_shares,
)
from geo.analysis.request import Request
from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import packaged_catalog
from geo.errors import GazamapNote, GazamapWarning, InputError
from geo.geometry.measure import geodesic_area_m2
from geo.geometry.partition import Partition, partition_by_lines, partition_by_zone_polygon
from geo.read.sources import (
    GOVERNORATES,
    NEIGHBOURS,
    Source,
    borders_for,
    governorates,
    looks_like_path,
    resolve,
)

__all__ = ["Parts", "Started", "alternative_of", "controlled_point", "governorate_figures",
           "outline_figures", "population_beside"]


def controlled_point(request: Request, first: Source) -> tuple[tuple[float, float] | None, str]:
    """The point declared under military control (and who declares it), or ``(None, "")``."""
    if request.controlled_at is not None:
        lon, lat = request.controlled_at
        return (float(lon), float(lat)), "controlled_at"
    ds = first.dataset
    if ds is not None and len(ds.controlled_point) == 2:
        return (ds.controlled_point[0], ds.controlled_point[1]), \
            f"the catalog entry of {ds.ref}"
    return None, ""


@dataclass
class Parts:
    """What the lazy parts of an :class:`Analysis` are computed from (each at most once).

    The request's switches (``governorates``, ``alternatives``, ``outlines``,
    ``population``) turn a part off; the provenance lists the datasets of the parts the
    request asks for, whether or not a reader has asked for them yet.
    """

    request: Request
    boundary: Source
    sources: tuple[Source, ...]
    part: Partition
    ids: tuple[str, ...]
    bands: tuple[Bands | None, ...]
    interval_method: str
    b_planar: shapely.Geometry
    u: LineUncertainty | None
    zones: tuple[Zone, ...]
    total_km2: float
    denoms: tuple[float, ...]
    outline_notes: list[str] = field(default_factory=list)
    # the population started beside the measurement (analyse(parts="all")), or None
    early_population: Beside[PopulationFigures] | None = field(default=None, repr=False)

    def _has_alternative(self) -> bool:
        src = self.sources[0]
        return (self.request.alternatives and self.part.method == "line"
                and len(self.sources) == 1 and src.dataset is not None
                and bool(src.dataset.zone_polygon))

    def datasets(self) -> tuple[str, ...]:
        """Every dataset behind the figures the request asks for."""
        out = [self.boundary.ref, *(s.ref for s in self.sources), NEIGHBOURS]
        if self.request.governorates:
            out.append(GOVERNORATES)
        if self._has_alternative():
            assert self.sources[0].dataset is not None
            zp = self.sources[0].dataset.zone_polygon
            # a file in the data dir is named by its file name, as its Source.ref is
            out.append(Path(zp).name if looks_like_path(zp)
                       else self.request.catalog.get(zp, kind="zone").ref)
        if self.request.outlines:
            out += list(PACKAGED_OUTLINES)
        if self.request.population:
            out += [COMMUNITIES, MUNICIPALITIES, GOVERNORATE_POPULATION]
        return tuple(dict.fromkeys(out))

    def governorates(self) -> tuple[GovernorateFigures, ...]:
        """Each governorate in each zone, with intervals (none if switched off)."""
        if not self.request.governorates:
            return ()
        return governorate_figures(self.part, self.ids, self.bands, self.interval_method)

    def alternatives(self) -> tuple[Alternative, ...]:
        """The zone polygon's figures beside the line's, where one exists."""
        if not self._has_alternative():
            return ()
        return (alternative_of(self.request, self.boundary, self.b_planar, self.sources[0],
                             self.u, self.zones[0], self.total_km2, self.denoms),)

    def outlines(self) -> tuple[OutlineFigures, ...]:
        """The same lines on every packaged outline; notes go to ``outline_notes``."""
        return self._noted(self._outline_figures())

    def population(self) -> PopulationFigures | None:
        """Pre-war population shares of the zones (None if switched off)."""
        if not self.request.population:
            return None
        if self.early_population is not None:
            return self._issued(self.early_population.result())
        return self._issued(population_shares([(z.id, z.geometry) for z in self.zones]))

    def beside(self, *, outlines: bool, population: bool, alternatives: bool) -> Started:
        """The parts asked for, started beside the caller; :meth:`Started.join` joins them.

        On a second thread (:mod:`geo._beside`) while the caller computes the others: the
        population (unless it was started with the measurement) and the outline
        sensitivity; the zone-polygon alternative as well when the population was started
        earlier. Their notes and warnings are issued at the join, in the order
        :meth:`outlines` and :meth:`population` issue them. The packaged datasets they
        read are read here first. The thread measures its own copies of the zones (GEOS's
        prepared geometries are not thread-safe) and the other packaged outlines and the
        zone polygon, which no other part touches meanwhile.
        """
        o, p = outlines and self.request.outlines, population and self.request.population
        # a polygon read from a user's file is read in the caller, where its notes belong
        a = (alternatives and self._has_alternative() and self.early_population is not None
             and self._zone_source().packaged)
        if o:
            cat = packaged_catalog()
            for ref in PACKAGED_OUTLINES:
                resolve(ref, "boundary", cat)  # read once per process (kept)
            borders_for(self.boundary.geometry)  # and the neighbours' land
        pop = None
        if p:
            pop = self.early_population or population_beside(
                [(z.id, z.geometry) for z in self.zones])
        rest = Beside(lambda: (self.alternatives() if a else None,
                               self._outline_figures() if o else ((), [])))
        return Started(self, pop, rest, alternatives=a)

    def _zone_source(self) -> Source:
        """The zone polygon of the line's catalog entry (read once per process)."""
        assert self.sources[0].dataset is not None
        return resolve(self.sources[0].dataset.zone_source, "zone", self.request.catalog)

    def _outline_figures(self) -> _Outlines:
        """The outline sensitivity and its notes, not issued yet."""
        if not self.request.outlines:
            return (), []
        notes: list[str] = []
        return outline_figures(self.request, self.boundary, self.sources, self.part,
                               self.total_km2, self.zones, notes), notes

    def _noted(self, done: _Outlines) -> tuple[OutlineFigures, ...]:
        figures, notes = done
        self.outline_notes.extend(notes)
        for text in notes:  # issued when the part is computed
            warnings.warn(text, GazamapNote, stacklevel=4)
        return figures

    @staticmethod
    def _issued(pop: PopulationFigures) -> PopulationFigures:
        for text in pop.warnings:
            warnings.warn(text, GazamapWarning, stacklevel=4)
        return pop


_Outlines = tuple[tuple[OutlineFigures, ...], list[str]]  # figures, notes not issued yet


@dataclass(frozen=True)
class Started:
    """Parts computing beside the caller (:meth:`Parts.beside`)."""

    parts: Parts
    population: Beside[PopulationFigures] | None
    rest: Beside[tuple[tuple[Alternative, ...] | None, _Outlines]]
    alternatives: bool
    """Whether the zone-polygon alternative is computed beside the caller."""

    def join(self) -> tuple[tuple[Alternative, ...] | None, tuple[OutlineFigures, ...],
                            PopulationFigures | None]:
        """Their figures, once computed; their notes and warnings are issued now."""
        self.wait()  # both threads end before either's error is raised
        alts, done = self.rest.result()
        pop = self.population.result() if self.population is not None else None
        return (alts, self.parts._noted(done),
                self.parts._issued(pop) if pop is not None else None)

    def wait(self) -> None:
        """Wait for both computations to end, their results dropped (the caller failed)."""
        self.rest.wait()
        if self.population is not None:
            self.population.wait()


def population_beside(zones: Sequence[tuple[str, shapely.Geometry]]
                      ) -> Beside[PopulationFigures]:
    """The population of ``zones`` started on a second thread (:mod:`geo._beside`).

    The packaged datasets it reads are read here first; the thread measures its own
    copies of the zones (GEOS's prepared geometries are not thread-safe).
    """
    cat = packaged_catalog()
    for ref in (COMMUNITIES, MUNICIPALITIES, GOVERNORATE_POPULATION):
        cat.get(ref).features()  # read once per process (kept)
    own = [(zid, shapely.from_wkb(shapely.to_wkb(g))) for zid, g in zones]
    return Beside(lambda: population_shares(own))


def outline_figures(request: Request, boundary: Source, sources: Sequence[Source],
              part: Partition, total_km2: float, zones: Sequence[Zone],
              notes: list[str]) -> tuple[OutlineFigures, ...]:
    """The same lines (as resolved here, not read again) on every packaged outline.

    This analysis's own figures for its own outline; for the others the central areas
    only: their intervals would repeat the band computation for a few hundredths.
    """
    out = []
    for ref in PACKAGED_OUTLINES:
        if boundary.dataset is not None and boundary.dataset.ref == ref:
            out.append(figures_of(ref, total_km2, zones))
            continue
        other = resolve(ref, "boundary", packaged_catalog())
        try:
            if part.method == "zone-polygon":
                split = partition_by_zone_polygon(other.geometry, sources[0].geometry,
                                                  source=sources[0].ref)
            else:
                point, where = controlled_point(request, sources[0])
                # the borders only decide the controlled side when no point declares it
                borders = borders_for(other.geometry) if point is None else None
                split = partition_by_lines(
                    other.geometry, [s.geometry for s in sources], borders,
                    snap_tolerance_m=request.snap_tolerance_m,
                    sources=[s.ref for s in sources], controlled_at=point,
                    controlled_label=where)
        except InputError as exc:
            notes.append(f"outline sensitivity: the lines do not divide {ref} "
                         f"({exc.problem})")
            continue
        area = geodesic_area_m2(other.geometry) / 1e6
        out.append(OutlineFigures(ref, area, tuple(
            OutlineZone(zid, geodesic_area_m2(g) / 1e6, 100 * geodesic_area_m2(g) / 1e6 / area)
            for zid, g in split.zones.items())))
    return tuple(out)


def governorate_figures(part: Partition, ids: Sequence[str], bands: Sequence[Bands | None],
                  interval_method: str) -> tuple[GovernorateFigures, ...]:
    """Each governorate's area in each zone, with the zones' intervals clipped to it."""
    rows = []
    moves = [gain_loss(k, len(ids), bands) for k in range(len(ids))]
    for f in governorates().features:
        g = f.geometry
        a = geodesic_area_m2(g) / 1e6
        shapely.prepare(g)
        areas: dict[str, float] = {}
        # Every zone by intersection, never "the governorate less the others": the
        # governorates do not lie inside every outline (on the OCHA outline 2.47 km² of
        # them lie beyond its fence line, and a difference counted that land as west).
        for zid in ids:
            z = part.zones[zid]
            areas[zid] = (geodesic_area_m2(shapely.intersection(g, z)) / 1e6
                          if shapely.intersects(g, z) else 0.0)
        shares: dict[str, ZoneShare] = {}
        # a band piece one zone gains is one its neighbour loses: cut each by g once
        in_g = ({id(ll): geodesic_km2(ll, g) for gl in moves if gl is not None
                 for side in gl for _, ll in side} if a > 0 else {})
        for zid, gl in zip(ids, moves, strict=True):
            interval = None
            if gl is not None and a > 0:
                hi = min(a, areas[zid] + sum(in_g[id(ll)] for _, ll in gl[0]))
                lo = max(0.0, areas[zid] - sum(in_g[id(ll)] for _, ll in gl[1]))
                interval = Interval(100 * lo / a, 100 * hi / a, interval_method)
            shares[zid] = ZoneShare(areas[zid], 100 * areas[zid] / a if a else 0.0, interval)
        pub = f.properties.get("area_km2_published_pcbs")
        rows.append(GovernorateFigures(str(f.properties.get("name") or ""),
                                       str(f.properties.get("name_ar") or ""), a,
                                       float(pub) if pub is not None else None, shares))
    return tuple(rows)


def alternative_of(request: Request, boundary: Source, b_planar: shapely.Geometry, line: Source,
                 u: LineUncertainty | None, east: Zone, total_km2: float,
                 denoms: Sequence[float]) -> Alternative:
    """The zone-polygon method's figures for the line's zone polygon (its catalog entry)."""
    assert line.dataset is not None
    zsrc = resolve(line.dataset.zone_source, "zone", request.catalog)
    alt = partition_by_zone_polygon(boundary.geometry, zsrc.geometry, source=zsrc.label)
    e_km2 = geodesic_area_m2(alt.zones["east"]) / 1e6
    zu = (u if u is not None and u.max_m > 0 else
          zsrc.dataset.line_uncertainty if zsrc.dataset else None)
    interval_e = interval_w = None
    if zu is not None and zu.max_m > 0:
        bands = polygon_bands(alt, b_planar, zu)
        method = polygon_edge_moved(zu.words)
        hi = min(total_km2, e_km2 + geodesic_km2(bands.lonlat[0]))
        lo = max(0.0, e_km2 - geodesic_km2(bands.lonlat[1]))
        interval_e = Interval(100 * lo / total_km2, 100 * hi / total_km2, method)
        interval_w = Interval(100 - interval_e.high, 100 - interval_e.low, method)
    whole = geodesic_area_m2(zsrc.geometry) / 1e6
    diff = east.area_km2 - e_km2
    ref = zsrc.ref
    explanation = alternative_explanation(diff, whole)
    return Alternative(
        method="zone-polygon", dataset=ref,
        zones=(("east", ZoneShare(e_km2, 100 * e_km2 / total_km2, interval_e)),
               ("west", ZoneShare(total_km2 - e_km2, 100 - 100 * e_km2 / total_km2,
                                  interval_w))),
        polygon_area_km2=whole,
        polygon_share_pct_of={denominator_key(d): 100 * whole / d for d in denoms},
        difference_km2=diff, explanation=explanation)
