"""Which places change side between two partitions: each real place once.

The points of the place datasets are located in the zones of both partitions; a place
whose zone differs changes side. The datasets copy each other's points under other
spellings, so rows for one place are merged (:func:`dedupe_places`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from geo.catalog import Catalog
from geo.geometry.measure import ELLIPSOID
from geo.geometry.partition import Partition
from geo.read.sources import resolve

__all__ = ["DEDUPE_DISTANCE_M", "SAME_POINT_M", "PlaceChange", "dedupe_places",
           "places_changed"]


@dataclass(frozen=True)
class PlaceChange:
    """A place whose point lies in another zone under B than under A (one real place).

    ``dataset`` is the dataset of the row kept; ``datasets`` and ``names`` every dataset
    the place appears in and every spelling (see :func:`dedupe_places`).
    """

    name: str | None
    name_ar: str | None
    kind: str | None
    dataset: str
    from_zone: str
    to_zone: str
    lon: float
    lat: float
    approximate: bool
    datasets: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> PlaceChange:
        """From a row of :func:`dedupe_places`."""
        return cls(row["name"], row["name_ar"], row["kind"], row["dataset"], row["from"],
                   row["to"], row["lon"], row["lat"], row["approximate"],
                   tuple(row["datasets"]), tuple(row["names"]))

    def to_dict(self) -> dict[str, Any]:
        """The place's row of the JSON contract."""
        return {"name": self.name, "name_ar": self.name_ar, "kind": self.kind,
                "dataset": self.dataset, "from": self.from_zone, "to": self.to_zone,
                "lon": self.lon, "lat": self.lat, "approximate": self.approximate,
                "datasets": list(self.datasets), "names": list(self.names)}


def _zone_of(part: Partition, xy: np.ndarray[Any, Any]) -> list[str]:
    out = np.full(len(xy), "outside", dtype=object)
    for zid in reversed(part.zones):
        z = part.zones[zid]
        shapely.prepare(z)
        out[shapely.contains_xy(z, xy[:, 0], xy[:, 1])] = zid
    return list(out)


def places_changed(pa: Partition, pb: Partition, refs: Sequence[str], catalog: Catalog | None
                   ) -> tuple[tuple[PlaceChange, ...], dict[str, int], tuple[str, ...]]:
    """The places that change side (each once), the points checked per dataset, the datasets."""
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
    return tuple(PlaceChange.of(r) for r in dedupe_places(changed)), checked, tuple(used)


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
