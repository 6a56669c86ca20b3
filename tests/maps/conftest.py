"""Fixtures for the CLI tests."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()
