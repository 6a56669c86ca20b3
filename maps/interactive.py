"""The interactive renderer: layers -> a Leaflet map through folium, safe and reproducible.

folium composes the map (``Map``, ``TileLayer``), with four departures from its
defaults, each for a reason given in issue 3 or issue 10:

- no CDN assets: ``default_js`` / ``default_css`` are emptied (Leaflet is inlined by
  :mod:`maps.html`; jQuery, Bootstrap and Font Awesome are not needed); the map's own
  script and style are files inlined at build time (``maps/assets/map.js``, ``map.css``,
  read by :func:`maps.assets.asset`);
- deterministic ids: folium draws element ids from ``os.urandom``; every element gets
  ``f"{map_id}_{n}"`` instead (:func:`maps.folium_elements.assign_ids`), so the same
  inputs give the same bytes and two maps with different ids can share a page;
- no raw strings: folium's tooltips, popups and layer names are inserted as HTML or into
  JavaScript as given. Here feature data travels as JSON made safe for ``<script>``
  (:func:`maps.html.script_json`, the specs of :mod:`maps.leaflet_layers`) and is put in
  the page with ``textContent``; layer names and attributions, which Leaflet inserts as
  HTML, are HTML-escaped first;
- one panel instead of folium's ``LayerControl`` and a separate legend
  (:mod:`maps.legend`): each legend entry is its layer's checkbox, the panel collapses
  (and starts collapsed on maps narrower than :data:`NARROW_PX`), so that the controls
  hide little of the Strip on a phone or in a notebook cell. Place names are text in a
  map pane, placed by zoom and most important first, never over each other (the
  runtime's ``Labels`` layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shapely

from geo.errors import InputError
from layers.base import Layer
from maps.assets import asset
from maps.folium_elements import assign_ids, layer_class, map_class, panel_class
from maps.html import MapParts, area_table_html, esc, script_json, ui
from maps.leaflet_layers import labels_spec, unique_names, vector_spec
from maps.legend import legend_html

if TYPE_CHECKING:
    import xyzservices

    from geo.analysis import Analysis
    from layers._provenance import DataProvenance

__all__ = [
    "DEFAULT_TILES",
    "IMAGERY_TILES",
    "NARROW_PX",
    "COMPACT_PX",
    "resolve_tiles",
    "render_parts",
    "map_description",
    "import_folium_lean",
]

DEFAULT_TILES = "OpenStreetMap.Mapnik"
IMAGERY_TILES = "Esri.WorldImagery"
# Below this map width (CSS px) the panel starts collapsed: a phone held upright.
NARROW_PX = 600
# Below this map width the attribution is one line (the full text on hover or focus).
COMPACT_PX = 1000

# The words of the runtime's controls (zoom buttons, scale, measuring tool), by language.
_MEASURE_WORDS = {
    "en": {"measure": "Measure", "clear": "Clear", "points": "points", "distance": "distance",
           "area": "area", "km": "km", "m": "m", "km2": "km²",
           "hint": "Click on the map: distance along the clicks, area of the polygon "
                   "(geodesic, WGS84)"},
    "ar": {"measure": "قياس", "clear": "مسح", "points": "نقاط", "distance": "المسافة",
           "area": "المساحة", "km": "كم", "m": "م", "km2": "كم²",
           "hint": "انقر على الخريطة: المسافة على طول النقرات ومساحة المضلع (جيوديسية، WGS84)"},
}
_CONTROL_WORDS = {
    "en": {"zoomIn": "Zoom in", "zoomOut": "Zoom out", "km": "", "m": "", "rtl": False,
           "measure": _MEASURE_WORDS["en"]},
    "ar": {"zoomIn": "تكبير", "zoomOut": "تصغير", "km": "كم", "m": "م", "rtl": True,
           "measure": _MEASURE_WORDS["ar"]},
}


def resolve_tiles(name: str) -> xyzservices.TileProvider:
    """An xyzservices provider by name (``OpenStreetMap.Mapnik``, ``Esri.WorldImagery``...).

    Raises
    ------
    geo.errors.InputError
        For an unknown provider or one that needs an API key.
    """
    import xyzservices

    key = "OpenStreetMap.Mapnik" if name.strip().lower() in ("osm", "openstreetmap") else name
    try:
        provider = xyzservices.providers.query_name(key)
    except ValueError:
        raise InputError(f"unknown tile provider {name!r}", source="--tiles",
                         fix="use an xyzservices name such as OpenStreetMap.Mapnik, "
                             "Esri.WorldImagery or CartoDB.Positron") from None
    if provider.requires_token():
        raise InputError(f"tile provider {name!r} needs an API key", source="--tiles",
                         fix="choose a provider without a key (OpenStreetMap.Mapnik, "
                             "Esri.WorldImagery)")
    return provider


def import_folium_lean() -> None:
    """Import folium without letting it import pandas (for a fresh command-line process).

    folium imports pandas only to accept DataFrames as locations (``folium.utilities``
    falls back to ``pd = None`` when the import fails); gazamap never passes DataFrames.
    pandas costs ~0.2 s of the ~0.7 s that ``gazamap render`` takes, so the command line
    imports folium with pandas hidden for that one import. pandas stays importable
    afterwards (geo.read.io may need it for GeoPackage/Shapefile input), but *this process's*
    folium will not convert DataFrames: library users, who may want that, should not
    call this.
    """
    import sys

    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    from maps._program import lasting_import

    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail
    try:
        with lasting_import():  # its templates live to the end: never scanned again
            import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]


def render_parts(
    layers: Sequence[Layer],
    *,
    report: Analysis | None,
    map_id: str,
    title: str,
    lang: str = "en",
    offline: bool = False,
    tiles: str = DEFAULT_TILES,
    height: str = "72vh",
) -> MapParts:
    """Render layers to the parts of an HTML map (see :func:`maps.html.assemble`).

    Parameters
    ----------
    layers : sequence of Layer
        Bottom first; ``basemap`` layers are drawn but not listed in the layer control.
    report : Analysis or None
        The analysis for the text alternative (area tables, method).
    map_id : str
        Prefix of every element id and JavaScript name (``[A-Za-z][A-Za-z0-9_]*``).
    title, lang : str
        Page title (plain text) and language (``en`` or ``ar``).
    offline : bool
        No tiles: the sea colour as background (the neighbours layer is the land).
    tiles : str
        xyzservices provider shown first when online; an imagery provider is offered
        as the other base layer.
    height : str
        CSS height of the map.
    """
    from layers.styles import SEA

    shown = [ly for ly in layers if ly.features]
    m = _new_map(shown, lang)
    bases, base_names = ([], []) if offline else _add_tiles(m, tiles)
    elements = _add_layers(m, shown, lang)
    # added last, so that it lists every layer; collapsed on narrow maps
    legend_box = legend_html(shown, map_id=map_id, lang=lang, bases=base_names)
    panel_class()(legend_box, f"{map_id}-legend", elements, bases, NARROW_PX).add_to(m)
    body_inner, script = _render(m, map_id, title)
    zone_names = {ly.id[len("zone-"):]: ly.name for ly in shown if ly.kind == "zones"}
    table = area_table_html(report, map_id=map_id, lang=lang, datasets=_datasets(shown),
                            zone_names=zone_names) if report else ""
    body = f'<div class="gz" id="{map_id}">\n{body_inner}\n{table}\n</div>'
    css = asset("map.css", id=map_id, height=height, bg=SEA if offline else "#ddd")
    return MapParts(map_id=map_id, title=title, lang=lang, css=css, body=body,
                    script=script,
                    description=map_description(title, report, lang, zone_names),
                    offline=offline)


def _view(shown: Sequence[Layer]) -> tuple[list[list[float]], list[float]]:
    """The bounds the map fits, ``[[south, west], [north, east]]``, and their centre.

    The outline when it is drawn, else every layer but the basemaps (else all of them,
    else the Strip's box).
    """
    fit_layers = [ly for ly in shown if ly.id == "outline"] or [
        ly for ly in shown if not ly.basemap] or shown
    if fit_layers:
        x0, y0, x1, y1 = shapely.union_all(
            [f.geometry for ly in fit_layers for f in ly.features]).bounds
    else:
        x0, y0, x1, y1 = 34.21, 31.21, 34.57, 31.6
    fit = [[round(y0, 5), round(x0, 5)], [round(y1, 5), round(x1, 5)]]
    center = [round((y0 + y1) / 2, 5), round((x0 + x1) / 2, 5)]
    return fit, center


def _new_map(shown: Sequence[Layer], lang: str) -> Any:
    """The folium map, fitted to :func:`_view`, with the runtime and its controls' words."""
    fit, center = _view(shown)
    m = map_class()(location=center, tiles=None, zoom_start=11, control_scale=False)
    m.fit = fit
    m.runtime = asset("map.js")
    m.map_options = {"center": center, "zoom": 11, "zoomSnap": 0.25,
                     "attributionControl": True, "zoomControl": False}
    m.control_words = {**_CONTROL_WORDS["ar" if lang == "ar" else "en"], "fit": fit,
                       "compactPx": COMPACT_PX, "narrowPx": NARROW_PX,
                       "attrRoomPx": 20}
    return m


def _add_tiles(m: Any, tiles: str) -> tuple[list[Any], list[str]]:
    """The base tile layers of an online map and their names for the panel.

    ``tiles`` first (shown), then imagery (or the default tiles when ``tiles`` is the
    imagery) as the other choice.
    """
    from folium import TileLayer

    first = resolve_tiles(tiles)
    names = [first.name] + ([IMAGERY_TILES] if first.name != IMAGERY_TILES
                            else [DEFAULT_TILES])
    bases: list[Any] = []
    base_names: list[str] = []
    for i, pname in enumerate(names):
        prov = first if i == 0 else resolve_tiles(pname)
        tile = TileLayer(tiles=prov, name=esc(prov.name), overlay=False, control=False,
                         show=i == 0)
        tile.add_to(m)
        bases.append(tile)
        base_names.append(str(prov.name))
    return bases, base_names


def _add_layers(m: Any, shown: Sequence[Layer], lang: str) -> list[tuple[str, Any]]:
    """Each layer as a folium element of the map, bottom first: ``(layer id, element)``.

    Labels and vector layers are specs that the runtime draws; an aggregated point
    layer (:class:`layers.aggregate.BinsLayer`) is drawn by :mod:`maps._bins`.
    """
    from layers.aggregate import BIN_COLOURS, BinsLayer
    from maps._bins import bins_element

    vector_layer = layer_class()
    elements: list[tuple[str, Any]] = []
    for ly, name in zip(shown, unique_names(shown), strict=True):
        if ly.kind != "labels" and isinstance(ly, BinsLayer):
            element = bins_element(ly, name, show=ly.show, point_colour=BIN_COLOURS[-1],
                                   lang=lang)
        else:
            spec = (labels_spec if ly.kind == "labels" else vector_spec)(ly, name, lang)
            # the name is only folium's; the panel shows the escaped legend label
            element = vector_layer(script_json(spec), esc(name), show=ly.show, control=False)
        element.add_to(m)
        elements.append((ly.id, element))
    return elements


def _render(m: Any, map_id: str, title: str) -> tuple[str, str]:
    """The map's HTML (its ``<div>`` and the panel) and script, with deterministic ids."""
    figure = m.get_root()
    assign_ids(figure, map_id)
    m.html_snippet = (f'<div class="gz-map" id="{m.get_name()}" role="region" '
                      f'aria-label="{esc(title)}"></div>')
    for child in figure._children.values():
        child.render()
    return figure.html.render(), figure.script.render()


def _datasets(shown: Sequence[Layer]) -> list[DataProvenance]:
    return [ly.provenance for ly in shown if ly.provenance is not None]


def map_description(title: str, report: Analysis | None, lang: str = "en",
                    zone_names: dict[str, str] | None = None) -> str:
    """The page's description: its title and the figures of each zone (plain text).

    >>> import geo
    >>> map_description("T", geo.analyse()).split("; ")
    ['T. East: 196.9 km², 54.2 % of the outline (52.9–60.6 %)', 'West: 166.3 km², 45.8 % \
of the outline (39.4–47.1 %). Geodesic areas (WGS84).']
    """
    if report is None or not report.zones:
        return title
    parts = []
    for z in report.zones:
        name = (zone_names or {}).get(z.id) or (
            ui(lang).get(z.id, z.id) if lang == "ar" else z.id.capitalize())
        rng = f" ({z.interval.low:.1f}–{z.interval.high:.1f} %)" if z.interval else ""
        if lang == "ar":
            parts.append(f"{name}: {z.area_km2:.1f} كم²، {z.share_pct:.1f} %{rng}")
        else:
            parts.append(f"{name}: {z.area_km2:.1f} km², {z.share_pct:.1f} % of the "
                         f"outline{rng}")
    tail = "مساحات جيوديسية (WGS84)." if lang == "ar" else "Geodesic areas (WGS84)."
    return f"{title}. {'; '.join(parts)}. {tail}"
