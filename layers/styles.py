"""The one style registry: colour-blind-safe colours and the style of every layer kind.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
which stays distinguishable under protanopia, deuteranopia and tritanopia. Zones use
vermillion (east) against sky blue (west): they differ in lightness as well as hue.
"""

from __future__ import annotations

from layers.base import Style

__all__ = ["OKABE_ITO", "SEA", "STYLES", "USER_COLOURS", "style_for", "user_style", "zone_style"]

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#e69f00",
    "sky_blue": "#56b4e9",
    "bluish_green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish_purple": "#cc79a7",
}
_C = OKABE_ITO
SEA = "#cfe3ef"  # offline background: the sea around the packaged land

STYLES: dict[str, Style] = {
    "neighbours": Style(stroke="#a39e93", stroke_width=0.8, fill="#ebe7df", fill_opacity=1.0),
    "outline": Style(stroke=_C["black"], stroke_width=2.0),
    "zone-east": Style(stroke=_C["vermillion"], stroke_width=0.5, fill=_C["vermillion"],
                       fill_opacity=0.35),
    "zone-west": Style(stroke=_C["sky_blue"], stroke_width=0.5, fill=_C["sky_blue"],
                       fill_opacity=0.3),
    "line": Style(stroke=_C["yellow"], stroke_width=4.0, halo=_C["black"]),
    "line-band": Style(stroke="#8c8200", stroke_width=1.0, stroke_opacity=0.8, dash="4 4",
                       fill=_C["yellow"], fill_opacity=0.3),
    "governorates": Style(stroke="#4d4d4d", stroke_width=1.5, dash="6 4"),
    "municipalities": Style(stroke="#7a7a7a", stroke_width=0.8, dash="2 3"),
    "places": Style(stroke="#ffffff", stroke_width=1.0, fill=_C["black"], fill_opacity=1.0,
                    radius=3.0),
    "crossings": Style(stroke=_C["black"], stroke_width=1.5, fill=_C["bluish_green"],
                       fill_opacity=1.0, radius=6.0),
    "crossings-approx": Style(stroke=_C["bluish_green"], stroke_width=2.0, dash="3 2",
                              fill="#ffffff", fill_opacity=0.8, radius=6.0),
    "band-israel-1km": Style(stroke=_C["reddish_purple"], stroke_width=1.0, dash="2 3",
                             fill=_C["reddish_purple"], fill_opacity=0.25),
    "band-egypt-100m": Style(stroke=_C["orange"], stroke_width=1.0, fill=_C["orange"],
                             fill_opacity=0.6),
    "compare-line": Style(stroke=_C["blue"], stroke_width=3.0, dash="8 4", halo="#ffffff"),
    "compare-area": Style(stroke=_C["reddish_purple"], stroke_width=1.0,
                          fill=_C["reddish_purple"], fill_opacity=0.55),
}

USER_COLOURS = (_C["blue"], _C["bluish_green"], _C["reddish_purple"], _C["orange"],
                _C["sky_blue"])


def style_for(key: str) -> Style:
    """The registered style of a layer id or kind.

    >>> style_for("outline").stroke
    '#000000'
    >>> style_for("nope")
    Traceback (most recent call last):
    ...
    KeyError: "no style registered for 'nope'"
    """
    try:
        return STYLES[key]
    except KeyError:
        raise KeyError(f"no style registered for {key!r}") from None


_BETWEEN = (_C["orange"], _C["reddish_purple"], _C["bluish_green"], _C["blue"])


def zone_style(zone_id: str, n_lines: int = 1) -> Style:
    """The style of a zone of a partition by ``n_lines`` lines (ids as geo.partition).

    >>> zone_style("east").fill == style_for("zone-east").fill
    True
    >>> zone_style("between-1", 2).fill != zone_style("between-2", 3).fill
    True
    """
    if zone_id in ("east", "west"):
        return style_for(f"zone-{zone_id}")
    k = int(zone_id.rsplit("-", 1)[1]) - 1
    colour = _BETWEEN[k % len(_BETWEEN)]
    return Style(stroke=colour, stroke_width=0.5, fill=colour, fill_opacity=0.4)


def user_style(index: int, symbol: str) -> Style:
    """The style of the ``index``-th user layer (colours cycle through ``USER_COLOURS``).

    >>> user_style(0, "area").fill == USER_COLOURS[0]
    True
    """
    colour = USER_COLOURS[index % len(USER_COLOURS)]
    if symbol == "point":
        return Style(stroke="#ffffff", stroke_width=1.0, fill=colour, fill_opacity=1.0,
                     radius=5.0)
    if symbol == "line":
        return Style(stroke=colour, stroke_width=3.0, halo="#ffffff")
    return Style(stroke=colour, stroke_width=2.0, fill=colour, fill_opacity=0.25)
