"""The outline layer: the boundary that was partitioned (the Gaza Strip by default)."""

from __future__ import annotations

from geo.areas import AreaReport
from geo.features import Feature
from layers._provenance import provenance_of
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["outline_layer"]


def outline_layer(report: AreaReport, *, lang: str = "en") -> Layer:
    """The partitioned boundary, with its geodesic area in the tooltip."""
    if report.partition is None:
        raise ValueError("the AreaReport carries no partition (compute it with compute_areas)")
    prov = provenance_of(report.boundary)
    name = t("Gaza Strip outline", lang)
    props = {"name": prov.get("title", name), "area": km2(report.boundary["area_km2"])}
    style = style_for("outline")
    return Layer(
        id="outline", name=name, kind="outline",
        features=[Feature(report.partition.boundary, props)],
        style=style, legend=LegendEntry(name, "line", style),
        tooltip_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        popup_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        provenance=prov, attribution=str(prov.get("attribution", "")),
    )
