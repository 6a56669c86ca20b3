"""Run code in a fresh interpreter: what a process imports or does from its first line."""

from __future__ import annotations

import subprocess
import sys


def fresh_python(code: str) -> str:
    """What a new ``python -c code`` prints on stdout (stripped); its failure fails the test."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()
