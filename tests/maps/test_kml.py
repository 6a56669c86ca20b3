"""KML exports: styled with the zone colours, described by a short escaped HTML table."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geo.analysis import analyse
from geo.export import export_partition
from layers.styles import kml_styles, zone_style

NS = {"k": "http://www.opengis.net/kml/2.2"}


def _abgr(hex_rgb: str, opacity: float) -> str:
    # written out independently: KML colours are alpha, blue, green, red
    r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5))
    return f"{int(round(opacity * 255)):02x}{b:02x}{g:02x}{r:02x}"


@pytest.fixture(scope="module")
def kml(tmp_path_factory: pytest.TempPathFactory) -> tuple[ET.Element, str, dict]:  # type: ignore[type-arg]
    d = tmp_path_factory.mktemp("kml")
    user = d / "poi.geojson"
    user.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "<script>x</script> & <b>"},
        "geometry": {"type": "Point", "coordinates": [34.45, 31.5]}}]}), encoding="utf-8")
    a = analyse()
    out = export_partition(d / "z.kml", a, include=("places", str(user)),
                           kml_styles=kml_styles())
    gj = export_partition(d / "z.geojson", a)
    raw = out.read_text(encoding="utf-8")
    return ET.fromstring(raw), raw, json.loads(gj.read_text(encoding="utf-8"))


def test_zones_are_styled_with_the_palette(kml) -> None:  # type: ignore[no-untyped-def]
    root, _, _ = kml
    styles = {s.get("id"): s for s in root.iterfind(".//k:Style", NS)}
    for pm in root.iterfind(".//k:Folder[k:name='zones']/k:Placemark", NS):
        zone = pm.findtext("k:name", namespaces=NS)
        url = pm.findtext("k:styleUrl", namespaces=NS)
        assert url and url.startswith("#")
        st = styles[url[1:]]
        expected = zone_style(str(zone))
        assert expected.fill is not None
        assert st.findtext("k:PolyStyle/k:color", namespaces=NS) == _abgr(
            expected.fill, expected.fill_opacity)
    line_pm = root.find(".//k:Folder[k:name='line']/k:Placemark", NS)
    assert line_pm is not None
    st = styles[line_pm.findtext("k:styleUrl", namespaces=NS)[1:]]  # type: ignore[index]
    assert st.findtext("k:LineStyle/k:color", namespaces=NS) == _abgr("#f0e442", 1.0)
    assert float(st.findtext("k:LineStyle/k:width", namespaces=NS) or 0) >= 3
    # no two zones share a colour (everything was white before, issue 10)
    colours = [styles[pm.findtext("k:styleUrl", namespaces=NS)[1:]]  # type: ignore[index]
               .findtext("k:PolyStyle/k:color", namespaces=NS)
               for pm in root.iterfind(".//k:Folder[k:name='zones']/k:Placemark", NS)]
    assert len(set(colours)) == len(colours) == 2


def test_descriptions_are_short_tables_with_the_figures(kml) -> None:  # type: ignore[no-untyped-def]
    root, _, gj = kml
    desc = root.findtext(".//k:Folder[k:name='zones']/k:description", namespaces=NS) or ""
    assert desc.startswith("<table>") and "{" not in desc  # not a JSON dump
    for f in gj["features"]:
        p = f["properties"]
        if p.get("layer") == "zones":
            assert f"{p['zone']} zone" in desc
            assert f"{p['area_km2']:.2f} km², {p['share_pct']:.1f} % of the outline" in desc
    assert "yellow-line@2025-10-19" in desc and "geodesic" in desc
    east = next(pm for pm in root.iterfind(".//k:Folder[k:name='zones']/k:Placemark", NS)
                if pm.findtext("k:name", namespaces=NS) == "east")
    cells = dict(re.findall(r'<th align="left">([^<]+)</th><td>([^<]*)</td>',
                            east.findtext("k:description", namespaces=NS) or ""))
    ge = next(f["properties"] for f in gj["features"]
              if f["properties"].get("zone") == "east")
    assert float(cells["area (km², geodesic)"]) == pytest.approx(ge["area_km2"], abs=0.005)
    line_desc = root.findtext(".//k:Folder[k:name='line']/k:description", namespaces=NS)
    assert "not stated by the publisher" in (line_desc or "")


def test_data_text_stays_text_in_descriptions(kml) -> None:  # type: ignore[no-untyped-def]
    root, raw, _ = kml
    assert "<script>" not in raw
    poi = root.find(".//k:Folder[k:name='poi']", NS)
    assert poi is not None
    # the placemark name is plain text; the folder's HTML escapes the file's values
    names = [pm.findtext("k:name", namespaces=NS) for pm in poi.iterfind("k:Placemark", NS)]
    assert names == ["<script>x</script> & <b>"]
    for d in root.iterfind(".//k:description", NS):
        markup = d.text or ""
        # once the KML's own escaping is undone, the HTML holds only our tags
        tags = set(re.findall(r"<(/?[a-z]+)", markup))
        assert tags <= {"table", "/table", "tr", "/tr", "th", "/th", "td", "/td"}, tags


def test_without_styles_nothing_breaks(tmp_path: Path) -> None:
    out = export_partition(tmp_path / "plain.kml", analyse())
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.find(".//k:Style", NS) is None
    assert root.find(".//k:styleUrl", NS) is None
