"""Compare two versions of a dividing line: the land that changes zone, how far it moved.

Both lines split the same outline (one :func:`geo.analyse` each); the areas that
change zone are geodesic (:func:`geo.geometry.measure.geodesic_area_m2`); the displacement is
measured in the local equal-area CRS from points every ``sample_m`` metres along line B
to line A. :meth:`Comparison.to_dict` is the documented JSON contract of
``gazamap compare``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely

from geo.analysis import Analysis, analyse
from geo.analysis.request import LineSpec, Request
from geo.catalog import Catalog
from geo.errors import InputError
from geo.geometry.crs import LAEA_GAZA, to_laea
from geo.geometry.measure import ELLIPSOID, geodesic_area_m2
from geo.geometry.partition import Partition
from geo.read.sources import Source, governorates, resolve

__all__ = [
    "DEFAULT_SAMPLE_M",
    "PLACE_DATASETS",
    "Comparison",
    "compare_analyses",
    "compare_lines",
    "dividing_line_laea",
    "displacement_m",
    "dedupe_places",
]

DEFAULT_SAMPLE_M = 25.0
# A spacing below a metre measures the digitisation, not the line; more samples than this
# only cost time (100,000 samples along a 50 km line is one every half metre).
MIN_SAMPLE_M = 1.0
MAX_SAMPLES = 100_000
PLACE_DATASETS = ("places", "neighbourhoods")
# The zones' shared edge is found within this band (metres) of both zones.
_SHARED_BAND_M = 0.5


@dataclass
class Comparison:
    """The result of ``gazamap compare``; :meth:`to_dict` is the documented JSON."""

    a: dict[str, Any]
    b: dict[str, Any]
    boundary: dict[str, Any]
    east_km2_a: float
    east_km2_b: float
    to_east_km2: float
    to_west_km2: float
    governorates: list[dict[str, Any]]
    displacement_m: dict[str, float]
    places_changed: list[dict[str, Any]]
    places_checked: dict[str, int]
    datasets: list[str]
    method: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    partitions: tuple[Partition, Partition] | None = None

    @property
    def moved_km2(self) -> float:
        """Net land that changes zone, km²: positive when the east zone grows from A to B."""
        return self.east_km2_b - self.east_km2_a

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (numbers unrounded)."""
        total = self.boundary["area_km2"]
        return {
            "a": self.a,
            "b": self.b,
            "boundary": self.boundary,
            "east_km2_a": self.east_km2_a,
            "east_km2_b": self.east_km2_b,
            "share_pct_a": 100 * self.east_km2_a / total,
            "share_pct_b": 100 * self.east_km2_b / total,
            "moved_km2": self.moved_km2,
            "moved_pct": 100 * self.moved_km2 / total,
            "to_east_km2": self.to_east_km2,
            "to_west_km2": self.to_west_km2,
            "changed_km2": self.to_east_km2 + self.to_west_km2,
            "governorates": self.governorates,
            "displacement_m": self.displacement_m,
            "places_changed": self.places_changed,
            "places_checked": self.places_checked,
            "datasets": self.datasets,
            "method": self.method,
            "warnings": self.warnings,
        }


def dividing_line_laea(part: Partition) -> shapely.Geometry:
    """The dividing line inside the outline, in the local equal-area CRS (metres).

    The line as used (ends extended) clipped to the outline, or, for the zone-polygon
    method, the edge the two zones share.
    """
    b = to_laea(part.boundary, dense=True)
    if part.line is not None:
        return to_laea(part.line, dense=True).intersection(b)
    east = to_laea(part.zones["east"], dense=True)
    west = to_laea(part.zones["west"], dense=True)
    return shapely.line_merge(east.boundary.intersection(west.buffer(_SHARED_BAND_M)))


def displacement_m(a: Partition, b: Partition, *,
                   sample_m: float = DEFAULT_SAMPLE_M) -> dict[str, float]:
    """How far line B stands from line A, in metres.

    ``mean``, ``median``, ``max``: distances from points every ``sample_m`` m along B
    (inside the outline) to A. ``signed_mean``: the same, positive where B lies in A's
    west zone (B moved west, the east zone grows). ``hausdorff``: the symmetric Hausdorff
    distance (the larger of the two directed maxima, on the same sampling).
    """
    if not sample_m >= MIN_SAMPLE_M:
        raise InputError(f"sample spacing {sample_m!r} m is below {MIN_SAMPLE_M:g} m",
                         source="sample_m", fix=f"give a distance in metres >= {MIN_SAMPLE_M:g}")
    la, lb = dividing_line_laea(a), dividing_line_laea(b)
    if la.is_empty or lb.is_empty:
        raise InputError("a line has no part inside the outline", source="compare",
                         fix="check that both lines cross the outline")
    longest = max(la.length, lb.length)
    if longest / sample_m > MAX_SAMPLES:
        sample_m = longest / MAX_SAMPLES  # cap the work; the method text gives the spacing
    pb, pa = _samples(lb, sample_m), _samples(la, sample_m)
    d_ba = shapely.distance(la, pb)
    d_ab = shapely.distance(lb, pa)
    west_a = to_laea(a.zones["west"], dense=True)
    shapely.prepare(west_a)
    sign = np.where(shapely.intersects(west_a, pb), 1.0, -1.0)
    return {
        "mean": float(np.mean(d_ba)),
        "median": float(np.median(d_ba)),
        "max": float(np.max(d_ba)),
        "signed_mean": float(np.mean(sign * d_ba)),
        "hausdorff": float(max(np.max(d_ba), np.max(d_ab))),
        "samples": int(len(pb)),
        "sample_m": float(sample_m),
    }


def _samples(line: shapely.Geometry, step_m: float) -> np.ndarray[Any, Any]:
    pts = []
    for part in shapely.get_parts(line):
        if part.geom_type != "LineString" or part.length == 0:
            continue
        n = max(1, int(np.ceil(part.length / step_m)))
        pts.append(shapely.line_interpolate_point(part, np.linspace(0, part.length, n + 1)))
    return np.concatenate(pts) if pts else np.array([], dtype=object)


def _zone_of(part: Partition, xy: np.ndarray[Any, Any]) -> list[str]:
    out = np.full(len(xy), "outside", dtype=object)
    for zid in reversed(part.zones):
        z = part.zones[zid]
        shapely.prepare(z)
        out[shapely.contains_xy(z, xy[:, 0], xy[:, 1])] = zid
    return list(out)


def _places(pa: Partition, pb: Partition, refs: tuple[str, ...],
            catalog: Catalog | None) -> tuple[list[dict[str, Any]], dict[str, int], list[str]]:
    changed: list[dict[str, Any]] = []
    checked: dict[str, int] = {}
    used = []
    for ref in refs:
        src = resolve(ref, "points", catalog)
        used.append(src.label)
        pts = [(f, p) for f in src.features for p in shapely.get_parts(f.geometry)
               if p.geom_type == "Point"]
        checked[src.label] = len(pts)
        if not pts:
            continue
        xy = np.array([(p.x, p.y) for _, p in pts])
        za, zb = _zone_of(pa, xy), _zone_of(pb, xy)
        for (f, p), a, b in zip(pts, za, zb, strict=True):
            if a != b:
                props = f.properties
                changed.append({
                    "name": props.get("name"),
                    "name_ar": props.get("name_ar"),
                    "kind": props.get("kind"),
                    "dataset": src.label,
                    "from": a,
                    "to": b,
                    "lon": p.x,
                    "lat": p.y,
                    "approximate": bool(props.get("approximate", False)),
                })
    changed.sort(key=lambda r: (-r["lat"], r["dataset"], str(r["name"])))
    return dedupe_places(changed), checked, used


# Places closer than this with matching names are one place; closer than
# SAME_POINT_M they are one place whatever their names (the datasets copy each other's
# points: OCHA's neighbourhoods reappear in the places dataset under other spellings).
DEDUPE_DISTANCE_M = 1500.0
SAME_POINT_M = 50.0
_ARTICLES = {"al", "el", "an", "as", "ad", "az", "ash", "at", "ar", "a", "ed", "es", "the"}
_SPLIT_RE = re.compile(r"[\s/&()\-,]+")


def _skeleton(word: str) -> str:
    """A transliteration-proof key of one word: ASCII consonants only.

    >>> [_skeleton(w) for w in ("Khān", "Yūnis", "Bayt", "Beit", "Lāhyā", "Lahiya")]
    ['khn', 'ns', 'bt', 'bt', 'lh', 'lh']
    """
    ascii_ = "".join(c for c in unicodedata.normalize("NFKD", word.lower())
                     if c.isascii() and c.isalpha())
    return re.sub(r"[aeiouyw]", "", ascii_)


def _name_keys(name: str) -> tuple[str, frozenset[str]]:
    """(skeleton of the whole name, skeletons of its words), articles left out."""
    words = [w for w in _SPLIT_RE.split(name) if w and w.lower() not in _ARTICLES]
    sk = [k for k in (_skeleton(w) for w in words) if k]
    return "".join(sk), frozenset(sk)


def _names_match(a: str, b: str) -> bool:
    (wa, ta), (wb, tb) = _name_keys(a), _name_keys(b)
    if not wa or not wb:
        return False
    if wa == wb or (min(len(wa), len(wb)) >= 3 and (wa in wb or wb in wa)):
        return True
    return len(ta & tb) / len(ta | tb) >= 0.5


def dedupe_places(rows: list[dict[str, Any]], *,
                  distance_m: float = DEDUPE_DISTANCE_M) -> list[dict[str, Any]]:
    """Count each real place once: rows for one place in several datasets become one.

    Two rows are the same place when they change side the same way (``from``, ``to``)
    and lie within ``SAME_POINT_M`` (50 m) of each other, or within ``distance_m``
    metres (geodesic, WGS84) with matching names: the same Arabic name, or the same
    English name once diacritics, articles (al-, an-...), vowels and punctuation are set
    aside ("Khān Yūnis" = "Khan Yunis", "Bayt Lāhyā" = "Beit Lahiya"), or half their
    words in common. Matching is transitive. Each place keeps the fields of its first
    row with an Arabic name (else its first row) and gains ``datasets`` (every dataset
    it appears in) and ``names`` (every spelling). Order is kept.

    >>> rows = [{"name": "Rafaḩ", "name_ar": None, "dataset": "places@1", "from": "east",
    ...          "to": "west", "lon": 34.2436, "lat": 31.2972},
    ...         {"name": "Rafah", "name_ar": "رفح", "dataset": "osm@2", "from": "east",
    ...          "to": "west", "lon": 34.2470, "lat": 31.2890}]
    >>> [(r["name"], r["datasets"], r["names"]) for r in dedupe_places(rows)]
    [('Rafah', ['places@1', 'osm@2'], ['Rafaḩ', 'Rafah'])]
    """
    from pyproj import Geod

    geod = Geod(ellps=ELLIPSOID)
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, ri in enumerate(rows):
        for j in range(i + 1, len(rows)):
            rj = rows[j]
            if (ri.get("from"), ri.get("to")) != (rj.get("from"), rj.get("to")):
                continue
            d = geod.inv(ri["lon"], ri["lat"], rj["lon"], rj["lat"])[2]
            if d > distance_m:
                continue
            same_ar = bool(ri.get("name_ar")) and ri.get("name_ar") == rj.get("name_ar")
            if d <= SAME_POINT_M or same_ar or _names_match(str(ri.get("name") or ""),
                                                             str(rj.get("name") or "")):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in sorted(groups.values(), key=min):
        rs = [rows[i] for i in members]
        keep = next((r for r in rs if r.get("name_ar")), rs[0])
        out.append({**keep,
                    "datasets": list(dict.fromkeys(str(r.get("dataset")) for r in rs)),
                    "names": list(dict.fromkeys(str(r.get("name")) for r in rs
                                                if r.get("name")))})
    return out


def compare_lines(
    a: str | LineSpec | Source,
    b: str | LineSpec | Source,
    *,
    request: Request | None = None,
    sample_m: float = DEFAULT_SAMPLE_M,
    place_datasets: tuple[str, ...] = PLACE_DATASETS,
) -> Comparison:
    """Compare line (or zone polygon) A with B on the same outline.

    ``a`` and ``b`` are dataset references, files, :class:`~geo.analysis.request.LineSpec` (e.g.
    marker files) or resolved sources; ``request`` gives the outline, data directories, read options
    and tolerances (its own lines are ignored). See :func:`compare_analyses`.
    """
    base = request or Request()

    def one(spec: str | LineSpec | Source) -> Analysis:
        ln = (spec if isinstance(spec, LineSpec) else
              LineSpec(spec.label, source=spec) if isinstance(spec, Source) else
              LineSpec(str(spec)))
        # only the parts a comparison shows: no governorate table (the moved areas are
        # per governorate here), no alternative, no outline sensitivity, no population
        return analyse(replace(base, lines=(ln,), governorates=False, alternatives=False,
                               outlines=False, population=False))

    return compare_analyses(one(a), one(b), sample_m=sample_m, place_datasets=place_datasets)


def compare_analyses(
    a: Analysis,
    b: Analysis,
    *,
    sample_m: float = DEFAULT_SAMPLE_M,
    place_datasets: Sequence[str] = PLACE_DATASETS,
) -> Comparison:
    """Compare the first line of analysis A with that of B (the same outline).

    Parameters
    ----------
    a, b : Analysis
        The two versions, each from :func:`geo.analyse` on the same boundary.
    sample_m : float
        Spacing in metres of the points along the lines for the displacement (at least
        ``MIN_SAMPLE_M``; widened so that no line gets more than ``MAX_SAMPLES``).
    place_datasets : sequence of str
        Point datasets whose places are checked for a change of side.

    Returns
    -------
    Comparison
        ``moved_km2`` is positive when the east zone grows from A to B.
    """
    if a.boundary.ref != b.boundary.ref:
        raise InputError(f"the two analyses split different outlines ({a.boundary.ref}, "
                         f"{b.boundary.ref})", source="compare",
                         fix="compare lines on the same boundary")
    catalog: Catalog = a.request.catalog
    pa, pb = a.partition, b.partition
    total_m2 = a.boundary_area_km2 * 1e6
    east_a, east_b = a.zone("east").geometry, b.zone("east").geometry
    gained = east_b.difference(east_a)  # west in A, east in B
    lost = east_a.difference(east_b)    # east in A, west in B
    ea, eb = a.zone("east").area_km2 * 1e6, b.zone("east").area_km2 * 1e6
    to_east, to_west = geodesic_area_m2(gained), geodesic_area_m2(lost)
    notes = [*a.notes, *b.notes, *a.warnings, *b.warnings]
    mismatch = abs((to_east - to_west) - (eb - ea)) / total_m2
    if mismatch > 1e-6:
        notes.append(f"the areas that changed zone differ from the change of the east zone "
                     f"by {mismatch:.1e} of the outline (overlay precision)")
    gov_rows = []
    for f in governorates().features:
        g = f.geometry
        te = geodesic_area_m2(g.intersection(gained)) if g.intersects(gained) else 0.0
        tw = geodesic_area_m2(g.intersection(lost)) if g.intersects(lost) else 0.0
        gov_rows.append({"name": f.properties.get("name"),
                         "name_ar": f.properties.get("name_ar"),
                         "to_east_km2": te / 1e6, "to_west_km2": tw / 1e6,
                         "moved_km2": (te - tw) / 1e6})
    disp = displacement_m(pa, pb, sample_m=sample_m)
    changed, checked, place_refs = _places(pa, pb, tuple(place_datasets), catalog)
    gov_ref = governorates().label
    datasets = [*a.provenance.datasets, *b.provenance.datasets, gov_ref, *place_refs]
    tol = a.request.snap_tolerance_m
    method = {
        "area": f"geodesic area on the {ELLIPSOID} ellipsoid of the zones' differences "
                "(east in B but not in A, and the reverse); moved_km2 = east_km2_b - "
                "east_km2_a",
        "ellipsoid": ELLIPSOID,
        "split": "each line splits the outline as in `gazamap areas` (ends joined to the "
                 f"outline within the snapping tolerance of {tol:g} m)",
        "displacement": (f"distances from points every {disp['sample_m']:g} m along line B "
                         "(inside the outline) to line A in the local equal-area CRS; "
                         "signed_mean is positive where B lies in A's west zone; hausdorff "
                         "is symmetric on the same sampling"),
        "displacement_crs": LAEA_GAZA,
        "places": "a place changes side when the zone containing its point differs",
        "cross_check": {"relative_mismatch": mismatch},
    }
    return Comparison(
        a=_describe(a), b=_describe(b),
        boundary={**a.boundary.describe(), "area_km2": a.boundary_area_km2},
        east_km2_a=ea / 1e6, east_km2_b=eb / 1e6,
        to_east_km2=to_east / 1e6, to_west_km2=to_west / 1e6,
        governorates=gov_rows, displacement_m=disp, places_changed=changed,
        places_checked=checked, datasets=list(dict.fromkeys(datasets)), method=method,
        warnings=notes, partitions=(pa, pb),
    )


def _describe(a: Analysis) -> dict[str, Any]:
    ln = a.lines[0]
    return {**ln.source.describe(), "label": ln.words, "method": ln.method,
            "repairs": list(ln.repairs)}
