"""Shared pieces of the input readers: limits, the reader boundary, decoding, warnings."""

from __future__ import annotations

import csv
import math
import re
import time
import tomllib
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import shapely

from geo.defaults import MAX_INPUT_MB
from geo.errors import InputError, ReadLimitError
from geo.read.features import Feature

__all__ = [
    "InputWarning",
    "MAX_COORDINATE",
    "MAX_DEPTH",
    "MAX_FEATURES",
    "MAX_INPUT_MB",
    "MAX_INT_DIGITS",
    "MAX_LINE_VERTICES",
    "MAX_SECONDS",
    "MAX_VERTICES",
    "_Budget",
    "_Raw",
    "_boundary",
    "_limit_args",
    "_read_member",
    "_choose_layer",
    "_decode",
    "_guess_legacy",
    "_homogeneous",
    "_read_bytes",
    "_read_text",
    "_warn",
    "_where",
    "path_problem",
]

_ARABIC = re.compile("[\u0600-\u06ff]")

# Nesting of JSON arrays/objects, XML elements (KML folders), TOML arrays and WKT
# parentheses. A FeatureCollection of polygons is 7 deep (of multipolygons 8), a KML
# polygon 8 plus one per folder; parsers that recurse (tomllib, the GeoJSON builder,
# GEOS's WKT reader, which crashes the process at 100,000) must never see more.
MAX_DEPTH = 64
# Features (rows) and vertices of one input, overall: they fit the 300,000-point layers of
# issue 12 with room to spare, and bound memory (a vertex costs about 100 bytes on the way).
MAX_FEATURES = 2_000_000
MAX_VERTICES = 5_000_000
# Vertices of a line or boundary used to partition: the split, offsets and checks grow
# faster than linearly (a 1e6-vertex self-intersecting line took 168 s and 3.7 GB before
# being refused, issue 9); the packaged yellow line has 33, the Gaza outline 167.
MAX_LINE_VERTICES = 200_000
MAX_SECONDS = 120.0  # wall-clock budget of one read, checked between features and rows
# Plausibility, not resources: no coordinate on Earth in any unit used by GIS (even
# centimetres) exceeds 1e10, and Python refuses to convert integers of more than 4,300
# digits; 40 digits hold any 128-bit identifier.
MAX_COORDINATE = 1e10
MAX_INT_DIGITS = 40


class InputWarning(UserWarning):
    """A file was read after a stated repair or assumption (Z dropped, ring closed, ...)."""


@dataclass
class _Raw:
    """What a format reader found, before CRS handling and checks."""

    features: list[Feature]
    crs: str | None = None  # declared in the file (a .prj, a GeoPackage, a GeoJSON "crs")
    implied_wgs84: bool = False  # the format implies lon/lat (GeoJSON, KML, lat/lon CSV)


@dataclass
class _Budget:
    """The limits of one read and what it has used so far (bytes, features, vertices, time).

    ``source`` is the user's file as given: every error names it, never a temporary copy
    (``aliases`` maps such copies back to the user's name).
    """

    source: str
    max_mb: float = MAX_INPUT_MB
    max_depth: int = MAX_DEPTH
    max_features: int = MAX_FEATURES
    max_vertices: int = MAX_VERTICES
    max_seconds: float = MAX_SECONDS
    started: float = field(default_factory=time.monotonic)
    n_bytes: int = 0
    n_features: int = 0
    n_vertices: int = 0
    aliases: dict[str, str] = field(default_factory=dict)

    def tick(self) -> None:
        """Refuse the read once it has run longer than ``max_seconds``."""
        elapsed = time.monotonic() - self.started
        if elapsed > self.max_seconds:
            raise ReadLimitError(
                f"reading took over {elapsed:.1f} s, more than the {self.max_seconds:g} s "
                "budget (max_seconds)", source=self.source,
                fix="simplify or split the file, or raise max_seconds")

    def add_bytes(self, n: int, what: str) -> None:
        """Count ``n`` more bytes of the dataset (a sidecar, an unpacked member)."""
        self.n_bytes += n
        if self.n_bytes > self.max_mb * 1e6:
            raise ReadLimitError(
                f"{what} brings the dataset to {self.n_bytes / 1e6:.3g} MB, over the "
                f"{self.max_mb:g} MB limit", source=self.source,
                fix="raise max_mb or simplify the data")

    def add_features(self, n: int = 1) -> None:
        """Count ``n`` more features (or rows)."""
        self.n_features += n
        if self.n_features > self.max_features:
            raise ReadLimitError(
                f"the file holds more than {self.max_features:,} features (rows), the "
                "limit (max_features)", source=self.source,
                fix="split the file, keep only the features needed, or raise max_features")
        if self.n_features % 1024 == 0:
            self.tick()

    def add_vertices(self, n: int) -> None:
        """Count ``n`` more vertices (coordinate positions)."""
        self.n_vertices += n
        if self.n_vertices > self.max_vertices:
            raise ReadLimitError(
                f"the file holds at least {self.n_vertices:,} vertices, over the limit of "
                f"{self.max_vertices:,} (max_vertices)", source=self.source,
                fix="simplify the geometry (e.g. QGIS Simplify, or mapshaper -simplify), or "
                    "raise max_vertices")

    def scrub(self, text: str) -> str:
        """``text`` with temporary paths replaced by the user's names."""
        for tmp, name in self.aliases.items():
            text = text.replace(tmp, name)
        return text


# The files of one shapefile (read and guarded together).
_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

def _limit_args(max_mb: Any, max_depth: Any, max_features: Any, max_vertices: Any,
                max_seconds: Any) -> None:
    """Refuse limits that are not positive numbers (naming the parameter)."""
    for name, value, integral in (("max_mb", max_mb, False), ("max_depth", max_depth, True),
                                  ("max_features", max_features, True),
                                  ("max_vertices", max_vertices, True),
                                  ("max_seconds", max_seconds, False)):
        ok = (not isinstance(value, bool) and isinstance(value, int | float)
              and (isinstance(value, int) or not integral) and value > 0
              and not (isinstance(value, float) and math.isnan(value)))
        if not ok:
            kind = "a positive integer" if integral else "a positive number"
            raise InputError(f"{name} {value!r} is not {kind}", source=name,
                             fix=f"give {kind}")


# Longest path the readers accept (PATH_MAX of Linux; a file name holds at most 255 bytes)
_MAX_PATH_BYTES = 4096
_MAX_NAME_BYTES = 255


def path_problem(spec: str) -> str | None:
    r"""Why ``spec`` cannot name a file on any system gazamap runs on, or None.

    >>> path_problem("lines/a.geojson") is None
    True
    >>> path_problem("a\x00.geojson")
    'it holds a NUL character'
    >>> path_problem("x" * 300 + ".geojson")
    'a name in it is 308 bytes long, over the limit of 255'
    """
    if "\0" in spec:
        return "it holds a NUL character"
    try:
        raw = spec.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid UTF-8 text (a file name in another encoding)"
    if len(raw) > _MAX_PATH_BYTES:
        return f"it is {len(raw):,} bytes long, over the limit of {_MAX_PATH_BYTES:,}"
    longest = max((len(part.encode("utf-8")) for part in re.split(r"[\\/]", spec)), default=0)
    if longest > _MAX_NAME_BYTES:
        return f"a name in it is {longest:,} bytes long, over the limit of {_MAX_NAME_BYTES}"
    return None


# --- the reader boundary ---------------------------------------------------------------


def _zip_problem(exc: BaseException) -> str | None:
    """Why a zip archive or member cannot be unpacked, or None if ``exc`` is not that."""
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile | zipfile.LargeZipFile):
        return f"it is corrupt ({text})"
    if isinstance(exc, NotImplementedError) and any(
            w in text for w in ("compression", "zip file version", "encryption", "flag bit")):
        return f"it uses a zip feature that is not supported ({text})"
    if isinstance(exc, RuntimeError) and ("encrypted" in text or "password" in text):
        return "it is encrypted (password-protected)"
    if isinstance(exc, zlib.error | EOFError) or type(exc).__name__ == "LZMAError":
        return f"it is corrupt ({text or 'it ends early'})"
    return None


_ZIP_FIX = ("extract it and give the file itself, or create the archive again without a "
            "password and with the usual (deflate) compression")


def _problem(exc: BaseException, budget: _Budget) -> tuple[str, str] | None:
    """(problem, fix) for an exception raised while reading a user's file, or None.

    None means a genuine internal error: it propagates (the CLI says it is a bug).
    """
    again = "repair the file or export it again"
    mod = type(exc).__module__ or ""
    text = budget.scrub(str(exc))[:300]
    zp = _zip_problem(exc)
    if zp is not None:
        return f"the zip archive cannot be read: {zp}", _ZIP_FIX
    if isinstance(exc, RecursionError):
        return (f"the file is nested too deeply for the parser (over {budget.max_depth} "
                "levels)", again)
    if isinstance(exc, MemoryError):
        return ("there is not enough memory to read it", "simplify or split the file")
    if isinstance(exc, OverflowError):
        return (f"a number is too large ({text})", again)
    if isinstance(exc, UnicodeError):
        reason = getattr(exc, "reason", text)
        return (f"its text cannot be decoded ({reason})",
                "give its encoding (encoding), or save the file as UTF-8")
    if isinstance(exc, ValueError) and "integer string conversion" in text:
        return (f"an integer has more than {MAX_INT_DIGITS} digits", "write long "
                "numbers as strings, or remove them")
    if isinstance(exc, csv.Error):
        return (f"not valid CSV ({text})", again)
    if isinstance(exc, expat.ExpatError) or type(exc).__name__ == "ParseError":
        return (f"not valid XML ({text})", again)
    if isinstance(exc, tomllib.TOMLDecodeError):
        return (f"not valid TOML ({text})", "correct the syntax at the position given")
    if mod.startswith("pyproj"):
        return (f"its coordinate reference system cannot be used ({text})",
                "declare a CRS that can be transformed to lon/lat (crs, e.g. EPSG:2039), "
                "or re-export the data in EPSG:4326")
    if mod.startswith("pyogrio"):
        return (f"GDAL cannot read it ({text})", "check the file in QGIS and export it again")
    if mod.startswith("pyarrow"):
        return (f"not a readable (Geo)Parquet file ({text})", again)
    if mod.startswith("sqlite3") or type(exc).__name__ in ("DatabaseError", "OperationalError"):
        return (f"not a readable SQLite/GeoPackage file ({text})", again)
    if mod.startswith("shapely"):
        return (f"a geometry cannot be built ({text})", again)
    if isinstance(exc, OSError):
        return (f"cannot be read ({exc.strerror or text})", "check the path and permissions")
    return None


@contextmanager
def _boundary(budget: _Budget) -> Iterator[None]:
    """The one reader boundary: any failure while reading a user's file is an InputError.

    InputErrors raised by the readers pass (their temporary paths replaced by the user's
    names); known kinds of failure (parsers, archives, CRS, GDAL, memory) become one
    InputError naming ``budget.source``; anything else is a bug and propagates.
    """
    try:
        yield
    except InputError as exc:
        if budget.aliases and exc.source is not None:
            exc.source = budget.scrub(exc.source)
            exc.problem = budget.scrub(exc.problem)
            exc.args = (exc.message,)
        raise
    except Exception as exc:
        found = _problem(exc, budget)
        if found is None:
            raise
        problem, fix = found
        raise InputError(problem, source=budget.source, fix=fix) from None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """One archive member's bytes, counted against ``max_mb`` before it is unpacked.

    The declared size is a bound: zipfile stops at it and then checks the CRC.
    """
    budget.add_bytes(info.file_size, f"the archive member {info.filename!r} "
                                     f"({info.file_size / 1e6:.3g} MB unpacked)")
    try:
        return zf.read(info)
    except Exception as exc:
        reason = _zip_problem(exc)
        if reason is None:
            raise
        raise InputError(f"the archive member {info.filename!r} cannot be unpacked: {reason}",
                         source=budget.source, fix=_ZIP_FIX) from None


# --- text ----------------------------------------------------------------------------------


def _warn(source: str, text: str) -> None:
    # stacklevel: the caller of read_features/read_geometry (io -> public fn -> caller)
    warnings.warn(f"{source}: {text}", InputWarning, stacklevel=4)


def _read_bytes(path: Path, source: str | None = None) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})",
                         source=str(path) if source is None else source,
                         fix="check its permissions") from None


def _decode(raw: bytes, source: str, encoding: str | None, what: str) -> str:
    """Bytes to text: the given encoding, else UTF-8; cp1256 Arabic detected with a warning."""
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source="`encoding`",
                             fix="give a codec name such as utf-8, cp1256, latin-1") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not {encoding} text (byte {raw[exc.start:exc.start + 1]!r} at offset "
                f"{exc.start})", source=source, fix="give the right `encoding`") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        guess = _guess_legacy(raw)
        if guess == "cp1256":
            _warn(source, f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start}); read it "
                          "as cp1256 (Windows Arabic) because it decodes to Arabic letters; "
                          "give `encoding` to choose another")
            return raw.decode("cp1256")
        raise InputError(
            f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start})", source=source,
            fix="give its encoding with `encoding` (e.g. cp1256, latin-1) or save it as UTF-8",
        ) from None


def _guess_legacy(raw: bytes) -> str | None:
    """``cp1256`` when the non-ASCII bytes decode to Arabic letters in cp1256, else None."""
    high = bytes(b for b in raw if b >= 0x80)
    if not high:
        return None
    try:
        text = high.decode("cp1256")
    except UnicodeDecodeError:
        return None
    arabic = len(_ARABIC.findall(text))
    return "cp1256" if arabic >= 0.8 * len(text) else None


def _read_text(path: Path, encoding: str | None, fmt: str, source: str | None = None) -> str:
    """The decoded text of a text format; refuse white space and saved web pages."""
    source = str(path) if source is None else source
    text = _decode(_read_bytes(path, source), source, encoding, "the file")
    if not text.strip():
        raise InputError("the file holds only white space", source=source,
                         fix="export the data again")
    if text.lstrip()[:1] == "<":
        kind = "an HTML page" if re.search(r"<(!doctype html|html)", text[:2000], re.I) else \
            "XML"
        raise InputError(f"this is {kind}, not {fmt} (it starts with "
                         f"{text.lstrip()[:15]!r})", source=source,
                         fix=f"download the raw {fmt} file, not the web page that shows it")
    return text


def _where(i: int, props: dict[str, Any], fid: Any = None) -> str:
    name = next((props[k] for k in ("name", "Name", "id") if props.get(k) not in (None, "")),
                fid)
    return f"feature #{i + 1}" + (f" ({str(name)[:40]!r})" if name is not None else "")


def _homogeneous(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """Parts of one kind as a Multi-geometry, mixed kinds as a GeometryCollection."""
    flat = [p for g in parts for p in shapely.get_parts(g)]
    kinds = {p.geom_type for p in flat}
    if kinds == {"Point"}:
        return shapely.MultiPoint(flat)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(flat)
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(flat)
    return shapely.GeometryCollection(flat)


def _choose_layer(names: list[str], layer: str | None, source: str) -> str:
    if layer is None:
        if len(names) == 1:
            return names[0]
        raise InputError(
            f"the file has {len(names)} layers: {', '.join(repr(n) for n in names)}",
            source=source, fix="choose one with `layer` NAME")
    if layer in names:
        return layer
    folded = [n for n in names if n.casefold() == layer.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"no layer {layer!r}; the layers are "
                     f"{', '.join(repr(n) for n in names)}", source=source,
                     fix="choose one of them with `layer` NAME")


def _check_fields(fields: Sequence[str], names: set[str], source: str) -> None:
    """Refuse asked-for fields the layer lacks (the GeoJSON, CSV, OGR and Arrow readers)."""
    missing = [f for f in fields if f not in names]
    if missing:
        have = ", ".join(repr(n) for n in sorted(names)[:20]) or "none"
        raise InputError(f"no field {missing[0]!r} in the layer (its fields: {have})",
                         source=source, fix="give a field the layer has")
