"""What the SVG document says about itself: its size in px, title, description, label halo.

matplotlib writes the SVG; these steps then give its root the requested pixel size, a
``<title>`` and ``<desc>`` for screen readers and search engines, and the stylesheet
that draws the labels' halo (SVG text must stay text, so no path effect).
"""

from __future__ import annotations

import re

from geo.write.xmltext import clean_xml

__all__ = ["finish_svg"]

# The labels' halo in SVG: a white stroke painted beneath the glyphs (SVG 2 paint-order;
# viewers without it still show the dark text).
_SVG_LABEL_STYLE = (b'<style type="text/css">g[id^="gz-label-"] text{stroke:#ffffff;'
                    b"stroke-width:2.5px;stroke-linejoin:round;paint-order:stroke}</style>")


def _svg_text_alternative(svg: bytes, title: str, description: str | None) -> bytes:
    """Put ``<title>`` and ``<desc>`` first in the SVG root (SVG 2 §5.9), escaped."""
    from xml.sax.saxutils import escape

    head, sep, rest = svg.partition(b"<svg ")
    root, gt, tail = rest.partition(b">")
    text = f"<title>{escape(title)}</title>"
    if description:
        text += f"<desc>{escape(description)}</desc>"
    return head + sep + root + gt + b"\n " + text.encode("utf-8") + tail


def _svg_pixel_size(svg: bytes, width_px: int, height_px: int) -> bytes:
    """Give the SVG root the requested size in px (matplotlib writes points).

    The ``viewBox`` stays, so the drawing scales to the new size as a whole. The labels'
    stylesheet follows the root.
    """
    head, sep, rest = svg.partition(b"<svg ")
    root, gt, tail = rest.partition(b">")
    root = re.sub(rb'\bwidth="[0-9.]+pt"', f'width="{width_px}px"'.encode(), root, count=1)
    root = re.sub(rb'\bheight="[0-9.]+pt"', f'height="{height_px}px"'.encode(), root, count=1)
    return head + sep + root + gt + b"\n " + _SVG_LABEL_STYLE + tail


def finish_svg(svg: bytes, *, width_px: int, height_px: int, title: str,
               description: str | None) -> bytes:
    """The SVG that matplotlib wrote, with its size in px, title, description and label halo.

    The result is well-formed XML whatever the titles, labels and file names hold.
    """
    data = _svg_pixel_size(svg, width_px, height_px)
    return clean_xml(_svg_text_alternative(data, title, description))
