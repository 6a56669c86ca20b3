"""An export layer, and how its values, geometries and styles are written by every format."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import shapely

from geo.geometry.precision import round_coordinates
from geo.read.features import Feature

__all__ = [
    "ExportLayer",
    "ExportStyles",
    "KmlStyles",
    "FieldType",
]


@dataclass(frozen=True)
class ExportLayer:
    """A named layer: lon/lat features and the provenance of the data they come from."""

    name: str
    features: list[Feature]
    provenance: dict[str, Any] = field(default_factory=dict)


ExportStyles = Mapping[str, Mapping[str, Any]]
"""Styles of an export by key, as plain data: ``{"stroke": "#rrggbb" or None,
"stroke_width": px, "stroke_opacity": 0..1, "fill": "#rrggbb" or None, "fill_opacity":
0..1, "dash": "6 4" or None, "radius": px, "halo": "#rrggbb" or None}``. Keys:
``zone-<id>`` (a zone), then a layer's name (``line``, ``line-2``, ``markers``, a dataset
id such as ``places``), and ``user`` for any other layer. ``geo`` holds no palette:
callers pass :func:`layers.styles.export_styles`. KML placemarks and the GeoPackage's
``layer_styles`` (QML and SLD) are made from them."""
KmlStyles = ExportStyles  # the earlier name


def _oriented(g: shapely.Geometry) -> shapely.Geometry:
    """RFC 7946 winding: exterior rings counter-clockwise, holes clockwise."""
    if g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(g, exterior_cw=False)
    return g


def _published(g: shapely.Geometry) -> shapely.Geometry:
    """The geometry as a text format writes it: RFC 7946 winding, rounded coordinates."""
    return round_coordinates(_oriented(g))


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(_jsonable(v))


FieldType = Literal["bool", "int", "real", "text"]


def _field_type(values: Iterable[Any]) -> FieldType:
    """The type every present value of a column fits: bool, int, real or text.

    >>> _field_type([1, None, 2.5]), _field_type([True, None]), _field_type([3, "a"])
    ('real', 'bool', 'text')
    >>> _field_type([None]), _field_type([2**40])
    ('text', 'int')
    """
    present = [v for v in (_jsonable(x) for x in values) if v is not None]
    if not present:
        return "text"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "real"
    return "text"


def _keys(layers: Iterable[ExportLayer], skip: tuple[str, ...] = ()) -> list[str]:
    keys: dict[str, None] = {}
    for lay in layers:
        for f in lay.features:
            keys.update(dict.fromkeys(k for k in f.properties if k not in skip))
    return list(keys)


def _style_key(layer: str, props: Mapping[str, Any]) -> str:
    return f"zone-{props.get('zone')}" if layer == "zones" else layer


def _style_for(styles: ExportStyles, layer: str,
               props: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    """The key and style of a feature: its zone's or its layer's, else ``user``'s."""
    for key in (_style_key(layer, props), "user"):
        if key in styles:
            return key, styles[key]
    return None
