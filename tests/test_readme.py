"""The README's Python blocks run as written, each from an empty folder (docs that run)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"),
                    re.S)


def test_the_readme_has_python_blocks():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_readme_python_block_runs(i, tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                        os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", BLOCKS[i]],
                       cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, f"README block {i}:\n{BLOCKS[i]}\n--- stderr:\n{r.stderr[-3000:]}"


def test_data_licences_table_matches_the_catalog():
    from geo.catalog import packaged_catalog

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Data licences"):]
    for ds in packaged_catalog():
        row = f"| `{ds.ref}` | {ds.licence} | {ds.attribution} |"
        assert row in section, row


def test_licence_file_is_mit():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
