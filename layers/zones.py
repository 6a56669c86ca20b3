"""Zone layers: one per zone of the partition (east under military control ... west)."""

from __future__ import annotations

from geo.analysis import Analysis
from geo.features import Feature
from layers._provenance import source_provenance
from layers._text import interval, km2, pct, t
from layers.base import Layer, LegendEntry
from layers.styles import zone_style

__all__ = ["ZONE_NAMES", "zone_name", "zone_layers"]

ZONE_NAMES = {"east": "East zone (Israeli military control)", "west": "West zone"}


def zone_name(zone_id: str, lang: str = "en") -> str:
    """A zone's name in words (``between-1`` -> "Zone between lines 1 and 2")."""
    if zone_id in ZONE_NAMES:
        return t(ZONE_NAMES[zone_id], lang)
    k = int(zone_id.rsplit("-", 1)[1])
    return f"{t('Zone between lines', lang)} {k}–{k + 1}"


def zone_layers(analysis: Analysis, *, lang: str = "en") -> list[Layer]:
    """One layer per zone; tooltips give km², the share of the outline and its interval.

    The figures are the analysis's (geodesic, unrounded geometry); a zone without an
    interval (a line with no stated uncertainty) shows none, never a degenerate one.
    """
    prov = source_provenance(analysis.lines[0].source, method=analysis.method["split"])
    fields = (("zone", t("zone", lang)), ("area", t("area", lang)),
              ("share", t("share of the outline", lang)), ("interval", t("interval", lang)))
    n_lines = len(analysis.lines)
    out = []
    for z in analysis.zones:
        name = zone_name(z.id, lang)
        props = {
            "zone": name,
            "area": km2(z.area_km2),
            "share": pct(z.share_pct),
            "interval": interval(z.interval.low, z.interval.high) if z.interval else "",
        }
        style = zone_style(z.id, n_lines)
        out.append(Layer(
            id=f"zone-{z.id}", name=name, kind="zones",
            features=[Feature(z.geometry, props)],
            style=style, legend=LegendEntry(name, "area", style),
            tooltip_fields=fields, popup_fields=fields, provenance=prov,
            attribution=str(prov.get("attribution", "")),
        ))
    return out
