"""The metrics: what gazamap computes for each kind of claim, with its interval and method.

Each metric function (:data:`METRIC_FUNCS`) takes the
:class:`~geo.claims._figures.Figures` adapter, the claim and the
:class:`~geo.claims.computed.Target` (line, boundary, uncertainty the claim is checked
against) and returns a :class:`~geo.claims.computed.Computed` value, or raises
:class:`~geo.claims._figures.NotCheckable` with the reason. Here: the figures of a zone,
read from the target's :class:`~geo.analysis.Analysis` in its own types, the arithmetic
of stated numbers and population shares; :mod:`geo.claims.shape` measures the outline
and the line.
"""

from __future__ import annotations

from geo.analysis import Analysis, Interval, Zone
from geo.analysis.population import PopulationFigures
from geo.claims._figures import Figures, NotCheckable, zone_of
from geo.claims.computed import Computed, MetricFunc, Target, line_words, name_key, refs
from geo.claims.intervals import number_interval
from geo.claims.ledger import Claim
from geo.claims.shape import SHAPE_METRICS
from geo.errors import LedgerError
from geo.geometry.borders import SHARES_BORDER_MIN_M
from geo.read.sources import governorates

__all__ = ["METRIC_FUNCS"]


def _zone_edge_km(z: Zone) -> float:
    return float(sum(z.borders_km.values()))


def _bounds(iv: Interval | None, value: float) -> tuple[float, float]:
    """``(low, high)`` of an interval, or the value itself when there is none."""
    return (iv.low, iv.high) if iv is not None else (value, value)


def _m_zone_share(fig: Figures, c: Claim, t: Target) -> Computed:
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    zid = c.fields["zone"]
    z = zone_of(an, zid)
    total = an.boundary_area_km2
    a, b = z.area_km2, total - z.area_km2  # the zone and the rest of the outline
    ub_km = an.boundary.uncertainty_m / 1000
    da = _zone_edge_km(z) * ub_km
    db = sum(_zone_edge_km(k) for k in an.zones if k.id != zid) * ub_km
    lo, hi = _bounds(z.interval, z.share_pct)
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
    own = (lo, hi) if z.interval else None
    lo -= value - min(res)
    hi += max(res) - value
    adds = _outline_adds(an)
    method = (f"{zid} zone area / {of}; {line_words(an)}; interval: the line moved by its "
              f"uncertainty (the interval of `gazamap areas`)"
              + (f", checked with {adds} added" if adds else ""))
    return Computed(value, lo, hi, method, refs(an), interval=own, adds=adds)


def _outline_adds(a: Analysis) -> str:
    u = a.boundary.uncertainty_m
    return f"the outline's ±{u:g} m" if u > 0 else ""


def _m_zone_area(fig: Figures, c: Claim, t: Target) -> Computed:
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    zid = c.fields["zone"]
    z = zone_of(an, zid)
    total = an.boundary_area_km2
    d = _zone_edge_km(z) * an.boundary.uncertainty_m / 1000
    lo, hi = _bounds(z.interval, z.share_pct)
    own = (lo * total / 100, hi * total / 100) if z.interval else None
    adds = _outline_adds(an)
    method = (f"geodesic area of the {zid} zone; {line_words(an)}; interval: the line moved "
              "by its uncertainty (the interval of `gazamap areas`)"
              + (f", checked with {adds} added along the zone's outline" if adds else ""))
    return Computed(z.area_km2, lo * total / 100 - d, hi * total / 100 + d, method,
                    refs(an), interval=own, adds=adds)


def _m_gov_share(fig: Figures, c: Claim, t: Target) -> Computed:
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    zid, name = c.fields["zone"], c.fields["governorate"]
    zone_of(an, zid)  # a zone the partition has
    govs = an.governorates
    row = next((g for g in govs if name_key(name) in (name_key(g.name), name_key(g.name_ar))), None)
    if row is None:
        names = ", ".join(g.name for g in govs)
        raise LedgerError(f"unknown governorate {name!r}", source=f"claim {c.id!r}, field "
                          "'governorate'", fix=f"use one of {names}")
    share = row.zones[zid]
    value = share.share_pct
    lo, hi = _bounds(share.interval, value)
    gov = governorates()
    ref = gov.dataset.ref if gov.dataset else "governorates"
    method = (f"geodesic area of the {zid} zone within {name} (intersection) / the "
              f"governorate's area ({ref}, derived from OSM, not official); "
              f"{line_words(an)}; interval: the line moved by its uncertainty; the "
              "governorate limits' own uncertainty is not propagated")
    return Computed(value, lo, hi, method, (*refs(an), ref),
                    interval=(lo, hi) if share.interval else None)


def _m_shares_border(fig: Figures, c: Claim, t: Target) -> Computed:
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    zid, kind = c.fields["zone"], c.fields["with"]
    z = zone_of(an, zid)
    km = [z.borders_km[kind], *(z.borders_km_interval[kind] if z.borders_km_interval else ())]
    vals = [k * 1000 > SHARES_BORDER_MIN_M for k in km]
    method = (f"the {zid} zone shares {max(km):.2f} km or less of border with {kind} "
              f"(a border needs > {SHARES_BORDER_MIN_M:g} m); {line_words(an)}; checked "
              "with the line as given and its border lengths under ±u")
    return Computed(vals[0], None, None, method, refs(an),
                    possible=tuple(sorted(set(vals))))


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
    zid = c.fields["zone"]
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    zone_of(an, zid)  # a zone it has
    pop = fig.population(t.line, t.boundary, t.uncertainty_m)
    if c.fields.get("basis", "current") == "current":
        context = ""
        if pop is not None:
            lo, hi = pop.zone(zid).share_pct_low, pop.zone(zid).share_pct_high
            context = (f"; for context only, and not a figure about today: before the war "
                       f"({pop.basis}), three methods put {lo:.0f}–{hi:.0f} % of the "
                       f"population in the land of the {zid} zone")
        raise NotCheckable("no current population data: no post-war population geometry "
                           "is public, and counts in Gaza since 2023 are estimates" + context)
    if pop is None:
        raise NotCheckable("no pre-war population data is packaged yet (PCBS census "
                           "figures by zone)")
    z = pop.zone(zid)
    lo, hi = z.share_pct_low, z.share_pct_high
    return Computed(z.share_pct, lo, hi, f"{pop.basis}: {_population_method(pop)}",
                    (*pop.datasets, an.lines[0].ref, an.boundary.ref), interval=(lo, hi))


def _population_method(pop: PopulationFigures) -> str:
    """How the population interval was made: the range between the estimation methods."""
    n = len(pop.methods)
    return (f"the range of {n} methods (the central figure is the mean of {n} methods, no "
            "method preferred): " + "; ".join(f"{m}: {d}" for m, d in pop.methods))


def _m_markers(fig: Figures, c: Claim, t: Target) -> Computed:
    raise NotCheckable("no marker data: the positions of the yellow blocks on the ground have "
                       "no public geometry (only reports of offsets); gazamap cannot measure them")


METRIC_FUNCS: dict[str, MetricFunc] = {
    "zone_share_pct": _m_zone_share,
    "zone_area_km2": _m_zone_area,
    "governorate_share_pct": _m_gov_share,
    "shares_border": _m_shares_border,
    "percent_of": _m_percent_of,
    "sum": _m_sum,
    "population_share_pct": _m_population,
    "marker_offset_m": _m_markers,
    **SHAPE_METRICS,
}
