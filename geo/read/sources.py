"""Turn what a user names (a packaged dataset id or a file path) into geometry + provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from geo.catalog import Catalog, Dataset, default_catalog, packaged_catalog
from geo.defaults import DEFAULT_BOUNDARY, DEFAULT_LINE
from geo.errors import InputError
from geo.geometry.borders import Borders, classify_borders
from geo.geometry.markers import DEFAULT_OUTLIER_M, MarkerLine, line_from_markers
from geo.read.expect import geometry_from_features
from geo.read.features import Feature
from geo.read.io import MAX_LINE_VERTICES, read_features
from geo.write.outputs import file_identity

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEFAULT_BOUNDARY",
    "DEFAULT_LINE",
    "GOVERNORATES",
    "NEIGHBOURS",
    "LayerData",
    "LayerInput",
    "Source",
    "file_identity",
    "layer_input",
    "looks_like_path",
    "read_layer",
    "resolve",
    "resolve_markers",
    "borders_for",
    "governorates",
]

# Reference datasets behind the figures (borders, governorate breakdown): packaged only.
NEIGHBOURS = "neighbours@2017"
GOVERNORATES = "governorates@2025-10-28"
_EXPECT = {"boundary": "polygon", "zone": "polygon", "line": "line", "points": "points"}


@dataclass(frozen=True)
class Source:
    """A lon/lat geometry with where it came from: a catalog dataset or a user file."""

    geometry: shapely.Geometry
    label: str
    dataset: Dataset | None = None
    file: str | None = None
    uncertainty_m: float = 0.0
    features: list[Feature] = field(default_factory=list)
    markers: MarkerLine | None = None

    @cached_property
    def identity(self) -> dict[str, Any]:
        """``{"dataset": "id@version"}``, or ``{"file": name, "sha256": hex}`` for a file.

        Published outputs name a file by its name and digest, never by its path: a
        reader learns which data was used, not where it sat on the author's disk.
        """
        if self.dataset is not None:
            return {"dataset": self.dataset.ref}
        if self.file and Path(self.file).exists():
            return file_identity(self.file)
        # geometry given in Python (no file): its label is all there is to name it
        return {"file": Path(self.file or self.label).name, "sha256": ""}

    @property
    def packaged(self) -> bool:
        """Whether this is a packaged dataset (not a user's file or data-dir entry)."""
        return self.dataset is not None and self.dataset.origin == "packaged"

    @property
    def ref(self) -> str:
        """``id@version`` of a dataset, or the file's name (no folders)."""
        ident = self.identity
        return ident.get("dataset") or ident["file"]

    @property
    def sha256(self) -> str:
        """The file's SHA-256 (hex); empty for a dataset or a geometry given in Python."""
        return str(self.identity.get("sha256", ""))

    def describe(self) -> dict[str, Any]:
        """``{"dataset": "id@version"}`` or ``{"file": name, "sha256": hex}`` for outputs.

        A line built from markers adds ``markers`` (the marker count, the outliers left
        out and the repairs).
        """
        out: dict[str, Any] = dict(self.identity)
        if self.markers is not None:
            out["markers"] = {"used": len(self.markers.order),
                              "outliers": list(self.markers.outliers),
                              "notes": list(self.markers.notes)}
        return out


def looks_like_path(spec: str) -> bool:
    """True when ``spec`` names a file rather than a dataset id.

    Decided by the text alone, never by what lies in the current folder: a dataset id
    never holds a dot or a slash, so ``gaza-outline`` is always the packaged outline
    (a file of that name cannot shadow it) and ``./gaza-outline`` names a file.

    >>> looks_like_path("yellow-line@2025-10-19"), looks_like_path("my_line.geojson")
    (False, True)
    >>> looks_like_path("gaza-outline"), looks_like_path("./gaza-outline")
    (False, True)
    """
    ident = spec.partition("@")[0]
    return "/" in spec or "\\" in spec or "." in ident or "\0" in spec


def resolve(spec: str, kind: str, catalog: Catalog | None = None, **read_kw: Any) -> Source:
    """Resolve a dataset reference or a file path to a :class:`Source` of ``kind``.

    ``kind`` is ``boundary``, ``line``, ``zone`` or ``points``. A zone polygon (a zone
    dataset, or a file holding only polygons) is also accepted where a boundary or a line
    is asked for (a zone polygon partitions too); where a line is asked for, a dataset of
    kind ``markers`` gives the line built from its points (:func:`resolve_markers`, with
    ``read_kw["outlier_m"]``, default ``DEFAULT_OUTLIER_M``).
    ``read_kw`` are the options of :func:`geo.read.io.read_features` (``crs``, ``swap_axes``,
    ``layer``, ``max_mb``, ``encoding``) for a file; ``catalog`` defaults to
    :func:`geo.catalog.default_catalog` (packaged + ``GAZAMAP_DATA_DIR``).
    """
    if not spec or not spec.strip():
        raise InputError(f"an empty {kind} was given", fix="give a dataset id or a file path")
    outlier_m = float(read_kw.pop("outlier_m", DEFAULT_OUTLIER_M))
    if looks_like_path(spec):
        expect = _EXPECT.get(kind, "any")
        if expect in ("line", "polygon"):
            # a partitioning input is bounded before it is parsed, not after
            read_kw = {"max_vertices": MAX_LINE_VERTICES, **read_kw}
        feats = read_features(spec, **read_kw)
        if kind == "line" and _only_polygons(feats):
            expect = "polygon"  # a user's zone polygon: the zone-polygon method
        geom = geometry_from_features(feats, expect, spec)  # type: ignore[arg-type]
        return Source(geom, spec, file=spec, features=feats)
    cat = catalog or default_catalog()
    kinds: tuple[str, ...] = (kind,)
    if kind == "any":
        kinds = ()
    elif kind in ("boundary", "zone"):
        kinds = ("boundary", "zone")
    elif kind == "line":
        kinds = ("line", "zone", "markers")  # a zone polygon partitions too
    ds = cat.get(spec, kind=kinds)
    if ds.kind == "markers" and kind == "line":
        return resolve_markers(ds.ref, cat, outlier_m=outlier_m)
    return Source(ds.geometry(), ds.ref, dataset=ds, uncertainty_m=ds.uncertainty_m,
                  features=ds.features())


def resolve_markers(spec: str, catalog: Catalog | None = None, *,
                    outlier_m: float = DEFAULT_OUTLIER_M, **read_kw: Any) -> Source:
    """A line built from the marker points of a file or points dataset (see geo.geometry.markers).

    The label is ``"<spec> (markers)"``; the features are the marker points. The line
    stops at its end markers: the partition joins its ends to the outline by the same
    rule as any line's (:mod:`geo.geometry.snap`).
    """
    if looks_like_path(spec):
        feats = read_features(spec, **read_kw)
        ds = None
    else:
        ds = (catalog or default_catalog()).get(spec, kind=("points", "markers"))
        feats = ds.features()
    label = ds.ref if ds is not None else spec
    m = line_from_markers(feats, source=label, outlier_m=outlier_m)
    return Source(m.line, f"{label} (markers)", dataset=ds,
                  file=None if ds is not None else spec, features=feats, markers=m)


def _only_polygons(feats: list[Feature]) -> bool:
    """True when every non-empty part of the features is a polygon (a zone, not a line)."""
    parts = [q for f in feats for p in shapely.get_parts(f.geometry)
             for q in (shapely.get_parts(p) if p.geom_type == "GeometryCollection" else [p])]
    parts = [p for p in parts if not p.is_empty]
    return bool(parts) and all(p.geom_type == "Polygon" for p in parts)


@lru_cache(maxsize=8)
def _neighbours() -> tuple[shapely.Geometry, shapely.Geometry]:
    # Pinned to the packaged version: a user dataset with the same id must not change
    # how gazamap classifies borders behind the user's back.
    feats = packaged_catalog().get(NEIGHBOURS).features()
    by_iso = {f.properties["iso_a3"]: f.geometry for f in feats}
    return by_iso["ISR"], by_iso["EGY"]


_BORDER_CACHE: dict[bytes, Borders] = {}


def borders_for(boundary: shapely.Geometry) -> Borders:
    """Classify the boundary's edges against the packaged Israel and Egypt land (cached)."""
    key = shapely.to_wkb(boundary)
    if key not in _BORDER_CACHE:
        israel, egypt = _neighbours()
        _BORDER_CACHE[key] = classify_borders(boundary, israel, egypt)
    return _BORDER_CACHE[key]


def governorates() -> Source:
    """The packaged governorates (5 features with ``name`` and ``name_ar``), pinned."""
    return resolve(GOVERNORATES, "boundary", catalog=packaged_catalog())


@dataclass(frozen=True)
class LayerInput:
    """A layer named by a user (a dataset id or a file) resolved to the file to read.

    ``read`` holds the read options (the request's for a file, the catalog entry's
    ``crs``/``layer``/``encoding`` for a data-dir dataset); ``name`` is what outputs call
    the layer (``id@version`` of a dataset, the file name of a file).
    """

    path: Path
    read: dict[str, Any]
    name: str
    dataset: Dataset | None = None


def layer_input(spec: str, catalog: Catalog | None = None, **read_kw: Any) -> LayerInput:
    """Resolve a layer argument (``--layer``, ``count``, ``--include``): id or file.

    The one place where a layer's id becomes a file, so that every command accepts the
    same names (``places``, ``governorates@2025-10-28``, a data-dir id, or a path).

    >>> li = layer_input("places")
    >>> li.name, li.path.name, li.dataset is not None
    ('places@2025-10-28', 'places.geojson', True)
    """
    if not spec or not spec.strip():
        raise InputError("an empty layer was given", fix="give a dataset id or a file path")
    if looks_like_path(spec):
        return LayerInput(Path(spec), dict(read_kw), Path(spec).name)
    ds = (catalog or default_catalog()).get(spec)
    own = {"crs": ds.crs, "layer": ds.layer, "encoding": ds.encoding}
    kw = {k: v for k, v in own.items() if v} if ds.origin != "packaged" else {}
    if "max_mb" in read_kw:
        kw["max_mb"] = read_kw["max_mb"]
    return LayerInput(ds.path, kw, ds.ref, ds)


@dataclass(frozen=True)
class LayerData:
    """A layer as read for a map: its features, or only its points' coordinates.

    ``xy`` (lon/lat, one row per point) stands for ``features`` when a point file holds
    more points than the reader was asked to keep as features (a map bins them).
    """

    input: LayerInput
    features: tuple[Feature, ...] = ()
    xy: np.ndarray[Any, Any] | None = field(default=None, repr=False, compare=False)


def read_layer(li: LayerInput, *, features_up_to: int) -> LayerData:
    """Read a resolved layer (:func:`layer_input`) for a map.

    A catalog dataset is read as its entry says; a file with the request's read options
    (:func:`geo.read.io.read_features`), except a file of more than ``features_up_to`` points
    and nothing else, which is read as coordinates only (:func:`geo.read.points.read_table`,
    the same checks; its repairs and assumptions are issued once).
    """
    import warnings

    from geo.read.points import read_table

    if li.dataset is not None:
        return LayerData(li, tuple(li.dataset.features()))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        table = read_table(li.path, **li.read)
    if table.geoms is None and table.n > features_up_to:
        for w in seen:  # the repairs and assumptions of the read that is used
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return LayerData(li, xy=table.xy)
    return LayerData(li, tuple(read_features(li.path, **li.read)))
