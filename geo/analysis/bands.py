"""The land a line hands over when moved within its uncertainty: the one interval mechanism.

A line with a stated positional uncertainty sweeps a one-sided band toward Israel and one
toward the coast (local LAEA, round joins). The zones' share intervals, the governorates',
the border lengths', the counts' and the claims' all come from these bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import shapely
from shapely import LineString, Point

from geo._memo import Memo
from geo.analysis.uncertainty import LineUncertainty
from geo.geometry.borders import BORDER_KINDS, SHARES_BORDER_MIN_M, Borders, shared_lengths_km
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.measure import geodesic_area_m2, geodesic_length_m
from geo.geometry.partition import Partition
from geo.geometry.snap import exterior_rings

__all__ = ["ZONE_EDGE_CLEARANCE_M", "Bands", "ZoneEdges", "border_km", "gain_loss",
           "geodesic_km2", "line_bands", "polygon_bands", "uncertainty_band"]

# The zone polygon's dividing edge is its boundary farther than this from the outline's
# exterior: its border edges were drawn on another dataset's border and stray up to
# 422 m from the OSM outline (catalog), so nearer edges are borders, not the line.
ZONE_EDGE_CLEARANCE_M = 450.0
_TOUCH_M = 0.5  # a zone touches a border this close to it


@dataclass(frozen=True)
class Bands:
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


def line_bands(part: Partition, i: int, u: LineUncertainty) -> Bands:
    """The bands line ``i`` of ``part`` sweeps toward each side by ``u`` (planar)."""
    ln = part.lines_planar[i]
    east, west = part.planar[i].geometry, part.planar[i + 1].geometry
    left_east = _left_faces(ln, east)

    def side(toward_east: bool, width: float) -> shapely.Geometry:
        if width <= 0:
            return shapely.Polygon()
        # a positive single-sided buffer grows to the left of the line's direction
        return ln.buffer(width if toward_east == left_east else -width, single_sided=True,
                         join_style="round")

    return Bands(u, to_east=shapely.intersection(side(False, u.toward_coast_m), west),
                  to_west=shapely.intersection(side(True, u.toward_israel_m), east))


def polygon_bands(part: Partition, b_planar: shapely.Geometry, u: LineUncertainty) -> Bands:
    """The bands the zone polygon's dividing edge sweeps by ``u`` (planar).

    Kept for the partition (:func:`geo.geometry.partition.partition_by_zone_polygon` makes
    one per outline and polygon) and ``u``: a report's alternative method and its claim on
    the zone polygon sweep the same edge by the same uncertainty.
    """
    key = (id(part), shapely.to_wkb(b_planar), u)
    kept = _POLYGON_BANDS.get(key)
    if kept is not None and kept[0] is part:
        return kept[1]
    return _POLYGON_BANDS.put(key, (part, _polygon_bands(part, b_planar, u)))[1]


# (partition, bands) by (id of the partition, the planar outline, u); the partition is kept
# in the value so that its id cannot be reused while the entry lives
_POLYGON_BANDS: Memo[tuple[int, bytes, LineUncertainty], tuple[Partition, Bands]] = Memo(8)


def _polygon_bands(part: Partition, b_planar: shapely.Geometry, u: LineUncertainty) -> Bands:
    east, west = part.planar[0].geometry, part.planar[1].geometry
    edge = shapely.difference(east.boundary,
                              exterior_rings(b_planar).buffer(ZONE_EDGE_CLEARANCE_M))

    def band(width: float) -> shapely.Geometry:
        return (shapely.intersection(edge.buffer(width), b_planar) if width > 0
                else shapely.Polygon())

    return Bands(u, to_east=shapely.intersection(band(u.toward_coast_m), west),
                  to_west=shapely.intersection(band(u.toward_israel_m), east))


def geodesic_km2(lonlat: shapely.Geometry, clip: shapely.Geometry | None = None) -> float:
    """The geodesic area of ``lonlat`` (clipped to ``clip``) in km²."""
    if lonlat.is_empty:
        return 0.0
    g = lonlat if clip is None else (shapely.intersection(lonlat, clip)
                                     if shapely.intersects(clip, lonlat) else shapely.Polygon())
    return geodesic_area_m2(g) / 1e6


def border_km(planar: shapely.Geometry, borders: Borders) -> dict[str, float]:
    """Length of each border kind (km) that the planar piece touches."""
    if planar.is_empty:
        return {k: 0.0 for k in BORDER_KINDS}
    grown = planar.buffer(_TOUCH_M)
    return {k: geodesic_length_m(from_laea(shapely.intersection(borders.planar[k], grown))) / 1000
            for k in BORDER_KINDS}


_Piece = tuple[shapely.Geometry, shapely.Geometry]  # (planar, lon/lat)


@dataclass(frozen=True)
class ZoneEdges:
    """What one zone's border lengths are measured from; measured when first read.

    ``gain`` and ``loss`` are the planar pieces the zone gains and loses at most when its
    lines move within their uncertainty (:func:`gain_loss`); ``None`` when it has no
    interval. A claim on a zone's share, a comparison or a timeline never reads the
    border lengths, and measuring them is a third of an analysis.
    """

    geometry: shapely.Geometry
    borders: Borders
    gain: tuple[shapely.Geometry, ...] | None = None
    loss: tuple[shapely.Geometry, ...] = ()

    @cached_property
    def km(self) -> dict[str, float]:
        """Length in km of the zone's edge along each border kind."""
        return shared_lengths_km(self.geometry, self.borders)

    @cached_property
    def km_interval(self) -> dict[str, tuple[float, float]] | None:
        """``(low, high)`` km of each kind under the lines' uncertainty (None: no interval)."""
        if self.gain is None:
            return None
        gb = [border_km(pl, self.borders) for pl in self.gain]
        lb = [border_km(pl, self.borders) for pl in self.loss]
        return {kind: (max(0.0, self.km[kind] - sum(x[kind] for x in lb)),
                       self.km[kind] + sum(x[kind] for x in gb))
                for kind in BORDER_KINDS}

    @cached_property
    def shares(self) -> dict[str, bool]:
        """Whether the zone shares each border (more than ``SHARES_BORDER_MIN_M``)."""
        return {kd: v * 1000 > SHARES_BORDER_MIN_M for kd, v in self.km.items()}


def gain_loss(k: int, n_zones: int, bands: Sequence[Bands | None]
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


def uncertainty_band(line: shapely.Geometry | None, uncertainty_m: float,
                     boundary: shapely.Geometry | None = None) -> shapely.Geometry:
    """Land within ``uncertainty_m`` metres of a lon/lat line (buffered in the local LAEA).

    Clipped to ``boundary`` when given. An empty geometry for ``uncertainty_m <= 0``.
    (A map draws it for a symmetric uncertainty; the intervals use the one-sided
    :class:`Bands`.)

    >>> from shapely import LineString
    >>> band = uncertainty_band(LineString([(34.35, 31.40), (34.35, 31.45)]), 300)
    >>> round(geodesic_area_m2(band) / 1e6, 2)  # ~5.5 km x 600 m plus round caps
    3.61
    >>> uncertainty_band(LineString([(34.35, 31.40), (34.35, 31.45)]), 0).is_empty
    True
    """
    if uncertainty_m <= 0 or line is None or line.is_empty:
        return shapely.Polygon()
    band = from_laea(to_laea(line, dense=True).buffer(uncertainty_m, quad_segs=8))
    if boundary is not None:
        band = shapely.intersection(band, boundary)
    return band
