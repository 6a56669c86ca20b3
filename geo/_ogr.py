"""GeoPackage and Shapefile input through pyogrio (imported only when such a file is given)."""

from __future__ import annotations

import codecs
import math
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._readbase import _choose_layer, _guess_legacy, _Raw, _warn
from geo.errors import InputError
from geo.features import Feature

__all__ = [
    "_read_gpkg",
    "_read_shapefile",
]

_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@contextmanager
def _gdal_option(name: str, value: str | None) -> Iterator[None]:
    import pyogrio

    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: None})


def _ogr_read(path: Path, layer: str, encoding: str | None) -> tuple[dict[str, Any], Any, Any]:
    import pyogrio.errors
    import pyogrio.raw

    if encoding is not None:
        encoding = _gdal_encoding(encoding)
    try:
        meta, _, geoms, field_data = pyogrio.raw.read(str(path), layer=layer,
                                                      encoding=encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError,
            pyogrio.errors.CRSError, pyogrio.errors.FeatureError) as exc:
        raise InputError(f"GDAL cannot read it ({exc})", source=str(path),
                         fix="check the file in QGIS and export it again") from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                         fix="give a codec name such as utf-8, cp1256, latin-1") from None
    return meta, geoms, field_data


def _gdal_encoding(encoding: str) -> str:
    """A Python codec name as GDAL spells it (GDAL knows ISO-8859-1, not latin-1)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source="--encoding",
                         fix="give a codec name such as utf-8, cp1256, latin-1") from None
    return {"iso8859-1": "ISO-8859-1", "utf-8": "UTF-8"}.get(name, name.upper())


def _ogr_features(meta: dict[str, Any], geoms: Any, field_data: Any,
                  source: str) -> list[Feature]:
    names = list(meta["fields"])
    feats = []
    for i, wkb in enumerate(geoms):
        if wkb is None:
            continue
        try:
            g = shapely.from_wkb(wkb)
        except shapely.errors.ShapelyError as exc:
            raise InputError(f"feature #{i + 1} has a malformed geometry ({exc})",
                             source=source, fix="repair or re-export the file") from None
        props = {n: _plain(col[i]) for n, col in zip(names, field_data, strict=True)}
        feats.append(Feature(g, props))
    if not feats:
        raise InputError(f"none of the {len(geoms)} feature(s) has a geometry", source=source,
                         fix="export a layer that contains the line or polygon")
    return feats


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _read_gpkg(path: Path, layer: str | None) -> _Raw:
    import pyogrio

    source = str(path)
    try:
        layers = [str(n) for n, t in pyogrio.list_layers(str(path)) if t is not None]
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(f"not a readable GeoPackage ({exc})", source=source,
                         fix="check the file in QGIS and export it again") from None
    if not layers:
        raise InputError("the GeoPackage has no layer with geometry", source=source,
                         fix="export the layer with its geometry column")
    name = _choose_layer(layers, layer, source)
    meta, geoms, fd = _ogr_read(path, name, None)
    return _Raw(_ogr_features(meta, geoms, fd, source), crs=meta["crs"])


def _stage_shapefile(path: Path, layer: str | None, tmp: Path, max_mb: float) -> Path:
    """Copy the chosen shapefile's parts into ``tmp`` (from a .shp, a folder or a .zip)."""
    source = str(path)
    if path.suffix.lower() == ".zip" or (path.is_file() and path.suffix.lower() != ".shp"):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError("not a valid zip archive", source=source,
                             fix="download it again") from None
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            total_mb = sum(m.file_size for m in members) / 1e6
            if total_mb > max_mb:
                raise InputError(f"the archive unpacks to {total_mb:.1f} MB, over the "
                                 f"{max_mb:g} MB limit", source=source,
                                 fix="raise --max-input-mb or simplify the data")
            stems = sorted({Path(m.filename).stem for m in members
                            if m.filename.lower().endswith(".shp")})
            if not stems:
                raise InputError("the zip archive holds no .shp shapefile", source=source,
                                 fix="zip the .shp with its .shx, .dbf, .prj and .cpg")
            stem = _choose_layer(stems, layer, source)
            for m in members:
                p = Path(m.filename)
                if p.stem == stem and p.suffix.lower() in _SHP_PARTS:
                    # only the base name: a member called ../../x must not escape tmp
                    (tmp / (stem + p.suffix.lower())).write_bytes(zf.read(m))
        return tmp / f"{stem}.shp"
    if path.is_dir():
        stems = sorted({p.stem for p in path.iterdir() if p.suffix.lower() == ".shp"})
        stem = _choose_layer(stems, layer, source)
        folder = path
    else:
        stem, folder = path.stem, path.parent
    for p in folder.iterdir():
        if p.stem == stem and p.suffix.lower() in _SHP_PARTS:
            shutil.copyfile(p, tmp / (stem + p.suffix.lower()))
    return tmp / f"{stem}.shp"


def _dbf_text_bytes(dbf: Path) -> tuple[int, bytes]:
    """The dBase language-driver byte and the raw bytes of its character fields."""
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return 0, b""
    ldid = raw[29]
    nrec = int.from_bytes(raw[4:8], "little")
    hlen = int.from_bytes(raw[8:10], "little")
    rlen = int.from_bytes(raw[10:12], "little")
    fields, off, pos = [], 1, 32
    while pos + 32 <= hlen and raw[pos] != 0x0D:
        ftype, flen = chr(raw[pos + 11]), raw[pos + 16]
        if ftype == "C":
            fields.append((off, flen))
        off += flen
        pos += 32
    chunks = []
    for i in range(nrec):
        base = hlen + i * rlen
        chunks += [raw[base + o: base + o + n] for o, n in fields]
    return ldid, b" ".join(chunks)


def _read_shapefile(path: Path, layer: str | None, encoding: str | None,
                    max_mb: float) -> _Raw:
    source = str(path)
    with tempfile.TemporaryDirectory(prefix="gazamap-shp-") as td:
        shp = _stage_shapefile(path, layer, Path(td), max_mb)
        have = {p.suffix for p in Path(td).iterdir()}
        if ".shp" not in have:
            raise InputError(f"the .shp part of {shp.name!r} is missing", source=source,
                             fix="copy the .shp beside the other parts")
        if ".dbf" not in have:
            _warn(source, f"{shp.stem}.dbf is missing: the features have no attributes "
                          "(names and ids are lost; messages use feature numbers)")
        if encoding is None and ".cpg" not in have and ".dbf" in have:
            ldid, text = _dbf_text_bytes(Path(td) / f"{shp.stem}.dbf")
            if ldid == 0 and any(b >= 0x80 for b in text):
                try:
                    text.decode("utf-8")
                    encoding = "utf-8"
                except UnicodeDecodeError:
                    guess = _guess_legacy(text)
                    if guess is None:
                        raise InputError(
                            f"{shp.stem}.cpg is missing and the attribute text is not UTF-8",
                            source=source,
                            fix="give its encoding with --encoding (e.g. cp1256, latin-1) "
                                "or add a .cpg file") from None
                    encoding = guess
                    _warn(source, f"{shp.stem}.cpg is missing and the attribute text is not "
                                  "UTF-8; read it as cp1256 (Windows Arabic) because it "
                                  "decodes to Arabic letters; give --encoding to choose "
                                  "another")
        restore = None
        if ".shx" not in have:
            restore = "YES"
            _warn(source, f"{shp.stem}.shx (the index) is missing; rebuilt it from the .shp "
                          "in a temporary copy (your files are unchanged)")
        with _gdal_option("SHAPE_RESTORE_SHX", restore):
            meta, geoms, fd = _ogr_read(shp, shp.stem, encoding)
        # no .prj: crs None, decided by _resolve_crs (lon/lat if plausible, else refused)
        return _Raw(_ogr_features(meta, geoms, fd, source), crs=meta["crs"])
