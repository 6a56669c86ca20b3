"""The default set of layers of a gazamap map, in drawing order (bottom first)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from geo.analysis import Analysis
from geo.compare import Comparison
from geo.errors import InputError
from layers.bands import band_layers
from layers.base import Layer
from layers.basemap import neighbours_layer
from layers.compare import compare_layers
from layers.crossings import crossing_layers
from layers.governorates import governorates_layer
from layers.line import line_layers
from layers.municipalities import municipalities_layer
from layers.outline import outline_layer, ponds_layer
from layers.places import label_layer, places_layer
from layers.zones import zone_layers

__all__ = ["default_layers", "select_layers"]


def select_layers(layers: Sequence[Layer], include: Iterable[str] | None) -> list[Layer]:
    """Keep the layers whose id or kind is in ``include`` (all when ``None``), in order.

    A layer named in ``include`` is shown even if it is hidden by default (places, the
    bands): asking for it is asking to see it, and a static map has no layer control.

    Raises
    ------
    geo.errors.InputError
        For a name that is neither a layer id nor a kind, listing the valid ones.
    """
    if include is None:
        return list(layers)
    wanted = [w.strip() for w in include if w.strip()]
    known = {ly.id for ly in layers} | {ly.kind for ly in layers}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise InputError(
            f"unknown layer {', '.join(repr(u) for u in unknown)}", source="--layers",
            fix=f"use ids or kinds among {', '.join(sorted(known))}",
        )
    return [replace(ly, show=True) for ly in layers if ly.id in wanted or ly.kind in wanted]


def default_layers(
    report: Analysis,
    *,
    comparison: Comparison | None = None,
    user_layers: Sequence[Layer] = (),
    include: Iterable[str] | None = None,
    offline: bool = False,
    lang: str = "en",
) -> list[Layer]:
    """All layers of the map of ``report``, bottom first.

    Parameters
    ----------
    report : geo.analysis.Analysis
        From :func:`geo.analyse`; its partition gives the outline, the zones and the
        lines, its figures the tooltips.
    comparison : geo.compare.Comparison, optional
        ``report``'s line (A) against a second line (B) on the same outline
        (:func:`geo.compare.compare_analyses`): adds ``compare-area`` (the area between
        the lines, km² in its tooltip) and ``compare-line``.
    user_layers : sequence of Layer
        Extra layers drawn above the packaged ones (:func:`layers.user.user_layer`).
    include : iterable of str, optional
        Layer ids or kinds to keep (see :func:`select_layers`).
    offline : bool
        Add the packaged neighbouring land as a vector basemap (no tiles offline).
    lang : {"en", "ar"}
        Language of layer names, legend labels and tooltip labels.

    Returns
    -------
    list of Layer
        Ids: ``neighbours`` (offline), ``zone-east``, ``zone-between-k``, ``zone-west``,
        ``band-israel-1km``,
        ``band-egypt-100m``, ``line-band``, ``municipalities``, ``governorates``,
        ``ponds``, ``outline``, ``compare-area``, ``line``, ``compare-line``, ``user-N``,
        ``crossings``, ``crossings-approx``, ``places``, ``labels``.
    """
    wanted = None if include is None else {w.strip() for w in include}
    out: list[Layer] = []
    if offline or (wanted is not None and "neighbours" in wanted):
        out.append(neighbours_layer(lang=lang, land=report.partition.boundary))
    out += _partition_layers(report, comparison, lang)
    out += user_layers
    out += crossing_layers(lang=lang)
    out.append(places_layer(lang=lang))
    out.append(label_layer(lang=lang))
    ids = [ly.id for ly in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"two layers share the id {dupes[0]!r}",
                         fix="give each user layer its own index")
    return select_layers(out, wanted)


def _partition_layers(report: Analysis, comparison: Comparison | None,
                      lang: str) -> list[Layer]:
    """The zones, the bands, the boundaries and the lines, in drawing order.

    The bands of the lines lie under the boundaries, the lines over them; the area
    between two compared lines lies under the lines, line B over them.
    """
    lines = line_layers(report, lang=lang)
    compare = compare_layers(comparison, lang=lang) if comparison is not None else []
    ponds = ponds_layer(report, lang=lang)
    return [
        *zone_layers(report, lang=lang),
        *band_layers(lang=lang),
        *(ly for ly in lines if ly.id.startswith("line-band")),
        municipalities_layer(lang=lang),
        governorates_layer(report, lang=lang),
        *([ponds] if ponds is not None else []),
        outline_layer(report, lang=lang),
        *(ly for ly in compare if ly.id == "compare-area"),
        *(ly for ly in lines if not ly.id.startswith("line-band")),
        *(ly for ly in compare if ly.id == "compare-line"),
    ]
