"""Big point layers in a small page (typed arrays, no GeoJSON copy) and on static maps."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from layers.aggregate import bins_layer, class_legend
from maps._bins import bins_spec, encode_array
from maps.render import MapOptions, render_map_html
from maps.static import render_static

# the Strip's bounding box (lon, lat): the "300k points over the bbox"
BBOX = (34.2190, 31.2196, 34.5676, 31.5968)


def _points(n: int, seed: int = 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = BBOX
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def _decode(enc: dict[str, str]) -> np.ndarray:
    raw = base64.b64decode(enc["b64"])
    return np.frombuffer(raw, dtype=np.dtype(enc["dtype"]).newbyteorder("<")).astype(np.int64)


def test_encode_array_round_trips_and_refuses_negatives():
    v = np.array([0, 7, 65_535, 65_536, 4_000_000_000])
    assert _decode(encode_array(v)).tolist() == v.tolist()
    assert encode_array(v[:3])["dtype"] == "u2"
    with pytest.raises(ValueError, match="non-negative"):
        encode_array(np.array([-1]))


def test_the_spec_carries_bins_and_points_once_as_typed_arrays():
    xy = _points(50_000)
    layer = bins_layer(xy, name="sites.csv")
    spec = bins_spec(layer, "sites.csv", "#000000")
    b = spec["bins"]
    counts = _decode(b["n"])
    assert counts.sum() == len(xy) and len(counts) == len(layer.features)
    # centres within 0.1 m of the hexagons' centres; drawn back from one hexagon shape
    cx = (b["origin"][0] + _decode(b["x"])) / b["scale"]
    assert np.allclose(cx, [np.mean(f.geometry.exterior.coords.xy[0][:6])
                            for f in layer.features], atol=2e-6)
    assert [b["colours"][k] for k in _decode(b["k"])] == [f.properties["fill"]
                                                        for f in layer.features]
    p = spec["points"]
    px, py = _decode(p["x"]), _decode(p["y"])
    assert p["x"]["dtype"] == "u2" and len(px) == len(xy)  # 2 bytes a coordinate
    back = np.column_stack([(p["origin"][0] + px) / p["scale"],
                            (p["origin"][1] + py) / p["scale"]])
    assert np.abs(back - xy).max() <= 0.5e-5 + 1e-12  # 1e-5 degree, rounded
    assert "features" not in json.dumps(spec)


def test_a_300k_point_page_is_at_most_3_mb(tmp_path):
    xy = _points(300_000)
    p = tmp_path / "sites.csv"
    with open(p, "w") as fh:
        fh.write("lat,lon\n")
        fh.writelines(f"{y:.6f},{x:.6f}\n" for x, y in xy)
    page = render_map_html(MapOptions(offline=True, user_layers=(str(p),), map_id="gzsize"))
    size = len(page.encode("utf-8"))
    assert size <= 3_000_000, size
    # the bins are not GeoJSON polygons in the page
    assert page.count('"Polygon"') < 100
    spec = json.loads(re.search(r'"bins":(\{.*?"vertices_m":\[\[.*?\]\]\})', page).group(1))
    inside = _decode(spec["n"]).sum()
    assert inside == 300_000


def test_static_maps_draw_bins_in_count_colours_with_a_colour_bar():
    xy = np.vstack([_points(30_000), 34.46 + np.zeros((3000, 2)) + [0, -2.95]])
    layer = bins_layer(xy, name="sites.csv")
    svg = render_static([layer], fmt="svg", basemap=False).decode()
    classes = class_legend(np.array([f.properties["n"] for f in layer.features]))
    assert len(classes) >= 3
    for _, label in classes:
        assert label in svg  # the colour bar's steps, labelled with their ranges
    used = {f.properties["fill"] for f in layer.features}
    assert len(used) >= 3
    for colour in used:
        assert colour.lower() in svg.lower()  # the bins in their count colours
    assert "points per 250 m hexagon" in svg
