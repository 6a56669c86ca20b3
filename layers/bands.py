"""The two illustrative bands: 1 km inside the Israel border, 100 m along the Egypt border."""

from __future__ import annotations

from geo.catalog import default_catalog
from geo.read.features import Feature
from layers._provenance import dataset_provenance
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["BAND_IDS", "band_layers"]

BAND_IDS = ("band-israel-1km", "band-egypt-100m")


def band_layers(*, lang: str = "en", show: bool = False) -> list[Layer]:
    """Both bands, hidden at first; names, legend and popups say they are illustrative."""
    out = []
    for ref in BAND_IDS:
        ds = default_catalog().get(ref)
        prov = dataset_provenance(ds)
        feats = [Feature(f.geometry, {
            "name": ds.title, "area": km2(area_km2),
            "illustrative": f"{t('illustrative', lang)}: {ds.notes}"})
            for f, area_km2 in ds.measured_features()]
        name = t(ds.title, lang)
        style = style_for(ref)
        fields = (("name", t("name", lang)), ("area", t("area", lang)),
                  ("illustrative", t("illustrative", lang)))
        out.append(Layer(
            id=ref, name=name, kind="bands", features=feats, style=style,
            legend=LegendEntry(name, "area", style), tooltip_fields=fields,
            popup_fields=fields, provenance=prov, attribution=prov.attribution,
            show=show, illustrative=True,
        ))
    return out
