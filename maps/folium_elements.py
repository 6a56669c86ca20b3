"""The folium elements of the interactive map: the map, a gazamap layer, the panel.

Each element's template only calls the map's runtime (``maps/assets/map.js``) with
JSON: the map creates it (``var <map>_gz = <runtime>``), a layer asks it to draw a spec,
the panel ties legend entries to layer objects. The classes are built on first use, so
that importing this module does not import folium; :func:`assign_ids` replaces folium's
random element ids by deterministic ones.
"""

from __future__ import annotations

from typing import Any

__all__ = ["map_class", "layer_class", "panel_class", "assign_ids"]


def map_class() -> type:
    """A folium ``Map`` with no CDN assets and no page-wide styles or viewport lock.

    Set ``map_options``, ``fit``, ``runtime`` (the script, an expression) and
    ``control_words`` before rendering; ``html_snippet`` is the map's ``<div>``.
    """
    import folium
    from folium.template import Template

    class GazaMap(folium.Map):  # type: ignore[misc]
        """A folium Map with no CDN assets and no page-wide styles or viewport lock."""

        default_js: list[tuple[str, str]] = []
        default_css: list[tuple[str, str]] = []
        _template = Template("""
{% macro html(this, kwargs) %}{{ this.html_snippet }}{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.map_options|tojson }});
{{ this.get_name() }}.fitBounds({{ this.fit|tojson }}, {padding: [6, 6]});
var {{ this.get_name() }}_gz = {{ this.runtime }};
{{ this.get_name() }}_gz.controls({{ this.get_name() }}, {{ this.control_words|tojson }});
{% endmacro %}
""")

    return GazaMap


def layer_class() -> type:
    """A gazamap layer: its spec (JSON safe for ``<script>``) drawn by the map's runtime."""
    from folium.map import Layer as FoliumLayer
    from folium.template import Template

    class VectorLayer(FoliumLayer):  # type: ignore[misc]
        """A gazamap layer: safe JSON spec drawn by the map's runtime."""

        _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this._parent.get_name() }}_gz.layer({{ this.spec_json }});
{% endmacro %}
""")

        def __init__(self, spec_json: str, name: str, *, show: bool, control: bool):
            super().__init__(name=name, overlay=True, control=control, show=show)
            self._name = "GzLayer"
            self.spec_json = spec_json

    return VectorLayer


def panel_class() -> type:
    """The one panel (legend entries are the layer toggles), as a Leaflet control."""
    from branca.element import MacroElement
    from folium.template import Template

    class Legend(MacroElement):  # type: ignore[misc]
        """The one panel (legend entries are the layer toggles), as a Leaflet control."""

        _template = Template("""
{% macro html(this, kwargs) %}{{ this.html_snippet }}{% endmacro %}
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}_gz.panel({{ this._parent.get_name() }}, {{ this.box_id|tojson }}, {
{%- for lid, element in this.layer_elements %}
  {{ lid|tojson }}: {{ element.get_name() }}{{ "," if not loop.last }}
{%- endfor %}
}, [{%- for element in this.bases %}{{ element.get_name() }}{{ "," if not loop.last }}
{%- endfor %}],
{{ this.narrow_px|tojson }});
{% endmacro %}
""")

        def __init__(self, html_snippet: str, box_id: str,
                     layer_elements: list[tuple[str, Any]], bases: list[Any],
                     narrow_px: int):
            super().__init__()
            self._name = "GzLegend"
            self.html_snippet = html_snippet
            self.box_id = box_id
            self.layer_elements = layer_elements
            self.bases = bases
            self.narrow_px = narrow_px

    return Legend


def assign_ids(root: Any, map_id: str) -> None:
    """Replace folium's random element ids by ``{map_id}_{n}`` in tree order."""
    counter = 0
    stack = [root]
    while stack:
        node = stack.pop(0)
        node._id = f"{map_id}_{counter}"
        counter += 1
        stack[0:0] = list(node._children.values())
