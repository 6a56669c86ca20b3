"""The output side of every command: ``--out``/``--format``, formats, and printing.

The format comes from the extension, and there is one way results reach a file, stdout
or the terminal.

Every command declares its outputs with :func:`output_options` and writes with
:func:`emit` (or :func:`geo.write.outputs.write_output` for writers that stream), so:

- the format comes from the ``--out`` extension; a ``--format`` that disagrees with it is a
  usage error, and so is an extension the command does not write;
- ``--out -`` is stdout (text formats only), and no ``--out`` is stdout where allowed;
- the output is checked by the guard (:func:`geo.write.outputs.check_output`) before the work
  starts and again when it is written;
- everything printed goes through :func:`echo`, which strips terminal control sequences.
"""

from __future__ import annotations

import errno
import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from geo.errors import OutputError
from geo.write.outputs import STDOUT, check_output, terminal_text, write_output
from maps.cli._broken import StdoutBroken

if TYPE_CHECKING:  # pragma: no cover - annotations only (the CLI starts without numpy)
    from geo.analysis.request import Request

__all__ = [
    "FORMAT_EXTENSIONS",
    "BINARY_FORMATS",
    "output_format",
    "output_options",
    "emit",
    "echo",
    "ledger_files",
    "StdoutBroken",
    "stdout_error",
    "allow_path_option",
]

ALLOW_PATH_HELP = ("A folder (besides the ledger's own) where the files a ledger names may "
                   "lie; repeatable. A ledger never reads files elsewhere.")


def allow_path_option(f: F) -> F:
    """``--allow-path DIR`` (repeatable): passed to the command as ``allow_path``."""
    return click.option("--allow-path", "allow_path", multiple=True, metavar="DIR",
                        type=click.Path(exists=True, file_okay=False),
                        help=ALLOW_PATH_HELP)(f)  # type: ignore[return-value]

F = TypeVar("F", bound=Callable[..., Any])

# extension -> the formats it may hold, the usual one first (.json is GeoJSON for export)
FORMAT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".html": ("html",),
    ".htm": ("html",),
    ".png": ("png",),
    ".svg": ("svg",),
    ".json": ("json", "geojson"),
    ".geojson": ("geojson",),
    ".csv": ("csv",),
    ".md": ("markdown",),
    ".markdown": ("markdown",),
    ".gpkg": ("gpkg",),
    ".kml": ("kml",),
    ".parquet": ("parquet",),
    ".fgb": ("fgb",),
    ".txt": ("table",),
}
BINARY_FORMATS = frozenset({"png", "gpkg", "parquet", "fgb"})
"""Formats that cannot go to stdout (a terminal would show garbage; GeoPackage is SQLite)."""

# formats whose bytes are handed over as the library made them (byte-identical embedding)
_VERBATIM = frozenset({"html", "svg", "png", "gpkg", "geojson", "kml", "parquet", "fgb"})


def _extensions(fmt: str) -> list[str]:
    return [ext for ext, fmts in FORMAT_EXTENSIONS.items() if fmt in fmts]


def _choices_text(choices: Sequence[str]) -> str:
    return ", ".join(f"{c} ({' '.join(_extensions(c))})" for c in choices)


def output_format(out: str | None, fmt: str | None, choices: Sequence[str],
                  default: str | None) -> str:
    """The format to write: from ``--out``'s extension, checked against ``--format``.

    Parameters
    ----------
    out : str or None
        The ``--out`` value; None or ``"-"`` is stdout.
    fmt : str or None
        The ``--format`` value, None when not given.
    choices : sequence of str
        The formats the command writes.
    default : str or None
        The format for stdout when ``--format`` is not given (None: ``--format`` needed).

    Raises
    ------
    click.UsageError
        ``--format`` conflicts with the extension; the extension is unknown (or not one
        the command writes) and ``--format`` is not given.

    Examples
    --------
    >>> output_format("map.png", None, ("html", "png", "svg"), "html")
    'png'
    >>> output_format(None, None, ("table", "json"), "table")
    'table'
    >>> output_format("zones.json", None, ("geojson", "gpkg"), None)
    'geojson'
    >>> output_format("m.png", "svg", ("html", "png", "svg"), "html")
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: --format svg conflicts with --out m.png (a .png file is \
png): drop --format or change the extension
    """
    if out is None or out == STDOUT:
        chosen = fmt or default
        if chosen is None:
            raise click.UsageError(f"give --format ({'|'.join(choices)}) to write to stdout")
        return chosen
    return _file_format(out, fmt, choices)


def _file_format(out: str, fmt: str | None, choices: Sequence[str]) -> str:
    """The format of the file ``out``: its extension's, or ``--format`` if they agree.

    An extension that says nothing (none, or unknown) needs ``--format``; one the command
    does not write is refused.
    """
    suffix = Path(out).suffix.lower()
    known = FORMAT_EXTENSIONS.get(suffix, ())
    implied = next((f for f in known if f in choices), None)
    name = Path(out).name
    if fmt is not None:
        if known and fmt not in known:
            raise click.UsageError(
                f"--format {fmt} conflicts with --out {name} (a {suffix} file is "
                f"{known[0]}): drop --format or change the extension")
        return fmt
    if implied is not None:
        return implied
    if known:
        raise click.UsageError(
            f"this command cannot write {suffix} files (--out {name}); it writes "
            f"{_choices_text(choices)}")
    what = f"the extension {suffix!r} of --out {name}" if suffix else \
        f"the extension of --out {name} (it has none)"
    raise click.UsageError(
        f"cannot tell the format from {what}: give --format {'|'.join(choices)}, or an "
        f"extension: {_choices_text(choices)}")


def _named_inputs(params: Sequence[str], /, *, request: Request | None = None,
                  no_claims: bool = False, allow_path: Sequence[str] | None = None,
                  **kw: Any) -> list[str]:
    """The input files among the command's arguments, for the check before the work.

    ``params`` names the command's arguments that hold files; the others arrive as the
    command's keyword arguments.
    """
    found: list[str] = []
    if request is not None and callable(getattr(request, "input_files", None)):
        found += list(request.input_files())
    for name in params:
        value = kw.get(name)
        if name == "ledger" and isinstance(value, str) and not no_claims:
            # the ledger and every file its claims name
            found += ledger_files(value, allow_path or ())
            continue
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            found += [str(v) for v in value if isinstance(v, str)]
    return found


def output_options(choices: Sequence[str], default: str | None = None, *,
                   required: bool = False,
                   input_params: Sequence[str] = ()) -> Callable[[F], F]:
    """Add ``--format`` and ``--out`` and pass the resolved format as ``fmt``.

    The command receives ``fmt`` (never None: from the extension, ``--format`` or
    ``default``) and ``out`` (None for stdout, ``"-"`` too). Before the command runs, the
    output is checked against the inputs known by then: ``request.input_files()`` (the
    input options) and the parameters named in ``input_params`` (e.g. ``("ledger",)``); the
    complete check happens again in :func:`emit`.

    Place it below ``@request_options()`` so that the request's input files are known
    to the check.
    """
    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, fmt: str | None, out: str | None, **kw: Any) -> Any:
            if out is not None and out != STDOUT:
                # before the work: a refused output should not cost a long render
                check_output(out, _named_inputs(input_params, **kw))
            chosen = output_format(out, fmt, choices, default)
            if (out is None or out == STDOUT) and chosen in BINARY_FORMATS:
                raise click.UsageError(f"{chosen} is a binary format and cannot go to "
                                       f"stdout: give --out FILE{_extensions(chosen)[0]}")
            return f(*args, fmt=chosen, out=out, **kw)

        if default is not None:
            fmt_help = (f"Output format (default: from the --out extension; {default} on "
                        "stdout).")
        else:
            fmt_help = "Output format (default: from the --out extension)."
        fmt_opt = click.option("--format", "fmt", type=click.Choice(list(choices)),
                               default=None, help=fmt_help)
        # type str, not click.Path: the guard (geo.write.outputs) judges every target
        if required:
            out_opt = click.option("--out", "out", required=True, metavar="FILE",
                                   help="Write to FILE (atomically; never over an input); "
                                        "- for stdout (text formats).")
        else:
            out_opt = click.option("--out", "out", metavar="FILE",
                                   help="Write to FILE (atomically; never over an input) "
                                        "instead of stdout.")
        return fmt_opt(out_opt(wrapper))  # type: ignore[return-value]

    return deco


def emit(data: str | bytes, out: str | None, *, fmt: str,
         inputs: Iterable[str | Path | None] = ()) -> None:
    """Print ``data`` on stdout (``out`` None or ``"-"``) or write it to ``out``.

    Files are written by :func:`geo.write.outputs.write_output` (atomic, never over one of
    ``inputs``, never over a device); stdout gets text without control sequences. Text
    formats other than HTML, SVG, GeoJSON and KML end with a newline.
    """
    if isinstance(data, str) and fmt not in _VERBATIM and not data.endswith("\n"):
        data += "\n"
    if out is None or out == STDOUT:
        if fmt in BINARY_FORMATS:
            raise click.UsageError(f"{fmt} is a binary format and cannot go to stdout")
        text = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
        echo(text, nl=False)
        return
    write_output(out, data, inputs=inputs, stdout_ok=fmt not in BINARY_FORMATS)
    echo(f"wrote {out}", err=True)


def ledger_files(ledger: Any, allow_paths: Sequence[str] = ()) -> list[str]:
    """A ledger's file and every file it names (lines, outlines, markers, population).

    ``ledger`` is a :class:`geo.claims.Ledger` or what ``--ledger`` accepts (a path or a
    shipped name, with the folders ``--allow-path`` allows). Paths in a ledger are already
    anchored at the ledger's folder.
    """
    from geo.claims import Ledger, load_ledger

    led = ledger if isinstance(ledger, Ledger) else load_ledger(str(ledger),
                                                                allow_paths=allow_paths)
    named: list[Any] = [led.path, led.line, led.boundary]
    for claim in led.claims:
        fields = dict(claim.fields)
        named += [fields.get(k) for k in ("line", "boundary", "markers", "population")]
    return [str(n) for n in named if isinstance(n, str | Path) and str(n)]




def stdout_error(exc: OSError) -> Exception:
    """What a failed write on stdout means: a broken pipe, or an output error (exit 2).

    A full disk (ENOSPC), a closed descriptor (EBADF) or any other write error must not
    end as "internal error" (70) nor as a success with the result lost.
    """
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return StdoutBroken()
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"cannot write the result ({reason})", source="standard output",
                       fix="write to a file with --out FILE (on a disk with free space)")


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of text with terminal control sequences removed.

    The one way the CLI prints data-derived text (see :func:`geo.write.outputs.terminal_text`).
    A result for a closed stdout, or a failed write on it, raises (see
    :func:`stdout_error`) instead of being lost; a failed write on stderr is ignored.
    """
    if not err and sys.stdout is None:
        raise stdout_error(OSError(errno.EBADF, "standard output is closed"))
    # a non-UTF-8 file name reaches Python as lone surrogates: shown escaped, never a crash
    text = terminal_text(str(message)).encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        click.echo(text, err=err, nl=nl)
    except OSError as exc:
        if err:
            return
        raise stdout_error(exc) from None
