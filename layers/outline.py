"""The outline layer (the boundary that was partitioned) and its inland ponds as water."""

from __future__ import annotations

import shapely

from geo.analysis import Analysis
from geo.read.features import Feature
from layers._provenance import source_provenance
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["outline_layer", "ponds_layer", "exterior_of"]


def exterior_of(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` with its holes filled (what the outline's stroke follows).

    >>> from shapely import Polygon, box
    >>> exterior_of(Polygon(box(0, 0, 4, 4).exterior, [box(1, 1, 2, 2).exterior])).area
    16.0
    """
    parts = [shapely.Polygon(p.exterior) for p in shapely.get_parts(geom)
             if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else (
        parts[0] if parts else shapely.Polygon())


def outline_layer(analysis: Analysis, *, lang: str = "en") -> Layer:
    """The partitioned boundary, with its geodesic area in the tooltip.

    Only the exterior is stroked: the holes (inland ponds) are drawn by
    :func:`ponds_layer` as water with a thin edge, not with the outline's thick black
    one, which made them look like rendering errors (issue 10).
    """
    prov = source_provenance(analysis.boundary)
    name = t("Gaza Strip outline", lang)
    props = {"name": prov.title, "area": km2(analysis.boundary_area_km2)}
    style = style_for("outline")
    return Layer(
        id="outline", name=name, kind="outline",
        features=[Feature(exterior_of(analysis.partition.boundary), props)],
        style=style, legend=LegendEntry(name, "line", style),
        tooltip_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        popup_fields=(("name", t("name", lang)), ("area", t("area", lang))),
        provenance=prov, attribution=prov.attribution,
    )


def ponds_layer(analysis: Analysis, *, lang: str = "en") -> Layer | None:
    """The holes of the partitioned boundary (the OSM outline's 3 inland ponds) as water.

    ``None`` when the boundary has no holes. Their area (the analysis's, geodesic) is in
    the tooltip: it is not part of the outline's area.
    """
    if not analysis.ponds:
        return None
    prov = source_provenance(analysis.boundary)
    name = t("Inland ponds (water, not counted in the area)", lang)
    feats = [Feature(p.geometry, {"name": name, "area": km2(p.area_km2)})
             for p in analysis.ponds]
    style = style_for("ponds")
    fields = (("name", t("name", lang)), ("area", t("area", lang)))
    return Layer(
        id="ponds", name=name, kind="outline", features=feats, style=style,
        legend=LegendEntry(name, "area", style), tooltip_fields=fields,
        popup_fields=fields, provenance=prov, attribution=prov.attribution,
    )
