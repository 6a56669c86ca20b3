"""Split a boundary into named zones: by a dividing line, or by a zone polygon.

All splitting happens in the local equal-area CRS (``geo.crs.LAEA_GAZA``); inputs and
outputs are lon/lat. After every split the invariant is checked: the zones cover the
boundary, do not overlap, and their areas add up to the boundary's.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import LineString, Point

from geo.borders import Borders
from geo.crs import from_laea, to_laea
from geo.errors import PartitionError

__all__ = [
    "DEFAULT_SNAP_TOLERANCE_M",
    "ZONE_IDS",
    "Partition",
    "PartitionWarning",
    "prepare_line",
    "partition_by_line",
    "partition_by_zone_polygon",
    "offset_line",
]

ZONE_IDS = ("east", "west")
DEFAULT_SNAP_TOLERANCE_M = 500.0
# Relative area mismatch above which a split is declared broken (shapely's overlay is
# exact to ~1e-12 here; anything near 1e-9 means a sliver or a lost piece).
_INVARIANT_REL = 1e-9
_OVERSHOOT_M = 1.0
_ALONG_BAND_M = 1.0
_ALONG_MAX_M = 50.0
_RAY_M = 100_000.0


class PartitionWarning(UserWarning):
    """A partition was computed after a stated repair (e.g. a line end was extended)."""


@dataclass(frozen=True)
class Partition:
    """A boundary split into zones ``east`` (bordering Israel) and ``west`` (lon/lat).

    ``line`` is the dividing line as used (ends extended), or ``None`` for the
    zone-polygon method. ``notes`` lists the repairs made, in words.
    """

    boundary: shapely.Geometry
    zones: dict[str, shapely.Geometry]
    method: str
    line: shapely.Geometry | None = None
    notes: list[str] = field(default_factory=list)


def _end_label(which: int, line: LineString) -> str:
    a, b = Point(line.coords[0]), Point(line.coords[-1])
    first_is_north = a.y >= b.y
    if which == 0:
        return "northern" if first_is_north else "southern"
    return "southern" if first_is_north else "northern"


def prepare_line(line: shapely.Geometry, source: str) -> LineString:
    """Check a lon/lat dividing line and return it as one LineString.

    A MultiLineString whose parts join end to end is merged; one with gaps is refused
    with the size of the largest gap.
    """
    if line is None or line.is_empty:
        raise PartitionError("the line is empty", source=source,
                             fix="give a file with one LineString feature")
    line = shapely.force_2d(line)
    if line.geom_type == "MultiLineString":
        merged = shapely.line_merge(line)
        if merged.geom_type == "MultiLineString":
            parts = list(to_laea(line).geoms)
            gap = max(
                min(p.distance(q) for q in parts if q is not p) for p in parts
            )
            raise PartitionError(
                f"the line has {len(parts)} parts with a gap of "
                f"{f'{gap / 1000:.1f} km' if gap >= 1000 else f'{gap:.1f} m'}",
                source=source, fix="join the parts into one continuous line",
            )
        line = merged
    if line.geom_type != "LineString":
        raise PartitionError(
            f"expected a LineString, got a {line.geom_type}", source=source,
            fix="give a line (LineString), or use a zone polygon with --zone",
        )
    if len(line.coords) < 2 or line.length == 0:
        raise PartitionError("the line has fewer than two distinct points", source=source,
                             fix="give a line with at least two points")
    return line


def _extend_end(line: LineString, boundary: shapely.Geometry, which: int,
                tolerance_m: float) -> tuple[LineString, float | None, float]:
    """Extend one end (0 first, -1 last) of a planar line along its last segment.

    Returns the new line, the extension in m (None if the end was not inside), and the
    distance from the end to the nearest boundary point (for messages).
    """
    xy = shapely.get_coordinates(line)
    end = Point(xy[which])
    if not boundary.contains(end):
        return line, None, 0.0
    nearest = boundary.boundary.distance(end)
    # direction of the last segment that has length
    seq = xy if which == -1 else xy[::-1]
    tip = (float(seq[-1, 0]), float(seq[-1, 1]))
    moved = np.nonzero((seq[:-1] != seq[-1]).any(axis=1))[0]
    if len(moved) == 0:
        return line, math.inf, nearest
    prev = seq[moved[-1]]
    dx, dy = tip[0] - prev[0], tip[1] - prev[1]
    norm = math.hypot(dx, dy)
    ux, uy = dx / norm, dy / norm
    ray = LineString([tip, (tip[0] + ux * _RAY_M, tip[1] + uy * _RAY_M)])
    hits = ray.intersection(boundary.boundary)
    if hits.is_empty:
        return line, math.inf, nearest
    points = shapely.get_parts(shapely.extract_unique_points(hits))
    dist = min(Point(tip).distance(p) for p in points)
    if dist > tolerance_m:
        return line, dist, nearest
    # overshoot by a metre so that the line truly crosses (no dangling end on the ring)
    new_tip = (tip[0] + ux * (dist + _OVERSHOOT_M), tip[1] + uy * (dist + _OVERSHOOT_M))
    new = np.vstack([xy, new_tip]) if which == -1 else np.vstack([new_tip, xy])
    return LineString(new), dist, nearest


def _crossings(line: LineString, boundary: shapely.Geometry, source: str) -> int:
    """Count where a planar line crosses the boundary's exterior rings; refuse overlaps."""
    rings = shapely.MultiLineString(
        [p.exterior for p in shapely.get_parts(boundary) if isinstance(p, shapely.Polygon)]
    )
    # Collinear overlay is fragile in floating point (a shared edge comes back as hundreds
    # of points), so measure how much of the line lies within a metre of the ring; a clean
    # crossing contributes a few metres at most.
    along = line.intersection(rings.buffer(_ALONG_BAND_M)).length
    if along > _ALONG_MAX_M:
        raise PartitionError(
            f"the line runs along the boundary for {along:.0f} m",
            source=source,
            fix="a dividing line must cross the outline, not follow it; trim the shared part",
        )
    inter = line.intersection(rings)
    return len(shapely.get_parts(shapely.extract_unique_points(inter)))


def _israel_samples(israel_laea: shapely.Geometry, n: int = 60) -> np.ndarray:  # type: ignore[type-arg]
    """Points every 1/n of the Israel border's length (planar)."""
    if israel_laea.is_empty:
        return np.empty(0, dtype=object)
    merged = shapely.line_merge(israel_laea)
    parts = shapely.get_parts(merged)
    out = [shapely.line_interpolate_point(p, np.linspace(0, 1, max(2, int(
        n * p.length / merged.length)), endpoint=True), normalized=True) for p in parts]
    return np.concatenate(out)


def _israel_contact(face: shapely.Geometry, samples: np.ndarray) -> int:  # type: ignore[type-arg]
    """How many Israel-border sample points lie on the face's edge (within 1 m)."""
    if len(samples) == 0:
        return 0
    shapely.prepare(face)
    return int(shapely.dwithin(face, samples, 1.0).sum())


def _check_invariant(boundary: shapely.Geometry, faces: list[shapely.Geometry],
                     source: str) -> None:
    total = sum(f.area for f in faces)
    rel = abs(total - boundary.area) / boundary.area
    # relate is ~3x cheaper than computing the overlap; '2********' = interiors share area
    overlap = any(
        shapely.relate_pattern(faces[i], faces[j], "2********")
        for i in range(len(faces)) for j in range(i + 1, len(faces))
    )
    if rel > _INVARIANT_REL or overlap:
        raise PartitionError(
            f"the split lost or duplicated area (relative mismatch {rel:.2e}"
            f"{', zones overlap' if overlap else ''})",
            source=source,
            fix="simplify the line or report this as a bug with the file attached",
        )


def partition_by_line(
    boundary: shapely.Geometry,
    line: shapely.Geometry,
    borders: Borders,
    *,
    snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
    source: str = "line",
) -> Partition:
    """Split a lon/lat boundary by a lon/lat line into ``east`` and ``west``.

    Ends that stop inside the boundary are extended along their last segment when the
    boundary is at most ``snap_tolerance_m`` away (a :class:`PartitionWarning` gives the
    distance; ``Partition.notes`` has it too);
    otherwise, and when the line does not cross the outline exactly twice,
    :class:`~geo.errors.PartitionError` is raised. ``east`` is the zone with the longer
    border with Israel.

    Examples
    --------
    >>> from shapely import box, LineString
    >>> from geo.borders import Borders
    >>> b = box(34.30, 31.40, 34.40, 31.50)
    >>> borders = Borders(LineString([(34.40, 31.40), (34.40, 31.50)]),
    ...                   LineString(), LineString())
    >>> p = partition_by_line(b, LineString([(34.35, 31.39), (34.35, 31.51)]), borders)
    >>> sorted(p.zones), round(p.zones["east"].bounds[0], 6)
    (['east', 'west'], 34.35)
    """
    if not snap_tolerance_m >= 0:
        raise PartitionError(f"snapping tolerance {snap_tolerance_m!r} m is negative",
                             source="--snap-tolerance", fix="give a distance in metres >= 0")
    line = prepare_line(line, source)
    b = to_laea(shapely.force_2d(boundary), dense=True)
    ln = to_laea(line, dense=True)
    notes: list[str] = []
    for which in (0, -1):
        label = _end_label(which, ln)
        new, ext, nearest = _extend_end(ln, b, which, snap_tolerance_m)
        if ext is None:
            continue
        if ext > snap_tolerance_m:
            far = "never" if math.isinf(ext) else f"{ext:.0f} m away along its direction"
            raise PartitionError(
                f"the {label} end stops {nearest:.0f} m inside the boundary "
                f"(the outline is {far}; snapping tolerance {snap_tolerance_m:.0f} m)",
                source=source,
                fix="extend the line to the coast or border, or raise --snap-tolerance",
            )
        ln = new
        msg = f"extended the {label} end by {ext:.0f} m to reach the boundary"
        notes.append(msg)
        warnings.warn(f"{source}: {msg}", PartitionWarning, stacklevel=2)
    if not ln.intersects(b):
        raise PartitionError(
            f"the line lies outside the boundary ({b.distance(ln) / 1000:.1f} km away)",
            source=source,
            fix="check the file's coordinates (lon/lat order, CRS) and that it is a Gaza line",
        )
    n = _crossings(ln, b, source)
    if n != 2:
        raise PartitionError(
            f"the line crosses the outline {n} times; a dividing line must cross it "
            "exactly twice",
            source=source,
            fix="trim the line so that it enters and leaves the outline once",
        )
    noded = shapely.union_all([b.boundary, ln])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
             if b.contains(f.representative_point())]
    if len(faces) != 2:
        raise PartitionError(
            f"the line divides the boundary into {len(faces)} pieces, not 2",
            source=source, fix="give a line that runs from one coast or border to another",
        )
    _check_invariant(b, faces, source)
    # east = the face along most of the Israel border (sampled: cheaper than an overlay)
    samples = _israel_samples(borders.planar["israel"])
    faces.sort(key=lambda f: (_israel_contact(f, samples), f.centroid.x), reverse=True)
    zones = {"east": from_laea(faces[0]), "west": from_laea(faces[1])}
    return Partition(boundary, zones, "line", line=from_laea(ln), notes=notes)


def partition_by_zone_polygon(
    boundary: shapely.Geometry, zone: shapely.Geometry, *, source: str = "zone"
) -> Partition:
    """Zones from a polygon: ``east`` = boundary ∩ zone, ``west`` = boundary − zone."""
    b = to_laea(shapely.force_2d(boundary), dense=True)
    z = to_laea(shapely.force_2d(zone), dense=True)
    if not z.is_valid:
        raise PartitionError(f"the zone polygon is invalid ({shapely.is_valid_reason(z)})",
                             source=source, fix="repair it in a GIS (e.g. QGIS 'Fix geometries')")
    east = b.intersection(z)
    west = b.difference(z)
    if east.is_empty:
        raise PartitionError("the zone polygon does not overlap the boundary", source=source,
                             fix="check its coordinates (lon/lat order, CRS)")
    _check_invariant(b, [east, west], source)
    return Partition(boundary, {"east": from_laea(east), "west": from_laea(west)},
                     "zone-polygon")


def offset_line(line: shapely.Geometry, offset_m: float) -> shapely.Geometry:
    """The lon/lat line moved sideways by ``offset_m`` metres (positive: to its left).

    Used for the uncertainty interval. The offset is planar (local LAEA) with round joins,
    so that sharp turns do not produce spikes.
    """
    ln = to_laea(line, dense=True)
    moved = ln.offset_curve(offset_m, join_style="round")
    if moved.geom_type == "MultiLineString":
        moved = max(moved.geoms, key=lambda g: g.length)
    return from_laea(moved)
