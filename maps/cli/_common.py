"""Options shared by several subcommands, documented in the same words everywhere.

Input options are packed into one :class:`Inputs` object passed as the ``inputs``
keyword, so that new input options (formats, CRS, markers) reach every command that
reads lines and boundaries without changing their signatures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.catalog import DATA_DIR_ENV, Catalog, data_dirs_from_env, default_catalog
from geo.errors import InputError
from geo.io import MAX_INPUT_MB
from geo.markers import DEFAULT_OUTLIER_M
from geo.outputs import write_atomic
from geo.sources import (
    DEFAULT_BOUNDARY,
    DEFAULT_LINE,
    Source,
    looks_like_path,
    resolve,
    resolve_markers,
)

__all__ = ["Inputs", "input_options", "data_dir_option", "format_option", "out_option", "emit"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Inputs:
    """What the user named as inputs, resolved on demand into :class:`~geo.sources.Source`.

    ``read_options`` are the keyword options of :func:`geo.io.read_features` the user gave
    (``crs``, ``swap_axes``, ``layer``, ``max_mb``, ``encoding``); they apply to every
    input file. ``markers`` is a file (or points dataset) of marker positions from which
    the line is built; ``data_dirs`` are the user's data directories (added to those of
    ``GAZAMAP_DATA_DIR``).
    """

    line: str | None = DEFAULT_LINE
    boundary: str = DEFAULT_BOUNDARY
    read_options: dict[str, Any] = field(default_factory=dict)
    markers: str | None = None
    data_dirs: tuple[str, ...] = ()
    outlier_m: float = DEFAULT_OUTLIER_M

    def catalog(self) -> Catalog:
        """The packaged datasets plus the user's (``--data-dir`` and ``GAZAMAP_DATA_DIR``)."""
        return default_catalog([*data_dirs_from_env(), *self.data_dirs])

    def line_source(self, spec: str | None = None) -> Source:
        """The dividing line: ``spec``, else built from ``--markers``, else ``--line``."""
        if spec is None and self.markers:
            return self.markers_source()
        return resolve(spec or self.line or DEFAULT_LINE, "line", self.catalog(),
                       **self.read_options)

    def markers_source(self, spec: str | None = None) -> Source:
        """The line built from the marker points of ``--markers`` (or ``spec``)."""
        ref = spec or self.markers
        if not ref:
            raise InputError("no marker file was given", source="--markers",
                             fix="give --markers FILE (a CSV, GeoJSON, KML, ... of points)")
        return resolve_markers(ref, self.boundary_source().geometry, self.catalog(),
                               outlier_m=self.outlier_m, **self.read_options)

    def boundary_source(self) -> Source:
        """The outline named by ``--boundary``."""
        return resolve(self.boundary, "boundary", self.catalog(), **self.read_options)

    def paths(self) -> tuple[str, ...]:
        """Every input that is a file (an output must never overwrite one).

        The ``--line``, ``--boundary`` and ``--markers`` files, and the catalog.toml and
        data files of the user's data directories.
        """
        named = [s for s in (self.line, self.boundary, self.markers) if s and looks_like_path(s)]
        user: list[str] = []
        for d in dict.fromkeys([*data_dirs_from_env(), *self.data_dirs]):
            user.append(str(Path(d) / "catalog.toml"))
        if user:
            user += [str(ds.path) for ds in self.catalog() if ds.origin != "packaged"]
        return tuple(dict.fromkeys([*named, *user]))


def _given(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    src = ctx.get_parameter_source(name)
    return src is not None and src.name in ("COMMANDLINE", "ENVIRONMENT")


def input_options(line_default: str | None = DEFAULT_LINE, *,
                  with_line: bool = True) -> Callable[[F], F]:
    """Add the input options and pass them as ``inputs=Inputs(...)``.

    ``--line`` (unless ``with_line`` is false: for commands that take lines as
    arguments), ``--boundary``, ``--markers``, ``--crs``, ``--swap-axes``,
    ``--input-layer``, ``--encoding``, ``--max-input-mb``, ``--data-dir``.
    """

    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, boundary: str, markers: str | None,
                    crs: str | None, swap_axes: bool, input_layer: str | None,
                    encoding: str | None, max_input_mb: float, data_dirs: tuple[str, ...],
                    line: str | None = line_default, **kw: Any) -> Any:
            if markers and with_line and _given("line"):
                raise click.UsageError("give --line or --markers, not both (the line is "
                                       "built from the markers)")
            opts: dict[str, Any] = {}
            if crs:
                opts["crs"] = crs
            if swap_axes:
                opts["swap_axes"] = True
            if input_layer:
                opts["layer"] = input_layer
            if encoding:
                opts["encoding"] = encoding
            if max_input_mb != MAX_INPUT_MB:
                opts["max_mb"] = max_input_mb
            inputs = Inputs(line=line, boundary=boundary, read_options=opts, markers=markers,
                            data_dirs=tuple(data_dirs))
            return f(*args, inputs=inputs, **kw)

        line_option = [
            click.option("--line", "line", default=line_default, show_default=True,
                         metavar="FILE|ID",
                         help="Dividing line: a dataset id (id@version) or a file (GeoJSON, "
                              "KML/KMZ, GeoPackage, Shapefile .shp/folder/.zip, CSV). A zone "
                              "polygon is accepted too."),
        ] if with_line else []
        options = [
            *line_option,
            click.option("--boundary", default=DEFAULT_BOUNDARY, show_default=True,
                         metavar="FILE|ID",
                         help="Outline to partition: a dataset id or a polygon file."),
            click.option("--markers", default=None, metavar="FILE|ID",
                         help="Build the line from marker points (e.g. yellow blocks) in any "
                              "order: ordered along the strip, outliers reported and left "
                              "out, ends extended to the outline. Replaces --line."),
            click.option("--crs", default=None, metavar="CRS",
                         help="CRS of input files that declare none (e.g. EPSG:2039, "
                              "EPSG:32636); data is transformed to lon/lat."),
            click.option("--swap-axes", is_flag=True, default=False,
                         help="Input files have latitude first: swap the axes."),
            click.option("--input-layer", default=None, metavar="NAME",
                         help="Layer to read from a multi-layer input (KML folder, "
                              "GeoPackage table, one shapefile of a folder or zip)."),
            click.option("--encoding", default=None, metavar="ENC",
                         help="Text encoding of input files or .dbf (e.g. cp1256) when "
                              "they are not UTF-8 and say nothing."),
            click.option("--max-input-mb", type=float, default=MAX_INPUT_MB,
                         show_default=True, metavar="MB",
                         help="Refuse input files larger than this."),
            data_dir_option(),
        ]
        wrapper2: Any = wrapper
        for opt in reversed(options):
            wrapper2 = opt(wrapper2)
        return wrapper2  # type: ignore[no-any-return]

    return deco


def data_dir_option() -> Callable[[F], F]:
    """``--data-dir DIR`` (repeatable): the user's datasets, beside the packaged ones."""
    return click.option(
        "--data-dir", "data_dirs", multiple=True, metavar="DIR",
        type=click.Path(file_okay=False),
        help=f"A folder with your own datasets and a catalog.toml (same fields as the "
             f"packaged catalog); repeatable. Also read from ${DATA_DIR_ENV}.")


def format_option(choices: tuple[str, ...], default: str = "table") -> Callable[[F], F]:
    """``--format``: how results are printed on stdout."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")


def out_option(required: bool = False) -> Callable[[F], F]:
    """``--out FILE``: write the result to a file (atomically) instead of stdout."""
    # no explicit default: with click 8.2+ a default (even None) switches off `required`
    if required:
        return click.option("--out", "out", type=click.Path(dir_okay=False), required=True,
                            metavar="FILE", help="Write to FILE (atomically; never over an input).")
    return click.option("--out", "out", type=click.Path(dir_okay=False), metavar="FILE",
                        help="Write to FILE (atomically) instead of stdout.")


def emit(text: str, out: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Print ``text`` on stdout, or write it atomically to ``out`` (never over an input)."""
    if out:
        write_atomic(out, text if text.endswith("\n") else text + "\n", inputs=inputs)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)
