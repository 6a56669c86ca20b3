"""Claims ledger: published statements in TOML, checked against the datasets with verdicts.

A ledger is a TOML file with an optional ``[ledger]`` table (``title``, ``description``,
default ``line`` and ``boundary``) and one ``[[claim]]`` table per statement::

    [[claim]]
    id = "C05"
    text = "the IDF will remain in control of ... 53 percent"
    source = "Times of Israel"
    date = "2025-10-10"
    url = "https://..."
    metric = "zone_share_pct"
    zone = "east"
    value = "53"          # as written: "53" means 52.5 to 53.5
    op = "="              # = > < >= <= (default =)
    approx = false        # true for "about", "nearly", "roughly"

**Stated interval.** A value's precision is the unit of its last written digit:
``"53"`` -> 1 (52.5-53.5), ``"54.5"`` -> 0.1 (54.45-54.55), ``"54.50"`` -> 0.01. Write
the value as a string to keep trailing zeros (TOML reads ``53.0`` and ``53.00`` as the
same float, whose shortest form ``53.0`` gives 0.1; an integer gives 1), or give
``precision`` (the unit of the last digit). ``tolerance`` (a half-width, in the metric's
unit) overrides both. ``approx = true`` widens the half-width to
``max(one unit of the last digit, APPROX_REL x |value|)``: "about 155" is 147.25-162.75,
"about 10" is 9-11. A two-element list is a stated range (``value = [50, 58]``, op ``=``).

**Computed interval.** The computation's own uncertainty widens the computed value into
an interval: the line's positional uncertainty (the line moved by -u and +u metres, as
in :func:`geo.areas.compute_areas`), the outline's resolution (each
zone's stretch of the outline moved by ± the outline's uncertainty, independently), the
100 m border classification tolerance at the ends of each border stretch, and, for the
arithmetic of stated numbers, the rounding of those numbers.

**Verdict.** ``consistent`` when some value of the computed interval and some value of
the stated interval satisfy ``op``; ``inconsistent`` when none does; ``not-checkable``
when the data the claim needs does not exist (a line with no public geometry, population
or marker data), with the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import shapely

from geo.areas import AreaReport, band_area_km2, compute_areas
from geo.borders import BORDER_KINDS, CLASSIFY_TOLERANCE_M
from geo.catalog import Catalog
from geo.errors import DatasetNotFoundError, InputError, LedgerError
from geo.measure import geodesic_area_m2, geodesic_length_m
from geo.partition import DEFAULT_SNAP_TOLERANCE_M, offset_line
from geo.sources import (
    DEFAULT_BOUNDARY,
    DEFAULT_LINE,
    Source,
    borders_for,
    governorates,
    looks_like_path,
    resolve,
)

__all__ = [
    "APPROX_REL",
    "LEDGER_DIR",
    "METRICS",
    "OPS",
    "VERDICTS",
    "Claim",
    "Computed",
    "Ledger",
    "LedgerResult",
    "Stated",
    "Verdict",
    "Evaluator",
    "check_ledger",
    "evaluate_claim",
    "ledger_path",
    "load_ledger",
    "parse_ledger",
    "shipped_ledgers",
    "stated_interval",
]

LEDGER_DIR = Path(__file__).parent / "data" / "ledgers"
# "about", "nearly", "roughly": 5 % either side, or one unit of the last digit if wider.
# 5 % is how far apart published rounded shares of the same map lie (53.3 % of 365 km²
# vs 54.2 % of the measured outline) -- a reader who says "about" allows at least that.
APPROX_REL = 0.05
OPS = ("=", ">", "<", ">=", "<=")
VERDICTS = ("consistent", "inconsistent", "not-checkable")
Op = Literal["=", ">", "<", ">=", "<="]
VerdictName = Literal["consistent", "inconsistent", "not-checkable"]
ZONES = ("east", "west")
_EPS = 1e-9  # relative slack so that 155 + 210 == 365 survives floating point

_COMMON = frozenset({"id", "text", "source", "date", "url", "metric", "value", "op",
                     "tolerance", "precision", "approx", "note"})
_LINE_FIELDS = ("line", "boundary", "uncertainty_m")


@dataclass(frozen=True)
class _MetricSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    unit: str
    kind: Literal["number", "bool", "any"]
    description: str


METRICS: dict[str, _MetricSpec] = {
    "zone_share_pct": _MetricSpec(
        ("zone",), (*_LINE_FIELDS, "denominator_km2"), "%", "number",
        "share of a zone (east|west) in % of the measured outline, or of denominator_km2"),
    "zone_area_km2": _MetricSpec(("zone",), _LINE_FIELDS, "km²", "number",
                                 "geodesic area of a zone (east|west)"),
    "total_area_km2": _MetricSpec((), ("boundary",), "km²", "number",
                                  "geodesic area of the outline (inland ponds filled or not)"),
    "governorate_share_pct": _MetricSpec(
        ("governorate", "zone"), _LINE_FIELDS, "%", "number",
        "share of a governorate in a zone, in % of the governorate"),
    "border_length_km": _MetricSpec(
        ("with",), ("zone", *_LINE_FIELDS), "km", "number",
        "length of the outline along israel|egypt|sea, of the whole Strip or of a zone"),
    "shares_border": _MetricSpec(("zone", "with"), _LINE_FIELDS, "", "bool",
                                 "whether a zone has a border with israel|egypt|sea"),
    "band_area_km2": _MetricSpec(("with", "width_m"), ("boundary",), "km²", "number",
                                 "land within width_m of the israel|egypt border"),
    "percent_of": _MetricSpec(("part", "whole"), (), "%", "number",
                              "part / whole x 100, the arithmetic of stated numbers"),
    "sum": _MetricSpec(("values",), (), "", "number",
                       "the sum of stated numbers"),
    "population_share_pct": _MetricSpec(("zone",), ("line", "population"), "%", "number",
                                        "share of the population living in a zone"),
    "marker_offset_m": _MetricSpec((), ("stat", "markers", "line"), "m", "number",
                                   "distance of the yellow blocks on the ground from the line"),
    "none": _MetricSpec(("reason",), ("quantity",), "", "any",
                        "a statement gazamap has no metric for; reason says why"),
}


# ---------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class Stated:
    """A stated value with the interval its precision allows.

    ``value`` is a number, a bool, or a ``(low, high)`` stated range; ``low``/``high``
    bound what the words allow (``None`` for a bool); ``rule`` says how.
    """

    value: float | bool | tuple[float, float] | None
    text: str
    low: float | None
    high: float | None
    rule: str


@dataclass(frozen=True)
class Claim:
    """One ``[[claim]]`` of a ledger; ``fields`` holds the metric's own fields."""

    id: str
    text: str
    source: str
    metric: str
    value: Any
    op: str = "="
    date: str = ""
    url: str = ""
    note: str = ""
    approx: bool = False
    tolerance: float | None = None
    precision: float | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def stated(self) -> Stated:
        """The stated value and its interval (see the module docstring)."""
        try:
            return stated_interval(self.value, approx=self.approx, tolerance=self.tolerance,
                                   precision=self.precision)
        except ValueError:  # metric "none" takes any value (a date, a word)
            v = self.value
            text = "–".join(map(str, v)) if isinstance(v, list) else str(v)
            return Stated(None, text, None, None, "not a number")

    def to_dict(self) -> dict[str, Any]:
        """The claim as written (for JSON outputs)."""
        return {"id": self.id, "text": self.text, "source": self.source, "date": self.date,
                "url": self.url, "note": self.note, "metric": self.metric, "op": self.op,
                "approx": self.approx, **dict(self.fields)}


@dataclass(frozen=True)
class Ledger:
    """A parsed ledger: its claims, defaults and where it was read from."""

    claims: tuple[Claim, ...]
    path: str = ""
    title: str = ""
    description: str = ""
    line: str | None = None
    boundary: str | None = None

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)


def _err(where: str, cid: str | None, fld: str | None, problem: str, fix: str) -> LedgerError:
    parts = [where or "ledger"]
    if cid is not None:
        parts.append(f"claim {cid!r}")
    if fld is not None:
        parts.append(f"field {fld!r}")
    return LedgerError(problem, source=", ".join(parts), fix=fix)


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    if isinstance(raw, str):
        s = raw.strip().replace("_", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
            return None
        try:
            return Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern already refused it
            return None
    return None


def _unit(d: Decimal) -> float:
    exp = d.as_tuple().exponent
    return float(Decimal(1).scaleb(exp if isinstance(exp, int) else 0))


def _number_interval(raw: Any) -> tuple[float, float, float]:
    """``(value, low, high)`` of a number as written: ± half a unit of its last digit.

    >>> _number_interval("54.5")
    (54.5, 54.45, 54.55)
    >>> _number_interval(360)
    (360.0, 359.5, 360.5)
    """
    d = _decimal(raw)
    if d is None:
        raise ValueError(f"{raw!r} is not a number")
    half = _unit(d) / 2
    v = float(d)
    return v, round(v - half, 12), round(v + half, 12)


def stated_interval(value: Any, *, approx: bool = False, tolerance: float | None = None,
                    precision: float | None = None) -> Stated:
    """The interval a stated value allows, from its written precision.

    Examples
    --------
    >>> s = stated_interval("53")
    >>> s.value, s.low, s.high
    (53.0, 52.5, 53.5)
    >>> s = stated_interval(54.5)
    >>> s.low, s.high
    (54.45, 54.55)
    >>> s = stated_interval("155", approx=True)
    >>> s.low, s.high
    (147.25, 162.75)
    >>> stated_interval([50, 58]).low, stated_interval([50, 58]).high
    (49.5, 58.5)
    >>> stated_interval(False).value
    False
    >>> stated_interval("53", tolerance=2).low
    51.0
    """
    if value is None:
        return Stated(None, "", None, None, "no value stated")
    if isinstance(value, bool):
        return Stated(value, str(value).lower(), None, None, "a yes/no statement")
    ends = list(value) if isinstance(value, list | tuple) else [value]
    vals: list[float] = []
    halves: list[float] = []
    texts: list[str] = []
    for raw in ends:
        d = _decimal(raw)
        if d is None:
            raise ValueError(f"{raw!r} is not a number")
        unit = precision if precision is not None else _unit(d)
        v = float(d)
        if tolerance is not None:
            half = float(tolerance)
        elif approx:
            half = max(unit, APPROX_REL * abs(v))
        else:
            half = unit / 2
        vals.append(v)
        halves.append(half)
        texts.append(str(raw).strip() if isinstance(raw, str) else format(d, "f"))
    if tolerance is not None:
        rule = f"± {float(tolerance):g} (tolerance given)"
    elif approx:
        rule = (f"approximate: ± max(one unit of the last digit, {APPROX_REL:.0%} of the "
                "value)")
    elif precision is not None:
        rule = f"± half the stated precision {precision:g}"
    else:
        rule = "± half a unit of the last digit written"
    low = round(vals[0] - halves[0], 12)
    high = round(vals[-1] + halves[-1], 12)
    if len(vals) == 1:
        return Stated(vals[0], texts[0], low, high, rule)
    return Stated((vals[0], vals[1]), f"{texts[0]}–{texts[1]}", low, high, rule)


def _text(raw: Any) -> str:
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw)


def _parse_claim(raw: Any, i: int, where: str) -> Claim:
    if not isinstance(raw, dict):
        raise _err(where, f"#{i + 1}", None, "is not a table",
                   "write each claim as a [[claim]] table")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise _err(where, f"#{i + 1}", "id", f"missing or not a string (got {cid!r})",
                   'give every claim a unique id, e.g. id = "C05"')
    cid = cid.strip()

    def need_str(name: str, required: bool) -> str:
        v = raw.get(name)
        if v is None:
            if required:
                raise _err(where, cid, name, "is missing",
                           f"add {name} = \"...\" to the claim")
            return ""
        if isinstance(v, datetime | date) and name == "date":
            return v.isoformat()
        if not isinstance(v, str) or (required and not v.strip()):
            raise _err(where, cid, name, f"must be a non-empty string, got {v!r}",
                       f"write {name} = \"...\"")
        return v.strip()

    text = need_str("text", True)
    source = need_str("source", True)
    date_s = need_str("date", False)
    url = need_str("url", False)
    note = need_str("note", False)
    metric = raw.get("metric")
    if metric not in METRICS:
        raise _err(where, cid, "metric", f"unknown metric {metric!r}",
                   f"use one of {', '.join(METRICS)}")
    spec = METRICS[metric]
    allowed = _COMMON | set(spec.required) | set(spec.optional)
    for k in raw:
        if k not in allowed:
            raise _err(where, cid, k, f"is not a field of metric {metric!r}",
                       f"{metric} takes {', '.join([*spec.required, *spec.optional]) or 'none'}"
                       " besides the common fields")
    for k in spec.required:
        if k not in raw:
            raise _err(where, cid, k, f"is missing (metric {metric!r} needs it)",
                       f"add {k} = ... ({spec.description})")
    op = raw.get("op", "=")
    if op not in OPS:
        raise _err(where, cid, "op", f"{op!r} is not an operator", f"use one of {' '.join(OPS)}")
    approx = raw.get("approx", False)
    if not isinstance(approx, bool):
        raise _err(where, cid, "approx", f"must be true or false, got {approx!r}",
                   "write approx = true for 'about', 'nearly', 'roughly'")
    tol = _opt_number(raw, "tolerance", where, cid, positive=False)
    prec = _opt_number(raw, "precision", where, cid, positive=True)
    value = raw.get("value")
    if value is None and metric != "none":
        raise _err(where, cid, "value", "is missing", "add value = the stated figure")
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise _err(where, cid, "value", f"must be true or false for {metric}, got {value!r}",
                       "write value = true or value = false")
        if op != "=":
            raise _err(where, cid, "op", f"{op!r} makes no sense for a yes/no metric",
                       "use op = \"=\" or leave op out")
    elif value is not None and spec.kind == "number":
        if isinstance(value, list):
            if len(value) != 2 or op != "=":
                raise _err(where, cid, "value",
                           f"a stated range must have two numbers and op '=', got {value!r}",
                           "write value = [low, high]")
        try:
            stated_interval(value, approx=approx, tolerance=tol, precision=prec)
        except ValueError as exc:
            raise _err(where, cid, "value", str(exc),
                       'write a number as written in the source, e.g. value = "53" or 54.5; '
                       'use approx = true for "about"') from None
    fields = {k: raw[k] for k in (*spec.required, *spec.optional) if k in raw}
    _check_fields(metric, fields, where, cid)
    return Claim(id=cid, text=text, source=source, metric=metric, value=value, op=op,
                 date=date_s, url=url, note=note, approx=approx, tolerance=tol,
                 precision=prec, fields=fields)


def _opt_number(raw: Mapping[str, Any], name: str, where: str, cid: str, *,
                positive: bool) -> float | None:
    v = raw.get(name)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or (
            v <= 0 if positive else v < 0):
        raise _err(where, cid, name,
                   f"must be a {'positive' if positive else 'non-negative'} number, got {v!r}",
                   f"write {name} = 0.5 (in the metric's unit)")
    return float(v)


def _check_fields(metric: str, f: Mapping[str, Any], where: str, cid: str) -> None:
    def choice(name: str, options: Sequence[str]) -> None:
        if name in f and f[name] not in options:
            raise _err(where, cid, name, f"{f[name]!r} is not one of {', '.join(options)}",
                       f"use one of {', '.join(options)}")

    def positive(name: str) -> None:
        v = f.get(name)
        if name in f and (isinstance(v, bool) or not isinstance(v, int | float) or not v > 0):
            raise _err(where, cid, name, f"must be a positive number, got {v!r}",
                       f"write {name} = a number > 0")

    def string(name: str) -> None:
        if name in f and (not isinstance(f[name], str) or not f[name].strip()):
            raise _err(where, cid, name, f"must be a non-empty string, got {f[name]!r}",
                       "give a dataset id (id@version) or a file path")

    def number(name: str) -> None:
        if name in f and _decimal(f[name]) is None:
            raise _err(where, cid, name, f"{f[name]!r} is not a number",
                       'write the number as stated, e.g. 198.8 or "198.8"')

    choice("zone", ZONES)
    choice("with", ("israel", "egypt") if metric == "band_area_km2" else BORDER_KINDS)
    choice("stat", ("mean", "max", "min", "median"))
    positive("width_m")
    positive("denominator_km2")
    for s in ("line", "boundary", "governorate", "markers", "population", "reason", "quantity"):
        string(s)
    if "uncertainty_m" in f:
        v = f["uncertainty_m"]
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            raise _err(where, cid, "uncertainty_m", f"must be a number >= 0, got {v!r}",
                       "give the line's positional uncertainty in metres")
    number("part")
    number("whole")
    if "whole" in f and _decimal(f["whole"]) == 0:
        raise _err(where, cid, "whole", "is zero", "give the whole the part is a share of")
    if metric == "sum":
        vals = f["values"]
        if not isinstance(vals, list) or len(vals) < 2 or any(_decimal(v) is None for v in vals):
            raise _err(where, cid, "values", f"must be a list of two or more numbers, got {vals!r}",
                       'write values = ["155", "210"] as stated')


def parse_ledger(data: Mapping[str, Any], *, path: str = "") -> Ledger:
    """Validate parsed TOML and return a :class:`Ledger`.

    Raises
    ------
    LedgerError
        Naming the ledger, the claim id and the field, with the fix.

    Examples
    --------
    >>> led = parse_ledger({"claim": [{"id": "a", "text": "t", "source": "s",
    ...                                "metric": "sum", "values": [1, 2], "value": 3}]})
    >>> [c.id for c in led]
    ['a']
    >>> parse_ledger({"claim": [{"id": "a", "text": "t", "source": "s", "metric": "sum",
    ...                          "values": [1, 2], "value": 3, "op": "=>"}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.LedgerError: ledger, claim 'a', field 'op': '=>' is not an operator. Fix: ...
    """
    where = path or "ledger"
    unknown = set(data) - {"ledger", "claim"}
    if unknown:
        raise _err(where, None, sorted(unknown)[0], "is not a table of a ledger",
                   "a ledger has an optional [ledger] table and [[claim]] tables")
    head = data.get("ledger", {})
    if not isinstance(head, dict):
        raise _err(where, None, "ledger", "must be a table", "write [ledger] with title = ...")
    claims_raw = data.get("claim", [])
    if not isinstance(claims_raw, list) or not claims_raw:
        raise _err(where, None, "claim", "no [[claim]] tables found",
                   "add at least one [[claim]] table (see `gazamap check --help`)")
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, raw in enumerate(claims_raw):
        c = _parse_claim(raw, i, where)
        if c.id in seen:
            raise _err(where, c.id, "id", "is used by two claims", "give each claim its own id")
        seen.add(c.id)
        claims.append(c)
    for k in ("line", "boundary", "title", "description"):
        if k in head and not isinstance(head[k], str):
            raise _err(where, None, k, f"[ledger] {k} must be a string, got {head[k]!r}",
                       f'write {k} = "..."')
    base = Path(path).parent if path else None

    def anchored(spec: str | None) -> str | None:
        return _anchor(spec, base)

    claims = [_anchor_claim(c, base) for c in claims]
    return Ledger(tuple(claims), path=path, title=head.get("title", ""),
                  description=head.get("description", ""),
                  line=anchored(head.get("line")), boundary=anchored(head.get("boundary")))


def _anchor(spec: str | None, base: Path | None) -> str | None:
    """A relative file path in a ledger is relative to the ledger's folder."""
    if spec is None or base is None or not looks_like_path(spec) or Path(spec).is_absolute():
        return spec
    return str(base / spec)


def _anchor_claim(c: Claim, base: Path | None) -> Claim:
    fields = dict(c.fields)
    for k in ("line", "boundary", "markers", "population"):
        if k in fields:
            fields[k] = _anchor(fields[k], base)
    return Claim(id=c.id, text=c.text, source=c.source, metric=c.metric, value=c.value,
                 op=c.op, date=c.date, url=c.url, note=c.note, approx=c.approx,
                 tolerance=c.tolerance, precision=c.precision, fields=fields)


def shipped_ledgers() -> dict[str, Path]:
    """The ledgers shipped with gazamap, by name (``seed``, ``public``)."""
    return {p.stem: p for p in sorted(LEDGER_DIR.glob("*.toml"))}


def ledger_path(spec: str) -> Path:
    """A ledger file path, or the name of a shipped ledger (``seed``, ``public``).

    An existing file wins over a shipped name.
    """
    p = Path(spec)
    if p.is_file():
        return p
    shipped = shipped_ledgers()
    if spec in shipped:
        return shipped[spec]
    if p.exists():
        raise LedgerError("is not a file", source=spec, fix="give a TOML ledger file")
    raise LedgerError("no such file, and not the name of a shipped ledger", source=spec,
                      fix=f"give a TOML file or one of {', '.join(shipped) or '(none)'}")


def load_ledger(spec: str | Path) -> Ledger:
    """Read and validate a ledger file, or a shipped ledger by name."""
    path = ledger_path(str(spec))
    from geo.io import read_toml

    try:
        data = read_toml(path)  # bounded in size and nesting (issue 9)
    except InputError as exc:
        raise LedgerError(exc.problem, source=exc.source, fix=exc.fix) from None
    return parse_ledger(data, path=str(path))


# ---------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Computed:
    """What gazamap computes for a claim: a central value and the interval it allows.

    For a yes/no metric ``possible`` lists the answers the interval's variants give.
    """

    value: float | bool
    low: float | None
    high: float | None
    method: str
    datasets: tuple[str, ...] = ()
    possible: tuple[bool, ...] = ()


class NotCheckable(Exception):
    """Raised inside a metric when the data it needs does not exist (with the reason)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome for one claim; :meth:`to_dict` is the JSON contract of ``gazamap check``."""

    claim: Claim
    verdict: VerdictName
    computed: Computed | None
    difference: float | None
    reason: str = ""

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
        return f"computed {self.fmt(c.value)}{u}{rng} {word} stated {stated}"

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
            "note": self.claim.note,
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
            "method": self.method,
            "reason": self.reason or None,
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

    def to_list(self) -> list[dict[str, Any]]:
        """The JSON contract: a list of verdict objects."""
        return [v.to_dict() for v in self.verdicts]


def _satisfied(op: str, c_lo: float, c_hi: float, s_lo: float, s_hi: float) -> bool:
    """Whether some computed x in [c_lo, c_hi] and stated y in [s_lo, s_hi] have x op y."""
    eps = _EPS * max(1.0, abs(c_lo), abs(c_hi), abs(s_lo), abs(s_hi))
    if op == "=":
        return c_lo <= s_hi + eps and c_hi >= s_lo - eps
    if op == ">":
        return c_hi > s_lo + eps
    if op == ">=":
        return c_hi >= s_lo - eps
    if op == "<":
        return c_lo < s_hi - eps
    return c_lo <= s_hi + eps  # "<="


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
    """

    def __init__(self, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None):
        self.read_options = dict(read_options or {})
        self.catalog = catalog
        self._sources: dict[tuple[str, str], Source] = {}
        # a resolved source (e.g. a line built from markers) is registered by its label
        if isinstance(line, Source):
            self._sources[(line.label, "line")] = line
            line = line.label
        if isinstance(boundary, Source):
            self._sources[(boundary.label, "boundary")] = boundary
            boundary = boundary.label
        self.line = line or DEFAULT_LINE
        self.boundary = boundary or DEFAULT_BOUNDARY
        self._areas: dict[tuple[str, str, float | None], AreaReport] = {}
        self._variants: dict[tuple[str, str, float | None], list[AreaReport]] = {}

    # -- data -----------------------------------------------------------------

    def source(self, spec: str, kind: str) -> Source:
        """Resolve a dataset id or file once; a missing dataset is not checkable."""
        key = (spec, kind)
        if key not in self._sources:
            try:
                self._sources[key] = resolve(spec, kind, self.catalog, **self.read_options)
            except DatasetNotFoundError as exc:
                raise NotCheckable(
                    f"no geometry for the {kind} {spec!r}: gazamap has no such dataset "
                    f"({exc.problem}); give {kind} = a GeoJSON file to check the claim"
                ) from None
            except InputError as exc:
                raise NotCheckable(f"{kind} {spec!r} cannot be used: {exc.message}") from None
        return self._sources[key]

    def areas(self, line: str, boundary: str, uncertainty_m: float | None = None) -> AreaReport:
        """:func:`geo.areas.compute_areas` for one (line, boundary), cached."""
        key = (line, boundary, uncertainty_m)
        if key not in self._areas:
            b, ln = self.source(boundary, "boundary"), self.source(line, "line")
            try:
                self._areas[key] = compute_areas(b, ln, uncertainty_m=uncertainty_m)
            except InputError as exc:
                raise NotCheckable(f"the line does not partition the outline: "
                                   f"{exc.message}") from None
        return self._areas[key]

    def variants(self, line: str, boundary: str,
                 uncertainty_m: float | None = None) -> list[AreaReport]:
        """The partition by the line as given and offset by -u and +u metres."""
        key = (line, boundary, uncertainty_m)
        if key not in self._variants:
            base = self.areas(line, boundary, uncertainty_m)
            u = float(base.line["uncertainty_m"])
            out = [base]
            part = base.partition
            if part is not None and part.line is not None and u > 0:
                b = self.source(boundary, "boundary")
                for off in (-u, u):
                    src = Source(offset_line(part.line, off), f"{line} offset {off:+g} m")
                    try:
                        out.append(compute_areas(
                            b, src, uncertainty_m=0,
                            snap_tolerance_m=max(3 * u, DEFAULT_SNAP_TOLERANCE_M)))
                    except InputError:
                        continue
            self._variants[key] = out
        return self._variants[key]

    # -- claims ---------------------------------------------------------------

    def evaluate(self, claim: Claim, ledger: Ledger | None = None) -> Verdict:
        """The verdict for one claim."""
        if claim.metric == "none":
            return Verdict(claim, "not-checkable", None, None, str(claim.fields["reason"]))
        try:
            computed = _METRIC_FUNCS[claim.metric](self, claim, ledger)
        except NotCheckable as exc:
            return Verdict(claim, "not-checkable", None, None, str(exc))
        s = claim.stated
        if isinstance(computed.value, bool):
            ok = s.value in computed.possible
        else:
            assert s.low is not None and s.high is not None
            c_lo = computed.low if computed.low is not None else computed.value
            c_hi = computed.high if computed.high is not None else computed.value
            ok = _satisfied(claim.op, c_lo, c_hi, s.low, s.high)
        return Verdict(claim, "consistent" if ok else "inconsistent", computed,
                       _difference(computed, s))

    def check(self, ledger: Ledger) -> LedgerResult:
        """Verdicts for every claim of a ledger."""
        return LedgerResult(ledger, tuple(self.evaluate(c, ledger) for c in ledger))

    # -- helpers for metrics --------------------------------------------------

    def _specs(self, claim: Claim, ledger: Ledger | None) -> tuple[str, str, float | None]:
        f = claim.fields
        line = f.get("line") or (ledger.line if ledger else None) or self.line
        boundary = f.get("boundary") or (ledger.boundary if ledger else None) or self.boundary
        u = f.get("uncertainty_m")
        return line, boundary, None if u is None else float(u)


# ---------------------------------------------------------------------------- metrics


def _refs(rep: AreaReport) -> tuple[str, ...]:
    out = []
    for d in (rep.line, rep.boundary):
        out.append(str(d.get("dataset") or d.get("file")))
    return tuple(out)


def _line_words(rep: AreaReport) -> str:
    ln, b = _refs(rep)
    text = (f"{ln} ({rep.line['method']} method, ±{rep.line['uncertainty_m']:g} m) on {b} "
            f"({rep.boundary['area_km2']:.2f} km² geodesic, WGS84)")
    if rep.line["method"] == "zone-polygon":
        text += ("; zone-polygon method: slivers of the outline outside the polygon count as "
                 "west, so border figures of the zones are unreliable")
    return text


def _outline_u(ev: Evaluator, boundary: str) -> float:
    return ev.source(boundary, "boundary").uncertainty_m


def _zone_edge_km(rep: AreaReport, zone: str) -> float:
    return float(sum(rep.zone(zone)["borders_km"].values()))


def _m_zone_share(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    line, boundary, u = ev._specs(c, led)
    rep = ev.areas(line, boundary, u)
    zid = c.fields["zone"]
    z, other = rep.zone(zid), rep.zone("west" if zid == "east" else "east")
    total = rep.boundary["area_km2"]
    a, b = z["area_km2"], other["area_km2"]
    ub_km = _outline_u(ev, boundary) / 1000
    da, db = _zone_edge_km(rep, zid) * ub_km, _zone_edge_km(rep, other["id"]) * ub_km
    denom = c.fields.get("denominator_km2")
    if denom is None:
        value = z["share_pct"]
        lo, hi = z["share_pct_low"], z["share_pct_high"]
        # each zone's stretch of the outline moved by ±u independently
        res = [100 * (a + sa) / (a + sa + b + sb) for sa in (-da, da) for sb in (-db, db)]
        of = "the measured outline"
    else:
        d = float(denom)
        value = 100 * a / d
        lo, hi = z["share_pct_low"] * total / d, z["share_pct_high"] * total / d
        res = [100 * (a - da) / d, 100 * (a + da) / d]
        of = f"a stated total of {d:g} km²"
    lo -= value - min(res)
    hi += max(res) - value
    method = (f"{zid} zone area / {of}; {_line_words(rep)}; interval: line offset ±u and "
              f"outline ±{_outline_u(ev, boundary):g} m")
    return Computed(value, lo, hi, method, _refs(rep))


def _m_zone_area(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    line, boundary, u = ev._specs(c, led)
    rep = ev.areas(line, boundary, u)
    zid = c.fields["zone"]
    z = rep.zone(zid)
    total = rep.boundary["area_km2"]
    d = _zone_edge_km(rep, zid) * _outline_u(ev, boundary) / 1000
    lo = z["share_pct_low"] * total / 100 - d
    hi = z["share_pct_high"] * total / 100 + d
    method = (f"geodesic area of the {zid} zone; {_line_words(rep)}; interval: line offset "
              f"±u and the zone's outline ±{_outline_u(ev, boundary):g} m")
    return Computed(z["area_km2"], lo, hi, method, _refs(rep))


def _m_total_area(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    _, boundary, _ = ev._specs(c, led)
    src = ev.source(boundary, "boundary")
    geom = src.geometry
    area = geodesic_area_m2(geom) / 1e6
    filled = geodesic_area_m2(shapely.MultiPolygon(
        [shapely.Polygon(p.exterior) for p in shapely.get_parts(geom)
         if isinstance(p, shapely.Polygon)])) / 1e6
    perim_km = sum(geodesic_length_m(p.exterior) for p in shapely.get_parts(geom)
                   if isinstance(p, shapely.Polygon)) / 1000
    d = perim_km * src.uncertainty_m / 1000
    ref = src.dataset.ref if src.dataset else str(src.file)
    method = (f"geodesic area of {ref} (WGS84): {area:.2f} km² without inland ponds, "
              f"{filled:.2f} km² with them filled (published totals include inland water); "
              f"interval: the {perim_km:.0f} km exterior ±{src.uncertainty_m:g} m")
    return Computed(area, area - d, filled + d, method, (ref,))


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9\u0600-\u06ff]", "", s.lower())


def _gov_row(rep: AreaReport, name: str, cid: str) -> dict[str, Any]:
    for g in rep.governorates:
        if _norm(name) in (_norm(str(g.get("name") or "")), _norm(str(g.get("name_ar") or ""))):
            return g
    names = ", ".join(str(g.get("name")) for g in rep.governorates)
    raise LedgerError(f"unknown governorate {name!r}", source=f"claim {cid!r}, field "
                      "'governorate'", fix=f"use one of {names}")


def _m_gov_share(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    line, boundary, u = ev._specs(c, led)
    reps = ev.variants(line, boundary, u)
    zid, name = c.fields["zone"], c.fields["governorate"]
    vals = [_gov_row(r, name, c.id)["zones"][zid]["share_pct"] for r in reps]
    gov = governorates()
    ref = gov.dataset.ref if gov.dataset else "governorates"
    method = (f"geodesic area of the {zid} zone within {name} / the governorate's area "
              f"({ref}, derived from OSM, not official); {_line_words(reps[0])}; interval: "
              f"the line offset ±u ({len(reps) - 1} offsets computed); the governorate "
              "limits' own uncertainty is not propagated")
    return Computed(vals[0], min(vals), max(vals), method, (*_refs(reps[0]), ref))


def _border_slack_km(parts: int) -> float:
    # Each stretch of border ends where the outline leaves the 100 m classification buffer
    # of the neighbour's land: either end may be off by that tolerance.
    return 2 * max(parts, 1) * CLASSIFY_TOLERANCE_M / 1000


def _m_border_length(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    line, boundary, u = ev._specs(c, led)
    kind = c.fields["with"]
    zid = c.fields.get("zone")
    b = ev.source(boundary, "boundary")
    borders = borders_for(b.geometry)
    slack = _border_slack_km(len(shapely.get_parts(borders.get(kind))))
    bref = b.dataset.ref if b.dataset else str(b.file)
    if zid is None:
        v = borders.lengths_km()[kind]
        method = (f"geodesic length of the {bref} exterior within {CLASSIFY_TOLERANCE_M:g} m "
                  f"of the packaged {kind} land" if kind != "sea" else
                  f"geodesic length of the {bref} exterior bordering neither Israel nor Egypt")
        return Computed(v, max(0.0, v - slack), v + slack,
                        method + f"; interval ±{slack:g} km at the stretch ends", (bref,))
    reps = ev.variants(line, boundary, u)
    vals = [r.zone(zid)["borders_km"][kind] for r in reps]
    method = (f"geodesic length of the {kind} border along the {zid} zone; "
              f"{_line_words(reps[0])}; interval: line offset ±u, ±{slack:g} km at the ends")
    return Computed(vals[0], max(0.0, min(vals) - slack), max(vals) + slack, method,
                    _refs(reps[0]))


def _m_shares_border(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    line, boundary, u = ev._specs(c, led)
    reps = ev.variants(line, boundary, u)
    zid, kind = c.fields["zone"], c.fields["with"]
    vals = [bool(r.zone(zid)["shares_border"][kind]) for r in reps]
    km = [r.zone(zid)["borders_km"][kind] for r in reps]
    method = (f"the {zid} zone shares {max(km):.2f} km or less of border with {kind} "
              f"(a border needs > 5 m); {_line_words(reps[0])}; checked with the line as "
              f"given and offset ±u ({len(reps) - 1} offsets)")
    return Computed(vals[0], None, None, method, _refs(reps[0]),
                    possible=tuple(sorted(set(vals))))


def _m_band_area(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    _, boundary, _ = ev._specs(c, led)
    kind, width = c.fields["with"], float(c.fields["width_m"])
    b = ev.source(boundary, "boundary")
    border = borders_for(b.geometry).get(kind)
    v = band_area_km2(b.geometry, border, width)
    d = _border_slack_km(len(shapely.get_parts(border))) * width / 1000
    bref = b.dataset.ref if b.dataset else str(b.file)
    method = (f"geodesic area of {bref} land within {width:g} m (local LAEA buffer) of its "
              f"{kind} border; interval: the border's ends ±{CLASSIFY_TOLERANCE_M:g} m "
              f"x {width:g} m")
    return Computed(v, max(0.0, v - d), v + d, method, (bref,))


def _m_percent_of(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    p, p_lo, p_hi = _number_interval(c.fields["part"])
    w, w_lo, w_hi = _number_interval(c.fields["whole"])
    cands = [100 * x / y for x in (p_lo, p_hi) for y in (w_lo, w_hi) if y != 0]
    method = (f"arithmetic of the stated numbers: {c.fields['part']} / {c.fields['whole']} x 100;"
              " interval from their written precision")
    return Computed(100 * p / w, min(cands), max(cands), method)


def _m_sum(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    parts = [_number_interval(v) for v in c.fields["values"]]
    written = " + ".join(str(v) for v in c.fields["values"])
    method = f"arithmetic of the stated numbers: {written}; interval from their written precision"
    return Computed(sum(p[0] for p in parts), sum(p[1] for p in parts),
                    sum(p[2] for p in parts), method)


def _m_population(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    raise NotCheckable("no population data: gazamap ships no population grid or census by "
                       "zone, and population counts in Gaza since 2023 are estimates")


def _m_markers(ev: Evaluator, c: Claim, led: Ledger | None) -> Computed:
    raise NotCheckable("no marker data: the positions of the yellow blocks on the ground have "
                       "no public geometry (only reports of offsets); gazamap cannot measure them")


_METRIC_FUNCS: dict[str, Callable[[Evaluator, Claim, Ledger | None], Computed]] = {
    "zone_share_pct": _m_zone_share,
    "zone_area_km2": _m_zone_area,
    "total_area_km2": _m_total_area,
    "governorate_share_pct": _m_gov_share,
    "border_length_km": _m_border_length,
    "shares_border": _m_shares_border,
    "band_area_km2": _m_band_area,
    "percent_of": _m_percent_of,
    "sum": _m_sum,
    "population_share_pct": _m_population,
    "marker_offset_m": _m_markers,
}


def evaluate_claim(claim: Claim, evaluator: Evaluator | None = None) -> Verdict:
    """The verdict for one claim (a fresh :class:`Evaluator` unless one is given)."""
    return (evaluator or Evaluator()).evaluate(claim)


def check_ledger(ledger: Ledger | str | Path, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None) -> LedgerResult:
    """Load a ledger (file or shipped name) and evaluate every claim.

    ``line`` and ``boundary`` apply to claims that name none and whose ledger names none
    (precedence: claim, then ``[ledger]``, then these, then the packaged defaults).

    Examples
    --------
    >>> res = check_ledger(parse_ledger({"claim": [
    ...     {"id": "x", "text": "155 + 210 = 365", "source": "test", "metric": "sum",
    ...      "values": [155, 210], "value": 365}]}))
    >>> [(v.id, v.verdict, v.computed.value) for v in res.verdicts]
    [('x', 'consistent', 365.0)]
    """
    led = ledger if isinstance(ledger, Ledger) else load_ledger(ledger)
    return Evaluator(line=line, boundary=boundary, read_options=read_options,
                     catalog=catalog).check(led)
