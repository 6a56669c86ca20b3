"""What an analysis is: the zones, their figures and where every figure came from.

An :class:`Analysis` is frozen, typed and computed once (by :func:`geo.analysis.analyse`,
in :mod:`geo.analysis.pipeline`). Tables, JSON, layers, maps, the report, claims and
exports read it; none of them recomputes a figure. The parts not every reader shows
(governorates, alternatives, outline sensitivity, population) are computed on first access
(:mod:`geo.analysis.parts`), and so are each zone's border lengths
(:class:`geo.analysis.bands.ZoneEdges`). Counting a layer in the zones is :mod:`geo.count`'s
(``gazamap.count``), not the analysis's: the analysis imports no reader of user layers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import mapping

from geo.analysis.request import Request
from geo.analysis.uncertainty import LineUncertainty
from geo.read.sources import Source

if TYPE_CHECKING:  # pragma: no cover - annotations only: the parts import this module
    from geo.analysis.bands import Bands, ZoneEdges
    from geo.analysis.outlines import OutlineFigures
    from geo.analysis.parts import Parts
    from geo.analysis.population import PopulationFigures
    from geo.geometry.borders import Borders
    from geo.geometry.partition import Partition

__all__ = ["Alternative", "Analysis", "AnalysisMethod", "GovernorateFigures", "Interval",
           "LineResult", "Pond", "Provenance", "Zone", "ZoneShare",
           "denominator_key"]


def denominator_key(km2: float) -> str:
    """How a denominator (km²) is named in ``shares_of`` and the JSON: ``365``, ``363.2``."""
    return f"{km2:g}"


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[low, high]`` of one figure and how it was computed."""

    low: float
    high: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"low": self.low, "high": self.high, "method": self.method}


@dataclass(frozen=True)
class ZoneShare:
    """A zone's area and share within something (the outline, a governorate)."""

    area_km2: float
    share_pct: float
    interval: Interval | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (``share_pct_low``/``high`` are null without an interval)."""
        return {"area_km2": self.area_km2, "share_pct": self.share_pct,
                "share_pct_low": self.interval.low if self.interval else None,
                "share_pct_high": self.interval.high if self.interval else None}


@dataclass(frozen=True)
class Zone:
    """One zone of the partition (lon/lat geometry) with its figures.

    ``interval`` is the share interval (% of the outline) from moving the zone's own
    lines by ± their positional uncertainty, or ``None`` when one of them has none.
    ``borders_km`` gives the length of the zone's edge along Israel, Egypt and the sea;
    ``borders_km_interval`` the same under the line's ± uncertainty.
    """

    id: str
    label: str
    geometry: shapely.Geometry = field(repr=False)
    area_km2: float
    area_km2_planar: float
    share_pct: float
    interval: Interval | None
    shares_of: Mapping[str, float]
    # what the border lengths are measured from, when first read (lazy, like the parts)
    edges: ZoneEdges = field(repr=False, compare=False)

    @property
    def borders_km(self) -> Mapping[str, float]:
        """Length in km of the zone's edge along Israel, Egypt and the sea (lazy)."""
        return self.edges.km

    @property
    def borders_km_interval(self) -> Mapping[str, tuple[float, float]] | None:
        """``borders_km`` under the lines' ± uncertainty, ``(low, high)`` (lazy)."""
        return self.edges.km_interval

    @property
    def shares_border(self) -> Mapping[str, bool]:
        """Whether the zone shares each border (more than 5 m of it; lazy)."""
        return self.edges.shares

    def share_of(self, km2: float) -> float | None:
        """The zone's share (%) of a total of ``km2`` km², None when it was not asked for.

        >>> import geo
        >>> round(geo.analyse().zone("east").share_of(365), 1)
        53.9
        """
        return self.shares_of.get(denominator_key(km2))

    @property
    def area_km2_interval(self) -> tuple[float, float] | None:
        """``(low, high)`` area in km² matching :attr:`interval`, or None."""
        if self.interval is None or self.share_pct == 0:
            return None
        scale = self.area_km2 / self.share_pct
        return (self.interval.low * scale, self.interval.high * scale)

    def properties(self) -> dict[str, Any]:
        """The figures as flat properties (GeoJSON, GeoDataFrame columns)."""
        return {"id": self.id, "label": self.label, "area_km2": self.area_km2,
                "share_pct": self.share_pct,
                "share_pct_low": self.interval.low if self.interval else None,
                "share_pct_high": self.interval.high if self.interval else None}

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Feature", "geometry": mapping(self.geometry),
                "properties": self.properties()}

    def to_dict(self) -> dict[str, Any]:
        """The zone's row of the JSON contract (no geometry)."""
        return {
            "id": self.id, "label": self.label,
            "area_km2": self.area_km2, "area_km2_planar": self.area_km2_planar,
            "share_pct": self.share_pct,
            "share_pct_low": self.interval.low if self.interval else None,
            "share_pct_high": self.interval.high if self.interval else None,
            "interval": self.interval.to_dict() if self.interval else None,
            "share_pct_of": dict(self.shares_of),
            "borders_km": dict(self.borders_km),
            "borders_km_interval": ({k: list(v) for k, v in self.borders_km_interval.items()}
                                    if self.borders_km_interval else None),
            "shares_border": dict(self.shares_border),
        }


@dataclass(frozen=True)
class GovernorateFigures:
    """One governorate's area and how it falls into the zones (shares of the governorate)."""

    name: str
    name_ar: str
    area_km2: float
    area_km2_published: float | None
    zones: Mapping[str, ZoneShare]

    def to_dict(self) -> dict[str, Any]:
        """The governorate's row of the JSON contract."""
        return {"name": self.name, "name_ar": self.name_ar, "area_km2": self.area_km2,
                "area_km2_published": self.area_km2_published,
                "zones": {k: z.to_dict() for k, z in self.zones.items()}}


@dataclass(frozen=True)
class LineResult:
    """One dividing line as used: where it came from, its uncertainty and its repairs."""

    source: Source
    geometry: shapely.Geometry | None = field(repr=False)
    method: str  # "line" | "zone-polygon"
    uncertainty_m: float | None  # the larger side of `uncertainty`
    uncertainty_from: str  # "request" | "catalog" | "none"
    repairs: tuple[str, ...] = ()
    # how far the true line may lie toward Israel and toward the coast (None: not stated)
    uncertainty: LineUncertainty | None = None

    @cached_property
    def length_km(self) -> float | None:
        """The line's geodesic length as used (ends joined to the outline), km."""
        from geo.geometry.measure import geodesic_length_m

        return None if self.geometry is None else geodesic_length_m(self.geometry) / 1000

    @property
    def uncertainty_words(self) -> str:
        """``±300 m``, ``100 m toward Israel, 520 m toward the coast`` or ``not stated``."""
        return self.uncertainty.words if self.uncertainty is not None else "not stated"

    @property
    def ref(self) -> str:
        """``id@version`` or the file's name."""
        return self.source.ref

    @property
    def words(self) -> str:
        """The line in words (a dataset's title, else its file name)."""
        if self.source.dataset is not None and self.source.markers is None:
            return self.source.dataset.title
        return f"{self.ref} (markers)" if self.source.markers is not None else self.ref

    def to_dict(self) -> dict[str, Any]:
        """The ``line`` object of the JSON contract."""
        return {**self.source.describe(),
                "uncertainty_m": (self.uncertainty.to_json() if self.uncertainty is not None
                                  else None),
                "method": self.method, "repairs": list(self.repairs)}


@dataclass(frozen=True)
class Alternative:
    """The same zones by another method (the digitised zone polygon)."""

    method: str
    dataset: str
    zones: tuple[tuple[str, ZoneShare], ...]
    polygon_area_km2: float
    polygon_share_pct_of: Mapping[str, float]
    difference_km2: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """The alternative's entry of the JSON contract."""
        return {"method": self.method, "dataset": self.dataset,
                "zones": [{"id": zid, **z.to_dict()} for zid, z in self.zones],
                "polygon_area_km2": self.polygon_area_km2,
                "polygon_share_pct_of": dict(self.polygon_share_pct_of),
                "difference_km2": self.difference_km2, "explanation": self.explanation}


@dataclass(frozen=True)
class Provenance:
    """Every dataset behind the figures, the method in words and the software used."""

    datasets: tuple[str, ...]
    method: AnalysisMethod
    software: Mapping[str, str]


@dataclass(frozen=True)
class Analysis:
    """The partition of an outline by ordered lines, measured once.

    Zones are ordered from the Israel border westward (``east``, ``between-k``,
    ``west``). ``notes`` are repairs and choices made (an end joined to the outline, an
    outlier marker left out); ``warnings`` are results that are computable but doubtful.
    """

    request: Request
    boundary: Source = field(repr=False)
    boundary_area_km2: float
    boundary_area_km2_planar: float
    lines: tuple[LineResult, ...]
    zones: tuple[Zone, ...]
    provenance: Provenance
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    partition: Partition = field(repr=False)
    borders: Borders = field(repr=False)
    bands: tuple[Bands | None, ...] = field(default=(), repr=False)
    # how to compute the parts not every reader shows, on first access (see below)
    parts: Parts | None = field(default=None, repr=False, compare=False)

    # -- the lazy parts: computed when a reader asks, once ------------------------------
    # (a part the request switched off is empty; to_dict() asks for every part)

    @cached_property
    def governorates(self) -> tuple[GovernorateFigures, ...]:
        """Each governorate's area in each zone, with intervals (lazy)."""
        return self.parts.governorates() if self.parts else ()

    @cached_property
    def alternatives(self) -> tuple[Alternative, ...]:
        """The zone-polygon method's figures beside the line's, where a polygon exists."""
        return self.parts.alternatives() if self.parts else ()

    @cached_property
    def outlines(self) -> tuple[OutlineFigures, ...]:
        """The same lines on every packaged outline (outline sensitivity; lazy)."""
        return self.parts.outlines() if self.parts else ()

    @cached_property
    def population(self) -> PopulationFigures | None:
        """Pre-war population shares of the zones by three methods (lazy)."""
        return self.parts.population() if self.parts else None

    @property
    def part_notes(self) -> tuple[str, ...]:
        """Notes and warnings of the lazy parts computed so far (all, after to_dict())."""
        out: list[str] = []
        if "outlines" in self.__dict__ and self.parts is not None:
            out += self.parts.outline_notes
        if self.__dict__.get("population") is not None:
            out += list(self.population.warnings)  # type: ignore[union-attr]
        return tuple(out)

    def compute_parts(self) -> None:
        """Compute every lazy part not computed yet: what :meth:`to_dict` shows.

        On two cores the outline sensitivity and the population (and, when the population
        was started with the measurement, the alternative) run on a second thread beside
        the others (:meth:`geo.analysis.parts.Parts.beside`); the figures, the notes and
        their order are those of computing one part after the other.
        """
        o, p, a = (name not in self.__dict__ for name in ("outlines", "population",
                                                          "alternatives"))
        started = self.parts.beside(outlines=o, population=p, alternatives=a) if (
            self.parts is not None and (o or p)) else None
        try:
            for z in self.zones:
                _ = z.borders_km_interval, z.borders_km
            _ = self.governorates
            if started is None or not started.alternatives:
                _ = self.alternatives
        except BaseException:
            if started is not None:
                started.wait()  # no thread outlives a failed call
            raise
        if started is not None:
            alternatives, outlines, population = started.join()
            if started.alternatives:  # kept as the cached properties keep them
                self.__dict__["alternatives"] = alternatives
            if o:
                self.__dict__["outlines"] = outlines
            if p:
                self.__dict__["population"] = population
        _ = self.alternatives, self.outlines, self.population

    def all_notes(self) -> tuple[str, ...]:
        """Every note and warning, those of every lazy part included: JSON's ``warnings``.

        Computes the lazy parts that may note something (outlines, population).
        """
        _ = self.outlines, self.population
        return (*self.notes, *self.warnings, *self.part_notes)

    def zone(self, zone_id: str) -> Zone:
        """The zone ``zone_id`` (``east``, ``between-1``, ..., ``west``).

        Raises
        ------
        KeyError
            Naming the zones that exist.
        """
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise KeyError(f"no zone {zone_id!r}; the zones are "
                       f"{', '.join(z.id for z in self.zones)}")

    @property
    def zone_ids(self) -> tuple[str, ...]:
        """The zone ids in order from the Israel border westward."""
        return tuple(z.id for z in self.zones)

    @property
    def method(self) -> AnalysisMethod:
        """The method in words (also in :attr:`provenance`)."""
        return self.provenance.method

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "FeatureCollection",
                "features": [z.__geo_interface__ for z in self.zones]}

    def line_band(self, i: int) -> shapely.Geometry:
        """The land line ``i`` may lie on within its uncertainty (lon/lat), as a map draws it.

        A one-sided uncertainty gives the land each side sweeps (the intervals' bands); a
        symmetric one a buffer of ±u around the line
        (:func:`geo.analysis.bands.uncertainty_band`) clipped to the outline. Empty
        without a stated uncertainty.
        """
        from geo.analysis.bands import uncertainty_band

        ln = self.lines[i]
        b = self.bands[i] if i < len(self.bands) else None
        if b is not None and ln.uncertainty is not None and not ln.uncertainty.symmetric:
            return shapely.union_all(list(b.lonlat))
        return uncertainty_band(ln.geometry, ln.uncertainty_m or 0.0, self.partition.boundary)

    @cached_property
    def ponds(self) -> tuple[Pond, ...]:
        """The holes of the outline (inland ponds: water, not part of its area), measured."""
        from geo.geometry.measure import geodesic_area_m2

        holes = [shapely.Polygon(r) for p in shapely.get_parts(self.partition.boundary)
                 if p.geom_type == "Polygon" for r in p.interiors]
        return tuple(Pond(h, geodesic_area_m2(h) / 1e6) for h in holes)

    def swept_bands(self) -> tuple[tuple[shapely.Geometry, str, str], ...]:
        """Per line with an uncertainty: (land it sweeps at ±u, zone east of it, zone west).

        The same bands as the zones' intervals (lon/lat): one interval mechanism for the
        areas, the counts and the claims.
        """
        out = []
        for i, b in enumerate(self.bands):
            if b is None:
                continue
            land = shapely.union_all(list(b.lonlat))
            out.append((land, self.zones[i].id, self.zones[i + 1].id))
        return tuple(out)

    def to_geodataframe(self) -> Any:
        """The zones as a GeoDataFrame in EPSG:4326 with their figures and provenance."""
        import geopandas as gpd

        rows = [{**z.properties(), "datasets": ", ".join(self.provenance.datasets),
                 "method": self.provenance.method.area} for z in self.zones]
        return gpd.GeoDataFrame(rows, geometry=[z.geometry for z in self.zones],
                                crs="EPSG:4326")

    @cached_property
    def _dict(self) -> dict[str, Any]:
        self.compute_parts()
        first = self.lines[0]
        out: dict[str, Any] = {
            "boundary": {**self.boundary.describe(), "area_km2": self.boundary_area_km2},
            "line": first.to_dict(),
            "lines": [ln.to_dict() for ln in self.lines],
            "method": self.provenance.method.to_dict(),
            "zones": [z.to_dict() for z in self.zones],
            "governorates": [g.to_dict() for g in self.governorates],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "outlines": [o.to_dict() for o in self.outlines],
            "population": self.population.to_dict() if self.population else None,
            "provenance": {"datasets": list(self.provenance.datasets),
                           "software": dict(self.provenance.software)},
            "notes": list(self.notes),
            "warnings": list(self.all_notes()),
        }
        return out

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON contract (numbers unrounded; see README).

        Intervals that were not computed are ``null``, never a degenerate low == high.
        """
        import copy

        return copy.deepcopy(self._dict)


@dataclass(frozen=True)
class Pond:
    """A hole of the outline: an inland pond, water that is not part of the outline's area."""

    geometry: shapely.Geometry = field(repr=False)
    area_km2: float


@dataclass(frozen=True)
class AnalysisMethod:
    """How an analysis measured: the words of the ``method`` object of the JSON contract."""

    area: str
    ellipsoid: str
    densify_deg: float
    split_crs: str
    split: str
    east_zone: str
    zones: str
    borders: str
    cross_check_crs: str
    planar_area_km2: float  # the outline's area in the local equal-area CRS
    relative_difference: float  # (planar - geodesic) / geodesic
    uncertainty: str  # how the intervals were computed
    snap_tolerance_m: float
    denominators_km2: tuple[float, ...]
    borders_dataset: str
    governorates_dataset: str

    def to_dict(self) -> dict[str, Any]:
        """The ``method`` object of the JSON contract."""
        return {
            "area": self.area, "ellipsoid": self.ellipsoid, "densify_deg": self.densify_deg,
            "split_crs": self.split_crs, "split": self.split, "east_zone": self.east_zone,
            "zones": self.zones, "borders": self.borders,
            "cross_check": {"crs": self.cross_check_crs,
                            "boundary_area_km2": self.planar_area_km2,
                            "relative_difference": self.relative_difference},
            "uncertainty": self.uncertainty, "snap_tolerance_m": self.snap_tolerance_m,
            "denominators_km2": list(self.denominators_km2),
            "reference_datasets": {"borders": self.borders_dataset,
                                   "governorates": self.governorates_dataset},
        }
