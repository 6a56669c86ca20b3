"""gazamap's truth room: packaged datasets, geometry and the numbers computed from them.

Nothing in ``geo`` imports ``layers``, ``maps``, folium or matplotlib.
"""

__all__: list[str] = []
