"""The scripts and styles that gazamap's pages inline, kept as files in this folder.

:func:`asset` is the one way in: a renderer asks for a file by name and gets its text,
ready to place in a ``<script>`` or ``<style>`` element, with its ``{{name}}``
placeholders filled. The files: ``map.js`` and ``map.css`` (the interactive map's
runtime and style, :mod:`maps.interactive`), ``bins.js`` (aggregated point layers,
:mod:`maps._bins`), ``measure.js`` with GeographicLib in ``geodesic_wrapper.js`` (the
measuring tool), ``leaflet_once.js`` (Leaflet defined once on a page of several
fragments) and ``map_page.css`` (a map page's body and heading; all three
:mod:`maps.html`), ``timeline_page.js`` and ``timeline_page.css``
(:mod:`maps.timeline_page`), ``report.css`` (reports and check pages, :mod:`maps.report`).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

__all__ = ["asset"]

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# A value is one CSS token (an identifier, a length, a hex colour): it cannot end a rule,
# a string or the element (no braces, quotes, semicolons, '<', blanks or backslashes).
_TOKEN = re.compile(r"[A-Za-z0-9#._%-]+\Z")


@cache
def _text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8").strip()


def asset(name: str, **values: str) -> str:
    """The text of ``maps/assets/<name>`` (blank space around it dropped), placeholders filled.

    Each ``{{key}}`` of the file becomes ``values[key]``. Values are single tokens (a map
    id, a CSS length, a hex colour) and are refused otherwise, so none can close a rule,
    a string or the ``<style>``/``<script>`` element. Data never reaches a script this
    way: the scripts take it as arguments, JSON made safe by :func:`maps.html.script_json`.

    >>> asset("map.css", id="m1", height="72vh", bg="#ddd").splitlines()[0]
    '#m1 .gz-map{height:72vh;min-height:320px;width:100%;background:#ddd}'
    >>> asset("map.css", id="m1", height="1px}body{x:y", bg="#ddd")
    Traceback (most recent call last):
    ValueError: map.css: height='1px}body{x:y' is not a single token
    """
    text = _text(name)
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(values):
        raise ValueError(f"{name} takes {sorted(wanted)}, not {sorted(values)}")
    for key, value in values.items():
        if not _TOKEN.match(value):
            raise ValueError(f"{name}: {key}={value!r} is not a single token")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text) if values else text
