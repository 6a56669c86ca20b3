"""The packaged data is what scripts/build_data.py makes from the shared source data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# beside the repository (../shared/data), or beside the folder of worktrees (../../shared)
SRC = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")
            if (d / "PROVENANCE.md").exists()), ROOT.parent / "shared" / "data")


@pytest.mark.skipif(not (SRC / "PROVENANCE.md").exists(),
                    reason="shared source data not beside the repo")
def test_build_script_reproduces_packaged_files(tmp_path: Path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--src", str(SRC),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    built = sorted(p.name for p in tmp_path.glob("*.geojson"))
    packaged = sorted(p.name for p in (ROOT / "geo" / "data").glob("*.geojson"))
    assert built == packaged
    for name in built:
        assert (tmp_path / name).read_bytes() == (ROOT / "geo" / "data" / name).read_bytes(), name
