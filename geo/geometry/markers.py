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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely import LineString, Point

from geo.defaults import DEFAULT_OUTLIER_M
from geo.errors import InputError
from geo.geometry.crs import from_laea, to_laea
from geo.read.features import Feature

__all__ = [
    "DEFAULT_OUTLIER_M",
    "MAX_OUTLIER_SHARE",
    "MarkerLine",
    "marker_labels",
    "order_points",
    "line_from_markers",
]

# A marker farther than DEFAULT_OUTLIER_M (geo.defaults: why 500 m) from the line through
# its neighbours is an outlier.
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


def _kdtree(xy: np.ndarray[Any, Any]) -> Any:
    # scipy is imported on first use: `gazamap areas` with a --line never needs it
    from scipy.spatial import cKDTree

    return cKDTree(xy)


def _nearest_m(xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Distance from each point to its nearest other point (KD-tree: n log n)."""
    if len(xy) < 2:
        return np.full(len(xy), np.inf)
    d, _ = _kdtree(xy).query(xy, k=2)
    return np.asarray(d[:, 1], dtype=float)


# Neighbours per point in the graph the spanning tree is taken from. Markers stand along a
# line, so a point's spanning-tree edges go to its nearest few; 12 leaves room for the
# points of repeated surveys (several markers per block).
_NEIGHBOURS = 12


def _mst(xy: np.ndarray[Any, Any]) -> list[list[tuple[int, float]]]:
    """A minimum spanning tree of the points as adjacency lists (n log n).

    The tree is taken from the graph of each point's nearest neighbours (KD-tree), not
    from all pairs. Pieces that graph leaves apart (clusters farther apart than their
    points' neighbours) are joined Borůvka-style by their shortest links, so the result
    spans every point and equals the all-pairs tree whenever the neighbour graph holds
    it (as it does for points along a line).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

    n = len(xy)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    if n < 2:
        return adj
    tree = _kdtree(xy)
    k = min(n, _NEIGHBOURS + 1)
    dist, nbr = tree.query(xy, k=k)
    rows = np.repeat(np.arange(n), k - 1)
    cols = nbr[:, 1:].ravel()
    w = dist[:, 1:].ravel()
    # a zero-length edge (points on top of each other) must stay an edge in the sparse
    # graph, where 0 means "no edge"
    w = np.where(w > 0, w, 1e-9)
    graph = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    graph = graph.maximum(graph.T)  # symmetric: an edge either way is an edge
    while True:
        ncomp, label = connected_components(graph, directed=False)
        if ncomp == 1:
            break
        extra_r, extra_c, extra_w = [], [], []
        for c in range(ncomp):
            inside = np.nonzero(label == c)[0]
            rest = np.nonzero(label != c)[0]
            d, j = _kdtree(xy[rest]).query(xy[inside], k=1)
            best = int(np.argmin(d))
            extra_r.append(int(inside[best]))
            extra_c.append(int(rest[int(j[best])]))
            extra_w.append(max(float(d[best]), 1e-9))
        link = coo_matrix((extra_w, (extra_r, extra_c)), shape=(n, n)).tocsr()
        graph = graph.maximum(link).maximum(link.T)
    mst = minimum_spanning_tree(graph).tocoo()
    for i, j in zip(mst.row.tolist(), mst.col.tolist(), strict=True):
        length = float(np.hypot(*(xy[i] - xy[j])))
        adj[i].append((j, length))
        adj[j].append((i, length))
    return adj


def _farthest(adj: list[list[tuple[int, float]]], start: int) -> tuple[int, list[int]]:
    """The node farthest (along the tree) from ``start``, and the path to it."""
    n = len(adj)
    dist = np.full(n, -1.0)
    prev = np.full(n, -1, dtype=np.int64)
    dist[start] = 0.0
    stack = [start]
    while stack:
        u = stack.pop()
        du = dist[u]
        for v, w in adj[u]:
            if dist[v] < 0:
                dist[v] = du + w
                prev[v] = u
                stack.append(v)
    end = int(np.argmax(dist))
    path = [end]
    while prev[path[-1]] != -1:
        path.append(int(prev[path[-1]]))
    return end, path[::-1]


def _backbone_order(xy: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], LineString]:
    """Positions of the points along the longest path of their spanning tree."""
    adj = _mst(xy)
    a, _ = _farthest(adj, 0)
    _, path = _farthest(adj, a)
    backbone = LineString(xy[path]) if len(path) >= 2 else LineString(xy[:2])
    return _locate(backbone, xy), backbone


def _nearest_segments(line: LineString, xy: np.ndarray[Any, Any]) -> tuple[
        np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The line's segments, where each starts along it, and each point's nearest one."""
    c = shapely.get_coordinates(line)
    segs = shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1))
    start = np.concatenate([[0.0], np.cumsum(shapely.length(segs))[:-1]])
    pts = shapely.points(xy)
    pi, si = shapely.STRtree(segs).query_nearest(pts, all_matches=False)
    nearest = np.empty(len(xy), dtype=np.int64)
    nearest[pi] = si
    return segs, start, pts, nearest


def _distance_to(line: LineString, xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Distance from each point to a long line (nearest segment by STRtree: n log n)."""
    segs, _, pts, nearest = _nearest_segments(line, xy)
    return np.asarray(shapely.distance(segs[nearest], pts), dtype=float)


def _locate(line: LineString, xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``line_locate_point`` of many points on a long line, in n log n.

    GEOS scans every segment for every point (n × m); here an STRtree of the segments
    finds each point's nearest one, and the point is located on that segment alone.
    """
    segs, start, pts, nearest = _nearest_segments(line, xy)
    return np.asarray(start[nearest] + shapely.line_locate_point(segs[nearest], pts),
                      dtype=float)


def _first_names(names: Sequence[str], most: int = 8) -> str:
    """The first ``most`` names, then how many more (a note stays one line).

    >>> _first_names(["a", "b", "c"], most=2)
    'a, b and 1 more'
    """
    head = ", ".join(names[:most])
    return head if len(names) <= most else f"{head} and {len(names) - most:,} more"


def _first_of_duplicates(xy: np.ndarray[Any, Any]) -> list[int]:
    """Indices of the points kept, dropping each one near an earlier kept point.

    "Near": within ``_DUPLICATE_M``; pairs from a KD-tree, not all pairs.
    """
    pairs = _kdtree(xy).query_pairs(_DUPLICATE_M - 1e-12, output_type="ndarray")
    if len(pairs) == 0:
        return list(range(len(xy)))
    near: dict[int, list[int]] = {}
    for i, j in pairs.tolist():
        lo, hi = min(i, j), max(i, j)
        near.setdefault(hi, []).append(lo)
    dropped: set[int] = set()
    for k in sorted(near):
        if any(j not in dropped for j in near[k]):
            dropped.add(k)
    return [k for k in range(len(xy)) if k not in dropped]


def _two_opt(xy: np.ndarray[Any, Any], order: list[int], window: int = 8) -> list[int]:
    """Reverse short runs of the order wherever that shortens the line.

    Projection onto the backbone can misplace a marker at a sharp corner, where markers
    200 m apart along the line are less than 100 m apart across it; a local 2-opt puts
    it back (a misplaced marker always adds a detour). Each pass computes the gain of
    every reversal of at most ``window`` markers at once (arrays, not pairs of loops)
    and applies the improving ones that do not touch each other, until none is left.
    """
    o = np.asarray(order, dtype=np.int64)
    n = len(o)
    if n < 3:
        return o.tolist()
    for _ in range(50):
        p = xy[o]
        cands: list[tuple[int, int, float]] = []
        for s in range(1, min(window, n)):
            i = np.arange(0, n - s)
            k = i + s
            has_prev, has_next = i > 0, k < n - 1
            ip, kn = np.maximum(i - 1, 0), np.minimum(k + 1, n - 1)

            def dist(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any],
                     p: np.ndarray[Any, Any] = p) -> np.ndarray[Any, Any]:
                return np.asarray(np.hypot(*(p[a] - p[b]).T))

            before = np.where(has_prev, dist(ip, i), 0.0) + np.where(has_next, dist(k, kn), 0.0)
            after = np.where(has_prev, dist(ip, k), 0.0) + np.where(has_next, dist(i, kn), 0.0)
            gain = before - after
            for j in np.nonzero(gain > 1e-6)[0].tolist():
                cands.append((int(i[j]), int(k[j]), float(gain[j])))
        if not cands:
            break
        # best gains first; a reversal changes the edges at i-1 and k+1, so runs that
        # share a marker or an edge are left for the next pass
        cands.sort(key=lambda c: -c[2])
        taken = np.zeros(n + 1, dtype=bool)
        for i0, k0, _ in cands:
            lo, hi = max(i0 - 1, 0), min(k0 + 1, n - 1)
            if taken[lo:hi + 1].any():
                continue
            taken[lo:hi + 1] = True
            o[i0:k0 + 1] = o[i0:k0 + 1][::-1].copy()
    return o.tolist()


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
    # 2-opt reaches as far as a misplaced marker can stray: past the markers of one
    # block (repeated surveys put several within metres of each other) and then some
    crowd = _kdtree(xy).query_ball_point(xy, 3 * spacing, return_length=True)
    window = int(min(64, max(8, 2 * np.median(crowd) + 4)))
    from geo.progress import progress

    rounds = progress(range(_MAX_ROUNDS), desc="ordering markers", unit="round") if n > 5000 \
        else range(_MAX_ROUNDS)
    for _ in rounds:
        if len(keep) < 3:
            return keep.tolist(), sorted(out)
        pos, backbone = _backbone_order(xy[keep])
        order = np.array(_two_opt(xy, keep[np.argsort(pos, kind="stable")].tolist(),
                                  window=window))
        drop = _end_spurs(xy[order], jump_m, n)
        if not drop:
            dev = _deviation_m(xy[order])
            # local maxima only: a spike's neighbours deviate too, less, until it is gone
            peak = (dev > outlier_m) & (dev >= np.roll(dev, 1)) & (dev >= np.roll(dev, -1))
            drop = [int(i) for i in np.nonzero(peak)[0]]
        if not drop:
            # a pair of outliers side by side hides from the leave-one-out test, not
            # from the backbone
            lateral = _distance_to(backbone, xy[order])
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
        Point (or MultiPoint) features, e.g. from :func:`geo.read.io.read_features`.
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
    labels = marker_labels(features)
    pts, owners = _points(features, labels, source)
    xy = shapely.get_coordinates(to_laea(shapely.MultiPoint(pts)))
    notes: list[str] = []
    # exact duplicates (the same block mapped twice) would make the order ambiguous
    keep_idx = _first_of_duplicates(xy)
    dropped = sorted(set(range(len(xy))) - set(keep_idx))
    if dropped:  # one note for all of them, naming the first few
        names = [str(labels[owners[k]]) for k in dropped]
        notes.append(f"{len(names)} marker(s) repeat another's position within 1 m and are "
                     f"used once: {_first_names(names)}")
    order, out_labels = _order(xy[keep_idx], keep_idx, [labels[o] for o in owners],
                               outlier_m, source, notes)
    line_xy = xy[order]
    if line_xy[0, 1] < line_xy[-1, 1]:  # north first
        line_xy, order = line_xy[::-1], order[::-1]
    line = LineString(line_xy)
    return MarkerLine(from_laea(line), [owners[k] for k in order], out_labels, notes)


def _points(features: list[Feature], labels: Sequence[Any], source: str
            ) -> tuple[list[Point], list[int]]:
    """Every marker point, and the feature each came from (a MultiPoint gives several)."""
    pts: list[Point] = []
    owners: list[int] = []
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
    return pts, owners


def _order(sub: np.ndarray[Any, Any], keep_idx: Sequence[int], point_labels: Sequence[Any],
           outlier_m: float, source: str, notes: list[str]) -> tuple[list[int], list[Any]]:
    """The kept points in line order (indices into all points), and the outliers' labels.

    Refuses more than ``MAX_OUTLIER_SHARE`` outliers (not one line) or fewer than two left.
    """
    order, outliers = order_points(sub, outlier_m=outlier_m)
    out_labels = [point_labels[keep_idx[k]] for k in outliers]
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
                     f"{_first_names(out_labels)}")
    return [keep_idx[k] for k in order], out_labels
