"""Outline sensitivity: the same line's zones and shares on every packaged outline.

The figures' types live in :mod:`geo.analysis.outlines` (which the analysis reads); this
module runs one analysis per outline, so it sits above the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.analysis.outlines import PACKAGED_OUTLINES, OutlineFigures, figures_of
from geo.analysis.pipeline import analyse_quietly
from geo.analysis.request import LineSpec, Request
from geo.analysis.uncertainty import LineUncertainty
from geo.errors import InputError
from geo.geometry.partition import DEFAULT_SNAP_TOLERANCE_M
from geo.read.sources import Source, resolve

__all__ = ["outline_sensitivity"]


def outline_sensitivity(
    line: Source | str,
    outlines: Sequence[Source | str] = PACKAGED_OUTLINES,
    *,
    uncertainty_m: float | LineUncertainty | None = None,
    snap_tolerance_m: float = DEFAULT_SNAP_TOLERANCE_M,
) -> tuple[OutlineFigures, ...]:
    """The zones and shares of ``line`` on each of ``outlines``, in the order given.

    ``line`` and each outline are a :class:`geo.read.sources.Source` or a dataset reference;
    ``uncertainty_m`` (±u, or toward Israel and toward the coast) defaults to the line
    dataset's catalog value, one-sided where the catalog says so (0 for a file).

    Raises
    ------
    InputError
        When ``outlines`` is empty or ``uncertainty_m`` is negative (and whatever the
        split of one outline raises, e.g. a line that does not cross it).
    """
    ln = line if isinstance(line, Source) else resolve(line, "line")
    u: float | LineUncertainty | None = uncertainty_m
    if u is None and ln.dataset is None:
        u = ln.uncertainty_m  # a file: its own value (None lets a dataset give both sides)
    if u is not None and not isinstance(u, LineUncertainty) and not float(u) >= 0:
        raise InputError(f"uncertainty_m is {u!r}", source="uncertainty_m",
                         fix="give a distance in metres >= 0")
    if not outlines:
        raise InputError("no outline was given", source="outlines",
                         fix="give at least one boundary (e.g. PACKAGED_OUTLINES)")
    out = []
    for spec in outlines:
        b = spec if isinstance(spec, Source) else resolve(spec, "boundary")
        a = analyse_quietly(Request(
            boundary=b, lines=(LineSpec(ln.label, uncertainty_m=u, source=ln),),
            snap_tolerance_m=snap_tolerance_m, governorates=False, alternatives=False,
            outlines=False, population=False))
        out.append(figures_of(b.ref, a.boundary_area_km2, a.zones))
    return tuple(out)
