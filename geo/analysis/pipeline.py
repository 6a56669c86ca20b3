"""One request, one analysis: the zones, their figures and where every figure came from.

:func:`analyse` resolves a :class:`~geo.analysis.request.Request` once (the boundary, every line,
the reference datasets), splits the outline into ordered zones and measures them. The
result is an :class:`Analysis`: frozen, typed, computed once. Tables, JSON, layers, maps,
the report, claims and exports read it; none of them recomputes a figure.

Example
-------
>>> import geo
>>> a = geo.analyse()                      # the packaged outline and the 19 Oct 2025 line
>>> [z.id for z in a.zones]
['east', 'west']
>>> round(sum(z.area_km2 for z in a.zones) - a.boundary_area_km2, 9)
0.0
>>> east = a.zone("east")
>>> east.interval is not None and east.interval.low < east.share_pct < east.interval.high
True
"""

from __future__ import annotations

import platform
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import shapely
from shapely import LineString, Point
from shapely.geometry import mapping

from geo.analysis.borders import (
    BORDER_KINDS,
    SHARES_BORDER_MIN_M,
    TRIPOINT_RULE,
    Borders,
    shared_lengths_km,
)
from geo.analysis.outlines import PACKAGED_OUTLINES, OutlineFigures, OutlineZone, figures_of
from geo.analysis.population import (
    COMMUNITIES,
    GOVERNORATE_POPULATION,
    MUNICIPALITIES,
    PopulationFigures,
    population_shares,
)
from geo.analysis.request import LineSpec, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import packaged_catalog
from geo.errors import GazamapNote, GazamapWarning, InputError, PartitionError
from geo.geometry.crs import DENSIFY_DEG, LAEA_GAZA, from_laea, to_laea
from geo.geometry.measure import ELLIPSOID, geodesic_area_m2, geodesic_length_m, planar_area_m2
from geo.geometry.partition import (
    Partition,
    partition_by_lines,
    partition_by_zone_polygon,
)
from geo.geometry.snap import ALONG_FACTOR, ALONG_SLACK_M, DIRECTION_BASE_M, exterior_rings
from geo.read.sources import (
    GOVERNORATES,
    NEIGHBOURS,
    Source,
    borders_for,
    governorates,
    layer_input,
    looks_like_path,
    resolve,
    resolve_markers,
)

__all__ = [
    "CONVENTIONAL_DENOMINATORS_KM2",
    "CROSS_CHECK_MAX_REL",
    "Alternative",
    "Analysis",
    "GovernorateFigures",
    "Interval",
    "LineResult",
    "Provenance",
    "Zone",
    "ZoneShare",
    "analyse",
    "analyse_quietly",
]

# 365 km² is the figure most media use (PCBS table 676: 60.9 + 74.6 + 56.7 + 109.7 + 63.1);
# 360 km² is the sum of Wikipedia's governorate areas (61 + 70 + 56 + 108 + 65).
CONVENTIONAL_DENOMINATORS_KM2 = (365.0, 360.0)
CROSS_CHECK_MAX_REL = 1e-4  # geodesic vs local equal-area must agree to 0.01 %
# The zone polygon's dividing edge is its boundary farther than this from the outline's
# exterior: its border edges were drawn on another dataset's border and stray up to
# 422 m from the OSM outline (catalog), so nearer edges are borders, not the line.
ZONE_EDGE_CLEARANCE_M = 450.0
_TOUCH_M = 0.5


def _key(km2: float) -> str:
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
    borders_km: Mapping[str, float]
    borders_km_interval: Mapping[str, tuple[float, float]] | None
    shares_border: Mapping[str, bool]

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
    method: Mapping[str, Any]
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
    bands: tuple[_Bands | None, ...] = field(default=(), repr=False)
    # how to compute the parts not every reader shows, on first access (see below)
    parts: _Parts | None = field(default=None, repr=False, compare=False)

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
    def method(self) -> Mapping[str, Any]:
        """The method in words (also in :attr:`provenance`)."""
        return self.provenance.method

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "FeatureCollection",
                "features": [z.__geo_interface__ for z in self.zones]}

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

    def count(self, layer: str, *, sum_fields: Sequence[str] = (), split_area: bool = False,
              read_options: Mapping[str, Any] | None = None, **engine: Any) -> Any:
        """What of a layer (points, or polygons by representative point) lies in each zone.

        Returns a :class:`geo.count.LayerCount` (counts with their ±u interval, sums of
        ``sum_fields``, per governorate, outside); ``split_area`` gives each polygon's area
        in each zone instead. ``engine`` takes :func:`geo.count.count_layer`'s ``engine``,
        ``workers``, ``scheduler`` and ``labels``.
        """
        from dataclasses import replace as _replace

        from geo.count import count_layer, zone_set_from_analysis

        li = layer_input(layer, self.request.catalog,
                         **dict(read_options or self.request.read.kwargs()))
        result = count_layer(li.path, zone_set_from_analysis(self), sum_fields=sum_fields,
                             split_area=split_area, read_options=li.read, **engine)
        if li.dataset is not None:  # name the dataset, not the packaged file
            result = _replace(result, layer={**result.layer, "dataset": li.name})
        return result

    def tag(self, gdf: Any) -> Any:
        """The GeoDataFrame with ``zone``, ``governorate`` and ``in_band`` columns."""
        from geo.count import zone_set_from_analysis
        from geo.count.tag import tag_frame

        return tag_frame(gdf, zone_set_from_analysis(self))

    def to_geodataframe(self) -> Any:
        """The zones as a GeoDataFrame in EPSG:4326 with their figures and provenance."""
        import geopandas as gpd

        rows = [{**z.properties(), "datasets": ", ".join(self.provenance.datasets),
                 "method": self.provenance.method["area"]} for z in self.zones]
        return gpd.GeoDataFrame(rows, geometry=[z.geometry for z in self.zones],
                                crs="EPSG:4326")

    @cached_property
    def _dict(self) -> dict[str, Any]:
        first = self.lines[0]
        out: dict[str, Any] = {
            "boundary": {**self.boundary.describe(), "area_km2": self.boundary_area_km2},
            "line": first.to_dict(),
            "lines": [ln.to_dict() for ln in self.lines],
            "method": dict(self.provenance.method),
            "zones": [z.to_dict() for z in self.zones],
            "governorates": [g.to_dict() for g in self.governorates],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "outlines": [o.to_dict() for o in self.outlines],
            "population": self.population.to_dict() if self.population else None,
            "provenance": {"datasets": list(self.provenance.datasets),
                           "software": dict(self.provenance.software)},
            "notes": list(self.notes),
            "warnings": [*self.notes, *self.warnings, *self.part_notes],
        }
        return out

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON contract (numbers unrounded; see README).

        Intervals that were not computed are ``null``, never a degenerate low == high.
        """
        import copy

        return copy.deepcopy(self._dict)


# --------------------------------------------------------------------------- analyse


def _resolve_line(spec: LineSpec, request: Request) -> Source:
    if spec.source is not None:
        return spec.source
    read_kw = request.read.kwargs()
    if spec.from_markers:
        return resolve_markers(spec.ref, request.catalog, outlier_m=request.outlier_m,
                               **read_kw)
    return resolve(spec.ref, "line", request.catalog, outlier_m=request.outlier_m, **read_kw)


def _uncertainty(spec: LineSpec, src: Source) -> tuple[LineUncertainty | None, str]:
    if spec.uncertainty_m is not None:
        return LineUncertainty.of(spec.uncertainty_m), "request"
    if src.dataset is not None and src.dataset.uncertainty_m > 0:
        return src.dataset.line_uncertainty, "catalog"
    if src.dataset is None and src.uncertainty_m > 0:
        return LineUncertainty.of(src.uncertainty_m), "source"
    return None, "none"


def _packaged(src: Source) -> bool:
    """Whether ``src`` is a packaged dataset (not a user's file or data-dir entry)."""
    return src.dataset is not None and src.dataset.origin == "packaged"


def _is_polygon(src: Source) -> bool:
    return src.geometry.geom_type in ("Polygon", "MultiPolygon")


def _controlled(request: Request, first: Source) -> tuple[tuple[float, float] | None, str]:
    if request.controlled_at is not None:
        lon, lat = request.controlled_at
        return (float(lon), float(lat)), "controlled_at"
    ds = first.dataset
    if ds is not None and len(ds.controlled_point) == 2:
        return (ds.controlled_point[0], ds.controlled_point[1]), \
            f"the catalog entry of {ds.ref}"
    return None, ""


def analyse(request: Request | None = None, **kwargs: Any) -> Analysis:
    """Resolve a request once, split the outline into zones and measure everything.

    Parameters
    ----------
    request : Request, optional
        What to analyse; or give its fields as keywords (``Request.of``): ``boundary``,
        ``line`` or ``lines``, ``markers``, ``uncertainty_m``, ``denominators_km2``,
        ``snap_tolerance_m``, ``controlled_at``, ``data_dirs``, read options.

    Raises
    ------
    geo.errors.InputError
        A parameter out of range (naming it), an unreadable input, or lines that do not
        divide the outline (:class:`~geo.errors.PartitionError`).
    """
    if request is None:
        request = Request.of(**kwargs)
    elif kwargs:
        raise InputError("give a Request or keywords, not both", source="request",
                         fix="put the keywords into the Request")
    analysis = analyse_quietly(request)
    for text in analysis.notes:
        warnings.warn(text, GazamapNote, stacklevel=2)
    for text in analysis.warnings:
        warnings.warn(text, GazamapWarning, stacklevel=2)
    return analysis


def analyse_quietly(request: Request) -> Analysis:
    """:func:`analyse` without issuing the notes and warnings (they stay in the result)."""
    request = request.checked()
    boundary = (request.boundary if isinstance(request.boundary, Source) else
                resolve(request.boundary, "boundary", request.catalog, **request.read.kwargs()))
    sources = [_resolve_line(s, request) for s in request.lines]
    polygons = [s for s in sources if _is_polygon(s)]
    if polygons and len(sources) > 1:
        raise PartitionError(
            "a zone polygon cannot be combined with other lines", source=polygons[0].label,
            fix="give the zone polygon alone, or lines only")
    borders = borders_for(boundary.geometry)
    uncert = [_uncertainty(spec, src) for spec, src in zip(request.lines, sources, strict=True)]
    notes: list[str] = []
    # sources are named by file name or dataset id: notes end up in published outputs
    labels = [f"{s.ref} (markers)" if s.markers is not None else s.ref for s in sources]
    for src, label in zip(sources, labels, strict=True):
        if src.markers is not None:
            notes += [f"{label}: {n}" for n in src.markers.notes]
    if polygons:
        part = partition_by_zone_polygon(boundary.geometry, sources[0].geometry,
                                         source=labels[0])
    else:
        point, where = _controlled(request, sources[0])
        part = partition_by_lines(boundary.geometry, [s.geometry for s in sources], borders,
                                  snap_tolerance_m=request.snap_tolerance_m,
                                  sources=[s.label for s in sources],
                                  controlled_at=point, controlled_label=where,
                                  allow_sliver=request.allow_sliver)
    for src, label, snaps in zip(sources, labels, part.snaps, strict=False):
        if _packaged(src) and _packaged(boundary):
            # a repair of the packaged data on the packaged outline: the user cannot change
            # it, so it is stated once, in the catalog notes and the line's repairs, not
            # issued on every run
            continue
        notes += [f"{label}: {s.note()}" for s in snaps]
    notes += list(part.notes)
    return _measure(request, boundary, sources, uncert, part, borders, notes)


def _line_results(sources: Sequence[Source],
                  uncert: Sequence[tuple[LineUncertainty | None, str]],
                  part: Partition) -> tuple[LineResult, ...]:
    out = []
    for i, (src, (u, how)) in enumerate(zip(sources, uncert, strict=True)):
        geom = part.lines[i] if part.lines else None
        repairs = tuple(s.note() for s in part.snaps[i]) if part.snaps else ()
        if src.markers is not None:
            repairs = (*src.markers.notes, *repairs)
        out.append(LineResult(src, geom, part.method, None if u is None else u.max_m, how,
                              repairs, u))
    return tuple(out)


def _zone_labels(ids: Sequence[str], lines: Sequence[LineResult]) -> list[str]:
    if lines[0].method == "zone-polygon":
        return [f"inside the zone polygon {lines[0].ref} (under military control)",
                f"outside the zone polygon {lines[0].ref}"]
    out = []
    for k, zid in enumerate(ids):
        if zid == "east":
            out.append(f"east of {lines[0].words} (under military control)")
        elif zid == "west":
            out.append(f"west of {lines[-1].words}")
        else:
            out.append(f"between {lines[k - 1].words} and {lines[k].words}")
    return out


@dataclass(frozen=True)
class _Bands:
    """For one line: the land it hands over when moved within its uncertainty (planar).

    ``to_east`` lies in the zone west of the line: moving the line toward the coast (by
    ``u.toward_coast_m``) gives it to the zone east of the line. ``to_west`` lies in the
    zone east of the line (the line moved toward Israel by ``u.toward_israel_m``).
    """

    u: LineUncertainty
    to_east: shapely.Geometry
    to_west: shapely.Geometry

    @cached_property
    def lonlat(self) -> tuple[shapely.Geometry, shapely.Geometry]:
        """``(to_east, to_west)`` in lon/lat, unprojected once for every use."""
        return from_laea(self.to_east), from_laea(self.to_west)


def _left_faces(ln: LineString, zone: shapely.Geometry) -> bool:
    """Whether the left side of the planar line (its direction) faces ``zone``.

    Points a metre to the left of the line at five places along it vote.
    """
    votes = 0
    for f in (0.1, 0.3, 0.5, 0.7, 0.9):
        a, b = ln.interpolate(f - 0.001, normalized=True), ln.interpolate(f + 0.001,
                                                                         normalized=True)
        dx, dy = b.x - a.x, b.y - a.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        mid = ln.interpolate(f, normalized=True)
        votes += 1 if zone.contains(Point(mid.x - dy / norm, mid.y + dx / norm)) else -1
    return votes > 0


def _line_bands(part: Partition, i: int, u: LineUncertainty) -> _Bands:
    ln = part.lines_planar[i]
    east, west = part.planar[i].geometry, part.planar[i + 1].geometry
    left_east = _left_faces(ln, east)

    def side(toward_east: bool, width: float) -> shapely.Geometry:
        if width <= 0:
            return shapely.Polygon()
        # a positive single-sided buffer grows to the left of the line's direction
        return ln.buffer(width if toward_east == left_east else -width, single_sided=True,
                         join_style="round")

    return _Bands(u, to_east=side(False, u.toward_coast_m).intersection(west),
                  to_west=side(True, u.toward_israel_m).intersection(east))


def _polygon_bands(part: Partition, b_planar: shapely.Geometry, u: LineUncertainty) -> _Bands:
    east, west = part.planar[0].geometry, part.planar[1].geometry
    edge = east.boundary.difference(exterior_rings(b_planar).buffer(ZONE_EDGE_CLEARANCE_M))

    def band(width: float) -> shapely.Geometry:
        return edge.buffer(width).intersection(b_planar) if width > 0 else shapely.Polygon()

    return _Bands(u, to_east=band(u.toward_coast_m).intersection(west),
                  to_west=band(u.toward_israel_m).intersection(east))


def _km2(lonlat: shapely.Geometry, clip: shapely.Geometry | None = None) -> float:
    if lonlat.is_empty:
        return 0.0
    g = lonlat if clip is None else (lonlat.intersection(clip) if lonlat.intersects(clip)
                                     else shapely.Polygon())
    return geodesic_area_m2(g) / 1e6


def _border_km(planar: shapely.Geometry, borders: Borders) -> dict[str, float]:
    if planar.is_empty:
        return {k: 0.0 for k in BORDER_KINDS}
    grown = planar.buffer(_TOUCH_M)
    return {k: geodesic_length_m(from_laea(borders.planar[k].intersection(grown))) / 1000
            for k in BORDER_KINDS}


_Piece = tuple[shapely.Geometry, shapely.Geometry]  # (planar, lon/lat)


def _gain_loss(k: int, n_zones: int, bands: Sequence[_Bands | None]
               ) -> tuple[list[_Piece], list[_Piece]] | None:
    """The pieces zone ``k`` gains at most and loses at most (None: no interval).

    Each piece is ``(planar, lon/lat)``.

    Zone k lies between line k-1 (to its east) and line k (to its west). A zone between
    two lines combines the intervals of the edges that have one (an edge with no stated
    uncertainty adds nothing); it has no interval only when neither edge has one.
    """
    gain: list[shapely.Geometry] = []
    loss: list[shapely.Geometry] = []
    edges = [b for b in ((bands[k - 1],) if k >= 1 else ()) + (
        (bands[k],) if k <= n_zones - 2 else ())]
    if all(b is None for b in edges):
        return None
    b = bands[k - 1] if k >= 1 else None
    if b is not None:
        gain.append((b.to_west, b.lonlat[1]))  # line k-1 moves toward Israel
        loss.append((b.to_east, b.lonlat[0]))  # line k-1 moves toward the coast
    b = bands[k] if k <= n_zones - 2 else None
    if b is not None:
        gain.append((b.to_east, b.lonlat[0]))  # line k moves toward the coast
        loss.append((b.to_west, b.lonlat[1]))  # line k moves toward Israel
    return gain, loss


def _measure(request: Request, boundary: Source, sources: Sequence[Source],
             uncert: Sequence[tuple[LineUncertainty | None, str]], part: Partition,
             borders: Borders,
             notes: list[str]) -> Analysis:
    lines = _line_results(sources, uncert, part)
    warns: list[str] = []
    total_m2 = geodesic_area_m2(boundary.geometry)
    total_km2 = total_m2 / 1e6
    planar_km2 = planar_area_m2(boundary.geometry) / 1e6
    denoms = tuple(dict.fromkeys([*CONVENTIONAL_DENOMINATORS_KM2,
                                  *(float(d) for d in request.denominators_km2)]))
    b_planar = to_laea(shapely.force_2d(boundary.geometry), dense=True)
    if part.method == "zone-polygon":
        u = uncert[0][0]
        bands: list[_Bands | None] = [_polygon_bands(part, b_planar, u)
                                      if u and u.max_m > 0 else None]
    else:
        bands = [(_line_bands(part, i, u) if u and u.max_m > 0 else None)
                 for i, (u, _) in enumerate(uncert)]
    ids = list(part.zones)
    labels = _zone_labels(ids, lines)
    interval_method = _interval_method(lines, part.method)
    zones: list[Zone] = []
    for k, zid in enumerate(ids):
        geom = part.zones[zid]
        a_km2 = geodesic_area_m2(geom) / 1e6
        share = 100 * a_km2 / total_km2
        gl = _gain_loss(k, len(ids), bands)
        border = shared_lengths_km(geom, borders)
        interval = b_interval = None
        if gl is not None:
            gain, loss = gl
            hi = min(total_km2, a_km2 + sum(_km2(ll) for _, ll in gain))
            lo = max(0.0, a_km2 - sum(_km2(ll) for _, ll in loss))
            interval = Interval(100 * lo / total_km2, 100 * hi / total_km2, interval_method)
            gb = [_border_km(pl, borders) for pl, _ in gain]
            lb = [_border_km(pl, borders) for pl, _ in loss]
            b_interval = {kind: (max(0.0, border[kind] - sum(x[kind] for x in lb)),
                                 border[kind] + sum(x[kind] for x in gb))
                          for kind in BORDER_KINDS}
        zones.append(Zone(
            id=zid, label=labels[k], geometry=geom, area_km2=a_km2,
            area_km2_planar=planar_area_m2(geom) / 1e6, share_pct=share, interval=interval,
            shares_of={_key(d): 100 * a_km2 / d for d in denoms},
            borders_km=border, borders_km_interval=b_interval,
            shares_border={kd: v * 1000 > SHARES_BORDER_MIN_M for kd, v in border.items()}))
        over = [d for d in denoms if a_km2 > d]
        if over:
            warns.append(f"the {zid} zone ({a_km2:.1f} km²) is larger than the total of "
                         f"{_key(over[0])} km²: its share of it exceeds 100 %")
    rel = (planar_km2 - total_km2) / total_km2
    if abs(rel) > CROSS_CHECK_MAX_REL:
        warns.append(f"the planar cross-check differs from the geodesic area by {rel:.2e}")
    for ln, (u, _) in zip(lines, uncert, strict=True):
        if u is None:
            notes.append(f"{ln.ref}: no positional uncertainty is stated for this line, so "
                         "its zones have no interval; give uncertainty_m (metres), or "
                         "the field `uncertainty_m` in its data-dir catalog entry")
        elif u.max_m == 0:
            notes.append(f"{ln.ref}: uncertainty 0 m was given, so its zones have no "
                         "interval")
    if part.method == "zone-polygon":
        west = zones[1].borders_km
        if west["israel"] + west["egypt"] > 0.1:
            warns.append(
                f"{lines[0].ref}: the zone polygon does not follow this outline along the "
                f"borders, so slivers of land outside it count as west (west touches "
                f"{west['israel']:.1f} km of the Israel border and {west['egypt']:.1f} km "
                "of the Egypt border): border figures of this method are not meaningful")
    parts = _Parts(request, boundary, tuple(sources), part, tuple(ids), tuple(bands),
                   interval_method, b_planar, uncert[0][0], tuple(zones), total_km2,
                   tuple(denoms))
    method = _method(request, lines, part, planar_km2, rel, denoms, interval_method)
    return Analysis(
        request=request, boundary=boundary, boundary_area_km2=total_km2,
        boundary_area_km2_planar=planar_km2, lines=lines, zones=tuple(zones),
        provenance=Provenance(parts.datasets(), method, _software()),
        notes=tuple(notes), warnings=tuple(warns), partition=part, borders=borders,
        bands=tuple(bands), parts=parts)


@dataclass
class _Parts:
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
    bands: tuple[_Bands | None, ...]
    interval_method: str
    b_planar: shapely.Geometry
    u: LineUncertainty | None
    zones: tuple[Zone, ...]
    total_km2: float
    denoms: tuple[float, ...]
    outline_notes: list[str] = field(default_factory=list)

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
        if not self.request.governorates:
            return ()
        return _governorates(self.part, self.ids, self.bands, self.interval_method)

    def alternatives(self) -> tuple[Alternative, ...]:
        if not self._has_alternative():
            return ()
        return (_alternative(self.request, self.boundary, self.b_planar, self.sources[0],
                             self.u, self.zones[0], self.total_km2, self.denoms),)

    def outlines(self) -> tuple[OutlineFigures, ...]:
        if not self.request.outlines:
            return ()
        out = _outlines(self.request, self.boundary, self.sources, self.part,
                        self.total_km2, self.zones, self.outline_notes)
        for text in self.outline_notes:  # issued when the part is computed
            warnings.warn(text, GazamapNote, stacklevel=3)
        return out

    def population(self) -> PopulationFigures | None:
        if not self.request.population:
            return None
        pop = population_shares([(z.id, z.geometry) for z in self.zones])
        for text in pop.warnings:
            warnings.warn(text, GazamapWarning, stacklevel=3)
        return pop


def _outlines(request: Request, boundary: Source, sources: Sequence[Source],
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
                point, where = _controlled(request, sources[0])
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


def _interval_method(lines: Sequence[LineResult], method: str) -> str:
    stated = [f"{ln.ref} {ln.uncertainty_words}" for ln in lines if ln.uncertainty_m]
    if not stated:
        return "no interval: no line has a stated positional uncertainty"
    if method == "zone-polygon":
        return (f"the zone polygon's dividing edge (its boundary farther than "
                f"{ZONE_EDGE_CLEARANCE_M:g} m from the outline's exterior) moved by "
                f"{lines[0].uncertainty_words}: the land in the band it sweeps changes zone")
    return ("each line moved toward Israel and toward the coast by its uncertainty ("
            + "; ".join(stated) + "): the land of the outline in the one-sided band a line "
            "sweeps (local LAEA, round joins) changes to the neighbouring zone (toward the "
            "coast: to the zone east of the line); a zone between two lines combines the "
            "intervals of its edges")


def _governorates(part: Partition, ids: Sequence[str], bands: Sequence[_Bands | None],
                  interval_method: str) -> tuple[GovernorateFigures, ...]:
    rows = []
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
            areas[zid] = geodesic_area_m2(g.intersection(z)) / 1e6 if g.intersects(z) else 0.0
        shares: dict[str, ZoneShare] = {}
        for k, zid in enumerate(ids):
            gl = _gain_loss(k, len(ids), bands)
            interval = None
            if gl is not None and a > 0:
                hi = min(a, areas[zid] + sum(_km2(ll, g) for _, ll in gl[0]))
                lo = max(0.0, areas[zid] - sum(_km2(ll, g) for _, ll in gl[1]))
                interval = Interval(100 * lo / a, 100 * hi / a, interval_method)
            shares[zid] = ZoneShare(areas[zid], 100 * areas[zid] / a if a else 0.0, interval)
        pub = f.properties.get("area_km2_published_pcbs")
        rows.append(GovernorateFigures(str(f.properties.get("name") or ""),
                                       str(f.properties.get("name_ar") or ""), a,
                                       float(pub) if pub is not None else None, shares))
    return tuple(rows)


def _alternative(request: Request, boundary: Source, b_planar: shapely.Geometry, line: Source,
                 u: LineUncertainty | None, east: Zone, total_km2: float,
                 denoms: Sequence[float]) -> Alternative:
    assert line.dataset is not None
    zsrc = resolve(line.dataset.zone_source, "zone", request.catalog)
    alt = partition_by_zone_polygon(boundary.geometry, zsrc.geometry, source=zsrc.label)
    e_km2 = geodesic_area_m2(alt.zones["east"]) / 1e6
    zu = (u if u is not None and u.max_m > 0 else
          zsrc.dataset.line_uncertainty if zsrc.dataset else None)
    interval_e = interval_w = None
    if zu is not None and zu.max_m > 0:
        bands = _polygon_bands(alt, b_planar, zu)
        method = (f"the zone polygon's dividing edge (its boundary farther than "
                  f"{ZONE_EDGE_CLEARANCE_M:g} m from the outline's exterior) moved by "
                  f"{zu.words}")
        hi = min(total_km2, e_km2 + _km2(bands.lonlat[0]))
        lo = max(0.0, e_km2 - _km2(bands.lonlat[1]))
        interval_e = Interval(100 * lo / total_km2, 100 * hi / total_km2, method)
        interval_w = Interval(100 - interval_e.high, 100 - interval_e.low, method)
    whole = geodesic_area_m2(zsrc.geometry) / 1e6
    diff = east.area_km2 - e_km2
    ref = zsrc.ref
    if diff >= 0:
        explanation = (
            f"The zone polygon intersected with the outline gives an east zone "
            f"{diff:.2f} km² smaller than the line does: the polygon's eastern and southern "
            "edges were drawn on another dataset's border, which strays from this outline "
            "along the fence and the coast, so slivers of the outline fall outside the "
            "polygon. The line method counts all land east of the line; the polygon alone "
            f"({whole:.2f} km², without the outline) is what a share of 365 km² was "
            "computed from.")
    else:
        explanation = (
            f"The zone polygon intersected with the outline gives an east zone "
            f"{-diff:.2f} km² larger than the line does: the polygon reaches west of the "
            "line somewhere (its western edge and the line were digitised separately). "
            f"The polygon alone measures {whole:.2f} km².")
    return Alternative(
        method="zone-polygon", dataset=ref,
        zones=(("east", ZoneShare(e_km2, 100 * e_km2 / total_km2, interval_e)),
               ("west", ZoneShare(total_km2 - e_km2, 100 - 100 * e_km2 / total_km2,
                                  interval_w))),
        polygon_area_km2=whole,
        polygon_share_pct_of={_key(d): 100 * whole / d for d in denoms},
        difference_km2=diff, explanation=explanation)


def _method(request: Request, lines: Sequence[LineResult], part: Partition, planar_km2: float,
            rel: float, denoms: Sequence[float], interval_method: str) -> dict[str, Any]:
    tol = request.snap_tolerance_m
    split = ("zones are cut in the local Lambert azimuthal equal-area CRS; "
             f"line ends inside the outline are joined to its exterior ring within "
             f"{tol:g} m (along the line's last {DIRECTION_BASE_M:g} m when that meets the "
             f"outline within {ALONG_FACTOR:g} times the nearest distance plus "
             f"{ALONG_SLACK_M:g} m, else to the nearest point of the ring); the zones are "
             "checked to cover the outline without overlap (relative mismatch below 1e-9)")
    if part.method == "zone-polygon":
        split = ("east = the outline intersected with the zone polygon, west = the rest "
                 "(local Lambert azimuthal equal-area CRS); checked to cover the outline "
                 "without overlap")
    return {
        "area": (f"geodesic area on the {ELLIPSOID} ellipsoid (pyproj.Geod."
                 "polygon_area_perimeter, ring by ring: exterior added, holes subtracted, "
                 "whatever their orientation), edges "
                 f"densified to {DENSIFY_DEG} degree so that they follow the lon/lat edges of "
                 "the data (RFC 7946)"),
        "ellipsoid": ELLIPSOID,
        "densify_deg": DENSIFY_DEG,
        "split_crs": LAEA_GAZA,
        "split": split,
        "east_zone": f"the zone behind the first line, under military control: "
                     f"{part.controlled_by}",
        "zones": ("ordered from the Israel border westward: east, between-1 ... "
                  "between-(N-1), west" if len(lines) > 1 else "east and west of the line"),
        "borders": ("outline edges within 100 m of the packaged Israel or Egypt land are "
                    f"borders with that country ({TRIPOINT_RULE}); the rest of the exterior "
                    "is sea; inland ponds are not borders"),
        "cross_check": {"crs": LAEA_GAZA, "boundary_area_km2": planar_km2,
                        "relative_difference": rel},
        "uncertainty": interval_method,
        "snap_tolerance_m": tol,
        "denominators_km2": list(denoms),
        "reference_datasets": {"borders": NEIGHBOURS, "governorates": GOVERNORATES},
    }


def _software() -> dict[str, str]:
    import numpy
    import pyproj

    import geo

    # versions from the modules themselves: importlib.metadata costs 20 ms to import
    return {"gazamap": geo.__version__, "python": platform.python_version(),
            "shapely": shapely.__version__, "GEOS": shapely.geos_version_string,
            "pyproj": pyproj.__version__, "PROJ": pyproj.proj_version_str,
            "numpy": numpy.__version__}
