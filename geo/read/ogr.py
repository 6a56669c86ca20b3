"""GeoPackage and Shapefile input through pyogrio (imported only when such a file is given)."""

from __future__ import annotations

import codecs
import math
import os
import secrets
import shutil
import sqlite3
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.errors import InputError, ReadLimitError
from geo.read.base import (
    _SHP_PARTS,
    _Budget,
    _choose_layer,
    _guess_legacy,
    _Raw,
    _read_member,
    _warn,
)
from geo.read.features import Feature

__all__ = [
    "_SHP_PARTS",
    "_gpkg_layers",
    "_list_gpkg",
    "_read_gpkg",
    "_read_shapefile",
]



@contextmanager
def _gdal_warnings(budget: _Budget) -> Iterator[None]:
    """GDAL's warnings, each said once, capped, and naming the user's file.

    GDAL speaks of the private copy it reads and may repeat a ~1 MB field value: the
    user needs to know which file the warning is about, in one line.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen: set[str] = set()
    for w in caught:
        text = " ".join(budget.scrub(str(w.message)).split())
        if len(text) > _MAX_WARNING:
            text = text[:_MAX_WARNING] + f"... ({len(text) - _MAX_WARNING:,} characters more)"
        if text not in seen:
            seen.add(text)
            _warn(budget.source, f"GDAL: {text}")


_MAX_WARNING = 200


@contextmanager
def _gdal_option(name: str, value: str | None) -> Iterator[None]:
    import pyogrio

    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: None})


# Features per GDAL call: a call cannot be interrupted, so the time budget is checked
# between batches (reading 65,536 features of a shapefile takes about 0.1 s).
_BATCH = 65_536


def _ogr_read(path: Path, layer: str, encoding: str | None,
              budget: _Budget) -> tuple[dict[str, Any], Any, Any]:
    """One layer through GDAL in batches, at most ``max_features`` + 1 rows.

    The + 1 shows an excess; ``max_seconds`` is checked between batches.
    """
    import pyogrio.errors
    import pyogrio.raw

    if encoding is not None:
        encoding = _gdal_encoding(encoding)
    meta: dict[str, Any] = {}
    geoms: list[Any] = []
    columns: list[list[Any]] = []
    n = 0
    while True:
        budget.tick()
        want = min(_BATCH, budget.max_features + 1 - n)
        try:
            with _gdal_warnings(budget):
                meta, _, g, fd = pyogrio.raw.read(str(path), layer=layer, encoding=encoding,
                                                  skip_features=n, max_features=want)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
                pyogrio.errors.FieldError, pyogrio.errors.GeometryError,
                pyogrio.errors.CRSError, pyogrio.errors.FeatureError) as exc:
            raise InputError(f"GDAL cannot read it ({budget.scrub(str(exc))})",
                             source=budget.source,
                             fix="check the file in QGIS and export it again") from None
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source="`encoding`",
                             fix="give a codec name such as utf-8, cp1256, latin-1") from None
        geoms.append(g)
        columns = [*columns, *([] for _ in range(len(fd) - len(columns)))]
        for col, part in zip(columns, fd, strict=True):
            col.append(part)
        n += len(g)
        if len(g) < want or n > budget.max_features:
            break
    if n > budget.max_features:
        raise ReadLimitError(f"the layer {layer!r} holds more than {budget.max_features:,} "
                             "features, the limit (max_features)", source=budget.source,
                             fix="split the file, keep only the features needed, or raise "
                                 "max_features")
    return meta, np.concatenate(geoms), [np.concatenate(c) for c in columns]


def _gdal_encoding(encoding: str) -> str:
    """A Python codec name as GDAL spells it (GDAL knows ISO-8859-1, not latin-1)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source="`encoding`",
                         fix="give a codec name such as utf-8, cp1256, latin-1") from None
    return {"iso8859-1": "ISO-8859-1", "utf-8": "UTF-8"}.get(name, name.upper())


def _ogr_features(meta: dict[str, Any], geoms: Any, field_data: Any,
                  budget: _Budget) -> list[Feature]:
    source = budget.source
    names = list(meta["fields"])
    try:
        shapes = shapely.from_wkb(geoms)
    except shapely.errors.ShapelyError:
        shapes = None
    if shapes is None:  # find the culprit, for the message
        for i, wkb in enumerate(geoms):
            try:
                shapely.from_wkb(wkb)
            except shapely.errors.ShapelyError as exc:
                raise InputError(f"feature #{i + 1} has a malformed geometry ({exc})",
                                 source=source, fix="repair or re-export the file") from None
    keep = np.flatnonzero(~shapely.is_missing(shapes))
    budget.add_features(len(keep))
    budget.add_vertices(int(shapely.get_num_coordinates(shapes[keep]).sum()))
    columns = [[_plain(v) for v in col[keep].tolist()] for col in field_data]
    feats = [Feature(shapes[i], dict(zip(names, row, strict=True)))
             for i, row in zip(keep, zip(*columns, strict=True) if columns else
                               ([] for _ in keep), strict=True)]
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


def _sqlite_kinds(path: Path, budget: _Budget) -> dict[str, str]:
    """What each name of a GeoPackage is in SQLite: "table", "view" or "virtual table".

    Read with the standard sqlite3 module from the private copy (see
    :func:`_private_gpkg`), with its -wal: a view created since the last checkpoint is
    seen as GDAL will see it. A progress handler stops a query running past the time
    budget.
    """
    uri = path.resolve().as_uri()
    con = sqlite3.connect(uri, uri=True)
    deadline = budget.started + budget.max_seconds
    con.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        rows = con.execute("SELECT name, type, sql FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"not a readable GeoPackage ({exc})", source=budget.source,
                         fix="check the file in QGIS and export it again") from None
    finally:
        con.close()
    return {str(n): ("virtual table" if t == "table" and str(q or "").lstrip().upper()
                     .startswith("CREATE VIRTUAL") else str(t)) for n, t, q in rows}


def _gpkg_layers(path: Path, budget: _Budget) -> list[str]:
    """The names of the layers with geometry (tables, views, as GDAL lists them)."""
    import pyogrio

    try:
        with _gdal_warnings(budget):
            found = pyogrio.list_layers(str(path))
        return [str(n) for n, t in found if t is not None]
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(f"not a readable GeoPackage ({exc})", source=budget.source,
                         fix="check the file in QGIS and export it again") from None


# SQLite's sidecars: a GeoPackage copied while QGIS has it open comes with its -wal
# (changes not yet written into the file) and -shm (the WAL's index).
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


@contextmanager
def _private_gpkg(path: Path, budget: _Budget) -> Iterator[Path]:
    """A private copy of a GeoPackage and its SQLite sidecars, removed afterwards.

    Reading must never change an input: GDAL's normal open of a GeoPackage in WAL mode
    checkpoints it (the file is rewritten, its -wal and -shm deleted), and an immutable
    open would ignore the changes held in the -wal. The copy is read as SQLite would
    read the original, and the user's files are never opened for writing.
    """
    with _scratch_dir("gazamap-gpkg-") as td:
        copy = td / ("layers" + path.suffix.lower())
        for side in ("", *_SQLITE_SIDECARS):
            part = Path(str(path) + side)
            if side and not part.is_file():
                continue
            if side:
                budget.add_bytes(part.stat().st_size, f"the sidecar {part.name!r}")
            shutil.copyfile(part, str(copy) + side)
        budget.aliases[str(copy)] = budget.source
        yield copy


def _list_gpkg(path: Path, budget: _Budget) -> list[str]:
    """The layers of a GeoPackage, read from a private copy (see :func:`_private_gpkg`)."""
    with _private_gpkg(path, budget) as copy:
        return _gpkg_layers(copy, budget)


def _read_gpkg(path: Path, layer: str | None, budget: _Budget) -> _Raw:
    with _private_gpkg(path, budget) as copy:
        return _read_gpkg_file(copy, layer, budget)


def _read_gpkg_file(path: Path, layer: str | None, budget: _Budget) -> _Raw:
    source = budget.source
    kinds = _sqlite_kinds(path, budget)
    layers = _gpkg_layers(path, budget)
    if not layers:
        raise InputError("the GeoPackage has no layer with geometry", source=source,
                         fix="export the layer with its geometry column")
    name = _choose_layer(layers, layer, source)
    kind = kinds.get(name, "table")
    if kind != "table":
        # A view is a query: a recursive one yields rows without end (a 98 KB file ran for
        # ever, issue 9), and GDAL cannot be interrupted while it counts them.
        raise InputError(f"the layer {name!r} is an SQL {kind}, not a table (refused: a "
                         "query can compute rows without end)", source=source,
                         fix="save the layer as a table (QGIS: Export > Save Features As)")
    meta, geoms, fd = _ogr_read(path, name, None, budget)
    if meta["crs"] is None:
        _check_gpkg_srs(path, name, budget)
    return _Raw(_ogr_features(meta, geoms, fd, budget), crs=meta["crs"])


def _check_gpkg_srs(path: Path, layer: str, budget: _Budget) -> None:
    """Refuse a layer whose declared CRS GDAL could not read (never guess lon/lat).

    GDAL reports no CRS both for a layer declared "undefined" (srs_id 0 or -1) and for one
    whose definition in gpkg_spatial_ref_sys is missing or unreadable; only the first may
    be read as lon/lat by the usual plausibility rule.
    """
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        row = con.execute("SELECT g.srs_id, s.definition FROM gpkg_geometry_columns g "
                          "LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id "
                          "WHERE g.table_name = ?", (layer,)).fetchone()
    except sqlite3.DatabaseError:
        return  # no such tables: GDAL's reading stands
    finally:
        con.close()
    if row is None or row[0] in (0, -1):
        return
    srs_id, definition = row
    what = "has no definition" if not definition or definition == "undefined" else \
        "has a definition that cannot be read"
    raise InputError(f"the layer {layer!r} declares the CRS srs_id {srs_id}, which {what} "
                     "in the file's gpkg_spatial_ref_sys (refused: reading it as lon/lat "
                     "would be a guess)", source=budget.source,
                     fix="set the layer's CRS in QGIS and export it again")


@contextmanager
def _scratch_dir(prefix: str) -> Iterator[Path]:
    """A private temporary folder, removed on every way out.

    SIGTERM becomes SystemExit (maps.cli) and SIGINT KeyboardInterrupt, both of which
    unwind through ``finally``; one arriving while the folder is being removed would
    stop ``rmtree`` half-way (``TemporaryDirectory`` leaves the rest), so the removal is
    finished before the exception goes on. The name is chosen before the folder is made
    (``mkdtemp`` can be interrupted between making it and returning its name).
    """
    name = os.path.join(tempfile.gettempdir(), prefix + secrets.token_hex(8))
    ours = name
    try:
        try:
            os.mkdir(name, 0o700)
        except FileExistsError:  # not ours: never removed
            ours = ""
            raise
        yield Path(name)
    finally:
        if ours:
            try:
                shutil.rmtree(ours, ignore_errors=True)
            except BaseException:
                shutil.rmtree(ours, ignore_errors=True)
                raise


def _stage_shapefile(path: Path, layer: str | None, tmp: Path, budget: _Budget) -> Path:
    """Copy the chosen shapefile's parts into ``tmp`` (from a .shp, a folder or a .zip).

    Every part counts against ``max_mb`` (the unpacked size for a zip member) before it is
    copied: a 20 MB ``.dbf`` beside a 1 KB ``.shp`` is 20 MB of input.
    """
    source = budget.source
    if path.suffix.lower() == ".zip" or (path.is_file() and path.suffix.lower() != ".shp"):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError("not a valid zip archive", source=source,
                             fix="download it again") from None
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
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
                    (tmp / (stem + p.suffix.lower())).write_bytes(_read_member(zf, m, budget))
        # GDAL's messages name the copy: "lines.zip/lines.shp" names the member instead
        budget.aliases[str(tmp)] = str(path)
        return tmp / f"{stem}.shp"
    if path.is_dir():
        stems = sorted({p.stem for p in path.iterdir() if p.suffix.lower() == ".shp"})
        stem = _choose_layer(stems, layer, source)
        folder = path
    else:
        stem, folder = path.stem, path.parent
    parts = [p for p in folder.iterdir() if p.stem == stem and p.suffix.lower() in _SHP_PARTS]
    for p in parts:
        if not p.is_file():  # a FIFO or /dev/zero (through a link) would be read for ever
            raise InputError(f"{p.name} is not a regular file", source=source,
                             fix="replace it with the real file")
        size = p.stat().st_size
        budget.add_bytes(size, f"{p.name} ({size / 1e6:.3g} MB)")
    for p in parts:
        shutil.copyfile(p, tmp / (stem + p.suffix.lower()))
    budget.aliases[str(tmp)] = str(folder)
    return tmp / f"{stem}.shp"


def _dbf_text_bytes(dbf: Path, budget: _Budget) -> tuple[int, bytes]:
    """The dBase language-driver byte and the raw bytes of its character fields.

    The header's record count and sizes are checked against the file's real size before
    looping on them (a 147-byte .dbf claiming 4 billion records looped for ever).
    """
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return 0, b""
    ldid = raw[29]
    nrec = int.from_bytes(raw[4:8], "little")
    hlen = int.from_bytes(raw[8:10], "little")
    rlen = int.from_bytes(raw[10:12], "little")
    if hlen < 33 or hlen + nrec * rlen > len(raw) or (nrec and rlen == 0):
        raise InputError(
            f"{dbf.stem}.dbf is corrupt: its header claims {nrec:,} records of {rlen:,} bytes "
            f"after a {hlen:,}-byte header ({hlen + nrec * rlen:,} bytes), but the file has "
            f"{len(raw):,} bytes", source=budget.source,
            fix="export the shapefile again (or repair the .dbf in a GIS)")
    fields, off, pos = [], 1, 32
    while pos + 32 <= hlen and raw[pos] != 0x0D:
        ftype, flen = chr(raw[pos + 11]), raw[pos + 16]
        if ftype == "C":
            fields.append((off, flen))
        off += flen
        pos += 32
    chunks = []
    for i in range(nrec):
        if i % 4096 == 0:
            budget.tick()
        base = hlen + i * rlen
        chunks += [raw[base + o: base + o + n] for o, n in fields]
    return ldid, b" ".join(chunks)


def _read_shapefile(path: Path, layer: str | None, encoding: str | None,
                    budget: _Budget) -> _Raw:
    source = budget.source
    with _scratch_dir("gazamap-shp-") as td:
        shp = _stage_shapefile(path, layer, Path(td), budget)
        have = {p.suffix for p in Path(td).iterdir()}
        if ".shp" not in have:
            raise InputError(f"the .shp part of {shp.name!r} is missing", source=source,
                             fix="copy the .shp beside the other parts")
        if ".dbf" not in have:
            _warn(source, f"{shp.stem}.dbf is missing: the features have no attributes "
                          "(names and ids are lost; messages use feature numbers)")
        if encoding is None and ".cpg" not in have and ".dbf" in have:
            ldid, text = _dbf_text_bytes(Path(td) / f"{shp.stem}.dbf", budget)
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
                            fix="give its encoding with `encoding` (e.g. cp1256, latin-1) "
                                "or add a .cpg file") from None
                    encoding = guess
                    _warn(source, f"{shp.stem}.cpg is missing and the attribute text is not "
                                  "UTF-8; read it as cp1256 (Windows Arabic) because it "
                                  "decodes to Arabic letters; give `encoding` to choose "
                                  "another")
        restore = None
        if ".shx" not in have:
            restore = "YES"
            _warn(source, f"{shp.stem}.shx (the index) is missing; rebuilt it from the .shp "
                          "in a temporary copy (your files are unchanged)")
        with _gdal_option("SHAPE_RESTORE_SHX", restore):
            meta, geoms, fd = _ogr_read(shp, shp.stem, encoding, budget)
        # no .prj: crs None, decided by geo.read.checks.lonlat_features (lon/lat if
        # plausible, else refused)
        return _Raw(_ogr_features(meta, geoms, fd, budget), crs=meta["crs"])
