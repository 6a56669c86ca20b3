"""The line over time: one analysis per dated version, what changed between them, stated figures.

A line id (``yellow-line``) has dated versions: the packaged ones and the entries of the
users' data-dir catalogs with the same id and another version, each a line file
(``kind = "line"``), a zone polygon (``kind = "zone"``, the zone-polygon method) or a
survey of marker points (``kind = "markers"``, the line built by :mod:`geo.geometry.markers` and
joined to the outline by :mod:`geo.geometry.snap`). :func:`timeline` measures every version with
:func:`geo.analysis.analyse` (one :class:`~geo.analysis.Analysis` each, as ``gazamap
areas``) and compares consecutive versions with :func:`geo.compare.compare_analyses`.
Figures published without geometry (a dated area of a map nobody digitised, a dated share
in the press) are :class:`StatedPoint`: on the same time axis, never computed versions.

Example
-------
>>> tl = timeline("yellow-line")
>>> [(v.ref, v.date) for v in tl.versions]
[('yellow-line@2025-10-19', '2025-10-19')]
>>> tl.changes
()
>>> sorted({p.claim_id for p in tl.stated} & {"C60", "C61-a"})
['C60', 'C61-a']
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import shapely

from geo.analysis import Analysis, analyse_quietly
from geo.analysis.request import LineSpec, Request
from geo.catalog import Catalog, Dataset, parse_ref
from geo.compare import (
    DEFAULT_SAMPLE_M,
    PLACE_DATASETS,
    CompareMethod,
    Comparison,
    compare_analyses,
)
from geo.errors import GazamapNote, GazamapWarning
from geo.versions import (
    LINE_KINDS,
    _version_date,
    date_span,
    line_versions_of,
    version_in_force,
)

__all__ = [
    "LINE_KINDS",
    "Change",
    "StatedPoint",
    "Timeline",
    "TimelineMethod",
    "TimelineVersion",
    "date_span",
    "line_versions_of",
    "timeline",
    "version_in_force",
]

# Ledger claims that place a figure of the controlled (east) zone on the time axis.
_STATED_METRICS = ("zone_share_pct", "zone_area_km2")


@dataclass(frozen=True)
class TimelineVersion:
    """One dated version of the line, measured as ``gazamap areas`` measures it."""

    dataset: Dataset = field(repr=False)
    analysis: Analysis = field(repr=False)

    @property
    def ref(self) -> str:
        """``id@version``."""
        return self.dataset.ref

    @property
    def version(self) -> str:
        """The version string of the catalog entry."""
        return self.dataset.version

    @property
    def date(self) -> str:
        """The version's date as the catalog gives it (else its version)."""
        return _version_date(self.dataset)

    @property
    def kind(self) -> str:
        """``line``, ``zone`` or ``markers``."""
        return self.dataset.kind

    def east_share_pct(self) -> float:
        """The east zone's share of the outline, %."""
        return self.analysis.zone("east").share_pct

    def to_dict(self) -> dict[str, Any]:
        """The version's entry of the JSON contract."""
        a = self.analysis
        ln = a.lines[0]
        return {"version": self.version, "date": self.date, "ref": self.ref,
                "kind": self.kind, "title": self.dataset.title, "origin": self.dataset.origin,
                "line": ln.to_dict(), "method": ln.method,
                "boundary_area_km2": a.boundary_area_km2,
                "zones": [z.to_dict() for z in a.zones],
                "governorates": [g.to_dict() for g in a.governorates],
                "datasets": list(a.provenance.datasets),
                "notes": [*a.notes, *a.warnings]}


@dataclass(frozen=True)
class Change:
    """What changed from one version to the next: the land that changed zone, how far.

    ``to_east`` (lon/lat) is the land west of the older line and east of the newer one;
    ``to_west`` the reverse. The figures are the :class:`~geo.compare.Comparison`'s.
    """

    older: TimelineVersion = field(repr=False)
    newer: TimelineVersion = field(repr=False)
    comparison: Comparison = field(repr=False)

    @property
    def to_east(self) -> shapely.Geometry:
        """Land that moved into the east zone (lon/lat)."""
        return self.comparison.to_east

    @property
    def to_west(self) -> shapely.Geometry:
        """Land that moved into the west zone (lon/lat)."""
        return self.comparison.to_west

    @property
    def to_east_km2(self) -> float:
        """Land that moved into the east zone, km² (geodesic)."""
        return self.comparison.to_east_km2

    @property
    def to_west_km2(self) -> float:
        """Land that moved into the west zone, km² (geodesic)."""
        return self.comparison.to_west_km2

    def to_dict(self) -> dict[str, Any]:
        """The change's entry of the JSON contract."""
        c = self.comparison
        return {"from": self.older.ref, "to": self.newer.ref,
                "from_date": self.older.date, "to_date": self.newer.date,
                "to_east_km2": c.to_east_km2, "to_west_km2": c.to_west_km2,
                "moved_km2": c.moved_km2, "moved_pct": c.moved_pct,
                "east_share_pct_from": c.a.share_pct, "east_share_pct_to": c.b.share_pct,
                "governorates": [g.to_dict() for g in c.governorates],
                "displacement_m": c.displacement.to_dict(),
                "places_changed": [p.to_dict() for p in c.places_changed],
                "places_checked": dict(c.places_checked), "method": c.method.to_dict()}


@dataclass(frozen=True)
class StatedPoint:
    """A dated figure published without geometry: a stated point, never a version.

    ``value`` is what was stated, in ``unit`` (``%`` of an outline or of
    ``denominator_km2``, or ``km2``); ``share_pct`` the point on the chart's axis (% of the
    measured outline: a stated km² divided by the outline's area), with ``low``/``high``
    from the words' precision.
    """

    claim_id: str
    date: str
    day: dt.date
    value: float
    unit: str
    share_pct: float
    low: float
    high: float
    outlet: str
    text: str
    line: str
    denominator_km2: float | None
    ledger: str

    def to_dict(self) -> dict[str, Any]:
        """The stated point's entry of the JSON contract."""
        return {"claim": self.claim_id, "date": self.date, "day": self.day.isoformat(),
                "value": self.value, "unit": self.unit, "share_pct": self.share_pct,
                "share_pct_low": self.low, "share_pct_high": self.high,
                "outlet": self.outlet, "text": self.text, "line": self.line or None,
                "denominator_km2": self.denominator_km2, "ledger": self.ledger}


@dataclass(frozen=True)
class Timeline:
    """Every version of a line in date order, the changes between them, stated points."""

    line_id: str
    versions: tuple[TimelineVersion, ...]
    changes: tuple[Change, ...]
    stated: tuple[StatedPoint, ...]
    boundary_ref: str
    boundary_area_km2: float
    notes: tuple[str, ...] = ()

    def version(self, ref_or_date: str) -> TimelineVersion:
        """The version with this ``id@version``, version string or date.

        Raises
        ------
        KeyError
            Naming the versions that exist.
        """
        for v in self.versions:
            if ref_or_date in (v.ref, v.version, v.date):
                return v
        raise KeyError(f"no version {ref_or_date!r}; the versions are "
                       f"{', '.join(v.ref for v in self.versions)}")

    @property
    def datasets(self) -> tuple[str, ...]:
        """Every dataset behind a figure (id@version), in order of first use."""
        refs = [d for v in self.versions for d in v.analysis.provenance.datasets]
        refs += [d for c in self.changes for d in c.comparison.datasets]
        return tuple(dict.fromkeys(refs))

    @property
    def method(self) -> TimelineMethod:
        """The method in words: the versions' (as ``areas``) and the changes' (as ``compare``)."""
        first = self.versions[0].analysis.method
        return TimelineMethod(
            versions="one analysis per version, as `gazamap areas`: " + str(first.area),
            split=first.split,
            changes=self.changes[0].comparison.method if self.changes else None)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON contract of ``gazamap timeline`` (see README)."""
        return {"line": self.line_id,
                "boundary": {"ref": self.boundary_ref, "area_km2": self.boundary_area_km2},
                "versions": [v.to_dict() for v in self.versions],
                "changes": [c.to_dict() for c in self.changes],
                "stated": [p.to_dict() for p in self.stated],
                "method": self.method.to_dict(), "datasets": list(self.datasets),
                "notes": list(self.notes)}

    def to_geodataframe(self) -> Any:
        """All versions' zones as one GeoDataFrame (EPSG:4326) with a ``date`` column."""
        import geopandas as gpd

        rows, geoms = [], []
        for v in self.versions:
            for z in v.analysis.zones:
                rows.append({"version": v.version, "date": v.date, "ref": v.ref,
                             "kind": v.kind, **z.properties(),
                             "method": v.analysis.lines[0].method})
                geoms.append(z.geometry)
        return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def _stated_points(ledgers: Sequence[Any], line_id: str, catalog: Catalog,
                   outline_km2: float) -> tuple[StatedPoint, ...]:
    from geo.claims import Ledger, load_ledger

    out: list[StatedPoint] = []
    for spec in ledgers:
        led = spec if isinstance(spec, Ledger) else load_ledger(str(spec))
        name = led.title or str(spec)
        for c in led:
            f = c.fields
            if c.metric not in _STATED_METRICS or f.get("zone") != "east" or c.op != "=":
                continue
            line = str(f["line"]) if isinstance(f.get("line"), str) else ""
            when = str(f.get("version_date") or c.date)
            span = date_span(when)
            s = c.stated
            if span is None or s.low is None or s.high is None or not isinstance(
                    s.value, float | tuple):
                continue
            if line:
                ident, version = parse_ref(line)
                known = bool(version) and any(d.version == version
                                              for d in catalog.versions(ident))
                # the line's own stated versions, or a figure of this line without geometry
                if ident != line_id and not f.get("line_version"):
                    continue
                if known:
                    continue  # a version with geometry is computed, not a stated point
            v = s.value if isinstance(s.value, float) else (s.value[0] + s.value[1]) / 2
            lo, hi = s.low, s.high
            if c.metric == "zone_area_km2":
                unit, k = "km2", 100 / outline_km2
            else:
                unit, k = "%", 1.0
            den = f.get("denominator_km2")
            out.append(StatedPoint(
                claim_id=c.id, date=when, day=span[0] + (span[1] - span[0]) / 2, value=v,
                unit=unit, share_pct=v * k, low=lo * k, high=hi * k, outlet=c.provenance,
                text=c.text, line=line, denominator_km2=float(den) if den else None,
                ledger=name))
    return tuple(sorted(out, key=lambda p: (p.day, p.claim_id)))


def timeline(line_id: str, *, data_dirs: Sequence[str] = (), request: Request | None = None,
             ledgers: Sequence[Any] = ("public",), sample_m: float = DEFAULT_SAMPLE_M,
             place_datasets: Sequence[str] = PLACE_DATASETS) -> Timeline:
    """Measure every version of ``line_id`` and what changed between consecutive ones.

    Parameters
    ----------
    line_id : str
        A line id without a version (``"yellow-line"``).
    data_dirs : sequence of str
        Data directories whose catalogs add versions (beside ``GAZAMAP_DATA_DIR``).
    request : Request, optional
        The outline, read options, tolerances and denominators (its lines are ignored:
        each version is the one line of its own analysis).
    ledgers : sequence of str or Ledger
        Ledgers (shipped names, files or parsed) whose dated figures of the east zone are
        stated points.
    sample_m, place_datasets
        As :func:`geo.compare.compare_analyses`, for the changes.

    Returns
    -------
    Timeline
        ``versions`` oldest first; ``changes[i]`` from ``versions[i]`` to ``versions[i+1]``.

    Raises
    ------
    geo.errors.InputError
        An unknown id, an undated version, or a version that does not divide the outline
        (a line crossing itself is refused as by ``areas``). Versions may cross each
        other: they are not lines of one partition.
    """
    base = request or Request()
    if data_dirs:
        base = replace(base, data_dirs=tuple(dict.fromkeys([*base.data_dirs, *data_dirs])))
    measured, notes, warns = _measure_versions(base, line_versions_of(base.catalog, line_id))
    changes = []
    for older, newer in zip(measured, measured[1:], strict=False):
        comp = compare_analyses(older.analysis, newer.analysis, sample_m=sample_m,
                                place_datasets=place_datasets)
        changes.append(Change(older, newer, comp))
    first = measured[0].analysis
    stated = _stated_points(ledgers, parse_ref(line_id)[0], base.catalog,
                            first.boundary_area_km2)
    for text in dict.fromkeys(notes):
        warnings.warn(text, GazamapNote, stacklevel=2)
    for text in dict.fromkeys(warns):
        warnings.warn(text, GazamapWarning, stacklevel=2)
    return Timeline(line_id=parse_ref(line_id)[0], versions=tuple(measured),
                    changes=tuple(changes), stated=stated, boundary_ref=first.boundary.ref,
                    boundary_area_km2=first.boundary_area_km2,
                    notes=tuple(dict.fromkeys([*notes, *warns])))


def _measure_versions(base: Request, versions: Sequence[Dataset]
                      ) -> tuple[list[TimelineVersion], list[str], list[str]]:
    """One analysis per version (its one line), with the notes and warnings, prefixed."""
    measured: list[TimelineVersion] = []
    notes: list[str] = []
    warns: list[str] = []
    for ds in versions:
        req = replace(base, lines=(LineSpec(ds.ref),), alternatives=False, outlines=False,
                      population=False)
        a = analyse_quietly(req)
        notes += [_prefixed(ds.ref, n) for n in a.notes]
        warns += [_prefixed(ds.ref, n) for n in a.warnings]
        measured.append(TimelineVersion(ds, a))
    return measured, notes, warns


def _prefixed(ref: str, text: str) -> str:
    return text if text.startswith(ref) else f"{ref}: {text}"


@dataclass(frozen=True)
class TimelineMethod:
    """The method of a timeline in words (the ``method`` object of its JSON contract)."""

    versions: str
    split: str
    changes: CompareMethod | None  # None: a single version, nothing changed
    uncertainty: str = ("each version's interval from its own positional uncertainty "
                        "(its catalog entry's uncertainty_m)")
    order: str = "versions ordered by their catalog date (else their version)"
    stated: str = ("figures published without geometry (ledger claims of the east zone "
                   "with a date): stated points, never computed versions; a stated km² "
                   "is placed on the axis as a share of the measured outline")

    def to_dict(self) -> dict[str, Any]:
        """The ``method`` object of the JSON contract."""
        out: dict[str, Any] = {"versions": self.versions, "split": self.split,
                               "uncertainty": self.uncertainty, "order": self.order,
                               "stated": self.stated}
        if (c := self.changes) is not None:
            out["changes"] = {"area": c.area, "displacement": c.displacement, "places": c.places}
        return out
