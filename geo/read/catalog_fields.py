"""Whether a catalog entry can be trusted: each field's type, names, units, and paths.

A data directory's ``catalog.toml`` is a user's file: every field is checked against the
type it must have (errors name the catalog, the dataset, the field and the type found),
ids and versions against the names references allow, uncertainties against the size of
the Strip, and every field that names a file against the data directory's sandbox
(no absolute path, no ``..``, no link leading out), before anything is read.
:func:`geo.catalog.Catalog.from_toml` builds its datasets through these checks.
"""

from __future__ import annotations

import codecs
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.analysis.uncertainty import LineUncertainty
from geo.errors import FieldError, InputError
from geo.read.base import path_problem

__all__ = ["_check_field", "_new_load", "_sandboxed", "_type_name"]


def _point(raw: Any, path: Path, ident: str) -> tuple[float, ...]:
    """A catalog ``controlled_point``: two finite numbers, lon then lat."""
    ok = (isinstance(raw, list) and len(raw) == 2
          and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw))
    if not ok or not all(math.isfinite(float(v)) for v in raw):
        raise FieldError(f"dataset {ident!r}, field `controlled_point`: {raw!r} is not "
                         "[lon, lat]", source=str(path),
                         fix="give [lon, lat], a point inside the controlled zone")
    return (float(raw[0]), float(raw[1]))


def _type_name(v: Any) -> str:
    """How a TOML value reads to its author: "the string 'abc'", "an array", "the date ..."."""
    if isinstance(v, bool):
        return f"the boolean {str(v).lower()}"
    if isinstance(v, str):
        return f"the string {v[:40]!r}"
    if isinstance(v, int | float):
        return f"the number {v!r}"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "a table"
    return f"the {type(v).__name__} {str(v)[:40]}"  # TOML dates and times


# Ids and versions are parts of references (``id@version``) and of file names: an id never
# holds a dot or a slash (so that ``./name`` or ``name.geojson`` always names a file).
_NAME = {"id": re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z"),
         "version": re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}\Z")}
_NAME_FIX = {"id": "use letters, digits, '-' and '_' only (no dot, slash or '@'), e.g. "
                   "id = \"my-line\"",
             "version": "use letters, digits, '-', '_', '.' and '+' (no slash or '@'), e.g. "
                        "version = \"2026-01-16\""}
# A positional uncertainty beyond the size of the Strip (~41 km) is a typo, not a figure.
_MAX_UNCERTAINTY_M = 50_000.0


def _check_field(name: str, expected: str, value: Any, ident: str, source: str) -> Any:
    """``value`` if it has the ``expected`` type of field ``name``, else an error saying which.

    ``expected`` is ``"string"``, ``"number"``, ``"boolean"`` or ``"point"``.
    """
    where = f"dataset {ident!r}, field `{name}`"
    if expected == "point":
        return _point(value, Path(source), ident)
    if expected == "string" and not isinstance(value, str):
        plain = str(value).lower() if isinstance(value, bool) else str(value)
        fix = (f'quote it: {name} = "{plain}"' if isinstance(value, int | float) or (
            not isinstance(value, list | dict)) else f"give one string: {name} = \"...\"")
        raise FieldError(f"{where}: expected a string, got {_type_name(value)}",
                         source=source, fix=fix)
    if expected == "boolean" and not isinstance(value, bool):
        raise FieldError(f"{where}: expected true or false, got {_type_name(value)}",
                         source=source, fix=f"write {name} = true or {name} = false")
    if name == "uncertainty_m" and isinstance(value, list):
        try:
            return LineUncertainty.of(value)
        except ValueError as exc:
            raise InputError(f"{where}: {exc}", source=source,
                             fix="write uncertainty_m = 300, or uncertainty_m = [100, 520] "
                                 "(metres toward Israel, toward the coast)") from None
    if expected == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(f"{where}: expected a number of metres, got {_type_name(value)}",
                             source=source, fix=f"write a number without quotes: {name} = 300")
        if not math.isfinite(value) or value < 0:
            raise FieldError(f"{where}: expected a finite number >= 0, got {value!r}",
                             source=source, fix=f"write a number of metres: {name} = 300")
        if value > _MAX_UNCERTAINTY_M:
            raise FieldError(f"{where}: {value!r} m is more than the Strip is long (at most "
                             f"{_MAX_UNCERTAINTY_M:,.0f} m)", source=source,
                             fix=f"write a number of metres: {name} = 300")
        return float(value)
    if expected != "string":
        return value
    if name in ("id", "version") and not _NAME[name].fullmatch(value):
        raise FieldError(f"{where}: {value[:60]!r} is not a dataset {name}", source=source,
                         fix=_NAME_FIX[name])
    if name == "encoding" and value:
        try:
            codecs.lookup(value)
        except (LookupError, ValueError):
            raise FieldError(f"{where}: unknown encoding {value[:40]!r}", source=source,
                             fix="give a codec name such as utf-8, cp1256, latin-1") from None
    if "\0" in value:
        raise FieldError(f"{where}: the text holds a NUL character", source=source,
                         fix="remove it")
    return value


@lru_cache(maxsize=4096)
def _resolved_cached(path: str, stamp: int) -> Path:
    return Path(path).resolve()


def _resolved(path: str) -> Path:
    """``Path(path).resolve()``, once per catalog load for the paths its entries share."""
    return _resolved_cached(path, _LOAD_STAMP[0])


_LOAD_STAMP = [0]  # bumped at each catalog load: links may change between loads


def _new_load() -> None:
    """Forget the resolved paths of earlier loads (links may have changed since)."""
    _LOAD_STAMP[0] += 1


def _sandboxed(base: Path, file: str, ident: str, source: str, name: str = "file") -> None:
    """Refuse a path field that leads outside the catalog's folder, without reading it.

    A catalog travels with its data (a shared folder, an archive): it must not make
    gazamap read, and print parts of, files elsewhere (``../../../../etc/passwd``).
    Every field that names a file (``file``, ``zone_polygon``) is checked.
    """
    where = f"dataset {ident!r}, field `{name}`"
    problem = path_problem(file)
    if problem is not None:
        raise FieldError(f"{where}: the file name cannot be used: {problem}", source=source,
                         fix="rename the file and correct the field")
    fix = "give a path relative to the catalog.toml's folder, inside it (copy the file there)"
    parts = re.split(r"[\\/]", file)
    if file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file) or Path(file).is_absolute():
        raise FieldError(f"{where}: {file!r} is an absolute path (refused: the data directory "
                         "is a sandbox)", source=source, fix=fix)
    if ".." in parts:
        raise FieldError(f"{where}: {file!r} goes up out of the data directory with '..' "
                         "(refused: the data directory is a sandbox)", source=source, fix=fix)
    root = _resolved(str(base))
    try:
        inside = _resolved(str(root / file)).is_relative_to(root)
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise FieldError(f"{where}: {file!r} cannot be resolved ({exc})", source=source,
                         fix=fix) from None
    if not inside:
        raise FieldError(f"{where}: {file!r} is a symbolic link (or passes through one) that "
                         "leads out of the data directory (refused: it is a sandbox)",
                         source=source, fix=fix)
