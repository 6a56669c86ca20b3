"""Count a user's layer per zone and governorate: read it, tally it, report it.

:func:`count_layer` reads a file (:func:`geo.read.points.read_table`, or part by part for
GeoParquet and FlatGeobuf: :func:`geo.read.arrow.plan_layer`), tallies it with the pure
core (:func:`geo.count.tally_points`) on an engine (:mod:`geo.count.engines`) and returns
a :class:`LayerCount`, whose ``method`` states the rules in words;
:func:`zone_set_from_analysis` is the one adapter from the analysis to the core's plain
data; :func:`split_areas` measures polygons' area in each zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo.count.core import (
    ON_LINE_M,
    Geometry,
    Labels,
    Tally,
    ZoneSet,
    _prepared,
    numeric_column,
    tally_points,
)
from geo.count.engines import run_parts, run_slices
from geo.count.results import CountedLayer, CountMethod, CountResult
from geo.errors import InputError
from geo.geometry.measure import geodesic_area_m2
from geo.progress import progress
from geo.read.arrow import LayerPlan, plan_layer
from geo.read.points import read_table
from geo.write.outputs import file_identity

if TYPE_CHECKING:
    from geo.analysis import Analysis

__all__ = ["LayerCount", "count_layer", "split_areas", "zone_set_from_analysis"]


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

    layer: CountedLayer
    counts: CountResult
    datasets: tuple[str, ...]
    method: CountMethod
    warnings: tuple[str, ...] = ()
    labels: Labels | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        c = self.counts
        return {
            "layer": self.layer.to_dict(),
            "zones": [z.to_dict() for z in c.zones],
            "outside": {"count": c.outside, "in_holes": c.outside_in_holes},
            "on_line": c.on_line,
            "governorates": [g.to_dict() for g in c.governorates],
            "no_governorate": c.no_governorate,
            "datasets": list(self.datasets),
            "method": self.method.to_dict(),
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
    holes = shapely.difference(shells, b)
    govs = tuple((str(f.properties.get("name")), f.properties.get("name_ar"), f.geometry)
                 for f in governorates().features)
    us = [ln.uncertainty_m for ln in analysis.lines if ln.uncertainty_m]
    datasets = tuple(dict.fromkeys([analysis.boundary.ref,
                                    *(ln.ref for ln in analysis.lines), GOVERNORATES]))
    return ZoneSet(zones, lines, analysis.swept_bands(), govs, holes, datasets,
                   float(max(us)) if us else 0.0, tuple(analysis.notes),
                   band_method=analysis.method.uncertainty)



def _method(zs: ZoneSet, by: str, split_area: bool, engine: str) -> CountMethod:
    order = ", ".join(z for z, _ in zs.zones)
    return CountMethod(
        counted_by=by,
        zones=(f"a point counts in the first zone (order: {order}) whose polygon, "
               "edges included, holds it (shapely intersects_xy, lon/lat)"),
        on_line=(f"a point within {ON_LINE_M * 1000:g} mm of a dividing line counts in "
                 "the zone east of it and widens the interval of both zones"),
        outside=("points outside the outline, including those in its holes (inland "
                 "ponds: water, not land), count as outside"),
        interval=(("count_low leaves out of a zone the points within the bands its lines "
                   f"sweep ({zs.band_method}), count_high adds those of the neighbouring "
                   "zone") if zs.band_method and zs.uncertainty_m > 0 else
                  f"count_low leaves out of a zone the points within the band the line "
                  f"sweeps when moved by -{zs.uncertainty_m:g} m and +{zs.uncertainty_m:g}"
                  " m (one-sided buffers in the local LAEA, round joins), count_high adds "
                  "those of the neighbouring zone" if zs.uncertainty_m > 0 else
                  "no positional uncertainty: count_low and count_high differ only by "
                  "points on the line"),
        governorates="points inside the outline, by the packaged governorate polygons",
        area=("geodesic area (WGS84) of each polygon's part in each zone; "
              "polygons cut by shapely intersection; area_km2_low/high leave out / "
              "add the polygon area within the ±u band") if split_area else None,
        engine=engine)


def count_layer(path: str | Path, zones: ZoneSet, *, sum_fields: Sequence[str] = (),
                split_area: bool = False, read_options: Mapping[str, Any] | None = None,
                engine: str = "local", workers: int | None = None,
                scheduler: str | None = None, labels: bool = False) -> LayerCount:
    """Read a layer and count it in ``zones`` (see :func:`geo.count.count_points`).

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
    p = Path(path)
    opts = dict(read_options or {})
    _check_engine(engine, workers, scheduler, split_area)
    plan = None if split_area else plan_layer(p, opts)
    if plan is not None:
        read = _count_parts(plan, p, zones, tuple(sum_fields), engine, workers, scheduler,
                            labels)
    else:
        read = _count_table(p, zones, sum_fields, opts, engine, workers, scheduler, labels)
    counts = read.tally.result(read.labels)
    _refuse_all_outside(counts, read, str(p))
    by = "point" if read.points_only else "representative point (a point on each geometry)"
    warnings = [*zones.notes, *_warnings(counts, read)]
    if split_area:
        counts = _with_areas(counts, _zone_areas(read, zones, str(p)))
    layer = CountedLayer(p.name, read.sha256 or file_identity(p)["sha256"],
                         read.tally.n + read.skipped, dict(read.kinds), by)
    method = _method(zones, by, split_area, _engine_method(engine, plan))
    return LayerCount(layer, counts, zones.datasets, method, tuple(warnings), read.labels)


def _check_engine(engine: str, workers: int | None, scheduler: str | None,
                  split_area: bool) -> None:
    """Refuse an unknown engine, dask options without dask, and split areas on dask."""
    if engine not in ("local", "dask"):
        raise InputError(f"engine {engine!r} is not one of local, dask", source="`engine`",
                         fix="give engine='local' or engine='dask'")
    if engine == "local" and (workers is not None or scheduler is not None):
        raise InputError("workers and scheduler apply to the dask engine", source="`engine`",
                         fix="give engine='dask', or drop workers and scheduler")
    if split_area and engine == "dask":
        raise InputError("split_area runs in one process: it needs every polygon",
                         source="`engine`",
                         fix="split areas with the local engine (the default)")


@dataclass(frozen=True)
class _Counted:
    """A layer read and tallied, with what its count reports about the reading."""

    tally: Tally
    labels: Labels | None
    kinds: dict[str, int]  # geometry type -> features
    skipped: int  # features without geometry
    missing: dict[str, int]  # per summed field, features where it is empty
    first: tuple[float, float] | None  # the first feature's point (for the error)
    points_only: bool
    sha256: str | None  # the file's digest, when the reader computed it
    geoms: np.ndarray[Any, Any] | None = field(default=None, repr=False)


def _count_parts(plan: LayerPlan, p: Path, zones: ZoneSet, fields: tuple[str, ...],
                 engine: str, workers: int | None, scheduler: str | None,
                 labels: bool) -> _Counted:
    """A GeoParquet / FlatGeobuf layer tallied part by part (a batch in memory)."""
    total, parts_labels = run_parts(plan, zones, fields,
                                    engine="dask" if engine == "dask" else "local",
                                    workers=workers, scheduler=scheduler, labels=labels)
    lab = None
    if labels:
        lab = Labels(*(np.concatenate([getattr(pl, a) for pl in parts_labels])
                       for a in ("zone", "governorate", "in_band", "on_line")))
    return _Counted(total.tally, lab, total.kinds, total.skipped, total.missing,
                    total.first_xy, set(total.kinds) <= {"Point"}, file_identity(p)["sha256"])


def _count_table(p: Path, zones: ZoneSet, sum_fields: Sequence[str], opts: dict[str, Any],
                 engine: str, workers: int | None, scheduler: str | None,
                 labels: bool) -> _Counted:
    """Any other layer (or one whose areas are split) read in memory, then tallied.

    The local engine keeps the labels whatever ``labels`` says (they cost nothing more).
    """
    table = read_table(p, fields=tuple(sum_fields), **opts)
    weights = {f: numeric_column(table.columns[f], f, str(p)) for f in sum_fields}
    lab: Labels | None
    if engine == "dask":
        tally, lab = run_slices(table.xy, weights, zones, workers=workers,
                                scheduler=scheduler, labels=labels)
    else:
        tally, lab = tally_points(table.xy, zones.zones, zones.governorates, zones.bands,
                                  weights, lines=zones.lines, holes=zones.holes)
    missing = {f: int(np.isnan(v).sum()) for f, v in weights.items()}
    first = (float(table.xy[0, 0]), float(table.xy[0, 1])) if table.n else None
    points_only = table.geoms is None or set(table.kinds) <= {"Point"}
    return _Counted(tally, lab, dict(table.kinds), table.skipped, missing, first,
                    points_only, table.sha256, table.geoms)


def _refuse_all_outside(counts: CountResult, read: _Counted, source: str) -> None:
    """A layer none of whose features lies inside the outline is not of Gaza (or its CRS)."""
    if counts.outside == read.tally.n:
        x, y = read.first if read.first is not None else (float("nan"), float("nan"))
        raise InputError(f"none of the {read.tally.n} features lies inside the outline (first "
                         f"at lon {x:.5f}, lat {y:.5f})", source=source,
                         fix="check that this layer covers the Gaza Strip (and its CRS)")


def _warnings(counts: CountResult, read: _Counted) -> list[str]:
    """What the reader should know: features not counted, empty sums, ponds, gaps."""
    out = []
    if read.skipped:
        out.append(f"{read.skipped} feature(s) without geometry were not counted")
    for f, k in read.missing.items():
        if k:
            out.append(f"field {f!r} is empty on {k} feature(s): left out of its "
                       "sums (the features are counted)")
    if counts.outside_in_holes:
        out.append(f"{counts.outside_in_holes} point(s) lie in the inland ponds (holes "
                   "of the outline): counted as outside")
    if counts.no_governorate:
        out.append(f"{counts.no_governorate} point(s) inside the outline lie in no "
                   "governorate polygon (their edges do not follow the outline exactly)")
    return out


def _zone_areas(read: _Counted, zones: ZoneSet,
                source: str) -> dict[str, tuple[float, float, float]]:
    """The layer's polygon area in each zone (m²: area, low, high); refused without polygons."""
    if read.geoms is None or not any(k in read.kinds for k in ("Polygon", "MultiPolygon")):
        raise InputError("split_area needs polygons; the layer holds "
                         + ", ".join(sorted(read.kinds)), source=source,
                         fix="count points without split_area")
    return split_areas(read.geoms, zones.zones, zones.bands)


def _engine_method(engine: str, plan: LayerPlan | None) -> str:
    """Where the count ran, in words (the ``engine`` entry of ``method``)."""
    if engine == "local":
        return "local: one process" + (", part by part in Arrow batches" if plan else "")
    return ("dask: the same counting core on each partition, tallies added exactly "
            "(integers, exact sums)" + (f" ({len(plan.parts)} part(s))" if plan else ""))


def _with_areas(c: CountResult, areas: dict[str, tuple[float, float, float]]) -> CountResult:
    zs = tuple(replace(z, area_km2=areas[z.id][0] / 1e6, area_km2_low=areas[z.id][1] / 1e6,
                       area_km2_high=areas[z.id][2] / 1e6) for z in c.zones)
    return replace(c, zones=zs)
