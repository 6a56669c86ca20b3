"""A user's own data as a layer: every property shown (as text) in its tooltip.

The data arrives read (:func:`geo.read.sources.read_layer`): layers draw, geo reads.

A layer of more than ``aggregate_above`` points (default
:data:`layers.aggregate.AGGREGATE_ABOVE`) is shown aggregated into hexagonal bins
(:mod:`layers.aggregate`); polygons and lines of a layer that big are simplified for
display (by ``BIG_SIMPLIFY_DEG``; counts and areas use the file itself).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import shapely

from geo.read.features import Feature
from geo.read.sources import LayerData
from layers._provenance import DataProvenance, dataset_provenance, file_provenance
from layers.aggregate import AGGREGATE_ABOVE, bins_layer
from layers.base import Layer, LegendEntry, Symbol
from layers.styles import user_style

__all__ = ["MAX_FIELDS", "BIG_SIMPLIFY_DEG", "user_layer", "user_layer_from_features",
           "as_text"]

MAX_FIELDS = 24  # a tooltip with more rows is unreadable; the popup shows them all
# Display simplification of the polygons and lines of a big layer: 1e-5 degree is at most
# 1.1 m, below what a map shows at the zoom where thousands of shapes are on screen.
BIG_SIMPLIFY_DEG = 1e-5


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


def _symbol(features: Sequence[Feature]) -> Symbol:
    kinds = {f.geometry.geom_type for f in features}
    if kinds and all("Point" in k for k in kinds):
        return "point"
    if kinds and all("Line" in k for k in kinds):
        return "line"
    return "area"


def user_layer_from_features(features: Sequence[Feature], *, name: str, index: int = 0,
                             provenance: DataProvenance | None = None,
                             show: bool = True,
                             aggregate_above: int = AGGREGATE_ABOVE) -> Layer:
    """A layer from already-read lon/lat features (``index`` picks the colour and the id).

    More than ``aggregate_above`` points give a layer of bins (see module docstring).
    """
    prov = provenance or file_provenance(name)
    symbol = _symbol(features)
    if symbol == "point" and len(features) > aggregate_above:
        xy = shapely.get_coordinates([f.geometry for f in features])
        return bins_layer(xy, name=name, index=index, provenance=prov, show=show)
    keys: dict[str, None] = {}
    for f in features:
        keys.update(dict.fromkeys(str(k) for k in f.properties))
    big = len(features) > aggregate_above and symbol != "point"
    if big:
        prov = replace(prov, method=(f"{prov.method or ''}; simplified for display by "
                                     f"{BIG_SIMPLIFY_DEG:g} degree (about 1 m)").lstrip("; "))
    feats = [Feature(shapely.simplify(f.geometry, BIG_SIMPLIFY_DEG, preserve_topology=True)
                     if big else f.geometry,
                     {str(k): as_text(v) for k, v in f.properties.items()})
             for f in features]
    style = user_style(index, symbol, len(features))
    fields = tuple((k, k) for k in keys)
    return Layer(
        id=f"user-{index + 1}", name=name, kind="user", features=feats, style=style,
        legend=LegendEntry(name, symbol, style), tooltip_fields=fields[:MAX_FIELDS],
        popup_fields=fields, provenance=prov, attribution=prov.attribution,
        show=show, label_field="name" if "name" in keys else None,
    )


def user_layer(data: LayerData, *, index: int = 0,
               aggregate_above: int = AGGREGATE_ABOVE) -> Layer:
    """A layer of a user's data as geo read it (:func:`geo.read.sources.read_layer`).

    The layer is named after the file (or the dataset's ``id@version``, with its catalog
    provenance); its properties are shown as text, never markup. Points read as
    coordinates only are shown as bins.
    """
    li = data.input
    if li.dataset is not None:
        return user_layer_from_features(data.features, name=li.dataset.ref, index=index,
                                        provenance=dataset_provenance(li.dataset),
                                        aggregate_above=aggregate_above)
    if data.xy is not None:
        return bins_layer(data.xy, name=li.name, index=index,
                          provenance=file_provenance(li.path))
    return user_layer_from_features(data.features, name=li.name, index=index,
                                    provenance=file_provenance(li.path),
                                    aggregate_above=aggregate_above)
