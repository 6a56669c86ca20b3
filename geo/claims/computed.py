"""What a metric gives back (:class:`Computed`), what a claim is checked on (:class:`Target`).

Also the words every method text uses for the analysis a figure was read from
(:func:`line_words`, :func:`refs`), the words of each reading of an ambiguous metric
(:data:`READING_WORDS`) and how a place's name is compared (:func:`name_key`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from geo.analysis import Analysis
from geo.claims._figures import Figures, Uncertainty
from geo.claims.ledger import Claim

__all__ = ["READING_WORDS", "Computed", "MetricFunc", "Target", "line_words", "name_key",
           "refs"]


@dataclass(frozen=True)
class Computed:
    """What gazamap computes for a claim: a central value and the interval it allows.

    ``low``/``high`` bound what the claim is checked against. ``interval`` is the
    figure's own interval exactly as ``gazamap areas`` and the report show it (``None``
    when the figure has none there); when ``low``/``high`` are wider, ``adds`` names what
    they add (the outline's resolution, the ends of a border stretch). For a yes/no
    metric ``possible`` lists the answers the interval's variants give. An ambiguous
    metric gives one Computed per reading: ``reading`` names this one, ``readings``
    holds the others.
    """

    value: float | bool
    low: float | None
    high: float | None
    method: str
    datasets: tuple[str, ...] = ()
    possible: tuple[bool, ...] = ()
    interval: tuple[float, float] | None = None
    adds: str = ""
    reading: str = ""
    readings: tuple[Computed, ...] = ()


@dataclass(frozen=True)
class Target:
    """The line(s), boundary and line uncertainty (None: the catalog's) a claim is checked on.

    ``line`` is one dataset id or file, or several ordered from the Israel border westward.
    """

    line: str | tuple[str, ...]
    boundary: str
    uncertainty_m: Uncertainty


MetricFunc = Callable[[Figures, Claim, Target], Computed]


# The words a table uses for each reading of an ambiguous metric.
READING_WORDS = {
    "axis": "the extent along the long axis",
    "coast": "the length of the coastline",
    "diameter": "the longest straight distance across the Strip",
    "cross-section": "the cross-section perpendicular to the long axis",
    "nearest-coast": "the distance from the place to the nearest coast",
}


def refs(a: Analysis) -> tuple[str, ...]:
    """The lines (joined by ``+``) and the outline the figures of ``a`` rest on."""
    return (" + ".join(x.ref for x in a.lines), a.boundary.ref)


def line_words(a: Analysis) -> str:
    """The lines, their method and uncertainty and the outline, for a method text."""
    line_ref, boundary_ref = refs(a)
    method = a.lines[0].method
    u = ("; ".join(dict.fromkeys(x.uncertainty_words for x in a.lines))
         if all(x.uncertainty_m is not None for x in a.lines)
         else "no stated uncertainty, no interval")
    text = (f"{line_ref} ({method} method, {u}) on {boundary_ref} "
            f"({a.boundary_area_km2:.2f} km² geodesic, WGS84)")
    if method == "zone-polygon":
        text += ("; zone-polygon method: slivers of the outline outside the polygon count as "
                 "west, so border figures of the zones are unreliable")
    return text


def name_key(s: str) -> str:
    """A place name compared without case, spaces or punctuation (Latin or Arabic)."""
    return re.sub(r"[^a-z0-9\u0600-\u06ff]", "", s.lower())
