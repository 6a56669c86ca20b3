"""Zone layers: east (Israeli military control) and west of the line, with km² and shares."""

from __future__ import annotations

from geo.areas import AreaReport
from geo.features import Feature
from layers._provenance import provenance_of
from layers._text import interval, km2, pct, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["ZONE_NAMES", "zone_layers"]

ZONE_NAMES = {"east": "East zone (Israeli military control)", "west": "West zone"}


def zone_layers(report: AreaReport, *, lang: str = "en") -> list[Layer]:
    """One layer per zone; tooltips give km², the share of the outline and its interval.

    The figures are the report's (geodesic, unrounded geometry); the interval comes from
    offsetting the line by its positional uncertainty (``report.line["uncertainty_m"]``).
    """
    if report.partition is None:
        raise ValueError("the AreaReport carries no partition (compute it with compute_areas)")
    prov = provenance_of(report.line, method=report.method["split"])
    u = float(report.line.get("uncertainty_m") or 0.0)
    fields = (("zone", t("zone", lang)), ("area", t("area", lang)),
              ("share", t("share of the outline", lang)), ("interval", t("interval", lang)))
    out = []
    for z in report.zones:
        zid = z["id"]
        name = t(ZONE_NAMES[zid], lang)
        props = {
            "zone": name,
            "area": km2(z["area_km2"]),
            "share": pct(z["share_pct"]),
            "interval": (f"{interval(z['share_pct_low'], z['share_pct_high'])} (±{u:g} m)"
                         if u > 0 else ""),
        }
        style = style_for(f"zone-{zid}")
        out.append(Layer(
            id=f"zone-{zid}", name=name, kind="zones",
            features=[Feature(report.partition.zones[zid], props)],
            style=style, legend=LegendEntry(name, "area", style),
            tooltip_fields=fields, popup_fields=fields, provenance=prov,
            attribution=str(prov.get("attribution", "")),
        ))
    return out
