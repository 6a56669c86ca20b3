"""Count what lies in each zone: points of a user's layer, per zone and governorate.

The core, :func:`count_points`, takes plain data (lon/lat coordinates, the zones, the
governorates, the ±u bands of the lines) and is vectorised (shapely 2's
``intersects_xy`` on prepared geometries): 300,000 points take a fraction of a second.
:func:`count_layer` reads a file (:func:`geo.read.points.read_table`) and counts it;
:func:`zone_set_from_analysis` is the one adapter from the analysis to the plain data.

Rules, stated in every result's ``method``:

- a point counts in the first zone (in the order ``east``, ``between-1`` ..., ``west``)
  whose closed polygon holds it, so a point on the outline counts inside;
- a point within ``ON_LINE_M`` of a dividing line lies on the line: it counts in the zone
  east of it, and in the interval of both zones it separates;
- the inland ponds are holes of the outline: a point in one is outside the land, and the
  result says how many such points there are;
- the interval: a point within the band the line sweeps when moved by ±u may belong to
  either zone of that line: ``count_low`` leaves such points out of a zone, ``count_high``
  adds those of its neighbour.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import shapely

from geo.errors import InputError
from geo.geometry.measure import geodesic_area_m2
from geo.progress import progress
from geo.read.points import Table, read_table
from geo.write.outputs import file_identity

if TYPE_CHECKING:
    from geo.analysis import Analysis

__all__ = [
    "ON_LINE_M",
    "ZoneSet",
    "ZoneCount",
    "GovernorateCount",
    "CountResult",
    "LayerCount",
    "Tally",
    "Labels",
    "tally_points",
    "count_points",
    "split_areas",
    "count_layer",
    "zone_set_from_analysis",
    "numeric_column",
]

ON_LINE_M = 1e-3  # a point this close to a line lies on it (float noise of the zones)
_M_PER_DEG = 111_000.0  # for the tolerance only: a degree is 93-111 km at Gaza

Geometry: TypeAlias = shapely.Geometry


@dataclass(frozen=True)
class ZoneSet:
    """The plain data a count needs: zones, lines, bands, governorates, provenance.

    ``zones`` are ``(id, lon/lat polygon)`` in order from Israel westward; ``lines``
    ``(line, zone east of it, zone west of it)``; ``bands`` ``(band polygon, zone, other
    zone)``: the land a line sweeps when moved by ±u; ``governorates`` ``(name, name_ar,
    polygon)``; ``holes`` the inland water (holes of the outline).
    """

    zones: tuple[tuple[str, Geometry], ...]
    lines: tuple[tuple[Geometry, str, str], ...] = ()
    bands: tuple[tuple[Geometry, str, str], ...] = ()
    governorates: tuple[tuple[str, str | None, Geometry], ...] = ()
    holes: Geometry | None = None
    datasets: tuple[str, ...] = ()
    uncertainty_m: float = 0.0
    notes: tuple[str, ...] = ()
    band_method: str = ""  # how the bands were made, in words (the analysis's own)


@dataclass(frozen=True)
class ZoneCount:
    """The count (and sums, and areas with ``split_area``) of one zone, with its interval."""

    id: str
    count: int
    count_low: int
    count_high: int
    sums: dict[str, float] = field(default_factory=dict)
    sums_low: dict[str, float] = field(default_factory=dict)
    sums_high: dict[str, float] = field(default_factory=dict)
    area_km2: float | None = None
    area_km2_low: float | None = None
    area_km2_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: an interval that collapses to its value is ``null``.

        (No line with a stated uncertainty and no point on a line: there is no interval,
        and a low == high pair would pretend one was computed.)
        """
        def span(lo: Any, mid: Any, hi: Any) -> tuple[Any, Any]:
            return (None, None) if lo == mid == hi else (lo, hi)

        lo, hi = span(self.count_low, self.count, self.count_high)
        out: dict[str, Any] = {"id": self.id, "count": self.count,
                               "count_low": lo, "count_high": hi, "sum": dict(self.sums)}
        sums = {k: span(self.sums_low[k], v, self.sums_high[k]) for k, v in self.sums.items()}
        out["sum_low"] = {k: v[0] for k, v in sums.items()}
        out["sum_high"] = {k: v[1] for k, v in sums.items()}
        if self.area_km2 is not None:
            alo, ahi = span(self.area_km2_low, self.area_km2, self.area_km2_high)
            out.update(area_km2=self.area_km2, area_km2_low=alo, area_km2_high=ahi)
        return out


@dataclass(frozen=True)
class GovernorateCount:
    """Points of one governorate, per zone."""

    name: str
    name_ar: str | None
    count: int
    zones: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"name": self.name, "name_ar": self.name_ar, "count": self.count,
                "zones": dict(self.zones)}


@dataclass(frozen=True)
class CountResult:
    """What :func:`count_points` found: per zone, outside, on the lines, per governorate.

    ``zone_of`` gives each point's zone index into ``zones`` (-1: outside).
    """

    zones: tuple[ZoneCount, ...]
    outside: int
    outside_in_holes: int
    on_line: int
    governorates: tuple[GovernorateCount, ...]
    no_governorate: int
    zone_of: np.ndarray[Any, Any] = field(repr=False, compare=False,
                                          default_factory=lambda: np.empty(0, dtype=int))

    def zone(self, zone_id: str) -> ZoneCount:
        """The count of one zone."""
        return next(z for z in self.zones if z.id == zone_id)


def _tolerance_deg(m: float) -> float:
    return m / _M_PER_DEG


def _hits(geom: Geometry, x: np.ndarray[Any, Any], y: np.ndarray[Any, Any],
          cand: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The candidates (indices) whose point the closed ``geom`` holds.

    The bounding box goes first (a comparison per point): a governorate spans a fifth of
    the Strip, so most points never reach the polygon test.
    """
    if not len(cand) or geom is None or geom.is_empty:
        return cand[:0]
    x0, y0, x1, y1 = geom.bounds
    cx, cy = x[cand], y[cand]
    box = (cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1)
    cand = cand[box]
    return cand[shapely.intersects_xy(_prepared(geom), cx[box], cy[box])]


_PREPARE_LOCK = threading.Lock()


def _prepared(g: Geometry) -> Geometry:
    # prepared in place, once per process: a layer counted in batches (or parts on a
    # worker) reuses the index of the zones instead of rebuilding it for every batch.
    # GEOS must not prepare one geometry from two threads at once (dask's threaded
    # scheduler runs parts in threads: a race there crashed the process), hence the lock.
    if shapely.has_z(g):
        g = shapely.force_2d(g)
    if not shapely.is_prepared(g):
        with _PREPARE_LOCK:
            if not shapely.is_prepared(g):
                shapely.prepare(g)
    return g


def numeric_column(values: np.ndarray[Any, Any], name: str, source: str) -> np.ndarray[Any, Any]:
    """A property column as floats (missing values and empty strings are NaN).

    Raises
    ------
    InputError
        For a value that is not a number (naming the first), a boolean, or infinity.

    >>> numeric_column(np.array([1, "2.5", None, " "], dtype=object), "n", "f.csv")
    array([1. , 2.5, nan, nan])
    >>> numeric_column(np.array(["3", "many"], dtype=object), "n", "f.csv")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.InputError: f.csv: field 'n' is not numeric: feature #2 has 'many'. Fix: ...
    """
    if values.dtype.kind in "fiu":  # numbers already (GeoParquet): no loop over values
        nums = values.astype(float)
        if np.isinf(nums).any():
            k = int(np.argmax(np.isinf(nums)))
            raise InputError(f"field {name!r}: feature #{k + 1} is {values[k]!r}, not finite",
                             source=source, fix="repair that value")
        return nums
    clean = [None if v is None or (type(v) is str and not v.strip()) else v for v in values]
    bad_k = next((k for k, v in enumerate(clean) if isinstance(v, bool | dict | list)), None)
    out = None
    if bad_k is None:
        try:
            out = np.array(clean, dtype=float)
        except (ValueError, TypeError):
            out = None
        if out is None:
            for k, v in enumerate(clean):
                try:
                    float(v)  # type: ignore[arg-type]
                except (ValueError, TypeError):
                    bad_k = k
                    break
    if bad_k is not None or out is None:
        k = bad_k or 0
        raise InputError(f"field {name!r} is not numeric: feature #{k + 1} has "
                         f"{clean[k]!r}", source=source,
                         fix="sum a field of numbers (or clean that value)")
    if np.isinf(out).any():
        k = int(np.argmax(np.isinf(out)))
        raise InputError(f"field {name!r}: feature #{k + 1} is {clean[k]!r}, not finite",
                         source=source, fix="repair that value")
    return out


def _exact_sum(v: np.ndarray[Any, Any]) -> Fraction:
    """The exact sum of the finite values of ``v`` (NaN left out), as a fraction.

    Sums of parts add up exactly whatever the order, so a layer counted in batches or on
    a cluster gives the same float as in one piece: the correctly rounded exact sum.
    Each ``math.fsum`` pass takes the correctly rounded remainder (~53 more bits).

    >>> float(_exact_sum(np.array([1e16, 1.0, -1e16, np.nan])))
    1.0
    """
    vals = v[~np.isnan(v)].tolist()
    total = Fraction(0)
    for _ in range(64):  # 64 x 53 bits: more than the span of doubles
        s = math.fsum(vals)
        if s == 0.0:
            break
        total += Fraction(s)
        vals.append(-s)
    return total


@dataclass(frozen=True)
class Tally:
    """An additive count: what a part of a layer adds to every figure of a count.

    Counts are integers and sums exact fractions, so tallies of parts (batches, files,
    dask partitions) add up to the tally of the whole, in any order; :meth:`result` makes
    the :class:`CountResult`.
    """

    zone_ids: tuple[str, ...]
    governorates: tuple[tuple[str, str | None], ...]
    n: int
    count: tuple[int, ...]
    count_low: tuple[int, ...]
    count_high: tuple[int, ...]
    # field -> (per zone: sum, sum of low, sum of high)
    sums: tuple[tuple[str, tuple[tuple[Fraction, Fraction, Fraction], ...]], ...]
    outside: int
    outside_in_holes: int
    on_line: int
    gov_zones: tuple[tuple[int, ...], ...]  # per governorate, points per zone
    no_governorate: int

    def __add__(self, other: Tally) -> Tally:
        if (other.zone_ids, other.governorates) != (self.zone_ids, self.governorates):
            raise ValueError("tallies of different zone sets cannot be added")
        if [f for f, _ in other.sums] != [f for f, _ in self.sums]:
            raise ValueError("tallies of different fields cannot be added")

        def add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(x + y for x, y in zip(a, b, strict=True))

        sums = tuple((f, tuple((za[0] + zb[0], za[1] + zb[1], za[2] + zb[2])
                               for za, zb in zip(a, b, strict=True)))
                     for (f, a), (_, b) in zip(self.sums, other.sums, strict=True))
        return Tally(self.zone_ids, self.governorates, self.n + other.n,
                     add(self.count, other.count), add(self.count_low, other.count_low),
                     add(self.count_high, other.count_high), sums,
                     self.outside + other.outside,
                     self.outside_in_holes + other.outside_in_holes,
                     self.on_line + other.on_line,
                     tuple(add(a, b) for a, b in zip(self.gov_zones, other.gov_zones,
                                                     strict=True)),
                     self.no_governorate + other.no_governorate)

    @classmethod
    def empty(cls, zone_ids: Sequence[str],
              governorates: Sequence[tuple[str, str | None]] = (),
              fields: Sequence[str] = ()) -> Tally:
        """The tally of no point (the start of a sum).

        >>> t = Tally.empty(["east", "west"])
        >>> (t + t).result().zones[0].count
        0
        """
        k = len(zone_ids)
        z = (0,) * k
        nil = tuple((Fraction(0),) * 3 for _ in range(k))
        return cls(tuple(zone_ids), tuple(governorates), 0, z, z, z,
                   tuple((f, nil) for f in fields), 0, 0, 0,
                   tuple(z for _ in governorates), 0)

    def result(self, labels: Labels | None = None) -> CountResult:
        """The :class:`CountResult` (sums as the correctly rounded exact sums)."""
        zs = []
        for k, zid in enumerate(self.zone_ids):
            zs.append(ZoneCount(
                zid, self.count[k], self.count_low[k], self.count_high[k],
                sums={f: float(v[k][0]) for f, v in self.sums},
                sums_low={f: float(v[k][1]) for f, v in self.sums},
                sums_high={f: float(v[k][2]) for f, v in self.sums}))
        govs = tuple(GovernorateCount(name, name_ar, sum(row), dict(zip(self.zone_ids, row,
                                                                        strict=True)))
                     for (name, name_ar), row in zip(self.governorates, self.gov_zones,
                                                     strict=True))
        zone_of = labels.zone if labels is not None else np.empty(0, dtype=np.int64)
        return CountResult(tuple(zs), self.outside, self.outside_in_holes, self.on_line,
                           govs, self.no_governorate, zone_of)


@dataclass(frozen=True)
class Labels:
    """Per point: its zone index (-1 outside), governorate index (-1 none), band flags."""

    zone: np.ndarray[Any, Any]
    governorate: np.ndarray[Any, Any]
    in_band: np.ndarray[Any, Any]  # within the ±u band of a line, or on it
    on_line: np.ndarray[Any, Any]


def tally_points(
    xy: np.ndarray[Any, Any],
    zones: Sequence[tuple[str, Geometry]],
    governorates: Sequence[tuple[str, str | None, Geometry]] = (),
    bands: Sequence[tuple[Geometry, str, str]] = (),
    weights: Mapping[str, np.ndarray[Any, Any]] | None = None,
    *,
    lines: Sequence[tuple[Geometry, str, str]] = (),
    holes: Geometry | None = None,
) -> tuple[Tally, Labels]:
    """The pure counting core: a :class:`Tally` of lon/lat points and each point's labels.

    Takes the arguments of :func:`count_points` (which is this, then
    :meth:`Tally.result`). Tallies of disjoint sets of points add up to the tally of
    their union: the same rules hold point by point.

    >>> from shapely import box
    >>> zs = [("east", box(1, 0, 2, 1)), ("west", box(0, 0, 1, 1))]
    >>> xy = np.array([[0.5, 0.5], [1.5, 0.5], [1.0, 0.5], [3.0, 3.0]])
    >>> a, _ = tally_points(xy[:2], zs)
    >>> b, _ = tally_points(xy[2:], zs)
    >>> (a + b) == tally_points(xy, zs)[0]
    True
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    x, y = xy[:, 0], xy[:, 1]
    ids = [z for z, _ in zones]
    index = {z: k for k, z in enumerate(ids)}
    zone_of = np.full(n, -1, dtype=np.int64)
    for k, (_, geom) in enumerate(zones):
        zone_of[_hits(geom, x, y, np.nonzero(zone_of == -1)[0])] = k
    # maybe[pair] = points that may lie in either zone of a line (band, or on the line)
    maybe: dict[tuple[int, int], np.ndarray[Any, Any]] = {}
    on_line = np.zeros(n, dtype=bool)
    tol = _tolerance_deg(ON_LINE_M)
    for line, a, b in lines:
        ka, kb = index[a], index[b]
        cand = np.nonzero((zone_of == ka) | (zone_of == kb))[0]
        # a thin polygon first (prepared point-in-polygon), then the exact distance
        cand = _hits(line.buffer(10 * tol, quad_segs=1), x, y, cand)
        if len(cand):
            close = shapely.dwithin(line, shapely.points(xy[cand]), tol)
            hits = cand[close]
            first = min(ka, kb)
            zone_of[hits] = first
            on_line[hits] = True
            key = (min(ka, kb), max(ka, kb))
            m = maybe.setdefault(key, np.zeros(n, dtype=bool))
            m[hits] = True
    for band, a, b in bands:
        ka, kb = index[a], index[b]
        cand = np.nonzero((zone_of == ka) | (zone_of == kb))[0]
        if band is None or band.is_empty or not len(cand):
            continue
        key = (min(ka, kb), max(ka, kb))
        m = maybe.setdefault(key, np.zeros(n, dtype=bool))
        m[_hits(band, x, y, cand)] = True

    w = {name: np.asarray(v, dtype=float) for name, v in (weights or {}).items()}
    for name, v in w.items():
        if v.shape != (n,):
            raise InputError(f"weights {name!r} have shape {v.shape}, not ({n},)",
                             source="weights", fix="give one value per point")
    counts: list[tuple[int, int, int]] = []
    sums: dict[str, list[tuple[Fraction, Fraction, Fraction]]] = {f: [] for f in w}
    for k in range(len(ids)):
        inside = zone_of == k
        leave = np.zeros(n, dtype=bool)
        join = np.zeros(n, dtype=bool)
        for (ka, kb), m in maybe.items():
            if k not in (ka, kb):
                continue
            other = kb if k == ka else ka
            leave |= inside & m
            join |= (zone_of == other) & m
        low, high = inside & ~leave, inside | join
        counts.append((int(inside.sum()), int(low.sum()), int(high.sum())))
        for f, v in w.items():
            sums[f].append((_exact_sum(v[inside]), _exact_sum(v[low]), _exact_sum(v[high])))

    outside = zone_of == -1
    in_holes = 0
    if holes is not None and not holes.is_empty and outside.any():
        in_holes = len(_hits(holes, x, y, np.nonzero(outside)[0]))
    gov_rows: list[tuple[int, ...]] = []
    gov_of = np.full(n, -1, dtype=np.int64)
    for g, (_, _, geom) in enumerate(governorates):
        hit = _hits(geom, x, y, np.nonzero((gov_of == -1) & ~outside)[0])
        gov_of[hit] = g
        gov_rows.append(tuple(int(np.count_nonzero(zone_of[hit] == k))
                              for k in range(len(ids))))
    no_gov = int(np.count_nonzero((gov_of == -1) & ~outside)) if governorates else 0
    in_band = np.zeros(n, dtype=bool)
    for m in maybe.values():
        in_band |= m
    tally = Tally(tuple(ids), tuple((name, name_ar) for name, name_ar, _ in governorates), n,
                  tuple(c[0] for c in counts), tuple(c[1] for c in counts),
                  tuple(c[2] for c in counts), tuple((f, tuple(v)) for f, v in sums.items()),
                  int(outside.sum()), in_holes, int(on_line.sum()), tuple(gov_rows), no_gov)
    return tally, Labels(zone_of, gov_of, in_band, on_line)


def count_points(
    xy: np.ndarray[Any, Any],
    zones: Sequence[tuple[str, Geometry]],
    governorates: Sequence[tuple[str, str | None, Geometry]] = (),
    bands: Sequence[tuple[Geometry, str, str]] = (),
    weights: Mapping[str, np.ndarray[Any, Any]] | None = None,
    *,
    lines: Sequence[tuple[Geometry, str, str]] = (),
    holes: Geometry | None = None,
) -> CountResult:
    """Count lon/lat points per zone, per governorate in each zone, and outside.

    Parameters
    ----------
    xy : ndarray of shape (n, 2)
        Longitude, latitude.
    zones : sequence of (id, polygon)
        In order from Israel westward (a point on a shared edge counts in the first).
    governorates : sequence of (name, name_ar, polygon)
    bands : sequence of (polygon, zone id, zone id)
        Land whose points may belong to either zone (the line moved by ±u).
    weights : mapping of field name to ndarray of shape (n,)
        Summed per zone (NaN values are left out; the sum is the correctly rounded
        exact sum, the same however the points are split).
    lines : sequence of (line, zone id, zone id)
        Points within ``ON_LINE_M`` of a line count in the first zone and in both
        zones' intervals.
    holes : polygon, optional
        Inland water: outside points in it are reported as ``outside_in_holes``.

    Examples
    --------
    >>> from shapely import box
    >>> zs = [("east", box(1, 0, 2, 1)), ("west", box(0, 0, 1, 1))]
    >>> xy = np.array([[0.5, 0.5], [1.5, 0.5], [1.0, 0.5], [3.0, 3.0]])
    >>> r = count_points(xy, zs)
    >>> [(z.id, z.count) for z in r.zones], r.outside
    ([('east', 2), ('west', 1)], 1)
    """
    tally, labels = tally_points(xy, zones, governorates, bands, weights, lines=lines,
                                 holes=holes)
    return tally.result(labels)


def _areas_m2(geoms: np.ndarray[Any, Any]) -> float:
    return float(sum(geodesic_area_m2(g) for g in geoms))


def split_areas(
    geoms: np.ndarray[Any, Any],
    zones: Sequence[tuple[str, Geometry]],
    bands: Sequence[tuple[Geometry, str, str]] = (),
) -> dict[str, tuple[float, float, float]]:
    """Geodesic area (m²) of the polygons in each zone: ``{zone: (area, low, high)}``.

    A polygon that straddles zones is cut (shapely intersection); one wholly in a zone
    is measured as it is. ``low`` leaves out the polygon area in the zone's bands,
    ``high`` adds the area in its neighbours' part of the bands. Non-polygons are ignored.

    >>> from shapely import box
    >>> zs = [("east", box(34.40, 31.40, 34.50, 31.50)), ("west", box(34.30, 31.40, 34.40, 31.50))]
    >>> a = split_areas(np.array([box(34.39, 31.45, 34.41, 31.46)]), zs)
    >>> round(a["east"][0] / a["west"][0], 6)
    1.0
    """
    polys = geoms[np.isin(shapely.get_type_id(geoms), (3, 6))]
    out: dict[str, list[float]] = {z: [0.0, 0.0, 0.0] for z, _ in zones}
    for zid, zone in progress(list(zones), desc="splitting areas", unit="zone"):
        z = _prepared(zone)
        inter = shapely.intersects(z, polys)
        whole = inter & shapely.covered_by(polys, z)
        cut = shapely.intersection(polys[inter & ~whole], zone)
        area = _areas_m2(polys[whole]) + _areas_m2(cut)
        out[zid] = [area, area, area]
    for band, a, b in bands:
        if band is None or band.is_empty:
            continue
        bp = _prepared(band)
        near = polys[shapely.intersects(bp, polys)]
        if not len(near):
            continue
        pieces = shapely.intersection(near, band)
        for zid, other in ((a, b), (b, a)):
            zone = dict(zones)[zid]
            in_zone = _areas_m2(shapely.intersection(pieces, zone))
            out[zid][1] -= in_zone
            out[other][2] += in_zone
    return {z: (v[0], v[1], v[2]) for z, v in out.items()}


@dataclass(frozen=True)
class LayerCount:
    """The result of ``gazamap count``; :meth:`to_dict` is the documented JSON contract."""

    layer: dict[str, Any]
    counts: CountResult
    datasets: tuple[str, ...]
    method: dict[str, Any]
    warnings: tuple[str, ...] = ()
    labels: Labels | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        c = self.counts
        return {
            "layer": dict(self.layer),
            "zones": [z.to_dict() for z in c.zones],
            "outside": {"count": c.outside, "in_holes": c.outside_in_holes},
            "on_line": c.on_line,
            "governorates": [g.to_dict() for g in c.governorates],
            "no_governorate": c.no_governorate,
            "datasets": list(self.datasets),
            "method": dict(self.method),
            "warnings": list(self.warnings),
        }


def zone_set_from_analysis(analysis: Analysis) -> ZoneSet:
    """The plain data of a count from an analysis: its zones, lines, ±u bands, governorates.

    The bands are the analysis's own (:meth:`geo.analysis.Analysis.swept_bands`): the
    count's interval and the areas' come from the same swept land.
    """
    from geo.read.sources import GOVERNORATES, governorates

    ids = analysis.zone_ids
    zones = tuple((z.id, z.geometry) for z in analysis.zones)
    lines = tuple((ln.geometry, ids[i], ids[i + 1]) for i, ln in enumerate(analysis.lines)
                  if ln.geometry is not None)
    b = shapely.force_2d(analysis.partition.boundary)
    shells = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(b)
                                if isinstance(p, shapely.Polygon)])
    holes = shells.difference(b)
    govs = tuple((str(f.properties.get("name")), f.properties.get("name_ar"), f.geometry)
                 for f in governorates().features)
    us = [ln.uncertainty_m for ln in analysis.lines if ln.uncertainty_m]
    datasets = tuple(dict.fromkeys([analysis.boundary.ref,
                                    *(ln.ref for ln in analysis.lines), GOVERNORATES]))
    return ZoneSet(zones, lines, analysis.swept_bands(), govs, holes, datasets,
                   float(max(us)) if us else 0.0, tuple(analysis.notes),
                   band_method=str(analysis.method["uncertainty"]))


def _name(path: Any) -> str | None:
    return Path(str(path)).name if path else None


def _method(zs: ZoneSet, by: str, split_area: bool) -> dict[str, Any]:
    order = ", ".join(z for z, _ in zs.zones)
    out = {
        "counted_by": by,
        "zones": (f"a point counts in the first zone (order: {order}) whose polygon, "
                  "edges included, holds it (shapely intersects_xy, lon/lat)"),
        "on_line": (f"a point within {ON_LINE_M * 1000:g} mm of a dividing line counts in "
                    "the zone east of it and widens the interval of both zones"),
        "outside": ("points outside the outline, including those in its holes (inland "
                    "ponds: water, not land), count as outside"),
        "interval": (("count_low leaves out of a zone the points within the bands its lines "
                      f"sweep ({zs.band_method}), count_high adds those of the neighbouring "
                      "zone") if zs.band_method and zs.uncertainty_m > 0 else
                     f"count_low leaves out of a zone the points within the band the line "
                     f"sweeps when moved by -{zs.uncertainty_m:g} m and +{zs.uncertainty_m:g}"
                     " m (one-sided buffers in the local LAEA, round joins), count_high adds "
                     "those of the neighbouring zone" if zs.uncertainty_m > 0 else
                     "no positional uncertainty: count_low and count_high differ only by "
                     "points on the line"),
        "governorates": "points inside the outline, by the packaged governorate polygons",
    }
    if split_area:
        out["area"] = ("geodesic area (WGS84) of each polygon's part in each zone; "
                       "polygons cut by shapely intersection; area_km2_low/high leave out / "
                       "add the polygon area within the ±u band")
    return out


def count_layer(
    path: str | Path,
    zones: ZoneSet,
    *,
    sum_fields: Sequence[str] = (),
    split_area: bool = False,
    read_options: Mapping[str, Any] | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    labels: bool = False,
) -> LayerCount:
    """Read a layer and count it in ``zones`` (see :func:`count_points`).

    Polygons and lines are counted by a representative point (on the geometry);
    with ``split_area`` polygons also get their geodesic area in each zone.

    Parameters
    ----------
    path : str or Path
        Any file :func:`geo.read.io.read_features` reads; GeoParquet (a file or a folder of
        parts) and FlatGeobuf are counted part by part, batch by batch (bounded memory).
    zones : ZoneSet
        From :func:`zone_set_from_analysis`.
    sum_fields, split_area, read_options
        Fields to sum per zone; polygons' area per zone; the reader's options.
    engine : {"local", "dask"}
        ``dask`` counts the parts on a dask cluster (:mod:`geo.count.engines`): a
        ``LocalCluster`` of ``workers`` processes, or the ``scheduler`` at that address.
        The result is the same to the unit.
    labels : bool
        Keep each feature's labels (:attr:`LayerCount.labels`) for :mod:`geo.count.tag`.

    Raises
    ------
    InputError
        Unreadable file, a ``sum_fields`` field missing or not numeric, no feature
        inside the outline, dask not installed or its scheduler unreachable.
    """
    from geo.count.engines import run_parts, run_slices
    from geo.read.arrow import plan_layer

    p = Path(path)
    source = str(p)
    opts = dict(read_options or {})
    if engine not in ("local", "dask"):
        raise InputError(f"engine {engine!r} is not one of local, dask", source="`engine`",
                         fix="give engine='local' or engine='dask'")
    if engine == "local" and (workers is not None or scheduler is not None):
        raise InputError("workers and scheduler apply to the dask engine", source="`engine`",
                         fix="give engine='dask', or drop workers and scheduler")
    plan = None if split_area else plan_layer(p, opts)
    warnings: list[str] = list(zones.notes)
    lab: Labels | None = None
    if plan is not None:
        total, parts_labels = run_parts(plan, zones, tuple(sum_fields),
                                        engine="dask" if engine == "dask" else "local",
                                        workers=workers, scheduler=scheduler, labels=labels)
        tally, kinds, skipped, missing = total.tally, total.kinds, total.skipped, total.missing
        first = total.first_xy
        if labels:
            lab = Labels(*(np.concatenate([getattr(pl, a) for pl in parts_labels])
                           for a in ("zone", "governorate", "in_band", "on_line")))
        sha = file_identity(p)["sha256"]
        geoms = None
        points_only = set(kinds) <= {"Point"}
    else:
        if split_area and engine == "dask":
            raise InputError("split_area runs in one process: it needs every polygon",
                             source="`engine`",
                             fix="split areas with the local engine (the default)")
        table: Table = read_table(p, fields=tuple(sum_fields), **opts)
        weights = {f: numeric_column(table.columns[f], f, source) for f in sum_fields}
        if engine == "dask":
            tally, lab = run_slices(table.xy, weights, zones, workers=workers,
                                    scheduler=scheduler, labels=labels)
        else:
            tally, lab = tally_points(table.xy, zones.zones, zones.governorates, zones.bands,
                                      weights, lines=zones.lines, holes=zones.holes)
        kinds, skipped, geoms, sha = dict(table.kinds), table.skipped, table.geoms, table.sha256
        missing = {f: int(np.isnan(v).sum()) for f, v in weights.items()}
        first = (float(table.xy[0, 0]), float(table.xy[0, 1])) if table.n else None
        points_only = table.geoms is None or set(table.kinds) <= {"Point"}
    counts = tally.result(lab)
    if counts.outside == tally.n:
        x, y = first if first is not None else (float("nan"), float("nan"))
        raise InputError(f"none of the {tally.n} features lies inside the outline (first "
                         f"at lon {x:.5f}, lat {y:.5f})", source=source,
                         fix="check that this layer covers the Gaza Strip (and its CRS)")
    by = "point" if points_only else "representative point (a point on each geometry)"
    if skipped:
        warnings.append(f"{skipped} feature(s) without geometry were not counted")
    for f, k in missing.items():
        if k:
            warnings.append(f"field {f!r} is empty on {k} feature(s): left out of its "
                            "sums (the features are counted)")
    if counts.outside_in_holes:
        warnings.append(f"{counts.outside_in_holes} point(s) lie in the inland ponds (holes "
                        "of the outline): counted as outside")
    if counts.no_governorate:
        warnings.append(f"{counts.no_governorate} point(s) inside the outline lie in no "
                        "governorate polygon (their edges do not follow the outline exactly)")
    if split_area:
        if geoms is None or not any(k in kinds for k in ("Polygon", "MultiPolygon")):
            raise InputError("split_area needs polygons; the layer holds "
                             + ", ".join(sorted(kinds)), source=source,
                             fix="count points without split_area")
        areas = split_areas(geoms, zones.zones, zones.bands)
        counts = _with_areas(counts, areas)
    layer = {"file": p.name, "sha256": sha or file_identity(p)["sha256"],
             "features": tally.n + skipped, "geometry_types": dict(kinds),
             "counted_by": by}
    method = _method(zones, by, split_area)
    method["engine"] = (
        "local: one process" + (", part by part in Arrow batches" if plan else "")
        if engine == "local" else
        "dask: the same counting core on each partition, tallies added exactly (integers, "
        "exact sums)" + (f" ({len(plan.parts)} part(s))" if plan else ""))
    return LayerCount(layer, counts, zones.datasets, method, tuple(warnings), lab)


def _with_areas(c: CountResult, areas: dict[str, tuple[float, float, float]]) -> CountResult:
    from dataclasses import replace

    zs = tuple(replace(z, area_km2=areas[z.id][0] / 1e6, area_km2_low=areas[z.id][1] / 1e6,
                       area_km2_high=areas[z.id][2] / 1e6) for z in c.zones)
    return replace(c, zones=zs)
