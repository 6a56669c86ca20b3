"""One verdict in words: the table's cells, the explanation, the counts and the rules.

Shared by ``gazamap check`` (:mod:`maps.report.check`) and the report's claim sections.
"""

from __future__ import annotations

import re

from geo.claims import APPROX_REL, LedgerResult, Verdict
from geo.claims.intervals import APPROX_WORDS, BORDERLINE_REL, OP_WORDS
from maps.claims_chart import MINUS, verdict_word
from maps.tables import markdown_text

__all__ = ["VERDICT_HEADER", "minus", "unit", "stated_cell", "computed_cell", "diff_cell",
           "margin_cell", "explanation", "verdict_rows", "counts_line", "rules_text", "esc_md"]

VERDICT_HEADER = ("id", "metric", "stated", "computed", "difference", "margin", "verdict")


_OPS = {"=": "", ">=": "≥ ", "<=": "≤ ", ">": "> ", "<": "< "}


def minus(text: str) -> str:
    """One minus sign everywhere: U+2212, never a hyphen."""
    return re.sub(r"(?<![\w.])-(?=\d)", MINUS, text)


def unit(v: Verdict, *, margin: bool = False) -> str:
    """The metric's unit as written after a number; shares' margins are in "pp"."""
    if not v.unit:
        return ""
    if v.unit == "%":
        return " pp" if margin else " %"
    return f" {v.unit}"


def stated_cell(v: Verdict) -> str:
    """The stated figure with its relation, hedge and unit."""
    s = v.claim.stated
    if not s.text:
        return "—"
    if v.claim.metric == "none":
        return s.text
    approx = "~" if v.claim.approx else ""
    return minus(f"{_OPS.get(v.claim.op, v.claim.op + ' ')}{approx}{s.text}{unit(v)}")


def computed_cell(v: Verdict) -> str:
    """The computed figure with its interval († when the check widens it)."""
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
    return minus(f"{v.fmt(c.value)}{unit(v)}{rng}{dagger}")


def diff_cell(v: Verdict) -> str:
    """Computed minus stated, signed."""
    if v.difference is None:
        return "—"
    return minus(("+" if v.difference > 0 else "") + v.fmt(v.difference))


def _margin_text(v: Verdict) -> str:
    m = abs(v.margin or 0.0)
    return f"{m:.2g}" if m < 0.01 else v.fmt(m)


def margin_cell(v: Verdict) -> str:
    """The margin, signed, in the metric's unit (pp for shares)."""
    if v.margin is None:
        return "—"
    return ("+" if v.margin >= 0 else MINUS) + _margin_text(v) + unit(v, margin=True)


def explanation(v: Verdict, *, against: str = "") -> str:
    """One sentence on the verdict (``against``: the line it was judged on, in words).

    Shares' margins are in percentage points (pp), negative numbers take U+2212, an
    interval that collapses to its value is not shown, and "borderline" is said only of
    a stated value inside the computed interval.
    """
    head = f"Judged against {against}: " if against and v.on_default_line else ""
    c, s = v.computed, v.claim.stated
    if v.verdict == "not-checkable" or c is None:
        return f"{head}not checkable: {v.reason}"
    if isinstance(c.value, bool):
        got = " or ".join(str(p).lower() for p in c.possible)
        word = "fits" if v.verdict == "consistent" else "does not fit"
        return (f"{head}computed {got} with the line as given and offset by its uncertainty;"
                f" {word} the stated {s.text}.")
    u = unit(v)
    comp = f"computed {v.fmt(c.value)}{u}"
    if c.low is not None and c.high is not None and v.fmt(c.low) != v.fmt(c.high):
        comp += f" (interval {v.fmt(c.low)}–{v.fmt(c.high)}{u})"
    allowed = ("" if s.low is None or s.high is None or v.fmt(s.low) == v.fmt(s.high)
               else f" (its words allow {v.fmt(s.low)}–{v.fmt(s.high)}{u})")
    stated = f"stated {_OPS.get(v.claim.op, v.claim.op + ' ').strip() or '='} {s.text}{u}"
    text = f"{comp}; {stated}{allowed}"
    if v.margin is not None:
        mu = unit(v, margin=True)
        if v.margin >= 0:
            text += f"; the stated value lies {_margin_text(v)}{mu} inside the interval"
        else:
            text += f"; the stated value lies {_margin_text(v)}{mu} outside the interval"
            if v.verdict == "consistent":
                text += ", within the rounding of its own words"
    text += f": {verdict_word(v)}."
    if head and v.version_note:  # the user's line stands in for the version described
        text += f" ({v.version_note[:1].upper()}{v.version_note[1:]}.)"
    return minus(head + text[:1].upper() + text[1:] if not head else head + text)


def verdict_rows(result: LedgerResult) -> list[list[str]]:
    """One row per claim: id, metric, stated, computed (interval), difference, margin, verdict.

    The margin is how far the stated value lies inside (+) or outside (−) the computed
    interval (pp for shares); "borderline" marks a consistent value inside the interval
    but near its edge (see :func:`maps.claims_chart.verdict_word`).
    """
    return [[v.id, v.claim.metric, stated_cell(v), computed_cell(v), diff_cell(v),
             margin_cell(v), verdict_word(v)] for v in result.verdicts]


def counts_line(result: LedgerResult) -> str:
    """How many claims are consistent, inconsistent and not checkable, in one line."""
    c = result.counts()  # published claims only: derived ones are checks of the ledger
    near = sum(verdict_word(v) != "consistent" for v in result.verdicts
               if v.verdict == "consistent" and v.counted)
    derived = result.derived
    bad = sum(v.verdict == "inconsistent" for v in derived)
    return (f"{c.total} claims: {c.consistent} consistent"
            + (f" ({near} only at an edge)" if near else "")
            + f", {c.inconsistent} inconsistent, {c.not_checkable} not checkable"
            + (f"; besides, {len(derived)} derived check{'s' * (len(derived) != 1)} of the "
               f"ledger's own arithmetic, not counted ({bad} inconsistent)" if derived else ""))


def rules_text() -> list[str]:
    """The rules behind the verdicts, one paragraph each."""
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


def esc_md(text: str) -> str:
    """Markdown-inert text (see :func:`maps.tables.markdown_text`)."""
    return markdown_text(text)
