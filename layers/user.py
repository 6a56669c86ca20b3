"""A user's own file as a layer: every property shown (as text) in its tooltip."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo.features import Feature
from geo.io import read_features
from layers._provenance import file_provenance
from layers.base import Layer, LegendEntry, Symbol
from layers.styles import user_style

__all__ = ["MAX_FIELDS", "user_layer", "user_layer_from_features", "as_text"]

MAX_FIELDS = 24  # a tooltip with more rows is unreadable; the popup shows them all


def as_text(value: Any) -> str:
    """A property value as plain text (``None`` is empty; lists and objects as JSON).

    >>> as_text(None), as_text(3.5), as_text([1, "a"]), as_text("<b>")
    ('', '3.5', '[1, "a"]', '<b>')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _symbol(features: list[Feature]) -> Symbol:
    kinds = {f.geometry.geom_type for f in features}
    if kinds and all("Point" in k for k in kinds):
        return "point"
    if kinds and all("Line" in k for k in kinds):
        return "line"
    return "area"


def user_layer_from_features(features: list[Feature], *, name: str, index: int = 0,
                             provenance: Mapping[str, Any] | None = None,
                             show: bool = True) -> Layer:
    """A layer from already-read lon/lat features (``index`` picks the colour and the id)."""
    keys: dict[str, None] = {}
    for f in features:
        keys.update(dict.fromkeys(str(k) for k in f.properties))
    feats = [Feature(f.geometry, {str(k): as_text(v) for k, v in f.properties.items()})
             for f in features]
    symbol = _symbol(features)
    style = user_style(index, symbol)
    fields = tuple((k, k) for k in keys)
    prov = dict(provenance or file_provenance(name))
    return Layer(
        id=f"user-{index + 1}", name=name, kind="user", features=feats, style=style,
        legend=LegendEntry(name, symbol, style), tooltip_fields=fields[:MAX_FIELDS],
        popup_fields=fields, provenance=prov,
        attribution=str(prov.get("attribution", "")), show=show,
        label_field="name" if "name" in keys else None,
    )


def user_layer(path: str | Path, *, index: int = 0,
               read_options: Mapping[str, Any] | None = None) -> Layer:
    """Read a user's GeoJSON file (via :func:`geo.io.read_features`) into a layer.

    The layer is named after the file; its properties are shown as text, never markup.
    """
    feats = read_features(path, **dict(read_options or {}))
    return user_layer_from_features(feats, name=Path(path).name, index=index,
                                    provenance=file_provenance(path))
