"""How to show it: renderers (folium, matplotlib), HTML writers, text tables and the CLI.

Importing ``maps`` is cheap: folium and matplotlib are imported by the modules that use
them, so ``gazamap areas`` never loads them.
"""

__all__: list[str] = []
