"""Writing: the one output guard and the exports every client opens.

- :mod:`geo.write.outputs`: where a result may be written, atomically, never over an input;
- :mod:`geo.write.export`: zones and layers with attributes and provenance (GeoJSON, GeoPackage,
  KML, CSV, ...), from :mod:`~geo.write.layer` (an export layer) and :mod:`~geo.write.styles`
  (QGIS and SLD styles);
- :mod:`geo.write.xmltext`: the one sanitiser of XML text (KML, SVG).
"""
