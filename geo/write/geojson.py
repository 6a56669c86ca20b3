"""GeoJSON exports (RFC 7946): lon/lat, exterior rings counter-clockwise, no ``crs`` member.

The provenance travels in a foreign member ``gazamap`` (each layer's name and provenance)
and in every feature's properties.
"""

from __future__ import annotations

import json

from shapely.geometry import mapping

from geo.write.layer import ExportLayer, _jsonable, _published

__all__ = ["encode_geojson"]


def encode_geojson(layers: list[ExportLayer]) -> bytes:
    """The layers as one FeatureCollection (UTF-8), coordinates rounded for publication."""
    feats = [{"type": "Feature",
              "properties": {k: _jsonable(v) for k, v in f.properties.items()},
              "geometry": mapping(_published(f.geometry))}
             for layer in layers for f in layer.features]
    doc = {"type": "FeatureCollection", "features": feats,
           "gazamap": {"layers": [{"name": lay.name, "provenance": lay.provenance}
                                  for lay in layers]}}
    return json.dumps(doc, ensure_ascii=False, default=str, sort_keys=False).encode("utf-8")
