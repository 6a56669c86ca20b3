"""Split a boundary into ordered zones: by one or more dividing lines, or by a zone polygon.

All splitting happens in the local equal-area CRS (``geo.geometry.crs.LAEA_GAZA``); inputs and
outputs are lon/lat. Zones are ordered from the Israel border westward and named
``east`` (behind the first line: the controlled side), ``between-1`` ... ``between-(N-1)``
(between consecutive lines) and ``west`` (the rest). After every split the invariant is
checked: the zones cover the boundary, do not overlap, and their areas add up to the
boundary's.

Example: two lines across a box whose east edge is the Israel border

>>> from shapely import box, LineString
>>> from geo.geometry.borders import Borders
>>> b = box(34.30, 31.40, 34.40, 31.50)
>>> borders = Borders(LineString([(34.40, 31.40), (34.40, 31.50)]),
...                   LineString(), LineString())
>>> p = partition_by_lines(b, [LineString([(34.35, 31.39), (34.35, 31.51)]),
...                            LineString([(34.33, 31.39), (34.33, 31.51)])], borders)
>>> list(p.zones), round(p.zones["between-1"].bounds[0], 6)
(['east', 'between-1', 'west'], 34.33)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely import LineString, Point

from geo._memo import Memo
from geo.defaults import DEFAULT_SNAP_TOLERANCE_M
from geo.errors import PartitionError
from geo.geometry.borders import Borders
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.partition_checks import (
    check_invariant,
    crossings,
    extra_pieces,
    lonlat_words,
    sliver_check,
)
from geo.geometry.snap import EndSnap, exterior_rings, snap_ends

__all__ = [
    "DEFAULT_SNAP_TOLERANCE_M",
    "ISRAEL_CONTACT_MIN_M",
    "Partition",
    "PlanarZone",
    "zone_ids",
    "prepare_line",
    "partition_by_lines",
    "partition_by_line",
    "partition_by_zone_polygon",
    "offset_line",
]

# A piece "borders Israel" when it shares more than this length of the Israel border (a
# line's end touching the fence shares a metre or so).
ISRAEL_CONTACT_MIN_M = 100.0
_TOUCH_M = 0.5


def zone_ids(n_lines: int) -> tuple[str, ...]:
    """The zone ids of a partition by ``n_lines`` lines, from the Israel border westward.

    >>> zone_ids(1), zone_ids(3)
    (('east', 'west'), ('east', 'between-1', 'between-2', 'west'))
    """
    return ("east", *(f"between-{k}" for k in range(1, n_lines)), "west")


@dataclass(frozen=True)
class PlanarZone:
    """A zone in the local equal-area CRS (metres) with its id."""

    id: str
    geometry: shapely.Geometry


@dataclass(frozen=True)
class Partition:
    """A boundary split into ordered zones (lon/lat), with the lines as used.

    ``zones`` maps ids (``east``, ``between-k``, ``west``) to lon/lat geometries, in
    order from the Israel border westward; ``planar`` holds the same zones in the local
    equal-area CRS. ``lines`` are the dividing lines as used (ends joined to the
    outline), lon/lat; empty for the zone-polygon method. ``snaps`` says, per line, how
    its ends were joined (:meth:`geo.geometry.snap.EndSnap.note` words it); ``notes`` lists the
    other choices made (an island joined to a zone).
    """

    boundary: shapely.Geometry
    zones: dict[str, shapely.Geometry]
    method: str
    planar: tuple[PlanarZone, ...]
    lines: tuple[shapely.Geometry, ...] = ()
    lines_planar: tuple[LineString, ...] = ()
    snaps: tuple[tuple[EndSnap, ...], ...] = ()
    notes: tuple[str, ...] = ()
    controlled_by: str = ""

    @property
    def line(self) -> shapely.Geometry | None:
        """The first dividing line (lon/lat), or None for the zone-polygon method."""
        return self.lines[0] if self.lines else None


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
            fix="give a line (LineString), or a zone polygon",
        )
    if len(line.coords) < 2 or line.length == 0:
        raise PartitionError("the line has fewer than two distinct points", source=source,
                             fix="give a line with at least two points")
    return line


def _split_piece(piece: shapely.Geometry, line: LineString, source: str
                 ) -> tuple[shapely.Geometry, shapely.Geometry, list[shapely.Geometry]]:
    """Cut the one polygon of ``piece`` that ``line`` crosses into two faces.

    Returns the two faces and the polygons of ``piece`` the line does not touch.
    """
    parts = list(shapely.get_parts(piece))
    cut = [p for p in parts if p.intersects(line)]
    rest = [p for p in parts if not p.intersects(line)]
    if len(cut) != 1:
        raise PartitionError(
            f"the line meets {len(cut)} separate parts of the outline; a dividing line "
            "must cross one of them from edge to edge", source=source,
            fix="give a line that runs from one coast or border to another")
    noded = shapely.union_all([cut[0].boundary, line])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
             if cut[0].contains(f.representative_point())]
    if len(faces) < 2:
        raise PartitionError(
            f"the line divides the outline into {len(faces)} piece(s), not 2",
            source=source, fix="give a line that runs from one coast or border to another")
    if len(faces) > 2:
        # The line crosses itself or runs through a pond: more than two faces.
        raise PartitionError(extra_pieces(cut[0], line, faces), source=source,
                             fix="give a simple line that runs from one coast or border to "
                                 "another and passes beside the ponds, not through them")
    return faces[0], faces[1], rest


def _israel_contact_m(face: shapely.Geometry, israel: shapely.Geometry) -> float:
    if israel.is_empty:
        return 0.0
    return float(shapely.intersection(israel, face.buffer(_TOUCH_M)).length)


def _shared_m(face: shapely.Geometry, line: LineString) -> float:
    return float(shapely.intersection(line, face.buffer(_TOUCH_M)).length)


def partition_by_lines(
    boundary: shapely.Geometry,
    lines: Sequence[shapely.Geometry],
    borders: Borders | None,
    *,
    snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
    sources: Sequence[str] = (),
    controlled_at: tuple[float, float] | None = None,
    controlled_label: str = "controlled_at",
    allow_sliver: bool = False,
) -> Partition:
    """Split a lon/lat boundary by lon/lat lines into ``east``, ``between-k`` and ``west``.

    Parameters
    ----------
    boundary : shapely (Multi)Polygon
        The outline (lon/lat). Inland ponds are holes; an island is another polygon.
    lines : sequence of shapely LineString
        Dividing lines from the Israel border westward, not crossing each other; ends
        inside the outline are joined to it within ``snap_tolerance_m`` (``snap_ends``).
    borders : geo.geometry.borders.Borders or None
        The outline's Israel, Egypt and sea stretches; only read to tell the controlled
        side when ``controlled_at`` is not given (``None`` is allowed then).
    sources : sequence of str
        A label per line for messages.
    controlled_at : (lon, lat), optional
        A point inside the zone behind the first line (the side under military control).
        Without it, that zone is the piece that borders Israel, when exactly one does;
        otherwise the line is refused.
    controlled_label : str
        Where ``controlled_at`` came from, for notes and messages.
    allow_sliver : bool
        Accept a zone under ``SLIVER_PCT`` (1 %) of the outline (refused by default).

    Raises
    ------
    geo.errors.PartitionError
        An end too far from the outline, a line that does not cross it exactly twice,
        lines that cross each other or are out of order, or an undeclared side.
    """
    if not lines:
        raise PartitionError("no dividing line was given", fix="give at least one line")
    if borders is None and controlled_at is None:
        raise ValueError("partition_by_lines needs the borders or controlled_at")
    labels = list(sources) + [f"line {k + 1}" for k in range(len(sources), len(lines))]
    b = to_laea(shapely.force_2d(boundary), dense=True)
    planar, snaps = _planar_lines(b, lines, labels, snap_tolerance_m)
    _check_apart(planar, labels)
    israel = borders.planar["israel"] if borders is not None else shapely.LineString()
    zones, controlled_by = _cut(b, planar, labels, israel, controlled_at, controlled_label)
    notes: list[str] = []
    zones = _attach_islands(zones, planar, notes)
    check_invariant(b, zones, ", ".join(labels))
    ids = zone_ids(len(planar))
    sliver_check(zones, ids, labels, allowed=allow_sliver)
    return Partition(
        boundary, {i: from_laea(z) for i, z in zip(ids, zones, strict=True)}, "line",
        tuple(PlanarZone(i, z) for i, z in zip(ids, zones, strict=True)),
        lines=tuple(from_laea(ln) for ln in planar), lines_planar=tuple(planar),
        snaps=tuple(snaps), notes=tuple(notes), controlled_by=controlled_by)


def _planar_lines(b: shapely.Geometry, lines: Sequence[shapely.Geometry],
                  labels: Sequence[str], snap_tolerance_m: float
                  ) -> tuple[list[LineString], list[tuple[EndSnap, ...]]]:
    """Each line in the planar CRS, its ends joined to the outline; each crosses it twice."""
    rings = exterior_rings(b)
    planar: list[LineString] = []
    snaps: list[tuple[EndSnap, ...]] = []
    for ln_ll, src in zip(lines, labels, strict=False):
        ln = to_laea(prepare_line(ln_ll, src), dense=True)
        if not ln.intersects(b):
            raise PartitionError(
                f"the line lies outside the outline ({b.distance(ln) / 1000:.1f} km away)",
                source=src,
                fix="check the file's coordinates (lon/lat order, CRS) and that it is a "
                    "Gaza line")
        ln, snap = snap_ends(ln, b, tolerance_m=snap_tolerance_m, source=src)
        n = crossings(ln, rings, src)
        if n != 2:
            raise PartitionError(
                f"the line crosses the outline {n} times; a dividing line must cross it "
                "exactly twice", source=src,
                fix="trim the line so that it enters and leaves the outline once")
        planar.append(ln)
        snaps.append(snap)
    return planar, snaps


def _check_apart(planar: Sequence[LineString], labels: Sequence[str]) -> None:
    """Refuse two lines that are the same or cross each other."""
    for i in range(len(planar)):
        for j in range(i + 1, len(planar)):
            if planar[i].intersects(planar[j]):
                which = f"line {i + 1} ({labels[i]}) and line {j + 1} ({labels[j]})"
                if planar[i].buffer(1.0).covers(planar[j]):
                    raise PartitionError(f"{which} are the same line", source=labels[j],
                                         fix="give each line once")
                where = shapely.intersection(planar[i], planar[j]).representative_point()
                raise PartitionError(
                    f"{which} cross each other at {lonlat_words(where)}",
                    source=labels[j],
                    fix="lines must not cross: give lines that divide the outline into "
                        "successive zones from the Israel border westward")


def _cut(b: shapely.Geometry, planar: Sequence[LineString], labels: Sequence[str],
         israel: shapely.Geometry, controlled_at: tuple[float, float] | None,
         controlled_label: str) -> tuple[list[shapely.Geometry], str]:
    """Cut the zones off one line at a time from the Israel border westward.

    Returns the zones (east first, the rest of the outline last) and who declares the
    side under military control.
    """
    zones: list[shapely.Geometry] = []
    remaining = b
    controlled_by = ""
    for k, ln in enumerate(planar):
        src = labels[k]
        if k > 0 and shapely.difference(shapely.intersection(ln, b),
                                       remaining.buffer(_TOUCH_M)).length > 1.0:
            raise PartitionError(
                f"{src} lies east of {labels[k - 1]} (inside the zone behind it)",
                source=src,
                fix="give the lines in order from the Israel border westward")
        f0, f1, rest = _split_piece(remaining, ln, src)
        if k == 0:
            east, controlled_by = _controlled_face(f0, f1, israel, controlled_at,
                                                   controlled_label, src)
        else:
            east = _face_behind(f0, f1, planar[k - 1], src, labels[k - 1])
        other = f1 if east is f0 else f0
        zones.append(east)
        remaining = shapely.union_all([other, *rest]) if rest else other
    zones.append(remaining)
    return zones, controlled_by


def _face_behind(f0: shapely.Geometry, f1: shapely.Geometry, previous: LineString, src: str,
                 previous_label: str) -> shapely.Geometry:
    """Of the two pieces a line cuts, the one that borders the previous line (east of it)."""
    s0, s1 = _shared_m(f0, previous), _shared_m(f1, previous)
    if (s0 > 1.0) == (s1 > 1.0):
        raise PartitionError(
            f"{src} does not lie west of {previous_label}: "
            f"{'both' if s0 > 1.0 else 'neither'} of the pieces it cuts "
            f"border{'s' if s0 <= 1.0 else ''} {previous_label}", source=src,
            fix="give lines that do not touch, from the Israel border westward")
    return f0 if s0 > 1.0 else f1


def _controlled_face(f0: shapely.Geometry, f1: shapely.Geometry, israel: shapely.Geometry,
                     controlled_at: tuple[float, float] | None, label: str, src: str
                     ) -> tuple[shapely.Geometry, str]:
    """The face behind the first line, and how it was chosen (in words)."""
    if controlled_at is not None:
        pt = to_laea(Point(*controlled_at))
        for f in (f0, f1):
            if f.contains(pt):
                return f, f"the piece holding the point {controlled_at[1]:.4f} N " \
                          f"{controlled_at[0]:.4f} E ({label})"
        raise PartitionError(
            f"the point {controlled_at[1]:.4f} N {controlled_at[0]:.4f} E ({label}) lies in "
            "neither piece the line cuts", source=src,
            fix="give a point inside the zone under military control")
    c0, c1 = _israel_contact_m(f0, israel), _israel_contact_m(f1, israel)
    touching = [f for f, c in ((f0, c0), (f1, c1)) if c > ISRAEL_CONTACT_MIN_M]
    if len(touching) != 1:
        raise PartitionError(
            f"{'both' if touching else 'neither'} of the pieces the line cuts border"
            f"{'' if touching else 's'} Israel ({c0 / 1000:.1f} km and {c1 / 1000:.1f} km "
            "of the Israel border), so the side under military control cannot be told",
            source=src,
            fix="declare it: give controlled_at, a (lon, lat) point inside the controlled "
                "zone, or controlled_point in the line's catalog entry")
    return touching[0], "the piece that borders Israel (the other does not)"


def _attach_islands(zones: list[shapely.Geometry], lines: Sequence[LineString],
                    notes: list[str]) -> list[shapely.Geometry]:
    """Polygons of the outline no line touches join the nearest zone cut by a line."""
    out = list(zones)
    last = out[-1]
    parts = list(shapely.get_parts(last))
    if len(parts) <= 1:
        return out
    cut = [p for p in parts if any(p.distance(ln) < _TOUCH_M for ln in lines[-1:])]
    loose = [p for p in parts if p not in cut]
    if not cut or not loose:
        return out
    out[-1] = shapely.union_all(cut)
    for p in loose:
        k = min(range(len(out)), key=lambda i: out[i].distance(p))
        out[k] = shapely.union_all([out[k], p])
        notes.append(f"a part of the outline no line crosses ({p.area / 1e6:.3f} km²) "
                     f"joins the nearest zone ({zone_ids(len(zones) - 1)[k]})")
    return out


def partition_by_line(boundary: shapely.Geometry, line: shapely.Geometry, borders: Borders,
                      *, snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
                      source: str = "line",
                      controlled_at: tuple[float, float] | None = None) -> Partition:
    """:func:`partition_by_lines` with one line: zones ``east`` and ``west``."""
    return partition_by_lines(boundary, [line], borders, snap_tolerance_m=snap_tolerance_m,
                              sources=[source], controlled_at=controlled_at)


def partition_by_zone_polygon(
    boundary: shapely.Geometry, zone: shapely.Geometry, *, source: str = "zone"
) -> Partition:
    """Zones from a polygon: ``east`` = boundary ∩ zone, ``west`` = boundary − zone.

    Computed once per (boundary, polygon) in a process: a report's alternative method
    and a claim on the zone polygon split the same outline by the same polygon.
    """
    key = (shapely.to_wkb(boundary), shapely.to_wkb(zone))
    hit = _ZONE_PARTITIONS.get(key)
    if hit is not None:
        return hit
    b = to_laea(shapely.force_2d(boundary), dense=True)
    z = to_laea(shapely.force_2d(zone), dense=True)
    if not z.is_valid:
        raise PartitionError(f"the zone polygon is invalid ({shapely.is_valid_reason(z)})",
                             source=source, fix="repair it in a GIS (e.g. QGIS 'Fix geometries')")
    east = shapely.intersection(b, z)
    west = shapely.difference(b, z)
    if east.is_empty:
        raise PartitionError("the zone polygon does not overlap the boundary", source=source,
                             fix="check its coordinates (lon/lat order, CRS)")
    check_invariant(b, [east, west], source)
    part = Partition(boundary, {"east": from_laea(east), "west": from_laea(west)},
                     "zone-polygon", (PlanarZone("east", east), PlanarZone("west", west)),
                     controlled_by="the zone polygon itself")
    return _ZONE_PARTITIONS.put(key, part)


# partitions by a zone polygon made in this process, by the WKB of (boundary, polygon)
_ZONE_PARTITIONS: Memo[tuple[bytes, bytes], Partition] = Memo(8)


def offset_line(line: shapely.Geometry, offset_m: float) -> shapely.Geometry:
    """The lon/lat line moved sideways by ``offset_m`` metres (positive: to its left).

    The offset is planar (local LAEA) with round joins, so that sharp turns do not
    produce spikes.
    """
    ln = to_laea(line, dense=True)
    moved = ln.offset_curve(offset_m, join_style="round")
    if moved.geom_type == "MultiLineString":
        moved = max(moved.geoms, key=lambda g: g.length)
    return from_laea(moved)
