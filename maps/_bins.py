"""Leaflet rendering of aggregated point layers (:class:`layers.aggregate.BinsLayer`).

The page carries a big layer compactly: the bins as their centres (integer 1e-6 degree
offsets), counts and count classes in typed arrays with one hexagon shape (its vertex
offsets in metres), the points as integer 1e-5 degree offsets (two bytes per coordinate
when the layer spans less than 0.65 degree); every array is base64 in the page and
decoded by the page's own script (``maps/assets/bins.js``), never written a second time
as GeoJSON.
The bins are one layer that paints every hexagon on its own canvas when the view
settles (no Leaflet object per bin: 28,000 bins draw in ~0.05 s), coloured by their count
class; the bin under the mouse gets a tooltip with its count (inserted as text). When the
layer carries its points, they replace the bins from the layer's ``min_zoom`` on, drawn
on a canvas for the visible area only.
"""

from __future__ import annotations

import base64
import html
import math
from typing import Any

import numpy as np
import shapely

from layers.aggregate import BIN_COLOURS, BinsLayer
from maps.assets import asset
from maps.html import script_json
from maps.leaflet_layers import leaflet_style

__all__ = ["bins_spec", "bins_element", "draw_bins_static", "encode_array"]

_CENTRE_SCALE = 1e6  # bin centres: integer 1e-6 degree (0.1 m), the hexagon drawn around


def encode_array(values: np.ndarray[Any, Any]) -> dict[str, str]:
    """Non-negative integers as the smallest unsigned typed array, base64 (little-endian).

    >>> encode_array(np.array([1, 2, 300]))
    {'dtype': 'u2', 'b64': 'AQACACwB'}
    """
    v = np.asarray(values, dtype=np.int64)
    if len(v) and int(v.min()) < 0:
        raise ValueError("encode_array takes non-negative integers")
    top = int(v.max()) if len(v) else 0
    dtype = "u1" if top < 2**8 else "u2" if top < 2**16 else "u4" if top < 2**32 else None
    if dtype is None:
        raise ValueError(f"{top} does not fit 32 bits")
    raw = v.astype(np.dtype(dtype).newbyteorder("<")).tobytes()
    return {"dtype": dtype, "b64": base64.b64encode(raw).decode("ascii")}


def _offsets(ints: np.ndarray[Any, Any]) -> tuple[list[int], dict[str, str], dict[str, str]]:
    origin = ints.min(axis=0) if len(ints) else np.zeros(2, dtype=np.int64)
    rel = ints - origin
    return [int(origin[0]), int(origin[1])], encode_array(rel[:, 0]), encode_array(rel[:, 1])


def _bins(layer: BinsLayer) -> dict[str, Any]:
    rings = [shapely.get_coordinates(f.geometry)[:6] for f in layer.features]
    centres = np.array([r.mean(axis=0) for r in rings]) if rings else np.empty((0, 2))
    counts = np.array(layer.counts, dtype=np.int64)
    colours = list(dict.fromkeys(layer.fills))
    colours.sort(key=lambda c: BIN_COLOURS.index(c) if c in BIN_COLOURS else len(BIN_COLOURS))
    k = np.array([colours.index(fill) for fill in layer.fills], dtype=np.int64)
    origin, x, y = _offsets(np.round(centres * _CENTRE_SCALE).astype(np.int64))
    # the hexagon of layers.aggregate.hex_bins: pointy-top, circumradius width / sqrt(3)
    size = layer.cell_m / math.sqrt(3)
    ang = np.radians(30 + 60 * np.arange(6))
    return {"origin": origin, "scale": _CENTRE_SCALE, "x": x, "y": y,
            "n": encode_array(counts), "k": encode_array(k), "colours": colours,
            "vertices_m": [np.round(size * np.cos(ang), 3).tolist(),
                           np.round(size * np.sin(ang), 3).tolist()]}


def bins_spec(layer: BinsLayer, name: str, point_colour: str, lang: str = "en"
              ) -> dict[str, Any]:
    """The JSON the bins script draws: bins (typed arrays), style, the points."""
    spec: dict[str, Any] = {
        "id": layer.id, "name": name,
        "label": "points" if lang != "ar" else "النقاط",
        "style": leaflet_style(layer.style, layer.id),
        "attribution": html.escape(layer.attribution),
        "bins": _bins(layer),
        "pointColour": point_colour, "points": None,
    }
    if layer.points is not None:
        rel = np.asarray(layer.points.xy, dtype=np.int64).reshape(-1, 2)
        spec["points"] = {"origin": list(layer.points.origin), "x": encode_array(rel[:, 0]),
                          "y": encode_array(rel[:, 1]), "scale": layer.points.scale,
                          "minZoom": layer.points.min_zoom, "maxInView": 50_000}
    return spec


def bins_element(layer: BinsLayer, name: str, *, show: bool, point_colour: str,
                 lang: str = "en") -> Any:
    """A folium layer (listed in the layer control) that draws a :class:`BinsLayer`."""
    from folium.map import Layer as FoliumLayer
    from folium.template import Template

    class BinsElement(FoliumLayer):  # type: ignore[misc]
        _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.js }}({{ this._parent.get_name() }}, {{ this.spec_json }});
{% endmacro %}
""")

        def __init__(self) -> None:
            label = f'<span dir="auto">{html.escape(name)}</span>'
            super().__init__(name=label, overlay=True, control=True, show=show)
            self._name = "GzBins"
            self.js = asset("bins.js")  # f(map, spec) -> layer
            self.spec_json = script_json(bins_spec(layer, name, point_colour, lang))

    return BinsElement()


def draw_bins_static(ax: Any, layer: BinsLayer, geoms: list[Any], z: int,
                     lang: str = "en") -> Any:
    """Draw the bins on a matplotlib map in their count colours, with a colour bar.

    ``geoms`` are the bins in the map's coordinates (the local LAEA). The colour bar
    (inside the map's lower right corner) has one step per count class, labelled with
    its range; returns its axes.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgba

    from layers.aggregate import class_legend

    st = layer.style
    rings = [shapely.get_coordinates(g.exterior if hasattr(g, "exterior") else g)
             for g in geoms]
    faces = [to_rgba(fill, st.fill_opacity) for fill in layer.fills]
    edge = to_rgba(st.stroke or "#555555", st.stroke_opacity)
    ax.add_collection(PolyCollection(rings, facecolors=faces, edgecolors=[edge],
                                     linewidths=0.15, zorder=z))
    counts = np.array(layer.counts, dtype=np.int64)
    if not len(counts):
        return None
    classes = class_legend(counts)
    cmap = ListedColormap([c for c, _ in classes])
    norm = BoundaryNorm(np.arange(len(classes) + 1) - 0.5, len(classes))
    cax = ax.inset_axes((0.955, 0.14, 0.02, 0.3))  # above the scale bar
    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax,
                             ticks=np.arange(len(classes)))
    bar.ax.set_yticklabels([label for _, label in classes], fontsize=5.5)
    bar.ax.yaxis.set_ticks_position("left")
    bar.ax.tick_params(length=0, pad=2)
    cell = f"{layer.cell_m:g} m"
    title = (f"points per {cell} hexagon" if lang != "ar" else f"النقاط في كل سداسي {cell}")
    bar.ax.set_title(title, fontsize=5.5, loc="right", pad=3)
    bar.outline.set_linewidth(0.3)
    return cax
