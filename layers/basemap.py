"""The offline basemap: the packaged neighbouring land (Israel, Egypt) over a sea colour."""

from __future__ import annotations

import shapely

from geo.catalog import packaged_catalog
from geo.read.features import Feature
from geo.read.sources import NEIGHBOURS
from layers._provenance import dataset_provenance
from layers._text import t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["neighbours_layer"]


def neighbours_layer(*, lang: str = "en", land: shapely.Geometry | None = None) -> Layer:
    """Israel and Egypt land (clipped to a box around Gaza) as a non-interactive basemap.

    ``land`` (the partitioned outline) is added in the same colour, so that offline the
    Strip reads as land under the semi-transparent zones, not as sea.
    """
    ds = packaged_catalog().get(NEIGHBOURS)
    feats = [Feature(f.geometry, {"name": str(f.properties.get("name", ""))})
             for f in ds.features()]
    if land is not None and not land.is_empty:
        feats.append(Feature(land, {"name": "Gaza Strip"}))
    name = t("Neighbouring land", lang)
    style = style_for("neighbours")
    prov = dataset_provenance(ds)
    return Layer(
        id="neighbours", name=name, kind="basemap", features=feats, style=style,
        legend=LegendEntry(name, "area", style), provenance=prov,
        attribution=prov.attribution, basemap=True, label_field="name",
    )
