"""The files an output must never replace: the inputs, a shapefile input's parts, the packaged data.

An output is never one of the inputs: the same path, a symlink or a hard link to it
(compared by resolved path and by ``(st_dev, st_ino)``), nor a part of a shapefile input
(``.shp .shx .dbf .prj .cpg .qix .sbn .sbx .shp.xml ...``, existing or not: a new ``.prj``
beside an input ``.shp`` changes its CRS), nor a file of gazamap's packaged data
(``geo/data``). :func:`geo.write.outputs.check_output` asks :func:`check_not_an_input`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from geo.errors import OutputError

__all__ = [
    "SHAPEFILE_PARTS",
    "PathLike",
    "_part_suffix",
    "_refuse",
    "_shapefile_parts",
    "_stem",
    "check_not_an_input",
    "input_files",
]

PathLike = str | os.PathLike[str]

# Every file a GIS may read with a shapefile (ESRI, GDAL, QGIS): writing one of these next
# to a shapefile input changes that input even when the file does not exist yet (a new
# .prj changes its CRS, a new .cpg its encoding, a stale .qix its spatial index).
SHAPEFILE_PARTS: tuple[str, ...] = (
    ".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".fbn", ".fbx",
    ".ain", ".aih", ".atx", ".ixs", ".mxs", ".qpj", ".qmd", ".shp.xml", ".aux.xml",
    ".dbf.xml", ".shp.iso.xml",
)

# gazamap's own datasets, catalog and ledgers: inputs of every command, named by id
_PACKAGED_DATA = Path(__file__).resolve().parents[1] / "data"  # geo/data


def _part_suffix(name: str) -> str | None:
    """The shapefile part suffix ``name`` ends with (longest first), or None."""
    low = name.lower()
    for suf in sorted(SHAPEFILE_PARTS, key=len, reverse=True):
        if low.endswith(suf) and len(low) > len(suf):
            return suf
    return None


def _stem(name: str) -> str:
    suf = _part_suffix(name)
    return name[: len(name) - len(suf)] if suf else name


def input_files(inputs: Iterable[PathLike | None]) -> list[Path]:
    """Every file the ``inputs`` stand for, as absolute paths (existing files first).

    A shapefile part (``x.shp``, ``x.dbf``, ...) stands for every part of that shapefile
    in its folder (names compared case-insensitively, as GDAL does); a folder stands for
    itself and the files in it. Entries that are ``None`` or empty are skipped; paths that
    do not exist are kept (an output must not be created in their place either).

    >>> [p.name for p in input_files([None, ""])]
    []
    """
    out: dict[Path, None] = {}
    for item in inputs:
        if item is None or str(item) == "":
            continue
        p = Path(os.path.abspath(item))
        out[p] = None
        try:
            if p.is_dir():
                out.update(dict.fromkeys(q for q in sorted(p.iterdir()) if q.is_file()))
            elif _part_suffix(p.name) in SHAPEFILE_PARTS:
                out.update(dict.fromkeys(_shapefile_parts(p)))
        except OSError:
            continue  # unreadable: compared by its own path only
    return list(out)


def _shapefile_parts(part: Path) -> list[Path]:
    stem = _stem(part.name).lower()
    return sorted(q for q in part.parent.iterdir()
                  if _stem(q.name).lower() == stem and _part_suffix(q.name) and q.is_file())


def _identity(p: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(p)  # follows symlinks: a link to an input is that input
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _refuse(target: PathLike, problem: str, fix: str) -> OutputError:
    """The refusal of an output target, as one line: target, problem, fix."""
    return OutputError(problem, source=str(target), fix=fix)


def check_not_an_input(target: PathLike, final: Path, st: os.stat_result | None,
                       inputs: Iterable[PathLike | None]) -> None:
    """Refuse ``target`` (resolved to ``final``, ``st`` its stat or None) if it is an input.

    One of ``inputs`` or of the files they stand for (:func:`input_files`), a shapefile
    part that would join an input shapefile or folder, or the packaged data.
    """
    ident = (st.st_dev, st.st_ino) if st is not None else None
    folder_id = _identity(final.parent)
    packaged = Path(os.path.realpath(_PACKAGED_DATA))
    if final.is_relative_to(packaged) or folder_id == _identity(packaged):
        raise _refuse(target, "the output would overwrite gazamap's packaged data (its "
                              "datasets, catalog and ledgers are inputs)",
                      "choose another output path")
    given = [Path(os.path.abspath(i)) for i in inputs if i is not None and str(i) != ""]
    for p in input_files(given):
        real = Path(os.path.realpath(p))
        same_path = real == final
        same_file = ident is not None and _identity(real) == ident
        if same_path or same_file:
            how = ("" if same_path and Path(os.path.abspath(target)) == p
                   else " (the same file through a link)")
            owner = _owner(p, given)
            what = (f"{p.name!r}, a part of the shapefile input {str(owner)!r}"
                    if owner != p else f"the input {str(p)!r}")
            raise _refuse(target, f"the output would overwrite {what}{how}",
                          "choose another output path")
    # parts that do not exist yet: a new x.prj or x.cpg beside an input x.shp changes it
    suffix = _part_suffix(final.name)
    if suffix is None:
        return
    for g in given:
        real = Path(os.path.realpath(g))
        if real.is_dir():
            same_folder = real == final.parent or (
                folder_id is not None and _identity(real) == folder_id)
            if same_folder:
                raise _refuse(target, f"the output would add the shapefile part "
                                      f"{final.name!r} to the input folder {str(g)!r}",
                              "choose another folder or file name")
        elif _part_suffix(real.name) is not None:
            same_folder = real.parent == final.parent or (
                folder_id is not None and _identity(real.parent) == folder_id)
            if same_folder and _stem(real.name).lower() == _stem(final.name).lower():
                raise _refuse(target, f"the output would overwrite {final.name!r}, a part "
                                      f"of the shapefile input {str(g)!r}",
                              "choose another output path")


def _owner(p: Path, given: list[Path]) -> Path:
    """The input the user named that ``p`` comes from (itself, its shapefile or folder)."""
    if p in given:
        return p
    for g in given:
        if g == p.parent or (_part_suffix(g.name) and g.parent == p.parent
                             and _stem(g.name).lower() == _stem(p.name).lower()):
            return g
    return p
