"""The ``gazamap`` command line: one module per subcommand, loaded only when it runs.

The group owns what every command shares at run time: one line on stderr for every
error (a traceback only with ``--debug``, or for an internal error, which says so),
exit codes, signal handling (SIGTERM and SIGHUP unwind like Ctrl-C, so that temporary
files are removed), warnings on stderr, and ``--quiet``.

Exit codes: 0 ok; 1 a check found inconsistent claims; 2 usage or input error (a
result that cannot be written to stdout too: a full disk, a closed descriptor);
70 internal error (a bug; EX_SOFTWARE of sysexits.h); 130 interrupted (SIGINT);
128 + n killed by signal n (143 for SIGTERM, 129 for SIGHUP); 141 (128 + SIGPIPE), quietly,
when the reader of stdout went away (``gazamap areas | head -1``).

An error is one line of about :data:`MAX_ERROR_CHARS` characters at most (a longer
message keeps the file it names, the start of the problem and the fix, and says how
much was left out).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator
from typing import Any

import click

import geo.progress as progress
from geo.errors import FieldError, GazamapError, GazamapNote
from maps.cli._broken import StdoutBroken

__all__ = ["main", "run", "COMMANDS", "EXIT_OK", "EXIT_INCONSISTENT", "EXIT_USAGE", "EXIT_INTERNAL"]


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """:func:`maps.cli._output.echo`, imported on first use (``--help`` stays light)."""
    from maps.cli._output import echo as _echo

    _echo(message, err=err, nl=nl)

EXIT_OK = 0
EXIT_INCONSISTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: not 1, which means "a check found inconsistent claims"
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `yes | head -1` reports for `yes`
MAX_ERROR_CHARS = 500
_MAX_PART_CHARS = 160  # of the file named and of the fix, within MAX_ERROR_CHARS
DEBUG_ENV = "GAZAMAP_DEBUG"

# name -> (module, attribute, one-line help shown by `gazamap --help` without importing)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "datasets": ("maps.cli.datasets", "datasets", "List the packaged datasets with provenance."),
    "areas": ("maps.cli.areas", "areas", "Areas and shares of the zones east and west of a line."),
    "render": ("maps.cli.render", "render", "Render a layered map (HTML; PNG or SVG)."),
    "compare": ("maps.cli.compare", "compare", "Compare two versions of a line."),
    "export": ("maps.cli.export", "export", "Export zones and layers (GeoJSON, GPKG, KML, CSV)."),
    "check": ("maps.cli.check", "check", "Check a ledger of published claims."),
    "count": ("maps.cli.count", "count", "Count a layer's features in each zone and outside."),
    "report": ("maps.cli.report", "report", "Write a self-contained report: map, areas, claims."),
    "timeline": ("maps.cli.timeline", "timeline",
                 "Every version of a line: shares, what moved, a chart, a slider map."),
}


class Terminated(SystemExit):
    """Raised by the handler of SIGTERM / SIGHUP: unwinds the stack (``finally`` runs)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(128 + signum)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Make signals unwind the stack while the CLI runs (restored afterwards).

    SIGTERM and SIGHUP raise :class:`Terminated` and SIGINT raises KeyboardInterrupt, so
    every ``finally`` (temporary files) runs. A signal the parent chose to ignore
    (``nohup``, a background job) stays ignored.
    """
    previous: dict[int, Any] = {}
    wanted: list[tuple[int, Any]] = [(signal.SIGINT, signal.default_int_handler)]
    wanted += [(getattr(signal, n), _raise_terminated) for n in ("SIGTERM", "SIGHUP")
               if hasattr(signal, n)]
    try:
        for signum, handler in wanted:
            current = signal.getsignal(signum)
            if current is signal.SIG_IGN or current is handler:
                continue
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    r"""``text`` on one line of at most ``limit`` characters, the rest summarised.

    The start (file and problem) and the end (the fix) are kept.

    >>> one_line("a.csv: bad\nheader. Fix: x")
    'a.csv: bad header. Fix: x'
    >>> len(one_line("f: " + "c," * 5_000_000 + " Fix: y")) <= MAX_ERROR_CHARS
    True
    >>> one_line("f: " + "c," * 500 + " Fix: y", 60)[-32:]
    '[982 characters left out] Fix: y'
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    at = flat.rfind(" Fix: ")
    tail = flat[at:] if 0 <= at and len(flat) - at <= limit // 3 else ""
    widest = f" ... [{len(flat):,} characters left out]"
    head = max(0, limit - len(widest) - len(tail))
    marker = f" ... [{len(flat) - len(tail) - head:,} characters left out]"
    return (flat[:head] + marker + tail)[:limit]


def error_line(exc: GazamapError, translate: bool) -> str:
    """One line for an error: the file and the fix kept whole-ish, the problem capped.

    ``translate``: name geo's parameters by the command line's flags.
    """
    from maps.cli._common import flag_words

    def words(t: str) -> str:
        if translate:
            return flag_words(t)
        # a ledger's or catalog's own fields stay as written; only the option that
        # widens a ledger's sandbox is a parameter of the call, named as its flag
        return re.sub(r"\ballow_paths\b", "--allow-path DIR", t)

    src = " ".join(words(exc.source).split()) if exc.source else ""
    if len(src) > _MAX_PART_CHARS:  # a path: its end (the file's name) tells the most
        src = "..." + src[-(_MAX_PART_CHARS - 3):]
    fix = one_line(words(exc.fix), _MAX_PART_CHARS) if exc.fix else ""
    room = MAX_ERROR_CHARS - len(src) - len(fix) - 10
    problem = one_line(words(exc.problem), max(room, 80)).rstrip(".")
    text = f"{src}: {problem}" if src else problem
    return f"{text}. Fix: {fix}" if fix else text


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what Python would flush at exit would fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):  # no stdout at all: nothing to flush
        pass


def _flush_stdout() -> None:
    """Flush the result now, so that a failed write is reported, not lost at exit."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except OSError as exc:
        from maps.cli._output import stdout_error

        raise stdout_error(exc) from None
    except ValueError:  # closed by the command itself: nothing left to flush
        pass


def _show_warning(message: Any, category: Any, filename: str, lineno: int,
                  file: Any = None, line: Any = None) -> None:
    echo(f"warning: {one_line(str(message))}", err=True)


def _echo_caught(caught: list[warnings.WarningMessage], *, quiet: bool = False) -> None:
    """Print the notes and warnings of a command that ran to its end, each once, on stderr.

    ``note:`` is information (a repair, a choice), ``warning:`` a figure that is probably
    wrong; ``quiet`` drops the notes. geo's parameter names become the CLI's flags.
    """
    if not caught:
        return
    from maps.cli._common import flag_words  # only when there is something to print

    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if text in seen:
            continue
        seen.add(text)
        note = issubclass(w.category, GazamapNote)
        if note and quiet:
            continue
        # a warning of megabytes is one line too
        echo(f"{'note' if note else 'warning'}: {one_line(flag_words(text))}", err=True)


class _RunState:
    """Options of the group that the error handling needs after the command ends."""

    debug = False
    quiet = False


class LazyGroup(click.Group):
    """A group whose subcommands are imported on use, and the CLI's one error boundary.

    A :class:`~geo.errors.GazamapError` or a usage error prints one line on stderr and
    exits 2; anything else is an internal error: a line saying so, the traceback, exit 70.
    """

    state = _RunState()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # caught here, before click turns it into "Aborted!"
            echo("gazamap: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the CLI; in standalone mode (the default) exit with its exit code."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        self.state.debug = self.state.quiet = False
        progress.set_quiet(None)
        shown = warnings.showwarning
        warnings.showwarning = _show_warning
        try:
            code = self._run_to_end(args, prog_name, complete_var, **extra)
        except _FAILURES as exc:
            code = _failure_code(exc, debug=self.state.debug)
        finally:
            warnings.showwarning = shown
            progress.set_quiet(None)
        sys.exit(code)

    def _run_to_end(self, args: Any, prog_name: str | None, complete_var: str | None,
                    **extra: Any) -> int:
        """Run the command, flush its result and print its notes; its exit code.

        Notes and warnings are held until the command ends: one that fails prints its
        one error line only (the exception goes on to :func:`_failure_code`); one that
        runs to its end prints each note once.
        """
        with _signals_unwind(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rv = super().main(args, prog_name, complete_var, False, **extra)
            except click.exceptions.Exit as exc:  # ctx.exit(1) of check
                rv = exc.exit_code
        code = rv if isinstance(rv, int) and not isinstance(rv, bool) else EXIT_OK
        _flush_stdout()
        _echo_caught(caught, quiet=self.state.quiet)
        return code


# What ends a command early and how the CLI says so (see _failure_code); any other
# BaseException (a SystemExit but Terminated, GeneratorExit) goes on.
_FAILURES = (StdoutBroken, GazamapError, click.ClickException, click.Abort,
             KeyboardInterrupt, Terminated, BrokenPipeError, Exception)


def _failure_code(exc: BaseException, *, debug: bool) -> int:
    """Say on stderr how the command failed (one line, or a bug's traceback); the exit code.

    The cases are tried in order: a reader of stdout that went away is quiet, an input
    or usage error is one line (exit 2), an interruption or a signal says so, and
    anything else is a bug (exit 70). ``debug`` adds the traceback of an input error.
    """
    if isinstance(exc, StdoutBroken):
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(exc, GazamapError):
        if debug:
            echo("".join(traceback.format_exception(exc)), err=True, nl=False)
        # a ledger's or catalog's field is named as in that file, never as a flag
        text = error_line(exc, translate=not isinstance(exc, FieldError))
        echo(f"gazamap: error: {text}", err=True)
        if exc.source == "standard output":
            _drop_stdout()
        return EXIT_USAGE
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()
        return exc.exit_code
    if isinstance(exc, click.ClickException):
        return _click_error_code(exc)
    if isinstance(exc, click.Abort | KeyboardInterrupt):
        echo("gazamap: interrupted", err=True)
        return EXIT_INTERRUPTED
    if isinstance(exc, Terminated):
        echo(f"gazamap: terminated by signal {exc.signum}", err=True)
        return 128 + exc.signum
    if isinstance(exc, BrokenPipeError):  # click's own writes (`gazamap --help | head -1`)
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    # a bug: say so, show where, and never exit 1 or 2
    echo(f"gazamap: internal error (a bug): {type(exc).__name__}: {exc}", err=True)
    echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    echo("Please report it with the command and the traceback above.", err=True)
    return EXIT_INTERNAL


def _click_error_code(exc: click.ClickException) -> int:
    """One line for click's own errors, naming the command whose help to read."""
    where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx \
        else "gazamap"
    hint = f" (see '{where} --help')" if isinstance(exc, click.UsageError) else ""
    message = one_line(exc.format_message(), MAX_ERROR_CHARS - len(where) - len(hint))
    echo(f"{where}: error: {message}{hint}", err=True)
    return exc.exit_code


@click.group(name="gazamap", cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gazamap", prog_name="gazamap")
@click.option("--debug", is_flag=True,
              help=f"On an error, also print the traceback (also ${DEBUG_ENV}=1).")
@click.option("--quiet", "-q", is_flag=True,
              help=f"No progress bars and no notes on stderr (warnings and errors still "
                   f"show; also ${progress.QUIET_ENV}=1 for the progress bars).")
def main(debug: bool, quiet: bool) -> None:
    """gazamap: map the partition of the Gaza Strip and check the numbers published about it.

    Every figure names its datasets (id@version) and its method. Exit codes: 0 ok,
    1 a check found inconsistent claims, 2 usage or input error, 70 internal error.
    """
    # the variables are read here, not by click: any value but "" or "0" switches on
    LazyGroup.state.debug = debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
    if quiet:
        LazyGroup.state.quiet = True
        progress.set_quiet(True)


def run() -> None:
    """The ``gazamap`` program (and ``python -m maps.cli``): :func:`main` as a process.

    The program tunes the cyclic garbage collector for a short process
    (:mod:`maps._program`: fewer passes during the command, none at exit). Only the
    program does this: a test or a caller's process calls :func:`main`.
    """
    from maps import _program

    _program.start()
    try:
        main()
    finally:
        _program.end()


if __name__ == "__main__":  # pragma: no cover
    run()
