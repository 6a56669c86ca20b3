"""One request, one analysis: :func:`analyse` resolves a request once and measures it.

:func:`analyse` resolves a :class:`~geo.analysis.request.Request` once (the boundary, every
line, the reference datasets), splits the outline into ordered zones and measures them. The
result is an :class:`~geo.analysis.model.Analysis` (:mod:`geo.analysis.model`).

Example
-------
>>> import geo
>>> a = geo.analyse()                      # the packaged outline and the 19 Oct 2025 line
>>> [z.id for z in a.zones]
['east', 'west']
>>> round(sum(z.area_km2 for z in a.zones) - a.boundary_area_km2, 9)
0.0
>>> east = a.zone("east")
>>> east.interval is not None and east.interval.low < east.share_pct < east.interval.high
True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import shapely

from geo._beside import Beside
from geo.analysis.bands import (
    Bands,
    ZoneEdges,
    gain_loss,
    geodesic_km2,
    line_bands,
    polygon_bands,
)
from geo.analysis.method import interval_method, method_text, software
from geo.analysis.model import (
    Analysis,
    Interval,
    LineResult,
    Provenance,
    Zone,
    denominator_key,
)
from geo.analysis.parts import Parts, controlled_point, population_beside
from geo.analysis.population import PopulationFigures
from geo.analysis.request import LineSpec, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.errors import GazamapNote, GazamapWarning, InputError, PartitionError
from geo.geometry.borders import Borders
from geo.geometry.crs import to_laea
from geo.geometry.measure import geodesic_area_m2, planar_area_m2
from geo.geometry.partition import Partition, partition_by_lines, partition_by_zone_polygon
from geo.read.sources import Source, borders_for, resolve, resolve_markers

__all__ = ["CONVENTIONAL_DENOMINATORS_KM2", "CROSS_CHECK_MAX_REL", "analyse", "analyse_quietly"]

# 365 km² is the figure most media use (PCBS table 676: 60.9 + 74.6 + 56.7 + 109.7 + 63.1);
# 360 km² is the sum of Wikipedia's governorate areas (61 + 70 + 56 + 108 + 65).
CONVENTIONAL_DENOMINATORS_KM2 = (365.0, 360.0)
CROSS_CHECK_MAX_REL = 1e-4  # geodesic vs local equal-area must agree to 0.01 %


def _resolve_line(spec: LineSpec, request: Request) -> Source:
    """The line a spec names, read once (a Source given in the spec is used as is)."""
    if spec.source is not None:
        return spec.source
    read_kw = request.read.kwargs()
    if spec.from_markers:
        return resolve_markers(spec.ref, request.catalog, outlier_m=request.outlier_m,
                               **read_kw)
    return resolve(spec.ref, "line", request.catalog, outlier_m=request.outlier_m, **read_kw)


def _uncertainty(spec: LineSpec, src: Source) -> tuple[LineUncertainty | None, str]:
    """A line's uncertainty and where it was stated: the request, the catalog, the source."""
    if spec.uncertainty_m is not None:
        return LineUncertainty.of(spec.uncertainty_m), "request"
    if src.dataset is not None and src.dataset.uncertainty_m > 0:
        return src.dataset.line_uncertainty, "catalog"
    if src.dataset is None and src.uncertainty_m > 0:
        return LineUncertainty.of(src.uncertainty_m), "source"
    return None, "none"


def _is_polygon(src: Source) -> bool:
    return src.geometry.geom_type in ("Polygon", "MultiPolygon")


def analyse(request: Request | None = None, *, parts: str = "lazy",
            **kwargs: Any) -> Analysis:
    """Resolve a request once, split the outline into zones and measure everything.

    Parameters
    ----------
    request : Request, optional
        What to analyse; or give its fields as keywords (``Request.of``): ``boundary``,
        ``line`` or ``lines``, ``markers``, ``uncertainty_m``, ``denominators_km2``,
        ``snap_tolerance_m``, ``controlled_at``, ``data_dirs``, read options.
    parts : {"lazy", "all"}
        ``"lazy"``: the governorates, the alternative, the outline sensitivity and the
        population are computed when first read. ``"all"``: all of them before returning
        (what :meth:`Analysis.to_dict` shows), sooner on two cores: the population is
        measured beside the zones, and two of the others beside the rest
        (:mod:`geo._beside`). The figures and the notes are the same either way.

    Raises
    ------
    geo.errors.InputError
        A parameter out of range (naming it), an unreadable input, or lines that do not
        divide the outline (:class:`~geo.errors.PartitionError`).
    """
    if request is None:
        request = Request.of(**kwargs)
    elif kwargs:
        raise InputError("give a Request or keywords, not both", source="request",
                         fix="put the keywords into the Request")
    if parts not in ("lazy", "all"):
        raise InputError(f"parts={parts!r} is neither 'lazy' nor 'all'", source="parts",
                         fix="give parts='lazy' (the default) or parts='all'")
    analysis = analyse_quietly(request, early_population=parts == "all")
    for text in analysis.notes:
        warnings.warn(text, GazamapNote, stacklevel=2)
    for text in analysis.warnings:
        warnings.warn(text, GazamapWarning, stacklevel=2)
    if parts == "all":
        analysis.compute_parts()
    return analysis


def analyse_quietly(request: Request, *, early_population: bool = False) -> Analysis:
    """:func:`analyse` without issuing the notes and warnings (they stay in the result).

    ``early_population`` starts the population beside the measurement (two cores).
    """
    request = request.checked()
    boundary = (request.boundary if isinstance(request.boundary, Source) else
                resolve(request.boundary, "boundary", request.catalog, **request.read.kwargs()))
    sources = [_resolve_line(s, request) for s in request.lines]
    polygons = [s for s in sources if _is_polygon(s)]
    if polygons and len(sources) > 1:
        raise PartitionError(
            "a zone polygon cannot be combined with other lines", source=polygons[0].label,
            fix="give the zone polygon alone, or lines only")
    borders = borders_for(boundary.geometry)
    uncert = [_uncertainty(spec, src) for spec, src in zip(request.lines, sources, strict=True)]
    notes: list[str] = []
    # sources are named by file name or dataset id: notes end up in published outputs
    labels = [f"{s.ref} (markers)" if s.markers is not None else s.ref for s in sources]
    for src, label in zip(sources, labels, strict=True):
        if src.markers is not None:
            notes += [f"{label}: {n}" for n in src.markers.notes]
    if polygons:
        part = partition_by_zone_polygon(boundary.geometry, sources[0].geometry,
                                         source=labels[0])
    else:
        point, where = controlled_point(request, sources[0])
        part = partition_by_lines(boundary.geometry, [s.geometry for s in sources], borders,
                                  snap_tolerance_m=request.snap_tolerance_m,
                                  sources=[s.label for s in sources],
                                  controlled_at=point, controlled_label=where,
                                  allow_sliver=request.allow_sliver)
    for src, label, snaps in zip(sources, labels, part.snaps, strict=False):
        if src.packaged and boundary.packaged:
            # a repair of the packaged data on the packaged outline: the user cannot change
            # it, so it is stated once, in the catalog notes and the line's repairs, not
            # issued on every run
            continue
        notes += [f"{label}: {s.note()}" for s in snaps]
    notes += list(part.notes)
    early = (population_beside(list(part.zones.items()))
             if early_population and request.population else None)
    return _measure(request, boundary, sources, uncert, part, borders, notes, early)


def _line_results(sources: Sequence[Source],
                  uncert: Sequence[tuple[LineUncertainty | None, str]],
                  part: Partition) -> tuple[LineResult, ...]:
    out = []
    for i, (src, (u, how)) in enumerate(zip(sources, uncert, strict=True)):
        geom = part.lines[i] if part.lines else None
        repairs = tuple(s.note() for s in part.snaps[i]) if part.snaps else ()
        if src.markers is not None:
            repairs = (*src.markers.notes, *repairs)
        out.append(LineResult(src, geom, part.method, None if u is None else u.max_m, how,
                              repairs, u))
    return tuple(out)


def _zone_labels(ids: Sequence[str], lines: Sequence[LineResult]) -> list[str]:
    if lines[0].method == "zone-polygon":
        return [f"inside the zone polygon {lines[0].ref} (under military control)",
                f"outside the zone polygon {lines[0].ref}"]
    out = []
    for k, zid in enumerate(ids):
        if zid == "east":
            out.append(f"east of {lines[0].words} (under military control)")
        elif zid == "west":
            out.append(f"west of {lines[-1].words}")
        else:
            out.append(f"between {lines[k - 1].words} and {lines[k].words}")
    return out


def _measure(request: Request, boundary: Source, sources: Sequence[Source],
             uncert: Sequence[tuple[LineUncertainty | None, str]], part: Partition,
             borders: Borders, notes: list[str],
             early: Beside[PopulationFigures] | None = None) -> Analysis:
    """Measure the zones of ``part`` and assemble the :class:`Analysis` (lazy parts unset).

    ``early`` is the population already started beside (:func:`population_beside`).
    """
    lines = _line_results(sources, uncert, part)
    total_km2 = geodesic_area_m2(boundary.geometry) / 1e6
    planar_km2 = planar_area_m2(boundary.geometry) / 1e6
    denoms = tuple(dict.fromkeys([*CONVENTIONAL_DENOMINATORS_KM2,
                                  *(float(d) for d in request.denominators_km2)]))
    b_planar = to_laea(shapely.force_2d(boundary.geometry), dense=True)
    bands = _bands(part, uncert, b_planar)
    ids = list(part.zones)
    labels = _zone_labels(ids, lines)
    words = interval_method(lines, part.method)
    zones = [_zone(part, k, zid, labels[k], bands, borders, total_km2, denoms, words)
             for k, zid in enumerate(ids)]
    warns = [f"the {z.id} zone ({z.area_km2:.1f} km²) is larger than the total of "
             f"{denominator_key(over[0])} km²: its share of it exceeds 100 %"
             for z in zones if (over := [d for d in denoms if z.area_km2 > d])]
    rel = (planar_km2 - total_km2) / total_km2
    if abs(rel) > CROSS_CHECK_MAX_REL:
        warns.append(f"the planar cross-check differs from the geodesic area by {rel:.2e}")
    notes += _uncertainty_notes(lines, uncert)
    warns += _polygon_border_warnings(part, lines, zones)
    parts = Parts(request, boundary, tuple(sources), part, tuple(ids), tuple(bands),
                  words, b_planar, uncert[0][0], tuple(zones), total_km2, tuple(denoms),
                  early_population=early)
    method = method_text(request, lines, part, planar_km2, rel, denoms, words)
    return Analysis(
        request=request, boundary=boundary, boundary_area_km2=total_km2,
        boundary_area_km2_planar=planar_km2, lines=lines, zones=tuple(zones),
        provenance=Provenance(parts.datasets(), method, software()),
        notes=tuple(notes), warnings=tuple(warns), partition=part, borders=borders,
        bands=tuple(bands), parts=parts)


def _bands(part: Partition, uncert: Sequence[tuple[LineUncertainty | None, str]],
           b_planar: shapely.Geometry) -> list[Bands | None]:
    """Each line's swept bands (None for a line without an uncertainty)."""
    if part.method == "zone-polygon":
        u = uncert[0][0]
        return [polygon_bands(part, b_planar, u) if u and u.max_m > 0 else None]
    return [(line_bands(part, i, u) if u and u.max_m > 0 else None)
            for i, (u, _) in enumerate(uncert)]


def _zone(part: Partition, k: int, zid: str, label: str, bands: Sequence[Bands | None],
          borders: Borders, total_km2: float, denoms: Sequence[float], words: str) -> Zone:
    """Zone ``k``: its geodesic and planar area, share, interval and border lengths."""
    geom = part.zones[zid]
    a_km2 = geodesic_area_m2(geom) / 1e6
    gl = gain_loss(k, len(part.zones), bands)
    interval = None
    edges = ZoneEdges(geom, borders)
    if gl is not None:
        gain, loss = gl
        hi = min(total_km2, a_km2 + sum(geodesic_km2(ll) for _, ll in gain))
        lo = max(0.0, a_km2 - sum(geodesic_km2(ll) for _, ll in loss))
        interval = Interval(100 * lo / total_km2, 100 * hi / total_km2, words)
        edges = ZoneEdges(geom, borders, tuple(pl for pl, _ in gain),
                          tuple(pl for pl, _ in loss))
    return Zone(
        id=zid, label=label, geometry=geom, area_km2=a_km2,
        area_km2_planar=planar_area_m2(geom) / 1e6, share_pct=100 * a_km2 / total_km2,
        interval=interval, shares_of={denominator_key(d): 100 * a_km2 / d for d in denoms},
        edges=edges)


def _uncertainty_notes(lines: Sequence[LineResult],
                       uncert: Sequence[tuple[LineUncertainty | None, str]]) -> list[str]:
    """A note for each line that gives its zones no interval, saying how to give one."""
    out = []
    for ln, (u, _) in zip(lines, uncert, strict=True):
        if u is None:
            out.append(f"{ln.ref}: no positional uncertainty is stated for this line, so "
                       "its zones have no interval; give uncertainty_m (metres), or "
                       "the field `uncertainty_m` in its data-dir catalog entry")
        elif u.max_m == 0:
            out.append(f"{ln.ref}: uncertainty 0 m was given, so its zones have no interval")
    return out


def _polygon_border_warnings(part: Partition, lines: Sequence[LineResult],
                             zones: Sequence[Zone]) -> list[str]:
    """A zone polygon that does not follow the outline along the borders (slivers west)."""
    if part.method != "zone-polygon":
        return []
    west = zones[1].borders_km
    if west["israel"] + west["egypt"] <= 0.1:
        return []
    return [f"{lines[0].ref}: the zone polygon does not follow this outline along the "
            f"borders, so slivers of land outside it count as west (west touches "
            f"{west['israel']:.1f} km of the Israel border and {west['egypt']:.1f} km "
            "of the Egypt border): border figures of this method are not meaningful"]
