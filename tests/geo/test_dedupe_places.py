"""compare counts each real place once across datasets (issue 10, item 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod
from shapely.geometry import mapping

from geo.compare import compare_lines
from geo.compare_places import dedupe_places

GEOD = Geod(ellps="WGS84")
LON, LAT = 34.30, 31.34  # Khan Yunis


def row(name: str, dataset: str, dist_m: float = 0.0, *, name_ar: str | None = None,
        frm: str = "east", to: str = "west") -> dict[str, Any]:
    lon, lat, _ = GEOD.fwd(LON, LAT, 45.0, dist_m) if dist_m else (LON, LAT, 0)
    return {"name": name, "name_ar": name_ar, "kind": "x", "dataset": dataset,
            "from": frm, "to": to, "lon": lon, "lat": lat, "approximate": False}


def test_spellings_of_one_place_merge() -> None:
    rows = [row("Khān Yūnis", "geonames@1"), row("Khan Yunis", "osm@2", 400, name_ar="خان يونس"),
            row("Bayt Lāhyā", "geonames@1", 5000), row("Beit Lahiya", "osm@2", 5600)]
    out = dedupe_places(rows)
    assert [r["names"] for r in out] == [["Khān Yūnis", "Khan Yunis"],
                                        ["Bayt Lāhyā", "Beit Lahiya"]]
    assert out[0]["datasets"] == ["geonames@1", "osm@2"]
    assert out[0]["name_ar"] == "خان يونس" and out[0]["name"] == "Khan Yunis"


@pytest.mark.parametrize("rows", [
    [row("Rafah", "a@1"), row("Rafah", "b@1", 3000)],               # too far apart
    [row("Abu Thaher", "a@1"), row("Abu Mgheiseb", "b@1", 400)],     # different names
    [row("Rafah", "a@1"), row("Rafah", "b@1", 100, frm="west", to="east")],  # other move
])
def test_different_places_stay_apart(rows: list[dict[str, Any]]) -> None:
    assert len(dedupe_places(rows)) == 2


def test_one_point_under_two_names_is_one_place() -> None:
    rows = [row("Madinat Ash Sheikh Zayed", "ocha@1"), row("Sheikh Zayed city", "places@2", 5),
            row("Ma'in", "ocha@1", 2000), row("Ma'an/Ma'in (Khan Younis east)", "places@2", 2010)]
    assert [len(r["names"]) for r in dedupe_places(rows)] == [2, 2]


def test_same_arabic_name_merges_and_merging_is_transitive() -> None:
    # b joins a by the Arabic name, d joins c by spelling, c joins a by spelling:
    # b and d, with nothing in common, end up in one place through a and c
    rows = [row("Nuseirat", "a@1", name_ar="النصيرات"), row("Camp 5", "b@1", 900,
                                                          name_ar="النصيرات"),
            row("An Nuşayrāt", "c@1", 1400), row("Nusayrat", "d@1", 2600)]
    (one,) = dedupe_places(rows)
    assert one["datasets"] == ["a@1", "b@1", "c@1", "d@1"]


def test_compare_lists_each_place_once(tmp_path: Path, yellow_line: Any) -> None:
    from geo.geometry.partition import offset_line

    moved = tmp_path / "moved.geojson"
    moved.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": mapping(offset_line(yellow_line, 1200))}]}), encoding="utf-8")
    changed = compare_lines("yellow-line", str(moved), sample_m=200).places_changed
    assert changed and all(r.datasets for r in changed)
    assert any(len(r.datasets) > 1 for r in changed)
    for i, a in enumerate(changed):
        for b in changed[i + 1:]:
            d = GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2]
            assert d > 50, (a.names, b.names, d)
