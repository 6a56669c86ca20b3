"""What to show: a Layer is geometry + declarative style + legend + provenance (no folium)."""

__all__: list[str] = []
