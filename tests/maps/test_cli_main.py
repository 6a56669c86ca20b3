"""The command group: every registered command loads, has help, and usage errors exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from maps.cli import COMMANDS, main
from tests._fresh import fresh_python


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_loads_and_has_help(name):
    res = CliRunner().invoke(main, [name, "--help"])
    assert res.exit_code == 0, res.output
    assert "Usage: " in res.output


def test_no_command_help_or_usage_error_imports_a_geometry_library():
    # `gazamap areas --help` took 0.3 s importing numpy, shapely and pyproj for nothing;
    # the defaults it shows live in geo.defaults, and each command imports what it runs
    code = ("import sys\n"
            "from click.testing import CliRunner\n"
            "from maps.cli import COMMANDS, main\n"
            "for name in sorted(COMMANDS):\n"
            "    for args in ([name, '--help'], [name, '--no-such-option']):\n"
            "        r = CliRunner().invoke(main, args)\n"
            "        assert r.exit_code == (0 if args[1] == '--help' else 2), (args, r.output)\n"
            "heavy = ('numpy', 'shapely', 'pyproj', 'folium', 'matplotlib', 'geopandas')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    assert fresh_python(code) == "[]"


def test_group_help_lists_every_command_without_importing_them():
    res = CliRunner().invoke(main, ["--help"])
    assert res.exit_code == 0
    for name in COMMANDS:
        assert name in res.output


@pytest.mark.parametrize("name", ["render", "report", "export"])
def test_required_out_is_a_usage_error_not_a_traceback(name):
    res = CliRunner().invoke(main, [name])
    assert res.exit_code == 2
    assert "Missing option '--out'" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_unknown_command_exits_2():
    assert CliRunner().invoke(main, ["nope"]).exit_code == 2


# --- errors: one line, a traceback only with --debug or for a bug --------------------------


def _lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_an_input_error_is_one_line_and_debug_adds_the_traceback(tmp_path):
    missing = str(tmp_path / "missing.geojson")
    plain = CliRunner().invoke(main, ["areas", "--line", missing])
    assert plain.exit_code == 2 and "Traceback" not in plain.stderr
    assert _lines(plain.stderr) == [f"gazamap: error: {missing}: no such file. Fix: check "
                                    "the path"]
    for args, env in ((["--debug", "areas", "--line", missing], None),
                      (["areas", "--line", missing], {"GAZAMAP_DEBUG": "1"})):
        res = CliRunner().invoke(main, args, env=env)
        assert res.exit_code == 2
        lines = _lines(res.stderr)
        assert lines[0] == "Traceback (most recent call last):"
        assert "InputError" in res.stderr and lines[-1] == _lines(plain.stderr)[0]


@pytest.mark.parametrize("exc", [ZeroDivisionError("boom"), KeyError("zones"),
                                 RuntimeError("an internal state")])
def test_an_unexpected_exception_is_an_internal_error_exit_70(monkeypatch, exc):
    import geo.analysis  # the areas command imports analyse from it when it runs

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(geo.analysis, "analyse", broken)
    res = CliRunner().invoke(main, ["areas"])
    assert res.exit_code == 70
    lines = _lines(res.stderr)
    assert lines[0] == f"gazamap: internal error (a bug): {type(exc).__name__}: {exc}"
    assert lines[1] == "Traceback (most recent call last):" and "def broken" not in lines[0]
    assert "in broken" in res.stderr and lines[-1].startswith("Please report it")


def test_keyboard_interrupt_exits_130_with_one_line(monkeypatch):
    import geo.analysis  # the areas command imports analyse from it when it runs

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(geo.analysis, "analyse", interrupted)
    res = CliRunner().invoke(main, ["areas"])
    assert res.exit_code == 130 and _lines(res.stderr) == ["gazamap: interrupted"]


@pytest.mark.parametrize("args,start", [
    (["areas", "--format", "nope"], "gazamap areas: error: Invalid value for '--format'"),
    (["render"], "gazamap render: error: Missing option '--out'"),
    (["areas", "--bogus"], "gazamap areas: error: No such option '--bogus'"),
    (["--bogus"], "gazamap: error: No such option '--bogus'"),
    (["render", "--fragment", "--iframe", "--out", "x.html"],
     "gazamap render: error: give --fragment or --iframe, not both"),
])
def test_usage_errors_are_one_line(args, start):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    lines = _lines(res.stderr)
    assert len(lines) == 1 and lines[0].startswith(start), res.stderr
    assert lines[0].endswith(f"(see '{start.split(':')[0]} --help')")


def test_signal_handlers_and_warning_hook_are_restored_after_a_run():
    import signal
    import warnings

    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT),
              warnings.showwarning)
    CliRunner().invoke(main, ["datasets", "--format", "json"])
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT),
            warnings.showwarning) == before


# --- progress -----------------------------------------------------------------------------


def _tty_progress_enabled() -> bool:
    """Whether a bar would be shown if stderr were a real terminal (a pseudo-terminal)."""
    import os
    import sys

    import geo.progress

    master, slave = os.openpty()
    saved = sys.stderr
    try:
        with open(slave, "w", closefd=True) as tty:
            sys.stderr = tty
            return geo.progress.progress_enabled()
    finally:
        sys.stderr = saved
        os.close(master)


@pytest.mark.parametrize("args,env,shown", [
    (["areas"], {"GAZAMAP_QUIET": ""}, True),
    (["--quiet", "areas"], {"GAZAMAP_QUIET": ""}, False),
    (["-q", "areas"], {"GAZAMAP_QUIET": ""}, False),
    (["areas"], {"GAZAMAP_QUIET": "1"}, False),
    (["areas"], {"GAZAMAP_QUIET": "0"}, True),
])
def test_quiet_switches_progress_off_for_the_run(monkeypatch, args, env, shown):
    import geo.analysis  # the areas command imports analyse from it when it runs

    monkeypatch.delenv("GAZAMAP_QUIET", raising=False)
    from geo.errors import InputError

    seen = []

    def record(*a, **kw):
        seen.append(_tty_progress_enabled())
        raise InputError("stop here", source="test")

    monkeypatch.setattr(geo.analysis, "analyse", record)
    res = CliRunner().invoke(main, args, env=env)
    assert res.exit_code == 2 and seen == [shown]
    assert _tty_progress_enabled() is True  # --quiet ends with the run


def test_progress_draws_a_bar_on_a_terminal_and_nothing_otherwise():
    """A real pseudo-terminal as stderr: tqdm draws; a pipe, or GAZAMAP_QUIET=1: nothing."""
    import os
    import subprocess
    import sys

    code = ("import time, geo.progress as p\n"
            "for _ in p.progress(range(4), desc='sampling', delay=0):\n"
            "    time.sleep(0.05)\n")

    def drawn_on_a_tty(quiet: str) -> bytes:
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # 80x24
        try:
            subprocess.run([sys.executable, "-c", code], stderr=slave, timeout=60,
                           env={**os.environ, "GAZAMAP_QUIET": quiet}, check=True)
            os.set_blocking(master, False)  # the slave stays open here: no hang-up, no EIO
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except BlockingIOError:
                    return out
                out += chunk
        finally:
            os.close(slave)
            os.close(master)

    bar = drawn_on_a_tty("")
    assert b"sampling" in bar and b"4/4" in bar
    assert drawn_on_a_tty("1") == b""
    piped = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                           env={**os.environ, "GAZAMAP_QUIET": ""}, check=True)
    assert piped.stderr == b""
