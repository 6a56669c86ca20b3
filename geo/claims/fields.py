"""What a claim may say: the metrics, their fields, and how each field is checked.

:data:`METRICS` names every metric with the fields it requires and takes, its unit and
the kind of value it states; :func:`check_fields` checks a claim's metric fields (types,
ranges, choices) at the edge, so that a computation never meets a wrong one. Every error
names the ledger, the claim id and the field, with the fix (:func:`ledger_error`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from geo.analysis.uncertainty import LineUncertainty
from geo.claims.intervals import decimal_of, number_interval
from geo.errors import LedgerError
from geo.geometry.borders import BORDER_KINDS

__all__ = [
    "COMMON_FIELDS",
    "COPY_KINDS",
    "KEPT_FIELDS",
    "METRICS",
    "PATH_FIELDS",
    "READINGS",
    "ZONES",
    "MetricSpec",
    "check_fields",
    "ledger_error",
    "shown",
]

# Zone ids of a partition by N lines, from the Israel border westward.
ZONES = ("east", "between-1", "between-2", "west")
_ZONE_ID = re.compile(r"east|west|between-[1-9][0-9]*")

COMMON_FIELDS = frozenset({"id", "text", "source", "date", "url", "metric", "value", "op",
                           "tolerance", "precision", "approx", "note", "outlet", "copy",
                           "seen_at", "version", "derived"})
# Kept with the metric's fields for every metric: `reason` says why a claim is not
# checkable when its data is missing; `line_version` (a label) and `version_date` mark a
# stated area of a dated line version (the report's timeline).
KEPT_FIELDS = ("reason", "line_version", "version_date")
# How the text of a claim was read: in the original publication, in a verbatim copy on
# another site (a mirror), or in someone else's summary of it.
COPY_KINDS = ("original", "mirror", "summary")
_LINE_FIELDS = ("line", "boundary", "uncertainty_m")
# The fields that may name a file (relative to the ledger's folder, inside it)
PATH_FIELDS = ("line", "boundary", "markers", "population")
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


def ledger_error(where: str, cid: str | None, fld: str | None, problem: str,
                 fix: str) -> LedgerError:
    """An error naming the ledger, the claim (``None``: the ledger's own) and the field."""
    parts = [where or "ledger"]
    if cid is not None:
        parts.append(f"claim {cid!r}")
    if fld is not None:
        parts.append(f"field {fld!r}")
    return LedgerError(problem, source=", ".join(parts), fix=fix)


def shown(v: Any) -> str:
    """A TOML value for a message, short (a long string is cut)."""
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class _Check:
    """The metric fields of one claim being checked, and where an error is named."""

    metric: str
    f: Mapping[str, Any]
    where: str
    cid: str

    def fail(self, name: str, problem: str, fix: str) -> LedgerError:
        return ledger_error(self.where, self.cid, name, problem, fix)

    def choice(self, name: str, options: Sequence[str]) -> None:
        f = self.f
        if name in f and f[name] not in options:
            raise self.fail(name, f"{f[name]!r} is not one of {', '.join(options)}",
                            f"use one of {', '.join(options)}")

    def positive(self, name: str) -> None:
        v = self.f.get(name)
        if name in self.f and (isinstance(v, bool) or not isinstance(v, int | float)
                               or not v > 0 or not math.isfinite(v)):
            raise self.fail(name, f"must be a positive number, got {v!r}",
                            f"write {name} = a number > 0")

    def string(self, name: str) -> None:
        f = self.f
        if name in f and (not isinstance(f[name], str) or not f[name].strip()):
            raise self.fail(name, f"must be a non-empty string, got {f[name]!r}",
                            "give a dataset id (id@version) or a file path")

    def number(self, name: str) -> None:
        if name in self.f and decimal_of(self.f[name]) is None:
            raise self.fail(name, f"{self.f[name]!r} is not a number",
                            'write the number as stated, e.g. 198.8 or "198.8"')


def check_fields(metric: str, f: Mapping[str, Any], where: str, cid: str) -> None:
    """Check the metric fields ``f`` of claim ``cid``; the first wrong one raises.

    Raises
    ------
    LedgerError
        Naming the ledger, the claim and the field, with the fix.
    """
    c = _Check(metric, f, where, cid)
    _check_where(c)
    _check_data(c)
    _check_numbers(c)


def _check_where(c: _Check) -> None:
    """What part of the Strip a claim is about: zone, basis, border, statistic, place."""
    f, metric = c.f, c.metric
    if "zone" in f and not (isinstance(f["zone"], str) and _ZONE_ID.fullmatch(f["zone"])):
        raise c.fail("zone", f"{f['zone']!r} is not a zone id",
                     "use east, west, or between-1 ... between-N for N+1 lines")
    c.choice("basis", ("current", "pre-war"))
    c.choice("with", ("israel", "egypt") if metric == "band_area_km2" else BORDER_KINDS)
    c.choice("stat", ("min", "median", "max") if metric.startswith(("line_depth", "strip_"))
             else ("mean", "max", "min", "median"))
    c.positive("tip_m")
    if metric == "strip_width_km" and ("stat" in f) == ("at" in f):
        raise c.fail("stat", "strip_width_km needs exactly one of stat and at",
                     'write stat = "min" (or median, max), or at = [lon, lat]')
    if "at" in f:
        at = f["at"]
        if (not isinstance(at, list) or len(at) != 2
                or any(isinstance(x, bool) or not isinstance(x, int | float) for x in at)
                or not (-180 <= at[0] <= 180 and -90 <= at[1] <= 90)):
            raise c.fail("at", f"must be [lon, lat] in degrees, got {at!r}",
                         "write at = [34.47, 31.47] (longitude first)")
    c.positive("width_m")
    c.positive("denominator_km2")


def _check_data(c: _Check) -> None:
    """What a claim is computed from: datasets and files, the line's uncertainty, readings."""
    f = c.f
    for s in ("boundary", "governorate", "markers", "population", "reason", "quantity",
              "line_version", "version_date"):
        c.string(s)
    if "line" in f:  # one line, or several ordered from the Israel border westward
        lines = f["line"] if isinstance(f["line"], list) else [f["line"]]
        if not lines or any(not isinstance(x, str) or not x.strip() for x in lines):
            raise c.fail("line", f"must be a dataset id or file, or a list of them, "
                         f"got {f['line']!r}", 'write line = "id@version" or line = ["a", "b"]')
    if "uncertainty_m" in f:
        try:
            LineUncertainty.of(f["uncertainty_m"])
        except ValueError as exc:
            raise c.fail("uncertainty_m", str(exc),
                         "give the line's positional uncertainty in metres: one number (±u) "
                         "or [toward Israel, toward the coast]") from None
    if "readings" in f:
        allowed = READINGS[c.metric]
        r = f["readings"]
        if (not isinstance(r, list) or not r
                or any(not isinstance(x, str) or x not in allowed for x in r)):
            raise c.fail("readings", f"must be a list of {', '.join(allowed)}, got {r!r}",
                         f'write readings = ["{allowed[0]}", ...]')


def _check_numbers(c: _Check) -> None:
    """The stated numbers of the arithmetic metrics: a part of a whole, a sum's values."""
    f = c.f
    c.number("part")
    c.number("whole")
    if "whole" in f and decimal_of(f["whole"]) == 0:
        raise c.fail("whole", "is zero", "give the whole the part is a share of")
    if "whole" in f:
        _, lo, hi = number_interval(f["whole"])
        if lo <= 0 <= hi:  # a share of a whole that may be zero has no bound
            raise c.fail("whole", f"{shown(f['whole'])} is too near zero: its written "
                         "precision allows zero", "give the whole the part is a share of")
    if c.metric == "sum":
        vals = f["values"]
        if not isinstance(vals, list) or len(vals) < 2 or any(decimal_of(v) is None for v in vals):
            raise c.fail("values", f"must be a list of two or more numbers, got {vals!r}",
                         'write values = ["155", "210"] as stated')
