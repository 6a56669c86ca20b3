"""The folium renderer: every layer drawn, legend tied to layers, control last, ids stable."""

from __future__ import annotations

import json
import re

import pytest

from geo.analysis import analyse
from geo.errors import InputError
from layers.base import Layer, LegendEntry, Style
from layers.build import default_layers
from maps.interactive import leaflet_style, legend_html, render_parts, resolve_tiles


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return default_layers(analyse(), offline=True)


@pytest.fixture(scope="module")
def parts(layers: list[Layer]):  # type: ignore[no-untyped-def]
    return render_parts(layers, report=None, map_id="gzt", title="T", offline=True)


def test_every_layer_is_drawn_and_listed(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    for ly in layers:
        assert f'"className":"gz-layer gz-{ly.id}"' in parts.script
    overlays = re.search(r"overlays\s*:\s*\{(.*?)\}", parts.script, re.S)
    assert overlays is not None
    listed = [json.loads(n) for n in re.findall(r'("(?:[^"\\]|\\.)*")\s*:',
                                                  overlays.group(1))]
    # the basemap is drawn but not offered in the control
    assert listed == [f'<span dir="auto">{ly.name}</span>' for ly in layers if not ly.basemap]


def test_hidden_layers_start_hidden(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    added = set(re.findall(r"(gz_layer_gzt_\d+)\.addTo\(map_gzt_1\)", parts.script))
    declared = re.findall(r"var (gz_layer_gzt_\d+) = map_gzt_1_gz\.layer\(\{\"id\":\"([^\"]+)\"",
                          parts.script)
    shown = {lid for name, lid in declared if name in added}
    assert shown == {ly.id for ly in layers if ly.show}
    assert "municipalities" not in shown and "places" not in shown


def test_layer_control_comes_last(parts) -> None:  # type: ignore[no-untyped-def]
    script = parts.script
    control = script.index("L.control.layers(")
    assert control > max(m.start() for m in re.finditer(r"_gz\.layer\(", script))
    assert control > script.index("_gz.legend(")
    assert "L.control.scale(" in script and ".fitBounds(" in script


def test_legend_has_one_entry_per_layer(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    entries = re.findall(r'<li data-layer="([^"]+)"( hidden)?>', parts.body)
    assert [e for e, _ in entries] == [ly.id for ly in layers if ly.legend is not None]
    assert {e for e, h in entries if h} == {ly.id for ly in layers if not ly.show}
    assert "* illustrative, not an official line" in parts.body
    for ly in layers:
        assert ly.legend is not None
        assert ly.legend.label.replace("'", "&#x27;") in parts.body


def test_legend_escapes_labels() -> None:
    style = Style(stroke="#000000")
    ly = Layer(id="user-1", name="<b>n</b>", kind="user", features=[], style=style,
               legend=LegendEntry("<script>x</script>", "line", style))
    out = legend_html([ly], map_id="m")
    assert "<script>" not in out and "&lt;script&gt;x&lt;/script&gt;" in out


def test_attribution_and_provenance_reach_the_script(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    assert "© OpenStreetMap contributors (ODbL)" in parts.script
    assert "IDF map of 19 Oct 2025, digitised by Gaza Maps" in parts.script
    assert '["licence","not stated by the publisher",""]' in parts.script
    assert '["illustrative","yes: derived for illustration, not an official line",""]' \
        in parts.script


def test_styles_become_leaflet_options() -> None:
    opts = leaflet_style(Style(stroke=None, fill="#56b4e9", fill_opacity=0.3, dash="4 4"),
                         "zone-west")
    assert opts["stroke"] is False and opts["fill"] is True
    assert opts["fillColor"] == "#56b4e9" and opts["dashArray"] == "4 4"
    assert leaflet_style(Style(), "x")["fill"] is False


def test_ids_are_namespaced_and_stable(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    again = render_parts(layers, report=None, map_id="gzt", title="T", offline=True)
    assert again == parts
    names = set(re.findall(r"\b(?:var|let)\s+([a-z_]+_gzt_\d+)\b", parts.script))
    assert names and all("_gzt_" in n for n in names)
    ids = re.findall(r'\bid="([^"]+)"', parts.body)
    assert ids and all(i.startswith(("gzt", "map_gzt_")) for i in ids)


def test_online_tiles_have_attribution(layers: list[Layer]) -> None:
    online = render_parts(layers[1:], report=None, map_id="on", title="T",
                          tiles="Esri.WorldImagery")
    assert "server.arcgisonline.com" in online.script
    assert "Esri" in online.script and '"attribution"' in online.script
    assert "tile.openstreetmap.org" in online.script  # offered as the other base layer


def test_tile_provider_errors() -> None:
    assert resolve_tiles("OSM").name == "OpenStreetMap.Mapnik"
    with pytest.raises(InputError, match="unknown tile provider 'Nope.Nothing'"):
        resolve_tiles("Nope.Nothing")
    with pytest.raises(InputError, match="needs an API key"):
        resolve_tiles("Thunderforest.OpenCycleMap")
