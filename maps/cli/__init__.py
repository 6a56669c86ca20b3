"""The ``gazamap`` command line: one module per subcommand, loaded only when it runs.

The group owns what every command shares at run time: one line on stderr for every
error (a traceback only with ``--debug``, or for an internal error, which says so),
exit codes, signal handling (SIGTERM and SIGHUP unwind like Ctrl-C, so that temporary
files are removed), warnings on stderr, and ``--quiet``.

Exit codes: 0 ok; 1 a check found inconsistent claims; 2 usage or input error;
70 internal error (a bug; EX_SOFTWARE of sysexits.h); 130 interrupted (SIGINT);
128 + n killed by signal n (143 for SIGTERM, 129 for SIGHUP).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator
from typing import Any

import click

import geo.progress as progress
from geo.errors import GazamapError, GazamapNote
from maps.cli._output import echo

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_INCONSISTENT", "EXIT_USAGE", "EXIT_INTERNAL"]

EXIT_OK = 0
EXIT_INCONSISTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: not 1, which means "a check found inconsistent claims"
EXIT_INTERRUPTED = 130
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


def _show_warning(message: Any, category: Any, filename: str, lineno: int,
                  file: Any = None, line: Any = None) -> None:
    echo(f"warning: {message}", err=True)


def _echo_caught(caught: list[warnings.WarningMessage]) -> None:
    """Print the notes and warnings of a command that ran to its end, each once."""
    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if text in seen:
            continue
        seen.add(text)
        kind = "note" if issubclass(w.category, GazamapNote) else "warning"
        echo(f"{kind}: {text}", err=True)


class _RunState:
    """Options of the group that the error handling needs after the command ends."""

    debug = False


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
        self.state.debug = False
        progress.set_quiet(None)
        shown = warnings.showwarning
        warnings.showwarning = _show_warning
        code: int = EXIT_OK
        # Notes and warnings are held until the command ends: one that fails prints its
        # one error line only; one that runs to its end prints each note once.
        caught: list[warnings.WarningMessage] = []
        try:
            with _signals_unwind(), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    rv = super().main(args, prog_name, complete_var, False, **extra)
                except click.exceptions.Exit as exc:  # ctx.exit(1) of check
                    rv = exc.exit_code
            code = rv if isinstance(rv, int) and not isinstance(rv, bool) else EXIT_OK
            _echo_caught(caught)
        except GazamapError as exc:
            from maps.cli._common import flag_words

            if self.state.debug:
                echo("".join(traceback.format_exception(exc)), err=True, nl=False)
            echo(f"gazamap: error: {flag_words(exc.message)}", err=True)
            code = EXIT_USAGE
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except click.ClickException as exc:
            where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx \
                else "gazamap"
            hint = f" (see '{where} --help')" if isinstance(exc, click.UsageError) else ""
            message = " ".join(exc.format_message().split())
            echo(f"{where}: error: {message}{hint}", err=True)
            code = exc.exit_code
        except click.Abort:
            echo("gazamap: interrupted", err=True)
            code = EXIT_INTERRUPTED
        except KeyboardInterrupt:
            echo("gazamap: interrupted", err=True)
            code = EXIT_INTERRUPTED
        except Terminated as exc:
            echo(f"gazamap: terminated by signal {exc.signum}", err=True)
            code = 128 + exc.signum
        except Exception as exc:  # a bug: say so, show where, and never exit 1 or 2
            echo(f"gazamap: internal error (a bug): {type(exc).__name__}: {exc}", err=True)
            echo("".join(traceback.format_exception(exc)), err=True, nl=False)
            echo("Please report it with the command and the traceback above.", err=True)
            code = EXIT_INTERNAL
        finally:
            warnings.showwarning = shown
            progress.set_quiet(None)
        sys.exit(code)


@click.group(name="gazamap", cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gazamap", prog_name="gazamap")
@click.option("--debug", is_flag=True,
              help=f"On an error, also print the traceback (also ${DEBUG_ENV}=1).")
@click.option("--quiet", "-q", is_flag=True,
              help=f"No progress bars on stderr (also ${progress.QUIET_ENV}=1).")
def main(debug: bool, quiet: bool) -> None:
    """gazamap: map the partition of the Gaza Strip and check the numbers published about it.

    Every figure names its datasets (id@version) and its method. Exit codes: 0 ok,
    1 a check found inconsistent claims, 2 usage or input error, 70 internal error.
    """
    # the variables are read here, not by click: any value but "" or "0" switches on
    LazyGroup.state.debug = debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
    if quiet:
        progress.set_quiet(True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
