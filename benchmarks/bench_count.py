"""Benchmark: `gazamap count` on 300,000 points against the geopandas sjoin script.

Both run as whole processes, interleaved in the same run, median of N runs, with the
peak resident memory of each process (``os.wait4``). The peer is what a user would
write: ``geopandas.read_file`` + ``shapely.ops.split`` of the outline by the line (the
same line as gazamap uses, ends extended to the outline) + ``geopandas.sjoin``. Target
(issue 12): at most 0.5x the peer's wall time, at most 1 GiB. Then where gazamap's time
goes, step by step, in one process.

    python benchmarks/bench_count.py [--runs 5] [--n 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _bigdata import gazamap_exe, interleaved, peer_script, write_points  # noqa: E402

PEER = peer_script("read_file")

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _gazamap() -> str:
    return gazamap_exe()


STEPS = """
import gc, sys, time
t0 = time.perf_counter()
from geo.read.points import read_table
import warnings
warnings.simplefilter("ignore")
from geo.analysis import analyse
from geo.count import count_points, zone_set_from_analysis
import orjson
t1 = time.perf_counter()
zs = zone_set_from_analysis(analyse(governorates=False, outlines=False, population=False,
                                    alternatives=False))
t2 = time.perf_counter()
table = read_table(sys.argv[1], fields=["value"])
t3 = time.perf_counter()
count_points(table.xy, zs.zones, zs.governorates, zs.bands, lines=zs.lines, holes=zs.holes)
t4 = time.perf_counter()
raw = open(sys.argv[1], "rb").read()
t5 = time.perf_counter()
gc.disable()
doc = orjson.loads(raw)
t6 = time.perf_counter()
del doc
gc.enable()
doc = orjson.loads(raw)
t7 = time.perf_counter()
for what, s in (("imports (geo.analysis, geo.count, orjson)", t1 - t0),
                ("partition + bands + governorates (analyse, adapter)", t2 - t1),
                ("read_table (all checks)", t3 - t2),
                ("  of which: read the bytes", t5 - t4),
                ("  of which: orjson.loads, collector paused (as read_table)", t6 - t5),
                ("  for comparison: orjson.loads with the collector running", t7 - t6),
                ("count_points (zones, +-u bands, line, ponds, governorates)", t4 - t3)):
    print(f"  {what:<62} {s:6.3f}")
"""


def _steps(layer: Path) -> None:
    print("where the time goes (a fresh process, seconds):")
    subprocess.run([sys.executable, "-c", STEPS, str(layer)], check=True, env=ENV)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=300_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazamap-bench-") as td:
        d = Path(td)
        layer = write_points(d / "points.geojson", args.n)
        import warnings

        from geo.analysis import analyse
        from geo.catalog import DATA_DIR

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            part = analyse(governorates=False, outlines=False, population=False).partition
        assert part is not None and part.line is not None
        from shapely.geometry import mapping

        line = d / "line.geojson"
        line.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": mapping(part.line)}]}))
        outline = DATA_DIR / "gaza_outline.geojson"
        cmds = {
            "gazamap count --format json": [_gazamap(), "count", str(layer), "--format",
                                            "json", "--quiet"],
            "geopandas read_file + split + sjoin": [sys.executable, "-c", PEER, str(layer),
                                                    str(outline), str(line)],
        }
        print(f"layer: {args.n:,} points, {layer.stat().st_size / 1e6:.1f} MB GeoJSON; "
              f"{args.runs} runs each, interleaved")
        walls, peaks, outs = interleaved(cmds, args.runs, ENV)
        g = json.loads(outs["gazamap count --format json"])
        inside = sum(z["count"] for z in g["zones"])
        per_zone = ", ".join(f"{z['id']} {z['count']:,}" for z in g["zones"])
        peer = outs["geopandas read_file + split + sjoin"].strip()
        print(f"gazamap: {inside:,} inside ({per_zone}), outside {g['outside']['count']:,}; "
              f"peer (zone index: count): {peer}")
        for name in cmds:
            print(f"  {name:<40} median {statistics.median(walls[name]):6.2f} s  "
                  f"(min {min(walls[name]):.2f})  peak {max(peaks[name]):7.0f} MiB")
        ratio = (statistics.median(walls["gazamap count --format json"])
                 / statistics.median(walls["geopandas read_file + split + sjoin"]))
        print(f"  ratio gazamap / geopandas: {ratio:.2f} (target <= 0.5)")
        _steps(layer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
