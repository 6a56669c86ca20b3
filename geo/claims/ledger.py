"""Claims ledgers: TOML parsing and validation into :class:`Claim` and :class:`Ledger`.

A ledger is a TOML file with an optional ``[ledger]`` table (``title``, ``description``,
default ``line`` and ``boundary``) and one ``[[claim]]`` table per statement (see
:mod:`geo.claims`). Every error names the ledger, the claim id and the field, with the fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from geo.analysis.uncertainty import LineUncertainty
from geo.claims.intervals import (
    OPS,
    Hedge,
    Stated,
    decimal_of,
    infer_hedge,
    number_interval,
    stated_interval,
)
from geo.errors import InputError, LedgerError
from geo.geometry.borders import BORDER_KINDS
from geo.read.base import path_problem
from geo.read.sources import looks_like_path

__all__ = [
    "COPY_KINDS",
    "LEDGER_DIR",
    "METRICS",
    "READINGS",
    "ZONES",
    "Claim",
    "Ledger",
    "LineVersion",
    "MetricSpec",
    "line_versions",
    "ledger_path",
    "load_ledger",
    "parse_ledger",
    "shipped_ledgers",
]

LEDGER_DIR = Path(__file__).resolve().parents[1] / "data" / "ledgers"
# Zone ids of a partition by N lines, from the Israel border westward.
ZONES = ("east", "between-1", "between-2", "west")
_ZONE_ID = re.compile(r"east|west|between-[1-9][0-9]*")

_COMMON = frozenset({"id", "text", "source", "date", "url", "metric", "value", "op",
                     "tolerance", "precision", "approx", "note", "outlet", "copy", "seen_at",
                     "version", "derived"})
# Kept with the metric's fields for every metric: `reason` says why a claim is not
# checkable when its data is missing; `line_version` (a label) and `version_date` mark a
# stated area of a dated line version (the report's timeline).
_KEPT = ("reason", "line_version", "version_date")
# How the text of a claim was read: in the original publication, in a verbatim copy on
# another site (a mirror), or in someone else's summary of it.
COPY_KINDS = ("original", "mirror", "summary")
_LINE_FIELDS = ("line", "boundary", "uncertainty_m")
# The fields that may name a file (relative to the ledger's folder, inside it)
_PATH_FIELDS = ("line", "boundary", "markers", "population")
# The ways an ambiguous metric can be read, the first being the default reading of a
# table: a claim is consistent when one reading its text allows fits (`readings` narrows
# them), and the verdict names it.
READINGS: dict[str, tuple[str, ...]] = {
    "strip_length_km": ("axis", "coast", "diameter"),
    "strip_width_km": ("cross-section", "nearest-coast"),
}


@dataclass(frozen=True)
class MetricSpec:
    """What a metric needs: its fields, unit, kind of value and a one-line description."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    unit: str
    kind: Literal["number", "bool", "any"]
    description: str


METRICS: dict[str, MetricSpec] = {
    "zone_share_pct": MetricSpec(
        ("zone",), (*_LINE_FIELDS, "denominator_km2"), "%", "number",
        "share of a zone (east|west) in % of the measured outline, or of denominator_km2"),
    "zone_area_km2": MetricSpec(("zone",), _LINE_FIELDS, "km²", "number",
                                 "geodesic area of a zone (east|west)"),
    "total_area_km2": MetricSpec((), ("boundary",), "km²", "number",
                                  "geodesic area of the outline (inland ponds filled or not)"),
    "governorate_share_pct": MetricSpec(
        ("governorate", "zone"), _LINE_FIELDS, "%", "number",
        "share of a governorate in a zone, in % of the governorate"),
    "border_length_km": MetricSpec(
        ("with",), ("zone", *_LINE_FIELDS), "km", "number",
        "length of the outline along israel|egypt|sea, of the whole Strip or of a zone"),
    "shares_border": MetricSpec(("zone", "with"), _LINE_FIELDS, "", "bool",
                                 "whether a zone has a border with israel|egypt|sea"),
    "band_area_km2": MetricSpec(("with", "width_m"), ("boundary",), "km²", "number",
                                 "land within width_m of the israel|egypt border"),
    "percent_of": MetricSpec(("part", "whole"), (), "%", "number",
                              "part / whole x 100, the arithmetic of stated numbers"),
    "sum": MetricSpec(("values",), (), "", "number",
                       "the sum of stated numbers"),
    "population_share_pct": MetricSpec(
        ("zone",), ("line", "boundary", "population", "basis"), "%", "number",
        "share of the population living in a zone; basis = current (default) or pre-war"),
    "marker_offset_m": MetricSpec((), ("stat", "markers", "line"), "m", "number",
                                   "distance of the yellow blocks on the ground from the line"),
    "line_depth_km": MetricSpec(
        ("stat",), (*_LINE_FIELDS, "governorate"), "km", "number",
        "distance from the points of the line inside the outline to the nearest point of "
        "the Israel border (points nearer to the Egypt border left out); stat = "
        "min|median|max, optionally within a governorate"),
    "strip_length_km": MetricSpec(
        (), ("boundary", "readings"), "km", "number",
        "the length of the Strip, read every way the word allows (readings: axis = extent "
        "along the long axis, coast = length of the coastline, diameter = the longest "
        "straight distance across the outline); consistent when one reading fits"),
    "strip_width_km": MetricSpec(
        (), ("boundary", "stat", "at", "tip_m", "readings"), "km", "number",
        "width of the outline perpendicular to its long axis: stat = min|median|max over "
        "the cross-sections (tips no longer than tip_m left out), or at a place at = "
        "[lon, lat], read as the cross-section through it or the distance from it to the "
        "nearest coast (readings: cross-section, nearest-coast)"),
    "none": MetricSpec(("reason",), ("quantity",), "", "any",
                        "a statement gazamap has no metric for; reason says why"),
}



# ---------------------------------------------------------------------------- ledger


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
    outlet: str = ""
    copy: str = ""
    seen_at: str = ""
    hedge_notes: tuple[str, ...] = ()
    lint: tuple[str, ...] = ()
    # the line version the text describes ("2025-10-04" of the claim's line, or id@version)
    version: str = ""
    # the ledger's own arithmetic on a published figure (14 km x 100 m), not a published
    # figure: reported as a check of the ledger, outside the verdict counts and exit code
    derived: bool = False

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

    @property
    def provenance(self) -> str:
        """Who published the text and where it was read, in words.

        >>> Claim("a", "t", "Al Jazeera, mirrored", "sum", 1, outlet="Al Jazeera",
        ...       copy="mirror", seen_at="https://234radio.com:443/x").provenance
        'Al Jazeera (text seen in a mirror: 234radio.com)'
        >>> Claim("a", "t", "a blog", "sum", 1).provenance
        'a blog (no URL known)'
        >>> Claim("a", "t", "Haaretz", "sum", 1, seen_at="elsharkonline.com").provenance
        'Haaretz (text seen on elsharkonline.com; no URL recorded)'
        """
        who = self.outlet or self.source
        if self.seen_at and "://" not in self.seen_at:  # a site named, its URL not kept
            return f"{who} (text seen on {self.seen_at}; no URL recorded)"
        if self.copy in ("mirror", "summary") and self.seen_at:
            host = (urlsplit(self.seen_at).hostname or self.seen_at).removeprefix("www.")
            return f"{who} (text seen in a {self.copy}: {host})"
        if not self.url and not self.seen_at:
            return f"{who} (no URL known)"
        return who

    def to_dict(self) -> dict[str, Any]:
        """The claim as written (for JSON outputs; files by name, see `public_fields`)."""
        return {"id": self.id, "text": self.text, "source": self.source, "date": self.date,
                "url": self.url, "outlet": self.outlet, "copy": self.copy,
                "seen_at": self.seen_at, "note": self.note, "metric": self.metric,
                "op": self.op, "approx": self.approx, "version": self.version or None,
                "derived": self.derived, **self.public_fields()}

    def public_fields(self) -> dict[str, Any]:
        """The metric's fields for published outputs: a file by its name, never its path.

        >>> Claim("a", "t", "s", "zone_share_pct", "53",
        ...       fields={"zone": "east", "line": "/home/me/l.geojson"}).public_fields()
        {'zone': 'east', 'line': 'l.geojson'}
        """
        def name(v: Any) -> Any:
            if isinstance(v, list):
                return [name(x) for x in v]
            return Path(v).name if isinstance(v, str) and looks_like_path(v) else v

        return {k: name(v) if k in _PATH_FIELDS else v for k, v in self.fields.items()}


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


@dataclass(frozen=True)
class LineVersion:
    """A dated version of the line known from a claim (its stated area, no geometry)."""

    date: str
    label: str
    source: str
    area_km2: float
    claim_id: str
    line: str


def line_versions(ledger: Ledger) -> tuple[LineVersion, ...]:
    """The ledger's dated line versions (claims with ``line_version``), by date.

    Each is a ``zone_area_km2`` claim of the east zone whose ``line`` names a version
    without public geometry; its area is the stated value.
    """
    out = []
    for c in ledger:
        label = c.fields.get("line_version")
        if not label or c.metric != "zone_area_km2" or not isinstance(c.stated.value, float):
            continue
        out.append(LineVersion(str(c.fields.get("version_date") or c.date), str(label),
                               c.provenance, c.stated.value, c.id, str(c.fields.get("line"))))
    return tuple(sorted(out, key=lambda v: v.date))


def _err(where: str, cid: str | None, fld: str | None, problem: str, fix: str) -> LedgerError:
    parts = [where or "ledger"]
    if cid is not None:
        parts.append(f"claim {cid!r}")
    if fld is not None:
        parts.append(f"field {fld!r}")
    return LedgerError(problem, source=", ".join(parts), fix=fix)



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
    if not isinstance(metric, str) or metric not in METRICS:
        raise _err(where, cid, "metric", f"unknown metric {_shown(metric)}",
                   f"use one of {', '.join(METRICS)}")
    spec = METRICS[metric]
    allowed = _COMMON | set(_KEPT) | set(spec.required) | set(spec.optional)
    for k in raw:
        if k not in allowed:
            raise _err(where, cid, k, f"is not a field of metric {metric!r}",
                       f"{metric} takes {', '.join([*spec.required, *spec.optional]) or 'none'}"
                       " besides the common fields")
    for k in spec.required:
        if k not in raw:
            raise _err(where, cid, k, f"is missing (metric {metric!r} needs it)",
                       f"add {k} = ... ({spec.description})")
    op_given = raw.get("op")
    if op_given is not None and op_given not in OPS:
        raise _err(where, cid, "op", f"{op_given!r} is not an operator",
                   f"use one of {' '.join(OPS)}")
    approx_given = raw.get("approx")
    if approx_given is not None and not isinstance(approx_given, bool):
        raise _err(where, cid, "approx", f"must be true or false, got {approx_given!r}",
                   "write approx = true for 'about', 'nearly', 'roughly'")
    outlet, seen_at = need_str("outlet", False), need_str("seen_at", False)
    for name, u in (("url", url), ("seen_at", seen_at)):
        try:
            urlsplit(u).hostname  # noqa: B018 - raises on a malformed host ("http://[::1")
        except ValueError as exc:
            raise _err(where, cid, name, f"{u[:80]!r} is not a URL ({exc})",
                       f'write {name} = "https://..." or leave it out') from None
    version = need_str("version", False)
    derived = raw.get("derived", False)
    if not isinstance(derived, bool):
        raise _err(where, cid, "derived", f"must be true or false, got {derived!r}",
                   "write derived = true for the ledger's own arithmetic on a published "
                   "figure")
    copy = need_str("copy", False)
    if copy and copy not in COPY_KINDS:
        raise _err(where, cid, "copy", f"{copy!r} is not one of {', '.join(COPY_KINDS)}",
                   "say how the text was read: original, mirror or summary")
    hedge = (infer_hedge(text, raw.get("value"))
             if spec.kind == "number" and raw.get("value") is not None else Hedge())
    op, approx, hedge_notes, lint = _hedged(hedge, op_given, approx_given,
                                            isinstance(raw.get("value"), list),
                                            raw.get("stat"))
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
        if isinstance(value, bool) or not isinstance(value, list | str | int | float):
            raise _err(where, cid, "value", f"must be a number for {metric}, got "
                       f"{_shown(value)}", 'write value = "53" (as written in the source)')
        if isinstance(value, list):
            if len(value) != 2 or op != "=":
                raise _err(where, cid, "value",
                           f"a stated range must have two numbers and op '=', got {value!r}",
                           "write value = [low, high]")
        try:
            st = stated_interval(value, approx=approx, tolerance=tol, precision=prec)
            if st.low is None or st.high is None or not (
                    math.isfinite(st.low) and math.isfinite(st.high)):
                raise ValueError(f"{_shown(value)} is not a finite number")
        except (ValueError, ArithmeticError) as exc:
            raise _err(where, cid, "value", str(exc),
                       'write a number as written in the source, e.g. value = "53" or 54.5; '
                       'use approx = true for "about"') from None
    fields = {k: raw[k] for k in (*spec.required, *spec.optional, *_KEPT) if k in raw}
    _check_fields(metric, fields, where, cid)
    return Claim(id=cid, text=text, source=source, metric=metric, value=value, op=op,
                 date=date_s, url=url, note=note, approx=approx, tolerance=tol,
                 precision=prec, fields=fields, outlet=outlet, copy=copy, seen_at=seen_at,
                 hedge_notes=hedge_notes, lint=lint, version=version, derived=derived)


def _hedged(h: Hedge, op_given: str | None, approx_given: bool | None, is_range: bool,
            stat: Any = None) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
    """``(op, approx, notes, lint)``: explicit fields win, else the words of the text.

    "up to 520" on a maximum (``stat = "max"``), or "at least 1.5" on a minimum, states
    the statistic itself: the operator stays ``=``.
    """
    notes: list[str] = []
    lint: list[str] = []
    if h.op is not None and ((stat == "max" and h.op in ("<", "<="))
                             or (stat == "min" and h.op in (">", ">="))):
        notes.append(f"{h.op_word!r} {h.where} states the {stat}imum itself: op stays '='")
        h = Hedge(h.approx_word, None, None, h.where, h.exact)
    if approx_given is None:
        approx = h.approx_word is not None
        if approx:
            notes.append(f"approx = true from the word {h.approx_word!r} {h.where}")
    else:
        approx = approx_given
        if not approx and h.approx_word is not None and h.exact:
            lint.append(f"approx = false, but the text says {h.approx_word!r} {h.where}: "
                        "write approx = true, or drop approx if the word is no hedge")
    op: str
    if op_given is None:
        op = h.op if h.op is not None and not is_range else "="
        if op != "=":
            notes.append(f"op = {op!r} from the words {h.op_word!r} {h.where}")
    else:
        op = op_given
        if h.op is not None and h.op != op and not is_range and h.exact:
            lint.append(f"op = {op!r}, but the text says {h.op_word!r} ({h.op!r}) {h.where}: "
                        "correct op, or drop it to use the text's")
    return op, approx, tuple(notes), tuple(lint)


def _shown(v: Any) -> str:
    """A TOML value for a message, short (a long string is cut)."""
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


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
        if name in f and (isinstance(v, bool) or not isinstance(v, int | float) or not v > 0
                          or not math.isfinite(v)):
            raise _err(where, cid, name, f"must be a positive number, got {v!r}",
                       f"write {name} = a number > 0")

    def string(name: str) -> None:
        if name in f and (not isinstance(f[name], str) or not f[name].strip()):
            raise _err(where, cid, name, f"must be a non-empty string, got {f[name]!r}",
                       "give a dataset id (id@version) or a file path")

    def number(name: str) -> None:
        if name in f and decimal_of(f[name]) is None:
            raise _err(where, cid, name, f"{f[name]!r} is not a number",
                       'write the number as stated, e.g. 198.8 or "198.8"')

    if "zone" in f and not (isinstance(f["zone"], str) and _ZONE_ID.fullmatch(f["zone"])):
        raise _err(where, cid, "zone", f"{f['zone']!r} is not a zone id",
                   "use east, west, or between-1 ... between-N for N+1 lines")
    choice("basis", ("current", "pre-war"))
    choice("with", ("israel", "egypt") if metric == "band_area_km2" else BORDER_KINDS)
    choice("stat", ("min", "median", "max") if metric.startswith(("line_depth", "strip_"))
           else ("mean", "max", "min", "median"))
    positive("tip_m")
    if metric == "strip_width_km" and ("stat" in f) == ("at" in f):
        raise _err(where, cid, "stat", "strip_width_km needs exactly one of stat and at",
                   'write stat = "min" (or median, max), or at = [lon, lat]')
    if "at" in f:
        at = f["at"]
        if (not isinstance(at, list) or len(at) != 2
                or any(isinstance(x, bool) or not isinstance(x, int | float) for x in at)
                or not (-180 <= at[0] <= 180 and -90 <= at[1] <= 90)):
            raise _err(where, cid, "at", f"must be [lon, lat] in degrees, got {at!r}",
                       "write at = [34.47, 31.47] (longitude first)")
    positive("width_m")
    positive("denominator_km2")
    for s in ("boundary", "governorate", "markers", "population", "reason", "quantity",
              "line_version", "version_date"):
        string(s)
    if "line" in f:  # one line, or several ordered from the Israel border westward
        lines = f["line"] if isinstance(f["line"], list) else [f["line"]]
        if not lines or any(not isinstance(x, str) or not x.strip() for x in lines):
            raise _err(where, cid, "line", f"must be a dataset id or file, or a list of them, "
                       f"got {f['line']!r}", 'write line = "id@version" or line = ["a", "b"]')
    if "uncertainty_m" in f:
        try:
            LineUncertainty.of(f["uncertainty_m"])
        except ValueError as exc:
            raise _err(where, cid, "uncertainty_m", str(exc),
                       "give the line's positional uncertainty in metres: one number (±u) "
                       "or [toward Israel, toward the coast]") from None
    if "readings" in f:
        allowed = READINGS[metric]
        r = f["readings"]
        if (not isinstance(r, list) or not r
                or any(not isinstance(x, str) or x not in allowed for x in r)):
            raise _err(where, cid, "readings", f"must be a list of {', '.join(allowed)}, "
                       f"got {r!r}", f'write readings = ["{allowed[0]}", ...]')
    number("part")
    number("whole")
    if "whole" in f and decimal_of(f["whole"]) == 0:
        raise _err(where, cid, "whole", "is zero", "give the whole the part is a share of")
    if "whole" in f:
        _, lo, hi = number_interval(f["whole"])
        if lo <= 0 <= hi:  # a share of a whole that may be zero has no bound
            raise _err(where, cid, "whole", f"{_shown(f['whole'])} is too near zero: its "
                       "written precision allows zero", "give the whole the part is a share of")
    if metric == "sum":
        vals = f["values"]
        if not isinstance(vals, list) or len(vals) < 2 or any(decimal_of(v) is None for v in vals):
            raise _err(where, cid, "values", f"must be a list of two or more numbers, got {vals!r}",
                       'write values = ["155", "210"] as stated')


def parse_ledger(data: Mapping[str, Any], *, path: str = "",
                 allow_paths: Sequence[str | Path] = ()) -> Ledger:
    """Validate parsed TOML and return a :class:`Ledger`.

    A ledger read from ``path`` is a sandbox: every file it names resolves relative to
    the ledger's folder and must lie inside it, or inside one of ``allow_paths``
    (symbolic links followed), never relative to the current folder. A ledger is shared;
    it must not be a way to read, and publish, what lies around it.

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
    box = _Sandbox(Path(path).parent, tuple(Path(a) for a in allow_paths), where) \
        if path else None
    claims = [_anchor_claim(c, box) for c in claims]
    return Ledger(tuple(claims), path=path, title=head.get("title", ""),
                  description=head.get("description", ""),
                  line=_anchor(head.get("line"), box, None, "line"),
                  boundary=_anchor(head.get("boundary"), box, None, "boundary"))


@dataclass(frozen=True)
class _Sandbox:
    """Where the files a ledger names may lie: its folder and the folders allowed."""

    base: Path
    allowed: tuple[Path, ...]
    where: str

    def inside(self, spec: str, cid: str | None, fld: str) -> str:
        problem = path_problem(spec)
        if problem is not None:
            raise _err(self.where, cid, fld, f"the file name {spec[:60]!r} cannot be used: "
                       f"{problem}", "rename the file and give its new name")
        p = Path(spec)
        full = p if p.is_absolute() else self.base / p
        try:
            real = full.resolve()
            roots = [r.resolve() for r in (self.base, *self.allowed)]
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            raise _err(self.where, cid, fld, f"the file {spec[:60]!r} cannot be opened "
                       f"({exc})", "check the path") from None
        if not any(real.is_relative_to(r) for r in roots):
            raise _err(self.where, cid, fld,
                       f"{spec[:80]!r} lies outside the ledger's folder (refused: a ledger "
                       "names only files beside it, so that sharing it cannot publish "
                       "what lies elsewhere)",
                       "copy the file into the ledger's folder, or allow its folder "
                       "explicitly (allow_paths)")
        return str(full)


def _anchor(spec: Any, box: _Sandbox | None, cid: str | None, fld: str) -> Any:
    """A file path in a ledger, relative to the ledger's folder and checked inside it."""
    if not isinstance(spec, str) or box is None or not looks_like_path(spec):
        return spec
    return box.inside(spec, cid, fld)


def _anchor_claim(c: Claim, box: _Sandbox | None) -> Claim:
    fields = dict(c.fields)
    for k in _PATH_FIELDS:
        if isinstance(fields.get(k), list):
            fields[k] = [_anchor(x, box, c.id, k) for x in fields[k]]
        elif k in fields:
            fields[k] = _anchor(fields[k], box, c.id, k)
    return replace(c, fields=fields)


def shipped_ledgers() -> dict[str, Path]:
    """The ledgers shipped with gazamap, by name (``seed``, ``public``)."""
    return {p.stem: p for p in sorted(LEDGER_DIR.glob("*.toml"))}


def ledger_path(spec: str) -> Path:
    """A ledger file path, or the name of a shipped ledger (``seed``, ``public``).

    Told apart by the text, never by the current folder: a name without a dot or a
    slash is a shipped ledger (a file ``seed`` there does not replace it; ``./seed``
    names that file).
    """
    problem = path_problem(spec)
    if problem is not None:
        raise LedgerError(f"the ledger's file name cannot be used: {problem}",
                          source=repr(spec[:60]), fix="rename the file")
    shipped = shipped_ledgers()
    if not looks_like_path(spec):
        if spec in shipped:
            return shipped[spec]
        raise LedgerError("not the name of a shipped ledger", source=spec,
                          fix=f"give one of {', '.join(shipped) or '(none)'}, or a TOML "
                              f"file (./{spec} for a file of that name)")
    p = Path(spec)
    if p.is_file():
        return p
    if p.exists():
        raise LedgerError("is not a file", source=spec, fix="give a TOML ledger file")
    raise LedgerError("no such file (a path, not the name of a shipped ledger)", source=spec,
                      fix=f"give a TOML file or one of {', '.join(shipped) or '(none)'}")


def load_ledger(spec: str | Path, *, allow_paths: Sequence[str | Path] = ()) -> Ledger:
    """Read and validate a ledger file, or a shipped ledger by name.

    ``allow_paths``: folders besides the ledger's own where the files it names may lie
    (see :func:`parse_ledger`).
    """
    path = ledger_path(str(spec))
    from geo.read.io import read_toml

    try:
        data = read_toml(path)  # bounded in size and nesting (issue 9)
    except InputError as exc:
        raise LedgerError(exc.problem, source=exc.source, fix=exc.fix) from None
    return parse_ledger(data, path=str(path), allow_paths=allow_paths)
