"""The outline layer: the boundary that was partitioned (the Gaza Strip by default)."""

from __future__ import annotations

from geo.analysis import Analysis
from geo.features import Feature
from layers._provenance import source_provenance
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["outline_layer"]


def outline_layer(analysis: Analysis, *, lang: str = "en") -> Layer:
    """The partitioned boundary, with its geodesic area in the tooltip."""
    prov = source_provenance(analysis.boundary)
    name = t("Gaza Strip outline", lang)
    props = {"name": prov.get("title", name), "area": km2(analysis.boundary_area_km2)}
    style = style_for("outline")
    return Layer(
        id="outline", name=name, kind="outline",
        features=[Feature(analysis.partition.boundary, props)],
        style=style, legend=LegendEntry(name, "line", style),
        tooltip_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        popup_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        provenance=prov, attribution=str(prov.get("attribution", "")),
    )
