"""The metrics: what gazamap computes for each kind of claim, with its interval and method.

Each metric function takes the :class:`~geo.claims._figures.Figures` adapter, the claim
and the :class:`Target` (line, boundary, uncertainty the claim is checked against) and
returns a :class:`Computed` value, or raises
:class:`~geo.claims._figures.NotCheckable` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import shapely

from geo.borders import CLASSIFY_TOLERANCE_M, SHARES_BORDER_MIN_M
from geo.claims._figures import Figures, NotCheckable, PartitionFigures
from geo.claims.intervals import number_interval
from geo.claims.ledger import Claim
from geo.errors import LedgerError
from geo.measure import geodesic_area_m2, geodesic_length_m
from geo.sources import borders_for, governorates

__all__ = ["METRIC_FUNCS", "Computed", "Target"]


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


@dataclass(frozen=True)
class Target:
    """The line, boundary and line uncertainty (None: the catalog's) a claim is checked on."""

    line: str
    boundary: str
    uncertainty_m: float | None


def _refs(p: PartitionFigures) -> tuple[str, ...]:
    return (p.line_ref, p.boundary_ref)


def _line_words(p: PartitionFigures) -> str:
    text = (f"{p.line_ref} ({p.method} method, ±{p.uncertainty_m:g} m) on {p.boundary_ref} "
            f"({p.boundary_area_km2:.2f} km² geodesic, WGS84)")
    if p.method == "zone-polygon":
        text += ("; zone-polygon method: slivers of the outline outside the polygon count as "
                 "west, so border figures of the zones are unreliable")
    return text


def _zone_edge_km(p: PartitionFigures, zone: str) -> float:
    return float(sum(p.zone(zone).borders_km.values()))


def _m_zone_share(fig: Figures, c: Claim, t: Target) -> Computed:
    p = fig.partition(t.line, t.boundary, t.uncertainty_m)
    zid = c.fields["zone"]
    z, other = p.zone(zid), p.zone("west" if zid == "east" else "east")
    total = p.boundary_area_km2
    a, b = z.area_km2, other.area_km2
    ub_km = p.outline_uncertainty_m / 1000
    da, db = _zone_edge_km(p, zid) * ub_km, _zone_edge_km(p, other.id) * ub_km
    lo, hi = z.interval_pct or (z.share_pct, z.share_pct)
    denom = c.fields.get("denominator_km2")
    if denom is None:
        value = z.share_pct
        # each zone's stretch of the outline moved by ±u independently
        res = [100 * (a + sa) / (a + sa + b + sb) for sa in (-da, da) for sb in (-db, db)]
        of = "the measured outline"
    else:
        d = float(denom)
        value = 100 * a / d
        lo, hi = lo * total / d, hi * total / d
        res = [100 * (a - da) / d, 100 * (a + da) / d]
        of = f"a stated total of {d:g} km²"
    lo -= value - min(res)
    hi += max(res) - value
    method = (f"{zid} zone area / {of}; {_line_words(p)}; interval: line offset ±u and "
              f"outline ±{p.outline_uncertainty_m:g} m")
    return Computed(value, lo, hi, method, _refs(p))


def _m_zone_area(fig: Figures, c: Claim, t: Target) -> Computed:
    p = fig.partition(t.line, t.boundary, t.uncertainty_m)
    zid = c.fields["zone"]
    z = p.zone(zid)
    total = p.boundary_area_km2
    d = _zone_edge_km(p, zid) * p.outline_uncertainty_m / 1000
    lo, hi = z.interval_pct or (z.share_pct, z.share_pct)
    method = (f"geodesic area of the {zid} zone; {_line_words(p)}; interval: line offset "
              f"±u and the zone's outline ±{p.outline_uncertainty_m:g} m")
    return Computed(z.area_km2, lo * total / 100 - d, hi * total / 100 + d, method, _refs(p))


def _m_total_area(fig: Figures, c: Claim, t: Target) -> Computed:
    src = fig.source(t.boundary, "boundary")
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


def _m_gov_share(fig: Figures, c: Claim, t: Target) -> Computed:
    p = fig.partition(t.line, t.boundary, t.uncertainty_m)
    govs = fig.governorates(t.line, t.boundary, t.uncertainty_m)
    zid, name = c.fields["zone"], c.fields["governorate"]
    row = next((g for g in govs if _norm(name) in (_norm(g.name), _norm(g.name_ar))), None)
    if row is None:
        names = ", ".join(g.name for g in govs)
        raise LedgerError(f"unknown governorate {name!r}", source=f"claim {c.id!r}, field "
                          "'governorate'", fix=f"use one of {names}")
    value = row.share_pct[zid]
    lo, hi = row.interval_pct[zid] or (value, value)
    gov = governorates()
    ref = gov.dataset.ref if gov.dataset else "governorates"
    method = (f"geodesic area of the {zid} zone within {name} / the governorate's area "
              f"({ref}, derived from OSM, not official); {_line_words(p)}; interval: "
              "the line offset ±u; the governorate limits' own uncertainty is not propagated")
    return Computed(value, lo, hi, method, (*_refs(p), ref))


def _border_slack_km(parts: int) -> float:
    # Each stretch of border ends where the outline leaves the 100 m classification buffer
    # of the neighbour's land: either end may be off by that tolerance.
    return 2 * max(parts, 1) * CLASSIFY_TOLERANCE_M / 1000


def _m_border_length(fig: Figures, c: Claim, t: Target) -> Computed:
    kind = c.fields["with"]
    zid = c.fields.get("zone")
    b = fig.source(t.boundary, "boundary")
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
    parts = fig.offsets(t.line, t.boundary, t.uncertainty_m)
    vals = [p.zone(zid).borders_km[kind] for p in parts]
    method = (f"geodesic length of the {kind} border along the {zid} zone; "
              f"{_line_words(parts[0])}; interval: line offset ±u, ±{slack:g} km at the ends")
    return Computed(vals[0], max(0.0, min(vals) - slack), max(vals) + slack, method,
                    _refs(parts[0]))


def _m_shares_border(fig: Figures, c: Claim, t: Target) -> Computed:
    parts = fig.offsets(t.line, t.boundary, t.uncertainty_m)
    zid, kind = c.fields["zone"], c.fields["with"]
    km = [p.zone(zid).borders_km[kind] for p in parts]
    vals = [k * 1000 > SHARES_BORDER_MIN_M for k in km]
    method = (f"the {zid} zone shares {max(km):.2f} km or less of border with {kind} "
              f"(a border needs > {SHARES_BORDER_MIN_M:g} m); {_line_words(parts[0])}; "
              f"checked with the line as given and offset ±u ({len(parts) - 1} offsets)")
    return Computed(vals[0], None, None, method, _refs(parts[0]),
                    possible=tuple(sorted(set(vals))))


def _m_band_area(fig: Figures, c: Claim, t: Target) -> Computed:
    kind, width = c.fields["with"], float(c.fields["width_m"])
    b = fig.source(t.boundary, "boundary")
    border = borders_for(b.geometry).get(kind)
    v = fig.band_area_km2(t.boundary, kind, width)
    d = _border_slack_km(len(shapely.get_parts(border))) * width / 1000
    bref = b.dataset.ref if b.dataset else str(b.file)
    method = (f"geodesic area of {bref} land within {width:g} m (local LAEA buffer) of its "
              f"{kind} border; interval: the border's ends ±{CLASSIFY_TOLERANCE_M:g} m "
              f"x {width:g} m")
    return Computed(v, max(0.0, v - d), v + d, method, (bref,))


def _m_percent_of(fig: Figures, c: Claim, t: Target) -> Computed:
    p, p_lo, p_hi = number_interval(c.fields["part"])
    w, w_lo, w_hi = number_interval(c.fields["whole"])
    cands = [100 * x / y for x in (p_lo, p_hi) for y in (w_lo, w_hi) if y != 0]
    method = (f"arithmetic of the stated numbers: {c.fields['part']} / {c.fields['whole']} x 100;"
              " interval from their written precision")
    return Computed(100 * p / w, min(cands), max(cands), method)


def _m_sum(fig: Figures, c: Claim, t: Target) -> Computed:
    parts = [number_interval(v) for v in c.fields["values"]]
    written = " + ".join(str(v) for v in c.fields["values"])
    method = f"arithmetic of the stated numbers: {written}; interval from their written precision"
    return Computed(sum(p[0] for p in parts), sum(p[1] for p in parts),
                    sum(p[2] for p in parts), method)


def _m_population(fig: Figures, c: Claim, t: Target) -> Computed:
    raise NotCheckable("no population data: gazamap ships no population grid or census by "
                       "zone, and population counts in Gaza since 2023 are estimates")


def _m_markers(fig: Figures, c: Claim, t: Target) -> Computed:
    raise NotCheckable("no marker data: the positions of the yellow blocks on the ground have "
                       "no public geometry (only reports of offsets); gazamap cannot measure them")


METRIC_FUNCS: dict[str, Callable[[Figures, Claim, Target], Computed]] = {
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
