"""The dividing line (the yellow line) and the band of its positional uncertainty."""

from __future__ import annotations

import shapely

from geo.areas import AreaReport
from geo.crs import from_laea, to_laea
from geo.features import Feature
from geo.measure import geodesic_length_m
from layers._provenance import provenance_of
from layers._text import interval, line_words, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for

__all__ = ["uncertainty_band", "line_layers"]


def uncertainty_band(line: shapely.Geometry, uncertainty_m: float,
                     boundary: shapely.Geometry | None = None) -> shapely.Geometry:
    """Land within ``uncertainty_m`` metres of a lon/lat line (buffered in the local LAEA).

    Clipped to ``boundary`` when given. An empty geometry for ``uncertainty_m <= 0``.

    >>> from shapely import LineString
    >>> band = uncertainty_band(LineString([(34.35, 31.40), (34.35, 31.45)]), 300)
    >>> from geo.measure import geodesic_area_m2
    >>> round(geodesic_area_m2(band) / 1e6, 2)  # ~5.5 km x 600 m plus round caps
    3.61
    >>> uncertainty_band(LineString([(34.35, 31.40), (34.35, 31.45)]), 0).is_empty
    True
    """
    if uncertainty_m <= 0 or line is None or line.is_empty:
        return shapely.Polygon()
    band = from_laea(to_laea(line, dense=True).buffer(uncertainty_m, quad_segs=8))
    if boundary is not None:
        band = band.intersection(boundary)
    return band


def line_layers(report: AreaReport, *, lang: str = "en") -> list[Layer]:
    """The line as used for the split (ends extended) and, if it has one, its ±u band."""
    part = report.partition
    if part is None or part.line is None:
        return []  # a zone-polygon partition has no line to draw
    prov = provenance_of(report.line)
    u = float(report.line.get("uncertainty_m") or 0.0)
    title = str(prov.get("title") or t("Yellow line", lang))
    name = (line_words(prov.get("dataset"), lang=lang, article=False)
            if str(prov.get("dataset", "")).startswith("yellow-line") else title)
    east = report.zone("east")
    props = {"name": title, "length": f"{geodesic_length_m(part.line) / 1000:.1f} km",
             "uncertainty": f"±{u:g} m" if u > 0 else "",
             "notes": "; ".join(report.line.get("repairs") or [])}
    fields = (("name", t("name", lang)), ("length", t("length", lang)),
              ("uncertainty", t("uncertainty", lang)), ("notes", t("notes", lang)))
    style = style_for("line")
    out = [Layer(
        id="line", name=name, kind="line", features=[Feature(part.line, props)],
        style=style, legend=LegendEntry(name, "line", style), tooltip_fields=fields[:3],
        popup_fields=fields, provenance=prov, attribution=str(prov.get("attribution", "")),
    )]
    if u > 0:
        unit = "م" if lang == "ar" else "m"  # a Latin "m" is reordered in Arabic text
        band_name = f"{t('Positional uncertainty of the line', lang)} (±{u:g} {unit})"
        band_props = {"name": band_name, "interval": (
            f"{t('east zone', lang)}: "
            f"{interval(east['share_pct_low'], east['share_pct_high'])}")}
        bstyle = style_for("line-band")
        method = (f"buffer of ±{u:g} m around the line in the local equal-area CRS, clipped "
                  f"to the outline; {report.method.get('uncertainty', '')}")
        out.insert(0, Layer(
            id="line-band", name=band_name, kind="line",
            features=[Feature(uncertainty_band(part.line, u, part.boundary), band_props)],
            style=bstyle, legend=LegendEntry(band_name, "area", bstyle),
            tooltip_fields=(("name", t("name", lang)), ("interval", t("interval", lang))),
            popup_fields=(("name", t("name", lang)), ("interval", t("interval", lang))),
            provenance={**prov, "method": method},
            attribution=str(prov.get("attribution", "")),
        ))
    return out
