"""Layers: ids, order, legend, provenance, tooltips from the report, bands, user, compare."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo.analysis import Analysis, analyse
from geo.analysis.request import LineSpec
from geo.compare import compare_analyses
from geo.errors import InputError
from geo.geometry.measure import geodesic_area_m2
from geo.geometry.partition import offset_line
from geo.read.sources import Source, layer_input, read_layer
from layers.aggregate import AGGREGATE_ABOVE
from layers.base import Layer, LegendEntry, Style
from layers.build import default_layers, select_layers
from layers.compare import compare_layers
from layers.styles import OKABE_ITO, STYLES, user_style
from layers.user import user_layer

DEFAULT_IDS = ["zone-east", "zone-west", "band-israel-1km", "band-egypt-100m", "line-band",
               "municipalities", "governorates", "ponds", "outline", "line", "crossings",
               "crossings-approx", "places", "labels"]


@pytest.fixture(scope="module")
def report() -> Analysis:
    return analyse()


@pytest.fixture(scope="module")
def shifted_report(report: Analysis) -> Analysis:
    assert report.partition.line is not None
    moved = offset_line(report.partition.line, 500.0)  # 500 m to the line's left
    return analyse(lines=[LineSpec("shifted", source=Source(moved, "shifted line",
                                                            file="shifted.geojson"))])


def test_default_layers_ids_and_order(report: Analysis) -> None:
    assert [ly.id for ly in default_layers(report)] == DEFAULT_IDS
    offline = default_layers(report, offline=True)
    assert offline[0].id == "neighbours" and offline[0].basemap
    assert [ly.id for ly in offline[1:]] == DEFAULT_IDS


def test_every_layer_has_legend_provenance_and_attribution(report: Analysis) -> None:
    for ly in default_layers(report, offline=True):
        assert ly.legend is not None and ly.legend.label
        assert ly.attribution
        prov = ly.provenance
        assert prov is not None and prov.dataset and "@" in prov.dataset
        for key in ("title", "source", "licence", "method"):
            assert getattr(prov, key), (ly.id, key)
        assert ly.features
        for f in ly.features:
            assert f.geometry.is_valid and not f.geometry.is_empty
            x0, y0, x1, y1 = f.geometry.bounds
            assert 33.9 <= x0 and x1 <= 35.0 and 30.9 <= y0 and y1 <= 31.9  # lon/lat


def test_zone_tooltips_come_from_the_report(report: Analysis) -> None:
    layers = {ly.id: ly for ly in default_layers(report)}
    for zid in ("east", "west"):
        z = report.zone(zid)
        props = layers[f"zone-{zid}"].features[0].properties
        assert props["area"] == f"{z.area_km2:.2f} km²"
        assert props["share"] == f"{z.share_pct:.1f} %"
        assert f"{z.interval.low:.1f}–{z.interval.high:.1f} %" == props["interval"]
        assert [p for p, _ in layers[f"zone-{zid}"].tooltip_fields] == [
            "zone", "area", "share", "interval"]


def test_palette_is_okabe_ito(report: Analysis) -> None:
    colours = set(OKABE_ITO.values())
    assert STYLES["zone-east"].fill in colours and STYLES["zone-west"].fill in colours
    assert STYLES["zone-east"].fill != STYLES["zone-west"].fill
    assert STYLES["line"].stroke == OKABE_ITO["yellow"]


def test_line_band_only_with_uncertainty() -> None:
    r = analyse(uncertainty_m=0.0)
    ids = [ly.id for ly in default_layers(r)]
    assert "line" in ids and "line-band" not in ids


def test_illustrative_bands_say_so(report: Analysis) -> None:
    bands = [ly for ly in default_layers(report) if ly.kind == "bands"]
    assert {ly.id for ly in bands} == {"band-israel-1km", "band-egypt-100m"}
    for ly in bands:
        assert ly.illustrative and ly.provenance is not None and ly.provenance.illustrative is True
        assert "illustrative" in ly.name.lower()
        assert not ly.show
        assert "ILLUSTRATIVE" in ly.features[0].properties["illustrative"]


def test_crossings_split_by_approximate_flag(report: Analysis) -> None:
    layers = {ly.id: ly for ly in default_layers(report)}
    exact, approx = layers["crossings"], layers["crossings-approx"]
    assert all(f.properties["approximate"] == "no" for f in exact.features)
    assert all(f.properties["approximate"] == "yes" for f in approx.features)
    assert len(exact.features) + len(approx.features) == 6
    assert "approximate" in approx.legend.label  # type: ignore[union-attr]


def test_arabic_names_present(report: Analysis) -> None:
    layers = {ly.id: ly for ly in default_layers(report, lang="ar")}
    govs = layers["governorates"]
    assert all(f.properties["name_ar"] for f in govs.features)
    assert ("name_ar", "الاسم بالعربية") in govs.tooltip_fields
    assert layers["zone-east"].name.startswith("شرق الخط الأصفر")  # words, never the id
    assert all(f.properties["name_ar"] for f in layers["municipalities"].features)


def test_select_layers_by_id_or_kind(report: Analysis) -> None:
    layers = default_layers(report, include=["zones", "outline"])
    # the ponds are part of the outline (its holes): asking for it draws them too
    assert [ly.id for ly in layers] == ["zone-east", "zone-west", "ponds", "outline"]
    with pytest.raises(InputError, match="unknown layer 'nope'.*outline"):
        select_layers(default_layers(report), ["nope"])


def test_user_layer_keeps_values_as_text(write_geojson, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    props = {"name": "<b>x</b>", "n": 3, "nested": {"a": [1, 2]}, "none": None}
    path = write_geojson("mine.geojson", shapely.Point(34.4, 31.45), props=[props])
    ly = user_layer(read_layer(layer_input(str(path)), features_up_to=AGGREGATE_ABOVE),
                    index=2)
    assert ly.id == "user-3" and ly.kind == "user" and ly.name == "mine.geojson"
    assert ly.features[0].properties == {"name": "<b>x</b>", "n": "3",
                                         "nested": '{"a": [1, 2]}', "none": ""}
    assert [p for p, _ in ly.tooltip_fields] == ["name", "n", "nested", "none"]
    assert ly.provenance is not None and ly.provenance.file == "mine.geojson"
    assert ly.symbol == "point" and ly.style == user_style(2, "point")
    with pytest.raises(InputError, match="no such file"):
        read_layer(layer_input(str(tmp_path / "missing.geojson")), features_up_to=10)


def test_compare_layers_area_between(report: Analysis, shifted_report: Analysis) -> None:
    comparison = compare_analyses(report, shifted_report)
    between = comparison.between
    a = geodesic_area_m2(between.a_only) / 1e6
    b = geodesic_area_m2(between.b_only) / 1e6
    assert (between.a_only_km2, between.b_only_km2) == (a, b)  # the figures are geo's
    # the net area moved equals the difference of the east zones (independent figures)
    east_a = report.zone("east").area_km2
    east_b = shifted_report.zone("east").area_km2
    assert a - b == pytest.approx(east_a - east_b, abs=0.01)
    # a 500 m shift along a ~46 km line moves roughly 23 km²
    assert 15 < a + b < 30
    layers = {ly.id: ly for ly in compare_layers(comparison)}
    assert set(layers) == {"compare-area", "compare-line"}
    tips = [f.properties["area"] for f in layers["compare-area"].features]
    assert f"{max(a, b):.2f} km²" in tips
    assert f"{a + b:.2f} km²" in layers["compare-area"].features[0].properties["total"]
    ids = [ly.id for ly in default_layers(report, comparison=comparison)]
    assert ids.index("compare-area") < ids.index("line") < ids.index("compare-line")
    # the map asked for the area between only: the displacement was never computed
    assert "displacement" not in comparison.__dict__


def test_layers_draw_geo_reads_and_measures() -> None:
    """No layer module reads a file, projects for a figure or measures: geo does."""
    import ast

    banned = {"pyproj", "geo.geometry.measure", "geo.read.io", "geo.read.points"}
    for path in sorted((Path(__file__).resolve().parents[2] / "layers").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module}
            elif isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            else:
                continue
            hit = {n for n in names if any(n == b or n.startswith(b + ".") for b in banned)}
            assert not hit, f"{path.name} imports {hit}"


def test_style_and_layer_validation() -> None:
    with pytest.raises(InputError, match="not a #rrggbb"):
        Style(fill="blue")
    with pytest.raises(InputError, match="outside 0..1"):
        Style(fill_opacity=1.5)
    with pytest.raises(InputError, match="dash"):
        Style(dash="1;alert(1)")
    style = Style()
    with pytest.raises(InputError, match="not a slug"):
        Layer(id="Bad Id", name="x", kind="user", features=[], style=style,
              legend=LegendEntry("x", "line", style))


def test_layers_never_import_folium() -> None:
    code = ("import sys, layers.build, layers.user, layers.compare; "
            "from geo.analysis import analyse; "
            "layers.build.default_layers(analyse(), offline=True); "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('folium', 'branca', 'maps', 'matplotlib'))))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == []


def test_a_layer_asked_for_is_shown_even_if_hidden_by_default(report: Analysis) -> None:
    layers = default_layers(report)
    hidden = [ly for ly in layers if not ly.show]
    assert {ly.id for ly in hidden} >= {"places"}
    picked = select_layers(layers, ["places", "outline"])
    assert sorted(ly.id for ly in picked) == ["outline", "places", "ponds"]
    assert all(ly.show for ly in picked)


DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
MAIN_TOWNS = {"Gaza City": "غزة", "Jabalia": "جباليا", "Beit Lahia": "بيت لاهيا",
              "Beit Hanoun": "بيت حانون", "Deir al-Balah": "دير البلح",
              "Nuseirat": "النصيرات", "Khan Yunis": "خان يونس", "Rafah": "رفح"}


def test_labels_name_the_main_towns_and_governorates() -> None:
    import json

    from layers.places import label_layer

    en, ar = label_layer(), label_layer(lang="ar")
    labels_en = [f.properties["label"] for f in en.features]
    labels_ar = [f.properties["label"] for f in ar.features]
    for name, name_ar in MAIN_TOWNS.items():
        assert name in labels_en and name_ar in labels_ar
    # the five governorates, each label inside its governorate (read from the data file)
    govs = json.loads((DATA / "governorates.geojson").read_text(encoding="utf-8"))
    for g in govs["features"]:
        shape = shapely.geometry.shape(g["geometry"])
        hits = [f for f in en.features if f.properties["kind"] == "governorate"
                and f.properties["name"] == g["properties"]["name"]]
        assert len(hits) == 1 and shape.contains(hits[0].geometry)
    # towns sit where the places dataset has them (within 10 m of the OSM label node)
    places = json.loads((DATA / "places.geojson").read_text(encoding="utf-8"))
    rafah = next(p for p in places["features"] if p["properties"]["name"] == "Rafah"
                 and p["properties"]["kind"] == "municipality")
    label = next(f for f in en.features if f.properties["label"] == "Rafah")
    assert label.geometry.distance(shapely.geometry.shape(rafah["geometry"])) < 1e-4
    # most important first: the four rank-1 towns open the list
    assert {f.properties["label"] for f in en.features[:4]} == {
        "Gaza City", "Khan Yunis", "Rafah", "Deir al-Balah"}
    assert all(f.properties["min_zoom"] <= 10.25 for f in en.features
               if f.properties["label"] in MAIN_TOWNS)


def test_ponds_are_the_holes_of_the_outline_drawn_as_water(report: Analysis) -> None:
    import json

    from pyproj import Geod

    from layers.outline import ponds_layer
    from layers.styles import SEA

    ponds = ponds_layer(report)
    assert ponds is not None and len(ponds.features) == 3
    assert ponds.style.fill == SEA and ponds.style.stroke_width < 1
    outline = next(ly for ly in default_layers(report) if ly.id == "outline")
    assert all(len(p.interiors) == 0 for f in outline.features
               for p in shapely.get_parts(f.geometry))  # no thick black edge round ponds
    # independent: the holes of the packaged file, measured with pyproj.Geod directly
    data = json.loads((DATA / "gaza_outline.geojson").read_text(encoding="utf-8"))
    geod = Geod(ellps="WGS84")
    holes_km2 = []
    for feat in data["features"]:
        for poly in shapely.get_parts(shapely.geometry.shape(feat["geometry"])):
            for ring in poly.interiors:
                lon, lat = zip(*ring.coords, strict=True)
                holes_km2.append(abs(geod.polygon_area_perimeter(lon, lat)[0]) / 1e6)
    shown = sorted(float(f.properties["area"].split()[0]) for f in ponds.features)
    assert shown == pytest.approx(sorted(holes_km2), abs=0.006)
