"""The dividing line (the yellow line) and the band of its positional uncertainty."""

from __future__ import annotations

import shapely

from geo.analysis import Analysis
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.measure import geodesic_length_m
from geo.read.features import Feature
from layers._provenance import source_provenance
from layers._text import interval, line_words, t
from layers.base import Layer, LegendEntry
from layers.styles import style_for
from layers.zones import is_official_line, zone_name

__all__ = ["uncertainty_band", "line_layers"]


def uncertainty_band(line: shapely.Geometry, uncertainty_m: float,
                     boundary: shapely.Geometry | None = None) -> shapely.Geometry:
    """Land within ``uncertainty_m`` metres of a lon/lat line (buffered in the local LAEA).

    Clipped to ``boundary`` when given. An empty geometry for ``uncertainty_m <= 0``.

    >>> from shapely import LineString
    >>> band = uncertainty_band(LineString([(34.35, 31.40), (34.35, 31.45)]), 300)
    >>> from geo.geometry.measure import geodesic_area_m2
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


def line_layers(analysis: Analysis, *, lang: str = "en") -> list[Layer]:
    """Each dividing line as used (ends joined to the outline) and, if it has one, its ±u band.

    Ids: ``line`` and ``line-band`` for the first line, ``line-2``, ``line-band-2`` ... for
    the next ones. A zone-polygon partition has no line to draw.
    """
    part = analysis.partition
    out: list[Layer] = []
    for i, ln in enumerate(analysis.lines):
        if ln.geometry is None:
            continue
        suffix = "" if i == 0 else f"-{i + 1}"
        prov = source_provenance(ln.source)
        u = ln.uncertainty_m or 0.0
        title = str(prov.get("title") or t("Yellow line", lang))
        official = is_official_line(ln.source)
        if official:
            name = (line_words(ln.ref, lang=lang, article=False)
                    if ln.ref.startswith("yellow-line") else title)
        elif ln.source.dataset is not None:  # a data-dir dataset: its title, not official
            name = f"{'خطك' if lang == 'ar' else 'your line'}: {title}"
        else:
            name = f"{'خطك' if lang == 'ar' else 'your line'}: {ln.ref}"
        props = {"name": title, "length": f"{geodesic_length_m(ln.geometry) / 1000:.1f} km",
                 "uncertainty": ln.uncertainty_words if u > 0 else t("not stated", lang),
                 "notes": "; ".join(ln.repairs)}
        fields = (("name", t("name", lang)), ("length", t("length", lang)),
                  ("uncertainty", t("uncertainty", lang)), ("notes", t("notes", lang)))
        # style by role, never by position: the packaged dated lines keep the official
        # style, a user's line has its own (the comparison style is --compare's only)
        style = style_for("line") if official else style_for("user-line")
        layer = Layer(
            id=f"line{suffix}", name=name, kind="line",
            features=[Feature(ln.geometry, props)], style=style,
            legend=LegendEntry(name, "line", style), tooltip_fields=fields[:3],
            popup_fields=fields, provenance=prov,
            attribution=str(prov.get("attribution", "")))
        if u > 0:
            east = analysis.zones[i]
            unit = "م" if lang == "ar" else "m"  # a Latin "m" is reordered in Arabic text
            words = (f"±{u:g} {unit}" if ln.uncertainty is None or ln.uncertainty.symmetric
                     else ln.uncertainty_words)
            band_name = f"{t('Positional uncertainty of the line', lang)} ({words})"
            band_props = {"name": band_name, "interval": (
                f"{zone_name(east.id, lang, analysis)}: "
                f"{interval(east.interval.low, east.interval.high)}"
                if east.interval else "")}
            bstyle = style_for("line-band")
            method = (f"buffer of {ln.uncertainty_words} around the line in the local "
                      "equal-area CRS (one-sided where the sides differ), clipped to the "
                      f"outline; {analysis.method.get('uncertainty', '')}")
            b = analysis.bands[i] if i < len(analysis.bands) else None
            # a one-sided uncertainty draws the land each side actually sweeps
            band_geom = (shapely.union_all(list(b.lonlat)) if b is not None and (
                ln.uncertainty is not None and not ln.uncertainty.symmetric)
                else uncertainty_band(ln.geometry, u, part.boundary))
            out.append(Layer(
                id=f"line-band{suffix}", name=band_name, kind="line",
                features=[Feature(band_geom, band_props)],
                style=bstyle, legend=LegendEntry(band_name, "area", bstyle),
                tooltip_fields=(("name", t("name", lang)), ("interval", t("interval", lang))),
                popup_fields=(("name", t("name", lang)), ("interval", t("interval", lang))),
                provenance={**prov, "method": method},
                attribution=str(prov.get("attribution", "")),
            ))
        out.append(layer)
    return out
