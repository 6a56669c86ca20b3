"""Static PNG/SVG maps: valid images of the requested size, content, Arabic, determinism."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
import shapely

from geo.analysis import analyse
from geo.errors import InputError
from geo.read.features import Feature
from layers.base import Layer, LegendEntry, Style
from layers.build import default_layers
from maps.static import has_arabic, native_complex_text, render_static, shape_arabic

GHAZZA = "غزة"  # Gaza: ghain, zain, teh marbuta


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return default_layers(analyse(), offline=True)


@pytest.fixture(scope="module")
def png(layers: list[Layer]) -> bytes:
    return render_static(layers, fmt="png", title="Test map", width_px=600, height_px=700,
                         dpi=100)


def _pixels(data: bytes) -> np.ndarray[Any, Any]:
    import matplotlib.image as mpimg

    return np.asarray(mpimg.imread(io.BytesIO(data), format="png"))


def test_png_is_an_image_of_the_requested_size(png: bytes) -> None:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    img = _pixels(png)
    assert img.shape[:2] == (700, 600)


def test_png_has_content(png: bytes, layers: list[Layer]) -> None:
    img = _pixels(png)[:, :, :3]
    assert img.std() > 0.05  # not blank
    colours = {tuple(c) for c in (img.reshape(-1, 3) * 255).round().astype(int)[::7]}
    assert len(colours) > 50
    # the east zone's fill (vermillion blended over the basemap) is on the map
    east = next(ly for ly in layers if ly.id == "zone-east").style.fill
    assert east is not None
    r, g, b = (int(east[i:i + 2], 16) / 255 for i in (1, 3, 5))
    reddish = (img[:, :, 0] > img[:, :, 2] + 0.1) & (img[:, :, 0] > 0.7)
    assert reddish.mean() > 0.02 and r > b and g < r


def test_png_is_deterministic(layers: list[Layer], png: bytes) -> None:
    again = render_static(layers, fmt="png", title="Test map", width_px=600, height_px=700,
                          dpi=100)
    assert again == png


def test_svg_parses_and_is_deterministic(layers: list[Layer]) -> None:
    svg = render_static(layers, fmt="svg", width_px=500, height_px=600, dpi=100)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    # the requested size in pixels, not matplotlib's points
    assert root.get("width") == "500px" and root.get("height") == "600px"
    assert b"<dc:date>" not in svg
    assert render_static(layers, fmt="svg", width_px=500, height_px=600, dpi=100) == svg


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_text_is_text_with_declared_fonts(layers: list[Layer]) -> None:
    svg = render_static(layers, fmt="svg", width_px=1000, height_px=1200, dpi=120)
    texts = _svg_texts(svg)
    for name in ("Gaza City", "Khan Yunis", "Rafah", "Deir al-Balah", "km", "N"):
        assert name in texts, texts
    assert b'id="DejaVuSans-' not in svg  # no glyph outlines
    assert b"font-family: 'DejaVu Sans'" in svg and b"sans-serif" in svg
    assert b"paint-order:stroke" in svg  # the labels' halo as a style, text kept


def test_arabic_svg_keeps_logical_order_text() -> None:
    ar = default_layers(analyse(), offline=True, lang="ar")
    svg = render_static(ar, fmt="svg", lang="ar", width_px=800, height_px=900, dpi=100)
    texts = _svg_texts(svg)
    assert "خان يونس" in texts and "رفح" in texts  # stored order: the viewer shapes it
    assert "معبر رفح" in texts  # crossings in Arabic too (issue 10)


def test_too_small_is_refused_with_the_minimum(layers: list[Layer]) -> None:
    with pytest.raises(InputError, match=r"width 400 px at 150 dpi is too small to read: "
                                         r"the minimum is 600 px"):
        render_static(layers, width_px=400, height_px=300)
    with pytest.raises(InputError, match="height 300 px at 100 dpi .* minimum is 400 px"):
        render_static(layers, width_px=600, height_px=300, dpi=100)


def test_text_is_never_parsed_as_math() -> None:
    sq = shapely.box(34.30, 31.40, 34.35, 31.45)
    names = ["$5 to $10", "$\\notacommand$", "a_b^c"]
    feats = [Feature(sq.centroid.buffer(0.001 * (i + 1)), {"name": n})
             for i, n in enumerate(names)]
    st = Style(stroke="#0072b2", fill="#0072b2", fill_opacity=0.5)
    ly = Layer("sq", "Square", "user", feats, st, LegendEntry("$x$ legend", "area", st),
               label_field="name")
    png = render_static([ly], fmt="png", width_px=400, height_px=400, dpi=72,
                        title="$5 to $10")
    assert png.startswith(b"\x89PNG")
    svg = render_static([ly], fmt="svg", width_px=400, height_px=400, dpi=72,
                        title="$5 to $10")
    texts = _svg_texts(svg)
    assert "$5 to $10" in texts and "$x$ legend" in texts


def test_arabic_shaping_of_a_known_word() -> None:
    # isolated teh marbuta U+FE93, final zain U+FEB0, initial ghain U+FECF, in visual order
    assert [hex(ord(c)) for c in shape_arabic(GHAZZA, manual=True)] == [
        "0xfe93", "0xfeb0", "0xfecf"]
    assert shape_arabic("Rafah", manual=True) == "Rafah"
    assert has_arabic(GHAZZA) and not has_arabic("Gaza")


def test_arabic_is_not_reversed_twice() -> None:
    """With libraqm (matplotlib >= 3.11) labels stay logical and come out right to left."""
    if not native_complex_text():
        assert shape_arabic(GHAZZA) == shape_arabic(GHAZZA, manual=True)
        return
    assert shape_arabic(GHAZZA) == GHAZZA
    from matplotlib import font_manager, ft2font

    font = font_manager.get_font(font_manager.findfont("DejaVu Sans"))
    if not hasattr(font, "_layout"):
        pytest.skip("this matplotlib exposes no layout to inspect")
    font.set_size(12, 72)
    items = font._layout(GHAZZA, ft2font.LoadFlags.NO_HINTING)
    by_x = sorted(items, key=lambda i: i.x)
    # right to left: the first letter (ghain) is drawn rightmost, teh marbuta leftmost
    assert by_x[-1].char == "غ" and by_x[0].char == "ة"


def test_arabic_labels_render_without_warnings(layers: list[Layer]) -> None:
    ar = default_layers(analyse(), offline=True, lang="ar")
    data = render_static(ar, fmt="png", title="قطاع غزة", lang="ar", width_px=400,
                         height_px=500, dpi=80)
    assert _pixels(data).shape[:2] == (500, 400)


def test_small_custom_layer_and_hidden_layers() -> None:
    sq = shapely.box(34.30, 31.40, 34.35, 31.45)
    area = Layer("sq", "Square", "user", [Feature(sq, {"name": "Square"})],
                 Style(stroke="#0072b2", fill="#0072b2", fill_opacity=0.5),
                 LegendEntry("Square", "area", Style(stroke="#0072b2", fill="#0072b2")),
                 attribution="test data", label_field="name")
    hidden = Layer("far", "Far", "user", [Feature(shapely.box(40, 40, 41, 41), {})],
                   Style(), None, show=False)
    data = render_static([area, hidden], fmt="png", width_px=300, height_px=300, dpi=72,
                         basemap=False)
    img = _pixels(data)[:, :, :3]
    blue = (img[:, :, 2] > img[:, :, 0] + 0.2)
    assert blue.mean() > 0.2  # the extent follows the visible layer, not the hidden one


@pytest.mark.parametrize("kw, match", [
    ({"fmt": "gif"}, "not a static format"),
    ({"width_px": 10}, "width"),
    ({"width_px": 500}, "too small to read"),
    ({"dpi": 5}, "dpi"),
])
def test_bad_arguments(layers: list[Layer], kw: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        render_static(layers, **kw)


def test_nothing_to_draw() -> None:
    hidden = Layer("x", "X", "user", [Feature(shapely.Point(34.3, 31.4), {})], Style(), None,
                   show=False)
    with pytest.raises(InputError, match="nothing to draw"):
        render_static([hidden])


def _boxes_overlap(a: Any, b: Any) -> bool:
    return bool(a.x0 < b.x1 and a.x1 > b.x0 and a.y0 < b.y1 and a.y1 > b.y0)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_labels_avoid_each_other_and_the_line(lang: str) -> None:
    from maps.static import static_figure

    ly = default_layers(analyse(), offline=True, lang=lang)
    fig = static_figure(ly, lang=lang, width_px=900, height_px=1050, dpi=120)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("gz-label-")]
    texts = [t.get_text() for t in labels]
    towns = (["غزة", "خان يونس", "رفح", "دير البلح"] if lang == "ar"
             else ["Gaza City", "Khan Yunis", "Rafah", "Deir al-Balah"])
    assert all(t in texts for t in towns), texts
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _boxes_overlap(a, b), (texts[i], a, b)
    # the line, in display pixels: no label box crosses it
    line = next(x for x in ly if x.id == "line")
    from geo.geometry.crs import to_laea

    xy = ax.transData.transform(shapely.get_coordinates(to_laea(line.features[0].geometry)))
    track = shapely.LineString(xy)
    crossing = [texts[i] for i, b in enumerate(boxes)
                if track.intersects(shapely.box(b.x0, b.y0, b.x1, b.y1))]
    assert crossing == [], crossing
    # nor a crossing's disc, except the crossing's own name beside it ("Um a-Nasser" hid
    # the Erez crossing); discs from the drawn scatters, not from the placer
    discs = []
    for c in ax.collections:
        if len(c.get_offsets()) != 1 or not len(c.get_sizes()) or c.get_sizes()[0] < 40:
            continue
        xy = tuple(c.get_offsets()[0])
        x, y = ax.transData.transform(xy)
        r = np.sqrt(c.get_sizes()[0]) / 2 * fig.dpi / 72
        discs.append((xy, shapely.box(x - r, y - r, x + r, y + r)))
    assert len(discs) >= 5
    covered = [(texts[i], xy) for i, b in enumerate(boxes) for xy, d in discs
               if tuple(labels[i].xy) != xy and d.intersects(shapely.box(b.x0, b.y0, b.x1, b.y1))]
    assert covered == [], covered


def test_static_map_has_the_basemap_even_when_not_asked() -> None:
    from layers.build import select_layers
    from layers.styles import LAND, SEA

    ly = select_layers(default_layers(analyse()), ["places", "line", "zones"])
    assert not any(x.basemap for x in ly)
    img = (_pixels(render_static(ly, width_px=600, height_px=700, dpi=100))[:, :, :3]
           * 255).round().astype(int)
    for colour in (SEA, LAND):
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        share = (np.abs(img - rgb).sum(axis=2) <= 3).mean()
        assert share > 0.05, (colour, share)


def test_title_keeps_percent_with_its_number() -> None:
    from maps.static import static_figure

    title = "قطاع غزة: المنطقتان شرق وغرب الخط الأصفر، الشرقية 54.2\u00a0% من المساحة"
    ly = default_layers(analyse(), offline=True, lang="ar")
    fig = static_figure(ly, title=title, lang="ar", width_px=600, height_px=700, dpi=100)
    lines = [ln for t in fig.texts for ln in t.get_text().split("\n")]
    assert any("54.2\u00a0%" in ln for ln in lines)
    assert not any(ln.strip() in ("%", "% من المساحة") for ln in lines)


def test_svg_has_title_and_description_first(layers: list[Layer]) -> None:
    svg = render_static(layers, fmt="svg", width_px=600, height_px=700, title="A <b> & c",
                        description="East: 196.9 km² & <more>")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    first = [child.tag for child in root][:2]
    assert first == [f"{ns}title", f"{ns}desc"]
    assert root.findtext(f"{ns}title") == "A <b> & c"
    assert root.findtext(f"{ns}desc") == "East: 196.9 km² & <more>"
    plain = ET.fromstring(render_static(layers, fmt="svg", width_px=600, height_px=700))
    assert plain.findtext(f"{ns}title") == "Map of the Gaza Strip"
    assert plain.find(f"{ns}desc") is None


def test_rendered_svg_describes_the_zones_figures() -> None:
    from maps.render import MapOptions, render_output

    svg = render_output(MapOptions(), "svg", width_px=600, height_px=700)
    assert isinstance(svg, bytes)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    desc = root.findtext(f"{ns}desc") or ""
    a = analyse()
    for z in a.zones:
        assert f"{z.id.capitalize()}: {z.area_km2:.1f} km², {z.share_pct:.1f} %" in desc
    assert (root.findtext(f"{ns}title") or "").startswith("Gaza Strip")
