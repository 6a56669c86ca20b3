"""A dividing line from marker points (e.g. yellow blocks), given in any order.

The points are ordered along the line they mark: a minimum spanning tree of the points
(in the local equal-area CRS) is built, its longest path is the backbone, and every point
is placed by its position along that backbone. Markers that stand far from the line
through their neighbours are reported (with their ids or row numbers) and left out. The
ends are then extended to the outline along the general direction of the last few
hundred metres, with a warning giving the distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely import LineString, Point

from geo.crs import from_laea, to_laea
from geo.errors import InputError
from geo.features import Feature

__all__ = [
    "DEFAULT_OUTLIER_M",
    "MAX_OUTLIER_SHARE",
    "MarkerLine",
    "marker_labels",
    "order_points",
    "line_from_markers",
]

# A marker farther than this from the line through its neighbours is an outlier. Markers
# are meant to stand every ~200 m and are read off imagery to tens of metres; the reported
# moves of single markers (~300 m) are real, so the bar is above them.
DEFAULT_OUTLIER_M = 500.0
# More outliers than this share means the points do not mark one line.
MAX_OUTLIER_SHARE = 0.25
# An isolated point (nearest other marker this many median spacings away) is an outlier.
_ISOLATION_FACTOR = 5.0
_DUPLICATE_M = 1.0
# Rounds of outlier removal (each recomputes the spanning tree).
_MAX_ROUNDS = 20
_LABEL_KEYS = ("id", "name", "marker", "label", "ref", "fid", "block")


@dataclass(frozen=True)
class MarkerLine:
    """A line built from markers (lon/lat) and what was done to build it.

    ``order`` are the indices (into the input points) of the markers used, in line order
    from the northern end; ``outliers`` the labels of those left out; ``notes`` the
    repairs in words.
    """

    line: LineString
    order: list[int]
    outliers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def marker_labels(features: list[Feature]) -> list[str]:
    """A label per feature for messages: its id or name, and its CSV row if known.

    >>> from shapely import Point
    >>> marker_labels([Feature(Point(0, 0), {"id": "B7", "row": 3}),
    ...                Feature(Point(1, 1), {"row": 4}), Feature(Point(2, 2), {})])
    ["'B7' (row 3)", 'row 4', '#3']
    """
    out = []
    for i, f in enumerate(features):
        low = {str(k).casefold(): v for k, v in f.properties.items()}
        name = next((low[k] for k in _LABEL_KEYS if low.get(k) not in (None, "")), None)
        row = f.properties.get("row")
        if name is not None:
            out.append(f"{str(name)!r}" + (f" (row {row})" if row is not None else ""))
        else:
            out.append(f"row {row}" if row is not None else f"#{i + 1}")
    return out


def _nearest_m(xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Distance from each point to its nearest other point (chunked: O(n) memory)."""
    out = np.empty(len(xy))
    for s in range(0, len(xy), 512):
        blk = xy[s:s + 512]
        d = np.hypot(blk[:, None, 0] - xy[None, :, 0], blk[:, None, 1] - xy[None, :, 1])
        d[np.arange(d.shape[0]), np.arange(s, s + d.shape[0])] = np.inf
        out[s:s + 512] = d.min(axis=1)
    return out


def _mst(xy: np.ndarray[Any, Any]) -> list[list[tuple[int, float]]]:
    """Prim's minimum spanning tree as adjacency lists (O(n²) time, O(n) memory)."""
    n = len(xy)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    in_tree = np.zeros(n, dtype=bool)
    best = np.full(n, np.inf)
    parent = np.full(n, -1)
    cur = 0
    for _ in range(n - 1):
        in_tree[cur] = True
        d = np.hypot(xy[:, 0] - xy[cur, 0], xy[:, 1] - xy[cur, 1])
        closer = (~in_tree) & (d < best)
        best[closer], parent[closer] = d[closer], cur
        cand = np.where(in_tree, np.inf, best)
        nxt = int(np.argmin(cand))
        p = int(parent[nxt])
        adj[p].append((nxt, float(best[nxt])))
        adj[nxt].append((p, float(best[nxt])))
        cur = nxt
    return adj


def _farthest(adj: list[list[tuple[int, float]]], start: int) -> tuple[int, list[int]]:
    """The node farthest (along the tree) from ``start``, and the path to it."""
    dist = {start: 0.0}
    prev = {start: -1}
    stack = [start]
    while stack:
        u = stack.pop()
        for v, w in adj[u]:
            if v not in dist:
                dist[v] = dist[u] + w
                prev[v] = u
                stack.append(v)
    end = max(dist, key=lambda k: dist[k])
    path = [end]
    while prev[path[-1]] != -1:
        path.append(prev[path[-1]])
    return end, path[::-1]


def _backbone_order(xy: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], LineString]:
    """Positions of the points along the longest path of their spanning tree."""
    adj = _mst(xy)
    a, _ = _farthest(adj, 0)
    _, path = _farthest(adj, a)
    backbone = LineString(xy[path]) if len(path) >= 2 else LineString(xy[:2])
    pos = shapely.line_locate_point(backbone, shapely.points(xy))
    return np.asarray(pos, dtype=float), backbone


def _two_opt(xy: np.ndarray[Any, Any], order: list[int], window: int = 8) -> list[int]:
    """Reverse short runs of the order wherever that shortens the line.

    Projection onto the backbone can misplace a marker at a sharp corner, where markers
    200 m apart along the line are less than 100 m apart across it; a local 2-opt puts
    it back (a misplaced marker always adds a detour).
    """
    o = list(order)
    n = len(o)

    def d(a: int, b: int) -> float:
        return math.hypot(*(xy[o[a]] - xy[o[b]]))

    improved = True
    passes = 0
    while improved and passes < 50:
        improved, passes = False, passes + 1
        for i in range(n - 1):
            for k in range(i + 1, min(n, i + window)):
                before = (d(i - 1, i) if i > 0 else 0.0) + (d(k, k + 1) if k < n - 1 else 0.0)
                after = (d(i - 1, k) if i > 0 else 0.0) + (d(i, k + 1) if k < n - 1 else 0.0)
                if after < before - 1e-6:
                    o[i:k + 1] = o[i:k + 1][::-1]
                    improved = True
    return o


def _deviation_m(pts: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Leave-one-out distance of each ordered marker from the line through its neighbours.

    Inner markers: the distance to the segment joining the two neighbours. End markers:
    the distance to the line's continuation beyond its next marker (a marker set off
    sideways at an end would otherwise become the end).
    """
    n = len(pts)
    dev = np.zeros(n)
    if n < 3:
        return dev
    segs = shapely.linestrings(np.stack([pts[:-2], pts[2:]], axis=1))
    dev[1:-1] = shapely.distance(segs, shapely.points(pts[1:-1]))
    for end, n1, n2 in ((0, 1, 2), (n - 1, n - 2, n - 3)):
        d = pts[n1] - pts[n2]
        norm = math.hypot(*d)
        if norm == 0:
            continue
        reach = math.hypot(*(pts[end] - pts[n1])) + 1.0
        ext = LineString([pts[n1], pts[n1] + d / norm * reach])
        dev[end] = ext.distance(Point(pts[end]))
    return dev


def order_points(xy: np.ndarray[Any, Any], *,
                 outlier_m: float = DEFAULT_OUTLIER_M) -> tuple[list[int], list[int]]:
    """Order planar points (metres) along the line they mark; find the outliers.

    Returns the indices of the points kept, in line order (either direction), and the
    indices of the outliers.

    >>> import numpy as np
    >>> xy = np.array([[0, 400], [0, 0], [0, 200], [0, 600], [3000, 300]], dtype=float)
    >>> order_points(xy)
    ([1, 2, 0, 3], [4])
    """
    n = len(xy)
    idx = np.arange(n)
    if n < 3:
        return [int(k) for k in idx[np.argsort(xy[:, 0] + xy[:, 1])]], []
    nn = _nearest_m(xy)
    spacing = float(np.median(nn))
    jump_m = max(_ISOLATION_FACTOR * spacing, outlier_m)
    isolated = nn > jump_m
    out = [int(k) for k in idx[isolated]]
    keep = idx[~isolated]
    order = keep
    for _ in range(_MAX_ROUNDS):
        if len(keep) < 3:
            return keep.tolist(), sorted(out)
        pos, backbone = _backbone_order(xy[keep])
        order = np.array(_two_opt(xy, keep[np.argsort(pos, kind="stable")].tolist()))
        drop = _end_spurs(xy[order], jump_m, n)
        if not drop:
            dev = _deviation_m(xy[order])
            # local maxima only: a spike's neighbours deviate too, less, until it is gone
            peak = (dev > outlier_m) & (dev >= np.roll(dev, 1)) & (dev >= np.roll(dev, -1))
            drop = [int(i) for i in np.nonzero(peak)[0]]
        if not drop:
            # a pair of outliers side by side hides from the leave-one-out test, not
            # from the backbone
            lateral = shapely.distance(backbone, shapely.points(xy[order]))
            drop = [int(i) for i in np.nonzero(lateral > outlier_m)[0]]
        if not drop:
            return order.tolist(), sorted(out)
        gone = {int(order[i]) for i in drop}
        out += sorted(gone)
        keep = np.array([k for k in keep if int(k) not in gone])
    return order.tolist(), sorted(out)


def _end_spurs(pts: np.ndarray[Any, Any], jump_m: float, n_all: int) -> list[int]:
    """Positions of a few markers cut off from either end of the order by a long jump.

    Two or three stray markers near each other can form the end of the backbone; a
    jump longer than ``jump_m`` right after them gives them away. Longer runs are kept
    (a real gap in the mapping).
    """
    seg = np.hypot(*np.diff(pts, axis=0).T)
    small = max(2, int(0.02 * n_all))
    out: list[int] = []
    jumps = np.nonzero(seg > jump_m)[0]
    if len(jumps):
        head = int(jumps[0]) + 1  # markers before the first jump
        tail = len(pts) - int(jumps[-1]) - 1  # markers after the last jump
        if head <= small:
            out += list(range(head))
        if tail <= small:
            out += list(range(len(pts) - tail, len(pts)))
    return out


def line_from_markers(
    features: list[Feature],
    *,
    source: str = "markers",
    outlier_m: float = DEFAULT_OUTLIER_M,
) -> MarkerLine:
    """Join marker points (lon/lat, any order) into a line ordered from north to south.

    Parameters
    ----------
    features : list of Feature
        Point (or MultiPoint) features, e.g. from :func:`geo.io.read_features`.
    source : str
        The file or dataset, for messages.
    outlier_m : float
        Markers farther than this (metres) from the line through their neighbours are
        left out and reported (by id or row) in ``MarkerLine.notes``.

    Raises
    ------
    InputError
        Fewer than two markers, non-point geometries, or more than a quarter outliers.

    Examples
    --------
    >>> from shapely import Point
    >>> pts = [Feature(Point(34.40, 31.40 + k * 0.002), {"id": k}) for k in (3, 0, 2, 1)]
    >>> m = line_from_markers(pts)
    >>> m.order, [round(y, 3) for y in m.line.xy[1]]
    ([0, 2, 3, 1], [31.406, 31.404, 31.402, 31.4])
    """
    pts: list[Point] = []
    owners: list[int] = []
    labels = marker_labels(features)
    for i, f in enumerate(features):
        g = shapely.force_2d(f.geometry)
        if g.geom_type not in ("Point", "MultiPoint"):
            raise InputError(f"marker {labels[i]} is a {g.geom_type}, not a point",
                             source=source, fix="give a file of points (one per marker)")
        for p in shapely.get_parts(g):
            if not p.is_empty:
                pts.append(p)
                owners.append(i)
    if len(pts) < 2:
        raise InputError(f"{len(pts)} marker point(s); at least 2 are needed", source=source,
                         fix="give the positions of the markers along the line")
    xy = shapely.get_coordinates(to_laea(shapely.MultiPoint(pts)))
    notes: list[str] = []
    # exact duplicates (the same block mapped twice) would make the order ambiguous
    keep_idx: list[int] = []
    seen: list[int] = []
    for k in range(len(xy)):
        if any(math.hypot(*(xy[k] - xy[j])) < _DUPLICATE_M for j in seen):
            notes.append(f"marker {labels[owners[k]]} repeats another's position; used once")
            continue
        seen.append(k)
        keep_idx.append(k)
    sub = xy[keep_idx]
    order, outliers = order_points(sub, outlier_m=outlier_m)
    order = [keep_idx[k] for k in order]
    out_labels = [labels[owners[keep_idx[k]]] for k in outliers]
    if len(outliers) > MAX_OUTLIER_SHARE * len(sub):
        raise InputError(
            f"{len(outliers)} of {len(sub)} markers stand more than {outlier_m:.0f} m from "
            f"the line through the others ({', '.join(out_labels[:8])}"
            f"{', ...' if len(out_labels) > 8 else ''}): they do not mark one line",
            source=source, fix="give the markers of one line only, or check their coordinates")
    if len(order) < 2:
        raise InputError("fewer than 2 markers remain once the outliers are left out",
                         source=source, fix="give more markers along the line")
    if out_labels:
        notes.append(f"left out {len(out_labels)} outlier marker(s) standing more than "
                     f"{outlier_m:.0f} m from the line through their neighbours: "
                     f"{', '.join(out_labels)}")
    line_xy = xy[order]
    if line_xy[0, 1] < line_xy[-1, 1]:  # north first
        line_xy, order = line_xy[::-1], order[::-1]
    line = LineString(line_xy)
    return MarkerLine(from_laea(line), [owners[k] for k in order], out_labels, notes)
