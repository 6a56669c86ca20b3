"""The command group: every registered command loads, has help, and usage errors exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from maps.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_loads_and_has_help(name):
    res = CliRunner().invoke(main, [name, "--help"])
    assert res.exit_code == 0, res.output
    assert "Usage: " in res.output


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
