"""One geometry of the kind a caller expects, from the features a reader returns.

A line (its parts joined), a polygon (its parts dissolved into one outline, overlaps
counted once), points, or any geometry; GeometryCollections are opened, other kinds are
skipped with a warning, and a file holding none of the kind asked for is refused with
what it does hold. A line or polygon that will partition the Strip is bounded in vertices
before any work that grows faster than its size.
"""

from __future__ import annotations

from typing import Literal

import shapely

from geo.errors import InputError, ReadLimitError
from geo.read.base import MAX_LINE_VERTICES, _homogeneous, _warn
from geo.read.features import Feature

__all__ = ["Expect", "geometry_from_features"]

Expect = Literal["line", "polygon", "points", "any"]
_EXPECT_TYPES = {
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
    "points": ("Point", "MultiPoint"),
}


def geometry_from_features(feats: list[Feature], expect: Expect, source: str, *,
                           max_vertices: int | None = None) -> shapely.Geometry:
    """One geometry of the expected kind from features (polygons dissolved, lines joined).

    GeometryCollections are opened; features of other kinds are skipped with a warning
    (e.g. label points beside a line); none of the expected kind is refused.

    A line or polygon (what partitions are made of) with more than ``max_vertices``
    vertices (default :data:`MAX_LINE_VERTICES`) is refused with its measured size before
    any work that grows faster than its size. Read such files with
    ``read_features(..., max_vertices=MAX_LINE_VERTICES)`` to refuse them before parsing
    every vertex.
    """
    if expect in ("line", "polygon"):
        _check_partition_size(feats, expect, source, max_vertices)
    parts = _parts(feats)
    if expect == "any":
        geoms = [p for p in parts if not p.is_empty]
        if not geoms:
            raise InputError("every geometry is empty", source=source, fix="re-export the file")
        return geoms[0] if len(geoms) == 1 else _homogeneous(geoms)
    types = _EXPECT_TYPES[expect]
    geoms = [p for p in parts if p.geom_type in types and not p.is_empty]
    if not geoms:
        raise _none_of_the_kind(feats, parts, expect, source)
    others = [p.geom_type for p in parts if p.geom_type not in types]
    if others:
        counts = ", ".join(f"{others.count(t)} {t}" for t in sorted(set(others)))
        _warn(source, f"ignored {counts} (only the {expect} geometries are used)")
    if expect == "polygon":
        if len(geoms) == 1:
            return geoms[0]
        union, overlap_km2 = _dissolved(geoms)
        if overlap_km2 > 1e-6:
            _warn(source, f"{len(geoms)} polygons overlap by {overlap_km2:.3f} km²; dissolved "
                          "them into one outline (overlaps counted once)")
        return union
    if expect == "line":
        return geoms[0] if len(geoms) == 1 else shapely.MultiLineString(geoms)
    return geoms[0] if len(geoms) == 1 else shapely.MultiPoint(geoms)


def _check_partition_size(feats: list[Feature], expect: Expect, source: str,
                          max_vertices: int | None) -> None:
    """Refuse a line or polygon with more vertices than a partition may take."""
    limit = MAX_LINE_VERTICES if max_vertices is None else max_vertices
    kinds = {"line": ("LineString", "LinearRing"), "polygon": ("Polygon",)}[expect]
    flat = shapely.get_parts(shapely.get_parts([f.geometry for f in feats]))
    mine = [g for g in flat if g.geom_type in kinds]
    n = int(shapely.get_num_coordinates(mine).sum()) if mine else 0
    if n > limit:
        raise ReadLimitError(
            f"the {expect} has {n:,} vertices, over the limit of {limit:,} for a {expect} "
            "used to partition (max_vertices)", source=source,
            fix="simplify it (e.g. QGIS Simplify at 1 m, or mapshaper -simplify), or "
                "raise max_vertices")


def _parts(feats: list[Feature]) -> list[shapely.Geometry]:
    """Every single part of the features, GeometryCollections opened."""
    parts = [p for f in feats for p in shapely.get_parts(f.geometry)]
    return [q for p in parts for q in (shapely.get_parts(p) if p.geom_type ==
                                       "GeometryCollection" else [p])]


def _none_of_the_kind(feats: list[Feature], parts: list[shapely.Geometry], expect: Expect,
                      source: str) -> InputError:
    """The error for features holding nothing of the expected kind: what they do hold."""
    types = _EXPECT_TYPES[expect]
    found = [f.geometry.geom_type for f in feats]
    counts = ", ".join(f"{found.count(t)} {t}" for t in sorted(set(found)))
    if "GeometryCollection" in found:
        inner = [p.geom_type for p in parts]
        counts += " (holding " + ", ".join(
            f"{inner.count(t)} {t}" for t in sorted(set(inner))) + ")"
    hint = (" (points? build the line from them with `markers`)"
            if expect == "line" and all(p.geom_type == "Point" for p in parts)
            else "")
    return InputError(f"expected a {expect}, found {counts}{hint}", source=source,
                      fix=f"give a file with a {' or '.join(types)}")


def _dissolved(geoms: list[shapely.Geometry]) -> tuple[shapely.Geometry, float]:
    """The polygons' union, and the km² by which they overlapped (counted once in it)."""
    from geo.geometry.measure import geodesic_area_m2

    union = shapely.union_all(geoms)
    overlap_km2 = (sum(geodesic_area_m2(g) for g in geoms) - geodesic_area_m2(union)) / 1e6
    return union, overlap_km2
