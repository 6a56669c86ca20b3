"""Geometry: coordinate systems, measurement, and cutting a boundary into zones.

- :mod:`geo.geometry.crs` and :mod:`~geo.geometry.measure`: WGS84 storage, geodesic and
  local equal-area measurement;
- :mod:`geo.geometry.partition`, :mod:`~geo.geometry.snap`, :mod:`~geo.geometry.markers`:
  a boundary split by lines (joined to the outline by the one end-snapper), or by marker points;
- :mod:`geo.geometry.shape_metrics`, :mod:`~geo.geometry.areas`: depths, lengths, bands;
- :mod:`geo.geometry.precision`: how many decimals a published coordinate keeps.
"""
