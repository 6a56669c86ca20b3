"""The report's headline in words: the line, the east zone's figure and its interval."""

from __future__ import annotations

import re

from geo.analysis import Analysis, Zone
from geo.claims import LedgerResult
from layers._text import date_words, uncertainty_in
from layers.zones import line_name, zone_name

__all__ = ["lines_words", "summary_text", "interval_note", "claims_line_words"]


def lines_words(analysis: Analysis) -> str:
    """The analysis's line(s) by name, joined as in a sentence."""
    names = [line_name(ln.source) for ln in analysis.lines]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _share_of_365(zone: Zone) -> float:
    """The zone's share of 365 km² (NaN when the request left that total out)."""
    share = zone.share_of(365)
    return float("nan") if share is None else share


def _summary_text_ar(analysis: Analysis) -> str:
    e = analysis.zone("east")
    ln = analysis.lines[0]
    iv = e.interval
    u = ln.uncertainty
    u_ar = "" if u is None else uncertainty_in(u, "ar")
    interval = (f"؛ المجال {iv.low:.1f}–{iv.high:.1f} % لعدم اليقين في موقع الخط "
                f"({u_ar})"
                if iv and ln.uncertainty_m and f"{iv.low:.1f}" != f"{iv.high:.1f}"
                else "؛ لا مجال: عدم اليقين في موقع الخط غير محدد"
                if not ln.uncertainty_m else "")
    rest = "؛ ".join(f"{zone_name(z.id, 'ar', analysis)}: {z.area_km2:.1f} كم² "
                     f"({z.share_pct:.1f} %)" for z in analysis.zones[1:])
    when = ln.source.dataset.date if ln.source.dataset else ""
    date = f" تاريخ الخط {date_words(when, 'ar')}." if when else ""
    text = (f"{zone_name('east', 'ar', analysis)}: {e.area_km2:.1f} كم²، "
            f"{e.share_pct:.1f} % من حدود قطاع غزة ({analysis.boundary.ref})، "
            f"{analysis.boundary_area_km2:.1f} كم² جيوديسيًا{interval}؛ "
            f"{_share_of_365(e):.1f} % من 365 كم². {rest}.{date}")
    return re.sub(r"(\d) (%|كم²|م\b)", "\\1\u00a0\\2", text)


def summary_text(analysis: Analysis, lang: str = "en") -> str:
    """The headline: the east zone's figure and interval, the line, the outline, the date."""
    if lang == "ar":
        return _summary_text_ar(analysis)
    e = analysis.zone("east")
    ln = analysis.lines[0]
    iv = e.interval
    interval = (f"; interval {iv.low:.1f}–{iv.high:.1f} % for the line's positional "
                f"uncertainty ({ln.uncertainty_words})"
                if iv and ln.uncertainty_m and f"{iv.low:.1f}" != f"{iv.high:.1f}"
                else "; no interval: the line's positional uncertainty is not stated"
                if not ln.uncertainty_m else "")
    ds = analysis.boundary.dataset
    outline = (f"the {ds.title} ({analysis.boundary.ref})"
               if ds else f"the outline in {analysis.boundary.ref}")
    rest = "; ".join(f"{zone_name(z.id, 'en', analysis)}: {z.area_km2:.1f} km² "
                     f"({z.share_pct:.1f} %)" for z in analysis.zones[1:])
    when = ln.source.dataset.date if ln.source.dataset else ""
    date = f" The line is dated {date_words(when)}." if when else ""
    text = (f"{zone_name('east', 'en', analysis)}: {e.area_km2:.1f} km², "
            f"{e.share_pct:.1f} % of {outline}, {analysis.boundary_area_km2:.1f} km² "
            f"geodesic{interval}; {_share_of_365(e):.1f} % of 365 km². "
            f"{rest}.{date}")
    # a number and its unit stay on one line (a phone breaks "54.2 / %" otherwise)
    return re.sub(r"(\d) (%|km²|m\b)", "\\1\u00a0\\2", text)


def interval_note(analysis: Analysis, result: LedgerResult | None) -> str:
    """Where a claim's interval differs from the area table's, say why, once, in words.

    Claims on a zone's share add the outline's ±10 m to the line's offset, so their
    interval is a little wider than the area table's (which offsets the line only).
    """
    if result is None:
        return ""
    e = analysis.zone("east")
    if e.interval is None:
        return ""
    for v in result.verdicts:
        c = v.computed
        if (v.claim.metric == "zone_share_pct" and v.claim.zone == "east"
                and not v.claim.denominator_km2 and c is not None
                and c.low is not None and c.high is not None
                and analysis.lines[0].ref in c.datasets):
            a = f"{e.interval.low:.1f}–{e.interval.high:.1f} %"
            b = f"{c.low:.1f}–{c.high:.1f} %"
            if a != b:
                return (f"Two intervals for the east share: the area table's {a} offsets "
                        f"the line by its positional uncertainty; the claims' {b} also "
                        "moves the outline by ±10 m (its resolution), so it is a little "
                        "wider.")
            return ""
    return ""


def claims_line_words(against: str, judged: str) -> str:
    """Which line a user's-line report judged the claims on, and how to change it."""
    if judged:
        return (f"judged against {judged}, as asked (--judge-claims-against-line); no "
                "ClaimReview is published for them")
    return (f"checked against the lines they refer to, not against {against}; give "
            "--judge-claims-against-line to judge them against it")
