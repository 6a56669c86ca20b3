"""Later versions of the yellow line, made the way the world makes them (no public geometry).

A drawn version (the 19 Oct 2025 line with its middle moved 500 m towards the sea) and a
field survey (yellow blocks every 150-200 m along that line moved 300 m further in its
middle, jittered by ~20 m, shuffled, stopping 100-200 m short of the line's ends, 250-350 m
from the coast).
Built with pyproj and shapely only (no gazamap code), and measured the same way by
:func:`independent_east_km2`: the test's own extension, split and ``pyproj.Geod``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.ops import split

REPO = Path(__file__).resolve().parents[1]
LINE_FILE = REPO / "geo" / "data" / "yellow_line_2025-10-19.geojson"
OUTLINE_FILE = REPO / "geo" / "data" / "gaza_outline.geojson"
# the test's own equal-area projection (not geo.geometry.crs)
_LAEA = "+proj=laea +lat_0=31.4 +lon_0=34.4 +ellps=WGS84 +units=m +no_defs"
_FWD = Transformer.from_crs("EPSG:4326", _LAEA, always_xy=True)
_INV = Transformer.from_crs(_LAEA, "EPSG:4326", always_xy=True)
# towards the sea: perpendicular to the Strip's SW-NE axis
_SEAWARD = np.array([-0.8, 0.6])
RAFAH = (34.30, 31.27)  # inside the controlled (east) zone of every version here


def _geom(path: Path) -> shapely.Geometry:
    data = json.loads(path.read_text(encoding="utf-8"))
    return shapely.geometry.shape(data["features"][0]["geometry"])


def _apply(t: Transformer, g: shapely.Geometry) -> shapely.Geometry:
    def f(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(g, f)


def to_m(g: shapely.Geometry) -> shapely.Geometry:
    return _apply(_FWD, g)


def to_ll(g: shapely.Geometry) -> shapely.Geometry:
    return _apply(_INV, g)


def _moved(line_m: shapely.LineString, first: int, last: int, dist_m: float
           ) -> shapely.LineString:
    """The line with vertices first..last moved ``dist_m`` seawards (ramped at the ends)."""
    xy = np.array(line_m.coords)
    for i in range(first, last + 1):
        ramp = min(1.0, (i - first + 1) / 3, (last - i + 1) / 3)
        xy[i] += _SEAWARD * dist_m * ramp
    return shapely.LineString(xy)


def drawn_line() -> shapely.LineString:
    """Version 2 (lon/lat): the 19 Oct line, vertices 6-26 moved 500 m seawards."""
    return to_ll(_moved(to_m(_geom(LINE_FILE)), 6, 26, 500.0))


def survey_line() -> shapely.LineString:
    """Version 3's true line (lon/lat): version 2 with vertices 10-22 moved 300 m more."""
    return to_ll(_moved(to_m(drawn_line()), 10, 22, 300.0))


def survey_markers(seed: int = 7) -> list[tuple[str, float, float]]:
    """Blocks along :func:`survey_line`: every 150-200 m, ~20 m jitter, shuffled, short ends."""
    rng = np.random.default_rng(seed)
    ln = to_m(survey_line())
    s, out = float(rng.uniform(100, 200)), []
    stop = ln.length - float(rng.uniform(100, 200))
    while s < stop:
        p = ln.interpolate(s)
        x, y = p.x + rng.normal(0, 20), p.y + rng.normal(0, 20)
        lon, lat = _INV.transform(x, y)
        out.append((f"B{len(out) + 1:03d}", lat, lon))
        s += float(rng.uniform(150, 200))
    rng.shuffle(out)  # type: ignore[arg-type]
    return out


def write_data_dir(folder: Path, *, survey: bool = True) -> Path:
    """A data directory adding ``yellow-line@2026-01-16`` (drawn) and ``@2026-03-02`` (blocks)."""
    folder.mkdir(parents=True, exist_ok=True)
    line = drawn_line()
    (folder / "line_2026-01-16.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"name": "drawn"},
            "geometry": shapely.geometry.mapping(line)}]}), encoding="utf-8")
    entries = [_entry("2026-01-16", "line", "line_2026-01-16.geojson", 300)]
    if survey:
        with open(folder / "blocks_2026-03-02.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "lat", "lon"])
            w.writerows(survey_markers())
        entries.append(_entry("2026-03-02", "markers", "blocks_2026-03-02.csv", 50))
    (folder / "catalog.toml").write_text("\n".join(entries), encoding="utf-8")
    return folder


def _entry(version: str, kind: str, file: str, u: int) -> str:
    return f"""[[dataset]]
id = "yellow-line"
version = "{version}"
date = "{version}"
title = "Yellow line ({kind}, {version}, made for the tests)"
kind = "{kind}"
file = "{file}"
source = "gazamap tests"
licence = "CC0"
attribution = "gazamap tests"
method = "made by tests/_timeline_data.py"
uncertainty_m = {u}
controlled_point = [{RAFAH[0]}, {RAFAH[1]}]
"""


def independent_east_km2(line_ll: shapely.LineString, extend_m: float = 1500.0) -> float:
    """The east zone's geodesic area (km²) of the outline split by the line.

    The line's end segments are prolonged by ``extend_m`` (straight, in the test's own
    LAEA), the outline is split with shapely, the pieces holding the Rafah point are
    united and measured with ``pyproj.Geod`` on lon/lat densified to ~50 m.
    """
    xy = np.array(to_m(line_ll).coords)

    def ext(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = a - b
        return a + d / np.linalg.norm(d) * extend_m

    long = shapely.LineString([ext(xy[0], xy[1]), *xy, ext(xy[-1], xy[-2])])
    outline_m = to_m(_geom(OUTLINE_FILE))
    pieces = list(split(outline_m, long).geoms)
    # the pieces east of the line: on the Rafah side (each piece is tested by the side
    # of the line its representative point lies on, via a polygon closed far east)
    rafah = to_m(shapely.Point(RAFAH))
    far = shapely.LineString(long.coords).buffer(40_000, single_sided=True)
    east_side = far if far.contains(rafah) else \
        shapely.LineString(long.coords).buffer(-40_000, single_sided=True)
    east = shapely.union_all([p for p in pieces if east_side.contains(p.representative_point())])
    east_ll = to_ll(shapely.segmentize(east, 50.0))
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(shapely.geometry.polygon.orient(
        east_ll) if east_ll.geom_type == "Polygon" else east_ll)
    return abs(area) / 1e6 if east_ll.geom_type == "Polygon" else sum(
        abs(Geod(ellps="WGS84").geometry_area_perimeter(p)[0]) for p in east_ll.geoms) / 1e6
