"""Benchmark: big point layers on the map (100,000 / 300,000 GeoJSON, 1e6 CSV rows).

For each layer: `gazamap render --offline --layer FILE` as a whole process (wall time,
peak resident memory from ``os.wait4``), the page size, and the load time in Debian
chromium (Playwright with ``executable_path``, every non-file request aborted and
counted, script errors collected): from navigation to the bins' canvas drawn and the
load event. Targets (issue 12): 300,000 points: page <= 8 MB, load <= 5 s, no script
error; 1e6 CSV rows: render <= 15 s and <= 1 GiB. Issue 20 (bins and points as typed
arrays): 300,000 points: page <= 3 MB, load < 2 s; 1,000,000 points (now carried with
the page): <= 8 MB.

    python benchmarks/bench_render_big.py [--sizes geojson:300000 bbox:300000 csv:1000000]

(``bbox:N``: N points spread over the Strip's bounding box, as CSV.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _bigdata import write_points  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _gazamap() -> str:
    exe = Path(sys.executable).parent / "gazamap"
    return str(exe if exe.exists() else shutil.which("gazamap") or "gazamap")


def _render(layer: Path, out: Path) -> tuple[float, float]:
    t = time.perf_counter()
    p = subprocess.Popen([_gazamap(), "render", "--offline", "--layer", str(layer),
                          "--out", str(out)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"render of {layer.name} failed")
    return time.perf_counter() - t, usage.ru_maxrss / 1024


def _load(browser: object, page_path: Path) -> tuple[float, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    network: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            network.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    t = time.perf_counter()
    page.goto(page_path.as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_selector(".leaflet-pane canvas", timeout=60_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(0)))")
    took = time.perf_counter() - t
    page.close()
    return took, errors, network


def _bbox_points(path: Path, n: int) -> Path:
    import numpy as np

    from geo.read.sources import resolve

    x0, y0, x1, y1 = resolve("gaza-outline", "boundary").geometry.bounds
    rng = np.random.default_rng(3)
    xy = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    with open(path, "w") as fh:
        fh.write("lat,lon\n")
        fh.writelines(f"{y:.6f},{x:.6f}\n" for x, y in xy)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+",
                    default=["geojson:100000", "geojson:300000", "bbox:300000",
                             "csv:1000000", "bbox:1000000"])
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="gazamap-bench-") as td, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        d = Path(td)
        for spec in args.sizes:
            fmt, n = spec.split(":")
            if fmt == "bbox":  # spread over the Strip's bounding box (issue 20), as CSV
                layer = _bbox_points(d / f"bbox{n}.csv", int(n))
            else:
                layer = write_points(d / f"p{n}.{fmt}", int(n))
            out = d / f"p{n}.html"
            _render(layer, out)  # warm-up (bytecode, page cache)
            wall, peak = _render(layer, out)
            load, errors, network = _load(browser, out)
            print(f"  {int(n):>9,} points ({fmt}, {layer.stat().st_size / 1e6:5.1f} MB): "
                  f"render {wall:5.2f} s, peak {peak:5.0f} MiB, page "
                  f"{out.stat().st_size / 1e6:5.2f} MB, chromium load {load:5.2f} s, "
                  f"{len(errors)} script errors, {len(network)} requests")
            for e in errors[:3]:
                print(f"    error: {e}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
