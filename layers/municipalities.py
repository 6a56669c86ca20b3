"""Municipalities (25, OSM) with English and Arabic names."""

from __future__ import annotations

from geo.catalog import default_catalog
from geo.read.features import Feature
from layers._provenance import dataset_provenance
from layers._text import t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["municipalities_layer"]


def municipalities_layer(*, lang: str = "en", show: bool = False) -> Layer:
    """Municipal limits; hidden at first (they crowd the default view)."""
    ds = default_catalog().get("municipalities")
    feats = [Feature(f.geometry, {k: str(f.properties.get(k, "")) for k in
                                  ("name", "name_ar", "governorate")})
             for f in ds.features()]
    name = t("Municipalities", lang)
    style = style_for("municipalities")
    fields = (("name", t("name", lang)), ("name_ar", t("name (Arabic)", lang)),
              ("governorate", t("governorate", lang)))
    prov = dataset_provenance(ds)
    return Layer(
        id="municipalities", name=name, kind="municipalities", features=feats, style=style,
        legend=LegendEntry(name, "line", style), tooltip_fields=fields, popup_fields=fields,
        provenance=prov, attribution=prov.attribution, show=show,
        label_field="name_ar" if lang == "ar" else "name",
    )
