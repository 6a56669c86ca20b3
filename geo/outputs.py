"""Writing results safely: atomically, and never over an input file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from geo.errors import OutputError

__all__ = ["write_atomic", "check_not_input"]


def check_not_input(out: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse an output path that is one of the inputs (same file, even via a link)."""
    target = Path(out)
    for src in inputs:
        if src is None:
            continue
        s = Path(src)
        same = s.exists() and target.exists() and os.path.samefile(s, target)
        if same or target.resolve() == s.resolve():
            raise OutputError(
                f"the output would overwrite the input {str(s)!r}",
                source=str(out),
                fix="choose another --out path",
            )


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    A failure at any point leaves the previous file untouched and no partial file behind.
    """
    target = Path(path)
    check_not_input(target, inputs)
    if target.is_dir():
        raise OutputError("is a directory", source=str(target), fix="give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"the folder {str(folder)!r} does not exist", source=str(target),
                          fix="create it first or choose another --out path")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target
