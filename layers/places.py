"""Places: localities, neighbourhoods, camps and areas (GeoNames, OCHA, OSM)."""

from __future__ import annotations

from geo.catalog import default_catalog
from geo.features import Feature
from layers._provenance import dataset_provenance
from layers._text import t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["places_layer"]


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
        provenance=prov, attribution=str(prov["attribution"]), show=show,
        label_field="name",
    )
