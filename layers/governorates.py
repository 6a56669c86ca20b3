"""Governorates (5, derived from OSM municipalities) with each one's split by the line."""

from __future__ import annotations

from geo.areas import AreaReport
from geo.catalog import packaged_catalog
from geo.features import Feature
from geo.sources import GOVERNORATES
from layers._provenance import dataset_provenance
from layers._text import km2, pct, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["governorates_layer"]


def governorates_layer(report: AreaReport, *, lang: str = "en") -> Layer:
    """Governorate outlines; tooltips give English and Arabic names and the east share."""
    ds = packaged_catalog().get(GOVERNORATES)
    rows = {g["name"]: g for g in report.governorates}
    feats = []
    for f in ds.features():
        p = f.properties
        row = rows.get(p.get("name"))
        props = {"name": str(p.get("name", "")), "name_ar": str(p.get("name_ar", "")),
                 "area": km2(row["area_km2"]) if row else "",
                 "east": (f"{km2(row['zones']['east']['area_km2'])} "
                          f"({pct(row['zones']['east']['share_pct'])})") if row else "",
                 "west": (f"{km2(row['zones']['west']['area_km2'])} "
                          f"({pct(row['zones']['west']['share_pct'])})") if row else ""}
        feats.append(Feature(f.geometry, props))
    name = t("Governorates", lang)
    style = style_for("governorates")
    fields = (("name", t("name", lang)), ("name_ar", t("name (Arabic)", lang)),
              ("area", t("area", lang)), ("east", t("east zone", lang)),
              ("west", t("west zone", lang)))
    prov = dataset_provenance(ds)
    return Layer(
        id="governorates", name=name, kind="governorates", features=feats, style=style,
        legend=LegendEntry(name, "line", style), tooltip_fields=fields, popup_fields=fields,
        provenance=prov, attribution=str(prov["attribution"]),
        label_field="name_ar" if lang == "ar" else "name",
    )
