"""Text on the static maps and charts: the font, Arabic shaping and matplotlib's settings.

Arabic text. matplotlib 3.11 and later lays text out with libraqm (HarfBuzz shaping and
the Unicode bidirectional algorithm), so Arabic labels are passed in logical order.
Earlier versions draw glyphs one by one, left to right, so labels are first reshaped
(``arabic_reshaper``: contextual letter forms) and reordered (``python-bidi``
``get_display``: visual right-to-left order). Doing both would reverse Arabic twice.

Every static figure (map, timeline chart) is drawn and saved inside :func:`rc_context`:
text stays text in SVG, ``$`` is not mathematics, and SVG ids are fixed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["FONT_FAMILY", "RC", "has_arabic", "native_complex_text", "shape_arabic",
           "rc_context"]

# DejaVu Sans ships with matplotlib and covers Arabic (basic block and presentation
# forms A and B), Latin and the symbols used here (², ±, –).
FONT_FAMILY = "DejaVu Sans"
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_SVG_SALT = "gazamap"  # fixed ids in SVG output: the same map gives the same bytes

# matplotlib settings of every static figure
RC: dict[str, Any] = {
    "svg.hashsalt": _SVG_SALT,
    # text stays text in SVG (selectable, editable, shaped by the viewer)
    "svg.fonttype": "none",
    # "$5 to $10" is a name, not mathematics (issue 9)
    "text.parse_math": False,
    "lines.scale_dashes": False,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "Noto Sans", "Noto Sans Arabic", "sans-serif"],
    "path.simplify": False,
}


def rc_context() -> Any:
    """A ``matplotlib.rc_context`` with :data:`RC`: draw and save static figures inside it."""
    import matplotlib

    return matplotlib.rc_context(RC)  # type: ignore[arg-type]


def has_arabic(text: str) -> bool:
    """True when ``text`` contains Arabic letters.

    >>> has_arabic("Gaza"), has_arabic("غزة")
    (False, True)
    """
    return bool(_ARABIC_RE.search(text))


@lru_cache(maxsize=1)
def native_complex_text() -> bool:
    """True when the installed matplotlib shapes and orders text itself (libraqm, >= 3.11)."""
    import matplotlib

    parts = re.findall(r"\d+", matplotlib.__version__)[:2]
    major, minor = (int(p) for p in (parts + ["0", "0"])[:2])
    return (major, minor) >= (3, 11)


def shape_arabic(text: str, *, manual: bool | None = None) -> str:
    """Prepare a label for matplotlib: Arabic shaped and ordered right to left.

    Parameters
    ----------
    text : str
        A label in logical order (as stored).
    manual : bool, optional
        Reshape and reorder with ``arabic_reshaper`` and ``python-bidi``. Default: only
        when matplotlib does not lay out complex text itself (before 3.11).

    Examples
    --------
    >>> [hex(ord(c)) for c in shape_arabic("غزة", manual=True)]
    ['0xfe93', '0xfeb0', '0xfecf']
    >>> shape_arabic("Gaza", manual=True)
    'Gaza'
    """
    if not text or not has_arabic(text):
        return text
    if manual is None:
        manual = not native_complex_text()
    if not manual:
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text)))
