"""Coordinate systems: WGS84 lon/lat for storage, a local equal-area CRS for planar work.

This is the one module that builds transformers. Every other module asks it to move
geometries between lon/lat (EPSG:4326, RFC 7946 axis order) and ``LAEA_GAZA``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import shapely
from pyproj import Transformer

__all__ = ["WGS84", "LAEA_GAZA", "DENSIFY_DEG", "densify", "to_laea", "from_laea", "transformer"]

WGS84 = "EPSG:4326"
# Lambert azimuthal equal-area centred on the middle of the Strip: areas are exact by
# construction, and at <= 30 km from the centre distances are distorted by < 1e-5.
LAEA_GAZA = "+proj=laea +lat_0=31.42 +lon_0=34.39 +datum=WGS84 +units=m +no_defs"

# RFC 7946 edges are straight in lon/lat. Densifying every ~50 m (0.0005 degree) before
# measuring or projecting makes geodesic edges and projected edges follow the drawn ones:
# without it, a point cut on a long edge in the planar CRS lies off the lon/lat edge and
# the zones' areas stop adding up to the outline's (by ~1e-5 on Gaza's 10 km fence edges).
DENSIFY_DEG = 0.0005

G = TypeVar("G", bound=shapely.Geometry)


def densify(geom: G) -> G:
    """Insert vertices so that no lon/lat segment is longer than ``DENSIFY_DEG``."""
    return shapely.segmentize(geom, DENSIFY_DEG)  # type: ignore[no-any-return]


@lru_cache(maxsize=16)
def transformer(src: str, dst: str) -> Transformer:
    """Return a cached lon/lat-ordered (``always_xy``) transformer from ``src`` to ``dst``."""
    return Transformer.from_crs(src, dst, always_xy=True)


# PROJ pipelines for the two transformations used on every run: building them from a
# pipeline string skips the CRS database look-up (~0.1 ms instead of ~10 ms each), which
# matters for `gazamap areas` start-up. Same operations as from_crs(WGS84, LAEA_GAZA).
_LAEA_PARAMS = "+proj=laea +lat_0=31.42 +lon_0=34.39 +ellps=WGS84"
_FORWARD_PIPELINE = (f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                     f"+step {_LAEA_PARAMS}")
_INVERSE_PIPELINE = (f"+proj=pipeline +step +inv {_LAEA_PARAMS} "
                     f"+step +proj=unitconvert +xy_in=rad +xy_out=deg")


@lru_cache(maxsize=1)
def _forward() -> Transformer:
    return Transformer.from_pipeline(_FORWARD_PIPELINE)


@lru_cache(maxsize=1)
def _backward() -> Transformer:
    return Transformer.from_pipeline(_INVERSE_PIPELINE)


def _apply(geom: G, tr: Transformer) -> G:
    def fn(coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)  # type: ignore[no-any-return]


def to_laea(geom: G, *, dense: bool = False) -> G:
    """Project a lon/lat geometry to the local equal-area CRS (metres).

    With ``dense=True`` the lon/lat edges are densified first (see ``DENSIFY_DEG``), so
    the projected geometry follows the drawn edges; use it for splitting and measuring.

    >>> from shapely import Point
    >>> p = to_laea(Point(34.39, 31.42))
    >>> round(p.x, 6), round(p.y, 6)
    (0.0, 0.0)
    """
    if dense:
        geom = densify(geom)
    return _apply(geom, _forward())


def _inverse(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """LAEA -> lon/lat, refined so that projecting the result gives (x, y) to ~1e-9 m.

    PROJ's ellipsoidal inverse LAEA uses a series for the authalic latitude that is good
    to ~1e-8 degree (a millimetre); two Newton steps with the local scale remove that.
    """
    fwd, inv = _forward(), _backward()
    lon, lat = inv.transform(x, y)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    for _ in range(2):
        fx, fy = fwd.transform(lon, lat)
        # metres per degree: good to ~1e-3 relative, plenty for a millimetre residual
        m_lat = 110_900.0
        m_lon = 111_320.0 * np.cos(np.radians(lat))
        lon = lon + (x - np.asarray(fx)) / m_lon
        lat = lat + (y - np.asarray(fy)) / m_lat
    return np.column_stack([lon, lat])


def from_laea(geom: G) -> G:
    """Unproject a geometry in the local equal-area CRS back to lon/lat.

    >>> from shapely import Point
    >>> p = from_laea(to_laea(Point(34.45, 31.5)))
    >>> abs(p.x - 34.45) < 1e-12 and abs(p.y - 31.5) < 1e-12
    True
    """
    return shapely.transform(  # type: ignore[no-any-return]
        geom, lambda c: _inverse(c[:, 0], c[:, 1])
    )

