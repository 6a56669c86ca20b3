"""Synthetic big layers for the benchmarks (generated, never shipped)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import shapely

from geo.read.sources import resolve

# The baseline a user would write: read the points, split the outline by the line, sjoin.
# ``{read}`` is the geopandas reader of the layer (read_file, read_parquet).
_PEER = """
import sys
import geopandas as gpd
from shapely.ops import split
outline = gpd.read_file(sys.argv[2]).geometry.iloc[0]
line = gpd.read_file(sys.argv[3]).geometry.iloc[0]
pts = gpd.{read}(sys.argv[1])
zones = gpd.GeoDataFrame({{"zone": range(len(split(outline, line).geoms))}},
                         geometry=list(split(outline, line).geoms), crs=4326)
joined = gpd.sjoin(pts, zones, how="left", predicate="within")
print(joined["zone"].value_counts(dropna=False).to_dict())
"""


def peer_script(read: str) -> str:
    """The geopandas baseline script, reading the layer with ``gpd.<read>``."""
    return _PEER.format(read=read)


def gazamap_exe() -> str:
    """The ``gazamap`` command of this interpreter's environment (else the PATH's)."""
    exe = Path(sys.executable).parent / "gazamap"
    return str(exe if exe.exists() else shutil.which("gazamap") or "gazamap")


def points_in_strip(n: int, seed: int = 1, outside_share: float = 0.02) -> np.ndarray:
    """``n`` lon/lat points spread over the outline, ``outside_share`` of them east of it."""
    b = resolve("gaza-outline", "boundary").geometry
    x0, y0, x1, y1 = b.bounds
    rng = np.random.default_rng(seed)
    got: list[np.ndarray] = []
    while sum(len(g) for g in got) < n:
        xy = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
        got.append(xy[shapely.contains_xy(b, xy[:, 0], xy[:, 1])])
    xy = np.vstack(got)[:n]
    k = int(n * outside_share)
    xy[:k] += [0.2, 0.0]
    return xy


def write_points(path: Path, n: int, seed: int = 1) -> Path:
    """``n`` points with a numeric ``value`` as one GeoJSON FeatureCollection or a CSV."""
    xy = points_in_strip(n, seed)
    v = np.round(np.random.default_rng(seed + 1).random(n) * 10, 2)
    with open(path, "w") as fh:
        if path.suffix == ".csv":
            fh.write("id,lat,lon,value\n")
            fh.writelines(f"{i},{y:.6f},{x:.6f},{w}\n"
                          for i, ((x, y), w) in enumerate(zip(xy, v, strict=True)))
        else:
            fh.write('{"type":"FeatureCollection","features":[\n')
            fh.write(",\n".join(
                f'{{"type":"Feature","properties":{{"value":{w}}},"geometry":'
                f'{{"type":"Point","coordinates":[{x:.6f},{y:.6f}]}}}}'
                for (x, y), w in zip(xy, v, strict=True)))
            fh.write("\n]}\n")
    return path


def run_measured(cmd: list[str], env: Mapping[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (the largest process of its tree), stdout of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert p.stdout is not None
    out = p.stdout.read().decode()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed")
    return wall, usage.ru_maxrss / 1024, out


def interleaved(cmds: Mapping[str, list[str]], runs: int, env: Mapping[str, str]
                ) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, str]]:
    """Each command once to warm up (bytecode, page cache), then ``runs`` rounds in turn.

    Returns the wall seconds and peak MiB of every run by name, and each one's last stdout.
    """
    for cmd in cmds.values():
        run_measured(cmd, env)
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    peaks: dict[str, list[float]] = {k: [] for k in cmds}
    outs: dict[str, str] = {}
    for _ in range(runs):
        for name, cmd in cmds.items():
            w, m, out = run_measured(cmd, env)
            walls[name].append(w)
            peaks[name].append(m)
            outs[name] = out
    return walls, peaks, outs
