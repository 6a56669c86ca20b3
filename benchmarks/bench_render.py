"""Benchmark: `gazamap render --offline` against a geopandas `explore()` script.

Both draw the same outline and the same two zones (the geometries of gazamap's partition
of the packaged outline by the 19 Oct 2025 line, written to GeoJSON at full precision for
the explore script). Whole processes are timed, interleaved, median of N runs (default 7),
in the same run. Also reported: HTML sizes, the geometry payload of those three layers in
each file, and the largest positional error of gazamap's display geometry (Hausdorff, in
metres in the local equal-area CRS). Targets (issue 3): time <= 0.35x explore's, payload
<= 0.5x explore's with <= 1 m positional error. No asserts: this script prints figures.

Usage: python benchmarks/bench_render.py [--runs N]
(needs geopandas' explore() extras: folium, matplotlib, mapclassify)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from geo.analysis import analyse
from geo.geometry.crs import to_laea
from layers.outline import exterior_of
from maps.leaflet_layers import display_geometry

EXPLORE_SCRIPT = """
import sys
import folium
import geopandas as gpd

outline = gpd.read_file(sys.argv[1])
zones = gpd.read_file(sys.argv[2])
m = outline.explore(name="outline", style_kwds={"fill": False, "color": "black"})
zones.explore(m=m, column="zone", name="zones", categorical=True)
folium.LayerControl().add_to(m)
m.save(sys.argv[3])
"""
LAYERS = ("outline", "zone-east", "zone-west")


def gazamap_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("gazamap")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("gazamap")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from maps.cli import main; sys.exit(main())"]


def timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    # without PYTHONDONTWRITEBYTECODE: users run with bytecode (see bench_areas.py)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def write_inputs(folder: Path) -> tuple[Path, Path, dict[str, shapely.Geometry]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        part = analyse().partition
    outline = folder / "outline.geojson"
    zones = folder / "zones.geojson"
    outline.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "outline"},
         "geometry": mapping(part.boundary)}]}), encoding="utf-8")
    zones.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone": zid}, "geometry": mapping(part.zones[zid])}
        for zid in ("east", "west")]}), encoding="utf-8")
    # the outline layer draws the outline's exterior (its ponds are a layer of their own)
    geoms = {"outline": exterior_of(part.boundary), "zone-east": part.zones["east"],
             "zone-west": part.zones["west"]}
    return outline, zones, geoms


def _compact(geometry: Any) -> int:
    return len(json.dumps(geometry, separators=(",", ":"), ensure_ascii=False).encode())


def gazamap_payload(page: str) -> tuple[int, list[dict[str, Any]]]:
    """Bytes of the outline and zone geometries as embedded, and the geometries."""
    total, geoms = 0, []
    for m in re.finditer(r"_gz\.layer\((\{.*?\})\);\n", page):
        spec = json.loads(m.group(1))
        if spec["id"] in LAYERS:
            for f in spec["data"]["features"]:
                total += _compact(f["geometry"])
                geoms.append({"id": spec["id"], "geometry": f["geometry"]})
    return total, geoms


def explore_payload(page: str) -> int:
    """Bytes of the geometries that explore() embedded (same compact serialisation)."""
    total = 0
    for m in re.finditer(r"_add\((\{\"bbox\".*?|\{\"features\".*?|\{\"type\".*?)\);\n",
                         page, flags=re.S):
        data = json.loads(m.group(1))
        for f in data.get("features", []):
            total += _compact(f["geometry"])
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory(prefix="gazamap-bench-") as tmp:
        folder = Path(tmp)
        outline, zones, geoms = write_inputs(folder)
        script = folder / "explore_map.py"
        script.write_text(EXPLORE_SCRIPT, encoding="utf-8")
        ours_cmd = [*gazamap_cmd(), "render", "--offline", "--out", "gazamap.html"]
        theirs_cmd = [sys.executable, str(script), str(outline), str(zones), "explore.html"]
        # warm the file cache and compile byte code, then interleave the timed runs
        timed(ours_cmd, folder)
        timed(theirs_cmd, folder)
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(timed(ours_cmd, folder))
            theirs.append(timed(theirs_cmd, folder))
        ours_page = (folder / "gazamap.html").read_text(encoding="utf-8")
        theirs_page = (folder / "explore.html").read_text(encoding="utf-8")

    t_ours, t_theirs = statistics.median(ours), statistics.median(theirs)
    p_ours, shown = gazamap_payload(ours_page)
    p_theirs = explore_payload(theirs_page)
    err = 0.0
    for item in shown:
        original = geoms[item["id"]]
        disp = shape(item["geometry"])
        assert disp.equals_exact(display_geometry(original), 0)
        err = max(err, shapely.hausdorff_distance(to_laea(original, dense=True),
                                                  to_laea(disp, dense=True), densify=0.1))
    print(f"runs: {runs} each, interleaved; whole process (python start to file written)")
    print(f"gazamap render --offline : median {t_ours:.3f} s  "
          f"(min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"geopandas explore()      : median {t_theirs:.3f} s  "
          f"(min {min(theirs):.3f}, max {max(theirs):.3f})")
    print(f"time ratio               : {t_ours / t_theirs:.2f}x explore  (target <= 0.35x)")
    print(f"HTML size                : gazamap {len(ours_page.encode()):,} B (all default "
          f"layers, Leaflet inlined), explore {len(theirs_page.encode()):,} B "
          "(3 layers, ~10 CDN assets not counted)")
    print(f"geometry payload (outline + 2 zones): gazamap {p_ours:,} B, explore "
          f"{p_theirs:,} B, ratio {p_ours / p_theirs:.2f}x  (target <= 0.5x)")
    print(f"max positional error of the displayed geometry: {err:.3f} m  (target <= 1 m)")


if __name__ == "__main__":
    main()
