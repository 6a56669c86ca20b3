"""The checks of a split, and the messages that say what went wrong and where.

A dividing line must cross the outline exactly twice, cut one polygon into two pieces
(a pond it crosses is named, with where it is and every piece's area), leave no zone under
:data:`SLIVER_PCT` of the outline, and the zones must cover it without overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely import LineString, Polygon

from geo.errors import PartitionError
from geo.geometry.crs import from_laea

__all__ = ["SLIVER_PCT", "check_invariant", "crossings", "extra_pieces", "lonlat_words",
           "pond_where", "sliver_check"]

# Relative area mismatch above which a split is declared broken (shapely's overlay is
# exact to ~1e-12 here; anything near 1e-9 means a sliver or a lost piece).
_INVARIANT_REL = 1e-9
_ALONG_BAND_M = 1.0
_ALONG_MAX_M = 50.0
# A zone smaller than this share of the outline (%) is refused unless allowed: a line
# drawn in the sea that clips a coast would otherwise give "east 100 %".
SLIVER_PCT = 1.0


def crossings(line: LineString, rings: shapely.Geometry, source: str) -> int:
    """Count where a planar line crosses the exterior rings; refuse a line along them."""
    # Collinear overlay is fragile in floating point (a shared edge comes back as hundreds
    # of points), so measure how much of the line lies within a metre of the ring; a clean
    # crossing contributes a few metres at most.
    along = shapely.intersection(line, rings.buffer(_ALONG_BAND_M)).length
    if along > _ALONG_MAX_M:
        raise PartitionError(
            f"the line runs along the outline for {along:.0f} m",
            source=source,
            fix="a dividing line must cross the outline, not follow it; trim the shared part",
        )
    inter = shapely.intersection(line, rings)
    return len(shapely.get_parts(shapely.extract_unique_points(inter)))


def check_invariant(boundary: shapely.Geometry, faces: Sequence[shapely.Geometry],
                    source: str) -> None:
    """Refuse a split whose zones lose or duplicate area, or overlap (planar)."""
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


def lonlat_words(pt: shapely.Geometry) -> str:
    """A planar point as ``31.5000 N 34.4000 E``."""
    p = from_laea(pt)
    return f"{p.y:.4f} N {p.x:.4f} E"


def extra_pieces(piece: shapely.Geometry, line: LineString,
                 faces: Sequence[shapely.Geometry]) -> str:
    """Why a line makes more than two pieces, with every piece's area.

    The ponds it crosses (where, how big) or its own crossings; areas in the local LAEA
    (equal-area), km².
    """
    sizes = ", ".join(f"{f.area / 1e6:,.2f}" for f in sorted(faces, key=lambda f: -f.area))
    what = f"the line divides the outline into {len(faces)} pieces, not 2 ({sizes} km²)"
    ponds = [Polygon(r) for r in getattr(piece, "interiors", ())]
    crossed = [(p, len(shapely.get_parts(shapely.intersection(line, p.exterior))))
               for p in ponds if line.intersects(p.exterior)]
    if crossed:
        return what + ": it crosses " + "; ".join(
            f"the inland pond {pond_where(p)} ({p.area / 1e6:.2f} km²) {n} times"
            for p, n in crossed)
    if not line.is_simple:
        return what + ": it crosses itself"
    return what


def pond_where(pond: shapely.Geometry) -> str:
    """``in <governorate> at <lat> N <lon> E`` for a planar pond.

    Names come from the packaged governorates; the position alone when none is near.
    """
    from geo.read.sources import governorates  # packaged reference data, read on this path only

    pt = pond.representative_point()
    ll = from_laea(pt)
    near = sorted((f.geometry.distance(ll), str(f.properties.get("name")))
                  for f in governorates().features)
    name = near[0][1] if near and near[0][0] < 0.01 else ""  # within about 1 km
    return (f"in {name} governorate " if name else "") + f"at {lonlat_words(pt)}"


def sliver_check(zones: Sequence[shapely.Geometry], ids: Sequence[str],
                 labels: Sequence[str], *, allowed: bool = False) -> None:
    """Refuse a zone under ``SLIVER_PCT`` of the outline (a line that misses the Strip).

    ``allowed`` (the caller's ``allow_sliver``) accepts it.
    """
    if allowed:
        return
    total = sum(z.area for z in zones)
    for zid, z in zip(ids, zones, strict=True):
        pct = 100 * z.area / total
        if pct < SLIVER_PCT:
            raise PartitionError(
                f"the {zid} zone is only {z.area / 1e6:.3f} km² ({pct:.3f} % of the outline): "
                "the line(s) barely enter the Strip", source=", ".join(labels),
                fix="check the line's coordinates and CRS, or pass allow_sliver to accept "
                    "a zone this small")
