"""Claims ledger: published statements in TOML, checked against the datasets with verdicts.

A ledger is a TOML file with an optional ``[ledger]`` table (``title``, ``description``,
default ``line`` and ``boundary``) and one ``[[claim]]`` table per statement::

    [[claim]]
    id = "C05"
    text = "the IDF will remain in control of ... 53 percent"
    source = "Times of Israel, via News.az"   # the human label
    outlet = "Times of Israel"                # the original publisher
    copy = "mirror"                           # original | mirror | summary
    date = "2025-10-10"
    url = ""                                  # the original publication, when known
    seen_at = "https://news.az/..."           # the copy where the text was read
    metric = "zone_share_pct"
    zone = "east"
    value = "53"          # as written: "53" means 52.5 to 53.5
    op = "="              # = > < >= <= (default: from the text's words, else =)
    approx = false        # default: true when a hedge word stands before the figure

**Stated interval.** A value's precision is the unit of its last written digit:
``"53"`` -> 1 (52.5-53.5), ``"54.5"`` -> 0.1 (54.45-54.55), ``"54.50"`` -> 0.01. Write
the value as a string to keep trailing zeros (TOML reads ``53.0`` and ``53.00`` as the
same float, whose shortest form ``53.0`` gives 0.1; an integer gives 1), or give
``precision`` (the unit of the last digit). ``tolerance`` (a half-width, in the metric's
unit) overrides both. ``approx = true`` widens the half-width to
``max(one unit of the last digit, APPROX_REL x |value|)``: "about 155" is 147.25-162.75,
"about 10" is 9-11. A two-element list is a stated range (``value = [50, 58]``, op ``=``).

**Hedges.** When a claim sets no ``approx``/``op``, the words right before its figure
in ``text`` set them, with a note naming the word ("about", "around", "some",
"roughly", "nearly", "almost", "approximately", "~" -> approx; "more than", "over",
"at least", "less than", "under", "up to" -> op; see
:func:`geo.claims.intervals.infer_hedge`). Explicit fields win; one that contradicts the
text is reported in ``Claim.lint`` (and by ``gazamap check`` on stderr).

**Computed interval.** The computation's own uncertainty widens the computed value into
an interval: the line's positional uncertainty (the line moved by -u and +u metres), the
outline's resolution (each zone's stretch of the outline moved by ± the outline's
uncertainty, independently), the 100 m border classification tolerance at the ends of
each border stretch and the spread of a border's length over the outline's level of
detail, and, for the arithmetic of stated numbers, the rounding of those numbers.

**Verdict.** ``consistent`` when some value of the computed interval and some value of
the stated interval satisfy ``op``; ``inconsistent`` when none does; ``not-checkable``
when the data the claim needs does not exist (a line with no public geometry, population
or marker data), with the reason (a claim's own ``reason`` field first). Each verdict
carries its **margin**: how far the stated value lies inside (+) or outside (-) the
computed interval, in the metric's unit; a consistent verdict with a margin below
``BORDERLINE_REL`` (10 %) of the stated half-width is **borderline**.

The package: :mod:`~geo.claims.fields` (the metrics and their fields, checked),
:mod:`~geo.claims.ledger` (:class:`Claim`, :class:`Ledger`), :mod:`~geo.claims.parse`
(TOML tables into a ledger, the sandbox of its files), :mod:`~geo.claims.intervals`
(stated intervals, hedges, operators), :mod:`~geo.claims.computed` (what a metric gives
back), :mod:`~geo.claims.metrics` and :mod:`~geo.claims.shape` (what is computed for each
metric), :mod:`~geo.claims.verdict` (verdicts), :mod:`~geo.claims.evaluate` (the
evaluator) and ``_figures`` (the one door to the analysis).
"""

from __future__ import annotations

from geo.claims._figures import NotCheckable
from geo.claims.computed import Computed
from geo.claims.evaluate import Evaluator, check_ledger, evaluate_claim
from geo.claims.fields import METRICS
from geo.claims.intervals import APPROX_REL, OPS, Stated, stated_interval
from geo.claims.ledger import Claim, Ledger, LineVersion, line_versions
from geo.claims.parse import LEDGER_DIR, ledger_path, load_ledger, parse_ledger, shipped_ledgers
from geo.claims.verdict import VERDICTS, LedgerResult, Verdict, VerdictCounts

__all__ = [
    "APPROX_REL",
    "LEDGER_DIR",
    "METRICS",
    "OPS",
    "VERDICTS",
    "Claim",
    "Computed",
    "Evaluator",
    "Ledger",
    "LedgerResult",
    "LineVersion",
    "NotCheckable",
    "Stated",
    "Verdict",
    "VerdictCounts",
    "check_ledger",
    "evaluate_claim",
    "ledger_path",
    "line_versions",
    "load_ledger",
    "parse_ledger",
    "shipped_ledgers",
    "stated_interval",
]
