"""Crossings of the Gaza Strip; those with an approximate location form their own layer."""

from __future__ import annotations

from geo.catalog import default_catalog
from geo.read.features import Feature
from layers._provenance import dataset_provenance
from layers._text import t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["crossing_layers"]


def crossing_layers(*, lang: str = "en") -> list[Layer]:
    """Two layers, ``crossings`` and ``crossings-approx``, so the legend can tell them apart."""
    ds = default_catalog().get("crossings")
    prov = dataset_provenance(ds)
    fields = (("name", t("name", lang)), ("approximate", t("approximate", lang)),
              ("notes", t("notes", lang)))
    groups: dict[bool, list[Feature]] = {False: [], True: []}
    for f in ds.features():
        p = f.properties
        approx = bool(p.get("approximate"))
        groups[approx].append(Feature(f.geometry, {
            "name": str(p.get("name", "")),
            "approximate": t("yes", lang) if approx else t("no", lang),
            "notes": str(p.get("notes", "") or ""), "source": str(p.get("source", ""))}))
    out = []
    for approx, lid, label in ((False, "crossings", "Crossings"),
                               (True, "crossings-approx", "Crossings (approximate location)")):
        if not groups[approx]:
            continue
        name = t(label, lang)
        style = style_for(lid)
        out.append(Layer(
            id=lid, name=name, kind="crossings", features=groups[approx], style=style,
            legend=LegendEntry(name, "point", style), tooltip_fields=fields,
            popup_fields=(*fields, ("source", t("source", lang))), provenance=prov,
            attribution=prov.attribution, label_field="name",
        ))
    return out
