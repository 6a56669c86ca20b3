"""Writing: the one output guard and the exports every client opens.

- :mod:`geo.write.outputs`: where a result may be written, atomically, and the text guards
  of published outputs; :mod:`geo.write.protected`: the files it never replaces (inputs,
  a shapefile input's parts, the packaged data);
- :mod:`geo.write.export`: an analysis's zones and lines and the layers asked for, with
  attributes and provenance, from :mod:`~geo.write.layer` (an export layer), encoded by
  :mod:`~geo.write.geojson`, :mod:`~geo.write.kml`, :mod:`~geo.write.delimited` (CSV)
  and :mod:`~geo.write.binary` (GeoPackage, FlatGeobuf, GeoParquet), styled by
  :mod:`~geo.write.styles` (QGIS and SLD styles);
- :mod:`geo.write.xmltext`: the one sanitiser of XML text (KML, SVG).
"""
