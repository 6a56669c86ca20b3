"""KML and KMZ input: Placemarks by folder, read with the standard XML parser.

Text stays text (entities are refused, nesting is bounded as elements open); each folder
path is a layer. The writer of KML exports is :mod:`geo.write.kml`.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.read.base import (
    _Budget,
    _choose_layer,
    _decode,
    _homogeneous,
    _Raw,
    _read_bytes,
    _read_member,
    _warn,
    _where,
)
from geo.read.features import Feature
from geo.read.geojson import _GeoJSONGeometry

__all__ = [
    "_parse_kml",
    "_read_kml",
]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _parse_kml(path: Path, encoding: str | None, kmz: bool,
               budget: _Budget) -> dict[str, list[ET.Element]]:
    """The Placemarks of a KML document grouped by layer (folder path)."""
    source = budget.source
    raw = _read_bytes(path, source)
    if kmz:
        raw = _kmz_doc(raw, budget)
    if not raw.strip():
        raise InputError("the file holds only white space", source=source,
                         fix="export the data again")
    if encoding:
        raw = _decode(raw, source, encoding, "the file").encode("utf-8")
        raw = re.sub(rb"^<\?xml[^>]*\?>", b"", raw.lstrip())
    if re.search(rb"<html|<!doctype html", raw[:2000], re.I):
        raise InputError("this is an HTML page, not KML", source=source,
                         fix="download the .kml file itself, not the web page that shows it")
    try:
        root = _parse_xml(raw, budget)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise InputError(f"not valid KML/XML ({reason} at line {exc.lineno}, column "
                         f"{exc.offset + 1})", source=source,
                         fix="repair or re-export the file") from None
    if _local(root.tag) != "kml":
        raise InputError(f"the root element is <{_local(root.tag)}>, not <kml>", source=source,
                         fix="give a KML file exported by Google Earth, QGIS or similar")
    layers: dict[str, list[ET.Element]] = {}
    _kml_walk(root, [], layers)
    if not layers:
        raise InputError("the KML holds no Placemark", source=source,
                         fix="export the folder that contains the line or points")
    return layers


def _parse_xml(raw: bytes, budget: _Budget) -> ET.Element:
    """An element tree built by expat, bounded in depth and time, without entities.

    Entity declarations are refused as expat reports them, that is after decoding in
    whatever encoding the document declares (UTF-16 included): they can expand without
    limit or read other files. Elements nested deeper than ``max_depth`` are refused as
    they open, before the tree exists (``_kml_walk`` recurses on folders).
    """
    source = budget.source
    parser = expat.ParserCreate(namespace_separator="}")
    builder = ET.TreeBuilder()
    depth = [0, 0]  # current depth, elements seen

    def entity(name: str, *_: Any) -> None:
        raise InputError(f"the KML declares the XML entity {name!r} (entities are refused: "
                         "they can expand without limit or read other files)", source=source,
                         fix="export the file again from Google Earth or QGIS")

    def start(name: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        depth[1] += 1
        if depth[0] > budget.max_depth:
            raise ReadLimitError(f"the XML nests elements more than {budget.max_depth} levels "
                                 f"deep (line {parser.CurrentLineNumber}; max_depth)",
                                 source=source,
                                 fix="flatten the folders, or raise max_depth")
        if depth[1] % 4096 == 0:
            budget.tick()
        # expat writes namespaced names as "uri}local"; ElementTree as "{uri}local"
        builder.start("{" + name if "}" in name else name, attrs)

    def end(name: str) -> None:
        depth[0] -= 1
        builder.end("{" + name if "}" in name else name)

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    parser.Parse(raw, True)
    return builder.close()


def _read_kml(path: Path, layer: str | None, encoding: str | None, kmz: bool,
              budget: _Budget) -> _Raw:
    source = budget.source
    layers = _parse_kml(path, encoding, kmz, budget)
    name = _choose_layer(list(layers), layer, source)
    feats: list[Feature] = []
    dropped_z = 0
    for i, pm in enumerate(layers[name]):
        budget.add_features()
        props = _kml_props(pm)
        where = _where(i, props)
        geoms = [g for g in (_kml_geom(c, budget, where) for c in pm) if g is not None]
        if not geoms:
            continue
        dropped_z += sum(n for _, n in geoms)
        parts = [g for g, _ in geoms]
        feats.append(Feature(parts[0] if len(parts) == 1 else _homogeneous(parts), props))
    if not feats:
        raise InputError(f"no Placemark in layer {name!r} has a geometry", source=source,
                         fix="export a folder that contains the line or points")
    if dropped_z:
        _warn(source, f"dropped the altitude of {dropped_z} coordinate(s): gazamap works in "
                      "2D lon/lat")
    return _Raw(feats, crs=None, implied_wgs84=True)


def _kmz_doc(raw: bytes, budget: _Budget) -> bytes:
    source = budget.source
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError("not a valid KMZ (zip) archive", source=source,
                         fix="export it again, or save it as .kml") from None
    with zf:
        kmls = [m for m in zf.infolist() if m.filename.lower().endswith(".kml")]
        if not kmls:
            raise InputError("the KMZ archive holds no .kml document", source=source,
                             fix="export the KMZ again from Google Earth")
        doc = next((m for m in kmls if m.filename == "doc.kml"), kmls[0])
        return _read_member(zf, doc, budget)


def _kml_walk(el: ET.Element, path: list[str], out: dict[str, list[ET.Element]]) -> None:
    for c in el:
        tag = _local(c.tag)
        if tag in ("Folder", "Document"):
            name = _text(_child(c, "name")) or f"({tag.lower()})"
            sub = path + [name] if tag == "Folder" else path
            if tag == "Document" and not path and not any(
                    _local(x.tag) == "Folder" for x in c):
                sub = [name]
            _kml_walk(c, sub, out)
        elif tag == "Placemark":
            out.setdefault("/".join(path) or "(document)", []).append(c)


def _kml_props(pm: ET.Element) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in ("name", "description"):
        el = _child(pm, key)
        if el is not None:
            # description is HTML in Google Earth exports: kept as text (data), never
            # interpreted; every renderer escapes it.
            props[key] = "".join(el.itertext()).strip()
    ext = _child(pm, "ExtendedData")
    if ext is not None:
        for d in ext.iter():
            tag = _local(d.tag)
            if tag == "Data" and d.get("name"):
                props[d.get("name", "")] = _text(_child(d, "value"))
            elif tag == "SimpleData" and d.get("name"):
                props[d.get("name", "")] = (d.text or "").strip()
    return props


def _kml_coords(text: str, budget: _Budget, where: str) -> tuple[np.ndarray[Any, Any], int]:
    source = budget.source
    rows, dropped = [], 0
    tuples = text.split()
    budget.add_vertices(len(tuples))
    for tup in tuples:
        parts = tup.split(",")
        try:
            vals = [float(v) for v in parts if v != ""]
        except ValueError:
            raise InputError(f"{where}: coordinate {tup!r} is not lon,lat[,alt]",
                             source=source, fix="repair or re-export the file") from None
        if len(vals) < 2:
            raise InputError(f"{where}: coordinate {tup!r} is not lon,lat[,alt]",
                             source=source, fix="repair or re-export the file")
        dropped += len(vals) > 2
        rows.append(vals[:2])
    arr = np.array(rows, dtype=float).reshape(-1, 2)
    if not np.isfinite(arr).all():
        raise InputError(f"{where}: some coordinates are NaN or infinite", source=source,
                         fix="remove or repair those vertices")
    return arr, dropped


def _kml_geom(el: ET.Element, budget: _Budget,
              where: str) -> tuple[shapely.Geometry, int] | None:
    source = budget.source
    tag = _local(el.tag)
    if tag in ("Point", "LineString", "LinearRing"):
        arr, dz = _kml_coords(_text(_child(el, "coordinates")), budget, where)
        if tag == "Point":
            if len(arr) != 1:
                raise InputError(f"{where}: a Point has {len(arr)} coordinates", source=source,
                                 fix="repair or re-export the file")
            return shapely.Point(arr[0]), dz
        if len({tuple(r) for r in arr.tolist()}) < 2:
            raise InputError(f"{where}: a {tag} has fewer than 2 distinct positions",
                             source=source, fix="remove the placemark or redraw the line")
        return shapely.LineString(arr), dz
    if tag == "Polygon":
        rings: list[np.ndarray[Any, Any]] = []
        dz = 0
        for bname in ("outerBoundaryIs", "innerBoundaryIs"):
            for b in (c for c in el if _local(c.tag) == bname):
                lr = _child(b, "LinearRing")
                if lr is None:
                    continue
                arr, d = _kml_coords(_text(_child(lr, "coordinates")), budget, where)
                dz += d
                builder = _GeoJSONGeometry(source, where)
                ring = builder.ring(arr.tolist(), "outer" if bname[0] == "o" else "inner")
                if ring is not None:
                    rings.append(ring)
        if not rings:
            raise InputError(f"{where}: a Polygon has no outer ring", source=source,
                             fix="repair or re-export the file")
        return shapely.Polygon(rings[0], rings[1:]), dz
    if tag == "MultiGeometry":
        parts = [g for g in (_kml_geom(c, budget, where) for c in el) if g is not None]
        if not parts:
            return None
        return _homogeneous([g for g, _ in parts]), sum(n for _, n in parts)
    if tag in ("Track", "MultiTrack"):
        coords = [c for c in el.iter() if _local(c.tag) == "coord"]
        if coords:
            text = " ".join(",".join(_text(c).split()) for c in coords)
            arr, dz = _kml_coords(text, budget, where)
            if len(arr) >= 2:
                return shapely.LineString(arr), dz
    return None
