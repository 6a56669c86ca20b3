"""Comparison of two lines: the second line, and the area between the two, in km²."""

from __future__ import annotations

import shapely

from geo.analysis import Analysis
from geo.geometry.measure import geodesic_area_m2
from geo.read.features import Feature
from layers._provenance import source_provenance
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for
from layers.zones import line_name

__all__ = ["SLIVER_M2", "area_between", "compare_layers"]

SLIVER_M2 = 100.0  # pieces smaller than this are overlay noise along the shared outline


def _parts(geom: shapely.Geometry) -> shapely.Geometry:
    keep = [p for p in shapely.get_parts(geom)
            if isinstance(p, shapely.Polygon) and geodesic_area_m2(p) >= SLIVER_M2]
    return shapely.MultiPolygon(keep) if keep else shapely.MultiPolygon()


def area_between(a: Analysis, b: Analysis) -> dict[str, shapely.Geometry]:
    """Land east of line A but not of B (``a_only``) and east of B but not of A (``b_only``).

    Both analyses must partition the same boundary; the geometries are lon/lat.
    """
    ea, eb = a.zone("east").geometry, b.zone("east").geometry
    return {"a_only": _parts(ea.difference(eb)), "b_only": _parts(eb.difference(ea))}


def compare_layers(report: Analysis, other: Analysis, *, lang: str = "en") -> list[Layer]:
    """The area between the report's line (A) and ``other``'s (B), and line B itself.

    Tooltips give each piece's geodesic km² (of the unrounded geometry) and the total.
    """
    parts = area_between(report, other)
    a_km2 = geodesic_area_m2(parts["a_only"]) / 1e6
    b_km2 = geodesic_area_m2(parts["b_only"]) / 1e6
    label_a = line_name(report.lines[0].source, lang)
    label_b = line_name(other.lines[0].source, lang)
    total = f"{km2(a_km2 + b_km2)} (A: {label_a}; B: {label_b})"
    feats = []
    for key, text, value in (("a_only", "east of line A only", a_km2),
                             ("b_only", "east of line B only", b_km2)):
        if not parts[key].is_empty:
            feats.append(Feature(parts[key], {"side": t(text, lang), "area": km2(value),
                                              "total": total}))
    prov_b = source_provenance(other.lines[0].source)
    name = t("Area between the two lines", lang)
    style = style_for("compare-area")
    fields = (("side", t("zone", lang)), ("area", t("area", lang)), ("total", "total"))
    method = ("symmetric difference of the east zones of the two partitions (same outline); "
              "areas geodesic on WGS84 of the unrounded geometry")
    out = [Layer(
        id="compare-area", name=name, kind="compare", features=feats, style=style,
        legend=LegendEntry(name, "area", style), tooltip_fields=fields, popup_fields=fields,
        provenance={**prov_b, "method": method},
        attribution=str(prov_b.get("attribution", "")),
    )]
    if other.partition.line is not None:
        lname = f"{t('Comparison line', lang)} (B: {label_b})"
        lstyle = style_for("compare-line")
        out.append(Layer(
            id="compare-line", name=lname, kind="compare",
            features=[Feature(other.partition.line, {"name": label_b})], style=lstyle,
            legend=LegendEntry(lname, "line", lstyle),
            tooltip_fields=(("name", t("name", lang)),),
            popup_fields=(("name", t("name", lang)),), provenance=prov_b,
            attribution=str(prov_b.get("attribution", "")),
        ))
    return out
