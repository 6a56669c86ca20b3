"""Governorates (5, derived from OSM municipalities) with each one's split by the line."""

from __future__ import annotations

from geo.analysis import Analysis
from geo.catalog import packaged_catalog
from geo.read.features import Feature
from geo.read.sources import GOVERNORATES
from layers._provenance import dataset_provenance
from layers._text import km2, pct, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for
from layers.zones import zone_name

__all__ = ["governorates_layer"]


def governorates_layer(analysis: Analysis, *, lang: str = "en") -> Layer:
    """Governorate outlines; tooltips give English and Arabic names and each zone's share."""
    ds = packaged_catalog().get(GOVERNORATES)
    rows = {g.name: g for g in analysis.governorates}
    zone_ids = analysis.zone_ids
    feats = []
    for f in ds.features():
        p = f.properties
        row = rows.get(str(p.get("name")))
        props = {"name": str(p.get("name", "")), "name_ar": str(p.get("name_ar", "")),
                 "area": km2(row.area_km2) if row else ""}
        for zid in zone_ids:
            z = row.zones.get(zid) if row else None
            props[zid] = f"{km2(z.area_km2)} ({pct(z.share_pct)})" if z else ""
        feats.append(Feature(f.geometry, props))
    name = t("Governorates", lang)
    style = style_for("governorates")
    fields = (("name", t("name", lang)), ("name_ar", t("name (Arabic)", lang)),
              ("area", t("area", lang)),
              *((zid, zone_name(zid, lang, analysis)) for zid in zone_ids))
    prov = dataset_provenance(ds)
    return Layer(
        id="governorates", name=name, kind="governorates", features=feats, style=style,
        legend=LegendEntry(name, "line", style), tooltip_fields=fields, popup_fields=fields,
        provenance=prov, attribution=prov.attribution,
        label_field="name_ar" if lang == "ar" else "name",
    )
