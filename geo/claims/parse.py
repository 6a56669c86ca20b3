"""Reading a ledger: TOML tables validated field by field into a :class:`Ledger`.

Every error names the ledger, the claim id and the field, with the fix. A ledger read
from a file is a sandbox: the files it names resolve relative to its folder and must lie
inside it (or a folder allowed). Shipped ledgers are named by their file's stem.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geo._memo import Memo
from geo.claims.fields import (
    COMMON_FIELDS,
    COPY_KINDS,
    KEPT_FIELDS,
    METRICS,
    PATH_FIELDS,
    MetricSpec,
    check_fields,
    ledger_error,
    shown,
)
from geo.claims.intervals import OPS, Hedge, infer_hedge, stated_interval
from geo.claims.ledger import Claim, Ledger
from geo.errors import InputError, LedgerError
from geo.read.base import path_problem
from geo.read.sources import looks_like_path

__all__ = [
    "LEDGER_DIR",
    "ledger_path",
    "load_ledger",
    "parse_ledger",
    "shipped_ledgers",
]

LEDGER_DIR = Path(__file__).resolve().parents[1] / "data" / "ledgers"


def parse_ledger(data: Mapping[str, Any], *, path: str = "",
                 allow_paths: Sequence[str | Path] = ()) -> Ledger:
    """Validate parsed TOML and return a :class:`Ledger`.

    A ledger read from ``path`` is a sandbox: every file it names resolves relative to
    the ledger's folder and must lie inside it, or inside one of ``allow_paths``
    (symbolic links followed), never relative to the current folder. A ledger is shared;
    it must not be a way to read, and publish, what lies around it.

    Raises
    ------
    LedgerError
        Naming the ledger, the claim id and the field, with the fix.

    Examples
    --------
    >>> led = parse_ledger({"claim": [{"id": "a", "text": "t", "source": "s",
    ...                                "metric": "sum", "values": [1, 2], "value": 3}]})
    >>> [c.id for c in led]
    ['a']
    >>> parse_ledger({"claim": [{"id": "a", "text": "t", "source": "s", "metric": "sum",
    ...                          "values": [1, 2], "value": 3, "op": "=>"}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.LedgerError: ledger, claim 'a', field 'op': '=>' is not an operator. Fix: ...
    """
    where = path or "ledger"
    head, claims_raw = _tables(data, where)
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, raw in enumerate(claims_raw):
        c = _parse_claim(raw, i, where)
        if c.id in seen:
            raise ledger_error(where, c.id, "id", "is used by two claims",
                               "give each claim its own id")
        seen.add(c.id)
        claims.append(c)
    for k in ("line", "boundary", "title", "description"):
        if k in head and not isinstance(head[k], str):
            raise ledger_error(where, None, k, f"[ledger] {k} must be a string, got "
                               f"{head[k]!r}", f'write {k} = "..."')
    box = _Sandbox(Path(path).parent, tuple(Path(a) for a in allow_paths), where) \
        if path else None
    claims = [_anchor_claim(c, box) for c in claims]
    return Ledger(tuple(claims), path=path, title=head.get("title", ""),
                  description=head.get("description", ""),
                  line=_anchor(head.get("line"), box, None, "line"),
                  boundary=_anchor(head.get("boundary"), box, None, "boundary"))


def _tables(data: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[Any]]:
    """The ``[ledger]`` table (or ``{}``) and the ``[[claim]]`` tables, none other."""
    unknown = set(data) - {"ledger", "claim"}
    if unknown:
        raise ledger_error(where, None, sorted(unknown)[0], "is not a table of a ledger",
                           "a ledger has an optional [ledger] table and [[claim]] tables")
    head = data.get("ledger", {})
    if not isinstance(head, dict):
        raise ledger_error(where, None, "ledger", "must be a table",
                           "write [ledger] with title = ...")
    claims_raw = data.get("claim", [])
    if not isinstance(claims_raw, list) or not claims_raw:
        raise ledger_error(where, None, "claim", "no [[claim]] tables found",
                           "add at least one [[claim]] table (see `gazamap check --help`)")
    return head, claims_raw


@dataclass(frozen=True)
class _Table:
    """One ``[[claim]]`` table being read, and where an error is named."""

    raw: Mapping[str, Any]
    where: str
    cid: str

    def fail(self, name: str, problem: str, fix: str) -> LedgerError:
        return ledger_error(self.where, self.cid, name, problem, fix)

    def string(self, name: str, required: bool = False) -> str:
        """A string field stripped (``""`` when absent); a TOML ``date`` as ISO text."""
        v = self.raw.get(name)
        if v is None:
            if required:
                raise self.fail(name, "is missing", f"add {name} = \"...\" to the claim")
            return ""
        if isinstance(v, datetime | date) and name == "date":
            return v.isoformat()
        if not isinstance(v, str) or (required and not v.strip()):
            raise self.fail(name, f"must be a non-empty string, got {v!r}",
                            f"write {name} = \"...\"")
        return v.strip()

    def number(self, name: str, *, positive: bool) -> float | None:
        """An optional finite number, positive or non-negative, in the metric's unit."""
        v = self.raw.get(name)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or (
                v <= 0 if positive else v < 0):
            raise self.fail(name, f"must be a {'positive' if positive else 'non-negative'} "
                            f"number, got {v!r}", f"write {name} = 0.5 (in the metric's unit)")
        return float(v)


def _parse_claim(raw: Any, i: int, where: str) -> Claim:
    """One ``[[claim]]`` table, checked field by field (the first wrong one raises)."""
    t = _Table(raw, where, _claim_id(raw, i, where))
    text, source = t.string("text", required=True), t.string("source", required=True)
    date_s, url, note = t.string("date"), t.string("url"), t.string("note")
    metric, spec = _metric(t)
    op_given, approx_given = _op_approx_given(t)
    provenance = _provenance(t, url)
    hedge = (infer_hedge(text, raw.get("value"))
             if spec.kind == "number" and raw.get("value") is not None else Hedge())
    op, approx, hedge_notes, lint = _hedged(hedge, op_given, approx_given,
                                            isinstance(raw.get("value"), list),
                                            raw.get("stat"))
    tol = t.number("tolerance", positive=False)
    prec = t.number("precision", positive=True)
    value = _value(t, metric, spec, op, approx, tol, prec)
    fields = {k: raw[k] for k in (*spec.required, *spec.optional, *KEPT_FIELDS) if k in raw}
    check_fields(metric, fields, where, t.cid)
    return Claim(id=t.cid, text=text, source=source, metric=metric, value=value, op=op,
                 date=date_s, url=url, note=note, approx=approx, tolerance=tol,
                 precision=prec, fields=fields, hedge_notes=hedge_notes, lint=lint,
                 **provenance)


def _claim_id(raw: Any, i: int, where: str) -> str:
    """The claim's id (stripped); a claim that is no table or has no id is named by rank."""
    if not isinstance(raw, dict):
        raise ledger_error(where, f"#{i + 1}", None, "is not a table",
                           "write each claim as a [[claim]] table")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise ledger_error(where, f"#{i + 1}", "id", f"missing or not a string (got {cid!r})",
                           'give every claim a unique id, e.g. id = "C05"')
    return cid.strip()


def _metric(t: _Table) -> tuple[str, MetricSpec]:
    """The claim's metric: a known one, with every field it requires and none it does not."""
    metric = t.raw.get("metric")
    if not isinstance(metric, str) or metric not in METRICS:
        raise t.fail("metric", f"unknown metric {shown(metric)}",
                     f"use one of {', '.join(METRICS)}")
    spec = METRICS[metric]
    allowed = COMMON_FIELDS | set(KEPT_FIELDS) | set(spec.required) | set(spec.optional)
    for k in t.raw:
        if k not in allowed:
            raise t.fail(k, f"is not a field of metric {metric!r}",
                         f"{metric} takes {', '.join([*spec.required, *spec.optional]) or 'none'}"
                         " besides the common fields")
    for k in spec.required:
        if k not in t.raw:
            raise t.fail(k, f"is missing (metric {metric!r} needs it)",
                         f"add {k} = ... ({spec.description})")
    return metric, spec


def _op_approx_given(t: _Table) -> tuple[str | None, bool | None]:
    """``op`` and ``approx`` as the claim gives them (``None``: from the text's words)."""
    op_given = t.raw.get("op")
    if op_given is not None and op_given not in OPS:
        raise t.fail("op", f"{op_given!r} is not an operator", f"use one of {' '.join(OPS)}")
    approx_given = t.raw.get("approx")
    if approx_given is not None and not isinstance(approx_given, bool):
        raise t.fail("approx", f"must be true or false, got {approx_given!r}",
                     "write approx = true for 'about', 'nearly', 'roughly'")
    return op_given, approx_given


def _provenance(t: _Table, url: str) -> dict[str, Any]:
    """Who published the text and how it was read: outlet, seen_at, version, derived, copy."""
    outlet, seen_at = t.string("outlet"), t.string("seen_at")
    for name, u in (("url", url), ("seen_at", seen_at)):
        try:
            urlsplit(u).hostname  # noqa: B018 - raises on a malformed host ("http://[::1")
        except ValueError as exc:
            raise t.fail(name, f"{u[:80]!r} is not a URL ({exc})",
                         f'write {name} = "https://..." or leave it out') from None
    version = t.string("version")
    derived = t.raw.get("derived", False)
    if not isinstance(derived, bool):
        raise t.fail("derived", f"must be true or false, got {derived!r}",
                     "write derived = true for the ledger's own arithmetic on a published "
                     "figure")
    copy = t.string("copy")
    if copy and copy not in COPY_KINDS:
        raise t.fail("copy", f"{copy!r} is not one of {', '.join(COPY_KINDS)}",
                     "say how the text was read: original, mirror or summary")
    return {"outlet": outlet, "seen_at": seen_at, "version": version, "derived": derived,
            "copy": copy}


def _value(t: _Table, metric: str, spec: MetricSpec, op: str, approx: bool,
           tol: float | None, prec: float | None) -> Any:
    """The stated value as written: yes/no, or a number or range with a finite interval."""
    value = t.raw.get("value")
    if value is None and metric != "none":
        raise t.fail("value", "is missing", "add value = the stated figure")
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise t.fail("value", f"must be true or false for {metric}, got {value!r}",
                         "write value = true or value = false")
        if op != "=":
            raise t.fail("op", f"{op!r} makes no sense for a yes/no metric",
                         "use op = \"=\" or leave op out")
    elif value is not None and spec.kind == "number":
        if isinstance(value, bool) or not isinstance(value, list | str | int | float):
            raise t.fail("value", f"must be a number for {metric}, got {shown(value)}",
                         'write value = "53" (as written in the source)')
        if isinstance(value, list) and (len(value) != 2 or op != "="):
            raise t.fail("value", f"a stated range must have two numbers and op '=', got "
                         f"{value!r}", "write value = [low, high]")
        try:
            st = stated_interval(value, approx=approx, tolerance=tol, precision=prec)
            if st.low is None or st.high is None or not (
                    math.isfinite(st.low) and math.isfinite(st.high)):
                raise ValueError(f"{shown(value)} is not a finite number")
        except (ValueError, ArithmeticError) as exc:
            raise t.fail("value", str(exc),
                         'write a number as written in the source, e.g. value = "53" or 54.5; '
                         'use approx = true for "about"') from None
    return value


def _hedged(h: Hedge, op_given: str | None, approx_given: bool | None, is_range: bool,
            stat: Any = None) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
    """``(op, approx, notes, lint)``: explicit fields win, else the words of the text.

    "up to 520" on a maximum (``stat = "max"``), or "at least 1.5" on a minimum, states
    the statistic itself: the operator stays ``=``.
    """
    notes: list[str] = []
    lint: list[str] = []
    if h.op is not None and ((stat == "max" and h.op in ("<", "<="))
                             or (stat == "min" and h.op in (">", ">="))):
        notes.append(f"{h.op_word!r} {h.where} states the {stat}imum itself: op stays '='")
        h = Hedge(h.approx_word, None, None, h.where, h.exact)
    if approx_given is None:
        approx = h.approx_word is not None
        if approx:
            notes.append(f"approx = true from the word {h.approx_word!r} {h.where}")
    else:
        approx = approx_given
        if not approx and h.approx_word is not None and h.exact:
            lint.append(f"approx = false, but the text says {h.approx_word!r} {h.where}: "
                        "write approx = true, or drop approx if the word is no hedge")
    op: str
    if op_given is None:
        op = h.op if h.op is not None and not is_range else "="
        if op != "=":
            notes.append(f"op = {op!r} from the words {h.op_word!r} {h.where}")
    else:
        op = op_given
        if h.op is not None and h.op != op and not is_range and h.exact:
            lint.append(f"op = {op!r}, but the text says {h.op_word!r} ({h.op!r}) {h.where}: "
                        "correct op, or drop it to use the text's")
    return op, approx, tuple(notes), tuple(lint)


@dataclass(frozen=True)
class _Sandbox:
    """Where the files a ledger names may lie: its folder and the folders allowed."""

    base: Path
    allowed: tuple[Path, ...]
    where: str

    def _fail(self, cid: str | None, fld: str, problem: str, fix: str) -> LedgerError:
        return ledger_error(self.where, cid, fld, problem, fix)

    def inside(self, spec: str, cid: str | None, fld: str) -> str:
        """The path of ``spec`` relative to the ledger's folder, refused outside the box."""
        problem = path_problem(spec)
        if problem is not None:
            raise self._fail(cid, fld, f"the file name {spec[:60]!r} cannot be used: "
                             f"{problem}", "rename the file and give its new name")
        p = Path(spec)
        full = p if p.is_absolute() else self.base / p
        try:
            real = full.resolve()
            roots = [r.resolve() for r in (self.base, *self.allowed)]
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            raise self._fail(cid, fld, f"the file {spec[:60]!r} cannot be opened "
                             f"({exc})", "check the path") from None
        if not any(real.is_relative_to(r) for r in roots):
            raise self._fail(cid, fld,
                             f"{spec[:80]!r} lies outside the ledger's folder (refused: a "
                             "ledger names only files beside it, so that sharing it cannot "
                             "publish what lies elsewhere)",
                             "copy the file into the ledger's folder, or allow its folder "
                             "explicitly (allow_paths)")
        return str(full)


def _anchor(spec: Any, box: _Sandbox | None, cid: str | None, fld: str) -> Any:
    """A file path in a ledger, relative to the ledger's folder and checked inside it."""
    if not isinstance(spec, str) or box is None or not looks_like_path(spec):
        return spec
    return box.inside(spec, cid, fld)


def _anchor_claim(c: Claim, box: _Sandbox | None) -> Claim:
    fields = dict(c.fields)
    for k in PATH_FIELDS:
        if isinstance(fields.get(k), list):
            fields[k] = [_anchor(x, box, c.id, k) for x in fields[k]]
        elif k in fields:
            fields[k] = _anchor(fields[k], box, c.id, k)
    return replace(c, fields=fields)


def shipped_ledgers() -> dict[str, Path]:
    """The ledgers shipped with gazamap, by name (``seed``, ``public``)."""
    return {p.stem: p for p in sorted(LEDGER_DIR.glob("*.toml"))}


def ledger_path(spec: str) -> Path:
    """A ledger file path, or the name of a shipped ledger (``seed``, ``public``).

    Told apart by the text, never by the current folder: a name without a dot or a
    slash is a shipped ledger (a file ``seed`` there does not replace it; ``./seed``
    names that file).
    """
    problem = path_problem(spec)
    if problem is not None:
        raise LedgerError(f"the ledger's file name cannot be used: {problem}",
                          source=repr(spec[:60]), fix="rename the file")
    shipped = shipped_ledgers()
    if not looks_like_path(spec):
        if spec in shipped:
            return shipped[spec]
        raise LedgerError("not the name of a shipped ledger", source=spec,
                          fix=f"give one of {', '.join(shipped) or '(none)'}, or a TOML "
                              f"file (./{spec} for a file of that name)")
    p = Path(spec)
    if p.is_file():
        return p
    if p.exists():
        raise LedgerError("is not a file", source=spec, fix="give a TOML ledger file")
    raise LedgerError("no such file (a path, not the name of a shipped ledger)", source=spec,
                      fix=f"give a TOML file or one of {', '.join(shipped) or '(none)'}")


def load_ledger(spec: str | Path, *, allow_paths: Sequence[str | Path] = ()) -> Ledger:
    """Read and validate a ledger file, or a shipped ledger by name.

    ``allow_paths``: folders besides the ledger's own where the files it names may lie
    (see :func:`parse_ledger`).
    """
    path = ledger_path(str(spec))
    from geo.read.io import read_toml

    # a command reads its ledger twice (the output guard lists the files it names, then
    # the check): the same file, unchanged, in the same folder, is parsed once
    try:
        st = path.stat()
        key: tuple[Any, ...] | None = (str(path.resolve()), st.st_ino, st.st_size,
                                       st.st_mtime_ns, os.getcwd(),
                                       tuple(str(a) for a in allow_paths))
    except (OSError, ValueError):
        key = None
    kept = _PARSED.get(key) if key is not None else None
    if kept is not None:
        return kept
    try:
        data = read_toml(path)  # bounded in size and nesting (issue 9)
    except InputError as exc:
        raise LedgerError(exc.problem, source=exc.source, fix=exc.fix) from None
    ledger = parse_ledger(data, path=str(path), allow_paths=allow_paths)
    return _PARSED.put(key, ledger) if key is not None else ledger


# ledgers parsed in this process, by file identity, size, time and the folders allowed
_PARSED: Memo[tuple[Any, ...], Ledger] = Memo(8)
