"""The declarative layer model shared by the interactive and the static renderer.

A :class:`Layer` is data, not drawing code: lon/lat features, one :class:`Style`, one
:class:`LegendEntry`, the properties to show (tooltip, popup, static label) and the
provenance of the data. ``maps.interactive`` turns layers into Leaflet layers and
``maps.static`` into matplotlib artists; neither adds meaning that is not here.

Conventions every renderer follows:

- ``features`` are :class:`geo.catalog.Feature` in lon/lat (EPSG:4326, RFC 7946 order),
  unrounded; a renderer may round coordinates *for display only* (never for area).
- Property values named in ``tooltip_fields``, ``popup_fields`` and ``label_field`` are
  plain text (numbers already formatted with their units); renderers insert them as text
  or HTML-escape them, never as markup.
- A property whose name ends in ``_ar`` is Arabic text, rendered right-to-left.
- ``show=False`` layers are listed (legend, layer control) but start hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from geo.errors import InputError
from geo.read.features import Feature

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from layers._provenance import DataProvenance

__all__ = ["Symbol", "Style", "LegendEntry", "Layer", "SLUG_RE"]

Symbol = Literal["line", "area", "point"]
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")
_HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}\Z")


def _check_colour(value: str | None, what: str) -> None:
    if value is not None and not _HEX_RE.match(value):
        raise InputError(f"{what} colour {value!r} is not a #rrggbb colour",
                         fix="give a colour like '#d55e00'")


def _check_unit(value: float, what: str) -> None:
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{what} {value!r} is outside 0..1", fix="give an opacity in 0..1")


@dataclass(frozen=True)
class Style:
    """How a layer is drawn, in renderer-neutral terms.

    Parameters
    ----------
    stroke : str or None
        Outline or line colour, ``#rrggbb``; ``None`` draws no outline.
    stroke_width : float
        Line width in CSS pixels (points in the static renderer).
    stroke_opacity : float
        0..1.
    fill : str or None
        Fill colour of areas and point symbols; ``None`` leaves them unfilled.
    fill_opacity : float
        0..1.
    dash : str or None
        Dash pattern as lengths in pixels separated by spaces (``"6 4"``), or ``None``.
    radius : float
        Radius in pixels of point symbols.
    halo : str or None
        Colour of a wider line drawn beneath a line so that it reads on any background.

    Examples
    --------
    >>> Style(stroke="#000000").fill is None
    True
    >>> Style(stroke="red")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.InputError: stroke colour 'red' is not a #rrggbb colour. Fix: ...
    """

    stroke: str | None = "#000000"
    stroke_width: float = 1.0
    stroke_opacity: float = 1.0
    fill: str | None = None
    fill_opacity: float = 0.0
    dash: str | None = None
    radius: float = 4.0
    halo: str | None = None

    def __post_init__(self) -> None:
        _check_colour(self.stroke, "stroke")
        _check_colour(self.fill, "fill")
        _check_colour(self.halo, "halo")
        _check_unit(self.stroke_opacity, "stroke_opacity")
        _check_unit(self.fill_opacity, "fill_opacity")
        if self.stroke_width < 0 or self.radius < 0:
            raise InputError(f"negative size in {self!r}", fix="give sizes >= 0")
        if self.dash is not None and not re.fullmatch(r"\d+(\.\d+)?( \d+(\.\d+)?)*", self.dash):
            raise InputError(f"dash {self.dash!r} is not a list of lengths",
                             fix="give lengths in pixels separated by spaces, e.g. '6 4'")


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a symbol drawn in ``style`` and a label (plain text)."""

    label: str
    symbol: Symbol
    style: Style


@dataclass(frozen=True)
class Layer:
    """A map layer: lon/lat features with style, legend, displayed fields and provenance.

    Parameters
    ----------
    id : str
        Stable slug (``[a-z0-9-]``), used in ``--layers``, CSS classes and element ids.
    name : str
        Human name shown in the layer control (plain text).
    kind : str
        The module that made it (``zones``, ``line``, ``user``...); ``--layers`` accepts
        kinds as well as ids.
    features : list of geo.catalog.Feature
        Lon/lat geometries with display properties.
    style : Style
    legend : LegendEntry or None
        ``None`` keeps the layer out of the legend (e.g. a basemap).
    tooltip_fields, popup_fields : tuple of (property, label)
        Properties shown on hover and on click, in order.
    provenance : layers._provenance.DataProvenance or None
        Where the data came from (a dataset's ``id@version`` or a file's name, title,
        source, date, licence, attribution, method); shown in popups and listed under
        the map.
    attribution : str
        Credit line shown while the layer is visible (plain text).
    show : bool
        Visible when the map opens.
    illustrative : bool
        Derived for illustration, not an official or measured geometry.
    label_field : str or None
        Property used as a static label (static renderer).
    basemap : bool
        Context drawn beneath everything (not interactive).
    """

    id: str
    name: str
    kind: str
    features: list[Feature]
    style: Style
    legend: LegendEntry | None
    tooltip_fields: tuple[tuple[str, str], ...] = ()
    popup_fields: tuple[tuple[str, str], ...] = ()
    provenance: DataProvenance | None = None
    attribution: str = ""
    show: bool = True
    illustrative: bool = False
    label_field: str | None = None
    basemap: bool = False

    def __post_init__(self) -> None:
        if not SLUG_RE.match(self.id):
            raise InputError(f"layer id {self.id!r} is not a slug",
                             fix="use lower-case letters, digits and '-'")

    @property
    def symbol(self) -> Symbol:
        """``point``, ``line`` or ``area``, from the legend or the first geometry."""
        if self.legend is not None:
            return self.legend.symbol
        for f in self.features:
            t = f.geometry.geom_type
            if "Point" in t:
                return "point"
            if "Line" in t:
                return "line"
            return "area"
        return "area"
