"""The claims chart's drawing primitives: typed marks that draw themselves in SVG or matplotlib.

:func:`maps.claims_chart.chart_layout` places the marks in CSS pixels (y down); each
mark writes itself as SVG text (:meth:`svg`) and onto a matplotlib axes whose units are
those pixels (:meth:`draw`, shifted down by ``top`` for a title), so that the SVG and
the PNG show the same chart. A :class:`Group` opens a claim's marks (its class, its
claim id and its tooltip) and :class:`GroupEnd` closes them; matplotlib draws neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from maps.html import esc

if TYPE_CHECKING:  # matplotlib is imported lazily: the SVG chart does not need it
    from matplotlib.axes import Axes

__all__ = ["FONT", "Text", "Line", "Rect", "Poly", "Circle", "Group", "GroupEnd", "Mark"]

FONT = 12  # the chart's text size, px
PT = 0.72  # a layout pixel is 1/100 inch = 0.72 pt (the PNG figure is width/100 inches)
_HA = {"start": "left", "end": "right", "middle": "center"}


@dataclass(frozen=True)
class Text:
    """A text whose baseline starts (ends, is centred: ``anchor``) at ``x, y``."""

    x: float
    y: float
    text: str
    size: float = FONT
    anchor: str = "start"
    weight: int = 400
    fill: str = "#1a1a1a"

    def svg(self) -> str:
        """The text as an SVG ``<text>`` (escaped)."""
        anchor = "" if self.anchor == "start" else f' text-anchor="{self.anchor}"'
        weight = "" if self.weight == 400 else f' font-weight="{self.weight}"'
        return (f'<text x="{self.x:.1f}" y="{self.y:.1f}" font-size="{self.size}"'
                f'{anchor}{weight} fill="{self.fill}">{esc(self.text)}</text>')

    def draw(self, ax: Axes, top: float) -> None:
        """Write the text on ``ax``."""
        ax.text(self.x, self.y + top, self.text, fontsize=self.size * PT,
                ha=_HA[self.anchor], va="baseline", color=self.fill,
                fontweight="bold" if self.weight >= 600 else "normal")


@dataclass(frozen=True)
class Line:
    """A straight stroke from ``x1, y1`` to ``x2, y2``, ``width`` px wide."""

    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float

    def svg(self) -> str:
        """The stroke as an SVG ``<line>``."""
        return (f'<line x1="{self.x1:.1f}" y1="{self.y1:.1f}" x2="{self.x2:.1f}" '
                f'y2="{self.y2:.1f}" stroke="{self.stroke}" stroke-width="{self.width}"/>')

    def draw(self, ax: Axes, top: float) -> None:
        """Draw the stroke on ``ax`` (butt caps, as in SVG)."""
        ax.plot([self.x1, self.x2], [self.y1 + top, self.y2 + top], color=self.stroke,
                linewidth=self.width * PT, solid_capstyle="butt")


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (no outline): its top left corner, width and height."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    opacity: float

    def svg(self) -> str:
        """The rectangle as an SVG ``<rect>``."""
        op = "" if self.opacity == 1 else f' fill-opacity="{self.opacity}"'
        return (f'<rect x="{self.x:.1f}" y="{self.y:.1f}" width="{self.w:.1f}" '
                f'height="{self.h}" fill="{self.fill}"{op}/>')

    def draw(self, ax: Axes, top: float) -> None:
        """Fill the rectangle on ``ax``."""
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle((self.x, self.y + top), self.w, self.h, facecolor=self.fill,
                               alpha=self.opacity, edgecolor="none"))


@dataclass(frozen=True)
class Poly:
    """A filled polygon (an arrow head): its corners."""

    points: tuple[tuple[float, float], ...]
    fill: str

    def svg(self) -> str:
        """The polygon as an SVG ``<polygon>``."""
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)
        return f'<polygon points="{pts}" fill="{self.fill}"/>'

    def draw(self, ax: Axes, top: float) -> None:
        """Fill the polygon on ``ax``."""
        from matplotlib.patches import Polygon

        ax.add_patch(Polygon([(x, y + top) for x, y in self.points], facecolor=self.fill,
                             edgecolor="none"))


@dataclass(frozen=True)
class Circle:
    """A dot: filled, with an outline ``width`` px wide."""

    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    width: float

    def svg(self) -> str:
        """The dot as an SVG ``<circle>``."""
        return (f'<circle cx="{self.cx:.1f}" cy="{self.cy:.1f}" r="{self.r}" '
                f'fill="{self.fill}" stroke="{self.stroke}" stroke-width="{self.width}"/>')

    def draw(self, ax: Axes, top: float) -> None:
        """Draw the dot on ``ax``, above the bars."""
        from matplotlib.patches import Circle as CirclePatch

        ax.add_patch(CirclePatch((self.cx, self.cy + top), self.r, facecolor=self.fill,
                                 edgecolor=self.stroke, linewidth=self.width * PT, zorder=5))


@dataclass(frozen=True)
class Group:
    """Opens one claim's marks: the SVG group's class, claim id and tooltip (``title``)."""

    claim: str
    cls: str
    title: str

    def svg(self) -> str:
        """The opening ``<g>`` with its ``<title>`` (escaped)."""
        return (f'<g class="{esc(self.cls)}" data-claim="{esc(self.claim)}">'
                f"<title>{esc(self.title)}</title>")

    def draw(self, ax: Any, top: float) -> None:
        """Nothing to draw (a PNG has no groups)."""


@dataclass(frozen=True)
class GroupEnd:
    """Closes the claim's marks that the last :class:`Group` opened."""

    def svg(self) -> str:
        """The closing ``</g>``."""
        return "</g>"

    def draw(self, ax: Any, top: float) -> None:
        """Nothing to draw (a PNG has no groups)."""


Mark = Text | Line | Rect | Poly | Circle | Group | GroupEnd
