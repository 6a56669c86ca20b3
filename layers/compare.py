"""Comparison of two lines: the second line, and the area between the two, in km²."""

from __future__ import annotations

from dataclasses import replace

from geo.compare import Comparison
from geo.read.features import Feature
from layers._provenance import source_provenance
from layers._text import km2, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for
from layers.zones import line_name

__all__ = ["compare_layers"]


def compare_layers(comparison: Comparison, *, lang: str = "en") -> list[Layer]:
    """The area between line A and line B of ``comparison``, and line B itself.

    The pieces and their km² are the comparison's :attr:`~geo.compare.Comparison.between`
    (geodesic, of the unrounded geometry); the tooltips give each piece's and the total.
    """
    between = comparison.between
    a, b = comparison.a.line, comparison.b.line
    label_a, label_b = line_name(a.source, lang), line_name(b.source, lang)
    total = f"{km2(between.total_km2)} (A: {label_a}; B: {label_b})"
    feats = []
    for geom, text, value in ((between.a_only, "east of line A only", between.a_only_km2),
                              (between.b_only, "east of line B only", between.b_only_km2)):
        if not geom.is_empty:
            feats.append(Feature(geom, {"side": t(text, lang), "area": km2(value),
                                        "total": total}))
    prov_b = source_provenance(b.source)
    name = t("Area between the two lines", lang)
    style = style_for("compare-area")
    fields = (("side", t("zone", lang)), ("area", t("area", lang)), ("total", "total"))
    method = ("symmetric difference of the east zones of the two partitions (same outline); "
              "areas geodesic on WGS84 of the unrounded geometry")
    out = [Layer(
        id="compare-area", name=name, kind="compare", features=feats, style=style,
        legend=LegendEntry(name, "area", style), tooltip_fields=fields, popup_fields=fields,
        provenance=replace(prov_b, method=method), attribution=prov_b.attribution,
    )]
    if b.geometry is not None:
        lname = f"{t('Comparison line', lang)} (B: {label_b})"
        lstyle = style_for("compare-line")
        out.append(Layer(
            id="compare-line", name=lname, kind="compare",
            features=[Feature(b.geometry, {"name": label_b})], style=lstyle,
            legend=LegendEntry(lname, "line", lstyle),
            tooltip_fields=(("name", t("name", lang)),),
            popup_fields=(("name", t("name", lang)),), provenance=prov_b,
            attribution=prov_b.attribution,
        ))
    return out
