"""The claims in HTML: one folded line per claim, grouped by verdict, and the chart.

Provenance links are made only of http(s) URLs: a ledger is user input.
"""

from __future__ import annotations

import re

from geo.claims import Claim, LedgerResult, Verdict
from layers._text import date_words
from maps.claims_chart import chart_svg, verdict_word
from maps.html import esc
from maps.report.lang import tr
from maps.report.verdicts import (
    computed_cell,
    counts_line,
    explanation,
    margin_cell,
    minus,
    rules_text,
    stated_cell,
)

__all__ = ["SAFE_URL", "provenance_html", "anchor", "claims_lede", "not_checkable_html",
           "claims_html", "chart_html", "rules_html"]

SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+\Z", re.IGNORECASE)
_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def _link(url: str, text: str) -> str:
    # Only http(s) URLs become links: a ledger is user input, and a javascript: or data:
    # URL in a claim must never be clickable in a published page.
    if url and SAFE_URL.match(url):
        return f'<a href="{esc(url)}" rel="nofollow noopener">{esc(text)}</a>'
    return esc(text)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or url).removeprefix("www.")


def provenance_html(c: Claim) -> str:
    """Who published the claim (linked to the original when known) and where it was read.

    The same words as :attr:`geo.claims.Claim.provenance`, with links: the outlet to its
    original publication, the copy's host to the copy.
    """
    who = c.outlet or c.source
    text = _link(c.url, who)
    if c.copy in ("mirror", "summary") and c.seen_at:
        text += f" (text seen in a {esc(c.copy)}: {_link(c.seen_at, _host(c.seen_at))})"
    elif not c.url and not c.seen_at:
        text += " (no URL known)"
    if c.outlet and c.source != c.outlet:
        text += f"<br>{esc(c.source)}"
    return text


def anchor(cid: str) -> str:
    """The id of a claim's element in the page (also ClaimReview's url fragment)."""
    return "claim-" + _ID_SAFE.sub("_", cid)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _when(c: Claim, lang: str = "en") -> str:
    return date_words(c.date, lang) if c.date else tr("no date", lang)


_GROUPS = (("inconsistent", "Inconsistent"), ("consistent", "Consistent"))


def _claim_item(v: Verdict, against: str, lang: str = "en") -> str:
    """One claim as one line (claim, outlet, stated, computed, verdict) and its details."""
    c = v.claim
    word = verdict_word(v)
    cls = f"gz-{v.verdict}" + (" gz-borderline" if word != v.verdict else "")
    quote = (f'<q>{esc(_short(c.text, 64))}</q> <span class="gz-who">'
             f"{esc(c.outlet or c.source)}</span>")
    if lang == "ar":  # the English quote and outlet as one left-to-right block
        quote = f'<span class="gz-en" lang="en" dir="ltr">{quote}</span>'
    line = (f'<span class="gz-v">{esc(tr(word, lang))}</span> '
            f"{quote}, {esc(_when(c, lang))} "
            f'<span class="gz-fig">{tr("stated", lang)} <bdi>{esc(stated_cell(v))}</bdi>; '
            f'{tr("computed", lang)} <bdi>{esc(computed_cell(v))}</bdi></span>')
    more = [f"<p><q>{esc(c.text)}</q></p>" if len(" ".join(c.text.split())) > 64 else "",
            f"<p>{esc(explanation(v, against=against))}</p>",
            f'<p class="gz-small"><strong>Method:</strong> {esc(minus(v.method))}</p>'
            if v.computed is not None else "",
            f'<p class="gz-small"><strong>Source:</strong> {provenance_html(c)}'
            f" ({esc(_when(c))}); claim <code>{esc(v.id)}</code>, metric "
            f"<code>{esc(c.metric)}</code>; margin {esc(margin_cell(v))}</p>",
            *(f'<p class="gz-small gz-hedge">{esc(n)}</p>' for n in c.hedge_notes),
            f'<p class="gz-small gz-note">{esc(c.note)}</p>' if c.note else ""]
    attrs = ' lang="en" dir="ltr"' if lang == "ar" else ""
    return (f'<li id="{anchor(v.id)}" class="{cls}"><details><summary>{line}</summary>'
            f'<div class="gz-more"{attrs}>{"".join(more)}</div></details></li>')


# Reasons of not-checkable claims, grouped: (words in the reason, the group's name)
_NC_KINDS = (
    (("no geometry for the line", "no public geometry", "not public here"),
     "The line or zone it names has no public geometry"),
    (("marker", "block positions", "blocks needs", "positions of the yellow blocks"),
     "It needs the positions of the yellow blocks on the ground, which are not public"),
    (("not a geographic quantity", "not a measurement"),
     "It is not a geographic measurement"),
)


def _nc_kind(reason: str) -> str:
    low = reason.lower()
    for words, name in _NC_KINDS:
        if any(w in low for w in words):
            return name
    return "Other reasons (given with each claim)"


def not_checkable_html(result: LedgerResult, lang: str = "en") -> str:
    """The not-checkable claims grouped by reason, in one short list."""
    groups: dict[str, list[Verdict]] = {}
    for v in result.verdicts:
        if v.verdict == "not-checkable":
            groups.setdefault(_nc_kind(v.reason), []).append(v)
    if not groups:
        return ""
    out = ['<ul class="gz-nc">']
    for name, vs in groups.items():
        attrs = ' lang="en" dir="ltr"' if lang == "ar" else ""
        items = "".join(
            f'<li id="{anchor(v.id)}" class="gz-not-checkable"{attrs}><q>'
            f"{esc(_short(v.claim.text, 70))}</q> {esc(v.claim.outlet or v.claim.source)}, "
            f"{esc(_when(v.claim))}: {esc(v.reason)}</li>" for v in vs)
        out.append(f"<li><details><summary><strong>{esc(tr(name, lang))}</strong> "
                   f"({len(vs)}): <span dir=\"auto\">"
                   + esc(", ".join(dict.fromkeys(v.claim.outlet or v.claim.source
                                                 for v in vs)))
                   + f"</span></summary><ul>{items}</ul></details></li>")
    out.append("</ul>")
    return "\n".join(out) + "\n"


def claims_html(result: LedgerResult, *, against: str = "", lang: str = "en") -> str:
    """The checkable claims grouped by verdict, one line each, details folded.

    Each line gives the verdict, the claim (shortened), the outlet and date, the stated
    and computed figures; its ``<details>`` hold the explanation, the method and the
    provenance. ``against`` names the line claims were judged on when it is the user's.
    """
    counts = claims_lede(result, lang) if lang == "ar" else counts_line(result) + "."
    out = [f'<p class="gz-counts" id="gz-verdicts">{esc(counts)}</p>']
    for key, name in _GROUPS:
        vs = [v for v in result.verdicts if v.verdict == key and v.counted]
        if not vs:
            continue
        out.append(f'<h3 id="gz-{key}">{tr(name, lang)} ({len(vs)})</h3>')
        out.append('<ul class="gz-claims">'
                   + "".join(_claim_item(v, against, lang) for v in vs) + "</ul>")
    derived = [v for v in result.verdicts if not v.counted and v.verdict != "not-checkable"]
    if derived:  # the ledger's own arithmetic: a check of the ledger, not a published claim
        out.append(f'<h3 id="gz-derived">{tr("Checks of the ledger", lang)} ({len(derived)})'
                   "</h3>")
        out.append('<ul class="gz-claims gz-derived">'
                   + "".join(_claim_item(v, against, lang) for v in derived) + "</ul>")
    nc = not_checkable_html(result, lang)
    if nc:
        n = sum(v.verdict == "not-checkable" for v in result.verdicts)
        out += [f'<h3 id="gz-not-checkable">{tr("Not checkable", lang)} ({n}), '
                f'{tr("by reason", lang)}</h3>', nc]
    return "\n".join(out) + "\n"


def chart_html(result: LedgerResult, interval_note: str, lang: str = "en") -> str:
    """The claims chart as a captioned figure, in a wide and a narrow layout."""
    # two layouts of one chart: labels beside the bars, or above them on a phone (CSS)
    chart = chart_svg(result, lang=lang) + chart_svg(result, narrow=True, lang=lang)
    n = sum(1 for v in result.verdicts if v.computed is not None
            and v.verdict != "not-checkable")
    if lang == "ar":
        return ('<figure class="gz-figure" id="gz-chart">'
                f'<div class="gz-scroll" tabindex="0" role="group" '
                f'aria-label="الرسم البياني للادعاءات">{chart}</div>'
                f"<figcaption>الادعاءات القابلة للتحقق ({n})، مجمّعة حسب ما تقيسه: النطاق "
                "المعلن لكل رقم منشور (ملوّن حسب الحكم؛ النقطة هي القيمة المعلنة، والسهم "
                "يعني «على الأقل» أو «على الأكثر») بجانب المجال الذي يحسبه gazamap (رمادي؛ "
                "العلامة هي القيمة المركزية)، على محور واحد لكل مجموعة، مع اسم الوسيلة "
                "والتاريخ.</figcaption></figure>\n")
    return ('<figure class="gz-figure" id="gz-chart">'
            f'<div class="gz-scroll" tabindex="0" role="group" '
            f'aria-label="Claims chart (scrolls sideways on narrow screens)">{chart}</div>'
            f"<figcaption>The {n} checkable claims, grouped by what they measure: each "
            "published figure's stated range (coloured by verdict; the dot is the stated "
            "value, an arrow an 'at least' or 'at most') beside the interval gazamap "
            "computes (grey; the tick is the central value), on one axis per group, "
            "labelled with the outlet and date."
            + (f" {esc(interval_note)}" if interval_note else "")
            + "</figcaption></figure>\n")


def rules_html() -> str:
    """The rules of the verdicts as an HTML list."""
    items = "".join(f"<li>{esc(r)}</li>" for r in rules_text())
    return f'<ul class="gz-rules">{items}</ul>\n'


def claims_lede(result: LedgerResult, lang: str = "en") -> str:
    """How many published claims hold, in a sentence for the top of the page."""
    c = result.counts()  # published claims only: derived checks of the ledger are apart
    near = sum(verdict_word(v) != "consistent" for v in result.verdicts
               if v.verdict == "consistent" and v.counted)
    if lang == "ar":
        return (f"من أصل {c.total} ادعاءً منشورًا: {c.consistent} متسقة مع "
                "الأرقام" + (f" ({near} منها عند الحد فقط)" if near else "")
                + f"، و{c.inconsistent} غير متسقة، و{c.not_checkable} غير قابلة للتحقق.")
    return (f"Of {c.total} published claims, {c.consistent} are consistent "
            f"with the figures" + (f" ({near} only at an edge)" if near else "")
            + f", {c.inconsistent} inconsistent and {c.not_checkable} not checkable")
