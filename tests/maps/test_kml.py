"""KML exports: valid OGC KML 2.2, typed, styled with the zone colours, escaped descriptions."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from geo.analysis import analyse
from geo.write.export import export_partition
from layers.styles import export_styles, zone_style

NS = {"k": "http://www.opengis.net/kml/2.2"}
# the OGC KML 2.2 schema as the fastkml wheel ships it, with the atom, xAL and gx schemas
# it imports by relative path: validation needs no network. Found, not imported: importing
# fastkml warns when lxml is missing.
_FASTKML = importlib.util.find_spec("fastkml")
KML_XSD = (Path(next(iter(_FASTKML.submodule_search_locations or ())), "schema", "ogckml22.xsd")
           if _FASTKML is not None else Path("/nonexistent/ogckml22.xsd"))
_NO_XMLLINT = shutil.which("xmllint") is None or not KML_XSD.exists()
DATA = Path(__file__).resolve().parents[2] / "geo" / "data"


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
                           styles=export_styles())
    gj = export_partition(d / "z.geojson", a)
    raw = out.read_text(encoding="utf-8")
    return ET.fromstring(raw), raw, json.loads(gj.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def three_lines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A KML of three zones: the packaged line and one 1.5 km west of it (UTM offset)."""
    d = tmp_path_factory.mktemp("kml3")
    utm = Transformer.from_crs(4326, 32636, always_xy=True)
    feats = json.loads((DATA / "yellow_line_2025-10-19.geojson").read_text())["features"]
    line = shapely.union_all([shape(f["geometry"]) for f in feats])
    fwd = shapely.transform(line, lambda c: np.column_stack(utm.transform(c[:, 0], c[:, 1])))
    west = min((fwd.offset_curve(s) for s in (1500.0, -1500.0)), key=lambda c: c.centroid.x)
    back = shapely.transform(west, lambda c: np.column_stack(
        utm.transform(c[:, 0], c[:, 1], direction="INVERSE")))
    p = d / "orange.geojson"
    p.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": mapping(back)}))
    a = analyse(lines=["yellow-line@2025-10-19", str(p)], uncertainty_m=[300, 200])
    return export_partition(d / "three.kml", a, include=("crossings",),
                            styles=export_styles(2)), a


def _xmllint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(KML_XSD),
                           str(path)], capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.skipif(_NO_XMLLINT, reason="xmllint (libxml2-utils) or fastkml's XSD absent")
def test_two_and_three_zones_are_valid_against_the_ogc_schema(tmp_path, three_lines) -> None:
    two = export_partition(tmp_path / "two.kml", analyse(), include=("places",),
                           styles=export_styles(1))
    for path in (two, three_lines[0]):
        res = _xmllint(path)
        assert res.returncode == 0, res.stderr[:3000]
        assert res.stderr.strip() == f"{path} validates"


def test_every_zone_and_line_is_styled_and_named_as_its_folder(three_lines) -> None:
    path, a = three_lines
    root = ET.parse(path).getroot()
    styles = {s.get("id"): s for s in root.iterfind(".//k:Style", NS)}
    folders = {f.findtext("k:name", namespaces=NS): f for f in root.iterfind(".//k:Folder", NS)}
    assert list(folders) == ["zones", "line", "line-2", "crossings"]
    for name, folder in folders.items():
        for pm in folder.iterfind("k:Placemark", NS):
            url = pm.findtext("k:styleUrl", namespaces=NS) or ""
            assert url[1:] in styles, (name, url)
            layer = pm.find("k:ExtendedData/k:SchemaData/k:SimpleData[@name='layer']", NS)
            assert layer is not None and layer.text == name
    colours = {}
    for pm in folders["zones"].iterfind("k:Placemark", NS):
        zone = pm.findtext("k:name", namespaces=NS)
        st = styles[(pm.findtext("k:styleUrl", namespaces=NS) or "")[1:]]
        colours[zone] = st.findtext("k:PolyStyle/k:color", namespaces=NS)
        expected = zone_style(str(zone), 2)
        assert expected.fill is not None
        assert colours[zone] == _abgr(expected.fill, expected.fill_opacity)
    assert list(colours) == list(a.zone_ids) and len(set(colours.values())) == 3
    line2 = folders["line-2"].find("k:Placemark", NS)
    assert line2 is not None
    st = styles[(line2.findtext("k:styleUrl", namespaces=NS) or "")[1:]]
    assert st.findtext("k:LineStyle/k:color", namespaces=NS) == _abgr("#0072b2", 1.0)


def test_lines_are_tessellated(three_lines) -> None:
    root = ET.parse(three_lines[0]).getroot()
    lines = list(root.iterfind(".//k:LineString", NS))
    assert len(lines) == 2
    for el in [*lines, *root.iterfind(".//k:Polygon", NS)]:
        assert el.findtext("k:tessellate", namespaces=NS) == "1"


def test_gdal_reads_the_numbers_as_numbers(three_lines) -> None:
    path, a = three_lines
    info = pyogrio.read_info(str(path), layer="zones")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    for name in ("area_km2", "share_pct", "share_pct_low", "share_pct_high"):
        assert types[name] == "float64", name
    assert types["zone"] == "object"
    meta, _, _, fd = pyogrio.raw.read(str(path), layer="zones")
    cols = dict(zip(meta["fields"], fd, strict=True))
    assert list(cols["zone"]) == list(a.zone_ids)  # type: ignore[attr-defined]
    assert list(cols["area_km2"]) == [z.area_km2 for z in a.zones]  # type: ignore[attr-defined]


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
    # a user's file has a style too (the registry's first user colour)
    poi = root.find(".//k:Folder[k:name='poi']/k:Placemark/k:styleUrl", NS)
    assert poi is not None and poi.text and poi.text[1:] in styles


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
    if not _NO_XMLLINT:
        assert _xmllint(out).returncode == 0
