"""What a verdict says: :class:`Verdict` for one claim, :class:`LedgerResult` for a ledger.

**Verdict.** ``consistent`` when some value of the computed interval and some value of
the stated interval satisfy ``op``; ``inconsistent`` when none does; ``not-checkable``
when the data the claim needs does not exist, with the reason. :func:`judged` makes the
verdict of a computed value (and its readings: the one that fits best is named).

**Derived claims.** ``derived = true`` marks the ledger's own arithmetic on a published
figure (not a published figure): its verdict is a check of the ledger, reported apart and
left out of :meth:`LedgerResult.counts` and of :attr:`LedgerResult.any_inconsistent`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal

from geo.claims.computed import READING_WORDS, Computed
from geo.claims.fields import METRICS
from geo.claims.intervals import Stated, is_borderline, margin, satisfied, stated_interval
from geo.claims.ledger import Claim, Ledger
from geo.read.sources import Source

__all__ = [
    "VERDICTS",
    "LedgerResult",
    "Verdict",
    "VerdictCounts",
    "judged",
]

VERDICTS = ("consistent", "inconsistent", "not-checkable")
VerdictName = Literal["consistent", "inconsistent", "not-checkable"]


@dataclass(frozen=True)
class Verdict:
    """The outcome for one claim; :meth:`to_dict` is the JSON contract of ``gazamap check``."""

    claim: Claim
    verdict: VerdictName
    computed: Computed | None
    difference: float | None
    reason: str = ""
    margin: float | None = None
    # every reading computed: (reading, computed, fits); the verdict's is `computed`
    readings: tuple[tuple[str, Computed, bool], ...] = ()
    # "checked against X, the version in force on DATE" when the date chose the version
    version_note: str = ""
    # checked on the evaluator's line (the claim and its ledger name none)
    on_default_line: bool = False

    @cached_property
    def borderline(self) -> bool:
        """A consistent verdict whose margin is under a tenth of the stated half-width.

        See :data:`geo.claims.intervals.BORDERLINE_REL`. A rounding that is exact (the
        computed value itself rounds to the figure as written, e.g. 33.5 / 365 = 9.178
        written "9.2 %", or 6.48 km written "about 6.5") is never borderline; "about"
        widens what the words allow, not what rounds to the figure.
        """
        half = _half_width(self.claim.stated)
        c = self.computed
        exact = False
        if c is not None and not isinstance(c.value, bool):
            try:
                r = stated_interval(self.claim.value, precision=self.claim.precision)
            except ValueError:
                r = None
            exact = (r is not None and r.low is not None and r.high is not None
                     and r.low <= c.value <= r.high)
        return (self.verdict == "consistent" and self.margin is not None and not exact
                and half is not None and is_borderline(self.margin, half))

    @property
    def counted(self) -> bool:
        """False for a derived claim: a check of the ledger, not of a published figure."""
        return not self.claim.derived

    @property
    def verdict_label(self) -> str:
        """The verdict as tables show it: ``consistent (borderline)`` near an edge."""
        label = f"{self.verdict} (borderline)" if self.borderline else self.verdict
        if self.readings and self.computed is not None and self.verdict == "consistent":
            label += f" as {self.computed.reading}"
        if self.claim.derived:
            label += " [derived]"
        return label

    @property
    def id(self) -> str:
        """The claim's id."""
        return self.claim.id

    @property
    def unit(self) -> str:
        """The metric's unit (``%``, ``km²``, ``km``, ``m`` or empty)."""
        return METRICS[self.claim.metric].unit

    @property
    def method(self) -> str:
        """How the value was computed, or why it could not be."""
        return self.computed.method if self.computed else self.reason

    def fmt(self, x: float | bool | None) -> str:
        """A number at one decimal more than the stated value has (for tables)."""
        if x is None:
            return "?"
        if isinstance(x, bool):
            return str(x).lower()
        text = self.claim.stated.text.split("–")[-1]
        nd = len(text.split(".")[1]) if "." in text else 0
        return f"{x:.{min(nd + 1, 4)}f}"

    def interval_text(self) -> str:
        """The computed interval in words: the figure's own, then what the check adds.

        ``50.4–57.9`` (the interval of ``gazamap areas``), or ``50.4–57.9; 50.2–58.1 with
        the outline's ±10 m`` when the check widens it, or only the checked interval
        named by what it adds when the figure has none of its own.
        """
        c = self.computed
        if c is None or c.low is None or c.high is None or isinstance(c.value, bool):
            return ""
        checked = f"{self.fmt(c.low)}–{self.fmt(c.high)}"
        if c.interval is None:
            if c.low == c.high:
                return ""
            return checked + (f" from {c.adds}" if c.adds else "")
        own = f"{self.fmt(c.interval[0])}–{self.fmt(c.interval[1])}"
        if own == checked or not c.adds:
            return own
        return f"{own}; {checked} with {c.adds}"

    def summary(self) -> str:
        """One line explaining the verdict (it says "fits" only inside the interval)."""
        c, s = self.computed, self.claim.stated
        if self.verdict == "not-checkable" or c is None:
            return f"not checkable: {self.reason}"
        if isinstance(c.value, bool):
            word = "fits" if self.verdict == "consistent" else "does not fit"
            got = " or ".join(str(p).lower() for p in c.possible)
            return (f"computed {got} with the line as given and moved by its uncertainty; "
                    f"{word} stated {s.text}")
        u = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        iv = self.interval_text()
        what = ("mean of three methods, " if self.claim.metric == "population_share_pct"
                else "")
        rng = f" ({what}interval {iv})" if iv else ""
        stated = f"{self.claim.op} {s.text}{u} ({self.fmt(s.low)}–{self.fmt(s.high)})"
        text = f"computed {self.fmt(c.value)}{u}{rng}"
        if c.reading:
            text = f"read as {READING_WORDS.get(c.reading, c.reading)}: " + text
        m = self.margin
        if self.verdict == "inconsistent":
            text += f" does not fit stated {stated}"
            if m is not None:
                text += f"; the stated value lies {self._fmt_margin()}{u} outside the interval"
        elif m is None or m >= 0:
            text += f" fits stated {stated}"
            if m is not None:
                text += f"; the stated value lies {self._fmt_margin()}{u} inside the interval"
        else:
            text += (f"; stated {stated}: the stated value lies {self._fmt_margin()}{u} "
                     "outside the interval, and what its words allow reaches into it: "
                     "consistent only through the precision or hedge of the stated figure")
        if self.borderline:
            text += " (borderline: near the edge of what the words allow)"
        others = [(n, x, ok) for n, x, ok in self.readings if n != c.reading]
        if others:
            text += "; other readings: " + "; ".join(
                f"{READING_WORDS.get(n, n)} {self.fmt(x.value)}{u} "
                f"({'fits' if ok else 'does not fit'})" for n, x, ok in others)
        if self.claim.derived:
            text += " [derived: the ledger's own arithmetic, a check of the ledger]"
        return text + (f"; {self.version_note}" if self.version_note else "")

    def _fmt_margin(self) -> str:
        m = abs(self.margin or 0.0)
        return f"{m:.2g}" if m < 0.01 else self.fmt(m)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: id, verdict, stated, computed, difference, interval, method, ..."""
        c, s = self.computed, self.claim.stated
        stated: Any = list(s.value) if isinstance(s.value, tuple) else s.value
        return {
            "id": self.claim.id,
            "metric": self.claim.metric,
            "text": self.claim.text,
            "source": self.claim.source,
            "date": self.claim.date,
            "url": self.claim.url,
            "outlet": self.claim.outlet or None,
            "copy": self.claim.copy or None,
            "seen_at": self.claim.seen_at or None,
            "provenance": self.claim.provenance,
            "note": self.claim.note,
            "hedge": list(self.claim.hedge_notes),
            "lint": list(self.claim.lint),
            "verdict": self.verdict,
            "op": self.claim.op,
            "approx": self.claim.approx,
            "stated": stated,
            "stated_text": s.text,
            "stated_interval": None if s.low is None else [s.low, s.high],
            "stated_rule": s.rule,
            "unit": self.unit,
            "computed": None if c is None else c.value,
            "interval": (None if c is None or c.low is None else [c.low, c.high]),
            "possible": None if c is None or not c.possible else list(c.possible),
            "difference": self.difference,
            "margin": self.margin,
            "borderline": self.borderline,
            "interval_own": (None if c is None or c.interval is None else list(c.interval)),
            "interval_adds": (c.adds or None) if c is not None else None,
            "reading": (c.reading or None) if c is not None else None,
            "readings": [{"reading": n, "computed": x.value,
                          "interval": None if x.low is None else [x.low, x.high],
                          "fits": ok, "method": x.method} for n, x, ok in self.readings],
            "version": self.claim.version or None,
            "derived": self.claim.derived,
            "counted": self.counted,
            "method": self.method,
            "reason": self.reason or None,
            "version_note": self.version_note or None,
            "datasets": [] if c is None else list(c.datasets),
            "summary": self.summary(),
            "fields": self.claim.public_fields(),
        }


@dataclass(frozen=True)
class VerdictCounts:
    """How many published claims of a ledger got each verdict."""

    consistent: int
    inconsistent: int
    not_checkable: int

    @property
    def total(self) -> int:
        """Every published claim (derived checks of the ledger are not counted)."""
        return self.consistent + self.inconsistent + self.not_checkable


@dataclass(frozen=True)
class LedgerResult:
    """The verdicts of a ledger, in ledger order."""

    ledger: Ledger
    verdicts: tuple[Verdict, ...]
    # every line and outline the verdicts were computed on, resolved once (files anchored
    # to the ledger's folder): readers name them by these, never by reading a path again
    sources: tuple[Source, ...] = ()

    @property
    def any_inconsistent(self) -> bool:
        """True when some published claim is inconsistent (``gazamap check`` exits 1).

        Derived claims (the ledger's own arithmetic) do not count.
        """
        return any(v.verdict == "inconsistent" and v.counted for v in self.verdicts)

    def counts(self) -> VerdictCounts:
        """Number of published claims per verdict (derived claims left out)."""
        def n(name: VerdictName) -> int:
            return sum(v.verdict == name and v.counted for v in self.verdicts)

        return VerdictCounts(n("consistent"), n("inconsistent"), n("not-checkable"))

    @property
    def derived(self) -> tuple[Verdict, ...]:
        """The verdicts of derived claims: checks of the ledger, not of published figures."""
        return tuple(v for v in self.verdicts if not v.counted)

    @property
    def warnings(self) -> list[str]:
        """Lint of the ledger: explicit fields that contradict the words of a claim."""
        src = self.ledger.path or "ledger"
        return [f"{src}, claim {v.id!r}: {w}" for v in self.verdicts for w in v.claim.lint]

    def to_list(self) -> list[dict[str, Any]]:
        """The JSON contract: a list of verdict objects."""
        return [v.to_dict() for v in self.verdicts]



def _half_width(s: Stated) -> float | None:
    """The stated interval's half-width around the value (or range) as written."""
    if s.low is None or s.high is None or s.value is None or isinstance(s.value, bool):
        return None
    v_lo, v_hi = s.value if isinstance(s.value, tuple) else (s.value, s.value)
    return ((v_lo - s.low) + (s.high - v_hi)) / 2


def _judge(claim: Claim, computed: Computed) -> tuple[bool, float | None]:
    """Whether a computed value fits the claim, and the margin (None for yes/no)."""
    s = claim.stated
    if isinstance(computed.value, bool):
        return s.value in computed.possible, None
    assert s.low is not None and s.high is not None
    c_lo = computed.low if computed.low is not None else computed.value
    c_hi = computed.high if computed.high is not None else computed.value
    v_lo, v_hi = s.value if isinstance(s.value, tuple) else (s.value, s.value)
    assert isinstance(v_lo, float) and isinstance(v_hi, float)
    return (satisfied(claim.op, c_lo, c_hi, s.low, s.high),
            margin(claim.op, c_lo, c_hi, v_lo, v_hi))


def _difference(c: Computed, s: Stated) -> float | None:
    if isinstance(c.value, bool) or s.value is None or isinstance(s.value, bool):
        return None
    if isinstance(s.value, tuple):
        lo, hi = s.value
        return 0.0 if lo <= c.value <= hi else c.value - (lo if c.value < lo else hi)
    return c.value - s.value


def judged(claim: Claim, computed: Computed, version_note: str = "") -> Verdict:
    """The verdict of a computed value: consistent when it (or one of its readings) fits.

    The reading that fits best (largest margin), else the nearest miss: the verdict
    names the reading it rests on and lists every reading computed.
    """
    tried = [(x, *_judge(claim, x)) for x in (computed, *computed.readings)]
    fitting = [j for j in tried if j[1]] or tried
    best = max(fitting, key=lambda j: -math.inf if j[2] is None else j[2])
    chosen, ok, m = best
    readings = (tuple((x.reading, x, fits) for x, fits, _ in tried)
                if len(tried) > 1 else ())
    return Verdict(claim, "consistent" if ok else "inconsistent",
                   replace(chosen, readings=()), _difference(chosen, claim.stated),
                   margin=m, readings=readings, version_note=version_note)
