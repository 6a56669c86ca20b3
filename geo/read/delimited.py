"""CSV input: points from lat/lon (or x/y) columns found by name, or a WKT column."""

from __future__ import annotations

import csv
import io
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import shapely

from geo.errors import InputError
from geo.read.base import _Budget, _Raw, _read_text, _warn
from geo.read.features import Feature
from geo.read.parsing import _check_depth

__all__ = [
    "_read_csv",
]

_LAT_NAMES = ("lat", "latitude", "lat_dd", "y_lat", "breite")


_LON_NAMES = ("lon", "lng", "long", "longitude", "lon_dd", "x_lon")


_X_NAMES = ("x", "easting", "east")


_Y_NAMES = ("y", "northing", "north")


_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape", "wkt_geom")


_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*\Z")


_FIELD_LIMIT_LOCK = threading.Lock()


@contextmanager
def _field_limit(n_chars: int) -> Iterator[None]:
    """Let ``csv`` read fields as long as the whole text (already bounded by ``max_mb``).

    The module's limit (131,072 characters) refuses a long WKT cell with ``csv.Error``;
    it is process-wide, so it is raised under a lock and restored afterwards.
    """
    with _FIELD_LIMIT_LOCK:
        old = csv.field_size_limit()
        csv.field_size_limit(max(old, n_chars + 1))
        try:
            yield
        finally:
            csv.field_size_limit(old)


def _rows(text: str, delim: str, budget: _Budget) -> list[list[str]]:
    """Every row of the CSV, counted against ``max_features`` as they are read.

    ``newline=""`` lets ``csv`` see CR, LF and CRLF line ends alike (old Mac exports end
    lines with CR only).
    """
    rows = []
    with _field_limit(len(text)):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
            rows.append(row)
            if len(rows) > 1:  # the header is not a feature
                budget.add_features()
    return rows


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    norm = [h.strip().strip('"').casefold() for h in header]
    return next((norm.index(n) for n in names if n in norm), None)


def _read_csv(path: Path, encoding: str | None, budget: _Budget) -> _Raw:
    """Points from lat/lon (or x/y) columns, or any geometry from a WKT column.

    A WKT column filled on every row wins over lat/lon columns: gazamap's own CSV export
    has both, with lon/lat only on point rows. Lat/lon columns imply EPSG:4326; x/y
    columns imply nothing (the CRS is decided by :mod:`geo.read.checks`).
    """
    source = budget.source
    text = _read_text(path, encoding, "CSV", source)
    first = text.splitlines()[0]
    delim = max((";", "\t", "|", ","), key=lambda d: (first.count(d), d == ","))
    rows = _rows(text, delim, budget)
    header = rows[0]
    body = [(n + 2, r) for n, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    if not body:
        raise InputError("the CSV has a header but no rows", source=source,
                         fix="export the points again")
    wkt, lat, lon, implied = _coordinate_columns(header, source)
    _check_widths(header, body, delim, source)
    use_wkt = wkt is not None and (lat is None or lon is None
                                   or all(r[wkt].strip() for _, r in body))
    if use_wkt:
        assert wkt is not None
        return _Raw(_wkt_features(header, body, wkt, budget), crs=None, implied_wgs84=True)
    assert lat is not None and lon is not None
    comma = _decimal_commas(body, lat, lon, source)
    if comma:
        _warn(source, f"read {len(comma)} decimal-comma value(s) like {comma[0]!r} as "
                      f"{comma[0].replace(',', '.').strip()}")
    budget.add_vertices(len(body))
    feats = [Feature(shapely.Point(_xy(header, r, n, lon, lat, bool(comma), source)),
                     _csv_props(header, r, n, None)) for n, r in body]
    return _Raw(feats, crs=None, implied_wgs84=implied)


def _coordinate_columns(header: list[str], source: str
                        ) -> tuple[int | None, int | None, int | None, bool]:
    """The WKT, latitude and longitude columns, and whether they imply lon/lat degrees.

    Columns named lat/lon imply degrees; x/y (easting/northing) do not. A CSV with
    neither a WKT column nor both coordinate columns is refused.
    """
    wkt = _find_column(header, _WKT_NAMES)
    lat, lon = _find_column(header, _LAT_NAMES), _find_column(header, _LON_NAMES)
    implied = True
    if lat is None or lon is None:
        lat, lon = _find_column(header, _Y_NAMES), _find_column(header, _X_NAMES)
        implied = False
    if wkt is None and (lat is None or lon is None):
        raise InputError(
            f"no coordinate columns among {_header_text(header)}", source=source,
            fix="name them lat and lon (or latitude/longitude, x/y), or give a WKT column")
    return wkt, lat, lon, implied


def _check_widths(header: list[str], body: list[tuple[int, list[str]]], delim: str,
                  source: str) -> None:
    """Refuse a row with another number of fields than the header (a decimal comma?)."""
    for n, r in body:
        if len(r) != len(header):
            hint = ""
            if delim == "," and len(r) > len(header) and any(
                    re.fullmatch(r"\s*\d+\s*", c) for c in r):
                hint = ("; a decimal comma (\"31,42\") splits numbers in a comma-separated "
                        "file")
            raise InputError(f"row {n} has {len(r)} fields but the header has "
                             f"{len(header)}{hint}", source=source,
                             fix="use '.' as the decimal mark, or ';' as the delimiter, or "
                                 "quote the values")


def _wkt_features(header: list[str], body: list[tuple[int, list[str]]], wkt: int,
                  budget: _Budget) -> list[Feature]:
    """One feature per row from its WKT cell (nesting bounded before GEOS parses it)."""
    source = budget.source
    feats: list[Feature] = []
    for n, r in body:
        # GEOS's WKT reader recurses: 100,000 nested GEOMETRYCOLLECTIONs crash Python
        _check_depth(r[wkt], "wkt", budget, f"row {n}: the WKT")
        try:
            g = shapely.from_wkt(r[wkt])
        except NotImplementedError:  # GEOS reads no curve (CURVEPOLYGON, CIRCULARSTRING)
            kind = r[wkt].strip()[:20].split("(")[0].strip().upper()
            raise InputError(f"row {n}: the WKT is a curve geometry ({kind!r}), which "
                             "gazamap does not read", source=source,
                             fix="linearise it first (QGIS: Segmentize; ogr2ogr "
                                 "-nlt CONVERT_TO_LINEAR)") from None
        except shapely.errors.ShapelyError as exc:
            raise InputError(f"row {n}: the WKT {r[wkt][:40]!r} is not valid ({exc})",
                             source=source, fix="repair that row") from None
        budget.add_vertices(int(shapely.get_num_coordinates(g)))
        feats.append(Feature(g, _csv_props(header, r, n, wkt)))
    return feats


def _decimal_commas(body: list[tuple[int, list[str]]], lat: int, lon: int,
                    source: str) -> list[str]:
    """The coordinate values written with a decimal comma; refused beside ones with '.'."""
    values = [c for _, r in body for c in (r[lat], r[lon])]
    comma = [v for v in values if _DECIMAL_COMMA.match(v)]
    if comma and any("." in v for v in values):
        raise InputError(f"mixed decimal marks: {comma[0]!r} beside values with '.'",
                         source=source, fix="use one decimal mark ('.') throughout")
    return comma


def _xy(header: list[str], r: list[str], n: int, lon: int, lat: int, comma: bool,
        source: str) -> list[float]:
    """Row ``n``'s x (longitude) and y (latitude): finite numbers, else refused."""
    xy = []
    for col, what in ((lon, header[lon]), (lat, header[lat])):
        v = r[col].strip()
        if not v:
            raise InputError(f"row {n}: the {what!r} value is empty", source=source,
                             fix="fill it in or delete the row")
        try:
            x = float(v.replace(",", ".") if comma else v)
        except ValueError:
            raise InputError(f"row {n}: {what} {v!r} is not a number", source=source,
                             fix="write decimal degrees like 31.42") from None
        if not math.isfinite(x):
            raise InputError(f"row {n}: {what} {v!r} is not finite", source=source,
                             fix="remove or repair that row")
        xy.append(x)
    return xy


_COLUMN_NAME = re.compile(r"[\w .()#%°-]{1,40}")


def _header_text(header: list[str]) -> str:
    """The header's column names for a message, or only their count.

    Names are shown when they look like column names; the first line of a file that is
    not a CSV at all (a system file named by mistake, or by a shared ledger) is not
    echoed into messages, nor a header of a million columns.

    >>> _header_text(["name", "x_m"])
    "['name', 'x_m']"
    >>> _header_text(["root:x:0:0:root:/root:/bin/bash"])
    'the 1 column(s) of the first line (which do not look like column names: is it a CSV?)'
    """
    if len(header) <= 20 and all(_COLUMN_NAME.fullmatch(h.strip()) for h in header):
        return repr([h.strip() for h in header])
    return (f"the {len(header):,} column(s) of the first line (which do not look like "
            "column names: is it a CSV?)") if not all(
        _COLUMN_NAME.fullmatch(h.strip()) for h in header[:1000]) else \
        f"the {len(header):,} columns {[h.strip() for h in header[:5]]!r}..."


def _csv_props(header: list[str], row: list[str], n: int, skip: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {h.strip(): v for i, (h, v) in enumerate(zip(header, row,
                                                                         strict=True))
                             if i != skip}
    props.setdefault("row", n)
    return props
