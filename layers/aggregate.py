"""A big point layer shown as hexagonal bins: counts per cell, the points at high zoom.

Above ``AGGREGATE_ABOVE`` points a user layer is aggregated (settable per layer): the
points are binned into regular hexagons in the local equal-area CRS (so every cell has
the same area on the ground), each bin a polygon feature with its count, coloured by
count class. When the points fit ``POINTS_BUDGET`` they travel with the layer, as
integer coordinates, and the renderer draws them at ``POINTS_MIN_ZOOM`` and above.

The bins are for display: counts per zone come from :mod:`geo.count` on the full data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely

from geo.defaults import AGGREGATE_ABOVE
from geo.geometry.crs import LAEA_GAZA, WGS84, transformer
from geo.read.features import Feature
from layers._provenance import DataProvenance
from layers.base import Layer, LegendEntry, Style

__all__ = [
    "AGGREGATE_ABOVE",
    "BINS_KIND",
    "DEFAULT_CELL_M",
    "POINTS_BUDGET",
    "POINTS_MIN_ZOOM",
    "BIN_COLOURS",
    "PointCloud",
    "BinsLayer",
    "hex_bins",
    "bins_layer",
    "class_legend",
]

DEFAULT_CELL_M = 250.0  # hexagon width across flats; ~6,000 cells cover the Strip
POINTS_BUDGET = 1_000_000  # at most this many points travel with the page (~5.3 bytes each)
POINTS_MIN_ZOOM = 15  # the points replace the bins from this zoom level on
BINS_KIND = "bins"
_COORD_SCALE = 1e5  # points as integer 1e-5 degree (1.1 m): the display precision
# Sequential, colour-blind-safe (viridis at 6 stops), light to dark = few to many
BIN_COLOURS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")


@dataclass(frozen=True)
class PointCloud:
    """The real points carried with a bins layer: integer lon/lat offsets from ``origin``.

    ``xy`` are ``round((lon, lat) * 1e5) - origin``, flattened ``[x0, y0, x1, y1, ...]``.
    """

    origin: tuple[int, int]
    xy: list[int]
    scale: float = _COORD_SCALE
    min_zoom: int = POINTS_MIN_ZOOM


@dataclass(frozen=True)
class BinsLayer(Layer):
    """A :class:`~layers.base.Layer` of bins, with the real points when they fit.

    Renderers that know bins draw ``points`` at high zoom and read each bin's count and
    class colour from ``counts`` and ``fills`` (one per feature, in the features' order);
    any other renderer draws the bins as the polygons they are.
    """

    points: PointCloud | None = None
    total: int = 0
    cell_m: float = DEFAULT_CELL_M
    counts: tuple[int, ...] = ()
    fills: tuple[str, ...] = ()


def _hex_index(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any],
               size: float) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Axial coordinates (q, r) of pointy-top hexagons of circumradius ``size`` (metres)."""
    q = (math.sqrt(3) / 3 * x - y / 3) / size
    r = (2 / 3 * y) / size
    # cube rounding: the nearest hexagon centre
    cx, cz = q, r
    cy = -cx - cz
    rx, ry, rz = np.round(cx), np.round(cy), np.round(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_z = ~fix_x & (dz >= dy)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(fix_z, -rx - ry, rz)
    return rx.astype(np.int64), rz.astype(np.int64)


def hex_bins(xy: np.ndarray[Any, Any], cell_m: float = DEFAULT_CELL_M
             ) -> tuple[list[shapely.Polygon], np.ndarray[Any, Any]]:
    """Hexagons (lon/lat polygons) holding the lon/lat points ``xy``, and their counts.

    ``cell_m`` is the width across flats in metres (in the local LAEA); empty cells are
    not returned. Every point falls in exactly one hexagon.

    >>> polys, counts = hex_bins(np.array([[34.40, 31.45], [34.40001, 31.45001],
    ...                                    [34.45, 31.50]]))
    >>> sorted(counts.tolist())
    [1, 2]
    """
    if cell_m <= 0:
        raise ValueError(f"cell_m must be > 0, got {cell_m!r}")
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        return [], np.empty(0, dtype=np.int64)
    x, y = transformer(WGS84, LAEA_GAZA).transform(xy[:, 0], xy[:, 1])
    size = cell_m / math.sqrt(3)  # circumradius from the width across flats
    q, r = _hex_index(np.asarray(x), np.asarray(y), size)
    # one int64 key per cell: np.unique on rows (axis=0) sorts ~20x slower
    q0, r0 = int(q.min()), int(r.min())
    key = (q - q0) * (int(r.max()) - r0 + 1) + (r - r0)
    ukey, counts = np.unique(key, return_counts=True)
    span = int(r.max()) - r0 + 1
    keys = np.column_stack([ukey // span + q0, ukey % span + r0])
    cx = size * math.sqrt(3) * (keys[:, 0] + keys[:, 1] / 2)
    cy = size * 1.5 * keys[:, 1]
    ang = np.radians(30 + 60 * np.arange(6))
    vx = cx[:, None] + size * np.cos(ang)[None, :]
    vy = cy[:, None] + size * np.sin(ang)[None, :]
    lon, lat = transformer(LAEA_GAZA, WGS84).transform(vx.ravel(), vy.ravel())
    ring = np.stack([np.asarray(lon).reshape(-1, 6), np.asarray(lat).reshape(-1, 6)], axis=2)
    polys = list(shapely.polygons(ring))
    return polys, counts.astype(np.int64)


def _classes(counts: np.ndarray[Any, Any]) -> tuple[list[int], np.ndarray[Any, Any]]:
    """Class breaks (upper bounds, roughly geometric) and the class of each count."""
    top = int(counts.max()) if len(counts) else 1
    k = len(BIN_COLOURS)
    raw = [top ** ((i + 1) / k) for i in range(k)]
    breaks = sorted({max(1, int(math.ceil(b))) for b in raw})
    cls = np.searchsorted(np.array(breaks), counts, side="left")
    return breaks, np.minimum(cls, len(breaks) - 1)


def bins_layer(xy: np.ndarray[Any, Any], *, name: str, index: int = 0,
               provenance: DataProvenance | None = None, cell_m: float = DEFAULT_CELL_M,
               points_budget: int = POINTS_BUDGET, show: bool = True,
               lang: str = "en") -> BinsLayer:
    """A layer of hexagonal bins of the points ``xy`` (lon/lat), with the points if they fit.

    Each bin feature has ``count`` (text, for the tooltip), ``n`` (the number) and
    ``fill`` (its class colour). The legend says that the points were aggregated, into
    what, and from which zoom the points appear (or that they do not).
    """
    polys, counted = hex_bins(xy, cell_m)
    breaks, cls = _classes(counted)
    counts = tuple(int(c) for c in counted)
    fills = tuple(BIN_COLOURS[min(int(k) * len(BIN_COLOURS) // max(len(breaks), 1),
                                  len(BIN_COLOURS) - 1)] for k in cls)
    feats = [Feature(p, {"count": f"{c:,}", "n": c, "fill": fill})
             for p, c, fill in zip(polys, counts, fills, strict=True)]
    cloud = None
    if len(xy) <= points_budget:
        ints = np.round(np.asarray(xy) * _COORD_SCALE).astype(np.int64)
        origin = (int(ints[:, 0].min()), int(ints[:, 1].min()))
        cloud = PointCloud(origin, (ints - np.array(origin)).ravel().tolist())
    n = len(xy)
    how = f"{n:,} points aggregated into {cell_m:g} m hexagons (colour: count)"
    if lang == "ar":
        how = f"{n:,} نقطة مجمّعة في سداسيات بعرض {cell_m:g} م (اللون: العدد)"
    detail = (f"the points themselves from zoom {POINTS_MIN_ZOOM}" if cloud is not None else
              f"too many points to draw one by one (over {points_budget:,})")
    style = Style(stroke="#555555", stroke_width=0.3, stroke_opacity=0.6,
                  fill=BIN_COLOURS[len(BIN_COLOURS) // 2], fill_opacity=0.7)
    shown = f"shown aggregated: {how}; {detail}"
    prov = (DataProvenance("", "", "", "", "", shown, "", False) if provenance is None
            else replace(provenance, method=f"{provenance.method}; {shown}"
                         if provenance.method else shown))
    label = f"{name}: {how}"
    fields = (("count", "points" if lang != "ar" else "النقاط"),)
    return BinsLayer(id=f"user-{index + 1}", name=name, kind=BINS_KIND, features=feats,
                     style=style, legend=LegendEntry(label, "area", style),
                     tooltip_fields=fields, popup_fields=fields, provenance=prov,
                     attribution=provenance.attribution if provenance else "", show=show,
                     points=cloud, total=n, cell_m=cell_m, counts=counts, fills=fills)


def class_legend(counts: np.ndarray[Any, Any]) -> list[tuple[str, str]]:
    """``(colour, "lo–hi")`` per count class, for a legend."""
    breaks, _ = _classes(np.asarray(counts))
    out, lo = [], 1
    for i, b in enumerate(breaks):
        colour = BIN_COLOURS[min(i * len(BIN_COLOURS) // len(breaks), len(BIN_COLOURS) - 1)]
        out.append((colour, f"{lo:,}–{b:,}" if b > lo else f"{b:,}"))
        lo = b + 1
    return out
