"""The folium renderer: every layer drawn, legend tied to layers, control last, ids stable."""

from __future__ import annotations

import json
import re

import pytest

from geo.analysis import analyse
from geo.errors import InputError
from layers.base import Layer, LegendEntry, Style
from layers.build import default_layers
from maps.interactive import render_parts, resolve_tiles
from maps.leaflet_layers import leaflet_style
from maps.legend import legend_html


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return default_layers(analyse(), offline=True)


@pytest.fixture(scope="module")
def parts(layers: list[Layer]):  # type: ignore[no-untyped-def]
    return render_parts(layers, report=None, map_id="gzt", title="T", offline=True)


def test_every_layer_is_drawn_and_listed(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    for ly in layers:
        if ly.kind == "labels":
            assert '"labels":[[' in parts.script
            continue
        assert f'"className":"gz-layer gz-{ly.id}"' in parts.script
    # the panel ties each legend entry to its layer object
    panel = re.search(r"_gz\.panel\(map_gzt_1, \"gzt-legend\", \{(.*?)\}", parts.script, re.S)
    assert panel is not None
    tied = re.findall(r'"([a-z0-9-]+)": gz_layer_gzt_\d+', panel.group(1))
    assert tied == [ly.id for ly in layers]
    assert "L.control.layers(" not in parts.script  # one panel, not a second box


def test_hidden_layers_start_hidden(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    added = set(re.findall(r"(gz_layer_gzt_\d+)\.addTo\(map_gzt_1\)", parts.script))
    declared = re.findall(r"var (gz_layer_gzt_\d+) = map_gzt_1_gz\.layer\(\{\"id\":\"([^\"]+)\"",
                          parts.script)
    shown = {lid for name, lid in declared if name in added}
    assert shown == {ly.id for ly in layers if ly.show}
    assert "municipalities" not in shown and "places" not in shown
    assert "labels" in shown


def test_panel_comes_last(parts) -> None:  # type: ignore[no-untyped-def]
    script = parts.script
    control = script.index("_gz.panel(")
    assert control > max(m.start() for m in re.finditer(r"_gz\.layer\(", script))
    assert "_gz.controls(" in script and ".fitBounds(" in script


def test_legend_entries_are_the_toggles(layers: list[Layer], parts) -> None:  # type: ignore[no-untyped-def]
    entries = re.findall(r'<li data-layer="([^"]+)"[^>]*>(<label class="gz-entry">'
                         r'<input type="checkbox"( checked)?>)?', parts.body)
    assert [e for e, _, _ in entries] == [ly.id for ly in layers if ly.legend is not None]
    by_id = {ly.id: ly for ly in layers}
    for lid, toggle, checked in entries:
        ly = by_id[lid]
        assert bool(toggle) is not ly.basemap  # the basemap is legend only
        if toggle:
            assert bool(checked) is ly.show
    assert "* illustrative, not an official line" in parts.body
    for ly in layers:
        assert ly.legend is not None
        assert ly.legend.label.replace("'", "&#x27;") in parts.body
    assert parts.body.count('class="gz-panel"') == 1
    assert 'aria-expanded="true" aria-controls="gzt-legend-body"' in parts.body


def test_base_maps_are_in_the_panel_online(layers: list[Layer]) -> None:
    online = render_parts(layers[1:], report=None, map_id="on", title="T")
    assert online.body.count('type="radio" name="on-base"') == 2
    assert "OpenStreetMap.Mapnik" in online.body and "Esri.WorldImagery" in online.body


def test_labels_are_sent_as_text_in_order() -> None:
    from layers.places import label_layer

    ly = label_layer(lang="ar")
    parts = render_parts([ly], report=None, map_id="lb", title="T", lang="ar", offline=True)
    spec = json.loads(re.search(r"_gz\.layer\((\{.*?\})\);\n", parts.script, re.S)
                      .group(1))  # type: ignore[union-attr]
    texts = [item[2] for item in spec["labels"]]
    assert texts[:4] == [f.properties["label"] for f in ly.features[:4]]
    assert "خان يونس" in texts and "رفح" in texts
    assert all(item[7] == "ar" for item in spec["labels"])
    # the runtime inserts them with textContent (a name is never parsed as HTML)
    assert 'el("div", "gz-label gz-label-" + it[3] + " gz-rank-" + it[4], it[2])' \
        in parts.script


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
