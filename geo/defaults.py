"""The defaults the command line shows in its help, in one module that imports nothing.

``gazamap <command> --help`` prints these without importing numpy, shapely or pyproj;
the modules that use them import them from here (one value each, never a copy).

>>> DEFAULT_LINE, DEFAULT_SNAP_TOLERANCE_M
('yellow-line@2025-10-19', 500.0)
"""

from __future__ import annotations

__all__ = ["AGGREGATE_ABOVE", "CSV_GEOMETRY", "DATA_DIR_ENV", "DEFAULT_BOUNDARY",
           "DEFAULT_LINE", "DEFAULT_OUTLIER_M", "DEFAULT_SAMPLE_M",
           "DEFAULT_SNAP_TOLERANCE_M", "EXPORT_FORMATS", "MAX_INPUT_MB"]

DEFAULT_BOUNDARY = "gaza-outline"
"""The outline partitioned when none is given (the packaged OSM outline)."""
DEFAULT_LINE = "yellow-line@2025-10-19"
"""The line when none is given: the yellow line of the IDF map of 19 Oct 2025."""
DEFAULT_SNAP_TOLERANCE_M = 500.0
"""Line ends that stop at most this far inside the outline are joined to it (m)."""
DEFAULT_OUTLIER_M = 500.0
"""Markers farther than this from the line through their neighbours are left out (m).

Markers are meant to stand every ~200 m and are read off imagery to tens of metres; the
reported moves of single markers (~300 m) are real, so the bar is above them.
"""
DEFAULT_SAMPLE_M = 25.0
"""Spacing (m) of the points along a line that a comparison measures displacement at."""
MAX_INPUT_MB = 200.0
"""Default size limit of an input: all the files of a dataset, unpacked (MB)."""
DATA_DIR_ENV = "GAZAMAP_DATA_DIR"
"""Environment variable naming data dirs (the OS path separator separates several)."""
EXPORT_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "kml", "csv", "parquet", "fgb")
"""The formats ``gazamap export`` writes."""
CSV_GEOMETRY: tuple[str, ...] = ("sidecar", "wkt", "none")
"""How a CSV export carries geometry: a sidecar file, a WKT column, or none."""
AGGREGATE_ABOVE = 20_000
"""A point layer with more points than this is drawn as bins (counts per hexagon)."""
