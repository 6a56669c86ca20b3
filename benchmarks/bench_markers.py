"""Benchmark: a line from 1,000, 10,000 and 100,000 markers (geo.geometry.markers).

Markers stand along the 19 Oct 2025 line (repeated surveys: random positions along it,
jittered by 10 m, shuffled); each size is timed in-process, median of N runs, and the
growth exponent fitted between sizes (time ~ n^k). Targets (issue 12): 10,000 markers
<= 3 s, 100,000 <= 60 s (the all-pairs version took ~100 s for 10,000).

    python benchmarks/bench_markers.py [--runs 3] [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from shapely import Point  # noqa: E402

from geo.geometry.crs import from_laea, to_laea  # noqa: E402
from geo.geometry.markers import line_from_markers  # noqa: E402
from geo.read.features import Feature  # noqa: E402
from geo.read.sources import resolve  # noqa: E402


def markers(n: int, seed: int = 0) -> list[Feature]:
    line = to_laea(resolve("yellow-line@2025-10-19", "line").geometry, dense=True)
    rng = np.random.default_rng(seed)
    along = rng.uniform(0, line.length, n)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    xy += rng.normal(0, 10.0, xy.shape)
    lonlat = shapely.get_coordinates(from_laea(shapely.points(xy)))
    perm = rng.permutation(n)
    return [Feature(Point(lonlat[k]), {"id": f"B{k}"}) for k in perm]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = ap.parse_args()
    results = []
    for n in args.sizes:
        feats = markers(n)
        times = []
        for _ in range(args.runs if n < 100_000 else max(1, args.runs - 1)):
            t = time.perf_counter()
            m = line_from_markers(feats)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        results.append((n, med))
        print(f"  {n:>7,} markers: median {med:7.2f} s (min {min(times):.2f}); "
              f"{len(m.order):,} used, {len(m.outliers)} outliers")
    for (n0, t0), (n1, t1) in zip(results, results[1:], strict=False):
        k = math.log(t1 / t0) / math.log(n1 / n0)
        print(f"  growth {n0:,} -> {n1:,}: exponent {k:.2f} (1 = linear, 2 = all pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
