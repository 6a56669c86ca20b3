"""The one output guard: where a result may be written, and writing it without loss or leak.

Every output gazamap writes goes through :func:`write_output` (and, before long work,
:func:`check_output`), so the promises hold by construction rather than per command:

- an output is never one of the inputs: the same path, a symlink or a hard link to it,
  nor a part of a shapefile input (existing or not), nor a file of gazamap's packaged
  data (:mod:`geo.write.protected`);
- an existing target that is not a regular file (a device such as ``/dev/null``, a FIFO,
  a socket, a folder) is refused, never replaced;
- ``"-"`` means standard output, for text only;
- the write is atomic (a temporary file in the target's folder, ``fsync``, ``os.replace``),
  a new file gets ``0o666 & ~umask`` and an existing file keeps its mode;
- the temporary file is removed on every exit path (signals that raise, as the CLI's
  handlers for SIGTERM and SIGINT do, included);
- an ``OSError`` becomes one :class:`~geo.errors.OutputError` line: target, problem, fix.

It also holds the small text guards of published outputs: :func:`file_identity` (inputs
named by file name and SHA-256, never by a local path), :func:`csv_cell` (formula
injection) and :func:`terminal_text` (control sequences).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geo.errors import OutputError
from geo.write.protected import (
    SHAPEFILE_PARTS,
    PathLike,
    _part_suffix,
    _refuse,
    _shapefile_parts,
    _stem,
    check_not_an_input,
)

__all__ = [
    "STDOUT",
    "check_output",
    "write_output",
    "file_identity",
    "csv_cell",
    "terminal_text",
]

STDOUT = "-"
"""The target name that means standard output."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
_CHUNK = 1 << 20


# --- the guard ---------------------------------------------------------------------------


def check_output(target: PathLike, inputs: Iterable[PathLike | None] = ()) -> Path:
    """Check that ``target`` may be written, and return the path that will be replaced.

    Call it before long work so that a bad output is refused at once;
    :func:`write_output` calls it again just before the write. A symlink target is
    followed: the file it points to is replaced and the link kept.

    Parameters
    ----------
    target : path
        The output file (not ``"-"``: standard output needs no check).
    inputs : iterable of path
        Every file the result is computed from (see :func:`input_files`).

    Raises
    ------
    OutputError
        The target is one of the inputs or a part of a shapefile input, exists and is not
        a regular file, or its folder is missing or cannot be written.

    Examples
    --------
    >>> check_output("/dev/null")
    Traceback (most recent call last):
    ...
    geo.errors.OutputError: /dev/null: is a character device, not a regular file: gazamap \
never replaces it. Fix: give a file path, or '-' for standard output
    """
    if str(target) == "":
        raise _refuse(target, "the output path is empty", "give a file name")
    final = Path(os.path.realpath(target))
    try:
        st: os.stat_result | None = os.stat(final)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENAMETOOLONG):  # the name is measured below
            raise _os_error(exc, target) from None
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
        raise _refuse(target, f"is {kind}, not a regular file: gazamap never replaces it",
                      "give a file path, or '-' for standard output")
    check_not_an_input(target, final, st, inputs)
    if st is not None and not os.access(final, os.W_OK):
        # os.replace would go through (it needs the folder only): respect the owner's choice
        raise _refuse(target, f"the file is read-only (mode {stat.S_IMODE(st.st_mode):04o})",
                      "make it writable or choose another output path")
    folder = final.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise _refuse(target, f"the folder {str(folder)!r} {what}",
                      "create the folder first or choose another output path")
    name_max = _name_max(folder)
    if len(os.fsencode(final.name)) > name_max:
        raise _refuse(target, f"the file name is {len(os.fsencode(final.name))} bytes long; "
                              f"this file system allows {name_max}", "use a shorter file name")
    if not os.access(folder, os.W_OK):
        raise _refuse(target, f"cannot write in the folder {str(folder)!r} (permission "
                              "denied or a read-only file system)",
                      "choose a folder you can write to")
    return final


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


# --- the write ---------------------------------------------------------------------------


def write_output(target: PathLike, data: str | bytes | Iterable[bytes], *,
                 inputs: Iterable[PathLike | None] = (),
                 stdout_ok: bool | None = None) -> Path | None:
    """Write ``data`` to ``target`` atomically, or to standard output for ``"-"``.

    Parameters
    ----------
    target : path or "-"
        The output file. ``"-"`` writes to standard output (control characters removed,
        see :func:`terminal_text`).
    data : str, bytes or iterable of bytes
        The content; text is encoded as UTF-8. An iterable of byte chunks is written as
        it comes (a failure or a signal half-way leaves the old file intact).
    inputs : iterable of path
        Every input file; the target may be none of them (see :func:`check_output`).
    stdout_ok : bool, optional
        Whether ``"-"`` is allowed: false for binary formats (PNG, GeoPackage). By
        default text is allowed and bytes are not.

    Returns
    -------
    Path or None
        The path written (a symlink's target), or None for standard output.

    Raises
    ------
    OutputError
        The target is refused (see :func:`check_output`) or the write failed (full disk,
        permission, read-only file system, name too long, ...): one line, no traceback.
    """
    if str(target) == STDOUT:
        _write_stdout(data, stdout_ok)
        return None
    final = check_output(target, inputs)
    mode, owner = _mode_for(final)
    chunks = _chunks(data)  # text is encoded before a temporary file exists
    tmp: str | None = None
    old_mask = _block_signals()
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name[:40]}.", suffix=".tmp",
                                       dir=final.parent)
        finally:
            # a signal that came while the name was being made is delivered here, inside
            # the try that removes it
            _restore_signals(old_mask)
        _fill(fd, chunks, mode, owner)
        check_output(target, inputs)  # a link to an input may have appeared meanwhile
        os.replace(tmp, final)
        tmp = None
        _fsync_folder(final.parent)
    except OutputError:
        raise
    except OSError as exc:
        raise _os_error(exc, target) from None
    finally:
        if tmp is not None:
            _remove_temp(tmp)
    return final


def _chunks(data: str | bytes | Iterable[bytes]) -> Iterable[bytes]:
    """``data`` as byte chunks: text encoded as UTF-8, bytes as one chunk."""
    if isinstance(data, str):
        return (data.encode("utf-8"),)
    return (data,) if isinstance(data, bytes | bytearray) else data


def _fill(fd: int, chunks: Iterable[bytes], mode: int, owner: tuple[int, int] | None) -> None:
    """Write the chunks to the new file ``fd``, give it its mode (and owner), make it durable."""
    with os.fdopen(fd, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
        fh.flush()
        os.fchmod(fh.fileno(), mode)
        if owner is not None:
            try:
                os.fchown(fh.fileno(), *owner)
            except OSError:
                pass  # not ours to give away: the file stays ours, with the same mode
        os.fsync(fh.fileno())


def _remove_temp(tmp: str) -> None:
    """Remove the temporary file; a second signal must not skip the removal."""
    mask = _block_signals()
    try:
        os.unlink(tmp)
    except OSError:
        pass
    finally:
        _restore_signals(mask)


def _write_stdout(data: str | bytes | Iterable[bytes], stdout_ok: bool | None) -> None:
    binary = not isinstance(data, str)
    if stdout_ok is False or (stdout_ok is None and binary):
        raise OutputError("this format is binary and cannot be written to standard output",
                          source=STDOUT, fix="give a file name instead of '-'")
    if isinstance(data, str):
        text = data
    else:
        raw = bytes(data) if isinstance(data, bytes | bytearray) else b"".join(data)
        text = raw.decode("utf-8", errors="replace")
    sys.stdout.write(terminal_text(text))
    sys.stdout.flush()


def _mode_for(final: Path) -> tuple[int, tuple[int, int] | None]:
    """The mode of the new file, and the owner to keep (an existing file's)."""
    try:
        st = os.stat(final)
    except FileNotFoundError:
        return 0o666 & ~_umask(), None
    mode = stat.S_IMODE(st.st_mode) & 0o777
    if not hasattr(os, "geteuid") or (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return mode, None
    return mode, (st.st_uid, st.st_gid)


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no read-only API: set and restore at once
    os.umask(mask)
    return mask


def _block_signals() -> set[int] | None:
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS))


def _restore_signals(mask: set[int] | None) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; best effort (some file systems refuse it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_ERRNO_TEXT: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space or write elsewhere"),
    errno.EFBIG: ("the file is too large for this file system or limit",
                  "write to another disk"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("the operation is not permitted here", "choose a folder you can write to"),
    errno.EROFS: ("the file system is read-only", "choose a folder you can write to"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter file name"),
    errno.ENOENT: ("the folder does not exist (or was removed)",
                   "create the folder first or choose another output path"),
    errno.ENOTDIR: ("a part of the path is not a folder", "check the output path"),
    errno.EISDIR: ("it is a folder", "give a file name"),
    errno.EIO: ("input/output error (a failing disk or network share?)",
                "write to another disk"),
}


def _os_error(exc: OSError, target: PathLike) -> OutputError:
    code = exc.errno if exc.errno is not None else -1
    problem, fix = _ERRNO_TEXT.get(code, (exc.strerror or type(exc).__name__,
                                          "choose another output path"))
    name = errno.errorcode.get(code, "")
    return OutputError(f"cannot write the output: {problem}" + (f" ({name})" if name else ""),
                       source=str(target), fix=fix)


# --- naming inputs in published outputs ----------------------------------------------------


def file_identity(path: PathLike) -> dict[str, Any]:
    r"""An input file named as a published output may name it: file name and SHA-256.

    Never the folder: a local path can tell who made the file and where.

    - A file: ``{"file": name, "sha256": hex of its bytes}``.
    - A shapefile (any of its parts given) or a folder: ``"sha256"`` is the digest of the
      ``sha256sum`` listing of its parts (``"<hex>  <name>\n"`` per file, sorted by
      name in code-point order); ``"parts"`` lists each part's own digest. The same
      figure comes from ``sha256sum <parts> | LC_ALL=C sort -k2 | sha256sum``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "line.geojson"); _ = p.write_bytes(b"abc")
    ...     file_identity(p)["sha256"][:16]
    'ba7816bf8f01cfea'
    """
    p = Path(path)
    if p.is_dir():
        parts = sorted((q for q in p.iterdir() if q.is_file()), key=lambda q: q.name)
    elif _part_suffix(p.name) in SHAPEFILE_PARTS and p.parent.is_dir():
        parts = sorted(_shapefile_parts(p), key=lambda q: q.name)
        if not parts:
            parts = [p]
        if parts == [p]:
            return {"file": p.name, "sha256": _sha256(p)}
        name = p.name if _part_suffix(p.name) == ".shp" else _stem(p.name) + ".shp"
        return _manifest(name, parts)
    else:
        return {"file": p.name, "sha256": _sha256(p)}
    return _manifest(p.name, parts)


def _manifest(name: str, parts: list[Path]) -> dict[str, Any]:
    listed = [{"file": q.name, "sha256": _sha256(q)} for q in parts]
    text = "".join(f"{e['sha256']}  {e['file']}\n" for e in listed)
    return {"file": name, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "parts": listed}


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


# --- text guards ---------------------------------------------------------------------------

# OWASP "CSV Injection": a cell beginning with one of these is read as a formula by Excel,
# LibreOffice and Google Sheets (=HYPERLINK(...), @SUM(...), +cmd|...).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    r"""A CSV cell that no spreadsheet evaluates as a formula (OWASP CSV injection).

    Text beginning with ``= + - @``, a tab, a CR or NUL gets a leading single quote,
    which spreadsheets read as "this is text". Numbers, and text that is a plain number
    (``"-12.5"``: it reads back as the same number), are returned unchanged.

    >>> csv_cell('=HYPERLINK("http://x","y")'), csv_cell("-12.5"), csv_cell(-3), csv_cell("a")
    ('\'=HYPERLINK("http://x","y")', '-12.5', -3, 'a')
    >>> csv_cell("-1+2"), csv_cell("@SUM(A1)"), csv_cell(None)
    ("'-1+2", "'@SUM(A1)", None)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


# ECMA-48: CSI (ESC [ or 0x9B) params intermediates final; OSC, DCS, SOS, PM, APC strings
# up to ST (ESC \ or 0x9C) or BEL, or the end of the line (an unterminated string must not
# swallow the lines after it); other two-byte escapes; then any C0/C1 control left.
_TERMINAL_SEQ = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def terminal_text(text: str) -> str:
    r"""``text`` without terminal control: escape sequences and C0/C1 controls removed.

    Newlines and tabs are kept; lone surrogates (which no terminal can encode) become
    U+FFFD. Data-derived names and messages go through it before they reach a terminal,
    so a name cannot retitle the window, fake a hyperlink (OSC 8) or rewrite the screen.

    >>> terminal_text("a\x1b]0;pwned\x07b\x1b[31mred\x1b[0m\tc\r\nd\x9b2J")
    'abred\tc\nd'
    """
    return _TERMINAL_SEQ.sub("", _SURROGATE.sub("\ufffd", text))
