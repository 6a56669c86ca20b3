"""Benchmark: `gazamap areas --format json` against a geopandas script and the import floor.

Whole processes, interleaved in the same run, median of N runs (default 7). Targets
(issue 8): at most 0.7x the geopandas script a user would write for the bare split (read
outline and line with geopandas, ``shapely.ops.split``, ``pyproj.Geod`` areas), and at
most 2.0x the bare ``import shapely, pyproj``. gazamap does far more than the script:
the line's ends joined to the outline, the ±u interval, governorates, borders, the
zone-polygon alternative, the outline sensitivity and the pre-war population. The
targets are in wall time; each command's CPU time is printed beside it: on two cores
`areas` computes the outline sensitivity and the population on a second thread.

A second pair: `gazamap report --ledger public` against `gazamap render --offline`
(target: report at most 1.3x render, since it computes the analysis once and draws the
same map). `gazamap --help` against `python -c "import click"` (target at most 2.0x: the
CLI imports no geometry library to print its help). `compare` and `render --compare`
against `areas` and `render`: they must not cost more than the parts they show.

    python benchmarks/bench_areas.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = [sys.executable, "-c", "import shapely, pyproj"]
CLICK = [sys.executable, "-c", "import click"]
GEOPANDAS = [sys.executable, "-c", """
import geopandas as gpd
from pyproj import Geod
from shapely.ops import split
from geo.catalog import DATA_DIR
o = gpd.read_file(DATA_DIR / 'gaza_outline.geojson').geometry.union_all()
ln = gpd.read_file(DATA_DIR / 'yellow_line_2025-10-19.geojson').geometry.iloc[0]
g = Geod(ellps='WGS84')
print([abs(g.geometry_area_perimeter(p)[0]) / 1e6 for p in split(o, ln).geoms])
"""]


def _gazamap(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "gazamap"
    return [str(exe if exe.exists() else shutil.which("gazamap") or "gazamap"), *args]


# A user's installation has bytecode (pip compiles it); the warm-up run writes it for an
# editable checkout too, so that no run is charged for compiling.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each command's runs


def _time(cmd: list[str], name: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime
                                    + after.ru_stime - before.ru_stime)
    return wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gz-bench-"))
    cmds = {
        "floor (import shapely, pyproj)": FLOOR,
        "geopandas split script": GEOPANDAS,
        "gazamap areas --format json": _gazamap("areas", "--format", "json"),
        "gazamap render --offline": _gazamap("render", "--offline", "--out",
                                             str(tmp / "m.html")),
        "gazamap report --ledger public": _gazamap("report", "--ledger", "public", "--out",
                                                   str(tmp / "r.html")),
        "gazamap compare A B": _gazamap("compare", "yellow-line@2025-10-19", "idf-zone"),
        "gazamap render --offline --compare": _gazamap(
            "render", "--offline", "--compare", "idf-zone", "--out", str(tmp / "c.html")),
        "import click": CLICK,
        "gazamap --help": _gazamap("--help"),
    }
    for cmd in cmds.values():  # warm the file cache and the bytecode
        _time(cmd)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            times[name].append(_time(cmd, name))
    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["floor (import shapely, pyproj)"]
    for name, m in med.items():
        # wall time; and CPU time: on two cores `areas` computes two of its parts on a
        # second thread (geo._beside), so its CPU time exceeds its wall time
        print(f"{name:34s} median {m * 1000:7.1f} ms  ({m / floor:4.2f}x floor)  "
              f"cpu {statistics.median(CPU[name]) * 1000:7.1f} ms  runs={args.runs}")

    def ratio(a: str, b: str) -> str:
        # the median of the ratios of one round (the two commands ran seconds apart), and
        # the ratio of the medians: this machine's speed drifts by +-20 % over a minute,
        # which moves the medians of different rounds more than the ratio within one
        per_round = statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))
        return f"{per_round:.2f} (of medians {med[a] / med[b]:.2f})"

    areas, render = "gazamap areas --format json", "gazamap render --offline"
    print(f"areas / geopandas script = {ratio(areas, 'geopandas split script')} "
          "(target <= 0.70)")
    print(f"areas / import floor     = {ratio(areas, 'floor (import shapely, pyproj)')} "
          "(target <= 2.00)")
    print(f"report / render          = {ratio('gazamap report --ledger public', render)} "
          "(target <= 1.30)")
    print(f"--help / import click    = {ratio('gazamap --help', 'import click')} "
          "(target <= 2.00)")
    print(f"compare / areas          = {ratio('gazamap compare A B', areas)} "
          "(two analyses without population or outline sensitivity)")
    print(f"render --compare / render = "
          f"{ratio('gazamap render --offline --compare', render)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
