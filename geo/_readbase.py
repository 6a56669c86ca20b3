"""Shared pieces of the input readers: raw results, decoding, warnings, layer choice."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from geo.errors import InputError
from geo.features import Feature

__all__ = [
    "InputWarning",
    "MAX_INPUT_MB",
    "_Raw",
    "_choose_layer",
    "_decode",
    "_guess_legacy",
    "_homogeneous",
    "_read_bytes",
    "_read_text",
    "_warn",
    "_where",
]

_ARABIC = re.compile("[\u0600-\u06ff]")

MAX_INPUT_MB = 200.0  # default size limit of an input file


class InputWarning(UserWarning):
    """A file was read after a stated repair or assumption (Z dropped, ring closed, ...)."""


@dataclass
class _Raw:
    """What a format reader found, before CRS handling and checks."""

    features: list[Feature]
    crs: str | None = None  # declared in the file (a .prj, a GeoPackage, a GeoJSON "crs")
    implied_wgs84: bool = False  # the format implies lon/lat (GeoJSON, KML, lat/lon CSV)


def _warn(source: str, text: str) -> None:
    # stacklevel: the caller of read_features/read_geometry (io -> public fn -> caller)
    warnings.warn(f"{source}: {text}", InputWarning, stacklevel=4)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path),
                         fix="check its permissions") from None


def _decode(raw: bytes, source: str, encoding: str | None, what: str) -> str:
    """Bytes to text: the given encoding, else UTF-8; cp1256 Arabic detected with a warning."""
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                             fix="give a codec name such as utf-8, cp1256, latin-1") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not {encoding} text (byte {raw[exc.start:exc.start + 1]!r} at offset "
                f"{exc.start})", source=source, fix="give the right --encoding") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        guess = _guess_legacy(raw)
        if guess == "cp1256":
            _warn(source, f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start}); read it "
                          "as cp1256 (Windows Arabic) because it decodes to Arabic letters; "
                          "give --encoding to choose another")
            return raw.decode("cp1256")
        raise InputError(
            f"{what} is not UTF-8 (byte {bad!r} at offset {exc.start})", source=source,
            fix="give its encoding with --encoding (e.g. cp1256, latin-1) or save it as UTF-8",
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


def _read_text(path: Path, encoding: str | None, fmt: str) -> str:
    """The decoded text of a text format; refuse white space and saved web pages."""
    source = str(path)
    text = _decode(_read_bytes(path), source, encoding, "the file")
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
            source=source, fix="choose one with --input-layer NAME")
    if layer in names:
        return layer
    folded = [n for n in names if n.casefold() == layer.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"no layer {layer!r}; the layers are "
                     f"{', '.join(repr(n) for n in names)}", source=source,
                     fix="choose one of them with --input-layer NAME")
