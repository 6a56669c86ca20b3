"""HTML output: page, fragment, iframe; offline, escaped, deterministic, accessible."""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import shapely

from geo.geometry.crs import to_laea
from maps.assets import asset
from maps.html import area_table_html, esc, leaflet_assets, script_json
from maps.leaflet_layers import DISPLAY_DECIMALS, display_geometry
from maps.render import MapOptions, build_map_layers, render_map, render_map_html
from tests._payloads import HOSTILE

HOSTILE_TITLE = "</title><script>alert(1)</script> `${x}` \\"
# Markup that only an injection could create (the page's own tags are counted separately)
RAW = ["<img src=x", "<svg onload", "<script>window.__pwned", "<script>alert"]


def hostile_layer(tmp_path: Path, name: str = "evil<b>layer<i>.geojson") -> Path:
    path = tmp_path / name
    feats = [{"type": "Feature", "properties": HOSTILE, "geometry": {
        "type": "Polygon", "coordinates": [[[34.40, 31.45], [34.44, 31.45], [34.44, 31.48],
                                            [34.40, 31.48], [34.40, 31.45]]]}}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def offline_page() -> str:
    return render_map_html(MapOptions(offline=True))


def test_page_head_is_accessible(offline_page: str) -> None:
    assert offline_page.startswith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">")
    assert '<meta charset="utf-8">' in offline_page
    m = re.search(r'<meta name="viewport" content="([^"]+)">', offline_page)
    assert m and "maximum-scale" not in m.group(1) and "user-scalable" not in m.group(1)
    assert offline_page.count("<meta name=\"viewport\"") == 1
    # words, not ids, in the title and heading; "%" bound to its number (no-break space)
    assert re.search(r"<title>Gaza Strip: zones east and west of the yellow line of the IDF "
                     r"map of 19 Oct 2025 \(east \d+\.\d\u00a0% of the outline\)</title>",
                     offline_page)
    head = offline_page[:offline_page.index("</h1>")]
    assert "yellow-line@" not in head.split("<style>")[0] + head.split("</script>")[-1]


def test_arabic_page_is_rtl() -> None:
    page = render_map_html(MapOptions(offline=True, lang="ar", layers=("zones", "outline")))
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="ar" dir="rtl">شمال غزة</td>' in page


def _resource_urls(page: str) -> list[str]:
    """URLs the page would load: script/link/img/iframe sources, CSS url() and @import."""
    found = re.findall(r"<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=\s*"
                       r"[\"']?([^\"' >]+)", page, flags=re.I)
    found += re.findall(r"<link\b[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", page, flags=re.I)
    found += re.findall(r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)", page, flags=re.I)
    found += re.findall(r"@import\s+[\"']?([^\"';]+)", page, flags=re.I)
    return [u for u in found if not u.startswith("data:")]  # inline, no request


def test_offline_page_loads_nothing_from_the_network(offline_page: str) -> None:
    assert _resource_urls(offline_page) == []
    assert "tile.openstreetmap.org" not in offline_page
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "bootstrap", "fontawesome",
                "cdnjs.cloudflare.com", "unpkg.com"):
        assert cdn not in offline_page
    assert "sourceMappingURL" not in offline_page
    version, css, js = leaflet_assets()
    assert version.startswith("1.9") and js.strip() in offline_page
    assert "url(images/" not in offline_page and "data:image/png;base64," in offline_page


def test_online_page_loads_only_tiles() -> None:
    page = render_map_html(MapOptions(layers=("outline",)))
    assert _resource_urls(page) == []  # tiles are requested by Leaflet, not by the markup
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    assert "OpenStreetMap" in page and "copyright" in page  # tile attribution
    assert "World_Imagery" in page  # the imagery base layer is offered too


def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    layer = hostile_layer(tmp_path)
    page = render_map_html(MapOptions(offline=True, user_layers=(str(layer),),
                                      title=HOSTILE_TITLE, layers=("outline", "user")))
    for raw in RAW:
        assert raw not in page, raw
    assert "<b>layer<i>" not in page
    # the page's own scripts only: Leaflet and the map
    assert page.count("<script") == page.count("</script>") == 2
    assert "<!--" not in page
    assert f"<title>{esc(HOSTILE_TITLE)}</title>" in page
    assert f"<h1>{esc(HOSTILE_TITLE)}</h1>" in page
    # the layer name reaches the layer control HTML-escaped, inside a safe JSON string
    assert "evil\\u0026lt;b\\u0026gt;layer\\u0026lt;i\\u0026gt;.geojson" in page
    # the property values travel as JSON strings inside the map script
    script = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    assert "${window.__pwned=3}" in script
    data = re.search(r"_gz\.layer\((\{\"id\":\"user-1\".*?)\);\n", script)
    assert data is not None
    spec = json.loads(data.group(1))
    values = spec["data"]["features"][0]["properties"]["v"]
    assert set(HOSTILE.values()) <= set(values)
    assert ["<svg onload=window.__pwned=6>", values.index("key"), ""] in spec["tooltip"]
    assert spec["name"] == "evil<b>layer<i>.geojson"  # set as text by the runtime


def test_script_json_cannot_close_a_script() -> None:
    text = script_json({"k": "</script><!-- \u2028 & `${x}` \\ '"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"k": "</script><!-- \u2028 & `${x}` \\ '"}


def test_same_options_same_bytes_and_hash_ids(offline_page: str) -> None:
    assert render_map_html(MapOptions(offline=True)) == offline_page
    ids = re.findall(r'\bid="([^"]+)"', offline_page)
    map_id = ids[0]
    assert re.fullmatch(r"gz[0-9a-f]{10}", map_id)
    assert all(i.startswith(map_id) or map_id in i for i in ids)
    assert not re.search(r"[0-9a-f]{32}", offline_page)  # no folium uuid left
    other = render_map_html(MapOptions(offline=True, lang="ar"))
    assert re.findall(r'\bid="([^"]+)"', other)[0] != map_id


def _names(fragment: str) -> set[str]:
    """Element ids and the global names the map script declares (not Leaflet's own)."""
    ids = set(re.findall(r'\bid="([^"]+)"', fragment))
    script = fragment.split("</script>", 1)[1].replace(asset("map.js"), "")  # IIFE: no globals
    js = set(re.findall(r"\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)", script))
    return ids | js


def test_two_fragments_share_no_id() -> None:
    a = render_map_html(MapOptions(offline=True, mode="fragment", layers=("zones",)))
    b = render_map_html(MapOptions(offline=True, mode="fragment", layers=("outline",)))
    c = render_map_html(MapOptions(offline=True, mode="fragment", layers=("zones",),
                                   map_id="second"))
    assert not a.lstrip().startswith("<!DOCTYPE") and "<html" not in a
    assert a.startswith('<div class="gz-embed"')
    assert "if (typeof window.L === \"undefined\")" in a  # Leaflet defined once per page
    na, nb, nc = _names(a), _names(b), _names(c)
    assert na and nb and nc
    assert na.isdisjoint(nb) and na.isdisjoint(nc) and nb.isdisjoint(nc)
    assert all(n.startswith("second") or "_second_" in n for n in nc)


def test_iframe_snippet_escapes_the_page() -> None:
    snippet = render_map_html(MapOptions(offline=True, mode="iframe", layers=("outline",),
                                         title='a "quoted" <title>'))
    assert snippet.startswith("<iframe ") and snippet.rstrip().endswith("</iframe>")
    assert snippet.count("<") == 2  # the opening and the closing iframe tag, nothing else
    assert 'title="a &quot;quoted&quot; &lt;title&gt;"' in snippet
    assert 'sandbox="allow-scripts allow-popups"' in snippet
    srcdoc = htmllib.unescape(re.search(r'srcdoc="([^"]*)"', snippet).group(1))  # type: ignore[union-attr]
    assert srcdoc.startswith("<!DOCTYPE html>")


def test_notebook_object_shows_an_iframe() -> None:
    rendered = render_map(MapOptions(offline=True, layers=("outline", "zones")))
    assert rendered.html.startswith("<!DOCTYPE html>")
    frame = rendered._repr_html_()
    assert frame.startswith("<iframe ")
    # the page inside is the one rendered (no second render), its map in px
    src = htmllib.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))  # type: ignore[union-attr]
    assert src == rendered.html
    map_px = float(re.search(r"\.gz-map\{height:(\d+)px", src).group(1))  # type: ignore[union-attr]
    frame_px = float(re.search(r"height:(\d+)px;border:0", frame).group(1))  # type: ignore[union-attr]
    assert map_px + 100 <= frame_px <= map_px + 200  # the map and its title fit
    # no text/plain twin of the page: the object has no other rich repr
    assert not hasattr(rendered, "_repr_mimebundle_")
    assert not hasattr(rendered, "_repr_markdown_")


def test_notebook_repr_is_short() -> None:
    rendered = render_map(MapOptions(offline=True, layers=("outline", "zones")))
    text = repr(rendered)
    assert len(text) < 300 and "\n" not in text
    assert "<" not in text[1:-1] and "Gaza Strip" in text
    build = build_map_layers(MapOptions(offline=True, layers=("outline", "zones")))
    for z in build.analysis.zones:
        assert f"{z.id} {z.share_pct:.1f} % ({z.area_km2:.1f} km²)" in text
    assert f"{len(rendered.html.encode()) / 1024:.0f} KB" in text


def test_area_table_is_the_text_alternative(offline_page: str) -> None:
    build = build_map_layers(MapOptions(offline=True))
    east = build.analysis.zone("east")
    assert f"<td>{east.area_km2:.2f}</td><td>{east.share_pct:.1f}</td>" in offline_page
    assert "<caption>Areas of the zones (geodesic, WGS84)</caption>" in offline_page
    assert "gaza-outline@2017" in offline_page and "yellow-line@2025-10-19" in offline_page
    assert "geodesic area on the WGS84 ellipsoid" in offline_page
    hostile = replace(build.analysis, warnings=("<script>x</script>",))
    # a governorate named in markup (the lazy part, as the analysis would hold it)
    hostile.__dict__["governorates"] = (replace(build.analysis.governorates[0],
                                                name="<i>g</i>"),)
    table = area_table_html(hostile, map_id="t", lang="en")
    assert "<script>" not in table and "&lt;script&gt;" in table and "<i>g" not in table


def test_display_geometry_within_one_metre(outline: shapely.Geometry) -> None:
    build = build_map_layers(MapOptions(offline=True, layers=("zones", "outline", "line")))
    for ly in build.layers:
        for f in ly.features:
            shown = display_geometry(f.geometry)
            coords = shapely.get_coordinates(shown)
            assert (abs(coords * 10**DISPLAY_DECIMALS
                        - (coords * 10**DISPLAY_DECIMALS).round()) < 1e-6).all()
            assert len(coords) <= len(shapely.get_coordinates(f.geometry))
            d = shapely.hausdorff_distance(to_laea(f.geometry, dense=True),
                                           to_laea(shown, dense=True), densify=0.1)
            assert d < 1.0, (ly.id, d)


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_offline_page_has_a_strict_csp_that_allows_its_own_code(offline_page: str) -> None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                  offline_page)
    assert m, "no CSP meta"
    policy = htmllib.unescape(m.group(1))
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in policy and "http" not in policy and "*" not in policy
    assert directives["img-src"] == "data:"
    # every inline script and style of the page is allowed by its hash, nothing else
    scripts = re.findall(r"<script>(.*?)</script>", offline_page, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", offline_page, flags=re.S)
    assert sorted(f"'{_sha256(t)}'" for t in scripts) == sorted(
        directives["script-src"].split())
    assert [f"'{_sha256(t)}'" for t in styles] == directives["style-src"].split()
    # the CSP comes before anything it governs
    assert offline_page.index("Content-Security-Policy") < offline_page.index("<style>")


def test_online_page_has_no_offline_csp() -> None:
    online = render_map_html(MapOptions(layers=("outline",)))
    assert "Content-Security-Policy" not in online


def test_page_description_icon_and_clean_leaflet_css(offline_page: str) -> None:
    build = build_map_layers(MapOptions(offline=True))
    m = re.search(r'<meta name="description" content="([^"]+)">', offline_page)
    assert m
    desc = htmllib.unescape(m.group(1))
    for z in build.analysis.zones:
        assert f"{z.area_km2:.1f} km²" in desc and f"{z.share_pct:.1f} %" in desc
    assert re.search(r'<link rel="icon" href="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+">',
                     offline_page)
    css = offline_page[offline_page.index("<style>"):offline_page.index("</style>")]
    assert "behavior" not in css and "#default#VML" not in css
    assert ".leaflet-container" in css
    assert offline_page.count("<style>") == 1  # Leaflet's, the page's and the map's


def test_fragment_has_one_style_as_first_child() -> None:
    frag = render_map_html(MapOptions(offline=True, mode="fragment", layers=("outline",)))
    assert frag.count("<style>") == 1
    assert re.match(r'<div class="gz-embed" id="[^"]+" lang="en" dir="ltr"><style>', frag)
