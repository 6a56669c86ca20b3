"""Which datasets exist, by id and version, with their provenance.

A reference is ``id@version`` (``yellow-line@2025-10-19``); a bare ``id`` means the latest
packaged version (a data directory's newer version is chosen by its ``@version``), or the
latest version when the id is not packaged. Packaged datasets live in ``geo/data/`` and are
described by ``geo/data/catalog.toml``; more catalogs (a user's data directory) can be
stacked on top.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo.analysis.uncertainty import LineUncertainty
from geo.defaults import DATA_DIR_ENV
from geo.errors import DatasetNotFoundError, FieldError, InputError
from geo.read.catalog_fields import _check_field, _new_load, _sandboxed, _type_name
from geo.read.expect import geometry_from_features
from geo.read.features import Feature
from geo.read.io import read_features, read_toml

__all__ = [
    "DATA_DIR",
    "Dataset",
    "Catalog",
    "packaged_catalog",
    "default_catalog",
    "user_catalog",
    "data_dirs_from_env",
    "DATA_DIR_ENV",
    "parse_ref",
]

DATA_DIR = Path(__file__).parent / "data"
# A user's own datasets: folders holding a catalog.toml, read at call time from the
# arguments and from $GAZAMAP_DATA_DIR (DATA_DIR_ENV; os.pathsep separates several folders).
_EXPECT = {"boundary": "polygon", "zone": "polygon", "line": "line", "points": "points",
           "markers": "points", "context": "any"}
# markers: the block positions of a survey, from which a line is built (geo.geometry.markers)
Kind = Literal["boundary", "line", "zone", "points", "markers", "context"]
KINDS: tuple[str, ...] = ("boundary", "line", "zone", "points", "markers", "context")
_REQUIRED = ("id", "version", "title", "kind", "file", "source", "licence", "attribution", "method")


@dataclass(frozen=True)
class Dataset:
    """One version of one dataset, with its provenance.

    ``uncertainty_m`` is the positional uncertainty in metres (1 sigma-ish, as stated by
    the catalog author): one number (±u) or, for a line, two ``[toward Israel, toward the
    coast]`` (kept in ``uncertainty_sides_m``; ``uncertainty_m`` is then the larger side);
    ``illustrative`` marks derived layers that are not official.
    """

    id: str
    version: str
    title: str
    kind: str
    file: str
    source: str
    licence: str
    attribution: str
    method: str
    url: str = ""
    date: str = ""
    uncertainty_m: float = 0.0
    notes: str = ""
    derived: bool = False
    illustrative: bool = False
    zone_polygon: str = ""
    # A (lon, lat) point inside the zone behind a line: the side under military control.
    controlled_point: tuple[float, ...] = ()
    crs: str = ""
    layer: str = ""
    encoding: str = ""
    base_dir: str = field(default="", compare=False, repr=False)
    origin: str = "packaged"
    uncertainty_sides_m: tuple[float, ...] = ()

    @property
    def line_uncertainty(self) -> LineUncertainty:
        """The uncertainty as stated: ±u, or toward Israel and toward the coast."""
        if len(self.uncertainty_sides_m) == 2:
            return LineUncertainty(*self.uncertainty_sides_m)
        return LineUncertainty(self.uncertainty_m, self.uncertainty_m)

    @property
    def ref(self) -> str:
        """The full reference, ``id@version``."""
        return f"{self.id}@{self.version}"

    @property
    def path(self) -> Path:
        """The data file on disk."""
        return Path(self.base_dir) / self.file

    @property
    def zone_source(self) -> str:
        """``zone_polygon`` as :func:`geo.read.sources.resolve` takes it.

        A dataset id, or the file in the catalog's folder (never relative to the
        current folder).
        """
        z = self.zone_polygon
        return str(Path(self.base_dir) / z) if z and _names_file(z) else z

    def provenance(self) -> dict[str, Any]:
        """The catalog entry as plain data (no file-system paths)."""
        out = asdict(self)
        out.pop("base_dir")
        out.pop("uncertainty_sides_m")
        out["uncertainty_m"] = self.line_uncertainty.to_json()
        out["ref"] = self.ref
        return out

    def features(self) -> list[Feature]:
        """Read the dataset's file into features (lon/lat).

        Packaged files are trusted RFC 7946 GeoJSON; a user's file goes through
        :func:`geo.read.io.read_features` with its checks and the entry's ``crs``, ``layer``
        and ``encoding``.
        """
        if self.origin == "packaged":
            return _read_features(str(self.path))
        return read_features(self.path, crs=self.crs or None, layer=self.layer or None,
                             encoding=self.encoding or None)

    def geometry(self) -> shapely.Geometry:
        """All features' geometries as one geometry (a union for polygons)."""
        if self.origin != "packaged":
            return geometry_from_features(self.features(), _EXPECT[self.kind],  # type: ignore[arg-type]
                                          f"{self.ref} ({self.path})")
        return _packaged_geometry(str(self.path))

    def measured_features(self) -> list[tuple[Feature, float]]:
        """Each feature with the geodesic area of its geometry, km² (polygon datasets)."""
        from geo.geometry.measure import geodesic_area_m2

        return [(f, geodesic_area_m2(f.geometry) / 1e6) for f in self.features()]


def _names_file(spec: str) -> bool:
    """A catalog field names a file (not a dataset id): the rule of geo.read.sources."""
    return "/" in spec or "\\" in spec or "." in spec.partition("@")[0]


# The fields a catalog may set, and their TOML types (the others are set by the reader).
_FIELD_TYPES: dict[str, str] = {
    f.name: ("number" if f.type == "float" else "boolean" if f.type == "bool" else
             "point" if f.name == "controlled_point" else "string")
    for f in fields(Dataset) if f.name not in ("base_dir", "origin", "uncertainty_sides_m")
}


def _dataset_from_entry(entry: dict[str, Any], i: int, path: Path, origin: str) -> Dataset:
    """One ``[[dataset]]`` table checked (types, required fields, sandbox) into a Dataset."""
    source = str(path)
    raw_id = entry.get("id")
    ident = raw_id if isinstance(raw_id, str) and raw_id else f"#{i + 1}"
    known = set(_FIELD_TYPES)
    unknown = sorted(set(entry) - known)
    if unknown and origin != "packaged":
        raise FieldError(f"dataset {ident!r} has unknown key(s) {', '.join(unknown)}",
                         source=source, fix=f"use only {', '.join(sorted(known))}")
    values = {k: _check_field(k, _FIELD_TYPES[k], v, ident, source)
              for k, v in entry.items() if k in known}
    if isinstance(values.get("uncertainty_m"), LineUncertainty):
        sides = values["uncertainty_m"]
        values["uncertainty_m"] = sides.max_m
        values["uncertainty_sides_m"] = (sides.toward_israel_m, sides.toward_coast_m)
    missing = [k for k in _REQUIRED if not str(values.get(k, "")).strip()]
    if missing:
        raise FieldError(f"dataset #{i + 1} ({ident!r}) lacks {', '.join(missing)}",
                         source=source, fix="every dataset needs " + ", ".join(_REQUIRED))
    if values["kind"] not in KINDS:
        raise FieldError(f"dataset {ident!r}, field `kind`: the kind {values['kind'][:40]!r} "
                         "is unknown", source=source, fix=f"use one of {', '.join(KINDS)}")
    _sandboxed(path.parent, values["file"], ident, source)
    zone = values.get("zone_polygon", "")
    if zone and _names_file(zone):  # a file of the data dir, like `file`; else a dataset id
        _sandboxed(path.parent, zone, ident, source, "zone_polygon")
    if values.get("crs"):
        from geo.geometry.crs import parse_crs

        try:
            parse_crs(values["crs"], source="crs")
        except InputError as exc:
            raise FieldError(f"dataset {ident!r}, field `crs`: {exc.problem}", source=source,
                             fix=exc.fix) from None
    return Dataset(**values, base_dir=str(path.parent), origin=origin)


@lru_cache(maxsize=64)
def _read_features(path: str) -> list[Feature]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return [Feature(_shape(f["geometry"]), dict(f.get("properties") or {}))
            for f in data["features"]]


@lru_cache(maxsize=64)
def _packaged_geometry(path: str) -> shapely.Geometry:
    # once per process: the claims resolve the packaged governorates eight times, and a
    # union of the five took 3 ms each time
    geoms = [f.geometry for f in _read_features(path)]
    if len(geoms) == 1:
        return geoms[0]
    if all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms):
        return shapely.union_all(geoms)
    return shapely.GeometryCollection(geoms)


def _coords(rows: Any) -> Any:
    return np.asarray(rows, dtype=float)


def _shape(g: dict[str, Any]) -> shapely.Geometry:
    """A packaged file's GeoJSON geometry as shapely, built from coordinate arrays.

    The same geometry as ``shapely.geometry.shape`` (tests/geo/test_catalog.py compares the
    WKB of every packaged feature) at a third of the cost: ``shape`` converts each position
    in Python. Anything but a non-empty (Multi)Point, LineString or Polygon goes to
    ``shape``.
    """
    kind, c = g.get("type"), g.get("coordinates")
    if not c or kind not in _BUILDERS:
        return shapely.geometry.shape(g)
    return _BUILDERS[kind](c)


def _polygon(rings: Any) -> shapely.Geometry:
    holes = [_coords(h) for h in rings[1:]]
    return shapely.polygons(_coords(rings[0]), holes=holes or None)


_BUILDERS = {
    "Point": lambda c: shapely.points(_coords(c)),
    "MultiPoint": lambda c: shapely.multipoints(_coords(c)),
    "LineString": lambda c: shapely.linestrings(_coords(c)),
    "MultiLineString": lambda c: shapely.multilinestrings([_coords(x) for x in c]),
    "Polygon": _polygon,
    "MultiPolygon": lambda c: shapely.multipolygons([_polygon(p) for p in c]),
}


def parse_ref(ref: str) -> tuple[str, str | None]:
    """Split ``id@version`` into its parts; a bare id has version ``None``.

    >>> parse_ref("yellow-line@2025-10-19")
    ('yellow-line', '2025-10-19')
    >>> parse_ref("gaza-outline")
    ('gaza-outline', None)
    """
    ident, sep, version = ref.strip().partition("@")
    return ident, (version if sep else None)


class Catalog:
    """An ordered collection of datasets; later sources shadow nothing, ids must be unique."""

    def __init__(self, datasets: list[Dataset] | None = None):
        self._datasets: list[Dataset] = []
        # indexes, so that adding and looking up stay linear in the number of datasets
        # (a catalog of 30,000 entries took over 300 s with a scan per dataset)
        self._refs: set[str] = set()
        self._by_id: dict[str, list[Dataset]] = {}
        for ds in datasets or []:
            self.add(ds)

    def add(self, ds: Dataset) -> None:
        """Add a dataset; an ``id@version`` already present is refused."""
        if ds.ref in self._refs:
            raise InputError(
                f"dataset {ds.ref!r} is defined twice",
                source=ds.base_dir or None,
                fix="give the second one another id or version",
            )
        self._datasets.append(ds)
        self._refs.add(ds.ref)
        self._by_id.setdefault(ds.id, []).append(ds)

    @classmethod
    def from_toml(cls, path: Path, origin: str = "packaged") -> Catalog:
        """Read a ``catalog.toml`` whose ``file`` entries are relative to its folder.

        The folder is a sandbox: a ``file`` must resolve inside it (no absolute path, no
        ``..``, no symlink that leads out), checked before anything is read. Every field
        is type-checked; errors name the catalog, the dataset, the field and the type
        expected.
        """
        if not path.is_file():
            raise InputError("no catalog.toml here", source=str(path),
                             fix="create one with a [[dataset]] table per dataset")
        raw = read_toml(path)
        entries = raw.get("dataset", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise InputError("`dataset` must be an array of tables ([[dataset]] sections), "
                             f"got {_type_name(entries)}", source=str(path),
                             fix="write one [[dataset]] section per dataset")
        cat = cls()
        _new_load()
        for i, entry in enumerate(entries):
            ds = _dataset_from_entry(entry, i, path, origin)
            if origin != "packaged" and not ds.path.is_file():
                raise FieldError(f"dataset {ds.ref!r}, field `file`: {ds.file!r} is not a "
                                 f"file in {str(path.parent)!r}", source=str(path),
                                 fix="correct it (relative to the catalog.toml's folder)")
            cat.add(ds)
        return cat

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._datasets)

    def __len__(self) -> int:
        return len(self._datasets)

    def merged(self, other: Catalog) -> Catalog:
        """A new catalog with this one's datasets followed by ``other``'s."""
        return Catalog([*self._datasets, *other._datasets])

    def versions(self, ident: str) -> list[Dataset]:
        """All versions of ``ident``, oldest first (versions sort as strings: ISO dates)."""
        return sorted(self._by_id.get(ident, ()), key=lambda d: d.version)

    def get(self, ref: str, kind: str | tuple[str, ...] | None = None) -> Dataset:
        """Resolve ``id`` or ``id@version``; optionally require a kind.

        Raises
        ------
        DatasetNotFoundError
            Naming the reference and the ids (or versions) that do exist.
        """
        ident, version = parse_ref(ref)
        candidates = self.versions(ident)
        if not candidates:
            ids = sorted(self._by_id)
            some = ", ".join(ids[:30]) + (f" and {len(ids) - 30:,} more" if len(ids) > 30 else "")
            raise DatasetNotFoundError(
                f"unknown dataset id {ident[:60]!r}",
                source=ref[:80],
                fix=f"use one of {some} (see `gazamap datasets`), or give a file path (a "
                    f"path holds a dot or a slash: ./{ident[:40]} for a file of that name)",
            )
        if version is None:
            # a bare id keeps meaning what gazamap ships: a data directory's newer
            # version is named by its @version (or listed by geo.timeline)
            packaged = [d for d in candidates if d.origin == "packaged"]
            ds = (packaged or candidates)[-1]
        else:
            match = [d for d in candidates if d.version == version]
            if not match:
                have = ", ".join(d.ref for d in candidates)
                raise DatasetNotFoundError(
                    f"dataset {ident!r} has no version {version!r}", source=ref,
                    fix=f"use one of {have}",
                )
            ds = match[0]
        kinds = (kind,) if isinstance(kind, str) else kind
        if kinds and ds.kind not in kinds:
            raise InputError(
                f"dataset {ds.ref!r} is a {ds.kind}, not a {' or '.join(kinds)}",
                source=ref,
                fix="choose a dataset of the right kind (see `gazamap datasets`)",
            )
        return ds


@lru_cache(maxsize=1)
def packaged_catalog() -> Catalog:
    """The datasets shipped in ``geo/data/``."""
    return Catalog.from_toml(DATA_DIR / "catalog.toml")


def user_catalog(data_dir: str | Path) -> Catalog:
    """The datasets of a user's data directory (its ``catalog.toml``, same format).

    Raises
    ------
    InputError
        When the folder or its catalog.toml is missing or malformed.
    """
    d = Path(data_dir)
    if not d.is_dir():
        raise InputError("the data directory does not exist" if not d.exists() else
                         "the data directory is a file, not a folder", source=str(d),
                         fix="give a folder that holds a catalog.toml (`data_dirs` or "
                             f"{DATA_DIR_ENV})")
    if not (d / "catalog.toml").is_file():
        raise InputError("the data directory has no catalog.toml", source=str(d),
                         fix="add a catalog.toml with a [[dataset]] table per file "
                             "(same fields as `gazamap datasets --format json`)")
    return Catalog.from_toml(d / "catalog.toml", origin="user")


def data_dirs_from_env() -> list[str]:
    """The folders named by the ``GAZAMAP_DATA_DIR`` environment variable (read now)."""
    return [p for p in os.environ.get(DATA_DIR_ENV, "").split(os.pathsep) if p.strip()]


def default_catalog(data_dirs: Sequence[str | Path] | None = None) -> Catalog:
    """The packaged catalog followed by the users' data directories.

    ``data_dirs`` defaults to the ``GAZAMAP_DATA_DIR`` environment variable, read at call
    time. A user dataset may add versions to a packaged id but not redefine one.
    """
    dirs = data_dirs_from_env() if data_dirs is None else list(data_dirs)
    cat = packaged_catalog()
    for d in dict.fromkeys(str(x) for x in dirs):
        cat = cat.merged(user_catalog(d))
    return cat
