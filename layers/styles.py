"""The one style registry: colour-blind-safe colours and the style of every layer kind.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
which stays distinguishable under protanopia, deuteranopia and tritanopia, plus Paul
Tol's indigo and dark cyan for the zones between lines. What a reader sees is a zone's
fill blended over the land (offline) or the tiles, so the opacities are part of the
palette: blended over ``LAND``, the zones stand apart from the sea, the land, each other
and the bands by a CIELAB ΔE of at least 20 in normal vision and in simulated
deuteranopia and protanopia (Machado et al. 2009), measured by
``tests/layers/test_palette.py`` and on screenshots by the browser tests. The earlier
sky-blue west zone was ΔE 5 from the sea (issue 10).
"""

from __future__ import annotations

import re

from layers.base import Style

__all__ = ["SMALL_DOTS_ABOVE", "OKABE_ITO", "SEA", "LAND", "POND", "STYLES", "USER_COLOURS",
           "ZONE_FILLS", "TOL_DARK_CYAN", "style_for", "user_style", "zone_style", "zone_ids",
           "export_styles"]

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
SEA = "#8fbbd9"  # offline background: the sea around the packaged land
LAND = "#ebe7df"  # the packaged land (Israel, Egypt and the Strip under its zones)
POND = SEA  # inland ponds: water, like the sea
TOL_INDIGO = "#332288"  # Paul Tol's "bright"/"muted" indigo, colour-blind safe
TOL_DARK_CYAN = "#225555"  # Paul Tol's "dark" scheme cyan

# (fill, fill opacity) of each zone id; between-k for k >= 3 reuse these colours with a
# dashed outline (see zone_style): four distinct fills is what a reader can tell apart.
ZONE_FILLS: dict[str, tuple[str, float]] = {
    "east": (_C["vermillion"], 0.55),
    # Paul Tol's dark cyan: the Okabe-Ito orange it replaces was the Egypt band's colour
    "between-1": (TOL_DARK_CYAN, 0.8),
    "between-2": (TOL_INDIGO, 0.6),
    "west": (_C["bluish_green"], 0.6),
}

STYLES: dict[str, Style] = {
    "neighbours": Style(stroke="#a39e93", stroke_width=0.8, fill=LAND, fill_opacity=1.0),
    "outline": Style(stroke=_C["black"], stroke_width=2.0),
    "ponds": Style(stroke="#4a7fa8", stroke_width=0.8, fill=POND, fill_opacity=1.0),
    "line": Style(stroke=_C["yellow"], stroke_width=4.0, halo=_C["black"]),
    # the ±u band is ~9 px wide at the zoom that fits the Strip: a light fill with a
    # dark dashed edge on both sides reads over either zone
    "line-band": Style(stroke="#3d3900", stroke_width=1.2, stroke_opacity=0.9, dash="5 3",
                       fill="#fff7a8", fill_opacity=0.55),
    "governorates": Style(stroke="#4d4d4d", stroke_width=1.5, dash="6 4"),
    "municipalities": Style(stroke="#7a7a7a", stroke_width=0.8, dash="2 3"),
    "labels": Style(stroke=None, fill="#1a1a1a", fill_opacity=1.0),
    "places": Style(stroke="#ffffff", stroke_width=1.0, fill=_C["black"], fill_opacity=1.0,
                    radius=3.0),
    "crossings": Style(stroke=_C["black"], stroke_width=1.5, fill=_C["bluish_green"],
                       fill_opacity=1.0, radius=6.0),
    "crossings-approx": Style(stroke=_C["bluish_green"], stroke_width=2.0, dash="3 2",
                              fill="#ffffff", fill_opacity=0.8, radius=6.0),
    # the bands are told from every zone by ΔE >= 20 in every vision (a pale veil with a
    # dashed purple edge; a solid orange strip), tested in tests/layers/test_palette.py
    "band-israel-1km": Style(stroke=_C["reddish_purple"], stroke_width=1.2, dash="2 3",
                             fill="#ffffff", fill_opacity=0.4),
    "band-egypt-100m": Style(stroke=_C["orange"], stroke_width=1.0, fill=_C["orange"],
                             fill_opacity=1.0),
    # a line only `--compare` draws: line B of a comparison
    "compare-line": Style(stroke=_C["blue"], stroke_width=3.0, dash="8 4", halo="#ffffff"),
    # a user's own dividing line: never dressed as an official one (black, dashed, on a
    # white halo), with the legend entry "your line: FILE"
    "user-line": Style(stroke="#1a1a1a", stroke_width=3.0, dash="10 5", halo="#ffffff"),
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
    if key.startswith("zone-") and key not in STYLES and _ZONE_RE.match(key[5:]):
        k = int(key[len("zone-between-"):])
        return zone_style(key[5:], k + 1)
    try:
        return STYLES[key]
    except KeyError:
        raise KeyError(f"no style registered for {key!r}") from None


# Above this many points a user's point layer opens as small dots, so that the zones
# under 2,000 points stay readable at the zoom that fits the Strip (issue 18); far
# bigger layers are binned (layers.aggregate).
SMALL_DOTS_ABOVE = 300


def user_style(index: int, symbol: str, n_features: int = 0) -> Style:
    """The style of the ``index``-th user layer (colours cycle through ``USER_COLOURS``).

    A point layer of more than :data:`SMALL_DOTS_ABOVE` features gets small dots.

    >>> user_style(0, "area").fill == USER_COLOURS[0]
    True
    >>> user_style(0, "point", 2000).radius < user_style(0, "point", 10).radius
    True
    """
    colour = USER_COLOURS[index % len(USER_COLOURS)]
    if symbol == "point" and n_features > SMALL_DOTS_ABOVE:
        return Style(stroke=None, fill=colour, fill_opacity=0.75, radius=1.8)
    if symbol == "point":
        return Style(stroke="#ffffff", stroke_width=1.0, fill=colour, fill_opacity=1.0,
                     radius=5.0)
    if symbol == "line":
        return Style(stroke=colour, stroke_width=3.0, halo="#ffffff")
    return Style(stroke=colour, stroke_width=2.0, fill=colour, fill_opacity=0.25)


_ZONE_RE = re.compile(r"^between-([1-9][0-9]?)\Z")


def zone_ids(n_lines: int) -> list[str]:
    """The zone ids of a partition by ``n_lines`` ordered lines, east to west.

    >>> zone_ids(1)
    ['east', 'west']
    >>> zone_ids(3)
    ['east', 'between-1', 'between-2', 'west']
    """
    if n_lines < 1:
        raise ValueError(f"n_lines must be >= 1, got {n_lines!r}")
    return ["east", *(f"between-{k}" for k in range(1, n_lines)), "west"]


def zone_style(zone_id: str, n_lines: int = 1) -> Style:
    """The style of zone ``zone_id`` of a partition by ``n_lines`` lines.

    ``east`` (bordering Israel), ``between-1`` and ``between-2`` and ``west`` have four
    distinct colour-blind-safe fills (see the module docstring); further between-zones
    (four lines or more) reuse the between colours with a dashed outline.

    >>> zone_style("west").fill == OKABE_ITO["bluish_green"]
    True
    >>> zone_style("between-1", 2).fill == TOL_DARK_CYAN
    True
    >>> zone_style("between-2", 2)
    Traceback (most recent call last):
    ...
    ValueError: zone 'between-2' does not exist with 2 lines (zones: east, between-1, west)
    """
    ids = zone_ids(n_lines)
    if zone_id not in ids:
        raise ValueError(f"zone {zone_id!r} does not exist with {n_lines} lines "
                         f"(zones: {', '.join(ids)})")
    if zone_id in ZONE_FILLS:
        fill, opacity = ZONE_FILLS[zone_id]
        dash = None
    else:
        m = _ZONE_RE.match(zone_id)
        assert m is not None
        k = int(m.group(1))
        fill, opacity = ZONE_FILLS["between-1" if k % 2 else "between-2"]
        dash = "6 3"
    return Style(stroke=fill, stroke_width=0.5 if dash is None else 1.5, fill=fill,
                 fill_opacity=opacity, dash=dash)


# the registered zone styles are zone_style's, so that one palette serves every zone
STYLES.update({f"zone-{z}": zone_style(z, 3) for z in ("east", "between-1", "between-2",
                                                       "west")})


def export_styles(n_lines: int = 1) -> dict[str, dict[str, object]]:
    """The palette as plain data for exports (``geo.write.export.ExportStyles``).

    The KML styles and the GeoPackage's QGIS ``layer_styles`` are made from it, so that
    exports open in the colours of the maps.

    Keys are ``zone-<id>`` for every zone of ``n_lines`` lines, the export layer names
    (``line``, ``line-2`` ... drawn as on the map, ``markers`` and the packaged datasets)
    and ``user`` for any other layer (a user's file).

    >>> export_styles()["zone-east"]["fill"] == OKABE_ITO["vermillion"]
    True
    >>> export_styles(2)["line-2"]["stroke"] == STYLES["compare-line"].stroke
    True
    """
    def plain(st: Style) -> dict[str, object]:
        return {"stroke": st.stroke, "stroke_width": st.stroke_width,
                "stroke_opacity": st.stroke_opacity, "fill": st.fill,
                "fill_opacity": st.fill_opacity, "dash": st.dash, "radius": st.radius,
                "halo": st.halo}

    out = {f"zone-{z}": plain(zone_style(z, n_lines)) for z in zone_ids(n_lines)}
    line = style_for("line")
    out["line"] = plain(line)
    # the map draws the lines after the first as layers.line does
    out.update({f"line-{k}": plain(style_for("compare-line")) for k in range(2, n_lines + 1)})
    # the markers in the line's yellow
    out["markers"] = plain(Style(stroke="#000000", stroke_width=1.0, fill=line.stroke,
                                 fill_opacity=1.0, radius=4.0))
    for key in ("governorates", "municipalities", "places", "crossings", "neighbours",
                "band-israel-1km", "band-egypt-100m"):
        out[key] = plain(style_for(key))
    out["user"] = plain(user_style(0, "area"))
    return out


