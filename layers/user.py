"""A user's own file as a layer: every property shown (as text) in its tooltip.

A layer of more than ``aggregate_above`` points (default
:data:`layers.aggregate.AGGREGATE_ABOVE`) is shown aggregated into hexagonal bins
(:mod:`layers.aggregate`); polygons and lines of a layer that big are simplified for
display (by ``BIG_SIMPLIFY_DEG``; counts and areas use the file itself).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import shapely

from geo.catalog import Dataset
from geo.read.features import Feature
from geo.read.io import read_features
from geo.read.points import read_table
from layers._provenance import dataset_provenance, file_provenance
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


def _symbol(features: list[Feature]) -> Symbol:
    kinds = {f.geometry.geom_type for f in features}
    if kinds and all("Point" in k for k in kinds):
        return "point"
    if kinds and all("Line" in k for k in kinds):
        return "line"
    return "area"


def user_layer_from_features(features: list[Feature], *, name: str, index: int = 0,
                             provenance: Mapping[str, Any] | None = None,
                             show: bool = True,
                             aggregate_above: int = AGGREGATE_ABOVE) -> Layer:
    """A layer from already-read lon/lat features (``index`` picks the colour and the id).

    More than ``aggregate_above`` points give a layer of bins (see module docstring).
    """
    prov = dict(provenance or file_provenance(name))
    symbol = _symbol(features)
    if symbol == "point" and len(features) > aggregate_above:
        xy = shapely.get_coordinates([f.geometry for f in features])
        return bins_layer(xy, name=name, index=index, provenance=prov, show=show)
    keys: dict[str, None] = {}
    for f in features:
        keys.update(dict.fromkeys(str(k) for k in f.properties))
    big = len(features) > aggregate_above and symbol != "point"
    if big:
        prov["method"] = (f"{prov.get('method') or ''}; simplified for display by "
                          f"{BIG_SIMPLIFY_DEG:g} degree (about 1 m)").lstrip("; ")
    feats = [Feature(shapely.simplify(f.geometry, BIG_SIMPLIFY_DEG, preserve_topology=True)
                     if big else f.geometry,
                     {str(k): as_text(v) for k, v in f.properties.items()})
             for f in features]
    style = user_style(index, symbol, len(features))
    fields = tuple((k, k) for k in keys)
    return Layer(
        id=f"user-{index + 1}", name=name, kind="user", features=feats, style=style,
        legend=LegendEntry(name, symbol, style), tooltip_fields=fields[:MAX_FIELDS],
        popup_fields=fields, provenance=prov,
        attribution=str(prov.get("attribution", "")), show=show,
        label_field="name" if "name" in keys else None,
    )


def user_layer(path: str | Path, *, index: int = 0,
               read_options: Mapping[str, Any] | None = None,
               aggregate_above: int = AGGREGATE_ABOVE,
               dataset: Dataset | None = None) -> Layer:
    """Read a user's file into a layer (any format :func:`geo.read.io.read_features` reads).

    The layer is named after the file (or ``dataset``'s ``id@version`` when the file is
    a catalog dataset's, with its catalog provenance); its properties are shown as text,
    never markup. A file of more than ``aggregate_above`` points is read as coordinates
    only (:func:`geo.read.points.read_table`, the same checks) and shown as bins.
    """
    if dataset is not None:
        prov = dataset_provenance(dataset)
        feats = dataset.features()
        return user_layer_from_features(feats, name=dataset.ref, index=index, provenance=prov,
                                        aggregate_above=aggregate_above)
    ro = dict(read_options or {})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        table = read_table(path, **ro)
    if table.geoms is None and table.n > aggregate_above:
        for w in seen:  # the repairs and assumptions of the read that is used
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return bins_layer(table.xy, name=Path(path).name, index=index,
                          provenance=file_provenance(path))
    feats = read_features(path, **ro)
    return user_layer_from_features(feats, name=Path(path).name, index=index,
                                    provenance=file_provenance(path),
                                    aggregate_above=aggregate_above)
