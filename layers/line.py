"""The dividing line (the yellow line) and the band of its positional uncertainty."""

from __future__ import annotations

from dataclasses import replace

from geo.analysis import Analysis, LineResult
from geo.read.features import Feature
from layers._provenance import DataProvenance, source_provenance
from layers._text import interval, line_words, t, uncertainty_in
from layers.base import Layer, LegendEntry
from layers.styles import style_for
from layers.zones import is_official_line, zone_name

__all__ = ["line_layers"]


def _line_name(ln: LineResult, title: str, lang: str) -> str:
    """The layer's name: the dated line in words, a data-dir dataset's title, your file."""
    if is_official_line(ln.source):
        return (line_words(ln.ref, lang=lang, article=False)
                if ln.ref.startswith("yellow-line") else title)
    yours = "خطك" if lang == "ar" else "your line"
    if ln.source.dataset is not None:  # a data-dir dataset: its title, not official
        return f"{yours}: {title}"
    return f"{yours}: {ln.ref}"


def line_layers(analysis: Analysis, *, lang: str = "en") -> list[Layer]:
    """Each dividing line as used (ends joined to the outline) and, if it has one, its ±u band.

    Ids: ``line`` and ``line-band`` for the first line, ``line-2``, ``line-band-2`` ... for
    the next ones. A zone-polygon partition has no line to draw. The length and the band
    are the analysis's (:attr:`~geo.analysis.LineResult.length_km`,
    :meth:`~geo.analysis.Analysis.line_band`).
    """
    out: list[Layer] = []
    for i, ln in enumerate(analysis.lines):
        if ln.geometry is None:
            continue
        suffix = "" if i == 0 else f"-{i + 1}"
        prov = source_provenance(ln.source)
        title = prov.title or t("Yellow line", lang)
        name = _line_name(ln, title, lang)
        props = {"name": title, "length": f"{ln.length_km:.1f} km",
                 "uncertainty": (ln.uncertainty_words if (ln.uncertainty_m or 0.0) > 0
                                 else t("not stated", lang)),
                 "notes": "; ".join(ln.repairs)}
        fields = (("name", t("name", lang)), ("length", t("length", lang)),
                  ("uncertainty", t("uncertainty", lang)), ("notes", t("notes", lang)))
        # style by role, never by position: the packaged dated lines keep the official
        # style, a user's line has its own (the comparison style is --compare's only)
        style = style_for("line") if is_official_line(ln.source) else style_for("user-line")
        if (ln.uncertainty_m or 0.0) > 0:
            out.append(_band_layer(analysis, i, prov, suffix, lang))
        out.append(Layer(
            id=f"line{suffix}", name=name, kind="line",
            features=[Feature(ln.geometry, props)], style=style,
            legend=LegendEntry(name, "line", style), tooltip_fields=fields[:3],
            popup_fields=fields, provenance=prov, attribution=prov.attribution))
    return out


def _band_layer(analysis: Analysis, i: int, prov: DataProvenance, suffix: str,
                lang: str) -> Layer:
    """The band line ``i`` may lie in, with the interval of the zone east of it."""
    ln, east = analysis.lines[i], analysis.zones[i]
    words = (uncertainty_in(ln.uncertainty, lang) if ln.uncertainty is not None
             else f"±{ln.uncertainty_m:g} {'م' if lang == 'ar' else 'm'}")
    name = f"{t('Positional uncertainty of the line', lang)} ({words})"
    props = {"name": name, "interval": (
        f"{zone_name(east.id, lang, analysis)}: "
        f"{interval(east.interval.low, east.interval.high)}" if east.interval else "")}
    style = style_for("line-band")
    method = (f"buffer of {ln.uncertainty_words} around the line in the local "
              "equal-area CRS (one-sided where the sides differ), clipped to the "
              f"outline; {analysis.method.uncertainty}")
    fields = (("name", t("name", lang)), ("interval", t("interval", lang)))
    return Layer(
        id=f"line-band{suffix}", name=name, kind="line",
        features=[Feature(analysis.line_band(i), props)],
        style=style, legend=LegendEntry(name, "area", style),
        tooltip_fields=fields, popup_fields=fields,
        provenance=replace(prov, method=method), attribution=prov.attribution)
