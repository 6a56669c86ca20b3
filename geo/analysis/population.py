"""Pre-war population of zones: PCBS census 2017 communities and mid-2023 governorates.

No post-war population geometry is public, so these figures say who lived in each zone
before the war, never who lives there now. Where people lived inside a municipality or a
governorate is not known either, so every figure depends on a method. Three methods with
biases that point different ways are computed and their range is the interval:

``community-points``
    Each 2017 census community counts wholly in the zone that holds its point. A town
    cut by the line counts on one side only; points mark town centres, which lie west of
    the line, so the eastern zone tends to be undercounted.
``community-municipality``
    Each municipality's 2017 population (the communities whose point it holds) is spread
    evenly over its area. Farmland east of the line gets people that lived in the town
    further west: the eastern zone tends to be overcounted.
``governorate-area``
    Each governorate's mid-2023 population is spread evenly over its area: the same bias
    as the previous method, larger (a governorate is mostly farmland at its eastern edge).

Example
-------
Two towns, one municipality and one governorate over two halves of a box:

>>> from shapely import Point, box
>>> east, west = box(34.35, 31.4, 34.4, 31.5), box(34.3, 31.4, 34.35, 31.5)
>>> towns = [Feature(Point(34.37, 31.45), {"name": "a", "pop2017": 100}),
...          Feature(Point(34.31, 31.45), {"name": "b", "pop2017": 300})]
>>> whole = box(34.3, 31.4, 34.4, 31.5)
>>> f = population_shares(
...     [("east", east), ("west", west)], communities=towns,
...     municipalities=[Feature(whole, {"name": "m"})],
...     governorates=[Feature(whole, {"name": "g", "population_mid_2023": 1000})])
>>> [(e.method, round(e.share_pct, 1)) for e in f.zone("east").estimates]
[('community-points', 25.0), ('community-municipality', 50.0), ('governorate-area', 50.0)]
>>> e = f.zone("east")
>>> round(e.share_pct_low, 1), round(e.share_pct, 1), round(e.share_pct_high, 1)
(25.0, 41.7, 50.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import shapely

from geo.catalog import packaged_catalog
from geo.errors import InputError
from geo.geometry.crs import to_laea
from geo.geometry.measure import geodesic_area_m2
from geo.read.features import Feature

__all__ = [
    "COMMUNITIES",
    "GOVERNORATE_POPULATION",
    "MUNICIPALITIES",
    "METHODS",
    "NEAREST_MAX_M",
    "CENTRAL",
    "Estimate",
    "ZonePopulation",
    "PopulationFigures",
    "population_shares",
]

COMMUNITIES = "pcbs-communities@2017"
GOVERNORATE_POPULATION = "pcbs-population@2023"
MUNICIPALITIES = "municipalities@2025-10-28"
METHODS: dict[str, str] = {
    "community-points": (
        "each community of the PCBS 2017 census counts wholly in the zone that holds its "
        "point (a town cut by the line counts on one side only; the points mark town "
        "centres, so the eastern zone tends to be undercounted)"),
    "community-municipality": (
        "the 2017 population of the communities whose point lies in a municipality "
        "(OSM municipalities, clipped to the outline) is spread evenly over the "
        "municipality's area in the zones (farmland east of the line gets people who lived "
        "in the town: the eastern zone tends to be overcounted)"),
    "governorate-area": (
        "each governorate's PCBS mid-2023 population is spread evenly over its area in "
        "the zones (derived OSM governorates; the most overcounting method for a zone of "
        "farmland and fence)"),
}
BASIS = ("pre-war: PCBS census 2017 (43 communities) and PCBS mid-year 2023 estimates "
         "(5 governorates)")
DATE = "2017 (census), mid-2023 (estimates)"
NOTE = ("Pre-war population: these figures say who lived in each zone before October 2023, "
        "nothing about where people live now; no post-war population geometry is public. "
        "The figure is the range between the methods, not a statistical interval; its "
        "central value (share_pct, and population from it) is the mean of three methods.")
# What the central value of a zone's population share is, named wherever it is shown.
CENTRAL = "mean of three methods"
# A point or polygon that falls in no zone (e.g. a coastal point outside the outline) is
# given to the nearest zone when it is at most this far; farther ones are left out.
NEAREST_MAX_M = 1000.0


@dataclass(frozen=True)
class Estimate:
    """One method's figure for one zone; ``population`` is on that method's own basis."""

    method: str
    share_pct: float
    population: float
    basis_year: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"method": self.method, "share_pct": self.share_pct,
                "population": self.population, "basis_year": self.basis_year}


@dataclass(frozen=True)
class ZonePopulation:
    """The pre-war population of one zone.

    The figure is the range ``share_pct_low``-``share_pct_high`` (the smallest and
    largest method). ``share_pct`` is its central value, named wherever it is shown: the
    *mean of three methods* (:data:`CENTRAL`), no estimate of its own (the shares of every
    method add up to 100 over the zones, so the means do too). ``population`` applies
    ``share_pct`` to the PCBS mid-2023 total, the latest pre-war figure.
    """

    id: str
    population: int
    share_pct: float
    share_pct_low: float
    share_pct_high: float
    estimates: tuple[Estimate, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"id": self.id, "population": self.population, "share_pct": self.share_pct,
                "share_pct_is": CENTRAL,
                "share_pct_low": self.share_pct_low, "share_pct_high": self.share_pct_high,
                "estimates": [e.to_dict() for e in self.estimates]}


@dataclass(frozen=True)
class PopulationFigures:
    """Pre-war population shares of N zones; :meth:`to_dict` is the JSON contract."""

    basis: str
    date: str
    note: str
    zones: tuple[ZonePopulation, ...]
    total_2017: int
    total_2023: int
    methods: tuple[tuple[str, str], ...]
    datasets: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def zone(self, zone_id: str) -> ZonePopulation:
        """The figures of one zone, by id."""
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise KeyError(zone_id)

    def to_dict(self) -> dict[str, Any]:
        """``{basis, date, note, zones: [...], totals, methods, datasets, warnings}``."""
        return {
            "basis": self.basis, "date": self.date, "note": self.note,
            "zones": [z.to_dict() for z in self.zones],
            "totals": {"census_2017": self.total_2017, "mid_2023": self.total_2023},
            "methods": [{"method": m, "description": d} for m, d in self.methods],
            "datasets": list(self.datasets),
            "warnings": list(self.warnings),
        }


def _check_zones(zones: Sequence[tuple[str, shapely.Geometry]]) -> None:
    if not zones:
        raise InputError("no zone was given", source="zones",
                         fix="give (id, polygon) pairs, e.g. [('east', e), ('west', w)]")
    ids = [z[0] for z in zones]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(f"zone id(s) {', '.join(map(repr, dup))} given twice", source="zones",
                         fix="give every zone its own id")
    for zid, geom in zones:
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            got = "None" if geom is None else geom.geom_type
            raise InputError(f"zone {zid!r} is a {got}, not a polygon", source="zones",
                             fix="give each zone as a lon/lat Polygon or MultiPolygon")


class _Locator:
    """Which zone holds a point: the first that covers it, else the nearest within reach."""

    def __init__(self, zones: Sequence[tuple[str, shapely.Geometry]]):
        self.ids = [z[0] for z in zones]
        self.geoms = [z[1] for z in zones]
        for g in self.geoms:
            shapely.prepare(g)

    @cached_property
    def planar(self) -> list[shapely.Geometry]:
        """The zones in the local CRS, for the rare point that no zone covers."""
        return [to_laea(g) for g in self.geoms]

    def zone_of(self, point: shapely.Point) -> tuple[int | None, float]:
        """(zone index or None, distance in m to it: 0 when inside)."""
        for i, g in enumerate(self.geoms):
            if g.covers(point):
                return i, 0.0
        p = to_laea(point)
        d = [float(g.distance(p)) for g in self.planar]
        i = int(np.argmin(d))
        return (i, d[i]) if d[i] <= NEAREST_MAX_M else (None, d[i])


def _spread(pieces: Sequence[tuple[float, shapely.Geometry]],
            zones: Sequence[tuple[str, shapely.Geometry]],
            ) -> tuple[np.ndarray[Any, Any], list[bool]]:
    """Spread each (population, polygon) evenly over the polygon's geodesic area in the zones.

    Returns the population per zone, and per piece whether it was spread (False when the
    polygon misses every zone: its people are not in the result).
    """
    out = np.zeros(len(zones))
    spread = []
    for _, g in zones:
        shapely.prepare(g)
    for pop, poly in pieces:
        # most polygons lie in one zone: measure the whole polygon, cut only the others
        # (shapely's functions, not methods: they release the GIL, see geo._beside; the
        # prepared zone goes first)
        inside = next((k for k, (_, g) in enumerate(zones) if shapely.contains(g, poly)),
                      None)
        if inside is not None:
            parts = np.zeros(len(zones))
            parts[inside] = geodesic_area_m2(poly)
        else:
            parts = np.array([geodesic_area_m2(shapely.intersection(poly, g))
                              if shapely.intersects(g, poly) else 0.0 for _, g in zones])
        ok = bool(parts.sum() > 0)
        if ok and pop > 0:
            out += pop * parts / parts.sum()
        spread.append(ok)
    return out, spread


def _shares(counts: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    total = counts.sum()
    return 100 * counts / total if total > 0 else np.zeros_like(counts)


def population_shares(
    zones: Sequence[tuple[str, shapely.Geometry]],
    *,
    communities: Sequence[Feature] | None = None,
    municipalities: Sequence[Feature] | None = None,
    governorates: Sequence[Feature] | None = None,
) -> PopulationFigures:
    """Pre-war population of each zone by three methods, with their range.

    Parameters
    ----------
    zones : sequence of (id, lon/lat polygon)
        The zones of a partition in order (``east``, ``between-1`` ..., ``west``); they
        should cover the outline without overlap. A point on a shared edge counts in the
        first zone that covers it.
    communities : features, optional
        Points with ``pop2017`` and ``name`` (default: the packaged PCBS 2017 census).
        A community without a population is left out, with a warning.
    municipalities : features, optional
        Polygons with ``name`` (default: the packaged OSM municipalities).
    governorates : features, optional
        Polygons with ``name`` and ``population_mid_2023`` (default: the packaged PCBS
        mid-2023 figures on the derived governorates).

    Returns
    -------
    PopulationFigures
        Per zone the mean share, the range of the methods and each method's figure.

    Raises
    ------
    InputError
        When ``zones`` is empty, has a repeated id or a zone that is not a polygon.
    """
    _check_zones(zones)
    cat = packaged_catalog()
    comms = list(communities if communities is not None else cat.get(COMMUNITIES).features())
    munis = list(municipalities if municipalities is not None
                 else cat.get(MUNICIPALITIES).features())
    govs = list(governorates if governorates is not None
                else cat.get(GOVERNORATE_POPULATION).features())
    warnings: list[str] = []
    by_points, counted = _by_points(comms, munis, _Locator(zones), warnings,
                                    packaged=communities is None)
    by_muni = _by_municipality(counted, munis, zones, warnings)
    by_gov, total_2023 = _by_governorate(govs, zones, warnings)
    methods = (("community-points", by_points, 2017),
               ("community-municipality", by_muni, 2017),
               ("governorate-area", by_gov, 2023))
    datasets = tuple(ref for ref, given in ((COMMUNITIES, communities),
                                            (MUNICIPALITIES, municipalities),
                                            (GOVERNORATE_POPULATION, governorates))
                     if given is None)
    return PopulationFigures(
        basis=BASIS, date=DATE, note=NOTE, zones=_zone_figures(zones, methods, total_2023),
        total_2017=round(sum(c[1] for c in counted)), total_2023=total_2023,
        methods=tuple(METHODS.items()), datasets=datasets, warnings=tuple(warnings))


_Counted = tuple[str, float, int, int | None]  # name, pop, zone, municipality


def _by_points(comms: Sequence[Feature], munis: Sequence[Feature], loc: _Locator,
               warnings: list[str], *, packaged: bool
               ) -> tuple[np.ndarray[Any, Any], list[_Counted]]:
    """(a) Each community wholly in the zone that holds its point; the communities counted."""
    by_points = np.zeros(len(loc.ids))
    counted: list[_Counted] = []
    tree = shapely.STRtree([m.geometry for m in munis])
    for f in comms:
        pop = f.properties.get("pop2017")
        name = str(f.properties.get("name", "?"))
        if pop is None or not float(pop) > 0:
            # in the packaged data (As Siafa) a fact stated in its catalog notes (shown by
            # `gazamap datasets`), not a warning of every run; in a caller's, a warning
            if not packaged:
                warnings.append(f"community {name!r} has no 2017 population in the "
                                "source: left out")
            continue
        i, dist = loc.zone_of(f.geometry)
        if i is None:
            warnings.append(f"community {name!r} is {dist:.0f} m from the nearest zone: "
                            "left out")
            continue
        if dist > 0:
            warnings.append(f"community {name!r} lies {dist:.0f} m outside the zones: "
                            f"counted in the nearest ({loc.ids[i]})")
        by_points[i] += float(pop)
        counted.append((name, float(pop), i, _municipality_of(f.geometry, munis, tree)))
    return by_points, counted


def _by_municipality(counted: Sequence[_Counted], munis: Sequence[Feature],
                     zones: Sequence[tuple[str, shapely.Geometry]],
                     warnings: list[str]) -> np.ndarray[Any, Any]:
    """(b) Each municipality's communities spread evenly over the municipality."""
    muni_pop = [0.0] * len(munis)
    for _, pop, _, j in counted:
        if j is not None:
            muni_pop[j] += pop
    by_muni, spread = _spread(
        [(p, m.geometry) for p, m in zip(muni_pop, munis, strict=True)], zones)
    for name, pop, i, j in counted:  # no usable municipality: the person stays at the point
        if j is None or not spread[j]:
            by_muni[i] += pop
            warnings.append(f"community {name!r} lies in no municipality within the zones: "
                            "counted at its point by the community-municipality method")
    return by_muni


def _by_governorate(govs: Sequence[Feature], zones: Sequence[tuple[str, shapely.Geometry]],
                    warnings: list[str]) -> tuple[np.ndarray[Any, Any], int]:
    """(c) Each governorate's mid-2023 population spread over it; and the 2023 total."""
    gov_pop = [float(g.properties.get("population_mid_2023") or 0) for g in govs]
    by_gov, gov_spread = _spread(
        [(p, g.geometry) for p, g in zip(gov_pop, govs, strict=True)], zones)
    for g, ok, pop in zip(govs, gov_spread, gov_pop, strict=True):
        if not ok and pop > 0:
            warnings.append(f"governorate {g.properties.get('name')!r} lies outside every "
                            f"zone: its {pop:,.0f} people are left out of the "
                            "governorate-area method")
    return by_gov, round(sum(gov_pop))


def _zone_figures(zones: Sequence[tuple[str, shapely.Geometry]],
                  methods: Sequence[tuple[str, np.ndarray[Any, Any], int]],
                  total_2023: int) -> tuple[ZonePopulation, ...]:
    """Each zone's three estimates, their mean (the figure) and range (the interval)."""
    shares = {m: _shares(c) for m, c, _ in methods}
    out = []
    for k, (zid, _) in enumerate(zones):
        ests = tuple(Estimate(m, float(shares[m][k]), float(c[k]), year)
                     for m, c, year in methods)
        vals = [e.share_pct for e in ests]
        central = float(np.mean(vals))
        out.append(ZonePopulation(id=zid, population=round(central / 100 * total_2023),
                                  share_pct=central, share_pct_low=min(vals),
                                  share_pct_high=max(vals), estimates=ests))
    return tuple(out)


def _municipality_of(point: shapely.Geometry, munis: Sequence[Feature],
                     tree: shapely.STRtree) -> int | None:
    """The first municipality that covers the point, else the nearest within NEAREST_MAX_M.

    ``tree`` holds the municipalities' geometries in their order.
    """
    # the tree tests only the municipalities whose box holds the point (was: one by one
    # until one covered it, 491 tests for the packaged communities, 12 ms)
    hits = tree.query(point, predicate="covered_by")
    if len(hits):
        return int(hits.min())
    if not munis:
        return None
    p = to_laea(point)
    d = [float(to_laea(m.geometry).distance(p)) for m in munis]
    j = int(np.argmin(d))
    return j if d[j] <= NEAREST_MAX_M else None
