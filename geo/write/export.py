"""Export an analysis: its zones and lines, and the layers asked for, in formats every client opens.

The zones carry their km², shares, intervals, datasets and method, every layer its
provenance. Each format has its encoder: GeoJSON (:mod:`geo.write.geojson`), KML
(:mod:`geo.write.kml`), CSV with the files beside it (:mod:`geo.write.delimited`),
GeoPackage, FlatGeobuf and GeoParquet (:mod:`geo.write.binary`).

Coordinates are rounded to :data:`geo.geometry.precision.COORD_DECIMALS` decimals in the text
formats (GeoJSON, KML, CSV); every figure was computed before, from full precision. Every
file is written atomically through the output guard and never over an input; a bad
output is refused before any work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geo.defaults import EXPORT_FORMATS
from geo.errors import InputError
from geo.read.features import Feature
from geo.write.binary import UNDATED, encode_fgb, encode_gpkg, encode_parquet
from geo.write.delimited import CSV_GEOMETRY, csv_documents, encode_csv
from geo.write.geojson import encode_geojson
from geo.write.kml import encode_kml
from geo.write.layer import ExportLayer, ExportStyles, KmlStyles
from geo.write.outputs import check_output, write_output

if TYPE_CHECKING:  # the export reads what the request resolved: types only
    from geo.analysis import Analysis
    from geo.catalog import Catalog
    from geo.read.sources import Source

__all__ = [
    "EXPORT_FORMATS",
    "ExportLayer",
    "ExportStyles",
    "KmlStyles",
    "format_from_path",
    "partition_layers",
    "source_layer",
    "markers_layer",
    "encode_layers",
    "sidecar_paths",
    "newest_date",
    "export_partition",
]

ExportFormat = Literal["geojson", "gpkg", "kml", "csv", "parquet", "fgb"]
_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml",
             ".csv": "csv", ".parquet": "parquet", ".fgb": "fgb"}
_BINARY = frozenset({"gpkg", "parquet", "fgb"})
_PROVENANCE_KEYS = ("ref", "title", "source", "url", "licence", "attribution", "method",
                    "uncertainty_m")


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The export format implied by a file name.

    >>> format_from_path("zones.gpkg"), format_from_path("out.GeoJSON")
    ('gpkg', 'geojson')
    >>> format_from_path("z.parquet"), format_from_path("z.fgb")
    ('parquet', 'fgb')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"cannot tell the format from the extension {suffix!r}",
                         source=str(path), fix=f"give `format` {'|'.join(EXPORT_FORMATS)}")
    return _SUFFIXES[suffix]


def _src_provenance(src: Source) -> dict[str, Any]:
    if src.dataset is not None:
        prov = src.dataset.provenance()
        return {k: prov.get(k) for k in _PROVENANCE_KEYS}
    ident = src.identity
    return {"ref": src.ref, "file": ident.get("file"), "sha256": ident.get("sha256"),
            "source": f"user file {ident.get('file')}",
            "licence": "as stated by the file's author",
            "attribution": "", "method": "read by gazamap (geo.read.io)"}


def partition_layers(analysis: Analysis) -> list[ExportLayer]:
    """The zones (with km², shares, intervals and provenance) and the dividing lines as used.

    The lines are the layers ``line``, ``line-2``, ... in their order from the Israel
    border westward; each feature's ``layer`` property is its layer's name.
    """
    srcs = [analysis.boundary, *(ln.source for ln in analysis.lines)]
    datasets = "; ".join(analysis.provenance.datasets)
    licences = "; ".join(_src_provenance(s).get("licence") or "" for s in srcs)
    attrib = "; ".join(a for a in (_src_provenance(s).get("attribution") or ""
                                   for s in srcs) if a)
    method = analysis.method
    zones = []
    for z in analysis.zones:
        props = {
            "layer": "zones",
            "zone": z.id,
            "label": z.label,
            "area_km2": z.area_km2,
            "share_pct": z.share_pct,
            "share_pct_low": z.interval.low if z.interval else None,
            "share_pct_high": z.interval.high if z.interval else None,
            "share_pct_of_365": z.shares_of.get("365"),
            "boundary": analysis.boundary.ref,
            "line": " + ".join(ln.ref for ln in analysis.lines),
            "datasets": datasets,
            "licence": licences,
            "attribution": attrib,
            "method": f"{analysis.lines[0].method} method; {method.area}",
        }
        zones.append(Feature(z.geometry, props))
    layers = [ExportLayer("zones", zones, {"datasets": datasets, "method": method.to_dict(),
                                           "warnings": [*analysis.notes,
                                                        *analysis.warnings]})]
    for i, ln in enumerate(analysis.lines):
        if ln.geometry is None:
            continue
        name = "line" if i == 0 else f"line-{i + 1}"
        lp = {"layer": name, "name": ln.words, "dataset": ln.ref,
              "repairs": "; ".join(ln.repairs), **_flat(_src_provenance(ln.source))}
        layers.append(ExportLayer(name, [Feature(ln.geometry, lp)],
                                  _src_provenance(ln.source)))
    return layers


def _flat(prov: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in prov.items() if k in ("licence", "attribution", "source")}


def source_layer(src: Source, *, name: str | None = None) -> ExportLayer:
    """A dataset or a file, as resolved, as an export layer; every feature names its source.

    The layer is called ``name``, else the dataset's id or the file's stem.
    """
    prov = _src_provenance(src)
    layer = name or (src.dataset.id if src.dataset else Path(src.label).stem)
    feats = [Feature(f.geometry, {"layer": layer, **f.properties, "dataset": src.ref,
                                  **_flat(prov)}) for f in src.features]
    return ExportLayer(layer, feats, prov)


def markers_layer(line: Source) -> ExportLayer:
    """The marker points a line was built from, with their position in the line.

    ``order`` is the 1-based position along the line from its northern end; outliers
    (left out) have ``used`` false and no order.
    """
    if line.markers is None:
        raise InputError("this line was not built from markers", source=line.label,
                         fix="give `markers`")
    rank = {i: n + 1 for n, i in enumerate(line.markers.order)}
    feats = [Feature(f.geometry, {"layer": "markers", **f.properties,
                                  "used": i in rank, "order": rank.get(i),
                                  "dataset": line.ref})
             for i, f in enumerate(line.features)]
    return ExportLayer("markers", feats, {"ref": line.ref,
                                          "outliers": list(line.markers.outliers),
                                          "notes": list(line.markers.notes)})


def sidecar_paths(out: str | os.PathLike[str], fmt: str,
                  csv_geometry: str = "sidecar") -> list[Path]:
    """The files written beside ``out``: for CSV its ``.csvt``, ``.prj`` and geometry file.

    >>> [p.name for p in sidecar_paths("zones.csv", "csv")]
    ['zones.csvt', 'zones.prj', 'zones.geometry.geojson']
    >>> sidecar_paths("zones.csv", "csv", "none"), sidecar_paths("z.kml", "kml")
    ([], [])
    """
    if fmt != "csv" or str(out) == "-":
        return []
    p = Path(out)
    paths = []
    if csv_geometry != "none":
        paths += [p.with_suffix(".csvt"), p.with_suffix(".prj")]
    if csv_geometry == "sidecar":
        paths.append(p.with_name(p.stem + ".geometry.geojson"))
    return paths


def newest_date(refs: Iterable[str], catalog: Catalog | None = None) -> str:
    """The newest date (``YYYY-MM-DD``) of the datasets ``refs`` (``id@version``).

    A partial date counts from its first day (``2025-10`` is 2025-10-01). Files and
    undated datasets are skipped; with none dated, 1970-01-01.
    """
    from geo.catalog import default_catalog

    cat = catalog or default_catalog()
    dates = [UNDATED]
    for ref in refs:
        if "@" not in ref:
            continue
        try:
            date = cat.get(ref).date
        except (InputError, KeyError):
            continue
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date.strip())
        if m:
            dates.append(f"{m[1]}-{m[2] or '01'}-{m[3] or '01'}")
    return max(dates)


def _check_layers(layers: list[ExportLayer], fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}", source="`format`",
                         fix=f"use one of {', '.join(EXPORT_FORMATS)}")
    names = [lay.name for lay in layers]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(f"two layers are named {dup!r}", source="`include`",
                         fix="include each dataset once")


def encode_layers(layers: list[ExportLayer], fmt: str, *,
                  styles: ExportStyles | None = None,
                  date: str = UNDATED) -> bytes:
    """The layers encoded as one file of format ``fmt`` (bytes).

    ``styles`` (see :data:`ExportStyles`) colour the
    KML and fill the GeoPackage's ``layer_styles``; ``date`` (``YYYY-MM-DD``) is the
    GeoPackage's ``last_change``. A CSV here carries WKT (see
    :func:`~geo.write.delimited.csv_documents` for
    the other geometry choices and the files beside it).
    """
    _check_layers(layers, fmt)
    if fmt == "kml":
        return encode_kml(layers, styles)
    if fmt == "gpkg":
        return encode_gpkg(layers, styles, date)
    encode = {"geojson": encode_geojson, "csv": encode_csv, "parquet": encode_parquet,
              "fgb": encode_fgb}[fmt]
    return encode(layers)


def _write_with_sidecars(out: str | os.PathLike[str], docs: Mapping[str, bytes],
                         beside: list[Path], inputs: list[str | os.PathLike[str]]) -> Path:
    """Write the files beside ``out``, then ``out``; on failure remove those just created.

    Each file is atomic; together they are all or (as far as new files go) nothing.
    """
    existed = {p: p.exists() for p in beside}
    done: list[Path] = []
    try:
        for suffix, path in zip([s for s in docs if s], beside, strict=True):
            write_output(path, docs[suffix], inputs=inputs)
            done.append(path)
        written = write_output(out, docs[""], inputs=inputs, stdout_ok=True)
    except BaseException:
        for path in done:
            if not existed[path]:
                path.unlink(missing_ok=True)
        raise
    return written if written is not None else Path(out)


def _check_target(out: str | os.PathLike[str], fmt: str, csv_geometry: str,
                  include: tuple[str, ...], inputs: Iterable[str | os.PathLike[str]]
                  ) -> tuple[list[str | os.PathLike[str]], list[Path]]:
    """Refuse a bad output before any work: the inputs to protect and the files beside it.

    The included files are inputs too; a CSV's sidecars must be writable and differ from
    the CSV; standard output takes no sidecar.
    """
    if fmt == "csv" and csv_geometry not in CSV_GEOMETRY:
        raise InputError(f"unknown CSV geometry {csv_geometry!r}", source="`csv_geometry`",
                         fix=f"use one of {', '.join(CSV_GEOMETRY)}")
    if str(out) == "-" and fmt == "csv" and csv_geometry == "sidecar":
        raise InputError("a CSV on standard output cannot have its geometry file beside it",
                         source="`csv_geometry`",
                         fix="write to a file, or use `csv_geometry` 'wkt' or 'none'")
    protected = [*inputs, *(s for s in include if Path(s).exists())]
    extra = sidecar_paths(out, fmt, csv_geometry)
    if any(os.path.abspath(p) == os.path.abspath(out) for p in extra):
        raise InputError(f"the CSV's name {Path(out).name!r} is also the name of a file "
                         "written beside it", source=str(out), fix="name the CSV *.csv")
    if str(out) != "-":
        for target in (*extra, out):
            check_output(target, protected)  # before the work, not only at the write
    return protected, extra


def export_partition(out: str | os.PathLike[str], analysis: Analysis, *, fmt: str | None = None,
                     include: tuple[str, ...] = (), extra_layers: tuple[ExportLayer, ...] = (),
                     inputs: Iterable[str | os.PathLike[str]] = (),
                     styles: ExportStyles | None = None,
                     csv_geometry: str = "sidecar") -> Path:
    """Write the zones, the lines and the ``include``-d datasets or files to ``out``.

    Parameters
    ----------
    out : path
        The output file, written atomically; refused if it is one of ``inputs``.
    analysis : geo.analysis.Analysis
        The partition to export (from :func:`geo.analyse`).
    fmt : str, optional
        ``geojson``, ``gpkg``, ``kml``, ``csv``, ``parquet`` or ``fgb``; default from
        ``out``'s extension.
    include : tuple of str
        More layers: dataset ids (``places``, ``governorates``, ...) or files, read with
        the analysis's catalog and read options.
    extra_layers : tuple of ExportLayer
        Layers built by the caller (e.g. the markers a line was built from).
    inputs : iterable of path
        The input files, never to be overwritten.
    styles : mapping, optional
        The colours of the layers (:data:`ExportStyles`; e.g.
        ``layers.styles.export_styles(n_lines)``): KML styles and the GeoPackage's
        ``layer_styles``.
    csv_geometry : {"sidecar", "wkt", "none"}
        Where a CSV's geometry goes (:func:`~geo.write.delimited.csv_documents`); the
        files beside the CSV
        are :func:`sidecar_paths`.

    Returns
    -------
    Path
        The file written (``out``).
    """
    fmt = fmt or format_from_path(out)
    inputs, extra = _check_target(out, fmt, csv_geometry, include, inputs)
    request = analysis.request
    layers = [*partition_layers(analysis), *extra_layers,
              *(source_layer(request.resolve(s)) for s in include)]
    if fmt == "csv":
        _check_layers(layers, fmt)
        docs = csv_documents(layers, csv_geometry)
        return _write_with_sidecars(out, docs, extra, inputs)
    refs = [*analysis.provenance.datasets,
            *(str(lay.provenance.get("ref") or "") for lay in layers)]
    data = encode_layers(layers, fmt, styles=styles, date=newest_date(refs, request.catalog))
    written = write_output(out, data, inputs=inputs, stdout_ok=fmt not in _BINARY)
    return written if written is not None else Path(out)
