"""Evaluation: a verdict for each claim of a ledger (:class:`Evaluator`, :func:`check_ledger`).

**Verdict.** ``consistent`` when some value of the computed interval and some value of
the stated interval satisfy ``op``; ``inconsistent`` when none does; ``not-checkable``
when the data the claim needs does not exist (a line with no public geometry, population
or marker data), with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from geo.analysis import Analysis
from geo.catalog import Catalog
from geo.claims._figures import Figures, Lines, NotCheckable
from geo.claims.intervals import Stated, is_borderline, margin, satisfied
from geo.claims.ledger import METRICS, Claim, Ledger, load_ledger
from geo.claims.metrics import METRIC_FUNCS, Computed, Target
from geo.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source

__all__ = [
    "VERDICTS",
    "Evaluator",
    "LedgerResult",
    "Verdict",
    "check_ledger",
    "evaluate_claim",
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
    # "checked against X, the version in force on DATE" when the date chose the version
    version_note: str = ""

    @property
    def borderline(self) -> bool:
        """A consistent verdict whose margin is under a tenth of the stated half-width.

        See :data:`geo.claims.intervals.BORDERLINE_REL`.
        """
        half = _half_width(self.claim.stated)
        return (self.verdict == "consistent" and self.margin is not None
                and half is not None and is_borderline(self.margin, half))

    @property
    def verdict_label(self) -> str:
        """The verdict as tables show it: ``consistent (borderline)`` near an edge."""
        return f"{self.verdict} (borderline)" if self.borderline else self.verdict

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

    def summary(self) -> str:
        """One line explaining the verdict."""
        c, s = self.computed, self.claim.stated
        if self.verdict == "not-checkable" or c is None:
            return f"not checkable: {self.reason}"
        word = "fits" if self.verdict == "consistent" else "does not fit"
        if isinstance(c.value, bool):
            got = " or ".join(str(p).lower() for p in c.possible)
            return (f"computed {got} with the line as given and offset by its uncertainty; "
                    f"{word} stated {s.text}")
        u = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        rng = ("" if c.low is None or c.high is None or (c.low == c.high == c.value)
               else f" (interval {self.fmt(c.low)}–{self.fmt(c.high)})")
        stated = f"{self.claim.op} {s.text}{u} ({self.fmt(s.low)}–{self.fmt(s.high)})"
        text = f"computed {self.fmt(c.value)}{u}{rng} {word} stated {stated}"
        if self.margin is not None:
            side = "inside" if self.margin >= 0 else "outside"
            text += f"; the stated value lies {self._fmt_margin()}{u} {side} the interval"
            if self.borderline:
                text += " (borderline: near the edge of what the words allow)"
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
            "method": self.method,
            "reason": self.reason or None,
            "version_note": self.version_note or None,
            "datasets": [] if c is None else list(c.datasets),
            "summary": self.summary(),
            "fields": dict(self.claim.fields),
        }


@dataclass(frozen=True)
class LedgerResult:
    """The verdicts of a ledger, in ledger order."""

    ledger: Ledger
    verdicts: tuple[Verdict, ...]

    @property
    def any_inconsistent(self) -> bool:
        """True when some claim is inconsistent (``gazamap check`` exits 1)."""
        return any(v.verdict == "inconsistent" for v in self.verdicts)

    def counts(self) -> dict[str, int]:
        """Number of claims per verdict."""
        return {k: sum(v.verdict == k for v in self.verdicts) for k in VERDICTS}

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


def _difference(c: Computed, s: Stated) -> float | None:
    if isinstance(c.value, bool) or s.value is None or isinstance(s.value, bool):
        return None
    if isinstance(s.value, tuple):
        lo, hi = s.value
        return 0.0 if lo <= c.value <= hi else c.value - (lo if c.value < lo else hi)
    return c.value - s.value



class Evaluator:
    """Evaluates claims, computing each (line, boundary) partition once.

    Parameters
    ----------
    line, boundary : str or geo.sources.Source, optional
        Defaults for claims (and ledgers) that name none: a dataset id, a file, or an
        already resolved source (e.g. a line built from markers).
    read_options : dict, optional
        Passed to :func:`geo.sources.resolve` for files.
    catalog : geo.catalog.Catalog, optional
        Where dataset ids are looked up (default: packaged plus ``GAZAMAP_DATA_DIR``).
    uncertainty_m : float, optional
        The lines' positional uncertainty for claims that state none (default: each
        line's catalog value; none for a file).
    analysis : geo.analysis.Analysis, optional
        An analysis already computed (a report's): claims on its lines and outline read
        it instead of computing their own. Its lines, boundary, catalog, read options and
        uncertainty become the defaults.
    """

    def __init__(self, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None,
                 uncertainty_m: float | None = None,
                 analysis: Analysis | None = None):
        if analysis is not None:
            req = analysis.request
            catalog, read_options = req.catalog, req.read.kwargs()
            given = {s.uncertainty_m for s in req.lines}
            uncertainty_m = given.pop() if len(given) == 1 else uncertainty_m
        self.figures = Figures(catalog=catalog, read_options=read_options)
        self.uncertainty_m = uncertainty_m
        lines: Lines | None = None
        if analysis is not None:
            keys = tuple(self.figures.register(ln.source, "line") for ln in analysis.lines)
            lines = keys[0] if len(keys) == 1 else keys
            boundary = self.figures.register(analysis.boundary, "boundary")
            self.figures.seed(lines, boundary, uncertainty_m, analysis)
        elif isinstance(line, Source):
            # a resolved source (e.g. a line built from markers) is registered by its label
            lines = self.figures.register(line, "line")
        elif line:
            lines = line
        if isinstance(boundary, Source):
            boundary = self.figures.register(boundary, "boundary")
        self.line: Lines = lines if lines is not None else DEFAULT_LINE
        self.boundary = boundary or DEFAULT_BOUNDARY

    # -- claims ---------------------------------------------------------------

    def evaluate(self, claim: Claim, ledger: Ledger | None = None) -> Verdict:
        """The verdict for one claim."""
        if claim.metric == "none":
            return Verdict(claim, "not-checkable", None, None, str(claim.fields["reason"]))
        try:
            target = self.target(claim, ledger)
            computed = METRIC_FUNCS[claim.metric](self.figures, claim, target)
        except NotCheckable as exc:
            given = claim.fields.get("reason")
            return Verdict(claim, "not-checkable", None, None,
                           f"{given} ({exc})" if given else str(exc))
        s = claim.stated
        named = self._named_line(claim, ledger)
        note = (f"checked against {target.line}, the version in force on {claim.date}"
                if isinstance(named, str) and named != target.line else "")
        if isinstance(computed.value, bool):
            ok = s.value in computed.possible
        else:
            assert s.low is not None and s.high is not None
            c_lo = computed.low if computed.low is not None else computed.value
            c_hi = computed.high if computed.high is not None else computed.value
            ok = satisfied(claim.op, c_lo, c_hi, s.low, s.high)
            v_lo, v_hi = s.value if isinstance(s.value, tuple) else (s.value, s.value)
            assert isinstance(v_lo, float) and isinstance(v_hi, float)
            m = margin(claim.op, c_lo, c_hi, v_lo, v_hi)
            return Verdict(claim, "consistent" if ok else "inconsistent", computed,
                           _difference(computed, s), margin=m, version_note=note)
        return Verdict(claim, "consistent" if ok else "inconsistent", computed,
                       _difference(computed, s), version_note=note)

    def check(self, ledger: Ledger) -> LedgerResult:
        """Verdicts for every claim of a ledger."""
        return LedgerResult(ledger, tuple(self.evaluate(c, ledger) for c in ledger))

    def target(self, claim: Claim, ledger: Ledger | None = None) -> Target:
        """The line, boundary and uncertainty a claim is checked against.

        Precedence: the claim's fields, then the ledger's ``[ledger]`` table, then this
        evaluator's defaults.
        """
        f = claim.fields
        line = self._named_line(claim, ledger)
        boundary = f.get("boundary") or (ledger.boundary if ledger else None) or self.boundary
        u = f.get("uncertainty_m", self.uncertainty_m)
        if isinstance(line, str) and claim.date:
            line = self._dated(line, claim.date)
        return Target(tuple(line) if isinstance(line, list) else line, boundary,
                      None if u is None else float(u))


    def _named_line(self, claim: Claim, ledger: Ledger | None) -> Lines:
        line = claim.fields.get("line") or (ledger.line if ledger else None) or self.line
        return tuple(line) if isinstance(line, list) else line

    def _dated(self, line: str, when: str) -> str:
        """A bare line id of several versions read as the version in force on ``when``.

        A dataset id without ``@version`` whose catalog holds more than one version of a
        line: the newest dated on or before the claim's date (:mod:`geo.timeline`).
        """
        from geo.sources import looks_like_path
        from geo.timeline import line_versions_of, version_in_force

        if "@" in line or looks_like_path(line):
            return line
        from geo.catalog import default_catalog

        cat = self.figures.catalog or default_catalog()
        if len(cat.versions(line)) < 2:
            return line
        ds, reason = version_in_force(line_versions_of(cat, line), when)
        if ds is None:
            raise NotCheckable(reason)
        return ds.ref


def evaluate_claim(claim: Claim, evaluator: Evaluator | None = None) -> Verdict:
    """The verdict for one claim (a fresh :class:`Evaluator` unless one is given)."""
    return (evaluator or Evaluator()).evaluate(claim)


def check_ledger(ledger: Ledger | str | Path, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None,
                 uncertainty_m: float | None = None,
                 analysis: Analysis | None = None) -> LedgerResult:
    """Load a ledger (file or shipped name) and evaluate every claim.

    ``line`` and ``boundary`` apply to claims that name none and whose ledger names none
    (precedence: claim, then ``[ledger]``, then these, then the packaged defaults);
    ``uncertainty_m`` to claims that state none. ``analysis`` (see :class:`Evaluator`)
    gives all of these at once and its figures.

    Examples
    --------
    >>> from geo.claims import parse_ledger
    >>> res = check_ledger(parse_ledger({"claim": [
    ...     {"id": "x", "text": "155 + 210 = 365", "source": "test", "metric": "sum",
    ...      "values": [155, 210], "value": 365}]}))
    >>> [(v.id, v.verdict, v.computed.value) for v in res.verdicts]
    [('x', 'consistent', 365.0)]
    """
    led = ledger if isinstance(ledger, Ledger) else load_ledger(ledger)
    return Evaluator(line=line, boundary=boundary, read_options=read_options,
                     catalog=catalog, uncertainty_m=uncertainty_m,
                     analysis=analysis).check(led)
