"""What the parsers may see and what they give back: nesting bounded, text that is Unicode.

Parsers that recurse (the GeoJSON builder, ``tomllib``, GEOS's WKT reader, which crashes
the process at 100,000 levels) must never see more than ``max_depth`` levels: the depth
is measured on the raw bytes first (:func:`_check_depth`). What they give back must be
text every output can encode: properties holding lone surrogates are refused
(:func:`_check_text`). A user's TOML file (a catalog, a ledger) goes through both
(:func:`_load_toml`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from geo.errors import InputError, ReadLimitError
from geo.read.base import MAX_DEPTH, MAX_INPUT_MB, _boundary, _Budget
from geo.read.features import Feature

__all__ = [
    "_JSON_STRINGS",
    "_check_depth",
    "_check_text",
    "_load_toml",
    "_nesting_depth",
]

_JSON_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_STRING_BYTES = {
    "json": _JSON_STRINGS,
    "toml": re.compile(rb'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
                       rb"|'[^'\n]*'|#[^\n]*"),
    "wkt": None,
}
_BRACKETS = {"json": (b"[{", b"]}"), "toml": (b"[{", b"]}"), "wkt": (b"(", b")")}
_CHUNK = 1 << 22  # bytes per numpy pass (32 MB of int64 levels)


def _nesting_depth(data: bytes | str, kind: str) -> int:
    """The deepest nesting of brackets in ``data`` outside strings (and TOML comments).

    Fast (regular expressions, ``bytes.translate`` and numpy, about 0.15 s for 30 MB), so
    that it can run before a parser that recurses.

    >>> _nesting_depth(b'{"a": [[1, 2], "[[["], "b": {}}', "json")
    3
    >>> _nesting_depth("GEOMETRYCOLLECTION (POINT (1 2))", "wkt")
    2
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    strings = _STRING_BYTES[kind]
    if strings is not None:
        raw = strings.sub(b"", raw)
    opens, closes = _BRACKETS[kind]
    raw = raw.translate(None, bytes(set(range(256)) - set(opens + closes)))
    depth, carry = 0, 0
    is_open = np.zeros(256, dtype=np.int8) - 1
    is_open[list(opens)] = 1
    for start in range(0, len(raw), _CHUNK):
        steps = is_open[np.frombuffer(raw[start:start + _CHUNK], dtype=np.uint8)]
        levels = np.cumsum(steps, dtype=np.int64) + carry
        depth = max(depth, int(levels.max()))
        carry = int(levels[-1])
    return depth


def _check_depth(data: bytes | str, kind: str, budget: _Budget, what: str) -> None:
    depth = _nesting_depth(data, kind)
    if depth > budget.max_depth:
        raise ReadLimitError(f"{what} is nested {depth:,} levels deep, over the limit of "
                             f"{budget.max_depth} (max_depth)", source=budget.source,
                             fix="flatten the nested values, or raise max_depth")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_text(value: Any) -> str | None:
    """The first string (key or value) holding a lone surrogate, or None.

    Recursive on containers (their nesting is bounded by ``max_depth`` before parsing);
    ASCII strings, the usual case, are passed without a regular expression.
    """
    items: Any = value.items() if isinstance(value, dict) else (
        ((None, v) for v in value) if isinstance(value, list | tuple) else ((None, value),))
    for k, v in items:
        if type(k) is str and not k.isascii() and _SURROGATE.search(k):
            return k
        if type(v) is str:
            if not v.isascii() and _SURROGATE.search(v):
                return v
        elif isinstance(v, dict | list | tuple):
            found = _bad_text(v)
            if found is not None:
                return found
    return None


def _check_text(feats: list[Feature], source: str) -> None:
    r"""Refuse properties holding lone surrogates (JSON escapes like "\ud800").

    They are not Unicode text: every output (UTF-8 HTML, CSV, the terminal) would fail
    on them later, far from the cause.
    """
    for i, f in enumerate(feats):
        bad = _bad_text(f.properties)
        if bad is not None:
            k = _SURROGATE.search(bad)
            pos = k.start() if k else 0
            raise InputError(
                f"feature #{i + 1}: the text {bad[max(0, pos - 20):pos + 20]!r} holds a lone "
                f"surrogate ({ascii(bad[pos])}), which is not valid Unicode",
                source=source, fix="repair that text (the escape is half of a pair) or "
                                   "export the file again")


def _load_toml(path: Path, *, source: str | None = None, max_mb: float = MAX_INPUT_MB,
               max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """A TOML file's content, its size and nesting checked before ``tomllib`` recurses."""
    budget = _Budget(source or str(path), max_mb=max_mb, max_depth=max_depth)
    with _boundary(budget):
        size = path.stat().st_size
        budget.add_bytes(size, f"the file ({size / 1e6:.3g} MB)")
        raw = path.read_bytes()
        _check_depth(raw, "toml", budget, "the TOML")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {raw[exc.start:exc.start + 1]!r} at offset "
                             f"{exc.start})", source=budget.source,
                             fix="save it as UTF-8 (TOML files are UTF-8)") from None
        return tomllib.loads(text)
