"""Coordinate systems: WGS84 lon/lat for storage, a local equal-area CRS for planar work.

This is the one module that builds transformers. Every other module asks it to move
geometries between lon/lat (EPSG:4326, RFC 7946 axis order) and ``LAEA_GAZA``.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from typing import Any, TypeVar

# PROJ must never reach the network, whatever PROJ_NETWORK says in the environment: a
# CRS in a user's file could otherwise make it fetch a URL of the file's choosing. Set
# before pyproj creates its context, and again through its API for one already made.
os.environ["PROJ_NETWORK"] = "OFF"

import numpy as np  # noqa: E402
import pyproj.network  # noqa: E402
import shapely  # noqa: E402
from pyproj import CRS, Transformer  # noqa: E402
from pyproj.exceptions import CRSError  # noqa: E402

from geo.errors import InputError  # noqa: E402

pyproj.network.set_network_enabled(active=False)

__all__ = ["WGS84", "LAEA_GAZA", "DENSIFY_DEG", "densify", "to_laea", "from_laea", "transformer",
           "file_reference", "refuse_file_references"]

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

# lon/lat box around the Strip with a margin, to recognise plausible input coordinates
GAZA_BBOX = (33.9, 30.9, 35.0, 31.9)
# Projected CRSs that Gaza data is commonly published in; used only to *suggest* a --crs
# when a file without one has metre coordinates (never applied without the user's word).
CANDIDATE_CRS = (
    "EPSG:3857",   # Web Mercator (web maps)
    "EPSG:32636",  # WGS 84 / UTM zone 36N
    "EPSG:2039",   # Israel 1993 / Israeli TM Grid
    "EPSG:28191",  # Palestine 1923 / Palestine Grid
    "EPSG:28193",  # Palestine 1923 / Israeli CS Grid
)


def densify(geom: G) -> G:
    """Insert vertices so that no lon/lat segment is longer than ``DENSIFY_DEG``."""
    return shapely.segmentize(geom, DENSIFY_DEG)  # type: ignore[no-any-return]


# The operations PROJ chooses between lon/lat and ``LAEA_GAZA`` (``Transformer.from_crs(...,
# always_xy=True).definition``), written out: built from these strings a transformer takes
# 0.2 ms instead of the ~19 ms of searching proj.db, and transforms bit for bit the same
# (tests/geo/test_crs.py compares both, so a PROJ that chose otherwise is caught).
LAEA_PIPELINES = {
    (WGS84, LAEA_GAZA): "proj=pipeline step proj=unitconvert xy_in=deg xy_out=rad "
                        "step proj=laea lat_0=31.42 lon_0=34.39 x_0=0 y_0=0 ellps=WGS84",
    (LAEA_GAZA, WGS84): "proj=pipeline step inv proj=laea lat_0=31.42 lon_0=34.39 x_0=0 "
                        "y_0=0 ellps=WGS84 step proj=unitconvert xy_in=rad xy_out=deg",
}


@lru_cache(maxsize=16)
def transformer(src: str, dst: str) -> Transformer:
    """Return a cached lon/lat-ordered (``always_xy``) transformer from ``src`` to ``dst``."""
    pipeline = LAEA_PIPELINES.get((src, dst))
    if pipeline is not None:
        return Transformer.from_pipeline(pipeline)
    return Transformer.from_crs(src, dst, always_xy=True)


def _forward() -> Transformer:
    return transformer(WGS84, LAEA_GAZA)


def _backward() -> Transformer:
    return transformer(LAEA_GAZA, WGS84)


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



# Parts of a CRS definition that make PROJ open a file: grids (+nadgrids, +geoidgrids,
# +grids and their pipeline kin), +init files, and WKT2/PROJJSON parameter files. A file
# named there may be a FIFO (PROJ blocks for ever) or, with the network on, a URL.
_FILE_REFERENCE = re.compile(
    r"(?i)\+?\b(?:nadgrids|geoidgrids|grids|xy_grids|z_grids|t_grids|init|file)\s*="
    r"|PARAMETERFILE\s*\[|\"parameter_file\"|\"ParameterValueFile\"")


CRS_SECONDS = 10.0  # time bound on building a CRS from a user's definition


def file_reference(text: str) -> str | None:
    """The part of a CRS definition that names a file or grid, or None.

    >>> file_reference("+proj=longlat +nadgrids=/tmp/fifo +no_defs")
    '+nadgrids='
    >>> file_reference("EPSG:2039") is None
    True
    """
    m = _FILE_REFERENCE.search(text)
    return None if m is None else m.group(0)


def refuse_file_references(text: str, source: str) -> None:
    """Refuse a CRS definition from data that makes PROJ read a file (see above)."""
    found = file_reference(text)
    if found is not None:
        raise InputError(f"its coordinate reference system refers to a file or grid "
                         f"({found.strip()!r}), which gazamap does not open",
                         source=source,
                         fix="declare the CRS by its EPSG code (e.g. EPSG:2039), or "
                             "re-export the data in EPSG:4326")


def parse_crs(text: str, *, source: str = "`crs`") -> str:
    """Check a CRS given by a user (``EPSG:2039``, a PROJ string, WKT) and return it.

    >>> parse_crs("epsg:2039")
    'EPSG:2039'
    >>> parse_crs("EPSG:999999")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.InputError: `crs`: 'EPSG:999999' is not a coordinate reference system ...
    """
    refuse_file_references(text, source)
    outcome: dict[str, Any] = {}

    def build() -> None:  # strings only leave the thread: a CRS object stays where made
        try:
            crs = CRS.from_user_input(text)
            auth = crs.to_authority()
            outcome["crs"] = f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()
        except CRSError:
            outcome["bad"] = True
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["exc"] = exc

    worker = threading.Thread(target=build, name="gazamap-crs", daemon=True)
    worker.start()
    worker.join(CRS_SECONDS)
    if worker.is_alive():  # a definition that blocks PROJ (left running, as a daemon)
        raise InputError(f"building its coordinate reference system took over "
                         f"{CRS_SECONDS:g} s (refused)", source=source,
                         fix="declare the CRS by its EPSG code (e.g. EPSG:2039)")
    if "exc" in outcome:
        raise outcome["exc"]
    if "bad" in outcome:
        raise InputError(f"{text!r} is not a coordinate reference system pyproj knows",
                         source=source,
                         fix="give an EPSG code such as EPSG:2039 or EPSG:32636, "
                             "or a PROJ string")
    return str(outcome["crs"])


def is_wgs84(crs: str) -> bool:
    """True when ``crs`` is WGS84 longitude/latitude (EPSG:4326 or OGC:CRS84).

    >>> is_wgs84("EPSG:4326"), is_wgs84("OGC:CRS84"), is_wgs84("EPSG:3857")
    (True, True, False)
    """
    c = CRS.from_user_input(crs)
    return bool(c.is_geographic) and c.equals("EPSG:4326", ignore_axis_order=True)


def to_wgs84(geom: G, crs: str) -> G:
    """Transform a geometry from ``crs`` (x = easting or longitude first) to lon/lat."""
    if is_wgs84(crs):
        return geom
    return _apply(geom, transformer(crs, WGS84))


def share_in_gaza(xy: np.ndarray[Any, Any]) -> float:
    """Fraction of lon/lat points (rows of ``xy``) inside ``GAZA_BBOX`` (0 for none).

    >>> share_in_gaza(np.array([[34.4, 31.4], [31.4, 34.4]]))
    0.5
    """
    if len(xy) == 0:
        return 0.0
    x0, y0, x1, y1 = GAZA_BBOX
    lon, lat = xy[:, 0], xy[:, 1]
    return float(((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)).mean())


def suggest_crs(xy: np.ndarray[Any, Any]) -> list[str]:
    """The ``CANDIDATE_CRS`` that would put most of the points ``xy`` inside Gaza.

    >>> suggest_crs(np.array([[3828000.0, 3690000.0]]))
    ['EPSG:3857']
    """
    sample = xy[:: max(1, len(xy) // 200)]
    out = []
    for crs in CANDIDATE_CRS:
        with np.errstate(all="ignore"):
            lon, lat = transformer(crs, WGS84).transform(sample[:, 0], sample[:, 1])
        if share_in_gaza(np.column_stack([lon, lat])) >= 0.5:
            out.append(crs)
    return out
