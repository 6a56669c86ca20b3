"""What to show: a Layer is geometry + declarative style + legend + provenance (no folium).

``layers.build.default_layers(report)`` gives every layer of the default map; the
interactive (``maps.interactive``) and static (``maps.static``) renderers draw them.
"""

__all__: list[str] = []
