"""Metrics measured on the shape of the outline and of a line.

The outline's area, its border lengths (of the whole Strip or of a zone), the land near
a border, a line's depth from the Israel border and the Strip's length and width, each
with its interval and method (see :mod:`geo.claims.metrics`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import shapely

from geo.analysis.outlines import border_sensitivity
from geo.analysis.uncertainty import LineUncertainty
from geo.claims._figures import Figures, NotCheckable, zone_of
from geo.claims.computed import Computed, MetricFunc, Target, line_words, name_key, refs
from geo.claims.ledger import Claim
from geo.errors import LedgerError
from geo.geometry.borders import CLASSIFY_TOLERANCE_M, TRIPOINT_RULE
from geo.geometry.crs import from_laea, to_laea
from geo.geometry.measure import geodesic_area_m2, geodesic_length_m
from geo.geometry.shape_metrics import (
    TIP_M,
    Depth,
    StripProfile,
    line_depth,
    stat,
    strip_profile,
    width_at,
)
from geo.read.sources import Source, borders_for, governorates

__all__ = ["SHAPE_METRICS"]


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
    ref = src.ref
    method = (f"geodesic area of {ref} (WGS84): {area:.2f} km² without inland ponds, "
              f"{filled:.2f} km² with them filled (published totals include inland water); "
              f"interval: the {perim_km:.0f} km exterior ±{src.uncertainty_m:g} m")
    return Computed(area, area - d, filled + d, method, (ref,))


def _border_slack_km(parts: int) -> float:
    # Each stretch of border ends where the outline leaves the 100 m classification buffer
    # of the neighbour's land: either end may be off by that tolerance.
    return 2 * max(parts, 1) * CLASSIFY_TOLERANCE_M / 1000


_FINE_DEG = 0.0001  # ~10 m: a densification finer than the areas' 0.0005°


def _resolution_km(fig: Figures, b: Source, kind: str) -> tuple[float, float, str]:
    """How much a border's length moves with the outline's level of detail.

    ``(below, above, words)``: the spread of the length below and above the outline as
    given, over: the outline densified to ~10 m, simplified by its own positional
    uncertainty (local LAEA), and, for a packaged outline, the other packaged outlines.
    """
    base, lengths = _outline_lengths(fig, b)
    spread = {k: v[kind] for k, v in lengths.items()}
    words = ", ".join(f"{k} {v:.2f} km" for k, v in spread.items())
    return (max(0.0, base[kind] - min(spread.values())),
            max(0.0, max(spread.values()) - base[kind]), words)


_Lengths = dict[str, float]


def _outline_lengths(fig: Figures, b: Source) -> tuple[_Lengths, dict[str, _Lengths]]:
    """Every border kind's length on the outline and on its variants (once per outline)."""
    key = ("resolution", b.label)
    if key not in fig.memo:
        base = borders_for(b.geometry).lengths_km()
        variants = {"densified to 0.0001°": shapely.segmentize(b.geometry, _FINE_DEG)}
        if b.uncertainty_m > 0:
            variants[f"simplified by {b.uncertainty_m:g} m"] = from_laea(
                to_laea(b.geometry).simplify(b.uncertainty_m))
        lengths = {k: borders_for(g).lengths_km() for k, g in variants.items()}
        if b.packaged:
            # how finely and where the other packaged outlines follow the fence and coast
            for ob in border_sensitivity():
                if ob.dataset != b.ref:
                    lengths[ob.dataset] = {"israel": ob.israel_km, "egypt": ob.egypt_km,
                                           "sea": ob.sea_km}
        fig.memo[key] = (base, lengths)
    out = fig.memo[key]
    assert isinstance(out, tuple)
    return out


def _m_border_length(fig: Figures, c: Claim, t: Target) -> Computed:
    kind = c.fields["with"]
    zid = c.fields.get("zone")
    b = fig.source(t.boundary, "boundary")
    borders = borders_for(b.geometry)
    slack = _border_slack_km(len(shapely.get_parts(borders.get(kind))))
    below, above, spread = _resolution_km(fig, b, kind)
    res_words = (f"; outline resolution -{below:.2f}/+{above:.2f} km (the length on the "
                 f"outline {spread})")
    bref = b.ref
    if zid is None:
        v = borders.lengths_km()[kind]
        method = (f"geodesic length of the {bref} exterior within {CLASSIFY_TOLERANCE_M:g} m "
                  f"of the packaged {kind} land ({TRIPOINT_RULE})" if kind != "sea" else
                  f"geodesic length of the {bref} exterior bordering neither Israel nor Egypt")
        return Computed(v, max(0.0, v - slack - below), v + slack + above,
                        method + f"; interval ±{slack:g} km at the stretch ends" + res_words,
                        (bref,), adds=f"±{slack:g} km at the stretch ends and the outline's "
                                      "level of detail")
    an = fig.analysis(t.line, t.boundary, t.uncertainty_m)
    z = zone_of(an, zid)
    v = z.borders_km[kind]
    lo, hi = z.borders_km_interval[kind] if z.borders_km_interval else (v, v)
    method = (f"geodesic length of the {kind} border along the {zid} zone ({TRIPOINT_RULE});"
              f" {line_words(an)}; interval: the line moved by its uncertainty, "
              f"±{slack:g} km at the ends" + res_words)
    return Computed(v, max(0.0, min(lo, v) - slack - below), max(hi, v) + slack + above,
                    method, refs(an),
                    interval=(lo, hi) if z.borders_km_interval else None,
                    adds=f"±{slack:g} km at the stretch ends and the outline's level of detail")


def _m_band_area(fig: Figures, c: Claim, t: Target) -> Computed:
    kind, width = c.fields["with"], float(c.fields["width_m"])
    b = fig.source(t.boundary, "boundary")
    border = borders_for(b.geometry).get(kind)
    v = fig.band_area_km2(t.boundary, kind, width)
    d = _border_slack_km(len(shapely.get_parts(border))) * width / 1000
    bref = b.ref
    method = (f"geodesic area of {bref} land within {width:g} m (local LAEA buffer) of its "
              f"{kind} border; interval: the border's ends ±{CLASSIFY_TOLERANCE_M:g} m "
              f"x {width:g} m")
    return Computed(v, max(0.0, v - d), v + d, method, (bref,))


def _governorate_geometry(name: str, cid: str) -> shapely.Geometry:
    gov = governorates()
    for f in gov.features:
        if name_key(name) in (name_key(str(f.properties.get("name") or "")),
                           name_key(str(f.properties.get("name_ar") or ""))):
            return f.geometry
    names = ", ".join(str(f.properties.get("name")) for f in gov.features)
    raise LedgerError(f"unknown governorate {name!r}", source=f"claim {cid!r}, field "
                      "'governorate'", fix=f"use one of {names}")


def _m_line_depth(fig: Figures, c: Claim, t: Target) -> Computed:
    if not isinstance(t.line, str):
        raise NotCheckable("the depth of a line takes one line, not several")
    ln, b = fig.source(t.line, "line"), fig.source(t.boundary, "boundary")
    if ln.geometry.geom_type not in ("LineString", "MultiLineString"):
        raise NotCheckable(f"{ln.ref} is a zone polygon, not a line: the depth of a line "
                           "needs the line")
    borders = borders_for(b.geometry)
    name = c.fields.get("governorate")
    within = _governorate_geometry(name, c.id) if name else None
    # the depths of one line in one outline (and governorate) are computed once for all
    # the claims that read them (six in the public ledger: mean, median, max...)
    key = ("line_depth", t.line, t.boundary, name)
    if key not in fig.memo:
        try:
            fig.memo[key] = line_depth(ln.geometry, b.geometry, borders.israel,
                                       other_border=borders.egypt, within=within)
        except ValueError as exc:
            fig.memo[key] = NotCheckable(f"no depth: {exc}")
    got = fig.memo[key]
    if isinstance(got, NotCheckable):
        raise got
    assert isinstance(got, Depth)
    d = got
    which = c.fields["stat"]
    value = stat(d.depths_km, which)
    u = (LineUncertainty.of(t.uncertainty_m) if t.uncertainty_m is not None else
         ln.dataset.line_uncertainty if ln.dataset is not None else
         LineUncertainty.of(ln.uncertainty_m))
    # toward the coast the line lies deeper; toward Israel shallower
    shallower = (u.toward_israel_m + b.uncertainty_m) / 1000
    deeper = (u.toward_coast_m + b.uncertainty_m) / 1000
    lref = ln.ref
    bref = b.ref
    where = f" within {name}" if name else ""
    method = (f"{which} of the distances from {len(d.depths_km)} points of {lref} inside "
              f"{bref}{where} (every {d.sample_m:g} m along the line) to the nearest point of "
              f"the outline's Israel border, in the local LAEA; {d.excluded_nearer_other} "
              "points nearer to the Egypt border than to Israel's (where the line runs "
              "along the Rafah side to the sea) left out; interval: the line "
              f"{u.words} plus the outline ±{b.uncertainty_m:g} m (the line toward the coast "
              "is deeper), since moving the line or the border by x moves each distance by "
              "at most x")
    gds = governorates().dataset
    datasets = (lref, bref) + ((gds.ref,) if name and gds is not None else ())
    return Computed(value, max(0.0, value - shallower), value + deeper, method, datasets)


def _strip(fig: Figures, boundary: str, tip_m: float) -> StripProfile:
    key = ("strip", boundary, tip_m)
    if key not in fig.memo:
        fig.memo[key] = strip_profile(fig.source(boundary, "boundary").geometry, tip_m=tip_m)
    out = fig.memo[key]
    assert isinstance(out, StripProfile)
    return out


def _axis_words(p: StripProfile) -> str:
    return (f"long axis = the long side of the outline's minimum rotated rectangle "
            f"(bearing {p.axis_bearing_deg:.1f}°, local LAEA)")


def _wanted(c: Claim, available: list[Computed]) -> Computed:
    """The readings a claim allows (``readings``, else all), the first as the main one."""
    names = c.fields.get("readings")
    chosen = [x for x in available if names is None or x.reading in names] or available[:1]
    return replace(chosen[0], readings=tuple(chosen[1:]))


def _diameter_km(geom: shapely.Geometry) -> float:
    hull = np.asarray(shapely.get_coordinates(to_laea(geom.convex_hull)))
    d = np.sqrt(((hull[:, None, :] - hull[None, :, :]) ** 2).sum(-1))
    return float(d.max()) / 1000


def _m_strip_length(fig: Figures, c: Claim, t: Target) -> Computed:
    b = fig.source(t.boundary, "boundary")
    p = _strip(fig, t.boundary, TIP_M)
    half = 2 * b.uncertainty_m / 1000
    bref = b.ref
    ends = (f"interval ±{half * 1000:g} m (both ends ± the outline's {b.uncertainty_m:g} m)")
    axis = Computed(
        p.length_km, p.length_km - half, p.length_km + half,
        f"length rule 'axis': extent of {bref} along its {_axis_words(p)}: {p.length_km:.2f} "
        f"km from end to end; {ends}", (bref,), reading="axis")
    sea = _m_border_length(fig, replace(c, fields={"with": "sea"}), t)
    coast = replace(sea, method="length rule 'coast': " + sea.method, reading="coast")
    dia = _diameter_km(b.geometry)
    diameter = Computed(
        dia, dia - half, dia + half,
        f"length rule 'diameter': the longest straight distance between two points of {bref}"
        f" (its convex hull, local LAEA): {dia:.2f} km; {ends}", (bref,), reading="diameter")
    return _wanted(c, [axis, coast, diameter])


def _m_strip_width(fig: Figures, c: Claim, t: Target) -> Computed:
    b = fig.source(t.boundary, "boundary")
    tip = float(c.fields.get("tip_m", TIP_M))
    p = _strip(fig, t.boundary, tip)
    half = 2 * b.uncertainty_m / 1000
    bref = b.ref
    extra: list[Computed] = []
    if "at" in c.fields:
        lon, lat = (float(x) for x in c.fields["at"])
        if not b.geometry.buffer(0.01).contains(shapely.Point(lon, lat)):
            raise LedgerError(f"the point {lon:g}, {lat:g} is not in or near the outline",
                              source=f"claim {c.id!r}, field 'at'",
                              fix="give [lon, lat] of a point in the Strip, longitude first")
        value = width_at(b.geometry, lon, lat)
        what = f"the cross-section through {lon:g}, {lat:g}"
        coast = to_laea(borders_for(b.geometry).sea, dense=True)
        near = float(shapely.distance(to_laea(shapely.Point(lon, lat)), coast)) / 1000
        one = b.uncertainty_m / 1000
        extra.append(Computed(
            near, max(0.0, near - one), near + one,
            f"width rule 'nearest-coast': the distance from {lon:g}, {lat:g} to the nearest "
            f"point of the coast of {bref} (local LAEA); interval ± the outline's "
            f"{b.uncertainty_m:g} m", (bref,), reading="nearest-coast"))
    else:
        which = c.fields["stat"]
        value = stat(p.widths_km, which)
        what = (f"{which} of {len(p.widths_km)} cross-sections every {p.step_m:.0f} m; "
                f"tips no longer than {tip:g} m left out ({p.tips_km[0]:.1f} km and "
                f"{p.tips_km[1]:.1f} km at the ends)")
    method = (f"width rule 'cross-section': width of {bref} (inland ponds filled) "
              f"perpendicular to its {_axis_words(p)}: {what}; interval ±{half * 1000:g} m "
              f"(both sides ± the outline's {b.uncertainty_m:g} m)")
    main = Computed(value, max(0.0, value - half), value + half, method, (bref,),
                    reading="cross-section")
    return _wanted(c, [main, *extra])


SHAPE_METRICS: dict[str, MetricFunc] = {
    "total_area_km2": _m_total_area,
    "border_length_km": _m_border_length,
    "band_area_km2": _m_band_area,
    "line_depth_km": _m_line_depth,
    "strip_length_km": _m_strip_length,
    "strip_width_km": _m_strip_width,
}
