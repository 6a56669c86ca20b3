"""Reading: users' files and packaged datasets into lon/lat geometries, behind one boundary.

- :mod:`geo.read.sources`: what a user names (a dataset id or a file) -> geometry + provenance;
- :mod:`geo.read.io`: users' geometry files, with clear errors;
- :mod:`geo.read.base`: the reader boundary (limits, decoding, warnings) every reader goes through;
- :mod:`geo.read.parsing`: what the parsers may see (nesting) and give back (Unicode text);
- :mod:`geo.read.checks`: where the data lie: their CRS, and whether they fall in Gaza;
- :mod:`geo.read.expect`: one geometry of the kind asked for (a line, a polygon, points);
- one module per format: :mod:`~geo.read.geojson`, :mod:`~geo.read.delimited` (CSV),
  :mod:`~geo.read.kml`, :mod:`~geo.read.ogr` (GeoPackage, Shapefile), :mod:`~geo.read.arrow`
  (GeoParquet, FlatGeobuf, planned part by part; :mod:`~geo.read.lonlat`: their CRS);
- :mod:`geo.read.points` reads big layers as arrays of points (:mod:`~geo.read.fastpath`:
  point GeoJSON and lat/lon CSV parsed straight into arrays);
- :mod:`geo.read.catalog_fields`: whether a data directory's catalog entry can be trusted;
- :mod:`geo.read.features`: the :class:`Feature` every reader returns.
"""
