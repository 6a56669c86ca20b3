"""What a user asks for: the boundary, the ordered lines, the data and every parameter.

A :class:`Request` is plain, frozen data. :func:`geo.analysis.analyse` resolves it once
into an :class:`~geo.analysis.Analysis`; the command line only translates its options
into a Request. Parameters are validated when the analysis runs (:meth:`Request.checked`),
with messages that name the parameter (``uncertainty_m``), never a command-line flag.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import Catalog, data_dirs_from_env, default_catalog
from geo.errors import InputError
from geo.geometry.markers import DEFAULT_OUTLIER_M
from geo.geometry.partition import DEFAULT_SNAP_TOLERANCE_M
from geo.read.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, looks_like_path, resolve

__all__ = [
    "DEFAULT_BOUNDARY",
    "DEFAULT_LINE",
    "DEFAULT_OUTLIER_M",
    "DEFAULT_SNAP_TOLERANCE_M",
    "MAX_UNCERTAINTY_M",
    "MAX_SNAP_TOLERANCE_M",
    "DENOMINATOR_RANGE_KM2",
    "LineSpec",
    "ReadOptions",
    "Request",
]

# The Strip is 6-12 km wide: a line moved by more than 3 km, or an end joined across more
# than 5 km, no longer describes the line it came from.
MAX_UNCERTAINTY_M = 3000.0
MAX_SNAP_TOLERANCE_M = 5000.0
MAX_OUTLIER_M = 5000.0
# A denominator is a total area of the Strip: published totals are 360-365 km², outlines
# measure 363-365 km². Far outside this range a "share" stops meaning a share of Gaza.
DENOMINATOR_RANGE_KM2 = (300.0, 450.0)
MAX_LINES = 8


@dataclass(frozen=True)
class ReadOptions:
    """How to read the user's files (see :func:`geo.read.io.read_features`)."""

    crs: str | None = None
    swap_axes: bool = False
    layer: str | None = None
    encoding: str | None = None
    max_mb: float | None = None

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`geo.read.io.read_features` that were given."""
        out: dict[str, Any] = {}
        if self.crs:
            out["crs"] = self.crs
        if self.swap_axes:
            out["swap_axes"] = True
        if self.layer:
            out["layer"] = self.layer
        if self.encoding:
            out["encoding"] = self.encoding
        if self.max_mb is not None:
            out["max_mb"] = self.max_mb
        return out


@dataclass(frozen=True)
class LineSpec:
    """One dividing line: a dataset reference or a file, or marker points to build it from.

    ``uncertainty_m`` is the line's positional uncertainty in metres: a number (±u), or a
    :class:`~geo.analysis.uncertainty.LineUncertainty` (toward Israel, toward the coast); ``None``
    takes the catalog's value for a dataset and means "unknown" (no interval) for a file.
    ``source`` is an already resolved :class:`geo.read.sources.Source` (Python callers with
    their own geometry); ``ref`` then only labels it.
    """

    ref: str
    from_markers: bool = False
    uncertainty_m: float | LineUncertainty | None = None
    source: Source | None = field(default=None, compare=False, repr=False)


def _as_line_specs(lines: Any, markers: Any, uncertainty_m: Any) -> tuple[LineSpec, ...]:
    specs: list[LineSpec] = []
    if isinstance(lines, (str, Path, LineSpec)):
        lines = [lines]
    for item in lines or ():
        specs.append(item if isinstance(item, LineSpec) else LineSpec(str(item)))
    if isinstance(markers, (str, Path)):
        markers = [markers]
    for item in markers or ():
        specs.append(LineSpec(str(item), from_markers=True))
    if uncertainty_m is None:
        return tuple(specs)
    us = (list(uncertainty_m) if isinstance(uncertainty_m, Iterable)
          and not isinstance(uncertainty_m, str) else [uncertainty_m])
    if len(specs) == 1 and len(us) == 2 and not any(isinstance(u, Iterable) for u in us):
        us = [us]  # one line: two numbers are its two sides [toward Israel, toward the coast]
    if len(us) == 1:
        us = us * len(specs)
    if len(us) != len(specs):
        raise InputError(f"{len(us)} uncertainties for {len(specs)} lines",
                         source="uncertainty_m",
                         fix="give one uncertainty for all lines, or one per line in order")
    return tuple(replace(s, uncertainty_m=_sides(u)) for s, u in zip(specs, us, strict=True))


def _sides(value: Any) -> float | LineUncertainty:
    """A number (±u), or two [toward Israel, toward the coast] as a LineUncertainty."""
    if isinstance(value, LineUncertainty) or (
            isinstance(value, Iterable) and not isinstance(value, str)) or (
            isinstance(value, str) and "," in value):
        try:
            u = LineUncertainty.of(value)
        except ValueError as exc:
            raise InputError(str(exc), source="uncertainty_m",
                             fix="give metres: one number (±u) or two [toward Israel, "
                                 "toward the coast]") from None
        return u.toward_coast_m if u.symmetric else u
    return _number(value, "uncertainty_m")


def _number(value: Any, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number", source=name,
                         fix="give a number") from None
    return x


def _bounded(x: float, name: str, low: float, high: float, unit: str, why: str) -> float:
    if not math.isfinite(x):
        raise InputError(f"{x!r} is not a finite number", source=name,
                         fix=f"give a number of {unit} between {low:g} and {high:g}")
    if not low <= x <= high:
        raise InputError(f"{x:g} {unit} is outside {low:g}-{high:g} {unit} ({why})",
                         source=name, fix=f"give a value between {low:g} and {high:g}")
    return x


@dataclass(frozen=True)
class Request:
    """Everything a user named for an analysis.

    Parameters
    ----------
    boundary : str or geo.read.sources.Source
        The outline: a dataset reference (``id`` or ``id@version``), a polygon file, or
        an already resolved source.
    lines : tuple of LineSpec
        Dividing lines (or marker sets) from the Israel border westward. A zone polygon
        dataset or file is accepted as the only line (the zone-polygon method).
    data_dirs : tuple of str
        The user's data directories (each with a ``catalog.toml``), beside the packaged
        datasets and those of ``GAZAMAP_DATA_DIR``.
    read : ReadOptions
        How every input file is read.
    snap_tolerance_m : float
        Line ends that stop at most this far inside the outline are joined to it.
    outlier_m : float
        Markers farther than this from the line through their neighbours are left out.
    denominators_km2 : tuple of float
        Extra totals for shares, beside the conventional 365 and 360 km².
    controlled_at : (lon, lat), optional
        A point inside the zone behind the first line (the side under military control),
        for lines whose catalog entry does not declare it.
    allow_sliver : bool
        Accept a partition whose smallest zone is under 1 % of the outline
        (``geo.geometry.partition_checks.SLIVER_PCT``; by default refused: such a line
        almost always misses the Strip).
    governorates, alternatives, outlines, population : bool
        Compute the governorate breakdown, the zone-polygon alternative, the same lines
        on every packaged outline (outline sensitivity) and the pre-war population.
    """

    boundary: str | Source = DEFAULT_BOUNDARY
    lines: tuple[LineSpec, ...] = (LineSpec(DEFAULT_LINE),)
    data_dirs: tuple[str, ...] = ()
    read: ReadOptions = field(default_factory=ReadOptions)
    snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M
    outlier_m: float = DEFAULT_OUTLIER_M
    denominators_km2: tuple[float, ...] = ()
    controlled_at: tuple[float, float] | None = None
    allow_sliver: bool = False
    governorates: bool = True
    alternatives: bool = True
    outlines: bool = True
    population: bool = True

    @classmethod
    def of(cls, *, line: Any = None, lines: Any = None, markers: Any = None,
           uncertainty_m: Any = None, read: ReadOptions | None = None,
           **kwargs: Any) -> Request:
        """A Request from friendly keywords.

        ``line`` (one) or ``lines`` (several) and ``markers`` (files or points datasets
        to build lines from) give the lines; ``uncertainty_m`` one value for all or one
        per line, each a number (±u) or two ``(toward Israel, toward the coast)`` (with
        one line, two numbers are its two sides); ``crs``, ``swap_axes``, ``layer``,
        ``encoding``, ``max_mb`` the read options; everything else is a field of
        :class:`Request`.

        >>> r = Request.of(lines=["a.geojson", "b.geojson"], uncertainty_m=[300, 150])
        >>> [(s.ref, s.uncertainty_m) for s in r.lines]
        [('a.geojson', 300.0), ('b.geojson', 150.0)]
        >>> Request.of(uncertainty_m=[100, 520]).lines[0].uncertainty_m.words
        '100 m toward Israel, 520 m toward the coast'
        """
        read_kw = {k: kwargs.pop(k) for k in ("crs", "swap_axes", "layer", "encoding",
                                               "max_mb") if k in kwargs}
        if read is None:
            read = ReadOptions(**read_kw)
        given = [x for x in (line, lines) if x is not None]
        if len(given) > 1:
            raise InputError("both line and lines were given", source="line",
                             fix="give line (one) or lines (several)")
        chosen = given[0] if given else (None if markers else DEFAULT_LINE)
        specs = _as_line_specs(chosen, markers, uncertainty_m)
        for k in ("data_dirs", "denominators_km2"):
            if k in kwargs and isinstance(kwargs[k], (str, int, float)):
                kwargs[k] = (kwargs[k],)
            if k in kwargs:
                kwargs[k] = tuple(kwargs[k])
        if kwargs.get("controlled_at") is not None:
            kwargs["controlled_at"] = tuple(kwargs["controlled_at"])
        return cls(lines=specs, read=read, **kwargs)

    def checked(self) -> Request:
        """Return the request once every parameter is validated (finite, in range).

        Raises
        ------
        geo.errors.InputError
            Naming the parameter, the value and the range that makes sense for the Strip.
        """
        if not self.lines:
            raise InputError("no line was given", source="lines",
                             fix="give at least one line or marker set")
        if len(self.lines) > MAX_LINES:
            raise InputError(f"{len(self.lines)} lines were given", source="lines",
                             fix=f"give at most {MAX_LINES} lines")
        for s in self.lines:
            if s.source is None and not str(s.ref).strip():
                raise InputError("an empty line reference was given", source="lines",
                                 fix="give a dataset id or a file path")
            u = s.uncertainty_m
            for side in ((u.toward_israel_m, u.toward_coast_m)
                         if isinstance(u, LineUncertainty) else () if u is None else (u,)):
                _bounded(float(side), "uncertainty_m", 0.0, MAX_UNCERTAINTY_M,
                         "m", "the Strip is 6-12 km wide")
        _bounded(float(self.snap_tolerance_m), "snap_tolerance_m", 0.0,
                 MAX_SNAP_TOLERANCE_M, "m", "an end farther than that is not near the outline")
        _bounded(float(self.outlier_m), "outlier_m", 1.0, MAX_OUTLIER_M, "m",
                 "markers stand about 200 m apart")
        lo, hi = DENOMINATOR_RANGE_KM2
        for d in self.denominators_km2:
            _bounded(float(d), "denominators_km2", lo, hi, "km²",
                     "a denominator is a total area of the Strip, published as 360-365 km²")
        if self.controlled_at is not None:
            if len(self.controlled_at) != 2:
                raise InputError(f"{self.controlled_at!r} is not a (lon, lat) point",
                                 source="controlled_at", fix="give two numbers: lon, lat")
            lon, lat = (float(v) for v in self.controlled_at)
            _bounded(lon, "controlled_at", 34.0, 34.7, "° lon", "Gaza lies at 34.2-34.6 E")
            _bounded(lat, "controlled_at", 31.1, 31.7, "° lat", "Gaza lies at 31.2-31.6 N")
        if self.read.max_mb is not None:
            _bounded(float(self.read.max_mb), "max_mb", 1e-6, 1e6, "MB",
                     "the size limit of an input file")
        return self

    @cached_property
    def catalog(self) -> Catalog:
        """The packaged datasets plus the user's (``data_dirs`` and ``GAZAMAP_DATA_DIR``)."""
        return default_catalog(self.all_data_dirs)

    def resolve(self, spec: str, kind: str = "any") -> Source:
        """A dataset id or a file, read as this request reads every input.

        With the request's catalog and read options; ``kind`` as in
        :func:`geo.read.sources.resolve` (``"any"``: a layer, e.g. one to export).

        >>> Request().resolve("crossings").ref
        'crossings@2025-10'
        """
        return resolve(spec, kind, self.catalog, **self.read.kwargs())

    @property
    def all_data_dirs(self) -> tuple[str, ...]:
        """``GAZAMAP_DATA_DIR`` folders, then ``data_dirs``, without repeats."""
        return tuple(dict.fromkeys([*data_dirs_from_env(), *self.data_dirs]))

    def input_files(self, extra: Sequence[str | Path] = ()) -> tuple[str, ...]:
        """Every file this request reads (an output must never be one of them).

        The boundary, line and marker files, the ``catalog.toml`` of each data directory
        and the files its datasets name, and ``extra`` (layers, ledgers, ...).
        """
        specs = [self.boundary.file if isinstance(self.boundary, Source) else self.boundary,
                 *((ln.source.file if ln.source is not None else ln.ref) for ln in self.lines)]
        named = [s for s in specs if s and looks_like_path(s)]
        user: list[str] = [str(Path(d) / "catalog.toml") for d in self.all_data_dirs]
        if user:
            user += [str(ds.path) for ds in self.catalog if ds.origin != "packaged"]
        return tuple(dict.fromkeys([*named, *user, *(str(p) for p in extra)]))
