"""Helpers shared by the CLI tests."""

from __future__ import annotations

import warnings

from click.testing import CliRunner, Result

from maps.cli import main


def invoke(runner: CliRunner, args: list[str], env: dict[str, str] | None = None) -> Result:
    """Run the CLI with warnings shown (on stderr, by the CLI), not raised by pytest.

    The CLI replaces ``warnings.showwarning`` to print warnings, so ``pytest.warns``
    cannot see them: tests check stderr instead.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        return runner.invoke(main, args, env=env)
