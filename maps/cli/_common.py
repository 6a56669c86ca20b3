"""Options shared by several subcommands, documented in the same words everywhere.

Input options become one :class:`geo.analysis.request.Request` passed as the ``request``
keyword: the CLI only translates flags into the Request; ``geo.analyse`` does the rest.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from geo.analysis.uncertainty import LineUncertainty
from geo.defaults import (
    DATA_DIR_ENV,
    DEFAULT_BOUNDARY,
    DEFAULT_LINE,
    DEFAULT_OUTLIER_M,
    DEFAULT_SNAP_TOLERANCE_M,
    MAX_INPUT_MB,
)

if TYPE_CHECKING:  # imported when a command runs: `gazamap <command> --help` stays light
    from geo.analysis.request import LineSpec, Request

__all__ = ["PARAM_FLAGS", "request_options", "request_argv", "DATA_DIR_OPTION", "OptionSpec",
           "format_option", "flag_words"]

F = TypeVar("F", bound=Callable[..., Any])

# The parameters of geo (named in its errors) and the flags that set them here.
PARAM_FLAGS = {
    "uncertainty_m": "--uncertainty",
    "snap_tolerance_m": "--snap-tolerance",
    "denominators_km2": "--denominator",
    "controlled_at": "--controlled-at",
    "controlled_point": "controlled_point (catalog)",
    "outlier_m": "--outlier-distance",
    "allow_sliver": "--allow-sliver",
    "max_mb": "--max-input-mb",
    "swap_axes": "--swap-axes",
    "`crs`": "--crs",
    "`encoding`": "--encoding",
    "`layer`": "--input-layer",
    "`markers`": "--markers",
    "`format`": "--format",
    "`include`": "--include",
    "`data_dirs`": "--data-dir",
    "`csv_geometry`": "--geometry",
    "`engine`": "--engine",
    "`workers`": "--workers",
    "`scheduler`": "--scheduler",
}


def flag_words(text: str) -> str:
    """``text`` with geo's parameter names replaced by the command-line flags.

    >>> flag_words("uncertainty_m: 5e+04 m is outside 0-3000 m")
    '--uncertainty: 5e+04 m is outside 0-3000 m'
    """
    for param in sorted(PARAM_FLAGS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w./`-]){re.escape(param)}(?![\w.-])", PARAM_FLAGS[param], text)
    return text


def _given(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    src = ctx.get_parameter_source(name)
    return src is not None and src.name in ("COMMANDLINE", "ENVIRONMENT")


def _point(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.replace(";", ",").split(",")
    try:
        lon, lat = (float(v) for v in parts)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not LON,LAT (e.g. 34.30,31.27)",
                                 param_hint="--controlled-at") from None
    return lon, lat


@dataclass(frozen=True, eq=False)
class OptionSpec:
    """One click option as data: its flag, the parameter it fills, click's settings."""

    flag: str
    param: str
    settings: dict[str, Any] = field(default_factory=dict)

    def __call__(self, f: F) -> F:
        """Add the option to the command ``f`` (as ``@click.option`` does)."""
        return click.option(self.flag, self.param, **self.settings)(f)


def _with_options(f: F, options: Sequence[OptionSpec]) -> F:
    """``f`` with ``options`` added, listed by ``--help`` in their order."""
    for option in reversed(options):
        f = option(f)
    return f


def _line_option(default_line: str | None) -> OptionSpec:
    """``--line`` (repeatable), its default named in its help."""
    return OptionSpec("--line", "lines", dict(
        multiple=True, metavar="FILE|ID",
        help="Dividing line: a dataset id (id@version) or a file (GeoJSON, KML/KMZ, "
             "GeoPackage, Shapefile .shp/folder/.zip, CSV). Repeatable: lines from the "
             "Israel border westward give zones east, between-1, ..., west. A zone polygon "
             "is accepted alone." + (f" [default: {default_line}]" if default_line else "")))


# What is partitioned and how the line is built from its file or its markers.
_PARTITION_OPTIONS = (
    OptionSpec("--boundary", "boundary", dict(
        default=DEFAULT_BOUNDARY, show_default=True, metavar="FILE|ID",
        help="Outline to partition: a dataset id or a polygon file.")),
    OptionSpec("--markers", "markers", dict(
        multiple=True, metavar="FILE|ID",
        help="Build a line from marker points (e.g. yellow blocks) in any order: ordered "
             "along the strip, outliers reported and left out, ends joined to the outline. "
             "Replaces --line.")),
    OptionSpec("--uncertainty", "uncertainty", dict(
        multiple=True, metavar="M|A,B",
        help="Positional uncertainty of the line(s) in metres: M (±M) or A,B (A toward "
             "Israel, B toward the coast; toward the coast makes the east zone larger); one "
             "for all lines or one per line (default: the catalog's; none for a file, which "
             "then has no interval).")),
    OptionSpec("--snap-tolerance", "snap_tolerance", dict(
        type=float, default=DEFAULT_SNAP_TOLERANCE_M, show_default=True, metavar="M",
        help="Join line ends that stop at most this many metres inside the outline to it "
             "(drawn and marker lines alike).")),
    OptionSpec("--controlled-at", "controlled_at", dict(
        default=None, metavar="LON,LAT",
        help="A point inside the zone under military control (behind the first line), for "
             "lines that do not declare it.")),
    OptionSpec("--allow-sliver", "allow_sliver", dict(
        is_flag=True, default=False,
        help="Accept a zone under 1 % of the outline (refused by default: such a line "
             "almost always misses the Strip).")),
    OptionSpec("--outlier-distance", "outlier_m", dict(
        type=float, default=DEFAULT_OUTLIER_M, show_default=True, metavar="M",
        help="Markers farther than this from the line through their neighbours are left "
             "out (and reported).")),
)

_DENOMINATOR_OPTION = OptionSpec("--denominator", "denominators", dict(
    type=float, multiple=True, metavar="KM2",
    help="Also give shares of this total in km² (365 and 360 always). Repeatable."))

# How input files are read (files only: datasets are read as the catalog says).
_READ_OPTIONS = (
    OptionSpec("--crs", "crs", dict(
        default=None, metavar="CRS",
        help="CRS of input files that declare none (e.g. EPSG:2039, EPSG:32636); data is "
             "transformed to lon/lat.")),
    OptionSpec("--swap-axes", "swap_axes", dict(
        is_flag=True, default=False,
        help="Input files have latitude first: swap the axes.")),
    OptionSpec("--input-layer", "input_layer", dict(
        default=None, metavar="NAME",
        help="Layer to read from a multi-layer input (KML folder, GeoPackage table, one "
             "shapefile of a folder or zip).")),
    OptionSpec("--encoding", "encoding", dict(
        default=None, metavar="ENC",
        help="Text encoding of input files or .dbf (e.g. cp1256) when they are not UTF-8 "
             "and say nothing.")),
    OptionSpec("--max-input-mb", "max_input_mb", dict(
        type=float, default=MAX_INPUT_MB, show_default=True, metavar="MB",
        help="Refuse input files larger than this.")),
)

DATA_DIR_OPTION = OptionSpec("--data-dir", "data_dirs", dict(
    multiple=True, metavar="DIR", type=click.Path(file_okay=False),
    help=f"A folder with your own datasets and a catalog.toml (same fields as the packaged "
         f"catalog); repeatable. Also read from ${DATA_DIR_ENV}."))
"""``--data-dir DIR`` (repeatable): the user's datasets, beside the packaged ones."""


def request_options(*, with_line: bool = True, default_line: str | None = DEFAULT_LINE,
                    analysis: bool = True) -> Callable[[F], F]:
    """Add the options that make a :class:`geo.analysis.request.Request`; pass it as ``request=``.

    ``--line`` (repeatable, unless ``with_line`` is false: for commands that take lines
    as arguments, which they add to the request themselves), ``--markers``,
    ``--boundary``, ``--uncertainty`` (repeatable: one for all lines or one per line),
    ``--snap-tolerance``, ``--controlled-at``, ``--denominator`` (with ``analysis``), the
    read options and ``--data-dir``. With ``default_line=None`` and no line given, the
    request has no lines (``check`` then uses each claim's own line); such commands, and
    those without ``--line``, also receive ``uncertainty_all``: the one ``--uncertainty``
    for every line (None when not given).
    """
    options = [*([_line_option(default_line)] if with_line else []), *_PARTITION_OPTIONS,
               *([_DENOMINATOR_OPTION] if analysis else []), *_READ_OPTIONS, DATA_DIR_OPTION]
    default_lines = (default_line,) if with_line and default_line else ()
    lines_elsewhere = not with_line or default_line is None

    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, **kw: Any) -> Any:
            flags = {option.param: kw.pop(option.param) for option in options}
            request, uncertainties = _request(default_lines=default_lines, **flags)
            if lines_elsewhere:
                kw["uncertainty_all"] = _uncertainty_all(request, uncertainties)
            return f(*args, request=request, **kw)

        return _with_options(cast(F, wrapper), options)

    return deco


def _uncertainty_all(request: Request, given: list[float | LineUncertainty]
                     ) -> float | LineUncertainty | None:
    """The one ``--uncertainty`` for lines that come from arguments or from each claim.

    Several values are per line: with lines in the request they are in its specs; without,
    there is no line to give them to, so a second value is refused, not dropped.
    """
    if len(given) > 1 and not request.lines:
        raise click.UsageError(
            f"--uncertainty given {len(given)} times: here it applies to every line, so "
            "give it once (several values are for several --line, one per line)")
    return given[0] if len(given) == 1 else None


def _request(*, default_lines: tuple[str, ...], boundary: str, markers: tuple[str, ...],
             crs: str | None, swap_axes: bool, input_layer: str | None,
             encoding: str | None, max_input_mb: float, data_dirs: tuple[str, ...],
             uncertainty: tuple[str, ...], snap_tolerance: float, controlled_at: str | None,
             outlier_m: float, allow_sliver: bool, lines: tuple[str, ...] = (),
             denominators: tuple[float, ...] = (),
             ) -> tuple[Request, list[float | LineUncertainty]]:
    """The Request the flags make, and the ``--uncertainty`` values as given.

    ``default_lines`` stand in when neither ``--line`` nor ``--markers`` is given.
    """
    if markers and lines:
        raise click.UsageError("give --line or --markers, not both (the line is "
                               "built from the markers)")
    from geo.analysis.request import ReadOptions, Request

    chosen = lines or (default_lines if not markers else ())
    specs, uncertainties = _line_specs(chosen, markers, uncertainty)
    read = ReadOptions(crs=crs, swap_axes=swap_axes, layer=input_layer, encoding=encoding,
                       max_mb=max_input_mb if max_input_mb != MAX_INPUT_MB else None)
    request = Request(boundary=boundary, lines=tuple(specs), data_dirs=tuple(data_dirs),
                      read=read, snap_tolerance_m=snap_tolerance,
                      outlier_m=outlier_m, denominators_km2=tuple(denominators),
                      controlled_at=_point(controlled_at),
                      allow_sliver=allow_sliver)
    return request, uncertainties


def _line_specs(lines: tuple[str, ...], markers: tuple[str, ...], uncertainty: tuple[str, ...],
                ) -> tuple[list[LineSpec], list[float | LineUncertainty]]:
    """The lines (drawn, then built from markers) with their ``--uncertainty``.

    One value applies to every line; several are taken one per line, in order. The
    values are returned too (parsed, one per ``--uncertainty``).
    """
    from geo.analysis.request import LineSpec

    specs = [LineSpec(s) for s in lines] + [LineSpec(m, from_markers=True) for m in markers]
    given = [_uncertainty(u) for u in uncertainty]
    if not given:
        return specs, given
    us = given * max(1, len(specs)) if len(given) == 1 else given
    if specs and len(us) != len(specs):
        raise click.UsageError(
            f"{len(us)} --uncertainty values for {len(specs)} lines: give one "
            "for all lines or one per line, in order")
    return [replace(s, uncertainty_m=u) for s, u in zip(specs, us, strict=False)], given


def _uncertainty(text: str) -> float | LineUncertainty:
    """``--uncertainty M`` (±M) or ``A,B`` (toward Israel, toward the coast)."""
    try:
        u = LineUncertainty.of(text)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}: give metres, M or A,B (toward Israel, toward "
                                 "the coast)", param_hint="--uncertainty") from None
    return u.toward_coast_m if u.symmetric else u


def request_argv(request: Request, command: str) -> list[str]:
    """The options of ``gazamap COMMAND`` that make ``request`` (for a report's methods).

    Files are named by their file name only (a published page carries no local path).
    """
    from geo.read.sources import looks_like_path

    def name(spec: str) -> str:
        return Path(spec).name if looks_like_path(spec) else spec

    argv = ["gazamap", command]
    for s in request.lines:
        argv += ["--markers" if s.from_markers else "--line", name(s.ref)]
    us = [s.uncertainty_m for s in request.lines if s.uncertainty_m is not None]
    for u in us:
        argv += ["--uncertainty", f"{u.toward_israel_m:g},{u.toward_coast_m:g}"
                 if isinstance(u, LineUncertainty) else f"{u:g}"]
    b = request.boundary
    argv += ["--boundary", name(b if isinstance(b, str) else (b.file or b.ref))]
    if request.snap_tolerance_m != DEFAULT_SNAP_TOLERANCE_M:
        argv += ["--snap-tolerance", f"{request.snap_tolerance_m:g}"]
    if request.outlier_m != DEFAULT_OUTLIER_M:
        argv += ["--outlier-distance", f"{request.outlier_m:g}"]
    if request.allow_sliver:
        argv.append("--allow-sliver")
    if request.controlled_at is not None:
        argv += ["--controlled-at", f"{request.controlled_at[0]:g},{request.controlled_at[1]:g}"]
    for km2 in request.denominators_km2:
        argv += ["--denominator", f"{km2:g}"]
    r = request.read
    if r.crs:
        argv += ["--crs", r.crs]
    if r.swap_axes:
        argv.append("--swap-axes")
    if r.layer:
        argv += ["--input-layer", r.layer]
    if r.encoding:
        argv += ["--encoding", r.encoding]
    if r.max_mb is not None:
        argv += ["--max-input-mb", f"{r.max_mb:g}"]
    for d in request.data_dirs:
        argv += ["--data-dir", Path(d).name]
    return argv


def format_option(choices: tuple[str, ...], default: str = "table") -> Callable[[F], F]:
    """``--format``: how results are printed on stdout."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")
