"""Zone layers: one per zone of the partition (east under military control ... west)."""

from __future__ import annotations

from typing import Any

from geo.analysis import Analysis
from geo.read.features import Feature
from layers._provenance import source_provenance
from layers._text import date_words, interval, km2, pct, t
from layers.base import Layer, LegendEntry
from layers.styles import zone_style

__all__ = ["ZONE_NAMES", "zone_name", "zone_layers", "line_name", "is_official_line"]

ZONE_NAMES = {"east": "East zone (Israeli military control)", "west": "West zone"}


def is_official_line(source: Any) -> bool:
    """Whether a line is a packaged, dated dataset (the yellow line), not a user's line."""
    ds = getattr(source, "dataset", None)
    return ds is not None and ds.origin == "packaged" and bool(ds.date)


def line_name(source: Any, lang: str = "en") -> str:
    """A line in a few words: "the yellow line (19 Oct 2025)", "your line (FILE)".

    A dataset is named by the first part of its title and its date; a user's file by
    the ``name`` of its feature when it has one ("the orange line (my_orange_line.geojson)"),
    else as "your line".
    """
    ds = getattr(source, "dataset", None)
    if ds is not None:
        head = ds.title.split(",")[0].split(" (")[0].strip()
        if lang == "ar" and ds.id == "yellow-line":
            head = "الخط الأصفر"
        elif lang != "ar":
            head = "the " + head[:1].lower() + head[1:]
        return f"{head} ({date_words(ds.date, lang)})" if ds.date else head
    file = str(getattr(source, "ref", "") or getattr(source, "label", "") or "?")
    named = ""
    for f in getattr(source, "features", None) or []:
        value = f.properties.get("name") if f.properties else None
        if isinstance(value, str) and 0 < len(value.strip()) <= 40:
            named = " ".join(value.split())
            break
    if lang == "ar":
        return f"{named or 'خطك'} ({file})"
    if named:
        return f"{'' if named.lower().startswith('the ') else 'the '}{named} ({file})"
    return f"your line ({file})"


def zone_name(zone_id: str, lang: str = "en", analysis: Analysis | None = None) -> str:
    """A zone's name in words built from the lines' names, never its id.

    Without ``analysis``: "East zone (Israeli military control)", "Zone between lines
    1–2". With it: "East of the yellow line (19 Oct 2025), Israeli military control",
    "Between the yellow line (19 Oct 2025) and the orange line (my_orange_line.geojson)",
    "West of ...".
    """
    if analysis is not None and analysis.lines:
        names = [line_name(ln.source, lang) for ln in analysis.lines]
        if zone_id == "east":
            if lang == "ar":
                return f"شرق {names[0]}، سيطرة عسكرية إسرائيلية"
            return f"East of {names[0]}, Israeli military control"
        if zone_id == "west":
            return f"غرب {names[-1]}" if lang == "ar" else f"West of {names[-1]}"
        k = int(zone_id.rsplit("-", 1)[1])
        if 0 < k < len(names):
            if lang == "ar":
                return f"بين {names[k - 1]} و{names[k]}"
            return f"Between {names[k - 1]} and {names[k]}"
    if zone_id in ZONE_NAMES:
        return t(ZONE_NAMES[zone_id], lang)
    k = int(zone_id.rsplit("-", 1)[1])
    return f"{t('Zone between lines', lang)} {k}–{k + 1}"


def zone_layers(analysis: Analysis, *, lang: str = "en") -> list[Layer]:
    """One layer per zone; tooltips give km², the share of the outline and its interval.

    The figures are the analysis's (geodesic, unrounded geometry); a zone without an
    interval (a line with no stated uncertainty) shows none, never a degenerate one.
    """
    prov = source_provenance(analysis.lines[0].source, method=analysis.method.split)
    fields = (("zone", t("zone", lang)), ("area", t("area", lang)),
              ("share", t("share of the outline", lang)), ("interval", t("interval", lang)))
    n_lines = len(analysis.lines)
    out = []
    for z in analysis.zones:
        name = zone_name(z.id, lang, analysis)
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
            attribution=prov.attribution,
        ))
    return out
