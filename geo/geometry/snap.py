"""Where a line's ends meet the outline: the one end-snapper for drawn and marker lines.

A dividing line must cross the outline. Lines are drawn (or built from markers) to stop
near the coast or the fence, not on it, so each end that stops inside the outline is
joined to the outline's exterior ring (never to an inland pond) by one rule:

1. The end's distance to the exterior ring is measured; farther than the tolerance, the
   line is refused with that distance.
2. The extension along the line's last stretch (the direction from the point
   ``DIRECTION_BASE_M`` back along the line to the end) is taken when it meets the
   exterior within the tolerance and is not much longer than the nearest distance
   (``ALONG_FACTOR`` times it, plus ``ALONG_SLACK_M``): it keeps the line's direction.
3. Otherwise the end is joined to the nearest point of the exterior ring. A line that
   meets the coast at a shallow angle (its extension would run kilometres along the
   beach) ends this way.

A joining segment must stay inside the outline (not through a pond, not across the sea)
and must not cross the line itself; a candidate that fails is dropped, and an end with no
valid candidate is refused with the measured distance. The joined end overshoots the
ring by ``OVERSHOOT_M`` so that the line truly crosses it. All work is planar, in the
local equal-area CRS (metres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import LineString, Point

from geo.errors import PartitionError

__all__ = [
    "ALONG_FACTOR",
    "ALONG_SLACK_M",
    "DIRECTION_BASE_M",
    "OVERSHOOT_M",
    "EndSnap",
    "exterior_rings",
    "snap_ends",
]

# An extension along the line is preferred while it is at most this many times the
# nearest distance (plus the slack): a line meeting the coast at 45 degrees extends by
# 1.41x; past 2x the extension runs along the coast rather than towards it.
ALONG_FACTOR = 2.0
ALONG_SLACK_M = 50.0
# Direction of an end: from the point this far back along the line (or the line's start).
# Marker lines zig-zag by tens of metres between blocks ~200 m apart; a drawn line's last
# segment is usually longer than this, so this is its last segment's direction.
DIRECTION_BASE_M = 400.0
OVERSHOOT_M = 1.0
_RAY_M = 100_000.0
# A joining segment may graze the outline's edge by this much (floating point).
_INSIDE_TOL_M = 0.01


@dataclass(frozen=True)
class EndSnap:
    """How one end of a line was joined to the outline (metres, planar)."""

    end: str  # "northern" | "southern"
    rule: str  # "along" (extension of the last stretch) | "nearest" (nearest ring point)
    distance_m: float  # length of the joining segment
    nearest_m: float  # distance from the end to the exterior ring

    def note(self) -> str:
        """The repair in words, for notes and warnings."""
        if self.rule == "along":
            return (f"extended the {self.end} end by {self.distance_m:.0f} m along its "
                    "direction to reach the outline")
        return (f"joined the {self.end} end to the nearest point of the outline, "
                f"{self.distance_m:.0f} m away (its extension would not meet the outline "
                "within the tolerance)")


def exterior_rings(boundary: shapely.Geometry) -> shapely.MultiLineString:
    """The exterior rings of a (Multi)Polygon as one MultiLineString (holes left out)."""
    return shapely.MultiLineString(
        [p.exterior for p in shapely.get_parts(boundary) if isinstance(p, shapely.Polygon)]
    )


def _end_labels(xy: np.ndarray) -> tuple[str, str]:  # type: ignore[type-arg]
    first_north = xy[0, 1] >= xy[-1, 1]
    return ("northern", "southern") if first_north else ("southern", "northern")


def _direction(seq: np.ndarray) -> np.ndarray | None:  # type: ignore[type-arg]
    """Unit vector of the last stretch of ``seq`` (points ending at the tip), or None."""
    tip = seq[-1]
    back = np.hypot(*(seq - tip).T)
    far = np.nonzero(back >= DIRECTION_BASE_M)[0]
    base = seq[far[-1]] if len(far) else seq[np.argmax(back)]
    d = tip - base
    norm = math.hypot(*d)
    return None if norm == 0 else d / norm


def _valid(seg: LineString, boundary_grown: shapely.Geometry, rest: LineString) -> bool:
    """A joining segment lies inside the outline and meets the line only at its end."""
    if not boundary_grown.covers(seg):
        return False
    return not seg.crosses(rest)


def _snap_one(xy: np.ndarray, which: int, boundary: shapely.Geometry,  # type: ignore[type-arg]
              rings: shapely.Geometry, grown: shapely.Geometry, tolerance_m: float,
              label: str, source: str) -> tuple[np.ndarray, EndSnap | None]:  # type: ignore[type-arg]
    seq = xy if which == -1 else xy[::-1]
    tip = seq[-1]
    tip_pt = Point(tip)
    if not boundary.contains(tip_pt):
        return xy, None
    nearest = float(rings.distance(tip_pt))
    if nearest > tolerance_m:
        raise PartitionError(
            f"the {label} end stops {nearest:.0f} m inside the outline (snapping "
            f"tolerance {tolerance_m:.0f} m)", source=source,
            fix="extend the line to the coast or border, or raise snap_tolerance_m")
    rest = LineString(seq[:-1]) if len(seq) > 2 else LineString()
    candidates: list[tuple[str, np.ndarray, float]] = []  # type: ignore[type-arg]
    u = _direction(seq)
    if u is not None:
        ray = LineString([tip, tip + u * _RAY_M])
        hits = shapely.get_parts(shapely.extract_unique_points(shapely.intersection(ray, rings)))
        if len(hits):
            dist = float(min(tip_pt.distance(p) for p in hits))
            if dist <= tolerance_m and dist <= ALONG_FACTOR * nearest + ALONG_SLACK_M:
                candidates.append(("along", tip + u * dist, dist))
    near_pt = shapely.get_coordinates(shapely.shortest_line(tip_pt, rings))[-1]
    candidates.append(("nearest", near_pt, nearest))
    for rule, target, dist in candidates:
        seg = LineString([tip, target])
        if not _valid(seg, grown, rest):
            continue
        d = target - tip
        norm = math.hypot(*d)
        if norm == 0:  # the end lies on the ring already (within float)
            over = u if u is not None else np.array([0.0, 0.0])
        else:
            over = d / norm
        new_tip = target + over * OVERSHOOT_M
        out = np.vstack([xy, new_tip]) if which == -1 else np.vstack([new_tip, xy])
        return out, EndSnap(label, rule, dist, nearest)
    raise PartitionError(
        f"the {label} end stops {nearest:.0f} m inside the outline and cannot be joined "
        "to it: the way to the outline crosses the line itself, a pond or the sea",
        source=source, fix="extend the line to the coast or border yourself")


def snap_ends(line: LineString, boundary: shapely.Geometry, *, tolerance_m: float,
              source: str = "line") -> tuple[LineString, tuple[EndSnap, ...]]:
    """Join the ends of a planar ``line`` that stop inside ``boundary`` to its exterior.

    Returns the line as used and one :class:`EndSnap` per end that was joined.

    Raises
    ------
    geo.errors.PartitionError
        An end farther than ``tolerance_m`` from the exterior ring, or one that no
        valid segment joins to it.

    Examples
    --------
    >>> from shapely import box, LineString
    >>> b = box(0, 0, 10_000, 10_000)
    >>> ln, snaps = snap_ends(LineString([(5000, 200), (5000, 9900)]), b, tolerance_m=500)
    >>> [(s.end, s.rule, round(s.distance_m)) for s in snaps]
    [('southern', 'along', 200), ('northern', 'along', 100)]
    >>> ln.coords[0][1] < 0, ln.coords[-1][1] > 10_000
    (True, True)
    """
    xy = shapely.get_coordinates(line)
    rings = exterior_rings(boundary)
    grown = boundary.buffer(_INSIDE_TOL_M)
    shapely.prepare(grown)
    labels = _end_labels(xy)
    snaps: list[EndSnap] = []
    for which, label in ((0, labels[0]), (-1, labels[1])):
        xy, snap = _snap_one(xy, which, boundary, rings, grown, tolerance_m, label, source)
        if snap is not None:
            snaps.append(snap)
    return LineString(xy), tuple(snaps)
