"""Points every so many metres along a planar line: the samples of depths and displacements.

:func:`interpolate_along` gives the points GEOS's ``line_interpolate_point`` gives, bit for
bit (the same segment lengths, summed in the same order, the same fraction along the
segment), from coordinate arrays: GEOS walks the line from its start for every point,
which made sampling a 45 km line every 50 m cost 9 ms instead of 0.3 ms.
tests/geo/test_shape_metrics.py compares both on real and random lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

__all__ = ["distances_to", "interpolate_along", "sample_points"]


def interpolate_along(line: shapely.LineString, distances: Any) -> np.ndarray[Any, Any]:
    """``(n, 2)`` coordinates at ``distances`` along a planar ``line`` from its start.

    As GEOS: a negative distance counts from the end; one at or beyond the line's length
    gives the last vertex.

    >>> from shapely import LineString
    >>> interpolate_along(LineString([(0, 0), (10, 0), (10, 10)]), [0, 5, 15, 99, -2]).tolist()
    [[0.0, 0.0], [5.0, 0.0], [10.0, 5.0], [10.0, 10.0], [10.0, 8.0]]
    """
    xy = shapely.get_coordinates(line)
    dist = np.asarray(distances, dtype=float)
    out = np.empty((len(dist), 2))
    if len(xy) < 2:
        out[:] = xy[0] if len(xy) else np.nan
        return out
    d = xy[1:] - xy[:-1]
    seg = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
    end_of = np.cumsum(seg)  # the length walked at the end of each segment, in order
    start_of = np.concatenate([[0.0], end_of[:-1]])
    dist = np.where(dist < 0, end_of[-1] + dist, dist)
    i = np.searchsorted(end_of, dist, side="right")  # the first segment ending beyond
    past = i >= len(seg)
    out[past] = xy[-1]
    j = i[~past]
    frac = (dist[~past] - start_of[j]) / seg[j]
    p0, p1 = xy[j], xy[j + 1]
    along = (p1 - p0) * frac[:, None] + p0
    along = np.where((frac <= 0)[:, None], p0, np.where((frac >= 1)[:, None], p1, along))
    out[~past] = along
    out[dist <= 0] = xy[0]
    return out


def sample_points(line: shapely.Geometry, step_m: float) -> np.ndarray[Any, Any]:
    """Points along each part of a planar (multi)line: both ends and every ~``step_m``.

    A part of length L gets ``ceil(L / step_m) + 1`` evenly spaced points; empty parts
    and points are skipped.
    """
    coords = []
    for part in shapely.get_parts(line):
        if part.geom_type != "LineString" or part.length == 0:
            continue
        n = max(1, int(np.ceil(part.length / step_m)))
        coords.append(interpolate_along(part, np.linspace(0, part.length, n + 1)))
    if not coords:
        return np.array([], dtype=object)
    return shapely.points(np.concatenate(coords))  # type: ignore[no-any-return]


def distances_to(points: np.ndarray[Any, Any], line: shapely.Geometry) -> np.ndarray[Any, Any]:
    """The distance from each point to a planar (multi)line: ``shapely.distance``, bit for bit.

    GEOS measures each point against every segment; a tree of the segments finds the
    nearest (the same point-to-segment distance, so the same value) at half the cost for
    the ~900 points of a depth against the 1,200 segments of the Israel border.
    """
    pts = np.asarray(points)
    segments = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) >= 2:
            segments.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
    if not len(pts) or not segments:
        return shapely.distance(pts, line)  # type: ignore[no-any-return]
    tree = shapely.STRtree(np.concatenate(segments))
    (which, _), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    out = np.full(len(pts), np.nan)
    np.fmin.at(out, which, dist)
    return out
