"""Compare two versions of a dividing line: the land that changes zone, how far it moved.

Both lines split the same outline (one :func:`geo.analyse` each); the areas that
change zone are geodesic (:func:`geo.geometry.measure.geodesic_area_m2`); the displacement is
measured in the local equal-area CRS from points every ``sample_m`` metres along line B
to line A. A :class:`Comparison` is frozen and typed (its parts are small frozen
dataclasses); :meth:`Comparison.to_dict` is the documented JSON contract of
``gazamap compare``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import shapely

from geo.analysis import Analysis, LineResult, analyse
from geo.analysis.request import LineSpec, Request
from geo.compare_places import PlaceChange, places_changed
from geo.defaults import DEFAULT_SAMPLE_M
from geo.errors import InputError
from geo.geometry.crs import LAEA_GAZA, to_laea
from geo.geometry.measure import ELLIPSOID, geodesic_area_m2
from geo.geometry.partition import Partition
from geo.geometry.sampling import sample_points
from geo.read.sources import Source, governorates

__all__ = [
    "DEFAULT_SAMPLE_M",
    "PLACE_DATASETS",
    "SLIVER_M2",
    "AreaBetween",
    "CompareMethod",
    "ComparedLine",
    "Comparison",
    "Displacement",
    "GovernorateChange",
    "compare_analyses",
    "compare_lines",
    "dividing_line_laea",
    "displacement",
]

# A spacing below a metre measures the digitisation, not the line; more samples than this
# only cost time (100,000 samples along a 50 km line is one every half metre).
MIN_SAMPLE_M = 1.0
MAX_SAMPLES = 100_000
PLACE_DATASETS = ("places", "neighbourhoods")
# The zones' shared edge is found within this band (metres) of both zones.
_SHARED_BAND_M = 0.5
SLIVER_M2 = 100.0  # a map leaves out pieces smaller than this: overlay noise along the outline


@dataclass(frozen=True)
class ComparedLine:
    """One side of a comparison: its line (or zone polygon) as used, and its east zone."""

    line: LineResult = field(repr=False)
    east_km2: float
    share_pct: float  # the east zone's share of the outline, %

    @property
    def ref(self) -> str:
        """``id@version`` or the file's name."""
        return self.line.ref

    def to_dict(self) -> dict[str, Any]:
        """The ``a`` / ``b`` object of the JSON contract."""
        ln = self.line
        return {**ln.source.describe(), "label": ln.words, "method": ln.method,
                "repairs": list(ln.repairs)}


@dataclass(frozen=True)
class GovernorateChange:
    """The land of one governorate that changed zone from A to B (geodesic km²)."""

    name: str | None
    name_ar: str | None
    to_east_km2: float
    to_west_km2: float
    moved_km2: float  # to_east - to_west

    def to_dict(self) -> dict[str, Any]:
        """The governorate's row of the JSON contract."""
        return {"name": self.name, "name_ar": self.name_ar, "to_east_km2": self.to_east_km2,
                "to_west_km2": self.to_west_km2, "moved_km2": self.moved_km2}


@dataclass(frozen=True)
class Displacement:
    """How far line B stands from line A, in metres (see :func:`displacement`)."""

    mean_m: float
    median_m: float
    max_m: float
    signed_mean_m: float  # positive where B lies in A's west zone
    hausdorff_m: float
    samples: int
    sample_m: float  # the spacing used (widened when a line would get too many samples)

    def to_dict(self) -> dict[str, Any]:
        """The ``displacement_m`` object of the JSON contract."""
        return {"mean": self.mean_m, "median": self.median_m, "max": self.max_m,
                "signed_mean": self.signed_mean_m, "hausdorff": self.hausdorff_m,
                "samples": self.samples, "sample_m": self.sample_m}


@dataclass(frozen=True)
class CompareMethod:
    """The method of a comparison in words."""

    area: str
    ellipsoid: str
    split: str
    displacement: str
    displacement_crs: str
    places: str
    relative_mismatch: float  # the areas that changed zone against the east zones' change

    def to_dict(self) -> dict[str, Any]:
        """The ``method`` object of the JSON contract."""
        return {"area": self.area, "ellipsoid": self.ellipsoid, "split": self.split,
                "displacement": self.displacement, "displacement_crs": self.displacement_crs,
                "places": self.places,
                "cross_check": {"relative_mismatch": self.relative_mismatch}}


@dataclass(frozen=True)
class AreaBetween:
    """The land between the two lines as a map draws it (lon/lat, geodesic km²).

    ``a_only`` lies east of line A only (it changed to the west zone), ``b_only`` east of
    line B only; pieces under :data:`SLIVER_M2` (overlay noise along the shared outline)
    are left out, of the geometry and of the areas.
    """

    a_only: shapely.Geometry = field(repr=False)
    b_only: shapely.Geometry = field(repr=False)
    a_only_km2: float
    b_only_km2: float

    @property
    def total_km2(self) -> float:
        """Both sides, km²."""
        return self.a_only_km2 + self.b_only_km2


@dataclass(frozen=True)
class Comparison:
    """The result of ``gazamap compare``; :meth:`to_dict` is the documented JSON.

    The areas that changed zone are computed with the comparison; the governorates,
    the displacement, the places (and so the datasets and the method, which name them)
    and the map's :attr:`between` when a reader first asks for them, once.
    """

    a: ComparedLine
    b: ComparedLine
    boundary: Source = field(repr=False)
    boundary_area_km2: float
    to_east_km2: float  # west in A, east in B
    to_west_km2: float  # east in A, west in B
    relative_mismatch: float  # (to_east - to_west) against the east zones' change
    warnings: tuple[str, ...]
    to_east: shapely.Geometry = field(repr=False, compare=False)
    to_west: shapely.Geometry = field(repr=False, compare=False)
    analyses: tuple[Analysis, Analysis] = field(repr=False, compare=False)
    sample_m: float = DEFAULT_SAMPLE_M
    place_datasets: tuple[str, ...] = PLACE_DATASETS

    @property
    def partitions(self) -> tuple[Partition, Partition]:
        """The two partitions (A, B)."""
        return self.analyses[0].partition, self.analyses[1].partition

    @property
    def moved_km2(self) -> float:
        """Net land that changes zone, km²: positive when the east zone grows from A to B."""
        return self.b.east_km2 - self.a.east_km2

    @property
    def moved_pct(self) -> float:
        """:attr:`moved_km2` as % of the outline."""
        return 100 * self.moved_km2 / self.boundary_area_km2

    @property
    def changed_km2(self) -> float:
        """All land that changes zone, either way, km²."""
        return self.to_east_km2 + self.to_west_km2

    @cached_property
    def governorates(self) -> tuple[GovernorateChange, ...]:
        """The land that changed zone in each governorate (lazy)."""
        return _governorate_changes(self.to_east, self.to_west)

    @cached_property
    def displacement(self) -> Displacement:
        """How far line B stands from line A (lazy)."""
        return displacement(*self.partitions, sample_m=self.sample_m)

    @cached_property
    def _place_part(self) -> tuple[tuple[PlaceChange, ...], Mapping[str, int], tuple[str, ...]]:
        pa, pb = self.partitions
        return places_changed(pa, pb, self.place_datasets, self.analyses[0].request.catalog)

    @property
    def places_changed(self) -> tuple[PlaceChange, ...]:
        """The places whose point changed zone, each real place once, north first (lazy)."""
        return self._place_part[0]

    @property
    def places_checked(self) -> Mapping[str, int]:
        """How many points of each place dataset were checked (lazy)."""
        return self._place_part[1]

    @property
    def datasets(self) -> tuple[str, ...]:
        """Every dataset behind the figures (id@version), in order of first use."""
        a, b = self.analyses
        return tuple(dict.fromkeys([*a.provenance.datasets, *b.provenance.datasets,
                                    governorates().label, *self._place_part[2]]))

    @cached_property
    def method(self) -> CompareMethod:
        """The method in words (names the displacement's spacing, so computes it)."""
        return _compare_method(self)

    @cached_property
    def between(self) -> AreaBetween:
        """The land between the lines as a map draws it (lazy: maps only)."""
        a_only, b_only = _drawn(self.to_west), _drawn(self.to_east)
        return AreaBetween(a_only, b_only, geodesic_area_m2(a_only) / 1e6,
                           geodesic_area_m2(b_only) / 1e6)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (numbers unrounded)."""
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "boundary": {**self.boundary.describe(), "area_km2": self.boundary_area_km2},
            "east_km2_a": self.a.east_km2,
            "east_km2_b": self.b.east_km2,
            "share_pct_a": self.a.share_pct,
            "share_pct_b": self.b.share_pct,
            "moved_km2": self.moved_km2,
            "moved_pct": self.moved_pct,
            "to_east_km2": self.to_east_km2,
            "to_west_km2": self.to_west_km2,
            "changed_km2": self.changed_km2,
            "governorates": [g.to_dict() for g in self.governorates],
            "displacement_m": self.displacement.to_dict(),
            "places_changed": [p.to_dict() for p in self.places_changed],
            "places_checked": dict(self.places_checked),
            "datasets": list(self.datasets),
            "method": self.method.to_dict(),
            "warnings": list(self.warnings),
        }


def dividing_line_laea(part: Partition) -> shapely.Geometry:
    """The dividing line inside the outline, in the local equal-area CRS (metres).

    The line as used (ends extended) clipped to the outline, or, for the zone-polygon
    method, the edge the two zones share.
    """
    b = to_laea(part.boundary, dense=True)
    if part.line is not None:
        return shapely.intersection(to_laea(part.line, dense=True), b)
    east = to_laea(part.zones["east"], dense=True)
    west = to_laea(part.zones["west"], dense=True)
    return shapely.line_merge(shapely.intersection(east.boundary, west.buffer(_SHARED_BAND_M)))


def displacement(a: Partition, b: Partition, *,
                 sample_m: float = DEFAULT_SAMPLE_M) -> Displacement:
    """How far line B stands from line A, in metres.

    ``mean_m``, ``median_m``, ``max_m``: distances from points every ``sample_m`` m along
    B (inside the outline) to A. ``signed_mean_m``: the same, positive where B lies in A's
    west zone (B moved west, the east zone grows). ``hausdorff_m``: the symmetric
    Hausdorff distance (the larger of the two directed maxima, on the same sampling).
    """
    _check_sample(sample_m)
    la, lb = dividing_line_laea(a), dividing_line_laea(b)
    if la.is_empty or lb.is_empty:
        raise InputError("a line has no part inside the outline", source="compare",
                         fix="check that both lines cross the outline")
    longest = max(la.length, lb.length)
    if longest / sample_m > MAX_SAMPLES:
        sample_m = longest / MAX_SAMPLES  # cap the work; the method text gives the spacing
    pb, pa = sample_points(lb, sample_m), sample_points(la, sample_m)
    d_ba = shapely.distance(la, pb)
    d_ab = shapely.distance(lb, pa)
    west_a = to_laea(a.zones["west"], dense=True)
    shapely.prepare(west_a)
    sign = np.where(shapely.intersects(west_a, pb), 1.0, -1.0)
    return Displacement(
        mean_m=float(np.mean(d_ba)), median_m=float(np.median(d_ba)),
        max_m=float(np.max(d_ba)), signed_mean_m=float(np.mean(sign * d_ba)),
        hausdorff_m=float(max(np.max(d_ba), np.max(d_ab))), samples=int(len(pb)),
        sample_m=float(sample_m))


def _check_sample(sample_m: float) -> None:
    if not sample_m >= MIN_SAMPLE_M:
        raise InputError(f"sample spacing {sample_m!r} m is below {MIN_SAMPLE_M:g} m",
                         source="sample_m", fix=f"give a distance in metres >= {MIN_SAMPLE_M:g}")


def compare_lines(
    a: str | LineSpec | Source,
    b: str | LineSpec | Source,
    *,
    request: Request | None = None,
    sample_m: float = DEFAULT_SAMPLE_M,
    place_datasets: tuple[str, ...] = PLACE_DATASETS,
) -> Comparison:
    """Compare line (or zone polygon) A with B on the same outline.

    ``a`` and ``b`` are dataset references, files, :class:`~geo.analysis.request.LineSpec` (e.g.
    marker files) or resolved sources; ``request`` gives the outline, data directories, read options
    and tolerances (its own lines are ignored). See :func:`compare_analyses`.
    """
    base = request or Request()

    def one(spec: str | LineSpec | Source) -> Analysis:
        ln = (spec if isinstance(spec, LineSpec) else
              LineSpec(spec.label, source=spec) if isinstance(spec, Source) else
              LineSpec(str(spec)))
        # only the parts a comparison shows: no governorate table (the moved areas are
        # per governorate here), no alternative, no outline sensitivity, no population
        return analyse(replace(base, lines=(ln,), governorates=False, alternatives=False,
                               outlines=False, population=False))

    return compare_analyses(one(a), one(b), sample_m=sample_m, place_datasets=place_datasets)


def compare_analyses(
    a: Analysis,
    b: Analysis,
    *,
    sample_m: float = DEFAULT_SAMPLE_M,
    place_datasets: Sequence[str] = PLACE_DATASETS,
) -> Comparison:
    """Compare the first line of analysis A with that of B (the same outline).

    Parameters
    ----------
    a, b : Analysis
        The two versions, each from :func:`geo.analyse` on the same boundary.
    sample_m : float
        Spacing in metres of the points along the lines for the displacement (at least
        ``MIN_SAMPLE_M``; widened so that no line gets more than ``MAX_SAMPLES``).
    place_datasets : sequence of str
        Point datasets whose places are checked for a change of side.

    Returns
    -------
    Comparison
        ``moved_km2`` is positive when the east zone grows from A to B. The areas that
        changed zone are measured here; the other parts when first read.
    """
    if a.boundary.ref != b.boundary.ref:
        raise InputError(f"the two analyses split different outlines ({a.boundary.ref}, "
                         f"{b.boundary.ref})", source="compare",
                         fix="compare lines on the same boundary")
    _check_sample(sample_m)  # refused now, not when the displacement is read
    total = a.boundary_area_km2
    east_a, east_b = a.zone("east").geometry, b.zone("east").geometry
    gained = shapely.difference(east_b, east_a)  # west in A, east in B
    lost = shapely.difference(east_a, east_b)  # east in A, west in B
    ea, eb = a.zone("east").area_km2 * 1e6, b.zone("east").area_km2 * 1e6
    to_east, to_west = geodesic_area_m2(gained), geodesic_area_m2(lost)
    notes = [*a.notes, *b.notes, *a.warnings, *b.warnings]
    # the net land that changed zone against the change of the east zone, of the outline
    mismatch = abs((to_east - to_west) - (eb - ea)) / (total * 1e6)
    if mismatch > 1e-6:
        notes.append(f"the areas that changed zone differ from the change of the east zone "
                     f"by {mismatch:.1e} of the outline (overlay precision)")
    return Comparison(
        a=ComparedLine(a.lines[0], ea / 1e6, 100 * (ea / 1e6) / total),
        b=ComparedLine(b.lines[0], eb / 1e6, 100 * (eb / 1e6) / total),
        boundary=a.boundary, boundary_area_km2=total,
        to_east_km2=to_east / 1e6, to_west_km2=to_west / 1e6, relative_mismatch=mismatch,
        warnings=tuple(notes), to_east=gained, to_west=lost, analyses=(a, b), sample_m=sample_m,
        place_datasets=tuple(place_datasets))


def _governorate_changes(gained: shapely.Geometry, lost: shapely.Geometry
                         ) -> tuple[GovernorateChange, ...]:
    """Per packaged governorate, the land that went east (``gained``) and west (``lost``)."""
    rows = []
    for f in governorates().features:
        g = f.geometry
        te = geodesic_area_m2(shapely.intersection(g, gained)) if g.intersects(gained) else 0.0
        tw = geodesic_area_m2(shapely.intersection(g, lost)) if g.intersects(lost) else 0.0
        rows.append(GovernorateChange(f.properties.get("name"), f.properties.get("name_ar"),
                                      te / 1e6, tw / 1e6, (te - tw) / 1e6))
    return tuple(rows)


def _compare_method(c: Comparison) -> CompareMethod:
    tol = c.analyses[0].request.snap_tolerance_m
    return CompareMethod(
        area=f"geodesic area on the {ELLIPSOID} ellipsoid of the zones' differences "
             "(east in B but not in A, and the reverse); moved_km2 = east_km2_b - "
             "east_km2_a",
        ellipsoid=ELLIPSOID,
        split="each line splits the outline as in `gazamap areas` (ends joined to the "
              f"outline within the snapping tolerance of {tol:g} m)",
        displacement=(f"distances from points every {c.displacement.sample_m:g} m along "
                      "line B (inside the outline) to line A in the local equal-area CRS; "
                      "signed_mean is positive where B lies in A's west zone; hausdorff "
                      "is symmetric on the same sampling"),
        displacement_crs=LAEA_GAZA,
        places="a place changes side when the zone containing its point differs",
        relative_mismatch=c.relative_mismatch)


def _drawn(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` without its pieces under :data:`SLIVER_M2` (what a map draws)."""
    keep = [p for p in shapely.get_parts(geom)
            if isinstance(p, shapely.Polygon) and geodesic_area_m2(p) >= SLIVER_M2]
    return shapely.MultiPolygon(keep) if keep else shapely.MultiPolygon()
