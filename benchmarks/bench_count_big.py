"""Benchmark: GeoParquet parts counted in process and on dask, against geopandas.

In the same run, as whole processes (wall time; peak resident memory from ``os.wait4``):

- ``gazamap count DIR`` (the local engine: part by part, Arrow batches);
- ``gazamap count DIR --engine dask --workers 2`` (a LocalCluster started and stopped by
  the command; the peak is that of the largest process of its tree);
- the same on an existing cluster (``dask scheduler`` + ``dask worker --nworkers 2``
  started here), with each worker's own peak asked from the worker after the count;
- the script a user would write: ``geopandas.read_parquet(DIR)`` + ``sjoin`` with the
  two zones (``shapely.ops.split`` of the outline by the same line).

Every gazamap run must give the same counts (checked). Then a paper estimate for 1e9
points: the measured cost of a part times the parts over the workers.

    python benchmarks/bench_count_big.py [--n 2000000 --parts 8] [--runs 3]
                                         [--big 10000000 --big-parts 40]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _bigdata import (  # noqa: E402
    gazamap_exe,
    interleaved,
    peer_script,
    points_in_strip,
    run_measured,
)

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("PYTHONPATH", str(HERE.parent))
ENV["GAZAMAP_QUIET"] = "1"

PEER = peer_script("read_parquet")


def _gazamap() -> list[str]:
    return [gazamap_exe()]


def write_parts(folder: Path, n: int, parts: int) -> None:
    """``n`` points over the Strip (2 % outside) with a value, in ``parts`` GeoParquet files."""
    import geopandas as gpd
    import numpy as np
    import shapely

    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // parts)
    for k in range(parts):
        m = min(per, n - k * per)
        xy = points_in_strip(m, seed=100 + k)
        v = np.round(np.random.default_rng(k).random(m) * 10, 2)
        gpd.GeoDataFrame({"value": v}, geometry=shapely.points(xy), crs="EPSG:4326") \
            .to_parquet(folder / f"part-{k:04d}.parquet", row_group_size=262_144)


def _counts(out: str) -> dict[str, int]:
    d = json.loads(out)
    return {**{z["id"]: z["count"] for z in d["zones"]}, "outside": d["outside"]["count"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _on_scheduler(folder: Path, workers: int) -> tuple[float, float, list[float], str]:
    """Count on a cluster started here: wall, client peak, each worker's peak (MiB)."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host",
                               "127.0.0.1", "--port", str(port), "--no-dashboard"], env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address,
                                   "--nworkers", str(workers), "--nthreads", "1",
                                   "--no-dashboard"], env=ENV, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="2s", set_as_default=False) as c:
                    c.wait_for_workers(workers, timeout=60)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        wall, peak, out = run_measured([*_gazamap(), "count", str(folder), "--engine",
                                         "dask", "--scheduler", address, "--format",
                                         "json", "--sum", "value", "--quiet"], ENV)
        with Client(address, timeout="10s", set_as_default=False) as c:
            import resource

            peaks = c.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return wall, peak, sorted(peaks.values()), out
    finally:
        for p in reversed(procs):
            p.kill()
            p.wait(timeout=30)


def _zones_files(d: Path) -> tuple[Path, Path]:
    import warnings

    from shapely.geometry import mapping

    from geo.analysis import analyse
    from geo.catalog import DATA_DIR

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        part = analyse(governorates=False, outlines=False, population=False).partition
    assert part is not None and part.line is not None
    line = d / "line.geojson"
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(part.line)}]}))
    return DATA_DIR / "gaza_outline.geojson", line


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2_000_000)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", type=int, default=0, help="also this many points (dask only)")
    ap.add_argument("--big-parts", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazamap-bench-") as td:
        d = Path(td)
        folder = d / "parts"
        t = time.perf_counter()
        write_parts(folder, args.n, args.parts)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"layer: {args.n:,} points in {args.parts} GeoParquet parts ({size:.0f} MB), "
              f"written in {time.perf_counter() - t:.1f} s; {args.runs} runs each, "
              "interleaved")
        outline, line = _zones_files(d)
        base = [*_gazamap(), "count", str(folder), "--format", "json", "--sum", "value",
                "--quiet"]
        cmds = {
            "gazamap count (local engine)": base,
            "gazamap count --engine dask --workers 2": [*base, "--engine", "dask",
                                                        "--workers", "2"],
            "geopandas read_parquet + split + sjoin": [sys.executable, "-c", PEER,
                                                       str(folder), str(outline), str(line)],
        }
        walls, peaks, outs = interleaved(cmds, args.runs, ENV)
        local = outs["gazamap count (local engine)"]
        same = json.loads(local)["zones"] == json.loads(
            outs["gazamap count --engine dask --workers 2"])["zones"]
        print(f"gazamap counts {_counts(local)}; dask == local to the unit: {same}; "
              f"peer (zone index: count) {outs['geopandas read_parquet + split + sjoin'].strip()}")
        peer = statistics.median(walls["geopandas read_parquet + split + sjoin"])
        for name in cmds:
            med = statistics.median(walls[name])
            print(f"  {name:<42} median {med:6.2f} s  (min {min(walls[name]):.2f})  "
                  f"peak {max(peaks[name]):7.0f} MiB  ratio to peer {med / peer:.2f}")
        wall, peak, wpeaks, out = _on_scheduler(folder, 2)
        same = json.loads(out)["zones"] == json.loads(local)["zones"]
        print(f"  existing scheduler, 2 workers: {wall:.2f} s; client peak {peak:.0f} MiB; "
              f"worker peaks {', '.join(f'{p:.0f}' for p in wpeaks)} MiB; same counts: {same}")
        per_part = wall * 2 / args.parts  # seconds of one worker per part
        if args.big:
            big = d / "big"
            t = time.perf_counter()
            write_parts(big, args.big, args.big_parts)
            bsize = sum(p.stat().st_size for p in big.iterdir()) / 1e6
            print(f"big layer: {args.big:,} points in {args.big_parts} parts ({bsize:.0f} MB), "
                  f"written in {time.perf_counter() - t:.1f} s")
            w, m, bout = run_measured([*_gazamap(), "count", str(big), "--format", "json",
                                        "--sum", "value", "--quiet", "--engine", "dask",
                                        "--workers", "2"], ENV)
            print(f"  gazamap count --engine dask --workers 2: {w:.1f} s, largest process "
                  f"{m:.0f} MiB; counts {_counts(bout)}")
            wall, peak, wpeaks, out = _on_scheduler(big, 2)
            print(f"  existing scheduler, 2 workers: {wall:.1f} s; client peak {peak:.0f} "
                  f"MiB; worker peaks {', '.join(f'{p:.0f}' for p in wpeaks)} MiB; same "
                  f"counts: {json.loads(out)['zones'] == json.loads(bout)['zones']}")
            per_part = wall * 2 / args.big_parts
            pts_per_part = args.big / args.big_parts
        else:
            pts_per_part = args.n / args.parts
        parts_1e9 = 1e9 / pts_per_part
        for workers in (2, 64, 256):
            est = parts_1e9 * per_part / workers
            print(f"  paper estimate, 1e9 points in {parts_1e9:,.0f} parts of "
                  f"{pts_per_part:,.0f} on {workers} workers: {est / 60:6.1f} min "
                  f"({per_part:.2f} s a part, one core each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
