"""Areas and shares of a partition: geodesic figures, planar cross-check, uncertainty."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import shapely

from geo.borders import SHARES_BORDER_MIN_M, Borders, shared_lengths_km
from geo.crs import DENSIFY_DEG, LAEA_GAZA, from_laea, to_laea
from geo.errors import InputError
from geo.measure import ELLIPSOID, geodesic_area_m2, planar_area_m2
from geo.partition import (
    DEFAULT_SNAP_TOLERANCE_M,
    Partition,
    PartitionWarning,
    partition_by_line,
    partition_by_zone_polygon,
)
from geo.sources import GOVERNORATES, NEIGHBOURS, Source, borders_for, governorates, resolve

__all__ = [
    "CONVENTIONAL_DENOMINATORS_KM2",
    "CROSS_CHECK_MAX_REL",
    "AreaReport",
    "compute_areas",
    "partition_source",
    "band_area_km2",
    "method_text",
]

# 365 km² is the figure most media use (PCBS); 360 km² is the sum of PCBS governorates.
CONVENTIONAL_DENOMINATORS_KM2 = (365.0, 360.0)
CROSS_CHECK_MAX_REL = 1e-4  # geodesic vs local equal-area must agree to 0.01 %


def _key(km2: float) -> str:
    return f"{km2:g}"


def method_text() -> dict[str, Any]:
    """The computation, described for JSON outputs and methods notes."""
    return {
        "area": (f"geodesic area on the {ELLIPSOID} ellipsoid (pyproj.Geod."
                 "polygon_area_perimeter, ring by ring: exterior added, holes subtracted, "
                 "whatever their orientation), edges "
                 f"densified to {DENSIFY_DEG} degree so that they follow the lon/lat edges of "
                 "the data (RFC 7946)"),
        "ellipsoid": ELLIPSOID,
        "densify_deg": DENSIFY_DEG,
        "split_crs": LAEA_GAZA,
        "split": ("zones are cut in the local Lambert azimuthal equal-area CRS; line ends "
                  "inside the outline are extended along their last segment within the "
                  "snapping tolerance; the zones are checked to cover the outline without "
                  "overlap (relative mismatch below 1e-9)"),
        "east_zone": "the zone with the longer border with Israel",
        "borders": ("outline edges within 100 m of the packaged Israel or Egypt land are "
                    "borders with that country; the rest of the exterior is sea; inland "
                    "ponds are not borders"),
    }


def partition_source(boundary: Source, line: Source, *,
                     snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M) -> Partition:
    """Partition a boundary by a line source, or by a zone polygon if ``line`` is one."""
    geom = line.geometry
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return partition_by_zone_polygon(boundary.geometry, geom, source=line.label)
    return partition_by_line(boundary.geometry, geom, borders_for(boundary.geometry),
                             snap_tolerance_m=snap_tolerance_m, source=line.label)


def band_area_km2(boundary: shapely.Geometry, border: shapely.Geometry, width_m: float) -> float:
    """Geodesic area in km² of the boundary's land within ``width_m`` of ``border``."""
    if border.is_empty:
        return 0.0
    band = from_laea(to_laea(border, dense=True).buffer(width_m))
    return geodesic_area_m2(band.intersection(boundary)) / 1e6


@dataclass
class AreaReport:
    """The result of ``gazamap areas``; :meth:`to_dict` is the documented JSON contract."""

    boundary: dict[str, Any]
    line: dict[str, Any]
    method: dict[str, Any]
    zones: list[dict[str, Any]]
    governorates: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    partition: Partition | None = None
    borders: Borders | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (numbers unrounded)."""
        return {
            "boundary": self.boundary,
            "line": self.line,
            "method": self.method,
            "zones": self.zones,
            "governorates": self.governorates,
            "alternatives": self.alternatives,
            "warnings": self.warnings,
        }

    def zone(self, zone_id: str) -> dict[str, Any]:
        """The figures of one zone (``east`` or ``west``)."""
        return next(z for z in self.zones if z["id"] == zone_id)


def _offset_share(boundary: Source, part: Partition, off: float, total_m2: float) -> float:
    """East share in % after moving the dividing line sideways by ``off`` m.

    Moving the line by ``off`` hands over exactly the land between the line and its
    offset: the one-sided buffer of the line (local LAEA, round joins, as
    :func:`geo.partition.offset_line`) intersected with the outline. That strip lies on
    one side of the line, so it leaves the zone it falls in. This equals re-splitting by
    the offset line (tests check it to 0.01 percentage point) at a third of the cost.
    """
    assert part.line is not None
    band = to_laea(part.line, dense=True).buffer(off, single_sided=True, join_style="round")
    land = from_laea(band).intersection(boundary.geometry)
    moved = geodesic_area_m2(land)
    east = part.zones["east"]
    east_m2 = geodesic_area_m2(east)
    if land.is_empty:
        return 100 * east_m2 / total_m2
    sign = -1.0 if east.contains(land.representative_point()) else 1.0
    return 100 * (east_m2 + sign * moved) / total_m2


def compute_areas(
    boundary: Source | str = "gaza-outline",
    line: Source | str = "yellow-line@2025-10-19",
    *,
    uncertainty_m: float | None = None,
    denominators_km2: tuple[float, ...] = (),
    snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
    by_governorate: bool = True,
) -> AreaReport:
    """Split ``boundary`` by ``line`` and report areas, shares, borders and uncertainty.

    ``uncertainty_m`` defaults to the line dataset's catalog value (0 for a file).
    ``denominators_km2`` are added to the conventional 365 and 360 km².
    """
    b = boundary if isinstance(boundary, Source) else resolve(boundary, "boundary")
    ln = line if isinstance(line, Source) else resolve(line, "line")
    u = ln.uncertainty_m if uncertainty_m is None else float(uncertainty_m)
    if u < 0:
        raise InputError(f"uncertainty {u!r} m is negative", source="--uncertainty",
                         fix="give a distance in metres >= 0")
    for d in denominators_km2:
        if not d > 0:
            raise InputError(f"denominator {d!r} km² is not positive", source="--denominator",
                             fix="give an area in km² > 0")
    notes: list[str] = []
    denoms = tuple(dict.fromkeys([*CONVENTIONAL_DENOMINATORS_KM2, *denominators_km2]))
    # The zone-polygon alternative, the ±u strips and the governorates are independent
    # of each other and spend their time in GEOS and PROJ, which release the GIL: they run
    # in two worker threads while this thread splits and measures the zones.
    alt_ref = _zone_polygon_ref(ln)
    with ThreadPoolExecutor(max_workers=2) as pool:
        alt_future = pool.submit(_zone_polygon_east, b, alt_ref) if alt_ref else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PartitionWarning)
            part = partition_source(b, ln, snap_tolerance_m=snap_tolerance_m)
        notes += [str(w.message) for w in caught]
        borders = borders_for(b.geometry)
        total_m2 = geodesic_area_m2(b.geometry)
        offsets = ([pool.submit(_offset_share, b, part, off, total_m2) for off in (-u, u)]
                   if part.line is not None and u > 0 else [])
        gov_future = pool.submit(_governorates, part) if by_governorate else None

        planar_m2 = planar_area_m2(b.geometry)
        zones: list[dict[str, Any]] = []
        for zid in ("east", "west"):
            geom = part.zones[zid]
            a = geodesic_area_m2(geom)
            zones.append({
                "id": zid,
                "area_km2": a / 1e6,
                "area_km2_planar": planar_area_m2(geom) / 1e6,
                "share_pct": 100 * a / total_m2,
                "share_pct_of": {_key(d): 100 * a / 1e6 / d for d in denoms},
                "borders_km": shared_lengths_km(geom, borders),
            })
        off_shares = [f.result() for f in offsets]
        gov_rows = gov_future.result() if gov_future is not None else []
        alt = alt_future.result() if alt_future is not None else None

    rel = (planar_m2 - total_m2) / total_m2
    if abs(rel) > CROSS_CHECK_MAX_REL:
        notes.append(f"the planar cross-check differs from the geodesic area by {rel:.2e}")
    # ±u moves the line both ways: the east share's interval, and the west's mirror image
    low, high = ((min(off_shares), max(off_shares)) if off_shares
                 else (zones[0]["share_pct"],) * 2)
    zones[0]["share_pct_low"], zones[0]["share_pct_high"] = low, high
    if off_shares:
        zones[1]["share_pct_low"], zones[1]["share_pct_high"] = 100 - high, 100 - low
    else:
        zones[1]["share_pct_low"] = zones[1]["share_pct_high"] = zones[1]["share_pct"]
    alternatives = ([_alternative(alt, zones[0]["area_km2"] * 1e6, total_m2, denoms)]
                    if alt is not None and part.method == "line" else [])
    for z in zones:
        z["shares_border"] = {k: v * 1000 > SHARES_BORDER_MIN_M
                              for k, v in z["borders_km"].items()}
    if part.method == "zone-polygon":
        west = zones[1]["borders_km"]
        if west["israel"] + west["egypt"] > 0.1:
            notes.append(
                f"{ln.label}: the zone polygon does not follow this outline along the "
                f"borders, so slivers of land outside it count as west (west touches "
                f"{west['israel']:.1f} km of the Israel border and {west['egypt']:.1f} km "
                "of the Egypt border): border figures of this method are not meaningful"
            )

    line_info: dict[str, Any] = {**ln.describe(), "uncertainty_m": u,
                                 "method": part.method, "repairs": part.notes}
    if ln.dataset is None and uncertainty_m is None and part.method == "line":
        notes.append(f"{ln.label}: no positional uncertainty is known for a file; "
                     "give --uncertainty METRES for an interval")
    method: dict[str, Any] = method_text()
    method["cross_check"] = {"crs": LAEA_GAZA, "boundary_area_km2": planar_m2 / 1e6,
                             "relative_difference": rel}
    if part.line is None:
        method["uncertainty"] = ("no interval: the zone-polygon method has no line to offset "
                                 "(low = central = high)")
    else:
        method["uncertainty"] = (f"share interval from moving the line by -{u:g} m and "
                                 f"+{u:g} m: the land of the outline in the one-sided band "
                                 "the line sweeps (local LAEA, round joins) changes zone")
    method["denominators_km2"] = list(denoms)
    method["reference_datasets"] = {"borders": NEIGHBOURS, "governorates": GOVERNORATES}
    return AreaReport(
        boundary={**b.describe(), "area_km2": total_m2 / 1e6},
        line=line_info, method=method, zones=zones, governorates=gov_rows,
        alternatives=alternatives, warnings=notes, partition=part, borders=borders,
    )


def _governorates(part: Partition) -> list[dict[str, Any]]:
    rows = []
    for f in governorates().features:
        g = f.geometry
        a = geodesic_area_m2(g)
        # The zones partition the outline and the governorates lie inside it, so the
        # west part is the governorate less its east part (one overlay, not two).
        east = part.zones["east"]
        ea = geodesic_area_m2(g.intersection(east)) if g.intersects(east) else 0.0
        zs = {zid: {"area_km2": za / 1e6, "share_pct": 100 * za / a if a else 0.0}
              for zid, za in (("east", ea), ("west", a - ea))}
        rows.append({"name": f.properties.get("name"), "name_ar": f.properties.get("name_ar"),
                     "area_km2": a / 1e6,
                     "area_km2_published": f.properties.get("area_km2_published_pcbs"),
                     "zones": zs})
    return rows


def _zone_polygon_ref(ln: Source) -> str:
    """The zone polygon that comes with a line dataset ("" for files and zone polygons)."""
    if ln.dataset is None or ln.geometry.geom_type in ("Polygon", "MultiPolygon"):
        return ""
    return ln.dataset.zone_polygon


def _zone_polygon_east(b: Source, ref: str) -> tuple[str, float, float]:
    """The zone-polygon method: (dataset ref, east area m², the polygon's own area m²)."""
    zsrc = resolve(ref, "zone")
    alt = partition_by_zone_polygon(b.geometry, zsrc.geometry, source=zsrc.label)
    label = zsrc.dataset.ref if zsrc.dataset else zsrc.label
    return label, geodesic_area_m2(alt.zones["east"]), geodesic_area_m2(zsrc.geometry)


def _alternative(alt: tuple[str, float, float], line_east: float, total_m2: float,
                 denoms: tuple[float, ...]) -> dict[str, Any]:
    ref, east, whole = alt
    return {
        "method": "zone-polygon",
        "dataset": ref,
        "zones": [{"id": "east", "area_km2": east / 1e6, "share_pct": 100 * east / total_m2},
                  {"id": "west", "area_km2": (total_m2 - east) / 1e6,
                   "share_pct": 100 - 100 * east / total_m2}],
        "polygon_area_km2": whole / 1e6,
        "polygon_share_pct_of": {_key(d): 100 * whole / 1e6 / d for d in denoms},
        "difference_km2": (line_east - east) / 1e6,
        "explanation": (
            "The zone polygon intersected with the outline gives a smaller east zone than "
            "the line does: the polygon's eastern and southern edges were drawn on another "
            "dataset's border, which strays from the OSM outline along the fence and the "
            "coast, so slivers of the outline fall outside the polygon. The line method "
            "counts all land east of the line; the polygon alone (without the outline) is "
            "what a share of 365 km² was computed from."
        ),
    }
