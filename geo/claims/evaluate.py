"""Evaluation: a verdict for each claim of a ledger (:class:`Evaluator`, :func:`check_ledger`).

The evaluator chooses what each claim is checked against (its line, or the version in
force on its date, its boundary and uncertainty), computes its metric
(:data:`geo.claims.metrics.METRIC_FUNCS`) and judges it (:func:`geo.claims.verdict.judged`).
A claim whose data does not exist (a line with no public geometry, population or marker
data, or the line *version* the claim describes) is ``not-checkable``, with the reason; a
file it names that is missing or unreadable, or a zone its lines do not make, is an
error of the ledger.

**Readings.** A metric whose word has several meanings (the "length" of the Strip, its
"width" at a place) is computed in every reading the claim allows; the claim is
consistent when one of them fits, and the verdict names it; inconsistent only when none
does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.analysis import Analysis
from geo.analysis.request import LineSpec, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.catalog import Catalog, parse_ref
from geo.claims._figures import Figures, Lines, NotCheckable, Uncertainty
from geo.claims.computed import Target
from geo.claims.ledger import Claim, Ledger
from geo.claims.metrics import METRIC_FUNCS
from geo.claims.parse import load_ledger
from geo.claims.verdict import LedgerResult, Verdict, judged
from geo.errors import InputError, LedgerError
from geo.read.sources import (
    DEFAULT_BOUNDARY,
    DEFAULT_LINE,
    Source,
    looks_like_path,
    resolve_markers,
)

__all__ = [
    "Evaluator",
    "check_ledger",
    "evaluate_claim",
]


class Evaluator:
    """Evaluates claims, computing each (line, boundary) partition once.

    Parameters
    ----------
    line, boundary : str or geo.read.sources.Source, optional
        Defaults for claims (and ledgers) that name none: a dataset id, a file, or an
        already resolved source (e.g. a line built from markers).
    read_options : dict, optional
        Passed to :func:`geo.read.sources.resolve` for files.
    catalog : geo.catalog.Catalog, optional
        Where dataset ids are looked up (default: packaged plus ``GAZAMAP_DATA_DIR``).
    uncertainty_m : float or geo.analysis.uncertainty.LineUncertainty, optional
        The lines' positional uncertainty for claims that state none: ±u, or toward
        Israel and toward the coast (default: each line's catalog value; none for a file).
    analysis : geo.analysis.Analysis, optional
        An analysis already computed (a report's): claims on its lines and outline read
        it instead of computing their own. Its lines, boundary, catalog, read options and
        uncertainty become the defaults.
    request : geo.analysis.request.Request, optional
        The request every claim's analysis derives from (tolerances, controlled point,
        data directories, read options); its lines and boundary are the defaults of
        claims that name none (several lines: the zones east, between-k, west).
    """

    def __init__(self, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None,
                 uncertainty_m: Uncertainty = None,
                 analysis: Analysis | None = None,
                 request: Request | None = None):
        if analysis is not None:
            request = analysis.request
        if request is not None:
            catalog, read_options = request.catalog, request.read.kwargs()
            given = {s.uncertainty_m for s in request.lines}
            if uncertainty_m is None and len(given) == 1:
                uncertainty_m = given.pop()
        self.figures = Figures(catalog=catalog, read_options=read_options, request=request)
        self.uncertainty_m = uncertainty_m
        lines: Lines | None = None
        if analysis is not None:
            keys = tuple(self.figures.register(ln.source, "line") for ln in analysis.lines)
            lines = keys[0] if len(keys) == 1 else keys
            boundary = self.figures.register(analysis.boundary, "boundary")
            self.figures.seed(lines, boundary, uncertainty_m, analysis)
        elif isinstance(line, Source):
            # a resolved source (e.g. a line built from markers) is registered by its label
            lines = self.figures.register(line, "line")
        elif line:
            lines = line
        elif request is not None and request.lines:
            keys = tuple(self._register_spec(s) for s in request.lines)
            lines = keys[0] if len(keys) == 1 else keys
        if boundary is None and request is not None and analysis is None:
            boundary = request.boundary
        if isinstance(boundary, Source):
            boundary = self.figures.register(boundary, "boundary")
        self.line: Lines = lines if lines is not None else DEFAULT_LINE
        self.boundary = boundary or DEFAULT_BOUNDARY

    def _register_spec(self, spec: LineSpec) -> str:
        """A request's line as a key of the figures (markers are built once, here)."""
        req = self.figures.base
        if spec.source is not None:
            return self.figures.register(spec.source, "line")
        if spec.from_markers:
            src = resolve_markers(spec.ref, req.catalog, outlier_m=req.outlier_m,
                                  **req.read.kwargs())
            return self.figures.register(src, "line")
        return spec.ref

    # -- claims ---------------------------------------------------------------

    def evaluate(self, claim: Claim, ledger: Ledger | None = None) -> Verdict:
        """The verdict for one claim (``on_default_line``: it names no line of its own)."""
        own = claim.fields.get("line") or (ledger.line if ledger else None)
        return replace(self._evaluate(claim, ledger), on_default_line=not own)

    def _evaluate(self, claim: Claim, ledger: Ledger | None) -> Verdict:
        if claim.metric == "none":
            return Verdict(claim, "not-checkable", None, None, str(claim.fields["reason"]))
        target: Target | None = None
        try:
            target = self.target(claim, ledger)  # a date before every version: not checkable
            computed = METRIC_FUNCS[claim.metric](self.figures, claim, target)
        except LedgerError as exc:  # a field found wrong while computing: name the ledger
            where = ledger.path if ledger is not None and ledger.path else ""
            if not where or (exc.source or "").startswith(where):
                raise
            raise LedgerError(exc.problem, source=f"{where}, {exc.source}",
                              fix=exc.fix) from None
        except InputError as exc:
            # a file the claim names is missing or unreadable, or the claim asks for a
            # zone its lines do not make: an input error of the ledger, never a verdict
            where = (ledger.path if ledger is not None and ledger.path else "ledger")
            raise LedgerError(exc.message, source=f"{where}, claim {claim.id!r}",
                              fix=None) from None
        except NotCheckable as exc:
            given = claim.fields.get("reason")
            why = str(exc)
            if claim.version and target is not None:
                why = (f"the text describes the line version {target.line}, which has no "
                       "public geometry: gazamap does not check a claim against a version "
                       "it does not describe (give the version as a line file to check it)")
            return Verdict(claim, "not-checkable", None, None,
                           f"{given} ({why})" if given else why)
        named = self._named_line(claim, ledger)
        note = (f"checked against {target.line}, the version in force on {claim.date}"
                if isinstance(named, str) and named != target.line and not claim.version
                else "")
        if claim.version and self._users_line(named):
            shown = Path(named).name if looks_like_path(named) else named  # type: ignore[arg-type]
            note = (f"judged against {shown}, not the version {claim.version} the text "
                    "describes")
        return judged(claim, computed, note)

    def check(self, ledger: Ledger) -> LedgerResult:
        """Verdicts for every claim of a ledger."""
        verdicts = tuple(self.evaluate(c, ledger) for c in ledger)
        return LedgerResult(ledger, verdicts, tuple(self.figures.sources()))

    def target(self, claim: Claim, ledger: Ledger | None = None) -> Target:
        """The line, boundary and uncertainty a claim is checked against.

        Precedence: the claim's fields, then the ledger's ``[ledger]`` table, then this
        evaluator's defaults.
        """
        f = claim.fields
        line = self._named_line(claim, ledger)
        if claim.version and not self._users_line(line):
            # the version the text describes: id@version as given, or a version of the line
            # (an explicit version wins over the one in force on the claim's date)
            base = line if isinstance(line, str) else line[0]
            line = (claim.version if "@" in claim.version
                    else f"{parse_ref(base)[0]}@{claim.version}")
        elif isinstance(line, str) and claim.date:
            line = self._dated(line, claim.date)
        boundary = f.get("boundary") or (ledger.boundary if ledger else None) or self.boundary
        u = f.get("uncertainty_m", self.uncertainty_m)
        if isinstance(u, list | str | LineUncertainty):  # two sides: toward Israel, coast
            sides = LineUncertainty.of(u)
            u = sides.toward_coast_m if sides.symmetric else sides
        return Target(tuple(line) if isinstance(line, list) else line, boundary,
                      None if u is None else u if isinstance(u, LineUncertainty) else float(u))


    def _users_line(self, line: Lines) -> bool:
        """Whether the line is a user's own (judged against on request): it has no versions."""
        return isinstance(line, str) and (looks_like_path(line)
                                          or self.figures.is_users(line, "line"))

    def _named_line(self, claim: Claim, ledger: Ledger | None) -> Lines:
        line = claim.fields.get("line") or (ledger.line if ledger else None) or self.line
        return tuple(line) if isinstance(line, list) else line

    def _dated(self, line: str, when: str) -> str:
        """A bare line id of several versions read as the version in force on ``when``.

        A dataset id without ``@version`` whose catalog holds more than one version of a
        line: the newest dated on or before the claim's date (:mod:`geo.timeline`).
        """
        from geo.versions import line_versions_of, version_in_force

        if "@" in line or looks_like_path(line):
            return line
        from geo.catalog import default_catalog

        cat = self.figures.catalog or default_catalog()
        if len(cat.versions(line)) < 2:
            return line
        ds, reason = version_in_force(line_versions_of(cat, line), when)
        if ds is None:
            raise NotCheckable(reason)
        return ds.ref


def evaluate_claim(claim: Claim, evaluator: Evaluator | None = None) -> Verdict:
    """The verdict for one claim (a fresh :class:`Evaluator` unless one is given)."""
    return (evaluator or Evaluator()).evaluate(claim)


def check_ledger(ledger: Ledger | str | Path, *, line: str | Source | None = None,
                 boundary: str | Source | None = None,
                 read_options: Mapping[str, Any] | None = None,
                 catalog: Catalog | None = None,
                 uncertainty_m: Uncertainty = None,
                 analysis: Analysis | None = None,
                 request: Request | None = None,
                 allow_paths: Sequence[str | Path] = ()) -> LedgerResult:
    """Load a ledger (file or shipped name) and evaluate every claim.

    The files a ledger names lie in its folder or in one of ``allow_paths`` (see
    :func:`geo.claims.parse_ledger`); one that is missing or cannot be read is a
    :class:`~geo.errors.LedgerError`, as is a claim on a zone the lines do not make.

    ``line`` and ``boundary`` apply to claims that name none and whose ledger names none
    (precedence: claim, then ``[ledger]``, then these, then the packaged defaults);
    ``uncertainty_m`` to claims that state none. ``analysis`` (see :class:`Evaluator`)
    gives all of these at once and its figures; ``request`` (see :class:`Evaluator`) the
    lines, boundary, tolerances and read options every claim's analysis derives from.

    Examples
    --------
    >>> from geo.claims import parse_ledger
    >>> res = check_ledger(parse_ledger({"claim": [
    ...     {"id": "x", "text": "155 + 210 = 365", "source": "test", "metric": "sum",
    ...      "values": [155, 210], "value": 365}]}))
    >>> [(v.id, v.verdict, v.computed.value) for v in res.verdicts]
    [('x', 'consistent', 365.0)]
    """
    led = ledger if isinstance(ledger, Ledger) else load_ledger(ledger, allow_paths=allow_paths)
    return Evaluator(line=line, boundary=boundary, read_options=read_options,
                     catalog=catalog, uncertainty_m=uncertainty_m,
                     analysis=analysis, request=request).check(led)
