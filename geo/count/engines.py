"""Where a layer is counted: in this process, batch by batch, or on a dask cluster.

Both engines run the same pure core (:func:`geo.count.tally_points`) over the same parts
(a GeoParquet file of a folder, the FlatGeobuf file, or slices of a layer read in
memory) and add the part's :class:`~geo.count.Tally` up; counts are integers and sums
exact fractions, so the totals are the same to the unit whatever the engine, the number
of workers or the order in which parts finish.

The dask engine starts a ``dask.distributed.LocalCluster`` (``workers`` processes, one
thread each) or joins an existing scheduler (``scheduler="tcp://host:8786"``). The zone
set is computed once, on the client, and sent to every worker once (``scatter`` with
``broadcast``); each task reads its own part, so the layer never travels through the
client. dask is optional: ``pip install 'gazamap[dask]'``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo.count.core import Labels, Tally, ZoneSet, numeric_column, tally_points
from geo.errors import InputError
from geo.progress import progress
from geo.read.arrow import GEOM_TYPES, LayerPlan, Part, read_batches
from geo.read.base import _boundary, _Budget
from geo.read.lonlat import to_lonlat, xy_to_lonlat
from geo.read.points import rep_xy

__all__ = [
    "Engine",
    "DASK_INSTALL",
    "PartTally",
    "tally_part",
    "tally_slice",
    "run_parts",
    "run_slices",
    "tally_frame",
    "dask_client",
    "require_dask",
]

Engine = Literal["local", "dask"]
DASK_INSTALL = "pip install 'gazamap[dask]'"
_SLICE_ROWS = 250_000  # rows per task when a layer read in memory is sent to a cluster


@dataclass(frozen=True)
class PartTally:
    """What one part adds: its tally, geometry types, rows without geometry, labels."""

    tally: Tally
    kinds: dict[str, int]
    skipped: int
    missing: dict[str, int]  # per summed field, rows where it is empty
    first_xy: tuple[float, float] | None
    labels: Labels | None = field(default=None, repr=False)

    def __add__(self, other: PartTally) -> PartTally:
        kinds = {k: self.kinds.get(k, 0) + other.kinds.get(k, 0)
                 for k in dict.fromkeys([*self.kinds, *other.kinds])}
        missing = {f: n + other.missing.get(f, 0) for f, n in self.missing.items()}
        return PartTally(self.tally + other.tally, kinds, self.skipped + other.skipped,
                         missing,
                         self.first_xy if self.first_xy is not None else other.first_xy)


def tally_part(part: Part, zones: ZoneSet, plan: LayerPlan, fields: Sequence[str] = (),
               labels: bool = False) -> PartTally:
    """Read one part in batches and tally it (a task of either engine).

    Memory holds one batch. With ``labels`` the part's labels (zone, governorate,
    in_band per row, in file order; zone -2 for a row without geometry) come back too.
    """
    budget = _Budget(part.source, max_seconds=plan.max_seconds)
    total = Tally.empty(_zone_ids(zones), _gov_names(zones), fields)
    kinds: Counter[int] = Counter()
    skipped = 0
    missing = dict.fromkeys(fields, 0)
    first: tuple[float, float] | None = None
    zl: list[np.ndarray[Any, Any]] = []
    gl: list[np.ndarray[Any, Any]] = []
    bl: list[np.ndarray[Any, Any]] = []
    with _boundary(budget):
        for b in read_batches(part, budget, fields=fields):
            if b.crs != plan.declared:
                raise InputError(f"the part {Path(part.path).name} declares the CRS {b.crs!r}, "
                                 f"the first part {plan.declared!r}", source=part.source,
                                 fix="write every part in the same CRS")
            present = b.present
            if b.points_xy is not None:  # points straight from WKB: no shapely objects
                xy = xy_to_lonlat(b.points_xy[present], plan.crs, plan.swap_axes)
                kinds[0] += len(xy)
            else:
                geoms = to_lonlat(b.geoms[present], plan.crs, plan.swap_axes)
                kinds.update(shapely.get_type_id(geoms).tolist())
                xy = rep_xy(geoms)
            skipped += int((~present).sum())
            if first is None and len(xy):
                first = (float(xy[0, 0]), float(xy[0, 1]))
            w = {f: numeric_column(b.columns[f][present], f, part.source) for f in fields}
            for f, v in w.items():
                missing[f] += int(np.isnan(v).sum())
            t, lab = tally_points(xy, zones.zones, zones.governorates, zones.bands, w,
                                  lines=zones.lines, holes=zones.holes)
            total = total + t
            if labels:
                zl.append(_spread(lab.zone, present, -2))
                gl.append(_spread(lab.governorate, present, -1))
                bl.append(_spread(lab.in_band, present, False))
    lab_out = None
    if labels:
        lab_out = Labels(_cat(zl, np.int64), _cat(gl, np.int64), _cat(bl, bool),
                         np.empty(0, dtype=bool))
    return PartTally(total, {GEOM_TYPES[k]: v for k, v in kinds.items()}, skipped, missing,
                     first, lab_out)


def _cat(arrays: list[np.ndarray[Any, Any]], dtype: Any) -> np.ndarray[Any, Any]:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


def _spread(values: np.ndarray[Any, Any], present: np.ndarray[Any, Any],
            fill: Any) -> np.ndarray[Any, Any]:
    out = np.full(len(present), fill, dtype=values.dtype)
    out[present] = values
    return out


def _zone_ids(zones: ZoneSet) -> list[str]:
    """The zone ids of a zone set, in order."""
    return [z for z, _ in zones.zones]


def _gov_names(zones: ZoneSet) -> list[tuple[str, str | None]]:
    return [(name, name_ar) for name, name_ar, _ in zones.governorates]


def tally_slice(xy: np.ndarray[Any, Any], weights: Mapping[str, np.ndarray[Any, Any]],
                zones: ZoneSet, labels: bool = False) -> tuple[Tally, Labels | None]:
    """Tally points already read (a slice of a layer read in memory)."""
    t, lab = tally_points(xy, zones.zones, zones.governorates, zones.bands, weights,
                          lines=zones.lines, holes=zones.holes)
    return t, (lab if labels else None)


def require_dask() -> None:
    """Refuse the dask engine, saying how to install it, when dask.distributed is missing.

    Raises
    ------
    InputError
        With the command that installs the extra.
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError("the dask engine needs dask.distributed, which is not installed",
                         source="`engine`", fix=DASK_INSTALL) from None


def _tally_packed(data: tuple[np.ndarray[Any, Any], dict[str, np.ndarray[Any, Any]]],
                  zones: ZoneSet, labels: bool) -> tuple[Tally, Labels | None]:
    return tally_slice(data[0], data[1], zones, labels)


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A dask client: a LocalCluster of ``workers`` processes, or an existing scheduler.

    Raises
    ------
    InputError
        dask.distributed is not installed (with the command that installs it), the
        scheduler cannot be reached, or ``workers`` is not a positive number.
    """
    require_dask()
    from distributed import Client, LocalCluster

    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise InputError(f"workers {workers!r} is not a positive whole number",
                         source="`workers`", fix="give the number of worker processes, e.g. 2")
    if scheduler is not None:
        if workers is not None:
            raise InputError("workers applies to a local cluster, not to an existing "
                             f"scheduler ({scheduler!r})", source="`workers`",
                             fix="drop workers (the scheduler has its own), or the scheduler")
        try:
            client = Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the dask scheduler at {scheduler!r} ({exc})",
                             source="`scheduler`",
                             fix="start one with `dask scheduler` and `dask worker ADDRESS`, "
                                 "or check the address (tcp://host:8786)") from None
        try:
            yield client
        finally:
            client.close()
        return
    # dashboard_address=None still serves the scheduler's HTTP routes on port 8787 (and
    # fails when another cluster holds it): a random port, on this machine only
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def run_parts(plan: LayerPlan, zones: ZoneSet, fields: Sequence[str] = (), *,
              engine: Engine = "local", workers: int | None = None,
              scheduler: str | None = None, labels: bool = False
              ) -> tuple[PartTally, list[Labels]]:
    """Tally every part of a planned layer with ``engine``; the labels in part order."""
    if engine == "local":
        if workers is not None or scheduler is not None:
            raise InputError("workers and scheduler apply to the dask engine",
                             source="`engine`", fix="give engine='dask', or drop them")
        results = [tally_part(p, zones, plan, fields, labels)
                   for p in progress(plan.parts, desc=f"counting {Path(plan.source).name}",
                                     unit="part")]
    elif engine == "dask":
        with dask_client(workers, scheduler) as client:
            results = _on_cluster(client, plan, zones, fields, labels)
    else:
        raise InputError(f"engine {engine!r} is not one of local, dask", source="`engine`",
                         fix="give engine='local' or engine='dask'")
    total = results[0]
    for r in results[1:]:
        total = total + r
    return total, [r.labels for r in results if r.labels is not None]


def _on_cluster(client: Any, plan: LayerPlan, zones: ZoneSet, fields: Sequence[str],
                labels: bool) -> list[PartTally]:
    # the partition goes to every worker once; tasks refer to it by its key
    zs = client.scatter(zones, broadcast=True, hash=False)
    futures = [client.submit(tally_part, p, zs, plan, tuple(fields), labels, pure=False)
               for p in plan.parts]
    try:
        # results in part order (the labels follow the file order); the bar moves as
        # the parts complete, in whatever order the workers finish them
        return [f.result() for f in progress(futures, desc=f"counting "
                                             f"{Path(plan.source).name} on dask",
                                             unit="part")]
    finally:
        client.cancel(futures)


def run_slices(xy: np.ndarray[Any, Any], weights: Mapping[str, np.ndarray[Any, Any]],
               zones: ZoneSet, *, workers: int | None = None, scheduler: str | None = None,
               labels: bool = False, rows: int = _SLICE_ROWS) -> tuple[Tally, Labels | None]:
    """Tally points read in memory (GeoJSON, CSV, ...) on a dask cluster, in slices."""
    starts = list(range(0, max(len(xy), 1), rows))
    with dask_client(workers, scheduler) as client:
        zs = client.scatter(zones, broadcast=True, hash=False)
        # the slices go as data (scatter), not inside the task graph
        data = client.scatter([(xy[s:s + rows], {f: v[s:s + rows] for f, v in
                                                 weights.items()}) for s in starts],
                              hash=False)
        futures = [client.submit(_tally_packed, d, zs, labels, pure=False) for d in data]
        try:
            done = [f.result() for f in progress(futures, desc="counting on dask",
                                                 unit="slice")]
        finally:
            client.cancel(futures)
    total = done[0][0]
    for t, _ in done[1:]:
        total = total + t
    lab = None
    if labels:
        parts = [lab_ for _, lab_ in done if lab_ is not None]
        lab = Labels(*(np.concatenate([getattr(pl, a) for pl in parts])
                       for a in ("zone", "governorate", "in_band", "on_line")))
    return total, lab


def tally_frame(gdf: Any, zones: ZoneSet, sum_fields: Sequence[str] = ()) -> Tally:
    """Tally a GeoDataFrame (e.g. one partition of a dask-geopandas frame).

    The same core and rules as :func:`geo.count.count_layer`: points where they stand,
    other geometries by a representative point, in lon/lat (the frame is transformed
    from its CRS; a frame without one must be lon/lat). Tallies of partitions add up
    (``+``) to the tally of the whole; :meth:`~geo.count.Tally.result` gives the counts.

    Raises
    ------
    InputError
        A field of ``sum_fields`` missing or not numeric.

    Notes
    -----
    Calls in one process run one at a time (a lock): the zones' GEOS geometries and the
    frame's pyproj CRS are shared by dask's threaded scheduler, and using them from two
    threads at once corrupted the heap. Processes (``dask.distributed`` workers) run in
    parallel as usual.
    """
    with _FRAME_LOCK:
        return _tally_frame(gdf, zones, sum_fields)


_FRAME_LOCK = threading.Lock()


def _tally_frame(gdf: Any, zones: ZoneSet, sum_fields: Sequence[str]) -> Tally:
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        geoms = np.asarray(gdf.geometry.to_crs(4326).values, dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    xy = rep_xy(geoms[present])
    weights = {}
    for f in sum_fields:
        if f not in gdf.columns:
            raise InputError(f"no field {f!r} in the frame", source="sum_fields",
                             fix="give a column the frame has")
        weights[f] = numeric_column(np.asarray(gdf[f].to_numpy())[present], f, "gdf")
    tally, _ = tally_points(xy, zones.zones, zones.governorates, zones.bands, weights,
                            lines=zones.lines, holes=zones.holes)
    return tally
