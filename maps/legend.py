"""The interactive map's one panel: legend entries that are the layer toggles, base maps.

One panel instead of folium's ``LayerControl`` and a separate legend: each legend entry
is its layer's checkbox, the panel collapses (and starts collapsed on narrow maps), so
that the controls hide little of the Strip on a phone or in a notebook cell. The
panel's behaviour is the map runtime's ``panel()`` (``maps/assets/map.js``).
"""

from __future__ import annotations

from collections.abc import Sequence

from layers.base import Layer
from maps.html import esc, ui

__all__ = ["legend_html"]

_SWATCH = 'width="30" height="16" viewBox="0 0 30 16" aria-hidden="true" focusable="false"'


def _swatch(layer: Layer) -> str:
    """An inline SVG symbol of the layer's legend entry (colours are validated hex)."""
    entry = layer.legend
    assert entry is not None
    s = entry.style
    stroke = s.stroke or "none"
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    fill = s.fill or "none"
    if entry.symbol == "line":
        halo = (f'<line x1="2" y1="8" x2="28" y2="8" stroke="{s.halo}" '
                f'stroke-width="{s.stroke_width + 3:g}"/>' if s.halo else "")
        shape = (f'{halo}<line x1="2" y1="8" x2="28" y2="8" stroke="{stroke}" '
                 f'stroke-width="{s.stroke_width:g}" stroke-opacity="{s.stroke_opacity:g}"'
                 f"{dash}/>")
    elif entry.symbol == "point":
        shape = (f'<circle cx="15" cy="8" r="{min(s.radius, 7):g}" fill="{fill}" '
                 f'fill-opacity="{s.fill_opacity:g}" stroke="{stroke}" '
                 f'stroke-width="{s.stroke_width:g}"{dash}/>')
    else:
        shape = (f'<rect x="2" y="2" width="26" height="12" fill="{fill}" '
                 f'fill-opacity="{s.fill_opacity:g}" stroke="{stroke}" '
                 f'stroke-width="{max(s.stroke_width, 1):g}"{dash}/>')
    return f"<svg {_SWATCH}>{shape}</svg>"


def _label_swatch() -> str:
    return (f'<svg {_SWATCH}><text x="15" y="12.5" text-anchor="middle" font-size="12" '
            'font-weight="700" fill="#1a1a1a" stroke="#ffffff" stroke-width="2.5" '
            'paint-order="stroke">Aa</text></svg>')


def legend_html(layers: Sequence[Layer], *, map_id: str, lang: str = "en",
                bases: Sequence[str] = ()) -> str:
    """The one panel of the map: legend entries that are the layer toggles, base maps.

    Each entry of a layer in the layer control holds a checkbox (``data-layer`` ties it
    to the layer, checked when the layer is shown); basemap entries are legend only.
    ``bases`` are the names of the tile layers to choose from (online maps). The panel
    opens and collapses with its button and starts collapsed on narrow maps (see
    :data:`maps.interactive.NARROW_PX`). All text is escaped; without JavaScript the
    legend stays a list.
    """
    w = ui(lang)
    items = []
    for ly in layers:
        if ly.legend is None:
            continue
        note = " *" if ly.illustrative else ""
        swatch = _label_swatch() if ly.kind == "labels" else _swatch(ly)
        text = f'<span dir="auto">{esc(ly.legend.label)}{note}</span>'
        if ly.basemap:
            items.append(f'<li data-layer="{ly.id}" class="gz-base-entry">'
                         f'<span class="gz-entry">{swatch}{text}</span></li>')
            continue
        checked = " checked" if ly.show else ""
        items.append(f'<li data-layer="{ly.id}"><label class="gz-entry">'
                     f'<input type="checkbox"{checked}>{swatch}{text}</label></li>')
    foot = ""
    if any(ly.illustrative for ly in layers if ly.legend is not None):
        foot = ("<p class=\"gz-note\">* " + esc("illustrative, not an official line"
                                                if lang != "ar" else "توضيحي، ليس خطًا رسميًا")
                + "</p>")
    base_html = ""
    if len(bases) > 1:
        radios = "".join(
            f'<label class="gz-entry"><input type="radio" name="{map_id}-base" '
            f'value="{i}"{" checked" if i == 0 else ""}><span dir="auto">{esc(b)}</span>'
            "</label>" for i, b in enumerate(bases))
        base_html = (f'<fieldset class="gz-bases"><legend>{esc(w["basemap"])}</legend>'
                     f"{radios}</fieldset>")
    return (f'<div class="gz-panel" id="{map_id}-legend">'
            f'<button type="button" class="gz-panel-btn" aria-expanded="true" '
            f'aria-controls="{map_id}-legend-body"><span class="gz-panel-icon" '
            f'aria-hidden="true"></span>{esc(w["legend"])}</button>'
            f'<div class="gz-panel-body" id="{map_id}-legend-body">'
            f"<ul>{''.join(items)}</ul>{base_html}{foot}</div></div>")
