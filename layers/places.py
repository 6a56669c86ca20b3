"""Places: localities, neighbourhoods, camps and areas (GeoNames, OCHA, OSM), and map labels."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.ops import polylabel

from geo.catalog import Dataset, default_catalog, packaged_catalog
from geo.read.features import Feature
from geo.read.sources import GOVERNORATES
from layers._provenance import dataset_provenance
from layers._text import t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["MAIN_PLACES", "places_layer", "label_layer"]


def places_layer(*, lang: str = "en", show: bool = False) -> Layer:
    """Named places as points; ``approximate`` ones say so in their tooltip.

    English names come from the sources; ``name_ar`` is shown where a source has it.
    """
    ds = default_catalog().get("places")
    feats = []
    for f in ds.features():
        p = f.properties
        props = {"name": str(p.get("name", "")), "name_ar": str(p.get("name_ar", "") or ""),
                 "kind": str(p.get("kind", "")),
                 "approximate": t("yes", lang) if p.get("approximate") else "",
                 "notes": str(p.get("notes", "") or ""), "source": str(p.get("source", ""))}
        feats.append(Feature(f.geometry, props))
    name = t("Places", lang)
    style = style_for("places")
    tip = (("name", t("name", lang)), ("name_ar", t("name (Arabic)", lang)),
           ("kind", t("kind", lang)), ("approximate", t("approximate", lang)))
    prov = dataset_provenance(ds)
    return Layer(
        id="places", name=name, kind="places", features=feats, style=style,
        legend=LegendEntry(name, "point", style), tooltip_fields=tip,
        popup_fields=(*tip, ("notes", t("notes", lang)), ("source", t("source", lang))),
        provenance=prov, attribution=prov.attribution, show=show,
        label_field="name",
    )


# The main cities and towns, by the OSM municipality label node they are drawn at, with
# the English spelling used by OCHA and the press (OSM's own is "Gaza", "Beit Lahiya",
# "Deir el-Balah"). rank 1 is shown at every zoom, rank 2 from the zoom that fits the
# Strip on a tablet, rank 3 (the other municipalities) only when zoomed in.
MAIN_PLACES: dict[str, tuple[str, int]] = {
    "Gaza": ("Gaza City", 1),
    "Khan Yunis": ("Khan Yunis", 1),
    "Rafah": ("Rafah", 1),
    "Deir el-Balah": ("Deir al-Balah", 1),
    "Jabalia": ("Jabalia", 2),
    "Beit Lahiya": ("Beit Lahia", 2),
    "Beit Hanoun": ("Beit Hanoun", 2),
    "Nuseirat": ("Nuseirat", 2),
}
# Zoom from which each rank is shown (Leaflet zoom levels; the Strip fits at ~10.5 on a
# phone, ~11 in a notebook cell and ~11.5 on a desktop). Governorates are the overview.
CITY_MIN_ZOOM: dict[int, float] = {1: 0, 2: 10.25, 3: 12.0}
GOVERNORATE_MIN_ZOOM = 9.0
GOVERNORATE_MAX_ZOOM = 12.5  # beyond it the governorate names sit among the towns
# A label's place in the drawing order: (rank, name); the governorates come after the
# main towns, whose names they often repeat
_Keyed = tuple[tuple[float, str], Feature]


def _label_point(geom: Any) -> Any:
    """Where a polygon's name goes: its pole of inaccessibility (~50 m), a point as is."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return shapely.get_parts(geom)[0]
    from geo.geometry.crs import from_laea, to_laea

    flat = to_laea(geom)
    if flat.geom_type == "MultiPolygon":
        flat = max(flat.geoms, key=lambda g: g.area)
    return from_laea(polylabel(flat, tolerance=50.0))


def _governorate_labels(lang: str) -> list[_Keyed]:
    """The governorates' names at their poles of inaccessibility, with their drawing order."""
    out: list[_Keyed] = []
    for f in packaged_catalog().get(GOVERNORATES).features():
        p = f.properties
        en, ar = str(p.get("name", "")), str(p.get("name_ar", "") or "")
        if not en:
            continue
        out.append(((2.5, en), Feature(_label_point(f.geometry), {
            "label": f"محافظة {ar}" if lang == "ar" and ar else en.upper(),
            "name": en, "name_ar": ar,
            "kind": "governorate", "rank": 2, "min_zoom": GOVERNORATE_MIN_ZOOM,
            "max_zoom": GOVERNORATE_MAX_ZOOM})))
    return out


def _city_labels(places: Dataset, lang: str) -> list[_Keyed]:
    """The municipalities' names at their OSM label nodes, ranked, with their drawing order."""
    out: list[_Keyed] = []
    for f in places.features():
        p = f.properties
        if p.get("kind") != "municipality":
            continue
        osm = str(p.get("name", ""))
        en, rank = MAIN_PLACES.get(osm, (osm, 3))
        ar = str(p.get("name_ar", "") or "")
        out.append(((rank, en), Feature(f.geometry, {
            "label": ar if lang == "ar" and ar else en, "name": en, "name_ar": ar,
            "kind": "city", "rank": rank, "min_zoom": CITY_MIN_ZOOM[rank],
            "max_zoom": 99})))
    return out


def label_layer(*, lang: str = "en", show: bool = True) -> Layer:
    """Names of the governorates and of the cities and towns, as map text.

    Every feature carries ``label`` (the name in ``lang``: Arabic from the OSM
    ``name:ar`` tags for ``ar``), ``name`` and ``name_ar``, ``kind`` (``city`` or
    ``governorate``), ``rank`` (1 most important) and ``min_zoom``/``max_zoom`` (the
    Leaflet zooms between which it is offered; renderers also drop labels that collide
    with a more important one). Positions: the OSM label nodes of the municipalities
    and the pole of inaccessibility of each governorate.
    """
    places = default_catalog().get("places")
    # most important first: renderers place labels in this order and drop colliding ones
    keyed = sorted([*_governorate_labels(lang), *_city_labels(places, lang)],
                   key=lambda kf: kf[0])
    feats = [f for _, f in keyed]
    name = t("Place names", lang)
    style = style_for("labels")
    prov = dataset_provenance(places)
    return Layer(
        id="labels", name=name, kind="labels", features=feats, style=style,
        legend=LegendEntry(name, "point", style), provenance=prov,
        attribution=prov.attribution, show=show, label_field="label",
    )
