"""Lines from marker points: order independent of input order, robust to jitter and outliers."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import LineString, Point

from geo.errors import InputError
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.markers import line_from_markers, marker_labels, order_points
from geo.read.features import Feature

SPACING_M = 200.0


@pytest.fixture(scope="module")
def truth(yellow_line) -> np.ndarray:
    """Marker positions every 200 m along the 19 Oct line (planar, metres), in order."""
    line = to_laea(yellow_line, dense=True)
    d = np.arange(300.0, line.length - 300.0, SPACING_M)
    return shapely.get_coordinates(shapely.line_interpolate_point(line, d))


def _features(xy: np.ndarray, perm: np.ndarray) -> list[Feature]:
    return [Feature(from_laea(Point(xy[k])), {"id": f"B{k}"}) for k in perm]


def _corner_cut(truth: np.ndarray, removed: set[int], k: int) -> float:
    """How far the true line strays from the shortcut over the removed run around ``k``."""
    a, b = k - 1, k + 1
    while a in removed:
        a -= 1
    while b in removed:
        b += 1
    chord = LineString([truth[a], truth[b]])
    return max(chord.distance(Point(p)) for p in truth[a + 1:b])


def _is_monotonic(ids: list[int]) -> bool:
    d = np.diff(ids)
    return bool((d > 0).all() or (d < 0).all())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), jitter_m=st.floats(0.0, 40.0))
def test_shuffled_jittered_markers_give_the_same_line(truth, seed, jitter_m):
    rng = np.random.default_rng(seed)
    xy = truth + rng.uniform(-jitter_m, jitter_m, truth.shape)
    perm = rng.permutation(len(xy))
    m = line_from_markers(_features(xy, perm))
    ids = [int(perm[k]) for k in m.order]
    assert sorted(ids) == list(range(len(xy)))  # every marker used once
    assert _is_monotonic(ids)  # in the order they stand along the line
    assert m.outliers == []
    clean = LineString(truth)
    got = to_laea(m.line)
    assert shapely.hausdorff_distance(got, clean) <= 2 * jitter_m + 1e-6
    # north first, whatever the input order
    assert m.line.coords[0][1] > m.line.coords[-1][1]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_a_few_outliers_are_reported_by_id_and_left_out(truth, seed):
    rng = np.random.default_rng(seed)
    xy = truth + rng.uniform(-30, 30, truth.shape)
    clean = LineString(truth)
    bad = rng.choice(np.arange(3, len(xy) - 3), size=3, replace=False)
    for k in bad:
        t = truth[k + 1] - truth[k - 1]
        normal = np.array([-t[1], t[0]]) / np.hypot(*t)
        xy[k] = truth[k] + normal * rng.uniform(800, 2500) * rng.choice([-1, 1])
    far = [int(k) for k in bad if clean.distance(Point(xy[k])) > 700]  # off the whole line
    perm = rng.permutation(len(xy))
    m = line_from_markers(_features(xy, perm))
    assert any(re.match(r"left out \d outlier marker\(s\)", n) for n in m.notes)
    reported = {int(s.strip("'")[1:]) for s in m.outliers}
    assert set(far) <= reported
    assert len(reported) <= 3
    # a moved marker that still stands near the line (e.g. at a bend) may be kept: the line
    # then strays as far as that marker does, and no farther
    kept = [clean.distance(Point(xy[k])) for k in bad if int(k) not in reported]
    # ... and where one is left out the line cuts the corner it marked
    cut = [_corner_cut(truth, reported, int(k)) for k in bad]
    assert shapely.hausdorff_distance(to_laea(m.line), clean) < max([0.0, *kept, *cut]) + 60


def test_order_points_small_cases():
    assert order_points(np.empty((0, 2))) == ([], [])
    assert order_points(np.array([[0.0, 0.0]])) == ([0], [])
    xy = np.array([[0, 400], [0, 0], [0, 200], [0, 600], [3000, 300]], dtype=float)
    assert order_points(xy) == ([1, 2, 0, 3], [4])


def test_labels_use_ids_and_rows():
    feats = [Feature(Point(0, 0), {"Marker": "Y-12", "row": 5}), Feature(Point(0, 0), {})]
    assert marker_labels(feats) == ["'Y-12' (row 5)", "#2"]


def test_errors_name_the_file_and_the_fix():
    with pytest.raises(InputError, match=r"blocks.csv: 1 marker point\(s\); at least 2"):
        line_from_markers([Feature(Point(34.4, 31.4), {})], source="blocks.csv")
    with pytest.raises(InputError, match=r"marker #1 is a LineString, not a point"):
        line_from_markers([Feature(LineString([(34.4, 31.4), (34.5, 31.5)]), {})])
    scattered = [Feature(Point(34.3 + 0.01 * (k % 5), 31.3 + 0.013 * k * (k % 3)), {"id": k})
                 for k in range(12)]
    with pytest.raises(InputError, match=r"markers stand more than 500 m from the line .* "
                                         r"do not mark one line"):
        line_from_markers(scattered)


def test_duplicate_markers_are_used_once(truth):
    xy = np.vstack([truth[:20], truth[5:6]])
    m = line_from_markers(_features(xy, np.arange(len(xy))))
    assert any("1 marker(s) repeat another's position" in n and "B20" in n for n in m.notes)
    assert len(m.order) == 20


def _brute_mst_weight(xy: np.ndarray) -> float:
    from scipy.sparse.csgraph import minimum_spanning_tree
    from scipy.spatial.distance import cdist

    return float(minimum_spanning_tree(cdist(xy, xy)).sum())


@pytest.mark.parametrize("layout", ["line", "clusters"])
def test_neighbour_graph_tree_equals_the_all_pairs_tree(truth, layout):
    from geo.geometry.markers import _mst

    rng = np.random.default_rng(4)
    if layout == "line":
        xy = truth + rng.normal(0, 20, truth.shape)
    else:  # groups farther apart than any point's 12 neighbours: joined by their links
        xy = np.vstack([c + rng.normal(0, 30, (25, 2)) for c in
                        ([0, 0], [5000, 0], [5000, 9000], [-20000, 3000])])
    adj = _mst(xy)
    edges = {(min(i, j), max(i, j), w) for i, nb in enumerate(adj) for j, w in nb}
    assert len(edges) == len(xy) - 1
    assert sum(w for _, _, w in edges) == pytest.approx(_brute_mst_weight(xy), rel=1e-12)


def test_thousands_of_blocks_from_repeated_surveys_are_ordered(yellow_line):
    """Blocks every 150-200 m along the 19 Oct line, mapped by 8 surveys, shuffled."""
    line = to_laea(yellow_line, dense=True)
    rng = np.random.default_rng(11)
    along = np.cumsum(rng.uniform(150, 200, 400))
    along = along[along < line.length]
    blocks = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    surveys, jitter = 8, 15.0
    xy = np.vstack([blocks + rng.uniform(-jitter, jitter, blocks.shape) for _ in range(surveys)])
    truth_pos = np.tile(along, surveys)
    perm = rng.permutation(len(xy))
    m = line_from_markers(_features(xy, perm))
    assert len(xy) >= 2000
    ids = [int(perm[k]) for k in m.order]
    assert m.outliers == []
    pos = truth_pos[ids]
    pos = pos if pos[0] < pos[-1] else pos[::-1]
    # in order along the line: a step back only between surveys of one block
    back = np.diff(pos)
    assert back.min() > -1.0  # markers of one block share a position along the line
    assert (np.diff(np.unique(pos)) > 100).all()
    # and every block's markers come together: the line visits each block once
    runs = np.count_nonzero(np.diff(pos) != 0) + 1
    assert runs == len(along)
    # every vertex within jitter·√2 of its block: so is the line of the blocks
    assert shapely.hausdorff_distance(to_laea(m.line), LineString(blocks)) <= jitter * np.sqrt(2)
