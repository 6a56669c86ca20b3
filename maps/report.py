"""Reports for people: claim verdicts as tables, and one self-contained page to embed.

:func:`format_verdicts` renders the result of :func:`geo.claims.check_ledger` as a plain
table, Markdown, JSON or HTML (``gazamap check``). :func:`build_report` writes the page a
newsroom pastes under a story (``gazamap report``): the map, the area table, the claims
with their verdicts and a methods note (datasets with provenance, outline, denominators,
projection, uncertainty, software versions, the exact command). It is offline (Leaflet
inlined, no tiles, no request), deterministic (no timestamp unless asked) and every piece
of data-derived text is HTML-escaped.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from geo.analysis import Analysis, analyse
from geo.analysis.request import LineSpec, ReadOptions, Request
from geo.analysis.uncertainty import uncertainty_words
from geo.catalog import Catalog
from geo.claims import APPROX_REL, Claim, Ledger, LedgerResult, Verdict, check_ledger, line_versions
from geo.claims.intervals import APPROX_WORDS, BORDERLINE_REL, OP_WORDS
from geo.errors import DatasetNotFoundError, InputError
from geo.read.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, file_identity, looks_like_path
from layers._text import date_words
from layers.zones import is_official_line, line_name, zone_name
from maps.claims_chart import MINUS, chart_svg, verdict_word
from maps.html import esc, script_json
from maps.tables import (
    areas_text,
    code_span,
    context_lines,
    grid,
    markdown_table,
    markdown_text,
    to_json,
)

__all__ = [
    "VerdictFormat",
    "ReportFormat",
    "ReportOptions",
    "format_verdicts",
    "line_words_of",
    "verdict_rows",
    "provenance_html",
    "timeline_rows",
    "claims_html",
    "not_checkable_html",
    "explanation",
    "interval_note",
    "build_report",
    "software_versions",
]

VerdictFormat = Literal["table", "json", "markdown", "html"]
ReportFormat = Literal["html", "markdown"]
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+\Z", re.IGNORECASE)
_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")
_HEADER = ("id", "metric", "stated", "computed", "difference", "margin", "verdict")


# ---------------------------------------------------------------------------- verdicts

_OPS = {"=": "", ">=": "≥ ", "<=": "≤ ", ">": "> ", "<": "< "}


def _minus(text: str) -> str:
    """One minus sign everywhere: U+2212, never a hyphen."""
    return re.sub(r"(?<![\w.])-(?=\d)", MINUS, text)


def _unit(v: Verdict, *, margin: bool = False) -> str:
    """The metric's unit as written after a number; shares' margins are in "pp"."""
    if not v.unit:
        return ""
    if v.unit == "%":
        return " pp" if margin else " %"
    return f" {v.unit}"


def _stated_cell(v: Verdict) -> str:
    s = v.claim.stated
    if not s.text:
        return "—"
    if v.claim.metric == "none":
        return s.text
    approx = "~" if v.claim.approx else ""
    return _minus(f"{_OPS.get(v.claim.op, v.claim.op + ' ')}{approx}{s.text}{_unit(v)}")


def _computed_cell(v: Verdict) -> str:
    c = v.computed
    if c is None:
        return "—"
    if isinstance(c.value, bool):
        return " or ".join(str(p).lower() for p in c.possible)
    # the figure's own interval (as `areas` shows it), † when the check widens it (the
    # explanation names what it adds); none when it collapses to the value ("[5.7–5.7]")
    iv = v.interval_text()
    rng = f" [{iv.split(';')[0].split(' from ')[0]}]" if iv else ""
    if c.low is not None and c.high is not None and v.fmt(c.low) == v.fmt(c.high):
        rng = ""
    dagger = "†" if c.adds and (c.interval is None or iv.count(";")) else ""
    return _minus(f"{v.fmt(c.value)}{_unit(v)}{rng}{dagger}")


def _diff_cell(v: Verdict) -> str:
    if v.difference is None:
        return "—"
    return _minus(("+" if v.difference > 0 else "") + v.fmt(v.difference))


def _margin_text(v: Verdict) -> str:
    m = abs(v.margin or 0.0)
    return f"{m:.2g}" if m < 0.01 else v.fmt(m)


def _margin_cell(v: Verdict) -> str:
    if v.margin is None:
        return "—"
    return ("+" if v.margin >= 0 else MINUS) + _margin_text(v) + _unit(v, margin=True)


def explanation(v: Verdict, *, against: str = "") -> str:
    """One sentence on the verdict (``against``: the line it was judged on, in words).

    Shares' margins are in percentage points (pp), negative numbers take U+2212, an
    interval that collapses to its value is not shown, and "borderline" is said only of
    a stated value inside the computed interval.
    """
    head = f"Judged against {against}: " if against else ""
    c, s = v.computed, v.claim.stated
    if v.verdict == "not-checkable" or c is None:
        return f"{head}not checkable: {v.reason}"
    if isinstance(c.value, bool):
        got = " or ".join(str(p).lower() for p in c.possible)
        word = "fits" if v.verdict == "consistent" else "does not fit"
        return (f"{head}computed {got} with the line as given and offset by its uncertainty;"
                f" {word} the stated {s.text}.")
    u = _unit(v)
    comp = f"computed {v.fmt(c.value)}{u}"
    if c.low is not None and c.high is not None and v.fmt(c.low) != v.fmt(c.high):
        comp += f" (interval {v.fmt(c.low)}–{v.fmt(c.high)}{u})"
    allowed = ("" if s.low is None or s.high is None or v.fmt(s.low) == v.fmt(s.high)
               else f" (its words allow {v.fmt(s.low)}–{v.fmt(s.high)}{u})")
    stated = f"stated {_OPS.get(v.claim.op, v.claim.op + ' ').strip() or '='} {s.text}{u}"
    text = f"{comp}; {stated}{allowed}"
    if v.margin is not None:
        mu = _unit(v, margin=True)
        if v.margin >= 0:
            text += f"; the stated value lies {_margin_text(v)}{mu} inside the interval"
        else:
            text += f"; the stated value lies {_margin_text(v)}{mu} outside the interval"
            if v.verdict == "consistent":
                text += ", within the rounding of its own words"
    text += f": {verdict_word(v)}."
    return _minus(head + text[:1].upper() + text[1:] if not head else head + text)


def verdict_rows(result: LedgerResult) -> list[list[str]]:
    """One row per claim: id, metric, stated, computed (interval), difference, margin, verdict.

    The margin is how far the stated value lies inside (+) or outside (−) the computed
    interval (pp for shares); "borderline" marks a consistent value inside the interval
    but near its edge (see :func:`maps.claims_chart.verdict_word`).
    """
    return [[v.id, v.claim.metric, _stated_cell(v), _computed_cell(v), _diff_cell(v),
             _margin_cell(v), verdict_word(v)] for v in result.verdicts]


def _counts_line(result: LedgerResult) -> str:
    c = result.counts()  # published claims only: derived ones are checks of the ledger
    near = sum(verdict_word(v) != "consistent" for v in result.verdicts
               if v.verdict == "consistent" and v.counted)
    derived = result.derived
    bad = sum(v.verdict == "inconsistent" for v in derived)
    return (f"{sum(c.values())} claims: {c['consistent']} consistent"
            + (f" ({near} only at an edge)" if near else "")
            + f", {c['inconsistent']} inconsistent, {c['not-checkable']} not checkable"
            + (f"; besides, {len(derived)} derived check{'s' * (len(derived) != 1)} of the "
               f"ledger's own arithmetic, not counted ({bad} inconsistent)" if derived else ""))


def _rules_text() -> list[str]:
    return [
        "Stated interval: ± half a unit of the last digit written (53 -> 52.5–53.5); "
        f"'about' (approx, ~) widens it to ± max(one unit, {APPROX_REL:.0%} of the value).",
        "Computed interval: the figure's own interval, as `gazamap areas` shows it (the line "
        "moved by its positional uncertainty: ±u, or toward Israel and toward the coast); "
        "† marks a claim checked against it widened by another source, named in the "
        "explanation (the outline's resolution, border ends by ± 100 m); arithmetic from "
        "the rounding of the stated numbers.",
        "Readings: a word with several meanings (the 'length' of the Strip: axis, coastline, "
        "longest straight distance; its 'width' at a place: cross-section, distance to the "
        "nearest coast) is computed in each; consistent when one fits, named in the "
        "explanation. A claim about a line version with no public geometry is not "
        "checkable. Derived claims (the ledger's own arithmetic) are checks of the ledger, "
        "not counted.",
        "consistent: some computed value and some stated value satisfy the relation; "
        "inconsistent: none does; not-checkable: the data does not exist (reason given).",
        "Hedges: a claim that sets no approx/op takes them from the words right before its "
        f"figure ({', '.join(repr(w) for w in APPROX_WORDS)} -> approximate; "
        + ", ".join(f"{w!r} -> {o}" for w, o in OP_WORDS.items())
        + "); explicit fields win, and a contradiction is reported as a warning.",
        "Margin: how far the stated value lies inside (+) or outside (−) the computed "
        "interval, in the metric's unit (percentage points, pp, for shares). A consistent "
        f"verdict is borderline when the stated value is inside the interval by less than "
        f"{BORDERLINE_REL:.0%} of the stated half-width; one outside the interval that fits "
        "only thanks to its own rounding reads 'consistent (by its rounding)'.",
    ]


def line_words_of(line: str | Source | None) -> str:
    """A line given to ``check`` in words (a file by its name only)."""
    if line is None:
        return ""
    if isinstance(line, Source):
        return line_name(line)
    return f"your line ({Path(line).name})" if looks_like_path(line) else line


def format_verdicts(result: LedgerResult, fmt: VerdictFormat = "table", *,
                    against: str = "") -> str:
    """The verdicts as a plain table, Markdown, JSON (the stable list) or an HTML page.

    ``against`` names, in words, a user's line the claims were judged on (asked for
    with ``--judge-claims-against-line``): every explanation then names it.
    """
    if fmt == "json":
        return to_json(result.to_list())
    if fmt == "html":
        title = result.ledger.title or "Claims checked by gazamap"
        body = (f"<h1>{esc(title)}</h1>\n<p>{esc(_counts_line(result))}</p>\n"
                + "<h2>Stated against computed</h2>\n" + _chart_html(result, "")
                + "<h2>Claims by verdict</h2>\n" + claims_html(result, against=against)
                + "<h2>Rules</h2>\n" + _rules_html())
        return _page(title, body, "en", description=_counts_line(result))
    rows = verdict_rows(result)
    notes = [f"{v.id}: {explanation(v, against=against)}"
             + "".join(f" [{n}]" for n in v.claim.hedge_notes)
             + f" — {v.claim.provenance}" for v in result.verdicts]
    if fmt == "markdown":
        parts = [markdown_table(_HEADER, rows),
                 _counts_line(result) + ".",
                 "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}): "
                           f"{esc_md(explanation(v, against=against))}"
                           for v in result.verdicts),
                 "\n".join(f"- {esc_md(r)}" for r in _rules_text())]
        return "\n\n".join(parts)
    src = Path(result.ledger.path).name if result.ledger.path else "ledger"  # no folders
    return "\n\n".join([f"{result.ledger.title or 'Claims'} ({src})", grid(_HEADER, rows),
                        _counts_line(result) + ".", "\n".join(notes),
                        "\n".join(_rules_text())])


def esc_md(text: str) -> str:
    """Markdown-inert text (see :func:`maps.tables.markdown_text`)."""
    return markdown_text(text)


def _link(url: str, text: str) -> str:
    # Only http(s) URLs become links: a ledger is user input, and a javascript: or data:
    # URL in a claim must never be clickable in a published page.
    if url and _SAFE_URL.match(url):
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


def _anchor(cid: str) -> str:
    return "claim-" + _ID_SAFE.sub("_", cid)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _when(c: Claim, lang: str = "en") -> str:
    return date_words(c.date, lang) if c.date else _t("no date", lang)


_GROUPS = (("inconsistent", "Inconsistent"), ("consistent", "Consistent"))

# The report's own words in Arabic (--lang ar). The claims, their explanations, the
# methods and the provenance stay in the language they were written in (marked lang="en").
_AR = {
    "Inconsistent": "غير متسقة",
    "Consistent": "متسقة",
    "consistent": "متسق",
    "inconsistent": "غير متسق",
    "consistent (borderline)": "متسق (عند الحد)",
    "consistent (by its rounding)": "متسق (بفضل التقريب)",
    "stated": "المعلن",
    "computed": "المحسوب",
    "no date": "بلا تاريخ",
    "Map and areas": "الخريطة والمساحات",
    "Published claims against the figures": "الادعاءات المنشورة مقابل الأرقام",
    "Versions of the line": "نسخ الخط",
    "Method and data": "الطريقة والبيانات",
    "Not checkable": "غير قابلة للتحقق",
    "Checks of the ledger": "فحوص لحسابات السجل نفسه",
    "by reason": "حسب السبب",
    "The chart": "الرسم البياني",
    "shows which hold.": "يبيّن أيّها صحيح.",
    "The line or zone it names has no public geometry":
        "الخط أو المنطقة المذكورة ليس لها شكل هندسي منشور",
    "It needs the positions of the yellow blocks on the ground, which are not public":
        "يحتاج إلى مواقع الكتل الصفراء على الأرض، وهي غير منشورة",
    "It is not a geographic measurement": "ليس قياسًا جغرافيًا",
    "Other reasons (given with each claim)": "أسباب أخرى (مذكورة مع كل ادعاء)",
}


def _t(text: str, lang: str) -> str:
    return _AR.get(text, text) if lang == "ar" else text


def _claim_item(v: Verdict, against: str, lang: str = "en") -> str:
    """One claim as one line (claim, outlet, stated, computed, verdict) and its details."""
    c = v.claim
    word = verdict_word(v)
    cls = f"gz-{v.verdict}" + (" gz-borderline" if word != v.verdict else "")
    quote = (f'<q>{esc(_short(c.text, 64))}</q> <span class="gz-who">'
             f"{esc(c.outlet or c.source)}</span>")
    if lang == "ar":  # the English quote and outlet as one left-to-right block
        quote = f'<span class="gz-en" lang="en" dir="ltr">{quote}</span>'
    line = (f'<span class="gz-v">{esc(_t(word, lang))}</span> '
            f"{quote}, {esc(_when(c, lang))} "
            f'<span class="gz-fig">{_t("stated", lang)} <bdi>{esc(_stated_cell(v))}</bdi>; '
            f'{_t("computed", lang)} <bdi>{esc(_computed_cell(v))}</bdi></span>')
    more = [f"<p><q>{esc(c.text)}</q></p>" if len(" ".join(c.text.split())) > 64 else "",
            f"<p>{esc(explanation(v, against=against))}</p>",
            f'<p class="gz-small"><strong>Method:</strong> {esc(_minus(v.method))}</p>'
            if v.computed is not None else "",
            f'<p class="gz-small"><strong>Source:</strong> {provenance_html(c)}'
            f" ({esc(_when(c))}); claim <code>{esc(v.id)}</code>, metric "
            f"<code>{esc(c.metric)}</code>; margin {esc(_margin_cell(v))}</p>",
            *(f'<p class="gz-small gz-hedge">{esc(n)}</p>' for n in c.hedge_notes),
            f'<p class="gz-small gz-note">{esc(c.note)}</p>' if c.note else ""]
    attrs = ' lang="en" dir="ltr"' if lang == "ar" else ""
    return (f'<li id="{_anchor(v.id)}" class="{cls}"><details><summary>{line}</summary>'
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
            f'<li id="{_anchor(v.id)}" class="gz-not-checkable"{attrs}><q>'
            f"{esc(_short(v.claim.text, 70))}</q> {esc(v.claim.outlet or v.claim.source)}, "
            f"{esc(_when(v.claim))}: {esc(v.reason)}</li>" for v in vs)
        out.append(f"<li><details><summary><strong>{esc(_t(name, lang))}</strong> "
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
    counts = _claims_lede(result, lang) if lang == "ar" else _counts_line(result) + "."
    out = [f'<p class="gz-counts" id="gz-verdicts">{esc(counts)}</p>']
    for key, name in _GROUPS:
        vs = [v for v in result.verdicts if v.verdict == key and v.counted]
        if not vs:
            continue
        out.append(f'<h3 id="gz-{key}">{_t(name, lang)} ({len(vs)})</h3>')
        out.append('<ul class="gz-claims">'
                   + "".join(_claim_item(v, against, lang) for v in vs) + "</ul>")
    derived = [v for v in result.verdicts if not v.counted and v.verdict != "not-checkable"]
    if derived:  # the ledger's own arithmetic: a check of the ledger, not a published claim
        out.append(f'<h3 id="gz-derived">{_t("Checks of the ledger", lang)} ({len(derived)})'
                   "</h3>")
        out.append('<ul class="gz-claims gz-derived">'
                   + "".join(_claim_item(v, against, lang) for v in derived) + "</ul>")
    nc = not_checkable_html(result, lang)
    if nc:
        n = sum(v.verdict == "not-checkable" for v in result.verdicts)
        out += [f'<h3 id="gz-not-checkable">{_t("Not checkable", lang)} ({n}), '
                f'{_t("by reason", lang)}</h3>', nc]
    return "\n".join(out) + "\n"


def _chart_html(result: LedgerResult, interval_note: str, lang: str = "en") -> str:
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


def _rules_html() -> str:
    items = "".join(f"<li>{esc(r)}</li>" for r in _rules_text())
    return f'<ul class="gz-rules">{items}</ul>\n'


_CSS = (
    ".gz-report{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'DejaVu Sans',sans-serif;color:#1a1a1a;max-width:1100px;margin:0 auto;"
    "padding:8px 16px 32px;overflow-wrap:break-word}\n"
    ".gz-report h1{font-size:1.45rem;line-height:1.25}"
    ".gz-report h2{font-size:1.2rem;margin:1.4em 0 .4em}"
    ".gz-report h3{font-size:1.05rem;margin:1em 0 .3em}\n"
    ".gz-report .gz-lede{font-size:1.08rem}\n"
    ".gz-report ul.gz-claims,.gz-report ul.gz-nc{list-style:none;margin:0;padding:0}\n"
    ".gz-report .gz-claims>li,.gz-report .gz-nc>li{border-bottom:1px solid #ddd;"
    "padding:2px 0;font-size:.94rem}\n"
    ".gz-report summary{cursor:pointer;min-height:24px}\n"
    ".gz-report .gz-v{display:inline-block;font-weight:600;padding:0 6px;border-radius:3px;"
    "font-size:.85rem}\n"
    ".gz-report .gz-consistent .gz-v{background:#d9efe6}"
    ".gz-report .gz-inconsistent .gz-v{background:#f6d5c2}"
    ".gz-report .gz-borderline .gz-v{background:#f3ecc2}\n"
    "@media (max-width:700px){.gz-report .gz-en{display:block;text-align:left}}\n"
    ".gz-report .gz-who{color:#444}.gz-report .gz-fig{font-variant-numeric:tabular-nums}\n"
    ".gz-report .gz-more{padding:2px 0 6px 1.2em;font-size:.92rem}"
    ".gz-report .gz-more p{margin:.3em 0}\n"
    ".gz-report .gz-small{font-size:.88rem;color:#333}.gz-report code{font-size:.9em}\n"
    ".gz-report .gz-nc ul{margin:.3em 0;padding-inline-start:1.2em;font-size:.92rem}\n"
    ".gz-report figure{margin:0}.gz-report figcaption{font-size:.92rem;color:#333}\n"
    ".gz-report .gz-scroll{overflow-x:auto;max-width:100%}\n"
    ".gz-report .gz-chart{display:block;width:100%;max-width:860px;height:auto}\n"
    ".gz-report .gz-chart-narrow{display:none;max-width:480px}\n"
    "@media (max-width:700px){.gz-report .gz-chart-wide{display:none}"
    ".gz-report .gz-chart-narrow{display:block}}\n"
    ".gz-report table.gz-verdicts{border-collapse:collapse;width:100%;font-size:.85rem}\n"
    ".gz-report .gz-verdicts th,.gz-report .gz-verdicts td{border:1px solid #c8c8c8;"
    "padding:4px 6px;vertical-align:top;text-align:start}\n"
    ".gz-report .gz-verdicts caption{text-align:start;font-weight:600;padding:4px 0}\n"
    ".gz-report dl.gz-methods dt{font-weight:600;margin-top:.6em}\n"
    ".gz-report dl.gz-methods dd{margin-inline-start:1.2em}\n"
    ".gz-report pre{white-space:pre-wrap;background:#f4f4f4;padding:6px}\n"
    ".gz-report details.gz-fold>summary{font-weight:600;font-size:1.05rem;padding:4px 0}\n"
    ".gz-report .gz-embed h1{display:none}\n"
)


def _inline_texts(html_text: str) -> tuple[list[str], list[str]]:
    """The exact texts of a page's executable ``<script>`` and its ``<style>`` elements.

    Reliable on gazamap's own pages: data reaches a script only through
    :func:`maps.html.script_json`, which escapes every ``<``.
    """
    scripts = re.findall(r"<script>(.*?)</script>", html_text, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html_text, re.S)
    return scripts, styles


def _page(title: str, body: str, lang: str, description: str = "") -> str:
    from maps.html import ICON_HREF, content_security_policy

    direction = "rtl" if lang == "ar" else "ltr"
    meta = (f'<meta name="description" content="{esc(description)}">\n'
            if description else "")
    # the report and the check page carry the map pages' strict policy: no network at
    # all, only their own inline scripts and styles (by SHA-256)
    scripts, styles = _inline_texts(body)
    policy = content_security_policy(scripts, [_CSS, *styles])
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{meta}<link rel=\"icon\" href=\"{ICON_HREF}\">\n"
            f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f'<main class="gz-report">\n{body}</main>\n</body>\n</html>\n')


# ---------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportOptions:
    """What a report shows. The same options (and input files) give the same bytes.

    Parameters
    ----------
    ledger : str, geo.claims.Ledger or None
        A ledger file, the name of a shipped ledger (``seed``, ``public``) or a ledger
        already loaded (e.g. with ``allow_paths``); ``None`` leaves the claims out.
    line, boundary : str or geo.read.sources.Source
        The line and outline of the map and the area table (and the default of claims
        that name none): dataset ids, files, or resolved sources (a line from markers).
    fmt : {"html", "markdown"}
    fragment : bool
        HTML only: a ``<div>`` (with its styles and scripts) to paste into a page,
        instead of a full document.
    title : str or None
        Heading; the default names the line.
    command : str or None
        The command that made the report, recorded in the methods note.
    timestamp : bool
        Add the time of generation (UTC); off by default so reports are reproducible.
    claim_review : bool
        Add schema.org ClaimReview JSON-LD for each checked claim (HTML only).
    read_options : dict
        Passed to :func:`geo.read.sources.resolve` for files.
    catalog : geo.catalog.Catalog, optional
        Unused when ``request`` is given (its catalog is used).
    request : geo.analysis.request.Request, optional
        The whole request (lines, markers, data directories, tolerances, uncertainty);
        when given it replaces ``line``, ``boundary`` and ``read_options``.
    judge_claims_against_line : bool
        Judge the published claims against the report's line even when it is not a
        packaged, dated line (a user's own line). Off: such a report shows its line's
        map and areas, and checks the claims against the lines they refer to. On: every
        explanation names the line and no ClaimReview is emitted.
    lang : {"en", "ar"}
        HTML only: the language of the page, its headings, headline, verdicts, chart and
        map (``ar``: right to left); the claims as quoted, their explanations, the
        methods and provenance stay English (marked ``lang="en"``).
    """

    ledger: str | Ledger | None = "seed"
    line: str | Source = DEFAULT_LINE
    boundary: str | Source = DEFAULT_BOUNDARY
    fmt: ReportFormat = "html"
    fragment: bool = False
    title: str | None = None
    command: str | None = None
    timestamp: bool = False
    claim_review: bool = True
    read_options: dict[str, Any] = field(default_factory=dict)
    catalog: Catalog | None = None
    request: Request | None = None
    judge_claims_against_line: bool = False
    lang: Literal["en", "ar"] = "en"

    def resolved_request(self) -> Request:
        """``request``, or one made of ``line``, ``boundary`` and ``read_options``."""
        if self.request is not None:
            return self.request

        def spec(x: str | Source, default: str) -> str:
            return (x.file or x.ref) if isinstance(x, Source) else (x or default)

        return Request(boundary=spec(self.boundary, DEFAULT_BOUNDARY),
                       lines=(LineSpec(spec(self.line, DEFAULT_LINE)),),
                       read=ReadOptions(**self.read_options))


def software_versions() -> dict[str, str]:
    """Versions of gazamap and the libraries behind its numbers and maps."""
    out: dict[str, str] = {"python": platform.python_version()}
    for dist in ("gazamap", "shapely", "pyproj", "numpy", "folium", "matplotlib", "click"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    try:
        import pyproj
        import shapely

        out["GEOS"] = shapely.geos_version_string
        out["PROJ"] = pyproj.proj_version_str
    except ImportError:  # pragma: no cover - both are dependencies
        pass
    return out


def _ledger_files(result: LedgerResult | None) -> list[str]:
    """The files a ledger's claims name (already anchored in the ledger's folder)."""
    if result is None:
        return []
    led = result.ledger
    specs: list[object] = [led.line, led.boundary]
    for c in led.claims:
        for k in ("line", "boundary", "markers", "population"):
            v = c.fields.get(k)
            specs += v if isinstance(v, list) else [v]
    return [s for s in specs if isinstance(s, str) and looks_like_path(s) and Path(s).is_file()]


def _dataset_rows(analysis: Analysis, result: LedgerResult | None) -> list[dict[str, Any]]:
    """Provenance of every dataset behind the figures (files by name and SHA-256)."""
    cat = analysis.request.catalog
    claimed = result.sources if result is not None else ()
    sources = {s.ref: s for s in (*claimed, analysis.boundary,
                                  *(ln.source for ln in analysis.lines))}
    refs = [*analysis.provenance.datasets, "crossings"]
    if result is not None:
        for v in result.verdicts:
            if v.computed is not None:
                refs += list(v.computed.datasets)
    # files named by the ledger, resolved in its folder (never the current folder), by name
    named = {Path(f).name: f for f in _ledger_files(result)}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ref in refs:
        src = sources.get(ref)
        if src is not None and src.dataset is None:
            row = {"ref": ref, "title": "user file", **src.identity}
        elif looks_like_path(ref):
            if Path(ref).name not in named:
                continue
            row = {"ref": Path(ref).name, "title": "user file",
                   **file_identity(named[Path(ref).name])}
        else:
            try:
                row = cat.get(ref).provenance()
            except DatasetNotFoundError:
                continue
        if row["ref"] not in seen:
            seen.add(row["ref"])
            rows.append(row)
    return rows


def _lines_words(analysis: Analysis) -> str:
    names = [line_name(ln.source) for ln in analysis.lines]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _summary_text_ar(analysis: Analysis) -> str:
    e = analysis.zone("east")
    ln = analysis.lines[0]
    iv = e.interval
    u = ln.uncertainty
    u_ar = ("" if u is None else f"±{u.toward_coast_m:g} م" if u.symmetric else
            f"{u.toward_israel_m:g} م نحو إسرائيل، {u.toward_coast_m:g} م نحو الساحل")
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
            f"{e.shares_of.get('365', float('nan')):.1f} % من 365 كم². {rest}.{date}")
    return re.sub(r"(\d) (%|كم²|م\b)", "\\1\u00a0\\2", text)


def _summary_text(analysis: Analysis, lang: str = "en") -> str:
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
            f"geodesic{interval}; {e.shares_of.get('365', float('nan')):.1f} % of 365 km². "
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
        f = v.claim.fields
        if (v.claim.metric == "zone_share_pct" and f.get("zone") == "east"
                and not f.get("denominator_km2") and c is not None
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


_TIMELINE_HEADER = ("date", "line version", "source", "area km²", "% of 365 km²",
                    "geometry")


def timeline_rows(report: Analysis, result: LedgerResult | None) -> list[list[str]]:
    """Dated versions of the line: the report's line (computed) and the ledger's (stated).

    One row each: date, version, source, east-zone area, its share of 365 km², and
    whether geometry exists. Stated rows take the area as published (their share of
    365 km² is arithmetic on it). Empty when the ledger names no versions.
    """
    stated = line_versions(result.ledger) if result is not None else ()
    if not stated:
        return []
    e = report.zone("east")
    line = report.lines[0].source
    ds = line.dataset
    rows = [(ds.date or ds.version if ds else "", ds.title if ds else line.label,
             ds.source if ds else "user file",
             f"{e.area_km2:.1f} (computed)", f"{e.shares_of.get('365', 0.0):.1f}",
             f"yes: {ds.ref if ds else report.lines[0].ref}")]
    rows += [(v.date, v.label, v.source, f"{v.area_km2:g} (stated)",
              f"{100 * v.area_km2 / 365:.1f}", f"no ({v.claim_id}: not checkable)")
             for v in stated]
    return [list(r) for r in sorted(rows, key=lambda r: r[0])]


def _timeline_html(rows: list[list[str]]) -> str:
    out = ['<table class="gz-verdicts gz-timeline" id="gz-timeline">',
           "<caption>Versions of the line: the computed one and those known only by a "
           "stated area</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in _TIMELINE_HEADER)
           + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def _line_item(ln: Any) -> str:
    u = (f"{ln.uncertainty_words} ({ln.uncertainty_from})" if ln.uncertainty_m is not None
         else "not stated (no interval)")
    return (f"{ln.ref} ({ln.method} method); positional uncertainty {u}."
            + (" Repairs: " + "; ".join(ln.repairs) + "." if ln.repairs else ""))


def _methods(report: Analysis, result: LedgerResult | None, options: ReportOptions
             ) -> list[tuple[str, str | list[str]]]:
    m = report.method
    items: list[tuple[str, str | list[str]]] = [
        ("Outline", f"{report.boundary.ref}: {report.boundary_area_km2:.3f} km² "
                    f"geodesic; cross-check in the local equal-area CRS differs by "
                    + _minus(f"{m['cross_check']['relative_difference']:.1e}")
                    + " (relative)."),
        *((("Line" if len(report.lines) == 1 else f"Line {i + 1}"), _line_item(ln))
          for i, ln in enumerate(report.lines)),
        ("East zone", str(m["east_zone"]) + "."),
        ("Areas", str(m["area"]) + "."),
        ("Partition", str(m["split"]) + "."),
        ("Projection", f"Splitting, buffering and the static map in {m['split_crs']}; "
                       "areas and lengths are geodesic on WGS84. Never degrees or Web "
                       "Mercator."),
        ("Denominators", "Shares of the measured outline and of "
                         + ", ".join(f"{d:g} km²" for d in m["denominators_km2"])
                         + " (365: the figure most media use, PCBS table 676's governorates "
                           "60.9 + 74.6 + 56.7 + 109.7 + 63.1; 360: the sum of Wikipedia's "
                           "governorate areas 61 + 70 + 56 + 108 + 65)."),
        ("Uncertainty", str(m["uncertainty"]) + "."),
        ("Context", context_lines(report)),
        ("Borders", str(m["borders"]) + "."),
    ]
    for alt in report.alternatives:
        items.append(("Alternative method", alt.explanation))
    if result is not None:
        items.append(("Claims", _rules_text()))
        items.append(("Ledger", f"{Path(result.ledger.path).name or 'ledger'}"
                                + (f": {result.ledger.title}" if result.ledger.title else "")
                                + (f" — {result.ledger.description}"
                                   if result.ledger.description else "")))
    versions = software_versions()
    items.append(("Software", ", ".join(f"{k} {v}" for k, v in versions.items())))
    items.append(("Command", options.command or "Python: maps.report.build_report("
                  + repr(_options_for_display(options)) + ")"))
    if options.timestamp:
        items.append(("Generated", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    if report.notes or report.warnings:
        items.append(("Notes", [*report.notes, *report.warnings]))
    return items


def _options_for_display(options: ReportOptions) -> dict[str, Any]:
    def label(x: str | Source) -> str:
        return x.label if isinstance(x, Source) else x

    led = options.ledger
    return {"ledger": Path(led.path).name if isinstance(led, Ledger) else led,
            "line": label(options.line),
            "boundary": label(options.boundary), "fmt": options.fmt,
            "fragment": options.fragment}


def _claim_review(result: LedgerResult) -> str:
    """schema.org ClaimReview per verdict.

    ``itemReviewed.author`` is the original outlet; ``appearance.url`` is only ever the
    original publication. The copy the text was read in (a mirror or a summary) is the
    appearance's ``archivedAt``, never its ``url``.
    """
    graph = []
    for v in result.verdicts:
        if not v.counted:  # the ledger's own arithmetic: no outlet claimed it
            continue
        c = v.claim
        item: dict[str, Any] = {
            "@type": "ClaimReview",
            "url": "#" + _anchor(v.id),
            "claimReviewed": c.text,
            "author": {"@type": "Organization", "name": "gazamap"},
            "reviewRating": {"@type": "Rating", "alternateName": verdict_word(v),
                             "ratingExplanation": explanation(v)},
            "itemReviewed": {"@type": "Claim",
                             "author": {"@type": "Organization",
                                        "name": c.outlet or c.source}},
        }
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", c.date):
            item["itemReviewed"]["datePublished"] = c.date
        appearance: dict[str, Any] = {}
        if c.url and _SAFE_URL.match(c.url) and c.url != c.seen_at:
            appearance["url"] = c.url
        if c.seen_at and _SAFE_URL.match(c.seen_at):
            appearance["archivedAt"] = c.seen_at
            appearance["description"] = (f"text of {c.outlet or c.source} as seen in a "
                                         f"{c.copy or 'copy'}")
        if appearance:
            item["itemReviewed"]["appearance"] = {"@type": "CreativeWork", **appearance}
        graph.append(item)
    # script_json escapes < > & so that no "</script>" can close the element early
    data = {"@context": "https://schema.org", "@graph": graph}
    return f'<script type="application/ld+json">{script_json(data)}</script>\n'


def _methods_html(items: list[tuple[str, str | list[str]]], datasets: list[dict[str, Any]]
                  ) -> str:
    out = ['<dl class="gz-methods">']
    for k, v in items:
        out.append(f"<dt>{esc(k)}</dt>")
        if isinstance(v, list):
            out.append("<dd><ul>" + "".join(f"<li>{esc(x)}</li>" for x in v) + "</ul></dd>")
        elif k == "Command":
            out.append(f"<dd><pre><code>{esc(v)}</code></pre></dd>")
        else:
            out.append(f"<dd>{esc(v)}</dd>")
    out.append("</dl>")
    out.append(f'<details class="gz-fold"><summary>Datasets ({len(datasets)})</summary>'
               '<div class="gz-scroll" tabindex="0" role="group" aria-label="Datasets">'
               '\n<table class="gz-verdicts gz-datasets">')
    out.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
        "dataset", "title", "source", "licence", "attribution", "method", "uncertainty"))
        + "</tr></thead><tbody>")
    for d in datasets:
        unc = (uncertainty_words(d["uncertainty_m"]) if "uncertainty_m" in d
               else d.get("sha256", ""))
        out.append("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in (
            d.get("ref"), d.get("title"), d.get("source", d.get("file", "")),
            d.get("licence", ""), d.get("attribution", ""),
            (d.get("method", "") + (" " + d["notes"] if d.get("notes") else "")), unc))
            + "</tr>")
    out.append("</tbody></table></div></details>")
    return "\n".join(out) + "\n"


def _map_fragment(analysis: Analysis, title: str, lang: str = "en") -> str:
    from maps.render import MapOptions, render_map_html

    return render_map_html(MapOptions(analysis=analysis, offline=True, mode="fragment",
                                      title=title, height="60vh",
                                      lang="ar" if lang == "ar" else "en"))


def build_report(options: ReportOptions | None = None) -> str:
    """The report as one HTML page (or fragment) or Markdown text.

    The HTML holds the offline map (with the area table as its text alternative), the
    verdict table, the methods note and, optionally, ClaimReview JSON-LD. Markdown holds
    the same tables and note, without the map.

    Raises
    ------
    geo.errors.LedgerError
        For a malformed ledger (naming the claim id and the field).
    geo.errors.InputError
        For a line or outline that cannot be read or does not partition.
    """
    opts = options or ReportOptions()
    if opts.fmt not in ("html", "markdown"):
        raise InputError(f"report format {opts.fmt!r} is unknown", source="--format",
                         fix="use html or markdown")
    if opts.lang not in ("en", "ar"):
        raise InputError(f"language {opts.lang!r} is not supported", source="lang",
                         fix="use en or ar")
    if opts.lang != "en" and opts.fmt != "html":
        raise InputError("the Markdown report is English only", source="lang",
                         fix="drop lang or use the HTML format")
    if opts.fragment and opts.fmt != "html":
        raise InputError("--fragment applies to HTML only", source="--fragment",
                         fix="drop --fragment or use --format html")
    request = opts.resolved_request()
    report = analyse(request)  # once: the map, the tables and the claims read it
    official = all(is_official_line(ln.source) for ln in report.lines)
    against = "" if official else _lines_words(report)
    result = None
    if opts.ledger:
        if official or opts.judge_claims_against_line:
            # the claims read the same analysis: nothing is computed twice
            result = check_ledger(opts.ledger, analysis=report)
        else:
            # a user's line is not what the outlets wrote about: the claims are checked
            # against the lines they refer to (the packaged defaults), never this one
            result = check_ledger(opts.ledger, catalog=request.catalog,
                                  read_options=request.read.kwargs())
    judged = against if (result is not None and opts.judge_claims_against_line
                         and not official) else ""
    lang = opts.lang
    if lang == "ar":
        names = " و".join(line_name(ln.source, "ar") for ln in report.lines)
        title = opts.title or (f"قطاع غزة مقسومًا ب{names}: المساحات"
                               + (" والادعاءات المنشورة" if result is not None else ""))
    else:
        title = opts.title or (f"The Gaza Strip divided by {_lines_words(report)}: areas"
                               + (" and published claims" if result is not None else ""))
    datasets = _dataset_rows(report, result)
    methods = _methods(report, result, opts)
    if not official and result is not None:
        methods.insert(0, ("Claims and your line", _claims_line_words(against, judged)))
    if opts.fmt == "markdown":
        return _markdown(title, report, result, methods, datasets,
                         timeline_rows(report, result))
    note = interval_note(report, result) if lang == "en" else ""
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="gz-lede">{esc(_summary_text(report, lang))}</p>']
    if result is not None:
        lede = _claims_lede(result, lang)
        body.append(f'<p class="gz-lede">{esc(lede.removesuffix("."))}'
                    + (f' (<span lang="en" dir="ltr">'
                       f"{esc(_claims_line_words(against, judged))}</span>)" if against else "")
                    + f'. <a href="#gz-chart">{_t("The chart", lang)}</a> '
                      f'{_t("shows which hold.", lang)}</p>')
    # the map's scripts (Leaflet, 150 kB) go last, so that the text paints first
    map_html = _map_fragment(report, title, lang)
    map_scripts = re.findall(r"<script>.*?</script>", map_html, re.S)
    for sc in map_scripts:
        map_html = map_html.replace(sc, "", 1)
    body += ['<section id="gz-map" aria-labelledby="gz-map-h">',
             f'<h2 id="gz-map-h">{_t("Map and areas", lang)}</h2>', map_html]
    if note:
        body.append(f'<p class="gz-small">{esc(note)}</p>')
    body.append("</section>")
    if result is not None:
        body += ['<section id="gz-claims">',
                 f'<h2>{_t("Published claims against the figures", lang)}</h2>',
                 _chart_html(result, note, lang), claims_html(result, against=judged, lang=lang),
                 "</section>"]
    # the timeline and the methods note are English (lang="en" inside an Arabic page)
    en = ' lang="en" dir="ltr"' if lang == "ar" else ""
    timeline = timeline_rows(report, result)
    if timeline:
        # folded like the method: the dated figures are context, the summary comes first
        body += ['<section id="gz-versions">', '<details class="gz-fold"><summary>'
                 f'{_t("Versions of the line", lang)}</summary>',
                 f'<div class="gz-scroll" tabindex="0" role="group"{en} '
                 'aria-label="Versions of the line">', _timeline_html(timeline), "</div>",
                 "</details>", "</section>"]
    from maps.timeline_page import versions_chart_html

    body.append(versions_chart_html(report))  # empty unless the line has several versions
    body += ['<section id="gz-method">', '<details class="gz-fold"><summary>'
             f'{_t("Method and data", lang)}</summary><div{en}>',
             _methods_html(methods, datasets), "</div></details>", "</section>"]
    if result is not None and opts.claim_review and official:
        # ClaimReview only for claims judged on the packaged, dated lines
        body.append(_claim_review(result))
    body += map_scripts
    inner = "\n".join(body) + "\n"
    if opts.fragment:
        direction = "rtl" if lang == "ar" else "ltr"
        return (f'<div class="gz-report" lang="{lang}" dir="{direction}">\n'
                f"<style>{_CSS}</style>\n{inner}</div>\n")
    return _page(title, inner, lang,
                 description=_summary_text(report, lang).replace("\u00a0", " "))


def _claims_lede(result: LedgerResult, lang: str = "en") -> str:
    c = result.counts()  # published claims only: derived checks of the ledger are apart
    n = sum(c.values())
    near = sum(verdict_word(v) != "consistent" for v in result.verdicts
               if v.verdict == "consistent" and v.counted)
    if lang == "ar":
        return (f"من أصل {n} ادعاءً منشورًا: {c['consistent']} متسقة مع "
                "الأرقام" + (f" ({near} منها عند الحد فقط)" if near else "")
                + f"، و{c['inconsistent']} غير متسقة، و{c['not-checkable']} غير قابلة للتحقق.")
    return (f"Of {n} published claims, {c['consistent']} are consistent "
            f"with the figures" + (f" ({near} only at an edge)" if near else "")
            + f", {c['inconsistent']} inconsistent and {c['not-checkable']} not checkable")


def _claims_line_words(against: str, judged: str) -> str:
    if judged:
        return (f"judged against {judged}, as asked (--judge-claims-against-line); no "
                "ClaimReview is published for them")
    return (f"checked against the lines they refer to, not against {against}; give "
            "--judge-claims-against-line to judge them against it")


def _markdown(title: str, report: Analysis, result: LedgerResult | None,
              methods: list[tuple[str, str | list[str]]], datasets: list[dict[str, Any]],
              timeline: list[list[str]]) -> str:
    parts = [f"# {esc_md(title)}", esc_md(_summary_text(report)), "## Areas",
             areas_text(report, "markdown")]
    if result is not None:
        parts += ["## Claims checked", markdown_table(_HEADER, verdict_rows(result)),
                  _counts_line(result) + ".",
                  "\n".join(f"- **{esc_md(v.id)}** ({esc_md(v.claim.provenance)}"
                            + (f", {esc_md(v.claim.date)}" if v.claim.date else "")
                            + f"): “{esc_md(v.claim.text)}” — {esc_md(explanation(v))}"
                            for v in result.verdicts)]
    if timeline:
        parts += ["## Versions of the line",
                  markdown_table(_TIMELINE_HEADER, [[esc_md(c) for c in r] for r in timeline])]
    lines = []
    for k, v in methods:
        if isinstance(v, list):
            lines.append(f"- **{k}**:")
            lines += [f"  - {esc_md(x)}" for x in v]
        elif k == "Command":
            lines.append(f"- **{k}**: {code_span(v)}")
        else:
            lines.append(f"- **{k}**: {esc_md(v)}")
    parts += ["## Method and data", "\n".join(lines), "### Datasets",
              markdown_table(("dataset", "source", "licence", "attribution", "uncertainty"),
                             [[d.get("ref", ""), d.get("source", d.get("file", "")),
                               d.get("licence", ""), d.get("attribution", ""),
                               (uncertainty_words(d["uncertainty_m"]) if "uncertainty_m" in d
                                else d.get("sha256", ""))] for d in datasets]),
              "The interactive map: `gazamap render --offline --out map.html` "
              "(same line and outline)."]
    return "\n\n".join(parts) + "\n"
