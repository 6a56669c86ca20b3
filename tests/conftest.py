"""Shared fixtures: small geometries, the packaged Gaza data, and file writers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely import LineString, Polygon, box
from shapely.geometry import mapping

from geo.geometry.borders import Borders
from geo.read.sources import borders_for, resolve

# A 10 km x 11 km box near Gaza (lon/lat), its east edge playing the Israel border.
SQUARE = box(34.30, 31.40, 34.40, 31.50)
SQUARE_BORDERS = Borders(LineString([(34.40, 31.40), (34.40, 31.50)]),
                         LineString([(34.30, 31.40), (34.40, 31.40)]),
                         LineString([(34.30, 31.40), (34.30, 31.50), (34.40, 31.50)]))


@pytest.fixture
def square() -> Polygon:
    return SQUARE


@pytest.fixture
def square_borders() -> Borders:
    return SQUARE_BORDERS


@pytest.fixture
def polygon_with_hole() -> Polygon:
    return Polygon(SQUARE.exterior.coords, [box(34.32, 31.42, 34.33, 31.43).exterior.coords])


@pytest.fixture
def multipolygon() -> shapely.MultiPolygon:
    return shapely.MultiPolygon([box(34.30, 31.40, 34.32, 31.42), box(34.35, 31.45, 34.37, 31.47)])


@pytest.fixture
def bowtie() -> Polygon:
    return Polygon([(34.30, 31.40), (34.40, 31.50), (34.40, 31.40), (34.30, 31.50)])


@pytest.fixture(scope="session")
def outline() -> shapely.Geometry:
    return resolve("gaza-outline", "boundary").geometry


@pytest.fixture(scope="session")
def outline_borders(outline: shapely.Geometry) -> Borders:
    return borders_for(outline)


@pytest.fixture(scope="session")
def yellow_line() -> shapely.Geometry:
    return resolve("yellow-line@2025-10-19", "line").geometry


@pytest.fixture
def write_geojson(tmp_path: Path) -> Callable[..., Path]:
    """Write geometries (or raw text) as a GeoJSON file in tmp_path and return its path."""

    def write(name: str, *geoms: Any, props: list[dict[str, Any]] | None = None,
              text: str | None = None) -> Path:
        path = tmp_path / name
        if text is not None:
            path.write_text(text, encoding="utf-8")
            return path
        feats = [{"type": "Feature", "properties": (props or [{}] * len(geoms))[i],
                  "geometry": mapping(g)} for i, g in enumerate(geoms)]
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                        encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def markers_csv(tmp_path_factory: pytest.TempPathFactory, yellow_line: shapely.Geometry) -> Path:
    """A CSV of 'yellow blocks': every 200 m along the 19 Oct line moved 300 m west, shuffled,
    with one stray row (id X1) 2 km off the line. Columns: id, lat, lon."""
    import csv

    import numpy as np

    from geo.geometry.crs import from_laea, to_laea
    from geo.geometry.partition import offset_line

    east_of = yellow_line.centroid.x
    left, right = offset_line(yellow_line, 300.0), offset_line(yellow_line, -300.0)
    west = left if left.centroid.x < east_of else right
    line = to_laea(west, dense=True)
    d = np.arange(300.0, line.length - 300.0, 200.0)
    pts = shapely.get_coordinates(from_laea(shapely.line_interpolate_point(line, d)))
    order = np.random.default_rng(4).permutation(len(pts))
    path = tmp_path_factory.mktemp("markers") / "blocks.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "lat", "lon"])
        for k in order:
            w.writerow([f"B{k}", f"{pts[k, 1]:.7f}", f"{pts[k, 0]:.7f}"])
        stray = from_laea(shapely.Point(shapely.get_coordinates(to_laea(
            shapely.Point(pts[len(pts) // 2])))[0] + [2000.0, 0.0]))
        w.writerow(["X1", f"{stray.y:.7f}", f"{stray.x:.7f}"])
    return path


@pytest.fixture(scope="session")
def golden_east_km2() -> float:
    """The east zone of the 19 Oct 2025 line, computed here without the product's code.

    The packaged GeoJSON read with json, densified, projected to UTM 36N with pyproj, the
    line extended 2 km along its end segments, the outline cut with shapely.ops.split, and
    the piece holding a point of Rafah measured with pyproj.Geod on the ellipsoid.
    """
    import numpy as np
    from pyproj import Geod, Transformer
    from shapely.geometry import Point, shape
    from shapely.ops import split

    data = Path(__file__).resolve().parents[1] / "geo" / "data"

    def read(name: str) -> shapely.Geometry:
        feats = json.loads((data / name).read_text(encoding="utf-8"))["features"]
        return shapely.segmentize(shapely.union_all([shape(f["geometry"]) for f in feats]),
                                  0.0005)

    tr = Transformer.from_crs(4326, 32636, always_xy=True)

    def fwd(g: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(g, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))

    line = fwd(read("yellow_line_2025-10-19.geojson"))
    xy = np.asarray(line.coords)
    ends = [xy[0] + (xy[0] - xy[1]) / np.hypot(*(xy[0] - xy[1])) * 2000,
            xy[-1] + (xy[-1] - xy[-2]) / np.hypot(*(xy[-1] - xy[-2])) * 2000]
    cut = LineString([ends[0], *xy, ends[1]])
    rafah = fwd(Point(34.30, 31.27))
    east = next(p for p in split(fwd(read("gaza_outline.geojson")), cut).geoms
                if p.contains(rafah))
    back = shapely.transform(east, lambda c: np.column_stack(
        tr.transform(c[:, 0], c[:, 1], direction="INVERSE")))
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(
        shapely.segmentize(shapely.orient_polygons(back), 0.0002))
    return abs(area) / 1e6
