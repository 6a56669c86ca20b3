"""The pure counting core: lon/lat points in, counts per zone and governorate out.

:func:`tally_points` takes plain data (lon/lat coordinates, the zones, the governorates,
the ±u bands of the lines: a :class:`ZoneSet`) and is vectorised (shapely 2's
``intersects_xy`` on prepared geometries): 300,000 points take a fraction of a second.
Its :class:`Tally` is additive (integers and exact sums), so the tallies of parts add up
to the tally of the whole; :func:`count_points` is the tally's result in one call.

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
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias

import numpy as np
import shapely

from geo.count.results import CountResult, GovernorateCount, ZoneCount
from geo.errors import InputError

__all__ = [
    "ON_LINE_M",
    "ZoneSet",
    "Tally",
    "Labels",
    "tally_points",
    "count_points",
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


_Maybe: TypeAlias = dict[tuple[int, int], np.ndarray[Any, Any]]
"""Per line, as its two zones' indices (lower first): the points that may lie in either
zone (within the band the line sweeps, or on the line), as a mask over the points."""


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
    ids = [z for z, _ in zones]
    zone_of = _zone_of(xy, zones)
    maybe: _Maybe = {}
    on_line = _snap_to_lines(xy, zone_of, lines, ids, maybe)
    _mark_bands(xy, zone_of, bands, ids, maybe)
    w = _weights(weights, n)
    counts, sums = _zone_figures(zone_of, maybe, w, len(ids))
    outside = zone_of == -1
    in_holes = 0
    if holes is not None and not holes.is_empty and outside.any():
        in_holes = len(_hits(holes, xy[:, 0], xy[:, 1], np.nonzero(outside)[0]))
    gov_of, gov_rows, no_gov = _by_governorate(xy, zone_of, governorates, len(ids))
    in_band = np.zeros(n, dtype=bool)
    for m in maybe.values():
        in_band |= m
    tally = Tally(tuple(ids), tuple((name, name_ar) for name, name_ar, _ in governorates), n,
                  tuple(c[0] for c in counts), tuple(c[1] for c in counts),
                  tuple(c[2] for c in counts), tuple((f, tuple(v)) for f, v in sums.items()),
                  int(outside.sum()), in_holes, int(on_line.sum()), tuple(gov_rows), no_gov)
    return tally, Labels(zone_of, gov_of, in_band, on_line)


def _zone_of(xy: np.ndarray[Any, Any],
             zones: Sequence[tuple[str, Geometry]]) -> np.ndarray[Any, Any]:
    """Each point's zone index: the first zone whose closed polygon holds it (-1: none)."""
    x, y = xy[:, 0], xy[:, 1]
    zone_of = np.full(len(xy), -1, dtype=np.int64)
    for k, (_, geom) in enumerate(zones):
        zone_of[_hits(geom, x, y, np.nonzero(zone_of == -1)[0])] = k
    return zone_of


def _snap_to_lines(xy: np.ndarray[Any, Any], zone_of: np.ndarray[Any, Any],
                   lines: Sequence[tuple[Geometry, str, str]], ids: Sequence[str],
                   maybe: _Maybe) -> np.ndarray[Any, Any]:
    """The points within ``ON_LINE_M`` of a dividing line (a mask).

    Each such point is moved to the zone east of its line (``zone_of``, in place) and
    may lie in either zone of the line (added to ``maybe``).
    """
    x, y = xy[:, 0], xy[:, 1]
    n = len(xy)
    index = {z: k for k, z in enumerate(ids)}
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
    return on_line


def _mark_bands(xy: np.ndarray[Any, Any], zone_of: np.ndarray[Any, Any],
                bands: Sequence[tuple[Geometry, str, str]], ids: Sequence[str],
                maybe: _Maybe) -> None:
    """Add to ``maybe`` the points of either zone of a line within the band it sweeps."""
    x, y = xy[:, 0], xy[:, 1]
    index = {z: k for k, z in enumerate(ids)}
    for band, a, b in bands:
        ka, kb = index[a], index[b]
        cand = np.nonzero((zone_of == ka) | (zone_of == kb))[0]
        if band is None or band.is_empty or not len(cand):
            continue
        key = (min(ka, kb), max(ka, kb))
        m = maybe.setdefault(key, np.zeros(len(xy), dtype=bool))
        m[_hits(band, x, y, cand)] = True


def _weights(weights: Mapping[str, np.ndarray[Any, Any]] | None,
             n: int) -> dict[str, np.ndarray[Any, Any]]:
    """The fields to sum as floats, one value per point (else an InputError)."""
    w = {name: np.asarray(v, dtype=float) for name, v in (weights or {}).items()}
    for name, v in w.items():
        if v.shape != (n,):
            raise InputError(f"weights {name!r} have shape {v.shape}, not ({n},)",
                             source="weights", fix="give one value per point")
    return w


def _zone_figures(zone_of: np.ndarray[Any, Any], maybe: _Maybe,
                  w: Mapping[str, np.ndarray[Any, Any]], n_zones: int,
                  ) -> tuple[list[tuple[int, int, int]],
                             dict[str, list[tuple[Fraction, Fraction, Fraction]]]]:
    """Per zone: its count, low and high; per field, the exact sums over the same points.

    ``low`` leaves out the zone's points that may lie in a neighbour (``maybe``),
    ``high`` adds the neighbours' points that may lie in this zone.
    """
    n = len(zone_of)
    counts: list[tuple[int, int, int]] = []
    sums: dict[str, list[tuple[Fraction, Fraction, Fraction]]] = {f: [] for f in w}
    for k in range(n_zones):
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
    return counts, sums


def _by_governorate(xy: np.ndarray[Any, Any], zone_of: np.ndarray[Any, Any],
                    governorates: Sequence[tuple[str, str | None, Geometry]], n_zones: int,
                    ) -> tuple[np.ndarray[Any, Any], list[tuple[int, ...]], int]:
    """Which governorate each point is in, and each governorate's points per zone.

    Returns each point's governorate index (the first that holds it; -1: none, or
    outside the outline), each governorate's points per zone, and the points inside
    the outline in no governorate.
    """
    x, y = xy[:, 0], xy[:, 1]
    outside = zone_of == -1
    gov_rows: list[tuple[int, ...]] = []
    gov_of = np.full(len(xy), -1, dtype=np.int64)
    for g, (_, _, geom) in enumerate(governorates):
        hit = _hits(geom, x, y, np.nonzero((gov_of == -1) & ~outside)[0])
        gov_of[hit] = g
        gov_rows.append(tuple(int(np.count_nonzero(zone_of[hit] == k))
                              for k in range(n_zones)))
    no_gov = int(np.count_nonzero((gov_of == -1) & ~outside)) if governorates else 0
    return gov_of, gov_rows, no_gov


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

